"""The GraphStore contract, run against every store: Oxigraph in memory, on disk, and a real
SPARQL endpoint (Virtuoso; ``.ci/virtuoso.sh``) when ``LUOCDO_TEST_SPARQL_URL`` is set."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef

from graph import iri
from graph.store import (
    GraphStore,
    OxigraphStore,
    RemoteStore,
    StoreError,
    default_store_path,
    open_store,
)
from ontology.ns import LO

Check = Callable[[Graph, Graph], None]
INJECTION = '"} ; DROP ALL ; #'

DOCS = """
@prefix lo: <https://w3id.org/luocdo/ontology#> .
@prefix eli: <http://data.europa.eu/eli/ontology#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<{B}eli/vn/cv/2023/4666/ubnd-kgvx> a lo:Document , lo:OfficialLetter ;
    lo:identityKey "4666/UBND-KGVX@2023" ; lo:symbol "4666/UBND-KGVX" ;
    lo:implements <{B}eli/vn/cv/2023/1432/bnv-cttn> .
<{B}eli/vn/cv/2023/1432/bnv-cttn> a lo:Document ; lo:identityKey "1432/BNV-CTTN@2023" ;
    lo:symbol "1432/BNV-CTTN" ; lo:implements <{B}eli/vn/ct/2021/33/ttg> .
<{B}eli/vn/ct/2021/33/ttg> a lo:Document , lo:Directive ; lo:identityKey "33/CT-TTG@2021" ;
    lo:symbol "33/CT-TTg" ; eli:title "Về tăng cường \\"công tác\\"\\nmới" ;
    eli:date_document "2021-11-26"^^xsd:date .
