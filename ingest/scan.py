"""Pattern scans that try a costly ``regex`` pattern only where a cheap opening matches.

The extractor's big patterns (symbols, citations, relation triggers) are Unicode-aware
``regex`` patterns with look-behinds; scanning one at every place of a file is most of
its cost. Each has a plain-character *opening* (the standard library's ``re``, which
skips to candidates at C speed) that matches wherever a match of the full pattern can
start, so the full pattern is tried at those places only.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import regex

__all__ = ["scan"]


def scan(pattern: regex.Pattern[str], opening: re.Pattern[str], text: str, lo: int,
         hi: int, *, folded: str | None = None) -> Iterator[regex.Match[str]]:
    """``pattern.finditer(text, lo, hi)``, trying ``pattern`` only where ``opening`` matches.

    ``opening`` must match at every place where a match of ``pattern`` starts (a prefix
    of every match, without the look-behind): each match is then the leftmost one after
    the previous, as ``finditer`` finds it. ``pattern`` never matches the empty string.
    ``folded``: the text ``opening`` is searched in instead (a case-folded copy with the
    same offsets), for a case-insensitive ``pattern``.
    """
    where = text if folded is None else folded
    pos = lo
    while (at := opening.search(where, pos, hi)) is not None:
        m = pattern.match(text, at.start(), hi)
        if m is None:
            pos = at.start() + 1
            continue
        yield m
        pos = m.end()
