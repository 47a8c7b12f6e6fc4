"""``api.report_keeper.ReportKeeper``: which reports it builds, in which order, what it
keeps across store generations and what a failed build leaves behind.

The reports here are small functions of a "store" (a dict) so that a test can hold a
build open (``Gate``) and look at the keeper in the middle of it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from api.report_keeper import Pending, ReportKeeper

WAIT = 5.0  # seconds any step may take before the test fails


class Gate:
    """Holds every build open until ``open()``; records the order builds started in."""

    def __init__(self) -> None:
        self.started: list[str] = []
        self._open = threading.Event()
        self._lock = threading.Lock()

    def report(self, name: str, value: Any) -> Callable[[Any], Any]:
        def build(store: Any) -> Any:
            generation = store["generation"]  # what the build reads, as it starts
            with self._lock:
                self.started.append(name)
            assert self._open.wait(WAIT), f"{name} was never let through"
            if isinstance(value, Exception):
                raise value
            return (value, generation)
        return build

    def open(self) -> None:
        self._open.set()


def _until(check: Callable[[], bool]) -> None:
    deadline = time.monotonic() + WAIT
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


@pytest.fixture
def made() -> Iterator[list[ReportKeeper]]:
    keepers: list[ReportKeeper] = []
    yield keepers
    for keeper in keepers:
        keeper.stop()


def _keeper(made: list[ReportKeeper], reports: dict[str, Callable[[Any], Any]],
            store: dict[str, int], *, warm: bool = True) -> ReportKeeper:
    keeper = ReportKeeper(reports, lambda task: task(store), warm=warm)
    made.append(keeper)
    return keeper


def _answer(keeper: ReportKeeper, name: str) -> Any:
    """The answer, waiting (like a request that waits long enough)."""
    deadline = time.monotonic() + WAIT
    while isinstance(found := keeper.answer(name), Pending):
        assert time.monotonic() < deadline, f"{name} never built"
        time.sleep(0.005)
    return found


def test_warm_builds_every_report_in_order_and_keeps_them(made: list[ReportKeeper]) -> None:
    gate, store = Gate(), {"generation": 0}
    keeper = _keeper(made, {n: gate.report(n, n.upper()) for n in ("a", "b", "c")}, store)
    keeper.request(0)
    gate.open()
    assert keeper.wait_idle(WAIT)
    assert gate.started == ["a", "b", "c"] and set(keeper.built()) == {"a", "b", "c"}
    assert keeper.answer("b") == ("B", 0)
    assert gate.started == ["a", "b", "c"], "a kept answer is not built again"


def test_an_asked_report_is_built_next(made: list[ReportKeeper]) -> None:
    gate, store = Gate(), {"generation": 0}
    keeper = _keeper(made, {n: gate.report(n, n) for n in ("a", "b", "c", "d")}, store)
    keeper.request(0)
    _until(lambda: gate.started == ["a"])  # "a" is being built, b, c, d wait
    assert isinstance(keeper.answer("d"), Pending)
    gate.open()
    assert _answer(keeper, "d") == ("d", 0)
    assert keeper.wait_idle(WAIT)
    assert gate.started == ["a", "d", "b", "c"]


def test_without_warming_only_asked_reports_are_built(made: list[ReportKeeper]) -> None:
    gate, store = Gate(), {"generation": 0}
    gate.open()
    keeper = _keeper(made, {n: gate.report(n, n) for n in ("a", "b")}, store, warm=False)
    keeper.request(0)
    assert keeper.wait_idle(WAIT) and gate.started == [] and keeper.built() == ()
    assert _answer(keeper, "b") == ("b", 0)
    assert gate.started == ["b"]


def test_a_new_generation_forgets_the_answers_and_drops_a_stale_build(
        made: list[ReportKeeper]) -> None:
    gate, store = Gate(), {"generation": 0}
    keeper = _keeper(made, {"a": gate.report("a", "a")}, store)
    keeper.request(0)
    _until(lambda: gate.started == ["a"])  # built against generation 0 ...
    store["generation"] = 1  # ... while a write happens
    keeper.request(1)
    gate.open()
    assert _answer(keeper, "a") == ("a", 1), "the stale answer is never served"
    assert gate.started == ["a", "a"]
    keeper.request(1)  # the same generation again: nothing to do
    assert keeper.wait_idle(WAIT) and gate.started == ["a", "a"]


def _fails_once(calls: list[int]) -> Callable[[Any], str]:
    """A report whose first build fails; each build is counted in ``calls``."""
    def flaky(store: Any) -> str:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("the store went away")
        return "fine"
    return flaky


def test_a_failed_build_reaches_its_asker_once_then_is_built_again(
        made: list[ReportKeeper]) -> None:
    calls: list[int] = []
    flaky = _fails_once(calls)
    keeper = _keeper(made, {"a": flaky}, {"generation": 0}, warm=False)
    keeper.request(0)
    assert isinstance(keeper.answer("a"), Pending)
    deadline = time.monotonic() + WAIT
    with pytest.raises(RuntimeError, match="went away"):
        while isinstance(keeper.answer("a"), Pending):
            assert time.monotonic() < deadline
            time.sleep(0.005)
    assert _answer(keeper, "a") == "fine" and len(calls) == 2


def test_a_failed_warm_build_nobody_asked_for_is_not_kept(
        made: list[ReportKeeper], caplog: pytest.LogCaptureFixture) -> None:
    calls: list[int] = []
    flaky = _fails_once(calls)
    keeper = _keeper(made, {"a": flaky}, {"generation": 0})
    keeper.request(0)
    assert keeper.wait_idle(WAIT) and keeper.built() == ()
    assert "went away" in caplog.text
    assert _answer(keeper, "a") == "fine", "the first asker gets a fresh build, no error"


def test_an_unknown_report_is_refused(made: list[ReportKeeper]) -> None:
    keeper = _keeper(made, {"a": lambda store: 1}, {"generation": 0}, warm=False)
    with pytest.raises(KeyError):
        keeper.answer("b")


def test_a_stopped_keeper_builds_nothing_more(made: list[ReportKeeper]) -> None:
    gate, store = Gate(), {"generation": 0}
    keeper = _keeper(made, {n: gate.report(n, n) for n in ("a", "b")}, store)
    keeper.request(0)
    _until(lambda: gate.started == ["a"])
    keeper.stop()
    gate.open()
    time.sleep(0.1)
    assert gate.started == ["a"]


def test_a_build_cut_by_the_shutdown_is_not_logged(made: list[ReportKeeper],
                                                   caplog: pytest.LogCaptureFixture) -> None:
    started, closing = threading.Event(), threading.Event()

    def cut(store: Any) -> str:
        started.set()
        assert closing.wait(WAIT)
        raise RuntimeError("the runner was closed")

    keeper = _keeper(made, {"a": cut}, {"generation": 0})
    keeper.request(0)
    assert started.wait(WAIT)
    keeper.stop()  # the server shuts down: the runner is closed under the build
    closing.set()
    assert keeper.wait_idle(WAIT)
    assert "runner was closed" not in caplog.text


# --- updates: answers brought up to date after a write ------------------------------------------


class Counted:
    """A report built whole (``build``) and brought up to date (``update``), both counted:
    the answer is the set of writes it reflects."""

    def __init__(self, store: dict[str, Any], *, declines: bool = False,
                 fails: bool = False) -> None:
        self.store, self.declines, self.fails = store, declines, fails
        self.builds = 0
        self.updates: list[tuple[Any, frozenset[str]]] = []

    def build(self, store: Any) -> Any:
        self.builds += 1
        return frozenset(store["writes"])

    def update(self, answer: Any, touched: frozenset[str], run: Callable[..., Any]) -> Any:
        self.updates.append((answer, touched))
        if self.fails:
            raise RuntimeError("the update broke")
        if self.declines:
            return None
        return answer | run(lambda store, t: frozenset(store["writes"]) & t, touched)


def _updating(made: list[ReportKeeper], report: Counted) -> ReportKeeper:
    keeper = ReportKeeper({"r": report.build}, lambda task, *args: task(report.store, *args),
                          updates={"r": report.update})
    made.append(keeper)
    return keeper


def _write(keeper: ReportKeeper, store: dict[str, Any], generation: int,
           touched: set[str] | None) -> None:
    store["writes"] |= touched or {f"unknown-{generation}"}
    keeper.request(generation, touched)


def test_an_answer_is_brought_up_to_date_after_a_write(made: list[ReportKeeper]) -> None:
    store: dict[str, Any] = {"writes": {"w0"}}
    report = Counted(store)
    keeper = _updating(made, report)
    keeper.request(0)
    assert _answer(keeper, "r") == {"w0"} and report.builds == 1
    _write(keeper, store, 1, {"w1"})
    assert _answer(keeper, "r") == {"w0", "w1"}
    assert report.builds == 1 and report.updates == [({"w0"}, {"w1"})]


def test_writes_not_caught_up_with_add_up(made: list[ReportKeeper]) -> None:
    store: dict[str, Any] = {"writes": {"w0"}}
    report = Counted(store)
    keeper = _updating(made, report)
    keeper.request(0)
    assert _answer(keeper, "r") == {"w0"}
    with keeper._cond:  # the thread is held back while both writes come in
        _write(keeper, store, 1, {"w1"})
        _write(keeper, store, 2, {"w2"})
    assert _answer(keeper, "r") == {"w0", "w1", "w2"}
    assert report.builds == 1 and report.updates == [({"w0"}, {"w1", "w2"})]


@pytest.mark.parametrize("case", ["unknown-write", "declines", "fails"])
def test_otherwise_the_report_is_built_whole(made: list[ReportKeeper], case: str,
                                            caplog: pytest.LogCaptureFixture) -> None:
    store: dict[str, Any] = {"writes": {"w0"}}
    report = Counted(store, declines=case == "declines", fails=case == "fails")
    keeper = _updating(made, report)
    keeper.request(0)
    assert _answer(keeper, "r") == {"w0"}
    _write(keeper, store, 1, None if case == "unknown-write" else {"w1"})
    assert _answer(keeper, "r") == frozenset(store["writes"])
    assert report.builds == 2
    assert len(report.updates) == (0 if case == "unknown-write" else 1)
    assert ("could not be brought up to date" in caplog.text) == (case == "fails")


@pytest.mark.parametrize(("touched", "stale"), [
    ({"w1"}, {"w0"}),  # brought up to date: the answer before the write meanwhile
    (None, None),  # built whole (the write's changes unknown): nothing to serve meanwhile
])
def test_the_answer_before_a_write_while_it_is_brought_up_to_date(
        made: list[ReportKeeper], touched: set[str] | None, stale: Any) -> None:
    store: dict[str, Any] = {"writes": {"w0"}}
    report = Counted(store)
    keeper = _updating(made, report)
    keeper.request(0)
    assert _answer(keeper, "r") == {"w0"} and keeper.stale("r") is None  # current
    with keeper._cond:  # the thread is held back: the write's update has not run
        _write(keeper, store, 1, touched)
        assert keeper.stale("r") == stale
    assert _answer(keeper, "r") == frozenset(store["writes"])
    assert keeper.stale("r") is None  # current again: no stale answer


def test_a_report_never_built_is_built_whole(made: list[ReportKeeper]) -> None:
    store: dict[str, Any] = {"writes": {"w0"}}
    report = Counted(store)
    keeper = ReportKeeper({"r": report.build}, lambda task, *args: task(store, *args),
                          warm=False, updates={"r": report.update})
    made.append(keeper)
    keeper.request(0)
    _write(keeper, store, 1, {"w1"})  # nothing was built at generation 0
    assert _answer(keeper, "r") == {"w0", "w1"}
    assert report.builds == 1 and report.updates == []


def test_reports_with_an_update_come_first_after_a_write(made: list[ReportKeeper]) -> None:
    store: dict[str, Any] = {"writes": {"w0"}}
    order: list[str] = []
    updated = Counted(store)

    def whole(name: str) -> Callable[[Any], Any]:
        def build(s: Any) -> Any:
            order.append(name)
            return name
        return build

    def update(answer: Any, touched: frozenset[str], run: Callable[..., Any]) -> Any:
        order.append("u")
        return updated.update(answer, touched, run)

    keeper = ReportKeeper({"a": whole("a"), "b": whole("b"), "u": updated.build},
                          lambda task, *args: task(store, *args), updates={"u": update})
    made.append(keeper)
    keeper.request(0)
    assert keeper.wait_idle(WAIT) and order == ["a", "b"]  # "u" built whole, not logged
    _write(keeper, store, 1, {"w1"})
    assert keeper.wait_idle(WAIT) and order == ["a", "b", "u", "a", "b"]


def test_whole_builds_and_updates_run_as_told(made: list[ReportKeeper]) -> None:
    """A whole build goes through ``whole`` (the API replaces the worker after it), an
    update's reads through ``run``."""
    store: dict[str, Any] = {"writes": {"w0"}}
    report = Counted(store)
    ran: list[str] = []

    def run(task: Any, *args: Any) -> Any:
        ran.append("run")
        return task(store, *args)

    def whole(task: Any) -> Any:
        ran.append("whole")
        return task(store)

    keeper = ReportKeeper({"r": report.build}, run, updates={"r": report.update},
                          whole=whole)
    made.append(keeper)
    keeper.request(0)
    assert _answer(keeper, "r") == {"w0"}
    _write(keeper, store, 1, {"w1"})
    assert _answer(keeper, "r") == {"w0", "w1"}
    assert ran == ["whole", "run"]


class Box:
    """An answer that can be watched for being let go (``weakref``)."""

    def __init__(self, writes: frozenset[str]) -> None:
        self.writes = writes


def test_an_answer_brought_up_to_date_lets_go_of_the_one_before(
        made: list[ReportKeeper]) -> None:
    # regression: the keeper held the answer each report was brought up to date from
    # until the next write, so two generations of every report stayed alive (the old
    # row tables on disk, before them the old rows in memory)
    import gc
    import weakref

    store: dict[str, Any] = {"writes": {"w0"}}

    def build(s: Any) -> Box:
        return Box(frozenset(s["writes"]))

    def update(answer: Box, touched: frozenset[str], run: Callable[..., Any]) -> Box:
        return Box(answer.writes | touched)

    keeper = ReportKeeper({"r": build}, lambda task, *args: task(store, *args),
                          updates={"r": update})
    made.append(keeper)
    keeper.request(0)
    first = _answer(keeper, "r")
    gone = weakref.ref(first)
    del first
    _write(keeper, store, 1, {"w1"})
    assert _answer(keeper, "r").writes == {"w0", "w1"}
    assert keeper.wait_idle(WAIT)
    gc.collect()
    assert gone() is None, "the answer of generation 0 is still held"
