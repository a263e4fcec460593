import re

from redcaplint.findings import Edit, Fix
from redcaplint.model import Span, Str
from redcaplint.resolve import tokenish_name
from redcaplint.rule import Case, Rule
from redcaplint.tokens import HEX_RUN, is_placeholder, is_token_format, sha256

# Text just before a literal that makes it a token context, in any language's spelling:
# `token = "…"`, `"token": "…"`, `token="…"`, `'token' => '…'`, `token <- "…"`, `token=…` (shell)
CONTEXT_BEFORE = re.compile(
    r"(?i)(token|api_?key|apikey)\w*[\"'\]]?\s*(?:=>|<-|:=|=|:)\s*(?:\w+\()?\s*[\"'`]?$")


class HardcodedToken(Rule):
    """
    ## What it does
    Finds REDCap API tokens written into source: a 32-hex project token or 64-hex super
    token in a token context (a `token` payload key or argument, a client constructor's token,
    a variable named like `*token*`/`api_key`), or any upper-case 32/64-hex literal, which is
    exactly REDCap's token format. Comments and docstrings count. Placeholders such as
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
    Unsafe: the literal is replaced by an environment lookup, which changes behaviour until the
    variable is set (and may need `import os`). Revoke the committed token in REDCap as well.
    """

    code = "RC101"
    name = "hardcoded-token"
    severity = "error"
    fix = "unsafe"
    VALID = [Case('TOKEN = os.environ["REDCAP_API_TOKEN"]\nTEMPLATE = "YOUR_TOKEN_HERE"\n'),
             Case('checksum = "d41d8cd98f00b204e9800998ecf8427e"\n')]
    INVALID = [Case('# ruleid: RC101\nTOKEN = "0123456789ABCDEF0123456789ABCDEF"\n'),
               Case('# ruleid: RC101\napi_key = "deadbeefdeadbeefdeadbeefdeadbeef"\n')]

    def check(self) -> None:
        script = self.ctx.script
        text = script.source.text
        allowed = self.ctx.config.allowed_tokens
        positional = self._positional_contexts() if script.syntax_error is None else []
        # every region of the document: code, prose (R Markdown), outputs (notebooks)
        for m in HEX_RUN.finditer(text):
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
            self.report(Span(m.start(), m.end()), f"Hard-coded REDCap API token {value}",
                        self._fix(text, m.start(), m.end()) if in_context else None)

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

    def _fix(self, text: str, start: int, end: int):
        quote = text[start - 1:start] if start else ""
        env = self.ctx.spelling("env_token") or "an environment variable"
        description = f"Read the token from the environment: {env}"
        if quote in ("'", '"') and text[end:end + 1] == quote:
            return Fix("unsafe", description, (Edit(start - 1, end + 1, env),))
        return Fix("suggestion", description)
