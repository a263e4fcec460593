"""Applying fixes to a file's text: the one place edits become new source.

Edits are character offsets into the text the findings were computed on. Fixes are applied
in order of position; a fix whose edits overlap an earlier one's is left for the next pass
(ruff does the same), so one pass never produces text neither fix intended.
"""
from __future__ import annotations

from typing import Iterable

from redcaplint.findings import Edit, Finding

APPLICABLE = {"safe": ("safe",), "unsafe": ("safe", "unsafe")}


def applicable(findings: Iterable[Finding], unsafe: bool = False) -> list[Finding]:
    """Findings whose fix can be applied: edits present, applicability allowed."""
    allowed = APPLICABLE["unsafe" if unsafe else "safe"]
    return [f for f in findings if f.fix is not None and f.fix.edits and f.fix.applicability in allowed]


def apply_fixes(text: str, findings: Iterable[Finding], unsafe: bool = False) -> tuple[str, list[Finding]]:
    """The text with every applicable, non-overlapping fix applied, and the findings fixed."""
    chosen: list[Edit] = []
    fixed: list[Finding] = []
    taken: list[tuple[int, int]] = []
    for f in sorted(applicable(findings, unsafe), key=lambda f: min(e.start for e in f.fix.edits)):
        edits = sorted(f.fix.edits, key=lambda e: (e.start, e.end))
        if any(_overlaps(e, t) for e in edits for t in taken) or _self_overlapping(edits):
            continue
        chosen += edits
        taken += [(e.start, e.end) for e in edits]
        fixed.append(f)
    return apply_edits(text, chosen), fixed


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    out, at = [], 0
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        out.append(text[at:e.start])
        out.append(e.content)
        at = e.end
    out.append(text[at:])
    return "".join(out)


def _overlaps(e: Edit, t: tuple[int, int]) -> bool:
    # two insertions at one point conflict too: their order would be arbitrary
    return e.start < t[1] and t[0] < e.end or (e.start == e.end == t[0] == t[1])


def _self_overlapping(edits: list[Edit]) -> bool:
    return any(b.start < a.end for a, b in zip(edits, edits[1:]))
