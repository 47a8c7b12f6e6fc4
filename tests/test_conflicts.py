"""graph.reports.conflicts: one document cited with different dates or issuers."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from graph.reports import (
    CitationFact,
    DocFact,
    Evidence,
    conflicts,
    document_conflicts,
    is_local_symbol,
    same_issuer,
)
from ontology.terms import Relation

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
SAMPLES = ROOT / "ingest" / "samples"


def _store(paths: list[Path]) -> Any:
    """A fresh in-memory store holding ``paths`` (every test builds its own)."""
    from graph.pipeline import ingest_paths
    from graph.store import open_store

    store = open_store(":memory:")
    ingest_paths(store, [str(p) for p in paths])
    return store


D1_, D2_ = dt.date(2024, 3, 1), dt.date(2024, 3, 2)


def _seeds() -> list[Path]:
    if not SEEDS.is_dir():
        pytest.skip(f"seed folder {SEEDS} is absent (it lives beside the repository)")
    return sorted(SEEDS.glob("*.txt"))


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Ban Chấp hành Trung ương", "Ban Chấp hành Trung ương Đảng (khóa XI)", True),
        ("Bộ Chính trị", "Ban Chấp hành Trung ương", False),
        ("Bộ Chính trị", "Ban Bí thư", False),
        ("UBND tỉnh", "Ủy ban nhân dân tỉnh Ninh Bình", True),  # code written in prose
        ("ỦY BAN NHÂN DÂN TỈNH NINH BÌNH", "Ủy ban nhân dân tỉnh Ninh Bình", True),
        ("Ủy ban nhân dân tỉnh Nam Định", "Ủy ban nhân dân tỉnh Trà Vinh", False),
        ("của Chính phủ", "Chính phủ", True),
        ("Thủ tướng Chính phủ", "Chính phủ", True),  # the shorter name is contained
        (unicodedata.normalize("NFD", "Bộ Nội vụ"), "Bộ Nội vụ", True),
        ("Uỷ ban nhân dân tỉnh", "Ủy ban nhân dân tỉnh", True),  # tone placement
    ],
)
def test_same_issuer(a: str, b: str, same: bool) -> None:
    assert same_issuer(a, b) is same
    assert same_issuer(b, a) is same


@pytest.mark.parametrize(
    ("symbol", "local"),
    [("84/KH-UBND", True), ("4666/UBND-KGVX", True), ("24-CT/TU", True), ("76/NQ-CP", False),
     ("1432/BNV-CTTN", False), ("217-QĐ/TW", False), (None, False)],
)
def test_is_local_symbol(symbol: str | None, local: bool) -> None:
    assert is_local_symbol(symbol) is local


def _ev(source: str, start: int, quote: str) -> Evidence:
    return Evidence(source, start, start + len(quote), quote)


def _mention(n: int, date: dt.date | None, issuer: str | None, source: str) -> CitationFact:
    quote = f"Kế hoạch số 30/KH-UBND ngày {date:%d/%m/%Y}" if date else "Kế hoạch số 30/KH-UBND"
    return CitationFact(f"c{n}", f"d{n}", "doc", Relation.CITES, date, issuer, None,
                        _ev(source, n * 100, quote))


def test_local_symbols_in_a_table_are_not_one_document() -> None:
    """Regression: two provinces' "30/KH-UBND" in the seed appendix gave a false conflict."""
    fact = DocFact("doc", "30/KH-UBND", "30/KH-UBND@2024", None, "ke-hoach", None, None, None)
    cites = [
        _mention(1, dt.date(2024, 2, 28), None, "table.txt"),
        _mention(2, dt.date(2024, 4, 8), None, "table.txt"),
    ]
    assert document_conflicts("doc", fact, cites) == []


