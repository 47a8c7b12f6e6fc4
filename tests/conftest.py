"""Shared fixtures for the graph tests: in-memory stores and an isomorphism check."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from graph.store import OxigraphStore

BASE = "https://data.luocdo.vn/"


@pytest.fixture
def memory_store() -> Iterator[Callable[[], OxigraphStore]]:
    """Factory of empty in-memory Oxigraph stores (base ``BASE``), closed after the test."""
    made: list[OxigraphStore] = []

    def make() -> OxigraphStore:
        store = OxigraphStore(None, base=BASE)
        made.append(store)
        return store

    yield make
    for store in made:
        store.close()


def _diff_text(only_actual: Graph, only_expected: Graph) -> str:
    def lines(g: Graph) -> str:
        return "\n".join(sorted(f"  {s.n3()} {p.n3()} {o.n3()}" for s, p, o in g)) or "  (none)"

    return f"only in actual:\n{lines(only_actual)}\nonly in expected:\n{lines(only_expected)}"


@pytest.fixture
def assert_isomorphic() -> Callable[[Graph, Graph], None]:
    """Assert two graphs are isomorphic; on failure show the triples each one lacks."""

    def check(actual: Graph, expected: Graph) -> None:
        if isomorphic(actual, expected):
            return
        _, only_actual, only_expected = graph_diff(to_isomorphic(actual),
                                                   to_isomorphic(expected))
        pytest.fail("graphs differ\n" + _diff_text(only_actual, only_expected))

    return check