<{B}x/deadline> lo:dueMonthDay "--12-15"^^xsd:gMonthDay .
"""


def docs_graph(base: str) -> Graph:
    return Graph().parse(data=DOCS.format(B=base), format="turtle")


KINDS = ["memory", "disk", pytest.param("remote", marks=pytest.mark.remote)]


@pytest.fixture(params=KINDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    """A fresh, empty store of each kind; a remote one gets its own base IRI."""
    kind = request.param
    if kind == "remote":
        # Small chunks, so that staging + MOVE is exercised too.
        yield request.getfixturevalue("remote_store")(chunk=7)
        return
    made = OxigraphStore(None) if kind == "memory" else OxigraphStore(tmp_path / "store")
    yield made
    made.close()


def source(store: GraphStore, name: str = "a.txt") -> URIRef:
    return iri.source_graph_iri(f"/data/luocdo-test/{name}", store.base)


def quad_count(store: GraphStore) -> int:
    return sum(1 for _ in store.quads(ontology=True))


# --- writing sources --------------------------------------------------------------------------


def test_replace_source_stores_exactly_the_graph(store: GraphStore,
                                                 assert_isomorphic: Check) -> None:
    g = docs_graph(store.base)
    store.replace_source(source(store), g)
    assert_isomorphic(store.named_graph(source(store)), g)


def test_ingesting_twice_gives_the_same_graphs(store: GraphStore,
                                               assert_isomorphic: Check) -> None:
    g = docs_graph(store.base)
    store.replace_source(source(store), g)
    first = {n: store.named_graph(n) for n in store.graph_names()
             if n != store.provenance_graph}
    store.replace_source(source(store), g)
    second = {n: store.named_graph(n) for n in store.graph_names()
              if n != store.provenance_graph}
    assert first.keys() == second.keys()
    for name, graph in first.items():
        assert_isomorphic(second[name], graph)


def test_replace_after_an_edit_replaces(store: GraphStore, assert_isomorphic: Check) -> None:
    store.replace_source(source(store), docs_graph(store.base))
    edited = Graph()
    edited.add((URIRef(store.base + "eli/vn/x"), LO.identityKey, Literal("X@2024")))
    store.replace_source(source(store), edited)
    assert_isomorphic(store.named_graph(source(store)), edited)


def test_remove_source_removes_graph_and_provenance(store: GraphStore) -> None:
    store.replace_source(source(store, "a.txt"), docs_graph(store.base))
    store.replace_source(source(store, "b.txt"), docs_graph(store.base))
    store.remove_source(source(store, "a.txt"))
    assert source(store, "a.txt") not in store.graph_names()
    assert source(store, "b.txt") in store.graph_names()
    prov = store.named_graph(store.provenance_graph)
    assert set(prov.subjects()) == {source(store, "b.txt")}


def test_sources_lists_path_hash_and_time(store: GraphStore) -> None:
    g = docs_graph(store.base)
    src = iri.source_file_iri("/data/luocdo-test/a.txt", store.base)
    g.add((source(store), URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"), src))
    g.add((src, LO.path, Literal("/data/luocdo-test/a.txt")))
    g.add((src, LO.sha256, Literal("ab" * 32)))
    store.replace_source(source(store), g)
    [info] = store.sources()
    assert (info.graph, info.path, info.sha256) == (source(store), "/data/luocdo-test/a.txt",
                                                   "ab" * 32)
    assert info.ingested is not None and info.ingested.startswith("20")
    # one source looked up by its graph alone (DELETE /sources/{id}): the same record
    assert store.source(source(store)) == info
    assert store.source(source(store, "b.txt")) is None  # no such graph
    assert store.source(iri.provenance_graph_iri(store.base)) is None  # not a source


def test_literals_survive_the_round_trip(store: GraphStore) -> None:
    store.replace_source(source(store), docs_graph(store.base))
    back = store.named_graph(source(store))
    titles = list(back.objects(None, URIRef("http://data.europa.eu/eli/ontology#title")))
    assert titles == [Literal('Về tăng cường "công tác"\nmới')]
    [due] = back.objects(None, LO.dueMonthDay)
    assert (str(due), str(due.datatype)) == ("--12-15",  # type: ignore[attr-defined]
                                             "http://www.w3.org/2001/XMLSchema#gMonthDay")


# --- queries ----------------------------------------------------------------------------------

SYMBOL_OF = """
PREFIX lo: <https://w3id.org/luocdo/ontology#>
SELECT DISTINCT ?symbol WHERE { ?doc lo:symbol ?symbol }
"""


def test_bindings_select_rows(store: GraphStore) -> None:
    store.replace_source(source(store), docs_graph(store.base))
    doc = URIRef(store.base + "eli/vn/ct/2021/33/ttg")
    assert store.query(SYMBOL_OF, {"doc": doc}).values("symbol") == [Literal("33/CT-TTg")]
    two = [doc, URIRef(store.base + "eli/vn/cv/2023/1432/bnv-cttn")]
    assert sorted(map(str, store.query(SYMBOL_OF, {"doc": two}).values("symbol"))) == [
        "1432/BNV-CTTN", "33/CT-TTg"]
    assert store.query(SYMBOL_OF, {"doc": []}).rows == ()


def test_queries_see_the_union_of_all_graphs(store: GraphStore) -> None:
    a, b = docs_graph(store.base), Graph()
    b.add((URIRef(store.base + "eli/vn/y"), LO.symbol, Literal("Y/2")))
    store.replace_source(source(store, "a.txt"), a)
    store.replace_source(source(store, "b.txt"), b)
    found = {str(s) for s in store.query(SYMBOL_OF).values("symbol")}
    assert {"Y/2", "33/CT-TTg"} <= found


def test_property_path_from_a_bound_start(store: GraphStore) -> None:
    store.replace_source(source(store), docs_graph(store.base))
    chain = """
        PREFIX lo: <https://w3id.org/luocdo/ontology#>
        SELECT DISTINCT ?up WHERE { ?doc (lo:implements|lo:basedOn|^lo:sameDocumentAs)+ ?up }
    """
    start = URIRef(store.base + "eli/vn/cv/2023/4666/ubnd-kgvx")
    ups = {str(u)[len(store.base):] for u in store.query(chain, {"doc": start}).values("up")}
    assert ups == {"eli/vn/cv/2023/1432/bnv-cttn", "eli/vn/ct/2021/33/ttg"}


def test_ask_and_construct(store: GraphStore) -> None:
    store.replace_source(source(store), docs_graph(store.base))
    ask = "PREFIX lo: <https://w3id.org/luocdo/ontology#> ASK { ?d lo:symbol ?s }"
    assert store.query(ask, {"s": Literal("33/CT-TTg")}).boolean is True
    assert store.query(ask, {"s": Literal("nope")}).boolean is False
    built = store.query("PREFIX lo: <https://w3id.org/luocdo/ontology#> "
                        "CONSTRUCT { ?d lo:symbol ?s } WHERE { ?d lo:symbol ?s }").graph
    assert built is not None and len(built) == 3


def test_an_injection_attempt_through_a_parameter_changes_nothing(store: GraphStore) -> None:
    store.replace_source(source(store), docs_graph(store.base))
    before = quad_count(store)
    result = store.query(SYMBOL_OF.replace("?doc lo:symbol ?symbol", "?doc lo:symbol ?symbol "
                                           ". FILTER (?symbol = ?given)"),
                         {"given": Literal(INJECTION)})
    assert result.rows == ()
    assert quad_count(store) == before


def test_updates_are_refused_by_query(store: GraphStore) -> None:
    with pytest.raises(ValueError, match="updates"):
        store.query("DROP ALL")


def test_a_syntax_error_is_reported(store: GraphStore) -> None:
    with pytest.raises((ValueError, StoreError)):
        store.query("SELECT ?x WHERE { ?x ?y }")


# --- ontology, export, stats ------------------------------------------------------------------


def test_ensure_ontology_loads_once_and_enables_sub_property_paths(store: GraphStore) -> None:
    assert store.ensure_ontology() is True
    assert store.ensure_ontology() is False
    subs = store.query("""
        PREFIX lo: <https://w3id.org/luocdo/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT DISTINCT ?p WHERE { ?p rdfs:subPropertyOf* lo:cites }""").values("p")
    assert {LO.cites, LO.implements, LO.continues, LO.replaces} <= set(subs)


