"""graph.sparql: term serialisation, query forms, VALUES injection; graph.results formats."""

from __future__ import annotations

import json
import unicodedata

import pytest
import rdflib
from rdflib import BNode, Literal, URIRef

from graph.results import (
    QueryResult,
    dumps_json,
    from_sparql_json,
    integer_literal,
    known_iri,
    string_literal,
)
from graph.sparql import inject_values, query_form, term_sparql

INJECTION = '"} ; DROP ALL ; #'


@pytest.mark.parametrize(
    ("term", "text"),
    [
        (URIRef("https://data.luocdo.vn/eli/vn/ct/2021/33/ttg"),
         "<https://data.luocdo.vn/eli/vn/ct/2021/33/ttg>"),
        (Literal("33/CT-TTg"), '"33/CT-TTg"'),
        (Literal("Chỉ thị"), '"Chỉ thị"'),
        (Literal(INJECTION), '"\\"} ; DROP ALL ; #"'),
        (Literal("a\\b\nc\r\td"), '"a\\\\b\\nc\\r\\td"'),
        (Literal("x\x00y"), '"x\\u0000y"'),
        (Literal("Đảng", lang="vi"), '"Đảng"@vi'),
        (Literal(3), '"3"^^<http://www.w3.org/2001/XMLSchema#integer>'),
        (Literal("--12-15", datatype=rdflib.XSD.gMonthDay),
         '"--12-15"^^<http://www.w3.org/2001/XMLSchema#gMonthDay>'),
        (Literal("x", datatype=rdflib.XSD.string), '"x"'),
    ],
)
def test_term_sparql(term: object, text: str) -> None:
    assert term_sparql(term) == text  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "term",
    [
        URIRef("http://x/> } ; DROP ALL ; <http://y"),
        URIRef("http://x/a b"),
        URIRef('http://x/"'),
        BNode("b1"),
    ],
)
def test_unsafe_terms_are_refused(term: object) -> None:
    with pytest.raises(ValueError):
        term_sparql(term)  # type: ignore[arg-type]


def test_blank_nodes_are_allowed_in_data() -> None:
    assert term_sparql(BNode("b1"), allow_bnode=True) == "_:bb1"


