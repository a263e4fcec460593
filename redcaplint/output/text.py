"""ruff-style full text: location, code, message, the source line with a caret, the fix."""
from redcaplint.output.concise import location, marker

STYLE = {"error": "bold red", "warning": "bold yellow", "note": "bold cyan"}


def write(findings, stream, color: bool = False, **_) -> None:
    console = None
    if color:
        from rich.console import Console

        # the caller decided (--color, FORCE_COLOR, a terminal): rich must not second-guess a pipe
        console = Console(file=stream, highlight=False, soft_wrap=True, force_terminal=True)

    def emit(text: str, style: str | None = None) -> None:
        if console is not None:
            console.print(text, style=style, markup=False)
        else:
            stream.write(text + "\n")

    for f in findings:
        emit(f"{location(f)}: {f.code} {marker(f)}{f.message}", STYLE.get(f.severity))
        lines = f.extra.get("source") or []
        if lines:
            width = len(str(f.line + len(lines) - 1))
            emit(f"{' ' * width} |")
            first = lines[0]
            emit(f"{str(f.line).rjust(width)} | {first}")
            start, end = f.extra.get("caret") or (f.column - 1, len(first))
            caret = " " * start + "^" * max(1, min(end, len(first)) - start)
            emit(f"{' ' * width} | {caret}", "bold red" if color else None)
        if f.fix is not None:
            label = {"safe": "fix", "unsafe": "unsafe fix"}.get(f.fix.applicability, "help") if f.fix.edits else "help"
            emit(f"{' ' * max(1, len(str(f.line)))} = {label}: {f.fix.description}")
        emit("")
