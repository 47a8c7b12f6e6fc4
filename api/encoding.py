"""Content codings (RFC 9110 §8.4, §12.5.3) for the large kept answers.

``/calendar.ics`` is tens of megabytes for a national corpus and calendar clients poll
it; it is kept gzip-compressed next to its plain bytes, and sent compressed to a client
whose ``Accept-Encoding`` allows it. Each coding is its own representation, so it has
its own entity tag (``gzip_tag``); either tag in ``If-None-Match`` names the same
content.
"""

from __future__ import annotations

import gzip

__all__ = ["accepts_gzip", "gzip_bytes", "gzip_tag"]


def _weight(params: str) -> float:
    """The ``q`` of one ``Accept-Encoding`` item's parameters (1 when absent, 0 when
    unreadable: a malformed weight never turns compression on)."""
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "q":
            try:
                return float(value.strip())
            except ValueError:
                return 0.0
    return 1.0


def accepts_gzip(header: str | None) -> bool:
    """Whether an ``Accept-Encoding`` header allows ``gzip``.

    ``gzip`` (or its alias ``x-gzip``) by name, else ``*``; a weight of 0 refuses it. No
    header means no preference: the plain bytes are sent (what a client that cannot
    decompress expects).
    """
    weights: dict[str, float] = {}
    for item in (header or "").split(","):
        name, _, params = item.partition(";")
        name = name.strip().lower()
        if name:
            weights[name] = _weight(params)
    for name in ("gzip", "x-gzip", "*"):
        if name in weights:
            return weights[name] > 0
    return False


def gzip_bytes(body: bytes) -> bytes:
    """``body`` gzip-compressed, the same bytes every time (no timestamp in the header)."""
    return gzip.compress(body, compresslevel=6, mtime=0)


def gzip_tag(etag: str) -> str:
    """The entity tag of the gzip-coded representation of the content tagged ``etag``."""
    return f'{etag[:-1]}-gzip"' if etag.endswith('"') else f"{etag}-gzip"
