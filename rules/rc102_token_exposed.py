from redcaplint.rule import Case, Rule
from redcaplint.rules._token_flow import holds_token


class TokenExposed(Rule):
    """
    ## What it does
    Finds the API token (or a structure holding it, such as a request payload) being printed,
    logged or written to a file. The value returned by project creation is the new project's
    token, so writing it out counts too. Values derived from the token (its length, whether it
    is set, a masked prefix) are not exposure.

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
    VALID = [Case('import os\ntoken = os.environ["REDCAP_API_TOKEN"]\nprint(len(token))\n')]
    INVALID = [Case('import os\ntoken = os.environ["REDCAP_API_TOKEN"]\n# ruleid: RC102\nprint(token)\n'),
               Case('token <- Sys.getenv("REDCAP_API_TOKEN")\n# ruleid: RC102\nprint(token)\n', 'case.R'),
               Case("<?php\n$token = getenv('REDCAP_API_TOKEN');\n// ruleid: RC102\necho $token;\n", 'case.php'),
               Case('const token = process.env.REDCAP_API_TOKEN;\n// ruleid: RC102\nconsole.log(token);\n', 'case.js'),
               Case('# ruleid: RC102\necho "$REDCAP_API_TOKEN"\n', 'case.sh')]

    def check(self) -> None:
        an = self.ctx.analysis
        for out in self.ctx.script.outputs:
            scope = an.scope_of(out.span)
            if any(holds_token(an, arg, scope) for arg in out.args):
                verb = {"print": "printed", "log": "logged", "file": "written to a file"}.get(out.kind, "written out")
                self.report(out.span, f"The REDCap API token is {verb}")
