"""``benchmarks.bench_graph --store``: the named queries timed on a store
``benchmarks.bench_api`` built before, with no N-Quads or second store beside it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # benchmarks/ is not an installed package
    sys.path.insert(0, str(ROOT))


def _args(**given: Any) -> argparse.Namespace:
    from benchmarks.bench_graph import arguments

    return arguments([f"--{k.replace('_', '-')}={v}" for k, v in given.items()])


def test_queries_run_on_a_store_built_before(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    import benchmarks.bench_api as bench_api
    import benchmarks.bench_graph as bench_graph

    monkeypatch.setattr(bench_api, "OUT_DIR", tmp_path)
    monkeypatch.setattr(bench_graph, "CACHE_DIR", tmp_path / "graph-cache")
    folder, built = bench_api.build_store(120, 0, 1)
    nquads = list((tmp_path / "graph-cache").glob("*.nq"))
    assert nquads
    for mapped in nquads:  # measured without them, as a store too large for both is
        mapped.unlink()
    written: dict[str, Any] = {}
    monkeypatch.setattr(bench_graph, "write_result",
                        lambda name, result: written.update(name=name, result=result) or
                        tmp_path / "out.json")
    bench_graph.run(_args(docs=120, store=folder, runs=2, budget=5, only="lookup,stats"))
    result = written["result"]
    assert written["name"] == "bench_graph-120-partial-store"
    assert result["store_build"]["documents"] == built["documents"] == 120
    queries = result["oxigraph_queries"]
    assert {"lookup[root]", "stats"} <= set(queries)
    assert all(q.get("runs") == 2 and q["p95_ms"] >= q["p50_ms"] > 0 for q in queries.values()), \
        queries
    assert queries["stats"]["rows"] > 0 and result["rdflib"] == {}
    assert "| stats |" in result["table"]


def test_a_store_of_another_size_is_refused(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    import benchmarks.bench_graph as bench_graph

    (tmp_path / "luocdo-bench.json").write_text('{"documents": 50, "triples": 1}')
    with pytest.raises(SystemExit, match="holds 50 documents"):
        bench_graph.run(_args(docs=120, store=tmp_path, runs=2))
    with pytest.raises(SystemExit, match="not a store"):
        bench_graph.run(_args(docs=120, store=tmp_path / "elsewhere", runs=2))