def test_local_symbol_conflicts_only_with_a_compatible_issuer() -> None:
    header = _ev("letter.txt", 0, "Ninh Bình, ngày 14 tháng 5 năm 2025")
    issuer = _ev("letter.txt", 40, "ỦY BAN NHÂN DÂN TỈNH NINH BÌNH")
    fact = DocFact("doc", "1876/UBND-VX", "1876/UBND-VX@2025", dt.date(2025, 5, 14), "cong-van",
                   None, "Ủy ban nhân dân tỉnh Ninh Bình", None, (header, issuer))
    cites = [
        _mention(1, dt.date(2025, 5, 15), "UBND tỉnh", "report.txt"),
        _mention(2, dt.date(2025, 5, 20), "UBND tỉnh Hà Tĩnh", "other.txt"),  # another body
        _mention(3, dt.date(2025, 5, 21), None, "table.txt"),  # no issuer: not comparable
    ]
    (found,) = document_conflicts("doc", fact, cites)
    assert found.kind == "date"
    assert [(v.value, [e.source for e in v.sources]) for v in found.values] == [
        ("2025-05-14", ["letter.txt"]),
        ("2025-05-15", ["report.txt"]),
    ]


def _by_symbol(found: list[Any], symbol: str, kind: str) -> Any:
    hits = [c for c in found if c.symbol == symbol and c.kind == kind]
    assert len(hits) == 1, [(c.symbol, c.kind) for c in found]
    return hits[0]


def test_seed_date_conflict_76_nq_cp() -> None:
    found = conflicts(_store(_seeds()))
    c = _by_symbol(found, "76/NQ-CP", "date")
    values = {v.value: v.sources for v in c.values}
    assert set(values) == {"2021-07-15", "2021-07-25"}
    assert {Path(e.source).name[:3] for e in values["2021-07-15"]} == {"000", "001", "002"}
    (late,) = values["2021-07-25"]
    assert Path(late.source).name.startswith("004")
    assert "76/NQ-CP" in late.quote and "25/7/2021" in late.quote
    for v in c.values:
        for e in v.sources:
            assert Path(e.source).read_text(encoding="utf-8")[e.start : e.end] == e.quote


def test_seed_issuer_conflict_and_no_table_noise() -> None:
    found = conflicts(_store(_seeds()))
    issuers = {v.value for v in _by_symbol(found, "23-QĐ/TW", "issuer").values}
    assert issuers == {"Ban Chấp hành Trung ương", "Bộ Chính trị"}
    assert not [c for c in found if is_local_symbol(c.symbol) and c.kind == "issuer"]
    assert not [c for c in found if c.symbol in ("30/KH-UBND", "609/BC-UBND")]


def test_sample_date_conflict_1876() -> None:
    found = conflicts(_store(sorted(SAMPLES.glob("*.txt"))))
    c = _by_symbol(found, "1876/UBND-VX", "date")
    assert [v.value for v in c.values] == ["2025-05-14", "2025-05-15"]
    assert not [x for x in found if x.symbol == "1876/UBND-VX" and x.kind == "issuer"]
    d = c.as_dict()
    assert d["values"][1]["sources"][0]["quote"].endswith("15/5/2025")


def test_cli_conflicts_json_and_exit_code(tmp_path: Path) -> None:
    import json

    from click.testing import CliRunner

    from api.cli_graph import ingest
    from api.cli_reports import conflicts_cmd

    spec = str(tmp_path / "store")
    runner = CliRunner()
    files = [SAMPLES / "03_cong_van_1876-UBND-VX_tinh.txt",
             SAMPLES / "04_bao_cao_UBND_huyen_Tam_Lac.txt"]
    assert runner.invoke(ingest, ["--store", spec, *map(str, files)]).exit_code == 0
    result = runner.invoke(conflicts_cmd, ["--json", "--store", spec])
    assert result.exit_code == 1, result.output
    payload = json.loads(result.output)
    assert [(c["symbol"], c["kind"]) for c in payload] == [("1876/UBND-VX", "date")]
    quiet = tmp_path / "quiet"
    assert runner.invoke(ingest, ["--store", str(quiet), str(files[0])]).exit_code == 0
    none = runner.invoke(conflicts_cmd, ["--store", str(quiet)])
    assert none.exit_code == 0 and "Không có mâu thuẫn" in none.output


