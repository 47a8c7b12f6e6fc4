"""graph.pipeline.refresh_derived with a change set equals the full recomputation.

Every row is a store built by full refreshes, then batches of writes (puts and removals
of sample files, seeds, synthetic records, small hand-made records) each made through a
``DerivedChanges`` and followed by an incremental refresh. After every batch the
derived graph, the counts graph and the due pages must be isomorphic to those a fresh
store holding the same source graphs computes from scratch.
"""

from __future__ import annotations

import datetime as dt
import sys
import unicodedata
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import RDF

from graph import counts, iri
from graph.pipeline import _CANDIDATES, DerivedChanges, refresh_derived
from graph.rdf import file_graph
from graph.results import QueryResult
from graph.sparql import Binding
from graph.store import OxigraphStore
from graph.union import is_materialised
from ingest.extract import extract_text
from ingest.models import Citation, Document, FileResult, Relation, Span
from ontology.ns import LO

REPO = Path(__file__).parents[1]
SEEDS = REPO.parent / "shared" / "seeds"
SAMPLES = REPO / "ingest" / "samples"
BASE = "https://data.luocdo.vn/"
SYNTH_DOCS = 30

if str(REPO) not in sys.path:  # benchmarks/ is not an installed package
    sys.path.insert(0, str(REPO))


# --- the items written ------------------------------------------------------------------------


@cache
def _synthetic() -> tuple[FileResult, ...]:
    from benchmarks.synth import generate_records

    return tuple(generate_records(SYNTH_DOCS, 0))


def _mentioning(path: str, cited: str, own_type: str | None = None,
                relation: Relation = Relation.CITES) -> FileResult:
    """One document (of ``own_type``) citing ``cited`` (an identity key) once."""
    text = "Theo Chỉ thị số 33/CT-TTg về việc này."
    c = Citation(cited, "33/CT-TTg", "chi-thi", None, None, None, relation,
                 Span(5, 25, text[5:25]))
    d = Document("ANON:" + Path(path).stem, None, own_type, None, None, dt.date(2024, 1, 1),
                 None, (), None, None, (), None, Span(0, len(text), text), citations=(c,))
    return FileResult(path, (d,), text, "txt", "utf-8", "0" * 64)


def _dated(path: str, day: dt.date) -> FileResult:
    """A plan 7/KH-UBND of 2024 read from ``path``, its header dated ``day``: two
    such files that disagree give the document two dates (``lo:ownDateCount``)."""
    text = "Kế hoạch số 7/KH-UBND về việc này."
    d = Document("7/KH-UBND@2024", "7/KH-UBND", "ke-hoach", None, None, day, None, (), None,
                 None, (), None, Span(0, len(text), text))
    return FileResult(path, (d,), text, "txt", "utf-8", "0" * 64)


# Hand-made records: an undated mention, two dated documents with its symbol (a second
# one makes it ambiguous), and the undated file again with another type of its own.
MADE = {
    "undated": lambda: _mentioning("/data/test/undated.txt", "33/CT-TTG"),
    "undated-cv": lambda: _mentioning("/data/test/undated.txt", "33/CT-TTG", "cong-van"),
    "dated-a": lambda: _mentioning("/data/test/dated-a.txt", "33/CT-TTG@2021", "chi-thi"),
    "dated-b": lambda: _mentioning("/data/test/dated-b.txt", "33/CT-TTG@2012"),
    "implements": lambda: _mentioning("/data/test/impl.txt", "33/CT-TTG", None,
                                      Relation.IMPLEMENTS),
    # one plan in three files: two agree on its date, the third does not
    "plan-a": lambda: _dated("/data/test/plan-a.txt", dt.date(2024, 1, 5)),
    "plan-a2": lambda: _dated("/data/test/plan-a2.txt", dt.date(2024, 1, 5)),
    "plan-b": lambda: _dated("/data/test/plan-b.txt", dt.date(2024, 2, 9)),
}


def _file(name: str) -> Path:
    """``"s003"`` → seed 003; ``"04"`` → sample 04 (a trailing ``nfd``: the same file)."""
    name = name.removesuffix("nfd")
    if name.startswith("s"):
        if not SEEDS.is_dir():
            pytest.skip(f"seed documents not found at {SEEDS}")
        return next(SEEDS.glob(f"{name[1:]}_*.txt"))
    return next(SAMPLES.glob(f"{name}_*.txt"))


@cache
def _result(name: str) -> FileResult:
    """The record an item name stands for (``y7``: synthetic record 7)."""
    if name in MADE:
        return MADE[name]()
    if name.startswith("y"):
        return _synthetic()[int(name[1:])]
    path = _file(name)
    raw = path.read_text(encoding="utf-8")
    text = unicodedata.normalize("NFD" if name.endswith("nfd") else "NFC", raw)
    return extract_text(text, f"/data/test/{path.name}")


def _graph_iri(name: str) -> URIRef:
    return iri.source_graph_iri(_result(name).path, BASE)


