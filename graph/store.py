"""Where the graph lives: Oxigraph on disk or in memory, or any SPARQL 1.1 endpoint.

One interface, ``GraphStore``, three ways to hold the data:

* ``OxigraphStore(path)``: pyoxigraph's RocksDB store in a directory (persistent), or in
  memory when ``path`` is None;
* ``RemoteStore(query_url, update_url)``: any SPARQL 1.1 Protocol endpoint (Virtuoso,
  Fuseki, Oxigraph server, GraphDB) over httpx.

``open_store(spec)`` picks one from a string (the CLI's ``--store``). Every source file
is one named graph; queries see the union of all named graphs (Oxigraph:
``use_default_graph_as_union``; Virtuoso does it by default; Fuseki needs
``tdb:unionDefaultGraph``). Writes go through SPARQL Update text built from checked,
serialised terms (``graph.sparql``), so the same statements run everywhere.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from abc import ABC, abstractmethod
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx
import regex
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDFS, SKOS, XSD
from rdflib.term import Node

from graph import iri, union
from graph.results import QueryResult, from_sparql_json, plain_literal
from graph.sparql import (
    Binding,
    QueryText,
    inject_values,
    nt_lines,
    query_form,
    term_sparql,
)
from ontology.ns import ELI, LO

__all__ = [
    "EXPORT_FORMATS",
    "GraphStore",
    "OxigraphStore",
    "RemoteStore",
    "SourceInfo",
    "StoreError",
    "default_store_path",
    "from_oxigraph",
    "native_source_triples",
    "open_store",
    "oxigraph_answer",
    "oxigraph_text_rows",
    "rdflib_term",
]

Triple = tuple[Node, Node, Node]
Quad = tuple[Node, Node, Node, URIRef]

# rdflib serialiser names of the export formats (graphml is graph.project's business).
EXPORT_FORMATS: dict[str, str] = {
    "ttl": "turtle", "trig": "trig", "nt": "nt", "nq": "nquads", "jsonld": "json-ld",
}
_DATASET_FORMATS = frozenset({"trig", "nq", "jsonld"})


class StoreError(RuntimeError):
    """The store refused a request or could not be reached; the message says which."""


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """One ingested source file as the store knows it."""

    graph: URIRef
    path: str
    sha256: str
    ingested: str | None = None


def default_store_path() -> Path:
    """``$LUOCDO_STORE`` if set, else ``<platformdirs user data dir>/luocdo/store``."""
    env = os.environ.get("LUOCDO_STORE")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("luocdo")) / "store"


def _has_bnode(triple: Triple) -> bool:
    return any(isinstance(t, BNode) for t in triple)


def _insert(graphs: Mapping[URIRef, list[Triple]]) -> list[str]:
    """Update operations that insert the triples of each graph (none when there are none).

    Ground triples go in ``INSERT DATA``. Triples with blank nodes go in an
    ``INSERT { … } WHERE { }``: Virtuoso 7.2 refuses blank nodes inside ``INSERT DATA``
    ("not allowed in a constant clause"), while a template with an empty pattern mints
    each one once. Templates cost Virtuoso far more SQL per triple than data does
    (``RemoteStore.template_chunk``).
    """
    ops = []
    for template in (False, True):
        blocks = []
        for g, triples in graphs.items():
            part = [t for t in triples if _has_bnode(t) is template]
            if part:
                blocks.append(f"GRAPH {term_sparql(g)} {{\n" + "\n".join(nt_lines(part))
                              + "\n}")
        if blocks:
            body = "\n".join(blocks)
            ops.append(f"INSERT {{\n{body}\n}} WHERE {{ }}" if template
                       else f"INSERT DATA {{\n{body}\n}}")
    return ops


_PREFIXES = (("lo", LO), ("eli", ELI), ("prov", PROV), ("dct", DCTERMS), ("skos", SKOS),
             ("rdfs", RDFS), ("xsd", XSD))


def _new_graph() -> Graph:
    """An empty graph with the prefixes luocdo data uses, for readable Turtle."""
    g = Graph()
    for prefix, ns in _PREFIXES:
        g.bind(prefix, ns)
    return g


def _chunks(triples: Iterable[Triple], size: int) -> list[list[Triple]]:
    """Split triples into chunks of about ``size``, keeping blank-node groups whole.

    A blank-node label means one node only inside one request, so every triple that
    shares a blank node (an OWL list, a restriction) must travel in the same chunk.
    """
    parent: dict[BNode, BNode] = {}

    def find(b: BNode) -> BNode:
        while parent.setdefault(b, b) != b:
            b = parent[b]
        return b

    triples = list(triples)
    for s, _, o in triples:
        if isinstance(s, BNode) and isinstance(o, BNode):
            parent[find(s)] = find(o)
    groups: dict[object, list[Triple]] = {}
    for t in triples:
        s, _, o = t
        anchor: object = find(s) if isinstance(s, BNode) else find(o) if isinstance(
            o, BNode) else t
        groups.setdefault(anchor, []).append(t)
    out: list[list[Triple]] = [[]]
    for group in groups.values():
        if out[-1] and len(out[-1]) + len(group) > size:
            out.append([])
        out[-1].extend(group)
    return [c for c in out if c]


class GraphStore(ABC):
    """A quad store holding one named graph per source file.

    Args:
        base: base IRI of the graphs this store manages (``graph.iri.base_iri``).
    """

    def __init__(self, base: str | None = None) -> None:
        self.base = iri.base_iri(base)

    # --- what an implementation provides ------------------------------------------------------

    @abstractmethod
    def _query(self, text: str) -> QueryResult:
        """Run a finished query over the union of all graphs."""

    @abstractmethod
    def _update(self, text: str) -> None:
        """Run a SPARQL update request."""

    @abstractmethod
    def _replace(self, name: URIRef, triples: list[Triple], prov: list[Triple]) -> None:
        """Replace graph ``name`` with ``triples`` and its provenance record with ``prov``."""

    @abstractmethod
    def close(self) -> None:
        """Release the store (flush to disk, close connections)."""

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, exc: type[BaseException] | None, val: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    # --- queries ------------------------------------------------------------------------------

    def query(self, sparql: str, bindings: Mapping[str, Binding] | None = None) -> QueryResult:
        """Run a SELECT, ASK, CONSTRUCT or DESCRIBE query over the union of all graphs.

        Args:
            sparql: the query text.
            bindings: variable name → term (or terms): joined in as a ``VALUES`` block
                built from serialised terms, never pasted as text
                (``graph.sparql.inject_values``).

        Raises:
            ValueError: an update instead of a query, or a bad binding.
            StoreError: the store rejected the query.
        """
        found = query_form(sparql)  # tokenised once per text, then cached
        if found.form == "UPDATE":
            raise ValueError("updates are not accepted here; use the store's write methods")
        return self._run(inject_values(sparql, bindings), found)

    def select_text(self, sparql: str, bindings: Mapping[str, Binding] | None = None
                    ) -> list[dict[str, str]]:
        """The rows of a SELECT as plain strings: an IRI's text, a literal's lexical form,
        a blank node's label (an unbound variable is left out of its row).

        What ``str()`` of each term of ``query``'s rows gives, for readers that only
        compare and parse text (``graph.reports``); an Oxigraph store hands its values
        over without building rdflib terms.

        Raises:
            ValueError: not a SELECT, an update, or a bad binding. StoreError: the
                store rejected the query.
        """
        return self._select_text(*_select_query(sparql, bindings, "select_text"))

    def iter_text(self, sparql: str, bindings: Mapping[str, Binding] | None = None
                  ) -> Iterator[dict[str, str]]:
        """``select_text``'s rows one at a time, for a reader that folds a whole-store
        answer as it comes (``graph.reports.conflicts`` reads every citation of a
        national corpus, 3 million at a million documents): an Oxigraph store hands each
        row over as it reads it, so the reader holds one row, not all of them; another
        store reads its answer whole first.

        The query is checked when this is called; the store is asked when the first row
        is taken, and must stay open until the last.

        Raises:
            ValueError: not a SELECT, an update, or a bad binding (at once).
            StoreError: the store rejected the query (as the rows are taken).
        """
        return self._iter_text(*_select_query(sparql, bindings, "iter_text"))

    def _select_text(self, text: str, found: QueryText) -> list[dict[str, str]]:
        """``select_text`` of a finished query (any store: through ``_run``)."""
        return [{k: str(v) for k, v in row.items()} for row in self._run(text, found).rows]

    def _iter_text(self, text: str, found: QueryText) -> Iterator[dict[str, str]]:
        """``iter_text`` of a finished query: the whole answer's rows, by default."""
        yield from self._select_text(text, found)

    def _run(self, text: str, found: QueryText) -> QueryResult:
        """Run ``text``, whose form and dataset clauses ``found`` already tells.

        ``text`` may be the analysed query with a ``VALUES`` block of serialised terms
        joined in, which changes neither its form nor its ``FROM`` clauses, so an
        implementation need not lex it again.
        """
        del found
        return self._query(text)

    # --- writes -------------------------------------------------------------------------------

    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 Update request as given (an update endpoint's raw path).

        Ingest code should use ``replace_source`` / ``remove_source``, which keep a
        source's graph and its provenance record together.

        Raises:
            ValueError: a syntax error. StoreError: the store refused it.
        """
        self._update(sparql)

    @property
    def provenance_graph(self) -> URIRef:
        return iri.provenance_graph_iri(self.base)

    def replace_source(self, source_iri: URIRef, graph: Graph, *,
                       ingested_at: dt.datetime | None = None) -> None:
        """Make named graph ``source_iri`` hold exactly ``graph`` (atomically where possible).

        The ingest time goes to the provenance graph, not into ``source_iri``, so two
        ingests of one file leave isomorphic source graphs.
        """
        when = ingested_at or dt.datetime.now(dt.UTC)
        stamp = Literal(when.isoformat(timespec="seconds"), datatype=XSD.dateTime)
        self._replace(source_iri, list(graph), [(source_iri, PROV.generatedAtTime, stamp)])

    def remove_source(self, source_iri: URIRef) -> None:
        """Drop a source's named graph and its provenance record."""
        g, prov = term_sparql(source_iri), term_sparql(self.provenance_graph)
        self._update(f"DROP SILENT GRAPH {g} ; DELETE WHERE {{ GRAPH {prov} {{ {g} ?p ?o }} }}")

    def put_graph(self, name: URIRef, triples: Iterable[Triple],
                  provenance: Iterable[Triple] = ()) -> None:
        """Write named graph ``name`` verbatim, with its provenance record (for restore).

        In one store transaction where the store has them (Oxigraph; a remote store
        as ``replace_source`` does it): graph ``name`` then holds exactly ``triples``,
        and its record in the provenance graph (the triples there whose subject is
        ``name``) exactly ``provenance``. Nothing is added: no ingest time, no derived
        facts. ``name`` may be the provenance graph itself: it then holds exactly
        ``triples`` and ``provenance`` together, and every other record in it goes.

        Raises:
            ValueError: a ``provenance`` triple is not about ``name``.
            StoreError: the store refused the write.
        """
        triples, provenance = list(triples), list(provenance)
        stray = [t for t in provenance if t[0] != name]
        if stray:
            raise ValueError(f"a provenance record of {name} must be about it, "
                             f"not {stray[0][0]}")
        if name == self.provenance_graph:
            # The record of the provenance graph lives in itself: split the content so
            # that "replace the graph, then renew its record" writes it exactly.
            content = [*triples, *provenance]
            triples = [t for t in content if t[0] != name]
            provenance = [t for t in content if t[0] == name]
        self._replace(name, triples, provenance)

    def _replace_ops(self, name: URIRef, triples: list[Triple], prov: list[Triple], *,
                     drop: bool = True) -> list[str]:
        """Update operations that drop ``name``, insert ``triples``, renew its provenance.

        When ``name`` is the provenance graph, ``triples`` and ``prov`` both go into it.
        """
        g, pg = term_sparql(name), term_sparql(self.provenance_graph)
        ops = [f"DROP SILENT GRAPH {g}"] if drop else []
        ops.append(f"DELETE WHERE {{ GRAPH {pg} {{ {g} ?p ?o }} }}")
        graphs: dict[URIRef, list[Triple]] = {name: list(triples)}
        graphs.setdefault(self.provenance_graph, []).extend(prov)
        return [*ops, *_insert(graphs)]

    def ensure_ontology(self) -> bool:
        """Load ``ontology/luocdo.ttl`` into ``<base>graph/ontology`` if missing or changed.

        With the ontology in the store, ``?p rdfs:subPropertyOf* lo:cites`` and other
        alignments can be followed by property paths in every store.

        Returns:
            True when the ontology graph was (re)written.
        """
        from ontology.load import ontology_graph, ontology_path

        name = iri.ontology_graph_iri(self.base)
        digest = Literal("sha256:" + hashlib.sha256(ontology_path().read_bytes()).hexdigest())
        ask = (f"ASK {{ GRAPH {term_sparql(self.provenance_graph)} {{ {term_sparql(name)} "
               f"{term_sparql(DCTERMS.identifier)} {term_sparql(digest)} }} }}")
        if self._query(ask).boolean:
            return False
        self._replace(name, list(ontology_graph()), [(name, DCTERMS.identifier, digest)])
        return True

    # --- reading back -------------------------------------------------------------------------

    def sources(self) -> list[SourceInfo]:
        """Every ingested source file, sorted by path."""
        return self._sources("")

    def source(self, graph: URIRef) -> SourceInfo | None:
        """The ingested source file whose named graph is ``graph`` (None: no such source),
        read by a lookup of that graph alone."""
        found = self._sources(f"VALUES ?g {{ {term_sparql(graph)} }}")
        return found[0] if found else None

    def _sources(self, only: str) -> list[SourceInfo]:
        """The sources (those ``only``, a ``VALUES`` block of ``?g``, keeps), by path."""
        text = f"""
            SELECT ?g ?path ?sha ?when WHERE {{
              {only}
              GRAPH ?g {{ ?g {term_sparql(PROV.wasDerivedFrom)} ?s .
                         ?s {term_sparql(LO.path)} ?path ; {term_sparql(LO.sha256)} ?sha }}
              OPTIONAL {{ GRAPH {term_sparql(self.provenance_graph)} {{
                         ?g {term_sparql(PROV.generatedAtTime)} ?when }} }}
            }}"""
        # text rows: no rdflib term per value (15 → 5 s for the 100,201 sources at 100k)
        rows = self.select_text(text)
        out = {r["g"]: SourceInfo(URIRef(r["g"]), r["path"], r["sha"], r.get("when"))
               for r in rows}
        return sorted(out.values(), key=lambda s: (s.path, str(s.graph)))

    def source_count(self) -> int:
        """How many sources ``sources`` would list, counted by the store."""
        # the derivation alone (every source states its path and hash with it): 0.04 s for
        # the 100,201 sources at 100k, where joining those took 1.5-2.3 s
        text = (f"SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE {{ GRAPH ?g {{ "
                f"?g {term_sparql(PROV.wasDerivedFrom)} ?s }} }}")
        return _count(self._query(text))

    def graph_names(self) -> list[URIRef]:
        """Named graphs under this store's base IRI (sources, derived, ontology, provenance)."""
        text = (f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
                f"FILTER(STRSTARTS(STR(?g), {term_sparql(Literal(self.base))})) }}")
        return sorted(URIRef(str(r["g"])) for r in self._query(text).rows)

    def named_graph(self, name: URIRef) -> Graph:
        """The triples of one named graph."""
        text = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {term_sparql(name)} {{ ?s ?p ?o }} }}"
        return self._query(text).graph or Graph()

    def quads(self, *, ontology: bool = False) -> Iterator[Quad]:
        """Every quad under the base IRI (the ontology graph only when asked)."""
        skip = set() if ontology else {iri.ontology_graph_iri(self.base)}
        for name in self.graph_names():
            if name not in skip:
                for s, p, o in self.named_graph(name):
                    yield s, p, o, name

    def dataset(self, *, ontology: bool = False) -> Dataset:
        """The whole store as an rdflib ``Dataset`` (for export and validation)."""
        ds = Dataset()
        for prefix, ns in _PREFIXES:
            ds.bind(prefix, ns)
        graphs: dict[URIRef, Graph] = {}
        for s, p, o, g in self.quads(ontology=ontology):
            if g not in graphs:
                graphs[g] = ds.graph(g)
            graphs[g].add((s, p, o))
        return ds

    def instance_graph(self) -> Graph:
        """Union of the source graphs and the derived graph: the data SHACL checks."""
        keep = {iri.ontology_graph_iri(self.base), self.provenance_graph}
        out = Graph()
        for s, p, o, g in self.quads():
            if g not in keep:
                out.add((s, p, o))
        return out

    def export(self, fmt: str, *, ontology: bool = False) -> bytes:
        """Serialise the store: ``ttl`` / ``nt`` (union of graphs), ``trig`` / ``nq`` /
        ``jsonld`` (named graphs kept).

        Raises:
            ValueError: an unknown format.
        """
        if fmt not in EXPORT_FORMATS:
            raise ValueError(f"unknown export format {fmt!r}; one of {sorted(EXPORT_FORMATS)}")
        ds = self.dataset(ontology=ontology)
        if fmt in _DATASET_FORMATS:
            data = ds.serialize(format=EXPORT_FORMATS[fmt], encoding="utf-8")
        else:
            union = Graph()
            for prefix, ns in ds.namespaces():
                union.bind(prefix, ns)
            for s, p, o, _ in ds.quads((None, None, None, None)):
                union.add((s, p, o))
            data = union.serialize(format=EXPORT_FORMATS[fmt], encoding="utf-8")
        return data if isinstance(data, bytes) else str(data).encode("utf-8")

    def stats(self, *, triples: bool = True) -> dict[str, int]:
        """Counts: sources, documents, citations, obligations, outline sections, evidence
        and (unless ``triples`` is False: a scan of every quad) the source graphs'
        triples."""
        counted = {
            "documents": LO.Document, "citations": LO.Citation,
            "obligations": LO.Obligation, "sections": LO.OutlineSection,
            "evidence": LO.Evidence,
        }
        out = {"sources": self.source_count()}
        for name, cls in counted.items():
            text = f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a {term_sparql(cls)} }}"
            out[name] = _count(self._query(text))
        if triples:
            out["triples"] = self._source_triples()
        return out

    def graph_triples(self, graphs: Collection[URIRef] | None = None) -> dict[str, int]:
        """How many triples each source graph holds (of ``graphs`` only, when given: a
        graph that holds none is left out), by graph IRI."""
        prefix = iri.source_graphs_prefix(self.base)
        if graphs is None:
            text = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        else:
            if not graphs:
                return {}
            values = " ".join(term_sparql(g) for g in graphs)
            text = (f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} "
                    f"GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g")
        return {row["g"]: int(row["n"]) for row in self.select_text(text)
                if row["g"].startswith(prefix)}

    def _source_triples(self) -> int:
        """How many triples the source graphs hold together."""
        prefix = term_sparql(Literal(iri.source_graphs_prefix(self.base)))
        text = (f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
                f"FILTER(STRSTARTS(STR(?g), {prefix})) }}")
        return _count(self._query(text))


