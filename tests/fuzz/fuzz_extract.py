"""Coverage-guided fuzzing of ``ingest.extract.extract_text`` with atheris (libFuzzer).

Run::

    .venv/bin/python tests/fuzz/fuzz_extract.py -max_total_time=60 CORPUS_DIR

The input bytes are decoded as UTF-8 (bad bytes become U+FFFD), so seed files that are
real document text (``ingest/samples``) stay meaningful under mutation; one input in
four is also tried in NFD. Every extracted fact must quote the source exactly; any
exception or failed check is a crash, which libFuzzer saves as ``crash-<sha1>``.
"""

from __future__ import annotations

import sys
import unicodedata

import atheris

with atheris.instrument_imports(include=["ingest"]):
    from ingest.extract import extract_text
    from ingest.models import FileResult, Span


def _check_span(source: str, span: Span, what: str) -> None:
    if not (0 <= span.start <= span.end <= len(source)):
        raise AssertionError(f"{what} span {span.start}-{span.end} outside 0-{len(source)}")
    if source[span.start : span.end] != span.text:
        raise AssertionError(f"{what} span text {span.text!r} is not the source's")


def check_result(source: str, result: FileResult) -> None:
    """Every span in ``result`` lies inside ``source`` and quotes it exactly."""
    for d in result.documents:
        _check_span(source, d.span, "document")
        for c in d.citations:
            _check_span(source, c.span, "citation")
        for r in d.relations:
            _check_span(source, r.span, "relation")
        for o in d.obligations:
            _check_span(source, o.span, "obligation")
        for s in d.outline:
            _check_span(source, s.span, "section")
        for sub in d.submissions:
            _check_span(source, sub.span, "submission")
        for e in d.evidence:
            _check_span(source, e.span, f"evidence of {e.field}")


def test_one_input(data: bytes) -> None:
    """libFuzzer entry: extract one input and check its spans."""
    text = data.decode("utf-8", "replace")
    forms = [text, unicodedata.normalize("NFD", text)] if len(data) % 4 == 0 else [text]
    for source in forms:
        check_result(source, extract_text(source, "fuzz.txt"))


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
