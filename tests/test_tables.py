"""Submissions tables: one record per (row, column group), blank cells kept blank."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path
from typing import Literal

import pytest

from ingest.clean import clean
from ingest.identity import document_key
from ingest.models import SubmissionRecord
from ingest.symbols import parse_symbol
from ingest.tables import find_submissions, split_cells

Form = Literal["NFC", "NFD"]

SEEDS = Path(__file__).parents[1].parent / "shared" / "seeds"

TAB_TABLE = (
    "BẢNG TỔNG HỢP\n"
    "STT\tTên đơn vị\tKế hoạch\t\tBáo cáo năm\t\n"
    "\t\tSố văn bản\tNgày ban hành\tSố văn bản\tNgày ban hành\n"
    "I. Các sở, ngành\t\t\t\t\t\n"
    "1\tSở Y tế\t12/KH-SYT\t05/3/2024\t\t\n"
    "2\tSở Tư pháp\t\t\t88/BC-STP\t10/12/2024\n"
    "\n"  # a page break inside the table
    "3\tSở Xây dựng\t\t\t\t\n"
    "II\tCác huyện\t\t\t\t\n"
    "1\tUBND huyện A\t7/KH-UBND\t01/02/2024\t301/BC-UBND\t5/12/2024\n"
    "Ghi chú: số liệu đến hết tháng 12.\n"
)


def records(text: str) -> list[SubmissionRecord]:
    mt = clean(text)
    found = find_submissions(mt, 0, len(mt.text))
    for r in found:
        assert r.span.text == text[r.span.start : r.span.end]
    return found


def cells(found: list[SubmissionRecord]) -> list[tuple]:
    return [(r.group, r.agency, r.category, r.symbol, r.date) for r in found]


def test_split_cells_keeps_blank_cells():
    assert split_cells("1\tSở Y tế\t\t\t88/BC-SYT\t") == ("1", "Sở Y tế", "", "", "88/BC-SYT", "")
    assert split_cells("| 1 | Sở Y tế | | 88/BC-SYT |") == ("1", "Sở Y tế", "", "88/BC-SYT")
    assert split_cells("một dòng văn bản thường") == ()


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_tab_table(form: Form):
    found = records(unicodedata.normalize(form, TAB_TABLE))
    got = [
        tuple(unicodedata.normalize("NFC", x) if isinstance(x, str) else x for x in row)
        for row in cells(found)
    ]
    assert got == [
        ("Các sở, ngành", "Sở Y tế", "Kế hoạch", "12/KH-SYT", dt.date(2024, 3, 5)),
        ("Các sở, ngành", "Sở Y tế", "Báo cáo năm", None, None),
        ("Các sở, ngành", "Sở Tư pháp", "Kế hoạch", None, None),
        ("Các sở, ngành", "Sở Tư pháp", "Báo cáo năm", "88/BC-STP", dt.date(2024, 12, 10)),
        ("Các sở, ngành", "Sở Xây dựng", "Kế hoạch", None, None),
        ("Các sở, ngành", "Sở Xây dựng", "Báo cáo năm", None, None),
        ("Các huyện", "UBND huyện A", "Kế hoạch", "07/KH-UBND", dt.date(2024, 2, 1)),
        ("Các huyện", "UBND huyện A", "Báo cáo năm", "301/BC-UBND", dt.date(2024, 12, 5)),
    ]


def test_keys_use_the_cell_date_year():
    found = records(TAB_TABLE)
    keys = {(r.agency, r.category): r.key for r in found}
    assert keys[("Sở Y tế", "Kế hoạch")] == document_key(parse_symbol("12/KH-SYT"), 2024)
    assert keys[("Sở Y tế", "Báo cáo năm")] is None


def test_row_span_is_the_table_row():
    [first, *_] = records(TAB_TABLE)
    assert first.span.text == "1\tSở Y tế\t12/KH-SYT\t05/3/2024"


def test_pipe_table_with_symbol_and_date_in_one_cell():
    text = (
        "| STT | Cơ quan | Báo cáo quý I | Báo cáo quý II |\n"
        "|---|---|---|---|\n"
        "| 1 | Sở Công Thương | Số 14/BC-SCT ngày 02/4/2024 | |\n"
        "| 2 | Sở Nội vụ | | 51/BC-SNV, 03/7/2024 |\n"
    )
    assert cells(records(text)) == [
        (None, "Sở Công Thương", "Báo cáo quý I", "14/BC-SCT", dt.date(2024, 4, 2)),
        (None, "Sở Công Thương", "Báo cáo quý II", None, None),
        (None, "Sở Nội vụ", "Báo cáo quý I", None, None),
        (None, "Sở Nội vụ", "Báo cáo quý II", "51/BC-SNV", dt.date(2024, 7, 3)),
    ]


def test_space_aligned_table():
    text = (
        "STT  Đơn vị              Kế hoạch                  Báo cáo\n"
        "                         Số          Ngày          Số          Ngày\n"
        "1    Sở Y tế             12/KH-SYT   05/3/2024\n"
        "2    Sở Tư pháp                                    88/BC-STP   10/12/2024\n"
    )
    assert cells(records(text)) == [
        (None, "Sở Y tế", "Kế hoạch", "12/KH-SYT", dt.date(2024, 3, 5)),
        (None, "Sở Y tế", "Báo cáo", None, None),
        (None, "Sở Tư pháp", "Kế hoạch", None, None),
        (None, "Sở Tư pháp", "Báo cáo", "88/BC-STP", dt.date(2024, 12, 10)),
    ]


def test_date_only_cell_has_a_date_but_no_symbol():
    text = "STT\tĐơn vị\tKế hoạch\tBáo cáo\n1\tSở Y tế\t05/3/2024\t12/BC-SYT 06/3/2024\n"
    [plan, _] = records(text)
    assert (plan.symbol, plan.date) == (None, dt.date(2024, 3, 5))


def test_non_symbol_mark_counts_as_received():
    text = "STT\tĐơn vị\tKế hoạch\tBáo cáo\n1\tSở Y tế\tx\t12/BC-SYT 05/3/2024\n"
    [plan, report] = records(text)
    assert (plan.symbol, plan.key, plan.date) == ("x", None, None)
    assert report.symbol == "12/BC-SYT"


@pytest.mark.parametrize(
    "text",
    [
        # statistics, not documents
        "STT\tĐơn vị\tSố cuộc\tSố người\n1\tSở Y tế\t12\t340\n2\tSở Tư pháp\t3\t45\n",
        # no agency column
        "STT\tNội dung\tKết quả\n1\tTuyên truyền\tĐạt\n",
        # prose with a single tab
        "Nội dung\tghi chú\n",
    ],
)
def test_not_submission_tables(text: str):
    assert records(text) == []


# --- seed 001: the appendix of the ministry's annual report ---------------------------------


@pytest.fixture(scope="module")
def seed_table() -> list[SubmissionRecord]:
    path = SEEDS / "001_304466b7726ac9ab.txt"
    if not path.exists():
        pytest.skip(f"seed folder missing: {SEEDS}")
    mt = clean(path.read_text(encoding="utf-8"))
    return find_submissions(mt, 0, len(mt.text))


PLAN, ANNUAL = "Kế hoạch", "Báo cáo năm"
CRITERIA = "Báo cáo về tiêu chí chấm điểm, xếp loại, đánh giá công tác dân vận"
MINISTRIES = "Bộ, cơ quan ngang Bộ, cơ quan thuộc Chính phủ"
LOCAL = "Địa phương"


@pytest.mark.seeds
def test_seed_table_shape(seed_table: list[SubmissionRecord]):
    agencies = list(dict.fromkeys(r.agency for r in seed_table))
    assert len(agencies) == 93 and len(seed_table) == 93 * 3
    assert {r.category for r in seed_table} == {PLAN, ANNUAL, CRITERIA}
    assert sum(r.group == MINISTRIES for r in seed_table) == 30 * 3
    assert sum(r.group == LOCAL for r in seed_table) == 63 * 3
    assert agencies[0] == "Bộ Quốc phòng" and agencies[-1] == "UBND tỉnh Yên Bái"


@pytest.mark.seeds
def test_seed_table_counts_per_category(seed_table: list[SubmissionRecord]):
    sent: dict[tuple[str | None, str], int] = {
        (g, c): 0 for g in (MINISTRIES, LOCAL) for c in (PLAN, ANNUAL, CRITERIA)
    }
    for r in seed_table:
        sent[(r.group, r.category)] += r.symbol is not None
    assert sent == {
        (MINISTRIES, PLAN): 2,
        (MINISTRIES, ANNUAL): 5,
        (MINISTRIES, CRITERIA): 1,
        (LOCAL, PLAN): 16,
        (LOCAL, ANNUAL): 41,
        (LOCAL, CRITERIA): 52,
    }
    assert all(r.date is not None and r.key is not None for r in seed_table if r.symbol)


@pytest.mark.seeds
@pytest.mark.parametrize(
    ("agency", "category", "symbol", "date"),
    [
        ("Bộ Quốc phòng", PLAN, None, None),
        ("Bộ Quốc phòng", ANNUAL, "1765/BC-DV", dt.date(2024, 12, 14)),
        ("Bộ Quốc phòng", CRITERIA, "673/BC-DV", dt.date(2024, 5, 24)),
        ("Bộ Công an", ANNUAL, "568-BC/ĐUCA", dt.date(2024, 12, 18)),
        ("Bộ Công an", CRITERIA, None, None),
        ("Bộ Nội vụ", PLAN, "2748/BNV-CTTN", dt.date(2024, 5, 17)),
        ("Bộ Ngoại giao", PLAN, None, None),
        ("Bộ Ngoại giao", ANNUAL, None, None),
        ("Bộ Ngoại giao", CRITERIA, None, None),
        ("Ủy ban Dân tộc", PLAN, "842/KH-UBDT", dt.date(2024, 5, 23)),
        ("Ủy ban Dân tộc", ANNUAL, None, None),
        ("UBND tỉnh An Giang", PLAN, None, None),
        ("UBND tỉnh An Giang", CRITERIA, "529/BC-UBND", dt.date(2024, 5, 24)),
        ("UBND tỉnh Bình Dương", ANNUAL, "11/BC-UBND", dt.date(2025, 1, 10)),
        ("UBND tỉnh Cà Mau", PLAN, "60/KH-UBND", dt.date(2024, 3, 15)),
        ("UBND tỉnh Cà Mau", CRITERIA, None, None),
        ("UBND thành phố Hà Nội", ANNUAL, None, None),
        ("UBND tỉnh Thái Nguyên", ANNUAL, "295/BC-SNV", dt.date(2024, 12, 5)),
        ("UBND tỉnh Yên Bái", CRITERIA, "93/BC-SNV", dt.date(2024, 5, 27)),
    ],
)
def test_seed_table_cells(seed_table, agency, category, symbol, date):
    [r] = [r for r in seed_table if r.agency == agency and r.category == category]
    assert (r.symbol, r.date) == (symbol, date)
    if symbol is not None:
        assert r.key == document_key(parse_symbol(symbol), date.year)
    assert r.span.text.startswith(tuple("0123456789")) and agency in r.span.text


@pytest.mark.seeds
def test_seed_blank_rows_send_nothing(seed_table: list[SubmissionRecord]):
    blank = {
        agency
        for agency in {r.agency for r in seed_table}
        if all(r.symbol is None for r in seed_table if r.agency == agency)
    }
    assert {"Bộ Ngoại giao", "UBND thành phố Hà Nội", "UBND tỉnh Vĩnh Phúc"} <= blank
    assert len(blank) == 28  # 24 ministries and 4 provinces sent nothing at all
