"""Tests of the synthetic corpus generator (benchmarks.synth) and of the extractor on it."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import subprocess
import sys
import unicodedata
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Literal

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # benchmarks/ is not an installed package
    sys.path.insert(0, str(ROOT))

from benchmarks.score import Totals, match_key, score_file  # noqa: E402
from benchmarks.synth import SynthDoc, generate_corpus, generate_records  # noqa: E402
from benchmarks.synth_model import Kind  # noqa: E402
from benchmarks.synth_vocab import MINISTRIES, PROVINCES  # noqa: E402

SEEDS_DIR = ROOT.parent / "shared" / "seeds"
# Floors just under what the extractor measured on these 50 synthetic files (seed 11) on
# 2026-11-22: symbol recall/precision 1.0, dated recall 0.975, own symbol and date 0.98,
# deadlines 0.885 (benchmarks/README.md lists what it misses). Raise them as the extractor
# improves; never lower them silently.
FLOORS: dict[str, float] = {
    "citation_recall": 0.99,
    "citation_precision": 0.99,
    "dated_citation_recall": 0.97,
    "dated_citation_precision": 0.99,
    "own_symbol_accuracy": 0.98,
    "own_date_accuracy": 0.98,
    "document_split_accuracy": 0.98,
    # Lowered openly from 0.88 to 0.74 on 2026-11-22 (15:45) when recall fell to 0.64-0.75;
    # raised again after the fixes (subject after a fronted "Định kỳ …, ", a colon break
    # that goes on in lower case, Party bearers, recurrences paired with shared-"ngày"
    # dates; tests/test_deadline_fixes.py): 1.0 measured here and on 400-1000 files of
    # seeds 0, 1, 3, 5, 7 (NFC and NFD), with no deadline found that the truth lacks.
    "deadline_recall": 0.97,
}


@cache
def _corpus(n: int, seed: int) -> tuple[SynthDoc, ...]:
    """Generated once per (n, seed) and never mutated (tuples of frozen values)."""
    return tuple(generate_corpus(n, seed))


def _digest(docs: tuple[SynthDoc, ...]) -> str:
    h = hashlib.sha256()
    for d in docs:
        h.update(d.name.encode())
        h.update(d.text.encode())
        h.update(repr(d.truth).encode())
    return h.hexdigest()


# --- determinism ------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 7])
def test_same_seed_gives_identical_corpus(seed: int) -> None:
    first = tuple(generate_corpus(120, seed))
    again = tuple(generate_corpus(120, seed))
    assert [d.text for d in first] == [d.text for d in again]
    assert [d.truth for d in first] == [d.truth for d in again]


@pytest.mark.parametrize(("a", "b"), [(0, 1), (1, 2)])
def test_different_seeds_give_different_corpora(a: int, b: int) -> None:
    assert _digest(_corpus(60, a)) != _digest(_corpus(60, b))


def test_output_does_not_depend_on_hash_seed() -> None:
    """Set or dict iteration order must never leak into the text (PYTHONHASHSEED)."""
    code = (
        "import hashlib, sys; sys.path.insert(0, sys.argv[1]);"
        "from benchmarks.synth import generate_corpus;"
        "h = hashlib.sha256();"
        "[h.update(d.text.encode()) for d in generate_corpus(150, 3)];"
        "print(h.hexdigest())"
    )
    digests = set()
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        out = subprocess.run([sys.executable, "-c", code, str(ROOT)], env=env, check=True,
                             capture_output=True, text=True)
        digests.add(out.stdout.strip())
    assert len(digests) == 1


def test_records_are_deterministic() -> None:
    a = [r.source_text for r in generate_records(80, 5)]
    b = [r.source_text for r in generate_records(80, 5)]
    assert a == b


# --- shape of the corpus ----------------------------------------------------------------------


def _by_symbol(docs: tuple[SynthDoc, ...]) -> dict[str, SynthDoc]:
    return {d.main.symbol: d for d in docs if d.main.symbol}


def _by_identity(docs: tuple[SynthDoc, ...]) -> dict[tuple[str, dt.date], SynthDoc]:
    """Documents by (symbol, date): numbers restart each year, so symbols alone collide."""
    return {(d.main.symbol, d.main.date): d for d in docs if d.main.symbol and d.main.date}


def _parent(doc: SynthDoc) -> tuple[str, dt.date] | None:
    wanted = doc.main.implements
    for c in doc.main.cites:
        if wanted is not None and c.symbol == wanted and c.date is not None:
            return wanted, c.date
    return None


def _depth(doc: SynthDoc, index: dict[tuple[str, dt.date], SynthDoc]) -> int:
    depth, current = 1, doc
    while (key := _parent(current)) is not None and key in index:
        current = index[key]
        depth += 1
    return depth


def test_chain_of_six_levels_exists() -> None:
    docs = _corpus(1500, 0)
    index = _by_identity(docs)
    depths = Counter(_depth(d, index) for d in docs)
    assert depths[6] > 0, depths
    assert max(depths) == 6


@pytest.mark.parametrize("kind", list(Kind))
def test_every_kind_of_document_is_written(kind: Kind) -> None:
    assert any(d.main.kind == kind.value for d in _corpus(1500, 0))


def test_top_root_is_cited_by_a_large_share() -> None:
    docs = _corpus(1500, 0)
    citing = Counter(c.symbol for d in docs for c in {c.symbol: c for t in d.truth
                                                       for c in t.cites}.values())
    top, count = citing.most_common(1)[0]
    assert count / len(docs) >= 0.25, (top, count)
    roots = {d.main.symbol for d in docs if d.main.kind == Kind.ROOT.value}
    assert top in roots


def test_every_root_is_cited_by_other_documents() -> None:
    """Regression: background picks once skipped every root that has no list sibling."""
    docs = _corpus(1500, 0)
    roots = {d.main.symbol for d in docs if d.main.kind == Kind.ROOT.value}
    cited = Counter(c.symbol for d in docs if d.main.kind != Kind.ROOT.value
                    for c in d.main.cites)
    assert {r for r in roots if cited[r] == 0} == set()
    background = Counter(c.symbol for d in docs if d.main.kind == Kind.WARD_REPORT.value
                         for c in d.main.cites[2:] if c.symbol in roots)
    assert any(c in background for c in ("30/2020/NĐ-CP", "33/CT-TTg", "76/NQ-CP"))


def test_citations_point_to_older_documents() -> None:
    docs = _corpus(1500, 0)
    index = _by_symbol(docs)
    for d in docs:
        own = d.main.date
        assert own is not None
        for t in d.truth:
            for c in t.cites:
                if c.symbol is not None and c.symbol == t.attached_to:
                    continue  # an outline names the letter it travels with
                cited = c.date or (index[c.symbol].main.date if c.symbol in index else None)
                assert cited is not None and cited < own, (d.name, c)


def test_years_provinces_and_ministries_are_realistic() -> None:
    docs = _corpus(1500, 0)
    years = {d.main.date.year for d in docs if d.main.date}
    assert min(years) >= 2013 and max(years) <= 2025
    assert len(PROVINCES) == 63 and len({p for p, _ in PROVINCES}) == 63
    assert len(MINISTRIES) >= 20


def test_symbols_are_unique_per_year() -> None:
    docs = _corpus(1500, 0)
    keys = Counter((match_key(d.main.symbol), d.main.date.year) for d in docs
                   if d.main.symbol and d.main.date)
    assert keys.most_common(1)[0][1] == 1


@pytest.mark.parametrize(
    ("pattern", "label"),
    [
        ("-\nTTg", "symbol broken after a hyphen"),
        ("/NQ-TW", "Party symbol in state form"),
        (" và 218-QĐ/TW ngày", "list of symbols sharing one date"),
        ("thư điện tử:", "e-mail address"),
        ("giai đoạn 2021", "period of years"),
        ("/63 địa phương", "statistics written n/m"),
        ("hằng năm", "recurring deadline"),
        ("\t", "tab-separated table or header"),
        ("<sup>", "footnote marker"),
        ("Kính gửi", "recipients"),
        ("Nơi nhận", "distribution list"),
    ],
)
def test_corpus_contains_the_hard_patterns(pattern: str, label: str) -> None:
    text = "".join(d.text for d in _corpus(1500, 0)).replace(" \n\n", "\n")
    assert pattern in text, label


@pytest.mark.parametrize(
    "form",
    [r"\d/\d{1,2}/20\d\d", r"\d-\d{1,2}-20\d\d", r"\d\.\d{1,2}\.20\d\d",
     r"\d tháng \d{1,2} năm 20\d\d"],
)
def test_all_date_forms_are_written(form: str) -> None:
    import regex

    text = "".join(d.text for d in _corpus(400, 0))
    assert regex.search(form, text)


# --- no copied text ---------------------------------------------------------------------------


def _seed_lines() -> list[str]:
    if not SEEDS_DIR.is_dir():
        pytest.skip(f"seed documents not found at {SEEDS_DIR}")
    out = []
    for path in sorted(SEEDS_DIR.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            flat = " ".join(line.split())
            if len(flat) >= 70:
                out.append(flat)
    return out


def test_no_long_seed_line_is_copied() -> None:
    seeds = _seed_lines()
    corpus = " ".join(" ".join(d.text.split()) for d in _corpus(400, 0))
    sources = " ".join(" ".join(p.read_text(encoding="utf-8").split())
                       for p in sorted((ROOT / "benchmarks").glob("*.py")))
    copied = [s for s in seeds if s in corpus or s in sources]
    assert not copied, copied[:3]


# --- records ----------------------------------------------------------------------------------


def test_record_spans_quote_the_source() -> None:
    for result in generate_records(300, 0):
        src = result.source_text
        for doc in result.documents:
            spans = [doc.span, *(c.span for c in doc.citations),
                     *(o.span for o in doc.obligations), *(s.span for s in doc.outline),
                     *(s.span for s in doc.submissions), *(e.span for e in doc.evidence)]
            for span in spans:
                assert src[span.start:span.end] == span.text


def test_record_citations_use_the_cited_documents_keys() -> None:
    results = list(generate_records(600, 0))
    keys = {d.key for r in results for d in r.documents}
    cited = [c.key for r in results for d in r.documents for c in d.citations]
    inside = sum(k in keys for k in cited)
    assert inside / len(cited) > 0.8  # most cited documents are in the corpus
    assert len(keys) == len(results)  # one distinct key per document


@pytest.mark.parametrize(("start", "end"), [(0, 40), (25, 60), (59, 60)])
def test_record_slices_match_the_full_stream(start: int, end: int) -> None:
    whole = [r.source_text for r in generate_records(end, 4)]
    part = [r.source_text for r in generate_records(end, 4, start=start)]
    assert part == whole[start:]


def test_records_and_text_describe_the_same_documents() -> None:
    texts = _corpus(200, 0)
    records = list(generate_records(200, 0))
    assert [d.main.symbol for d in texts] == [r.documents[0].symbol for r in records]


# --- the extractor on synthetic text ----------------------------------------------------------


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_extractor_recall_and_precision_on_synthetic_text(form: Literal["NFC", "NFD"]) -> None:
    from ingest.extract import extract_text

    totals = Totals()
    for doc in _corpus(50, 11):
        text = unicodedata.normalize(form, doc.text)
        totals.add(score_file(doc, extract_text(text, doc.name)))
    summary = totals.summary()
    below = {k: (summary[k], floor) for k, floor in FLOORS.items() if summary[k] < floor}
    assert not below, (below, totals.examples[:15])


def test_replacements_are_written_and_read_as_replacements() -> None:
    """Some provincial Party plans replace their body's earlier plan ("Kế hoạch này thay
    thế Kế hoạch số …"): the records carry the relation, and the extractor reads the same
    replaced document from the text (the queries over lo:replaces need such edges)."""
    from ingest.extract import extract_text
    from ingest.models import Relation

    n = 2500
    records = list(generate_records(n, 0))
    replacing = {i: [c.key for c in r.documents[0].citations
                     if c.relation is Relation.REPLACES] for i, r in enumerate(records)}
    replacing = {i: keys for i, keys in replacing.items() if keys}
    assert len(replacing) >= 3
    texts = _corpus(n, 0)
    for i, keys in replacing.items():
        doc = texts[i]
        read = [c.key for d in extract_text(doc.text, doc.name).documents
                for c in d.citations if c.relation is Relation.REPLACES]
        assert read == keys, doc.name
    # a plan that replaces its predecessor does not also continue it
    for i in replacing:
        assert not [c for c in records[i].documents[0].citations
                    if c.relation is Relation.CONTINUES]
