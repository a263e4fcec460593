"""SARIF 2.1.0 in the subset GitHub code scanning reads: one run, the tool with every rule and
its documentation, results with one physical location relative to %SRCROOT%, the engine's
fingerprint as `partialFingerprints`, fixes as replacements, and in-source suppressions when
asked for. Messages and snippets arrive masked from the engine."""
from __future__ import annotations

import json

from redcaplint import __version__

# GitHub rejects a run with more results than this (code scanning's documented limit)
GITHUB_MAX_RESULTS = 25_000
LEVELS = {"error": "error", "warning": "warning", "note": "note"}
# GitHub ranks security alerts by this CVSS-like score (0–10); the other rules are quality
SECURITY_SEVERITY = {"RC101": "9.0", "RC102": "7.5", "RC103": "6.5", "RC104": "7.5", "RC105": "5.0"}
INFORMATION_URI = "https://github.com/redcaplint/redcaplint"


class TooManyResults(Exception):
    pass


def _rules():
    from redcaplint.cli import render_rule_doc
    from redcaplint.registry import all_rules

    out = []
    for code, rule in all_rules().items():
        what = rule.doc_sections().get("What it does", "").replace("\n", " ").strip()
        short = what.split(". ")[0].rstrip(".") + "."
        doc = render_rule_doc(rule)
        tags = ["security"] if code in SECURITY_SEVERITY else ["reliability"]
        entry = {
            "id": code,
            "name": rule.name,
            "shortDescription": {"text": short},
            "fullDescription": {"text": what or short},
            "help": {"text": doc, "markdown": doc},
            "helpUri": f"{INFORMATION_URI}#rules",
            "defaultConfiguration": {"level": LEVELS.get(rule.severity, "warning")},
            "properties": {"tags": tags, "precision": "high"},
        }
        if code in SECURITY_SEVERITY:
            entry["properties"]["security-severity"] = SECURITY_SEVERITY[code]
        out.append(entry)
    return out


def _region(line: int, column: int, end_line: int, end_column: int) -> dict:
    region = {"startLine": line, "startColumn": column}
    if (end_line, end_column) > (line, column):
        region["endLine"], region["endColumn"] = end_line, end_column
    return region


def _artifact(path: str) -> dict:
    """A URI relative to %SRCROOT% (the folder of the run) where the file is under it, else an
    absolute file URI."""
    import os
    from pathlib import Path
    from urllib.parse import quote

    p = Path(path)
    if p.is_absolute():
        try:
            p = p.relative_to(Path.cwd())
        except ValueError:
            return {"uri": p.as_uri()}
    return {"uri": quote(p.as_posix().replace(os.sep, "/")), "uriBaseId": "%SRCROOT%"}


def _result(f, index: dict, suppressed: bool) -> dict:
    artifact = _artifact(f.path)
    message = f.message
    if f.cell is not None:
        # a notebook: the region's lines count within the cell, which the message names
        message = f"{message} (cell {f.cell}{', ' + f.cell_type if f.cell_type else ''}, line {f.line})"
    result = {
        "ruleId": f.code,
        "ruleIndex": index[f.code],
        "level": LEVELS.get(f.severity, "warning"),
        "message": {"text": message},
        "locations": [{"physicalLocation": {
            "artifactLocation": artifact,
            "region": _region(f.line, f.column, f.end_line, f.end_column),
        }}],
        "partialFingerprints": {"redcaplint/v1": f.fingerprint},
    }
    snippet = f.extra.get("source")
    if snippet and f.cell is None:
        result["locations"][0]["physicalLocation"]["region"]["snippet"] = {"text": "\n".join(snippet)}
    if f.cell is not None:
        result["properties"] = {"cell": f.cell, **({"cell_type": f.cell_type} if f.cell_type else {})}
    regions = f.extra.get("edit_regions")
    if f.fix is not None and f.fix.edits and regions:
        result["fixes"] = [{
            "description": {"text": f.fix.description},
            "artifactChanges": [{
                "artifactLocation": artifact,
                "replacements": [{
                    "deletedRegion": {"startLine": sl, "startColumn": sc, "endLine": el, "endColumn": ec},
                    "insertedContent": {"text": e.content},
                } for e, (sl, sc, el, ec) in zip(f.fix.edits, regions)],
            }],
        }]
    if suppressed:
        result["suppressions"] = [{"kind": "inSource"}]
    return result


def document(findings, suppressed=()) -> dict:
    if len(findings) + len(suppressed) > GITHUB_MAX_RESULTS:
        raise TooManyResults(f"{len(findings) + len(suppressed)} results: GitHub code scanning accepts at most "
                             f"{GITHUB_MAX_RESULTS} per run (narrow the paths or --select, or use a baseline)")
    rules = _rules()
    index = {r["id"]: i for i, r in enumerate(rules)}
    results = [_result(f, index, False) for f in findings] + [_result(f, index, True) for f in suppressed]
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "redcaplint",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": rules,
            }},
            "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "The folder redcaplint was run from"}}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }


def write(findings, stream, color: bool = False, suppressed=(), **_) -> None:
    json.dump(document(findings, suppressed), stream, indent=2, ensure_ascii=False)
    stream.write("\n")
