"""Trace one section of a report outline back to the rules behind it.

For section ``III.8`` of the outline attached to a letter, a legal officer wants to
know which documents the section names, which document requires the report, what
that document implements up to its root directive, and when the report is due to
whom. Every item carries the quote it was read from (``Evidence``).

How the lookups decide is written down in ``docs/reports.md``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import regex

from graph.reports import (
    CitationFact,
    DocFact,
    Evidence,
    ObligationFact,
    SectionFact,
    citations,
    documents,
    fold_symbol,
    known_date,
    obligations,
    outline_sections,
    symbol_key,
)
from ingest.clean import fold
from ontology.terms import Relation

__all__ = [
    "AmbiguousSymbol",
    "TraceResult",
    "UnknownSection",
    "UnknownSymbol",
    "find_section",
    "normalise_number",
    "resolve_document",
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

    Raises:
        UnknownSymbol: no document matches.
        AmbiguousSymbol: more than one document matches and none is uniquely preferred.
    """
    pool = documents(store) if docs is None else docs
    if "@" in symbol:
        want = fold_symbol(symbol)
        found = [d for d in pool.values() if d.key and fold_symbol(d.key) == want]
    else:
        want = symbol_key(symbol)
        found = [d for d in pool.values() if (d.symbol or d.key) and _doc_key(d) == want]
    if not found:
        raise UnknownSymbol(symbol)
    tests: list[Callable[[DocFact], bool]] = [
        prefer or (lambda d: True),
        lambda d: bool(d.evidence),  # a document of the corpus, not only mentioned
        lambda d: bool(d.key and "@" in d.key),  # not a yearless placeholder
    ]
    for test in tests:
        if len(found) == 1:
            return found[0]
        found = [d for d in found if test(d)] or found
    if len(found) == 1:
        return found[0]
    ordered = sorted(found, key=lambda d: (d.date or dt.date.min, d.key or d.iri))
    raise AmbiguousSymbol(symbol, ordered)


def _doc_key(d: DocFact) -> str:
    return symbol_key(d.symbol or d.key or "")


def normalise_number(number: str) -> str:
    """Match key for a section number: "III.8", "iii. 8.", "III 8" all give "iii.8"."""
    parts = [p for p in regex.split(r"[.\s]+", fold(number)) if p]
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
    all_cites: Sequence[CitationFact],
) -> list[dict[str, Any]]:
    """Documents the section names, then the document requiring the report."""
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
            "date": _iso(known_date(doc, all_cites)) if doc else None,
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


def _best_hop(
    current: str, cites: Sequence[CitationFact], seen: set[str], resolved: set[str]
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
        placeholder = c.cited not in resolved  # a mention without a date (no year known)
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
        if d.key and "@" in d.key:
            dated.setdefault(_doc_key(d), []).append(iri)
    out = []
    for c in cites:
        target = docs.get(c.cited)
        if target is not None and not (target.key and "@" in target.key):
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
    """
    chain: list[dict[str, Any]] = []
    seen = {start}
    current = start
    resolved = {iri for iri, d in docs.items() if d.key and "@" in d.key}
    cites = resolve_placeholders(cites, docs)
    while (hop := _best_hop(current, cites, seen, resolved)) is not None:
        doc = docs.get(hop.cited)
        chain.append(
            {
                "symbol": doc.symbol if doc else None,
                "key": doc.key if doc else None,
                "type": doc.doc_type if doc else None,
                "date": _iso(known_date(doc, cites) if doc else hop.date),
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


def _has_outline(owners: set[str]) -> Callable[[DocFact], bool]:
    return lambda d: d.iri in owners


def trace(store: Any, symbol: str, section: str, *, base: str | None = None) -> TraceResult:
    """Trace section ``section`` of the outline attached to document ``symbol``.

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
    docs = documents(store)
    all_sections = outline_sections(store)
    owners = {s.owner for s in all_sections if s.owner}
    owner = resolve_document(store, symbol, docs=docs, prefer=_has_outline(owners))
    mine = [s for s in all_sections if s.owner == owner.iri]
    sec = find_section(mine, section)
    cites = citations(store)
    outline_cites = [c for c in cites if c.citing in {sec.outline_doc, sec.outline, owner.iri}]
    obls = report_obligations(owner.iri, sec.outline, obligations(store))
    return TraceResult(
        document=owner,
        section=sec,
        rules=tuple(_rules(sec, owner, docs, outline_cites, cites)),
        chain=tuple(upward_chain(owner.iri, docs, cites)),
        obligations=tuple(_obligation_dict(o, docs) for o in obls),
    )
