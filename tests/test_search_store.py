"""The on-disk search index (api.search_store): answers, sync, readers, repair, the API."""

from __future__ import annotations

import shutil
import threading
import time
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from search_oracle import build_index, index_rows
from test_api_support import SAMPLES, load, samples_nquads

import api.search_store as search_store
from api.app import create_app
from api.search_source import NativeSource, Source, SparqlSource, source_for
from api.search_store import FILE_NAME, SearchStore, entries, match_expr
from api.settings import Settings
from graph.pipeline import ingest_paths
from graph.store import OxigraphStore

BASE = "https://data.luocdo.vn/"
FIXTURES = (samples_nquads,)  # pytest fixtures, used by name


@pytest.fixture
def disk_store(tmp_path: Path, samples_nquads: bytes) -> Iterator[OxigraphStore]:
    """The samples in an on-disk store of this test's own."""
    store = load(OxigraphStore(tmp_path / "store", base=BASE), samples_nquads)
    yield store
    store.close()


@pytest.fixture
def index(disk_store: OxigraphStore) -> Iterator[SearchStore]:
    """A built index of ``disk_store``, in the store's folder."""
    assert disk_store.path is not None
    made = SearchStore(disk_store.path / FILE_NAME, BASE)
    assert made.sync(source_for(disk_store)).full
    yield made
    made.close()


def _keys(found: list[Any]) -> list[str | None]:
    return [e.symbol or e.key for e in found]


def _page(index: SearchStore, **params: Any) -> list[str | None]:
    return _keys(index.search(limit=500, **params)[1])


@pytest.mark.parametrize(("q", "first"), [
    ("chi thi 15", "15/CT-TTg"),
    ("Chỉ thị số 15", "15/CT-TTg"),
    ("CHỈ THỊ 15", "15/CT-TTg"),
    ("ubnd ninh binh", "1876/UBND-VX"),
    ("uy ban nhan dan tinh ninh binh", "1876/UBND-VX"),
    ("33/ct-ttg", "33/CT-TTg"),
    ("2215/BNV-CQDP", "2215/BNV-CQĐP"),  # D for Đ
    ("2215/bnv-cqđp", "2215/BNV-CQĐP"),
    ("27-kl/tu", "27-KL/TU"),
    ("ket luan tinh uy", "27-KL/TU"),
    ("kết luận tỉnh ủy", "27-KL/TU"),
])
@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_first_result(index: SearchStore, q: str, first: str, form: str) -> None:
    found = _page(index, q=unicodedata.normalize(form, q))  # type: ignore[arg-type]
    assert found and found[0] == first, found


@pytest.mark.parametrize(("params", "included", "excluded"), [
    ({"q": "bnv"}, "3790/BC-BNV", "27-KL/TU"),
    ({"q": "bo noi vu"}, "3790/BC-BNV", "27-KL/TU"),
    ({"q": "ttg"}, "17/2024/QĐ-TTg", "124-QĐ/TW"),
    ({"q": "quyet dinh"}, "124-QĐ/TW", "33/CT-TTg"),
    ({"q": "quye"}, "124-QĐ/TW", "33/CT-TTg"),  # a prefix of 3+ letters
    ({"q": "qu"}, None, "124-QĐ/TW"),  # too short to be a prefix
    ({"q": "CT", "doc_type": "chi-thi"}, "15/CT-TTg", "27-KL/TU"),  # type code → "chỉ thị"
    ({"q": "KH"}, "12/KH-UBND", "27-KL/TU"),
    ({"issuer": "UBND Ninh Bình"}, "1876/UBND-VX", "3790/BC-BNV"),
    ({"issuer": "tinh uy", "doc_type": "ket-luan"}, "27-KL/TU", "1876/UBND-VX"),
    ({"doc_type": "chi-thi", "year": 2024}, "15/CT-TTg", "33/CT-TTg"),
])
def test_included(index: SearchStore, params: dict[str, Any], included: str | None,
                  excluded: str) -> None:
    found = _page(index, **params)
    assert (included is None or included in found) and excluded not in found, found


@pytest.mark.parametrize("q", [None, "chi thi 15", "so 15", "ubnd 2025",
                               "thu tuong chinh phu", "ban hanh", "kế hoạch số 12",
                               '" OR * NOT ('])
