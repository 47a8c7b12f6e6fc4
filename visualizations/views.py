"""View builders: which nodes and edges a page draws for one question.

Three questions, three builders, each a thin reader of the store around a pure
function of a ``Corpus`` snapshot (``visualizations.facts``):

* ``neighbourhood(store, doc, depth)``: documents within ``depth`` citation hops of
  ``doc`` (citing and cited, replaced and replacing), the whole chain of what it
  implements up to the root, the obligations it creates and whom they report to;
* ``trace_view(store, symbol, section)``: an outline section, the documents it names,
  the document requiring the report, its chain up to the root directive and the
  obligations with their deadlines; the path section → … → root is highlighted;
* ``corpus_view(store)``: every document when the corpus is small enough to draw;
  otherwise documents grouped by issuer (or type) with a message that invites the
  reader to pick one document instead of freezing the browser.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from math import log2, sqrt
from typing import Any

from graph.reports import DocFact, Evidence, ObligationFact, obligations, read_obligations
from graph.trace import (
    AmbiguousSymbol,
    TraceResult,
    UnknownSymbol,
    report_obligations,
    resolve_document,
    symbol_candidates,
    trace,
)
from ingest.clean import fold
from ingest.symbols import parse_symbol
from ontology.terms import Relation
from visualizations import labels as words
from visualizations.facts import (
    Corpus,
    Details,
    DocInfo,
    LinkInfo,
    bound_free,
    load_corpus,
    load_details,
)
from visualizations.model import CatalogueEntry, Edge, LegendEntry, Node, Quote, View
from visualizations.reader import BUDGET, StoreReader
from visualizations.style import (
    EDGE_STYLES,
    HIGHLIGHT,
    NODE_STYLES,
    document_class,
    edge_style,
    node_style,
)

__all__ = [
    "MAX_DOCUMENTS",
    "corpus_view",
    "corpus_view_of",
    "document_total",
    "neighbourhood",
    "neighbourhood_ids",
    "neighbourhood_of",
    "neighbourhood_whole",
    "resolve",
    "resolve_in",
    "trace_corpus",
    "trace_ids",
    "trace_view",
    "trace_view_of",
    "trace_view_whole",
]

# Most specific relation first: an edge carrying several is drawn as the first.
_PRIORITY: tuple[Relation, ...] = (
    Relation.REPLACES, Relation.AMENDS, Relation.CONTINUES, Relation.IMPLEMENTS,
    Relation.BASED_ON, Relation.ATTACHED_TO, Relation.REPORTS_ON, Relation.CITES,
)
# Relations an implementation chain climbs (as graph.project.CHAIN_RELATIONS).
_UPWARD = frozenset({Relation.IMPLEMENTS, Relation.CONTINUES, Relation.BASED_ON,
                     Relation.ATTACHED_TO})
_MAX_QUOTES = 4  # evidence quotes kept per node or edge (the page stays small)
_MAX_CHAIN = 64  # documents followed up an implementation chain (guards against cycles)
_NO_DETAILS = Details()


# --- resolving the document a view is about -----------------------------------------------------


def _as_fact(d: DocInfo) -> DocFact:
    """``graph.trace.resolve_document`` weighs whether a document has header evidence;
    the snapshot only knows *that* it has some, so one empty marker stands for it."""
    marker = (Evidence(None, None, None, None),) if d.has_text else ()
    return DocFact(d.iri, d.symbol, d.key, d.date, d.doc_type, d.title, d.issuer, None, marker)


def resolve(corpus: Corpus, doc: str) -> str:
    """The canonical IRI of ``doc``: an IRI, an identity key or a số ký hiệu.

    Symbols are matched as ``graph.trace.resolve_document`` does (diacritic-, case- and
    space-insensitive; documents of the corpus before mere mentions).

    Raises:
        UnknownSymbol: no document matches.
        AmbiguousSymbol: several documents share the symbol (``candidates`` lists them).
    """
    if doc.startswith(("http://", "https://", "urn:")):
        if doc in corpus.docs:
            return corpus.canonical(doc)
        raise UnknownSymbol(doc)
    facts = {iri: _as_fact(d) for iri, d in corpus.docs.items()}
    try:
        return corpus.canonical(resolve_document(None, doc, docs=facts).iri)
    except AmbiguousSymbol as exc:
        distinct = {corpus.canonical(d.iri) for d in exc.candidates}
        if len(distinct) == 1:
            return distinct.pop()
        raise


def resolve_in(reader: StoreReader, doc: str) -> str:
    """``resolve`` over the documents ``doc`` may denote, read by index lookups.

    The candidates (``graph.trace.symbol_candidates``) are a superset of the documents
    the symbol matches, so the answer is ``resolve`` over the whole corpus.
    """
    if doc.startswith(("http://", "https://", "urn:")):
        if not reader.documents([doc]):
            raise UnknownSymbol(doc)
        return reader.canonical([doc])[doc]
    docs = reader.documents(sorted(symbol_candidates(reader.store, doc)))
    return resolve(Corpus(docs, (), reader.canonical(docs)), doc)


# --- nodes ---------------------------------------------------------------------------------------


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _doc_label(d: DocInfo | None, lang: str) -> str:
    if d is not None and d.symbol:
        return d.symbol
    if d is not None and d.title:
        return _short(d.title, 40)
    return words.msg("unnumbered", lang)


def _year(d: DocInfo | None, date: Any) -> int | None:
    if date is not None:
        return int(date.year)
    if d is not None and d.key and "@" in d.key:
        tail = d.key.rsplit("@", 1)[1]
        return int(tail) if tail.isdigit() else None
    return None


def _issuer(d: DocInfo | None, lang: str) -> str | None:
    """The header's issuer, else the body the symbol's issuer code names."""
    if d is None:
        return None
    if d.issuer:
        return words.localise_issuer(d.issuer, lang)
    parts = parse_symbol(d.symbol) if d.symbol else None
    if parts is None or not parts.issuers:
        return None
    return words.issuer_name(parts.issuers[0], lang)


def _quote(ev: Evidence | None, note: str | None = None) -> Quote | None:
    if ev is None or not ev.quote:
        return None
    return Quote(ev.quote, ev.source, ev.start, ev.end, note)


def _quotes(items: Iterable[Quote | None]) -> tuple[Quote, ...]:
    seen: set[tuple[str | None, int | None, str]] = set()
    out: list[Quote] = []
    for q in items:
        if q is None or (q.source, q.start, q.text) in seen:
            continue
        seen.add((q.source, q.start, q.text))
        out.append(q)
        if len(out) == _MAX_QUOTES:
            break
    return tuple(out)


def _doc_node(corpus: Corpus, iri: str, lang: str, details: Details = _NO_DETAILS) -> Node:
    d = corpus.doc(iri)
    date = corpus.known_date(iri)
    label = _doc_label(d, lang)
    node_class = document_class(d.doc_type if d else None)
    style = node_style(node_class)
    key = d.key if d else None
    title = d.title if d else None
    symbol = d.symbol if d else None
    return Node(
        id=iri,
        label=label,
        kind="document",
        node_class=node_class,
        shape=style.shape,
        colour=style.colour,
        font_colour=style.font,
        symbol=symbol,
        type_slug=d.doc_type if d else None,
        type_label=words.type_label(d.doc_type if d else None, lang),
        date=words.format_date(date, lang),
        year=_year(d, date),
        issuer=_issuer(d, lang),
        title=title,
        key=key,
        mentioned_only=not (d and d.has_text),
        details=((words.msg("key", lang), key),) if key else (),
        quotes=_quotes(details.doc_quotes.get(iri, ())),
        search=fold(" ".join(x for x in (label, symbol, title, key) if x)),
    )


def _agency_node(name: str) -> Node:
    style = NODE_STYLES["agency"]
    return Node(id=f"agency:{fold(name)}", label=_short(name, 40), kind="agency",
                node_class="agency", shape=style.shape, colour=style.colour,
                font_colour=style.font, title=name, search=fold(name))


def _obligation_node(o: ObligationFact, lang: str) -> Node:
    style = NODE_STYLES["obligation"]
    deadline = words.format_deadline(o.deadline, lang)
    frequency = words.frequency_label(o.frequency, lang)
    head = _short(o.action or words.msg("obligation", lang), 32)
    when = " · ".join(x for x in (deadline, frequency) if x)
    rows = [(words.msg("action", lang), o.action), (words.msg("bearer", lang), o.bearer),
            (words.msg("recipient", lang), o.recipient), (words.msg("deadline", lang), deadline),
            (words.msg("frequency", lang), frequency)]
    return Node(
        id=o.iri, label=f"{head}\n{when}" if when else head, kind="obligation",
        node_class="obligation", shape=style.shape, colour=style.colour,
        font_colour=style.font, date=deadline,
        details=tuple((k, v) for k, v in rows if v),
        quotes=_quotes([_quote(o.evidence)]),
        search=fold(" ".join(x for x in (o.action, o.bearer, o.recipient) if x)),
    )


# --- edges ---------------------------------------------------------------------------------------


def _edge(source: str, target: str, kind: str, lang: str, *, quotes: tuple[Quote, ...] = (),
          relations: tuple[str, ...] = (), count: int = 1) -> Edge:
    style = edge_style(kind)
    return Edge(id=f"{source}|{kind}|{target}", source=source, target=target, relation=kind,
                label=words.edge_label(kind, lang), colour=style.colour, width=style.width,
                dashes=style.dashes, relations=relations or (kind,), quotes=quotes,
                count=count)


def _link_edge(link: LinkInfo, lang: str, details: Details) -> Edge:
    rels = link.relations or (Relation.CITES,)
    main = next(r for r in _PRIORITY if r in rels)
    return _edge(link.citing, link.cited, str(main), lang,
                 quotes=_quotes(details.link_quotes.get((link.citing, link.cited), ())),
                 relations=tuple(str(r) for r in rels), count=link.count)


def _induced_edges(corpus: Corpus, ids: set[str], lang: str,
                   details: Details = _NO_DETAILS) -> list[Edge]:
    return [_link_edge(link, lang, details) for (a, b), link in corpus.links.items()
            if a in ids and b in ids]


def _note(doc_of: Callable[[str], DocInfo | None], lang: str) -> Any:
    """Words of a link quote's note: the relation, and who states it when a third party.

    ``doc_of`` is ``Corpus.doc`` (or ``StoreReader.doc``): how the stating document is named.
    """
    def note(relation: Relation, stated_by: str | None) -> str:
        said = words.edge_label(str(relation), lang)
        if stated_by:
            who = _doc_label(doc_of(stated_by), lang)
            return f"{said} ({words.msg('stated_by', lang, label=who)})"
        return said
    return note


# --- legend --------------------------------------------------------------------------------------


def _legend(nodes: Sequence[Node], edges: Sequence[Edge], lang: str,
            *, path: bool = False) -> tuple[LegendEntry, ...]:
    """Legend lines for the classes and edge kinds present, in the style tables' order."""
    classes = {n.node_class for n in nodes}
    kinds = {e.relation for e in edges}
    out = [LegendEntry("node", c, words.class_label(c, lang), s.colour, s.shape)
           for c, s in NODE_STYLES.items() if c in classes]
    if any(n.mentioned_only for n in nodes):
        other = NODE_STYLES["doc-other"]
        out.append(LegendEntry("node", "mentioned", words.class_label("mentioned", lang), "#ffffff",
                               other.shape, (4, 3)))
    out += [LegendEntry("edge", k, words.edge_label(k, lang), s.colour, None, s.dashes, s.width)
            for k, s in EDGE_STYLES.items() if k in kinds]
    if path:
        out.append(LegendEntry("edge", "path", words.class_label("path", lang), HIGHLIGHT,
                               None, (), 5.0))
    return tuple(out)


