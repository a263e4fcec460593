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
    Unsafe: inserting a policy-length sleep at the end of the loop body changes the run time.
    """

    code = "RC201"
    name = "loop-without-sleep"
    severity = "error"
    fix = "unsafe"
    VALID = [Case('import requests, time\nfor i in ids:\n    requests.post(U, data={"token": T, "content": "version"}, timeout=5)\n    time.sleep(20)\n')]
    INVALID = [Case('import requests\nfor i in ids:\n    # ruleid: RC201\n    requests.post(U, data={"token": T, "content": "version"}, timeout=5)\n')]

    def check(self) -> None:
        interval = self.ctx.config.interval
        for it in self.ctx.facts.iterations:
            if it.events and not it.sleeps:
                what = "recursive call" if it.loop is None else "loop"
                self.report(it.first, f"REDCap API call in a {what} with no sleep between iterations",
                            Fix("unsafe", f"Sleep {interval:g} s at the end of each iteration"))
