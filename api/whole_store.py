"""The whole-store reports the API keeps (``api.report_keeper``): each reads the whole
store, takes only the store, and returns what its endpoint serves.

They run in a query worker (``api.query_runner``), so they are module-level functions
(a process worker receives them by name).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from api.cache import entity_tag
from api.encoding import gzip_bytes, gzip_tag
from api.obligation_window import obligation_rows
from graph.calendar import CALENDAR_TAIL, calendar_events, calendar_head, vevent_text

__all__ = ["CalendarFile", "calendar_file", "conflict_rows", "submission_rows",
           "whole_store_reports"]


@dataclass(frozen=True, slots=True)
class CalendarFile:
    """``/calendar.ics`` as served: the UTF-8 bytes, the same gzip-compressed, and the
    entity tag of each (``api.encoding``).

    Built once per store generation: at 100,000 documents the calendar is 49.5 MB, and
    calendar clients poll it; a client that sends a tag back (``If-None-Match``) gets
    a 304 instead of the file, one that accepts gzip gets the compressed bytes, and no
    request encodes, compresses or hashes it again. ``events`` gives each obligation's
    event as a byte span of ``body``, so that a filtered calendar (``only``) is cut
    from it rather than read from the store again."""

    body: bytes
    etag: str
    gzipped: bytes
    gzip_etag: str
    events: Mapping[str, tuple[int, int]]

    @classmethod
    def of(cls, head: str, events: Sequence[tuple[str, str]]) -> CalendarFile:
        """The file of ``head``, then each (obligation IRI, event text), then the tail."""
        parts, spans, at = [head.encode("utf-8")], {}, len(head.encode("utf-8"))
        for obligation, text in events:
            data = text.encode("utf-8")
            parts.append(data)
            spans[obligation] = (at, at + len(data))
            at += len(data)
        body = b"".join([*parts, CALENDAR_TAIL.encode("utf-8")])
        etag = entity_tag(body)
        return cls(body, etag, gzip_bytes(body), gzip_tag(etag), spans)

    def only(self, obligations: Iterable[str], subtitle: str | None) -> CalendarFile:
        """The calendar of these obligations' events (in this calendar's order), named
        with ``subtitle``."""
        wanted = sorted((self.events[o], o) for o in set(obligations) if o in self.events)
        return CalendarFile.of(calendar_head(subtitle),
                               [(o, self.body[a:b].decode("utf-8")) for (a, b), o in wanted])


def calendar_file(store: Any) -> CalendarFile:
    """``/calendar.ics``: every deadline as an iCalendar (``graph.calendar``)."""
    events, _ = calendar_events(store)
    return CalendarFile.of(calendar_head(), [(e.obligation, vevent_text(e)) for e in events])


def conflict_rows(store: Any) -> list[dict[str, Any]]:
    """``/conflicts``: documents cited with different dates or issuers."""
    from graph.reports import conflicts

    return [c.as_dict() for c in conflicts(store)]


def submission_rows(store: Any, obligation: str | None = None) -> list[dict[str, Any]]:
    """``/submissions``: appendix-table cells judged against their deadlines (all of them,
    or those of one ``obligation``)."""
    from graph.reports import submissions

    return [s.as_dict() for s in submissions(store, obligation)]


def whole_store_reports() -> dict[str, Callable[[Any], Any]]:
    """The reports the keeper builds, by name, in the order it builds them after a write:
    ``/obligations`` without a window first (its default listing), then the calendar,
    conflicts and submissions."""
    return {"obligations": obligation_rows, "calendar": calendar_file,
            "conflicts": conflict_rows, "submissions": submission_rows}
