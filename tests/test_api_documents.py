"""/documents search, one document, its neighbourhood, /outlines; ids and injection."""

from __future__ import annotations

import unicodedata
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from test_api_support import (
    ClientFactory,
    api_client,
    client,
    load,
    problem,
    samples_nquads,
    samples_store,
    seeds_nquads,
)

from api.search import abbreviations, text_matcher, text_matches, words
from graph.store import OxigraphStore

# pytest fixtures, used by name
FIXTURES = (api_client, client, samples_nquads, samples_store, seeds_nquads)


def _symbols(client: TestClient, **params: Any) -> list[str | None]:
    response = client.get("/documents", params=params)
    assert response.status_code == 200, response.text
    return [d["symbol"] or d["key"] for d in response.json()["items"]]


@pytest.mark.parametrize(("q", "first"), [
    ("chi thi 15", "15/CT-TTg"),
    ("Chỉ thị số 15", "15/CT-TTg"),
    ("CHỈ THỊ 33", "33/CT-TTg"),
    ("ubnd ninh binh", "1876/UBND-VX"),
    ("UBND tỉnh Ninh Bình", "1876/UBND-VX"),
    ("uy ban nhan dan tinh ninh binh", "1876/UBND-VX"),
    ("15/CT-TTg", "15/CT-TTg"),
    ("33/ct-ttg", "33/CT-TTg"),
    ("2215/BNV-CQDP", "2215/BNV-CQĐP"),  # D for Đ
    ("ke hoach so 12", "12/KH-UBND"),
    ("27-kl/tu", "27-KL/TU"),
    ("ket luan tinh uy", "27-KL/TU"),
])
@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_search_ignores_diacritics_and_case(client: TestClient, q: str, first: str,
                                            form: str) -> None:
    found = _symbols(client, q=unicodedata.normalize(form, q))  # type: ignore[arg-type]
    assert found and found[0] == first, found


@pytest.mark.parametrize(("q", "included", "excluded"), [
    ("bnv", "3790/BC-BNV", "27-KL/TU"),
    ("bo noi vu", "3790/BC-BNV", "27-KL/TU"),
    ("ttg", "17/2024/QĐ-TTg", "124-QĐ/TW"),
    ("thu tuong chinh phu", "17/2024/QĐ-TTg", "27-KL/TU"),
    ("quyet dinh", "124-QĐ/TW", "33/CT-TTg"),
])
def test_search_understands_abbreviations(client: TestClient, q: str, included: str,
                                          excluded: str) -> None:
    found = _symbols(client, q=q, limit=500)
    assert included in found and excluded not in found


@pytest.mark.parametrize(("params", "expected"), [
    ({"type": "chi-thi", "year": 2024}, {"15/CT-TTg"}),
    ({"type": "ket-luan", "issuer": "tinh uy"}, {"27-KL/TU"}),
    ({"issuer": "UBND Ninh Bình"}, {"1876/UBND-VX"}),
    ({"q": "15", "type": "cong-van"}, {"1876/UBND-VX", "2215/BNV-CQĐP"}),  # in titles
    ({"q": "15/CT-TTg", "type": "ke-hoach"}, set()),
    ({"q": "no such thing at all"}, set()),
])
def test_search_filters(client: TestClient, params: dict[str, Any], expected: set[str]) -> None:
    assert set(_symbols(client, limit=500, **params)) == expected


def test_search_pages(client: TestClient) -> None:
    everything = client.get("/documents", params={"limit": 500}).json()
    assert everything["total"] == len(everything["items"]) > 40
    page = client.get("/documents", params={"limit": 5, "offset": 5}).json()
    assert page["total"] == everything["total"] and len(page["items"]) == 5
    assert [d["id"] for d in page["items"]] == [d["id"] for d in everything["items"][5:10]]


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 501}, {"offset": -1},
                                    {"year": "two thousand"}, {"q": "x" * 501}])
def test_search_rejects_bad_parameters(client: TestClient, params: dict[str, Any]) -> None:
    body = problem(client.get("/documents", params=params), 422)
    assert body["errors"]


@pytest.mark.parametrize("q", [
    '" } ; DROP ALL ; SELECT * { "',
    "<http://evil/> } UNION { ?s ?p ?o",
    "'; DELETE WHERE { ?s ?p ?o } #",
    "\\u0022 ) } ",
    "SERVICE <http://evil.example/> { }",
])
def test_search_text_never_reaches_sparql(client: TestClient, q: str,
                                          samples_store: OxigraphStore) -> None:
    before = samples_store.stats()
    response = client.get("/documents", params={"q": q})
    assert response.status_code == 200 and response.json()["total"] == 0
    assert samples_store.stats() == before


# --- one document ----------------------------------------------------------------------------


