"""The cost of one ``GraphStore.query``: one lexer pass per query text, terms converted once.

``graph.sparql.query_form`` keeps what it learns about a text (form, outer ``WHERE``
brace, ``FROM`` clauses) in a bounded cache; ``OxigraphStore`` reuses it for the text
with the ``VALUES`` block joined in, and converts each distinct answer term once.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from graph import sparql
from graph.sparql import declares_dataset, inject_values, query_form
from graph.store import OxigraphStore
from graph.trace import normalise_number


@pytest.mark.parametrize(
    ("query", "form", "dataset"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "SELECT", False),
        ("SELECT * FROM <http://g> WHERE { ?s ?p ?o }", "SELECT", True),
        ("select * from named <http://g> where { graph ?g { ?s ?p ?o } }", "SELECT", True),
        ('SELECT * WHERE { ?s ?p "FROM" }', "SELECT", False),  # a string, not a clause
        ("# FROM <http://g>\nASK { ?s ?p ?o }", "ASK", False),  # a comment
        ("PREFIX from: <http://x#> SELECT * WHERE { ?s from:p ?o }", "SELECT", False),
        ("SELECT * WHERE { ?s <http://x/FROM> ?o }", "SELECT", False),  # inside an IRI
        ("INSERT DATA { <http://a> <http://b> <http://c> }", "UPDATE", False),
    ],
)
def test_one_scan_gives_form_and_dataset(query: str, form: str, dataset: bool) -> None:
    found = query_form(query)
    assert (found.form, found.dataset) == (form, dataset)
    assert declares_dataset(query) is dataset
    # a bound value never adds a FROM clause: the analysis of the text still holds
    if form != "UPDATE":
        bound = inject_values(query, {"s": Literal("FROM <http://evil>")})
        assert declares_dataset(bound) is dataset


def test_a_query_text_is_lexed_once() -> None:
    """Regression: each query was tokenised three times per call (form twice, FROM once)."""
    store = OxigraphStore(None)
    text = "SELECT ?o WHERE { ?s <http://example.org/p-once> ?o }"
    store.query(text, bindings={"s": URIRef("http://example.org/a")})
    misses = sparql._scan_cached.cache_info().misses
    for i in range(5):
        store.query(text, bindings={"s": URIRef(f"http://example.org/b{i}")})
    assert sparql._scan_cached.cache_info().misses == misses


def test_not_a_query_still_fails() -> None:
    with pytest.raises(ValueError, match="not a SPARQL query"):
        query_form("hello")
    with pytest.raises(ValueError, match="not a SPARQL query"):
        query_form("hello")  # a failure is not cached as an answer


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        ('<http://example.org/x>', URIRef("http://example.org/x")),
        ('"Bộ Nội vụ"', Literal("Bộ Nội vụ")),
        ('"Bộ Nội vụ"^^<http://www.w3.org/2001/XMLSchema#string>', Literal("Bộ Nội vụ")),
        ('"Đảng"@vi', Literal("Đảng", lang="vi")),
        ('"2023-03-28"^^<http://www.w3.org/2001/XMLSchema#date>',
         Literal(dt.date(2023, 3, 28).isoformat(), datatype=XSD.date)),
        ('"12"^^<http://www.w3.org/2001/XMLSchema#integer>', Literal(12)),
        ('"--12-15"^^<http://www.w3.org/2001/XMLSchema#gMonthDay>',
         Literal("--12-15", datatype=XSD.gMonthDay)),
    ],
)
def test_answer_terms_are_rdflib_terms(stored: str, expected: object) -> None:
    store = OxigraphStore(None)
    store.update(f"INSERT DATA {{ GRAPH <http://example.org/g> {{ "
                 f"<http://example.org/s> <http://example.org/p> {stored} }} }}")
    for _ in range(2):  # the second answer comes through the term cache
        rows = store.query("SELECT ?o ?missing WHERE { ?s <http://example.org/p> ?o "
                           "OPTIONAL { ?s <http://example.org/q> ?missing } }").rows
        assert rows == ({"o": expected},)
        assert type(rows[0]["o"]) is type(expected)


def test_blank_nodes_come_back_as_bnodes() -> None:
    store = OxigraphStore(None)
    rows = store.query("SELECT (BNODE() AS ?s) WHERE { }").rows
    assert isinstance(rows[0]["s"], BNode)


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("III.8", "iii.8"),
        ("iii. 8.", "iii.8"),
        ("III 8", "iii.8"),
        ("  II.1.a ", "ii.1.a"),
        (unicodedata.normalize("NFD", "Đ.1"), "d.1"),
        (unicodedata.normalize("NFC", "Đ.1"), "d.1"),
        ("", ""),
    ],
)
def test_normalise_number(written: str, key: str) -> None:
    assert normalise_number(written) == key
    assert normalise_number(written) == key  # the remembered answer is the same
