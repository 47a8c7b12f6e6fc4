"""Run queries off the event loop, within a time limit, and cancel those that overrun.

pyoxigraph (0.5) has no query timeout and no way to interrupt a running query; it
releases the GIL while it evaluates, so a thread keeps the server responsive but
cannot stop the query. Hence two runners with one interface (``run`` / ``call``):

* ``ProcessRunner`` (Oxigraph stores, ``query_workers > 0``): queries run in worker
  *processes*, each holding a read-only snapshot of the store. A worker that overruns
  the limit is killed (SIGKILL), which really stops the query, and a fresh worker is
  started. Snapshots: a RocksDB checkpoint (``Store.backup``) opened with
  ``Store.read_only`` for an on-disk store; an N-Quads dump loaded into memory for an
  in-memory store. ``refresh()`` after every write makes a new snapshot; a worker
  switches to it at its next task, old ones are deleted once no worker uses them.
* ``ThreadRunner`` (remote stores, other stores, ``query_workers = 0``): queries run in
  a thread pool; the caller gets its 503 at the deadline, but the thread finishes the
  query in the background (a remote store is asked with an HTTP timeout, which closes
  the connection; whether the remote server stops is up to it).

Whatever runs is a module-level function ``fn(store, *args)``: arguments and result
cross a process boundary, so they must pickle (``api.errors.Problem`` does).
"""

from __future__ import annotations

import contextlib
import gc
import logging
import multiprocessing as mp
import os
import queue
import shutil
import signal
import socket
import tempfile
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Protocol, TypeVar

import anyio
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from api.errors import Problem
from api.sparql_protocol import (
    Format,
    check_remote_calls,
    check_shape,
    choose_format,
    has_dataset_clause,
)
from graph import union
from graph.results import QueryResult, from_sparql_json
from graph.sparql import QueryText, query_form
from graph.store import (
    GraphStore,
    OxigraphStore,
    RemoteStore,
    StoreError,
    from_oxigraph,
    native_source_triples,
    oxigraph_answer,
    oxigraph_text_iter,
    oxigraph_text_rows,
    rdflib_term,
)

__all__ = [
    "ProcessRunner",
    "Runner",
    "SnapshotStore",
    "SparqlAnswer",
    "SparqlRequest",
    "ThreadRunner",
    "answer_sparql",
    "check_sparql",
    "make_runner",
    "native_store",
    "run_sparql",
    "snapshot_parent",
    "tune_collector",
]

log = logging.getLogger("luocdo.api.runner")
T = TypeVar("T")


# --- one SPARQL request, wherever it runs ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class SparqlRequest:
    """A protocol request: the query, its dataset (graph IRIs) and limits.

    ``accept``, ``format_name`` and ``allowlist`` are what ``answer_sparql`` checks
    before running the query (the Accept header, ``format=``, the SERVICE hosts).
    """

    text: str
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    max_rows: int = 10_000
    timeout: float = 10.0
    accept: str | None = None
    format_name: str | None = None
    allowlist: tuple[str, ...] = ()

    @property
    def dataset_given(self) -> bool:
        return bool(self.default_graphs or self.named_graphs)


@dataclass(frozen=True, slots=True)
class SparqlAnswer:
    """The result (rows or triples cut at ``max_rows``) and whether it was cut."""

    result: QueryResult
    truncated: bool = False


def _term(term: Any) -> Node:
    import pyoxigraph as ox

    if isinstance(term, ox.Triple):  # an RDF-star quoted triple: rdflib has no term for it
        return Literal(str(term))
    return rdflib_term(term)


def to_result(answer: Any, max_rows: int | None) -> tuple[QueryResult, bool]:
    """A pyoxigraph answer as a ``QueryResult``, reading at most ``max_rows`` items.

    Stopping the iteration early stops Oxigraph's lazy evaluation, so a capped query
    also does less work (unless it sorts or groups, which needs every solution).
    """
    import pyoxigraph as ox

    limit = max_rows if max_rows is not None else -1
    if isinstance(answer, ox.QueryBoolean):
        return QueryResult("ask", boolean=bool(answer)), False
    if isinstance(answer, ox.QueryTriples):
        g, cut = Graph(), False
        for n, t in enumerate(answer):
            if n == limit:
                cut = True
                break
            g.add((_term(t.subject), _term(t.predicate), _term(t.object)))
        return QueryResult("graph", graph=g), cut
    names = tuple(v.value for v in answer.variables)
    rows, cut = [], False
    for n, solution in enumerate(answer):
        if n == limit:
            cut = True
            break
        rows.append({k: _term(solution[k]) for k in names if solution[k] is not None})
    return QueryResult("select", vars=names, rows=tuple(rows)), cut


