"""Health, statistics, source files; ingest and delete (both need the bearer token).

An uploaded file's identity is its file name: it is stored as ``/uploads/<name>``, so
uploading a file of the same name again replaces its graph (one transaction per
file). A file that cannot be read is reported by name with the reason and a hint,
and the others still land.
"""

from __future__ import annotations

import asyncio
from pathlib import PurePath
from typing import Annotated, Any

import regex
from fastapi import APIRouter, File, Path, Query, Request, Response, UploadFile
from fastapi.responses import JSONResponse
from rdflib import URIRef
from starlette.concurrency import run_in_threadpool

from api.deps import AppState, AuthDep, StateDep
from api.errors import Problem
from api.schemas import (
    DocumentAnswers,
    Health,
    IngestFile,
    IngestResult,
    ProblemDoc,
    Reports,
    Source,
    Stats,
)
from api.whole_store import StoreCounts, source_model
from graph.iri import source_graph_of_id
from graph.store import OxigraphStore, RemoteStore, SourceInfo, StoreError
from ingest.clean import fold

router = APIRouter(tags=["admin"])

_WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ProblemDoc, "description": "Missing or wrong token."},
    403: {"model": ProblemDoc, "description": "Writes are off (no token configured)."},
    413: {"model": ProblemDoc, "description": "Upload too large."},
    422: {"model": ProblemDoc, "description": "A file could not be read (named)."},
}
UPLOAD_ROOT = "/uploads"
SOURCE_PAGE, SOURCE_PAGE_MAX = 100, 1000


# --- tasks -----------------------------------------------------------------------------------


def _ping(store: Any) -> bool:
    return bool(store.query("ASK { }").boolean is not None)


def source_task(store: Any, graph: URIRef | None) -> SourceInfo | None:
    return None if graph is None else store.source(graph)


# --- read ------------------------------------------------------------------------------------


def _store_kind(state: AppState) -> str:
    if isinstance(state.store, RemoteStore):
        return "remote"
    if isinstance(state.store, OxigraphStore):
        return "oxigraph-disk" if state.store.path is not None else "oxigraph-memory"
    return type(state.store).__name__


@router.get("/health", response_model=Health, responses={503: {"model": ProblemDoc}})
async def health(state: StateDep) -> Health:
    """The server answers and the store can be queried.

    The store is asked in the server's own process, not through a query worker: at start
    the workers read the store's fingerprint and sync the search index (at 300,000
    documents 6–8 s each), and a health check waited behind them."""
    try:
        await asyncio.wait_for(run_in_threadpool(_ping, state.store),
                               state.settings.query_timeout_s)
    except StoreError as exc:
        raise Problem(503, "store_error", reason=str(exc)) from None
    except TimeoutError:
        raise Problem(503, "store_error", reason="no answer in time") from None
    return Health(status="ok", store=_store_kind(state), runner=state.runner.mode,
                  workers=state.runner.alive(), generation=state.generation,
                  updates=state.settings.enable_update,
                  document_answers=_answers_status(state),
                  reports=_reports_status(state))


def _answers_status(state: AppState) -> DocumentAnswers | None:
    keeper = state.document_answers
    if keeper is None:
        return None
    counts = keeper.answers.counts()
    return DocumentAnswers(documents=counts["docs"], kept=counts["answers"],
                           traces=counts["traces"], complete=keeper.filled == state.generation,
                           error=keeper.error)


def _reports_status(state: AppState) -> Reports:
    keeper = state.report_keeper()
    return Reports(built=list(keeper.built()), warming=keeper.warm,
                   restored=sorted(keeper.restored()))


@router.get("/stats", response_model=Stats, responses={503: {"model": ProblemDoc}})
async def stats(request: Request, response: Response, state: StateDep) -> dict[str, Any]:
    """How many sources, documents, citations, obligations, sections and triples.

    A whole-store report (``api.report_keeper``): counted in the background after start
    and brought up to date after every write (meanwhile the counts before the write,
    marked ``X-Report-Stale: true``); until first counted, 503 ``report_building`` with
    ``Retry-After``."""
    served = await state.served_report("stats", request)
    response.headers.update(served.headers)
    kept: StoreCounts = served.answer
    return kept.counts


@router.get("/sources", response_model=list[Source], responses={503: {"model": ProblemDoc}})
async def list_sources(
    request: Request, state: StateDep,
    path: Annotated[str | None, Query(max_length=500, description=(
        "Only files whose path holds these characters (case and diacritics do not "
        "matter)."))] = None,
    limit: Annotated[int, Query(ge=1, le=SOURCE_PAGE_MAX,
                                description="Rows per page.")] = SOURCE_PAGE,
    offset: Annotated[int, Query(ge=0, le=10**9, description="Rows to skip.")] = 0,
) -> Response:
    """The ingested source files, by path, a page at a time (``X-Total-Count``, and
    ``Link: <…>; rel="next"`` while rows remain).

    A whole-store report (``api.report_keeper``): listed in the background after start
    and brought up to date after every write."""
    generation = state.generation  # before the report: never a newer key on older answers
    served = await state.served_report("sources", request)
    wanted = fold(path) if path else ""
    return await state.table_page(request, generation, served.answer, limit, offset,
                                  ("sources", wanted) if wanted else None,
                                  lambda p: wanted in (p or ""), headers=served.headers)


