"""Query results as rdflib terms, whatever store answered, and their standard serialisations.

``QueryResult`` is what ``GraphStore.query`` returns: rows of rdflib terms for
SELECT, a boolean for ASK, an rdflib ``Graph`` for CONSTRUCT/DESCRIBE. It writes the
SPARQL 1.1 Query Results JSON and CSV formats (W3C Recommendations of 2013-03-21)
exactly, so ``luocdo query --format json`` and the HTTP API agree with any endpoint.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

__all__ = ["QueryResult", "Row", "date_literal", "dumps_json", "from_sparql_json",
           "integer_literal", "json_term", "known_iri", "plain_literal", "string_literal",
           "truthy"]

Row = dict[str, Node]


def truthy(value: object) -> bool:
    """Whether a SPARQL boolean read as text is true: ``"true"``, or ``"1"`` as Virtuoso
    writes the value of ``EXISTS`` and ``BOUND`` (an ``xsd:integer``, not a boolean)."""
    return str(value) in ("true", "1")


def string_literal(value: str) -> Literal:
    """``Literal(value)`` for a plain string, built without rdflib's lexical checks.

    rdflib's constructor tries to parse every lexical form against its datatype and to
    normalise it, which costs about 1.3 µs for a plain string; this costs a fifth of
    that. Answers of tens of thousands of rows build one per value. The result equals
    ``Literal(value)`` in every respect (value, datatype, language, hash, N3):
    ``tests/test_results_terms.py`` holds that against rdflib's own constructor, so a
    change of rdflib's slots fails there, not in users' answers.
    """
    term = str.__new__(Literal, value)
    term._language = None
    term._datatype = None
    term._value = value
    term._ill_typed = None
    return term


def known_iri(value: str) -> URIRef:
    """``URIRef(value)`` for an IRI luocdo minted itself (``graph.iri``), without rdflib's
    character check (which only logs a warning for an invalid one, at about 0.5 µs per
    IRI). Use ``URIRef`` for any IRI that comes from outside."""
    return str.__new__(URIRef, value)


def integer_literal(value: int | str) -> Literal:
    """``Literal(int(value))``: an ``xsd:integer``, built as ``string_literal`` is
    (rdflib's constructor costs about 3 µs here). ``value`` is an int or the decimal
    digits of one (as ``int()`` reads them); anything else raises ``ValueError``."""
    number = int(value)
    term = str.__new__(Literal, str(number))
    term._language = None
    term._datatype = _XSD_INTEGER
    term._value = number
    term._ill_typed = None
    return term


def date_literal(value: str) -> Literal:
    """``Literal(value, datatype=XSD.date)``, built as ``string_literal`` is when
    ``value`` is a plain ``YYYY-MM-DD`` day (what luocdo writes; rdflib's constructor
    parses it for about 8 µs). Any other text goes through rdflib's constructor, which
    decides what it means (an ill-typed literal included)."""
    # the slots are set inline, as in string_literal and integer_literal: a shared helper
    # call costs a tenth more on these hot paths (tens of thousands of terms an answer)
    if len(value) == 10 and value[4] == "-" and value[7] == "-" and value.isascii():
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            day = None
        if day is not None:
            term = str.__new__(Literal, value)
            term._language = None
            term._datatype = _XSD_DATE
            term._value = day
            term._ill_typed = False
            return term
    return Literal(value, datatype=XSD.date)


_XSD_DATE = URIRef(str(XSD.date))
_XSD_INTEGER = URIRef(str(XSD.integer))
_XSD_STRING = str(XSD.string)
_RDF_LANG_STRING = str(RDF.langString)


def plain_literal(value: str, *, lang: str | None = None, datatype: str | None = None) -> Literal:
    """An rdflib literal, with RDF 1.1's implicit datatypes made implicit again.

    Stores report plain strings as ``xsd:string`` and tagged strings as
    ``rdf:langString``; rdflib treats ``Literal("x")`` and
    ``Literal("x", datatype=XSD.string)`` as different, so both are normalised away.
    """
    if lang:
        return Literal(value, lang=lang)
    if datatype is None or datatype in (_XSD_STRING, _RDF_LANG_STRING):
        return string_literal(value)
    return Literal(value, datatype=URIRef(datatype))


@dataclass(frozen=True)
class QueryResult:
    """The answer to one query.

    Attributes:
        kind: ``"select"``, ``"ask"`` or ``"graph"`` (CONSTRUCT and DESCRIBE).
        vars: result variables of a SELECT, in order.
        rows: one dict per solution (unbound variables are absent).
        boolean: the answer of an ASK.
        graph: the triples of a CONSTRUCT or DESCRIBE.
    """

    kind: str
    vars: tuple[str, ...] = ()
    rows: tuple[Row, ...] = ()
    boolean: bool | None = None
    graph: Graph | None = field(default=None, compare=False)

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __bool__(self) -> bool:
        if self.kind == "ask":
            return bool(self.boolean)
        if self.kind == "graph":
            return self.graph is not None and len(self.graph) > 0
        return bool(self.rows)

    def values(self, var: str) -> list[Node]:
        """Every bound value of ``var``, in row order."""
        return [r[var] for r in self.rows if var in r]

    def to_json(self) -> dict[str, Any]:
        """SPARQL 1.1 Query Results JSON (SELECT and ASK)."""
        if self.kind == "ask":
            return {"head": {}, "boolean": bool(self.boolean)}
        if self.kind != "select":
            raise ValueError("JSON results exist for SELECT and ASK only")
        return {
            "head": {"vars": list(self.vars)},
            "results": {
                "bindings": [{k: json_term(v) for k, v in r.items()} for r in self.rows]
            },
        }

    def to_csv(self) -> str:
        """SPARQL 1.1 Query Results CSV: header of variable names, CRLF line ends."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        if self.kind == "ask":
            writer.writerow(["boolean"])
            writer.writerow(["true" if self.boolean else "false"])
            return out.getvalue()
        if self.kind == "graph":
            writer.writerow(["subject", "predicate", "object"])
            for s, p, o in sorted(self.graph or Graph()):
                writer.writerow([_csv(s), _csv(p), _csv(o)])
            return out.getvalue()
        writer.writerow(self.vars)
        for r in self.rows:
            writer.writerow([_csv(r[v]) if v in r else "" for v in self.vars])
        return out.getvalue()


def _csv(term: Node) -> str:
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def json_term(term: Node) -> dict[str, str]:
    """One RDF term in SPARQL JSON results form."""
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str.__str__(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    if isinstance(term, Literal):
        out = {"type": "literal", "value": str.__str__(term)}
        datatype = term.datatype
        if term.language:
            out["xml:lang"] = term.language
        # compared as plain strings: rdflib's own term comparison runs in Python
        elif datatype is not None and str.__ne__(datatype, _XSD_STRING):
            out["datatype"] = str.__str__(datatype)
        return out
    raise ValueError(f"not an RDF term: {term!r}")


def _from_json_term(value: Mapping[str, str]) -> Node:
    kind = value["type"]
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    if kind in ("literal", "typed-literal"):  # typed-literal: SPARQL XML era, Virtuoso
        return plain_literal(
            value["value"], lang=value.get("xml:lang"), datatype=value.get("datatype")
        )
    raise ValueError(f"unknown term type in SPARQL JSON: {kind!r}")


def from_sparql_json(payload: Mapping[str, Any]) -> QueryResult:
    """Parse SPARQL 1.1 Query Results JSON (as any endpoint returns it)."""
    if "boolean" in payload:
        return QueryResult("ask", boolean=bool(payload["boolean"]))
    names = tuple(payload.get("head", {}).get("vars", []))
    rows = tuple(
        {k: _from_json_term(v) for k, v in b.items()}
        for b in payload.get("results", {}).get("bindings", [])
    )
    return QueryResult("select", vars=names, rows=rows)


def dumps_json(result: QueryResult) -> str:
    """The JSON results document as text (UTF-8, not ASCII-escaped), one binding a line.

    Indented throughout, ``json`` encodes in Python (about 45 µs a row); a line per
    binding keeps the document readable and lets the C encoder write each row.
    """
    payload = result.to_json()
    if "results" not in payload:
        return json.dumps(payload, ensure_ascii=False, indent=2)
    bindings = payload["results"]["bindings"]
    head = json.dumps(payload["head"], ensure_ascii=False)
    rows = ",\n".join("      " + json.dumps(b, ensure_ascii=False) for b in bindings)
    body = f"[\n{rows}\n    ]" if bindings else "[]"
    return f'{{\n  "head": {head},\n  "results": {{\n    "bindings": {body}\n  }}\n}}'

