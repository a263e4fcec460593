"""R front end: a tree-sitter tree of the r-lib R grammar (py-tree-sitter; the grammar from
tree-sitter-language-pack 0.13.0) → the neutral Script model. Knows R: `<-`/`=`/`->` assignments, `function` values bound to names,
`pkg::fun` and `library(pkg)`, pipes (`|>`, `%>%`) desugared into first arguments, the apply
family and purrr as iterations, `parallel`/`future`/`furrr`/`foreach %dopar%` as dispatches,
`Sys.sleep`, `print`/`cat`/`message`/`writeLines`, `Sys.getenv`/keyring as token sources, and
curl's TLS option names. REDCap knowledge stays in rules/data.
"""
from __future__ import annotations

import re
from typing import Optional

from redcaplint.model import (
    CONSTRUCTOR, Assign, Attr, BinOp, Call, CallSite, Concat, Const, Dict, Dispatch, EnvLookup,
    FunctionDef, Item, Loop, Name, Num, Option, Output, Return, Script, Seq, Sleep, Span, Str,
    SyntaxProblem, Unknown, Value,
)
from redcaplint.frontends._edits import add_argument, append_before_closing
from redcaplint.frontends._handles import Handles
from redcaplint.frontends._treesitter import TreeBuilder, first_error
from redcaplint.source import Document

LANGUAGE = "r"
# what fixes need, in this language's spelling (RuleContext.spelling)
SPELLINGS = {
    "env_token": 'Sys.getenv("REDCAP_API_TOKEN")',
    "json_encode": "jsonlite::toJSON({})",
    "list_of": "list({})",  # toJSON(list(record)) is a JSON array of one record
    "true_of": {"FALSE": "TRUE", "F": "T", "0": "1", "0L": "1L"},
    "sleep": "Sys.sleep({:g})",
    "append_statement": lambda text, block, statement: append_before_closing(text, block, "}", statement),
    "add_argument": add_argument,
}

IDIOMS = {
    "pool_width": frozenset({"mc.cores", "workers", "cores"}),  # mclapply(xs, f, mc.cores = 4)
    "ranges": frozenset({"seq_len"}),  # seq_len(n): n iterations, like Python's range(n)
}

SLEEPS = {"Sys.sleep", "base::Sys.sleep"}
OUTPUTS = {"print": "print", "cat": "print", "message": "log", "writeLines": "file", "write": "file",
           "warning": "log", "saveRDS": "file", "write_lines": "file", "readr::write_lines": "file",
           "base::print": "print", "base::cat": "print", "base::message": "log", "print.default": "print",
           "futile.logger::flog.info": "log", "logger::log_info": "log", "glue::glue": None}
ENV_READERS = {"Sys.getenv", "base::Sys.getenv"}
SECRET_READERS = {"keyring::key_get", "key_get", "rstudioapi::askForPassword", "askForPassword",
                  "getPass::getPass", "getPass", "rstudioapi::askForSecret", "askForSecret"}
CONCATS = {"paste0", "paste", "sprintf", "glue", "glue::glue", "stringr::str_c", "str_c", "file.path",
           "base::paste0", "base::paste", "base::sprintf", "stringr::str_glue", "str_glue"}
# iteration: function → index of the function argument (called once per element)
ITERATORS = {
    "lapply": 1, "sapply": 1, "vapply": 1, "mapply": 0, "Map": 0, "apply": 2, "tapply": 2, "Filter": 0,
    "outer": 2, "by": 2, "rapply": 1, "replicate": 1, "plyr::llply": 1, "plyr::ldply": 1,
    "group_map": 1, "group_walk": 1, "group_modify": 1, "dplyr::group_map": 1, "dplyr::group_walk": 1,
    "dplyr::group_modify": 1,
}
for _name in ("map", "map_dfr", "map_df", "map_dfc", "map_chr", "map_int", "map_dbl", "map_lgl", "map_vec",
              "walk", "imap", "imap_dfr", "imap_chr", "iwalk", "pmap", "pmap_dfr", "pmap_chr", "pwalk",
              "map_if", "map_at", "modify", "keep", "discard", "detect"):
    ITERATORS[_name] = 1
    ITERATORS["purrr::" + _name] = 1
