"""Inline suppressions, as the catalog says.

`# redcaplint: ignore[RC201]` (`//` in PHP and JavaScript; `# noqa: RC201` in Python too). A
directive at the end of a line of code applies to that line only; a directive on a comment line
of its own applies to the next code line. A bare `ignore` (or bare `noqa`) covers every code;
codes may be prefixes (`RC1`), as in `--select`; `-- reason` may follow. A malformed directive
(`ignore RC101`, `ignore(RC101)`) or one naming an unknown code suppresses nothing and is
RC002; one that suppressed nothing in this run is RC003 (off by default).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from redcaplint.model import Span
from redcaplint.source import Document

ALL = "*"
DIRECTIVE = re.compile(r"(?:#|//)[ \t]*redcaplint[ \t]*:[^\n]*", re.I)
WELL_FORMED = re.compile(
    r"(?:#|//)[ \t]*redcaplint[ \t]*:[ \t]*ignore(?:\[(?P<codes>[A-Za-z0-9, \t]+)\])?"
    r"[ \t]*(?:(?:--|#|//).*)?$", re.I)
NOQA = re.compile(r"#[ \t]*noqa(?::[ \t]*(?P<codes>[A-Za-z]+[0-9]+(?:[ \t]*,?[ \t]*[A-Za-z]+[0-9]+)*))?", re.I)
COMMENT_START = re.compile(r"[ \t]*(?:#|//)")


@dataclass
class Directive:
    span: Span  # the directive's text
    line: int  # the line it is written on
    applies_to: int  # the line it covers
    codes: Optional[frozenset[str]]  # None: every code
    own_line: bool
    problem: Optional[str] = None  # why it is invalid (RC002)
    used: bool = False

    def covers(self, code: str) -> bool:
        return self.codes is None or any(code.startswith(c) for c in self.codes)


def directives(doc: Document, language: str, known) -> list[Directive]:
    """Every directive of the document. `known(selector)` says whether a code or prefix names
    a rule."""
    text = doc.text
    if "redcaplint" not in text.lower() and "noqa" not in text.lower():
        return []
    out: list[Directive] = []
    pending: list[Directive] = []  # own-line directives waiting for the next code line
    for number in range(1, doc.line_count + 1):
        line = doc.line_text(number)
        lower = line.lower()
        found = _on_line(line, lower, language, known)
        start = doc.line_start(number)
        stripped = line.strip()
        is_comment_line = bool(stripped) and COMMENT_START.match(line) is not None
        if pending and stripped and not is_comment_line:
            for d in pending:
                d.applies_to = number
            pending = []
        for col, end, codes, problem in found:
            own = line[:col].strip() == ""
            d = Directive(Span(start + col, start + end), number, number, codes, own, problem)
            out.append(d)
            if own:
                pending.append(d)
    return out


def _on_line(line: str, lower: str, language: str, known) -> list[tuple[int, int, Optional[frozenset], Optional[str]]]:
    found = []
    if "redcaplint" in lower:
        for m in DIRECTIVE.finditer(line):
            body = m.group(0).rstrip()
            wf = WELL_FORMED.match(body)
            if wf is None:
                found.append((m.start(), m.start() + len(body), None,
                              f"malformed suppression `{body}` (write `redcaplint: ignore[RC101]`)"))
                continue
            codes, problem = _codes(wf.group("codes"), known)
            found.append((m.start(), m.start() + len(body), codes, problem))
    if language == "python" and "noqa" in lower:
        for m in NOQA.finditer(line):
            if m.group("codes") is None:
                found.append((m.start(), m.end(), None, None))
                continue
            # a noqa naming E501 belongs to flake8 or ruff: only RC codes are ours
            ours = [c for c in re.split(r"[\s,]+", m.group("codes")) if c.upper().startswith("RC")]
            if ours:
                codes, problem = _codes(",".join(ours), known)
                found.append((m.start(), m.end(), codes, problem))
    return found


def _codes(group: Optional[str], known) -> tuple[Optional[frozenset], Optional[str]]:
    if group is None:
        return None, None
    codes = [c.strip().upper() for c in re.split(r"[\s,]+", group) if c.strip()]
    if not codes:
        return frozenset(), "empty code list in suppression"
    unknown = [c for c in codes if not known(c)]
    if unknown:
        return frozenset(), f"suppression names unknown rule code {unknown[0]}"
    return frozenset(codes), None


def suppressing(table: list[Directive], code: str, line: int) -> Optional[Directive]:
    """The valid directive that covers `code` on `line`, marked used; None if there is none."""
    hit = None
    for d in table:
        if d.applies_to == line and d.problem is None and d.covers(code):
            d.used = True
            hit = hit or d
    return hit


def removal(doc: Document, d: Directive) -> tuple[int, int]:
    """What removing a directive deletes: its whole line when it is alone on it, else the
    directive and the blanks before it."""
    if d.own_line:
        start = doc.line_start(d.line)
        end = doc.line_start(d.line + 1) if d.line < doc.line_count else len(doc.text)
        return start, end
    start = d.span.start
    while start > 0 and doc.text[start - 1] in " \t":
        start -= 1
    return start, d.span.end
