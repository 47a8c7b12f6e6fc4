"""The in-memory search index that ``api.search_store`` replaced, kept as the tests' oracle.

``build_index(index_rows(store))`` reads every document's fields with whole-store
queries and searches them in Python, exactly as the on-disk index must (same matches,
same ranking); tests compare the two.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from api.search import (
    _FILLER,
    DocEntry,
    _compact,
    _matches,
    entry,
    public_id,
    words,
)
from api.search_source import _INDEX_FIELDS, _ISSUER_NAMES, _ISSUERS, _PREFIXES
from ontology.terms import fold_code

_IS_DOCUMENT = "SELECT DISTINCT ?doc WHERE { ?doc a lo:Document }"


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


