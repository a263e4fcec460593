"""Every other text file a run selects (`.env`, `.md`, `.txt`, `.json`, `.yaml`, `.Rd`,
`.credentials`, files without an extension, and — until their front ends exist — PHP,
JavaScript, shell and notebooks): no code model, only the document, which RC101 scans with the
same token reading as in code (a token context is a token-like key or variable before `=`/`:`)."""
from __future__ import annotations

from redcaplint.model import Script
from redcaplint.source import Document

LANGUAGE = "text"
RULES = ("RC101", "RC002", "RC003")  # no other rule applies to a file without a code model


def build(doc: Document) -> Script:
    return Script(doc, LANGUAGE)
