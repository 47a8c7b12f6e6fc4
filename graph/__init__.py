"""Records → RDF in a quad store (one named graph per source file), and queries over it.

Public API::

    from graph import open_store, ingest_paths, run_named
    with open_store("kg") as store:                 # a directory, ":memory:" or a SPARQL URL
        ingest_paths(store, ["corpus/"])
        rows = run_named(store, "cited_by", doc="33/CT-TTg")

See docs/graph.md for the IRI scheme, the evidence model and the stores.
"""

from graph.iri import base_iri, document_iri
from graph.pipeline import IngestSummary, ingest_paths, refresh_derived
from graph.queries import list_queries, load_query, run_named
from graph.rdf import file_graph
from graph.store import GraphStore, OxigraphStore, RemoteStore, StoreError, open_store

__all__ = [
    "GraphStore",
    "IngestSummary",
    "OxigraphStore",
    "RemoteStore",
    "StoreError",
    "base_iri",
    "document_iri",
    "file_graph",
    "ingest_paths",
    "list_queries",
    "load_query",
    "open_store",
    "refresh_derived",
    "run_named",
]
