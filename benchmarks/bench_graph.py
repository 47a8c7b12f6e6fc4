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
4. Queries: every ``graph/queries/*.rq``, bound to typical values (the most cited root,
   a level-5 document, a date window), through ``GraphStore.query`` (what the API and CLI
   call): warm-up, then ``--runs`` timed runs, p50/p95.
5. rdflib baseline in a child process: the same N-Quads into ``Dataset(default_union=True)``
   and the same query texts; a load or a run that exceeds its cap is recorded as
   ``"> cap"`` and the query is given up.

    python -m benchmarks.bench_graph --docs 10000 --seed 0
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

from benchmarks.machine import OUT_DIR, machine_info, peak_rss_mb, write_result

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


def build_nquads(n_docs: int, seed: int, workers: int, base: str) -> tuple[Path, dict[str, Any]]:
    """N-Quads of ``n_docs`` synthetic records (cached); with mapping throughput."""
    from graph.rdf import extractor_version

    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    stem = f"synth-{n_docs}-s{seed}-v{extractor_version()}"
    path, meta = CACHE_DIR / f"{stem}.nq", CACHE_DIR / f"{stem}.json"
    if path.exists() and meta.exists():
        return path, {**json.loads(meta.read_text()), "cached": True}
    step = 1000
    jobs = [(a, min(a + step, n_docs), seed, base) for a in range(0, n_docs, step)]
    docs = triples = size = 0
    start = time.perf_counter()
    with path.open("w", encoding="utf-8") as out, ProcessPoolExecutor(workers) as ex:
        for text, d, t, s in ex.map(_nquads_chunk, jobs):
            out.write(text)
            docs, triples, size = docs + d, triples + t, size + s
    elapsed = time.perf_counter() - start
    stats = {"documents": docs, "triples": triples, "source_mb": round(size / 1e6, 3),
             "nquads_mb": round(path.stat().st_size / 1e6, 1), "workers": workers,
             "seconds": round(elapsed, 2), "docs_per_s": round(docs / elapsed, 1),
             "triples_per_s": round(triples / elapsed)}
    meta.write_text(json.dumps(stats))
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

    store = ox.Store(str(folder))
    start = time.perf_counter()
    store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    store.flush()
    elapsed = time.perf_counter() - start
    del store
    gc.collect()
    return {"seconds": round(elapsed, 2), "docs_per_s": round(docs / elapsed, 1),
            "triples_per_s": round(triples / elapsed),
            "nquads_mb_per_s": round(nquads.stat().st_size / 1e6 / elapsed, 1),
            "disk_mb": _disk_mb(folder), "rss_mb": round(peak_rss_mb(), 1)}


# --- 4. query cases -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Case:
    """One query run: a name ("report_documents[doc=root]") and the full query text."""

    name: str
    text: str


@dataclass(frozen=True, slots=True)
class Probe:
    """Typical values to bind: IRIs, a symbol, dates (N-Triples/SPARQL term text)."""

    root: str  # the most cited document
    leaf: str  # a level-5 document (six-level chain above it)
    symbol: str
    start: str
    end: str


def probe(n_docs: int, seed: int, base: str) -> Probe:
    """Pick the most cited root and the first level-5 document of the corpus."""
    from benchmarks.synth_model import Kind
    from benchmarks.synth_plan import plans
    from benchmarks.synth_records import _key
    from graph.iri import document_iri

    leaf = next(p for p in islice(plans(seed), n_docs) if p.kind is Kind.WARD_FOLLOWUP)
    root_key = _key("33/CT-TTg", 2021, "chi-thi")
    leaf_key = _key(leaf.ref.symbol, leaf.ref.date.year, leaf.ref.slug)
    xsd = "<http://www.w3.org/2001/XMLSchema#date>"
    return Probe(f"<{document_iri(root_key, base)}>", f"<{document_iri(leaf_key, base)}>",
                 '"33/CT-TTg"', f'"2023-01-01"^^{xsd}', f'"2023-03-31"^^{xsd}')


# Variable name → which probe value binds it (names the queries are likely to use).
_BIND: dict[str, str] = {
    "doc": "root", "document": "root", "cited": "root", "target": "root", "root": "root",
    "owner": "root", "citing": "leaf", "leaf": "leaf", "from_doc": "leaf", "start_doc": "leaf",
    "symbol": "symbol", "from": "start", "start": "start", "since": "start", "after": "start",
    "to": "end", "end": "end", "until": "end", "before": "end",
}


def _bindable(text: str) -> list[str]:
    """Variables a query's header comments say may be bound ("?doc may be bound")."""
    import regex

    names: list[str] = []
    for line in text.splitlines():
        if line.lstrip().startswith("#") and "bound" in line:
            names += [n for n in regex.findall(r"\?(\w+)", line) if n not in names]
    return names


def cases(p: Probe) -> Iterator[Case]:
    """Every named query, bound to typical values where it takes parameters."""
    from graph.sparql import inject_values

    values = {"root": p.root, "leaf": p.leaf, "symbol": p.symbol, "start": p.start,
              "end": p.end}
    for path in sorted(QUERY_DIR.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        bound = {n: values[_BIND[n]] for n in _bindable(text) if n in _BIND}
        if bound:
            label = ",".join(f"{k}={_BIND[k]}" for k in bound)
            yield Case(f"{path.stem}[{label}]", _inject(inject_values, text, bound))
        yield Case(path.stem, text)


def _inject(inject: Any, text: str, bound: dict[str, str]) -> str:
    """Bind through ``graph.sparql.inject_values`` (terms parsed from their text)."""
    from rdflib.util import from_n3

    return str(inject(text, {k: from_n3(v) for k, v in bound.items()}))


def _percentiles(times: list[float]) -> dict[str, Any]:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"runs": len(times), "p50_ms": round(statistics.median(ordered) * 1000, 2),
            "p95_ms": round(p95 * 1000, 2)}


def time_query(run: Any, text: str, runs: int, cap: float) -> dict[str, Any]:
    """Warm-up once, then ``runs`` timed runs; give up when one run exceeds ``cap``."""
    start = time.perf_counter()
    rows = run(text)
    if time.perf_counter() - start > cap:
        return {"result": f"> {cap:g} s", "runs": 0}
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        run(text)
        times.append(time.perf_counter() - t)
        if times[-1] > cap:
            return {"result": f"> {cap:g} s", "runs": len(times)}
    return {**_percentiles(times), "rows": rows}


def oxigraph_queries(folder: Path, base: str, all_cases: list[Case], runs: int,
                     cap: float) -> dict[str, Any]:
    from graph.store import OxigraphStore

    store = OxigraphStore(folder, base=base)
    store.ensure_ontology()

    def run(text: str) -> int:
        return len(store.query(text).rows)

    out = {c.name: time_query(run, c.text, runs, cap) for c in all_cases}
    store.close()
    return out


# --- 5. rdflib baseline (child process) ---------------------------------------------------------


class _Timeout(Exception):
    pass


def _alarm(_signum: int, _frame: Any) -> None:
    raise _Timeout


def rdflib_child(args: dict[str, Any]) -> dict[str, Any]:
    """Load the N-Quads into rdflib and run the same query texts, each under a cap."""
    from rdflib import Dataset, URIRef

    from graph.iri import ontology_graph_iri
    from ontology.load import ontology_graph

    signal.signal(signal.SIGALRM, _alarm)
    ds = Dataset(default_union=True)
    start = time.perf_counter()
    signal.alarm(int(args["load_cap"]))
    try:
        ds.parse(args["nquads"], format="nquads")
        onto = ds.graph(URIRef(str(ontology_graph_iri(args["base"]))))
        for triple in ontology_graph():
            onto.add(triple)
    except _Timeout:
        return {"load": {"result": f"> {args['load_cap']:g} s"}, "queries": {}}
    finally:
        signal.alarm(0)
    load = {"seconds": round(time.perf_counter() - start, 2), "triples": len(ds),
            "rss_mb": round(peak_rss_mb(), 1)}
    cap = float(args["cap"])

    def run(text: str) -> int:
        signal.setitimer(signal.ITIMER_REAL, cap + 0.5)
        try:
            return len(list(ds.query(text)))
        except _Timeout:
            return -1
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)

    queries = {}
    for name, text in args["cases"]:
        queries[name] = time_query(run, text, args["runs"], cap)
    return {"load": load, "queries": queries}


def rdflib_baseline(nquads: Path, base: str, all_cases: list[Case], runs: int, cap: float,
                    load_cap: float, total_cap: float) -> dict[str, Any]:
    payload = {"nquads": str(nquads), "base": base, "cases": [(c.name, c.text) for c in all_cases],
               "runs": runs, "cap": cap, "load_cap": load_cap}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(payload, f)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "benchmarks.bench_graph", "--rdflib-child", f.name],
            capture_output=True, text=True, timeout=total_cap,
            cwd=Path(__file__).resolve().parents[1], check=False)
    except subprocess.TimeoutExpired:
        return {"load": {"result": f"> {total_cap:g} s (whole baseline)"}, "queries": {}}
    finally:
        os.unlink(f.name)
    if done.returncode != 0:
        return {"error": done.stderr[-2000:]}
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


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
            ratio = f"×{r['p50_ms'] / o['p50_ms']:.0f}"
        elif r and "result" in r:
            ratio = f"> ×{float(r['result'].split()[1]) * 1000 / max(o.get('p50_ms', 1), 1e-3):.0f}"
        lines.append(f"| {name} | {o.get('rows', '')} | {_cell(o)} | {_cell(r)} | {ratio} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--api-docs", type=int, default=2000,
                        help="documents ingested through OxigraphStore.replace_source")
    parser.add_argument("--runs", type=int, default=20, help="timed runs per query")
    parser.add_argument("--cap", type=float, default=10.0, help="seconds per query run")
    parser.add_argument("--rdflib-load-cap", type=float, default=600.0)
    parser.add_argument("--rdflib-total-cap", type=float, default=1800.0)
    parser.add_argument("--no-rdflib", action="store_true")
    parser.add_argument("--rdflib-child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.rdflib_child:
        print(json.dumps(rdflib_child(json.loads(Path(args.rdflib_child).read_text()))))
        return
    from graph.iri import base_iri

    base = base_iri()
    result: dict[str, Any] = {"machine": machine_info(), "docs": args.docs, "seed": args.seed,
                              "started": dt.datetime.now().isoformat(timespec="seconds")}
    nquads, result["mapping"] = build_nquads(args.docs, args.seed, args.workers, base)
    print("mapping", result["mapping"], flush=True)
    work = Path(tempfile.mkdtemp(prefix="luocdo-bench-", dir=CACHE_DIR))
    try:
        result["api_ingest"] = api_ingest(min(args.api_docs, args.docs), args.seed,
                                          work / "api", base)
        print("api ingest", result["api_ingest"], flush=True)
        result["bulk_load"] = bulk_load(nquads, work / "bulk", result["mapping"]["documents"],
                                        result["mapping"]["triples"])
        print("bulk load", result["bulk_load"], flush=True)
        all_cases = list(cases(probe(args.docs, args.seed, base)))
        result["oxigraph_queries"] = oxigraph_queries(work / "bulk", base, all_cases, args.runs,
                                                      args.cap)
        print("oxigraph", result["oxigraph_queries"], flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    result["rdflib"] = {} if args.no_rdflib else rdflib_baseline(
        nquads, base, all_cases, args.runs, args.cap, args.rdflib_load_cap,
        args.rdflib_total_cap)
    result["table"] = markdown(result)
    path = write_result(f"bench_graph-{args.docs}", result)
    print(f"wrote {path}")
    print("rdflib", {k: v for k, v in result["rdflib"].items() if k != "queries"})
    print(result["table"])


if __name__ == "__main__":
    main()
