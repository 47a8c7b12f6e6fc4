"""The whole-store reports the API keeps (``api.report_keeper``): each reads the whole
store, takes only the store, and returns what its endpoint serves.

They run in a query worker (``api.query_runner``), so they are module-level functions
(a process worker receives them by name).
"""

from __future__ import annotations

import datetime as dt
import os
import pickle
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import TypeAdapter
from rdflib import URIRef

from api.cache import entity_tag, entity_tag_of, tag_digest
from api.due_table import due_summary, recurring_key
from api.encoding import gzip_bytes, gzip_tag
from api.obligation_window import iter_every_obligation_row, obligation_rows_of
from api.row_table import RowFolder, RowTable, TableRow, discard_table, write_table
from api.schemas import Conflict as ConflictModel
from api.schemas import Obligation, Source, Submission
from graph.calendar import CALENDAR_TAIL, calendar_head, events_of, vevent_text
from graph.iri import source_graphs_prefix
from graph.reports import (
    Conflict,
    JudgedSubmissions,
    ObligationFact,
    creator_headers,
    judge_submissions,
    judge_submissions_after,
    obligations,
    read_obligations,
    submission_wanted,
)
from graph.store import SourceInfo
from ingest.clean import fold

__all__ = ["REPORTS", "CalendarFile", "KeptCalendar", "KeptSubmissions", "StoreCounts",
           "calendar_file", "conflict_table", "obligation_table", "source_model",
           "source_table", "store_counts", "submission_report", "whole_store_reports",
           "whole_store_updates"]


class CalendarEntry(NamedTuple):
    """One event of a calendar being put together: its obligation, that obligation's
    document, its place in the calendar's order, and its folded text."""

    obligation: str
    document: str | None
    order: tuple[dt.date, str]
    text: str


@dataclass(frozen=True, slots=True)
class CalendarFile:
    """A calendar served from memory (one bearer's or recipient's, cut from the whole
    store's ``KeptCalendar``): the UTF-8 bytes, the same gzip-compressed, and the entity
    tag of each (``api.encoding``)."""

    body: bytes
    etag: str
    gzipped: bytes
    gzip_etag: str

    @classmethod
    def of(cls, head: str, events: Iterable[bytes]) -> CalendarFile:
        """The file of ``head``, then each event's text (in the order given), then the
        tail."""
        body = b"".join([head.encode("utf-8"), *events, CALENDAR_TAIL.encode("utf-8")])
        etag = entity_tag(body)
        return cls(body, etag, gzip_bytes(body), gzip_tag(etag))


# The files a ``KeptCalendar`` is served from, beside its events' table (``RowFolder
# .attachment``): the calendar as it is, and gzip-compressed.
_PLAIN, _GZIP = ".ics", ".ics.gz"
_FILE_CHUNK = 1 << 20  # bytes of event text hashed, written and compressed at a time


@dataclass(frozen=True, slots=True)
class KeptCalendar:
    """``/calendar.ics`` of the whole store: one row per event (``events``: its
    obligation, that obligation's document, its order and its folded text) and two files
    written from them, the calendar as it is and gzip-compressed, with the entity tag of
    each.

    Built once per store generation: at 100,000 documents the calendar is 49.5 MB (6 MB
    compressed), and calendar clients poll it; a client that sends a tag back
    (``If-None-Match``) gets a 304, the others the file as written, so no request
    encodes, compresses or hashes it again, and the server holds neither in memory. A
    filtered calendar (``only``) and the next generation's (``update_calendar``) are cut
    from the events' rows rather than read from the store again."""

    events: RowTable
    etag: str
    gzip_etag: str

    def files(self, rows: RowFolder) -> tuple[Path, Path]:
        """The calendar's file, and its gzip-compressed file."""
        return (rows.attachment(self.events, _PLAIN), rows.attachment(self.events, _GZIP))

    def with_tables(self, adopt: Callable[[RowTable], RowTable]) -> KeptCalendar:
        """This calendar with its events' table handle ``adopt`` gives (``RowFolder``)."""
        return KeptCalendar(adopt(self.events), self.etag, self.gzip_etag)

    def only(self, rows: RowFolder, obligations: Iterable[str],
             subtitle: str | None) -> CalendarFile:
        """The calendar of these obligations' events (in this calendar's order), named
        with ``subtitle``."""
        return CalendarFile.of(calendar_head(subtitle), rows.named(self.events, obligations))


