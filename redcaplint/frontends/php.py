"""PHP front end: a tree of tree-sitter-php's full grammar (HTML around `<?php … ?>` islands is
`text`, never an error) → the neutral Script model.

Knows PHP: `$x = …`, `$p['k'] = …` and `.=`, `const`/`define`, arrays (`[k => v]`, `array()`),
`.` string building and `"… $x …"` interpolation, `array_merge`/`+` as merges, `http_build_query`
as a form encoder, functions and class methods (`$this->call(…)`, `__construct`), loops
(`for`/`foreach`/`while`/`do`, `array_map`/`array_walk`), `sleep`/`usleep`/`time_nanosleep`,
output (`echo`, `print_r`, `var_dump`, `printf`, `error_log`, `file_put_contents`, `fwrite`),
`getenv`/`$_ENV`/`$_SERVER` as token sources, the curl handle (`curl_init`, `curl_setopt`,
`curl_setopt_array`; the request is `curl_exec`), `file_get_contents` with a stream context
(its `content` is the HTTP body), Guzzle's options arrays, and `json_decode` without
associative arrays (a Decode fact for RC303). REDCap knowledge stays in rules/data.
"""
from __future__ import annotations

import re
from typing import Optional

from redcaplint.frontends._edits import append_before_closing
from redcaplint.frontends._handles import Handles
from redcaplint.frontends._treesitter import TreeBuilder, joined
from redcaplint.model import (
    CONSTRUCTOR, Assign, Attr, BinOp, Call, CallSite, Concat, Const, Decode, Dict, EnvLookup,
    FunctionDef, Item, Loop, Name, Num, Option, Output, Script, Seq, Sleep, Span, Str,
    Unknown, Value,
)
from redcaplint.source import Document

LANGUAGE = "php"
# what fixes need, in this language's spelling (RuleContext.spelling)
SPELLINGS = {
    "env_token": "getenv('REDCAP_API_TOKEN')",
    "json_encode": "json_encode({})",
    "list_of": "[{}]",
    "true_of": {"false": "true", "FALSE": "TRUE", "0": "1"},
    "sleep": "sleep({:g});",
    "append_statement": lambda text, block, statement: append_before_closing(text, block, "}", statement),
}
KINDS = ["assignment_expression", "augmented_assignment_expression", "function_call_expression",
         "member_call_expression", "scoped_call_expression", "object_creation_expression",
         "function_definition", "method_declaration", "for_statement", "foreach_statement",
         "while_statement", "do_statement", "echo_statement", "print_intrinsic", "return_statement",
         "const_element", "php_tag"]
QUERY = "[" + " ".join(f"({k})" for k in KINDS) + "] @n"
CALL_KINDS = {"function_call_expression", "member_call_expression", "scoped_call_expression",
              "object_creation_expression"}
ENV_READERS = {"getenv"}
ENV_ARRAYS = {"_ENV", "_SERVER"}
PRINTS = {"print_r", "var_dump", "var_export", "printf", "vprintf", "print", "debug_zval_dump"}
LOGS = {"error_log", "syslog", "trigger_error"}
FILE_WRITES = {"file_put_contents": 1, "fwrite": 1, "fputs": 1}
MERGES = {"array_merge", "array_replace", "array_merge_recursive", "array_replace_recursive"}
FORM_ENCODERS = {"http_build_query"}
PASS_THROUGH = {"trim", "strval", "rtrim", "ltrim", "urlencode", "rawurlencode"}
CONCATS = {"sprintf", "implode", "join", "vsprintf"}
# callee → index of the function argument it calls once per element
ITERATORS = {"array_map": 0, "array_walk": 1, "array_filter": 1, "array_reduce": 1, "usort": 1}
# HTTP methods that take an options array as their last argument (Guzzle, Symfony HttpClient)
OPTION_METHODS = {"post", "get", "put", "patch", "delete", "request", "head", "postAsync",
                  "getAsync", "requestAsync"}
