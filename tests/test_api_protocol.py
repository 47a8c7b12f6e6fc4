"""Content negotiation, result writers and SERVICE detection (pure functions, no server)."""

from __future__ import annotations

import io

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.query import Result

from api.errors import Problem
from api.sparql_protocol import (
    check_remote_calls,
    choose_format,
    has_dataset_clause,
    negotiate,
    parse_accept,
    remote_targets,
    to_tsv,
    to_xml,
)
from graph.results import QueryResult

RESULTS = ["application/sparql-results+json", "application/sparql-results+xml", "text/csv",
           "text/tab-separated-values"]
GRAPHS = ["text/turtle", "application/n-triples", "application/ld+json",
          "application/rdf+xml"]


@pytest.mark.parametrize(("header", "expected"), [
    ("text/csv", [("text", "csv", 1.0)]),
    ("text/csv;q=0.5, */*;q=0.1", [("text", "csv", 0.5), ("*", "*", 0.1)]),
    ("TEXT/CSV ; Q=0.3", [("text", "csv", 0.3)]),
    ("text/*;q=0", [("text", "*", 0.0)]),
    ("*", [("*", "*", 1.0)]),  # old clients
    ("text/csv;q=2", []),  # q above 1: dropped
    ("text/csv;q=0.1234", []),  # four decimals: dropped
    ("text/csv;q=abc, text/plain", [("text", "plain", 1.0)]),
    ("*/csv", []),  # a wildcard type with a concrete subtype is not a media range
    ("garbage, , text/turtle", [("text", "turtle", 1.0)]),
    ('application/ld+json;profile="a,b";q=0.7', [("application", "ld+json", 0.7)]),
    ("", []),
])
def test_parse_accept(header: str, expected: list[tuple[str, str, float]]) -> None:
    got = [(r.type, r.subtype, r.q) for r in parse_accept(header)]
    assert got == expected


@pytest.mark.parametrize(("header", "offered", "expected"), [
    (None, RESULTS, RESULTS[0]),  # no header: the server's first choice
    ("", RESULTS, RESULTS[0]),
    ("*/*", RESULTS, RESULTS[0]),
    ("text/csv", RESULTS, "text/csv"),
    ("application/sparql-results+xml, application/sparql-results+json;q=0.9", RESULTS,
     "application/sparql-results+xml"),
    ("application/sparql-results+json;q=0.5, text/csv", RESULTS, "text/csv"),
    # the most specific range decides: text/csv is 0.1, the rest of text/* is 0.9
    ("text/*;q=0.9, text/csv;q=0.1", RESULTS, "text/tab-separated-values"),
    ("text/csv;q=0, */*;q=0.2", ["text/csv", "text/turtle"], "text/turtle"),
    ("text/csv;q=0", ["text/csv"], None),  # explicitly refused
    ("image/png", RESULTS, None),
    ("image/png, */*;q=0.01", RESULTS, RESULTS[0]),
    # tie on quality: server order
    ("text/tab-separated-values, text/csv", RESULTS, "text/csv"),
    ("text/turtle;q=0.8, application/n-triples", GRAPHS, "application/n-triples"),
    ("application/rdf+xml;q=0.9, text/turtle;q=0.95, application/*;q=0.1", GRAPHS,
     "text/turtle"),
    ("TEXT/TURTLE", GRAPHS, "text/turtle"),
    ("text/turtle;charset=utf-8", GRAPHS, "text/turtle"),
    ("q=0.5", GRAPHS, GRAPHS[0]),  # nothing well-formed: as if no header
])
def test_negotiate(header: str | None, offered: list[str], expected: str | None) -> None:
    assert negotiate(header, offered) == expected


@pytest.mark.parametrize(("form", "accept", "name", "expected"), [
    ("SELECT", None, None, "json"),
    ("ASK", "text/tab-separated-values", None, "tsv"),
    ("SELECT", "application/json", None, "json"),
    ("SELECT", "application/xml", None, "xml"),
    ("SELECT", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", None,
     "xml"),
    ("CONSTRUCT", None, None, "ttl"),
    ("DESCRIBE", "application/ld+json", None, "jsonld"),
    ("CONSTRUCT", "application/json", None, "jsonld"),
    ("CONSTRUCT", "text/plain", None, "nt"),
    ("CONSTRUCT", "text/csv", "rdfxml", "rdfxml"),  # format= overrides Accept
    ("SELECT", None, "TSV", "tsv"),
    ("SELECT", None, "text/csv", "csv"),
])
def test_choose_format(form: str, accept: str | None, name: str | None, expected: str) -> None:
    assert choose_format(form, accept, name).name == expected


@pytest.mark.parametrize(("form", "accept", "name", "status"), [
    ("SELECT", "text/turtle", None, 406),
    ("CONSTRUCT", "text/csv", None, 406),
    ("SELECT", None, "ttl", 400),
    ("CONSTRUCT", None, "json", 400),
    ("SELECT", None, "yaml", 400),
])
def test_choose_format_refuses(form: str, accept: str | None, name: str | None,
                               status: int) -> None:
    with pytest.raises(Problem) as caught:
        choose_format(form, accept, name)
    assert caught.value.status == status


# --- writers: parse back with rdflib's own parsers -----------------------------------------

INTEGER = URIRef("http://www.w3.org/2001/XMLSchema#integer")

ROWS = QueryResult("select", vars=("s", "label", "n", "blank", "gone"), rows=(
    {"s": URIRef("http://example.org/a"), "label": Literal("Chỉ thị\t\"số\"\n33", lang="vi"),
     "n": Literal("5", datatype=INTEGER), "blank": BNode("b1")},
    {"s": URIRef("http://example.org/b"), "label": Literal("plain, with comma")},
))


