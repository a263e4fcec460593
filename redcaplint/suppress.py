"""Inline suppressions: `# redcaplint: ignore[RC201]` (`//` in PHP/JS) on the anchor line or
the line above; `# noqa: RC201` in Python. A bare `ignore` (or bare `noqa`) covers every code."""
from __future__ import annotations

import re

from redcaplint.findings import Finding
from redcaplint.source import Document

DIRECTIVE = re.compile(r"(?:#|//)\s*redcaplint:\s*ignore(?:\[([A-Za-z0-9,\s]*)\])?", re.I)
NOQA = re.compile(r"#\s*noqa(?::\s*([A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*))?", re.I)
ALL = "*"


def directives(source: Document, language: str) -> dict[int, set[str]]:
    """1-based line → codes suppressed there (ALL for everything)."""
    text = source.text
    if "redcaplint" not in text and "noqa" not in text:
        return {}
    out: dict[int, set[str]] = {}
    for line_no in range(1, source.line_count + 1):
        line = source.line_text(line_no)
        if "redcaplint" not in line and "noqa" not in line:
            continue
        codes: set[str] = set()
        for m in DIRECTIVE.finditer(line):
            codes |= _codes(m.group(1))
        if language == "python":
            for m in NOQA.finditer(line):
                codes |= _codes(m.group(1))
        if codes:
            out[line_no] = codes
    return out


def _codes(group) -> set[str]:
    if group is None or not group.strip():
        return {ALL}
    return {c.strip().upper() for c in re.split(r"[\s,]+", group) if c.strip()}


def is_suppressed(finding: Finding, table: dict[int, set[str]]) -> bool:
    for line in (finding.line, finding.line - 1):
        codes = table.get(line)
        if codes and (ALL in codes or finding.code in codes):
            return True
    return False
