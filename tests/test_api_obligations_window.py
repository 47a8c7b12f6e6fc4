"""``GET /obligations`` with a due window: the month index gives the whole-store answer.

A window is answered from ``graph/queries/obligations_window.rq`` (the deadlines of the
window's months) and bound lookups of the rows it keeps; without a window the whole store
is read. These tests pin that both give the answer the endpoint gave when it read the
whole store for every request (``_reference`` below is that code), on the samples, the
seeds and 1,000 synthetic documents, for many windows and filters; and that the answer
is paged (``limit``, ``offset``, ``X-Total-Count``, ``Link: rel="next"``) in a fixed order.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import sqlite3
import sys
import unicodedata
from array import array
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from rdflib import RDF, XSD, Graph, Literal, URIRef
from test_api_support import (
    BASE,
    ClientFactory,
    api_client,
    client,
    load,
    samples_nquads,
    samples_store,
    seeds_nquads,
)

from api.deps import AppState
from api.due_table import (
    DueIndexes,
    _select,
    _Source,
    accepted_pairs,
    party_due,
    party_rows,
    party_window,
    read_index,
    read_summary,
    window,
    window_body,
    window_page,
    with_next_due,
)
from api.obligation_window import (
    OBLIGATION_PAGE_MAX,
    due_months,
    next_due,
    page_rows,
    window_bounds,
    window_rows,
)
from api.row_table import RowFolder, RowTable
from api.search import text_matcher, text_matches
from api.whole_store import obligation_table
from graph.due_index import DueEntry, due_index_triples, month_key
from graph.pipeline import refresh_derived
from graph.queries import load_query
from graph.store import GraphStore, OxigraphStore
from ontology.ns import LO

FIXTURES = (api_client, client, samples_nquads, samples_store, seeds_nquads)  # used by name

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # benchmarks/ is not an installed package
    sys.path.insert(0, str(ROOT))
SYNTHETIC_DOCS = 1000

Row = dict[str, Any]
Day = dt.date | None


def _day(value: str | None) -> Day:
    return dt.date.fromisoformat(value) if value else None


def _nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# --- the whole-store answer, as the endpoint computed it for every request -------------------


def _whole_store(store: Any) -> list[Row]:
    """Every obligation with its first due day, read as the endpoint read it before."""
    from graph.calendar import calendar_events
    from graph.reports import documents, obligations

    docs = documents(store)
    first = {e.obligation: e.start for e in calendar_events(store)[0]}
    out = []
    for o in obligations(store):
        doc = docs.get(o.document or "")
        out.append({
            "iri": o.iri, "document": o.document, "document_symbol": doc.label if doc else None,
            "bearer": o.bearer, "recipient": o.recipient, "action": o.action,
            "deadline": o.deadline, "recurring": o.due_date is None and bool(o.due_month_day),
            "frequency": str(o.frequency) if o.frequency else None, "first": first.get(o.iri),
            "evidence": o.evidence.as_dict() if o.evidence else None,
        })
    return out


def _reference(whole: list[Row], after: Day, before: Day, bearer: str | None,
               recipient: str | None) -> list[Row]:
    """The old endpoint's filter over the whole-store rows, in the documented order."""
    out = []
    for row in whole:
        due = next_due(row["first"], row["recurring"], after, before)
        if (after or before) and due is None:
            continue
        if not (text_matches(row["bearer"], bearer)
                and text_matches(row["recipient"], recipient)):
            continue
        out.append({k: v for k, v in row.items() if k != "first"} | {"next_due": due})
    return sorted(out, key=lambda r: (r["next_due"] is None, r["next_due"] or dt.date.min,
                                      r["document"] or "", r["iri"]))


def _json(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))


# --- corpora ---------------------------------------------------------------------------------


def _fresh(memory_store: Callable[[], OxigraphStore], nquads: bytes) -> OxigraphStore:
    return load(memory_store(), nquads)


@pytest.fixture(scope="module")
def synthetic() -> Iterator[tuple[OxigraphStore, list[Row]]]:
    """1,000 synthetic documents (``benchmarks.synth``) and their whole-store rows.

    Built once for the module (half a minute); the tests only read it.
    """
    from benchmarks.synth import generate_records
    from graph import iri
    from graph.rdf import file_graph

    store = OxigraphStore(None, base=BASE)
    g = Graph()
    for record in generate_records(SYNTHETIC_DOCS, 0):
        g += file_graph(record, base=store.base)
    store.replace_source(iri.source_graph_iri("synthetic/records", store.base), g)
    yield store, _whole_store(store)
    store.close()


@pytest.fixture
def corpus(request: pytest.FixtureRequest, memory_store: Callable[[], OxigraphStore]
           ) -> tuple[GraphStore, list[Row]]:
    """(store, whole-store rows) of the corpus named by the test's ``corpus`` parameter."""
    name = request.param
    if name == "synthetic":
        found: tuple[GraphStore, list[Row]] = request.getfixturevalue("synthetic")
        return found
    store = _fresh(memory_store, request.getfixturevalue(f"{name}_nquads"))
    return store, _whole_store(store)


CORPORA = ["samples", "seeds", "synthetic"]