class SnapshotStore(GraphStore):
    """A read-only ``GraphStore`` over a pyoxigraph store (a worker's snapshot)."""

    def __init__(self, native: Any, *, base: str | None = None) -> None:
        super().__init__(base)
        self.native = native
        self._materialised = union.is_materialised(native)

    def _query(self, text: str) -> QueryResult:
        return self._run(text, query_form(text))

    def _run(self, text: str, found: QueryText) -> QueryResult:
        # as ``OxigraphStore._run``: the text analysed once (``found``), the answer's
        # terms converted through the shared cache (``graph.store.from_oxigraph``)
        return from_oxigraph(oxigraph_answer(self.native, self._materialised, text, found))

    def _select_text(self, text: str, found: QueryText) -> list[dict[str, str]]:
        return oxigraph_text_rows(oxigraph_answer(self.native, self._materialised, text, found))

    def _iter_text(self, text: str, found: QueryText) -> Iterator[dict[str, str]]:
        return oxigraph_text_iter(oxigraph_answer(self.native, self._materialised, text, found))

    def _source_triples(self) -> int:
        return native_source_triples(self, self.native)

    def _update(self, text: str) -> None:
        raise StoreError("a query worker's snapshot is read-only")

    def _replace(self, name: URIRef, triples: list[Any], prov: list[Any]) -> None:
        raise StoreError("a query worker's snapshot is read-only")

    def close(self) -> None:
        self.native = None


def native_store(store: GraphStore) -> Any | None:
    """The pyoxigraph ``Store`` behind ``store``, or None for other stores."""
    if isinstance(store, SnapshotStore | OxigraphStore):
        return store.native
    return None


def _run_native(native: Any, req: SparqlRequest) -> SparqlAnswer:
    import pyoxigraph as ox

    kwargs: dict[str, Any] = {}
    try:
        if req.dataset_given:  # the protocol's dataset replaces the query's FROM clauses
            kwargs["default_graph"] = [ox.NamedNode(u) for u in req.default_graphs]
            kwargs["named_graphs"] = [ox.NamedNode(u) for u in req.named_graphs]
        else:  # the store's own default graph: the maintained union (graph.union)
            kwargs = union.query_options(union.is_materialised(native),
                                         has_dataset_clause(req.text))
        answer = native.query(req.text, **kwargs)
        return SparqlAnswer(*to_result(answer, req.max_rows))
    except SyntaxError as exc:
        raise Problem(400, "bad_query", reason=str(exc)) from None
    except ValueError as exc:
        raise Problem(400, "bad_query", reason=str(exc)) from None
    except (OSError, RuntimeError) as exc:
        raise Problem(502, "store_error", reason=str(exc)) from None


def answer_sparql(store: GraphStore, req: SparqlRequest) -> tuple[Format, SparqlAnswer]:
    """Task: check a protocol query (``check_sparql``), then run it; the answer format
    and the answer.

    Every check costs time in proportion to the query text (Python lexers: about 1 s
    per 100 KB), so all of it runs here, in a worker within the time limit, never on
    the server's event loop (a short query is checked before it waits for a worker too:
    ``api.routers.sparql``).

    Raises:
        Problem: what ``check_sparql`` raises, or what running it raises.
    """
    return check_sparql(req), run_sparql(store, req)


def check_sparql(req: SparqlRequest) -> Format:
    """The answer format of a protocol query, once it passes every check, in order: the
    shape (``check_shape``: nothing that would overflow the store's parser), the form
    (not an update), the answer format (``format=`` or Accept), the ``SERVICE`` targets
    (``req.allowlist``).

    Raises:
        Problem: 400 (bad or oversized query, update, format), 403 (SERVICE refused),
            406 (nothing in Accept fits).
    """
    check_shape(req.text)
    try:
        form = query_form(req.text).form
    except ValueError as exc:
        raise Problem(400, "bad_query", reason=str(exc)) from None
    if form == "UPDATE":
        raise Problem(400, "bad_request", reason="this is an update: POST it as update=")
    fmt = choose_format(form, req.accept, req.format_name)
    check_remote_calls(req.text, req.allowlist)
    return fmt


