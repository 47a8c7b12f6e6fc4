"""Full refresh benchmark: ``graph.pipeline.refresh_derived(store)`` without a change set.

A bulk build and a repair run it: every derived graph (``lo:sameDocumentAs`` and
``lo:followsSection`` links, the counts, the due pages) recomputed from the source
graphs and written with ``graph.pipeline.rewrite_graph``. Opens an existing on-disk
store for writing (no server may hold it), runs the refresh once and writes the seconds
and the resident memory of each derived graph's step (sampled every 50 ms), how many
transactions wrote how many triples, and the process's peak, to
``benchmarks/out/bench_refresh-<docs>-<date>.json``::

    .venv/bin/python -m benchmarks.bench_refresh --store benchmarks/out/api-store-50000-s0

``--clear`` first empties the counts and due-pages graphs (by difference, the union
kept exact), so that the refresh writes them whole, as the first refresh after a bulk
load does. The store's derived graphs are the same after the run as a refresh leaves
them, so a cleared store is whole again once the run ends.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks.machine import load_average, machine_info, write_result


def _rss_mb() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) // 1024
    return 0


class Sampler:
    """The most resident memory seen during each named step (a thread samples it)."""

    def __init__(self, every_s: float = 0.05) -> None:
        self.step = "start"
        self.peaks: dict[str, int] = {}
        self._every = every_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            rss = _rss_mb()
            self.peaks[self.step] = max(self.peaks.get(self.step, 0), rss)
            self._stop.wait(self._every)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @contextmanager
    def during(self, step: str) -> Iterator[None]:
        before, self.step = self.step, step
        try:
            yield
        finally:
            self.step = before


def _short(name: Any) -> str:
    return str(name).rstrip("/").rpartition("/")[2]


def _watch(pipeline: Any, sampler: Sampler, steps: dict[str, Any],
           writes: list[int]) -> None:
    """Time each ``rewrite_graph`` and count each ``_patch`` transaction's triples."""
    rewrite: Callable[..., None] = pipeline.rewrite_graph
    patch: Callable[..., None] = pipeline._patch

    def timed(store: Any, name: Any, triples: Any) -> None:
        step = _short(name)
        start = time.perf_counter()
        with sampler.during(step):
            rewrite(store, name, triples)
        steps[step] = {"seconds": round(time.perf_counter() - start, 1)}

    def counted(store: Any, graphs: Any) -> None:
        writes.append(sum(len(out) + len(into) for out, into in graphs.values()))
        patch(store, graphs)

    pipeline.rewrite_graph = timed
    pipeline._patch = counted


def _clear(store: Any) -> float:
    from graph import iri
    from graph.pipeline import rewrite_graph

    start = time.perf_counter()
    for name in (iri.counts_graph_iri(store.base), iri.due_pages_graph_iri(store.base)):
        rewrite_graph(store, name, [])
    return round(time.perf_counter() - start, 1)


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point (see the module docstring)."""
    from graph import pipeline
    from graph.store import open_store

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", required=True)
    parser.add_argument("--clear", action="store_true",
                        help="empty the counts and due pages first (a first refresh)")
    parser.add_argument("--label", default="")
    args = parser.parse_args(argv)
    store = open_store(args.store)
    result: dict[str, Any] = {"machine": machine_info(), "store": args.store,
                              "started": dt.datetime.now().isoformat(timespec="seconds"),
                              "load_average_at_start": load_average(), "clear": args.clear,
                              "rewrite_chunk": pipeline.REWRITE_CHUNK,
                              "rewrite_bytes": pipeline.REWRITE_BYTES}
    if args.clear:
        result["cleared_s"] = _clear(store)
    steps: dict[str, Any] = {}
    writes: list[int] = []
    with Sampler() as sampler:
        _watch(pipeline, sampler, steps, writes)
        start = time.perf_counter()
        pipeline.refresh_derived(store)
        result["seconds"] = round(time.perf_counter() - start, 1)
    for step, peak in sampler.peaks.items():
        steps.setdefault(step, {})["peak_rss_mb"] = peak
    result.update(steps=steps, transactions=len(writes), triples_written=sum(writes),
                  peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
                  load_average_at_end=load_average())
    store.close()
    print(result["seconds"], "s;", steps, f"{len(writes)} transactions, "
          f"{sum(writes)} triples; peak {result['peak_rss_mb']} MB", flush=True)
    docs = Path(args.store).name.removeprefix("api-store-").split("-")[0]
    print("wrote", write_result(f"bench_refresh-{docs}{args.label}", result))


if __name__ == "__main__":
    main()
