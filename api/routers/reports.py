"""Report-drafter answers: trace, obligations, calendar, conflicts, submissions, check.

Each endpoint calls the same graph function as the CLI command of that name
(``graph.trace.trace``, ``graph.check.check_draft``, ``graph.reports.conflicts`` …)
through the query runner, so the time limit applies and the JSON is the CLI's
``--json``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, Response, UploadFile

from api.deps import LangDep, StateDep
from api.errors import Problem
from api.schemas import CheckReport, Conflict, Obligation, ProblemDoc, Submission, Trace
from api.search import text_matches

router = APIRouter(tags=["reports"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ProblemDoc, "description": "Unknown document or section."},
    409: {"model": ProblemDoc, "description": "A symbol several documents carry."},
    503: {"model": ProblemDoc, "description": "Over the time limit."},
}


def _lookup_problem(exc: LookupError, document: str, section: str = "") -> Problem:
    """The HTTP answer to a failed document or section lookup of graph.trace."""
    from graph.trace import AmbiguousSymbol, UnknownSection, UnknownSymbol

    if isinstance(exc, AmbiguousSymbol):
        candidates = [{"symbol": d.symbol, "key": d.key, "title": d.title,
                       "date": d.date.isoformat() if d.date else None}
                      for d in exc.candidates]
        return Problem(409, "ambiguous", id=document, extra={"candidates": candidates})
    if isinstance(exc, UnknownSection):
        return Problem(404, "no_section", id=document, section=section,
                       extra={"available": list(exc.available)})
    if isinstance(exc, UnknownSymbol):
        return Problem(404, "no_document", id=document)
    return Problem(404, "no_outline", id=document)


# --- tasks (run in a query worker) -----------------------------------------------------------


def trace_task(store: Any, document: str, section: str) -> dict[str, Any]:
    from graph.trace import trace

    try:
        return trace(store, document, section).as_dict()
    except LookupError as exc:
        raise _lookup_problem(exc, document, section) from None


def check_task(store: Any, data: bytes, name: str, against: str,
               max_bytes: int) -> dict[str, Any]:
    from graph.check import check_draft
    from ingest.models import IngestError
    from ingest.read import read_bytes

    try:
        text = read_bytes(data, name, max_bytes=max_bytes).text
    except IngestError as exc:
        raise Problem(422, "unreadable", name=name, reason=exc.reason,
                      extra={"hint": exc.hint}) from None
    if "\n" not in text:  # check_draft reads a one-line string as a path: never that
        text += "\n"
    try:
        report = check_draft(store, text, against).as_dict()
    except LookupError as exc:
        raise _lookup_problem(exc, against) from None
    report["draft"] = name
    return report


def obligation_rows(store: Any) -> list[dict[str, Any]]:
    """Every obligation with its first due day (``graph.calendar``) and its document."""
    from graph.calendar import calendar_events
    from graph.reports import documents, obligations

    docs = documents(store)
    first = {e.obligation: e.start for e in calendar_events(store)[0]}
    out = []
    for o in obligations(store):
        doc = docs.get(o.document or "")
        out.append({
            "iri": o.iri, "document": o.document, "document_symbol": doc.label if doc else None,
            "bearer": o.bearer, "recipient": o.recipient, "action": o.action,
            "deadline": o.deadline, "recurring": o.due_date is None and bool(o.due_month_day),
            "frequency": str(o.frequency) if o.frequency else None, "first": first.get(o.iri),
            "evidence": o.evidence.as_dict() if o.evidence else None,
        })
    return out


def _conflicts(store: Any) -> list[dict[str, Any]]:
    from graph.reports import conflicts

    return [c.as_dict() for c in conflicts(store)]


def _submissions(store: Any, obligation: str | None) -> list[dict[str, Any]]:
    from graph.reports import submissions

    return [s.as_dict() for s in submissions(store, obligation)]


def _calendar(store: Any) -> str:
    from graph.calendar import calendar

    return calendar(store)


# --- routes ----------------------------------------------------------------------------------


@router.get("/trace", response_model=Trace, responses=_ERRORS)
async def trace_section(
    request: Request, state: StateDep, lang: LangDep,
    document: Annotated[str, Query(min_length=1, max_length=200,
                                   description="Symbol or identity key (2215/BNV-CQĐP).")],
    section: Annotated[str, Query(min_length=1, max_length=50,
                                  description="Section number of its outline (III.2).")],
) -> Response:
    """Trace a section of a document's report outline to the rules behind it."""
    async def build() -> dict[str, Any]:
        result: dict[str, Any] = await state.run(trace_task, document, section)
        return result
    return await state.answer_json(request, lang, Trace, build)


