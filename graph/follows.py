"""Link a report's sections to the outline sections they answer (``lo:followsSection``).

A report written to an outline (a ward's implementation report, a ministry's national
report) repeats the outline's headings, often renumbered: a report that leaves out the
outline's "I. KHÁI QUÁT CHUNG" shifts every Roman number by one. So the headings are
paired by ``graph.check.match_sections``: weighted, diacritic-insensitive title overlap
first, the number and the already matched parent as tie-breakers, level by level.

Which outline a report follows:

* **related outlines**: the report names (any relation) the document the outline is
  attached to, or the outline itself; or the report and the outline (or its host)
  share a root document they implement, continue, report on or are based on (two
  letters forwarding the same directive);
* among several related outlines, the one whose headings the report matches best, when
  its total score beats the runner-up by ``BEST_MARGIN`` (templates of one directive
  look alike, so a near tie links nothing);
* with no related outline, the one outline in the store whose headings cover at least
  ``WELL_COVERED`` of the report's headings, when exactly one does.

A pair is linked only when it is unambiguous: the numbers agree, or the outline
section's plain title overlap with the heading beats every other outline section of
the same level by ``TITLE_MARGIN``.

``follows_graph`` is a pure function of the store's source graphs (and of the
``lo:sameDocumentAs`` links passed in), so ``graph.pipeline.refresh_derived`` can
recompute it after every ingest.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import regex
from rdflib import Graph, URIRef

from graph.check import DraftSection, SectionMatch, match_sections, title_similarity
from graph.reports import Evidence, SectionFact, outline_sections, title_tokens
from graph.trace import normalise_number
from ontology.ns import LO

__all__ = [
    "BEST_MARGIN",
    "LABEL_BONUS",
    "TITLE_MARGIN",
    "WELL_COVERED",
    "FollowLink",
    "ReportSectionFact",
    "follow_links",
    "follows_graph",
    "report_sections",
]

# The best related outline's fit must be this many times the runner-up's.
BEST_MARGIN = 1.1
# Added to a pair's score, when ranking outlines, if the last labels agree (report
# "II.8" and outline "III.8"): renumbered reports keep the numbers inside a part.
LABEL_BONUS = 0.25
# An unrelated outline is taken only when it covers this share of the report's headings.
WELL_COVERED = 0.5
# Plain title overlap by which the matched outline section must beat its rivals of the
# same level when the numbers disagree.
TITLE_MARGIN = 0.1

# Relations that make a document the *root* a report and an outline both answer to;
# "cites" alone is too weak (every report cites laws and resolutions in passing).
_ROOT_RELATIONS = ("implements", "continues", "reportsOn", "basedOn")
_ANY_RELATIONS = (*_ROOT_RELATIONS, "cites", "attachedTo", "amends", "replaces")

_REPORT_SECTIONS = """
PREFIX lo: <https://w3id.org/luocdo/ontology#>
SELECT ?s ?report ?number ?title ?start ?end ?quote ?path WHERE {
  ?s a lo:ReportSection ; lo:sectionNumber ?number ; lo:sectionTitle ?title .
  { ?report lo:hasSection ?s }
  UNION { ?report lo:hasSection/lo:hasSection ?s }
  UNION { ?report lo:hasSection/lo:hasSection/lo:hasSection ?s }
  UNION { ?report lo:hasSection/lo:hasSection/lo:hasSection/lo:hasSection ?s }
  ?report a lo:Document .
  OPTIONAL {
    ?s lo:evidence ?ev .
    ?ev lo:quote ?quote ; lo:startOffset ?start ; lo:endOffset ?end .
    OPTIONAL { ?ev lo:sourceFile ?file . OPTIONAL { ?file lo:path ?path } }
  }
}
"""

_EDGES = """
PREFIX lo: <https://w3id.org/luocdo/ontology#>
SELECT ?a ?p ?b WHERE {
  VALUES ?p { %s }
  ?a ?p ?b .
}
"""


@dataclass(frozen=True, slots=True)
class ReportSectionFact:
    """One section of a report, as the store holds it."""

    iri: str
    report: str
    number: str
    title: str
    evidence: Evidence | None


@dataclass(frozen=True, slots=True)
class FollowLink:
    """A report section and the outline section it answers."""

    report: str
    section: str  # the report section (lo:ReportSection)
    outline: str  # the outline document
    outline_section: str  # the lo:OutlineSection
    score: float


def report_sections(store: Any) -> dict[str, list[ReportSectionFact]]:
    """Sections of every report in the store, by report IRI, in text order."""
    out: dict[str, dict[str, ReportSectionFact]] = defaultdict(dict)
    for r in select_text(store, _REPORT_SECTIONS):
        ev = None
        if r.get("start") is not None and r.get("end") is not None:
            ev = Evidence(r.get("path"), int(str(r["start"])), int(str(r["end"])), r.get("quote"))
        fact = ReportSectionFact(str(r["s"]), str(r["report"]), str(r["number"]),
                                 str(r["title"]), ev)
        out[fact.report].setdefault(fact.iri, fact)
    return {
        report: sorted(facts.values(), key=lambda f: (_start(f.evidence), f.iri))
        for report, facts in sorted(out.items())
    }


def select_text(store: Any, text: str) -> list[dict[str, str | None]]:
    """Run a SELECT given as text; rows as lexical strings (None when unbound)."""
    result = store.query(text)
    names = [str(getattr(v, "value", v)).lstrip("?") for v in
             (getattr(result, "vars", None) or getattr(result, "variables", None) or [])]
    rows = []
    for row in result:
        values: dict[str, str | None] = {}
        for n in names:
            try:
                v = row[n]
            except (KeyError, IndexError, TypeError):
                v = None
            values[n] = None if v is None else str(getattr(v, "value", v))
        rows.append(values)
    return rows


def _start(ev: Evidence | None) -> int:
    return ev.start if ev is not None and ev.start is not None else -1


def _edges(store: Any, names: Sequence[str], same_as: Mapping[str, str]) -> dict[str, set[str]]:
    """Document → documents it names by one of the relations ``names``."""
    values = " ".join(f"lo:{n}" for n in names)
    out: dict[str, set[str]] = defaultdict(set)
    for r in select_text(store, _EDGES % values):
        a, b = str(r["a"]), str(r["b"])
        out[same_as.get(a, a)].add(same_as.get(b, b))
    return out


def _draft(sections: Sequence[ReportSectionFact]) -> list[DraftSection]:
    """Report sections in the shape ``match_sections`` compares (range = evidence span)."""
    out = []
    for i, s in enumerate(sections):
        ev = s.evidence or Evidence(None, None, None, None)
        start = ev.start if ev.start is not None else i
        end = ev.end if ev.end is not None else start + 1
        out.append(DraftSection(s.number, s.title, start, end, frozenset(), ev))
    return out


def _headings(sections: Iterable[SectionFact]) -> list[SectionFact]:
    """Numbered outline sections only: "-" and "+" items are content hints."""
    return [s for s in sections if not regex.search(r"(?:^|\.)[-+]", s.number)]


def _depth(number: str) -> int:
    return len(normalise_number(number).split("."))


def _unambiguous(m: SectionMatch, outline: Sequence[SectionFact]) -> bool:
    """The numbers agree, or no same-level rival's plain title overlap comes close."""
    if normalise_number(m.outline.number) == normalise_number(m.draft.number):
        return True
    heading = title_tokens(m.draft.title)
    own = title_similarity(heading, title_tokens(m.outline.title), {})
    rivals = [
        title_similarity(heading, title_tokens(s.title), {})
        for s in outline
        if s.iri != m.outline.iri and _depth(s.number) == _depth(m.outline.number)
    ]
    return all(own - r >= TITLE_MARGIN for r in rivals)


