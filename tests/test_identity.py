"""Identity keys are the basis of graph IRIs: these literal values must never drift."""

from __future__ import annotations

import hashlib
import unicodedata

import pytest

from ingest.identity import (
    anon_key,
    anonymous_key,
    base_key,
    document_key,
    law_key,
    match_base,
)
from ingest.symbols import parse_symbol

# (symbol as written, year beside it, type word slug, pinned key)
PINNED = [
    ("33/CT-TTg", 2021, "chi-thi", "33/CT-TTG@2021"),
    ("03-CTr/BDVTW-BCSĐCP", 2021, "chuong-trinh", "03-CTR/BDVTW-BCSDCP@2021"),
    ("03-CTr/BDVTW-BCSDCP", 2021, "chuong-trinh", "03-CTR/BDVTW-BCSDCP@2021"),
    ("28/2018/QĐ-TTg", None, "quyet-dinh", "28/2018/QD-TTG@2018"),  # year from the symbol
    ("205-QĐ/TW", 2019, "quy-dinh", "205-QDI/TW@2019"),  # Party Quy định: QĐ → QĐi
    ("08-QĐi/TW", 2021, "quy-dinh", "08-QDI/TW@2021"),
    ("12/QĐi-UBND", 2020, "quy-dinh", "12/QYD-UBND@2020"),  # state Quy định: QyĐ
    ("25/NQ-TW", 2013, "nghi-quyet", "25-NQ/TW@2013"),  # state form of a Party symbol
    ("1432/BNV-CTTN", 2023, "cong-van", "1432/BNV-CTTN@2023"),
    ("10/2022/QH15", None, "luat", "10/2022/QH15@2022"),
    ("5/CT-TTg", 2024, None, "05/CT-TTG@2024"),
    ("30c/SNV.XDCQ&CTTN", 2024, None, "30C/SNV.XDCQ&CTTN@2024"),
    ("25-NQ/TW", None, "nghi-quyet", "25-NQ/TW"),  # no year known: no "@year"
    ("03-CTr/BDVTW-BCSĐCP", 2021, "ke-hoach", "03-CTR/BDVTW-BCSDCP@2021"),  # loose word
]


@pytest.mark.parametrize(("raw", "year", "slug", "key"), PINNED)
def test_pinned_document_keys(raw: str, year: int | None, slug: str | None, key: str) -> None:
    parts = parse_symbol(raw)
    assert parts is not None
    assert document_key(parts, year, doc_type=slug) == key


@pytest.mark.parametrize(("raw", "year", "slug", "key"), PINNED)
def test_pinned_document_keys_nfd(raw: str, year: int | None, slug: str | None, key: str) -> None:
    parts = parse_symbol(unicodedata.normalize("NFD", raw))
    assert parts is not None
    assert document_key(parts, year, doc_type=slug) == key


LAWS = [
    ("Luật Thực hiện dân chủ ở cơ sở", 2022, "LUAT:luat-thuc-hien-dan-chu-o-co-so@2022"),
    ("Hiến pháp", 2013, "LUAT:hien-phap@2013"),
    ("Bộ luật Lao động", 2019, "LUAT:bo-luat-lao-dong@2019"),
    ("Luật Phòng, chống tham nhũng", 2018, "LUAT:luat-phong-chong-tham-nhung@2018"),
    ("Luật Đất đai", None, "LUAT:luat-dat-dai"),
]


@pytest.mark.parametrize(("name", "year", "key"), LAWS)
def test_law_keys(name: str, year: int | None, key: str) -> None:
    assert law_key(name, year) == key
    assert document_key(None, year, name=name) == key
    assert law_key(unicodedata.normalize("NFD", name), year) == key


def test_anon_key_is_a_hash_of_nfc_text() -> None:
    text = "BÁO CÁO\nKết quả thực hiện"
    expected = "ANON:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    assert anon_key(text) == expected
    assert anon_key(unicodedata.normalize("NFD", text)) == expected
    assert document_key(None, None, text=text) == expected
    assert anonymous_key(text) == expected
    assert anon_key("") == "ANON:e3b0c44298fc1c14"  # pinned: sha256 of nothing


def test_document_key_needs_something() -> None:
    with pytest.raises(ValueError, match="symbol, a name or the document text"):
        document_key(None, 2021)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("205-QĐ/TW", "205-QĐi/TW"),
        ("03-CTr/BDVTW-BCSĐCP", "03-CTr/BDVTW-BCSDCP"),
        ("18/NQ-TW", "18-NQ/TW"),
    ],
)
def test_match_base_merges_written_variants(a: str, b: str) -> None:
    pa, pb = parse_symbol(a), parse_symbol(b)
    assert pa is not None and pb is not None
    assert match_base(pa) == match_base(pb)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("217-QĐ/TW", "217-CT/TW"),  # different types never merge
        ("217-QĐ/TW", "217-QĐ/TU"),  # different issuers never merge
        ("25-NQ/TW", "25/NQ-CP"),
    ],
)
def test_match_base_keeps_documents_apart(a: str, b: str) -> None:
    pa, pb = parse_symbol(a), parse_symbol(b)
    assert pa is not None and pb is not None
    assert match_base(pa) != match_base(pb)


def test_canonical_symbol_keeps_d_and_dj_apart() -> None:
    # Đề án (ĐA) and Dự án (DA): folding would merge them, so the canonical symbol
    # keeps what was written (notes §9.3); the key folds, as it must.
    pa, pb = parse_symbol("12/ĐA-UBND"), parse_symbol("12/DA-UBND")
    assert pa is not None and pb is not None
    assert (pa.canonical, pb.canonical) == ("12/ĐA-UBND", "12/DA-UBND")


def test_base_key() -> None:
    assert base_key("33/CT-TTG@2021") == "33/CT-TTG"
    assert base_key("33/CT-TTG") == "33/CT-TTG"
