from redcaplint.model import Span
from redcaplint.rule import Case, Rule


class ParseError(Rule):
    """
    ## What it does
    Reports a file (or notebook cell, or knitr chunk) that could not be parsed, on the line
    of its first syntax error.

    ## Why is this bad
    A script that does not parse cannot be checked: every other rule is silent about it
    except the token scan (RC101), which reads the text. It usually also means the script
    cannot run (merge-conflict markers, Python 2 syntax, a truncated file).

    ## Example
    ```python
    print "REDCap version:", r.text
    ```

    ## Use instead
    ```python
    print("REDCap version:", r.text)
    ```
    """

    code = "RC001"
    name = "parse-error"
    severity = "error"
    VALID = [Case("match x:\n    case 1:\n        pass\n"), Case("x = 1\n"),
             # classes named like cast types, called statically in parentheses (vendored
             # phpseclib, paragonie): valid PHP the grammar misreads as a cast
             Case("<?php\n$n = strlen(Integer::getModulo($id));\n$c = unpack('C*', Binary::safeSubstr($s, 0, 3));\n", 'case.php')]
    INVALID = [Case("# ruleid: RC001\nprint 'hello'\n"),
               Case("# ruleid: RC001\ndef f(:\n    pass\n"),
               Case('# ruleid: RC001\nx <- c(1, 2\n', 'case.R'),
               Case('<?php\n// ruleid: RC001\n$x = [1, 2;\n', 'case.php'),
               Case('// ruleid: RC001\nconst x = [1, 2;\n', 'case.js'),
               Case('# ruleid: RC001\nif [ -f x ]; then\n', 'case.sh')]

    def check(self) -> None:
        script = self.ctx.script
        problems = ([script.syntax_error] if script.syntax_error else []) + script.region_errors
        for problem in problems:
            self.report(Span(problem.offset, problem.offset), problem.message)
