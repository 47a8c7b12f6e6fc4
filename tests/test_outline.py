"""Heading trees of outlines and reports, on texts written for these tests."""

from __future__ import annotations

import unicodedata
from typing import Literal

import pytest

from ingest.clean import clean
from ingest.models import Citation, OutlineSection, Relation, Span
from ingest.outline import outline_start, parse_outline, parse_sections

Form = Literal["NFC", "NFD"]

TEMPLATE = """\
SỞ NỘI VỤ
ĐỀ CƯƠNG BÁO CÁO
Kết quả công tác cải cách hành chính năm…
(Kèm theo Công văn số     /SNV-CCHC ngày    /   /2024 của Sở Nội vụ)
TÊN CƠ QUAN
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
BÁO CÁO
Kết quả công tác cải cách hành chính năm…
I. TÌNH HÌNH CHUNG
Nêu khái quát đặc điểm của cơ quan.
II. KẾT QUẢ THỰC HIỆN
1. Cải cách thể chế theo Nghị quyết số 76/NQ-CP
a) Rà soát văn bản
b) Kiểm tra văn bản
c) Xử lý văn bản
d) Hệ thống hóa văn bản
đ) Trường hợp đặc biệt
2. Cải cách thủ tục hành chính
- Kết quả thực hiện Quyết định số 28/2018/QĐ-TTg
+ Số liệu cụ thể
3. Chuyển đổi số
III. ĐÁNH GIÁ CHUNG
1. Ưu điểm
2. Hạn chế
IV. KIẾN NGHỊ
"""


def numbers(sections: list[OutlineSection]) -> list[str]:
    return [s.number for s in sections]


def cite(source: str, symbol: str, key: str) -> Citation:
    start = source.index(symbol)
    span = Span(start, start + len(symbol), symbol)
    return Citation(key, symbol, None, None, None, None, Relation.CITES, span)


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_template_tree(form: Form):
    source = unicodedata.normalize(form, TEMPLATE)
    mt = clean(source)
    sections = parse_outline(mt, 0, len(mt.text), [])
    # dash and plus items are not sections; "đ)" follows "d)"
    assert numbers(sections) == [
        "I",
        "II",
        "II.1",
        "II.1.a",
        "II.1.b",
        "II.1.c",
        "II.1.d",
        "II.1.đ",
        "II.2",
        "II.3",
        "III",
        "III.1",
        "III.2",
        "IV",
    ]
    parents = {s.number: s.parent for s in sections}
    assert parents["II.1.a"] == "II.1" and parents["II.1"] == "II" and parents["I"] is None
    titles = {s.number: unicodedata.normalize("NFC", s.title) for s in sections}
    assert titles["I"] == "TÌNH HÌNH CHUNG"
    assert titles["II.1.đ"] == "Trường hợp đặc biệt"
    for s in sections:
        assert s.span.text == source[s.span.start : s.span.end]


def test_section_span_covers_children():
    mt = clean(TEMPLATE)
    by = {s.number: s for s in parse_outline(mt, 0, len(mt.text), [])}
    assert by["II"].span.text.startswith("II. KẾT QUẢ")
    assert by["II"].span.text.rstrip().endswith("3. Chuyển đổi số")
    assert by["II.2"].span.text.endswith("+ Số liệu cụ thể")


def test_references_are_own_text_and_include_dash_items():
    mt = clean(TEMPLATE)
    c1 = cite(TEMPLATE, "76/NQ-CP", "76/NQ-CP@2021")
    c2 = cite(TEMPLATE, "28/2018/QĐ-TTg", "28/2018/QD-TTG@2018")
    by = {s.number: s for s in parse_outline(mt, 0, len(mt.text), [c1, c2])}
    assert by["II.1"].references == ("76/NQ-CP",)
    assert by["II.1"].reference_keys == ("76/NQ-CP@2021",)
    assert by["II"].references == ()  # the citation is in a child's text, not its own
    assert by["II.2"].references == ("28/2018/QĐ-TTg",)  # in a dash item of II.2


def test_references_are_deduplicated_in_order():
    text = (
        "I. NỘI DUNG\n1. Thực hiện Chỉ thị 05/CT-UBND và Kế hoạch 9/KH-UBND, Chỉ thị 05/CT-UBND\n"
    )
    first = cite(text, "05/CT-UBND", "05/CT-UBND@2024")
    second = cite(text, "9/KH-UBND", "09/KH-UBND@2024")
    again_at = text.rindex("05/CT-UBND")
    again = Citation(
        "05/CT-UBND@2024",
        "05/CT-UBND",
        None,
        None,
        None,
        None,
        Relation.CITES,
        Span(again_at, again_at + 10, "05/CT-UBND"),
    )
    [_, sec] = parse_sections(clean(text), 0, len(text), [first, second, again])
    assert sec.references == ("05/CT-UBND", "9/KH-UBND")
    assert sec.reference_keys == ("05/CT-UBND@2024", "09/KH-UBND@2024")


