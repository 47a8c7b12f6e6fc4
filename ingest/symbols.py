"""Số ký hiệu (document symbols): one pattern, one parser, one canonical form.

The shapes come from the official numbering rules, not from samples:

* state administrative (Nghị định 30/2020/NĐ-CP, Phụ lục I): ``n/TYPE-ISSUER(-UNIT)*``
  (``33/CT-TTg``); a công văn has no type: ``n/ISSUER-UNIT`` (``1432/BNV-CTTN``);
* normative (Luật 80/2015/QH13, Điều 10): ``n/YYYY/TYPE-ISSUER(-ISSUER)*``
  (``28/2018/QĐ-TTg``, ``02/2015/TTLT-BNG-BNV``), laws ``n/YYYY/QH15``, ordinances
  ``n/YYYY/UBTVQH14``, consolidated texts ``n/VBHN-VPQH``;
* Party (Quy định 66-QĐ/TW; Hướng dẫn 36-HD/VPTW): ``n-TYPE/ISSUER(-ISSUER)*``
  (``25-NQ/TW``, ``03-CTr/BDVTW-BCSĐCP``).

Real text damages them (notes §9.4–9.7): spaces around ``-`` and ``/``, a line break
after a separator, glued footnote digits, Party symbols written in state form
(``18/NQ-TW``). The pattern tolerates the damage; ``canonical_symbol`` repairs it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache

import regex

from ingest.scan import scan
from ontology.terms import DOC_TYPES, ISSUERS, fold_code

__all__ = [
    "SYMBOL_PATTERN",
    "SymbolParts",
    "canonical_symbol",
    "find_symbols",
    "folded",
    "is_party_issuer",
    "normalise_number",
    "parse_symbol",
    "symbol_regex",
]


@dataclass(frozen=True, slots=True)
class SymbolParts:
    """The parts of one số ký hiệu.

    Attributes:
        number: the number as written canonically (leading zero below 10, letter suffix kept).
        year: the year segment of a normative symbol (``28/2018/QĐ-TTg`` → 2018), else None.
        type_code: the document-type code (``CT``, ``NQ``, ``QĐi``), None for a công văn.
        issuers: issuer and unit codes in order (``("BDVTW", "BCSĐCP")``).
        party: True for the Party form ``n-TYPE/ISSUER``.
        canonical: the repaired symbol string (``25-NQ/TW``).
    """

    number: str
    year: int | None
    type_code: str | None
    issuers: tuple[str, ...]
    party: bool
    canonical: str


# --- pattern parts ---------------------------------------------------------------------------

# A line break may follow a separator (PDF wrapping "33/CT-\nTTg"), blank lines included
# ("01-\n\nKL/TW"); never more than a few, so a symbol cannot run across paragraphs.
_WRAP = r"(?:[ \t]*\n){0,3}[ \t]*"
# Slash between parts; spaces either side are tolerated ("116 /2002/TT-BTC", notes §9.4).
_SLASH = r"[ \t]*/" + _WRAP
# Hyphen between number and type: spaces either side ("367 - QĐ/TWĐTN").
_HYPHEN_LOOSE = r"[ \t]*-" + _WRAP
# Hyphen between codes: space on one side only ("TT- BVHTTDL"); "QĐ-UBND - UBND tỉnh"
# (space on both sides) is a dash in prose, not part of the symbol.
_HYPHEN_TIGHT = r"(?:-" + _WRAP + r"|[ \t]+-(?=\S))"
# Number: up to 5 digits (caps glued footnote digits), optional letter suffix ("30c").
_NUMBER = r"(?P<num>\d{1,5}(?:[a-zA-Z](?=[ \t]*[-/]))?)"
# Year segment of a normative symbol, only when another slash follows ("28/2018/QĐ").
_YEAR = r"(?P<year>(?:19|20)\d\d)(?=[ \t]*/)"
# Quốc hội / UBTVQH codes carry the term number (QH15); the only codes ending in digits.
# A digit glued after the term is a footnote marker and is left out.
_TERM_CODE = r"(?:UBTVQH|QH)(?:1\d|[1-9])"
# One code: an upper-case run, optionally one lower-case letter between or after
# upper-case runs (TTg, CTr, QĐi, QyĐ), "&" inside unit codes (XDCQ&CTTN), and the
# legacy "Ttri". "Tỉnh", "Ban", "Bộ" never fit: two lower-case letters or a
# lower-case letter with a diacritic.
_PLAIN_CODE = r"(?:Ttri|\p{Lu}[\p{Lu}&]*(?:[a-zđ]\p{Lu}[\p{Lu}&]*)?[a-zđ]?)"
# A code is a whole token: no letter may follow (digits may: footnotes).
_CODE_ONE = r"(?>" + _TERM_CODE + r"|" + _PLAIN_CODE + r")(?!\p{L})"
# Dots join sub-unit codes ("SNV.XDCQ") only when a code follows at once, so a
# sentence-final period is never swallowed.
_CODE = _CODE_ONE + r"(?:\." + _CODE_ONE + r")*"
# An all-upper-case code of two or more letters: the only code allowed alone after
# "n/" ("123/UBND"), which keeps "05/Ba" or "3/Cá" out.
_SOLE_CODE = r"(?>" + _TERM_CODE + r"|\p{Lu}[\p{Lu}&]+)(?!\p{L})(?:\." + _CODE_ONE + r")*"
# Known Party type codes, for the damaged form with a space instead of the hyphen
# ("84 QĐ/TWĐTN", notes §9.4).
_PARTY_TYPES = r"(?:NQ|QĐi|QĐ|CT|KL|QC|TB|TT|HD|BC|KH|CTr|TTr|CV|BB|ĐA|PA|QTr|TC|ĐC|QHo)"
# Chain of further codes after the first one.
_CHAIN = r"(?:(?:" + _HYPHEN_TIGHT + r"|" + _SLASH + r")" + _CODE + r")*"
# Left edge: not inside a number, a dotted section number, a URL path, an e-mail,
# or an ASCII word ("ISO9001"); Vietnamese letters may precede ("số25-…" after PDF loss).
_LEFT = r"(?<![\p{N}/.@_\-A-Za-z])(?<!(?:https?://|www\.)\S*)"

_PARTY = (
    r"(?P<party>"
    + _NUMBER
    + r"(?:"
    + _HYPHEN_LOOSE
    + r"|[ \t]+(?="
    + _PARTY_TYPES
    + r"[ \t]*/))"
    + _CODE
    + _SLASH
    + _CODE
    + _CHAIN
    + r")"
)
_STATE = (
    r"(?P<state>"
    + _NUMBER
    + _SLASH
    + r"(?:"
    + _YEAR
    + _SLASH
    + _CODE
    + _CHAIN
    + r"|"
    + _CODE
    + r"(?:"
    + r"(?:"
    + _HYPHEN_TIGHT
    + r"|"
    + _SLASH
    + r")"
    + _CODE
    + r")+"
    + r"|"
    + _SOLE_CODE
    + r"))"
)


# The whole pattern as a string, for embedding in larger patterns (compile with regex.V1).
SYMBOL_PATTERN = _LEFT + r"(?:" + _PARTY + r"|" + _STATE + r")"


@cache
def symbol_regex() -> regex.Pattern[str]:
    """Compiled pattern that matches one symbol in cleaned (NFC, dash-normalised) text.

    Returns:
        A ``regex`` pattern; group ``party`` or ``state`` tells the written form.

    Example:
        >>> symbol_regex().search("theo Chỉ thị số 33/CT-TTg ngày").group(0)
        '33/CT-TTg'
    """
    return regex.compile(SYMBOL_PATTERN, regex.V1)


# --- reference sets (built from ontology.terms, cached) -------------------------------------


@lru_cache(maxsize=4096)
def folded(code: str) -> str:
    """``ontology.terms.fold_code`` memoised: the same few codes are folded again and again."""
    return fold_code(code)


# Administrative codes of Nghị định 30/2020 Phụ lục III that ontology.terms has no type for;
# they still mark the first code as a type, not an issuer.
_EXTRA_STATE_TYPES = (
    "GM",
    "GGT",
    "GNP",
    "GUQ",
    "BGN",
    "BTT",
    "HĐ",
    "PG",
    "PC",
    "PB",
    "SY",
    "TrS",
    "SL",
    "CV",
    "ĐCVB",
    "QĐi",
)


@cache
def _state_type_codes() -> frozenset[str]:
    codes = {fold_code(c) for t in DOC_TYPES for c in t.state_codes}
    return frozenset(codes | {fold_code(c) for c in _EXTRA_STATE_TYPES})


@cache
def _party_type_codes() -> frozenset[str]:
    extra = ("QTr", "ĐC", "QHo", "QĐ")
    return frozenset(
        {fold_code(c) for t in DOC_TYPES for c in t.party_codes} | {fold_code(c) for c in extra}
    )


@cache
def _official_spellings() -> tuple[dict[str, str], dict[str, str]]:
    """Folded code → official spelling, for type codes and issuer codes.

    A folded code with two official spellings (HD Hướng dẫn / HĐ Hợp đồng) maps to
    nothing: folding must never merge them (notes §9.3).
    """

    def table(codes: list[str]) -> dict[str, str]:
        seen: dict[str, set[str]] = {}
        for c in codes:
            seen.setdefault(fold_code(c), set()).add(c)
        return {k: next(iter(v)) for k, v in seen.items() if len(v) == 1}

    types = [c for t in DOC_TYPES for c in (*t.state_codes, *t.party_codes)]
    types += [*_EXTRA_STATE_TYPES, "QTr", "ĐC", "QHo"]
    return table(types), table([i.code for i in ISSUERS])


@cache
def _official_codes() -> tuple[frozenset[str], frozenset[str]]:
    """The official spellings of ``_official_spellings``' two tables, as sets (a code
    already spelled officially is looked up, not searched for among the values)."""
    types, issuers = _official_spellings()
    return frozenset(types.values()), frozenset(issuers.values())


def _respell(code: str, table: dict[str, str], official: frozenset[str]) -> str:
    """Official spelling of a code written with a folded Đ or a wrong case ("Qđ" → "QĐ").

    ``official``: the values of ``table`` (``_official_codes``).
    """
    if code in official:
        return code
    return table.get(folded(code), code)


@cache
def _party_issuer_codes() -> frozenset[str]:
    return frozenset(fold_code(i.code) for i in ISSUERS if i.party)


# Codes of Party committees (cấp ủy), by level. A committee's own units end in its code
# ("BTGTU" Ban Tuyên giáo Tỉnh ủy, "VPHU" Văn phòng Huyện ủy, "BTCTXU").
_PARTY_COMMITTEES = (
    "TW",  # Trung ương (Central Committee, Bộ Chính trị, Ban Bí thư)
    "TU",  # Tỉnh ủy, Thành ủy (a centrally governed city), Thị ủy (older name)
    "HU",  # Huyện ủy
    "QU",  # Quận ủy
    "TXU",  # Thị xã ủy
    "ĐU",  # Đảng ủy (commune, agency, enterprise)
    "ĐUK",  # Đảng ủy khối (bloc of agencies or enterprises)
)


@cache
def _party_suffix() -> regex.Pattern[str]:
    """A folded issuer code that ends in a Party committee's code."""
    codes = sorted({fold_code(c) for c in _PARTY_COMMITTEES}, key=len, reverse=True)
    return regex.compile(r"(?:" + "|".join(codes) + r")$")