def _apply(changes: DerivedChanges, op: str) -> None:
    """``+name``: put the item's graph; ``-name``: remove it."""
    name = op[1:]
    if op.startswith("+"):
        changes.replace_source(_graph_iri(name), file_graph(_result(name), base=BASE))
    else:
        changes.remove_source(_graph_iri(name))


# --- the comparison ---------------------------------------------------------------------------


def _derived(store: OxigraphStore) -> tuple[Graph, Graph, Graph]:
    return (store.named_graph(iri.derived_graph_iri(store.base)),
            store.named_graph(iri.counts_graph_iri(store.base)),
            store.named_graph(iri.due_pages_graph_iri(store.base)))


def _from_scratch(store: OxigraphStore) -> tuple[int, Graph, Graph, Graph]:
    """What a full refresh computes for a fresh store holding the same source graphs."""
    fresh = OxigraphStore(None, base=store.base)
    skip = {iri.derived_graph_iri(store.base), iri.counts_graph_iri(store.base),
            iri.due_pages_graph_iri(store.base), store.provenance_graph,
            iri.ontology_graph_iri(store.base)}
    for name in store.graph_names():
        if name not in skip:
            fresh.replace_source(name, store.named_graph(name))
    resolved = refresh_derived(fresh)
    return resolved, *_derived(fresh)


def _assert_isomorphic(actual: Graph, expected: Graph, what: str) -> None:
    if isomorphic(actual, expected):
        return
    _, only_actual, only_expected = graph_diff(to_isomorphic(actual), to_isomorphic(expected))
    pytest.fail(f"{what} differs\nonly incremental:\n{only_actual.serialize(format='nt')}"
                f"\nonly full:\n{only_expected.serialize(format='nt')}")


def _assert_current(store: OxigraphStore, resolved: int) -> None:
    expected, derived, counted, paged = _from_scratch(store)
    got_derived, got_counted, got_paged = _derived(store)
    _assert_isomorphic(got_derived, derived, "derived graph")
    _assert_isomorphic(got_counted, counted, "counts graph")
    _assert_isomorphic(got_paged, paged, "due pages")
    assert resolved == expected


def _run(first: Sequence[str], batches: Sequence[Sequence[str]]) -> OxigraphStore:
    """Put ``first`` and refresh fully, then each batch incrementally, checking each."""
    store = OxigraphStore(None, base=BASE)
    for name in first:
        store.replace_source(_graph_iri(name), file_graph(_result(name), base=BASE))
    refresh_derived(store)
    for batch in batches:
        changes = DerivedChanges(store)
        for op in batch:
            _apply(changes, op)
        _assert_current(store, refresh_derived(store, changes))
    return store


SYNTH = tuple(f"y{i}" for i in range(SYNTH_DOCS))

# (first files, batches of writes)
SEQUENCES = [
    pytest.param(("undated",), [["+dated-a"], ["+dated-b"], ["-dated-a"], ["-dated-b"]],
                 id="mention-resolves-becomes-ambiguous-and-back"),
    pytest.param(("undated", "dated-a"), [["-undated"], ["+undated"], ["+undated-cv"],
                                          ["+undated"]],
                 id="mention-goes-comes-and-changes-type"),
    pytest.param(("dated-a",), [["+undated", "+implements"], ["-dated-a", "+dated-b"],
                                ["-undated", "-implements", "-dated-b"]],
                 id="batches-that-undo-each-other"),
    pytest.param(("02",), [["+04"], ["-04"], ["+04nfd"], ["+04"]],
                 id="report-dates-the-hosts-root"),
    pytest.param(("04",), [["+02"], ["-02"], ["+02", "+06"]], id="outline-arrives-and-goes"),
    pytest.param(("02", "04"), [["+06"], ["-06"], ["+01"], ["+03", "+05"], ["-01", "-03"]],
                 id="reports-and-unrelated-files"),
    pytest.param(("s000", "s001", "s002"), [["-s001"], ["+s003"], ["+s001", "-s002"]],
                 id="seeds"),
    pytest.param(SYNTH[:20], [["+y20"], ["-y3"], ["+y3"], ["+y21", "+y22", "-y0"],
                              ["+undated", "+dated-a"]],
                 id="synthetic"),
    pytest.param(("02", "04", *SYNTH[:10]), [["+06", "+y10"], ["-y4", "-04"], ["+04"]],
                 id="samples-among-synthetic"),
    pytest.param(("plan-a",), [["+plan-a2"], ["+plan-b"], ["-plan-a"], ["-plan-a2"],
                               ["+plan-a", "-plan-b"]],
                 id="a-document-gets-a-second-date-and-loses-it"),
    pytest.param(("plan-a", "plan-b", "y1"), [["-plan-b", "+plan-a2"], ["+plan-b"]],
                 id="dates-disagree-from-the-start"),
    pytest.param((), [["+undated"], ["-undated"], ["-undated"]], id="from-an-empty-store"),
    pytest.param(("undated",), [["-dated-b"]], id="removing-a-graph-never-written"),
]


