from redcaplint.findings import Edit, Fix
from redcaplint.model import Const, Num
from redcaplint.rule import Case, Rule


class TlsVerificationDisabled(Rule):
    """
    ## What it does
    Finds certificate checks turned off: `verify=False` on a request or client,
    `session.verify = False`, PyCap `verify_ssl=False`, PHPCap's `sslVerify` argument set to
    false (`new RedCapProject($url, $token, false)`), an unverified SSL context.

    ## Why is this bad
    Without certificate checks anyone on the network path can impersonate the REDCap server
    and read the token and the data sent with it.

    ## Example
    ```python
    requests.post(API_URL, data=payload, timeout=30, verify=False)
    ```

    ## Use instead
    ```python
    requests.post(API_URL, data=payload, timeout=30, verify="certs/campus-ca-bundle.pem")
    ```

    ## Fix safety
    Safe: `False` becomes `True` in the language's spelling; curl's `-k`/`--insecure` and
    wget's `--no-check-certificate` are removed. A server with a private CA then needs its
    bundle configured, which is the point.
    """

    code = "RC104"
    name = "tls-verification-disabled"
    severity = "error"
    fix = "safe"
    VALID = [Case('import requests\nrequests.post(URL, data=d, timeout=5, verify=True)\n'),
             # PHPCap's third argument is `sslVerify`: true, or left out (the library's default
             # is not an option the script turned off)
             Case('<?php\n$p = new RedCapProject($url, getenv("TOKEN"), true);\n$q = new RedCapProject($url, getenv("TOKEN"));\n', 'case.php')]
    INVALID = [Case('import requests\n# ruleid: RC104\nrequests.post(URL, data=d, timeout=5, verify=False)\n',
                    highlight="False", message="Certificate verification is turned off (verify=False)",
                    fixed='import requests\n# ruleid: RC104\nrequests.post(URL, data=d, timeout=5, verify=True)\n'),
               Case('# ruleid: RC104\nhttr::set_config(httr::config(ssl_verifypeer = FALSE))\n', 'case.R',
                    fixed='# ruleid: RC104\nhttr::set_config(httr::config(ssl_verifypeer = TRUE))\n'),
               Case('<?php\n// ruleid: RC104\ncurl_setopt($ch, CURLOPT_SSL_VERIFYPEER, false);\n', 'case.php',
                    fixed='<?php\n// ruleid: RC104\ncurl_setopt($ch, CURLOPT_SSL_VERIFYPEER, true);\n'),
               Case('// ruleid: RC104\nprocess.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";\n', 'case.js',
                    fixed='// ruleid: RC104\nprocess.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";\n'),
               Case('# ruleid: RC104\ncurl -k -m 9 -d "token=$TOKEN&content=version" "$API_URL"\n', 'case.sh',
                    fixed='# ruleid: RC104\ncurl -m 9 -d "token=$TOKEN&content=version" "$API_URL"\n'),
               Case('http = Net::HTTP.new(uri.host, uri.port)\n# ruleid: RC104\nhttp.verify_mode = OpenSSL::SSL::VERIFY_NONE\n', 'case.rb',
                    fixed='http = Net::HTTP.new(uri.host, uri.port)\n# ruleid: RC104\nhttp.verify_mode = OpenSSL::SSL::VERIFY_NONE\n'),
               Case('// ruleid: RC104\nHttpClient client = HttpClients.custom().setSSLHostnameVerifier(new NoopHostnameVerifier()).build();\n', 'case.java',
                    fixed='// ruleid: RC104\nHttpClient client = HttpClients.custom().setSSLHostnameVerifier(new NoopHostnameVerifier()).build();\n'),
               Case('<?php\n// ruleid: RC104\n$project = new RedCapProject($url, getenv("TOKEN"), false);\n', 'case.php',
                    highlight="false", message="Certificate verification is turned off (sslVerify=false)",
                    fixed='<?php\n// ruleid: RC104\n$project = new RedCapProject($url, getenv("TOKEN"), true);\n'),
               Case('# ruleid: RC104\nmy $ua = LWP::UserAgent->new(ssl_opts => { verify_hostname => 0 });\n', 'case.pl',
                    fixed='# ruleid: RC104\nmy $ua = LWP::UserAgent->new(ssl_opts => { verify_hostname => 1 });\n')]

    def check(self) -> None:
        an = self.ctx.analysis
        for t in self.ctx.facts.transports:
            call = t.call
            for key, value in t.verify_arguments():
                if self._off(an.resolve(value, an.scope_of(call.span))):
                    self.report(value.span, f"Certificate verification is turned off ({key}={self._text(value)})",
                                self._fix(value))
        for opt in self.ctx.script.options:
            if opt.kind == "tls-off":
                self.report(opt.span, "Certificate verification is turned off", self._fix(opt))

    def _text(self, value) -> str:
        return self.ctx.script.source.text[value.span.start:value.span.end]

    @staticmethod
    def _off(value) -> bool:
        return (isinstance(value, Const) and value.value is False) or (isinstance(value, Num) and value.value == 0)

    def _fix(self, value):
        text = self._text(value)
        on = (self.ctx.spelling("true_of") or {}).get(text)  # the literal that turns it back on
        if on is not None:
            return Fix("safe", "Turn certificate verification back on", (Edit(value.span.start, value.span.end, on),))
        drop = self.ctx.spelling("turn_tls_on")  # a flag that turns checks off, removed (curl -k)
        edit = drop(self.ctx.script.source.text, value.span) if drop is not None else None
        if edit is not None:
            return Fix("safe", "Turn certificate verification back on", (edit,))
        return Fix("suggestion", "Keep certificate verification on (the default)")
