"""Submissions tables: which agency sent which document in answer to a request.

Summary tables attached to reports ("BẢNG TỔNG HỢP kết quả xây dựng kế hoạch, báo cáo …")
list one agency per row and, per column group ("Kế hoạch", "Báo cáo năm", …), the number
and date of the document received. Extracted text keeps the cells apart with tabs (blank
cells are empty strings between tabs), with ``|`` (markdown), or with runs of spaces
(layout-preserving PDF extraction, aligned on the header's column positions).

One ``SubmissionRecord`` per (row, column group); a blank group means nothing was received
(``symbol`` and ``date`` None). Whether that is late or missing is decided later, in the
graph layer, against the request's deadline.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import regex

from ingest.clean import fold, squash_blanks
from ingest.dates import find_dates
from ingest.identity import document_key
from ingest.models import Span, SubmissionRecord
from ingest.symbols import parse_symbol, symbol_regex
from ingest.textmap import MappedText

__all__ = ["find_submissions", "split_cells"]


@dataclass(frozen=True, slots=True)
class _Row:
    start: int  # clean-text offsets of the line
    end: int
    cells: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Group:
    name: str
    columns: tuple[int, ...]
    symbol_col: int | None  # the "Số văn bản" sub-column, when headed
    date_col: int | None  # the "Ngày tháng văn bản" sub-column, when headed


@dataclass(frozen=True, slots=True)
class _Layout:
    agency_col: int
    groups: tuple[_Group, ...]
    first_data: int  # index of the first row after the header


@cache
def _rx() -> dict[str, regex.Pattern[str]]:
    return {
        # Header of the agency column: "Tên cơ quan", "Đơn vị", "Bộ, ngành, địa phương".
        "agency_head": regex.compile(
            r"^(?:ten\s+)?(?:co\s+quan|don\s+vi|dia\s+phuong|bo,?\s+nganh|tinh,?\s+thanh"
            r"|cac\s+bo|ten)\b"
        ),
        # Sub-column headers: document number, document date.
        "symbol_head": regex.compile(r"^so(?:\s*,)?\s+(?:van\s+ban|ky\s+hieu|hieu|vb)|^so\s*$"),
        "date_head": regex.compile(r"^ngay\b"),
        # A group row: "I Bộ, cơ quan ngang Bộ …", "II. Địa phương".
        "group": regex.compile(r"^\s*(?P<num>[IVX]{1,4})[.\s)]+(?P<title>\S.*)$", regex.V1),
        "roman": regex.compile(r"^\s*[IVX]{1,4}\.?\s*$", regex.V1),
        "number": regex.compile(r"^\s*\d{1,4}\.?\s*$"),
        "pipe_rule": regex.compile(r"^\s*\|?\s*:?-{3,}"),
        "filler": regex.compile(r"^\s*(?:-{3,}|_{3,}|\*{3,})?\s*$"),
        # One space-aligned cell: from a non-space up to two spaces, another blank
        # character or the end. A lazy single-character run, not a repeated group: the
        # regex engine keeps one backtrack entry per repeated group, which made a 10 MB
        # line without breaks cost gigabytes.
        "spaced": regex.compile(r"\S.*?(?=  |[^\S ]|\Z)"),
        # A blank other than a plain space: it ends a space-aligned cell too.
        "other_blank": regex.compile(r"[^\S ]"),
        # The same, leaving out the tab and the line break: in a range of lines, the
        # blanks that can make a line without tabs a space-aligned row.
        "row_blank": regex.compile(r"[^\S \t\n]"),
    }


# The characters "row_blank" matches, written out: ``regex``'s ``\s`` is Unicode's
# White_Space, less the space, tab and line break. Each part, and why it is there:
# ``\v\f\r`` the other ASCII blanks (no "\x1c"-"\x1f": White_Space leaves them out,
# although ``str.isspace`` takes them); ``\x85`` next line; ``\xa0`` no-break space;
# ``\u1680`` Ogham space; ``\u2000-\u200a`` the typographic spaces; ``\u2028\u2029``
# line and paragraph separators; ``\u202f`` narrow no-break space; ``\u205f`` medium
# mathematical space; ``\u3000`` ideographic space. A class of single characters matches
# the same in either engine; the standard library's finds it (or its absence, the usual
# case) in a whole document about three times faster (``tests/test_extract_speed8.py``
# compares the two over every code point).
_ROW_BLANK = re.compile("[\v\f\r\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")


def split_cells(line: str) -> tuple[str, ...]:
    """Cells of one table line: tab-separated, or markdown pipes; blank cells kept.

    Example:
        >>> split_cells("1\\tBộ Quốc phòng\\t\\t\\t1765/BC-DV")
        ('1', 'Bộ Quốc phòng', '', '', '1765/BC-DV')
    """
    if "\t" in line:
        return tuple(c.strip() for c in line.rstrip("\n").split("\t"))
    stripped = line.strip()
    if stripped.startswith("|") and stripped.count("|") >= 3:
        return tuple(c.strip() for c in stripped.strip("|").split("|"))
    return ()


def _spaced_cells(line: str) -> list[tuple[int, str]]:
    """Runs separated by two or more spaces, with their column positions."""
    return [(m.start(), m.group(0)) for m in _rx()["spaced"].finditer(line)]


def _lines(mt: MappedText, start: int, end: int) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    pos = start
    for raw in mt.text[start:end].split("\n"):
        out.append((pos, pos + len(raw), raw))
        pos += len(raw) + 1
    return out


def _blocks(lines: Sequence[tuple[int, int, str]]) -> list[list[_Row]]:
    """Runs of consecutive table lines (tab or pipe tables)."""
    blocks: list[list[_Row]] = []
    current: list[_Row] = []
    rx = _rx()
    for s, e, text in lines:
        if not current and "\t" not in text and "|" not in text:
            continue  # no cell to split and no open block to end: nothing to do
        if "|" in text and rx["pipe_rule"].match(text):
            continue
        cells = split_cells(text)
        if len(cells) >= 3:
            current.append(_Row(s, e, cells))
            continue
        if current and not rx["filler"].match(text):
            # blank lines and rules (filler) where a page broke the table go on with it
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _spaced_blocks(
    lines: Sequence[tuple[int, int, str]], odd_blanks: bool = True
) -> list[list[_Row]]:
    """Space-aligned tables: a header with an agency column, rows starting with a number.

    ``odd_blanks``: False when the lines hold no blank other than space, tab and line
    break (``row_blank``); a line without a tab then has columns only with a double space,
    and is not searched for other blanks.
    """
    blocks: list[list[_Row]] = []
    i = 0
    while i < len(lines):
        s, e, text = lines[i]
        columns = _may_have_columns(text) if odd_blanks else "  " in text
        if "\t" in text or not columns:
            i += 1
            continue
        cells = [c for _, c in _spaced_cells(text)]
        if len(cells) < 3 or not any(_is_agency_head(c) for c in cells):
            i += 1
            continue
        block = [_Row(s, e, tuple(cells))]
        i += 1
        while i < len(lines) and lines[i][2].strip() and "\t" not in lines[i][2]:
            s2, e2, t2 = lines[i]
            block.append(_Row(s2, e2, tuple(c for _, c in _spaced_cells(t2))))
            i += 1
        blocks.append(block)
    return blocks


def _may_have_columns(line: str) -> bool:
    """False when ``line`` is one space-separated cell at most (no "  ", no other blank):
    a cheap test that spares most prose lines the cell pattern."""
    return "  " in line or _rx()["other_blank"].search(line) is not None


def _is_agency_head(cell: str) -> bool:
    return _rx()["agency_head"].match(fold(cell)) is not None


def _is_data(row: _Row, agency_col: int) -> bool:
    return (
        bool(row.cells)
        and _rx()["number"].match(row.cells[0]) is not None
        and agency_col < len(row.cells)
        and bool(row.cells[agency_col])
    )


def _layout(block: Sequence[_Row]) -> _Layout | None:
    """Columns of a table: agency column and column groups, from its header rows."""
    head_i = next(
        (i for i, r in enumerate(block[:4]) if any(_is_agency_head(c) for c in r.cells)), None
    )
    if head_i is None:
        return None
    top = block[head_i].cells
    agency_col = next(j for j, c in enumerate(top) if _is_agency_head(c))
    first_data = next(
        (
            i
            for i in range(head_i + 1, len(block))
            if _is_data(block[i], agency_col) or _group_title(block[i])
        ),
        len(block),
    )
    subs = [block[i].cells for i in range(head_i + 1, first_data)]
    groups = _groups(top, subs, agency_col)
    if not groups:
        return None
    return _Layout(agency_col, groups, first_data)


def _groups(
    top: Sequence[str], subs: Sequence[Sequence[str]], agency_col: int
) -> tuple[_Group, ...]:
    width = max([len(top), *(len(s) for s in subs)])
    spans: list[tuple[str, list[int]]] = []
    for j in range(agency_col + 1, width):
        name = top[j] if j < len(top) else ""
        if name:
            spans.append((name, [j]))
        elif spans:
            spans[-1][1].append(j)
    out: list[_Group] = []
    for name, cols in spans:
        sym = _sub_column(subs, cols, "symbol_head")
        date = _sub_column(subs, cols, "date_head")
        out.append(_Group(squash_blanks(name).strip(), tuple(cols), sym, date))
    return tuple(out)


def _sub_column(subs: Sequence[Sequence[str]], cols: Sequence[int], kind: str) -> int | None:
    for row in subs:
        for j in cols:
            if j < len(row) and _rx()[kind].match(fold(row[j])):
                return j
    return None


def _group_title(row: _Row) -> str | None:
    """Title of a group row ("I Bộ, cơ quan ngang Bộ …"), else None."""
    filled = [c for c in row.cells if c]
    if not filled or len(filled) > 2:
        return None
    if len(filled) == 2 and _rx()["roman"].match(filled[0]):
        return filled[1]
    m = _rx()["group"].match(filled[0])
    if m and len(filled) == 1:
        return m.group("title").strip()
    return None


def _cell_symbol(text: str) -> tuple[str | None, str | None]:
    """(symbol as recorded, canonical form or None) of one cell's text."""
    text = text.strip()
    if not text:
        return None, None
    m = symbol_regex().search(text)
    parts = parse_symbol(m.group(0)) if m else None
    if parts is None:
        for s, e, _ in reversed(find_dates(text)):  # a date alone is not a symbol
            text = text[:s] + text[e:]
        rest = text.strip(" ,;-")
        return (rest or None), None
    return parts.canonical, parts.canonical


