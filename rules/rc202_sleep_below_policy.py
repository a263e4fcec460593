from redcaplint.findings import Edit, Fix
from redcaplint.model import Num, Sleep
from redcaplint.rule import Case, Rule
from redcaplint.rules._predicates import helpers_called_per_iteration, repeated_by_loop


class SleepBelowPolicy(Rule):
    """
    ## What it does
    Finds a sleep between API calls whose statically known length is shorter than the policy
    interval (60 / `max-requests-per-minute` seconds: 20 s by default). Lengths are read
    through constants and arithmetic (`60 / MAX_PER_MINUTE`); a sleep helper's length (its
    parameter) is known when every same-file call passes a constant, and a short one is
    reported where the helper is called (`pause(2)`, `await sleep(1000)`). A sleep of unknown
    length, or a short sleep in a loop that makes no API call, is not reported.

    ## Why is this bad
    A pause that is too short still sends more than the allowed 3 requests a minute.

    ## Example
    ```python
    for form in FORMS:
        export_form(form)
        time.sleep(5)
    ```

    ## Use instead
    ```python
    for form in FORMS:
        export_form(form)
        time.sleep(20)
    ```

    ## Fix safety
    Unsafe: raising the sleep to the policy interval makes the script slower. Only a length
    written in seconds is replaced; one in other units (milliseconds, `usleep`) is described.
    """

    code = "RC202"
    name = "sleep-below-policy"
    fix = "unsafe"
    VALID = [Case('import time, os\nwhile not os.path.exists(p):\n    time.sleep(1)\n')]
    INVALID = [Case('import requests, time\nfor i in ids:\n    requests.post(U, data={"token": T, "content": "version"}, timeout=5)\n'
                    '    # ruleid: RC202\n    time.sleep(5)\n',
                    fixed='import requests, time\nfor i in ids:\n    requests.post(U, data={"token": T, "content": "version"}, timeout=5)\n    # ruleid: RC202\n    time.sleep(20)\n'),
               Case('for (id in ids) {\n  httr::POST(url, body = list(token = t, content = "version"), httr::timeout(9))\n  # ruleid: RC202\n  Sys.sleep(1)\n}\n', 'case.R',
                    fixed='for (id in ids) {\n  httr::POST(url, body = list(token = t, content = "version"), httr::timeout(9))\n  # ruleid: RC202\n  Sys.sleep(20)\n}\n'),
               Case("<?php\n$project = new RedCapProject($url, getenv('REDCAP_API_TOKEN'));\nforeach ($ids as $id) {\n    $project->exportRecords('json', 'flat', [$id]);\n    // ruleid: RC202\n    sleep(2);\n}\n", 'case.php',
                    fixed="<?php\n$project = new RedCapProject($url, getenv('REDCAP_API_TOKEN'));\nforeach ($ids as $id) {\n    $project->exportRecords('json', 'flat', [$id]);\n    // ruleid: RC202\n    sleep(20);\n}\n"),
               Case('async function pull(url, token, ids) {\n  for (const id of ids) {\n    await fetch(url, { method: "POST", body: new URLSearchParams({ token, content: "version" }), signal: AbortSignal.timeout(9000) });\n    // ruleid: RC202\n    await new Promise((resolve) => setTimeout(resolve, 1000));\n  }\n}\n', 'case.js',
                    fixed='async function pull(url, token, ids) {\n  for (const id of ids) {\n    await fetch(url, { method: "POST", body: new URLSearchParams({ token, content: "version" }), signal: AbortSignal.timeout(9000) });\n    // ruleid: RC202\n    await new Promise((resolve) => setTimeout(resolve, 1000));\n  }\n}\n'),
               Case('for id in 1 2 3; do\n  curl -m 9 -d "token=$TOKEN&content=version" "$API_URL"\n  # ruleid: RC202\n  sleep 2\ndone\n', 'case.sh',
                    fixed='for id in 1 2 3; do\n  curl -m 9 -d "token=$TOKEN&content=version" "$API_URL"\n  # ruleid: RC202\n  sleep 20\ndone\n')]

    def check(self) -> None:
        an, facts, interval = self.ctx.analysis, self.ctx.facts, self.ctx.config.interval
        self._events: dict[int, list[int]] = {}
        for sl in self.ctx.script.sleeps:
            scope = an.scope_of(sl.span)
            seconds = an.number(sl.seconds, scope)
            if seconds is None:
                self._through_helper(sl, scope, interval)
                continue
            if seconds >= interval:
                continue
            if self._between_api_calls(sl, scope):
                # the length is replaced only where it is written in seconds (a literal); a
                # length in other units (JavaScript's milliseconds, PHP's usleep) is described
                fix = Fix("unsafe", f"Sleep {interval:g} s",
                          (Edit(sl.seconds.span.start, sl.seconds.span.end, f"{interval:g}"),)) \
                    if isinstance(sl.seconds, Num) else Fix("suggestion", f"Sleep {interval:g} s")
                self.report(sl.span, f"Sleep of {seconds:g} s between API calls; policy needs {interval:g} s", fix)

        # a client's own pause between its batches, written out (REDCapR interbatch_delay);
        # library defaults are not reported
        for api in facts.api_calls:
            if api.delay is None:
                continue
            seconds = an.number(api.delay, api.scope)
            if seconds is not None and seconds < interval:
                self.report(api.delay.span, f"Pause of {seconds:g} s between the client's batches; "
                                            f"policy needs {interval:g} s",
                            Fix("unsafe", f"Pause {interval:g} s", (Edit(api.delay.span.start, api.delay.span.end, f"{interval:g}"),)))

    def _through_helper(self, sl, scope: int, interval: float) -> None:
        """A sleep helper (`wait(s)`, `const sleep = ms => new Promise(r => setTimeout(r, ms))`):
        its length is known when every same-file call passes a constant (a default alone does
        not make it known, rules.md); a short one is reported where it is called."""
        an = self.ctx.analysis
        fn = an.by_id.get(scope)
        if fn is None:
            return
        lengths = []
        for site in an.calls_to(fn):
            caller = an.scope_of(site.call.span)
            env = {(fn.id, p): (v, caller) for p, v in an.bind(fn, site.call).items()}
            seconds = an.number(sl.seconds, scope, env=env)
            if seconds is None:
                return  # one call the linter cannot read: the length is not known
            lengths.append((site.call, caller, seconds))
        for call, caller, seconds in lengths:
            if seconds < interval and self._between_api_calls(Sleep(call.span, None), caller):
                self.report(call.span, f"Sleep of {seconds:g} s between API calls; policy needs {interval:g} s",
                            Fix("suggestion", f"Sleep {interval:g} s"))

    def _between_api_calls(self, sl, scope) -> bool:
        an, facts = self.ctx.analysis, self.ctx.facts
        if not hasattr(self, "_repeated"):  # from the API calls' chains, once per file
            self._repeated = list(repeated_by_loop(facts.api_calls))
            self._per_iteration = helpers_called_per_iteration(facts.api_calls)
        loop = an.loop_of(sl.span, scope)
        if loop is not None:
            # the loop's iteration makes an API call (its own, or one of a nested loop)
            return any(loop.span.contains(span) for span in self._repeated)
        # straight-line code: an API call before and after it in the same scope
        if scope not in self._events:
            self._events[scope] = api_events(self.ctx, scope)
        events = self._events[scope]
        if any(e < sl.span.start for e in events) and any(e > sl.span.end for e in events):
            return True
        # a helper that calls the API, sleeps, and is itself called once per iteration
        return scope != 0 and facts.reaches_api.get(scope, False) and scope in self._per_iteration


def api_events(ctx, scope: int) -> list[int]:
    """Start offsets of API calls and API-reaching helper calls made directly in `scope`."""
    facts = ctx.facts
    out = [a.span.start for a in facts.api_calls if a.scope == scope]
    out += [lc.site.call.span.start for lc in facts.local_calls
            if lc.caller == scope and facts.reaches_api.get(lc.callee)]
    return out
