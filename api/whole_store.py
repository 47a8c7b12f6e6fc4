"""The whole-store reports the API keeps (``api.report_keeper``): each reads the whole
store, takes only the store, and returns what its endpoint serves.

They run in a query worker (``api.query_runner``), so they are module-level functions
(a process worker receives them by name).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from api.cache import entity_tag
from api.encoding import gzip_bytes, gzip_tag
from api.obligation_window import obligation_rows

__all__ = ["CalendarFile", "calendar_file", "conflict_rows", "submission_rows",
           "whole_store_reports"]


@dataclass(frozen=True, slots=True)
class CalendarFile:
    """``/calendar.ics`` as served: the UTF-8 bytes, the same gzip-compressed, and the
    entity tag of each (``api.encoding``).

    Built once per store generation: at 100,000 documents the calendar is 49.5 MB, and
    calendar clients poll it; a client that sends a tag back (``If-None-Match``) gets
    a 304 instead of the file, one that accepts gzip gets the compressed bytes, and no
    request encodes, compresses or hashes it again."""

    body: bytes
    etag: str
    gzipped: bytes
    gzip_etag: str


def calendar_file(store: Any) -> CalendarFile:
    """``/calendar.ics``: every deadline as an iCalendar (``graph.calendar``)."""
    from graph.calendar import calendar

    body = calendar(store).encode("utf-8")
    etag = entity_tag(body)
    return CalendarFile(body, etag, gzip_bytes(body), gzip_tag(etag))


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
