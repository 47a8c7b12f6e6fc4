"""Legacy Vietnamese font encodings (TCVN3, VNI) and UTF-8-as-cp1252 mojibake."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata

import pytest

from ingest.legacy import (
    convert_legacy,
    detect_legacy,
    encode_legacy,
    has_mojibake_residue,
    looks_like_mojibake,
    looks_vietnamese,
    repair_legacy,
    repair_mojibake,
)


def nfd(s: str) -> str:
    return unicodedata.normalize("NFD", s)


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def mojibake(text: str) -> str:
    """UTF-8 bytes shown as Windows-1252 (Latin-1 for its five unused bytes)."""
    out = []
    for b in text.encode("utf-8"):
        try:
            out.append(bytes([b]).decode("cp1252"))
        except UnicodeDecodeError:
            out.append(chr(b))
    return "".join(out)


# Sentences written for these tests (administrative style, not from any document).
# TCVN3 cannot tell "Ủ" from "ủ" outside words set in capitals, so title-case
# words with a toned capital are kept for the VNI-only rows.
SENTENCES = [
    "Chỉ thị về việc tăng cường công tác quản lý văn bản",
    "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Các sở, ngành báo cáo kết quả thực hiện trước ngày 15 tháng 12 năm 2024.",
    "Giao Văn phòng theo dõi, đôn đốc; tổng hợp những khó khăn, vướng mắc.",
    "Người đứng đầu cơ quan chịu trách nhiệm về tiến độ triển khai.",
    "QUYẾT ĐỊNH\nVề việc ban hành quy chế phối hợp",
    "Sửa đổi, bổ sung một số điều; bãi bỏ khoản 3 Điều 7.",
    "ăn ằ ẳ ẵ ắ ặ â ầ ẩ ẫ ấ ậ ê ề ể ễ ế ệ ô ồ ổ ỗ ố ộ ơ ờ ở ỡ ớ ợ ư ừ ử ữ ứ ự",
    "à ả ã á ạ è ẻ ẽ é ẹ ì ỉ ĩ í ị ò ỏ õ ó ọ ù ủ ũ ú ụ ỳ ỷ ỹ ý ỵ đ Đ",
]
VNI_ONLY = [
    "Ủy ban nhân dân tỉnh; Ấp Bắc; Ở đây; Ông Ước",
    "Ả Ạ Ặ Ậ Ẻ Ẽ Ẹ Ệ Ỉ Ĩ Ị Ỏ Ọ Ộ Ờ Ở Ỡ Ớ Ợ Ủ Ũ Ụ Ừ Ử Ữ Ứ Ự Ỳ Ỷ Ỹ Ỵ",
]


@pytest.mark.parametrize("form", [nfc, nfd], ids=["nfc", "nfd"])
@pytest.mark.parametrize(
    ("encoding", "sentence"),
    [("tcvn3", s) for s in SENTENCES] + [("vni", s) for s in SENTENCES + VNI_ONLY],
)
def test_round_trip(encoding: str, sentence: str, form: object) -> None:
    legacy = encode_legacy(form(sentence), encoding)  # type: ignore[operator]
    legacy.encode("latin-1")  # a real 8-bit file can hold it
    assert legacy != sentence
    assert convert_legacy(legacy, encoding) == nfc(sentence)


def _all_vowels() -> list[str]:
    tones = ["", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"]
    return [nfc(v + t) for v in "aăâeêioôơuưy" for t in tones]


@pytest.mark.parametrize("letter", [*_all_vowels(), "đ"])
def test_every_letter_round_trips(letter: str) -> None:
    for encoding in ("tcvn3", "vni"):
        assert convert_legacy(encode_legacy(letter, encoding), encoding) == letter
    assert convert_legacy(encode_legacy(letter.upper(), "vni"), "vni") == letter.upper()
    # TCVN3 capitals with a tone come back as capitals inside a word in capitals.
    word = f"TR{letter.upper()}NG"
    assert convert_legacy(encode_legacy(word, "tcvn3"), "tcvn3") == word


@pytest.mark.parametrize(
    ("legacy", "encoding", "expected"),
    [
        # TCVN3 (.VnTime) read as Latin-1.
        ("Uû ban nh©n d©n", "tcvn3", "Uỷ ban nhân dân"),
        ("Céng hoµ x· héi chñ nghÜa ViÖt Nam", "tcvn3", "Cộng hoà xã hội chủ nghĩa Việt Nam"),
        ("ChØ thÞ cña Ban BÝ th­", "tcvn3", "Chỉ thị của Ban Bí thư"),
        ("QuyÕt ®Þnh sè 12", "tcvn3", "Quyết định số 12"),
        ("§¶ng bé tØnh", "tcvn3", "Đảng bộ tỉnh"),
        ("®­îc giao", "tcvn3", "được giao"),
        # Capitals font: lower-case codes inside words set in capitals.
        ("CéNG HOµ X· HéI", "tcvn3", "CỘNG HOÀ XÃ HỘI"),
        ("Bé T¦ PH¸P", "tcvn3", "BỘ TƯ PHÁP"),
        # VN1 upper-case positions of the full standard.
        ("\x80 \xc0 \xff", "tcvn3", "À Ắ Ố"),
        # VNI (VNI-Times) read as Latin-1.
        ("UÛy ban nhaân daân", "vni", "Ủy ban nhân dân"),
        ("Coäng hoøa", "vni", "Cộng hòa"),
        ("Quyeát ñònh soá 12", "vni", "Quyết định số 12"),
        ("Chæ thò cuûa Ban Bí thö", "vni", "Chỉ thị của Ban Bí thư"),
        ("ñöôïc giao", "vni", "được giao"),
        ("COÄNG HOØA XAÕ HOÄI", "vni", "CỘNG HÒA XÃ HỘI"),
        ("Ñaûng boä tænh", "vni", "Đảng bộ tỉnh"),
        # A mark byte after a consonant is not a mark: kept as it is.
        ("nù", "vni", "nù"),
    ],
)
def test_literal_legacy_strings(legacy: str, encoding: str, expected: str) -> None:
    assert convert_legacy(legacy, encoding) == expected


def test_unicode_is_kept_by_conversion() -> None:
    assert convert_legacy("Việt ©", "tcvn3") == "Việt â"
    assert convert_legacy("ệ", "vni") == "ệ"


def test_unknown_encoding_name() -> None:
    with pytest.raises(ValueError, match="unknown legacy encoding"):
        convert_legacy("x", "viscii")
    with pytest.raises(ValueError, match="unknown legacy encoding"):
        encode_legacy("x", "viscii")


@pytest.mark.skipif(shutil.which("iconv") is None, reason="needs the iconv program")
def test_tcvn3_chart_matches_iconv() -> None:
    """Cross-check the chart (0x80–0xFF) with glibc's TCVN5712-1 decoder."""
    codes = [b for b in range(0x80, 0x100) if b != 0xA0]
    raw = b"\n".join(bytes([b]) for b in codes)  # one per line: no capitals context
    run = subprocess.run(
        ["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"], input=raw, capture_output=True, check=False
    )
    if run.returncode != 0:
        pytest.skip("iconv has no TCVN5712-1 decoder here")
    ours = convert_legacy(raw.decode("latin-1"), "tcvn3").split("\n")
    theirs = run.stdout.decode("utf-8").split("\n")
    assert [nfc(c) for c in ours] == [nfc(c) for c in theirs]


