"""Find every mention of another document in a text (the citation extractor).

Steps, each a single pass of compiled patterns over the clean text:

1. **find** mentions: số ký hiệu (``ingest.symbols``), laws cited by name with a
   year ("Luật … năm 2022", "Hiến pháp năm 2013") and short forms ("Chỉ thị 33");
2. **read around** each symbol: the type word before it ("Chỉ thị số"), the date
   beside it ("ngày 26/11/2021", ", ngày …", the next table cell), the issuer
   named in prose ("của Bộ Chính trị") and the title ("về …", “…”);
3. **share** type word, date and issuer across lists ("Quyết định số 217-QĐ/TW và
   218-QĐ/TW ngày 12/12/2013");
4. **relate**: the governing verb before the mention (``ingest.relations``), and
   relations the text states between two *other* documents;
5. **resolve** undated and short mentions against earlier ones (``ingest.resolve``)
   and build identity keys (``ingest.identity``).

Offsets are clean-text offsets until the end, where ``MappedText.span`` turns them
into source spans that quote the source exactly.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import regex

from ingest.clean import squash_blanks
from ingest.dates import date_regex
from ingest.identity import base_key, document_key, law_key, match_base
from ingest.models import Citation, Span, StatedRelation
from ingest.relations import Trigger, clause_start, find_triggers, is_description_gap
from ingest.resolve import Resolver
from ingest.scan import scan
from ingest.symbols import SymbolParts, find_symbols, normalise_number, parse_symbol
from ingest.textmap import MappedText
from ontology.terms import Relation, fold_code, type_by_word, types_by_code

__all__ = ["CitationResult", "extract_citations"]


@dataclass(frozen=True, slots=True)
class CitationResult:
    """Citations in text order, and relations stated between other documents."""

    citations: tuple[Citation, ...]
    relations: tuple[StatedRelation, ...]


# --- pattern parts ---------------------------------------------------------------------------

_WS = r"[ \t\n]"
# Gap allowed between the parts of a mention: spaces and a few PDF line breaks.
_GAP = r"[ \t]*(?:\n[ \t]*){0,3}"

# Abbreviated type words seen before "số" ("CV số 8803-CV/BTGTW").
_ABBR_TYPES = {"CV": "cong-van", "VB": "cong-van"}
# Type words that are headings, not citations, when followed by a number.
_NOT_CITING = frozenset({"phụ lục", "bảng tổng hợp"})
# Longer type phrases whose last words are another type word: "Thông báo kết luận số
# 12-TB/TU" is a Thông báo, not a Kết luận.
_EXTRA_WORDS = {
    "thông báo kết luận": "thong-bao",
    "kế hoạch liên tịch": "ke-hoach",
    "hướng dẫn liên tịch": "huong-dan",
    "chương trình liên tịch": "chuong-trinh",
}


def _loose(pattern: str) -> str:
    """``pattern`` with each literal space standing for blanks or PDF line breaks."""
    return pattern.replace(" ", _WS + "+")


def _word_pattern(word: str) -> str:
    """A type word whose syllables may be split by spaces or PDF line breaks."""
    return _loose(" ".join(regex.escape(s) for s in word.split()))


@cache
def _type_words() -> list[str]:
    """Type words that introduce citations, longest first."""
    words = [w for w in type_by_word() if w not in _NOT_CITING] + list(_EXTRA_WORDS)
    return sorted(words, key=len, reverse=True)


# Form and annex numbers ("Mẫu số 02/BC", "Biểu số 01/BC-UBND") name a template inside
# a document, not another document.
_FORM_WORDS = _loose(r"biểu mẫu|mẫu|biểu|phụ lục|phiếu|bảng")


@cache
def _lookback_regex() -> regex.Pattern[str]:
    """Type word and/or "số" right before a symbol, anchored at the window's end."""
    words = "|".join(_word_pattern(w) for w in _type_words())
    abbr = "|".join(_ABBR_TYPES)
    head = rf"(?<!\p{{L}})(?:(?P<tw>{words}|(?-i:{abbr}))|(?P<form>{_FORM_WORDS}))"
    return regex.compile(
        rf"(?:{head}{_GAP})?(?P<so>(?<!\p{{L}})số(?!\p{{L}}))?[ \t]*[:.]?{_GAP}\Z",
        # Matched right to left from the symbol: one starting point instead of eighty.
        regex.IGNORECASE | regex.V1 | regex.REVERSE,
    )


