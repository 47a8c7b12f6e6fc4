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
reading a row (``window``); a page reads only its own rows (``window_page``): a run of
positions, merged, on a day that recurring rows move to, with the rows of each (day of
the year, first day) group read in order through the table's key index. At 300,000
documents the window's rows were all computed before the page was cut (a quarter 95 ms,
June 1.3 s, a year 1.9 s on first asking); now a page costs the rows it shows.

A moved row's JSON is served with its ``next_due`` rewritten (``with_next_due``).

Filtered by bearer or recipient, the window is worked out from the summary split by
(bearer, recipient) pair (``due_pairs``, also written with the table): each distinct
pair is tested once, the accepted pairs' counts summed per group (``party_due``), and a
page reads the party's rows of its groups through the table's filter index
(``party_window``), without reading the party's other rows.
"""

from __future__ import annotations

import datetime as dt
import heapq
import sqlite3
import threading
from array import array
from collections import OrderedDict, defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import NamedTuple

from api.obligation_window import next_due
from api.row_table import RowFolder, RowTable, RowTest

__all__ = ["DayOrders", "DueGroup", "DueWindow", "Party", "Picked", "due_summary", "party_due",
           "party_window", "read_summary", "recurring_key", "window", "window_body",
           "window_page", "with_next_due"]

# The order text of a row first due on a day starts with "0" and the ISO day (ten
# characters, ``api.whole_store.obligation_order``); a row without a due day with "1".
_DATED = "0"
_UNDATED = "1"
_HEAD = len(_DATED) + 10  # the order's day prefix; the rest (document, IRI) orders a day

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
    # the distinct pairs, each tested once by a party's filter (6,759 at 300,000)
    "CREATE TABLE due_parties(a TEXT, b TEXT)",
    "INSERT INTO due_parties SELECT DISTINCT a, b FROM due_pairs",
)


def due_summary(con: sqlite3.Connection) -> None:
    """Write the obligations table's due summary into its file (``api.row_table.Finish``)."""
    for sql in _SUMMARY_SQL:
        con.execute(sql)


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
    """The rows of a recurring group (``DueGroup``), read in order through the table's
    key index."""

    group: DueGroup


Pair = tuple[str | None, str | None]  # a row's (bearer, recipient): its ``a`` and ``b``


@dataclass(frozen=True, eq=False, slots=True)
class Party:
    """One bearer's and recipient's rows of the table that have a due day (``party_due``):
    the (bearer, recipient) pairs of the table its tests accept, and how many of its rows
    each (first due day, recurring day of the year or None) group holds, in day order.
    Compared by identity: a kept day's order (``DayOrders``) is named by it."""

    pairs: tuple[Pair, ...]
    groups: tuple[tuple[dt.date, str | None, int], ...]


class _Paired(NamedTuple):
    """The ``size`` rows of ``party`` first due on ``day`` with the recurring day ``key``,
    read in order through the table's filter index."""

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


def _day_bounds(day: dt.date) -> tuple[str, str]:
    """The order text of the rows first due on ``day`` lies from the first to the second
    (excluded)."""
    low = _DATED + day.isoformat()
    if day == dt.date.max:
        return low, _UNDATED
    return low, _DATED + (day + dt.timedelta(days=1)).isoformat()


# One party's rows due on a day of a window: every accepted pair's rows of each of the
# day's (recurring day, first due day) groups, read from the filter index alone
# (``rows_match``: a, b, key, order) in one read. A page is sorted by what follows the
# order's day (document, IRI) in SQL: at 300,000 documents, 15 June holds 39,546 of one
# party's rows in ten groups over 1,266 pairs, a first page 22 ms (a read per group cost
# 5.5 ms, about 100 ms for the ten). A page deep into the day is cut from the whole
# day sorted in Python (75 ms; SQL's sort with an offset of 39,000: 180 ms).
_PARTY_DAY_SQL = (
    "SELECT r.pos - 1, r.ord FROM temp.wanted AS w CROSS JOIN temp.spans AS h "
    "CROSS JOIN rows AS r INDEXED BY rows_match ON r.a IS w.a AND r.b IS w.b "
    "AND r.key IS h.key AND r.ord >= h.low AND r.ord < h.high")
