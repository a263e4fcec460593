"""What every tree-sitter front end shares: parsing one region of a document, spans from
nodes (byte offsets mapped to the document's character offsets), the node text, the per-node
value cache, query captures in document order, and the first syntax error of a tree."""
from __future__ import annotations

import bisect
import re
from typing import Optional

from redcaplint.frontends._grammars import language, parser
from redcaplint.model import Concat, Loop, Return, Script, Span, Str, SyntaxProblem, Unknown, Value
from redcaplint.source import Document

MAX_DEPTH = 60  # value conversion depth; deeper expressions become Unknown (never recurse unbounded)
_new_tuple = tuple.__new__
_QUERIES: dict[tuple[str, str], object] = {}  # (grammar, query text) → compiled Query
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


class ByteMap:
    """Byte offset (UTF-8) → character offset, for text that is not pure ASCII: one entry per
    non-ASCII character, so building it is linear and a lookup is a bisection."""

    def __init__(self, text: str) -> None:
        ends: list[int] = []  # byte offset just after each non-ASCII character
        extra: list[int] = []  # bytes beyond one per character, up to and including it
        total = 0
        for m in _NON_ASCII.finditer(text):
            width = len(m.group(0).encode("utf-8", "surrogatepass"))
            total += width - 1
            ends.append(m.start() + total + 1)
            extra.append(total)
        self.ends, self.extra = ends, extra

    def char(self, byte: int) -> int:
        i = bisect.bisect_right(self.ends, byte)
        return byte - (self.extra[i - 1] if i else 0)


def joined(span: Span, parts) -> Value:
    """An interpolated string in any language: one Str when every part is literal text, else a
    Concat of its parts (what rules about URLs and tokens read)."""
    if all(p.__class__ is Str for p in parts):
        return Str(span, "".join(p.value for p in parts))
    return Concat(span, tuple(parts))


def captures(query, root) -> list:
    """The nodes a query captures, in document order, a node before the nodes inside it
    (one C pass picks them; Python sees only what a front end asked for)."""
    from tree_sitter import QueryCursor

    found = QueryCursor(query).captures(root)
    nodes = [n for group in found.values() for n in group]
    nodes.sort(key=lambda n: (n.start_byte, -n.end_byte))
    return nodes


def first_error(root):
    """The first ERROR or MISSING node in document order, or None."""
    if not root.has_error:
        return None
    node = root
    while True:
        for child in node.children:
            if child.is_missing or child.type == "ERROR":
                return child
            if child.has_error:
                node = child
                break
        else:
            return node if node is not root else None


MAX_REPAIRS = 16  # parses a front end's repair() may ask for, at most
ITERABLE_FIELDS = ("right", "sequence", "list")  # Python/JS `for x in/of xs`, R `for (x in xs)`, Perl `foreach (@xs)`
BODY_FIELDS = ("body", "block")  # a loop's body: `block` in Perl
ALWAYS_TRUE = {"True", "TRUE", "T", "true", "1", ":"}  # a loop condition that never ends it


