"""``GET /obligations`` over a due window, a page read from the obligations' row table.

The whole-store obligations table (``api.whole_store.obligation_table``) holds every
obligation in the order of its first due day, then document, then IRI, each row's JSON
giving that first day as ``next_due``. A window's answer is the same rows in the same
order of their *next* due day within the window (``api.obligation_window.next_due``):

* a row first due inside the window is due that day: the rows first due on a day of the
  window are one run of positions of the table, already in the answer's order;
* a recurring row (``--MM-DD``) first due before the window comes back on its day of the
  year, in the window's first year or the next: such rows move to another day.

So the table's file carries a summary (``due_summary``, written with the table: a
``Finish`` of ``api.row_table``): how many rows are first due on each day, split by
their recurring day of the year (the row's ``key``), and where each day's rows start.
From it a window's days, how many rows each holds and the total are worked out without
reading a row (``window``). A page is cut from the table's due index (``DueIndex``,
written with the summary, held in memory: a few bytes a row): each row's rank in the
order that sorts a day (document, IRI), and the recurring rows by day of the year, so
rows ``skip`` to ``skip + take`` of a day are found by bisection however deep the page
(``window_page``); only the page's rows' JSON is read. At 300,000 documents a window's
rows were once all computed before the page was cut (a quarter 95 ms, June 1.3 s, a
year 1.9 s on first asking), then a page in the middle of a day merged the day's rows
before it (78 ms for 15 June's 40,705 rows).

A moved row's JSON is served with its ``next_due`` rewritten (``with_next_due``).

Filtered by bearer or recipient, the window is worked out from the summary split by
(bearer, recipient) pair (``due_pairs``, also written with the table): each distinct
pair is tested once, the accepted pairs' counts summed per group (``party_due``), and a
page is cut from the day's parts kept to the rows whose pair the party accepts (the due
index numbers each row's pair), without reading the party's other rows.
"""

from __future__ import annotations

import datetime as dt
import heapq
import sqlite3
import sys
import threading
from array import array
from bisect import bisect_left
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import compress, islice, repeat
from typing import NamedTuple

from api.obligation_window import next_due
from api.row_table import RowFolder, RowTable, RowTest

__all__ = ["Accepted", "DueGroup", "DueIndex", "DueIndexes", "DueWindow", "Party", "Picked",
           "accepted_pairs", "due_summary", "party_due", "party_rows", "party_window",
           "read_index", "read_summary", "recurring_key", "window", "window_body",
           "window_page", "with_next_due"]

# The order text of a row first due on a day starts with "0" and the ISO day (ten
# characters, ``api.whole_store.obligation_order``); a row without a due day with "1".
_DATED = "0"
_UNDATED = "1"
_HEAD = len(_DATED) + 10  # the order's day prefix; the rest (document, IRI) orders a day
# The due index's arrays: 32-bit positions and ranks (a table of more than 2**31 rows
# is far beyond any corpus), packed little-endian in the table's file
_INT = "i"
_INT_SIZE = 4
if array(_INT).itemsize != _INT_SIZE:  # C's int is 32 bits on every platform Python runs on
    raise ImportError("api.due_table needs 32-bit C ints")

_SUMMARY_SQL = (
    "CREATE TABLE due_days(day TEXT NOT NULL, key TEXT, n INTEGER NOT NULL, "
    "start INTEGER NOT NULL)",
    # one row per (first due day, recurring day or none): rows are written in order, so
    # the smallest position of a day is where its run starts
    f"INSERT INTO due_days SELECT substr(ord, 2, 10), key, count(*), min(pos) - 1 "
    f"FROM rows WHERE ord < '{_UNDATED}' GROUP BY substr(ord, 2, 10), key",
    # the same split by (bearer, recipient) pair: what one party's window is counted
    # from (``party_due``) without reading its rows. Read from the filter index alone
    # (0.2 s); 75,510 rows for 167,181 obligations at 300,000 documents
    "CREATE TABLE due_pairs(a TEXT, b TEXT, key TEXT, day TEXT NOT NULL, n INTEGER NOT NULL)",
    f"INSERT INTO due_pairs SELECT a, b, key, substr(ord, 2, 10), count(*) "
    f"FROM rows INDEXED BY rows_match WHERE ord < '{_UNDATED}' "
    f"GROUP BY a, b, key, substr(ord, 1, {_HEAD})",
    "CREATE INDEX due_pairs_ab ON due_pairs(a, b)",
    # the distinct pairs of every row, each tested once by a party's filter (6,759 at
    # 300,000), numbered as ``DueIndex.pair`` numbers each row's (``_write_index``)
    "CREATE TABLE due_parties(id INTEGER PRIMARY KEY, a TEXT, b TEXT)",
    # the arrays of ``DueIndex``, each packed (``_packed``)
    "CREATE TABLE due_arrays(name TEXT PRIMARY KEY, data BLOB NOT NULL) WITHOUT ROWID",
)


