from redcaplint.rule import Case, Rule
from redcaplint.rules._predicates import unrestricted_export


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
        heavy_fns = self._functions_with_big_exports(threshold)
        for it in facts.iterations:
            lengths = [an.number(s.seconds, an.scope_of(s.span)) for s in it.sleeps]
            if any(x is None for x in lengths) or (lengths and max(lengths) >= limit):
                continue
            for e in it.events:
                if (e.api is not None and unrestricted_export(e.api, threshold)) or e.helper in heavy_fns:
                    longest = f"{max(lengths):g} s" if lengths else "no sleep"
                    self.report(e.anchor, f"Unrestricted export repeated in a loop ({longest}); "
                                      f"policy allows one large export per {limit:g} s")

    def _functions_with_big_exports(self, threshold) -> set[int]:
        facts = self.ctx.facts
        heavy = {a.scope for a in facts.api_calls if a.scope and unrestricted_export(a, threshold)}
        changed = True
        while changed:
            changed = False
            for caller, targets in facts.callees.items():
                if caller and caller not in heavy and targets & heavy:
                    heavy.add(caller)
                    changed = True
        return heavy
