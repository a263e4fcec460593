"""Suppression exactly as the catalog says: a trailing directive applies to its own line, an
own-line directive to the next code line; prefixes; RC002 for malformed directives and unknown
codes (they suppress nothing); RC003 for unused ones (off by default, safe fix removes it).
Each case in every supported language's comment syntax."""
import pytest

from redcaplint.config import Config
from redcaplint.engine import lint_text
from redcaplint.registry import enabled

DEFAULT = enabled(["ALL"], [])
WITH_RC003 = enabled(["ALL", "RC003"], [])
TOKEN = "0123456789ABCDEF0123456789ABCDEF"
# (file name, language, a line assigning the token, a comment prefix)
LANGS = [("x.py", "python", f'T = "{TOKEN}"', "#"), ("x.R", "r", f'token <- "{TOKEN}"', "#"),
         ("x.env", "text", f"REDCAP_TOKEN={TOKEN}", "#")]


def found(text, name="x.py", language="python", rules=DEFAULT):
    return [(f.line, f.code) for f in lint_text(text, name, language, Config(), rules).findings]


@pytest.mark.parametrize("name,language,line,c", LANGS)
def test_trailing_and_own_line(name, language, line, c):
    assert found(f"{line}  {c} redcaplint: ignore[RC101]\n", name, language) == []
    assert found(f"{c} redcaplint: ignore[RC101]\n{line}\n", name, language) == []
    # an own-line directive reaches over comment lines and blank lines to the next code line
    assert found(f"{c} redcaplint: ignore[RC101]\n\n{c} why: a public demo token\n{line}\n", name, language) == []
    assert found(f"{c} redcaplint: ignore[RC201]\n{line}\n", name, language) == [(2, "RC101")]


@pytest.mark.parametrize("name,language,line,c", LANGS)
def test_trailing_directive_hides_nothing_on_the_next_line(name, language, line, c):
    text = f"{line}  {c} redcaplint: ignore[RC101]\n{line.replace('0123', '4567')}\n"
    assert found(text, name, language) == [(2, "RC101")]


@pytest.mark.parametrize("name,language,line,c", LANGS)
def test_prefixes_bare_and_reason(name, language, line, c):
    assert found(f"{line}  {c} redcaplint: ignore[RC1]\n", name, language) == []
    assert found(f"{line}  {c} redcaplint: ignore\n", name, language) == []
    assert found(f"{line}  {c} redcaplint: ignore[RC101] -- the documented demo token\n", name, language) == []


@pytest.mark.parametrize("name,language,line,c", LANGS)
@pytest.mark.parametrize("directive", ["redcaplint: ignore RC101", "redcaplint: ignore(RC101)",
                                       "redcaplint: ignore[RC999]", "redcaplint: ignore[]", "redcaplint: disable"])
def test_malformed_is_rc002_and_hides_nothing(name, language, line, c, directive):
    assert sorted(found(f"{line}  {c} {directive}\n", name, language)) == [(1, "RC002"), (1, "RC101")]


def test_noqa_in_python():
    assert found(f'T = "{TOKEN}"  # noqa: RC101\n') == []
    assert found(f'T = "{TOKEN}"  # noqa\n') == []
    assert found(f'T = "{TOKEN}"  # noqa: E501\n') == [(1, "RC101")]  # another linter's code
    assert sorted(found(f'T = "{TOKEN}"  # noqa: RC999\n')) == [(1, "RC002"), (1, "RC101")]
    assert found(f'token <- "{TOKEN}"  # noqa: RC101\n', "x.R", "r") == [(1, "RC101")]  # not R's


def test_suppression_counted():
    result = lint_text(f'T = "{TOKEN}"  # redcaplint: ignore[RC101]\n', "x.py", "python", Config(), DEFAULT)
    assert result.suppressed == 1


def test_unused_is_off_by_default_and_fixable():
    text = 'import os\nT = os.environ["T"]  # redcaplint: ignore[RC101]\n# redcaplint: ignore[RC1]\nU = 1\n'
    assert found(text) == []
    assert {r.code for r in DEFAULT}.isdisjoint({"RC003"}) and "RC003" in {r.code for r in WITH_RC003}
    result = lint_text(text, "x.py", "python", Config(), WITH_RC003)
    assert [(f.line, f.code) for f in result.findings] == [(2, "RC003"), (3, "RC003")]
    fixed = text
    for f in sorted(result.findings, key=lambda f: -f.fix.edits[0].start):
        (edit,) = f.fix.edits
        fixed = fixed[:edit.start] + edit.content + fixed[edit.end:]
    assert fixed == 'import os\nT = os.environ["T"]\nU = 1\n'


def test_used_and_disabled_rules_are_not_unused():
    assert found(f'T = "{TOKEN}"  # redcaplint: ignore[RC101]\n', rules=WITH_RC003) == []
    only = enabled(["RC003"], [])  # RC101 does not run: its directive cannot be judged
    assert found(f'T = "{TOKEN}"  # redcaplint: ignore[RC101]\n', rules=only) == []


def test_rmarkdown_chunk_directives():
    doc = f"Prose.\n\n```{{r}}\n# redcaplint: ignore[RC101]\ntoken <- \"{TOKEN}\"\nother <- \"{TOKEN[::-1]}\"\n```\n"
    assert found(doc, "x.Rmd", "rmarkdown") == [(6, "RC101")]
