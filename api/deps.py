"""Dependencies of the routers, each declared once as an ``Annotated`` alias.

``AppState`` is what ``create_app`` builds: the settings, the store, the query runner,
the on-disk search index (``api.search_store``, kept in step by a background thread)
and the answers kept until the next write (``api.cache``). Every write through the API
calls ``AppState.after_write`` (new snapshot for the workers, caches dropped, search
index sync requested).
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import threading
import time
from array import array
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel

from api.answer_store import AnswerKeeper, AnswerStore, answer_path
from api.cache import AnswerCache, entity_tag
from api.due_table import DueIndexes
from api.errors import Problem, request_lang
from api.query_runner import Runner, call, native_store
from api.report_file import ReportFile, ReportShelf, report_path
from api.report_keeper import Pending, ReportKeeper
from api.row_table import RowFolder, RowTable, RowTest, row_path
from api.search import DocEntry
from api.search_source import source_for
from api.search_store import (
    IndexCorrupt,
    IndexKeeper,
    SearchStore,
    SyncReport,
    index_path,
    sync_task,
)
from api.settings import Settings
from api.slots import FairSlots
from api.whole_store import whole_store_reports, whole_store_updates
from graph.store import GraphStore, StoreError

log = logging.getLogger("luocdo.api.reports")

__all__ = [
    "STALE_HEADER",
    "AppState",
    "AuthDep",
    "LangDep",
    "RunnerDep",
    "Served",
    "SettingsDep",
    "StateDep",
    "StoreDep",
    "bearer_token",
    "check_token",
    "get_state",
    "not_modified",
    "page_headers",
    "wants_current",
]

# Seconds a client is told to wait while the search index or a report is being built.
_RETRY_AFTER = 5
# Seconds between two looks at the search index sync (or report) a request waits for.
_POLL_S = 0.02


def _index_problem(cause: str) -> Problem:
    """503 while the search index is not ready; ``cause``: "building" or the error."""
    return Problem(503, "index_building", extra={"cause": cause},
                   headers={"Retry-After": str(_RETRY_AFTER)})


@dataclass(frozen=True, slots=True)
class Served:
    """A whole-store report as a request gets it (``AppState.served_report``): the
    current answer, or the one before the last write while it is brought up to date
    (``stale``)."""

    answer: Any
    stale: bool

    @property
    def headers(self) -> dict[str, str]:
        """What the response says of the answer: ``X-Report-Stale: true`` when stale."""
        return {STALE_HEADER: "true"} if self.stale else {}


STALE_HEADER = "X-Report-Stale"


def wants_current(request: Request) -> bool:
    """Whether the request asks for the current answer, not a stale one
    (``Cache-Control: no-cache``, or ``max-age=0``)."""
    asked = request.headers.get("cache-control", "").lower()
    directives = {d.strip().replace(" ", "") for d in asked.split(",")}
    return "no-cache" in directives or "max-age=0" in directives


def page_headers(request: Request, total: int, limit: int, offset: int) -> dict[str, str]:
    """``X-Total-Count`` and, when rows remain after this page, an RFC 8288 next link."""
    headers = {"X-Total-Count": str(total)}
    if offset + limit < total:
        following = request.url.include_query_params(limit=limit, offset=offset + limit)
        headers["Link"] = f'<{following}>; rel="next"'
    return headers


def not_modified(request: Request, etag: str, *same: str,
                 headers: dict[str, str] | None = None) -> Response | None:
    """304 with ``etag`` (and ``headers``) when the request's ``If-None-Match`` names it,
    one of ``same`` (the tags of the content's other codings) or ``*``; else None."""
    asked = request.headers.get("if-none-match", "")
    if asked.strip() == "*" or any(tag in asked for tag in (etag, *same)):
        return Response(status_code=304, headers={"ETag": etag, **(headers or {})})
    return None


@dataclass
class AppState:
    """Everything one app instance holds (``app.state.luocdo``)."""

    settings: Settings
    store: GraphStore
    runner: Runner
    owns_store: bool = False
    generation: int = 0
    write_lock: threading.Lock = field(default_factory=threading.Lock)
    _answers: AnswerCache | None = None
    _keeper: IndexKeeper | None = None
    _keeper_lock: threading.Lock = field(default_factory=threading.Lock)
    _documents: AnswerKeeper | None = None
    _reports: ReportKeeper | None = None
    _report_file: ReportFile | None = None
    _rows: RowFolder | None = None
    _mark: tuple[int, str] | None = None  # (generation, store fingerprint): store_mark
    _mark_lock: threading.Lock = field(default_factory=threading.Lock)
    _background: FairSlots | None = None
    _due_indexes: DueIndexes | None = None

    async def run(self, fn: Any, *args: Any) -> Any:
        """``fn(store, *args)`` through the runner, within the query time limit."""
        return await call(self.runner, fn, *args)

    @property
    def answers(self) -> AnswerCache:
        """Answers kept until the next write (``api.cache``), sized from the settings."""
        if self._answers is None:
            self._answers = AnswerCache(self.settings.answer_cache_entries)
        return self._answers

    async def cached(self, fn: Any, *args: Any) -> Any:
        """``run(fn, *args)``, remembered until the next write (least recently used
        answers dropped first; concurrent callers share one run).

        ``args`` must be hashable; their ``repr`` is part of the key.
        """
        key = (self.generation, f"{fn.__module__}.{fn.__qualname__}{args!r}")
        return await self.answers.get(key, lambda: self.run(fn, *args))

    async def answer_json(self, request: Request, lang: str, model: type[BaseModel],
                          build: Callable[[], Awaitable[Any]]) -> Response:
        """The JSON answer of a read-only endpoint, rendered once per store generation.

        ``build()`` gives the answer (a ``model`` instance or data ``model`` validates);
        its bytes are kept (``answers``) under the request's path, query and language,
        with an ``ETag``: a repeated request costs a lookup, not queries and pydantic
        validation, and a client that sends ``If-None-Match`` gets 304. Errors (404, 409,
        503 …) are raised as usual and not kept.
        """
        key = (self.generation, "json", request.url.path, request.url.query, lang)

        async def render() -> tuple[bytes, str]:
            answer = await build()
            checked = answer if isinstance(answer, model) else model.model_validate(answer)
            body = checked.model_dump_json(by_alias=True).encode("utf-8")
            return body, entity_tag(body)

        body, etag = await self.answers.get(key, render)
        unchanged = not_modified(request, etag)
        if unchanged is not None:
            return unchanged
        return Response(body, media_type="application/json", headers={"ETag": etag})

    async def table_page(self, request: Request, generation: int, table: RowTable,
                         limit: int, offset: int, match: tuple[Any, ...] | None = None,
                         a: RowTest | None = None, b: RowTest | None = None,
                         headers: Mapping[str, str] | None = None,
                         positions: array[int] | None = None) -> Response:
        """A page of a report kept as a row table, as the endpoint serves it (its rows'
        stored JSON, ``X-Total-Count``, ``Link`` next, and ``headers``). With ``match``
        (what names the filter), only the rows whose ``a`` and ``b`` values the tests
        accept, matched once per table and store generation (``generation``: read before
        the report, so that no newer key names older rows); else with ``positions``,
        only the rows at those positions."""
        if match is not None:
            positions = await self.matched(generation, table, match, a, b)
        total, body = await asyncio.to_thread(self.rows.page_json, table, offset, limit,
                                              positions)
        return Response(body, media_type="application/json",
                        headers={**page_headers(request, total, limit, offset),
                                 **(headers or {})})

    async def matched(self, generation: int, table: RowTable, match: tuple[Any, ...],
                      a: RowTest | None, b: RowTest | None = None) -> array[int]:
        """The positions of the rows of ``table`` whose ``a`` and ``b`` values the tests
        accept (``RowFolder.matching``), matched once per table and store generation
        under the key ``match`` names (a report served stale is another table of the
        same generation)."""
        rows = self.rows
        found: array[int] = await self.answers.get(
            (generation, table.table, *match),
            lambda: asyncio.to_thread(rows.matching, table, a, b))
        return found

    def background_run(self, fn: Any, *args: Any, timeout: float,
                       recycle: bool = False) -> Any:
        """``runner.run`` for background work (the kept document answers, the whole-store
        reports): at most ``document_answer_workers`` such runs at once, together, so the
        other query workers stay free for requests; first come, first served
        (``api.slots``)."""
        with self._keeper_lock:
            if self._background is None:
                self._background = FairSlots(self.settings.document_answer_workers)
            slots = self._background
        with slots:
            return self.runner.run(fn, *args, timeout=timeout, recycle=recycle)

    # --- whole-store reports (api.report_keeper) ------------------------------------------

    def report_keeper(self) -> ReportKeeper:
        """The keeper of the whole-store reports (created on first use; it warms them
        when the settings ask and the store is an embedded one)."""
        with self._keeper_lock:
            if self._reports is None:
                limit = max(self.settings.query_timeout_s, self.settings.report_timeout_s)
                warm = self.settings.warm_reports and native_store(self.store) is not None
                rows = self._row_folder()
                shelf = self._report_shelf(rows) if warm else None
                if shelf is None:  # nothing kept names a table: drop what a run left
                    rows.collect(())
                self._reports = ReportKeeper(
                    whole_store_reports(rows),
                    lambda task, *args: self.background_run(task, *args, timeout=limit),
                    warm=warm, updates=whole_store_updates(rows), keep=shelf,
                    # a whole build's worker is replaced after it (api.query_runner)
                    whole=lambda task: self.background_run(task, timeout=limit,
                                                           recycle=True),
                    adopt=rows.adopt)
                self._reports.request(self.generation)
            return self._reports

    @property
    def due_indexes(self) -> DueIndexes:
        """The due indexes of the obligations tables that the pages of a due window are
        cut by (``api.due_table.DueIndex``), read once per table."""
        with self._keeper_lock:
            if self._due_indexes is None:
                self._due_indexes = DueIndexes()
            return self._due_indexes

    @property
    def rows(self) -> RowFolder:
        """The folder of the reports kept as row tables (``api.row_table``): beside an
        on-disk store, else temporary."""
        with self._keeper_lock:
            return self._row_folder()

    def _row_folder(self) -> RowFolder:
        if self._rows is None:  # with _keeper_lock held
            path, temporary = row_path(self.store)
            self._rows = RowFolder(path, temporary=temporary)
        return self._rows

    def _report_shelf(self, rows: RowFolder) -> ReportShelf | None:
        """Where the reports outlive the server (``api.report_file``): beside an on-disk
        store, when the settings ask."""
        path = report_path(self.store) if self.settings.keep_reports else None
        if path is None:
            return None
        self._report_file = ReportFile(path)
        return ReportShelf(self._report_file, self.store_mark, self.write_lock,
                           lambda: self.generation, rows)

    def store_mark(self, generation: int) -> str:
        """The store's fingerprint (``api.answer_store.fingerprint``) as read at
        ``generation``, read once per generation for the kept document answers and the
        kept reports together (at 300,000 documents it reads 300,000 time stamps: 3 s).
        Callers check the generation again before they trust it (a write may land while
        it is read).

        It runs on the first free query worker, as a request would, not behind the
        background work (``background_run``): every kept answer waits for it, and at
        start the search index's scan of every source holds the background worker (a
        first build of the index, up to an hour at 10⁶ documents, would hold it all
        that time)."""
        from api.document_bundle import store_mark

        with self._mark_lock:
            if self._mark is not None and self._mark[0] == generation:
                return self._mark[1]
            limit = max(self.settings.query_timeout_s, 600.0)
            start = time.perf_counter()
            mark: str = self.runner.run(store_mark, timeout=limit)
            log.info("store mark read in %.2f s", time.perf_counter() - start)
            self._mark = (generation, mark)
        keeper = self._keeper
        if keeper is not None and self.generation == generation:
            keeper.note_mark(generation, mark)  # the search index records it when in step
        return mark

    def start_reports(self) -> None:
        """Start building the whole-store reports (at app start, when warming)."""
        self.report_keeper()

    async def report(self, name: str) -> Any:
        """The whole-store report ``name`` of the current store generation.

        Waits up to the query time limit while it is built (``api.report_keeper``).

        Raises:
            Problem: 503 ``report_building`` with ``Retry-After`` when it is not built
                by then (the build goes on); the build's own error when it failed.
        """
        served = await self._waited_report(name, stale=False)
        return served.answer

    async def served_report(self, name: str, request: Request) -> Served:
        """The whole-store report ``name`` as a request is served it: the current
        generation's (``report``: waited for while it is built), or, while it is brought
        up to date after a write, or checked against the store at start, its previous
        answer at once, marked stale (``Served.headers``), unless the settings
        (``stale_reports``) or the request (``Cache-Control: no-cache``) ask for the
        current answer."""
        return await self._waited_report(
            name, stale=self.settings.stale_reports and not wants_current(request))

    async def _waited_report(self, name: str, *, stale: bool) -> Served:
        """The current answer of report ``name``, or (``stale``) its previous one as soon
        as there is one (at start, once the kept reports are read: a request that came
        first does not wait for the store's check), waiting up to the query time limit.

        Raises:
            Problem: 503 ``report_building`` with ``Retry-After`` when neither comes by
                then (the build goes on); the build's own error when it failed.
        """
        keeper = self.report_keeper()
        deadline = time.monotonic() + self.settings.query_timeout_s
        while isinstance(found := keeper.answer(name), Pending):
            old = keeper.stale(name) if stale else None
            if old is not None:
                return Served(old, stale=True)
            if time.monotonic() >= deadline:
                raise Problem(503, "report_building", report=name, extra={"report": name},
                              headers={"Retry-After": str(_RETRY_AFTER)})
            await asyncio.sleep(_POLL_S)  # no thread held while waiting
        return Served(found, stale=False)

    def ready_report(self, name: str, *, stale: bool = False) -> Served | None:
        """The whole-store report ``name`` when it is built for the current generation,
        or (``stale``) the answer it is being brought up to date from; else None at once.
        Asking builds nothing (``ReportKeeper.current``)."""
        keeper = self.report_keeper()
        found = keeper.current(name)
        if found is not None:
            return Served(found, stale=False)
        old = keeper.stale(name) if stale else None
        return None if old is None else Served(old, stale=True)

    def search_keeper(self) -> IndexKeeper:
        """The on-disk search index and its sync thread (started on first use)."""
        with self._keeper_lock:
            if self._keeper is None:
                index = SearchStore(index_path(self.store), self.store.base)
                self._keeper = IndexKeeper(index, lambda: source_for(self.store),
                                           self._index_sync(index), mark=self.store_mark,
                                           generation=lambda: self.generation)
                self._keeper.request(self.generation)
            return self._keeper

    def _index_sync(self, index: SearchStore) -> Callable[[bool, bool], SyncReport] | None:
        """How the search index syncs: in a query worker when they are processes (the
        server then never reads the whole store itself), else in the keeper's thread."""
        if self.runner.mode != "processes":
            return None
        path, base = str(index.path), index.base
        limit = max(self.settings.query_timeout_s, 3600.0)  # a first build at 10⁶ documents

        def sync(full: bool, scan: bool) -> SyncReport:
            # a build or the start-up scan reads every source: background work, which
            # leaves the other workers to requests; a sync after a write reads only
            # what it wrote, and a search waits for it: the first free worker
            run = self.background_run if full or scan else self.runner.run
            report: SyncReport = run(sync_task, path, base, full, scan, timeout=limit)
            return report
        return sync

    def start_search_index(self) -> None:
        """Build or sync the search index in the background (at app start)."""
        self.search_keeper()

    async def search(self, q: str | None, *, doc_type: str | None, issuer: str | None,
                     year: int | None, limit: int, offset: int, current: bool = False
                     ) -> tuple[int, list[DocEntry], bool]:
        """(total, page, stale) of the documents matching every criterion, best first.

        Answered from the on-disk index (``api.search_store``), which a background
        thread keeps in step with the store: a search right after a write waits (up to
        the query time limit) for the sync that covers it. At start, while the index is
        checked against the store (every source compared: 8 s at 300,000 documents), a
        complete index is searched as the last run left it at once, unless ``current``
        (the request's ``Cache-Control: no-cache``) or the settings (``stale_reports``)
        ask to wait. An answer from an index not synced with the store's generation
        (that one, or a wait past the time limit) is said ``stale``.

        Raises:
            Problem: 503 with ``Retry-After`` while the index is being built (or its
                last build failed).
        """
        keeper, generation = self.search_keeper(), self.generation
        starting = keeper.synced < 0 and generation == 0 and keeper.ready
        stale = starting and self.settings.stale_reports and not current
        deadline = time.monotonic() + self.settings.query_timeout_s
        while not stale and keeper.synced < generation and time.monotonic() < deadline:
            await asyncio.sleep(_POLL_S)  # no thread held while waiting
        if not keeper.ready:
            failure = keeper.failure
            if keeper.error and not keeper.running:
                keeper.retry()
            if isinstance(failure, StoreError):  # the store, not the index, is the cause
                raise Problem(502, "store_error", reason=str(failure))
            raise _index_problem(keeper.error or "building")
        try:
            total, page = await asyncio.to_thread(keeper.index.search, q, doc_type=doc_type,
                                                  issuer=issuer, year=year, limit=limit,
                                                  offset=offset)
        except IndexCorrupt as exc:
            keeper.corrupt()
            raise _index_problem(f"unreadable index: {exc}") from exc
        return total, page, keeper.synced < generation  # not waited for, or not in time

    # --- kept answers of /documents/{id} (api.answer_store) ---------------------------------

    def start_document_answers(self) -> None:
        """Fill the kept ``/documents/{id}`` answers in the background (at app start), when
        the settings ask for them and the store is an embedded one (a remote endpoint
        may change without the server knowing)."""
        from api import document_bundle as tasks
        from api import trace_answers

        with self._keeper_lock:
            if (self._documents is not None or not self.settings.document_answers
                    or native_store(self.store) is None):
                return
            path, temporary = answer_path(self.store)
            answers = AnswerStore(path, temporary=temporary)
            answers.generation = self.generation
            # the keeper's tasks may take longer than a request may (10⁶ documents)
            def run(fn: Any, *args: Any) -> Any:
                return self.background_run(fn, *args, timeout=max(
                    self.settings.query_timeout_s, 600.0))
            self._documents = AnswerKeeper(
                answers, run, lambda: self.generation,
                {"fingerprint": tasks.store_mark, "documents": tasks.keyed_documents,
                 "bundles": tasks.document_bundles,
                 "trace_targets": trace_answers.trace_targets,
                 "traces": trace_answers.trace_bundles},
                workers=self.settings.document_answer_workers, mark=self.store_mark)
        self._documents.start()

    @property
    def document_answers(self) -> AnswerKeeper | None:
        """The keeper of the kept ``/documents/{id}`` answers (None when off)."""
        return self._documents

    def kept_answer(self, ident: str) -> dict[str, Any] | None:
        """The kept bundle of the document ``ident`` names (IRI or dated key), if any."""
        keeper = self._documents
        return keeper.answers.by_name(ident) if keeper is not None else None

    def kept_trace(self, document: str, section: str) -> dict[str, Any] | None:
        """The kept trace of ``section`` of the outline attached to the document the
        dated key ``document`` names, if any (``api.trace_answers``)."""
        from api.trace_answers import trace_key

        keeper = self._documents
        owner = keeper.answers.owner(document) if keeper is not None else None
        if keeper is None or owner is None:
            return None
        found: dict[str, Any] | None = keeper.answers.by_key(trace_key(owner, section))
        return found

    def keep_answers(self, bundles: list[dict[str, Any]], generation: int) -> None:
        """Keep bundles a request computed at ``generation`` (refused after a write)."""
        if self._documents is not None:
            self._documents.answers.put(bundles, generation)

    def after_write(self, touched: set[str] | None = None) -> None:
        """Call (from a thread) after every write: new snapshot, caches invalidated.

        Args:
            touched: the IRIs whose triples the write changed
                (``graph.pipeline.DerivedChanges.touched``); None: anything may have.
        """
        if self._documents is not None:  # before the new generation is served
            self._documents.answers.invalidate(touched, self.generation + 1)
        if self._report_file is not None:  # kept again once rebuilt (api.report_file)
            self._report_file.forget()
        self.runner.refresh()
        self.generation += 1
        if self._documents is not None:
            self._documents.start()
        if self._keeper is not None:
            self._keeper.request(self.generation)
        if self._reports is not None:
            self._reports.request(self.generation, touched)
        self.answers.clear()

    def close(self) -> None:
        if self._keeper is not None:
            self._keeper.stop()
        if self._documents is not None:
            self._documents.stop()
        if self._reports is not None:
            self._reports.stop()
        if self._report_file is not None:
            self._report_file.close()
        if self._rows is not None:
            self._rows.close()
        self.runner.close()
        if self.owns_store:
            self.store.close()


# The dependencies are ``async def`` on purpose: FastAPI runs a plain ``def`` dependency
# in its thread pool, a thread hop per dependency per request (on two cores, a third of
# the time of a kept answer went to waking threads).


def app_state(request: Request) -> AppState:
    """The ``AppState`` of the app serving ``request``."""
    state: AppState = request.app.state.luocdo
    return state


async def get_state(request: Request) -> AppState:
    return app_state(request)


async def get_settings(request: Request) -> Settings:
    return app_state(request).settings


async def get_store(request: Request) -> GraphStore:
    return app_state(request).store


async def get_runner(request: Request) -> Runner:
    return app_state(request).runner


async def get_lang(request: Request) -> str:
    """``api.errors.request_lang`` as a dependency."""
    return request_lang(request)


_bearer = HTTPBearer(auto_error=False, description="LUOCDO_UPDATE_TOKEN")


def check_token(settings: Settings, given: str | None) -> None:
    """Let a write through only when ``given`` is the configured update token.

    The token is compared in constant time and never logged or echoed.

    Raises:
        Problem: 403 when no token is configured, 401 when ``given`` is missing or wrong.
    """
    expected = settings.token()
    if expected is None:
        raise Problem(403, "writes_disabled")
    if not hmac.compare_digest((given or "").encode("utf-8"), expected.encode("utf-8")):
        raise Problem(401, "unauthorized",
                      headers={"WWW-Authenticate": 'Bearer realm="luocdo"'})


def bearer_token(request: Request) -> str | None:
    """The token of an ``Authorization: Bearer …`` header, if any."""
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" else None


async def require_token(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """Dependency form of ``check_token`` (declares the bearer scheme in OpenAPI)."""
    check_token(app_state(request).settings,
                credentials.credentials if credentials else None)


StateDep = Annotated[AppState, Depends(get_state)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[GraphStore, Depends(get_store)]
RunnerDep = Annotated[Runner, Depends(get_runner)]
LangDep = Annotated[str, Depends(get_lang)]
AuthDep = Annotated[None, Depends(require_token)]
