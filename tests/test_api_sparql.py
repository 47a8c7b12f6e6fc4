"""The /sparql endpoint over the bundled samples: protocol, formats, dataset, safety."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

import pytest
import regex
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF
from rdflib.query import Result
from test_api_support import (
    TOKEN,
    ClientFactory,
    api_client,
    client,
    problem,
    samples_nquads,
    samples_store,
)

from graph.results import from_sparql_json
from graph.store import OxigraphStore

FIXTURES = (api_client, client, samples_nquads, samples_store)  # pytest fixtures, used by name

LO = "https://w3id.org/luocdo/ontology#"
SD = "http://www.w3.org/ns/sparql-service-description#"

# Typed (xsd:date), language-tagged (type labels @vi/@en), plain literals, IRIs and
# unbound values, in a fixed order.
SELECT = f"""
PREFIX lo: <{LO}>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?doc ?key ?date ?title ?label WHERE {{
  ?doc a lo:Document ; lo:identityKey ?key .
  OPTIONAL {{ ?doc eli:date_document ?date }}
  OPTIONAL {{ ?doc eli:title ?title }}
  OPTIONAL {{ ?doc lo:documentType ?t . ?t skos:prefLabel ?label }}
}} ORDER BY ?key ?label"""
CONSTRUCT = f"""
PREFIX lo: <{LO}>
CONSTRUCT {{ ?doc ?p ?o }} WHERE {{ ?doc a lo:Document ; lo:identityKey ?k ; ?p ?o }}"""
SLOW = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f }"  # 25 M solutions: seconds
SPARQL_JSON = "application/sparql-results+json"


def _rows_json(text: str) -> list[dict[str, Any]]:
    return [dict(r) for r in from_sparql_json(json.loads(text)).rows]


def _rows_rdflib(data: str, fmt: str) -> list[dict[str, Any]]:
    parsed = Result.parse(io.StringIO(data), format=fmt)
    names = [str(v) for v in parsed.vars or []]
    return [{n: t for n, t in zip(names, row, strict=True) if t is not None}  # type: ignore[arg-type]
            for row in parsed]


def _lexical(rows: list[dict[str, Any]]) -> list[dict[str, str]]:
    return [{k: str(v) for k, v in r.items()} for r in rows]


def test_select_is_the_same_answer_in_every_results_format(client: TestClient) -> None:
    answers = {fmt: client.get("/sparql", params={"query": SELECT, "format": fmt})
               for fmt in ("json", "xml", "csv", "tsv")}
    for fmt, media in (("json", SPARQL_JSON), ("xml", "application/sparql-results+xml"),
                       ("csv", "text/csv"), ("tsv", "text/tab-separated-values")):
        assert answers[fmt].status_code == 200, answers[fmt].text
        assert answers[fmt].headers["content-type"].startswith(media)
    rows = _rows_json(answers["json"].text)
    assert len(rows) > 40 and any("date" in r for r in rows)
    assert any(isinstance(r.get("label"), Literal) and r["label"].language == "en" for r in rows)
    assert _rows_rdflib(answers["xml"].text, "xml") == rows
    assert _rows_rdflib(answers["tsv"].text, "tsv") == rows
    # CSV carries no types: compare lexical forms (an unbound value is an empty cell)
    csv_rows = [{k: v for k, v in r.items() if str(v)}
                for r in _lexical(_rows_rdflib(answers["csv"].text, "csv"))]
    assert csv_rows == _lexical(rows)


@pytest.mark.parametrize(("fmt", "media", "rdflib_format"), [
    ("ttl", "text/turtle", "turtle"),
    ("nt", "application/n-triples", "nt"),
    ("jsonld", "application/ld+json", "json-ld"),
    ("rdfxml", "application/rdf+xml", "xml"),
])
def test_construct_parses_back_isomorphic(client: TestClient, samples_store: OxigraphStore,
                                          fmt: str, media: str, rdflib_format: str) -> None:
    expected = samples_store.query(CONSTRUCT).graph
    assert expected is not None and len(expected) > 100
    response = client.post("/sparql", content=CONSTRUCT.encode(),
                           headers={"Content-Type": "application/sparql-query",
                                    "Accept": media})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(media)
    got = Graph().parse(data=response.content, format=rdflib_format)
    assert isomorphic(got, expected)


def test_describe_and_ask(client: TestClient) -> None:
    iri = "https://data.luocdo.vn/eli/vn/ct/2024/15/ttg"
    described = client.get("/sparql", params={"query": f"DESCRIBE <{iri}>"},
                           headers={"Accept": "application/n-triples"})
    assert described.status_code == 200
    assert (URIRef(iri), RDF.type, URIRef(LO + "Document")) in Graph().parse(
        data=described.text, format="nt")
    for accept, check in ((SPARQL_JSON, lambda r: r.json()["boolean"] is True),
                          ("text/tab-separated-values", lambda r: '"true"' in r.text),
                          ("application/sparql-results+xml", lambda r: "<boolean>true" in r.text)):
        asked = client.get("/sparql", params={"query": f"ASK {{ <{iri}> ?p ?o }}"},
                           headers={"Accept": accept})
        assert asked.status_code == 200 and check(asked)


def test_get_form_and_body_give_the_same_answer(client: TestClient) -> None:
    q = "SELECT ?s WHERE { ?s a <https://w3id.org/luocdo/ontology#Document> } ORDER BY ?s"
    via_get = client.get("/sparql", params={"query": q})
    via_form = client.post("/sparql", data={"query": q})
    via_body = client.post("/sparql", content=q.encode(),
                           headers={"Content-Type": "application/sparql-query; charset=utf-8"})
    assert via_get.status_code == via_form.status_code == via_body.status_code == 200
    assert via_get.json() == via_form.json() == via_body.json()
    assert len(via_get.json()["results"]["bindings"]) > 40


@pytest.mark.parametrize(("accept", "media"), [
    ("text/csv;q=0.5, application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/*;q=0.9, text/csv;q=0.1", "text/tab-separated-values"),
    ("application/json", SPARQL_JSON),
    ("*/*", SPARQL_JSON),
])
def test_accept_chooses_the_format(client: TestClient, accept: str, media: str) -> None:
    response = client.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": accept})
    assert response.headers["content-type"].startswith(media)
    assert response.headers["vary"] == "Accept"


def test_nothing_acceptable_is_406(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "SELECT * {}"},
                          headers={"Accept": "image/png"})
    body = problem(response, 406)
    assert SPARQL_JSON in body["offered"]


@pytest.mark.parametrize(("kwargs", "status"), [
    ({"params": {"query": "SELEKT * { ?s ?p ?o }"}}, 400),
    ({"params": {"query": "SELECT * { ?s ?p ?o "}}, 400),
    ({"params": {"query": "SELECT * {}", "format": "ttl"}}, 400),
    ({"params": {"query": "INSERT DATA { <a:b> <a:b> <a:b> }"}}, 400),  # update as query
    ({"params": {"update": "CLEAR ALL"}}, 400),  # updates need POST
    ({"params": {"query": "SELECT * {}", "default-graph-uri": "not an iri"}}, 400),
])
def test_bad_requests_get_a_problem(client: TestClient, kwargs: dict[str, Any],
                                    status: int) -> None:
    problem(client.get("/sparql", **kwargs), status)


@pytest.mark.parametrize(("kwargs", "status"), [
    ({"content": b"SELECT * {}", "headers": {"Content-Type": "text/plain"}}, 415),
    ({"content": b"\xff\xfe", "headers": {"Content-Type": "application/sparql-query"}}, 400),
    ({"data": {"query": "ASK {}", "update": "CLEAR ALL"}}, 400),
    ({"data": {}}, 415),  # no body, no content type
    ({"data": {"default-graph-uri": "http://g/"}}, 400),  # neither query nor update
    ({"content": b"query=ASK%7B%7D&query=ASK%7B%7D",
      "headers": {"Content-Type": "application/x-www-form-urlencoded"}}, 400),
])
def test_bad_posts_get_a_problem(client: TestClient, kwargs: dict[str, Any],
                                 status: int) -> None:
    problem(client.post("/sparql", **kwargs), status)


def test_problem_in_english_on_request(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "nonsense", "lang": "en"})
    assert problem(response, 400)["title"] == "Bad Request"


def test_body_over_the_limit_is_413(api_client: ClientFactory) -> None:
    client = api_client(max_query_bytes=200)
    query = "SELECT * { ?s ?p ?o } # " + "x" * 300
    problem(client.post("/sparql", data={"query": query}), 413)

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted while read
        yield b"SELECT * { ?s ?p ?o } # "
        yield b"x" * 300

    problem(client.post("/sparql", content=chunks(),
                        headers={"Content-Type": "application/sparql-query"}), 413)


# --- dataset: default-graph-uri, named-graph-uri, FROM ---------------------------------------


def _count(client: TestClient, query: str, **params: Any) -> int:
    response = client.get("/sparql", params={"query": query, **params})
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def test_default_graph_uri_is_the_default_graph(client: TestClient,
                                                samples_store: OxigraphStore) -> None:
    first = samples_store.sources()[0].graph
    size = len(samples_store.named_graph(first))
    count = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"
    assert _count(client, count, **{"default-graph-uri": str(first)}) == size
    assert _count(client, f"SELECT (COUNT(*) AS ?n) FROM <{first}> {{ ?s ?p ?o }}") == size
    assert _count(client, count) > size  # no dataset: the union of all graphs


def test_named_graph_uri_limits_graph(client: TestClient, samples_store: OxigraphStore) -> None:
    first, second = (s.graph for s in samples_store.sources()[:2])
    query = "SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } }"
    response = client.get("/sparql", params={"query": query, "named-graph-uri": str(first)})
    graphs = {b["g"]["value"] for b in response.json()["results"]["bindings"]}
    assert graphs == {str(first)}
    both = client.post("/sparql", data={"query": query,
                                        "named-graph-uri": [str(first), str(second)]})
    assert {b["g"]["value"] for b in both.json()["results"]["bindings"]} == {str(first),
                                                                              str(second)}


# --- limits ----------------------------------------------------------------------------------


def test_rows_are_capped_and_flagged(api_client: ClientFactory) -> None:
    client = api_client(max_rows=3)
    response = client.get("/sparql", params={"query": "SELECT * { ?s ?p ?o }"})
    assert len(response.json()["results"]["bindings"]) == 3
    assert response.headers["x-luocdo-truncated"] == "true"
    assert response.headers["x-luocdo-row-limit"] == "3"
    graph = client.get("/sparql", params={"query": CONSTRUCT, "format": "nt"})
    assert len(graph.text.strip().splitlines()) == 3
    small = client.get("/sparql", params={"query": "SELECT * {}"})
    assert "x-luocdo-truncated" not in small.headers


def test_thread_runner_answers_503_at_the_deadline(api_client: ClientFactory) -> None:
    client = api_client(query_timeout_s=0.3)
    body = problem(client.get("/sparql", params={"query": SLOW}), 503)
    assert body["timeout_s"] == 0.3
    assert client.get("/sparql", params={"query": "ASK {}"}).json()["boolean"] is True


# --- read-only by default; updates with the token --------------------------------------------

UPDATE = "INSERT DATA { GRAPH <urn:test:g> { <urn:test:a> <urn:test:p> 'x' } }"
ASK_UPDATE = "ASK { <urn:test:a> <urn:test:p> 'x' }"


def _post_update(client: TestClient, token: str | None = None) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return client.post("/sparql", data={"update": UPDATE}, headers=headers)


@pytest.mark.parametrize(("settings", "token", "status"), [
    ({}, TOKEN, 403),  # updates off (the default)
    ({"enable_update": True}, TOKEN, 403),  # on, but no token configured
    ({"enable_update": True, "update_token": TOKEN}, None, 401),
    ({"enable_update": True, "update_token": TOKEN}, "wrong", 401),
    ({"enable_update": True, "update_token": TOKEN}, TOKEN.upper(), 401),
    ({"update_token": TOKEN}, TOKEN, 403),  # a token alone does not enable updates
])
def test_update_refused(api_client: ClientFactory, settings: dict[str, Any],
                        token: str | None, status: int) -> None:
    client = api_client(**settings)
    response = _post_update(client, token)
    problem(response, status)
    assert TOKEN not in response.text and TOKEN not in str(response.headers)
    assert client.get("/sparql", params={"query": ASK_UPDATE}).json()["boolean"] is False


def test_update_allowed_with_token(api_client: ClientFactory) -> None:
    client = api_client(enable_update=True, update_token=TOKEN)
    assert _post_update(client, TOKEN).status_code == 204
    assert client.get("/sparql", params={"query": ASK_UPDATE}).json()["boolean"] is True
    body = client.post("/sparql", content=b"CLEAR GRAPH <urn:test:g>",
                       headers={"Content-Type": "application/sparql-update",
                                "Authorization": f"Bearer {TOKEN}"})
    assert body.status_code == 204
    assert client.get("/sparql", params={"query": ASK_UPDATE}).json()["boolean"] is False


def test_update_syntax_error_is_400(api_client: ClientFactory) -> None:
    client = api_client(enable_update=True, update_token=TOKEN)
    response = client.post("/sparql", data={"update": "INSERT NONSENSE"},
                           headers={"Authorization": f"Bearer {TOKEN}"})
    problem(response, 400)


# --- SERVICE and LOAD ------------------------------------------------------------------------

REMOTE = "SELECT * {{ SERVICE SILENT <http://{host}/sparql> {{ ?s ?p ?o }} }}"


@pytest.mark.parametrize("query", [
    REMOTE.format(host="evil.example"),
    "PREFIX e: <http://evil.example/> SELECT * { SERVICE e:sparql { ?s ?p ?o } }",
    "SELECT * { ?x ?y ?z SERVICE ?x { ?s ?p ?o } }",
    "SELECT * { ?s <urn:p><urn:o>SERVICE <http://evil.example/> { ?a ?b ?c } }",
])
def test_service_refused_by_default(client: TestClient, query: str) -> None:
    assert "service" in problem(client.get("/sparql", params={"query": query}), 403)["type"]


@pytest.mark.parametrize(("query", "status", "kind"), [
    (REMOTE.format(host="169.254.169.254"), 403, "service"),
    ("DELETE WHERE { ?s ?p ?o }", 400, "bad_request"),  # an update sent as a query
    ("SELECT * WHERE " + "{ " * 200 + "}" * 200, 400, "bad_query"),  # nested too deep
])
def test_a_short_refusal_does_not_wait_for_a_worker(
        api_client: ClientFactory, query: str, status: int, kind: str) -> None:
    """Regression (CI on a loaded machine): a refused SERVICE and an update sent as a
    query answered 503, their checks run in the query's task, behind busy workers and
    within the 1.5 s limit. A short query is checked before it waits for a worker: with
    a limit no query can meet, the refusal still comes, while a harmless query runs out
    of time."""
    client = api_client(query_timeout_s=1e-9)
    refused = problem(client.get("/sparql", params={"query": query}), status)
    assert kind in refused["type"]
    problem(client.get("/sparql", params={"query": "SELECT * { ?s ?p ?o }"}), 503)


def test_a_long_query_is_still_checked_in_its_task(api_client: ClientFactory) -> None:
    """Past ``PRECHECK_CHARS`` the checks run in the query's task, as before."""
    from api.routers.sparql import PRECHECK_CHARS

    padding = "#" + "x" * PRECHECK_CHARS + "\n"
    client = api_client()
    response = client.get("/sparql", params={"query": padding + REMOTE.format(
        host="evil.example")})
    refused = problem(response, 403)
    assert "service" in refused["type"] and "evil.example" in refused["detail"]


