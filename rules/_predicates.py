"""Questions several rules ask of the model (Fixit's helpers, semgrep's shared patterns)."""
from __future__ import annotations

from typing import Optional

from redcaplint.model import ApiCall, Batching, Call, Const, Dict, LinkKind, Num, Seq, Str, Value
from redcaplint.rules import load_data


def api_table() -> dict:
    return load_data("api")


def param_str(api: ApiCall, name: str) -> Optional[str]:
    p = api.params.get(name)
    return p.value.value if p is not None and isinstance(p.value, Str) else None


def is_empty(value: Value) -> bool:
    """A restriction written out but empty (`records=None`, `fields=[]`, `""`)."""
    if isinstance(value, Const):
        return value.value is None or value.value is False
    if isinstance(value, Str):
        return value.value.strip() == ""
    if isinstance(value, (Seq,)):
        return not value.items
    if isinstance(value, Dict):
        return not value.entries and not value.open
    return False


def is_record_export(api: ApiCall) -> bool:
    """A record export as RC401/RC402 read it: action=export, or neither action nor data;
    `action=import` without data is served as an export too."""
    if api.content != "record":
        return False
    if api.kind == "client":
        return api.operation == "export"
    action = param_str(api, "action")
    if action == "export":
        return True
    if action in ("delete", "rename", "randomize"):
        return False
    has_data = "data" in api.params
    if has_data or (api.open and action is None):
        return False
    return action in (None, "import")


def is_batched(api: ApiCall, batch_threshold: int) -> bool:
    """A client that splits the export into batches by itself (RC401 only; RC402 still
    counts a batched full export as large)."""
    if api.batching in (Batching.DEFAULT, Batching.UNKNOWN):
        return True
    return api.batching is Batching.SIZED and api.batch_size < batch_threshold


def is_restricted(api: ApiCall, batch_threshold: int) -> bool:
    if api.open:
        return True  # options we cannot see may restrict it: never guess
    names = api.restriction_names if api.restriction_names is not None else api_table()["restrictions"]["names"]
    for name in names:
        p = api.params.get(name)
        if p is not None and not is_empty(p.value):
            return True
    return False


def unrestricted_export(api: ApiCall, batch_threshold: int) -> bool:
    return is_record_export(api) and not is_restricted(api, batch_threshold)


def number(value: Value) -> Optional[float]:
    if isinstance(value, Num):
        return value.value
    if isinstance(value, Str):
        try:
            return float(value.value)
        except ValueError:
            return None
    if isinstance(value, Const) and isinstance(value.value, bool):
        return float(value.value)
    return None


def encoder_of(value: Value) -> Optional[Call]:
    """`json.dumps(x)` and its kin in any language (the callee's last part decides:
    `json.dumps`, `jsonlite::toJSON`, `JSON.stringify`)."""
    if isinstance(value, Call) and value.callee.rpartition(".")[2].rpartition("::")[2] in ENCODERS:
        return value
    return None


ENCODERS = {"dumps", "json_encode", "stringify", "toJSON", "to_json"}


def encoded(encoder: Call) -> Optional[Value]:
    """What an encoder encodes: its argument, or its receiver (Ruby's `[record].to_json`)."""
    return encoder.args[0] if encoder.args else encoder.receiver


def helpers_called_per_iteration(api_calls) -> set:
    """Ids of the same-file functions whose call a loop repeats on the way to an API call."""
    found = set()
    for api in api_calls:
        for chain in api.chains:
            for i, link in enumerate(chain):
                if link.kind is LinkKind.DISPATCH:
                    break
                if link.kind is LinkKind.HELPER and link.function is not None and any(
                        later.kind is LinkKind.LOOP for later in chain[i + 1:]):
                    found.add(link.function)
    return found


def repeated_by_loop(api_calls) -> dict:
    """{loop span: [(anchor, sleeps)]}: each API call charged to the innermost loop its chains
    meet, anchored where that loop's iteration makes it (the request, or the helper call in
    the loop's body). A chain that reaches a dispatch first is concurrency (RC203's), not a
    loop's repetition; so is a loop written inside the dispatch (`Promise.all(ids.map(f))`)."""
    found: dict = {}
    for api in api_calls:
        for chain in api.chains:
            anchor = api.span
            for i, link in enumerate(chain):
                if link.kind is LinkKind.DISPATCH:
                    break
                if link.kind is LinkKind.HELPER:
                    anchor = link.span
                    continue
                if any(d.kind is LinkKind.DISPATCH and d.span.contains(link.span) for d in chain[i + 1:]):
                    break
                entry = (anchor, link.sleeps)
                if entry not in found.setdefault(link.span, []):
                    found[link.span].append(entry)
                break
    return found
