"""Heading trees of reports and report outlines (đề cương báo cáo).

Numbering (notes §10): Roman ``I.`` → Arabic ``1.`` (→ ``1.1``) → letters ``a)`` (the
Vietnamese point alphabet: a b c d đ e g h i k l m n o p q r s t u v x y) → ``-`` → ``+``.

Choices:

* **Dash and plus items are not sections.** They are list items inside a section; their
  text is part of the section's own text, so citations in them are the section's
  references (seed outlines list sub-items under "4." as dashes).
* **Paths** join the labels from the root: ``"I"``, ``"II.1"``, ``"III.4.b"``,
  ``"II.1.2"`` for a ``1.2`` heading under ``1.``; a report without Roman sections gives
  ``"1"``, ``"1.a"``.
* **Title** = the heading text to the end of its paragraph. PDF text breaks headings
  mid-line; the title continues onto the next line when that line starts in lower case,
  when the title so far ends with a connecting word or comma, or when the current line
  is as wide as the document's wrapped lines. An all-caps heading continues only onto
  another all-caps line.
* **Span** = the whole section, heading to the next heading that is not a descendant.
* **References** = citations whose span starts inside the section's *own* text (its
  heading and body up to the first sub-heading), deduplicated by key in text order.
* A heading is accepted only in sequence (the first of its kind under a parent is 1 / I
  / a, the next one increases by one, a skip of one is tolerated: reports do skip "III").
  Footnote bodies (source lines starting with ``<sup>``) and the list items just after
  them are never headings.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import NamedTuple

import regex

from ingest.clean import fold, squash_blanks
from ingest.models import Citation, OutlineSection
from ingest.textmap import MappedText

__all__ = ["is_outline", "outline_start", "parse_outline", "parse_sections"]

ROMAN, ARABIC, SUB, LETTER = 0, 1, 2, 3

# Point letters (notes §10): no ă â ê ô ơ ư, no f j w z; "đ" comes after "d".
POINT_LETTERS = "abcdđeghiklmnopqrstuvxy"

_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10}


@cache
def _heading_regex() -> regex.Pattern[str]:
    return regex.compile(
        r"^[ \t]*(?:"
        # "III. KẾT QUẢ", "II- CÔNG TÁC", "IV) …": Roman numerals up to XXXIX.
        r"(?P<roman>X{0,3}(?:IX|IV|V?I{1,3}|V))[ \t]*[.)\-:][ \t]*"
        # "1.1. Kết quả", "1.1 Kết quả": a second level of Arabic numbering.
        r"|(?P<sub>\d{1,2}\.\d{1,2})\.?[ \t]+"
        # "1. Kết quả", "2) …"
        r"|(?P<arabic>\d{1,2})[ \t]*[.)][ \t]*"
        # "a) Kết quả", "đ) …"; "a. Kết quả" only before an upper-case letter.
        r"|(?P<letter>[" + POINT_LETTERS + r"])(?:\)|\.(?=[ \t]*\p{Lu}))[ \t]*"
        r")(?=[\p{L}\"“‘(])",
        regex.V1,
    )


@cache
def _item_regex() -> regex.Pattern[str]:
    # List items that are not sections: "- …", "+ …", "• …".
    return regex.compile(r"^[ \t]*[-+•][ \t]+\S", regex.V1)


# Lines after which no section continues: the distribution list ("Nơi nhận", also in
# capitals) and the closing formula ("Trên đây …"), after the line's blanks. Plain
# characters, matched case-sensitively: the same matches in either engine.
_CLOSING = r"[ \t]*(?:Nơi nhận|Trên đây|NƠI NHẬN)"


@cache
def _closing_regex() -> regex.Pattern[str]:
    # A closing line, matched from the line's start.
    return regex.compile("^" + _CLOSING, regex.V1)


# A title that ends with one of these words (or a comma, semicolon, hyphen) goes on.
_CONNECTORS = frozenset(
    (
        "của",
        "và",
        "về",
        "các",
        "với",
        "trong",
        "cho",
        "theo",
        "tại",
        "đối",
        "đến",
        "số",
        "ngày",
        "những",
        "là",
        "được",
        "hoặc",
        "từ",
        "nhằm",
        "gắn",
        "sự",
        "việc",
        "giữa",
        "trên",
        "do",
        "ở",
    )
)


class _Line(NamedTuple):
    """One line of the clean text (a named tuple: files have thousands, built fast)."""

    start: int  # clean-text offsets
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class _Heading:
    kind: int
    label: str
    ordinal: int
    start: int  # offset of the numbering
    title_end: int  # end of the title's last line
    title: str


def _lines(mt: MappedText, start: int, end: int) -> tuple[_Line, ...]:
    return _text_lines(mt.text, start, end)


@lru_cache(maxsize=4)
def _text_lines(text: str, start: int, end: int) -> tuple[_Line, ...]:
    """Lines of ``text[start:end]``, remembered: a document's lines are read by
    ``outline_start`` and again by ``parse_sections`` over the same range."""
    out: list[_Line] = []
    pos = start
    for raw in text[start:end].split("\n"):
        out.append(_Line(pos, pos + len(raw), raw))
        pos += len(raw) + 1
    return tuple(out)


def _roman_value(s: str) -> int:
    total = 0
    for i, ch in enumerate(s):
        v = _ROMAN_VALUES[ch]
        nxt = _ROMAN_VALUES[s[i + 1]] if i + 1 < len(s) else 0
        total += -v if v < nxt else v
    return total


# ASCII characters a numbering can start with (``_heading_regex`` after the indent):
# Roman numerals, digits, point letters. Other ASCII characters fail the pattern; other
# characters ("đ", digits of other scripts) are left to it.
_NUMBERING_INITIALS = "IVX0123456789" + POINT_LETTERS


# (kind, label, ordinal, title offset in its line) of a numbered heading line.
_Numbering = tuple[int, str, int, int]
# ``_numbered``: line start → (line index, numbering).
_NumberedLines = dict[int, tuple[int, _Numbering]]


def _numbering(line: str) -> _Numbering | None:
    """(kind, label, ordinal, title offset in line) of a numbered heading line."""
    first = line.lstrip(" \t")[:1]
    if first.isascii() and first not in _NUMBERING_INITIALS:
        return None  # most lines: no numbering can start with this character
    m = _heading_regex().match(line)
    return None if m is None else _numbering_of(m, 0)


def _numbering_of(m: regex.Match[str], line_start: int) -> _Numbering:
    """``_numbering`` of the line starting at ``line_start`` that ``m`` matched."""
    offset = m.end() - line_start
    if m.group("roman"):
        label = m.group("roman")
        return ROMAN, label, _roman_value(label), offset
    if m.group("sub"):
        minor = m.group("sub").split(".")[1]
        return SUB, str(int(minor)), int(minor), offset
    if m.group("arabic"):
        return ARABIC, str(int(m.group("arabic"))), int(m.group("arabic")), offset
    letter = m.group("letter")
    return LETTER, letter, POINT_LETTERS.index(letter) + 1, offset


@cache
def _heading_lines_regex() -> regex.Pattern[str]:
    # ``_heading_regex`` matched at a line start inside a longer text ("^" after "\n"):
    # it never reads past the line's end (no blank class it uses holds a line break).
    return regex.compile(_heading_regex().pattern, regex.V1 | regex.M)


# The line starts (after a line break) where ``_heading_regex`` can match: blanks, then
# what a numbering opens with. Plain characters, so the standard library's engine finds
# them fast; the parts:
_NUMBERING_OPENING = re.compile(
    r"\n[ \t]*(?:"
    # a Roman numeral or an Arabic number;
    r"[IVX0-9]"
    # a point letter, followed by the ")" or "." every lettered heading has ("đ" too:
    # most lines opening with a lower-case letter are prose, "trong", "các" …);
    r"|[" + POINT_LETTERS + r"][).]"
    # any other character but the Latin letters (Latin-1 to Latin Extended-B, Latin
    # Extended Additional): it may be a digit of another script, which ``regex``'s
    # ``\d`` takes; no Latin letter is a digit, and "Đ" or "Ủ" never open a numbering.
    r"|[\u0080-\u00bf\u0250-\u1dff\u1f00-\U0010ffff]"
    r")"
)


def _numbered(text: str, start: int, end: int) -> dict[int, tuple[int, _Numbering]]:
    """Line start → (line index, ``_numbering``) for every line of ``text[start:end]``
    that has a numbering, in line order; ``_heading_regex`` is tried only at the lines
    ``_NUMBERING_OPENING`` finds (and the first), not at every line. Line indices are
    those of ``_lines``."""
    sub = text[start:end]
    rx = _heading_lines_regex()
    out: dict[int, tuple[int, _Numbering]] = {}
    index, counted = 0, 0
    for a in [0, *(m.start() + 1 for m in _NUMBERING_OPENING.finditer(sub))]:
        m = rx.match(sub, a)
        if m is None:
            continue
        index += sub.count("\n", counted, a)
        counted = a
        out[start + a] = (index, _numbering_of(m, a))
    return out


# Source characters read at a line's start to recognise a footnote marker.
_FOOTNOTE_HEAD = 40


def _is_footnote(mt: MappedText, line: _Line) -> bool:
    """A footnote body: the source line starts with a ``<sup>`` marker or ``[^n]``."""
    src = mt.to_source(line.start)
    head = mt.source[src : src + _FOOTNOTE_HEAD].lstrip(" \t*#")
    return head[:4].casefold() == "<sup" or head.startswith("[^")


def _may_hold_footnotes(mt: MappedText, lines: Sequence[_Line]) -> bool:
    """False when no line of ``lines`` can be a footnote body (``_is_footnote``): the
    source the lines' heads are read from has no "<" and no "[^"."""
    if not lines:
        return False
    a = mt.to_source(lines[0].start)
    b = mt.to_source(lines[-1].start) + _FOOTNOTE_HEAD
    return mt.source.find("<", a, b) >= 0 or mt.source.find("[^", a, b) >= 0