@pytest.mark.parametrize("params", [{}, {"type": "cong-van"}, {"issuer": "UBND"},
                                    {"issuer": "bo noi vu", "year": 2025}])
@pytest.mark.parametrize("small", [3000, 0])  # one sorted query; tier by tier
def test_same_answers_as_search_index(disk_store: OxigraphStore, index: SearchStore,
                                      monkeypatch: pytest.MonkeyPatch, q: str | None,
                                      params: dict[str, Any], small: int) -> None:
    monkeypatch.setattr(search_store, "_SMALL", small)
    old = build_index(index_rows(disk_store), BASE)
    kw: dict[str, Any] = {"doc_type": params.get("type"), "issuer": params.get("issuer"),
                          "year": params.get("year")}
    expected = [e.iri for e in old.search(q, **kw)]
    total, page = index.search(q, limit=500, **kw)
    assert (total, [e.iri for e in page]) == (len(expected), expected)


def test_entries_equal_search_index(disk_store: OxigraphStore, index: SearchStore) -> None:
    old = build_index(index_rows(disk_store), BASE)
    assert list(entries(index)) == list(old.entries)


@pytest.mark.parametrize(("limit", "offset"), [(5, 0), (5, 5), (7, 40), (50, 3), (3, 10_000)])
def test_pages(index: SearchStore, limit: int, offset: int) -> None:
    total, everything = index.search("thuc hien", limit=500)
    page_total, page = index.search("thuc hien", limit=limit, offset=offset)
    assert page_total == total > 5
    assert [e.iri for e in page] == [e.iri for e in everything[offset:offset + limit]]


@pytest.mark.parametrize(("query", "issuer", "expected"), [
    (("chi", "thi", "so", "15"), (), '"chi"* AND "thi"* AND "15"'),
    (("v", "15"), (), '"15"'),
    (("quyet",), (), '"quyet"*'),
    (("so", "ngay"), (), None),
    ((), ("ninh",), '{sym iss} : "ninh"*'),
    (("bnv",), (), '("bnv"* OR ("bo" AND "noi"* AND "vu"))'),
])
def test_match_expr(query: tuple[str, ...], issuer: tuple[str, ...],
                    expected: str | None) -> None:
    assert match_expr(query, issuer) == expected


# --- keeping in step --------------------------------------------------------------------------


def _all(index: SearchStore) -> list[Any]:
    return list(entries(index))


def _rebuilt(store: OxigraphStore, tmp_path: Path) -> list[Any]:
    fresh = SearchStore(tmp_path / "fresh.sqlite", BASE)
    fresh.sync(source_for(store), full=True)
    out = _all(fresh)
    fresh.close()
    return out


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.parametrize("source", [NativeSource, SparqlSource])
def test_sync_add_change_remove(tmp_path: Path, source: type[Source]) -> None:
    store = OxigraphStore(tmp_path / "store", base=BASE)
    files = sorted(SAMPLES.glob("*.txt"))
    mine = tmp_path / "kl.txt"
    shutil.copy(files[4], mine)  # the 27-KL/TU conclusion
    assert ingest_paths(store, files[:4]).ok
    index = SearchStore(tmp_path / "index.sqlite", BASE)

    def read() -> Source:
        native = store.native
        return NativeSource(store, native) if source is NativeSource else SparqlSource(store)

    index.sync(read())
    assert "27-KL/TU" not in _page(index, q="27-KL/TU")

    assert ingest_paths(store, [mine]).ok  # added
    report = index.sync(read())
    assert not report.full and report.sources_changed == 1
    assert _page(index, q="ket luan tinh uy")[0] == "27-KL/TU"
    assert _all(index) == _rebuilt(store, tmp_path)

    _edit(mine, "tăng cường tiếp nhận", "củng cố tiếp nhận")  # changed
    assert ingest_paths(store, [mine]).ok
    assert index.sync(read()).sources_changed == 1
    assert "27-KL/TU" in _page(index, q="cung co tiep nhan")
    assert "27-KL/TU" not in _page(index, q="tang cuong tiep nhan")
    assert _all(index) == _rebuilt(store, tmp_path)

    graph = next(s.graph for s in store.sources() if s.path.endswith("kl.txt"))
    store.remove_source(graph)  # removed
    assert index.sync(read()).sources_changed == 1
    assert "27-KL/TU" not in _page(index, q="ket luan tinh uy")
    assert _all(index) == _rebuilt(store, tmp_path)
    assert index.sync(read()).sources_changed == 0
    index.close()
    store.close()


