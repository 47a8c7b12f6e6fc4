"""graph.pipeline over real files: the bundled samples, broken files, edits, moves, the seeds."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from graph import iri
from graph.pipeline import ingest_paths, refresh_derived
from graph.queries import run_named
from graph.rdf import file_graph
from graph.store import GraphStore, OxigraphStore
from ingest.models import Citation, Document, FileResult, Relation, Span
from ontology.load import validate
from ontology.ns import LO

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "ingest" / "samples").glob("*.txt"))
SEEDS = ROOT.parent / "shared" / "seeds"
Factory = Callable[[], OxigraphStore]
Check = Callable[[Graph, Graph], None]


def snapshot(store: GraphStore) -> dict[URIRef, Graph]:
    """Every named graph except the provenance graph (which holds ingest times)."""
    return {n: store.named_graph(n) for n in store.graph_names() if n != store.provenance_graph}


# --- the bundled samples ----------------------------------------------------------------------


def test_samples_land_and_conform(memory_store: Factory) -> None:
    store = memory_store()
    done: list[tuple[int, int, str]] = []
    summary = ingest_paths(store, SAMPLES, progress=lambda *a: done.append(a))
    assert summary.failed == ()
    assert [Path(p).name for p, _, _ in summary.landed] == [p.name for p in SAMPLES]
    assert all(n >= 1 for _, _, n in summary.landed)
    assert [d for d, _, _ in done] == list(range(1, len(SAMPLES) + 1))
    assert len(store.sources()) == len(SAMPLES)
    report = validate(store.instance_graph())
    assert report.conforms, report.text


def test_ingesting_the_samples_twice_gives_isomorphic_graphs(memory_store: Factory,
                                                             assert_isomorphic: Check) -> None:
    store = memory_store()
    ingest_paths(store, SAMPLES)
    first = snapshot(store)
    ingest_paths(store, SAMPLES)
    second = snapshot(store)
    assert first.keys() == second.keys()
    for name, graph in first.items():
        assert_isomorphic(second[name], graph)


def test_the_sample_date_conflict_is_reported(memory_store: Factory) -> None:
    store = memory_store()
    ingest_paths(store, SAMPLES)
    rows = run_named(store, "conflicting_dates").rows
    dates = {(str(r["date"]), str(r["where"])) for r in rows
             if str(r["identity"]) == "1876/UBND-VX"}
    assert dates == {("2025-05-14", "header"), ("2025-05-15", "mention")}


# --- broken files, edits, moves ---------------------------------------------------------------


def test_a_broken_file_is_reported_and_the_rest_lands(tmp_path: Path,
                                                      memory_store: Factory) -> None:
    shutil.copy(SAMPLES[0], tmp_path / "good.txt")
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04 not really a docx")
    store = memory_store()
    summary = ingest_paths(store, [tmp_path, tmp_path / "missing.txt"])
    assert [Path(p).name for p, _, _ in summary.landed] == ["good.txt"]
    assert sorted(Path(e.path).name for e in summary.failed) == ["broken.docx", "missing.txt"]
    assert not summary.ok
    assert [Path(s.path).name for s in store.sources()] == ["good.txt"]


def test_reingest_after_an_edit_replaces_the_graph(tmp_path: Path, memory_store: Factory) -> None:
    f = tmp_path / "letter.txt"
    shutil.copy(SAMPLES[0], f)
    store = memory_store()
    ingest_paths(store, [f])
    before = store.named_graph(iri.source_graph_iri(f, store.base))
    f.write_text(f.read_text(encoding="utf-8") + "\nThực hiện Chỉ thị số 99/CT-TTg "
                 "ngày 01/02/2020 của Thủ tướng Chính phủ.\n", encoding="utf-8")
    ingest_paths(store, [f])
    after = store.named_graph(iri.source_graph_iri(f, store.base))
    assert len(store.sources()) == 1
    assert iri.document_iri("99/CT-TTG@2020", store.base) in set(after.objects())
    assert iri.document_iri("99/CT-TTG@2020", store.base) not in set(before.objects())
    [info] = store.sources()
    assert info.sha256 != str(before.value(None, LO.sha256))


def test_a_moved_file_replaces_its_old_graph(tmp_path: Path, memory_store: Factory) -> None:
    old, new = tmp_path / "a.txt", tmp_path / "sub" / "b.txt"
    shutil.copy(SAMPLES[0], old)
    store = memory_store()
    ingest_paths(store, [old])
    new.parent.mkdir()
    old.rename(new)
    summary = ingest_paths(store, [new])
    assert [Path(s.path).name for s in summary.moved] == ["a.txt"]
    assert [Path(s.path).name for s in store.sources()] == ["b.txt"]


def test_a_copy_is_a_second_source_not_a_move(tmp_path: Path, memory_store: Factory) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    shutil.copy(SAMPLES[0], a)
    shutil.copy(SAMPLES[0], b)
    store = memory_store()
    ingest_paths(store, [a])
    summary = ingest_paths(store, [b])
    assert summary.moved == ()
    assert len(store.sources()) == 2


# --- cross-file resolution --------------------------------------------------------------------


def _mentioning(path: str, key: str, text: str = "Theo Chỉ thị số 33/CT-TTg.") -> FileResult:
    c = Citation(key, "33/CT-TTg", "chi-thi", None, None, None, Relation.CITES,
                 Span(5, 25, text[5:25]))
    own = "ANON:" + Path(path).stem  # one citing document per file
    d = Document(own, None, None, None, None,
                 dt.date(2024, 1, 1), None, (), None, None, (), None, Span(0, len(text), text),
                 citations=(c,))
    return FileResult(path, (d,), text, "txt", "utf-8", "0" * 64)


def _add(store: GraphStore, r: FileResult) -> None:
    store.replace_source(iri.source_graph_iri(r.path, store.base), file_graph(r, base=store.base))


@pytest.mark.parametrize(
    ("dated_keys", "linked"),
    [
        (["33/CT-TTG@2021"], ["33/CT-TTG@2021"]),
        (["33/CT-TTG@2021", "33/CT-TTG@2012"], []),  # the number was reused: ambiguous
        ([], []),
    ],
)
def test_an_undated_mention_links_to_the_only_dated_candidate(
    memory_store: Factory, dated_keys: list[str], linked: list[str]
) -> None:
    store = memory_store()
    _add(store, _mentioning("/data/luocdo-test/undated.txt", "33/CT-TTG"))
    for i, key in enumerate(dated_keys):
        _add(store, _mentioning(f"/data/luocdo-test/dated{i}.txt", key))
    assert refresh_derived(store) == len(linked)
    derived = store.named_graph(iri.derived_graph_iri(store.base))
    assert sorted(str(o) for o in derived.objects(None, LO.sameDocumentAs)) == [
        str(iri.document_iri(k, store.base)) for k in linked]


def test_derived_links_are_recomputed_when_their_basis_goes(memory_store: Factory) -> None:
    store = memory_store()
    _add(store, _mentioning("/data/luocdo-test/undated.txt", "33/CT-TTG"))
    _add(store, _mentioning("/data/luocdo-test/dated.txt", "33/CT-TTG@2021"))
    assert refresh_derived(store) == 1
    store.remove_source(iri.source_graph_iri("/data/luocdo-test/dated.txt", store.base))
    assert refresh_derived(store) == 0
    assert len(store.named_graph(iri.derived_graph_iri(store.base))) == 0


# --- the seeds --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeds_store() -> OxigraphStore:
    if not SEEDS.is_dir():
        pytest.skip(f"seed documents not found at {SEEDS}")
    store = OxigraphStore(None)
    summary = ingest_paths(store, sorted(SEEDS.glob("*.txt")))
    assert summary.failed == ()
    return store


@pytest.mark.seeds
def test_seeds_conform_to_the_shapes(seeds_store: OxigraphStore) -> None:
    report = validate(seeds_store.instance_graph())
    assert report.conforms, report.text


@pytest.mark.seeds
def test_seeds_who_cites_directive_33(seeds_store: OxigraphStore) -> None:
    rows = run_named(seeds_store, "cited_by", doc="33/CT-TTg").rows
    files = {Path(str(r["path"])).name for r in rows}
    assert len(files) >= 3
    assert all("33" in str(r["quote"]) for r in rows)
    assert str(LO.implements) in {str(r["relation"]) for r in rows}


@pytest.mark.seeds
def test_seeds_chain_from_the_province_letter_to_directive_33(
    seeds_store: OxigraphStore,
) -> None:
    rows = run_named(seeds_store, "implementation_chain", doc="4666/UBND-KGVX").rows
    target = iri.document_iri("33/CT-TTG@2021", seeds_store.base)
    hops = [r for r in rows if r["to"] == target]
    assert hops, [(str(r["from"]), str(r["to"])) for r in rows]
    assert any("33/CT-TTg" in str(r.get("quote", "")) for r in hops)


@pytest.mark.seeds
def test_seeds_what_regulation_23_replaced(seeds_store: OxigraphStore) -> None:
    rows = run_named(seeds_store, "replaced", doc="23-QĐ/TW").rows
    replaced = {(str(r["direction"]), str(r.get("otherSymbol"))) for r in rows}
    assert ("replaces", "290-QĐ/TW") in replaced
    assert all("290" in str(r["quote"]) for r in rows if "quote" in r)
    assert any("quote" in r for r in rows)
