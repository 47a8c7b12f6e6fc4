"""Deadlines of the graph as an RFC 5545 iCalendar, written by hand.

One all-day ``VEVENT`` per obligation with a deadline. A recurring month-day
deadline (``--12-15``) recurs yearly (``RRULE:FREQ=YEARLY``) from its first
occurrence on or after the date of the document that sets it; an absolute deadline
is a single all-day event. A half-yearly or quarterly report pinned to one day of the
year ("báo cáo 6 tháng … trước ngày 30 tháng 5") is also yearly *on that day*: the
other half-year's report is a separate obligation with its own day.

Output is deterministic: UIDs derive from the obligation IRI and ``DTSTAMP`` from the
document date (or the deadline itself), never from the clock.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from graph.reports import (
    DocFact,
    ObligationFact,
    creator_headers,
    document_year,
    documents,
    obligations,
)
from ontology.terms import FREQUENCY_LABELS, Frequency

__all__ = ["CALENDAR_TAIL", "CalendarEvent", "calendar", "calendar_events", "calendar_head",
           "escape_text", "events_of", "fold_line", "render", "vevent_text"]

PRODID = "-//luocdo//Deadlines//VI"
CALENDAR_NAME = "Thời hạn báo cáo (luocdo)"
CALENDAR_TAIL = "END:VCALENDAR\r\n"


@dataclass(frozen=True, slots=True)
class CalendarEvent:
    """One deadline, ready to be written as a VEVENT."""

    uid: str
    start: dt.date
    yearly: bool
    summary: str
    description: str
    stamp: dt.date
    obligation: str


def escape_text(value: str) -> str:
    r"""Escape a TEXT value (RFC 5545 §3.3.11): ``\\``, ``;``, ``,`` and newlines."""
    out = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return out.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold_line(line: str, limit: int = 75) -> str:
    """Fold one content line at ``limit`` octets (RFC 5545 §3.1), never inside a character.

    Continuation lines start with one space, which counts towards their limit.
    """
    parts: list[str] = []
    current = ""
    size = 0
    for ch in line:
        width = len(ch.encode("utf-8"))
        room = limit if not parts else limit - 1
        if size + width > room:
            parts.append(current)
            current, size = "", 0
        current += ch
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def _uid(iri: str) -> str:
    return f"{uuid.uuid5(uuid.NAMESPACE_URL, iri)}@luocdo"


def _first_occurrence(o: ObligationFact, doc: DocFact | None, year: int | None) -> dt.date | None:
    """First due day of ``o``: the absolute date, or the month-day in the document's year,
    rolled over to the next year when it falls before the document date (notes §6)."""
    if o.due_date is not None:
        return o.due_date
    md = o.month_day()
    if md is None or year is None:
        return None
    first = _safe_date(year, *md)
    if doc is not None and doc.date is not None and first < doc.date:
        first = _safe_date(year + 1, *md)
    return first


def _safe_date(year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:  # 29 February in a common year
        return dt.date(year, 3, 1) - dt.timedelta(days=1)


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split())


def _summary(o: ObligationFact, doc: DocFact | None) -> str:
    once = o.frequency in (None, Frequency.ONCE)
    freq = "" if once or o.frequency is None else f" {FREQUENCY_LABELS[o.frequency][0]}"
    what = f"Hạn gửi báo cáo{freq}" if "bao cao" in o.text() else f"Hạn thực hiện{freq}"
    to = f" về {o.recipient}" if o.recipient else ""
    src = f" ({doc.label})" if doc is not None else ""
    return f"{what}{to}{src}"


def _description(o: ObligationFact, doc: DocFact | None) -> str:
    lines = []
    if doc is not None:
        when = f" ngày {doc.date.strftime('%d/%m/%Y')}" if doc.date else ""
        title = f": {_one_line(doc.title)}" if doc.title else ""
        lines.append(f"Văn bản: {doc.label}{when}{title}")
    lines.append(f"Đơn vị thực hiện: {o.bearer or '(không rõ)'}")
    lines.append(f"Nơi nhận báo cáo: {o.recipient or '(không rõ)'}")
    lines.append(f"Thời hạn: {o.deadline}")
    if o.frequency:
        lines.append(f"Tần suất: {FREQUENCY_LABELS[o.frequency][0]}")
    if o.evidence is not None:
        lines.append(f"Trích nguyên văn: “{_one_line(o.evidence.quote)}”")
        lines.append(f"Nguồn: {o.evidence.source} [{o.evidence.start}-{o.evidence.end}]")
    return "\n".join(lines)


def _event(o: ObligationFact, doc: DocFact | None, year: int | None) -> CalendarEvent | None:
    start = _first_occurrence(o, doc, year)
    if start is None:
        return None
    return CalendarEvent(
        uid=_uid(o.iri),
        start=start,
        yearly=o.due_date is None,
        summary=_summary(o, doc),
        description=_description(o, doc),
        stamp=doc.date if doc is not None and doc.date is not None else start,
        obligation=o.iri,
    )


def calendar_events(
    store: Any, *, document: str | None = None
) -> tuple[list[CalendarEvent], list[ObligationFact]]:
    """Events for every obligation with a deadline, and the deadlines that have no year.

    A recurring deadline needs a first year: the date of its document, or (for a
    letter whose header was lost) the year of that document's absolute deadlines.
    Obligations whose first year cannot be known are returned second.

    Args:
        store: the graph store.
        document: only the obligations this document creates (read by bound lookups
            of that document alone); None for the whole store.
    """
    obls = obligations(store, document=document)
    # a document's evidence is not shown: the whole store reads the obligations'
    # documents without it
    docs = documents(store, document) if document is not None else creator_headers(store, obls)
    return events_of(docs, obls)


def events_of(docs: Mapping[str, DocFact], facts: Sequence[ObligationFact]
              ) -> tuple[list[CalendarEvent], list[ObligationFact]]:
    """``calendar_events`` of facts already read: ``docs`` by IRI and the obligations."""
    obls = [o for o in facts if o.deadline]
    by_doc: Mapping[str, Sequence[ObligationFact]] = _by_document(obls)
    events, skipped = [], []
    for o in obls:
        doc = docs.get(o.document or "")
        event = _event(o, doc, document_year(doc, by_doc.get(o.document or "", ())))
        if event is None:
            skipped.append(o)
        else:
            events.append(event)
    events.sort(key=lambda e: (e.start, e.uid))
    return events, skipped


def _by_document(obls: Sequence[ObligationFact]) -> dict[str, list[ObligationFact]]:
    out: dict[str, list[ObligationFact]] = defaultdict(list)
    for o in obls:
        out[o.document or ""].append(o)
    return out


def _vevent(e: CalendarEvent) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{e.uid}",
        f"DTSTAMP:{e.stamp.strftime('%Y%m%d')}T000000Z",
        f"DTSTART;VALUE=DATE:{e.start.strftime('%Y%m%d')}",
        f"DTEND;VALUE=DATE:{(e.start + dt.timedelta(days=1)).strftime('%Y%m%d')}",
    ]
    if e.yearly:
        lines.append("RRULE:FREQ=YEARLY")
    lines += [
        f"SUMMARY;LANGUAGE=vi:{escape_text(e.summary)}",
        f"DESCRIPTION;LANGUAGE=vi:{escape_text(e.description)}",
        "TRANSP:TRANSPARENT",
        f"X-LUOCDO-OBLIGATION:{e.obligation}",
        "END:VEVENT",
    ]
    return lines


def _content(lines: Sequence[str]) -> str:
    return "".join(fold_line(line) + "\r\n" for line in lines)


def calendar_head(subtitle: str | None = None) -> str:
    """The calendar's opening lines, up to its first event; ``subtitle`` (what a filtered
    calendar holds) is added to its name."""
    name = CALENDAR_NAME + (f" – {subtitle}" if subtitle else "")
    return _content(["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}",
                     "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
                     f"X-WR-CALNAME:{escape_text(name)}"])


def vevent_text(event: CalendarEvent) -> str:
    """One event's folded content lines."""
    return _content(_vevent(event))


def render(events: Sequence[CalendarEvent], subtitle: str | None = None) -> str:
    """The iCalendar text for ``events`` (CRLF line ends, folded at 75 octets)."""
    return calendar_head(subtitle) + "".join(map(vevent_text, events)) + CALENDAR_TAIL


def calendar(store: Any, *, document: str | None = None) -> str:
    """RFC 5545 calendar of every obligation deadline in the graph (or of one document's)."""
    events, _ = calendar_events(store, document=document)
    return render(events)
