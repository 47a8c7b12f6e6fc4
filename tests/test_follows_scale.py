"""graph.follows among many unrelated documents: incremental links equal the full ones.

Every store here holds, besides the seed or sample files of a row, ``SYNTH_DOCS``
synthetic documents (``benchmarks.synth``) that follow no outline: the links must not
change, and the incremental answer for some reports must be exactly the full answer
restricted to them.
"""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Iterator, Sequence
from functools import cache
from pathlib import Path
from typing import Literal

import pytest
from rdflib import Graph, URIRef

from graph import iri
from graph.follows import (
    FollowScope,
    follow_links,
    follow_scope,
    follows_graph,
    has_outline_in_graph,
    report_sections,
    reports_in_graph,
    same_as_scope,
    updated_follows_graph,
)
from graph.pipeline import ingest_paths, refresh_derived
from graph.rdf import file_graph
from graph.store import GraphStore, open_store
from ingest.models import FileResult
from ontology.ns import LO

REPO = Path(__file__).parents[1]
SEEDS = REPO.parent / "shared" / "seeds"
SAMPLES = REPO / "ingest" / "samples"
SYNTH_DOCS = 300
NOWHERE = "https://example.org/not-in-the-store"

if str(REPO) not in sys.path:  # benchmarks/ is not an installed package
    sys.path.insert(0, str(REPO))

Form = Literal["NFC", "NFD"]


@cache
def _synthetic() -> tuple[FileResult, ...]:
    """The unrelated documents (frozen records, generated once per run)."""
    from benchmarks.synth import generate_records

    return tuple(generate_records(SYNTH_DOCS, 0))


def _synthetic_ward_report() -> FileResult:
    """A synthetic ward report: its headings are outline sections under no outline."""
    return next(r for r in _synthetic() if any(d.outline for d in r.documents))


def _path(name: str) -> Path:
    """``"s003"`` → seed 003; ``"04"`` → sample 04."""
    if name.startswith("s"):
        if not SEEDS.is_dir():
            pytest.skip(f"seed documents not found at {SEEDS}")
        return next(SEEDS.glob(f"{name[1:]}_*.txt"))
    return next(SAMPLES.glob(f"{name}_*.txt"))


def _copy(name: str, folder: Path, form: Form = "NFC") -> Path:
    source = _path(name)
    target = folder / source.name
    target.write_text(unicodedata.normalize(form, source.read_text(encoding="utf-8")),
                      encoding="utf-8")
    return target


def _store(names: Sequence[str], folder: Path, form: Form = "NFC", *,
           noise: bool = True) -> GraphStore:
    """The files of a row (copied in ``form``), among the synthetic documents if ``noise``."""
    store = open_store(":memory:")
    for rec in _synthetic() if noise else ():
        store.replace_source(iri.source_graph_iri(rec.path, store.base),
                             file_graph(rec, base=store.base))
    ingest_paths(store, [_copy(n, folder, form) for n in names])
    return store


def _graph_of(store: GraphStore, name: str) -> str:
    if name == "synth":
        return str(iri.source_graph_iri(_synthetic_ward_report().path, store.base))
    wanted = _path(name).name
    return next(str(s.graph) for s in store.sources() if Path(s.path).name == wanted)


def _same_as(store: GraphStore) -> dict[str, str]:
    """The lo:sameDocumentAs links ``graph.pipeline.refresh_derived`` last wrote."""
    derived = store.named_graph(iri.derived_graph_iri(store.base))
    return {str(a): str(b) for a, b in derived.subject_objects(LO.sameDocumentAs)}


def _subsets(reports: Sequence[str], others: Sequence[str]) -> Iterator[list[str]]:
    yield from ([r] for r in reports)
    yield list(reports)
    yield list(reports[::2])
    yield [*reports[:1], *others, NOWHERE]
    yield []


ALL_FILES = ("s000", "s001", "s002", "s003", "01", "02", "03", "04", "05", "06")

# (files, text form, how many reports the full answer links)
STORES = [
    pytest.param(ALL_FILES, "NFC", 3, id="seeds-and-samples"),
    pytest.param(ALL_FILES, "NFD", 3, id="seeds-and-samples-nfd"),
    pytest.param(("s002", "s003"), "NFC", 1, id="ward-report-and-its-outline"),
    pytest.param(("02", "04"), "NFD", 1, id="district-report-and-its-outline-nfd"),
]


