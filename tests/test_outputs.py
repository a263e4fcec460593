"""Snapshot tests of every output format on the same findings (a masked token, an RC001
file, a safe and an unsafe fix). Update with `pytest --snapshot-update` after review."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
TOKENS = ("0123456789ABCDEF0123456789ABCDEF", "FEDCBA9876543210FEDCBA9876543210")


def run(*args):
    return subprocess.run([sys.executable, "-m", "redcaplint", "check", "--isolated", "--no-color", "-j", "1", *args],
                          capture_output=True, text=True, cwd=DATA, env={"NO_COLOR": "1", "PATH": ""})


@pytest.mark.parametrize("fmt", ["text", "concise", "json"])
def test_output_snapshot(fmt, snapshot):
    snapshot.snapshot_dir = Path(__file__).parent / "snapshots"
    out = run("--output-format", fmt, "sample.py", "broken.py")
    assert out.returncode == 1
    snapshot.assert_match(out.stdout, f"sample.{fmt}.txt")


@pytest.mark.parametrize("fmt", ["text", "concise", "json"])
def test_no_token_in_any_output(fmt):
    out = run("--output-format", fmt, "sample.py", "broken.py")
    for token in TOKENS:
        assert token not in out.stdout and token not in out.stderr
        assert token[:4] + "…" + token[-4:] in out.stdout


def test_json_fields():
    out = run("--output-format", "json", "sample.py")
    findings = json.loads(out.stdout)
    assert findings, "sample.py has findings"
    for f in findings:
        for key in ("code", "name", "path", "line", "column", "end_line", "end_column", "severity", "message", "fix"):
            assert key in f
        assert f["line"] >= 1 and f["column"] >= 1
        if f["fix"] is not None:
            assert f["fix"]["applicability"] in ("safe", "unsafe", "suggestion")
    codes = {f["code"] for f in findings}
    assert {"RC101", "RC102", "RC104", "RC105", "RC201", "RC305", "RC501"} <= codes
    rc105 = next(f for f in findings if f["code"] == "RC105")
    assert rc105["fix"]["edits"][0]["content"] == "https://"


def test_statistics_marks_fixable():
    out = run("--statistics", "--output-format", "concise", "sample.py")
    lines = [ln for ln in out.stdout.splitlines() if "\tRC" in ln]
    by_code = {ln.split("\t")[1]: ln for ln in lines}
    assert "[*]" in by_code["RC105"] and "[~]" in by_code["RC101"]
