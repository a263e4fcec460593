"""Language-neutral passes over a Script: scopes, name resolution, API-call recognition, the
call graph and what one iteration executes. Rules read the `Facts` built here.

Nothing here knows a language: front ends emit qualified callee names and plain values, and
which callee is a REDCap request comes from `rules/data/clients.toml`.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterator, NamedTuple, Optional

from redcaplint.model import (
    CONSTRUCTOR, ApiCall, ApiParam, Assign, Batching, IterKind, Link, LinkKind, Timeout, Attr, BinOp, Call, CallSite, Concat, Const, Dict, Dispatch,
    EnvLookup, FunctionDef, Item, Loop, Name, Num, Param, Return, Script, Seq, Sleep, Span, Str,
    Unknown, Value,
)
from redcaplint.formdata import form_fields
from redcaplint.frontends import idioms

MAX_RESOLVE_DEPTH = 24
FORM_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\[[A-Za-z0-9_]*\])?=")  # `token=`, `records[0]=`
INDEXED_PARAM = re.compile(r"^(\w+)\[\d*\]$")
_PLAIN = frozenset((Str, Num, Const, EnvLookup))


def _plain(value: Value) -> bool:
    """A value that means the same in every scope: a literal, an environment read, or a dict
    of them."""
    if value.__class__ is Dict:
        return all(_plain(k) and _plain(v) for k, v in value.entries)
    return value.__class__ in _PLAIN


def _lent(value: Value, fn: FunctionDef, bound: dict[str, Value]) -> Value:
    """A helper's value as its caller sees it: a parameter is what the call passes, a plain
    value is itself, any other name of the helper is unknown to the caller."""
    if value.__class__ is Name and value.name in fn.params:
        return bound.get(value.name, Unknown(value.span))
    return value if _plain(value) else Unknown(value.span)


_LITERALS = frozenset((Str, Num, Const, Dict, Seq, Concat, BinOp, EnvLookup, Unknown))  # resolve() returns these as they are


@lru_cache(maxsize=1)
def _data() -> dict:
    from redcaplint.rules import load_data

    return {"clients": load_data("clients"), "api": load_data("api")}


@dataclass
class HttpLibrary:
    """One raw HTTP library's request shape, read from its clients.toml entry: where each
    role (url, payload, query, timeout, verify, options, …) sits in a call."""

    name: str
    functions: dict[str, tuple[str, ...]]  # function -> positional parameter names
    methods: dict[str, tuple[str, ...]]  # session method -> positional parameter names
    roles: dict[str, str]  # parameter name -> role
    request_objects: dict[str, tuple[str, ...]]
    builder: dict[str, list]
    unnamed_keywords: Optional[str] = None
    timeout_constructors: tuple[str, ...] = ()
    option_timeouts: tuple[str, ...] = ()
    timeout_argument: Optional[str] = None  # what a fix adds where no timeout is given
    default_timeout: bool = False

    @classmethod
    def from_table(cls, name: str, spec: dict) -> "HttpLibrary":
        return cls(name, {k: tuple(v) for k, v in spec.get("functions", {}).items()},
                   {k: tuple(v) for k, v in spec.get("methods", {}).items()}, dict(spec.get("roles", {})),
                   {k: tuple(v) for k, v in spec.get("request_objects", {}).items()}, spec.get("builder", {}),
                   spec.get("unnamed_keywords"), tuple(spec.get("timeout_constructors", ())),
                   tuple(spec.get("option_timeouts", ())), spec.get("timeout_argument"),
                   spec.get("default_timeout", False))

    def keys(self, role: str) -> tuple[str, ...]:
        """The parameter names that play `role`, in the table's order (indexed once: asked
        for several roles of every request)."""
        by_role = self.__dict__.get("_by_role")
        if by_role is None:
            by_role = self.__dict__["_by_role"] = {}
            for k, r in self.roles.items():
                by_role[r] = by_role.get(r, ()) + (k,)
        return by_role.get(role, ())


def bound_arguments(call: Call, signature: tuple[str, ...]) -> dict[str, Value]:
    """A call's arguments by parameter name: positional ones named by the signature."""
    out = {signature[i]: arg for i, arg in enumerate(call.args[:len(signature)])}
    for key, value in call.kwargs:
        out.setdefault(key, value)
    return out


@dataclass
class Surface:
    """The call surfaces of one language, indexed for lookups."""

    http_functions: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)  # callee -> (lib, signature)
    http_sessions: dict[str, str] = field(default_factory=dict)  # session constructor -> lib
    http: dict[str, HttpLibrary] = field(default_factory=dict)
    client_ctors: dict[str, str] = field(default_factory=dict)
    clients: dict[str, dict] = field(default_factory=dict)
    distinctive: dict[str, str] = field(default_factory=dict)  # method -> lib
    client_functions: dict[str, tuple[str, str]] = field(default_factory=dict)  # callee -> (lib, fn)


@lru_cache(maxsize=None)
def surface(language: str) -> Surface:
    table = _data()["clients"].get(language, {})
    s = Surface()
    for lib, spec in table.get("http", {}).items():
        http = s.http[lib] = HttpLibrary.from_table(lib, spec)
        for fn, signature in http.functions.items():
            s.http_functions[fn] = (lib, signature)
        for ctor in spec.get("sessions", []):
            s.http_sessions[ctor] = lib
    for lib, spec in table.get("clients", {}).items():
        s.clients[lib] = spec
        for ctor in spec.get("constructors", []):
            s.client_ctors[ctor] = lib
        for method in spec.get("distinctive", []):
            s.distinctive.setdefault(method, lib)
        for fn in spec.get("functions", {}):
            # function-style clients (R): `pkg::fun`, the package being the table's name
            s.client_functions[f"{lib}::{fn}"] = (lib, fn)
    return s


@dataclass
class ClientCtor:
    """A REDCap client constructed (`Project(url, token)`); `url` and `token` are the
    arguments written there, by position or by the library's keyword."""

    span: Span
    library: str
    call: Call
    scope: int
    url: Optional[Value] = None
    token: Optional[Value] = None

    @classmethod
    def of(cls, call: Call, lib: str, spec: dict, scope: int) -> "ClientCtor":
        args = _param_names(spec.get("constructor_args", []), call, spec.get("params", {}))
        return cls(call.span, lib, call, scope, args.get("url"), args.get("token"))


class Transport(NamedTuple):
    """A call that opens or uses a connection, and the keywords that turn TLS checks off;
    `positional` names its positional arguments where the library's signature is known
    (PHPCap's `new RedCapProject($url, $token, false)`: the third is `sslVerify`)."""

    call: Call
    verify_keywords: tuple[str, ...]
    positional: tuple[str, ...] = ()

    def verify_arguments(self) -> Iterator[tuple[str, Value]]:
        """The arguments, by keyword or by position, that say whether TLS checks are on."""
        for name, value in zip(self.positional, self.call.args):
            if name in self.verify_keywords:
                yield name, value
        for key, value in self.call.kwargs:
            if key in self.verify_keywords:
                yield key, value


class LocalCall(NamedTuple):
    """A call of a same-file function or method."""

    site: CallSite
    caller: int  # the calling scope (function id; 0 for the module)
    callee: int  # the called function's id


class Event(NamedTuple):
    """What one iteration does that reaches the API: a request, or a helper call that makes one."""

    anchor: Span
    api: Optional[ApiCall]
    helper: Optional[int]  # the helper's function id


@dataclass
class Facts:
    api_calls: list[ApiCall]
    reaches_api: dict[int, bool]  # function id -> makes an API call, directly or via helpers
    sleeps_in: dict[int, list[Sleep]]  # function id -> sleeps it (transitively) executes
    iterations: list["Iteration"]
    local_calls: list[LocalCall]
    callees: dict[int, set[int]]
    ctors: list[ClientCtor] = field(default_factory=list)
    transports: list[Transport] = field(default_factory=list)
    analysis: Optional["Analysis"] = None

    @classmethod
    def empty(cls, script: Script) -> "Facts":
        """For a script that did not parse: no calls, loops or graph (token scan only)."""
        return cls([], {}, {}, [], [], {}, analysis=Analysis(script))


