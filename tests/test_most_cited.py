"""``most_cited`` read tier by tier (``lo:citedByTier``, ``# descend:``) gives exactly the
first fifty of every counted document sorted by citing documents, then mentions, then IRI."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from benchmarks.synth import generate_records
from graph import iri
from graph.counts import cited_tier
from graph.pipeline import refresh_derived
from graph.queries import run_named
from graph.rdf import file_graph
from graph.store import OxigraphStore

BASE = "https://data.luocdo.vn/"
_COUNTED = """PREFIX lo: <https://w3id.org/luocdo/ontology#>
SELECT ?doc ?by ?n ?tier WHERE { ?doc lo:citedByCount ?by ; lo:mentionCount ?n ;
                                      lo:citedByTier ?tier }"""


@pytest.mark.parametrize(("cited_by", "tier"), [
    (0, 0), (1, 1), (2, 2), (3, 2), (4, 3), (7, 3), (8, 4), (1023, 10), (1024, 11),
    (43_117, 16),
])
def test_tier_is_the_bit_length(cited_by: int, tier: int) -> None:
    assert cited_tier(cited_by) == tier


@pytest.fixture
def store(memory_store: Callable[[], OxigraphStore]) -> OxigraphStore:
    made = memory_store()
    for result in generate_records(400, 3):
        made.replace_source(iri.source_graph_iri(result.path, BASE),
                            file_graph(result, base=BASE))
    refresh_derived(made)
    return made


def _brute_force(store: OxigraphStore) -> list[tuple[str, int, int]]:
    rows = [(str(r["doc"]), int(str(r["by"])), int(str(r["n"])), int(str(r["tier"])))
            for r in store.query(_COUNTED)]
    assert all(tier == cited_tier(by) for _, by, _, tier in rows)
    ranked = sorted(rows, key=lambda r: (-r[1], -r[2], r[0]))
    return [(doc, by, n) for doc, by, n, _ in ranked[:50]]


@pytest.mark.parametrize(("limit", "offset"), [(None, 0), (10, 0), (10, 45), (5, 100), (0, 0)])
def test_most_cited_is_the_top_of_every_count(store: OxigraphStore, limit: int | None,
                                              offset: int) -> None:
    want = _brute_force(store)
    assert len(want) == 50 and want[0][1] > want[-1][1]  # a real ranking, not ties only
    got = run_named(store, "most_cited", limit=limit, offset=offset).rows
    end = 50 if limit is None else min(50, offset + limit)
    assert [(str(r["doc"]), int(str(r["citedBy"])), int(str(r["mentions"]))) for r in got] \
        == want[offset:end]
