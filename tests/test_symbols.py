"""Số ký hiệu: every written form parses to its canonical symbol; non-symbols never do."""

from __future__ import annotations

import unicodedata

import pytest
import regex

from ingest.symbols import (
    SYMBOL_PATTERN,
    canonical_symbol,
    find_symbols,
    parse_symbol,
    symbol_regex,
)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# (written form, canonical symbol)
CANONICAL = [
    # state administrative form n/TYPE-ISSUER(-UNIT)*
    ("33/CT-TTg", "33/CT-TTg"),
    ("123/QĐ-UBND", "123/QĐ-UBND"),
    ("455/QĐ-BNV", "455/QĐ-BNV"),
    ("171/KH-UBND-BDVTU", "171/KH-UBND-BDVTU"),
    ("03/VBHN-VPQH", "03/VBHN-VPQH"),
    ("5/CT-TTg", "05/CT-TTg"),  # leading zero below 10
    ("005/CT-TTg", "05/CT-TTg"),
    # công văn n/ISSUER-UNIT
    ("1432/BNV-CTTN", "1432/BNV-CTTN"),
    ("4666/UBND-KGVX", "4666/UBND-KGVX"),
    ("1043/TTg-NN", "1043/TTg-NN"),
    ("2762/VPCP-QHĐP", "2762/VPCP-QHĐP"),
    # unit codes with "&" and sub-units joined by dots
    ("713/SNV-XDCQ&CTTN", "713/SNV-XDCQ&CTTN"),
    ("30c/SNV.XDCQ", "30c/SNV.XDCQ"),
    ("30C/SNV.XDCQ&CTTN", "30c/SNV.XDCQ&CTTN"),
    # normative n/YYYY/TYPE-ISSUER, laws, ordinances, joint circulars
    ("28/2018/QĐ-TTg", "28/2018/QĐ-TTg"),
    ("30/2020/NĐ-CP", "30/2020/NĐ-CP"),
    ("02/2015/TTLT-BNG-BNV", "02/2015/TTLT-BNG-BNV"),
    ("05/2013/TTLT/BYT-BTC", "05/2013/TTLT/BYT-BTC"),  # two-slash joint form
    ("10/2022/QH15", "10/2022/QH15"),
    ("52/2005/QH11", "52/2005/QH11"),
    ("12/2021/UBTVQH14", "12/2021/UBTVQH14"),
    ("07/2021/NQ-HĐND", "07/2021/NQ-HĐND"),
    # Party n-TYPE/ISSUER(-ISSUER)*
    ("25-NQ/TW", "25-NQ/TW"),
    ("03-CTr/BDVTW-BCSĐCP", "03-CTr/BDVTW-BCSĐCP"),
    ("03-CTr/BDVTW-BCSDCP", "03-CTr/BDVTW-BCSĐCP"),  # ASCII D respelled
    ("24-CT/TU", "24-CT/TU"),
    ("234-CV/BTGTU", "234-CV/BTGTU"),
    ("568-BC/ĐUCA", "568-BC/ĐUCA"),
    ("08-QĐi/TW", "08-QĐi/TW"),
    ("11-Qđ/TW", "11-QĐ/TW"),  # case-damaged code respelled
    ("01-KH/KDVĐU-UBND", "01-KH/KDVĐU-UBND"),
    # Party symbol written in state form (notes §9.5)
    ("25/NQ-TW", "25-NQ/TW"),
    ("18/NQ-TW", "18-NQ/TW"),
    ("290/BC-BCSD", "290-BC/BCSĐ"),
    # damaged spacing and separators (notes §9.4, §9.6)
    ("13/2015/TT- BVHTTDL", "13/2015/TT-BVHTTDL"),
    ("116 /2002/TT-BTC", "116/2002/TT-BTC"),
    ("94- KH/BTGDVTW", "94-KH/BTGDVTW"),
    ("367 - QĐ/TWĐTN", "367-QĐ/TWĐTN"),
    ("84 QĐ/TWĐTN", "84-QĐ/TWĐTN"),
    ("1385 /BC-BNV", "1385/BC-BNV"),
    ("33/CT-\nTTg", "33/CT-TTg"),
    ("01-\n\nKL/TW", "01-KL/TW"),
    ("218- QĐ/TW", "218-QĐ/TW"),
    ("33/CT\u2013TTg", "33/CT-TTg"),  # en dash
    ("33/CT\u2212TTg", "33/CT-TTg"),  # minus sign
    # glued footnote digits and sentence-final periods
    ("25-NQ/TW1", "25-NQ/TW"),
    ("10/2022/QH151", "10/2022/QH15"),
    ("1432/BNV-CTTN.", "1432/BNV-CTTN"),
    ("123/SNV.VP.", "123/SNV.VP"),
    ("123/UBND", "123/UBND"),
]