# --- neighbourhood -------------------------------------------------------------------------------


def _rings(corpus: Corpus, focus: str, depth: int) -> dict[str, int]:
    """Document → citation distance from ``focus`` (at most ``depth``)."""
    dist = {focus: 0}
    frontier = [focus]
    for hop in range(1, depth + 1):
        nxt = sorted({m for n in frontier for m in corpus.neighbours.get(n, ()) if m not in dist})
        for m in nxt:
            dist[m] = hop
        frontier = nxt
    return dist


def _chain_up(corpus: Corpus, start: str) -> list[str]:
    """Every document reachable from ``start`` up implements/continues/based-on/attached-to."""
    up: dict[str, list[str]] = {}
    for (a, b), link in corpus.links.items():
        if _UPWARD & set(link.relations):
            up.setdefault(a, []).append(b)
    seen, todo = {start}, [start]
    out: list[str] = []
    while todo and len(out) < _MAX_CHAIN:
        for m in sorted(up.get(todo.pop(0), ())):
            if m not in seen:
                seen.add(m)
                out.append(m)
                todo.append(m)
    return out


def _trim(corpus: Corpus, dist: dict[str, int], keep: Sequence[str], limit: int) -> list[str]:
    """At most ``limit`` documents (``keep`` always): nearest first, then most connected."""
    ranked = sorted(dist, key=lambda n: (dist[n], -len(corpus.neighbours.get(n, ())), n))
    chosen = dict.fromkeys(keep)
    for n in ranked:
        if len(chosen) >= max(limit, len(keep)):
            break
        chosen.setdefault(n)
    return list(chosen)


