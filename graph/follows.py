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

Reading the store. Oxigraph evaluates the branches of a ``UNION`` and the inside of a
multi-pattern ``OPTIONAL`` on their own and hash-joins them afterwards, so one query
that walks "``lo:hasSection`` one to four times, with its evidence if any" reads the
whole store. Every query here is instead one basic graph pattern anchored on a
constant class or predicate, or on a ``VALUES`` block of at most ``BATCH`` IRIs
already known; the section tree is walked level by level and the rows are joined in
Python. The queries need nothing beyond SPARQL 1.1 and no transitive path.

Incremental use: ``follow_links(store, same_as, reports=…)`` computes the links of the
given report documents only, reading their sections, the outline hosts, the relations
that decide which outline is related, and the headings of the outlines that could
match (the related ones, or every outline when a report has none). Its answer for a
report is the full answer restricted to that report. ``follow_scope`` says, for one
source graph, which reports' links it can change, or that all can;
``same_as_scope`` says the same for a change of the ``lo:sameDocumentAs`` links;
``updated_follows_graph`` merges recomputed links into the ones kept. When a full
recompute is due is written down in ``follow_links``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import regex
from rdflib import Graph, URIRef

from graph.check import DraftSection, SectionMatch, match_sections, title_similarity
from graph.reports import Evidence, SectionFact, title_tokens
from graph.sparql import term_sparql
from graph.trace import normalise_number
from ontology.ns import LO

