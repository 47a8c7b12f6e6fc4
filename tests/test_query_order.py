"""``# order:`` sorting of named-query rows (``graph.queries._sorted``), held to a
row-by-row key function: the order luocdo has always given (unbound first, then numbers
by value, then everything else by its text; a leading "-" sorts descending, stably)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping, Sequence

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from graph.queries import _sorted
from graph.results import QueryResult, date_literal, integer_literal, string_literal


def _oracle_key(term: Node | None) -> tuple[int, float, str]:
    if term is None:
        return (0, 0.0, "")
    if type(term) is Literal and isinstance(term.value, int | float):
        return (1, float(term.value), "")
    return (2, 0.0, str(term))


def _oracle(rows: Sequence[Mapping[str, Node]], order: tuple[str, ...]) -> list[Mapping[str, Node]]:
    out = list(rows)
    for spec in reversed(order):
        var = spec.lstrip("-")
        out.sort(key=lambda row: _oracle_key(row.get(var)), reverse=spec.startswith("-"))
    return out


# values of every kind a query answers with, equal texts of different kinds included
VALUES: list[Node | None] = [
    None, string_literal("b"), Literal("a"), Literal("Đồng Nai"), Literal("Dong Nai"),
    integer_literal(10), Literal(9), Literal(2.5), Literal(True), Literal(0),
    Literal("10"), Literal("x", lang="vi"), URIRef("https://e.vn/a"), URIRef("https://e.vn/b"),
    BNode("n1"), date_literal("2024-12-15"), Literal(dt.date(2023, 1, 1)),
    Literal("--12-15", datatype=XSD.gMonthDay), Literal("abc", datatype=XSD.integer),
    Literal("3.0", datatype=XSD.decimal),
]


def _rows(seed: int) -> list[dict[str, Node]]:
    """Rows whose ``a``, ``b`` and ``c`` cycle through ``VALUES`` at different strides,
    so that ties on the first keys are broken by later ones; ``n`` keeps the rows apart."""
    rows: list[dict[str, Node]] = []
    for n in range(60):
        row: dict[str, Node] = {"n": Literal(f"row{n}")}
        for var, stride in (("a", 3), ("b", 7 + seed), ("c", 11)):
            value = VALUES[(n * stride + seed) % (len(VALUES) // 3 if var == "a" else len(VALUES))]
            if value is not None:
                row[var] = value
        rows.append(row)
    return rows


ORDERS = [("a",), ("b",), ("a", "b"), ("a", "b", "c"), ("-a",), ("a", "-b"), ("-c", "a"),
          ("-a", "-b", "-c"), ("missing",), ("missing", "b")]


@pytest.mark.parametrize(("order", "seed"), list(itertools.product(ORDERS, range(3))))
def test_rows_sort_as_the_row_by_row_key_sorts_them(order: tuple[str, ...], seed: int) -> None:
    rows = _rows(seed)
    result = QueryResult("select", vars=("n", "a", "b", "c"), rows=tuple(rows))
    assert list(_sorted(result, order).rows) == _oracle(rows, order)


def test_no_rows() -> None:
    result = QueryResult("select", vars=("a",), rows=())
    assert _sorted(result, ("a", "-b")).rows == ()
