"""``/sparql``: the SPARQL 1.1 Protocol endpoint, its service description and query page.

* ``GET /sparql?query=…`` and ``POST /sparql`` (form ``query=`` / ``update=``, or an
  ``application/sparql-query`` / ``application/sparql-update`` body);
* ``default-graph-uri`` / ``named-graph-uri`` set the dataset (replacing ``FROM``);
  without them the default graph is the union of every named graph;
* ``GET /sparql`` without a query: the query page for browsers (``text/html``), the
  service description (Turtle, N-Triples, JSON-LD, RDF/XML) for everyone else.
"""

from __future__ import annotations

from importlib import resources
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from api.deps import LangDep, StateDep, bearer_token, check_token
from api.errors import Problem
from api.query_runner import SparqlRequest, answer_sparql, check_sparql
from api.schemas import NamedQuery, ProblemDoc, QueryParam
from api.sparql_protocol import (
    FORMATS,
    check_remote_calls,
    check_shape,
    choose_format,
    formats_for,
    graph_bytes,
    negotiate,
    render,
    service_description,
)
from graph.queries import list_queries
from graph.store import StoreError

router = APIRouter(tags=["sparql"])

_FORM = "application/x-www-form-urlencoded"
_QUERY_BODY = "application/sparql-query"
_UPDATE_BODY = "application/sparql-update"
_HTML = "text/html"

_ANSWERS: dict[int | str, dict[str, Any]] = {
    200: {"description": "SELECT/ASK: SPARQL JSON, XML, CSV or TSV; CONSTRUCT/DESCRIBE: "
                         "Turtle, N-Triples, JSON-LD or RDF/XML; no query: the service "
                         "description or (text/html) the query page.",
          "content": {f.media: {} for f in FORMATS} | {_HTML: {}}},
    400: {"model": ProblemDoc, "description": "Bad query or parameters."},
    403: {"model": ProblemDoc, "description": "Update or SERVICE refused."},
    406: {"model": ProblemDoc, "description": "Nothing in Accept can be produced."},
    503: {"model": ProblemDoc, "description": "Over the time limit: cancelled."},
}
_BODY_SCHEMA = {
    "type": "object",
    "properties": {
        "query": {"type": "string"},
        "update": {"type": "string"},
        "default-graph-uri": {"type": "array", "items": {"type": "string"}},
        "named-graph-uri": {"type": "array", "items": {"type": "string"}},
    },
}
_POST_BODY = {"requestBody": {"required": True, "content": {
    _FORM: {"schema": _BODY_SCHEMA},
    _QUERY_BODY: {"schema": {"type": "string"}},
    _UPDATE_BODY: {"schema": {"type": "string"}},
}}}

GraphUris = Annotated[list[str], Query(alias="default-graph-uri", default_factory=list,
                                       description="Graphs merged into the default graph.")]
NamedUris = Annotated[list[str], Query(alias="named-graph-uri", default_factory=list,
                                       description="The only graphs GRAPH can reach.")]
FormatParam = Annotated[str | None, Query(
    alias="format", description="json, xml, csv, tsv, ttl, nt, jsonld or rdfxml "
                                "(overrides Accept).")]


def _media(fmt_media: str) -> str:
    return f"{fmt_media}; charset=utf-8" if fmt_media.startswith("text/") else fmt_media


# Up to this many characters a query's checks (``check_sparql``) take a few
# milliseconds (their lexers run about 1 s per 100 KB), so they run before the query
# waits for a worker: a refusal then comes even when every worker is busy (a loaded
# machine answered 503 instead of 403 or 400). A longer query is checked in its task.
PRECHECK_CHARS = 4096


async def _query(state: StateDep, request: Request, text: str, default: list[str],
                 named: list[str], fmt_name: str | None) -> Response:
    settings = state.settings
    # Everything that reads the query text (form, format, SERVICE targets) happens in
    # the task, within the time limit: a 1 MB query takes seconds to lex in Python. A
    # short one is checked before too, in a thread (PRECHECK_CHARS).
    req = SparqlRequest(text, tuple(default), tuple(named), settings.max_rows,
                        settings.query_timeout_s, accept=request.headers.get("accept"),
                        format_name=fmt_name, allowlist=tuple(settings.service_allowlist))
    if len(text) <= PRECHECK_CHARS:
        await run_in_threadpool(check_sparql, req)
    fmt, answer = await state.run(answer_sparql, req)
    body = await run_in_threadpool(render, answer.result, fmt)
    headers = {"Vary": "Accept"}
    if answer.truncated:
        headers["X-Luocdo-Truncated"] = "true"
        headers["X-Luocdo-Row-Limit"] = str(settings.max_rows)
    return Response(body, media_type=_media(fmt.media), headers=headers)


