"""IRIs for everything luocdo puts in a graph: readable, ELI-like and deterministic.

Every IRI is a pure function of stable inputs (an identity key, a normalised file
path, character offsets), never of a counter or a blank node, so ingesting the
same corpus twice gives the same graph and re-ingesting a file replaces its triples
instead of adding new ones. ``tests/test_graph_iri.py`` pins literal values.

Documents (from ``ingest.identity`` keys)::

    33/CT-TTG@2021              <base>eli/vn/ct/2021/33/ttg
    1432/BNV-CTTN@2023          <base>eli/vn/cv/2023/1432/bnv-cttn      (công văn: no type code)
    28/2018/QD-TTG@2018         <base>eli/vn/qd/2018/28/ttg/qppl        (normative series)
    28/QD-TTG@2018              <base>eli/vn/qd/2018/28/ttg             (individual decision)
    10/2022/QH15@2022           <base>eli/vn/_/2022/10/qh15/qppl        (no type code in symbol)
    25-NQ/TW@2013               <base>eli/vn/nq/2013/25/tw
    33/CT-TTG                   <base>eli/vn/ct/_/33/ttg                 (year unknown)
    LUAT:luat-thuc-hien-…@2022  <base>eli/vn/luat/2022/thuc-hien-…       (law cited by name)
    ANON:0123abcd…              <base>doc/anon/0123abcd…

``_`` stands for an unknown segment. Normative documents (a year inside the symbol)
get the trailing ``/qppl`` segment because they are numbered in a series of their
own (Luật 80/2015/QH13 Điều 10): ``28/2018/QĐ-TTg`` and ``28/QĐ-TTg`` of 2018 are
two documents. Party and state symbols share the template: their issuer codes
already differ (TW, TU … vs TTg, UBND …).
"""

from __future__ import annotations

import hashlib
import os
import unicodedata
from pathlib import Path
from urllib.parse import quote

import regex
from rdflib import URIRef

from ingest.symbols import parse_symbol
from ontology.terms import fold_code

__all__ = [
    "DEFAULT_BASE",
    "agent_iri",
    "base_iri",
    "citation_iri",
    "counts_graph_iri",
    "deadline_iri",
    "derived_graph_iri",
    "document_iri",
    "due_month_iri",
    "due_page_iri",
    "due_pages_graph_iri",
    "due_pages_root_iri",
    "evidence_iri",
    "extraction_iri",
    "obligation_iri",
    "ontology_graph_iri",
    "person_iri",
    "provenance_graph_iri",
    "section_iri",
    "software_agent_iri",
    "source_file_iri",
    "source_graph_iri",
    "source_graph_of_id",
    "source_graphs_prefix",
    "source_key",
    "statement_iri",
    "submission_iri",
]

DEFAULT_BASE = "https://data.luocdo.vn/"

# "@2021" at the end of a key: the year the identity rests on.
_KEY_YEAR = regex.compile(r"@(?P<year>\d{4})$")
# "LUAT:" and similar prefixes: documents known by name, not by symbol.
_NAME_KEY = regex.compile(r"^(?P<kind>[A-Z][A-Z _-]*):(?P<name>.+)$")
# A base IRI: absolute http(s)/urn, no characters SPARQL or Turtle would choke on.
_BASE = regex.compile(r"^(?:https?://[^\s<>\"{}|\\^`]+|urn:[^\s<>\"{}|\\^`]+)[/#:]$")
# Characters kept as they are in a code segment; the rest is percent-encoded.
_SAFE_CODE = "-."


def base_iri(explicit: str | None = None) -> str:
    """The base IRI: ``explicit``, else ``$LUOCDO_BASE_IRI``, else ``DEFAULT_BASE``.

    A missing final ``/`` is added.

    Raises:
        ValueError: the base is not an absolute http(s) or urn IRI.
    """
    base = explicit or os.environ.get("LUOCDO_BASE_IRI") or DEFAULT_BASE
    if not base.endswith(("/", "#", ":")):
        base += "/"
    if not _BASE.match(base):
        raise ValueError(f"base IRI must be an absolute http(s) or urn IRI, got {base!r}")
    return base


def _fold_ascii(text: str) -> str:
    """Lower-case ASCII: Đ→d, diacritics dropped (NFD, combining marks removed)."""
    text = text.replace("Đ", "D").replace("đ", "d").replace("Ð", "D").replace("ð", "d")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