def _count(result: QueryResult) -> int:
    rows = result.rows
    return int(str(rows[0]["n"])) if rows and "n" in rows[0] else 0


# --- Oxigraph ---------------------------------------------------------------------------------


class OxigraphStore(GraphStore):
    """pyoxigraph ``Store``: on disk in ``path`` (RocksDB), or in memory when None.

    Only one process may open a directory for writing at a time (RocksDB lock).
    """

    def __init__(self, path: Path | str | None = None, *, base: str | None = None) -> None:
        import pyoxigraph as ox

        super().__init__(base)
        self.path = Path(path) if path is not None else None
        if self.path is not None:
            self.path.mkdir(parents=True, exist_ok=True)
            try:
                self._store = ox.Store(str(self.path))
            except OSError as exc:
                raise StoreError(_open_error(self.path, exc)) from exc
        else:
            self._store = ox.Store()
        self._materialised = union.is_materialised(self._store)
        if not self._materialised:
            self.rebuild_union()

    @property
    def native(self) -> Any | None:
        """The pyoxigraph ``Store`` behind this one (None once closed)."""
        return getattr(self, "_store", None)

    def rebuild_union(self) -> int:
        """Recompute the materialised union default graph (``graph.union``).

        Runs by itself when a store written by an older luocdo is opened, and after a
        raw SPARQL Update (``update``), whose effect on the union is unknown.

        Returns:
            How many quads were copied into the default graph.
        """
        self._materialised = False
        copied = union.rebuild(self._store)
        self._materialised = True
        return copied

    def _query(self, text: str) -> QueryResult:
        return self._run(text, query_form(text))

    def _run(self, text: str, found: QueryText) -> QueryResult:
        return _from_oxigraph(oxigraph_answer(self._store, self._materialised, text, found))

    def _select_text(self, text: str, found: QueryText) -> list[dict[str, str]]:
        return oxigraph_text_rows(oxigraph_answer(self._store, self._materialised, text, found))

    def _iter_text(self, text: str, found: QueryText) -> Iterator[dict[str, str]]:
        return oxigraph_text_iter(oxigraph_answer(self._store, self._materialised, text, found))

    def _source_triples(self) -> int:
        return native_source_triples(self, self._store)

    def _update(self, text: str) -> None:
        try:
            self._store.update(text)
        except SyntaxError as exc:
            raise ValueError(f"SPARQL update syntax error: {exc}") from exc
        except (OSError, RuntimeError) as exc:
            raise StoreError(str(exc)) from exc

    def update(self, sparql: str) -> None:
        """Run a raw SPARQL Update, then rebuild the union default graph.

        The update may touch any graph in any way, so the materialised union is
        recomputed from scratch (seconds per million triples): ingest code should use
        ``replace_source`` / ``remove_source``, which maintain it incrementally.
        """
        self._update(sparql)
        self.rebuild_union()

    def _replace(self, name: URIRef, triples: list[Triple], prov: list[Triple]) -> None:
        # One update request is one Oxigraph transaction: the named graph, its
        # provenance record and the union default graph change together.
        ops = self._replace_ops(name, triples, prov)
        delta = self._union_delta(name, triples, prov)
        self._update(" ;\n".join([*ops, *delta.ops()]))

    def _union_delta(self, name: URIRef, triples: list[Triple],
                     prov: list[Triple]) -> union.UnionDelta:
        """Default-graph changes that keep the union exact when ``name`` is replaced."""
        pg = str(self.provenance_graph)
        removed = [(t, str(name)) for t in union.graph_triples(self._store, str(name))]
        removed += [(t, pg) for t in union.graph_triples(self._store, pg, str(name))]
        added = union.ox_triples([*triples, *prov])
        return union.UnionDelta([], []) if not self._materialised else union.union_delta(
            self._store, removed, added)

    def remove_source(self, source_iri: URIRef) -> None:
        """Drop a source's named graph, its provenance record, and what only it stated."""
        self._replace(source_iri, [], [])

    def quads(self, *, ontology: bool = False) -> Iterator[Quad]:
        import pyoxigraph as ox

        skip = None if ontology else str(iri.ontology_graph_iri(self.base))
        for q in self._store.quads_for_pattern(None, None, None, None):
            g = q.graph_name
            if not isinstance(g, ox.NamedNode) or not g.value.startswith(self.base):
                continue
            if g.value == skip:
                continue
            yield (rdflib_term(q.subject), rdflib_term(q.predicate),
                   rdflib_term(q.object), URIRef(g.value))

    def close(self) -> None:
        """Flush and release the database (its directory lock goes with the last reference)."""
        if self.path is not None and hasattr(self, "_store"):
            self._store.flush()
            del self._store


