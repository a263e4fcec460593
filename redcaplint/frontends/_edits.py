"""Text edits front ends offer to fixes, by the shape of the language's blocks and argument
lists: append a statement to a loop's block, add an argument before a call's closing
parenthesis. Each returns None where the source is not in a shape the edit is sure of
(a one-line block, a call without parentheses): the fix is then described, not applied."""
from __future__ import annotations

from typing import Optional

from redcaplint.findings import Edit
from redcaplint.model import Span


def append_to_indented_block(text: str, block: Span, statement: str) -> Optional[Edit]:
    """Python: a new last line of the suite, at the indentation of its first statement."""
    line_start = text.rfind("\n", 0, block.start) + 1
    if text[line_start:block.start].strip():
        return None  # `for x in xs: call()`: the suite shares the header's line
    indent = text[line_start:block.start]
    nl = text.find("\n", block.end)
    at = len(text) if nl < 0 else nl
    if text[at - 1:at] == "\r":
        at -= 1
    if text[block.end:at].rstrip().endswith("\\"):
        return None
    return Edit(at, at, "\n" + indent + statement)


def append_before_closing(text: str, block: Span, closing: str, statement: str) -> Optional[Edit]:
    """`{ … }` (R, PHP, JavaScript, Java), `do … done` (shell), `do … end` (Ruby): a new line
    before the closing token, indented like the block's first line. Only when the closing
    token is alone on its line."""
    if not text.startswith(closing, block.end - len(closing)):
        return None
    close = block.end - len(closing)
    line_start = text.rfind("\n", block.start, close) + 1
    if line_start == 0 or text[line_start:close].strip():
        return None
    body_start = text.find("\n", block.start, close) + 1  # the line after the opening one
    inner = [ln for ln in text[body_start:line_start].splitlines() if ln.strip()] if body_start else []
    if inner:
        first = inner[0]
        indent = first[:len(first) - len(first.lstrip(" \t"))]
    else:
        indent = text[line_start:close] + "    "
    return Edit(line_start, line_start, indent + statement + "\n")


def add_argument(text: str, call: Span, argument: str) -> Optional[Edit]:
    """A last argument before the call's closing parenthesis, with its comma."""
    if text[call.end - 1:call.end] != ")":
        return None
    inside = text[call.start:call.end - 1].rstrip()
    if inside.endswith(","):
        sep = " " if not inside.endswith("(,") else ""
    else:
        sep = "" if inside.endswith("(") else ", "
    at = call.start + len(inside)
    return Edit(at, at, f"{sep}{argument}")


def append_words(text: str, command: Span, words: str) -> Optional[Edit]:
    """Shell: options added at the end of a command line (before a trailing `\\`-less end)."""
    end = command.end
    if text[end - 1:end] == "\\":
        return None
    return Edit(end, end, " " + words)


INSECURE_WORDS = ("-k", "--insecure", "--no-check-certificate")


def drop_option(text: str, word: Span) -> Optional[Edit]:
    """Shell: a TLS-off flag removed with one blank beside it (`curl -k -d …` → `curl -d …`);
    in a cluster of short flags only its letter (`-sSk` → `-sS`)."""
    flag = text[word.start:word.end]
    if flag in INSECURE_WORDS:
        if word.start > 0 and text[word.start - 1] in " \t":
            return Edit(word.start - 1, word.end, "")
        if text[word.end:word.end + 1] in (" ", "\t"):
            return Edit(word.start, word.end + 1, "")
        return None
    if flag.startswith("-") and not flag.startswith("--") and flag[1:].isalpha() and flag.count("k") == 1:
        at = word.start + flag.index("k")
        return Edit(at, at + 1, "")
    return None
