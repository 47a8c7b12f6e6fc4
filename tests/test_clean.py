"""Cleaning keeps a faithful map back to the source text."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.clean import clean, fold, join_lines
from ingest.textmap import MappedText


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("Chỉ thị 33/CT\u2013TTg", "Chỉ thị 33/CT-TTg"),  # en dash inside a symbol
        ("số 25\u2212NQ/TW", "số 25-NQ/TW"),  # minus sign
        ("Nghị\u00a0quyết", "Nghị quyết"),  # NBSP
        ("Quy\u00adết định", "Quyết định"),  # soft hyphen
        ("Chỉ\u200b thị", "Chỉ thị"),  # zero-width space
        ("\ufeffKính gửi", "Kính gửi"),  # BOM left in text
        ("\u00d0ảng", "Đảng"),  # Icelandic eth for Đ
        ("**BÁO CÁO**", "BÁO CÁO"),  # markdown emphasis
        ("## I. KẾT QUẢ", "I. KẾT QUẢ"),  # markdown heading
        ("25-NQ/TW<sup>3</sup>;", "25-NQ/TW ;"),  # footnote marker
        ("a\r\nb", "a\nb"),
        ("dòng 1\n  12  \ndòng 2", "dòng 1\n\ndòng 2"),  # page number alone on a line
        ("dòng 1\nTrang 3/12\ndòng 2", "dòng 1\n\ndòng 2"),
    ],
)
def test_clean_rewrites(source: str, expected: str) -> None:
    assert clean(source).text == expected


def test_clean_nfd_becomes_nfc_and_maps_back() -> None:
    source = unicodedata.normalize("NFD", "Ủy ban nhân dân tỉnh Đồng Nai")
    mt = clean(source)
    assert mt.text == "Ủy ban nhân dân tỉnh Đồng Nai"
    i = mt.text.index("Đồng Nai")
    span = mt.span(i, i + len("Đồng Nai"))
    assert unicodedata.normalize("NFC", span.text) == "Đồng Nai"
    assert source[span.start : span.end] == span.text


def test_span_over_deleted_markup_quotes_source() -> None:
    source = "Căn cứ **Chỉ thị** số 33/CT-TTg"
    mt = clean(source)
    i = mt.text.index("Chỉ thị")
    span = mt.span(i, mt.text.index("33/CT-TTg") + len("33/CT-TTg"))
    assert span.text == "Chỉ thị** số 33/CT-TTg"


def test_join_lines_keeps_structure() -> None:
    source = (
        "Thực hiện Chỉ thị số 33/CT-TTg ngày\n\n26/11/2021 của Thủ tướng.\n1. Nội dung\n- Ý một"
    )
    joined = join_lines(clean(source)).text
    assert "ngày 26/11/2021" in joined
    assert "\n1. Nội dung\n- Ý một" in joined


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Ủy ban nhân dân tỉnh Đồng Nai", "uy ban nhan dan tinh dong nai"),
        ("CHỈ THỊ", "chi thi"),
        ("uỷ", "uy"),
    ],
)
def test_fold(text: str, key: str) -> None:
    assert fold(text) == key
    assert fold(unicodedata.normalize("NFD", text)) == key


_alphabet = st.sampled_from(
    [
        *"aăâbcdđeêghiklmnoôơpqrstuưvxyAĐ0123456789 /-.\n\t*#<>",
        *["\u0301", "\u0300", "\u0323", "\u2013", "\u00a0", "\u200b", "<sup>1</sup>", "\r\n"],
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_alphabet, max_size=80).map("".join), st.data())
def test_any_clean_range_maps_to_a_faithful_quote(source: str, data: st.DataObject) -> None:
    mt = clean(source)
    n = len(mt.text)
    a = data.draw(st.integers(0, n))
    b = data.draw(st.integers(a, n))
    span = mt.span(a, b)
    assert 0 <= span.start <= span.end <= len(source)
    assert source[span.start : span.end] == span.text
    # Every ASCII letter/digit of the cleaned range (cleaning never alters those)
    # appears, in order, in the quote: the span covers what was matched.
    wanted = [c for c in mt.text[a:b] if c.isascii() and c.isalnum()]
    it = iter(span.text)
    assert all(any(c == q for q in it) for c in wanted)


def test_identity_map() -> None:
    mt = MappedText.identity("abc")
    assert mt.span(1, 2).text == "b"


@pytest.mark.parametrize(
    ("source", "joined"),
    [
        # regression: a dotted date at the start of a line looked like a numbered item
        ("gửi báo cáo trước ngày\n\n20.9.2024 để tổng hợp.",
         "gửi báo cáo trước ngày 20.9.2024 để tổng hợp."),
        # regression: a short heading line was glued to the sentence under it
        ("Chế độ báo cáo\nCác bộ gửi báo cáo trước ngày 15/12.",
         "Chế độ báo cáo\nCác bộ gửi báo cáo trước ngày 15/12."),
        # a long line broken before a capitalised word is still one sentence
        (
            "Thực hiện ý kiến chỉ đạo của Thủ tướng Chính phủ về công tác này tại\nCông văn số 12.",
            "Thực hiện ý kiến chỉ đạo của Thủ tướng Chính phủ về công tác này tại Công văn số 12.",
        ),
    ],
)
def test_join_lines_cases(source: str, joined: str) -> None:
    assert join_lines(clean(source)).text == joined
