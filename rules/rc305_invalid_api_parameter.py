import difflib

from redcaplint.findings import Edit, Fix
from redcaplint.model import Str
from redcaplint.rule import Case, Rule
from redcaplint.rules._predicates import api_table


class InvalidApiParameter(Rule):
    """
    ## What it does
    Finds a `content`, `action`, `format`, `returnFormat`, `type`, `overwriteBehavior`,
    `rawOrLabel`, `rawOrLabelHeaders`, `returnContent` or `dateFormat` value the REDCap API does
    not accept (`content: "records"`), also through client arguments that map one-to-one onto
    them (PyCap `overwrite=`, `raw_or_label=`); a payload with `content` but no `token`; and
    `content=file`/`fileRepository` without an `action`. `content`, `action`, `format` and
    `dateFormat` are case-sensitive; the others are lower-cased by the server first.

    ## Why is this bad
    REDCap rejects an unknown `content` with HTTP 400, but silently substitutes defaults for
    most other bad values: a misspelt `format` exports XML, a misspelt `overwriteBehavior`
    becomes `normal`. The script seems to work and does something else.

    ## Example
    ```python
    {"token": TOKEN, "content": "records", "format": "json"}
    ```

    ## Use instead
    ```python
    {"token": TOKEN, "content": "record", "format": "json"}
    ```

    ## Fix safety
    Safe when exactly one accepted value is a close spelling of the written one.
    """

    code = "RC305"
    name = "invalid-api-parameter"
    fix = "safe"
    VALID = [Case('import requests\nrequests.post(U, data={"token": T, "content": "record", "type": "EAV"}, timeout=5)\n')]
    INVALID = [Case('import requests\n# ruleid: RC305\nrequests.post(U, data={"token": T, "content": "records"}, timeout=5)\n',
                    fixed='import requests\n# ruleid: RC305\nrequests.post(U, data={"token": T, "content": "record"}, timeout=5)\n'),
               Case('httr::POST(url, body = list(token = t,\n  # ruleid: RC305\n  content = "records"), httr::timeout(9))\n', 'case.R',
                    fixed='httr::POST(url, body = list(token = t,\n  # ruleid: RC305\n  content = "record"), httr::timeout(9))\n'),
               Case("<?php\n$fields = ['token' => getenv('REDCAP_API_TOKEN'),\n    // ruleid: RC305\n    'content' => 'records'];\n$ch = curl_init($url);\ncurl_setopt($ch, CURLOPT_POSTFIELDS, $fields);\ncurl_setopt($ch, CURLOPT_TIMEOUT, 30);\ncurl_exec($ch);\n", 'case.php',
                    fixed="<?php\n$fields = ['token' => getenv('REDCAP_API_TOKEN'),\n    // ruleid: RC305\n    'content' => 'record'];\n$ch = curl_init($url);\ncurl_setopt($ch, CURLOPT_POSTFIELDS, $fields);\ncurl_setopt($ch, CURLOPT_TIMEOUT, 30);\ncurl_exec($ch);\n"),
               Case('const body = new URLSearchParams({ token,\n  // ruleid: RC305\n  content: "records" });\nfetch(URL, { method: "POST", body, signal: AbortSignal.timeout(9000) });\n', 'case.js',
                    fixed='const body = new URLSearchParams({ token,\n  // ruleid: RC305\n  content: "record" });\nfetch(URL, { method: "POST", body, signal: AbortSignal.timeout(9000) });\n'),
               Case('# ruleid: RC305\ncurl -m 9 -d "token=$TOKEN&content=records" "$API_URL"\n', 'case.sh',
                    fixed='# ruleid: RC305\ncurl -m 9 -d "token=$TOKEN&content=record" "$API_URL"\n')]

    def check(self) -> None:
        table = api_table()
        values = table["values"]
        folded = set(table["case_insensitive"]["names"])
        seen = set()
        for api in self.ctx.facts.api_calls:
            for name, p in api.params.items():
                if api.mapped is not None and name not in api.mapped:
                    continue
                accepted = values.get(name)
                v = p.value
                if accepted is None or not isinstance(v, Str) or v.span in seen:
                    continue
                written = v.value.lower() if name in folded else v.value
                if written in accepted or (written == "" and name != "content"):
                    continue
                seen.add(v.span)
                self.report(v.span, f"`{name}` value {v.value!r} is not accepted by the REDCap API",
                            self._fix(v, accepted))
            content = api.params.get("content")
            if api.kind == "http" and content is not None and isinstance(content.value, Str) \
                    and content.value.span not in seen:
                if "token" not in api.params and not api.open:
                    seen.add(content.value.span)
                    self.report(content.value.span, "Payload has `content` but no `token`")
                elif api.content in table["contents"]["action_required"] and "action" not in api.params and not api.open:
                    seen.add(content.value.span)
                    self.report(content.value.span, f"content={api.content} needs an `action` (REDCap answers 400)")

    def _fix(self, v: Str, accepted: list[str]):
        close = difflib.get_close_matches(v.value, accepted, n=2, cutoff=0.75)
        lowered = [a for a in accepted if a.lower() == v.value.lower()]
        choice = lowered if len(lowered) == 1 else close
        if len(choice) != 1:
            return Fix("suggestion", "Use one of: " + ", ".join(accepted[:12]))
        text = self.ctx.script.source.text
        at = text.find(v.value, v.span.start, v.span.end)
        if at < 0:
            return Fix("suggestion", f"Use {choice[0]!r}")
        return Fix("safe", f"Use {choice[0]!r}", (Edit(at, at + len(v.value), choice[0]),))