def _typical_width(lines: Sequence[_Line]) -> int:
    widths = sorted(len(ln.text.rstrip()) for ln in lines if ln.text.strip())
    if not widths:
        return 0
    return widths[min(len(widths) - 1, int(len(widths) * 0.8))]


def _is_caps(text: str) -> bool:
    """At least two letters, 80 % of them upper case ("ĐỀ CƯƠNG BÁO CÁO", "I. KẾT QUẢ")."""
    return _caps_of(_letter_counts(text))


def _letter_counts(text: str) -> tuple[int, int]:
    """(letters, upper-case letters) of ``text``; counts of a concatenation add up."""
    # The letters gathered by C loops; counted one by one in Python, this test was a
    # noticeable share of outline parsing.
    letters = "".join(filter(str.isalpha, text))
    return len(letters), sum(map(str.isupper, letters))


def _caps_of(counts: tuple[int, int]) -> bool:
    """``_is_caps`` of a text with these ``_letter_counts``."""
    letters, upper = counts
    return letters >= 2 and upper >= 0.8 * letters


def _stops_title(nxt: _Line, numbered: _NumberedLines) -> bool:
    """``nxt`` cannot continue any title: blank, numbered, a list item or a closing line.

    ``numbered``: ``_numbered`` of the lines' range.
    """
    return (
        not nxt.text.strip()
        or nxt.start in numbered
        or _item_regex().match(nxt.text) is not None
        or _closing_regex().match(nxt.text) is not None
    )


