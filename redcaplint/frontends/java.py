"""Java front end (tree-sitter-java from the pinned language pack), to the depth the API
Playground's Java needs: Apache HttpClient (`new BasicNameValuePair(k, v)` added to a list,
`new HttpPost(url)`, `setEntity(new UrlEncodedFormEntity(params))`, `setConfig(…)` with
timeouts, sent by `client.execute(post)`; a trust-all SSL context or `NoopHostnameVerifier`
turns verification off), loops (`for`, enhanced `for`, `while`, `do`, `forEach`),
`Thread.sleep(ms)`/`TimeUnit.X.sleep(n)`, `System.out.print*`/loggers, `System.getenv`.
"""
from __future__ import annotations

from typing import Optional

from redcaplint.frontends._handles import Handles
from redcaplint.frontends._treesitter import TreeBuilder
from redcaplint.model import (
    Assign, BinOp, Call, CallSite, Concat, Const, Dict, EnvLookup, FunctionDef, Loop, Name, Num,
    Option, Output, Script, Sleep, Span, Str, Unknown, Value,
)
from redcaplint.source import Document

LANGUAGE = "java"
SPELLINGS = {"env_token": 'System.getenv("REDCAP_API_TOKEN")', "true_of": {"false": "true"}}
QUERY = ("[(local_variable_declaration) (assignment_expression) (method_invocation) (object_creation_expression)"
         " (method_declaration) (for_statement) (enhanced_for_statement) (while_statement) (do_statement)] @n")
REQUESTS = {"HttpPost", "HttpGet", "HttpPut"}
COLLECTIONS = {"ArrayList", "LinkedList", "HashMap", "LinkedHashMap", "Vector", "TreeMap"}
TLS_OFF = ("NoopHostnameVerifier", "TrustAllStrategy", "TrustSelfSignedStrategy", "ALLOW_ALL_HOSTNAME_VERIFIER")
TIMEOUT_SETTERS = {"setSocketTimeout", "setConnectTimeout", "setConnectionRequestTimeout", "setResponseTimeout",
                   "setReadTimeout"}