def due_summary(con: sqlite3.Connection) -> None:
    """Write the obligations table's due summary and due index (``DueIndex``) into its
    file (``api.row_table.Finish``)."""
    for sql in _SUMMARY_SQL:
        con.execute(sql)
    _write_index(con)


def _packed(values: array[int]) -> bytes:
    """``values`` (32-bit) as little-endian bytes, whatever the machine's order."""
    if sys.byteorder == "big":
        values = array(values.typecode, values)
        values.byteswap()
    return values.tobytes()


def _unpacked(data: bytes) -> array[int]:
    values = array(_INT)
    values.frombytes(data)
    if sys.byteorder == "big":
        values.byteswap()
    return values


def _write_index(con: sqlite3.Connection) -> None:
    """The arrays of ``DueIndex``, computed from the table just written: a sort of every
    row's (document, IRI) and two passes over indexes (71 ms for the 27,853 obligations
    of 50,000 synthetic documents, in the worker that writes the table)."""
    size = con.execute("SELECT count(*) FROM rows").fetchone()[0]
    rank = array(_INT, bytes(_INT_SIZE * size))
    for i, (pos,) in enumerate(con.execute(
            f"SELECT pos FROM rows ORDER BY substr(ord, {_HEAD + 1})")):
        rank[pos - 1] = i
    pair = array(_INT, bytes(_INT_SIZE * size))
    parties: list[Pair] = []
    for a, b, pos in con.execute("SELECT a, b, pos FROM rows INDEXED BY rows_match "
                                 "ORDER BY a, b"):
        if not parties or parties[-1] != (a, b):
            parties.append((a, b))
        pair[pos - 1] = len(parties) - 1
    con.executemany("INSERT INTO due_parties VALUES (?, ?, ?)",
                    ((i, a, b) for i, (a, b) in enumerate(parties)))
    # the recurring rows by (day of the year, first due day, document, IRI): each
    # ``DueGroup`` with a key is a run of them (the key's index, no sort)
    keyed = array(_INT, (pos - 1 for (pos,) in con.execute(
        "SELECT pos FROM rows WHERE key IS NOT NULL ORDER BY key, ord")))
    keyed_rank = array(_INT, map(rank.__getitem__, keyed))
    con.executemany("INSERT INTO due_arrays VALUES (?, ?)",
                    [(name, _packed(values)) for name, values in
                     (("rank", rank), ("pair", pair), ("keyed", keyed),
                      ("keyed_rank", keyed_rank))])


def recurring_key(first: dt.date | None, recurring: bool) -> str | None:
    """The key of an obligations-table row: the day of the year (``--MM-DD``) of a
    recurring row's first due day, None for any other row. A window moves a recurring
    row by its first day's month and day (``next_due``), so that is what it is read by."""
    if not recurring or first is None:
        return None
    return first.strftime("--%m-%d")


class DueGroup(NamedTuple):
    """The rows of the table first due on ``day`` with one recurring day of the year
    (``key``; None: not recurring): ``size`` rows, the first at ``start``."""

    day: dt.date
    key: str | None
    size: int
    start: int


def read_summary(rows: RowFolder, table: RowTable) -> tuple[DueGroup, ...]:
    """The due summary ``due_summary`` wrote into ``table``'s file, in day order."""
    found = rows.select(table, "SELECT day, key, n, start FROM due_days ORDER BY day, start")
    return tuple(DueGroup(dt.date.fromisoformat(day), key, n, start)
                 for day, key, n, start in found)


class _Run(NamedTuple):
    """The rows at positions ``start`` to ``stop`` (excluded), in the answer's order."""

    start: int
    stop: int


