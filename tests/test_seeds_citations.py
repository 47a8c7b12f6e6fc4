"""The five real seed documents, annotated by hand: every citation and its written date.

Each expected set lists (canonical symbol, date written beside the mention or None).
A document cited several times appears once per distinct pair: a later undated
mention adds (symbol, None). Laws cited by name are listed with their identity key.
The annotation was made by reading each seed, not by running the extractor.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ingest.citations import CitationResult, extract_citations
from ingest.clean import clean
from ontology.terms import Relation

SEEDS = Path(__file__).parents[1].parent / "shared" / "seeds"

pytestmark = [
    pytest.mark.seeds,
    pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed folder {SEEDS} is absent"),
]

D = dt.date
R = Relation
Pair = tuple[str, dt.date | None]


def run(prefix: str) -> tuple[str, CitationResult]:
    [path] = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    source = path.read_text(encoding="utf-8")
    return source, extract_citations(clean(source))


# 000: a Bộ Nội vụ letter with a report outline attached. The outline's header names the
# letter with a blank number ("Công văn số      /BNV-CTTN"): no number, no citation.
SEED_000: set[Pair] = {
    ("2762/VPCP-QHĐP", D(2024, 4, 25)),
    ("33/CT-TTg", D(2021, 11, 26)),
    ("33/CT-TTg", None),
    ("03-CTr/BDVTW-BCSĐCP", D(2021, 12, 15)),
    ("03-CTr/BDVTW-BCSĐCP", None),
    ("76/NQ-CP", D(2021, 7, 15)),
    ("28/2018/QĐ-TTg", D(2018, 7, 12)),
}
LAWS_000 = {"LUAT:luat-thuc-hien-dan-chu-o-co-so@2022"}

# 001: the annual report, footnotes interleaved with the body, then a summary table.
# "Đề án 06/CP" is the name of a scheme, not a numbered document: not expected.
# "Nghị quyết số 76/NQ-CP" is dated 15/7/2021 here (seed 004 writes 25/7/2021).
SEED_001_PROSE: set[Pair] = {
    ("33/CT-TTg", D(2021, 11, 26)),
    ("33/CT-TTg", None),
    ("03-CTr/BDVTW-BCSĐCP", D(2021, 12, 15)),  # also written with ASCII "BCSDCP"
    ("03-CTr/BDVTW-BCSĐCP", None),
    ("2748/BNV-CTTN", D(2024, 5, 17)),
    ("25-NQ/TW", D(2013, 6, 3)),
    ("25-NQ/TW", None),
    ("43-KL/TW", D(2019, 1, 7)),
    ("23-QĐ/TW", D(2021, 7, 30)),
    ("290-QĐ/TW", None),
    ("114-KL/TW", D(2015, 7, 14)),
    ("18-NQ/TW", None),
    ("19-NQ/TW", None),
    ("8803-CV/BTGTW", D(2024, 7, 8)),
    ("85/2023/NĐ-CP", None),
    ("85/2023/NĐ-CP", D(2023, 12, 7)),
    ("115/2020/NĐ-CP", D(2020, 9, 25)),
    ("140/2017/NĐ-CP", None),
    ("73/2024/NĐ-CP", D(2024, 6, 30)),
    ("07/2024/TT-BNV", D(2024, 7, 5)),
    ("08/2024/TT-BNV", D(2024, 7, 5)),
    ("452/TTr-BNV", D(2024, 9, 6)),
    ("54-KL/TW", D(2023, 5, 9)),
    ("99-QĐ/TW", D(2017, 10, 3)),
    ("65-KL/TW", D(2019, 10, 30)),
    ("24-NQ/TW", D(2003, 3, 12)),
    ("49-CT/TW", D(2015, 10, 20)),
    ("21-KL/TW", D(2021, 10, 25)),
    ("05-CT/TW", D(2016, 6, 15)),
    ("76/NQ-CP", D(2021, 7, 15)),
    ("8465/BC-BNV", D(2024, 12, 25)),
    ("122/NQ-CP", D(2024, 8, 8)),  # type word split by a footnote: type from the code
    ("32/CT-TTg", D(2024, 9, 4)),
    ("175/NQ-CP", None),
    ("28/2018/QĐ-TTg", D(2018, 7, 12)),
    ("455/QĐ-BNV", D(2023, 6, 27)),
    ("217-QĐ/TW", D(2013, 12, 12)),  # both times: once on its own, once via a shared date
    ("218-QĐ/TW", D(2013, 12, 12)),
    ("11-QĐ/TW", None),  # written "11-Qđ/TW"
    ("18-CT/TW", D(2022, 10, 26)),
    ("1291/BC-BNV", D(2025, 2, 25)),  # the report this one replaces
    ("1385/BC-BNV", D(2025, 2, 27)),  # the appendix names its report (no own_symbol given)
}
# The summary table: each submitted plan or report sits in a tab-separated cell with
# its date in the next cell, so every one is paired with that date. Party reports in
# state form ("290/BC-BCSD") become Party symbols ("290-BC/BCSĐ"). The cell
# "1001/SNV-XDCQ, TCBC" keeps only the part before the comma.
SEED_001_TABLE: set[Pair] = {
    ("1765/BC-DV", D(2024, 12, 14)),
    ("673/BC-DV", D(2024, 5, 24)),
    ("568-BC/ĐUCA", D(2024, 12, 18)),
    ("290-BC/BCSĐ", D(2024, 11, 28)),
    ("842/KH-UBDT", D(2024, 5, 23)),
    ("4692/BC-BHXH", D(2024, 12, 13)),
    ("3048/BC-VHL", D(2024, 12, 14)),
    ("529/BC-UBND", D(2024, 5, 24)),
    ("320/BC-UBND", D(2024, 5, 31)),
    ("386/BC-SNV", D(2024, 12, 13)),
    ("136/BC-UBND", D(2024, 5, 24)),
    ("713/SNV-XDCQ&CTTN", D(2024, 5, 22)),
    ("206/BC-UBND", D(2024, 6, 4)),
    ("272/BC-SNV", D(2024, 12, 4)),
    ("117/BC-SNV", D(2024, 6, 14)),
    ("800/BC-UBND", D(2024, 12, 26)),
    ("313/BC-UBND", D(2024, 6, 3)),
    ("83/BC-SNV", D(2024, 5, 24)),
    ("11/BC-UBND", D(2025, 1, 10)),
    ("2644/UBND-VX", D(2024, 5, 29)),
    ("84/KH-UBND", D(2024, 3, 11)),
    ("246/BC-SNV", D(2024, 11, 26)),
    ("110/BC-SNV", D(2024, 5, 28)),
    ("184/SNV-XDCQ", D(2024, 6, 6)),
    ("60/KH-UBND", D(2024, 3, 15)),
    ("376/BC-UBND", D(2024, 12, 12)),
    ("1916/BC-SNV", D(2024, 6, 20)),
    ("3578/BC-UBND", D(2024, 12, 24)),
    ("1443/SNV-XDCQ&TN", D(2024, 5, 24)),
    ("473/BC-UBND", D(2024, 12, 13)),
    ("2750/UBND-SNV", D(2024, 5, 24)),
    ("619/BC-SNV", D(2024, 12, 13)),
    ("1032/SNV-XDCQ", D(2024, 5, 23)),
    ("804/BC-UBND", D(2024, 12, 6)),
    ("334/BC-UBND", D(2024, 5, 24)),
    ("5705/BC-UBND", D(2024, 12, 17)),
    ("175/BC-UBND", D(2024, 6, 4)),
    ("105/KH-UBND", D(2024, 3, 28)),
    ("101-BC/BCSĐ", D(2024, 11, 28)),
    ("1475/BC-SNV", D(2024, 5, 28)),
    ("576/KH-UBND", D(2024, 3, 14)),
    ("1189/SNV-XDCQ", D(2024, 5, 24)),
    ("73/KH-UBND", D(2024, 2, 28)),
    ("392/BC-UBND", D(2024, 12, 20)),
    ("146/BC-UBND", D(2024, 5, 30)),
    ("322/BC-SNV", D(2024, 12, 13)),
    ("541/SNV-XDCQ&CTTN", D(2024, 5, 30)),
    ("1001/SNV-XDCQ", D(2024, 5, 25)),
    ("1655/BC-SNV", D(2024, 11, 22)),
    ("428/BC-UBND", D(2024, 12, 12)),
    ("169/BC-UBND", D(2024, 5, 27)),
    ("30/BC-UBND", D(2025, 2, 11)),
    ("87/BC-SNV", D(2024, 5, 23)),
    ("495/BC-UBND", D(2024, 11, 25)),
    ("448/BC-SNV", D(2024, 12, 13)),
    ("189/BC-SNV", D(2024, 6, 7)),
    ("482/BC-UBND", D(2024, 12, 17)),
    ("5798/UBND-TH", D(2024, 5, 30)),
    ("63/KH-UBND", D(2024, 3, 6)),
    ("4920-BC/BCSĐ", D(2024, 12, 25)),
    ("1147/UBND-KGVX", D(2024, 5, 30)),
    ("413/KH-UBND", D(2024, 2, 1)),
    ("455/BC-UBND", D(2024, 12, 16)),
    ("1792/UBND-KGVX", D(2024, 5, 23)),
    ("133/KH-UBND", D(2024, 1, 11)),
    ("587/BC-UBND", D(2024, 12, 18)),
    ("219/BC-UBND", D(2024, 5, 27)),
    ("2040/KH-UBND", D(2024, 3, 15)),
    ("387/BC-UBND", D(2024, 12, 2)),
    ("100/BC-SNV", D(2024, 5, 24)),
    ("262/BC-UBND", D(2024, 5, 29)),
    ("24/KH-UBND", D(2024, 1, 18)),
    ("609/BC-UBND", D(2024, 12, 17)),
    ("237/BC-UBND", D(2024, 5, 28)),
    ("3754/BC-UBND", D(2024, 12, 17)),
    ("1640/BC-UBND", D(2024, 5, 30)),
    ("30/KH-UBND", D(2024, 2, 28)),
    ("394/BC-UBND", D(2024, 12, 13)),
    ("1648/SNV-XDCQ", D(2024, 6, 6)),
    ("1009/BC-UBND", D(2024, 12, 17)),
    ("397/BC-UBND", D(2024, 5, 28)),
    ("93/KH-UBND", D(2024, 5, 8)),
    ("94/BC-SNV", D(2024, 5, 28)),
    ("171/KH-UBND-BDVTU", D(2024, 1, 31)),
    ("151/BC-SNV", D(2024, 12, 2)),
    ("64/BC-SNV", D(2024, 5, 24)),
    ("245/BC-UBND", D(2024, 11, 4)),
    ("124/BC-SNV", D(2024, 5, 23)),
    ("435/BC-UBND", D(2024, 12, 16)),
    ("181/BC-UBND", D(2024, 5, 29)),
    ("113/BC-SNV", D(2024, 5, 27)),
    ("43/KH-UBND", D(2024, 2, 27)),
    ("306/BC-SNV", D(2024, 12, 2)),
    ("104/BC-SNV", D(2024, 5, 23)),
    ("1405-BC/BCSĐ", D(2024, 12, 18)),
    ("1576/BC-UNND", D(2024, 6, 18)),
    ("164/BC-SNV", D(2024, 5, 23)),
    ("190/BC-SNV", D(2024, 12, 25)),
    ("677/BC-UBND", D(2024, 12, 12)),
    ("236/BC-UBND", D(2024, 5, 24)),
    ("585/BC-UBND", D(2024, 12, 19)),
    ("1599/UBND-NC", D(2024, 5, 30)),
    ("1205/BC-SNV", D(2024, 5, 23)),
    ("295/BC-SNV", D(2024, 12, 5)),
    ("2880/UBND-NC", D(2024, 6, 7)),
    ("1093/SNV-XDCQ&CTTN", D(2024, 5, 27)),
    ("572/BC-UBND", D(2024, 12, 16)),
    ("2892/UBND-VX", D(2024, 5, 23)),
    ("30/KH-UBND", D(2024, 4, 8)),  # same symbol as row 39, another province
    ("70/KH-UBND", D(2024, 4, 8)),
    ("592/BC-SNV", D(2024, 12, 11)),
    ("599/SNV-XDCQ&CTTN", D(2024, 5, 24)),
    ("609/BC-UBND", D(2024, 12, 23)),
    ("210/BC-UBND", D(2024, 5, 24)),
    ("259/BC-SNV", D(2024, 11, 25)),
    ("93/BC-SNV", D(2024, 5, 27)),
}
SEED_001 = SEED_001_PROSE | SEED_001_TABLE
LAWS_001 = {"LUAT:luat-thuc-hien-dan-chu-o-co-so@2022", "LUAT:hien-phap@2013"}

# 002: two documents in one file; each "Số: …" header line is the document's own number.
SEED_002: set[Pair] = {
    ("1432/BNV-CTTN", D(2023, 4, 3)),  # cited by the first letter, and by the outline
    ("33/CT-TTg", None),  # in both "V/v" subject lines
    ("33/CT-TTg", D(2021, 11, 26)),
    ("03-CTr/BDVTW-BCSĐCP", D(2021, 12, 15)),
    ("03-CTr/BDVTW-BCSĐCP", None),
    ("76/NQ-CP", D(2021, 7, 15)),
    ("28/2018/QĐ-TTg", D(2018, 7, 12)),
    ("217-QĐ/TW", D(2013, 12, 12)),  # date shared by the list
    ("218-QĐ/TW", D(2013, 12, 12)),
}

# 003: a ward report; local Party documents with ", ngày" and symbols split over lines.
SEED_003: set[Pair] = {
    ("33/CT-TTg", D(2021, 11, 26)),
    ("641/KH-UBND", D(2023, 5, 26)),
    ("71-NQ/ĐU", D(2022, 3, 25)),
    ("41-QĐ/ĐU", D(2022, 3, 25)),
    ("01-KH/KDVĐU-UBND", D(2022, 3, 25)),
    ("92-CV/ĐU", D(2023, 2, 14)),
    ("94-CV/ĐU", D(2023, 4, 22)),
    ("426/KH-UBND", D(2023, 6, 9)),
    ("03-CTPH/BDVĐU-UBND", D(2022, 3, 10)),
    ("17-KH/KDV", D(2023, 3, 27)),
    ("99/KH-UBND", D(2023, 2, 17)),
    ("28/2018/QĐ-TTg", D(2018, 7, 12)),
    ("217-QĐ/TW", D(2013, 12, 12)),
    ("217-QĐ/TW", None),
    ("218-QĐ/TW", D(2013, 12, 12)),
    ("218-QĐ/TW", None),
    ("23-QĐ/TW", D(2021, 7, 30)),
    ("114-KL/TW", D(2015, 7, 14)),
}

# 004: a provincial Party directive.
SEED_004: set[Pair] = {
    ("24-CT/TU", D(2018, 2, 27)),
    ("24-CT/TU", None),
    ("33/CT-TTg", D(2021, 11, 26)),
    ("01-KL/TW", D(2021, 5, 8)),
    ("05-CT/TW", None),
    ("76/NQ-CP", D(2021, 7, 25)),
}
LAWS_004 = {"LUAT:luat-thuc-hien-dan-chu-o-co-so@2022"}

CASES = [
    ("000", SEED_000, LAWS_000),
    ("001", SEED_001, LAWS_001),
    ("002", SEED_002, set()),
    ("003", SEED_003, set()),
    ("004", SEED_004, LAWS_004),
]


@pytest.mark.parametrize(("prefix", "expected", "laws"), CASES)
def test_seed_citations(prefix: str, expected: set[Pair], laws: set[str]) -> None:
    source, result = run(prefix)
    found = {(c.symbol, c.date) for c in result.citations if c.symbol is not None}
    assert found - expected == set(), "false hits"
    assert expected - found == set(), "missed"
    assert {c.key for c in result.citations if c.symbol is None} == laws
    for c in result.citations:
        assert source[c.span.start : c.span.end] == c.span.text


# Relations each seed states between two other documents.
STATED = [
    (
        "001",
        {
            ("43-KL/TW", R.CONTINUES, "25-NQ/TW"),
            ("23-QĐ/TW", R.REPLACES, "290-QĐ/TW"),
            ("85/2023/NĐ-CP", R.AMENDS, "115/2020/NĐ-CP"),
            ("54-KL/TW", R.CONTINUES, "99-QĐ/TW"),
            ("65-KL/TW", R.CONTINUES, "24-NQ/TW"),
            ("32/CT-TTg", R.IMPLEMENTS, "175/NQ-CP"),
        },
    ),
    ("002", {("1432/BNV-CTTN", R.IMPLEMENTS, "33/CT-TTg")}),
    (
        "003",
        {("641/KH-UBND", R.IMPLEMENTS, "33/CT-TTg"), ("426/KH-UBND", R.IMPLEMENTS, "33/CT-TTg")},
    ),
    ("004", {("01-KL/TW", R.CONTINUES, "05-CT/TW")}),
    ("000", set()),
]


@pytest.mark.parametrize(("prefix", "expected"), STATED)
def test_seed_stated_relations(prefix: str, expected: set[tuple[str, Relation, str]]) -> None:
    _, result = run(prefix)
    assert {(r.source, r.relation, r.target) for r in result.relations} == expected


def test_seed_keys_resolve_undated_mentions() -> None:
    _, result = run("004")
    keys = {c.key for c in result.citations if c.symbol == "24-CT/TU"}
    assert keys == {"24-CT/TU@2018"}  # the abbreviation and later mentions resolve
    [later] = [c for c in result.citations if c.symbol == "05-CT/TW"]
    assert (later.key, later.resolved) == ("05-CT/TW", False)  # no dated mention to use


def test_seed_own_number_lines_are_not_citations() -> None:
    _, result = run("002")
    assert "4666/UBND-KGVX" not in {c.symbol for c in result.citations}


@pytest.mark.parametrize(
    ("prefix", "symbol", "relation"),
    [
        ("001", "1385/BC-BNV", R.ATTACHED_TO),  # the appendix's "(Kèm theo Báo cáo số …)"
        ("001", "1291/BC-BNV", R.REPLACES),  # "(Báo cáo này thay thế Báo cáo số …)"
        ("002", "1432/BNV-CTTN", R.ATTACHED_TO),  # the outline under its letter
        ("004", "24-CT/TU", R.IMPLEMENTS),
    ],
)
def test_seed_relation_of_citing_document(prefix: str, symbol: str, relation: Relation) -> None:
    _, result = run(prefix)
    assert relation in {c.relation for c in result.citations if c.symbol == symbol}
