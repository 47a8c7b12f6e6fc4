"""``graph.pipeline.rewrite_graph``: a full refresh writes a large derived graph by its
difference with what the graph holds, a chunk per transaction, and keeps the union
default graph exact.

The oracle is the graph asked for: after the rewrite the named graph holds exactly
those triples, whatever it held before, and the default graph is the union of the named
graphs. Chunks are made tiny (``REWRITE_CHUNK``) so that small graphs take the path a
national corpus's counts take.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

import graph.pipeline as pipeline
from graph import iri, union
from graph.pipeline import ingest_paths, refresh_derived, rewrite_graph
from graph.store import OxigraphStore
from ontology.ns import LO

B = "https://data.luocdo.vn/"
NAME = URIRef(B + "graph/derived/counts")
OTHER = URIRef(B + "graph/source/other")
SAMPLES = Path(__file__).resolve().parents[1] / "ingest" / "samples"


def _t(n: int) -> tuple[Any, Any, Any]:
    return (URIRef(f"{B}eli/vn/doc/{n}"), LO.citedByCount, Literal(n))


SHARED = _t(0)  # also stated by another graph: it stays in the union when taken out here


def _named(store: OxigraphStore, name: URIRef) -> set[Any]:
    return set(store.named_graph(name))


def _union_exact(store: OxigraphStore) -> bool:
    import pyoxigraph as ox

    native = store.native
    assert native is not None
    quads = list(native.quads_for_pattern(None, None, None, None))
    default = {(q.subject, q.predicate, q.object) for q in quads
               if isinstance(q.graph_name, ox.DefaultGraph)
               and q.subject.value != union.MARK_SUBJECT}
    named = {(q.subject, q.predicate, q.object) for q in quads
             if isinstance(q.graph_name, ox.NamedNode)
             and not isinstance(q.subject, ox.BlankNode)
             and not isinstance(q.object, ox.BlankNode)}
    return union.is_materialised(native) and default == named


def _store(before: set[Any]) -> OxigraphStore:
    store = OxigraphStore(None, base=B)
    other = Graph()
    other.add(SHARED)
    store.replace_source(OTHER, other)
    if before:
        g = Graph()
        g += before
        store.replace_source(NAME, g)
    return store


R = range(1, 12)


@pytest.mark.parametrize(("before", "after"), [
    (set(), {_t(n) for n in R}),  # a first refresh: everything written
    ({_t(n) for n in R}, {_t(n) for n in R}),  # unchanged: nothing written
    ({_t(n) for n in R}, set()),  # everything taken out
    ({_t(n) for n in range(1, 6)}, {_t(n) for n in range(4, 12)}),  # overlapping
    ({SHARED, *(_t(n) for n in R)}, {_t(n) for n in range(20, 27)}),  # disjoint
    ({_t(n) for n in R}, {SHARED, *(_t(n) for n in R)}),  # a triple another graph states
])
@pytest.mark.parametrize("chunk", [2, 3, 1000])
def test_the_graph_holds_what_was_asked(before: set[Any], after: set[Any], chunk: int,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "REWRITE_CHUNK", chunk)
    store = _store(before)
    rewrite_graph(store, NAME, after)
    assert _named(store, NAME) == after
    assert _named(store, OTHER) == {SHARED}
    assert _union_exact(store)


def _patches(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The sizes of the transactions ``rewrite_graph`` writes by difference."""
    sizes: list[int] = []
    real = pipeline._patch

    def spy(store: Any, graphs: Any) -> None:
        sizes.append(sum(len(out) + len(into) for out, into in graphs.values()))
        real(store, graphs)

    monkeypatch.setattr(pipeline, "_patch", spy)
    return sizes


@pytest.mark.parametrize(("before", "after", "sizes"), [
    (set(), {_t(n) for n in R}, [3, 3, 3, 2]),
    ({_t(n) for n in R}, {_t(n) for n in R}, []),  # nothing changed: nothing written
    ({_t(n) for n in range(1, 6)}, {_t(n) for n in range(1, 8)}, [2]),
    ({_t(n) for n in range(1, 8)}, {_t(n) for n in range(3, 10)}, [3, 1]),  # 2 out, 2 in
])
def test_only_the_difference_is_written_a_chunk_at_a_time(
        before: set[Any], after: set[Any], sizes: list[int],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "REWRITE_CHUNK", 3)
    store = _store(before)
    written = _patches(monkeypatch)
    rewrite_graph(store, NAME, after)
    assert written == sizes
    assert _named(store, NAME) == after


