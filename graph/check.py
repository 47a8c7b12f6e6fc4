"""Check a draft report against the outline it must follow and against the graph.

The draft is read and extracted like any document; its numbered headings are
compared with the outline attached to the requiring document. Drafts renumber, so a
heading is matched to an outline section by its *title* first (diacritic-insensitive
content-word overlap, weighted so that rare words and cited symbols count more than
"kết quả thực hiện"), with the number and the matched parent as tie-breakers.

Findings: outline sections the draft lacks, sections out of order, documents an
outline section names that the matching draft section does not cite, and citations
whose date, issuer or number disagrees with what the graph knows (or, when the graph
itself holds conflicting dates, a note saying so instead of a verdict).
``docs/reports.md`` states every threshold.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex
from rdflib import Literal
from rdflib.namespace import XSD

from graph.reports import (
    CitationFact,
    ConflictValue,
    DocFact,
    Evidence,
    SectionFact,
    date_evidence,
    is_local_symbol,
    issuer_evidence,
    local_mentions,
    read_citations,
    same_issuer,
    symbol_key,
    title_tokens,
)
from graph.trace import _Reader, normalise_number, resolve_document
from ingest.models import Citation, OutlineSection, Span
from ingest.textmap import MappedText

__all__ = [
    "CheckReport",
    "CitationIssue",
    "DraftSection",
    "MissingReference",
    "MissingSection",
    "OutOfOrder",
    "SectionMatch",
    "check_draft",
    "match_sections",
]

# A heading pair is a match when its total score reaches MATCH_SCORE and the titles
# share at least MIN_TITLE of their (weighted) content words. The number and the
# parent only add to a real title overlap: drafts renumber, so a bare number is weak.
MATCH_SCORE = 0.6
MIN_TITLE = 0.25
NUMBER_BONUS = 0.25
PARENT_BONUS = 0.2


@dataclass(frozen=True, slots=True)
class DraftSection:
    """A numbered heading of the draft and the text range it governs."""

    number: str
    title: str
    start: int
    end: int  # start of the next heading at the same or a higher level (or end of text)
    symbols: frozenset[str]  # symbol_key of every document cited inside the range
    evidence: Evidence

    @property
    def depth(self) -> int:
        return len(_parts(self.number))

    @property
    def parent_number(self) -> str | None:
        parts = _parts(self.number)
        return ".".join(parts[:-1]) if len(parts) > 1 else None


@dataclass(frozen=True, slots=True)
class SectionMatch:
    outline: SectionFact
    draft: DraftSection
    score: float


@dataclass(frozen=True, slots=True)
class MissingSection:
    number: str
    title: str
    evidence: Evidence | None


@dataclass(frozen=True, slots=True)
class OutOfOrder:
    number: str  # outline number of the misplaced section
    title: str
    draft_number: str
    before: str  # outline number of the earlier section it now precedes
    evidence: Evidence


@dataclass(frozen=True, slots=True)
class MissingReference:
    number: str  # outline section
    title: str
    draft_number: str
    symbol: str | None
    key: str | None
    evidence: Evidence | None  # where the outline names the document


@dataclass(frozen=True, slots=True)
class CitationIssue:
    """A citation in the draft that disagrees with the graph.

    ``kind``: ``date``, ``issuer`` or ``number`` (the graph knows one value and the
    draft writes another), or ``graph_conflict`` (the graph itself holds several
    values for ``field``, so no verdict is given).
    """

    kind: str
    field: str
    symbol: str | None
    written: str | None
    expected: tuple[ConflictValue, ...]
    evidence: Evidence


@dataclass(frozen=True, slots=True)
class CheckReport:
    draft: str
    against: DocFact
    matches: tuple[SectionMatch, ...]
    missing: tuple[MissingSection, ...]
    out_of_order: tuple[OutOfOrder, ...]
    missing_references: tuple[MissingReference, ...]
    citation_issues: tuple[CitationIssue, ...]
    unmatched_draft: tuple[DraftSection, ...] = field(default=())

    @property
    def needs_action(self) -> bool:
        """True when the draft must change: anything but a note about the graph itself."""
        return bool(
            self.missing
            or self.out_of_order
            or self.missing_references
            or any(i.kind != "graph_conflict" for i in self.citation_issues)
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "draft": self.draft,
            "against": {"symbol": self.against.symbol, "key": self.against.key},
            "present": [
                {
                    "number": m.outline.number,
                    "title": m.outline.title,
                    "draft_number": m.draft.number,
                    "draft_title": m.draft.title,
                    "score": round(m.score, 3),
                }
                for m in self.matches
            ],
            "missing": [
                {"number": s.number, "title": s.title, "evidence": _ev(s.evidence)}
                for s in self.missing
            ],
            "out_of_order": [
                {
                    "number": o.number,
                    "title": o.title,
                    "draft_number": o.draft_number,
                    "before": o.before,
                    "evidence": o.evidence.as_dict(),
                }
                for o in self.out_of_order
            ],
            "missing_references": [
                {
                    "number": r.number,
                    "title": r.title,
                    "draft_number": r.draft_number,
                    "symbol": r.symbol,
                    "key": r.key,
                    "evidence": _ev(r.evidence),
                }
                for r in self.missing_references
            ],
            "citation_issues": [
                {
                    "kind": i.kind,
                    "field": i.field,
                    "symbol": i.symbol,
                    "written": i.written,
                    "expected": [v.as_dict() for v in i.expected],
                    "evidence": i.evidence.as_dict(),
                }
                for i in self.citation_issues
            ],
            "unmatched_draft": [
                {"number": d.number, "title": d.title} for d in self.unmatched_draft
            ],
            "needs_action": self.needs_action,
        }


def _ev(e: Evidence | None) -> dict[str, Any] | None:
    return e.as_dict() if e else None


def _parts(number: str) -> list[str]:
    return [p for p in normalise_number(number).split(".") if p]


def _is_heading(number: str) -> bool:
    """Numbered headings only: "-" and "+" bullets are content hints, not sections."""
    return not any(p[:1] in "-+" for p in _parts(number))


# --- reading the draft ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Heading:
    number: str
    title: str
    span: Span


@dataclass(frozen=True, slots=True)
class _Draft:
    path: str
    source: str
    citations: tuple[Citation, ...]
    headings: tuple[_Heading, ...]


# A numbered heading line, read leniently: drafts put sections out of order, which the
# outline parser (built for outlines, where a number out of sequence is body text)
# skips. Roman "III.", Arabic "2." / "2)", point letters "a)"; the title follows.
_LENIENT = regex.compile(
    r"^[ \t]*(?:(?P<roman>X{0,3}(?:IX|IV|V?I{1,3}|V))[ \t]*[.)]"
    r"|(?P<arabic>\d{1,2})[ \t]*[.)]"
    r"|(?P<letter>[abcdđeghiklmnopqrstuvxy])\))[ \t]+(?P<title>[\p{L}\"“(][^\n]*)$",
    regex.V1 | regex.MULTILINE,
)
# Where the body of a report ends: no section follows the distribution list.
_CLOSING = regex.compile(r"^[ \t]*(?:Nơi nhận|NƠI NHẬN)", regex.V1 | regex.MULTILINE)
_KIND_ORDER = ("roman", "arabic", "letter")


def _level(label: str) -> int:
    """Heading level of a numbering label: 0 Roman, 1 Arabic, 2 point letter."""
    if regex.fullmatch(r"[IVXLC]+", label):
        return 0
    return 1 if label.isdigit() else 2


def _last_label(number: str) -> str:
    return number.rsplit(".", 1)[-1]


def recover_headings(mt: MappedText, parsed: Sequence[OutlineSection]) -> list[_Heading]:
    """Headings of the draft: the outline parser's, plus numbered lines it skipped.

    A skipped line (e.g. "2." after "3.") is placed under the nearest earlier heading of
    a higher level, so "2." after "III.3" becomes "III.2".
    """
    known = {s.span.start: s for s in parsed}
    first = min(known) if known else None
    closing = _CLOSING.search(mt.text)
    stop = closing.start() if closing else len(mt.text)
    out: list[_Heading] = []
    for m in _LENIENT.finditer(mt.text, 0, stop):
        span = mt.span(m.start(), m.end())
        start = mt.span(m.start() + len(m.group(0)) - len(m.group(0).lstrip()), m.end()).start
        hit = known.get(start)
        if hit is not None:
            out.append(_Heading(hit.number, hit.title, hit.span))
        elif first is not None and start > first:
            label = next(m.group(k) for k in _KIND_ORDER if m.group(k))
            label = str(int(label)) if label.isdigit() else label
            parent = next(
                (h for h in reversed(out) if _level(_last_label(h.number)) < _level(label)), None
            )
            number = f"{parent.number}.{label}" if parent else label
            out.append(_Heading(number, m.group("title").strip(), span))
    seen = {h.span.start for h in out}
    out += [_Heading(s.number, s.title, s.span) for s in parsed if s.span.start not in seen]
    return sorted(out, key=lambda h: h.span.start)


def _read_draft(draft: str | Path) -> _Draft:
    """Read (txt/docx/pdf via ``ingest.read``) and extract the draft."""
    from ingest.clean import clean
    from ingest.extract import extract_text
    from ingest.outline import parse_sections
    from ingest.read import read_file

    if isinstance(draft, Path) or ("\n" not in draft and Path(draft).is_file()):
        src = read_file(draft)
        text, path = src.text, src.path
    else:
        text, path = str(draft), "<draft>"
    result = extract_text(text, path)
    cites = tuple(c for d in result.documents for c in d.citations)
    mt = clean(text)
    parsed = parse_sections(mt, 0, len(mt.text), cites)
    return _Draft(path, text, cites, tuple(recover_headings(mt, parsed)))


def draft_sections(draft: _Draft) -> list[DraftSection]:
    """Numbered headings of the draft with the range and citations of each."""
    heads = [h for h in draft.headings if _is_heading(h.number)]
    out = []
    for i, s in enumerate(heads):
        depth = len(_parts(s.number))
        end = next(
            (h.span.start for h in heads[i + 1 :] if len(_parts(h.number)) <= depth),
            len(draft.source),
        )
        cited = frozenset(
            symbol_key(c.symbol)
            for c in draft.citations
            if c.symbol and s.span.start <= c.span.start < end
        )
        ev = Evidence(draft.path, s.span.start, s.span.end, s.span.text)
        out.append(DraftSection(s.number, s.title, s.span.start, end, cited, ev))
    return out


# --- matching ---------------------------------------------------------------------------------


def _symbol_tokens(text: str) -> frozenset[str]:
    from ingest.symbols import find_symbols

    return frozenset("§" + symbol_key(p.canonical) for _, _, p in find_symbols(text))


def _tokens(title: str) -> frozenset[str]:
    return title_tokens(title) | _symbol_tokens(title)


def _weights(titles: Sequence[frozenset[str]]) -> dict[str, float]:
    """Inverse document frequency over every heading: rare words weigh more."""
    df: Counter[str] = Counter()
    for toks in titles:
        df.update(toks)
    n = len(titles) or 1
    return {t: math.log(1 + n / c) for t, c in df.items()}


def title_similarity(a: frozenset[str], b: frozenset[str], w: Mapping[str, float]) -> float:
    """Weighted overlap coefficient of two token sets (0 when either is empty)."""
    if not a or not b:
        return 0.0
    shared = sum(w.get(t, 1.0) for t in a & b)
    return shared / min(sum(w.get(t, 1.0) for t in a), sum(w.get(t, 1.0) for t in b))


def _depth(s: SectionFact) -> int:
    return len(_parts(s.number))


def match_sections(
    outline: Sequence[SectionFact], draft: Sequence[DraftSection]
) -> list[SectionMatch]:
    """One-to-one matches between outline sections and draft headings of the same depth.

    Level by level from the top, every pair is scored: weighted title overlap, plus
    ``NUMBER_BONUS`` when the numbers agree, plus ``PARENT_BONUS`` when the draft
    heading sits under the heading matched to the outline section's parent. Pairs are
    taken greedily, best first, when they reach ``MATCH_SCORE`` with a title overlap of
    at least ``MIN_TITLE`` (or, for headings whose titles have no content words, when
    number and parent both agree).
    """
    otoks = {s.iri: _tokens(s.title) for s in outline}
    dtoks = {d.start: _tokens(d.title) for d in draft}
    w = _weights([*otoks.values(), *dtoks.values()])
    by_number = {normalise_number(s.number): s for s in outline}
    matched: dict[str, DraftSection] = {}
    scores: dict[str, float] = {}
    used: set[int] = set()
    for depth in sorted({_depth(s) for s in outline}):
        pairs = []
        for s in (s for s in outline if _depth(s) == depth):
            for d in (d for d in draft if d.depth == depth and d.start not in used):
                score = _pair_score(s, d, otoks[s.iri], dtoks[d.start], w, by_number, matched)
                if score is not None:
                    pairs.append((score, s, d))
        pairs.sort(key=lambda t: (-t[0], t[2].start, t[1].number))
        for score, s, d in pairs:
            if s.iri not in matched and d.start not in used:
                matched[s.iri] = d
                scores[s.iri] = score
                used.add(d.start)
    return [SectionMatch(s, matched[s.iri], scores[s.iri]) for s in outline if s.iri in matched]


def _pair_score(
    s: SectionFact,
    d: DraftSection,
    a: frozenset[str],
    b: frozenset[str],
    w: Mapping[str, float],
    by_number: Mapping[str, SectionFact],
    matched: Mapping[str, DraftSection],
) -> float | None:
    sim = title_similarity(a, b, w)
    same_number = normalise_number(s.number) == normalise_number(d.number)
    parent_outline = by_number.get(".".join(_parts(s.number)[:-1]))
    parent_draft = matched.get(parent_outline.iri) if parent_outline else None
    same_parent = (parent_outline is None and d.parent_number is None) or (
        parent_draft is not None and parent_draft.start < d.start < parent_draft.end
    )
    score = sim + NUMBER_BONUS * same_number + PARENT_BONUS * same_parent
    if not a or not b:  # "1. Ưu điểm" style headings with no content words left
        return score if same_number and same_parent else None
    return score if sim >= MIN_TITLE and score >= MATCH_SCORE else None


# --- findings ---------------------------------------------------------------------------------


def missing_sections(
    outline: Sequence[SectionFact], matches: Sequence[SectionMatch]
) -> list[MissingSection]:
    """Outline sections without a draft heading; children of a missing section are implied."""
    found = {m.outline.iri for m in matches}
    gone: list[str] = []
    out = []
    for s in outline:
        num = normalise_number(s.number)
        if s.iri in found or any(num.startswith(g + ".") for g in gone):
            continue
        gone.append(num)
        out.append(MissingSection(s.number, s.title, s.evidence))
    return out


def _parent(number: str) -> str:
    return ".".join(_parts(number)[:-1])


def out_of_order(matches: Sequence[SectionMatch]) -> list[OutOfOrder]:
    """Sections the draft puts before an earlier sibling of the outline.

    Siblings are compared in outline order; a section is out of order when some
    earlier sibling's heading comes after it in the draft (it is reported against the
    first such sibling).
    """
    groups: dict[str, list[SectionMatch]] = defaultdict(list)
    for m in matches:
        groups[_parent(m.outline.number)].append(m)
    out = []
    for siblings in groups.values():
        for i, m in enumerate(siblings):
            later = [e for e in siblings[:i] if e.draft.start > m.draft.start]
            if later:
                out.append(
                    OutOfOrder(
                        m.outline.number,
                        m.outline.title,
                        m.draft.number,
                        later[0].outline.number,
                        m.draft.evidence,
                    )
                )
    return out


def missing_references(
    matches: Sequence[SectionMatch],
    docs: Mapping[str, DocFact],
    cites: Sequence[CitationFact],
) -> list[MissingReference]:
    """Documents an outline section names that its matching draft section does not cite."""
    out = []
    for m in matches:
        for iri in m.outline.names:
            doc = docs.get(iri)
            if doc is None or symbol_key(doc.symbol or doc.key or "") in m.draft.symbols:
                continue
            named = [
                c.evidence
                for c in cites
                if c.cited == iri
                and c.evidence is not None
                and m.outline.evidence is not None
                and m.outline.evidence.contains(c.evidence)
            ]
            out.append(
                MissingReference(
                    m.outline.number,
                    m.outline.title,
                    m.draft.number,
                    doc.symbol,
                    doc.key,
                    named[0] if named else m.outline.evidence,
                )
            )
    return out


def _claims(
    docs: Sequence[DocFact], cites: Sequence[CitationFact], attr: str
) -> dict[str, list[Evidence]]:
    """Values the graph holds for ``attr`` ("date" or "issuer"), with their evidence."""
    claims: dict[str, list[Evidence]] = defaultdict(list)
    iris = {d.iri for d in docs}
    for d in docs:
        value = getattr(d, attr)
        own = date_evidence(d) if attr == "date" else issuer_evidence(d)
        if value is not None and own is not None:
            claims[str(value)].append(own)
    for c in cites:
        value = getattr(c, attr)
        if c.cited in iris and value is not None and c.evidence is not None:
            claims[str(value)].append(c.evidence)
    if attr == "issuer":
        merged: dict[str, list[Evidence]] = defaultdict(list)
        for name, evs in claims.items():
            home = next((k for k in merged if same_issuer(k, name)), name)
            merged[home].extend(evs)
        return merged
    return claims


def _values(claims: Mapping[str, list[Evidence]]) -> tuple[ConflictValue, ...]:
    return tuple(
        ConflictValue(v, tuple(sorted(set(evs), key=lambda e: (e.source or "", e.start or 0))))
        for v, evs in sorted(claims.items())
    )


def _check_field(
    c: Citation, ev: Evidence, written: str | None, claims: Mapping[str, list[Evidence]],
    name: str,
) -> CitationIssue | None:
    if written is None or not claims:
        return None
    if len(claims) > 1:
        return CitationIssue("graph_conflict", name, c.symbol, written, _values(claims), ev)
    (known,) = claims
    agree = same_issuer(known, written) if name == "issuer" else known == written
    return None if agree else CitationIssue(name, name, c.symbol, written, _values(claims), ev)


def _same_series(a: str, b: str) -> bool:
    """True when two symbols differ at most in their number ("76/NQ-CP" vs "67/NQ-CP")."""
    from ingest.symbols import parse_symbol

    pa, pb = parse_symbol(a), parse_symbol(b)
    if pa is None or pb is None:
        return False
    return (pa.party, pa.year, pa.type_code, pa.issuers) == (
        pb.party,
        pb.year,
        pb.type_code,
        pb.issuers,
    ) and pa.number != pb.number


def _number_issue(
    c: Citation, ev: Evidence, docs: Sequence[DocFact], cites: Sequence[CitationFact]
) -> CitationIssue | None:
    """A symbol the graph does not know, whose series and date fit exactly one it does."""
    if c.date is None or c.symbol is None:
        return None
    fits = [
        d
        for d in docs
        if d.symbol
        and _same_series(c.symbol, d.symbol)
        and c.date.isoformat() in _claims([d], cites, "date")
    ]
    if len(fits) != 1:
        return None
    claims = {fits[0].symbol or "": _claims(fits, cites, "date")[c.date.isoformat()]}
    return CitationIssue("number", "number", c.symbol, c.symbol, _values(claims), ev)


def _issues_for(
    c: Citation, ev: Evidence, known: Sequence[DocFact], cites: Sequence[CitationFact]
) -> list[CitationIssue | None]:
    """Date and issuer checks of one draft citation against the documents it may name.

    A local-code symbol (``84/KH-UBND``) names a different document in every province:
    it is compared only with known documents whose header issuer matches the issuer the
    draft names, using only their ``local_mentions``, and never on the issuer itself.
    """
    written_date = c.date.isoformat() if c.date else None
    if is_local_symbol(c.symbol):
        known = [d for d in known if c.issuer and d.issuer and same_issuer(c.issuer, d.issuer)]
        mentions = [m for d in known for m in local_mentions(d, cites)]
        return [_check_field(c, ev, written_date, _claims(known, mentions, "date"), "date")]
    return [
        _check_field(c, ev, written_date, _claims(known, cites, "date"), "date"),
        _check_field(c, ev, c.issuer, _claims(known, cites, "issuer"), "issuer"),
    ]


def citation_issues(
    draft: _Draft, docs: Mapping[str, DocFact], cites: Sequence[CitationFact]
) -> list[CitationIssue]:
    """Draft citations whose date, issuer or number disagrees with the graph."""
    by_key: dict[str, list[DocFact]] = defaultdict(list)
    for d in docs.values():
        if d.symbol or (d.key and "@" in d.key):
            by_key[symbol_key(d.symbol or d.key or "")].append(d)
    by_cited: dict[str, list[CitationFact]] = defaultdict(list)
    for x in cites:
        by_cited[x.cited].append(x)
    out: list[CitationIssue] = []
    seen: set[tuple[str, str | None, str | None]] = set()
    for c in draft.citations:
        if not c.symbol:
            continue
        ev = Evidence(draft.path, c.span.start, c.span.end, c.span.text)
        known = by_key.get(symbol_key(c.symbol), [])
        mentions = [x for d in known for x in by_cited[d.iri]]
        found = (
            _issues_for(c, ev, known, mentions)
            if known
            else [_number_issue(c, ev, list(docs.values()), cites)]
        )
        for issue in found:
            if issue is None:
                continue
            mark = (issue.kind, issue.symbol, issue.written)
            if mark not in seen:
                seen.add(mark)
                out.append(issue)
    return out


def _same_file(ev: Evidence | None, path: str) -> bool:
    """True when ``ev`` points into the draft itself (a draft that was also ingested)."""
    if ev is None or ev.source is None or path.startswith("<"):
        return False
    return Path(ev.source).expanduser().resolve() == Path(path).expanduser().resolve()


def _only_in(d: DocFact, path: str) -> bool:
    """True when every header evidence of ``d`` lies in ``path`` (the draft itself)."""
    return bool(d.evidence) and all(_same_file(e, path) for e in d.evidence)


@dataclass(frozen=True, slots=True)
class _Known:
    """What a check compares the draft with: documents and citations of the graph."""

    docs: dict[str, DocFact]  # every document the check looks at, by IRI
    cites: list[CitationFact]  # every mention of them, in store order


def _is_symbol_key(d: DocFact, key: str) -> bool:
    """True when ``d`` is filed under ``key`` in ``citation_issues`` (symbol or dated key)."""
    return bool(d.symbol or (d.key and "@" in d.key)) and symbol_key(
        d.symbol or d.key or "") == key


def _dated(reader: _Reader, when: dt.date) -> list[str]:
    """Documents dated ``when`` by their header or by a mention (index lookups)."""
    rows = reader.rows("check_dated_documents",
                       date=[Literal(when.isoformat(), datatype=XSD.date)])
    return sorted({r["doc"] for r in rows})


def _neighbourhood(reader: _Reader, outline: Sequence[SectionFact], draft: _Draft) -> _Known:
    """The documents and citations ``check_draft`` needs, read by bound lookups.

    Those are: the documents the outline names; the documents each draft citation may
    name (same match key: ``citation_issues``); for a citation of an unknown number
    with a date, the documents of the same series given that date (``_number_issue``);
    and every mention of all of them. Whole-store answers are the same, because every
    decision only looks at these documents and at mentions of them.
    """
    wanted: set[str] = {i for s in outline for i in s.names}
    for c in draft.citations:
        if not c.symbol:
            continue
        key = symbol_key(c.symbol)
        known = [d for d in reader.candidates((c.symbol,)).values() if _is_symbol_key(d, key)]
        wanted.update(d.iri for d in known)
        if c.date is not None and all(_only_in(d, draft.path) for d in known):
            series = reader.docs(_dated(reader, c.date))
            wanted.update(i for i, d in series.items()
                          if d.symbol and _same_series(c.symbol, d.symbol))
    docs = reader.docs(sorted(wanted))
    return _Known(docs, read_citations(reader.store, cited=sorted(docs)) if docs else [])


def check_draft(
    store: Any, draft: str | Path, against_symbol: str, *, base: str | None = None
) -> CheckReport:
    """Check ``draft`` (a path to txt/docx/pdf, or the text itself) against the outline
    attached to ``against_symbol`` and against the citations the graph knows.

    Reads only the neighbourhood of the answer (``_neighbourhood``): the outline, the
    documents the outline and the draft name, and the mentions of those.

    Raises:
        UnknownSymbol, AmbiguousSymbol: ``against_symbol`` does not denote one document.
        LookupError: the document has no outline attached.
        IngestError: the draft cannot be read.
    """
    del base
    reader = _Reader(store)
    owner = resolve_document(
        store, against_symbol, docs=reader.candidates((against_symbol,)),
        prefer=lambda d: bool(reader.sections(d.iri)),  # has an outline attached
    )
    outline = [s for s in reader.sections(owner.iri) if _is_heading(s.number)]
    if not outline:
        raise LookupError(f"{owner.label}: no report outline attached")
    parsed = _read_draft(draft)
    graph = _neighbourhood(reader, outline, parsed)
    # What the graph knows, less anything read from the draft itself (if it was ingested).
    cites = [c for c in graph.cites if not _same_file(c.evidence, parsed.path)]
    known = {iri: d for iri, d in graph.docs.items() if not _only_in(d, parsed.path)}
    heads = draft_sections(parsed)
    matches = match_sections(outline, heads)
    used = {m.draft.start for m in matches}
    return CheckReport(
        draft=parsed.path,
        against=owner,
        matches=tuple(matches),
        missing=tuple(missing_sections(outline, matches)),
        out_of_order=tuple(out_of_order(matches)),
        missing_references=tuple(missing_references(matches, graph.docs, cites)),
        citation_issues=tuple(citation_issues(parsed, known, cites)),
        unmatched_draft=tuple(d for d in heads if d.start not in used),
    )
