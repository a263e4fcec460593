"""Finding the files to lint and reading them defensively: directories are walked honouring
`.gitignore` and `exclude`, virtualenvs and hidden folders are skipped, and a file that is
binary, not UTF-8, huge, a broken or looping link gives a one-line notice, never a crash."""
from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass
from typing import Iterator, Optional

from redcaplint.frontends import language_of

MAX_BYTES = 16 * 1024 * 1024
SKIP_DIRS = {"node_modules", "__pycache__", "site-packages", "venv", "env", "renv", "packrat",
             "build", "dist"}


@dataclass
class Target:
    path: str  # as given or found (used to open)
    display: str  # as shown in reports
    language: Optional[str]
    explicit: bool = False


class GitIgnore:
    """The subset of gitignore that scripts folders use: globs, `dir/`, `/anchored`, `!neg`."""

    def __init__(self, base: str, lines: list[str]) -> None:
        self.base = base
        self.rules: list[tuple[str, bool, bool, bool]] = []  # pattern, negate, dir_only, anchored
        for raw in lines:
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            negate = line.startswith("!")
            line = line[1:] if negate else line
            dir_only = line.endswith("/")
            line = line.rstrip("/")
            anchored = "/" in line
            self.rules.append((line.lstrip("/"), negate, dir_only, anchored))

    def ignored(self, path: str, is_dir: bool) -> Optional[bool]:
        rel = os.path.relpath(path, self.base).replace(os.sep, "/")
        verdict = None
        for pattern, negate, dir_only, anchored in self.rules:
            if dir_only and not is_dir:
                continue
            target = rel if anchored else rel.rsplit("/", 1)[-1]
            if fnmatch.fnmatchcase(target, pattern):
                verdict = not negate
        return verdict


def _excluded(path: str, patterns: list[str], root: str) -> bool:
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
    for given in paths:
        if os.path.isdir(given):
            yield from _walk(given, exclude, root, seen)
        else:
            if force_exclude and _excluded(given, exclude, root):
                continue
            key = os.path.abspath(given)
            if key in seen:
                continue
            seen.add(key)
            yield Target(given, os.path.normpath(given), language_of(given, _head(given)), explicit=True)


def _head(path: str) -> Optional[bytes]:
    if os.path.splitext(path)[1]:
        return None
    try:
        with open(path, "rb") as fh:
            return fh.read(128)
    except OSError:
        return None


def _walk(top: str, exclude: list[str], root: str, seen: set[str]) -> Iterator[Target]:
    ignores: list[GitIgnore] = []
    stack = [(top, ignores)]
    visited_dirs: set[str] = set()
    while stack:
        folder, inherited = stack.pop()
        try:
            real = os.path.realpath(folder)
        except OSError:
            continue
        if real in visited_dirs:  # a link loop
            continue
        visited_dirs.add(real)
        rules = list(inherited)
        gi = os.path.join(folder, ".gitignore")
        if os.path.isfile(gi):
            try:
                with open(gi, encoding="utf-8", errors="replace") as fh:
                    rules.append(GitIgnore(folder, fh.read().splitlines()))
            except OSError:
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
            except OSError:
                is_dir = False
            if _ignored(path, is_dir, rules) or _excluded(path, exclude, root):
                continue
            if is_dir:
                if entry.name.startswith(".") or entry.name in SKIP_DIRS or _is_venv(path):
                    continue
                subdirs.append(path)
                continue
            language = language_of(entry.name, _head(path) if "." not in entry.name else None)
            if language is None:
                continue
            key = os.path.abspath(path)
            if key in seen:
                continue
            seen.add(key)
            yield Target(path, os.path.normpath(path), language)
        for sub in reversed(subdirs):
            stack.append((sub, rules))


def _ignored(path: str, is_dir: bool, rules: list[GitIgnore]) -> bool:
    verdict = False
    for r in rules:
        v = r.ignored(path, is_dir)
        if v is not None:
            verdict = v
    return verdict


def read_text(path: str) -> tuple[Optional[str], Optional[str]]:
    """(text, notice). text is None when the file is skipped; a notice explains why."""
    try:
        if os.path.islink(path) and not os.path.exists(path):
            return None, "broken symbolic link, skipped"
        st = os.stat(path)
        if os.path.isdir(path):
            return None, "is a directory, skipped"
        if st.st_size > MAX_BYTES:
            return None, f"larger than {MAX_BYTES // (1024 * 1024)} MB, skipped"
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        return None, f"cannot read: {exc.strerror or exc}"
    return decode(data)


def decode(data: bytes) -> tuple[Optional[str], Optional[str]]:
    if b"\x00" in data[:8192]:
        return None, "binary file (NUL bytes), skipped"
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        text = data.decode("utf-8-sig", errors="replace")
        return text, f"not valid UTF-8 (byte {exc.start}); read with replacement characters"
