"""Whole-store listings (documents, keyed_documents, report_source_files,
report_submissions) over small hand-built graphs, on Oxigraph and on rdflib.

The listings are written for Oxigraph's planner (sub-selects it hash-joins, OPTIONAL
groups it drops when a parameter is left out), so every row here is checked on rdflib's
evaluator as well: both must give exactly the rows the plain reading of the query gives.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any
from typing import Literal as TypingLiteral

import pytest
from rdflib import RDF, RDFS, SKOS, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS
from rdflib.query import ResultRow
from rdflib.term import Node

from graph.queries import run_named
from graph.results import QueryResult
from graph.store import GraphStore, OxigraphStore
from ontology.load import type_concept
from ontology.ns import ELI, LO

# rdflib warns from inside its own Dataset code on every query
pytestmark = pytest.mark.filterwarnings(
    "ignore:Dataset.default_context is deprecated:DeprecationWarning")

BASE = "https://data.luocdo.vn/"
EX = "https://data.luocdo.vn/test/"
FILE_A = URIRef(f"{BASE}graph/source/a")
FILE_B = URIRef(f"{BASE}graph/source/b")
XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")

Triple = tuple[URIRef, URIRef, URIRef | Literal]
NormalForm = TypingLiteral["NFC", "NFD"]


class RdflibStore(GraphStore):
    """rdflib's in-memory ``Dataset`` (union default graph) behind ``GraphStore``."""

    def __init__(self) -> None:
        super().__init__(BASE)
        self.ds = Dataset(default_union=True)

    def _query(self, text: str) -> QueryResult:
        res = self.ds.query(text)
        names = tuple(str(v) for v in res.vars or ())
        rows: tuple[dict[str, Node], ...] = tuple(
            {str(k): v for k, v in r.asdict().items()} for r in res if isinstance(r, ResultRow))
        return QueryResult("select", vars=names, rows=rows)

    def _update(self, text: str) -> None:
        self.ds.update(text)

    def _replace(self, name: URIRef, triples: list[Any], prov: list[Any]) -> None:
        graph = self.ds.graph(name)
        graph.remove((None, None, None))
        for t in triples:
            graph.add(t)

    def close(self) -> None:
        """Nothing to release: the dataset lives in this process."""


@pytest.fixture(params=["oxigraph", "rdflib"])
def make_store(request: pytest.FixtureRequest) -> Iterator[Callable[[], GraphStore]]:
    """Factory of empty stores of one kind; the test loads its own files."""
    made: list[GraphStore] = []

    def make() -> GraphStore:
        store: GraphStore = OxigraphStore(None, base=BASE) if request.param == "oxigraph" \
            else RdflibStore()
        made.append(store)
        return store

    yield make
    for store in made:
        store.close()


def node(name: str) -> URIRef:
    return URIRef(EX + name)


def loaded(make: Callable[[], GraphStore], files: dict[URIRef, list[Triple]]) -> GraphStore:
    """A store holding each file's triples as its named graph."""
    store = make()
    for name, triples in files.items():
        graph = Graph()
        for t in triples:
            graph.add(t)
        store.replace_source(name, graph)
    return store


# --- documents ------------------------------------------------------------------------------

def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


BNV = node("issuer/bnv")  # a national body: Vietnamese and English preferred labels
UB = node("agent/ubnd-hoa-an")  # a header's wording: a plain label
DU = node("agent/dang-uy-tan-lap")  # a plain label and a language-tagged one
NAMELESS = node("agent/nameless")  # an issuer without any name

ISSUERS: list[Triple] = [
    (BNV, SKOS.prefLabel, Literal(nfc("Bộ Nội vụ"), lang="vi")),
    (BNV, SKOS.prefLabel, Literal("Ministry of Home Affairs", lang="en")),
    (UB, RDFS.label, Literal(nfc("Ủy ban nhân dân tỉnh Hòa An"))),
    (DU, RDFS.label, Literal(nfc("Đảng ủy xã Tân Lập"))),
    (DU, RDFS.label, Literal("Party Committee of Tan Lap", lang="en")),
    (NAMELESS, RDF.type, LO.Organization),
]