def _continues(title: str, title_caps: bool, current: _Line, nxt: _Line, width: int) -> bool:
    """Whether the heading whose title so far is ``title`` goes on onto ``nxt``, a line
    that passed ``_stops_title``.

    ``title_caps``: ``_is_caps(title)``, kept by the caller as the title grows (counting
    the whole title again at each line made long titles quadratic).
    """
    text = nxt.text.strip()
    if title_caps:
        return _is_caps(text)
    if text[0].islower():
        return True
    words = title.rstrip().split()
    last = words[-1].casefold() if words else ""
    if title.rstrip().endswith((",", ";", "-")) or last in _CONNECTORS:
        return True
    wrapped = 0 < width <= 130
    return wrapped and len(current.text.rstrip()) >= 0.8 * width


def _clean_title(parts: Sequence[str]) -> str:
    text = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        glue = "" if text.endswith("-") and not text.endswith(" -") else " "
        text = f"{text}{glue}{part}" if text else part
    return squash_blanks(text).strip().rstrip(".;:, ")


def _read_heading(
    lines: Sequence[_Line],
    i: int,
    numbering: _Numbering,
    width: int,
    numbered: _NumberedLines,
) -> tuple[_Heading, int]:
    """The heading starting at ``lines[i]`` and the index of its last line.

    ``numbered``: ``_numbered`` of the lines' range.
    """
    kind, label, ordinal, offset = numbering
    line = lines[i]
    parts = [line.text[offset:]]
    last = i
    j = i + 1
    title = parts[0]  # " ".join(parts), kept as parts grow
    counts: tuple[int, int] | None = None  # ``_letter_counts(title)`` once needed
    while j < len(lines) and len(title) < 600:
        if not lines[j].text.strip():
            j += 1
            continue
        if _stops_title(lines[j], numbered):
            break
        if counts is None:
            counts = _letter_counts(title)
        if not _continues(title, _caps_of(counts), lines[last], lines[j], width):
            break
        parts.append(lines[j].text)
        title = f"{title} {lines[j].text}"
        more = _letter_counts(lines[j].text)  # the " " joining them is no letter
        counts = (counts[0] + more[0], counts[1] + more[1])
        last = j
        j += 1
    lead = len(line.text) - len(line.text.lstrip())
    heading = _Heading(
        kind,
        label,
        ordinal,
        line.start + lead,
        lines[last].start + len(lines[last].text.rstrip()),
        _clean_title(parts),
    )
    return heading, last


