"""``graph.reports.read_obligations`` reads every obligation from its packed entry.

The oracle is the value-by-value read (``trace_obligations``, what the whole-store
read ran before entries): on the samples, the seeds and synthetic text the facts are
the same. An obligation without an entry (a store written before entries existed, or
one stated by hand) or with two entries is read the old way, beside the others.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from corpora import SAMPLES, corpus_paths, ingested
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from graph.obligation_index import OBLIGATION_FIELDS
from graph.packed import pack, unpack
from graph.reports import (
    ObligationFact,
    _obligation_fact,
    _obligation_order,
    bound_rows,
    group_rows,
    read_obligations,
)
from ontology.ns import LO

LO_NS = "https://w3id.org/luocdo/ontology#"

DROP_ENTRIES = f"""PREFIX lo: <{LO_NS}>
DELETE {{ GRAPH ?g {{ ?o lo:obligationEntry ?e }} }}
WHERE {{ GRAPH ?g {{ ?o lo:obligationEntry ?e }} }}"""


def _oracle(store: Any) -> list[ObligationFact]:
    """The whole-store read as it was: every value read by its own lookup."""
    rows = bound_rows(store, "trace_obligations", doc=None, o=None)
    facts = (_obligation_fact(i, group) for i, group in group_rows(rows, "o").items())
    return sorted(facts, key=_obligation_order)


def _entries(store: Any) -> list[str]:
    found = store.query(f"PREFIX lo: <{LO_NS}> SELECT ?e WHERE {{ ?o lo:obligationEntry ?e }}")
    return [str(r["e"]) for r in found.rows]


@pytest.mark.parametrize("corpus", ["samples", "seeds", "synthetic"])
def test_entries_give_the_value_by_value_facts(corpus: str, tmp_path: Path) -> None:
    store = ingested(corpus_paths(corpus, tmp_path))
    expected = _oracle(store)
    assert expected, "the corpus holds obligations"
    assert len(_entries(store)) == len(expected)  # one entry per obligation
    assert read_obligations(store) == expected
    # the corpus exercises every kind of value an entry holds
    held = {f for f in OBLIGATION_FIELDS for e in _entries(store)
            if unpack(e, len(OBLIGATION_FIELDS))[OBLIGATION_FIELDS.index(f)] is not None}
    wanted = {"o", "doc", "action", "quote", "start", "end", "path"}
    if corpus != "synthetic":
        wanted |= {"bearer", "recipient", "dueDate", "dueMonthDay", "frequency"}
    assert wanted <= held


def test_entries_read_delegations(tmp_path: Path) -> None:
    """An obligation delegated to the forwarded document's obligations names them (the
    province letter that forwards the ministry's letter in the same file)."""
    store = ingested([p for p in corpus_paths("seeds", tmp_path) if p.name.startswith("002_")])
    facts = read_obligations(store)
    assert any(o.delegates_to for o in facts)
    assert facts == _oracle(store)


@pytest.mark.parametrize("corpus", ["samples", "seeds"])
def test_a_store_without_entries_reads_the_same_facts(corpus: str, tmp_path: Path) -> None:
    store = ingested(corpus_paths(corpus, tmp_path))
    before = read_obligations(store)
    store.update(DROP_ENTRIES)
    assert _entries(store) == []
    assert read_obligations(store) == before


def _obligation_graph(node: URIRef, doc: URIRef, action: str) -> Graph:
    g = Graph()
    g.add((node, RDF.type, LO.Obligation))
    g.add((node, LO.createdBy, doc))
    g.add((node, LO.action, Literal(action)))
    return g


def test_an_obligation_without_an_entry_is_read_beside_the_others() -> None:
    """An obligation stated by hand (no entry) comes back with those read from entries."""
    store = ingested(sorted(SAMPLES.glob("*.txt")))
    before = read_obligations(store)
    node = URIRef("https://example.org/obligation/by-hand")
    store.replace_source(URIRef("https://example.org/graph/by-hand"),
                        _obligation_graph(node, URIRef("https://example.org/doc/x"), "báo cáo"))
    after = read_obligations(store)
    assert after == _oracle(store)
    assert [o for o in after if o.iri != str(node)] == before
    assert next(o for o in after if o.iri == str(node)).action == "báo cáo"


def test_an_obligation_with_two_entries_is_read_value_by_value() -> None:
    """Two graphs giving one obligation two different entries: neither entry is
    believed; the values of both graphs are read, as without entries."""
    store = ingested(sorted(SAMPLES.glob("*.txt")))
    first = read_obligations(store)[0]
    node = URIRef(first.iri)
    g = _obligation_graph(node, URIRef(first.document or ""), "một hành động khác")
    g.add((node, LO.obligationEntry, Literal(pack(
        [first.iri, first.document, None, None, "một hành động khác"] + [None] * 8))))
    store.replace_source(URIRef("https://example.org/graph/second"), g)
    after = read_obligations(store)
    assert after == _oracle(store)
    assert next(o for o in after if o.iri == first.iri).action == min(
        first.action or "", "một hành động khác")


def test_no_obligation_reads_nothing(tmp_path: Path) -> None:
    store = ingested([])
    assert read_obligations(store) == []


def test_entries_read_the_same_on_each_store(any_store: Any) -> None:
    """On Oxigraph and on the test SPARQL endpoint (Virtuoso), entries give the facts
    the value-by-value read gives on that store, and submissions the whole-store
    reading's statuses."""
    from graph.pipeline import ingest_paths
    from graph.reports import submissions

    summary = ingest_paths(any_store, [str(p) for p in sorted(SAMPLES.glob("*.txt"))])
    assert not summary.failed
    expected = _oracle(any_store)
    assert expected and len(_entries(any_store)) == len(expected)
    assert read_obligations(any_store) == expected
    def judged(store: Any) -> list[tuple[Any, ...]]:  # without IRIs: each store's base
        return [(s.agency, s.category, s.symbol, s.date, s.obligation_symbol, s.deadline,
                 s.status, s.reason, s.source, s.evidence, len(s.candidates))
                for s in submissions(store)]

    found = judged(any_store)
    assert any(row[4] for row in found)
    assert found == judged(ingested(sorted(SAMPLES.glob("*.txt"))))
