from redcaplint.rule import Case, Rule
from redcaplint.rules._predicates import api_table, param_str


class DataParameterMismatch(Rule):
    """
    ## What it does
    Finds an export request that carries a `data` parameter (`action=export`, or an
    export-only content such as `report`, `version`, `exportFieldNames`, `surveyLink`,
    `log`), and an import (`action=import`, or a client import method) without one. For
    arm/event/dag, `data` without `action=import` is served as an export; for
    `content=file&action=import` the uploaded `file` part stands for `data`.

    ## Why is this bad
    REDCap decides by the presence of `data`: `content=record&action=import` without data is
    served as a full export, and an export-only content sent `data` errors.

    ## Example
    ```python
    {"token": TOKEN, "content": "record", "action": "import", "records": json.dumps(rows)}
    ```

    ## Use instead
    ```python
    {"token": TOKEN, "content": "record", "action": "import", "data": json.dumps(rows)}
    ```
    """

    code = "RC304"
    name = "data-parameter-mismatch"
    fix = "suggestion"
    suggestion = "Send `data` only with an import, and give every import its data"
    VALID = [Case('import requests\nrequests.post(U, data={"token": T, "content": "record", "action": "import", "data": "[]"}, timeout=5)\n')]
    INVALID = [Case('import requests\n# ruleid: RC304\nrequests.post(U, data={"token": T, "content": "record", "action": "import"}, timeout=5)\n'),
               Case('# ruleid: RC304\nhttr::POST(url, body = list(token = t, content = "version", data = "[]"), httr::timeout(9))\n', 'case.R'),
               Case("<?php\n$project = new RedCapProject($url, getenv('REDCAP_API_TOKEN'));\n// ruleid: RC304\n$project->importRecords();\n", 'case.php'),
               Case('# ruleid: RC304\ncurl -m 9 -d "token=$TOKEN&content=version&data=x" "$API_URL"\n', 'case.sh')]

    def check(self) -> None:
        contents = api_table()["contents"]
        for api in self.ctx.facts.api_calls:
            has_data = "data" in api.params or (api.content in ("file", "fileRepository") and "file" in api.params)
            if api.kind == "client":
                if api.operation == "import" and not has_data and not api.open:
                    self.report(api.span, f"`{api.method}` imports but is given no data")
                continue
            action = param_str(api, "action")
            content = api.content
            if has_data and (action == "export" or content in contents["export_only"]):
                self.report(api.span, f"Export request (content={content}) carries a `data` parameter")
            elif has_data and content in contents["need_import_action"] and action != "import":
                self.report(api.span, f"content={content} with `data` but no action=import is served as an export")
            elif action == "import" and not has_data and not api.open:
                self.report(api.span, "Import request has no `data` parameter"
                            + (" (REDCap serves it as a full record export)" if content == "record" else ""))
