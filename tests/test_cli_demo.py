"""``luocdo demo``: what it prints agrees with what the store answers."""

from __future__ import annotations

from pathlib import Path

import pytest
import regex
from click.testing import CliRunner

from api.cli import main
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
