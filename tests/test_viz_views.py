"""visualizations.views: which nodes, edges, path and message each view holds."""

from __future__ import annotations

import datetime as dt
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, URIRef

from graph.store import OxigraphStore
from graph.trace import AmbiguousSymbol, UnknownSection, UnknownSymbol
from ingest.clean import fold
from ontology.terms import Relation
from visualizations.facts import Corpus, DocInfo, LinkInfo
from visualizations.model import View
from visualizations.style import EDGE_STYLES, NODE_STYLES
from visualizations.views import (
    corpus_view,
    corpus_view_of,
    neighbourhood,
    neighbourhood_of,
    resolve,
    trace_view,
)

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "ingest" / "samples"
SEEDS = ROOT.parent / "shared" / "seeds"
SEED_002 = "002_53c9a83512b58783.txt"
BASES_OF_15 = {"27/2023/QH15", "94/2023/NĐ-CP", "52-NQ/TW", "47-NQ/TW",
               "Luật Thực hiện dân chủ ở cơ sở"}


# --- stores ------------------------------------------------------------------------------------


@cache
def _graphs(*paths: str) -> tuple[tuple[str, tuple[Any, ...]], ...]:
    """Named graphs of the ingested ``paths`` (ingested once; every test gets a fresh copy)."""
    from graph.pipeline import ingest_paths

    store = OxigraphStore(None)
    ingest_paths(store, list(paths))
    graphs: dict[str, list[Any]] = {}
    for s, p, o, g in store.quads(ontology=True):
        graphs.setdefault(str(g), []).append((s, p, o))
    store.close()
    return tuple((g, tuple(ts)) for g, ts in sorted(graphs.items()))


def _store(paths: list[Path]) -> OxigraphStore:
    store = OxigraphStore(None)
    for name, triples in _graphs(*(str(p) for p in paths)):
        graph = Graph()
        for t in triples:
            graph.add(t)
        store.replace_source(URIRef(name), graph)
    return store


def _samples() -> OxigraphStore:
    return _store(sorted(SAMPLES.glob("*.txt")))


def _seeds(*names: str) -> OxigraphStore:
    if not SEEDS.is_dir():
        pytest.skip(f"seed folder {SEEDS} is absent (it lives beside the repository)")
    paths = sorted(SEEDS.glob("*.txt"))
    return _store([p for p in paths if not names or p.name in names])


def _docs(view: View) -> set[str]:
    return {n.label for n in view.nodes if n.kind == "document"}


def _edges(view: View, kind: str = "document") -> set[tuple[str, str, str]]:
    return {(view.node(e.source).label, e.relation, view.node(e.target).label)
            for e in view.edges
            if view.node(e.source).kind == kind or view.node(e.target).kind == kind}


@cache
def _source(path: str) -> str:
    from ingest.read import read_file

    return read_file(path).text


def _assert_quotes_exact(view: View) -> None:
    """Every quote shown is the source text at its offsets."""
    quotes = [q for n in view.nodes for q in n.quotes] + [q for e in view.edges for q in e.quotes]
    assert quotes
    for q in quotes:
        assert q.source is not None and q.start is not None
        assert _source(q.source)[q.start:q.end] == q.text


# --- neighbourhood (samples) -------------------------------------------------------------------


@pytest.mark.parametrize(("doc", "depth", "expected"), [
    # depth 0: the document and the chain of what it rests on (based on, implements …)
    ("15/CT-TTg", 0, {"15/CT-TTg"} | BASES_OF_15),
    # a province letter climbs through the ministry letter to the directive and its bases
    ("1876/UBND-VX", 0, {"1876/UBND-VX", "2215/BNV-CQĐP", "45/SNV-XDCQ.TN", "15/CT-TTg"}
     | BASES_OF_15),
    # one hop: what 27-KL/TU cites, continues, replaces and amends, plus its chain
    ("27-KL/TU", 1, {"27-KL/TU", "58-KL/TW", "47-NQ/TW", "08-CT/TU", "312-QĐ/TU", "05-QC/TU",
                     "11-QĐi/TW", "15/CT-TTg"} | BASES_OF_15),
])
def test_neighbourhood_documents(doc: str, depth: int, expected: set[str]) -> None:
    view = neighbourhood(_samples(), doc, depth)
    assert _docs(view) == expected
    assert view.focus is not None and view.node(view.focus).label == doc
    assert view.kind == "neighbourhood" and view.message is None


