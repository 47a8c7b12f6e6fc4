"""The long whole-store reports kept as SQLite row tables (``api.row_table``) and the
obligation and source tables the keeper builds (``api.whole_store``).

A page of a table must be exactly what the endpoint served from the rows in memory
before (the rows' JSON through ``TypeAdapter(list[Obligation])``), a filter must find
the rows ``party_rows`` found, the order key must sort as the answer's order does, and a
table must live exactly as long as its handle.
"""

from __future__ import annotations

import datetime as dt
import gc
import pickle
import random
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter
from test_api_support import api_client, samples_nquads, samples_store

from api.obligation_window import obligation_rows, party_rows, row_order
from api.row_table import RowFolder, RowTable, TableRow, row_path, write_table
from api.schemas import Obligation, Source
from api.search import text_matcher
from api.whole_store import obligation_order, obligation_table, source_model, source_table
from graph.store import OxigraphStore
from ingest.clean import fold

FIXTURES = (api_client, samples_nquads, samples_store)  # fixtures, used by name


@pytest.fixture
def rows(tmp_path: Path) -> Iterator[RowFolder]:
    file = RowFolder(tmp_path / "rows")
    yield file
    file.close()


def _row(order: str, group: str | None, ident: str, a: str | None = None) -> TableRow:
    return TableRow(order, group, ident, a, None, f'"{ident}"'.encode())


def _served(rows: Sequence[Mapping[str, Any]]) -> bytes:
    """The JSON the endpoint served from the rows in memory (before the tables)."""
    page = [{**{k: v for k, v in r.items() if k != "first"}, "next_due": r["first"]}
            for r in rows]
    return TypeAdapter(list[Obligation]).dump_json([Obligation(**r) for r in page])


# --- the obligations table against the rows it replaces ----------------------------------------


@pytest.mark.parametrize(("offset", "limit"), [(0, 500), (0, 1), (3, 4), (7, 1000), (10**6, 5)])
def test_a_page_of_the_table_is_the_page_of_the_rows(
        samples_store: OxigraphStore, rows: RowFolder, offset: int, limit: int) -> None:
    whole = obligation_rows(samples_store)
    table = rows.adopt(obligation_table(samples_store, str(rows.path)))
    assert table.size == len(whole) > 10
    total, body = rows.page_json(table, offset, limit)
    assert total == len(whole)
    assert body == _served(whole[offset:offset + limit])


@pytest.mark.parametrize(("bearer", "recipient"), [
    ("ủy ban nhân dân", None), ("UBND", None), (None, "bo noi vu"), ("sở", "Bộ Nội vụ"),
    ("nobody at all", None), ("ban", "tỉnh ủy"),
])
def test_a_filtered_page_is_the_page_of_the_matching_rows(
        samples_store: OxigraphStore, rows: RowFolder, bearer: str | None,
        recipient: str | None) -> None:
    whole = obligation_rows(samples_store)
    table = rows.adopt(obligation_table(samples_store, str(rows.path)))
    positions = rows.matching(table, text_matcher(bearer), text_matcher(recipient))
    wanted = party_rows(whole, bearer, recipient)
    assert [whole[p]["iri"] for p in positions] == [r["iri"] for r in wanted]
    for offset, limit in ((0, 500), (1, 2)):
        total, body = rows.page_json(table, offset, limit, positions)
        assert total == len(wanted)
        assert body == _served(wanted[offset:offset + limit])
    assert rows.at(table, positions, "ident") == [r["iri"] for r in wanted]


def test_the_order_key_sorts_as_the_answer_does() -> None:
    draw = random.Random(7)
    days = [None, dt.date.min, dt.date(2025, 1, 9), dt.date(2025, 12, 31), dt.date(9999, 1, 1)]
    documents = [None, "", "https://d/a", "https://d/a/b", "https://d/ab", "https://d/Đ"]
    made = [{"first": draw.choice(days), "document": draw.choice(documents),
             "iri": f"https://o/{draw.choice('abcđ')}{draw.randrange(20)}"}
            for _ in range(2_000)]
    assert sorted(made, key=row_order) == sorted(made, key=obligation_order)


