"""Where the server process's memory goes: the app as ``luocdo serve`` makes it (process
query workers), started on an existing store, its anonymous resident memory read after
start-up and again after a whole-store report built by a worker.

Pieces of the server's background work can be left out (``--without``): ``search``
(the search index's keeper), ``answers`` (the kept document answers), ``reports`` (the
report keeper's warming). Comparing runs tells what each leaves in the server.

    .venv/bin/python -m benchmarks.bench_server_memory --label now
    .venv/bin/python -m benchmarks.bench_server_memory --without search

The result goes to ``benchmarks/out/bench_server_memory-<label>-<date>.json``.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from benchmarks.machine import OUT_DIR, load_average, machine_info, write_result


def anon_mb() -> dict[str, float]:
    """This process's resident memory: all of it and the anonymous part (MB)."""
    found = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(("VmRSS:", "RssAnon:")):
            found[line.split(":")[0]] = round(int(line.split()[1]) / 1024, 1)
    return found


def run(args: argparse.Namespace) -> dict[str, Any]:
    from fastapi.testclient import TestClient

    import api.deps
    from api.app import create_app
    from api.settings import Settings
    from api.whole_store import obligation_table

    if "search" in args.without:
        api.deps.AppState.start_search_index = lambda self: None  # type: ignore[method-assign]
    settings = Settings(store=args.store, query_workers=args.workers,
                        document_answers="answers" not in args.without,
                        warm_reports="reports" not in args.without)
    out: dict[str, Any] = {"machine": machine_info(), "store": args.store,
                           "without": sorted(args.without), "load_before": load_average(),
                           "imported": anon_mb()}
    app = create_app(settings)
    with TestClient(app):
        state = app.state.luocdo
        time.sleep(args.settle)
        out["after_start"] = anon_mb()
        state.runner.run(obligation_table, str(state.rows.path), timeout=600)
        out["after_a_report"] = anon_mb()
    out["load_after"] = load_average()
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", default=str(OUT_DIR / "api-store-100000-s0-t200"))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--settle", type=float, default=20.0,
                        help="seconds after start before the first reading")
    parser.add_argument("--without", nargs="*", default=[],
                        choices=["search", "answers", "reports"])
    parser.add_argument("--label", default="now")
    args = parser.parse_args(argv)
    result = run(args)
    print(result["after_start"], result["after_a_report"])
    print(write_result(f"bench_server_memory-{args.label}", result))


if __name__ == "__main__":
    main()
