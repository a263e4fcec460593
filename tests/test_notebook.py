"""Notebooks: positions per cell, what is not a notebook, IPython syntax, output formats."""
import json

import pytest

from redcaplint.config import Config
from redcaplint.engine import lint_text
from redcaplint.registry import enabled

FAKE = "0123456789ABCDEF0123456789ABCDEF"


def nb(*cells, nbformat=4, kernel="python"):
    return json.dumps({"cells": list(cells), "nbformat": nbformat, "nbformat_minor": 5,
                       "metadata": {"kernelspec": {"language": kernel, "name": kernel}}})


def code(src, outputs=()):
    return {"cell_type": "code", "metadata": {}, "outputs": list(outputs), "source": src}


def lint(text):
    return lint_text(text, "n.ipynb", "notebook", Config(), enabled(["ALL"], []))


@pytest.mark.parametrize("text,why", [
    ("", "invalid JSON"),
    ("{\"cells\": [", "invalid JSON"),
    ("[]", "no list of cells"),
    ("{}", "no list of cells"),
    (nb(code("x = 1\n"), nbformat=3), "nbformat 3"),
])
def test_not_a_notebook_is_rc001_with_the_reason(text, why):
    result = lint(text)
    assert result.linted
    assert [f.code for f in result.findings] == ["RC001"]
    assert why in result.findings[0].message and result.findings[0].cell is None


def test_invalid_json_still_gets_the_token_scan():
    result = lint('{"cells": [{"source": "TOKEN = \'' + FAKE + '\'"')
    assert sorted(f.code for f in result.findings) == ["RC001", "RC101"]


def test_no_cells_is_linted_and_clean():
    result = lint(nb())
    assert result.linted and result.findings == []


def test_positions_are_per_code_cell_and_markdown_cells_count_all_cells():
    text = nb({"cell_type": "markdown", "metadata": {}, "source": ["intro\n", f"token: {FAKE}\n"]},
              code("import os\n"),
              code(["x = 1\n", f"TOKEN = '{FAKE}'\n"]))
    found = sorted((f.cell, f.cell_type, f.line, f.column) for f in lint(text).findings)
    assert found == [(1, "markdown", 2, 8), (2, None, 2, 10)]


def test_output_token_is_on_the_last_line_of_its_cell():
    out = {"output_type": "stream", "name": "stdout", "text": [f"token {FAKE}\n"]}
    text = nb(code("a = 1\nb = 2\nprint(b)", [out]))
    [f] = lint(text).findings
    assert (f.code, f.cell, f.line, f.column) == ("RC101", 1, 3, 1)
    assert FAKE not in "".join(f.extra["source"])  # the snippet (the output line) is masked


def test_ipython_lines_are_not_syntax_errors_but_python2_is():
    text = nb(code("%matplotlib inline\n!pip install pycap\nx = !ls\nlen?\n??len\n"),
              code("print 'old'\n"),
              code("%%html\n<b>not python</b>\n"))
    [f] = lint(text).findings
    assert (f.code, f.cell, f.line) == ("RC001", 2, 1)


def test_helper_in_one_cell_called_in_a_loop_in_another():
    text = nb(code("import requests, os\ndef pull(i):\n    return requests.post('https://redcap.example.edu/api/', "
                   "data={'token': os.environ['REDCAP_API_TOKEN'], 'content': 'version'}, timeout=9)\n"),
              code("for i in range(3):\n    pull(i)\n"))
    [f] = lint(text).findings
    assert (f.code, f.cell, f.line) == ("RC201", 2, 2)


def test_fixes_in_a_notebook_are_described_not_offered_as_edits():
    [f] = lint(nb(code(f"TOKEN = '{FAKE}'\n"))).findings
    assert f.fix is not None and f.fix.edits == () and f.fix.applicability == "suggestion"


def test_text_and_json_output_name_the_cell(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "n.ipynb"
    path.write_text(nb({"cell_type": "raw", "metadata": {}, "source": f"k = {FAKE}"}, code(f"T = '{FAKE}'\n")))
    run = lambda fmt: subprocess.run([sys.executable, "-m", "redcaplint", "check", "--isolated",  # noqa: E731
                                      "--output-format", fmt, str(path)], capture_output=True, text=True)
    concise = run("concise").stdout
    assert f"{path}:cell 1 (raw):1:5: RC101" in concise and f"{path}:cell 1:1:6: RC101" in concise
    data = json.loads(run("json").stdout)
    assert sorted((d["cell"], d.get("cell_type", "")) for d in data) == [(1, ""), (1, "raw")]
    assert FAKE not in concise and FAKE not in json.dumps(data)


def test_a_kernel_redcaplint_does_not_model_gets_the_token_scan_and_never_passes(tmp_path):
    import subprocess
    import sys

    text = nb(code(f'let token = "{FAKE}"\nlet records = Api.export token\n'), kernel="C#")
    result = lint(text)
    assert [f.code for f in result.findings] == ["RC101"]
    assert result.scan_only and "C#".lower() in result.notice and "token scan" in result.notice
    clean = tmp_path / "clean.ipynb"
    clean.write_text(nb(code("let x = 1\n"), kernel="julia"))
    run = subprocess.run([sys.executable, "-m", "redcaplint", "check", "--isolated", str(clean)],
                         capture_output=True, text=True)
    assert "All checks passed" not in run.stdout and "token scan only" in run.stdout
    assert "julia kernel" in run.stderr
    # a Python notebook is modelled: no notice
    assert lint(nb(code("x = 1\n"))).notice is None