def test_neighbourhood_relations_and_quotes() -> None:
    view = neighbourhood(_samples(), "27-KL/TU", 1)
    assert {
        ("27-KL/TU", "replaces", "312-QĐ/TU"),
        ("27-KL/TU", "amends", "05-QC/TU"),
        ("27-KL/TU", "continues", "58-KL/TW"),
        ("27-KL/TU", "implements", "15/CT-TTg"),
        ("58-KL/TW", "continues", "47-NQ/TW"),  # stated by 27-KL/TU about two others
    } <= _edges(view)
    stated = next(e for e in view.edges if view.node(e.source).label == "58-KL/TW")
    assert stated.quotes and "27-KL/TU" in (stated.quotes[0].note or "")
    replaced = next(e for e in view.edges if e.relation == "replaces")
    assert "312-QĐ/TU" in replaced.quotes[0].text
    _assert_quotes_exact(view)


def test_neighbourhood_merges_several_relations_into_one_edge() -> None:
    view = neighbourhood(_samples(), "2215/BNV-CQĐP", 1)
    edge = next(e for e in view.edges if (view.node(e.source).label, view.node(e.target).label)
                == ("3790/BC-BNV", "2215/BNV-CQĐP"))
    assert edge.relation == "implements"  # the most specific relation is drawn
    assert set(edge.relations) == {"implements", "attached_to"}
    assert edge.colour == EDGE_STYLES["implements"].colour


def test_neighbourhood_obligations_and_agencies() -> None:
    view = neighbourhood(_samples(), "15/CT-TTg", 1)
    focus = view.focus
    obligations = [n for n in view.nodes if n.kind == "obligation"]
    assert len(obligations) == 6
    assert {n.date for n in obligations} >= {"15/12", "31/12/2024", "31/01/2025"}
    creates = {e.target for e in view.edges if e.relation == "creates"}
    assert creates == {n.id for n in obligations}
    assert all(e.source == focus for e in view.edges if e.relation == "creates")
    agencies = {n.label for n in view.nodes if n.kind == "agency"}
    assert "Thủ tướng Chính phủ" in agencies  # its issuer, and a recipient of reports
    assert ("15/CT-TTg", "issued_by", "Thủ tướng Chính phủ") in _edges(view)
    assert any(e.relation == "reports_to" for e in view.edges)


def test_undated_mention_is_drawn_as_its_dated_document() -> None:
    store = _samples()
    view = neighbourhood(store, "15/CT-TTg", 1)
    labels = [n.label for n in view.nodes if n.kind == "document"]
    assert labels.count("15/CT-TTg") == 1
    assert all("/ct/_/15/" not in n.id for n in view.nodes)  # no yearless placeholder
    assert view.focus is not None and "/2024/" in view.focus


@pytest.mark.parametrize("written", [
    "15/CT-TTg", "15/ct-ttg", "15/CT-TTG@2024", "https://data.luocdo.vn/eli/vn/ct/2024/15/ttg",
    unicodedata.normalize("NFD", "2215/BNV-CQĐP"), "2215/bnv-cqdp",
])
def test_document_forms_resolve(written: str) -> None:
    view = neighbourhood(_samples(), written, 0)
    assert view.focus is not None
    assert view.node(view.focus).label in {"15/CT-TTg", "2215/BNV-CQĐP"}


def test_unknown_document() -> None:
    with pytest.raises(UnknownSymbol):
        neighbourhood(_samples(), "9999/XYZ-ABC", 1)
    with pytest.raises(UnknownSymbol):
        neighbourhood(_samples(), "https://example.org/nothing", 1)


def test_negative_depth_and_unknown_language() -> None:
    store = _samples()
    with pytest.raises(ValueError, match="depth"):
        neighbourhood(store, "15/CT-TTg", -1)
    with pytest.raises(ValueError, match="language"):
        neighbourhood(store, "15/CT-TTg", 1, lang="fr")


def test_english_labels() -> None:
    view = neighbourhood(_samples(), "15/CT-TTg", 1, lang="en")
    assert view.title == "Neighbourhood of 15/CT-TTg (depth 1)"
    focus = view.node(view.focus or "")
    assert (focus.type_label, focus.date, focus.issuer) == ("Directive", "2024-04-12",
                                                            "Prime Minister")
    assert {n.date for n in view.nodes if n.kind == "obligation"} >= {"15 Dec"}
    legend = {e.key: e.label for e in view.legend}
    assert legend["doc-directive"] == "Directives, telegrams"
    assert legend["implements"] == "implements"


