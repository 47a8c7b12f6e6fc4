"""``/explore``: the interactive graph explorer in the browser.

* ``GET /explore``: the whole corpus (grouped by issuer or type when too large);
* ``GET /explore/documents/{id}?depth=2``: a document's neighbourhood (``id`` is what
  ``/documents/{id}`` takes: the identity key, URL-encoded; a symbol or IRI works too);
* ``GET /explore/trace?document=…&section=III.8``: a report-outline section traced up
  to the root directive;
* ``GET /explore/static/…``: the page's CSS and JavaScript and the vendored
  vis-network, from ``visualizations/static`` (nothing is loaded from elsewhere).

Pages are built in the query runner (``AppState.run``), like every other read, and
sent with a Content-Security-Policy that allows scripts and styles from this server
only, so even a title that slipped past the escaping could not run a script.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, HTMLResponse

from api.deps import LangDep, SettingsDep, StateDep
from api.errors import Problem
from api.schemas import ProblemDoc
from graph.trace import AmbiguousSymbol, UnknownSection, UnknownSymbol
from visualizations.render import Links, render_page, static_dir
from visualizations.views import corpus_view, neighbourhood, trace_view

__all__ = ["router"]

router = APIRouter(tags=["explorer"])

_CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; "
        "frame-ancestors 'none'")
_HEADERS = {"Content-Security-Policy": _CSP, "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer"}
_MEDIA = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
          ".txt": "text/plain; charset=utf-8", ".json": "application/json"}
_ANSWERS: dict[int | str, dict[str, object]] = {
    200: {"content": {"text/html": {}}, "description": "The explorer page."},
    404: {"model": ProblemDoc, "description": "No such document or section."},
    409: {"model": ProblemDoc, "description": "Several documents carry the symbol."},
    503: {"model": ProblemDoc, "description": "Over the time limit."},
}

LangParam = Annotated[Literal["vi", "en"] | None, Query(
    alias="lang", description="Language of the page: vi (default) or en.")]


# --- what runs in the query runner (module level: it may cross a process boundary) -------------


def _lookup_problem(exc: LookupError, doc: str, section: str | None = None) -> Problem:
    if isinstance(exc, AmbiguousSymbol):
        keys = [d.key for d in exc.candidates if d.key]
        return Problem(409, "ambiguous", id=doc, extra={"candidates": keys})
    if isinstance(exc, UnknownSection):
        if not exc.available:
            return Problem(404, "no_outline", id=doc)
        return Problem(404, "no_section", id=doc, section=section or exc.number,
                       extra={"available": list(exc.available)})
    return Problem(404, "no_document", id=doc)


def corpus_page(store: object, lang: str, cluster: str, max_nodes: int, root: str) -> str:
    """HTML of the corpus view."""
    view = corpus_view(store, lang=lang, max_nodes=max_nodes, cluster_by=cluster)
    return render_page(view, static_url=f"{root}/explore/static", links=_links(root, 2))


def document_page(store: object, doc: str, depth: int, lang: str, root: str) -> str:
    """HTML of a document's neighbourhood."""
    try:
        view = neighbourhood(store, doc, depth, lang=lang)
    except (UnknownSymbol, AmbiguousSymbol) as exc:
        raise _lookup_problem(exc, doc) from None
    return render_page(view, static_url=f"{root}/explore/static", links=_links(root, depth))


def trace_page(store: object, doc: str, section: str, lang: str, root: str) -> str:
    """HTML of a traced outline section."""
    try:
        view = trace_view(store, doc, section, lang=lang)
    except (UnknownSymbol, AmbiguousSymbol, UnknownSection) as exc:
        raise _lookup_problem(exc, doc, section) from None
    return render_page(view, static_url=f"{root}/explore/static", links=_links(root, 2))


def _links(root: str, depth: int) -> Links:
    return Links(neighbourhood=f"{root}/explore/documents/{{id}}",
                 record=f"{root}/documents/{{id}}", depth=depth)


# --- routes --------------------------------------------------------------------------------------


def _root(request: Request) -> str:
    return str(request.scope.get("root_path", "")).rstrip("/")


def _html(text: str) -> HTMLResponse:
    return HTMLResponse(text, headers=_HEADERS)


@router.get("/explore", response_class=HTMLResponse, responses=_ANSWERS,
            summary="Explore the whole corpus")
async def explore_corpus(
    state: StateDep, request: Request, lang: LangDep, lang_param: LangParam = None,
    cluster: Annotated[Literal["issuer", "type"], Query(
        description="What documents are grouped by when there are too many to draw.")] = "issuer",
    max_nodes: Annotated[int, Query(ge=1, le=5000, description=(
        "Most documents drawn one by one."))] = 1500,
) -> HTMLResponse:
    """Every document and the links between them, or groups when the corpus is large."""
    page = await state.run(corpus_page, lang_param or lang, cluster, max_nodes, _root(request))
    return _html(page)


@router.get("/explore/trace", response_class=HTMLResponse, responses=_ANSWERS,
            summary="Trace a report-outline section")
async def explore_trace(
    state: StateDep, request: Request, lang: LangDep,
    document: Annotated[str, Query(min_length=1, description=(
        "The document the outline is attached to: identity key or symbol."))],
    section: Annotated[str, Query(min_length=1, description="Section number, e.g. III.8.")],
    lang_param: LangParam = None,
) -> HTMLResponse:
    """The section, the documents it names, the document requiring the report, its chain."""
    page = await state.run(trace_page, document, section, lang_param or lang, _root(request))
    return _html(page)


@router.get("/explore/documents/{doc:path}", response_class=HTMLResponse, responses=_ANSWERS,
            summary="Explore a document's neighbourhood")
async def explore_document(
    state: StateDep, settings: SettingsDep, request: Request, lang: LangDep, doc: str,
    depth: Annotated[int, Query(ge=0, description="Citation hops shown.")] = 2,
    lang_param: LangParam = None,
) -> HTMLResponse:
    """Citing and cited documents within ``depth`` hops, the chain, the obligations."""
    if depth > settings.max_graph_depth:
        raise Problem(400, "bad_request",
                      reason=f"depth must be at most {settings.max_graph_depth}")
    page = await state.run(document_page, doc, depth, lang_param or lang, _root(request))
    return _html(page)


@cache
def _static_files() -> dict[str, str]:
    """Servable files: path under ``visualizations/static`` → media type."""
    base = static_dir()
    return {p.relative_to(base).as_posix(): _MEDIA[p.suffix] for p in base.rglob("*")
            if p.is_file() and p.suffix in _MEDIA}


@router.get("/explore/static/{name:path}", include_in_schema=False)
async def explore_static(name: str) -> FileResponse:
    """The explorer's own assets (a fixed list: no path outside the folder is reachable)."""
    media = _static_files().get(name)
    if media is None:
        raise Problem(404, "not_found", path=f"/explore/static/{name}")
    return FileResponse(static_dir() / name, media_type=media, headers={
        "Cache-Control": "public, max-age=3600", "X-Content-Type-Options": "nosniff"})
