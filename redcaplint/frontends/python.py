"""Python front end: a tree-sitter tree (py-tree-sitter, tree-sitter-python) → the neutral
Script model.

Why tree-sitter and not libcst for the analysis: measured on a REDCap-style corpus, tree-sitter
parses several times faster than libcst (and ~60× faster than libcst with its scope metadata),
and one Query over the node kinds we care about picks them in C, so Python sees only those
nodes. libcst is used for one thing here: confirming a syntax error (RC001) when the tree shows
one, because tree-sitter is error-tolerant and accepts some Python 2 forms.

What this module knows is *Python*: import aliases, how sleeps, prints, pools and iterations
are spelled. It knows nothing of REDCap; `resolve.py` and `rules/data` do.
"""
from __future__ import annotations

import re
from typing import Optional

from redcaplint.model import (
    CONSTRUCTOR, Assign, Attr, BinOp, Call, CallSite, Concat, Const, Dict, Dispatch, EnvLookup, FunctionDef,
    Item, Loop, Name, Num, Option, Output, Script, Seq, Sleep, Span, Str, SyntaxProblem,
    Unknown, Value,
)
from redcaplint.frontends._edits import add_argument, append_to_indented_block
from redcaplint.frontends._handles import Handles
from redcaplint.frontends._treesitter import TreeBuilder, first_error, joined
from redcaplint.source import Document

LANGUAGE = "python"
# what fixes need, in this language's spelling (RuleContext.spelling)
SPELLINGS = {
    "env_token": 'os.environ["REDCAP_API_TOKEN"]', "env_token_module": "os",
    "json_encode": "json.dumps({})", "json_encode_module": "json",
    "list_of": "[{}]",
    "true_of": {"False": "True", "0": "1"},
    "sleep": "time.sleep({:g})", "sleep_module": "time",
    "import": "import {}\n",
    "append_statement": append_to_indented_block,
    "add_argument": add_argument,
}

# parameter defaults the model keeps (what an omitted argument is): literals only
LITERAL_DEFAULTS = {"dictionary", "list", "tuple", "string", "integer", "float", "true", "false", "none"}
IDIOMS = {
    "string_methods": frozenset({"strip", "rstrip", "lstrip", "upper", "lower", "encode", "decode",
                                 "format", "replace", "join"}),
    "form_encoders": frozenset({"urlencode"}),
    "pair_views": frozenset({"items"}),
    "collection_adds": frozenset({"append", "add", "insert", "extend"}),
    "response_body": frozenset({"text", "content", "json"}),
    "adapter_mount": "mount",  # requests' Session.mount(prefix, HTTPAdapter(...))
    # a pool's width: ThreadPoolExecutor(max_workers=8), Pool(processes=4) / Pool(4), Parallel(n_jobs=4)
    "pool_width": frozenset({"max_workers", "processes", "n_jobs"}),
    "ranges": frozenset({"range"}),
}

SLEEPS = {"time.sleep", "asyncio.sleep", "trio.sleep", "anyio.sleep", "gevent.sleep"}
ENV_READERS = {"os.getenv", "os.environ.get", "os.environ.setdefault", "dotenv.get_key",
               "decouple.config", "environ.get", "getenv"}
SECRET_READERS = {"getpass.getpass", "keyring.get_password", "getpass"}
PRINTS = {"print", "pprint.pprint", "pprint", "sys.stdout.write", "sys.stderr.write",
          "click.echo", "typer.echo", "rich.print", "warnings.warn"}
LOG_METHODS = {"debug", "info", "warning", "warn", "error", "critical", "exception", "log"}
FILE_WRITES = {"write", "writelines", "write_text"}
EXECUTORS = {
    "concurrent.futures.ThreadPoolExecutor", "concurrent.futures.ProcessPoolExecutor",
    "concurrent.futures.thread.ThreadPoolExecutor", "multiprocessing.Pool",
    "multiprocessing.pool.Pool", "multiprocessing.pool.ThreadPool", "multiprocessing.dummy.Pool",
    "ThreadPoolExecutor", "ProcessPoolExecutor", "Pool", "ThreadPool",
}
POOL_METHODS = {"map", "submit", "imap", "imap_unordered", "starmap", "map_async",
                "apply_async", "starmap_async", "apply"}
TASK_GROUPS = {"asyncio.TaskGroup", "anyio.create_task_group", "trio.open_nursery"}
GATHERS = {"asyncio.gather", "asyncio.wait", "asyncio.as_completed", "trio.gather",
           "asyncio.create_task", "asyncio.ensure_future"}