def _record(
    row: _Row, layout: _Layout, group: _Group, section: str | None, span: Span
) -> SubmissionRecord:
    """The record of one column group of a row; ``span``: the row's (``_row_span``)."""
    cells = row.cells
    texts = [cells[j] for j in group.columns if j < len(cells)]
    sym_text = (
        cells[group.symbol_col]
        if group.symbol_col is not None and group.symbol_col < len(cells)
        else " ".join(texts)
    )
    date_text = (
        cells[group.date_col]
        if group.date_col is not None and group.date_col < len(cells)
        else " ".join(texts)
    )
    symbol, canonical = _cell_symbol(sym_text)
    dates = find_dates(date_text)
    date: dt.date | None = dates[0][2] if dates else None
    if symbol is None and date is None and any(texts):
        symbol = " ".join(t for t in texts if t)  # something was received, not a symbol
    key = None
    if canonical is not None:
        parts = parse_symbol(canonical)
        key = document_key(parts, date.year if date else None) if parts else None
    return SubmissionRecord(
        agency=squash_blanks(cells[layout.agency_col]).strip(),
        group=section,
        category=group.name,
        symbol=symbol,
        key=key,
        date=date,
        span=span,
    )


def _row_span(mt: MappedText, row: _Row) -> Span:
    """The row's source span, trailing blanks left out: one for all its column groups."""
    return mt.span(row.start, row.start + len(mt.text[row.start : row.end].rstrip()))


