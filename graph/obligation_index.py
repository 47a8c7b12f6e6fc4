"""Obligation entries: each obligation's values, packed on the obligation node.

Whole-store readers (``graph.reports.submissions``, the calendar, ``GET /obligations``
without a window) read every obligation of the store. Read through the normalised
graph that is a value per field (creating document, bearer, recipient, action,
deadline, frequency, delegations, evidence quote, offsets, file), each a lookup in
Oxigraph's string table: 12 s for the 55,648 obligations of the 100,000-document
synthetic corpus. So every obligation node also carries its values packed
(``graph.packed``) in one literal::

    <obligation> lo:obligationEntry "<obligation>\\t<document>\\t<bearer>\\t…" .

``graph.reports.read_obligations`` unbound reads the entries (``obligation_entries``)
and reads an obligation without one (a store mapped before entries existed, or an
obligation stated by hand) value by value, as before. Reads bound to documents or
obligations read the values: a few lookups each.

The entry lives in the same named graph as the facts it repeats, so replacing or
removing a file replaces or removes it with them. Like the due index, it is written by
the ingest pipeline from the values the file's graph states: a SPARQL Update that
edits an obligation directly leaves its entry as it was until its file is ingested
again, and a value another graph adds to the obligation (``lo:requiresOutline``, which
the mapping never writes) is read only by the bound reads.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from graph.packed import pack
from ingest.models import Span

__all__ = ["OBLIGATION_FIELDS", "obligation_entry"]

# The values of one entry, in order. ``delegatesTo`` holds the IRIs of the obligations
# delegated to, sorted and joined by a space (an IRI holds no space); the evidence
# columns are empty for an obligation written without evidence (an empty quote).
OBLIGATION_FIELDS = ("o", "doc", "bearer", "recipient", "action", "dueDate", "dueMonthDay",
                     "frequency", "delegatesTo", "quote", "start", "end", "path")


def obligation_entry(node: URIRef, creator: URIRef, *, bearer: str | None,
                     recipient: str | None, action: str | None, due: Literal | None,
                     frequency: URIRef | None, delegates: Iterable[URIRef],
                     span: Span | None, path: str) -> Literal:
    """The packed ``lo:obligationEntry`` of obligation ``node``, created by ``creator``.

    The texts are as the graph states them (None when it states none); ``due`` is the
    deadline literal (``xsd:date``, or ``xsd:gMonthDay`` for a recurring day); ``span``
    the evidence (None: the obligation has none); ``path`` its file's ``lo:path``.
    """
    recurring = due is not None and due.datatype == XSD.gMonthDay
    due_text = str(due) if due is not None else None
    return Literal(pack([
        str(node), str(creator), bearer, recipient, action,
        None if recurring else due_text, due_text if recurring else None,
        str(frequency) if frequency is not None else None,
        " ".join(sorted(str(d) for d in delegates)) or None,
        span.text if span else None, str(span.start) if span else None,
        str(span.end) if span else None, path if span else None,
    ]))