# (due_after, due_before, bearer, recipient)
WINDOWS = [
    pytest.param("2025-06-10", "2025-06-10", None, None, id="single-day-recurring"),
    pytest.param("2024-12-15", "2024-12-15", None, None, id="single-day-mid-december"),
    pytest.param("2023-10-01", "2023-10-01", None, None, id="single-day-first-of-month"),
    pytest.param("2025-05-01", "2025-05-31", None, None, id="month"),
    pytest.param("2024-06-01", "2024-06-30", None, None, id="june"),
    pytest.param("2024-02-01", "2024-02-29", None, None, id="leap-february"),
    pytest.param("2024-11-15", "2025-01-31", None, None, id="across-year-end"),
    pytest.param("2022-03-01", "2024-08-31", None, None, id="two-years-and-more"),
    pytest.param("2013-01-01", "2025-12-31", None, None, id="longer-than-the-index"),
    pytest.param("2025-07-01", "2025-03-01", None, None, id="reversed"),
    pytest.param("2024-01-01", None, None, None, id="only-due-after"),
    pytest.param("2026-01-01", None, None, None, id="only-due-after-past-every-date"),
    pytest.param("2012-01-01", None, None, None, id="only-due-after-before-every-date"),
    pytest.param(None, "2025-06-30", None, None, id="only-due-before"),
    pytest.param(None, "2016-12-31", None, None, id="only-due-before-early"),
    # regression: a yearly day past 31 December 9999 was shifted into year 10000 (500)
    pytest.param("9999-12-31", None, None, None, id="only-due-after-the-last-day"),
    pytest.param("9999-06-01", "9999-12-31", None, None, id="the-last-half-year"),
    pytest.param("0001-01-01", "0001-12-31", None, None, id="the-first-year"),
    pytest.param("2024-01-01", "2025-12-31", "ubnd", None, id="bearer-abbreviation"),
    pytest.param("2022-01-01", "2025-12-31", "Ủy ban nhân dân các xã", None, id="bearer-nfc"),
    pytest.param("2022-01-01", "2025-12-31", _nfd("Ủy ban nhân dân các xã"), None,
                 id="bearer-nfd"),
    pytest.param("2022-01-01", "2025-12-31", "uy ban nhan dan cac huyen", None,
                 id="bearer-folded"),
    pytest.param("2022-01-01", "2025-12-31", None, "Bộ Nội vụ", id="recipient-nfc"),
    pytest.param("2022-01-01", "2025-12-31", None, _nfd("Bộ Nội vụ"), id="recipient-nfd"),
    pytest.param(None, "2025-12-31", "ubnd", "bo noi vu", id="both-filters-open-start"),
    pytest.param("2024-06-01", None, _nfd("Các bộ"), None, id="bearer-open-end"),
]


@pytest.mark.parametrize("corpus", CORPORA, indirect=True)
@pytest.mark.parametrize(("after", "before", "bearer", "recipient"), WINDOWS)
def test_window_equals_whole_store_answer(corpus: tuple[GraphStore, list[Row]],
                                          after: str | None, before: str | None,
                                          bearer: str | None, recipient: str | None) -> None:
    store, whole = corpus
    found = window_rows(store, _day(after), _day(before), bearer, recipient)
    expected = _reference(whole, _day(after), _day(before), bearer, recipient)
    assert [(r.due, r.iri) for r in found] == [(r["next_due"], r["iri"]) for r in expected]
    assert page_rows(store, found) == expected


@pytest.mark.parametrize("corpus", CORPORA, indirect=True)
def test_windows_are_not_vacuous(corpus: tuple[GraphStore, list[Row]]) -> None:
    """Each corpus has dated and recurring deadlines inside the windows above."""
    store, _ = corpus
    rows = page_rows(store, window_rows(store, dt.date(2022, 3, 1), dt.date(2025, 12, 31),
                                        None, None))
    assert any(r["recurring"] for r in rows) and any(not r["recurring"] for r in rows)


# --- the same windows read from the whole-store obligations table (``api.due_table``) ---------


@contextlib.contextmanager
def _obligation_table(store: GraphStore, tmp_path: Path
                      ) -> Iterator[tuple[RowFolder, RowTable]]:
    """The ``/obligations`` table of ``store`` in a row folder of its own."""
    rows = RowFolder(tmp_path / f"rows-{len(list(tmp_path.iterdir()))}")
    try:
        yield rows, rows.adopt(obligation_table(store, str(rows.path)))
    finally:
        rows.close()


def _table_window(rows: RowFolder, table: RowTable, after: Day, before: Day,
                  bearer: str | None, recipient: str | None, limit: int
                  ) -> tuple[list[Any], int]:
    """(every row of the window read ``limit`` at a time, the total) from the table, as
    ``GET /obligations`` reads it once the table is built."""
    if bearer or recipient:
        win = party_window(party_due(rows, table, accepted_pairs(
            rows, table, read_index(rows, table), text_matcher(bearer),
            text_matcher(recipient))), after, before)
    else:
        win = window(read_summary(rows, table), after, before)
    total = win.total
    index = read_index(rows, table)
    pages = [window_page(index, win, i, limit) for i in range(0, total, limit)]
    assert window_page(index, win, total, limit) == []
    assert all(0 < len(p) <= limit for p in pages) and sum(map(len, pages)) == total
    return [row for page in pages for row in json.loads(window_body(rows, table, page))], total


