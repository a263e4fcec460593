"""Jupyter notebooks (`.ipynb`, nbformat 4): a Document whose regions are the cells.

The document's text is the cells one after another — each code cell's source, then its
outputs, each markdown or raw cell's source — so every finding has one offset, and `locate`
turns it into what a user sees: the code cell's number among code cells and the line within
its source; an output's finding on the last line of its cell's source; a markdown or raw
cell's number among all cells with its `cell_type`. Code cells are linted as one script in
cell order (a helper defined in one cell and called in a loop in another is seen), each parsed
on its own, so a cell with Python 2 syntax gets RC001 while the others are still linted.

IPython syntax is set aside before parsing — line magics (`%matplotlib`), shell lines
(`!pip …`, `files = !ls`), help (`obj?`, `??obj`) and cell magics (`%%time` keeps its Python
body; `%%bash`, `%%html` … are not Python) — by turning the line into a comment of the same
length in the text the front ends parse (`Document.code`), so offsets are unchanged and the
snippets still show the real line. A `!curl …`/`!wget …` line is also an `inline` shell region,
linted by the shell front end. Reading is a plain JSON read (nbformat's schema is not
needed for this and would cost a second pass).
"""
from __future__ import annotations

import json
import re
from typing import Optional

from redcaplint.model import Script, SyntaxProblem
from redcaplint.source import Document, Region

LANGUAGE = "notebook"
# a line that is IPython, not Python: a magic, a shell escape, a help request
IPYTHON_LINE = re.compile(
    r"^[ \t]*(?:[%!]|\?\??[%\w.]|[\w.]+[ \t]*=[ \t]*[%!][\w]|[%\w.\[\]()]+[ \t]*\?\??[ \t]*$)")
# cell magics whose body is still Python
PYTHON_CELL_MAGICS = {"time", "timeit", "capture", "prun", "debug", "pypy", "python", "python3"}
KERNELS = {"python": "python", "python3": "python", "ipython": "python", "r": "r"}
MODELLED = {"python", "r"}  # kernels whose code cells are modelled (others: the token scan)
TEXT_MIME = ("text/", "application/json", "application/javascript")
SHELL_REQUEST = re.compile(r"\b(?:curl|wget)\b")


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    if isinstance(src, list):
        return "".join(s for s in src if isinstance(s, str))
    return src if isinstance(src, str) else ""


def _outputs_text(cell: dict) -> str:
    """What a cell printed or displayed, as text (tokens printed by a cell are saved here)."""
    parts: list[str] = []
    outputs = cell.get("outputs")
    for out in outputs if isinstance(outputs, list) else ():
        if not isinstance(out, dict):
            continue
        if "text" in out:
            parts.append(_joined(out["text"]))
        data = out.get("data")
        if isinstance(data, dict):
            for mime, value in data.items():
                if isinstance(mime, str) and mime.startswith(TEXT_MIME):
                    parts.append(value if isinstance(value, str) else
                                 _joined(value) if isinstance(value, list) else json.dumps(value))
        for key in ("ename", "evalue"):
            if isinstance(out.get(key), str):
                parts.append(out[key])
        if isinstance(out.get("traceback"), list):
            parts.append(_joined(out["traceback"]))
    return "\n".join(p for p in parts if p)


def _joined(value) -> str:
    if isinstance(value, list):
        return "".join(v for v in value if isinstance(v, str))
    return value if isinstance(value, str) else ""


def _kernel(nb: dict) -> Optional[str]:
    meta = nb.get("metadata") if isinstance(nb.get("metadata"), dict) else {}
    for key, field in (("kernelspec", "language"), ("language_info", "name"), ("kernelspec", "name")):
        entry = meta.get(key)
        if isinstance(entry, dict) and isinstance(entry.get(field), str):
            return KERNELS.get(entry[field].lower(), entry[field].lower())
    return "python"  # nbformat's default kernel


def _invalid(path: str, text: str, offset: int, message: str) -> Document:
    return Document(path, text, [Region("code", 0, len(text), LANGUAGE)],
                    problem=(offset, f"not a valid notebook: {message}"))