class _Builder(TreeBuilder):
    def __init__(self, source: Document, start: int = 0, end: Optional[int] = None, first_id: int = 0) -> None:
        super().__init__(source, LANGUAGE, start, end, first_id)
        self.handles = Handles(LANGUAGE, "apache")  # HttpPost variables → url, form, timeout
        self.timeouts: set[str] = set()  # RequestConfig variables built with a timeout

    def _value(self, node, span: Span, kind: str, depth: int) -> Value:
        if kind == "string_literal":
            return Str(span, "".join(self.t(c) for c in node.named_children if c.type == "string_fragment"))
        if kind in ("decimal_integer_literal", "decimal_floating_point_literal"):
            try:
                return Num(span, float(self.t(node).rstrip("lLdDfF").replace("_", "")))
            except ValueError:
                return Unknown(span)
        if kind in ("true", "false", "null_literal"):
            return Const(span, {"true": True, "false": False}.get(kind))
        if kind == "identifier":
            return Name(span, self.t(node))
        if kind == "binary_expression":
            op = node.child_by_field_name("operator")
            left = self.value(node.child_by_field_name("left"), depth + 1)
            right = self.value(node.child_by_field_name("right"), depth + 1)
            text = self.t(op) if op is not None else ""
            if text == "+" and (isinstance(left, (Str, Concat)) or isinstance(right, (Str, Concat))):
                return Concat(span, (left, right))
            return BinOp(span, text, left, right)
        if kind in ("method_invocation", "object_creation_expression"):
            return self.call(node, depth)
        if kind in ("parenthesized_expression", "cast_expression"):
            inner = node.named_children
            return self.value(inner[-1], depth + 1) if inner else Unknown(span)
        return Unknown(span)

    def call(self, node, depth: int) -> Value:
        span = self.span(node)
        args_node = node.child_by_field_name("arguments")
        args = tuple(self.value(a, depth + 1) for a in self.operands(args_node)) if args_node is not None else ()
        if node.type == "object_creation_expression":
            typ = node.child_by_field_name("type")
            name = self.t(typ).split("<", 1)[0] if typ is not None else ""
            if name == "BasicNameValuePair" and len(args) == 2:
                return Dict(span, ((args[0], args[1]),))
            if name == "UrlEncodedFormEntity" and args:
                return args[0]  # the form it encodes
            if name in COLLECTIONS and not args:
                return Dict(span, ())  # filled with add()/put() below
            return Call(span, name, args)
        obj, name_node = node.child_by_field_name("object"), node.child_by_field_name("name")
        name = self.t(name_node) if name_node is not None else ""
        owner = self.t(obj) if obj is not None else ""
        if owner == "System" and name == "getenv":
            return EnvLookup(span, args[0] if args else None)
        if obj is not None and obj.type == "identifier" and owner[:1].isupper():
            return Call(span, f"{owner}.{name}", args)  # a static call: Thread.sleep, Arrays.asList
        receiver = self.value(obj, depth + 1) if obj is not None else None
        return Call(span, name, args, (), receiver)

    QUERY = QUERY

    def visit(self, node) -> None:
        s = self.script
        kind = node.type
        if kind == "local_variable_declaration":
            for d in node.children_by_field_name("declarator"):
                name, value = d.child_by_field_name("name"), d.child_by_field_name("value")
                if name is not None and value is not None:
                    self.bind(self.t(name), self.value(value), self.span(d), value)
        elif kind == "assignment_expression":
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if left is not None and right is not None and left.type == "identifier":
                self.bind(self.t(left), self.value(right), self.span(node), right)
        elif kind == "method_invocation":
            self.on_call(node)
        elif kind == "object_creation_expression" and any(t in self.t(node) for t in TLS_OFF):
            s.options.append(Option(self.span(node), "tls-off"))
        elif kind == "method_declaration":
            name, body = node.child_by_field_name("name"), node.child_by_field_name("body")
            params = node.child_by_field_name("parameters")
            if name is not None and body is not None:
                names = tuple(self.t(p.child_by_field_name("name")) for p in params.named_children
                              if p.child_by_field_name("name") is not None) if params is not None else ()
                self.function_ids += 1
                s.functions.append(FunctionDef(self.function_ids, self.t(name), self.span(node), self.span(body), names))
        elif kind in ("for_statement", "enhanced_for_statement"):
            self.add_loop("for", node)
        elif kind in ("while_statement", "do_statement"):
            self.add_loop("while", node, with_condition=kind == "while_statement")

    def bind(self, target: str, value: Value, span: Span, node) -> None:
        self.script.assigns.append(Assign(span, target, value))
        if isinstance(value, Call) and value.callee in REQUESTS:
            self.handles.open(target, **({"url": value.args[0]} if value.args else {}))
        elif isinstance(value, Call) and any(t in self.t(node) for t in TIMEOUT_SETTERS):
            self.timeouts.add(target)  # RequestConfig.custom().setSocketTimeout(…).build()

    def on_call(self, node) -> None:
        value = self.value(node)
        if not isinstance(value, Call):
            return
        s, call, span = self.script, value, value.span
        receiver = call.receiver.name if isinstance(call.receiver, Name) else None
        if receiver is not None and call.callee == "add" and len(call.args) == 1 and isinstance(call.args[0], Dict):
            s.assigns.append(Assign(span, receiver, call.args[0], "update"))  # params.add(new BasicNameValuePair(…))
        elif receiver is not None and call.callee == "put" and len(call.args) == 2:
            s.assigns.append(Assign(span, receiver, call.args[1], "item", call.args[0]))  # map.put("token", t)
        if self.handles.has(receiver) and call.args:
            cfg = call.args[0]
            # a RequestConfig is a timeout only when it was built with one
            if self.handles.role_of(call.callee) != "timeout" or (
                    isinstance(cfg, Name) and cfg.name in self.timeouts or any(t in self.t(node) for t in TIMEOUT_SETTERS)):
                self.handles.set(receiver, call.callee, cfg)
        if call.callee == "execute" and call.args and isinstance(call.args[0], Name) and self.handles.has(call.args[0].name):
            call = self.handles.request(span, "HttpClient.execute", call.args[0].name)
        s.calls.append(CallSite(call))
        if call.callee == "Thread.sleep" and call.args:
            s.sleeps.append(Sleep(span, BinOp(span, "/", call.args[0], Num(span, 1000))))
        elif call.callee == "sleep" and self.t(node).startswith("TimeUnit.SECONDS") and call.args:
            s.sleeps.append(Sleep(span, call.args[0]))
        elif call.callee in ("println", "print", "printf", "format") and self.t(node).startswith("System."):
            s.outputs.append(Output(span, "print", call.args))
        elif receiver is not None and "log" in receiver.lower() and call.callee in ("info", "debug", "warn", "error"):
            s.outputs.append(Output(span, "log", call.args))
        elif call.callee == "forEach" and call.args:
            s.loops.append(Loop("map", span, call.args[0].span))


def build(source: Document, start: int = 0, end: Optional[int] = None, first_id: int = 0) -> Script:
    return _Builder(source, start, end, first_id).build()
