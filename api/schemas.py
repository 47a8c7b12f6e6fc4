"""Response models of the HTTP API (the OpenAPI contract), apart from internal dataclasses.

The report models mirror the ``as_dict()`` of ``graph.trace``, ``graph.check`` and
``graph.reports``, so the API answers what ``luocdo … --json`` prints.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

# --- shared ----------------------------------------------------------------------------------


class Evidence(BaseModel):
    """Where a fact was read: the source file, code-point offsets and the quote."""

    source: str | None = None
    start: int | None = None
    end: int | None = None
    quote: str | None = None


class ProblemDoc(BaseModel):
    """An error (RFC 9457 ``application/problem+json``)."""

    model_config = ConfigDict(extra="allow", json_schema_extra={"examples": [{
        "type": "urn:luocdo:problem:no_document", "title": "Không tìm thấy", "status": 404,
        "detail": "Không tìm thấy văn bản 99/CT-TTG@2030.", "instance": "/documents/99"}]})

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None


# --- documents -------------------------------------------------------------------------------


class DocumentSummary(BaseModel):
    """One document. ``id`` names it alone in ``/documents/{id}``: the identity key when
    that has a year (or is ``ANON:…``), else the IRI path after the base."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": "15/CT-TTG@2024", "iri": "https://data.luocdo.vn/eli/vn/ct/2024/15/ttg",
        "key": "15/CT-TTG@2024", "symbol": "15/CT-TTg", "type": "chi-thi",
        "type_label": "Chỉ thị", "title": "Về đẩy mạnh chuyển đổi số …",
        "issuer": "Thủ tướng Chính phủ", "date": "2024-04-12", "year": 2024,
        "url": "/documents/15%2FCT-TTG%402024"}]})

    id: str
    iri: str
    key: str | None = None
    symbol: str | None = None
    type: str | None = Field(default=None, description="Type slug (chi-thi, cong-van, …).")
    type_label: str | None = None
    title: str | None = None
    issuer: str | None = None
    date: dt.date | None = None
    year: int | None = None
    url: str


class DocumentPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[DocumentSummary]


class CitationLink(BaseModel):
    """A citation to or from the document, with the relation its wording states."""

    document: str = Field(description="IRI of the other document.")
    id: str | None = Field(default=None, description="Its /documents id, when known.")
    symbol: str | None = None
    relation: str | None = Field(default=None, description="cites, based_on, implements, …")
    date: str | None = Field(default=None, description="Date written beside the mention.")
    title: str | None = None
    stated_by: str | None = Field(default=None,
                                  description="A third document that states the relation.")
    evidence: Evidence | None = None


class ChainHop(BaseModel):
    """One hop up the implementation chain (implements, continues, based on, attached)."""

    from_document: str
    from_symbol: str | None = None
    relation: str
    to_document: str
    to_symbol: str | None = None
    evidence: Evidence | None = None


class Replacement(BaseModel):
    document: str
    symbol: str | None = None
    stated_by: str | None = None
    evidence: Evidence | None = None


class DocumentDetail(DocumentSummary):
    """A document with its citations both ways, implementation chain and replacements."""

    evidence: list[Evidence] = []
    cites: list[CitationLink] = []
    cited_by: list[CitationLink] = Field(
        default=[], description="Citations in: one page (cited_by_limit, cited_by_offset).")
    cited_by_total: int | None = Field(
        default=None, description="How many documents cite this one in all (derived counts).")
    implements: list[ChainHop] = []
    replaces: list[Replacement] = []
    replaced_by: list[Replacement] = []


class GraphNode(BaseModel):
    id: str = Field(description="Document IRI.")
    label: str
    doc_id: str | None = Field(default=None, description="Its /documents id.")
    symbol: str | None = None
    type: str | None = None
    date: str | None = None
    title: str | None = None
    unresolved: bool = False
    depth: int = Field(description="Hops from the centre.")


class GraphEdge(BaseModel):
    source: str
    target: str
    relation: str = Field(description="Most specific relation of the edge.")
    relations: list[str]
    weight: int


class GraphView(BaseModel):
    """The neighbourhood of a document, for the explorer."""

    center: str
    depth: int
    nodes: list[GraphNode]
    edges: list[GraphEdge]


class OutlineSection(BaseModel):
    number: str
    title: str
    names: list[str] = Field(default=[], description="IRIs of documents the section names.")
    evidence: Evidence | None = None
    children: list[OutlineSection] = []


class Outline(BaseModel):
    document: DocumentSummary
    sections: list[OutlineSection]


# --- reports ---------------------------------------------------------------------------------


class DocRef(BaseModel):
    symbol: str | None = None
    key: str | None = None


class TraceSection(BaseModel):
    number: str
    title: str
    evidence: Evidence | None = None


class TraceRule(DocRef):
    date: str | None = None
    role: str
    evidence: Evidence | None = None


class TraceHop(DocRef):
    type: str | None = None
    date: str | None = None
    relation: str
    evidence: Evidence | None = None


class TraceObligation(BaseModel):
    document: str | None = None
    deadline: str | None = None
    frequency: str | None = None
    recipient: str | None = None
    bearer: str | None = None
    evidence: Evidence | None = None


