"""Counts kept in the derived graph: documents per type, and how often each is cited.

Aggregates over a whole national corpus (a COUNT over every document or citation) take
hundreds of milliseconds to seconds on any store, where the people asking expect an
answer at once. So ``graph.pipeline.refresh_derived`` recomputes them after every
ingest and keeps them as plain triples; ``stats.rq``, ``cited_by_count.rq`` and
``most_cited.rq`` then read them with a lookup:

* one ``lo:TypeCount`` node per document type (``<base>stats/type/<slug>``, and
  ``…/unknown`` for documents of no known type) with ``lo:documentType`` and
  ``lo:documentCount``;
* on every cited document, ``lo:citedByCount`` (distinct citing documents), its
  ``lo:citedByTier`` (the count's bit length: the index ``most_cited`` descends) and
  ``lo:mentionCount`` (citations), relations stated by a third document left out and
  undated mentions counted for the dated document they resolve to;
* on every document whose own headers give it more than one date (``eli:date_document``
  values, as text), ``lo:ownDateCount``: such a document's date is decided by its header
  evidence (``graph.reports``), so a reader that takes the date a due entry carries
  (``api.obligation_window``) reads these few in full and trusts the entry elsewhere.

``count_graph`` is a pure function of the store's facts (read after the sameDocumentAs
links are written), kept in their own named graph ``<base>graph/derived/counts``, so
the counts never outlive the facts they count.

Incremental use (``graph.pipeline.DerivedChanges``): a write to one source graph can
change

* the type counts of the documents the graph describes (``documents_in_graph``): their
  kinds (``document_kinds``) read just before and just after the write give an exact
  difference per type (``type_delta``), added to the counts kept;
* the date counts of the documents it types or dates (``dated_in_graph``), read again
  after the writes (``date_counts``);
* the citation counts of what the citing documents of its citations cite
  (``citers_in_graph``): each such *citer*'s counted citations (``citation_profiles``,
  a lookup from the citing side: a document cites a few dozen others at most) read
  before its first write and after the last give its exact contribution before and
  after to every count.

``count_changes`` turns both, and the ``lo:sameDocumentAs`` links before and after, into
the count triples to take out and put in, adding the differences to the counts kept.
A directive cited tens of thousands of times is never recounted: recounting it reads
one citing document per citation, seconds at 100,000 documents.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from graph import iri
from graph.follows import BATCH, select_text
from graph.sparql import term_sparql
from ontology.ns import LO

__all__ = [
    "UNKNOWN_TYPE",
    "CountPatch",
    "citation_profiles",
    "citers_in_graph",
    "count_changes",
    "count_graph",
    "count_triples",
    "date_counts",
    "dated_in_graph",
    "document_kinds",
    "documents_in_graph",
    "type_delta",
]

Triple = tuple[Node, Node, Node]
# A document's kind: the lo:documentType concepts it has; None when it is no lo:Document.
Kind = frozenset[str] | None
# The type_delta key of documents of no known type (the ".../unknown" TypeCount node).
UNKNOWN_TYPE = ""

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


# Documents whose own headers give them several dates (as text), with how many.
_SEVERAL_DATES = """PREFIX lo: <https://w3id.org/luocdo/ontology#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
SELECT ?d (COUNT(DISTINCT STR(?v)) AS ?n) WHERE {
  ?d a lo:Document ; eli:date_document ?v .
}
GROUP BY ?d
HAVING (COUNT(DISTINCT STR(?v)) > 1)"""


def _int(value: Any) -> int:
    return int(str(value))


def _type_node(base: str, concept: str) -> URIRef:
    """The TypeCount node of a type concept (``UNKNOWN_TYPE``: of documents of none)."""
    if concept == UNKNOWN_TYPE:
        return URIRef(f"{base}stats/type/unknown")
    slug = concept.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    return URIRef(f"{base}stats/type/{slug.removeprefix('type-')}")


def _type_triples(base: str, concept: str, n: int) -> list[Triple]:
    """The triples of one TypeCount node (none for a count of zero)."""
    if n <= 0:
        return []
    node = _type_node(base, concept)
    out: list[Triple] = [(node, RDF.type, LO.TypeCount)]
    if concept != UNKNOWN_TYPE:
        out.append((node, LO.documentType, URIRef(concept)))
    out.append((node, LO.documentCount, Literal(n)))
    return out


def _type_counts(store: Any, base: str) -> Iterator[Triple]:
    for row in store.query(_TYPED).rows:
        yield from _type_triples(base, str(row["t"]), _int(row["n"]))
    rows = store.query(_UNTYPED).rows
    untyped = _int(rows[0]["n"]) if rows and "n" in rows[0] else 0
    yield from _type_triples(base, UNKNOWN_TYPE, untyped)


def cited_tier(cited_by: int) -> int:
    """The ``lo:citedByTier`` of a count: its bit length (1 → 1, 2–3 → 2, 4–7 → 3, …).

    Every document of a lower tier is cited by fewer documents than any of a higher
    one, so the most cited are found tier by tier from the top (``most_cited``), each
    tier an exact-match lookup, instead of sorting every counted document.
    """
    return max(0, cited_by).bit_length()


def _cited_triples(doc: Node, cited_by: int, mentions: int) -> list[Triple]:
    return [(doc, LO.citedByCount, Literal(cited_by)),
            (doc, LO.citedByTier, Literal(cited_tier(cited_by))),
            (doc, LO.mentionCount, Literal(mentions))]


def _cited_counts(store: Any) -> Iterator[Triple]:
    for row in store.query(_CITED).rows:
        yield from _cited_triples(row["doc"], _int(row["by"]), _int(row["n"]))


def _date_counts(store: Any) -> Iterator[Triple]:
    for row in store.query(_SEVERAL_DATES).rows:
        yield row["d"], LO.ownDateCount, Literal(_int(row["n"]))


def count_graph(store: Any, base: str) -> Graph:
    """The count triples for ``store`` (see the module docstring) as a graph.

    Args:
        store: a ``GraphStore`` whose derived ``lo:sameDocumentAs`` links are current.
        base: the store's base IRI (names the TypeCount nodes).
    """
    g = Graph()
    g += count_triples(store, base)
    return g


def count_triples(store: Any, base: str) -> Iterator[Triple]:
    """``count_graph``'s triples, one at a time: a reader that keeps them
    in its own form (``graph.pipeline.rewrite_graph``) need not hold them as rdflib
    terms too, at a million documents 3 million triples and 3 GB."""
    yield from _type_counts(store, base)
    yield from _cited_counts(store)
    yield from _date_counts(store)


# --- incremental ------------------------------------------------------------------------------

_PREFIX = f"PREFIX lo: <{LO}>\nPREFIX rdf: <{RDF}>\n"
# ``{graph}`` is one IRI, ``{values}`` a list of IRIs, both serialised by term_sparql.
_GRAPH_DOCUMENTS = _PREFIX + """SELECT DISTINCT ?d WHERE {{ GRAPH {graph} {{
  {{ ?d a lo:Document }} UNION {{ ?d lo:documentType ?t }} }} }}"""
# Citation nodes a graph says anything counted about (what is cited, by whom, stated by).
_GRAPH_CITATIONS = _PREFIX + """SELECT DISTINCT ?c WHERE {{ GRAPH {graph} {{ ?c ?p ?x }}
  FILTER (?p IN (lo:citedDocument, lo:citingDocument, lo:statedBy)) }}"""
# The citing documents of known citation nodes, and of citations of known cited nodes.
_CITERS_OF_CITATIONS = _PREFIX + (
    "SELECT ?x WHERE {{ VALUES ?c {{ {values} }} ?c lo:citingDocument ?x }}")
_CITERS_OF_CITED = _PREFIX + """SELECT DISTINCT ?x WHERE {{ VALUES ?cited {{ {values} }}
  ?c lo:citedDocument ?cited ; lo:citingDocument ?x }}"""
_IS_DOCUMENT = _PREFIX + "SELECT ?d WHERE {{ VALUES ?d {{ {values} }} ?d a lo:Document }}"
_DOCUMENT_TYPES = _PREFIX + (
    "SELECT ?d ?t WHERE {{ VALUES ?d {{ {values} }} ?d lo:documentType ?t }}")
# Subjects a graph dates (a date can land on a document another graph types).
_GRAPH_DATED = _PREFIX + """PREFIX eli: <http://data.europa.eu/eli/ontology#>
SELECT DISTINCT ?d WHERE {{ GRAPH {graph} {{ ?d eli:date_document ?v }} }}"""
# _SEVERAL_DATES for known documents.
# (a ``_bound`` template: its braces doubled, ``{values}`` filled with IRIs)
_SEVERAL_DATES_OF = _SEVERAL_DATES.replace("{", "{{").replace("}", "}}").replace(
    "WHERE {{\n", "WHERE {{\n  VALUES ?d {{ {values} }}\n", 1)
# The counted citations of known citing documents (what _CITED counts, seen from them).
_PROFILES = _PREFIX + """SELECT ?x ?c ?cited WHERE {{
  VALUES ?x {{ {values} }}
  ?c lo:citingDocument ?x ;
     lo:citedDocument ?cited .
  FILTER NOT EXISTS {{ ?c lo:statedBy ?someone }}
}}"""
# The count triples kept on known documents, and every TypeCount node.
_KEPT_CITED = _PREFIX + """SELECT ?d ?p ?o WHERE {{
  VALUES ?d {{ {values} }}
  GRAPH {graph} {{ ?d ?p ?o }}
  FILTER (?p IN (lo:citedByCount, lo:citedByTier, lo:mentionCount))
}}"""
_KEPT_DATES = _PREFIX + """SELECT ?d ?o WHERE {{
  VALUES ?d {{ {values} }}
  GRAPH {graph} {{ ?d lo:ownDateCount ?o }}
}}"""
_KEPT_TYPES = _PREFIX + """SELECT ?node ?p ?o WHERE {{ GRAPH {graph} {{
  ?node a lo:TypeCount ; ?p ?o }} }}"""


@dataclass(frozen=True, slots=True)
class CountPatch:
    """Count triples to take out of and put into the counts graph (disjoint)."""

    remove: tuple[Triple, ...]
    add: tuple[Triple, ...]


def _iris(values: Iterable[str]) -> str:
    return " ".join(term_sparql(URIRef(v)) for v in values)


def _bound(store: Any, template: str, values: Iterable[str], **names: str
           ) -> list[dict[str, str | None]]:
    """Rows of ``template`` with its ``{values}`` block filled ``BATCH`` IRIs at a time."""
    todo = sorted(set(values))
    rows: list[dict[str, str | None]] = []
    for at in range(0, len(todo), BATCH):
        rows += select_text(store, template.format(values=_iris(todo[at:at + BATCH]), **names))
    return rows


def _in_graph(graph_iri: str) -> str:
    return term_sparql(URIRef(graph_iri))


def documents_in_graph(store: Any, graph_iri: str) -> set[str]:
    """Documents the named graph types as ``lo:Document`` or gives a ``lo:documentType``."""
    text = _GRAPH_DOCUMENTS.format(graph=_in_graph(graph_iri))
    return {str(r["d"]) for r in select_text(store, text)}


def document_kinds(store: Any, documents: Collection[str]) -> dict[str, Kind]:
    """Each document's kind in the whole store (see ``Kind``)."""
    is_doc = {str(r["d"]) for r in _bound(store, _IS_DOCUMENT, documents)}
    types: dict[str, set[str]] = defaultdict(set)
    for r in _bound(store, _DOCUMENT_TYPES, documents):
        types[str(r["d"])].add(str(r["t"]))
    return {d: frozenset(types[d]) if d in is_doc else None for d in documents}


