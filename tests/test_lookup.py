"""``graph.lookup``: bound reads about a few documents give what the whole-store readers give.

``/documents/{id}`` and ``/documents/{id}/graph`` stopped reading the whole store (the
search index, the networkx projection took tens of seconds at 10⁵ documents). Their
answers must not change: for every document of the samples and the seeds, the fields read
by ``document_fields`` make the same entry as the search index's, and the neighbourhood
read by ``neighbourhood`` has the same documents, hops and edges as the one walked on
``graph.project.projection``.
"""

from __future__ import annotations

from collections import deque

import networkx as nx
import pytest
from search_oracle import build_index, index_rows
from test_api_support import load, samples_nquads, seeds_nquads

from api.search import entry
from graph.lookup import document_fields, neighbourhood
from graph.project import projection
from graph.store import OxigraphStore

FIXTURES = (samples_nquads, seeds_nquads)  # pytest fixtures, used by name


@pytest.fixture(params=["samples", "seeds"])
def store(request: pytest.FixtureRequest, samples_nquads: bytes) -> OxigraphStore:
    data = samples_nquads if request.param == "samples" else request.getfixturevalue(
        "seeds_nquads")
    made = OxigraphStore(None)
    request.addfinalizer(made.close)
    return load(made, data)


def _walk(network: nx.DiGraph, center: str, depth: int) -> dict[str, int]:
    """Breadth-first hops on the projection, neighbours in IRI order (the old reader)."""
    seen = {center: 0}
    todo = deque([center])
    while todo:
        node = todo.popleft()
        if seen[node] == depth:
            continue
        for other in sorted({*network.successors(node), *network.predecessors(node)}):
            if other not in seen:
                seen[other] = seen[node] + 1
                todo.append(other)
    return seen


def test_fields_make_the_search_index_entries(store: OxigraphStore) -> None:
    index = build_index(index_rows(store), store.base)
    fields = document_fields(store, [e.iri for e in index.entries])
    assert len(index.entries) > 5
    assert {iri: entry(row) for iri, row in fields.items()} == index.by_iri


def test_fields_skip_what_is_not_a_keyed_document(store: OxigraphStore) -> None:
    assert document_fields(store, ["urn:nothing", store.base + "agent/x"]) == {}


@pytest.mark.parametrize("depth", [1, 2, 3])
def test_neighbourhood_matches_the_projection(store: OxigraphStore, depth: int) -> None:
    network = projection(store)
    centers = sorted(n for n in network if network.degree(n))
    assert centers
    for center in centers:
        want = _walk(network, center, depth)
        got = neighbourhood(store, center, depth)
        assert got.hops == want, center
        edges = {(e.source, e.target): (e.relation, ",".join(e.relations)) for e in got.edges}
        assert edges == {(a, b): (d["relation"], d["relations"])
                         for a, b, d in network.edges(data=True) if a in want and b in want}


def test_neighbourhood_is_capped(store: OxigraphStore) -> None:
    network = projection(store)
    center = max(sorted(network), key=network.degree)
    found = neighbourhood(store, center, 3, max_nodes=3)
    assert len(found.hops) == 3 and found.hops[center] == 0
    assert all(e.source in found.hops and e.target in found.hops for e in found.edges)
