from redcaplint.rule import Case, Rule
from redcaplint.rules._predicates import repeated_by_loop, unrestricted_export


class ExportRate(Rule):
    """
    ## What it does
    Finds an unrestricted (large) record export repeated in a loop whose sleep is shorter than
    the large-export interval (300 s by default), or that does not sleep at all. A retry loop
    repeats its export too. Sleeps of unknown length are given the benefit of the doubt.

    ## Why is this bad
    Policy allows one large (>500 KB) export per 5 minutes. A dashboard that re-exports the
    whole project every minute is the classic outage.

    ## Example
    ```python
    while True:
        df = project.export_records(format_type="df")
        time.sleep(60)
    ```

    ## Use instead
    ```python
    while True:
        df = project.export_records(format_type="df", date_begin=last_run)
        time.sleep(300)
    ```
    """

    code = "RC402"
    name = "export-rate"
    fix = "suggestion"
    suggestion = "Restrict the export (records, fields, forms, a filter) or export once, outside the loop"
    VALID = [Case('import time\nwhile True:\n    project.export_records(format_type="df")\n    time.sleep(600)\n')]
    INVALID = [Case('import time\nwhile True:\n    # ruleid: RC402\n    project.export_records(format_type="df")\n    time.sleep(60)\n'),
               Case('repeat {\n  # ruleid: RC402\n  httr::POST(url, body = list(token = t, content = "record"), httr::timeout(99))\n  Sys.sleep(60)\n}\n', 'case.R'),
               Case('async function watch(url, token) {\n  while (true) {\n    // ruleid: RC402\n    await fetch(url, { method: "POST", body: new URLSearchParams({ token, content: "record" }), signal: AbortSignal.timeout(90000) });\n    await new Promise((resolve) => setTimeout(resolve, 60000));\n  }\n}\n', 'case.js'),
               Case('while true; do\n  # ruleid: RC402\n  curl -m 99 -d "token=$TOKEN&content=record" "$API_URL" -o all.csv\n  sleep 60\ndone\n', 'case.sh')]

    def check(self) -> None:
        ctx = self.ctx
        an, facts, limit = ctx.analysis, ctx.facts, ctx.config.large_export_interval
        threshold = ctx.config.batch_threshold
        # each large export's chains: the innermost loop that repeats it, and that iteration's sleeps
        exports = [api for api in facts.api_calls if unrestricted_export(api, threshold)]
        for _, entries in sorted(repeated_by_loop(exports).items()):
            for anchor, sleeps in entries:
                lengths = [an.number(s.seconds, an.scope_of(s.span)) for s in sleeps]
                if any(x is None for x in lengths) or (lengths and max(lengths) >= limit):
                    continue
                longest = f"{max(lengths):g} s" if lengths else "no sleep"
                self.report(anchor, f"Unrestricted export repeated in a loop ({longest}); "
                                    f"policy allows one large export per {limit:g} s")
