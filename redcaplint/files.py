"""Finding the files to lint and reading them defensively.

Directories are walked honouring `.gitignore` and `exclude`; virtualenvs and hidden folders are
skipped; links to folders outside the checked paths are not followed (ripgrep's and ruff's
default; name the target on the command line to check it). Only regular files are read, and
that is checked on the opened descriptor, not the path, so a FIFO or a device swapped in after
discovery cannot block or flood the run; every read is bounded by MAX_BYTES whatever `st_size`
says. A file that is binary, not UTF-8, huge, a broken or looping link gives a one-line
notice, never a crash.
"""
from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass
from typing import BinaryIO, Iterator, Optional

from redcaplint.frontends import language_of

MAX_BYTES = 16 * 1024 * 1024
SKIP_DIRS = {"node_modules", "__pycache__", "site-packages", "venv", "env", "renv", "packrat",
             "build", "dist"}
_O_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)


class Unreadable(Exception):
    """A file that is not read; the message is the one-line notice."""


@dataclass
class Target:
    path: str  # as given or found (used to open)
    display: str  # as shown in reports
    language: Optional[str]
    explicit: bool = False


def printable(path: str) -> str:
    """A path as it can be shown: file names that are not UTF-8 arrive from the OS as
    surrogate escapes, which no UTF-8 stream can encode; show their bytes as `\\xff`."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


# --- reading -----------------------------------------------------------------------------------

def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "not a regular file"


def read_bounded(fh: BinaryIO, limit: int) -> bytes:
    """At most `limit` bytes; Unreadable when there are more (stdin, /dev/zero, a file that grew)."""
    chunks, total = [], 0
    while True:
        chunk = fh.read(min(1 << 20, limit + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            raise Unreadable(f"larger than {limit // (1024 * 1024)} MB, skipped")
    return b"".join(chunks)


def read_regular(path: str, limit: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file, or Unreadable with the reason. Opened non-blocking (a FIFO
    would block `open` itself) and checked with fstat on that descriptor."""
    try:
        fd = os.open(path, _O_FLAGS)
    except OSError as exc:
        if exc.errno == errno.ENOENT and os.path.islink(path):
            raise Unreadable("broken symbolic link, skipped") from None
        if exc.errno == errno.ELOOP:
            raise Unreadable("symbolic link loop, skipped") from None
        if exc.errno == errno.EISDIR:
            raise Unreadable("is a directory, skipped") from None
        raise Unreadable(f"cannot read: {exc.strerror or exc}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise Unreadable(f"{_kind(st.st_mode)}, not a regular file: skipped")
        if st.st_size > limit:
            raise Unreadable(f"larger than {limit // (1024 * 1024)} MB, skipped")
        with os.fdopen(fd, "rb", closefd=True) as fh:
            fd = -1
            return read_bounded(fh, limit)
    except OSError as exc:
        raise Unreadable(f"cannot read: {exc.strerror or exc}") from None
    finally:
        if fd >= 0:
            os.close(fd)


def read_text(path: str) -> tuple[Optional[str], Optional[str]]:
    """(text, notice). text is None when the file is skipped; a notice explains why."""
    try:
        data = read_regular(path)
    except Unreadable as exc:
        return None, str(exc)
    return decode(data)


def decode(data: bytes) -> tuple[Optional[str], Optional[str]]:
    if b"\x00" in data[:8192]:
        return None, "binary file (NUL bytes), skipped"
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        text = data.decode("utf-8-sig", errors="replace")
        return text, f"not valid UTF-8 (byte {exc.start}); read with replacement characters"


def _first_bytes(path: str, n: int = 128) -> Optional[bytes]:
    """The first bytes of an extension-less file, for its shebang (regular files only: sniffing
    a FIFO must not block discovery)."""
    try:
        fd = os.open(path, _O_FLAGS)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        return os.read(fd, n)
    except OSError:
        return None
    finally:
        os.close(fd)


# --- .gitignore ---------------------------------------------------------------------------------

def _glob_regex(pattern: str) -> str:
    """gitignore glob → regex: `*` and `?` stay within a path segment, `**` crosses them."""
    out, i, n = [], 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "*":
            if pattern.startswith("**", i):
                i += 2
                if pattern.startswith("/", i):  # `**/` : zero or more folders
                    out.append("(?:.*/)?")
                    i += 1
                else:
                    out.append(".*")
                continue
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            j = pattern.find("]", i + 2 if pattern.startswith("[!", i) or pattern.startswith("[^", i) else i + 1)
            if j < 0:
                out.append(re.escape(c))
            else:
                body = pattern[i + 1:j]
                if body[:1] in ("!", "^"):
                    body = "^" + body[1:]
                out.append("[" + body.replace("\\", "\\\\") + "]")
                i = j
        elif c == "\\" and i + 1 < n:
            i += 1
            out.append(re.escape(pattern[i]))
        else:
            out.append(re.escape(c))
        i += 1
    return "".join(out)


_GLOB_CHARS = re.compile(r"[*?\[\\]")


class _PatternSet:
    """Patterns matched against one string (a basename, or a folder-relative path), indexed so
    that a lookup costs about the same for 10 patterns or 100,000: literals in a dict, globs
    bucketed by their literal prefix (or, for `*.ext`, suffix) and compiled only when a
    string could match them. Compiling one big alternation instead costs seconds."""

    def __init__(self) -> None:
        self.literals: dict[str, list[int]] = {}
        self.by_prefix: dict[str, list[int]] = {}
        self.by_suffix: dict[str, list[int]] = {}
        self.rest: list[int] = []
        self.sources: dict[int, str] = {}
        self.compiled: dict[int, re.Pattern] = {}

    def add(self, index: int, pattern: str) -> None:
        if not _GLOB_CHARS.search(pattern):
            self.literals.setdefault(pattern, []).append(index)
            return
        self.sources[index] = _glob_regex(pattern)
        first = _GLOB_CHARS.search(pattern)
        prefix = pattern[:first.start()] if first else pattern
        tail = re.split(r"[*?\]\\]", pattern)[-1]
        if prefix:
            self.by_prefix.setdefault(prefix, []).append(index)
        elif tail and "[" not in tail:
            self.by_suffix.setdefault(tail, []).append(index)
        else:
            self.rest.append(index)

    def last_match(self, text: str, allowed) -> int:
        """The highest pattern index matching `text` among those `allowed`, or -1."""
        candidates = list(self.literals.get(text, ()))
        if self.by_prefix:
            for i in range(1, len(text) + 1):
                candidates += self.by_prefix.get(text[:i], ())
        if self.by_suffix:
            for i in range(len(text)):
                candidates += self.by_suffix.get(text[i:], ())
        candidates += self.rest
        for index in sorted(candidates, reverse=True):
            if not allowed(index):
                continue
            source = self.sources.get(index)
            if source is None:
                return index
            rx = self.compiled.get(index)
            if rx is None:
                rx = self.compiled[index] = re.compile(source + r"\Z")
            if rx.match(text):
                return index
        return -1


class GitIgnore:
    """One `.gitignore`, parsed once. The last matching pattern wins (gitignore's rule)."""

    def __init__(self, base: str, lines: list[str]) -> None:
        self.base = base
        self.rules: list[tuple[bool, bool]] = []  # (negate, dir_only) per pattern index
        self.names = _PatternSet()   # unanchored patterns: matched against the basename
        self.paths = _PatternSet()   # anchored patterns (a `/` inside): the relative path
        for raw in lines:
            line = raw.rstrip("\r\n")
            if not line.endswith("\\ "):
                line = line.rstrip()
            if not line or line.startswith("#"):
                continue
            negate = line.startswith("!")
            if negate:
                line = line[1:]
            dir_only = line.endswith("/")
            line = line.rstrip("/")
            if not line:
                continue
            anchored = "/" in line
            index = len(self.rules)
            self.rules.append((negate, dir_only))
            if anchored:
                line = line.lstrip("/")
                self.paths.add(index, line)
                if line.startswith("**/"):  # `**/x` also matches `x` at the top
                    self.names.add(index, line[3:])
            else:
                self.names.add(index, line)

    def ignored(self, rel: str, is_dir: bool) -> Optional[bool]:
        """rel: the path relative to this file's folder, `/`-separated."""
        rules = self.rules

        def allowed(i: int) -> bool:
            return is_dir or not rules[i][1]

        best = max(self.names.last_match(rel.rsplit("/", 1)[-1], allowed), self.paths.last_match(rel, allowed))
        if best < 0:
            return None
        return not rules[best][0]


def _ignored(path: str, is_dir: bool, rules: list[GitIgnore]) -> bool:
    verdict = False
    for r in rules:
        # walked paths are joined from their folder: slicing is the relative path (relpath
        # normalises the whole path, once per .gitignore per file)
        prefix = r.base.rstrip(os.sep) + os.sep
        rel = path[len(prefix):] if path.startswith(prefix) else os.path.relpath(path, r.base)
        if os.sep != "/":
            rel = rel.replace(os.sep, "/")
        v = r.ignored(rel, is_dir)
        if v is not None:
            verdict = v
    return verdict


# --- walking ------------------------------------------------------------------------------------

def _excluded(path: str, patterns: list[str], root: str) -> bool:
    import fnmatch

    if not patterns:
        return False
    rel = os.path.relpath(os.path.abspath(path), os.path.abspath(root)).replace(os.sep, "/")
    name = os.path.basename(path)
    for p in patterns:
        p = p.rstrip("/")
        if fnmatch.fnmatchcase(rel, p) or fnmatch.fnmatchcase(name, p) or \
                fnmatch.fnmatchcase(rel, p + "/*") or rel.startswith(p + "/"):
            return True
    return False


def _is_venv(path: str) -> bool:
    return os.path.exists(os.path.join(path, "pyvenv.cfg")) or os.path.exists(os.path.join(path, "conda-meta"))


def discover(paths: list[str], exclude: list[str], root: str, force_exclude: bool = False) -> Iterator[Target]:
    seen: set[str] = set()
    roots = [os.path.realpath(p) for p in paths if os.path.isdir(p)]
    for given in paths:
        if os.path.isdir(given):
            yield from _walk(given, exclude, root, seen, roots)
        else:
            if force_exclude and _excluded(given, exclude, root):
                continue
            key = os.path.abspath(given)
            if key in seen:
                continue
            seen.add(key)
            head = None if os.path.splitext(given)[1] else _first_bytes(given)
            yield Target(given, printable(os.path.normpath(given)), language_of(given, head), explicit=True)


def _inside(real: str, roots: list[str]) -> bool:
    return any(real == r or real.startswith(r.rstrip(os.sep) + os.sep) for r in roots)


def _walk(top: str, exclude: list[str], root: str, seen: set[str], roots: list[str]) -> Iterator[Target]:
    stack = [(top, [])]
    visited_dirs: set[str] = set()
    while stack:
        folder, inherited = stack.pop()
        try:
            real = os.path.realpath(folder)
        except (OSError, ValueError):
            continue
        if real in visited_dirs:  # a link loop, or a link to a folder already walked
            continue
        visited_dirs.add(real)
        rules = inherited
        gi = os.path.join(folder, ".gitignore")
        try:
            data = read_regular(gi)
            rules = inherited + [GitIgnore(folder, data.decode("utf-8", "replace").splitlines())]
        except Unreadable:
            pass
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        subdirs = []
        for entry in entries:
            path = entry.path
            try:
                is_dir = entry.is_dir()
                is_link = entry.is_symlink()
            except OSError:
                is_dir = is_link = False
            if _ignored(path, is_dir, rules) or _excluded(path, exclude, root):
                continue
            if is_dir:
                if entry.name.startswith(".") or entry.name in SKIP_DIRS or _is_venv(path):
                    continue
                if is_link and not _inside(os.path.realpath(path), roots):
                    continue  # a link out of the checked tree (`ln -s / d/root`) is not followed
                subdirs.append(path)
                continue
            language = language_of(entry.name, _first_bytes(path) if "." not in entry.name else None)
            if language is None:
                continue
            key = os.path.abspath(path)
            if key in seen:
                continue
            seen.add(key)
            yield Target(path, printable(os.path.normpath(path)), language)
        for sub in reversed(subdirs):
            stack.append((sub, rules))