@pytest.mark.parametrize(
    ("query", "form"),
    [
        ("SELECT ?s WHERE { ?s ?p ?o }", "SELECT"),
        ("PREFIX lo: <https://w3id.org/luocdo/ontology#>\nask { ?s lo:cites ?o }", "ASK"),
        ("# SELECT in a comment\nCONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "CONSTRUCT"),
        ("DESCRIBE <http://x>", "DESCRIBE"),
        ("INSERT DATA { <http://a> <http://b> <http://c> }", "UPDATE"),
        ("PREFIX x: <http://x#> DROP ALL", "UPDATE"),
        ('DELETE WHERE { ?s ?p ?o } ; INSERT DATA { <a> <b> "SELECT" }', "UPDATE"),
    ],
)
def test_query_form(query: str, form: str) -> None:
    assert query_form(query).form == form


def test_query_form_needs_a_query() -> None:
    with pytest.raises(ValueError, match="not a SPARQL query"):
        query_form("hello")


@pytest.mark.parametrize(
    ("head", "rest"),
    [
        ("SELECT ?x WHERE {", " ?x ?p ?o }"),
        ('SELECT ?x ("WHERE {" AS ?w) WHERE {', " ?x ?p ?o }"),
        ("# WHERE { in a comment\nSELECT ?x WHERE {", " ?x ?p ?o }"),
        ("PREFIX w: <http://ex/where#> SELECT ?x WHERE {", " ?x w:where ?o }"),
        ("SELECT ?x {", " ?x ?p ?o }"),
        ("CONSTRUCT { ?x ?p ?o } WHERE {", " ?x ?p ?o }"),
        ("SELECT ?x WHERE {", " ?x ?p ?o { SELECT ?y WHERE { ?y ?p ?o } } }"),
        ("SELECT ?x WHERE {", " ?x <http://ex/a#{b> ?o }"),
    ],
)
def test_values_go_into_the_outer_where_group(head: str, rest: str) -> None:
    out = inject_values(head + rest, {"x": URIRef("http://a")})
    assert out == head + " { SELECT * WHERE { VALUES (?x) { (<http://a>) } } } " + rest


def test_values_with_several_variables_and_values() -> None:
    out = inject_values("SELECT * WHERE { ?a ?b ?c }",
                        {"a": [URIRef("http://1"), URIRef("http://2")], "c": Literal(5)})
    assert "VALUES (?a ?c) { (<http://1> " in out
    assert out.count("^^<http://www.w3.org/2001/XMLSchema#integer>") == 2


def test_no_bindings_leaves_the_query_alone() -> None:
    assert inject_values("SELECT * WHERE { ?a ?b ?c }", None) == "SELECT * WHERE { ?a ?b ?c }"


def test_empty_value_list_matches_nothing() -> None:
    out = inject_values("SELECT * WHERE { ?a ?b ?c }", {"a": []})
    assert "<urn:x-luocdo:nothing>" in out


@pytest.mark.parametrize("name", ["a b", "a}", "", "1x", "x;DROP"])
def test_bad_variable_names_are_refused(name: str) -> None:
    with pytest.raises(ValueError, match="variable"):
        inject_values("SELECT * WHERE { ?a ?b ?c }", {name: Literal("x")})


def test_injected_text_stays_inside_one_literal() -> None:
    out = inject_values("SELECT * WHERE { ?a ?b ?c }", {"c": Literal(INJECTION)})
    assert '"\\"} ; DROP ALL ; #"' in out
    assert out.count("DROP ALL") == 1


def test_query_without_where_group_cannot_take_bindings() -> None:
    with pytest.raises(ValueError, match="WHERE"):
        inject_values("DESCRIBE <http://x>", {"a": Literal(1)})


# --- results ---------------------------------------------------------------------------------

ROWS = QueryResult(
    "select",
    vars=("doc", "quote", "n", "label"),
    rows=(
        {"doc": URIRef("http://d/1"), "quote": Literal('Chỉ thị "33"'), "n": Literal(2),
         "label": Literal("Đảng", lang="vi")},
        {"doc": BNode("b0")},
    ),
)


def test_json_results_are_the_w3c_format() -> None:
    assert ROWS.to_json() == {
        "head": {"vars": ["doc", "quote", "n", "label"]},
        "results": {"bindings": [
            {"doc": {"type": "uri", "value": "http://d/1"},
             "quote": {"type": "literal", "value": 'Chỉ thị "33"'},
             "n": {"type": "literal", "value": "2",
                   "datatype": "http://www.w3.org/2001/XMLSchema#integer"},
             "label": {"type": "literal", "value": "Đảng", "xml:lang": "vi"}},
            {"doc": {"type": "bnode", "value": "b0"}},
        ]},
    }


def test_json_results_round_trip() -> None:
    again = from_sparql_json(json.loads(json.dumps(ROWS.to_json())))
    assert again.vars == ROWS.vars
    assert again.rows == ROWS.rows


@pytest.mark.parametrize("result", [
    ROWS,
    QueryResult("select", vars=("a",), rows=()),
    QueryResult("select", vars=(), rows=({},)),
    QueryResult("select", vars=("t",), rows=tuple(
        {"t": term} for term in (
            Literal("a\tb\nc\\d \"e\""), Literal(unicodedata.normalize("NFD", "Đồng Nai")),
            Literal("x", datatype=rdflib.XSD.string),
            Literal("--12-15", datatype=rdflib.XSD.gMonthDay),
            string_literal("Bộ Nội vụ"), integer_literal(7), known_iri("https://x/y#z"),
            Literal("Party", lang="en"), BNode("n1")))),
    QueryResult("ask", boolean=False),
])
def test_dumped_json_is_the_json_results(result: QueryResult) -> None:
    """``dumps_json`` writes ``to_json``'s document (one binding a line), and the fast
    terms give what rdflib's own do (a plain string has no datatype, not xsd:string)."""
    text = dumps_json(result)
    assert json.loads(text) == result.to_json()
    if result.kind == "select":  # a line per binding, six around them ("[]" when none)
        assert text.count("\n") == (len(result.rows) + 6 if result.rows else 5)
    for row in result.to_json().get("results", {}).get("bindings", []):
        for term in row.values():
            assert term.get("datatype") != str(rdflib.XSD.string)


def test_ask_json() -> None:
    assert QueryResult("ask", boolean=True).to_json() == {"head": {}, "boolean": True}


def test_virtuoso_typed_literal_is_read() -> None:
    payload = {"head": {"vars": ["d"]}, "results": {"bindings": [
        {"d": {"type": "typed-literal", "value": "--12-15",
               "datatype": "http://www.w3.org/2001/XMLSchema#gMonthDay"}}]}}
    expected = Literal("--12-15", datatype=rdflib.XSD.gMonthDay)
    assert from_sparql_json(payload).rows[0]["d"] == expected


def test_csv_results() -> None:
    assert ROWS.to_csv() == (
        "doc,quote,n,label\r\n"
        'http://d/1,"Chỉ thị ""33""",2,Đảng\r\n'
        "_:b0,,,\r\n"
    )