def test_legend_lists_only_what_is_drawn() -> None:
    view = neighbourhood(_samples(), "15/CT-TTg", 0)
    keys = {e.key for e in view.legend}
    assert keys == {n.node_class for n in view.nodes} | {e.relation for e in view.edges} | {
        "mentioned"}
    for entry in view.legend:
        if entry.kind == "node" and entry.key in NODE_STYLES:
            assert entry.colour == NODE_STYLES[entry.key].colour


# --- neighbourhood (seeds) ---------------------------------------------------------------------


@pytest.mark.seeds
def test_seed_neighbourhood_of_the_ministry_letter() -> None:
    view = neighbourhood(_seeds(), "1432/BNV-CTTN", 1)
    docs = _docs(view)
    assert {"1432/BNV-CTTN", "33/CT-TTg", "4666/UBND-KGVX", "03-CTr/BDVTW-BCSĐCP"} <= docs
    assert {("1432/BNV-CTTN", "implements", "33/CT-TTg"),
            ("4666/UBND-KGVX", "implements", "33/CT-TTg")} <= _edges(view)
    deadlines = {n.date for n in view.nodes if n.kind == "obligation"}
    assert deadlines == {"30/05", "15/12"}
    _assert_quotes_exact(view)


# --- trace --------------------------------------------------------------------------------------


@pytest.mark.seeds
def test_trace_seed_002_section_iii_8() -> None:
    view = trace_view(_seeds(SEED_002), "1432/BNV-CTTN", "III.8")
    labels = [view.node(i).label for i in view.path]
    assert labels[0].startswith("Mục III.8")
    assert labels[1:] == ["1432/BNV-CTTN", "33/CT-TTg"]
    path_edges = [(view.node(e.source).label.split("\n")[0], e.relation,
                   view.node(e.target).label) for e in view.path_edges]
    assert path_edges == [("Mục III.8", "outline_of", "1432/BNV-CTTN"),
                          ("1432/BNV-CTTN", "implements", "33/CT-TTg")]
    named = {view.node(e.target).label for e in view.edges if e.relation == "names"}
    assert named == {"217-QĐ/TW", "218-QĐ/TW"}
    obligations = [n for n in view.nodes if n.kind == "obligation"]
    assert sorted(n.date or "" for n in obligations) == ["15/12", "30/05"]
    assert ("gửi báo cáo năm\n15/12 · hằng năm", "reports_to", "Bộ Nội vụ") in _edges(
        view, "obligation")
    levels = {view.node(i).label.split("\n")[0]: view.node(i).level for i in view.path}
    assert levels == {"33/CT-TTg": 0, "1432/BNV-CTTN": 1, "Mục III.8": 2}
    assert view.layout == "hierarchical" and view.focus == view.path[0]
    assert "path" in {e.key for e in view.legend}
    _assert_quotes_exact(view)


def test_trace_samples_reaches_the_directive() -> None:
    view = trace_view(_samples(), "2215/BNV-CQĐP", "iii. 4")
    assert [view.node(i).label.split("\n")[0] for i in view.path] == [
        "Mục III.4", "2215/BNV-CQĐP", "15/CT-TTg", "27/2023/QH15"]
    assert {view.node(e.target).label for e in view.edges if e.relation == "names"} == {
        "124-QĐ/TW", "125-QĐ/TW"}
    assert all(e.highlighted == (e.relation in {"outline_of", "implements", "based_on"})
               for e in view.edges)


def test_trace_errors() -> None:
    store = _samples()
    with pytest.raises(UnknownSection) as err:
        trace_view(store, "2215/BNV-CQĐP", "IX.9")
    assert "III.4" in err.value.available
    with pytest.raises(UnknownSymbol):
        trace_view(store, "9999/BNV-CQĐP", "III.4")


# --- corpus -------------------------------------------------------------------------------------


