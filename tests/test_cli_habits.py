"""CLI habits a ruff user brings: repeated options accumulate, --exclude on the command line,
--show-files and --show-settings."""
import os
import subprocess
import sys


def run(*args, cwd):
    env = {k: v for k, v in os.environ.items() if k != "REDCAPLINT_OUTPUT_FORMAT"}
    return subprocess.run([sys.executable, "-m", "redcaplint", *args], capture_output=True, text=True, cwd=cwd, env=env)


BAD = ('import requests, os\nTOKEN = "0123456789ABCDEF0123456789ABCDEF"\nfor i in range(3):\n'
       '    requests.post("https://redcap.example.edu/api/", data={"token": TOKEN, "content": "version"})\n')


def test_repeated_select_accumulates(tmp_path):
    (tmp_path / "a.py").write_text(BAD)
    codes = lambda out: sorted({ln.split()[1] for ln in out.stdout.splitlines()})  # noqa: E731
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
