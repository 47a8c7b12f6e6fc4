"""The due index: every deadline's row of a date-window query, packed, by month.

A date window ("what is due between 1 January and 31 March?") over a national corpus
returns thousands of obligations (``obligations_due``, and ``GET /obligations`` through
``obligations_window``). Read through the normalised graph, each row costs one
index lookup per value (deadline → obligation → document, symbol, bearer, recipient,
frequency, evidence, quote): about 200 µs per row on Oxigraph, 250 ms for a quarter at
100,000 documents. So every file's graph also carries, for each of its deadlines, one
packed row (``graph.packed``) on the node of the month it falls in::

    <base>index/due/2024-12 a lo:DueIndexMonth ;
        lo:indexMonthKey "2024-12" ;
        lo:dueEntry "2024-12-15\\t<obligation>\\t<document>\\t…" .

(``--12`` for a recurring day of December). ``graph/queries/obligations_due_entries.rq``
reads the months a window spans, one range read each, and filters the rows on their
leading due day; ``graph.queries`` unpacks the ``# unpack:`` column. A refresh gathers
the entries of each day, from every file, into the due pages (``graph.due_pages``),
which ``obligations_due`` and ``obligations_window`` read: one value per day instead of
one per deadline. The entry lives in the
same named graph as the facts it repeats, so replacing or removing a file replaces or
removes its entries with them: the index never outlives the facts.

An entry also carries what ``GET /obligations`` would otherwise read per row
(``api.obligation_window``): how many deadlines the obligation has, and the creating
document's date as its file's header gives it. Entries written before these two were
added hold the first twelve values only; readers then look those facts up.

The document's symbol is the one the creating file's own header gives (the symbol its
graph states for the document). The index is written by the ingest pipeline: a SPARQL
Update that edits an obligation directly leaves its entry as it was, until its file is
ingested again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from graph import iri
from graph.packed import pack
from ontology.ns import LO

__all__ = ["ENTRY_FIELDS", "DueEntry", "due_index_triples", "month_key"]

Triple = tuple[Node, Node, Node]

# The values of one entry, in order: the ``# unpack:`` line of obligations_due.rq names
# the same columns (a test holds the two together). The due day comes first so that a
# query can filter on the entry's first ten characters without unpacking it, and the
# document and obligation next, so that entries sort as the answer does: by due day,
# document, obligation (TAB sorts before any character of a value).
# The last two were added later (``# unpack:`` brackets them): a store mapped before
# them holds entries of the first twelve only.
ENTRY_FIELDS = ("due", "doc", "obligation", "docSymbol", "bearer", "recipient",
                "frequency", "quote", "action", "start", "end", "path", "deadlines", "docDate")


@dataclass(frozen=True, slots=True)
class DueEntry:
    """One deadline's row of the date-window query."""

    due: Literal  # xsd:date, or xsd:gMonthDay for a recurring day
    obligation: URIRef
    doc: URIRef
    doc_symbol: str | None
    bearer: str | None
    recipient: str | None
    frequency: URIRef | None
    quote: str | None  # the obligation's evidence: its quote, offsets and source file
    action: str | None = None
    start: int | None = None
    end: int | None = None
    path: str | None = None  # the file's lo:path
    # how many deadlines the obligation has (an obligation with several is due on the
    # first, so a date window reads it in full); None: not known
    deadlines: int | None = None
    # the creating document's date as the same file's header gives it (a recurring day
    # starts in the document's year); None: the file gives none
    doc_date: dt.date | None = None

    def packed(self) -> str:
        def text(value: object) -> str | None:
            return None if value is None else str(value)

        return pack([str(self.due), str(self.doc), str(self.obligation), self.doc_symbol,
                     self.bearer, self.recipient, text(self.frequency), self.quote,
                     self.action, text(self.start), text(self.end), self.path,
                     text(self.deadlines), text(self.doc_date)])


def month_key(due: Literal) -> str:
    """"2024-12" for a due date in December 2024; "--12" for a recurring 15 December."""
    text = str(due)
    return text[:4] if due.datatype == XSD.gMonthDay else text[:7]


def due_index_triples(entry: DueEntry, base: str) -> list[Triple]:
    """The triples that put ``entry`` on its month's index node."""
    key = month_key(entry.due)
    node = iri.due_month_iri(key, base)
    return [(node, RDF.type, LO.DueIndexMonth),
            (node, LO.indexMonthKey, Literal(key)),
            (node, LO.dueEntry, Literal(entry.packed()))]
