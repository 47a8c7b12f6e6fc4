"""Legacy Vietnamese 8-bit font encodings (TCVN3/ABC, VNI) and cp1252 mojibake.

Before Unicode, Vietnamese documents were typed with 8-bit "font encodings":
the bytes are ordinary Windows/Latin-1 bytes, the font draws them as
Vietnamese letters. Read as Latin-1 they look like ``"Uû ban nh©n d©n"``
(TCVN3, fonts ``.VnTime``) or ``"UÛy ban nhaân daân"`` (VNI, fonts
``VNI-Times``). This module detects both, converts them to Unicode, and
repairs UTF-8 text that was decoded as Windows-1252 (``"Chá»‰ thá»‹"``).

Conventions:

* Input is *text*: each character below U+0100 stands for the byte of the
  same value (Latin-1 reading). Characters at or above U+0100 are kept as they
  are, so conversion never destroys Unicode that is already correct.
* TCVN3 (TCVN 5712:1993 VN3) has precomposed lower-case letters only, plus
  Ă Â Ê Ô Ơ Ư Đ; upper-case letters with a tone were typed with the
  lower-case code in a separate capitals font (``.VnTimeH``). Conversion gives
  lower case and then restores capitals inside words and lines written in
  capitals. The VN1 upper-case positions of the full standard are decoded too.
* VNI writes a base letter followed by one "mark" byte (tone, or shape +
  tone), e.g. ``a`` + ``ù`` → ``á``, ``o`` + ``ä`` → ``ộ``.

The charts below are data written from the published code charts; the tests
check them by round trip and against known literal strings.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cache

import regex

__all__ = [
    "LEGACY_ENCODINGS",
    "LegacyRepair",
    "convert_legacy",
    "detect_legacy",
    "encode_legacy",
    "has_mojibake_residue",
    "looks_like_mojibake",
    "looks_vietnamese",
    "repair_legacy",
    "repair_mojibake",
]

LEGACY_ENCODINGS = ("tcvn3", "vni")

# Combining marks used to build letters from the charts.
_GRAVE, _HOOK, _TILDE, _ACUTE, _DOT = "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"
_CIRC, _BREVE, _HORN = "\u0302", "\u0306", "\u031b"
# Tone order of the TCVN charts' columns.
_TCVN_TONES = ("", _GRAVE, _HOOK, _TILDE, _ACUTE, _DOT)

# TCVN 5712:1993 chart, lower case (VN3 = what .VnTime fonts use).
# Row: base letter, then the byte for: no tone, grave, hook, tilde, acute, dot below.
# ``None``: the letter is plain ASCII (or has no code).
_TCVN3_LOWER: tuple[tuple[str, tuple[int | None, ...]], ...] = (
    ("a", (None, 0xB5, 0xB6, 0xB7, 0xB8, 0xB9)),
    ("ă", (0xA8, 0xBB, 0xBC, 0xBD, 0xBE, 0xC6)),
    ("â", (0xA9, 0xC7, 0xC8, 0xC9, 0xCA, 0xCB)),
    ("e", (None, 0xCC, 0xCE, 0xCF, 0xD0, 0xD1)),
    ("ê", (0xAA, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6)),
    ("i", (None, 0xD7, 0xD8, 0xDC, 0xDD, 0xDE)),
    ("o", (None, 0xDF, 0xE1, 0xE2, 0xE3, 0xE4)),
    ("ô", (0xAB, 0xE5, 0xE6, 0xE7, 0xE8, 0xE9)),
    ("ơ", (0xAC, 0xEA, 0xEB, 0xEC, 0xED, 0xEE)),
    ("u", (None, 0xEF, 0xF1, 0xF2, 0xF3, 0xF4)),
    ("ư", (0xAD, 0xF5, 0xF6, 0xF7, 0xF8, 0xF9)),
    ("y", (None, 0xFA, 0xFB, 0xFC, 0xFD, 0xFE)),
    ("đ", (0xAE, None, None, None, None, None)),
)
# Same chart, upper case. VN3 has only the untoned Ă Â Ê Ô Ơ Ư Đ (0xA1–0xA7);
# the other codes are VN1 positions (full standard), decoded but never written.
_TCVN3_UPPER: tuple[tuple[str, tuple[int | None, ...]], ...] = (
    ("A", (None, 0x80, 0x81, 0x82, 0x83, 0x84)),
    ("Ă", (0xA1, 0xAF, 0xBA, 0xBF, 0xC0, 0x85)),
    ("Â", (0xA2, 0xC1, 0xC2, 0xC3, 0xC4, 0x86)),
    ("E", (None, 0x87, 0x88, 0x89, 0x8A, 0x8B)),
    ("Ê", (0xA3, 0xC5, 0xCD, 0xD9, 0xDA, 0x8C)),
    ("I", (None, 0x8D, 0x8E, 0x8F, 0x90, 0x91)),
    ("O", (None, 0x92, 0x93, 0x94, 0x95, 0x96)),
    ("Ô", (0xA4, 0xDB, 0xE0, 0xF0, 0xFF, 0x97)),
    ("Ơ", (0xA5, 0x98, 0x99, 0x9A, 0x9B, 0x9C)),
    ("U", (None, 0x9D, 0x9E, 0x9F, 0x01, 0x02)),
    ("Ư", (0xA6, 0x04, 0x05, 0x06, 0x11, 0x12)),
    ("Y", (None, 0x13, 0x14, 0x15, 0x16, 0x17)),
    ("Đ", (0xA7, None, None, None, None, None)),
)
# VN1 also places the five tone marks alone at 0xB0–0xB4 (combining).
_TCVN3_MARKS = {0xB0: _GRAVE, 0xB1: _HOOK, 0xB2: _TILDE, 0xB3: _ACUTE, 0xB4: _DOT}

# VNI-Windows, lower case. Mark bytes follow a vowel: (shape mark, tone mark).
_VNI_MARKS_LOWER = {
    "ø": ("", _GRAVE),
    "ù": ("", _ACUTE),
    "û": ("", _HOOK),
    "õ": ("", _TILDE),
    "ï": ("", _DOT),
    "â": (_CIRC, ""),
    "à": (_CIRC, _GRAVE),
    "á": (_CIRC, _ACUTE),
    "å": (_CIRC, _HOOK),
    "ã": (_CIRC, _TILDE),
    "ä": (_CIRC, _DOT),
    "ê": (_BREVE, ""),
    "è": (_BREVE, _GRAVE),
    "é": (_BREVE, _ACUTE),
    "ú": (_BREVE, _HOOK),
    "ü": (_BREVE, _TILDE),
    "ë": (_BREVE, _DOT),
}
# VNI letters that take one byte: ơ ư đ, the toned i's and ỵ.
_VNI_LETTERS_LOWER = {
    "ô": "ơ",
    "ö": "ư",
    "ñ": "đ",
    "ì": "ì",
    "í": "í",
    "æ": "ỉ",
    "ó": "ĩ",
    "ò": "ị",
    "î": "ỵ",
}
# VNI upper-case bytes sit 0x20 below the lower-case ones (Latin-1 layout).
_VNI_CASE_OFFSET = 0x20

# Vowels that carry tones in Vietnamese (NFC, lower case) and which shape
# marks each plain vowel accepts (circumflex: a e o; breve: a; horn: o u).
_VOWELS = "aăâeêioôơuưy"
_SHAPES = {"a": (_CIRC, _BREVE), "e": (_CIRC,), "o": (_CIRC, _HORN), "u": (_HORN,)}


# Common words of Vietnamese administrative prose (NFC, lower case), both tone
# placements where usage varies (hoà/hòa, uỷ/ủy). A converted token that lands
# on one of these is evidence of a legacy encoding; ASCII words are useless here.
_COMMON_WORDS_TEXT = """
của các và là được năm người những với này để có không đã đến theo từ về một
hội việt nhân dân đảng chỉ thị quyết định nghị thông tư công văn bản số ngày
tháng ủy uỷ chính phủ tỉnh huyện xã thành phố bộ trưởng thủ tướng cộng hòa hoà
chủ nghĩa độc lập tự hạnh phúc thực hiện triển báo cáo kết quả tình hình kế
hoạch chương trình phát kinh tế xây dựng quản lý lí cơ đơn vị cấp tổ chức cán
đồng chí ương hành điều khoản luật pháp quy hướng dẫn tăng cường lãnh đạo bảo
đảm yêu cầu nhiệm vụ giải sở ngành địa phương trên dưới sau trước đối tượng nội
thời gian hạn gửi nơi nhận ký kí tên giám đốc phó tịch đề án mục tiêu riêng
việc nhà nước quốc gia môi trường giáo dục văn hóa hoá thể an ninh phòng đại
biểu họp ý kiến như nhất bốn sáu bảy tám chín mười tại vào lên còn mà thì nên
phải sẽ đang cũng rất nhiều hơn tất cả mọi mỗi từng toàn tiếp tục nâng hiệu
lực tuyên truyền kiểm giá tổng sơ rà soát hà nội sự nghiệp đoàn viên cương
"""


# Real Unicode Vietnamese words spelt with Latin-1 letters only that a legacy
# chart would turn into one of the common words above ("dùng" → TCVN3 "dựng",
# "cô" → VNI "cơ"). Found by converting generated syllables; they are never
# taken as evidence, so Unicode text cannot pass for legacy text.
_LATIN1_WORDS_TEXT = "bé bèn còng cô dùng hôn mét nôi sô tà tàng thò tù vò vô"


@dataclass(frozen=True, slots=True)
class LegacyRepair:
    """Result of :func:`repair_legacy`.

    Attributes:
        text: the text, converted where a legacy encoding was found.
        encoding: ``"tcvn3"``, ``"vni"`` or ``None`` when nothing was converted.
        lines_converted: number of lines that were converted.
        mixed: True when only some lines were legacy (the rest already Unicode).
    """

    text: str
    encoding: str | None
    lines_converted: int = 0
    mixed: bool = False


@dataclass(frozen=True, slots=True)
class _Score:
    hits: int  # candidate tokens that convert to a common Vietnamese word
    candidates: int  # tokens that contain a Latin-1 character and could be legacy


# --------------------------------------------------------------------------
# Tables (built once, on first use)
# --------------------------------------------------------------------------


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


@cache
def _tcvn3_decode() -> dict[str, tuple[str, bool]]:
    """Byte character → (Unicode letter, True if the code is lower case only)."""
    table: dict[str, tuple[str, bool]] = {}
    for rows, lower in ((_TCVN3_UPPER, False), (_TCVN3_LOWER, True)):
        for base, codes in rows:
            for tone, code in zip(_TCVN_TONES, codes, strict=True):
                if code is not None:
                    table[chr(code)] = (_nfc(base + tone), lower)
    for code, mark in _TCVN3_MARKS.items():
        table[chr(code)] = (mark, False)
    return table


@cache
def _tcvn3_encode() -> dict[str, str]:
    """Unicode letter → byte character, VN3 convention (toned capitals → lower code)."""
    table: dict[str, str] = {}
    for base, codes in _TCVN3_LOWER:
        for tone, code in zip(_TCVN_TONES, codes, strict=True):
            if code is not None:
                letter = _nfc(base + tone)
                table[letter] = chr(code)
                table.setdefault(letter.upper(), chr(code))
    for base, codes in _TCVN3_UPPER:
        if codes[0] is not None and 0xA1 <= codes[0] <= 0xA7:
            table[base] = chr(codes[0])
    return table


@cache
def _vni_marks() -> dict[str, tuple[str, str]]:
    marks = dict(_VNI_MARKS_LOWER)
    marks.update({chr(ord(k) - _VNI_CASE_OFFSET): v for k, v in _VNI_MARKS_LOWER.items()})
    return marks


@cache
def _vni_letters() -> dict[str, str]:
    letters = dict(_VNI_LETTERS_LOWER)
    letters.update(
        {chr(ord(k) - _VNI_CASE_OFFSET): v.upper() for k, v in _VNI_LETTERS_LOWER.items()}
    )
    return letters


@cache
def _vni_encode_marks() -> dict[tuple[str, str, bool], str]:
    """(shape, tone, upper) → VNI mark byte character."""
    out: dict[tuple[str, str, bool], str] = {}
    for ch, (shape, tone) in _VNI_MARKS_LOWER.items():
        out[(shape, tone, False)] = ch
        out[(shape, tone, True)] = chr(ord(ch) - _VNI_CASE_OFFSET)
    return out


@cache
def _vietnamese_vowels() -> frozenset[str]:
    """Every Vietnamese vowel letter with or without tone, both cases (NFC)."""
    letters = {_nfc(v + t) for v in _VOWELS for t in _TCVN_TONES}
    return frozenset(letters | {c.upper() for c in letters})


@cache
def _common_words() -> frozenset[str]:
    return frozenset(_nfc(w) for w in _COMMON_WORDS_TEXT.split())


@cache
def _not_evidence() -> frozenset[str]:
    """Unicode words that are never candidates for legacy text."""
    return _common_words() | frozenset(_nfc(w) for w in _LATIN1_WORDS_TEXT.split())


@cache
def _patterns() -> dict[str, regex.Pattern[str]]:
    latin1_sym = "\u00a1-\u00bf\u00d7\u00f7"
    c1 = "\u0080-\u009f"
    return {
        # A token: letters, marks, digits and any Latin-1 character except NBSP
        # (legacy letters are Latin-1 *symbols* such as "©", "¸", "§").
        "token": regex.compile(r"[\p{L}\p{M}\p{N}\u0080-\u009f\u00a1-\u00ff]+"),
        # Characters that only exist in Unicode Vietnamese (not in Latin-1 nor
        # in the cp1252 extras): a line with one of them is already Unicode.
        "modern": regex.compile(
            r"[\u0100-\u024f\u0300-\u036f\u1e00-\u1eff--[\u0152\u0153\u0160\u0161\u0178"
            r"\u017d\u017e\u0192]]",
            regex.V1,
        ),
        # A Latin-1 symbol or C1 control glued between two letters: a letter
        # that some 8-bit font drew, left unconverted ("c¸c", "nh©n").
        "glued": regex.compile(rf"(?<=\p{{L}})[{latin1_sym}{c1}]+(?=\p{{L}})"),
        "line": regex.compile(r"[^\n]*\n?"),
        "word": regex.compile(r"[\p{L}\p{M}]+"),
    }


# --------------------------------------------------------------------------
# Conversion
# --------------------------------------------------------------------------


def convert_legacy(text: str, encoding: str) -> str:
    """Convert text in a legacy Vietnamese font encoding to Unicode.

    Args:
        text: the text as read with Latin-1 (each character below U+0100 is
            one byte); other characters are kept unchanged.
        encoding: ``"tcvn3"`` or ``"vni"``.

    Returns:
        The Unicode text (precomposed letters), one character per letter;
        same line structure.

    Raises:
        ValueError: for an unknown encoding name.

    Example:
        >>> convert_legacy("Uû ban nh©n d©n", "tcvn3")
        'Uỷ ban nhân dân'
        >>> convert_legacy("Coäng hoøa", "vni")
        'Cộng hòa'
    """
    if encoding == "tcvn3":
        return _convert_tcvn3(text)
    if encoding == "vni":
        return _convert_vni(text)
    raise ValueError(f"unknown legacy encoding {encoding!r}; expected one of {LEGACY_ENCODINGS}")


def _convert_tcvn3(text: str) -> str:
    table = _tcvn3_decode()
    chars: list[str] = []
    ambiguous: list[bool] = []  # lower-case-only codes whose case is unknown
    for c in text:
        hit = table.get(c)
        chars.append(hit[0] if hit else c)
        ambiguous.append(bool(hit and hit[1] and hit[0].isalpha()))
    _restore_capitals(chars, ambiguous)
    return "".join(chars)


def _restore_capitals(chars: list[str], ambiguous: list[bool]) -> None:
    """Upper-case lower-only TCVN3 letters inside words and lines set in capitals.

    A word whose other letters (at least two) are all capitals, or a line
    whose unambiguous letters (at least four) are all capitals, was typed in
    the capitals font: "CéNG HOµ" → "CỘNG HOÀ". Title case ("Uû ban") is
    left alone: the capitals font was not used there.
    """
    line_start = 0
    n = len(chars)
    for i in range(n + 1):
        if i == n or chars[i] == "\n":
            _restore_range(chars, ambiguous, line_start, i, min_known=4)
            line_start = i + 1
    word_start = None
    for i in range(n + 1):
        is_letter = i < n and chars[i].isalpha()
        if is_letter and word_start is None:
            word_start = i
        elif not is_letter and word_start is not None:
            _restore_range(chars, ambiguous, word_start, i, min_known=2)
            word_start = None


def _restore_range(
    chars: list[str], ambiguous: list[bool], start: int, end: int, *, min_known: int
) -> None:
    known = [chars[k] for k in range(start, end) if not ambiguous[k] and chars[k].isalpha()]
    if len(known) < min_known or not all(c.isupper() for c in known):
        return
    for k in range(start, end):
        if ambiguous[k]:
            chars[k] = chars[k].upper()
            ambiguous[k] = False


def _convert_vni(text: str) -> str:
    marks, letters = _vni_marks(), _vni_letters()
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        cur = letters.get(text[i], text[i])
        i += 1
        if cur in _vietnamese_vowels():
            while i < n and text[i] in marks:
                combined = _add_marks(cur, *marks[text[i]])
                if combined is None:
                    break
                cur, i = combined, i + 1
        out.append(cur)
    return "".join(out)


def _add_marks(letter: str, shape: str, tone: str) -> str | None:
    """Add a shape and/or tone mark to a Vietnamese vowel; None if not a letter."""
    parts = unicodedata.normalize("NFD", letter)
    base, have = parts[0], parts[1:]
    have_shape = "".join(m for m in have if m in (_CIRC, _BREVE, _HORN))
    have_tone = "".join(m for m in have if m not in (_CIRC, _BREVE, _HORN))
    if (shape and have_shape) or (tone and have_tone):
        return None
    if shape and shape not in _SHAPES.get(base.lower(), ()):
        return None
    result = _nfc(base + (shape or have_shape) + (tone or have_tone))
    return result if result in _vietnamese_vowels() else None


def encode_legacy(text: str, encoding: str) -> str:
    """Write Unicode Vietnamese in a legacy encoding, as Latin-1 characters.

    The inverse of :func:`convert_legacy` (``.encode("latin-1")`` gives the
    file bytes). TCVN3 follows the VN3 convention: capitals with a tone are
    written with the lower-case code. Characters with no code are kept.

    Args:
        text: Unicode text (NFC or NFD).
        encoding: ``"tcvn3"`` or ``"vni"``.

    Returns:
        The legacy text.

    Raises:
        ValueError: for an unknown encoding name.

    Example:
        >>> encode_legacy("Cộng hòa", "vni")
        'Coäng hoøa'
    """
    text = _nfc(text)
    if encoding == "tcvn3":
        table = _tcvn3_encode()
        return "".join(table.get(c, c) for c in text)
    if encoding == "vni":
        return "".join(_encode_vni_char(c) for c in text)
    raise ValueError(f"unknown legacy encoding {encoding!r}; expected one of {LEGACY_ENCODINGS}")


@cache
def _vni_singles() -> dict[str, str]:
    """Unicode letter → VNI single byte (đ, toned i, ỵ); ơ ư take marks, so not here."""
    return {v: k for k, v in _vni_letters().items() if v not in ("ơ", "ư", "Ơ", "Ư")}


def _encode_vni_char(c: str) -> str:
    singles = _vni_singles()
    if c in singles:
        return singles[c]
    if c not in _vietnamese_vowels():
        return c
    parts = unicodedata.normalize("NFD", c)
    base, marks = parts[0], parts[1:]
    upper = base.isupper()
    if _HORN in marks:  # ơ ư are single bytes in VNI
        base = {"o": "ô", "u": "ö"}[base.lower()]
        base = chr(ord(base) - _VNI_CASE_OFFSET) if upper else base
    shape = "".join(m for m in marks if m in (_CIRC, _BREVE))
    tone = "".join(m for m in marks if m not in (_CIRC, _BREVE, _HORN))
    if not shape and not tone:
        return base
    return base + _vni_encode_marks()[(shape, tone, upper)]


# --------------------------------------------------------------------------
# Detection
# --------------------------------------------------------------------------

# Detection needs at least this many tokens that become common words ...
_MIN_HITS = 2
# ... and they must be this share of the tokens that could be legacy at all.
_MIN_HIT_RATIO = 0.15


def _token_counts(text: str) -> Counter[str]:
    """Tokens with their counts: each distinct token is then judged once."""
    return Counter(_patterns()["token"].findall(text))


def _is_candidate(tok: str) -> bool:
    """Only ASCII/Latin-1 characters, at least one non-ASCII, and not already
    a common Unicode Vietnamese word."""
    return not (
        tok.isascii() or _patterns()["modern"].search(tok) or _nfc(tok.lower()) in _not_evidence()
    )


def _score(counts: Counter[str], encoding: str) -> _Score:
    common = _common_words()
    hits = n = 0
    for tok, k in counts.items():
        if _is_candidate(tok):
            n += k
            if _nfc(convert_legacy(tok, encoding).lower()) in common:
                hits += k
    return _Score(hits, n)


def detect_legacy(text: str) -> str | None:
    """Tell whether text is TCVN3 or VNI read as Latin-1 (or cp1252).

    Each token made of Latin-1 characters is converted with both charts; a
    token that becomes a common Vietnamese word ("c¸c" → "các", "cuûa" →
    "của") counts for that encoding. French, German or ordinary Unicode
    Vietnamese produce no such tokens.

    Args:
        text: decoded text.

    Returns:
        ``"tcvn3"``, ``"vni"`` or ``None``.

    Example:
        >>> detect_legacy("Céng hoµ x· héi chñ nghÜa ViÖt Nam")
        'tcvn3'
        >>> detect_legacy("Cộng hòa xã hội chủ nghĩa Việt Nam") is None
        True
    """
    counts = _token_counts(text)
    scores = {enc: _score(counts, enc) for enc in LEGACY_ENCODINGS}
    best = max(LEGACY_ENCODINGS, key=lambda e: scores[e].hits)
    s = scores[best]
    others = [scores[e].hits for e in LEGACY_ENCODINGS if e != best]
    if s.hits < _MIN_HITS or s.hits < _MIN_HIT_RATIO * s.candidates:
        return None
    if any(h >= s.hits for h in others):
        return None
    return best


def repair_legacy(text: str) -> LegacyRepair:
    """Detect and convert legacy-encoded text, protecting Unicode parts.

    When the text holds no Unicode-only Vietnamese letters, all of it is
    converted. Otherwise (a legacy passage pasted into a Unicode document)
    only lines that contain a legacy word and no Unicode-only letter are.

    Args:
        text: decoded text.

    Returns:
        A :class:`LegacyRepair`; ``encoding`` is None when nothing changed.
    """
    encoding = detect_legacy(text)
    if encoding is None:
        return LegacyRepair(text, None)
    p = _patterns()
    lines = [m.group(0) for m in p["line"].finditer(text) if m.group(0)]
    if not p["modern"].search(text):
        return LegacyRepair(convert_legacy(text, encoding), encoding, len(lines))
    out: list[str] = []
    converted = 0
    for line in lines:
        if not p["modern"].search(line) and _score(_token_counts(line), encoding).hits:
            out.append(convert_legacy(line, encoding))
            converted += 1
        else:
            out.append(line)
    return LegacyRepair("".join(out), encoding if converted else None, converted, True)


# Text is taken as Vietnamese when at least this many words with a letter that
# Latin-1 lacks (ă đ ơ ư, ạ, or a tone mark) are common Vietnamese words ...
_VI_MIN_HITS = 2
# ... making up at least this share of the words with such letters.
_VI_MIN_RATIO = 0.15


def looks_vietnamese(text: str) -> bool:
    """True when text reads as Vietnamese (used to accept a Windows-1258 decoding).

    Only words with a letter outside Latin-1 count, so French or Portuguese
    decoded by mistake (where "ã" would become "ă") does not pass.
    """
    common = _common_words()
    hits = total = 0
    for m in _patterns()["word"].finditer(text):
        word = _nfc(m.group(0).lower())
        if any(ord(c) >= 0x100 for c in word):
            total += 1
            hits += word in common
    return hits >= _VI_MIN_HITS and hits >= _VI_MIN_RATIO * total


# A text still looks garbled when at least this many words have a Latin-1
# symbol glued inside ...
_MIN_GLUED = 3
# ... and those words are at least this share of the words with non-ASCII letters.
_MIN_GLUED_RATIO = 0.05


def looks_like_mojibake(text: str) -> bool:
    """True when text still has 8-bit font letters in it ("c¸c", "nh©n").

    Used after decoding and conversion: such text came from an encoding we do
    not know (VISCII, VPS, …) and must not be ingested as if it were readable.
    A stray "H²O" or "n°5" is not enough.
    """
    glued_pattern = _patterns()["glued"]
    glued = non_ascii = 0
    for tok, k in _token_counts(text).items():
        if tok.isascii():
            continue
        non_ascii += k
        if glued_pattern.search(tok):
            glued += k
    return glued >= _MIN_GLUED and glued >= _MIN_GLUED_RATIO * non_ascii


# --------------------------------------------------------------------------
# UTF-8 decoded as Windows-1252 ("Chá»‰ thá»‹")
# --------------------------------------------------------------------------


@cache
def _cp1252_high() -> dict[str, int]:
    """Windows-1252 glyphs of bytes 0x80–0x9F (five bytes have none)."""
    out: dict[str, int] = {}
    for b in range(0x80, 0xA0):
        try:
            out[bytes([b]).decode("cp1252")] = b
        except UnicodeDecodeError:
            continue
    return out


@cache
def _mojibake_patterns() -> dict[str, regex.Pattern[str]]:
    # A character standing for a UTF-8 continuation byte 0x80–0xBF, as
    # Latin-1 or as its cp1252 glyph.
    glyphs = "".join(_cp1252_high())
    cont = f"[\u0080-\u00bf{regex.escape(glyphs)}]"
    return {
        # A UTF-8 lead byte read as Latin-1 and the continuation bytes it needs.
        "seq": regex.compile(
            rf"[\u00c2-\u00df]{cont}|[\u00e0-\u00ef]{cont}{{2}}|[\u00f0-\u00f4]{cont}{{3}}"
        ),
        # Prefixes of every letter in U+1EA0–U+1EFF (E1 BA / E1 BB): never in
        # real text; if one is left after repair, the text is damaged.
        "residue": regex.compile(r"á[»º]"),
    }


def _byte_of(c: str) -> int:
    return _cp1252_high().get(c, ord(c))


def _decode_seq(seq: str) -> str | None:
    try:
        return bytes(_byte_of(c) for c in seq).decode("utf-8")
    except UnicodeDecodeError:
        return None


def _is_plausible(c: str) -> bool:
    cp = ord(c)
    return (
        0xA0 <= cp <= 0x24F
        or 0x300 <= cp <= 0x36F
        or 0x1E00 <= cp <= 0x1EFF
        or 0x2000 <= cp <= 0x206F
        or cp == 0x20AC
    )


def _is_vietnamese_only(c: str) -> bool:
    """Letters only Vietnamese uses, and the marks NFD Vietnamese is made of."""
    return (
        0x1EA0 <= ord(c) <= 0x1EF9
        or c in "ĂăĐđƠơƯưĨĩŨũ"
        or c in (_GRAVE, _HOOK, _TILDE, _ACUTE, _DOT, _CIRC, _BREVE, _HORN)
    )


def repair_mojibake(text: str) -> tuple[str, int]:
    """Undo UTF-8 that was decoded as Windows-1252 or Latin-1.

    Repairs only when at least two sequences decode to letters that exist only
    in Vietnamese (or to 3-byte punctuation such as "â€œ"), so that genuine
    text such as ``“XÃ”`` is left alone.

    Args:
        text: decoded text.

    Returns:
        ``(text, n)``: the repaired text and the number of sequences repaired
        (0: unchanged).

    Example:
        >>> repair_mojibake("Chá»‰ thá»‹")
        ('Chỉ thị', 2)
    """
    seq = _mojibake_patterns()["seq"]
    found = Counter(m.group(0) for m in seq.finditer(text))
    plausible = {k: v for k in found if (v := _decode_seq(k)) and _is_plausible(v)}
    strong = sum(found[k] for k, v in plausible.items() if _is_vietnamese_only(v) or len(k) == 3)
    if strong < 2:
        return text, 0
    count = 0

    def fix(m: regex.Match[str]) -> str:
        nonlocal count
        v = plausible.get(m.group(0))
        if v is None:
            return m.group(0)
        count += 1
        return v

    return seq.sub(fix, text), count


def has_mojibake_residue(text: str) -> int:
    """Count what is left of UTF-8-as-cp1252 sequences (0: nothing)."""
    return len(_mojibake_patterns()["residue"].findall(text))