__all__ = [
    "BATCH",
    "BEST_MARGIN",
    "LABEL_BONUS",
    "TITLE_MARGIN",
    "WELL_COVERED",
    "FollowLink",
    "FollowScope",
    "ReportSectionFact",
    "follow_links",
    "follow_scope",
    "follows_graph",
    "has_outline_in_graph",
    "report_sections",
    "reports_in_graph",
    "same_as_scope",
    "updated_follows_graph",
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
# IRIs per VALUES block: large enough that a query's fixed cost is shared, small
# enough that the query text stays a few tens of kilobytes.
BATCH = 500

# Relations that make a document the *root* a report and an outline both answer to;
# "cites" alone is too weak (every report cites laws and resolutions in passing).
_ROOT_RELATIONS = ("implements", "continues", "reportsOn", "basedOn")
_ANY_RELATIONS = (*_ROOT_RELATIONS, "cites", "attachedTo", "amends", "replaces")
# How deep sections nest below their report / outline (the paths the report queries
# of ``graph.reports`` have always followed: four and five ``lo:hasSection`` steps).
_REPORT_DEPTH = 4
_OUTLINE_DEPTH = 5

_PREFIX = f"PREFIX lo: <{LO}>\n"
_ALL_RELATIONS = ", ".join(f"lo:{n}" for n in _ANY_RELATIONS)
_ROOT_LIST = ", ".join(f"lo:{n}" for n in _ROOT_RELATIONS)

# --- queries ------------------------------------------------------------------------------------
# ``{values}`` is a list of IRIs (``_batched``), ``{graph}`` one IRI, both serialised by
# ``graph.sparql.term_sparql``.

# Children one lo:hasSection step below known nodes (a section tree, walked downwards).
_CHILDREN = _PREFIX + "SELECT ?p ?s WHERE {{ VALUES ?p {{ {values} }} ?p lo:hasSection ?s }}"
# Parents one step above known nodes (the same tree, walked upwards).
_PARENTS = _PREFIX + "SELECT ?p ?s WHERE {{ VALUES ?s {{ {values} }} ?p lo:hasSection ?s }}"
# The parent of every report section at once: anchored on the class, one join.
_REPORT_PARENTS = _PREFIX + "SELECT ?p ?s WHERE { ?s a lo:ReportSection . ?p lo:hasSection ?s }"
_DOCUMENTS = _PREFIX + "SELECT ?s WHERE { ?s a lo:Document }"
_TYPES = "SELECT ?s ?type WHERE {{ VALUES ?s {{ {values} }} ?s a ?type }}"
# Number and title: each its own single-pattern OPTIONAL on the bound section.
_FIELDS = _PREFIX + """SELECT ?s ?number ?title WHERE {{
  VALUES ?s {{ {values} }}
  OPTIONAL {{ ?s lo:sectionNumber ?number }}
  OPTIONAL {{ ?s lo:sectionTitle ?title }}
}}"""
# Evidence is whole or absent (quote, start and end); the file comes apart.
_EVIDENCE = _PREFIX + """SELECT ?s ?quote ?start ?end ?file WHERE {{
  VALUES ?s {{ {values} }}
  ?s lo:evidence ?ev .
  ?ev lo:quote ?quote ; lo:startOffset ?start ; lo:endOffset ?end .
  OPTIONAL {{ ?ev lo:sourceFile ?file }}
}}"""
_PATHS = _PREFIX + "SELECT ?file ?path WHERE {{ VALUES ?file {{ {values} }} ?file lo:path ?path }}"
# Outline hosts: the two links outline_sections of graph.reports joins sections through.
_HAS_OUTLINE = _PREFIX + "SELECT ?owner ?outline WHERE { ?owner lo:hasOutline ?outline }"
_ATTACHED_TO = _PREFIX + "SELECT ?owner ?outline WHERE { ?outline lo:attachedTo ?owner }"
# Relation edges: every one (full run), or those from known documents (incremental).
_EDGES = _PREFIX + "SELECT ?a ?p ?b WHERE {{ VALUES ?p {{ {predicates} }} ?a ?p ?b }}".format(
    predicates=" ".join(f"lo:{n}" for n in _ANY_RELATIONS))
_EDGES_FROM = _PREFIX + ("SELECT ?a ?p ?b WHERE {{ VALUES ?a {{ {values} }} ?a ?p ?b "
                         f"FILTER (?p IN ({_ALL_RELATIONS})) }}}}")
_EDGES_TO = _PREFIX + ("SELECT ?a ?p ?b WHERE {{ VALUES ?b {{ {values} }} ?a ?p ?b "
                       f"FILTER (?p IN ({_ALL_RELATIONS})) }}}}")
# One source graph: its report sections, outline facts and relation edges.
_GRAPH_REPORT_SECTIONS = _PREFIX + "SELECT ?s WHERE {{ GRAPH {graph} {{ ?s a lo:ReportSection }} }}"
_GRAPH_OUTLINE_SECTIONS = _PREFIX + (
    "SELECT ?s WHERE {{ GRAPH {graph} {{ ?s a lo:OutlineSection }} }}")
# Which of some documents are outlines (the two links outline_sections joins through).
_OWNED_OUTLINES = _PREFIX + (
    "SELECT ?a WHERE {{ VALUES ?a {{ {values} }} ?owner lo:hasOutline ?a }}")
_ATTACHED_OUTLINES = _PREFIX + (
    "SELECT ?a WHERE {{ VALUES ?a {{ {values} }} ?a lo:attachedTo ?owner }}")
_GRAPH_HAS_OUTLINE = _PREFIX + "ASK {{ GRAPH {graph} {{ ?owner lo:hasOutline ?outline }} }}"
_GRAPH_ATTACHED = _PREFIX + "SELECT ?a WHERE {{ GRAPH {graph} {{ ?a lo:attachedTo ?b }} }}"
# An attached document is an outline when it has outline sections below it.
_WITH_OUTLINE_SECTIONS = _PREFIX + """SELECT DISTINCT ?a WHERE {{
  VALUES ?a {{ {values} }}
  ?a lo:hasSection ?s .
  ?s a lo:OutlineSection .
}}"""
_GRAPH_RELATIONS = _PREFIX + ("SELECT ?a ?p ?b WHERE {{ GRAPH {graph} {{ ?a ?p ?b }} "
                              f"FILTER (?p IN ({_ALL_RELATIONS})) }}}}")
# Root relations from known documents, with the graph stating each.
_ROOT_EDGES_BY_GRAPH = _PREFIX + (
    "SELECT ?a ?p ?b ?g WHERE {{ VALUES ?a {{ {values} }} GRAPH ?g {{ ?a ?p ?b }} "
    f"FILTER (?p IN ({_ROOT_LIST})) }}}}")


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


@dataclass(frozen=True, slots=True)
class FollowScope:
    """Whose ``lo:followsSection`` links one change can change.

    The change is one source graph's triples (``follow_scope``) or the
    ``lo:sameDocumentAs`` links (``same_as_scope``).

    Attributes:
        full: every report's (an outline, or the roots of an outline's host, changed):
            recompute everything with ``follows_graph``.
        reports: otherwise, these documents' (sorted IRIs); a document without report
            sections among them simply has no links.
    """

    full: bool
    reports: tuple[str, ...] = ()


# --- reading the store --------------------------------------------------------------------------


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


def _iri_list(iris: Iterable[str]) -> str:
    return " ".join(term_sparql(URIRef(i)) for i in iris)


def _batched(store: Any, template: str, iris: Iterable[str]) -> Iterator[dict[str, str | None]]:
    """Rows of ``template`` run once per ``BATCH`` of ``iris`` (its ``{values}`` block)."""
    todo = sorted(set(iris))
    for at in range(0, len(todo), BATCH):
        yield from select_text(store, template.format(values=_iri_list(todo[at:at + BATCH])))


def _in_graph(template: str, graph_iri: str) -> str:
    return template.format(graph=term_sparql(URIRef(graph_iri)))


def _ask(store: Any, text: str) -> bool:
    return bool(store.query(text))


def _pairs(rows: Iterable[Mapping[str, str | None]], a: str, b: str) -> Iterator[tuple[str, str]]:
    for r in rows:
        x, y = r.get(a), r.get(b)
        if x is not None and y is not None:
            yield x, y


def _walk_down(store: Any, roots: Iterable[str], depth: int) -> dict[str, set[str]]:
    """Every node one to ``depth`` ``lo:hasSection`` steps below ``roots`` → its roots."""
    reached: dict[str, set[str]] = defaultdict(set)
    frontier: dict[str, set[str]] = {r: {r} for r in roots}
    for _ in range(depth):
        below: dict[str, set[str]] = defaultdict(set)
        for parent, child in _pairs(_batched(store, _CHILDREN, frontier), "p", "s"):
            below[child] |= frontier[parent]
        for node, tops in below.items():
            reached[node] |= tops
        if not below:
            break
        frontier = below
    return reached


def _walk_up(store: Any, nodes: Iterable[str], parents: dict[str, set[str]],
             depth: int) -> dict[str, set[str]]:
    """Every node one to ``depth`` steps above each of ``nodes`` (``parents`` is a cache)."""
    level = {n: {n} for n in nodes}  # node at this height → the start nodes below it
    above: dict[str, set[str]] = defaultdict(set)
    for _ in range(depth):
        unknown = [n for n in level if n not in parents]
        for n in unknown:
            parents[n] = set()
        for parent, child in _pairs(_batched(store, _PARENTS, unknown), "p", "s"):
            parents[child].add(parent)
        higher: dict[str, set[str]] = defaultdict(set)
        for node, starts in level.items():
            for parent in parents[node]:
                higher[parent] |= starts
        for node, starts in higher.items():
            for start in starts:
                above[start].add(node)
        if not higher:
            break
        level = higher
    return above


def _types(store: Any, iris: Iterable[str]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for s, t in _pairs(_batched(store, _TYPES, iris), "s", "type"):
        out[s].add(t)
    return out


def _typed(store: Any, iris: Iterable[str], cls: URIRef) -> set[str]:
    return {s for s, types in _types(store, iris).items() if str(cls) in types}


@dataclass(frozen=True, slots=True)
class _Fields:
    """What the store says of one section (several values: the least, for determinism)."""

    number: str | None
    title: str | None
    evidence: Evidence | None


def _section_fields(store: Any, sections: Collection[str]) -> dict[str, _Fields]:
    numbers: dict[str, set[str]] = defaultdict(set)
    titles: dict[str, set[str]] = defaultdict(set)
    for r in _batched(store, _FIELDS, sections):
        s = str(r["s"])
        if r.get("number") is not None:
            numbers[s].add(str(r["number"]))
        if r.get("title") is not None:
            titles[s].add(str(r["title"]))
    evidence = _evidence(store, sections)
    return {
        s: _Fields(min(numbers[s], default=None), min(titles[s], default=None), evidence.get(s))
        for s in sections
    }


def _evidence(store: Any, iris: Collection[str]) -> dict[str, Evidence]:
    """Each node's evidence (quote, offsets, the source file's path when known)."""
    rows = list(_batched(store, _EVIDENCE, iris))
    paths: dict[str, set[str]] = defaultdict(set)
    files = {str(r["file"]) for r in rows if r.get("file")}
    for file, path in _pairs(_batched(store, _PATHS, files), "file", "path"):
        paths[file].add(path)
    found: dict[str, set[tuple[int, int, str, str]]] = defaultdict(set)
    for r in rows:
        path = min(paths.get(str(r.get("file")), ()), default="")
        found[str(r["s"])].add((int(str(r["start"])), int(str(r["end"])), path, str(r["quote"])))
    out = {}
    for s, candidates in found.items():
        start, end, path, quote = min(candidates)
        out[s] = Evidence(path or None, start, end, quote)
    return out


# --- report sections ----------------------------------------------------------------------------


def _all_report_sections(store: Any) -> dict[str, set[str]]:
    """Report document → its sections, for every report (walked up from the sections)."""
    parents: dict[str, set[str]] = defaultdict(set)
    for parent, section in _pairs(select_text(store, _REPORT_PARENTS), "p", "s"):
        parents[section].add(parent)
    if not parents:
        return {}
    documents = {str(r["s"]) for r in select_text(store, _DOCUMENTS)}
    out: dict[str, set[str]] = defaultdict(set)
    for section, above in _walk_up(store, list(parents), parents, _REPORT_DEPTH).items():
        for report in above & documents:
            out[report].add(section)
    return out


def _sections_below(store: Any, reports: Iterable[str]) -> dict[str, set[str]]:
    """Report document → its report sections, for the given documents (walked down)."""
    reports = _typed(store, reports, LO.Document)
    below = _walk_down(store, reports, _REPORT_DEPTH)
    sections = _typed(store, below, LO.ReportSection)
    out: dict[str, set[str]] = defaultdict(set)
    for section in sections:
        for report in below[section]:
            out[report].add(section)
    return out


def _report_facts(store: Any, by_report: Mapping[str, set[str]]
                  ) -> dict[str, list[ReportSectionFact]]:
    """Sections with a number and a title, by report IRI, in text order."""
    fields = _section_fields(store, set().union(*by_report.values()) if by_report else set())
    out: dict[str, list[ReportSectionFact]] = {}
    for report in sorted(by_report):
        facts = [
            ReportSectionFact(s, report, f.number, f.title, f.evidence)
            for s in by_report[report]
            if (f := fields[s]).number is not None and f.title is not None
        ]
        if facts:
            out[report] = sorted(facts, key=lambda f: (_start(f.evidence), f.iri))
    return out


def report_sections(
    store: Any, reports: Collection[str] | None = None
) -> dict[str, list[ReportSectionFact]]:
    """Sections of every report in the store (or of ``reports``), by report IRI, in text order.

    A report is a ``lo:Document`` with ``lo:ReportSection`` nodes (with a number and a
    title) one to four ``lo:hasSection`` steps below it.
    """
    if reports is None:
        return _report_facts(store, _all_report_sections(store))
    return _report_facts(store, _sections_below(store, reports))


def _start(ev: Evidence | None) -> int:
    return ev.start if ev is not None and ev.start is not None else -1


# --- outlines -----------------------------------------------------------------------------------


def _outline_hosts(store: Any) -> dict[str, set[str]]:
    """Outline node → the documents it is attached to (``lo:hasOutline``, ``lo:attachedTo``)."""
    out: dict[str, set[str]] = defaultdict(set)
    for query in (_HAS_OUTLINE, _ATTACHED_TO):
        for owner, outline in _pairs(select_text(store, query), "owner", "outline"):
            out[outline].add(owner)
    return out


def _sort_key(ev: Evidence | None) -> tuple[str, int]:
    """``graph.reports.outline_sections``'s order: source file, then offset."""
    if ev is None:
        return ("\uffff", 0)
    return (ev.source or "", ev.start if ev.start is not None else 0)


class _Outlines:
    """The store's outlines: hosts read at once, headings read per outline when asked.

    The headings are what ``graph.reports.outline_sections`` gives for an outline
    (``lo:OutlineSection`` nodes one to five ``lo:hasSection`` steps below it, in
    source order), less "-" and "+" items (content hints, not headings). A section is
    assumed to sit below one outline (``graph.iri.section_iri`` mints its IRI from the
    outline's); below several, it is given the least of them.
    """

    def __init__(self, store: Any, same: Mapping[str, str]) -> None:
        self._store = store
        self._hosts = _outline_hosts(store)
        self._loaded: dict[str, list[SectionFact]] = {}
        # The owner outline_sections reports (the least host), as a lo:sameDocumentAs target.
        self.owners: dict[str, str | None] = {
            o: same.get(min(hosts), min(hosts)) for o, hosts in self._hosts.items()
        }

    def headings(self, outlines: Iterable[str]) -> dict[str, list[SectionFact]]:
        """Numbered sections of each of ``outlines`` that has any, in source order."""
        wanted = [o for o in outlines if o in self._hosts]
        todo = [o for o in wanted if o not in self._loaded]
        if todo:
            for o in todo:
                self._loaded[o] = []
            for s in _headings(self._read(todo)):
                self._loaded[s.outline].append(s)
        return {o: self._loaded[o] for o in wanted if self._loaded[o]}

    def live(self) -> dict[str, set[str]]:
        """Outline with headings → the documents it is attached to (as the store has them)."""
        return {o: self._hosts[o] for o in self.headings(self._hosts)}

    def live_hosts(self, among: Collection[str] | None = None) -> set[str]:
        """Every outline with headings and its owner: whose root relations matter.

        With ``among``, only the outlines that are, or are owned by, one of those are
        read (reading an outline's headings is the cost: at 100,000 documents with 200
        outlines, 0.5 s for all of them, for every file written).
        """
        outlines = self._hosts if among is None else [
            o for o, owner in self.owners.items() if o in among or owner in among]
        return set().union(*(_hosts(o, self.owners[o]) for o in self.headings(outlines)))

    def _read(self, outlines: Sequence[str]) -> list[SectionFact]:
        below = _walk_down(self._store, outlines, _OUTLINE_DEPTH)
        sections = _typed(self._store, below, LO.OutlineSection)
        fields = _section_fields(self._store, sections)
        out = []
        for s in sections:
            outline = min(below[s])
            owner = min(h for o in below[s] for h in self._hosts[o])
            f = fields[s]
            out.append(SectionFact(s, outline, owner, outline, f.number or "", f.title or "",
                                   None, (), f.evidence))
        return sorted(out, key=lambda s: (_sort_key(s.evidence), s.iri))


# --- relations ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Edges:
    """Document → documents it names, by any relation and by a root relation.

    Both ends are mapped through ``lo:sameDocumentAs``; a subset read for some keys
    holds, for each of those keys, exactly what reading every edge would.
    """

    any: Mapping[str, set[str]]
    root: Mapping[str, set[str]]


def _edges(rows: Iterable[Mapping[str, str | None]], same: Mapping[str, str]) -> _Edges:
    roots = {str(LO[n]) for n in _ROOT_RELATIONS}
    any_edges: dict[str, set[str]] = defaultdict(set)
    root_edges: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        a, p, b = str(r["a"]), str(r["p"]), str(r["b"])
        a, b = same.get(a, a), same.get(b, b)
        any_edges[a].add(b)
        if p in roots:
            root_edges[a].add(b)
    return _Edges(any_edges, root_edges)


def _aliases(same: Mapping[str, str]) -> dict[str, set[str]]:
    """Document → the IRIs whose edges count as its own (itself, and what points to it)."""
    out: dict[str, set[str]] = defaultdict(set)
    for a, b in same.items():
        out[b].add(a)
    return out


def _edges_from(store: Any, keys: Iterable[str], same: Mapping[str, str]) -> _Edges:
    """The edges of ``keys`` (documents as ``lo:sameDocumentAs`` maps them) only."""
    aliases = _aliases(same)
    subjects: set[str] = set()
    for k in keys:
        subjects |= aliases.get(k, set())
        if same.get(k, k) == k:
            subjects.add(k)
    return _edges(_batched(store, _EDGES_FROM, subjects), same)


# --- choosing the outline -----------------------------------------------------------------------


@lru_cache(maxsize=1 << 14)
def _norm(number: str) -> str:
    """``normalise_number``, remembered: ranking asks for the same numbers over and over."""
    return normalise_number(number)


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
    return len(_norm(number).split("."))


def _unambiguous(m: SectionMatch, outline: Sequence[SectionFact]) -> bool:
    """The numbers agree, or no same-level rival's plain title overlap comes close."""
    if _norm(m.outline.number) == _norm(m.draft.number):
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
    parts = _norm(number).split(".")
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
    by_draft = {_norm(x.draft.number): _norm(x.outline.number)
                for x in found}
    matched = by_draft.get(draft_parent)
    if matched is None or matched == outline_parent:
        return matched is not None
    if outline_parent in by_draft.values():
        return False
    level = [_norm(x.number) for x in outline
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
    return _norm(number).rsplit(".", 1)[-1]


def _hosts(outline: str, owner: str | None) -> set[str]:
    return {outline} | ({owner} if owner else set())


def _all_hosts(outlines: _Outlines) -> set[str]:
    """Every outline and every document one is attached to (``lo:sameDocumentAs`` mapped)."""
    return set().union(*(_hosts(o, w) for o, w in outlines.owners.items()))


def _related(report: str, outline: str, owner: str | None, edges: _Edges) -> bool:
    hosts = _hosts(outline, owner)
    if edges.any.get(report, set()) & hosts:
        return True
    roots = set().union(*(edges.root.get(h, set()) for h in hosts))
    return bool(edges.root.get(report, set()) & roots)


def _best_related(scored: Mapping[str, list[SectionMatch]]) -> str | None:
    """Among related outlines, the best fit when it beats the runner-up by BEST_MARGIN."""
    ranked = sorted(((_fit(ms), o) for o, ms in scored.items() if ms), reverse=True)
    if not ranked:
        return None
    if len(ranked) == 1 or ranked[0][0] >= BEST_MARGIN * ranked[1][0]:
        return ranked[0][1]
    return None


def _well_covered(
    sections: Sequence[ReportSectionFact], outlines: Mapping[str, Sequence[SectionFact]]
) -> tuple[str, list[SectionMatch]] | None:
    """The one outline covering WELL_COVERED of the headings (None: none, or two or more)."""
    if not sections:
        return None
    found = None
    for outline, secs in outlines.items():
        ms = _matches(sections, secs)
        if len(ms) / len(sections) >= WELL_COVERED:
            if found is not None:
                return None  # a second one: no guess
            found = (outline, ms)
    return found


def _links_of(
    report: str, sections: Sequence[ReportSectionFact], outlines: _Outlines, edges: _Edges
) -> list[FollowLink]:
    """The links of one report (see the module docstring for the choice of outline)."""
    related = outlines.headings(
        o for o, owner in outlines.owners.items()
        if o != report and _related(report, o, owner, edges)
    )
    if related:
        scored = {o: _matches(sections, secs) for o, secs in related.items()}
        best = _best_related(scored)
        chosen = None if best is None else (best, scored[best])
    else:
        chosen = _well_covered(
            sections, outlines.headings(o for o in outlines.owners if o != report))
    if chosen is None:
        return []
    outline, matches = chosen
    by_start = {d.start: s for d, s in zip(_draft(sections), sections, strict=True)}
    out = [
        FollowLink(report, by_start[m.draft.start].iri, outline, m.outline.iri, m.score)
        for m in matches
    ]
    order = {s.iri: i for i, s in enumerate(sections)}
    return sorted(out, key=lambda k: order[k.section])


# --- entry points -------------------------------------------------------------------------------


def follow_links(
    store: Any,
    same_as: Mapping[str, str] | None = None,
    reports: Collection[str] | None = None,
) -> list[FollowLink]:
    """Every (report section → outline section) link the store's facts support.

    Args:
        store: a ``GraphStore`` (anything with ``.query``).
        same_as: undated mention IRI → the dated document it denotes (the
            ``lo:sameDocumentAs`` links being derived), so that a report citing
            "Chỉ thị 15/CT-TTg" and an outline citing "15/CT-TTg ngày …" meet.
        reports: only the links of these report documents (IRIs): exactly the full
            answer's links whose ``report`` is one of them. None: every report.

    A report's links depend on its own sections, the relation edges from it, every
    outline (its hosts and headings), the root relations from the outlines' hosts,
    and ``same_as``. Links computed for some reports therefore stay right only while
    the rest is unchanged; the caller must recompute **all** links
    (``reports=None``) when

    * an outline arrives, changes or goes (outline sections, an ``lo:hasOutline``
      link, an ``lo:attachedTo`` link of an outline): any report may now match it,
      or lose it (``has_outline_in_graph``, run on each written graph before and
      after the write);
    * a root relation (implements, continues, reportsOn, basedOn) from an outline or
      from the document it is attached to is stated or withdrawn: reports sharing
      that root become related to the outline, or stop being (``follow_scope``);
    * a ``same_as`` change touches an outline, its host or a root relation from the
      host (``same_as_scope``).

    Otherwise recomputing the reports that ``follow_scope`` (each written graph,
    before and after) and ``same_as_scope`` (old links → new) name is enough, and
    ``updated_follows_graph`` merges them with the links kept.

    Returns:
        Links sorted by report, then by the report section's place in the text.
    """
    same = dict(same_as or {})
    outlines = _Outlines(store, same)
    if not outlines.owners:
        return []
    if reports is None:
        if not outlines.headings(outlines.owners):
            return []  # no outline with headings: nothing to follow
        by_report = report_sections(store)
        edges = _edges(select_text(store, _EDGES), same)
    else:
        by_report = report_sections(store, reports)
        edges = _edges_from(store, set(by_report) | _all_hosts(outlines), same)
    links: list[FollowLink] = []
    for report, sections in by_report.items():
        links += _links_of(report, sections, outlines, edges)
    return links


def follows_graph(
    store: Any,
    same_as: Mapping[str, str] | None = None,
    reports: Collection[str] | None = None,
) -> Graph:
    """``report section lo:followsSection outline section`` triples (see ``follow_links``)."""
    g = Graph()
    for link in follow_links(store, same_as, reports):
        g.add((URIRef(link.section), LO.followsSection, URIRef(link.outline_section)))
    return g


def updated_follows_graph(
    store: Any,
    previous: Graph,
    same_as: Mapping[str, str] | None,
    reports: Collection[str],
) -> Graph:
    """``previous``'s ``lo:followsSection`` links with those of ``reports`` recomputed.

    Kept: links of other reports whose section is still a ``lo:ReportSection`` in the
    store. Dropped: every link of a section of ``reports`` and every link of a section
    gone from the store. Equal to ``follows_graph(store, same_as)`` when no full
    recompute is due and ``reports`` holds every report the scopes name (see
    ``follow_links``).

    Args:
        store: the store, after the write.
        previous: the links computed before (other triples in it are ignored).
        same_as: the ``lo:sameDocumentAs`` links in force now.
        reports: the reports whose links may have changed.
    """
    fresh = follows_graph(store, same_as, reports)
    old = [(s, o) for s, o in previous.subject_objects(LO.followsSection)]
    current = _typed(store, {str(s) for s, _ in old}, LO.ReportSection)
    redone = _sections_below(store, reports)
    redone_sections = set().union(*redone.values()) if redone else set()
    for s, o in old:
        if str(s) in current and str(s) not in redone_sections:
            fresh.add((s, LO.followsSection, o))
    return fresh


# --- what one source graph holds ----------------------------------------------------------------


def reports_in_graph(store: Any, graph_iri: str) -> list[str]:
    """Report documents with ``lo:ReportSection`` nodes in the named graph ``graph_iri``.

    A report is a ``lo:Document`` one to four ``lo:hasSection`` steps above the
    sections (walked in the whole store, as ``report_sections`` does).
    """
    sections = [str(r["s"]) for r in select_text(
        store, _in_graph(_GRAPH_REPORT_SECTIONS, graph_iri))]
    if not sections:
        return []
    above = _walk_up(store, sections, {}, _REPORT_DEPTH)
    candidates = set().union(*above.values()) if above else set()
    return sorted(_typed(store, candidates, LO.Document))


def has_outline_in_graph(store: Any, graph_iri: str) -> bool:
    """Whether the named graph ``graph_iri`` holds any fact of a report outline.

    That is an ``lo:hasOutline`` link; an ``lo:attachedTo`` link from a document with
    outline sections below it; or an ``lo:OutlineSection`` one to five
    ``lo:hasSection`` steps below an outline (a document's own headings typed as
    outline sections, under no outline, are not one). Such a graph, new, replaced or
    removed, calls for a full recompute (``follow_links``).
    """
    if _ask(store, _in_graph(_GRAPH_HAS_OUTLINE, graph_iri)):
        return True
    attached = {str(r["a"]) for r in select_text(store, _in_graph(_GRAPH_ATTACHED, graph_iri))}
    if _any_row(_batched(store, _WITH_OUTLINE_SECTIONS, attached)):
        return True
    sections = [str(r["s"]) for r in select_text(
        store, _in_graph(_GRAPH_OUTLINE_SECTIONS, graph_iri))]
    if not sections:
        return False
    above = _walk_up(store, sections, {}, _OUTLINE_DEPTH)
    nodes = set().union(*above.values()) if above else set()
    return (_any_row(_batched(store, _OWNED_OUTLINES, nodes))
            or _any_row(_batched(store, _ATTACHED_OUTLINES, nodes)))


def _any_row(rows: Iterator[dict[str, str | None]]) -> bool:
    return next(rows, None) is not None


def follow_scope(store: Any, graph_iri: str,
                 same_as: Mapping[str, str] | None = None) -> FollowScope:
    """Whose links the named graph ``graph_iri``'s triples can change.

    Call it on the graph as it is in the store: for a replaced or removed graph both
    before the write (what goes, with the ``same_as`` in force then) and after it
    (what comes), and join the answers.

    Args:
        store: the store.
        graph_iri: one source graph.
        same_as: the ``lo:sameDocumentAs`` links in force (as for ``follow_links``).

    Returns:
        ``full`` when the graph holds an outline fact (``has_outline_in_graph``) or a
        root relation from an outline or the document it is attached to that no
        other graph states (``same_as`` mapping both ends); otherwise
        the reports with sections in the graph and the documents (as ``same_as`` maps
        them) it states a relation from.
    """
    if has_outline_in_graph(store, graph_iri):
        return FollowScope(True)
    same = dict(same_as or {})
    rows = select_text(store, _in_graph(_GRAPH_RELATIONS, graph_iri))
    if _changes_host_roots(store, graph_iri, rows, same):
        return FollowScope(True)
    subjects = {same.get(str(r["a"]), str(r["a"])) for r in rows}
    return FollowScope(False, tuple(sorted(subjects | set(reports_in_graph(store, graph_iri)))))


def _root_edges(rows: Iterable[Mapping[str, str | None]], same: Mapping[str, str],
                hosts: Collection[str]) -> set[tuple[str, str, str]]:
    """The root relations among ``rows`` from ``hosts``, both ends mapped by ``same``."""
    roots = {str(LO[n]) for n in _ROOT_RELATIONS}
    out = set()
    for r in rows:
        a, p, b = str(r["a"]), str(r["p"]), str(r["b"])
        if p in roots and same.get(a, a) in hosts:
            out.add((same.get(a, a), p, same.get(b, b)))
    return out


def _changes_host_roots(store: Any, graph_iri: str, rows: Sequence[Mapping[str, str | None]],
                        same: Mapping[str, str]) -> bool:
    """Whether the graph states a root relation of an outline's host no other graph states.

    Such a relation changes the roots the host answers to when the graph arrives or
    goes; one that another graph states too changes nothing.
    """
    roots = {str(LO[n]) for n in _ROOT_RELATIONS}
    stating = {same.get(a, a) for a, p in _pairs(rows, "a", "p") if p in roots}
    if not stating:
        return False
    mine = _root_edges(rows, same, _Outlines(store, same).live_hosts(stating))
    if not mine:
        return False
    aliases = _aliases(same)
    subjects = {a for h, _, _ in mine for a in {h} | aliases.get(h, set())}
    elsewhere = [r for r in _batched(store, _ROOT_EDGES_BY_GRAPH, subjects)
                 if r.get("g") != graph_iri]
    return not mine <= _root_edges(elsewhere, same, {h for h, _, _ in mine})


def same_as_scope(store: Any, old: Mapping[str, str], new: Mapping[str, str]) -> FollowScope:
    """Whose links a change of the ``lo:sameDocumentAs`` links can change.

    A *changed* IRI is an undated mention whose target changed (or that gained or
    lost one); only the edges to and from it are read differently. Full when one is
    an outline or a document one is attached to (the outline's owner may change),
    or when a root relation between one and such a host exists (the host's roots
    change); otherwise the changed IRIs and every document (as ``old`` and as ``new``
    map it) with a relation to or from one.

    Args:
        store: the store (its relations as they are now).
        old: the links the kept ``lo:followsSection`` links were computed with.
        new: the links in force now.
    """
    changed = {k for k in {*old, *new} if old.get(k) != new.get(k)}
    if not changed:
        return FollowScope(False)
    hosts_of = _Outlines(store, new).live()
    hosts = set(hosts_of).union(*hosts_of.values())
    if changed & hosts:
        return FollowScope(True)
    hosts |= {m.get(h, h) for h in hosts for m in (old, new)}
    rows = [*_batched(store, _EDGES_FROM, changed), *_batched(store, _EDGES_TO, changed)]
    roots = {str(LO[n]) for n in _ROOT_RELATIONS}
    if any(p in roots and {old.get(a, a), new.get(a, a)} & hosts
           for a, p in _pairs(rows, "a", "p")):
        return FollowScope(True)
    subjects = {m.get(a, a) for a, _ in _pairs(rows, "a", "p") for m in (old, new)}
    return FollowScope(False, tuple(sorted(subjects | changed)))
