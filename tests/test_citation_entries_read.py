"""``graph.reports.read_citations`` reads citation entries (``trace_citation_entries``).

The oracle is the value-by-value read (``trace_citations`` / ``trace_citations_to``,
what ``read_citations`` ran before entries): for the samples, the seeds and synthetic
text, anchored on each citing document, on each cited document, and unbound, the facts
are the same. A citation without an entry (no evidence, or a store written before
entries existed) is read the old way, so such stores keep their answers.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from corpora import (
    DROP_CITATION_ENTRIES,
    SAMPLES,
    asked_queries,
    corpus_paths,
    cut_citation_entries,
    ingested,
    synthetic_files,
)
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from graph.reports import (
    CitationFact,
    _iris,
    _store_order,
    _unpacked_entries,
    bound_rows,
    citation_fact,
    group_rows,
    read_citations,
)
from ontology.ns import LO

LO_NS = "https://w3id.org/luocdo/ontology#"



def _oracle(store: Any, citing: Iterable[str] | None = None,
            cited: Iterable[str] | None = None) -> list[CitationFact]:
    """``read_citations`` as it was: every value read by its own lookup."""
    if citing is not None and cited is None:
        rows = bound_rows(store, "trace_citations", citing=_iris(citing))
    else:
        rows = bound_rows(store, "trace_citations_to", citing=_iris(citing), cited=_iris(cited))
    facts = (citation_fact(i, group) for i, group in group_rows(rows, "c").items())
    return sorted(facts, key=_store_order)


def _column(store: Any, var: str) -> list[str]:
    found = store.query(f"PREFIX lo: <{LO_NS}> SELECT DISTINCT ?{var} WHERE "
                        f"{{ ?c lo:{var}Document ?{var} }}")
    return sorted(str(r[var]) for r in found.rows)


def _entries(store: Any) -> int:
    found = store.query(f"PREFIX lo: <{LO_NS}> SELECT (COUNT(*) AS ?n) "
                        "WHERE { ?c lo:citationEntry ?e }")
    return int(found.rows[0]["n"])


def _check(store: Any) -> int:
    """Every way of reading citations gives the oracle's facts; the count read."""
    read = 0
    assert read_citations(store) == _oracle(store)
    for doc in _column(store, "citing"):
        expected = _oracle(store, citing=[doc])
        assert read_citations(store, citing=[doc]) == expected, doc
        read += len(expected)
    for doc in _column(store, "cited"):
        expected = _oracle(store, cited=[doc])
        assert read_citations(store, cited=[doc]) == expected, doc
        both = {c.citing for c in expected}
        assert read_citations(store, citing=both, cited=[doc]) == _oracle(
            store, citing=both, cited=[doc]), doc
    return read


@pytest.mark.parametrize("corpus", ["samples", "seeds", "synthetic"])
def test_entries_give_the_value_by_value_facts(corpus: str, tmp_path: Path) -> None:
    store = ingested(corpus_paths(corpus, tmp_path))
    assert _entries(store) > 0
    assert _check(store) > 0


@pytest.mark.parametrize("corpus", ["samples", "seeds"])
def test_a_store_without_entries_reads_the_same_facts(corpus: str, tmp_path: Path) -> None:
    """Entries dropped (a store written before they existed): the same facts, read the
    old way for every citation."""
    store = ingested(corpus_paths(corpus, tmp_path))
    before = read_citations(store)
    store.update(DROP_CITATION_ENTRIES)
    assert _entries(store) == 0
    assert read_citations(store) == before
    assert _check(store) > 0


def test_a_citation_without_evidence_is_read_the_old_way() -> None:
    """A citation with no evidence has no entry: its relation and date still come back,
    beside a citation that has one."""
    store = ingested(sorted(SAMPLES.glob("*.txt")))
    citing = _column(store, "citing")[0]
    before = read_citations(store, citing=[citing])
    g = Graph()
    bare = URIRef("https://example.org/citation/bare")
    cited = URIRef("https://example.org/doc/cited")
    g.add((bare, RDF.type, LO.Citation))
    g.add((bare, LO.citingDocument, URIRef(citing)))
    g.add((bare, LO.citedDocument, cited))
    g.add((bare, LO.relation, LO.implements))
    g.add((bare, LO.citedIssuer, Literal("Bộ Nội vụ")))
    store.replace_source(URIRef("https://example.org/source/bare"), g)
    after = read_citations(store, citing=[citing])
    assert after == _oracle(store, citing=[citing])
    added = [c for c in after if c.iri == str(bare)]
    assert len(added) == 1 and added[0].issuer == "Bộ Nội vụ" and added[0].evidence is None
    assert added[0].relation is not None
    assert [c for c in after if c.iri != str(bare)] == before


