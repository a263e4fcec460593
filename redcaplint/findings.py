"""Findings and fixes (ruff's model: a fix declares its applicability)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional


@dataclass(frozen=True)
class Edit:
    start: int  # character offsets into the file's text
    end: int
    content: str


@dataclass(frozen=True)
class Fix:
    applicability: str  # "safe", "unsafe" or "suggestion" (text only, no edits)
    description: str
    edits: tuple[Edit, ...] = ()


@dataclass
class Finding:
    code: str
    name: str
    severity: str
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    message: str
    fix: Optional[Fix] = None
    start: int = 0
    end: int = 0
    cell: Optional[int] = None
    extra: dict = field(default_factory=dict)
    cell_type: Optional[str] = None  # a notebook's markdown or raw cell (`cell` counts all cells)
    fingerprint: str = ""  # stable identity (engine.fingerprint): baselines, SARIF, GitLab

    def sort_key(self) -> tuple:
        return (self.path, self.start, self.line, self.column, self.code)
