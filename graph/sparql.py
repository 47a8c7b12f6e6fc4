"""SPARQL text helpers: safe term serialisation, parameter binding, query form.

User input never reaches a query as text. A parameter value is an RDF term; it is
checked and serialised here (IRIs refused if they hold characters that could end
the IRI, literals escaped character by character) and injected as a ``VALUES``
block inside the query's outer ``WHERE`` group, wrapped in a sub-select::

    SELECT … WHERE { { SELECT * WHERE { VALUES (?doc) { (<…>) } } } …rest… }

Why a sub-select and not a bare ``VALUES`` or a trailing one: Virtuoso 7.2 refuses a
property path such as ``?doc (lo:implements|lo:basedOn)+ ?x`` whose start is bound
only by a bare ``VALUES`` ("transitive start not given") but accepts the sub-select;
a trailing ``VALUES`` is joined after ``GROUP BY`` and after the path has been
evaluated for every start node.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import regex
from rdflib import BNode, Literal, URIRef
from rdflib.graph import Graph
from rdflib.namespace import XSD
from rdflib.term import Node

__all__ = [
    "Binding",
    "QueryText",
    "inject_values",
    "nt_lines",
    "query_form",
    "term_sparql",
]

Binding = Node | Sequence[Node]

# IRIREF of the SPARQL grammar: no spaces, controls, <>"{}|^`\ inside the brackets.
_IRI_BODY = regex.compile(r'^[^\x00-\x20<>"{}|^`\\]*$')
_IRI_TOKEN = regex.compile(r'<[^\x00-\x20<>"{}|^`\\]*>')
_LANG = regex.compile(r"^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$")
_VAR = regex.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# Escapes a SPARQL/N-Triples string literal needs; every other control char as \uXXXX.
_ECHAR = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b",
          "\f": "\\f"}
# Sentinel for a parameter that resolved to no term at all: an IRI nothing uses, so the
# query answers nothing (Virtuoso rejects an empty VALUES block before a property path).
NOTHING = URIRef("urn:x-luocdo:nothing")


def _iri(value: str) -> str:
    if not _IRI_BODY.match(value):
        raise ValueError(f"not a safe IRI: {value!r}")
    return f"<{value}>"


def _string(value: str) -> str:
    out = []
    for ch in value:
        if ch in _ECHAR:
            out.append(_ECHAR[ch])
        elif ord(ch) < 0x20 or ch in "\u2028\u2029\x7f":
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def term_sparql(term: Node, *, allow_bnode: bool = False) -> str:
    """One RDF term as SPARQL / N-Triples text.

    Args:
        term: an rdflib ``URIRef``, ``Literal`` or (when allowed) ``BNode``.
        allow_bnode: blank nodes are fine inside ``INSERT DATA`` but meaningless as a
            query parameter.

    Raises:
        ValueError: an IRI with forbidden characters, a bad language tag, a blank node
            where none is allowed, or a term type SPARQL text cannot carry.

    Example:
        >>> print(term_sparql(Literal('say "hi"')))
        "say \\"hi\\""
    """
    if isinstance(term, URIRef):
        return _iri(str(term))
    if isinstance(term, Literal):
        text = _string(str(term))
        if term.language:
            if not _LANG.match(term.language):
                raise ValueError(f"bad language tag: {term.language!r}")
            return f"{text}@{term.language}"
        if term.datatype is not None and term.datatype != XSD.string:
            return f"{text}^^{_iri(str(term.datatype))}"
        return text
    if isinstance(term, BNode) and allow_bnode:
        label = regex.sub(r"[^A-Za-z0-9_]", "_", str(term))
        return f"_:b{label}"
    raise ValueError(f"cannot serialise {type(term).__name__} {term!r} as a SPARQL term")


def nt_lines(triples: Iterable[tuple[Node, Node, Node]]) -> list[str]:
    """Triples as N-Triples lines (also valid inside ``INSERT DATA``)."""
    return [
        f"{term_sparql(s, allow_bnode=True)} {term_sparql(p)} "
        f"{term_sparql(o, allow_bnode=True)} ."
        for s, p, o in triples
    ]


def graph_lines(graph: Graph) -> list[str]:
    """All triples of ``graph``, sorted so the text is deterministic."""
    return sorted(nt_lines(graph))


# --- a small lexer: enough to find keywords outside strings, IRIs and comments ---------------

_TOKENS = regex.compile(
    r"""
    (?P<comment>\#[^\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
               |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<iri><[^\x00-\x20<>"{}|^`\\]*>)
  | (?P<var>[?$][A-Za-z0-9_]+)
  | (?P<word>[A-Za-z_][A-Za-z0-9_\-]*(?::[^\s{}().;,]*)?|:[^\s{}().;,]*)
  | (?P<brace>[{}])
  | (?P<other>.)
    """,
    regex.VERBOSE | regex.DOTALL,
)

_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
_UPDATES = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD",
            "WITH")


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str
    text: str
    start: int


def _tokens(text: str) -> list[_Token]:
    """Tokens of ``text`` without comments and white space."""
    out = []
    for m in _TOKENS.finditer(text):
        kind = m.lastgroup or "other"
        if kind != "comment" and not m.group(0).isspace():
            out.append(_Token(kind, m.group(0), m.start()))
    return out


def declares_dataset(text: str) -> bool:
    """True when the query names its own dataset with ``FROM`` / ``FROM NAMED``."""
    return _scan(text).dataset


@dataclass(frozen=True, slots=True)
class QueryText:
    """Where things are in a query: its form, the outer ``WHERE`` group's brace, and
    whether it names its own dataset (``FROM``)."""

    form: str  # SELECT | ASK | CONSTRUCT | DESCRIBE | UPDATE
    where_brace: int | None  # offset of the "{" that opens the outer WHERE group
    dataset: bool = False  # the query has a FROM / FROM NAMED clause


def _keyword(tok: _Token) -> str | None:
    return tok.text.upper() if tok.kind == "word" and ":" not in tok.text else None


@dataclass(frozen=True, slots=True)
class _Scan:
    """What one pass of the lexer learns about a text (``form`` None: not a query)."""

    form: QueryText | None
    dataset: bool


# Texts longer than this are scanned every time instead of being kept in the cache:
# the named queries are a few hundred characters, a pasted query rarely more than a few
# thousand, and a cache of 256 entries should not pin megabytes of text.
_CACHED_TEXT = 16_384


def _scan(text: str) -> _Scan:
    """``_scan_text``, from the cache when ``text`` is short enough to keep."""
    return _scan_cached(text) if len(text) <= _CACHED_TEXT else _scan_text(text)


@lru_cache(maxsize=256)
def _scan_cached(text: str) -> _Scan:
    return _scan_text(text)


def _scan_text(text: str) -> _Scan:
    """Tokenise ``text`` once: its form, outer ``WHERE`` brace and ``FROM`` clauses."""
    toks = _tokens(text)
    dataset = any(t.kind == "word" and t.text.upper() == "FROM" for t in toks)
    return _Scan(_form(toks, dataset), dataset)


def _form(toks: Sequence[_Token], dataset: bool) -> QueryText | None:
    """The ``QueryText`` of a token list (None when it holds no query form keyword)."""
    form_at = next((i for i, t in enumerate(toks) if _keyword(t) in _FORMS), None)
    update_at = next((i for i, t in enumerate(toks) if _keyword(t) in _UPDATES), None)
    if form_at is None or (update_at is not None and update_at < form_at):
        return QueryText("UPDATE", None, dataset) if update_at is not None else None
    form = str(_keyword(toks[form_at]))
    where = next((i for i in range(form_at, len(toks)) if _keyword(toks[i]) == "WHERE"), None)
    start = where if where is not None else form_at
    if form == "CONSTRUCT" and where is None:
        return QueryText(form, None, dataset)
    brace = next((t.start for t in toks[start:] if t.text == "{"), None)
    return QueryText(form, brace, dataset)


def query_form(text: str) -> QueryText:
    """Find the form of a query and the brace opening its outer ``WHERE`` group.

    The text is tokenised once and the answer kept (a bounded cache keyed by the
    text), so the named queries, run again and again, are not lexed on every call.

    Raises:
        ValueError: the text has no query form keyword at all.
    """
    found = _scan(text).form
    if found is None:
        raise ValueError("not a SPARQL query: no SELECT, ASK, CONSTRUCT or DESCRIBE")
    return found


def _rows(bindings: Mapping[str, Binding]) -> tuple[list[str], list[list[str]]]:
    names = list(bindings)
    columns: list[list[str]] = []
    for name in names:
        if not _VAR.match(name):
            raise ValueError(f"bad variable name: {name!r}")
        value = bindings[name]
        values = [value] if isinstance(value, Node) else list(value)
        columns.append([term_sparql(v) for v in values] or [term_sparql(NOTHING)])
    # Several variables: the cross product of their values (each is an independent filter).
    rows: list[list[str]] = [[]]
    for col in columns:
        rows = [[*r, v] for r in rows for v in col]
    return names, rows


def inject_rows(query: str, names: Sequence[str], rows: Sequence[Sequence[Node]]) -> str:
    """``query`` joined with a ``VALUES`` block of whole rows (not a cross product).

    Args:
        query: a query with a WHERE group.
        names: variable names (without ``?``).
        rows: one term per name in each row. No rows matches nothing.

    Raises:
        ValueError: a bad variable name or term, a row of the wrong width.
    """
    for name in names:
        if not _VAR.match(name):
            raise ValueError(f"bad variable name: {name!r}")
    if any(len(r) != len(names) for r in rows):
        raise ValueError("every row needs one term per variable")
    body = [[term_sparql(t) for t in r] for r in rows] or [
        [term_sparql(NOTHING)] * len(names)]
    return _with_block(query, list(names), body)


def _with_block(query: str, names: list[str], rows: list[list[str]]) -> str:
    where = query_form(query)
    if where.where_brace is None:
        raise ValueError("query has no WHERE group to bind parameters in")
    head = " ".join(f"?{n}" for n in names)
    body = " ".join("(" + " ".join(r) + ")" for r in rows)
    block = f" {{ SELECT * WHERE {{ VALUES ({head}) {{ {body} }} }} }} "
    at = where.where_brace + 1
    return query[:at] + block + query[at:]


def inject_values(query: str, bindings: Mapping[str, Binding] | None) -> str:
    """``query`` with ``bindings`` joined into its outer ``WHERE`` group.

    Args:
        query: a SELECT, ASK, CONSTRUCT or DESCRIBE query.
        bindings: variable name (without ``?``) → one term, or a sequence of terms
            (any of them may match). An empty sequence matches nothing.

    Raises:
        ValueError: a bad variable name or term, or a query without a WHERE group.
    """
    if not bindings:
        return query
    names, rows = _rows(bindings)
    return _with_block(query, names, rows)