THREAD_TARGETS = {"threading.Thread", "multiprocessing.Process", "Thread", "Process"}
# Higher-order functions and methods that call their function argument once per element.
ITERATORS = {"map", "filter", "itertools.starmap", "starmap"}
# the `schedule` package's units: seconds between two runs of `every(n).<unit>.do(job)`
SCHEDULE_UNITS = {"second": 1, "seconds": 1, "minute": 60, "minutes": 60, "hour": 3600, "hours": 3600,
                  "day": 86400, "days": 86400, "week": 604800, "weeks": 604800}
ITER_METHODS = {"apply", "applymap", "map", "progress_apply", "progress_map", "transform",
                "agg", "aggregate", "pipe_each"}
TLS_OFF_CALLS = {"ssl._create_unverified_context", "urllib3.disable_warnings"}
# Waits of unknown length behind a helper of another module (`pacer.wait(INTERVAL)`,
# `rate_limit()`, `polite_sleep(2)`): an iteration that calls one pauses, though for how long
# is not known (so RC201 does not fire and RC202 cannot judge). A same-file function of that
# name is followed through the call graph instead.
SLEEP_LIKE = re.compile(r"(?i)(?:^|_)(?:sleep|throttle|pause|rate_?limit|backoff)(?:$|_)")
WAIT_RECEIVER = re.compile(r"(?i)pace|limit|throttl|rate|backoff")
# Calls whose value is a copy of their one argument (a payload copied before it is changed)
COPIES = {"copy.copy", "copy.deepcopy", "deepcopy", "dict", "collections.OrderedDict", "OrderedDict"}
# The receiver parameter of a method: not one a caller passes
RECEIVERS = ("self", "cls")

# Snippets (and notebook cells) often use these without an import in sight: `time.sleep`
# still means time.sleep unless the name is assigned in the file.
IMPLICIT_MODULES = {"time", "asyncio", "os", "json", "logging", "requests", "httpx", "urllib", "sys",
                    "pprint", "redcap"}

KINDS = [
    "import_statement", "import_from_statement", "function_definition", "for_statement",
    "while_statement", "list_comprehension", "dictionary_comprehension", "set_comprehension",
    "generator_expression", "assignment", "call", "await", "print_statement", "exec_statement",
    "return_statement",
]
# `with X() as name` binds name (not `except E as e`): the query says which as_pattern
QUERY = "[" + " ".join(f"({k})" for k in KINDS) + "] @n\n(with_item (as_pattern) @with_as)"
# Python 2 statements: tree-sitter parses them without an ERROR; libcst then decides
SUSPECT_KINDS = ("print_statement", "exec_statement")
_ONLY_AST = 0x400  # ast.PyCF_ONLY_AST, without importing ast
_ERROR_AT = re.compile(r"(?:parser error: )?error at (\d+):(\d+)")
# Python 2 forms tree-sitter-python accepts without an ERROR node: a hint sends the file to
# libcst (which decides) and CPython's own parser (which says where). One pattern per form,
# each gated by a substring test or led by a character class (an alternation of them all, or
# a leading \b, costs a regex attempt at every offset of every file).
_PY2_LINES = re.compile(
    r"^[ \t]*(?:except[ \t]+[\w.]+[ \t]*,[ \t]*\w+[ \t]*:|print[ \t]*>>|raise[ \t]+[\w.]+[ \t]*,)", re.M)
_PY2_LITERALS = re.compile(r"[=(,\[][ \t]*0[0-7]+\b|[0-9][lL](?!\w)")
_UR_PREFIXES = ('ur"', "ur'", 'uR"', "uR'", 'Ur"', "Ur'", 'UR"', "UR'")


def _py2_hint(text: str) -> bool:
    if "`" in text or "<>" in text or any(p in text for p in _UR_PREFIXES):
        return True
    if ("except" in text or "print" in text or "raise" in text) and _PY2_LINES.search(text):
        return True
    return _PY2_LITERALS.search(text) is not None


_STRING_PREFIX = re.compile(r"^[rRbBuUfFtT]*")
CONSTANTS = {"true": True, "false": False, "none": None}