@pytest.mark.parametrize("fmt", ["ttl", "nt", "trig", "nq", "jsonld"])
def test_export_parses_back(store: GraphStore, fmt: str) -> None:
    g = docs_graph(store.base)
    store.replace_source(source(store), g)
    data = store.export(fmt)
    if fmt in ("ttl", "nt"):
        back = Graph().parse(data=data, format={"ttl": "turtle", "nt": "nt"}[fmt])
        assert set(g) <= set(back)
    else:
        ds = Dataset()
        ds.parse(data=data, format={"trig": "trig", "nq": "nquads", "jsonld": "json-ld"}[fmt])
        assert set(g) <= set(ds.graph(source(store)))


def test_export_rejects_unknown_formats(store: GraphStore) -> None:
    with pytest.raises(ValueError, match="unknown export format"):
        store.export("xml")


def test_stats(store: GraphStore) -> None:
    store.replace_source(source(store), docs_graph(store.base))
    counts = store.stats()
    assert counts["documents"] == 3
    assert counts["triples"] == len(docs_graph(store.base))
    # only the source graphs' triples: not the ontology, provenance or derived graphs,
    # nor a graph of another base that a raw update wrote
    store.ensure_ontology()
    store.replace_source(source(store, "b.txt"), docs_graph(store.base))
    store.update("INSERT DATA { GRAPH <urn:other:graph> { <urn:a> <urn:b> <urn:c> } }")
    assert store.stats()["triples"] == 2 * len(docs_graph(store.base))
    assert store._source_triples() == GraphStore._source_triples(store)  # one SPARQL query
    native = getattr(store, "native", None)
    if native is not None:  # a query worker's snapshot counts as its store does
        from api.query_runner import SnapshotStore

        snapshot = SnapshotStore(native, base=store.base)
        assert snapshot._source_triples() == GraphStore._source_triples(snapshot)
        expected = store.stats()

        def one_query(_: GraphStore) -> int:
            raise AssertionError("the filter on every quad's graph (28 s at 100k)")

        with pytest.MonkeyPatch.context() as patch:  # both count graph by graph
            patch.setattr(GraphStore, "_source_triples", one_query)
            assert snapshot.stats() == expected == store.stats()


def test_graph_triples_counts_each_source_graph(store: GraphStore) -> None:
    a, b = source(store), source(store, "b.txt")
    store.ensure_ontology()
    store.replace_source(a, docs_graph(store.base))
    store.replace_source(b, docs_graph(store.base))
    store.remove_source(b)
    store.replace_source(b, Graph())  # an empty source graph holds no triple
    store.update("INSERT DATA { GRAPH <urn:other:graph> { <urn:a> <urn:b> <urn:c> } }")
    counted = store.graph_triples()
    assert counted == {str(a): len(docs_graph(store.base))}, "source graphs only"
    assert sum(counted.values()) == store.stats()["triples"]
    assert store.graph_triples([a, b, URIRef("urn:other:graph")]) == counted
    assert store.graph_triples([]) == {}
    assert "triples" not in store.stats(triples=False)


# --- only for some stores ---------------------------------------------------------------------


