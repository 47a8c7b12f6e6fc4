"""Counts kept in the derived graph: documents per type, and how often each is cited.

Aggregates over a whole national corpus (a COUNT over every document or citation) take
hundreds of milliseconds to seconds on any store, where the people asking expect an
answer at once. So ``graph.pipeline.refresh_derived`` recomputes them after every
ingest and keeps them as plain triples; ``stats.rq``, ``cited_by_count.rq`` and
``most_cited.rq`` then read them with a lookup:

* one ``lo:TypeCount`` node per document type (``<base>stats/type/<slug>``, and
  ``…/unknown`` for documents of no known type) with ``lo:documentType`` and
  ``lo:documentCount``;
* on every cited document, ``lo:citedByCount`` (distinct citing documents) and
  ``lo:mentionCount`` (citations), relations stated by a third document left out and
  undated mentions counted for the dated document they resolve to.

``count_graph`` is a pure function of the store's facts (read after the sameDocumentAs
links are written), kept in their own named graph ``<base>graph/derived/counts``, so
the counts never outlive the facts they count.
"""

from __future__ import annotations

from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from ontology.ns import LO

__all__ = ["count_graph"]

_TYPED = """PREFIX lo: <https://w3id.org/luocdo/ontology#>
SELECT ?t (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a lo:Document ; lo:documentType ?t } GROUP BY ?t"""

_UNTYPED = """PREFIX lo: <https://w3id.org/luocdo/ontology#>
SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE {
  ?d a lo:Document .
  FILTER NOT EXISTS { ?d lo:documentType ?t }
}"""

# Citing documents and citations per cited document, an undated mention counted for the
# dated document it resolves to (the derived graph's lo:sameDocumentAs, written first).
_CITED = """PREFIX lo: <https://w3id.org/luocdo/ontology#>
SELECT ?doc (COUNT(DISTINCT ?citing) AS ?by) (COUNT(DISTINCT ?c) AS ?n) WHERE {
  ?c lo:citedDocument ?cited ;
     lo:citingDocument ?citing .
  FILTER NOT EXISTS { ?c lo:statedBy ?someone }
  OPTIONAL { ?cited lo:sameDocumentAs ?dated }
  BIND (COALESCE(?dated, ?cited) AS ?doc)
}
GROUP BY ?doc"""


def _int(value: Any) -> int:
    return int(str(value))


def _type_counts(store: Any, base: str, g: Graph) -> None:
    for row in store.query(_TYPED).rows:
        concept = row["t"]
        slug = str(concept).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
        slug = slug.removeprefix("type-")
        node = URIRef(f"{base}stats/type/{slug}")
        g.add((node, RDF.type, LO.TypeCount))
        g.add((node, LO.documentType, concept))
        g.add((node, LO.documentCount, Literal(_int(row["n"]))))
    rows = store.query(_UNTYPED).rows
    untyped = _int(rows[0]["n"]) if rows and "n" in rows[0] else 0
    if untyped:
        node = URIRef(f"{base}stats/type/unknown")
        g.add((node, RDF.type, LO.TypeCount))
        g.add((node, LO.documentCount, Literal(untyped)))


def _cited_counts(store: Any, g: Graph) -> None:
    for row in store.query(_CITED).rows:
        g.add((row["doc"], LO.citedByCount, Literal(_int(row["by"]))))
        g.add((row["doc"], LO.mentionCount, Literal(_int(row["n"]))))


def count_graph(store: Any, base: str) -> Graph:
    """The count triples for ``store`` (see the module docstring).

    Args:
        store: a ``GraphStore`` whose derived ``lo:sameDocumentAs`` links are current.
        base: the store's base IRI (names the TypeCount nodes).
    """
    g = Graph()
    _type_counts(store, base, g)
    _cited_counts(store, g)
    return g
