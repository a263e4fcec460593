"""One tracker for handle-based HTTP in every language: pycurl, PHP curl, R's curl package,
XMLHttpRequest, Ruby's Net::HTTP, Java's Apache HttpClient. Options are set on an object one at a time and a later call sends it; the
request is modelled at that call, with the options gathered so far as keywords.

What each option *is* comes from the library's `handle_options` in `rules/data/clients.toml`
(option name → role: url, data, timeout, verify); how an option is set is the language's
syntax, read by its front end, which calls `set` and `request` here."""
from __future__ import annotations

from functools import lru_cache
from typing import Optional

from redcaplint.model import Call, Span, Value


@lru_cache(maxsize=None)
def handle_options(language: str, library: str) -> dict[str, str]:
    from redcaplint.rules import load_data

    return dict(load_data("clients").get(language, {}).get("http", {}).get(library, {}).get("handle_options", {}))


class Handles:
    def __init__(self, language: str, library: str) -> None:
        self.roles = handle_options(language, library)
        self.state: dict[str, dict[str, Value]] = {}

    def open(self, handle: str, **preset: Value) -> None:
        """A new handle (`curl_init($url)`, `new XMLHttpRequest()`): what it was made with."""
        self.state[handle] = dict(preset)

    def role_of(self, option: str) -> Optional[str]:
        return self.roles.get(option)

    def set(self, handle: str, option: str, value: Value) -> Optional[str]:
        """An option set on the handle; its role, or None for one no rule reads. A later
        setting of the same role replaces the earlier one (the library keeps the last)."""
        role = self.roles.get(option)
        if role is not None:
            self.state.setdefault(handle, {})[role] = value
        return role

    def set_role(self, handle: str, role: str, value: Value) -> None:
        self.state.setdefault(handle, {})[role] = value

    def has(self, handle: str) -> bool:
        return handle in self.state

    def options(self, handle: Optional[str]) -> dict[str, Value]:
        return dict(self.state.get(handle or "", {}))

    def request(self, span: Span, callee: str, handle: Optional[str], *extra: tuple[str, Value]) -> Call:
        """The call that sends the handle, as a request with its options as keywords (`extra`:
        what the sending call or a second object adds — Net::HTTP's client settings)."""
        options = self.options(handle)
        options.update(extra)
        return Call(span, callee, (), tuple(options.items()))
