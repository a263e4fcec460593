from redcaplint.model import UNAWAITED, Call, Name
from redcaplint.resolve import walk_values
from redcaplint.rule import Case, Rule


# how a dispatch kind reads in the message
LABELS = {UNAWAITED: "a request started per element, none awaited", "async-each": "an async callback per element"}


class ConcurrentApiCalls(Rule):
    """
    ## What it does
    Finds API calls dispatched in parallel: thread and process pools (`pool.map`,
    `executor.submit`), `asyncio.gather` (also of a list the coroutines were appended to),
    `TaskGroup.create_task`, joblib, `threading.Thread`, `Promise.all`, and a request started
    once per element whose promise is never awaited
    (`for (const id of ids) fetchOne(id)`, `ids.map((id) => fetchOne(id))`): a promise runs from
    the moment it is made. Reported on the dispatch (on the request, for the un-awaited one).
    Pools and gathers doing only local work are fine, and so is a loop whose every pass
    waits (`await sleep(20000)`).

    ## Why is this bad
    Parallel workers reach REDCap at the same moment, so even workers that each sleep send
    several requests at once; the policy's 3 requests a minute is per user, not per worker.

    ## Example
    ```python
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(export_site, SITES))
    ```

    ## Use instead
    ```python
    results = []
    for site in SITES:
        results.append(export_site(site))
        time.sleep(20)
    ```
    """

    code = "RC203"
    name = "concurrent-api-calls"
    fix = "suggestion"
    suggestion = "Make the calls one after another, with a sleep between them"
    VALID = [Case('from concurrent.futures import ThreadPoolExecutor\ndef parse(p):\n    return open(p).read()\n'
                  'with ThreadPoolExecutor() as pool:\n    pool.map(parse, paths)\n'),
             Case('async function one(id) {\n  return fetch(URL, { method: "POST", body: new URLSearchParams({ token: TOKEN, content: "record", records: id }), signal: AbortSignal.timeout(9000) });\n}\n'
                  'for (const id of ids) {\n  // ok: RC203\n  await one(id);\n}\n', 'case.js')]
    INVALID = [Case('import requests\nfrom concurrent.futures import ThreadPoolExecutor\n'
                    'def pull(s):\n    return requests.post(U, data={"token": T, "content": "version"}, timeout=5)\n'
                    'with ThreadPoolExecutor() as pool:\n    # ruleid: RC203\n    pool.map(pull, sites)\n'),
               Case('library(future.apply)\nplan(multisession)\nget_one <- function(id) httr::POST(url, body = list(token = t, content = "record", records = id), httr::timeout(9))\n# ruleid: RC203\nrows <- future_lapply(ids, get_one)\n', 'case.R'),
               Case('async function one(url, token, id) {\n  return fetch(url, { method: "POST", body: new URLSearchParams({ token, content: "record", records: id }), signal: AbortSignal.timeout(9000) });\n}\n// ruleid: RC203\nawait Promise.all(ids.map((id) => one(URL, TOKEN, id)));\n', 'case.js'),
               Case('for (const id of ids) {\n  // ruleid: RC203\n  fetch(URL, { method: "POST", body: new URLSearchParams({ token: TOKEN, content: "record", records: id }), signal: AbortSignal.timeout(9000) });\n}\n', 'case.js'),
               Case('pull() {\n  curl -m 9 -d "token=$TOKEN&content=record&records=$1" "$API_URL"\n}\nfor id in 1 2 3; do\n  # ruleid: RC203\n  pull "$id" &\ndone\nwait\n', 'case.sh')]

    def check(self) -> None:
        an = self.ctx.analysis
        reaching = [d for d in self.ctx.script.dispatches if self._reaches_api(d)]
        counted = {id(d) for d in reaching}
        # one finding per dispatch: a promise started inside a gather (`Promise.all(ids.map(…))`)
        # is the gather's; of requests started inside one another, the innermost is reported
        left_out: set[int] = set()
        for d in reaching:
            if d.kind != UNAWAITED:
                continue
            for outer in an.dispatches_around(d.span):
                if outer is d or id(outer) not in counted:
                    continue
                left_out.add(id(d) if outer.kind != UNAWAITED else id(outer))
        paced = self._paced_loops() if any(d.kind == UNAWAITED for d in reaching) else set()
        for d in reaching:
            if id(d) in left_out:
                continue
            if d.kind == UNAWAITED:
                loop = an.loop_of(d.span, an.scope_of(d.span))
                if loop is not None and id(loop) in paced:
                    continue
            self.report(d.span, f"REDCap API calls dispatched in parallel ({LABELS.get(d.kind, d.kind)})")

    def _requesting_spans(self) -> set:
        found = getattr(self, "_requesting", None)
        if found is None:
            facts = self.ctx.facts
            found = self._requesting = {r.span for a in facts.api_calls for r in (a, a.inner) if r is not None}
            found.update(lc.site.call.span for lc in facts.local_calls if facts.reaches_api.get(lc.callee))
        return found

    def _paced_loops(self) -> set[int]:
        """Loops whose every pass waits (`await sleep(20000)`, or a helper that sleeps): an
        un-awaited request in one starts that far from the next, not at once."""
        an, facts = self.ctx.analysis, self.ctx.facts
        waits = [(sl.span, an.scope_of(sl.span)) for sl in self.ctx.script.sleeps]
        waits += [(lc.site.call.span, lc.caller) for lc in facts.local_calls if facts.sleeps_in.get(lc.callee)]
        return {id(loop) for span, scope in waits for loop in an.loops_around(span, scope)}

    def _reaches_api(self, d) -> bool:
        an, facts = self.ctx.analysis, self.ctx.facts
        if d.kind == UNAWAITED:
            # the started call itself is a request, or a helper that makes one; its arguments
            # and receiver are not (`results.push(await fetchOne(id))` waits for each)
            return d.span in self._requesting_spans()
        scope = an.scope_of(d.span)
        for target in d.targets:
            # `gather(*tasks)`: follow the name to the coroutines it holds, assigned or added
            # one by one (`tasks.append(fetch_one(i))`)
            added = an.added_to(target.name, scope) if isinstance(target, Name) else []
            for root in (target, an.resolve(target, scope), *added):
                for v in walk_values(root):
                    if isinstance(v, Name) and v.name in an.by_name and facts.reaches_api.get(an.by_name[v.name].id):
                        return True
                    if isinstance(v, Call) and v.receiver is None and v.callee in an.by_name and \
                            facts.reaches_api.get(an.by_name[v.callee].id):
                        return True
        for lc in facts.local_calls:
            span = lc.site.call.span
            if d.span.contains(span) and span != d.span and facts.reaches_api.get(lc.callee):
                return True
        # a request written inside the dispatch, also one a helper's callers fill in (its
        # findings are reported at the call sites; the request itself is `inner`)
        return any(d.covers(r.span) for a in facts.api_calls for r in (a, a.inner) if r is not None)
