"""Named queries rewritten so that Oxigraph no longer reads a whole-store group for them.

Oxigraph evaluates an OPTIONAL group of several required patterns on its own, over the
whole store, and hash-joins it: ``replaced`` read every replacement citation with its
evidence for one document (217 ms at 100,000 documents with 5,020 citations of one
relation; now its edges' evidence is read bound to the edges, by
``replacement_evidence``), and ``report_follows`` every evidence node of the store (45 s
at 100,000 documents for an empty answer; now anchored sub-selects, 0.5 ms). The
rewritten queries must give the same rows as the plain formulation kept here, on
hand-made edge cases (an evidence without quote or path, two evidence nodes, a relation
without a citation, a citation of another relation between the same documents, a
stating third document, two files) and on the samples and seeds, on Oxigraph and on
the SPARQL endpoint; ``stats`` (the same shape, harmless at its size) likewise.

Every named query is also checked from its algebra: no OPTIONAL holds a group of several
required patterns, so the next query written that way fails here, not at 100,000
documents.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from corpora import corpus_paths
from rdflib import Literal, URIRef
from rdflib.namespace import RDF
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue

from graph.pipeline import ingest_paths
from graph.queries import list_queries, load_query, run_named
from graph.store import GraphStore
from ontology.ns import LO

# The plain formulations: the queries as they were before they were anchored.
PLAIN_REPLACED = """
PREFIX lo: <https://w3id.org/luocdo/ontology#>
SELECT DISTINCT ?doc ?direction ?other ?otherSymbol ?quote ?path ?statedBy
WHERE {
  { ?doc lo:replaces ?other .
    BIND ("replaces" AS ?direction) BIND (?doc AS ?newer) BIND (?other AS ?older) }
  UNION
  { ?other lo:replaces ?doc .
    BIND ("replacedBy" AS ?direction) BIND (?other AS ?newer) BIND (?doc AS ?older) }
  OPTIONAL { ?other lo:symbol ?otherSymbol }
  OPTIONAL {
    ?citation lo:citingDocument ?newer ; lo:citedDocument ?older ;
              lo:relation lo:replaces ; lo:evidence ?evidence .
    ?evidence lo:quote ?quote ; lo:sourceFile ?file .
    ?file lo:path ?path .
    OPTIONAL { ?citation lo:statedBy ?statedBy }
  }
}
"""

PLAIN_REPORT_FOLLOWS = """
PREFIX lo: <https://w3id.org/luocdo/ontology#>
SELECT ?report ?section ?number ?title ?outline ?outlineSection ?outlineNumber ?outlineTitle
       ?quote ?start ?end ?outlineQuote ?outlineStart ?outlineEnd
