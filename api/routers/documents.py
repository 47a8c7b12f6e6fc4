"""``/documents`` (search, one document, its neighbourhood) and ``/outlines/{id}``.

A document ``id`` is, in order of lookup: its IRI, its IRI path after the base
(``eli/vn/ct/2021/33/ttg``), its identity key (``33/CT-TTG@2021``; URL-encode it:
``33%2FCT-TTG%402021``) or its symbol (``33/CT-TTg``). A symbol that several
documents carry picks the one with a known year if there is exactly one, else 409
with the candidates.
"""

from __future__ import annotations

import contextlib
import unicodedata
from functools import cache
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Path, Query, Request, Response

from api.deps import STALE_HEADER, LangDep, StateDep, wants_current
from api.document_bundle import CITED_PAGE, document_bundles
from api.errors import Problem
from api.schemas import (
    ChainHop,
    CitationLink,
    DocumentDetail,
    DocumentPage,
    DocumentSummary,
    Evidence,
    GraphEdge,
    GraphNode,
    GraphView,
    Outline,
    OutlineSection,
    ProblemDoc,
    Replacement,
)
from api.search import DocEntry, entry, key_id, public_id
from ontology.terms import DOC_TYPES, RELATIONS

router = APIRouter(tags=["documents"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ProblemDoc, "description": "No such document."},
    409: {"model": ProblemDoc, "description": "A symbol several documents carry."},
    503: {"model": ProblemDoc, "description": "Over the time limit."},
}
# Largest neighbourhood returned by /graph (the explorer cannot draw more usefully).
MAX_GRAPH_NODES = 500

DocId = Annotated[str, Path(description="IRI, IRI path, identity key or symbol.")]


def summary(e: DocEntry, base: str, lang: str) -> DocumentSummary:
    """The API view of a document entry."""
    info = next((t for t in DOC_TYPES if t.slug == e.doc_type), None)
    ident = public_id(e, base)
    return DocumentSummary(
        id=ident, iri=e.iri, key=e.key, symbol=e.symbol, type=e.doc_type,
        type_label=(info.en if lang == "en" else info.vi) if info else None, title=e.title,
        issuer=e.issuer, date=e.date, year=e.year, url=f"/documents/{quote(ident, safe='')}",
    )


def _candidates(found: list[DocEntry], base: str, lang: str) -> list[dict[str, Any]]:
    return [summary(e, base, lang).model_dump(mode="json") for e in found]


def find_fields(store: Any, ident: str) -> list[dict[str, str]]:
    """Task: the fields (``graph.lookup.document_fields``) of every document ``ident``
    names: an IRI, an IRI path after the base, an identity key or a symbol.

    Index lookups only (``graph.queries.resolve_documents``): the value is bound as a
    literal, never pasted into the query.
    """
    from graph.lookup import document_fields
    from graph.queries import resolve_documents

    text = unicodedata.normalize("NFC", ident.strip())
    if not text or not text.isprintable() or any(c in text for c in '<>"{}|\\^` '):
        return []  # no IRI, key or symbol holds these
    found: dict[str, dict[str, str]] = {}
    # the documents the text names, and the text as an IRI path after the base; a
    # candidate that is no IRI the store could hold (the store refuses it) names nothing
    for candidates in ({str(d) for d in resolve_documents(store, text)},
                       {store.base + text.lstrip("/")}):
        with contextlib.suppress(ValueError):
            found.update(document_fields(store, candidates - found.keys()))
    return sorted(found.values(), key=lambda r: r["doc"])


async def resolve(state: StateDep, ident: str, lang: str) -> DocEntry:
    """The one document ``ident`` names (see the module docstring)."""
    found = [entry(row) for row in await state.cached(find_fields, ident)]
    dated = [e for e in found if e.key and "@" in e.key]
    if len(found) > 1 and len(dated) == 1:
        found = dated
    if not found:
        raise Problem(404, "no_document", id=ident)
    if len(found) > 1:
        raise Problem(409, "ambiguous", id=ident,
                      extra={"candidates": _candidates(found, state.store.base, lang)})
    return found[0]


