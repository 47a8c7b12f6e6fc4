"""The corpora graph tests read: the samples, the seeds and synthetic text, ingested."""

from __future__ import annotations

from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "ingest" / "samples"
SEEDS = ROOT.parent / "shared" / "seeds"


def ingested(paths: list[Path]) -> Any:
    """A new in-memory store holding ``paths`` ingested (every one must land)."""
    from graph.pipeline import ingest_paths
    from graph.store import open_store

    store = open_store(":memory:")
    summary = ingest_paths(store, [str(p) for p in paths])
    assert not summary.failed, summary.failed
    return store


def synthetic_files(folder: Path, n: int, seed: int) -> list[Path]:
    """``n`` synthetic documents (``benchmarks.synth``, ``seed``) written under ``folder``."""
    from benchmarks.synth import generate_corpus

    paths = []
    for i, doc in enumerate(generate_corpus(n, seed)):
        path = folder / f"{i:03d}.txt"
        path.write_text(doc.text, encoding="utf-8")
        paths.append(path)
    return paths
