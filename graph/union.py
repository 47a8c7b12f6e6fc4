"""The materialised union default graph of an Oxigraph store.

luocdo keeps one named graph per source file, and a document cited by many files is
described (type, symbol, identity key) in every one of them. Oxigraph's
``use_default_graph_as_union`` answers a pattern once *per named graph that states it*,
so a join about a document mentioned in k files yields about k² rows: at 10,000
synthetic documents, 4,481 copies of the directive most cited turned two-pattern joins
into 20 M intermediate rows (benchmarks/README.md, "Why Oxigraph is slow here").

So the Oxigraph store materialises the union instead: its real default graph holds each
ground triple of every named graph exactly once (set semantics, like the RDF merge), and
queries run on the default graph. The store keeps it exact on every write:

* a triple a write adds to a named graph is added to the default graph;
* a triple a write removes from a named graph leaves the default graph only when no
  other named graph still states it (checked on Oxigraph's quad indexes, which answer
  "which graphs hold ``s p o``" without a scan).

Both go into the same SPARQL Update request as the named-graph change, which Oxigraph
runs as one transaction: a reader never sees the two disagree, and a crash leaves
either both or neither.

Triples with a blank node (the ontology's OWL restrictions and lists; source graphs have
none) stay in their named graph only: a blank node means one node only inside one
graph, so copying it would mint a different node. Query them with ``GRAPH``.

A marker triple in the default graph (``MARK``) says the store is maintained this way.
A store written by an older luocdo has none and is rebuilt when opened for writing;
until then, and for a read-only copy without the marker, queries fall back to
``use_default_graph_as_union``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

__all__ = [
    "MARK_OBJECT",
    "MARK_PREDICATE",
    "MARK_SUBJECT",
    "UnionDelta",
    "is_materialised",
    "query_options",
    "rebuild",
    "union_delta",
]

MARK_SUBJECT = "urn:luocdo:store"
MARK_PREDICATE = "urn:luocdo:defaultGraph"
MARK_OBJECT = "materialised-union/1"

OxTriple = tuple[Any, Any, Any]

_BATCH = 100_000  # quads per write while rebuilding: bounded memory on any store size


def _mark() -> Any:
    import pyoxigraph as ox

    return ox.Quad(ox.NamedNode(MARK_SUBJECT), ox.NamedNode(MARK_PREDICATE),
                   ox.Literal(MARK_OBJECT), ox.DefaultGraph())


def is_materialised(native: Any) -> bool:
    """Whether ``native``'s default graph is the maintained union (the marker is there)."""
    m = _mark()
    return next(iter(native.quads_for_pattern(m.subject, m.predicate, m.object,
                                               m.graph_name)), None) is not None


def query_options(materialised: bool, declares_dataset: bool) -> dict[str, Any]:
    """Keyword arguments for ``pyoxigraph.Store.query``.

    A maintained store queries its default graph as it is. Otherwise the union flag
    stands in, except when the query names its own dataset (``FROM``): pyoxigraph
    ignores ``FROM`` when the flag is on.
    """
    if materialised or declares_dataset:
        return {}
    return {"use_default_graph_as_union": True}


def to_ox(term: Node) -> Any:
    """An rdflib term as a pyoxigraph term (plain literals become ``xsd:string``)."""
    import pyoxigraph as ox

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def is_ground(t: OxTriple) -> bool:
    """Whether ``t`` has no blank node (one is local to the graph or store it is in)."""
    import pyoxigraph as ox

    return not isinstance(t[0], ox.BlankNode) and not isinstance(t[2], ox.BlankNode)


def _line(t: OxTriple) -> str:
    return f"{t[0]} {t[1]} {t[2]} ."


class UnionDelta:
    """Default-graph lines to delete and insert for one write (see ``union_delta``)."""

    __slots__ = ("delete", "insert")

    def __init__(self, delete: list[str], insert: list[str]) -> None:
        self.delete = delete
        self.insert = insert

    def ops(self) -> list[str]:
        """SPARQL Update operations (none when nothing changes)."""
        out = []
        if self.delete:
            out.append("DELETE DATA {\n" + "\n".join(self.delete) + "\n}")
        if self.insert:
            out.append("INSERT DATA {\n" + "\n".join(self.insert) + "\n}")
        return out


def _stated_elsewhere(native: Any, t: OxTriple, leaving: set[tuple[OxTriple, str]]) -> bool:
    """Whether a named graph other than the ones ``t`` is leaving still states ``t``."""
    import pyoxigraph as ox

    for q in native.quads_for_pattern(t[0], t[1], t[2], None):
        g = q.graph_name
        if isinstance(g, ox.DefaultGraph):
            continue
        if (t, g.value) not in leaving:
            return True
    return False


def _in_default(native: Any, t: OxTriple) -> bool:
    import pyoxigraph as ox

    return next(iter(native.quads_for_pattern(t[0], t[1], t[2], ox.DefaultGraph())),
                None) is not None


def union_delta(
    native: Any,
    removed: Iterable[tuple[OxTriple, str]],
    added: Iterable[OxTriple],
) -> UnionDelta:
    """What the default graph must lose and gain when a write lands.

    Args:
        native: the pyoxigraph store before the write.
        removed: (triple, graph IRI) pairs the write takes out of named graphs.
        added: triples the write puts into named graphs.
    """
    adding = {t for t in added if is_ground(t)}
    leaving = {(t, g) for t, g in removed if is_ground(t)}
    gone = {t for t, _ in leaving if t not in adding}
    delete = sorted(_line(t) for t in gone if not _stated_elsewhere(native, t, leaving))
    insert = sorted(_line(t) for t in adding if not _in_default(native, t))
    return UnionDelta(delete, insert)