def is_party_issuer(code: str) -> bool:
    """True when ``code`` names a Party body (TW, TU, TXU, BTGTU, ĐU, BCSĐCP …).

    Args:
        code: an issuer code as written; Đ/D and case are folded.

    Example:
        >>> is_party_issuer("TXU"), is_party_issuer("UBND")
        (True, False)
    """
    key = folded(code)
    return key in _party_issuer_codes() or bool(_party_suffix().search(key))


# --- parsing ---------------------------------------------------------------------------------

_SPACE = regex.compile(r"\s+")
_TOKEN = regex.compile(r"([-/])([^-/]+)")


def normalise_number(raw: str) -> str:
    """Leading zero below 10, as the rules write it ("5" → "05", "005" → "05", "30C" → "30c")."""
    digits = raw.rstrip("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
    suffix = raw[len(digits) :]
    return str(int(digits)).zfill(2) + suffix.lower()


def _tokens(body: str) -> list[tuple[str, str]]:
    """Split ``body`` (spaces removed, starting with a separator) into (sep, code) pairs."""
    return [(m.group(1), m.group(2)) for m in _TOKEN.finditer(body)]


def _parse_match(m: regex.Match[str]) -> SymbolParts | None:
    """Turn one ``symbol_regex`` match into parts; None when it is not a symbol after all."""
    return _parse_groups(m.group(0), m.group("num"), m.group("year"), m.group("party") is not None)


@lru_cache(maxsize=4096)
def _parse_groups(raw: str, num: str, year_text: str | None, party: bool) -> SymbolParts | None:
    """``_parse_match`` on the groups it reads, remembered: a file cites the same few
    symbols again and again, and a corpus the same central documents."""
    number = normalise_number(num)
    year = int(year_text) if year_text else None
    text = _SPACE.sub("", raw)
    body = text[len(num) :]
    if party:
        body = body if body[:1] in "-/" else "-" + body  # "84 QĐ/TWĐTN": hyphen restored
        return _party_parts(number, _tokens(body))
    tokens = _tokens(body)
    if year is not None:
        tokens = tokens[1:]
    return _state_parts(number, year, tokens)


def _party_parts(number: str, tokens: list[tuple[str, str]]) -> SymbolParts | None:
    types, issuer_table = _official_spellings()
    type_names, issuer_names = _official_codes()
    type_code = _respell(tokens[0][1], types, type_names)
    issuers = tuple(_respell(c, issuer_table, issuer_names) for _, c in tokens[1:])
    if not issuers:
        return None
    canonical = f"{number}-{type_code}/" + "-".join(issuers)
    return SymbolParts(number, None, type_code, issuers, True, canonical)


def _state_parts(
    number: str, year: int | None, tokens: list[tuple[str, str]]
) -> SymbolParts | None:
    if not tokens:
        return None
    types, issuer_table = _official_spellings()
    type_names, issuer_names = _official_codes()
    first_tables = (
        (types, type_names) if folded(tokens[0][1]) in types else (issuer_table, issuer_names)
    )
    codes = [
        _respell(c, *(first_tables if i == 0 else (issuer_table, issuer_names)))
        for i, (_, c) in enumerate(tokens)
    ]
    tokens = [(s, c) for (s, _), c in zip(tokens, codes, strict=True)]
    first = folded(codes[0])
    # A Party symbol written in state form: "25/NQ-TW" means "25-NQ/TW" (notes §9.5).
    if (
        year is None
        and len(codes) > 1
        and first in _party_type_codes()
        and is_party_issuer(codes[1])
    ):
        return _party_parts(number, [("-", codes[0]), *(("-", c) for c in codes[1:])])
    is_type = first in _state_type_codes() and len(codes) > 1
    type_code = codes[0] if is_type else None
    issuers = tuple(codes[1:] if is_type else codes)
    head = f"{number}/{year}/" if year is not None else f"{number}/"
    rest = "-".join(codes)
    # Two-slash joint forms keep their slashes ("05/2013/TTLT/BYT-BTC").
    if any(s == "/" for s, _ in tokens[1:]):
        rest = codes[0] + "".join(s + c for s, c in tokens[1:])
    return SymbolParts(number, year, type_code, issuers, False, head + rest)


def _normalise(raw: str) -> str:
    text = unicodedata.normalize("NFC", raw)
    for dash in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d":
        text = text.replace(dash, "-")
    return text.replace("\u00d0", "Đ").replace("\u00f0", "đ")


def parse_symbol(raw: str) -> SymbolParts | None:
    """Parse a symbol string into its parts.

    Args:
        raw: a symbol as written, possibly with spaces, line breaks, NFD letters, dash
            variants or a glued footnote digit ("25-NQ/TW1").

    Returns:
        The parts, or None when ``raw`` does not start with a symbol.

    Example:
        >>> parse_symbol("18/NQ-TW").canonical
        '18-NQ/TW'
    """
    if len(raw) <= _PARSE_MEMO_MAX:
        return _parse_symbol_memo(raw)
    return _parse_symbol(raw)


# Symbols are short; a longer string (prose handed in by mistake) is parsed, not kept.
_PARSE_MEMO_MAX = 120


@lru_cache(maxsize=4096)
def _parse_symbol_memo(raw: str) -> SymbolParts | None:
    """``_parse_symbol``, remembered: the same symbols are parsed again and again (each
    resolved citation, the header's own number, the document key), and the result is an
    immutable value."""
    return _parse_symbol(raw)


def _parse_symbol(raw: str) -> SymbolParts | None:
    m = symbol_regex().match(_normalise(raw).strip())
    return _parse_match(m) if m else None


def canonical_symbol(raw: str) -> str | None:
    """Canonical form of ``raw`` ("33/CT- TTg" → "33/CT-TTg"), or None if not a symbol."""
    parts = parse_symbol(raw)
    return parts.canonical if parts else None


def find_symbols(
    text: str, start: int = 0, end: int | None = None
) -> list[tuple[int, int, SymbolParts]]:
    """Every symbol in ``text[start:end]`` as ``(start, end, parts)`` in text coordinates."""
    out: list[tuple[int, int, SymbolParts]] = []
    stop = len(text) if end is None else end
    for m in _symbol_matches(text, start, stop):
        parts = _parse_match(m)
        if parts is not None:
            out.append((m.start(), m.end(), parts))
    return out


# How every match of ``symbol_regex`` starts, in plain characters: the number
# (``_NUMBER``, one to five digits and maybe a letter) and then a slash or a hyphen
# (``_SLASH``, ``_HYPHEN_LOOSE``), or blanks and a Party type code (the damaged "84
# QĐ/TWĐTN"). It opens with the digit, so the standard library's engine skips to each
# digit at C speed; the look-behind after it is ``_LEFT``'s first one for that digit
# (``\d`` is a decimal digit in both engines, a part of ``\p{N}``), so the day and the
# month of a date ("15/12/2024") open one try, not three.
#
# After the slash or hyphen (and the line breaks ``_WRAP`` allows, taken whole: the
# pattern can never stop inside them, as a blank or a line break starts no code), every
# match goes on with a code (an upper-case letter) or, after a slash, a year "19xx/" or
# "20xx/" (``_YEAR``). ``_AFTER_SEPARATOR`` turns away what no symbol can go on with:
# an ASCII digit that does not open "19" or "20", two characters, blanks and a slash.
# Dates ("15/12/2024", "15/6") and year ranges ("2021 - 2025") were half the places the
# pattern was tried at, and failed at all of them. The year's digits are not checked
# as digits (any two non-blanks pass): ``regex`` may know digits the standard library's
# ``\d`` does not, so only what is certainly no year is turned away.
_AFTER_SEPARATOR = r"(?>" + _WRAP + r")(?!(?!(?:19|20)\S\S[ \t]*/)[0-9])"
_SYMBOL_OPENING = (
    r"\d(?<![\d/.@_\-A-Za-z]\d)\d{0,4}"
    r"(?:[a-zA-Z]?[ \t]*[-/]" + _AFTER_SEPARATOR + r"|[ \t]+" + _PARTY_TYPES + r")"
)


@cache
def _symbol_opening() -> re.Pattern[str]:
    """``_SYMBOL_OPENING``, compiled for the standard library's engine."""
    return re.compile(_SYMBOL_OPENING)


def _symbol_matches(text: str, start: int, stop: int) -> Iterator[regex.Match[str]]:
    """``symbol_regex().finditer(text, start, stop)``, the pattern tried only where
    ``_SYMBOL_OPENING`` matches (``ingest.scan``). The whole pattern, scanned by
    ``regex`` at every place, cost a fifth more."""
    return scan(symbol_regex(), _symbol_opening(), text, start, stop)