@pytest.mark.parametrize(("kind", "expected"), [
    ("date", [("1876/UBND-VX", "date")]),
    ("issuer", []),  # the two files cite it with the same issuer: exit 0
])
def test_cli_conflicts_of_one_kind(tmp_path: Path, kind: str,
                                   expected: list[tuple[str, str]]) -> None:
    import json

    from click.testing import CliRunner

    from api.cli_graph import ingest
    from api.cli_reports import conflicts_cmd

    spec = str(tmp_path / "store")
    runner = CliRunner()
    files = [SAMPLES / "03_cong_van_1876-UBND-VX_tinh.txt",
             SAMPLES / "04_bao_cao_UBND_huyen_Tam_Lac.txt"]
    assert runner.invoke(ingest, ["--store", spec, *map(str, files)]).exit_code == 0
    result = runner.invoke(conflicts_cmd, ["--json", "--kind", kind, "--store", spec])
    assert result.exit_code == (1 if expected else 0), result.output
    assert [(c["symbol"], c["kind"]) for c in json.loads(result.output)] == expected
    wrong = runner.invoke(conflicts_cmd, ["--kind", "title", "--store", spec])
    assert wrong.exit_code == 2 and "title" in wrong.output


# --- only documents that could be in conflict are read whole ----------------------------------


def _whole_store_conflicts(store: Any) -> list[Any]:
    """``conflicts`` as it read before: every document whole, every cited one judged."""
    from collections import defaultdict

    from graph.reports import citations, documents

    docs = documents(store)
    by_cited: dict[str, list[CitationFact]] = defaultdict(list)
    for c in citations(store):
        by_cited[c.cited].append(c)
    out = [x for iri in sorted(by_cited)
           for x in document_conflicts(iri, docs.get(iri), by_cited[iri])]
    return sorted(out, key=lambda c: (c.symbol or "", c.key or "", c.kind))


def _corpus(name: str, tmp_path: Path) -> list[Path]:
    from corpora import synthetic_files

    if name == "samples":
        return sorted(SAMPLES.glob("*.txt"))
    if name == "seeds":
        return _seeds()
    if name == "both":
        return sorted(SAMPLES.glob("*.txt")) + _seeds()
    return synthetic_files(tmp_path, 150, int(name.removeprefix("synthetic-")))


@pytest.mark.parametrize("name", ["samples", "seeds", "both", "synthetic-3", "synthetic-11"])
def test_conflicts_equal_the_whole_store_reading(name: str, tmp_path: Path) -> None:
    store = _store(_corpus(name, tmp_path))
    found = conflicts(store)
    assert found == _whole_store_conflicts(store)
    if name in ("seeds", "both"):
        assert {c.kind for c in found} == {"date", "issuer"}  # both kinds occur


