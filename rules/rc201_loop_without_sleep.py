from redcaplint.findings import Fix
from redcaplint.rule import Case, Rule


class LoopWithoutSleep(Rule):
    """
    ## What it does
    Finds an API call inside an iteration — `for`, `while`, comprehensions, `map`, pandas
    `.apply`, recursion — where no path of one iteration sleeps. A helper defined in the same
    file that makes the call counts as the call; a sleep inside a called helper counts as a
    sleep; a sleep after the loop does not. Reported once per loop, on its first API call (or
    helper call) in source order; a call is charged to the innermost iteration containing it.

    ## Why is this bad
    A loop without a pause sends requests as fast as the server answers. Site policy allows at
    most 3 requests a minute; loops like this one are the usual cause of API outages.

    ## Example
    ```python
    for record_id in ids:
        rows[record_id] = fetch_record(record_id)
    ```

    ## Use instead
    ```python
    for record_id in ids:
        rows[record_id] = fetch_record(record_id)
        time.sleep(20)
    ```
    Better still, export the records in one call with `records=ids`.

    ## Fix safety
    Unsafe: a policy-length sleep is appended to the loop's block, in the language's spelling
    (`time.sleep(20)` with `import time` where missing, `Sys.sleep(20)`, `sleep(20);`,
    `sleep 20`); that changes the run time. Where the block shares its line with the loop
    header, or the language needs an async context (JavaScript), the sleep is only described.
    """

    code = "RC201"
    name = "loop-without-sleep"
    severity = "error"
    fix = "unsafe"
    VALID = [Case('import requests, time\nfor i in ids:\n    requests.post(U, data={"token": T, "content": "version"}, timeout=5)\n    time.sleep(20)\n')]
    INVALID = [Case('import requests\nfor i in ids:\n    # ruleid: RC201\n    requests.post(U, data={"token": T, "content": "version"}, timeout=5)\n',
                    fixed='import requests\nimport time\nfor i in ids:\n    # ruleid: RC201\n    requests.post(U, data={"token": T, "content": "version"}, timeout=5)\n    time.sleep(20)\n'),
               Case('for (id in ids) {\n  # ruleid: RC201\n  httr::POST(url, body = list(token = t, content = "version"), httr::timeout(9))\n}\n', "case.R",
                    fixed='for (id in ids) {\n  # ruleid: RC201\n  httr::POST(url, body = list(token = t, content = "version"), httr::timeout(9))\n  Sys.sleep(20)\n}\n'),
               Case('for id in 1 2 3; do\n  # ruleid: RC201\n  curl -m 9 -d "token=$T&content=version" "$URL"\ndone\n', "case.sh",
                    fixed='for id in 1 2 3; do\n  # ruleid: RC201\n  curl -m 9 -d "token=$T&content=version" "$URL"\n  sleep 20\ndone\n'),
               # a loop written on one line: the sleep is described, not inserted
               Case('import requests\n# ruleid: RC201\nfor i in ids: requests.post(U, data={"token": T, "content": "version"}, timeout=5)\n',
                    fixed='import requests\n# ruleid: RC201\nfor i in ids: requests.post(U, data={"token": T, "content": "version"}, timeout=5)\n')]

    def check(self) -> None:
        interval = self.ctx.config.interval
        for it in self.ctx.facts.iterations:
            if it.events and not it.sleeps:
                what = "recursive call" if it.loop is None else "loop"
                self.report(it.first, f"REDCap API call in a {what} with no sleep between iterations",
                            self._fix(it, interval))

    def _fix(self, it, interval: float) -> Fix:
        """A sleep appended to the loop's block, in the language's spelling."""
        description = f"Sleep {interval:g} s at the end of each iteration"
        sleep, append = self.ctx.spelling("sleep"), self.ctx.spelling("append_statement")
        block = it.loop.block if it.loop is not None else None
        if sleep is None or append is None or block is None:
            return Fix("suggestion", description)
        edit = append(self.ctx.script.source.text, block, sleep.format(interval))
        imports = self.ctx.import_edits("sleep")
        if edit is None or imports is None:
            return Fix("suggestion", description)
        return Fix("unsafe", description, (edit,) + imports)
