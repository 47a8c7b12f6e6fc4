"""The Oxigraph store's default graph is the exact, deduplicated union of its named graphs.

See ``graph.union``: every write keeps it so in the same transaction; a store without
the marker (written by an older luocdo) is rebuilt when opened for writing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, URIRef

from graph import union
from graph.store import OxigraphStore

B = "https://data.luocdo.vn/"
EX = "https://example.org/"


def _t(s: str, p: str, o: str | int) -> tuple[URIRef, URIRef, URIRef | Literal]:
    obj: URIRef | Literal = Literal(o) if isinstance(o, int) else URIRef(EX + o)
    return URIRef(EX + s), URIRef(EX + p), obj


def _graph(*triples: tuple[Any, Any, Any]) -> Graph:
    g = Graph()
    for t in triples:
        g.add(t)
    return g


def _default(native: Any) -> set[tuple[str, str, str]]:
    return {(str(q.subject), str(q.predicate), str(q.object))
            for q in native.quads_for_pattern(None, None, None, ox.DefaultGraph())
            if q.subject.value != union.MARK_SUBJECT}


def _named_union(native: Any) -> set[tuple[str, str, str]]:
    return {(str(q.subject), str(q.predicate), str(q.object))
            for q in native.quads_for_pattern(None, None, None, None)
            if not isinstance(q.graph_name, ox.DefaultGraph)
            and not isinstance(q.subject, ox.BlankNode) and not isinstance(q.object, ox.BlankNode)}


def assert_union_exact(store: OxigraphStore) -> None:
    native = store.native
    assert union.is_materialised(native)
    assert _default(native) == _named_union(native)


@pytest.fixture(params=["memory", "disk"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    s = OxigraphStore(None if request.param == "memory" else tmp_path / "s", base=B)
    yield s
    s.close()


G1, G2 = URIRef(B + "graph/source/one"), URIRef(B + "graph/source/two")
SHARED = _t("d33", "type", "Document")  # a stub both files state
ONLY1, ONLY2 = _t("a", "cites", "d33"), _t("b", "cites", "d33")


@pytest.mark.parametrize(
    ("steps", "present", "absent"),
    [
        # two files state the stub; removing one keeps it
        ([("put", G1, [SHARED, ONLY1]), ("put", G2, [SHARED, ONLY2]), ("rm", G1, [])],
         [SHARED, ONLY2], [ONLY1]),
        # removing both drops it
        ([("put", G1, [SHARED, ONLY1]), ("put", G2, [SHARED]), ("rm", G1, []), ("rm", G2, [])],
         [], [SHARED, ONLY1]),
        # re-ingest without the stub: the other file still states it
        ([("put", G1, [SHARED, ONLY1]), ("put", G2, [SHARED]), ("put", G1, [ONLY1])],
         [SHARED, ONLY1], []),
        # re-ingest without the stub, nobody else states it
        ([("put", G1, [SHARED, ONLY1]), ("put", G1, [ONLY1])], [ONLY1], [SHARED]),
        # the same graph twice: nothing changes
        ([("put", G1, [SHARED, ONLY1]), ("put", G1, [SHARED, ONLY1])], [SHARED, ONLY1], []),
    ],
    ids=["remove-one-of-two", "remove-both", "reingest-shared", "reingest-unshared", "idempotent"],
)
def test_default_graph_follows_every_write(
    store: OxigraphStore, steps: list[tuple[str, URIRef, list[Any]]],
    present: list[Any], absent: list[Any],
) -> None:
    for op, name, triples in steps:
        if op == "put":
            store.replace_source(name, _graph(*triples))
        else:
            store.remove_source(name)
        assert_union_exact(store)
    for s, p, o in present:
        assert store.query(f"ASK {{ <{s}> <{p}> {o.n3()} }}").boolean
    for s, p, o in absent:
        assert not store.query(f"ASK {{ <{s}> <{p}> {o.n3()} }}").boolean


def test_a_stub_in_many_files_is_one_solution(store: OxigraphStore) -> None:
    """Regression: the union flag answered a pattern once per graph, so joins went k²."""
    for i in range(30):
        store.replace_source(URIRef(f"{B}graph/source/{i}"),
                             _graph(SHARED, _t("d33", "key", "K"), _t(f"x{i}", "cites", "d33")))
    rows = store.query(f"SELECT * WHERE {{ <{EX}d33> ?p ?o . <{EX}d33> ?q ?r }}").rows
    assert len(rows) == 4  # 2 × 2 distinct triples, not (2 × 30)²
    count = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?x <{EX}cites> ?d }}").rows
    assert int(str(count[0]["n"])) == 30


def test_blank_node_triples_stay_in_their_graph(store: OxigraphStore) -> None:
    b = BNode()
    g = _graph(ONLY1, (URIRef(EX + "r"), URIRef(EX + "on"), b), (b, URIRef(EX + "v"), Literal(1)))
    store.replace_source(G1, g)
    assert_union_exact(store)
    assert store.query(f"ASK {{ <{ONLY1[0]}> <{ONLY1[1]}> <{ONLY1[2]}> }}").boolean
    assert not store.query(f"ASK {{ <{EX}r> <{EX}on> ?x }}").boolean
    assert store.query(f"ASK {{ GRAPH <{G1}> {{ <{EX}r> <{EX}on> ?x . ?x <{EX}v> 1 }} }}").boolean


def test_raw_update_is_followed_by_a_rebuild(store: OxigraphStore) -> None:
    store.replace_source(G1, _graph(SHARED, ONLY1))
    store.update(f"INSERT DATA {{ GRAPH <{G2}> {{ <{EX}n> <{EX}p> <{EX}o> }} }} ; "
                 f"DROP GRAPH <{G1}>")
    assert_union_exact(store)
    assert store.query(f"ASK {{ <{EX}n> <{EX}p> <{EX}o> }}").boolean
    assert not store.query(f"ASK {{ <{ONLY1[0]}> ?p ?o }}").boolean


def test_from_clause_still_selects_one_graph(store: OxigraphStore) -> None:
    store.replace_source(G1, _graph(ONLY1))
    store.replace_source(G2, _graph(ONLY2))
    rows = store.query(f"SELECT ?s FROM <{G2}> WHERE {{ ?s <{EX}cites> ?o }}").rows
    assert [str(r["s"]) for r in rows] == [EX + "b"]


def test_store_of_an_older_version_is_upgraded_on_open(tmp_path: Path) -> None:
    """A store with named graphs but no maintained default graph (no marker)."""
    native = ox.Store(str(tmp_path / "old"))
    for name, (s, p, o) in ((G1, SHARED), (G1, ONLY1), (G2, SHARED)):
        native.add(ox.Quad(union.to_ox(s), union.to_ox(p), union.to_ox(o), union.to_ox(name)))
    native.flush()
    assert not union.is_materialised(native)
    del native
    store = OxigraphStore(tmp_path / "old", base=B)
    try:
        assert_union_exact(store)
        assert len(_default(store.native)) == 2
    finally:
        store.close()


def test_read_only_copy_without_marker_falls_back_to_the_union_flag() -> None:
    assert union.query_options(False, False) == {"use_default_graph_as_union": True}
    assert union.query_options(False, True) == {}
    assert union.query_options(True, False) == {}


_names = st.sampled_from([G1, G2, URIRef(B + "graph/source/three")])
_triples = st.lists(
    st.tuples(st.sampled_from("abc"), st.sampled_from(["p", "q"]), st.sampled_from(["x", "y"])),
    max_size=5,
)
_ops = st.lists(st.tuples(st.booleans(), _names, _triples), min_size=1, max_size=12)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=_ops)
def test_any_sequence_of_writes_keeps_the_union_exact(ops: list[Any]) -> None:
    store = OxigraphStore(None, base=B)
    for put, name, rows in ops:
        if put:
            store.replace_source(name, _graph(*(_t(*r) for r in rows)))
        else:
            store.remove_source(name)
    assert_union_exact(store)


@pytest.mark.parametrize("bulk", [False, True], ids=["transactional", "bulk"])
def test_rebuild_copies_every_ground_triple_once(tmp_path: Path, bulk: bool) -> None:
    store = OxigraphStore(tmp_path / "s", base=B)
    try:
        b = BNode()
        odd = Literal('a literal that ends like a blank node _:x')
        store.replace_source(G1, _graph(SHARED, ONLY1, (b, URIRef(EX + "v"), Literal(1)),
                                        (URIRef(EX + "q"), URIRef(EX + "says"), odd)))
        store.replace_source(G2, _graph(SHARED, (URIRef(EX + "r"), URIRef(EX + "on"), b)))
        before = _default(store.native)
        union.rebuild(store.native, bulk=bulk)
        assert _default(store.native) == before
        assert_union_exact(store)
    finally:
        store.close()


def test_bulk_rebuild_from_the_loaded_nquads_file(tmp_path: Path) -> None:
    """The benchmarks' path: bulk_load an N-Quads file, then build the union from it."""
    first = OxigraphStore(tmp_path / "a", base=B)
    first.replace_source(G1, _graph(SHARED, ONLY1))
    first.replace_source(G2, _graph(SHARED, ONLY2))
    expected = _default(first.native)
    assert first.native is not None
    dump = tmp_path / "all.nq"
    dump.write_text("".join(f"{q.subject} {q.predicate} {q.object} {q.graph_name} .\n"
                            for q in first.native.quads_for_pattern(None, None, None, None)
                            if not isinstance(q.graph_name, ox.DefaultGraph)),
                    encoding="utf-8")  # the named graphs, as a bulk load reads them
    first.close()
    native = ox.Store(str(tmp_path / "b"))
    native.bulk_load(path=str(dump), format=ox.RdfFormat.N_QUADS)
    native.update("CLEAR DEFAULT")
    union.rebuild(native, bulk=True, nquads=str(dump))
    assert union.is_materialised(native)
    assert _default(native) == expected