WHERE {
  ?section a lo:ReportSection ; lo:followsSection ?outlineSection ;
           lo:sectionNumber ?number ; lo:sectionTitle ?title .
  { ?report lo:hasSection ?section }
  UNION { ?report lo:hasSection/lo:hasSection ?section }
  UNION { ?report lo:hasSection/lo:hasSection/lo:hasSection ?section }
  ?report a lo:Document .
  { ?outline lo:hasSection ?outlineSection }
  UNION { ?outline lo:hasSection/lo:hasSection ?outlineSection }
  UNION { ?outline lo:hasSection/lo:hasSection/lo:hasSection ?outlineSection }
  ?outline a lo:Document .
  ?outlineSection lo:sectionNumber ?outlineNumber ; lo:sectionTitle ?outlineTitle .
  OPTIONAL { ?section lo:evidence ?ev .
             ?ev lo:quote ?quote ; lo:startOffset ?start ; lo:endOffset ?end . }
  OPTIONAL { ?outlineSection lo:evidence ?oev .
             ?oev lo:quote ?outlineQuote ; lo:startOffset ?outlineStart ;
                  lo:endOffset ?outlineEnd . }
}
"""


PLAIN_STATS = """
PREFIX lo: <https://w3id.org/luocdo/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?docType ?label ?documents
WHERE {
  ?tally a lo:TypeCount ; lo:documentCount ?documents .
  OPTIONAL { ?tally lo:documentType ?docType }
  OPTIONAL { ?tally lo:documentType ?t . ?t skos:prefLabel ?label FILTER (LANG(?label) = "vi") }
}
"""


# --- no named query joins a whole-store group in -------------------------------------------


def _looked_up_per_row(node: object) -> bool:
    """Whether Oxigraph can read the right side of an OPTIONAL row by row: one pattern,
    or a group that opens with one and nests the rest (OPTIONAL, FILTER, BIND, UNION of
    such); a sub-select or VALUES is read as written. A group of several required
    patterns (a basic graph pattern of two or more, a join) is read over the whole
    store and hash-joined."""
    if not isinstance(node, CompValue):
        return True
    if node.name == "BGP":
        return len(node.triples) <= 1
    if node.name == "LeftJoin":
        return _looked_up_per_row(node.p1)
    if node.name in ("Filter", "Extend"):
        return _looked_up_per_row(node.p)
    if node.name == "Union":
        return _looked_up_per_row(node.p1) and _looked_up_per_row(node.p2)
    return node.name != "Join"


def _whole_store_groups(node: object) -> list[CompValue]:
    """The right sides of OPTIONALs in ``node`` (a query's algebra) not read per row."""
    found: list[CompValue] = []
    if isinstance(node, CompValue):
        if node.name == "LeftJoin" and not _looked_up_per_row(node.p2):
            found.append(node.p2)
        for value in node.values():
            found += _whole_store_groups(value)
    elif isinstance(node, list | tuple):
        for value in node:
            found += _whole_store_groups(value)
    return found


@pytest.mark.parametrize("name", sorted(q.name for q in list_queries()))
def test_no_optional_group_is_read_over_the_whole_store(name: str) -> None:
    groups = _whole_store_groups(prepareQuery(load_query(name)).algebra)
    assert not groups, (f"{name}: an OPTIONAL group of several required patterns; open it "
                        "with one pattern and nest the rest (docs/graph.md, Named queries)")


@pytest.mark.parametrize("text", [PLAIN_REPLACED, PLAIN_REPORT_FOLLOWS, PLAIN_STATS])
def test_the_plain_formulations_are_what_the_check_finds(text: str) -> None:
    assert _whole_store_groups(prepareQuery(text).algebra)


def _bag(store: GraphStore, text: str, **bindings: Any) -> list[tuple[tuple[str, str], ...]]:
    """The rows as a sorted bag of (column, text) tuples."""
    rows = store.select_text(text, bindings or None)
    return sorted(tuple(sorted(r.items())) for r in rows)


def _replaced(store: GraphStore, doc: URIRef) -> list[tuple[tuple[str, str], ...]]:
    """``replaced`` as ``run_named`` gives it (edges, then their evidence), as a bag
    without the edge's ?newer and ?older, which the plain query does not show."""
    rows = run_named(store, "replaced", doc=doc).rows
    return sorted(tuple(sorted((k, str(v)) for k, v in r.items()
                               if k not in ("newer", "older"))) for r in rows)


# --- replaced: hand-made edge cases ------------------------------------------------------------


def _replacement_triples(base: str) -> list[tuple[Any, Any, Any]]:
    """Documents A…F and the replacement edges and citations between them.

    * A replaces B: a citation with a full evidence, a second evidence without a path
      (its file has none), a third without a quote, and a citation of another relation
      (cites) between the same two documents, with a full evidence;
    * C replaces B with no citation at all (an edge written by hand);
    * D replaces E, stated by F (``lo:statedBy``), its evidence read from two files;
    * A's citation of E says "replaces" but no replacement edge links them.
    """
    def n(local: str) -> URIRef:
        return URIRef(f"{base}test/{local}")

    t: list[tuple[Any, Any, Any]] = []
    for doc in "ABCDEF":
        t += [(n(doc), RDF.type, LO.Document), (n(doc), LO.symbol, Literal(f"{doc}/TEST"))]
    t += [(n("A"), LO.replaces, n("B")), (n("C"), LO.replaces, n("B")),
          (n("D"), LO.replaces, n("E"))]

    def citation(name: str, citing: str, cited: str, relation: URIRef) -> None:
        t.extend([(n(name), RDF.type, LO.Citation), (n(name), LO.citingDocument, n(citing)),
                  (n(name), LO.citedDocument, n(cited)), (n(name), LO.relation, relation)])

    def evidence(citation_name: str, name: str, quote: str | None,
                 files: Iterable[tuple[str, str | None]]) -> None:
        t.append((n(citation_name), LO.evidence, n(name)))
        if quote is not None:
            t.append((n(name), LO.quote, Literal(quote)))
        for file, path in files:
            t.append((n(name), LO.sourceFile, n(file)))
            if path is not None:
                t.append((n(file), LO.path, Literal(path)))

    citation("c1", "A", "B", LO.replaces)
    evidence("c1", "e1", "A thay thế B", [("f1", "a.txt")])
    evidence("c1", "e2", "A bãi bỏ B", [("f2", None)])
    evidence("c1", "e3", None, [("f1", "a.txt")])
    citation("c2", "A", "B", LO.cites)
    evidence("c2", "e4", "căn cứ B", [("f1", "a.txt")])
    citation("c3", "D", "E", LO.replaces)
    t.append((n("c3"), LO.statedBy, n("F")))
    evidence("c3", "e5", "D thay thế E", [("f3", "f.txt"), ("f4", "f-bis.txt")])
    citation("c4", "A", "E", LO.replaces)
    evidence("c4", "e6", "A thay thế E", [("f1", "a.txt")])
    return t


@pytest.mark.parametrize("doc", list("ABCDEF"))
def test_replaced_equals_the_plain_query_on_edge_cases(any_store: GraphStore, doc: str
                                                       ) -> None:
    store = any_store
    store.put_graph(URIRef(f"{store.base}graph/replacements"),
                    _replacement_triples(store.base))
    iri = URIRef(f"{store.base}test/{doc}")
    rows = _replaced(store, iri)
    assert rows == _bag(store, PLAIN_REPLACED, doc=iri)
    if doc == "B":  # the rows the oracle gives, spelled out once
        quotes = sorted(dict(r).get("quote", "") for r in rows)
        assert quotes == ["", "A thay thế B"]


# --- both queries on extracted text --------------------------------------------------------


def _ingested(tmp_path: Path, store: GraphStore, paths: list[Path]) -> GraphStore:
    copies = []
    for p in paths:
        target = tmp_path / p.name
        target.write_text(p.read_text(encoding="utf-8"), encoding="utf-8")
        copies.append(target)
    ingest_paths(store, copies)
    return store


@pytest.mark.parametrize("corpus", ["samples", "seeds"])
def test_stats_equals_the_plain_query(tmp_path: Path, any_store: Any, corpus: str) -> None:
    store = _ingested(tmp_path, any_store, corpus_paths(corpus, tmp_path))
    rows = _bag(store, load_query("stats"))
    assert any(dict(r).get("label") for r in rows)
    assert rows == _bag(store, PLAIN_STATS)


@pytest.mark.parametrize("corpus", ["samples", "seeds"])
def test_report_follows_equals_the_plain_query(tmp_path: Path, any_store: Any,
                                               corpus: str) -> None:
    store = _ingested(tmp_path, any_store, corpus_paths(corpus, tmp_path))
    rows = _bag(store, load_query("report_follows"))
    assert rows  # both corpora hold a report that follows an outline
    assert rows == _bag(store, PLAIN_REPORT_FOLLOWS)


@pytest.mark.parametrize("corpus", ["samples", "seeds"])
def test_replaced_equals_the_plain_query_for_every_document(tmp_path: Path,
                                                            any_store: Any,
                                                            corpus: str) -> None:
    store = _ingested(tmp_path, any_store, corpus_paths(corpus, tmp_path))
    docs = [r["doc"] for r in store.select_text(
        "PREFIX lo: <https://w3id.org/luocdo/ontology#> "
        "SELECT DISTINCT ?doc WHERE { { ?doc lo:replaces [] } UNION { [] lo:replaces ?doc } }")]
    assert docs  # the corpus states replacements
    for doc in docs:
        iri = URIRef(doc)
        assert _replaced(store, iri) == _bag(store, PLAIN_REPLACED, doc=iri)


@pytest.mark.parametrize("corpus", ["samples", "seeds"])
def test_documents_by_issuer_gives_the_rows_of_the_plain_filter(tmp_path: Path,
                                                                any_store: Any,
                                                                corpus: str) -> None:
    """The ``#?issuer`` line of ``documents`` only narrows what its FILTER keeps: the
    same rows as the query with that line left a comment."""
    from graph.queries import _catalogue, bind_params

    store = _ingested(tmp_path, any_store, corpus_paths(corpus, tmp_path))
    query = _catalogue()["documents"]
    seen = 0
    for words, year in [("Bộ Nội vụ", None), ("ủy ban nhân dân", None), ("TỈNH ỦY", None),
                        ("ubnd", None), ("Nội vụ", 2024), ("no such body", None)]:
        params: dict[str, object] = {"issuer": words}
        if year is not None:
            params["year"] = year
        bound = bind_params(store, query, params)
        plain = store.query(query.text, bound).rows  # the #? lines stay comments
        found = run_named(store, "documents", issuer=words, year=year).rows
        assert {tuple(sorted(r.items())) for r in found} == {
            tuple(sorted(r.items())) for r in plain}, words
        seen += len(found)
    assert seen


@pytest.mark.parametrize("corpus", ["samples", "seeds"])
def test_documents_by_year_gives_the_rows_of_the_plain_filter(tmp_path: Path,
                                                              any_store: Any,
                                                              corpus: str) -> None:
    """The ``#?year`` line of ``documents`` only narrows what its FILTER keeps."""
    from graph.queries import _catalogue, bind_params

    store = _ingested(tmp_path, any_store, corpus_paths(corpus, tmp_path))
    query = _catalogue()["documents"]
    seen = 0
    cases: list[dict[str, Any]] = [
        {"year": 2024}, {"year": 2021}, {"year": 2025, "type": "ke-hoach"},
        {"year": 2024, "issuer": "ủy ban nhân dân"}, {"year": 1990}]
    for params in cases:
        bound = bind_params(store, query, params)
        plain = store.query(query.text, bound).rows  # the #? lines stay comments
        found = run_named(store, "documents", **params).rows
        assert {tuple(sorted(r.items())) for r in found} == {
            tuple(sorted(r.items())) for r in plain}, params
        seen += len(found)
    assert seen


def test_documents_by_year_reads_dates_then_keys(any_store: GraphStore) -> None:
    """A document's year is its date's, else its key's: the ``#?year`` line keeps what the
    FILTER keeps for a document dated in another year than its key says, one with two
    dates, one with no date and one with neither date nor year in its key."""
    from graph.queries import _catalogue, bind_params

    store = any_store
    date = URIRef("http://data.europa.eu/eli/ontology#date_document")
    xsd_date = URIRef("http://www.w3.org/2001/XMLSchema#date")
    triples = []
    for name, key, dates in [("A", "1/KH-UBND@2023", ["2023-05-01"]),
                             ("B", "2/KH-UBND@2023", []),
                             ("C", "3/KH-UBND@2023", ["2022-12-31"]),
                             ("D", "ANON:d41d8cd9", []),
                             ("E", "5/KH-UBND@2024", ["2023-01-01", "2024-01-02"])]:
        doc = URIRef(f"{store.base}test/{name}")
        triples += [(doc, RDF.type, LO.Document), (doc, LO.identityKey, Literal(key))]
        triples += [(doc, date, Literal(d, datatype=xsd_date)) for d in dates]
    store.put_graph(URIRef(f"{store.base}graph/years"), triples)
    query = _catalogue()["documents"]
    expected = {2022: {"C"}, 2023: {"A", "B", "E"}, 2024: {"E"}, 2025: set()}
    for year, names in expected.items():
        bound = bind_params(store, query, {"year": year})
        plain = {tuple(sorted(r.items())) for r in store.query(query.text, bound).rows}
        found = run_named(store, "documents", year=year).rows
        assert {tuple(sorted(r.items())) for r in found} == plain, year
        assert {str(r["doc"]).rpartition("/")[2] for r in found} == names, year


@pytest.mark.parametrize("words", ["tuyên giáo", "BTG", "home affairs", "Hòa An"])
def test_documents_by_issuer_reads_both_kinds_of_label(any_store: GraphStore,
                                                       words: str) -> None:
    """An issuer named by a Vietnamese preferred label and a different plain label (and
    an English one, which the listing does not show): the ``#?issuer`` line keeps what
    the FILTER keeps."""
    from rdflib import Namespace
    from rdflib.namespace import RDFS, SKOS

    from graph.queries import _catalogue, bind_params

    store = any_store
    eli = Namespace("http://data.europa.eu/eli/ontology#")
    doc, node = URIRef(f"{store.base}test/X"), URIRef(f"{store.base}test/issuer")
    store.put_graph(URIRef(f"{store.base}graph/issuers"), [
        (doc, RDF.type, LO.Document), (doc, LO.identityKey, Literal("12-KH/BTGTU@2024")),
        (doc, eli.date_document, Literal("2024-03-01", datatype=URIRef(
            "http://www.w3.org/2001/XMLSchema#date"))),
        (doc, LO.issuedBy, node),
        (node, SKOS.prefLabel, Literal("Ban Tuyên giáo Tỉnh ủy Hòa An", lang="vi")),
        (node, RDFS.label, Literal("BTG TU")),
        (node, RDFS.label, Literal("Home Affairs", lang="en")),
    ])
    query = _catalogue()["documents"]
    bound = bind_params(store, query, {"issuer": words})
    plain = {tuple(sorted(r.items())) for r in store.query(query.text, bound).rows}
    found = {tuple(sorted(r.items())) for r in run_named(store, "documents",
                                                         issuer=words).rows}
    assert found == plain
    assert bool(found) == (words in ("tuyên giáo", "Hòa An"))