@pytest.mark.parametrize(("first", "batches"), SEQUENCES)
def test_incremental_refresh_equals_the_full_one(
    first: tuple[str, ...], batches: list[list[str]]
) -> None:
    _run(first, batches)


# sequences whose days hold several deadlines (the synthetic documents share due days)
CUT = [pytest.param(SYNTH[:20], [["+y20"], ["-y3"], ["+y3"], ["+y21", "+y22", "-y0"],
                                 ["-y1", "-y2", "-y4", "-y5", "-y6", "-y7"]],
                    id="synthetic-days-grow-and-shrink"),
       pytest.param(("02", "04", *SYNTH[:10]), [["+06", "+y10"], ["-y4", "-04"], ["+04"]],
                    id="samples-among-synthetic")]


@pytest.mark.parametrize(("first", "batches"), CUT)
def test_incremental_due_pages_cut_small_equal_the_full_ones(
    monkeypatch: pytest.MonkeyPatch, first: tuple[str, ...], batches: list[list[str]]
) -> None:
    """With two entries a page, days are cut into several pages, and their counts
    double and halve as the batches add and remove deadlines."""
    from graph import due_pages

    monkeypatch.setattr(due_pages, "PAGE_ENTRIES", 2)
    store = _run(first, batches)
    pages = [str(p) for p in store.named_graph(iri.due_pages_graph_iri(BASE)).subjects(
        RDF.type, LO.DueDayPage)]
    assert any(not p.endswith("-of-1") for p in pages)  # some day was cut


def test_an_empty_change_set_writes_nothing() -> None:
    store = _run(("undated", "dated-a"), [])
    before = _derived(store)
    assert refresh_derived(store, DerivedChanges(store)) == 1
    after = _derived(store)
    assert all(set(a) == set(b) for a, b in zip(after, before, strict=True))


def test_the_union_stays_materialised_and_exact() -> None:
    """The patch keeps the default graph the union of the named graphs."""
    store = _run(("undated", "dated-a"), [["+dated-b"], ["-dated-b"]])
    assert store.native is not None and is_materialised(store.native)
    named = {(q.subject, q.predicate, q.object) for q in store.native.quads_for_pattern(
        None, None, None, None) if q.graph_name.__class__.__name__ == "NamedNode"
        and not str(q.graph_name.value).endswith("graph/ontology")}
    default = {(q.subject, q.predicate, q.object) for q in store.native.quads_for_pattern(
        None, None, None, None) if q.graph_name.__class__.__name__ == "DefaultGraph"}
    assert {t for t in default if "urn:luocdo" not in str(t[0])} == named


class _Recording(OxigraphStore):
    """An in-memory store that keeps the text of every query it runs."""

    def __init__(self) -> None:
        super().__init__(None, base=BASE)
        self.texts: list[str] = []

    def query(self, sparql: str, bindings: Mapping[str, Binding] | None = None) -> QueryResult:
        self.texts.append(sparql)
        return super().query(sparql, bindings)

    def select_text(self, sparql: str, bindings: Mapping[str, Binding] | None = None
                    ) -> list[dict[str, str]]:
        self.texts.append(sparql)
        return super().select_text(sparql, bindings)


# (a whole-store query, written out in its module)
WHOLE_STORE = [
    pytest.param(_CANDIDATES, id="same-document-candidates"),
    pytest.param(counts._CITED, id="citation-counts"),
    pytest.param(counts._TYPED, id="type-counts"),
    pytest.param(counts._UNTYPED, id="untyped-count"),
    pytest.param(counts._SEVERAL_DATES, id="date-counts"),
]


@pytest.mark.parametrize("text", WHOLE_STORE)
def test_an_unrelated_write_reads_no_whole_store_aggregate(text: str) -> None:
    store = _Recording()
    for name in ("02", "04", *SYNTH[:5]):
        store.replace_source(_graph_iri(name), file_graph(_result(name), base=BASE))
    refresh_derived(store)
    assert text in store.texts  # the full refresh did read it
    store.texts.clear()
    changes = DerivedChanges(store)
    _apply(changes, "+y5")
    refresh_derived(store, changes)
    assert text not in store.texts


# --- random write sequences --------------------------------------------------------------------

POOL = ["undated", "undated-cv", "dated-a", "dated-b", "implements", "y0", "y1", "02", "04",
        "plan-a", "plan-b"]
_ops = st.lists(st.tuples(st.booleans(), st.sampled_from(POOL)), min_size=1, max_size=3)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(first=st.lists(st.sampled_from(POOL), max_size=3, unique=True),
       batches=st.lists(_ops, min_size=1, max_size=3))
def test_random_write_sequences(first: list[str], batches: list[list[tuple[bool, str]]]) -> None:
    _run(first, [[("+" if put else "-") + name for put, name in batch] for batch in batches])
