"""The whole-store reports brought up to date after a write (``api.whole_store``'s
``update_obligation_table``, ``update_calendar`` …) equal the reports read whole.

Each row is a store built with a full refresh, then batches of writes through a
``DerivedChanges`` and an incremental refresh (as ``POST /ingest`` and ``DELETE
/sources`` write). After every batch, the rows of ``GET /obligations`` and the calendar
brought up to date from the answers before the batch and the nodes it touched must be
exactly those read from the whole store, and so must the list of sources, the
conflicts, the counts and the judged submissions; a second set is brought up to date
over two batches at once (the keeper adds up the nodes touched by writes it has not
caught up with).
"""

from __future__ import annotations

import pickle
import unicodedata
from collections.abc import Callable
from functools import cache
from typing import Any

import pytest
from test_derived_incremental import SYNTH, _file, _graph_iri
from test_derived_incremental import _result as _item

from api.due_table import read_index, read_summary
from api.row_table import RowFolder, RowTable, TableRow
from api.whole_store import (
    UPDATE_MAX_TOUCHED,
    KeptCalendar,
    KeptSubmissions,
    StoreCounts,
    calendar_file,
    conflict_table,
    obligation_table,
    source_table,
    store_counts,
    submission_report,
    update_calendar,
    update_conflict_table,
    update_obligation_table,
    update_source_table,
    update_store_counts,
    update_submissions,
)
from graph import iri
from graph.pipeline import DerivedChanges, refresh_derived
from graph.rdf import file_graph
from graph.store import OxigraphStore
from ingest.extract import extract_text
from ingest.models import FileResult

BASE = "https://data.luocdo.vn/"

# A sample file rewritten (same path, so it replaces the original): what it becomes.
VARIANTS = {
    # a recurring deadline moves
    "01deadline": ("01", "trước ngày 15 tháng 12 hằng năm", "trước ngày 20 tháng 12 hằng năm"),
    # the bearer of the half-yearly report changes
    "05bearer": ("05", "Giao Ban Dân vận Tỉnh ủy chủ trì", "Giao Ban Tuyên giáo Tỉnh ủy chủ trì"),
    # the recipient changes
    "05recipient": ("05", "báo cáo Ban Thường vụ Tỉnh ủy trước ngày 10/6",
                    "báo cáo Thường trực Tỉnh ủy trước ngày 10/6"),
    # the conclusion is re-dated a year on: another document (its key holds the year)
    "05date": ("05", "ngày 18 tháng 3 năm 2025", "ngày 18 tháng 3 năm 2026"),
    # an absolute deadline moves
    "03deadline": ("03", "trước ngày 27/5/2025", "trước ngày 27/6/2025"),
    # the directive is cited with another date than its own: a date conflict appears
    "03citedate": ("03", "Chỉ thị số 15/CT-TTg ngày 12/4/2024",
                   "Chỉ thị số 15/CT-TTg ngày 21/4/2024"),
    # a word of the quote changes, not its length: the same obligation and evidence IRIs
    # (offsets and fields), only the evidence node's quote is touched
    "05quote": ("05", "chủ trì theo dõi, đôn đốc", "chủ trì theo dấu, đôn đốc"),
    # the deadlines the submissions table is judged against move: cells turn late
    "02plan": ("02", "gửi về Bộ Nội vụ trước ngày 25/5/2025",
               "gửi về Bộ Nội vụ trước ngày 20/5/2025"),
    "02half": ("02", "6 tháng đầu năm trước ngày 30 tháng 5",
               "6 tháng đầu năm trước ngày 10 tháng 6"),
    # the plan is asked of another body: no longer addressed to the table's receiver
    "02elsewhere": ("02", "gửi về Bộ Nội vụ trước ngày 25/5/2025",
                    "gửi về Văn phòng Chính phủ trước ngày 25/5/2025"),
}

# A sample read from another path: the same documents stated by a second file, whose
# obligations are others (their IRIs hold the file): every column then has two candidates.
COPIES = {"02copy": ("02", "/data/test/copy/02_cong_van.txt")}

# what a page of a due window is cut by (``api.due_table.DueIndex``): an update's table
# must give the same as a table built whole
_INDEX_FIELDS = ("rank", "pair", "keyed", "keyed_rank", "runs", "groups")


@cache
def _result(name: str) -> FileResult:
    if name in COPIES:
        sample, copy = COPIES[name]
        return extract_text(_file(sample).read_text(encoding="utf-8"), copy)
    if name not in VARIANTS:
        return _item(name)
    sample, old, new = VARIANTS[name]
    path = _file(sample)
    text = unicodedata.normalize("NFC", path.read_text(encoding="utf-8"))
    assert old in text, f"{path.name} no longer says {old!r}"
    return extract_text(text.replace(old, new), f"/data/test/{path.name}")


