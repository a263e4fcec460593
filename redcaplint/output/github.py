"""GitHub Actions workflow commands: one annotation per finding on the pull request's diff."""
from __future__ import annotations

LEVELS = {"error": "error", "warning": "warning", "note": "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def write(findings, stream, color: bool = False, **_) -> None:
    for f in findings:
        where = f"cell {f.cell}: " if f.cell is not None else ""
        props = (f"file={_property(f.path)},line={f.line},col={f.column},"
                 f"endLine={f.end_line},endColumn={f.end_column},title={_property(f.code + ' ' + f.name)}")
        stream.write(f"::{LEVELS.get(f.severity, 'warning')} {props}::{_data(where + f.message)}\n")
