"""Step 4 of the pipeline: one document's header and signature block → ``Header``.

A Vietnamese official document opens with a header block (Nghị định 30/2020/NĐ-CP,
Phụ lục I; Hướng dẫn 36-HD/VPTW for Party texts): the issuing body in capitals
("BỘ NỘI VỤ", "ỦY BAN NHÂN DÂN / TỈNH ĐỒNG NAI"), "Số: 1432/BNV-CTTN", a "V/v …"
summary for letters, the national motto (or "ĐẢNG CỘNG SẢN VIỆT NAM"), "Hà Nội, ngày …",
a type title ("BÁO CÁO", "CHỈ THỊ") with its title lines, "(Kèm theo …)" for
attachments and "Kính gửi: …". It closes with "Nơi nhận: - …" and the signature block
("KT. BỘ TRƯỞNG / THỨ TRƯỞNG", the signer's name).

PDF extraction damages all of this: two columns merged on one line (``TÊN CƠ
QUAN**CỘNG HÒA…``), columns interleaved ("Nơi nhận:      KT. BỘ TRƯỞNG"), blank lines
between every line, signatures after many blank lines. The reader therefore works on
*segments*: non-blank lines, cut at column gaps and at a motto or type title glued to
the issuer. The classifiers below are public because ``ingest.split`` uses the same
notion of a header line to find where one document ends and the next begins.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache, wraps
from typing import NamedTuple, TypeVar

import regex

from ingest.clean import fold, squash_blanks
from ingest.dates import date_regex
from ingest.models import FieldEvidence
from ingest.symbols import canonical_symbol, parse_symbol, symbol_regex
from ingest.textmap import MappedText
from ontology.terms import ISSUERS, fold_code, issuer_by_code, type_by_word, types_by_code

__all__ = [
    "Header",
    "Segment",
    "document_segments",
    "has_lower",
    "is_attachment_line",
    "is_authority_line",
    "is_issuer_line",
    "is_motto_line",
    "is_number_line",
    "is_place_qualifier",
    "read_header",
    "segment_lines",
    "type_title",
]


@dataclass(frozen=True, slots=True)
class Header:
    """Metadata read from a document's header and signature block.

    Attributes:
        symbol: canonical số ký hiệu ("1432/BNV-CTTN"); None when absent or left blank.
        doc_type: ``DocType.slug`` from the type title, the symbol's type code, or
            "cong-van" for letters (issuer-unit symbols, a "V/v" line).
        issuer: the issuing body as the header names it, in sentence case
            ("Ủy ban nhân dân tỉnh Đồng Nai"); for "parent / unit" headers, the unit.
        place: the place written before the date ("Hà Nội").
        date: the issue date; None for a blank template date.
        title: the trích yếu: "V/v …" as written, or the line(s) after the type title.
        recipients: "Kính gửi" entries without list marks and final punctuation.
        signer: the person's name at the end of the signature block.
        signing_authority: the authority lines joined by " / " ("KT. BỘ TRƯỞNG / THỨ TRƯỞNG").
        distribution: "Nơi nhận" entries.
        attached_blank: True when a "Kèm theo … số      /…" line leaves the number blank,
            i.e. the attachment travels with the letter just before it.
        evidence: where each field found was read.
        body_start: clean-text offset where the body starts (after the header block).
    """

    symbol: str | None
    doc_type: str | None
    issuer: str | None
    place: str | None
    date: dt.date | None
    title: str | None
    recipients: tuple[str, ...]
    signer: str | None
    signing_authority: str | None
    distribution: tuple[str, ...]
    attached_blank: bool
    evidence: tuple[FieldEvidence, ...]
    body_start: int


class Segment(NamedTuple):
    """A piece of one non-blank line: the whole line, or one column of it.

    An immutable value, as a named tuple: one is made for every non-blank line of
    every file, and a tuple is built about twice as fast as a frozen dataclass.

    Attributes:
        start: clean-text offset of the first non-space character.
        end: clean-text offset after the last non-space character.
        text: ``clean_text[start:end]``.
        line: index of the line among the non-blank lines of the scanned range.
        column: character column of ``start`` within its line.
        gap_before: True when blank lines separate this line from the previous one.
    """

    start: int
    end: int
    text: str
    line: int
    column: int
    gap_before: bool


# --- patterns ---------------------------------------------------------------------------------

# Column gap: a tab, or three or more spaces, between two columns of a PDF table layout.
_COLUMN_GAP = regex.compile(r"\t+|[ \u00a0]{3,}")
# Lines made only of rules, stars or dots, printed under header names.
_DECOR = regex.compile(r"^[\s\-_=*~.…·•]+$")
# Capital-letter text: no lower-case letter at all, at least two letters.
_LOWER = regex.compile(r"\p{Ll}")
_LETTERS = regex.compile(r"\p{L}")
# Two letters anywhere: what ``len(_LETTERS.findall(text)) >= 2`` asks, found by one search
# that stops at the second letter (the list of every letter of a line is not built).
_TWO_LETTERS = regex.compile(r"\p{L}[^\p{L}]*\p{L}")
# The national motto and the Party's name line, glued to the issuer by PDF tools.
_MOTTO_IN_LINE = regex.compile(
    r"C[ỘO]NG\s+H(?:ÒA|OÀ|OA)\s+X[ÃA]\s+H[ỘO]I\s+CH[ỦU]\s+NGH[ĨI]A\s+VI[ỆE]T\s+NAM"
    r"|Đ[ẢA]NG\s+C[ỘO]NG\s+S[ẢA]N\s+VI[ỆE]T\s+NAM",
)
# "Số: 1432/BNV-CTTN", "Số 27-KL/TU" (Party, no colon), "Số:      /BC-UBND" (blank).
_PLAIN_NUMBER = r"Số(?!\p{L})\s*(?::\s*|(?=[\s.…_]*[\d/\-]))"
# Acts of the Quốc hội, its Standing Committee and the President name their type before
# the number: "Luật số: 10/2022/QH15", "Pháp lệnh số: 02/2022/UBTVQH15", "Lệnh số: …".
# The colon is required: prose says "Luật số 10/2022/QH15 quy định …" without one.
_TYPED_NUMBER = r"(?P<tw>Bộ\s+luật|Luật|Pháp\s+lệnh|Nghị\s+quyết|Lệnh)\s+số(?!\p{L})\s*:\s*"
_NUMBER_LINE = regex.compile(r"^(?:" + _TYPED_NUMBER + r"|" + _PLAIN_NUMBER + r")(?P<rest>.*)$")
# A number left blank: only spaces, dots or underscores before the separator and code.
_BLANK_NUMBER = regex.compile(
    r"^[\s.…_]*(?:/\s*(?P<state>\p{Lu}[\p{L}&]*)|-\s*(?P<party>\p{Lu}[\p{L}]*)\s*/)"
)
# A blank left for a number or a date part is no column gap: "Số:      /BC-UBND",
# "ngày      tháng 5 năm 2025". The piece before the gap ends with the word that
# introduces the blank; the piece after starts with what follows the blank.
_BLANK_BEFORE = regex.compile(r"(?<!\p{L})(?:[Ss]ố\s*:?|ngày|tháng|năm)$")
_BLANK_AFTER = regex.compile(r"^(?:[/\-]|tháng(?!\p{L})|năm(?!\p{L})|\d)")
# "V/v …", "V/V …", "Về việc …": the summary line of a letter.
_SUBJECT = regex.compile(r"^(?:V/[vV]|Về\s+việc)(?!\p{L})")
# "Kính gửi: …" with the first recipient possibly on the same line.
_ADDRESSEE = regex.compile(r"^Kính\s+gửi\s*:?\s*(?P<rest>.*)$", regex.IGNORECASE)
# "(Kèm theo …)", "(Ban hành kèm theo …)": an attachment's link to its letter.
_ATTACHMENT = regex.compile(r"^\(?\s*(?:ban\s+hành\s+)?kèm\s+theo(?!\p{L})", regex.IGNORECASE)
# Blank number inside the attachment line: "số" then only blanks before "/" or "-".
_ATTACHED_BLANK = regex.compile(r"(?<!\p{L})số(?!\p{L})[\s.…_]*[/\-]", regex.IGNORECASE)
# "Nơi nhận:" with the first entry possibly on the same line.
_DISTRIBUTION = regex.compile(r"^Nơi\s+nhận\s*:?\s*(?P<rest>.*)$", regex.IGNORECASE)
# Place and date: "Hà Nội, ngày 03 tháng 04 năm 2023"; the place may be a template
# ("......") or missing.
_PLACE_DATE = regex.compile(
    r"^(?P<place>[^\d,:;()/]{0,40}?)\s*,?\s*(?P<date>ngày(?!\p{L}).*)$", regex.IGNORECASE
)
# A template or partly blank date ("ngày … tháng … năm …", "ngày   tháng 5 năm 2024").
_BLANK_DATE = regex.compile(r"^ngày[\s\d.…_]*tháng[\s\d.…_]*năm[\s\d.…_]*$", regex.IGNORECASE)
# Body openers that end a title: a legal basis, a numbered section, the phrases a first
# paragraph opens with (text without blank lines, e.g. from .docx, has nothing else to
# tell the title's last line from the body's first).
_BODY_OPENER = regex.compile(
    r"^(?:[IVXLC]+\.\s|\d+\.\s|(?:Căn\s+cứ|Thực\s+hiện|Để|Nhằm|Trong|Qua|Ngày|Tại|Theo|"
    r"Trên\s+cơ\s+sở|Sau\s+khi|Hiện\s+nay|Thời\s+gian\s+qua)(?!\p{L}))"
)
# A title line is never this long, nor does it end with a colon: that is a paragraph.
_MAX_TITLE_LINE = 160
# Signing prefixes: ký thay (KT.), thay mặt (TM., T/M), thừa lệnh (TL.), thừa ủy quyền
# (TUQ.), quyền (Q., dot required so "QUYẾT ĐỊNH" never matches).
_AUTH_PREFIX = regex.compile(
    r"^(?P<p>K\.?T|T\.?M|T\.?L|TUQ|T/M|K/T|T/L)(?:\s*\.\s*|\s+)(?=\p{Lu})|^(?P<q>Q)\s*\.\s*(?=\p{Lu})"
)
# A person's name: two to six capitalised words ("Nguyễn Văn Hùng", "Nguyễn Văn A").
_NAME = regex.compile(r"^\p{Lu}\p{Ll}+(?:[ \t]+\p{Lu}\p{Ll}*){1,5}$")
# "(đã ký)", "(Ký tên, đóng dấu)", "[signed]": marks in the signature column.
_SIGNED_MARK = regex.compile(r"^[(\[]\s*(?:đã\s+ký|ký|signed)[^)\]]*[)\]]$", regex.IGNORECASE)
# A list entry: "- …", "+ …", "• …".
_ITEM = regex.compile(r"^[-+•]\s*")
# Characters trimmed from the end of list entries.
_ENTRY_TAIL = " \t;,."
# Everything but letters, digits, hyphens and "&" becomes a space in a match key.
_NON_KEY = regex.compile(r"[^\p{L}\p{N}\-&]+")
# A draft stamp, folded: "DỰ THẢO", "Dự thảo lần 2".
_DRAFT = regex.compile(r"^du thao(?: lan)? ?\d*$")
# What may follow a type word on its line without being a title: "PHỤ LỤC I", "SỐ 02".
_NUMBERING = regex.compile(r"(?:SỐ\s*)?(?:[IVXLC]+|\d{1,3}[A-Z]?)")
# One word of a line (for prefix lengths).
_WORD = regex.compile(r"\S+")
# Where two letters meet, with at most one space between: a possible glue point.
_LETTER_JOIN = regex.compile(r"(?<=\p{L})\s?(?=\p{L})")
# Template blanks in a place name ("……, ngày …").
_TEMPLATE_MARK = regex.compile(r"[.…_]")
# "ngày" and the spaces after it, before the date itself.
_DATE_WORD = regex.compile(r"ngày\s*", regex.IGNORECASE)
# A line or entry that goes on in lower case.
_LOWER_START = regex.compile(r"\p{Ll}")

# Bare local committees that take their place from a parent line ("ĐẢNG BỘ TỈNH X / TỈNH ỦY").
_PARTY_COMMITTEES = (
    "tinh uy",
    "thanh uy",
    "huyen uy",
    "quan uy",
    "thi uy",
    "thi xa uy",
    "dang uy",
)
# Issuing-body heads, folded ("BỘ NỘI VỤ" → "bo noi vu"); whole words only.
_BODY_HEADS = (
    "bo",
    "uy ban",
    "ubnd",
    "chinh phu",
    "thu tuong chinh phu",
    "quoc hoi",
    "van phong",
    "so",
    "ban",
    *_PARTY_COMMITTEES,
    "dang bo",
    "dang doan",
    "hoi dong",
    "hdnd",
    "trung uong",
    "tong cuc",
    "cuc",
    "vu",
    "chi cuc",
    "thanh tra",
    "ngan hang",
    "kiem toan",
    "toa an",
    "vien kiem sat",
    "bao hiem",
    "chu tich nuoc",
    "cong an",
    "bo chi huy",
    "phong",
    "trung tam",
    "hoc vien",
    "vien",
    "dai hoc",
    "truong",
    "tinh doan",
    "thanh doan",
    "huyen doan",
    "lien doan",
    "tong lien doan",
    "cong doan",
    "hoi",
    "mat tran",
    "ban chap hanh",
    "bo chinh tri",
    "ban bi thu",
    "ban thuong vu",
    "ban can su dang",
    "ubmttq",
    "kho bac",
    "tong cong ty",
)
# Administrative-unit words that qualify a body with its place ("TỈNH ĐỒNG NAI").
_PLACE_WORDS = (
    "tinh",
    "thanh pho",
    "huyen",
    "quan",
    "thi xa",
    "xa",
    "phuong",
    "thi tran",
    "tp",
)
# Positions written alone on a signature line ("THỨ TRƯỞNG", "PHÓ CHỦ TỊCH"), folded.
_POSITIONS = (
    "thu tuong",
    "thu truong",
    "bo truong",
    "chu tich",
    "bi thu",
    "chanh van phong",
    "giam doc",
    "truong ban",
    "vu truong",
    "cuc truong",
    "tong cuc truong",
    "chi cuc truong",
    "chanh thanh tra",
    "truong phong",
    "hieu truong",
    "chanh an",
    "vien truong",
    "tong kiem toan",
    "thong doc",
    "tong giam doc",
    "tong thu ky",
    "chu nhiem",
    "truong doan",
    "thu ky",
    "uy vien",
    "tong bien tap",
    "truong khoa",
    "ke toan truong",
)
# Header marks that carry no field: draft, secrecy and urgency stamps.
_MARKS = ("du thao", "mat", "toi mat", "tuyet mat", "khan", "thuong khan", "hoa toc")
# Parts of names kept capitalised by the sentence-case rule ("Văn phòng Chính phủ").
_PROPER = ("chinh phu", "trung uong", "nha nuoc", "quoc hoi", "viet nam")
# Body kinds whose own name starts after them, capitalised ("Sở Nội vụ", "Vụ Pháp chế").
_KINDS = (
    "van phong",
    "tong cuc",
    "chi cuc",
    "cuc",
    "vu",
    "so",
    "ban",
    "bo",
    "phong",
    "trung tam",
    "hoc vien",
    "vien",
    "truong",
    "thanh tra",
    "dang bo",
    "dang uy",
    "cong an",
    "bo chi huy",
    "kho bac",
    "hoi",
    "tong cong ty",
)
_LOCAL_COUNCILS = ("uy ban nhan dan", "hoi dong nhan dan", "ubnd", "hdnd")

# How far the header block may run, in non-blank lines.
_HEADER_LINES = 40
# The signer's name follows the authority lines within this many non-blank lines.
_SIGNER_LINES = 15
# Title and recipient lists longer than this are body text.
_MAX_TITLE_LINES = 6
_MAX_ENTRIES = 20


# --- small classifiers ------------------------------------------------------------------------

# Line classifiers are pure functions of one line and the same lines come back again and
# again (the motto, "Nơi nhận:", an issuer's name; split and header read the same lines),
# so their answers are remembered. Longer strings are paragraphs or damaged files without
# line breaks: not remembered, so the memory held stays small.
_MEMO_MAX = 300
_MEMO_SIZE = 8192
_R = TypeVar("_R")


def _line_memo(fn: Callable[[str], _R]) -> Callable[[str], _R]:
    """Remember ``fn`` (a pure function of one line) for lines up to ``_MEMO_MAX`` chars."""
    cached = lru_cache(maxsize=_MEMO_SIZE)(fn)

    @wraps(fn)
    def wrapper(text: str) -> _R:
        return cached(text) if len(text) <= _MEMO_MAX else fn(text)

    return wrapper


def _caps_memo(lower: _R) -> Callable[[Callable[[str], _R]], Callable[[str], _R]]:
    """``_line_memo`` for classifiers of capitals lines: text with a lower-case letter gets
    ``lower`` at once, so prose lines neither cost a look-up nor crowd the memory out."""

    def decorate(fn: Callable[[str], _R]) -> Callable[[str], _R]:
        memo = _line_memo(fn)

        @wraps(fn)
        def wrapper(text: str) -> _R:
            return lower if _LOWER.search(text) else memo(text)

        return wrapper

    return decorate


def has_lower(text: str) -> bool:
    """True when ``text`` has a lower-case letter: then no capitals-line classifier
    (``is_issuer_line``, ``is_authority_line``, ``is_place_qualifier``, ``type_title``)
    accepts it, and callers may skip them all with this one search."""
    return _LOWER.search(text) is not None


def _norm(text: str) -> str:
    return squash_blanks(text).strip()


def _is_caps(text: str) -> bool:
    return not _LOWER.search(text) and _TWO_LETTERS.search(text) is not None


def _starts(folded: str, heads: str) -> str | None:
    """The longest head of ``_head_sets()[heads]`` that ``folded`` starts with as whole words.

    Only the word prefixes of ``folded`` are looked up (``_word_prefixes``), instead of
    testing each of the heads against it.
    """
    found = _head_sets()[heads]
    return next((p for p in _word_prefixes(folded) if p in found), None)


def _word_prefixes(folded: str) -> Iterator[str]:
    """The strings ``h`` with ``folded == h or folded.startswith(h + " ")``, longest first:
    ``folded`` itself, then each prefix that a space follows."""
    yield folded
    at = folded.rfind(" ")
    while at >= 0:
        yield folded[:at]
        at = folded.rfind(" ", 0, at)


@cache
def _head_sets() -> dict[str, frozenset[str]]:
    """The head tables ``_starts`` looks words up in, by name."""
    return {
        "positions": frozenset(_POSITIONS),
        "places": frozenset(_PLACE_WORDS),
        "bodies": frozenset(_BODY_HEADS),
        "committees": frozenset(_PARTY_COMMITTEES),
        "kinds": frozenset(_KINDS),
    }


@cache
def _issuer_names() -> tuple[tuple[str, str], ...]:
    """(folded name, name) of every known issuer, longest first."""
    pairs = {(fold(i.vi), i.vi) for i in ISSUERS}
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


@cache
def _issuer_name_of() -> dict[str, str]:
    """Folded name → name, the first of ``_issuer_names`` for each folded name (the one
    a scan of them, longest first, meets first)."""
    out: dict[str, str] = {}
    for folded, name in _issuer_names():
        out.setdefault(folded, name)
    return out


@cache
def _issuer_name_keys() -> frozenset[str]:
    """Folded names of the known issuers, for exact lookups."""
    return frozenset(n for n, _ in _issuer_names())


@_line_memo
def _key(text: str) -> str:
    """Match key: folded, punctuation except hyphens turned to spaces."""
    return _norm(_NON_KEY.sub(" ", fold(text)))


@_line_memo
def is_motto_line(text: str) -> bool:
    """True for the national motto lines or the Party's name line.

    The motto is printed in capitals; prose that names the state ("Hiến pháp nước
    Cộng hòa xã hội chủ nghĩa Việt Nam") is not a motto line.
    """
    k = _key(text)
    if k in ("doc lap - tu do - hanh phuc", "doc lap tu do hanh phuc"):
        return True
    return _is_caps(text) and k.startswith(
        ("cong hoa xa hoi chu nghia viet nam", "dang cong san viet nam")
    )


def is_number_line(text: str) -> bool:
    """True for "Số: …" lines, blank numbers included ("Số:      /BC-UBND")."""
    return bool(_NUMBER_LINE.match(text))


def is_attachment_line(text: str) -> bool:
    """True for "(Kèm theo …)" / "(Ban hành kèm theo …)" lines."""
    return bool(_ATTACHMENT.match(text))


@_line_memo
def _is_mark(text: str) -> bool:
    if _DECOR.match(text):
        return True
    k = _key(text)
    return k in _MARKS or bool(_DRAFT.match(k))


@_caps_memo(False)
def is_authority_line(text: str) -> bool:
    """True for a signature-block authority line ("KT. BỘ TRƯỞNG", "PHÓ BÍ THƯ")."""
    t = text.strip()
    if not _is_caps(t) or len(t) > 80:
        return False
    if _AUTH_PREFIX.match(t):
        return True
    k = _key(t)
    if k in _issuer_name_keys():
        return False  # "THỦ TƯỚNG CHÍNH PHỦ" is the issuer, not a position
    bare = k[4:] if k.startswith("pho ") else k
    return _starts(bare, "positions") is not None and len(k.split()) <= 10


@_caps_memo(False)
def is_place_qualifier(text: str) -> bool:
    """True for a capitals line naming an administrative unit ("TỈNH ĐỒNG NAI")."""
    return (
        _is_caps(text)
        and _starts(_key(text), "places") is not None
        and not (_starts(_key(text), "bodies"))
    )


@_caps_memo(False)
def is_issuer_line(text: str) -> bool:
    """True for a capitals line naming an issuing body ("BỘ NỘI VỤ", "TỈNH ỦY NINH BÌNH").

    Signature lines ("TM. ỦY BAN NHÂN DÂN", "BỘ TRƯỞNG"), the motto, type titles and
    template placeholders ("TÊN CƠ QUAN", "……") are not issuers.
    """
    t = text.strip()
    if not _is_caps(t) or len(t) > 90 or ":" in t or "…" in t or ".." in t:
        return False
    if is_authority_line(t) or is_motto_line(t) or type_title(t) is not None:
        return False
    return _starts(_key(t), "bodies") is not None


@cache
def _type_words() -> tuple[tuple[str, str], ...]:
    """(folded type word, slug), longest first; "văn bản" alone is no title."""
    pairs = {(fold(w), t.slug) for w, t in type_by_word().items() if w != "văn bản"}
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


@cache
def _type_slug_of() -> dict[str, str]:
    """Folded type word → slug, the first of ``_type_words`` for each word (the one a scan
    of them, longest first, meets first)."""
    out: dict[str, str] = {}
    for word, slug in _type_words():
        out.setdefault(word, slug)
    return out


# What ``type_title`` says of a line with lower-case letters (typed for ``_caps_memo``).
_NO_TITLE: tuple[str, str] | None = None


@_caps_memo(_NO_TITLE)
def type_title(text: str) -> tuple[str, str] | None:
    """The type title line of a header: ``(slug, rest of the line)`` or None.

    Example:
        >>> type_title("ĐỀ CƯƠNG BÁO CÁO")
        ('de-cuong', '')
    """
    t = text.strip()
    if not _is_caps(t) or len(t) > 200:
        return None
    k = _key(t)
    slugs = _type_slug_of()
    for word in _word_prefixes(k):  # the longest type word ``k`` starts with
        if word in slugs:
            slug = slugs[word]
            rest = _norm(t[_prefix_len(t, word) :])
            if _NUMBERING.fullmatch(rest):
                rest = ""  # "PHỤ LỤC I", "PHỤ LỤC SỐ 02": numbering, not a title
            return slug, rest
    return None


def _prefix_len(text: str, folded_word: str) -> int:
    """Length of the prefix of ``text`` whose key is ``folded_word``."""
    words = list(_WORD.finditer(text))
    n = len(folded_word.split())
    return words[n - 1].end() if len(words) >= n else len(text)


# --- segments ---------------------------------------------------------------------------------


def segment_lines(text: str, start: int, end: int) -> list[Segment]:
    """Non-blank lines of ``text[start:end]`` cut into segments, in reading order.

    A line is cut at column gaps (tab, three or more spaces) and where the motto or a
    type title is glued to an issuer ("BỘ NỘI VỤBẢNG TỔNG HỢP").
    """
    out: list[Segment] = []
    pos, index, gap = start, 0, False
    # One split of the range instead of a search and a slice per line; a line is blank
    # when empty or all white space (what ``str.strip`` removes).
    append = out.append
    for line in text[start:end].split("\n"):
        if line and not line.isspace():
            # ``_line_pieces``, its memory asked here at once (no wrapper call per line);
            # a prose line is one piece, known without the memory (``_prose_pieces``).
            pieces = _prose_pieces(line) or (
                _pieces_memo(line) if len(line) <= _MEMO_MAX else _pieces(line)
            )
            for col, a, b in pieces:
                append(Segment(pos + a, pos + b, line[a:b], index, col, gap))
            index, gap = index + 1, False
        elif index:
            gap = True
        pos += len(line) + 1
    return out


def document_segments(segments: Sequence[Segment], start: int, end: int) -> list[Segment]:
    """The segments of one document, cut from the segments of the whole text.

    Equal to ``segment_lines(text, start, end)`` when ``segments`` is
    ``segment_lines(text, 0, len(text))`` and ``start`` is a line start (as the ranges of
    ``ingest.split.split_documents`` are), without reading the lines again: line indices
    count from the document's first line, which has no gap before it.

    Args:
        segments: segments of the whole text, in order.
        start: clean offset of the document's first line.
        end: clean offset where the document ends.
    """
    lo = bisect_left(segments, start, key=_segment_start)
    hi = bisect_left(segments, end, lo, key=_segment_start)
    part = list(segments[lo:hi])
    if not part or (part[0].line == 0 and not part[0].gap_before):
        return part
    first = part[0].line
    # Built directly: ``dataclasses.replace`` reads the fields by introspection each time.
    return [
        Segment(s.start, s.end, s.text, s.line - first, s.column, s.gap_before and s.line != first)
        for s in part
    ]


def _segment_start(seg: Segment) -> int:
    return seg.start


def _prose_pieces(line: str) -> tuple[tuple[int, int, int], ...] | None:
    """``_pieces(line)`` of a prose line, or None for a line that needs the full reading.

    Most lines of a file are prose: with no column gap (no tab, no three spaces, no
    no-break space: ``_columns`` keeps the stripped line whole), no "NAM" (``_glued``
    searches for the motto only then) and a lower-case letter (``_is_caps`` refuses the
    piece, so ``_glued`` cuts nothing), ``_pieces`` gives the stripped line as one piece.
    Those tests cost less than a miss of the memory, and prose lines (each one different
    in a real file) mostly miss it and crowd the header lines out of it.
    """
    if "\t" in line or "   " in line or "\u00a0" in line or "NAM" in line:
        return None
    if _LOWER.search(line) is None:  # the stripped line has the same letters
        return None
    a = len(line) - len(line.lstrip())
    return ((a, a, len(line.rstrip())),)


def _pieces(line: str) -> tuple[tuple[int, int, int], ...]:
    """(column, start, end) of each segment of one non-blank line, offsets in the line."""
    return tuple((a + c, a + c, a + d) for a, b in _columns(line) for c, d in _glued(line[a:b]))


# ``_pieces`` remembered for lines up to ``_MEMO_MAX`` characters (as ``_line_memo`` does).
_pieces_memo = lru_cache(maxsize=_MEMO_SIZE)(_pieces)


def _line_pieces(line: str) -> tuple[tuple[int, int, int], ...]:
    """``_pieces`` of one line, remembered when the line is short."""
    return _pieces_memo(line) if len(line) <= _MEMO_MAX else _pieces(line)


def _columns(line: str) -> list[tuple[int, int]]:
    """Stripped column ranges of one line; a blank number or date part stays whole."""
    if "\t" not in line and "   " not in line and "\u00a0" not in line:
        # No column gap can match: the whole line, stripped, is one column.
        return [(len(line) - len(line.lstrip()), len(line.rstrip()))]
    out: list[tuple[int, int]] = []
    last = 0
    for m in [*_COLUMN_GAP.finditer(line), None]:
        a, b = (m.start(), m.end()) if m else (len(line), len(line))
        piece = line[last:a]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            s, e = last + lead, last + len(piece.rstrip())
            if (
                out
                and _BLANK_BEFORE.search(line[out[-1][0] : out[-1][1]])
                and _BLANK_AFTER.match(line[s:e])
            ):
                out[-1] = (out[-1][0], e)
            else:
                out.append((s, e))
        last = b
    return out


def _glued_title(text: str) -> bool:
    """A type title of two or more words filling ``text`` ("BẢNG TỔNG HỢP"); one-word
    types ("LUẬT") are too likely to end a body's own name ("VỤ PHÁP LUẬT")."""
    found = type_title(text)
    return found is not None and not found[1] and len(text.split()) >= 2


def _glued(piece: str) -> list[tuple[int, int]]:
    """Cut a capitals piece where the motto or a type title follows an issuer without a gap."""
    # Both lines of ``_MOTTO_IN_LINE`` end with "NAM": most pieces are not searched.
    m = _MOTTO_IN_LINE.search(piece) if "NAM" in piece else None
    if m and m.start() > 0 and piece[: m.start()].strip():
        return [
            (0, len(piece[: m.start()].rstrip())),
            *((m.start() + a, m.start() + b) for a, b in _glued(piece[m.start() :])),
        ]
    if _is_caps(piece):
        for m2 in _title_cuts(piece):
            head, tail = piece[: m2.start()], piece[m2.end() :]
            if _glued_title(tail) and is_issuer_line(head):
                return [(0, m2.start()), (m2.end(), len(piece))]
    return [(0, len(piece))]


def _title_cuts(piece: str) -> list[regex.Match[str]]:
    """Letter boundaries of ``piece`` where a type word could start.

    Trying ``type_title`` at every boundary made header reading quadratic per line (the
    hottest function of the pipeline); a type word is located first in the folded text,
    which has the same length as ``piece`` for Vietnamese letters.
    """
    folded = fold(piece)
    if len(folded) != len(piece):
        return list(_LETTER_JOIN.finditer(piece))
    starts = {m.start() for m in _type_word_regex().finditer(folded)}
    if not starts:
        return []  # no type word: no boundary is kept, none is looked for
    return [m for m in _LETTER_JOIN.finditer(piece) if m.end() in starts]


@cache
def _type_word_regex() -> regex.Pattern[str]:
    words = sorted({w for w, _ in _type_words()}, key=len, reverse=True)
    return regex.compile("(?:" + "|".join(regex.escape(w) for w in words) + ")", regex.V1)


# --- header block -----------------------------------------------------------------------------


@dataclass(slots=True)
class _Fields:
    """Mutable accumulator used while one header is read (never escapes this module)."""

    issuer: list[Segment] = field(default_factory=list)
    symbol: str | None = None
    code_type: str | None = None
    title_type: str | None = None
    letter: bool = False
    place: str | None = None
    date: dt.date | None = None
    title: str | None = None
    recipients: tuple[str, ...] = ()
    attached_blank: bool = False
    seen_number: bool = False
    seen_date: bool = False
    evidence: list[FieldEvidence] = field(default_factory=list)
    used: set[int] = field(default_factory=set)

    def add(self, mt: MappedText, name: str, start: int, end: int) -> None:
        self.evidence.append(FieldEvidence(name, mt.span(start, end)))


# One header step: the index to continue from, and whether the header ends there.
_Step = tuple[int, bool]


def read_header(
    mt: MappedText, start: int, end: int, *, segments: Sequence[Segment] | None = None
) -> Header:
    """Read the header and signature block of the document in ``mt.text[start:end]``.

    Args:
        mt: the cleaned text of the whole file.
        start: clean offset where the document starts (from ``split_documents``).
        end: clean offset where it ends.
        segments: ``segment_lines(mt.text, start, end)`` when the caller has it already
            (see ``document_segments``); computed when None.

    Returns:
        The header; fields not found are None or empty, with evidence for those found.
    """
    segs = segment_lines(mt.text, start, end) if segments is None else segments
    f = _Fields()
    body = _read_block(mt, segs, f)
    tail = segs[body:]
    authority, signer = _signature(mt, tail, f)
    distribution = _distribution(mt, tail, f)
    issuer = _issuer(f.issuer)
    if issuer:
        f.add(mt, "issuer", f.issuer[0].start, f.issuer[-1].end)
    return Header(
        symbol=f.symbol,
        doc_type=f.title_type or f.code_type or ("cong-van" if f.letter else None),
        issuer=issuer,
        place=f.place,
        date=f.date,
        title=f.title,
        recipients=f.recipients,
        signer=signer,
        signing_authority=authority,
        distribution=distribution,
        attached_blank=f.attached_blank,
        evidence=tuple(sorted(f.evidence, key=lambda e: e.span.start)),
        body_start=segs[body].start if body < len(segs) else end,
    )


def _read_block(mt: MappedText, segs: Sequence[Segment], f: _Fields) -> int:
    """Consume header segments in order; return the index of the first body segment."""
    i = 0
    while i < len(segs) and segs[i].line < _HEADER_LINES:
        if i in f.used:
            i += 1
            continue
        step = _header_step(mt, segs, i, f)
        if step is None:
            break
        i, done = step
        if done:
            break
    while i in f.used:
        i += 1
    return i


def _header_step(mt: MappedText, segs: Sequence[Segment], i: int, f: _Fields) -> _Step | None:
    """Read the header element at ``segs[i]``; None when ``segs[i]`` is body text."""
    t = segs[i].text
    if _is_mark(t) or is_motto_line(t):
        return i + 1, False
    if not (f.seen_number or f.seen_date or f.title_type or f.title) and (
        is_issuer_line(t) or (f.issuer and is_place_qualifier(t))
    ):
        f.issuer.append(segs[i])
        return i + 1, False
    if is_number_line(t) and not f.seen_number:
        _number(mt, segs[i], f)
        return i + 1, False
    if not f.seen_date and _date_line(mt, segs[i], f):
        return i + 1, False
    return _titled_step(mt, segs, i, f)


def _titled_step(mt: MappedText, segs: Sequence[Segment], i: int, f: _Fields) -> _Step | None:
    """The header elements that end it or carry text: V/v, type title, Kèm theo, Kính gửi."""
    t = segs[i].text
    if _SUBJECT.match(t) and f.title is None:
        f.letter = True
        _title(mt, segs, i, f, include_head=True, first="")
        return i + 1, False
    found = type_title(t)
    if found and f.title_type is None and f.title is None:
        f.title_type = found[0]
        f.add(mt, "doc_type", segs[i].start, segs[i].end)
        _title(mt, segs, i, f, include_head=False, first=found[1])
        return i + 1, False
    if is_attachment_line(t):
        j = i + 1
        while j < len(segs) and segs[j].line == segs[i].line:
            j += 1  # blanks inside the line ("ngày      /  5  /2024") are no column gap
        f.attached_blank = bool(_ATTACHED_BLANK.search(mt.text, segs[i].start, segs[j - 1].end))
        f.add(mt, "attached", segs[i].start, segs[j - 1].end)
        return j, True  # nothing after "(Kèm theo …)" belongs to the header
    m = _ADDRESSEE.match(t)
    if m and not f.recipients:
        first = _ITEM.sub("", m.group("rest").strip(), count=1)
        entries, j = _entries(segs, i + 1, [first] if first else [], skip_signature=False)
        f.recipients = entries
        f.add(mt, "recipients", segs[i].start, segs[j - 1].end)
        return j, True
    return None


def _number(mt: MappedText, seg: Segment, f: _Fields) -> None:
    """Read "Số: …": the symbol, or for a blank number the type code after the slash."""
    f.seen_number = True
    m = _NUMBER_LINE.match(seg.text)
    if m is None:
        return
    off = seg.start + m.start("rest")
    found = symbol_regex().match(mt.text, off, seg.end)
    word_type = _word_type(m.group("tw"))
    if found:
        f.symbol = canonical_symbol(found.group(0))
        parts = parse_symbol(found.group(0))
        if parts is not None:
            f.code_type = word_type or _code_type(parts.type_code, parts.party)
            # A công văn has no type code, and no year segment either ("10/2022/QH15"
            # is a law's number, not a letter's).
            f.letter = f.letter or (
                word_type is None and parts.type_code is None and parts.year is None
            )
        f.add(mt, "symbol", found.start(), found.end())
        return
    blank = _BLANK_NUMBER.match(m.group("rest"))
    if blank:
        code = blank.group("state") or blank.group("party")
        f.code_type = _code_type(code, blank.group("party") is not None)
        f.letter = f.letter or f.code_type is None
        f.add(mt, "doc_type", seg.start, seg.end)


def _word_type(word: str | None) -> str | None:
    """DocType slug of the type word on a number line ("Luật số: …" → "luat")."""
    if not word:
        return None
    found = type_by_word().get(_norm(word).lower())
    return found.slug if found else None


def _code_type(code: str | None, party: bool) -> str | None:
    """DocType slug for a symbol's type code; None for a công văn (no type code)."""
    if not code:
        return None
    found = types_by_code(party).get(fold_code(code), ())
    exact = [t for t in found if code in (t.party_codes if party else t.state_codes)]
    pick = exact or list(found)
    return pick[0].slug if pick else None


@dataclass(frozen=True, slots=True)
class _DateLine:
    """A place-and-date line, offsets relative to the line."""

    place: tuple[int, int] | None
    date: tuple[int, int, dt.date] | None


@_line_memo
def _parse_date_line(text: str) -> _DateLine | None:
    """ "Hà Nội, ngày 03 tháng 04 năm 2023" → place and date; a template or partly blank
    date ("……, ngày … tháng … năm …") gives a line with no date; None for other text."""
    m = _PLACE_DATE.match(text)
    if not m or len(text) > 90:
        return None
    place = m.group("place").rstrip(" ,*")
    stripped = place.strip(" *")
    good_place = bool(
        stripped and _LETTERS.search(stripped) and not _TEMPLATE_MARK.search(stripped)
    )
    where = (
        (m.start("place") + len(place) - len(place.lstrip(" *")), m.start("place") + len(place))
        if good_place
        else None
    )
    lead = _DATE_WORD.match(m.group("date"))
    pos = m.start("date") + (lead.end() if lead else 0)
    d = date_regex().match(text, pos)
    if d and not text[d.end() :].strip(" .,;*)"):
        try:
            day = dt.date(int(d.group("y")), int(d.group("m")), int(d.group("d")))
        except ValueError:
            return None
        return _DateLine(where, (d.start(), d.end(), day))
    if _BLANK_DATE.match(m.group("date").strip(" .,*")):
        return _DateLine(where, None)
    return None


def _date_line(mt: MappedText, seg: Segment, f: _Fields) -> bool:
    """Read a place-and-date line into ``f``; True when ``seg`` is one."""
    found = _parse_date_line(seg.text)
    if found is None:
        return False
    f.seen_date = True
    if found.date is not None:
        a, b, f.date = found.date
        f.add(mt, "date", seg.start + a, seg.start + b)
    if found.place is not None:
        a, b = found.place
        f.place = _norm(seg.text[a:b])
        f.add(mt, "place", seg.start + a, seg.start + b)
    return True


def _title(
    mt: MappedText,
    segs: Sequence[Segment],
    head: int,
    f: _Fields,
    *,
    include_head: bool,
    first: str,
) -> None:
    """Collect the title into ``f``.

    Args:
        mt: the mapped text, for evidence spans.
        segs: the document's segments.
        head: index of the V/v segment or of the type title segment.
        f: the accumulator; continuation segments are added to ``f.used``.
        include_head: True for "V/v …" (the head is the title's first line).
        first: text after the type word on the type title line ("BÁO CÁO TÓM TẮT").
    """
    parts = [segs[head]] if include_head else []
    texts = [segs[head].text] if include_head else ([first] if first else [])
    prev_line = segs[head].line
    col = segs[head].column if include_head else None
    need_first = not texts
    j = head + 1
    while len(texts) < _MAX_TITLE_LINES:
        nxt = _next_in_column(segs, j, col)
        if nxt is None or _stops_title(segs[nxt].text):
            break
        seg = segs[nxt]
        if not (need_first or _continues(seg, prev_line)):
            break
        need_first = False
        parts.append(seg)
        texts.append(seg.text)
        f.used.add(nxt)
        prev_line, j = seg.line, nxt + 1
    if texts:
        f.title = _norm(" ".join(texts))
        s, e = (parts[0].start, parts[-1].end) if parts else (segs[head].start, segs[head].end)
        f.add(mt, "title", s, e)


def _next_in_column(segs: Sequence[Segment], j: int, col: int | None) -> int | None:
    """Index of the first segment on the next line, or of the one in column ``col``."""
    line = segs[j - 1].line
    k = j
    while k < len(segs) and segs[k].line == line:
        k += 1
    if k >= len(segs):
        return None
    # Segments are in line order: the next line's segments are the run starting at ``k``
    # (reading on to the end of the document for them made title reading quadratic).
    end = k + 1
    while end < len(segs) and segs[end].line == segs[k].line:
        end += 1
    same = range(k, end)
    if col is None or len(same) == 1:
        return same[0]
    near = [n for n in same if abs(segs[n].column - col) <= 8]
    return near[0] if near else None


def _continues(seg: Segment, prev_line: int) -> bool:
    """A title goes on over the very next line, or after blank lines in lower case."""
    if seg.line == prev_line + 1 and not seg.gap_before:
        return True
    return bool(_LOWER_START.match(seg.text))


@_line_memo
def _stops_title(text: str) -> bool:
    """Lines that never continue a title: other header elements and body openers."""
    return (
        _is_mark(text)
        or is_motto_line(text)
        or is_number_line(text)
        or _parse_date_line(text) is not None
        or bool(_ADDRESSEE.match(text))
        or is_attachment_line(text)
        or is_issuer_line(text)
        or is_authority_line(text)
        or type_title(text) is not None
        or bool(_BODY_OPENER.match(text))
        or len(text) > _MAX_TITLE_LINE
        or text.endswith(":")
    )


def _entries(
    segs: Sequence[Segment], j: int, items: list[str], *, skip_signature: bool
) -> tuple[tuple[str, ...], int]:
    """Read a "- …" list starting at ``segs[j]``; returns (entries, next index).

    An entry goes on over the next segment when it ends with a comma or the next one
    starts in lower case; a parenthesised note ("(B/cáo)") joins the entry before it.
    With ``skip_signature``, segments of an interleaved signature column (authority,
    name, "(đã ký)") are stepped over.
    """
    while j < len(segs) and len(items) < _MAX_ENTRIES:
        t = segs[j].text
        if _ITEM.match(t):
            items.append(_ITEM.sub("", t, count=1))
        elif skip_signature and _is_signature_part(t):
            pass
        elif items and (
            items[-1].rstrip().endswith(",")
            or _LOWER_START.match(t)
            or (t.startswith("(") and t.endswith(")"))
        ):
            items[-1] = items[-1].rstrip() + " " + t
        else:
            break
        j += 1
    cleaned = tuple(e for e in (_norm(x).rstrip(_ENTRY_TAIL).strip() for x in items) if e)
    return cleaned, j


# --- signature block and distribution list --------------------------------------------------


def _signature(
    mt: MappedText, tail: Sequence[Segment], f: _Fields
) -> tuple[str | None, str | None]:
    """The authority lines and the signer's name of the last signature block.

    Read from the end: the block is the last authority line and the authority lines
    before it, each within three lines of the one after it; segments are in line order,
    so the first segment too far from the block ends it (most of the text is not read).
    """
    last = _last_index(tail, is_authority_line)
    if last is None:
        return None, None
    block = [last]
    for n in range(last - 1, -1, -1):
        if tail[block[0]].line - tail[n].line > 3:
            break
        if is_authority_line(tail[n].text):
            block.insert(0, n)
    authority = " / ".join(_authority_text(tail[n].text) for n in block)
    f.add(mt, "signing_authority", tail[block[0]].start, tail[block[-1]].end)
    last_line = tail[block[-1]].line
    for s in tail[block[-1] + 1 :]:
        if s.line - last_line > _SIGNER_LINES:
            break
        if _NAME.match(s.text):
            f.add(mt, "signer", s.start, s.end)
            return authority, s.text
    return authority, None


def _authority_text(text: str) -> str:
    """Authority line with its prefix normalised: "KT.BỘ TRƯỞNG" → "KT. BỘ TRƯỞNG"."""
    m = _AUTH_PREFIX.match(text)
    if not m:
        return _norm(text)
    prefix = (m.group("p") or m.group("q")).replace(" ", "")
    sep = "" if "/" in prefix else "."
    return _norm(f"{prefix}{sep} {text[m.end() :]}")


def _distribution(mt: MappedText, tail: Sequence[Segment], f: _Fields) -> tuple[str, ...]:
    """Entries of the last "Nơi nhận" list."""
    n = _last_index(tail, _is_distribution_head)
    if n is None:
        return ()
    m = _DISTRIBUTION.match(tail[n].text)
    first = _ITEM.sub("", m.group("rest").strip(), count=1) if m else ""
    entries, j = _entries(tail, n + 1, [first] if first else [], skip_signature=True)
    last = max((k for k in range(n, j) if not _is_signature_part(tail[k].text)), default=n)
    f.add(mt, "distribution", tail[n].start, tail[last].end)
    return entries


def _is_distribution_head(text: str) -> bool:
    return _DISTRIBUTION.match(text) is not None


def _last_index(segs: Sequence[Segment], test: Callable[[str], bool]) -> int | None:
    """Index of the last segment whose text passes ``test``, looked for from the end (the
    signature and the distribution list close a document), or None."""
    for n in range(len(segs) - 1, -1, -1):
        if test(segs[n].text):
            return n
    return None


def _is_signature_part(text: str) -> bool:
    """Authority line, signer's name or "(đã ký)": the signature column."""
    return is_authority_line(text) or bool(_NAME.match(text) or _SIGNED_MARK.match(text))


# --- issuer names -----------------------------------------------------------------------------


def _issuer(segs: Sequence[Segment]) -> str | None:
    """The issuing body from its header lines: bodies with their place qualifiers; for a
    "parent / unit" header the unit, given the parent's place when it has none."""
    lines = tuple(s.text for s in segs)
    if sum(map(len, lines)) <= _MEMO_MAX:
        return _issuer_memo(lines)
    return _issuer_of(lines)


@lru_cache(maxsize=_MEMO_SIZE)
def _issuer_memo(lines: tuple[str, ...]) -> str | None:
    """``_issuer_of``, remembered: the same issuers head document after document, and
    casing a name is costly (a pure function of the lines; long ones are not kept)."""
    return _issuer_of(lines)


def _issuer_of(lines: tuple[str, ...]) -> str | None:
    """``_issuer`` of the texts of the issuer's header lines."""
    units: list[list[str]] = []
    for text in lines:
        if is_issuer_line(text) or not units:
            units.append([text])
        else:
            units[-1].append(text)
    if not units:
        return None
    unit = _norm(" ".join(units[-1]))
    name = _sentence_case(unit)
    if len(units) > 1 and len(units[-1]) == 1:
        name = _with_parent_place(unit, name, _norm(" ".join(units[-2])))
    return name


def _with_parent_place(unit: str, name: str, parent: str) -> str:
    """ "TỈNH ỦY" under "ĐẢNG BỘ TỈNH NINH BÌNH" → "Tỉnh ủy Ninh Bình"."""
    k = _key(unit)
    place = _place_of(parent)
    if place is None:
        return name
    admin, proper = place
    if k in _PARTY_COMMITTEES:
        return f"{name} {proper}"
    if k in _LOCAL_COUNCILS:
        return f"{name} {admin} {proper}".replace("  ", " ")
    return name


def _place_of(text: str) -> tuple[str, str] | None:
    """(admin word, place name) of the place phrase inside a capitals line."""
    words = text.split()
    keys = [_key(w) for w in words]
    for n in range(1, len(words)):
        for w in sorted(_PLACE_WORDS, key=lambda x: -len(x)):
            size = len(w.split())
            if " ".join(keys[n : n + size]) == w and n + size < len(words):
                admin = " ".join(words[n : n + size]).lower()
                return admin, " ".join(x.capitalize() for x in words[n + size :])
    return None


def _sentence_case(caps: str) -> str:
    """Official casing of a body name written in capitals.

    Known bodies come from ``ontology.terms.ISSUERS`` ("ỦY BAN NHÂN DÂN" → "Ủy ban
    nhân dân"); the rest follows the naming rule: the kind word, then the body's own
    name capitalised ("Vụ Chính quyền địa phương"); a place phrase keeps its admin
    word in lower case ("tỉnh Đồng Nai").
    """
    words = caps.split()
    k = _key(caps)
    code = issuer_by_code().get(fold_code(words[0])) if words else None
    if code is not None and len(words) > 1 and not _LOWER.search(words[0]):
        return _join(code.vi, _rest_case(words[1:]))
    names = _issuer_name_of()
    for folded in _word_prefixes(k):  # the longest known name ``k`` starts with
        if folded in names:
            n = len(folded.split())
            return _join(names[folded], _rest_case(words[n:]))
    committee = _starts(k, "committees")
    if committee is not None:  # "THỊ ỦY SƠN TÂY" → "Thị ủy Sơn Tây", a place's committee
        n = len(committee.split())
        return _join(" ".join(words[:n]).capitalize(), _rest_case(words[n:]))
    return _generic_case(words)


def _join(head: str, rest: str) -> str:
    return f"{head} {rest}".strip()


def _rest_case(words: Sequence[str]) -> str:
    """Words after a known body: a place phrase, or a proper name ("NINH BÌNH")."""
    if not words:
        return ""
    keys = [_key(w) for w in words]
    for w in sorted(_PLACE_WORDS, key=lambda x: -len(x)):
        size = len(w.split())
        if " ".join(keys[:size]) == w:
            admin = " ".join(words[:size]).lower()
            return _join(admin, " ".join(x.capitalize() for x in words[size:]))
    return " ".join(x.capitalize() for x in words)


def _generic_case(words: Sequence[str]) -> str:
    """Kind word(s) capitalised, then the body's name capitalised, the rest lower case;
    words after "và", "," or "-" and proper parts ("Chính phủ") capitalised."""
    keys = [_key(w) for w in words]
    kind = _starts(" ".join(keys), "kinds")
    size = len(kind.split()) if kind else 0
    out: list[str] = []
    for n, w in enumerate(words):
        low = w.lower()
        cap = (
            n == 0
            or n == size
            or (n > 0 and (keys[n - 1] in ("va", "-") or words[n - 1].endswith(",")))
        )
        out.append(w.capitalize() if cap else low)
    text = " ".join(out)
    for proper in _PROPER:
        text = _proper_regex(proper).sub(_capitalise_proper, text)
    return text


@cache
def _proper_regex(folded: str) -> regex.Pattern[str]:
    """A proper part of a name ("chính phủ") as a whole phrase, in any case."""
    return regex.compile(r"(?<!\p{L})" + _fold_pattern(folded) + r"(?!\p{L})", regex.IGNORECASE)


def _capitalise_proper(m: regex.Match[str]) -> str:
    """ "chính phủ" → "Chính phủ"; "việt nam" → "Việt Nam" (both parts are a name)."""
    text = m.group(0)
    if _key(text) == "viet nam":
        return " ".join(w.capitalize() for w in text.split())
    return text[:1].upper() + text[1:]


@cache
def _fold_pattern(folded: str) -> str:
    """A pattern matching the lower-case Vietnamese spellings of a folded phrase."""
    table = {
        "a": "[aàáảãạăằắẳẵặâầấẩẫậ]",
        "e": "[eèéẻẽẹêềếểễệ]",
        "i": "[iìíỉĩị]",
        "o": "[oòóỏõọôồốổỗộơờớởỡợ]",
        "u": "[uùúủũụưừứửữự]",
        "y": "[yỳýỷỹỵ]",
        "d": "[dđ]",
    }
    return "".join(table.get(c, regex.escape(c)) for c in folded)
