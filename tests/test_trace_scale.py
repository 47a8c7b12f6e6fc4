"""graph.trace at scale: the neighbourhood read gives the whole-store answer, and stays small.

``trace`` reads only what its answer needs (bound lookups, ``graph/queries/trace_*.rq``).
These tests pin that (1) its facts and answers equal those of the whole-store read
(``graph.reports.documents``, ``citations``, ``obligations``, ``outline_sections`` fed to
the same decisions), with and without many unrelated synthetic documents in the store,
and (2) no query it runs is unbound or returns more than a handful of rows when the
store holds thousands of documents.
"""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph

from graph.reports import (
    CitationFact,
    DocFact,
    ObligationFact,
    SectionFact,
    citations,
    documents,
    known_date,
    obligations,
    outline_sections,
    symbol_key,
)
from graph.trace import (
    AmbiguousSymbol,
    TraceResult,
    UnknownSection,
    UnknownSymbol,
    _obligation_dict,
    _Reader,
    _rules,
    find_section,
    report_obligations,
    resolve_document,
    trace,
    upward_chain,
)
from ingest.models import FileResult

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # benchmarks/ is not an installed package
    sys.path.insert(0, str(ROOT))
SEEDS = ROOT.parent / "shared" / "seeds"
SAMPLES = ROOT / "ingest" / "samples"
SEED_002 = "002_53c9a83512b58783.txt"


# --- building stores ----------------------------------------------------------------------------


def _seeds(name: str | None = None) -> list[Path]:
    if not SEEDS.is_dir():
        pytest.skip(f"seed folder {SEEDS} is absent (it lives beside the repository)")
    return sorted(p for p in SEEDS.glob("*.txt") if name is None or p.name == name)


def _synthetic_outline(tmp: Path) -> list[Path]:
    """The first synthetic letter that carries an attached "ĐỀ CƯƠNG BÁO CÁO", as a file."""
    from benchmarks.synth import generate_corpus

    doc = next(d for d in generate_corpus(60, 0) if "ĐỀ CƯƠNG BÁO CÁO" in d.text)
    path = tmp / doc.name
    path.write_text(doc.text, encoding="utf-8")
    return [path]


# Corpora a test can ingest: name → files (given a scratch folder).
CORPORA: dict[str, Callable[[Path], list[Path]]] = {
    "seed-002": lambda tmp: _seeds(SEED_002),
    "seeds": lambda tmp: _seeds(),
    "samples": lambda tmp: sorted(SAMPLES.glob("*.txt")),
    "synthetic-outline": _synthetic_outline,
}


def _record_keys(record: FileResult) -> set[str]:
    """Match keys of every document a synthetic record describes or mentions."""
    docs = record.documents
    names = [d.symbol or d.key for d in docs]
    names += [c.symbol or c.key for d in docs for c in d.citations]
    names += [s.symbol or s.key or "" for d in docs for s in d.submissions]
    return {symbol_key(n) for n in names if n}


def _records(n: int, avoid: set[str] | None) -> Iterator[FileResult]:
    """``n`` synthetic records; with ``avoid``, only those sharing none of its match keys.

    The generator's roots are real directives (33/CT-TTg …), so most synthetic
    documents cite something the seeds and samples also hold; ``avoid`` keeps the
    ones that have nothing to do with the corpus.
    """
    from benchmarks.synth import generate_records

    stream = generate_records(n if avoid is None else 40 * n, 0)
    kept = (r for r in stream if avoid is None or not _record_keys(r) & avoid)
    yield from islice(kept, n)


def _store(paths: list[Path], synthetic: int = 0, *, unrelated: bool = False) -> Any:
    """An in-memory store holding ``paths`` plus ``synthetic`` generated documents.

    The generated records (``benchmarks.synth.generate_records``) land as one named
    graph in one transaction, which is much faster than one graph per record. With
    ``unrelated``, only records that share no symbol with the corpus are used.
    """
    from graph import iri
    from graph.pipeline import ingest_paths
    from graph.rdf import file_graph
    from graph.store import open_store

    store = open_store(":memory:")
    ingest_paths(store, [str(p) for p in paths])
    if synthetic:
        avoid = {symbol_key(d.symbol or d.key or "") for d in documents(store).values()}
        g = Graph()
        for record in _records(synthetic, avoid if unrelated else None):
            g += file_graph(record, base=store.base)
        store.replace_source(iri.source_graph_iri("synthetic/records", store.base), g)
    return store


# --- the whole-store read, as trace did it before it read neighbourhoods ------------------------


