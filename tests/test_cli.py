import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
CLEAN = 'import os\nTOKEN = os.environ["REDCAP_API_TOKEN"]\n'


def run(*args, cwd=None, stdin=None, env=None):
    full_env = {k: v for k, v in os.environ.items() if k != "REDCAPLINT_OUTPUT_FORMAT"}
    full_env.update({"NO_COLOR": "1", **(env or {})})
    return subprocess.run([sys.executable, "-m", "redcaplint", *args], capture_output=True, text=True,
                          cwd=cwd, input=stdin, env=full_env)


def test_exit_0_when_clean(tmp_path):
    (tmp_path / "ok.py").write_text(CLEAN)
    out = run("check", str(tmp_path))
    assert out.returncode == 0, out.stderr
    assert "All checks passed" in out.stdout  # the summary follows the report on stdout, as ruff's


def test_exit_1_with_findings():
    out = run("check", "--isolated", str(DATA / "sample.py"))
    assert out.returncode == 1
    assert "RC201" in out.stdout


def test_default_path_is_cwd(tmp_path):
    (tmp_path / "bad.py").write_text('TOKEN = "0123456789ABCDEF0123456789ABCDEF"\n')
    out = run("check", cwd=tmp_path)
    assert out.returncode == 1 and "bad.py" in out.stdout


@pytest.mark.parametrize("args,needle", [
    (["check", "--select", "RC999"], "unknown rule code"),
    (["check", "--output-format", "xml"], "invalid choice"),
    (["check", "no/such/path.py"], "no such file"),
    (["check", "--jobs", "-1"], "--jobs"),
    (["rule", "RC999"], "unknown rule"),
    (["frobnicate"], "invalid choice"),
    (["check", "--config", "missing.toml"], "not found"),
])
def test_usage_errors_exit_2(args, needle, tmp_path):
    out = run(*args, cwd=tmp_path)
    assert out.returncode == 2
    assert needle in out.stderr
    assert "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


def test_version():
    out = run("--version")
    assert out.returncode == 0 and out.stdout.startswith("redcaplint ")


def test_select_and_ignore_prefixes():
    out = run("check", "--isolated", "--select", "RC1", "--ignore", "RC101", "--output-format", "json",
              str(DATA / "sample.py"))
    codes = {f["code"] for f in json.loads(out.stdout)}
    assert codes and all(c.startswith("RC1") for c in codes) and "RC101" not in codes
    out = run("check", "--isolated", "--select", "RC101", "--extend-select", "RC2", "--output-format", "json",
              str(DATA / "sample.py"))
    assert {f["code"] for f in json.loads(out.stdout)} == {"RC101", "RC201"}


def test_stdin_with_filename():
    out = run("check", "--isolated", "-", "--stdin-filename", "job.py", "--output-format", "concise",
              stdin=(DATA / "sample.py").read_text())
    assert out.returncode == 1
    assert out.stdout.startswith("job.py:")


def test_output_format_env_override():
    out = run("check", "--isolated", str(DATA / "sample.py"), env={"REDCAPLINT_OUTPUT_FORMAT": "json"})
    assert isinstance(json.loads(out.stdout), list)


def test_quiet_prints_no_summary():
    out = run("check", "--isolated", "-q", str(DATA / "sample.py"))
    assert "Found" not in out.stderr


def test_rules_lists_every_code():
    from redcaplint.registry import all_rules

    out = run("rules")
    assert out.returncode == 0
    for code in all_rules():
        assert code in out.stdout


def test_demo_runs_and_exits_0():
    out = run("demo")
    assert out.returncode == 0
    for code in ("RC101", "RC201", "RC301", "RC401"):
        assert code in out.stdout


def test_no_color_in_pipes():
    out = run("check", "--isolated", str(DATA / "sample.py"))
    assert "\x1b[" not in out.stdout


def test_parallel_equals_serial(tmp_path):
    src = (DATA / "sample.py").read_text()
    for i in range(40):
        (tmp_path / f"s{i:02}.py").write_text(src)
    one = run("check", "--isolated", "-j", "1", "--output-format", "json", str(tmp_path))
    two = run("check", "--isolated", "-j", "2", "--output-format", "json", str(tmp_path))
    assert one.returncode == two.returncode == 1
    assert json.loads(one.stdout) == json.loads(two.stdout)


def test_gitignore_exclude_hidden_and_venv(tmp_path):
    bad = 'TOKEN = "0123456789ABCDEF0123456789ABCDEF"\n'
    for rel in ("kept.py", "ignored.py", "build_out/x.py", ".hidden/x.py", "venv/x.py", "env2/lib/x.py",
                "skipme/x.py"):
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(bad)
    (tmp_path / "env2" / "pyvenv.cfg").write_text("home = /usr\n")
    (tmp_path / ".gitignore").write_text("ignored.py\nbuild_out/\n")
    (tmp_path / "redcaplint.toml").write_text('exclude = ["skipme"]\n')
    out = run("check", "--output-format", "json", ".", cwd=tmp_path)
    paths = {f["path"] for f in json.loads(out.stdout)}
    assert paths == {"kept.py"}


def test_force_exclude_applies_to_named_files(tmp_path):
    (tmp_path / "legacy").mkdir()
    (tmp_path / "legacy" / "old.py").write_text('TOKEN = "0123456789ABCDEF0123456789ABCDEF"\n')
    (tmp_path / "redcaplint.toml").write_text('exclude = ["legacy"]\n')
    named = run("check", "legacy/old.py", cwd=tmp_path)
    assert named.returncode == 1  # a file named on the command line is linted ...
    forced = run("check", "--force-exclude", "legacy/old.py", cwd=tmp_path)
    assert forced.returncode == 0  # ... unless --force-exclude applies exclude to it too


def test_exit_zero_keeps_findings(tmp_path):
    out = run("check", "--isolated", "--exit-zero", str(DATA / "sample.py"))
    assert out.returncode == 0 and "RC201" in out.stdout
