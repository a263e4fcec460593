def marker(f) -> str:
    if f.fix is None or not f.fix.edits:
        return ""
    return "[*] " if f.fix.applicability == "safe" else "[~] "


def location(f) -> str:
    # `notebook.ipynb:cell 3:2:5` (a markdown cell: `cell 4 (markdown)`)
    cell = f":cell {f.cell}" + (f" ({f.cell_type})" if f.cell_type else "") if f.cell else ""
    return f"{f.path}{cell}:{f.line}:{f.column}"


def write(findings, stream, color: bool = False, **_) -> None:
    for f in findings:
        stream.write(f"{location(f)}: {f.code} {marker(f)}{f.message}\n")
