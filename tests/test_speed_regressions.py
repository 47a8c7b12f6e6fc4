"""Regression tests for the extraction speed-up: same answers, bounded memory.

* The whole file's segments are read once and cut per document
  (``header.document_segments``): the cut must equal reading the document alone.
* Line classifiers and ``clean.fold`` remember their answers: results must not depend
  on what was extracted before.
* A space-aligned table cell pattern used one backtrack entry per character: a 10 MB
  line without breaks cost gigabytes. One-line texts must stay within bounded memory.
* Syllable screens (obligations, deadlines) and opening scans (recurrences, short and
  law mentions) skip work only: with them open, every file extracts the same.
"""

from __future__ import annotations

import json
import sys
import tracemalloc
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Literal

import pytest
import regex

from ingest import citations, deadlines, obligations, relations, symbols
from ingest.citations import extract_citations
from ingest.clean import clean, fold
from ingest.extract import extract_text
from ingest.header import document_segments, read_header, segment_lines
from ingest.models import Citation
from ingest.resolve import Resolver
from ingest.serialize import file_dict
from ingest.split import split_documents
from ingest.tables import _spaced_cells, find_submissions, split_cells
from ingest.textmap import MappedText

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # benchmarks/ is not an installed package
    sys.path.insert(0, str(ROOT))

from benchmarks.synth import generate_corpus  # noqa: E402

Form = Literal["NFC", "NFD"]
FORMS: tuple[Form, ...] = ("NFC", "NFD")
SEEDS = ROOT.parent / "shared" / "seeds"
SAMPLES = ROOT / "ingest" / "samples"


def _samples() -> list[Path]:
    return sorted(p for p in SAMPLES.glob("*.txt"))


def _seeds() -> list[Path]:
    if not SEEDS.is_dir():
        pytest.skip(f"seed folder {SEEDS} is absent")
    return sorted(SEEDS.glob("*.txt"))


def _synthetic(n: int) -> list[str]:
    return [d.text for d in generate_corpus(n, seed=5)]


# --- segments read once ---------------------------------------------------------------------


def _assert_cut_equals_reading(text: str) -> None:
    mt = clean(text)
    whole = segment_lines(mt.text, 0, len(mt.text))
    ranges = split_documents(mt, segments=whole)
    assert ranges == split_documents(mt)
    for start, end in ranges:
        assert document_segments(whole, start, end) == segment_lines(mt.text, start, end)
        assert read_header(
            mt, start, end, segments=document_segments(whole, start, end)
        ) == read_header(mt, start, end)


@pytest.mark.parametrize("path", _samples(), ids=lambda p: p.name)
@pytest.mark.parametrize("form", FORMS)
def test_document_segments_samples(path: Path, form: Form) -> None:
    _assert_cut_equals_reading(unicodedata.normalize(form, path.read_text(encoding="utf-8")))


@pytest.mark.parametrize("form", FORMS)
def test_document_segments_seeds(form: Form) -> None:
    for path in _seeds():
        _assert_cut_equals_reading(unicodedata.normalize(form, path.read_text(encoding="utf-8")))


def test_document_segments_synthetic() -> None:
    for text in _synthetic(40):
        _assert_cut_equals_reading(text)


@pytest.mark.parametrize(
    ("text", "start_line", "pieces"),
    [
        # A document starting after a blank line: its first line has no gap before it.
        (
            "BỘ NỘI VỤ\n\nSố: 12/BNV\n\n\nỦY BAN NHÂN DÂN\n\nTỈNH X\n",
            2,
            ["ỦY BAN NHÂN DÂN", "TỈNH X"],
        ),
        # Columns on the first line keep their line index 0.
        (
            "a\n\nTỈNH ỦY X\tĐẢNG CỘNG SẢN VIỆT NAM\nSố 1-KH/TU\n",
            1,
            ["TỈNH ỦY X", "ĐẢNG CỘNG SẢN VIỆT NAM", "Số 1-KH/TU"],
        ),
    ],
)
def test_document_segments_rebases_lines_and_gaps(
    text: str, start_line: int, pieces: list[str]
) -> None:
    whole = segment_lines(text, 0, len(text))
    start = next(s for s in whole if s.line == start_line).start
    start = text.rfind("\n", 0, start) + 1
    cut = document_segments(whole, start, len(text))
    assert [s.text for s in cut] == pieces
    assert cut == segment_lines(text, start, len(text))
    assert cut[0].line == 0 and not cut[0].gap_before


# --- earlier citations indexed once per file -------------------------------------------------


def _state(r: Resolver) -> tuple[object, object]:
    return (
        [(b, list(k.items())) for b, k in r.by_base.items()],
        [(s, list(b.items())) for s, b in r.by_short.items()],
    )


@pytest.mark.parametrize("path", _samples(), ids=lambda p: p.name)
@pytest.mark.parametrize("form", FORMS)
def test_known_resolver_equals_prior(path: Path, form: Form) -> None:
    """Passing the earlier citations indexed (``known``) gives what passing them gives,
    and leaves the index as it was."""
    mt = clean(unicodedata.normalize(form, path.read_text(encoding="utf-8")))
    prior: list[Citation] = []
    for start, end in split_documents(mt):
        known = Resolver.of(prior)
        before = _state(known)
        found = extract_citations(mt, start, end, known=known)
        assert found == extract_citations(mt, start, end, prior=prior)
        assert _state(known) == before
        prior.extend(c for c in found.citations if c.resolved)


# --- remembered answers do not leak between files -------------------------------------------


def _dump(text: str) -> str:
    return json.dumps(file_dict(extract_text(text, "x.txt")), ensure_ascii=False, sort_keys=True)