def dated_in_graph(store: Any, graph_iri: str) -> set[str]:
    """Subjects the named graph gives an ``eli:date_document``."""
    text = _GRAPH_DATED.format(graph=_in_graph(graph_iri))
    return {str(r["d"]) for r in select_text(store, text)}


def date_counts(store: Any, documents: Collection[str]) -> dict[str, int]:
    """How many dates (as text) each of ``documents`` that has more than one has."""
    return {str(r["d"]): _int(r["n"]) for r in _bound(store, _SEVERAL_DATES_OF, documents)}


def _date_patch(store: Any, counts: str, documents: Collection[str]
                ) -> tuple[set[Triple], set[Triple]]:
    """``lo:ownDateCount`` triples out and in for ``documents``, as the store is now."""
    kept: set[Triple] = {(URIRef(str(r["d"])), LO.ownDateCount, Literal(_int(r["o"])))
                         for r in _bound(store, _KEPT_DATES, documents, graph=counts)}
    now: set[Triple] = {(URIRef(d), LO.ownDateCount, Literal(n))
                        for d, n in date_counts(store, documents).items()}
    return kept, now


def type_delta(before: Mapping[str, Kind], after: Mapping[str, Kind]) -> Counter[str]:
    """How each type's document count changes when the kinds go from ``before`` to ``after``.

    Keys are type concepts, and ``UNKNOWN_TYPE`` for documents of no type; a document
    missing from one side has no kind there.
    """
    delta: Counter[str] = Counter()
    for doc in {*before, *after}:
        for kind, sign in ((before.get(doc), -1), (after.get(doc), 1)):
            if kind is not None:
                for concept in kind or {UNKNOWN_TYPE}:
                    delta[concept] += sign
    return Counter({k: v for k, v in delta.items() if v})


