"""R Markdown and Quarto: the knitr chunks are code, the prose is not.

Each ```` ```{r …} ```` chunk is parsed on its own, with every other character of the
document blanked (newlines kept), so positions are the document's own and a broken chunk
gets RC001 for that chunk while the others are still linted. The chunks are merged into one
Script, so a helper defined in one chunk and called in a loop in a later one is seen.
```` ```{python} ```` chunks become a second Script, built by the Python front end. Plain
```` ```r ```` fences are Markdown, not knitr code; chunk options (`#|`, `eval=FALSE`) change
nothing: every chunk is linted.
"""
from __future__ import annotations

import re

from redcaplint.model import Script, Span
from redcaplint.source import Source

LANGUAGE = "rmarkdown"
CHUNK_OPEN = re.compile(r"^[ \t>]*(`{3,})[ \t]*\{[ \t]*([A-Za-z]+)\b[^}]*\}[ \t]*$")
_NOT_NEWLINE = re.compile(r"[^\n]")


def chunks(text: str) -> list[tuple[str, int, int]]:
    """(engine, start offset, end offset) of each knitr chunk's code."""
    out = []
    pos = 0
    lines = text.splitlines(keepends=True)
    i = 0
    offsets = []
    for line in lines:
        offsets.append(pos)
        pos += len(line)
    offsets.append(pos)
    while i < len(lines):
        m = CHUNK_OPEN.match(lines[i].rstrip("\r\n"))
        if not m:
            i += 1
            continue
        fence, engine = m.group(1), m.group(2).lower()
        j = i + 1
        while j < len(lines) and not re.match(r"^[ \t>]*" + fence + r"`*[ \t]*$", lines[j].rstrip("\r\n")):
            j += 1
        out.append((engine, offsets[i + 1], offsets[min(j, len(lines))]))
        i = j + 1
    return out


def blank_except(text: str, start: int, end: int) -> str:
    """`text` with everything outside [start, end) turned into spaces (newlines kept)."""
    return _NOT_NEWLINE.sub(" ", text[:start]) + text[start:end] + _NOT_NEWLINE.sub(" ", text[end:])


def merge(source: Source, language: str, parts: list[Script], regions: list[Span]) -> Script:
    merged = Script(source, language)
    merged.token_regions = regions
    for part in parts:
        if part.syntax_error is not None:
            merged.region_errors.append(part.syntax_error)
            continue
        for name in ("functions", "loops", "assigns", "calls", "sleeps", "outputs", "dispatches",
                     "options", "strings"):
            getattr(merged, name).extend(getattr(part, name))
        merged.region_errors.extend(part.region_errors)
    return merged


def build(source: Source) -> list[Script]:
    from redcaplint.frontends import python, r

    text = source.text
    found = chunks(text)
    scripts = []
    r_chunks = [(s, e) for engine, s, e in found if engine == "r"]
    py_chunks = [(s, e) for engine, s, e in found if engine == "python"]
    if r_chunks or not py_chunks:
        packages = r.packages_of("".join(text[s:e] for s, e in r_chunks))
        parts, next_id = [], 0
        for s, e in r_chunks:
            part = r.build(source, blank_except(text, s, e), next_id, packages)
            next_id += len(part.functions)
            parts.append(part)
        scripts.append(merge(source, "r", parts, [Span(s, e) for s, e in r_chunks]))
    if py_chunks:
        parts, next_id = [], 0
        for s, e in py_chunks:
            part = python.build(source, blank_except(text, s, e), next_id)
            next_id += len(part.functions)
            parts.append(part)
        scripts.append(merge(source, "python", parts, [Span(s, e) for s, e in py_chunks]))
    return scripts
