"""Citation entries: each citation's row of ``cited_by``, packed on the citation node.

"What cites this directive?" returns one row per citation with the relation, the date
the citing text gives, the quote, its offsets and the file it was read from. Read
through the normalised graph, that is a lookup per value and row (citation → relation,
cited date, evidence → quote, offsets, file → path): about 100 µs per row on Oxigraph,
half a second for a directive cited by 4,500 documents. So every citation node also
carries those values packed (``graph.packed``) in one literal::

    <citation> lo:citationEntry "<relation IRI>\\t2021-09-02\\t<quote>\\t120\\t160\\t…" .

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

from rdflib import Literal, URIRef

from graph.packed import pack
from ingest.models import Span

__all__ = ["CITATION_FIELDS", "citation_entry"]

# The values of one entry, in order: the ``# unpack:`` line of cited_by.rq names the same
# columns (a test holds the two together).
CITATION_FIELDS = ("relation", "citedDate", "quote", "start", "end", "path", "statedBy")


def citation_entry(relation: URIRef, cited_date: dt.date | None, span: Span, path: str,
                   stated_by: URIRef | None = None) -> Literal:
    """The packed ``lo:citationEntry`` of a citation whose evidence is ``span`` of the
    file at ``path`` (its ``lo:path``)."""
    return Literal(pack([str(relation), cited_date.isoformat() if cited_date else None,
                         span.text, str(span.start), str(span.end), path,
                         str(stated_by) if stated_by is not None else None]))
