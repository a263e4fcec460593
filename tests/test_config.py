import json
import subprocess
import sys

import pytest

from redcaplint.config import ConfigError, from_mapping
from redcaplint.tokens import sha256

LOOP = ('import requests, time\nfor i in ids:\n    requests.post(U, data={"token": T, "content": "version"}, timeout=5)\n'
        '    time.sleep(12)\n')
TOKEN = "0123456789ABCDEF0123456789ABCDEF"


def run(cwd, *args):
    return subprocess.run([sys.executable, "-m", "redcaplint", "check", "--output-format", "json", *args],
                          capture_output=True, text=True, cwd=cwd)


def codes(out):
    return sorted(f["code"] for f in json.loads(out.stdout))


def test_pyproject_found_upward(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.redcaplint]\nignore = ["RC202"]\n')
    sub = tmp_path / "scripts" / "deep"
    sub.mkdir(parents=True)
    (sub / "job.py").write_text(LOOP)
    assert codes(run(sub, "job.py")) == []
    assert codes(run(tmp_path, "--isolated", "scripts")) == ["RC202"]


def test_policy_number_changes_interval(tmp_path):
    (tmp_path / "job.py").write_text(LOOP)
    assert codes(run(tmp_path, "job.py")) == ["RC202"]
    (tmp_path / ".redcaplint.toml").write_text("max-requests-per-minute = 6\n")
    assert codes(run(tmp_path, "job.py")) == []


def test_per_file_ignores_and_severity(tmp_path):
    (tmp_path / "redcaplint.toml").write_text(
        'per-file-ignores = { "tests/*" = ["RC101"] }\nseverity = { RC101 = "warning" }\n')
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "t.py").write_text(f'TOKEN = "{TOKEN}"\n')
    (tmp_path / "a.py").write_text(f'TOKEN = "{TOKEN}"\n')
    findings = json.loads(run(tmp_path, ".").stdout)
    assert [(f["path"], f["severity"]) for f in findings] == [("a.py", "warning")]


@pytest.mark.parametrize("allowed", [TOKEN, sha256(TOKEN)])
def test_allowed_tokens(tmp_path, allowed):
    (tmp_path / "redcaplint.toml").write_text(f'allowed-tokens = ["{allowed}"]\n')
    (tmp_path / "a.py").write_text(f'TOKEN = "{TOKEN}"\n')
    assert codes(run(tmp_path, "a.py")) == []


@pytest.mark.parametrize("text,needle", [
    ("selec = ['RC1']\n", "unknown configuration key `selec`"),
    ("select = 'RC1'\n", "`select` must be a list"),
    ("select = ['RC9']\n", "unknown rule code"),
    ("max-requests-per-minute = 0\n", "`max-requests-per-minute` must be a finite number"),
    ("severity = { RC101 = 'fatal' }\n", "`severity.RC101`"),
    ("this is not toml\n", "cannot read configuration"),
])
def test_bad_config_exit_2(tmp_path, text, needle):
    (tmp_path / "redcaplint.toml").write_text(text)
    (tmp_path / "a.py").write_text("x = 1\n")
    out = run(tmp_path, "a.py")
    assert out.returncode == 2
    assert needle in out.stderr and "Traceback" not in out.stderr


def test_from_mapping_rejects_unknown_key():
    with pytest.raises(ConfigError, match="unknown configuration key `nope`"):
        from_mapping({"nope": 1})
