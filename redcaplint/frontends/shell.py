"""Shell front end (bash, sh, zsh): a tree-sitter-bash tree → the neutral Script model.

Knows the shell: variable assignments (`X=…`, `export`, `local`), `$X`/`${X:-…}` expansions,
functions and their positional parameters (`$1` … `$9`), `for`/`while`/`until` loops, `sleep`
with its suffixes, `echo`/`printf` (to a file when redirected), `&`, `xargs -P` and GNU
`parallel` as concurrent dispatch, and the command lines of `curl` and `wget`, read into one
request: the URL, the form fields of every `-d`/`--data*`/`-F` merged into one payload (`-G`
makes them a query string), `--max-time`/`-m`, `-X`, `-k`/`--insecure` (combined short flags
such as `-sSk` included). A variable assigned to curl (`CURL=$(which curl)`) runs curl.
REDCap knowledge stays in rules/data.
"""
from __future__ import annotations

import re
from typing import Optional

from redcaplint.formdata import form_fields
from redcaplint.frontends._edits import append_before_closing, append_words, drop_option
from redcaplint.frontends._treesitter import TreeBuilder
from redcaplint.model import (
    Assign, Call, CallSite, Concat, Dict, Dispatch, EnvLookup, FunctionDef, Name, Num,
    Option, Output, Script, Sleep, Span, Str, Unknown, Value,
)
from redcaplint.source import Document

LANGUAGE = "shell"
# what fixes need, in this language's spelling (RuleContext.spelling)
SPELLINGS = {
    "env_token": '"$REDCAP_API_TOKEN"',
    "sleep": "sleep {:g}",
    "append_statement": lambda text, block, statement: append_before_closing(text, block, "done", statement),
    "add_argument": append_words,
    "turn_tls_on": drop_option,  # -k / --insecure / --no-check-certificate removed
}
QUERY = ("[(command) (variable_assignment) (function_definition) (for_statement)"
         " (c_style_for_statement) (while_statement)] @n")
POSITIONAL = tuple(str(i) for i in range(1, 10))  # what a shell function's caller passes
FORWARDED = "@"  # "$@" / "$*": all of the caller's words, passed on (`rc() { curl … "$@"; }`)
PRINTS = {"echo", "printf", "print"}
SLEEP_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
CURL_NAME = re.compile(r"(?:^|/)curl$")
# curl's short options that take a value (the rest are flags and may be combined: -sSk)
CURL_VALUE_SHORT = set("dFXmoHuAebcwTxKErUQYyzCtP")
CURL_LONG_VALUE = {
    "--data", "--data-raw", "--data-binary", "--data-ascii", "--data-urlencode", "--form",
    "--form-string", "--json", "--request", "--max-time", "--url", "--output", "--header",
    "--user", "--user-agent", "--referer", "--cookie", "--cookie-jar", "--write-out",
    "--upload-file", "--proxy", "--config", "--connect-timeout", "--retry", "--retry-delay",
    "--retry-max-time", "--cacert", "--cert", "--key", "--limit-rate", "--range", "--resolve",
    "--interface", "--dump-header", "--stderr", "--trace", "--trace-ascii", "--variable",
}
DATA_OPTIONS = {"-d": "&", "--data": "&", "--data-raw": "&", "--data-binary": "&", "--data-ascii": "&",
                "--data-urlencode": None, "-F": None, "--form": None, "--form-string": None}
WGET_VALUE = {"--post-data", "--body-data", "--timeout", "-T", "--output-document", "-O", "--header",
              "--method", "--user", "--password", "--tries", "-t", "--wait", "-w", "--post-file"}
DISPATCHERS = {"xargs": ("-P", "--max-procs"), "parallel": ("-j", "--jobs", "-P")}
# POSIX `for i do … done` (the positional parameters; every gradlew has one), which the
# grammar only reads as `for i; do`
# the literal comes first so the engine scans for it (a leading \b made this a tenth of a
# file's analysis time); the look-behind then asks for the word boundary
FOR_WITHOUT_IN = re.compile(r"for(?<=\bfor)([ \t]+[A-Za-z_][A-Za-z0-9_]*)[ \t](?=[ \t]*do\b)")
# A redirect after a bare assignment (`size=`wc -c < f` > /dev/null 2>&1`, `x=$(cmd) 2>/dev/null
# || …`): bash runs it (the redirect applies to nothing), the grammar rejects the whole file.
# The redirect words are blanked (same length): they change nothing the linter reads
ASSIGN_REDIRECT = re.compile(
    rb"""^([ \t]*[A-Za-z_][A-Za-z0-9_]*=(?:"(?:[^"\\\n]|\\.)*"|'[^'\n]*'|`[^`\n]*`"""
    rb"""|\$\((?:[^()\n]|\([^()\n]*\))*\)|[^\s;&|<>()`"'])*)"""
    rb"""((?:[ \t]+(?:[0-9]?>>?|&>>?|[0-9]?>&)[ \t]*(?:[0-9-](?![^\s;&|])|[^\s;&|<>()]+))+)(?=[ \t]*(?:$|[;&|#]))""",
    re.MULTILINE)