_PARTY_PAGE_SQL = _PARTY_DAY_SQL + f" ORDER BY substr(r.ord, {_HEAD + 1}) LIMIT ? OFFSET ?"


def _party_day(rows: RowFolder, table: RowTable, day: _Day, skip: int, take: int
               ) -> list[Picked]:
    """Rows ``skip`` to ``skip + take`` of a day of one party's window (every part a
    ``_Paired`` of one ``Party``), in the answer's order."""
    parts = [part for part, _ in day.parts if isinstance(part, _Paired)]
    assert len(parts) == len(day.parts)
    spans = [(p.key, *_day_bounds(p.day)) for p in parts]
    pairs = parts[0].party.pairs
    if (skip + take) * 4 > day.size:  # deep into the day: SQL's sort would keep most rows
        found = rows.with_pairs(table, pairs, _PARTY_DAY_SQL, spans=spans)
        found.sort(key=lambda row: row[1][_HEAD:])
        found = found[skip:skip + take]
    else:
        found = rows.with_pairs(table, pairs, _PARTY_PAGE_SQL, (take, skip), spans=spans)
    due = day.due.isoformat()
    return [Picked(position, day.due, order[len(_DATED):_HEAD] != due)
            for position, order in found]


def _ordered(rows: RowFolder, table: RowTable, part: _Run | _Keyed, need: int
             ) -> list[tuple[int, str]]:
    """(position, order) of the first ``need`` rows of ``part``."""
    if isinstance(part, _Run):
        stop = min(part.stop, part.start + need)
        return list(zip(range(part.start, stop), rows.orders(table, part.start, stop),
                        strict=True))
    low, high = _day_bounds(part.group.day)
    assert part.group.key is not None  # only recurring groups move
    return rows.keyed(table, part.group.key, low, high, min(need, part.group.size))


def _merged(rows: RowFolder, table: RowTable, day: _Day, skip: int, take: int
            ) -> list[Picked]:
    """Rows ``skip`` to ``skip + take`` of ``day`` in the answer's order: its parts
    merged by document and IRI (the order after the day), none read past ``skip +
    take`` rows; a party's day in one read (``_party_day``)."""
    if isinstance(day.parts[0][0], _Paired):
        return _party_day(rows, table, day, skip, take)
    need = skip + take
    sources = [[(order[_HEAD:], Picked(p, day.due, moved))
                for p, order in _ordered(rows, table, part, need)]
               for part, moved in day.parts if not isinstance(part, _Paired)]
    merged = heapq.merge(*sources, key=lambda item: item[0])
    return [picked for _, picked in islice(merged, skip, need)]


