def marker(f) -> str:
    if f.fix is None or not f.fix.edits:
        return ""
    return "[*] " if f.fix.applicability == "safe" else "[~] "


def location(f) -> str:
    cell = f"[cell {f.cell}]" if f.cell else ""
    return f"{f.path}{cell}:{f.line}:{f.column}"


def write(findings, stream, color: bool = False) -> None:
    for f in findings:
        stream.write(f"{location(f)}: {f.code} {marker(f)}{f.message}\n")
