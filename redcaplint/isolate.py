"""Run a parse that may never return in a child process the engine can kill.

Some grammars' external scanners loop for ever inside C on broken input (tree-sitter-perl on
an unterminated heredoc); neither a parser timeout nor a progress callback reaches into the
scanner, so the only bound is a process. One long-lived child per such language (forked
once, after the grammar is loaded and its query compiled) lints each file it is sent and sends
back the result, pickled — a round trip over two pipes instead of a fork per file, and a few
findings instead of a whole model. Past the deadline it is killed, the caller gets Hung, and
the next file gets a new child."""
from __future__ import annotations

import os
import pickle
import select
import signal
import struct
import time
from typing import Callable, Optional

TIMEOUT_S = 10.0  # a real file parses in milliseconds; REDCAPLINT_PARSE_TIMEOUT overrides (tests)
_LENGTH = struct.Struct(">Q")  # each message: its length, then the pickle


def timeout() -> float:
    try:
        return max(0.1, float(os.environ.get("REDCAPLINT_PARSE_TIMEOUT", TIMEOUT_S)))
    except ValueError:
        return TIMEOUT_S


class Hung(Exception):
    """The isolated call did not finish in time (the child was killed)."""


def available() -> bool:
    return hasattr(os, "fork")


_IN_CHILD = False  # this process is a parse child: it runs the front end itself


def wanted(fe) -> bool:
    """Should work with this front end go to a child? Its grammar may loop for ever."""
    return getattr(fe, "ISOLATED", False) and available() and not _IN_CHILD


def _write(fd: int, payload: bytes) -> None:
    view = memoryview(_LENGTH.pack(len(payload)) + payload)
    while view:
        view = view[os.write(fd, view):]


def _read_exactly(fd: int, n: int, deadline: Optional[float]) -> Optional[bytes]:
    """n bytes from fd; None at end of file; Hung when the deadline passes first."""
    chunks, have = [], 0
    while have < n:
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise Hung()
        data = os.read(fd, min(n - have, 1 << 20))
        if not data:
            return None
        chunks.append(data)
        have += len(data)
    return b"".join(chunks)


def _read(fd: int, deadline: Optional[float] = None) -> Optional[bytes]:
    head = _read_exactly(fd, _LENGTH.size, deadline)
    return None if head is None else _read_exactly(fd, _LENGTH.unpack(head)[0], deadline)


class _Child:
    """A forked process serving fn(*args) calls one at a time over two pipes."""

    def __init__(self, fn: Callable, limit: float) -> None:
        requests_r, self.requests = os.pipe()
        self.replies, replies_w = os.pipe()
        self.owner = os.getpid()
        pid = os.fork()
        if pid == 0:  # the child: never returns into the caller's code
            try:
                os.close(self.requests)
                os.close(self.replies)
                self._serve(fn, limit, requests_r, replies_w)
            finally:
                os._exit(0)
        self.pid = pid
        os.close(requests_r)
        os.close(replies_w)

    @staticmethod
    def _serve(fn: Callable, limit: float, requests: int, replies: int) -> None:
        global _IN_CHILD
        _IN_CHILD = True
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGALRM})
        while True:
            message = _read(requests)
            if message is None:  # the parent is gone (or done): so is the child
                return
            # a bound of its own for each call: should the parent die first (killed with its
            # pool), the kernel still ends a child stuck inside C code at the deadline
            signal.alarm(int(limit) + 2)
            try:
                payload = pickle.dumps((True, fn(*pickle.loads(message))), protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException as exc:  # noqa: BLE001 - reported to the parent, whatever it is
                payload = pickle.dumps((False, f"{type(exc).__name__}: {exc}"))
            signal.alarm(0)
            _write(replies, payload)

    def call(self, args: tuple, limit: float) -> tuple[bool, object]:
        """(True, result) or (False, the child's exception as text)."""
        _write(self.requests, pickle.dumps(args, protocol=pickle.HIGHEST_PROTOCOL))
        reply = _read(self.replies, time.monotonic() + limit)
        if reply is None:
            raise EOFError("the parse child exited without a result")
        return pickle.loads(reply)

    def close(self, kill: bool = False) -> None:
        if kill:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        for fd in (self.requests, self.replies):
            try:
                os.close(fd)
            except OSError:
                pass
        if os.getpid() == self.owner:
            try:
                os.waitpid(self.pid, 0)  # closing its requests pipe ends an idle child
            except ChildProcessError:
                pass


_CHILDREN: dict[str, _Child] = {}


def _forget_inherited() -> None:
    """A forked process (a pool worker) must not talk to its parent's children: it closes
    its copies of their pipes (so they still end when their owner does) and starts its own."""
    for child in _CHILDREN.values():
        for fd in (child.requests, child.replies):
            try:
                os.close(fd)
            except OSError:
                pass
    _CHILDREN.clear()


if available():
    os.register_at_fork(after_in_child=_forget_inherited)


def run(key: str, fn: Callable, *args, limit: Optional[float] = None, warm: Optional[Callable] = None):
    """fn(*args) in the long-lived child for `key` (started on first use, after `warm()` has
    loaded here what every child should inherit: the grammar, its compiled query); its
    result, or Hung, after which the child is gone. An exception in the child is raised here
    as RuntimeError with its text."""
    limit = timeout() if limit is None else limit
    child = _CHILDREN.get(key)
    if child is None:
        if warm is not None:
            warm()
        child = _CHILDREN[key] = _Child(fn, limit)
    try:
        ok, value = child.call(args, limit)
    except BaseException as exc:
        # hung, dead, or interrupted mid-message: its pipes can no longer be trusted
        del _CHILDREN[key]
        child.close(kill=True)
        if isinstance(exc, (EOFError, OSError)):
            raise RuntimeError(str(exc)) from None
        raise
    if not ok:
        raise RuntimeError(value)
    return value