def doc(name: str, key: str, *, symbol: str | None = None, types: tuple[str, ...] = (),
        dates: tuple[str, ...] = (), title: str | None = None,
        issuer: URIRef | None = None, typed: bool = True) -> list[Triple]:
    """The triples of one document node (``typed=False``: a key without lo:Document)."""
    s = node(f"doc/{name}")
    out: list[Triple] = [(s, LO.identityKey, Literal(key))]
    if typed:
        out.append((s, RDF.type, LO.Document))
    if symbol is not None:
        out.append((s, LO.symbol, Literal(symbol)))
    out += [(s, LO.documentType, type_concept(t)) for t in types]
    out += [(s, ELI.date_document, Literal(d, datatype=XSD_DATE)) for d in dates]
    if title is not None:
        out.append((s, ELI.title, Literal(nfc(title))))
    if issuer is not None:
        out.append((s, LO.issuedBy, issuer))
    return out


DOCS: dict[URIRef, list[Triple]] = {
    FILE_A: [
        *ISSUERS,
        *doc("ct33", "33/CT-TTG@2021", symbol="33/CT-TTg", types=("chi-thi",),
             dates=("2021-11-26",), title="Về tăng cường công tác"),
        *doc("cv1432", "1432/BNV-CTTN@2023", symbol="1432/BNV-CTTN", types=("cong-van",),
             dates=("2023-03-10",), issuer=BNV),
        *doc("cv4666", "4666/UBND-KGVX@2023", symbol="4666/UBND-KGVX", types=("cong-van",),
             dates=("2023-12-01",), issuer=UB),
        # no date: the year comes from its key
        *doc("nq12", "12-NQ/DU@2022", symbol="12-NQ/ĐU", types=("nghi-quyet",), issuer=DU),
    ],
    FILE_B: [
        # no type, no date, no year in its key: year -1
        *doc("kh7", "7/KH-UBND", symbol="7/KH-UBND", issuer=UB),
        # no symbol, an issuer without a name
        *doc("anon", "ANON:1", types=("ke-hoach",), dates=("2023-05-05",), issuer=NAMELESS),
        # two dates in different years, two types
        *doc("twice", "9/KH-BNV@2022", symbol="9/KH-BNV", types=("ke-hoach", "chi-thi"),
             dates=("2022-01-01", "2023-01-01"), issuer=BNV),
        # a key but not a lo:Document: never listed
        *doc("untyped", "5/CV-X@2023", symbol="5/CV-X", types=("cong-van",),
             dates=("2023-02-02",), issuer=BNV, typed=False),
    ],
}

Row = tuple[str, str | None, str | None, str | None]  # key, type slug, date, issuer name

CT33: Row = ("33/CT-TTG@2021", "chi-thi", "2021-11-26", None)
CV1432: Row = ("1432/BNV-CTTN@2023", "cong-van", "2023-03-10", nfc("Bộ Nội vụ"))
CV4666: Row = ("4666/UBND-KGVX@2023", "cong-van", "2023-12-01",
               nfc("Ủy ban nhân dân tỉnh Hòa An"))
NQ12: Row = ("12-NQ/DU@2022", "nghi-quyet", None, nfc("Đảng ủy xã Tân Lập"))
KH7: Row = ("7/KH-UBND", None, None, nfc("Ủy ban nhân dân tỉnh Hòa An"))
ANON: Row = ("ANON:1", "ke-hoach", "2023-05-05", None)


def twice(slug: str, date: str) -> Row:
    return ("9/KH-BNV@2022", slug, date, nfc("Bộ Nội vụ"))


TWICE_ALL = [twice(t, d) for t in ("ke-hoach", "chi-thi") for d in ("2022-01-01", "2023-01-01")]


SLUGS = ("chi-thi", "cong-van", "nghi-quyet", "ke-hoach", "bao-cao")


def slug(term: object) -> str | None:
    """The type slug of a concept IRI (None for no type)."""
    if term is None:
        return None
    return next(s for s in SLUGS if type_concept(s) == term)


