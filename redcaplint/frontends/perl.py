"""Perl front end (the `tree-sitter-perl` wheel), to the depth REDCap's Perl is written: the
API Playground's and the bundled examples' `LWP::Curl`/`LWP::UserAgent` clients (`->new(…)`,
`->post($url, $fields)`, `->request(POST $url, [ … ])` with HTTP::Request::Common, HTTP::Tiny's
`post_form`), hashes (`{ token => …, content => 'record' }`, `%data = (…)`, `$data{format} =`),
`"…$var…"` interpolation and `.` concatenation, `ssl_opts(verify_hostname => 0)` (TLS off),
loops (`for`/`foreach`, `while`/`until`, `map`), `sleep`/`usleep`, `print`/`printf`/`say`/`warn`,
subs with `my (…) = @_` / `shift` parameters, and `$ENV{…}` as a token source.

Its grammar's scanner can loop for ever on some broken inputs (an unterminated heredoc), and
no timeout inside the C library interrupts it: the engine runs this front end in a child
process it can kill (`ISOLATED`), so a hang costs a bounded wait and an RC001, never the run.
REDCap knowledge stays in rules/data."""
from __future__ import annotations

from typing import Optional

from redcaplint.frontends._edits import append_before_closing
from redcaplint.frontends._treesitter import TreeBuilder, joined
from redcaplint.model import (
    BinOp, Call, CallSite, Concat, Dict, EnvLookup, FunctionDef, Item, Loop, Name, Num,
    Option, Output, Script, Seq, Sleep, Span, Str, Unknown, Value, Assign,
)
from redcaplint.source import Document

LANGUAGE = "perl"
ISOLATED = True  # parsed in a killable child process (see the module docstring)
SPELLINGS = {
    "env_token": "$ENV{'REDCAP_API_TOKEN'}",
    "true_of": {"0": "1"},
    "sleep": "sleep({:g});",
    "append_statement": lambda text, block, statement: append_before_closing(text, block, "}", statement),
}
KINDS = ["assignment_expression", "method_call_expression", "function_call_expression",
         "ambiguous_function_call_expression", "func1op_call_expression", "for_statement",
         "loop_statement", "subroutine_declaration_statement", "return_expression", "map_grep_expression",
         # every string: a config file is often a bare list (`api_url => 'http://…'`, read with `do`)
         "string_literal", "interpolated_string_literal"]
QUERY = "[" + " ".join(f"({k})" for k in KINDS) + "] @n"
CALLS = {"method_call_expression", "function_call_expression", "ambiguous_function_call_expression",
         "func1op_call_expression"}
PRINTS = {"print", "printf", "say"}
LOGS = {"warn"}
# `ssl_opts(verify_hostname => 0)`, `SSL_verify_mode => 0` / SSL_VERIFY_NONE: certificate checks off
TLS_KEYS = {"verify_hostname", "SSL_verify_mode"}


