"""Document search that ignores diacritics and case and knows the usual abbreviations.

The index is built from a few one-field SPARQL queries (``index_rows``: symbol,
type, title, issuer, date, key of every document, the fields of
``graph/queries/documents.rq``) and kept in memory until the next write. Matching
works on folded words (``ingest.clean.fold``: "Chỉ thị" → "chi thi", Đ → d):

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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import regex

from ingest.clean import fold
from ontology.terms import DOC_TYPES, ISSUERS, fold_code

__all__ = [
    "FILLER",
    "DocEntry",
    "SearchIndex",
    "abbreviations",
    "build_index",
    "compact",
    "entry",
    "index_rows",
    "public_id",
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


@dataclass(frozen=True, slots=True)
class Hit:
    entry: DocEntry
    score: tuple[int, int, int, str]


def _score(e: DocEntry, query: Sequence[str], whole: str) -> tuple[int, int, int, str] | None:
    required = [w for w in query if w not in _FILLER]
    if not all(_matches(e.vocabulary, w) for w in required):
        return None
    exact = int(bool(whole) and whole in {_compact(e.symbol or ""), _compact(e.key or "")})
    in_symbol = sum(1 for w in query if w in e.symbol_words)
    found = sum(1 for w in query if _matches(e.vocabulary, w))
    return (exact, in_symbol, found, e.date.isoformat() if e.date else "")


class SearchIndex:
    """All documents of one store generation, searchable (see the module docstring)."""

    def __init__(self, entries: Iterable[DocEntry], base: str = "") -> None:
        self.entries = tuple(sorted(entries, key=lambda e: (e.key or "", e.iri)))
        self.by_iri = {e.iri: e for e in self.entries}
        self.base = base

    def doc_id(self, e: DocEntry) -> str:
        """The id ``find`` resolves to ``e`` alone: its identity key when that has a year
        (or is an ``ANON:`` key), else its IRI path after the base (a yearless key is also
        a symbol, which names the dated document first)."""
        return public_id(e, self.base)

    def __len__(self) -> int:
        return len(self.entries)

    def search(self, q: str | None = None, *, doc_type: str | None = None,
               issuer: str | None = None, year: int | None = None) -> list[DocEntry]:
        """Documents matching every given criterion, best first."""
        query = words(q)
        issuer_words = [w for w in words(issuer) if w not in _FILLER]
        hits: list[Hit] = []
        for e in self.entries:
            if doc_type and e.doc_type != doc_type:
                continue
            if year is not None and e.year != year:
                continue
            if issuer_words and not all(_matches(e.issuer_words, w) for w in issuer_words):
                continue
            score = _score(e, query, _compact(q or ""))
            if score is not None:
                hits.append(Hit(e, score))
        hits.sort(key=lambda h: h.score, reverse=True)
        return [h.entry for h in hits]

    def find(self, ident: str, base: str) -> list[DocEntry]:
        """Documents ``ident`` names: an IRI, an IRI path after ``base``, a key or a symbol.

        A key or symbol is compared folded (case, diacritics, Đ/D and punctuation
        spacing ignored); a symbol without ``@year`` may name several documents.
        """
        text = unicodedata.normalize("NFC", ident.strip())
        for candidate in (text, base + text.lstrip("/")):
            if candidate in self.by_iri:
                return [self.by_iri[candidate]]
        if "@" in text:  # an identity key names one document
            want = fold_code(text).upper().replace(" ", "")
            return [e for e in self.entries if e.key and fold_code(e.key).upper() == want]
        folded = _compact(text)
        return [e for e in self.entries
                if (e.symbol and _compact(e.symbol) == folded)
                or (e.key and _compact(e.key.split("@")[0]) == folded)]


def public_id(e: DocEntry, base: str) -> str:
    """The id that names ``e`` alone in ``/documents/{id}``: its identity key when that
    has a year (or is an ``ANON:`` key), else its IRI path after the base (a yearless
    key is also a symbol, which names the dated document first)."""
    if e.key and ("@" in e.key or e.key.startswith("ANON:")):
        return e.key
    return e.iri.removeprefix(base) if base else e.iri


def build_index(rows: Iterable[Mapping[str, Any]], base: str = "") -> SearchIndex:
    """The index of ``documents.rq`` rows (values may be rdflib terms or strings).

    A document with several titles or issuers comes as several rows: each field keeps
    its first value in sorted order, so the index does not depend on row order.
    """
    merged: dict[str, dict[str, list[str]]] = {}
    for row in rows:
        doc = row.get("doc")
        if doc is None:
            continue
        fields = merged.setdefault(str(doc), {})
        for k, v in row.items():
            if v is not None:
                fields.setdefault(k, []).append(str(v))
    return SearchIndex((entry({k: min(v) for k, v in fields.items()})
                        for fields in merged.values()), base)


_PREFIXES = """PREFIX lo: <https://w3id.org/luocdo/ontology#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
# One small DISTINCT select per field, joined in Python. The union default graph repeats a
# triple once per source file that states it, so a join of several patterns about a much
# cited document multiplies those copies (k files → k² rows per pair of patterns): the
# single ``documents.rq`` join took minutes on 2,000 documents. Each query here matches
# one or two patterns and DISTINCT folds the copies.
_INDEX_FIELDS: tuple[tuple[str, str], ...] = (
    ("key", "SELECT DISTINCT ?doc ?v WHERE { ?doc lo:identityKey ?v }"),
    ("symbol", "SELECT DISTINCT ?doc ?v WHERE { ?doc lo:symbol ?v }"),
    ("docType", "SELECT DISTINCT ?doc ?v WHERE { ?doc lo:documentType ?v }"),
    ("date", "SELECT DISTINCT ?doc ?v WHERE { ?doc eli:date_document ?v }"),
    ("title", "SELECT DISTINCT ?doc ?v WHERE { ?doc eli:title ?v }"),
)
_IS_DOCUMENT = "SELECT DISTINCT ?doc WHERE { ?doc a lo:Document }"
_ISSUERS = "SELECT DISTINCT ?doc ?node WHERE { ?doc lo:issuedBy ?node }"
# The issuer's name: its Vietnamese skos:prefLabel, else its plain rdfs:label.
_ISSUER_NAMES = """SELECT DISTINCT ?node ?v ?pref WHERE {
  { ?node skos:prefLabel ?v FILTER (LANG(?v) = "vi") BIND (true AS ?pref) }
  UNION
  { ?node rdfs:label ?v FILTER (LANG(?v) = "") BIND (false AS ?pref) }
}"""