def graph_triples(native: Any, graph: str, subject: str | None = None) -> Iterator[OxTriple]:
    """Triples of named graph ``graph`` (only those about ``subject`` when given)."""
    import pyoxigraph as ox

    s = ox.NamedNode(subject) if subject is not None else None
    for q in native.quads_for_pattern(s, None, None, ox.NamedNode(graph)):
        yield q.subject, q.predicate, q.object


def ox_triples(triples: Sequence[tuple[Node, Node, Node]]) -> set[OxTriple]:
    """rdflib triples as pyoxigraph triples, in the form the store keeps them.

    Oxigraph stores typed literals by value and gives them back in canonical form
    (``"…T16:35:26+00:00"^^xsd:dateTime`` comes back as ``"…T16:35:26Z"``), so the
    triples pass through a scratch in-memory store to compare equal to stored ones.
    """
    import pyoxigraph as ox

    scratch = ox.Store()
    scratch.extend([ox.Quad(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in triples])
    return {(q.subject, q.predicate, q.object) for q in scratch}


def rebuild(native: Any, *, bulk: bool = False, nquads: str | None = None) -> int:
    """Recompute the default graph from the named graphs.

    Args:
        native: the pyoxigraph store.
        bulk: copy through N-Quads and ``bulk_load`` (parsing and sorting in Rust:
            many times faster and far more compact on disk, but, like ``bulk_load``
            itself, not safe against a crash: only for a store being loaded from
            scratch). Otherwise each batch of quads is one transaction.
        nquads: with ``bulk``, the N-Quads file the store was just bulk-loaded from (all
            of its content): read instead of dumping the store again.

    Not one transaction overall (a large store would not fit in memory): the marker is
    removed first and written last, so an interrupted rebuild leaves a store that
    queries fall back to the union flag for, and that the next writer rebuilds again.

    Returns:
        How many quads were copied (a triple stated by n graphs counts n times).
    """
    clear(native)
    count = _bulk_copy(native, nquads) if bulk else _copy(native)
    native.add(_mark())
    return count


def clear(native: Any) -> None:
    """Empty the default graph, the marker with it: a rebuild's first step (``rebuild``;
    a rebuild done a piece at a time, ``load_union``, then ``mark``)."""
    native.update("CLEAR DEFAULT")


def _copy(native: Any) -> int:
    import pyoxigraph as ox

    batch: list[Any] = []
    count = 0
    for q in native.quads_for_pattern(None, None, None, None):
        if isinstance(q.graph_name, ox.DefaultGraph):
            continue
        t = (q.subject, q.predicate, q.object)
        if is_ground(t):
            batch.append(ox.Quad(*t, ox.DefaultGraph()))
        if len(batch) >= _BATCH:
            native.extend(batch)
            count += len(batch)
            batch = []
    native.extend(batch)
    return count + len(batch)


def union_lines(lines: Iterable[bytes]) -> Iterator[bytes]:
    """The union default graph's triples, as N-Triples lines, of N-Quads ``lines`` (as
    bytes: UTF-8 is kept as it is): each named graph's ground quad without its graph
    (blank nodes stay behind)."""
    for line in lines:
        body, _, graph = line.rstrip(b" .\n").rpartition(b" ")
        obj = body.rpartition(b" ")[2]
        blank = body.startswith(b"_:") or (obj.startswith(b"_:") and b'"' not in obj)
        # a named graph's quad ends with "<graph> ."
        if graph.startswith(b"<") and not blank:
            yield body + b" .\n"


def load_union(native: Any, nquads: bytes) -> int:
    """Bulk-load into the default graph the union triples of ``nquads`` (whole N-Quads
    lines of the store's content: a piece of the file it was bulk-loaded from); how
    many. Not safe against a crash, as ``bulk_load`` is not: for a store being loaded
    from scratch, whose rebuild is done again a piece at a time after one."""
    import pyoxigraph as ox

    triples = list(union_lines(nquads.splitlines(keepends=True)))
    native.bulk_load(input=b"".join(triples), format=ox.RdfFormat.N_TRIPLES)
    return len(triples)


def _bulk_copy(native: Any, source: str | None = None) -> int:
    """Dump the named graphs as N-Quads, drop each line's graph, bulk-load as triples."""
    import os
    import tempfile

    import pyoxigraph as ox

    count = 0
    with tempfile.TemporaryDirectory(prefix="luocdo-union-") as tmp:
        quads, triples = source or os.path.join(tmp, "all.nq"), os.path.join(tmp, "union.nt")
        if source is None:
            native.dump(quads, format=ox.RdfFormat.N_QUADS)
        with open(quads, "rb") as src, open(triples, "wb") as out:
            for line in union_lines(src):
                out.write(line)
                count += 1
        if source is None:
            os.unlink(quads)
        native.bulk_load(path=triples, format=ox.RdfFormat.N_TRIPLES)
    return count


def mark(native: Any) -> None:
    """Write the marker: the default graph is the maintained union (an empty store, or
    one whose union was loaded a piece at a time, ``load_union``)."""
    native.add(_mark())