def _run_remote(store: RemoteStore, req: SparqlRequest) -> SparqlAnswer:
    import httpx

    form = query_form(req.text).form
    accept = ("application/sparql-results+json" if form in ("SELECT", "ASK")
              else "application/n-triples")
    data: dict[str, Any] = {"query": req.text}
    if req.default_graphs:
        data["default-graph-uri"] = list(req.default_graphs)
    if req.named_graphs:
        data["named-graph-uri"] = list(req.named_graphs)
    client: httpx.Client = store._http  # carries the store's credentials
    try:
        response = client.post(store.query_url, data=data, headers={"Accept": accept},
                               timeout=req.timeout)
    except httpx.TimeoutException:
        raise Problem(503, "timeout", seconds=req.timeout) from None
    except httpx.HTTPError as exc:
        raise Problem(502, "store_error", reason=str(exc)) from None
    if response.status_code >= 400:
        status = 400 if response.status_code == 400 else 502
        reason = " ".join(response.text.split())[:300]
        raise Problem(status, "bad_query" if status == 400 else "store_error", reason=reason)
    if form in ("SELECT", "ASK"):
        return _capped(from_sparql_json(response.json()), req.max_rows)
    graph = Graph().parse(data=response.text, format="nt")
    return _capped(QueryResult("graph", graph=graph), req.max_rows)


def _capped(result: QueryResult, max_rows: int) -> SparqlAnswer:
    if result.kind == "select" and len(result.rows) > max_rows:
        return SparqlAnswer(QueryResult("select", vars=result.vars,
                                        rows=result.rows[:max_rows]), True)
    if result.kind == "graph" and result.graph is not None and len(result.graph) > max_rows:
        g = Graph()
        for n, t in enumerate(result.graph):
            if n == max_rows:
                break
            g.add(t)
        return SparqlAnswer(QueryResult("graph", graph=g), True)
    return SparqlAnswer(result)


def run_sparql(store: GraphStore, req: SparqlRequest) -> SparqlAnswer:
    """Answer one protocol query on ``store`` (a task: runs in a worker or a thread)."""
    native = native_store(store)
    if native is not None:
        return _run_native(native, req)
    if isinstance(store, RemoteStore):
        return _run_remote(store, req)
    if req.dataset_given:
        raise Problem(400, "bad_request",
                      reason="default-graph-uri / named-graph-uri: not supported by this store")
    try:
        return _capped(store.query(req.text), req.max_rows)
    except ValueError as exc:
        raise Problem(400, "bad_query", reason=str(exc)) from None
    except StoreError as exc:
        raise Problem(502, "store_error", reason=str(exc)) from None


# --- runners ---------------------------------------------------------------------------------


class Runner(Protocol):
    """Runs ``fn(store, *args)`` within ``timeout`` seconds (``Problem`` 503 when over).

    ``recycle``: the task builds a large answer (a whole-store report); a worker process
    that ran it is replaced by a new one once it has answered. Python keeps most of the
    memory such a task used: a worker that built ``/obligations`` at 100,000 documents
    held 350–400 MB afterwards against 90 MB before, and three workers 1.1 GB.
    """

    mode: str
    timeout: float

    def run(self, fn: Callable[..., T], *args: Any, timeout: float | None = None,
            recycle: bool = False) -> T: ...

    def refresh(self) -> None: ...

    def close(self) -> None: ...

    def alive(self) -> int: ...


async def call(runner: Runner, fn: Callable[..., T], *args: Any,
               timeout: float | None = None) -> T:
    """``runner.run`` from async code: the waiting happens in a worker thread."""
    return await anyio.to_thread.run_sync(lambda: runner.run(fn, *args, timeout=timeout))


def as_problem(exc: BaseException) -> Problem | None:
    """The HTTP answer to an error a task raised (None: an unexpected error, a 500)."""
    if isinstance(exc, Problem):
        return exc
    if isinstance(exc, StoreError):
        return Problem(502, "store_error", reason=str(exc))
    return None


