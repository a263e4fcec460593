from redcaplint.findings import Edit, Fix
from redcaplint.model import Dict
from redcaplint.rule import Case, Rule
from redcaplint.rules._predicates import encoded, encoder_of


class PayloadNotList(Rule):
    """
    ## What it does
    Finds record-import data that is one JSON object instead of an array of records:
    `json.dumps({...})` sent as `data`, or a single dict passed to a client's
    `import_records`. Reported on the encoding call, or on the object when there is none.

    ## Why is this bad
    REDCap's import expects `[{...}, {...}]`. A bare object makes the import fail, or import
    nothing, with an error that does not say why.

    ## Example
    ```python
    payload["data"] = json.dumps(visit)
    ```

    ## Use instead
    ```python
    payload["data"] = json.dumps([visit])
    ```

    ## Fix safety
    Safe: the one record is wrapped in the language's one-element list (`[record]`, R's
    `list(record)`), which is what the API expects.
    """

    code = "RC301"
    name = "payload-not-list"
    severity = "error"
    fix = "safe"
    VALID = [Case('project.import_records([{"record_id": "1"}])\n')]
    INVALID = [Case('# ruleid: RC301\nproject.import_records({"record_id": "1"})\n',
                    fixed='# ruleid: RC301\nproject.import_records([{"record_id": "1"}])\n'),
               Case('body <- list(token = t, content = "record", action = "import", format = "json",\n'
                    '  # ruleid: RC301\n  data = jsonlite::toJSON(list(record_id = "1"), auto_unbox = TRUE))\n'
                    'httr::POST(url, body = body, httr::timeout(9))\n', "case.R",
                    fixed='body <- list(token = t, content = "record", action = "import", format = "json",\n  # ruleid: RC301\n  data = jsonlite::toJSON(list(list(record_id = "1")), auto_unbox = TRUE))\nhttr::POST(url, body = body, httr::timeout(9))\n'),
               Case("<?php\n$fields = ['token' => getenv('REDCAP_API_TOKEN'), 'content' => 'record', 'format' => 'json',\n    // ruleid: RC301\n    'data' => json_encode(['record_id' => '1'])];\n$ch = curl_init($url);\ncurl_setopt($ch, CURLOPT_POSTFIELDS, http_build_query($fields));\ncurl_setopt($ch, CURLOPT_TIMEOUT, 30);\ncurl_exec($ch);\n", 'case.php',
                    fixed="<?php\n$fields = ['token' => getenv('REDCAP_API_TOKEN'), 'content' => 'record', 'format' => 'json',\n    // ruleid: RC301\n    'data' => json_encode([['record_id' => '1']])];\n$ch = curl_init($url);\ncurl_setopt($ch, CURLOPT_POSTFIELDS, http_build_query($fields));\ncurl_setopt($ch, CURLOPT_TIMEOUT, 30);\ncurl_exec($ch);\n"),
               Case('const body = new URLSearchParams({ token, content: "record", format: "json",\n  // ruleid: RC301\n  data: JSON.stringify({ record_id: "1" }) });\nfetch(URL, { method: "POST", body, signal: AbortSignal.timeout(9000) });\n', 'case.js',
                    fixed='const body = new URLSearchParams({ token, content: "record", format: "json",\n  // ruleid: RC301\n  data: JSON.stringify([{ record_id: "1" }]) });\nfetch(URL, { method: "POST", body, signal: AbortSignal.timeout(9000) });\n'),
               Case("record = { record_id: '1' }\nform = { token: ENV['REDCAP_API_TOKEN'], content: 'record', format: 'json',\n         # ruleid: RC301\n         data: record.to_json }\nCurl::Easy.http_post(ENV['REDCAP_API_URL'], form.collect { |k, v| Curl::PostField.content(k.to_s, v) })\n", 'case.rb',
                    fixed="record = { record_id: '1' }\nform = { token: ENV['REDCAP_API_TOKEN'], content: 'record', format: 'json',\n         # ruleid: RC301\n         data: [record].to_json }\nCurl::Easy.http_post(ENV['REDCAP_API_URL'], form.collect { |k, v| Curl::PostField.content(k.to_s, v) })\n")]

    def check(self) -> None:
        an = self.ctx.analysis
        for api in self.ctx.facts.api_calls:
            if api.content != "record" or api.operation != "import":
                continue
            p = api.params.get("data")
            if p is None:
                continue
            scope = api.scope
            encoder = encoder_of(p.value)
            subject = encoded(encoder) if encoder is not None else None
            if subject is not None:
                if isinstance(an.resolve(subject, scope), Dict):
                    self.report(encoder.span, "Import data is one JSON object; REDCap expects a list of records",
                                self._wrap(subject.span))
            elif api.kind == "client" and isinstance(p.value, Dict):
                self.report(p.site, "Import data is one record (a dict); pass a list of records", self._wrap(p.site))

    def _wrap(self, span) -> Fix:
        """The record inside the language's one-element list (`[x]`, R's `list(x)`)."""
        template = self.ctx.spelling("list_of")
        if template is None:
            return Fix("suggestion", "Wrap the record in a list")
        before, _, after = template.partition("{}")
        return Fix("safe", "Wrap the record in a list",
                   (Edit(span.start, span.start, before), Edit(span.end, span.end, after)))