_NON_SLUG = regex.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    """Readable path segment: ``"Bộ Nội vụ"`` → ``"bo-noi-vu"``; empty text → ``"_"``."""
    out = _NON_SLUG.sub("-", _fold_ascii(text)).strip("-")
    return out or "_"


def _code(text: str) -> str:
    """A symbol code as a path segment: folded, lower case, anything unusual %-encoded."""
    return quote(fold_code(text).lower(), safe=_SAFE_CODE)


def _short_hash(*parts: str, n: int = 8) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:n]


# --- documents ---------------------------------------------------------------------------------


def _symbol_path(symbol: str, year: int | None) -> str | None:
    """ELI-like path of a symbol key, or None when ``symbol`` is not one whole symbol."""
    parts = parse_symbol(symbol)
    if parts is None or fold_code(parts.canonical).upper() != fold_code(symbol).upper():
        return None
    type_seg = _code(parts.type_code) if parts.type_code else ("_" if parts.year else "cv")
    number = parts.number.lower()
    if parts.year is not None and year is not None and year != parts.year:
        number = f"{number}-{parts.year}"  # dated another year than its symbol says
    when = year if year is not None else parts.year
    issuers = "-".join(_code(i) for i in parts.issuers)
    path = f"eli/vn/{type_seg}/{when if when is not None else '_'}/{quote(number)}/{issuers}"
    return path + ("/qppl" if parts.year is not None else "")


def document_iri(key: str, base: str) -> URIRef:
    """IRI of the document with identity key ``key`` (see the module docstring).

    Args:
        key: an ``ingest.identity`` key, e.g. ``"33/CT-TTG@2021"``.
        base: the base IRI (``base_iri()``).

    Example:
        >>> str(document_iri("25-NQ/TW@2013", "https://data.luocdo.vn/"))
        'https://data.luocdo.vn/eli/vn/nq/2013/25/tw'
    """
    if key.startswith("ANON:"):
        return URIRef(f"{base}doc/anon/{quote(key[5:].lower(), safe='')}")
    m = _KEY_YEAR.search(key)
    body, year = (key[: m.start()], int(m.group("year"))) if m else (key, None)
    named = _NAME_KEY.match(body)
    if named:
        name = slug(named.group("name"))
        kind = slug(named.group("kind"))
        if name.startswith(kind + "-"):
            name = name[len(kind) + 1:]  # "luat-thuc-hien…" under "luat/": say it once
        return URIRef(f"{base}eli/vn/{kind}/{year if year else '_'}/{name}")
    path = _symbol_path(body, year)
    if path is None:
        return URIRef(f"{base}doc/key/{quote(key.lower(), safe='')}")
    return URIRef(base + path)


# --- sources, provenance and evidence ----------------------------------------------------------


def source_key(path: str | os.PathLike[str]) -> str:
    """The identity of a source file: its absolute, normalised POSIX path.

    Symbolic links are resolved, so ``./a.txt``, ``a.txt`` and a link to it are one
    source. A file that moves gets a new key (see ``graph.pipeline``).
    """
    return Path(path).expanduser().resolve().as_posix()


def _source_id(path: str | os.PathLike[str]) -> str:
    # surrogateescape: a file name that is not UTF-8 still has one stable identity
    return hashlib.sha256(source_key(path).encode("utf-8", "surrogateescape")).hexdigest()[:24]


def source_graphs_prefix(base: str) -> str:
    """What every source file's named graph IRI starts with."""
    return f"{base}graph/source/"


def source_graph_iri(path: str | os.PathLike[str], base: str) -> URIRef:
    """Named graph that holds every triple read from one source file."""
    return URIRef(source_graphs_prefix(base) + _source_id(path))


def source_graph_of_id(source_id: str, base: str) -> URIRef | None:
    """The named graph of the source whose id (the graph IRI's last segment, what
    ``GET /sources`` lists) is ``source_id``; None for a string no source id can be."""
    if len(source_id) != 24 or not all(c in "0123456789abcdef" for c in source_id):
        return None
    return URIRef(source_graphs_prefix(base) + source_id)


def source_file_iri(path: str | os.PathLike[str], base: str) -> URIRef:
    """The ``lo:SourceFile`` node of one source file."""
    return URIRef(f"{base}source/{_source_id(path)}")


def extraction_iri(source: URIRef) -> URIRef:
    """The ``lo:Extraction`` activity that produced a source's graph."""
    return URIRef(f"{source}/extraction")


