import re

from redcaplint.model import Concat, Str
from redcaplint.rule import Case, Rule

QUERY_TOKEN = re.compile(r"(?i)([?&])token=$")
LITERAL_QUERY_TOKEN = re.compile(r"(?i)([?&])token=[0-9A-Za-z]{8,}")


class TokenInUrl(Rule):
    """
    ## What it does
    Finds the token put into a URL or query string: string building such as
    `f"{API_URL}?token={TOKEN}"` or `url + "?token=" + token`, and `params={"token": …}`.

    ## Why is this bad
    REDCap's API accepts POST only and never reads a token from the query string, so the
    request fails; meanwhile the URL, token included, lands in proxy, server and shell logs.

    ## Example
    ```python
    url = f"{API_URL}?token={TOKEN}&content=version"
    ```

    ## Use instead
    ```python
    requests.post(API_URL, data={"token": TOKEN, "content": "version"}, timeout=30)
    ```
    """

    code = "RC103"
    name = "token-in-url"
    fix = "suggestion"
    VALID = [Case('body = {"token": TOKEN, "content": "version"}\n')]
    INVALID = [Case('# ruleid: RC103\nurl = f"{API_URL}?token={TOKEN}&content=version"\n')]

    def check(self) -> None:
        seen = set()
        for v in self.ctx.script.strings:
            if isinstance(v, Concat) and v.span not in seen and self._puts_token(v):
                seen.add(v.span)
                self.report(v.span, "The token is put into a URL query string")
        for call, lib, scope in self.ctx.facts.http_calls:
            for key in self.ctx.analysis.surface.http[lib].get("query", []):
                q = call.kwarg(key)
                if q is None:
                    continue
                entries = self.ctx.analysis.dict_entries(q, scope)
                if entries and "token" in entries[0] and q.span not in seen:
                    seen.add(q.span)
                    self.report(entries[0]["token"][1].span, "The token is sent as a URL query parameter")

    @staticmethod
    def _puts_token(v: Concat) -> bool:
        """`?token=` starts a query string; `&token=` only counts after one (or after a URL):
        `"content=record&token=" + t` is a form-encoded POST body, which is fine."""
        parts = v.parts
        seen_query = False
        for i, part in enumerate(parts):
            if not isinstance(part, Str):
                continue
            text = part.value
            m = LITERAL_QUERY_TOKEN.search(text) or (
                QUERY_TOKEN.search(text) if i + 1 < len(parts) and not isinstance(parts[i + 1], Str) else None)
            if m and (m.group(1) == "?" or seen_query or "?" in text[:m.start()]):
                return True
            if "?" in text or text.lower().startswith("http"):
                seen_query = True
        return False