class Trace(BaseModel):
    """What a report section rests on (``luocdo trace --json``)."""

    document: DocRef
    section: TraceSection
    rules: list[TraceRule]
    chain: list[TraceHop]
    obligations: list[TraceObligation]


class Obligation(BaseModel):
    """An obligation with its deadline: ISO date, or ``--MM-DD`` every year."""

    iri: str
    document: str | None = None
    document_symbol: str | None = None
    bearer: str | None = None
    recipient: str | None = None
    action: str | None = None
    deadline: str | None = None
    recurring: bool = False
    frequency: str | None = None
    next_due: dt.date | None = Field(
        default=None, description="First due day within the requested window (or at all).")
    evidence: Evidence | None = None


class ConflictValue(BaseModel):
    value: str
    sources: list[Evidence]


class Conflict(BaseModel):
    document: str
    symbol: str | None = None
    key: str | None = None
    kind: Literal["date", "issuer"]
    values: list[ConflictValue]


class Submission(BaseModel):
    agency: str
    group: str | None = None
    category: str
    symbol: str | None = None
    date: str | None = None
    obligation: str | None = None
    obligation_symbol: str | None = None
    deadline: str | None = None
    status: str = Field(description="on_time, late, missing or received.")
    reason: str
    source: str = Field(description="graph or extraction.")
    candidates: list[str] = []
    evidence: Evidence | None = None


class CheckPresent(BaseModel):
    number: str
    title: str
    draft_number: str
    draft_title: str
    score: float


class CheckMissing(BaseModel):
    number: str
    title: str
    evidence: Evidence | None = None


class CheckOutOfOrder(BaseModel):
    number: str
    title: str
    draft_number: str
    before: str
    evidence: Evidence | None = None


class CheckMissingReference(DocRef):
    number: str
    title: str
    draft_number: str
    evidence: Evidence | None = None


class CheckCitationIssue(BaseModel):
    kind: str = Field(description="date, issuer, number or graph_conflict.")
    field: str
    symbol: str | None = None
    written: str | None = None
    expected: list[ConflictValue]
    evidence: Evidence | None = None


class CheckUnmatched(BaseModel):
    number: str
    title: str


class CheckReport(BaseModel):
    """Findings of ``luocdo check`` for an uploaded draft."""

    draft: str
    against: DocRef
    present: list[CheckPresent]
    missing: list[CheckMissing]
    out_of_order: list[CheckOutOfOrder]
    missing_references: list[CheckMissingReference]
    citation_issues: list[CheckCitationIssue]
    unmatched_draft: list[CheckUnmatched]
    needs_action: bool


# --- admin -----------------------------------------------------------------------------------


class DocumentAnswers(BaseModel):
    """The kept ``/documents/{id}`` answers (``LUOCDO_DOCUMENT_ANSWERS``)."""

    documents: int = Field(description="Documents listed for the current generation.")
    kept: int = Field(description="Of them, those whose answer is kept.")
    traces: int = Field(default=0, description="Traces of outline sections kept.")
    complete: bool = Field(description="Every listed document has its answer.")
    error: str | None = Field(default=None, description="The last fill's failure, if any.")


class Reports(BaseModel):
    """The whole-store reports of the current generation (``api.report_keeper``)."""

    built: list[str] = Field(description="Reports built and kept: obligations, calendar, "
                                         "sources, conflicts, submissions, stats.")
    warming: bool = Field(description="Every report is built after start and after each "
                                      "write, before anyone asks (LUOCDO_WARM_REPORTS).")
    restored: list[str] = Field(
        default_factory=list,
        description="Reports of the current store generation read back from disk after "
                    "a restart (luocdo-reports.sqlite) instead of being built.")


class Health(BaseModel):
    status: Literal["ok"]
    store: str = Field(description="oxigraph-memory, oxigraph-disk or remote.")
    runner: str = Field(description="processes (cancellable) or threads.")
    workers: int
    generation: int
    updates: bool
    document_answers: DocumentAnswers | None = Field(
        default=None, description="Null when off (or on a remote store).")
    reports: Reports | None = Field(default=None, description="The whole-store reports.")


class Stats(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "sources": 6, "documents": 45, "citations": 84, "obligations": 19, "sections": 17,
        "evidence": 194, "triples": 2636, "by_type": {"chi-thi": 4}}]})

    sources: int
    documents: int
    citations: int
    obligations: int
    sections: int
    evidence: int
    triples: int
    by_type: dict[str, int]


class Source(BaseModel):
    id: str = Field(description="What DELETE /sources/{id} takes.")
    graph: str
    path: str
    sha256: str
    ingested: str | None = None


class IngestFile(BaseModel):
    name: str
    status: Literal["landed", "failed"]
    documents: int | None = None
    source: Source | None = None
    reason: str | None = None
    hint: str | None = None


class IngestResult(BaseModel):
    files: list[IngestFile]
    resolved: int = Field(description="Undated mentions linked to a dated document.")


class QueryParam(BaseModel):
    name: str
    kind: str
    optional: bool
    description: str


class NamedQuery(BaseModel):
    name: str
    description: str
    params: list[QueryParam]
    text: str
