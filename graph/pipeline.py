"""Files → store: extract each file, replace its named graph, then re-derive cross-file facts.

One source file is one named graph, named from the file's absolute, normalised path
(``graph.iri.source_graph_iri``). Re-ingesting a file replaces its graph, so a corpus
can be ingested again and again without duplicates. A broken file is reported and
skipped; the others still land.

A file that moved is a new path, hence a new graph. So that the old copy does not
linger, a graph whose file no longer exists and whose SHA-256 equals that of a file
just ingested is dropped (``IngestSummary.moved``). A deleted file's graph stays until
``GraphStore.remove_source`` is called for it.

Cross-file resolution (``refresh_derived``): a document known only from an undated
mention (identity key without ``@year``, ``lo:unresolved true``) is linked with
``lo:sameDocumentAs`` to the one dated document whose key is the same symbol plus a
year, when exactly one such document is in the store. The links live in their own
named graph, ``<base>graph/derived``, brought up to date after every ingest, so
they never outlive the facts they rest on and never touch a source graph. Two or
more candidates (a number reused in another year) leave the mention unresolved.
The same graph holds ``lo:followsSection`` links from a report's sections to the
outline sections they answer (``graph.follows``). Then the counts that aggregate queries
read (``graph.counts``) are brought up to date in ``<base>graph/derived/counts``, and
the due pages that date windows read (``graph.due_pages``) in
``<base>graph/derived/due-pages``.

Incremental refresh. Recomputing the three over the whole store takes minutes at
100,000 documents, so writes that go through a ``DerivedChanges`` (as ``ingest_paths``'s
do) note, just before and just after each write, what the written graph can change:

* the undated mentions and dated documents it describes, and their keys: only the
  mentions with one of those keys can gain, lose or change a ``lo:sameDocumentAs``
  link, and their candidates are read again with queries bound to them;
* ``graph.follows.follow_scope`` of the graph (before and after, with the links in
  force before): the reports whose ``lo:followsSection`` links can change, or "all";
  with ``same_as_scope`` of the link change, ``updated_follows_graph`` recomputes those
  (``follows_graph`` when a scope says "all": an outline arrived, changed or went);
* the documents citing in its citations, and the kinds of the documents it describes
  (``graph.counts``): what those cite, read before and after, adjusts the citation
  counts; the kinds, the type counts;
* its due entries (``graph.due_pages.graph_entries``), before its first write and after
  the batch: the days whose pages change.

``refresh_derived(store, changes)`` then writes only the triples that changed, in one
transaction. The result equals the full recomputation (``refresh_derived(store)``),
provided the derived graphs were exact before the writes and every write since went
through ``changes``; without a change set, or when the store has no counts yet, the
full recomputation runs.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, XSD
from rdflib.term import Node

from graph import iri, union
from graph.counts import (
    Profile,
    citation_profiles,
    citers_in_graph,
    count_changes,
    count_triples,
    dated_in_graph,
    document_kinds,
    documents_in_graph,
    type_delta,
)
from graph.due_pages import graph_entries, page_changes, page_triples, pages_kept
from graph.follows import (
    BATCH,
    FollowScope,
    follow_scope,
    follows_graph,
    same_as_scope,
    select_text,
    updated_follows_graph,
)
from graph.rdf import file_graph
from graph.sparql import nt_lines, term_sparql
from graph.store import GraphStore, OxigraphStore, SourceInfo, rdflib_term
from ingest.extract import extract_file
from ingest.models import IngestError
from ingest.read import display_path
from ingest.walk import iter_inputs
from ontology.ns import ELI, LO

__all__ = ["DerivedChanges", "IngestSummary", "Landed", "forget_sources", "ingest_paths",
           "refresh_derived"]

Triple = tuple[Node, Node, Node]

Progress = Callable[[int, int, str], None]  # (done, total, path just handled)


class Landed(NamedTuple):
    """A file whose graph is now in the store."""

    path: str
    source_iri: URIRef
    documents: int


@dataclass(frozen=True, slots=True)
class IngestSummary:
    """What one ``ingest_paths`` call did."""

    landed: tuple[Landed, ...]
    failed: tuple[IngestError, ...]
    moved: tuple[SourceInfo, ...] = ()  # graphs of files that moved, now dropped
    resolved: int = 0  # undated mentions linked by lo:sameDocumentAs

    @property
    def ok(self) -> bool:
        return not self.failed


def _ingest_one(changes: DerivedChanges, path: Path, base: str,
                max_bytes: int | None) -> Landed:
    result = extract_file(path, max_bytes=max_bytes)
    graph_iri = iri.source_graph_iri(path, base)
    changes.replace_source(graph_iri, file_graph(result, base=base))
    return Landed(display_path(path), graph_iri, len(result.documents))


def ingest_paths(
    store: GraphStore,
    paths: Sequence[str | Path],
    *,
    base: str | None = None,
    progress: Progress | None = None,
    max_bytes: int | None = None,
    on_file: Callable[[Landed | IngestError], None] | None = None,
) -> IngestSummary:
    """Ingest files and folders (recursively) into ``store``.

    Args:
        store: where the graphs go.
        paths: files and folders, as the user gave them.
        base: base IRI (default: the store's).
        progress: called after each input with (done, total, path).
        max_bytes: refuse files larger than this (default: ``ingest.read``'s limit).
        on_file: called with each input's outcome as soon as it is known: its
            ``Landed`` record (its graph is in the store) or its ``IngestError``.

    Returns:
        The files that landed, those that failed (with the reason), graphs dropped
        because their file moved, and how many undated mentions were resolved.
    """
    base = iri.base_iri(base or store.base)
    store.ensure_ontology()
    items = list(iter_inputs(list(paths)))
    changes = DerivedChanges(store)
    landed: list[Landed] = []
    failed: list[IngestError] = []
    for done, item in enumerate(items, start=1):
        outcome: Landed | IngestError
        if isinstance(item, IngestError):
            outcome = item
        else:
            try:
                outcome = _ingest_one(changes, item, base, max_bytes)
            except IngestError as exc:
                outcome = exc
            except Exception as exc:  # one bad file must not stop a batch
                outcome = IngestError(display_path(item), f"internal error: "
                                      f"{type(exc).__name__}: {exc}", "please report this file")
        if isinstance(outcome, IngestError):
            failed.append(outcome)
        else:
            landed.append(outcome)
        if on_file is not None:
            on_file(outcome)
        if progress is not None:
            progress(done, len(items),
                     item.path if isinstance(item, IngestError) else display_path(item))
    moved = _drop_moved(changes, landed)
    resolved = refresh_derived(store, changes)
    return IngestSummary(tuple(landed), tuple(failed), moved, resolved)


def forget_sources(store: GraphStore, graphs: Collection[URIRef]) -> int:
    """Remove the source graphs ``graphs`` (files taken out of a corpus) and bring the
    derived graphs up to date, as an ingest does. Returns how many there were."""
    if not graphs:
        return 0
    changes = DerivedChanges(store)
    for graph_iri in sorted(graphs):
        changes.remove_source(graph_iri)
    refresh_derived(store, changes)
    return len(graphs)


def _drop_moved(changes: DerivedChanges, landed: Sequence[Landed]) -> tuple[SourceInfo, ...]:
    """Drop graphs of files that no longer exist and whose content just landed elsewhere."""
    if not landed:
        return ()
    fresh = {str(item.source_iri) for item in landed}
    fresh_hashes = {s.sha256 for s in _sources_of(changes.store, "g", fresh)}
    sources = _sources_of(changes.store, "sha", fresh_hashes)
    gone = tuple(
        s for s in sources
        if str(s.graph) not in fresh and s.sha256 in fresh_hashes and not os.path.exists(s.path)
    )
    for s in gone:
        changes.remove_source(s.graph)
    return gone


_PREFIX = f"PREFIX lo: <{LO}>\n"

# ``GraphStore.sources``, bound to known graphs or hashes (``{name}``, ``{values}``): the
# whole list is one row per file, seconds at 100,000 files.
_SOURCES_OF = _PREFIX + f"""PREFIX prov: <{PROV}>
SELECT ?g ?path ?sha ?when WHERE {{{{
  VALUES ?{{name}} {{{{ {{values}} }}}}
  GRAPH ?g {{{{ ?g prov:wasDerivedFrom ?s . ?s lo:path ?path ; lo:sha256 ?sha }}}}
  OPTIONAL {{{{ GRAPH {{prov}} {{{{ ?g prov:generatedAtTime ?when }}}} }}}}
}}}}"""


def _sources_of(store: GraphStore, name: str, values: Collection[str]) -> list[SourceInfo]:
    """The sources whose graph IRI (``name`` "g") or SHA-256 (``name`` "sha") is given."""
    terms = [URIRef(v) if name == "g" else Literal(v) for v in values]
    template = _SOURCES_OF.replace("{name}", name).replace("{prov}", _in(store.provenance_graph))
    found = {}
    for r in _values(store, template, terms):
        found[str(r["g"])] = SourceInfo(URIRef(str(r["g"])), str(r["path"]), str(r["sha"]),
                                        r.get("when"))
    return sorted(found.values(), key=lambda s: (s.path, str(s.graph)))

# Undated mention → its one dated candidate (see the module docstring). The body has no
# braces, so it serves as is in the whole-store query and in the ``{values}`` template.
_CANDIDATE_BODY = """  ?undated lo:unresolved true ;
           lo:identityKey ?key .
  ?dated lo:symbolKey ?key ;
         lo:identityKey ?datedKey .
  FILTER (CONTAINS(?datedKey, "@"))
"""
_CANDIDATE_GROUPS = "GROUP BY ?undated\nHAVING (COUNT(DISTINCT ?dated) = 1)\n"
_CANDIDATE_SELECT = "SELECT ?undated (SAMPLE(?dated) AS ?match) WHERE "
_CANDIDATES = (_PREFIX + _CANDIDATE_SELECT + "{\n" + _CANDIDATE_BODY + "}\n"
               + _CANDIDATE_GROUPS)
# The same, for known mentions only (``{values}``: IRIs, or key literals below).
_CANDIDATES_OF = (_PREFIX + _CANDIDATE_SELECT + "{{\n  VALUES ?undated {{ {values} }}\n"
                  + _CANDIDATE_BODY + "}}\n" + _CANDIDATE_GROUPS)
# Nodes of a graph that a link can rest on: mentions and documents with their keys.
_GRAPH_KEYED = _PREFIX + """SELECT DISTINCT ?x WHERE {{ GRAPH {graph} {{ ?x ?p ?o }}
  FILTER (?p IN (lo:unresolved, lo:identityKey, lo:symbolKey)) }}"""
# Their keys, in the whole store: an undated mention's identity key is the symbol key
# of its dated candidates.
_KEYS_OF = _PREFIX + """SELECT ?k WHERE {{ VALUES ?x {{ {values} }} ?x ?p ?k
  FILTER (?p IN (lo:identityKey, lo:symbolKey)) }}"""
_UNDATED_WITH_KEY = _PREFIX + """SELECT ?u WHERE {{ VALUES ?key {{ {values} }}
  ?u lo:unresolved true ; lo:identityKey ?key }}"""
# Everything a named graph holds, as terms (derived graphs: a few links per document).
_GRAPH_TRIPLES = "SELECT ?s ?p ?o WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}"
_PROVENANCE_OF = "SELECT ?p ?o WHERE {{ GRAPH {prov} {{ {graph} ?p ?o }} }}"
_HAS_TRIPLES = "ASK {{ GRAPH {graph} {{ ?s ?p ?o }} }}"
# What makes a node a counted citation's (graph.counts), and its citing documents.
_COUNTED = (LO.citedDocument, LO.citingDocument, LO.statedBy)
_CITING_OF = _PREFIX + "SELECT ?x WHERE {{ VALUES ?c {{ {values} }} ?c lo:citingDocument ?x }}"


def _values(store: GraphStore, template: str, terms: Iterable[Node]
            ) -> list[dict[str, str | None]]:
    """Rows of ``template`` with its ``{values}`` block filled ``BATCH`` terms at a time."""
    todo = sorted({term_sparql(t) for t in terms})
    rows: list[dict[str, str | None]] = []
    for at in range(0, len(todo), BATCH):
        rows += select_text(store, template.format(values=" ".join(todo[at:at + BATCH])))
    return rows


def _in(graph_iri: str | URIRef) -> str:
    return term_sparql(URIRef(str(graph_iri)))


def _documents_of(graph: Graph) -> set[str]:
    """Documents an rdflib graph types as ``lo:Document`` or gives a ``lo:documentType``."""
    return ({str(s) for s in graph.subjects(RDF.type, LO.Document)}
            | {str(s) for s in graph.subjects(LO.documentType, None)})


def _derived_triples(store: GraphStore) -> set[Triple]:
    """The triples of ``<base>graph/derived`` as the store holds them."""
    text = _GRAPH_TRIPLES.format(graph=_in(iri.derived_graph_iri(store.base)))
    return {(r["s"], r["p"], r["o"]) for r in store.query(text).rows}


def _same_as_of(triples: Iterable[Triple]) -> dict[str, str]:
    return {str(s): str(o) for s, p, o in triples if p == LO.sameDocumentAs}


class DerivedChanges:
    """Writes to source graphs, noting what ``refresh_derived`` must bring up to date.

    Write through ``replace_source`` and ``remove_source`` (the store's, with notes
    taken just before and just after), then call ``refresh_derived(store, changes)``
    once. One object is for one batch of writes.

    Args:
        store: the store written to; its derived graphs must be current (a
            ``refresh_derived`` ran after every earlier write).
    """

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.graphs: set[str] = set()  # source graphs written
        self.subjects: set[str] = set()  # mentions and documents with keys, in them
        self.keys: set[str] = set()  # their identity and symbol keys
        self.profiles: dict[str, Profile] = {}  # citers, as they cited before any write
        self.types: Counter[str] = Counter()  # change of each type's document count
        self.dated: set[str] = set()  # documents typed or dated in them (date counts)
        self.follow: list[FollowScope] = []  # graph.follows.follow_scope of each write
        self.entries: dict[str, set[str]] = {}  # due entries of each graph before its write
        # IRIs (subjects and objects) of every triple the writes and the refresh took out
        # or put in; None once a full refresh rewrote everything (readers that keep
        # answers about nodes drop those of the nodes named here: ``api.answer_store``)
        self.touched: set[str] | None = set()
        self._same: dict[str, str] | None = None

    @property
    def old_same(self) -> dict[str, str]:
        """The ``lo:sameDocumentAs`` links in force before the first write."""
        if self._same is None:
            self._same = _same_as_of(_derived_triples(self.store))
        return self._same

    def note_triples(self, *triples: Iterable[Triple]) -> None:
        """Add the IRIs of ``triples``' subjects and objects to ``touched``."""
        if self.touched is None:
            return
        for group in triples:
            for s, _, o in group:
                self.touched.update(str(t) for t in (s, o) if isinstance(t, URIRef))

    def replace_source(self, graph_iri: URIRef, graph: Graph) -> None:
        """``GraphStore.replace_source``, noted."""
        self.note_triples(graph)
        self.dated |= {str(d) for d in graph.subjects(ELI.date_document, None)}
        self._write(graph_iri, _documents_of(graph), self._citers_of(graph),
                    lambda: self.store.replace_source(graph_iri, graph))

    def remove_source(self, graph_iri: URIRef) -> None:
        """``GraphStore.remove_source``, noted."""
        self._write(graph_iri, set(), set(), lambda: self.store.remove_source(graph_iri))

    def _citers_of(self, graph: Graph) -> set[str]:
        """Citing documents of the citations a graph about to land says anything about."""
        nodes = {str(s) for p in _COUNTED for s in graph.subjects(p, None)}
        stated = {str(r["x"]) for r in _values(
            self.store, _CITING_OF, (URIRef(c) for c in nodes))}
        return stated | {str(o) for o in graph.objects(None, LO.citingDocument)}

    def _write(self, graph_iri: URIRef, incoming: set[str], citers: set[str],
               write: Callable[[], None]) -> None:
        name = str(graph_iri)
        docs = documents_in_graph(self.store, name) | incoming
        self.dated |= docs | dated_in_graph(self.store, name)
        before = document_kinds(self.store, docs)
        citers = (citers | citers_in_graph(self.store, name)) - set(self.profiles)
        self.profiles.update(citation_profiles(self.store, citers))
        if name not in self.entries:
            self.entries[name] = graph_entries(self.store, name)
        self._note(name)
        self.note_triples(self.store.named_graph(graph_iri))
        write()
        self.graphs.add(name)
        self._note(name)
        self.types.update(type_delta(before, document_kinds(self.store, docs)))

    def _note(self, name: str) -> None:
        """What the named graph, as the store holds it now, rests on."""
        if not any(s.full for s in self.follow):
            self.follow.append(follow_scope(self.store, name, self.old_same))
        subjects = {str(r["x"]) for r in select_text(
            self.store, _GRAPH_KEYED.format(graph=_in(name)))}
        self.subjects |= subjects
        self.keys |= {str(r["k"]) for r in _values(
            self.store, _KEYS_OF, (URIRef(x) for x in subjects))}


def _linked(store: GraphStore, undated: Iterable[str]) -> dict[str, str]:
    """The one dated candidate of each of ``undated`` that has exactly one."""
    rows = _values(store, _CANDIDATES_OF, (URIRef(u) for u in undated))
    return {str(r["undated"]): str(r["match"]) for r in rows if r.get("match") is not None}


def _updated_same_as(store: GraphStore, changes: DerivedChanges) -> dict[str, str]:
    """The ``lo:sameDocumentAs`` links now: those of the mentions the writes touch, redone.

    A link changes only when a mention's candidates do, that is, when a written graph
    held (before or after) the mention or a document with its key.
    """
    undated = {str(r["u"]) for r in _values(
        store, _UNDATED_WITH_KEY, (Literal(k) for k in changes.keys))}
    redo = undated | changes.subjects
    kept = {u: d for u, d in changes.old_same.items() if u not in redo}
    return kept | _linked(store, undated)


def _same_as_graph(links: Mapping[str, str]) -> Graph:
    g = Graph()
    for undated, dated in links.items():
        g.add((URIRef(undated), LO.sameDocumentAs, URIRef(dated)))
    return g


def _refresh_full(store: GraphStore) -> int:
    derived: set[Triple] = set()
    for row in store.query(_CANDIDATES):
        if "match" in row:
            derived.add((row["undated"], LO.sameDocumentAs, row["match"]))
    resolved = len(derived)
    same_as = {str(s): str(o) for s, _, o in derived}
    derived.update(follows_graph(store, same_as))
    rewrite_graph(store, iri.derived_graph_iri(store.base), derived)
    del derived
    rewrite_graph(store, iri.counts_graph_iri(store.base), count_triples(store, store.base))
    rewrite_graph(store, iri.due_pages_graph_iri(store.base), page_triples(store, store.base))
    return resolved


REWRITE_CHUNK = 20_000
"""The most triples ``rewrite_graph`` writes in one transaction on Oxigraph."""
REWRITE_BYTES = 8_000_000
"""The most characters of literals ``rewrite_graph`` writes in one transaction: a due
page holds a day's entries, so a graph of few triples can be a large update (the
67,802 pages of a million documents, written as one, took the refresh to 4.8 GB)."""


def rewrite_graph(store: GraphStore, name: URIRef, triples: Iterable[Triple]) -> None:
    """Make derived graph ``name`` hold exactly ``triples`` (a full refresh).

    A small graph is replaced in one transaction (``replace_source``). A large one on
    Oxigraph (3 million count triples at a million documents) is not sent whole as one
    update (rdflib graphs and whole updates took the refresh to 14 GB): ``triples`` are
    read one at a time into the store's own terms (``graph.union.to_ox``), and only the
    difference with what the graph holds is written, at most ``REWRITE_CHUNK`` triples
    and ``REWRITE_BYTES`` characters of literals per transaction (``_patch``), so a full
    refresh that changes nothing writes nothing. (A literal written in another form than
    the store's canonical one only costs its rewriting.) Readers may see such a graph
    part-way between two chunks; a full refresh runs after a bulk load or a restore,
    while a server's writes are refreshed incrementally.

    Raises:
        ValueError: a large graph with a blank node, which cannot be written by
            difference (derived graphs name every node).
    """
    native = store.native if isinstance(store, OxigraphStore) else None
    if native is None:
        _replace_whole(store, name, triples)
        return
    wanted: set[union.OxTriple] = set()
    kept: list[Triple] | None = []  # the triples as given, while they may fit one write
    size = 0
    for t in triples:
        ox_t = (union.to_ox(t[0]), union.to_ox(t[1]), union.to_ox(t[2]))
        wanted.add(ox_t)
        if kept is not None:
            kept.append(t)
            size += _weight(ox_t)
            kept = kept if len(kept) <= REWRITE_CHUNK and size <= REWRITE_BYTES else None
    if kept is not None:
        _replace_whole(store, name, kept)
        return
    if not all(union.is_ground(t) for t in wanted):
        raise ValueError(f"derived graph {name} holds a blank node: it cannot be "
                         "written by difference")
    held = set(union.graph_triples(native, str(name)))
    changes = [(False, t) for t in held - wanted] + [(True, t) for t in wanted - held]
    del held, wanted
    for chunk in _chunks(changes):
        out = [_rdflib_triple(t) for put, t in chunk if not put]
        into = [_rdflib_triple(t) for put, t in chunk if put]
        _patch(store, {name: (out, into)})


def _weight(t: union.OxTriple) -> int:
    """What a triple weighs in an update's text: its literal's characters."""
    import pyoxigraph as ox

    return len(t[2].value) if isinstance(t[2], ox.Literal) else 0


def _chunks(changes: Sequence[tuple[bool, union.OxTriple]]
            ) -> Iterator[Sequence[tuple[bool, union.OxTriple]]]:
    """``changes`` (taken out first, then put in) cut into runs of at most
    ``REWRITE_CHUNK`` triples and about ``REWRITE_BYTES`` characters of literals."""
    start, size = 0, 0
    for at, (_, t) in enumerate(changes):
        weight = _weight(t)
        if at > start and (at - start >= REWRITE_CHUNK or size + weight > REWRITE_BYTES):
            yield changes[start:at]
            start, size = at, 0
        size += weight
    if start < len(changes):
        yield changes[start:]


def _replace_whole(store: GraphStore, name: URIRef, triples: Iterable[Triple]) -> None:
    graph = Graph()
    graph += triples
    store.replace_source(name, graph)


def _rdflib_triple(t: union.OxTriple) -> Triple:
    s, p, o = (rdflib_term(x) for x in t)
    return s, p, o


def _follows(store: GraphStore, changes: DerivedChanges, previous: Graph,
             same: Mapping[str, str]) -> Graph:
    """The ``lo:followsSection`` links now (``graph.follows``'s recipe)."""
    scopes = [*changes.follow, same_as_scope(store, changes.old_same, same)]
    if any(s.full for s in scopes):
        return follows_graph(store, same)
    reports = sorted({r for s in scopes for r in s.reports})
    return updated_follows_graph(store, previous, same, reports)


def _refresh_incremental(store: GraphStore, changes: DerivedChanges) -> int:
    old = _derived_triples(store)
    same = _updated_same_as(store, changes)
    previous = Graph()
    for t in old:
        if t[1] == LO.followsSection:
            previous.add(t)
    new = set(_same_as_graph(same)) | set(_follows(store, changes, previous, same))
    counts = count_changes(store, store.base, changes.profiles, changes.types,
                           changes.old_same, same, changes.dated)
    changes.note_triples(old ^ new, counts.remove, counts.add)
    paged = _page_patch(store, changes)
    changes.note_triples(*paged)
    _patch(store, {
        iri.derived_graph_iri(store.base): (old - new, new - old),
        iri.counts_graph_iri(store.base): (counts.remove, counts.add),
        iri.due_pages_graph_iri(store.base): paged,
    })
    return len(same)


def _page_patch(store: GraphStore, changes: DerivedChanges) -> tuple[set[Triple], set[Triple]]:
    """The due-page triples to take out and put in (``graph.due_pages``): those of the
    days the writes changed, or every page when the store kept none yet (a store mapped
    before them)."""
    if pages_kept(store, store.base):
        after = {g: graph_entries(store, g) for g in changes.graphs}
        paged = page_changes(store, store.base, changes.entries, after)
        return paged.remove, paged.add
    held = set(store.named_graph(iri.due_pages_graph_iri(store.base)))
    now = page_triples(store, store.base)
    return held - now, now - held


def refresh_derived(store: GraphStore, changes: DerivedChanges | None = None) -> int:
    """Bring ``<base>graph/derived`` and its counts up to date (see the module docstring).

    Args:
        store: the store.
        changes: the writes since the derived graphs were last current, made through
            it. None: recompute everything from the store's source graphs.

    Returns:
        How many undated mentions are linked to a dated document.
    """
    if changes is None or not _has_counts(store):
        if changes is not None:
            changes.touched = None  # everything derived is rewritten
        return _refresh_full(store)
    if not changes.graphs:
        return len(changes.old_same)
    return _refresh_incremental(store, changes)


def _has_counts(store: GraphStore) -> bool:
    """Whether a refresh ran on this store (it leaves a counts graph with any document)."""
    text = _HAS_TRIPLES.format(graph=_in(iri.counts_graph_iri(store.base)))
    return bool(store.query(text))


# --- writing only what changed -----------------------------------------------------------------


def _patch(store: GraphStore,
           graphs: Mapping[URIRef, tuple[Collection[Triple], Collection[Triple]]]) -> None:
    """Take triples out of and put triples into named graphs, in one transaction.

    Each changed graph's provenance record is renewed as ``replace_source`` renews it.
    On Oxigraph the materialised union default graph changes in the same request
    (``graph.union.union_delta``), as ``OxigraphStore.replace_source`` does it;
    elsewhere the store keeps its union itself.
    """
    changed = {g: (set(out), set(into)) for g, (out, into) in graphs.items() if out or into}
    if not changed:
        return
    prov = store.provenance_graph
    stamp = Literal(dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), datatype=XSD.dateTime)
    for g in list(changed):
        record = store.query(_PROVENANCE_OF.format(prov=_in(prov), graph=_in(g))).rows
        old = {(g, r["p"], r["o"]) for r in record}
        out, into = changed.setdefault(prov, (set(), set()))
        out |= old
        into.add((g, PROV.generatedAtTime, stamp))
    ops = _data_ops(changed)
    native = store.native if isinstance(store, OxigraphStore) else None
    if native is None or not union.is_materialised(native):
        store.update(" ;\n".join(ops))
        return
    removed = [(t, str(g)) for g, (out, _) in changed.items() for t in union.ox_triples(list(out))]
    added = union.ox_triples([t for _, into in changed.values() for t in into])
    delta = union.union_delta(native, removed, added)
    store._update(" ;\n".join([*ops, *delta.ops()]))


def _data_ops(graphs: Mapping[URIRef, tuple[Collection[Triple], Collection[Triple]]]
              ) -> list[str]:
    """``DELETE DATA`` then ``INSERT DATA`` for each graph's triples out and in."""
    ops = []
    for verb, side in (("DELETE", 0), ("INSERT", 1)):
        blocks = [f"GRAPH {term_sparql(g)} {{\n" + "\n".join(sorted(nt_lines(pair[side])))
                  + "\n}" for g, pair in graphs.items() if pair[side]]
        if blocks:
            ops.append(f"{verb} DATA {{\n" + "\n".join(blocks) + "\n}")
    return ops