for _name in ("map2", "map2_dfr", "map2_chr", "map2_int", "map2_dbl", "walk2"):
    ITERATORS[_name] = 2
    ITERATORS["purrr::" + _name] = 2
for _name in ("lapply", "sapply", "vapply", "mapply", "Map", "apply", "Filter"):
    ITERATORS["base::" + _name] = ITERATORS[_name]
DISPATCHES = {
    "mclapply": 1, "parallel::mclapply": 1, "mcmapply": 0, "parallel::mcmapply": 0, "pvec": 1,
    "parLapply": 2, "parallel::parLapply": 2, "parSapply": 2, "parallel::parSapply": 2,
    "parLapplyLB": 2, "parallel::parLapplyLB": 2, "clusterApply": 2, "parallel::clusterApply": 2,
    "clusterApplyLB": 2, "parallel::clusterApplyLB": 2, "clusterMap": 1, "parallel::clusterMap": 1,
    "future_lapply": 1, "future.apply::future_lapply": 1, "future_sapply": 1,
    "future.apply::future_sapply": 1, "future_mapply": 0, "future.apply::future_mapply": 0,
    "future::future": 0, "future": 0, "mcparallel": 0, "parallel::mcparallel": 0,
}
for _name in ("future_map", "future_map_dfr", "future_map_df", "future_map_chr", "future_map_int",
              "future_map_dbl", "future_walk", "future_imap", "future_pmap", "future_pmap_dfr"):
    DISPATCHES[_name] = 1
    DISPATCHES["furrr::" + _name] = 1
for _name in ("future_map2", "future_map2_dfr", "future_walk2"):
    DISPATCHES[_name] = 2
    DISPATCHES["furrr::" + _name] = 2
# curl option names (httr::config, RCurl curlOptions, REDCapR config_options, redcapAPI config)
TLS_OPTIONS = {"ssl_verifypeer", "ssl.verifypeer", "ssl_verifyhost", "ssl.verifyhost", "sslverifypeer"}
# R6 and reference classes: the generator call, the arguments that list methods, the name of
# the constructor method, and the names a method reaches its object by (not parameters)
CLASS_GENERATORS = {"R6Class", "R6::R6Class", "setRefClass", "methods::setRefClass"}
METHOD_LISTS = {"public", "private", "active", "methods"}
CONSTRUCTORS = {"initialize"}
RECEIVERS = {"self", "private", ".self"}
RETURNS = {"return", "base::return"}
LIBRARY_CALLS = {"library", "require", "requireNamespace", "suppressPackageStartupMessages",
                 "pacman::p_load", "p_load", "librarian::shelf"}

# Assignments, pipes and %op% operators are binary operators in this grammar. The query takes
# every binary operator and Python filters on the operator: a field constraint in the query
# (`operator: ["<-" …]`) makes tree-sitter's cursor keep a pending state per nesting level,
# quadratic on a long pipe chain (measured: 20 s for 4,000 pipes, against 0.02 s).
QUERY = "[(call) (binary_operator) (for_statement) (while_statement) (repeat_statement)] @n"
ASSIGN_LEFT = {"<-", "<<-", "=", ":="}
ASSIGN_RIGHT = {"->", "->>"}
STATEMENT_OPERATORS = ASSIGN_LEFT | ASSIGN_RIGHT | {"|>", "special"}
_PACKAGE_LINE = re.compile(r"\b(?:library|require|p_load|requireNamespace)\(\s*[\"']?([A-Za-z][\w.]*)")
_STRING_ESCAPES = re.compile(r"\\(.)")
CONSTANTS = {"true": True, "false": False, "null": None}