@pytest.mark.parametrize(("raw", "expected"), CANONICAL)
def test_canonical_symbol(raw: str, expected: str) -> None:
    assert canonical_symbol(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), CANONICAL)
def test_canonical_symbol_nfd(raw: str, expected: str) -> None:
    assert canonical_symbol(nfd(raw)) == expected


NOT_SYMBOLS = [
    "0251.3822456",  # phone number
    "0251-3822-456",
    "vanthu@snv.dongnai.gov.vn",
    "https://vbpl.vn/TW/Pages/28/QD-TTg",
    "www.example.vn/12/QĐ-UBND",
    "2021-2030",
    "2021 - 2026",
    "05/30 bộ",
    "37/63 tỉnh",
    "1.158.760/1.670.220",
    "26/11/2021",
    "ISO 9001:2015",
    "III.8",
    "1.1",
    "05/Ba",
    "3/Tỉnh",
    "Số:        /BNV-CTTN",
    "COVID-19",
]


@pytest.mark.parametrize("raw", NOT_SYMBOLS)
def test_not_a_symbol(raw: str) -> None:
    assert canonical_symbol(raw) is None
    assert find_symbols(raw) == []


PARTS = [
    # raw, number, year, type_code, issuers, party
    ("33/CT-TTg", "33", None, "CT", ("TTg",), False),
    ("1432/BNV-CTTN", "1432", None, None, ("BNV", "CTTN"), False),
    ("28/2018/QĐ-TTg", "28", 2018, "QĐ", ("TTg",), False),
    ("10/2022/QH15", "10", 2022, None, ("QH15",), False),
    ("03-CTr/BDVTW-BCSĐCP", "03", None, "CTr", ("BDVTW", "BCSĐCP"), True),
    ("18/NQ-TW", "18", None, "NQ", ("TW",), True),
    ("30c/SNV.XDCQ", "30c", None, None, ("SNV.XDCQ",), False),
]


@pytest.mark.parametrize(("raw", "number", "year", "type_code", "issuers", "party"), PARTS)
def test_parse_symbol_parts(
    raw: str,
    number: str,
    year: int | None,
    type_code: str | None,
    issuers: tuple[str, ...],
    party: bool,
) -> None:
    parts = parse_symbol(raw)
    assert parts is not None
    assert (parts.number, parts.year, parts.type_code, parts.issuers, parts.party) == (
        number,
        year,
        type_code,
        issuers,
        party,
    )


# (text, symbols found in it, in order)
IN_TEXT = [
    ("theo Chỉ thị số 33/CT-TTg ngày 26/11/2021.", ["33/CT-TTg"]),
    ("Nghị quyết số 18-NQ/TW, 19-NQ/TW ngày 25/10/2017", ["18-NQ/TW", "19-NQ/TW"]),
    ("ban hành Quyết định số 12/QĐ-UBND. Các sở", ["12/QĐ-UBND"]),
    ("số 12/QĐ-UBND - UBND tỉnh", ["12/QĐ-UBND"]),
    ("Số:4666/UBND-KGVX", ["4666/UBND-KGVX"]),
    ("tại 37/63 tỉnh, 05/30 bộ và giai đoạn 2021 - 2030", []),
    ("liên hệ 0251.3822456 hoặc vanthu@snv.gov.vn", []),
    ("Đạt 69,38% (1.158.760/1.670.220 hồ sơ)", []),
    ("mục III.8 và 1.1 của đề cương", []),
]


@pytest.mark.parametrize(("text", "expected"), IN_TEXT)
def test_find_symbols_in_text(text: str, expected: list[str]) -> None:
    assert [p.canonical for _, _, p in find_symbols(text)] == expected


def test_find_symbols_offsets_quote_the_text() -> None:
    text = "Thực hiện Kết luận số 01-\n\nKL/TW, ngày 08/5/2021"
    [(s, e, parts)] = find_symbols(text)
    assert text[s:e] == "01-\n\nKL/TW"
    assert parts.canonical == "01-KL/TW"


def test_symbol_regex_is_cached_and_unicode_aware() -> None:
    assert symbol_regex() is symbol_regex()
    # "Đ" is a letter: a code must not end inside "ĐUCA"
    m = symbol_regex().search("568-BC/ĐUCA")
    assert m is not None and m.group(0) == "568-BC/ĐUCA"


def test_symbol_pattern_string_embeds() -> None:
    rx = regex.compile(r"số\s*(?P<sym>" + SYMBOL_PATTERN + r")", regex.V1)
    m = rx.search("Chỉ thị số 33/CT-TTg ngày 26/11/2021")
    assert m is not None and m.group("sym") == "33/CT-TTg"