@pytest.mark.parametrize("path", _samples(), ids=lambda p: p.name)
@pytest.mark.parametrize("form", FORMS)
def test_extraction_does_not_depend_on_what_came_before(path: Path, form: Form) -> None:
    text = unicodedata.normalize(form, path.read_text(encoding="utf-8"))
    first = _dump(text)
    for other in _synthetic(5):
        _dump(other)
    assert _dump(text) == first


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ủy ban", "uy ban"),
        ("ĐÔNG TRIỀU", "dong trieu"),
        ("Tỉnh Ủy Quảng Ninh", "tinh uy quang ninh"),
        ("QĐ-UBND", "qd-ubnd"),
        ("Straße", "strasse"),  # full case folding, not lower()
        ("Ðiều", "ðieu"),  # Icelandic Ð is cleaned to Đ by ingest.clean, not by fold
        ("“Kế hoạch” …", "“ke hoach” …"),  # punctuation kept
        ("ke hoach", "ke hoach"),
        ("Hà Nội" * 60, "ha noi" * 60),  # longer than what is remembered
    ],
)
@pytest.mark.parametrize("form", FORMS)
def test_fold(text: str, expected: str, form: Form) -> None:
    assert fold(unicodedata.normalize(form, text)) == expected
    assert fold(unicodedata.normalize(form, text)) == expected  # remembered answer


# --- space-aligned cells --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "cells"),
    [
        ("1  Bộ Nội vụ  1765/BC-DV", ("1", "Bộ Nội vụ", "1765/BC-DV")),
        ("TT   Tên cơ quan   Số văn bản  Ngày", ("TT", "Tên cơ quan", "Số văn bản", "Ngày")),
        ("a b  c d   e", ("a b", "c d", "e")),
    ],
)
def test_spaced_table_cells(line: str, cells: tuple[str, ...]) -> None:
    assert split_cells(line) == ()  # no tab, no pipes: only the spaced reading applies
    assert tuple(c for _, c in _spaced_cells(line)) == cells


# --- one-line texts stay within bounded memory ----------------------------------------------

UNIT = (
    "Thực hiện Chỉ thị số 15/CT-TTg ngày 03/4/2024 của Thủ tướng Chính phủ, "
    "các sở báo cáo Ủy ban nhân dân tỉnh trước ngày 15/12/2024. "
)
LINE_CHARS = 1_000_000
# Python-level allocations while one step reads a 1 M-character line. The old cell pattern
# took about 134 MB here (and gigabytes for 10 MB); string copies of the line take ~20 MB.
MAX_TRACED_MB = 64


def _one_line() -> MappedText:
    return clean((UNIT * (LINE_CHARS // len(UNIT) + 1))[:LINE_CHARS])


STEPS: dict[str, Callable[[MappedText], object]] = {
    "split": split_documents,
    "header": lambda mt: read_header(mt, 0, len(mt.text)),
    "citations": lambda mt: extract_citations(mt, 0, len(mt.text)),
    "tables": lambda mt: find_submissions(mt, 0, len(mt.text)),
}


@pytest.mark.parametrize("step", sorted(STEPS))
def test_one_line_memory_is_bounded(step: str) -> None:
    mt = _one_line()
    tracemalloc.start()
    try:
        STEPS[step](mt)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak / 1e6 < MAX_TRACED_MB, f"{step}: {peak / 1e6:.0f} MB for a 1 MB line"


# --- screens and opening scans change no answer ---------------------------------------------


def _open_screens(text: str, bounds: Sequence[tuple[int, int]]) -> list[obligations._Present]:
    """Every screen syllable in every sentence: every pattern runs on every sentence."""
    groups = (
        *obligations._REQUEST_SYLLABLES,
        *obligations._DUTY_SYLLABLES,
        *obligations._DELIVERY_SYLLABLES,
        *deadlines.DATED_SYLLABLES,
        *deadlines.DELEGATION_SYLLABLES,
        *deadlines.FREQUENCY_SYLLABLES,
    )
    low = " ".join(w for g in groups for w in g)
    every = obligations._Present(frozenset(obligations._screen_words()), low, 0, len(low))
    return [every for _ in bounds]


def _plain_frequencies(text: str, low: str) -> Iterator[regex.Match[str]]:
    return deadlines._frequency_regex().finditer(text)


def _plain_scan(
    pattern: regex.Pattern[str], opening: object, text: str, lo: int, hi: int,
    *, folded: str | None = None
) -> Iterator[regex.Match[str]]:
    return pattern.finditer(text, lo, hi)


def _unscreened(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(obligations, "_sentence_syllables", _open_screens)
    monkeypatch.setattr(deadlines, "_frequency_matches", _plain_frequencies)
    # every module that scans at plain openings (ingest.scan) scans everywhere instead
    for module in (citations, symbols, relations):
        monkeypatch.setattr(module, "scan", _plain_scan)


@pytest.mark.parametrize("path", _samples(), ids=lambda p: p.name)
@pytest.mark.parametrize("form", FORMS)
def test_screens_change_nothing_samples(
    path: Path, form: Form, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = unicodedata.normalize(form, path.read_text(encoding="utf-8"))
    screened = _dump(text)
    _unscreened(monkeypatch)
    assert _dump(text) == screened


def test_screens_change_nothing_seeds(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [p.read_text(encoding="utf-8") for p in _seeds()]
    screened = [_dump(t) for t in texts]
    _unscreened(monkeypatch)
    assert [_dump(t) for t in texts] == screened


def test_screens_change_nothing_synthetic(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = _synthetic(30)
    screened = [_dump(t) for t in texts]
    _unscreened(monkeypatch)
    assert [_dump(t) for t in texts] == screened