def calendar_entries(store: Any, obls: Sequence[ObligationFact]) -> Iterator[CalendarEntry]:
    """The events of the obligations ``obls`` (every obligation of each of their
    documents, for a recurring deadline's first year to be the whole store's), in the
    calendar's order, each event's text made as it is taken (the calendar of a million
    documents is 500 MB of text: it is written, not held)."""
    events, _ = events_of(creator_headers(store, obls), obls)
    document = {o.iri: o.document for o in obls}
    for e in events:
        yield CalendarEntry(e.obligation, document.get(e.obligation), (e.start, e.uid),
                            vevent_text(e))


def calendar_rows(entries: Iterable[CalendarEntry]) -> Iterator[TableRow]:
    """Calendar entries as table rows: ordered by (first day, UID), grouped by document,
    named by obligation, each holding its event's text."""
    for e in entries:
        yield TableRow(f"{e.order[0].isoformat()}{_SEP}{e.order[1]}", e.document,
                       e.obligation, None, None, e.text.encode("utf-8"))


def write_calendar_files(rows: RowFolder, events: RowTable) -> tuple[str, str]:
    """Write the calendar of the events' table into its two files; its entity tags
    (plain, gzip-coded). The bytes are those ``CalendarFile.of`` would make, the
    compressed ones deterministic (no time stamp)."""
    plain_path, gzip_path = rows.attachment(events, _PLAIN), rows.attachment(events, _GZIP)
    digest = tag_digest()
    packer = zlib.compressobj(6, zlib.DEFLATED, 31)  # gzip framing, mtime 0
    with open(plain_path, "wb") as plain, open(gzip_path, "wb") as packed:
        for chunk in _calendar_chunks(rows, events):
            digest.update(chunk)
            plain.write(chunk)
            packed.write(packer.compress(chunk))
        packed.write(packer.flush())
    etag = entity_tag_of(digest)
    return etag, gzip_tag(etag)


def _calendar_chunks(rows: RowFolder, events: RowTable) -> Iterator[bytes]:
    """The calendar's bytes a chunk at a time: head, events in order, tail."""
    pending, size = [calendar_head().encode("utf-8")], 0
    for row in rows.rows(events):
        pending.append(row.body)
        size += len(row.body)
        if size >= _FILE_CHUNK:
            yield b"".join(pending)
            pending, size = [], 0
    pending.append(CALENDAR_TAIL.encode("utf-8"))
    yield b"".join(pending)


def kept_calendar(rows: RowFolder, events: RowTable) -> KeptCalendar:
    """The calendar of the events' table, its files written."""
    etag, gzip_etag = write_calendar_files(rows, events)
    return KeptCalendar(events, etag, gzip_etag)


def calendar_file(store: Any, path: str) -> KeptCalendar:
    """``/calendar.ics``: every deadline as an iCalendar (``graph.calendar``), its events
    a table of the row folder ``path`` (a query worker's part)."""
    entries = calendar_entries(store, obligations(store))
    events = write_table(path, "calendar", calendar_rows(entries))
    return kept_calendar(RowFolder(Path(path)), events)


_CONFLICT = TypeAdapter(ConflictModel)


def conflict_table_rows(found: Iterable[Conflict]) -> list[TableRow]:
    """Conflicts as table rows, in ``graph.reports.conflict_order`` then document (the
    whole read takes the documents in IRI order and sorts stably): grouped by document
    (a write's update replaces a touched document's conflicts), named by document and
    kind (one conflict of each kind per document), filtered by kind (``a``)."""
    rows = [TableRow(_SEP.join((c.symbol or "", c.key or "", c.kind, c.document)),
                     c.document, f"{c.document}{_SEP}{c.kind}", c.kind, None,
                     _CONFLICT.dump_json(ConflictModel(**c.as_dict()))) for c in found]
    return sorted(rows, key=lambda r: r.order)