def _obligation_parts(creator: str, obligations: Iterable[ObligationFact], lang: str
                      ) -> tuple[list[Node], list[Edge]]:
    nodes: list[Node] = []
    edges: list[Edge] = []
    for o in obligations:
        node = _obligation_node(o, lang)
        nodes.append(node)
        edges.append(_edge(creator, node.id, "creates", lang))
        if o.recipient:
            agency = _agency_node(o.recipient)
            nodes.append(agency)
            edges.append(_edge(node.id, agency.id, "reports_to", lang))
    return nodes, edges


def _unique(nodes: Iterable[Node]) -> tuple[Node, ...]:
    out: dict[str, Node] = {}
    for n in nodes:
        out.setdefault(n.id, n)
    return tuple(out.values())


def neighbourhood_ids(corpus: Corpus, focus: str, depth: int, max_nodes: int
                      ) -> tuple[list[str], int]:
    """Documents a neighbourhood draws (focus first, then by distance) and how many qualify.

    ``depth`` citation hops in either direction, plus the whole implementation chain
    above ``focus``; at most ``max_nodes`` documents (the chain is always kept).
    """
    if depth < 0:
        raise ValueError("depth must be 0 or more")
    dist = _rings(corpus, focus, depth)
    chain = _chain_up(corpus, focus)
    ids = _trim(corpus, dist, [focus, *chain], max_nodes)
    order = {n: i for i, n in enumerate(sorted(ids, key=lambda n: (dist.get(n, depth + 1), n)))}
    return sorted(ids, key=order.__getitem__), len(set(dist) | set(chain))


