"""Identity keys of documents: the basis of every document IRI.

A số ký hiệu is unique only together with its year (state numbering restarts each
1 January, Nghị định 30/2020 Điều 15) or its term (Party numbering runs per nhiệm kỳ),
so the key is ``fold(canonical symbol) + "@" + year``. Fold: NFC, Đ→D, upper case,
and the type code replaced by the code of the type the *type word* names, because
writers mix QĐ / QĐi / QyĐ for a Party or state "Quy định" (notes §3). A document
known only by name ("Luật Thực hiện dân chủ ở cơ sở năm 2022") gets ``LUAT:`` keys;
an unnumbered document gets ``ANON:`` plus a content hash.

These strings must never drift: ``tests/test_identity.py`` pins literal values.
"""

from __future__ import annotations

import hashlib
import unicodedata
from functools import cache, lru_cache

import regex

from ingest.symbols import SymbolParts, folded
from ontology.terms import DOC_TYPES, fold_code

__all__ = [
    "anon_key",
    "anonymous_key",
    "base_key",
    "document_key",
    "fold_key",
    "law_key",
    "match_base",
]

# Type codes that writers use for one another. Within a class, the type word decides
# which code the key carries; outside it the written code stands (a "Kế hoạch số
# 03-CTr/…" keeps CTr: the word may be loose, the code is what the issuer wrote).
_CONFUSABLE: tuple[frozenset[str], ...] = (
    frozenset({"QD", "QDI", "QYD"}),  # Quyết định / Quy định (Party QĐi, state QyĐ)
    frozenset({"TT", "TTRI"}),  # Thông tri: Party TT, legacy state Ttri
)


@cache
def _canonical_code(slug: str, party: bool) -> str | None:
    """Folded code a type carries in the given numbering system, if it has one."""
    for t in DOC_TYPES:
        if t.slug == slug:
            codes = t.party_codes if party else t.state_codes
            return fold_code(codes[0]) if codes else None
    return None


def _class_of(code: str) -> frozenset[str] | None:
    for cls in _CONFUSABLE:
        if code in cls:
            return cls
    return None


def _type_code_for_key(parts: SymbolParts, doc_type: str | None) -> str | None:
    """Folded type code the key uses: the type word's code when the two are confusable."""
    if parts.type_code is None:
        return None
    written = folded(parts.type_code)
    if doc_type is None:
        return written
    wanted = _canonical_code(doc_type, parts.party)
    if wanted is None or wanted == written:
        return written
    cls = _class_of(written)
    return wanted if cls is not None and wanted in cls else written


def _assemble(parts: SymbolParts, type_code: str | None) -> str:
    issuers = "-".join(folded(i) for i in parts.issuers)
    if parts.party:
        return f"{parts.number.upper()}-{type_code}/{issuers}"
    head = f"{parts.number.upper()}/"
    if parts.year is not None:
        head += f"{parts.year}/"
    body = folded(parts.canonical.split("/", 2 if parts.year is not None else 1)[-1])
    if type_code is not None and parts.type_code is not None:
        body = type_code + body[len(folded(parts.type_code)) :]
    return head + body


# ``fold_key`` and ``match_base`` are pure functions of a frozen ``SymbolParts`` (and a
# type slug), asked again and again for the same documents (every mention of a central
# directive, every resolved citation): their answers are remembered.
_KEY_MEMO = 4096


@lru_cache(maxsize=_KEY_MEMO)
def fold_key(parts: SymbolParts, doc_type: str | None = None) -> str:
    """The symbol part of a key: folded canonical symbol with the type word's code.

    Example:
        >>> from ingest.symbols import parse_symbol
        >>> fold_key(parse_symbol("205-QĐ/TW"), "quy-dinh")
        '205-QDI/TW'
    """
    return _assemble(parts, _type_code_for_key(parts, doc_type))


@lru_cache(maxsize=_KEY_MEMO)
def match_base(parts: SymbolParts) -> str:
    """Key used to match mentions of one document whatever type code was written.

    Confusable codes (QĐ/QĐi/QyĐ) collapse to one representative, so "Quy định số
    205-QĐ/TW" and a later bare "205-QĐi/TW" are candidates for each other.
    """
    code = None if parts.type_code is None else folded(parts.type_code)
    cls = _class_of(code) if code is not None else None
    rep = min(cls) if cls is not None else code
    return _assemble(parts, rep)


def _ascii_fold(text: str) -> str:
    t = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    t = "".join(c for c in t if not unicodedata.combining(c))
    return t


_NON_WORD = regex.compile(r"[^a-z0-9]+")


def law_key(name: str, year: int | None) -> str:
    """Key of a law (or Hiến pháp, Pháp lệnh) cited by name.

    Example:
        >>> law_key("Luật Thực hiện dân chủ ở cơ sở", 2022)
        'LUAT:luat-thuc-hien-dan-chu-o-co-so@2022'
    """
    slug = _NON_WORD.sub("-", _ascii_fold(unicodedata.normalize("NFC", name)).lower()).strip("-")
    return f"LUAT:{slug}" + (f"@{year}" if year is not None else "")


def anon_key(text: str) -> str:
    """Key of a document that has no number: a hash of its NFC text."""
    digest = hashlib.sha256(unicodedata.normalize("NFC", text).encode("utf-8")).hexdigest()
    return "ANON:" + digest[:16]


def anonymous_key(text: str) -> str:
    """Same as ``anon_key`` (the name ``ingest.extract`` uses)."""
    return anon_key(text)


def base_key(key: str) -> str:
    """A key without its ``@year`` part."""
    return key.rsplit("@", 1)[0] if "@" in key else key


def document_key(
    parts: SymbolParts | None,
    year: int | None,
    *,
    doc_type: str | None = None,
    name: str | None = None,
    text: str | None = None,
) -> str:
    """Identity key of a document.

    Args:
        parts: the parsed symbol, or None for a law cited by name / an unnumbered document.
        year: year of the date written beside the mention (or the document's own date);
            when None, the symbol's own year segment is used.
        doc_type: slug of the type named by the type word ("quy-dinh"), if any.
        name: name of a law cited by name ("Luật Thực hiện dân chủ ở cơ sở").
        text: the document text, for an unnumbered document.

    Returns:
        ``"33/CT-TTG@2021"``, ``"LUAT:…@2022"``, ``"ANON:…"``; without a known year the
        ``@year`` part is left out.

    Raises:
        ValueError: when neither a symbol, a name nor a text is given.
    """
    if parts is not None:
        y = year if year is not None else parts.year
        return fold_key(parts, doc_type) + (f"@{y}" if y is not None else "")
    if name is not None:
        return law_key(name, year)
    if text is not None:
        return anon_key(text)
    raise ValueError("document_key needs a symbol, a name or the document text")
