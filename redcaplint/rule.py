"""The Rule base class. A rule is one small unit: its code and name, its documentation in
ruff's sections, its VALID/INVALID cases beside it (Fixit), and one `check` that reads only
the script model and reports on spans."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, ClassVar, Optional

from redcaplint.findings import Edit, Fix
from redcaplint.model import Span

if TYPE_CHECKING:
    from redcaplint.config import Config
    from redcaplint.model import Script
    from redcaplint.resolve import Analysis, Facts

SECTIONS = ("What it does", "Why is this bad", "Example", "Use instead")


@dataclass
class Case:
    """A VALID or INVALID case: source text and the file name that picks its language. In
    INVALID cases a `ruleid:` annotation marks the line of each expected finding, and (as
    Fixit's `validate_patch` checks) `highlight` is the exact text the first finding covers,
    `message` its message, and `fixed` the source once the rule's fixes (unsafe ones too) are
    applied; a rule that declares a fix must state `fixed` for every INVALID case."""

    code: str
    filename: str = "case.py"
    fixed: Optional[str] = None
    message: Optional[str] = None
    highlight: Optional[str] = None


class Rule:
    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[str] = "warning"
    fix: ClassVar[str] = "none"  # safe, unsafe, suggestion, none
    # a rule whose fix is advice: the text every finding carries where `check` gives no Fix
    suggestion: ClassVar[Optional[str]] = None
    default_enabled: ClassVar[bool] = True  # False: only when a selector names it (not ALL)
    VALID: ClassVar[list[Case]] = []
    INVALID: ClassVar[list[Case]] = []

    def __init__(self, ctx: "RuleContext") -> None:
        self.ctx = ctx

    def check(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def report(self, span: Span, message: str, fix: Optional[Fix] = None) -> None:
        if fix is None and self.suggestion is not None:
            fix = Fix("suggestion", self.suggestion)
        self.ctx.report(self, span, message, fix)

    @classmethod
    def doc_sections(cls) -> dict[str, str]:
        """Split the docstring into its `## Section` parts."""
        doc = (cls.__doc__ or "").strip("\n")
        lines = [ln[4:] if ln.startswith("    ") else ln for ln in doc.splitlines()]
        sections: dict[str, list[str]] = {}
        current = None
        for line in lines:
            if line.startswith("## "):
                current = line[3:].strip()
                sections[current] = []
            elif current is not None:
                sections[current].append(line)
        return {k: "\n".join(v).strip("\n") for k, v in sections.items()}


@dataclass
class RuleContext:
    script: "Script"
    facts: "Facts"
    analysis: "Analysis"
    config: "Config"
    report: Callable

    def spelling(self, key: str):
        """How the script's language writes something a fix needs, from its front end's
        SPELLINGS; None where it has none. Rules never keep a per-language table.
        Expressions: `env_token`, `json_encode` and `list_of` (templates around `{}`),
        `sleep` (`{:g}` seconds), `true_of` (false literal -> true literal); each may name the
        module it needs (`<key>_module`). Edits: `append_statement(text, block, statement)`,
        `add_argument(text, call_span, argument)`, returning an Edit or None."""
        from redcaplint.frontends import front_end

        return getattr(front_end(self.script.language), "SPELLINGS", {}).get(key)

    def import_edits(self, key: str) -> Optional[tuple[Edit, ...]]:
        """The edit that imports the module spelling `key` needs: () when none is needed or
        the file already imports it, None when the language's import cannot be placed."""
        module = self.spelling(f"{key}_module")
        if module is None or module in self.script.imports:
            return ()
        template, at = self.spelling("import"), self.script.import_at
        if template is None or at is None:
            return None
        return (Edit(at, at, template.format(module)),)
