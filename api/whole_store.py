"""The whole-store reports the API keeps (``api.report_keeper``): each reads the whole
store, takes only the store, and returns what its endpoint serves.

They run in a query worker (``api.query_runner``), so they are module-level functions
(a process worker receives them by name).
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from rdflib import URIRef

from api.cache import entity_tag
from api.encoding import gzip_bytes, gzip_tag
from api.obligation_window import obligation_rows, obligation_rows_of, row_order
from graph.calendar import CALENDAR_TAIL, calendar_head, events_of, vevent_text
from graph.iri import source_graphs_prefix
from graph.reports import ObligationFact, creator_headers, obligations, read_obligations
from graph.store import SourceInfo

__all__ = ["CalendarFile", "StoreCounts", "calendar_file", "conflict_rows", "store_counts",
           "submission_rows", "whole_store_reports", "whole_store_updates"]


class EventSpan(NamedTuple):
    """Where one obligation's event is in a ``CalendarFile``'s body, and what orders it."""

    start: int
    end: int
    order: tuple[dt.date, str]  # (first day, UID), the calendar's order (graph.calendar)
    document: str | None  # the document that creates the obligation


class CalendarEntry(NamedTuple):
    """One event of a calendar being put together: its obligation, that obligation's
    document, its place in the calendar's order, and its folded text."""

    obligation: str
    document: str | None
    order: tuple[dt.date, str]
    text: str


@dataclass(frozen=True, slots=True)
class CalendarFile:
    """``/calendar.ics`` as served: the UTF-8 bytes, the same gzip-compressed, and the
    entity tag of each (``api.encoding``).

    Built once per store generation: at 100,000 documents the calendar is 49.5 MB, and
    calendar clients poll it; a client that sends a tag back (``If-None-Match``) gets
    a 304 instead of the file, one that accepts gzip gets the compressed bytes, and no
    request encodes, compresses or hashes it again. ``events`` gives each obligation's
    event as a byte span of ``body`` (in the body's order), so that a filtered calendar
    (``only``) or the next generation's (``update_calendar``) is cut from it rather
    than read from the store again."""

    body: bytes
    etag: str
    gzipped: bytes
    gzip_etag: str
    events: Mapping[str, EventSpan]

    @classmethod
    def of(cls, head: str, entries: Iterable[CalendarEntry]) -> CalendarFile:
        """The file of ``head``, then each entry's text (in the order given), then the
        tail."""
        parts = [head.encode("utf-8")]
        spans, at = {}, len(parts[0])
        for entry in entries:
            data = entry.text.encode("utf-8")
            parts.append(data)
            spans[entry.obligation] = EventSpan(at, at + len(data), entry.order, entry.document)
            at += len(data)
        body = b"".join([*parts, CALENDAR_TAIL.encode("utf-8")])
        etag = entity_tag(body)
        return cls(body, etag, gzip_bytes(body), gzip_tag(etag), spans)

    def entries(self, keep: Callable[[str, EventSpan], bool]) -> list[CalendarEntry]:
        """The events ``keep`` keeps, as entries, in this calendar's order."""
        return [CalendarEntry(o, span.document, span.order,
                              self.body[span.start:span.end].decode("utf-8"))
                for o, span in self.events.items() if keep(o, span)]

    def only(self, obligations: Iterable[str], subtitle: str | None) -> CalendarFile:
        """The calendar of these obligations' events (in this calendar's order), named
        with ``subtitle``."""
        wanted = set(obligations)
        return CalendarFile.of(calendar_head(subtitle),
                               self.entries(lambda o, _: o in wanted))


def calendar_entries(store: Any, obls: Sequence[ObligationFact]) -> list[CalendarEntry]:
    """The events of the obligations ``obls`` (every obligation of each of their
    documents, for a recurring deadline's first year to be the whole store's), in the
    calendar's order."""
    events, _ = events_of(creator_headers(store, obls), obls)
    document = {o.iri: o.document for o in obls}
    return [CalendarEntry(e.obligation, document.get(e.obligation), (e.start, e.uid),
                          vevent_text(e)) for e in events]


def calendar_file(store: Any) -> CalendarFile:
    """``/calendar.ics``: every deadline as an iCalendar (``graph.calendar``)."""
    return CalendarFile.of(calendar_head(), calendar_entries(store, obligations(store)))


def conflict_rows(store: Any) -> list[dict[str, Any]]:
    """``/conflicts``: documents cited with different dates or issuers."""
    from graph.reports import conflicts

    return [c.as_dict() for c in conflicts(store)]