def _apply_update(state: StateDep, text: str) -> None:
    with state.write_lock:
        try:
            state.store.update(text)
        except ValueError as exc:
            raise Problem(400, "bad_query", reason=str(exc)) from None
        except StoreError as exc:
            raise Problem(502, "store_error", reason=str(exc)) from None
        finally:
            state.after_write()


async def _update(state: StateDep, request: Request, text: str) -> Response:
    if not state.settings.enable_update:
        raise Problem(403, "update_disabled")
    check_token(state.settings, bearer_token(request))
    await run_in_threadpool(check_shape, text)  # deep nesting would crash this process
    await run_in_threadpool(check_remote_calls, text, state.settings.service_allowlist)
    await run_in_threadpool(_apply_update, state, text)
    return Response(status_code=204)


def _page(lang: str) -> HTMLResponse:
    html = (resources.files("api") / "static" / "sparql.html").read_text(encoding="utf-8")
    return HTMLResponse(html.replace('lang="vi"', f'lang="{lang}"', 1),
                        headers={"Vary": "Accept"})


def _description(state: StateDep, request: Request, fmt_name: str | None,
                 lang: str) -> Response:
    """The query page for a browser, else the service description in an RDF format."""
    accept = request.headers.get("accept")
    offered = formats_for("CONSTRUCT")
    media = [f.media for f in offered] + [a for f in offered for a in f.aliases] + [_HTML]
    if fmt_name is None and negotiate(accept, media) == _HTML:
        return _page(lang)
    fmt = choose_format("CONSTRUCT", accept, fmt_name)
    settings = state.settings
    graph = service_description(str(request.url_for("sparql_get")),
                                update=settings.enable_update,
                                federated=bool(settings.service_allowlist))
    return Response(graph_bytes(graph, fmt), media_type=_media(fmt.media),
                    headers={"Vary": "Accept"})


@router.get("/sparql", name="sparql_get", responses=_ANSWERS)
async def sparql_get(state: StateDep, request: Request, lang: LangDep,
                     default: GraphUris, named: NamedUris, fmt_name: FormatParam = None,
                     query: Annotated[str | None, Query(description="SPARQL query.")] = None,
                     update: Annotated[str | None, Query(include_in_schema=False)] = None,
                     ) -> Response:
    """Run a SPARQL query (or, without one, describe the service / show the query page)."""
    if update is not None:
        raise Problem(400, "bad_request", reason="updates must be sent with POST")
    if query is None:
        return _description(state, request, fmt_name, lang)
    limit = state.settings.max_query_bytes  # as for a POST body (api.app.BodyLimit)
    if len(query.encode("utf-8", "surrogatepass")) > limit:
        raise Problem(413, "too_large", limit=limit)
    return await _query(state, request, query, default, named, fmt_name)


def _one(values: list[str], name: str) -> str | None:
    if len(values) > 1:
        raise Problem(400, "bad_request", reason=f"more than one {name}")
    return values[0] if values else None


async def _body_text(request: Request) -> str:
    try:
        return (await request.body()).decode("utf-8")
    except UnicodeDecodeError:
        raise Problem(400, "bad_request", reason="the body is not UTF-8") from None


@router.post("/sparql", name="sparql_post", responses=_ANSWERS | {204: {"description":
             "Update applied."}}, openapi_extra=_POST_BODY)
async def sparql_post(state: StateDep, request: Request, default: GraphUris,
                      named: NamedUris, fmt_name: FormatParam = None) -> Response:
    """Run a SPARQL query or (when enabled, with the token) an update."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == _QUERY_BODY:
        return await _query(state, request, await _body_text(request), default, named,
                            fmt_name)
    if kind == _UPDATE_BODY:
        return await _update(state, request, await _body_text(request))
    if kind != _FORM:
        raise Problem(415, "media_type", type=kind or "(none)")
    form = await request.form()
    fields = {k: [str(v) for v in form.getlist(k)] for k in
              ("query", "update", "default-graph-uri", "named-graph-uri")}
    query, update = _one(fields["query"], "query"), _one(fields["update"], "update")
    if (query is None) == (update is None):
        raise Problem(400, "bad_request", reason="send exactly one of query= and update=")
    if update is not None:
        return await _update(state, request, update)
    assert query is not None
    return await _query(state, request, query, default + fields["default-graph-uri"],
                        named + fields["named-graph-uri"], fmt_name)


@router.get("/queries", response_model=list[NamedQuery])
def named_queries() -> list[NamedQuery]:
    """The named queries of ``graph/queries`` (examples for the query page)."""
    return [
        NamedQuery(name=q.name, description=q.description, text=q.text,
                   params=[QueryParam(name=p.name, kind=p.kind, optional=p.optional,
                                      description=p.description) for p in q.params])
        for q in list_queries()
    ]