@router.get("/documents", response_model=DocumentPage, responses=_ERRORS)
async def search_documents(
    request: Request, response: Response, state: StateDep, lang: LangDep,
    q: Annotated[str | None, Query(description="Words, symbol or key; diacritics, case "
                                               "and abbreviations (UBND, BNV, CT) "
                                               "understood.", max_length=500)] = None,
    doc_type: Annotated[str | None, Query(alias="type", max_length=60,
                                          description="Type slug: chi-thi, cong-van, …")] = None,
    issuer: Annotated[str | None, Query(max_length=200,
                                        description="Words of the issuer's name.")] = None,
    year: Annotated[int | None, Query(ge=1900, le=2200)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> DocumentPage:
    """Search documents ("chi thi 33", "ubnd dong nai").

    For the first seconds after a start, while the index is checked against the store,
    the index is searched as the last run left it and the answer carries
    ``X-Report-Stale: true`` (``Cache-Control: no-cache`` waits for the check)."""
    total, found, stale = await state.search(q, doc_type=doc_type, issuer=issuer, year=year,
                                             limit=limit, offset=offset,
                                             current=wants_current(request))
    if stale:  # the index as the last run left it, while it is checked at start
        response.headers[STALE_HEADER] = "true"
    base = state.store.base
    items = [summary(e, base, lang) for e in found]
    return DocumentPage(total=total, limit=limit, offset=offset, items=items)


# --- one document ----------------------------------------------------------------------------


def _total(rows: list[dict[str, Any]]) -> int | None:
    """Distinct citing documents, from ``cited_by_count`` (None when never counted)."""
    counts = [int(r["citedBy"]) for r in rows if str(r.get("citedBy", "")).isdigit()]
    return max(counts) if counts else None


@cache
def _relations() -> dict[str, str]:
    """Relation local name (``implements``) → its API name."""
    return {r.local: str(r.relation) for r in RELATIONS}


def _relation(value: str | None) -> str | None:
    local = (value or "").rpartition("#")[2]
    return _relations().get(local, local or None)


def _int(value: str | None) -> int | None:
    return int(value) if value and value.lstrip("-").isdigit() else None


def _evidence(row: dict[str, str]) -> Evidence | None:
    if "quote" not in row:
        return None
    return Evidence(source=row.get("path"), start=_int(row.get("start")),
                    end=_int(row.get("end")), quote=row.get("quote"))


def _link(ids: dict[str, str], row: dict[str, str], other: str, symbol: str) -> CitationLink:
    return CitationLink(
        document=row[other], id=ids.get(row[other]), symbol=row.get(symbol),
        relation=_relation(row.get("relation")), date=row.get("citedDate"),
        title=row.get("citedTitle"), stated_by=row.get("statedBy"), evidence=_evidence(row),
    )


def _hop(row: dict[str, str]) -> ChainHop:
    return ChainHop(from_document=row["from"], from_symbol=row.get("fromSymbol"),
                    relation=_relation(row.get("relation")) or "", to_document=row["to"],
                    to_symbol=row.get("toSymbol"), evidence=_evidence(row))


def _replacement(row: dict[str, str]) -> Replacement:
    return Replacement(document=row["other"], symbol=row.get("otherSymbol"),
                       stated_by=row.get("statedBy"), evidence=_evidence(row))


@router.get("/documents/{doc_id:path}/graph", response_model=GraphView, responses=_ERRORS)
async def document_graph(
    request: Request, state: StateDep, lang: LangDep, doc_id: DocId,
    depth: Annotated[int, Query(ge=1, le=10, description="Hops (capped by the server).")] = 1,
) -> Response:
    """The document's neighbourhood in the citation network (nodes and edges)."""
    async def build() -> GraphView:
        found = await resolve(state, doc_id, lang)
        hops = min(depth, state.settings.max_graph_depth)
        data = await state.run(neighbourhood_data, found.iri, hops)
        return neighbourhood_view(data, state.store.base)
    return await state.answer_json(request, lang, GraphView, build)


@router.get("/documents/{doc_id:path}", response_model=DocumentDetail, responses=_ERRORS)
async def get_document(
    request: Request, state: StateDep, lang: LangDep, doc_id: DocId,
    cited_by_limit: Annotated[int, Query(ge=0, le=1000,
                                         description="Citations in: page size.")] = CITED_PAGE,
    cited_by_offset: Annotated[int, Query(ge=0, description="Citations in: rows to skip.")] = 0,
) -> Response:
    """A document: metadata, citations out and in (a page, with the total), implementation
    chain, replacements."""
    async def build() -> DocumentDetail:
        return await document_detail(state, lang, doc_id, cited_by_limit, cited_by_offset)
    return await state.answer_json(request, lang, DocumentDetail, build)


async def document_detail(state: StateDep, lang: str, doc_id: str, cited_by_limit: int,
                          cited_by_offset: int) -> DocumentDetail:
    """The answer of ``GET /documents/{id}``: the kept bundle of its first page when
    there is one (``api.answer_store``), else computed (and kept when it is the first
    page)."""
    first_page = (cited_by_limit, cited_by_offset) == (CITED_PAGE, 0)
    bundle = state.kept_answer(doc_id) if first_page else None
    if bundle is None:
        found = await resolve(state, doc_id, lang)
        bundle = state.kept_answer(found.iri) if first_page else None
        if bundle is None:
            generation = state.generation
            made = await state.run(document_bundles, [found.iri], cited_by_limit,
                                   cited_by_offset)
            if not made:  # gone between the two reads
                raise Problem(404, "no_document", id=doc_id)
            bundle = made[0]
            if first_page:
                state.keep_answers(made, generation)
    return detail_view(bundle, state.store.base, lang)


def detail_view(bundle: dict[str, Any], base: str, lang: str) -> DocumentDetail:
    """The API view of a ``document_bundles`` bundle."""
    found, rows = entry(bundle["fields"]), bundle["rows"]
    ids = {row["doc"]: key_id(row.get("key"), row["doc"], base) for row in rows["linked"]}
    replaced = rows["replaced"]
    return DocumentDetail(
        **summary(found, base, lang).model_dump(),
        evidence=[Evidence(**e) for e in rows["evidence"]],
        cites=[_link(ids, r, "cited", "citedSymbol") for r in rows["cites"]],
        cited_by=[_link(ids, r, "citing", "citingSymbol") for r in rows["cited_by"]],
        cited_by_total=_total(rows["cited_by_count"]),
        implements=[_hop(r) for r in rows["implementation_chain"]],
        replaces=[_replacement(r) for r in replaced if r.get("direction") == "replaces"],
        replaced_by=[_replacement(r) for r in replaced if r.get("direction") == "replacedBy"],
    )


# --- neighbourhood ---------------------------------------------------------------------------


def neighbourhood_data(store: Any, center: str, depth: int) -> dict[str, Any]:
    """Task: the documents within ``depth`` hops of ``center`` (``graph.lookup``), their
    fields, and the edges among them, as plain data."""
    from graph.lookup import document_fields, neighbourhood

    found = neighbourhood(store, center, depth, MAX_GRAPH_NODES)
    return {"center": center, "depth": depth, "hops": found.hops,
            "fields": document_fields(store, found.hops),
            "edges": [(e.source, e.target, e.relation, list(e.relations)) for e in found.edges]}


def neighbourhood_view(data: dict[str, Any], base: str) -> GraphView:
    """The API view of ``neighbourhood_data``."""
    nodes = []
    for iri, hops in data["hops"].items():
        row = data["fields"].get(iri)
        e = entry(row) if row else None
        label = (e.symbol or e.title or e.key) if e else None
        nodes.append(GraphNode(
            id=iri, label=label or iri, doc_id=public_id(e, base) if e else None,
            symbol=e.symbol if e else None, type=e.doc_type if e else None,
            date=e.date.isoformat() if e and e.date else None, title=e.title if e else None,
            unresolved=(row or {}).get("unresolved", "true" if e is None else "") == "true",
            depth=hops))
    edges = [GraphEdge(source=a, target=b, relation=rel, relations=rels, weight=len(rels))
             for a, b, rel, rels in data["edges"]]
    return GraphView(center=data["center"], depth=data["depth"], nodes=nodes, edges=edges)


# --- outlines --------------------------------------------------------------------------------


def outline_rows(store: Any, iri: str) -> list[dict[str, Any]]:
    """Task: sections of the outline attached to ``iri`` (or of the outline ``iri`` itself)."""
    from graph.reports import outline_sections

    found = outline_sections(store, owner=iri)
    if not found:
        found = [s for s in outline_sections(store) if iri in (s.outline, s.outline_doc)]
    return [{"iri": s.iri, "parent": s.parent, "number": s.number, "title": s.title,
             "names": list(s.names), "evidence": s.evidence.as_dict() if s.evidence else None}
            for s in found]


def _tree(rows: list[dict[str, Any]]) -> list[OutlineSection]:
    made = {r["iri"]: OutlineSection(number=r["number"], title=r["title"], names=r["names"],
                                     evidence=Evidence(**r["evidence"]) if r["evidence"]
                                     else None) for r in rows}
    roots: list[OutlineSection] = []
    for r in rows:
        parent = made.get(r["parent"] or "")
        (parent.children if parent is not None else roots).append(made[r["iri"]])
    return roots


@router.get("/outlines/{doc_id:path}", response_model=Outline, responses=_ERRORS,
            tags=["reports"])
async def get_outline(request: Request, state: StateDep, lang: LangDep,
                      doc_id: DocId) -> Response:
    """The report outline attached to a document, as a tree of numbered sections."""
    async def build() -> Outline:
        found = await resolve(state, doc_id, lang)
        rows = await state.run(outline_rows, found.iri)
        if not rows:
            raise Problem(404, "no_outline", id=doc_id)
        return Outline(document=summary(found, state.store.base, lang), sections=_tree(rows))
    return await state.answer_json(request, lang, Outline, build)
