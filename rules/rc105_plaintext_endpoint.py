import re

from redcaplint.findings import Edit, Fix
from redcaplint.model import Str
from redcaplint.rule import Case, Rule

LOOPBACK = re.compile(r"(?i)^http://(localhost|127\.\d+\.\d+\.\d+|\[::1\]|0\.0\.0\.0)(?=[:/]|$)")


class PlaintextEndpoint(Rule):
    """
    ## What it does
    Finds an API URL that uses `http://`: one used (directly or through a name) as the
    endpoint of a REDCap request or client, or any URL ending in `/api/`. Loopback hosts are
    exempt, and so are other `http://` URLs such as proxies or documentation links.

    ## Why is this bad
    Over plain HTTP the token and the records travel readable by anyone on the network path.

    ## Example
    ```python
    API_URL = "http://redcap.example.edu/api/"
    ```

    ## Use instead
    ```python
    API_URL = "https://redcap.example.edu/api/"
    ```

    ## Fix safety
    Safe: REDCap servers serve the API over HTTPS; the scheme is the only change.
    """

    code = "RC105"
    name = "plaintext-endpoint"
    fix = "safe"
    VALID = [Case('LOCAL = "http://localhost:8080/redcap/api/"\nPROXY = "http://proxy.example.edu:3128"\n')]
    INVALID = [Case('# ruleid: RC105\nAPI_URL = "http://redcap.example.edu/api/"\n',
                    fixed='# ruleid: RC105\nAPI_URL = "https://redcap.example.edu/api/"\n'),
               Case('# ruleid: RC105\napi_url <- "http://redcap.example.edu/api/"\n', 'case.R',
                    fixed='# ruleid: RC105\napi_url <- "https://redcap.example.edu/api/"\n'),
               Case("<?php\n// ruleid: RC105\n$api_url = 'http://redcap.example.edu/api/';\n", 'case.php',
                    fixed="<?php\n// ruleid: RC105\n$api_url = 'https://redcap.example.edu/api/';\n"),
               Case('// ruleid: RC105\nconst API_URL = "http://redcap.example.edu/api/";\n', 'case.js',
                    fixed='// ruleid: RC105\nconst API_URL = "https://redcap.example.edu/api/";\n'),
               Case('# ruleid: RC105\nAPI_URL="http://redcap.example.edu/api/"\n', 'case.sh',
                    fixed='# ruleid: RC105\nAPI_URL="https://redcap.example.edu/api/"\n'),
               Case("# ruleid: RC105\nAPI_URL = 'http://redcap.example.edu/api/'\n", 'case.rb',
                    fixed="# ruleid: RC105\nAPI_URL = 'https://redcap.example.edu/api/'\n"),
               Case("my $ua = LWP::UserAgent->new;\n# ruleid: RC105\n$ua->post('http://redcap.example.edu/api/', { token => $ENV{'REDCAP_API_TOKEN'}, content => 'version' });\n", 'case.pl',
                    fixed="my $ua = LWP::UserAgent->new;\n# ruleid: RC105\n$ua->post('https://redcap.example.edu/api/', { token => $ENV{'REDCAP_API_TOKEN'}, content => 'version' });\n")]

    def check(self) -> None:
        an, facts, script = self.ctx.analysis, self.ctx.facts, self.ctx.script
        candidates: dict = {}
        for api in facts.api_calls:
            if api.url is not None:
                candidates[api.url.span] = api.url
        for ctor in facts.ctors:
            if ctor.url is not None:
                v = an.resolve(ctor.url, ctor.scope)
                candidates[v.span] = v
        for v in script.strings:
            if isinstance(v, Str) and v.value[:7].lower() == "http://" and v.value.rstrip("/").lower().endswith("/api"):
                candidates[v.span] = v
        for span, v in sorted(candidates.items(), key=lambda kv: kv[0].start):
            if not isinstance(v, Str) or not v.value.lower().startswith("http://") or LOOPBACK.match(v.value):
                continue
            text = script.source.text
            at = text.find("http://", span.start, span.end)
            if at < 0:
                at = text.lower().find("http://", span.start, span.end)
            fix = Fix("safe", "Use https://", (Edit(at, at + len("http://"), "https://"),)) if at >= 0 else None
            self.report(span, f"The REDCap API URL uses plain http:// ({v.value.strip()})", fix)
