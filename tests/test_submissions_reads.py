"""``graph.reports.submissions`` reads only what the judging needs.

The oracle is the whole-store reading ``submissions`` did before: every document's
header, every obligation read value by value, each cell matched on its own. On the
samples, the seeds and synthetic text (whose tables name no kind of report, so no
obligation can fit), from the graph's cells and from cells re-extracted from the files,
and with cells the graph links to an obligation, the statuses are the same.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from corpora import SAMPLES, SEEDS, asked_queries, ingested, synthetic_files

import graph.reports as reports
from graph.reports import (
    DocFact,
    ObligationFact,
    SubmissionStatus,
    _ByKind,
    _extracted_records,
    _graph_records,
    _Headers,
    _match,
    _obligation_fact,
    _Record,
    _status,
    bound_rows,
    document_headers,
    document_year,
    group_rows,
    select,
    submissions,
)

LO_NS = "https://w3id.org/luocdo/ontology#"


class _Every(_Headers):
    """Every header of the store, read at once, found by key by a scan (as before)."""

    def __init__(self, store: Any) -> None:
        super().__init__(store)
        self.update(document_headers(store))

    def load(self, iris: Iterable[str | None]) -> None:
        pass

    def by_key(self, keys: Iterable[str | None]) -> dict[str, DocFact]:
        found: dict[str, DocFact] = {}
        for key in keys:
            d = next((d for d in self.values() if key and d.key == key), None)
            if d is not None and key:
                found[key] = d
        return found


def _every_obligation(store: Any) -> list[ObligationFact]:
    rows = bound_rows(store, "trace_obligations", doc=None, o=None)
    return [_obligation_fact(i, group) for i, group in group_rows(rows, "o").items()]


def _oracle(store: Any) -> list[SubmissionStatus]:
    docs = _Every(store)
    records: list[_Record] = _graph_records(select(store, "report_submissions"), docs)
    source = "graph"
    if not records:
        records, source = _extracted_records(store, docs), "extraction"
    obls = sorted(_every_obligation(store), key=lambda o: (reports.fact_order(o.evidence), o.iri))
    by_doc: dict[str, list[ObligationFact]] = defaultdict(list)
    for o in obls:
        by_doc[o.document or ""].append(o)
    years = {iri: document_year(docs.get(iri), group) for iri, group in by_doc.items()}
    by_kind, by_iri = _ByKind(obls), {o.iri: o for o in obls}
    return [_status(r, lambda rec: _match(rec, by_kind, years), by_iri, docs, source)
            for r in records]


def _paths(corpus: str, tmp_path: Path) -> list[Path]:
    samples = sorted(SAMPLES.glob("*.txt")) + sorted(SAMPLES.glob("drafts/*.txt"))
    if corpus == "samples":
        return samples
    if corpus == "synthetic":
        return synthetic_files(tmp_path, 80, 3)
    if not SEEDS.is_dir():
        pytest.skip(f"seed folder {SEEDS} is absent (it lives beside the repository)")
    return sorted(SEEDS.glob("*.txt")) + (samples if corpus == "both" else [])


def _drop_cells(store: Any) -> None:
    """The graph's submission cells gone (a store mapped without them)."""
    store.update(f"PREFIX lo: <{LO_NS}> DELETE {{ GRAPH ?g {{ ?s lo:submittedBy ?a }} }} "
                 "WHERE { GRAPH ?g { ?s lo:submittedBy ?a } }")


@pytest.mark.parametrize("corpus", ["samples", "seeds", "both", "synthetic"])
def test_submissions_equal_the_whole_store_reading(corpus: str, tmp_path: Path) -> None:
    store = ingested(_paths(corpus, tmp_path))
    expected = _oracle(store)
    assert expected and {s.source for s in expected} == {"graph"}
    assert submissions(store) == expected
    if corpus != "synthetic":  # the hand-written corpora's tables name report kinds
        assert any(s.obligation for s in expected)


@pytest.mark.parametrize("corpus", ["samples", "seeds", "synthetic"])
def test_cells_re_extracted_equal_the_whole_store_reading(corpus: str, tmp_path: Path
                                                         ) -> None:
    store = ingested(_paths(corpus, tmp_path))
    from_graph = submissions(store)
    _drop_cells(store)
    expected = _oracle(store)
    assert expected and {s.source for s in expected} == {"extraction"}
    assert submissions(store) == expected

    def judged(rows: list[SubmissionStatus]) -> list[tuple[Any, ...]]:
        return sorted((s.agency, s.category, s.symbol, s.date, s.obligation, s.deadline,
                       s.status) for s in rows)

    assert judged(expected) == judged(from_graph)  # the same cells, the same judgement