def _four_samples(tmp_path: Path) -> tuple[OxigraphStore, list[Path]]:
    """A store of the first four sample files, and every sample file."""
    store = OxigraphStore(tmp_path / "store", base=BASE)
    files = sorted(SAMPLES.glob("*.txt"))
    assert ingest_paths(store, files[:4]).ok
    return store, files


def test_reader_during_sync_sees_old_or_new(tmp_path: Path) -> None:
    store, files = _four_samples(tmp_path)
    index = SearchStore(tmp_path / "index.sqlite", BASE)
    index.sync(source_for(store))
    before = index.search("thuc hien", limit=500)[0]
    seen: set[int] = set()
    errors: list[BaseException] = []
    done = threading.Event()

    def reader() -> None:
        while not done.is_set():
            try:
                seen.add(index.search("thuc hien", limit=500)[0])
            except BaseException as exc:
                errors.append(exc)

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        assert ingest_paths(store, files[4:]).ok
        index.sync(source_for(store))
        after = index.search("thuc hien", limit=500)[0]
        time.sleep(0.05)
    finally:
        done.set()
        thread.join()
    assert not errors and after > before and seen <= {before, after}
    index.close()
    store.close()


@pytest.mark.parametrize("damage", ["garbage", "truncated", "missing", "other-base"])
def test_damaged_index_is_rebuilt(disk_store: OxigraphStore, index: SearchStore,
                                  damage: str) -> None:
    expected = _all(index)
    index.close()
    path = index.path
    if damage == "garbage":
        path.write_bytes(b"not a database at all\x00" * 200)
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[:2048])
    elif damage == "missing":
        path.unlink()
    again = SearchStore(path, "https://other.example/" if damage == "other-base" else BASE)
    report = again.sync(source_for(disk_store))
    assert report.full and report.documents == len(expected)
    if damage != "other-base":
        assert _all(again) == expected
    again.close()


def test_odd_documents_do_not_sink_the_build(disk_store: OxigraphStore,
                                             index: SearchStore) -> None:
    disk_store.update("""PREFIX lo: <https://w3id.org/luocdo/ontology#>
        PREFIX eli: <http://data.europa.eu/eli/ontology#>
        INSERT DATA { GRAPH <https://data.luocdo.vn/graph/odd> {
          <https://data.luocdo.vn/odd/1> a lo:Document ; lo:identityKey "ODD@abcd" ;
            eli:date_document "2024-13-45" ; eli:title "!!! ???" ; lo:documentType "x" .
          <https://data.luocdo.vn/odd/2> a lo:Document ; eli:title "khong co khoa" .
        } }""")
    report = index.sync(source_for(disk_store), full=True)
    assert report.skipped == 0
    found = index.search("odd")[1]
    assert [e.key for e in found] == ["ODD@abcd"] and found[0].date is None
    assert index.search("khong co khoa")[0] == 0  # no identity key: not listed


# --- through the app --------------------------------------------------------------------------


def _held(gate: threading.Event) -> Any:
    """A ``source_for`` whose field reads wait for ``gate`` (a build that takes long)."""

    class Held(NativeSource):
        def fields(self, iris: Any) -> Iterator[tuple[str, str, str]]:
            gate.wait(10)
            yield from super().fields(iris)

    return lambda store: Held(store, store.native)


def _search(state: Any, q: str, **params: Any) -> tuple[int, list[Any]]:
    total, page, _ = _searched(state, q, **params)
    return total, page


def _searched(state: Any, q: str, **params: Any) -> tuple[int, list[Any], bool]:
    """(total, page, stale) of ``AppState.search``."""
    import asyncio

    kw = {"doc_type": None, "issuer": None, "year": None, "limit": 5, "offset": 0, **params}
    result: tuple[int, list[Any], bool] = asyncio.run(state.search(q, **kw))
    return result


