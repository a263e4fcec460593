"""semgrep-style fixture annotations: `# ruleid: RC201` above the anchor line means a finding
of that rule must be reported on the next code line; `# ok: RC201` means none may be. Any
finding on a line that no `ruleid` expects is a false positive. Shared by the fixture tests
and the rules' own VALID/INVALID cases."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

# `#` (Python, R, shell), `//` (PHP, JS), `<!-- … -->` (Markdown prose)
ANNOTATION = re.compile(r"^\s*(?:#|//|<!--)\s*(ruleid|ok|todoruleid)\s*:\s*([A-Z]{2}\d{3}(?:\s*,\s*[A-Z]{2}\d{3})*)\s*(?:-->)?\s*$")


@dataclass
class Expectations:
    ruleid: set[tuple[int, str]] = field(default_factory=set)
    ok: set[tuple[int, str]] = field(default_factory=set)
    codes: set[str] = field(default_factory=set)


def parse(text: str) -> Expectations:
    exp = Expectations()
    pending: list[tuple[str, list[str]]] = []
    for number, line in enumerate(text.splitlines(), 1):
        m = ANNOTATION.match(line)
        if m:
            pending.append((m.group(1), [c.strip() for c in m.group(2).split(",")]))
            continue
        if pending and line.strip():
            for kind, codes in pending:
                for code in codes:
                    exp.codes.add(code)
                    if kind == "ruleid":
                        exp.ruleid.add((number, code))
                    elif kind == "ok":
                        exp.ok.add((number, code))
            pending = []
    return exp


def parse_notebook(text: str) -> Expectations:
    """A notebook's annotations, per cell: lines are keyed ("code", n) for the n-th code cell
    and (cell_type, n) for the n-th cell of all, as findings are reported (see `keyed`)."""
    import json

    exp = Expectations()
    code = 0
    for number, cell in enumerate(json.loads(text).get("cells", []), 1):
        kind = cell.get("cell_type")
        if kind == "code":
            code += 1
        key = ("code", code) if kind == "code" else (kind, number)
        src = cell.get("source", "")
        part = parse("".join(src) if isinstance(src, list) else src)
        exp.codes |= part.codes
        exp.ruleid |= {((key, line), c) for line, c in part.ruleid}
        exp.ok |= {((key, line), c) for line, c in part.ok}
    return exp


def keyed(finding) -> tuple:
    """A finding's annotation key: its line, or (cell, line) in a notebook."""
    if finding.cell is None:
        return (finding.line, finding.code)
    return (((finding.cell_type or "code", finding.cell), finding.line), finding.code)


def compare(exp: Expectations, found: set[tuple[int, str]]) -> list[str]:
    """Problems as readable lines; empty when every annotation holds."""
    problems = []
    for line, code in sorted(exp.ruleid - found):
        problems.append(f"missed: {code} expected on line {line}")
    for line, code in sorted(found - exp.ruleid):
        tag = "forbidden by `ok`" if (line, code) in exp.ok else "unexpected"
        problems.append(f"false positive ({tag}): {code} on line {line}")
    return problems