def test_a_linked_cell_is_judged_by_its_obligation(tmp_path: Path) -> None:
    """A cell the graph links to an obligation (``lo:answers``) is judged against it,
    though its column names no kind of report (the synthetic tables): only the linked
    obligations are then read."""
    store = ingested(_paths("synthetic", tmp_path))
    target = _every_obligation(store)[0]
    cell = select(store, "report_submissions")[0]["sub"]
    store.update(f"PREFIX lo: <{LO_NS}> INSERT DATA {{ GRAPH <https://example.org/links> "
                 f"{{ <{cell}> lo:answers <{target.iri}> }} }}")
    expected = _oracle(store)
    linked = [s for s in expected if s.obligation]
    assert [s.obligation for s in linked] == [target.iri]
    assert linked[0].reason == "linked in graph" and linked[0].obligation_symbol
    assert submissions(store) == expected


def test_no_cell_reads_no_obligation(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Tables that name no kind of report, no links: no obligation is read at all (the
    whole-store read was most of the time at 100,000 documents)."""
    store = ingested(_paths("synthetic", tmp_path))
    asked = asked_queries(reports, monkeypatch)
    assert submissions(store)
    assert not [n for n in asked if "obligation" in n]
    assert "document_headers" in asked  # the tables' headers, bound


def _obligation(iri: str, doc: str, due: str, quote: str) -> ObligationFact:
    import datetime as dt

    from graph.reports import Evidence

    return ObligationFact(iri=iri, document=doc, bearer=None, recipient="Bộ Nội vụ",
                          action="gửi báo cáo", due_date=dt.date.fromisoformat(due),
                          due_month_day=None, frequency=None, delegates_to=(),
                          outlines=(), evidence=Evidence("a.txt", 0, len(quote), quote))


def _cell(year: int | None, receiver: str | None = "Bộ Nội vụ",
          own: tuple[str, ...] = ()) -> _Record:
    return _Record(agency="UBND tỉnh X", group=None, category="Báo cáo năm", symbol=None,
                   date=None, evidence=None, receiver=receiver, year=year, own=own)


@pytest.mark.parametrize(
    ("cells", "chosen"),
    [
        # one column, one table: the same answer for every cell
        ([_cell(2023), _cell(2023)], ["o23", "o23"]),
        # the same column of two tables of no document, of two years
        ([_cell(2023), _cell(2024)], ["o23", "o24"]),
        ([_cell(2024), _cell(2023), _cell(2024)], ["o24", "o23", "o24"]),
        # the table's own obligation answers nothing
        ([_cell(2023, own=("d23",)), _cell(2023)], [None, "o23"]),
        # another receiver: no obligation addressed to it
        ([_cell(2023, receiver="Bộ Tài chính"), _cell(2023)], [None, "o23"]),
        # no reporting year: both fit, none is chosen
        ([_cell(None), _cell(2024)], [None, "o24"]),
    ],
)
def test_cells_sharing_a_column_share_its_candidates(cells: list[_Record],
                                                     chosen: list[str | None]) -> None:
    """``_judge_records`` finds each column's candidates once: cells differing in year,
    receiver or own documents still get their own."""
    from graph.reports import _judge_records

    obls = [_obligation("o23", "d23", "2023-12-15", "gửi báo cáo năm 2023"),
            _obligation("o24", "d24", "2024-12-15", "gửi báo cáo năm 2024")]
    judged = _judge_records(cells, "graph", {}, _ByKind(obls))
    assert [s.obligation for s in judged] == chosen


@pytest.mark.parametrize("seed", range(12))
def test_kind_index_finds_what_testing_each_obligation_finds(seed: int) -> None:
    """``_KindIndex.fits`` equals the plain filter ``_fits`` over every obligation, in
    order, on random obligations (recipients, absolute and recurring deadlines, years
    of their documents) and cells (receivers, years, own documents)."""
    import datetime as dt
    import random

    from graph.reports import _fits, _KindIndex

    rng = random.Random(seed)
    bodies = [None, "", "Bộ Nội vụ", "Sở Nội vụ", "UBND tỉnh Lào Cai", "Bộ Nội Vụ"]
    docs = [f"d{i}" for i in range(8)]
    years = {d: rng.choice([None, 2022, 2023, 2024]) for d in docs}
    obls = []
    for i in range(60):
        o = _obligation(f"o{i}", rng.choice(docs), "2023-01-01", "gửi báo cáo")
        due = rng.choice([None, dt.date(rng.choice([2022, 2023, 2024]), 12, 15)])
        obls.append(reports.replace(o, recipient=rng.choice(bodies), due_date=due,
                                    due_month_day=None if due else "--12-15"))
    index = _KindIndex(obls, years)
    for _ in range(40):
        cell = _cell(rng.choice([None, 2022, 2023, 2024]), receiver=rng.choice(bodies),
                     own=tuple(rng.sample(docs, rng.choice([0, 0, 1, 2]))))
        ok = _fits(cell, years)
        assert index.fits(cell) == [o for o in obls if ok(o)], cell
