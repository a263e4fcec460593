from redcaplint.findings import Edit, Fix
from redcaplint.model import Call, Dict, Seq
from redcaplint.rule import Case, Rule
from redcaplint.rules._predicates import param_str


FRAMES = {"data.frame", "tibble", "data_frame", "data.table", "tribble", "DataFrame", "pd.DataFrame",
          "pandas.DataFrame"}


def _builds_frame(callee: str) -> bool:
    base = callee.rpartition("::")[2]
    return base in FRAMES or base.rpartition(".")[2] == "DataFrame"


class DataNotJsonEncoded(Rule):
    """
    ## What it does
    Finds the `data` field of a raw API request carrying a native structure (dict, list, data
    frame) instead of an encoded string. A value whose type is not statically known is not
    reported.

    ## Why is this bad
    HTTP libraries form-encode a native structure into several fields (or only its keys), so
    REDCap receives no usable `data` and the import fails.

    ## Example
    ```python
    payload = {"token": TOKEN, "content": "record", "format": "json", "data": batch}
    ```

    ## Use instead
    ```python
    payload = {"token": TOKEN, "content": "record", "format": "json", "data": json.dumps(batch)}
    ```

    ## Fix safety
    Safe when the payload says `format=json`: the value is wrapped in the language's encoder
    (`json.dumps(...)` with `import json` where missing, `jsonlite::toJSON(...)`,
    `json_encode(...)`, `JSON.stringify(...)`). Otherwise only suggested, since the right
    encoder depends on the format.
    """

    code = "RC302"
    name = "data-not-json-encoded"
    fix = "safe"
    VALID = [Case('import json, requests\nrequests.post(U, data={"token": T, "content": "record", "data": json.dumps(rows)}, timeout=5)\n')]
    INVALID = [Case('import requests\nrequests.post(U, data={"token": T, "content": "record",\n'
                    '    # ruleid: RC302\n    "data": [{"record_id": "1"}]}, timeout=5)\n',
                    fixed='import requests\nrequests.post(U, data={"token": T, "content": "record",\n    # ruleid: RC302\n    "data": [{"record_id": "1"}]}, timeout=5)\n'),
               Case('import requests\nrequests.post(U, data={"token": T, "content": "record", "format": "json",\n'
                    '    # ruleid: RC302\n    "data": [{"record_id": "1"}]}, timeout=5)\n',
                    fixed='import requests\nimport json\nrequests.post(U, data={"token": T, "content": "record", "format": "json",\n    # ruleid: RC302\n    "data": json.dumps([{"record_id": "1"}])}, timeout=5)\n'),
               Case('httr::POST(url, body = list(token = t, content = "record", format = "json",\n  # ruleid: RC302\n  data = list(list(record_id = "1"))), httr::timeout(9))\n', 'case.R',
                    fixed='httr::POST(url, body = list(token = t, content = "record", format = "json",\n  # ruleid: RC302\n  data = jsonlite::toJSON(list(list(record_id = "1")))), httr::timeout(9))\n'),
               Case("<?php\n$fields = ['token' => getenv('REDCAP_API_TOKEN'), 'content' => 'record', 'format' => 'json',\n    // ruleid: RC302\n    'data' => [['record_id' => '1']]];\n$ch = curl_init($url);\ncurl_setopt($ch, CURLOPT_POSTFIELDS, $fields);\ncurl_setopt($ch, CURLOPT_TIMEOUT, 30);\ncurl_exec($ch);\n", 'case.php',
                    fixed="<?php\n$fields = ['token' => getenv('REDCAP_API_TOKEN'), 'content' => 'record', 'format' => 'json',\n    // ruleid: RC302\n    'data' => json_encode([['record_id' => '1']])];\n$ch = curl_init($url);\ncurl_setopt($ch, CURLOPT_POSTFIELDS, $fields);\ncurl_setopt($ch, CURLOPT_TIMEOUT, 30);\ncurl_exec($ch);\n"),
               Case('const body = { token, content: "record", format: "json",\n  // ruleid: RC302\n  data: [{ record_id: "1" }] };\naxios.post(URL, body, { timeout: 9000 });\n', 'case.js',
                    fixed='const body = { token, content: "record", format: "json",\n  // ruleid: RC302\n  data: JSON.stringify([{ record_id: "1" }]) };\naxios.post(URL, body, { timeout: 9000 });\n')]


    def check(self) -> None:
        for api in self.ctx.facts.api_calls:
            if api.kind != "http":
                continue
            p = api.params.get("data")
            if p is None:
                continue
            native = isinstance(p.value, (Dict, Seq)) or (isinstance(p.value, Call) and _builds_frame(p.value.callee))
            if not native:
                continue
            fix = Fix("suggestion", "Encode the data as JSON")
            template = self.ctx.spelling("json_encode")
            imports = self.ctx.import_edits("json_encode")
            if template and imports is not None and param_str(api, "format") == "json":
                text = self.ctx.script.source.text[p.site.start:p.site.end]
                fix = Fix("safe", "Encode the data as JSON",
                          (Edit(p.site.start, p.site.end, template.format(text)),) + imports)
            self.report(p.site, "`data` is a native structure, not a JSON-encoded string", fix)