def _parent_number(number: str) -> str | None:
    parts = normalise_number(number).split(".")
    return ".".join(parts[:-1]) if len(parts) > 1 else None


def _nested_alike(m: SectionMatch, found: Sequence[SectionMatch],
                  outline: Sequence[SectionFact]) -> bool:
    """The report heading sits where the outline section does.

    Its parent is matched to the outline section's parent; or the outline's parent
    has no report heading and directly follows (same level, outline order) the one
    the report's parent matched: a ward report that puts its results under
    "II. CÔNG TÁC LÃNH ĐẠO" instead of a "III. KẾT QUẢ" of its own.
    """
    draft_parent = m.draft.parent_number
    outline_parent = _parent_number(m.outline.number)
    if draft_parent is None or outline_parent is None:
        return draft_parent is None and outline_parent is None
    by_draft = {normalise_number(x.draft.number): normalise_number(x.outline.number)
                for x in found}
    matched = by_draft.get(draft_parent)
    if matched is None or matched == outline_parent:
        return matched is not None
    if outline_parent in by_draft.values():
        return False
    level = [normalise_number(x.number) for x in outline
             if _parent_number(x.number) == _parent_number(outline_parent)]
    return matched in level and level.index(matched) + 1 == level.index(outline_parent)


def _matches(
    report: Sequence[ReportSectionFact], outline: Sequence[SectionFact]
) -> list[SectionMatch]:
    found = match_sections(outline, _draft(report))
    kept: list[SectionMatch] = []
    for m in sorted(found, key=lambda m: _depth(m.outline.number)):
        if _unambiguous(m, outline) and _nested_alike(m, kept, outline):
            kept.append(m)
    return [m for m in found if m in kept]


