"""Regression tests for header and citation misses fixed with the extraction speed-up.

1. Party symbols of a thị xã ủy (TXU) written in state form were left unrepaired.
2. Worded dates broken by a PDF wrap with a blank line were lost ("năm \\n\\n2024").
3. A law's own header "Luật số: 10/2022/QH15" was read as body text.
4. Party committees missing from the issuer table (Thị ủy, Thành ủy, Thị xã ủy) lost the
   capitals of their place name ("Thị ủy sơn tân").

Every text row runs in NFC and NFD.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Literal

import pytest

from ingest.citations import extract_citations
from ingest.clean import clean
from ingest.dates import find_dates, parse_date
from ingest.extract import extract_text
from ingest.header import is_issuer_line, is_number_line, read_header
from ingest.symbols import is_party_issuer, parse_symbol

Form = Literal["NFC", "NFD"]
FORMS: tuple[Form, ...] = ("NFC", "NFD")
D = dt.date


def _norm(text: str, form: Form) -> str:
    return unicodedata.normalize(form, text)


# --- 1. Party committees' symbols in state form ------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "canonical", "party"),
    [
        ("311/KH-TXU", "311-KH/TXU", True),  # thị xã ủy: the reported miss
        ("311/KH-TXU-VP", "311-KH/TXU-VP", True),  # with a unit after it
        ("9/BC-BTGTXU", "09-BC/BTGTXU", True),  # a unit of a thị xã ủy
        ("311/KH-TU", "311-KH/TU", True),  # tỉnh ủy, thành ủy
        ("12/NQ-HU", "12-NQ/HU", True),  # huyện ủy
        ("12/CT-QU", "12-CT/QU", True),  # quận ủy
        ("5/KH-ĐU", "05-KH/ĐU", True),  # đảng ủy
        ("5/KH-DU", "05-KH/ĐU", True),  # đảng ủy written without Đ
        ("7/KL-ĐUK", "07-KL/ĐUK", True),  # đảng ủy khối
        ("249-KH/TXU", "249-KH/TXU", True),  # already in Party form
        ("4/KH-UBND", "04/KH-UBND", False),  # state bodies stay in state form
        ("1432/BNV-CTTN", "1432/BNV-CTTN", False),
        ("12/2020/NQ-HĐND", "12/2020/NQ-HĐND", False),
    ],
)
@pytest.mark.parametrize("form", FORMS)
def test_party_committee_symbols_are_repaired(
    raw: str, canonical: str, party: bool, form: Form
) -> None:
    parts = parse_symbol(_norm(raw, form))
    assert parts is not None
    assert (parts.canonical, parts.party) == (canonical, party)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("TXU", True),
        ("BTCTXU", True),
        ("TU", True),
        ("HU", True),
        ("QU", True),
        ("ĐU", True),
        ("ĐUK", True),
        ("TW", True),
        ("UBND", False),
        ("BNV", False),
        ("XU", False),  # only the whole committee code counts, not its last letters
    ],
)
def test_is_party_issuer(code: str, expected: bool) -> None:
    assert is_party_issuer(code) is expected


@pytest.mark.parametrize("form", FORMS)
def test_txu_citation_key(form: Form) -> None:
    text = _norm("Căn cứ Kế hoạch số 311/KH-TXU ngày 08/7/2023 của Thị xã ủy.", form)
    (c,) = extract_citations(clean(text)).citations
    assert (c.symbol, c.key, c.date) == ("311-KH/TXU", "311-KH/TXU@2023", D(2023, 7, 8))


# --- 2. Worded dates across a blank line ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ngày 20 tháng 1 năm \n\n2024", D(2024, 1, 20)),
        ("ngày 08 tháng 07 \n\nnăm 2023", D(2023, 7, 8)),
        ("ngày 15 \n\ntháng 7 năm 2021", D(2021, 7, 15)),
        ("ngày 3 tháng \n \n4 năm 2024", D(2024, 4, 3)),  # spaces on the blank line
        ("ngày 20 tháng 1 năm \n2024", D(2024, 1, 20)),  # a plain wrap, as before
        ("ngày 20 tháng 1 năm \n\n\n2024", None),  # two blank lines: another paragraph
    ],
)
@pytest.mark.parametrize("form", FORMS)
def test_worded_date_across_blank_line(text: str, expected: D | None, form: Form) -> None:
    assert parse_date(_norm(text, form)) == expected


@pytest.mark.parametrize(
    ("text", "symbol", "date"),
    [
        (
            "Thực hiện Chỉ thị số 15/CT-TTg ngày 20 tháng 1 năm \n\n2024 của Thủ tướng.",
            "15/CT-TTg",
            D(2024, 1, 20),
        ),
        (
            "Căn cứ Kế hoạch số 311/KH-TXU ngày 08 tháng 07 \n\nnăm 2023 của Thị xã ủy.",
            "311-KH/TXU",
            D(2023, 7, 8),
        ),
        (
            "theo Quyết định số 42-QĐ/ĐU, ngày 3 tháng 4 năm \n\n2024 về thành lập tổ.",
            "42-QĐ/ĐU",
            D(2024, 4, 3),
        ),
    ],
)
@pytest.mark.parametrize("form", FORMS)
def test_citation_date_across_blank_line(text: str, symbol: str, date: D, form: Form) -> None:
    (c,) = extract_citations(clean(_norm(text, form))).citations
    assert (c.symbol, c.date, c.key.endswith(f"@{date.year}")) == (symbol, date, True)


@pytest.mark.parametrize("form", FORMS)
def test_find_dates_span_excludes_nothing_after_year(form: Form) -> None:
    text = _norm("Báo cáo ngày 20 tháng 1 năm \n\n2024 của Sở.", form)
    mt = clean(text)
    ((start, end, day),) = find_dates(mt.text)
    assert day == D(2024, 1, 20)
    assert mt.text[start:end].endswith("2024")


# --- 3. A law's own header ------------------------------------------------------------------------

LAW = (
    "QUỐC HỘI\n--------\n{number}\n"
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n---------------\n"
    "Hà Nội, ngày 10 tháng 11 năm 2022\n\n{title}\n\n"
    "Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;\n"
    "Quốc hội ban hành Luật Thực hiện dân chủ ở cơ sở.\n\n"
    "Điều 1. Phạm vi điều chỉnh\nLuật này quy định nguyên tắc thực hiện dân chủ ở cơ sở.\n"
)


@pytest.mark.parametrize(
    ("number", "title", "symbol", "doc_type", "key"),
    [
        (
            "Luật số: 10/2022/QH15",
            "LUẬT\nTHỰC HIỆN DÂN CHỦ Ở CƠ SỞ",
            "10/2022/QH15",
            "luat",
            "10/2022/QH15@2022",
        ),
        # No type title: the word on the number line still gives the type.
        ("Luật số: 10/2022/QH15", "", "10/2022/QH15", "luat", "10/2022/QH15@2022"),
        (
            "Pháp lệnh số: 02/2022/UBTVQH15",
            "PHÁP LỆNH\nCHI PHÍ TỐ TỤNG",
            "02/2022/UBTVQH15",
            "phap-lenh",
            "02/2022/UBTVQH15@2022",
        ),
        (
            "Nghị quyết số: 30/2021/QH15",
            "NGHỊ QUYẾT\nKỲ HỌP THỨ NHẤT",
            "30/2021/QH15",
            "nghi-quyet",
            "30/2021/QH15@2022",  # the year of the date line, as for every document
        ),
    ],
)
@pytest.mark.parametrize("form", FORMS)
def test_law_header(
    number: str, title: str, symbol: str, doc_type: str, key: str, form: Form
) -> None:
    text = _norm(LAW.format(number=number, title=title), form)
    (doc,) = extract_text(text).documents
    assert (doc.symbol, doc.doc_type, doc.date, doc.issuer) == (
        symbol,
        doc_type,
        D(2022, 11, 10),
        "Quốc hội",
    )
    assert doc.key == key
    assert all(c.symbol != symbol for c in doc.citations)  # its own number is no citation


@pytest.mark.parametrize("form", FORMS)
def test_law_header_title(form: Form) -> None:
    text = _norm(LAW.format(number="Luật số: 10/2022/QH15", title="LUẬT\nTHỰC HIỆN DÂN CHỦ"), form)
    mt = clean(text)
    header = read_header(mt, 0, len(mt.text))
    assert header.title == "THỰC HIỆN DÂN CHỦ"
    assert {e.field for e in header.evidence} >= {"symbol", "date", "doc_type", "title"}


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Luật số: 10/2022/QH15", True),
        ("Bộ luật số: 45/2019/QH14", True),
        ("Pháp lệnh số: 02/2022/UBTVQH15", True),
        ("Lệnh số: 05/2022/L-CTN", True),
        ("Số: 1432/BNV-CTTN", True),  # as before
        ("Số 27-KL/TU", True),
        ("Luật số 10/2022/QH15 quy định về dân chủ ở cơ sở.", False),  # prose: no colon
        ("Số lượng văn bản đã ban hành", False),
    ],
)
@pytest.mark.parametrize("form", FORMS)
def test_typed_number_line(line: str, expected: bool, form: Form) -> None:
    assert is_number_line(clean(_norm(line, form)).text) is expected


@pytest.mark.parametrize("form", FORMS)
def test_law_number_is_no_letter(form: Form) -> None:
    """A year segment without a type code ("Số: 10/2022/QH15") is no công văn."""
    text = _norm("QUỐC HỘI\nSố: 10/2022/QH15\nHà Nội, ngày 10 tháng 11 năm 2022\n", form)
    mt = clean(text)
    assert read_header(mt, 0, len(mt.text)).doc_type is None
    letter = _norm("BỘ NỘI VỤ\nSố: 1432/BNV-CTTN\nHà Nội, ngày 10 tháng 11 năm 2022\n", form)
    mt = clean(letter)
    assert read_header(mt, 0, len(mt.text)).doc_type == "cong-van"


# --- 4. Party committees' names -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "issuer"),
    [
        ("ĐẢNG BỘ TỈNH THỪA THIÊN HUẾ\nTHỊ ỦY HIỆP ĐỊNH", "Thị ủy Hiệp Định"),
        ("THÀNH ỦY HÀ NỘI", "Thành ủy Hà Nội"),
        ("ĐẢNG BỘ TỈNH QUẢNG NINH\nTHỊ XÃ ỦY ĐÔNG TRIỀU", "Thị xã ủy Đông Triều"),
        ("TỈNH ỦY NINH BÌNH", "Tỉnh ủy Ninh Bình"),  # known issuers as before
        ("HUYỆN ỦY TAM LẠC", "Huyện ủy Tam Lạc"),
        ("ĐẢNG BỘ TỈNH NINH BÌNH\nTỈNH ỦY", "Tỉnh ủy Ninh Bình"),
    ],
)
@pytest.mark.parametrize("form", FORMS)
def test_party_committee_issuer(lines: str, issuer: str, form: Form) -> None:
    text = _norm(
        f"{lines}\n*\nSố 249-KH/TXU\nĐẢNG CỘNG SẢN VIỆT NAM\n"
        "Hiệp Định, ngày 03 tháng 12 năm 2021\n\nKẾ HOẠCH\nTriển khai giám sát năm 2021\n",
        form,
    )
    mt = clean(text)
    assert read_header(mt, 0, len(mt.text)).issuer == _norm(issuer, "NFC")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("THỊ XÃ ỦY ĐÔNG TRIỀU", True),
        ("THỊ ỦY SƠN TÂY", True),
        ("THỊ XÃ ĐÔNG TRIỀU", False),  # a place qualifier, not a body
        ("T/M THỊ XÃ ỦY", False),  # a signature line
    ],
)
@pytest.mark.parametrize("form", FORMS)
def test_thi_xa_uy_is_issuer_line(line: str, expected: bool, form: Form) -> None:
    assert is_issuer_line(clean(_norm(line, form)).text) is expected