def test_service_allowed_for_listed_host(api_client: ClientFactory) -> None:
    client = api_client(service_allowlist="127.0.0.1, query.example.org")
    # nothing listens on port 1; SILENT turns the failed call into one empty solution
    response = client.get("/sparql", params={"query": REMOTE.format(host="127.0.0.1:1")})
    assert response.status_code == 200, response.text
    problem(client.get("/sparql", params={"query": REMOTE.format(host="evil.example")}), 403)


def test_load_refused_even_with_updates_on(api_client: ClientFactory) -> None:
    client = api_client(enable_update=True, update_token=TOKEN)
    response = client.post("/sparql", data={"update": "LOAD <http://evil.example/x.ttl>"},
                           headers={"Authorization": f"Bearer {TOKEN}"})
    problem(response, 403)


# --- service description and query page -----------------------------------------------------


@pytest.mark.parametrize(("accept", "rdflib_format"), [
    (None, "turtle"),
    ("text/turtle", "turtle"),
    ("application/ld+json", "json-ld"),
    ("application/rdf+xml", "xml"),
    ("application/n-triples", "nt"),
])
def test_service_description(client: TestClient, accept: str | None,
                             rdflib_format: str) -> None:
    headers = {"Accept": accept} if accept else {}
    response = client.get("/sparql", headers=headers)
    assert response.status_code == 200
    g = Graph().parse(data=response.content, format=rdflib_format)
    service = next(g.subjects(RDF.type, URIRef(SD + "Service")))
    assert str(service).endswith("/sparql")
    languages = set(g.objects(service, URIRef(SD + "supportedLanguage")))
    assert languages == {URIRef(SD + "SPARQL11Query")}
    assert (service, URIRef(SD + "resultFormat"),
            URIRef("http://www.w3.org/ns/formats/SPARQL_Results_TSV")) in g