def _select(store: Any, text: str) -> list[dict[str, str]]:
    return [{k: str(v) for k, v in row.items()} for row in store.query(_PREFIXES + text)]


def _issuer_names(store: Any) -> dict[str, list[str]]:
    """Issuer node → its names (preferred labels when it has any, else plain labels)."""
    pref: dict[str, list[str]] = {}
    plain: dict[str, list[str]] = {}
    for row in _select(store, _ISSUER_NAMES):
        (pref if row["pref"] == "true" else plain).setdefault(row["node"], []).append(row["v"])
    return {node: pref.get(node) or plain.get(node, []) for node in {*pref, *plain}}


def index_rows(store: Any) -> list[dict[str, str]]:
    """Rows as ``documents.rq`` gives them (no filter), as strings (a runner task).

    One row per document and field value: ``build_index`` merges them per document.
    Only typed documents with an identity key are listed, as in ``documents.rq``.
    """
    fields = {name: _select(store, text) for name, text in _INDEX_FIELDS}
    typed = {row["doc"] for row in _select(store, _IS_DOCUMENT)}
    keyed = {row["doc"] for row in fields["key"]} & typed
    rows = [{"doc": row["doc"], name: row["v"]}
            for name, found in fields.items() for row in found if row["doc"] in keyed]
    names = _issuer_names(store)
    rows += [{"doc": row["doc"], "issuerName": name}
             for row in _select(store, _ISSUERS) if row["doc"] in keyed
             for name in names.get(row["node"], ())]
    return rows


def text_matches(text: str | None, query: str | None) -> bool:
    """True when every (non-filler) word of ``query`` matches ``text`` as search does.

    Example:
        >>> text_matches("Ủy ban nhân dân tỉnh Đồng Nai", "UBND dong nai")
        True
    """
    wanted = [w for w in words(query) if w not in _FILLER]
    if not wanted:
        return True
    vocab = frozenset(words(text)) | frozenset(_expanded(words(text)))
    return all(_matches(vocab, w) for w in wanted)