class _Keyed(NamedTuple):
    """The rows of a recurring group (``DueGroup``), in order: a run of the due index's
    recurring rows (``DueIndex.keyed``)."""

    group: DueGroup


Pair = tuple[str | None, str | None]  # a row's (bearer, recipient): its ``a`` and ``b``


@dataclass(frozen=True, eq=False, slots=True)
class Accepted:
    """The (bearer, recipient) pairs of the table that one party's tests accept
    (``accepted_pairs``), which of the table's numbered pairs those are (``flags[id]``
    is 1: ``DueIndex.pair``), and so which rows are the party's: ``rows[position]`` is
    1 for each of its rows, ``keyed[i]`` for each of its rows among the recurring rows
    (``DueIndex.keyed``). A page is cut from a day with these masks, counted and
    skipped in C (``bytes.count``, ``itertools.compress``), where each row's pair was
    looked up in Python (44–88 ms p95 for a page of a day of 131,752 rows at a million
    documents)."""

    pairs: tuple[Pair, ...]
    flags: bytes
    rows: bytes
    keyed: bytes


@dataclass(frozen=True, eq=False, slots=True)
class Party:
    """One bearer's and recipient's rows of the table that have a due day (``party_due``):
    the pairs its tests accept, and how many of its rows each (first due day, recurring
    day of the year or None) group holds, in day order."""

    accepted: Accepted
    groups: tuple[tuple[dt.date, str | None, int], ...]


class _Paired(NamedTuple):
    """The ``size`` rows of ``party`` first due on ``day`` with the recurring day ``key``:
    the rows of the table's group whose pair the party accepts."""

    day: dt.date
    key: str | None
    size: int
    party: Party


_Part = _Run | _Keyed | _Paired


def _part_size(part: _Part) -> int:
    if isinstance(part, _Run):
        return part.stop - part.start
    if isinstance(part, _Keyed):
        return part.group.size
    return part.size


class _Day(NamedTuple):
    """The rows due on one day of a window: parts, each in the answer's order, the rows
    of each moved there (``True``: first due in an earlier year) or not; ``size`` rows."""

    due: dt.date
    parts: tuple[tuple[_Part, bool], ...]
    size: int


@dataclass(frozen=True, slots=True)
class DueWindow:
    """The days of a window that hold rows, in order, and how many rows they hold."""

    days: tuple[_Day, ...]
    total: int


def _placed(days: Iterable[dt.date], recurring: Iterable[bool], after: dt.date | None,
            before: dt.date | None) -> list[dt.date | None]:
    """The due day in the window of rows first due on each of ``days`` (``next_due``)."""
    if after is None and before is None:
        raise ValueError("a due window needs due_after or due_before")
    return [next_due(d, r, after, before) for d, r in zip(days, recurring, strict=True)]


def _days(parts: dict[dt.date, list[tuple[_Part, bool]]]) -> DueWindow:
    days = []
    total = 0
    for due in sorted(parts):
        sized = [(p, moved, _part_size(p)) for p, moved in parts[due]]
        size = sum(n for _, _, n in sized)
        if size:
            days.append(_Day(due, tuple((p, moved) for p, moved, n in sized if n), size))
            total += size
    return DueWindow(tuple(days), total)


def window(groups: Sequence[DueGroup], after: dt.date | None, before: dt.date | None
           ) -> DueWindow:
    """The days of the window ``after``–``before`` (either side may be open, not both)
    from the table's summary, with the rows due on each, as ``next_due`` places them:
    a run of positions for the rows first due that day, and each recurring group first
    due in an earlier year that comes back that day."""
    runs: dict[dt.date, tuple[int, int]] = {}
    parts: dict[dt.date, list[tuple[_Part, bool]]] = defaultdict(list)
    dues = _placed([g.day for g in groups], [g.key is not None for g in groups], after, before)
    for g, due in zip(groups, dues, strict=True):
        if due is None:
            continue
        if due == g.day:  # first due inside the window: one run per day
            start, size = runs.get(due, (g.start, 0))
            runs[due] = (min(start, g.start), size + g.size)
        else:  # a recurring day first due in an earlier year (due > day)
            parts[due].append((_Keyed(g), True))
    for due, (start, size) in runs.items():
        parts[due].insert(0, (_Run(start, start + size), False))
    return _days(parts)