def _align(row: _Row, text: str, positions: Sequence[int]) -> _Row:
    """Put each space-separated run of ``text`` under the nearest header column."""
    cells = [""] * len(positions)
    for pos, cell in _spaced_cells(text):
        j = max((k for k, p in enumerate(positions) if p <= pos + 2), default=0)
        cells[j] = f"{cells[j]} {cell}".strip()
    return _Row(row.start, row.end, tuple(cells))


def _table_records(mt: MappedText, rows: Sequence[_Row]) -> list[SubmissionRecord]:
    layout = _layout(rows)
    if layout is None:
        return []
    out: list[SubmissionRecord] = []
    section: str | None = None
    for row in rows[layout.first_data :]:
        title = _group_title(row)
        if title is not None:
            section = title
        elif _is_data(row, layout.agency_col):
            span = _row_span(mt, row)
            out.extend(_record(row, layout, g, section, span) for g in layout.groups)
    return out if _looks_like_submissions(out) else []


def _looks_like_submissions(records: Sequence[SubmissionRecord]) -> bool:
    """At least one cell holds a document number: a statistics table is not one."""
    return any(r.key is not None for r in records)


def _spaced_records(mt: MappedText, block: Sequence[_Row]) -> list[SubmissionRecord]:
    """Space-aligned table: cells placed on the header lines' column positions."""
    positions = [p for p, _ in _spaced_cells(mt.text[block[0].start : block[0].end])]
    for r in block[1:3]:  # sub-header lines refine the grid
        if r.cells and not _rx()["number"].match(r.cells[0]):
            positions.extend(
                p
                for p, _ in _spaced_cells(mt.text[r.start : r.end])
                if all(abs(p - q) > 2 for q in positions)
            )
    positions.sort()
    return _table_records(mt, [_align(r, mt.text[r.start : r.end], positions) for r in block])