@dataclass
class Iteration:
    loop: Optional[Loop]  # None for recursion
    span: Span
    scope: int
    events: list[Event]
    sleeps: list[Sleep]

    @property
    def first(self) -> Span:
        return min((e.anchor for e in self.events), key=lambda s: s.start)


class Nest:
    """Properly nested spans (function bodies, loop bodies) indexed for "innermost span
    containing this position" in O(log n + depth), not O(n): a parent pointer per span."""

    def __init__(self, items: list, span_of) -> None:
        self.items = sorted(items, key=lambda x: (span_of(x).start, -span_of(x).end))
        self.spans = [span_of(x) for x in self.items]
        self.starts = [sp.start for sp in self.spans]
        self.parent: list[int] = []
        stack: list[int] = []
        for i, sp in enumerate(self.spans):
            while stack and not self.spans[stack[-1]].contains(sp):
                stack.pop()
            self.parent.append(stack[-1] if stack else -1)
            stack.append(i)

    def innermost(self, span: Span) -> int:
        """The index of the innermost item containing span, or -1."""
        i = bisect.bisect_right(self.starts, span.start) - 1
        # the last span starting before `span` may be a finished sibling: climb to an ancestor
        spans, parent, end = self.spans, self.parent, span.end
        while i >= 0 and spans[i].end < end:
            i = parent[i]
        return i

    def chain(self, span: Span) -> Iterator:
        """The items containing span, innermost first."""
        i = self.innermost(span)
        while i >= 0:
            yield self.items[i]
            i = self.parent[i]