def _in_sequence(prev: int | None, ordinal: int) -> bool:
    if prev is None:
        return ordinal == 1
    return prev < ordinal <= prev + 2


@dataclass(slots=True)
class _Node:
    heading: _Heading
    path: str
    parent: str | None
    children_last: dict[int, int]
    kept: bool = True  # False: left out of the sections (a repeated path, or under one)


def _place(stack: list[_Node], roots_last: dict[int, int], h: _Heading) -> _Node | None:
    """Put ``h`` in the tree (mutating ``stack``) if its numbering fits, else None."""
    depth = len(stack)
    while depth and stack[depth - 1].heading.kind >= h.kind:
        depth -= 1
    parent = stack[depth - 1] if depth else None
    siblings = parent.children_last if parent else roots_last
    if not _in_sequence(siblings.get(h.kind), h.ordinal):
        return None
    siblings[h.kind] = h.ordinal
    path = f"{parent.path}.{h.label}" if parent else h.label
    node = _Node(h, path, parent.path if parent else None, {})
    del stack[depth:]
    stack.append(node)
    return node


def _headings(
    mt: MappedText, lines: Sequence[_Line], limit: int, numbered: _NumberedLines
) -> Iterator[tuple[_Heading, int]]:
    """Candidate headings in order, skipping footnote bodies; yields (heading, last line).

    ``limit``: ``_limit`` of the lines' range, the start of the first closing line
    ("Nơi nhận", "Trên đây"), where reading stops. ``numbered``: ``_numbered`` of the
    range. Without footnotes, the headings are read at the numbered lines alone.
    """
    width = _typical_width(lines)
    notes = _may_hold_footnotes(mt, lines)
    if not notes:
        yield from _numbered_headings(lines, limit, numbered, width)
        return
    in_footnote = False
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.text.strip():
            i += 1
            continue
        if line.start >= limit:  # the first closing line: every line before it is not one
            return
        found = numbered.get(line.start)
        numbering = found[1] if found else None
        if _is_footnote(mt, line):
            in_footnote = True
            i += 1
            continue
        if in_footnote and numbering and numbering[0] in (LETTER, ARABIC, SUB):
            i += 1
            continue
        in_footnote = False
        if numbering is None:
            i += 1
            continue
        yield _read_heading(lines, i, numbering, width, numbered)
        i += 1


def _numbered_headings(
    lines: Sequence[_Line], limit: int, numbered: _NumberedLines, width: int
) -> Iterator[tuple[_Heading, int]]:
    """``_headings`` of lines without footnotes: one at each numbered line before ``limit``
    (the other lines are passed over by ``_headings`` anyway)."""
    for line_start, (i, numbering) in numbered.items():
        if line_start >= limit:
            return
        yield _read_heading(lines, i, numbering, width, numbered)