class Picked(NamedTuple):
    """A row of a page: its position in the table, its due day in the window, and
    whether that differs from its first due day (its JSON is then rewritten)."""

    position: int
    due: dt.date
    moved: bool


@dataclass(frozen=True, eq=False, slots=True)
class DueIndex:
    """What a page of a window is cut by, held in memory (about 13 bytes a row: 360 KB
    for the 27,853 obligations of 50,000 synthetic documents), read from the table's
    file where ``due_summary`` wrote it.

    A day of a window is a run of the table's positions (the rows first due that day)
    and the recurring groups moved there, each in the answer's order after the day
    (document, IRI); ``rank`` gives every position's place in that order across the
    whole table, so the rows ``skip`` to ``skip + take`` of a day are found by bisecting
    each part's ranks (``_select``), however deep into the day, without reading or
    merging the rows before them. One party's parts are the table's, cut to the rows
    whose ``pair`` it accepts.

    Attributes:
        rank: each position's place by (document, IRI).
        pair: each position's (bearer, recipient) pair, numbered as ``due_parties``.
        keyed: the positions of the recurring rows by (day of the year, order): each
            recurring ``DueGroup`` is the run ``groups[(key, day)]`` of it.
        keyed_rank: the ``rank`` of each of ``keyed``.
        runs: each first due day's run of positions (start, stop).
        groups: each recurring group's run of ``keyed`` (start, stop).
    """

    rank: array[int]
    pair: array[int]
    keyed: array[int]
    keyed_rank: array[int]
    runs: Mapping[dt.date, tuple[int, int]]
    groups: Mapping[tuple[str, dt.date], tuple[int, int]]


def read_index(rows: RowFolder, table: RowTable,
               summary: Sequence[DueGroup] | None = None) -> DueIndex:
    """The due index ``due_summary`` wrote into ``table``'s file; ``summary`` is the
    table's ``read_summary``, read here unless given.

    Raises:
        ValueError: the file's arrays disagree with its summary or its rows.
    """
    arrays = {name: _unpacked(data) for name, data in
              rows.select(table, "SELECT name, data FROM due_arrays")}
    runs: dict[dt.date, tuple[int, int]] = {}
    groups: dict[tuple[str, dt.date], tuple[int, int]] = {}
    if summary is None:
        summary = read_summary(rows, table)
    for g in summary:
        start, stop = runs.get(g.day, (g.start, g.start))
        runs[g.day] = (min(start, g.start), stop + g.size)
    at = 0
    for g in sorted((g for g in summary if g.key is not None), key=lambda g: (g.key, g.day)):
        assert g.key is not None
        groups[(g.key, g.day)] = (at, at + g.size)
        at += g.size
    index = DueIndex(arrays["rank"], arrays["pair"], arrays["keyed"], arrays["keyed_rank"],
                     runs, groups)
    if not (len(index.rank) == len(index.pair) == table.size
            and len(index.keyed) == len(index.keyed_rank) == at):
        raise ValueError(f"the due index of {table.table} disagrees with its rows")
    return index


class DueIndexes:
    """The due indexes of the last ``keep`` tables read (the obligations table changes
    with each write; a page being served may still read the one before). Safe to share
    between threads."""

    def __init__(self, keep: int = 2) -> None:
        self.keep = keep
        self._kept: OrderedDict[str, DueIndex] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            return len(self._kept)

    def of(self, rows: RowFolder, table: RowTable,
           summary: Sequence[DueGroup] | None = None) -> DueIndex:
        """``table``'s due index, read on first asking (``read_index``)."""
        with self._lock:
            found = self._kept.get(table.table)
            if found is not None:
                self._kept.move_to_end(table.table)
                return found
        found = read_index(rows, table, summary)
        with self._lock:
            self._kept[table.table] = found
            while len(self._kept) > self.keep:
                self._kept.popitem(last=False)
        return found


class _Source(NamedTuple):
    """Rows of a day in the answer's order: their ranks (ascending), their positions,
    whether they were moved there, and which of them are kept (None: all; else a 1 for
    each row of one party, ``Accepted``)."""

    ranks: Sequence[int]
    positions: Sequence[int]
    moved: bool
    kept: bytes | None = None


def _below(source: _Source, rank: int) -> int:
    """How many kept rows of ``source`` rank below ``rank``."""
    cut = bisect_left(source.ranks, rank)
    return cut if source.kept is None else source.kept.count(1, 0, cut)