@pytest.mark.parametrize("batch", [1, 2, 5])
@pytest.mark.parametrize("name", ["both", "synthetic-11"])
def test_conflicts_read_in_small_batches_are_the_same(
        name: str, batch: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Suspects read whole a few at a time: the same conflicts, in the same order."""
    import graph.reports as reports

    store = _store(_corpus(name, tmp_path))
    expected = _whole_store_conflicts(store)
    monkeypatch.setattr(reports, "SUSPECT_BATCH", batch)
    assert conflicts(store) == expected


def test_every_mention_is_streamed_not_held(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The whole-store passes (every citation entry, every header's date and issuer)
    are folded one row at a time (``stream_rows``), never read whole; only the
    suspects are then read by bound lookups."""
    from corpora import asked_queries

    import graph.reports as reports

    store = _store(_corpus("both", tmp_path))
    asked = asked_queries(reports, monkeypatch)
    assert conflicts(store)
    assert asked[:3] == ["stream:citation_entries", "citation_count", "stream:claimed_fields"]
    assert "citation_entries" not in asked and "claimed_fields" not in asked
    assert "trace_citation_entries_to" in asked  # the suspects, read whole


def _drop_entries(store: Any) -> None:
    from corpora import DROP_CITATION_ENTRIES

    store.update(DROP_CITATION_ENTRIES)


def _older_entries(store: Any) -> None:
    from corpora import cut_citation_entries

    cut_citation_entries(store, 7)


@pytest.mark.parametrize("change", [_drop_entries, _older_entries],
                         ids=["entries dropped", "entries of an older mapping"])
def test_a_store_without_current_entries_finds_the_same_conflicts(
        change: Any, tmp_path: Path) -> None:
    """Citations read value by value (no entry, or one without the citation's own
    values) make the same claims: the same conflicts."""
    store = _store(_corpus("both", tmp_path))
    before = conflicts(store)
    assert before
    change(store)
    assert conflicts(store) == before == _whole_store_conflicts(store)


@pytest.mark.parametrize(("adds", "dates", "names"), [
    ([], (), ()),
    ([(D1_, None)], (D1_,), ()),
    ([(D1_, "Bộ Nội vụ"), (D1_, "Bộ Nội vụ")], (D1_,), ("Bộ Nội vụ",)),  # once each
    ([(D1_, None), (D2_, None), (D1_, None)], (D1_, D2_), ()),
    ([(None, "Bộ Nội vụ"), (None, ""), (None, "BNV")], (), ("Bộ Nội vụ", "BNV")),
])
def test_what_mentions_say_is_kept_once(adds: list[tuple[dt.date | None, str | None]],
                                        dates: tuple[dt.date, ...],
                                        names: tuple[str, ...]) -> None:
    from graph.reports import _Said

    said = _Said()
    for date, name in adds:
        again = said.add(date, name)
        assert (again is said) == (again == said)  # unchanged: the same value, not a copy
        said = again
    assert said == _Said(dates, names)


def _cite(n: int, date: dt.date | None, issuer: str | None) -> CitationFact:
    return _mention(n, date, issuer, f"f{n}.txt")


D1, D2 = dt.date(2024, 3, 1), dt.date(2024, 3, 2)
NAM_DINH, TRA_VINH = "Ủy ban nhân dân tỉnh Nam Định", "Ủy ban nhân dân tỉnh Trà Vinh"


@pytest.mark.parametrize(("own_dates", "own_issuer", "cites", "may"), [
    ((), None, [], False),
    ((D1,), None, [_cite(1, D1, None)], False),
    ((D1,), None, [_cite(1, D2, None)], True),  # the header against a mention
    ((D1, D2), None, [], True),  # two headers disagree
    ((), None, [_cite(1, D1, None), _cite(2, D2, None)], True),
    ((), "Chính phủ", [_cite(1, None, "Thủ tướng Chính phủ")], False),  # one body
    ((), "Bộ Chính trị", [_cite(1, None, "Ban Chấp hành Trung ương")], True),
    # each matches "Ủy ban nhân dân tỉnh", not each other: grouping under the first
    # spelling seen may or may not keep them apart, so the document is read whole
    ((), None, [_cite(1, None, "Ủy ban nhân dân tỉnh"), _cite(2, None, NAM_DINH),
                _cite(3, None, TRA_VINH)], True),
])
def test_may_conflict(own_dates: tuple[dt.date, ...], own_issuer: str | None,
                      cites: list[CitationFact], may: bool) -> None:
    from graph.reports import _Claimed, _may_conflict

    assert _may_conflict(_Claimed(frozenset(own_dates), own_issuer), cites) is may


def test_a_mention_without_evidence_claims_nothing() -> None:
    from graph.reports import _Claimed, _may_conflict

    bare = CitationFact("c9", "d9", "doc", Relation.CITES, D2, TRA_VINH, None, None)
    assert _may_conflict(_Claimed(frozenset({D1}), NAM_DINH), [bare]) is False
    assert document_conflicts("doc", None, [bare]) == []


# --- header fields without evidence -------------------------------------------------------------


def _without_evidence(store: Any) -> dict[str, DocFact]:
    import dataclasses

    from graph.reports import documents

    return {i: dataclasses.replace(f, evidence=()) for i, f in documents(store).items()}


@pytest.mark.parametrize("name", ["samples", "seeds", "both", "synthetic-3"])
def test_document_headers_are_the_documents_without_evidence(name: str, tmp_path: Path) -> None:
    from graph.reports import document_headers

    store = _store(_corpus(name, tmp_path))
    assert document_headers(store) == _without_evidence(store)


@pytest.mark.parametrize("dates", [("2024-01-05", "2024-02-09"), ("2024-01-05", "2024-01-05")])
def test_document_headers_of_a_document_read_from_two_files(dates: tuple[str, str],
                                                            tmp_path: Path) -> None:
    """Two files of one plan that disagree on its date: the header evidence decides, as
    in ``documents`` (here both dates are shown, so neither is the plan's)."""
    from graph.reports import document_headers

    paths = []
    for i, day in enumerate(dates):
        y, m, d = day.split("-")
        path = tmp_path / f"plan-{i}.txt"
        path.write_text(f"ỦY BAN NHÂN DÂN\nTỈNH NINH BÌNH\nSố: 7/KH-UBND\n"
                        f"Ninh Bình, ngày {int(d)} tháng {int(m)} năm {y}\n"
                        "KẾ HOẠCH\nThực hiện công tác cải cách hành chính\n", encoding="utf-8")
        paths.append(path)
    store = _store(paths)
    found = document_headers(store)
    assert found == _without_evidence(store)
    plan = [f for f in found.values() if (f.symbol or "").endswith("/KH-UBND")]
    assert len(plan) == 1
    assert plan[0].date == (dt.date(2024, 1, 5) if dates[0] == dates[1] else None)


def test_document_headers_let_the_evidence_pick_one_of_several_dates() -> None:
    """A document given two dates whose header evidence shows one: that one is its
    date, read from the evidence although the evidence itself is left out."""
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import RDF, XSD

    from graph.reports import document_headers
    from graph.store import open_store
    from ontology.ns import ELI, LO

    doc, ev = URIRef("https://data.luocdo.vn/eli/vn/kh/2024/7/ubnd"), URIRef("urn:ev:1")
    g = Graph()
    g += [(doc, RDF.type, LO.Document), (doc, LO.symbol, Literal("7/KH-UBND")),
          (doc, ELI.date_document, Literal("2024-01-05", datatype=XSD.date)),
          (doc, ELI.date_document, Literal("2024-02-09", datatype=XSD.date)),
          (doc, LO.evidence, ev), (ev, RDF.type, LO.Evidence),
          (ev, LO.quote, Literal("Ninh Bình, ngày 05 tháng 01 năm 2024")),
          (ev, LO.startOffset, Literal(0)), (ev, LO.endOffset, Literal(35))]
    store = open_store(":memory:")
    store.replace_source(URIRef("https://data.luocdo.vn/graph/source/hand"), g)
    found = document_headers(store)
    assert found == _without_evidence(store)
    assert found[str(doc)].date == dt.date(2024, 1, 5)


def _many_valued_store(store: Any) -> Any:
    """``store`` given a document of two titles, two types and three issuers: labelled in
    Vietnamese and English, untagged, and not labelled (named by its IRI)."""
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import RDF, RDFS

    from ontology.ns import ELI, LO

    # under the store's base: a shared endpoint's graphs are dropped by base after the test
    doc = URIRef(f"{store.base}eli/vn/kh/2024/9/ubnd")
    vi, bare, nameless = (URIRef(f"{store.base}agent/{n}") for n in ("a", "b", "c"))
    g = Graph()
    g += [(doc, RDF.type, LO.Document), (doc, LO.symbol, Literal("9/KH-UBND")),
          (doc, ELI.title, Literal("Kế hoạch cải cách hành chính")),
          (doc, ELI.title, Literal("Kế hoạch Đ")), (doc, LO.identityKey, Literal("9/KH-UBND@2024")),
          (doc, LO.documentType, LO["type-ke-hoach"]), (doc, LO.documentType, LO["type-cong-van"]),
          (doc, LO.issuedBy, vi), (doc, LO.issuedBy, bare), (doc, LO.issuedBy, nameless),
          (vi, RDFS.label, Literal("Ủy ban nhân dân tỉnh Đắk Lắk", lang="vi")),
          (vi, RDFS.label, Literal("Dak Lak People's Committee", lang="en")),
          (bare, RDFS.label, Literal("Sở Nội vụ")),
          (doc, LO.attachedTo, URIRef(f"{store.base}eli/vn/cv/2024/1/ubnd"))]
    store.replace_source(URIRef(f"{store.base}graph/source/many"), g)
    return str(doc)


def test_document_headers_of_many_valued_fields(any_store: Any) -> None:
    """Several titles, types and issuers, labelled or not: the same header as
    ``documents`` gives, on Oxigraph and on the test SPARQL endpoint (Virtuoso).
    Regression (CI): the document was first written outside the store's base, so it
    stayed on the shared endpoint and later tests counted one document too many."""
    from graph.reports import document_headers

    doc = _many_valued_store(any_store)
    found = document_headers(any_store)
    assert found == _without_evidence(any_store)
    assert found[doc].title == "Kế hoạch cải cách hành chính"  # the first, as documents()
    assert found[doc].issuer is not None


@pytest.mark.parametrize("name", ["samples", "seeds"])
def test_document_headers_bound_are_those_of_the_whole_store(name: str, tmp_path: Path) -> None:
    """Bound to some documents (every other one, and unknown IRIs), the headers read are
    those of the whole-store read."""
    from graph.reports import document_headers

    store = _store(_corpus(name, tmp_path))
    whole = document_headers(store)
    some = [*sorted(whole)[::2], "https://data.luocdo.vn/eli/vn/nothing"]
    assert document_headers(store, some) == {i: whole[i] for i in some if i in whole}
    assert document_headers(store, []) == {}


@pytest.mark.parametrize(("iri", "local"), [
    ("https://w3id.org/luocdo/ontology#implements", "implements"),
    ("https://w3id.org/luocdo/ontology/implements", "implements"),
    ("https://x/a#b/c", "c"), ("https://x/a/b#c", "c"), ("https://x/a/", None),
    ("https://x/a#", None), ("plain", "plain"), ("", None), (None, None),
])
def test_local_name_of_an_iri(iri: str | None, local: str | None) -> None:
    """Regression guard for the split that relation_of and doc_type_of read."""
    import regex

    from graph.reports import _local

    assert _local(iri) == local
    if iri:
        assert (regex.split(r"[#/]", iri)[-1] or None) == local  # the former reading


def _claimed_by_fields(store: Any) -> dict[str, Any]:
    """``_claimed_fields`` as it was: every field of every document
    (``trace_documents_fields``), kept for the documents with a date or an issuer."""
    from graph.reports import (
        _Claimed,
        _field_values,
        _issuer_of,
        bound_rows,
        group_rows,
        read_date,
    )
    from ontology.ns import ELI, LO

    rows = bound_rows(store, "trace_documents_fields", doc=None)
    out = {}
    for iri, group in group_rows(rows, "doc").items():
        dates = frozenset(d for d in map(read_date, _field_values(group, ELI.date_document)) if d)
        if dates or _field_values(group, LO.issuedBy):
            out[iri] = _Claimed(dates, _issuer_of(group))
    return out


@pytest.mark.parametrize("name", ["samples", "seeds", "synthetic-3"])
def test_claimed_fields_are_those_of_the_whole_header(name: str, tmp_path: Path) -> None:
    from graph.reports import _claimed_fields

    store = _store(_corpus(name, tmp_path))
    found = _claimed_fields(store)
    assert found == _claimed_by_fields(store)
    assert any(c.issuer for c in found.values()) and any(c.dates for c in found.values())


def test_claimed_issuers_with_and_without_labels() -> None:
    """An issuer with a Vietnamese and an English label, one with an untagged label,
    one with none (named by its IRI), and a document with two issuers: as read from
    the whole header."""
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import RDF, RDFS, XSD

    from graph.reports import _claimed_fields
    from graph.store import open_store
    from ontology.ns import ELI, LO

    store = open_store(":memory:")
    base = "https://data.luocdo.vn/"
    a, b, c = (URIRef(f"{base}agent/{n}") for n in ("so-noi-vu", "bo-tai-chinh", "khong-ten"))
    g = Graph()
    g += [(a, RDFS.label, Literal("Sở Nội vụ", lang="vi")),
          (a, RDFS.label, Literal("Department of Home Affairs", lang="en")),
          (b, RDFS.label, Literal("Bộ Tài chính"))]
    for i, issuers in enumerate([(a,), (b,), (c,), (a, c), ()]):
        doc = URIRef(f"{base}eli/vn/kh/2024/{i + 1}/ubnd")
        g += [(doc, RDF.type, LO.Document),
              (doc, ELI.date_document, Literal(f"2024-01-0{i + 1}", datatype=XSD.date))]
        g += [(doc, LO.issuedBy, x) for x in issuers]
    store.replace_source(URIRef(f"{base}graph/source/claimed"), g)
    found = _claimed_fields(store)
    assert found == _claimed_by_fields(store)
    assert [found[f"{base}eli/vn/kh/2024/{i}/ubnd"].issuer for i in range(1, 6)] == [
        "Sở Nội vụ", "Bộ Tài chính", "khong-ten", "Sở Nội vụ", None]