def find_submissions(mt: MappedText, start: int, end: int) -> list[SubmissionRecord]:
    """Every submissions-table cell group in ``mt.text[start:end]``.

    Args:
        mt: cleaned text of the file (line structure and tabs kept).
        start: clean offset where the document starts.
        end: clean offset where it ends.

    Returns:
        One record per (row, column group), in table order; blank groups give
        ``symbol=None, date=None``. Tables without any document number give nothing.
    """
    end = min(end, len(mt.text))
    cells = _may_hold_cells(mt.text, start, end)
    spaced = _may_hold_spaced(mt.text, start, end)
    if not (cells or spaced):
        return []  # most letters and decisions: no line is read at all
    lines = _lines(mt, start, end)
    out: list[SubmissionRecord] = []
    for block in _blocks(lines) if cells else []:
        out.extend(_table_records(mt, block))
    odd_blanks = spaced and _ROW_BLANK.search(mt.text, start, end) is not None
    for block in _spaced_blocks(lines, odd_blanks) if spaced else []:
        out.extend(_spaced_records(mt, block))
    return out


def _may_hold_cells(text: str, start: int, end: int) -> bool:
    """False when no line of the range can be a tab or pipe table row (``_blocks`` finds
    none): rows need a tab or a pipe."""
    return text.find("\t", start, end) >= 0 or text.find("|", start, end) >= 0


def _may_hold_spaced(text: str, start: int, end: int) -> bool:
    """False when no line of the range passes ``_may_have_columns`` without a tab
    (``_spaced_blocks`` finds none): the range has no double space and no blank other
    than space, tab and line break."""
    if text.find("  ", start, end) >= 0:
        return True
    return _ROW_BLANK.search(text, start, end) is not None
