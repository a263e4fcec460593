"""The language-neutral script model.

Front ends (one per language) turn a parse tree into these plain facts; `resolve.py` derives
the REDCap meaning (API calls with resolved parameters, the call graph, what one iteration of
a loop executes); rules read only this model. Nothing here knows a parser or a language: a
Span is a pair of character offsets into the file's text, and names are strings.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import NamedTuple, Optional, Union

from redcaplint.source import Document


class Span(NamedTuple):
    """Character offsets [start, end) into the file's text. A tuple, not a dataclass: a few
    hundred are made per file and tuple construction is the cheapest there is."""

    start: int
    end: int

    def contains(self, other: "Span") -> bool:
        return self.start <= other.start and other.end <= self.end


# ---------------------------------------------------------------------------------------------
# Values: expressions as far as the rules care about them.


@dataclass(slots=True)
class Str:
    span: Span
    value: str


@dataclass(slots=True)
class Num:
    span: Span
    value: float


@dataclass(slots=True)
class Const:
    """True, False, None (and their spellings in other languages)."""

    span: Span
    value: object


@dataclass(slots=True)
class Name:
    span: Span
    name: str


@dataclass(slots=True)
class Attr:
    """`base.attr` read as a value (not called)."""

    span: Span
    base: "Value"
    attr: str


@dataclass(slots=True)
class Dict:
    """A mapping literal; `open` means keys the linter cannot see may be present (`**x`)."""

    span: Span
    entries: tuple[tuple["Value", "Value"], ...]
    open: bool = False


@dataclass(slots=True)
class Seq:
    span: Span
    items: tuple["Value", ...]


@dataclass(slots=True)
class Concat:
    """String building: f-strings, `a + b`, `"%s" % x`, `.format`, `paste0`."""

    span: Span
    parts: tuple["Value", ...]


@dataclass(slots=True)
class BinOp:
    span: Span
    op: str
    left: "Value"
    right: "Value"


@dataclass(slots=True)
class Call:
    """A call. `callee` is the qualified name after import aliases (`requests.post`), or the
    bare method name when `receiver` is set (`s.post` → callee "post", receiver Name s)."""

    span: Span
    callee: str
    args: tuple["Value", ...] = ()
    kwargs: tuple[tuple[str, "Value"], ...] = ()
    receiver: Optional["Value"] = None
    star: bool = False  # *args / **kwargs present: unknown arguments may be passed

    def kwarg(self, name: str) -> Optional["Value"]:
        for key, value in self.kwargs:
            if key == name:
                return value
        return None


@dataclass(slots=True)
class EnvLookup:
    """A secret read from outside the code: environment, keyring, password prompt."""

    span: Span
    key: Optional["Value"]


@dataclass(slots=True)
class Param:
    """A function parameter (what a name resolves to inside a function)."""

    span: Span
    function: int
    name: str
    index: int


@dataclass(slots=True)
class Item:
    """`base[key]` (Python, PHP, JS), `base[["key"]]` (R) read as a value."""

    span: Span
    base: "Value"
    key: "Value"


@dataclass(slots=True)
class Unknown:
    span: Span


Value = Union[Str, Num, Const, Name, Attr, Item, Dict, Seq, Concat, BinOp, Call, EnvLookup, Param, Unknown]


# ---------------------------------------------------------------------------------------------
# Facts a front end emits.


CONSTRUCTOR = "<init>"  # the name front ends give a class's constructor method (__init__, initialize, …)


@dataclass(slots=True)
class FunctionDef:
    id: int
    name: str
    span: Span
    body: Span
    params: tuple[str, ...]  # what a caller passes: a method's receiver (`self`, `$this`) is not one
    is_async: bool = False  # calling it only creates a coroutine; awaiting or gathering runs it
    owner: Optional[str] = None  # the class it is a method of (called through a receiver)
    # parameters' default values where they are literals (`parameters={}`, `fields = NULL`):
    # what a call that omits them passes, when a helper's request is judged at its call sites
    defaults: tuple[tuple[str, "Value"], ...] = ()
    # the parameters whose in-place changes (`p["k"] = v`) the caller's value sees: None for
    # all of them (Python, JavaScript, Ruby, Java pass objects by reference); R copies every
    # argument, PHP copies an array unless the parameter is `&$p`
    in_place: Optional[tuple[str, ...]] = None


@dataclass(slots=True)
class Loop:
    """One iteration construct. `body` is what runs once per element (for a `map(f, xs)` it
    is the span of `f`, where the per-element call is charged)."""

    kind: str
    span: Span
    body: Span
    block: Optional[Span] = None  # the statement block as written (`{ … }`, an indented suite, `do … done`), for fixes
    iterable: Optional["Value"] = None  # what a `for` runs over (`range(3)`, `ids`, `1:10`)
    forever: bool = False  # `while True`, `repeat`, `while :`: only a break or an error ends it


@dataclass(slots=True)
class Assign:
    """`target = value` (kind "set"), `target[key] = value` ("item"), `target.update(value)`
    ("update"), `target.key = value` ("attr")."""

    span: Span
    target: str
    value: Value
    kind: str = "set"
    key: Optional[Value] = None


@dataclass(slots=True)
class CallSite:
    call: Call
    reference: bool = False  # a function passed by name to an iteration (`map(f, xs)`)
    awaited: bool = True  # False: a call not under `await` (for async functions: no call yet)


@dataclass(slots=True)
class Return:
    """A value a function gives back (`return x`, R's last expression): what a call of a
    same-file function evaluates to (a session factory, a payload builder)."""

    span: Span
    value: Value


@dataclass(slots=True)
class Sleep:
    span: Span
    seconds: Optional[Value]  # None: unknown (no argument the linter can read)


@dataclass(slots=True)
class Output:
    span: Span
    kind: str  # print, log, file
    args: tuple[Value, ...]


# a Dispatch kind: one call that starts its work and is not waited for (a promise made once
# per element); it dispatches itself only, not what its arguments computed first
UNAWAITED = "unawaited"


@dataclass(slots=True)
class Dispatch:
    """Work handed to a pool, `asyncio.gather`, a TaskGroup, joblib …; `targets` are the
    function references or coroutine calls dispatched."""

    span: Span
    kind: str
    targets: tuple[Value, ...]
    pool: Optional[Value] = None  # the executor / pool object, where its width may be written

    def covers(self, span: Span) -> bool:
        """The work at `span` is dispatched here: inside the dispatching call; for UNAWAITED,
        the call itself and nothing in it (`out.push(await fetchOne(id))` waits for each)."""
        if self.kind == UNAWAITED:
            return span == self.span
        return self.span.contains(span) and span != self.span


@dataclass(slots=True)
class Option:
    """A transport option the language front end recognised: TLS off, a timeout."""

    span: Span
    kind: str  # "tls-off"
    subject: Optional[str] = None  # the object it was set on (`session.verify = False`)


@dataclass(slots=True)
class Decode:
    """A JSON decode that yields objects where the API's records want associative arrays
    (PHP `json_decode` without `true`): the front end decides from the language's rules
    and spells the edit that asks for arrays (start, end, replacement), when it can."""

    span: Span
    edit: Optional[tuple[int, int, str]] = None


@dataclass(slots=True)
class SyntaxProblem:
    offset: int
    message: str


# ---------------------------------------------------------------------------------------------
# What resolve.py derives.


class Timeout(str, Enum):
    """What a request does about a timeout."""

    SET = "set"
    MISSING = "missing"  # none given and the library applies none
    NONE = "none"  # explicitly no timeout (None, 0)
    DEFAULT = "default"  # none given; the library applies its own
    CLIENT = "client"  # a REDCap client library's call: its own transport settings
    UNKNOWN = "unknown"  # arguments the linter cannot see (`**kwargs`)


class Batching(str, Enum):
    """How a client library splits a record export into requests."""

    NOT_A_BATCHING_CLIENT = "no"
    ONE_REQUEST = "one-request"  # a batching client told not to (or a legacy one by default)
    DEFAULT = "default"  # the library's own batch size
    SIZED = "sized"  # a batch size written in the call (`batch_size`)
    UNKNOWN = "unknown"  # a size the linter cannot read


class LinkKind(str, Enum):
    LOOP = "loop"  # one iteration of a loop (or of a map-style call over a collection)
    HELPER = "helper"  # a call of the same-file function that makes the request
    DISPATCH = "dispatch"  # work handed to a pool / gather / background job


class IterKind(str, Enum):
    COUNTED = "counted"  # a literal range or sequence: the number of iterations is known
    COLLECTION = "collection"  # the elements of a value the linter cannot count
    FOREVER = "forever"  # `while True`, `repeat`: until a break
    CONDITION = "condition"  # `while <condition>`
    UNKNOWN = "unknown"  # map-style calls, recursion, loops whose iterable is not read


@dataclass(frozen=True)
class Link:
    """One step of the chain from the script down to an API call, innermost first: what
    repeats it (a loop, with what it runs over), which helper call leads to it, which
    dispatch runs it concurrently — and the sleeps one pass of that step executes."""

    kind: LinkKind
    span: Span
    sleeps: tuple["Sleep", ...] = ()
    iterates: IterKind = IterKind.UNKNOWN
    count: Optional[int] = None  # IterKind.COUNTED: how many iterations
    width: Optional[int] = None  # a dispatch's number of workers, where written
    function: Optional[int] = None  # HELPER: the id of the function this call runs


@dataclass(slots=True)
class ApiParam:
    name: str
    value: Value  # resolved through names
    site: Span  # where the value is written in the request or payload
    in_query: bool = False  # sent as a URL query parameter (not in the body)
    written: Optional[Value] = None  # the value as written there, before names are resolved


@dataclass
class ApiCall:
    span: Span  # the call expression; its first line is the anchor
    kind: str  # "http" or "client"
    library: str
    method: str
    scope: int
    params: dict[str, ApiParam] = field(default_factory=dict)
    open: bool = False  # parameters the linter cannot see may be present
    operation: str = "unknown"  # export, import, delete, rename, create, other
    content: Optional[str] = None
    timeout: Timeout = Timeout.UNKNOWN
    via_helper: bool = False  # parameters merged from a helper call (reported there)
    inner: Optional["ApiCall"] = None
    url: Optional[Value] = None  # the endpoint, resolved through names
    batching: Batching = Batching.NOT_A_BATCHING_CLIENT
    batch_size: Optional[float] = None  # with Batching.SIZED
    restriction_names: Optional[list] = None  # a client's own (narrower) set of restrictions
    delay: Optional[Value] = None  # a client's pause between its batches (REDCapR interbatch_delay)
    mapped: Optional[set] = None  # client calls: the REDCap parameters its arguments map onto
    timeout_argument: Optional[str] = None  # the library's spelling of a timeout a fix can add (`timeout=60`)
    # the ways the script reaches this call: each a chain of links, innermost first (one per
    # same-file caller path of the helper that makes it; a call at module level has one)
    chains: list[tuple[Link, ...]] = field(default_factory=list)

    def has(self, name: str) -> bool:
        return name in self.params


@dataclass
class Script:
    source: Document
    language: str
    functions: list[FunctionDef] = field(default_factory=list)
    loops: list[Loop] = field(default_factory=list)
    assigns: list[Assign] = field(default_factory=list)
    calls: list[CallSite] = field(default_factory=list)
    sleeps: list[Sleep] = field(default_factory=list)
    outputs: list[Output] = field(default_factory=list)
    dispatches: list[Dispatch] = field(default_factory=list)
    options: list[Option] = field(default_factory=list)
    returns: list[Return] = field(default_factory=list)
    decodes: list[Decode] = field(default_factory=list)
    # every string the front end built (Str, and Concat for f-strings and `+`/`%` building),
    # so rules about URLs and query strings need not walk every value again
    strings: list[Value] = field(default_factory=list)
    syntax_error: Optional[SyntaxProblem] = None  # nothing could be modelled
    # regions (knitr chunks, notebook cells) that did not parse, in a script built from the rest
    region_errors: list[SyntaxProblem] = field(default_factory=list)
    # for fixes that need a module: the names the file's imports bind, and where a new
    # import line goes (None: the language needs none, or no safe place is known)
    imports: set[str] = field(default_factory=set)
    import_at: Optional[int] = None
