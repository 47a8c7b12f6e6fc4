"""Date-window benchmark: ``obligations_due`` and the ``GET /obligations`` read path.

Opens an existing on-disk store read-only (by default the 100k store that
``benchmarks.bench_api --build-only`` builds, ``benchmarks/out/api-store-100000-s0``) and
times, for windows of a month, a quarter and a year:

* ``run_named(store, "obligations_due", from=…, to=…)``: the named query as the CLI and
  ``/queries/obligations_due`` run it (every row, unpacked from the due index);
* ``run_named(store, "obligations_due_entries", …)``: the same answer read from the due
  entries instead of the due pages (what a store without pages answers with), in the
  same run;
* ``api.obligation_window.window_rows`` then ``page_rows`` of the first page (500 rows):
  what ``GET /obligations?due_after=…&due_before=…`` computes (without HTTP) while the
  obligations table is not built;
* with ``--table``: the same window read from the whole-store obligations table
  (``api.due_table``: the summary's days, one page's rows, their JSON), as the endpoint
  reads it once the table is built: the first page, a page in the middle of the window,
  the window of one bearer (its matching once per store generation aside), and windows
  open on one side. The table is written first into a temporary folder (its build time
  is in the result).

Each case: one warm-up, then ``--runs`` timed runs (p50 / p95 in ms). The result goes
to ``benchmarks/out/bench_due-<docs>-<date>.json`` with the machine and load average.

    .venv/bin/python -m benchmarks.bench_due --store benchmarks/out/api-store-100000-s0
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from benchmarks.machine import (
    add_serve_gc_option,
    apply_serve_gc,
    load_average,
    machine_info,
    write_result,
)

OUT = Path(__file__).resolve().parent / "out"
WINDOWS = {
    "month (2023-06)": (dt.date(2023, 6, 1), dt.date(2023, 6, 30)),
    "quarter (2023-01 … 03)": (dt.date(2023, 1, 1), dt.date(2023, 3, 31)),
    "year (2023)": (dt.date(2023, 1, 1), dt.date(2023, 12, 31)),
}


def timed(fn: Callable[[], int], runs: int) -> dict[str, Any]:
    """p50 / p95 / max (ms) of ``runs`` calls of ``fn`` after one warm-up call, and the
    rows it gives (``fn``'s answer)."""
    rows = fn()  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {"rows": rows, "runs": runs, "p50_ms": round(statistics.median(times), 2),
            "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 2),
            "max_ms": round(times[-1], 2)}


def cases(store: Any) -> dict[str, Callable[[], int]]:
    """Every (query, window) case as a function returning its row count."""
    from api.obligation_window import OBLIGATION_PAGE, page_rows, window_rows
    from graph.queries import run_named

    out: dict[str, Callable[[], int]] = {}
    for label, (start, end) in WINDOWS.items():
        def due(s: dt.date = start, e: dt.date = end, name: str = "obligations_due") -> int:
            window: dict[str, Any] = {"from": s, "to": e}  # "from" is a Python keyword
            return len(run_named(store, name, **window).rows)

        def entries(s: dt.date = start, e: dt.date = end) -> int:
            return due(s, e, "obligations_due_entries")

        def endpoint(s: dt.date = start, e: dt.date = end) -> int:
            found = window_rows(store, s, e, None, None)
            page_rows(store, found[:OBLIGATION_PAGE])
            return len(found)

        out[f"obligations_due {label}"] = due
        out[f"obligations_due_entries {label}"] = entries
        out[f"/obligations {label}, first page of {OBLIGATION_PAGE}"] = endpoint
    return out


PARTY = "ubnd"  # a bearer most synthetic obligations name (as in bench_report_api)
OPEN_WINDOWS = {
    "from 2023-01-01 on": (dt.date(2023, 1, 1), None),
    "until 2023-12-31": (None, dt.date(2023, 12, 31)),
}


def table_cases(rows: Any, table: Any) -> dict[str, Callable[[], int]]:
    """The window cases read from the obligations table (``api.due_table``), each
    returning the window's row count."""
    from api.due_table import (
        accepted_pairs,
        party_due,
        party_rows,
        party_window,
        read_index,
        read_summary,
        window,
        window_body,
        window_page,
    )
    from api.obligation_window import OBLIGATION_PAGE
    from api.search import text_matcher

    groups = read_summary(rows, table)  # kept per table by the server
    kept = read_index(rows, table, groups)  # kept per table by the server (``DueIndexes``)

    def accepted() -> Any:  # the party's pairs and rows, once per table and generation
        return accepted_pairs(rows, table, kept, text_matcher(PARTY), None)

    tested = accepted()
    grouped = party_due(rows, table, tested)  # once per generation
    out: dict[str, Callable[[], int]] = {
        "due summary read": lambda: len(read_summary(rows, table)),
        "due index read": lambda: len(read_index(rows, table).rank),
        f"pairs of bearer={PARTY} tested, its rows masked": lambda: len(accepted().pairs),
        f"party groups of bearer={PARTY} counted": lambda: len(party_due(
            rows, table, accepted()).groups),
        f"rows of bearer={PARTY} matched": lambda: len(rows.matching(
            table, text_matcher(PARTY), None)),
        # what /obligations?bearer= and the party's calendar use (``party_rows``)
        f"rows of bearer={PARTY} kept by their pair": lambda: len(party_rows(tested))}

    every = {**WINDOWS, **OPEN_WINDOWS}
    for label, (start, end) in every.items():
        def page(s: dt.date | None = start, e: dt.date | None = end, middle: bool = False,
                 fresh: bool = False) -> int:
            # fresh: the due index read too, as the first page after a write reads it
            index = read_index(rows, table) if fresh else kept
            win = window(groups, s, e)
            offset = win.total // 2 if middle else 0
            window_body(rows, table, window_page(index, win, offset, OBLIGATION_PAGE))
            return win.total

        def party(s: dt.date | None = start, e: dt.date | None = end, middle: bool = False,
                  first: bool = False) -> int:
            # first: the party counted and the due index read too, as the first window
            # after a write asks them
            found = party_due(rows, table, accepted()) if first else grouped
            index = read_index(rows, table) if first else kept
            win = party_window(found, s, e)
            offset = win.total // 2 if middle else 0
            window_body(rows, table, window_page(index, win, offset, OBLIGATION_PAGE))
            return win.total

        out[f"table: /obligations {label}, first page"] = page
        out[f"table: /obligations {label}, a page in the middle"] = partial(page, middle=True)
        out[f"table: /obligations {label}, a page in the middle, the due index read"] = (
            partial(page, middle=True, fresh=True))
        if label in WINDOWS:
            name = f"table: /obligations?bearer={PARTY} {label}"
            out[f"{name}, first page"] = party
            out[f"{name}, first page, the party counted"] = partial(party, first=True)
            out[f"{name}, a page in the middle"] = partial(party, middle=True)
            out[f"{name}, a page in the middle, the party counted"] = partial(
                party, middle=True, first=True)
    return out


def _obligation_table(store: Any, folder: Path) -> tuple[Any, Any, float]:
    """The obligations table of ``store`` written into ``folder``, and its build time."""
    from api.row_table import RowFolder
    from api.whole_store import obligation_table

    rows = RowFolder(folder)
    start = time.perf_counter()
    table = rows.adopt(obligation_table(store, str(folder)))
    return rows, table, round(time.perf_counter() - start, 1)


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point (see the module docstring)."""
    import pyoxigraph as ox

    from api.query_runner import SnapshotStore

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", default=str(OUT / "api-store-100000-s0"))
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--only", help="run only cases whose name contains this text")
    parser.add_argument("--label", default="", help="added to the result file's name")
    parser.add_argument("--table", action="store_true",
                        help="also time the windows read from the obligations table")
    parser.add_argument("--no-store-cases", action="store_true",
                        help="with --table: only the table's cases")
    add_serve_gc_option(parser)
    args = parser.parse_args(argv)
    store = SnapshotStore(ox.Store.read_only(args.store))
    apply_serve_gc(args.serve_gc)
    result: dict[str, Any] = {"machine": machine_info(), "store": args.store,
                              "started": dt.datetime.now().isoformat(timespec="seconds"),
                              "load_average_at_start": load_average(), "serve_gc": args.serve_gc,
                              "cases": {}}
    every = {} if args.no_store_cases else cases(store)
    with tempfile.TemporaryDirectory(prefix="bench-due-", dir=OUT) as folder:
        if args.table:
            rows, table, built = _obligation_table(store, Path(folder))
            result["obligation_table"] = {"rows": table.size, "build_s": built}
            print("obligations table", result["obligation_table"], flush=True)
            every |= table_cases(rows, table)
        for name, fn in every.items():
            if args.only and args.only not in name:
                continue
            result["cases"][name] = timed(fn, args.runs)
            print(name, result["cases"][name], flush=True)
    result["load_average_at_end"] = load_average()
    docs = Path(args.store).name.removeprefix("api-store-").split("-")[0]
    print("wrote", write_result(f"bench_due-{docs}{args.label}", result))


if __name__ == "__main__":
    main()
