"""Form-encoded bodies written as strings (`token=…&content=record`): the one reading of
them, for curl's `-d` words and for any language's string-built request body."""
from __future__ import annotations

from typing import Optional

from redcaplint.model import Concat, Span, Str, Value


def _sub(text: str, p: Str, start: int, end: int) -> Str:
    """p.value[start:end] with its own span where the value is the source text itself (a
    word, a quoted string's content), so a fix edits just the value."""
    if text[p.span.start:p.span.end] == p.value:
        return Str(Span(p.span.start + start, p.span.start + end), p.value[start:end])
    return Str(p.span, p.value[start:end])


def form_fields(value: Value, separator: Optional[str], entries: list, text: str) -> bool:
    """`token=$T&content=record` (or one `name=value` for curl's -F/--data-urlencode) →
    (key, value) entries, in any language: a shell word, an f-string, a JS template, `"a=" + b`.
    Returns True when the body holds fields the linter cannot read (`@file`, JSON)."""
    parts = value.parts if isinstance(value, Concat) else (value,)
    fields: list[list[Value]] = [[]]
    for p in parts:
        if isinstance(p, Str) and separator and separator in p.value:
            at = 0
            for k, piece in enumerate(p.value.split(separator)):
                if k:
                    fields.append([])
                if piece:
                    fields[-1].append(_sub(text, p, at, at + len(piece)))
                at += len(piece) + len(separator)
        else:
            fields[-1].append(p)
    opened = False
    for field in fields:
        if not field:
            continue
        head = field[0]
        if not isinstance(head, Str):
            # `-d $DATA`, `-d $DATA$ID`: a variable holding (the start of) a form; merged as a
            # part the resolver reads through the variable (unknown fields if it cannot)
            entries.append((Str(head.span, "*"), field[0] if len(field) == 1 else Concat(head.span, tuple(field))))
            continue
        if "=" not in head.value:
            opened = True  # `@body.txt`, a JSON document: not fields we can see
            continue
        key, _, rest = head.value.partition("=")
        tail = ([_sub(text, head, len(key) + 1, len(head.value))] if rest else []) + field[1:]
        if not key:
            opened = True
            continue
        if not tail:
            v: Value = Str(head.span, "")
        elif len(tail) == 1:
            v = tail[0]
        elif all(isinstance(t, Str) for t in tail):
            v = Str(Span(tail[0].span.start, tail[-1].span.end), "".join(t.value for t in tail))
        else:
            v = Concat(head.span, tuple(tail))
        entries.append((_sub(text, head, 0, len(key)), v))
    return opened
