from redcaplint.findings import Edit, Fix
from redcaplint.rule import Case, Rule


class JsonDecodeWithoutAssoc(Rule):
    """
    ## What it does
    Reports every JSON decode that yields objects where REDCap scripts expect associative
    arrays: PHP `json_decode($x)` without a truthy associative argument (`true`, or
    `JSON_OBJECT_AS_ARRAY` in the flags). An explicit `false` is reported even with the flag.

    ## Why is this bad
    REDCap's API returns records as JSON objects; decoded as `stdClass` objects they cannot
    be indexed like arrays (`$record['record_id']` fails), re-encoding them for an import
    changes their shape, and a script that mixes both breaks at run time. The sites' policy
    says to decode with `true`.

    ## Example
    ```php
    $records = json_decode($response);
    ```

    ## Use instead
    ```php
    $records = json_decode($response, true);
    ```

    ## Fix safety
    Safe when the decoded value is used as an array; code that reads it as an object
    (`$r->count`) must change with it, so review the uses.
    """

    code = "RC303"
    name = "json-decode-without-assoc"
    severity = "error"
    fix = "safe"
    VALID = [Case("<?php\n$r = json_decode($body, true);\n$m = json_decode($raw, null, 512, JSON_OBJECT_AS_ARRAY);\n",
                  "case.php")]
    INVALID = [Case("<?php\n// ruleid: RC303\n$r = json_decode($body);\n", "case.php",
                    fixed='<?php\n// ruleid: RC303\n$r = json_decode($body, true);\n'),
               Case("<?php\n// ruleid: RC303\n$r = json_decode($body, false, 512, JSON_OBJECT_AS_ARRAY);\n", "case.php",
                    fixed='<?php\n// ruleid: RC303\n$r = json_decode($body, true, 512, JSON_OBJECT_AS_ARRAY);\n')]

    def check(self) -> None:
        for decode in self.ctx.script.decodes:
            fix = None
            if decode.edit is not None:
                start, end, text = decode.edit
                fix = Fix("safe", "Decode into associative arrays", (Edit(start, end, text),))
            self.report(decode.span, "JSON decoded into objects instead of associative arrays", fix)