@cache
def _named_law_regex() -> regex.Pattern[str]:
    """A law named before its number: "Luật Ngân sách nhà nước số 83/2015/QH13"."""
    head = _loose(r"(?P<head>Bộ luật|Luật|Pháp lệnh|Nghị quyết)")
    return regex.compile(
        rf"(?<!\p{{L}})(?P<name>{head}(?:{_WS}{{1,4}}[\p{{L}},]+){{1,15}}?)"
        rf"{_WS}+số[ \t]*[:.]?{_GAP}\Z",
        regex.V1 | regex.REVERSE,
    )


_ASSEMBLY = regex.compile(r"(?:UBTVQH|QH)\d")
_NAMED_HEADS = {"bộ": "luat", "luật": "luat", "pháp": "phap-lenh", "nghị": "nghi-quyet"}

# A footnote number glued on the symbol ("…-NQ/TW1 ngày", "…/TW¹ ngày").
_GLUED_NOTE = r"(?:(?<=\p{L})(?:\d{1,2}|[\u00b9\u00b2\u00b3\u2070-\u2079]{1,2})(?=[ \t\n,]))?"
# Words that may introduce the date: "ngày", "ban hành ngày", "ký ngày".
_DATE_LEAD = _loose(r"(?:(?:ban hành |ký )?(?:ngày|ng\.)") + _GAP + ")?"


@cache
def _date_after_regex() -> regex.Pattern[str]:
    """A date beside a symbol: ", ngày 26/11/2021", "(ngày …)", "ban hành ngày …", bare."""
    return regex.compile(
        rf"{_GLUED_NOTE}{_GAP}(?:,{_GAP})?(?:\({_GAP})?{_DATE_LEAD}(?:{date_regex().pattern})",
        regex.IGNORECASE | regex.V1,
    )


@cache
def _next_cell_regex() -> regex.Pattern[str]:
    """The rest of a table cell, then the next cell holding a date ("…, TCBC\\t25/5/2024")."""
    return regex.compile(
        rf"[^\t\n]{{0,40}}\t[ ]*(?:{date_regex().pattern})", regex.IGNORECASE | regex.V1
    )


# Words that end an issuer's name in prose: verbs and prepositions that start the
# title or the next clause. Case matters: "Ban" (capital) starts names ("Ban Bí thư"),
# "ban hành" (lower case) ends them.
_ISSUER_STOP_WORDS = _loose(
    "về|v/v|tại|đã|là|nhằm|để|theo|với|trong|gắn|được|ngày|số|cho|đến|khi|nay|này|đó|kèm"
    "|đề|giao|ký|xin|có|không|chỉ|báo|đối|trên|các|những|một|đang|sẽ|vừa|nên|thì|mà|như"
    "|qua|sau|trước|từ|bằng|vì|do|của|gồm|nêu|đính|phê|triển|sửa|bổ|thay|bãi|Kính|Nơi"
    "|ban hành|quy định|hướng dẫn|thực hiện|tiếp tục|Độc lập"
)
_ISSUER_STOP = (
    "(?:"
    + _ISSUER_STOP_WORDS
    # "năm" before a number is a date or period; "Hội nghị lần thứ năm" keeps it.
    + rf"|năm(?={_WS}+\d)"
    # "và" joins two bodies ("… Trung ương và Ban cán sự đảng …"), else ends the name.
    + rf"|và(?!{_WS}+\p{{Lu}}))(?!\p{{L}})"
    # An all-capitals word with Vietnamese diacritics is a heading ("CỘNG HÒA …"), not
    # an acronym (UBND, HĐND keep plain letters and Đ).
    + r"|(?=\p{Lu}*[^\x00-\x7FĐ\P{Lu}]\p{Lu}*(?!\p{L}))\p{Lu}{2,}(?!\p{L})"
)


@cache
def _issuer_regex() -> regex.Pattern[str]:
    """ "của|do|giữa <Name>": up to 13 words, stopping where the title or clause starts."""
    words = "|".join(_word_pattern(w.capitalize()) for w in _type_words())
    stop = rf"{_ISSUER_STOP}|(?:{words})(?!\p{{L}})"
    term = _loose(r"(?:\(kh(?:óa|oá) [IVXLC]+\))")
    return regex.compile(
        rf"{_GAP}(?:,{_GAP})?(?:của|do|giữa){_WS}+"
        rf"(?P<iss>\p{{Lu}}\p{{L}}*(?:{_WS}{{1,6}}(?!{stop})\p{{L}}+){{0,12}}(?:{_WS}*{term})?)",
        regex.V1,
    )


