"""The choke point in front of stdout and stderr: everything the process writes — findings,
notices, errors, argparse's own messages, paths that hold a token — passes through `mask`.

The streams are line-buffered here so that a token written in two pieces (a formatter that
writes a line in parts) is still seen whole; a flush writes the pending part masked, so a
progress counter that ends in `\\r` still shows.
"""
from __future__ import annotations

import io
import sys
from typing import TextIO

from redcaplint.tokens import mask


class MaskingStream(io.TextIOBase):
    def __init__(self, inner: TextIO) -> None:
        super().__init__()
        self.inner = inner
        self.pending = ""

    # what formatters and rich ask of a stream
    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.inner, "encoding", "utf-8")

    def isatty(self) -> bool:
        return self.inner.isatty()

    def fileno(self) -> int:
        return self.inner.fileno()

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        data = self.pending + text
        cut = data.rfind("\n") + 1
        if len(data) - cut > 65536:
            # a huge line without a break: bound the buffer, cutting where no token can
            # straddle (a token is at most 64 characters and not adjacent to letters or digits)
            cut = len(data) - 64
            back = cut
            while back > cut - 65 and data[back - 1].isalnum():
                back -= 1
            if back > cut - 65:
                cut = back
        self.pending = data[cut:]
        if cut:
            self.inner.write(mask(data[:cut]))
        return len(text)

    def flush(self) -> None:
        if self.pending:
            pending, self.pending = self.pending, ""
            self.inner.write(mask(pending))
        self.inner.flush()


def install() -> None:
    """Wrap sys.stdout / sys.stderr (once). Unencodable characters are escaped, never raised:
    a file name that is not UTF-8 must not crash a report."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is None or isinstance(stream, MaskingStream):
            continue
        try:
            stream.reconfigure(errors="backslashreplace")
        except (AttributeError, ValueError, OSError):
            pass
        setattr(sys, name, MaskingStream(stream))
