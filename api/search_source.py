"""What the on-disk search index (``api.search_store``) reads from a graph store.

* ``fingerprint(graphs)``: source graph IRI → SHA-256 of its file (the ``lo:sha256``
  the ingest records in each source graph); ``count()``: how many there are;
  ``recent(since)``: the graphs whose ingest time (``prov:generatedAtTime`` in the
  provenance graph) is ``since`` or later. After a write, ``count`` and ``recent``
  (answered inside the store, a few milliseconds at any size) tell which graphs were
  written; only a removal (the count drops) needs the whole fingerprint;
* ``mentions(graphs)``: (graph, document IRI) for every document a named graph gives
  an identity key (a source graph describes its own document and every document it
  cites): which entries a changed graph may have touched;
* ``fields(iris)``: (document IRI, field, value) rows, the fields of
  ``graph/queries/documents.rq`` (``key``, ``symbol``, ``docType``, ``date``, ``title``,
  ``issuerName``) plus ``typed`` for a ``lo:Document``, read from the union of all graphs.

``NativeSource`` runs these in pyoxigraph directly (strings out, no rdflib terms; the
materialised union default graph, ``graph.union``, when the store keeps one) and reads
a few documents through the quad indexes. ``SparqlSource`` asks any ``GraphStore``
(a remote endpoint). Both stream: nothing holds every document at once.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, XSD

from graph import union
from graph.results import truthy
from graph.sparql import term_sparql
from graph.store import GraphStore
from ontology.ns import ELI, LO

__all__ = ["ISSUER", "TYPED", "NativeSource", "Source", "SparqlSource", "source_for"]

Row = tuple[str, str, str]

_PREFIXES = """PREFIX lo: <https://w3id.org/luocdo/ontology#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
# One small DISTINCT select per field, joined in Python. The union default graph repeats a
# triple once per source file that states it, so a join of several patterns about a much
# cited document multiplies those copies (k files → k² rows per pair of patterns): the
# single ``documents.rq`` join took minutes on 2,000 documents. Each query here matches
# one or two patterns and DISTINCT folds the copies.
_INDEX_FIELDS: tuple[tuple[str, str], ...] = (
    ("key", "SELECT DISTINCT ?doc ?v WHERE { ?doc lo:identityKey ?v }"),
    ("symbol", "SELECT DISTINCT ?doc ?v WHERE { ?doc lo:symbol ?v }"),
    ("docType", "SELECT DISTINCT ?doc ?v WHERE { ?doc lo:documentType ?v }"),
    ("date", "SELECT DISTINCT ?doc ?v WHERE { ?doc eli:date_document ?v }"),
    ("title", "SELECT DISTINCT ?doc ?v WHERE { ?doc eli:title ?v }"),
)
_ISSUERS = "SELECT DISTINCT ?doc ?node WHERE { ?doc lo:issuedBy ?node }"
# The issuer's name: its Vietnamese skos:prefLabel, else its plain rdfs:label.
_ISSUER_NAMES = """SELECT DISTINCT ?node ?v ?pref WHERE {
  { ?node skos:prefLabel ?v FILTER (LANG(?v) = "vi") BIND (true AS ?pref) }
  UNION
  { ?node rdfs:label ?v FILTER (LANG(?v) = "") BIND (false AS ?pref) }
}"""

TYPED = "typed"
ISSUER = "issuerName"
# Graphs or documents per bound query (a VALUES block of their IRIs).
_CHUNK = 400
_SOURCES = "SELECT ?g ?sha WHERE { GRAPH ?g { ?x lo:sha256 ?sha } }"
_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?x lo:sha256 ?sha } }"
_MENTIONS = "SELECT DISTINCT ?g ?doc WHERE { GRAPH ?g { ?doc lo:identityKey ?k } }"
_TYPED = "SELECT DISTINCT ?doc WHERE { ?doc a lo:Document }"
# The predicates of ``_INDEX_FIELDS`` (read one document at a time).
_FIELD_PREDICATES = (("key", LO.identityKey), ("symbol", LO.symbol),
                     ("docType", LO.documentType), ("date", ELI.date_document),
                     ("title", ELI.title))