@dataclass(frozen=True)
class _Whole:
    """Every fact of the store, read by the unbound graph.reports queries."""

    docs: dict[str, DocFact]
    cites: list[CitationFact]
    obligations: list[ObligationFact]
    sections: list[SectionFact]

    @classmethod
    def read(cls, store: Any) -> _Whole:
        return cls(documents(store), citations(store), obligations(store),
                   outline_sections(store))

    def owners(self) -> set[str]:
        return {s.owner for s in self.sections if s.owner}

    def resolve(self, symbol: str) -> DocFact:
        owners = self.owners()
        return resolve_document(None, symbol, docs=self.docs, prefer=lambda d: d.iri in owners)

    def trace(self, symbol: str, number: str) -> TraceResult:
        owner = self.resolve(symbol)
        sec = find_section([s for s in self.sections if s.owner == owner.iri], number)
        inside = {sec.outline_doc, sec.outline, owner.iri}
        outline_cites = [c for c in self.cites if c.citing in inside]
        obls = report_obligations(owner.iri, sec.outline, self.obligations)
        return TraceResult(
            document=owner,
            section=sec,
            rules=tuple(_rules(sec, owner, self.docs, outline_cites,
                               lambda d: known_date(d, self.cites))),
            chain=tuple(upward_chain(owner.iri, self.docs, self.cites)),
            obligations=tuple(_obligation_dict(o, self.docs) for o in obls),
        )


