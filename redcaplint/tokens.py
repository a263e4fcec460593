"""What a REDCap token looks like, and the one place that masks tokens before any output.

A project token is upper-cased MD5 hex (32 [0-9A-F]); a super token upper-cased SHA-256 hex
(64). A token is a maximal run of exactly 32 or 64 hex characters not adjacent to other
letters or digits (rules.md, RC101).
"""
from __future__ import annotations

import hashlib
import re

HEX_RUN = re.compile(r"(?<![0-9A-Za-z])(?:[0-9A-Fa-f]{64}|[0-9A-Fa-f]{32})(?![0-9A-Za-z])")
UPPER_HEX = re.compile(r"^[0-9A-F]+$")
# every byte → "h" (a hex digit) or "." (anything else): a hex run in the text is a run of "h"
# in the translated bytes (hex digits are ASCII, which UTF-8 never uses inside a multi-byte
# character). Translating and finding run in C at about 1 ns a byte; the regular expression,
# tried at every position, costs 50 ns a character — most of a file's RC101 scan and of every
# masked output line, which almost never hold a token.
_HEX_TABLE = bytes(0x68 if chr(b) in "0123456789abcdefABCDEF" else 0x2E for b in range(256))
_RUN_OF_32 = b"h" * 32


def may_hold_token(text: str) -> bool:
    """False only when the text has no run of 32 hex characters (so no token)."""
    return len(text) >= 32 and text.encode("utf-8", "surrogatepass").translate(_HEX_TABLE).find(_RUN_OF_32) >= 0


def hex_runs(text: str):
    """HEX_RUN's matches in text, found only where a run can be."""
    return HEX_RUN.finditer(text) if may_hold_token(text) else iter(())


def is_placeholder(value: str) -> bool:
    """`0000…`, `FFFF…`: fill patterns, not tokens."""
    return len(set(value.upper())) <= 1


def is_token_format(value: str) -> bool:
    """Exactly REDCap's format: upper-case hex of length 32 or 64, not only digits."""
    return (len(value) in (32, 64) and bool(UPPER_HEX.match(value)) and not value.isdigit()
            and not is_placeholder(value))


def is_token_literal(text: str) -> bool:
    """A string value that *is* a token (any case: it already sits where a token goes)."""
    text = text.strip()
    return len(text) in (32, 64) and HEX_RUN.fullmatch(text) is not None and not is_placeholder(text)


def mask(text: str) -> str:
    """Replace every 32/64-hex run with its first and last four characters."""
    if not text or not may_hold_token(text):
        return text
    return HEX_RUN.sub(lambda m: f"{m.group(0)[:4]}…{m.group(0)[-4:]}", text)


def mask_keeping(text: str, positions: tuple[int, ...]) -> tuple[str, tuple[int, ...]]:
    """`mask(text)`, and where each of `positions` (offsets into `text`) lands in the result:
    a caret under a masked token still points at it."""
    out, moved, last, shift = [], list(positions), 0, 0
    for m in hex_runs(text):
        a, b = m.span()
        short = f"{text[a:a + 4]}…{text[b - 4:b]}"
        out += [text[last:a], short]
        for i, p in enumerate(positions):
            if p >= b:
                moved[i] -= (b - a) - len(short)
            elif p > a:
                moved[i] = a - shift + len(short)
        shift += (b - a) - len(short)
        last = b
    out.append(text[last:])
    return "".join(out), tuple(moved)


def sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()