@pytest.mark.parametrize("corpus", CORPORA, indirect=True)
@pytest.mark.parametrize(("after", "before", "bearer", "recipient"), WINDOWS)
def test_table_window_equals_whole_store_answer(corpus: tuple[GraphStore, list[Row]],
                                                tmp_path: Path, after: str | None,
                                                before: str | None, bearer: str | None,
                                                recipient: str | None) -> None:
    store, whole = corpus
    expected = _json(_reference(whole, _day(after), _day(before), bearer, recipient))
    with _obligation_table(store, tmp_path) as (rows, table):
        for limit in (1, 3, 7, 1000):  # pages that cut days of many rows, and one page
            assert _table_window(rows, table, _day(after), _day(before), bearer, recipient,
                                 limit) == (expected, len(expected)), limit


@pytest.mark.parametrize("corpus", ["synthetic"], indirect=True)
@pytest.mark.parametrize("bearer", [None, "ubnd"])
def test_table_windows_move_recurring_rows(corpus: tuple[GraphStore, list[Row]],
                                           tmp_path: Path, bearer: str | None) -> None:
    """Not vacuous: days where rows first due there meet recurring rows moved there from
    an earlier year, so the merge of a day's rows is exercised, at every offset."""
    store, whole = corpus
    after, before = dt.date(2024, 1, 1), dt.date(2025, 12, 31)
    expected = _json(_reference(whole, after, before, bearer, None))
    with _obligation_table(store, tmp_path) as (rows, table):
        if bearer:
            accepted = accepted_pairs(rows, table, read_index(rows, table),
                                      text_matcher(bearer), None)
            win = party_window(party_due(rows, table, accepted), after, before)
        else:
            win = window(read_summary(rows, table), after, before)
        mixed = [d for d in win.days if len(d.parts) > 1 and not all(m for _, m in d.parts)]
        assert mixed and any(d.size > 2 for d in mixed)
        index = read_index(rows, table)
        seen = 0
        for day in win.days:  # every offset of every mixed day, a row at a time and on
            if day in mixed:
                for k in range(day.size):
                    for take in (1, 4):
                        page = window_page(index, win, seen + k, take)
                        assert json.loads(window_body(rows, table, page)) == \
                            expected[seen + k:seen + k + take]
            seen += day.size


@pytest.mark.parametrize(("body", "due", "expected"), [
    (b'{"iri":"x","next_due":"2024-06-15","evidence":null}', "2025-06-15",
     b'{"iri":"x","next_due":"2025-06-15","evidence":null}'),
    (b'{"next_due":"2024-06-15"}', "2026-01-01", b'{"next_due":"2026-01-01"}'),
    # the key quoted inside a value (an evidence quote) is escaped, and left alone
    (b'{"action":"a \\"next_due\\":\\"2020-01-01","next_due":"2024-06-15"}',
     "2025-06-15", b'{"action":"a \\"next_due\\":\\"2020-01-01","next_due":"2025-06-15"}'),
    (b'{"action":"x,\\"next_due\\":\\"1999","next_due":"2024-02-28"}', "2025-02-28",
     b'{"action":"x,\\"next_due\\":\\"1999","next_due":"2025-02-28"}'),
])
def test_with_next_due(body: bytes, due: str, expected: bytes) -> None:
    found = with_next_due(body, dt.date.fromisoformat(due))
    assert found == expected
    assert json.loads(found)["next_due"] == due


@pytest.mark.parametrize("body", [b'{"next_due":null}', b'{"iri":"x"}'])
def test_with_next_due_needs_a_day(body: bytes) -> None:
    with pytest.raises(ValueError, match="next_due"):
        with_next_due(body, dt.date(2025, 1, 1))


def test_table_window_needs_a_side(samples_store: OxigraphStore, tmp_path: Path) -> None:
    with _obligation_table(samples_store, tmp_path) as (rows, table):
        with pytest.raises(ValueError, match="due_after or due_before"):
            window(read_summary(rows, table), None, None)
        with pytest.raises(ValueError, match="due_after or due_before"):
            party_window(party_due(rows, table, accepted_pairs(
                rows, table, read_index(rows, table), None, None)), None, None)


# --- hand-made deadlines ---------------------------------------------------------------------


