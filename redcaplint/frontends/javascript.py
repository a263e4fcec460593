"""JavaScript / TypeScript front end (tree-sitter-javascript, tree-sitter-typescript for `.ts`
and `.tsx`) → the neutral Script model.

Knows JavaScript: `const`/`let`/`var`, `require` and `import` aliases, objects (shorthand
properties, spreads), template strings, `process.env` as a token source, functions, arrow
functions bound to names, class methods (`this.`, `constructor`), loops (`for`, `for…of`,
`for…in`, `while`, `do`, `forEach`/`map` callbacks, jQuery/lodash `each`/`map`, `setInterval` polling), awaited `setTimeout` promises as sleeps
(milliseconds), `Promise.all`/`allSettled`/`race`/`any` and `forEach(async …)` as concurrent
dispatch, `console.*`/loggers/`fs.writeFile*` as output, `URLSearchParams`/`FormData` (built
with `append`/`set`) and `Object.assign` as payloads, and the request shapes of `fetch`,
axios (also `axios.create` instances), jQuery, `XMLHttpRequest` and Node's `http(s).request`
(a ClientRequest handle: `write(body)`, `setTimeout(ms)`, sent at `end()`): an options object given
to a request is spread into keywords (`fetch(url, {body, signal})`, axios' config), so
rules/data names where each part is. `rejectUnauthorized: false` and
`NODE_TLS_REJECT_UNAUTHORIZED = "0"` turn TLS checks off. REDCap knowledge stays in rules/data.
"""
from __future__ import annotations

import re
from typing import Optional

from redcaplint.frontends._handles import Handles
from redcaplint.frontends._treesitter import TreeBuilder, first_error, joined
from redcaplint.model import (
    CONSTRUCTOR, Assign, Attr, BinOp, Call, CallSite, Concat, Const, Dict, Dispatch, EnvLookup,
    FunctionDef, Item, Loop, Name, Num, Option, Output, Return, Script, Seq, Sleep, Span, Str, UNAWAITED,
    Unknown, Value,
)
from redcaplint.source import Document

LANGUAGE = "javascript"
# what fixes need, in this language's spelling (RuleContext.spelling)
SPELLINGS = {
    "env_token": "process.env.REDCAP_API_TOKEN",
    "json_encode": "JSON.stringify({})",
    "list_of": "[{}]",
    "true_of": {"false": "true", "0": "1"},
    # no `sleep`: an awaited timer is only valid in an async function or a module
}
IDIOMS = {
    "string_methods": frozenset({"trim", "trimStart", "trimEnd", "toString", "toUpperCase", "toLowerCase"}),
    "response_body": frozenset({"json", "text", "data"}),
    "collection_adds": frozenset({"push", "unshift"}),
}
KINDS = ["variable_declarator", "assignment_expression", "call_expression", "new_expression",
         "function_declaration", "method_definition", "for_statement", "for_in_statement",
         "while_statement", "do_statement", "return_statement", "arrow_function", "pair"]
QUERY = "[" + " ".join(f"({k})" for k in KINDS) + "] @n"
FUNCTION_KINDS = {"arrow_function", "function_expression", "function", "function_declaration",
                  "generator_function_declaration", "method_definition"}
CONSOLE = {"log": "print", "info": "log", "warn": "log", "error": "log", "debug": "log", "trace": "log"}
LOG_METHODS = {"info", "warn", "warning", "error", "debug", "trace", "log", "fatal"}
FILE_WRITES = {"fs.writeFileSync", "fs.writeFile", "fs.appendFileSync", "fs.appendFile",
               "fs.promises.writeFile", "fs.promises.appendFile", "writeFile", "writeFileSync",
               "appendFile", "appendFileSync"}
GATHERS = {"Promise.all", "Promise.allSettled", "Promise.race", "Promise.any"}
ITERATORS = {"forEach", "map", "flatMap", "filter", "reduce", "some", "every", "find"}
LOOP_STATEMENTS = {"for_statement", "for_in_statement", "while_statement", "do_statement"}
# callbacks whose promises are collected, one per element (`ids.map(id => fetchOne(id))`)
COLLECTING = {"map", "flatMap"}
# module functions that call a function once per element: callee → that function's position
MODULE_ITERATORS = {"$.each": 1, "jQuery.each": 1, "$.map": 1, "jQuery.map": 1, "_.each": 1,
                    "_.forEach": 1, "_.map": 1, "lodash.each": 1, "lodash.forEach": 1, "lodash.map": 1}