def test_tsv_parses_back_to_the_same_terms() -> None:
    parsed = Result.parse(io.StringIO(to_tsv(ROWS)), format="tsv")
    assert [str(v) for v in parsed.vars or []] == list(ROWS.vars)
    got = [tuple(row) for row in parsed]  # type: ignore[arg-type]
    want = [tuple(r.get(v) for v in ROWS.vars) for r in ROWS.rows]
    assert got == want


def test_xml_parses_back_to_the_same_terms() -> None:
    parsed = Result.parse(io.BytesIO(to_xml(ROWS).encode("utf-8")), format="xml")
    got = [{str(k): v for k, v in row.asdict().items()} for row in parsed]  # type: ignore[union-attr]
    assert got == [dict(r) for r in ROWS.rows]


def test_xml_replaces_characters_xml_cannot_carry() -> None:
    result = QueryResult("select", vars=("x",), rows=({"x": Literal("a\x01b")},))
    parsed = Result.parse(io.BytesIO(to_xml(result).encode("utf-8")), format="xml")
    assert [str(row[0]) for row in parsed] == ["a\ufffdb"]  # type: ignore[index]


@pytest.mark.parametrize("value", [True, False])
def test_ask_in_xml_and_tsv(value: bool) -> None:
    result = QueryResult("ask", boolean=value)
    assert Result.parse(io.BytesIO(to_xml(result).encode()), format="xml").askAnswer is value
    assert to_tsv(result).splitlines()[1] == f'"{str(value).lower()}"'


# --- SERVICE / LOAD ------------------------------------------------------------------------

EVIL = "http://evil.example/sparql"


@pytest.mark.parametrize(("text", "expected"), [
    ("SELECT * { ?s ?p ?o }", []),
    (f"SELECT * {{ SERVICE <{EVIL}> {{ ?s ?p ?o }} }}", [EVIL]),
    (f"select * {{ service silent <{EVIL}> {{ ?s ?p ?o }} }}", [EVIL]),
    (f"# SERVICE <{EVIL}>\nSELECT * {{ ?s ?p ?o }}", []),  # a comment
    (f'SELECT * {{ ?s ?p "SERVICE <{EVIL}>" }}', []),  # a string
    (f"SELECT * {{ ?s ?p '''x\nSERVICE <{EVIL}>''' }}", []),  # a long string
    ("PREFIX ex: <http://evil.example/> SELECT * { SERVICE ex:sparql { } }", [EVIL]),
    ("PREFIX ex:<http://evil.example/> SELECT * { SERVICE ex:sparql { } }", [EVIL]),
    ("BASE <http://evil.example/> SELECT * { SERVICE <sparql> { } }", [EVIL]),
    ("SELECT * { SERVICE ?where { ?s ?p ?o } }", [None]),  # cannot be checked
    ("SELECT * { SERVICE nope:x { } }", [None]),  # unknown prefix
    # glued to the previous token: graph.sparql's lexer alone reads one word here
    (f"SELECT * {{ ?s <http://p><http://o>SERVICE <{EVIL}> {{ }} }}", [EVIL]),
    (f'PREFIX ex: <http://e/> SELECT * {{ ?s ex:p"x"SERVICE <{EVIL}> {{ }} }}', [EVIL]),
    (f"SELECT * {{ \\u0053ERVICE <{EVIL}> {{ }} }}", [EVIL]),  # code point escape
    (f"LOAD <{EVIL}> INTO GRAPH <http://g>", [EVIL]),
    (f"LOAD SILENT <{EVIL}>", [EVIL]),
])
def test_remote_targets(text: str, expected: list[str | None]) -> None:
    assert remote_targets(text) == expected


@pytest.mark.parametrize(("text", "allow", "refused"), [
    (f"SELECT * {{ SERVICE <{EVIL}> {{ }} }}", [], True),
    (f"SELECT * {{ SERVICE <{EVIL}> {{ }} }}", ["evil.example"], False),
    (f"SELECT * {{ SERVICE <{EVIL}> {{ }} }}", ["good.example"], True),
    ("SELECT * { SERVICE <http://evil.example:8890/sparql> { } }", ["evil.example:8890"],
     False),
    ("SELECT * { SERVICE <http://evil.example:8890/sparql> { } }", ["evil.example:80"], True),
    ("SELECT * { SERVICE <http://good.example@evil.example/> { } }", ["good.example"], True),
    ("SELECT * { SERVICE <file:///etc/passwd> { } }", ["evil.example"], True),
    ("SELECT * { SERVICE ?x { } }", ["evil.example"], True),
    ("SELECT * { ?s ?p ?o }", [], False),
])
def test_check_remote_calls(text: str, allow: list[str], refused: bool) -> None:
    if refused:
        with pytest.raises(Problem) as caught:
            check_remote_calls(text, allow)
        assert caught.value.status == 403
    else:
        check_remote_calls(text, allow)


@pytest.mark.parametrize(("text", "expected"), [
    ("SELECT * { ?s ?p ?o }", False),
    ("SELECT * FROM <http://g> { ?s ?p ?o }", True),
    ("select * from named <http://g> { graph ?g { ?s ?p ?o } }", True),
    ('SELECT * { ?s ?p "FROM" } # FROM <x>', False),
])
def test_has_dataset_clause(text: str, expected: bool) -> None:
    assert has_dataset_clause(text) is expected
