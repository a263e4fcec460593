from redcaplint.config import Config
from redcaplint.engine import lint_text
from redcaplint.registry import all_rules

RULES = list(all_rules().values())
TOKEN = "0123456789ABCDEF0123456789ABCDEF"


def codes(text):
    return [(f.line, f.code) for f in lint_text(text, "x.py", "python", Config(), RULES).findings]


def test_same_line_and_line_above():
    assert codes(f'T = "{TOKEN}"  # redcaplint: ignore[RC101]\n') == []
    assert codes(f'# redcaplint: ignore[RC101]\nT = "{TOKEN}"\n') == []
    assert codes(f'# redcaplint: ignore[RC201]\nT = "{TOKEN}"\n') == [(2, "RC101")]


def test_bare_ignore_and_noqa():
    assert codes(f'T = "{TOKEN}"  # redcaplint: ignore\n') == []
    assert codes(f'T = "{TOKEN}"  # noqa: RC101\n') == []
    assert codes(f'T = "{TOKEN}"  # noqa: E501\n') == [(1, "RC101")]


def test_suppression_counted():
    result = lint_text(f'T = "{TOKEN}"  # redcaplint: ignore[RC101]\n', "x.py", "python", Config(), RULES)
    assert result.suppressed == 1