def _from(source: _Source, cut: int, take: int) -> Iterable[tuple[int, int, bool]]:
    """(rank, position, moved) of up to ``take`` kept rows of ``source`` from ``cut`` on."""
    if source.kept is None:
        return zip(source.ranks[cut:cut + take], source.positions[cut:cut + take],
                   repeat(source.moved))
    rows = zip(source.ranks[cut:], source.positions[cut:], repeat(source.moved))
    return islice(compress(rows, source.kept[cut:]), take)


def _masked(ranks: Sequence[int], positions: Sequence[int], moved: bool, kept: bytes,
            size: int) -> _Source:
    """One party's rows of a part (``size`` of them, as its summary counts)."""
    if kept.count(1) != size:
        raise ValueError("the due index disagrees with the due summary")
    return _Source(ranks, positions, moved, kept)


def _sources(index: DueIndex, day: _Day) -> list[_Source]:
    """The parts of ``day`` as ranked rows. One party's rows first due that day (every
    group of that day: ``party_window``) are its run cut to the party's pairs; its
    recurring groups moved there, each its run of ``keyed`` cut so."""
    out: list[_Source] = []
    here: list[_Paired] = []
    for part, moved in day.parts:
        if isinstance(part, _Run):
            out.append(_Source(index.rank[part.start:part.stop],
                               range(part.start, part.stop), moved))
        elif isinstance(part, _Keyed):
            assert part.group.key is not None  # only recurring groups move
            start, stop = index.groups[(part.group.key, part.group.day)]
            out.append(_Source(index.keyed_rank[start:stop], index.keyed[start:stop], moved))
        elif not moved:
            here.append(part)
        else:
            assert part.key is not None
            start, stop = index.groups[(part.key, part.day)]
            out.append(_masked(index.keyed_rank[start:stop], index.keyed[start:stop], moved,
                               part.party.accepted.keyed[start:stop], part.size))
    if here:
        start, stop = index.runs[day.due]
        out.insert(0, _masked(index.rank[start:stop], range(start, stop), False,
                              here[0].party.accepted.rows[start:stop],
                              sum(p.size for p in here)))
    return out


def _select(sources: Sequence[_Source], skip: int, take: int) -> list[tuple[int, bool]]:
    """(position, moved) of rows ``skip`` to ``skip + take`` of the merge of
    ``sources`` by rank.

    The rank below which exactly ``skip`` rows lie is bisected (ranks are distinct),
    each count a bisection of each source: about 20 × sources × 16 steps whatever
    ``skip`` is, where merging the rows before it read them all (a page in the middle of
    a day of 40,000 rows: 78 ms at 300,000 documents). The page is then merged from
    where each source was cut."""
    if len(sources) == 1 and sources[0].kept is None:
        only = sources[0]
        return [(only.positions[i], only.moved)
                for i in range(skip, min(skip + take, len(only.positions)))]
    low, high = 0, max((s.ranks[-1] + 1 for s in sources if len(s.ranks)), default=0)
    while low < high:  # the least rank with at least ``skip`` kept rows below it
        mid = (low + high) // 2
        if sum(_below(s, mid) for s in sources) >= skip:
            high = mid
        else:
            low = mid + 1
    heads = [_from(s, bisect_left(s.ranks, low), take) for s in sources]
    merged = heapq.merge(*heads)
    return [(position, moved) for _, position, moved in islice(merged, take)]


def _day_rows(index: DueIndex, day: _Day, skip: int, take: int) -> list[Picked]:
    """Rows ``skip`` to ``skip + take`` of ``day``, in the answer's order."""
    return [Picked(position, day.due, moved)
            for position, moved in _select(_sources(index, day), skip, take)]


def window_page(index: DueIndex, win: DueWindow, offset: int, limit: int) -> list[Picked]:
    """Rows ``offset`` to ``offset + limit`` of the window ``win`` of the table whose due
    index is ``index``."""
    out: list[Picked] = []
    seen = 0  # rows of the days before the one at hand
    for day in win.days:
        if len(out) >= limit:
            break
        if seen + day.size > offset:
            skip = max(0, offset - seen)
            out += _day_rows(index, day, skip, limit - len(out))
        seen += day.size
    return out