def _deadline_store(memory_store: Callable[[], OxigraphStore],
                    dues: dict[str, tuple[str, ...]], doc_date: str | None,
                    packed: bool = False) -> OxigraphStore:
    """One document (dated ``doc_date``) creating one obligation per ``dues`` entry, each
    with the deadlines given (ISO dates or ``--MM-DD``). ``packed``: the entries carry
    the deadline count and the document's date, and the derived counts are written (as
    ingest leaves a store); else they are entries of an older mapping."""
    store = memory_store()
    g = Graph()
    doc = URIRef(BASE + "eli/vn/cv/2025/7/bnv")
    g.add((doc, RDF.type, LO.Document))
    g.add((doc, LO.symbol, Literal("7/BNV-CTTN")))
    if doc_date:
        g.add((doc, URIRef("http://data.europa.eu/eli/ontology#date_document"),
               Literal(doc_date, datatype=XSD.date)))
    for name, values in dues.items():
        o = URIRef(f"{BASE}o/{name}")
        g.add((o, RDF.type, LO.Obligation))
        g.add((o, LO.createdBy, doc))
        g.add((o, LO.bearerText, Literal("Sở Nội vụ")))
        for i, value in enumerate(values):
            d = URIRef(f"{BASE}o/{name}/deadline/{i}")
            g.add((o, LO.deadline, d))
            recurring = value.startswith("--")
            g.add((d, LO.dueMonthDay if recurring else LO.dueDate,
                   Literal(value, datatype=XSD.gMonthDay if recurring else XSD.date)))
            due = Literal(value, datatype=XSD.gMonthDay if recurring else XSD.date)
            g.add((d, LO.dueMonthKey, Literal(month_key(due))))
            # the due index, one entry per deadline (as the mapping would write it)
            entry = DueEntry(due, o, doc, "7/BNV-CTTN", "Sở Nội vụ", None, None, None)
            if packed:
                entry = dataclasses.replace(entry, deadlines=len(values), doc_date=_day(doc_date))
            for t in due_index_triples(entry, BASE):
                g.add(t)
    store.replace_source(URIRef(BASE + "graph/source/hand"), g)
    if packed:
        refresh_derived(store)
    return store


@pytest.mark.parametrize(("dues", "doc_date", "after", "before", "expected"), [
    # --02-29 falls on the 28th in a common year: the day the whole-store answer gives
    ({"leap": ("--02-29",)}, "2025-01-10", "2025-02-28", "2025-02-28", {"leap": "2025-02-28"}),
    ({"leap": ("--02-29",)}, "2024-01-10", "2028-02-29", "2028-02-29", {"leap": "2028-02-29"}),
    # … and stays on the 28th in later years when its first year was a common one
    ({"leap": ("--02-29",)}, "2025-01-10", "2028-02-28", "2028-02-29", {"leap": "2028-02-28"}),
    # a recurring day starts in its document's year, the next one when already past
    ({"late": ("--03-01",)}, "2025-05-01", "2025-01-01", "2025-12-31", {}),
    ({"late": ("--03-01",)}, "2025-05-01", "2026-03-01", "2026-03-31", {"late": "2026-03-01"}),
    ({"late": ("--03-01",)}, "2025-05-01", None, "2025-12-31", {}),
    ({"late": ("--03-01",)}, "2025-05-01", None, "2026-03-01", {"late": "2026-03-01"}),
    # no document date: the year of the document's absolute deadlines
    ({"r": ("--06-30",), "a": ("2024-04-01",)}, None, "2024-06-01", "2024-06-30",
     {"r": "2024-06-30"}),
    ({"r": ("--06-30",), "a": ("2024-04-01",), "b": ("2025-04-01",)}, None, "2024-01-01",
     "2026-12-31", {"a": "2024-04-01", "b": "2025-04-01"}),
    # two deadlines: the first of them is the obligation's, whichever month is asked
    ({"two": ("2024-05-01", "2025-06-01")}, "2024-01-01", "2025-06-01", "2025-06-30", {}),
    ({"two": ("2024-05-01", "2025-06-01")}, "2024-01-01", "2024-05-01", "2024-05-31",
     {"two": "2024-05-01"}),
    ({"both": ("2024-05-01", "--06-30")}, "2024-01-01", "2025-06-01", "2025-06-30", {}),
])
@pytest.mark.parametrize("packed", [True, False], ids=["entries", "older-entries"])
def test_hand_made_deadlines(memory_store: Callable[[], OxigraphStore], tmp_path: Path,
                             dues: dict[str, tuple[str, ...]], doc_date: str | None,
                             after: str | None, before: str | None,
                             expected: dict[str, str], packed: bool) -> None:
    store = _deadline_store(memory_store, dues, doc_date, packed)
    found = window_rows(store, _day(after), _day(before), None, None)
    assert {r.iri.rsplit("/", 1)[-1]: str(r.due) for r in found} == expected
    reference = _reference(_whole_store(store), _day(after), _day(before), None, None)
    assert page_rows(store, found) == reference
    # the obligations table's window (``api.due_table``) gives the same
    with _obligation_table(store, tmp_path) as (rows, table):
        assert _table_window(rows, table, _day(after), _day(before), None, None, 1) == (
            _json(reference), len(reference))


