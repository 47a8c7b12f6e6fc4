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

from bisect import bisect_left
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import NamedTuple

import regex

from ingest.clean import fold
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
def _spaces() -> regex.Pattern[str]:
    return regex.compile(r"\s+", regex.V1)


@cache
def _item_regex() -> regex.Pattern[str]:
    # List items that are not sections: "- …", "+ …", "• …".
    return regex.compile(r"^[ \t]*[-+•][ \t]+\S", regex.V1)


@cache
def _closing_regex() -> regex.Pattern[str]:
    # Lines after which no section continues: distribution list, closing formula.
    return regex.compile(r"^[ \t]*(?:Nơi nhận|Trên đây|NƠI NHẬN)", regex.V1)


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


def _numbering(line: str) -> tuple[int, str, int, int] | None:
    """(kind, label, ordinal, title offset in line) of a numbered heading line."""
    first = line.lstrip(" \t")[:1]
    if first.isascii() and first not in _NUMBERING_INITIALS:
        return None  # most lines: no numbering can start with this character
    m = _heading_regex().match(line)
    if m is None:
        return None
    if m.group("roman"):
        label = m.group("roman")
        return ROMAN, label, _roman_value(label), m.end()
    if m.group("sub"):
        minor = m.group("sub").split(".")[1]
        return SUB, str(int(minor)), int(minor), m.end()
    if m.group("arabic"):
        return ARABIC, str(int(m.group("arabic"))), int(m.group("arabic")), m.end()
    letter = m.group("letter")
    return LETTER, letter, POINT_LETTERS.index(letter) + 1, m.end()


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
    # The letters gathered by C loops; counted one by one in Python, this test was a
    # noticeable share of outline parsing.
    letters = "".join(filter(str.isalpha, text))
    upper = sum(map(str.isupper, letters))
    return len(letters) >= 2 and upper >= 0.8 * len(letters)


def _continues(title: str, current: _Line, nxt: _Line, width: int) -> bool:
    """Whether the heading whose title so far is ``title`` goes on onto ``nxt``."""
    text = nxt.text.strip()
    if (
        not text
        or _numbering(nxt.text)
        or _item_regex().match(nxt.text)
        or _closing_regex().match(nxt.text)
    ):
        return False
    if _is_caps(title):
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
    text = _spaces().sub(" ", text)
    return text.strip().rstrip(".;:, ")


def _read_heading(
    lines: Sequence[_Line], i: int, numbering: tuple[int, str, int, int], width: int
) -> tuple[_Heading, int]:
    """The heading starting at ``lines[i]`` and the index of its last line."""
    kind, label, ordinal, offset = numbering
    line = lines[i]
    parts = [line.text[offset:]]
    last = i
    j = i + 1
    title = parts[0]  # " ".join(parts), kept as parts grow
    while j < len(lines) and len(title) < 600:
        if not lines[j].text.strip():
            j += 1
            continue
        if not _continues(title, lines[last], lines[j], width):
            break
        parts.append(lines[j].text)
        title = f"{title} {lines[j].text}"
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


def _headings(mt: MappedText, lines: Sequence[_Line]) -> Iterator[tuple[_Heading, int]]:
    """Candidate headings in order, skipping footnote bodies; yields (heading, last line)."""
    width = _typical_width(lines)
    notes = _may_hold_footnotes(mt, lines)
    in_footnote = False
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.text.strip():
            i += 1
            continue
        if _closing_regex().match(line.text):
            return
        numbering = _numbering(line.text)
        if notes and _is_footnote(mt, line):
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
        heading, last = _read_heading(lines, i, numbering, width)
        yield heading, last
        i += 1


def _limit(lines: Sequence[_Line], end: int) -> int:
    for line in lines:
        if _closing_regex().match(line.text):
            return line.start
    return end


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
    limit = _limit(lines, end)
    stack: list[_Node] = []
    roots_last: dict[int, int] = {}
    nodes: list[_Node] = []
    seen: set[str] = set()
    for heading, _last in _headings(mt, lines):
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
    for later in nodes[i + 1 :]:
        if not later.path.startswith(node.path + "."):
            extent = later.heading.start
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
    lines = _lines(mt, start, end)
    # Folded once per line, and only the line's first characters: most lines fail the
    # test on them, so the costlier upper-case test runs on few.
    heads = [_folded_head(line.text.strip().lstrip("(*# ")) for line in lines]
    for line, head in zip(lines, heads, strict=True):
        if head.startswith(("de cuong", "mau de cuong")) and _is_caps(
            line.text.strip().lstrip("(*# ")
        ):
            return line.start
    for i, (line, head) in enumerate(zip(lines, heads, strict=True)):
        # "(Kèm theo …": the "(" was stripped with the line's start above.
        if head.startswith("kem theo") and _template_title(lines, i):
            return line.start
    return None


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
