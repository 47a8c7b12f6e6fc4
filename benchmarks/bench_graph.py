"""Graph benchmark: ingest into the embedded Oxigraph store and named-query latency, with
rdflib's in-memory ``Dataset`` measured in the same run as the baseline.

Steps (``--docs`` synthetic documents from ``benchmarks.synth.generate_records``):

1. RDF mapping: ``graph.rdf.file_graph`` for every record, in a process pool, written as
   N-Quads (one named graph per source file, as ``graph.store`` keeps them). Cached in
   ``benchmarks/out/graph-cache/`` keyed by size, seed and extractor version.
2. API ingest: ``OxigraphStore.replace_source`` per file (one transaction each, the CLI's
   path) on the first ``--api-docs`` records: documents/s, triples/s, MB/s of source text.
3. Bulk load: ``pyoxigraph.Store.bulk_load`` of the whole N-Quads file into an on-disk
   store: documents/s, triples/s, disk size, RSS. The query phase uses this store.
4. ``graph.pipeline.refresh_derived`` (cross-file resolution) once, timed.
5. Queries: a document lookup (``graph.queries.resolve_documents``) and every
   ``graph/queries/*.rq`` through ``graph.queries.run_named`` (what the CLI and API call),
   with parameters a user would give (the most cited root "33/CT-TTg", a ministry letter,
   a level-5 document; type, issuer, year): warm-up, then ``--runs`` timed runs, p50/p95.
   Each case runs in its own child process under an address-space limit, so a runaway
   query is recorded as ``"> cap"`` instead of taking the machine down.
6. rdflib baseline in one child process: the same N-Quads into ``Dataset(default_union=True)``
   behind the same ``GraphStore`` interface, the same cases; a load or a run that
   exceeds its cap is recorded as ``"> cap"`` and that case is given up.

    python -m benchmarks.bench_graph --docs 10000 --seed 0

With ``--store DIR`` only step 5 runs, on a store ``benchmarks.bench_api`` built (its
``api-store-<docs>-s<seed>``): a store too large to build beside its N-Quads and a
second copy (300,000 documents on this machine's disk) is measured so.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from benchmarks.machine import OUT_DIR, load_average, machine_info, peak_rss_mb, write_result

QUERY_DIR = Path(__file__).resolve().parents[1] / "graph" / "queries"
CACHE_DIR = OUT_DIR / "graph-cache"
PROVENANCE_TIME = '"2026-01-01T00:00:00+00:00"^^<http://www.w3.org/2001/XMLSchema#dateTime>'


# --- 1. records → N-Quads -------------------------------------------------------------------


def _nquads_chunk(job: tuple[int, int, int, str]) -> tuple[str, int, int, int]:
    """Pool task: N-Quads of records ``[start, end)``; returns (text, docs, triples, bytes)."""
    from benchmarks.synth import generate_records
    from graph.iri import provenance_graph_iri, source_graph_iri
    from graph.rdf import file_graph
    from graph.sparql import nt_lines, term_sparql

    start, end, seed, base = job
    prov = term_sparql(provenance_graph_iri(base))
    stamp = "<http://www.w3.org/ns/prov#generatedAtTime>"
    lines: list[str] = []
    docs = triples = size = 0
    for result in generate_records(end, seed, start=start):
        name = term_sparql(source_graph_iri(result.path, base))
        graph_lines = nt_lines(file_graph(result, base=base))
        lines.extend(f"{line[:-1]}{name} ." for line in graph_lines)
        lines.append(f"{name} {stamp} {PROVENANCE_TIME} {prov} .")
        docs += 1
        triples += len(graph_lines)
        size += len(result.source_text.encode("utf-8"))
    return "\n".join(lines) + "\n", docs, triples, size


def _mapping_version() -> str:
    """Hash of the code that shapes the triples, so a changed mapping is never served
    from the cache."""
    import hashlib

    root = Path(__file__).resolve().parents[1]
    h = hashlib.sha256()
    for rel in ("graph/rdf.py", "graph/iri.py", "graph/due_index.py", "graph/packed.py",
                "graph/cite_index.py", "graph/obligation_index.py",
                "benchmarks/synth_records.py",
                "benchmarks/synth_plan.py", "ingest/identity.py"):
        h.update((root / rel).read_bytes())
    return h.hexdigest()[:10]


_CHUNK_DOCS = 1000  # records per pool task
_PROGRESS_EVERY = 10  # chunks between two records of how far the mapping got


def _progress(path: Path) -> dict[str, Any] | None:
    """How far an unfinished mapping got (``build_nquads``), if it left a record."""
    try:
        found: dict[str, Any] = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return found


def build_nquads(n_docs: int, seed: int, workers: int, base: str) -> tuple[Path, dict[str, Any]]:
    """N-Quads of ``n_docs`` synthetic records (cached); with mapping throughput.

    Resumable: every ``_PROGRESS_EVERY`` chunks the bytes written so far are recorded
    beside the file (``.progress.json``), so a run that is stopped (a million documents
    map for about two hours) goes on from there when run again, the file cut back to
    what was recorded."""
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    stem = f"synth-{n_docs}-s{seed}-{_mapping_version()}"
    path, meta = CACHE_DIR / f"{stem}.nq", CACHE_DIR / f"{stem}.json"
    progress = CACHE_DIR / f"{stem}.progress.json"
    if path.exists() and meta.exists():
        return path, {**json.loads(meta.read_text()), "cached": True}
    done = _progress(progress) if path.exists() else None
    done = done or {"chunks": 0, "bytes": 0, "docs": 0, "triples": 0, "size": 0, "seconds": 0.0}
    jobs = [(a, min(a + _CHUNK_DOCS, n_docs), seed, base)
            for a in range(0, n_docs, _CHUNK_DOCS)][done["chunks"]:]
    start = time.perf_counter()
    with path.open("r+b" if done["bytes"] else "wb") as out, ProcessPoolExecutor(workers) as ex:
        out.truncate(done["bytes"])
        out.seek(done["bytes"])
        for k, (text, d, t, s) in enumerate(ex.map(_nquads_chunk, jobs), start=1):
            out.write(text.encode("utf-8"))
            for key, value in (("docs", d), ("triples", t), ("size", s)):
                done[key] += value
            if k % _PROGRESS_EVERY == 0:
                out.flush()
                seconds = done["seconds"] + time.perf_counter() - start
                record = {**done, "chunks": done["chunks"] + k, "bytes": out.tell(),
                          "seconds": seconds}
                progress.with_suffix(".part").write_text(json.dumps(record))
                progress.with_suffix(".part").replace(progress)
    elapsed = done["seconds"] + time.perf_counter() - start
    docs, triples, size = done["docs"], done["triples"], done["size"]
    stats = {"documents": docs, "triples": triples, "source_mb": round(size / 1e6, 3),
             "nquads_mb": round(path.stat().st_size / 1e6, 1), "workers": workers,
             "seconds": round(elapsed, 2), "docs_per_s": round(docs / elapsed, 1),
             "triples_per_s": round(triples / elapsed)}
    meta.write_text(json.dumps(stats))
    progress.unlink(missing_ok=True)
    return path, {**stats, "cached": False}


# --- 2. and 3. Oxigraph ingest ------------------------------------------------------------------


def _disk_mb(path: Path) -> float:
    return round(sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6, 1)


def api_ingest(n_docs: int, seed: int, folder: Path, base: str) -> dict[str, Any]:
    """``OxigraphStore.replace_source`` per file, timed apart from the RDF mapping."""
    from benchmarks.synth import generate_records
    from graph.iri import source_graph_iri
    from graph.rdf import file_graph
    from graph.store import OxigraphStore

    graphs = []
    size = 0
    mapped = time.perf_counter()
    for result in generate_records(n_docs, seed):
        graphs.append((source_graph_iri(result.path, base), file_graph(result, base=base)))
        size += len(result.source_text.encode("utf-8"))
    mapped = time.perf_counter() - mapped
    triples = sum(len(g) for _, g in graphs)
    store = OxigraphStore(folder, base=base)
    start = time.perf_counter()
    for name, graph in graphs:
        store.replace_source(name, graph)
    store.close()
    written = time.perf_counter() - start
    del store
    gc.collect()
    return {"documents": n_docs, "triples": triples, "mapping_seconds": round(mapped, 2),
            "write_seconds": round(written, 2),
            "docs_per_s": round(n_docs / (mapped + written), 1),
            "write_docs_per_s": round(n_docs / written, 1),
            "triples_per_s": round(triples / written),
            "source_mb_per_s": round(size / 1e6 / (mapped + written), 3),
            "disk_mb": _disk_mb(folder)}


def bulk_load(nquads: Path, folder: Path, docs: int, triples: int) -> dict[str, Any]:
    """``pyoxigraph.Store.bulk_load`` of the whole file into an on-disk store."""
    import pyoxigraph as ox

    from graph import union

    store = ox.Store(str(folder))
    start = time.perf_counter()
    store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    store.flush()
    elapsed = time.perf_counter() - start
    disk = _disk_mb(folder)
    start = time.perf_counter()
    copied = union.rebuild(store, bulk=True, nquads=str(nquads))  # graph.union
    store.flush()
    union_seconds = time.perf_counter() - start
    del store
    gc.collect()
    return {"seconds": round(elapsed, 2), "docs_per_s": round(docs / elapsed, 1),
            "triples_per_s": round(triples / elapsed),
            "nquads_mb_per_s": round(nquads.stat().st_size / 1e6 / elapsed, 1),
            "disk_mb": disk, "union_seconds": round(union_seconds, 2),
            "union_quads_copied": copied, "disk_mb_with_union": _disk_mb(folder),
            "rss_mb": round(peak_rss_mb(), 1)}


# --- 4. and 5. query cases, run in child processes ----------------------------------------------


@dataclass(frozen=True, slots=True)
class Case:
    """One measured call: a named query with user-style parameters, or a document lookup.

    ``query`` is a ``graph/queries`` name; None means ``graph.queries.resolve_documents``
    (symbol → document IRIs); ``"__refresh__"`` means ``graph.pipeline.refresh_derived``.
    """

    name: str
    query: str | None
    params: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Probe:
    """Typical documents to ask about, as a user types them (symbols)."""

    root: str  # the most cited root directive
    mid: str  # a ministry letter: cited by a handful of provinces
    leaf: str  # a level-5 document: six levels of implementation above it


def probe(n_docs: int, seed: int) -> Probe:
    """The most cited root, the first lead letter and the first level-5 document."""
    from benchmarks.synth_model import Kind
    from benchmarks.synth_plan import plans

    found: dict[Kind, str] = {}
    for p in islice(plans(seed), n_docs):
        if p.kind in (Kind.LEAD_LETTER, Kind.WARD_FOLLOWUP) and p.kind not in found:
            found[p.kind] = p.ref.symbol
        if len(found) == 2:
            break
    return Probe("33/CT-TTg", found.get(Kind.LEAD_LETTER, "33/CT-TTg"),
                 found.get(Kind.WARD_FOLLOWUP, "33/CT-TTg"))


def _value(kind: str, name: str) -> str | None:
    """A typical value for a non-document parameter of ``kind``."""
    if kind == "date":
        return "2023-03-31" if name in ("to", "end", "until", "before") else "2023-01-01"
    return {"doctype": "chi-thi", "integer": "2023", "string": "Bộ Nội vụ"}.get(kind)


def cases(p: Probe) -> list[Case]:
    """A document lookup, then every named query bound like a user would bind it."""
    from graph.queries import list_queries

    out = [Case("lookup[root]", None, (("value", p.root),)),
           Case("lookup[leaf]", None, (("value", p.leaf),)),
           # what /documents/{id} asks: one page of citations in, and their total
           Case("cited_by[root, page of 20]", "cited_by", (("doc", p.root), ("limit", "20")))]
    for q in list_queries():
        required = [x for x in q.params if not x.optional]
        values = {x.name: _value(x.kind, x.name) for x in required if x.kind != "document"}
        fixed = {k: v for k, v in values.items() if v is not None}
        if len(fixed) < len(values):
            continue  # a required parameter we cannot fill (an IRI of something else)
        docs = [x.name for x in required if x.kind == "document"]
        if docs:
            for label, symbol in (("root", p.root), ("mid", p.mid), ("leaf", p.leaf)):
                params = {**fixed, **dict.fromkeys(docs, symbol)}
                out.append(Case(f"{q.name}[{label}]", q.name, tuple(sorted(params.items()))))
            continue
        out.append(Case(q.name, q.name, tuple(sorted(fixed.items()))))
        for x in q.params:
            value = _value(x.kind, x.name) if x.optional else None
            if value is not None:
                params = {**fixed, x.name: value}
                out.append(Case(f"{q.name}[{x.name}={value}]", q.name,
                                tuple(sorted(params.items()))))
    return out


def run_case(store: Any, case: Case) -> int:
    """Run one case against any ``GraphStore``; returns the number of rows (or links)."""
    from graph.queries import resolve_documents, run_named

    params: dict[str, Any] = dict(case.params)
    if "limit" in params:
        params["limit"] = int(params["limit"])
    if case.query is None:
        return len(resolve_documents(store, params["value"]))
    if case.query == "__refresh__":
        from graph.pipeline import refresh_derived

        return refresh_derived(store)
    return len(run_named(store, case.query, **params))


def _limit_memory(gb: float) -> None:
    import resource

    limit = int(gb * 1e9)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _emit(payload: dict[str, Any]) -> None:
    print(json.dumps(payload), flush=True)


def _timed_runs(store: Any, case: Case, runs: int, cap: float, budget: float,
                *, on_run: Any = None) -> dict[str, Any]:
    """Warm-up, then up to ``runs`` runs; stop at a run over ``cap`` or past ``budget``."""
    start = time.perf_counter()
    rows = run_case(store, case)
    first = time.perf_counter() - start
    if runs == 0:  # a one-off step (refresh_derived): its time is the result
        return {"seconds": round(first, 3), "rows": rows}
    if first > cap:
        return {"result": f"> {cap:g} s", "runs": 0, "rows": rows}
    times: list[float] = []
    begun = time.perf_counter()
    while len(times) < runs:
        t = time.perf_counter()
        run_case(store, case)
        times.append(time.perf_counter() - t)
        if on_run is not None:
            on_run(times[-1])
        if times[-1] > cap:
            return {"result": f"> {cap:g} s", "runs": len(times), "rows": rows}
        if time.perf_counter() - begun > budget and len(times) >= 3:
            break
    return {**_percentiles(times), "rows": rows}


def _percentiles(times: list[float]) -> dict[str, Any]:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"runs": len(times), "p50_ms": round(statistics.median(ordered) * 1000, 2),
            "p95_ms": round(p95 * 1000, 2)}


def oxigraph_child(args: dict[str, Any]) -> None:
    """One case against the on-disk store; prints a line per run, then the result."""
    from graph.store import OxigraphStore

    _limit_memory(args["memory_gb"])
    case = Case(args["name"], args["query"], tuple(tuple(x) for x in args["params"]))
    store = OxigraphStore(Path(args["folder"]), base=args["base"])
    _emit({"ready": True})
    result = _timed_runs(store, case, args["runs"], args["cap"], args["budget"],
                         on_run=lambda t: _emit({"run": t}))
    _emit({"result": result})


def _child(mode: str, payload: dict[str, Any], wait: float) -> Iterator[dict[str, Any]]:
    """Run ``bench_graph --<mode> payload`` and yield its JSON lines; stop after ``wait``
    seconds without a line (the child is killed)."""
    import queue
    import threading

    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(payload, f)
    proc = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.bench_graph", f"--{mode}", f.name],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        cwd=Path(__file__).resolve().parents[1])
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    try:
        while True:
            try:
                line = lines.get(timeout=wait)
            except queue.Empty:
                yield {"timeout": True}
                return
            if line is None:
                err = proc.stderr.read()[-1500:] if proc.stderr else ""
                if proc.wait() != 0:
                    yield {"error": err.strip().splitlines()[-1] if err.strip() else "died"}
                return
            if line.startswith("{"):
                yield json.loads(line)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        os.unlink(f.name)


def oxigraph_case(folder: Path, base: str, case: Case, runs: int, cap: float, budget: float,
                  memory_gb: float) -> dict[str, Any]:
    """One case in its own process (a runaway query cannot take the benchmark down)."""
    payload = {"folder": str(folder), "base": base, "name": case.name, "query": case.query,
               "params": case.params, "runs": runs, "cap": cap, "budget": budget,
               "memory_gb": memory_gb}
    done = 0
    for msg in _child("oxigraph-child", payload, wait=cap + 30):
        if "run" in msg:
            done += 1
        if "result" in msg:
            return dict(msg["result"])
        if "timeout" in msg:
            return {"result": f"> {cap:g} s", "runs": done}
        if "error" in msg:
            return {"result": f"failed: {msg['error'][:200]}", "runs": done}
    return {"result": "no result", "runs": done}


class _Timeout(Exception):
    pass


def _alarm(_signum: int, _frame: Any) -> None:
    raise _Timeout


def _rdflib_store(ds: Any, base: str) -> Any:
    """``Dataset`` behind the ``GraphStore`` interface, so the same code path runs."""
    from graph.results import QueryResult
    from graph.store import GraphStore

    class RdflibStore(GraphStore):
        def _query(self, text: str) -> QueryResult:
            res = ds.query(text)
            if res.type == "ASK":
                return QueryResult("ask", boolean=bool(res.askAnswer))
            if res.type != "SELECT":
                return QueryResult("graph", graph=res.graph)
            names = tuple(str(v) for v in res.vars or ())
            rows = tuple({str(k): v for k, v in r.asdict().items()} for r in res)
            return QueryResult("select", vars=names, rows=rows)

        def _update(self, text: str) -> None:
            ds.update(text)

        def _replace(self, name: Any, triples: Any, prov: Any) -> None:
            self._update(" ;\n".join(self._replace_ops(name, triples, prov)))

        def close(self) -> None:
            """Nothing to release: the dataset lives in this process."""

    return RdflibStore(base)


def rdflib_child(args: dict[str, Any]) -> None:
    """Load the N-Quads into rdflib, then every case (each under a per-run alarm)."""
    from rdflib import Dataset, URIRef

    from graph.iri import ontology_graph_iri
    from ontology.load import ontology_graph

    _limit_memory(args["memory_gb"])
    signal.signal(signal.SIGALRM, _alarm)
    ds = Dataset(default_union=True)
    start = time.perf_counter()
    signal.setitimer(signal.ITIMER_REAL, args["load_cap"])
    try:
        ds.parse(args["nquads"], format="nquads")
        onto = ds.graph(URIRef(str(ontology_graph_iri(args["base"]))))
        for triple in ontology_graph():
            onto.add(triple)
    except _Timeout:
        _emit({"load": {"result": f"> {args['load_cap']:g} s"}})
        return
    except MemoryError:
        _emit({"load": {"result": f"> {args['memory_gb']:g} GB"}})
        return
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    _emit({"load": {"seconds": round(time.perf_counter() - start, 2), "triples": len(ds),
                    "rss_mb": round(peak_rss_mb(), 1)}})
    store = _rdflib_store(ds, args["base"])
    for name, query, params in args["cases"]:
        case = Case(name, query, tuple(tuple(x) for x in params))
        signal.setitimer(signal.ITIMER_REAL, args["cap"])
        try:
            result = _timed_runs(store, case, args["runs"], args["cap"], args["budget"],
                                 on_run=lambda _t: signal.setitimer(signal.ITIMER_REAL,
                                                                    args["cap"]))
        except _Timeout:
            result = {"result": f"> {args['cap']:g} s"}
        except MemoryError:
            result = {"result": f"> {args['memory_gb']:g} GB"}
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        _emit({"case": name, "result": result})


def rdflib_baseline(nquads: Path, base: str, all_cases: list[Case], args: Any) -> dict[str, Any]:
    payload = {"nquads": str(nquads), "base": base, "runs": args.runs, "cap": args.cap,
               "budget": args.budget, "load_cap": args.rdflib_load_cap,
               "memory_gb": args.memory_gb,
               "cases": [(c.name, c.query, c.params) for c in all_cases]}
    out: dict[str, Any] = {"queries": {}}
    wait = args.rdflib_load_cap + 60
    for msg in _child("rdflib-child", payload, wait=wait):
        if "load" in msg:
            out["load"] = msg["load"]
            wait = args.cap * 2 + args.budget + 30
        elif "case" in msg:
            out["queries"][msg["case"]] = msg["result"]
        elif "timeout" in msg or "error" in msg:
            out["stopped"] = msg
    return out


# --- report -------------------------------------------------------------------------------------


def _cell(r: dict[str, Any] | None) -> str:
    if not r:
        return "n/a"
    if "result" in r:
        return str(r["result"])
    return f"{r['p50_ms']} / {r['p95_ms']}"


def markdown(result: dict[str, Any]) -> str:
    """Query latency table: Oxigraph vs rdflib p50/p95 (ms) and the speed-up at p50."""
    ox, rd = result["oxigraph_queries"], result["rdflib"].get("queries", {})
    lines = ["| query | rows | Oxigraph p50 / p95 ms | rdflib p50 / p95 ms | speed-up (p50) |",
             "|---|---|---|---|---|"]
    for name, o in ox.items():
        r = rd.get(name)
        ratio = "n/a"
        if r and "p50_ms" in r and "p50_ms" in o and o["p50_ms"]:
            ratio = f"×{r['p50_ms'] / o['p50_ms']:.1f}"
        elif r and "result" in r and "p50_ms" in o and r["result"].startswith("> "):
            cap_ms = float(r["result"].split()[1]) * 1000
            ratio = f"> ×{cap_ms / o['p50_ms']:.0f}"
        lines.append(f"| {name} | {o.get('rows', '')} | {_cell(o)} | {_cell(r)} | {ratio} |")
    return "\n".join(lines)


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line's arguments (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--api-docs", type=int, default=2000,
                        help="documents ingested through OxigraphStore.replace_source")
    parser.add_argument("--runs", type=int, default=20, help="timed runs per query")
    parser.add_argument("--cap", type=float, default=10.0, help="seconds per query run")
    parser.add_argument("--budget", type=float, default=30.0,
                        help="seconds of timed runs per query (at least 3 runs)")
    parser.add_argument("--memory-gb", type=float, default=6.0,
                        help="address-space limit of each child process")
    parser.add_argument("--rdflib-load-cap", type=float, default=600.0)
    parser.add_argument("--no-rdflib", action="store_true")
    parser.add_argument("--only", help="comma-separated texts: run only cases whose name "
                        "contains one of them")
    parser.add_argument("--store", help="run the queries on this store, built before by "
                        "benchmarks.bench_api (no mapping, load or rdflib)")
    parser.add_argument("--map-only", action="store_true",
                        help="only build (and cache) the N-Quads file")
    parser.add_argument("--oxigraph-child", help=argparse.SUPPRESS)
    parser.add_argument("--rdflib-child", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point (see the module docstring)."""
    args = arguments(argv)
    if args.oxigraph_child:
        oxigraph_child(json.loads(Path(args.oxigraph_child).read_text()))
        return
    if args.rdflib_child:
        rdflib_child(json.loads(Path(args.rdflib_child).read_text()))
        return
    run(args)


