"""``create_app``: the luocdo HTTP API (FastAPI) over one graph store.

No module-level app: ``luocdo serve`` runs ``uvicorn.run(create_app(settings))``,
tests build one app per store. See ``docs/api.md``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import metadata
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.deps import AppState
from api.errors import Problem, install_handlers, problem_response
from api.query_runner import make_runner
from api.routers import routers
from api.settings import Settings
from graph.store import GraphStore, open_store

__all__ = ["BodyLimit", "HeadAsGet", "create_app"]

# Paths whose bodies are file uploads (limit: max_upload_bytes, else max_query_bytes).
UPLOAD_PATHS = ("/ingest", "/check")

DESCRIPTION = """\
Đồ thị tri thức văn bản chỉ đạo, điều hành: tìm văn bản, trích dẫn, chuỗi triển khai,
nghĩa vụ báo cáo và thời hạn; điểm truy vấn SPARQL 1.1 (chỉ đọc).

Knowledge graph of Vietnamese directives: document search, citations, implementation
chains, reporting obligations and deadlines; a read-only SPARQL 1.1 endpoint at `/sparql`.
Errors are `application/problem+json`.
"""


# A refused body up to this size is read and dropped before its 413 is sent: a connection
# closed with bytes still unread is reset by the kernel, and a client still sending then
# loses the answer (ConnectionResetError instead of the 413). A larger declared body is
# answered at once, unread.
DRAIN_BYTES = 64 * 1024 * 1024


async def _drain(receive: Receive, budget: int) -> None:
    """Read and drop the rest of a request body, up to ``budget`` bytes."""
    read = 0
    while read <= budget:
        message = await receive()
        if message["type"] != "http.request":
            return
        read += len(message.get("body", b""))
        if not message.get("more_body", False):
            return


class BodyLimit:
    """Refuse request bodies over the limit with 413, before or while they are read
    (the rest of a moderately sized body is read and dropped first: ``DRAIN_BYTES``)."""

    def __init__(self, app: ASGIApp, *, default: int, uploads: int) -> None:
        self.app, self.default, self.uploads = app, default, uploads

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.uploads if scope["path"] in UPLOAD_PATHS else self.default
        declared = dict(scope.get("headers", [])).get(b"content-length", b"")
        if declared and (not declared.isdigit() or int(declared) > limit):
            problem = (Problem(413, "too_large", limit=limit) if declared.isdigit()
                       else Problem(400, "bad_request", reason="bad Content-Length"))
            if declared.isdigit() and int(declared) <= DRAIN_BYTES:
                await _drain(receive, DRAIN_BYTES)
            await problem_response(Request(scope), problem)(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    if message.get("more_body", False):
                        await _drain(receive, DRAIN_BYTES)
                    raise Problem(413, "too_large", limit=limit)
            return message

        await self.app(scope, counted, send)


class HeadAsGet:
    """Answer ``HEAD`` as the ``GET`` of the same target, headers and all, without the body
    (RFC 9110 §9.3.2). FastAPI routes only the methods declared, so without this a calendar
    client or a link checker asking ``HEAD /calendar.ics`` for its ``ETag`` and length got
    405. A target without ``GET`` still answers 405 (its ``Allow`` names what it takes).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] in ("http.response.body", "http.response.pathsend"):
                if not message.get("more_body", False):  # the end: one empty body
                    await send({"type": "http.response.body", "body": b""})
                return
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)


def _offline_docs(app: FastAPI) -> None:
    """Serve Swagger UI from the ``swagger-ui-bundle-v2`` package (no CDN) at /docs."""
    from swagger_ui_bundle import swagger_ui_path

    app.mount("/docs-assets", StaticFiles(directory=swagger_ui_path), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json", title="luocdo API",
            swagger_js_url="/docs-assets/swagger-ui-bundle.js",
            swagger_css_url="/docs-assets/swagger-ui.css",
            swagger_favicon_url="/docs-assets/favicon-32x32.png")


def _version() -> str:
    try:
        return metadata.version("luocdo")
    except metadata.PackageNotFoundError:
        return "0"


def _has_offline_docs() -> bool:
    try:
        import swagger_ui_bundle  # noqa: F401
    except ImportError:
        return False
    return True


def create_app(settings: Settings | None = None, store: GraphStore | None = None) -> FastAPI:
    """The API over ``store`` (default: the store ``settings.store`` names, opened here).

    Args:
        settings: configuration (default: read from ``LUOCDO_*`` variables).
        store: an open store; the caller keeps it (it is closed only when opened here).
    """
    settings = settings or Settings()
    owns = store is None
    if store is None:
        store = open_store(settings.store, base=settings.base_iri)
    runner = make_runner(store, workers=settings.query_workers,
                         timeout=settings.query_timeout_s,
                         max_worker_mb=settings.max_worker_mb)
    state = AppState(settings, store, runner, owns_store=owns)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        state.start_search_index()  # built or synced in the background, off the runner
        state.start_document_answers()  # filled in the background, one worker at a time
        state.start_reports()  # whole-store reports, built in the background
        yield
        state.close()

    offline = _has_offline_docs()
    app = FastAPI(title="luocdo", version=_version(), description=DESCRIPTION,
                  lifespan=lifespan, docs_url=None if offline else "/docs", redoc_url=None)
    app.state.luocdo = state
    app.state.settings = settings
    install_handlers(app)
    for router in routers():
        app.include_router(router)
    app.mount("/static", StaticFiles(packages=[("api", "static")]), name="static")
    if offline:
        _offline_docs(app)
    _middleware(app, settings)
    return app


def _middleware(app: FastAPI, settings: Settings) -> None:
    if settings.cors_origins:  # closed unless configured; never with credentials
        cors: dict[str, Any] = {
            "allow_origins": settings.cors_origins, "allow_credentials": False,
            "allow_methods": ["GET", "HEAD", "POST", "DELETE"],
            "allow_headers": ["Accept", "Content-Type", "Authorization"],
            "expose_headers": ["X-Luocdo-Truncated", "X-Luocdo-Row-Limit", "X-Total-Count",
                               "Link", "ETag"],
        }
        app.add_middleware(CORSMiddleware, **cors)
    app.add_middleware(BodyLimit, default=settings.max_query_bytes,
                       uploads=settings.max_upload_bytes)
    app.add_middleware(HeadAsGet)  # outermost: every layer below sees a GET
