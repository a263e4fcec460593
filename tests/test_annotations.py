"""Every annotation in fixtures/ and ../shared/examples must hold: one case per file, so a
failure names the file. Files whose language has no front end yet are skipped *with that
reason* (never passed silently); so is ../shared/examples when it is absent."""
from pathlib import Path

import pytest
from annotations import compare, keyed, parse, parse_notebook
from conftest import ROOT, shared_examples

from redcaplint.config import Config
from redcaplint.engine import lint_file
from redcaplint.frontends import EXTENSIONS, has_front_end, language_of
from redcaplint.registry import all_rules, enabled


def _files():
    roots = [("fixtures", ROOT / "fixtures"), ("demo", ROOT / "redcaplint" / "demo"),
             ("examples", shared_examples())]
    out = []
    for label, root in roots:
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            wanted = path.suffix.lower() in EXTENSIONS or "text" in path.relative_to(root).parts
            if wanted and path.is_file() and "fixes" not in path.parts:
                out.append(pytest.param(path, id=f"{label}/{path.relative_to(root)}"))
    return out


FILES = _files()


def test_there_are_fixtures():
    assert len(FILES) >= 20


def test_shared_examples_present():
    if not shared_examples().is_dir():
        pytest.skip(f"{shared_examples()} is absent: its annotations are not checked in this run")
    assert any("examples/" in p.id for p in FILES)


@pytest.mark.parametrize("path", FILES)
def test_annotations_hold(path: Path):
    language = language_of(str(path))
    if not has_front_end(language):
        pytest.skip(f"{language} front end not written yet")
    text = path.read_text(encoding="utf-8")
    exp = parse_notebook(text) if language == "notebook" else parse(text)
    unknown = exp.codes - set(all_rules())
    assert not unknown, f"unknown rule codes in annotations: {unknown}"
    rules = enabled(["ALL"], [])
    result = lint_file(str(path), str(path), language, Config(), rules)
    assert result.notice is None, result.notice
    found = {keyed(f) for f in result.findings}
    problems = compare(exp, found)
    assert not problems, f"{path.name}:\n  " + "\n  ".join(problems)