def submission_rows(store: Any, obligation: str | None = None) -> list[dict[str, Any]]:
    """``/submissions``: appendix-table cells judged against their deadlines (all of them,
    or those of one ``obligation``)."""
    from graph.reports import submissions

    return [s.as_dict() for s in submissions(store, obligation)]


def source_list(store: Any) -> list[SourceInfo]:
    """``/sources``: every ingested source file, by path."""
    return list(store.sources())


@dataclass(frozen=True, slots=True)
class StoreCounts:
    """``/stats`` as kept: what it serves (``counts``), and the triples of each source
    graph (``graphs``, by IRI), whose sum is ``counts["triples"]``: after a write only the
    graphs it wrote are counted again (``update_store_counts``)."""

    counts: dict[str, Any]
    graphs: dict[str, int]


def store_counts(store: Any) -> StoreCounts:
    """``/stats``: how many sources, documents (and of each type), citations,
    obligations, sections and triples (the triples are counted graph by graph: 8 s at
    100,000 documents)."""
    return _with_triples(_lookup_counts(store), store.graph_triples())


def _lookup_counts(store: Any) -> dict[str, Any]:
    """Every count but the triples (lookups and counts of typed nodes: 0.6 s at 100,000
    documents), in the order ``/stats`` shows them, the documents by type last."""
    from graph.queries import run_named

    counts: dict[str, Any] = dict(store.stats(triples=False))
    by_type: dict[str, int] = {}
    for row in run_named(store, "stats"):
        slug = str(row.get("docType", "")).rpartition("#")[2].removeprefix("type-")
        by_type[slug or "unknown"] = int(str(row["documents"]))
    counts["by_type"] = by_type
    return counts


def _with_triples(counts: dict[str, Any], graphs: dict[str, int]) -> StoreCounts:
    """``counts`` with the triples of the source graphs ``graphs``."""
    by_type = counts["by_type"]
    out = {k: v for k, v in counts.items() if k != "by_type"}
    out["triples"] = sum(graphs.values())
    out["by_type"] = by_type
    return StoreCounts(out, graphs)


def whole_store_reports() -> dict[str, Callable[[Any], Any]]:
    """The reports the keeper builds, by name, in the order it builds them after start:
    ``/obligations`` without a window first (its default listing), then the calendar,
    the list of sources, conflicts, submissions and the store's counts. (After a write,
    those it brings up to date come first, in this order: the conflicts of a directive
    cited 43,000 times re-read every mention of it, 3.4 s at 100,000 documents.)"""
    return {"obligations": obligation_rows, "calendar": calendar_file,
            "sources": source_list, "conflicts": conflict_rows,
            "submissions": submission_rows, "stats": store_counts}


# --- bringing the reports up to date after a write ------------------------------------------
#
# A write notes every IRI of every graph it takes out or puts in, whole
# (``graph.pipeline.DerivedChanges.touched``): each document and obligation of a file
# written, before and after, each document another written file mentions (as cited,
# too), and each written source's graph are among the touched nodes. The obligation rows
# and the calendar are per document (an obligation's row and event read that obligation,
# its deadline, evidence and file, the document that creates it, its header and issuer,
# and that document's other obligations, for a recurring deadline's first year);
# conflicts are per cited document (its header and every mention of it); sources per
# graph. Reading those of the touched nodes again, and keeping the rest of the answer,
# gives the whole store's answer. An obligation touched without its document (never
# written so), or a write that touched too many nodes, has the answer read whole.

UPDATE_MAX_TOUCHED = 50_000


def fresh_obligation_rows(store: Any, touched: tuple[str, ...]) -> list[dict[str, Any]]:
    """The rows (``obligation_rows``) of the obligations of the touched documents."""
    return obligation_rows_of(store, read_obligations(store, documents=touched))


def fresh_calendar_entries(store: Any, touched: tuple[str, ...]) -> list[CalendarEntry]:
    """The events of the obligations of the touched documents."""
    return calendar_entries(store, read_obligations(store, documents=touched))


Runner = Callable[..., Any]  # runs a task (a function taking the store, and its args)


def _readable(touched: frozenset[str], hit: Iterable[str | None]) -> bool:
    """Whether the touched documents' obligations can be read again: not too many nodes,
    and every touched obligation of the answer has a document (``hit``: theirs)."""
    return len(touched) <= UPDATE_MAX_TOUCHED and all(d in touched for d in hit)


