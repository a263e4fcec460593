from redcaplint.rule import Case, Rule


class UnusedSuppression(Rule):
    """
    ## What it does
    Reports a suppression directive that suppressed nothing in this run (off by default, like
    ruff's RUF100: `--extend-select RC003` turns it on). Directives naming a rule that is not
    enabled are not reported, and neither are directives in a file that did not parse.

    ## Why is this bad
    A directive outlives the finding it was written for: the code was fixed, the directive
    stayed, and now it would hide the next real finding on that line.

    ## Example
    ```python
    TOKEN = os.environ["REDCAP_API_TOKEN"]  # redcaplint: ignore[RC101]
    ```

    ## Use instead
    ```python
    TOKEN = os.environ["REDCAP_API_TOKEN"]
    ```

    ## Fix safety
    Safe: the fix deletes the directive (its whole line when it stands alone), which changes
    no behaviour: it suppressed nothing.
    """

    code = "RC003"
    name = "unused-suppression"
    severity = "warning"
    fix = "safe"
    default_enabled = False
    VALID = [Case('TOKEN = "0123456789ABCDEF0123456789ABCDEF"  # redcaplint: ignore[RC101]\n')]
    INVALID = [Case('import os\n# ruleid: RC003\nTOKEN = os.environ["T"]  # redcaplint: ignore\n',
                    fixed='import os\n# ruleid: RC003\nTOKEN = os.environ["T"]\n')]

    def check(self) -> None:
        """Reported by the engine from the document's directives (redcaplint/suppress.py)."""