@cache
def _title_regex() -> regex.Pattern[str]:
    """The title after a mention: "về (việc) …", "V/v …", or a quotation “…”."""
    lead = _loose(r"(?:về|v/v)(?: việc)?")
    plain = r"(?P<p>[^;.()“”:\t]{1,300})"
    return regex.compile(
        rf"{_GAP}(?:,{_GAP})?(?:{lead}{_GAP}(?:“(?P<q>[^”;]{{1,400}})|{plain})"
        r"|“(?P<q2>[^”;]{1,400}))",
        regex.IGNORECASE | regex.V1,
    )


# Heads of a law-like name; "Luật sư" (a lawyer) is not a law.
_LAW_HEAD = _loose(r"(?:Bộ luật|Luật(?! sư)|Pháp lệnh|Hiến pháp)")
# Words that cannot be part of a law's name: the year or date that follows it, and
# prepositions that show the name is over; a second "Luật" starts another law.
_LAW_STOP = r"(?:năm|ngày|số|trong|của|các|để|tại|theo|đã|được|là|từ|đến|với|cho|Luật" + _loose(
    r"|và(?= (?:các|những)))(?!\p{L})"
)
# A name word; a comma may join name parts only before a lower-case word
# ("Luật Phòng, chống tham nhũng").
_LAW_WORD = rf"(?:,{_WS}+(?=\p{{Ll}})|{_WS}{{1,4}})(?!{_LAW_STOP})\p{{L}}+"
# "Luật sửa đổi, bổ sung một số điều của Luật A và Luật B ngày …": the date belongs to
# the amending law, whose name runs over the laws it amends.
_AMENDING_LAW = _loose(r"Luật sửa đổi,? bổ sung") + r"[^;.()“”:\t]{0,240}?"


@cache
def _law_regex() -> regex.Pattern[str]:
    """A law, code, ordinance or constitution cited by name with its year or date."""
    name = rf"(?P<name>{_AMENDING_LAW}|{_LAW_HEAD}(?:{_LAW_WORD}){{0,12}}?)"
    year = rf"năm{_WS}+(?P<year>(?:19|20)\d\d)(?!\d)"
    date = rf"(?:ngày{_WS}+)?(?:{date_regex().pattern})"
    return regex.compile(rf"(?<!\p{{L}}){name}{_WS}+(?:{year}|{date})", regex.V1)


@cache
def _short_regex() -> regex.Pattern[str]:
    """A short mention: capitalised type word or code + number ("Chỉ thị 33", "NQ 25")."""
    words = "|".join(_word_pattern(w[0].upper() + w[1:]) for w in _type_words())
    codes = "|".join(_SHORT_CODES)
    return regex.compile(
        rf"(?<!\p{{L}})(?P<tw>{words}|{codes}){_WS}+(?:số{_WS}*)?(?P<n>\d{{1,5}}[a-z]?)"
        # A year after the number ("Nghị định 30/2020"): the rest of the symbol is left out.
        r"(?:/(?P<sy>(?:19|20)\d\d)(?![\p{N}\p{L}]|[ \t]*[-/]))?"
        # Not a symbol, date, period, decimal, or a quantity ("báo cáo 6 tháng").
        rf"(?![\p{{N}}\p{{L}}]|[ \t]*[-/]|[.,]\d|{_WS}+(?:tháng|năm|quý|ngày|lần|giờ|%))",
        regex.V1,
    )


# Words that open a short mention, as written in ``_short_regex`` (capitalised type
# words, then codes).
_SHORT_CODES = ("NQ", "CT", "QĐ", "KL", "KH", "NĐ", "TT", "CTr", "HD", "TB", "BC", "TTr", "CV")


def _opening(words: Sequence[str]) -> str:
    """Alternation of ``words`` (syllables loose, as ``_word_pattern``), grouped by their
    first character: the standard library's engine then tries one group per place."""
    groups: dict[str, list[str]] = {}
    for w in words:
        first, *rest = w.split()
        tail = (_WS + "+").join(re.escape(s) for s in (first[1:], *rest))
        groups.setdefault(first[0], []).append(tail)
    return "|".join(re.escape(c) + "(?:" + "|".join(t) + ")" for c, t in groups.items())


