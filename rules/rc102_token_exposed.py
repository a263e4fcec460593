from redcaplint.rule import Case, Rule
from redcaplint.rules._token_flow import holds_token, sent_as_token


class TokenExposed(Rule):
    """
    ## What it does
    Finds the API token (or a structure holding it, such as a request payload) being printed,
    logged or written to a file. The value returned by project creation is the new project's
    token, so writing it out counts too. Values derived from the token (its length, whether it
    is set, a masked prefix) are not exposure. The token is what the file sends as a request's
    `token` whatever the variable is called, and a token-named variable or environment
    variable — not another service's credential (`GH_TOKEN`, an OAuth `access_token`).

    ## Why is this bad
    Console output, notebook outputs, CI logs and log files are kept, shared and committed far
    more casually than code; a printed token leaks as surely as a committed one.

    ## Example
    ```python
    print(f"Using REDCap token {token}")
    ```

    ## Use instead
    ```python
    print(f"Using REDCap token {token[:4]}…")
    ```
    """

    code = "RC102"
    name = "token-exposed"
    fix = "suggestion"
    suggestion = "Remove the output, or show the token masked"
    VALID = [Case('import os\ntoken = os.environ["REDCAP_API_TOKEN"]\nprint(len(token))\n'),
             # other services' credentials are not the REDCap token
             Case('echo "https://${GH_TOKEN}:@github.com" > ~/.git-credentials\n', 'case.sh'),
             Case('import os\nprint(os.environ["DB_PASSWORD"])\naccess_token = get_oauth()\nprint(access_token)\n'),
             # another function's variable of the same name is not the one sent as the token
             Case('import requests\ndef pull():\n    key = open("k").read()\n'
                  '    return requests.post(URL, data={"token": key, "content": "record"}, timeout=9)\n'
                  'def show(rows):\n    for key in rows:\n        print(key)\n')]
    INVALID = [Case('import os\ntoken = os.environ["REDCAP_API_TOKEN"]\n# ruleid: RC102\nprint(token)\n'),
               Case('token <- Sys.getenv("REDCAP_API_TOKEN")\n# ruleid: RC102\nprint(token)\n', 'case.R'),
               Case('token <- Sys.getenv("REDCAP_API_TOKEN")\n# ruleid: RC102\ncat("token=", token, file = "run.log")\n', 'case.R',
                    message="The REDCap API token is written to a file"),
               Case("<?php\n$token = getenv('REDCAP_API_TOKEN');\n// ruleid: RC102\necho $token;\n", 'case.php'),
               Case('const token = process.env.REDCAP_API_TOKEN;\n// ruleid: RC102\nconsole.log(token);\n', 'case.js'),
               Case('# ruleid: RC102\necho "$REDCAP_API_TOKEN"\n', 'case.sh'),
               Case('import os\n# ruleid: RC102\nprint(os.environ["REDCAP_AUTH_TOKEN"])\n'),
               # whatever its name, the variable a request sends as its token holds it
               Case('import requests\nkey = open("k").read()\n'
                    'requests.post(URL, data={"token": key, "content": "record"}, timeout=9)\n# ruleid: RC102\nprint(key)\n'),
               Case('tok=$(cat ~/.redcap_token)\ncurl -m 30 -d token=$tok -d content=record https://r.example.edu/api/\n'
                    '# ruleid: RC102\necho "using $tok"\n', 'case.sh')]

    def check(self) -> None:
        an = self.ctx.analysis
        sent = sent_as_token(an, self.ctx.facts.api_calls)
        for out in self.ctx.script.outputs:
            scope = an.scope_of(out.span)
            if any(holds_token(an, arg, scope, sent=sent) for arg in out.args):
                verb = {"print": "printed", "log": "logged", "file": "written to a file"}.get(out.kind, "written out")
                self.report(out.span, f"The REDCap API token is {verb}")
