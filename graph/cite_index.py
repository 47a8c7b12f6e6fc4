"""Citation entries: each citation's row of ``cited_by``, packed on the citation node.

"What cites this directive?" returns one row per citation with the relation, the date
the citing text gives, the quote, its offsets and the file it was read from. Read
through the normalised graph, that is a lookup per value and row (citation → relation,
cited date, evidence → quote, offsets, file → path): about 100 µs per row on Oxigraph,
half a second for a directive cited by 4,500 documents. So every citation node also
carries those values packed (``graph.packed``) in one literal::

    <citation> lo:citationEntry "<relation IRI>\\t2021-09-02\\t<quote>\\t120\\t160\\t…" .

An entry also names its citation, the citing and the cited document and the issuer
written beside the mention (the last four values), so that a whole-store read of every
citation (``graph.reports.read_citations`` unbound: the ``conflicts`` report) reads one
literal per citation. On Oxigraph each value read costs a lookup in its string table
(about 4 µs on a 7 GB store), and five values per citation made that read 36 s at
100,000 documents. Entries written before these four were added hold the first seven
values only; such a store is read value by value, as before.

``graph/queries/cited_by.rq`` reads the entry instead of the values (``# unpack:``), so
it lists only citations that have one (a store written before entries existed lists a
file's citations once that file is ingested again). ``graph.reports.read_citations``
reads entries too, and reads a citation without one value by value.
The entry lives in the same named graph as the facts it repeats, so replacing or
removing a file replaces or removes it with them. Like the due index, it is written by
the ingest pipeline: a SPARQL Update that edits a citation directly leaves its entry as
it was, until its file is ingested again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rdflib import Literal, URIRef

from graph.packed import pack
from ingest.models import Span

__all__ = ["CITATION_FIELDS", "NODE_FIELDS", "CitationNode", "citation_entry"]

# The values of one entry, in order: the ``# unpack:`` line of cited_by.rq names the
# first seven (a test holds the two together); cited_by reads its citing document from
# the graph and leaves the last four, which a whole-store read uses (added later: an
# entry written before holds the first seven only).
CITATION_FIELDS = ("relation", "citedDate", "quote", "start", "end", "path", "statedBy")
NODE_FIELDS = ("c", "citing", "cited", "issuer")


@dataclass(frozen=True, slots=True)
class CitationNode:
    """What an entry says of the citation node itself: its IRI, the citing and the cited
    document, and the issuer written beside the mention (``lo:citedIssuer``)."""

    node: URIRef
    citing: URIRef
    cited: URIRef
    issuer: str | None = None


def citation_entry(relation: URIRef, cited_date: dt.date | None, span: Span, path: str,
                   node: CitationNode, stated_by: URIRef | None = None) -> Literal:
    """The packed ``lo:citationEntry`` of citation ``node`` whose evidence is ``span`` of
    the file at ``path`` (its ``lo:path``)."""
    return Literal(pack([str(relation), cited_date.isoformat() if cited_date else None,
                         span.text, str(span.start), str(span.end), path,
                         str(stated_by) if stated_by is not None else None,
                         str(node.node), str(node.citing), str(node.cited), node.issuer]))
