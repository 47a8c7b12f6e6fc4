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
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
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


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point (see the module docstring)."""
    import pyoxigraph as ox

    from api.query_runner import SnapshotStore

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", default=str(OUT / "api-store-100000-s0"))
    parser.add_argument("--only", nargs="*", choices=REPORTS, default=list(REPORTS))
    parser.add_argument("--columns-as", choices=("yearly", "half-yearly", "criteria", "plan"),
                        help="read every submissions column as naming this kind of report")
    args = parser.parse_args(argv)
    if args.columns_as:
        from graph import reports

        reports._kind = lambda category: args.columns_as  # every column names this kind
    store = SnapshotStore(ox.Store.read_only(args.store))
    result: dict[str, Any] = {"machine": machine_info(), "store": args.store,
                              "started": dt.datetime.now().isoformat(timespec="seconds"),
                              "load_average_at_start": load_average(), "reports": {},
                              "columns_as": args.columns_as}
    for name in args.only:
        result["reports"][name] = run_report(store, name)
        print(name, result["reports"][name], flush=True)
    result["load_average_at_end"] = load_average()
    docs = Path(args.store).name.removeprefix("api-store-").split("-")[0]
    print("wrote", write_result(f"bench_reports-{docs}", result))


if __name__ == "__main__":
    main()
