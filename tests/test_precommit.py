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
NOTEBOOK = ('{"cells": [{"cell_type": "code", "metadata": {}, "execution_count": null, "outputs": [], '
            f'"source": ["TOKEN = \\"{TOKEN}\\"\\n"]}}], "metadata": {{}}, "nbformat": 4, "nbformat_minor": 5}}\n')
# a token in a file of every language the hook reads; where a script front end runs, a rule
# only it can find too (so the file was linted as its language, not only scanned)
BAD = {"bad.py": f'TOKEN = "{TOKEN}"\n', "bad.R": f'token <- "{TOKEN}"\n',
       "report.Rmd": f'```{{r}}\ntoken <- "{TOKEN}"\n```\n', "report.qmd": f'```{{r}}\ntoken <- "{TOKEN}"\n```\n',
       "bad.php": f'<?php\n$token = "{TOKEN}";\ncurl_setopt($ch, CURLOPT_SSL_VERIFYPEER, false);\n',
       "bad.js": f'const token = "{TOKEN}";\nprocess.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";\n',
       "bad.ts": f'const token: string = "{TOKEN}";\n',
       "bad.sh": f'TOKEN={TOKEN}\ncurl -k -d "token=$TOKEN&content=version" https://redcap.example.edu/api/\n',
       "bad.ipynb": NOTEBOOK, "bad.rb": f"token = '{TOKEN}'\n", "Bad.java": f'String token = "{TOKEN}";\n',
       "bad.pl": f"my $token = '{TOKEN}';\nmy $ua = LWP::UserAgent->new(ssl_opts => {{ verify_hostname => 0 }});\n",
       ".env": f"REDCAP_API_TOKEN={TOKEN}\n",
       "SETUP.md": f"Paste `{TOKEN}` into the form.\n", "pull_job": f'#!/usr/bin/env python3\nT = "{TOKEN}"\n'}
ALSO = {"bad.php": "RC104", "bad.js": "RC104", "bad.sh": "RC104", "bad.pl": "RC104"}


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
        shown = [ln for ln in bad.stdout.splitlines() if ln.startswith(f"{name}:")]
        assert any(" RC101 " in ln for ln in shown), (name, bad.stdout)
        if name in ALSO:
            assert any(f" {ALSO[name]} " in ln for ln in shown), (name, bad.stdout)
    assert TOKEN not in bad.stdout
    good = subprocess.run([PRECOMMIT, "try-repo", str(ROOT), "redcaplint", "--files", "good.py"],
                          cwd=repo, capture_output=True, text=True, timeout=900)
    assert good.returncode == 0, good.stdout + good.stderr


def test_readme_rev_is_a_commit_of_this_repository():
    import re

    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: the README's rev cannot be looked up")
    rev = re.search(r"^\s*rev:\s*(\S+)", (ROOT / "README.md").read_text(), re.M).group(1)
    found = subprocess.run(["git", "cat-file", "-e", f"{rev}^{{commit}}"], cwd=ROOT, capture_output=True)
    assert found.returncode == 0, f"README's pre-commit rev {rev} is not a commit here"
