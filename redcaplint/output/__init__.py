"""Formatters: name → function(findings, stream, color, suppressed=(), files=()). Every formatter
receives findings that the engine has already masked; none of them reads source files."""
from __future__ import annotations

import importlib

FORMATS = ("text", "concise", "json", "sarif", "github", "gitlab", "junit")
# formats that are one machine-read document: the summary goes to stderr, never into it
DOCUMENTS = ("json", "sarif", "gitlab", "junit")


def formatter(name: str):
    if name not in FORMATS:
        raise ValueError(name)
    return importlib.import_module(f"redcaplint.output.{name}").write