class _Builder(TreeBuilder):
    def __init__(self, source: Document, start: int = 0, end: Optional[int] = None, first_id: int = 0) -> None:
        super().__init__(source, LANGUAGE, start, end, first_id)

    # -- values -------------------------------------------------------------------------
    def _value(self, node, span: Span, kind: str, depth: int) -> Value:
        if kind == "string_literal" or kind == "interpolated_string_literal":
            content = node.child_by_field_name("content")
            if content is None:
                return Str(span, "")
            return joined(span, self.pieces(content, depth))
        if kind == "number":
            try:
                return Num(span, float(self.t(node).rstrip(".").replace("_", "")))
            except ValueError:
                return Unknown(span)
        if kind in ("autoquoted_bareword", "bareword"):
            return Str(span, self.t(node))
        if kind in ("scalar", "array", "hash", "container_variable"):
            name = next((c for c in node.named_children if c.type == "varname"), None)
            return Name(span, self.t(name)) if name is not None else Unknown(span)
        if kind == "hash_element_expression":  # $ENV{'X'}, $cfg{token}, $h->{token}
            key_node = node.child_by_field_name("key")
            key = self.value(key_node, depth + 1) if key_node is not None else Unknown(span)
            base = next((c for c in self.operands(node) if c != key_node), None)
            if base is not None and base.type == "container_variable" and self.t(base) == "ENV":
                return EnvLookup(span, key)
            return Item(span, self.value(base, depth + 1) if base is not None else Unknown(span), key)
        if kind == "anonymous_hash_expression":
            inner = self.operands(node)
            return self.pairs(inner[0], span, depth) if inner else Dict(span, ())
        if kind == "anonymous_array_expression":
            inner = self.operands(node)
            return Seq(span, tuple(self.items(inner[0], depth))) if inner else Seq(span, ())
        if kind == "list_expression":
            return Seq(span, tuple(self.items(node, depth)))
        if kind in ("parenthesized_expression", "refgen_expression"):  # (…), \%data
            inner = self.operands(node)
            return self.value(inner[-1], depth + 1) if inner else Seq(span, ())
        if kind == "binary_expression":
            op = node.child_by_field_name("operator")
            left = self.value(node.child_by_field_name("left"), depth + 1)
            right = self.value(node.child_by_field_name("right"), depth + 1)
            text = self.t(op) if op is not None else ""
            if text == ".":
                return Concat(span, (left, right))
            if text in ("||", "//", "or"):
                return left
            return BinOp(span, text, left, right)
        if kind in CALLS:
            return self.call(node, span, depth)
        return Unknown(span)

    def pieces(self, content, depth: int) -> list:
        """A string's content: text, and the variables interpolated into it."""
        parts: list[Value] = []
        at = content.start_byte
        for c in content.named_children:
            if c.start_byte > at:
                parts.append(Str(self.span_of(at, c.start_byte), self.bytes_text(at, c.start_byte)))
            parts.append(Str(self.span(c), _ESCAPES.get(self.t(c), self.t(c)[1:]))
                         if c.type == "escape_sequence" else self.value(c, depth + 1))
            at = c.end_byte
        if content.end_byte > at or not parts:
            parts.append(Str(self.span_of(at, content.end_byte), self.bytes_text(at, content.end_byte)))
        return parts

    def span_of(self, start_byte: int, end_byte: int) -> Span:
        return Span(self.offset(start_byte), self.offset(end_byte))

    def bytes_text(self, start_byte: int, end_byte: int) -> str:
        s = self.span_of(start_byte, end_byte)
        return self.text[s.start:s.end]

    def items(self, node, depth: int) -> list:
        return [self.value(c, depth + 1) for c in self.operands(node)]

    def pairs(self, node, span: Span, depth: int) -> Dict:
        """`token => $t, content => 'record'` as a hash (a list read two at a time)."""
        values = self.items(node, depth) if node.type == "list_expression" else [self.value(node, depth + 1)]
        entries = tuple((values[i], values[i + 1]) for i in range(0, len(values) - 1, 2))
        return Dict(span, entries, open=len(values) % 2 == 1)

    def arguments(self, node, depth: int) -> tuple[list, list]:
        """Positional arguments, and `name => value` pairs whose name is a bareword (what a
        constructor or `ssl_opts` takes) as keywords."""
        if node is None:
            return [], []
        children = self.operands(node) if node.type == "list_expression" else [node]
        args, kwargs = [], []
        i = 0
        while i < len(children):
            c = children[i]
            if c.type == "autoquoted_bareword" and i + 1 < len(children):
                kwargs.append((self.t(c), self.value(children[i + 1], depth + 1)))
                i += 2
                continue
            args.append(self.value(c, depth + 1))
            i += 1
        return args, kwargs

    def call(self, node, span: Span, depth: int) -> Value:
        kind = node.type
        if kind == "method_call_expression":
            invocant, method = node.child_by_field_name("invocant"), node.child_by_field_name("method")
            args, kwargs = self.arguments(node.child_by_field_name("arguments"), depth)
            name = self.t(method) if method is not None else ""
            if invocant is not None and invocant.type == "bareword":  # LWP::UserAgent->new
                return Call(span, f"{self.t(invocant)}.{name}", tuple(args), tuple(kwargs))
            receiver = self.value(invocant, depth + 1) if invocant is not None else None
            return Call(span, name, tuple(args), tuple(kwargs), receiver)
        function = node.child_by_field_name("function")
        name = self.t(function) if function is not None else ""
        args_node = node.child_by_field_name("arguments")
        if args_node is None and kind == "func1op_call_expression":  # sleep 5, shift
            inner = self.operands(node)
            args_node = inner[0] if inner else None
        args, kwargs = self.arguments(args_node, depth)
        if name == "POST" and args_node is not None and args_node.type == "list_expression":
            # HTTP::Request::Common's POST $url, [ token => …, content => … ]: a form
            nodes = self.operands(args_node)
            if len(nodes) >= 2 and len(args) >= 2 and nodes[1].type == "anonymous_array_expression":
                inner = self.operands(nodes[1])
                args[1] = self.pairs(inner[0], args[1].span, depth) if inner else Dict(args[1].span, ())
        return Call(span, name, tuple(args), tuple(kwargs))

    # -- statements ---------------------------------------------------------------------
    QUERY = QUERY

    def visit(self, node) -> None:
        s = self.script
        kind = node.type
        if kind in CALLS:
            self.on_call(node)
        elif kind == "assignment_expression":
            self.on_assignment(node)
        elif kind == "for_statement":
            self.add_loop("for", node)
        elif kind == "loop_statement":  # while/until
            self.add_loop("while", node, with_condition=True)
        elif kind == "map_grep_expression":
            callback = node.child_by_field_name("callback")
            if callback is not None:
                s.loops.append(Loop("map", self.span(node), self.span(callback)))
        elif kind in ("string_literal", "interpolated_string_literal"):
            self.value(node)  # recorded among the script's strings (RC105 reads them)
        elif kind == "subroutine_declaration_statement":
            self.on_sub(node)
        elif kind == "return_expression":
            self.add_return(node)

    def on_assignment(self, node) -> None:
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if left is None or right is None:
            return
        span = self.span(node)
        target = left.child_by_field_name("variable") if left.type == "variable_declaration" else left
        if target is None:
            return
        if target.type in ("scalar", "array", "hash"):
            value = self.value(right)
            if target.type == "hash" and isinstance(value, Seq):  # %data = (token => …, …)
                inner = self.operands(right)
                value = self.pairs(inner[0], value.span, 0) if inner else Dict(value.span, ())
            name = self.value(target)
            if isinstance(name, Name):
                self.script.assigns.append(Assign(span, name.name, value))
        elif target.type == "hash_element_expression":  # $data{format} = 'json'
            item = self.value(target)
            if isinstance(item, Item) and isinstance(item.base, Name):
                self.script.assigns.append(Assign(span, item.base.name, self.value(right), "item", item.key))

    def on_sub(self, node) -> None:
        name, body = node.child_by_field_name("name"), node.child_by_field_name("body")
        if name is None or body is None:
            return
        params: list[str] = []
        for statement in self.operands(body):
            # `my ($url, $token) = @_;` or one `my $x = shift;` per parameter, at the top
            inner = self.operands(statement)
            a = inner[0] if inner else None
            if a is None or a.type != "assignment_expression":
                break
            left, right = a.child_by_field_name("left"), a.child_by_field_name("right")
            if left is None or right is None or left.type != "variable_declaration":
                break
            if self.t(right) == "@_":
                params += [self.t(v).lstrip("$@%") for v in left.children_by_field_name("variables")]
                break
            if self.t(right) == "shift" and left.child_by_field_name("variable") is not None:
                params.append(self.t(left.child_by_field_name("variable")).lstrip("$"))
                continue
            break
        self.function_ids += 1
        self.script.functions.append(FunctionDef(self.function_ids, self.t(name), self.span(node),
                                                 self.span(body), tuple(params)))

    def on_call(self, node) -> None:
        call = self.value(node)
        if not isinstance(call, Call):
            return
        s, span = self.script, call.span
        s.calls.append(CallSite(call))
        for key, value in call.kwargs:
            if key in TLS_KEYS and (isinstance(value, Num) and value.value == 0
                                    or isinstance(value, Str) and value.value.endswith("VERIFY_NONE")):
                s.options.append(Option(value.span, "tls-off"))
            elif key == "ssl_opts" and isinstance(value, Dict):
                for k, v in value.entries:
                    if isinstance(k, Str) and k.value in TLS_KEYS and isinstance(v, Num) and v.value == 0:
                        s.options.append(Option(v.span, "tls-off"))
        name = call.callee
        if name == "sleep" and call.args:
            s.sleeps.append(Sleep(span, call.args[0]))
        elif name == "usleep" and call.args:
            s.sleeps.append(Sleep(span, BinOp(span, "/", call.args[0], Num(span, 1_000_000))))
        elif name in PRINTS:
            s.outputs.append(Output(span, "print", call.args))
        elif name in LOGS:
            s.outputs.append(Output(span, "log", call.args))


_ESCAPES = {"\\n": "\n", "\\t": "\t", "\\\\": "\\", '\\"': '"', "\\$": "$", "\\@": "@"}


def build(source: Document, start: int = 0, end: Optional[int] = None, first_id: int = 0) -> Script:
    return _Builder(source, start, end, first_id).build()