@pytest.mark.parametrize(("names", "form", "linked"), STORES)
def test_incremental_links_are_the_full_links_of_those_reports(
    names: tuple[str, ...], form: Form, linked: int, tmp_path: Path
) -> None:
    store = _store(names, tmp_path, form)
    same = _same_as(store)
    full = follow_links(store, same)
    assert len({link.report for link in full}) == linked
    everything = report_sections(store)
    outlines = sorted({link.outline for link in full})
    for subset in _subsets(sorted(everything), outlines):
        assert follow_links(store, same, subset) == [k for k in full if k.report in subset]
        assert report_sections(store, subset) == {
            r: s for r, s in everything.items() if r in subset}


def test_unrelated_documents_change_no_link(tmp_path: Path) -> None:
    """The synthetic documents add no report, no outline and no link."""
    with_noise = _store(("02", "04"), tmp_path)
    alone = open_store(":memory:")
    ingest_paths(alone, [tmp_path / _path(n).name for n in ("02", "04")])
    assert follow_links(with_noise, _same_as(with_noise)) == follow_links(alone, _same_as(alone))
    assert report_sections(with_noise).keys() == report_sections(alone).keys()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> GraphStore:
    """Every seed and sample among the synthetic documents; only read by the tests."""
    return _store(ALL_FILES, tmp_path_factory.mktemp("corpus"))


# (source file, holds an outline, tail of the report document it holds)
GRAPHS = [
    ("02", True, None),
    ("04", False, "/doc/anon/7795bf45140ac17a"),
    ("06", False, "/eli/vn/bc/2025/3790/bnv"),
    ("01", False, None),
    ("03", False, None),
    ("s000", True, None),
    ("s001", False, "/doc/anon/025aa8f225f95755"),
    ("s002", True, None),
    ("s003", False, "/doc/anon/3bf623fc8976eb72"),
    # regression: a document's own headings typed as outline sections (the synthetic
    # ward reports) are no outline, and must not force a full recompute
    ("synth", False, None),
]


@pytest.mark.parametrize(("name", "outline", "report"), GRAPHS)
def test_what_one_source_graph_holds(
    corpus: GraphStore, name: str, outline: bool, report: str | None
) -> None:
    graph = _graph_of(corpus, name)
    assert has_outline_in_graph(corpus, graph) is outline
    found = reports_in_graph(corpus, graph)
    assert [r.rsplit("/data.luocdo.vn", 1)[-1] for r in found] == ([report] if report else [])
    scope = follow_scope(corpus, graph, _same_as(corpus))
    assert scope.full is outline
    assert set(found) <= set(scope.reports)


def test_no_graph_by_that_name_holds_nothing(corpus: GraphStore) -> None:
    assert not has_outline_in_graph(corpus, NOWHERE)
    assert reports_in_graph(corpus, NOWHERE) == []
    assert follow_scope(corpus, NOWHERE) == FollowScope(False, ())


# (files first ingested, what happens, to which file, full recompute due, links change)
CHANGES = [
    # the report dates "Chỉ thị 15/CT-TTg", which the outline's host implements undated:
    # the lo:sameDocumentAs link that appears (or goes) changes the host's roots
    pytest.param(("02",), "add", "04", True, True, id="report-dates-the-hosts-root"),
    pytest.param(("02", "04"), "remove", "04", True, True, id="report-goes-with-the-date"),
    pytest.param(("04",), "add", "02", True, True, id="outline-arrives"),
    pytest.param(("02", "04"), "remove", "02", True, True, id="outline-goes"),
    pytest.param(("02", "04", "06"), "remove", "06", False, True, id="report-goes"),
    pytest.param(("s000", "s001", "s002"), "remove", "s001", False, True,
                 id="national-report-goes"),
    pytest.param(("02", "04"), "add", "06", False, True, id="second-report"),
    pytest.param(("s002",), "add", "s003", False, True, id="ward-report-joins"),
    pytest.param(("s002", "s003"), "reingest-nfd", "s003", False, False, id="same-report-nfd"),
    pytest.param(("02", "04"), "add", "01", False, False, id="unrelated-directive"),
]


def _apply(store: GraphStore, action: str, name: str, folder: Path) -> None:
    if action == "remove":
        store.remove_source(URIRef(_graph_of(store, name)))
        refresh_derived(store)
    else:
        ingest_paths(store, [_copy(name, folder, "NFD" if action.endswith("nfd") else "NFC")])


def _scopes(store: GraphStore, name: str, same: dict[str, str]) -> list[FollowScope]:
    wanted = _path(name).name
    return [follow_scope(store, str(s.graph), same) for s in store.sources()
            if Path(s.path).name == wanted]


