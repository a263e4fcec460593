"""JUnit XML (what most CI systems render as test results): one test case per checked file,
one failure per finding; a file without findings is a passing case."""
from __future__ import annotations

from xml.etree import ElementTree as ET


def write(findings, stream, color: bool = False, files=(), **_) -> None:
    by_file: dict[str, list] = {path: [] for path in files}
    for f in findings:
        by_file.setdefault(f.path, []).append(f)
    suite = ET.Element("testsuite", name="redcaplint", tests=str(len(by_file)),
                       failures=str(sum(1 for fs in by_file.values() if fs)), errors="0")
    for path in sorted(by_file):
        case = ET.SubElement(suite, "testcase", classname="redcaplint", name=path, file=path)
        for f in by_file[path]:
            where = f"cell {f.cell}, line {f.line}" if f.cell is not None else f"line {f.line}"
            failure = ET.SubElement(case, "failure", type=f.code, message=f"{f.code} {f.message}")
            failure.text = f"{path}:{where}:{f.column}: {f.code} {f.name}: {f.message}"
    root = ET.Element("testsuites")
    root.append(suite)
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n")