def _prepare_store(folder: Path, base: str) -> None:
    from graph.store import OxigraphStore

    store = OxigraphStore(folder, base=base)
    store.ensure_ontology()
    store.close()
    del store
    gc.collect()


def run(args: Any) -> None:
    """The whole benchmark (see the module docstring)."""
    from graph.iri import base_iri

    base = base_iri()
    result: dict[str, Any] = {"machine": machine_info(), "docs": args.docs, "seed": args.seed,
                              "started": dt.datetime.now().isoformat(timespec="seconds")}
    wanted = [w for w in (args.only or "").split(",") if w]
    all_cases = [c for c in cases(probe(args.docs, args.seed))
                 if not wanted or any(w in c.name for w in wanted)]
    if args.store:
        _run_on_store(Path(args.store), base, all_cases, args, result)
    elif not _run_built(base, all_cases, args, result):
        return  # --map-only
    result["table"] = markdown(result)
    result["load_average_at_end"] = load_average()
    suffix = ("-partial" if wanted else "") + ("-store" if args.store else "")
    path = write_result(f"bench_graph-{args.docs}{suffix}", result)
    print(f"wrote {path}")
    print("rdflib", {k: v for k, v in result["rdflib"].items() if k != "queries"})
    print(result["table"])


def _query_cases(folder: Path, base: str, all_cases: list[Case], args: Any,
                 result: dict[str, Any]) -> None:
    """Every case on the store at ``folder``, into ``result["oxigraph_queries"]``."""
    result["oxigraph_queries"] = {}
    for case in all_cases:
        r = oxigraph_case(folder, base, case, args.runs, args.cap, args.budget, args.memory_gb)
        result["oxigraph_queries"][case.name] = r
        print("oxigraph", case.name, r, flush=True)
    result["disk_mb_after"] = _disk_mb(folder)