def syntax_problem(text: str, suspect: Optional[int], base: int = 0, hard: bool = False) -> Optional[SyntaxProblem]:
    """RC001: the tree shows a suspect (an ERROR or MISSING node at offset `suspect` of
    `text`, a Python 2 statement), libcst (version independent) confirms it. `base` is where
    `text` starts in the document; `hard` is a real ERROR node, trusted when libcst cannot
    decide."""
    import libcst  # lazily: only files that look broken pay for it

    try:
        libcst.parse_module(text)
        return None
    except libcst.ParserSyntaxError as exc:
        text_of_error = str(exc)
        line, col = exc.raw_line, exc.raw_column
        # libcst's raw position can point at the token after the error; its native parser's
        # own "error at L:C" names the offending line
        m = _ERROR_AT.search(text_of_error)
        if m:
            line, col = int(m.group(1)), max(0, int(m.group(2)) - 1)
        source = Document("", text)
        line = max(1, min(line, source.line_count))
        offset = min(source.line_start(line) + min(col, len(source.line_text(line))), len(text))
        # libcst confirmed it; CPython's own parser says best where it is (the first line it
        # rejects; libcst's position can be where a later token ends). Where CPython accepts
        # what libcst rejects, tree-sitter's ERROR node is nearer the mistake than libcst.
        at = None
        try:
            compile(text, "<lint>", "exec", _ONLY_AST)
        except SyntaxError as builtin:
            if builtin.lineno and builtin.lineno <= source.line_count:
                col = max(0, (builtin.offset or 1) - 1)
                at = source.line_start(builtin.lineno) + min(col, len(source.line_text(builtin.lineno)))
        except (ValueError, RecursionError, MemoryError):
            pass
        if at is not None:
            offset = at
        elif suspect is not None and suspect < offset and line - source.line_col(suspect)[0] <= 3:
            offset = suspect
        detail = [ln.strip() for ln in text_of_error.splitlines() if ln.strip()]
        message = detail[1] if len(detail) > 1 else (detail[0] if detail else "invalid syntax")
        message = _ERROR_AT.sub("", message).strip(" :") or "invalid syntax"
        if message.startswith("expected one of") and message.count(",") > 4:
            message = "invalid syntax"
        return SyntaxProblem(base + offset, f"syntax error: {message[:160]}")
    except (RecursionError, MemoryError, ValueError, Exception):  # noqa: BLE001
        # libcst could not decide (too deep, internal error): trust tree-sitter's ERROR node.
        if suspect is not None and hard:
            return SyntaxProblem(base + suspect, "syntax error")
        return None