def _shift(day: dt.date, year: int) -> dt.date:
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return day.replace(year=year, day=28)


def next_due(first: dt.date | None, recurring: bool, after: dt.date | None,
             before: dt.date | None) -> dt.date | None:
    """The first due day on or after ``after`` (and on or before ``before``), if any."""
    if first is None:
        return None
    day = first
    if recurring and after is not None and day < after:
        day = _shift(first, after.year)
        if day < after:
            day = _shift(first, after.year + 1)
    if after is not None and day < after:
        return None
    if before is not None and day > before:
        return None
    return day


@router.get("/obligations", response_model=list[Obligation], responses=_ERRORS)
async def list_obligations(
    state: StateDep,
    due_before: Annotated[dt.date | None, Query(description="Due on or before.")] = None,
    due_after: Annotated[dt.date | None, Query(description="Due on or after.")] = None,
    bearer: Annotated[str | None, Query(max_length=200, description="Who must act.")] = None,
    recipient: Annotated[str | None, Query(max_length=200,
                                           description="Who receives the report.")] = None,
) -> list[Obligation]:
    """Obligations, filtered by due window (yearly deadlines recur), bearer, recipient."""
    rows = [dict(r) for r in await state.cached(obligation_rows)]
    out = []
    for row in rows:
        due = next_due(row.pop("first"), row["recurring"], due_after, due_before)
        if (due_after or due_before) and due is None:
            continue
        if not (text_matches(row["bearer"], bearer)
                and text_matches(row["recipient"], recipient)):
            continue
        out.append(Obligation(**row, next_due=due))
    return out


@router.get("/calendar.ics", responses={200: {"content": {"text/calendar": {}}}, **_ERRORS})
async def calendar_ics(state: StateDep) -> Response:
    """Every deadline as an RFC 5545 calendar."""
    text: str = await state.cached(_calendar)
    return Response(text.encode("utf-8"), media_type="text/calendar; charset=utf-8",
                    headers={"Content-Disposition": 'inline; filename="luocdo.ics"'})


@router.get("/conflicts", response_model=list[Conflict], responses=_ERRORS)
async def list_conflicts(state: StateDep) -> list[dict[str, Any]]:
    """Documents cited with different dates or issuers."""
    found: list[dict[str, Any]] = await state.cached(_conflicts)
    return found


@router.get("/submissions", response_model=list[Submission], responses=_ERRORS)
async def list_submissions(
    state: StateDep,
    obligation: Annotated[str | None, Query(max_length=300,
                                            description="Obligation IRI, ISO deadline or "
                                                        "column text.")] = None,
) -> list[dict[str, Any]]:
    """Submissions from report appendix tables, judged against their deadlines."""
    found: list[dict[str, Any]] = await state.cached(_submissions, obligation)
    return found


@router.post("/check", response_model=CheckReport,
             responses=_ERRORS | {413: {"model": ProblemDoc}, 422: {"model": ProblemDoc}})
async def check(
    state: StateDep,
    draft: Annotated[UploadFile, File(description="The draft report (txt, docx, pdf, html).")],
    against: Annotated[str, Form(min_length=1, max_length=200,
                                 description="Symbol of the document requiring the report.")],
) -> dict[str, Any]:
    """Check an uploaded draft against the outline it must follow and the graph."""
    limit = state.settings.max_upload_bytes
    data = await draft.read(limit + 1)
    if len(data) > limit:
        raise Problem(413, "too_large", limit=limit)
    name = draft.filename or "draft.txt"
    report: dict[str, Any] = await state.run(check_task, data, name, against, limit)
    return report
