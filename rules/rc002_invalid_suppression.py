from redcaplint.rule import Case, Rule


class InvalidSuppression(Rule):
    """
    ## What it does
    Reports a suppression directive that is malformed (`# redcaplint: ignore RC101`,
    `# redcaplint: ignore(RC101)`) or names an unknown rule code (`ignore[RC999]`). Such a
    directive suppresses nothing.

    ## Why is this bad
    A directive that looks like it silences a finding but does not is worse than none: the
    author believes the line was reviewed, and a typo in the code list once hid every finding
    on the line. Reporting it keeps suppressions honest.

    ## Example
    ```python
    TOKEN = "0123456789ABCDEF0123456789ABCDEF"  # redcaplint: ignore RC101
    ```

    ## Use instead
    ```python
    TOKEN = "0123456789ABCDEF0123456789ABCDEF"  # redcaplint: ignore[RC101] -- public demo token
    ```

    The engine reports it (it reads the directives, not the script model); it cannot itself be
    suppressed inline.
    """

    code = "RC002"
    name = "invalid-suppression"
    severity = "warning"
    VALID = [Case("x = 1  # redcaplint: ignore[RC101]\n"), Case("x = 1  # redcaplint: ignore -- generated\n"),
             Case("x = 1  # noqa: E501\n")]
    INVALID = [Case("# ruleid: RC002\nx = 1  # redcaplint: ignore RC101\n"),
               Case("# ruleid: RC002\nx = 1  # redcaplint: ignore(RC101)\n"),
               Case("# ruleid: RC002\nx <- 1  # redcaplint: ignore[RC999]\n", "case.R"),
               Case("# ruleid: RC002\nx = 1  # noqa: RC999\n")]

    def check(self) -> None:
        """Reported by the engine from the document's directives (redcaplint/suppress.py)."""
