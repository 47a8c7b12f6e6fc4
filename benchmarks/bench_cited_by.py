"""cited_by before and after citation entries, alternated in one process.

Opens an on-disk store read-only (by default the 100k store built with citation entries,
``benchmarks/out/api-store-100000-s0``) and times, for one document, the whole
``cited_by`` answer and its first page of 20:

* ``old``: the query cited_by was before entries (every value read from the normalised
  graph, ``ORACLE``; tests/test_cite_index.py holds the two equal), sorted as the named
  query sorts;
* ``new``: ``run_named(store, "cited_by", …)`` (one packed entry per citation).

Both give the same rows (checked first). Runs alternate old/new; p50 / p95 in ms go to
``benchmarks/out/bench_cited_by-<docs>-<date>.json`` with the machine and load average.

    .venv/bin/python -m benchmarks.bench_cited_by --store benchmarks/out/api-store-100000-s0
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.machine import load_average, machine_info, write_result

OUT = Path(__file__).resolve().parent / "out"

# cited_by before citation entries: every value read from the normalised graph (also the
# oracle of tests/test_cite_index.py)
ORACLE = """PREFIX lo: <https://w3id.org/luocdo/ontology#>
SELECT DISTINCT ?doc ?citing ?citingSymbol ?relation ?citedDate ?quote ?start ?end ?path ?statedBy
WHERE {
  ?citation lo:citedDocument ?doc ;
            lo:citingDocument ?citing ;
            lo:relation ?relation ;
            lo:evidence ?evidence .
  ?evidence lo:quote ?quote ;
            lo:startOffset ?start ;
            lo:endOffset ?end ;
            lo:sourceFile ?file .
  OPTIONAL { ?file lo:path ?path }
  OPTIONAL { ?citation lo:citedDate ?citedDate }
  OPTIONAL { ?citation lo:statedBy ?statedBy }
  OPTIONAL { ?citing lo:symbol ?citingSymbol }
}"""
COLUMNS = ("doc", "citing", "citingSymbol", "relation", "citedDate", "quote", "start", "end",
           "path", "statedBy")
ORDER = ("citingSymbol", "citing", "path", "start")  # cited_by.rq's "# order:"


def row(r: Any) -> tuple[Any, ...]:
    """A row of either query as a tuple of its terms, in ``COLUMNS`` order."""
    return tuple(r.get(n) for n in COLUMNS)


def _summary(times: list[float], rows: int) -> dict[str, Any]:
    times = sorted(times)
    return {"rows": rows, "runs": len(times), "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 1)}


def readers(store: Any, doc: str) -> dict[str, Callable[[int | None], tuple[Any, ...]]]:
    """The old and the new read of ``doc``'s citers (``limit`` rows, or all)."""
    from graph.queries import _catalogue, _sorted, bind_params, load_query, run_named

    load_query("cited_by")
    bound = bind_params(store, _catalogue()["cited_by"], {"doc": doc})

    def old(limit: int | None) -> tuple[Any, ...]:
        text = ORACLE + (f"\nLIMIT {limit}" if limit else "")
        return _sorted(store.query(text, bound), ORDER).rows

    def new(limit: int | None) -> tuple[Any, ...]:
        return run_named(store, "cited_by", doc=doc, limit=limit).rows

    return {"old": old, "new": new}


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point (see the module docstring)."""
    import pyoxigraph as ox

    from api.query_runner import SnapshotStore, tune_collector

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", default=str(OUT / "api-store-100000-s0"))
    parser.add_argument("--doc", default="33/CT-TTg", help="the cited document")
    parser.add_argument("--runs", type=int, default=5, help="runs of the whole answer")
    parser.add_argument("--page-runs", type=int, default=30, help="runs of the first page")
    args = parser.parse_args(argv)
    store = SnapshotStore(ox.Store.read_only(args.store))
    tune_collector()  # as luocdo serve and its query workers
    result: dict[str, Any] = {"machine": machine_info(), "store": args.store, "doc": args.doc,
                              "load_average_at_start": load_average(), "cases": {}}
    read = readers(store, args.doc)
    if [row(r) for r in read["old"](None)] != [row(r) for r in read["new"](None)]:
        raise SystemExit("the old and the new query disagree: see tests/test_cite_index.py")
    for label, limit, runs in (("whole", None, args.runs), ("page of 20", 20, args.page_runs)):
        times: dict[str, list[float]] = {"old": [], "new": []}
        rows = 0
        for _ in range(runs):
            for name, fn in read.items():
                start = time.perf_counter()
                rows = len(fn(limit))
                times[name].append((time.perf_counter() - start) * 1000)
        for name, ts in times.items():
            result["cases"][f"{label} {name}"] = _summary(ts, rows)
            print(f"{label} {name}", result["cases"][f"{label} {name}"], flush=True)
    result["load_average_at_end"] = load_average()
    docs = Path(args.store).name.removeprefix("api-store-").split("-")[0]
    print("wrote", write_result(f"bench_cited_by-{docs}", result))


if __name__ == "__main__":
    main()
