"""The fast term constructors of ``graph.results`` against rdflib's own.

``string_literal``, ``integer_literal`` and ``known_iri`` fill rdflib's slots directly to
skip its lexical checks; these rows hold that the terms they make cannot be told apart
from the ones rdflib's constructors make, so an rdflib release that changes its slots
fails here and not in users' answers.
"""

from __future__ import annotations

import pickle
import unicodedata

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from graph.results import (
    date_literal,
    integer_literal,
    known_iri,
    plain_literal,
    string_literal,
)

STRINGS = [
    "", "x", "Bộ Nội vụ", unicodedata.normalize("NFD", "Đồng Nai"), "a\tb\\c", "1432/BNV-CTTN",
    "2024-12-15", "--12-15", "  spaced  ", "line\nbreak", '"quoted"', "12", "true",
]


def _same(made: Literal | URIRef, ref: Literal | URIRef) -> None:
    assert type(made) is type(ref)
    assert made == ref and ref == made
    assert hash(made) == hash(ref)
    assert str(made) == str(ref)
    assert made.n3() == ref.n3()
    assert repr(made) == repr(ref)
    assert pickle.loads(pickle.dumps(made)) == ref
    if isinstance(ref, Literal):
        assert isinstance(made, Literal)
        assert made.value == ref.value and type(made.value) is type(ref.value)
        assert made.datatype == ref.datatype and made.language == ref.language
        assert made.eq(ref) and made.toPython() == ref.toPython()
        assert made.ill_typed == ref.ill_typed
    g = Graph()
    g.add((URIRef("urn:s"), URIRef("urn:p"), made))
    assert (URIRef("urn:s"), URIRef("urn:p"), ref) in g


@pytest.mark.parametrize("value", STRINGS)
def test_string_literal_is_rdflibs_plain_literal(value: str) -> None:
    _same(string_literal(value), Literal(value))


@pytest.mark.parametrize("value", STRINGS)
def test_plain_literal_without_datatype_is_rdflibs(value: str) -> None:
    _same(plain_literal(value), Literal(value))
    _same(plain_literal(value, datatype=str(XSD.string)), Literal(value))


@pytest.mark.parametrize("value", [0, 1, -5, 12345678901234567890, "42", "0", "-7"])
def test_integer_literal_is_rdflibs_integer(value: int | str) -> None:
    _same(integer_literal(value), Literal(int(value)))


@pytest.mark.parametrize("value", ["", "x", "1.5", "12a"])
def test_integer_literal_rejects_non_integers(value: str) -> None:
    with pytest.raises(ValueError):
        integer_literal(value)


@pytest.mark.parametrize("value", [
    "2024-12-15", "2024-02-29", "0001-01-01", "9999-12-31",
    # not a plain day: rdflib's constructor decides (ill-typed, or its own reading)
    "2023-02-29", "2024-13-01", "20241215", "2024-1-5", "2024-12-15Z", "", "x",
    "٢٠٢٤-١٢-١٥", "2024-12-15+07:00",
])
def test_date_literal_is_rdflibs_date(value: str) -> None:
    _same(date_literal(value), Literal(value, datatype=XSD.date))


def test_date_literal_sorts_with_rdflibs() -> None:
    made = [date_literal("2024-12-15"), Literal("2023-01-02", datatype=XSD.date),
            date_literal("2024-01-05")]
    assert [str(t) for t in sorted(made)] == ["2023-01-02", "2024-01-05", "2024-12-15"]


@pytest.mark.parametrize("value", [
    "https://data.luocdo.vn/eli/vn/cv/2022/1172/ubnd-vp",
    "https://w3id.org/luocdo/ontology#Document",
    "https://data.luocdo.vn/source/abc/obligation/1-2-3",
    "urn:x",
])
def test_known_iri_is_rdflibs_uriref(value: str) -> None:
    _same(known_iri(value), URIRef(value))


def test_sorting_mixes_fast_and_plain_terms() -> None:
    made = [string_literal("b"), Literal("a"), string_literal("c")]
    assert sorted(made) == [Literal("a"), Literal("b"), Literal("c")]
    ints = [integer_literal(3), Literal(1), integer_literal("2")]
    assert sorted(ints) == [Literal(1), Literal(2), Literal(3)]
