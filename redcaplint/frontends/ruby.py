"""Ruby front end (the r-lib-era language pack's tree-sitter-ruby), to the depth the API
Playground's Ruby needs: `Net::HTTP` (a client object, a `Net::HTTP::Post` request given
`set_form_data`, sent by `http.request(req)`; `use_ssl`, `verify_mode`, `read_timeout` set on
the client), `Net::HTTP.post_form`, RestClient, hashes (`:token =>`, `token:`), loops (`each`,
`times`, `map` blocks, `for`, `while`, `until`, `loop`), `sleep`, `puts`/`print`/`p`, and
`ENV['X']` as a token source. REDCap knowledge stays in rules/data.
"""
from __future__ import annotations

from typing import Optional

from redcaplint.frontends._handles import Handles
from redcaplint.frontends._treesitter import TreeBuilder, joined
from redcaplint.model import (
    Assign, BinOp, Call, CallSite, Concat, Const, Dict, EnvLookup, FunctionDef, Item, Loop, Name,
    Num, Option, Output, Script, Seq, Sleep, Span, Str, Unknown, Value,
)
from redcaplint.source import Document

LANGUAGE = "ruby"
SPELLINGS = {"env_token": "ENV['REDCAP_API_TOKEN']", "true_of": {"false": "true"}, "list_of": "[{}]"}
QUERY = "[(call) (assignment) (method) (for) (while) (until)] @n"
BLOCK_ITERATORS = {"each", "each_with_index", "each_slice", "times", "map", "collect", "each_with_object",
                   "flat_map", "select", "loop", "upto", "downto", "step"}
PRINTS = {"puts", "print", "p", "pp", "printf", "warn"}
PASS_THROUGH = {"URI.parse", "URI", "request_uri", "path", "to_s"}
FORM_ENCODERS = {"URI.encode_www_form"}  # the hash it encodes carries the parameters