def test_the_order_key_sorts_in_sqlite_as_in_python(rows: RowFolder) -> None:
    keys = ["0", "0\x01b", "0b", "Đ", "Z", "a\x01z", "ab", "ự", "😀", "0001-01-01"]
    table = rows.adopt(write_table(rows.path, "t", (_row(k, None, str(i))
                                                    for i, k in enumerate(keys))))
    assert [r.order for r in rows.rows(table)] == keys, "written as given"
    again = rows.replace(table, (), ())  # the SQL ORDER BY of an update
    assert [r.order for r in rows.rows(again)] == sorted(keys)
    shuffled = rows.replace(rows.adopt(write_table(rows.path, "t", [])), (),
                            [_row(k, None, str(i)) for i, k in enumerate(reversed(keys))])
    assert [r.order for r in rows.rows(shuffled)] == sorted(keys)


# --- the sources table ------------------------------------------------------------------------


def test_the_sources_table_lists_every_source_by_path(samples_store: OxigraphStore,
                                                      rows: RowFolder) -> None:
    sources = samples_store.sources()
    table = rows.adopt(source_table(samples_store, str(rows.path)))
    _, body = rows.page_json(table, 0, 1000)
    expected = TypeAdapter(list[Source]).dump_json(
        [source_model(s) for s in sorted(sources, key=lambda s: (s.path, str(s.graph)))])
    assert body == expected and table.size == len(sources) > 0
    wanted = fold("BAO_CAO")
    found = rows.matching(table, lambda p: wanted in (p or ""))
    assert 0 < len(found) < len(sources)


# --- updates ---------------------------------------------------------------------------------


def test_an_update_replaces_the_rows_of_its_groups(rows: RowFolder) -> None:
    old = rows.adopt(write_table(rows.path, "t", [
        _row("1", "d1", "a"), _row("2", "d2", "b"), _row("3", "d1", "c"), _row("4", "d3", "d")]))
    new = rows.replace(old, ["d1", "d9"], [_row("0", "d1", "a2"), _row("35", "d1", "c2")])
    assert [r.ident for r in rows.rows(new)] == ["a2", "b", "c2", "d"]
    assert new.size == 4 and new.table != old.table
    assert [r.ident for r in rows.rows(old)] == ["a", "b", "c", "d"], "the old table is kept"


def test_a_row_without_a_group_is_kept_by_an_update(rows: RowFolder) -> None:
    # regression: ``grp NOT IN (…)`` alone drops a NULL group (NULL NOT IN … is NULL),
    # where the rows in memory kept it (None not in touched)
    old = rows.adopt(write_table(rows.path, "t", [_row("1", None, "a"), _row("2", "d", "b")]))
    new = rows.replace(old, ["d"], [])
    assert [r.ident for r in rows.rows(new)] == ["a"]


def test_the_groups_of_named_rows(rows: RowFolder) -> None:
    table = rows.adopt(write_table(rows.path, "t", [
        _row("1", "d1", "a"), _row("2", None, "b"), _row("3", "d2", "c")]))
    assert rows.groups_of(table, ["a", "b", "zz"]) == {"d1", None}
    assert rows.groups_of(table, []) == set()
    assert rows.groups_of(table, ["c"]) == {"d2"}, "nothing left of the last call"


# --- keys, filters, and what a finish writes beside the rows --------------------------------


def _keyed_rows() -> list[TableRow]:
    """Twenty rows in order, every third keyed "k", every fifth "j"."""
    return [TableRow(f"{i:03d}-row", None, f"r{i}", None, None, b"0",
                     "k" if i % 3 == 0 else "j" if i % 5 == 0 else None) for i in range(20)]


def _filtered_rows(distinct: bool) -> list[TableRow]:
    """Forty rows in order: a few (a, b) pairs, None among them, or an ``a`` of its own
    per row (as the sources' paths are)."""
    values = ["x", "y", None, "đ"]
    return [TableRow(f"{i:03d}-row-{i}", None, f"r{i}",
                     f"path-{i}" if distinct else values[i % 4],
                     None if i % 3 else "b1", b"0", "k" if i % 5 == 0 else None)
            for i in range(40)]


def _is(value: str | None) -> Callable[[str | None], bool]:
    return lambda v: v == value