WRAPPED = """\
I. KẾT QUẢ
1. Kết quả thực hiện nhiệm vụ chuyển đổi số, cải cách hành chính trong các cơ quan của

tỉnh, cấp huyện và cấp xã; việc cung cấp dịch vụ công trực tuyến toàn trình tại bộ

phận một cửa các cấp
Trong năm, các cơ quan đã tập trung triển khai nhiều nhiệm vụ quan trọng khác nhau,
bảo đảm tiến độ đề ra và chất lượng ngày càng được nâng lên rõ rệt so với năm trước.
2. Kết quả kiểm tra
II. ĐÁNH GIÁ
CHUNG VỀ KẾT QUẢ
Các đơn vị hoàn thành tốt nhiệm vụ được giao trong năm.
"""


def test_titles_run_to_the_end_of_their_paragraph():
    by = {s.number: s.title for s in parse_sections(clean(WRAPPED), 0, len(WRAPPED), [])}
    assert by["I.1"].endswith("tại bộ phận một cửa các cấp")
    assert "Trong năm" not in by["I.1"]
    assert by["I.2"] == "Kết quả kiểm tra"
    assert by["II"] == "ĐÁNH GIÁ CHUNG VỀ KẾT QUẢ"  # all-caps heading over two lines


def test_out_of_sequence_numbers_are_body_text():
    text = (
        "I. KẾT QUẢ\n1. Công tác chỉ đạo\nNội dung gồm:\n1. Một ý trong đoạn văn\n"
        "2. Công tác tuyên truyền\nII. ĐÁNH GIÁ\nIV. KIẾN NGHỊ\n"
    )
    secs = parse_sections(clean(text), 0, len(text), [])
    # the second "1." is not a sibling of "1."; Roman numerals may skip one (II → IV)
    assert numbers(secs) == ["I", "I.1", "I.2", "II", "IV"]


def test_sub_numbering_and_report_without_roman():
    text = "1. Chỉ đạo\n1.1. Ban hành kế hoạch\n1.2. Kiểm tra\na) Nội dung kiểm tra\n2. Đánh giá\n"
    assert numbers(parse_sections(clean(text), 0, len(text), [])) == [
        "1",
        "1.1",
        "1.2",
        "1.2.a",
        "2",
    ]


def test_footnote_bodies_are_not_headings():
    text = (
        "I. KẾT QUẢ\n1. Công tác chỉ đạo\nCác bộ đã triển khai<sup>1</sup>.\n"
        "<sup>1</sup> a) Bộ Nội vụ nhận được báo cáo của 5 bộ\nb) 20 bộ chưa gửi báo cáo\n"
        "2. Công tác tuyên truyền\n"
    )
    mt = clean(text)
    assert numbers(parse_sections(mt, 0, len(mt.text), [])) == ["I", "I.1", "I.2"]


def test_closing_ends_the_last_section():
    text = "I. KẾT QUẢ\n1. Chỉ đạo\nTrên đây là báo cáo kết quả.\nNơi nhận:\n- Như trên;\n"
    secs = parse_sections(clean(text), 0, len(text), [])
    assert secs[-1].span.text == "1. Chỉ đạo"


@pytest.mark.parametrize(
    "text",
    [
        # a letter with a numbered list: no outline heading
        "Kính gửi: Các sở\n1. Gửi báo cáo về Sở Nội vụ.\n2. Tổ chức tổng kết.\n",
        # a report body: Roman sections but no outline marker
        "BÁO CÁO\nI. KẾT QUẢ\n1. Chỉ đạo\nII. ĐÁNH GIÁ\n",
        # a summary table attached to a report
        "BẢNG TỔNG HỢP\n(Kèm theo Báo cáo số 5/BC-SNV)\nSTT\tĐơn vị\tSố văn bản\n",
        # a plan attached to a decision: I./II. but not a report template
        "KẾ HOẠCH\n(Kèm theo Quyết định số 9/QĐ-UBND)\nI. MỤC ĐÍCH\nII. NỘI DUNG\n",
    ],
)
def test_not_outlines(text: str):
    assert parse_outline(clean(text), 0, len(text), []) == []


def test_attached_template_without_de_cuong_heading_is_an_outline():
    text = (
        "MẪU BÁO CÁO\n(Kèm theo Công văn số 7/SNV-VP)\nI. TÌNH HÌNH\nII. KẾT QUẢ\n"
        "1. Kết quả chung\n"
    )
    assert numbers(parse_outline(clean(text), 0, len(text), [])) == ["I", "II", "II.1"]


def test_outline_start_skips_the_letter_before_it():
    text = "Kính gửi: Các sở\n1. Gửi báo cáo.\n2. Tổng kết.\n" + TEMPLATE
    mt = clean(text)
    begin = outline_start(mt, 0, len(mt.text))
    assert begin is not None and mt.text[begin:].startswith("ĐỀ CƯƠNG")
    assert numbers(parse_outline(mt, 0, len(mt.text), []))[:2] == ["I", "II"]