@pytest.mark.parametrize(("names", "action", "name", "full", "changes"), CHANGES)
def test_updated_links_equal_a_full_recompute(
    names: tuple[str, ...], action: str, name: str, full: bool, changes: bool,
    tmp_path: Path,
) -> None:
    store = _store(names, tmp_path, noise=False)  # the noise is tested above; keep this quick
    old_same = _same_as(store)
    previous = follows_graph(store, old_same)
    scopes = _scopes(store, name, old_same)  # the graph as it was, if it was there
    _apply(store, action, name, tmp_path)
    same = _same_as(store)
    scopes += [*_scopes(store, name, same), same_as_scope(store, old_same, same)]
    assert any(s.full for s in scopes) is full
    expected = follows_graph(store, same)
    assert (set(expected) != set(previous)) is changes
    if not full:
        reports = sorted({r for s in scopes for r in s.reports})
        assert set(updated_follows_graph(store, previous, same, reports)) == set(expected)


def _extra_graph(store: GraphStore, triples: list[tuple[str, str, str]]) -> str:
    name = URIRef(f"{store.base}graph/test-extra")
    g = Graph()
    for s, p, o in triples:
        g.add((URIRef(s), LO[p], URIRef(o)))
    store.replace_source(name, g)
    return str(name)


def _host_and_report(store: GraphStore) -> tuple[str, str]:
    rows = store.query("PREFIX lo: <https://w3id.org/luocdo/ontology#> "
                       "SELECT ?h WHERE { ?h lo:hasOutline ?o }")
    host = str(next(iter(rows))["h"])
    return host, next(iter(report_sections(store)))


# (subject, relation, full recompute due): a graph stating only this relation
RELATIONS = [
    ("host", "implements", True),  # the host's roots change: any report may relate
    ("host", "cites", False),  # not a root relation
    ("report", "implements", False),  # only that report's links
    ("other", "basedOn", False),  # a document that is neither
]


@pytest.mark.parametrize(("subject", "relation", "full"), RELATIONS)
def test_a_relation_from_an_outline_host_calls_for_a_full_recompute(
    subject: str, relation: str, full: bool, tmp_path: Path
) -> None:
    store = _store(("02", "04"), tmp_path, noise=False)
    host, report = _host_and_report(store)
    iri_of = {"host": host, "report": report, "other": "https://example.org/other"}
    graph = _extra_graph(store, [(iri_of[subject], relation, "https://example.org/root")])
    scope = follow_scope(store, graph, _same_as(store))
    assert scope.full is full
    if not full:
        assert iri_of[subject] in scope.reports


# (old lo:sameDocumentAs, new one, full recompute due); IRIs by role, see below
SAME_AS = [
    ({}, {}, False),
    ({}, {"mention": "dated"}, False),  # an unrelated mention resolves
    ({"mention": "dated"}, {}, False),
    ({}, {"host": "dated"}, True),  # the outline's host is an undated mention
]


@pytest.mark.parametrize(("old", "new", "full"), SAME_AS)
def test_same_as_scope(
    corpus: GraphStore, old: dict[str, str], new: dict[str, str], full: bool
) -> None:
    host, _ = _host_and_report(corpus)
    iri_of = {"host": host, "mention": "https://example.org/undated",
              "dated": "https://example.org/dated"}
    scope = same_as_scope(corpus, {iri_of[a]: iri_of[b] for a, b in old.items()},
                          {iri_of[a]: iri_of[b] for a, b in new.items()})
    assert scope.full is full
    if not full and (old or new):
        assert iri_of["mention"] in scope.reports


# (sample 03 states a root relation from a document an outline is attached to: that
# outline is read, as it must be)
@pytest.mark.parametrize("name", ["synth", "01", "s001"])
def test_a_write_reads_the_headings_of_no_unrelated_outline(
    corpus: GraphStore, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Regression: every write read every outline's headings (0.5 s twice per file at
    100,000 documents with 200 outlines) to learn whether it states a root relation
    of an outline's host. Only the outlines its own root relations come from are read."""
    from graph import follows

    read: list[str] = []
    original = follows._Outlines._read

    def spy(self: follows._Outlines, outlines: Sequence[str]) -> list[follows.SectionFact]:
        read.extend(outlines)
        return original(self, outlines)

    monkeypatch.setattr(follows._Outlines, "_read", spy)
    follow_scope(corpus, _graph_of(corpus, name), _same_as(corpus))
    assert read == []