def citers_in_graph(store: Any, graph_iri: str) -> set[str]:
    """Citing documents of the citations the named graph says anything counted about."""
    citations = [str(r["c"]) for r in select_text(
        store, _GRAPH_CITATIONS.format(graph=_in_graph(graph_iri)))]
    return {str(r["x"]) for r in _bound(store, _CITERS_OF_CITATIONS, citations)}


# A citer's counted citations: (citation, cited node) pairs.
Profile = frozenset[tuple[str, str]]


def citation_profiles(store: Any, citers: Collection[str]) -> dict[str, Profile]:
    """Each citing document's counted citations, as ``_CITED`` counts them."""
    found: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for r in _bound(store, _PROFILES, citers):
        found[str(r["x"])].add((str(r["c"]), str(r["cited"])))
    return {x: frozenset(found[x]) for x in citers}


def _contribution(profile: Profile, same: Mapping[str, str]) -> dict[str, set[str]]:
    """Document → the citations of one citer counted for it (``same`` maps the cited)."""
    out: dict[str, set[str]] = defaultdict(set)
    for c, cited in profile:
        out[same.get(cited, cited)].add(c)
    return out


def _cited_delta(before: Mapping[str, Profile], after: Mapping[str, Profile],
                 old_same: Mapping[str, str], new_same: Mapping[str, str]
                 ) -> dict[str, tuple[int, int]]:
    """Document → change of (citing documents, citations) counted for it."""
    delta: dict[str, tuple[int, int]] = {}
    for citer in {*before, *after}:
        for profile, same, sign in ((before.get(citer, frozenset()), old_same, -1),
                                    (after.get(citer, frozenset()), new_same, 1)):
            for doc, citations in _contribution(profile, same).items():
                by, n = delta.get(doc, (0, 0))
                delta[doc] = (by + sign, n + sign * len(citations))
    return {d: v for d, v in delta.items() if v != (0, 0)}


