import json


def as_dict(f) -> dict:
    fix = None
    if f.fix is not None:
        fix = {
            "applicability": f.fix.applicability,
            "message": f.fix.description,
            "edits": [{"start": e.start, "end": e.end, "content": e.content} for e in f.fix.edits],
        }
    out = {
        "code": f.code,
        "name": f.name,
        "path": f.path,
        "line": f.line,
        "column": f.column,
        "end_line": f.end_line,
        "end_column": f.end_column,
        "severity": f.severity,
        "message": f.message,
        "fix": fix,
    }
    if f.cell is not None:
        out["cell"] = f.cell
    if f.cell_type is not None:
        out["cell_type"] = f.cell_type
    return out


def write(findings, stream, color: bool = False, **_) -> None:
    json.dump([as_dict(f) for f in findings], stream, indent=2, ensure_ascii=False)
    stream.write("\n")
