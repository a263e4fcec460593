"""Formatters: name → function(findings, stream, options). Every formatter receives findings
that the engine has already masked; none of them reads source files."""
from __future__ import annotations

FORMATS = ("text", "concise", "json")


def formatter(name: str):
    if name == "text":
        from redcaplint.output.text import write
    elif name == "concise":
        from redcaplint.output.concise import write
    elif name == "json":
        from redcaplint.output.json import write
    else:
        raise ValueError(name)
    return write