def doc_rows(result: QueryResult) -> Counter[Row]:
    """The rows as (key, type slug, date, issuer name), counted."""
    return Counter(
        (str(r["key"]), slug(r.get("docType")),
         str(r["date"]) if "date" in r else None,
         str(r["issuerName"]) if "issuerName" in r else None)
        for r in result.rows)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, [CT33, CV1432, CV4666, NQ12, KH7, ANON, *TWICE_ALL]),
        # type alone: only the row of the matching type of a twice-typed document
        ({"type": "cong-van"}, [CV1432, CV4666]),
        ({"type": "chi-thi"}, [CT33, twice("chi-thi", "2022-01-01"),
                               twice("chi-thi", "2023-01-01")]),
        ({"type": "bao-cao"}, []),
        # issuer alone: words of the Vietnamese name, any case, Đ included
        ({"issuer": "nội vụ"}, [CV1432, *TWICE_ALL]),
        ({"issuer": "NỘI VỤ"}, [CV1432, *TWICE_ALL]),
        ({"issuer": "ỦY BAN"}, [CV4666, KH7]),
        ({"issuer": "đảng ủy"}, [NQ12]),
        ({"issuer": "ĐẢNG"}, [NQ12]),
        # English and language-tagged plain labels are not the issuer's name
        ({"issuer": "Ministry"}, []),
        ({"issuer": "Party"}, []),
        ({"issuer": "không có"}, []),
        # year alone: of the date, else of the key; -1 for neither
        ({"year": "2023"}, [CV1432, CV4666, ANON, twice("ke-hoach", "2023-01-01"),
                            twice("chi-thi", "2023-01-01")]),
        ({"year": "2022"}, [NQ12, twice("ke-hoach", "2022-01-01"),
                            twice("chi-thi", "2022-01-01")]),
        ({"year": "2021"}, [CT33]),
        ({"year": "-1"}, [KH7]),
        ({"year": "1999"}, []),
        # combined
        ({"type": "cong-van", "year": "2023"}, [CV1432, CV4666]),
        ({"type": "cong-van", "year": "2021"}, []),
        ({"type": "chi-thi", "year": "2023"}, [twice("chi-thi", "2023-01-01")]),
        ({"type": "cong-van", "issuer": "ủy ban"}, [CV4666]),
        ({"type": "nghi-quyet", "issuer": "ủy ban"}, []),
        ({"issuer": "ủy ban", "year": "-1"}, [KH7]),
        ({"issuer": "nội vụ", "year": "2022"}, [twice("ke-hoach", "2022-01-01"),
                                                 twice("chi-thi", "2022-01-01")]),
        ({"type": "ke-hoach", "issuer": "nội vụ", "year": "2023"},
         [twice("ke-hoach", "2023-01-01")]),
        ({"type": "ke-hoach", "issuer": "nội vụ", "year": "2021"}, []),
    ],
)
def test_documents_filters(make_store: Callable[[], GraphStore], params: dict[str, Any],
                           expected: list[Row]) -> None:
    store = loaded(make_store, DOCS)
    assert doc_rows(run_named(store, "documents", **params)) == Counter(expected)


def test_documents_columns_and_order(make_store: Callable[[], GraphStore]) -> None:
    store = loaded(make_store, DOCS)
    result = run_named(store, "documents", type="chi-thi")
    assert result.vars == ("doc", "symbol", "key", "docType", "date", "title", "issuerName")
    first = result.rows[0]  # ORDER BY ?date: 2021 first
    assert str(first["doc"]) == EX + "doc/ct33"
    assert str(first["symbol"]) == "33/CT-TTg"
    assert str(first["title"]) == nfc("Về tăng cường công tác")
    assert [str(r["date"]) for r in result.rows] == ["2021-11-26", "2022-01-01", "2023-01-01"]


# regression: an NFD issuer name matched nothing (string parameters were bound as typed)
@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_documents_issuer_words_in_either_normal_form(
        make_store: Callable[[], GraphStore], form: NormalForm) -> None:
    store = loaded(make_store, DOCS)
    words = unicodedata.normalize(form, "Ủy ban nhân dân")
    assert doc_rows(run_named(store, "documents", issuer=words)) == Counter([CV4666, KH7])


