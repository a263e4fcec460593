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


def compare(exp: Expectations, found: set[tuple[int, str]]) -> list[str]:
    """Problems as readable lines; empty when every annotation holds."""
    problems = []
    for line, code in sorted(exp.ruleid - found):
        problems.append(f"missed: {code} expected on line {line}")
    for line, code in sorted(found - exp.ruleid):
        tag = "forbidden by `ok`" if (line, code) in exp.ok else "unexpected"
        problems.append(f"false positive ({tag}): {code} on line {line}")
    return problems
