from redcaplint.findings import Fix
from redcaplint.rule import Case, Rule
from redcaplint.rules._predicates import repeated_by_loop


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
                    fixed='import requests\n# ruleid: RC201\nfor i in ids: requests.post(U, data={"token": T, "content": "version"}, timeout=5)\n'),
               Case("<?php\n$project = new RedCapProject($url, getenv('REDCAP_API_TOKEN'));\nforeach ($ids as $id) {\n    // ruleid: RC201\n    $rows = $project->exportRecords('json', 'flat', [$id]);\n}\n", 'case.php',
                    fixed="<?php\n$project = new RedCapProject($url, getenv('REDCAP_API_TOKEN'));\nforeach ($ids as $id) {\n    // ruleid: RC201\n    $rows = $project->exportRecords('json', 'flat', [$id]);\n    sleep(20);\n}\n"),
               Case('async function pull(url, token, ids) {\n  for (const id of ids) {\n    // ruleid: RC201\n    await fetch(url, { method: "POST", body: new URLSearchParams({ token, content: "version" }), signal: AbortSignal.timeout(9000) });\n  }\n}\n', 'case.js',
                    fixed='async function pull(url, token, ids) {\n  for (const id of ids) {\n    // ruleid: RC201\n    await fetch(url, { method: "POST", body: new URLSearchParams({ token, content: "version" }), signal: AbortSignal.timeout(9000) });\n  }\n}\n'),
               Case("http = Net::HTTP.new(uri.host, uri.port)\nhttp.read_timeout = 60\nids.each do |id|\n  req = Net::HTTP::Post.new(uri.request_uri)\n  req.set_form_data(token: ENV['REDCAP_API_TOKEN'], content: 'record', records: id)\n  # ruleid: RC201\n  http.request(req)\nend\n", 'case.rb',
                    fixed="http = Net::HTTP.new(uri.host, uri.port)\nhttp.read_timeout = 60\nids.each do |id|\n  req = Net::HTTP::Post.new(uri.request_uri)\n  req.set_form_data(token: ENV['REDCAP_API_TOKEN'], content: 'record', records: id)\n  # ruleid: RC201\n  http.request(req)\nend\n"),
               Case('RequestConfig config = RequestConfig.custom().setSocketTimeout(60000).build();\nfor (String id : ids) {\n    List<NameValuePair> one = new ArrayList<NameValuePair>();\n    one.add(new BasicNameValuePair("token", System.getenv("REDCAP_API_TOKEN")));\n    one.add(new BasicNameValuePair("content", "record"));\n    one.add(new BasicNameValuePair("records", id));\n    HttpPost each = new HttpPost("https://redcap.example.edu/api/");\n    each.setEntity(new UrlEncodedFormEntity(one));\n    each.setConfig(config);\n    // ruleid: RC201\n    client.execute(each);\n}\n', 'case.java',
                    fixed='RequestConfig config = RequestConfig.custom().setSocketTimeout(60000).build();\nfor (String id : ids) {\n    List<NameValuePair> one = new ArrayList<NameValuePair>();\n    one.add(new BasicNameValuePair("token", System.getenv("REDCAP_API_TOKEN")));\n    one.add(new BasicNameValuePair("content", "record"));\n    one.add(new BasicNameValuePair("records", id));\n    HttpPost each = new HttpPost("https://redcap.example.edu/api/");\n    each.setEntity(new UrlEncodedFormEntity(one));\n    each.setConfig(config);\n    // ruleid: RC201\n    client.execute(each);\n}\n'),
               Case("my $ua = LWP::UserAgent->new;\nforeach my $id (@ids) {\n    # ruleid: RC201\n    $ua->post($url, { token => $ENV{'REDCAP_API_TOKEN'}, content => 'record', 'records[0]' => $id });\n}\n", 'case.pl',
                    fixed="my $ua = LWP::UserAgent->new;\nforeach my $id (@ids) {\n    # ruleid: RC201\n    $ua->post($url, { token => $ENV{'REDCAP_API_TOKEN'}, content => 'record', 'records[0]' => $id });\n    sleep(20);\n}\n")]

    def check(self) -> None:
        interval = self.ctx.config.interval
        loops = {loop.span: loop for loop in self.ctx.script.loops}
        # one finding per loop, on the first call its iteration makes (the catalog's reading),
        # from the calls' chains: the innermost loop each meets, with that iteration's sleeps
        for span, entries in sorted(repeated_by_loop(self.ctx.facts.api_calls).items()):
            if all(not sleeps for _, sleeps in entries):
                first = min((anchor for anchor, _ in entries), key=lambda s: s.start)
                self.report(first, "REDCap API call in a loop with no sleep between iterations",
                            self._fix(loops.get(span), interval))
        for it in self.ctx.facts.iterations:  # recursion: a function that calls itself
            if it.loop is None and it.events and not it.sleeps:
                self.report(it.first, "REDCap API call in a recursive call with no sleep between iterations",
                            self._fix(None, interval))

    def _fix(self, loop, interval: float) -> Fix:
        """A sleep appended to the loop's block, in the language's spelling."""
        description = f"Sleep {interval:g} s at the end of each iteration"
        sleep, append = self.ctx.spelling("sleep"), self.ctx.spelling("append_statement")
        block = loop.block if loop is not None else None
        if sleep is None or append is None or block is None:
            return Fix("suggestion", description)
        edit = append(self.ctx.script.source.text, block, sleep.format(interval))
        imports = self.ctx.import_edits("sleep")
        if edit is None or imports is None:
            return Fix("suggestion", description)
        return Fix("unsafe", description, (edit,) + imports)
