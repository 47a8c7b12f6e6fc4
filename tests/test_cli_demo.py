"""``luocdo demo``: what it prints agrees with what the store answers."""

from __future__ import annotations

from pathlib import Path

import pytest
import regex
from click.testing import CliRunner
from rdflib.compare import isomorphic

from api.cli import main
from graph import iri
from graph.queries import run_named
from graph.store import open_store

ROW = regex.compile(r"^│\s*(?P<symbol>\S+)\s*│[^│]*│\s*(?P<count>\d+)\s*│$", regex.MULTILINE)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_demo_most_cited_counts_are_the_stores(tmp_path: Path, lang: str) -> None:
    """Regression: the demo printed the projection's in-degree (9 for 15/CT-TTg, counting
    relations a third document states) where the API and ``most_cited`` say 7."""
    spec = str(tmp_path / "demo")
    result = CliRunner().invoke(main, ["--lang", lang, "demo", "--no-serve", "--store", spec])
    assert result.exit_code == 0, result.output
    printed = {m["symbol"]: int(m["count"]) for m in ROW.finditer(result.output)}
    assert printed.get("15/CT-TTg") == 7, result.output
    with open_store(spec) as store:
        for symbol, count in printed.items():
            rows = run_named(store, "cited_by_count", doc=symbol).rows
            assert [int(str(r["citedBy"])) for r in rows] == [count], symbol


def test_the_demos_own_store_keeps_only_this_checkouts_samples(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Regression: the demo's own store kept the samples of every checkout it was run
    from (each copy a file of its own), so obligations were listed once per copy."""
    import shutil

    from api.cli_demo import demo_store_path, sample_files
    from graph.pipeline import ingest_paths, refresh_derived

    monkeypatch.setenv("LUOCDO_STORE", str(tmp_path / "data" / "store"))
    other = tmp_path / "other-checkout"
    other.mkdir()
    copies = [Path(shutil.copy(p, other / p.name)) for p in sample_files()[:2]]
    with open_store(str(demo_store_path())) as store:
        assert len(ingest_paths(store, copies).landed) == 2
    result = CliRunner().invoke(main, ["demo", "--no-serve"])
    assert result.exit_code == 0, result.output
    with open_store(str(demo_store_path())) as store:
        paths = {Path(s.path).resolve() for s in store.sources()}
        assert paths == {p.resolve() for p in sample_files()}
        derived = store.named_graph(iri.derived_graph_iri(store.base))
        counts = store.named_graph(iri.counts_graph_iri(store.base))
        refresh_derived(store)  # a full recomputation: the incremental one was exact
        assert isomorphic(derived, store.named_graph(iri.derived_graph_iri(store.base)))
        assert isomorphic(counts, store.named_graph(iri.counts_graph_iri(store.base)))
