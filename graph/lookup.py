"""Index-only reads about a few documents: their reader-facing fields and their neighbours.

These answer ``/documents/{id}``, its links and ``/documents/{id}/graph`` without
reading the whole store (the search index and the networkx projection do; at 10⁵
documents those take tens of seconds). Every query is bound to a ``VALUES`` block of
IRIs, so its cost follows the size of the answer, not of the store.

* ``document_fields(store, iris)``: one merged row per typed, keyed document (the shape
  ``api.search.entry`` reads: ``doc``, ``key``, ``symbol``, ``docType``, ``date``,
  ``title``, ``issuerName``, ``unresolved``); a field with several values keeps the
  smallest, as the search index does, so answers do not depend on row order.
* ``neighbourhood(store, center, depth, max_nodes)``: the documents within ``depth``
  relation hops of ``center`` (either direction), breadth first, neighbours in IRI order,
  at most ``max_nodes``; and the relation edges among them, each with its most specific
  relation (``graph.project`` rules).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rdflib import Literal, URIRef

from graph.project import edge_relation, relation_names
from graph.queries import load_query
from graph.store import GraphStore

__all__ = ["Edge", "Neighbourhood", "document_fields", "neighbourhood"]

# IRIs per VALUES block: keeps each query text and its answer small.
_CHUNK = 500
_FIELDS = ("key", "symbol", "docType", "date", "title", "unresolved")


def _chunks(items: Sequence[str]) -> Iterable[list[URIRef]]:
    for i in range(0, len(items), _CHUNK):
        yield [URIRef(x) for x in items[i:i + _CHUNK]]


def _issuer_names(store: GraphStore, issuers: Sequence[str]) -> dict[str, str]:
    """Issuer node → its name: the smallest Vietnamese preferred label, else the smallest
    label without a language tag."""
    pref: dict[str, list[str]] = {}
    plain: dict[str, list[str]] = {}
    text = load_query("issuer_names")
    for chunk in _chunks(issuers):
        for row in store.query(text, {"issuer": chunk}):
            node = str(row["issuer"])
            label, preferred = row.get("label"), row.get("prefLabel")
            if isinstance(preferred, Literal) and preferred.language == "vi":
                pref.setdefault(node, []).append(str(preferred))
            if isinstance(label, Literal) and not label.language:
                plain.setdefault(node, []).append(str(label))
    return {n: min(pref.get(n) or plain[n]) for n in {*pref, *plain}}


def document_fields(store: GraphStore, iris: Iterable[str]) -> dict[str, dict[str, str]]:
    """IRI → merged fields of each of ``iris`` that is a typed document with a key."""
    wanted = sorted(set(iris))
    values: dict[str, dict[str, set[str]]] = {}
    issuers: dict[str, set[str]] = {}
    text = load_query("document_fields")
    for chunk in _chunks(wanted):
        for row in store.query(text, {"doc": chunk}):
            doc = str(row["doc"])
            fields = values.setdefault(doc, {})
            for name in _FIELDS:
                if row.get(name) is not None:
                    fields.setdefault(name, set()).add(str(row[name]))
            if row.get("issuer") is not None:
                issuers.setdefault(doc, set()).add(str(row["issuer"]))
    names = _issuer_names(store, sorted({i for found in issuers.values() for i in found}))
    out: dict[str, dict[str, str]] = {}
    for doc, fields in values.items():
        merged = {"doc": doc, **{k: min(v) for k, v in fields.items()}}
        found = sorted(names[i] for i in issuers.get(doc, ()) if i in names)
        if found:
            merged["issuerName"] = found[0]
        out[doc] = merged
    return out


@dataclass(frozen=True, slots=True)
class Edge:
    """Relations from ``source`` to ``target``: the most specific one and all of them."""

    source: str
    target: str
    relation: str
    relations: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Neighbourhood:
    """Documents within reach of a centre (IRI → hops) and the edges among them."""

    center: str
    depth: int
    hops: dict[str, int]
    edges: tuple[Edge, ...]


def _related(store: GraphStore, name: str, docs: Sequence[str],
             limit: int | None = None) -> list[tuple[str, str, str]]:
    """(doc, relation property, other) rows of ``relations_out``/``relations_in``."""
    text = load_query(name)
    if limit is not None:
        text += f"\nLIMIT {int(limit)}"
    rows: list[tuple[str, str, str]] = []
    for chunk in _chunks(docs):
        rows += [(str(r["doc"]), str(r["relation"]), str(r["other"]))
                 for r in store.query(text, {"doc": chunk})]
    return rows


def _ring(store: GraphStore, center: str, depth: int, max_nodes: int) -> dict[str, int]:
    """Breadth-first hops from ``center``, neighbours of each node in IRI order."""
    hops = {center: 0}
    frontier = [center]
    for hop in range(1, depth + 1):
        if not frontier or len(hops) >= max_nodes:
            break
        found: dict[str, set[str]] = {}
        for doc, _, other in _related(store, "relations_out", frontier):
            found.setdefault(doc, set()).add(other)
        # Incoming edges may number tens of thousands: read no more than can be kept.
        room = max_nodes - len(hops)
        for node in frontier:
            for doc, _, other in _related(store, "relations_in", [node], room + len(hops)):
                found.setdefault(doc, set()).add(other)
        nxt = []
        for node in frontier:
            for other in sorted(found.get(node, ())):
                if other not in hops and len(hops) < max_nodes:
                    hops[other] = hop
                    nxt.append(other)
        frontier = nxt
    return hops


def neighbourhood(store: GraphStore, center: str, depth: int,
                  max_nodes: int = 500) -> Neighbourhood:
    """Documents within ``depth`` hops of ``center`` and the edges among them."""
    hops = _ring(store, center, depth, max_nodes)
    names = relation_names()
    stated: dict[tuple[str, str], set[str]] = {}
    for doc, prop, other in _related(store, "relations_out", sorted(hops)):
        name = names.get(URIRef(prop))
        if other in hops and name is not None:
            stated.setdefault((doc, other), set()).add(name)
    edges = tuple(Edge(s, o, edge_relation(rels), tuple(sorted(rels)))
                  for (s, o), rels in sorted(stated.items()))
    return Neighbourhood(center, depth, hops, edges)
