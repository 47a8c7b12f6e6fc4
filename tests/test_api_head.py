"""``HEAD`` answers as ``GET`` does, without the body (``api.app.HeadAsGet``)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from test_api_support import api_client, client, samples_nquads, samples_store

FIXTURES = (api_client, client, samples_nquads, samples_store)  # pytest fixtures, used by name

# headers that may differ between two answers to the same request
VOLATILE = {"date", "server"}


def _same_headers(head: dict[str, str], get: dict[str, str]) -> None:
    assert {k: v for k, v in head.items() if k not in VOLATILE} == {
        k: v for k, v in get.items() if k not in VOLATILE}


@pytest.mark.parametrize(("path", "headers"), [
    ("/calendar.ics", {"Accept-Encoding": "identity"}),
    ("/calendar.ics", {"Accept-Encoding": "gzip"}),
    ("/calendar.ics?recipient=bo%20noi%20vu", {"Accept-Encoding": "identity"}),
    ("/obligations", {}),
    ("/obligations?bearer=ubnd&limit=3", {}),
    ("/sources", {}),
    ("/stats", {}),
    ("/documents?q=ke%20hoach", {}),
    ("/explore", {}),
    ("/openapi.json", {}),
    ("/no-such-path", {}),  # a 404 is a 404 either way
])
def test_head_is_get_without_its_body(client: TestClient, path: str,
                                      headers: dict[str, str]) -> None:
    assert client.app.state.luocdo.report_keeper().wait_idle(30)  # type: ignore[attr-defined]
    get = client.get(path, headers=headers)
    head = client.head(path, headers=headers)
    assert head.status_code == get.status_code
    _same_headers(dict(head.headers), dict(get.headers))
    assert head.content == b""
    if get.status_code == 200:  # the length of what GET sends (gzip-coded or not)
        assert int(head.headers["content-length"]) > 0


def test_head_of_health_says_the_server_answers(client: TestClient) -> None:
    # its body changes while the reports are built (so is not compared with a GET's)
    head = client.head("/health")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-type"] == "application/json"


def test_head_of_a_calendar_with_its_tag_is_not_modified(client: TestClient) -> None:
    tag = client.head("/calendar.ics").headers["etag"]
    assert client.head("/calendar.ics", headers={"If-None-Match": tag}).status_code == 304


def test_head_where_get_is_not_taken_is_refused(client: TestClient) -> None:
    response = client.head("/ingest")  # POST only
    assert response.status_code == 405
    assert "POST" in response.headers["allow"]
    assert response.content == b""
