"""What every ast-grep front end shares: spans from nodes, and the per-node value cache."""
from __future__ import annotations

from typing import Optional

from redcaplint.model import Concat, Loop, Script, Span, Str, Unknown, Value
from redcaplint.source import Source

MAX_DEPTH = 60  # value conversion depth; deeper expressions become Unknown (never recurse unbounded)
_new_tuple = tuple.__new__


def span_of(node) -> Span:
    r = node.range()
    return _new_tuple(Span, (r.start.index, r.end.index))  # Span(...) minus a Python frame


class TreeBuilder:
    """Base of a language's builder: `_value(node, span, kind, depth)` is the language part."""

    def __init__(self, source: Source, root, language: str, text: Optional[str] = None,
                 first_id: int = 0) -> None:
        self.source = source
        self.root = root
        self.text = source.text if text is None else text
        self.script = Script(source, language)
        self.function_ids = first_id
        # each node is converted once: nested calls are visited by find_all *and* as
        # arguments of their parent, which would be quadratic in the nesting depth
        self.cache: dict[tuple[Span, str], Value] = {}

    def value(self, node, depth: int = 0) -> Value:
        # the hottest path of extraction: written for CPython (no helper calls, one tuple)
        if node is None:
            return Unknown(Span(0, 0))
        r = node.range()
        span = _new_tuple(Span, (r.start.index, r.end.index))
        if depth > MAX_DEPTH:
            return Unknown(span)
        kind = node.kind()
        key = (span, kind)
        cached = self.cache.get(key)
        if cached is None:
            cached = self.cache[key] = self._value(node, span, kind, depth)
            if cached.__class__ is Str or cached.__class__ is Concat:
                self.script.strings.append(cached)
        return cached

    def add_loop(self, kind: str, node, with_condition: bool = False) -> None:
        """A loop statement; a `while` condition runs once per iteration, so it is part of
        the body that one iteration executes."""
        body = node.field("body")
        if body is None:
            return
        body_span = span_of(body)
        cond = node.field("condition") if with_condition else None
        start = span_of(cond).start if cond is not None else body_span.start
        self.script.loops.append(Loop(kind, span_of(node), Span(start, body_span.end)))

    def _value(self, node, span: Span, kind: str, depth: int) -> Value:  # pragma: no cover
        raise NotImplementedError
