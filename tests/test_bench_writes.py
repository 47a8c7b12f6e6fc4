"""``benchmarks.bench_writes`` times one file added, ingested again and removed: on the
samples store the operations leave the store as they found it, and the time spent on
the due pages is a part of each operation's."""

from __future__ import annotations

import sys
from pathlib import Path

from graph import iri
from graph.pipeline import ingest_paths
from graph.store import OxigraphStore

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # benchmarks/ is not an installed package
    sys.path.insert(0, str(ROOT))


def _graphs(path: Path) -> dict[str, int]:
    store = OxigraphStore(path)
    try:
        return {str(g): len(store.named_graph(g)) for g in store.graph_names()
                if g != store.provenance_graph}
    finally:
        store.close()


def test_writes_are_timed_and_undone(tmp_path: Path) -> None:
    from benchmarks.bench_writes import run

    folder = tmp_path / "store"
    store = OxigraphStore(folder)
    ingest_paths(store, [ROOT / "ingest" / "samples"])
    store.remove_source(iri.due_pages_graph_iri(store.base))  # a store without pages
    store.close()
    before = _graphs(folder)
    found = run(str(folder), 2)
    assert found["page_build"]["triples"] > 0
    after = _graphs(folder)
    pages = str(iri.due_pages_graph_iri(iri.base_iri()))
    assert {g: n for g, n in after.items() if g != pages} == before
    for name in ("add", "again", "remove"):
        op = found["operations"][name]
        assert 0 < op["due_pages"]["max_ms"] <= op["max_ms"]
