"""Precision and recall of the extractor against the synthetic ground truth.

Citations are compared per file (the union over the documents in it), on a match key
(canonical symbol, Đ→D, upper case) so that damaged or ASCII-folded spellings count as
the document they name. Two levels:

* symbol: was each cited document found at all;
* pair: was it found with the date written beside it.

Symbols that only appear in an appendix table, or that are a document's own number in the
same file, are neutral: finding them is neither right nor wrong (the extractor may report
table rows as submissions and an attachment's "Kèm theo …" as a citation).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from functools import cache

from benchmarks.synth_model import SynthDoc
from ingest.models import FileResult
from ingest.symbols import canonical_symbol
from ontology.terms import fold_code

__all__ = ["FileScore", "Totals", "match_key", "score_file"]


@cache
def match_key(symbol: str) -> str:
    """Comparison key of a symbol: canonical form, Đ→D, upper case, no spaces."""
    canonical = canonical_symbol(symbol) or symbol
    return fold_code("".join(canonical.split()))


@dataclass(frozen=True, slots=True)
class FileScore:
    """Counts for one file, and what was missed or invented."""

    name: str
    tp: int
    fp: int
    fn: int
    pair_tp: int
    pair_fp: int
    pair_fn: int
    own_symbol_ok: bool
    own_date_ok: bool
    documents_expected: int
    documents_found: int
    deadlines_expected: int
    deadlines_found: int
    missed: tuple[str, ...]
    invented: tuple[str, ...]
    wrong_dates: tuple[str, ...]
    missed_dates: tuple[str, ...] = ()
    missed_deadlines: tuple[str, ...] = ()
    header_errors: tuple[str, ...] = ()


def _truth_sets(doc: SynthDoc) -> tuple[set[str], set[tuple[str, dt.date]], set[str]]:
    symbols: set[str] = set()
    pairs: set[tuple[str, dt.date]] = set()
    neutral: set[str] = set()
    for t in doc.truth:
        for c in t.cites:
            if c.symbol is None:
                continue
            symbols.add(match_key(c.symbol))
            if c.date is not None:
                pairs.add((match_key(c.symbol), c.date))
        neutral.update(match_key(s) for _, s, _ in t.submissions)
        if t.symbol:
            neutral.add(match_key(t.symbol))
    return symbols, pairs, neutral


def _found_sets(result: FileResult) -> tuple[set[str], set[tuple[str, dt.date]]]:
    symbols: set[str] = set()
    pairs: set[tuple[str, dt.date]] = set()
    for d in result.documents:
        for c in d.citations:
            if c.symbol is None:
                continue
            symbols.add(match_key(c.symbol))
            if c.date is not None:
                pairs.add((match_key(c.symbol), c.date))
    return symbols, pairs


def _deadline_counts(doc: SynthDoc, result: FileResult) -> tuple[int, int, tuple[str, ...]]:
    wanted = Counter(d.deadline for t in doc.truth for d in t.deadlines)
    found = Counter(o.deadline for d in result.documents for o in d.obligations if o.deadline)
    hit = sum(min(n, found[k]) for k, n in wanted.items())
    missed = tuple(sorted(k for k, n in wanted.items() if found[k] < n))
    return sum(wanted.values()), hit, missed


def _header_errors(doc: SynthDoc, result: FileResult) -> tuple[str, ...]:
    main = doc.main
    first = result.documents[0] if result.documents else None
    errors = []
    if first is None or not first.symbol or not main.symbol or (
            match_key(first.symbol) != match_key(main.symbol)):
        errors.append(f"own symbol {first.symbol if first else None!r} != {main.symbol!r}")
    if first is None or first.date != main.date:
        errors.append(f"own date {first.date if first else None} != {main.date}")
    return tuple(errors)


def score_file(doc: SynthDoc, result: FileResult) -> FileScore:
    """Compare what the extractor found in one synthetic file with the file's truth."""
    t_sym, t_pair, neutral = _truth_sets(doc)
    f_sym, f_pair = _found_sets(result)
    invented = f_sym - t_sym - neutral
    pair_fp = {p for p in f_pair - t_pair if p[0] not in neutral or p[0] in t_sym}
    expected, hit, missed_deadlines = _deadline_counts(doc, result)
    header = _header_errors(doc, result)
    return FileScore(
        name=doc.name,
        tp=len(f_sym & t_sym),
        fp=len(invented),
        fn=len(t_sym - f_sym),
        pair_tp=len(f_pair & t_pair),
        pair_fp=len(pair_fp),
        pair_fn=len(t_pair - f_pair),
        own_symbol_ok=not any(e.startswith("own symbol") for e in header),
        own_date_ok=not any(e.startswith("own date") for e in header),
        documents_expected=len(doc.truth),
        documents_found=len(result.documents),
        deadlines_expected=expected,
        deadlines_found=hit,
        missed=tuple(sorted(t_sym - f_sym)),
        invented=tuple(sorted(invented)),
        wrong_dates=tuple(sorted(f"{k}@{d}" for k, d in pair_fp)),
        missed_dates=tuple(sorted(f"{k}@{d}" for k, d in t_pair - f_pair)),
        missed_deadlines=missed_deadlines,
        header_errors=header,
    )


