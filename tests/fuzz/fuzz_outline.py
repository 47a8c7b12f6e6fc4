"""Coverage-guided fuzzing of the outline parser (``ingest.outline``) with atheris.

Run::

    .venv/bin/python tests/fuzz/fuzz_outline.py -max_total_time=60 CORPUS_DIR

The input is decoded as UTF-8 and cleaned (``ingest.clean.clean``); ``parse_sections``
and ``parse_outline`` then run over the whole text and over a range chosen by the
input's length. Sections must nest properly (a parent named before its children),
have unique numbers, and quote the source exactly.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports(include=["ingest"]):
    from ingest.clean import clean
    from ingest.models import OutlineSection
    from ingest.outline import parse_outline, parse_sections


def check_sections(source: str, sections: list[OutlineSection]) -> None:
    """Spans quote the source; numbers are unique; each parent comes before its child."""
    seen: set[str] = set()
    for s in sections:
        if not (0 <= s.span.start <= s.span.end <= len(source)):
            raise AssertionError(f"section {s.number} span outside the source")
        if source[s.span.start : s.span.end] != s.span.text:
            raise AssertionError(f"section {s.number} span does not quote the source")
        if s.number in seen:
            raise AssertionError(f"section number {s.number} twice")
        if s.parent is not None and s.parent not in seen:
            raise AssertionError(f"section {s.number} before its parent {s.parent}")
        seen.add(s.number)


def test_one_input(data: bytes) -> None:
    """libFuzzer entry: parse the outline of one input, whole and in a sub-range."""
    source = data.decode("utf-8", "replace")
    mt = clean(source)
    n = len(mt.text)
    start = (len(data) * 7919) % (n + 1)
    for lo, hi in ((0, n), (start, n), (0, start)):
        check_sections(source, parse_sections(mt, lo, hi, ()))
        check_sections(source, parse_outline(mt, lo, hi, ()))


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
