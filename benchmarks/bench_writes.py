"""Write benchmark: one file added, ingested again unchanged, and removed, on a large store.

Opens an existing on-disk store for writing (by default the 100k store with 200 text
files that ``benchmarks.bench_api`` builds, ``benchmarks/out/api-store-100000-s0-t200``)
and, for each of ``--files`` synthetic text files with deadlines (written to a temporary
folder, none of them in the store), times through the real pipeline:

* ``add``: ``ingest_paths`` of the new file (extraction, mapping, the write with its
  union upkeep, the incremental ``refresh_derived``);
* ``again``: ``ingest_paths`` of the same file, unchanged;
* ``remove``: ``forget_sources`` of its graph.

Each file leaves the store as it found it (its graph and everything derived from it
go), except for the strings Oxigraph never removes. Besides the total, the time spent
keeping the due pages (``graph.due_pages``: reading the written graph's entries before
and after, and the page patch) is summed per operation, so their share is measured in
the same run. A store that keeps no due pages gets them first (a full page build,
timed).

    .venv/bin/python -m benchmarks.bench_writes --files 10
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks.machine import load_average, machine_info, write_result

OUT = Path(__file__).resolve().parent / "out"
# generate_corpus seed of the written files: far from the seeds the stores are built from
FILE_SEED = 9_001


class _Timer:
    """Seconds spent in the wrapped functions since the last ``take``."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def wrap(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - start
        return timed

    def take(self) -> float:
        seconds, self.seconds = self.seconds, 0.0
        return seconds


@contextmanager
def _page_timer() -> Iterator[_Timer]:
    """Times ``graph.pipeline``'s due-page upkeep while the block runs."""
    from graph import pipeline

    timer = _Timer()
    saved = pipeline.graph_entries, pipeline._page_patch
    pipeline.graph_entries = timer.wrap(saved[0])
    pipeline._page_patch = timer.wrap(saved[1])
    try:
        yield timer
    finally:
        pipeline.graph_entries, pipeline._page_patch = saved


def _files(folder: Path, n: int) -> list[Path]:
    """``n`` synthetic text files that create obligations with deadlines."""
    from benchmarks.synth import generate_corpus
    from ingest.extract import extract_text

    out: list[Path] = []
    for doc in generate_corpus(n * 20, FILE_SEED):
        found = extract_text(doc.text, doc.name)
        if any(o.deadline for d in found.documents for o in d.obligations):
            path = folder / doc.name
            path.write_text(doc.text, encoding="utf-8")
            out.append(path)
            if len(out) == n:
                return out
    raise SystemExit(f"only {len(out)} files with obligations in {n * 20}")


def _summary(times: list[float]) -> dict[str, float]:
    ms = sorted(t * 1000 for t in times)
    return {"p50_ms": round(statistics.median(ms), 1), "max_ms": round(ms[-1], 1),
            "mean_ms": round(statistics.fmean(ms), 1)}


def run(store_path: str, n_files: int) -> dict[str, Any]:
    """Every operation on every file, with the due-page share (module docstring)."""
    from graph import iri
    from graph.due_pages import page_graph, pages_kept
    from graph.pipeline import forget_sources, ingest_paths
    from graph.store import OxigraphStore

    store = OxigraphStore(store_path)
    result: dict[str, Any] = {}
    try:
        if not pages_kept(store, store.base):
            start = time.perf_counter()
            pages = page_graph(store, store.base)
            store.replace_source(iri.due_pages_graph_iri(store.base), pages)
            result["page_build"] = {"seconds": round(time.perf_counter() - start, 1),
                                    "triples": len(pages)}
        totals: dict[str, list[float]] = {"add": [], "again": [], "remove": []}
        shares: dict[str, list[float]] = {"add": [], "again": [], "remove": []}
        with tempfile.TemporaryDirectory(prefix="luocdo-bench-writes-") as tmp, \
                _page_timer() as pages_time:
            for path in _files(Path(tmp), n_files):
                def put(p: Path = path) -> Any:
                    return ingest_paths(store, [p])

                def drop(p: Path = path) -> Any:
                    return forget_sources(store, [iri.source_graph_iri(p, store.base)])

                ops: dict[str, Callable[[], Any]] = {"add": put, "again": put, "remove": drop}
                for name, op in ops.items():
                    pages_time.take()
                    start = time.perf_counter()
                    op()
                    totals[name].append(time.perf_counter() - start)
                    shares[name].append(pages_time.take())
        result["operations"] = {name: {**_summary(totals[name]),
                                       "due_pages": _summary(shares[name])}
                                for name in totals}
    finally:
        store.close()
    return result


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", default=str(OUT / "api-store-100000-s0-t200"))
    parser.add_argument("--files", type=int, default=10)
    parser.add_argument("--label", default="", help="added to the result file's name")
    args = parser.parse_args(argv)
    payload: dict[str, Any] = {"machine": machine_info(), "store": args.store,
                               "started": dt.datetime.now().isoformat(timespec="seconds"),
                               "load_average_at_start": load_average()}
    payload.update(run(args.store, args.files))
    payload["load_average_at_end"] = load_average()
    print(payload)
    docs = Path(args.store).name.removeprefix("api-store-").split("-")[0]
    print("wrote", write_result(f"bench_writes-{docs}{args.label}", payload))


if __name__ == "__main__":
    main()
