"""graph.reports read for one document: the bound lookups give the whole-store answer.

``documents``, ``citations``, ``obligations``, ``outline_sections``, ``check_draft`` and
``graph.calendar.calendar_events`` read only a document's neighbourhood when given one
(``graph/queries/trace_*.rq`` bound by ``VALUES``). These tests pin that (1) for every
outline section of the seeds, the samples and a synthetic outline letter, each anchored
read equals the whole-store read filtered to the same document, and (2) a per-document
read asks no unbound query and gets few rows back, even with many more documents in
the store.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from test_trace_scale import CountingStore

from graph.calendar import calendar_events
from graph.reports import (
    SectionFact,
    citations,
    document_evidence,
    documents,
    obligations,
    outline_sections,
    read_sections,
)

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # benchmarks/ is not an installed package
    sys.path.insert(0, str(ROOT))
SEEDS = ROOT.parent / "shared" / "seeds"
SAMPLES = ROOT / "ingest" / "samples"
DRAFT = SAMPLES / "drafts" / "draft_incomplete.txt"


def _seeds(tmp: Path) -> list[Path]:
    del tmp
    if not SEEDS.is_dir():
        pytest.skip(f"seed folder {SEEDS} is absent (it lives beside the repository)")
    return sorted(SEEDS.glob("*.txt"))


def _synthetic_outline(tmp: Path) -> list[Path]:
    """The first synthetic letter that carries an attached "ĐỀ CƯƠNG BÁO CÁO", as a file."""
    from benchmarks.synth import generate_corpus

    doc = next(d for d in generate_corpus(60, 0) if "ĐỀ CƯƠNG BÁO CÁO" in d.text)
    path = tmp / doc.name
    path.write_text(doc.text, encoding="utf-8")
    return [path]


CORPORA: dict[str, Callable[[Path], list[Path]]] = {
    "seeds": _seeds,
    "samples": lambda tmp: sorted(SAMPLES.glob("*.txt")),
    "synthetic-outline": _synthetic_outline,
}


def _store(paths: list[Path], synthetic: int = 0) -> Any:
    """An in-memory store holding ``paths`` plus ``synthetic`` generated documents."""
    from rdflib import Graph

    from benchmarks.synth import generate_records
    from graph import iri
    from graph.pipeline import ingest_paths
    from graph.rdf import file_graph
    from graph.store import open_store

    store = open_store(":memory:")
    ingest_paths(store, [str(p) for p in paths])
    if synthetic:
        g = Graph()
        for record in generate_records(synthetic, 0):
            g += file_graph(record, base=store.base)
        store.replace_source(iri.source_graph_iri("synthetic/records", store.base), g)
    return store


# --- (1) anchored reads equal the whole-store read ----------------------------------------------


@pytest.mark.parametrize("corpus", ["seeds", "samples", "synthetic-outline"])
def test_anchored_readers_equal_whole_store_per_outline_section(corpus: str,
                                                                tmp_path: Path) -> None:
    store = _store(CORPORA[corpus](tmp_path))
    docs, cites = documents(store), citations(store)
    obls, sections = obligations(store), outline_sections(store)
    assert sections, f"{corpus}: no outline section to compare"
    all_events, all_skipped = calendar_events(store)
    made_by: dict[str, set[str]] = defaultdict(set)
    for o in obls:
        made_by[o.document or ""].add(o.iri)
    for sec in sections:
        where = (corpus, sec.number)
        owner = sec.owner or ""
        # the section, among those of its owner's outlines
        mine = [s for s in sections if s.owner == owner]
        assert read_sections(store, owner) == mine, where
        attached = outline_sections(store, owner=owner)
        assert [_owned_by(s, owner) for s in mine] == [s for s in attached if s.iri in {
            m.iri for m in mine}], where
        # every document the section touches: its owner, its outline, the names
        for iri in {owner, sec.outline, *(sec.names)}:
            assert documents(store, iri) == {i: d for i, d in docs.items() if i == iri}, where
            assert document_evidence(store, iri) == (docs[iri].evidence if iri in docs
                                                     else ()), where
            assert citations(store, citing=iri) == [c for c in cites if c.citing == iri], where
            assert citations(store, cited=iri) == [c for c in cites if c.cited == iri], where
            assert obligations(store, document=iri) == [o for o in obls
                                                        if o.document == iri], where
            events, skipped = calendar_events(store, document=iri)
            assert events == [e for e in all_events if e.obligation in made_by[iri]], where
            assert skipped == [o for o in all_skipped if o.document == iri], where


def _owned_by(s: SectionFact, owner: str) -> SectionFact:
    from dataclasses import replace

    return replace(s, owner=owner)


@pytest.mark.parametrize("corpus", ["seeds", "samples"])
def test_outline_attached_to_several_documents_belongs_to_each(corpus: str,
                                                               tmp_path: Path) -> None:
    """``outline_sections(owner=…)`` answers for any document the outline is attached to;
    the whole-store read gives each section to the first of them by IRI."""
    store = _store(CORPORA[corpus](tmp_path))
    whole = outline_sections(store)
    for owner in sorted({s.owner for s in whole if s.owner}):
        bound = outline_sections(store, owner=owner)
        assert all(s.owner == owner for s in bound), owner
        assert {s.iri for s in whole if s.owner == owner} <= {s.iri for s in bound}, owner


# --- (2) a per-document read stays a neighbourhood ----------------------------------------------


@pytest.fixture(scope="module")
def mixed_store(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The samples plus 300 synthetic documents (read-only for the tests that use it)."""
    return _store(sorted(SAMPLES.glob("*.txt")), 300)


MAX_ROWS = 200
OWNER = "https://data.luocdo.vn/eli/vn/cv/2025/2215/bnv-cqdp"  # the sample letter 2215


def _check(store: Any) -> Any:
    from graph.check import check_draft

    return check_draft(store, DRAFT, "2215/BNV-CQĐP")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "run"),
    [
        ("documents", lambda s: documents(s, OWNER)),
        ("document_evidence", lambda s: document_evidence(s, OWNER)),
        ("citations citing", lambda s: citations(s, citing=OWNER)),
        ("citations cited", lambda s: citations(s, cited=OWNER)),
        ("obligations", lambda s: obligations(s, document=OWNER)),
        ("outline_sections", lambda s: outline_sections(s, owner=OWNER)),
        ("calendar_events", lambda s: calendar_events(s, document=OWNER)[0]),
        ("check_draft", _check),
    ],
)
def test_per_document_reads_are_bound_and_small(mixed_store: Any, name: str,
                                                run: Callable[[Any], Any]) -> None:
    counted = CountingStore(mixed_store)
    assert run(counted), f"{name}: empty answer"
    assert counted.calls, f"{name}: read nothing"
    assert all(bound for bound, _ in counted.calls), (name, counted.calls)
    assert max(rows for _, rows in counted.calls) <= MAX_ROWS, (name, counted.calls)


@pytest.mark.slow
def test_whole_store_read_trips_the_guard(mixed_store: Any) -> None:
    """The guard above can fail: the whole-store read is unbound and returns more rows."""
    counted = CountingStore(mixed_store)
    citations(counted)
    assert not all(bound for bound, _ in counted.calls)
    assert max(rows for _, rows in counted.calls) > MAX_ROWS