def test_service_description_names_update_when_on(api_client: ClientFactory) -> None:
    client = api_client(enable_update=True, update_token=TOKEN)
    g = Graph().parse(data=client.get("/sparql").text, format="turtle")
    assert URIRef(SD + "SPARQL11Update") in set(g.objects(None,
                                                          URIRef(SD + "supportedLanguage")))


BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def test_query_page_for_browsers_works_offline(client: TestClient) -> None:
    page = client.get("/sparql", headers={"Accept": BROWSER})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "<textarea" in page.text and 'lang="vi"' in page.text
    for asset in ("/static/sparql.js", "/static/sparql.css"):
        assert asset in page.text
        served = client.get(asset)
        assert served.status_code == 200
        assert "http://" not in served.text and "https://" not in served.text
    assert not regex.search(r"(?:src|href)\s*=\s*[\"']?(?:https?:)?//", page.text)


def test_query_page_in_english(client: TestClient) -> None:
    page = client.get("/sparql", params={"lang": "en"}, headers={"Accept": "text/html"})
    assert 'lang="en"' in page.text


def test_english_browser_still_gets_vietnamese_by_default(client: TestClient) -> None:
    page = client.get("/sparql", headers={"Accept": "text/html", "Accept-Language": "en-US"})
    assert 'lang="vi"' in page.text


def test_named_queries_are_listed(client: TestClient) -> None:
    names = {q["name"]: q for q in client.get("/queries").json()}
    assert {"cited_by", "cites", "documents", "implementation_chain"} <= set(names)
    assert names["cited_by"]["params"][0]["name"] == "doc"
    # every example runs as it is (an unbound parameter just matches everything or nothing)
    for q in names.values():
        response = client.post("/sparql", data={"query": q["text"]})
        assert response.status_code == 200, (q["name"], response.text)
