"""Whole-store reports, built once per store generation by a background thread.

``/calendar.ics``, ``/conflicts``, ``/submissions`` (without ``obligation``) and
``/obligations`` without a due window each read every obligation, citation or table of
the store. At 100,000 documents that takes 1–10 s, close to the per-request limit
(``query_timeout_s``, 10 s by default), and past it on a slower machine or a larger
store: such a report, computed inside a request, would then never be served at all.

The keeper builds these reports outside the requests, one at a time (so at most one
query worker is kept busy and the others answer requests), under their own, longer limit
(``report_timeout_s``). It starts building them when the server starts and again after
every write (``request``), and keeps the answers of the current store generation only.
A request that finds its report built gets it at once; one that finds it still being
built moves it to the front of the queue and waits up to the request limit, then gets
**503** with ``Retry-After`` while the build goes on (``AppState.report``).

A build that fails is not kept: its error goes to the requests that were waiting for it
(a build nobody asked for fails silently, into the log), and the next request builds
the report again.

While a report is brought up to date, its answer before the write can be served
(``stale``), marked as such (``AppState.served_report``), rather than kept waiting.

A report with an *update* (``updates``) is not built again after a write whose touched
nodes are known: its last answer is brought up to date from them (at 100,000 documents,
a fraction of a second against seconds). Several writes before the update runs add up
their touched nodes; a write whose changes are unknown (``touched`` None), an update that
declines (returns None) or fails, and a report never built, are built whole.

With a *shelf* (``keep``, ``api.report_file.ReportShelf``) the reports outlive the
server: before its first build the keeper takes back the answers the shelf kept for the
store as it is (a restart of an unchanged store builds nothing), and once every report of
a generation is built it hands them to the shelf to keep. Whether they are of the store
as it is takes a read of the whole store's provenance (at 300,000 documents 3–6 s):
meanwhile they are served stale, and so they are, should the store have changed, until
each is built again.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

__all__ = ["Pending", "ReportKeeper", "Shelf"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Pending:
    """A report still being built (or waiting its turn) for the current generation."""

    name: str


@dataclass
class _State:
    """What the keeper holds for one store generation."""

    generation: int
    answers: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, Exception] = field(default_factory=dict)
    queue: list[str] = field(default_factory=list)
    asked: set[str] = field(default_factory=set)  # reports a request waits for
    building: str | None = None
    # report → (its answer of an older generation, every node touched since)
    bases: dict[str, tuple[Any, frozenset[str]]] = field(default_factory=dict)
    kept: bool = False  # the shelf holds (or was given) this generation's answers
    restored: tuple[str, ...] = ()  # the answers the shelf gave back
    # what the shelf keeps, before it is known to be of the store as it is (served stale
    # meanwhile; a report built drops its own)
    early: dict[str, Any] = field(default_factory=dict)


Update = Callable[[Any, frozenset[str], Callable[..., Any]], Any]

# What the keeper's thread does when it is not building a report: taking back the kept
# answers (``_State.building``), or starting their saving (``_next``).
_RESTORING = "\0restoring"
_SAVING = "\0saving"


class Shelf(Protocol):
    """Where the reports outlive the server (``api.report_file.ReportShelf``)."""

    def kept(self) -> tuple[str | None, Mapping[str, Any]]:
        """What is kept, whatever store it was kept for: that store's fingerprint and
        the answers by name (read without reading the store)."""

    def restore(self, generation: int,
                kept: tuple[str | None, Mapping[str, Any]]) -> Mapping[str, Any]:
        """The answers of ``kept`` if they were kept for the store as it is at
        ``generation`` (else none), by name."""

    def save(self, generation: int, answers: Mapping[str, Any]) -> None:
        """Keep ``answers``, every report of ``generation`` (nothing when the store has
        moved on)."""


class ReportKeeper:
    """Builds the ``reports`` (name → task taking the store) with ``run`` (a task and its
    arguments → its answer, in a query worker under the reports' limit) on a background
    thread.

    Args:
        reports: the reports, by name.
        run: runs one task (a function of the store, then ``args``) and returns its
            answer (raises on failure).
        warm: build every report after start-up and after each write, not only the ones
            requests ask for.
        updates: report name → ``update(answer, touched, run)``: the answer after a
            write that touched ``touched``, from the ``answer`` before it (None: build
            it whole).
        keep: where the reports outlive the server (None: nowhere).
        whole: runs a report's whole build (default: ``run``).
        adopt: given every answer a build or an update gives, before it is kept
            (``api.row_table.RowFolder.adopt``: a row table lives as long as its answer).
    """

    def __init__(self, reports: Mapping[str, Callable[[Any], Any]],
                 run: Callable[..., Any], *, warm: bool = True,
                 updates: Mapping[str, Update] | None = None,
                 keep: Shelf | None = None,
                 whole: Callable[[Callable[[Any], Any]], Any] | None = None,
                 adopt: Callable[[Any], Any] | None = None) -> None:
        self._reports = dict(reports)
        self._adopt = adopt or (lambda answer: answer)
        self._run = run
        self._whole = whole or run
        self._warm = warm
        self._updates = dict(updates or {})
        self._keep = keep
        self._restored = keep is None
        self._saving = 0  # savings under way (each on its own thread), any generation
        self._cond = threading.Condition()
        self._state = _State(generation=-1)
        self._thread: threading.Thread | None = None
        self._stopped = False

    @property
    def warm(self) -> bool:
        """Whether every report is built after each write, asked for or not."""
        return self._warm

    def request(self, generation: int, touched: Iterable[str] | None = None) -> None:
        """The store is now at ``generation``: forget the answers of any other, and (when
        warming) queue every report to be built.

        Args:
            generation: the store's generation.
            touched: the nodes the writes since the previous generation touched (None:
                unknown), from which a report with an update is brought up to date.
        """
        with self._cond:
            old = self._state
            if generation == old.generation:
                return
            bases = self._bases(old, touched)
            # reports brought up to date first: a fraction of a second each, where one
            # built whole may take tens of seconds
            queue = sorted(self._reports, key=lambda name: name not in bases)
            self._state = _State(generation, queue=queue if self._warm else [], bases=bases)
            self._cond.notify_all()
        if self._warm:
            self._ensure_thread()

    def answer(self, name: str) -> Any:
        """The answer of report ``name`` for the current generation, or ``Pending`` while it
        is built (it is then built next, before any report no request waits for).

        Raises:
            KeyError: no such report. The build's own error, when the build a request
                waited for failed (once; the next call builds the report again).
        """
        if name not in self._reports:
            raise KeyError(name)
        with self._cond:
            state = self._state
            if name in state.answers:
                return state.answers[name]
            if name in state.errors:
                raise state.errors.pop(name)
            state.asked.add(name)
            if state.building != name:
                if name in state.queue:
                    state.queue.remove(name)
                state.queue.insert(0, name)
                self._cond.notify_all()
        self._ensure_thread()
        return Pending(name)

    def current(self, name: str) -> Any | None:
        """The answer of report ``name`` for the current generation when it is built, else
        None (unlike ``answer``, asking builds nothing)."""
        with self._cond:
            return self._state.answers.get(name)

    def stale(self, name: str) -> Any | None:
        """The answer of report ``name`` of an older generation that the current one is
        being brought up to date from, or, at start, the one the shelf kept while it is
        not yet known to be of the store as it is (None: there is none, or the current
        answer is built: ``answer``)."""
        with self._cond:
            state = self._state
            if name in state.answers:
                return None
            base = state.bases.get(name)
            return base[0] if base is not None else state.early.get(name)

    def _bases(self, old: _State, touched: Iterable[str] | None
               ) -> dict[str, tuple[Any, frozenset[str]]]:
        """What each report with an update starts from after a write: its answer of the
        old generation and the nodes touched since (none when ``touched`` is unknown)."""
        if touched is None:
            return {}
        now = frozenset(touched)
        bases = {}
        for name in self._updates:
            if name in old.answers:
                bases[name] = (old.answers[name], now)
            elif name in old.bases:  # not brought up to date before this write
                answer, before = old.bases[name]
                bases[name] = (answer, before | now)
        return bases

    def built(self) -> tuple[str, ...]:
        """The reports whose answers the current generation holds."""
        with self._cond:
            return tuple(self._state.answers)

    def restored(self) -> tuple[str, ...]:
        """The reports of the current generation the shelf gave back instead of a build."""
        with self._cond:
            return self._state.restored

    def wait_idle(self, timeout: float) -> bool:
        """Block until nothing is queued, being built or being kept (tests, the demo);
        False when ``timeout`` seconds pass first."""
        with self._cond:
            return self._cond.wait_for(
                lambda: not self._state.queue and self._state.building is None
                and not self._saving, timeout)

    def stop(self) -> None:
        """Stop the thread after the build under way (its answer is dropped)."""
        with self._cond:
            self._stopped = True
            self._cond.notify_all()

    def _ensure_thread(self) -> None:
        with self._cond:
            if (self._thread is not None and self._thread.is_alive()) or self._stopped:
                return
            self._thread = threading.Thread(target=self._loop, name="luocdo-reports",
                                            daemon=True)
            self._thread.start()

    def _next(self) -> tuple[_State, str] | None:
        """The next report to build, or ``_SAVING`` when every report of the generation
        is built and not kept yet (None: stopped), waiting for either."""
        with self._cond:
            while not self._stopped:
                state = self._state
                if state.queue:
                    state.building = state.queue.pop(0)
                    return state, state.building
                if self._keep is not None and not state.kept \
                        and len(state.answers) == len(self._reports):
                    state.kept = True
                    self._saving += 1
                    return state, _SAVING
                self._cond.wait()
            return None

    def _loop(self) -> None:
        self._restore()
        while True:
            job = self._next()
            if job is None:
                return
            self._do(*job)
            # nothing of the job is held while waiting for the next: an older
            # generation's answers (their row tables) go as soon as the keeper lets go
            del job

    def _do(self, state: _State, name: str) -> None:
        """Build report ``name`` (or start keeping ``state``'s answers: ``_SAVING``)."""
        if name == _SAVING:  # on its own thread: the next write's updates go on
            threading.Thread(target=self._save, args=(state,), name="luocdo-reports-keep",
                             daemon=True).start()
            return
        answer: Any = None
        error: Exception | None = None
        try:
            answer = self._adopt(self._build(state, name))
        except Exception as exc:  # kept for the requests waiting, or logged
            error = exc
        with self._cond:
            # into the state of the generation the build began in: after a write that
            # state is forgotten, and the stale answer with it
            state.building = None
            if error is None:
                state.answers[name] = answer
                state.early.pop(name, None)
                # the older answer it started from is let go (a row table is dropped
                # with its last handle); the next write starts from this one
                state.bases.pop(name, None)
            elif name in state.asked:
                state.errors[name] = error
            elif state is self._state and not self._stopped:  # not at shutdown
                log.warning("report %s could not be built: %s", name, error)
            state.asked.discard(name)
            self._cond.notify_all()

    def _restore(self) -> None:
        """Take back the answers the shelf kept for the store as it is (once, before the
        first build)."""
        if self._restored:
            return
        self._restored = True
        with self._cond:
            state = self._state
            state.building = _RESTORING
        found: Mapping[str, Any] = {}
        start = time.perf_counter()
        try:
            if self._keep is not None:
                kept = self._keep.kept()
                with self._cond:  # served stale while the store's fingerprint is read
                    if state is self._state:
                        state.early = {n: a for n, a in kept[1].items() if n in self._reports}
                found = self._keep.restore(state.generation, kept)
        except Exception as exc:  # the reports are built instead
            log.warning("kept reports could not be read: %s", exc)
        log.info("kept reports: %d restored in %.2f s", len(found),
                 time.perf_counter() - start)
        with self._cond:
            state.building = None
            if state is self._state:  # not after a write meanwhile
                for name, answer in found.items():
                    if name in self._reports and name not in state.answers:
                        state.answers[name] = answer
                        state.asked.discard(name)
                        if name in state.queue:
                            state.queue.remove(name)
                        state.restored += (name,)
                    state.early.pop(name, None)
                state.kept = len(state.answers) == len(self._reports)
            self._cond.notify_all()

    def _save(self, state: _State) -> None:
        """Hand every report of ``state``'s generation to the shelf."""
        with self._cond:
            answers = dict(state.answers)
        try:
            if self._keep is not None:
                self._keep.save(state.generation, answers)
        except Exception as exc:  # the server goes on; a restart builds them again
            if not self._stopped:
                log.warning("reports could not be kept: %s", exc)
        with self._cond:
            self._saving -= 1
            self._cond.notify_all()

    def _build(self, state: _State, name: str) -> Any:
        """The answer of ``name`` for ``state``'s generation: brought up to date from its
        base when it has one and the update gives an answer, else built whole."""
        base = state.bases.get(name)
        if base is not None:
            try:
                answer = self._updates[name](base[0], base[1], self._run)
            except Exception as exc:  # the whole build below decides what is reported
                if not self._stopped:
                    log.warning("report %s could not be brought up to date (%s); "
                                "building it whole", name, exc)
                answer = None
            if answer is not None:
                return answer
        return self._whole(self._reports[name])