def neighbourhood_of(corpus: Corpus, focus: str, depth: int = 2, *, lang: str = "vi",
                     max_nodes: int = 500, details: Details = _NO_DETAILS) -> View:
    """The neighbourhood view of document ``focus`` (a canonical IRI) in ``corpus``.

    Args:
        corpus: the snapshot.
        focus: canonical IRI of the document (``resolve``).
        depth: citation hops followed in either direction (0 = the document alone).
        lang: ``vi`` or ``en``.
        max_nodes: documents drawn at most; the nearest and most connected are kept
            and the view's message says how many were left out.
        details: quotes of the drawn documents and links, and the focus's obligations.
    """
    words.check_lang(lang)
    ids, total = neighbourhood_ids(corpus, focus, depth, max_nodes)
    docs = [_doc_node(corpus, i, lang, details) for i in ids]
    docs[0] = replace(docs[0], size=26.0)
    edges = _induced_edges(corpus, set(ids), lang, details)
    extra_nodes, extra_edges = _obligation_parts(focus, details.obligations, lang)
    if docs[0].issuer:
        agency = _agency_node(docs[0].issuer)
        extra_nodes.append(agency)
        extra_edges.append(_edge(focus, agency.id, "issued_by", lang))
    nodes = _unique([*docs, *extra_nodes])
    all_edges = tuple({e.id: e for e in [*edges, *extra_edges]}.values())
    message = (words.msg("truncated", lang, shown=len(ids), total=total)
               if len(ids) < total else None)
    return View(
        kind="neighbourhood",
        title=words.msg("neighbourhood_title", lang, label=docs[0].label, depth=depth),
        lang=lang, nodes=nodes, edges=all_edges, legend=_legend(nodes, all_edges, lang),
        message=message, focus=focus,
    )