def _twin_store(memory_store: Callable[[], GraphStore], dates: tuple[str | None, ...],
                refresh: bool) -> GraphStore:
    """One plan read from ``len(dates)`` files, each giving its header date (or none);
    the first also sets a yearly deadline of 30 June, with its entry as the mapping packs
    it (so the window sees one entry's date only)."""
    store = memory_store()
    base = store.base  # under the store's base: a remote test store drops its graphs
    doc = URIRef(base + "eli/vn/kh/2025/7/ubnd")
    for i, day in enumerate(dates):
        g = Graph()
        g.add((doc, RDF.type, LO.Document))
        g.add((doc, LO.symbol, Literal("7/KH-UBND")))
        if day:
            g.add((doc, URIRef("http://data.europa.eu/eli/ontology#date_document"),
                   Literal(day, datatype=XSD.date)))
        if i:
            store.replace_source(URIRef(f"{base}graph/source/copy-{i}"), g)
            continue
        o, d = URIRef(f"{base}o/{i}"), URIRef(f"{base}o/{i}/deadline")
        due = Literal("--06-30", datatype=XSD.gMonthDay)
        g += [(o, RDF.type, LO.Obligation), (o, LO.createdBy, doc), (o, LO.deadline, d),
              (d, LO.dueMonthDay, due), (d, LO.dueMonthKey, Literal("--06"))]
        g += due_index_triples(DueEntry(due, o, doc, "7/KH-UBND", None, None, None, None,
                                        deadlines=1, doc_date=_day(day)), base)
        store.replace_source(URIRef(f"{base}graph/source/copy-{i}"), g)
    if refresh:
        refresh_derived(store)
    return store


@pytest.mark.parametrize("dates", [
    ("2025-01-02",), (None,), ("2025-01-02", "2025-01-02"),
    ("2025-01-02", "2025-08-01"),  # two headers disagree: neither entry's date is the date
    ("2025-08-01", None), (None, "2025-08-01"),  # one file dates it
])
@pytest.mark.parametrize("refresh", [True, False], ids=["counts", "no-counts"])
def test_a_document_read_from_several_files(memory_store: Callable[[], OxigraphStore],
                                            dates: tuple[str | None, ...],
                                            refresh: bool) -> None:
    """An entry's document date is used only where it is the document's one date."""
    store = _twin_store(memory_store, dates, refresh)
    for after, before in (("2025-06-01", "2025-06-30"), ("2026-06-01", "2026-06-30"),
                          (None, "2026-12-31")):
        found = window_rows(store, _day(after), _day(before), None, None)
        expected = _reference(_whole_store(store), _day(after), _day(before), None, None)
        assert page_rows(store, found) == expected, (after, before)


@pytest.mark.parametrize("dates", [("2025-01-02", "2025-08-01"), ("2025-08-01", None)])
def test_several_files_on_every_kind_of_store(any_store: GraphStore,
                                              dates: tuple[str | None, ...]) -> None:
    """The derived date counts and the entries' dates read the same on a remote store."""
    store = _twin_store(lambda: any_store, dates, True)
    for after, before in (("2025-06-01", "2025-06-30"), ("2026-06-01", "2026-06-30")):
        found = window_rows(store, _day(after), _day(before), None, None)
        expected = _reference(_whole_store(store), _day(after), _day(before), None, None)
        assert page_rows(store, found) == expected, (after, before)


def test_samples_on_every_kind_of_store(any_store: GraphStore) -> None:
    """Ingested samples: a window over a remote store is the whole-store answer too."""
    from graph.pipeline import ingest_paths

    summary = ingest_paths(any_store, sorted((ROOT / "ingest" / "samples").glob("*.txt")))
    assert not summary.failed
    whole = _whole_store(any_store)
    for after, before in (("2022-01-01", "2025-12-31"), ("2025-06-01", "2026-06-30")):
        found = window_rows(any_store, _day(after), _day(before), None, None)
        expected = _reference(whole, _day(after), _day(before), None, None)
        assert found and page_rows(any_store, found) == expected, (after, before)


# --- bounds of the month index ---------------------------------------------------------------

MONTHS = (dt.date(2013, 10, 1), dt.date(2025, 5, 31))


@pytest.mark.parametrize(("after", "before", "months", "expected"), [
    ("2025-01-01", "2025-01-31", MONTHS, ("2025-01-01", "2025-01-31")),
    ("2025-01-31", "2025-01-01", None, ("2025-01-31", "2025-01-01")),
    (None, "2025-06-30", None, ("2024-06-29", "2025-06-30")),  # a year: every --MM
    (None, "2025-06-30", MONTHS, ("2013-10-01", "2025-06-30")),
    (None, "2010-06-30", MONTHS, ("2009-06-29", "2010-06-30")),
    ("2024-01-01", None, MONTHS, ("2024-01-01", "2025-05-31")),
    ("2026-01-01", None, MONTHS, ("2026-01-01", "2027-01-02")),
    ("9999-06-01", None, None, ("9999-06-01", "9999-12-31")),
    (None, "0001-03-01", None, ("0001-01-01", "0001-03-01")),
])
def test_window_bounds(after: str | None, before: str | None,
                       months: tuple[dt.date, dt.date] | None,
                       expected: tuple[str, str]) -> None:
    assert window_bounds(_day(after), _day(before), months) == tuple(map(_day, expected))


def test_window_bounds_need_a_side() -> None:
    with pytest.raises(ValueError, match="due_after or due_before"):
        window_bounds(None, None, MONTHS)


def test_due_months(samples_store: OxigraphStore,
                    memory_store: Callable[[], OxigraphStore]) -> None:
    expected = {r["first"] for r in _whole_store(samples_store)
                if r["first"] and not r["recurring"]}
    assert due_months(samples_store) == (min(expected).replace(day=1), dt.date(2025, 6, 30))
    assert due_months(memory_store()) is None