class TreeBuilder:
    """Base of a language's builder: `_value(node, span, kind, depth)` is the language part.

    It parses `source.code_text[start:end]` (a whole file, or one region of a document: a knitr
    chunk, a notebook cell) on its own, so the cost of a region is its own length; spans are
    the document's character offsets."""

    def __init__(self, source: Document, language: str, start: int = 0, end: Optional[int] = None,
                 first_id: int = 0) -> None:
        self.source = source
        self.text = source.code_text  # what is parsed: magics set aside, offsets unchanged
        end = len(self.text) if end is None else end
        region = self.text[start:end] if (start or end != len(self.text)) else self.text
        if "\x00" in region:
            # a NUL is never code; some grammars' scanners (tree-sitter-perl) loop on one for
            # ever. A space of the same width keeps every offset.
            region = region.replace("\x00", " ")
        region = self.prepare(region)
        data = region.encode("utf-8", "surrogatepass")
        self.grammar = language
        self.tree = parser(language).parse(data)
        if self.tree.root_node.has_error:
            self.tree = self._repaired(language, data)
        self.root = self.tree.root_node
        self.base = start
        self.start, self.end = start, end
        self.bytes_map = None if len(data) == len(region) else ByteMap(region)
        self.script = Script(source, language)
        self.function_ids = first_id
        # each node is converted once: nested calls are visited by the query *and* as
        # arguments of their parent, which would be quadratic in the nesting depth
        self.cache: dict[int, Value] = {}

    def prepare(self, region: str) -> str:
        """The text handed to the grammar: a front end may rewrite what its grammar misreads,
        character for character (every offset stays)."""
        return region

    def _repaired(self, language: str, data: bytes):
        """What the grammar rejects but the language's tools accept, blanked where the grammar
        stops, one place per parse (at most MAX_REPAIRS): a real error later in the file is
        then the one reported."""
        tree = self.tree
        for _ in range(MAX_REPAIRS):
            data = self.repair(data, tree)
            if data is None:
                break
            tree = parser(language).parse(data)
            if not tree.root_node.has_error:
                break
        return tree

    def repair(self, data: bytes, tree) -> Optional[bytes]:
        """The parsed bytes with the tree's first error blanked, where a front end knows the
        grammar is stricter than the language (same length, so every offset stays); None
        when it is a real error."""
        return None

    def span(self, node) -> Span:
        m = self.bytes_map
        if m is None:
            return _new_tuple(Span, (node.start_byte + self.base, node.end_byte + self.base))
        return _new_tuple(Span, (m.char(node.start_byte) + self.base, m.char(node.end_byte) + self.base))

    def offset(self, byte: int) -> int:
        """A byte offset of the parsed region as a document character offset."""
        return (byte if self.bytes_map is None else self.bytes_map.char(byte)) + self.base

    def t(self, node) -> str:
        """The node's source text."""
        if self.bytes_map is None:
            base = self.base
            return self.text[node.start_byte + base:node.end_byte + base]
        s = self.span(node)
        return self.text[s.start:s.end]

    @staticmethod
    def operands(node) -> list:
        """A node's named children without comments: every grammar keeps comments as named
        children wherever they are written (`f(/* url */ u)`), and an argument list must not
        count one as an argument."""
        return [c for c in node.named_children if not c.type.endswith("comment")]  # Java: line_comment, block_comment

    def value(self, node, depth: int = 0) -> Value:
        # the hottest path of extraction: plain attribute reads, one tuple, no helper call
        if node is None:
            return Unknown(Span(0, 0))
        key = node.id  # unique within the tree; cheaper to hash than the node's span
        cached = self.cache.get(key)
        if cached is not None:
            return cached
        if self.bytes_map is None:
            base = self.base
            span = _new_tuple(Span, (node.start_byte + base, node.end_byte + base))
        else:
            span = self.span(node)
        if depth > MAX_DEPTH:
            return Unknown(span)
        cached = self.cache[key] = self._value(node, span, node.type, depth)
        if cached.__class__ is Str or cached.__class__ is Concat:
            self.script.strings.append(cached)
        return cached

    def nodes(self, query_text: str) -> list:
        """The nodes a front end's query picks, in document order (compiled once per grammar)."""
        key = (self.grammar, query_text)
        query = _QUERIES.get(key)
        if query is None:
            from tree_sitter import Query

            query = _QUERIES[key] = Query(language(self.grammar), query_text)
        return captures(query, self.root)

    QUERY = ""  # the node kinds a front end reads, one tree-sitter query

    def build(self) -> Script:
        """RC001 at the tree's first error; else every node the front end's QUERY picks, in
        document order, to its `visit` (Python and R confirm errors their own way and keep
        their own build)."""
        s = self.script
        s.syntax_error = self.tree_problem()
        if s.syntax_error is None:
            for node in self.nodes(self.QUERY):
                self.visit(node)
        return s

    def visit(self, node) -> None:  # pragma: no cover
        raise NotImplementedError

    def tree_problem(self) -> Optional[SyntaxProblem]:
        """RC001 at the tree's first ERROR or MISSING node, for grammars whose tree is trusted
        as it is (Python confirms with libcst, R points at an unclosed bracket)."""
        error = first_error(self.root)
        return None if error is None else SyntaxProblem(self.offset(error.start_byte), "syntax error")

    def add_loop(self, kind: str, node, with_condition: bool = False) -> None:
        """A loop statement; a `while` condition runs once per iteration, so it is part of
        the body that one iteration executes."""
        body = next((c for c in (node.child_by_field_name(f) for f in BODY_FIELDS) if c is not None), None)
        if body is None:
            return
        body_span = self.span(body)
        cond = node.child_by_field_name("condition") if with_condition else None
        start = self.span(cond).start if cond is not None else body_span.start
        # what a `for` runs over, under the field name its grammar uses
        over = next((c for c in (node.child_by_field_name(f) for f in ITERABLE_FIELDS) if c is not None), None)
        forever = kind == "repeat" or (cond is not None and self.t(cond).strip("() \t") in ALWAYS_TRUE)
        self.script.loops.append(Loop(kind, self.span(node), Span(start, body_span.end), body_span,
                                      self.value(over) if over is not None and not with_condition else None,
                                      forever))

    def add_return(self, node) -> None:
        """A return statement: a same-file function's call has the returned value (factories,
        payload builders). A bare `return` or one the front end cannot read adds nothing."""
        inner = self.operands(node)
        value = self.value(inner[0]) if inner else None
        if value is not None and value.__class__ is not Unknown:
            self.script.returns.append(Return(self.span(node), value))

    def _value(self, node, span: Span, kind: str, depth: int) -> Value:  # pragma: no cover
        raise NotImplementedError
