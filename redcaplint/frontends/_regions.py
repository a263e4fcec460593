"""Documents made of several code regions (knitr chunks, notebook cells): each region is
parsed on its own (a broken one gets RC001 for itself while the others are still linted) and
the parts are merged into one Script per language, so a helper defined in one region and
called in a later one is seen."""
from __future__ import annotations

from dataclasses import fields

from redcaplint.model import Script
from redcaplint.source import Document, Region

# the Script fields that are lists of facts (everything but the document, the language and
# the syntax error): merged by concatenation, whatever facts the model grows
_FACTS = [f.name for f in fields(Script)
          if f.name not in ("source", "language", "syntax_error", "region_errors", "imports", "import_at")]


def merge(source: Document, language: str, parts: list[Script]) -> Script:
    merged = Script(source, language)
    for part in parts:
        if part.syntax_error is not None:
            merged.region_errors.append(part.syntax_error)
            continue
        for name in _FACTS:
            getattr(merged, name).extend(getattr(part, name))
        merged.region_errors.extend(part.region_errors)
        merged.imports |= part.imports
        if merged.import_at is None:
            merged.import_at = part.import_at
    return merged


def build_regions(doc: Document, language: str, regions: list[Region], build_one) -> Script:
    """`build_one(doc, start, end, first_id)` per region, in order, function ids kept unique."""
    parts, next_id = [], 0
    for region in regions:
        part = build_one(doc, region.start, region.end, next_id)
        next_id += len(part.functions)
        parts.append(part)
    return merge(doc, language, parts)
