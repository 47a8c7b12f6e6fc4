"""``GET /obligations``: obligations due in a window, a page at a time.

A due window is answered from the month index (``graph/queries/obligations_window.rq``:
the deadlines of the window's months, a few exact lookups per month); the whole store
is read (``obligation_rows``) only when no window is given. Both give the same rows in
the same order (by next due day, then document, then obligation IRI).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from rdflib import URIRef

from api.search import text_matches
from graph.queries import load_query

if TYPE_CHECKING:
    from graph.reports import DocFact, ObligationFact

OBLIGATION_PAGE = 500  # rows per page unless ``limit`` says otherwise
OBLIGATION_PAGE_MAX = 5000
# A window open on one side reaches at least this far past its given side, so that every
# recurring day of the year ("--MM") is among the months the index is read for.
_OPEN_REACH = dt.timedelta(days=366)

# (next due day, document, obligation IRI): a row of a window, in the answer's order
DueRow = tuple[dt.date | None, str, str]


def _obligation_row(o: ObligationFact, doc: DocFact | None) -> dict[str, Any]:
    """The ``Obligation`` fields of one fact (without ``next_due``)."""
    return {
        "iri": o.iri, "document": o.document, "document_symbol": doc.label if doc else None,
        "bearer": o.bearer, "recipient": o.recipient, "action": o.action,
        "deadline": o.deadline, "recurring": o.due_date is None and bool(o.due_month_day),
        "frequency": str(o.frequency) if o.frequency else None,
        "evidence": o.evidence.as_dict() if o.evidence else None,
    }


def obligation_rows(store: Any) -> list[dict[str, Any]]:
    """Every obligation with its first due day (``graph.calendar``) and its document.

    The whole-store read of ``GET /obligations`` without a due window, in the answer's
    order (``due_order`` of the first due day).
    """
    from graph.calendar import calendar_events
    from graph.reports import documents, obligations

    docs = documents(store)
    first = {e.obligation: e.start for e in calendar_events(store)[0]}
    rows = [{**_obligation_row(o, docs.get(o.document or "")), "first": first.get(o.iri)}
            for o in obligations(store)]
    return sorted(rows, key=lambda r: due_order(r["first"], r["document"], r["iri"]))


def _shift(day: dt.date, year: int) -> dt.date:
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return day.replace(year=year, day=28)


def next_due(first: dt.date | None, recurring: bool, after: dt.date | None,
             before: dt.date | None) -> dt.date | None:
    """The first due day on or after ``after`` (and on or before ``before``), if any."""
    if first is None:
        return None
    day = first
    if recurring and after is not None and day < after:
        day = _shift(first, after.year)
        if day < after:
            day = _shift(first, after.year + 1)
    if after is not None and day < after:
        return None
    if before is not None and day > before:
        return None
    return day


def due_order(due: dt.date | None, document: str | None, iri: str) -> tuple[Any, ...]:
    """Sort key of the answer: next due day (none last), then document, then IRI."""
    return (due is None, due or dt.date.min, document or "", iri)


def due_months(store: Any) -> tuple[dt.date, dt.date] | None:
    """First day of the earliest and last day of the latest month holding a due date
    (recurring days aside), or None when no deadline has a date."""
    rows = store.query(load_query("due_months")).rows
    first, last = (rows[0].get(k) for k in ("first", "last")) if rows else (None, None)
    if first is None or last is None:
        return None
    try:
        start = dt.date.fromisoformat(f"{first}-01")
        end = dt.date.fromisoformat(f"{last}-01")
    except ValueError:  # a malformed key: read every deadline (exact, if slower)
        return dt.date.min, dt.date.max
    return start, _month_end(end)


def _month_end(first: dt.date) -> dt.date:
    """Last day of the month that starts on ``first``."""
    if first.month == 12:
        return first.replace(day=31)
    return first.replace(month=first.month + 1) - dt.timedelta(days=1)


def _reach(day: dt.date, step: dt.timedelta) -> dt.date:
    """``day + step``, kept within the dates Python can hold."""
    try:
        return day + step
    except OverflowError:
        return dt.date.max if step > dt.timedelta(0) else dt.date.min


def window_bounds(after: dt.date | None, before: dt.date | None,
                  months: tuple[dt.date, dt.date] | None) -> tuple[dt.date, dt.date]:
    """The days the month index is read between for the due window ``after``–``before``.

    A given side is kept. An open side becomes the store's earliest (or latest) due
    date (``months``, from ``due_months``), widened to at least a year beyond the other
    side: every absolute deadline that may fall in the window then lies between the two,
    and the span holds every month, so every recurring day is read. A span over
    ``graph.queries.MAX_MONTHS`` months leaves the index unused (the query then reads
    every deadline, still without the whole-store read of ``obligation_rows``).

    Raises:
        ValueError: both sides open (that is the whole-store read).
    """
    if after is None and before is None:
        raise ValueError("a due window needs due_after or due_before")
    if after is None:
        assert before is not None
        low = _reach(before, -_OPEN_REACH)
        return (min(low, months[0]) if months else low), before
    if before is None:
        high = _reach(after, _OPEN_REACH)
        return after, (max(high, months[1]) if months else high)
    return after, before


def _window_facts(store: Any, start: dt.date, end: dt.date
                  ) -> tuple[list[ObligationFact], dict[str, set[str]]]:
    """Obligations with a deadline in the months of ``start``–``end`` (``obligations_window``),
    read as ``graph.reports`` reads them (first value of each field), with the date values
    of each creating document."""
    from graph.queries import run_named
    from graph.reports import ObligationFact

    columns: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    doc_dates: dict[str, set[str]] = defaultdict(set)
    window: dict[str, Any] = {"from": start, "to": end}  # "from" is a Python keyword
    for row in run_named(store, "obligations_window", **window).rows:
        seen = columns[str(row["obligation"])]
        for name, value in row.items():
            seen[name].add(str(value))
        if "docDate" in row and str(row.get("docIsDocument")) == "true":
            doc_dates[str(row["doc"])].add(str(row["docDate"]))

    def first(values: set[str]) -> str | None:
        return min(values) if values else None

    facts = [ObligationFact(iri=iri, document=first(c["doc"]), bearer=first(c["bearer"]),
                            recipient=first(c["recipient"]), action=None,
                            due_date=_iso_date(first(c["dueDate"])),
                            due_month_day=first(c["dueMonthDay"]), frequency=None,
                            delegates_to=(), outlines=(), evidence=None)
             for iri, c in columns.items()]
    return facts, doc_dates


def _iso_date(value: str | None) -> dt.date | None:
    """A date literal's day (as ``graph.reports`` parses it), None when it is not one."""
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _document_dates(store: Any, docs: set[str], values: dict[str, set[str]]
                    ) -> dict[str, dt.date | None]:
    """Each document's own date, as ``graph.reports.documents`` gives it.

    One date value is the date; a document with several is read in full (its header
    evidence decides, ``graph.reports``), one with none has no date.
    """
    from graph.reports import read_documents

    dated = {d: {x for x in map(_iso_date, values.get(d, ())) if x} for d in docs}
    out = {d: next(iter(v)) if len(v) == 1 else None for d, v in dated.items()}
    several = sorted(d for d, v in dated.items() if len(v) > 1)
    if several:
        facts = read_documents(store, several)
        out.update({d: facts[d].date if d in facts else None for d in several})
    return out