def _kept_cited(store: Any, counts: str, docs: Collection[str]) -> set[Triple]:
    """The citation counts the counts graph holds on ``docs``."""
    rows = _bound(store, _KEPT_CITED, docs, graph=counts)
    return {_triple(str(r["d"]), str(r["p"]), r["o"]) for r in rows}


def _kept_types(store: Any, counts: str) -> set[Triple]:
    """Every TypeCount triple the counts graph holds (one node per type: a few dozen)."""
    rows = select_text(store, _KEPT_TYPES.format(graph=counts))
    return {_triple(str(r["node"]), str(r["p"]), r["o"]) for r in rows}


def _triple(s: str, p: str, o: str | None) -> Triple:
    """A count triple back from its lexical form (the objects are IRIs or integers)."""
    value = str(o)
    obj: Node = URIRef(value) if p in {str(RDF.type), str(LO.documentType)} else Literal(
        int(value))
    return URIRef(s), URIRef(p), obj


def _type_patch(store: Any, base: str, counts: str, delta: Mapping[str, int]
                ) -> tuple[set[Triple], set[Triple]]:
    """TypeCount triples out and in: the kept counts plus ``delta``, for changed types."""
    kept = _kept_types(store, counts) if delta else set()
    nodes: dict[Node, str] = {_type_node(base, c): c for c in delta}
    current = {nodes[s]: int(str(o)) for s, p, o in kept
               if p == LO.documentCount and s in nodes}
    remove = {t for t in kept if t[0] in nodes}
    add = {t for c, d in delta.items() for t in _type_triples(base, c, current.get(c, 0) + d)}
    return remove, add