TCVN3_TEXT = encode_legacy("\n".join(SENTENCES[:8]), "tcvn3")
VNI_TEXT = encode_legacy("\n".join(SENTENCES[:8] + VNI_ONLY[:1]), "vni")
FRENCH = (
    "Où est la gare ? Déjà vu, à côté de l'hôtel ; ça va très bien. "
    "L'élève a reçu « le prix » de l'année, n°5 et 25°C, naïveté, Noël, sûr, où, là."
)
GERMAN = "Größe für schön; Straße über müssen, Bär, Öl, Übung — »Anführung« H²O µm."
PORTUGUESE = "Não são ações; a informação está lá, você também; São Paulo, coração."
VIETNAMESE = " ".join(SENTENCES)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (TCVN3_TEXT, "tcvn3"),
        (VNI_TEXT, "vni"),
        ("Uû ban nh©n d©n", "tcvn3"),
        ("Céng hoµ x· héi chñ nghÜa ViÖt Nam", "tcvn3"),
        ("UÛy ban nhaân daân", "vni"),
        ("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "vni"),
        # No false positives on other languages or on Unicode Vietnamese.
        (FRENCH, None),
        (GERMAN, None),
        (PORTUGUESE, None),
        (VIETNAMESE, None),
        (nfd(VIETNAMESE), None),
        ("Cong hoa xa hoi chu nghia Viet Nam", None),
        ("© 2024 Công ty ®; § 3 Điều 5; «trích dẫn»", None),
        ("", None),
    ],
    ids=lambda v: v[:20] if isinstance(v, str) else str(v),
)
def test_detect_legacy(text: str, expected: str | None) -> None:
    assert detect_legacy(text) == expected