# What a party's window is counted from: its pairs' rows per (first due day, recurring
# day or None), summed over the pairs (``due_summary``'s ``due_pairs``)
_PARTY_SQL = (
    "SELECT p.day, p.key, sum(p.n) FROM temp.wanted AS w JOIN due_pairs AS p "
    "ON p.a IS w.a AND p.b IS w.b GROUP BY p.day, p.key ORDER BY p.day, p.key")


def accepted_pairs(rows: RowFolder, table: RowTable, index: DueIndex,
                   bearer: RowTest | None, recipient: RowTest | None) -> Accepted:
    """The (bearer, recipient) pairs of the table the tests accept (None: any), each
    distinct pair tested once (6,759 at 300,000 documents), and the masks of the rows
    they hold (``index``: the table's due index). ``party_due`` and ``party_rows`` both
    start from it, so a party is tested once per table."""
    numbered = rows.select(table, "SELECT id, a, b FROM due_parties ORDER BY id")
    flags = bytearray(len(numbered))
    pairs = []
    for ident, a, b in numbered:
        if (bearer is None or bearer(a)) and (recipient is None or recipient(b)):
            flags[ident] = 1
            pairs.append((a, b))
    mask = bytes(map(flags.__getitem__, index.pair))
    return Accepted(tuple(pairs), bytes(flags), mask, bytes(map(mask.__getitem__, index.keyed)))


def party_due(rows: RowFolder, table: RowTable, accepted: Accepted) -> Party:
    """The rows with a due day of the pairs one party accepts (``accepted_pairs``), as
    groups of the table's due summary: the accepted pairs' groups summed. No row is
    read: at 300,000 documents, a party of 97,166 rows (1,266 pairs of 6,759) in about
    15 ms, where reading and grouping its rows took 230 ms."""
    found = rows.with_pairs(table, accepted.pairs, _PARTY_SQL)
    return Party(accepted,
                 tuple((dt.date.fromisoformat(day), key, n) for day, key, n in found))


def party_rows(accepted: Accepted) -> array[int]:
    """The positions (in order) of every row of the table, with a due day or none, of
    the pairs one party accepts (``accepted_pairs``): the rows ``RowFolder.matching``
    finds with the same tests, kept by their numbered pair (``DueIndex.pair``) without
    reading the table."""
    return array("q", compress(range(len(accepted.rows)), accepted.rows))


def party_window(found: Party, after: dt.date | None, before: dt.date | None) -> DueWindow:
    """The window ``after``–``before`` of one party's rows (``party_due``), as
    ``window`` places the table's: a group first due inside the window stays on its day,
    a recurring group first due in an earlier year moves to its day in the window."""
    dues = _placed([day for day, _, _ in found.groups],
                   [key is not None for _, key, _ in found.groups], after, before)
    parts: dict[dt.date, list[tuple[_Part, bool]]] = defaultdict(list)
    for (day, key, size), due in zip(found.groups, dues, strict=True):
        if due is not None:
            parts[due].append((_Paired(day, key, size, found), due != day))
    return _days(parts)


_NEXT_DUE = b'"next_due":"'
_ISO_DAY = 10


def with_next_due(body: bytes, due: dt.date) -> bytes:
    """An ``Obligation`` row's JSON with its ``next_due`` day replaced by ``due``.

    The key is found where it is a key: a quotation mark within a JSON string is always
    escaped, so ``,"next_due":"`` (or ``{"next_due":"``) cannot occur inside a quoted
    value such as an evidence quote.

    Raises:
        ValueError: the row gives no ``next_due`` day.
    """
    at = -1
    for lead in (b",", b"{"):
        at = body.find(lead + _NEXT_DUE)
        if at >= 0:
            break
    if at < 0:
        raise ValueError("an obligation row without a next_due day")
    start = at + 1 + len(_NEXT_DUE)
    return body[:start] + due.isoformat().encode("ascii") + body[start + _ISO_DAY:]


def window_body(rows: RowFolder, table: RowTable, page: Sequence[Picked]) -> bytes:
    """The JSON list of a page of a window: the table's rows, moved ones rewritten."""
    bodies = rows.at(table, [p.position for p in page])
    return b"[" + b",".join(with_next_due(b, p.due) if p.moved else b
                            for b, p in zip(bodies, page, strict=True)) + b"]"