def _timeout(seconds: float) -> Problem:
    return Problem(503, "timeout", seconds=f"{seconds:g}", headers={"Retry-After": "1"},
                   extra={"timeout_s": seconds})


class ThreadRunner:
    """Threads: the deadline is kept, but a running query is not stopped (see module)."""

    mode = "threads"

    def __init__(self, store: GraphStore, *, threads: int = 4, timeout: float = 10.0) -> None:
        self.store = store
        self.timeout = timeout
        self._threads = threads
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="luocdo-query")

    def run(self, fn: Callable[..., T], *args: Any, timeout: float | None = None,
            recycle: bool = False) -> T:
        limit = timeout or self.timeout  # threads share the server's memory: no recycling
        future = self._pool.submit(fn, self.store, *args)
        try:
            return future.result(limit)
        except FutureTimeout:
            future.cancel()  # dropped if still queued; a running one finishes unobserved
            raise _timeout(limit) from None
        except StoreError as exc:
            raise Problem(502, "store_error", reason=str(exc)) from None

    def refresh(self) -> None:
        """Nothing to do: threads read the live store."""

    def alive(self) -> int:
        return self._threads

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Where a worker finds the store as of one generation."""

    generation: int
    kind: str  # "rocksdb" (checkpoint directory) or "nquads" (dump file)
    path: str
    base: str


def _open_snapshot(snap: Snapshot) -> SnapshotStore:
    import pyoxigraph as ox

    if snap.kind == "rocksdb":
        native = ox.Store.read_only(snap.path)
    else:
        native = ox.Store()
        native.bulk_load(path=snap.path, format=ox.RdfFormat.N_QUADS)
    return SnapshotStore(native, base=snap.base)


def _ping(store: GraphStore) -> bool:
    return store is not None


# Allocations between two young-generation collections: a request decodes and renders
# a few thousand objects (a date window's answer, tens of thousands), so the default
# (700) collected several times per request.
_GC_YOUNG = 20_000


def tune_collector() -> None:
    """Collect less often, and never scan again what start-up made (modules, settings,
    the app): under load, full collections over those objects were the slowest requests.
    ``luocdo serve`` calls it once the app is built, and each query worker once started."""
    gc.collect()
    gc.freeze()
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(_GC_YOUNG, older, oldest)


def _worker_main(conn: Connection) -> None:
    """A query worker: receive (snapshot, fn, args), answer ("ok"|"problem"|"error", …)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server shuts its workers down
    tune_collector()  # the worker has imported everything it runs by now
    current: tuple[int, SnapshotStore] | None = None
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        snap, fn, args = message
        try:
            if current is None or current[0] != snap.generation:
                current = None
                gc.collect()  # let go of the previous snapshot's files
                current = (snap.generation, _open_snapshot(snap))
            conn.send(("ok", fn(current[1], *args), resident_mb()))
        except Exception as exc:  # a problem goes back as is; the rest is logged, a 500
            problem = as_problem(exc)
            conn.send(("problem", problem, resident_mb()) if problem else
                      ("error", f"{type(exc).__name__}: {exc}", resident_mb()))


