"""The document layer: a file's text, its regions, and the map from character offsets back to
what a user sees (cell, line, column).

Every model element carries a Span of character offsets into `Document.text`; only the engine
converts them, through `locate`, so front ends and rules never count lines. A document whose
code is not its whole text (R Markdown chunks, later notebook cells and PHP's `<?php` islands)
is a new builder of regions, nothing more: front ends parse a region at a time.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import NamedTuple, Optional


class Region(NamedTuple):
    """[start, end) of the text: `code` in `language`, `prose` (Markdown), or `output`."""

    kind: str
    start: int
    end: int
    language: Optional[str] = None
    cell: Optional[int] = None  # 1-based, for documents made of cells


class Location(NamedTuple):
    cell: Optional[int]
    line: int  # 1-based, within the cell when there is one
    column: int  # 1-based, in characters


@dataclass
class Document:
    path: str
    text: str
    regions: list[Region] = field(default_factory=list)
    _starts: list[int] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        if not self.regions:
            self.regions = [Region("code", 0, len(self.text))]

    def code_regions(self, language: Optional[str] = None) -> list[Region]:
        return [r for r in self.regions if r.kind == "code" and (language is None or r.language == language)]

    def locate(self, offset: int) -> Location:
        """Where a character offset is shown: the cell (None for plain files), the line and
        the column. The one place reported positions come from."""
        line, col = self.line_col(offset)
        return Location(None, line, col)

    @property
    def starts(self) -> list[int]:
        """Line start offsets, computed on first use (most files have no finding)."""
        if not self._starts:
            import re

            self._starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
        return self._starts

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a character offset."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1

    def line_text(self, line: int) -> str:
        """The text of a 1-based line, without its line break."""
        if line < 1 or line > len(self.starts):
            return ""
        start = self.starts[line - 1]
        end = self.starts[line] - 1 if line < len(self.starts) else len(self.text)
        return self.text[start:end].rstrip("\r")

    def line_start(self, line: int) -> int:
        return self.starts[max(0, min(line, len(self.starts)) - 1)]

    @property
    def line_count(self) -> int:
        return len(self.starts)
