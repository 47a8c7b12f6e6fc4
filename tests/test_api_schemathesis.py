"""Property-based requests from the OpenAPI document: no input gives a server error.

Bounded (few examples per operation, no deadline) so that it runs in CI. Writes are
off (no token configured), so the fuzzer cannot change the store. Schemathesis 4's
lazy pytest mode (``from_fixture``) breaks on pytest 9, so each operation's Hypothesis
strategy is driven here directly, inside one test per operation.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from test_api_support import BASE, samples_nquads, samples_store

from api.app import create_app
from api.settings import Settings
from graph.store import OxigraphStore

FIXTURES = (samples_nquads, samples_store)  # pytest fixtures, used by name

# Every operation of the API (checked below against the document itself).
OPERATIONS = [
    ("GET", "/sparql"), ("POST", "/sparql"), ("GET", "/queries"), ("GET", "/documents"),
    ("GET", "/documents/{doc_id}"), ("GET", "/documents/{doc_id}/graph"),
    ("GET", "/outlines/{doc_id}"), ("GET", "/trace"), ("GET", "/obligations"),
    ("GET", "/calendar.ics"), ("GET", "/conflicts"), ("GET", "/submissions"),
    ("POST", "/check"), ("GET", "/health"), ("GET", "/stats"), ("GET", "/sources"),
    ("POST", "/ingest"), ("DELETE", "/sources/{source_id}"),
]
EXAMPLES = 6


def _schema(store: OxigraphStore) -> Any:
    app = create_app(Settings(query_workers=0, base_iri=BASE, query_timeout_s=5), store)
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def _fuzz(operation: Any) -> None:
    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def fuzz(case: Any) -> None:
        case.call_and_validate(checks=[not_a_server_error])

    fuzz()


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_no_server_errors(samples_store: OxigraphStore, method: str, path: str) -> None:
    _fuzz(_schema(samples_store)[path][method])


def test_operations_added_later(samples_store: OxigraphStore) -> None:
    """Every listed operation exists; any other one (a router added beside) is fuzzed too."""
    schema = _schema(samples_store)
    found = {(op.ok().method.upper(), op.ok().path): op.ok()
             for op in schema.get_all_operations()}
    assert set(OPERATIONS) <= set(found)
    for key, operation in sorted(found.items()):
        if key not in OPERATIONS:
            _fuzz(operation)