# --- write -----------------------------------------------------------------------------------


# Control characters in an uploaded file's name (a NUL byte, a newline): dropped. A NUL
# cannot reach any path function (``ValueError: embedded null byte``, once a 500 here),
# a newline would split log lines.
_CONTROL = regex.compile(r"\p{Cc}")


def upload_name(filename: str | None, n: int) -> str:
    """A safe file name for an upload: the last path part, no control characters, never
    empty or a dot name."""
    name = PurePath(_CONTROL.sub("", filename or "").replace("\\", "/")).name.strip()
    return name if name and not name.startswith(".") else f"upload-{n}.txt"


def _extract(name: str, data: bytes, max_bytes: int) -> Any:
    from ingest.extract import extract_source
    from ingest.read import read_bytes

    return extract_source(read_bytes(data, f"{UPLOAD_ROOT}/{name}", max_bytes=max_bytes))


def _land(state: AppState, files: list[tuple[str, bytes]]) -> tuple[list[IngestFile], int]:
    """Extract and store each file (one transaction each), then re-derive cross-file links."""
    from graph import iri
    from graph.pipeline import DerivedChanges, refresh_derived
    from graph.rdf import file_graph
    from ingest.models import IngestError

    store, out = state.store, []
    changes = DerivedChanges(store)  # what each write touches: derived facts follow it
    touched: set[str] | None = None  # unknown unless every step went through
    with state.write_lock:
        try:
            store.ensure_ontology()
            for name, data in files:
                try:
                    result = _extract(name, data, state.settings.max_upload_bytes)
                except IngestError as exc:
                    out.append(IngestFile(name=name, status="failed", reason=exc.reason,
                                          hint=exc.hint))
                    continue
                graph = iri.source_graph_iri(result.path, store.base)
                changes.replace_source(graph, file_graph(result, base=store.base))
                info = SourceInfo(graph, iri.source_key(result.path), result.sha256)
                out.append(IngestFile(name=name, status="landed",
                                      documents=len(result.documents), source=source_model(info)))
            resolved = refresh_derived(store, changes)
            touched = changes.touched
        finally:
            state.after_write(touched)
    return out, resolved


@router.post("/ingest", response_model=IngestResult, responses=_WRITE_ERRORS)
async def ingest(
    state: StateDep, _auth: AuthDep,
    files: Annotated[list[UploadFile], File(description="Files to ingest (txt, md, docx, "
                                                        "pdf, html).")],
) -> Response:
    """Extract uploaded files into the graph (token required)."""
    limit = state.settings.max_upload_bytes
    read: list[tuple[str, bytes]] = []
    for n, upload in enumerate(files, start=1):
        data = await upload.read(limit + 1)
        if len(data) > limit:
            raise Problem(413, "too_large", limit=limit, extra={"file": upload.filename})
        read.append((upload_name(upload.filename, n), data))
    if not read:
        raise Problem(422, "no_files")
    try:
        results, resolved = await run_in_threadpool(_land, state, read)
    except StoreError as exc:
        raise Problem(502, "store_error", reason=str(exc)) from None
    body = IngestResult(files=results, resolved=resolved).model_dump(mode="json")
    failed = [f for f in results if f.status == "failed"]
    if failed:  # the files that landed are listed as landed in the problem document
        raise Problem(422, "ingest_failed", n=len(failed), extra=body)
    return JSONResponse(body)


def _delete(state: AppState, graph: URIRef) -> None:
    from graph.pipeline import DerivedChanges, refresh_derived

    touched: set[str] | None = None  # unknown unless every step went through
    with state.write_lock:
        try:
            changes = DerivedChanges(state.store)
            changes.remove_source(graph)
            refresh_derived(state.store, changes)
            touched = changes.touched
        finally:
            state.after_write(touched)


@router.delete("/sources/{source_id}", status_code=204, responses=_WRITE_ERRORS | {
    404: {"model": ProblemDoc}})
async def delete_source(
    state: StateDep, _auth: AuthDep,
    source_id: Annotated[str, Path(max_length=100, description="Id from GET /sources.")],
) -> Response:
    """Remove one source file's graph (token required)."""
    found = await state.run(source_task, source_graph_of_id(source_id, state.store.base))
    if found is None:
        raise Problem(404, "no_source", id=source_id)
    await run_in_threadpool(_delete, state, found.graph)
    return Response(status_code=204)
