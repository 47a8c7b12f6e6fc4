"""``/documents`` (search, one document, its neighbourhood) and ``/outlines/{id}``.

A document ``id`` is, in order of lookup: its IRI, its IRI path after the base
(``eli/vn/ct/2021/33/ttg``), its identity key (``33/CT-TTG@2021``; URL-encode it:
``33%2FCT-TTG%402021``) or its symbol (``33/CT-TTg``). A symbol that several
documents carry picks the one with a known year if there is exactly one, else 409
with the candidates.
"""

from __future__ import annotations

from collections import deque
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Path, Query
from rdflib import URIRef

from api.deps import LangDep, StateDep
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
from api.search import DocEntry, SearchIndex
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


def summary(e: DocEntry, index: SearchIndex, lang: str) -> DocumentSummary:
    """The API view of an index entry."""
    info = next((t for t in DOC_TYPES if t.slug == e.doc_type), None)
    doc_id = index.doc_id(e)
    return DocumentSummary(
        id=doc_id, iri=e.iri, key=e.key, symbol=e.symbol, type=e.doc_type,
        type_label=(info.en if lang == "en" else info.vi) if info else None, title=e.title,
        issuer=e.issuer, date=e.date, year=e.year, url=f"/documents/{quote(doc_id, safe='')}",
    )


def _candidates(found: list[DocEntry], index: SearchIndex, lang: str) -> list[dict[str, Any]]:
    return [summary(e, index, lang).model_dump(mode="json") for e in found]


async def resolve(state: StateDep, doc_id: str, lang: str) -> tuple[DocEntry, SearchIndex]:
    """The one document ``doc_id`` names (see the module docstring)."""
    index = await state.index()
    found = index.find(doc_id, state.store.base)
    dated = [e for e in found if e.key and "@" in e.key]
    if len(found) > 1 and len(dated) == 1:
        found = dated
    if not found:
        raise Problem(404, "no_document", id=doc_id)
    if len(found) > 1:
        raise Problem(409, "ambiguous", id=doc_id,
                      extra={"candidates": _candidates(found, index, lang)})
    return found[0], index