def _document_years(store: Any, dates: dict[str, dt.date | None]) -> dict[str, int | None]:
    """The year each document belongs to (``graph.reports.document_year``): its date's,
    else the one year of the absolute deadlines of the obligations it creates."""
    from graph.reports import document_year, read_obligations

    undated = sorted(d for d, day in dates.items() if day is None)
    own: dict[str, list[ObligationFact]] = defaultdict(list)
    for o in read_obligations(store, documents=undated) if undated else ():
        if o.deadline:
            own[o.document or ""].append(o)
    return {d: day.year if day else document_year(None, own.get(d, ()))
            for d, day in dates.items()}


def _first_due(o: ObligationFact, date: dt.date | None, year: int | None) -> dt.date | None:
    """First due day of ``o`` as ``graph.calendar`` gives it: the due date, or the
    recurring day in its document's year, the next year's when that is before the
    document's date."""
    from graph.reports import due_in

    if o.due_date is not None:
        return o.due_date
    if year is None:
        return None
    day = due_in(o, year)
    if day is not None and date is not None and day < date:
        day = due_in(o, year + 1)
    return day


def window_rows(store: Any, after: dt.date | None, before: dt.date | None,
                bearer: str | None, recipient: str | None) -> list[DueRow]:
    """The obligations due in a window (either side may be open, not both) whose bearer
    and recipient match, with their next due day, in the answer's order.

    Reads the month index (``obligations_window``) between ``window_bounds``, then applies
    ``next_due`` with the window as given: the same rows as the whole-store read.
    """
    months = due_months(store) if after is None or before is None else None
    start, end = window_bounds(after, before, months)
    facts, values = _window_facts(store, start, end)
    facts = [o for o in facts if text_matches(o.bearer, bearer)
             and text_matches(o.recipient, recipient)]
    recurring = {o.document or "" for o in facts if o.due_date is None}
    dates = _document_dates(store, recurring, values)
    years = _document_years(store, dates)
    out: list[DueRow] = []
    for o in facts:
        doc = o.document or ""
        first = _first_due(o, dates.get(doc), years.get(doc))
        due = next_due(first, o.due_date is None and bool(o.due_month_day), after, before)
        if due is not None:
            out.append((due, doc, o.iri))
    return sorted(out, key=lambda r: due_order(*r))


def _labelled(store: Any, docs: list[str]) -> dict[str, DocFact]:
    """The documents among ``docs`` with the fields their ``label`` shows (symbol, title),
    read as ``graph.reports.documents`` reads them (the first value of each)."""
    from graph.reports import DocFact

    values: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in store.query(load_query("document_labels"),
                                   {"doc": [URIRef(d) for d in docs]}).rows if docs else ():
        seen = values[str(row["doc"])]
        for name, value in row.items():
            seen[name].add(str(value))
    return {d: DocFact(iri=d, symbol=min(v["symbol"], default=None), key=None, date=None,
                       doc_type=None, title=min(v["title"], default=None), issuer=None,
                       attached_to=None)
            for d, v in values.items()}


def page_rows(store: Any, rows: list[DueRow]) -> list[dict[str, Any]]:
    """The ``Obligation`` fields of a page of ``window_rows``, in its order."""
    from graph.reports import read_obligations

    facts = {o.iri: o for o in read_obligations(store, iris=[r[2] for r in rows])}
    docs = _labelled(store, sorted({r[1] for r in rows}))
    return [{**_obligation_row(facts[iri], docs.get(doc)), "next_due": due}
            for due, doc, iri in rows if iri in facts]



def whole_store_page(rows: list[dict[str, Any]], bearer: str | None, recipient: str | None,
                     limit: int, offset: int) -> tuple[int, list[dict[str, Any]]]:
    """The total and one page of ``obligation_rows`` (already in the answer's order) whose
    bearer and recipient match; ``next_due`` is the first due day."""
    found = [r for r in rows if text_matches(r["bearer"], bearer)
             and text_matches(r["recipient"], recipient)]
    page = [{**{k: v for k, v in r.items() if k != "first"}, "next_due": r["first"]}
            for r in found[offset:offset + limit]]
    return len(found), page