@pytest.mark.parametrize("distinct", [False, True], ids=["few-pairs", "a-value-per-row"])
@pytest.mark.parametrize(("a", "b"), [
    (None, None), (_is("x"), None), (None, _is(None)), (_is(None), _is("b1")),
    (lambda v: v is not None and v.endswith("7"), None), (_is("nothing"), None),
    (lambda v: True, lambda v: False),
], ids=["any", "a-is-x", "b-is-none", "a-none-b-b1", "a-ends-7", "none", "b-refuses"])
def test_rows_matched_by_filter(
        rows: RowFolder, distinct: bool, a: Callable[[str | None], bool] | None,
        b: Callable[[str | None], bool] | None) -> None:
    """``matching`` reads the filter index (each distinct pair tested once, or one pass
    when most are distinct): the rows a test of every row keeps, in order; ``with_pairs``
    reads the rows of the pairs it is given."""
    source = _filtered_rows(distinct)
    table = rows.adopt(write_table(rows.path, "t", source))
    kept = [i for i, r in enumerate(source)
            if (a is None or a(r.a)) and (b is None or b(r.b))]
    assert list(rows.matching(table, a, b)) == kept
    pairs = sorted({(source[i].a, source[i].b) for i in kept}, key=repr)
    found = rows.with_pairs(table, pairs, "SELECT r.pos - 1, r.ord FROM rows AS r "
                            "JOIN temp.wanted AS w ON r.a IS w.a AND r.b IS w.b ORDER BY r.pos")
    assert found == [(i, source[i].order) for i in kept]
    assert rows.at(table, kept, "key") == [source[i].key for i in kept]


def test_keys_survive_an_update_and_a_finish_writes_beside_the_rows(rows: RowFolder) -> None:
    def count(con: Any) -> None:
        con.execute("CREATE TABLE n AS SELECT count(*) AS n FROM rows WHERE key IS NOT NULL")

    old = rows.adopt(write_table(rows.path, "t", _keyed_rows(), finish=count))
    assert rows.select(old, "SELECT n FROM n") == [(9,)]
    new = rows.replace(old, [], [TableRow("0035", None, "new", None, None, b"0", "k")],
                       finish=count)
    assert rows.select(new, "SELECT n FROM n") == [(10,)]
    # "0035" sorts between "003-row" and "004-row"
    assert rows.select(new, "SELECT pos - 1 FROM rows WHERE key = 'k' ORDER BY key, ord"
                       ) == [(p,) for p in (0, 3, 4, 7, 10, 13, 16, 19)]


# --- how long a table lives -------------------------------------------------------------------


def test_a_table_lives_as_long_as_its_handle(rows: RowFolder) -> None:
    table = rows.adopt(write_table(rows.path, "t", [_row("1", None, "a")]))
    name = table.table
    assert rows.adopt(RowTable(str(rows.path), name, 1)) is table, "one handle per table"
    assert name in rows.tables()
    del table
    gc.collect()
    assert rows.settle()
    assert name not in rows.tables()


def test_a_closed_folder_drops_no_table(tmp_path: Path) -> None:
    file = RowFolder(tmp_path / "rows")
    table = file.adopt(write_table(file.path, "t", [_row("1", None, "a")]))
    name = table.table
    file.close()
    del table
    gc.collect()
    again = RowFolder(tmp_path / "rows")
    assert name in again.tables(), "kept for the next start (the kept reports may name it)"
    kept = again.bind(name, 1)
    assert kept is not None and [r.ident for r in again.rows(kept)] == ["a"]
    assert again.bind(name, 2) is None, "another size: not trusted"
    assert again.bind("rows_t_missing", 1) is None and again.bind("../x", 1) is None
    again.close()


def test_collect_removes_what_nothing_holds_or_names(rows: RowFolder) -> None:
    held = rows.adopt(write_table(rows.path, "t", [_row("1", None, "a")]))
    named = write_table(rows.path, "t", [_row("1", None, "b")])
    left = write_table(rows.path, "t", [_row("1", None, "c")])
    half = rows.path / "rows_t_0000.sqlite.part"  # a write a stopped run left
    half.write_bytes(b"x")
    other = rows.path / "notes.txt"
    other.write_text("not ours")
    assert rows.collect([named.table]) == 1
    assert rows.tables() == {held.table, named.table}
    assert left.table not in rows.tables() and not half.exists()
    assert other.read_text() == "not ours"


def test_a_handle_crosses_a_process_boundary(rows: RowFolder) -> None:
    table = write_table(rows.path, "t", [_row("1", None, "a")])
    back = pickle.loads(pickle.dumps(table))
    assert back == table and back.path == table.path
    assert rows.adopt(back) is back


def test_a_damaged_table_is_not_bound(rows: RowFolder,
                                      caplog: pytest.LogCaptureFixture) -> None:
    table = write_table(rows.path, "t", [_row("1", None, "a")])
    (rows.path / f"{table.table}.sqlite").write_bytes(b"this is not a database" * 100)
    assert rows.bind(table.table, 1) is None
    assert "cannot be read" in caplog.text and table.table in caplog.text


def test_a_failed_write_leaves_nothing(rows: RowFolder) -> None:
    def broken() -> Iterator[TableRow]:
        yield _row("1", None, "a")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_table(rows.path, "t", broken())
    assert list(rows.path.iterdir()) == []


