"""Named SPARQL queries (``graph/queries/*.rq``), shared by the CLI and the HTTP API.

Each file opens with a comment header::

    # description: Documents that cite ?doc, with the relation, the quote and the file.
    # param: ?doc document - the cited document: IRI, identity key or symbol
    # param: ?year integer optional - year of issue

A parameter is bound as a ``VALUES`` block (``graph.sparql.inject_values``), never by
pasting text. Its kind says how a string given on the command line becomes RDF terms:

* ``document``: an IRI as is; otherwise an identity key or a symbol, looked up in the
  store (every document whose key or symbol matches, all years);
* ``doctype``: a type slug (``chi-thi``) → its SKOS concept; ``iri``: an IRI;
* ``string``, ``integer``, ``date``: a typed literal.

An optional parameter left out stays unbound; the query's ``FILTER (!BOUND(?x) || …)``
then lets everything through.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

import regex
from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from graph.results import QueryResult
from graph.sparql import Binding
from graph.store import GraphStore
from ingest.identity import fold_key
from ingest.symbols import parse_symbol
from ontology.terms import DOC_TYPES, fold_code

__all__ = ["NamedQuery", "Param", "list_queries", "load_query", "resolve_documents", "run_named"]

_NAME = regex.compile(r"^[a-z][a-z0-9_]*$")
_DESCRIPTION = regex.compile(r"^#\s*description:\s*(?P<text>.*)$")
_PARAM = regex.compile(
    r"^#\s*param:\s*\?(?P<name>[A-Za-z_]\w*)\s+(?P<kind>\w+)(?P<optional>\s+optional)?"
    r"\s*(?:-\s*(?P<text>.*))?$"
)
_KINDS = frozenset({"document", "doctype", "iri", "string", "integer", "date"})
_IRI = regex.compile(r"^(?:https?|urn):\S+$")


@dataclass(frozen=True, slots=True)
class Param:
    """One declared parameter of a named query."""

    name: str
    kind: str
    optional: bool
    description: str


@dataclass(frozen=True, slots=True)
class NamedQuery:
    """A query file: its name, what it answers and the parameters it takes."""

    name: str
    description: str
    params: tuple[Param, ...]
    text: str


def _query_files() -> dict[str, str]:
    folder = resources.files("graph") / "queries"
    return {
        entry.name[:-3]: entry.read_text(encoding="utf-8")
        for entry in folder.iterdir()
        if entry.name.endswith(".rq")
    }


def _parse(name: str, text: str) -> NamedQuery:
    description: list[str] = []
    params: list[Param] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        if m := _PARAM.match(line):
            kind = m.group("kind")
            if kind not in _KINDS:
                raise ValueError(f"{name}.rq: unknown parameter kind {kind!r}")
            params.append(Param(m.group("name"), kind, bool(m.group("optional")),
                                (m.group("text") or "").strip()))
        elif m := _DESCRIPTION.match(line):
            description.append(m.group("text").strip())
        else:  # a header without "description:" (graph.reports' queries): keep its prose
            description.append(regex.sub(rf"^#\s*(?:{regex.escape(name)}:)?\s*", "", line))
    return NamedQuery(name, " ".join(d for d in description if d), tuple(params), text)


@cache
def _catalogue() -> dict[str, NamedQuery]:
    return {name: _parse(name, text) for name, text in sorted(_query_files().items())}


def list_queries() -> list[NamedQuery]:
    """Every named query, sorted by name."""
    return list(_catalogue().values())


def load_query(name: str) -> str:
    """Text of ``graph/queries/<name>.rq``.

    Raises:
        KeyError: no query of that name.
    """
    if not _NAME.match(name) or name not in _catalogue():
        raise KeyError(f"no named query {name!r}; known: {', '.join(_catalogue())}")
    return _catalogue()[name].text


def resolve_documents(store: GraphStore, value: str) -> list[URIRef]:
    """Documents a user means by ``value``: an IRI, an identity key or a symbol.

    A symbol matches every year ("33/CT-TTg" → 33/CT-TTG@2021 and an undated mention);
    matching is case-insensitive and Đ/D-insensitive on the identity key.
    """
    text = unicodedata.normalize("NFC", value.strip())
    if _IRI.match(text):
        return [URIRef(text)]
    # Exact matches only, each answered by an index: the key itself, every year of a
    # symbol (lo:symbolKey is the key without "@year"), and the symbol as written.
    query = """
        PREFIX lo: <https://w3id.org/luocdo/ontology#>
        SELECT DISTINCT ?d WHERE {
          { ?d lo:identityKey ?key } UNION { ?d lo:symbolKey ?key } UNION { ?d lo:symbol ?written }
        }"""
    keys = [Literal(k) for k in sorted(_key_variants(text))]
    bindings: dict[str, Binding] = {"key": keys, "written": Literal(text)}
    return sorted(URIRef(str(d)) for d in store.query(query, bindings).values("d"))


def _key_variants(text: str) -> set[str]:
    """Identity keys (without year) a typed symbol may stand for.

    The folded text itself (a key typed as is), and the key of the parsed symbol under
    every document type: confusable codes (a Party "QĐ" is a Quyết định or a Quy định,
    keyed QD or QDI) give one variant each.
    """
    out = {fold_code(text).upper()}
    if "@" in text:  # a full key: that document only
        return out
    parts = parse_symbol(text)
    if parts is not None:
        out.add(fold_key(parts))
        out.update(fold_key(parts, t.slug) for t in DOC_TYPES)
    return out


def _terms(store: GraphStore, p: Param, value: object) -> list[Node]:
    """RDF terms for one parameter value (a term, a string, or a sequence of them)."""
    if isinstance(value, Node):
        return [value]
    if isinstance(value, Sequence) and not isinstance(value, str):
        return [t for v in value for t in _terms(store, p, v)]
    text = str(value)
    if p.kind == "document":
        return list(resolve_documents(store, text))
    if p.kind == "doctype":
        from ontology.load import type_concept

        return [URIRef(text) if _IRI.match(text) else type_concept(text)]
    if p.kind == "iri":
        return [URIRef(text)]
    if p.kind == "integer":
        return [Literal(int(text))]
    if p.kind == "date":
        return [Literal(dt.date.fromisoformat(text).isoformat(), datatype=XSD.date)]
    return [Literal(text)]


def _loose_term(value: object) -> Node:
    if isinstance(value, Node):
        return value
    text = str(value)
    return URIRef(text) if _IRI.match(text) else Literal(text)


def _loose(value: object) -> Binding:
    """A value for a query that declares no parameters: terms as given, IRIs, literals."""
    if isinstance(value, Sequence) and not isinstance(value, str):
        return [_loose_term(v) for v in value]
    return _loose_term(value)


def bind_params(store: GraphStore, query: NamedQuery,
                params: Mapping[str, object]) -> dict[str, Binding]:
    """Turn user values into bindings for ``query``.

    Raises:
        ValueError: an unknown parameter, or a required one missing.
    """
    given = {k: v for k, v in params.items() if v is not None}
    if not query.params:
        return {k: _loose(v) for k, v in given.items()}
    declared = {p.name: p for p in query.params}
    unknown = sorted(set(given) - set(declared))
    if unknown:
        raise ValueError(f"{query.name}: unknown parameter(s) {', '.join(unknown)}; "
                         f"takes {', '.join(declared)}")
    missing = [p.name for p in query.params if not p.optional and p.name not in given]
    if missing:
        raise ValueError(f"{query.name}: missing parameter(s) {', '.join(missing)}")
    return {name: _terms(store, declared[name], v) for name, v in given.items()}


def run_named(store: GraphStore, name: str, **params: object) -> QueryResult:
    """Run named query ``name`` with ``params`` bound (see the module docstring).

    Example:
        ``run_named(store, "cited_by", doc="33/CT-TTg")``

    Raises:
        KeyError: no such query. ValueError: bad parameters.
    """
    load_query(name)
    query = _catalogue()[name]
    return store.query(query.text, bind_params(store, query, params))