class DayOrders:
    """The merged order of the days of the table a page was cut deep into, kept for the
    pages after it: a client reads a window page after page, and at 300,000 documents a
    day such as 15 June holds 40,000 rows, whose page in the middle reads and merges
    half of them (about 80 ms); kept, the next pages of that day read only their own
    rows. At most ``max_rows`` rows in all (9 bytes each), the least recently used day
    dropped first; a day of one party's rows is kept as the table's are (named by its
    ``Party``). Safe to share between threads."""

    def __init__(self, max_rows: int = 1_000_000) -> None:
        self.max_rows = max_rows
        self._days: OrderedDict[Hashable, tuple[array[int], bytes]] = OrderedDict()
        self._rows = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        """How many days are kept."""
        with self._lock:
            return len(self._days)

    @property
    def kept_rows(self) -> int:
        """How many rows the kept days hold."""
        with self._lock:
            return self._rows

    @staticmethod
    def _key(table: RowTable, day: _Day) -> Hashable:
        return table.table, day.due, day.parts

    def rows_of(self, rows: RowFolder, table: RowTable, day: _Day, skip: int, take: int
                ) -> list[Picked] | None:
        """Rows ``skip`` to ``skip + take`` of ``day`` from its merged order (made and
        kept on first asking); None for a day too large to keep."""
        key = self._key(table, day)
        if day.size > self.max_rows:
            return None
        with self._lock:
            found = self._days.get(key)
            if found is not None:
                self._days.move_to_end(key)
        if found is None:
            merged = _merged(rows, table, day, 0, day.size)
            found = (array("q", (p.position for p in merged)),
                     bytes(p.moved for p in merged))
            self._keep(key, found)
        positions, moved = found
        return [Picked(positions[i], day.due, bool(moved[i]))
                for i in range(skip, min(skip + take, len(positions)))]

    def _keep(self, key: Hashable, order: tuple[array[int], bytes]) -> None:
        with self._lock:
            if key in self._days:
                return
            self._days[key] = order
            self._rows += len(order[0])
            while self._rows > self.max_rows:
                _, (gone, _) = self._days.popitem(last=False)
                self._rows -= len(gone)


def _day_rows(rows: RowFolder, table: RowTable, day: _Day, skip: int, take: int,
              orders: DayOrders | None) -> list[Picked]:
    """Rows ``skip`` to ``skip + take`` of ``day``, in the answer's order. A day of one
    run is not read at all; a page past the first of a merged day comes from ``orders``
    when given."""
    part, moved = day.parts[0]
    if len(day.parts) == 1 and isinstance(part, _Run):
        return [Picked(p, day.due, moved)
                for p in range(part.start + skip, min(part.stop, part.start + skip + take))]
    if skip and orders is not None:
        kept = orders.rows_of(rows, table, day, skip, take)
        if kept is not None:
            return kept
    return _merged(rows, table, day, skip, take)


def window_page(rows: RowFolder, table: RowTable, win: DueWindow, offset: int, limit: int,
                orders: DayOrders | None = None) -> list[Picked]:
    """Rows ``offset`` to ``offset + limit`` of the window ``win`` of ``table`` (the
    merged days kept in ``orders``, when given)."""
    out: list[Picked] = []
    seen = 0  # rows of the days before the one at hand
    for day in win.days:
        if len(out) >= limit:
            break
        if seen + day.size > offset:
            skip = max(0, offset - seen)
            out += _day_rows(rows, table, day, skip, limit - len(out), orders)
        seen += day.size
    return out


# What a party's window is counted from: its pairs' rows per (first due day, recurring
# day or None), summed over the pairs (``due_summary``'s ``due_pairs``)
_PARTY_SQL = (
    "SELECT p.day, p.key, sum(p.n) FROM temp.wanted AS w JOIN due_pairs AS p "
    "ON p.a IS w.a AND p.b IS w.b GROUP BY p.day, p.key ORDER BY p.day, p.key")


def party_due(rows: RowFolder, table: RowTable, bearer: RowTest | None,
              recipient: RowTest | None) -> Party:
    """The rows with a due day whose bearer and recipient the tests accept (None: any),
    as groups of the table's due summary: each distinct (bearer, recipient) pair of the
    table tested once, the accepted pairs' groups summed. No row is read: at 300,000
    documents, a party of 97,166 rows (1,266 pairs of 6,759) in about 15 ms, where
    reading and grouping its rows took 230 ms."""
    def accepted(pair: Pair) -> bool:
        return (bearer is None or bearer(pair[0])) and (recipient is None or recipient(pair[1]))

    pairs = tuple(p for p in rows.select(table, "SELECT a, b FROM due_parties")
                  if accepted(p))
    found = rows.with_pairs(table, pairs, _PARTY_SQL)
    return Party(pairs, tuple((dt.date.fromisoformat(day), key, n) for day, key, n in found))


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