def test_documents_with_two_matching_issuers(make_store: Callable[[], GraphStore]) -> None:
    """A document issued jointly is listed once per issuer whose name matches."""
    joint = doc("joint", "1/LT-BNV-UBND@2024", symbol="1/LT-BNV-UBND",
                types=("cong-van",), dates=("2024-01-02",), issuer=BNV)
    joint.append((node("doc/joint"), LO.issuedBy, UB))
    store = loaded(make_store, {FILE_A: [*ISSUERS, *joint]})
    rows = doc_rows(run_named(store, "documents", issuer="n"))
    assert rows == Counter([
        ("1/LT-BNV-UBND@2024", "cong-van", "2024-01-02", nfc("Bộ Nội vụ")),
        ("1/LT-BNV-UBND@2024", "cong-van", "2024-01-02", nfc("Ủy ban nhân dân tỉnh Hòa An")),
    ])


@pytest.mark.parametrize("params", [{}, {"type": "cong-van"}, {"issuer": "bộ"},
                                    {"year": "2023"}])
def test_documents_on_an_empty_store(make_store: Callable[[], GraphStore],
                                     params: dict[str, Any]) -> None:
    assert run_named(make_store(), "documents", **params).rows == ()


# --- keyed_documents and report_source_files --------------------------------------------------

def test_keyed_documents_lists_typed_documents_once_per_key(
        make_store: Callable[[], GraphStore]) -> None:
    two_keys = doc("two", "2/QD-X@2020", symbol="2/QĐ-X")
    two_keys.append((node("doc/two"), LO.identityKey, Literal("2/QDI-X@2020")))
    store = loaded(make_store, {**DOCS, FILE_B: [*DOCS[FILE_B], *two_keys]})
    rows = Counter((str(r["doc"]).removeprefix(EX + "doc/"), str(r["key"]))
                   for r in run_named(store, "keyed_documents").rows)
    assert rows == Counter([
        ("ct33", "33/CT-TTG@2021"), ("cv1432", "1432/BNV-CTTN@2023"),
        ("cv4666", "4666/UBND-KGVX@2023"), ("nq12", "12-NQ/DU@2022"), ("kh7", "7/KH-UBND"),
        ("anon", "ANON:1"), ("twice", "9/KH-BNV@2022"),
        ("two", "2/QD-X@2020"), ("two", "2/QDI-X@2020"),
    ])


@pytest.mark.parametrize(
    ("triples", "expected"),
    [
        ([], []),
        ([(node("src/1"), RDF.type, LO.SourceFile),
          (node("src/1"), LO.path, Literal(nfc("văn bản/Công văn 1.txt")))],
         [nfc("văn bản/Công văn 1.txt")]),
        # two files at one path: one row; a path on something else: none
        ([(node("src/1"), RDF.type, LO.SourceFile), (node("src/1"), LO.path, Literal("a.txt")),
          (node("src/2"), RDF.type, LO.SourceFile), (node("src/2"), LO.path, Literal("a.txt")),
          (node("src/3"), RDF.type, LO.SourceFile), (node("src/3"), LO.path, Literal("b.txt")),
          (node("other"), LO.path, Literal("c.txt"))],
         ["a.txt", "b.txt"]),
    ],
)
def test_report_source_files(make_store: Callable[[], GraphStore], triples: list[Triple],
                             expected: list[str]) -> None:
    store = loaded(make_store, {FILE_A: triples})
    paths = [str(r["path"]) for r in run_named(store, "report_source_files").rows]
    assert sorted(paths) == sorted(expected)


# --- report_submissions -----------------------------------------------------------------------

SubRow = tuple[str, ...]
COLUMNS = ("sub", "table", "agency", "category", "symbol", "date", "obligation", "status",
           "quote", "start", "end", "path")


