"""Citation entries (``graph.cite_index``): ``cited_by`` read from packed rows.

The oracle is the query ``cited_by`` was before entries (a lookup per value and row):
for every document of the samples, the seeds and synthetic text, the new query gives
the same rows in the same order.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from corpora import ingested, synthetic_files
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from benchmarks.bench_cited_by import ORACLE, ORDER
from benchmarks.bench_cited_by import row as _row
from graph.cite_index import CITATION_FIELDS, CitationNode, citation_entry
from graph.queries import _catalogue, _sorted, bind_params, load_query, run_named
from graph.sparql import inject_values
from graph.store import OxigraphStore
from ingest.models import Span
from ontology.ns import LO

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
SAMPLES = ROOT / "ingest" / "samples"
if str(ROOT) not in sys.path:  # benchmarks/ is not an installed package
    sys.path.insert(0, str(ROOT))

DROP_ENTRIES = """PREFIX lo: <https://w3id.org/luocdo/ontology#>
DELETE { GRAPH ?g { ?c lo:citationEntry ?e } } WHERE { GRAPH ?g { ?c lo:citationEntry ?e } }"""
def _oracle(store: Any, doc: URIRef) -> list[tuple[Any, ...]]:
    load_query("cited_by")
    bound = bind_params(store, _catalogue()["cited_by"], {"doc": doc})  # and its aliases
    found = store.query(ORACLE, bound)
    return [_row(r) for r in _sorted(found, ORDER).rows]


def _new(store: Any, doc: URIRef, **page: int) -> list[tuple[Any, ...]]:
    return [_row(r) for r in run_named(store, "cited_by", doc=doc, **page).rows]


def _cited(store: Any) -> list[URIRef]:
    found = store.query("PREFIX lo: <https://w3id.org/luocdo/ontology#> "
                        "SELECT DISTINCT ?d WHERE { ?c lo:citedDocument ?d }")
    return sorted(r["d"] for r in found.rows)


def _check(store: Any) -> int:
    """Every cited document's rows equal the oracle's, terms and order alike."""
    rows = 0
    for doc in _cited(store):
        expected = _oracle(store, doc)
        assert _new(store, doc) == expected, doc
        rows += len(expected)
    return rows


def _entries(store: Any) -> int:
    found = store.query("PREFIX lo: <https://w3id.org/luocdo/ontology#> "
                        "SELECT (COUNT(*) AS ?n) WHERE { ?c lo:citationEntry ?e }")
    return int(found.rows[0]["n"])


def _corpora(tmp_path: Path) -> dict[str, list[Path]]:
    out = {"samples": sorted(SAMPLES.glob("*.txt")), "synthetic": synthetic_files(tmp_path, 60, 7)}
    if SEEDS.is_dir():
        out["seeds"] = sorted(SEEDS.glob("*.txt"))
    return out


@pytest.mark.parametrize("corpus", ["samples", "seeds", "synthetic"])
def test_cited_by_matches_the_normalised_graph(corpus: str, tmp_path: Path) -> None:
    paths = _corpora(tmp_path).get(corpus)
    if paths is None:
        pytest.skip(f"seed folder {SEEDS} is absent (it lives beside the repository)")
    store = ingested(paths)
    assert _entries(store) > 0
    assert _check(store) > 0


def test_ingesting_a_file_again_gives_its_citations_their_entries(tmp_path: Path) -> None:
    """A store written before entries existed lists a file's citations again once the
    file is ingested again (the documented upgrade path)."""
    from graph.pipeline import ingest_paths

    paths = sorted(SAMPLES.glob("*.txt"))
    store = ingested(paths)
    before = {d: _new(store, d) for d in _cited(store)}
    store.update(DROP_ENTRIES)
    assert _entries(store) == 0
    assert not any(_new(store, d) for d in _cited(store))
    ingest_paths(store, [str(p) for p in paths])
    assert {d: _new(store, d) for d in _cited(store)} == before


def test_pages_put_together_are_the_whole_list(tmp_path: Path) -> None:
    store = ingested(synthetic_files(tmp_path, 60, 11))
    doc = max(_cited(store), key=lambda d: len(_oracle(store, d)))
    whole = _oracle(store, doc)
    assert len(whole) > 7
    pages: list[tuple[Any, ...]] = []
    for offset in range(0, len(whole), 7):
        pages += _new(store, doc, limit=7, offset=offset)
    assert sorted(pages, key=str) == sorted(whole, key=str)


def test_the_query_unpacks_the_fields_the_entry_packs() -> None:
    load_query("cited_by")
    spec = _catalogue()["cited_by"].unpack
    assert spec is not None
    assert tuple(name for name, _ in spec.columns) == CITATION_FIELDS
    assert spec.required == len(CITATION_FIELDS)
    assert spec.more  # the citation's own values follow, read by graph.reports alone


S = Span(10, 25, "Chỉ thị\t33\\TTg")  # a quote with a TAB and a backslash


NODE = CitationNode(URIRef("https://x/c/1"), URIRef("https://x/d/a"), URIRef("https://x/d/b"))
NODE_TEXT = "\thttps://x/c/1\thttps://x/d/a\thttps://x/d/b\t"


@pytest.mark.parametrize(("relation", "date", "stated", "node", "expected"), [
    (LO.implements, None, None, NODE,
     "https://w3id.org/luocdo/ontology#implements\t\tChỉ thị\\t33\\\\TTg\t10\t25\tp.txt\t"
     + NODE_TEXT),
    (LO.cites, "2021-09-02", URIRef("https://x/d"), NODE,
     "https://w3id.org/luocdo/ontology#cites\t2021-09-02\tChỉ thị\\t33\\\\TTg\t10\t25\tp.txt"
     "\thttps://x/d" + NODE_TEXT),
    # the issuer written beside the mention closes the entry (a TAB in it escaped)
    (LO.implements, None, None, CitationNode(NODE.node, NODE.citing, NODE.cited, "Bộ\tNội vụ"),
     "https://w3id.org/luocdo/ontology#implements\t\tChỉ thị\\t33\\\\TTg\t10\t25\tp.txt\t"
     + NODE_TEXT + "Bộ\\tNội vụ"),
])
def test_entry_packing(relation: URIRef, date: str | None, stated: URIRef | None,
                       node: CitationNode, expected: str) -> None:
    import datetime as dt

    day = dt.date.fromisoformat(date) if date else None
    assert str(citation_entry(relation, day, S, "p.txt", node, stated)) == expected


def _one_citation(base: str, quote: str) -> Graph:
    g = Graph()
    c, doc, citing = URIRef(base + "c/1"), URIRef(base + "d/cited"), URIRef(base + "d/citing")
    ev, src = URIRef(base + "ev/1"), URIRef(base + "src/1")
    g.add((c, RDF.type, LO.Citation))
    g.add((c, LO.citedDocument, doc))
    g.add((c, LO.citingDocument, citing))
    g.add((c, LO.relation, LO.implements))
    g.add((c, LO.citedDate, Literal("2021-09-02", datatype=XSD.date)))
    g.add((c, LO.evidence, ev))
    g.add((ev, LO.quote, Literal(quote)))
    g.add((ev, LO.startOffset, Literal(3)))
    g.add((ev, LO.endOffset, Literal(3 + len(quote))))
    g.add((ev, LO.sourceFile, src))
    g.add((src, LO.path, Literal("a.txt")))
    g.add((citing, LO.symbol, Literal("77/KH-UBND")))
    import datetime as dt

    span = Span(3, 3 + len(quote), quote)
    g.add((c, LO.citationEntry,
           citation_entry(LO.implements, dt.date(2021, 9, 2), span, "a.txt",
                          CitationNode(c, citing, doc))))
    return g


@pytest.mark.parametrize("quote", ["Chỉ thị số 33/CT-TTg", "a\tb\\c", "Đồng Nai"])
def test_cited_by_on_every_kind_of_store(any_store: Any, quote: str) -> None:
    base = any_store.base
    any_store.replace_source(URIRef(base + "graph/source/1"), _one_citation(base, quote))
    doc = URIRef(base + "d/cited")
    rows = run_named(any_store, "cited_by", doc=doc).rows
    assert [_row(r) for r in rows] == _oracle(any_store, doc)
    assert [(str(r["quote"]), r["start"], r["citedDate"]) for r in rows] == [
        (quote, Literal(3), Literal("2021-09-02", datatype=XSD.date))]


def test_the_raw_query_text_is_plain_sparql(memory_store: Callable[[], OxigraphStore]) -> None:
    """Any SPARQL reader can run the .rq (it sees the packed column instead)."""
    store = memory_store()
    base = store.base
    store.replace_source(URIRef(base + "graph/source/1"), _one_citation(base, "q"))
    text = inject_values(load_query("cited_by"), {"doc": [URIRef(base + "d/cited")]})
    rows = store.query(text).rows
    assert len(rows) == 1 and "entry" in rows[0]