def _run_on_store(folder: Path, base: str, all_cases: list[Case], args: Any,
                  result: dict[str, Any]) -> None:
    """``--store``: the cases on a store built before (``benchmarks.bench_api``'s: its
    ontology loaded and its derived links refreshed), without the N-Quads: a store too
    large to build beside its N-Quads and a second copy is measured so. No mapping,
    ingest, load or rdflib figures."""
    marker = folder / "luocdo-bench.json"
    if not marker.exists():
        raise SystemExit(f"{folder}: not a store benchmarks.bench_api built (no {marker.name})")
    built = json.loads(marker.read_text())
    if built["documents"] != args.docs:
        raise SystemExit(f"{folder} holds {built['documents']} documents, not --docs {args.docs}")
    result.update({"store": str(folder), "store_build": built, "rdflib": {},
                   "mapping": {k: built[k] for k in ("documents", "triples")}})
    _query_cases(folder, base, all_cases, args, result)


def _run_built(base: str, all_cases: list[Case], args: Any, result: dict[str, Any]) -> bool:
    """Map, ingest a sample, bulk load into a temporary store and run the cases on it,
    then (unless ``--no-rdflib``) the rdflib baseline on the same N-Quads; False after
    the mapping alone (``--map-only``)."""
    nquads, result["mapping"] = build_nquads(args.docs, args.seed, args.workers, base)
    print("mapping", result["mapping"], flush=True)
    if args.map_only:
        return False
    work = Path(tempfile.mkdtemp(prefix="luocdo-bench-", dir=CACHE_DIR))
    try:
        result["api_ingest"] = api_ingest(min(args.api_docs, args.docs), args.seed,
                                          work / "api", base)
        print("api ingest", result["api_ingest"], flush=True)
        shutil.rmtree(work / "api", ignore_errors=True)
        folder = work / "bulk"
        result["bulk_load"] = bulk_load(nquads, folder, result["mapping"]["documents"],
                                        result["mapping"]["triples"])
        print("bulk load", result["bulk_load"], flush=True)
        _prepare_store(folder, base)
        refresh = oxigraph_case(folder, base, Case("refresh_derived", "__refresh__"), 0,
                                args.rdflib_load_cap, 0, args.memory_gb)
        result["refresh_derived"] = refresh
        print("refresh_derived", refresh, flush=True)
        _query_cases(folder, base, all_cases, args, result)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    result["rdflib"] = {} if args.no_rdflib else rdflib_baseline(nquads, base, all_cases, args)
    return True

if __name__ == "__main__":
    main()