def conflict_table(store: Any, path: str) -> RowTable:
    """``/conflicts``: documents cited with different dates or issuers, as a table of the
    row folder ``path`` (a query worker's part)."""
    from graph.reports import conflicts

    return write_table(path, "conflicts", conflict_table_rows(conflicts(store)))


@dataclass(frozen=True, slots=True)
class KeptSubmissions:
    """``/submissions``: appendix-table cells judged against their deadlines, one row of
    the table ``rows`` per cell (its JSON as served; ``b``: what ``?obligation=`` is
    matched against), and where the cells were read (``graph`` or ``extraction``).

    Bringing them up to date after a write needs each column's candidates
    (``graph.reports.JudgedSubmissions.pools``: 600,000 at 100,000 documents when every
    column names a kind of report, 26 MB pickled); they are a file beside the table
    (``pools``), written and read by the query worker that judges, never held here."""

    rows: RowTable
    source: str

    def with_tables(self, adopt: Callable[[RowTable], RowTable]) -> KeptSubmissions:
        return KeptSubmissions(adopt(self.rows), self.source)

    def files(self, rows: RowFolder) -> tuple[Path]:
        return (rows.attachment(self.rows, _POOLS),)


_POOLS = ".pools"
_SUBMISSION = TypeAdapter(Submission)


def submission_filter(obligation: str) -> Callable[[str | None], bool]:
    """The test of a submissions row's ``b`` (``_submission_row``) that keeps the cells
    ``graph.reports.submissions(store, obligation)`` keeps."""
    def wanted(b: str | None) -> bool:
        # the column last: a stray separator in its text stays in it
        answers, deadline, category = (b or "").split(_SEP, 2)
        return submission_wanted(answers or None, deadline or None, category, obligation)
    return wanted


def _submission_row(pos: int, row: dict[str, Any]) -> TableRow:
    b = _SEP.join((row["obligation"] or "", row["deadline"] or "", row["category"]))
    return TableRow(f"{pos:012d}", None, str(pos), None, b,
                    _SUBMISSION.dump_json(Submission(**row)))


