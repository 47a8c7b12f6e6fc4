"""What ``GET /documents/{id}`` shows about a document, read from the store as plain data.

A *bundle* is one document's ``iri``, its ``fields`` (``graph.lookup.document_fields``),
its ``rows`` (``detail_rows``: citations out and in, the implementation chain,
replacements, the citation count, the header evidence, the linked documents' fields),
the ``issuers`` it shows and the ``lo:sameDocumentAs`` ``aliases`` of everything it
shows (``api.answer_store`` keeps bundles and drops them when a write touches one of
those IRIs).

``document_bundles`` computes the bundles of many documents with a fixed number of
queries per batch (``_Batch``: a VALUES block of every document and alias, the chain
walked level by level) instead of about a dozen per document: the background fill of
the kept answers at 10⁵ documents is a bulk job. Its answers equal ``detail_rows``'s
one by one (tests/test_answer_store.py); a document whose first page of citations in
may be cut by the page size is read on its own.

Rows are in a total order: the order each named query declares, then every column
(ties are broken the same way however the rows were read).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from rdflib import URIRef

from api.answer_store import bundle_deps

__all__ = ["CITED_PAGE", "detail_rows", "document_bundles", "keyed_documents",
           "store_fingerprint", "store_mark"]

# Citations in shown by /documents/{id} by default (the page whose answers are kept).
CITED_PAGE = 50
# A document cited by more documents than this is read on its own (its page is cut).
_FEW_CITERS = 20

# Each list's order: the named query's ORDER BY or "# order:" columns.
_ORDER: dict[str, tuple[str, ...]] = {
    "cites": ("path", "start"),
    "cited_by": ("citingSymbol", "citing", "path", "start"),
    "implementation_chain": ("fromSymbol", "relation", "toSymbol", "path"),
    "replaced": ("direction", "otherSymbol", "path"),
    "cited_by_count": (),
}
_LO = "https://w3id.org/luocdo/ontology#"
# The chain's hops (graph/queries/implementation_chain.rq): the relations it climbs and
# reports, and lo:sameDocumentAs, which it crosses either way without reporting.
_CHAIN_RELATIONS = tuple(f"{_LO}{r}" for r in ("implements", "continues", "basedOn",
                                                "attachedTo"))
_SAME = f"{_LO}sameDocumentAs"
_ALIASES = f"""PREFIX lo: <{_LO}>
SELECT DISTINCT ?d ?a WHERE {{ ?d lo:sameDocumentAs|^lo:sameDocumentAs ?a }}"""
_HOPS = f"""PREFIX lo: <{_LO}>
SELECT DISTINCT ?from ?relation ?to WHERE {{
  ?from ?relation ?to .
  FILTER (?relation IN (lo:implements, lo:continues, lo:basedOn, lo:attachedTo))
}}"""
_SYMBOLS = f"""PREFIX lo: <{_LO}>
SELECT ?node ?symbol WHERE {{ ?node lo:symbol ?symbol }}"""


def _key(value: str | None) -> tuple[int, int, str]:
    """``graph.queries``' order of one value: unbound first, then numbers, then text."""
    if value is None:
        return (0, 0, "")
    if value.isdigit():
        return (1, int(value), "")
    return (2, 0, value)


def ordered(name: str, rows: Iterable[dict[str, str]]) -> list[dict[str, str]]:
    """``rows`` of list ``name`` in their total order (module docstring)."""
    cols = _ORDER[name]
    return sorted(rows, key=lambda r: (tuple(_key(r.get(c)) for c in cols),
                                       sorted(r.items())))


def _plain(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, str]]:
    return [{k: str(v) for k, v in row.items()} for row in rows]


def _linked(out: Mapping[str, list[dict[str, str]]]) -> set[str]:
    return {r[k] for k in ("cited", "citing") for name in ("cites", "cited_by")
            for r in out[name] if r.get(k)}


# --- one document ------------------------------------------------------------------------------


