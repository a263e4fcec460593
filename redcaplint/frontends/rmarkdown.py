"""R Markdown and Quarto: a Document whose code regions are the knitr chunks.

Each ```` ```{r …} ```` chunk is parsed on its own text (the cost of a document is linear in
its length, however many chunks it has), with spans in the document's offsets, so a broken
chunk gets RC001 for that chunk while the others are still linted. The chunks are merged into
one Script, so a helper defined in one chunk and called in a loop in a later one is seen.
```` ```{python} ```` chunks become a second Script, built by the Python front end, and
```` ```{bash} ````/```` ```{sh} ```` chunks a third, built by the shell front end. Plain
```` ```r ```` fences are Markdown, not knitr code; chunk options (`#|`, `eval=FALSE`) change
nothing: every chunk is linted. Prose is a region too: RC101 reads every region.
"""
from __future__ import annotations

import re

from redcaplint.model import Script
from redcaplint.source import Document, Region

LANGUAGE = "rmarkdown"
SHELL_ENGINES = {"bash", "sh", "zsh"}  # knitr runs these chunks with the shell
CHUNK_OPEN = re.compile(r"^[ \t>]*(`{3,})[ \t]*\{[ \t]*([A-Za-z]+)\b[^}]*\}[ \t]*$")


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


def document(path: str, text: str) -> Document:
    """The regions of an R Markdown / Quarto file: prose between chunks, and each chunk's code."""
    regions, pos = [], 0
    for engine, start, end in chunks(text):
        if start > pos:
            regions.append(Region("prose", pos, start))
        regions.append(Region("code", start, end, "shell" if engine in SHELL_ENGINES else engine))
        pos = end
    if pos < len(text) or not regions:
        regions.append(Region("prose", pos, len(text)))
    return Document(path, text, regions)


def build(doc: Document) -> list[Script]:
    from redcaplint.frontends import python, r
    from redcaplint.frontends._regions import build_regions

    text = doc.code_text
    r_chunks = doc.code_regions("r")
    py_chunks = doc.code_regions("python")
    scripts = []
    if r_chunks or not py_chunks:
        packages = r.packages_of("".join(text[c.start:c.end] for c in r_chunks))
        scripts.append(build_regions(doc, "r", r_chunks,
                                     lambda d, s, e, i: r.build(d, s, e, i, packages)))
    if py_chunks:
        scripts.append(build_regions(doc, "python", py_chunks, python.build))
    sh_chunks = doc.code_regions("shell")
    if sh_chunks:
        from redcaplint.frontends import shell

        scripts.append(build_regions(doc, "shell", sh_chunks, shell.build))
    return scripts
