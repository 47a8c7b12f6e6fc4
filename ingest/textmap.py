"""Cleaned text with a map back to the source text.

Cleaning (NFC, invisible characters, markup, page furniture) changes offsets.
Each cleaning pass records anchor pairs ``(new_offset, old_offset)`` at the
edges of every edit; a span found in the cleaned text maps back through the
passes to the exact source characters (eyecite maps cleaned offsets back with a
diff rather than cleaning in place; this is the same idea, kept per pass).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TypeVar

import regex

from ingest.models import Span

# A match of either engine: ``regex`` (most passes) or the standard library's ``re``
# (passes it reads the same way and scans faster).
_M = TypeVar("_M", regex.Match[str], re.Match[str])


@dataclass(frozen=True, slots=True)
class _Pass:
    """Offset map of one rewrite: sorted anchors, duplicates kept for deletions."""

    new: tuple[int, ...]
    old: tuple[int, ...]

    def start(self, pos: int) -> int:
        k = bisect_right(self.new, pos) - 1
        limit = self.old[k + 1] if k + 1 < len(self.old) else self.old[k]
        return min(self.old[k] + (pos - self.new[k]), max(limit, self.old[k]))

    def end(self, pos: int) -> int:
        k = bisect_left(self.new, pos)
        if k < len(self.new) and self.new[k] == pos:
            return self.old[k]
        return min(self.old[k - 1] + (pos - self.new[k - 1]), self.old[k])


@dataclass(frozen=True, slots=True)
class MappedText:
    text: str  # cleaned text, what extractors match against
    source: str  # the text the user gave, what spans point into
    passes: tuple[_Pass, ...] = ()

    @classmethod
    def identity(cls, text: str) -> MappedText:
        return cls(text, text, ())

    def to_source(self, pos: int) -> int:
        for p in reversed(self.passes):
            pos = p.start(pos)
        return pos

    def to_source_end(self, pos: int) -> int:
        for p in reversed(self.passes):
            pos = p.end(pos)
        return pos

    def span(self, start: int, end: int) -> Span:
        """Span in source coordinates for the clean range ``[start, end)``."""
        s, e = start, end
        # ``to_source`` and ``to_source_end`` in one loop, ``_Pass.start`` and ``_Pass.end``
        # written out: a cleaned file has up to eight passes and every mention, section
        # and table cell is mapped through each (two calls a pass cost more than the math).
        for p in reversed(self.passes):
            new, old = p.new, p.old
            k = bisect_right(new, s) - 1
            limit = old[k + 1] if k + 1 < len(old) else old[k]
            s = min(old[k] + (s - new[k]), max(limit, old[k]))
            k = bisect_left(new, e)
            if k < len(new) and new[k] == e:
                e = old[k]
            else:
                e = min(old[k - 1] + (e - new[k - 1]), old[k])
        e = max(s, e)
        return Span(s, e, self.source[s:e])

    def rewrite(
        self, pattern: regex.Pattern[str], repl: Callable[[regex.Match[str]], str]
    ) -> MappedText:
        """``pattern.sub(repl, text)`` as a new pass; unchanged matches add no anchors."""
        return self.rewrite_matches(pattern.finditer(self.text), repl)

    def rewrite_spans(self, edits: Iterable[tuple[int, int, str]]) -> MappedText:
        """Replace each range ``text[a:b]`` of ``edits`` by its string (a new pass).

        ``rewrite_matches`` for a caller that knows the ranges without match objects:
        ``edits`` are ``(a, b, replacement)`` in text order, not overlapping, each
        replacement differing from the text it replaces (none adds anchors for nothing).
        """
        text = self.text
        pieces: list[str] = []
        new: list[int] = [0]
        old: list[int] = [0]
        last = 0
        out = 0
        for a, b, rep in edits:
            pieces.append(text[last:a])
            out += a - last
            new.append(out)
            old.append(a)
            pieces.append(rep)
            out += len(rep)
            new.append(out)
            old.append(b)
            last = b
        if len(new) == 1:
            return self
        pieces.append(text[last:])
        out += len(text) - last
        new.append(out)
        old.append(len(text))
        passes = (*self.passes, _Pass(tuple(new), tuple(old)))
        return MappedText("".join(pieces), self.source, passes)

    def rewrite_matches(self, matches: Iterable[_M], repl: Callable[[_M], str]) -> MappedText:
        """Replace each of ``matches`` (in text order, not overlapping) by ``repl(match)``.

        ``rewrite`` with the matches found by the caller: a pattern whose matches can be
        found faster than by ``finditer`` (by testing only the few places where one can
        start) gives the same pass.
        """
        text = self.text

        def edits() -> Iterator[tuple[int, int, str]]:
            for m in matches:
                a, b = m.span()
                rep = repl(m)
                if rep != text[a:b]:  # an unchanged match adds no anchors
                    yield a, b, rep

        return self.rewrite_spans(edits())