CONSTANTS = {"true": True, "false": False, "null": None}
STREAM_TLS_OPTIONS = {"verify_peer", "verify_peer_name"}  # a stream context's `ssl` options
# A class whose name is also a cast type (phpseclib's `Integer`, paragonie's `Binary`) called
# statically inside parentheses: `f(Integer::x())` is valid PHP, but the grammar reads
# `(Integer` as the start of a cast and stops. (`int`, `string`, `bool`, `float` are reserved
# and cannot name a class: a real error.) The name's last letter becomes `_` for the grammar;
# names are read from the source, so nothing else changes.
CLASS_DECLARATION = re.compile(r"\bclass\s+([A-Za-z_][A-Za-z0-9_]*)")
CAST_NAMED_CLASS = re.compile(r"(?<![\w$\\>:])(?:integer|boolean|double|real|binary|object|unset)(?=\s*::)", re.I)


class _Builder(TreeBuilder):
    def __init__(self, source: Document, start: int = 0, end: Optional[int] = None, first_id: int = 0) -> None:
        super().__init__(source, LANGUAGE, start, end, first_id)
        self.handles = Handles("php", "curl")  # curl handle variable → options set so far
        self.contexts: dict[str, Value] = {}  # stream context variable → its options
        self._arrays: dict[str, Dict] = {}  # variable → the array literal last assigned to it
        self._arrays_read = 0  # how many of script.assigns _arrays has read
        self._class_names: Optional[set[str]] = None

    def class_names(self) -> set[str]:
        """The classes this file declares (read once, when a static call first asks)."""
        if self._class_names is None:
            self._class_names = set(CLASS_DECLARATION.findall(self.text))
        return self._class_names

    def prepare(self, region: str) -> str:
        if "::" not in region:
            return region
        return CAST_NAMED_CLASS.sub(lambda m: m.group()[:-1] + "_", region)

    # -- values -------------------------------------------------------------------------
    def _value(self, node, span: Span, kind: str, depth: int) -> Value:
        if kind == "string":  # '…' (and "…" without interpolation)
            raw = self.t(node)
            if "\\" not in raw and len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "'\"":
                return Str(span, raw[1:-1])  # most strings: no escapes, no children to read
            return Str(span, "".join(self.t(c) for c in node.named_children if c.type == "string_content")
                       .replace("\\'", "'").replace("\\\\", "\\"))
        if kind == "encapsed_string":
            parts: list[Value] = []
            for c in node.named_children:
                if c.type == "string_content":
                    parts.append(Str(self.span(c), self.t(c)))
                elif c.type == "escape_sequence":
                    parts.append(Str(self.span(c), {"\\n": "\n", "\\t": "\t", "\\$": "$", '\\"': '"'}.get(self.t(c), self.t(c))))
                else:
                    parts.append(self.value(c, depth + 1))
            return joined(span, parts)
        if kind in ("integer", "float"):
            try:
                return Num(span, float(self.t(node).replace("_", "")))
            except ValueError:
                return Unknown(span)
        if kind == "boolean" or kind == "null":
            return Const(span, CONSTANTS.get(self.t(node).lower()))
        if kind == "variable_name":
            return Name(span, self.t(node).lstrip("$"))
        if kind in ("name", "qualified_name"):
            text = self.t(node).lstrip("\\")
            low = text.lower()
            return Const(span, CONSTANTS[low]) if low in CONSTANTS else Name(span, text)
        if kind == "array_creation_expression":
            keyed: list[tuple[Value, Value]] = []
            items: list[Value] = []
            for el in node.named_children:
                if el.type != "array_element_initializer":
                    continue
                kv = el.named_children
                if len(kv) == 2:
                    keyed.append((self.value(kv[0], depth + 1), self.value(kv[1], depth + 1)))
                elif len(kv) == 1 and kv[0].type == "variadic_unpacking":
                    inner = kv[0].named_children
                    if inner:
                        keyed.append((Str(span, "*"), self.value(inner[0], depth + 1)))
                elif len(kv) == 1:
                    items.append(self.value(kv[0], depth + 1))
            if keyed:
                return Dict(span, tuple(keyed), bool(items))
            return Seq(span, tuple(items))
        if kind == "subscript_expression":
            parts_ = node.named_children
            if len(parts_) < 2:
                return Unknown(span)
            base, key = parts_[0], self.value(parts_[1], depth + 1)
            if base.type == "variable_name" and self.t(base).lstrip("$") in ENV_ARRAYS:
                return EnvLookup(span, key)
            return Item(span, self.value(base, depth + 1), key)
        if kind == "member_access_expression":
            obj, name = node.child_by_field_name("object"), node.child_by_field_name("name")
            return Attr(span, self.value(obj, depth + 1), self.t(name)) if obj is not None and name is not None else Unknown(span)
        if kind == "binary_expression":
            op = node.child_by_field_name("operator")
            op = self.t(op) if op is not None else ""
            left = self.value(node.child_by_field_name("left"), depth + 1)
            right = self.value(node.child_by_field_name("right"), depth + 1)
            if op == ".":
                return Concat(span, _flat(left) + _flat(right))
            if op == "+" and (isinstance(left, Dict) or isinstance(right, Dict)):
                # array union: the left operand's keys win (merged in order, the later wins)
                return Dict(span, ((Str(span, "*"), right), (Str(span, "*"), left)))
            if op == "??":
                return left
            return BinOp(span, op, left, right)
        if kind == "conditional_expression":
            body = node.child_by_field_name("body")
            cond = node.child_by_field_name("condition")
            # `getenv('T') ?: ''` is the first operand; `c ? a : b` one of its values (a)
            return self.value(body if body is not None else cond, depth + 1)
        if kind == "cast_expression":
            return self.value(node.child_by_field_name("value"), depth + 1)
        if kind == "parenthesized_expression":
            inner = node.named_children
            return self.value(inner[0], depth + 1) if inner else Unknown(span)
        if kind == "unary_op_expression":
            inner = self.value(node.named_children[-1], depth + 1) if node.named_children else Unknown(span)
            if isinstance(inner, Num) and self.t(node).lstrip().startswith("-"):
                return Num(span, -inner.value)
            return Unknown(span)
        if kind in CALL_KINDS:
            return self.call(node, depth)
        return Unknown(span)

    def arguments(self, node, depth: int) -> tuple[list[Value], list[tuple[str, Value]], bool]:
        args: list[Value] = []
        kwargs: list[tuple[str, Value]] = []
        star = False
        if node is None:
            return args, kwargs, star
        for arg in node.named_children:
            if arg.type != "argument":
                continue
            name = arg.child_by_field_name("name")
            inner = [c for c in arg.named_children if c != name]
            if not inner:
                continue
            if inner[0].type == "variadic_unpacking" or self.t(arg).startswith("..."):
                star = True
                continue
            value = self.value(inner[-1], depth + 1)
            if name is not None:
                kwargs.append((self.t(name), value))
            else:
                args.append(value)
        return args, kwargs, star

    def call(self, node, depth: int = 0) -> Value:
        span = self.span(node)
        kind = node.type
        receiver: Optional[Value] = None
        if kind == "function_call_expression":
            func = node.child_by_field_name("function")
            if func is None or func.type not in ("name", "qualified_name"):
                return Unknown(span)
            callee = self.t(func).lstrip("\\")
            args_node = node.child_by_field_name("arguments")
        elif kind == "member_call_expression":
            obj, name = node.child_by_field_name("object"), node.child_by_field_name("name")
            if obj is None or name is None:
                return Unknown(span)
            receiver, callee = self.value(obj, depth + 1), self.t(name)
            args_node = node.child_by_field_name("arguments")
        elif kind == "scoped_call_expression":
            scope, name = node.child_by_field_name("scope"), node.child_by_field_name("name")
            if scope is None or name is None:
                return Unknown(span)
            owner = self.t(scope).lstrip(chr(92))
            if owner.lower() in ("self", "static", "parent") or owner in self.class_names():
                # self::call(…), RC::callApi(…): a method of a same-file class, as $this->call(…)
                receiver, callee = Name(self.span(scope), owner), self.t(name)
            else:
                callee = f"{owner}::{self.t(name)}"
            args_node = node.child_by_field_name("arguments")
        else:  # new Foo(…): the constructor
            named = node.named_children
            cls = next((c for c in named if c.type in ("name", "qualified_name")), None)
            if cls is None:
                return Unknown(span)
            callee = self.t(cls).lstrip("\\")
            args_node = next((c for c in named if c.type == "arguments"), None)
        args, kwargs, star = self.arguments(args_node, depth)
        base = callee.rpartition("\\")[2]
        low = base.lower()
        if low in ENV_READERS:
            return EnvLookup(span, args[0] if args else None)
        if low in FORM_ENCODERS and args:
            return args[0]  # the array it encodes carries the parameters
        if low in MERGES:
            return Dict(span, tuple((Str(a.span, "*"), a) for a in args), star)
        if low in PASS_THROUGH and len(args) == 1:
            return args[0]
        if low in CONCATS:
            return Concat(span, tuple(args))
        if (kind == "member_call_expression" and callee in OPTION_METHODS or kind == "object_creation_expression") \
                and args and isinstance(args[-1], Dict):
            # Guzzle: `$client->post($url, ['form_params' => […], 'timeout' => 30])`
            opts = args.pop()
            kwargs += [(k.value, v) for k, v in opts.entries if isinstance(k, Str) and k.value != "*"]
            star = star or opts.open
        return Call(span, callee, tuple(args), tuple(kwargs), receiver, star)

    # -- statements ---------------------------------------------------------------------
    QUERY = QUERY

    def visit(self, node) -> None:
        s = self.script
        kind = node.type
        if kind in CALL_KINDS:
            self.on_call(node)
        elif kind == "assignment_expression":
            self.on_assignment(node)
        elif kind == "augmented_assignment_expression":
            self.on_augmented(node)
        elif kind == "const_element":
            named = node.named_children
            if len(named) == 2:
                s.assigns.append(Assign(self.span(node), self.t(named[0]), self.value(named[1])))
        elif kind in ("function_definition", "method_declaration"):
            self.on_function(node)
        elif kind in ("for_statement", "foreach_statement"):
            self.add_loop("for", node)
        elif kind == "while_statement":
            self.add_loop("while", node, with_condition=True)
        elif kind == "do_statement":
            self.add_loop("do", node)
        elif kind in ("echo_statement", "print_intrinsic"):
            s.outputs.append(Output(self.span(node), "print", tuple(self.value(c) for c in node.named_children)))
        elif kind == "php_tag":
            # `<?= $x ?>` is `<?php echo $x; ?>`: the expression after the tag is printed
            echoed = node.next_named_sibling or (node.parent.next_named_sibling  # after `?>…<?=`
                                                 if node.parent.type == "text_interpolation" else None)
            if echoed is not None and echoed.type == "expression_statement" and self.t(node) == "<?=":
                s.outputs.append(Output(self.span(node), "print", tuple(self.value(c) for c in echoed.named_children)))
        elif kind == "return_statement":
            self.add_return(node)

    def on_assignment(self, node) -> None:
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if left is None or right is None:
            return
        span, value = self.span(node), self.value(right)
        lk = left.type
        if lk == "variable_name":
            target = self.t(left).lstrip("$")
            self.script.assigns.append(Assign(span, target, value))
            if isinstance(value, Call):
                self.bind_handle(target, value)
        elif lk == "subscript_expression":
            parts = left.named_children
            if len(parts) == 2 and parts[0].type == "variable_name":
                self.script.assigns.append(Assign(span, self.t(parts[0]).lstrip("$"), value, "item", self.value(parts[1])))
        elif lk == "member_access_expression":
            obj, name = left.child_by_field_name("object"), left.child_by_field_name("name")
            if obj is not None and name is not None:
                self.script.assigns.append(Assign(span, self.t(obj).lstrip("$"), value, "attr", Str(self.span(name), self.t(name))))

    def on_augmented(self, node) -> None:
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        op = node.child_by_field_name("operator")
        if left is None or right is None or left.type != "variable_name" or op is None or self.t(op) != ".=":
            return
        name = self.t(left).lstrip("$")
        self.script.assigns.append(Assign(self.span(node), name, Concat(self.span(node), (Name(self.span(left), name),) + _flat(self.value(right)))))

    def bind_handle(self, target: str, value: Call) -> None:
        if value.callee.lower() == "curl_init":
            self.handles.open(target, **({"url": value.args[0]} if value.args else {}))
        elif value.callee.lower() == "stream_context_create" and value.args:
            opts = value.args[0]
            if isinstance(opts, Name):  # $opts = ['http' => […]]; stream_context_create($opts)
                opts = self.last_array(opts.name) or opts
            self.contexts[target] = opts

    def last_array(self, name: str) -> Optional[Dict]:
        """The array literal last assigned to `name` so far. The assignments made since the
        previous question are read once each, so a file of many contexts stays linear."""
        assigns = self.script.assigns
        for a in assigns[self._arrays_read:]:
            if a.kind == "set" and isinstance(a.value, Dict):
                self._arrays[a.target] = a.value
        self._arrays_read = len(assigns)
        return self._arrays.get(name)

    def on_function(self, node) -> None:
        name, body, params = node.child_by_field_name("name"), node.child_by_field_name("body"), node.child_by_field_name("parameters")
        if name is None or body is None:
            return
        names: list[str] = []
        by_reference: list[str] = []  # `&$p`: PHP copies an array argument otherwise
        for p in params.named_children if params is not None else ():
            n = p.child_by_field_name("name")
            names.append(self.t(n).lstrip("$&.") if n is not None else "")
            if p.type == "variadic_parameter":
                names[-1] = "*"
            elif any(c.type == "reference_modifier" for c in p.children):
                by_reference.append(names[-1])
        owner = None
        if node.type == "method_declaration":
            decl = node.parent
            cls = decl.parent if decl is not None else None
            cname = cls.child_by_field_name("name") if cls is not None else None
            owner = self.t(cname) if cname is not None else ""
        fname = self.t(name)
        if owner is not None and fname.lower() == "__construct":
            fname = CONSTRUCTOR
        self.function_ids += 1
        self.script.functions.append(FunctionDef(self.function_ids, fname, self.span(node), self.span(body),
                                                 tuple(names), owner=owner, in_place=tuple(by_reference)))

    def on_call(self, node) -> None:
        value = self.value(node)
        if not isinstance(value, Call):
            return
        s = self.script
        call = value
        span = call.span
        low = call.callee.rpartition("\\")[2].lower()
        if low in ("curl_setopt", "curl_setopt_array", "curl_exec"):
            call = self.curl(call, low) or call
        elif low == "file_get_contents" and len(call.args) >= 3:
            call = self.stream(call)
        s.calls.append(CallSite(call))
        if low == "sleep" and call.args:
            s.sleeps.append(Sleep(span, call.args[0]))
        elif low == "usleep" and call.args:
            s.sleeps.append(Sleep(span, BinOp(span, "/", call.args[0], Num(span, 1e6))))
        elif low == "time_nanosleep" and call.args:
            s.sleeps.append(Sleep(span, call.args[0]))
        elif low in PRINTS:
            s.outputs.append(Output(span, "print", call.args))
        elif low in LOGS:
            s.outputs.append(Output(span, "log", call.args[:1]))
        elif low in FILE_WRITES:
            s.outputs.append(Output(span, "file", call.args[FILE_WRITES[low]:FILE_WRITES[low] + 1]))
        elif low == "json_decode":
            self.json_decode(call)
        elif low == "define" and len(call.args) == 2 and isinstance(call.args[0], Str):
            s.assigns.append(Assign(span, call.args[0].value, call.args[1]))
        elif low in ITERATORS and len(call.args) > ITERATORS[low]:
            fn = call.args[ITERATORS[low]]
            s.loops.append(Loop("map", span, fn.span))
            if isinstance(fn, Str):  # array_map('fetch_one', $ids)
                s.calls.append(CallSite(Call(fn.span, fn.value), reference=True))

    def json_decode(self, call: Call) -> None:
        """RC303's fact: this decode yields objects, not associative arrays (catalog: unless
        the associative argument is truthy, or it is omitted/null and the flags include
        JSON_OBJECT_AS_ARRAY; an explicit false yields objects even with the flag)."""
        assoc = call.args[1] if len(call.args) > 1 else call.kwarg("associative")
        flags = call.args[3] if len(call.args) > 3 else call.kwarg("flags")
        if isinstance(assoc, Const) and assoc.value is False or isinstance(assoc, Num) and assoc.value == 0:
            self.script.decodes.append(Decode(call.span, (assoc.span.start, assoc.span.end, "true")))
            return
        if assoc is not None and not (isinstance(assoc, Const) and assoc.value is None):
            return  # true, 1, or an expression the linter cannot read: not reported
        if flags is not None and "JSON_OBJECT_AS_ARRAY" in self.source.text[flags.span.start:flags.span.end]:
            return
        edit = None
        end = call.span.end - 1
        if len(call.args) == 1 and not call.kwargs and self.source.text[end:end + 1] == ")":
            edit = (call.args[0].span.end, call.args[0].span.end, ", true")
        elif assoc is not None:  # null
            edit = (assoc.span.start, assoc.span.end, "true")
        self.script.decodes.append(Decode(call.span, edit))

    def curl(self, call: Call, low: str) -> Optional[Call]:
        """curl is handle-based: options are set one by one and `curl_exec` sends. The request
        is modelled at `curl_exec` with the options gathered so far as keywords."""
        handle = call.args[0].name if call.args and isinstance(call.args[0], Name) else None
        if handle is None:
            return None
        if low == "curl_setopt" and len(call.args) == 3:
            self.option(handle, call.args[1], call.args[2])
        elif low == "curl_setopt_array" and len(call.args) == 2 and isinstance(call.args[1], Dict):
            for key, value in call.args[1].entries:
                self.option(handle, key, value)
        elif low == "curl_exec":
            return self.handles.request(call.span, "curl_exec", handle)
        return None

    def option(self, handle: str, key: Value, value: Value) -> None:
        name = key.name if isinstance(key, Name) else key.value if isinstance(key, Str) else ""
        if self.handles.set(handle, name, value) == "verify" and _falsy(value):
            self.script.options.append(Option(value.span, "tls-off"))

    def stream(self, call: Call) -> Call:
        """`file_get_contents($url, false, $context)`: the context's http options are the
        request (its `content` is the body, `timeout` the timeout); ssl options can turn
        verification off."""
        ctx = call.args[2]
        if isinstance(ctx, Name):
            ctx = self.contexts.get(ctx.name, ctx)
        elif isinstance(ctx, Call) and ctx.callee.lower() == "stream_context_create" and ctx.args:
            self.bind_handle("", ctx)
            ctx = self.contexts.pop("", ctx)
        if not isinstance(ctx, Dict):
            return Call(call.span, "file_get_contents", call.args[:1], (), None, True)
        kwargs: list[tuple[str, Value]] = []
        for key, section in ctx.entries:
            if not isinstance(key, Str) or not isinstance(section, Dict):
                continue
            for k, v in section.entries:
                if not isinstance(k, Str):
                    continue
                if key.value == "http" and k.value == "content":
                    kwargs.append(("data", v))
                elif key.value == "http" and k.value == "timeout":
                    kwargs.append(("timeout", v))
                elif key.value == "ssl" and k.value in STREAM_TLS_OPTIONS and _falsy(v):
                    self.script.options.append(Option(v.span, "tls-off"))
        return Call(call.span, "file_get_contents", call.args[:1], tuple(kwargs))


def _flat(value: Value) -> tuple[Value, ...]:
    return value.parts if isinstance(value, Concat) else (value,)


def _falsy(v: Value) -> bool:
    return isinstance(v, Const) and v.value is False or isinstance(v, Num) and v.value == 0


def build(source: Document, start: int = 0, end: Optional[int] = None, first_id: int = 0) -> Script:
    return _Builder(source, start, end, first_id).build()
