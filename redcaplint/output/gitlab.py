"""GitLab Code Quality report (a JSON array): what the merge request widget reads."""
from __future__ import annotations

import json

SEVERITY = {"error": "critical", "warning": "major", "note": "info"}


def write(findings, stream, color: bool = False, **_) -> None:
    report = [{
        "description": f"{f.code} {f.message}" + (f" (cell {f.cell})" if f.cell is not None else ""),
        "check_name": f"{f.code} {f.name}",
        "fingerprint": f.fingerprint,
        "severity": SEVERITY.get(f.severity, "minor"),
        "location": {"path": f.path.replace("\\", "/"), "lines": {"begin": f.line, "end": f.end_line}},
    } for f in findings]
    json.dump(report, stream, indent=2, ensure_ascii=False)
    stream.write("\n")