# Node's request functions: they return a ClientRequest, sent by its end() (body: write/end)
NODE_REQUESTS = {"https.request", "http.request", "node:https.request", "node:http.request"}
# `form-data` is the npm package whose export is FormData (`const FormData = require("form-data")`)
FORM_BUILDERS = {"URLSearchParams", "FormData", "URLSearchParams.new", "form-data"}
PASS_THROUGH = {"toString", "trim"}  # methods whose result carries the receiver's parameters
# module functions that form-encode an object: the encoded body carries its fields
FORM_ENCODERS = {"querystring.stringify", "querystring.encode", "qs.stringify"}
# request functions whose options object is spread into keywords: callee → its position
OPTION_ARG = {"fetch": 1, "node-fetch": 1, "cross-fetch": 1, "isomorphic-fetch": 1, "undici.fetch": 1, "axios": 0, "axios.request": 0, "axios.create": 0, "$.ajax": 0,
              "jQuery.ajax": 0, "axios.post": 2, "axios.put": 2, "axios.patch": 2, "axios.get": 1,
              "axios.delete": 1}
# the same for methods of an instance (`api.post(url, data, config)` on an axios.create()
# instance) — only with a receiver: a bare `post(url, token, {…})` is some same-file helper
METHOD_OPTION_ARG = {"post": 2, "put": 2, "patch": 2, "get": 1, "request": 0, "delete": 1}
# names whose members are module functions, not methods of a value (`JSON.stringify`, `$.ajax`)
MODULE_HEADS = {"JSON", "Promise", "Object", "console", "fs", "AbortSignal", "$", "jQuery", "_", "axios", "https", "http"}
CONSTANTS = {"true": True, "false": False, "null": None, "undefined": None}
ESCAPES = {"\\n": "\n", "\\t": "\t", "\\'": "'", '\\"': '"', "\\\\": "\\", "\\`": "`"}
_NUMBER = re.compile(r"^[0-9_.eExXa-fA-FoObBn]+$")
# `a -> b`, `a > b`, `a & b` in JSX text (not a tag's `>` on a line of its own)
JSX_STRAY = re.compile(rb"(?:(?<=-)|(?<=\S ))>(?=\s)|(?<=\S )[&}](?=\s)")


# `using = …` is an assignment to a variable named `using` (old jQuery UI code); the grammar
# reads it as the new `using` declaration, which always names a variable before its `=`
USING_ASSIGNMENT = re.compile(r"(?<![\w$.])using(?=\s*=(?![=>]))")


