"""Properties that hold for any text: no crash, spans quote the source, same output twice."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.citations import extract_citations
from ingest.clean import clean
from ingest.dates import find_dates, parse_date
from ingest.symbols import canonical_symbol, find_symbols

# Pieces that make the extractor work hard: type words, "số", symbols' parts, dates,
# Vietnamese letters (NFC and NFD), separators, footnote markup and line breaks.
PIECES = [
    "Chỉ thị",
    "Nghị quyết",
    "Quyết \nđịnh",
    "Kết luận",
    "Luật",
    "Hiến pháp",
    "năm",
    "ngày",
    "tháng",
    "số",
    "Số:",
    "của",
    "về",
    "Bộ Chính trị",
    "Thực hiện",
    "thay thế",
    "sửa đổi, bổ sung",
    "tiếp tục thực hiện",
    "Kèm theo",
    "(",
    ")",
    "“",
    "”",
    "25",
    "33",
    "2021",
    "26/11/2021",
    "03 / 04 /2023",
    "-",
    "/",
    ".",
    ",",
    ";",
    "\n",
    "\n\n",
    "\t",
    " ",
    "NQ",
    "CT",
    "QĐ",
    "TW",
    "TTg",
    "UBND",
    "BCSĐCP",
    "Đ",
    "đ",
    "<sup>3</sup>",
    "¹",
    "\u2013",
    "\u00a0",
    unicodedata.normalize("NFD", "Quyết định số"),
    "Ủy ban",
    "ở cơ sở",
]

texts = st.one_of(
    st.lists(st.sampled_from(PIECES), max_size=40).map("".join),
    st.text(alphabet=st.sampled_from(list("0123456789/-.,: \n\tNQCTĐđTWKLsốngàyếệ")), max_size=80),
    st.text(max_size=60),
)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_extraction_never_raises_and_spans_quote_source(source: str) -> None:
    result = extract_citations(clean(source))
    for c in result.citations:
        assert 0 <= c.span.start <= c.span.end <= len(source)
        assert source[c.span.start : c.span.end] == c.span.text
        assert c.key
    for r in result.relations:
        assert source[r.span.start : r.span.end] == r.span.text


@settings(max_examples=150, deadline=None)
@given(texts)
def test_extraction_is_deterministic(source: str) -> None:
    mt = clean(source)
    assert extract_citations(mt) == extract_citations(mt)


@settings(max_examples=150, deadline=None)
@given(texts, st.integers(min_value=0, max_value=200), st.integers(min_value=0, max_value=200))
def test_any_range_is_safe(source: str, a: int, b: int) -> None:
    mt = clean(source)
    for c in extract_citations(mt, min(a, b), max(a, b)).citations:
        assert source[c.span.start : c.span.end] == c.span.text


@settings(max_examples=200, deadline=None)
@given(texts)
def test_symbols_and_dates_never_raise(source: str) -> None:
    for s, e, parts in find_symbols(source):
        assert 0 <= s < e <= len(source)
        assert canonical_symbol(parts.canonical) == parts.canonical  # canonical is a fixpoint
    for s, e, d in find_dates(source):
        assert parse_date(source[s:e]) == d
    parse_date(source)