def _chain_read(reader: StoreReader, focus: str) -> list[str]:
    """The chain above ``focus``, reading the citations each of its documents makes."""
    chain: list[str] = []
    while True:
        reader.read_out([focus, *chain])
        found = _chain_up(reader.links_corpus(), focus)
        if found == chain or not reader.complete:
            return found
        chain = found


def _rings_read(reader: StoreReader, focus: str, depth: int, keep: Sequence[str],
                max_nodes: int) -> None:
    """Read what ``neighbourhood_ids`` needs: the citations of every ring but the last,
    and those of the last when its documents are ranked (only some of them fit)."""
    dist = {focus: 0}
    frontier = [focus]
    for hop in range(1, depth + 1):
        reader.read_links(frontier)
        links = reader.links_corpus()
        frontier = sorted({m for n in frontier for m in links.neighbours.get(n, ())
                           if m not in dist})
        dist.update(dict.fromkeys(frontier, hop))
        if not reader.complete:
            return
    room = max(max_nodes, len(keep))
    inner = set(keep) | {n for n, d in dist.items() if d < depth}
    if len(inner) < room < len(inner | set(dist)):
        reader.read_links(frontier)  # the last ring is ranked by its links


def _partial_message(view: View, shown: int, total: int, lang: str) -> View:
    """``view`` saying its total is a lower bound (the reads stopped at their budget)."""
    return replace(view, message=words.msg("truncated_more", lang, shown=shown, total=total))


def neighbourhood(store: Any, doc: str, depth: int = 2, *, lang: str = "vi",
                  max_nodes: int = 500, budget: int = BUDGET) -> View:
    """Neighbourhood view of ``doc`` (IRI, identity key or số ký hiệu) in ``store``.

    Reads only around the document (``visualizations.reader``): the rings within
    ``depth``, the chain above it, and the fields and quotes of what is drawn. The view
    equals ``neighbourhood_of`` over the whole corpus unless more than ``budget``
    citation rows would be read; then the nearest documents read are drawn and the
    message says the neighbourhood holds more than the documents counted.

    Raises:
        UnknownSymbol, AmbiguousSymbol: ``doc`` does not denote one document.
        ValueError: a negative depth or an unknown language.
    """
    words.check_lang(lang)
    if depth < 0:
        raise ValueError("depth must be 0 or more")
    reader = StoreReader(store, budget)
    focus = resolve_in(reader, doc)
    chain = _chain_read(reader, focus)
    _rings_read(reader, focus, depth, [focus, *chain], max_nodes)
    ids, total = neighbourhood_ids(reader.links_corpus(), focus, depth, max_nodes)
    # Links among the outer ring's documents: neither end's citations were read yet. Their
    # ranks do not change: when they are ranked, every link of theirs is read already.
    reader.read_out(ids)
    corpus = reader.corpus(ids)
    details = load_details(store, corpus, ids, obligations_of=[focus],
                           note=_note(reader.doc, lang))
    view = neighbourhood_of(corpus, focus, depth, lang=lang, max_nodes=max_nodes,
                            details=details)
    return view if reader.complete else _partial_message(view, len(ids), total, lang)


def neighbourhood_whole(store: Any, doc: str, depth: int = 2, *, lang: str = "vi",
                        max_nodes: int = 500) -> View:
    """``neighbourhood`` built from the whole corpus (``load_corpus``): the reference the
    partial reads are checked against; slow on a large store."""
    words.check_lang(lang)
    corpus = load_corpus(store)
    focus = resolve(corpus, doc)
    ids, _ = neighbourhood_ids(corpus, focus, depth, max_nodes)
    details = load_details(store, corpus, ids, obligations_of=[focus],
                           note=_note(corpus.doc, lang))
    return neighbourhood_of(corpus, focus, depth, lang=lang, max_nodes=max_nodes,
                            details=details)


