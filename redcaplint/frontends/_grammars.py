"""Tree-sitter grammars, loaded once per process through the official binding (py-tree-sitter).

Every grammar comes from a wheel on the package index that works on CPython 3.10–3.13 and
bundles its parser (nothing is downloaded at run time): `tree-sitter-python`, `-php`, `-bash`,
`-javascript`, `-typescript`, and R from `tree-sitter-language-pack==0.13.0` (the r-lib grammar;
later releases of that package download grammars on first use, which must never happen, so it
is pinned exactly).

On a platform without a wheel, `REDCAPLINT_GRAMMAR_<LANGUAGE>` (e.g. `REDCAPLINT_GRAMMAR_R`)
names a shared library built from the grammar's sources that exports `tree_sitter_<language>`.
Where no grammar loads, files of that language are never counted as passed: the engine reports
them and the run exits 2.
"""
from __future__ import annotations

import ctypes
import importlib
import os
from typing import Callable

# language → (module, function returning the grammar's capsule)
WHEELS: dict[str, tuple[str, str, str]] = {
    "python": ("tree_sitter_python", "language", "tree-sitter-python"),
    "r": ("tree_sitter_language_pack.bindings.r", "language", "tree-sitter-language-pack==0.13.0"),
    # for the front ends of the next issue (PHP with its HTML, shell, JavaScript, TypeScript)
    "php": ("tree_sitter_php", "language_php", "tree-sitter-php"),
    "bash": ("tree_sitter_bash", "language", "tree-sitter-bash"),
    "javascript": ("tree_sitter_javascript", "language", "tree-sitter-javascript"),
    "typescript": ("tree_sitter_typescript", "language_typescript", "tree-sitter-typescript"),
    "tsx": ("tree_sitter_typescript", "language_tsx", "tree-sitter-typescript"),
    # the API Playground's other languages, Ruby and Java from the same pinned pack as R.
    # Perl from its own wheel: its scanner (like the pack's) can loop for ever inside C on
    # some broken inputs (an unterminated heredoc), which no parser timeout interrupts, so the
    # engine parses Perl in a child process it can kill (frontends/perl.py, engine.isolated)
    "perl": ("tree_sitter_perl", "language", "tree-sitter-perl"),
    "ruby": ("tree_sitter_language_pack.bindings.ruby", "language", "tree-sitter-language-pack==0.13.0"),
    "java": ("tree_sitter_language_pack.bindings.java", "language", "tree-sitter-language-pack==0.13.0"),
}
_CAPSULE_NAME = b"tree_sitter.Language"  # kept alive for the capsules made from it
_LANGUAGES: dict[str, object] = {}
_PARSERS: dict[str, object] = {}
_FAILED: dict[str, str] = {}


class GrammarUnavailable(Exception):
    pass


def _from_library(path: str, language: str):
    """A Language from a plain grammar library (the override): its `tree_sitter_<lang>()`
    pointer, wrapped in the capsule py-tree-sitter expects (a bare int is deprecated)."""
    from tree_sitter import Language

    lib = ctypes.cdll.LoadLibrary(path)
    fn = getattr(lib, f"tree_sitter_{language}")
    fn.restype = ctypes.c_void_p
    new_capsule: Callable = ctypes.pythonapi.PyCapsule_New
    new_capsule.restype = ctypes.py_object
    new_capsule.argtypes = (ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p)
    return Language(new_capsule(fn(), _CAPSULE_NAME, None))


def language(name: str):
    """The tree_sitter.Language of `name`, or GrammarUnavailable with a one-line reason."""
    found = _LANGUAGES.get(name)
    if found is not None:
        return found
    if name in _FAILED:
        raise GrammarUnavailable(_FAILED[name])
    override = os.environ.get(f"REDCAPLINT_GRAMMAR_{name.upper()}")
    try:
        if override:
            found = _from_library(override, name)
        else:
            from tree_sitter import Language

            module, function, _ = WHEELS[name]
            found = Language(getattr(importlib.import_module(module), function)())
    except Exception as exc:  # noqa: BLE001 - ImportError, OSError, AttributeError, ValueError
        how = (f"REDCAPLINT_GRAMMAR_{name.upper()}={override} could not be loaded" if override
               else f"install {WHEELS[name][2]}" if name in WHEELS else "no grammar is known")
        _FAILED[name] = f"no {name} grammar ({how}: {type(exc).__name__})"
        raise GrammarUnavailable(_FAILED[name]) from None
    _LANGUAGES[name] = found
    return found


def parser(name: str):
    """One Parser per language per process (parsers are reusable; making one costs time)."""
    found = _PARSERS.get(name)
    if found is None:
        from tree_sitter import Parser

        found = _PARSERS[name] = Parser(language(name))
    return found


def ensure(name: str):
    """None when the grammar loads, else why not (one line)."""
    try:
        language(name)
        return None
    except GrammarUnavailable as exc:
        return str(exc)
