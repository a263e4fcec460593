from redcaplint.findings import Fix
from redcaplint.model import Timeout
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
    Unsafe: a timeout makes a slow export fail instead of waiting; choose the length. The
    library's own argument is added to the call (`timeout=60`, `httr::timeout(60)`, curl's
    `--max-time 60`); where the timeout is an option on a handle or in an options object
    (pycurl, PHP curl, fetch's `signal`), it is described, not inserted.
    """

    code = "RC501"
    name = "missing-timeout"
    fix = "unsafe"
    VALID = [Case('import requests\nrequests.post(U, data={"token": T, "content": "version"}, timeout=30)\n')]
    INVALID = [Case('import requests\n# ruleid: RC501\nrequests.post(U, data={"token": T, "content": "version"})\n',
                    message="API request with no timeout", highlight='requests.post(U, data={"token": T, "content": "version"})',
                    fixed='import requests\n# ruleid: RC501\nrequests.post(U, data={"token": T, "content": "version"}, timeout=60)\n'),
               Case('# ruleid: RC501\nhttr::POST(url, body = list(token = t, content = "version"))\n', "case.R",
                    fixed='# ruleid: RC501\nhttr::POST(url, body = list(token = t, content = "version"), httr::timeout(60))\n'),
               Case('# ruleid: RC501\ncurl -d "token=$T&content=version" "$URL"\n', "case.sh",
                    fixed='# ruleid: RC501\ncurl -d "token=$T&content=version" "$URL" --max-time 60\n'),
               # pycurl: the timeout is an option set on the handle; described, not inserted
               Case('import pycurl\nfrom urllib.parse import urlencode\nc = pycurl.Curl()\nc.setopt(pycurl.URL, U)\n'
                    'c.setopt(pycurl.POSTFIELDS, urlencode({"token": T, "content": "version"}))\n# ruleid: RC501\nc.perform()\n',
                    fixed='import pycurl\nfrom urllib.parse import urlencode\nc = pycurl.Curl()\nc.setopt(pycurl.URL, U)\nc.setopt(pycurl.POSTFIELDS, urlencode({"token": T, "content": "version"}))\n# ruleid: RC501\nc.perform()\n'),
               Case("<?php\n$ch = curl_init($url);\ncurl_setopt($ch, CURLOPT_POSTFIELDS, ['token' => getenv('REDCAP_API_TOKEN'), 'content' => 'version']);\n// ruleid: RC501\ncurl_exec($ch);\n", 'case.php',
                    fixed="<?php\n$ch = curl_init($url);\ncurl_setopt($ch, CURLOPT_POSTFIELDS, ['token' => getenv('REDCAP_API_TOKEN'), 'content' => 'version']);\n// ruleid: RC501\ncurl_exec($ch);\n"),
               Case('// ruleid: RC501\nfetch(URL, { method: "POST", body: new URLSearchParams({ token, content: "version" }) });\n', 'case.js',
                    fixed='// ruleid: RC501\nfetch(URL, { method: "POST", body: new URLSearchParams({ token, content: "version" }) });\n'),
               Case("http = Net::HTTP.new(uri.host, uri.port)\nreq = Net::HTTP::Post.new(uri.request_uri)\nreq.set_form_data(token: ENV['REDCAP_API_TOKEN'], content: 'version')\n# ruleid: RC501\nhttp.request(req)\n", 'case.rb',
                    fixed="http = Net::HTTP.new(uri.host, uri.port)\nreq = Net::HTTP::Post.new(uri.request_uri)\nreq.set_form_data(token: ENV['REDCAP_API_TOKEN'], content: 'version')\n# ruleid: RC501\nhttp.request(req)\n"),
               Case('List<NameValuePair> params = new ArrayList<NameValuePair>();\nparams.add(new BasicNameValuePair("token", System.getenv("REDCAP_API_TOKEN")));\nparams.add(new BasicNameValuePair("content", "version"));\nHttpPost post = new HttpPost("https://redcap.example.edu/api/");\npost.setEntity(new UrlEncodedFormEntity(params));\n// ruleid: RC501\nclient.execute(post);\n', 'case.java',
                    fixed='List<NameValuePair> params = new ArrayList<NameValuePair>();\nparams.add(new BasicNameValuePair("token", System.getenv("REDCAP_API_TOKEN")));\nparams.add(new BasicNameValuePair("content", "version"));\nHttpPost post = new HttpPost("https://redcap.example.edu/api/");\npost.setEntity(new UrlEncodedFormEntity(params));\n// ruleid: RC501\nclient.execute(post);\n')]

    def check(self) -> None:
        seen = set()
        for api in self.ctx.facts.api_calls:
            if api.kind != "http" or api.timeout not in (Timeout.MISSING, Timeout.NONE):
                continue
            span = api.inner.span if api.inner is not None else api.span
            if span in seen:
                continue
            seen.add(span)
            detail = "an explicit no-timeout" if api.timeout is Timeout.NONE else "no timeout"
            self.report(span, f"API request with {detail}", self._fix(api, span))

    def _fix(self, api, span):
        """The library's timeout argument (`timeout=60`, `httr::timeout(60)`, `--max-time 60`)
        added to the call, where the library takes one there and the language can add it."""
        add, argument = self.ctx.spelling("add_argument"), api.timeout_argument
        edit = add(self.ctx.script.source.text, span, argument) if (
            add is not None and argument is not None and api.timeout is Timeout.MISSING) else None
        if edit is None:
            return Fix("suggestion", "Add a timeout (e.g. 60 s)")
        return Fix("unsafe", f"Add {argument}", (edit,))