class _Recording:
    """A store that notes every query it is asked (text, bindings) and answers it."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.asked: list[tuple[str, Any]] = []

    def query(self, text: str, bindings: Any = None) -> Any:
        self.asked.append((text, bindings))
        return self.store.query(text, bindings)

    def select_text(self, text: str, bindings: Any = None) -> list[dict[str, str]]:
        self.asked.append((text, bindings))
        return self.store.select_text(text, bindings)


@pytest.mark.parametrize(("after", "before"), [
    ("2025-05-01", "2025-05-31"), (None, "2025-06-30"), ("2024-01-01", None),
])
def test_a_window_reads_no_whole_store_list(samples_store: OxigraphStore, after: str | None,
                                            before: str | None) -> None:
    """Every query but the one aggregate of due months and three lookups of derived facts
    (is there a counts graph; are the due pages kept; which documents have several
    dates: a handful) is bound to a few terms."""
    store = _Recording(samples_store)
    found = window_rows(store, _day(after), _day(before), None, None)
    assert page_rows(store, found)
    unbound = [text for text, bindings in store.asked if not bindings]
    lookups = ("?node a lo:TypeCount", "?doc lo:ownDateCount ?n", "?index a lo:DuePageIndex")
    assert all("MIN(?key)" in text or any(x in text for x in lookups)
               for text in unbound), unbound


def _asked_about(store: _Recording, name: str) -> set[str]:
    """The terms named query ``name`` was asked about."""
    def body(text: str) -> str:  # without comment lines and layout
        return " ".join(word for line in text.splitlines()
                        if not line.lstrip().startswith("#") for word in line.split())

    wanted = body(load_query(name).split("SELECT", 1)[1])
    return {str(t) for asked, bindings in store.asked if body(asked).endswith(wanted)
            for terms in (bindings or {}).values() for t in terms}


@pytest.mark.parametrize(("after", "before"), [
    ("2022-01-01", "2025-12-31"), ("2025-01-01", "2025-12-31"), (None, "2025-06-30"),
])
def test_entries_spare_the_lookups_per_row(samples_store: OxigraphStore, after: str | None,
                                           before: str | None) -> None:
    """An entry's deadline count and document date are used as they are: no deadline
    count is looked up, and a document's dates only when its entry gives none."""
    store = _Recording(samples_store)
    found = window_rows(store, _day(after), _day(before), None, None)
    recurring = {r.document for r in found if r.entry is not None and r.entry["due"][:2] == "--"}
    undated = {r.document for r in found if r.entry is not None and "docDate" not in r.entry}
    assert recurring - undated  # the entries' dates did serve
    assert not _asked_about(store, "obligation_deadlines")
    assert _asked_about(store, "document_dates") <= undated


# --- the endpoint ----------------------------------------------------------------------------


def _all_pages(client: TestClient, params: dict[str, str], limit: int
               ) -> tuple[list[Any], list[int]]:
    """Every row, following ``Link: rel="next"`` from the first page; and each page's
    ``X-Total-Count``."""
    response = client.get("/obligations", params={**params, "limit": str(limit)})
    rows: list[Any] = []
    totals: list[int] = []
    while True:
        assert response.status_code == 200, response.text
        page = response.json()
        assert isinstance(page, list) and len(page) <= limit
        rows += page
        totals.append(int(response.headers["X-Total-Count"]))
        link = response.links.get("next")
        if link is None:
            return rows, totals
        assert len(page) == limit
        response = client.get(link["url"])


@pytest.mark.parametrize(("after", "before", "bearer", "recipient"), [
    *WINDOWS, pytest.param(None, None, None, None, id="no-window"),
    pytest.param(None, None, _nfd("Bộ Nội vụ"), None, id="no-window-bearer-nfd"),
    pytest.param(None, None, None, "bo noi vu", id="no-window-recipient"),
])
@pytest.mark.parametrize("limit", [2, 500])
@pytest.mark.parametrize("read", ["table", "store"])
def test_endpoint_pages_are_the_whole_store_answer(
    client: TestClient, samples_store: OxigraphStore, monkeypatch: pytest.MonkeyPatch,
    after: str | None, before: str | None, bearer: str | None, recipient: str | None,
    limit: int, read: str,
) -> None:
    """Read from the obligations table once it is built, from the store's due index
    while it is not: each way is made the only one, and each gives the same pages."""
    params = {k: v for k, v in {"due_after": after, "due_before": before, "bearer": bearer,
                                "recipient": recipient}.items() if v is not None}
    if read == "table":
        assert client.get("/obligations", params={"limit": "1"}).status_code == 200  # built
        monkeypatch.setattr("api.routers.reports.window_rows", _not_read)
    else:
        monkeypatch.setattr(AppState, "ready_report", lambda self, name, **kw: None)
    rows, totals = _all_pages(client, params, limit)
    expected = _reference(_whole_store(samples_store), _day(after), _day(before), bearer,
                          recipient)
    assert rows == _json(expected)
    assert set(totals) == {len(expected)}


