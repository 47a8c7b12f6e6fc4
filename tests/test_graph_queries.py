"""Named queries (graph/queries/*.rq) over a small hand-built corpus of two files."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from rdflib import Literal, URIRef

from graph import iri
from graph.pipeline import refresh_derived
from graph.queries import list_queries, load_query, resolve_documents, run_named
from graph.rdf import file_graph
from graph.store import GraphStore, OxigraphStore
from ingest.models import Citation, Document, FileResult, Relation, Span, StatedRelation
from ontology.ns import LO

B = "https://data.luocdo.vn/"
INJECTION = '"} ; DROP ALL ; #'

PROVINCE = (
    "Số: 4666/UBND-KGVX\nTriển khai Chỉ thị số 33/CT-TTg ngày 26/11/2021, "
    "gửi kèm Công văn số 1432/BNV-CTTN ngày 10/3/2023. "
    "Quyết định số 23-QĐ/TW thay thế Quyết định số 290-QĐ/TW.\n"
)
MINISTRY = (
    "Số: 1432/BNV-CTTN\nThực hiện Chỉ thị số 33/CT-TTg, nhắc lại Chỉ thị số 33/CT-TTg "
    "ngày 20/11/2021.\n"
)


def span(text: str, sub: str) -> Span:
    start = text.index(sub)
    return Span(start, start + len(sub), sub)


def document(text: str, key: str, symbol: str, **kw: object) -> Document:
    fields: dict[str, object] = {
        "doc_type": "cong-van", "issuer": None, "place": None, "date": None, "title": None,
        "recipients": (), "signer": None, "signing_authority": None, "distribution": (),
        "attached_to": None, "span": Span(0, len(text), text),
    }
    fields.update(kw)
    return Document(key=key, symbol=symbol, **fields)  # type: ignore[arg-type]


def cite(text: str, sub: str, key: str, symbol: str, relation: Relation,
         date: dt.date | None = None, doc_type: str = "chi-thi") -> Citation:
    return Citation(key, symbol, doc_type, date, None, None, relation, span(text, sub))


def corpus() -> list[FileResult]:
    province = document(
        PROVINCE, "4666/UBND-KGVX@2023", "4666/UBND-KGVX", date=dt.date(2023, 12, 1),
        issuer="UBND TỈNH HÒA AN",
        citations=(
            cite(PROVINCE, "Chỉ thị số 33/CT-TTg ngày 26/11/2021", "33/CT-TTG@2021",
                 "33/CT-TTg", Relation.IMPLEMENTS, dt.date(2021, 11, 26)),
            cite(PROVINCE, "Công văn số 1432/BNV-CTTN ngày 10/3/2023", "1432/BNV-CTTN@2023",
                 "1432/BNV-CTTN", Relation.CITES, dt.date(2023, 3, 10), "cong-van"),
        ),
        relations=(StatedRelation(
            "23-QĐ/TW", "23-QD/TW@2021", Relation.REPLACES, "290-QĐ/TW", "290-QD/TW",
            span(PROVINCE, "Quyết định số 23-QĐ/TW thay thế Quyết định số 290-QĐ/TW")),),
    )
    ministry = document(
        MINISTRY, "1432/BNV-CTTN@2023", "1432/BNV-CTTN", date=dt.date(2023, 3, 10),
        issuer="BỘ NỘI VỤ",
        citations=(
            cite(MINISTRY, "Chỉ thị số 33/CT-TTg,", "33/CT-TTG", "33/CT-TTg",
                 Relation.IMPLEMENTS),
            cite(MINISTRY, "Chỉ thị số 33/CT-TTg ngày 20/11/2021", "33/CT-TTG@2021",
                 "33/CT-TTg", Relation.CITES, dt.date(2021, 11, 20)),
        ),
    )
    return [
        FileResult("/data/luocdo-test/province.txt", (province,), PROVINCE, "txt", "utf-8",
                   "01" * 32),
        FileResult("/data/luocdo-test/ministry.txt", (ministry,), MINISTRY, "txt", "utf-8",
                   "02" * 32),
    ]


@pytest.fixture(params=["memory", pytest.param("remote", marks=pytest.mark.remote)])
def store(request: pytest.FixtureRequest) -> GraphStore:
    """The corpus in an Oxigraph store, and in the test SPARQL endpoint when there is one."""
    factory = "memory_store" if request.param == "memory" else "remote_store"
    made: GraphStore = request.getfixturevalue(factory)()
    made.ensure_ontology()
    for r in corpus():
        made.replace_source(iri.source_graph_iri(r.path, made.base),
                            file_graph(r, base=made.base))
    refresh_derived(made)
    return made


def doc_iri(key: str, base: str) -> URIRef:
    return iri.document_iri(key, base)


def column(rows: object, name: str) -> list[str]:
    return [str(r[name]) for r in rows if name in r]  # type: ignore[attr-defined]


# --- the catalogue ----------------------------------------------------------------------------

OURS = ["cited_by", "cites", "conflicting_dates", "documents", "implementation_chain",
        "most_cited", "replaced", "stats"]


def test_catalogue_lists_every_query_with_a_description() -> None:
    found = {q.name: q for q in list_queries()}
    assert set(OURS) <= set(found)
    for name in OURS:
        assert len(found[name].description) > 30, name


@pytest.mark.parametrize(
    ("name", "params"),
    [("cited_by", [("doc", "document", False)]), ("cites", [("doc", "document", False)]),
     ("implementation_chain", [("doc", "document", False)]),
     ("replaced", [("doc", "document", False)]),
     ("documents", [("type", "doctype", True), ("issuer", "string", True),
                    ("year", "integer", True)]),
     ("most_cited", []), ("stats", []), ("conflicting_dates", [])],
)
def test_declared_parameters(name: str, params: list[tuple[str, str, bool]]) -> None:
    query = {q.name: q for q in list_queries()}[name]
    assert [(p.name, p.kind, p.optional) for p in query.params] == params


@pytest.mark.parametrize("name", [q.name for q in list_queries()])
def test_every_named_query_runs_on_an_empty_store(
    name: str, memory_store: Callable[[], OxigraphStore]
) -> None:
    query = {q.name: q for q in list_queries()}[name]
    values = {"document": "x", "string": "x", "doctype": "chi-thi", "iri": "urn:x:nothing",
              "date": "2020-01-01", "integer": "2020"}
    params: dict[str, Any] = {p.name: values[p.kind] for p in query.params if not p.optional}
    assert run_named(memory_store(), name, **params).rows == ()


def test_unknown_query_name() -> None:
    with pytest.raises(KeyError, match="no named query"):
        load_query("../../etc/passwd")


@pytest.mark.parametrize(
    ("params", "message"),
    [({}, "missing parameter"), ({"doc": "x", "year": "1"}, "unknown parameter")],
)
def test_parameter_errors(store: GraphStore, params: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        run_named(store, "cited_by", **params)


# --- answers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("33/CT-TTg", ["33/CT-TTG", "33/CT-TTG@2021"]),
        ("33/ct-ttg", ["33/CT-TTG", "33/CT-TTG@2021"]),
        ("33/CT-TTG@2021", ["33/CT-TTG@2021"]),
        ("23-QĐ/TW", ["23-QD/TW@2021"]),
        ("{B}eli/vn/ct/2021/33/ttg", ["33/CT-TTG@2021"]),
        ("99/CT-TTg", []),
        (INJECTION, []),
    ],
)
def test_resolve_documents(store: GraphStore, value: str, expected: list[str]) -> None:
    value = value.replace("{B}", store.base)
    assert resolve_documents(store, value) == sorted(doc_iri(k, store.base) for k in expected)


def test_cited_by_finds_dated_and_undated_mentions_with_evidence(store: GraphStore) -> None:
    rows = run_named(store, "cited_by", doc="33/CT-TTG@2021").rows
    citing = {(str(r["citing"]), str(r["relation"])) for r in rows}
    assert citing == {
        (str(doc_iri("4666/UBND-KGVX@2023", store.base)), str(LO.implements)),
        (str(doc_iri("1432/BNV-CTTN@2023", store.base)), str(LO.implements)),  # undated, resolved
        (str(doc_iri("1432/BNV-CTTN@2023", store.base)), str(LO.cites)),
    }
    for r in rows:
        assert "33/CT-TTg" in str(r["quote"])
        assert str(r["path"]).startswith("/data/luocdo-test/")
        assert int(str(r["end"])) - int(str(r["start"])) == len(str(r["quote"]))


def test_cites(store: GraphStore) -> None:
    rows = run_named(store, "cites", doc="4666/UBND-KGVX").rows
    assert sorted(column(rows, "citedSymbol")) == ["1432/BNV-CTTN", "33/CT-TTg"]
    assert "2021-11-26" in column(rows, "citedDate")


def test_implementation_chain_climbs_through_an_undated_mention(store: GraphStore) -> None:
    rows = run_named(store, "implementation_chain", doc="4666/UBND-KGVX").rows
    hops = {(str(r["from"]), str(r["to"])) for r in rows}
    letter, directive = doc_iri("4666/UBND-KGVX@2023", store.base), doc_iri("33/CT-TTG@2021",
                                                                           store.base)
    assert (str(letter), str(directive)) in hops
    rows = run_named(store, "implementation_chain", doc="1432/BNV-CTTN").rows
    assert {str(r["to"]) for r in rows} == {str(doc_iri("33/CT-TTG", store.base))}
    assert all("quote" in r for r in rows)


def test_replaced_in_both_directions_with_the_stating_document(store: GraphStore) -> None:
    older = run_named(store, "replaced", doc="290-QĐ/TW").rows
    assert [(str(r["direction"]), str(r["otherSymbol"])) for r in older] == [
        ("replacedBy", "23-QĐ/TW")]
    assert str(older[0]["statedBy"]) == str(doc_iri("4666/UBND-KGVX@2023", store.base))
    newer = run_named(store, "replaced", doc="23-QĐ/TW").rows
    assert [(str(r["direction"]), str(r["otherSymbol"])) for r in newer] == [
        ("replaces", "290-QĐ/TW")]
    assert "thay thế" in str(newer[0]["quote"])


def test_conflicting_dates_lists_every_date_with_its_quote(store: GraphStore) -> None:
    rows = run_named(store, "conflicting_dates").rows
    assert {str(r["identity"]) for r in rows} == {"33/CT-TTG"}
    assert sorted(column(rows, "date")) == ["2021-11-20", "2021-11-26"]
    assert all("33/CT-TTg" in str(r["quote"]) for r in rows)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, 6),
        ({"type": "cong-van"}, 2),
        ({"type": "chi-thi"}, 2),
        ({"year": "2023"}, 2),
        ({"year": "2021"}, 2),  # 33/CT-TTG@2021 by its key, 23-QĐ/TW@2021
        ({"issuer": "nội vụ"}, 1),
        ({"issuer": INJECTION}, 0),
        ({"type": "cong-van", "year": "2021"}, 0),
    ],
)
def test_documents_filters(store: GraphStore, params: dict[str, Any], expected: int) -> None:
    rows = run_named(store, "documents", **params).rows
    assert len({str(r["doc"]) for r in rows}) == expected


def test_most_cited(store: GraphStore) -> None:
    rows = run_named(store, "most_cited").rows
    top = rows[0]
    # two documents cite it, three times in all: the undated mention resolved to it counts
    assert (str(top["symbol"]), str(top["citedBy"]), str(top["mentions"])) == ("33/CT-TTg", "2",
                                                                                 "3")


def test_stats_by_type(store: GraphStore) -> None:
    rows = run_named(store, "stats").rows
    counts = {str(r.get("label", "")): int(str(r["documents"])) for r in rows}
    assert counts["Công văn"] == 2
    assert counts["Chỉ thị"] == 2


def test_a_hostile_parameter_leaves_the_store_intact(store: GraphStore) -> None:
    before = sum(1 for _ in store.quads(ontology=True))
    assert run_named(store, "cited_by", doc=INJECTION).rows == ()
    assert run_named(store, "cited_by", doc=Literal(INJECTION)).rows == ()
    assert sum(1 for _ in store.quads(ontology=True)) == before


@pytest.mark.parametrize(("text", "bound", "expected"), [
    ("  #?type ?doc lo:documentType ?type .\n", {"type"}, "  ?doc lo:documentType ?type .\n"),
    ("  #?type ?doc lo:documentType ?type .\n", set(), "  #?type ?doc lo:documentType ?type .\n"),
    ("#?types ?x ?y ?types .\n", {"type"}, "#?types ?x ?y ?types .\n"),  # another name
    ("# ?type is a comment\n", {"type"}, "# ?type is a comment\n"),  # not "#?"
    ("a\n\t#?year ?d ?p ?year .\nb\n", {"year"}, "a\n\t?d ?p ?year .\nb\n"),
])
def test_a_conditional_line_is_a_pattern_only_when_its_parameter_is_bound(
        text: str, bound: set[str], expected: str) -> None:
    from graph.queries import _when_bound

    assert _when_bound(text, {key: [Literal("x")] for key in bound}) == expected


def test_documents_by_type_gives_the_rows_of_the_plain_filter(store: GraphStore) -> None:
    """The ``#?type`` line only lets the type drive the lookup: the same rows as the
    query with that line left a comment."""
    from graph.queries import _catalogue, bind_params

    query = _catalogue()["documents"]
    seen = 0
    for slug in ("cong-van", "chi-thi", "quyet-dinh"):
        bound = bind_params(store, query, {"type": slug})
        plain = store.query(query.text, bound).rows  # the line stays a comment
        found = run_named(store, "documents", type=slug).rows
        # as sets: Virtuoso's DISTINCT with ORDER BY can repeat a row of the plain form
        assert {tuple(sorted(r.items())) for r in found} == {
            tuple(sorted(r.items())) for r in plain}
        seen += len(found)
    assert seen  # the corpus has documents of these types