def _write(changes: DerivedChanges, op: str) -> None:
    """``+name``: put the item's graph (a variant replaces its sample); ``-name``: remove."""
    name = op[1:]
    graph = (iri.source_graph_iri(_result(name).path, BASE) if name in COPIES
             else _graph_iri(VARIANTS[name][0] if name in VARIANTS else name))
    if op.startswith("+"):
        changes.replace_source(graph, file_graph(_result(name), base=BASE))
    else:
        changes.remove_source(graph)


def _runner(store: OxigraphStore) -> Callable[..., Any]:
    return lambda task, *args: task(store, *args)


Answers = tuple[RowTable, KeptCalendar, RowTable, RowTable, StoreCounts,
                KeptSubmissions]


@pytest.fixture
def rows(tmp_path: Any) -> Any:
    file = RowFolder(tmp_path / "rows")
    yield file
    file.close()


def _answers(store: OxigraphStore, rows: RowFolder) -> Answers:
    path = str(rows.path)
    return (rows.adopt(obligation_table(store, path)), rows.adopt(calendar_file(store, path)),
            rows.adopt(source_table(store, path)),
            rows.adopt(conflict_table(store, path)),
            rows.adopt(store_counts(store, path)),
            rows.adopt(submission_report(store, path)))


def _content(rows: RowFolder, table: RowTable | None) -> list[TableRow]:
    assert table is not None
    found = list(rows.rows(table))
    assert len(found) == table.size
    return found


def _assert_brought_up(store: OxigraphStore, rows: RowFolder, before: Answers,
                       touched: set[str]) -> None:
    obligations, cal, sources, conflicts, counts, judged = before
    run = _runner(store)
    new_obligations = update_obligation_table(rows, obligations, frozenset(touched), run)
    new_cal = update_calendar(rows, cal, frozenset(touched), run)
    whole_obligations, whole_cal, whole_sources, whole_conflicts, whole_counts, whole_judged = \
        _answers(store, rows)
    assert _content(rows, new_obligations) == _content(rows, whole_obligations)
    assert new_obligations is not None  # and its due summary, which windows read
    assert read_summary(rows, new_obligations) == read_summary(rows, whole_obligations)
    new_index, whole_index = read_index(rows, new_obligations), read_index(rows, whole_obligations)
    assert [getattr(new_index, f) for f in _INDEX_FIELDS] == \
        [getattr(whole_index, f) for f in _INDEX_FIELDS]
    assert new_cal is not None
    assert _content(rows, new_cal.events) == _content(rows, whole_cal.events)
    assert (new_cal.etag, new_cal.gzip_etag) == (whole_cal.etag, whole_cal.gzip_etag)
    for new_file, whole_file in zip(new_cal.files(rows), whole_cal.files(rows), strict=True):
        assert new_file != whole_file and new_file.read_bytes() == whole_file.read_bytes()
    new_sources = update_source_table(rows, sources, frozenset(touched), run)
    assert _content(rows, new_sources) == _content(rows, whole_sources)
    new_conflicts = update_conflict_table(rows, conflicts, frozenset(touched), run)
    assert _content(rows, new_conflicts) == _content(rows, whole_conflicts)
    new_counts = update_store_counts(rows, counts, frozenset(touched), run)
    assert new_counts is not None and new_counts.counts == whole_counts.counts
    assert list(new_counts.counts) == list(whole_counts.counts)
    assert _content(rows, new_counts.graphs) == _content(rows, whole_counts.graphs)
    assert whole_counts.counts["triples"] == store.stats()["triples"]
    _assert_judged_brought_up(rows, judged, whole_judged, update_submissions(
        rows, judged, frozenset(touched), run))


def _pools(rows: RowFolder, kept: KeptSubmissions) -> dict[Any, Any]:
    found: dict[Any, Any] = pickle.loads(kept.files(rows)[0].read_bytes())
    return found


def _assert_judged_brought_up(rows: RowFolder, before: KeptSubmissions,
                              whole: KeptSubmissions, brought: KeptSubmissions | None) -> None:
    """The submissions brought up to date are those judged whole, candidates and all; the
    update declines only when it must: cells re-extracted from files (none in the graph)
    before or after, or a column judged for the first time."""
    if brought is None:
        assert {before.source, whole.source} != {"graph"} or set(_pools(rows, whole)) - set(
            _pools(rows, before)), "declined although every column was judged before"
        return
    assert _content(rows, brought.rows) == _content(rows, whole.rows)
    assert (brought.source, _pools(rows, brought)) == (whole.source, _pools(rows, whole))


