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
