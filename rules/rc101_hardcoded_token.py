import re

from redcaplint.findings import Edit, Fix
from redcaplint.model import Span, Str
from redcaplint.rules._token_flow import tokenish_name
from redcaplint.rule import Case, Rule
from redcaplint.tokens import hex_runs, is_placeholder, is_token_format, is_token_literal, sha256

# Text just before a literal that makes it a token context, in any language's spelling:
# `token = "…"`, `"token": "…"`, `token="…"`, `'token' => '…'`, `token <- "…"`, `token=…` (shell),
# `os.environ["REDCAP_API_TOKEN"] = "…"`, `$cfg['api_token'] = '…'`, Perl `$ENV{'TOKEN'} = '…'`
CONTEXT_BEFORE = re.compile(
    r"(?i)(token|api_?key|apikey)\w*(?:[\"'][\]}]|[\"'\]}])?\s*(?:=>|<-|:=|=|:)\s*(?:\w+\()?\s*[\"'`]?$")


# the literal is written into the environment (`os.environ["T"] = "…"`, `putenv("T=…")`,
# `Sys.setenv(T = "…")`): reading it from the environment instead is no fix
ENV_WRITE = re.compile(r"(?:environ\s*\[|\$ENV\s*\{|\$_ENV\s*\[|process\.env\.|putenv\s*\(|setenv\s*\()[^\n]*$",
                       re.IGNORECASE)