# What follows the number of every match of ``_short_regex``: its digits and letter are
# taken whole (the pattern fails wherever it stops short of them: a digit or a letter
# follows), and then no symbol goes on. Turned away, as the pattern's last look-ahead
# (and its year, which only "/" and "19xx" or "20xx" at once open) turns them away:
# a hyphen after blanks or none ("25-NQ/TW"); a slash after blanks ("116 /2002"); a
# slash opening no "19" or "20" ("33/CT-TTg"); a slash, "19" or "20", two characters
# and a hyphen or slash ("28/2018/QĐ-TTg"). Most type words before a number start a
# whole symbol, which the symbol pattern reads: these were nearly all the places the
# short pattern was tried at, and it failed at every one.
_AFTER_SHORT_NUMBER = (
    r"\d*+[a-z]?+(?![ \t]*-|[ \t]+/|/(?!19|20)|/(?:19|20)\S\S[ \t]*[-/])"
)


@cache
def _short_opening() -> re.Pattern[str]:
    """What every match of ``_short_regex`` starts with: a type word or code, blanks,
    maybe "số", a number that no symbol goes on from (``_AFTER_SHORT_NUMBER``). Plain
    characters only, so the standard library's engine (which scans for them several
    times faster than ``regex``) finds where to try the pattern."""
    words = [w[0].upper() + w[1:] for w in _type_words()] + list(_SHORT_CODES)
    return re.compile(rf"(?:{_opening(words)}){_WS}+(?:số{_WS}*)?\d" + _AFTER_SHORT_NUMBER)


# The heads every match of ``_law_regex`` starts with (``_LAW_HEAD``, ``_AMENDING_LAW``),
# and one syllable of each as it is written (case matters, as in the pattern): a range
# holding none of these syllables holds no law mention and is not scanned (nine files
# in ten name no law).
_LAW_HEADS = ("Bộ luật", "Luật", "Pháp lệnh", "Hiến pháp")
_LAW_SYLLABLES = ("luật", "Luật", "Pháp", "Hiến")


@cache
def _law_opening() -> re.Pattern[str]:
    """What every match of ``_law_regex`` starts with (its law heads), as above."""
    return re.compile(_opening(_LAW_HEADS))


def _may_cite_laws(text: str, lo: int, hi: int) -> bool:
    """Whether ``text[lo:hi]`` holds a syllable of a law head (``_LAW_SYLLABLES``)."""
    return any(text.find(w, lo, hi) >= 0 for w in _LAW_SYLLABLES)


def _squash(text: str) -> str:
    """Collapse runs of whitespace (PDF line breaks) to single spaces."""
    return squash_blanks(text).strip()


# --- mentions --------------------------------------------------------------------------------


@dataclass(slots=True)
class _Mention:
    """A mention under construction (clean-text offsets)."""

    kind: str  # "symbol", "law" or "short"
    start: int  # first character of the phrase (type word, "số" or symbol)
    sym_start: int
    sym_end: int
    end: int  # end of the own part: symbol or the date written beside it
    tail: int  # end of date and issuer: where a description of the mention may begin
    parts: SymbolParts | None = None
    name: str | None = None
    number: str | None = None
    slug: str | None = None
    typed: bool = False  # the type came from a type word (own or shared in a list)
    date: dt.date | None = None
    issuer: str | None = None
    title: str | None = None
    relation: Relation = Relation.CITES
    trigger: Trigger | None = None
    key: str = ""
    symbol: str | None = None
    resolved: bool = True
    short: bool = False
    base: str | None = None  # match base of the symbol (see ingest.identity.match_base)
    year: int | None = None  # year written in a short mention ("Nghị định 30/2020")


def _slug_of_word(word: str) -> str | None:
    """Type slug named by a type word ("Chỉ thị", "chương trình phối hợp", "CV")."""
    if word in _ABBR_TYPES:
        return _ABBR_TYPES[word]
    low = _squash(word).lower()
    if low in _EXTRA_WORDS:
        return _EXTRA_WORDS[low]
    t = type_by_word().get(low)
    return t.slug if t else None


# The type a mention that names none is given: "văn bản", a document of unknown type.
UNTYPED_MENTION = "van-ban"


def _slug_of_code(parts: SymbolParts) -> str:
    """Type from the symbol's own code; a state symbol without one is a công văn.

    A symbol with a year segment but no type code ("10/2022/QH15", a court's
    "123/2024/HS-ST") is a normative or judicial text of unknown type: "van-ban".
    """
    if parts.type_code is None:
        return "cong-van" if parts.year is None else UNTYPED_MENTION
    cands = types_by_code(parts.party).get(fold_code(parts.type_code), ())
    exact = [
        t for t in cands if parts.type_code in (t.party_codes if parts.party else t.state_codes)
    ]
    chosen = exact or list(cands)
    return chosen[0].slug if chosen else UNTYPED_MENTION