def _fit(matches: Sequence[SectionMatch]) -> float:
    """How well a report follows an outline: match scores, plus agreeing last labels."""
    return sum(
        m.score + LABEL_BONUS * (_last(m.draft.number) == _last(m.outline.number))
        for m in matches
    )


def _last(number: str) -> str:
    return normalise_number(number).rsplit(".", 1)[-1]


def _related(
    report: str,
    outline: str,
    owner: str | None,
    any_edges: Mapping[str, set[str]],
    root_edges: Mapping[str, set[str]],
) -> bool:
    hosts = {outline} | ({owner} if owner else set())
    if any_edges.get(report, set()) & hosts:
        return True
    roots = set().union(*(root_edges.get(h, set()) for h in hosts))
    return bool(root_edges.get(report, set()) & roots)


def _choose(
    scored: Mapping[str, list[SectionMatch]], related: set[str], n_headings: int
) -> str | None:
    """The outline the report follows (see the module docstring), or None."""
    if related:
        ranked = sorted(((_fit(scored[o]), o) for o in related if scored[o]), reverse=True)
        if not ranked:
            return None
        if len(ranked) == 1 or ranked[0][0] >= BEST_MARGIN * ranked[1][0]:
            return ranked[0][1]
        return None
    well = [o for o, ms in scored.items() if n_headings and len(ms) / n_headings >= WELL_COVERED]
    return well[0] if len(well) == 1 else None


def follow_links(store: Any, same_as: Mapping[str, str] | None = None) -> list[FollowLink]:
    """Every (report section → outline section) link the store's facts support.

    Args:
        store: a ``GraphStore`` (anything with ``.query``).
        same_as: undated mention IRI → the dated document it denotes (the
            ``lo:sameDocumentAs`` links being derived), so that a report citing
            "Chỉ thị 15/CT-TTg" and an outline citing "15/CT-TTg ngày …" meet.

    Returns:
        Links sorted by report, then by the report section's place in the text.
    """
    same = dict(same_as or {})
    reports = report_sections(store)
    if not reports:
        return []
    outlines: dict[str, list[SectionFact]] = defaultdict(list)
    owners: dict[str, str | None] = {}
    for s in _headings(outline_sections(store)):
        outlines[s.outline].append(s)
        owners[s.outline] = same.get(s.owner or "", s.owner)
    any_edges = _edges(store, _ANY_RELATIONS, same)
    root_edges = _edges(store, _ROOT_RELATIONS, same)
    links: list[FollowLink] = []
    for report, sections in reports.items():
        links += _links_of(report, sections, outlines, owners, any_edges, root_edges)
    return links


def _links_of(
    report: str,
    sections: Sequence[ReportSectionFact],
    outlines: Mapping[str, Sequence[SectionFact]],
    owners: Mapping[str, str | None],
    any_edges: Mapping[str, set[str]],
    root_edges: Mapping[str, set[str]],
) -> list[FollowLink]:
    candidates = {o: secs for o, secs in outlines.items() if o != report}
    scored = {o: _matches(sections, secs) for o, secs in candidates.items()}
    related = {
        o for o in candidates if _related(report, o, owners.get(o), any_edges, root_edges)
    }
    chosen = _choose(scored, related, len(sections))
    if chosen is None:
        return []
    by_start = {d.start: s for d, s in zip(_draft(sections), sections, strict=True)}
    out = [
        FollowLink(report, by_start[m.draft.start].iri, chosen, m.outline.iri, m.score)
        for m in scored[chosen]
    ]
    order = {s.iri: i for i, s in enumerate(sections)}
    return sorted(out, key=lambda k: order[k.section])


def follows_graph(store: Any, same_as: Mapping[str, str] | None = None) -> Graph:
    """``report section lo:followsSection outline section`` triples (see ``follow_links``)."""
    g = Graph()
    for link in follow_links(store, same_as):
        g.add((URIRef(link.section), LO.followsSection, URIRef(link.outline_section)))
    return g