# RocksDB's words for a directory another process holds: "While lock file: <dir>/LOCK:
# Resource temporarily unavailable".
_LOCKED_ELSEWHERE = regex.compile(r"\block\s+file\b", regex.IGNORECASE)
# ... and for one this process already holds: "lock hold by current process, …".
_LOCKED_HERE = regex.compile(r"\block\s+hold\s+by\s+current\s+process\b", regex.IGNORECASE)


def _open_error(path: Path, exc: OSError) -> str:
    """The message for a store directory that cannot be opened (a lock gets a hint)."""
    if _LOCKED_HERE.search(str(exc)):
        return (f"cannot open the store in {path}: this process already has it open "
                f"({exc}); close the other handle first")
    if _LOCKED_ELSEWHERE.search(str(exc)):
        return (f"cannot open the store in {path}: another luocdo process (serve or "
                f"ingest) has it open ({exc}); stop that process, or use another --store")
    return f"cannot open the store in {path}: {exc}"


def rdflib_term(term: Any) -> Node:
    """A pyoxigraph term (IRI, blank node or literal) as the equal rdflib term.

    Raises:
        StoreError: any other term (an RDF-star quoted triple): rdflib has none.
    """
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        return plain_literal(term.value, lang=term.language, datatype=term.datatype.value)
    raise StoreError(f"unsupported RDF term from Oxigraph: {term!r}")