def test_unicode_words_that_convert_to_common_words_are_not_evidence() -> None:
    # Regression: "dùng" read as TCVN3 is "dựng"; Unicode text with a few such
    # words (here "dùng", "cô", "vô", "mét") was one step from passing as legacy.
    text = "Cô dùng thước mét; vô hiệu. Dùng cô."
    assert detect_legacy(text) is None


def test_mixed_document_converts_only_legacy_lines() -> None:
    legacy_line = encode_legacy("Các cơ quan báo cáo kết quả thực hiện của năm", "tcvn3")
    latin1_only = "Cá chép, mèo và gà"  # Unicode Vietnamese with Latin-1 letters only
    text = f"Điều 1. Nội dung\n{legacy_line}\n{latin1_only}\nĐiều 2. Hiệu lực"
    result = repair_legacy(text)
    assert result.encoding == "tcvn3"
    assert result.mixed
    assert result.lines_converted == 1
    assert result.text.split("\n") == [
        "Điều 1. Nội dung",
        "Các cơ quan báo cáo kết quả thực hiện của năm",
        latin1_only,
        "Điều 2. Hiệu lực",
    ]


def test_repair_legacy_leaves_unicode_alone() -> None:
    result = repair_legacy(VIETNAMESE)
    assert (result.text, result.encoding, result.lines_converted) == (VIETNAMESE, None, 0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("c¸c c¬ quan nh©n d©n ®­îc giao ChØ thÞ", True),  # TCVN3 left unconverted
        (convert_legacy("c¸c c¬ quan nh©n d©n ®­îc giao ChØ thÞ", "tcvn3"), False),
        ("H²O n°5 25°C µm", False),
        (FRENCH, False),
        (VIETNAMESE, False),
    ],
)
def test_looks_like_mojibake(text: str, expected: bool) -> None:
    assert looks_like_mojibake(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [(VIETNAMESE, True), (nfd(VIETNAMESE), True), (FRENCH, False), (PORTUGUESE, False)],
)
def test_looks_vietnamese(text: str, expected: bool) -> None:
    assert looks_vietnamese(text) is expected


@pytest.mark.parametrize("form", [nfc, nfd], ids=["nfc", "nfd"])
@pytest.mark.parametrize("sentence", SENTENCES + VNI_ONLY)
def test_repair_mojibake(sentence: str, form: object) -> None:
    original = form(sentence)  # type: ignore[operator]
    repaired, n = repair_mojibake(mojibake(original))
    assert repaired == original
    assert n > 0
    assert has_mojibake_residue(repaired) == 0


@pytest.mark.parametrize(
    "text",
    [
        "“NGÃ” là một dấu thanh",  # Ã followed by a quote is a real letter here
        "café, naïve, Ã©",  # one lone sequence is not enough evidence
        VIETNAMESE,
        FRENCH,
    ],
)
def test_repair_mojibake_leaves_real_text(text: str) -> None:
    assert repair_mojibake(text) == (text, 0)


def test_repair_uses_cp1252_byte_values_not_glyph_positions() -> None:
    # Regression: "‰" is byte 0x89; indexing a glyph string that skips the five
    # unused cp1252 bytes turned "ỉ" (E1 BB 89) into "Ỉ".
    assert repair_mojibake("Chá»‰ thá»‹") == ("Chỉ thị", 2)


def test_mojibake_residue_is_counted() -> None:
    damaged = mojibake("về việc").replace("\x81", "?")  # byte 0x81 lost on the way
    repaired, _ = repair_mojibake(damaged)
    assert has_mojibake_residue(repaired) >= 1