def _relinked_citers(store: Any, old_same: Mapping[str, str],
                     new_same: Mapping[str, str]) -> set[str]:
    """Documents citing a mention whose ``lo:sameDocumentAs`` link changed."""
    changed = {k for k in {*old_same, *new_same} if old_same.get(k) != new_same.get(k)}
    return {str(r["x"]) for r in _bound(store, _CITERS_OF_CITED, changed)}


def _cited_patch(store: Any, counts: str, delta: Mapping[str, tuple[int, int]]
                 ) -> tuple[set[Triple], set[Triple]]:
    """Citation count triples out and in: the kept counts plus ``delta``."""
    kept = _kept_cited(store, counts, delta)
    current: dict[str, dict[Node, int]] = defaultdict(dict)
    for s, p, o in kept:
        current[str(s)][p] = int(str(o))
    add: set[Triple] = set()
    for doc, (by, n) in delta.items():
        now = current[doc]
        total = now.get(LO.mentionCount, 0) + n
        if total > 0:
            add.update(_cited_triples(URIRef(doc), now.get(LO.citedByCount, 0) + by, total))
    return kept, add


def count_changes(
    store: Any,
    base: str,
    profiles: Mapping[str, Profile],
    types: Mapping[str, int],
    old_same: Mapping[str, str],
    new_same: Mapping[str, str],
    dated: Collection[str] = (),
) -> CountPatch:
    """The counts graph's change after some writes (see the module docstring).

    Args:
        store: the store after the writes (its counts graph as the last full or
            incremental refresh left it).
        base: the store's base IRI.
        profiles: ``citation_profiles`` of every citer of every written graph (before
            and after its write: ``citers_in_graph``, and the citing documents of the
            citations of a graph about to land), each read before the first write
            that touched it.
        types: the sum of the writes' ``type_delta``.
        old_same: the ``lo:sameDocumentAs`` links the counts kept were computed with.
        new_same: the links in force now (the only ``lo:sameDocumentAs`` facts the
            store will hold once they are written).
        dated: every document a written graph typed or dated, before or after its
            write (``documents_in_graph``, ``dated_in_graph``): only their date counts
            can have changed.
    """
    counts = _in_graph(str(iri.counts_graph_iri(base)))
    relinked = _relinked_citers(store, old_same, new_same) - set(profiles)
    after = citation_profiles(store, {*profiles, *relinked})
    before = {**{x: after[x] for x in relinked}, **profiles}
    old, new = _cited_patch(store, counts, _cited_delta(before, after, old_same, new_same))
    out_types, in_types = _type_patch(store, base, counts, types)
    out_dates, in_dates = _date_patch(store, counts, dated)
    remove = (old - new) | (out_types - in_types) | (out_dates - in_dates)
    add = (new - old) | (in_types - out_types) | (in_dates - out_dates)
    return CountPatch(tuple(sorted(remove)), tuple(sorted(add)))
