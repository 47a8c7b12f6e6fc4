"""graph.project: the networkx projection, ranking, chains and GraphML for Gephi."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Graph, URIRef

from graph.project import implementation_chain, most_cited, projection, write_graphml
from graph.store import OxigraphStore

B = "https://data.luocdo.vn/"
CORPUS = """
@prefix lo: <https://w3id.org/luocdo/ontology#> .
@prefix eli: <http://data.europa.eu/eli/ontology#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix d: <https://data.luocdo.vn/eli/vn/> .
<{B}outline> a lo:Document ; lo:identityKey "ANON:outline" ; lo:attachedTo <{B}letter> .
<{B}letter> a lo:Document ; lo:identityKey "4666/UBND-KGVX@2023" ; lo:symbol "4666/UBND-KGVX" ;
    lo:documentType lo:type-cong-van ; eli:date_document "2023-12-01"^^xsd:date ;
    lo:implements <{B}undated> ; lo:cites <{B}ministry> , <{B}directive> .
<{B}undated> a lo:Document ; lo:identityKey "33/CT-TTG" ; lo:symbol "33/CT-TTg" ;
    lo:unresolved true ; lo:sameDocumentAs <{B}directive> .
<{B}ministry> a lo:Document ; lo:identityKey "1432/BNV-CTTN@2023" ;
    lo:implements <{B}directive> ; lo:basedOn <{B}law> ; lo:cites <{B}directive> .
<{B}directive> a lo:Document ; lo:identityKey "33/CT-TTG@2021" ; lo:symbol "33/CT-TTg" ;
    lo:documentType lo:type-chi-thi ; eli:title "Về tăng cường công tác" .
<{B}law> a lo:Document ; lo:identityKey "LUAT:dat-dai@2024" ; eli:title "Luật Đất đai" .
<{B}report> a lo:Document ; lo:identityKey "ANON:report" ; lo:reportsOn <{B}directive> ;
    lo:replaces <{B}old> .
"""


@pytest.fixture
def g(memory_store: Callable[[], OxigraphStore]) -> nx.DiGraph:
    store = memory_store()
    data = Graph().parse(data=CORPUS.replace("{B}", B), format="turtle")
    store.replace_source(URIRef(store.base + "graph/source/x"), data)
    return projection(store)


def test_nodes_and_attributes(g: nx.DiGraph) -> None:
    directive = g.nodes[B + "directive"]
    assert directive == {"key": "33/CT-TTG@2021", "symbol": "33/CT-TTg", "type": "chi-thi",
                         "title": "Về tăng cường công tác", "unresolved": 0,
                         "label": "33/CT-TTg"}
    assert g.nodes[B + "letter"]["date"] == "2023-12-01"
    assert g.nodes[B + "undated"]["unresolved"] == 1
    assert g.nodes[B + "law"]["label"] == "Luật Đất đai"
    assert g.nodes[B + "outline"]["label"] == "ANON:outline"
    assert g.nodes[B + "old"] == {"label": B + "old", "unresolved": 1}  # only an edge end


def test_attribute_values_are_never_none(g: nx.DiGraph) -> None:
    values = [v for _, attrs in g.nodes(data=True) for v in attrs.values()]
    values += [v for _, _, attrs in g.edges(data=True) for v in attrs.values()]
    assert values and all(isinstance(v, str | int) for v in values)


@pytest.mark.parametrize(
    ("src", "dst", "relation", "relations", "weight"),
    [
        ("ministry", "directive", "implements", "cites,implements", 2),
        ("letter", "undated", "implements", "implements", 1),
        ("undated", "directive", "same_document", "same_document", 1),
        ("outline", "letter", "attached_to", "attached_to", 1),
        ("report", "old", "replaces", "replaces", 1),
    ],
)
def test_edges(g: nx.DiGraph, src: str, dst: str, relation: str, relations: str,
               weight: int) -> None:
    assert g.edges[B + src, B + dst] == {"relation": relation, "relations": relations,
                                         "weight": weight}


def test_most_cited(g: nx.DiGraph) -> None:
    assert most_cited(g, 2) == [(B + "directive", 4), (B + "law", 1)]


def test_implementation_chain(g: nx.DiGraph) -> None:
    paths = implementation_chain(g, B + "outline")
    assert [[n[len(B):] for n in p] for p in paths] == [
        ["outline", "letter", "undated", "directive"]]
    assert implementation_chain(g, B + "ministry") == [
        [B + "ministry", B + "directive"], [B + "ministry", B + "law"]]
    assert implementation_chain(g, B + "law") == [[B + "law"]]


def test_graphml_round_trip(g: nx.DiGraph, tmp_path: Path) -> None:
    out = tmp_path / "kg.graphml"
    write_graphml(g, out)
    back = nx.read_graphml(out)
    assert back.number_of_nodes() == g.number_of_nodes()
    assert back.number_of_edges() == g.number_of_edges()
    assert back.nodes[B + "directive"]["symbol"] == "33/CT-TTg"


def test_merge_same_documents_folds_undated_mentions() -> None:
    # regression: the demo listed 15/CT-TTg twice (dated node and undated mention node)
    import networkx as nx

    from graph.project import merge_same_documents, most_cited

    g = nx.DiGraph()
    g.add_edge("a", "undated", relation="implements", relations="implements", weight=1)
    g.add_edge("b", "dated", relation="cites", relations="cites", weight=1)
    g.add_edge("undated", "dated", relation="same_document", relations="same_document", weight=1)
    merged = merge_same_documents(g)
    assert "undated" not in merged
    assert merged.edges["a", "dated"]["relation"] == "implements"
    assert most_cited(merged, 1) == [("dated", 2)]
