"""The hook definition runs under real pre-commit (try-repo, offline): it blocks a token in a
staged file of each language it reads — and in a .env, a Markdown file and an extension-less
script — and passes a clean one."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

# pre-commit from this test environment first (a virtualenv that is not activated has it
# beside its python), then PATH
_HERE = Path(sys.executable).parent / ("pre-commit.exe" if os.name == "nt" else "pre-commit")
PRECOMMIT = str(_HERE) if _HERE.exists() else shutil.which("pre-commit")
TOKEN = "0123456789ABCDEF0123456789ABCDEF"
BAD = {"bad.py": f'TOKEN = "{TOKEN}"\n', "bad.R": f'token <- "{TOKEN}"\n',
       "report.Rmd": f'```{{r}}\ntoken <- "{TOKEN}"\n```\n', ".env": f"REDCAP_API_TOKEN={TOKEN}\n",
       "SETUP.md": f"Paste `{TOKEN}` into the form.\n", "pull_job": f'#!/usr/bin/env python3\nT = "{TOKEN}"\n'}


def _git(cwd, *args):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.mark.skipif(PRECOMMIT is None, reason="pre-commit is not installed (it is a test extra)")
def test_hook_runs_under_pre_commit(tmp_path):
    if not (ROOT / ".git").exists():
        pytest.skip("try-repo needs the project as a git repository")
    repo = tmp_path / "user-repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    for name, text in BAD.items():
        (repo / name).write_text(text)
    (repo / "good.py").write_text('import os\nTOKEN = os.environ["REDCAP_API_TOKEN"]\n')
    _git(repo, "add", *BAD, "good.py")
    bad = subprocess.run([PRECOMMIT, "try-repo", str(ROOT), "redcaplint", "--files", *BAD],
                         cwd=repo, capture_output=True, text=True, timeout=900)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    for name in BAD:
        assert f"{name}:" in bad.stdout and "RC101" in bad.stdout, (name, bad.stdout)
    assert TOKEN not in bad.stdout
    good = subprocess.run([PRECOMMIT, "try-repo", str(ROOT), "redcaplint", "--files", "good.py"],
                          cwd=repo, capture_output=True, text=True, timeout=900)
    assert good.returncode == 0, good.stdout + good.stderr
