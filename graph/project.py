"""A networkx view of the document graph: documents as nodes, relations as edges.

``projection(store)`` reads everything with one SPARQL CONSTRUCT and builds a
``networkx.DiGraph``:

* node = document IRI, with ``label``, ``symbol``, ``key``, ``type`` (slug), ``date``
  (ISO), ``title`` and ``unresolved`` (0/1), each only when known;
* edge = citing → cited, with ``relation`` (the most specific relation stated),
  ``relations`` (all of them, comma-separated) and ``weight`` (how many).

Attribute values are only ``str`` and ``int`` (never None), so ``write_graphml`` output
opens in Gephi, yEd and Cytoscape.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

import networkx as nx
from rdflib import Graph, Literal, URIRef

from graph.store import GraphStore
from ontology.load import type_concept
from ontology.ns import ELI, LO
from ontology.terms import DOC_TYPES, RELATIONS

__all__ = [
    "CHAIN_RELATIONS",
    "edge_relation",
    "implementation_chain",
    "merge_same_documents",
    "most_cited",
    "projection",
    "relation_names",
    "write_graphml",
]

# Most specific first: the edge's "relation" is the first of these it carries.
_PRIORITY = ("replaces", "amends", "continues", "implements", "based_on", "attached_to",
             "reports_on", "same_document", "cites")
# Relations an implementation chain climbs (graph/queries/implementation_chain.rq).
CHAIN_RELATIONS = frozenset({"implements", "continues", "based_on", "attached_to",
                             "same_document"})

_PROJECTION = """
PREFIX lo: <https://w3id.org/luocdo/ontology#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
CONSTRUCT {
  ?s ?rel ?o .
  ?d lo:identityKey ?key ; lo:symbol ?symbol ; lo:documentType ?type ;
     eli:date_document ?date ; eli:title ?title ; lo:unresolved ?unresolved .
}
WHERE {
  { ?s ?rel ?o . FILTER (?rel IN (%s)) }
  UNION
  {
    ?d a lo:Document ; lo:identityKey ?key .
    OPTIONAL { ?d lo:symbol ?symbol }
    OPTIONAL { ?d lo:documentType ?type }
    OPTIONAL { ?d eli:date_document ?date }
    OPTIONAL { ?d eli:title ?title }
    OPTIONAL { ?d lo:unresolved ?unresolved }
  }
}
"""


@cache
def relation_names() -> dict[URIRef, str]:
    """Relation property → relation name ("implements", …, "same_document")."""
    names = {LO[r.local]: str(r.relation) for r in RELATIONS}
    names[LO.sameDocumentAs] = "same_document"
    return names


def edge_relation(relations: Iterable[str]) -> str:
    """The most specific of the relation names one edge carries."""
    given = set(relations)
    return next(r for r in _PRIORITY if r in given)


@cache
def _type_slugs() -> dict[URIRef, str]:
    return {type_concept(t.slug): t.slug for t in DOC_TYPES}


def _first(values: Iterable[Any]) -> str | None:
    found = sorted(str(v) for v in values)
    return found[0] if found else None


def _node_attrs(rdf: Graph, node: URIRef) -> dict[str, str | int]:
    attrs: dict[str, str | int] = {}
    for name, prop in (("key", LO.identityKey), ("symbol", LO.symbol), ("date", ELI.date_document),
                       ("title", ELI.title)):
        value = _first(rdf.objects(node, prop))
        if value is not None:
            attrs[name] = value
    slugs = _type_slugs()
    slug = _first(slugs.get(URIRef(str(t)), "") for t in rdf.objects(node, LO.documentType))
    if slug:
        attrs["type"] = slug
    attrs["unresolved"] = int(any(o == Literal(True) for o in rdf.objects(node, LO.unresolved)))
    attrs["label"] = str(attrs.get("symbol") or attrs.get("title") or attrs.get("key") or node)
    return attrs


def _to_networkx(rdf: Graph) -> nx.DiGraph:
    g = nx.DiGraph()
    for node in sorted({str(d) for d in rdf.subjects(LO.identityKey, None)}):
        g.add_node(node, **_node_attrs(rdf, URIRef(node)))
    relations: dict[tuple[str, str], set[str]] = defaultdict(set)
    names = relation_names()
    for subj, pred, obj in rdf:
        name = names.get(URIRef(str(pred)))
        if name is not None and isinstance(obj, URIRef):
            relations[(str(subj), str(obj))].add(name)
    for (src, dst), rels in sorted(relations.items()):
        for n in (src, dst):
            if n not in g:
                g.add_node(n, label=n, unresolved=1)
        g.add_edge(src, dst, relation=edge_relation(rels), relations=",".join(sorted(rels)),
                   weight=len(rels))
    return g


def projection(store: GraphStore) -> nx.DiGraph:
    """The document graph of ``store`` as a ``networkx.DiGraph`` (see the module docstring)."""
    props = ", ".join(f"<{p}>" for p in sorted(relation_names()))
    result = store.query(_PROJECTION % props)
    return _to_networkx(result.graph if result.graph is not None else Graph())


def merge_same_documents(g: nx.DiGraph) -> nx.DiGraph:
    """A copy of ``g`` where each undated mention node joined to its only dated document
    by ``same_document`` is folded into that document (edges move, no self-loops)."""
    merged = g.copy()
    for src, dst, attrs in list(g.edges(data=True)):
        if attrs.get("relation") != "same_document" or src not in merged or dst not in merged:
            continue
        for pred, _, data in list(merged.in_edges(src, data=True)):
            if pred != dst and not merged.has_edge(pred, dst):
                merged.add_edge(pred, dst, **data)
        for _, succ, data in list(merged.out_edges(src, data=True)):
            if succ != dst and not merged.has_edge(dst, succ):
                merged.add_edge(dst, succ, **data)
        merged.remove_node(src)
    return merged


def most_cited(g: nx.DiGraph, n: int = 10) -> list[tuple[str, int]]:
    """The ``n`` nodes cited by the most distinct documents, as (node, count)."""
    degrees = ((node, int(d)) for node, d in g.in_degree())
    ranked = sorted(degrees, key=lambda nd: (-nd[1], nd[0]))
    return [(node, d) for node, d in ranked[:n] if d > 0]


def implementation_chain(g: nx.DiGraph, node: str) -> list[list[str]]:
    """Every path from ``node`` up chain edges (implements, continues, based on,
    attached to, same document) to a document that carries nothing further out.

    Returns:
        Paths as lists of nodes, each starting at ``node``; ``[[node]]`` when it is a root.
    """
    def up(n: str) -> list[str]:
        return sorted(m for m in g.successors(n)
                      if CHAIN_RELATIONS & set(g.edges[n, m]["relations"].split(",")))

    paths: list[list[str]] = []
    stack: list[list[str]] = [[node]]
    while stack:
        path = stack.pop()
        nxt = [m for m in up(path[-1]) if m not in path]
        if not nxt:
            paths.append(path)
        stack.extend([*path, m] for m in reversed(nxt))
    return paths


def write_graphml(g: nx.DiGraph, path: str | Path) -> None:
    """Write ``g`` as GraphML (UTF-8)."""
    nx.write_graphml(g, str(path), encoding="utf-8")