def _derived(store: OxigraphStore) -> list[set[Any]]:
    return [_named(store, name(store.base)) for name in
            (iri.derived_graph_iri, iri.counts_graph_iri, iri.due_pages_graph_iri)]


def test_a_full_refresh_in_chunks_restores_stale_counts(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The samples' derived graphs, counts made stale (some taken out, a wrong one put
    in): a full refresh written by difference in chunks of five gives them back as
    the refresh in one transaction wrote them."""
    store = OxigraphStore(None, base=B)
    assert not ingest_paths(store, [str(p) for p in sorted(SAMPLES.glob("*.txt"))]).failed
    refresh_derived(store)
    expected = _derived(store)
    counts = iri.counts_graph_iri(B)
    assert len(expected[1]) > 10
    store.update(f"DELETE {{ GRAPH <{counts}> {{ ?s ?p ?o }} }} WHERE {{ "
                 f"SELECT ?s ?p ?o WHERE {{ GRAPH <{counts}> {{ ?s ?p ?o }} }} LIMIT 7 }} ; "
                 f"INSERT DATA {{ GRAPH <{counts}> {{ <{B}eli/vn/x> <{RDF.type}> "
                 f"<{LO.TypeCount}> }} }}")
    assert _derived(store) != expected
    monkeypatch.setattr(pipeline, "REWRITE_CHUNK", 5)
    written = _patches(monkeypatch)
    refresh_derived(store)
    assert _derived(store) == expected
    assert written == [5, 3]  # one out and four in, then three in
    assert _union_exact(store)


@pytest.mark.parametrize(("lengths", "limit", "sizes"), [
    ([10, 10, 10], 25, [2, 1]),  # a third literal would pass the limit
    ([30, 30], 25, [1, 1]),  # a literal past it is written alone
    ([5] * 6, 10, [2, 2, 2]),
    ([5] * 6, 1000, [3, 3]),  # then the triple count cuts
])
def test_chunks_are_cut_by_the_size_of_their_literals(
        lengths: list[int], limit: int, sizes: list[int],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Due pages hold a day's entries each: a chunk is cut by its literals' characters
    as well as by its triples, and a small graph of long literals is not written whole."""
    monkeypatch.setattr(pipeline, "REWRITE_CHUNK", 3)
    monkeypatch.setattr(pipeline, "REWRITE_BYTES", limit)
    store = _store(set())
    pages = {(URIRef(f"{B}page/{i}"), LO.pageEntries, Literal("đ" * n))
             for i, n in enumerate(lengths)}
    written = _patches(monkeypatch)
    rewrite_graph(store, NAME, pages)
    assert sorted(written) == sorted(sizes)
    assert _named(store, NAME) == pages and _union_exact(store)


def test_a_large_graph_of_blank_nodes_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """A blank node cannot be written by difference: a clear error, the graph untouched
    (a small one is replaced whole, blank nodes and all)."""
    from rdflib import BNode

    monkeypatch.setattr(pipeline, "REWRITE_CHUNK", 2)
    store = _store({_t(1)})
    blank = {(BNode(), LO.citedByCount, Literal(n)) for n in range(3)}
    with pytest.raises(ValueError, match="blank node"):
        rewrite_graph(store, NAME, blank)
    assert _named(store, NAME) == {_t(1)}
    rewrite_graph(store, NAME, list(blank)[:1])
    assert len(_named(store, NAME)) == 1 and _union_exact(store)


def test_triples_are_read_once_as_they_come(monkeypatch: pytest.MonkeyPatch) -> None:
    """A generator is enough: the triples are not asked for twice."""
    monkeypatch.setattr(pipeline, "REWRITE_CHUNK", 3)
    store = _store(set())
    rewrite_graph(store, NAME, (_t(n) for n in R))
    assert _named(store, NAME) == {_t(n) for n in R}
