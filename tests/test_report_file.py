"""The whole-store reports kept on disk across restarts (``api.report_file``) and the
keeper's use of them (``api.report_keeper``, ``Shelf``)."""

from __future__ import annotations

import sqlite3
import threading
import time
import zlib
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from test_api_support import (
    BASE,
    ClientFactory,
    api_client,
    background_held,
    count_whole_builds,
    load,
    samples_nquads,
    samples_store,
)
from test_report_keeper import made

from api.report_file import ReportFile, code_mark, decode_report, encode_report, encode_rows
from api.report_keeper import Pending, ReportKeeper
from api.row_table import RowFolder, RowTable
from api.whole_store import REPORTS, whole_store_reports
from graph.store import OxigraphStore

FIXTURES = (api_client, made, samples_nquads, samples_store)  # fixtures, used by name
WAIT = 30.0
NAMES = REPORTS


@pytest.fixture
def rows(tmp_path: Path) -> Iterator[RowFolder]:
    file = RowFolder(tmp_path / "rows")
    yield file
    file.close()


def _built(store: OxigraphStore, rows: RowFolder) -> dict[str, Any]:
    """Every report, built whole from ``store`` (the long lists as tables of ``rows``)."""
    built = {name: rows.adopt(build(store))
             for name, build in whole_store_reports(rows).items()}
    assert tuple(built) == REPORTS
    return built


# --- codecs -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_every_report_reads_back_as_it_was(samples_store: OxigraphStore, rows: RowFolder,
                                           name: str) -> None:
    answer = _built(samples_store, rows)[name]
    assert answer, "the samples give every report something to keep"
    back = decode_report(name, encode_report(name, answer))
    assert back == answer
    if isinstance(answer, RowTable):  # the rows stay in the table; its name is kept
        assert answer.size > 0 and (back.table, back.size) == (answer.table, answer.size)


def test_the_kept_calendar_is_its_files_and_tags(samples_store: OxigraphStore,
                                                 rows: RowFolder) -> None:
    import gzip

    from api.cache import entity_tag
    from api.encoding import gzip_tag
    from graph.calendar import calendar

    kept = _built(samples_store, rows)["calendar"]
    plain, packed = kept.files(rows)
    expected = calendar(samples_store).encode("utf-8")
    assert plain.read_bytes() == expected, "the file is the calendar, byte for byte"
    assert gzip.decompress(packed.read_bytes()) == expected
    assert (kept.etag, kept.gzip_etag) == (entity_tag(expected), gzip_tag(kept.etag))
    assert kept.events.size == expected.count(b"BEGIN:VEVENT") > 0
    back = decode_report("calendar", encode_report("calendar", kept))
    assert back == kept, "kept: its events' table, their number and both tags"


def test_an_unknown_report_has_no_codec() -> None:
    with pytest.raises(KeyError):
        encode_report("nonsense", [])


# --- the file ---------------------------------------------------------------------------------


@pytest.fixture
def kept(samples_store: OxigraphStore, rows: RowFolder) -> dict[str, Any]:
    return _built(samples_store, rows)


def test_the_file_gives_back_what_was_kept_for_the_same_store(tmp_path: Path,
                                                               kept: dict[str, Any]) -> None:
    path = tmp_path / "r.sqlite"
    ReportFile(path).save("print-1", encode_rows(kept))
    assert ReportFile(path).load("print-1") == kept


@pytest.mark.parametrize("case", ["other store", "other code", "forgotten"])
def test_the_file_keeps_nothing_for_another_store_or_code(tmp_path: Path,
                                                           kept: dict[str, Any],
                                                           case: str) -> None:
    path = tmp_path / "r.sqlite"
    file = ReportFile(path, code="code-1")
    file.save("print-1", encode_rows(kept))
    if case == "forgotten":
        file.forget()
    again = ReportFile(path, code="code-2" if case == "other code" else "code-1")
    assert again.load("print-2" if case == "other store" else "print-1") == {}
    # and nothing is left to restore even for the store it was kept for
    assert ReportFile(path, code="code-1").load("print-1") == {}