@pytest.mark.parametrize("doc_id", [
    quote("15/CT-TTG@2024", safe=""),  # identity key, URL-encoded
    "15/CT-TTG@2024",  # identity key as path segments
    "15/ct-ttg@2024",
    "eli/vn/ct/2024/15/ttg",  # IRI path after the base
    quote("https://data.luocdo.vn/eli/vn/ct/2024/15/ttg", safe=""),  # whole IRI
    "15/CT-TTg",  # symbol: the dated document wins over the undated mention
])
def test_document_ids(client: TestClient, doc_id: str) -> None:
    response = client.get(f"/documents/{doc_id}")
    assert response.status_code == 200, response.text
    assert response.json()["key"] == "15/CT-TTG@2024"


def test_every_listed_document_resolves_by_its_url(client: TestClient) -> None:
    listed = client.get("/documents", params={"limit": 500}).json()["items"]
    assert any(d["id"].startswith("ANON:") for d in listed)  # documents without a number
    for doc in listed:
        response = client.get(doc["url"])
        assert response.status_code == 200, (doc["url"], response.text)
        assert response.json()["iri"] == doc["iri"]


def test_document_detail(client: TestClient) -> None:
    doc = client.get("/documents/" + quote("1876/UBND-VX@2025", safe="")).json()
    assert doc["issuer"] == "Ủy ban nhân dân tỉnh Ninh Bình" and doc["date"] == "2025-05-14"
    assert doc["evidence"] and all(e["quote"] for e in doc["evidence"])
    cited = {c["symbol"]: c for c in doc["cites"]}
    assert "2215/BNV-CQĐP" in cited
    assert cited["2215/BNV-CQĐP"]["evidence"]["quote"]
    assert cited["2215/BNV-CQĐP"]["id"] == "2215/BNV-CQDP@2025"
    assert any(c["relation"] == "implements" for c in doc["cites"])
    assert doc["cited_by"], "the district report cites the province letter"
    hops = [(h["from_symbol"], h["relation"], h["to_symbol"]) for h in doc["implements"]]
    assert ("1876/UBND-VX", "implements", "2215/BNV-CQĐP") in hops
    assert ("2215/BNV-CQĐP", "implements", "15/CT-TTg") in hops  # up to the root


@pytest.mark.parametrize("doc_id", ["15/CT-TTG@2024", "2215/BNV-CQDP@2025"])
def test_citations_in_come_in_pages_with_their_total(client: TestClient, doc_id: str) -> None:
    url = "/documents/" + quote(doc_id, safe="")
    whole = client.get(url, params={"cited_by_limit": 1000}).json()
    citing = {c["document"] for c in whole["cited_by"] if not c["stated_by"]}
    assert whole["cited_by_total"] == len(citing) > 0
    pages = [client.get(url, params={"cited_by_limit": 1, "cited_by_offset": i}).json()
             for i in range(len(whole["cited_by"]))]
    assert all(len(p["cited_by"]) == 1 for p in pages)
    key = lambda c: (c["document"], c["evidence"]["start"])  # noqa: E731
    assert sorted(key(p["cited_by"][0]) for p in pages) == sorted(map(key, whole["cited_by"]))
    assert client.get(url, params={"cited_by_limit": -1}).status_code == 422


def test_document_replacements(client: TestClient) -> None:
    newer = client.get("/documents/27-KL/TU@2025").json()
    assert [r["symbol"] for r in newer["replaces"]] == ["312-QĐ/TU"]
    assert newer["replaces"][0]["evidence"]["quote"]
    older = client.get("/documents/312-QĐ/TU").json()
    assert [r["symbol"] for r in older["replaced_by"]] == ["27-KL/TU"]


def test_unknown_document_is_404(client: TestClient) -> None:
    problem(client.get("/documents/99/CT-TTG@2030"), 404)


def test_ambiguous_symbol_is_409_with_candidates(api_client: ClientFactory,
                                                 samples_store: OxigraphStore) -> None:
    # two dated documents share a symbol (numbers restart every year)
    lo = "https://w3id.org/luocdo/ontology#"
    samples_store.update(f"""INSERT DATA {{ GRAPH <urn:test:g> {{
        <urn:test:a> a <{lo}Document> ; <{lo}identityKey> "1/CT-TTG@2020" ;
                     <{lo}symbol> "1/CT-TTg" .
        <urn:test:b> a <{lo}Document> ; <{lo}identityKey> "1/CT-TTG@2021" ;
                     <{lo}symbol> "1/CT-TTg" . }} }}""")
    client = api_client()
    body = problem(client.get("/documents/1/CT-TTg"), 409)
    assert sorted(c["key"] for c in body["candidates"]) == ["1/CT-TTG@2020", "1/CT-TTG@2021"]
    assert client.get("/documents/1/CT-TTG@2021").status_code == 200
    # a dated document and an undated mention of the same symbol: the dated one, no 409
    assert client.get("/documents/2215/BNV-CQĐP").json()["key"] == "2215/BNV-CQDP@2025"


