"""Front-end registry: a file's language decides which front end builds its Script.

The contract of a front end module: `LANGUAGE` and `build(source) -> Script`, never raising
for bad input (a syntax error becomes `Script.syntax_error`)."""
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
    ".php": "php", ".js": "javascript", ".mjs": "javascript", ".cjs": "javascript",
    ".sh": "shell", ".bash": "shell", ".ipynb": "notebook",
}
FRONT_ENDS = {"python": "redcaplint.frontends.python", "r": "redcaplint.frontends.r",
              "rmarkdown": "redcaplint.frontends.rmarkdown"}
SHEBANG = re.compile(rb"^#!.*\b(python[0-9.]*|Rscript|bash|sh|php|node)\b")
SHEBANG_LANG = {b"python": "python", b"Rscript": "r", b"bash": "shell", b"sh": "shell",
                b"php": "php", b"node": "javascript"}


def language_of(path: str, head: Optional[bytes] = None) -> Optional[str]:
    ext = os.path.splitext(path)[1].lower()
    if ext:
        return EXTENSIONS.get(ext)
    if head:
        m = SHEBANG.match(head)
        if m:
            word = re.sub(rb"[0-9.]+$", b"", m.group(1))
            return SHEBANG_LANG.get(word)
    return None


def supported(language: Optional[str]) -> bool:
    return language in FRONT_ENDS


def front_end(language: str) -> ModuleType:
    return importlib.import_module(FRONT_ENDS[language])