@router.get("/documents", response_model=DocumentPage, responses=_ERRORS)
async def search_documents(
    state: StateDep, lang: LangDep,
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
    """Search documents ("chi thi 33", "ubnd dong nai")."""
    index = await state.index()
    found = index.search(q, doc_type=doc_type, issuer=issuer, year=year)
    items = [summary(e, index, lang) for e in found[offset: offset + limit]]
    return DocumentPage(total=len(found), limit=limit, offset=offset, items=items)


# --- one document ----------------------------------------------------------------------------


def detail_rows(store: Any, iri: str, cited_limit: int = 50,
                cited_offset: int = 0) -> dict[str, list[dict[str, Any]]]:
    """Task: the named-query rows and header evidence behind ``/documents/{id}``.

    Citations in come a page at a time (a directive may be cited by tens of thousands
    of documents), with their total from the derived counts (``cited_by_count``).
    """
    from graph.queries import run_named
    from graph.reports import document_evidence

    def rows(name: str, **page: int) -> list[dict[str, Any]]:
        return [{k: str(v) for k, v in row.items()}
                for row in run_named(store, name, doc=doc, **page)]

    doc = URIRef(iri)
    out = {name: rows(name) for name in ("cites", "implementation_chain", "replaced",
                                          "cited_by_count")}
    out["cited_by"] = rows("cited_by", limit=cited_limit, offset=cited_offset)
    out["evidence"] = [e.as_dict() for e in document_evidence(store, iri)]
    return out


def _total(rows: list[dict[str, Any]]) -> int | None:
    """Distinct citing documents, from ``cited_by_count`` (None when never counted)."""
    counts = [int(r["citedBy"]) for r in rows if str(r.get("citedBy", "")).isdigit()]
    return max(counts) if counts else None


def _relation(value: str | None) -> str | None:
    local = (value or "").rpartition("#")[2]
    found = next((r for r in RELATIONS if r.local == local), None)
    return str(found.relation) if found else (local or None)


def _int(value: str | None) -> int | None:
    return int(value) if value and value.lstrip("-").isdigit() else None


def _evidence(row: dict[str, str]) -> Evidence | None:
    if "quote" not in row:
        return None
    return Evidence(source=row.get("path"), start=_int(row.get("start")),
                    end=_int(row.get("end")), quote=row.get("quote"))


def _link(index: SearchIndex, row: dict[str, str], other: str, symbol: str) -> CitationLink:
    entry = index.by_iri.get(row[other])
    return CitationLink(
        document=row[other], id=index.doc_id(entry) if entry else None, symbol=row.get(symbol),
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
    state: StateDep, lang: LangDep, doc_id: DocId,
    depth: Annotated[int, Query(ge=1, le=10, description="Hops (capped by the server).")] = 1,
) -> GraphView:
    """The document's neighbourhood in the citation network (nodes and edges)."""
    entry, index = await resolve(state, doc_id, lang)
    depth = min(depth, state.settings.max_graph_depth)
    return neighbourhood(await state.network(), entry.iri, depth, index)


@router.get("/documents/{doc_id:path}", response_model=DocumentDetail, responses=_ERRORS)
async def get_document(
    state: StateDep, lang: LangDep, doc_id: DocId,
    cited_by_limit: Annotated[int, Query(ge=0, le=1000,
                                         description="Citations in: page size.")] = 50,
    cited_by_offset: Annotated[int, Query(ge=0, description="Citations in: rows to skip.")] = 0,
) -> DocumentDetail:
    """A document: metadata, citations out and in (a page, with the total), implementation
    chain, replacements."""
    entry, index = await resolve(state, doc_id, lang)
    rows = await state.run(detail_rows, entry.iri, cited_by_limit, cited_by_offset)
    replaced = rows["replaced"]
    return DocumentDetail(
        **summary(entry, index, lang).model_dump(),
        evidence=[Evidence(**e) for e in rows["evidence"]],
        cites=[_link(index, r, "cited", "citedSymbol") for r in rows["cites"]],
        cited_by=[_link(index, r, "citing", "citingSymbol") for r in rows["cited_by"]],
        cited_by_total=_total(rows["cited_by_count"]),
        implements=[_hop(r) for r in rows["implementation_chain"]],
        replaces=[_replacement(r) for r in replaced if r.get("direction") == "replaces"],
        replaced_by=[_replacement(r) for r in replaced if r.get("direction") == "replacedBy"],
    )


# --- neighbourhood ---------------------------------------------------------------------------


def _ring(network: Any, center: str, depth: int) -> dict[str, int]:
    """Nodes within ``depth`` hops of ``center`` (either direction), at most MAX nodes."""
    seen = {center: 0}
    todo = deque([center])
    while todo and len(seen) < MAX_GRAPH_NODES:
        node = todo.popleft()
        if seen[node] == depth:
            continue
        for other in sorted({*network.successors(node), *network.predecessors(node)}):
            if other not in seen and len(seen) < MAX_GRAPH_NODES:
                seen[other] = seen[node] + 1
                todo.append(other)
    return seen


def neighbourhood(network: Any, center: str, depth: int, index: SearchIndex) -> GraphView:
    """Nodes within ``depth`` hops of ``center`` and the edges among them."""
    ring = _ring(network, center, depth) if center in network else {center: 0}
    nodes = []
    for iri, hops in ring.items():
        attrs = network.nodes[iri] if iri in network else {}
        entry = index.by_iri.get(iri)
        nodes.append(GraphNode(
            id=iri, label=str(attrs.get("label", iri)),
            doc_id=index.doc_id(entry) if entry else None,
            symbol=attrs.get("symbol"), type=attrs.get("type"), date=attrs.get("date"),
            title=attrs.get("title"), unresolved=bool(attrs.get("unresolved")), depth=hops))
    edges = [
        GraphEdge(source=a, target=b, relation=str(d.get("relation", "cites")),
                  relations=str(d.get("relations", "")).split(","), weight=int(d.get("weight", 1)))
        for a, b, d in (network.edges(list(ring), data=True) if center in network else [])
        if a in ring and b in ring
    ]
    return GraphView(center=center, depth=depth, nodes=nodes, edges=edges)


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
async def get_outline(state: StateDep, lang: LangDep, doc_id: DocId) -> Outline:
    """The report outline attached to a document, as a tree of numbered sections."""
    entry, index = await resolve(state, doc_id, lang)
    rows = await state.run(outline_rows, entry.iri)
    if not rows:
        raise Problem(404, "no_outline", id=doc_id)
    return Outline(document=summary(entry, index, lang), sections=_tree(rows))
