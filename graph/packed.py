"""Packed rows: several values of one query row kept in one literal.

A date-window query that joins a deadline to its obligation, document, bearer, recipient,
frequency and quote pays one index lookup per value and row: about 200 µs per row on
Oxigraph, 250 ms for a three-month window of a national corpus. The due index
(``graph.rdf``: ``lo:DueIndexMonth`` nodes with one ``lo:dueEntry`` per deadline) keeps
those values packed in one string instead, so the window costs one range read per month;
``graph.queries`` unpacks the column again (``# unpack:``) before anyone sees the row.

Format: the values joined by TAB, each escaped first (backslash → ``\\\\``, TAB → ``\\t``,
line feed → ``\\n``), so any text, TABs, line feeds and backslashes included, comes back
unchanged. A missing value is the empty string. TAB is an escape every RDF syntax and
SPARQL endpoint writes and reads (a control character such as U+001F is not).

Several packed rows can share one literal, one per line (``join_rows``, ``split_rows``):
the due pages of ``graph.due_pages``. A row packed before line feeds were escaped may
hold a raw one; ``join_rows`` escapes it, which ``unpack`` reads back as the same text
(every backslash of a packed row starts an escape, so a new ``\\n`` is never mistaken).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

__all__ = ["ROW_SEPARATOR", "SEPARATOR", "join_rows", "pack", "split_rows", "unpack"]

SEPARATOR = "\t"
ROW_SEPARATOR = "\n"  # between the packed rows of a page (join_rows)
_ESCAPES = {"\\": "\\", "t": "\t", "n": "\n"}


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def pack(values: Sequence[str | None]) -> str:
    """One string holding ``values`` in order (``None`` is packed as the empty string)."""
    return SEPARATOR.join(_escape(v or "") for v in values)


def _unescape(value: str) -> str:
    if "\\" not in value:
        return value
    out: list[str] = []
    chars = iter(value)
    for c in chars:
        if c == "\\":
            nxt = next(chars, "")
            out.append(_ESCAPES.get(nxt, "\\" + nxt))
        else:
            out.append(c)
    return "".join(out)


def unpack(packed: str, width: int, *, least: int | None = None,
           more: bool = False) -> list[str | None]:
    """The ``width`` values of a ``pack`` result (empty → None).

    ``least`` (default ``width``) is how many values every packed row holds: a format
    that gained values at its end reads rows written before with those values missing
    (None), so a store written by an older mapping still reads. With ``more``, a row
    may hold values after the ``width`` first, which are dropped (a reader of the first
    columns of a format that has gained more).

    Raises:
        ValueError: ``packed`` holds fewer than ``least`` or (without ``more``) more than
            ``width`` values.
    """
    parts = packed.split(SEPARATOR)
    least = width if least is None else least
    if more and len(parts) > width:
        del parts[width:]
    if not least <= len(parts) <= width:
        held = f"{least} to {width}" if least < width else f"{width}"
        raise ValueError(f"a packed row of {held} values holds {len(parts)}: {packed[:80]!r}")
    missing: list[str | None] = [None] * (width - len(parts))
    if "\\" in packed:
        return [_unescape(p) or None for p in parts] + missing
    return [p or None for p in parts] + missing


def join_rows(rows: Iterable[str]) -> str:
    """One string holding the packed ``rows``, one per line (a raw line feed in a row
    packed before they were escaped is escaped here)."""
    return ROW_SEPARATOR.join(row.replace("\n", "\\n") for row in rows)


def split_rows(page: str) -> list[str]:
    """The packed rows of a ``join_rows`` result, in order."""
    return page.split(ROW_SEPARATOR)