class Analysis:
    """Scopes, name lookups and resolved facts of one Script, computed once."""

    def __init__(self, script: Script) -> None:
        self.script = script
        self.surface = surface(script.language)
        self.idioms = idioms(script.language)
        self.functions = sorted(script.functions, key=lambda f: f.span.start)
        self._fn_nest = Nest(self.functions, lambda f: f.body)
        self.by_id = {f.id: f for f in self.functions}
        self.by_name: dict[str, FunctionDef] = {}
        self.methods: dict[str, FunctionDef] = {}  # methods of same-file classes, by name
        for f in self.functions:
            if f.owner is None:
                self.by_name.setdefault(f.name, f)
            else:
                self.methods.setdefault(f.name, f)
        for name, f in self.methods.items():
            self.by_name.setdefault(name, f)
        self.method_of = {(f.owner, f.name): f for f in reversed(self.functions) if f.owner is not None}
        self.classes = {f.owner for f in self.functions if f.owner}
        self.returns: dict[int, list] = {}
        for r in script.returns:
            self.returns.setdefault(self.scope_of(r.span), []).append(r)
        self.parent: dict[int, int] = {f.id: self.scope_of(f.span) for f in self.functions}
        self.assigns: dict[tuple[int, str], list[Assign]] = {}
        for a in script.assigns:
            self.assigns.setdefault((self.scope_of(a.span), a.target), []).append(a)
        self._rehome_closure_changes()
        self.attr_assigns: dict[str, list[tuple[Assign, int]]] = {}  # `x.attr = v`, by attr
        for (sc, _), items in self.assigns.items():
            for a in items:
                if a.kind == "attr" and isinstance(a.key, Str):
                    self.attr_assigns.setdefault(a.key.value, []).append((a, sc))
        self._sets: dict[tuple[int, str], tuple[list[int], list[Assign]]] = {}
        self._muts: dict[tuple[int, str], tuple[list[int], list[Assign]]] = {}
        for key, items in self.assigns.items():
            items.sort(key=lambda a: a.span.start)
            sets = [a for a in items if a.kind == "set"]
            self._sets[key] = ([a.span.start for a in sets], sets)
            muts = [a for a in items if a.kind in ("item", "update")]
            if muts:  # changes in steps, found by bisection (a name set 2,000 times is common)
                self._muts[key] = ([a.span.start for a in muts], muts)
        self.loops = sorted(script.loops, key=lambda l: l.span.start)
        self._loop_nest = Nest(self.loops, lambda l: l.body)
        self._loop_scope = {id(l): self.scope_of(l.span) for l in self.loops}
        self._dispatch_nest = Nest(script.dispatches, lambda d: d.span)
        self.created_spans: set[Span] = set()  # project-creation calls (their result is a token)
        self._lend_parameter_changes()

    def _lend_parameter_changes(self) -> None:
        """`self.add_fields(payload)`, where the same-file function changes its parameter in
        place (`p["fields[0]"] = f`, `p.update(…)`): from the call on, the caller's `payload`
        has those changes. Literal keys and values are kept, the helper's parameters become
        what this call passes (or their defaults); its other names mean nothing in the caller,
        so they stay unknown."""
        changed: dict[int, dict[str, list[Assign]]] = {}
        for (scope, name), items in self.assigns.items():
            fn = self.by_id.get(scope)
            if fn is not None and name in fn.params and (fn.in_place is None or name in fn.in_place) \
                    and not any(a.kind == "set" for a in items):
                muts = [a for a in items if a.kind in ("item", "update")]
                if muts:
                    changed.setdefault(scope, {})[name] = muts
        if not changed:
            return
        lent: dict[tuple[int, str], list[Assign]] = {}
        for site in self.script.calls:
            call = site.call
            if site.reference or not (call.args or call.kwargs):
                continue
            fn = self.local_target(call)
            params = changed.get(fn.id) if fn is not None else None
            if not params:
                continue
            scope = self.scope_of(call.span)
            bound = self.bind(fn, call, with_defaults=True)
            for param, arg in bound.items():
                if param not in params or not isinstance(arg, Name):
                    continue
                for m in params[param]:
                    key = m.key if m.key is None else _lent(m.key, fn, bound)
                    value = _lent(m.value, fn, bound)
                    # at the call: the caller's later reads see the change
                    lent.setdefault((scope, arg.name), []).append(Assign(call.span, arg.name, value, m.kind, key))
        for key, extra in lent.items():
            _, muts = self._muts.get(key, ([], []))
            merged = sorted(muts + extra, key=lambda a: a.span.start)
            self._muts[key] = ([a.span.start for a in merged], merged)

    def _rehome_closure_changes(self) -> None:
        """`dst[k] = v` inside a callback (`Object.entries(src).forEach(([k, v]) => …)`, a
        nested def) changes the enclosing function's `dst`: such changes of a name the inner
        scope neither sets nor takes as a parameter belong to the scope that defines it."""
        defined = {key for key, items in self.assigns.items() if any(a.kind == "set" for a in items)}

        def defines(scope: int, name: str) -> bool:
            return (scope, name) in defined or (scope != 0 and name in self.by_id[scope].params)

        for (scope, name) in list(self.assigns):
            if scope == 0 or defines(scope, name):
                continue
            outer = self.parent.get(scope, 0)
            while outer and not defines(outer, name):
                outer = self.parent.get(outer, 0)
            if not defines(outer, name):
                continue
            items = self.assigns[(scope, name)]
            moved = [a for a in items if a.kind in ("item", "update")]
            if moved:
                self.assigns.setdefault((outer, name), []).extend(moved)
                rest = [a for a in items if a.kind not in ("item", "update")]
                if rest:
                    self.assigns[(scope, name)] = rest
                else:
                    del self.assigns[(scope, name)]

    # -- scopes ---------------------------------------------------------------------------
    def scope_of(self, span: Span) -> int:
        """Innermost function whose body contains span (0: module)."""
        i = self._fn_nest.innermost(span)
        return self._fn_nest.items[i].id if i >= 0 else 0

    def loops_around(self, span: Span, scope: int) -> Iterator[Loop]:
        """Loops of the same scope whose body contains span, innermost first (a function
        defined inside a loop body does not run once per iteration)."""
        for loop in self._loop_nest.chain(span):
            if loop.span == span:
                continue
            if self._loop_scope[id(loop)] != scope:
                return
            yield loop

    def loop_of(self, span: Span, scope: int) -> Optional[Loop]:
        for loop in self.loops_around(span, scope):
            return loop
        return None

    def mounted_timeouts(self) -> set:
        """Sessions given an adapter that sets a timeout: `s.mount("https://", Adapter(timeout=30))`,
        as the constructor call that made the session where it is visible (a factory's
        session is the one its callers use), else as the name the mount is made on."""
        found = getattr(self, "_mounted", None)
        if found is None:
            found = self._mounted = set()
            for site in self.script.calls:
                c = site.call
                if c.callee == self.idioms["adapter_mount"] and c.receiver is not None and any(
                        isinstance(a, Call) and a.kwarg("timeout") is not None for a in c.args):
                    ctor = _receiver_ctor(self, c, self.scope_of(c.span))
                    found.add(ctor.span if ctor is not None else _receiver_key(c.receiver))
        return found

    def calls_to(self, fn: FunctionDef) -> list[CallSite]:
        """Call sites of a same-file function or method (`helper(x)`, `self._post(x)`,
        `client.fetch(x)` on an instance of a same-file class)."""
        index = getattr(self, "_calls_of", None)
        if index is None:
            index = {}
            for site in self.script.calls:
                target = None if site.reference else self.local_target(site.call)
                if target is not None:
                    index.setdefault(target.id, []).append(site)
            self._calls_of = index
        return index.get(fn.id, [])

    def local_target(self, call: Call, depth: int = 0) -> Optional[FunctionDef]:
        """The same-file function a call runs: by name, or a method through a receiver that
        is not known to be another library's object (`self`, an instance of a same-file
        class, a parameter)."""
        if call.receiver is None:
            fn = self.by_name.get(call.callee)
            if fn is not None and fn.owner is None:
                return fn
            return self.method_of.get((call.callee, CONSTRUCTOR))  # a same-file class's constructor
        fn = self.methods.get(call.callee)
        if fn is None or depth > 2:
            return None
        receiver = self.resolve(call.receiver, self.scope_of(call.span))
        if isinstance(receiver, Call):
            if receiver.callee in self.classes:
                return self.method_of.get((receiver.callee, call.callee), fn)
            if receiver.receiver is not None or self.local_target(receiver, depth + 1) is None:
                return None  # a method of some library's object (`requests.Session().post`)
        return fn

    def bind(self, fn: FunctionDef, call: Call, with_defaults: bool = False) -> dict[str, Value]:
        """The arguments a call passes, by the function's parameter names; with the literal
        defaults of those it omits when asked (a helper's request judged at this call: not
        for sleep lengths, which a default alone does not make known)."""
        out: dict[str, Value] = dict(fn.defaults) if with_defaults and not call.star else {}
        for i, p in enumerate(fn.params):
            if i < len(call.args) and p != "*":
                out[p] = call.args[i]
        for k, v in call.kwargs:
            out[k] = v
        # keywords the function does not name, where its next positional parameter is free,
        # are the object passed there: a front end spreads a trailing options object into
        # keywords (`this.request({content: "record"})`, whose `request(params)` takes it)
        unnamed = [(k, v) for k, v in call.kwargs if k not in fn.params]
        at = len(call.args)
        if unnamed and at < len(fn.params) and fn.params[at] not in ("*", "") and fn.params[at] not in dict(call.kwargs):
            out[fn.params[at]] = Dict(call.span, tuple((Str(v.span, k), v) for k, v in unnamed), call.star)
        return out

    def returned(self, call: Call, depth: int) -> Optional[tuple[FunctionDef, Return]]:
        """The return of a same-file function a call runs (its only one, or the last of
        several that agree in kind)."""
        fn = self.local_target(call) if depth < MAX_RESOLVE_DEPTH // 2 else None
        if fn is None or fn.name == CONSTRUCTOR:
            return None
        found = self.returns.get(fn.id)
        if not found:
            return None
        kinds = {r.value.__class__ for r in found}
        if len(kinds) != 1:
            return None
        return fn, found[-1]

    def added_to(self, name: str, scope: int) -> list[Value]:
        """What `name.append(x)` (the language's list adds) put into the list `name` of this
        scope: `tasks.append(fetch_one(i))` in a loop, gathered later as `gather(*tasks)`."""
        found = getattr(self, "_added", None)
        if found is None:
            adds = self.idioms["collection_adds"]
            # an added task that is a dispatch of its own (`asyncio.create_task(…)`, a promise
            # started per element) is that dispatch's concurrency, not the gather's
            own = {d.span for d in self.script.dispatches}
            found = self._added = {}
            for site in self.script.calls:
                call = site.call
                if call.__class__ is Call and call.receiver.__class__ is Name and call.callee in adds:
                    found.setdefault((self.scope_of(call.span), call.receiver.name), []).extend(
                        a for a in call.args if a.span not in own)
        return found.get((scope, name), [])

    def dispatches_around(self, span: Span) -> Iterator[Dispatch]:
        """The dispatches whose span contains span (or is it), innermost first."""
        return self._dispatch_nest.chain(span)

    def dispatched(self, span: Span) -> bool:
        return any(d.covers(span) for d in self.dispatches_around(span))

    # -- names ----------------------------------------------------------------------------
    def lookup(self, name: str, scope: int, pos: int, depth: int = 0) -> Optional[tuple[Value, int, int]]:
        """The value last assigned to `name` before `pos`, with mutations applied; falls back
        to parameters and enclosing scopes. Returns (value, scope, position)."""
        while True:
            found = self._sets.get((scope, name))
            if found is not None:
                starts, sets = found
                i = bisect.bisect_left(starts, pos) - 1
                # `x = {**x, …}`, `$x = array_merge($x, …)`: the value is read before the
                # assignment binds, so it reads the x bound before this one
                while i >= 0 and pos < sets[i].span.end:
                    i -= 1
                base = sets[i] if i >= 0 else (sets[-1] if scope == 0 and sets and not sets[-1].span.contains(Span(pos, pos)) else None)
                if base is not None:
                    value = base.value
                    muts = self.mutations((scope, name), base.span.start, pos if scope else 1 << 60)
                    if muts and depth < MAX_RESOLVE_DEPTH:
                        if not isinstance(value, Dict):
                            # a copy changed in steps: `p = base.copy(); p["content"] = …`
                            value = self.resolve(value, scope, base.span.start, depth + 1)
                        if isinstance(value, Param):
                            # a copy of a parameter (`data = payload.copy(); data["token"] = t`):
                            # the caller's payload, merged, then the changes
                            value = Dict(value.span, ((Str(value.span, "*"), value),))
                        if isinstance(value, Dict):
                            value = self._mutate(value, muts, scope, depth)
                    return value, scope, base.span.end
            if not scope:
                return None
            fn = self.by_id[scope]
            if name in fn.params:
                return Param(fn.span, fn.id, name, fn.params.index(name)), scope, pos
            scope = self.parent.get(scope, 0)
            pos = 1 << 60

    def mutations(self, key: tuple[int, str], after: int, before: int) -> list[Assign]:
        """`x[k] = v` / `x.update(…)` of one name between two positions."""
        found = self._muts.get(key)
        if found is None:
            return []
        starts, muts = found
        return muts[bisect.bisect_right(starts, after):bisect.bisect_left(starts, before)]

    def _mutate(self, base: Dict, muts: list[Assign], scope: int, depth: int = 0) -> Dict:
        entries = list(base.entries)
        is_open = base.open
        for m in muts:
            if m.kind == "item" and m.key is not None:
                entries.append((m.key, m.value))
            elif m.kind == "update":
                added = m.value if isinstance(m.value, Dict) else self.resolve(m.value, scope, m.span.start, depth + 1)
                if isinstance(added, Dict):
                    entries.extend(added.entries)
                    is_open = is_open or added.open
                elif isinstance(added, Param):
                    # `p.update(opts)` in a payload builder: kept as a merged part, so that a
                    # caller's literal `opts` fills it (unknown keys until then)
                    entries.append((Str(m.span, "*"), added))
                elif not _is_null(added):  # merging None adds nothing (`overrides=None` left out)
                    is_open = True
        return Dict(base.span, tuple(entries), is_open)

    def resolve(self, value: Value, scope: int, pos: Optional[int] = None, depth: int = 0,
                env: Optional[dict] = None) -> Value:
        """Follow names to their values (shallowly: containers are resolved by callers that
        need their items, through `items`)."""
        if pos is None:
            pos = value.span.start
        while depth < MAX_RESOLVE_DEPTH:
            # the hottest function of the analysis: one class read, identity tests (the model's
            # value classes are never subclassed); literals, the common case, leave at once
            cls = value.__class__
            if cls in _LITERALS:
                return value
            if cls is Name:
                found = self.lookup(value.name, scope, pos, depth)
                if found is None:
                    return value
                value, scope, pos = found
                depth += 1
                continue
            if cls is Attr:
                # `self.base_payload`: an attribute assigned once in the file is that value
                found = self.attr_assigns.get(value.attr)
                if not found or len(found) != 1 or found[0][0].span.contains(value.span):
                    # `params.content`: a property of an object literal the linter can see
                    # (a caller's, through a parameter)
                    base, scope = self._container(value.base, scope, pos, depth, env)
                    entry = next((v for k, v in reversed(base.entries) if isinstance(k, Str) and k.value == value.attr),
                                 None) if isinstance(base, Dict) else None
                    if entry is None:
                        return value
                    value, pos, depth = entry, entry.span.start, depth + 1
                    continue
                a, sc = found[0]
                value, scope, pos, depth = a.value, sc, a.span.start, depth + 1
                continue
            if cls is Item:
                # `cfg["token"]`: the entry of a dict the linter can see
                key = self.resolve(value.key, scope, pos, depth + 1, env=env)
                base, scope = self._container(value.base, scope, pos, depth, env)
                if not isinstance(base, Dict) or not isinstance(key, Str):
                    return value
                entry = next((v for k, v in reversed(base.entries) if isinstance(k, Str) and k.value == key.value), None)
                if entry is None:
                    return value
                value, pos, depth = entry, entry.span.start, depth + 1
                continue
            if cls is Call:
                # a same-file function's result: what it returns (a session factory)
                found = self.returned(value, depth)
                if found is None:
                    return value
                fn, ret = found
                inner = self.resolve(ret.value, fn.id, ret.span.start, depth + 1)
                bound = self.bind(fn, value)
                if isinstance(inner, Param) and inner.function == fn.id:
                    arg = bound.get(inner.name)  # `return session` given by the caller
                    if arg is None:
                        return value
                    value, depth = arg, depth + 1
                    continue
                if isinstance(inner, Dict):
                    # a payload builder: its entries read in its own scope, its parameters
                    # replaced by what this caller passes
                    entries = []
                    for k, v in inner.entries:
                        rv = self.resolve(v, fn.id, ret.span.start, depth + 1)
                        if isinstance(rv, Param) and rv.function == fn.id:
                            rv = bound.get(rv.name, rv)
                        entries.append((k, rv))
                    return Dict(inner.span, tuple(entries), inner.open)
                return inner
            if cls is Param:
                muts = self.mutations((value.function, value.name), -1, pos)
                bound = env.get((value.function, value.name)) if env is not None else None
                if bound is not None:
                    outer = self.resolve(bound[0], bound[1], depth=depth + 1)
                    if muts and isinstance(outer, Dict):
                        return self._mutate(outer, muts, value.function)
                    if muts:
                        return self._mutate(Dict(value.span, (), True), muts, value.function)
                    return outer
                if muts:
                    return self._mutate(Dict(value.span, (), True), muts, value.function)
            return value
        return Unknown(value.span)

    def _container(self, base: Value, scope: int, pos: int, depth: int, env: Optional[dict]) -> tuple[Value, int]:
        """What `base[...]` / `base.attr` reads, and the scope its entries are written in: a
        caller's dict passed for a parameter has its names in the caller's scope."""
        raw = self.resolve(base, scope, pos, depth + 1)
        if env is None:
            # what the second resolve below would give: resolving it again for every level of
            # `a.b.c.d` made a chain cost 2^depth
            return raw, scope
        bound = env.get((raw.function, raw.name)) if isinstance(raw, Param) else None
        if bound is not None and not self.mutations((raw.function, raw.name), -1, pos):
            return self.resolve(bound[0], bound[1], depth=depth + 1, env=env), bound[1]
        return self.resolve(base, scope, pos, depth + 1, env=env), scope

    def body(self, value: Value, scope: int, env: Optional[dict] = None) -> Value:
        """A request body resolved, through a form encoder (`urlencode(payload)`): what
        carries its parameters."""
        value = self.resolve(value, scope, env=env)
        if isinstance(value, Call) and value.args and value.callee.rpartition(".")[2] in self.idioms["form_encoders"]:
            value = self.resolve(value.args[0], scope, env=env)
        return value

    def dict_entries(self, value: Value, scope: int, env: Optional[dict] = None,
                     depth: int = 0) -> Optional[tuple[dict[str, tuple[Value, Value]], bool]]:
        """Resolve a payload to {parameter: (resolved value, site value)} and `open`."""
        value = self.body(value, scope, env)
        if isinstance(value, Call) and value.callee in self.idioms["pair_views"] and value.receiver is not None:
            value = self.resolve(value.receiver, scope, env=env)
        if isinstance(value, (Str, Concat)):
            value = self._form_body(value, scope, env)
        if not isinstance(value, Dict) or depth > 4:
            return None
        out: dict[str, tuple[Value, Value]] = {}
        is_open = value.open
        for key, site in value.entries:
            if isinstance(key, Str) and key.value.startswith("*"):  # `**base`, or a merged body part
                part = self.dict_entries(site, scope, env, depth + 1)
                if part is None and _is_null(self.resolve(site, scope, env=env)):
                    continue  # merging None/NULL adds nothing (`modifyList(x, NULL)`, an omitted `opts=None`)
                if part is None:
                    is_open = True  # unknown keys may come from it
                    continue
                # merged in order: a later part overrides (`{**base, **extra}`, modifyList,
                # a later `c()` element — PHP, which REDCap runs on, keeps a repeated key's last value)
                out.update(part[0])
                is_open = is_open or part[1]
                continue
            key_v = self.resolve(key, scope, env=env)
            if not isinstance(key_v, Str):
                is_open = True
                continue
            name = key_v.value
            m = INDEXED_PARAM.match(name)
            if m:
                name = m.group(1)
            if m is None:
                out[name] = (self.resolve(site, scope, env=env), site)
            elif name not in out:  # `fields[0]`, `fields[1]`: the first one stands for the list
                out[name] = (self.resolve(site, scope, env=env), site)
        return out, is_open

    def _form_body(self, value: Value, scope: int, env: Optional[dict]) -> Optional[Dict]:
        """A body written as a form-encoded string (`f"token={t}&content=record"`, a JS
        template, `"token=" + t + "&content=…"`, curl's `-d $DATA$ID`): its fields, when every
        key is a name."""
        parts = list(value.parts) if isinstance(value, Concat) else [value]
        if not parts:
            return None
        if isinstance(parts[0], Name):  # a variable holding the form's beginning
            head = self.resolve(parts[0], scope, env=env)
            parts[:1] = head.parts if isinstance(head, Concat) else (head,)
            value = Concat(value.span, tuple(parts)) if len(parts) > 1 else parts[0]
        head = parts[0]
        if not (isinstance(head, Str) and FORM_KEY.match(head.value)):
            return None
        entries: list = []
        opened = form_fields(value, "&", entries, self.script.source.code_text)
        if not entries or not all(FORM_KEY.match(k.value + "=") for k, _ in entries):
            return None
        return Dict(value.span, tuple(entries), opened)

    def str_value(self, value: Value, scope: int, env: Optional[dict] = None) -> Optional[str]:
        v = self.resolve(value, scope, env=env)
        return v.value if isinstance(v, Str) else None

    def number(self, value: Optional[Value], scope: int, depth: int = 0, env: Optional[dict] = None) -> Optional[float]:
        """Constant folding for sleep lengths: literals, constants, + - * / //; with `env`, a
        helper's parameters as one caller passes them."""
        if value is None or depth > 12:
            return None
        v = self.resolve(value, scope, env=env)
        if isinstance(v, Num):
            return v.value
        if isinstance(v, BinOp):
            a, b = self.number(v.left, scope, depth + 1, env), self.number(v.right, scope, depth + 1, env)
            if a is None or b is None:
                return None
            try:
                return {"+": a + b, "-": a - b, "*": a * b, "/": a / b if b else None,
                        "//": a // b if b else None, "**": a ** b if abs(b) < 10 else None}.get(v.op)
            except (OverflowError, ZeroDivisionError):
                return None
        return None



# ---------------------------------------------------------------------------------------------
# API-call recognition


def _looks_like_api_url(value: Value) -> bool:
    if isinstance(value, Str):
        text = value.value.lower()
        return "redcap" in text or text.rstrip("/").endswith("/api")
    if isinstance(value, Concat):
        return any(_looks_like_api_url(p) for p in value.parts)
    return False


def _receiver_key(receiver: Optional[Value]) -> Optional[str]:
    """How a session is named where it is used: `s`, or `.session` for `self.session` (an
    attribute is one object wherever the class uses it)."""
    if isinstance(receiver, Name):
        return receiver.name
    if isinstance(receiver, Attr):
        return "." + receiver.attr
    return None


def _receiver_ctor(an: Analysis, call: Call, scope: int, env=None, depth: int = 0) -> Optional[Call]:
    """The constructor call that bound a method call's receiver, if visible: directly, or
    through a parameter of a same-file function called with such a receiver."""
    receiver = call.receiver
    if receiver is None:
        return None
    return _bound_ctor(an, an.resolve(receiver, scope, env=env), depth)


def _bound_ctor(an: Analysis, value: Value, depth: int = 0) -> Optional[Call]:
    if isinstance(value, Param) and depth < 3:
        fn = an.by_id.get(value.function)
        for site in an.calls_to(fn) if fn is not None else ():
            arg = an.bind(fn, site.call).get(value.name)
            if arg is None:
                continue
            found = _bound_ctor(an, an.resolve(arg, an.scope_of(site.call.span)), depth + 1)
            if found is not None:
                return found
        return None
    if isinstance(value, Attr):  # self.session → look for `self.session = …` assignments
        for a, sc in an.attr_assigns.get(value.attr, ()):
            inner = an.resolve(a.value, sc)
            if isinstance(inner, Call):
                return inner
        return None
    return value if isinstance(value, Call) else None


def _speaks(spec: dict, method: str, call: Call) -> bool:
    """Every keyword of the call is a parameter name of the client's method."""
    known = set(spec.get("params", {})) | set(spec["methods"][method].get("args", ()))
    return all(key in known for key, _ in call.kwargs)


def _param_names(spec_args: list[str], call: Call, mapping: dict[str, str]) -> dict[str, Value]:
    out: dict[str, Value] = {}
    for i, arg in enumerate(call.args):
        if i < len(spec_args):
            out[mapping.get(spec_args[i], spec_args[i])] = arg
    for key, value in call.kwargs:
        out[mapping.get(key, key)] = value
    return out


def analyse(script: Script) -> Facts:
    an = Analysis(script)
    s = an.surface
    api_calls: list[ApiCall] = []
    ctors: list[ClientCtor] = []
    transports: list[Transport] = []
    templates: list[tuple] = []  # raw requests whose payload is a parameter: (call, lib, signature, scope, api, ctor)
    created: set[Span] = set()
    constructed = list(dict.fromkeys(s.client_ctors[site.call.callee] for site in script.calls
                                     if site.call.callee in s.client_ctors))

    for site in script.calls:
        if site.reference:
            continue
        call = site.call
        scope = an.scope_of(call.span)
        callee = call.callee
        # client constructors bind; they are not requests
        if callee in s.client_ctors:
            lib = s.client_ctors[callee]
            ctors.append(ClientCtor.of(call, lib, s.clients[lib], scope))
            spec = s.clients[lib]
            transports.append(Transport(call, tuple(spec.get("verify", [])), tuple(spec.get("constructor_args", []))))
            continue
        if callee in s.http_sessions:
            transports.append(Transport(call, s.http[s.http_sessions[callee]].keys("verify")))
            continue
        if call.receiver is None and callee in s.client_functions:
            lib, fn = s.client_functions[callee]
            spec = s.clients[lib]
            api = _client_call(an, call, scope, lib, spec, fn, spec["functions"][fn])
            api_calls.append(api)
            if api.operation == "create":
                created.add(call.span)
            continue
        ctor = _receiver_ctor(an, call, scope) if call.receiver is not None else None
        # client-library methods
        lib, foreign = None, False
        if ctor is not None and ctor.callee in s.client_ctors:
            lib = s.client_ctors[ctor.callee]
        elif call.receiver is not None and callee in s.distinctive and (
                ctor is None or ctor.callee not in s.http_sessions) and an.local_target(call) is None:
            # a receiver the linter cannot trace (a fixture, an attribute of another object):
            # the client this file constructs, when it has the method; else the library whose
            # method name it is
            having = [l for l in constructed if callee in s.clients[l].get("methods", {})]
            if len(having) > 1:  # the one whose parameter names the call's keywords are
                having = [l for l in having if _speaks(s.clients[l], callee, call)] or having
            lib = having[0] if having else s.distinctive[callee]
            # a wrapper class of another package (`Redcapy(...).import_records(data_to_upload=…)`),
            # or two constructed clients that both have the method: a REDCap call, but whose
            # arguments the linter cannot tell
            foreign = (ctor is not None and _other_class(ctor.callee, s)) or len(having) > 1
        if lib is not None:
            spec = s.clients[lib]
            method = spec.get("methods", {}).get(callee)
            if method is None:
                continue
            api = _client_call(an, call, scope, lib, spec, callee, method)
            if foreign:
                api.open, api.mapped = True, set()
            api_calls.append(api)
            if api.operation == "create":
                created.add(call.span)
            continue
        # raw HTTP
        http = _http_of(an, call, scope, ctor)
        if http is None:
            continue
        lib, signature = http
        transports.append(Transport(call, s.http[lib].keys("verify")))
        req = _request(an, call, scope, s.http[lib], signature, None)
        api = _http_call(an, call, scope, lib, signature, ctor, req=req)
        payload = req.payload
        if payload is not None and scope:
            # parameters that depend on the helper's own parameters: judged per call site
            resolved = an.body(payload, scope)
            entries = an.dict_entries(payload, scope) if isinstance(resolved, Dict) else None
            if isinstance(resolved, Param) or (entries is not None and entries[1]) or (
                    api is not None and api.content is None and "content" in api.params):
                templates.append((call, lib, signature, scope, api, ctor))
        if api is None:
            continue
        api_calls.append(api)
        if api.content == "project" and api.has("data"):
            created.add(call.span)

    # helpers given literal parameters by their caller
    for call, lib, signature, scope, standalone, ctor in templates:
        fn = an.by_id.get(scope)
        if fn is None:
            continue
        expanded = False
        for site in an.calls_to(fn):
            c = site.call
            caller_scope = an.scope_of(c.span)
            env = {(fn.id, p): (v, caller_scope) for p, v in an.bind(fn, c, with_defaults=True).items()}
            # the session the request is sent through keeps its settings (axios.create({timeout}))
            inner = _http_call(an, call, scope, lib, signature, ctor, env=env)
            if inner is None:
                continue
            outer = ApiCall(c.span, inner.kind, inner.library, inner.method, caller_scope,
                            inner.params, inner.open, inner.operation, inner.content,
                            inner.timeout, via_helper=True, inner=inner, url=inner.url,
                            timeout_argument=inner.timeout_argument)
            api_calls.append(outer)
            expanded = True
        if expanded and standalone is not None:
            # judged at the helper's call sites instead (rules.md: helpers given literal
            # parameters by their caller); the inner request keeps only its transport facts
            api_calls.remove(standalone)

    an.created_spans = created
    api_calls.sort(key=lambda a: a.span.start)
    facts = _graph(an, api_calls)
    _chains(an, facts)
    facts.ctors, facts.transports = ctors, transports
    facts.analysis = an
    return facts


def _http_of(an: Analysis, call: Call, scope: int, ctor: Optional[Call]) -> Optional[tuple[str, tuple[str, ...]]]:
    """(library, positional signature) when the call sends a raw HTTP request."""
    s = an.surface
    if call.receiver is None and call.callee in s.http_functions:
        return s.http_functions[call.callee]
    if ctor is not None and ctor.callee in s.http_sessions:
        lib = s.http_sessions[ctor.callee]
        signature = s.http[lib].methods.get(call.callee)
        if signature is not None:
            return lib, signature
    return None


def _payload_value(lib: HttpLibrary, call: Call, args: dict[str, Value]) -> Optional[Value]:
    """The value that carries the REDCap parameters in the request body."""
    if lib.unnamed_keywords == "parameter":
        # RCurl::postForm(uri, token = …, content = …): the keywords are the parameters
        entries = tuple((Str(v.span, k), v) for k, v in call.kwargs if k not in lib.roles)
        for key in lib.keys("parameters"):  # a parameter list passed whole
            if key in args:
                entries += ((Str(args[key].span, "*"), args[key]),)
        return Dict(call.span, entries, call.star) if entries else None
    found = [(key, args[key]) for key in lib.keys("payload") if key in args]
    if len(found) > 1:
        # data= and files= together (a file import): one multipart body, merged
        return Dict(call.span, tuple((Str(v.span, "*" + key), v) for key, v in found))
    return found[0][1] if found else None


@dataclass
class _Request:
    url: Optional[Value] = None
    payload: Optional[Value] = None
    timeout: Optional[Value] = None  # the timeout value where one is set
    timeout_set: bool = False
    query: list = field(default_factory=list)  # values sent as URL parameters


def _first(args: dict[str, Value], keys: tuple[str, ...]) -> Optional[Value]:
    return next((args[k] for k in keys if k in args), None)


def _request(an: Analysis, call: Call, scope: int, lib: HttpLibrary, signature: tuple[str, ...], env) -> _Request:
    """Where a raw request's URL, parameters and timeout are, from the library's roles."""
    args = bound_arguments(call, signature)
    for key in lib.keys("options_object"):
        # `axios(config)`, `fetch(url, init)`: the object's keys are the call's parameters
        # (an object written in the call is spread by the front end already)
        obj = an.resolve(args.pop(key), scope, env=env) if key in args else None
        if isinstance(obj, Dict):
            for k, v in obj.entries:
                if isinstance(k, Str) and k.value != "*":
                    args.setdefault(k.value, v)
    req = _Request()
    built = _first(args, lib.keys("request"))
    if lib.builder:
        # a request built in steps (httr2): follow the pipeline back to request(url)
        node, entries = built, []
        for _ in range(24):
            if node is None:
                break
            node = an.resolve(node, scope, env=env)
            if not isinstance(node, Call):
                break
            if node.callee in lib.builder.get("payload", ()):
                entries += [(Str(v.span, k), v) for k, v in node.kwargs]
            elif node.callee in lib.builder.get("timeout", ()):
                req.timeout_set = True
                req.timeout = node.args[1] if len(node.args) > 1 else node.kwarg("seconds")
            elif node.callee in lib.builder.get("url", ()):
                req.url = node.args[0] if node.args else node.kwarg("base_url")
                break
            node = node.args[0] if node.args else None
        req.payload = Dict(call.span, tuple(entries)) if entries else None
        return req
    req.url = _first(args, lib.keys("url"))
    req.payload = _payload_value(lib, call, args)
    req.query = [args[k] for k in lib.keys("query") if k in args]
    if req.url is not None:
        url_r = an.resolve(req.url, scope, env=env)
        signature = lib.request_objects.get(url_r.callee) if isinstance(url_r, Call) else None
        if signature is not None:  # urlopen(Request(url, data))
            obj = bound_arguments(url_r, signature)
            req.url = _first(obj, lib.keys("url"))
            if req.payload is None:
                req.payload = _first(obj, lib.keys("payload"))
    timeout = _first(args, lib.keys("timeout"))
    if timeout is not None:
        req.timeout_set, req.timeout = True, timeout
    # a timeout given as an argument of its own (httr::timeout(60)) or inside options
    for arg in list(call.args) + [v for _, v in call.kwargs] if lib.timeout_constructors else ():
        v = an.resolve(arg, scope, env=env)
        if isinstance(v, Call) and v.callee in lib.timeout_constructors:
            req.timeout_set, req.timeout = True, v.args[0] if v.args else None
    for key in lib.keys("options"):
        found = _option_timeout(an, args.get(key), lib, scope, env)
        if found is not None:
            req.timeout_set, req.timeout = True, found
    return req


def _option_timeout(an: Analysis, opts: Optional[Value], lib: HttpLibrary, scope: int, env=None) -> Optional[Value]:
    """The timeout inside an options object: `curlOptions(timeout = 30)`, `list(timeout = 30)`."""
    opts = an.resolve(opts, scope, env=env) if opts is not None else None
    if isinstance(opts, Call):
        return next((v for k, v in opts.kwargs if k in lib.option_timeouts), None)
    if isinstance(opts, Dict):
        return next((v for k, v in opts.entries if isinstance(k, Str) and k.value in lib.option_timeouts), None)
    return None


def _http_call(an: Analysis, call: Call, scope: int, lib_name: str, signature: tuple[str, ...],
               ctor: Optional[Call], env: Optional[dict] = None, req: Optional["_Request"] = None) -> Optional[ApiCall]:
    lib = an.surface.http[lib_name]
    if req is None:
        req = _request(an, call, scope, lib, signature, env)
    params: dict[str, ApiParam] = {}
    is_open = False
    if req.payload is not None:
        entries = an.dict_entries(req.payload, scope, env=env)
        if entries is None:
            return None
        found, is_open = entries
        params = {k: ApiParam(k, v, site.span, written=site) for k, (v, site) in found.items()}
    for q in req.query:
        query = an.dict_entries(q, scope, env=env)
        if query:
            for k, (v, site) in query[0].items():
                params.setdefault(k, ApiParam(k, v, site.span, in_query=True, written=site))
    url_r = an.resolve(req.url, scope, env=env) if req.url is not None else None
    has_token, has_content = "token" in params, "content" in params
    if not (has_token and has_content):
        if not ((has_token or has_content) and url_r is not None and _looks_like_api_url(url_r)):
            return None
    api = ApiCall(call.span, "http", lib_name, call.callee, scope, params, is_open or call.star)
    api.url = url_r
    content = an.str_value(params["content"].value, scope, env) if has_content else None
    action = an.str_value(params["action"].value, scope, env) if "action" in params else None
    api.content = content
    has_data = "data" in params or "file" in params
    api.operation = _operation(content, action, has_data)
    if api.open and not has_data and api.operation == "export" and action is None:
        api.operation = "unknown"  # parameters we cannot see may carry data
    api.timeout = _timeout(an, call, scope, lib, ctor, req)
    api.timeout_argument = lib.timeout_argument
    return api


def _operation(content: Optional[str], action: Optional[str], has_data: bool) -> str:
    """export, import, delete, create, … from the content classes in api.toml."""
    api = _data()["api"]
    contents, ops = api["contents"], api["operations"]
    if action in ops["actions"]:
        return action
    if content in ops["create_with_data"] and has_data:
        return "create"
    if content in contents["need_import_action"]:
        return "import" if action == "import" else "export"
    if content in ops["action_decides"]:
        return action or "unknown"
    if content in contents["export_only"]:
        return "export"
    return "import" if has_data else "export"


def _timeout(an: Analysis, call: Call, scope: int, lib: HttpLibrary, ctor: Optional[Call], req: _Request) -> Timeout:
    value = req.timeout
    if value is None and ctor is not None:
        # a session made with its timeout or its options: crul::HttpClient$new(opts = list(timeout = 30))
        value = _first(dict(ctor.kwargs), lib.keys("timeout"))
        for key in lib.keys("options") if value is None else ():
            value = _option_timeout(an, ctor.kwarg(key), lib, scope)
    if value is None and call.receiver is not None and (
            (ctor.span if ctor is not None else _receiver_key(call.receiver)) in an.mounted_timeouts()):
        return Timeout.SET  # a transport adapter with a default timeout mounted on the session
    if value is None:
        if req.timeout_set:
            return Timeout.SET
        if call.star:
            return Timeout.UNKNOWN
        return Timeout.DEFAULT if lib.default_timeout else Timeout.MISSING
    v = an.resolve(value, scope)
    if isinstance(v, Const) and v.value is None or isinstance(v, Num) and v.value == 0:
        return Timeout.NONE
    return Timeout.SET


def _client_call(an: Analysis, call: Call, scope: int, lib: str, spec: dict, method: str,
                 surface_entry: dict) -> ApiCall:
    operation, content = surface_entry["operation"], surface_entry["content"]
    mapping = spec.get("params", {})
    raw = _param_names([mapping.get(p, p) for p in surface_entry["args"]], call, mapping)
    options = call.args[0] if surface_entry.get("parameters_array") and call.args else None
    star = call.star
    if options is not None:
        # a method that takes its parameters as one array/dict (PHPCap `exportRecordsAp([...])`)
        entries = an.dict_entries(options, scope)
        if entries is None:
            star = True
        else:
            for k, (v, site) in entries[0].items():
                raw[mapping.get(k, k)] = site
            star = star or entries[1]
    defaults = spec.get("defaults", {}).get(method, {})
    value_maps = spec.get("value_maps", {})
    params = {}
    for k, v in raw.items():
        resolved = an.resolve(v, scope)
        vmap = value_maps.get(k)
        if vmap and isinstance(resolved, Const) and isinstance(resolved.value, bool):
            resolved = Str(resolved.span, vmap["TRUE" if resolved.value else "FALSE"])
        params[k] = ApiParam(k, resolved, v.span, written=v)
    for k, v in defaults.items():
        params.setdefault(k, ApiParam(k, Str(call.span, v), call.span))
    api = ApiCall(call.span, "client", lib, method, scope, params, star)
    api.content = content
    api.operation = operation
    api.timeout = Timeout.CLIENT
    # only arguments the table maps onto a REDCap parameter are judged as one (RC305):
    # PyCap's format="df" is PyCap's own value, not REDCap's `format`
    api.mapped = {mapping[k] for k, _ in call.kwargs if k in mapping}
    names = spec.get("restriction_names", {}).get(method)
    if names is not None:
        api.restriction_names = list(names)
    batching = spec.get("batching", {}).get(method)
    if batching:
        api.batching, api.batch_size = _batching(params, batching)
    sleep_param = spec.get("sleep_params", {}).get(method)
    if sleep_param and sleep_param in raw:
        api.delay = raw[sleep_param]
    return api


OTHER_CLASS = re.compile(r"(?:^|[.:$\\])[A-Z]\w*(?:\$new)?$")


def _other_class(callee: str, s: Surface) -> bool:
    """A constructor of a class that is no known REDCap client's."""
    return callee not in s.client_ctors and OTHER_CLASS.search(callee) is not None


def _is_null(value: Value) -> bool:
    return isinstance(value, Const) and value.value is None


def _batching(params: dict, batching: dict) -> tuple[Batching, Optional[float]]:
    """How the client will split the export, from its batch-size argument."""
    p = params.get(batching["size"])
    if p is None:
        return (Batching.DEFAULT, None) if batching.get("batched_by_default", True) else (Batching.ONE_REQUEST, None)
    v = p.value
    if isinstance(v, Const) and v.value is None:
        return Batching.ONE_REQUEST, None
    if isinstance(v, Num):
        return (Batching.SIZED, v.value) if v.value > 0 else (Batching.ONE_REQUEST, None)
    return Batching.UNKNOWN, None


# ---------------------------------------------------------------------------------------------
# Call graph and iterations


def _graph(an: Analysis, api_calls: list[ApiCall]) -> Facts:
    script = an.script
    direct_api: dict[int, bool] = {}
    for api in api_calls:
        # a request made with a caller's parameters is made by the helper that sends it
        direct_api[api.inner.scope if api.via_helper and api.inner is not None else api.scope] = True
    # local calls: (site span, caller scope, callee fn id)
    local_calls: list[LocalCall] = []
    for site in script.calls:
        c = site.call
        # `fetch(x)`, `self.fetch(x)`, `client.fetch(x)`: a function or method of this file
        fn = an.by_name.get(c.callee) if site.reference else an.local_target(c)
        if fn is not None:
            local_calls.append(LocalCall(site, an.scope_of(c.span), fn.id))
    callees: dict[int, set[int]] = {}
    for site, caller, fid in local_calls:
        callees.setdefault(caller, set()).add(fid)
    sleeps_direct: dict[int, list[Sleep]] = {}
    sleep_scope: dict[int, int] = {}
    for sl in script.sleeps:
        sc = an.scope_of(sl.span)
        sleep_scope[id(sl)] = sc
        sleeps_direct.setdefault(sc, []).append(sl)

    # transitive closures by iteration to a fixpoint (small graphs; cycles allowed)
    reaches: dict[int, bool] = {f.id: direct_api.get(f.id, False) for f in an.functions}
    sleep_sets: dict[int, dict[int, Sleep]] = {
        f.id: {id(x): x for x in sleeps_direct.get(f.id, [])} for f in an.functions}
    changed = True
    rounds = 0
    while changed and rounds < 50:
        changed = False
        rounds += 1
        for fid, targets in callees.items():
            if fid == 0:
                continue
            for t in targets:
                if reaches.get(t) and not reaches.get(fid):
                    reaches[fid] = True
                    changed = True
                mine, theirs = sleep_sets[fid], sleep_sets.get(t, {})
                if len(theirs.keys() - mine.keys()):
                    mine.update(theirs)
                    changed = True
    sleeps_in = {fid: list(v.values()) for fid, v in sleep_sets.items()}
    reaches[0] = direct_api.get(0, False) or any(reaches.get(t) for t in callees.get(0, ()))

    # iterations: charge API calls and API-reaching helper calls to their innermost loop
    iterations: dict[int, Iteration] = {}

    def iteration_for(loop: Loop, scope: int) -> Iteration:
        it = iterations.get(id(loop))
        if it is None:
            it = iterations[id(loop)] = Iteration(loop, loop.span, scope, [], [])
        return it

    for api in api_calls:
        if an.dispatched(api.span):
            continue
        loop = an.loop_of(api.span, api.scope)
        if loop is not None:
            iteration_for(loop, api.scope).events.append(Event(api.span, api, None))
    via_helper_spans = {a.span for a in api_calls if a.via_helper}
    for site, caller, fid in local_calls:
        span = site.call.span
        if not reaches.get(fid) or span in via_helper_spans or an.dispatched(span):
            continue
        if an.by_id[fid].is_async and not site.awaited and not site.reference:
            continue  # only a coroutine is created here; where it is awaited or gathered, it runs
        loop = an.loop_of(span, caller)
        if loop is not None:
            iteration_for(loop, caller).events.append(Event(span, None, fid))
    # sleeps of one iteration: in the loop body (same scope, nested loops included) or in
    # helpers called from it
    for sl in script.sleeps:
        for loop in an.loops_around(sl.span, sleep_scope[id(sl)]):
            if id(loop) in iterations:
                iterations[id(loop)].sleeps.append(sl)
    for site, caller, fid in local_calls:
        helper_sleeps = sleeps_in.get(fid)
        if not helper_sleeps:
            continue
        for loop in an.loops_around(site.call.span, caller):
            if id(loop) in iterations:
                iterations[id(loop)].sleeps.extend(helper_sleeps)
    # recursion: a function that reaches itself and the API
    result = list(iterations.values())
    for site, caller, fid in local_calls:
        if caller and reaches.get(fid) and _reaches_fn(callees, fid, caller) and not site.reference:
            if an.loop_of(site.call.span, caller) is not None:
                continue
            fn = an.by_id[caller]
            result.append(Iteration(None, fn.span, caller, [Event(site.call.span, None, fid)],
                                    list(sleeps_in.get(caller, []))))
    result.sort(key=lambda it: it.span.start)

    return Facts(api_calls, reaches, sleeps_in, result, local_calls, callees)


MAX_CHAIN_DEPTH = 4  # helper calls followed up from a request
MAX_CHAINS = 16  # paths kept per request (a helper called from many places)


def _chains(an: Analysis, facts: Facts) -> None:
    """Each API call's chains: the loops, helper calls and dispatches that lead to it,
    innermost first, with the sleeps one pass of each executes. Iterations charge a call to
    its innermost loop; a chain says the same thing from the call's side, for rules and for
    the administrator's report."""
    iteration_of = {id(it.loop): it for it in facts.iterations if it.loop is not None}
    callers: dict[int, list[LocalCall]] = {}
    for lc in facts.local_calls:
        callers.setdefault(lc.callee, []).append(lc)
    dispatches = sorted(an.script.dispatches, key=lambda d: d.span.end - d.span.start)
    dispatched: dict[int, list] = {}  # function id -> dispatches that run it (`pool.map(get, ids)`)
    for d in dispatches:
        for target in d.targets:
            fn = an.by_name.get(target.name) if isinstance(target, Name) else \
                an.local_target(target) if isinstance(target, Call) else None
            if fn is not None:
                dispatched.setdefault(fn.id, []).append(d)

    def local_links(span: Span, scope: int) -> list[Link]:
        links = [Link(LinkKind.LOOP, loop.span, _loop_sleeps(an, facts, loop, scope, iteration_of), *_iterates(an, loop, scope))
                 for loop in an.loops_around(span, scope)]
        links += [Link(LinkKind.DISPATCH, d.span, width=_width(an, d, scope)) for d in an.dispatches_around(span)
                  if d.covers(span) and an.scope_of(d.span) == scope]
        return sorted(links, key=lambda lk: lk.span.end - lk.span.start)

    def up(span: Span, scope: int, depth: int, seen: frozenset) -> list[tuple[Link, ...]]:
        here = tuple(local_links(span, scope))
        going_up = scope and depth < MAX_CHAIN_DEPTH and scope not in seen
        # an async helper called without `await` only makes a coroutine: started per element
        # and gathered later, the calls run concurrently (a dispatch, not a helper call)
        steps = [(Link(LinkKind.DISPATCH if _unawaited(an, lc) else LinkKind.HELPER, lc.site.call.span,
                       tuple(facts.sleeps_in.get(scope, ())), function=scope), lc.site.call.span, lc.caller)
                 for lc in (callers.get(scope, []) if going_up else [])]
        steps += [(Link(LinkKind.DISPATCH, d.span, width=_width(an, d, an.scope_of(d.span))), d.span,
                   an.scope_of(d.span)) for d in (dispatched.get(scope, []) if going_up else [])]
        out: list[tuple[Link, ...]] = []
        for link, at, caller in steps:
            for outer in up(at, caller, depth + 1, seen | {scope}):
                out.append(here + (link,) + outer)
                if len(out) >= MAX_CHAINS:
                    return out
        return out or [here]

    for api in facts.api_calls:
        if api.via_helper and api.inner is not None:
            # judged at this call site: the helper's own links, this call, then its callers
            inner = tuple(local_links(api.inner.span, api.inner.scope))
            helper = Link(LinkKind.HELPER, api.span, tuple(facts.sleeps_in.get(api.inner.scope, ())),
                          function=api.inner.scope)
            api.chains = [inner + (helper,) + outer for outer in up(api.span, api.scope, 1, frozenset({api.inner.scope}))]
        else:
            api.chains = up(api.span, api.scope, 0, frozenset())


def _unawaited(an: Analysis, lc: LocalCall) -> bool:
    return an.by_id[lc.callee].is_async and not lc.site.awaited and not lc.site.reference


def _loop_sleeps(an: Analysis, facts: Facts, loop: Loop, scope: int, iteration_of: dict) -> tuple[Sleep, ...]:
    it = iteration_of.get(id(loop))
    if it is not None:
        return tuple(it.sleeps)
    found = [sl for sl in an.script.sleeps if loop.body.contains(sl.span) and an.scope_of(sl.span) == scope]
    for lc in facts.local_calls:
        if loop.body.contains(lc.site.call.span) and lc.caller == scope:
            found += facts.sleeps_in.get(lc.callee, [])
    return tuple(found)


def _iterates(an: Analysis, loop: Loop, scope: int) -> tuple[IterKind, Optional[int]]:
    if loop.forever:
        return IterKind.FOREVER, None
    if loop.kind in ("while", "do", "until"):
        return IterKind.CONDITION, None
    if loop.iterable is None:
        return IterKind.UNKNOWN, None
    v = an.resolve(loop.iterable, scope)
    if isinstance(v, Seq):
        return IterKind.COUNTED, len(v.items)
    if isinstance(v, Call) and v.callee in an.idioms["ranges"] and v.args and not v.kwargs:
        bounds = [an.number(a, scope) for a in v.args[:3]]
        if all(b is not None and b == int(b) for b in bounds):
            return IterKind.COUNTED, len(range(*(int(b) for b in bounds)))
    if isinstance(v, BinOp) and v.op == ":":  # R's 1:10
        a, b = an.number(v.left, scope), an.number(v.right, scope)
        if a is not None and b is not None:
            return IterKind.COUNTED, int(abs(b - a)) + 1
    return IterKind.COLLECTION, None


def _width(an: Analysis, d, scope: int) -> Optional[int]:
    """A pool's number of workers where it is written (`ThreadPoolExecutor(max_workers=8)`)."""
    pool = an.resolve(d.pool, scope) if d.pool is not None else None
    if not isinstance(pool, Call):
        return None
    value = next((v for k, v in pool.kwargs if k in an.idioms["pool_width"]), None)
    if value is None and pool.args and d.kind == "pool":
        value = pool.args[0]  # multiprocessing.Pool(4)
    n = an.number(value, scope) if value is not None else None
    return int(n) if n is not None and n >= 1 else None


def _reaches_fn(callees: dict[int, set[int]], start: int, target: int) -> bool:
    seen, stack = set(), [start]
    while stack:
        f = stack.pop()
        if f == target:
            return True
        if f in seen:
            continue
        seen.add(f)
        stack.extend(callees.get(f, ()))
    return False


def walk_values(value: Value, depth: int = 0) -> Iterator[Value]:
    """Every value nested in `value` (containers, string parts, call arguments)."""
    if depth > 40:
        return
    yield value
    if isinstance(value, Dict):
        for k, v in value.entries:
            yield from walk_values(k, depth + 1)
            yield from walk_values(v, depth + 1)
    elif isinstance(value, Seq):
        for v in value.items:
            yield from walk_values(v, depth + 1)
    elif isinstance(value, Concat):
        for v in value.parts:
            yield from walk_values(v, depth + 1)
    elif isinstance(value, BinOp):
        yield from walk_values(value.left, depth + 1)
        yield from walk_values(value.right, depth + 1)
    elif isinstance(value, Call):
        if value.receiver is not None:
            yield from walk_values(value.receiver, depth + 1)
        for v in value.args:
            yield from walk_values(v, depth + 1)
        for _, v in value.kwargs:
            yield from walk_values(v, depth + 1)
    elif isinstance(value, Attr):
        yield from walk_values(value.base, depth + 1)
    elif isinstance(value, EnvLookup) and value.key is not None:
        yield from walk_values(value.key, depth + 1)
