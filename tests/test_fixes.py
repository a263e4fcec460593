"""Fixes people can trust, on every fixture and example: applying every fix (unsafe ones too)
converges within a few passes, never breaks parsing, and leaves no finding it claimed to fix
at the same place. A property of the whole corpus, not of one rule's cases."""
import pytest
from test_annotations import FILES

from redcaplint.config import Config
from redcaplint.engine import lint_text
from redcaplint.files import read_text
from redcaplint.fixes import apply_fixes
from redcaplint.frontends import has_front_end, language_of
from redcaplint.registry import enabled

RULES = enabled(["ALL"], [])
MAX_PASSES = 4


@pytest.mark.parametrize("path", FILES)
def test_fixes_converge_and_keep_the_file_parsing(path):
    language = language_of(path.name)
    if not has_front_end(language) or path.suffix == ".ipynb":
        pytest.skip("no edits are offered here (token scan only, or a notebook's JSON)")
    text, notice = read_text(str(path))
    assert text is not None, notice
    before = lint_text(text, path.name, language, Config(), RULES)
    broken_before = any(f.code == "RC001" for f in before.findings)
    findings = before.findings
    for _ in range(MAX_PASSES):
        text, applied = apply_fixes(text, findings, unsafe=True)
        result = lint_text(text, path.name, language, Config(), RULES)
        assert not result.error, result.notice
        if not broken_before:
            assert not any(f.code == "RC001" for f in result.findings), f"a fix broke parsing:\n{text}"
        findings = result.findings
        if not applied:
            break
    else:
        pytest.fail(f"fixes still change the file after {MAX_PASSES} passes")
