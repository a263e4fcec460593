"""Language coverage: R skipped once, with the reason, where no grammar loads; R Markdown
positions are those of the whole document; the R grammar is registered once per process."""
import json
import os
import subprocess
import sys

TOKEN = "0123456789ABCDEF0123456789ABCDEF"


def run(args, env=None, cwd=None):
    full = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "redcaplint", "check", "--isolated", *args],
                          capture_output=True, text=True, env=full, cwd=cwd)


def test_r_skipped_once_without_grammar(tmp_path):
    (tmp_path / "a.py").write_text(f'TOKEN = "{TOKEN}"\n')
    for name in ("b.R", "c.R"):
        (tmp_path / name).write_text('token <- Sys.getenv("T")\n')
    (tmp_path / "d.Rmd").write_text('```{r}\ntoken <- Sys.getenv("T")\n```\n')
    out = run(["--output-format", "concise", "-j", "1", str(tmp_path)],
              env={"REDCAPLINT_R_GRAMMAR": str(tmp_path / "missing.so")})
    assert out.returncode == 1
    assert "a.py:1:10: RC101" in out.stdout
    skipped = [ln for ln in out.stderr.splitlines() if "skipped" in ln]
    assert len(skipped) == 1 and "no R grammar" in skipped[0] and "3 files skipped" in skipped[0], out.stderr
    assert "Traceback" not in out.stderr and "panic" not in out.stderr.lower()


def test_r_findings_with_grammar(tmp_path):
    (tmp_path / "a.R").write_text(f'token <- "{TOKEN}"\nfor (i in ids) REDCapR::redcap_read_oneshot(redcap_uri = u, token = token)\n')
    out = run(["--output-format", "json", str(tmp_path / "a.R")])
    codes = sorted((f["line"], f["code"]) for f in json.loads(out.stdout))
    assert codes == [(1, "RC101"), (2, "RC201"), (2, "RC401"), (2, "RC402")]


def test_rmd_lines_are_document_lines(tmp_path):
    doc = "---\ntitle: x\n---\n\nSome prose.\n\n```{r}\nx <- 1\ntoken <- \"" + TOKEN + "\"\n```\n"
    (tmp_path / "r.Rmd").write_text(doc)
    out = run(["--output-format", "json", str(tmp_path / "r.Rmd")])
    assert [(f["code"], f["line"]) for f in json.loads(out.stdout)] == [("RC101", 9)]


def test_grammar_registered_once():
    from redcaplint.frontends import _grammars

    assert _grammars.ensure("r") is None
    assert _grammars.ensure("r") is None  # a second call does not register again
    root = _grammars.parse("x <- 1", "r")
    assert root.kind() == "program"