class _Builder(TreeBuilder):
    def __init__(self, source: Document, start: int = 0, end: Optional[int] = None, first_id: int = 0) -> None:
        super().__init__(source, LANGUAGE, start, end, first_id)
        self.imports: dict[str, str] = {}
        self.last_import: Optional[int] = None  # end of the last top-level import
        self.pair_loops: list[tuple[Span, str, str, Value]] = []  # (body, k, v, src) of `for k, v in src.items()`
        self.locals: set[str] = set()  # names assigned in the file (shadowing implicit modules)
        self.bound: dict[str, str] = {}  # name -> constructor callee, for pools/loggers/files
        self.curl = Handles("python", "pycurl")  # pycurl handles: setopt values until perform()
        self.awaited: set[Span] = set()  # spans of calls directly under `await`
        self.waits: list[tuple[Sleep, Optional[str]]] = []  # sleep-like helper calls, by name

    # -- names --------------------------------------------------------------------------
    def dotted(self, node) -> Optional[str]:
        """`a.b.c` as a string, or None for anything that is not a plain dotted name
        (iterative: attribute chains can be thousands deep in hostile input)."""
        parts: list[str] = []
        while node is not None and node.type == "attribute":
            attr = node.child_by_field_name("attribute")
            if attr is None or len(parts) > 64:
                return None
            parts.append(self.t(attr))
            node = node.child_by_field_name("object")
        if node is None or node.type != "identifier":
            return None
        parts.append(self.t(node))
        return ".".join(reversed(parts))

    def qualify(self, dotted: str) -> str:
        head, _, rest = dotted.partition(".")
        target = self.imports.get(head)
        if target is None:
            return dotted
        return f"{target}.{rest}" if rest else target

    def is_module_path(self, dotted: str) -> bool:
        head = dotted.partition(".")[0]
        return head in self.imports or (head in IMPLICIT_MODULES and head not in self.locals)

    # -- values -------------------------------------------------------------------------
    def _value(self, node, span: Span, kind: str, depth: int) -> Value:
        if kind == "string":
            return self.string(node, depth)
        if kind == "concatenated_string":
            parts = tuple(self.string(c, depth) for c in node.children if c.type == "string")
            return joined(span, parts)
        if kind == "integer" or kind == "float":
            try:
                return Num(span, float(self.t(node).replace("_", "").rstrip("jJlL")))
            except ValueError:
                return Unknown(span)
        if kind in CONSTANTS:
            return Const(span, CONSTANTS[kind])
        if kind == "identifier":
            return Name(span, self.t(node))
        if kind == "attribute":
            dotted = self.dotted(node)
            if dotted and self.is_module_path(dotted):
                return Name(span, self.qualify(dotted))
            attr = node.child_by_field_name("attribute")
            return Attr(span, self.value(node.child_by_field_name("object"), depth + 1), self.t(attr) if attr else "")
        if kind in ("parenthesized_expression", "await", "expression_statement"):
            inner = [c for c in node.children if c.is_named]
            return self.value(inner[-1], depth + 1) if inner else Unknown(span)
        if kind == "dictionary":
            entries, is_open = [], False
            for child in node.named_children:
                ck = child.type
                if ck == "pair":
                    kv = child.named_children
                    if len(kv) == 2:
                        entries.append((self.value(kv[0], depth + 1), self.value(kv[1], depth + 1)))
                elif ck == "dictionary_splat":
                    # `{**base, ...}`: merged by the resolver when `base` is a known dict
                    inner = child.named_children
                    if inner:
                        entries.append((Str(span, "*"), self.value(inner[0], depth + 1)))
                    else:
                        is_open = True
            return Dict(span, tuple(entries), is_open)
        if kind in ("list", "tuple", "set"):
            return Seq(span, tuple(self.value(c, depth + 1) for c in node.named_children))
        if kind == "binary_operator":
            op = node.child_by_field_name("operator")
            op = self.t(op) if op else ""
            left = self.value(node.child_by_field_name("left"), depth + 1)
            right = self.value(node.child_by_field_name("right"), depth + 1)
            if op == "+" and (_stringy(left) or _stringy(right)):
                return Concat(span, _flatten(left) + _flatten(right))
            if op == "%" and _stringy(left):
                extra = right.items if isinstance(right, Seq) else (right,)
                return Concat(span, (left,) + tuple(extra))
            return BinOp(span, op, left, right)
        if kind == "unary_operator":
            inner = self.value(node.child_by_field_name("argument"), depth + 1)
            op = node.child_by_field_name("operator")
            if isinstance(inner, Num) and op is not None and self.t(op) == "-":
                return Num(span, -inner.value)
            return Unknown(span)
        if kind == "subscript":
            base = node.child_by_field_name("value")
            dotted = self.dotted(base) if base is not None else None
            key = self.value(node.child_by_field_name("subscript"), depth + 1)
            if dotted and self.qualify(dotted) == "os.environ":
                return EnvLookup(span, key)
            return Item(span, self.value(base, depth + 1), key)
        if kind == "call":
            return self.call(node, depth)
        if kind in ("list_comprehension", "generator_expression", "set_comprehension"):
            body = node.child_by_field_name("body")
            return Seq(span, (self.value(body, depth + 1),)) if body is not None else Unknown(span)
        return Unknown(span)

    def string(self, node, depth: int) -> Value:
        span = self.span(node)
        text = self.t(node)
        prefix = _STRING_PREFIX.match(text).group(0).lower()
        if "f" not in prefix and "t" not in prefix:
            # a plain literal: read it from its text, without visiting its children
            body = text[len(prefix):]
            q = 3 if body[:3] in ('"""', "'''") else 1
            body = body[q:-q] if len(body) >= 2 * q else ""
            if "\\" in body and "r" not in prefix:
                body = _ESCAPE_RE.sub(lambda m: _unescape(m.group(0)), body)
            return Str(span, body)
        parts: list[Value] = []
        text_parts: list[str] = []
        dynamic = False
        for child in node.children:
            ck = child.type
            if ck == "string_content":
                text_parts.append(self.t(child))
            elif ck == "escape_sequence":
                text_parts.append(_unescape(self.t(child)))
            elif ck == "interpolation":
                dynamic = True
                if text_parts:
                    parts.append(Str(span, "".join(text_parts)))
                    text_parts = []
                inner = child.child(1)
                parts.append(self.value(inner, depth + 1) if inner is not None else Unknown(span))
        if text_parts:
            parts.append(Str(span, "".join(text_parts)))
        if "f" in prefix and dynamic:
            return Concat(span, tuple(parts))
        return Str(span, "".join(p.value for p in parts if isinstance(p, Str)))

    def call(self, node, depth: int = 0) -> Value:
        span = self.span(node)
        func = node.child_by_field_name("function")
        args_node = node.child_by_field_name("arguments")
        args: list[Value] = []
        kwargs: list[tuple[str, Value]] = []
        star = False
        splats: list = []
        if args_node is not None:
            # named_children: one crossing into Rust instead of one per comma and parenthesis
            for child in args_node.named_children:
                ck = child.type
                if ck == "comment":
                    continue
                if ck == "keyword_argument":
                    pair = child.named_children
                    if len(pair) == 2:
                        kwargs.append((self.t(pair[0]), self.value(pair[1], depth + 1)))
                elif ck == "list_splat":
                    star = True
                    splats.append(child)
                elif ck == "dictionary_splat":
                    star = True
                else:
                    args.append(self.value(child, depth + 1))
        for child in splats:
            # `gather(*tasks)`: what is splatted is still an argument (after the positional ones)
            inner = child.named_children
            if inner:
                args.append(self.value(inner[0], depth + 1))
        if func is None:
            return Unknown(span)
        receiver: Optional[Value] = None
        dotted = self.dotted(func)
        if dotted is not None and (func.type == "identifier" or self.is_module_path(dotted)):
            callee = self.qualify(dotted)
        elif func.type == "attribute":
            attr = func.child_by_field_name("attribute")
            callee = self.t(attr) if attr else ""
            receiver = self.value(func.child_by_field_name("object"), depth + 1)
        else:
            # `Parallel(n_jobs=4)(delayed(f)(x) for x in xs)`, `requests.Session().post`
            callee = "<call>"
            receiver = self.value(func, depth + 1)
        args_t, kwargs_t = tuple(args), tuple(kwargs)
        if callee in SECRET_READERS:
            return EnvLookup(span, None)  # a keyring service or a prompt: always a secret
        if callee in ENV_READERS or (callee == "get" and _is_environ(receiver)):
            return EnvLookup(span, args_t[0] if args_t else None)
        if callee in COPIES and len(args_t) <= 1:
            # dict(base, content="record"), copy.deepcopy(base): the same entries, merged
            entries = tuple((Str(a.span, "*"), a) for a in args_t)
            return Dict(span, entries + tuple((Str(v.span, k), v) for k, v in kwargs_t), star)
        if callee == "copy" and receiver is not None and not args_t and not kwargs_t:
            return receiver  # payload.copy()
        if callee in ("str", "f_str") and len(args_t) == 1:
            return Concat(span, args_t)
        if callee == "format" and isinstance(receiver, Str):
            return Concat(span, (receiver,) + args_t + tuple(v for _, v in kwargs_t))
        if callee in ("encode", "decode") and receiver is not None:
            return receiver  # bytes and text carry the same parameters (`.encode("utf-8")`)
        if callee in ("strip", "rstrip", "lstrip") and receiver is not None and _stringy(receiver):
            return receiver
        return Call(span, callee, args_t, kwargs_t, receiver, star)

    # -- statements ---------------------------------------------------------------------
    def build(self) -> Script:
        s = self.script
        nodes = self.nodes(QUERY)
        error = first_error(self.root)
        suspect = error if error is not None else next((n for n in nodes if n.type in SUSPECT_KINDS), None)
        region = self.text[self.start:self.end]
        if suspect is not None or _py2_hint(region):
            at = self.offset(suspect.start_byte) - self.base if suspect is not None else None
            problem = syntax_problem(region, at, self.base, hard=error is not None)
            if problem is not None:
                s.syntax_error = problem
                return s
        for node in nodes:
            kind = node.type
            if kind == "call":
                self.on_call(node)
            elif kind == "assignment":
                self.on_assignment(node)
            elif kind == "as_pattern":
                self.on_as_pattern(node)
            elif kind == "function_definition":
                self.on_function(node)
            elif kind == "for_statement":
                self.add_loop("for", node)
                self.on_pairs_loop(node)
            elif kind == "while_statement":
                self.add_loop("while", node, with_condition=True)
            elif kind in ("import_statement", "import_from_statement"):
                self.on_import(node, kind)
            elif kind == "await":
                # seen before the call it awaits (pre-order): no parent() lookups, which are
                # O(depth) each in tree-sitter
                inner = node.named_children
                if inner and inner[-1].type == "call":
                    self.awaited.add(self.span(inner[-1]))
            elif kind == "return_statement":
                self.add_return(node)
            elif kind in SUSPECT_KINDS:
                continue
            else:  # comprehensions and generator expressions
                body = node.child_by_field_name("body")
                if body is not None:
                    s.loops.append(Loop("comprehension", self.span(node), self.span(body)))
        defined = {f.name for f in s.functions}
        s.sleeps.extend(w for w, name in self.waits if name not in defined)
        s.imports = set(self.imports)
        s.import_at = self.import_point()
        return s

    def import_point(self) -> int:
        """Where a new `import` line goes: after the last top-level import, else after the
        module docstring and the leading comments (shebang, encoding)."""
        if self.last_import is not None:
            return self.line_after(self.last_import)
        text, at = self.text, self.start
        for child in self.root.named_children:
            if child.type == "comment":
                continue
            if child.type == "expression_statement" and child.named_children and \
                    child.named_children[0].type == "string":
                at = self.line_after(self.span(child).end)
            break
        while text.startswith("#", at, self.end):  # shebang, encoding and licence lines stay first
            at = self.line_after(at)
        return at

    def line_after(self, offset: int) -> int:
        nl = self.text.find("\n", offset, self.end)
        return self.end if nl < 0 else nl + 1

    def on_pairs_loop(self, node) -> None:
        """`for k, v in src.items():` — remembered so that `dst[k] = v` inside copies src."""
        left, right, body = (node.child_by_field_name(f) for f in ("left", "right", "body"))
        if left is None or right is None or body is None or left.type not in ("pattern_list", "tuple_pattern"):
            return
        names = [self.t(c) for c in left.named_children if c.type == "identifier"]
        source = self.value(right)
        if len(names) == 2 and isinstance(source, Call) and source.callee == "items" and source.receiver is not None:
            self.pair_loops.append((self.span(body), names[0], names[1], source.receiver))

    def copied_pairs(self, span: Span, key: Value, value: Value) -> Optional[Value]:
        if not (isinstance(key, Name) and isinstance(value, Name)):
            return None
        for body, k, v, source in reversed(self.pair_loops):
            if body.contains(span) and (key.name, value.name) == (k, v):
                return source
        return None

    def on_import(self, node, kind: str) -> None:
        if node.parent is not None and node.parent.type == "module":
            self.last_import = self.span(node).end
        module = ""
        if kind == "import_from_statement":
            mod = node.child_by_field_name("module_name")
            module = self.t(mod) if mod is not None else ""
        for child in node.children:
            ck = child.type
            if kind == "import_from_statement" and child == node.child_by_field_name("module_name"):
                continue
            if ck == "dotted_name":
                name = self.t(child)
                if kind == "import_statement":
                    self.imports[name.partition(".")[0]] = name.partition(".")[0]
                else:
                    self.imports[name] = f"{module}.{name}"
            elif ck == "aliased_import":
                target, alias = child.child_by_field_name("name"), child.child_by_field_name("alias")
                if target is None or alias is None:
                    continue
                full = self.t(target) if kind == "import_statement" else f"{module}.{self.t(target)}"
                self.imports[self.t(alias)] = full

    def on_function(self, node) -> None:
        name, body, params = node.child_by_field_name("name"), node.child_by_field_name("body"), node.child_by_field_name("parameters")
        if name is None or body is None:
            return
        names: list[str] = []
        defaults: list[tuple[str, Value]] = []
        if params is not None:
            for p in params.children:
                pk = p.type
                if pk == "identifier":
                    names.append(self.t(p))
                elif pk in ("default_parameter", "typed_default_parameter"):
                    n, v = p.child_by_field_name("name"), p.child_by_field_name("value")
                    names.append(self.t(n) if n else "")
                    if n is not None and v is not None and v.type in LITERAL_DEFAULTS:
                        defaults.append((self.t(n), self.value(v)))
                elif pk == "typed_parameter":
                    inner = p.child(0)
                    names.append(self.t(inner) if inner is not None and inner.type == "identifier" else "")
                elif pk in ("list_splat_pattern", "dictionary_splat_pattern"):
                    names.append("*")
        owner, static = self.class_of(node)
        if owner is not None and not static and names[:1] and names[0] in RECEIVERS:
            names = names[1:]
        fname = self.t(name)
        if owner is not None and fname == "__init__":
            fname = CONSTRUCTOR
        self.function_ids += 1
        first = node.child(0)
        self.script.functions.append(FunctionDef(self.function_ids, fname, self.span(node), self.span(body),
                                                 tuple(names), first is not None and first.type == "async", owner,
                                                 tuple(defaults)))

    def class_of(self, node) -> tuple[Optional[str], bool]:
        """The class a function is defined directly in (a method) or None, and whether it is
        a staticmethod (no receiver parameter). A few parent steps per definition."""
        parent, static = node.parent, False
        if parent is not None and parent.type == "decorated_definition":
            static = any("staticmethod" in self.t(d) for d in parent.children if d.type == "decorator")
            parent = parent.parent
        if parent is None or parent.type != "block":
            return None, False
        cls = parent.parent
        if cls is None or cls.type != "class_definition":
            return None, False
        name = cls.child_by_field_name("name")
        return (self.t(name) if name is not None else ""), static

    def on_assignment(self, node) -> None:
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if left is None or right is None:
            return
        span = self.span(node)
        lk = left.type
        if lk == "identifier":
            self.locals.add(self.t(left))
            value = self.value(right)
            self.script.assigns.append(Assign(span, self.t(left), value))
            if isinstance(value, Call):
                self.bound[self.t(left)] = value.callee
        elif lk == "subscript":
            base = left.child_by_field_name("value")
            if base is not None and base.type == "identifier":
                key, value = self.value(left.child_by_field_name("subscript")), self.value(right)
                copied = self.copied_pairs(span, key, value)
                if copied is not None:  # `for k, v in src.items(): dst[k] = v` is dst.update(src)
                    self.script.assigns.append(Assign(span, self.t(base), copied, "update"))
                else:
                    self.script.assigns.append(Assign(span, self.t(base), value, "item", key))
        elif lk == "attribute":
            obj, attr = left.child_by_field_name("object"), left.child_by_field_name("attribute")
            if obj is None or attr is None:
                return
            value = self.value(right)
            target = self.t(obj)
            self.script.assigns.append(Assign(span, target, value, "attr", Str(self.span(attr), self.t(attr))))
            a = self.t(attr)
            if (a == "verify" and isinstance(value, Const) and value.value is False) or \
               (a == "check_hostname" and isinstance(value, Const) and value.value is False) or \
               (a == "verify_mode" and isinstance(value, Name) and value.name.endswith("CERT_NONE")):
                self.script.options.append(Option(self.span(right), "tls-off", target))
        elif lk in ("pattern_list", "tuple_pattern"):
            # `a, b = x`: record the names as unknown so later lookups do not see older values.
            for child in left.children:
                if child.type == "identifier":
                    self.script.assigns.append(Assign(span, self.t(child), Unknown(self.span(right))))

    def on_as_pattern(self, node) -> None:
        alias = node.child_by_field_name("alias")
        inner = node.child(0)
        if alias is None or inner is None:
            return
        target = alias.child(0) if alias.type == "as_pattern_target" else alias
        if target is None or target.type != "identifier":
            return
        value = self.value(inner)
        self.script.assigns.append(Assign(self.span(node), self.t(target), value))
        if isinstance(value, Call):
            self.bound[self.t(target)] = value.callee

    def on_call(self, node) -> None:
        value = self.value(node)
        s = self.script
        if not isinstance(value, Call):
            if isinstance(value, Dict) or isinstance(value, Concat):
                return
            return
        call = value
        callee = call.callee
        span = call.span
        receiver_name = call.receiver.name if isinstance(call.receiver, Name) else None
        receiver_type = self.bound.get(receiver_name, "") if receiver_name else ""
        if receiver_type.endswith("Curl") and receiver_name and callee in ("setopt", "perform"):
            call = self.pycurl(receiver_name, call)
        s.calls.append(CallSite(call, awaited=span in self.awaited))
        if callee in ("update", "setdefault") and receiver_name and (call.args or call.kwargs):
            # payload.update({...}) / payload.update(key=value): a dict built in steps
            if callee == "update":
                added = call.args[0] if call.args else Dict(span, tuple((Str(v.span, k), v) for k, v in call.kwargs))
                s.assigns.append(Assign(span, receiver_name, added, "update"))
            elif len(call.args) == 2:
                s.assigns.append(Assign(span, receiver_name, call.args[1], "item", call.args[0]))
        if callee in SLEEPS:
            s.sleeps.append(Sleep(span, call.args[0] if call.args else call.kwarg("seconds") or call.kwarg("delay")))
            return
        last = callee.rpartition(".")[2]
        if SLEEP_LIKE.search(last) or (last == "wait" and WAIT_RECEIVER.search(self.t(node.child_by_field_name("function")))):
            self.waits.append((Sleep(span, None), last if call.receiver is None else None))
        if callee in TLS_OFF_CALLS and callee.startswith("ssl."):
            s.options.append(Option(span, "tls-off"))
        # output
        if callee in PRINTS:
            s.outputs.append(Output(span, "print", call.args))
            return
        if callee.startswith("logging.") and callee.rpartition(".")[2] in LOG_METHODS:
            s.outputs.append(Output(span, "log", call.args))
            return
        if call.receiver is not None and callee in LOG_METHODS and _loggerish(call.receiver, receiver_type):
            s.outputs.append(Output(span, "log", call.args))
            return
        if call.receiver is not None and callee in FILE_WRITES:
            s.outputs.append(Output(span, "file", call.args))
            return
        if callee in ("json.dump", "pickle.dump", "yaml.dump", "yaml.safe_dump") and len(call.args) >= 2:
            s.outputs.append(Output(span, "file", call.args[:1]))
            return
        # concurrency
        if callee in GATHERS:
            s.dispatches.append(Dispatch(span, "gather", call.args))
            return
        if call.receiver is not None and callee in POOL_METHODS and _executorish(call.receiver, receiver_type):
            target = call.args[:1] or tuple(v for k, v in call.kwargs if k in ("fn", "func"))
            s.dispatches.append(Dispatch(span, "pool", target, call.receiver))
            return
        if call.receiver is not None and callee in ("create_task", "start_soon", "start") and \
                receiver_type in TASK_GROUPS:
            s.dispatches.append(Dispatch(span, "task-group", call.args[:1]))
            return
        if callee == "run_in_executor" and len(call.args) >= 2:
            s.dispatches.append(Dispatch(span, "executor", call.args[1:2]))
            return
        if callee in THREAD_TARGETS and call.kwarg("target") is not None:
            s.dispatches.append(Dispatch(span, "thread", (call.kwarg("target"),)))
            return
        if callee == "<call>" and isinstance(call.receiver, Call) and \
                call.receiver.callee in ("joblib.Parallel", "Parallel"):
            s.dispatches.append(Dispatch(span, "joblib", call.args, call.receiver))
            return
        if callee == "do" and call.args and isinstance(call.receiver, Attr) and call.receiver.attr in SCHEDULE_UNITS \
                and isinstance(call.receiver.base, Call) and call.receiver.base.callee in ("schedule.every", "every"):
            # schedule.every(10).seconds.do(job): job runs for ever, that far apart — a loop each
            # pass of which waits the interval (the loop running run_pending() only drives it)
            every = call.receiver.base
            n = every.args[0] if every.args else Num(every.span, 1)
            s.loops.append(Loop("interval", span, span, forever=True))
            s.sleeps.append(Sleep(every.span, BinOp(every.span, "*", n, Num(every.span, SCHEDULE_UNITS[call.receiver.attr]))))
            self.iteration_over(call.args[0], call.args[0].span, loop=False)
            return
        # higher-order iteration: map(f, xs), series.apply(f)
        fn: Optional[Value] = None
        if callee in ITERATORS and call.receiver is None and len(call.args) >= 2:
            fn = call.args[0]
        elif call.receiver is not None and callee in ITER_METHODS and (call.args or call.kwarg("func")):
            if not _executorish(call.receiver, receiver_type):
                fn = call.args[0] if call.args else call.kwarg("func")
        if fn is not None:
            self.iteration_over(fn, span)

    def pycurl(self, handle: str, call: Call) -> Call:
        """`c.setopt(pycurl.URL, u)` … `c.perform()`: the request is the perform."""
        if call.callee == "setopt" and len(call.args) == 2:
            opt = call.args[0]
            name = opt.attr if isinstance(opt, Attr) else opt.name.rpartition(".")[2] if isinstance(opt, Name) else ""
            self.curl.set(handle, name, call.args[1])
            return call
        return self.curl.request(call.span, "pycurl.perform", handle)

    def iteration_over(self, fn: Value, span: Span, loop: bool = True) -> None:
        """`fn` run once per element of an iteration at `span` (`loop=False`: the loop is
        already modelled)."""
        s = self.script
        if isinstance(fn, Name):
            if loop:
                s.loops.append(Loop("map", span, fn.span))
            s.calls.append(CallSite(Call(fn.span, fn.name), reference=True))
        elif isinstance(fn, Unknown) and loop:
            # a lambda: its body runs once per element
            s.loops.append(Loop("map", span, fn.span))


