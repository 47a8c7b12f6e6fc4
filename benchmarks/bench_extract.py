"""End-to-end extraction throughput: ``ingest.extract.extract_text`` on synthetic and real text.

Measures, on a seeded synthetic corpus of at least ``--mb`` megabytes (UTF-8):

* one core: MB/s and documents/s of ``extract_text`` (clean → split → header →
  citations → obligations → outline), plus precision/recall against the ground truth;
* a process pool over all cores (``ProcessPoolExecutor``): aggregate MB/s and the
  scaling over one core;
* peak RSS of the parent and of the largest worker;
* the five seed documents concatenated (``../shared/seeds``), as a real-text figure;
* with ``--profile`` (or when the 2 MB/s/core target is missed): the hottest functions.

Writes ``benchmarks/out/bench_extract-<date>.json`` and prints a markdown table row::

    python -m benchmarks.bench_extract --mb 10 --seed 0
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from benchmarks.machine import SEEDS_DIR, load_average, machine_info, peak_rss_mb, write_result
from benchmarks.score import Totals, score_file
from benchmarks.synth import SynthDoc, generate_corpus

TARGET_MB_S = 2.0


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


def build_corpus(mb: float, seed: int) -> list[SynthDoc]:
    """Synthetic files until their UTF-8 size reaches ``mb`` megabytes (10⁶ bytes)."""
    docs: list[SynthDoc] = []
    total = 0
    for doc in generate_corpus(10**9, seed):
        docs.append(doc)
        total += _size(doc.text)
        if total >= mb * 1e6:
            break
    return docs


def _extract(text: str, name: str) -> Any:
    from ingest.extract import extract_text

    return extract_text(text, name)


def single_core(docs: Sequence[SynthDoc], max_seconds: float) -> dict[str, Any]:
    """Extract every file in this process; score against the truth; stop at the time cap."""
    for doc in docs[:10]:  # warm-up: compile patterns, fill caches
        _extract(doc.text, doc.name)
    totals = Totals()
    done = size = failures = 0
    start = time.perf_counter()
    for doc in docs:
        try:
            result = _extract(doc.text, doc.name)
        except Exception as exc:  # a benchmark reports failures, it does not stop
            failures += 1
            totals.examples.append(f"{doc.name}: {type(exc).__name__}: {exc}"[:200])
            continue
        finally:
            done += 1
            size += _size(doc.text)
        totals.add(score_file(doc, result))
        if time.perf_counter() - start > max_seconds:
            break
    elapsed = time.perf_counter() - start
    return {
        "documents": done,
        "megabytes": round(size / 1e6, 3),
        "seconds": round(elapsed, 3),
        "mb_per_s": round(size / 1e6 / elapsed, 3),
        "docs_per_s": round(done / elapsed, 1),
        "complete": done == len(docs),
        "failures": failures,
        "accuracy": totals.summary(),
        "examples": totals.examples[:40],
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }


def _work(batch: list[tuple[str, str]]) -> tuple[int, int, float]:
    """Pool task: extract a batch; returns (documents, bytes, seconds inside the worker)."""
    start = time.perf_counter()
    size = 0
    for name, text in batch:
        _extract(text, name)
        size += _size(text)
    return len(batch), size, time.perf_counter() - start


def _warm(_: int) -> int:
    _extract("BỘ NỘI VỤ\nSố: 01/BNV-VP\nHà Nội, ngày 01 tháng 01 năm 2024\n", "warm")
    return os.getpid()


def pool(docs: Sequence[SynthDoc], workers: int, batch: int = 40) -> dict[str, Any]:
    """Extract every file with a process pool of ``workers``; wall time after warm-up."""
    items = [(d.name, d.text) for d in docs]
    batches = [items[i:i + batch] for i in range(0, len(items), batch)]
    with ProcessPoolExecutor(max_workers=workers) as ex:
        pids = set(ex.map(_warm, range(workers * 4)))
        start = time.perf_counter()
        results = list(ex.map(_work, batches))
        elapsed = time.perf_counter() - start
    size = sum(r[1] for r in results)
    return {
        "workers": workers,
        "processes_warmed": len(pids),
        "documents": sum(r[0] for r in results),
        "megabytes": round(size / 1e6, 3),
        "seconds": round(elapsed, 3),
        "mb_per_s": round(size / 1e6 / elapsed, 3),
        "docs_per_s": round(sum(r[0] for r in results) / elapsed, 1),
        "worker_cpu_seconds": round(sum(r[2] for r in results), 3),
        "peak_child_rss_mb": round(peak_rss_mb(children=True), 1),
    }


def seeds(min_seconds: float = 3.0, max_reps: int = 30) -> dict[str, Any] | None:
    """Extract the five seeds concatenated, repeated until ``min_seconds`` have passed."""
    if not SEEDS_DIR.is_dir():
        return None
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS_DIR.glob("*.txt")))
    result = _extract(text, "seeds")
    reps = 0
    start = time.perf_counter()
    while reps < max_reps and (reps < 3 or time.perf_counter() - start < min_seconds):
        _extract(text, "seeds")
        reps += 1
    elapsed = time.perf_counter() - start
    size = _size(text)
    return {
        "megabytes": round(size / 1e6, 4),
        "repetitions": reps,
        "seconds": round(elapsed, 3),
        "mb_per_s": round(size * reps / 1e6 / elapsed, 3),
        "documents_found": len(result.documents),
        "citations_found": sum(len(d.citations) for d in result.documents),
    }


def profile(docs: Sequence[SynthDoc], n: int = 300, top: int = 20) -> list[str]:
    """The ``top`` functions by own time, then the ``ingest`` functions by cumulative time,
    while extracting the first ``n`` files."""
    prof = cProfile.Profile()
    prof.enable()
    for doc in docs[:n]:
        _extract(doc.text, doc.name)
    prof.disable()
    out: list[str] = []
    for order, pattern in (("tottime", ""), ("cumulative", "ingest/")):
        buf = io.StringIO()
        stats = pstats.Stats(prof, stream=buf).sort_stats(order)
        if pattern:
            stats.print_stats(pattern, top)
        else:
            stats.print_stats(top)
        lines = [x for x in buf.getvalue().splitlines() if x.strip()]
        total = next((x.strip() for x in lines if "function calls" in x), "")
        start = next((i for i, x in enumerate(lines) if x.lstrip().startswith("ncalls")), 0)
        out += [f"-- by {order} ({total})", *lines[start:]]
    return out


def markdown_row(r: dict[str, Any]) -> str:
    """One row of the README results table."""
    one, many, acc = r["single"], r["pool"], r["single"]["accuracy"]
    real = r.get("seeds") or {}
    scaling = many["mb_per_s"] / one["mb_per_s"] if one["mb_per_s"] else 0.0
    return (f"| {r['machine']['date']} | {one['megabytes']} MB / {one['documents']} docs | "
            f"{one['mb_per_s']} MB/s, {one['docs_per_s']} docs/s | "
            f"{many['mb_per_s']} MB/s ({many['workers']} procs, ×{scaling:.2f}) | "
            f"{real.get('mb_per_s', 'n/a')} MB/s | {one['peak_rss_mb']} / "
            f"{many['peak_child_rss_mb']} MB | {acc['citation_recall']} / "
            f"{acc['citation_precision']} |")


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=10.0, help="synthetic corpus size (MB)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--max-seconds", type=float, default=180.0,
                        help="cap on the single-core pass (the rest is skipped)")
    parser.add_argument("--profile", action="store_true", help="always profile")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    docs = build_corpus(args.mb, args.seed)
    generated = time.perf_counter() - start
    result: dict[str, Any] = {"machine": machine_info(), "seed": args.seed,
                              "generation_seconds": round(generated, 2)}
    result["single"] = single_core(docs, args.max_seconds)
    result["pool"] = pool(docs[: result["single"]["documents"]], args.workers)
    result["seeds"] = seeds()
    result["target_mb_per_s_per_core"] = TARGET_MB_S
    result["target_met"] = result["single"]["mb_per_s"] >= TARGET_MB_S
    if args.profile or not result["target_met"]:
        result["profile"] = profile(docs)
    result["load_average_at_end"] = load_average()
    path = write_result("bench_extract", result)
    print(f"wrote {path}")
    for key in ("single", "pool", "seeds"):
        shown = {k: v for k, v in (result[key] or {}).items() if k != "examples"}
        print(key, shown)
    if result.get("profile"):
        print("\n".join(result["profile"]))
    print("| date | corpus | 1 core | pool | seeds | peak RSS parent / worker "
          "| recall / precision |")
    print("|---|---|---|---|---|---|---|")
    print(markdown_row(result))


if __name__ == "__main__":
    main()
