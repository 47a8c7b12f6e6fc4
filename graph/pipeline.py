"""Files → store: extract each file, replace its named graph, then re-derive cross-file facts.

One source file is one named graph, named from the file's absolute, normalised path
(``graph.iri.source_graph_iri``). Re-ingesting a file replaces its graph, so a corpus
can be ingested again and again without duplicates. A broken file is reported and
skipped; the others still land.

A file that moved is a new path, hence a new graph. So that the old copy does not
linger, a graph whose file no longer exists and whose SHA-256 equals that of a file
just ingested is dropped (``IngestSummary.moved``). A deleted file's graph stays until
``GraphStore.remove_source`` is called for it.

Cross-file resolution (``refresh_derived``): a document known only from an undated
mention (identity key without ``@year``, ``lo:unresolved true``) is linked with
``lo:sameDocumentAs`` to the one dated document whose key is the same symbol plus a
year, when exactly one such document is in the store. The links live in their own
named graph, ``<base>graph/derived``, recomputed from scratch after every ingest, so
they never outlive the facts they rest on and never touch a source graph. Two or
more candidates (a number reused in another year) leave the mention unresolved.
The same graph holds ``lo:followsSection`` links from a report's sections to the
outline sections they answer (``graph.follows``). Then the counts that aggregate queries
read (``graph.counts``) are recomputed into ``<base>graph/derived/counts``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from rdflib import Graph, URIRef

from graph import iri
from graph.counts import count_graph
from graph.follows import follows_graph
from graph.rdf import file_graph
from graph.store import GraphStore, SourceInfo
from ingest.extract import extract_file
from ingest.models import IngestError
from ingest.read import display_path
from ingest.walk import iter_inputs
from ontology.ns import LO

__all__ = ["IngestSummary", "Landed", "ingest_paths", "refresh_derived"]

Progress = Callable[[int, int, str], None]  # (done, total, path just handled)


class Landed(NamedTuple):
    """A file whose graph is now in the store."""

    path: str
    source_iri: URIRef
    documents: int


@dataclass(frozen=True, slots=True)
class IngestSummary:
    """What one ``ingest_paths`` call did."""

    landed: tuple[Landed, ...]
    failed: tuple[IngestError, ...]
    moved: tuple[SourceInfo, ...] = ()  # graphs of files that moved, now dropped
    resolved: int = 0  # undated mentions linked by lo:sameDocumentAs

    @property
    def ok(self) -> bool:
        return not self.failed


def _ingest_one(store: GraphStore, path: Path, base: str, max_bytes: int | None) -> Landed:
    result = extract_file(path, max_bytes=max_bytes)
    graph_iri = iri.source_graph_iri(path, base)
    store.replace_source(graph_iri, file_graph(result, base=base))
    return Landed(display_path(path), graph_iri, len(result.documents))


def ingest_paths(
    store: GraphStore,
    paths: Sequence[str | Path],
    *,
    base: str | None = None,
    progress: Progress | None = None,
    max_bytes: int | None = None,
    on_file: Callable[[Landed | IngestError], None] | None = None,
) -> IngestSummary:
    """Ingest files and folders (recursively) into ``store``.

    Args:
        store: where the graphs go.
        paths: files and folders, as the user gave them.
        base: base IRI (default: the store's).
        progress: called after each input with (done, total, path).
        max_bytes: refuse files larger than this (default: ``ingest.read``'s limit).
        on_file: called with each input's outcome as soon as it is known: its
            ``Landed`` record (its graph is in the store) or its ``IngestError``.

    Returns:
        The files that landed, those that failed (with the reason), graphs dropped
        because their file moved, and how many undated mentions were resolved.
    """
    base = iri.base_iri(base or store.base)
    store.ensure_ontology()
    items = list(iter_inputs(list(paths)))
    landed: list[Landed] = []
    failed: list[IngestError] = []
    for done, item in enumerate(items, start=1):
        outcome: Landed | IngestError
        if isinstance(item, IngestError):
            outcome = item
        else:
            try:
                outcome = _ingest_one(store, item, base, max_bytes)
            except IngestError as exc:
                outcome = exc
            except Exception as exc:  # one bad file must not stop a batch
                outcome = IngestError(display_path(item), f"internal error: "
                                      f"{type(exc).__name__}: {exc}", "please report this file")
        if isinstance(outcome, IngestError):
            failed.append(outcome)
        else:
            landed.append(outcome)
        if on_file is not None:
            on_file(outcome)
        if progress is not None:
            progress(done, len(items),
                     item.path if isinstance(item, IngestError) else display_path(item))
    moved = _drop_moved(store, landed)
    resolved = refresh_derived(store)
    return IngestSummary(tuple(landed), tuple(failed), moved, resolved)


def _drop_moved(store: GraphStore, landed: Sequence[Landed]) -> tuple[SourceInfo, ...]:
    """Drop graphs of files that no longer exist and whose content just landed elsewhere."""
    if not landed:
        return ()
    sources = store.sources()
    fresh = {str(item.source_iri) for item in landed}
    fresh_hashes = {s.sha256 for s in sources if str(s.graph) in fresh}
    gone = tuple(
        s for s in sources
        if str(s.graph) not in fresh and s.sha256 in fresh_hashes and not os.path.exists(s.path)
    )
    for s in gone:
        store.remove_source(s.graph)
    return gone


_CANDIDATES = """
PREFIX lo: <https://w3id.org/luocdo/ontology#>
SELECT ?undated (SAMPLE(?dated) AS ?match) WHERE {
  ?undated lo:unresolved true ;
           lo:identityKey ?key .
  ?dated lo:symbolKey ?key ;
         lo:identityKey ?datedKey .
  FILTER (CONTAINS(?datedKey, "@"))
}
GROUP BY ?undated
HAVING (COUNT(DISTINCT ?dated) = 1)
"""


def refresh_derived(store: GraphStore) -> int:
    """Recompute ``<base>graph/derived`` (see the module docstring).

    Returns:
        How many undated mentions were linked to a dated document.
    """
    derived = Graph()
    for row in store.query(_CANDIDATES):
        if "match" in row:
            derived.add((row["undated"], LO.sameDocumentAs, row["match"]))
    resolved = len(derived)
    same_as = {str(s): str(o) for s, _, o in derived}
    derived += follows_graph(store, same_as)
    store.replace_source(iri.derived_graph_iri(store.base), derived)
    store.replace_source(iri.counts_graph_iri(store.base), count_graph(store, store.base))
    return resolved
