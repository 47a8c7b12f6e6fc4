"""Section trees of the seed outlines and reports, annotated by hand.

Both outlines (seeds 000 and 002) open with a sample report header ("TÊN CƠ QUAN … BÁO
CÁO …") that has no numbering; dash items under 002's III.4, III.5 and III.7 are list
items inside those sections, not sections.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Literal

import pytest

from ingest.citations import extract_citations
from ingest.clean import clean
from ingest.identity import document_key
from ingest.models import OutlineSection
from ingest.outline import parse_outline, parse_sections
from ingest.symbols import parse_symbol
from ingest.textmap import MappedText

pytestmark = pytest.mark.seeds

SEEDS = Path(__file__).parents[1].parent / "shared" / "seeds"
Form = Literal["NFC", "NFD"]

TREE_000 = [
    "I", "II", "II.1", "II.2", "III", "III.1", "III.2", "III.3", "III.4", "III.4.a",
    "III.4.b", "III.4.c", "III.5", "III.6", "III.7", "IV", "IV.1", "IV.2", "V", "VI",
]  # fmt: skip
TREE_002 = [
    "I", "II", "II.1", "II.2", "III", "III.1", "III.2", "III.3", "III.4", "III.5",
    "III.6", "III.7", "III.8", "III.9", "IV", "IV.1", "IV.2", "V", "VI",
]  # fmt: skip
TREE_001 = [
    "I", "I.1", "I.2", "II", "II.1", "II.1.a", "II.1.b", "II.2", "II.3", "II.4", "II.4.a",
    "II.4.b", "II.4.c", "II.5", "II.5.a", "II.5.b", "II.6", "II.7", "III", "III.1",
    "III.2", "III.2.a", "III.2.b", "IV", "IV.1", "IV.2", "IV.3", "IV.4", "IV.5", "IV.6",
    "IV.7", "IV.8", "V",
]  # fmt: skip
# The ward report has no section III (its numbering jumps from II to IV).
TREE_003 = [
    "I", "II", "II.1", "II.2", "II.3", "II.4", "II.5", "II.6", "II.7", "II.8", "II.9",
    "IV", "IV.1", "IV.2", "V", "V.1", "V.2", "V.3", "V.4", "V.5", "V.6", "VI",
]  # fmt: skip


def load(name: str, form: Form = "NFC") -> tuple[str, MappedText]:
    path = SEEDS / name
    if not path.exists():
        pytest.skip(f"seed folder missing: {SEEDS}")
    source = unicodedata.normalize(form, path.read_text(encoding="utf-8"))
    return source, clean(source)


def outline_of(name: str, form: Form = "NFC") -> tuple[str, list[OutlineSection]]:
    source, mt = load(name, form)
    start = mt.text.index(unicodedata.normalize("NFC", "ĐỀ CƯƠNG"))
    citations = extract_citations(mt, start, len(mt.text)).citations
    return source, parse_outline(mt, start, len(mt.text), citations)


def by_number(sections: list[OutlineSection]) -> dict[str, OutlineSection]:
    return {s.number: s for s in sections}


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_000_outline_tree(form: Form):
    source, sections = outline_of("000_7831218f00c26e2d.txt", form)
    assert [s.number for s in sections] == TREE_000
    sec = by_number(sections)
    assert {n: sec[n].parent for n in ("I", "III.4", "III.4.b", "IV.2")} == {
        "I": None, "III.4": "III", "III.4.b": "III.4", "IV.2": "IV",
    }  # fmt: skip
    titles = {n: nfc(s.title) for n, s in sec.items()}
    assert titles["I"] == "KHÁI QUÁT CHUNG"
    assert titles["II"] == "CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO"
    assert titles["IV.1"] == "Ưu điểm"
    assert titles["IV.2"] == "Khó khăn, hạn chế và nguyên nhân"
    assert titles["VI"] == "KIẾN NGHỊ, ĐỀ XUẤT"
    # titles wrapped over several PDF lines are read to the end of their paragraph
    assert titles["III.1"].startswith("Kết quả công tác thể chế")
    assert titles["III.1"].endswith("của cơ quan HCNN và CQCC")
    assert titles["III.4.b"].endswith("theo cấp độ") and "28/2018/QĐ-TTg" in titles["III.4.b"]
    for s in sections:
        assert s.span.text == source[s.span.start : s.span.end]


def test_000_outline_references():
    _, sections = outline_of("000_7831218f00c26e2d.txt")
    refs = {s.number: s.references for s in sections if s.references}
    assert refs == {
        "II.1": ("33/CT-TTg", "03-CTr/BDVTW-BCSĐCP"),
        "III.4": ("76/NQ-CP",),
        "III.4.b": ("28/2018/QĐ-TTg",),
    }
    sec = by_number(sections)
    assert sec["III.4"].reference_keys == (document_key(parse_symbol("76/NQ-CP"), 2021),)


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_002_outline_tree(form: Form):
    source, sections = outline_of("002_53c9a83512b58783.txt", form)
    assert [s.number for s in sections] == TREE_002
    titles = {s.number: nfc(s.title) for s in sections}
    assert titles["III"] == "KẾT QUẢ THỰC HIỆN"
    assert titles["III.4"].startswith("Việc thực hiện phong trào thi đua")
    assert titles["III.4"].endswith("an ninh, quốc phòng")  # its dash items are not in it
    # a paragraph broken over two lines in the PDF stays one title
    assert titles["III.2"].endswith("sau đại dịch COVID-19")
    for s in sections:
        assert s.span.text == source[s.span.start : s.span.end]


def test_002_outline_references():
    _, sections = outline_of("002_53c9a83512b58783.txt")
    sec = by_number(sections)
    assert sec["III.8"].references == ("217-QĐ/TW", "218-QĐ/TW")
    assert sec["III.8"].reference_keys == (
        document_key(parse_symbol("217-QĐ/TW"), 2013),
        document_key(parse_symbol("218-QĐ/TW"), 2013),
    )
    # 28/2018/QĐ-TTg is cited in a dash item, which belongs to III.5's own text
    assert sec["III.5"].references == ("76/NQ-CP", "28/2018/QĐ-TTg")
    assert sec["III"].references == ()  # citations of III.1 … III.9 are theirs, not III's
    assert sec["III.1"].references == ("33/CT-TTg", "03-CTr/BDVTW-BCSĐCP")


@pytest.mark.parametrize(
    ("name", "end_at"),
    [
        ("000_7831218f00c26e2d.txt", "ĐỀ CƯƠNG"),  # the letter before the outline
        ("002_53c9a83512b58783.txt", "ĐỀ CƯƠNG"),  # the two letters
        ("001_304466b7726ac9ab.txt", None),  # a report and its table
        ("003_02f95d2c3f63d199.txt", None),  # a report
        ("004_60a679cac1b240e8.txt", None),  # a directive with numbered items
    ],
)
def test_not_outlines(name: str, end_at: str | None):
    _, mt = load(name)
    end = mt.text.index(end_at) if end_at else len(mt.text)
    assert parse_outline(mt, 0, end, []) == []


@pytest.mark.parametrize(
    ("name", "tree"),
    [("001_304466b7726ac9ab.txt", TREE_001), ("003_02f95d2c3f63d199.txt", TREE_003)],
)
def test_report_section_trees(name: str, tree: list[str]):
    source, mt = load(name)
    sections = parse_sections(mt, 0, len(mt.text), [])
    assert [s.number for s in sections] == tree
    for s in sections:
        assert s.span.text == source[s.span.start : s.span.end]


def test_001_report_titles_match_the_outline_of_000():
    # the report answers the outline of seed 000: its headings repeat the outline's titles
    _, report = load("001_304466b7726ac9ab.txt")
    titles = {s.number: s.title for s in parse_sections(report, 0, len(report.text), [])}
    _, outline = outline_of("000_7831218f00c26e2d.txt")
    wanted = {s.number: s.title for s in outline}
    assert titles["II.4.b"] == wanted["III.4.b"]
    assert titles["III.2"] == wanted["IV.2"]
    assert titles["I.1"].startswith("Công tác lãnh đạo, chỉ đạo quán triệt")


def test_004_directive_items():
    _, mt = load("004_60a679cac1b240e8.txt")
    sections = parse_sections(mt, 0, len(mt.text), [])
    assert [s.number for s in sections] == [str(i) for i in range(1, 10)]
    assert sections[-1].title.startswith("Các cấp ủy, tổ chức đảng")