class _Builder(TreeBuilder):
    def __init__(self, source: Document, packages: dict[str, str], start: int = 0, end: Optional[int] = None,
                 first_id: int = 0) -> None:
        super().__init__(source, LANGUAGE, start, end, first_id)
        self.packages = packages  # bare exported name -> "pkg::name" for loaded packages
        self.piped: dict[Span, object] = {}  # call span -> the node piped into it
        self.curl_handles = Handles("r", "curl")  # handle name -> its options
        self.curl_forms: dict[str, list] = {}  # handle name -> its form fields (the body)
        self.classes: set[str] = set()  # R6 / reference classes defined in the file
        self.last_expressions: list = []  # each function's last expression: what it returns

    # -- names --------------------------------------------------------------------------
    def callee(self, node) -> Optional[str]:
        kind = node.type
        if kind == "identifier":
            name = self.t(node).strip("`")
            return self.packages.get(name, name)
        if kind == "namespace_operator":
            ns, fn = node.child_by_field_name("lhs"), node.child_by_field_name("rhs")
            if ns is None or fn is None:
                return None
            return f"{self.t(ns)}::{self.t(fn).strip('`')}"
        if kind == "string":  # "fun"(x)
            return _string_value(self.t(node))
        return None

    # -- values -------------------------------------------------------------------------
    def _value(self, node, span: Span, kind: str, depth: int) -> Value:
        if kind == "string":
            return Str(span, _string_value(self.t(node)))
        if kind in ("float", "integer"):
            text = self.t(node).rstrip("Li")
            try:
                return Num(span, float(int(text, 16)) if text.lower().startswith("0x") else float(text))
            except ValueError:
                return Unknown(span)
        if kind in CONSTANTS:
            return Const(span, CONSTANTS[kind])
        if kind == "identifier":
            text = self.t(node)
            if text in ("T", "F"):
                return Const(span, text == "T")
            return Name(span, text)
        if kind == "extract_operator":  # x$name, x@slot
            lhs, rhs = node.child_by_field_name("lhs"), node.child_by_field_name("rhs")
            if lhs is not None and rhs is not None:
                return Attr(span, self.value(lhs, depth + 1), _name_text(self.t(rhs)))
            return Unknown(span)
        if kind == "call":
            return self.call(node, depth)
        if kind == "binary_operator":
            op = self.operator(node)
            if op in ("%>%", "|>"):
                self.note_pipe(node)
                return self.value(node.child_by_field_name("rhs"), depth + 1)
            if op in ("+", "-", "*", "/", "^", ":"):  # `:` builds a range (1:10)
                return BinOp(span, "**" if op == "^" else op, self.value(node.child_by_field_name("lhs"), depth + 1),
                             self.value(node.child_by_field_name("rhs"), depth + 1))
            return Unknown(span)
        if kind == "unary_operator":
            inner_node = node.child_by_field_name("rhs")
            if inner_node is not None and self.operator(node) == "-":
                inner = self.value(inner_node, depth + 1)
                if isinstance(inner, Num):
                    return Num(span, -inner.value)
            return Unknown(span)
        if kind in ("subset2", "subset"):  # x[["token"]], x["token"]
            base, args = node.child_by_field_name("function"), node.child_by_field_name("arguments")
            keys = [c.child_by_field_name("value") for c in args.named_children if c.type == "argument"] if args else []
            if base is not None and len(keys) == 1 and keys[0] is not None:
                return Item(span, self.value(base, depth + 1), self.value(keys[0], depth + 1))
            return Unknown(span)
        if kind == "parenthesized_expression":
            inner_node = node.child_by_field_name("body")
            return self.value(inner_node, depth + 1) if inner_node is not None else Unknown(span)
        return Unknown(span)

    def operator(self, node) -> str:
        op = node.child_by_field_name("operator")
        return self.t(op) if op is not None else ""

    def arguments(self, node, depth: int) -> tuple[list[Value], list[tuple[str, Value]], bool]:
        args: list[Value] = []
        kwargs: list[tuple[str, Value]] = []
        star = False
        if node is None:
            return args, kwargs, star
        for child in node.named_children:
            if child.type != "argument":  # comma, comment
                continue
            name, value = child.child_by_field_name("name"), child.child_by_field_name("value")
            if name is not None:
                key = _string_value(self.t(name)) if name.type == "string" else _name_text(self.t(name))
                kwargs.append((key, self.value(value, depth + 1) if value is not None else Const(self.span(child), None)))
            elif value is None:
                continue  # an empty argument: `x[1, ]`
            elif value.type == "dots":
                star = True
            else:
                args.append(self.value(value, depth + 1))
        return args, kwargs, star

    def call(self, node, depth: int = 0) -> Value:
        span = self.span(node)
        func = node.child_by_field_name("function")
        args, kwargs, star = self.arguments(node.child_by_field_name("arguments"), depth)
        piped = self.piped.get(span)
        if piped is not None:
            args.insert(0, self.value(piped, depth + 1))
        if func is None:
            return Unknown(span)
        receiver = None
        if func.type == "extract_operator":  # project$read(...)
            lhs, rhs = func.child_by_field_name("lhs"), func.child_by_field_name("rhs")
            if lhs is None or rhs is None:
                return Unknown(span)
            receiver = self.value(lhs, depth + 1)
            callee = _name_text(self.t(rhs))
            if callee == "new" and lhs.type == "namespace_operator":  # crul::HttpClient$new(...)
                receiver = Name(self.span(lhs), self.t(lhs).replace("`", ""))
                callee, receiver = f"{receiver.name}$new", None
            elif callee == "new" and isinstance(receiver, Name):
                # an R6/reference class constructor: `redcap_project$new(...)`; a class of
                # this file is called by its own name (its constructor method runs)
                cls = receiver.name
                callee = cls if cls in self.classes else f"{self.packages.get(cls, cls)}$new"
                receiver = None
        else:
            callee = self.callee(func)
            if callee is None:
                return Unknown(span)
        base = callee.rpartition("::")[2]
        args_t, kwargs_t = tuple(args), tuple(kwargs)
        if callee in SECRET_READERS:
            return EnvLookup(span, None)
        if callee in ENV_READERS:
            return EnvLookup(span, args_t[0] if args_t else None)
        if base in ("c", "append", "modifyList") and receiver is None and any(isinstance(a, Dict) for a in args_t):
            # c(list(token = t), body): one parameter list, merged by the resolver where known
            entries = tuple((Str(a.span, "*"), a) for a in args_t)
            entries += tuple((Str(v.span, k), v) for k, v in kwargs_t)
            return Dict(span, entries, star)
        if base in ("list", "c") and receiver is None:
            if kwargs_t:
                entries = tuple((Str(v.span, k), v) for k, v in kwargs_t)
                return Dict(span, entries, star or bool(args_t))
            return Seq(span, args_t)
        if callee in CONCATS:
            return Concat(span, args_t + tuple(v for k, v in kwargs_t if k not in ("sep", "collapse")))
        if base in ("as.character", "toString", "trimws", "I") and len(args_t) == 1:
            return args_t[0]
        if base in ("toJSON",) and kwargs_t and not args_t:
            return Call(span, callee, (kwargs_t[0][1],), kwargs_t[1:], receiver, star)
        return Call(span, callee, args_t, kwargs_t, receiver, star)

    def note_pipe(self, node) -> None:
        """`x |> f(a)` and `x %>% f(a)` call f(x, a). Pipes are seen before the calls inside
        them (find_all is pre-order), so the call on the right learns its first argument
        here; asking each call for its parent instead is quadratic on long chains."""
        right = node.child_by_field_name("rhs")
        if right is not None and right.type == "call":
            self.piped[self.span(right)] = node.child_by_field_name("lhs")

    # -- statements ---------------------------------------------------------------------
    def build(self) -> Script:
        s = self.script
        error = first_error(self.root)
        if error is not None:
            # an ERROR node, or a MISSING one where tree-sitter invented a closing bracket
            at = self.offset(error.start_byte)
            if error.is_missing:
                opener = unclosed_bracket(self.text[self.start:self.end])
                at = self.base + opener if opener is not None else at
                s.syntax_error = SyntaxProblem(at, "syntax error: bracket never closed")
            else:
                s.syntax_error = SyntaxProblem(at, "syntax error")
            return s
        for node in self.nodes(QUERY):
            kind = node.type
            if kind == "call":
                self.on_call(node)
            elif kind == "binary_operator":
                self.on_binary(node)
            elif kind == "for_statement":
                self.add_loop("for", node)
            elif kind == "repeat_statement":
                self.add_loop("repeat", node)
            elif kind == "while_statement":
                self.add_loop("while", node, with_condition=True)
        for last in self.last_expressions:
            value = self.value(last)
            if value.__class__ is not Unknown and not (value.__class__ is Call and value.callee in RETURNS):
                s.returns.append(Return(self.span(last), value))
        return s

    def on_binary(self, node) -> None:
        op = node.child_by_field_name("operator")
        if op is None or op.type not in STATEMENT_OPERATORS:
            return  # `x + 1`, `a == b`: values, not statements
        text = op.type if op.type != "special" else self.t(op)
        lhs, rhs = node.child_by_field_name("lhs"), node.child_by_field_name("rhs")
        if text in ASSIGN_LEFT:
            self.on_assignment(node, lhs, rhs)
        elif text in ASSIGN_RIGHT:
            self.on_assignment(node, rhs, lhs)
        elif text in ("%>%", "|>"):
            self.note_pipe(node)
        elif rhs is None:
            return
        elif text == "%dopar%" or text == "%dofuture%":
            self.script.dispatches.append(Dispatch(self.span(node), "foreach", (self.value(rhs),)))
        elif text == "%do%":
            self.script.loops.append(Loop("foreach", self.span(node), self.span(rhs)))

    def on_assignment(self, node, target, value_node) -> None:
        if target is None or value_node is None:
            return
        span = self.span(node)
        tk = target.type
        if value_node.type == "function_definition" and tk in ("identifier", "string"):
            self.on_function(self.t(target).strip("`\"'"), value_node)
            return
        if value_node.type == "call" and tk == "identifier" and self.on_class(_name_text(self.t(target)), value_node):
            return
        if tk == "identifier":
            self.script.assigns.append(Assign(span, _name_text(self.t(target)), self.value(value_node)))
        elif tk == "extract_operator":  # body$content <- "record"; self$session <- handle
            lhs, rhs = target.child_by_field_name("lhs"), target.child_by_field_name("rhs")
            if lhs is not None and rhs is not None and lhs.type == "identifier":
                base = self.t(lhs)
                self.script.assigns.append(Assign(span, base, self.value(value_node),
                                                  "attr" if base in RECEIVERS else "item",
                                                  Str(self.span(rhs), _name_text(self.t(rhs)))))
        elif tk == "subset2":  # body[["content"]] <- "record"
            base, args = target.child_by_field_name("function"), target.child_by_field_name("arguments")
            if base is not None and args is not None and base.type == "identifier":
                key = [c.child_by_field_name("value") for c in args.named_children if c.type == "argument"]
                if len(key) == 1 and key[0] is not None and key[0].type == "string":
                    self.script.assigns.append(Assign(span, self.t(base), self.value(value_node), "item",
                                                      self.value(key[0])))

    def on_class(self, name: str, node) -> bool:
        """`Client <- R6Class("Client", public = list(get = function(...) …))`: the listed
        functions are methods of Client (`initialize` its constructor)."""
        func = node.child_by_field_name("function")
        if func is None or self.callee(func) not in CLASS_GENERATORS:
            return False
        self.classes.add(name)
        args = node.child_by_field_name("arguments")
        for arg in args.named_children if args is not None else ():
            key, lst = arg.child_by_field_name("name"), arg.child_by_field_name("value")
            if key is None or lst is None or self.t(key) not in METHOD_LISTS or lst.type != "call":
                continue
            inner = lst.child_by_field_name("arguments")
            for method in inner.named_children if inner is not None else ():
                mname, fn = method.child_by_field_name("name"), method.child_by_field_name("value")
                if mname is not None and fn is not None and fn.type == "function_definition":
                    text = _name_text(self.t(mname))
                    self.on_function(CONSTRUCTOR if text in CONSTRUCTORS else text, fn, owner=name)
        return True

    def on_function(self, name: str, node, owner: Optional[str] = None) -> None:
        params: list[str] = []
        defaults: list[tuple[str, Value]] = []
        body = node.child_by_field_name("body")
        plist = node.child_by_field_name("parameters")
        if plist is not None:
            for p in plist.named_children:
                if p.type != "parameter":
                    continue
                n = p.child_by_field_name("name")
                if n is None:
                    params.append("")
                elif n.type == "dots":
                    params.append("*")
                else:
                    params.append(_name_text(self.t(n)))
                    v = p.child_by_field_name("default")
                    value = self.value(v) if v is not None else None
                    if value is not None and value.__class__ in (Str, Num, Const, Dict, Seq):
                        defaults.append((params[-1], value))
        if body is None:
            return
        self.function_ids += 1
        self.script.functions.append(FunctionDef(self.function_ids, name, self.span(node), self.span(body),
                                                 tuple(params), owner=owner, defaults=tuple(defaults),
                                                 in_place=()))  # R copies every argument
        # a function gives back its last expression (`return(x)` is a call, seen in on_call)
        last = body
        if body.type == "braced_expression":
            inner = [c for c in body.named_children if c.type != "comment"]
            last = inner[-1] if inner else None
        if last is not None:
            # converted after every pipe is known (build): converting now would cache the
            # value of a pipeline without its first argument
            self.last_expressions.append(last)

    def on_call(self, node) -> None:
        value = self.value(node)
        if isinstance(value, Dict):  # list(ssl.verifypeer = FALSE) as curl options
            for key, v in value.entries:
                if isinstance(key, Str) and key.value in TLS_OPTIONS and _falsy(v):
                    self.script.options.append(Option(v.span, "tls-off"))
        if not isinstance(value, Call):
            return
        s = self.script
        call = value
        if call.callee.startswith("curl::"):
            call = _curl(self, call)
        callee = call.callee
        span = call.span
        s.calls.append(CallSite(call))
        for key, v in call.kwargs:
            if key in TLS_OPTIONS and _falsy(v):
                s.options.append(Option(v.span, "tls-off"))
        if callee in SLEEPS:
            s.sleeps.append(Sleep(span, call.args[0] if call.args else call.kwarg("time")))
            return
        if callee in RETURNS and call.args and call.args[0].__class__ is not Unknown:
            s.returns.append(Return(span, call.args[0]))
            return
        kind = OUTPUTS.get(callee)
        target = call.kwarg("file") if kind == "print" else None
        if target is not None and not (isinstance(target, Str) and target.value == ""):
            kind = "file"  # cat(..., file = "log.txt") writes a file; file = "" is the console
        if kind:
            s.outputs.append(Output(span, kind, call.args + tuple(v for k, v in call.kwargs if k not in ("file", "sep", "con"))))
            return
        if callee in DISPATCHES:
            idx = DISPATCHES[callee]
            target = _function_arg(call, idx)
            s.dispatches.append(Dispatch(span, "parallel", (target,) if target is not None else call.args, call))
            return
        if callee in ITERATORS:
            fn = _function_arg(call, ITERATORS[callee])
            if fn is not None:
                if isinstance(fn, Name):
                    s.loops.append(Loop("map", span, fn.span))
                    s.calls.append(CallSite(Call(fn.span, self.packages.get(fn.name, fn.name)), reference=True))
                else:
                    s.loops.append(Loop("map", span, fn.span))


