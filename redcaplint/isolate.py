"""Run a parse that may never return in a child process the engine can kill.

Some grammars' external scanners loop for ever inside C on broken input (tree-sitter-perl on
an unterminated heredoc); neither a parser timeout nor a progress callback reaches into the
scanner, so the only bound is a process. The child builds the front end's Script (plain data)
and sends it back pickled; past the deadline it is killed and the caller gets None."""
from __future__ import annotations

import os
import pickle
import select
import signal
import time
from typing import Callable, Optional

TIMEOUT_S = 10.0  # a real file parses in milliseconds; REDCAPLINT_PARSE_TIMEOUT overrides (tests)


def timeout() -> float:
    try:
        return max(0.1, float(os.environ.get("REDCAPLINT_PARSE_TIMEOUT", TIMEOUT_S)))
    except ValueError:
        return TIMEOUT_S


class Hung(Exception):
    """The isolated call did not finish in time (the child was killed)."""


def available() -> bool:
    return hasattr(os, "fork")


def run(fn: Callable, *args, limit: Optional[float] = None):
    """fn(*args) in a forked child; its result, or Hung. An exception in the child is raised
    here as RuntimeError with its text."""
    limit = timeout() if limit is None else limit
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into the caller's code
        try:
            # a second bound of its own: should the parent die first (killed with its pool),
            # the kernel still ends a child stuck inside C code at the deadline
            signal.signal(signal.SIGALRM, signal.SIG_DFL)
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGALRM})
            signal.alarm(int(limit) + 2)
            os.close(read_end)
            try:
                payload = pickle.dumps((True, fn(*args)), protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException as exc:  # noqa: BLE001 - reported to the parent, whatever it is
                payload = pickle.dumps((False, f"{type(exc).__name__}: {exc}"))
            view = memoryview(payload)
            while view:
                view = view[os.write(write_end, view):]
        finally:
            os._exit(0)
    os.close(write_end)
    chunks: list[bytes] = []
    deadline = time.monotonic() + limit
    try:
        while True:
            left = deadline - time.monotonic()
            ready = select.select([read_end], [], [], max(0.0, left))[0] if left > 0 else []
            if not ready:
                os.kill(pid, signal.SIGKILL)
                raise Hung()
            data = os.read(read_end, 1 << 16)
            if not data:
                break
            chunks.append(data)
    finally:
        os.close(read_end)
        os.waitpid(pid, 0)
    ok, value = pickle.loads(b"".join(chunks)) if chunks else (False, "the child exited without a result")
    if not ok:
        raise RuntimeError(value)
    return value


_WARM: set = set()


def build(fe, source):
    """The front end's build, isolated. The grammar is loaded and its query compiled in this
    process first (on an empty document, which cannot loop), so each child inherits them
    instead of paying for them: 30 ms a file otherwise, 4 ms with."""
    if fe.LANGUAGE not in _WARM:
        from redcaplint.source import Document

        fe.build(Document(source.path, ""))
        _WARM.add(fe.LANGUAGE)
    return run(fe.build, source)