def resident_mb() -> float | None:
    """This process's resident memory now, in MB (None where /proc does not say)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


@dataclass(eq=False)
class _Worker:
    process: Any
    conn: Connection
    generation: int = -1
    ready: bool = False  # started and holding a snapshot: it can take a query


def _stop(worker: _Worker) -> None:
    with contextlib.suppress(Exception):
        worker.process.kill()
        worker.process.join(2)
    with contextlib.suppress(Exception):
        worker.conn.close()


def _reap(worker: _Worker, grace: float = 10.0) -> None:
    """Wait for a worker asked to stop, then make sure it is gone."""
    with contextlib.suppress(Exception):
        worker.process.join(grace)
    _stop(worker)


SNAPSHOT_PREFIX = "luocdo-snapshots-"
_OWNER_FILE = "owner.pid"  # the process whose runner made the folder, and its host


def _owner() -> str:
    return f"{os.getpid()} {socket.gethostname()}"


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's: running
        return True
    return True


def sweep_snapshots(parent: Path) -> list[Path]:
    """Remove the snapshot folders in ``parent`` whose server is gone.

    A server killed before it cleaned up leaves its folder behind, and a checkpoint is
    hard links to the store's files: they stay on disk after the store is removed or
    compacted (on the benchmark machine, two such folders held 28 GB). A folder is
    removed only when the process recorded in it, on this host (a container sharing
    the folder has its own process ids), is not running; one without a record is left
    alone."""
    host = socket.gethostname()
    removed = []
    for folder in sorted(parent.glob(f"{SNAPSHOT_PREFIX}*")):
        try:
            pid, owner_host = (folder / _OWNER_FILE).read_text(encoding="utf-8").split(" ", 1)
            ended = owner_host == host and not _running(int(pid))
        except (OSError, ValueError):
            continue
        if ended:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def snapshot_parent(store: GraphStore) -> Path:
    """Where a runner over ``store`` makes its snapshot folder.

    A checkpoint (``Store.backup``) is hard links to the store's files only on the
    store's own file system; anywhere else RocksDB copies every file. At a million
    documents that is 46 GB copied at each start and after each write, and the copy
    filled the system's temporary folder. So an on-disk store's snapshots go beside it
    (the parent of its real path: a store reached through a symbolic link is snapshot
    where it lies), and to the system's temporary folder only for an in-memory store or
    when that folder cannot be written."""
    if isinstance(store, OxigraphStore) and store.path is not None:
        beside = store.path.resolve().parent
        if os.access(beside, os.W_OK | os.X_OK):
            return beside
    return Path(tempfile.gettempdir())


def _cleanup(workers: set[_Worker], folder: str) -> None:
    for w in list(workers):
        _stop(w)
    shutil.rmtree(folder, ignore_errors=True)


class ProcessRunner:
    """Worker processes over snapshots; an overrunning worker is killed (see module)."""

    mode = "processes"

    def __init__(self, store: GraphStore, *, workers: int = 2, timeout: float = 10.0,
                 start_timeout: float = 120.0, max_worker_mb: float = 0.0) -> None:
        native = native_store(store)
        if native is None:
            raise TypeError("ProcessRunner needs an Oxigraph store")
        self.store, self.timeout, self._native = store, timeout, native
        # a worker that holds more once it has answered is replaced (0: never)
        self.max_worker_mb = max_worker_mb
        self._size, self._start_timeout = workers, start_timeout
        self._ctx = mp.get_context("spawn")  # never fork a process that runs threads
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._workers: set[_Worker] = set()
        self._paths: dict[int, str] = {}
        self._lock = threading.Lock()
        self._closed = False
        self.recycled = 0  # workers replaced after a task (recycle, max_worker_mb)
        parent = snapshot_parent(store)
        # the temporary folder too: where servers before 2026-11-25 made them
        for place in dict.fromkeys([parent, Path(tempfile.gettempdir())]):
            for gone in sweep_snapshots(place):
                log.warning("removed the snapshots %s of a server that is gone", gone)
        self._dir = tempfile.mkdtemp(prefix=SNAPSHOT_PREFIX, dir=parent)
        (Path(self._dir) / _OWNER_FILE).write_text(_owner(), encoding="utf-8")
        self._finalizer = weakref.finalize(self, _cleanup, self._workers, self._dir)
        start = time.perf_counter()
        self._snapshot = self._make_snapshot(0)
        log.info("store snapshot made in %.2f s", time.perf_counter() - start)
        for _ in range(workers):
            self._spawn_later()

    # --- snapshots ---

    def _make_snapshot(self, generation: int) -> Snapshot:
        import pyoxigraph as ox

        on_disk = isinstance(self.store, OxigraphStore) and self.store.path is not None
        path = str(Path(self._dir) / f"g{generation}")
        if on_disk:
            self._native.backup(path)
        else:
            path += ".nq"
            self._native.dump(path, format=ox.RdfFormat.N_QUADS)
        self._paths[generation] = path
        return Snapshot(generation, "rocksdb" if on_disk else "nquads", path, self.store.base)

    def refresh(self) -> None:
        """Snapshot the store again (call after every write)."""
        with self._lock:
            self._snapshot = self._make_snapshot(self._snapshot.generation + 1)
            self._collect()

    def _collect(self) -> None:
        """Delete snapshots that neither the current generation nor a worker uses."""
        used = {w.generation for w in self._workers} | {self._snapshot.generation}
        for gen in [g for g in self._paths if g not in used]:
            path = Path(self._paths.pop(gen))
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)

    # --- workers ---

    def _spawn_later(self) -> None:
        threading.Thread(target=self._spawn, name="luocdo-spawn", daemon=True).start()

    def _spawn(self) -> None:
        ours, theirs = self._ctx.Pipe()
        process = self._ctx.Process(target=_worker_main, args=(theirs,), daemon=True,
                                    name="luocdo-query-worker")
        try:
            process.start()
        except Exception:
            log.exception("cannot start a query worker")
            return
        theirs.close()
        worker = _Worker(process, ours)
        with self._lock:
            if self._closed:
                _stop(worker)
                return
            self._workers.add(worker)
        snap = self._snapshot
        start = time.perf_counter()
        try:  # load the snapshot now, so the first query does not pay for it
            ours.send((snap, _ping, ()))
            worker.generation = snap.generation
            if not ours.poll(self._start_timeout):
                raise TimeoutError("worker did not start in time")
            ours.recv()
        except Exception:
            log.exception("a query worker failed to start")
            self._discard(worker, respawn=False)
            return
        worker.ready = True
        log.info("query worker %s ready in %.2f s", process.pid, time.perf_counter() - start)
        self._idle.put(worker)

    def _discard(self, worker: _Worker, *, respawn: bool = True) -> None:
        _stop(worker)
        with self._lock:
            self._workers.discard(worker)
            self._collect()
            closed = self._closed
        if respawn and not closed:
            self._spawn_later()

    def _retire(self, worker: _Worker) -> None:
        """Replace ``worker`` (idle, out of the pool) with a new one: the old one is asked
        to stop (and killed if it has not within 10 s) and a new one started at once, so
        the pool is one short only while it starts."""
        with self._lock:
            self._workers.discard(worker)
            self._collect()
            closed = self._closed
        with contextlib.suppress(Exception):
            worker.conn.send(None)
        threading.Thread(target=_reap, args=(worker,), name="luocdo-reap", daemon=True).start()
        if not closed:
            self._spawn_later()

    def alive(self) -> int:
        """Workers that can take a query (a replacement still starting does not count)."""
        with self._lock:
            return sum(1 for w in self._workers if w.ready and w.process.is_alive())

    def run(self, fn: Callable[..., T], *args: Any, timeout: float | None = None,
            recycle: bool = False) -> T:
        limit = timeout or self.timeout
        deadline = time.monotonic() + limit
        try:
            worker = self._idle.get(timeout=limit)
        except queue.Empty:
            raise Problem(503, "busy", headers={"Retry-After": "1"}) from None
        snap = self._snapshot
        try:
            worker.conn.send((snap, fn, args))
        except Exception:
            self._idle.put(worker)  # nothing was sent: arguments that do not pickle
            raise
        if worker.generation != snap.generation:
            worker.generation = snap.generation
            with self._lock:
                self._collect()  # the snapshot it leaves may now be unused
        try:
            if not worker.conn.poll(max(0.0, deadline - time.monotonic())):
                log.warning("query over %ss: worker %s killed", limit, worker.process.pid)
                self._discard(worker)
                raise _timeout(limit)
            status, payload, resident = worker.conn.recv()
        except (EOFError, OSError):
            self._discard(worker)
            raise Problem(503, "worker_died") from None
        if recycle or (self.max_worker_mb and resident and resident > self.max_worker_mb):
            self.recycled += 1
            self._retire(worker)
        else:
            self._idle.put(worker)
        if status == "ok":
            return payload
        if status == "problem":
            raise payload
        raise RuntimeError(f"query worker: {payload}")

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers = list(self._workers)
        for w in workers:
            with contextlib.suppress(Exception):
                w.conn.send(None)
        self._finalizer()


def make_runner(store: GraphStore, *, workers: int, timeout: float,
                max_worker_mb: float = 0.0) -> Runner:
    """A process runner for Oxigraph stores when ``workers > 0``, else threads."""
    if workers > 0 and native_store(store) is not None:
        return ProcessRunner(store, workers=workers, timeout=timeout,
                             max_worker_mb=max_worker_mb)
    return ThreadRunner(store, threads=max(workers, 4), timeout=timeout)