def test_at_start_the_kept_index_is_searched_at_once(disk_store: OxigraphStore,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """While a start compares every source with the index (8 s at 300,000 documents),
    the index as the last run left it is searched at once, the answer marked stale;
    ``current`` waits for the check (here past the time limit: the answer still
    stale)."""
    import api.deps

    first = create_app(Settings(query_workers=0, base_iri=BASE), disk_store).state.luocdo
    try:
        assert first.search_keeper().wait(first.generation, 20)
        expected = _search(first, "chi thi 15")
    finally:
        first.close()
    gate = threading.Event()

    class Checking(NativeSource):
        def fingerprint(self, graphs: Any = None) -> dict[str, str]:
            assert gate.wait(10)
            return super().fingerprint(graphs)

    monkeypatch.setattr(api.deps, "source_for", lambda store: Checking(store, store.native))
    _forget_mark(disk_store)  # an index without a recorded fingerprint: the start scans
    app = create_app(Settings(query_workers=0, base_iri=BASE, query_timeout_s=0.5),
                     disk_store)
    state = app.state.luocdo
    try:
        state.start_search_index()
        started = time.monotonic()
        assert _searched(state, "chi thi 15") == (*expected, True)
        assert time.monotonic() - started < 0.4, "not waited for"
        started = time.monotonic()
        assert _searched(state, "chi thi 15", current=True) == (*expected, True)
        assert time.monotonic() - started >= 0.5, "waited for, up to the time limit"
        with TestClient(app) as client:
            response = client.get("/documents", params={"q": "chi thi 15"})
            assert response.headers["X-Report-Stale"] == "true"
            gate.set()
            assert state.search_keeper().wait(state.generation, 20)
            assert _searched(state, "chi thi 15") == (*expected, False)
            assert "X-Report-Stale" not in client.get("/documents",
                                                      params={"q": "chi thi 15"}).headers
    finally:
        gate.set()
        state.close()


def _forget_mark(store: OxigraphStore) -> None:
    assert store.path is not None
    index = SearchStore(store.path / FILE_NAME, BASE)
    with index._writer_conn() as conn:
        conn.execute("DELETE FROM meta WHERE k = 'mark'")
    index.close()


class _Scans(NativeSource):
    """A source that counts the reads of every source's fingerprint (the start-up scan)."""

    scans = 0

    def fingerprint(self, graphs: Any = None) -> dict[str, str]:
        if graphs is None:
            type(self).scans += 1
        return super().fingerprint(graphs)


def _started(store: OxigraphStore) -> Any:
    """A new app over ``store`` whose search index has caught up with the store."""
    state = create_app(Settings(query_workers=0, base_iri=BASE), store).state.luocdo
    assert state.search_keeper().wait(state.generation, 20)
    return state


def test_a_start_skips_the_scan_while_the_store_is_as_the_index_recorded(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The index records the store's fingerprint once in step with it (read for the
    kept answers anyway); a start whose store still has it compares no source, one
    whose store changed while the server was stopped scans and finds the change."""
    import api.deps

    class Scans(_Scans):
        scans = 0

    monkeypatch.setattr(api.deps, "source_for", lambda store: Scans(store, store.native))
    store, files = _four_samples(tmp_path)
    try:
        state = _started(store)  # a first build, then the fingerprint read: recorded
        mark = state.store_mark(state.generation)
        assert state.search_keeper().index.mark() == mark
        state.close()

        Scans.scans = 0  # the build read every source's fingerprint
        state = _started(store)
        assert Scans.scans == 0, "no source compared"
        assert _searched(state, "chi thi 15", current=True)[2] is False
        assert _search(state, "ket luan tinh uy")[0] == 0
        state.close()

        assert ingest_paths(store, files[4:]).ok  # while stopped
        state = _started(store)
        assert Scans.scans == 1, "the store changed: every source compared"
        total, page = _search(state, "ket luan tinh uy")
        assert total >= 1 and page[0].symbol == "27-KL/TU"
        # the fingerprint read at start is recorded once the scan caught up
        assert state.search_keeper().index.mark() == state.store_mark(state.generation)
        state.close()
    finally:
        store.close()


def test_a_sync_that_changes_the_index_drops_its_recorded_mark(tmp_path: Path) -> None:
    store, files = _four_samples(tmp_path)
    index = SearchStore(tmp_path / "index.sqlite", BASE)
    try:
        index.sync(source_for(store))
        assert index.mark() is None  # a build records none
        index.set_mark("m1")
        assert index.sync(source_for(store), scan=True).sources_changed == 0
        assert index.mark() == "m1", "nothing changed: still that state's"
        assert ingest_paths(store, files[4:]).ok
        assert index.sync(source_for(store)).sources_changed >= 1
        assert index.mark() is None
        index.set_mark("m2")
        index.sync(source_for(store), full=True)
        assert index.mark() is None
    finally:
        index.close()
        store.close()


def test_a_mark_is_recorded_only_for_the_generation_synced(tmp_path: Path) -> None:
    """``note_mark``: a fingerprint read at a generation the index has not caught up with
    waits for its sync; one read before a write that came after it is never recorded."""
    store, files = _four_samples(tmp_path)
    index = SearchStore(tmp_path / "index.sqlite", BASE)
    now = [0]
    keeper = search_store.IndexKeeper(index, lambda: source_for(store),
                                      mark=lambda g: f"mark-{g}", generation=lambda: now[0])
    try:
        keeper.note_mark(0, "mark-0")  # before the first build: waits for it
        assert index.mark() is None
        keeper.request(0)
        assert keeper.wait(0, 20)
        assert index.mark() == "mark-0"
        assert ingest_paths(store, files[4:]).ok
        now[0] = 1  # a write: the index is behind until its sync
        keeper.note_mark(1, "mark-1")
        keeper.request(1)
        assert keeper.wait(1, 20)
        assert index.mark() == "mark-1"
        now[0] = 2  # another write before a fingerprint read at 1 is noted
        keeper.note_mark(1, "late")
        assert index.mark() == "mark-1"
    finally:
        keeper.stop()
        store.close()


def test_app_answers_503_while_building(disk_store: OxigraphStore,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import api.deps
    from api.errors import Problem

    gate = threading.Event()
    monkeypatch.setattr(api.deps, "source_for", _held(gate))
    app = create_app(Settings(query_workers=0, base_iri=BASE, query_timeout_s=0.2),
                     disk_store)
    state = app.state.luocdo
    try:
        with pytest.raises(Problem) as caught:
            _search(state, "chi thi")
        problem = caught.value
        assert problem.status == 503 and problem.headers["Retry-After"] == "5"
        assert problem.extra["cause"] == "building"
        assert "chỉ mục" in problem.body("vi")["detail"].lower()
        gate.set()
        assert state.search_keeper().wait(state.generation, 20)
        total, page = _search(state, "chi thi 15")
        assert total >= 1 and page[0].symbol == "15/CT-TTg"
    finally:
        gate.set()
        state.close()


def test_app_search_sees_its_writes(tmp_path: Path) -> None:
    store, files = _four_samples(tmp_path)
    app = create_app(Settings(query_workers=0, base_iri=BASE), store)
    state = app.state.luocdo
    try:
        assert _search(state, "ket luan tinh uy")[0] == 0
        assert ingest_paths(store, files[4:]).ok
        state.after_write()
        total, page = _search(state, "ket luan tinh uy")
        assert total >= 1 and page[0].symbol == "27-KL/TU"
        assert state.search_keeper().index.path == tmp_path / "store" / FILE_NAME
    finally:
        state.close()
        store.close()


def test_app_rebuilds_a_corrupt_index(disk_store: OxigraphStore) -> None:
    app = create_app(Settings(query_workers=0, base_iri=BASE), disk_store)
    state = app.state.luocdo
    keeper = state.search_keeper()
    try:
        assert keeper.wait(state.generation, 20)
        expected = _search(state, "chi thi 15")
        keeper.index.close()
        keeper.index.path.write_bytes(b"\x00garbage" * 1000)
        for _ in range(200):  # the first search after the damage may answer 503
            try:
                if _search(state, "chi thi 15") == expected:
                    break
            except Exception:
                pass
            time.sleep(0.05)
        assert _search(state, "chi thi 15") == expected
    finally:
        state.close()


def test_source_for_picks_native(disk_store: OxigraphStore) -> None:
    assert isinstance(source_for(disk_store), NativeSource)

