"""Named queries shaped for large stores: pages, counts, follow-up evidence, date windows."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from typing import Any

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from graph import iri
from graph.cite_index import CitationNode, citation_entry
from graph.due_index import DueEntry, due_index_triples, month_key
from graph.pipeline import refresh_derived
from graph.queries import month_keys, run_named
from graph.store import OxigraphStore
from ingest.models import Span
from ontology.ns import LO

B = "https://data.luocdo.vn/"


def _window(start: str, end: str) -> dict[str, Any]:
    """The parameters of a due window ("from" is a Python keyword)."""
    return {"from": start, "to": end}


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2024-12-01", "2024-12-31", ["2024-12", "--12"]),
        ("2024-11-15", "2025-01-10", ["2024-11", "2024-12", "2025-01", "--01", "--11", "--12"]),
        ("2024-05-01", "2024-04-01", []),
        ("2020-01-01", "2025-12-31", None),  # 72 months: too long, the query scans instead
    ],
)
def test_month_keys(start: str, end: str, expected: list[str] | None) -> None:
    assert month_keys(dt.date.fromisoformat(start), dt.date.fromisoformat(end)) == expected


def _deadline_store(memory_store: Callable[[], OxigraphStore]) -> OxigraphStore:
    """One document with five obligations: two dated, three recurring (one on 29
    February)."""
    store = memory_store()
    g = Graph()
    doc = URIRef(B + "eli/vn/cv/2024/1/bnv")
    g.add((doc, RDF.type, LO.Document))
    g.add((doc, LO.symbol, Literal("1/BNV-CTTN")))
    due = {"a": ("2024-12-15", XSD.date), "b": ("2025-02-01", XSD.date),
           "c": ("--06-30", XSD.gMonthDay), "d": ("--12-15", XSD.gMonthDay),
           "e": ("--02-29", XSD.gMonthDay)}
    for name, (value, datatype) in due.items():
        o, d = URIRef(f"{B}o/{name}"), URIRef(f"{B}o/{name}/deadline")
        g.add((o, RDF.type, LO.Obligation))
        g.add((o, LO.createdBy, doc))
        g.add((o, LO.deadline, d))
        prop = LO.dueDate if datatype == XSD.date else LO.dueMonthDay
        g.add((d, prop, Literal(value, datatype=datatype)))
        due_literal = Literal(value, datatype=datatype)
        g.add((d, LO.dueMonthKey, Literal(month_key(due_literal))))
        entry = DueEntry(due_literal, o, doc, "1/BNV-CTTN", None, None, None, None)
        for triple in due_index_triples(entry, B):
            g.add(triple)
    store.replace_source(URIRef(B + "graph/source/x"), g)
    return store


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2024-12-01", "2024-12-31", {"a", "d"}),
        ("2024-12-16", "2025-02-28", {"b", "e"}),  # 29 February: the 28th in 2025
        ("2024-06-01", "2024-06-30", {"c"}),
        ("2024-11-01", "2025-07-31", {"a", "b", "c", "d", "e"}),  # across the new year
        ("2025-01-01", "2025-01-31", set()),
        ("2019-01-01", "2026-01-01", {"a", "b", "c", "d", "e"}),  # too long for the index
        # regression: a yearly 29 February was missed in a common year's 28 February
        ("2025-02-28", "2025-02-28", {"e"}),
        ("2024-02-28", "2024-02-28", set()),  # a leap year: it falls on the 29th
        ("2024-02-29", "2024-02-29", {"e"}),
        ("2023-12-01", "2024-02-28", {"d"}),
        ("2023-12-01", "2024-02-29", {"d", "e"}),
        ("2100-02-28", "2100-02-28", {"e"}),  # 2100 is not a leap year
        ("2000-02-28", "2000-02-28", set()),  # 2000 is
        # the first and last day count; a month only partly in the window is read row by
        # row, one wholly in it at once (the due index's ?inside)
        ("2024-12-15", "2024-12-15", {"a", "d"}),
        ("2024-12-16", "2024-12-31", set()),
        ("2025-02-01", "2025-02-01", {"b"}),
        ("2024-07-01", "2025-06-29", {"a", "b", "d", "e"}),
        ("2024-06-30", "2025-06-29", {"a", "b", "c", "d", "e"}),
        ("2025-06-01", "2025-06-30", {"c"}),
    ],
)
def test_obligations_due_in_a_window(memory_store: Callable[[], OxigraphStore], start: str,
                                     end: str, expected: set[str]) -> None:
    store = _deadline_store(memory_store)
    rows = run_named(store, "obligations_due", **_window(start, end)).rows
    assert {str(r["obligation"]).rsplit("/", 1)[-1] for r in rows} == expected
    assert all(str(r["docSymbol"]) == "1/BNV-CTTN" for r in rows)


def _cited_store(memory_store: Callable[[], OxigraphStore], n: int) -> OxigraphStore:
    """``n`` files, each citing one directive once (and the last ones twice)."""
    store = memory_store()
    target = URIRef(B + "eli/vn/ct/2021/33/ttg")
    for i in range(n):
        g = Graph()
        doc = URIRef(f"{B}doc/{i}")
        g.add((doc, RDF.type, LO.Document))
        g.add((doc, LO.symbol, Literal(f"{i}/KH-UBND")))
        g.add((target, RDF.type, LO.Document))
        g.add((target, LO.identityKey, Literal("33/CT-TTG@2021")))
        g.add((target, LO.symbolKey, Literal("33/CT-TTG")))
        g.add((target, LO.symbol, Literal("33/CT-TTg")))
        for k in range(1 if i < n - 3 else 2):
            c, ev = URIRef(f"{B}doc/{i}/c{k}"), URIRef(f"{B}doc/{i}/c{k}/ev")
            src = URIRef(f"{B}source/{i}")
            g.add((doc, LO.cites, target))
            g.add((c, RDF.type, LO.Citation))
            g.add((c, LO.citingDocument, doc))
            g.add((c, LO.citedDocument, target))
            g.add((c, LO.relation, LO.cites))
            g.add((c, LO.evidence, ev))
            g.add((ev, LO.quote, Literal("Chỉ thị số 33/CT-TTg")))
            g.add((ev, LO.startOffset, Literal(10 * k)))
            g.add((ev, LO.endOffset, Literal(10 * k + 20)))
            g.add((ev, LO.sourceFile, src))
            g.add((src, LO.path, Literal(f"/tmp/{i}.txt")))
            g.add((c, LO.citationEntry, citation_entry(  # as graph.rdf writes it
                LO.cites, None, Span(10 * k, 10 * k + 20, "Chỉ thị số 33/CT-TTg"),
                f"/tmp/{i}.txt", CitationNode(c, doc, target))))
        store.replace_source(URIRef(f"{B}graph/source/{i}"), g)
    refresh_derived(store)
    return store


def test_pages_of_cited_by_cover_the_whole_answer_once(
        memory_store: Callable[[], OxigraphStore]) -> None:
    store = _cited_store(memory_store, 25)
    whole = run_named(store, "cited_by", doc="33/CT-TTg").rows
    assert len(whole) == 28
    pages = [run_named(store, "cited_by", doc="33/CT-TTg", limit=10, offset=o).rows
             for o in (0, 10, 20)]
    assert [len(p) for p in pages] == [10, 10, 8]
    key = lambda r: (str(r["citing"]), str(r["start"]))  # noqa: E731
    assert sorted(map(key, [r for p in pages for r in p])) == sorted(map(key, whole))
    assert whole == tuple(sorted(whole, key=lambda r: (str(r["citingSymbol"]), str(r["citing"]),
                                                       str(r["path"]), int(str(r["start"])))))


@pytest.mark.parametrize(("limit", "offset"), [(-1, 0), (10, -5)])
def test_bad_page_is_refused(memory_store: Callable[[], OxigraphStore], limit: int,
                             offset: int) -> None:
    with pytest.raises(ValueError, match="non-negative"):
        run_named(memory_store(), "cited_by", doc="x", limit=limit, offset=offset)


def test_counts_are_kept_and_follow_removal(memory_store: Callable[[], OxigraphStore]) -> None:
    store = _cited_store(memory_store, 12)
    rows = run_named(store, "cited_by_count", doc="33/CT-TTg").rows
    assert [(int(str(r["citedBy"])), int(str(r["mentions"]))) for r in rows] == [(12, 15)]
    store.remove_source(URIRef(f"{B}graph/source/11"))
    refresh_derived(store)
    rows = run_named(store, "cited_by_count", doc="33/CT-TTg").rows
    assert [(int(str(r["citedBy"])), int(str(r["mentions"]))) for r in rows] == [(11, 13)]
    top = run_named(store, "most_cited").rows[0]
    assert (str(top["symbol"]), str(top["citedBy"])) == ("33/CT-TTg", "11")


def test_type_counts_do_not_count_themselves(memory_store: Callable[[], OxigraphStore]) -> None:
    store = _cited_store(memory_store, 3)
    g = Graph()
    g.add((URIRef(B + "doc/0"), LO.documentType, URIRef(B + "type-ke-hoach")))
    store.replace_source(URIRef(B + "graph/source/types"), g)
    for _ in range(2):  # a second refresh must not count the first one's nodes
        refresh_derived(store)
    rows = run_named(store, "stats").rows
    counts = {str(r.get("docType", "")): int(str(r["documents"])) for r in rows}
    assert counts == {B + "type-ke-hoach": 1, "": 3}
    assert iri.counts_graph_iri(B) in store.graph_names()


def test_chain_rows_carry_their_evidence(memory_store: Callable[[], OxigraphStore]) -> None:
    store = memory_store()
    g = Graph()
    docs = [URIRef(f"{B}doc/{n}") for n in ("ward", "district", "province", "root")]
    for i, (a, b) in enumerate(itertools.pairwise(docs)):
        g.add((a, LO.implements, b))
        c, ev = URIRef(f"{a}/c"), URIRef(f"{a}/c/ev")
        g.add((c, LO.citingDocument, a))
        g.add((c, LO.citedDocument, b))
        g.add((c, LO.relation, LO.implements))
        g.add((c, LO.evidence, ev))
        g.add((ev, LO.quote, Literal(f"thực hiện văn bản {i}")))
        g.add((ev, LO.sourceFile, URIRef(B + "source/f")))
    g.add((URIRef(B + "source/f"), LO.path, Literal("/tmp/f.txt")))
    g.add((docs[2], LO.basedOn, URIRef(B + "doc/law")))  # an edge with no citation node
    store.replace_source(URIRef(B + "graph/source/f"), g)
    rows = run_named(store, "implementation_chain", doc=str(docs[0])).rows
    by_edge = {(str(r["from"]).rsplit("/", 1)[-1], str(r["to"]).rsplit("/", 1)[-1]):
               str(r.get("quote", "")) for r in rows}
    assert by_edge == {("ward", "district"): "thực hiện văn bản 0",
                       ("district", "province"): "thực hiện văn bản 1",
                       ("province", "root"): "thực hiện văn bản 2",
                       ("province", "law"): ""}