@lru_cache(maxsize=1 << 16)
def _answer_term(term: Any) -> Node:
    """``rdflib_term``, remembered: answers repeat their terms (every row of a lookup
    names the same properties, documents and dates), and an rdflib ``Literal`` costs
    10-30 µs to build (it parses its lexical form) where a cache hit costs well under
    one. Both kinds of term are immutable values, so sharing them is safe."""
    return rdflib_term(term)


def _select_query(sparql: str, bindings: Mapping[str, Binding] | None, reader: str
                  ) -> tuple[str, QueryText]:
    """``sparql`` with ``bindings`` joined in, and its analysis, for a reader of SELECT
    rows as text (``select_text``, ``iter_text``).

    Raises:
        ValueError: not a SELECT, or a bad binding.
    """
    found = query_form(sparql)
    if found.form != "SELECT":
        raise ValueError(f"{reader} runs SELECT queries, not {found.form}")
    return inject_values(sparql, bindings), found


def oxigraph_answer(native: Any, materialised: bool, text: str, found: QueryText) -> Any:
    """pyoxigraph's answer to ``text`` over ``native``, whose default graph is the
    maintained union when ``materialised`` (``graph.union``).

    Raises:
        ValueError: a syntax error. StoreError: the store failed.
    """
    try:
        return native.query(text, **union.query_options(materialised, found.dataset))
    except SyntaxError as exc:
        raise ValueError(f"SPARQL syntax error: {exc}") from exc
    except (OSError, RuntimeError) as exc:
        raise StoreError(str(exc)) from exc