def _cell_before(text: str, s: int) -> bool:
    """True when the symbol opens a tab-separated table cell."""
    k = s - 1
    while k >= 0 and text[k] == " ":
        k -= 1
    return k >= 0 and text[k] == "\t"


def _worded_before(text: str, s: int) -> bool:
    """Cheap test before the type-word lookback: a letter or ":" ends the text before ``s``.

    Table cells and list items ("\t1765/BC-DV", "1. 25-NQ/TW") skip the lookback.
    """
    k = s - 1
    while k >= 0 and text[k] in " \t\n":
        if text[k] == "\t":
            return False
        k -= 1
    return k >= 0 and (text[k].isalpha() or text[k] in ":.")


def _is_own_number_line(text: str, so_start: int) -> bool:
    """ "Số: 4666/UBND-KGVX" in a header is the document's own number, not a citation.

    Prose writes "số" after a type word; a capitalised "Số:" (even where a PDF merged
    the header columns into one line) or "Số" opening a line is the header field.
    """
    if text[so_start] != "S":
        return False
    if text.startswith(":", so_start + 2) or text.startswith(" :", so_start + 2):
        return True
    line_start = text.rfind("\n", 0, so_start) + 1
    return not text[line_start:so_start].strip(" \t#*>")


def _weak(parts: SymbolParts) -> bool:
    """A symbol with neither type code, year nor Party form ("06/CP", "123/UBND-VX")."""
    return parts.type_code is None and parts.year is None and not parts.party


def _read_date(text: str, pos: int, stop: int, in_cell: bool) -> tuple[dt.date, int] | None:
    """The date written beside a symbol ending at ``pos`` and where it ends."""
    m = _date_after_regex().match(text, pos, stop)
    if m is None and in_cell:
        m = _next_cell_regex().match(text, pos, stop)
    if m is None:
        return None
    try:
        return dt.date(int(m.group("y")), int(m.group("m")), int(m.group("d"))), m.end()
    except ValueError:
        return None


def _word_start(text: str, pos: int) -> int:
    """The first offset from ``pos`` that is no blank, line break or comma.

    A word read beside a mention (issuer, title) comes after blanks, line breaks and a
    comma only: the character there tells at once whether the pattern can match.
    """
    while pos < len(text) and text[pos] in " \t\n,":
        pos += 1
    return pos


# What ``_issuer_regex`` reads first (case matters) and ``_title_regex`` (any case).
_ISSUER_LEADS = ("của", "do", "giữa")
_TITLE_LEADS = ("v", "V", "“")


def _read_issuer(text: str, pos: int, stop: int) -> tuple[str, int] | None:
    """The issuer named after the mention ("của Bộ Chính trị") and where it ends."""
    if not text.startswith(_ISSUER_LEADS, _word_start(text, pos)):
        return None
    m = _issuer_regex().match(text, pos, stop)
    if m is None:
        return None
    name = _squash(m.group("iss"))
    end = m.end("iss")
    while name.endswith(" và"):  # "của Bộ Chính trị và Quyết định …": drop the "và"
        name = name[:-3]
        end = text.rfind("và", 0, end)
    return name, end


def _read_title(text: str, pos: int, stop: int) -> str | None:
    """The title after the mention ("về …", “…”), whitespace squashed."""
    at = _word_start(text, pos)
    if text[at : at + 1] not in _TITLE_LEADS:
        return None
    m = _title_regex().match(text, pos, stop)
    if m is None:
        return None
    raw = next(g for g in (m.group("q"), m.group("p"), m.group("q2")) if g is not None)
    title = _squash(raw).rstrip(" ,")
    if title[:3].lower() == "về ":
        title = title[3:]
    return title or None


