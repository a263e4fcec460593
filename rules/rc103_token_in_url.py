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
    suggestion = "Send the token in the POST body, never in the URL"
    VALID = [Case('body = {"token": TOKEN, "content": "version"}\n'),
             Case('link = f"{FRONTEND}/login?token={token}"\n'),
             Case('import requests\nrequests.post("https://oauth2.googleapis.com/revoke", params={"token": creds.token}, timeout=9)\n')]
    INVALID = [Case('# ruleid: RC103\nurl = f"{API_URL}?token={TOKEN}&content=version"\n'),
               Case('# ruleid: RC103\nurl = f"{HOST}/redcap/api/?token={TOKEN}&content=version"\n'),
               Case('# ruleid: RC103\nurl <- paste0(api_url, "?token=", token, "&content=version")\n', 'case.R'),
               Case('// ruleid: RC103\nconst url = `${API_URL}?token=${token}&content=version`;\n', 'case.js'),
               Case('# ruleid: RC103\ncurl -G -m 9 -d "token=$TOKEN" -d content=version "$API_URL"\n', 'case.sh')]

    def check(self) -> None:
        seen = set()
        reported: list = []
        # outermost first: `url + "?token=" + t + "&content=…"` is one chain of nested
        # expressions, reported once
        built = sorted((v for v in self.ctx.script.strings if isinstance(v, Concat)),
                       key=lambda v: (v.span.start, -v.span.end))
        for v in built:
            if v.span in seen or any(r.contains(v.span) for r in reported[-1:]):
                continue
            if self._puts_token(v):
                seen.add(v.span)
                reported.append(v.span)
                self.report(v.span, "The token is put into a URL query string")
        # a query parameter named `token` counts on a REDCap request only (an OAuth revoke
        # call takes `token` too): the model says which parameters travel in the URL
        for api in self.ctx.facts.api_calls:
            p = api.params.get("token")
            if p is not None and p.in_query and p.site not in seen:
                seen.add(p.site)
                self.report(p.site, "The token is sent as a URL query parameter")

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
            if m and (m.group(1) == "?" or seen_query or "?" in text[:m.start()]) and _could_be_api(text[:m.start()]):
                return True
            if "?" in text or text.lower().startswith("http"):
                seen_query = True
        return False


def _could_be_api(before: str) -> bool:
    """The URL text written before the query: REDCap's endpoint is `…/api/` (or a variable). A
    path that names another page (`/login?token=…`, an app's own sign-in link) is not it."""
    path = before.split("?", 1)[0].lower()
    if "/" not in path:
        return True  # `${API_URL}?token=`, `API + "?token="`: the endpoint is a variable
    return "redcap" in path or path.rstrip("/").endswith("/api") or path.endswith("/api/")
