"""Trace benchmark: ``graph.trace.trace`` in-process on an on-disk store with outlines.

Opens an existing store read-only (by default the 100k store with 200 outline text
files that ``benchmarks.bench_api.add_text_files`` builds,
``benchmarks/out/api-store-100000-s0-t200``), picks ``--sections`` outline sections
with a fixed seed (every (letter key, section number) of an outline attached to a
letter, as ``benchmarks.bench_api`` picks the ``/trace`` targets), traces each once to
warm up, then ``--runs`` times; p50 / p95 / max in ms over all (section × run) timings.

``--alternate FILE`` also times another copy of ``graph/trace.py`` (e.g. an earlier
one: ``git show REV:graph/trace.py > /tmp/trace_rev.py``, with ``--alternate-rev REV``
for the named queries it reads that are gone since) in the same process, the two
alternating section by section (the order flipping every run), so both see the same
load on a shared machine; it first checks that both give the same answer
(``TraceResult.as_dict()``) for every picked section. The result goes to
``benchmarks/out/bench_trace-<docs><label>-<date>.json`` with the machine and the load
average at start and end.

    .venv/bin/python -m benchmarks.bench_trace --store benchmarks/out/api-store-100000-s0-t200
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

from benchmarks.bench_api import OUTLINE_SECTIONS  # the sections /trace is benchmarked on
from benchmarks.machine import (
    OUT_DIR,
    add_serve_gc_option,
    apply_serve_gc,
    load_average,
    machine_info,
    write_result,
)

Target = tuple[str, str]
Tracer = Callable[[Any, str, str], Any]


def pick_sections(store: Any, n: int, seed: int) -> list[Target]:
    """``n`` (letter key, section number) pairs, drawn with a fixed seed."""
    found = sorted((str(r["letter"]), str(r["number"])) for r in store.query(OUTLINE_SECTIONS))
    if not found:
        raise SystemExit("no outline attached to a letter in the store (see add_text_files)")
    return random.Random(f"bench_trace/{seed}").sample(found, min(n, len(found)))


def load_module(path: Path, rev: str = "HEAD") -> ModuleType:
    """Another copy of ``graph/trace.py`` as a module of its own (for ``--alternate``).

    A named query it reads that is no longer in ``graph/queries`` (one the current
    code stopped using) is read from git revision ``rev`` instead.
    """
    name = f"bench_trace_alternate_{abs(hash(str(path)))}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    if hasattr(module, "bound_rows"):
        module.bound_rows = _rows_at(rev)  # type: ignore[attr-defined]
    return module


def _rows_at(rev: str) -> Callable[..., list[dict[str, str]]]:
    """``graph.reports.bound_rows``, reading a query missing on disk from git ``rev``."""
    from graph.reports import bound_rows

    queries = Path(__file__).resolve().parents[1] / "graph" / "queries"

    def rows(store: Any, name: str, **bound: Any) -> list[dict[str, str]]:
        if (queries / f"{name}.rq").exists():
            return bound_rows(store, name, **bound)
        given = {k: list(v) for k, v in bound.items() if v is not None}
        if any(not terms for terms in given.values()):
            return []
        result = store.query(_git_query(rev, name), given or None)
        return [{k: str(v) for k, v in row.items()} for row in result]

    return rows


@cache
def _git_query(rev: str, name: str) -> str:
    root = Path(__file__).resolve().parents[1]
    found = subprocess.run(["git", "show", f"{rev}:graph/queries/{name}.rq"], cwd=root,
                           capture_output=True, text=True, check=True)
    return found.stdout


def summary(times: Sequence[float]) -> dict[str, Any]:
    """p50, p95 and max (ms) of ``times``."""
    ordered = sorted(times)
    return {"timings": len(ordered), "p50_ms": round(statistics.median(ordered), 2),
            "p95_ms": round(ordered[max(0, int(len(ordered) * 0.95) - 1)], 2),
            "max_ms": round(ordered[-1], 2)}


def _outcome(fn: Tracer, store: Any, target: Target) -> Any:
    """The answer as plain data, or the error's class name and arguments."""
    try:
        return fn(store, *target).as_dict()
    except LookupError as err:
        return (type(err).__name__, err.args)


def check_same(tracers: dict[str, Tracer], store: Any, targets: Sequence[Target]) -> None:
    """Every tracer gives the same answer for every target (else exit with the first)."""
    for target in targets:
        answers = {name: _outcome(fn, store, target) for name, fn in tracers.items()}
        if len({repr(a) for a in answers.values()}) > 1:
            raise SystemExit(f"answers differ for {target}: {sorted(answers)}")


def time_all(tracers: dict[str, Tracer], store: Any, targets: Sequence[Target],
             runs: int) -> dict[str, list[float]]:
    """Per tracer, ms per (target × run); tracers alternate per target, order flipped per run."""
    names = list(tracers)
    for target in targets:  # warm-up
        for name in names:
            tracers[name](store, *target)
    times: dict[str, list[float]] = {name: [] for name in names}
    for run in range(runs):
        order = names if run % 2 == 0 else names[::-1]
        for target in targets:
            for name in order:
                start = time.perf_counter()
                tracers[name](store, *target)
                times[name].append((time.perf_counter() - start) * 1000)
    return times


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point (see the module docstring)."""
    import pyoxigraph as ox

    from api.query_runner import SnapshotStore
    from graph.trace import trace

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", default=str(OUT_DIR / "api-store-100000-s0-t200"))
    parser.add_argument("--sections", type=int, default=50)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--alternate", type=Path,
                        help="another trace.py to time against, alternating with this one")
    parser.add_argument("--alternate-rev", default="HEAD",
                        help="git revision holding the named queries the alternate reads "
                             "that graph/queries no longer has")
    parser.add_argument("--label", default="", help="added to the result file's name")
    add_serve_gc_option(parser)
    args = parser.parse_args(argv)
    result: dict[str, Any] = {"machine": machine_info(), "store": args.store,
                              "started": dt.datetime.now().isoformat(timespec="seconds"),
                              "load_average_at_start": load_average(),
                              "sections": args.sections, "runs": args.runs, "seed": args.seed,
                              "serve_gc": args.serve_gc}
    store = SnapshotStore(ox.Store.read_only(args.store))
    targets = pick_sections(store, args.sections, args.seed)
    apply_serve_gc(args.serve_gc)
    tracers: dict[str, Tracer] = {"graph.trace": trace}
    if args.alternate:
        tracers[f"alternate {args.alternate}"] = load_module(args.alternate,
                                                             args.alternate_rev).trace
        check_same(tracers, store, targets)
        result["same_answers"] = True
    times = time_all(tracers, store, targets, args.runs)
    result["cases"] = {name: summary(t) for name, t in times.items()}
    if args.alternate:
        mine, other = times.values()
        ratios = sorted(a / b for a, b in zip(mine, other, strict=True))
        result["paired_ratio_p50"] = round(statistics.median(ratios), 3)
    result["load_average_at_end"] = load_average()
    for name, case in result["cases"].items():
        print(name, case, flush=True)
    if "paired_ratio_p50" in result:
        print("paired ratio (graph.trace / alternate), p50:", result["paired_ratio_p50"])
    print("load average", result["load_average_at_start"], "→", result["load_average_at_end"])
    docs = Path(args.store).name.removeprefix("api-store-").split("-")[0]
    print("wrote", write_result(f"bench_trace-{docs}{args.label}", result))


if __name__ == "__main__":
    main()
