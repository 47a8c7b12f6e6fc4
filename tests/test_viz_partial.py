"""Views read around their focus (visualizations.reader) equal views of the whole corpus."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from test_viz_views import SEED_002, _samples, _seeds

from graph.store import OxigraphStore
from visualizations.facts import Corpus, load_corpus, load_details
from visualizations.model import View
from visualizations.views import (
    corpus_view,
    document_total,
    neighbourhood,
    neighbourhood_ids,
    neighbourhood_of,
    trace_view,
    trace_view_whole,
)

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"


def _open(name: str) -> OxigraphStore:
    return _samples() if name == "samples" else _seeds()


@cache
def _whole(name: str) -> Corpus:
    store = _open(name)
    try:
        return load_corpus(store)
    finally:
        store.close()


def _whole_view(store: OxigraphStore, corpus: Corpus, iri: str, depth: int,
                max_nodes: int) -> View:
    """What ``neighbourhood`` answered when it read the whole corpus."""
    from visualizations.views import _note, resolve

    focus = resolve(corpus, iri)
    ids, _ = neighbourhood_ids(corpus, focus, depth, max_nodes)
    details = load_details(store, corpus, ids, obligations_of=[focus],
                           note=_note(corpus.doc, "vi"))
    return neighbourhood_of(corpus, focus, depth, max_nodes=max_nodes, details=details)


@pytest.mark.parametrize(("name", "depth", "max_nodes"), [
    ("samples", 1, 500), ("samples", 2, 500), ("samples", 3, 500),
    ("samples", 2, 6), ("samples", 3, 12),
    ("seeds", 1, 500), ("seeds", 2, 500), ("seeds", 3, 500),
    ("seeds", 2, 6), ("seeds", 3, 12),
])
def test_neighbourhood_read_around_equals_whole(name: str, depth: int, max_nodes: int) -> None:
    corpus = _whole(name)
    store = _open(name)
    differ = []
    for iri in sorted(corpus.docs):  # every document, undated mentions included
        whole = _whole_view(store, corpus, iri, depth, max_nodes)
        if neighbourhood(store, iri, depth, max_nodes=max_nodes) != whole:
            differ.append(iri)
    store.close()
    assert corpus.docs and differ == []


@pytest.mark.parametrize(("name", "symbol", "section"), [
    ("seed-002", "1432/BNV-CTTN", "III.8"),
    ("samples", "2215/BNV-CQĐP", "iii. 4"),
    ("samples", "2215/BNV-CQĐP", "III.4"),
])
def test_trace_read_around_equals_whole(name: str, symbol: str, section: str) -> None:
    store = _seeds(SEED_002) if name == "seed-002" else _samples()
    assert trace_view(store, symbol, section) == trace_view_whole(store, symbol, section)


@pytest.mark.parametrize(("budget", "more"), [(5, True), (100_000, False)])
def test_budget_makes_the_count_a_lower_bound(budget: int, more: bool) -> None:
    view = neighbourhood(_samples(), "15/CT-TTg", 2, max_nodes=5, budget=budget)
    assert view.message is not None  # trimmed either way: 5 of more documents
    assert ("trong số hơn" in view.message) is more


@pytest.mark.parametrize(("max_documents", "refused"), [(10, True), (45, False)])
def test_corpus_view_refuses_a_store_too_large_before_reading_it(max_documents: int,
                                                                 refused: bool) -> None:
    store = _samples()
    assert document_total(store) == 45  # 43 drawn: two are undated twins of dated ones
    view = corpus_view(store, max_documents=max_documents, lang="en")
    assert (view.nodes == ()) is refused
    assert (view.message is not None and "too many to draw whole" in view.message) is refused


def test_store_without_counts_is_read_whole() -> None:
    store = OxigraphStore(None)
    assert document_total(store) is None
    assert corpus_view(store, max_documents=0).nodes == ()