def _limit(text: str, start: int, end: int) -> int:
    """Start of the first line of ``text[start:end]`` that ``_closing_regex`` matches, or
    ``end``: the range's first line, then one search of the rest (the pattern never
    crosses a line break, so the first line it matches is where the search stops)."""
    if _CLOSING_AT.match(text, start, end) is not None:
        return start
    m = _CLOSING_AFTER_BREAK.search(text, start, end)
    return m.start() + 1 if m is not None else end


# ``_closing_regex`` for the standard library's engine, which finds these plain
# characters in a whole document several times faster: at the range's start, and after
# a line break (a pattern opening with the break is found faster than one opening with
# "^" in multi-line mode, tried at every character).
_CLOSING_AT = re.compile(_CLOSING)
_CLOSING_AFTER_BREAK = re.compile("\n" + _CLOSING)


def _strip_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _references(
    mt: MappedText, start: int, end: int, citations: Sequence[Citation]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    span = mt.span(start, end)
    seen: set[str] = set()
    symbols: list[str] = []
    keys: list[str] = []
    # ``citations`` are in span order (``parse_sections`` sorts them once): the ones that
    # start inside the span are one run, found by bisection.
    first = bisect_left(citations, span.start, key=_citation_start)
    for c in citations[first:]:
        if c.span.start >= span.end:
            break
        label = c.symbol or c.name
        if not label or c.key in seen:
            continue
        seen.add(c.key)
        symbols.append(label)
        keys.append(c.key)
    return tuple(symbols), tuple(keys)


def parse_sections(
    mt: MappedText, start: int, end: int, citations: Sequence[Citation]
) -> list[OutlineSection]:
    """The heading tree of any report or outline in ``mt.text[start:end]``.

    Args:
        mt: cleaned text of the file.
        start: clean offset where the document (or its outline part) starts.
        end: clean offset where it ends.
        citations: citations of the document, for each section's references.

    Returns:
        Sections in document order; ``parent`` is the parent's number path.
    """
    end = min(end, len(mt.text))
    lines = _lines(mt, start, end)
    limit = _limit(mt.text, start, end)
    stack: list[_Node] = []
    roots_last: dict[int, int] = {}
    nodes: list[_Node] = []
    seen: set[str] = set()
    numbered = _numbered(mt.text, start, end)
    for heading, _last in _headings(mt, lines, limit, numbered):
        node = _place(stack, roots_last, heading)
        if node is None:
            continue
        # A numbering path names one section: "1.1" before any "1." is placed as "1",
        # and the "1." after it would get the same path (and the same graph node). The
        # first keeps it; the later heading's text stays inside the earlier section. The
        # later heading's children go with it: kept, a "1.1" under the second "1." would
        # name the first "1" as its parent while lying outside that section's span.
        parent = stack[-2] if len(stack) > 1 else None
        if node.path in seen or (parent is not None and not parent.kept):
            node.kept = False
            continue
        seen.add(node.path)
        nodes.append(node)
    ordered = sorted(citations, key=_citation_start)
    return [_section(mt, nodes, i, limit, ordered) for i in range(len(nodes))]


def _citation_start(c: Citation) -> int:
    return c.span.start


def _section(
    mt: MappedText,
    nodes: Sequence[_Node],
    i: int,
    limit: int,
    citations: Sequence[Citation],
) -> OutlineSection:
    node = nodes[i]
    h = node.heading
    own_end = nodes[i + 1].heading.start if i + 1 < len(nodes) else limit
    extent = limit
    inside = node.path + "."
    for j in range(i + 1, len(nodes)):  # by index: no copy of the rest for each section
        if not nodes[j].path.startswith(inside):
            extent = nodes[j].heading.start
            break
    refs, keys = _references(mt, h.start, max(own_end, h.title_end), citations)
    span = mt.span(h.start, _strip_end(mt.text, h.start, max(extent, h.title_end)))
    return OutlineSection(node.path, h.title, node.parent, refs, keys, span)


# --- outlines -----------------------------------------------------------------------------


def outline_start(mt: MappedText, start: int, end: int) -> int | None:
    """Clean offset where a report outline begins in the range, or None.

    An outline is announced by an upper-case "ĐỀ CƯƠNG …" line, or is attached
    ("(Kèm theo …)") and headed as a report template ("BÁO CÁO", "MẪU …").
    """
    # Only the lines ``_head_candidates`` finds can have a head folding to "de cuong",
    # "mau de cuong" or "kem theo"; each is folded once, and only its first characters:
    # the costlier upper-case test runs on few.
    found = _head_candidates(mt.text, start, end)
    for line_start, _index, text in found:
        if _folded_head(text).startswith(("de cuong", "mau de cuong")) and _is_caps(text):
            return line_start
    for line_start, index, text in found:
        # "(Kèm theo …": the "(" was stripped with the line's start above.
        if _folded_head(text).startswith("kem theo") and _template_title(
            _lines(mt, start, end), index
        ):
            return line_start
    return None


# How a line opens when its head (the line stripped of blanks, then of "(*# ") can fold
# to a key starting "d", "m" or "k": blanks and "(*# ", then a character that is not
# ASCII, or "d", "m", "k" in either case (``_folded_head`` gives "" for any other ASCII
# first character). ``[^\S\n]`` is what ``str.strip`` removes, line breaks aside.
# Matched at line starts: every line whose head qualifies matches, and a few more may
# (a tab after "("), which ``outline_start`` tests in full.
_HEAD_CANDIDATE = re.compile(r"[^\S\n]*[(*# ]*(?:[^\x00-\x7f]|[dmkDMK])")
# The same after a line break: a pattern opening with a plain character is found faster.
_HEAD_CANDIDATE_AFTER_BREAK = re.compile("\n" + _HEAD_CANDIDATE.pattern)


def _head_candidates(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """(line start, line index, stripped head) of the lines of ``text[start:end]`` that
    ``_HEAD_CANDIDATE`` finds, in order; line indices are those of ``_lines``."""
    sub = text[start:end]
    out: list[tuple[int, int, str]] = []
    index, counted = 0, 0
    first = [0] if _HEAD_CANDIDATE.match(sub) else []
    for a in [*first, *(m.start() + 1 for m in _HEAD_CANDIDATE_AFTER_BREAK.finditer(sub))]:
        b = sub.find("\n", a)
        index += sub.count("\n", counted, a)
        counted = a
        out.append((start + a, index, sub[a : b if b >= 0 else len(sub)].strip().lstrip("(*# ")))
    return out


# First letters of the folded heads ``outline_start`` looks for ("" is a blank line).
_HEAD_INITIALS = "dmk"
# Characters of a line's start that ``_folded_head`` folds: longer than every prefix
# looked for ("mau de cuong"), with room for marks that folding drops.
_HEAD_CHARS = 40


def _folded_head(text: str) -> str:
    """Match key of the first characters of ``text`` (folding a whole line is wasted).

    Only keys starting "d", "m" or "k" are looked at ("de cuong", "mau de cuong", "kem
    theo"): a line starting with another ASCII character gets "" without folding, as
    the key of an ASCII first character is that character in lower case (marks after it
    are dropped, nothing composes with it).
    """
    first = text[:1]
    if first.isascii() and first.lower() not in _HEAD_INITIALS:
        return ""
    return fold(text[:_HEAD_CHARS])


def _template_title(lines: Sequence[_Line], i: int) -> bool:
    """Upper-case lines around an attachment note name a report template."""
    window = [ln.text.strip() for ln in lines[max(0, i - 8) : i + 12] if ln.text.strip()]
    for text in window:
        numbering = _numbering(text)
        if numbering is not None and numbering[0] == ROMAN:
            break
        if _is_caps(text) and any(w in fold(text) for w in ("bao cao", "de cuong", "mau")):
            return True
    return False


def is_outline(sections: Sequence[OutlineSection]) -> bool:
    """Whether a section tree has the numbered I./II. structure of an outline."""
    tops = [s for s in sections if s.parent is None]
    return len(tops) >= 2 and tops[0].number == "I"


def parse_outline(
    mt: MappedText, start: int, end: int, citations: Sequence[Citation]
) -> list[OutlineSection]:
    """The sections of a report outline in the range, or [] when it holds none.

    The embedded header sample of a template ("TÊN CƠ QUAN … BÁO CÁO …") has no
    numbering, so parsing from the "ĐỀ CƯƠNG" line skips it.
    """
    begin = outline_start(mt, start, end)
    if begin is None:
        return []
    sections = parse_sections(mt, begin, end, citations)
    return sections if is_outline(sections) else []