def document(path: str, text: str) -> Document:
    try:
        nb = json.loads(text)
    except (ValueError, RecursionError) as exc:
        return _invalid(path, text, getattr(exc, "pos", 0) or 0, f"invalid JSON ({getattr(exc, 'msg', 'unreadable')})")
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        return _invalid(path, text, 0, "no list of cells")
    if nb.get("nbformat") != 4:
        return _invalid(path, text, 0, f"nbformat {nb.get('nbformat')!r} (redcaplint reads nbformat 4)")
    kernel = _kernel(nb)
    shown: list[str] = []
    parsed: list[str] = []
    regions: list[Region] = []
    pos = 0
    code_index = 0

    def add(kind: str, body: str, language: Optional[str], cell: int, code: Optional[str] = None) -> None:
        nonlocal pos
        regions.append(Region(kind, pos, pos + len(body), language, cell))
        sep = "" if body.endswith("\n") else "\n"
        shown.append(body + sep)
        parsed.append((body if code is None else code) + sep)
        pos += len(body) + len(sep)

    for number, cell in enumerate(nb["cells"], 1):
        if not isinstance(cell, dict):
            continue
        kind, body = cell.get("cell_type"), _source(cell)
        if kind == "code":
            code_index += 1
            language, code, shell = _set_aside(body, kernel)
            start = pos
            add("code", body, language, code_index, code)
            for a, b in shell:
                regions.append(Region("inline", start + a, start + b, "shell", code_index))
            outputs = _outputs_text(cell)
            if outputs:
                add("output", outputs, None, code_index, " " * len(outputs))
        elif kind in ("markdown", "raw"):
            add("prose", body, kind, number, " " * len(body))
    text_shown = "".join(shown)
    unread = kernel not in MODELLED and any(r.kind == "code" and text_shown[r.start:r.end].strip() for r in regions)
    return Document(path, text_shown, regions or [Region("prose", 0, 0, "markdown", 1)],
                    code="".join(parsed), cells=True,
                    partial=f"a notebook of the {kernel} kernel: its code cells get only the token scan (RC101)"
                    if unread else None)


SHELL_CELL_MAGICS = {"bash", "sh", "zsh"}
R_CELL_MAGICS = {"R"}  # rpy2's `%%R [-i df -o out]`: the cell is R code in a Python notebook


def _set_aside(body: str, kernel: Optional[str]) -> tuple[Optional[str], str, list[tuple[int, int]]]:
    """The cell's language, its text with IPython-only lines turned into comments, and where
    its `!curl …`/`!wget …` lines are (linted as shell)."""
    lines = body.splitlines(keepends=True)
    language = kernel
    if lines and lines[0].lstrip().startswith("%%"):
        magic = lines[0].lstrip()[2:].split()
        if not magic or magic[0] not in PYTHON_CELL_MAGICS:
            language = "other"  # %%bash, %%html, %%writefile …: not this kernel's language
        if magic and magic[0] in R_CELL_MAGICS:
            # linted with the notebook's R cells; the magic line becomes an R comment
            i = len(lines[0]) - len(lines[0].lstrip())
            return "r", lines[0][:i] + "#" + lines[0][i + 1:] + "".join(lines[1:]), []
        if magic and (magic[0] in SHELL_CELL_MAGICS or magic[0] == "script" and magic[1:2] and
                      magic[1].rsplit("/", 1)[-1] in SHELL_CELL_MAGICS):
            # a %%bash cell is a shell script: its body (after the magic line) is linted as one
            return language, body, [(len(lines[0]), len(body))]
    out = []
    shell: list[tuple[int, int]] = []
    at = 0
    for line in lines:
        if IPYTHON_LINE.match(line):
            i = len(line) - len(line.lstrip())
            if line[i:i + 1] == "!" and SHELL_REQUEST.search(line):
                shell.append((at + i + 1, at + len(line.rstrip("\r\n"))))
            line = line[:i] + "#" + line[i + 1:]
        out.append(line)
        at += len(line)
    return language, "".join(out), shell


def build(doc: Document) -> list[Script]:
    from redcaplint.frontends import python, r
    from redcaplint.frontends._regions import build_regions

    if doc.problem is not None:
        script = Script(doc, "python")
        script.syntax_error = SyntaxProblem(*doc.problem)
        return [script]
    scripts = []
    py_cells, r_cells = doc.code_regions("python"), doc.code_regions("r")
    if py_cells or not r_cells:
        scripts.append(build_regions(doc, "python", py_cells, python.build))
    if r_cells:
        packages = r.packages_of("".join(doc.code_text[c.start:c.end] for c in r_cells))
        scripts.append(build_regions(doc, "r", r_cells, lambda d, s, e, i: r.build(d, s, e, i, packages)))
    shell_lines = [x for x in doc.regions if x.kind == "inline" and x.language == "shell"]
    if shell_lines:
        from redcaplint.frontends import shell

        # set aside, they never cause RC001 (rules.md): shell that does not parse is not linted
        lines = build_regions(doc, "shell", shell_lines, shell.build)
        lines.region_errors.clear()
        scripts.append(lines)
    return scripts