def test_a_temporary_folder_is_removed_when_closed(memory_store: Any) -> None:
    path, temporary = row_path(memory_store())
    assert temporary and path.is_dir()
    file = RowFolder(path, temporary=True)
    file.adopt(write_table(path, "t", [_row("1", None, "a")]))
    file.close()
    assert not path.exists()


def test_a_store_on_disk_keeps_its_rows_beside_it(tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "store")
    try:
        assert row_path(store) == (tmp_path / "store" / "luocdo-rows", False)
    finally:
        store.close()


def test_a_tables_files_go_with_it(rows: RowFolder) -> None:
    table = rows.adopt(write_table(rows.path, "t", [_row("1", None, "a")]))
    attached = rows.attachment(table, ".ics")
    attached.write_bytes(b"x")
    stray = rows.path / "rows_t_gone.ics"  # a file whose table a stopped server dropped
    stray.write_bytes(b"y")
    rows.collect(())
    assert attached.exists() and not stray.exists()
    del table
    gc.collect()
    assert rows.settle()
    assert not attached.exists()


# --- through the API --------------------------------------------------------------------------


def test_a_write_leaves_only_the_current_tables_and_files(
        api_client: Any, samples_store: OxigraphStore) -> None:
    # the tables and calendar files of a generation a write replaced are dropped once no
    # answer holds them: a server that ingests all day does not fill its disk
    from test_api_admin import AUTH, PLAN, TOKEN

    client = api_client(update_token=TOKEN)
    state = client.app.state.luocdo
    keeper = state.report_keeper()
    assert keeper.wait_idle(30)
    first = client.get("/calendar.ics")
    assert first.status_code == 200 and first.headers["etag"]
    rows = state.rows
    before = rows.tables()
    assert len(before) == 6, "obligations, sources, calendar events, conflicts, submissions, counts"
    response = client.post("/ingest", files=[("files", ("ke_hoach_77.txt", PLAN))],
                           headers=AUTH)
    assert response.status_code == 200, response.text
    assert keeper.wait_idle(30)
    second = client.get("/calendar.ics")
    assert second.status_code == 200 and second.headers["etag"] != first.headers["etag"]
    gc.collect()
    assert rows.settle()
    after = rows.tables()
    assert len(after) == 6 and not after & before, "the old tables are dropped"
    files = {p.name.split(".", 1)[0] for p in rows.path.iterdir()}
    assert files == after, "each table's file, and the calendar's files, no other"
    assert second.content == client.get("/calendar.ics").content


def test_the_whole_calendar_is_its_file_with_its_headers(api_client: Any) -> None:
    client = api_client()
    plain = client.get("/calendar.ics", headers={"Accept-Encoding": "identity"})
    packed = client.get("/calendar.ics", headers={"Accept-Encoding": "gzip"})
    assert plain.status_code == packed.status_code == 200
    assert plain.headers["content-type"] == "text/calendar; charset=utf-8"
    assert plain.headers["content-disposition"] == 'inline; filename="luocdo.ics"'
    assert plain.headers["vary"] == "Accept-Encoding"
    assert int(plain.headers["content-length"]) == len(plain.content)
    assert "content-encoding" not in plain.headers
    assert packed.headers["content-encoding"] == "gzip"
    assert packed.headers["etag"] == plain.headers["etag"][:-1] + '-gzip"'
    assert packed.content == plain.content, "as httpx decodes it"
    assert int(packed.headers["content-length"]) < len(plain.content) / 2
    for tag in (plain.headers["etag"], packed.headers["etag"]):
        again = client.get("/calendar.ics", headers={"If-None-Match": tag})
        assert again.status_code == 304 and again.headers["vary"] == "Accept-Encoding"


def test_a_handle_let_go_on_the_event_loop_is_dropped_off_it(
        rows: RowFolder, monkeypatch: pytest.MonkeyPatch) -> None:
    # a request may hold the last handle of a table a write replaced; its drop (a DROP
    # TABLE: milliseconds, seconds for a million rows) must not run on that thread
    import threading

    table = rows.adopt(write_table(rows.path, "t", [_row("1", None, "a")]))
    seen: list[str] = []
    real = rows._drop

    def noted(name: str) -> None:
        seen.append(threading.current_thread().name)
        real(name)

    monkeypatch.setattr(rows, "_drop", noted)
    del table
    gc.collect()
    assert rows.settle() and seen == ["luocdo-row-drops"]