SEQUENCES = [
    pytest.param(("01", "02", "03", "05"), [["+01deadline"], ["+05bearer"], ["+05recipient"],
                                            ["+05"], ["+03deadline"], ["+01"]],
                 id="deadlines-bearers-recipients-change"),
    pytest.param(("01", "02", "05"), [["+05quote"], ["+05"]], id="only-a-quote-changes"),
    pytest.param(("01", "02", "03", "04"), [["+03citedate"], ["-01"], ["+01"], ["+03"]],
                 id="a-citation-date-conflicts-and-is-mended"),
    pytest.param(("01", "02", "05"), [["+05date"], ["+05"], ["-05"], ["+05date"]],
                 id="a-document-re-dated-becomes-another"),
    pytest.param(("01", "02", "03", "04", "05", "06"), [["-02"], ["+02"], ["-01", "-03"],
                                                        ["+03", "+01deadline"]],
                 id="samples-go-and-come"),
    pytest.param(("02", "03"), [["+01"], ["+04"], ["+06"], ["+05", "-02"]],
                 id="creators-arrive-after-their-followers"),
    pytest.param((*SYNTH[:20], "02"), [["+y20"], ["-y3"], ["+y3"], ["+y21", "+y22", "-y0"],
                                       ["+01", "+05bearer"]],
                 id="synthetic"),
    pytest.param(("01",), [["+01"]], id="a-file-written-again-unchanged"),
    pytest.param((), [["+05"], ["+01"], ["-05"], ["-01"]], id="from-an-empty-store"),
    pytest.param(("02", "06"), [["+02plan"], ["+02half"], ["+02"], ["+02copy"], ["-02"],
                                ["+02elsewhere"], ["+02", "-02copy"]],
                 id="the-tables-obligations-move-multiply-and-go"),
    pytest.param(("02", "05", "06"), [["-06"], ["+06"], ["+03"], ["+01", "+05date"]],
                 id="the-table-goes-and-comes"),
    pytest.param(("s000", "s001"), [["-s000"], ["+s000"], ["+s002"], ["+s003", "-s002"]],
                 id="seeds"),
]


@pytest.mark.parametrize(("first", "batches"), SEQUENCES)
def test_reports_brought_up_to_date_equal_the_whole_reads(
        first: tuple[str, ...], batches: list[list[str]], rows: RowFolder) -> None:
    store = OxigraphStore(None, base=BASE)
    for name in first:
        store.replace_source(_graph_iri(name), file_graph(_result(name), base=BASE))
    refresh_derived(store)
    two_back: tuple[Answers, set[str]] | None = None
    for batch in batches:
        before = _answers(store, rows)
        changes = DerivedChanges(store)
        for op in batch:
            _write(changes, op)
        refresh_derived(store, changes)
        if changes.touched is None:  # a full refresh: the keeper builds the reports whole
            two_back = None
            continue
        _assert_brought_up(store, rows, before, changes.touched)
        if two_back is not None:  # over this batch and the one before it
            _assert_brought_up(store, rows, two_back[0], two_back[1] | changes.touched)
        two_back = (before, set(changes.touched))


def test_a_write_that_touched_too_much_is_read_whole(rows: RowFolder) -> None:
    store = OxigraphStore(None, base=BASE)
    store.replace_source(_graph_iri("05"), file_graph(_result("05"), base=BASE))
    refresh_derived(store)
    obligations, cal, sources, conflicts, counts, judged = _answers(store, rows)
    many = frozenset(f"urn:x:{i}" for i in range(UPDATE_MAX_TOUCHED + 1))

    def never(*_: Any) -> Any:
        raise AssertionError("nothing should be read")

    assert update_obligation_table(rows, obligations, many, never) is None
    assert update_calendar(rows, cal, many, never) is None
    assert update_source_table(rows, sources, many, never) is None
    assert update_conflict_table(rows, conflicts, many, never) is None
    assert update_store_counts(rows, counts, many, never) is None
    assert update_submissions(rows, judged, many, never) is None


def test_submissions_whose_candidates_cannot_be_written_leave_nothing(
        rows: RowFolder, monkeypatch: pytest.MonkeyPatch) -> None:
    # the table of judged cells is no use without its columns' candidates (an update
    # reads them): a failure between the two leaves neither file behind
    store = OxigraphStore(None, base=BASE)
    for name in ("02", "06"):
        store.replace_source(_graph_iri(name), file_graph(_result(name), base=BASE))
    refresh_derived(store)

    def refused(*_: Any, **__: Any) -> bytes:
        raise OSError("disk full")

    monkeypatch.setattr(pickle, "dumps", refused)
    with pytest.raises(OSError, match="disk full"):
        submission_report(store, str(rows.path))
    assert list(rows.path.iterdir()) == []