def test_disk_store_persists(tmp_path: Path, assert_isomorphic: Check) -> None:
    g = docs_graph(iri.DEFAULT_BASE)
    with OxigraphStore(tmp_path / "s") as first:
        first.replace_source(source(first), g)
    with OxigraphStore(tmp_path / "s") as again:
        assert_isomorphic(again.named_graph(source(again)), g)


@pytest.mark.remote
def test_remote_chunks_keep_blank_node_groups_together(
    remote_store: Callable[..., RemoteStore], assert_isomorphic: Check
) -> None:
    store = remote_store(chunk=5)
    g = Graph().parse(data="""
        @prefix ex: <http://ex.org/> .
        ex:s ex:list ( ex:a ex:b ex:c ex:d ex:e ex:f ) ; ex:p [ ex:q [ ex:r 1 ] ] .
    """, format="turtle")
    store.replace_source(source(store), g)
    assert_isomorphic(store.named_graph(source(store)), g)


@pytest.mark.remote
def test_remote_store_reports_http_errors(remote_store: Callable[..., RemoteStore]) -> None:
    with pytest.raises(StoreError, match="HTTP"):
        remote_store().query("SELECT ?x WHERE { ?x <http://x> }")


def test_unreachable_endpoint_is_a_store_error() -> None:
    store = RemoteStore("http://127.0.0.1:9/sparql", timeout=2)
    try:
        with pytest.raises(StoreError, match="cannot reach"):
            store.query("ASK { ?s ?p ?o }")
    finally:
        store.close()


@pytest.mark.parametrize(
    ("spec", "kind"),
    [(":memory:", OxigraphStore), ("http://127.0.0.1:9/sparql", RemoteStore)],
)
def test_open_store_kinds(spec: str, kind: type) -> None:
    with open_store(spec) as opened:
        assert isinstance(opened, kind)


def test_open_store_directory(tmp_path: Path) -> None:
    with open_store(tmp_path / "kg") as opened:
        assert isinstance(opened, OxigraphStore) and opened.path == tmp_path / "kg"
    assert (tmp_path / "kg").is_dir()


def test_open_store_remote_update_url_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LUOCDO_UPDATE_URL", "http://127.0.0.1:9/update")
    with open_store("http://127.0.0.1:9/query") as opened:
        assert isinstance(opened, RemoteStore)
        assert (opened.query_url, opened.update_url) == ("http://127.0.0.1:9/query",
                                                         "http://127.0.0.1:9/update")


def test_default_store_path_honours_luocdo_store(monkeypatch: pytest.MonkeyPatch,
                                                 tmp_path: Path) -> None:
    monkeypatch.setenv("LUOCDO_STORE", str(tmp_path / "here"))
    assert default_store_path() == tmp_path / "here"
    monkeypatch.delenv("LUOCDO_STORE")
    assert default_store_path().name == "store"


def test_raw_update_and_native_handle(store: GraphStore) -> None:
    g = URIRef(store.base + "graph/manual")
    store.update(f"INSERT DATA {{ GRAPH <{g}> {{ <{store.base}x> <{LO.symbol}> \"X/1\" }} }}")
    assert store.query(SYMBOL_OF).values("symbol") == [Literal("X/1")]
    with pytest.raises((ValueError, StoreError)):
        store.update("INSERT DATA { oops }")
    if isinstance(store, OxigraphStore):
        assert store.native is not None


def test_from_clause_limits_the_dataset_in_oxigraph() -> None:
    # regression: with the union default graph always on, pyoxigraph ignored FROM
    from rdflib import Graph, Literal, URIRef

    from graph.store import OxigraphStore

    store = OxigraphStore(None)
    a, b = URIRef("urn:g:a"), URIRef("urn:g:b")
    for name in (a, b):
        g = Graph()
        g.add((URIRef(f"{name}#s"), URIRef("urn:p"), Literal(str(name))))
        store.replace_source(name, g)
    union = store.query("SELECT ?o WHERE { ?s <urn:p> ?o }")
    only_a = store.query("SELECT ?o FROM <urn:g:a> WHERE { ?s <urn:p> ?o }")
    assert len(union) == 2
    assert [str(r["o"]) for r in only_a] == ["urn:g:a"]


# --- put_graph: a graph written verbatim, with its provenance record (restore) ----------------

STAMP = Literal("2025-01-02T03:04:05Z", datatype=URIRef("http://www.w3.org/2001/XMLSchema#"
                                                         "dateTime"))
