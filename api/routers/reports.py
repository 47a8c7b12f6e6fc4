"""Report-drafter answers: trace, obligations, calendar, conflicts, submissions, check.

Each endpoint calls the same graph function as the CLI command of that name
(``graph.trace.trace``, ``graph.check.check_draft``, ``graph.reports.conflicts`` …)
through the query runner, so the time limit applies and the JSON is the CLI's
``--json``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from array import array
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Query, Request, Response, UploadFile
from fastapi.responses import FileResponse
from pydantic import TypeAdapter

from api.deps import (
    AppState,
    LangDep,
    StateDep,
    not_modified,
    page_headers,
    wants_current,
)
from api.due_table import (
    Accepted,
    DueGroup,
    DueIndex,
    DueWindow,
    Party,
    accepted_pairs,
    party_due,
    party_rows,
    party_window,
    read_summary,
    window,
    window_body,
    window_page,
)
from api.encoding import accepts_gzip
from api.errors import Problem
from api.obligation_window import (
    OBLIGATION_PAGE,
    OBLIGATION_PAGE_MAX,
    DueRow,
    page_rows,
    parties_title,
    window_rows,
)
from api.row_table import RowTable
from api.schemas import CheckReport, Conflict, Obligation, ProblemDoc, Submission, Trace
from api.search import text_matcher
from api.whole_store import CalendarFile, KeptCalendar, KeptSubmissions, submission_filter

router = APIRouter(tags=["reports"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ProblemDoc, "description": "Unknown document or section."},
    409: {"model": ProblemDoc, "description": "A symbol several documents carry."},
    503: {"model": ProblemDoc, "description": "Over the time limit, or a whole-store report "
                                             "still being built (Retry-After)."},
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
        kept = state.kept_trace(document, section)  # api.trace_answers
        if kept is not None:
            return kept
        result: dict[str, Any] = await state.run(trace_task, document, section)
        return result
    return await state.answer_json(request, lang, Trace, build)


async def _party_positions(state: AppState, generation: int, table: RowTable,
                           bearer: str | None, recipient: str | None) -> array[int] | None:
    """The positions in the whole-store obligations ``table`` of the rows of one bearer
    and recipient (None: every row), kept by their numbered pair in the table's due index
    (``api.due_table.party_rows``), once per table and store generation (``generation``:
    read before the report)."""
    if not bearer and not recipient:
        return None
    accepted = await _accepted(state, generation, table, bearer, recipient)
    found: array[int] = await state.answers.get(
        (generation, table.table, "party_rows", bearer, recipient),
        lambda: asyncio.to_thread(party_rows, accepted))
    return found


async def _accepted(state: AppState, generation: int, table: RowTable, bearer: str | None,
                    recipient: str | None) -> Accepted:
    """The (bearer, recipient) pairs of ``table`` one party accepts and the masks of its
    rows, made once per table and store generation (a party's rows and its windows
    both start from them)."""
    async def made() -> Accepted:  # the due index is read only when the pairs are made
        index = await _due_index(state, table)
        return await asyncio.to_thread(accepted_pairs, state.rows, table, index,
                                       text_matcher(bearer), text_matcher(recipient))

    found: Accepted = await state.answers.get(
        (generation, table.table, "party_pairs", bearer, recipient), made)
    return found


async def _due_summary(state: AppState, table: RowTable) -> tuple[DueGroup, ...]:
    """The due summary of the obligations ``table``, read once per table."""
    rows = state.rows
    found: tuple[DueGroup, ...] = await state.answers.get(
        ("due_summary", table.table), lambda: asyncio.to_thread(read_summary, rows, table))
    return found


async def _due_index(state: AppState, table: RowTable) -> DueIndex:
    """The due index of the obligations ``table`` (``api.due_table``), read once per
    table and kept for the last two (``AppState.due_indexes``)."""
    summary = await _due_summary(state, table)
    return await asyncio.to_thread(state.due_indexes.of, state.rows, table, summary)


@router.get("/obligations", response_model=list[Obligation], responses=_ERRORS)
async def list_obligations(
    request: Request,
    state: StateDep,
    due_before: Annotated[dt.date | None, Query(description="Due on or before.")] = None,
    due_after: Annotated[dt.date | None, Query(description="Due on or after.")] = None,
    bearer: Annotated[str | None, Query(max_length=200, description="Who must act.")] = None,
    recipient: Annotated[str | None, Query(max_length=200,
                                           description="Who receives the report.")] = None,
    limit: Annotated[int, Query(ge=1, le=OBLIGATION_PAGE_MAX,
                                description="Rows per page.")] = OBLIGATION_PAGE,
    offset: Annotated[int, Query(ge=0, le=10**9, description="Rows to skip.")] = 0,
) -> Response:
    """Obligations, filtered by due window (yearly deadlines recur), bearer, recipient.

    ``next_due`` is the first due day on or after ``due_after`` (and on or before
    ``due_before``); a recurring day of the year (``--MM-DD``) recurs from the first year
    of its document on. Bearer and recipient match as ``/documents?q=`` does (diacritics,
    case and abbreviations do not matter).

    Rows come in a fixed order: by next due day (obligations without one last), then
    document IRI, then obligation IRI. The answer is a JSON list of at most ``limit``
    rows from ``offset`` on; ``X-Total-Count`` gives the number of rows the filters
    match and ``Link: <…>; rel="next"`` the next page while rows remain.

    Every obligation is read once per store generation into a table kept on disk
    (``api.whole_store.obligation_table``), served a page at a time. A window (either side
    may be open) is read from that table's due summary, a page costing its own rows
    (``api.due_table``); while the table is being built or brought up to date after a
    write, from the store's due index, one packed row per deadline by month
    (``graph/due_index.py``, ``graph/queries/obligations_window.rq``). Both give the same
    answer.
    """
    generation = state.generation  # before the report: never a newer key on older rows
    if due_after is None and due_before is None:
        served = await state.served_report("obligations", request)
        kept = await _party_positions(state, generation, served.answer, bearer, recipient)
        return await state.table_page(request, generation, served.answer, limit, offset,
                                      headers=served.headers, positions=kept)
    # a window builds no whole-store report (on a remote store, whose reports are built
    # only when asked for, that would read every obligation): it reads the table when
    # there is one
    ready = state.ready_report("obligations", stale=state.settings.stale_reports
                               and not wants_current(request))
    if ready is not None:
        total, body = await _table_window(state, generation, ready.answer, due_after,
                                          due_before, bearer, recipient, limit, offset)
        return Response(body, media_type="application/json",
                        headers={**page_headers(request, total, limit, offset),
                                 **ready.headers})
    found: list[DueRow] = await state.cached(window_rows, due_after, due_before,
                                             bearer, recipient)
    total, wanted = len(found), found[offset:offset + limit]
    page = await state.run(page_rows, wanted) if wanted else []
    body = TypeAdapter(list[Obligation]).dump_json([Obligation(**r) for r in page])
    return Response(body, media_type="application/json",
                    headers=page_headers(request, total, limit, offset))


async def _table_window(state: AppState, generation: int, table: RowTable,
                        after: dt.date | None, before: dt.date | None, bearer: str | None,
                        recipient: str | None, limit: int, offset: int) -> tuple[int, bytes]:
    """(total, JSON page) of the due window ``after``–``before`` read from the
    obligations ``table`` (``api.due_table``); filtered by bearer and recipient, from the
    party's groups of the table's due summary, summed once per table and store
    generation."""
    rows = state.rows
    if bearer or recipient:
        accepted = await _accepted(state, generation, table, bearer, recipient)
        party: Party = await state.answers.get(
            (generation, table.table, "party_due", bearer, recipient),
            lambda: asyncio.to_thread(party_due, rows, table, accepted))
        win: DueWindow = await state.answers.get(
            (generation, table.table, "party_due_window", bearer, recipient, after, before),
            lambda: asyncio.to_thread(party_window, party, after, before))
    else:
        groups = await _due_summary(state, table)
        win = await state.answers.get(  # its days, kept for the window's next pages
            ("due_window", table.table, after, before),
            lambda: asyncio.to_thread(window, groups, after, before))
    index = await _due_index(state, table)
    page = await asyncio.to_thread(window_page, index, win, offset, limit)
    body = await asyncio.to_thread(window_body, rows, table, page) if page else b"[]"
    return win.total, body


@router.get("/calendar.ics", responses={200: {"content": {"text/calendar": {}}}, **_ERRORS})
async def calendar_ics(
    request: Request,
    state: StateDep,
    bearer: Annotated[str | None, Query(max_length=200, description="Who must act.")] = None,
    recipient: Annotated[str | None, Query(max_length=200,
                                           description="Who receives the report.")] = None,
) -> Response:
    """Every deadline as an RFC 5545 calendar, or those of one bearer or recipient.

    ``bearer`` and ``recipient`` match as on ``/obligations`` (diacritics, case and
    abbreviations do not matter); the calendar's name says what it holds. Sent
    gzip-compressed to a client whose ``Accept-Encoding`` allows it. The answer carries
    an ``ETag``; a client that sends it back in ``If-None-Match`` gets 304 until the
    store changes."""
    generation = state.generation  # before the reports: never a newer key on older answers
    served = await state.served_report("calendar", request)
    whole: KeptCalendar = served.answer
    zipped = accepts_gzip(request.headers.get("accept-encoding"))
    if not bearer and not recipient:
        return _whole_calendar(request, state, whole, zipped, served.headers)
    listed = await state.served_report("obligations", request)
    table: RowTable = listed.answer
    kept = await _party_positions(state, generation, table, bearer, recipient)
    rows = state.rows

    def cut() -> CalendarFile:
        iris = rows.at(table, kept, "ident") if kept is not None else ()
        return whole.only(rows, iris, parties_title(bearer, recipient))

    key = (generation, "calendar", whole.events.table, table.table, bearer, recipient)
    found: CalendarFile = await state.answers.get(key, lambda: asyncio.to_thread(cut))
    body, etag, other = ((found.gzipped, found.gzip_etag, found.etag) if zipped
                         else (found.body, found.etag, found.gzip_etag))
    unchanged = not_modified(request, etag, other, headers=_VARY)
    if unchanged is not None:
        return unchanged
    return Response(body, media_type=_CALENDAR_TYPE, headers={
        **_calendar_headers(etag, zipped), **served.headers, **listed.headers})


_CALENDAR_TYPE = "text/calendar; charset=utf-8"
_VARY = {"Vary": "Accept-Encoding"}


class _CalendarFile(FileResponse):
    """The whole store's calendar, sent from its file a megabyte at a time (Starlette's
    64 KB would make the 49.5 MB of 100,000 documents 760 reads and sends). It holds the
    calendar (``kept``) until it is sent: the calendar's files are removed with its last
    reference (``api.row_table``), and a write may replace it meanwhile."""

    chunk_size = 1 << 20

    def __init__(self, path: Path, kept: KeptCalendar, **kwargs: Any) -> None:
        super().__init__(path, **kwargs)
        self.kept = kept


def _whole_calendar(request: Request, state: AppState, whole: KeptCalendar,
                    zipped: bool, headers: dict[str, str]) -> Response:
    """The whole store's calendar: 304 for a tag the client holds, else its file (with
    ``headers`` besides its own)."""
    etag, other = (whole.gzip_etag, whole.etag) if zipped else (whole.etag, whole.gzip_etag)
    unchanged = not_modified(request, etag, other, headers=_VARY)
    if unchanged is not None:
        return unchanged
    plain, packed = whole.files(state.rows)
    return _CalendarFile(packed if zipped else plain, whole, media_type=_CALENDAR_TYPE,
                         headers={**_calendar_headers(etag, zipped), **headers})


def _calendar_headers(etag: str, zipped: bool) -> dict[str, str]:
    """The headers of a calendar answer: its tag, its name, its coding."""
    found = _VARY | {"ETag": etag, "Content-Disposition": 'inline; filename="luocdo.ics"'}
    if zipped:
        found["Content-Encoding"] = "gzip"
    return found


# Rows per page of the conflicts and the submissions unless ``limit`` says otherwise: at
# 100,000 documents the submissions are 6,550 cells with their candidates.
REPORT_PAGE, REPORT_PAGE_MAX = 500, 5000
_Limit = Annotated[int, Query(ge=1, le=REPORT_PAGE_MAX, description="Rows per page.")]
_Offset = Annotated[int, Query(ge=0, le=10**9, description="Rows to skip.")]


@router.get("/conflicts", response_model=list[Conflict], responses=_ERRORS)
async def list_conflicts(
    request: Request, state: StateDep,
    kind: Annotated[Literal["date", "issuer"] | None,
                    Query(description="Only conflicts of dates, or of issuers.")] = None,
    limit: _Limit = REPORT_PAGE, offset: _Offset = 0,
) -> Response:
    """Documents cited with different dates or issuers, a page at a time
    (``X-Total-Count``, and ``Link: <…>; rel="next"`` while rows remain)."""
    generation = state.generation  # before the report: never a newer key on older rows
    served = await state.served_report("conflicts", request)
    return await state.table_page(request, generation, served.answer, limit, offset,
                                  ("conflicts", kind) if kind else None,
                                  lambda k: k == kind, headers=served.headers)


@router.get("/submissions", response_model=list[Submission], responses=_ERRORS)
async def list_submissions(
    request: Request, state: StateDep,
    obligation: Annotated[str | None, Query(max_length=300,
                                            description="Obligation IRI, ISO deadline or "
                                                        "column text.")] = None,
    limit: _Limit = REPORT_PAGE, offset: _Offset = 0,
) -> Response:
    """Submissions from report appendix tables, judged against their deadlines, a page at
    a time (``X-Total-Count``, and ``Link: <…>; rel="next"`` while rows remain)."""
    generation = state.generation  # before the report: never a newer key on older rows
    served = await state.served_report("submissions", request)
    kept: KeptSubmissions = served.answer
    if obligation is None:
        return await state.table_page(request, generation, kept.rows, limit, offset,
                                      headers=served.headers)
    return await state.table_page(request, generation, kept.rows, limit, offset,
                                  ("submissions", obligation),
                                  b=submission_filter(obligation), headers=served.headers)


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