@pytest.mark.parametrize(("row", "expected"), [
    ({"c": "c1", "citing": "d", "cited": "e",
      "entry": "https://w3id.org/luocdo/ontology#implements\t2021-09-02\tq\\tx\t1\t5\tp.txt\t"},
     {"c": "c1", "citing": "d", "cited": "e",
      "relation": "https://w3id.org/luocdo/ontology#implements", "date": "2021-09-02",
      "quote": "q\tx", "start": "1", "end": "5", "path": "p.txt"}),
    ({"c": "c2", "citing": "d", "cited": "e",
      "entry": "r\t\tĐề cương\t0\t8\tđ.txt\thttps://example.org/stater"},
     {"c": "c2", "citing": "d", "cited": "e", "relation": "r", "quote": "Đề cương",
      "start": "0", "end": "8", "path": "đ.txt", "statedBy": "https://example.org/stater"}),
])
def test_an_entry_unpacks_into_the_columns_of_trace_citations(
        row: dict[str, str], expected: dict[str, str]) -> None:
    rows, bare = _unpacked_entries([dict(row)])
    assert rows == [expected] and not bare


def test_a_row_without_an_entry_is_named_not_kept() -> None:
    rows, bare = _unpacked_entries([{"c": "c3", "citing": "d", "cited": "e"}])
    assert rows == [] and bare == {"c3"}


def test_entries_read_the_same_on_each_store(any_store: Any) -> None:
    """On Oxigraph and on the test SPARQL endpoint (Virtuoso), entries give the facts
    the value-by-value read gives on that store."""
    from graph.pipeline import ingest_paths

    summary = ingest_paths(any_store, [str(p) for p in sorted(SAMPLES.glob("*.txt"))])
    assert not summary.failed
    assert _entries(any_store) > 0
    assert _check(any_store) > 0


def _asked(store: Any, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The named queries ``read_citations`` runs from now on, in order."""
    import graph.reports as reports

    return asked_queries(reports, monkeypatch)


def test_the_whole_store_is_read_from_the_entries_alone(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Unbound, a store whose every citation has a current entry is read from the
    entries (one value a citation) and the citation count, nothing else."""
    store = ingested(synthetic_files(tmp_path, 40, 5))
    expected = _oracle(store)
    asked = _asked(store, monkeypatch)
    assert read_citations(store) == expected
    assert asked == ["citation_entries", "citation_count"]


@pytest.mark.parametrize("corpus", ["samples", "seeds"])
def test_entries_of_an_older_mapping_read_the_same_facts(corpus: str, tmp_path: Path) -> None:
    """Entries of seven values (written before they named the citation itself): the
    whole store is read value by value, with the same facts."""
    store = ingested(corpus_paths(corpus, tmp_path))
    before = read_citations(store)
    assert cut_citation_entries(store, 7) > 0
    assert read_citations(store) == before == _oracle(store)
    assert _check(store) > 0


def test_one_older_entry_among_current_ones_reads_the_same_facts(tmp_path: Path) -> None:
    """A single entry written by an older mapping is enough to read the store value by
    value (an entry without the citation's own values cannot be placed)."""
    store = ingested(sorted(SAMPLES.glob("*.txt")))
    cut_citation_entries(store, 7, first=1)
    assert read_citations(store) == _oracle(store)


def test_the_whole_store_read_keeps_citations_without_an_entry(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A citation with no evidence (so no entry) beside citations with entries: the
    unbound read finds it and reads it value by value."""
    store = ingested(sorted(SAMPLES.glob("*.txt")))
    citing = _column(store, "citing")[0]
    g = Graph()
    bare = URIRef("https://example.org/citation/bare")
    g.add((bare, RDF.type, LO.Citation))
    g.add((bare, LO.citingDocument, URIRef(citing)))
    g.add((bare, LO.citedDocument, URIRef("https://example.org/doc/cited")))
    g.add((bare, LO.relation, LO.implements))
    g.add((bare, LO.citedIssuer, Literal("Bộ Nội vụ")))
    store.replace_source(URIRef("https://example.org/source/bare"), g)
    asked = _asked(store, monkeypatch)
    found = read_citations(store)
    assert found == _oracle(store)
    assert [c.issuer for c in found if c.iri == str(bare)] == ["Bộ Nội vụ"]
    assert asked[:3] == ["citation_entries", "citation_count", "citations_without_entry"]


@pytest.mark.parametrize("row", [
    {"c": "c1", "citing": "d", "cited": "e", "relation": f"{LO_NS}implements",
     "date": "2021-09-02", "quote": "q", "start": "1", "end": "5", "path": "p.txt",
     "issuer": "Bộ Nội vụ"},
    {"c": "c2", "citing": "d", "cited": "e", "relation": f"{LO_NS}replaces", "quote": "Đề",
     "start": "0", "end": "2", "path": "đ.txt", "statedBy": "https://example.org/s"},
    {"c": "c3", "citing": "d", "cited": "e"},  # no relation, no evidence
    {"c": "c4", "citing": "d", "cited": "e", "quote": "q", "start": "3"},  # no end: none
    {"c": "c5", "citing": "d", "cited": "e", "relation": "urn:x:unknown", "date": "2021-13-40",
     "quote": "", "start": "0", "end": "0"},  # values the readers turn to None
])
def test_a_fact_from_one_entry_is_the_grouped_reading(row: dict[str, str]) -> None:
    from graph.reports import _entry_fact

    assert _entry_fact(row["c"], row) == citation_fact(row["c"], [row])
