"""The long-lived parse child (isolate.py): one per language, reused file after file, replaced
after a hang, never shared with a forked process."""
import os
import time

import pytest

from redcaplint import isolate

pytestmark = pytest.mark.skipif(not isolate.available(), reason="needs os.fork")


def pid_or_fail(x):
    if x == "fail":
        raise ValueError("bad input")
    if x == "hang":
        while True:
            time.sleep(0.01)
    return os.getpid()


@pytest.fixture(autouse=True)
def no_children():
    yield
    for child in list(isolate._CHILDREN.values()):
        child.close(kill=True)
    isolate._CHILDREN.clear()


def test_one_child_serves_call_after_call_and_survives_an_exception():
    first = isolate.run("t", pid_or_fail, "ok", limit=5)
    assert first != os.getpid()
    with pytest.raises(RuntimeError, match="ValueError: bad input"):
        isolate.run("t", pid_or_fail, "fail", limit=5)
    assert isolate.run("t", pid_or_fail, "ok", limit=5) == first  # the same child


def test_a_hung_call_kills_the_child_and_the_next_call_gets_a_new_one():
    first = isolate.run("t", pid_or_fail, "ok", limit=5)
    with pytest.raises(isolate.Hung):
        isolate.run("t", pid_or_fail, "hang", limit=0.3)
    with pytest.raises(ProcessLookupError):
        os.kill(first, 0)  # killed and reaped
    second = isolate.run("t", pid_or_fail, "ok", limit=5)
    assert second not in (first, os.getpid())


def test_a_forked_process_does_not_inherit_its_parents_children():
    isolate.run("t", pid_or_fail, "ok", limit=5)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.write(write_end, str(len(isolate._CHILDREN)).encode())
        os._exit(0)
    os.waitpid(pid, 0)
    assert os.read(read_end, 10) == b"0"


def test_warm_runs_once_per_child():
    warmed = []
    isolate.run("t", pid_or_fail, "ok", limit=5, warm=lambda: warmed.append(1))
    isolate.run("t", pid_or_fail, "ok", limit=5, warm=lambda: warmed.append(1))
    assert warmed == [1]