def update_obligation_rows(old: list[dict[str, Any]], touched: frozenset[str], run: Runner
                           ) -> list[dict[str, Any]] | None:
    """``obligation_rows`` after a write, from the rows before it (None: read them whole)."""
    if not _readable(touched, (r["document"] for r in old if r["iri"] in touched)):
        return None
    fresh = run(fresh_obligation_rows, tuple(sorted(touched)))
    kept = (r for r in old if r["document"] not in touched)
    return list(heapq.merge(kept, fresh, key=row_order))


def update_calendar(old: CalendarFile, touched: frozenset[str], run: Runner
                    ) -> CalendarFile | None:
    """``calendar_file`` after a write, from the file before it (None: read it whole)."""
    if not _readable(touched, (e.document for o, e in old.events.items() if o in touched)):
        return None
    fresh = run(fresh_calendar_entries, tuple(sorted(touched)))
    kept = old.entries(lambda _, span: span.document not in touched)
    return CalendarFile.of(calendar_head(), heapq.merge(kept, fresh, key=lambda e: e.order))


def fresh_conflict_rows(store: Any, touched: tuple[str, ...]) -> list[dict[str, Any]]:
    """The conflicts (``conflict_rows``) about the touched documents."""
    from graph.reports import conflicts_of

    return [c.as_dict() for c in conflicts_of(store, touched)]


def _conflict_row_order(row: Mapping[str, Any]) -> tuple[str, str, str, str]:
    """``graph.reports.conflict_order`` of a row, then its document (the whole read takes
    the documents in IRI order, and its sort is stable)."""
    return (row["symbol"] or "", row["key"] or "", row["kind"], row["document"])


def update_conflict_rows(old: list[dict[str, Any]], touched: frozenset[str], run: Runner
                         ) -> list[dict[str, Any]] | None:
    """``conflict_rows`` after a write: a document's conflicts rest on its header and the
    mentions of it, and a write touches every document its graphs name (as cited, too),
    so the touched documents' conflicts are read again and the others kept."""
    if len(touched) > UPDATE_MAX_TOUCHED:
        return None
    fresh = run(fresh_conflict_rows, tuple(sorted(touched)))
    kept = [r for r in old if r["document"] not in touched]
    return sorted([*kept, *fresh], key=_conflict_row_order)


def fresh_sources(store: Any, touched: tuple[str, ...]
                  ) -> tuple[list[str], list[SourceInfo]]:
    """The source graphs among the touched nodes, and the sources among them (each read
    alone: a removed one is gone)."""
    prefix = source_graphs_prefix(store.base)
    graphs = [t for t in touched if t.startswith(prefix)]
    found = (store.source(URIRef(g)) for g in graphs)
    return graphs, [s for s in found if s is not None]


def update_sources(old: list[SourceInfo], touched: frozenset[str], run: Runner
                   ) -> list[SourceInfo] | None:
    """``source_list`` after a write: the graphs it wrote or removed are among the nodes
    it touched (each source's graph states where it comes from), read again alone."""
    if len(touched) > UPDATE_MAX_TOUCHED:
        return None
    graphs, fresh = run(fresh_sources, tuple(sorted(touched)))
    gone = set(graphs)
    kept = [s for s in old if str(s.graph) not in gone]
    return sorted([*kept, *fresh], key=lambda s: (s.path, str(s.graph)))


def fresh_store_counts(store: Any, touched: tuple[str, ...]
                       ) -> tuple[list[str], dict[str, int], dict[str, Any]]:
    """The source graphs among the touched nodes, the triples each holds now (a removed
    one none), and every count but the triples."""
    prefix = source_graphs_prefix(store.base)
    graphs = [t for t in touched if t.startswith(prefix)]
    return graphs, store.graph_triples([URIRef(g) for g in graphs]), _lookup_counts(store)


def update_store_counts(old: StoreCounts, touched: frozenset[str], run: Runner
                        ) -> StoreCounts | None:
    """``store_counts`` after a write: a source graph written or removed is among the
    nodes it touched (its provenance record is renewed), so only those graphs' triples
    are counted again, and the other counts, lookups, are read again."""
    if len(touched) > UPDATE_MAX_TOUCHED:
        return None
    graphs, fresh, counts = run(fresh_store_counts, tuple(sorted(touched)))
    gone = set(graphs)
    now = {g: n for g, n in old.graphs.items() if g not in gone}
    now.update(fresh)
    return _with_triples(counts, now)


def whole_store_updates() -> dict[str, Callable[[Any, frozenset[str], Runner], Any]]:
    """The reports the keeper can bring up to date after a write instead of building them
    again: name → (answer before, touched nodes, runner) → answer after, or None."""
    return {"obligations": update_obligation_rows, "calendar": update_calendar,
            "conflicts": update_conflict_rows, "sources": update_sources,
            "stats": update_store_counts}