def submission(name: str, agents: tuple[URIRef, ...], *, table: str | None = "table",
               category: str | None = None, date: dt.date | None = None,
               submitted: URIRef | None = None, evidence: URIRef | None = None,
               answers: URIRef | None = None, status: str | None = None) -> list[Triple]:
    """The triples of one cell of a submissions table."""
    s = node(f"sub/{name}")
    out: list[Triple] = [(s, LO.submittedBy, a) for a in agents]
    if table is not None:
        out.append((s, DCTERMS.isPartOf, node(f"doc/{table}")))
    if category is not None:
        out.append((s, DCTERMS.type, Literal(nfc(category))))
    if date is not None:
        out.append((s, DCTERMS.date, Literal(date.isoformat(), datatype=XSD_DATE)))
    if submitted is not None:
        out.append((s, LO.submissionDocument, submitted))
    if evidence is not None:
        out.append((s, LO.evidence, evidence))
    if answers is not None:
        out.append((s, LO.answers, answers))
    if status is not None:
        out.append((s, LO.submissionStatus, Literal(status)))
    return out


def evidence(name: str, quote: str, start: int, end: int | None,
             source: URIRef | None) -> list[Triple]:
    e = node(f"ev/{name}")
    out: list[Triple] = [(e, LO.quote, Literal(nfc(quote))),
                         (e, LO.startOffset, Literal(start))]
    if end is not None:
        out.append((e, LO.endOffset, Literal(end)))
    if source is not None:
        out.append((e, LO.sourceFile, source))
    return out


AGENCY, NAMELESS_AGENCY = node("agent/so-noi-vu"), node("agent/unnamed")
SRC, PATHLESS = node("src/bao-cao"), node("src/pathless")
SUBMITTED = node("doc/bc-15")

SUBMISSIONS: list[Triple] = [
    (AGENCY, RDFS.label, Literal(nfc("Sở Nội vụ"))),
    (SRC, LO.path, Literal(nfc("báo cáo/tổng hợp.txt"))),
    (SUBMITTED, LO.symbol, Literal("15/BC-SNV")),
    # every field
    *submission("full", (AGENCY,), category="Báo cáo năm", date=dt.date(2023, 12, 15),
                submitted=SUBMITTED, evidence=node("ev/full"), answers=node("ob/1"),
                status="received"),
    *evidence("full", "Sở Nội vụ 15/BC-SNV", 10, 28, SRC),
    # a blank cell: nothing received, an agency without a name
    *submission("blank", (NAMELESS_AGENCY,), category="Kế hoạch", evidence=node("ev/blank")),
    *evidence("blank", "Kế hoạch", 40, 48, PATHLESS),
    # evidence without its end offset does not count; no table
    *submission("cut", (AGENCY,), table=None, evidence=node("ev/cut")),
    *evidence("cut", "cut", 60, None, SRC),
    # two agencies: a row for each
    *submission("joint", (AGENCY, NAMELESS_AGENCY), submitted=node("doc/unknown"),
                evidence=node("ev/joint")),
    *evidence("joint", "liên tịch", 70, 79, None),
]


def sub_rows(result: QueryResult) -> Counter[SubRow]:
    return Counter(tuple(str(r.get(c, "")).removeprefix(EX) for c in COLUMNS)
                   for r in result.rows)


def test_report_submissions_rows(make_store: Callable[[], GraphStore]) -> None:
    store = loaded(make_store, {FILE_A: SUBMISSIONS})
    result = run_named(store, "report_submissions")
    assert result.vars == COLUMNS
    agency = nfc("Sở Nội vụ")
    assert sub_rows(result) == Counter([
        ("sub/full", "doc/table", agency, nfc("Báo cáo năm"), "15/BC-SNV", "2023-12-15",
         "ob/1", "received", nfc("Sở Nội vụ 15/BC-SNV"), "10", "28",
         nfc("báo cáo/tổng hợp.txt")),
        ("sub/blank", "doc/table", "", nfc("Kế hoạch"), "", "", "", "", nfc("Kế hoạch"),
         "40", "48", ""),
        ("sub/cut", "", agency, "", "", "", "", "", "", "", "", ""),
        ("sub/joint", "doc/table", agency, "", "", "", "", "", nfc("liên tịch"), "70", "79",
         ""),
        ("sub/joint", "doc/table", "", "", "", "", "", "", nfc("liên tịch"), "70", "79", ""),
    ])


def test_report_submissions_on_an_empty_store(make_store: Callable[[], GraphStore]) -> None:
    assert run_named(make_store(), "report_submissions").rows == ()
