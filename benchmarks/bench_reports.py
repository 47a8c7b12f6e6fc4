"""Whole-store report benchmark: ``graph.reports.citations``, ``conflicts``, ``submissions``.

These are what ``GET /conflicts``, ``GET /submissions`` and the citation list compute on
their first asking after a write (the API keeps each answer until the next write).
Opens an existing on-disk store read-only (by default the 100k store that
``benchmarks.bench_api --build-only`` builds) and runs each report once, in turn, in one
process; prints and writes the seconds, the number of rows and the peak resident
memory so far to ``benchmarks/out/bench_reports-<docs>-<date>.json``.

    .venv/bin/python -m benchmarks.bench_reports --store benchmarks/out/api-store-100000-s0

The synthetic corpus's tables have one column, "Văn bản triển khai", which names no kind
of report, so ``submissions`` matches no cell against an obligation.
``--columns-as yearly`` (or ``half-yearly``, ``criteria``, ``plan``) measures the
matching too: every column is read as naming that kind (``graph.reports._kind`` is
replaced in this process only), so every cell is matched against every obligation of
the kind, as a national corpus of real report tables would need.

``--kept NAME…`` builds the whole-store reports the API keeps instead (``obligations``,
``calendar``, ``sources``, ``conflicts``, ``submissions``, ``stats``:
``api.whole_store.whole_store_reports``, as a query worker builds them, into a
temporary row folder), each in turn; run one per process for each one's own peak::

    .venv/bin/python -m benchmarks.bench_reports --store … --only --kept obligations

``--after-writes N`` measures what the API does after a write instead of judging the
submissions whole (``graph.reports.judge_submissions_after``): N source graphs that hold
obligations are drawn (seeded), and for each the nodes a rewrite of that file touches
(every IRI of its graph, and the graph) are brought up to date from the whole judging's
candidates; each answer must equal the whole judging's, and the seconds, the candidates
kept and their pickled size (what the server holds and sends to a worker) are written.
"""

from __future__ import annotations

import argparse
import datetime as dt
import pickle
import random
import resource
import statistics
import time
from pathlib import Path
from typing import Any

from benchmarks.machine import load_average, machine_info, write_result

OUT = Path(__file__).resolve().parent / "out"
REPORTS = ("citations", "conflicts", "submissions")


def run_report(store: Any, name: str) -> dict[str, Any]:
    """One report's seconds, rows and the process's peak RSS after it."""
    from graph import reports

    start = time.perf_counter()
    found = getattr(reports, name)(store)
    seconds = time.perf_counter() - start
    return {"seconds": round(seconds, 1), "rows": len(found),
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}


def run_kept(store: Any, name: str) -> dict[str, Any]:
    """One kept report's build: its seconds and the process's peak RSS after it."""
    import tempfile

    from api.row_table import RowFolder
    from api.whole_store import whole_store_reports

    with tempfile.TemporaryDirectory(prefix="bench-kept-") as folder:
        build = whole_store_reports(RowFolder(Path(folder)))[name]
        start = time.perf_counter()
        built = build(store)
        seconds = time.perf_counter() - start
        size = sum(f.stat().st_size for f in Path(folder).iterdir())
    return {"seconds": round(seconds, 1), "kind": type(built).__name__, "table_bytes": size,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}


_OBLIGATION_GRAPHS = """
SELECT DISTINCT ?g WHERE { GRAPH ?g { ?o a <https://w3id.org/luocdo/ontology#Obligation> } }
"""

_GRAPH_NODES = """
SELECT DISTINCT ?n WHERE { GRAPH ?g { { ?n ?p ?x } UNION { ?y ?q ?n FILTER isIRI(?n) } } }
"""


def _touched(ox_store: Any, graph: Any) -> frozenset[str]:
    """The nodes a rewrite of source graph ``graph`` touches: every IRI in it, and it."""
    import pyoxigraph as ox

    query = _GRAPH_NODES.replace("?g", f"<{graph.value}>")
    found = {s["n"].value for s in ox_store.query(query) if isinstance(s["n"], ox.NamedNode)}
    return frozenset({*found, graph.value})


def run_after_writes(store: Any, ox_store: Any, writes: int, seed: int) -> dict[str, Any]:
    """The submissions judged whole, then brought up to date after ``writes`` rewrites of
    one drawn source graph each (module docstring)."""
    from graph import reports

    start = time.perf_counter()
    whole = reports.judge_submissions(store)
    whole_s = time.perf_counter() - start
    graphs = sorted((s["g"] for s in ox_store.query(_OBLIGATION_GRAPHS)), key=str)
    drawn = random.Random(seed).sample(graphs, min(writes, len(graphs)))
    times, declined = [], 0
    for graph in drawn:
        touched = _touched(ox_store, graph)
        start = time.perf_counter()
        after = reports.judge_submissions_after(store, whole.pools, touched)
        times.append(time.perf_counter() - start)
        if after is None:
            declined += 1
        elif after.statuses != whole.statuses or dict(after.pools) != dict(whole.pools):
            raise SystemExit(f"brought up to date after {graph} differs from the whole")
    candidates = sum(len(pool) for pool in whole.pools.values())
    return {"whole_seconds": round(whole_s, 2), "rows": len(whole.statuses),
            "columns": len(whole.pools), "candidates": candidates,
            "pickled_mb": round(len(pickle.dumps(whole.pools)) / 2**20, 1),
            "writes": len(drawn), "declined": declined,
            "update_seconds_p50": round(statistics.median(times), 3),
            "update_seconds_max": round(max(times), 3)}


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point (see the module docstring)."""
    import pyoxigraph as ox

    from api.query_runner import SnapshotStore

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", default=str(OUT / "api-store-100000-s0"))
    parser.add_argument("--only", nargs="*", choices=REPORTS, default=list(REPORTS))
    parser.add_argument("--kept", nargs="*", default=[],
                        choices=("obligations", "calendar", "sources", "conflicts",
                                 "submissions", "stats"),
                        help="build these reports the API keeps (module docstring)")
    parser.add_argument("--columns-as", choices=("yearly", "half-yearly", "criteria", "plan"),
                        help="read every submissions column as naming this kind of report")
    parser.add_argument("--after-writes", type=int, default=0,
                        help="bring the submissions up to date after this many rewrites")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.columns_as:
        from graph import reports

        reports._kind = lambda category: args.columns_as  # every column names this kind
    ox_store = ox.Store.read_only(args.store)
    store = SnapshotStore(ox_store)
    result: dict[str, Any] = {"machine": machine_info(), "store": args.store,
                              "started": dt.datetime.now().isoformat(timespec="seconds"),
                              "load_average_at_start": load_average(), "reports": {},
                              "kept": {},
                              "columns_as": args.columns_as}
    for name in args.only:
        result["reports"][name] = run_report(store, name)
        print(name, result["reports"][name], flush=True)
    for name in args.kept:
        result["kept"][name] = run_kept(store, name)
        print("kept", name, result["kept"][name], flush=True)
    if args.after_writes:
        result["submissions_after_writes"] = run_after_writes(store, ox_store,
                                                              args.after_writes, args.seed)
        print("after writes", result["submissions_after_writes"], flush=True)
    result["load_average_at_end"] = load_average()
    docs = Path(args.store).name.removeprefix("api-store-").split("-")[0]
    print("wrote", write_result(f"bench_reports-{docs}", result))


if __name__ == "__main__":
    main()
