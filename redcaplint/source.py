"""The document layer: a file's text, its regions, and the map from character offsets back to
what a user sees (cell, line, column).

Every model element carries a Span of character offsets into `Document.text`; only the engine
converts them, through `locate`, so front ends and rules never count lines. A document whose
code is not its whole text (R Markdown chunks, notebook cells, later PHP's `<?php` islands)
is a new builder of regions, nothing more: front ends parse a region at a time.
"""
from __future__ import annotations

import bisect
from itertools import accumulate
from dataclasses import dataclass, field
from typing import NamedTuple, Optional


class Region(NamedTuple):
    """[start, end) of the text: `code` in `language`, `prose` (Markdown; a notebook's
    markdown or raw cell, `language` saying which), `output` (a notebook cell's outputs,
    shown on the last line of the cell's source), or `inline`: code of another language inside
    a cell (a notebook's `!curl …` line, shell)."""

    kind: str
    start: int
    end: int
    language: Optional[str] = None
    cell: Optional[int] = None  # 1-based, for documents made of cells


class Location(NamedTuple):
    cell: Optional[int]
    line: int  # 1-based, within the cell when there is one
    column: int  # 1-based, in characters
    cell_type: Optional[str] = None  # a notebook's markdown or raw cell (code cells: None)


@dataclass
class Document:
    path: str
    text: str
    regions: list[Region] = field(default_factory=list)
    # the text front ends parse, when it differs from what is shown (a notebook's IPython
    # magics set aside): the same length, so every offset means the same place
    code: Optional[str] = None
    cells: bool = False  # positions are reported per cell (notebooks)
    problem: Optional[tuple[int, str]] = None  # not readable as its format: (offset, why) for RC001
    # why some of its code is only scanned for tokens (a notebook whose kernel is no language
    # redcaplint models): said as the file's notice, so the file never counts as passed
    partial: Optional[str] = None
    _starts: list[int] = field(default_factory=list, repr=False)
    _region_starts: list[int] = field(default_factory=list, repr=False)
    _shown: list[Region] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        if not self.regions:
            self.regions = [Region("code", 0, len(self.text))]

    @property
    def code_text(self) -> str:
        return self.text if self.code is None else self.code

    def code_regions(self, language: Optional[str] = None) -> list[Region]:
        return [r for r in self.regions if r.kind == "code" and (language is None or r.language == language)]

    def locate(self, offset: int) -> Location:
        """Where a character offset is shown: the cell (None for plain files), the line and
        the column. The one place reported positions come from."""
        line, col = self.line_col(offset)
        if not self.cells:
            return Location(None, line, col)
        if not self._region_starts:
            # the regions a user sees (cells); `inline` ones (a notebook's `!curl` line) lie inside them
            self._shown = [r for r in self.regions if r.kind != "inline"]
            self._region_starts = [r.start for r in self._shown]
        i = max(0, bisect.bisect_right(self._region_starts, offset) - 1)
        region = self._shown[i]
        first = self.line_col(region.start)[0]
        if region.kind == "output":
            # an output is shown on its cell: the last line of the cell's source
            code = next((r for r in reversed(self._shown[:i]) if r.kind == "code" and r.cell == region.cell), None)
            last = self.line_col(max(code.start, code.end - 1))[0] - self.line_col(code.start)[0] + 1 if code else 1
            return Location(region.cell, last, 1)
        return Location(region.cell, line - first + 1, col, region.language if region.kind == "prose" else None)

    @property
    def starts(self) -> list[int]:
        """Line start offsets, computed on first use (most files have no finding)."""
        if not self._starts:
            # each line's length plus its break, summed: C loops only (a match object per
            # line cost more than the rest of a finding's position)
            lines = self.text.split("\n")
            lines.pop()
            self._starts = list(accumulate(map((1).__add__, map(len, lines)), initial=0))
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
