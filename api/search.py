"""Document search that ignores diacritics and case and knows the usual abbreviations.

The index lives on disk (``api.search_store``, built from the fields
``api.search_source`` reads: symbol, type, title, issuer, date and key of every
document); this module holds what it and its users share. Matching works on folded
words (``ingest.clean.fold``: "Chỉ thị" → "chi thi", Đ → d):

* every query word must occur among a document's words (a word of 3+ letters may
  be the start of one: "quyet" finds "quyết định"), except filler words ("số",
  "ngày", "năm", "của", …) which only help ranking;
* an abbreviation also matches its expansion, from ``ontology.terms``: issuer codes
  ("UBND" → "Ủy ban nhân dân", "BNV" → "Bộ Nội vụ", "TTg" → "Thủ tướng Chính phủ") and
  type codes ("CT" → "Chỉ thị", "KH" → "Kế hoạch");
* the codes inside a document's own symbol are expanded into its words, so
  "ủy ban nhân dân" also finds "1876/UBND-VX" when the issuer name is unknown.

Ranking: the whole symbol typed exactly, then words found in the symbol, then the
number of words found, then the newest date.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache

import regex

from ingest.clean import fold
from ontology.terms import DOC_TYPES, ISSUERS, fold_code

__all__ = [
    "FILLER",
    "DocEntry",
    "abbreviations",
    "compact",
    "entry",
    "key_id",
    "public_id",
    "text_matcher",
    "text_matches",
    "words",
]

# Runs of letters and digits: the words of a folded text ("33/ct-ttg" → 33, ct, ttg).
_WORD = regex.compile(r"[\p{L}\p{N}]+")
# Words that carry no meaning in a search for a document ("chỉ thị số 33 ngày …").
FILLER = frozenset(("so", "ngay", "thang", "nam", "cua", "va", "ve", "v", "vv", "ky",
                    "hieu", "ban", "hanh", "van"))
_FILLER = FILLER
# Shortest code expanded: one-letter codes ("L" = Lệnh) would expand ordinary letters.
_MIN_CODE = 2
_TYPE_PREFIX = "type-"


def words(text: str | None) -> tuple[str, ...]:
    """Folded words of ``text`` (NFC or NFD alike)."""
    if not text:
        return ()
    return tuple(_WORD.findall(fold(unicodedata.normalize("NFC", text))))


@cache
def abbreviations() -> Mapping[str, tuple[tuple[str, ...], ...]]:
    """Folded code → folded expansions (issuer names, type names) from ``ontology.terms``."""
    table: dict[str, list[tuple[str, ...]]] = {}

    def add(code: str, name: str) -> None:
        key = fold_code(code).lower()
        if len(key) >= _MIN_CODE and words(name) not in table.setdefault(key, []):
            table[key].append(words(name))

    for issuer in ISSUERS:
        add(issuer.code, issuer.vi)
    for t in DOC_TYPES:
        for code in (*t.state_codes, *t.party_codes):
            add(code, t.vi)
    return {k: tuple(v) for k, v in table.items()}


@dataclass(frozen=True, slots=True)
class DocEntry:
    """One document of the index, as the API shows it."""

    iri: str
    key: str | None
    symbol: str | None
    doc_type: str | None  # slug, e.g. "chi-thi"
    title: str | None
    issuer: str | None
    date: dt.date | None
    year: int | None
    vocabulary: frozenset[str]
    symbol_words: frozenset[str]
    issuer_words: frozenset[str]  # the issuer's name and the codes in the symbol


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _year(key: str | None, date: dt.date | None) -> int | None:
    if date is not None:
        return date.year
    tail = (key or "").rpartition("@")[2]
    return int(tail) if tail.isdigit() and len(tail) == 4 else None


def _type_words(slug: str | None) -> tuple[str, ...]:
    info = next((t for t in DOC_TYPES if t.slug == slug), None)
    return words(info.vi) if info else ()


def _date_words(date: dt.date | None) -> tuple[str, ...]:
    if date is None:
        return ()
    return (str(date.day), f"{date.day:02d}", str(date.month), f"{date.month:02d}",
            str(date.year))


def _expanded(ws: Iterable[str]) -> set[str]:
    out: set[str] = set()
    for w in ws:
        for phrase in abbreviations().get(w, ()):
            out.update(phrase)
    return out


def entry(row: Mapping[str, str | None]) -> DocEntry:
    """An index entry from one ``documents.rq`` row (values as lexical strings)."""
    slug = (row.get("docType") or "").rpartition("#")[2].removeprefix(_TYPE_PREFIX) or None
    date = _date(row.get("date"))
    year = _year(row.get("key"), date)
    symbol_ws = set(words(row.get("symbol"))) | set(words((row.get("key") or "").split("@")[0]))
    issuer_ws = set(words(row.get("issuerName"))) | symbol_ws | _expanded(symbol_ws)
    vocab = issuer_ws | set(words(row.get("title"))) | set(_type_words(slug))
    vocab |= set(_date_words(date)) | ({str(year)} if year else set())
    return DocEntry(
        iri=str(row["doc"]), key=row.get("key"), symbol=row.get("symbol"), doc_type=slug,
        title=row.get("title"), issuer=row.get("issuerName"), date=date, year=year,
        vocabulary=frozenset(vocab), symbol_words=frozenset(symbol_ws),
        issuer_words=frozenset(issuer_ws),
    )


def _has(vocab: frozenset[str], word: str) -> bool:
    if word in vocab:
        return True
    return len(word) >= 3 and word.isalpha() and any(v.startswith(word) for v in vocab)


def _matches(vocab: frozenset[str], word: str) -> bool:
    """The word, or one of its expansions (every word of it), is in ``vocab``."""
    if _has(vocab, word):
        return True
    return any(all(_has(vocab, w) for w in phrase) for phrase in abbreviations().get(word, ()))


def compact(text: str) -> str:
    """The folded words of ``text`` run together: ``"33/CT-TTg"`` → ``"33cttg"``."""
    return "".join(words(text))


_compact = compact


def public_id(e: DocEntry, base: str) -> str:
    """The id that names ``e`` alone in ``/documents/{id}``: its identity key when that
    has a year (or is an ``ANON:`` key), else its IRI path after the base (a yearless
    key is also a symbol, which names the dated document first)."""
    return key_id(e.key, e.iri, base)


def key_id(key: str | None, iri: str, base: str) -> str:
    """``public_id`` of the document ``iri`` with identity key ``key`` (no entry needed)."""
    if key and ("@" in key or key.startswith("ANON:")):
        return key
    return iri.removeprefix(base) if base else iri


def text_matches(text: str | None, query: str | None) -> bool:
    """True when every (non-filler) word of ``query`` matches ``text`` as search does.

    Example:
        >>> text_matches("Ủy ban nhân dân tỉnh Đồng Nai", "UBND dong nai")
        True
    """
    return text_matcher(query)(text)


def text_matcher(query: str | None) -> Callable[[str | None], bool]:
    """``text_matches(·, query)`` as a function, the query read once, each text's answer
    remembered: a filter on the whole-store obligations asks it of tens of thousands of
    rows that repeat a few bearers and recipients."""
    wanted = [w for w in words(query) if w not in _FILLER]
    if not wanted:
        return lambda _: True
    known: dict[str | None, bool] = {}

    def matches(text: str | None) -> bool:
        found = known.get(text)
        if found is None:
            vocab = _vocabulary(text or "")
            found = known[text] = all(_matches(vocab, w) for w in wanted)
        return found
    return matches


@lru_cache(maxsize=65_536)
def _vocabulary(text: str) -> frozenset[str]:
    """The folded words of ``text`` and their expansions, remembered: a filter on
    ``/obligations`` or ``/calendar.ics`` matches every obligation's bearer and
    recipient, and a national corpus repeats a few thousand of them ("Ủy ban nhân dân
    các tỉnh, thành phố trực thuộc Trung ương") across tens of thousands of rows."""
    found = words(text)
    return frozenset(found) | frozenset(_expanded(found))