def _ratio(a: int, b: int) -> float:
    return a / b if b else 1.0


@dataclass(slots=True)
class Totals:
    """Running totals over many files (mutable accumulator, one per benchmark run)."""

    files: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    pair_tp: int = 0
    pair_fp: int = 0
    pair_fn: int = 0
    own_symbol_ok: int = 0
    own_date_ok: int = 0
    document_count_ok: int = 0
    deadlines_expected: int = 0
    deadlines_found: int = 0
    examples: list[str] = field(default_factory=list)
    tags: Counter[str] = field(default_factory=Counter)

    def add(self, s: FileScore, max_examples: int = 8) -> None:
        """Add one file's counts; keep up to ``max_examples`` examples of each kind of miss."""
        self.files += 1
        self.tp += s.tp
        self.fp += s.fp
        self.fn += s.fn
        self.pair_tp += s.pair_tp
        self.pair_fp += s.pair_fp
        self.pair_fn += s.pair_fn
        self.own_symbol_ok += s.own_symbol_ok
        self.own_date_ok += s.own_date_ok
        self.document_count_ok += s.documents_found == s.documents_expected
        self.deadlines_expected += s.deadlines_expected
        self.deadlines_found += s.deadlines_found
        for tag, items in (("missed", s.missed), ("invented", s.invented),
                           ("wrong date", s.wrong_dates), ("missed date", s.missed_dates),
                           ("missed deadline", s.missed_deadlines), ("header", s.header_errors)):
            for item in items:
                self.tags[tag] += 1
                if self.tags[tag] <= max_examples:
                    self.examples.append(f"{s.name}: {tag} {item}")

    def summary(self) -> dict[str, float | int]:
        """Precision, recall and header/deadline accuracy as a flat dict."""
        return {
            "files": self.files,
            "citation_recall": round(_ratio(self.tp, self.tp + self.fn), 4),
            "citation_precision": round(_ratio(self.tp, self.tp + self.fp), 4),
            "dated_citation_recall": round(_ratio(self.pair_tp, self.pair_tp + self.pair_fn), 4),
            "dated_citation_precision": round(
                _ratio(self.pair_tp, self.pair_tp + self.pair_fp), 4),
            "own_symbol_accuracy": round(_ratio(self.own_symbol_ok, self.files), 4),
            "own_date_accuracy": round(_ratio(self.own_date_ok, self.files), 4),
            "document_split_accuracy": round(_ratio(self.document_count_ok, self.files), 4),
            "deadline_recall": round(_ratio(self.deadlines_found, self.deadlines_expected), 4),
        }