def test_a_damaged_file_is_started_again(tmp_path: Path, kept: dict[str, Any],
                                         caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "r.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    file = ReportFile(path)
    assert file.load("print-1") == {}
    assert "cannot be read" in caplog.text and str(path) in caplog.text
    file.save("print-1", encode_rows(kept))
    assert ReportFile(path).load("print-1") == kept


def test_a_damaged_report_is_left_out_and_the_others_kept(
        tmp_path: Path, kept: dict[str, Any], caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "r.sqlite"
    ReportFile(path).save("print-1", encode_rows(kept))
    with sqlite3.connect(path) as con:
        con.execute("UPDATE reports SET body = x'00ff' WHERE name = 'conflicts'")
        con.execute("UPDATE reports SET body = ? WHERE name = 'calendar'",
                    (zlib.compress(b'{"table": "rows_x"}'),))
    back = ReportFile(path).load("print-1")
    assert back == {k: v for k, v in kept.items() if k not in ("conflicts", "calendar")}
    assert "kept report conflicts cannot be read" in caplog.text
    assert "kept report calendar cannot be read" in caplog.text


def test_the_code_mark_follows_the_reports_code(tmp_path: Path) -> None:
    for package in ("api", "graph", "ontology"):
        (tmp_path / package).mkdir()
        (tmp_path / package / "m.py").write_text("x = 1\n")
    first = code_mark(tmp_path)
    assert code_mark(tmp_path) == first
    (tmp_path / "graph" / "q.rq").write_text("SELECT * {}")
    assert code_mark(tmp_path) != first, "a named query is code too"
    second = code_mark(tmp_path)
    (tmp_path / "api" / "m.py").write_text("x = 2\n")
    assert code_mark(tmp_path) != second
    assert code_mark() == code_mark(), "the installed code's mark is stable"


# --- the keeper and its shelf -----------------------------------------------------------------


class FakeShelf:
    """A shelf in memory: what it restores, and every save it was given."""

    def __init__(self, restores: Mapping[str, Any] | Exception | None = None,
                 fails: bool = False, early: Mapping[str, Any] | None = None) -> None:
        self.restores = restores or {}
        self.early = early
        self.fails = fails
        self.saved: list[tuple[int, dict[str, Any]]] = []
        self.hold = threading.Event()
        self.hold.set()
        self.hold_save = threading.Event()
        self.hold_save.set()
        self.entered = threading.Event()

    def kept(self) -> tuple[str | None, Mapping[str, Any]]:
        """What it keeps: ``early`` when given (kept for a store that is no longer), else
        what it restores."""
        if isinstance(self.restores, Exception):
            return None, {}
        return "print", self.early if self.early is not None else self.restores

    def restore(self, generation: int, kept: tuple[str | None, Mapping[str, Any]]
                ) -> Mapping[str, Any]:
        self.entered.set()
        assert self.hold.wait(5)
        if isinstance(self.restores, Exception):
            raise self.restores
        return self.restores

    def save(self, generation: int, answers: Mapping[str, Any]) -> None:
        assert self.hold_save.wait(5)
        if self.fails:
            raise OSError("disk full")
        self.saved.append((generation, dict(answers)))


def _keeper(made: list[ReportKeeper], shelf: FakeShelf, store: dict[str, Any],
            builds: list[str]) -> ReportKeeper:
    def report(name: str) -> Callable[[Any], Any]:
        def build(s: Any) -> Any:
            builds.append(name)
            return (name, s["version"])
        return build
    keeper = ReportKeeper({n: report(n) for n in ("a", "b", "c")},
                          lambda task, *args: task(store, *args), keep=shelf)
    made.append(keeper)
    return keeper


def _idle(keeper: ReportKeeper) -> None:
    assert keeper.wait_idle(5)


def test_a_full_shelf_builds_nothing(made: list[ReportKeeper]) -> None:
    kept = {"a": ("a", 0), "b": ("b", 0), "c": ("c", 0)}
    shelf, builds = FakeShelf(kept), list[str]()
    keeper = _keeper(made, shelf, {"version": 1}, builds)
    keeper.request(0)
    _idle(keeper)
    assert builds == [] and shelf.saved == [], "nothing to build, nothing new to keep"
    assert {n: keeper.answer(n) for n in "abc"} == kept
    assert keeper.restored() == ("a", "b", "c")


def test_what_the_shelf_lacks_is_built_then_everything_kept(made: list[ReportKeeper]) -> None:
    shelf, builds = FakeShelf({"b": ("b", 0), "stale": 1}), list[str]()
    keeper = _keeper(made, shelf, {"version": 1}, builds)
    keeper.request(0)
    _idle(keeper)
    assert builds == ["a", "c"]
    assert shelf.saved == [(0, {"a": ("a", 1), "b": ("b", 0), "c": ("c", 1)})]
    assert keeper.restored() == ("b",), "a name the keeper does not build is ignored"


def test_every_generation_is_kept_once_built(made: list[ReportKeeper]) -> None:
    store: dict[str, Any] = {"version": 1}
    shelf, builds = FakeShelf(), list[str]()
    keeper = _keeper(made, shelf, store, builds)
    keeper.request(0)
    _idle(keeper)
    store["version"] = 2
    keeper.request(1)
    _idle(keeper)
    assert [g for g, _ in shelf.saved] == [0, 1]
    assert shelf.saved[1][1] == {n: (n, 2) for n in "abc"}
    assert keeper.restored() == (), "restored answers belong to the first generation"


def test_a_write_does_not_wait_for_the_saving(made: list[ReportKeeper]) -> None:
    store: dict[str, Any] = {"version": 1}
    shelf, builds = FakeShelf(), list[str]()
    shelf.hold_save.clear()  # the saving of generation 0 takes its time
    keeper = _keeper(made, shelf, store, builds)
    keeper.request(0)
    _until(lambda: len(builds) == 3)
    assert not keeper.wait_idle(0.05), "idle only once the answers are kept"
    store["version"] = 2
    keeper.request(1)
    deadline = time.monotonic() + 5
    while isinstance(keeper.answer("c"), Pending):  # built while the saving waits
        assert time.monotonic() < deadline
        time.sleep(0.005)
    assert shelf.saved == []
    shelf.hold_save.set()
    _idle(keeper)
    # both savings were held back together: they end in either order (the real shelf
    # refuses the older one, whose generation the store has left)
    assert sorted(g for g, _ in shelf.saved) == [0, 1]


def _until(check: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 5
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


def test_a_restore_overtaken_by_a_write_is_dropped(made: list[ReportKeeper]) -> None:
    store: dict[str, Any] = {"version": 1}
    shelf, builds = FakeShelf({n: (n, 0) for n in "abc"}), list[str]()
    shelf.hold.clear()  # the restore waits until the write is in
    keeper = _keeper(made, shelf, store, builds)
    keeper.request(0)
    assert shelf.entered.wait(5)
    store["version"] = 2
    keeper.request(1)
    shelf.hold.set()
    _idle(keeper)
    assert {n: keeper.answer(n) for n in "abc"} == {n: (n, 2) for n in "abc"}
    assert sorted(builds) == ["a", "b", "c"]


@pytest.mark.parametrize("same_store", [True, False])
def test_kept_answers_are_served_stale_while_the_store_is_read(
        made: list[ReportKeeper], same_store: bool) -> None:
    """While the store's fingerprint is read, what the shelf keeps is the stale answer;
    then it is the answer (the same store), or stays the stale one until each report is
    built again (the store changed while the server was down)."""
    kept = {n: (n, 0) for n in "abc"}
    shelf = FakeShelf(kept if same_store else {}, early=kept)
    shelf.hold.clear()  # the store's fingerprint takes its time
    builds: list[str] = []
    gate = threading.Event()
    store = {"version": 1}

    def report(name: str) -> Callable[[Any], Any]:
        def build(s: Any) -> Any:
            assert gate.wait(5)
            builds.append(name)
            return (name, s["version"])
        return build

    keeper = ReportKeeper({n: report(n) for n in "abc"},
                          lambda task, *args: task(store, *args), keep=shelf)
    made.append(keeper)
    keeper.request(0)
    assert shelf.entered.wait(5)
    assert isinstance(keeper.answer("b"), Pending)
    assert {n: keeper.stale(n) for n in "abc"} == kept
    shelf.hold.set()
    if same_store:
        gate.set()
        _idle(keeper)
        assert {n: keeper.answer(n) for n in "abc"} == kept and builds == []
        assert {n: keeper.stale(n) for n in "abc"} == dict.fromkeys("abc")
        return
    _until(lambda: keeper._state.building in ("a", "b", "c"))  # restored none; building
    assert {n: keeper.stale(n) for n in "abc"} == kept, "stale until built again"
    gate.set()
    _idle(keeper)
    assert {n: keeper.answer(n) for n in "abc"} == {n: (n, 1) for n in "abc"}
    assert {n: keeper.stale(n) for n in "abc"} == dict.fromkeys("abc")


def test_a_request_during_the_restore_waits_for_it(made: list[ReportKeeper]) -> None:
    shelf, builds = FakeShelf({n: (n, 0) for n in "abc"}), list[str]()
    shelf.hold.clear()
    keeper = _keeper(made, shelf, {"version": 1}, builds)
    keeper.request(0)
    assert isinstance(keeper.answer("b"), Pending)
    shelf.hold.set()
    deadline = time.monotonic() + 5
    while isinstance(found := keeper.answer("b"), Pending):
        assert time.monotonic() < deadline
        time.sleep(0.005)
    assert found == ("b", 0) and builds == []


@pytest.mark.parametrize("case", ["restore fails", "save fails"])
def test_a_shelf_that_fails_costs_only_a_build(made: list[ReportKeeper], case: str,
                                               caplog: pytest.LogCaptureFixture) -> None:
    shelf = FakeShelf(RuntimeError("unreadable") if case == "restore fails" else None,
                      fails=case == "save fails")
    builds: list[str] = []
    keeper = _keeper(made, shelf, {"version": 1}, builds)
    keeper.request(0)
    _idle(keeper)
    assert sorted(builds) == ["a", "b", "c"]
    assert {n: keeper.answer(n) for n in "abc"} == {n: (n, 1) for n in "abc"}
    expected = ("kept reports could not be read" if case == "restore fails"
                else "reports could not be kept")
    assert expected in caplog.text


# --- through the API, on an on-disk store -----------------------------------------------------


@pytest.fixture
def disk_store(tmp_path: Path, samples_nquads: bytes) -> Iterator[OxigraphStore]:
    store = load(OxigraphStore(tmp_path / "store", base=BASE), samples_nquads)
    yield store
    store.close()


def _folder(store: OxigraphStore) -> Path:
    assert store.path is not None
    return store.path


def _served(api_client: ClientFactory, store: OxigraphStore, **settings: Any
            ) -> tuple[Any, ReportKeeper]:
    client = api_client(store=store, **settings)
    keeper: ReportKeeper = client.app.state.luocdo.report_keeper()  # type: ignore[attr-defined]
    assert keeper.wait_idle(WAIT)
    return client, keeper


def _answers(client: Any) -> dict[str, Any]:
    return {path: client.get(path).content
            for path in ("/obligations", "/calendar.ics", "/conflicts", "/submissions",
                         "/sources", "/stats")}


def test_a_restart_serves_the_kept_reports_without_building(
        api_client: ClientFactory, disk_store: OxigraphStore,
        monkeypatch: pytest.MonkeyPatch) -> None:
    whole = count_whole_builds(monkeypatch)
    first, _ = _served(api_client, disk_store)
    served = _answers(first)
    assert sorted(whole) == sorted(NAMES)
    first.__exit__(None, None, None)
    assert (_folder(disk_store) / "luocdo-reports.sqlite").is_file()
    second, keeper = _served(api_client, disk_store)
    assert sorted(whole) == sorted(NAMES), "nothing was built again"
    assert set(keeper.restored()) == set(NAMES)
    assert _answers(second) == served
    assert second.get("/health").json()["reports"]["restored"] == sorted(NAMES)


def test_a_restart_serves_the_kept_reports_stale_while_the_store_is_read(
        api_client: ClientFactory, disk_store: OxigraphStore,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """At 300,000 documents reading the store's fingerprint takes 3–6 s: until it shows
    the kept reports are the store's, they are served at once, marked stale."""
    import api.document_bundle

    first, _ = _served(api_client, disk_store)
    served = _answers(first)
    first.__exit__(None, None, None)
    real, release, reading = api.document_bundle.store_mark, threading.Event(), \
        threading.Event()

    def slow_mark(store: Any) -> str:
        reading.set()
        assert release.wait(WAIT)
        return real(store)

    monkeypatch.setattr(api.document_bundle, "store_mark", slow_mark)
    second = api_client(store=disk_store, query_timeout_s=0.5)
    keeper: ReportKeeper = second.app.state.luocdo.report_keeper()  # type: ignore[attr-defined]
    assert reading.wait(WAIT)
    early = {path: second.get(path) for path in served}
    assert {p: r.content for p, r in early.items()} == served
    assert all(r.headers.get("X-Report-Stale") == "true" for r in early.values())
    waited = second.get("/stats", headers={"Cache-Control": "no-cache"})
    assert waited.status_code == 503, "the current answer is not known yet"
    release.set()
    assert keeper.wait_idle(WAIT) and set(keeper.restored()) == set(NAMES)
    later = {path: second.get(path) for path in served}
    assert {p: r.content for p, r in later.items()} == served
    assert not any("X-Report-Stale" in r.headers for r in later.values())


@pytest.mark.parametrize(("report", "suffix"), [("submissions", ".pools"),
                                                ("calendar", ".ics.gz")])
def test_a_kept_report_whose_file_is_gone_is_built_again(
        api_client: ClientFactory, disk_store: OxigraphStore,
        monkeypatch: pytest.MonkeyPatch, report: str, suffix: str) -> None:
    # the submissions' candidates (what an update after a write reads) and the calendar's
    # files live beside their tables: a report restored without them is not trusted
    whole = count_whole_builds(monkeypatch)
    first, _ = _served(api_client, disk_store)
    served = _answers(first)
    first.__exit__(None, None, None)
    gone = list((_folder(disk_store) / "luocdo-rows").glob(f"*{suffix}"))
    assert len(gone) == 1
    gone[0].unlink()
    second, keeper = _served(api_client, disk_store)
    assert set(keeper.restored()) == set(NAMES) - {report}
    assert sorted(whole) == sorted([*NAMES, report]), "only that report was built again"
    assert _answers(second) == served


def test_a_store_changed_while_down_is_built_again(
        api_client: ClientFactory, disk_store: OxigraphStore,
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from test_api_admin import PLAN

    from graph.pipeline import ingest_paths

    whole = count_whole_builds(monkeypatch)
    first, _ = _served(api_client, disk_store)
    first.__exit__(None, None, None)
    plan = tmp_path / "ke_hoach_77.txt"
    plan.write_bytes(PLAN)
    assert not ingest_paths(disk_store, [plan]).failed
    second, keeper = _served(api_client, disk_store)
    assert keeper.restored() == ()
    assert sorted(whole) == sorted([*NAMES, *NAMES])
    assert _answers(second) == _answers(api_client(store=disk_store, keep_reports=False))


@pytest.mark.parametrize("write", ["ingest", "sparql update"])
def test_reports_kept_after_a_write_are_those_of_the_store_written(
        api_client: ClientFactory, disk_store: OxigraphStore, write: str) -> None:
    from test_api_admin import AUTH, PLAN, TOKEN

    first, _ = _served(api_client, disk_store, update_token=TOKEN, enable_update=True)
    if write == "ingest":
        response = first.post("/ingest", files=[("files", ("ke_hoach_77.txt", PLAN))],
                              headers=AUTH)
        assert response.status_code == 200, response.text
    else:  # changes the fingerprint does not see
        update = "DELETE WHERE { ?o <https://w3id.org/luocdo/ontology#bearerText> ?b }"
        response = first.post("/sparql", data={"update": update}, headers=AUTH)
        assert response.status_code == 204, response.text
    assert first.app.state.luocdo.report_keeper().wait_idle(WAIT)
    served = _answers(first)
    first.__exit__(None, None, None)
    second, keeper = _served(api_client, disk_store)
    assert set(keeper.restored()) == set(NAMES)
    assert _answers(second) == served
    assert served == _answers(api_client(store=disk_store, keep_reports=False))


def test_a_write_forgets_the_kept_reports_before_it_is_served(
        api_client: ClientFactory, disk_store: OxigraphStore) -> None:
    from test_api_admin import AUTH, TOKEN

    client, keeper = _served(api_client, disk_store, update_token=TOKEN,
                             enable_update=True)
    file = client.app.state.luocdo._report_file
    keeper.stop()  # nothing is built or kept again after the write
    update = "DELETE WHERE { ?o <https://w3id.org/luocdo/ontology#bearerText> ?b }"
    response = client.post("/sparql", data={"update": update}, headers=AUTH)
    assert response.status_code == 204, response.text
    with sqlite3.connect(file.path) as con:
        assert con.execute("SELECT count(*) FROM reports").fetchone() == (0,)
        assert con.execute("SELECT count(*) FROM meta WHERE k = 'kept'").fetchone() == (0,)


def test_the_store_is_fingerprinted_once_per_generation(
        api_client: ClientFactory, disk_store: OxigraphStore,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The kept document answers and the kept reports share one reading of the store's
    fingerprint per generation (it reads every source's time stamp)."""
    import api.document_bundle

    calls: list[int] = []
    real = api.document_bundle.store_fingerprint

    def counted(store: Any) -> Any:
        calls.append(1)
        return real(store)

    monkeypatch.setattr(api.document_bundle, "store_fingerprint", counted)
    client, keeper = _served(api_client, disk_store)
    documents = client.app.state.luocdo.document_answers
    assert documents is not None and documents.wait(WAIT)
    assert keeper.wait_idle(WAIT) and set(keeper.built()) == set(NAMES)
    assert (_folder(disk_store) / "luocdo-reports.sqlite").is_file()
    assert len(calls) == 1


def test_the_store_mark_is_not_queued_behind_background_work(
        api_client: ClientFactory) -> None:
    # every kept answer waits for the mark; at start the search index's scan (or its
    # first build: an hour at 10⁶ documents) holds the background worker, so the mark
    # takes a request's worker
    from api.document_bundle import store_mark

    client = api_client()
    state = client.app.state.luocdo  # type: ignore[attr-defined]
    with background_held(state):
        found: list[str] = []
        reader = threading.Thread(
            target=lambda: found.append(state.store_mark(state.generation + 1)))
        reader.start()
        reader.join(WAIT)
        assert found == [store_mark(state.store)]


def test_reports_are_not_kept_when_the_settings_say_so(
        api_client: ClientFactory, disk_store: OxigraphStore) -> None:
    _served(api_client, disk_store, keep_reports=False)
    assert not (_folder(disk_store) / "luocdo-reports.sqlite").exists()


def test_the_shelf_keeps_nothing_for_a_generation_the_store_has_left(
        tmp_path: Path, kept: dict[str, Any], rows: RowFolder) -> None:
    from api.report_file import ReportShelf

    file, lock, now = ReportFile(tmp_path / "r.sqlite"), threading.Lock(), [3]
    shelf = ReportShelf(file, lambda _: "print-1", lock, lambda: now[0], rows)
    shelf.save(2, kept)
    assert file.load("print-1") == {}, "generation 2's answers, the store is at 3"
    shelf.save(3, kept)
    assert shelf.restore(3, shelf.kept()) == kept


def test_the_shelf_shows_what_it_keeps_before_the_store_is_read(
        tmp_path: Path, kept: dict[str, Any], rows: RowFolder) -> None:
    """``kept`` reads the file only; ``restore`` hands the answers on only when the store
    is the one they were kept for, and forgets them otherwise."""
    from api.report_file import ReportShelf

    file, lock = ReportFile(tmp_path / "r.sqlite"), threading.Lock()
    prints = iter(["print-1", "print-1", "print-2"])
    shelf = ReportShelf(file, lambda _: next(prints), lock, lambda: 0, rows)
    shelf.save(0, kept)  # kept for "print-1"
    assert shelf.kept() == ("print-1", kept)
    assert shelf.restore(0, shelf.kept()) == kept  # the store is still "print-1"
    assert shelf.restore(0, shelf.kept()) == {}  # it is "print-2" now
    assert shelf.kept() == (None, {}) and file.load("print-1") == {}, "forgotten"


def test_the_shelf_waits_for_a_write_under_way(tmp_path: Path, kept: dict[str, Any],
                                               rows: RowFolder) -> None:
    # regression guard: the fingerprint may be read while a write is under way (it then
    # shows the written store); the write's generation must be known before the check
    from api.report_file import ReportShelf

    file, lock, now = ReportFile(tmp_path / "r.sqlite"), threading.Lock(), [0]
    shelf = ReportShelf(file, lambda _: "print-after-the-write", lock, lambda: now[0],
                        rows)
    lock.acquire()  # the write
    saving = threading.Thread(target=shelf.save, args=(0, kept))
    saving.start()
    time.sleep(0.1)
    now[0] = 1  # the write's generation, served before it lets go of the lock
    lock.release()
    saving.join(5)
    assert file.load("print-after-the-write") == {}


@pytest.mark.parametrize("value", [
    [], {}, [[]], {"a": []}, "Đồng Nai", 3, None, True, 1.5,
    list(range(2_500)), [{"k": i, "v": [i, "đ"]} for i in range(1_001)],
    {"etag": "x", "events": [[str(i), i, None] for i in range(3_000)], "z": {"y": []}},
    {f"g{i}": i for i in range(2_345)}, {"graphs": {f"g{i}": [i] for i in range(1_500)}},
])
def test_json_written_in_pieces_is_json(value: Any) -> None:
    import json
    import zlib

    from api.report_file import _json_bytes

    text = zlib.decompress(_json_bytes(value)).decode("utf-8")
    assert json.loads(text) == value
    assert text == json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def test_each_whole_build_gets_a_new_worker_after_it(
        api_client: ClientFactory, disk_store: OxigraphStore) -> None:
    from test_api_support import wait_until

    client, _ = _served(api_client, disk_store, query_workers=1, keep_reports=False)
    runner = client.app.state.luocdo.runner
    assert runner.mode == "processes"
    assert runner.recycled == len(NAMES), "one new worker per report built whole"
    wait_until(lambda: runner.alive() == 1, 30)
    assert client.get("/obligations").status_code == 200
