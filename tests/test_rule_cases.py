"""Fixit-style: every rule's VALID and INVALID cases, beside the rule, are executed here."""
import pytest
from annotations import compare, parse

from redcaplint.config import Config
from redcaplint.engine import lint_text
from redcaplint.fixes import apply_fixes
from redcaplint.frontends import language_of
from redcaplint.registry import all_rules

RULES = list(all_rules().values())


def _cases(kind):
    out = []
    for rule in RULES:
        for i, case in enumerate(getattr(rule, kind)):
            out.append(pytest.param(rule, case, id=f"{rule.code}-{kind.lower()}-{i}"))
    return out


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_every_rule_has_cases(rule):
    assert rule.VALID and rule.INVALID, f"{rule.code} needs VALID and INVALID cases"


@pytest.mark.parametrize("rule,case", _cases("VALID"))
def test_valid_case(rule, case):
    result = lint_text(case.code, case.filename, language_of(case.filename), Config(), [rule])
    assert [f for f in result.findings if f.code == rule.code] == []


@pytest.mark.parametrize("rule,case", _cases("INVALID"))
def test_invalid_case(rule, case):
    result = lint_text(case.code, case.filename, language_of(case.filename), Config(), [rule])
    exp = parse(case.code)
    assert any(code == rule.code for _, code in exp.ruleid), "an INVALID case must annotate its finding"
    found = {(f.line, f.code) for f in result.findings}
    assert compare(exp, found) == []


EDITING = ("safe", "unsafe")  # a rule whose fix edits the source


def _lint(rule, code, filename):
    return lint_text(code, filename, language_of(filename), Config(), [rule])


@pytest.mark.parametrize("rule,case", _cases("INVALID"))
def test_invalid_case_fix_message_and_range(rule, case):
    """Fixit's validate_patch: each case states what the fix makes of it, and the rule's
    declared fix kind is what it emits."""
    findings = [f for f in _lint(rule, case.code, case.filename).findings if f.code == rule.code]
    assert findings
    first = findings[0]
    if case.message is not None:
        assert first.message == case.message
    if case.highlight is not None:
        assert case.code[first.start:first.end] == case.highlight
    kinds = {f.fix.applicability for f in findings if f.fix is not None and f.fix.edits}
    assert all(f.fix.applicability == "suggestion" for f in findings if f.fix is not None and not f.fix.edits), \
        "a fix without edits is a suggestion"
    if rule.fix in EDITING:
        assert case.fixed is not None, f"{rule.code} declares a {rule.fix} fix: its INVALID cases state `fixed`"
        # `fixed` equal to the source: a shape the fix is not sure of, described instead
        expected = set() if case.fixed == case.code else {rule.fix}
        assert kinds == expected, f"{rule.code} declares a {rule.fix} fix but emits {kinds or 'none'}"
        fixed, applied = apply_fixes(case.code, findings, unsafe=True)
        assert fixed == case.fixed
        again = _lint(rule, fixed, case.filename)
        assert not any(f.code == "RC001" for f in again.findings), "the fixed source must still parse"
        assert apply_fixes(fixed, again.findings, unsafe=True)[0] == fixed, "a second pass changes nothing"
    else:
        assert not kinds, f"{rule.code} declares fix = {rule.fix!r} but emits edits"
        assert case.fixed is None
        if rule.fix == "suggestion":
            assert all(f.fix is not None for f in findings), f"{rule.code} declares a suggestion for every finding"


@pytest.mark.parametrize("rule", [r for r in RULES if r.fix in EDITING], ids=lambda r: r.code)
def test_every_fixing_rule_fixes_one_of_its_cases(rule):
    assert any(c.fixed is not None and c.fixed != c.code for c in rule.INVALID)


def test_apply_fixes_skips_overlapping_edits():
    from redcaplint.findings import Edit, Finding, Fix

    def finding(*edits):
        return Finding("RC104", "x", "error", "p", 1, 1, 1, 1, "m", Fix("safe", "d", edits))

    text = "abcdef"
    out, applied = apply_fixes(text, [finding(Edit(1, 3, "X")), finding(Edit(2, 4, "Y")), finding(Edit(5, 5, "!"))])
    assert out == "aXde!f"
    assert len(applied) == 2