GENERATED = URIRef("http://www.w3.org/ns/prov#generatedAtTime")
IDENTIFIER = URIRef("http://purl.org/dc/terms/identifier")


def _record(name: URIRef, value: str = "sha256:00") -> list[tuple[URIRef, URIRef, Literal]]:
    return [(name, IDENTIFIER, Literal(value))]


def _union_is_exact(store: GraphStore) -> None:
    """An Oxigraph store's default graph is still the union of its named graphs."""
    if not isinstance(store, OxigraphStore):
        return
    import pyoxigraph as ox

    from graph import union

    native = store.native
    assert native is not None and union.is_materialised(native)
    default, named = set(), set()
    for q in native.quads_for_pattern(None, None, None, None):
        t = (q.subject, q.predicate, q.object)
        if not isinstance(q.graph_name, ox.DefaultGraph):
            if not any(isinstance(x, ox.BlankNode) for x in t):
                named.add(t)
        elif q.subject.value != union.MARK_SUBJECT:
            default.add(t)
    assert default == named


@pytest.mark.parametrize("record", [[], ["sha256:aa"], ["sha256:aa", "sha256:bb"]],
                         ids=["no-record", "one", "two"])
def test_put_graph_writes_the_graph_and_its_record_verbatim(
        store: GraphStore, assert_isomorphic: Check, record: list[str]) -> None:
    name, other = source(store, "a.txt"), source(store, "b.txt")
    store.replace_source(name, docs_graph(store.base))  # an earlier ingest, with a stamp
    store.replace_source(other, docs_graph(store.base))
    content = Graph()
    content.add((URIRef(store.base + "eli/vn/x"), LO.identityKey, Literal("X@2024")))
    store.put_graph(name, content, [t for v in record for t in _record(name, v)])
    assert_isomorphic(store.named_graph(name), content)
    prov = store.named_graph(store.provenance_graph)
    assert {str(o) for o in prov.objects(name, None)} == set(record)  # the stamp is gone
    assert len(list(prov.objects(other, GENERATED))) == 1  # other records untouched
    _union_is_exact(store)


@pytest.mark.parametrize("split", ["all-in-triples", "own-record-apart"])
def test_put_graph_of_the_provenance_graph_keeps_every_triple(
        store: GraphStore, assert_isomorphic: Check, split: str) -> None:
    # regression: _replace(pg, triples, []) built {pg: triples, pg: []} and wrote nothing
    pg = store.provenance_graph
    store.replace_source(source(store, "old.txt"), docs_graph(store.base))
    about_sources = [(source(store, "a.txt"), GENERATED, STAMP),
                     (source(store, "b.txt"), GENERATED, STAMP)]
    own = _record(pg, "sha256:pg")
    if split == "all-in-triples":
        store.put_graph(pg, [*about_sources, *own])
    else:
        store.put_graph(pg, about_sources, own)
    expected = Graph()
    for t in (*about_sources, *own):
        expected.add(t)
    assert_isomorphic(store.named_graph(pg), expected)
    _union_is_exact(store)


def test_put_graph_refuses_a_record_about_another_graph(store: GraphStore) -> None:
    with pytest.raises(ValueError, match="must be about it"):
        store.put_graph(source(store, "a.txt"), Graph(), _record(source(store, "b.txt")))
    assert store.graph_names() == []


# --- a store directory another process holds --------------------------------------------------

_HOLD = """
import sys, time
from graph.store import OxigraphStore
store = OxigraphStore(sys.argv[1])
print("holding", flush=True)
time.sleep(60)
"""


def test_store_locked_by_another_process_says_so(tmp_path: Path) -> None:
    import subprocess
    import sys

    folder = tmp_path / "kg"
    holder = subprocess.Popen([sys.executable, "-c", _HOLD, str(folder)],
                              cwd=Path(__file__).resolve().parents[1],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        with pytest.raises(StoreError) as caught:
            OxigraphStore(folder)
        message = str(caught.value)
        assert "another luocdo process (serve or ingest) has it open" in message
        assert "--store" in message and str(folder) in message
    finally:
        holder.kill()
        holder.wait(10)
    OxigraphStore(folder).close()  # free again once the holder is gone


def test_store_open_twice_in_one_process_says_so(tmp_path: Path) -> None:
    first = OxigraphStore(tmp_path / "kg")
    try:
        with pytest.raises(StoreError, match="this process already has it open"):
            OxigraphStore(tmp_path / "kg")
    finally:
        first.close()
