"""``GET /obligations``: obligations due in a window, a page at a time.

A due window is answered from the due index (``graph.due_index``: each deadline's row
packed in one value), read through ``graph/queries/obligations_window.rq`` from the due
pages of the days of the window's months (``graph.due_pages``: one value per day), or
from the entries of those months in a store that keeps no pages, so neither the
candidates nor a page of them costs a lookup per field and row; the whole store is
read (``obligation_rows``) only when no window is given. Both give the same rows in
the same order (by next due day, then document, then obligation IRI).

Each entry also says how many deadlines its obligation has (one with more than the
window's months show is read in full, since its first deadline decides) and its
document's date as the document's own file gives it (a yearly day starts in its
document's year). The window's entries are read as text (``run_named_text``), so a
month of twenty thousand yearly deadlines costs no rdflib term per value. Read besides
the index: the few documents whose files disagree on their date (``lo:ownDateCount``,
in the derived counts), the dates of documents whose entry gives none, the counts and
dates an older mapping's entries lack, and the labels of a page's documents.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from rdflib import URIRef

from api.search import text_matcher
from graph.queries import load_query

if TYPE_CHECKING:
    from graph.reports import DocFact, ObligationFact
    from ontology.terms import Frequency

OBLIGATION_PAGE = 500  # rows per page unless ``limit`` says otherwise
OBLIGATION_PAGE_MAX = 5000
_BATCH = 500  # IRIs per VALUES block
# A window open on one side reaches at least this far past its given side, so that every
# recurring day of the year ("--MM") is among the months the index is read for.
_OPEN_REACH = dt.timedelta(days=366)


class DueRow(NamedTuple):
    """A row of a window, in the answer's order: next due day, document, obligation, and
    what its ``Obligation`` fields are read from: its due-index entry (text values, as
    ``graph.queries.run_named_text`` unpacks them) or the obligation read in full (None
    for both: read it from the store)."""

    due: dt.date | None
    document: str
    iri: str
    entry: Mapping[str, str] | None = None
    fact: ObligationFact | None = None


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
    return list(iter_every_obligation_row(store))


def iter_every_obligation_row(store: Any) -> Iterator[dict[str, Any]]:
    """``obligation_rows`` one row at a time (``iter_obligation_rows``)."""
    from graph.reports import obligations

    return iter_obligation_rows(store, obligations(store))


def obligation_rows_of(store: Any, obls: Sequence[ObligationFact]) -> list[dict[str, Any]]:
    """``obligation_rows`` of the obligations ``obls`` (every obligation of each of their
    documents, for the first due days to be the whole store's), in the answer's order."""
    return list(iter_obligation_rows(store, obls))


def iter_obligation_rows(store: Any, obls: Sequence[ObligationFact]
                         ) -> Iterator[dict[str, Any]]:
    """``obligation_rows_of`` one row at a time: the facts are put in the rows' order
    first (``row_order`` reads only the first due day, document and IRI), and each row
    is made as it is taken, so a whole-store table (557,300 obligations at a million
    documents) is written without holding every row besides the facts."""
    from graph.calendar import events_of
    from graph.reports import creator_headers

    docs = creator_headers(store, obls)
    first = {e.obligation: e.start for e in events_of(docs, obls)[0]}
    for o in sorted(obls, key=lambda o: due_order(first.get(o.iri), o.document, o.iri)):
        yield {**_obligation_row(o, docs.get(o.document or "")), "first": first.get(o.iri)}


def row_order(row: Mapping[str, Any]) -> tuple[Any, ...]:
    """Where an ``obligation_rows`` row goes in the answer (``due_order``)."""
    return due_order(row["first"], row["document"], row["iri"])


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
            if after.year == dt.MAXYEAR:  # the next year is past every date
                return None
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


def _entry_fact(row: Mapping[str, str], frequencies: dict[str, Frequency | None]
                ) -> ObligationFact:
    """An obligation as one due-index entry gives it (one deadline, its evidence);
    ``frequencies`` remembers the frequency of each concept IRI met."""
    from graph.reports import Evidence, ObligationFact

    due = row["due"]
    recurring = due.startswith("--")
    quote, start, end = row.get("quote"), row.get("start"), row.get("end")
    evidence = (Evidence(row.get("path"), int(start), int(end), quote)
                if quote is not None and start is not None and end is not None else None)
    return ObligationFact(
        iri=row["obligation"], document=row["doc"], bearer=row.get("bearer"),
        recipient=row.get("recipient"), action=row.get("action"),
        due_date=None if recurring else _iso_date(due),
        due_month_day=due if recurring else None,
        frequency=_frequency(row.get("frequency"), frequencies),
        delegates_to=(), outlines=(), evidence=evidence)


def _frequency(concept: str | None, known: dict[str, Frequency | None]) -> Frequency | None:
    """The frequency of a concept IRI, read once per concept into ``known``."""
    from graph.reports import frequency_of

    if concept is None:
        return None
    if concept not in known:
        known[concept] = frequency_of(concept)
    return known[concept]


def _bound_in_chunks(store: Any, name: str, var: str, iris: Sequence[str]
                     ) -> list[dict[str, str]]:
    """Rows (lexical forms) of named query ``name`` with ``?var`` bound to ``iris``, a
    VALUES block of ``_BATCH`` at a time."""
    from graph.reports import bound_rows

    rows: list[dict[str, str]] = []
    for i in range(0, len(iris), _BATCH):
        rows += bound_rows(store, name, **{var: [URIRef(x) for x in iris[i:i + _BATCH]]})
    return rows


def _deadline_counts(store: Any, iris: list[str]) -> dict[str, int]:
    """How many deadlines those of ``iris`` with more than one have
    (``obligation_deadlines``); the others have one."""
    return {r["o"]: int(r["n"]) for r in _bound_in_chunks(store, "obligation_deadlines", "o",
                                                           iris)}


class _Candidate(NamedTuple):
    """An obligation with a deadline in the months of a window, before the exact window
    is applied: its first deadline as text (``2024-12-15`` or ``--12-15``) and where
    its fields come from (``DueRow``)."""

    iri: str
    document: str
    due: str | None
    bearer: str | None
    recipient: str | None
    entry: Mapping[str, str] | None
    fact: ObligationFact | None


def _candidates(store: Any, start: dt.date, end: dt.date) -> list[_Candidate]:
    """Obligations with a deadline in the months of ``start``–``end``, from their
    due-index entries (``obligations_window``) when those show every deadline the
    obligation has, else read in full (``read_obligations``).

    An entry says how many deadlines its obligation has; one packed by an older mapping
    does not, and those counts are looked up (``obligation_deadlines``)."""
    from graph.queries import run_named_text
    from graph.reports import read_obligations

    entries: dict[str, list[dict[str, str]]] = defaultdict(list)
    window: dict[str, Any] = {"from": start, "to": end}  # "from" is a Python keyword
    for row in run_named_text(store, "obligations_window", **window):
        entries[row["obligation"]].append(row)
    counts = _deadline_counts(store, sorted(i for i, rows in entries.items()
                                            if "deadlines" not in rows[0]))
    several = sorted(i for i, rows in entries.items() if len(rows) != (
        int(rows[0]["deadlines"]) if "deadlines" in rows[0] else counts.get(i, 1)))
    skip = set(several)
    found = [_Candidate(i, rows[0]["doc"], rows[0]["due"], rows[0].get("bearer"),
                        rows[0].get("recipient"), rows[0], None)
             for i, rows in entries.items() if i not in skip]
    return found + [_Candidate(o.iri, o.document or "", o.deadline, o.bearer, o.recipient,
                               None, o)
                    for o in (read_obligations(store, iris=several) if several else ())]


def _several_dates(store: Any) -> set[str] | None:
    """Documents whose own headers give them several dates (``lo:ownDateCount``, kept by
    the derived counts); None when the store holds no derived counts (never refreshed),
    so that no entry's date can be trusted."""
    from graph.reports import bound_rows

    if not bound_rows(store, "counts_kept"):
        return None
    return {r["doc"] for r in bound_rows(store, "documents_with_several_dates")}


def _entry_dates(store: Any, recurring: Sequence[_Candidate]) -> dict[str, dt.date | None]:
    """The date of each document of ``recurring`` as ``graph.reports.documents`` gives it.

    A due entry carries its document's date as its own file's header gives it; that is
    the document's one date unless the document has several (``_several_dates``) or the
    entry gives none (another file may date the document). Those are looked up.
    """
    several = _several_dates(store)
    given: dict[str, str] = {}
    unknown: set[str] = set()
    for c in recurring:
        day = c.entry.get("docDate") if c.entry is not None else None
        if day is None or several is None or c.document in several or given.get(
                c.document, day) != day:
            unknown.add(c.document)
        else:
            given[c.document] = day
    dates = {d: _iso_date(day) for d, day in given.items() if d not in unknown}
    return dates | _document_dates(store, unknown, _document_values(store, unknown))


def _document_values(store: Any, docs: set[str]) -> dict[str, set[str]]:
    """The date values of each of ``docs`` that is a ``lo:Document`` (``document_dates``)."""
    out: dict[str, set[str]] = defaultdict(set)
    for r in _bound_in_chunks(store, "document_dates", "doc", sorted(docs)):
        out[r["doc"]].add(r["date"])
    return out


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


def _first_due(due: str | None, date: dt.date | None, year: int | None) -> dt.date | None:
    """First due day of a deadline (``2024-12-15`` or ``--12-15``) as ``graph.calendar``
    gives it: the due date, or the recurring day in its document's year, the next
    year's when that is before the document's date."""
    from graph.reports import recurring_day

    if due is None or not due.startswith("--"):
        return _iso_date(due)
    if year is None:
        return None
    day = recurring_day(due, year)
    if day is not None and date is not None and day < date:
        day = recurring_day(due, year + 1)
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
    by_bearer, by_recipient = text_matcher(bearer), text_matcher(recipient)
    found = [c for c in _candidates(store, start, end)
             if by_bearer(c.bearer) and by_recipient(c.recipient)]
    dates = _entry_dates(store, [c for c in found if c.due and c.due.startswith("--")])
    years = _document_years(store, dates)
    out: list[DueRow] = []
    for c in found:
        recurring = c.due is not None and c.due.startswith("--")
        first = _first_due(c.due, dates.get(c.document), years.get(c.document))
        due = next_due(first, recurring, after, before)
        if due is not None:
            out.append(DueRow(due, c.document, c.iri, c.entry, c.fact))
    return sorted(out, key=lambda r: due_order(r.due, r.document, r.iri))


def _labelled(store: Any, docs: list[str]) -> dict[str, DocFact]:
    """The documents among ``docs`` with the fields their ``label`` shows (symbol, title),
    read as ``graph.reports.documents`` reads them (the first value of each)."""
    from graph.reports import DocFact

    values: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in _bound_in_chunks(store, "document_labels", "doc", docs):
        seen = values[row["doc"]]
        for name, value in row.items():
            seen[name].add(value)
    return {d: DocFact(iri=d, symbol=min(v["symbol"], default=None), key=None, date=None,
                       doc_type=None, title=min(v["title"], default=None), issuer=None,
                       attached_to=None)
            for d, v in values.items()}


def page_rows(store: Any, rows: list[DueRow]) -> list[dict[str, Any]]:
    """The ``Obligation`` fields of a page of ``window_rows``, in its order: from each
    row's entry or fact, the others read from the store, with the documents' labels."""
    from graph.reports import read_obligations

    unread = [r.iri for r in rows if r.entry is None and r.fact is None]
    facts = {o.iri: o for o in (read_obligations(store, iris=unread) if unread else ())}
    frequencies: dict[str, Frequency | None] = {}  # a handful of concepts
    docs = _labelled(store, sorted({r.document for r in rows}))
    out = []
    for r in rows:
        fact = r.fact or (_entry_fact(r.entry, frequencies) if r.entry is not None
                          else facts.get(r.iri))
        if fact is not None:
            doc = docs.get(r.document)
            out.append({**_obligation_row(fact, None),
                        "document_symbol": doc.label if doc else None, "next_due": r.due})
    return out


def party_rows(rows: Sequence[Mapping[str, Any]], bearer: str | None,
               recipient: str | None) -> list[Mapping[str, Any]]:
    """The obligation rows (or ``obligation_row``-like mappings) whose bearer and recipient
    match ``bearer`` and ``recipient`` as ``/documents?q=`` matches words (None: any)."""
    if not bearer and not recipient:
        return list(rows)
    by_bearer, by_recipient = text_matcher(bearer), text_matcher(recipient)
    return [r for r in rows if by_bearer(r["bearer"]) and by_recipient(r["recipient"])]


def parties_title(bearer: str | None, recipient: str | None) -> str | None:
    """What a calendar filtered by bearer and recipient holds, in its name (Vietnamese,
    as the calendar's own words are)."""
    said = [f"{label}: {value.strip()}" for label, value in
            (("đơn vị thực hiện", bearer), ("nơi nhận", recipient)) if value and value.strip()]
    return "; ".join(said) or None