# --- trace ---------------------------------------------------------------------------------------


def _by_key(corpus: Corpus) -> dict[str, str]:
    return {d.key: corpus.canonical(iri) for iri, d in corpus.docs.items() if d.key}


def _ev(item: dict[str, Any], note: str | None = None) -> tuple[Quote, ...]:
    ev = item.get("evidence")
    if not ev or not ev.get("quote"):
        return ()
    return (Quote(ev["quote"], ev.get("source"), ev.get("start"), ev.get("end"), note),)


def _section_node(result: TraceResult, lang: str, level: int) -> Node:
    sec = result.section
    style = NODE_STYLES["section"]
    label = words.msg("section", lang, number=sec.number)
    return Node(
        id=sec.iri, label=f"{label}\n{_short(sec.title, 36)}" if sec.title else label,
        kind="section", node_class="section", shape=style.shape, colour=style.colour,
        font_colour=style.font, title=sec.title,
        details=((words.msg("section_title", lang), sec.title),) if sec.title else (),
        quotes=_quotes([_quote(sec.evidence)]), level=level, size=20.0,
        search=fold(f"{sec.number} {sec.title}"),
    )


def trace_ids(corpus: Corpus, result: TraceResult) -> list[str]:
    """Documents a trace view draws: the owner, its chain, the documents the section names."""
    keys = _by_key(corpus)
    named = [r.get("key") for r in result.rules if r.get("role") == "named_in_section"]
    chain = [h.get("key") for h in result.chain]
    found = [keys.get(k or "") for k in [*chain, *named]]
    return [corpus.canonical(result.document.iri), *(i for i in found if i)]


def trace_view_of(corpus: Corpus, result: TraceResult, *, lang: str = "vi",
                  details: Details = _NO_DETAILS) -> View:
    """The trace view of ``result`` (``graph.trace.trace``) drawn from ``corpus``.

    Levels (top to bottom): the root directive, … the chain …, the document requiring
    the report, then the section and the obligations, then the documents the section
    names and the bodies the reports go to. ``details.obligations`` are the
    obligations to draw (``graph.trace.report_obligations``).
    """
    words.check_lang(lang)
    keys = _by_key(corpus)
    owner = corpus.canonical(result.document.iri)
    chain = [(keys[h["key"]], h) for h in result.chain if h.get("key") in keys]
    top = len(chain)  # the owner's level; the root sits at level 0

    def doc(iri: str, level: int) -> Node:
        return replace(_doc_node(corpus, iri, lang, details), level=level)

    nodes = [doc(owner, top)] + [doc(iri, top - 1 - i) for i, (iri, _) in enumerate(chain)]
    section = _section_node(result, lang, top + 1)
    nodes.append(section)
    edges = [_edge(section.id, owner, "outline_of", lang)]
    previous = owner
    for iri, hop in chain:
        kind = hop.get("relation") or "implements"
        edges.append(_edge(previous, iri, kind, lang,
                           quotes=_ev(hop, words.edge_label(kind, lang))))
        previous = iri
    edges = [replace(e, highlighted=True) for e in edges]
    for rule in result.rules:
        if rule.get("role") != "named_in_section" or rule.get("key") not in keys:
            continue
        iri = keys[rule["key"]]
        nodes.append(doc(iri, top + 2))
        edges.append(_edge(section.id, iri, "names", lang,
                           quotes=_ev(rule, words.edge_label("names", lang))))
    for o in details.obligations:
        creator = corpus.canonical(o.document or owner)
        if creator not in {n.id for n in nodes}:
            nodes.append(doc(creator, top))
        ob_nodes, ob_edges = _obligation_parts(creator, [o], lang)
        nodes += [replace(n, level=top + 1 if n.kind == "obligation" else top + 2)
                  for n in ob_nodes]
        edges += ob_edges
    unique_nodes = _unique(nodes)
    unique_edges = tuple({e.id: e for e in edges}.values())
    return View(
        kind="trace",
        title=words.msg("trace_title", lang, section=result.section.number,
                    label=unique_nodes[0].label),
        lang=lang, nodes=unique_nodes, edges=unique_edges,
        legend=_legend(unique_nodes, unique_edges, lang, path=True),
        path=(section.id, owner, *(iri for iri, _ in chain)), focus=section.id,
        layout="hierarchical", message=None if chain else words.msg("path_empty", lang),
    )


