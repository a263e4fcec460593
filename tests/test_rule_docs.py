import re
import subprocess
import sys

import pytest
from conftest import ROOT

from redcaplint.cli import render_rule_doc, rules_markdown
from redcaplint.registry import all_rules
from redcaplint.rule import SECTIONS

CATALOG = {
    "RC001": "parse-error", "RC101": "hardcoded-token", "RC102": "token-exposed",
    "RC103": "token-in-url", "RC104": "tls-verification-disabled", "RC105": "plaintext-endpoint",
    "RC201": "loop-without-sleep", "RC202": "sleep-below-policy", "RC203": "concurrent-api-calls",
    "RC301": "payload-not-list", "RC302": "data-not-json-encoded", "RC304": "data-parameter-mismatch",
    "RC305": "invalid-api-parameter", "RC401": "unbatched-export", "RC402": "export-rate",
    "RC501": "missing-timeout", "RC601": "destructive-operation",
}
RULES = list(all_rules().values())


def test_catalog_codes_and_names_are_fixed():
    got = {code: rule.name for code, rule in all_rules().items()}
    for code, name in CATALOG.items():
        assert got.get(code) == name


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_module_name_matches_code_and_name(rule):
    module = rule.__module__.rsplit(".", 1)[1]
    assert module == f"{rule.code.lower()}_{rule.name.replace('-', '_')}"


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_documentation_sections(rule):
    sections = rule.doc_sections()
    for title in SECTIONS:
        assert sections.get(title, "").strip(), f"{rule.code}: empty {title}"
    if rule.fix in ("safe", "unsafe"):
        assert sections.get("Fix safety", "").strip(), f"{rule.code} has a fix: it needs Fix safety"
    assert rule.severity in ("error", "warning", "note")


def test_readme_rule_table_is_in_sync():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = re.search(r"<!-- rules:start -->\n(.*?)\n<!-- rules:end -->", readme, re.S).group(1)
    assert table == rules_markdown(), "run `redcaplint rules --markdown` and paste it into README.md"


def test_readme_opens_with_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```[a-z]*\n(.*?)```", readme, re.S).group(1)
    lines = [ln for ln in block.splitlines() if ln.strip() and not ln.strip().startswith("#")]
    assert len(lines) == 2 and "redcaplint demo" in lines[0] and "pytest" in lines[1]


def test_rule_command_prints_sections():
    out = subprocess.run([sys.executable, "-m", "redcaplint", "rule", "RC201"], capture_output=True, text=True)
    assert out.returncode == 0
    for title in SECTIONS + ("Fix safety",):
        assert f"## {title}" in out.stdout
    assert out.stdout == render_rule_doc(all_rules()["RC201"]) + "\n"


def _annotated_languages() -> dict[str, set[str]]:
    """The languages in which some fixture or example expects each rule (`ruleid:`); notebooks
    and R Markdown are Python and R."""
    import re

    from conftest import ROOT, shared_examples

    from redcaplint.frontends import language_of

    container = {"notebook": None, "rmarkdown": "r", "text": None}
    found: dict[str, set[str]] = {}
    for root in (ROOT / "fixtures", shared_examples()):
        if not root.is_dir():
            continue
        for path in root.rglob("*"):
            language = language_of(path.name) if path.is_file() else None
            language = container.get(language, language)
            if language is None:
                continue
            for group in re.findall(r"(?<!todo)ruleid:\s*([A-Z0-9, ]+)", path.read_text(errors="replace")):
                for code in re.findall(r"RC\d{3}", group):
                    found.setdefault(code, set()).add(language)
    return found


def test_rule_docs_show_an_example_in_each_language_the_rule_applies_to():
    from redcaplint.cli import LANGUAGE_NAMES, render_rule_doc
    from redcaplint.frontends import language_of

    missing = []
    for code, languages in sorted(_annotated_languages().items()):
        rule = all_rules()[code]
        have = {language_of(c.filename) for c in rule.INVALID}
        missing += [f"{code}: {lang}" for lang in sorted(languages - have)]
        doc = render_rule_doc(rule)
        for lang in languages & have:
            assert f"{LANGUAGE_NAMES[lang]}:" in doc, (code, lang)
        assert "ruleid:" not in doc
    assert not missing, "INVALID cases (the docs' examples) missing for " + ", ".join(missing)