class Source:
    """Reads for the search index, in SPARQL over ``store`` (see the module docstring)."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store

    def select(self, text: str, **bindings: Any) -> Iterator[tuple[str | None, ...]]:
        """Rows of a SELECT (with the ``api.search`` prefixes) as lexical strings."""
        result = self.store.query(_PREFIXES + text, bindings or None)
        names = result.vars
        for row in result.rows:
            yield tuple(str(row[n]) if n in row else None for n in names)

    # --- what changed -----------------------------------------------------------------------

    def count(self) -> int:
        return int(next(self.select(_COUNT))[0] or 0)

    def fingerprint(self, graphs: Collection[str] | None = None) -> dict[str, str]:
        if graphs is None:
            return {str(g): str(sha) for g, sha in self.select(_SOURCES)}
        out: dict[str, str] = {}
        for part in _chunks(graphs):
            out.update((str(g), str(sha)) for g, sha in self.select(
                _SOURCES, g=[URIRef(x) for x in part]))
        return out

    def recent(self, since: str | None) -> tuple[list[str], str | None]:
        """Graphs ingested at ``since`` or later, and the latest ingest time.

        With ``since`` None: no graphs, only the latest time (a full scan follows).
        """
        prov = term_sparql(self.store.provenance_graph)
        when = term_sparql(PROV.generatedAtTime)
        if since is None:
            text = f"SELECT (MAX(?t) AS ?m) WHERE {{ GRAPH {prov} {{ ?g {when} ?t }} }}"
            return [], next(self.select(text), (None,))[0]
        cond = f"FILTER (?t >= {term_sparql(Literal(since, datatype=XSD.dateTime))})"
        rows = list(self.select(f"SELECT ?g ?t WHERE {{ GRAPH {prov} {{ ?g {when} ?t {cond} }} }}"))
        times = [str(t) for _, t in rows if t]
        return [str(g) for g, _ in rows], max([since, *times])

    def mentions(self, graphs: Collection[str] | None) -> Iterator[tuple[str, str]]:
        if graphs is None:
            yield from ((str(g), str(d)) for g, d in self.select(_MENTIONS))
            return
        for part in _chunks(graphs):
            yield from ((str(g), str(d))
                        for g, d in self.select(_MENTIONS, g=[URIRef(x) for x in part]))

    # --- fields -----------------------------------------------------------------------------

    def fields(self, iris: Collection[str] | None) -> Iterator[Row]:
        if iris is None:
            yield from self._fields()
            return
        for part in _chunks(iris):
            yield from self._fields([URIRef(d) for d in part])

    def _fields(self, docs: list[URIRef] | None = None) -> Iterator[Row]:
        bound: dict[str, Any] = {"doc": docs} if docs is not None else {}
        yield from ((str(d), TYPED, "") for (d,) in self.select(_TYPED, **bound))
        for name, text in _INDEX_FIELDS:
            yield from ((str(d), name, str(v)) for d, v in self.select(text, **bound))
        issued = [(str(d), str(node)) for d, node in self.select(_ISSUERS, **bound)]
        names = self._issuer_names(None if docs is None else {n for _, n in issued})
        yield from ((d, ISSUER, n) for d, node in issued for n in names.get(node, ()))

    def _issuer_names(self, nodes: Collection[str] | None) -> dict[str, tuple[str, ...]]:
        """Issuer node → its Vietnamese preferred labels, else its plain labels (of
        ``nodes``, or of every node when None)."""
        pref: dict[str, list[str]] = {}
        plain: dict[str, list[str]] = {}
        parts = [None] if nodes is None else list(_chunks(nodes))
        for part in parts:
            bound = {} if part is None else {"node": [URIRef(n) for n in part]}
            for node, v, is_pref in self.select(_ISSUER_NAMES, **bound):
                (pref if truthy(is_pref) else plain).setdefault(str(node), []).append(
                    str(v))
        return {n: tuple(pref.get(n) or plain.get(n) or ()) for n in {*pref, *plain}}


class SparqlSource(Source):
    """Any store, asked in SPARQL (for a store without a native handle)."""


class NativeSource(Source):
    """An Oxigraph store read through pyoxigraph directly (thread-safe reads)."""

    def __init__(self, store: GraphStore, native: Any) -> None:
        import pyoxigraph as ox

        super().__init__(store)
        self.native = native
        self.ox = ox
        materialised = union.is_materialised(native)
        self.options = union.query_options(materialised, False)
        # The maintained union; else every graph (duplicates folded by the index).
        self.union: Any = ox.DefaultGraph() if materialised else None

    def select(self, text: str, **bindings: Any) -> Iterator[tuple[str | None, ...]]:
        from graph.sparql import inject_values

        answer = self.native.query(inject_values(_PREFIXES + text, bindings or None),
                                   **self.options)
        names = [v.value for v in answer.variables]
        for solution in answer:
            yield tuple(None if (t := solution[n]) is None else t.value for n in names)

    def fields(self, iris: Collection[str] | None) -> Iterator[Row]:
        if iris is None:
            yield from self._fields()
            return
        wanted = {str(p): name for name, p in _FIELD_PREDICATES}
        rows: set[Row] = set()
        issued: set[tuple[str, str]] = set()
        for iri in iris:
            for q in self.native.quads_for_pattern(self.ox.NamedNode(iri), None, None,
                                                   self.union):
                p, o = q.predicate.value, q.object.value
                if p in wanted:
                    rows.add((iri, wanted[p], o))
                elif p == str(RDF.type) and o == str(LO.Document):
                    rows.add((iri, TYPED, ""))
                elif p == str(LO.issuedBy):
                    issued.add((iri, o))
        names = self._issuer_names({n for _, n in issued}) if issued else {}
        rows.update((d, ISSUER, n) for d, node in issued for n in names.get(node, ()))
        yield from sorted(rows)


def source_for(store: GraphStore) -> Source:
    """The fastest source for ``store``: native for an open Oxigraph store, else SPARQL."""
    native = getattr(store, "native", None)
    return NativeSource(store, native) if native is not None else SparqlSource(store)


def _chunks(items: Collection[str]) -> Iterator[list[str]]:
    ordered = sorted(items)
    for i in range(0, len(ordered), _CHUNK):
        yield ordered[i:i + _CHUNK]
