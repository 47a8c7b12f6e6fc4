"""Calendar dates as Vietnamese official texts write them (notes §6).

Forms: ``26/11/2021``, ``26-11-2021`` (older Party texts), ``26.11.2021`` (press style),
``26 tháng 11 năm 2021`` (headers and formal prose), with single-digit day or month,
spaces around separators ("03 / 04 /2023"), stray punctuation from PDF extraction
("27 tháng 02. năm 2025") and footnote digits glued to the year ("03/6/20132"). Only
real calendar dates are returned; periods ("2021-2030"), statistics ("37/63") and
section numbers never parse.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from functools import cache

import regex

__all__ = ["DATE_PATTERN", "date_regex", "find_dates", "parse_date"]

# Day and month: one or two digits, not part of a longer number or a dotted section
# number ("1.1.2" is not a date start).
_DAY = r"(?<![\p{N}.,/])(?P<d>\d{1,2})"
_MONTH = r"(?P<m>\d{1,2})"
# Year: four digits from 1900 to 2099. Up to two digits glued after it are a footnote
# marker ("20132" → 2013), left outside the match by the lookahead.
_YEAR = r"(?P<y>(?:19|20)\d\d)(?=\d{0,2}(?!\d))"
# Numeric separators: the same one twice; spaces around it ("03 / 04 /2023").
_NUMERIC = _DAY + r"[ \t]*(?P<sep>[/.\-])[ \t]*" + _MONTH + r"[ \t]*(?P=sep)[ \t]*" + _YEAR
# Worded form; the words may be split across lines, a PDF wrap may leave a blank line
# between them ("năm \n\n2024"), and a stray "." or "," may sit before "năm" in extracted
# PDFs. At most two line breaks: a date never runs across paragraphs.
_GAP = r"[ \t]*(?:\n[ \t]*){0,2}"
_WORDED = _DAY + _GAP + r"tháng" + _GAP + _MONTH + r"[ \t]*[.,]?" + _GAP + r"năm" + _GAP + _YEAR


# The whole pattern as a string, for embedding (compile with regex.V1 | regex.IGNORECASE).
DATE_PATTERN = r"(?:" + _NUMERIC + r"|" + _WORDED + r")"


@cache
def date_regex() -> regex.Pattern[str]:
    """Compiled pattern for one date in NFC text (groups ``d``, ``m``, ``y``).

    Example:
        >>> date_regex().search("ký ngày 26 tháng 11 năm 2021.").group(0)
        '26 tháng 11 năm 2021'
    """
    return regex.compile(DATE_PATTERN, regex.V1 | regex.IGNORECASE)


def _to_date(m: regex.Match[str]) -> dt.date | None:
    try:
        return dt.date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    except ValueError:
        return None


def find_dates(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, dt.date]]:
    """Every valid date in ``text[start:end]``.

    Args:
        text: NFC text (as produced by ``ingest.clean.clean``).
        start: first offset searched.
        end: end of the searched range (default: end of text).

    Returns:
        ``(start, end, date)`` tuples in text coordinates; the range excludes any
        footnote digits glued to the year.
    """
    stop = len(text) if end is None else end
    out: list[tuple[int, int, dt.date]] = []
    for m in date_regex().finditer(text, start, stop):
        d = _to_date(m)
        if d is not None:
            out.append((m.start(), m.end(), d))
    return out


_LEAD = regex.compile(r"^\s*(?:ngày\s*)?", regex.IGNORECASE)


def parse_date(text: str) -> dt.date | None:
    """Parse one date written at the start of ``text`` (after an optional "ngày").

    Args:
        text: e.g. "26/11/2021", "ngày 26 tháng 11 năm 2021", "03/6/20132".

    Returns:
        The date, or None when ``text`` does not start with a real calendar date.

    Example:
        >>> parse_date("ngày 03 / 04 /2023")
        datetime.date(2023, 4, 3)
    """
    norm = unicodedata.normalize("NFC", text)
    lead = _LEAD.match(norm)
    pos = lead.end() if lead else 0
    m = date_regex().match(norm, pos)
    return _to_date(m) if m else None
