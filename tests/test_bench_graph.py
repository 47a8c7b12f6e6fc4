"""``benchmarks.bench_graph --store``: the named queries timed on a store
``benchmarks.bench_api`` built before, with no N-Quads or second store beside it."""

from __future__ import annotations

import argparse
import json
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


def test_a_stopped_mapping_goes_on_where_it_was_recorded(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``build_nquads`` records how far it got; run again after a stop, it cuts the file
    back to the record and maps only the chunks after it: the same N-Quads and counts as
    a mapping run at once."""
    import benchmarks.bench_graph as bench_graph

    base = "https://data.luocdo.vn/"
    monkeypatch.setattr(bench_graph, "_CHUNK_DOCS", 40)
    monkeypatch.setattr(bench_graph, "_PROGRESS_EVERY", 2)
    monkeypatch.setattr(bench_graph, "CACHE_DIR", tmp_path / "whole")
    whole, stats = bench_graph.build_nquads(200, 0, 1, base)
    expected = whole.read_bytes()
    assert not list((tmp_path / "whole").glob("*.progress.json")), "removed once done"

    cache = tmp_path / "stopped"
    monkeypatch.setattr(bench_graph, "CACHE_DIR", cache)
    cache.mkdir()
    chunks = [bench_graph._nquads_chunk((a, a + 40, 0, base)) for a in range(0, 200, 40)]
    # what the first run wrote, marked (a comment line), so that the test sees it kept
    head = b"".join(text.encode("utf-8") for text, *_ in chunks[:2]) + b"# kept\n"
    stem = whole.name.removesuffix(".nq")
    # stopped in the middle of the third chunk, after recording the first two
    (cache / f"{stem}.nq").write_bytes(head + chunks[2][0].encode("utf-8")[:500])
    (cache / f"{stem}.progress.json").write_text(json.dumps({
        "chunks": 2, "bytes": len(head), "docs": 80, "seconds": 1.0,
        "triples": sum(c[2] for c in chunks[:2]), "size": sum(c[3] for c in chunks[:2])}))
    resumed, again = bench_graph.build_nquads(200, 0, 1, base)
    assert resumed.read_bytes() == head + expected[len(head) - len(b"# kept\n"):]
    assert (again["documents"], again["triples"]) == (stats["documents"], stats["triples"]) \
        == (200, sum(c[2] for c in chunks))
    assert not (cache / f"{stem}.progress.json").exists()


_STAMP = "<http://www.w3.org/ns/prov#generatedAtTime>"


def _quads(folder: Path) -> set[tuple[str, str, str, str]]:
    """The store's quads but the times its derived graphs were made and those with a
    blank node (the ontology's lists: labelled anew by each store)."""
    import pyoxigraph as ox

    native = ox.Store.read_only(str(folder))
    try:
        quads = ((str(q.subject), str(q.predicate), str(q.object), str(q.graph_name))
                 for q in native.quads_for_pattern(None, None, None, None))
        return {q for q in quads if q[1] != _STAMP and not any(t.startswith("_:") for t in q)}
    finally:
        del native


def test_a_stopped_store_build_goes_on_where_it_was_recorded(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``build_store`` loads the N-Quads and their union a piece at a time, recording
    each; stopped in the middle of the union (a piece in the middle of its load) and run
    again, it goes on from the record: the same quads as a build run at once, and its
    union marked."""
    import benchmarks.bench_api as bench_api
    import benchmarks.bench_graph as bench_graph
    from graph import union

    monkeypatch.setattr(bench_graph, "CACHE_DIR", tmp_path / "graph-cache")
    monkeypatch.setattr(bench_api, "OUT_DIR", tmp_path / "whole")
    whole, _ = bench_api.build_store(120, 0, 1)
    expected = _quads(whole)
    assert not list((tmp_path / "whole").glob("*.progress.json")), "removed once done"

    monkeypatch.setattr(bench_api, "OUT_DIR", tmp_path / "stopped")
    monkeypatch.setattr(bench_api, "_PIECE_BYTES", 20_000)  # dozens of pieces
    loaded = union.load_union
    calls = []

    def stop_at_the_third(native: Any, piece: bytes) -> int:
        calls.append(len(piece))
        if len(calls) == 3:
            raise KeyboardInterrupt  # as a stopped run is
        return loaded(native, piece)

    monkeypatch.setattr(union, "load_union", stop_at_the_third)
    with pytest.raises(KeyboardInterrupt):
        bench_api.build_store(120, 0, 1)
    progress = tmp_path / "stopped" / f"{whole.name}.progress.json"
    record = json.loads(progress.read_text())
    assert record["phase"] == "union" and record["bytes"] > 0
    monkeypatch.setattr(union, "load_union", loaded)
    resumed, built = bench_api.build_store(120, 0, 1)
    assert not built["cached"] and not progress.exists()
    assert _quads(resumed) == expected and len(expected) > 10_000
    assert built["bulk_load_seconds"] >= 0 and built["union_seconds"] >= 0
