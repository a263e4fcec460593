"""Fixit-style: every rule's VALID and INVALID cases, beside the rule, are executed here."""
import pytest
from annotations import compare, parse

from redcaplint.config import Config
from redcaplint.engine import lint_text
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
