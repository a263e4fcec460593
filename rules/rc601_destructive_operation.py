from redcaplint.rule import Case, Rule
from redcaplint.rules._predicates import api_table, number, param_str


class DestructiveOperation(Rule):
    """
    ## What it does
    Flags calls a reviewer should look at twice: deletes (records, files, arms, events, DAGs,
    users), record renames, imports with `overwriteBehavior=overwrite`, metadata and
    project-settings imports, project creation, arm/event imports with `override=1`, and
    record deletes with `delete_logging=1`.

    ## Why is this bad
    These calls destroy or replace data that the REDCap audit trail cannot restore by itself.
    An overwrite import blanks every field the import file leaves empty.

    ## Example
    ```python
    project.import_records(rows, overwrite="overwrite")
    ```

    ## Use instead
    ```python
    project.import_records(rows)  # normal: blanks in the file leave stored values alone
    ```
    """

    code = "RC601"
    name = "destructive-operation"
    severity = "note"
    fix = "suggestion"
    suggestion = "Check the target first (an explicit record list, a dry run) and keep a backup"
    VALID = [Case('project.import_records(rows)\n')]
    INVALID = [Case('# ruleid: RC601\nproject.delete_records(["2001"])\n'),
               Case('# ruleid: RC601\nhttr::POST(url, body = list(token = t, content = "record", action = "delete", `records[0]` = "1"), httr::timeout(9))\n', 'case.R'),
               Case("<?php\n$project = new RedCapProject($url, getenv('REDCAP_API_TOKEN'));\n// ruleid: RC601\n$project->deleteRecords(['1001']);\n", 'case.php'),
               Case('// ruleid: RC601\nfetch(URL, { method: "POST", body: new URLSearchParams({ token, content: "record", action: "delete", "records[0]": "1" }), signal: AbortSignal.timeout(9000) });\n', 'case.js'),
               Case('# ruleid: RC601\ncurl -m 9 -d "token=$TOKEN&content=record&action=delete&records[0]=1" "$API_URL"\n', 'case.sh')]

    def check(self) -> None:
        structural = api_table()["contents"]["structural_imports"]
        for api in self.ctx.facts.api_calls:
            reason = None
            overwrite = (param_str(api, "overwriteBehavior") or "").lower()
            override = api.params.get("override")
            delete_logging = api.params.get("delete_logging")
            if api.operation in ("delete", "rename"):
                reason = f"{api.operation}s {api.content or 'data'}"
            elif api.operation == "create":
                reason = "creates a project"
            elif overwrite == "overwrite":
                reason = "imports with overwriteBehavior=overwrite (blanks overwrite stored values)"
            elif api.operation == "import" and api.content in structural:
                reason = f"replaces the project's {api.content}"
            elif api.operation == "import" and override is not None and number(override.value) == 1:
                reason = f"override=1 deletes all existing {api.content}s first"
            if reason is None and delete_logging is not None and number(delete_logging.value) == 1:
                reason = "deletes the records' logging too"
            if reason:
                self.report(api.span, f"Destructive operation: {reason}")
