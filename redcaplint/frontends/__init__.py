"""Front-end registry: a file's language decides which front end builds its Script.

The contract of a front end module: `LANGUAGE`, `build(document) -> Script` (or a list, one
per language of a mixed document), never raising for bad input (a syntax error becomes
`Script.syntax_error`), and optionally `document(path, text) -> Document` when its code is
not the whole text (R Markdown chunks). Every file that is not of a language with a front end
is `text`: the token scan (RC101) still reads it."""
from __future__ import annotations

import importlib
import os
import re
from types import ModuleType
from typing import Optional

# extension → language; languages whose front end is not written yet are listed so the CLI
# can say why it skipped a file instead of silently ignoring it
EXTENSIONS = {
    ".py": "python", ".pyw": "python",
    ".r": "r", ".rmd": "rmarkdown", ".qmd": "rmarkdown",
    ".php": "php", ".phtml": "php", ".js": "javascript", ".mjs": "javascript", ".cjs": "javascript", ".jsx": "javascript",
    ".ts": "javascript", ".mts": "javascript", ".cts": "javascript", ".tsx": "javascript",
    ".rb": "ruby", ".java": "java", ".pl": "perl", ".pm": "perl",
    ".sh": "shell", ".bash": "shell", ".zsh": "shell", ".ksh": "shell", ".ipynb": "notebook",
}
FRONT_ENDS = {"python": "redcaplint.frontends.python", "r": "redcaplint.frontends.r",
              "rmarkdown": "redcaplint.frontends.rmarkdown", "notebook": "redcaplint.frontends.notebook",
              "shell": "redcaplint.frontends.shell", "php": "redcaplint.frontends.php",
              "javascript": "redcaplint.frontends.javascript", "ruby": "redcaplint.frontends.ruby",
              "java": "redcaplint.frontends.java", "perl": "redcaplint.frontends.perl",
              "text": "redcaplint.frontends.text"}
# files never read: their formats hold no script text (reading them only costs time)
BINARY_EXTENSIONS = frozenset(
    ".png .jpg .jpeg .gif .bmp .ico .tif .tiff .webp .pdf .zip .gz .tgz .bz2 .xz .7z .tar .jar .whl "
    ".so .dylib .dll .exe .o .a .pyc .pyo .class .rds .rdata .rda .sav .dta .sas7bdat .xpt .parquet "
    ".feather .xlsx .xls .docx .doc .pptx .ppt .odt .ods .mp3 .mp4 .mov .avi .wav .woff .woff2 .ttf "
    ".otf .eot .db .sqlite .sqlite3 .h5 .hdf5 .npy .npz .pkl .pickle".split())
SHEBANG = re.compile(rb"^#!.*\b(python[0-9.]*|Rscript|bash|sh|zsh|ksh|dash|php|node|ruby|perl)\b")
SHEBANG_LANG = {b"python": "python", b"Rscript": "r", b"bash": "shell", b"sh": "shell", b"zsh": "shell",
                b"ksh": "shell", b"dash": "shell", b"php": "php", b"node": "javascript",
                b"ruby": "ruby", b"perl": "perl"}


def language_of(path: str, head: Optional[bytes] = None) -> Optional[str]:
    """The language by extension, else by shebang; `text` for every other file; None for
    formats that are never read (images, archives, data files)."""
    ext = os.path.splitext(path)[1].lower()
    if ext in EXTENSIONS:
        return EXTENSIONS[ext]
    if ext in BINARY_EXTENSIONS:
        return None
    if not ext and head:
        m = SHEBANG.match(head)
        if m:
            word = re.sub(rb"[0-9.]+$", b"", m.group(1))
            return SHEBANG_LANG.get(word, "text")
    return "text"


def has_front_end(language: Optional[str]) -> bool:
    return language in FRONT_ENDS


# What the language-neutral resolver needs to know of a language's library idioms; a front
# end's IDIOMS override these (empty) defaults.
IDIOM_DEFAULTS = {
    "string_methods": frozenset(),  # methods whose result is the receiver's text, transformed
    "form_encoders": frozenset(),  # functions (last name part) that form-encode a mapping
    "pair_views": frozenset(),  # methods that view a mapping as its pairs (`d.items()`)
    "response_body": frozenset(),  # a response's attributes/methods that give its body
    "adapter_mount": None,  # the session method that mounts a transport adapter
    "pool_width": frozenset(),  # keywords that set a pool's number of workers
    "ranges": frozenset(),  # functions whose result is a counted range (`range(3)`)
    "collection_adds": frozenset(),  # methods that add their argument to a list (`tasks.append(t)`)
}


def idioms(language: str) -> dict:
    return {**IDIOM_DEFAULTS, **getattr(front_end(language), "IDIOMS", {})}


def front_end(language: str) -> ModuleType:
    """The module that builds `language`'s Script; the text front end for a language whose
    front end is not written yet (its files still get the token scan)."""
    return importlib.import_module(FRONT_ENDS.get(language, FRONT_ENDS["text"]))