def _is_environ(value: Optional[Value]) -> bool:
    return isinstance(value, Name) and value.name == "os.environ"


def _stringy(value: Value) -> bool:
    return isinstance(value, (Str, Concat))


def _flatten(value: Value) -> tuple[Value, ...]:
    return value.parts if isinstance(value, Concat) else (value,)


def _loggerish(receiver: Value, bound: str) -> bool:
    if bound.endswith("getLogger") or bound.startswith("logging"):
        return True
    text = receiver.name if isinstance(receiver, Name) else (receiver.attr if isinstance(receiver, Attr) else "")
    return "log" in text.lower()


def _executorish(receiver: Value, bound: str) -> bool:
    if bound in EXECUTORS or bound.rpartition(".")[2] in ("ThreadPoolExecutor", "ProcessPoolExecutor", "Pool", "ThreadPool"):
        return True
    if isinstance(receiver, Call):
        return receiver.callee in EXECUTORS
    return False


_ESCAPE_RE = re.compile(r"\\.")
_ESCAPES = {"\\n": "\n", "\\t": "\t", "\\\\": "\\", "\\'": "'", '\\"': '"'}


def _unescape(text: str) -> str:
    return _ESCAPES.get(text, text)


def build(source: Document, start: int = 0, end: Optional[int] = None, first_id: int = 0) -> Script:
    """The front-end contract: Document → Script (never raises for bad input). `start`/`end`
    select one region of the document (a knitr chunk, a notebook cell), parsed on its own."""
    return _Builder(source, start, end, first_id).build()