CURL_FETCH = {"curl::curl_fetch_memory", "curl::curl_fetch_disk", "curl::curl_fetch_stream", "curl::curl"}


def _handle_name(value: Optional[Value]) -> Optional[str]:
    return value.name if isinstance(value, Name) else None


def _curl(builder, call: Call) -> Call:
    """The curl package is handle-based: a form and options are set on a handle, then a
    fetch sends it. The request is modelled at the fetch, with the handle's form as `body`."""
    handles, forms = builder.curl_handles, builder.curl_forms
    base = call.callee.rpartition("::")[2]
    if base in ("handle_setform", "handle_setopt", "handle_setopts") and call.args:
        name = _handle_name(call.args[0])
        if name:
            pairs = [(k, v) for k, v in call.kwargs if k != ".list"]
            more = call.kwarg(".list")
            if isinstance(more, Dict):
                pairs += [(k.value, v) for k, v in more.entries if isinstance(k, Str)]
            for k, v in pairs:
                if base == "handle_setform":
                    forms.setdefault(name, []).append((k, v))
                else:
                    handles.set(name, k, v)
        return call
    if call.callee in CURL_FETCH:
        name = _handle_name(call.kwarg("handle") or (call.args[1] if len(call.args) > 1 else None)) or ""
        form = forms.get(name)
        body = (("body", Dict(call.span, tuple((Str(v.span, k), v) for k, v in form))),) if form else ()
        sent = handles.request(call.span, call.callee, name, *body)
        url = call.args[0] if call.args else call.kwarg("url")
        return Call(call.span, call.callee, (url,) if url is not None else (), sent.kwargs, None, call.star)
    return call