def _symbol_mention(
    text: str, s: int, e: int, parts: SymbolParts, lo: int, hi: int
) -> _Mention | None:
    """Read the type word, date, issuer and title around one symbol."""
    back = _lookback_regex().search(text, max(lo, s - 80), s) if _worded_before(text, s) else None
    tw = back.group("tw") if back else None
    so = back.start("so") if back and back.group("so") else -1
    if back is not None and back.group("form"):
        return None
    if so >= 0 and tw is None and _is_own_number_line(text, so):
        return None
    in_cell = _cell_before(text, s)
    weak = _weak(parts) and so < 0 and not in_cell
    if weak and tw is None:
        return None  # "06/CP" alone: a name or a ratio, not a numbered citation
    start = back.start() if back and (tw or so >= 0) else s
    m = _Mention("symbol", start, s, e, e, e, parts=parts, symbol=parts.canonical)
    if tw is not None:
        m.slug, m.typed = _slug_of_word(tw), True
    elif so >= 0 and parts.issuers and _ASSEMBLY.match(parts.issuers[0]):
        _named_law(text, m, lo)
    date = _read_date(text, e, hi, in_cell)
    if date is None and weak:
        return None  # "Đề án 06/CP": a type word alone does not make "06/CP" a symbol
    if date is not None:
        m.date, m.end = date
    m.tail = m.end
    issuer = _read_issuer(text, m.end, hi)
    if issuer is not None:
        m.issuer, m.tail = issuer
    m.title = _read_title(text, m.tail, hi)
    return m


def _named_law(text: str, m: _Mention, lo: int) -> None:
    """Name and type of a Quốc hội act cited as "Luật <name> số n/YYYY/QHxx"."""
    named = _named_law_regex().search(text, max(lo, m.sym_start - 160), m.sym_start)
    if named is None:
        return
    m.name = _squash(named.group("name"))
    m.slug = _NAMED_HEADS[named.group("head").split()[0].lower()]
    m.typed, m.start = True, named.start()


def _symbol_mentions(text: str, lo: int, hi: int, own: str | None) -> list[_Mention]:
    """Mentions built around each symbol; ``own`` is the citing document's match base."""
    out: list[_Mention] = []
    for s, e, parts in find_symbols(text, lo, hi):
        base = match_base(parts) if own is not None else None
        if base is not None and base == own:
            continue
        m = _symbol_mention(text, s, e, parts, lo, hi)
        if m is not None:
            m.base = base  # worked out once (``_base_of``)
            out.append(m)
    return out


def _base_of(m: _Mention, parts: SymbolParts) -> str:
    """``match_base(parts)`` of the mention's own ``parts``, worked out once per mention.

    ``parts`` never changes (a frozen value) and ``match_base`` is a pure function of it.
    """
    if m.base is None:
        m.base = match_base(parts)
    return m.base


def _law_mentions(text: str, lo: int, hi: int) -> list[_Mention]:
    """Laws, codes, ordinances and the constitution cited by name with a year or date."""
    out: list[_Mention] = []
    if not _may_cite_laws(text, lo, hi):
        return out
    for m in scan(_law_regex(), _law_opening(), text, lo, hi):
        name = _squash(m.group("name"))
        if m.group("year") is not None:
            year, date = int(m.group("year")), None
        else:
            try:
                date = dt.date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
            except ValueError:
                continue
            year = date.year
        first = name.split()[0].lower()
        slug = {"bộ": "luat", "luật": "luat", "pháp": "phap-lenh", "hiến": "hien-phap"}[first]
        mention = _Mention(
            "law",
            m.start(),
            m.start(),
            m.end("name"),
            m.end(),
            m.end(),
            name=name,
            slug=slug,
            typed=True,
            date=date,
        )
        mention.key = law_key(name, year)
        out.append(mention)
    return out


def _short_mentions(text: str, lo: int, hi: int) -> list[_Mention]:
    """Short forms ("Chỉ thị 33", "NQ 25", "Nghị định 30/2020"); resolved later or dropped."""
    out: list[_Mention] = []
    for m in scan(_short_regex(), _short_opening(), text, lo, hi):
        tw = _squash(m.group("tw"))
        slug = _slug_of_word(tw)
        if slug is None:
            cands = types_by_code(False).get(fold_code(tw)) or types_by_code(True).get(
                fold_code(tw), ()
            )
            slug = cands[0].slug if cands else None
        if slug is None:
            continue
        out.append(
            _Mention(
                "short",
                m.start(),
                m.start("n"),
                m.end(),
                m.end(),
                m.end(),
                number=normalise_number(m.group("n")),
                slug=slug,
                typed=True,
                short=True,
                year=int(m.group("sy")) if m.group("sy") else None,
            )
        )
    return out


def _merge(*groups: list[_Mention]) -> list[_Mention]:
    """All mentions in text order; a later-listed kind never overlaps an earlier one."""
    starts: list[int] = []
    taken: list[_Mention] = []
    for group in groups:
        for m in group:
            i = bisect_left(starts, m.start)
            if i > 0 and taken[i - 1].end > m.start:
                continue
            if i < len(taken) and taken[i].start < m.end:
                continue
            starts.insert(i, m.start)
            taken.insert(i, m)
    return taken


