"""Step 3 of the pipeline: one file's cleaned text → one range per document it holds.

A file often carries several documents: a province's letter with the ministry letter
it forwards and that letter's report outline; a letter and its outline; a report and
its appendix table. A new document starts at a header block:

* an issuing body in capitals ("BỘ NỘI VỤ", "ỦY BAN NHÂN DÂN" / "TỈNH …", "TỈNH ỦY …")
  followed within a few lines by "Số: …", the national motto or "ĐẢNG CỘNG SẢN VIỆT
  NAM", or by a type title ("ĐỀ CƯƠNG BÁO CÁO", "BẢNG TỔNG HỢP", "PHỤ LỤC" …) that a
  "(Kèm theo …)" line follows;
* or such a type title with its "(Kèm theo …)" line alone, when the issuer line was lost.

An outline's embedded template ("TÊN CƠ QUAN … CỘNG HÒA … ngày … tháng … năm …
BÁO CÁO") is part of the outline: a placeholder is no issuer, and a header whose date
is a blank template is not a new document. The line classifiers live in
``ingest.header`` so that splitting and header reading agree on what a header is.
"""

from __future__ import annotations

from collections.abc import Sequence

import regex

from ingest.header import (
    Segment,
    has_lower,
    is_attachment_line,
    is_authority_line,
    is_issuer_line,
    is_motto_line,
    is_number_line,
    segment_lines,
    type_title,
)
from ingest.textmap import MappedText

__all__ = ["split_documents"]

# The header's evidence ("Số:", motto, type title) follows the issuer within this many
# non-blank lines (issuer, parent/unit lines, rules, V/v lines, motto, date).
_WINDOW = 8
# The date line follows the "Số:" line or the motto within this many lines.
_DATE_WINDOW = 4
# The "(Kèm theo …)" line follows a type title within this many lines (title lines).
_ATTACH_WINDOW = 4
# Text before a header shorter than this (non-space characters) is a stamp or page
# furniture ("DỰ THẢO"), not a document of its own.
_MIN_DOCUMENT = 40
# A lone signing prefix left on its own line ("TM.") makes the next line a signature.
_LONE_PREFIX = regex.compile(r"^(?:K\.?T|T\.?M|T\.?L|TUQ|T/M|K/T|T/L|Q)\s*\.?$")
# A blank template date with no digit at all: the outline's sample header.
_TEMPLATE_DATE = regex.compile(
    r"^[^\d]{0,40}ngày[\s.…_]*tháng[\s.…_]*năm[\s.…_]*$", regex.IGNORECASE
)
# Rules and stars printed around header lines.
_FURNITURE = regex.compile(r"^[\s\-_=*~.…·•]+$")
# Blanks, left out when the text before a header is measured.
_BLANKS = regex.compile(r"\s+")


def split_documents(
    mt: MappedText, *, segments: Sequence[Segment] | None = None
) -> list[tuple[int, int]]:
    """Cut the cleaned text into document ranges.

    Args:
        mt: the cleaned text of one file (``ingest.clean.clean``).
        segments: ``segment_lines(mt.text, 0, len(mt.text))`` when the caller has it
            already (``ingest.extract`` reuses it for every header); computed when None.

    Returns:
        Clean-text ``(start, end)`` ranges in order, covering the whole text without gaps
        or overlaps; one range when no second header is found; none for blank text.

    Example:
        >>> from ingest.clean import clean
        >>> split_documents(clean("Kính gửi: Sở Nội vụ.\\nNội dung."))
        [(0, 30)]
    """
    text = mt.text
    if not text.strip():
        return []
    segs = segment_lines(text, 0, len(text)) if segments is None else segments
    starts = [0]
    i = 0
    while i < len(segs):
        if has_lower(segs[i].text):
            i += 1  # prose: ``_header_at`` would refuse it at once (most lines)
            continue
        found = _header_at(segs, i)
        if found is None:
            i += 1
            continue
        first, resume = found
        pos = _line_start(text, segs[first].start)
        if pos > starts[-1] and _substantial(text, starts[-1], pos):
            starts.append(pos)
        i = max(resume, i + 1)
    ends = [*starts[1:], len(text)]
    return list(zip(starts, ends, strict=True))


def _header_at(segs: Sequence[Segment], i: int) -> tuple[int, int] | None:
    """If a header block starts at ``segs[i]``: (its first segment, index to resume at).

    Both tests below are of capitals lines and refuse a line with a lower-case letter at
    once (``has_lower``); ``split_documents`` asks only about lines without one, so the
    line is not searched for one again here.
    """
    seg = segs[i]
    if is_issuer_line(seg.text) and not _after_signing_prefix(segs, i):
        end = _evidence_after_issuer(segs, i)
        if end is None or (not is_attachment_line(segs[end - 1].text) and _is_template(segs, end)):
            return None
        return _back_over_furniture(segs, i), end
    if type_title(seg.text) is not None:
        end = _attachment_after(segs, i)
        if end is not None:
            return _back_over_furniture(segs, i), end
    return None


def _after_signing_prefix(segs: Sequence[Segment], i: int) -> bool:
    """True when the line before is a lone "TM." / "KT.": the body name is a signature."""
    return i > 0 and bool(_LONE_PREFIX.match(segs[i - 1].text))


def _evidence_after_issuer(segs: Sequence[Segment], i: int) -> int | None:
    """Index after the "Số:", motto or attached type title that confirms a header."""
    limit = segs[i].line + _WINDOW
    k = i + 1
    while k < len(segs) and segs[k].line <= limit:
        t = segs[k].text
        if is_authority_line(t):
            return None  # a signature block, not a header
        if is_number_line(t) or is_motto_line(t):
            return k + 1
        if type_title(t) is not None:
            return _attachment_after(segs, k)
        k += 1
    return None


def _attachment_after(segs: Sequence[Segment], k: int) -> int | None:
    """Index after the "(Kèm theo …)" line that follows the type title at ``segs[k]``."""
    limit = segs[k].line + _ATTACH_WINDOW
    n = k + 1
    while n < len(segs) and segs[n].line <= limit:
        if is_attachment_line(segs[n].text):
            return n + 1
        n += 1
    return None


def _is_template(segs: Sequence[Segment], k: int) -> bool:
    """True when a blank template date follows the header evidence ending before ``segs[k]``:
    the header is a sample inside an outline, not a document."""
    if k >= len(segs):
        return False
    limit = segs[k - 1].line + _DATE_WINDOW
    while k < len(segs) and segs[k].line <= limit:
        if _TEMPLATE_DATE.match(segs[k].text):
            return True
        k += 1
    return False


def _back_over_furniture(segs: Sequence[Segment], i: int) -> int:
    """Move a header start back over the motto or rules printed just above the issuer."""
    while (
        i > 0
        and segs[i].line - segs[i - 1].line <= 1
        and (is_motto_line(segs[i - 1].text) or _FURNITURE.match(segs[i - 1].text))
    ):
        i -= 1
    return i


def _line_start(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1


def _substantial(text: str, start: int, end: int) -> bool:
    """``text[start:end]`` holds at least ``_MIN_DOCUMENT`` non-blank characters.

    Counted over growing prefixes of the range (a prefix holds no more of them than the
    whole), so a long range is not read to the end each time a header candidate is
    found in it: that made splitting a long document quadratic.
    """
    size = _MIN_DOCUMENT
    while True:
        stop = min(end, start + size)
        if len(_BLANKS.sub("", text[start:stop])) >= _MIN_DOCUMENT:
            return True
        if stop >= end:
            return False
        size *= 8