def detail_rows(store: Any, iri: str, cited_limit: int = CITED_PAGE,
                cited_offset: int = 0) -> dict[str, list[dict[str, Any]]]:
    """Task: the named-query rows and header evidence behind ``/documents/{id}``.

    Citations in come a page at a time (a directive may be cited by tens of thousands
    of documents), with their total from the derived counts (``cited_by_count``).
    """
    from graph.lookup import document_fields
    from graph.queries import aliased, run_named
    from graph.reports import document_evidence

    doc = aliased(store, URIRef(iri))  # looked up once for the five queries

    def rows(name: str, **page: int) -> list[dict[str, str]]:
        return ordered(name, _plain(run_named(store, name, doc=doc, **page)))

    out: dict[str, list[dict[str, Any]]] = {
        name: rows(name) for name in ("cites", "implementation_chain", "replaced",
                                      "cited_by_count")}
    out["cited_by"] = rows("cited_by", limit=cited_limit, offset=cited_offset)
    out["evidence"] = [e.as_dict() for e in document_evidence(store, iri)]
    out["linked"] = [v for _, v in sorted(document_fields(store, _linked(out)).items())]
    return out


def _bundle_one(store: Any, iri: str, fields: Mapping[str, str], cited_limit: int,
                cited_offset: int) -> dict[str, Any]:
    from graph.queries import run_named, with_aliases

    rows = detail_rows(store, iri, cited_limit, cited_offset)
    shown = [URIRef(iri), *(URIRef(r["doc"]) for r in rows["linked"])]
    issuers = sorted({str(r["issuer"]) for r in run_named(store, "document_issuers",
                                                          doc=shown)})
    bundle = {"iri": iri, "fields": dict(fields), "rows": rows, "issuers": issuers}
    # the chain and the citations reach through lo:sameDocumentAs links that no row
    # shows: a write about an alias changes the answer too
    named = sorted(bundle_deps(bundle))
    bundle["aliases"] = sorted(str(a) for a in with_aliases(store, [URIRef(n) for n in named])
                               if str(a) not in named)
    return bundle


# --- many documents ----------------------------------------------------------------------------