# --- lists -----------------------------------------------------------------------------------

# What may stand between two members of one list: a comma, "&", "và".
_CONNECTOR = regex.compile(r"[ \t\n]*(?:,|&|và|,[ \t\n]*và)?[ \t\n]*", regex.V1)


def _share_lists(text: str, mentions: list[_Mention]) -> None:
    """Give list members the type word, date and issuer written once for the list."""
    symbols = [m for m in mentions if m.kind == "symbol"]
    groups: list[list[_Mention]] = []
    for i, cur in enumerate(symbols):
        prev = symbols[i - 1] if i else None
        if prev is not None and _CONNECTOR.fullmatch(text, prev.end, cur.start):
            groups[-1].append(cur)
            if not cur.typed and prev.typed:
                cur.slug, cur.typed = prev.slug, True
        else:
            groups.append([cur])
    for group in groups:
        _share_dates(group)


def _share_dates(group: list[_Mention]) -> None:
    """An undated member takes the date (and issuer) of the next dated one of its type."""
    for i, m in enumerate(group):
        if m.date is not None:
            continue
        for later in group[i + 1 :]:
            if later.date is not None:
                if _final_slug(later) == _final_slug(m):
                    m.date, m.issuer = later.date, m.issuer or later.issuer
                break


def _final_slug(m: _Mention) -> str | None:
    """The mention's type: its type word's, else its symbol code's."""
    if m.slug is None and m.parts is not None:
        m.slug = _slug_of_code(m.parts)
    return m.slug


# --- relations -------------------------------------------------------------------------------


def _relate(
    text: str, mentions: list[_Mention], lo: int
) -> list[tuple[_Mention, _Mention, Trigger]]:
    """Set each mention's relation; return (describer, described, trigger) triples."""
    stated: list[tuple[_Mention, _Mention, Trigger]] = []
    for i, m in enumerate(mentions):
        prev = mentions[i - 1] if i else None
        if prev is not None and _abbreviates(text, prev, m):
            continue
        cs = max(lo, clause_start(text, m.start))
        for trig in reversed(find_triggers(text, cs, m.start)):
            owner = _describer(text, mentions, i, trig, cs)
            if owner is None:  # the clause's own verb governs the mention
                m.trigger = trig
                m.relation = trig.relation
                break
            # A verb inside another mention's description ("Kết luận số 43-KL/TW … về
            # tiếp tục thực hiện Nghị quyết …") relates that mention, and reaches only
            # as far as the next semicolon.
            if trig.neutral or trig.relation is Relation.ATTACHED_TO:
                continue
            if ";" in text[trig.end : m.start]:
                continue
            m.trigger = trig
            stated.append((owner, m, trig))
            break
    return stated


def _describer(
    text: str, mentions: list[_Mention], i: int, trig: Trigger, cs: int
) -> _Mention | None:
    """The mention before ``mentions[i]`` whose description (title, parenthesis) holds
    ``trig``, if any."""
    for j in range(i - 1, -1, -1):
        prev = mentions[j]
        if prev.start < cs:
            return None
        if prev.end <= trig.start:
            if prev.kind == "short" or prev.tail > trig.start:
                return None
            return prev if is_description_gap(text, prev.tail, trig.start) else None
    return None


# "(Chỉ thị số 33/CT-TTg)", "(sau đây gọi tắt là Chỉ thị số 24-CT/TU)": a short name
# defined for the mention just before it.
_ABBREV_HEAD = regex.compile(
    r"\([ \t\n]*(?:(?:sau[ \t\n]+đây[ \t\n]+)?(?:gọi|viết)[ \t\n]+tắt[ \t\n]+(?:là[ \t\n]+)?)?\Z",
    regex.IGNORECASE | regex.V1 | regex.REVERSE,
)


def _abbreviates(text: str, prev: _Mention, m: _Mention) -> bool:
    """Copy the relation of the mention an abbreviation stands for; True if it did."""
    if m.parts is None or prev.parts is None:
        return False
    if not _ABBREV_HEAD.search(text, max(0, m.start - 40), m.start):
        return False
    if _base_of(prev, prev.parts) != _base_of(m, m.parts):
        return False
    m.relation, m.trigger = prev.relation, prev.trigger
    return True


# --- keys and output -------------------------------------------------------------------------


