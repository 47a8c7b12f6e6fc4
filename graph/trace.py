"""Trace one section of a report outline back to the rules behind it.

For section ``III.8`` of the outline attached to a letter, a legal officer wants to
know which documents the section names, which document requires the report, what
that document implements up to its root directive, and when the report is due to
whom. Every item carries the quote it was read from (``Evidence``).

How the lookups decide is written down in ``docs/reports.md``.

A trace reads only the neighbourhood of its answer, each piece by a lookup with its
subject or object bound (an index lookup in the store, whatever its size): the
documents carrying the symbol, the outline attached to the chosen one, the citations
inside the outline, the owner and each document of the upward chain, the dates written
beside mentions of a document that has no header date, and the owner's obligations
with those they delegate to (``_Reader``). The decisions are the same plain Python as
over the whole store, so the answer is the same.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from typing import Any

import regex
from rdflib import Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from graph.queries import resolve_documents
from graph.reports import (
    SECTION_DEPTH,
    CitationFact,
    DocFact,
    Evidence,
    ObligationFact,
    SectionFact,
    bound_rows,
    column_of,
    doc_type_of,
    fact_order,  # the order graph.reports returns facts in
    fold_symbol,
    group_rows,
    known_date,
    read_citations,
    read_date,
    read_documents,
    read_obligations,
    read_sections,
    section_fact,
    symbol_key,
    top_of,
)
from graph.sparql import term_sparql
from ingest.clean import fold
from ingest.identity import base_key
from ontology.ns import LO
from ontology.terms import Relation, fold_code

__all__ = [
    "AmbiguousSymbol",
    "TraceResult",
    "UnknownSection",
    "UnknownSymbol",
    "find_section",
    "normalise_number",
    "resolve_document",
    "symbol_candidates",
    "trace",
    "upward_chain",
]


class UnknownSymbol(LookupError):
    """No document in the graph carries the symbol."""

    def __init__(self, symbol: str) -> None:
        self.symbol = symbol
        super().__init__(symbol)


class AmbiguousSymbol(LookupError):
    """Several documents carry the symbol (numbers restart every year or term)."""

    def __init__(self, symbol: str, candidates: Sequence[DocFact]) -> None:
        self.symbol = symbol
        self.candidates = tuple(candidates)
        super().__init__(symbol)


class UnknownSection(LookupError):
    """The outline has no section with that number (``available`` lists those it has)."""

    def __init__(self, number: str, available: Sequence[str]) -> None:
        self.number = number
        self.available = tuple(available)
        super().__init__(number)


def resolve_document(
    store: Any,
    symbol: str,
    *,
    docs: Mapping[str, DocFact] | None = None,
    prefer: Callable[[DocFact], bool] | None = None,
) -> DocFact:
    """The one document ``symbol`` denotes.

    ``symbol`` matches a document's số ký hiệu diacritic-, case- and space-insensitively,
    or its identity key when it contains ``@`` (``1432/BNV-CTTN@2023``). When several
    documents share the symbol, the candidates are narrowed, in this order and each step
    only if it leaves one or more, to those ``prefer`` accepts (e.g. "has an outline
    attached"), to documents of the corpus (with header evidence, not only mentioned)
    and to documents with a known year. If more than one remains, ``AmbiguousSymbol``
    lists them.

    Args:
        store: the graph store; read only when ``docs`` is None.
        symbol: số ký hiệu or identity key.
        docs: the documents to choose from; None reads the candidates from the store
            by index lookups (``symbol_candidates``).
        prefer: the first narrowing test.

    Raises:
        UnknownSymbol: no document matches.
        AmbiguousSymbol: more than one document matches and none is uniquely preferred.
    """
    pool = symbol_candidates(store, symbol) if docs is None else docs
    found = _matching(pool.values(), symbol)
    if not found:
        raise UnknownSymbol(symbol)
    tests: list[Callable[[DocFact], bool]] = [
        prefer or (lambda d: True),
        lambda d: bool(d.evidence),  # a document of the corpus, not only mentioned
        _dated,  # not a yearless placeholder
    ]
    for test in tests:
        if len(found) == 1:
            return found[0]
        found = [d for d in found if test(d)] or found
    if len(found) == 1:
        return found[0]
    ordered = sorted(found, key=lambda d: (d.date or dt.date.min, d.key or d.iri))
    raise AmbiguousSymbol(symbol, ordered)


def _matching(pool: Iterable[DocFact], symbol: str) -> list[DocFact]:
    """Documents of ``pool`` that ``symbol`` denotes (see ``resolve_document``)."""
    if "@" in symbol:
        want = fold_symbol(symbol)
        return [d for d in pool if d.key and fold_symbol(d.key) == want]
    want = symbol_key(symbol)
    return [d for d in pool if (d.symbol or d.key) and _doc_key(d) == want]


def symbol_candidates(store: Any, symbol: str) -> dict[str, DocFact]:
    """Documents ``symbol`` may denote, found by index lookups (a superset of the matches).

    Every document whose identity key, year-free key or written symbol is one of the
    forms ``symbol`` can take (``graph.queries.resolve_documents`` plus the exact forms
    of ``_exact_forms``); ``resolve_document`` then keeps those that match.
    """
    return _Reader(store).candidates((symbol,))


def _dated(d: DocFact) -> bool:
    """True when the document's key carries a year (not a yearless placeholder)."""
    return bool(d.key and "@" in d.key)


def _doc_key(d: DocFact) -> str:
    return symbol_key(d.symbol or d.key or "")


@cache
def _number_separators() -> regex.Pattern[str]:
    """Runs of dots and white space between the parts of a section number ("III. 8.")."""
    return regex.compile(r"[.\s]+")


@lru_cache(maxsize=4096)
def normalise_number(number: str) -> str:
    """Match key for a section number: "III.8", "iii. 8.", "III 8" all give "iii.8".

    Remembered per text: matching a draft compares every heading with every outline
    section, so the same few numbers are folded over and over.
    """
    parts = [p for p in _number_separators().split(fold(number)) if p]
    return ".".join(parts)


def find_section(sections: Sequence[SectionFact], number: str) -> SectionFact:
    """The section numbered ``number`` (see ``normalise_number``)."""
    want = normalise_number(number)
    for s in sections:
        if normalise_number(s.number) == want:
            return s
    raise UnknownSection(number, [s.number for s in sections])


@dataclass(frozen=True, slots=True)
class TraceResult:
    """What a report section rests on; ``as_dict`` is the ``--json`` contract."""

    document: DocFact
    section: SectionFact
    rules: tuple[dict[str, Any], ...]
    chain: tuple[dict[str, Any], ...]
    obligations: tuple[dict[str, Any], ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "document": {"symbol": self.document.symbol, "key": self.document.key},
            "section": {
                "number": self.section.number,
                "title": self.section.title,
                "evidence": _ev(self.section.evidence),
            },
            "rules": list(self.rules),
            "chain": list(self.chain),
            "obligations": list(self.obligations),
        }


def _ev(e: Evidence | None) -> dict[str, Any] | None:
    return e.as_dict() if e else None


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def _mention_in(
    cites: Iterable[CitationFact], target: str, within: Evidence | None
) -> Evidence | None:
    """Evidence of the first mention of ``target``, preferring mentions inside ``within``."""
    mentions = [c.evidence for c in cites if c.cited == target and c.evidence is not None]
    inside = [e for e in mentions if within is not None and within.contains(e)]
    pool = inside or mentions
    return min(pool, key=lambda e: (e.source or "", e.start or 0)) if pool else None


def _rules(
    section: SectionFact,
    owner: DocFact,
    docs: Mapping[str, DocFact],
    cites: Sequence[CitationFact],
    date_of: Callable[[DocFact], dt.date | None],
) -> list[dict[str, Any]]:
    """Documents the section names, then the document requiring the report.

    Args:
        section: the traced section.
        owner: the document the outline is attached to.
        docs: the documents the section names, by IRI (at least).
        cites: citations inside the outline, its document and the owner, in store order.
        date_of: a named document's date (``known_date`` over every mention of it).
    """
    named = []
    for iri in section.names:
        doc = docs.get(iri)
        ev = _mention_in(cites, iri, section.evidence) or section.evidence
        named.append((ev, iri, doc))
    named.sort(key=lambda t: ((t[0].source or "", t[0].start or 0) if t[0] else ("", 0), t[1]))
    out = [
        {
            "symbol": doc.symbol if doc else None,
            "key": doc.key if doc else None,
            "date": _iso(date_of(doc)) if doc else None,
            "role": "named_in_section",
            "evidence": _ev(ev),
        }
        for ev, _, doc in named
    ]
    attach = [c for c in cites if c.cited == owner.iri and c.relation is Relation.ATTACHED_TO]
    ev = attach[0].evidence if attach else _symbol_evidence(owner)
    out.append(
        {
            "symbol": owner.symbol,
            "key": owner.key,
            "date": _iso(owner.date),
            "role": "requires_report",
            "evidence": _ev(ev),
        }
    )
    return out


def _symbol_evidence(doc: DocFact) -> Evidence | None:
    """The header evidence that shows the document's symbol (else its first evidence)."""
    want = symbol_key(doc.symbol) if doc.symbol else None
    for e in doc.evidence:
        if want and want in {symbol_key(p.canonical) for _, _, p in _symbols(e.quote or "")}:
            return e
    return doc.evidence[0] if doc.evidence else None


def _symbols(text: str) -> list[Any]:
    from ingest.symbols import find_symbols

    return list(find_symbols(text))


# Upward relations, strongest first: a chain follows "thực hiện/triển khai" before
# "tiếp tục thực hiện" before "căn cứ".
_UPWARD: tuple[Relation, ...] = (Relation.IMPLEMENTS, Relation.CONTINUES, Relation.BASED_ON)


def _itself(c: CitationFact) -> CitationFact:
    return c


@dataclass(frozen=True, slots=True)
class _ChainFacts:
    """What the upward walk asks about the graph, whether held in memory or read lazily.

    ``hops_from``: citations inside a document, undated targets already read as their
    dated document (``resolve_placeholders``), in store order; ``doc``: a document by
    IRI; ``is_dated``: whether an IRI is a document with a known year; ``date_of``: a
    chain document's date (``known_date`` over the resolved mentions); ``complete``:
    the chosen hop with every field (``hops_from`` may give only what ranks a hop:
    relation, cited document, ``stated_by`` and the evidence's file and start).
    """

    hops_from: Callable[[str], Sequence[CitationFact]]
    doc: Callable[[str], DocFact | None]
    is_dated: Callable[[str], bool]
    date_of: Callable[[DocFact], dt.date | None]
    complete: Callable[[CitationFact], CitationFact] = _itself


def _best_hop(
    current: str,
    cites: Sequence[CitationFact],
    seen: set[str],
    is_dated: Callable[[str], bool],
) -> CitationFact | None:
    hops = [
        c
        for c in cites
        if c.citing == current and c.relation in _UPWARD and c.cited not in seen
    ]
    if not hops:
        return None

    def rank(c: CitationFact) -> tuple[int, bool, bool, str, int]:
        ev = c.evidence
        pos = (ev.source or "", ev.start or 0) if ev else ("\uffff", 0)
        placeholder = not is_dated(c.cited)  # a mention without a date (no year known)
        return (_UPWARD.index(c.relation), placeholder, c.stated_by is not None, *pos)

    return min(hops, key=rank)


def resolve_placeholders(
    cites: Sequence[CitationFact], docs: Mapping[str, DocFact]
) -> list[CitationFact]:
    """Point undated mentions at the one dated document with the same symbol, if unique.

    A mention without a date ("V/v triển khai Chỉ thị số 15/CT-TTg") is a yearless
    placeholder node; when exactly one document of a known year shares its symbol, the
    mention is read as naming that document (eyecite's conservative resolution).
    """
    dated: dict[str, list[str]] = {}
    for iri, d in docs.items():
        if _dated(d):
            dated.setdefault(_doc_key(d), []).append(iri)
    out = []
    for c in cites:
        target = docs.get(c.cited)
        if target is not None and not _dated(target):
            targets = dated.get(_doc_key(target), [])
            if len(targets) == 1:
                c = replace(c, cited=targets[0])
        out.append(c)
    return out


def upward_chain(
    start: str, docs: Mapping[str, DocFact], cites: Sequence[CitationFact]
) -> list[dict[str, Any]]:
    """What ``start`` implements, hop by hop, up to a document that implements nothing.

    At each hop the strongest relation wins (implements, then continues, then based
    on); among equals, a document whose year is known before a yearless placeholder
    (see ``resolve_placeholders``), the document's own words before a relation another
    document states about it, then the earliest mention (the opening "Thực hiện …").

    ``docs`` and ``cites`` are every document and citation of the graph (``trace``
    reads the same facts lazily, only around the chain).
    """
    resolved = {iri for iri, d in docs.items() if _dated(d)}
    cites = resolve_placeholders(cites, docs)
    by_citing: dict[str, list[CitationFact]] = defaultdict(list)
    for c in cites:
        by_citing[c.citing].append(c)
    facts = _ChainFacts(
        hops_from=lambda iri: by_citing.get(iri, []),
        doc=docs.get,
        is_dated=resolved.__contains__,
        date_of=lambda d: known_date(d, cites),
    )
    return _walk(start, facts)


def _walk(start: str, facts: _ChainFacts) -> list[dict[str, Any]]:
    """The upward chain from ``start`` (see ``upward_chain``) over ``facts``."""
    chain: list[dict[str, Any]] = []
    seen = {start}
    current = start
    while (hop := _best_hop(current, facts.hops_from(current), seen, facts.is_dated)) is not None:
        hop = facts.complete(hop)
        doc = facts.doc(hop.cited)
        chain.append(
            {
                "symbol": doc.symbol if doc else None,
                "key": doc.key if doc else None,
                "type": doc.doc_type if doc else None,
                "date": _iso(facts.date_of(doc) if doc else hop.date),
                "relation": str(hop.relation),
                "evidence": _ev(hop.evidence),
            }
        )
        seen.add(hop.cited)
        current = hop.cited
    return chain


def _requires_report(o: ObligationFact, outline: str) -> bool:
    return outline in o.outlines or "bao cao" in o.text()


def report_obligations(
    owner: str, outline: str, all_obligations: Sequence[ObligationFact]
) -> list[ObligationFact]:
    """Obligations of ``owner`` (and those they delegate to) that require the report.

    An obligation requires the report when the graph links it to the outline
    (``lo:requiresOutline``) or when its wording asks for a report ("báo cáo").
    """
    by_iri = {o.iri: o for o in all_obligations}
    todo = [o for o in all_obligations if o.document == owner]
    out: dict[str, ObligationFact] = {}
    while todo:
        o = todo.pop(0)
        if o.iri in out:
            continue
        out[o.iri] = o
        todo.extend(by_iri[i] for i in o.delegates_to if i in by_iri)
    kept = [o for o in out.values() if _requires_report(o, outline)]
    return sorted(kept, key=_obligation_order)


def _obligation_order(o: ObligationFact) -> tuple[int, str]:
    return ((o.evidence.start or 0) if o.evidence else 0, o.deadline or "")


def _obligation_dict(o: ObligationFact, docs: Mapping[str, DocFact]) -> dict[str, Any]:
    doc = docs.get(o.document or "")
    return {
        "document": doc.symbol if doc else None,
        "deadline": o.deadline,
        "frequency": str(o.frequency) if o.frequency else None,
        "recipient": o.recipient,
        "bearer": o.bearer,
        "evidence": _ev(o.evidence),
    }


# --- reading the neighbourhood ----------------------------------------------------------------
#
# The queries and the folding of their rows into facts live in graph.reports
# (``read_documents``, ``read_citations``, ``read_obligations``, ``read_sections``);
# ``_Reader`` asks for each piece once per trace and keeps it.


def _exact_forms(text: str) -> set[str]:
    """Keys ``text`` may be stored as that ``resolve_documents`` does not look up.

    ``resolve_documents`` looks keys up upper-cased, which finds every key but those
    with lower-case letters: a law's slug after ``LUAT:`` (``ingest.identity.law_key``),
    an unnumbered document's ``ANON:`` hash. Those are looked up as written (NFC,
    trimmed), with and without the ``@year``; a law typed ``luat:…`` also with the
    stored ``LUAT:`` prefix.
    """
    nfc = unicodedata.normalize("NFC", text.strip())
    out = {nfc, base_key(nfc)}
    if nfc[:5].upper() == "LUAT:":
        out |= {"LUAT:" + f[5:].lower() for f in tuple(out)}
    return {f for f in out if f != fold_code(f).upper()}


def _one(dates: set[dt.date]) -> dt.date | None:
    """The date every mention agrees on (``known_date``), else None."""
    return next(iter(dates)) if len(dates) == 1 else None


def _store_order(c: CitationFact) -> tuple[tuple[str, int], str]:
    """The order ``graph.reports.citations`` returns citations in."""
    return (fact_order(c.evidence), c.iri)


Row = dict[str, str]


def _brief_doc(iri: str, rows: Sequence[Row]) -> DocFact:
    """A ``DocFact`` with what a trace shows of a document (``trace_documents_brief`` rows).

    Symbol, key, type and date are those ``graph.reports`` reads; title, issuer,
    attachment and header evidence are left empty. Only a document with one date or
    none: with several, the header evidence decides (read it whole).
    """
    dates = {d for d in (read_date(v) for v in column_of(rows, "date")) if d}
    return DocFact(
        iri=iri,
        symbol=top_of(rows, "symbol"),
        key=top_of(rows, "key"),
        date=next(iter(dates)) if dates else None,
        doc_type=doc_type_of(top_of(rows, "type")),
        title=None,
        issuer=None,
        attached_to=None,
    )


@dataclass(frozen=True, slots=True)
class _SectionIndex:
    """The outline sections of one owner, in ``read_sections`` order, by number only.

    ``held``: each section's outlines (within ``SECTION_DEPTH`` levels); ``order``:
    (IRI, number) of every section, ordered as ``graph.reports.read_sections`` orders
    its facts.
    """

    owner: str
    held: Mapping[str, set[str]]
    order: tuple[tuple[str, str], ...]


_TYPE = str(RDF.type)
_HAS_SECTION = str(LO.hasSection)
_SECTION_NUMBER = str(LO.sectionNumber)
_OUTLINE_SECTION = str(LO.OutlineSection)


@dataclass(frozen=True, slots=True)
class _Tree:
    """The nodes under one owner's outlines (``trace_outline_nodes`` rows).

    ``held``: each outline section within ``SECTION_DEPTH`` levels, with the outlines
    it lies under (as ``graph.reports`` walks them); ``numbers``: the number
    ``graph.reports`` reads for each (the least of its values, else "").
    """

    held: Mapping[str, set[str]]
    numbers: Mapping[str, str]

    @classmethod
    def of(cls, rows: Iterable[Row]) -> _Tree:
        """The tree ``trace_outline_nodes`` rows (one per triple of a node) describe."""
        below_of: dict[str, set[str]] = defaultdict(set)
        sections: set[str] = set()
        numbers: dict[str, set[str]] = defaultdict(set)
        outlines: set[str] = set()
        for r in rows:
            outlines.add(r["outline"])
            if r["p"] == _HAS_SECTION:
                below_of[r["s"]].add(r["o"])
            elif r["p"] == _TYPE and r["o"] == _OUTLINE_SECTION:
                sections.add(r["s"])
            elif r["p"] == _SECTION_NUMBER and r["o"]:
                numbers[r["s"]].add(r["o"])
        held: dict[str, set[str]] = defaultdict(set)
        frontier: dict[str, set[str]] = {o: {o} for o in sorted(outlines)}
        for _ in range(SECTION_DEPTH):  # as graph.reports._held_sections walks them
            below: dict[str, set[str]] = defaultdict(set)
            for parent, under in frontier.items():
                for node in below_of.get(parent, ()):
                    below[node] |= under
                    if node in sections:
                        held[node] |= under
            if not below:
                break
            frontier = below
        return cls(dict(held), {i: min(numbers[i], default="") for i in held})


def _section_order(s: SectionFact) -> tuple[tuple[str, int], str]:
    """The order ``graph.reports.read_sections`` returns sections in."""
    return (fact_order(s.evidence), s.iri)


class _Reader:
    """The facts one trace needs, each read by a bound lookup and kept for the trace.

    Facts equal those ``graph.reports`` reads from the whole store, given that graph
    IRIs put an outline section in one outline and give a citation one cited document
    and one evidence node (``graph.iri``), and that a citation carries one
    ``lo:citedDate``.
    """

    def __init__(self, store: Any) -> None:
        self.store = store
        self._docs: dict[str, DocFact | None] = {}
        self._cites: dict[str, list[CitationFact]] = {}
        self._sections: dict[str, list[SectionFact]] = {}
        self._same: dict[str, list[DocFact]] = {}
        self._brief: dict[str, DocFact | None] = {}
        self._index: dict[str, _SectionIndex] = {}
        self._tree: dict[str, _Tree] = {}

    def rows(self, name: str, **bound: Sequence[Node]) -> list[dict[str, str]]:
        """Rows (lexical forms) of named query ``name``, each variable bound to any of its terms."""
        return bound_rows(self.store, name, **bound)

    # documents

    def docs(self, iris: Iterable[str]) -> dict[str, DocFact]:
        """The documents among ``iris``, by IRI (unknown ones read in one query)."""
        wanted = list(dict.fromkeys(iris))
        missing = [i for i in wanted if i not in self._docs]
        found = read_documents(self.store, missing) if missing else {}
        for iri in missing:
            self._docs[iri] = found.get(iri)
        return {i: d for i in wanted if (d := self._docs[i]) is not None}

    def brief(self, iris: Iterable[str]) -> dict[str, DocFact]:
        """The documents among ``iris`` with what a trace shows of them (``_brief_doc``).

        A document already read whole is given whole; one with several dates is read
        whole (its header evidence decides the date). Unknown ones cost one query.
        """
        wanted = list(dict.fromkeys(iris))
        missing = [i for i in wanted if i not in self._brief and i not in self._docs]
        rows = self.rows("trace_documents_brief", doc=[URIRef(i) for i in missing])
        grouped = group_rows(rows, "doc")
        several = [i for i, g in grouped.items() if len(column_of(g, "date")) > 1]
        whole = self.docs(several) if several else {}
        for iri in missing:
            group = grouped.get(iri)
            self._brief[iri] = whole.get(iri) if iri in several else (
                _brief_doc(iri, group) if group else None)
        out = {}
        for i in wanted:
            d = self._docs[i] if i in self._docs else self._brief[i]
            if d is not None:
                out[i] = d
        return out

    def doc(self, iri: str) -> DocFact | None:
        """Document ``iri``, brief (None when the IRI is no ``lo:Document``)."""
        return self.brief((iri,)).get(iri)

    def is_dated(self, iri: str) -> bool:
        d = self.doc(iri)
        return d is not None and _dated(d)

    def candidates(self, texts: Iterable[str | None]) -> dict[str, DocFact]:
        """Documents whose key or symbol one of ``texts`` may stand for (a superset)."""
        return self.docs(self._candidate_iris(texts))

    def _candidate_iris(self, texts: Iterable[str | None]) -> list[str]:
        """IRIs of the ``candidates`` (every node the lookups find, document or not)."""
        iris: set[str] = set()
        forms: set[str] = set()
        for text in texts:
            if not text:
                continue
            iris.update(self._resolved(text))
            if "@" in text:  # every year's key, as a placeholder's twins need
                iris.update(self._resolved(base_key(text)))
            forms |= _exact_forms(text)
        keys = [Literal(f) for f in sorted(forms)]
        iris.update(r["doc"] for r in self.rows("trace_documents_by_key", key=keys))
        return sorted(iris)

    def _resolved(self, text: str) -> list[str]:
        """``resolve_documents``; text that looks like an IRI but is none names nothing."""
        try:
            found = resolve_documents(self.store, text)
            return [str(i) for i in found if term_sparql(i)]
        except ValueError:  # "https://a<b": not an IRI a query can carry
            return []

    def owner(self, symbol: str) -> DocFact:
        """The document ``symbol`` denotes, preferring one with an outline attached
        (``resolve_document``), read whole.

        The candidates are read brief: their symbol and key decide which match, and an
        attached outline which is preferred. Only when that leaves several (or none) do
        the header evidence and dates decide, and every candidate is read whole, as
        ``resolve_document`` reads them. Most symbols are decided by the first two
        steps, so a trace reads one document's header instead of every year's.
        """
        iris = self._candidate_iris((symbol,))
        found = _matching(self.brief(iris).values(), symbol)
        if len(found) > 1:
            found = [d for d in found if self._has_outline(d)] or found
        if len(found) == 1:
            return self.docs([found[0].iri])[found[0].iri]
        return resolve_document(self.store, symbol, docs=self.docs(iris),
                                prefer=self._has_outline)

    def _has_outline(self, d: DocFact) -> bool:
        return bool(self.tree(d.iri).held)

    def same_symbol(self, d: DocFact) -> list[DocFact]:
        """Every document with ``d``'s year-free match key (``_doc_key``), ``d`` included."""
        key = _doc_key(d)
        if key not in self._same:
            pool = self.brief(self._candidate_iris((d.symbol, d.key))).values()
            self._same[key] = [x for x in pool if _doc_key(x) == key]
        return self._same[key]

    def twin(self, iri: str) -> str | None:
        """The one dated document an undated placeholder stands for (``resolve_placeholders``)."""
        target = self.doc(iri)
        if target is None or _dated(target):
            return None
        twins = [x.iri for x in self.same_symbol(target) if _dated(x)]
        return twins[0] if len(twins) == 1 else None

    # citations and dates

    def citing(self, iris: Iterable[str | None]) -> list[CitationFact]:
        """Citations inside any of ``iris``, in store order."""
        wanted = [i for i in dict.fromkeys(iris) if i]
        missing = {i for i in wanted if i not in self._cites}
        facts = read_citations(self.store, citing=sorted(missing)) if missing else []
        for iri in missing:
            self._cites[iri] = []
        for fact in facts:
            if fact.citing in missing:
                self._cites[fact.citing].append(fact)
        found = {c.iri: c for i in wanted for c in self._cites[i]}
        return sorted(found.values(), key=_store_order)

    def hops_from(self, iri: str) -> list[CitationFact]:
        """Citations inside ``iri``, upward ones pointing at the dated twin of a placeholder."""
        cites = self.citing((iri,))  # whole: the chosen step needs no second read
        self.brief(c.cited for c in cites if c.relation in _UPWARD)  # one query for all
        out = []
        for c in cites:
            twin = self.twin(c.cited) if c.relation in _UPWARD else None
            out.append(replace(c, cited=twin) if twin else c)
        return out

    def ranked_hops(self, iri: str) -> list[CitationFact]:
        """Citations inside ``iri`` with (at least) what ranks them, in store order.

        They are read whole (``citing``): a read of only what ranks them, then of the
        chosen one whole, cost as much on the 100k store (two queries instead of one),
        and Virtuoso could not compile it (``BOUND`` in the projection).
        """
        return self.citing((iri,))

    def complete(self, hop: CitationFact) -> CitationFact:
        """``hop`` with every field, still pointing where ``hops_from`` pointed it."""
        whole = {c.iri: c for c in self.citing((hop.citing,))}.get(hop.iri, hop)
        return replace(whole, cited=hop.cited)

    def mention_dates(self, iris: Iterable[str]) -> dict[str, set[dt.date]]:
        """Distinct dates written beside the mentions of each of ``iris``."""
        wanted = sorted(set(iris))
        out: dict[str, set[dt.date]] = {i: set() for i in wanted}
        for r in self.rows("trace_cited_dates", cited=[URIRef(i) for i in wanted]):
            d = read_date(r.get("date"))
            if d is not None:
                out[r["cited"]].add(d)
        return out

    def rule_dates(self, docs: Iterable[DocFact]) -> dict[str, dt.date | None]:
        """``known_date`` of each named document over every mention of it."""
        docs = list(docs)
        seen = self.mention_dates(d.iri for d in docs if d.date is None)
        return {d.iri: d.date if d.date is not None else _one(seen[d.iri]) for d in docs}

    def chain_date(self, d: DocFact) -> dt.date | None:
        """``known_date`` of a chain document over the placeholder-resolved mentions.

        Mentions of an undated placeholder count for ``d`` when ``d`` is the one dated
        document with the placeholder's symbol (``resolve_placeholders``).
        """
        if d.date is not None:
            return d.date
        aliases = {d.iri}
        if _dated(d):
            same = self.same_symbol(d)
            if [x.iri for x in same if _dated(x)] == [d.iri]:
                aliases.update(x.iri for x in same if not _dated(x))
        seen = self.mention_dates(aliases)
        return _one(set().union(*seen.values()))

    def chain_facts(self) -> _ChainFacts:
        # hops_from reads whole citations, so the chosen hop needs no completing
        return _ChainFacts(self.hops_from, self.doc, self.is_dated, self.chain_date)

    # outlines and obligations

    def sections(self, owner: str) -> list[SectionFact]:
        """Sections of the outlines attached to ``owner`` (``outline_sections(owner=…)``).

        Every outline attached to ``owner`` counts, also one attached to other
        documents too (two letters sending the same unnumbered outline text: its
        ``ANON:`` key, a hash of the text, makes it one node). Reading only the first
        owner's, as the whole-store listing does, made the trace of the other letter
        find no section at all.
        """
        if owner not in self._sections:
            self._sections[owner] = read_sections(self.store, owner, first_owner=False)
        return self._sections[owner]


    def tree(self, owner: str) -> _Tree:
        """The sections under the outlines attached to ``owner``, with their numbers.

        One query (``trace_outline_nodes``) reads every node under the outlines with
        its type, subsections and number; the walk down ``SECTION_DEPTH`` levels is
        ``graph.reports``' (``_Tree.of``). The sections' long fields are not read.
        """
        if owner not in self._tree:
            rows = self.rows("trace_outline_nodes", owner=[URIRef(owner)])
            self._tree[owner] = _Tree.of(rows)
        return self._tree[owner]

    def section_index(self, owner: str) -> _SectionIndex:
        """Numbers and order of the sections ``sections(owner)`` gives, in two queries.

        The order is that of the sections' evidence, read whole (``trace_sections``):
        only a lookup of a number the outline lacks needs it, to list the numbers.
        """
        if owner not in self._index:
            held = self.tree(owner).held
            facts = self._section_facts(owner, held)
            order = tuple((s.iri, s.number) for s in facts)
            self._index[owner] = _SectionIndex(owner, held, order)
        return self._index[owner]

    def _section_facts(self, owner: str, iris: Iterable[str]) -> list[SectionFact]:
        """Sections ``iris`` of ``owner``'s outlines, whole, in ``read_sections`` order."""
        held = self.tree(owner).held
        iris = sorted(iris)
        rows = group_rows(self.rows("trace_sections", s=[URIRef(i) for i in iris]), "s")
        facts = [section_fact(i, sorted(held[i]), owner, rows.get(i, [])) for i in iris]
        return sorted(facts, key=_section_order)

    def section(self, owner: str, number: str) -> SectionFact:
        """The section ``find_section(self.sections(owner), number)`` gives, read alone.

        Only the sections whose number matches are read whole (``trace_sections``); the
        first of them in ``read_sections`` order wins. The order of all the sections
        (``section_index``) is read only when none matches, to list them.
        """
        want = normalise_number(number)
        tree = self.tree(owner)
        matches = [i for i in tree.held if normalise_number(tree.numbers[i]) == want]
        if not matches:
            index = self.section_index(owner)
            raise UnknownSection(number, [written for _, written in index.order])
        return self._section_facts(owner, matches)[0]

    def obligations(self, owner: str) -> list[ObligationFact]:
        """``owner``'s obligations and every obligation a delegation leads to."""
        known = {o.iri: o for o in read_obligations(self.store, documents=[owner])}
        asked: set[str] = set()
        while todo := sorted({i for o in known.values() for i in o.delegates_to}
                             - known.keys() - asked):
            asked.update(todo)
            known.update((o.iri, o) for o in read_obligations(self.store, iris=todo))
        return sorted(known.values(), key=lambda o: (fact_order(o.evidence), o.iri))


def trace(store: Any, symbol: str, section: str, *, base: str | None = None) -> TraceResult:
    """Trace section ``section`` of the outline attached to document ``symbol``.

    Reads only the neighbourhood of the answer (see the module docstring), so its cost
    does not grow with the number of documents in the store.

    Args:
        store: the graph store (``graph.store.open_store``).
        symbol: số ký hiệu (diacritic- and case-insensitive) or identity key.
        section: numbering path, e.g. ``"III.8"``.
        base: IRI base of the graph; accepted for symmetry with the other graph
            functions (documents are found by symbol, not by minting IRIs).

    Raises:
        UnknownSymbol, AmbiguousSymbol: the symbol does not denote one document.
        UnknownSection: the outline has no such section (or the document has no outline).
    """
    del base
    reader = _Reader(store)
    owner = reader.owner(symbol)
    sec = reader.section(owner.iri, section)
    outline_cites = reader.citing((sec.outline_doc, sec.outline, owner.iri))
    upward = [c.cited for c in outline_cites if c.citing == owner.iri and c.relation in _UPWARD]
    named = {i: d for i, d in reader.brief([*sec.names, *upward]).items() if i in sec.names}
    dates = reader.rule_dates(named.values())
    obls = report_obligations(owner.iri, sec.outline, reader.obligations(owner.iri))
    creators = reader.brief(o.document for o in obls if o.document)
    return TraceResult(
        document=owner,
        section=sec,
        rules=tuple(_rules(sec, owner, named, outline_cites, lambda d: dates[d.iri])),
        chain=tuple(_walk(owner.iri, reader.chain_facts())),
        obligations=tuple(_obligation_dict(o, creators) for o in obls),
    )
