"""Tree-sitter grammars that ast-grep-py does not ship, loaded once per process.

R comes from the `tree-sitter-languages` 1.10.2 wheel, whose `languages.so` exports
`tree_sitter_r` (the package's own Python API is never imported: with current `tree-sitter`
it fails). The wheel exists for CPython 3.11 and 3.12 only; elsewhere `REDCAPLINT_R_GRAMMAR`
may name a `languages.so` taken from that wheel. Where no grammar can be loaded, R files are
skipped with one message per run.

ast-grep raises a Rust `PanicException` (a BaseException, not an Exception) for a language it
does not know: `parse()` is the one place that guards it.
"""
from __future__ import annotations

import importlib.util
import os
from typing import Optional

_STATE: dict[str, Optional[str]] = {}  # language -> None when registered, else the reason


def _r_library() -> Optional[str]:
    env = os.environ.get("REDCAPLINT_R_GRAMMAR")
    if env:
        return env if os.path.isfile(env) else None
    try:
        spec = importlib.util.find_spec("tree_sitter_languages")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin:
        return None
    path = os.path.join(os.path.dirname(spec.origin), "languages.so")
    return path if os.path.isfile(path) else None


def ensure(language: str) -> Optional[str]:
    """Register `language` if needed. None when usable, else why not (one line)."""
    if language in _STATE:
        return _STATE[language]
    reason: Optional[str] = None
    if language == "r":
        library = _r_library()
        if library is None:
            reason = ("no R grammar: install tree-sitter-languages==1.10.2 (CPython 3.11/3.12) "
                      "or set REDCAPLINT_R_GRAMMAR to its languages.so")
        else:
            try:
                import ast_grep_py

                ast_grep_py.register_dynamic_language({"r": {
                    "library_path": library, "language_symbol": "tree_sitter_r",
                    "meta_var_char": "µ", "expando_char": "µ", "extensions": ["r", "R"]}})
            except BaseException as exc:  # noqa: BLE001 - pyo3 PanicException included
                if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                    raise
                reason = f"the R grammar could not be loaded ({type(exc).__name__})"
    _STATE[language] = reason
    return reason


class GrammarUnavailable(Exception):
    pass


def parse(text: str, language: str):
    """The root node of `text`, or GrammarUnavailable (never a Rust panic)."""
    reason = ensure(language)
    if reason is not None:
        raise GrammarUnavailable(reason)
    from ast_grep_py import SgRoot

    try:
        return SgRoot(text, language).root()
    except BaseException as exc:  # noqa: BLE001
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        raise GrammarUnavailable(f"{language} parser failed: {type(exc).__name__}") from None