def _report_obligations(store: Any, result: TraceResult) -> list[ObligationFact]:
    """``report_obligations`` of the owner, read by bound lookups: the owner's obligations
    and those they delegate to (what ``report_obligations`` would keep of all of them)."""
    owner = result.document.iri
    known = {o.iri: o for o in read_obligations(store, documents=[owner])}
    asked: set[str] = set()
    while todo := sorted({i for o in known.values() for i in o.delegates_to}
                         - known.keys() - asked):
        asked.update(todo)
        known.update((o.iri, o) for o in read_obligations(store, iris=todo))
    return report_obligations(owner, result.section.outline,
                              sorted(known.values(), key=lambda o: o.iri))


def trace_corpus(reader: StoreReader, result: TraceResult,
                 wanted: Iterable[ObligationFact]) -> Corpus:
    """The partial corpus a trace view draws from: the owner, the documents its chain
    and the section name (found by key), and the creators of the obligations ``wanted``."""
    keys = [h.get("key") or "" for h in result.chain]
    keys += [r.get("key") or "" for r in result.rules if r.get("role") == "named_in_section"]
    keyed = reader.keyed(keys)
    owner = reader.canonical([result.document.iri])[result.document.iri]
    creators = reader.canonical(o.document or result.document.iri for o in wanted)
    return reader.corpus([owner, *keyed.values(), *creators.values()])


def trace_view(store: Any, symbol: str, section: str, *, lang: str = "vi") -> View:
    """Trace view of section ``section`` of the outline attached to ``symbol``.

    Reads only the trace's documents (``graph.trace.trace`` and ``trace_corpus``).

    Raises:
        UnknownSymbol, AmbiguousSymbol, UnknownSection: as ``graph.trace.trace``.
    """
    words.check_lang(lang)
    result = trace(store, symbol, section)
    wanted = _report_obligations(store, result)
    corpus = trace_corpus(StoreReader(store), result, wanted)
    details = load_details(store, corpus, trace_ids(corpus, result))
    return trace_view_of(corpus, result, lang=lang,
                         details=replace(details, obligations=tuple(wanted)))


def trace_view_whole(store: Any, symbol: str, section: str, *, lang: str = "vi") -> View:
    """``trace_view`` built from the whole corpus and every obligation of the store: the
    reference the partial reads are checked against; slow on a large store."""
    words.check_lang(lang)
    result = trace(store, symbol, section)
    corpus = load_corpus(store)
    details = load_details(store, corpus, trace_ids(corpus, result))
    wanted = report_obligations(result.document.iri, result.section.outline,
                                obligations(store))
    return trace_view_of(corpus, result, lang=lang,
                         details=replace(details, obligations=tuple(wanted)))


# --- corpus --------------------------------------------------------------------------------------


def _sized(nodes: Sequence[Node], corpus: Corpus) -> list[Node]:
    """Documents cited by many others drawn bigger."""
    return [replace(n, size=12.0 + 4.0 * sqrt(corpus.cited_by.get(n.id, 0))) for n in nodes]


def _catalogue(nodes: Iterable[Node]) -> tuple[CatalogueEntry, ...]:
    return tuple(CatalogueEntry(n.id, n.label, n.title, n.key, n.search) for n in nodes)


def _cluster_key(node: Node, by: str, lang: str) -> tuple[str, str, str]:
    """(cluster id, label, node class) of a document node."""
    if by == "type":
        return (f"cluster:type:{node.type_slug or '-'}",
                node.type_label or words.msg("unknown_type", lang), node.node_class)
    name = node.issuer or words.msg("unknown_issuer", lang)
    return (f"cluster:issuer:{fold(name)}", name, "agency" if node.issuer else "cluster")


