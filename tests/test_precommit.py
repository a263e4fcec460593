"""The hook definition runs under real pre-commit: it reports a token in a staged file and
passes a clean one."""
import shutil
import subprocess

import pytest
from conftest import ROOT

PRECOMMIT = shutil.which("pre-commit")


def _git(cwd, *args):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.mark.skipif(PRECOMMIT is None, reason="pre-commit is not installed (it is a test extra)")
def test_hook_runs_under_pre_commit(tmp_path):
    if not (ROOT / ".git").exists():
        pytest.skip("try-repo needs the project as a git repository")
    repo = tmp_path / "user-repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    (repo / "bad.py").write_text('TOKEN = "0123456789ABCDEF0123456789ABCDEF"\n')
    (repo / "good.py").write_text('import os\nTOKEN = os.environ["REDCAP_API_TOKEN"]\n')
    _git(repo, "add", "bad.py", "good.py")
    bad = subprocess.run([PRECOMMIT, "try-repo", str(ROOT), "redcaplint", "--files", "bad.py"],
                         cwd=repo, capture_output=True, text=True, timeout=900)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "bad.py:1:10: RC101" in bad.stdout
    assert "0123456789ABCDEF0123456789ABCDEF" not in bad.stdout
    good = subprocess.run([PRECOMMIT, "try-repo", str(ROOT), "redcaplint", "--files", "good.py"],
                          cwd=repo, capture_output=True, text=True, timeout=900)
    assert good.returncode == 0, good.stdout + good.stderr