def _outcome(run: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[str, Any]:
    """What ``run(*args, **kwargs)`` gives: its answer, or the error with what it carries."""
    try:
        answer = run(*args, **kwargs)
    except AmbiguousSymbol as err:
        return ("ambiguous", [d.iri for d in err.candidates])
    except UnknownSymbol:
        return ("unknown-symbol", None)
    except UnknownSection as err:
        return ("unknown-section", err.available)
    return ("ok", answer)


def _cases(whole: _Whole) -> Iterator[tuple[str, str]]:
    """(symbol or key, section number) of every section of every outline in the store."""
    for s in whole.sections:
        owner = whole.docs.get(s.owner or "")
        if owner is None:
            continue
        for name in {owner.key, owner.symbol} - {None}:
            assert name is not None
            yield name, s.number


# --- (1) same facts, same answers ---------------------------------------------------------------


@pytest.mark.parametrize("corpus", ["seeds", "samples", "synthetic-outline"])
def test_reader_facts_equal_whole_store_facts(corpus: str, tmp_path: Path) -> None:
    store = _store(CORPORA[corpus](tmp_path))
    whole = _Whole.read(store)
    reader = _Reader(store)

    assert reader.docs(sorted(whole.docs)) == whole.docs
    citing = sorted({c.citing for c in whole.cites})
    assert reader.citing(citing) == whole.cites
    for owner in sorted(whole.owners()):
        assert reader.sections(owner) == [s for s in whole.sections if s.owner == owner]
    for doc in sorted({o.document for o in whole.obligations if o.document}):
        by_iri = {o.iri: o for o in whole.obligations}
        mine = reader.obligations(doc)
        assert [o for o in mine if o.document == doc] == [
            o for o in whole.obligations if o.document == doc
        ]
        assert all(by_iri[o.iri] == o for o in mine)


@pytest.mark.parametrize("corpus", ["seeds", "samples", "synthetic-outline"])
def test_symbol_lookup_equals_whole_store_lookup(corpus: str, tmp_path: Path) -> None:
    store = _store(CORPORA[corpus](tmp_path))
    whole = _Whole.read(store)
    reader = _Reader(store)

    def has_outline(d: DocFact) -> bool:
        return bool(reader.sections(d.iri))

    names = {n for d in whole.docs.values() for n in (d.symbol, d.key) if n}
    names |= {unicodedata.normalize("NFD", n) for n in names} | {"9999/XYZ-ABC", "https://x<y"}
    for name in sorted(names):
        # as trace resolves: candidates by index lookups, preferring outline owners
        found = _outcome(resolve_document, store, name, docs=reader.candidates((name,)),
                         prefer=has_outline)
        assert found == _outcome(whole.resolve, name), name
        # resolve_document without docs: index lookups instead of every document
        assert _outcome(resolve_document, store, name) == _outcome(
            resolve_document, None, name, docs=whole.docs), name


@pytest.mark.slow
@pytest.mark.parametrize(
    ("corpus", "synthetic", "unrelated"),
    [
        ("seeds", 300, True),
        ("samples", 300, True),
        ("synthetic-outline", 300, True),
        # related: the synthetic documents cite the same roots (dates, placeholders)
        ("seeds", 300, False),
    ],
)
def test_trace_equals_whole_store_with_more_documents(
    corpus: str, synthetic: int, unrelated: bool, tmp_path: Path
) -> None:
    """Every section of every outline: the whole-store read's answer, with or without
    ``synthetic`` more documents; unchanged by them when they are unrelated."""
    paths = CORPORA[corpus](tmp_path)
    small, big = _store(paths), _store(paths, synthetic, unrelated=unrelated)
    whole_small, whole_big = _Whole.read(small), _Whole.read(big)
    assert len(whole_big.docs) >= len(whole_small.docs) + synthetic
    cases = sorted(set(_cases(whole_small)))
    assert cases, f"{corpus}: no outline to trace"
    for symbol, number in cases:
        here = _outcome(trace, small, symbol, number)
        assert here == _outcome(whole_small.trace, symbol, number), (symbol, number)
        there = _outcome(trace, big, symbol, number)
        assert there == _outcome(whole_big.trace, symbol, number), (symbol, number)
        if unrelated:
            assert _plain(here) == _plain(there), (symbol, number)


def _plain(outcome: tuple[str, Any]) -> tuple[str, Any]:
    kind, answer = outcome
    return (kind, answer.as_dict() if kind == "ok" else answer)


@pytest.mark.slow
def test_seed_answer_unchanged_among_synthetic_documents() -> None:
    """The pinned seed answer (tests/test_trace.py) survives 300 more documents."""
    store = _store(_seeds(SEED_002), 300, unrelated=True)
    result = trace(store, "1432/BNV-CTTN", "III.8").as_dict()
    assert [r["symbol"] for r in result["rules"]] == ["217-QĐ/TW", "218-QĐ/TW", "1432/BNV-CTTN"]
    assert [(h["symbol"], h["date"]) for h in result["chain"]] == [("33/CT-TTg", "2021-11-26")]
    assert [(o["deadline"], o["recipient"]) for o in result["obligations"]] == [
        ("--05-30", "Bộ Nội vụ"), ("--12-15", "Bộ Nội vụ"),
    ]


# --- (2) a trace reads a neighbourhood, not the store -------------------------------------------


class CountingStore:
    """A real store that records, for every query, whether it was bound and its rows."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.calls: list[tuple[bool, int]] = []

    def query(self, sparql: str, bindings: Any = None) -> Any:
        result = self.store.query(sparql, bindings)
        self.calls.append((bool(bindings), len(result)))
        return result

    def select_text(self, sparql: str, bindings: Any = None) -> list[dict[str, str]]:
        rows: list[dict[str, str]] = self.store.select_text(sparql, bindings)
        self.calls.append((bool(bindings), len(rows)))
        return rows

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)


@pytest.fixture(scope="module")
def big_store(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """2,000 synthetic documents plus seed 002, the samples and a synthetic outline.

    Read-only for the tests that use it (it takes a minute or two to build).
    """
    tmp = tmp_path_factory.mktemp("synthetic")
    paths = [*sorted(SAMPLES.glob("*.txt")), *_synthetic_outline(tmp)]
    if SEEDS.is_dir():
        paths += _seeds(SEED_002)
    return _store(paths, 2000)


MAX_ROWS = 200


@pytest.mark.slow
@pytest.mark.parametrize(
    ("symbol", "section", "outcome"),
    [
        ("1432/BNV-CTTN", "III.8", "ok"),  # seed: chain through an undated placeholder
        ("2215/BNV-CQĐP", "III.4", "ok"),  # sample corpus
        ("1603/BNV-CQĐP", "II.1", "ok"),  # synthetic letter with its outline
        ("1603/BNV-CQĐP", "IX.9", "unknown-section"),
        ("9999/XYZ-ABC", "I", "unknown-symbol"),
    ],
)
def test_trace_reads_only_bound_small_answers(
    big_store: Any, symbol: str, section: str, outcome: str
) -> None:
    if symbol == "1432/BNV-CTTN" and not SEEDS.is_dir():
        pytest.skip(f"seed folder {SEEDS} is absent")
    counted = CountingStore(big_store)
    assert _outcome(trace, counted, symbol, section)[0] == outcome
    assert counted.calls, "trace read nothing"
    assert all(bound for bound, _ in counted.calls), counted.calls
    assert max(rows for _, rows in counted.calls) <= MAX_ROWS, counted.calls


@pytest.mark.slow
def test_whole_store_read_trips_the_guard(big_store: Any) -> None:
    """The guard above can fail: the whole-store read returns far more rows."""
    counted = CountingStore(big_store)
    documents(counted)
    assert not all(bound for bound, _ in counted.calls)
    assert max(rows for _, rows in counted.calls) > MAX_ROWS


# --- key forms ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "forms"),
    [
        ("1432/BNV-CTTN", set()),  # resolve_documents finds every upper-case key
        ("33/CT-TTG@2021", set()),
        ("ANON:73a80ea5df8eaa56", {"ANON:73a80ea5df8eaa56"}),  # lower-case hash
        ("LUAT:luat-thuc-hien-dan-chu-o-co-so@2022",
         {"LUAT:luat-thuc-hien-dan-chu-o-co-so@2022", "LUAT:luat-thuc-hien-dan-chu-o-co-so"}),
        ("luat:luat-x", {"luat:luat-x", "LUAT:luat-x"}),
        # a symbol with Đ, typed NFD with spaces around: looked up as written, NFC
        (unicodedata.normalize("NFD", " 2215/BNV-CQĐP "), {"2215/BNV-CQĐP"}),
    ],
)
def test_exact_forms(text: str, forms: set[str]) -> None:
    from graph.trace import _exact_forms

    assert _exact_forms(text) == forms
