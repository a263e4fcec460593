from redcaplint.findings import Fix
from redcaplint.rule import Case, Rule
from redcaplint.rules._predicates import is_batched, unrestricted_export


class UnbatchedExport(Rule):
    """
    ## What it does
    Finds a record export with no restriction and no batching: a raw `content=record` export
    without `records`/`fields`/`forms`/`filterLogic`/a date range, PyCap `export_records()`
    without them (PyCap never batches), and the other clients' unfiltered exports. Events
    alone do not restrict. Options passed through `**kwargs` may restrict: not reported.

    ## Why is this bad
    A full export of a large project is one of the slowest requests REDCap serves; it holds
    the server for everyone and is the second usual cause of outages. Policy asks for batches.

    ## Example
    ```python
    everything = project.export_records(format_type="df")
    ```

    ## Use instead
    ```python
    ids = project.export_records(fields=[project.def_field])
    for chunk in chunks(ids, 500):
        part = project.export_records(records=chunk)
        time.sleep(20)
    ```
    """

    code = "RC401"
    name = "unbatched-export"
    fix = "suggestion"
    VALID = [Case('project.export_records(fields=["record_id", "age"])\n')]
    INVALID = [Case('# ruleid: RC401\nproject.export_records(format_type="df")\n'),
               Case('# ruleid: RC401\nhttr::POST(url, body = list(token = t, content = "record", format = "csv"), httr::timeout(9))\n', 'case.R'),
               Case("<?php\n$project = new RedCapProject($url, getenv('REDCAP_API_TOKEN'));\n// ruleid: RC401\n$rows = $project->exportRecords();\n", 'case.php'),
               Case('// ruleid: RC401\nfetch(URL, { method: "POST", body: new URLSearchParams({ token, content: "record" }), signal: AbortSignal.timeout(9000) });\n', 'case.js'),
               Case('# ruleid: RC401\ncurl -m 9 -d "token=$TOKEN&content=record&format=csv" "$API_URL"\n', 'case.sh'),
               Case("http = Net::HTTP.new(uri.host, uri.port)\nhttp.read_timeout = 60\nreq = Net::HTTP::Post.new(uri.request_uri)\nreq.set_form_data(token: ENV['REDCAP_API_TOKEN'], content: 'record', format: 'json')\n# ruleid: RC401\nhttp.request(req)\n", 'case.rb'),
               Case('List<NameValuePair> params = new ArrayList<NameValuePair>();\nparams.add(new BasicNameValuePair("token", System.getenv("REDCAP_API_TOKEN")));\nparams.add(new BasicNameValuePair("content", "record"));\nHttpPost post = new HttpPost("https://redcap.example.edu/api/");\npost.setEntity(new UrlEncodedFormEntity(params));\npost.setConfig(RequestConfig.custom().setSocketTimeout(60000).build());\n// ruleid: RC401\nclient.execute(post);\n', 'case.java'),
               Case("my $ch = LWP::Curl->new;\n# ruleid: RC401\n$ch->post($url, { token => $ENV{'REDCAP_API_TOKEN'}, content => 'record', format => 'json' });\n", 'case.pl')]

    SUGGESTION = {
        "pycap": "export in chunks: records=ids[i:i+500] in a loop with a sleep",
        "http": "restrict with records/fields/forms/filterLogic, or export in record batches",
    }

    def check(self) -> None:
        threshold = self.ctx.config.batch_threshold
        for api in self.ctx.facts.api_calls:
            if unrestricted_export(api, threshold) and not is_batched(api, threshold):
                hint = self.SUGGESTION.get(api.library, self.SUGGESTION["http"])
                self.report(api.span, "Unrestricted record export (no records, fields, forms, filter or batching)",
                            Fix("suggestion", hint[0].upper() + hint[1:]))
