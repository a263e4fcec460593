"""No hostile input crashes the run or stops the good file beside it being linted."""
import os
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from redcaplint.config import Config
from redcaplint.engine import lint_safely
from redcaplint.registry import all_rules

GOOD = 'TOKEN = "0123456789ABCDEF0123456789ABCDEF"\n'
LINE = 'r = requests.post(URL, data={"token": T, "content": "record"}, timeout=5)\n'


def _make(kind, d):
    p = d / "hostile.py"
    if kind == "non_utf8":
        p.write_bytes(b"x = '\xff\xfe caf\xe9'\n" + GOOD.encode())
    elif kind == "binary":
        p.write_bytes(bytes(range(256)) * 64)
    elif kind == "nul_bytes":
        p.write_bytes(b"x = 1\x00\x00\ny = 2\n")
    elif kind == "bom":
        p.write_bytes(b"\xef\xbb\xbf" + GOOD.encode())
    elif kind == "crlf":
        p.write_bytes(("import os\r\n" + GOOD).replace("\n", "\r\n").encode())
    elif kind == "empty":
        p.write_bytes(b"")
    elif kind == "huge_10mb":
        p.write_text("import requests\n" + LINE * (10 * 1024 * 1024 // len(LINE)))
    elif kind == "deep_parens":
        p.write_text("x = " + "(" * 20000 + "1" + ")" * 20000 + "\n")
    elif kind == "deep_calls":
        p.write_text("x = " + "f(" * 5000 + "1" + ")" * 5000 + "\n")
    elif kind == "deep_attributes":
        p.write_text("x = a" + ".b" * 50000 + "\n")
    elif kind == "long_binop":
        p.write_text("x = 1" + " + 1" * 100000 + "\n")
    elif kind == "line_2mb":
        p.write_text("x = '" + "a" * 2_000_000 + "'\n")
    elif kind == "broken_symlink":
        os.symlink(d / "does-not-exist.py", p)
    elif kind == "looping_symlinks":
        os.symlink(d / "loop_b.py", d / "loop_a.py")
        os.symlink(d / "loop_a.py", d / "loop_b.py")
        os.symlink(d, d / "self_link")  # a directory link loop
    elif kind == "directory_named_like_file":
        (d / "folder.py").mkdir()
        (d / "folder.py" / "inner.py").write_text("x = 1\n")
    elif kind == "syntax_error":
        p.write_text("def f(:\n    pass\n<<<<<<< HEAD\n")
    elif kind == "unreadable":
        p.write_text(GOOD)
        p.chmod(0)
    return p


KINDS = ["non_utf8", "binary", "nul_bytes", "bom", "crlf", "empty", "huge_10mb", "deep_parens",
         "deep_calls", "deep_attributes", "long_binop", "line_2mb", "broken_symlink",
         "looping_symlinks", "directory_named_like_file", "syntax_error", "unreadable"]


@pytest.mark.parametrize("kind", KINDS)
def test_hostile_file_beside_good_file(kind, tmp_path):
    (tmp_path / "good.py").write_text(GOOD)
    _make(kind, tmp_path)
    out = subprocess.run([sys.executable, "-m", "redcaplint", "check", "--isolated", "--output-format", "concise",
                          "-j", "1", str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert "Traceback" not in out.stderr
    assert out.returncode == 1, out.stderr
    assert "good.py:1:10: RC101" in out.stdout
    for line in out.stderr.splitlines():
        assert len(line) < 300


def test_bom_and_crlf_positions(tmp_path):
    _make("bom", tmp_path)
    out = subprocess.run([sys.executable, "-m", "redcaplint", "check", "--isolated", "--output-format", "concise",
                          str(tmp_path / "hostile.py")], capture_output=True, text=True)
    assert "hostile.py:1:10: RC101" in out.stdout


def test_notices_say_why(tmp_path):
    _make("binary", tmp_path)
    out = subprocess.run([sys.executable, "-m", "redcaplint", "check", "--isolated", str(tmp_path / "hostile.py")],
                         capture_output=True, text=True)
    assert "binary file" in out.stderr and out.returncode == 0


RULES = list(all_rules().values())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from(list("()[]{}:=,.'\"\\#\n\t fx0123456789ABCDEFrequestspost_token")), max_size=400))
def test_random_text_never_raises(text):
    result = lint_safely(text, "fuzz.py", "python", Config(), RULES)
    assert not result.error, result.notice


PIECES = ["import requests\n", "for i in x:\n", "    ", "while True:\n", "def f(a):\n", "time.sleep(5)\n",
          'requests.post(U, data={"token": T, "content": "record"})\n', "f(i)\n", "return\n", "x = [f(y) for y in z]\n",
          "p = {}\n", 'p["content"] = "record"\n', "async def g():\n", "await asyncio.gather(f(1))\n"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30))
def test_random_scripts_never_raise(pieces):
    result = lint_safely("".join(pieces), "fuzz.py", "python", Config(), RULES)
    assert not result.error, result.notice


R_HOSTILE = {
    "deep_parens.R": "x <- " + "(" * 20000 + "1" + ")" * 20000 + "\n",
    "long_pipe_chain.R": "x <- a" + " %>%\n  f()" * 20000 + "\n",
    "pipe_chain_one_line.R": "x <- a" + " %>% f()" * 20000 + "\n",
    "merge_conflict.R": "x <- 1\n<<<<<<< HEAD\ny <- 2\n=======\ny <- 3\n>>>>>>> b\n",
    "unclosed_chunk.Rmd": "```{r}\nx <- c(1,\n",
    "binary.R": "\x00\x01",
}


@pytest.mark.parametrize("name", sorted(R_HOSTILE))
def test_hostile_r_beside_good_file(name, tmp_path):
    (tmp_path / "good.py").write_text(GOOD)
    (tmp_path / name).write_text(R_HOSTILE[name])
    out = subprocess.run([sys.executable, "-m", "redcaplint", "check", "--isolated", "--output-format", "concise",
                          "-j", "1", str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert "Traceback" not in out.stderr and "panicked" not in out.stderr
    assert out.returncode == 1 and "good.py:1:10: RC101" in out.stdout
