"""Baselines for adopting redcaplint on legacy code: `--write-baseline FILE` records today's
findings by their fingerprint (engine.fingerprint: rule, path, the masked anchor line without
whitespace, occurrence index — never a line number, never a token); `--baseline FILE` then
reports only findings it does not hold. Each recorded fingerprint matches once, so a second
copy of a known mistake is new."""
from __future__ import annotations

import json
import os
from collections import Counter

FORMAT = "redcaplint-baseline"
VERSION = 1


def write_baseline(path: str, findings) -> None:
    from redcaplint.cli import _write_report

    data = {"format": FORMAT, "version": VERSION,
            "findings": sorted(({"fingerprint": f.fingerprint, "code": f.code, "path": f.path.replace(os.sep, "/")}
                                for f in findings), key=lambda d: (d["path"], d["code"], d["fingerprint"]))}
    _write_report(path, lambda out: out.write(json.dumps(data, indent=1) + "\n"))


def load(path: str) -> Counter:
    from redcaplint.cli import UsageError
    from redcaplint.files import printable

    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except FileNotFoundError:
        raise UsageError(f"baseline {printable(path)} does not exist (write one with --write-baseline)") from None
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise UsageError(f"baseline {printable(path)} is not a redcaplint baseline ({type(exc).__name__})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("findings"), list):
        raise UsageError(f"baseline {printable(path)} is not a redcaplint baseline")
    if data.get("version") != VERSION:
        raise UsageError(f"baseline {printable(path)} has version {data.get('version')!r}; this redcaplint reads {VERSION}")
    known: Counter = Counter()
    for entry in data["findings"]:
        fp = entry.get("fingerprint") if isinstance(entry, dict) else None
        if not isinstance(fp, str) or not fp:
            raise UsageError(f"baseline {printable(path)}: an entry without a fingerprint")
        known[fp] += 1
    return known


def new_findings(path: str, findings) -> tuple[list, int]:
    """The findings the baseline does not hold, and how many it matched."""
    known = load(path)
    fresh, matched = [], 0
    for f in findings:
        if known.get(f.fingerprint, 0) > 0:
            known[f.fingerprint] -= 1
            matched += 1
        else:
            fresh.append(f)
    return fresh, matched
