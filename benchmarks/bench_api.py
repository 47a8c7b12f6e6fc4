"""API load benchmark: p50/p95/p99 latency, throughput and errors of the HTTP API under
concurrent load, on a synthetic graph, with the server and the load in separate processes.

Steps:

1. Store: the synthetic records of ``benchmarks.synth.generate_records`` as N-Quads
   (``benchmarks.bench_graph.build_nquads``, cached), bulk-loaded into an on-disk Oxigraph
   store under ``benchmarks/out/api-store-<docs>-s<seed>/`` with the ontology and
   ``graph.pipeline.refresh_derived``; reruns reuse it. The records carry no report
   outline attached to a letter (what ``/trace`` reads), so ``--text-files N`` text files
   of ``benchmarks.synth.generate_corpus`` (another seed) that carry an attached "Đề
   cương báo cáo" (about 1 % of its files: ministry and Party letters) are then put
   through the real pipeline (``graph.pipeline.ingest_paths``: extraction, per-file
   graphs, union upkeep, derived links) into a copy, ``api-store-<docs>-s<seed>-t<N>/``.
2. Targets, read before the server opens the store: a seeded random sample of identity
   keys (``GET /documents/{id}``), (letter, section number) pairs of the outlines in the
   store (``GET /trace``), and the ``cited_by`` named query bound to the most cited root
   directive "33/CT-TTg" exactly as ``graph.queries.run_named`` binds it (``GET /sparql``).
3. ``luocdo serve --store DIR --host 127.0.0.1 --port P`` as a child process; wait for
   ``/health``; one warm-up request per endpoint (the first ``/documents`` request builds
   the search index: its time is reported apart).
4. Load, from this process (httpx + asyncio): per endpoint one client in sequence, then
   ``--clients`` concurrent clients, each run bounded by ``--duration`` seconds and
   ``--max-requests`` requests. Latency is measured per request; throughput is the
   successful answers per second of wall time.
5. Optional ``--profile``: ``py-spy record --subprocesses`` of the server and its query
   workers during the concurrent run of the endpoints named, summarised as the functions
   with the most samples (self and inclusive).

Traffic goes to 127.0.0.1 only; the server is stopped at the end.

    python -m benchmarks.bench_api --docs 10000 --seed 0 --clients 32 --duration 20
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import random
import shutil
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from benchmarks.machine import OUT_DIR, machine_info, write_result

HOST = "127.0.0.1"  # loopback only: no benchmark traffic leaves the machine
ROOT_SYMBOL = "33/CT-TTg"  # the most cited root directive of the synthetic corpus
TEXT_SEED_OFFSET = 1000  # the text files use another seed than the records
# (letter's identity key, section number) of every outline attached to a letter
OUTLINE_SECTIONS = """PREFIX lo: <https://w3id.org/luocdo/ontology#>
SELECT DISTINCT ?letter ?number WHERE {
  ?outline lo:attachedTo ?doc ; lo:hasSection ?section .
  ?doc lo:identityKey ?letter .
  ?section lo:sectionNumber ?number .
}"""


# --- 1. the store ---------------------------------------------------------------------------


def store_dir(n_docs: int, seed: int) -> Path:
    """Where the cached store of ``n_docs`` documents lives."""
    return OUT_DIR / f"api-store-{n_docs}-s{seed}"


_PIECE_BYTES = 1 << 30  # N-Quads per bulk load: what a stopped build loads again


def _pieces(path: Path, start: int) -> Iterator[tuple[int, bytes]]:
    """(offset after, bytes) of pieces of whole lines of ``path`` from byte ``start``
    on, about ``_PIECE_BYTES`` each."""
    with path.open("rb") as f:
        f.seek(start)
        while data := f.read(_PIECE_BYTES):
            data += f.readline()
            yield f.tell(), data


def _record(path: Path, record: dict[str, Any]) -> None:
    part = path.with_suffix(".part")
    part.write_text(json.dumps(record))
    part.replace(path)


def _load_resumably(native: Any, nquads: Path, progress: Path, done: dict[str, Any]) -> None:
    """Bulk-load ``nquads`` and its union default graph a piece at a time, what is
    loaded recorded in ``progress`` after each piece: a build stopped (a million
    documents load for about an hour) goes on from the last piece recorded. A piece
    loaded again adds nothing (a store is a set of quads)."""
    import pyoxigraph as ox

    from graph import union

    for phase in ("load", "union"):
        if done["phase"] != phase:
            continue
        start = time.perf_counter() - done["seconds"].get(phase, 0.0)
        if phase == "union" and done["bytes"] == 0:
            union.clear(native)
        for end, text in _pieces(nquads, done["bytes"]):
            if phase == "load":
                native.bulk_load(input=text, format=ox.RdfFormat.N_QUADS)
            else:
                union.load_union(native, text)
            native.flush()
            done = {**done, "bytes": end,
                    "seconds": {**done["seconds"], phase: time.perf_counter() - start}}
            _record(progress, done)
        done = {**done, "phase": "union" if phase == "load" else "derived", "bytes": 0}
        _record(progress, done)
    if done["phase"] == "derived":
        union.mark(native)


def build_store(n_docs: int, seed: int, workers: int) -> tuple[Path, dict[str, Any]]:
    """The on-disk store of ``n_docs`` synthetic documents (built once, then reused).

    Resumable: the N-Quads are mapped (``build_nquads``) and loaded (``_load_resumably``)
    with their progress recorded, so a stopped build run again goes on where it was.

    Returns:
        The store folder and how it was built (timings, triples; ``cached`` on reuse).
    """
    import pyoxigraph as ox

    from benchmarks.bench_graph import build_nquads
    from graph.iri import base_iri
    from graph.pipeline import refresh_derived
    from graph.store import OxigraphStore

    folder = store_dir(n_docs, seed)
    marker = folder / "luocdo-bench.json"
    progress = folder.parent / f"{folder.name}.progress.json"
    if marker.exists():
        return folder, {**json.loads(marker.read_text()), "cached": True}
    base = base_iri()
    nquads, mapping = build_nquads(n_docs, seed, workers, base)
    done: dict[str, Any] | None = None
    with contextlib.suppress(OSError, ValueError):
        done = json.loads(progress.read_text())
    if done is None or not folder.exists():
        shutil.rmtree(folder, ignore_errors=True)
        folder.parent.mkdir(parents=True, exist_ok=True)
        done = {"phase": "load", "bytes": 0, "seconds": {}}
    start = time.perf_counter()
    native = ox.Store(str(folder))
    _load_resumably(native, nquads, progress, done)
    native.flush()
    del native
    done = json.loads(progress.read_text())
    store = OxigraphStore(folder, base=base)
    store.ensure_ontology()
    derived_start = time.perf_counter()
    derived = refresh_derived(store)
    store.close()
    info = {"documents": mapping["documents"], "triples": mapping["triples"],
            "mapping_seconds": mapping["seconds"], "mapping_cached": mapping["cached"],
            "bulk_load_seconds": round(done["seconds"]["load"], 1),
            "union_seconds": round(done["seconds"]["union"], 1),
            "derived_seconds": round(time.perf_counter() - derived_start, 1),
            "this_run_seconds": round(time.perf_counter() - start, 1), "derived": derived}
    marker.write_text(json.dumps(info))
    progress.unlink(missing_ok=True)
    return folder, {**info, "cached": False}


def _write_outline_files(folder: Path, n_files: int, seed: int) -> None:
    """The first ``n_files`` files of the text corpus that carry an attached outline."""
    from benchmarks.synth import generate_corpus

    written = 0
    for doc in generate_corpus(n_files * 400, seed):
        if any(t.kind == "outline" for t in doc.truth):
            (folder / doc.name).write_text(doc.text, encoding="utf-8")
            written += 1
            if written == n_files:
                return
    raise SystemExit(f"only {written} files with an outline in {n_files * 400}")


def add_text_files(base: Path, n_docs: int, seed: int, n_files: int) -> tuple[Path, dict[str, Any]]:
    """A copy of the store at ``base`` with ``n_files`` synthetic text files ingested
    through the real pipeline (built once, then reused)."""
    import tempfile

    from graph.pipeline import ingest_paths
    from graph.store import OxigraphStore

    folder = OUT_DIR / f"{base.name}-t{n_files}"
    marker = folder / "luocdo-bench-text.json"
    if marker.exists():
        return folder, {**json.loads(marker.read_text()), "cached": True}
    shutil.rmtree(folder, ignore_errors=True)
    start = time.perf_counter()
    shutil.copytree(base, folder)
    copied = time.perf_counter() - start
    with tempfile.TemporaryDirectory(prefix="luocdo-bench-text-") as tmp:
        _write_outline_files(Path(tmp), n_files, seed + TEXT_SEED_OFFSET)
        store = OxigraphStore(folder)
        try:
            began = time.perf_counter()
            summary = ingest_paths(store, [Path(tmp)])
            ingested = time.perf_counter() - began
        finally:
            store.close()
    info = {"text_files": n_files, "landed": len(summary.landed),
            "failed": len(summary.failed), "copy_seconds": round(copied, 1),
            "ingest_seconds": round(ingested, 1)}
    marker.write_text(json.dumps(info))
    return folder, {**info, "cached": False}


# --- 2. targets -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Targets:
    """What the clients ask for: document ids, outline owners, one SPARQL query text."""

    doc_ids: tuple[str, ...]
    outline_sections: tuple[tuple[str, str], ...]  # (letter IRI, section number)
    sparql: str
    sparql_rows: int


def _corpus_keys(n_docs: int, seed: int) -> list[str]:
    """Identity keys of every document of the record corpus."""
    from benchmarks.synth import generate_records

    return [doc.key for result in generate_records(n_docs, seed) for doc in result.documents]


def pick_targets(folder: Path, n_docs: int, seed: int, sample: int) -> Targets:
    """Seeded random targets; opens the store (so call it before the server does)."""
    from graph.queries import load_query, resolve_documents
    from graph.sparql import inject_values
    from graph.store import OxigraphStore

    keys = _corpus_keys(n_docs, seed)
    rng = random.Random(f"bench_api/{seed}")
    store = OxigraphStore(folder)
    try:
        root = resolve_documents(store, ROOT_SYMBOL)
        text = inject_values(load_query("cited_by"), {"doc": list(root)})
        rows = len(store.query(text).rows)
        sections = sorted((str(r["letter"]), str(r["number"]))
                          for r in store.query(OUTLINE_SECTIONS))
    finally:
        store.close()
    if not sections:
        raise SystemExit("no outline attached to a letter in the store: use --text-files")
    return Targets(tuple(rng.sample(keys, min(sample, len(keys)))),
                   tuple(rng.sample(sections, min(sample, len(sections)))), text, rows)


def _trace_url(target: tuple[str, str]) -> str:
    letter, number = target
    return f"/trace?document={quote(letter, safe='')}&section={quote(number, safe='')}"


def _drawer(items: Sequence[Any], cold: bool) -> Callable[[random.Random], Any]:
    """Draw targets: at random (repeats: a server cache answers them), or, ``cold``, each
    target once in a shuffled order before any repeats (measures the uncached path)."""
    if not cold:
        return lambda r: r.choice(items)
    order: list[Any] = []

    def draw(r: random.Random) -> Any:
        if not order:
            order.extend(items)
            r.shuffle(order)
        return order.pop()
    return draw


def url_makers(t: Targets, cold: bool = False) -> dict[str, Callable[[random.Random], str]]:
    """Endpoint name → a function that draws one request path."""
    sparql = f"/sparql?query={quote(t.sparql, safe='')}"
    doc, section = _drawer(t.doc_ids, cold), _drawer(t.outline_sections, cold)
    return {
        "documents": lambda r: f"/documents/{quote(doc(r), safe='')}",
        "trace": lambda r: _trace_url(section(r)),
        "sparql_cited_by_root": lambda r: sparql,
    }


# --- 3. the server --------------------------------------------------------------------------


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as s:
        s.bind((HOST, 0))
        port: int = s.getsockname()[1]
        return port


@contextlib.contextmanager
def server(folder: Path, port: int, workers: int, timeout: float,
           wait: float = 300.0) -> Iterator[subprocess.Popen[bytes]]:
    """``luocdo serve`` on 127.0.0.1:``port`` until the block ends (then stopped)."""
    import httpx

    luocdo = Path(sys.executable).parent / "luocdo"
    cmd = [str(luocdo), "serve", "--store", str(folder), "--host", HOST, "--port", str(port),
           "--workers", str(workers), "--timeout", str(timeout), "--log-level", "warning"]
    log = (OUT_DIR / "bench_api-server.log").open("wb")
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + wait
        while True:
            if proc.poll() is not None:
                raise SystemExit(f"server exited with {proc.returncode}; see {log.name}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"http://{HOST}:{port}/health", timeout=5).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise SystemExit("server not healthy in time")
            time.sleep(0.5)
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
        log.close()


# --- 4. load --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LoadResult:
    """One endpoint at one concurrency."""

    endpoint: str
    clients: int
    requests: int
    ok: int
    errors: int
    statuses: dict[str, int]
    seconds: float
    throughput_rps: float
    p50_ms: float | None
    p95_ms: float | None
    p99_ms: float | None
    max_ms: float | None


def percentile(ordered: list[float], q: float) -> float:
    """Nearest-rank percentile ``q`` (0-100) of sorted values."""
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def summarise(endpoint: str, clients: int, times: list[float], statuses: Counter[str],
              seconds: float) -> LoadResult:
    """Latency percentiles (ms, all answers) and throughput (successes per second)."""
    ordered = sorted(times)
    ok = statuses.get("200", 0)

    def ms(q: float) -> float | None:
        return round(percentile(ordered, q) * 1000, 1) if ordered else None

    return LoadResult(endpoint, clients, sum(statuses.values()), ok,
                      sum(statuses.values()) - ok, dict(statuses), round(seconds, 2),
                      round(ok / seconds, 2) if seconds else 0.0, ms(50), ms(95), ms(99),
                      round(ordered[-1] * 1000, 1) if ordered else None)


@dataclass
class _Tally:
    times: list[float] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)
    issued: int = 0


async def _client(http: Any, make: Callable[[random.Random], str], rng: random.Random,
                  tally: _Tally, end: float, max_requests: int) -> None:
    import httpx

    while time.monotonic() < end and tally.issued < max_requests:
        tally.issued += 1
        path = make(rng)
        start = time.perf_counter()
        try:
            response = await http.get(path)
            await response.aread()
            status = str(response.status_code)
        except httpx.HTTPError as exc:
            status = type(exc).__name__
        tally.times.append(time.perf_counter() - start)
        tally.statuses[status] += 1


async def load(base_url: str, endpoint: str, make: Callable[[random.Random], str],
               clients: int, duration: float, max_requests: int,
               timeout: float) -> LoadResult:
    """``clients`` connections asking in a loop until ``duration`` or ``max_requests``."""
    import httpx

    tally = _Tally()
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    headers = {"Accept": "application/json, application/sparql-results+json"}
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=timeout,
                                 headers=headers) as http:
        start = time.monotonic()
        end = start + duration
        await asyncio.gather(*(_client(http, make, random.Random(f"{endpoint}/{i}"), tally,
                                       end, max_requests) for i in range(clients)))
        seconds = time.monotonic() - start
    return summarise(endpoint, clients, tally.times, tally.statuses, seconds)


# wrk's Lua hooks: the paths in a fixed (pre-shuffled) order, and the summary as one JSON
# line (wrk's own --latency report has no 95th percentile).
_WRK_SCRIPT = """
local paths = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[((i - 1) %% #paths) + 1], {["Accept"] = "application/json"})
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK {"requests":%%d,"duration_us":%%d,"non2xx":%%d,"socket_errors":%%d,' ..
    '"p50":%%d,"p95":%%d,"p99":%%d,"max":%%d}\\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
"""


def _lua_string(path: str) -> str:
    return '"' + path.replace("\\", "\\\\").replace('"', '\\"') + '"'


def load_wrk(base_url: str, endpoint: str, make: Callable[[random.Random], str],
             clients: int, duration: float, n_paths: int = 5000) -> LoadResult:
    """The same load from ``wrk`` (C, one thread, ``clients`` connections): a lighter
    load generator than Python, so more of the machine is left to the server. The
    paths are ``n_paths`` draws of ``make``, asked in order and then again."""
    import tempfile

    rng = random.Random(f"{endpoint}/wrk")
    paths = [make(rng) for _ in range(n_paths)]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_WRK_SCRIPT % ", ".join(map(_lua_string, paths)))
    try:
        out = subprocess.run(
            ["wrk", "-t1", f"-c{clients}", f"-d{max(1, round(duration))}s", "--timeout", "30s",
             "-s", script.name, base_url], capture_output=True, text=True, check=True).stdout
    finally:
        Path(script.name).unlink()
    line = next(x for x in out.splitlines() if x.startswith("WRK "))
    got = json.loads(line[4:])
    seconds = got["duration_us"] / 1e6
    ok = got["requests"] - got["non2xx"] - got["socket_errors"]
    return LoadResult(endpoint, clients, got["requests"], ok, got["requests"] - ok,
                      {"200": ok, "other": got["requests"] - ok}, round(seconds, 2),
                      round(ok / seconds, 2) if seconds else 0.0,
                      *(round(got[k] / 1000, 1) for k in ("p50", "p95", "p99", "max")))


def wait_for_search(base_url: str, limit: float = 1800.0) -> float:
    """Seconds until ``/documents?q=`` stops answering 503 (the server builds its search
    index in the background at start: measuring before it is done would time that
    build, not the endpoints)."""
    import httpx

    start = time.perf_counter()
    with httpx.Client(base_url=base_url, timeout=60) as http:
        while time.perf_counter() - start < limit:
            if http.get("/documents", params={"q": "chi thi 33"}).status_code != 503:
                break
            time.sleep(1.0)
    return round(time.perf_counter() - start, 1)


def wait_for_answers(base_url: str, limit: float = 7200.0) -> dict[str, Any]:
    """Seconds until ``/health`` reports every document's answer kept (the server fills
    them in the background at start, one worker at a time: ``api.answer_store``), and
    the last status seen."""
    import httpx

    start = time.perf_counter()
    status: dict[str, Any] = {}
    with httpx.Client(base_url=base_url, timeout=60) as http:
        while time.perf_counter() - start < limit:
            status = http.get("/health").json().get("document_answers") or {}
            if not status or status.get("complete"):
                break
            time.sleep(2.0)
    return {"seconds": round(time.perf_counter() - start, 1), **status}


def warm_up(base_url: str, makers: dict[str, Callable[[random.Random], str]],
            timeout: float) -> dict[str, dict[str, Any]]:
    """One request per endpoint: status and time."""
    import httpx

    out = {}
    rng = random.Random("warm-up")
    with httpx.Client(base_url=base_url, timeout=timeout) as http:
        for name, make in makers.items():
            start = time.perf_counter()
            response = http.get(make(rng), headers={"Accept": "application/json"})
            out[name] = {"status": response.status_code,
                         "ms": round((time.perf_counter() - start) * 1000, 1),
                         "bytes": len(response.content)}
    return out


# --- 5. profile -----------------------------------------------------------------------------


def start_profile(pid: int, seconds: float, out: Path) -> subprocess.Popen[bytes] | None:
    """``py-spy record`` of ``pid`` and its children in raw (collapsed) form, or None."""
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    if not Path(spy).exists():
        print("py-spy not found: no profile", flush=True)
        return None
    cmd = [spy, "record", "--pid", str(pid), "--subprocesses", "--duration", str(int(seconds)),
           "--rate", "50", "--format", "raw", "--output", str(out), "--nonblocking"]
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _frame_name(frame: str) -> str:
    """``fn (path/to/module.py:12)`` → ``fn (module.py)``: one name per function."""
    name, _, where = frame.partition(" (")
    return f"{name} ({Path(where.split(':')[0]).name})" if where else name


def _children(pid: int) -> list[int]:
    """Direct children of ``pid`` (Linux ``/proc``)."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found += [int(c) for c in (task / "children").read_text().split()]
    return found


def tree_rss_mb(pid: int) -> dict[str, float]:
    """Resident memory (MB) of the server process and of its query workers."""
    def rss(p: int) -> float:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return 0.0

    workers = _children(pid)
    return {"server_mb": round(rss(pid), 1),
            "workers_mb": round(sum(rss(c) for c in workers), 1), "workers": len(workers)}


def hot_functions(raw: Path, top: int = 15) -> dict[str, Any]:
    """Functions with the most samples in a collapsed-stack file: self and inclusive."""
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    total = 0
    for line in raw.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        n = int(count)
        frames = [_frame_name(f) for f in stack.split(";") if f]
        total += n
        if frames:
            own[frames[-1]] += n
        for name in set(frames):
            inclusive[name] += n

    def share(c: Counter[str]) -> list[tuple[str, float]]:
        return [(k, round(100 * v / total, 1)) for k, v in c.most_common(top)] if total else []

    return {"samples": total, "self_pct": share(own), "inclusive_pct": share(inclusive)}


# --- report ---------------------------------------------------------------------------------


def markdown(rows: list[LoadResult], target_ms: float) -> str:
    """Results table; the target column applies to the REST endpoints at full concurrency."""
    lines = ["| endpoint | clients | requests | ok | errors | req/s | p50 ms | p95 ms | "
             "p99 ms | max ms |", "|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r.endpoint} | {r.clients} | {r.requests} | {r.ok} | {r.errors} | "
                     f"{r.throughput_rps} | {r.p50_ms} | {r.p95_ms} | {r.p99_ms} | "
                     f"{r.max_ms} |")
    rest = [r for r in rows if r.clients > 1 and r.endpoint in ("documents", "trace")]
    verdict = ", ".join(
        f"{r.endpoint}: p95 {r.p95_ms} ms, {r.errors} errors "
        f"({'met' if r.errors == 0 and (r.p95_ms or 1e9) < target_ms else 'NOT met'})"
        for r in rest)
    return "\n".join(lines) + f"\n\nTarget p95 < {target_ms:g} ms: {verdict}"


def run(args: argparse.Namespace) -> dict[str, Any]:
    """The whole benchmark (see the module docstring)."""
    result: dict[str, Any] = {"machine": machine_info(), "docs": args.docs, "seed": args.seed,
                              "started": dt.datetime.now().isoformat(timespec="seconds"),
                              "settings": dict(vars(args))}
    folder, result["store"] = build_store(args.docs, args.seed, args.build_workers)
    print("store", folder, result["store"], flush=True)
    if args.text_files:
        folder, result["text_files"] = add_text_files(folder, args.docs, args.seed,
                                                      args.text_files)
        print("text files", folder, result["text_files"], flush=True)
    if args.build_only:
        return result
    targets = pick_targets(folder, args.docs, args.seed, args.sample)
    result["sparql_rows"] = targets.sparql_rows
    makers = {k: v for k, v in url_makers(targets, args.cold).items()
              if not args.only or k in args.only.split(",")}
    port = args.port or free_port()
    base_url = f"http://{HOST}:{port}"
    rows: list[LoadResult] = []
    started = time.perf_counter()
    with server(folder, port, args.workers, args.query_timeout) as proc:
        result["server_start_s"] = round(time.perf_counter() - started, 1)
        result["search_index_s"] = wait_for_search(base_url)
        print("search index ready after", result["search_index_s"], "s", flush=True)
        if not args.no_wait_answers:
            result["document_answers"] = wait_for_answers(base_url)
            print("document answers", result["document_answers"], flush=True)
        result["rss_after_start"] = tree_rss_mb(proc.pid)
        result["warm_up"] = warm_up(base_url, makers, args.client_timeout)
        print("warm-up", result["warm_up"], flush=True)
        profiles = set(args.profile.split(",")) if args.profile else set()
        for name, make in makers.items():
            for clients in (1, args.clients):
                spy = None
                raw = OUT_DIR / f"bench_api-profile-{name}.txt"
                if clients > 1 and name in profiles:
                    spy = start_profile(proc.pid, min(args.duration, 15), raw)
                if args.wrk and clients > 1:
                    r = load_wrk(base_url, name, make, clients, args.duration)
                else:
                    r = asyncio.run(load(base_url, name, make, clients,
                                         args.duration if clients > 1 else args.single_duration,
                                         args.max_requests, args.client_timeout))
                rows.append(r)
                print(asdict(r), flush=True)
                if spy is not None:
                    spy.wait(60)
                    if raw.exists():
                        result.setdefault("profiles", {})[name] = hot_functions(raw)
        result["rss_after_load"] = tree_rss_mb(proc.pid)
        print("memory", result["rss_after_start"], result["rss_after_load"], flush=True)
    result["load"] = [asdict(r) for r in rows]
    result["table"] = markdown(rows, args.target_ms)
    path = write_result(f"bench_api-{args.docs}{args.label}", result)
    print(f"wrote {path}")
    print(result["table"])
    return result


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--build-workers", type=int, default=2,
                        help="processes that map records to RDF (first build only)")
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--text-files", type=int, default=200,
                        help="synthetic text files with an attached outline, added through "
                             "the pipeline (the targets of /trace)")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--duration", type=float, default=20.0,
                        help="seconds of concurrent load per endpoint")
    parser.add_argument("--single-duration", type=float, default=10.0,
                        help="seconds of one-client load per endpoint")
    parser.add_argument("--max-requests", type=int, default=5000,
                        help="most requests per endpoint and concurrency")
    parser.add_argument("--sample", type=int, default=500, help="documents to draw ids from")
    parser.add_argument("--wrk", action="store_true",
                        help="concurrent load from wrk (apt install wrk) instead of httpx")
    parser.add_argument("--no-wait-answers", action="store_true",
                        help="measure before the kept /documents answers are filled")
    parser.add_argument("--cold", action="store_true",
                        help="each target once before any repeats (the uncached path)")
    parser.add_argument("--workers", type=int, default=2, help="server query workers")
    parser.add_argument("--query-timeout", type=float, default=10.0,
                        help="server query time limit (s)")
    parser.add_argument("--client-timeout", type=float, default=60.0)
    parser.add_argument("--port", type=int, default=0, help="0: a free port")
    parser.add_argument("--only", help="comma-separated endpoints to run")
    parser.add_argument("--profile", help="comma-separated endpoints to profile with py-spy")
    parser.add_argument("--target-ms", type=float, default=50.0)
    parser.add_argument("--label", default="", help="suffix of the result file name")
    run(parser.parse_args(argv))


if __name__ == "__main__":
    main()