class _Builder(TreeBuilder):
    def __init__(self, source: Document, start: int = 0, end: Optional[int] = None, first_id: int = 0) -> None:
        super().__init__(source, LANGUAGE, start, end, first_id)
        # Net::HTTP client objects (their timeouts) and Net::HTTP::Post requests (url, form)
        self.handles = Handles(LANGUAGE, "nethttp")

    def name_of(self, node) -> str:
        return self.t(node).lstrip(":").rstrip(":").strip("'\"")

    def _value(self, node, span: Span, kind: str, depth: int) -> Value:
        if kind == "string":
            parts: list[Value] = []
            for c in node.named_children:
                if c.type == "interpolation":
                    inner = c.named_children
                    parts.append(self.value(inner[0], depth + 1) if inner else Unknown(span))
                else:
                    parts.append(Str(self.span(c), self.t(c)))
            return joined(span, parts)
        if kind in ("integer", "float"):
            try:
                return Num(span, float(self.t(node).replace("_", "")))
            except ValueError:
                return Unknown(span)
        if kind in ("true", "false", "nil"):
            return Const(span, {"true": True, "false": False, "nil": None}[kind])
        if kind in ("identifier", "constant", "scope_resolution"):
            return Name(span, self.t(node))
        if kind in ("simple_symbol", "hash_key_symbol"):
            return Str(span, self.name_of(node))
        if kind == "hash":
            entries = []
            for pair in node.named_children:
                if pair.type == "pair":
                    k, v = pair.child_by_field_name("key"), pair.child_by_field_name("value")
                    if k is not None and v is not None:
                        entries.append((self.value(k, depth + 1), self.value(v, depth + 1)))
            return Dict(span, tuple(entries))
        if kind == "array":
            return Seq(span, tuple(self.value(c, depth + 1) for c in self.operands(node)))
        if kind == "element_reference":  # ENV['TOKEN'], cfg['token']
            obj = node.child_by_field_name("object")
            keys = [c for c in node.named_children if c != obj]
            key = self.value(keys[0], depth + 1) if keys else Unknown(span)
            if obj is not None and self.t(obj) == "ENV":
                return EnvLookup(span, key)
            return Item(span, self.value(obj, depth + 1), key)
        if kind == "binary":
            op = node.child_by_field_name("operator")
            left = self.value(node.child_by_field_name("left"), depth + 1)
            right = self.value(node.child_by_field_name("right"), depth + 1)
            text = self.t(op) if op is not None else ""
            if text == "+" and (isinstance(left, (Str, Concat)) or isinstance(right, (Str, Concat))):
                return Concat(span, (left, right))
            if text in ("||", "or"):
                return left
            return BinOp(span, text, left, right)
        if kind == "parenthesized_statements":
            inner = node.named_children
            return self.value(inner[-1], depth + 1) if inner else Unknown(span)
        if kind == "call":
            return self.call(node, depth)
        return Unknown(span)

    def call(self, node, depth: int = 0) -> Value:
        span = self.span(node)
        receiver_node, method = node.child_by_field_name("receiver"), node.child_by_field_name("method")
        if method is None:
            return Unknown(span)
        args_node = node.child_by_field_name("arguments")
        args: list[Value] = []
        kwargs: list[tuple[str, Value]] = []
        for a in self.operands(args_node) if args_node is not None else ():
            if a.type == "pair":
                k, v = a.child_by_field_name("key"), a.child_by_field_name("value")
                if k is not None and v is not None:
                    kwargs.append((self.name_of(k), self.value(v, depth + 1)))
            else:
                args.append(self.value(a, depth + 1))
        if kwargs:
            # bare `k => v` / `k: v` pairs are one trailing hash argument in Ruby
            # (`Net::HTTP.post_form(uri, 'token' => t, 'content' => 'record')`); kept as keywords too,
            # for the options a library reads by name (`read_timeout: 30`)
            args.append(Dict(span, tuple((Str(v.span, k), v) for k, v in kwargs)))
        name = self.t(method)
        receiver = self.value(receiver_node, depth + 1) if receiver_node is not None else None
        callee = f"{self.t(receiver_node)}.{name}" if receiver_node is not None and receiver_node.type in (
            "constant", "scope_resolution") else name
        if callee in PASS_THROUGH or (name in PASS_THROUGH and receiver is not None and not args):
            return (args[0] if args else receiver) or Unknown(span)
        if callee == "URI" and args:
            return args[0]
        if name in ("collect", "map") and receiver is not None and "PostField.content" in self.t(node):
            # curb: `fields.collect { |k, v| Curl::PostField.content(k.to_s, v) }` posts the hash
            return receiver
        if callee in FORM_ENCODERS and (args or kwargs):
            return args[0] if args else Dict(span, tuple((Str(v.span, k), v) for k, v in kwargs))
        return Call(span, callee, tuple(args), tuple(kwargs), None if "." in callee else receiver)

    QUERY = QUERY

    def visit(self, node) -> None:
        s = self.script
        kind = node.type
        if kind == "assignment":
            self.on_assignment(node)
        elif kind == "call":
            self.on_call(node)
        elif kind == "method":
            name, body = node.child_by_field_name("name"), node.child_by_field_name("body")
            params = node.child_by_field_name("parameters")
            if name is not None:
                self.function_ids += 1
                names = tuple(self.t(p) for p in params.named_children) if params is not None else ()
                s.functions.append(FunctionDef(self.function_ids, self.t(name), self.span(node),
                                               self.span(body if body is not None else node), names))
        elif kind == "for":
            self.add_loop("for", node)
        elif kind in ("while", "until"):
            self.add_loop("while", node, with_condition=True)

    def on_assignment(self, node) -> None:
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if left is None or right is None:
            return
        value = self.value(right)
        if left.type == "identifier":
            target = self.t(left)
            self.script.assigns.append(Assign(self.span(node), target, value))
            if isinstance(value, Call) and value.callee in ("Net::HTTP.new", "Net::HTTP.start"):
                self.handles.open(target)
            elif isinstance(value, Call) and value.callee.startswith("Net::HTTP::") and value.callee.endswith(".new"):
                self.handles.open(target, **({"url": value.args[0]} if value.args else {}))
        elif left.type == "call":  # http.verify_mode = …, http.read_timeout = 30
            obj, attr = left.child_by_field_name("receiver"), left.child_by_field_name("method")
            if obj is None or attr is None:
                return
            owner, setting = self.t(obj), self.t(attr)
            if setting == "verify_mode" and self.t(right).endswith("VERIFY_NONE"):
                self.script.options.append(Option(self.span(right), "tls-off"))
            elif self.handles.has(owner):
                self.handles.set(owner, setting, value)  # read_timeout, open_timeout, …

    def on_call(self, node) -> None:
        value = self.value(node)
        if not isinstance(value, Call):
            return
        s, call, span = self.script, value, value.span
        receiver = call.receiver.name if isinstance(call.receiver, Name) else None
        name = call.callee.rpartition(".")[2]
        if self.handles.has(receiver) and self.handles.role_of(name) is not None and (call.args or call.kwargs):
            # set_form_data(token: …, content: …) takes a hash without braces
            form = call.args[0] if call.args else Dict(span, tuple((Str(v.span, k), v) for k, v in call.kwargs))
            self.handles.set(receiver, name, form)
            return
        if self.handles.has(receiver) and name == "request" and call.args:
            req = call.args[0].name if isinstance(call.args[0], Name) else None
            call = self.handles.request(span, "Net::HTTP.request", req, *self.handles.options(receiver).items())
        s.calls.append(CallSite(call))
        block = node.child_by_field_name("block")
        if block is not None and name in BLOCK_ITERATORS:
            body = block.child_by_field_name("body")
            s.loops.append(Loop("for", span, self.span(body if body is not None else block)))
        if call.callee == "sleep" and call.args:
            s.sleeps.append(Sleep(span, call.args[0]))
        elif call.callee in PRINTS:
            s.outputs.append(Output(span, "print", call.args))
        elif receiver is not None and "log" in receiver.lower() and name in ("info", "debug", "warn", "error"):
            s.outputs.append(Output(span, "log", call.args))


def build(source: Document, start: int = 0, end: Optional[int] = None, first_id: int = 0) -> Script:
    return _Builder(source, start, end, first_id).build()