def test_a_window_builds_no_whole_store_report(api_client: ClientFactory,
                                               samples_store: OxigraphStore,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Reports built only when asked for (a remote store's way): a window is read from
    the store and asks for none; once ``/obligations`` has built the table, windows are
    read from it."""
    client = api_client(warm_reports=False)
    keeper = client.app.state.luocdo.report_keeper()  # type: ignore[attr-defined]
    params = {"due_after": "2024-01-01", "due_before": "2025-12-31"}
    expected = _json(_reference(_whole_store(samples_store), _day(params["due_after"]),
                                _day(params["due_before"]), None, None))
    assert client.get("/obligations", params=params).json() == expected
    assert keeper.wait_idle(30) and keeper.built() == ()
    assert client.get("/obligations", params={"limit": "1"}).status_code == 200  # built
    monkeypatch.setattr("api.routers.reports.window_rows", _not_read)
    assert client.get("/obligations", params=params).json() == expected


def _not_read(*args: Any) -> Any:
    raise AssertionError("a window read from the store with the obligations table built")


@pytest.mark.parametrize(("params", "count", "next_offset"), [
    ({}, 5, 5),
    ({"offset": "5", "limit": "5"}, 5, 10),
    ({"offset": "15", "limit": "5"}, 4, None),  # the samples hold 19 obligations
    ({"offset": "19"}, 0, None),
    ({"offset": "1000"}, 0, None),
    ({"due_after": "2024-01-01", "limit": "3"}, 3, 3),
])
def test_link_header(client: TestClient, params: dict[str, str], count: int,
                     next_offset: int | None) -> None:
    response = client.get("/obligations", params={"limit": "5", **params})
    assert response.status_code == 200, response.text
    assert len(response.json()) == count
    link = response.links.get("next")
    if next_offset is None:
        assert "Link" not in response.headers
        return
    assert link is not None and link["rel"] == "next"
    assert response.headers["Link"].endswith('>; rel="next"')
    following = dict(httpx_params(link["url"]))
    assert following["offset"] == str(next_offset)
    assert {k: v for k, v in following.items() if k != "offset"} == {
        "limit": params.get("limit", "5"), **{k: v for k, v in params.items()
                                            if k not in ("offset", "limit")}}


def httpx_params(url: str) -> list[tuple[str, str]]:
    import httpx

    return list(httpx.URL(url).params.multi_items())


def test_default_page_and_order(client: TestClient) -> None:
    response = client.get("/obligations")
    rows = response.json()
    assert response.headers["X-Total-Count"] == str(len(rows)) and "Link" not in response.headers
    keys = [(r["next_due"] is None, r["next_due"] or "", r["document"] or "", r["iri"])
            for r in rows]
    assert keys == sorted(keys)
    assert rows[-1]["next_due"] is None and rows[0]["next_due"] is not None


@pytest.mark.parametrize("params", [
    {"limit": "0"}, {"limit": str(OBLIGATION_PAGE_MAX + 1)}, {"limit": "x"},
    {"offset": "-1"}, {"due_after": "2025-13-01"},
])
def test_bad_paging(client: TestClient, params: dict[str, str]) -> None:
    response = client.get("/obligations", params=params)
    assert response.status_code == 422, response.text


def test_largest_page_is_allowed(client: TestClient) -> None:
    response = client.get("/obligations", params={"limit": str(OBLIGATION_PAGE_MAX)})
    assert response.status_code == 200
    assert len(response.json()) == int(response.headers["X-Total-Count"])


def test_window_on_another_store(api_client: ClientFactory,
                                 memory_store: Callable[[], OxigraphStore]) -> None:
    """The endpoint reads the store it serves (hand-made deadlines)."""
    store = _deadline_store(memory_store, {"r": ("--06-30",)}, "2025-01-02")
    rows = api_client(store=store).get("/obligations", params={"due_after": "2030-01-01"}).json()
    assert [(r["iri"].rsplit("/", 1)[-1], r["next_due"]) for r in rows] == [("r", "2030-06-30")]


# --- the due index: a page cut by bisection (``api.due_table._select``) -----------------------


def _sources(*ranked: tuple[list[int], bool]) -> list[Any]:
    """Sources of a day: each (ranks, moved), its positions ten times its ranks (so a
    position names its rank)."""
    return [_Source(array("i", ranks), [10 * r for r in ranks], moved)
            for ranks, moved in ranked]


@pytest.mark.parametrize("ranked", [
    [([0, 1, 2, 3], False)],
    [([0, 2, 4, 6], False), ([1, 3, 5], True)],
    [([5, 6, 7], False), ([0, 1, 2], True), ([3, 4], True)],  # a run after moved rows
    [([], False), ([2, 9], True)],  # a day's run cut to nothing for a party
    [([1, 4, 9, 12, 30], False), ([0], True), ([13, 14, 15, 16, 17, 31], True)],
], ids=["one", "interleaved", "blocks", "empty-source", "uneven"])
def test_a_page_of_a_day_is_the_merge_cut(ranked: list[tuple[list[int], bool]]) -> None:
    sources = _sources(*ranked)
    merged = sorted((r, 10 * r, moved) for ranks, moved in ranked for r in ranks)
    for skip in range(len(merged) + 2):
        for take in (1, 2, 5, 100):
            assert _select(sources, skip, take) == \
                [(p, m) for _, p, m in merged[skip:skip + take]], (skip, take)


@pytest.mark.parametrize(("ranked", "kept"), [
    ([([0, 1, 2, 3], False)], ["1010"]),  # one source, masked: not the direct slice
    ([([0, 2, 4, 6], False), ([1, 3, 5], True)], ["0110", "101"]),
    ([([5, 6, 7], False), ([0, 1, 2], True), ([3, 4], True)], ["111", "000", "01"]),
    ([([1, 4, 9, 12, 30], False), ([0], True), ([13, 14, 15, 16, 17, 31], True)],
     ["00001", "1", "100101"]),
    ([([0, 1, 2, 3, 4, 5], False), ([6, 7], True)], ["000000", "00"]),  # nobody's rows
], ids=["one", "interleaved", "blocks", "sparse", "none-kept"])
def test_a_page_of_one_partys_day_is_the_merge_of_its_rows(
        ranked: list[tuple[list[int], bool]], kept: list[str]) -> None:
    """One party's sources keep the whole day's ranks and positions with a mask of its
    rows (``Accepted.rows``): rows outside the mask are neither counted nor served."""
    sources = [s._replace(kept=bytes(int(c) for c in mask))
               for s, mask in zip(_sources(*ranked), kept, strict=True)]
    merged = sorted((r, 10 * r, moved) for (ranks, moved), mask in zip(ranked, kept, strict=True)
                    for r, c in zip(ranks, mask, strict=True) if c == "1")
    for skip in range(len(merged) + 2):
        for take in (1, 2, 5, 100):
            assert _select(sources, skip, take) == \
                [(p, m) for _, p, m in merged[skip:skip + take]], (skip, take)


def test_due_indexes_keep_the_last_tables(synthetic: tuple[OxigraphStore, list[Row]],
                                          tmp_path: Path) -> None:
    store, _ = synthetic
    with _obligation_table(store, tmp_path) as (rows, table):
        others = [rows.adopt(obligation_table(store, str(rows.path))) for _ in range(2)]
        indexes = DueIndexes(keep=2)
        first = indexes.of(rows, table)
        assert indexes.of(rows, table) is first and len(indexes) == 1
        assert len(first.rank) == table.size and sorted(first.rank) == list(range(table.size))
        indexes.of(rows, others[0])
        indexes.of(rows, others[1])  # the first table's index is dropped
        assert len(indexes) == 2 and indexes.of(rows, table) is not first


def test_a_due_index_that_disagrees_with_its_rows_is_refused(
        synthetic: tuple[OxigraphStore, list[Row]], tmp_path: Path) -> None:
    """A table file whose arrays do not fit its rows (a damaged file) is not served."""
    store, _ = synthetic
    with _obligation_table(store, tmp_path) as (rows, table):
        damaged = sqlite3.connect(rows.path / f"{table.table}.sqlite")
        with damaged:
            damaged.execute("UPDATE due_arrays SET data = substr(data, 5) WHERE name = 'pair'")
        damaged.close()
        with pytest.raises(ValueError, match=r"due index .* disagrees"):
            read_index(rows, table)


def test_the_benchmark_cases_agree(synthetic: tuple[OxigraphStore, list[Row]],
                                   tmp_path: Path) -> None:
    """``benchmarks/bench_due.py --table`` times what the endpoint does: each window's
    variants (first page, a page in the middle, the due index read anew, the party
    counted anew) count the same rows as the reference answer."""
    from benchmarks.bench_due import PARTY, table_cases
    from benchmarks.bench_due import WINDOWS as BENCH_WINDOWS

    store, whole = synthetic
    with _obligation_table(store, tmp_path) as (rows, table):
        cases = table_cases(rows, table)
        for label, (after, before) in BENCH_WINDOWS.items():
            named = {n: f for n, f in cases.items() if f" {label}," in n}
            for bearer in (None, PARTY):
                mine = {n: f for n, f in named.items() if (f"bearer={PARTY}" in n) == bool(bearer)}
                assert len(mine) >= 3
                expected = len(_reference(whole, after, before, bearer, None))
                assert {n: f() for n, f in mine.items()} == dict.fromkeys(mine, expected)


@pytest.mark.parametrize(("bearer", "recipient"), [
    ("ubnd", None), (None, "bo noi vu"), ("ubnd", "thanh hoa"), ("nobody at all", None),
    (None, None),
])
def test_party_rows_are_the_rows_the_filter_matches(
        synthetic: tuple[OxigraphStore, list[Row]], tmp_path: Path, bearer: str | None,
        recipient: str | None) -> None:
    """The rows of one party kept by their numbered pair in the due index (dated or not)
    are those a test of every row's bearer and recipient keeps."""
    store, _ = synthetic
    with _obligation_table(store, tmp_path) as (rows, table):
        a, b = text_matcher(bearer), text_matcher(recipient)
        expected = rows.matching(table, a, b)
        accepted = accepted_pairs(rows, table, read_index(rows, table), a, b)
        assert party_rows(accepted) == expected
        assert len(expected) or bearer == "nobody at all"
        assert len(expected) < table.size or not (bearer or recipient)
