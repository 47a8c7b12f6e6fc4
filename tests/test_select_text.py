"""``GraphStore.select_text``: SELECT rows as plain strings, without rdflib terms;
``GraphStore.iter_text``: the same rows one at a time.

The oracle is ``str()`` of every term of ``GraphStore.query``'s rows (what
``graph.reports.bound_rows`` did before): for every named query ``graph.reports``
reads, run over the samples with and without bindings, and for hand-made terms of every
kind (language tags, datatypes, blank nodes, Đ, TAB, NFD text), the rows are equal, on
Oxigraph (a store and a worker's read-only snapshot) and on the test SPARQL endpoint.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS, XSD

from graph.reports import _query_text
from graph.store import GraphStore, OxigraphStore

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "ingest" / "samples"
LO = "https://w3id.org/luocdo/ontology#"

# every named query graph.reports and graph.trace read through bound_rows, with the
# variable a reader binds (None: read unbound)
READ_QUERIES: list[tuple[str, str | None]] = [
    ("trace_documents", "doc"), ("trace_documents_brief", "doc"),
    ("trace_citations", "citing"), ("trace_citations_to", "cited"),
    ("trace_citation_entries", "citing"), ("trace_citation_entries_to", "cited"),
    ("trace_obligations", "doc"), ("trace_sections", "s"), ("trace_outline_nodes", "owner"),
    ("trace_cited_dates", "cited"),
    # and those graph.reports.conflicts reads unbound, one row at a time (stream_rows)
    ("citation_entries", None), ("claimed_fields", None),
]

ODD_TERMS = f"""PREFIX lo: <{LO}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?s ?o ?unbound WHERE {{
  ?s rdfs:label ?o .
  FILTER (STRSTARTS(STR(?s), "https://example.org/odd/") || isBlank(?s))
  OPTIONAL {{ ?s lo:nothing ?unbound }}
}}"""


def _oracle(store: GraphStore, text: str, bound: Any = None) -> list[dict[str, str]]:
    return [{k: str(v) for k, v in row.items()} for row in store.query(text, bound).rows]


def _ingested(store: GraphStore) -> GraphStore:
    from graph.pipeline import ingest_paths

    summary = ingest_paths(store, [str(p) for p in sorted(SAMPLES.glob("*.txt"))])
    assert not summary.failed
    return store


def _values(store: GraphStore, var: str, query: str) -> list[URIRef]:
    """Up to eight values ``var`` takes in ``query`` unbound (the bindings to try)."""
    rows = store.query(_query_text(query)).rows
    found = {URIRef(str(r[var])) for r in rows if isinstance(r.get(var), URIRef)}
    return sorted(found)[:8]


def _check_named(store: GraphStore) -> int:
    checked = 0
    for name, var in READ_QUERIES:
        text = _query_text(name)
        whole = _oracle(store, text)
        assert store.select_text(text) == whole, name
        assert list(store.iter_text(text)) == whole, name
        checked += len(whole)
        for value in _values(store, var, name) if var else []:
            bound: dict[str, Any] = {str(var): [value]}
            expected = _oracle(store, text, bound)
            assert store.select_text(text, bound) == expected, (name, value)
            assert list(store.iter_text(text, bound)) == expected, (name, value)
            checked += len(expected)
    return checked


def test_named_reads_equal_the_terms_text(any_store: GraphStore) -> None:
    assert _check_named(_ingested(any_store)) > 0


def test_a_snapshot_gives_the_same_text(tmp_path: Path) -> None:
    """A query worker's read-only snapshot (``api.query_runner.SnapshotStore``)."""
    import pyoxigraph as ox

    from api.query_runner import SnapshotStore

    folder = tmp_path / "store"
    store = OxigraphStore(folder)
    _ingested(store)
    store.close()
    snapshot = SnapshotStore(ox.Store.read_only(str(folder)))
    assert _check_named(snapshot) > 0


@pytest.mark.parametrize("term", [
    Literal("Bộ Nội vụ", lang="vi"),
    Literal("Đề cương báo cáo"),
    Literal(unicodedata.normalize("NFD", "Đồng Nai")),
    Literal("a\tb\\c \"q\""),
    Literal("2024-12-15", datatype=XSD.date),
    Literal("42", datatype=XSD.integer),
    Literal("true", datatype=XSD.boolean),
    Literal("x", datatype=URIRef("https://example.org/dt")),
    URIRef("https://example.org/odd/target"),
])
def test_every_kind_of_term(any_store: GraphStore, term: Any) -> None:
    g = Graph()
    g.add((URIRef("https://example.org/odd/s"), RDFS.label, term))
    any_store.replace_source(URIRef("https://example.org/odd/source"), g)
    assert any_store.select_text(ODD_TERMS) == _oracle(any_store, ODD_TERMS)
    assert list(any_store.iter_text(ODD_TERMS)) == _oracle(any_store, ODD_TERMS)
    assert any_store.select_text(ODD_TERMS) != []


def test_a_blank_node_gives_its_label(memory_store: Callable[[], OxigraphStore]) -> None:
    store = memory_store()
    store.update('INSERT DATA { GRAPH <https://example.org/odd/g> '
                 '{ _:b <http://www.w3.org/2000/01/rdf-schema#label> "nút trống" } }')
    text = ("SELECT ?s ?o WHERE { GRAPH ?g "
            "{ ?s <http://www.w3.org/2000/01/rdf-schema#label> ?o } }")
    rows = store.select_text(text)
    assert rows == _oracle(store, text)
    assert len(rows) == 1 and rows[0]["o"] == "nút trống" and rows[0]["s"]


@pytest.mark.parametrize("text", [
    "ASK { ?s ?p ?o }",
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
])
def test_only_select(memory_store: Callable[[], OxigraphStore], text: str) -> None:
    store = memory_store()
    with pytest.raises(ValueError, match="select_text runs SELECT"):
        store.select_text(text)
    with pytest.raises(ValueError, match="iter_text runs SELECT"):
        store.iter_text(text)  # refused when called, before a row is asked for


def _peak_kib(read: Callable[[], object]) -> float:
    """The most memory Python held at once while ``read`` ran (tracemalloc), in KiB."""
    import tracemalloc

    tracemalloc.start()
    try:
        read()
        return tracemalloc.get_traced_memory()[1] / 1024
    finally:
        tracemalloc.stop()


def test_rows_are_handed_over_as_they_are_read(
        memory_store: Callable[[], OxigraphStore]) -> None:
    """On Oxigraph the rows come one at a time: counting 20,000 rows through
    ``iter_text`` holds a row at a time, where ``select_text`` holds them all."""
    store = memory_store()
    g = Graph()
    g += [(URIRef(f"https://example.org/odd/s{i}"), RDFS.label, Literal(f"nhãn số {i}"))
          for i in range(20_000)]
    store.replace_source(URIRef("https://example.org/odd/source"), g)
    text = "SELECT ?s ?o WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?o }"
    assert sum(1 for _ in store.iter_text(text)) == 20_000
    streamed = _peak_kib(lambda: sum(1 for _ in store.iter_text(text)))
    whole = _peak_kib(lambda: len(store.select_text(text)))
    assert whole > 2_000  # 20,000 rows of two strings: megabytes
    assert streamed < whole / 20, (streamed, whole)


def test_a_syntax_error_is_a_value_error(memory_store: Callable[[], OxigraphStore]) -> None:
    with pytest.raises(ValueError, match="syntax"):
        memory_store().select_text("SELECT ?s WHERE { ?s ?p }")
    with pytest.raises(ValueError, match="syntax"):
        list(memory_store().iter_text("SELECT ?s WHERE { ?s ?p }"))