@pytest.mark.parametrize("doc_id", [
    "a> } ; DROP ALL ; #",
    quote("http://x/> <y> } DROP ALL { <z", safe=""),
    "eli/vn/ct/2024/15/ttg> ?p ?o } #",
    "%00",
    "..%2F..%2Fetc%2Fpasswd",
    # regression (found by schemathesis): an id with a control character made an IRI
    # path the store refuses, and the lookup answered 500
    "%08",
    "%C3%91%01%C3%A0",
    "%F0%B8%8A%9A%C3%A8",
    quote("https://data.luocdo.vn/x\x7fy", safe=""),
])
def test_document_id_never_reaches_sparql(client: TestClient, doc_id: str,
                                          samples_store: OxigraphStore) -> None:
    before = samples_store.stats()
    response = client.get(f"/documents/{doc_id}")
    problem(response, 404)
    assert samples_store.stats() == before


# --- neighbourhood ---------------------------------------------------------------------------


def test_document_graph(client: TestClient) -> None:
    one = client.get("/documents/2215/BNV-CQDP@2025/graph").json()
    assert one["center"].endswith("/eli/vn/cv/2025/2215/bnv-cqdp") and one["depth"] == 1
    ids = {n["id"] for n in one["nodes"]}
    assert {n["depth"] for n in one["nodes"]} == {0, 1}
    assert all(e["source"] in ids and e["target"] in ids for e in one["edges"])
    assert any(e["relation"] == "implements" for e in one["edges"])
    two = client.get("/documents/2215/BNV-CQDP@2025/graph", params={"depth": 2}).json()
    assert len(two["nodes"]) > len(one["nodes"])


def test_graph_depth_is_capped(api_client: ClientFactory) -> None:
    client = api_client(max_graph_depth=1)
    view = client.get("/documents/2215/BNV-CQDP@2025/graph", params={"depth": 5}).json()
    assert view["depth"] == 1 and max(n["depth"] for n in view["nodes"]) == 1
    problem(client.get("/documents/2215/BNV-CQDP@2025/graph", params={"depth": 11}), 422)


def test_outline(client: TestClient) -> None:
    outline = client.get("/outlines/2215/BNV-CQĐP").json()
    top = [s["number"] for s in outline["sections"]]
    assert top[:3] == ["I", "II", "III"]
    third = outline["sections"][2]
    assert [c["number"] for c in third["children"]][:2] == ["III.1", "III.2"]
    assert third["evidence"]["quote"]
    problem(client.get("/outlines/33/CT-TTg"), 404)


# --- the search module on its own ------------------------------------------------------------


@pytest.mark.parametrize(("code", "expansion"), [
    ("ubnd", ("uy", "ban", "nhan", "dan")),
    ("bnv", ("bo", "noi", "vu")),
    ("ttg", ("thu", "tuong", "chinh", "phu")),
    ("ct", ("chi", "thi")),
    ("bgddt", ("bo", "giao", "duc", "va", "dao", "tao")),
])
def test_abbreviations_come_from_the_ontology(code: str, expansion: tuple[str, ...]) -> None:
    assert expansion in abbreviations()[code]


@pytest.mark.parametrize(("text", "query", "expected"), [
    ("Ủy ban nhân dân tỉnh Đồng Nai", "UBND Đồng Nai", True),
    ("Ủy ban nhân dân tỉnh Đồng Nai", "ubnd dong", True),
    ("UBND tỉnh Đồng Nai", "ủy ban nhân dân", True),
    ("Sở Nội vụ", "bo noi vu", False),
    ("Bộ Nội vụ", "BNV", True),
    (None, "bnv", False),
    ("anything", None, True),
])
def test_text_matches(text: str | None, query: str | None, expected: bool) -> None:
    assert text_matches(text, query) is expected
    matcher = text_matcher(query)  # the query read once, each text's answer remembered
    assert [matcher(text), matcher(text), matcher("Bộ Nội vụ")] == [
        expected, expected, text_matches("Bộ Nội vụ", query)]


def test_words_fold_nfc_and_nfd_alike() -> None:
    text = "Chỉ thị số 33/CT-TTg của Thủ tướng Chính phủ"
    assert words(unicodedata.normalize("NFD", text)) == words(text)
    assert words(text)[:3] == ("chi", "thi", "so")


@pytest.mark.seeds
@pytest.mark.parametrize(("q", "symbol", "issuer"), [
    ("chi thi 33", "33/CT-TTg", None),
    ("ubnd dong nai", None, "Ủy ban nhân dân tỉnh Đồng Nai"),
])
def test_search_in_the_seeds(api_client: ClientFactory, memory_store: Any, seeds_nquads: bytes,
                             q: str, symbol: str | None, issuer: str | None) -> None:
    client = api_client(store=load(memory_store(), seeds_nquads))
    first = client.get("/documents", params={"q": q}).json()["items"][0]
    if symbol:
        assert first["symbol"] == symbol
    if issuer:
        assert first["issuer"] == issuer
