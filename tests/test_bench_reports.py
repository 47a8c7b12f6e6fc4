"""``benchmarks.bench_reports`` times the reports the API computes on first asking: each
row it records is the report's own answer (the count of its rows), on the samples."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from test_api_support import samples_nquads, samples_store

from graph import reports
from graph.store import OxigraphStore

FIXTURES = (samples_nquads, samples_store)  # used by name
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # benchmarks/ is not an installed package
    sys.path.insert(0, str(ROOT))


@pytest.mark.parametrize("name", ["citations", "conflicts", "submissions"])
def test_a_report_run_records_its_rows(samples_store: OxigraphStore, name: str) -> None:
    from benchmarks.bench_reports import run_report

    found = run_report(samples_store, name)
    assert found["rows"] == len(getattr(reports, name)(samples_store))
    assert found["seconds"] >= 0 and found["peak_rss_mb"] > 0
    if name == "citations":
        assert found["rows"] > 0  # the samples cite one another


def test_submissions_after_writes_are_the_whole_judging(samples_store: OxigraphStore) -> None:
    """``--after-writes``: each rewrite drawn is brought up to date, equal to the whole
    judging (the run stops otherwise), and what is kept is counted."""
    from benchmarks.bench_reports import run_after_writes

    found = run_after_writes(samples_store, samples_store._store, 3, 0)
    assert found["rows"] == len(reports.submissions(samples_store)) > 0
    assert found["writes"] == 3 and found["declined"] == 0
    assert found["columns"] > 0 and found["candidates"] >= found["columns"]
    assert found["pickled_mb"] >= 0 and found["update_seconds_max"] >= 0