def _clusters(corpus: Corpus, docs: Sequence[Node], by: str, lang: str
              ) -> tuple[list[Node], list[Edge]]:
    member: dict[str, str] = {}
    groups: dict[str, tuple[str, str, list[Node]]] = {}
    for n in docs:
        cid, label, cls = _cluster_key(n, by, lang)
        member[n.id] = cid
        groups.setdefault(cid, (label, cls, []))[2].append(n)
    nodes = []
    for cid, (label, cls, members) in sorted(groups.items()):
        style = node_style(cls)
        count = (words.msg("cluster_one", lang) if len(members) == 1
                 else words.msg("cluster_count", lang, n=len(members)))
        nodes.append(Node(
            id=cid, label=f"{_short(label, 40)}\n{count}", kind="cluster", node_class=cls,
            shape="dot" if cls in ("agency", "cluster") else style.shape, colour=style.colour,
            title=label, details=((words.msg("count", lang), str(len(members))),),
            size=10.0 + 3.0 * sqrt(len(members)), count=len(members), search=fold(label),
        ))
    weights = Counter((member[a], member[b]) for a, b in corpus.links
                      if a in member and b in member and member[a] != member[b])
    edges = [replace(_edge(a, b, "links", lang, count=w), width=1.0 + log2(w))
             for (a, b), w in sorted(weights.items())]
    return nodes, edges


def corpus_view_of(corpus: Corpus, *, lang: str = "vi", max_nodes: int = 1500,
                   cluster_by: str = "issuer") -> View:
    """The whole corpus, or (above ``max_nodes`` documents) its groups.

    Args:
        corpus: the snapshot.
        lang: ``vi`` or ``en``.
        max_nodes: most documents drawn one by one; beyond, documents are grouped.
        cluster_by: ``issuer`` or ``type``: what documents are grouped by.
    """
    words.check_lang(lang)
    if cluster_by not in ("issuer", "type"):
        raise ValueError(f"cluster_by must be 'issuer' or 'type', not {cluster_by!r}")
    ids = corpus.document_ids
    docs = [_doc_node(corpus, i, lang) for i in ids]
    title = words.msg("corpus_title", lang)
    if not docs:
        return View(kind="corpus", title=title, lang=lang, nodes=(), edges=(),
                    message=words.msg("empty", lang))
    if len(ids) <= max_nodes:
        nodes = tuple(_sized(docs, corpus))
        edges = tuple(_induced_edges(corpus, set(ids), lang))
        return View(kind="corpus", title=title, lang=lang, nodes=nodes, edges=edges,
                    legend=_legend(nodes, edges, lang))
    cnodes, cedges = _clusters(corpus, docs, cluster_by, lang)
    by = words.msg("by_type" if cluster_by == "type" else "by_issuer", lang)
    return View(
        kind="corpus", title=title, lang=lang, nodes=tuple(cnodes), edges=tuple(cedges),
        legend=_legend(cnodes, cedges, lang), clustered=True,
        message=words.msg("too_large", lang, n=len(ids), by=by), catalogue=_catalogue(docs),
    )


MAX_DOCUMENTS = 20_000  # documents the corpus view reads at most (it reads them all)


def document_total(store: Any) -> int | None:
    """Documents in ``store`` as the derived counts keep them (``lo:TypeCount``); None
    when the counts were never computed. No document is read."""
    rows = bound_free(store, "explore_document_total")
    return sum(int(str(r["documents"])) for r in rows) if rows else None


def corpus_view(store: Any, *, lang: str = "vi", max_nodes: int = 1500,
                cluster_by: str = "issuer", max_documents: int = MAX_DOCUMENTS) -> View:
    """The corpus view of ``store`` (see ``corpus_view_of``).

    Above ``max_documents`` (counted with the derived counts, before anything is read)
    the view refuses at once: no node, a message inviting the reader to pick a document.
    """
    words.check_lang(lang)
    total = document_total(store)
    if total is not None and total > max_documents:
        return View(kind="corpus", title=words.msg("corpus_title", lang), lang=lang,
                    nodes=(), edges=(), message=words.msg("too_large_refused", lang, n=total))
    return corpus_view_of(load_corpus(store), lang=lang, max_nodes=max_nodes,
                          cluster_by=cluster_by)
