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

Filtered by bearer or recipient (``party_window``), the rows the filter keeps (matched
once per store generation, ``AppState.matched``) are read for their first day and key
and sorted: the cost is that of the rows kept, not of the window.
"""

from __future__ import annotations

import datetime as dt
import heapq
import sqlite3
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import NamedTuple

from api.obligation_window import next_due
from api.row_table import RowFolder, RowTable

__all__ = ["DueGroup", "DueWindow", "Picked", "due_summary", "party_window", "read_summary",
           "recurring_key", "window", "window_body", "window_page", "with_next_due"]

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


class _Day(NamedTuple):
    """The rows due on one day of a window: the run of positions ``start``–``stop`` of
    the rows first due that day, and the recurring groups first due before the window
    that come back that day (``moved``); ``size`` rows in all."""

    due: dt.date
    start: int
    stop: int
    moved: tuple[DueGroup, ...]
    size: int


@dataclass(frozen=True, slots=True)
class DueWindow:
    """The days of a window that hold rows, in order, and how many rows they hold."""

    days: tuple[_Day, ...]
    total: int


def window(groups: Iterable[DueGroup], after: dt.date | None, before: dt.date | None
           ) -> DueWindow:
    """The days of the window ``after``–``before`` (either side may be open, not both)
    from the table's summary, with the rows due on each, as ``next_due`` places them."""
    if after is None and before is None:
        raise ValueError("a due window needs due_after or due_before")
    runs: dict[dt.date, tuple[int, int]] = {}
    moved: dict[dt.date, list[DueGroup]] = defaultdict(list)
    for g in groups:
        due = next_due(g.day, g.key is not None, after, before)
        if due is None:
            continue
        if due == g.day:  # first due inside the window: one run per day
            start, size = runs.get(due, (g.start, 0))
            runs[due] = (min(start, g.start), size + g.size)
        else:  # a recurring day first due before the window (due > day)
            moved[due].append(g)
    days = []
    for due in sorted(runs.keys() | moved.keys()):
        start, size = runs.get(due, (0, 0))
        back = tuple(moved.get(due, ()))
        days.append(_Day(due, start, start + size, back, size + sum(g.size for g in back)))
    return DueWindow(tuple(days), sum(d.size for d in days))


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


def _day_rows(rows: RowFolder, table: RowTable, day: _Day, skip: int, take: int
              ) -> Iterator[Picked]:
    """Rows ``skip`` to ``skip + take`` of ``day``, in the answer's order: the run of the
    rows first due that day merged, by document and IRI, with the moved groups' rows,
    each read in order through the key index. No source is read past ``skip + take``."""
    if not day.moved:
        stop = min(day.stop, day.start + skip + take)
        return (Picked(p, day.due, False) for p in range(day.start + skip, stop))
    need = skip + take
    sources: list[Iterator[tuple[str, Picked]]] = []
    if day.stop > day.start:
        stop = min(day.stop, day.start + need)
        orders = rows.orders(table, day.start, stop)
        sources.append(((o[_HEAD:], Picked(p, day.due, False))
                        for p, o in zip(range(day.start, stop), orders, strict=True)))
    for g in day.moved:
        assert g.key is not None  # only recurring groups move
        low, high = _day_bounds(g.day)
        found = rows.keyed(table, g.key, low, high, min(need, g.size))
        sources.append(((o[_HEAD:], Picked(p, day.due, True)) for p, o in found))
    merged = heapq.merge(*sources, key=lambda item: item[0])
    return (picked for _, picked in islice(merged, skip, need))


def window_page(rows: RowFolder, table: RowTable, win: DueWindow, offset: int, limit: int
                ) -> list[Picked]:
    """Rows ``offset`` to ``offset + limit`` of the window ``win`` of ``table``."""
    out: list[Picked] = []
    seen = 0  # rows of the days before the one at hand
    for day in win.days:
        if len(out) >= limit:
            break
        if seen + day.size > offset:
            skip = max(0, offset - seen)
            out += _day_rows(rows, table, day, skip, limit - len(out))
        seen += day.size
    return out


def party_window(rows: RowFolder, table: RowTable, kept: Sequence[int],
                 after: dt.date | None, before: dt.date | None) -> list[Picked]:
    """Every row of the window among the rows at the positions ``kept`` (in order: a
    bearer or recipient filter's), in the answer's order."""
    if after is None and before is None:
        raise ValueError("a due window needs due_after or due_before")
    dated = bisect_left(kept, _first_undated(rows, table))
    positions = list(kept[:dated])
    found = []
    for p, order, key in zip(positions, rows.at(table, positions, "ord"),
                             rows.at(table, positions, "key"), strict=True):
        first = dt.date.fromisoformat(order[1:_HEAD])
        due = next_due(first, key is not None, after, before)
        if due is not None:
            found.append(((due, order[_HEAD:]), Picked(p, due, due != first)))
    return [picked for _, picked in sorted(found, key=lambda item: item[0])]


def _first_undated(rows: RowFolder, table: RowTable) -> int:
    """The position of the table's first row without a due day (its size: none)."""
    found = rows.select(table, "SELECT coalesce(sum(n), 0) FROM due_days")
    return int(found[0][0])


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
