"""Shared fixtures for the graph tests: store factories and an isomorphism check.

Remote stores need a SPARQL endpoint; ``eval "$(.ci/virtuoso.sh start)"`` starts a
throwaway Virtuoso and sets ``LUOCDO_TEST_SPARQL_URL`` and its credentials.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from graph.store import GraphStore, OxigraphStore, RemoteStore

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


@pytest.fixture(params=["memory", pytest.param("remote", marks=pytest.mark.remote)])
def any_store(request: pytest.FixtureRequest) -> Any:
    """An empty Oxigraph store, and a store on the test SPARQL endpoint when there is one
    (the same test then runs on both)."""
    factory = "memory_store" if request.param == "memory" else "remote_store"
    return request.getfixturevalue(factory)()


@pytest.fixture
def remote_store() -> Iterator[Callable[..., RemoteStore]]:
    """Factory of stores on the test SPARQL endpoint, each under its own base IRI.

    Skips the test when no endpoint is configured. Every graph a store wrote is
    dropped afterwards (the endpoint's union default graph is shared).
    """
    url = os.environ.get("LUOCDO_TEST_SPARQL_URL")
    if not url:
        pytest.skip("no SPARQL endpoint: run `eval \"$(.ci/virtuoso.sh start)\"` to set "
                    "LUOCDO_TEST_SPARQL_URL")
    user = os.environ.get("LUOCDO_TEST_SPARQL_USER", "")
    password = os.environ.get("LUOCDO_TEST_SPARQL_PASSWORD", "")
    auth: httpx.Auth | None = None
    if user:
        digest = os.environ.get("LUOCDO_TEST_SPARQL_AUTH", "digest") == "digest"
        auth = httpx.DigestAuth(user, password) if digest else httpx.BasicAuth(user, password)
    made: list[RemoteStore] = []

    def make(chunk: int = 500) -> RemoteStore:
        store = RemoteStore(url, os.environ.get("LUOCDO_TEST_SPARQL_UPDATE_URL", url),
                            auth=auth, base=f"https://test.luocdo.vn/{uuid.uuid4().hex}/",
                            chunk=chunk)
        made.append(store)
        return store

    yield make
    for store in made:
        drop_all(store)
        store.close()


def drop_all(store: GraphStore) -> None:
    """Remove every graph under the store's base IRI."""
    for name in store.graph_names():
        store.remove_source(name)


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
