"""Shared fixtures for the graph tests: a fresh in-memory store per test, nothing else."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

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
