"""Step 1 of the pipeline: source text → cleaned text with an offset map.

Cleaning never loses the way back: every pass goes through ``MappedText`` so
spans found later quote the source exactly. Line structure is kept (headers,
outlines and "Nơi nhận" blocks depend on it); ``join_lines`` gives the
prose view where a PDF's hard line breaks become spaces.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from functools import cache, lru_cache

import regex

from ingest.textmap import MappedText

# Zero-width and formatting characters that PDFs and Word leave inside words.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
# Space variants that must match like a space.
_SPACES = "\u00a0\u2007\u202f\u2009\u200a\u3000"
# Hyphen and dash variants (U+2010–2015, minus sign) that appear inside symbols.
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"


@cache
def _patterns() -> dict[str, regex.Pattern[str]]:
    return {
        "crlf": regex.compile(r"\r\n?"),
        # Footnote markers as markup: replaced by a space so a symbol never
        # absorbs the footnote number ("25-NQ/TW<sup>3</sup>").
        "sup": regex.compile(r"<sup>\s*[^<]{0,8}</sup>", regex.I),
        # Inline HTML/markdown emphasis left by converters: no meaning here.
        "tags": regex.compile(
            r"</?(?:b|i|u|em|strong|span|sub|sup|font|br)\b[^>\n]{0,200}>", regex.I
        ),
        "emph": regex.compile(r"\*+|(?<=\s|^)_{2,}|_{2,}(?=\s|$)"),
        "heading": regex.compile(r"(?m)^[ \t]*#{1,6}[ \t]+"),
        # A base letter followed by combining marks: the only places NFC changes.
        "nfd": regex.compile(r"\P{M}\p{M}+"),
    }


# Page furniture alone on a line: "Trang 3/12", "- 3 -", "3". ``{d}`` is a digit.
_PAGE = (
    r"(?m)^[ \t]*(?:Trang[ \t]+{d}{{1,4}}(?:[ \t]*/[ \t]*{d}{{1,4}})?"
    r"|-[ \t]*{d}{{1,4}}[ \t]*-|{d}{{1,3}})[ \t]*$"
)


@cache
def _page_pattern() -> regex.Pattern[str]:
    return regex.compile(_PAGE.format(d=r"\d"))


@cache
def _plain_patterns() -> dict[str, re.Pattern[str]]:
    """What the standard library's engine scans a whole text for two to three times
    faster than ``regex``.

    * ``chars``: the characters cleaning replaces, a class of single characters (the
      same matches in either engine).
    * ``page_lines``: every line ``_page_pattern`` can match, and a few more: the same
      pattern with any non-blank (``\\S``) where it has a digit (``regex`` knows newer
      digits than the standard library, so ``\\d`` could differ; no digit is a blank).
    * ``page_line_after_break``: the same after a line break, without the "^": a pattern
      opening with a plain character is found several times faster than one opening
      with "^", which the engine tries at every character.
    """
    page_lines = _PAGE.format(d=r"\S")
    return {
        "chars": re.compile(f"[{_INVISIBLE}{_SPACES}{_DASHES}\u00d0\u00f0]"),
        "page_lines": re.compile(page_lines),
        "page_line_after_break": re.compile(r"(?m)\n" + page_lines.removeprefix("(?m)^")),
    }


def _page_lines(text: str) -> Iterator[regex.Match[str]]:
    """``_page_pattern().finditer(text)``, tried only at the lines ``page_lines`` finds.

    Both patterns match one whole line from its start (``^`` … ``$``, nothing crosses a
    line break), so a match of the first starts where the second matches. The first
    line is tried on its own, the others after their line break.
    """
    page = _page_pattern()
    plain = _plain_patterns()
    first = [0] if plain["page_lines"].match(text) else []
    after = (m.start() + 1 for m in plain["page_line_after_break"].finditer(text))
    for start in (*first, *after):
        m = page.match(text, start)
        if m is not None:
            yield m


def _char(m: re.Match[str]) -> str:
    c = m.group(0)
    if c in _INVISIBLE:
        return ""
    if c in _SPACES:
        return " "
    if c in _DASHES:
        return "-"
    return {"\u00d0": "Đ", "\u00f0": "đ"}[c]


# The markup passes in order: pattern name, strings one of which every match holds (a
# text holding none is not scanned), replacement. Each looks at the text the passes
# before it left ("_<b>_" holds "__" only once the tag is gone).
_MARKUP_PASSES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("crlf", ("\r",), "\n"),
    ("sup", ("<",), " "),
    ("tags", ("<",), ""),
    ("emph", ("*", "__"), ""),
    ("heading", ("#",), ""),
)


def _may_hold(text: str, needles: tuple[str, ...]) -> bool:
    """Whether ``text`` holds one of ``needles`` (a pass's screen, see ``_MARKUP_PASSES``)."""
    return any(n in text for n in needles)


def _constant(replacement: str) -> Callable[[regex.Match[str]], str]:
    return lambda m: replacement


def clean(source: str) -> MappedText:
    """Clean ``source`` for matching; the result maps back to ``source``."""
    p = _patterns()
    mt = MappedText.identity(source)
    for name, needles, replacement in _MARKUP_PASSES:
        if _may_hold(mt.text, needles):  # a rewrite with no match returns its input
            mt = mt.rewrite(p[name], _constant(replacement))
    plain = _plain_patterns()
    mt = mt.rewrite_matches(plain["chars"].finditer(mt.text), _char)
    if not unicodedata.is_normalized("NFC", mt.text):
        mt = mt.rewrite(p["nfd"], lambda m: unicodedata.normalize("NFC", m.group(0)))
        if not unicodedata.is_normalized("NFC", mt.text):  # singleton decompositions
            mt = mt.rewrite(
                regex.compile(r"."), lambda m: unicodedata.normalize("NFC", m.group(0))
            )
    mt = mt.rewrite_matches(_page_lines(mt.text), lambda m: "")
    return mt


# A line break that a PDF inserted mid-sentence: the next line does not start
# a structural unit (numbered item, bullet, heading keyword) and the previous
# line does not end a sentence or list item.
_STRUCT_START = (
    # "1." / "1.2." / "a)" items, but not a date broken onto the line ("20.9.2024").
    r"(?:[IVXLC]+\.(?!\d)|\d+(?:\.\d+)*[.)](?!\d)|[a-zđ]\)|[-+•]\s|Nơi nhận|Kính gửi|"
    r"Căn cứ|Điều\s+\d|Chương\s|PHỤ LỤC|Phụ lục|[\p{Lu}\s,]{12,}$)"
)


# Marks that end a sentence or clause: no line break after them is joined.
_CLAUSE_MARKS = ".;:!?"


@cache
def _join_pattern() -> regex.Pattern[str]:
    return regex.compile(
        r"(?<![" + _CLAUSE_MARKS + r"][ \t]*)"
        r"[ \t]*\n(?:[ \t]*\n)*[ \t]*(?!" + _STRUCT_START + r")(?=\S)",
        regex.M,
    )


# A line this short that ends without punctuation, followed by a capitalised line, is a
# heading ("Chế độ báo cáo", "Tổ chức thực hiện"), not a sentence the PDF broke: a
# broken line runs to the page margin (~60-90 characters).
_HEADING_MAX = 40


def join_lines(mt: MappedText) -> MappedText:
    """Prose view: hard line breaks inside sentences become single spaces."""
    text = mt.text
    n = len(text)
    # A break is kept (no edit) before a capital that ends a short line, a heading; the
    # capital is the cheaper test, the line's length comes second.
    joins = (
        (a, b, " ")
        for a, b in _line_break_spans(text)
        if not (b < n and text[b].isupper() and _short_line(text, a))
    )
    return mt.rewrite_spans(joins)


def _short_line(text: str, end: int) -> bool:
    """The line ending at ``end`` holds at most ``_HEADING_MAX`` characters, blanks trimmed."""
    line_start = text.rfind("\n", 0, end) + 1
    if end - line_start <= _HEADING_MAX:
        return True  # trimming only shortens it
    return len(text[line_start:end].strip()) <= _HEADING_MAX


def _line_breaks(text: str) -> Iterator[regex.Match[str]]:
    """``_join_pattern().finditer(text)``: the matches of ``_line_break_spans``."""
    pattern = _join_pattern()
    for start, _ in _line_break_spans(text):
        m = pattern.match(text, start)
        if m is not None:  # always: the spans are where it matches
            yield m


@cache
def _break_pattern() -> regex.Pattern[str]:
    """``_join_pattern`` from the line break on: its blanks before the break left out.

    It opens with the line break itself, so the engine skips to each one at C speed
    (``_join_pattern``'s leading blanks and look-behind made it try every character).
    The look-behind moves after the break: a mark then blanks then this break.
    """
    return regex.compile(
        r"\n(?<![" + _CLAUSE_MARKS + r"][ \t]*\n)"
        r"(?:[ \t]*\n)*[ \t]*(?!" + _STRUCT_START + r")(?=\S)",
        regex.M,
    )


def _line_break_spans(text: str) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of every match of ``_join_pattern().finditer(text)``.

    A match of ``_break_pattern`` starts at a line break; the blanks before it, back to
    the previous match at most, open the ``_join_pattern`` match. Every such match
    starts there: the blanks before a break are part of the match that ends on it.
    Only the matches are read in Python, not every line break.
    """
    pos = 0
    for m in _break_pattern().finditer(text):
        start = m.start()
        while start > pos and text[start - 1] in " \t":
            start -= 1
        pos = m.end()
        yield start, pos


@cache
def _blank_runs() -> regex.Pattern[str]:
    return regex.compile(r"\s+")


def squash_blanks(text: str) -> str:
    r"""``regex.sub(r"\s+", " ", text)``: every run of blanks as one space.

    A text with no blank but single spaces is returned as it is, without the engine:
    every blank of ``\s`` other than the space is a character ``str.isprintable``
    refuses, so a printable text without "  " has nothing to squash (most names, titles
    and header lines).
    """
    if "  " not in text and text.isprintable():
        return text
    return _blank_runs().sub(" ", text)


# Strings up to this length are folded once and remembered: header lines, cells, names
# and codes are folded again and again (the same motto, the same "Nơi nhận:"), while
# longer text (a paragraph, a whole line of a file without breaks) is not worth keeping.
_FOLD_MEMO_MAX = 200


def fold(text: str) -> str:
    """Diacritic- and case-insensitive match key: 'Ủy ban' → 'uy ban', 'Đ' → 'd'."""
    if len(text) <= _FOLD_MEMO_MAX:
        return _fold_short(text)
    return _fold(text)


@lru_cache(maxsize=16384)
def _fold_short(text: str) -> str:
    return _fold(text)


def _fold(text: str) -> str:
    if text.isascii():
        return text.casefold()  # no Đ and no marks to remove
    # Vietnamese text: letters fold one by one to ASCII, so a table does the work of the
    # general rule below; anything the table leaves non-ASCII takes the general rule.
    quick = text.translate(_latin_folds())
    if quick.isascii():
        return quick.lower()
    return _fold_general(text)


def _fold_general(text: str) -> str:
    """The folding rule itself: Đ→D, decompose, drop the marks, recompose, case-fold."""
    t = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return unicodedata.normalize("NFC", _marks().sub("", t)).casefold()


@cache
def _latin_folds() -> dict[int, str]:
    """Latin letters with marks (Latin-1 to Latin Extended-B, Latin Extended Additional,
    which hold every Vietnamese letter) whose fold is ASCII, mapped to that fold.

    Exact: for text made of ASCII and these letters, folding letter by letter equals
    ``_fold_general`` on the whole (nothing left composes once the marks are gone).
    """
    table: dict[int, str] = {}
    for cp in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        folded = _fold_general(chr(cp))
        if folded.isascii():
            table[cp] = folded
    return table


@cache
def _marks() -> regex.Pattern[str]:
    return regex.compile(r"\p{Mn}+")