class _Builder(TreeBuilder):
    def __init__(self, source: Document, grammar: str, start: int = 0, end: Optional[int] = None,
                 first_id: int = 0) -> None:
        super().__init__(source, grammar, start, end, first_id)
        self.grammar = grammar
        self.script.language = LANGUAGE
        self.imports: dict[str, str] = {}  # local name → module (`const ax = require("axios")`)
        self.xhr = Handles("javascript", "fetch")  # XMLHttpRequest variables: open() URL, timeout
        self.client_requests = Handles("javascript", "node")  # `const req = https.request(…)`
        # loop bodies open at the node being visited (nodes come in document order), so that
        # only a call inside one is asked whether it is started per element
        self.loop_bodies: list[Span] = []
        self.loops_seen = 0
        self.async_nodes: set[Span] = set()
        # `for (const [k, v] of Object.entries(src))` loops: (body, k, v, src), so that a
        # `dst.append(k, v)` inside copies all of src into dst; v is None for a loop over
        # keys (`Object.keys(src)`, `for…in`), whose values are `src[k]`
        self.pair_loops: list[tuple[Span, str, Optional[str], Value]] = []
        self.function_spans: set[Span] = set()  # the nodes modelled as FunctionDefs

    def prepare(self, region: str) -> str:
        return USING_ASSIGNMENT.sub("usin_", region) if "using" in region else region

    def repair(self, data: bytes, tree) -> Optional[bytes]:
        # `Setup -> Data`, `Reports & Exports` in JSX text: Babel accepts a bare `>`, `}` or
        # `&` there, the grammar does not. Its recovery may start the error at the element's
        # tag instead: then the first such character in the error's text
        error = first_error(tree.root_node)
        if error is None or error.is_missing:
            return None
        at = error.start_byte
        if not (data[at:at + 1] in (b">", b"}", b"&") and error.parent is not None
                and error.parent.type == "jsx_element"):
            found = JSX_STRAY.search(data, at, error.end_byte) if data[at:at + 1] == b"<" else None
            if found is None:
                return None
            at = found.start()
        return data[:at] + b" " + data[at + 1:]

    # -- values -------------------------------------------------------------------------
    def _value(self, node, span: Span, kind: str, depth: int) -> Value:
        if kind == "string":
            raw = self.t(node)
            if "\\" not in raw and len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "'\"":
                return Str(span, raw[1:-1])  # most strings: no escapes, no children to read
            inner = node.named_children
            return Str(span, "".join(ESCAPES.get(self.t(c), self.t(c)) if c.type == "escape_sequence" else self.t(c)
                                     for c in inner))
        if kind == "template_string":
            parts: list[Value] = []
            for c in node.named_children:
                if c.type == "template_substitution":
                    inner = c.named_children
                    parts.append(self.value(inner[0], depth + 1) if inner else Unknown(span))
                elif c.type == "escape_sequence":
                    parts.append(Str(self.span(c), ESCAPES.get(self.t(c), self.t(c))))
                else:
                    parts.append(Str(self.span(c), self.t(c)))
            return joined(span, parts)
        if kind == "number":
            text = self.t(node).replace("_", "").rstrip("n")
            try:
                return Num(span, float(int(text, 0)) if text[:2].lower() in ("0x", "0o", "0b") else float(text))
            except ValueError:
                return Unknown(span)
        if kind in ("true", "false", "null", "undefined"):
            return Const(span, CONSTANTS[kind])
        if kind == "identifier":
            text = self.t(node)
            if text == "undefined":
                return Const(span, None)
            return Name(span, self.imports.get(text, text))
        if kind == "shorthand_property_identifier":
            return Name(span, self.t(node))
        if kind == "this":
            return Name(span, "this")
        if kind == "member_expression":
            obj, prop = node.child_by_field_name("object"), node.child_by_field_name("property")
            if obj is None or prop is None:
                return Unknown(span)
            if obj.type == "member_expression" and self.t(obj) == "process.env":
                return EnvLookup(span, Str(self.span(prop), self.t(prop)))
            return Attr(span, self.value(obj, depth + 1), self.t(prop))
        if kind == "subscript_expression":
            obj, index = node.child_by_field_name("object"), node.child_by_field_name("index")
            if obj is None or index is None:
                return Unknown(span)
            key = self.value(index, depth + 1)
            if self.t(obj) == "process.env":
                return EnvLookup(span, key)
            return Item(span, self.value(obj, depth + 1), key)
        if kind == "object":
            entries: list[tuple[Value, Value]] = []
            for c in node.named_children:
                ck = c.type
                if ck == "pair":
                    k, v = c.child_by_field_name("key"), c.child_by_field_name("value")
                    if k is None or v is None:
                        continue
                    key = self.value(k, depth + 1) if k.type in ("string", "computed_property_name") \
                        else Str(self.span(k), self.t(k))
                    entries.append((key, self.value(v, depth + 1)))
                elif ck == "shorthand_property_identifier":
                    entries.append((Str(self.span(c), self.t(c)), Name(self.span(c), self.t(c))))
                elif ck == "spread_element":
                    inner = c.named_children
                    if inner:
                        entries.append((Str(self.span(c), "*"), self.value(inner[0], depth + 1)))
            return Dict(span, tuple(entries))
        if kind == "array":
            return Seq(span, tuple(self.value(c, depth + 1) for c in node.named_children if c.type != "comment"))
        if kind == "binary_expression":
            op = node.child_by_field_name("operator")
            op = self.t(op) if op is not None else ""
            left = self.value(node.child_by_field_name("left"), depth + 1)
            if op in ("||", "??"):
                return left  # `process.env.T || ""`: the first operand is the value that matters
            right = self.value(node.child_by_field_name("right"), depth + 1)
            if op == "+" and (isinstance(left, (Str, Concat)) or isinstance(right, (Str, Concat))):
                return Concat(span, _flat(left) + _flat(right))
            return BinOp(span, op, left, right)
        if kind == "ternary_expression":
            return self.value(node.child_by_field_name("consequence"), depth + 1)
        if kind in ("parenthesized_expression", "await_expression", "as_expression", "non_null_expression",
                    "satisfies_expression", "type_assertion"):
            inner = [c for c in node.named_children if not c.type.endswith("type") and c.type != "type_arguments"]
            return self.value(inner[0], depth + 1) if inner else Unknown(span)
        if kind == "unary_expression":
            inner = self.value(node.child_by_field_name("argument"), depth + 1)
            if isinstance(inner, Num) and self.t(node).startswith("-"):
                return Num(span, -inner.value)
            return Unknown(span)
        if kind in ("call_expression", "new_expression"):
            return self.call(node, depth)
        return Unknown(span)

    def call(self, node, depth: int = 0) -> Value:
        span = self.span(node)
        is_new = node.type == "new_expression"
        func = node.child_by_field_name("constructor" if is_new else "function")
        args_node = node.child_by_field_name("arguments")
        if func is None:
            return Unknown(span)
        args: list[Value] = []
        star = False
        for c in args_node.named_children if args_node is not None else ():
            if c.type == "comment":
                continue
            if c.type == "spread_element":
                star = True
                continue
            args.append(self.value(c, depth + 1))
        receiver: Optional[Value] = None
        ftype = func.type
        if ftype == "identifier":
            name = self.t(func)
            callee = self.imports.get(name, name)
        elif ftype == "member_expression":
            # one walk down `a.b.c`: the property names, and the head a module path starts at
            # (`axios.post`, an imported name, `JSON.stringify`); else a method of a receiver
            obj, prop = func.child_by_field_name("object"), func.child_by_field_name("property")
            parts: list[str] = []
            head, o, p = func, obj, prop
            while o is not None and p is not None and len(parts) < 32:
                parts.append(self.t(p))
                head = o
                if o.type != "member_expression":
                    break
                o, p = o.child_by_field_name("object"), o.child_by_field_name("property")
            else:
                head = None  # a part the grammar left out, or a chain too long to name
            first = self.t(head) if head is not None and head.type == "identifier" else None
            if first is not None and (first in self.imports or first in MODULE_HEADS):
                parts.append(self.imports.get(first, first))
                callee = ".".join(reversed(parts))
            else:
                callee = self.t(prop) if prop is not None else ""
                receiver = self.value(obj, depth + 1)
        else:
            callee, receiver = "<call>", self.value(func, depth + 1)
        base = callee.rpartition(".")[2]
        if callee == "require" and args and isinstance(args[0], Str):
            return Call(span, "require", tuple(args))
        if base in FORM_BUILDERS and is_new:
            # new URLSearchParams({…}) / (params) carries the object's fields; empty: built
            # with append()
            return args[0] if args else Dict(span, ())
        if callee in FORM_ENCODERS and args:
            return args[0]
        if callee in PASS_THROUGH and receiver is not None and not args:
            return receiver  # new URLSearchParams({...}).toString(): the same fields, encoded
        if callee == "Object.assign" and args:
            return Dict(span, tuple((Str(a.span, "*"), a) for a in args), star)
        if callee in ("String", "encodeURIComponent", "encodeURI") and len(args) == 1:
            return args[0]
        kwargs: list[tuple[str, Value]] = []
        at = OPTION_ARG.get(callee) if receiver is None else METHOD_OPTION_ARG.get(base)
        if at is not None and len(args) > at and isinstance(args[at], Dict) and len(args) == at + 1:
            opts = args.pop()
            kwargs = [(k.value, v) for k, v in opts.entries if isinstance(k, Str) and k.value != "*"]
            star = star or any(isinstance(k, Str) and k.value == "*" for k, _ in opts.entries)
        return Call(span, callee, tuple(args), tuple(kwargs), receiver, star)

    # -- statements ---------------------------------------------------------------------
    def build(self) -> Script:
        s = self.script
        s.syntax_error = self.tree_problem()
        if s.syntax_error is not None:
            return s
        nodes = self.nodes(QUERY)
        for node in nodes if "require" in self.text else ():  # imports first: `axios.post` means the module wherever it is used
            if node.type == "variable_declarator":
                value = node.child_by_field_name("value")
                name = node.child_by_field_name("name")
                if value is not None and name is not None and name.type == "identifier" and value.type == "call_expression":
                    func = value.child_by_field_name("function")
                    args = value.child_by_field_name("arguments")
                    if func is not None and self.t(func) == "require" and args is not None and args.named_children:
                        self.imports[self.t(name)] = self.t(args.named_children[0]).strip("'\"`")
        for node in self.root.named_children:
            if node.type == "import_statement":
                self.on_import(node)
        for node in nodes:
            kind = node.type
            if kind in ("call_expression", "new_expression"):
                self.on_call(node)
            elif kind == "variable_declarator":
                self.on_declarator(node)
            elif kind == "assignment_expression":
                self.on_assignment(node)
            elif kind in ("function_declaration", "method_definition"):
                name = node.child_by_field_name("name")
                if name is not None:
                    self.on_function(self.t(name), node)
            elif kind in ("for_statement", "for_in_statement"):
                self.add_loop("for", node)
                if kind == "for_in_statement":
                    self.on_pairs_loop(node)
            elif kind == "while_statement":
                self.add_loop("while", node, with_condition=True)
            elif kind == "do_statement":
                self.add_loop("do", node)
            elif kind == "return_statement":
                self.add_return(node)
            elif kind == "arrow_function" and self.span(node) in self.function_spans:
                # a named arrow (`const f = x => …`) gives back its expression; an anonymous
                # callback's value (`xs.forEach(x => p.append(x))`) is no function's return
                body = node.child_by_field_name("body")
                if body is not None and body.type != "statement_block":
                    value = self.value(body)
                    if value.__class__ is not Unknown:
                        s.returns.append(Return(self.span(body), value))
            elif kind == "pair":
                key, value = node.child_by_field_name("key"), node.child_by_field_name("value")
                if key is not None and value is not None and self.t(key).strip("'\"") == "rejectUnauthorized" \
                        and self.t(value) in ("false", "0"):
                    s.options.append(Option(self.span(value), "tls-off"))
        return s

    def on_import(self, node) -> None:
        source = node.child_by_field_name("source")
        if source is None:
            return
        module = self.t(source).strip("'\"`")
        clause = next((c for c in node.named_children if c.type == "import_clause"), None)
        for c in clause.named_children if clause is not None else ():
            if c.type == "identifier":  # import axios from "axios"
                self.imports[self.t(c)] = module
            elif c.type == "namespace_import":
                ident = [x for x in c.named_children if x.type == "identifier"]
                if ident:
                    self.imports[self.t(ident[-1])] = module
            elif c.type == "named_imports":
                for spec in c.named_children:
                    name, alias = spec.child_by_field_name("name"), spec.child_by_field_name("alias")
                    if name is not None:
                        self.imports[self.t(alias or name)] = f"{module}.{self.t(name)}"

    def on_declarator(self, node) -> None:
        name, value = node.child_by_field_name("name"), node.child_by_field_name("value")
        if name is None or value is None or name.type != "identifier":
            return
        target = self.t(name)
        if value.type in FUNCTION_KINDS:
            self.on_function(target, value)
            return
        v = self.value(value)
        self.script.assigns.append(Assign(self.span(node), target, v))
        self.open_handle(target, v)

    def open_handle(self, target: str, v: Value) -> None:
        """A variable bound to a new XMLHttpRequest or to Node's ClientRequest."""
        if not isinstance(v, Call):
            return
        if v.callee == "XMLHttpRequest":
            self.xhr.open(target)
        elif v.callee in NODE_REQUESTS and v.args:
            # request(url[, options][, callback]) or request(options[, callback]); a callback
            # given where the options may be resolves to no object, so it adds nothing
            first = v.args[0]
            if isinstance(first, (Str, Concat)):
                preset = {"url": first, "options": v.args[1]} if len(v.args) > 1 else {"url": first}
            else:
                preset = {"options": first}
            self.client_requests.open(target, **preset)

    def on_assignment(self, node) -> None:
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if left is None or right is None:
            return
        span = self.span(node)
        if right.type in FUNCTION_KINDS and left.type == "identifier":
            self.on_function(self.t(left), right)
            return
        value = self.value(right)
        if left.type == "identifier":
            self.script.assigns.append(Assign(span, self.t(left), value))
            self.open_handle(self.t(left), value)
        elif left.type == "member_expression":
            obj, prop = left.child_by_field_name("object"), left.child_by_field_name("property")
            if obj is None or prop is None:
                return
            target, attr = self.t(obj), self.t(prop)
            if target == "process.env" and attr == "NODE_TLS_REJECT_UNAUTHORIZED" and \
                    isinstance(value, (Str, Num)) and str(getattr(value, "value", "")) in ("0", "0.0"):
                self.script.options.append(Option(self.span(right), "tls-off"))
            if self.xhr.has(target):
                self.xhr.set(target, attr, value)  # xhr.timeout = 30000
            key = Str(self.span(prop), attr)
            self.script.assigns.append(Assign(span, target, value, "attr", key))
            if target != "this" and obj.type == "identifier":
                # `body.token = …` on a plain object is also one of its entries
                self.script.assigns.append(Assign(span, target, value, "item", key))
        elif left.type == "subscript_expression":
            obj, index = left.child_by_field_name("object"), left.child_by_field_name("index")
            if obj is not None and index is not None and obj.type == "identifier":
                copied = self.copied_pairs(span, (self.value(index), value)) if index.type == "identifier" else None
                if copied is not None:  # dst[k] = v inside a pairs loop over src: all of src
                    self.script.assigns.append(Assign(span, self.t(obj), copied, "update"))
                else:
                    self.script.assigns.append(Assign(span, self.t(obj), value, "item", self.value(index)))

    def on_function(self, name: str, node) -> None:
        body, params = node.child_by_field_name("body"), node.child_by_field_name("parameters")
        if body is None:
            return
        self.function_spans.add(self.span(node))
        names: list[str] = []
        single = node.child_by_field_name("parameter")  # `x => …`
        for p in ([single] if single is not None else params.named_children if params is not None else ()):
            if p.type == "identifier":
                names.append(self.t(p))
            elif p.type in ("assignment_pattern", "required_parameter", "optional_parameter"):
                inner = p.child_by_field_name("left") or p.child_by_field_name("pattern") or (p.named_children[0] if p.named_children else None)
                names.append(self.t(inner) if inner is not None and inner.type == "identifier" else "")
            elif p.type == "rest_pattern":
                names.append("*")
            else:
                names.append("")
        owner = None
        if node.type == "method_definition":
            cls = node.parent.parent if node.parent is not None else None
            cname = cls.child_by_field_name("name") if cls is not None else None
            owner = self.t(cname) if cname is not None else ""
            if name == "constructor":
                name = CONSTRUCTOR
        is_async = any(c.type == "async" for c in node.children)
        self.function_ids += 1
        self.script.functions.append(FunctionDef(self.function_ids, name, self.span(node), self.span(body),
                                                 tuple(names), is_async, owner))

    def on_call(self, node) -> None:
        value = self.value(node)
        s = self.script
        if isinstance(value, Dict):
            return
        if not isinstance(value, Call):
            return
        call = value
        span, callee = call.span, call.callee
        base = callee.rpartition(".")[2]
        receiver_name = call.receiver.name if isinstance(call.receiver, Name) else None
        if receiver_name is not None and self.xhr.has(receiver_name):
            call = self.xhr_call(receiver_name, call)
        elif receiver_name is not None and self.client_requests.has(receiver_name):
            call = self.client_request_call(receiver_name, call)
        s.calls.append(CallSite(call))  # an async function runs when called: awaited or not
        if self._in_loop_body(span) and self._started_per_element(node, call):
            # a promise is running as soon as it is made: one per element, none waited for, is
            # every element's request at once
            s.dispatches.append(Dispatch(span, UNAWAITED, (call,)))
        if receiver_name and base in ("append", "set") and len(call.args) == 2:
            copied = self.copied_pairs(span, call.args)
            if copied is not None:  # every pair of an object appended: dst gets all of src
                s.assigns.append(Assign(span, receiver_name, copied, "update"))
            else:  # params.append("content", "record") on a URLSearchParams / FormData
                s.assigns.append(Assign(span, receiver_name, call.args[1], "item", call.args[0]))
        if callee in ("setTimeout", "timers.setTimeout", "timers/promises.setTimeout"):
            ms = call.args[1] if len(call.args) > 1 and callee == "setTimeout" else call.args[0] if call.args else None
            if callee == "setTimeout" and not (call.args and isinstance(call.args[0], Name)):
                return  # setTimeout(doSomething, ms) schedules work; only a resolve() is a wait
            s.sleeps.append(Sleep(span, BinOp(span, "/", ms, Num(span, 1000)) if ms is not None else None))
            return
        if base == "setInterval" and len(call.args) >= 2 and (
                call.receiver is None or isinstance(call.receiver, Name) and call.receiver.name in ("window", "globalThis")):
            # setInterval(poll, ms): poll runs for ever, ms apart — a loop each pass of which
            # waits ms (a dashboard polling the API every few seconds)
            fn, ms = call.args[0], call.args[1]
            s.loops.append(Loop("interval", span, Span(fn.span.start, ms.span.end), forever=True))
            s.sleeps.append(Sleep(ms.span, BinOp(ms.span, "/", ms, Num(ms.span, 1000))))
            if isinstance(fn, Name):
                s.calls.append(CallSite(Call(fn.span, fn.name), reference=True))
            return
        if callee.startswith("console."):
            s.outputs.append(Output(span, CONSOLE.get(base, "print"), call.args))
            return
        if call.receiver is not None and base in LOG_METHODS and _loggerish(call.receiver):
            s.outputs.append(Output(span, "log", call.args))
            return
        if callee in FILE_WRITES and len(call.args) >= 2:
            s.outputs.append(Output(span, "file", call.args[1:2]))
            return
        if callee in GATHERS:
            s.dispatches.append(Dispatch(span, "gather", call.args))
            return
        if callee in MODULE_ITERATORS and len(call.args) > MODULE_ITERATORS[callee]:
            # $.each(ids, function (i, id) { … }), _.each(ids, f): once per element
            fn = call.args[MODULE_ITERATORS[callee]]
            s.loops.append(Loop("map", span, fn.span))
            if isinstance(fn, Name):
                s.calls.append(CallSite(Call(fn.span, fn.name), reference=True))
            return
        if call.receiver is not None and base in ITERATORS and call.args:
            args_node = node.child_by_field_name("arguments")
            fn_node = args_node.named_children[0] if args_node is not None and args_node.named_children else None
            fn = call.args[0]
            if fn_node is not None and fn_node.type in FUNCTION_KINDS and any(c.type == "async" for c in fn_node.children) \
                    and base in ("forEach", "map"):
                # forEach(async id => …): one un-awaited async callback per element, all at once
                s.dispatches.append(Dispatch(span, "async-each", (fn,)))
                return
            s.loops.append(Loop("map", span, fn.span))
            if isinstance(fn, Name):
                s.calls.append(CallSite(Call(fn.span, fn.name), reference=True))
            source = call.receiver
            if fn_node is not None and fn_node.type in FUNCTION_KINDS and isinstance(source, Call) \
                    and source.callee in ("Object.entries", "Object.keys") and source.args:
                # Object.entries(src).forEach(([k, v]) => { dst[k] = v }) and
                # Object.keys(src).forEach(k => fd.append(k, src[k])): pairs loops too
                params = fn_node.child_by_field_name("parameters")
                pattern = fn_node.child_by_field_name("parameter") or (
                    params.named_children[0] if params is not None and params.named_children else None)
                if pattern is not None and pattern.type == "required_parameter":  # TypeScript
                    pattern = pattern.child_by_field_name("pattern")
                body = fn_node.child_by_field_name("body")
                if pattern is not None and body is not None:
                    if source.callee == "Object.keys" and pattern.type == "identifier":
                        self.pair_loops.append((self.span(body), self.t(pattern), None, source.args[0]))
                    elif source.callee == "Object.entries" and pattern.type == "array_pattern":
                        names = [self.t(c) for c in pattern.named_children if c.type == "identifier"]
                        if len(names) == 2:
                            self.pair_loops.append((self.span(body), names[0], names[1], source.args[0]))

    def _in_loop_body(self, span: Span) -> bool:
        loops, open_ = self.script.loops, self.loop_bodies
        while self.loops_seen < len(loops):
            body = loops[self.loops_seen].body
            while open_ and open_[-1].end <= body.start:
                open_.pop()  # the stack stays one chain of nested bodies: its depth, not the file
            open_.append(body)
            self.loops_seen += 1
        while open_ and open_[-1].end <= span.start:
            open_.pop()
        # not only the top: a `map` loop is open from its call on, before its callback starts
        return any(body.contains(span) for body in reversed(open_))

    def _started_per_element(self, node, call: Call) -> bool:
        """A call made once per iteration and not awaited: in a loop statement's body, or in a
        `map` callback, with no `await` (nor `yield`, `return`) between it and there. `$.ajax({async:
        false})` and XMLHttpRequest (whose open() may ask for a synchronous request) are not
        counted; a callback passed on (`.then(r => …)`) runs later, not per element."""
        sync = call.kwarg("async")  # a request's options object is spread into keywords
        if call.callee == "XMLHttpRequest.send" or isinstance(sync, Const) and sync.value is False:
            return False
        child, parent = node, node.parent
        while parent is not None:
            kind = parent.type
            if kind in ("await_expression", "yield_expression", "return_statement"):  # `yield` waits in co/sagas
                return False
            if kind in LOOP_STATEMENTS:
                return parent.child_by_field_name("body") == child
            if kind in FUNCTION_KINDS:
                args = parent.parent
                outer = args.parent if args is not None and args.type == "arguments" else None
                fn = outer.child_by_field_name("function") if outer is not None else None
                prop = fn.child_by_field_name("property") if fn is not None and fn.type == "member_expression" else None
                return prop is not None and self.t(prop) in COLLECTING and not any(c.type == "async" for c in parent.children)
            child, parent = parent, parent.parent
        return False

    def on_pairs_loop(self, node) -> None:
        """`for (const [k, v] of Object.entries(src))`, `for (const k of Object.keys(src))`,
        `for (const k in src)`: loops over an object's pairs or keys."""
        left, right, body = (node.child_by_field_name(f) for f in ("left", "right", "body"))
        if left is None or right is None or body is None:
            return
        source = self.value(right)
        operator = node.child_by_field_name("operator")
        if left.type == "array_pattern":
            names = [self.t(c) for c in left.named_children if c.type == "identifier"]
            if len(names) == 2 and isinstance(source, Call) and source.callee == "Object.entries" and source.args:
                self.pair_loops.append((self.span(body), names[0], names[1], source.args[0]))
        elif left.type == "identifier":
            if isinstance(source, Call) and source.callee == "Object.keys" and source.args:
                self.pair_loops.append((self.span(body), self.t(left), None, source.args[0]))
            elif operator is not None and self.t(operator) == "in":
                self.pair_loops.append((self.span(body), self.t(left), None, source))

    def copied_pairs(self, span: Span, args: tuple) -> Optional[Value]:
        """The object whose pairs `dst.append(k, v)` copies inside a pairs loop, also when
        an array value is appended item by item under `${k}[${i}]` (REDCap's array form)."""
        key = args[0].parts[0] if isinstance(args[0], Concat) and args[0].parts else args[0]
        if not isinstance(key, Name):
            return None
        value = args[1]
        # nodes are visited in document order: a loop that has ended contains nothing later,
        # so the list holds only open loops (linear however many loops a file has)
        self.pair_loops = [loop for loop in self.pair_loops if loop[0].end > span.start]
        for body, k, v, source in reversed(self.pair_loops):
            if not body.contains(span) or key.name != k:
                continue
            if v is None:  # a keys loop: the value is src[k]
                if isinstance(value, Item) and isinstance(value.key, Name) and value.key.name == k:
                    return source
            elif isinstance(args[0], Concat) or (isinstance(value, Name) and value.name == v):
                return source
        return None

    def xhr_call(self, handle: str, call: Call) -> Call:
        """XMLHttpRequest is handle-based: `open(method, url)`, `timeout = …`, `send(body)`."""
        if call.callee == "open" and len(call.args) >= 2:
            self.xhr.set_role(handle, "url", call.args[1])
            return call
        if call.callee == "send":
            body = (("data", call.args[0]),) if call.args else ()
            return self.xhr.request(call.span, "XMLHttpRequest.send", handle, *body)
        return call

    def client_request_call(self, handle: str, call: Call) -> Call:
        """Node's ClientRequest: `write(body)`, `setTimeout(ms)`, and `end([body])` sends it."""
        if call.callee == "write" and call.args:
            self.client_requests.set_role(handle, "data", call.args[0])
        elif call.callee == "setTimeout" and call.args:
            self.client_requests.set_role(handle, "timeout", call.args[0])
        elif call.callee == "end":
            body = (("data", call.args[0]),) if call.args and not isinstance(call.args[0], Dict) else ()
            return self.client_requests.request(call.span, "http.ClientRequest.end", handle, *body)
        return call


def _flat(value: Value) -> tuple[Value, ...]:
    return value.parts if isinstance(value, Concat) else (value,)


def _loggerish(receiver: Value) -> bool:
    text = receiver.name if isinstance(receiver, Name) else receiver.attr if isinstance(receiver, Attr) else ""
    return "log" in text.lower()


def grammar_for(path: str) -> str:
    low = path.lower()
    if low.endswith(".tsx"):
        return "tsx"
    if low.endswith((".ts", ".mts", ".cts")):
        return "typescript"
    return "javascript"


def build(source: Document, start: int = 0, end: Optional[int] = None, first_id: int = 0) -> Script:
    return _Builder(source, grammar_for(source.path), start, end, first_id).build()
