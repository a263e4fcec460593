"""CLI habits a ruff user brings: repeated options accumulate, --exclude on the command line,
--show-files and --show-settings, --color and FORCE_COLOR, -v, the summary on stdout,
--statistics alone, `rules --output-format json`, a progress display only for long runs."""
import io
import json
import os
import subprocess
import sys

import pytest


def run(*args, cwd, **env_extra):
    env = {k: v for k, v in os.environ.items() if k not in ("REDCAPLINT_OUTPUT_FORMAT", "NO_COLOR", "FORCE_COLOR")}
    env.update(env_extra)
    return subprocess.run([sys.executable, "-m", "redcaplint", *args], capture_output=True, text=True, cwd=cwd, env=env)


BAD = ('import requests, os\nTOKEN = "0123456789ABCDEF0123456789ABCDEF"\nfor i in range(3):\n'
       '    requests.post("https://redcap.example.edu/api/", data={"token": TOKEN, "content": "version"})\n')


def test_repeated_select_accumulates(tmp_path):
    (tmp_path / "a.py").write_text(BAD)
    codes = lambda out: sorted({ln.split()[1] for ln in out.stdout.splitlines() if " RC" in ln})  # noqa: E731
    one = run("check", "--isolated", "--output-format", "concise", "--select", "RC1", "a.py", cwd=tmp_path)
    both = run("check", "--isolated", "--output-format", "concise", "--select", "RC1", "--select", "RC2", "a.py",
               cwd=tmp_path)
    assert codes(one) == ["RC101"] and codes(both) == ["RC101", "RC201"]


def test_exclude_on_the_command_line_and_show_files(tmp_path):
    for name in ("a.py", "b.R", "legacy/c.php"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("x = 1\n")
    files = run("check", "--isolated", "--show-files", ".", cwd=tmp_path)
    assert files.returncode == 0
    assert sorted(files.stdout.splitlines()) == ["a.py\tpython", "b.R\tr", "legacy/c.php\tphp"]
    fewer = run("check", "--isolated", "--show-files", "--exclude", "legacy", "--extend-exclude", "*.R", ".",
                cwd=tmp_path)
    assert fewer.stdout.splitlines() == ["a.py\tpython"]


def test_show_settings_names_the_rules_and_hides_allowed_tokens(tmp_path):
    (tmp_path / "redcaplint.toml").write_text('ignore = ["RC601"]\nallowed-tokens = ["0123456789ABCDEF0123456789ABCDEF"]\n')
    out = run("check", "--show-settings", ".", cwd=tmp_path)
    assert out.returncode == 0
    assert "RC101" in out.stdout and "RC601" not in out.stdout.split("enabled-rules")[1].splitlines()[0]
    assert "0123456789ABCDEF" not in out.stdout and "allowed-tokens: set" in out.stdout


ESC = "\x1b["


@pytest.mark.parametrize("args,env,coloured", [
    (["--color", "always"], {}, True),
    (["--color", "never"], {"FORCE_COLOR": "1"}, False),
    (["--no-color", "--color", "always"], {}, False),
    ([], {"FORCE_COLOR": "1"}, True),
    ([], {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
    ([], {}, False),  # a pipe
])
def test_color_choice(tmp_path, args, env, coloured):
    (tmp_path / "a.py").write_text(BAD)
    out = run("check", "--isolated", *args, "a.py", cwd=tmp_path, **env)
    assert out.returncode == 1 and (ESC in out.stdout) == coloured


def test_bad_color_value_is_a_usage_error(tmp_path):
    out = run("check", "--color", "sometimes", cwd=tmp_path)
    assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1


def test_summary_on_stdout_statistics_alone_and_quiet(tmp_path):
    (tmp_path / "a.py").write_text(BAD)
    text = run("check", "--isolated", "a.py", cwd=tmp_path)
    assert text.stdout.rstrip().splitlines()[-1].startswith("Found 3 findings in 1 file")
    stats = run("check", "--isolated", "--statistics", "a.py", cwd=tmp_path)
    rows = stats.stdout.splitlines()
    assert rows and all(row.split("\t")[1].startswith("RC") for row in rows), stats.stdout
    quiet = run("check", "--isolated", "-q", "--output-format", "concise", "a.py", cwd=tmp_path)
    assert quiet.stdout.splitlines() and all(" RC" in ln for ln in quiet.stdout.splitlines())


def test_verbose_says_what_it_did(tmp_path):
    (tmp_path / "a.py").write_text("x = 1\n")
    (tmp_path / "redcaplint.toml").write_text('ignore = ["RC601"]\n')
    out = run("check", "-v", "a.py", cwd=tmp_path)
    said = out.stderr
    assert "redcaplint.toml" in said and "1 file to check" in said and "done in" in said
    assert run("check", "a.py", cwd=tmp_path).stderr == ""


def test_rules_as_json_with_the_fix_column(tmp_path):
    from redcaplint.registry import all_rules

    out = run("rules", "--output-format", "json", cwd=tmp_path)
    rows = json.loads(out.stdout)
    assert [r["code"] for r in rows] == list(all_rules())
    by_code = {r["code"]: r for r in rows}
    assert by_code["RC104"]["fix"] == "safe" and by_code["RC203"]["fix"] == "suggestion"
    assert all(set(r) == {"code", "name", "severity", "fix", "default", "summary"} for r in rows)
    text = run("rules", cwd=tmp_path).stdout.splitlines()
    assert any("RC104" in ln and "safe" in ln for ln in text)


def test_progress_only_after_a_second_in_a_terminal(monkeypatch):
    from redcaplint import cli

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    clock = [100.0]
    monkeypatch.setattr(cli.time, "monotonic", lambda: clock[0])
    monkeypatch.delenv("CI", raising=False)
    err = Terminal()
    monkeypatch.setattr(sys, "stderr", err)
    tick = cli._progress(10)
    tick(3)
    assert err.getvalue() == ""  # a short run shows nothing
    clock[0] += 1.5
    tick(3)
    assert "linting 6/10 files" in err.getvalue()
    tick(0, done=True)
    assert err.getvalue().endswith("\r")
    monkeypatch.setenv("CI", "true")
    assert cli._progress(10) is None


def test_allowed_tokens_must_be_tokens_or_hashes(tmp_path):
    (tmp_path / "a.py").write_text("x = 1\n")
    (tmp_path / "redcaplint.toml").write_text('allowed-tokens = ["not-a-token"]\n')
    out = run("check", "a.py", cwd=tmp_path)
    assert out.returncode == 2 and "allowed-tokens" in out.stderr and len(out.stderr.strip().splitlines()) == 1