class _Batch:
    """The bundles of several documents from a fixed number of queries (module docstring)."""

    def __init__(self, store: Any, iris: Sequence[str]) -> None:
        self.store = store
        self.iris = list(iris)
        self.same: dict[str, set[str]] = defaultdict(set)  # node → its one-hop aliases
        self._alias_map(self.iris)
        # each document with its aliases, as graph.queries.with_aliases gives them
        self.aliases = {d: {d, *self.same[d]} for d in self.iris}

    def _alias_map(self, nodes: Iterable[str]) -> None:
        todo = sorted({n for n in nodes if n not in self.same})
        for chunk in _chunks(todo):
            for r in self.store.query(_ALIASES, {"d": chunk}):
                self.same[str(r["d"])].add(str(r["a"]))
        for n in todo:
            self.same.setdefault(n, set())

    def named(self, name: str, docs: Sequence[str] | None = None
              ) -> dict[str, list[dict[str, str]]]:
        """A named query bound to every document (of ``docs``) and alias, split per
        document."""
        from graph.queries import Aliased, run_named

        docs = self.iris if docs is None else docs
        nodes = sorted({a for d in docs for a in self.aliases[d]})
        found: list[dict[str, str]] = []
        for chunk in _chunks(nodes):
            found += _plain(run_named(self.store, name, doc=Aliased(chunk)))
        return {d: ordered(name, (r for r in found if r.get("doc") in self.aliases[d]))
                for d in docs}

    def chains(self) -> dict[str, list[dict[str, str]]]:
        """``implementation_chain`` of every document: the nodes each reaches over the
        chain relations and aliases (walked level by level), their outgoing hops, the
        symbols of both ends and the evidence (``edge_evidence``)."""
        hops: dict[str, set[tuple[str, str]]] = {}  # node → (relation, to)
        frontier = {a for s in self.aliases.values() for a in s}
        while frontier:
            self._alias_map(frontier)
            for chunk in _chunks(sorted(frontier)):
                for r in self.store.query(_HOPS, {"from": chunk}):
                    hops.setdefault(str(r["from"]), set()).add((str(r["relation"]),
                                                                str(r["to"])))
            for n in frontier:
                hops.setdefault(n, set())
            nxt = {t for n in frontier for _, t in hops[n]} | {
                a for n in frontier for a in self.same[n]}
            frontier = nxt - hops.keys()
        reach = {d: self._reach(names, hops) for d, names in self.aliases.items()}
        edges = sorted({(f, rel, t) for nodes in reach.values() for f in nodes
                        for rel, t in hops[f]})
        symbols = self._symbols({n for e in edges for n in (e[0], e[2])})
        evidence = self._edge_evidence(edges)
        out = {}
        for d, nodes in reach.items():
            rows: list[dict[str, str]] = []
            for f in sorted(nodes):
                for rel, t in sorted(hops[f]):
                    for hop in _with_symbols(f, rel, t, symbols):
                        # graph.queries' "then:" left join (each citation stating the
                        # hop gives a row, even with the same quote)
                        rows += [{**m, **hop} for m in evidence.get((f, rel, t), [])] or [hop]
            out[d] = ordered("implementation_chain", rows)
        return out

    def _reach(self, start: set[str], hops: Mapping[str, set[tuple[str, str]]]) -> set[str]:
        seen, todo = set(start), list(start)
        while todo:
            n = todo.pop()
            for nxt in [*(t for rel, t in hops.get(n, ()) if rel in _CHAIN_RELATIONS),
                        *self.same.get(n, ())]:
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return seen

    def _symbols(self, nodes: set[str]) -> dict[str, list[str]]:
        found: dict[str, list[str]] = defaultdict(list)
        for chunk in _chunks(sorted(nodes)):
            for r in self.store.query(_SYMBOLS, {"node": chunk}):
                found[str(r["node"])].append(str(r["symbol"]))
        return found

    def _edge_evidence(self, edges: Sequence[tuple[str, str, str]]
                       ) -> dict[tuple[str, str, str], list[dict[str, str]]]:
        from graph.queries import load_query
        from graph.sparql import inject_rows

        text = load_query("edge_evidence")
        found: dict[tuple[str, str, str], list[dict[str, str]]] = defaultdict(list)
        for i in range(0, len(edges), 200):
            rows = [tuple(URIRef(x) for x in e) for e in edges[i:i + 200]]
            for r in self.store.query(inject_rows(text, ("from", "relation", "to"), rows)):
                row = {k: str(v) for k, v in r.items()}
                found[(row["from"], row["relation"], row["to"])].append(row)
        return found

    def cited_by(self, counts: Mapping[str, list[dict[str, str]]],
                 limit: int) -> dict[str, list[dict[str, str]] | None]:
        """The first page of citations in of each document with few citers (None: read
        it on its own)."""
        few = [d for d in self.iris
               if all(int(r.get("citedBy", "0") or 0) <= _FEW_CITERS for r in counts[d])]
        pages: dict[str, list[dict[str, str]] | None] = dict.fromkeys(self.iris)
        if few:
            for d, rows in self.named("cited_by", few).items():
                pages[d] = rows if len(rows) <= limit else None  # a page would cut it
        return pages


def _with_symbols(f: str, rel: str, t: str,
                  symbols: Mapping[str, list[str]]) -> list[dict[str, str]]:
    """The chain query's rows of one hop: one per combination of the ends' symbols."""
    out = []
    none: list[str | None] = [None]
    for fs in symbols.get(f) or none:
        for ts in symbols.get(t) or none:
            row = {"from": f, "relation": rel, "to": t}
            if fs is not None:
                row["fromSymbol"] = fs
            if ts is not None:
                row["toSymbol"] = ts
            out.append(row)
    return out


def _chunks(items: Sequence[Any], size: int = 500) -> Iterable[list[Any]]:
    for i in range(0, len(items), size):
        yield [x if not isinstance(x, str) else URIRef(x) for x in items[i:i + size]]


def document_bundles(store: Any, iris: list[str], cited_limit: int = CITED_PAGE,
                     cited_offset: int = 0) -> list[dict[str, Any]]:
    """Task: the bundle (module docstring) of each of ``iris`` that is a typed, keyed
    document, in the order given."""
    from graph.lookup import document_fields

    fields = document_fields(store, iris)
    wanted = [i for i in iris if i in fields]
    if len(wanted) < 2 or (cited_limit, cited_offset) != (CITED_PAGE, 0):
        return [_bundle_one(store, i, fields[i], cited_limit, cited_offset) for i in wanted]
    return _bundles(store, wanted, fields, cited_limit)