class _CurlWords:
    """A curl command line, read (curl_options)."""

    def __init__(self) -> None:
        self.entries: list[tuple[Value, Value]] = []
        self.open = False
        self.get = False
        self.forwards = False  # "$@" among the words
        self.url: Optional[Value] = None
        self.timeout: Optional[Value] = None
        self.kwargs: list[tuple[str, Value]] = []


class _Builder(TreeBuilder):
    def __init__(self, source: Document, start: int = 0, end: Optional[int] = None, first_id: int = 0) -> None:
        super().__init__(source, "bash", start, end, first_id)  # the grammar's name
        self.script.language = LANGUAGE
        self.curl_vars: set[str] = set()  # variables that hold the curl command
        # functions that pass their words on to curl ("$@"), with those curl calls, and the
        # timeout each call of them passes (None: none)
        self.forwarders: dict[str, list[Call]] = {}
        self.forwarded_timeouts: dict[str, list[Optional[Value]]] = {}
        self.open_functions: list[FunctionDef] = []  # enclosing_function's stack

    def prepare(self, region: str) -> str:
        return FOR_WITHOUT_IN.sub(r"for\1;", region) if "for" in region else region

    def repair(self, data: bytes, tree) -> Optional[bytes]:
        # only for a file the grammar rejects: every redirect after a bare assignment at once
        fixed = ASSIGN_REDIRECT.sub(lambda m: m.group(1) + b" " * len(m.group(2)), data)
        return fixed if fixed != data else None

    # -- values -------------------------------------------------------------------------
    def _value(self, node, span: Span, kind: str, depth: int) -> Value:
        if kind in ("word", "number"):
            return Str(span, self.t(node))
        if kind == "raw_string":  # 'text': the span of the text without its quotes
            return Str(Span(span.start + 1, max(span.start + 1, span.end - 1)), self.t(node)[1:-1])
        if kind == "ansi_c_string":
            return Str(span, self.t(node)[2:-1])
        if kind == "simple_expansion" or kind == "expansion":
            name = next((c for c in node.named_children if c.type in ("variable_name", "special_variable_name")), None)
            if name is None:
                return Unknown(span)
            text = self.t(name)
            if text == "*":
                text = FORWARDED
            if kind == "expansion" and len(node.named_children) > 1 and text not in POSITIONAL:
                # `${REDCAP_API_TOKEN:?set it}`, `${X:-default}`: a variable from the environment
                return EnvLookup(span, Str(self.span(name), text))
            return Name(span, text)
        if kind in ("string", "concatenation"):
            parts: list[Value] = []
            for child in node.named_children:
                v = Str(self.span(child), self.t(child)) if child.type == "string_content" else self.value(child, depth + 1)
                parts.extend(v.parts if isinstance(v, Concat) else (v,))
            if not parts:
                return Str(span, "")
            if all(isinstance(p, Str) for p in parts):
                return Str(span, "".join(p.value for p in parts))
            return parts[0] if len(parts) == 1 and kind == "string" else Concat(span, tuple(parts))
        if kind == "command_substitution":
            inner = next((c for c in node.named_children if c.type == "command"), None)
            if inner is not None:
                name = inner.child_by_field_name("name")
                args = [self.t(a) for a in inner.children_by_field_name("argument")]
                if name is not None and self.t(name) in ("which", "command") and args and CURL_NAME.search(args[-1]):
                    return Str(span, "curl")  # CURL=$(which curl), $(command -v curl)
            return Unknown(span)
        return Unknown(span)

    def command_name(self, node) -> Optional[str]:
        name = node.child_by_field_name("name")
        if name is None:
            return None
        inner = name.named_children[0] if name.named_children else name
        value = self.value(inner)
        if isinstance(value, Str):
            return "curl" if CURL_NAME.search(value.value) else value.value
        if isinstance(value, Name) and value.name in self.curl_vars:
            # "$CURL" -sS … with CURL assigned in this file; one set only in a sourced file (as
            # REDCap's bundled examples do) is not known (rules.md)
            return "curl"
        return None

    # -- statements ---------------------------------------------------------------------
    QUERY = QUERY

    def visit(self, node) -> None:
        kind = node.type
        if kind == "command":
            self.on_command(node)
        elif kind == "variable_assignment":
            self.on_assignment(node)
        elif kind == "function_definition":
            self.on_function(node)
        elif kind in ("for_statement", "c_style_for_statement"):
            self.add_loop("for", node)
        elif kind == "while_statement":
            self.add_loop("while", node, with_condition=True)

    def on_assignment(self, node) -> None:
        name, value = node.child_by_field_name("name"), node.child_by_field_name("value")
        if name is None:
            return
        v = self.value(value) if value is not None else Str(self.span(node), "")
        target = self.t(name)
        if isinstance(v, Str) and (v.value == "curl" or CURL_NAME.search(v.value)):
            self.curl_vars.add(target)
        self.script.assigns.append(Assign(self.span(node), target, v))

    def on_function(self, node) -> None:
        name, body = node.child_by_field_name("name"), node.child_by_field_name("body")
        if name is None or body is None:
            return
        self.function_ids += 1
        fn = FunctionDef(self.function_ids, self.t(name), self.span(node), self.span(body), POSITIONAL + (FORWARDED,))
        self.script.functions.append(fn)
        self.enclosing_function(fn.span)  # drops the functions that ended before this one
        self.open_functions.append(fn)

    def on_command(self, node) -> None:
        s = self.script
        name = self.command_name(node)
        if name is None:
            return
        span = self.span(node)
        words = node.children_by_field_name("argument")
        args = tuple(self.value(w) for w in words)
        if name == "curl":
            call = self.curl(span, args)
        elif name in self.forwarders:
            # `rc -d content=record`: the words are curl options the helper's curl receives;
            # what they send is the helper's parameter "@"
            words = self.curl_options(args)
            call = Call(span, name, args, ((FORWARDED, Dict(span, tuple(words.entries), words.open)),))
            self.forwarded_timeouts.setdefault(name, []).append(words.timeout)
        elif name == "wget":
            call = self.wget(span, args)
        else:
            call = Call(span, name, args)
        s.calls.append(CallSite(call))
        after = node.next_sibling
        if after is not None and after.type == "&":
            # the dispatch is the command with its `&` (it contains the call it starts)
            s.dispatches.append(Dispatch(Span(span.start, self.offset(after.end_byte)), "background", (call,)))
        if name == "sleep" and args:
            s.sleeps.append(Sleep(span, _seconds(args[0])))
        elif name in PRINTS:
            parent = node.parent
            redirected = parent is not None and parent.type == "redirected_statement" and any(
                c.type == "file_redirect" and not self.t(c).lstrip("0123456789").startswith((">&", "<"))
                for c in parent.children)
            s.outputs.append(Output(span, "file" if redirected else "print", args))
        elif name in DISPATCHERS:
            self.dispatcher(span, name, args)

    def dispatcher(self, span: Span, name: str, args: tuple) -> None:
        """`xargs -P 4 curl …`, `parallel -j 8 ./pull.sh`: the command they run, concurrently."""
        flags = DISPATCHERS[name]
        texts = [a.value if isinstance(a, Str) else "" for a in args]
        if not any(t in flags or any(t.startswith(f) and len(t) > len(f) for f in flags if len(f) == 2) for t in texts):
            return
        i = 0
        while i < len(texts) and texts[i].startswith("-"):
            i += 2 if texts[i] in flags or texts[i] in ("-n", "-I", "-L", "-d", "-a", "-s") else 1
        if i >= len(texts):
            return
        inner = texts[i]
        inner_span = Span(args[i].span.start, span.end)  # the command xargs runs, inside its line
        if CURL_NAME.search(inner):
            target = self.curl(inner_span, args[i + 1:])
            self.script.calls.append(CallSite(target))
        else:
            target = Call(inner_span, inner, args[i + 1:])
        self.script.dispatches.append(Dispatch(span, name, (target,)))

    # -- curl and wget ------------------------------------------------------------------
    def curl(self, span: Span, args: tuple) -> Call:
        words = self.curl_options(args)
        kwargs = list(words.kwargs)
        if words.timeout is not None:
            kwargs.append(("timeout", words.timeout))
        kwargs.append(("params" if words.get else "data", Dict(span, tuple(words.entries), words.open)))
        call = Call(span, "curl", (words.url,) if words.url is not None else (), tuple(kwargs))
        if words.forwards:
            helper = self.enclosing_function(span)
            if helper is not None:
                self.forwarders.setdefault(helper.name, []).append(call)
        return call

    def enclosing_function(self, span: Span) -> Optional[FunctionDef]:
        """The innermost function whose body holds span. Nodes come in document order, so the
        functions still open form a stack: the ended ones are dropped from its top (each
        once), never searched again."""
        while self.open_functions and self.open_functions[-1].body.end <= span.start:
            self.open_functions.pop()
        top = self.open_functions[-1] if self.open_functions else None
        return top if top is not None and top.body.contains(span) else None

    def curl_options(self, args: tuple) -> "_CurlWords":
        """What a curl command line's words say: its URL, the form fields of its data
        options merged in order, `-G`, `-m`, `-X`, and "$@" (words passed on by a helper's
        caller, merged where they stand); `-k`/`--insecure` are recorded as options."""
        w = _CurlWords()
        i = 0
        n = len(args)

        def take(option: str, value: Optional[Value]) -> None:
            if value is None:
                return
            if option in DATA_OPTIONS:
                opened = form_fields(value, DATA_OPTIONS[option], w.entries, self.text)
                w.open = w.open or opened
            elif option == "--json":
                w.open = True
            elif option in ("-m", "--max-time"):
                w.timeout = _number(value)
            elif option in ("-X", "--request"):
                w.kwargs.append(("method", value))
            elif option == "--url":
                w.url = w.url or value

        while i < n:
            a = args[i]
            if isinstance(a, Name) and a.name == FORWARDED:
                w.entries.append((Str(a.span, "*"), a))  # the caller's words, merged here
                w.forwards = True
                i += 1
                continue
            text = a.value if isinstance(a, Str) else None
            if text is None or not text.startswith("-") or text == "-":
                w.url = w.url or a  # a positional argument: the URL
                i += 1
                continue
            if text.startswith("--"):
                opt, eq, rest = text.partition("=")
                if opt in ("--insecure",):
                    self.script.options.append(Option(a.span, "tls-off"))
                elif opt in ("--get",):
                    w.get = True
                elif opt in CURL_LONG_VALUE or opt in DATA_OPTIONS:
                    if eq:
                        take(opt, Str(a.span, rest))
                    else:
                        take(opt, args[i + 1] if i + 1 < n else None)
                        i += 1
                i += 1
                continue
            # short options, possibly combined (-sSk, -sd 'x=1', -m30)
            j = 1
            while j < len(text):
                c = text[j]
                if c in CURL_VALUE_SHORT:
                    rest = text[j + 1:]
                    if rest:
                        take("-" + c, Str(a.span, rest))
                    else:
                        take("-" + c, args[i + 1] if i + 1 < n else None)
                        i += 1
                    break
                if c == "k":
                    self.script.options.append(Option(a.span, "tls-off"))
                elif c == "G":
                    w.get = True
                j += 1
            i += 1
        return w

    def build(self) -> Script:
        s = super().build()
        # a helper's curl without a timeout of its own gets the one every caller passes on
        # (`rc -m 30 -d …` everywhere); one caller without it leaves the helper's request without
        for name, calls in self.forwarders.items():
            passed = self.forwarded_timeouts.get(name, [])
            if passed and all(t is not None for t in passed):
                for call in calls:
                    if call.kwarg("timeout") is None:
                        call.kwargs = ((("timeout", passed[0]),) + call.kwargs)
        return s

    def wget(self, span: Span, args: tuple) -> Call:
        entries: list[tuple[Value, Value]] = []
        is_open = False
        url: Optional[Value] = None
        kwargs: list[tuple[str, Value]] = []
        i = 0
        while i < len(args):
            a = args[i]
            text = a.value if isinstance(a, Str) else None
            if text is None or not text.startswith("-"):
                url = url or a
                i += 1
                continue
            opt, eq, rest = text.partition("=")
            value = Str(a.span, rest) if eq else (args[i + 1] if opt in WGET_VALUE and i + 1 < len(args) else None)
            if not eq and opt in WGET_VALUE:
                i += 1
            if opt == "--no-check-certificate":
                self.script.options.append(Option(a.span, "tls-off"))
            elif opt in ("--post-data", "--body-data") and value is not None:
                is_open = form_fields(value, "&", entries, self.text) or is_open
            elif opt == "--post-file":
                is_open = True
            elif opt in ("--timeout", "-T") and value is not None:
                kwargs.append(("timeout", _number(value)))
            i += 1
        kwargs.append(("data", Dict(span, tuple(entries), is_open)))
        return Call(span, "wget", (url,) if url is not None else (), tuple(kwargs))


def _number(value: Value) -> Value:
    if isinstance(value, Str):
        try:
            return Num(value.span, float(value.value))
        except ValueError:
            return value
    return value


def _seconds(value: Value) -> Optional[Value]:
    """`sleep 5`, `sleep 0.5`, `sleep 1m`: seconds, when the argument is a literal."""
    if not isinstance(value, Str):
        return value
    m = re.fullmatch(r"(\d+(?:\.\d*)?|\.\d+)([smhd]?)", value.value.strip())
    if m is None:
        return None
    return Num(value.span, float(m.group(1)) * SLEEP_UNITS[m.group(2)])


def build(source: Document, start: int = 0, end: Optional[int] = None, first_id: int = 0) -> Script:
    return _Builder(source, start, end, first_id).build()