class HardcodedToken(Rule):
    """
    ## What it does
    Finds REDCap API tokens written into source: a 32-hex project token or 64-hex super
    token in a token context (a `token` payload key or argument, a client constructor's token,
    a variable, dictionary key or environment variable named like `*token*`/`api_key`), or any
    upper-case 32/64-hex literal, which is exactly REDCap's token format. Comments and docstrings count. Placeholders such as
    `"YOUR_TOKEN"`, `"<token>"`, `""` or `"xxxx…"` are not tokens; `allowed-tokens` in the
    configuration exempts deliberately public ones (values or their SHA-256).

    ## Why is this bad
    A token is a password to a project's data. Committed to git it is copied to every clone,
    fork and backup, and cannot be taken back; institutional policy forbids tokens in code.

    ## Example
    ```python
    project = Project(URL, "0123456789ABCDEF0123456789ABCDEF")
    ```

    ## Use instead
    ```python
    project = Project(URL, os.environ["REDCAP_API_TOKEN"])
    ```

    ## Fix safety
    Unsafe: a string literal that is the token is replaced by the language's environment lookup
    (`import os` added where the file lacks it), which changes behaviour until the variable is
    set. A token in a docstring, a comment, an output or part of a larger string is only
    reported, and so is one the code writes into the environment (`os.environ[...] = "…"`,
    `Sys.setenv(...)`): it belongs in the shell or an uncommitted `.env`/`.Renviron` file.
    Revoke the committed token in REDCap as well.
    """

    code = "RC101"
    name = "hardcoded-token"
    severity = "error"
    fix = "unsafe"
    VALID = [Case('TOKEN = os.environ["REDCAP_API_TOKEN"]\nTEMPLATE = "YOUR_TOKEN_HERE"\n'),
             Case('checksum = "d41d8cd98f00b204e9800998ecf8427e"\n'),
             Case('sums["md5"] = "d41d8cd98f00b204e9800998ecf8427e"\n')]
    INVALID = [Case('# ruleid: RC101\nTOKEN = "0123456789ABCDEF0123456789ABCDEF"\n',
                    fixed='# ruleid: RC101\nimport os\nTOKEN = os.environ["REDCAP_API_TOKEN"]\n'),
               Case('"""Export script."""\nimport requests\n# ruleid: RC101\nTOKEN = "0123456789ABCDEF0123456789ABCDEF"\n',
                    fixed='"""Export script."""\nimport requests\nimport os\n# ruleid: RC101\nTOKEN = os.environ["REDCAP_API_TOKEN"]\n'),
               # in a docstring the literal is documentation: reported, not rewritten
               Case('def f():\n    """\n    # ruleid: RC101\n    token: "0123456789ABCDEF0123456789ABCDEF"\n    """\n',
                    fixed='def f():\n    """\n    # ruleid: RC101\n    token: "0123456789ABCDEF0123456789ABCDEF"\n    """\n'),
               Case('# ruleid: RC101\ntoken <- "0123456789ABCDEF0123456789ABCDEF"\n', "case.R",
                    fixed='# ruleid: RC101\ntoken <- Sys.getenv("REDCAP_API_TOKEN")\n'),
               Case('# ruleid: RC101\napi_key = "deadbeefdeadbeefdeadbeefdeadbeef"\n',
                    fixed='# ruleid: RC101\nimport os\napi_key = os.environ["REDCAP_API_TOKEN"]\n'),
               Case('<?php\n// ruleid: RC101\n$token = "0123456789ABCDEF0123456789ABCDEF";\n', 'case.php',
                    fixed="<?php\n// ruleid: RC101\n$token = getenv('REDCAP_API_TOKEN');\n"),
               Case('// ruleid: RC101\nconst token = "0123456789ABCDEF0123456789ABCDEF";\n', 'case.js',
                    fixed='// ruleid: RC101\nconst token = process.env.REDCAP_API_TOKEN;\n'),
               Case('# ruleid: RC101\nTOKEN="0123456789ABCDEF0123456789ABCDEF"\n', 'case.sh',
                    fixed='# ruleid: RC101\nTOKEN="$REDCAP_API_TOKEN"\n'),
               Case("# ruleid: RC101\ntoken = '0123456789ABCDEF0123456789ABCDEF'\n", 'case.rb',
                    fixed="# ruleid: RC101\ntoken = ENV['REDCAP_API_TOKEN']\n"),
               Case('// ruleid: RC101\nString token = "0123456789ABCDEF0123456789ABCDEF";\n', 'case.java',
                    fixed='// ruleid: RC101\nString token = System.getenv("REDCAP_API_TOKEN");\n'),
               # setting the environment in the script (a notebook's first cell) hard-codes it too
               Case("import os\n# ruleid: RC101\nos.environ['REDCAP_API_TOKEN'] = 'fedcba9876543210fedcba9876543210'\n",
                    fixed="import os\n# ruleid: RC101\nos.environ['REDCAP_API_TOKEN'] = 'fedcba9876543210fedcba9876543210'\n"),
               Case('# ruleid: RC101\nSys.setenv(REDCAP_API_TOKEN = "fedcba9876543210fedcba9876543210")\n', 'case.R',
                    fixed='# ruleid: RC101\nSys.setenv(REDCAP_API_TOKEN = "fedcba9876543210fedcba9876543210")\n'),
               Case("<?php\n// ruleid: RC101\n$config['api_token'] = 'fedcba9876543210fedcba9876543210';\n", 'case.php',
                    fixed="<?php\n// ruleid: RC101\n$config['api_token'] = getenv('REDCAP_API_TOKEN');\n"),
               Case("# ruleid: RC101\nmy $token = 'DEADBEEFDEADBEEFDEADBEEFDEADBEEF';\n", 'case.pl',
                    fixed="# ruleid: RC101\nmy $token = $ENV{'REDCAP_API_TOKEN'};\n")]

    def check(self) -> None:
        script = self.ctx.script
        text = script.source.text
        allowed = self.ctx.config.allowed_tokens
        positional = self._positional_contexts() if script.syntax_error is None else []
        # every region of the document: code, prose (R Markdown), outputs (notebooks)
        for m in hex_runs(text):
            value = m.group(0)
            if is_placeholder(value) or value in allowed or value.upper() in allowed or sha256(value) in allowed:
                continue
            line_start = text.rfind("\n", 0, m.start()) + 1
            before = text[max(line_start, m.start() - 120):m.start()]
            in_context = CONTEXT_BEFORE.search(before) is not None or any(
                s.start <= m.start() and m.end() <= s.end for s in positional)
            if not in_context and not is_token_format(value):
                continue
            # the token format alone (an upper-case hex literal beside `file_hash`) may be a
            # checksum: reported, but replacing it by an environment lookup is offered only
            # where the code says it is a token
            fix = None
            if in_context:
                fix = Fix("suggestion", "Set the token outside the code (the shell, a .Renviron or .env file kept "
                                        "out of version control)") if ENV_WRITE.search(before) else self._fix(m.start(), m.end())
            self.report(Span(m.start(), m.end()), f"Hard-coded REDCap API token {value}", fix)

    def _positional_contexts(self) -> list[Span]:
        """Literals passed where a token goes by position: a client constructor's token
        argument, or a same-file function's parameter named like a token."""
        facts, an = self.ctx.facts, self.ctx.analysis
        spans = [ctor.token.span for ctor in facts.ctors if ctor.token is not None]
        for site in self.ctx.script.calls:
            fn = an.by_name.get(site.call.callee) if site.call.receiver is None else None
            if fn is None:
                continue
            for i, arg in enumerate(site.call.args):
                if isinstance(arg, Str) and i < len(fn.params) and tokenish_name(fn.params[i]):
                    spans.append(arg.span)
        return spans

    def _fix(self, start: int, end: int):
        """The literal becomes an environment lookup only where it is a string of code whose
        whole content is the token (not a docstring, a comment or an f-string's part)."""
        env = self.ctx.spelling("env_token")
        description = f"Read the token from the environment: {env or 'an environment variable'}"
        literal = self._code_strings().get((start, end))
        imports = self.ctx.import_edits("env_token") if env is not None else None
        if literal is None or imports is None:
            return Fix("suggestion", description)
        return Fix("unsafe", description, (Edit(literal.start, literal.end, env),) + imports)

    def _code_strings(self) -> dict:
        found = getattr(self, "_strings", None)
        if found is None:
            text = self.ctx.script.source.text
            found = self._strings = {}
            for s in self.ctx.script.strings:
                if isinstance(s, Str) and is_token_literal(s.value):
                    at = text.find(s.value, s.span.start, s.span.end)
                    if at >= 0:
                        found[(at, at + len(s.value))] = s.span
        return found