def _bundles(store: Any, iris: list[str], fields: Mapping[str, Mapping[str, str]],
             limit: int) -> list[dict[str, Any]]:
    from graph.lookup import document_fields
    from graph.queries import run_named
    from graph.reports import read_documents

    batch = _Batch(store, iris)
    lists = {name: batch.named(name) for name in ("cites", "replaced", "cited_by_count")}
    lists["implementation_chain"] = batch.chains()
    pages = batch.cited_by(lists["cited_by_count"], limit)
    facts = read_documents(store, iris)
    out: dict[str, dict[str, Any]] = {}
    for d in iris:
        page = pages[d]
        if page is None:
            out[d] = _bundle_one(store, d, fields[d], limit, 0)
            continue
        rows: dict[str, list[dict[str, Any]]] = {n: lists[n][d] for n in lists}
        rows["cited_by"] = page
        fact = facts.get(d)
        rows["evidence"] = [e.as_dict() for e in fact.evidence] if fact else []
        out[d] = {"iri": d, "fields": dict(fields[d]), "rows": rows}
    todo = [d for d in iris if "issuers" not in out[d]]
    linked = {d: _linked(out[d]["rows"]) for d in todo}
    known = document_fields(store, {x for s in linked.values() for x in s})
    issued: dict[str, set[str]] = defaultdict(set)
    shown = sorted({*todo, *known})
    for chunk in _chunks(shown):
        for r in run_named(store, "document_issuers", doc=chunk):
            issued[str(r["doc"])].add(str(r["issuer"]))
    for d in todo:
        bundle = out[d]
        bundle["rows"]["linked"] = [known[x] for x in sorted(linked[d]) if x in known]
        bundle["issuers"] = sorted(set().union(issued[d], *(issued[x] for x in linked[d]
                                                            if x in known)))
    batch._alias_map({n for d in todo for n in bundle_deps(out[d])})
    for d in todo:
        named = bundle_deps(out[d])
        out[d]["aliases"] = sorted({a for n in named for a in batch.same[n]} - named)
    return [out[d] for d in iris]


# --- the keeper's other tasks ------------------------------------------------------------------


def keyed_documents(store: Any) -> list[tuple[str, str]]:
    """Task: (IRI, identity key) of every typed document with a key."""
    from graph.queries import run_named

    return [(str(r["doc"]), str(r["key"])) for r in run_named(store, "keyed_documents")]


def store_fingerprint(store: Any) -> Iterator[tuple[str, str]]:
    """Every provenance statement of the store's graphs (time stamps, hashes) as
    (graph, "predicate object") text: they change with every write, so kept answers can
    tell whether the store changed. Each is distinct (the triples of one graph). From an
    Oxigraph store its quads are read one at a time, none kept; from another store, as
    SPARQL text rows (``select_text``)."""
    from api.query_runner import native_store
    from graph.sparql import term_sparql

    native = native_store(store)
    if native is not None:
        import pyoxigraph as ox

        prov = ox.NamedNode(str(store.provenance_graph))
        for quad in native.quads_for_pattern(None, None, None, prov):
            yield quad.subject.value, f"{quad.predicate.value} {quad.object.value}"
        return
    graph = term_sparql(store.provenance_graph)
    text = f"SELECT ?g ?p ?o WHERE {{ GRAPH {graph} {{ ?g ?p ?o }} }}"
    for r in store.select_text(text):
        yield r["g"], f"{r['p']} {r['o']}"


def store_mark(store: Any) -> str:
    """Task: the digest of ``store_fingerprint`` (``api.answer_store.fingerprint``),
    made in the query worker as the rows are read: the rows (one per graph: 300,000 at
    300,000 documents, 41 MB pickled) never cross to the server, nor are they kept."""
    from api.answer_store import fingerprint

    return fingerprint(store_fingerprint(store))