def software_agent_iri(version: str, base: str) -> URIRef:
    """The extractor, one IRI per released version."""
    return URIRef(f"{base}agent/software/luocdo/{quote(version, safe='.')}")


def evidence_iri(source: URIRef, start: int, end: int) -> URIRef:
    """Evidence is the text between two offsets of one file, so that is its identity."""
    return URIRef(f"{source}/evidence/{start}-{end}")


def citation_iri(source: URIRef, start: int, end: int, *facts: str) -> URIRef:
    """A citation node: its span plus a short hash of what it states.

    Two citations may share a span (a list "số 217-QĐ/TW và 218-QĐ/TW" read as one
    mention), so the citing key, cited key and relation are hashed into the IRI.
    """
    return URIRef(f"{source}/citation/{start}-{end}-{_short_hash(*facts)}")


def statement_iri(source: URIRef, start: int, end: int, *facts: str) -> URIRef:
    """A relation stated between two other documents (``StatedRelation``)."""
    return URIRef(f"{source}/statement/{start}-{end}-{_short_hash(*facts)}")


def obligation_iri(source: URIRef, start: int, end: int, *facts: str) -> URIRef:
    """An obligation: its span in the file plus a short hash of its fields."""
    return URIRef(f"{source}/obligation/{start}-{end}-{_short_hash(*facts)}")


def deadline_iri(obligation: URIRef) -> URIRef:
    return URIRef(f"{obligation}/deadline")


def due_month_iri(key: str, base: str) -> URIRef:
    """A month of the due index (``graph.due_index``): ``<base>index/due/2024-12``, or
    ``…/--12`` for the recurring days of December."""
    return URIRef(f"{base}index/due/{quote(key, safe='-')}")


def due_page_iri(key: str, pages: int, number: int, base: str) -> URIRef:
    """Page ``number`` of the ``pages`` a day of the due pages (``graph.due_pages``) is
    cut into: ``<base>index/due-day/2024-12-15/1-of-4``, or ``…/--12-15/…`` for the
    recurring 15 December."""
    return URIRef(f"{base}index/due-day/{quote(key, safe='-')}/{number}-of-{pages}")


def due_pages_root_iri(base: str) -> URIRef:
    """The node that says the due pages are kept: ``<base>index/due-day``."""
    return URIRef(f"{base}index/due-day")


def submission_iri(source: URIRef, start: int, end: int, *facts: str) -> URIRef:
    """One cell of a submissions table (one row holds several categories)."""
    return URIRef(f"{source}/submission/{start}-{end}-{_short_hash(*facts)}")


def section_iri(document: URIRef, number: str) -> URIRef:
    """A section of the outline document ``document``: ``<doc>/outline/III.8``."""
    return URIRef(f"{document}/outline/{quote(number, safe='.-+')}")


# --- agents ------------------------------------------------------------------------------------


def agent_iri(name: str, base: str) -> URIRef:
    """A body known by its name as written: ``"Bộ Nội vụ"`` → ``<base>agent/bo-noi-vu``.

    Names are folded (diacritics, case, Đ, ``uỷ``/``ủy``) so the same body written
    two ways is one node.
    """
    return URIRef(f"{base}agent/{slug(name)}")


def person_iri(name: str, base: str) -> URIRef:
    """A signer: ``<base>agent/person/<slug>``."""
    return URIRef(f"{base}agent/person/{slug(name)}")


# --- graphs that are not sources ---------------------------------------------------------------


def ontology_graph_iri(base: str) -> URIRef:
    """Named graph holding ``ontology/luocdo.ttl`` inside every store."""
    return URIRef(f"{base}graph/ontology")


def derived_graph_iri(base: str) -> URIRef:
    """Named graph of facts computed across sources (``graph.pipeline.refresh_derived``)."""
    return URIRef(f"{base}graph/derived")


def counts_graph_iri(base: str) -> URIRef:
    """Named graph of the counts ``graph.counts`` keeps (per type, per cited document)."""
    return URIRef(f"{base}graph/derived/counts")


def due_pages_graph_iri(base: str) -> URIRef:
    """Named graph of the due pages ``graph.due_pages`` keeps (one literal per day)."""
    return URIRef(f"{base}graph/derived/due-pages")


def provenance_graph_iri(base: str) -> URIRef:
    """Named graph of ingest times (kept apart so source graphs stay deterministic)."""
    return URIRef(f"{base}graph/provenance")
