"""Source text and the mapping between character offsets and 1-based line/column.

Every model element carries a Span of character offsets into `Source.text`; only output
converts them to lines and columns, so front ends and rules never count lines.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field


@dataclass
class Source:
    path: str
    text: str
    _starts: list[int] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        starts = [0]
        find = self.text.find
        i = find("\n")
        while i != -1:
            starts.append(i + 1)
            i = find("\n", i + 1)
        self._starts = starts

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a character offset."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1

    def line_text(self, line: int) -> str:
        """The text of a 1-based line, without its line break."""
        if line < 1 or line > len(self._starts):
            return ""
        start = self._starts[line - 1]
        end = self._starts[line] - 1 if line < len(self._starts) else len(self.text)
        return self.text[start:end].rstrip("\r")

    def line_start(self, line: int) -> int:
        return self._starts[max(0, min(line, len(self._starts)) - 1)]

    @property
    def line_count(self) -> int:
        return len(self._starts)