def _function_arg(call: Call, index: int) -> Optional[Value]:
    for key in (".f", "FUN", "f", ".fun", "fun"):
        v = call.kwarg(key)
        if v is not None:
            return v
    return call.args[index] if len(call.args) > index else None


def _falsy(v: Value) -> bool:
    return (isinstance(v, Const) and v.value is False) or (isinstance(v, Num) and v.value == 0)


def _name_text(text: str) -> str:
    """A name as R reads it: `` `content` `` is `content`."""
    return text[1:-1] if len(text) >= 2 and text[0] == "`" and text[-1] == "`" else text


def _string_value(text: str) -> str:
    if text[:1] in ("r", "R") and len(text) > 3 and text[1] in "\"'":
        inner = text[2:-1]
        m = re.match(r"^(-*)([\[({])", inner)
        if m:
            n = len(m.group(0))
            return inner[n:-n] if len(inner) >= 2 * n else inner
        return inner
    if len(text) >= 2 and text[0] in "\"'`" and text[-1] == text[0]:
        text = text[1:-1]
    if "\\" in text:
        text = _STRING_ESCAPES.sub(lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), text)
    return text


_PAIRS = {")": "(", "]": "[", "}": "{"}


def unclosed_bracket(text: str) -> Optional[int]:
    """Offset of the first bracket never closed, skipping strings and # comments."""
    stack: list[tuple[str, int]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in "\"'`":
            j = i + 1
            while j < n and text[j] != ch:
                j += 2 if text[j] == "\\" else 1
            i = j + 1
            continue
        if ch == "#":
            j = text.find("\n", i)
            i = n if j < 0 else j
            continue
        if ch in "([{":
            stack.append((ch, i))
        elif ch in ")]}":
            if stack and stack[-1][0] == _PAIRS[ch]:
                stack.pop()
            else:
                return None  # an extra closer: not what this looks for
        i += 1
    return stack[0][1] if stack else None


def packages_of(text: str) -> dict[str, str]:
    """Bare function names made visible by `library(pkg)`, from the REDCap data table."""
    from redcaplint.rules import load_data

    exports = load_data("clients").get("r", {}).get("packages", {})
    loaded = set(_PACKAGE_LINE.findall(text))
    out: dict[str, str] = {}
    for pkg, names in exports.items():
        # REDCap clients' names are distinctive enough to resolve even without library():
        # a setup chunk or an Rprofile often loads them out of sight
        if pkg in loaded or pkg in ("REDCapR", "redcapAPI", "REDCapTidieR", "tidyREDCap"):
            for n in names:
                out.setdefault(n, f"{pkg}::{n}")
    return out


def build(source: Document, start: int = 0, end: Optional[int] = None, first_id: int = 0,
          packages: Optional[dict[str, str]] = None) -> Script:
    """Source → Script. `start`/`end` select one region (an R Markdown chunk), parsed on its
    own; offsets stay those of the whole document."""
    if packages is None:
        packages = packages_of(source.code_text[start:end])
    return _Builder(source, packages, start, end, first_id).build()
