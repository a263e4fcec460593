from redcaplint.findings import Edit, Fix
from redcaplint.rule import Case, Rule


class MissingTimeout(Rule):
    """
    ## What it does
    Finds a raw HTTP request to the API with no timeout: `requests` (or a `Session`) without
    `timeout=`, `urlopen` without `timeout`. A timeout on the client object counts; one set
    explicitly to none or 0 counts as none. httpx is not reported without one: it applies a
    5-second default.

    ## Why is this bad
    Without a timeout a request to a busy or unreachable server hangs forever: cron jobs pile
    up, and each hung worker may retry into an outage.

    ## Example
    ```python
    requests.post(API_URL, data=payload)
    ```

    ## Use instead
    ```python
    requests.post(API_URL, data=payload, timeout=60)
    ```

    ## Fix safety
    Unsafe: a timeout makes a slow export fail instead of waiting; choose the length.
    """

    code = "RC501"
    name = "missing-timeout"
    fix = "unsafe"
    VALID = [Case('import requests\nrequests.post(U, data={"token": T, "content": "version"}, timeout=30)\n')]
    INVALID = [Case('import requests\n# ruleid: RC501\nrequests.post(U, data={"token": T, "content": "version"})\n')]

    def check(self) -> None:
        seen = set()
        for api in self.ctx.facts.api_calls:
            if api.kind != "http" or api.timeout not in ("missing", "none"):
                continue
            span = api.inner.span if api.inner is not None else api.span
            if span in seen:
                continue
            seen.add(span)
            detail = "an explicit no-timeout" if api.timeout == "none" else "no timeout"
            self.report(span, f"API request with {detail}", self._fix(api, span))

    def _fix(self, api, span):
        """Languages with keyword arguments: add one before the closing parenthesis."""
        text = self.ctx.script.source.text
        keyword = self.ctx.spelling("timeout_keyword")
        if keyword is None or api.timeout != "missing" or text[span.end - 1:span.end] != ")":
            return Fix("suggestion", "Add a timeout (e.g. 60 s)")
        inside = text[span.start:span.end - 1].rstrip()
        sep = "" if inside.endswith(("(", ",")) else ", "
        at = span.start + len(inside)
        return Fix("unsafe", f"Add {keyword}", (Edit(at, at, f"{sep}{keyword}"),))
