"""``/explore``: explorer pages and their assets served by the API."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from test_api_support import (  # noqa: F401
    ClientFactory,
    api_client,
    load,
    problem,
    samples_nquads,
    samples_store,
    seeds_nquads,
)

from api.routers import explore
from graph.store import OxigraphStore


def _with_explorer(client: TestClient) -> TestClient:
    """The app with the explorer's router (added when ``create_app`` does not have it yet)."""
    app: Any = client.app
    if not any(getattr(r, "path", None) == "/explore" for r in app.routes):
        app.include_router(explore.router)
    return client


@pytest.fixture
def client(api_client: ClientFactory) -> TestClient:  # noqa: F811
    return _with_explorer(api_client())


def _page(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    marker = 'id="explorer-page">'
    start = html.index(marker) + len(marker)
    data: dict[str, Any] = json.loads(html[start:html.index("</script>", start)])
    return data


def test_corpus_page(client: TestClient) -> None:
    response = client.get("/explore")
    page = _page(response)
    assert page["view"]["title"] == "Toàn bộ kho văn bản"
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "default-src 'none'" in csp
    assert '<script src="/explore/static/vendor/vis-network.min.js"></script>' in response.text
    assert page["links"]["record"] == "/documents/{id}"


@pytest.mark.parametrize(("url", "headers", "title"), [
    ("/explore", {"Accept-Language": "en-GB,en;q=0.9"}, "Toàn bộ kho văn bản"),
    ("/explore?lang=en", {}, "Whole corpus"),
    ("/explore?lang=vi", {"Accept-Language": "en"}, "Toàn bộ kho văn bản"),
])
def test_language(client: TestClient, url: str, headers: dict[str, str], title: str) -> None:
    assert _page(client.get(url, headers=headers))["view"]["title"] == title


def test_corpus_grouped_when_large(client: TestClient) -> None:
    page = _page(client.get("/explore?max_nodes=5&cluster=type"))
    assert page["view"]["clustered"] is True
    assert len(page["catalogue"]) == 43


@pytest.mark.parametrize("doc", ["15/CT-TTG@2024", "15/ct-ttg", "15/CT-TTg"])
def test_document_page(client: TestClient, doc: str) -> None:
    page = _page(client.get(f"/explore/documents/{quote(doc, safe='')}?depth=1"))
    assert page["view"]["title"] == "Vùng lân cận của 15/CT-TTg (bán kính 1)"
    assert page["links"] == {"neighbourhood": "/explore/documents/{id}",
                             "record": "/documents/{id}", "depth": 1}


def test_document_errors(client: TestClient) -> None:
    body = problem(client.get("/explore/documents/9999%2FXYZ-ABC"), 404)
    assert body["type"] == "urn:luocdo:problem:no_document"
    problem(client.get("/explore/documents/15%2FCT-TTg?depth=99"), 400)
    problem(client.get("/explore/documents/15%2FCT-TTg?depth=-1"), 422)


def test_trace_page(client: TestClient) -> None:
    page = _page(client.get("/explore/trace", params={"document": "2215/BNV-CQĐP",
                                                      "section": "III.4"}))
    assert page["view"]["kind"] == "trace" and len(page["view"]["path"]) == 4


@pytest.mark.parametrize(("params", "key"), [
    ({"document": "2215/BNV-CQĐP", "section": "IX.9"}, "no_section"),
    ({"document": "15/CT-TTg", "section": "I"}, "no_outline"),
    ({"document": "9999/ABC", "section": "I"}, "no_document"),
])
def test_trace_errors(client: TestClient, params: dict[str, str], key: str) -> None:
    body = problem(client.get("/explore/trace", params=params), 404)
    assert body["type"] == f"urn:luocdo:problem:{key}"
    if key == "no_section":
        assert "III.4" in body["available"]


@pytest.mark.parametrize(("name", "media"), [
    ("explorer.js", "text/javascript"),
    ("explorer.css", "text/css"),
    ("vendor/vis-network.min.js", "text/javascript"),
    ("vendor/vis-network.LICENSE-MIT.txt", "text/plain"),
])
def test_static_assets(client: TestClient, name: str, media: str) -> None:
    response = client.get(f"/explore/static/{name}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media)
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("name", ["../render.py", "..%2Frender.py", "nothing.js",
                                  "%2e%2e/%2e%2e/api/app.py", "vendor"])
def test_static_refuses_anything_else(client: TestClient, name: str) -> None:
    assert client.get(f"/explore/static/{name}").status_code == 404


@pytest.mark.seeds
def test_seed_trace_page(api_client: ClientFactory, memory_store: Any,  # noqa: F811
                         seeds_nquads: bytes) -> None:  # noqa: F811
    store: OxigraphStore = load(memory_store(), seeds_nquads)
    client = _with_explorer(api_client(store=store))
    page = _page(client.get("/explore/trace", params={"document": "1432/BNV-CTTN",
                                                      "section": "III.8"}))
    assert page["view"]["title"] == "Truy vết mục III.8 của đề cương kèm 1432/BNV-CTTN"
    assert len(page["view"]["path"]) == 3


@pytest.mark.slow
def test_pages_built_in_a_worker_process(api_client: ClientFactory) -> None:  # noqa: F811
    """With worker processes the page, and the problem for an unknown id, cross back."""
    client = _with_explorer(api_client(query_workers=1))
    assert _page(client.get("/explore/documents/2215%2FBNV-CQDP"))["view"]["focus"]
    problem(client.get("/explore/documents/0000%2FNONE"), 404)