def native_source_triples(store: GraphStore, native: Any) -> int:
    """``store._source_triples()`` of a store over the pyoxigraph ``native``: every named
    graph's triples, less those of the few graphs that are not a source's (derived,
    counts, provenance, ontology…), each counted alone. The filter on every quad's graph
    name took 28 s at 100,000 documents, this 9 s."""
    import pyoxigraph as ox

    prefix = iri.source_graphs_prefix(store.base)
    graphs = list(native.named_graphs())
    if not all(isinstance(g, ox.NamedNode) for g in graphs):  # one SPARQL cannot name
        return GraphStore._source_triples(store)
    every = _count(store._query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"))
    others = [g for g in graphs if not g.value.startswith(prefix)]
    return every - sum(_count(store._query(
        f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {term_sparql(URIRef(g.value))} "
        f"{{ ?s ?p ?o }} }}")) for g in others)


def oxigraph_text_rows(answer: Any) -> list[dict[str, str]]:
    """The solutions of a pyoxigraph SELECT answer as ``GraphStore.select_text`` rows:
    each term's ``value`` (an IRI's text, a literal's lexical form, a blank node's
    label), which is what ``str()`` of the equal rdflib term gives."""
    return list(oxigraph_text_iter(answer))


def oxigraph_text_iter(answer: Any) -> Iterator[dict[str, str]]:
    """``oxigraph_text_rows`` one row at a time, as pyoxigraph reads them."""
    names = tuple(v.value for v in answer.variables)
    try:
        for solution in answer:
            yield {n: value.value for n, value in zip(names, solution, strict=True)
                   if value is not None}
    except AttributeError:  # an RDF-star quoted triple has no value
        raise StoreError("unsupported RDF term from Oxigraph: a quoted triple") from None
    except (OSError, RuntimeError) as exc:  # a read failing part way through the answer
        raise StoreError(str(exc)) from exc


def from_oxigraph(answer: Any) -> QueryResult:
    """A pyoxigraph answer (boolean, triples or solutions) as a ``QueryResult``."""
    return _from_oxigraph(answer)


def _from_oxigraph(answer: Any) -> QueryResult:
    import pyoxigraph as ox

    if isinstance(answer, ox.QueryBoolean):
        return QueryResult("ask", boolean=bool(answer))
    if isinstance(answer, ox.QueryTriples):
        g = _new_graph()
        for t in answer:
            g.add((rdflib_term(t.subject), rdflib_term(t.predicate), rdflib_term(t.object)))
        return QueryResult("graph", graph=g)
    names = tuple(v.value for v in answer.variables)
    term = _answer_term
    rows = tuple(
        # A solution iterates its values in the order of ``answer.variables``.
        {n: term(value) for n, value in zip(names, solution, strict=True)
         if value is not None}
        for solution in answer
    )
    return QueryResult("select", vars=names, rows=rows)


# --- any SPARQL 1.1 endpoint ------------------------------------------------------------------


class RemoteStore(GraphStore):
    """A SPARQL 1.1 Protocol endpoint (query and update over HTTP POST).

    Args:
        query_url: the query endpoint.
        update_url: the update endpoint (Virtuoso and Fuseki's dataset URL accept both
            at one URL; Oxigraph server uses ``/query`` and ``/update``).
        auth: httpx authentication (``httpx.DigestAuth`` for Virtuoso's ``/sparql-auth``).
        chunk: triples per ``INSERT DATA`` request (Virtuoso 7.2 fails near 1,500 with
            "generated SQL text has exceeded 10000 lines"). Larger graphs are written to a
            staging graph chunk by chunk, then ``MOVE``d over the source graph in one
            request, so readers never see a half-written source.
        template_chunk: triples with blank nodes per ``INSERT … WHERE {}`` request
            (Virtuoso compiles each to SQL and stops at 10,000 lines of it).
    """

    def __init__(self, query_url: str, update_url: str | None = None, *,
                 auth: httpx.Auth | None = None, base: str | None = None,
                 chunk: int = 500, template_chunk: int = 200,
                 timeout: float = 60.0) -> None:
        super().__init__(base)
        self.query_url = query_url
        self.update_url = update_url or query_url
        self.chunk = chunk
        self.template_chunk = template_chunk
        self._http = httpx.Client(auth=auth, timeout=timeout, follow_redirects=True)

    def _post(self, url: str, data: dict[str, str], accept: str) -> httpx.Response:
        try:
            response = self._http.post(url, data=data, headers={"Accept": accept})
        except httpx.HTTPError as exc:
            raise StoreError(f"cannot reach {url}: {exc}") from exc
        if response.status_code >= 400:
            detail = " ".join(response.text.split())[:500]
            raise StoreError(f"{url} answered HTTP {response.status_code}: {detail}")
        return response

    def _query(self, text: str) -> QueryResult:
        return self._run(text, query_form(text))

    def _run(self, text: str, found: QueryText) -> QueryResult:
        if found.form in ("SELECT", "ASK"):
            r = self._post(self.query_url, {"query": text}, "application/sparql-results+json")
            return from_sparql_json(r.json())
        r = self._post(self.query_url, {"query": text},
                       "application/n-triples, text/turtle;q=0.9")
        kind = r.headers.get("content-type", "").split(";")[0].strip()
        fmt = "turtle" if kind in ("text/turtle", "application/x-turtle") else "nt"
        g = Graph().parse(data=r.text, format=fmt)
        return QueryResult("graph", graph=_plain(g))

    def _update(self, text: str) -> None:
        self._post(self.update_url, {"update": text}, "*/*")

    def _replace(self, name: URIRef, triples: list[Triple], prov: list[Triple]) -> None:
        ground = [t for t in triples if not _has_bnode(t)]
        blank = [t for t in triples if _has_bnode(t)]
        if len(ground) <= self.chunk and len(blank) <= self.template_chunk:
            self._update(" ;\n".join(self._replace_ops(name, triples, prov)))
            return
        stage = URIRef(f"{name}/staging")
        self._update(f"DROP SILENT GRAPH {term_sparql(stage)}")
        parts = [*_chunks(ground, self.chunk), *_chunks(blank, self.template_chunk)]
        for part in parts:
            self._update(" ;\n".join(_insert({stage: part})))
        move = f"MOVE SILENT GRAPH {term_sparql(stage)} TO GRAPH {term_sparql(name)}"
        self._update(" ;\n".join([move, *self._replace_ops(name, [], prov, drop=False)]))

    def close(self) -> None:
        self._http.close()


def _plain(g: Graph) -> Graph:
    """Re-make literals so ``xsd:string`` is implicit, as everywhere else."""
    out = _new_graph()
    for s, p, o in g:
        if isinstance(o, Literal):
            o = plain_literal(str(o), lang=o.language,
                              datatype=str(o.datatype) if o.datatype else None)
        out.add((s, p, o))
    return out


def _remote_auth() -> httpx.Auth | None:
    """Credentials from ``LUOCDO_SPARQL_USER`` / ``_PASSWORD``; ``LUOCDO_SPARQL_AUTH``
    chooses ``basic`` (default) or ``digest`` (Virtuoso's ``/sparql-auth``)."""
    user = os.environ.get("LUOCDO_SPARQL_USER")
    if not user:
        return None
    password = os.environ.get("LUOCDO_SPARQL_PASSWORD", "")
    if os.environ.get("LUOCDO_SPARQL_AUTH", "basic").lower() == "digest":
        return httpx.DigestAuth(user, password)
    return httpx.BasicAuth(user, password)


def open_store(
    spec: str | os.PathLike[str] | None = None, *, base: str | None = None
) -> GraphStore:
    """Open the store ``spec`` names.

    Args:
        spec: ``None`` → the default directory (``default_store_path()``);
            ``":memory:"`` → a fresh in-memory Oxigraph store; ``http(s)://…`` → a
            ``RemoteStore`` (updates to ``$LUOCDO_UPDATE_URL`` if set, else the same
            URL; credentials from ``$LUOCDO_SPARQL_USER`` …); anything else → a
            directory for an on-disk Oxigraph store (created if missing).
        base: base IRI (default ``graph.iri.base_iri()``).
    """
    if spec is None:
        return OxigraphStore(default_store_path(), base=base)
    text = os.fspath(spec)
    if text == ":memory:":
        return OxigraphStore(None, base=base)
    if text.startswith(("http://", "https://")):
        return RemoteStore(text, os.environ.get("LUOCDO_UPDATE_URL") or None,
                           auth=_remote_auth(), base=base)
    return OxigraphStore(Path(text).expanduser(), base=base)