def test_corpus_small_draws_every_document() -> None:
    view = corpus_view(_samples())
    assert not view.clustered and view.message is None
    assert len(view.nodes) == 43  # 45 document nodes, two of them undated twins
    assert all(n.kind == "document" for n in view.nodes)
    assert ("2215/BNV-CQĐP", "implements", "15/CT-TTg") in _edges(view)
    cited_most = max(view.nodes, key=lambda n: n.size)
    assert cited_most.label == "15/CT-TTg"


@pytest.mark.parametrize(("by", "word", "expected"), [
    ("issuer", "cơ quan ban hành", {"Bộ Nội vụ": 5, "Trung ương Đảng": 7}),
    ("type", "loại văn bản", {"Chỉ thị": 4, "Công văn": 5}),
])
def test_corpus_large_is_grouped(by: str, word: str, expected: dict[str, int]) -> None:
    view = corpus_view(_samples(), max_nodes=10, cluster_by=by)
    assert view.clustered and all(n.kind == "cluster" for n in view.nodes)
    assert sum(n.count or 0 for n in view.nodes) == 43
    counts = {n.title: n.count for n in view.nodes}
    assert {k: counts[k] for k in expected} == expected
    assert view.message is not None and "43" in view.message and word in view.message
    assert len(view.catalogue) == 43
    assert any(c.label == "2215/BNV-CQĐP" and "cqdp" in c.search for c in view.catalogue)


def test_corpus_of_an_empty_store() -> None:
    view = corpus_view(OxigraphStore(None), lang="en")
    assert view.nodes == () and view.message is not None and "no documents" in view.message


# --- pure builders on small hand-made corpora ---------------------------------------------------


def _doc(n: int, **fields: Any) -> DocInfo:
    values: dict[str, Any] = {"symbol": f"{n}/CT-TTg", "key": f"{n}/CT-TTG@2024",
                              "doc_type": "chi-thi", "has_text": True}
    values.update(fields)
    return DocInfo(f"urn:doc:{n}", **values)


def _star(leaves: int) -> Corpus:
    docs = {d.iri: d for d in [_doc(0)] + [_doc(i) for i in range(1, leaves + 1)]}
    links = tuple(LinkInfo(f"urn:doc:{i}", "urn:doc:0", (Relation.IMPLEMENTS,), 1)
                  for i in range(1, leaves + 1))
    return Corpus(docs, links)


def test_large_neighbourhood_is_trimmed_with_a_message() -> None:
    view = neighbourhood_of(_star(50), "urn:doc:0", 2, max_nodes=10)
    assert len(_docs(view)) == 10 and "0/CT-TTg" in _docs(view)
    assert view.message == ("Vùng lân cận quá lớn: chỉ hiển thị 10 trong số 51 văn bản "
                            "gần nhất.")


def test_ambiguous_symbol_lists_candidates() -> None:
    docs = {d.iri: d for d in (_doc(1, key="1/CT-TTG@2023", date=dt.date(2023, 1, 2)),
                               _doc(2, symbol="1/CT-TTg", key="1/CT-TTG@2024"))}
    with pytest.raises(AmbiguousSymbol) as err:
        resolve(Corpus(docs), "1/CT-TTg")
    assert {d.key for d in err.value.candidates} == {"1/CT-TTG@2023", "1/CT-TTG@2024"}
    assert resolve(Corpus(docs), "1/CT-TTG@2024") == "urn:doc:2"


@pytest.mark.parametrize("nfd", [False, True])
def test_search_key_is_folded_whatever_the_normal_form(nfd: bool) -> None:
    title = "Về đẩy mạnh chuyển đổi số"
    title = unicodedata.normalize("NFD", title) if nfd else title
    view = corpus_view_of(Corpus({"urn:doc:1": _doc(1, title=title)}))
    (node,) = view.nodes
    assert "ve day manh chuyen doi so" in node.search
    assert node.search == fold(node.search)


def test_mention_dates_give_a_date_only_when_they_agree() -> None:
    docs = {d.iri: d for d in (_doc(1, has_text=False), _doc(2, has_text=False))}
    dates = {"urn:doc:1": frozenset({dt.date(2021, 11, 26)}),
             "urn:doc:2": frozenset({dt.date(2021, 1, 1), dt.date(2021, 1, 2)})}
    view = corpus_view_of(Corpus(docs, mention_dates=dates))
    assert {n.label: n.date for n in view.nodes} == {"1/CT-TTg": "26/11/2021", "2/CT-TTg": None}
    assert all(n.mentioned_only for n in view.nodes)