def _assign_keys(mentions: list[_Mention], resolver: Resolver) -> list[_Mention]:
    """Keys in text order; undated and short mentions resolve against dated ones.

    Dated mentions anywhere in the range are candidates, not only earlier ones: a
    letter's subject line ("V/v triển khai Chỉ thị số 33/CT-TTg") comes before the body
    that dates the directive, and is the same document. Resolution still needs
    exactly one candidate.
    """
    for m in mentions:
        if m.kind == "symbol" and m.parts is not None and (m.date or m.parts.year):
            _key_symbol(m, m.parts, resolver)
            if m.symbol is not None:
                resolver.add_known(m.key, m.symbol, _final_slug(m), m.parts, m.base)
    kept: list[_Mention] = []
    for m in mentions:
        if m.kind == "symbol" and m.parts is not None:
            _key_symbol(m, m.parts, resolver)
        elif m.kind == "short":
            res = resolver.resolve_short(m.slug or "", m.number or "", m.year)
            if res is None:
                continue
            m.key, m.symbol, m.resolved = res.key, res.symbol, res.resolved
        kept.append(m)
        if m.kind == "symbol" and m.parts is not None and m.symbol is not None:
            resolver.add_known(m.key, m.symbol, _final_slug(m), m.parts, m.base)
    return kept


def _key_symbol(m: _Mention, parts: SymbolParts, resolver: Resolver) -> None:
    """Key from the symbol and the date beside it; without a year, from an earlier mention."""
    doc_type = m.slug if m.typed else None
    year = m.date.year if m.date else None
    m.key = document_key(parts, year, doc_type=doc_type)
    m.base = _base_of(m, parts)
    if year is None and parts.year is None:
        res = resolver.resolve_symbol(m.base, m.key)
        m.key, m.resolved, m.short = res.key, res.resolved, res.resolved


def _as_citation(m: _Mention, span: Span) -> Citation:
    """The public value for a finished mention."""
    return Citation(
        key=m.key,
        symbol=m.symbol,
        doc_type=_final_slug(m),
        date=m.date,
        issuer=m.issuer,
        title=m.title,
        relation=m.relation,
        span=span,
        name=m.name,
        resolved=m.resolved,
        short=m.short,
    )


def _label(m: _Mention) -> str:
    """How a stated relation names a document: symbol, else law name, else key."""
    return m.symbol or m.name or base_key(m.key)


def extract_citations(
    mt: MappedText,
    start: int = 0,
    end: int | None = None,
    *,
    prior: Sequence[Citation] = (),
    own_symbol: str | None = None,
    known: Resolver | None = None,
) -> CitationResult:
    """Every mention of another document in ``mt.text[start:end]``.

    Args:
        mt: cleaned text (``ingest.clean.clean``) with its map to the source.
        start: clean-text offset where the citing document's text starts.
        end: clean-text end offset (default: end of text).
        prior: citations found earlier in the same document (other ranges); undated and
            short mentions may resolve to them.
        own_symbol: the citing document's own symbol; mentions of it are skipped.
        known: the earlier citations already indexed (``Resolver.of(prior)``), used
            instead of ``prior`` and left unchanged: a file with many documents then
            indexes each earlier citation once, not once per later document.

    Returns:
        One ``Citation`` per mention, in text order (spans in source coordinates), and
        the relations the text states between two other documents.

    Example:
        >>> from ingest.clean import clean
        >>> r = extract_citations(clean("Thực hiện Chỉ thị số 33/CT-TTg ngày 26/11/2021."))
        >>> r.citations[0].key, r.citations[0].relation.value
        ('33/CT-TTG@2021', 'implements')
    """
    text = mt.text
    hi = len(text) if end is None else min(end, len(text))
    lo = max(0, min(start, hi))
    own_parts = parse_symbol(own_symbol) if own_symbol else None
    own = match_base(own_parts) if own_parts else None
    mentions = _merge(
        _symbol_mentions(text, lo, hi, own),
        _law_mentions(text, lo, hi),
        _short_mentions(text, lo, hi),
    )
    _share_lists(text, mentions)
    stated = _relate(text, mentions, lo)
    kept = _assign_keys(mentions, known.copy() if known is not None else Resolver.of(prior))
    citations = tuple(_as_citation(m, mt.span(m.start, m.end)) for m in kept)
    kept_ids = {id(m) for m in kept}
    relations = tuple(
        StatedRelation(_label(a), a.key, t.relation, _label(b), b.key, mt.span(a.start, b.end))
        for a, b, t in stated
        if id(a) in kept_ids and id(b) in kept_ids
    )
    return CitationResult(citations, relations)