def _kept_submissions(path: str, judged: JudgedSubmissions) -> KeptSubmissions:
    """``judged`` written into a table of the row folder ``path``, its candidates into
    the file beside it."""
    table = write_table(path, "submissions", (
        _submission_row(i, s.as_dict()) for i, s in enumerate(judged.statuses)))
    pools = Path(path) / f"{table.table}{_POOLS}"
    part = pools.with_suffix(_POOLS + ".part")
    try:
        part.write_bytes(pickle.dumps(dict(judged.pools), protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(part, pools)
    except BaseException:  # no table without its candidates is left behind
        part.unlink(missing_ok=True)
        discard_table(path, table)
        raise
    return KeptSubmissions(table, judged.source)


def submission_report(store: Any, path: str) -> KeptSubmissions:
    """``/submissions`` of the whole store, a table of the row folder ``path`` (a query
    worker's part)."""
    return _kept_submissions(path, judge_submissions(store))


# --- the reports kept as row tables (``api.row_table``) ---------------------------------------
#
# ``/obligations`` (no window) and ``/sources`` are long lists served a page at a time:
# a query worker writes each into a table of the server's row folder, a row per answer
# row holding the JSON the endpoint serves for it, so the server holds a handle, not the
# rows (100 MB and 49 MB of Python objects at 100,000 documents).

# Between the parts of a row's order key: below every character a document IRI, an
# obligation IRI or a path holds, so that text order is the order of the parts' tuple.
_SEP = "\x01"


def obligation_order(row: Mapping[str, Any]) -> str:
    """``row_order`` of an ``obligation_rows`` row as text that sorts the same way (first
    due day, none last; then document, then IRI)."""
    first: dt.date | None = row["first"]
    day = "1" + dt.date.min.isoformat() if first is None else "0" + first.isoformat()
    return f"{day}{row['document'] or ''}{_SEP}{row['iri']}"


_OBLIGATION = TypeAdapter(Obligation)


def obligation_table_rows(rows: Iterable[Mapping[str, Any]]) -> Iterator[TableRow]:
    """``obligation_rows`` rows as table rows: grouped by document, filtered by bearer
    and recipient, each holding its ``Obligation`` JSON (``next_due``: the first due
    day), a recurring one keyed by its first day's day of the year (``api.due_table``:
    a due window reads the table too)."""
    for r in rows:
        served = {k: v for k, v in r.items() if k != "first"}
        served["next_due"] = r["first"]
        yield TableRow(obligation_order(r), r["document"], r["iri"], r["bearer"],
                       r["recipient"], _OBLIGATION.dump_json(Obligation(**served)),
                       recurring_key(r["first"], r["recurring"]))


def obligation_table(store: Any, path: str) -> RowTable:
    """``/obligations``: every obligation, as a table of the row folder at ``path``, with
    its due summary (``api.due_table``)."""
    rows = obligation_table_rows(iter_every_obligation_row(store))
    return write_table(path, "obligations", rows,
                       finish=due_summary)


def source_model(info: SourceInfo) -> Source:
    """A source as ``/sources`` and ``POST /ingest`` show it."""
    return Source(id=str(info.graph).rpartition("/")[2], graph=str(info.graph),
                  path=info.path, sha256=info.sha256, ingested=info.ingested)


_SOURCE = TypeAdapter(Source)


def source_table_rows(sources: Iterable[SourceInfo]) -> list[TableRow]:
    """Sources as table rows, by path (then graph): grouped and named by graph, filtered
    by the folded path (``?path=`` holds the folded characters)."""
    rows = [TableRow(f"{s.path}{_SEP}{s.graph}", str(s.graph), str(s.graph), fold(s.path),
                     None, _SOURCE.dump_json(source_model(s))) for s in sources]
    return sorted(rows, key=lambda r: r.order)


def source_table(store: Any, path: str) -> RowTable:
    """``/sources``: every ingested source file, by path, as a table of the row folder at
    ``path``."""
    return write_table(path, "sources", source_table_rows(store.sources()))


@dataclass(frozen=True, slots=True)
class StoreCounts:
    """``/stats`` as kept: what it serves (``counts``), and the triples of each source
    graph (``graphs``, a row table: its IRI the row's identity and group, the number its
    body), whose sum is ``counts["triples"]``: after a write only the graphs it wrote are
    counted again (``update_store_counts``). At 100,000 documents the counts of 100,000
    graphs held in the server took about 20 MB; they are a table like the long reports."""

    counts: dict[str, Any]
    graphs: RowTable

    def with_tables(self, adopt: Callable[[RowTable], RowTable]) -> StoreCounts:
        return StoreCounts(self.counts, adopt(self.graphs))


def graph_count_rows(graphs: Mapping[str, int]) -> list[TableRow]:
    """The rows of ``StoreCounts.graphs`` for these graphs' triples, in IRI order."""
    return [TableRow(g, g, g, None, None, str(n).encode()) for g, n in sorted(graphs.items())]


def store_counts(store: Any, path: str) -> StoreCounts:
    """``/stats``: how many sources, documents (and of each type), citations,
    obligations, sections and triples (the triples are counted graph by graph: 8 s at
    100,000 documents), each graph's count a row of a table of the row folder ``path``
    (a query worker's part)."""
    graphs = store.graph_triples()
    table = write_table(path, "counts", graph_count_rows(graphs))
    return _with_triples(_lookup_counts(store), sum(graphs.values()), table)


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


def _with_triples(counts: dict[str, Any], triples: int, graphs: RowTable) -> StoreCounts:
    """``counts`` with the ``triples`` of the source graphs counted in ``graphs``."""
    by_type = counts["by_type"]
    out = {k: v for k, v in counts.items() if k != "by_type"}
    out["triples"] = triples
    out["by_type"] = by_type
    return StoreCounts(out, graphs)


# The whole-store reports, by name, in the order the keeper builds them after start.
REPORTS = ("obligations", "calendar", "sources", "conflicts", "submissions", "stats")


def whole_store_reports(rows: RowFolder) -> dict[str, Callable[[Any], Any]]:
    """The reports the keeper builds, by name, in the order it builds them after start:
    ``/obligations`` without a window first (its default listing), then the calendar,
    the list of sources, conflicts, submissions and the store's counts. (After a write,
    those it brings up to date come first, in this order: the conflicts of a directive
    cited 43,000 times re-read every mention of it, 3.4 s at 100,000 documents.) The
    obligations, calendar events, sources, conflicts, judged submissions and each
    graph's triples are written into tables of ``rows``."""
    path = str(rows.path)
    return {"obligations": partial(obligation_table, path=path),
            "calendar": partial(calendar_file, path=path),
            "sources": partial(source_table, path=path),
            "conflicts": partial(conflict_table, path=path),
            "submissions": partial(submission_report, path=path),
            "stats": partial(store_counts, path=path)}


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


def fresh_obligation_rows(store: Any, touched: tuple[str, ...]) -> list[TableRow]:
    """The table rows (``obligation_table_rows``) of the obligations of the touched
    documents."""
    obls = read_obligations(store, documents=touched)
    return list(obligation_table_rows(obligation_rows_of(store, obls)))  # in order


def fresh_calendar_rows(store: Any, touched: tuple[str, ...]) -> list[TableRow]:
    """The table rows of the events of the obligations of the touched documents."""
    obls = read_obligations(store, documents=touched)
    return list(calendar_rows(calendar_entries(store, obls)))


Runner = Callable[..., Any]  # runs a task (a function taking the store, and its args)


def _readable(rows: RowFolder, table: RowTable, touched: frozenset[str]) -> bool:
    """Whether the touched documents' rows of ``table`` can be read again: not too many
    nodes, and every touched row (obligation) of it has a document among them."""
    return len(touched) <= UPDATE_MAX_TOUCHED and all(
        d in touched for d in rows.groups_of(table, touched))


def update_obligation_table(rows: RowFolder, old: RowTable, touched: frozenset[str],
                            run: Runner) -> RowTable | None:
    """``obligation_table`` after a write, from the table before it (None: read it
    whole)."""
    if not _readable(rows, old, touched):
        return None
    fresh = run(fresh_obligation_rows, tuple(sorted(touched)))
    return rows.replace(old, touched, fresh, finish=due_summary)


def update_calendar(rows: RowFolder, old: KeptCalendar, touched: frozenset[str],
                    run: Runner) -> KeptCalendar | None:
    """``calendar_file`` after a write, from the calendar before it (None: read it
    whole)."""
    if not _readable(rows, old.events, touched):
        return None
    fresh = run(fresh_calendar_rows, tuple(sorted(touched)))
    # its files are written here, not in a worker: a second background run would queue
    # again behind the kept document answers' refill (4.5 s at 100,000 documents), where
    # the writing takes 0.5 s, mostly in SQLite, hashing, compressing and writing, which
    # let go of the GIL
    return kept_calendar(rows, rows.replace(old.events, touched, fresh))


def fresh_conflict_rows(store: Any, touched: tuple[str, ...]) -> list[TableRow]:
    """The table rows (``conflict_table_rows``) of the conflicts about the touched
    documents."""
    from graph.reports import conflicts_of

    return conflict_table_rows(conflicts_of(store, touched))


def update_conflict_table(rows: RowFolder, old: RowTable, touched: frozenset[str],
                          run: Runner) -> RowTable | None:
    """``conflict_table`` after a write: a document's conflicts rest on its header and the
    mentions of it, and a write touches every document its graphs name (as cited, too),
    so the touched documents' conflicts are read again and the others kept."""
    if len(touched) > UPDATE_MAX_TOUCHED:
        return None
    fresh = run(fresh_conflict_rows, tuple(sorted(touched)))
    return rows.replace(old, touched, fresh)


def fresh_sources(store: Any, touched: tuple[str, ...]) -> tuple[list[str], list[TableRow]]:
    """The source graphs among the touched nodes, and the table rows of the sources among
    them (each read alone: a removed one is gone)."""
    prefix = source_graphs_prefix(store.base)
    graphs = [t for t in touched if t.startswith(prefix)]
    found = (store.source(URIRef(g)) for g in graphs)
    return graphs, source_table_rows(s for s in found if s is not None)


def update_source_table(rows: RowFolder, old: RowTable, touched: frozenset[str], run: Runner
                        ) -> RowTable | None:
    """``source_table`` after a write: the graphs it wrote or removed are among the nodes
    it touched (each source's graph states where it comes from), read again alone."""
    if len(touched) > UPDATE_MAX_TOUCHED:
        return None
    graphs, fresh = run(fresh_sources, tuple(sorted(touched)))
    return rows.replace(old, graphs, fresh)


def fresh_store_counts(store: Any, touched: tuple[str, ...]
                       ) -> tuple[list[str], dict[str, int], dict[str, Any]]:
    """The source graphs among the touched nodes, the triples each holds now (a removed
    one none), and every count but the triples."""
    prefix = source_graphs_prefix(store.base)
    graphs = [t for t in touched if t.startswith(prefix)]
    return graphs, store.graph_triples([URIRef(g) for g in graphs]), _lookup_counts(store)


def update_store_counts(rows: RowFolder, old: StoreCounts, touched: frozenset[str],
                        run: Runner) -> StoreCounts | None:
    """``store_counts`` after a write: a source graph written or removed is among the
    nodes it touched (its provenance record is renewed), so only those graphs' triples
    are counted again (the total loses their counts before, read from the table, and
    gains those after), and the other counts, lookups, are read again."""
    if len(touched) > UPDATE_MAX_TOUCHED:
        return None
    graphs, fresh, counts = run(fresh_store_counts, tuple(sorted(touched)))
    before = sum(int(body) for body in rows.named(old.graphs, graphs))
    triples = old.counts["triples"] - before + sum(fresh.values())
    return _with_triples(counts, triples, rows.replace(old.graphs, graphs,
                                                       graph_count_rows(fresh)))


def fresh_submissions(store: Any, path: str, pools: str, touched: tuple[str, ...]
                      ) -> KeptSubmissions | None:
    """``/submissions`` after a write, from the candidates judged before it (the file
    ``pools``), written into a table of the row folder ``path`` (None: judge it whole)."""
    before = pickle.loads(Path(pools).read_bytes())
    judged = judge_submissions_after(store, before, frozenset(touched))
    return _kept_submissions(path, judged) if judged is not None else None


def update_submissions(rows: RowFolder, old: KeptSubmissions, touched: frozenset[str],
                       run: Runner) -> KeptSubmissions | None:
    """``submission_report`` after a write: every cell is read again (a few hundred at
    100,000 documents), but only the obligations of the touched documents, each column
    keeping the candidates of the others (``graph.reports.judge_submissions_after``)."""
    if len(touched) > UPDATE_MAX_TOUCHED or old.source != "graph":
        return None
    pools = old.files(rows)[0]
    found: KeptSubmissions | None = run(fresh_submissions, str(rows.path), str(pools),
                                        tuple(sorted(touched)))
    return found


def whole_store_updates(rows: RowFolder
                        ) -> dict[str, Callable[[Any, frozenset[str], Runner], Any]]:
    """The reports the keeper can bring up to date after a write instead of building them
    again: name → (answer before, touched nodes, runner) → answer after, or None (the
    tables of the obligations and sources are in ``rows``)."""
    return {"obligations": partial(update_obligation_table, rows),
            "calendar": partial(update_calendar, rows),
            "conflicts": partial(update_conflict_table, rows),
            "sources": partial(update_source_table, rows),
            "submissions": partial(update_submissions, rows),
            "stats": partial(update_store_counts, rows)}
