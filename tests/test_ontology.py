"""The luocdo ontology and shapes: parsing, alignments, HermiT, SHACL, queries, docs."""

from __future__ import annotations

import re
import shutil
import tempfile
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import rdflib.term
from rdflib import BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SH

from ontology import docs, load
from ontology.ns import ELI, LO, TIME
from ontology.terms import RELATIONS

LSH = Namespace("https://w3id.org/luocdo/shapes#")
# A plain Namespace: rdflib's XSD DefinedNamespace warns when pytest probes its attributes.
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
EX = Namespace("https://example.org/doc/")

needs_java = pytest.mark.skipif(
    shutil.which("java") is None,
    reason="java is not on PATH: HermiT needs a JVM (apt-get install default-jre-headless)",
)

# A small, complete instance graph: a plan implementing a directive, the citation
# with its evidence, an obligation with a yearly deadline, an outline section.
# The quote is invented; offsets are consistent with its length (20 code points).
VALID_TTL = """
@prefix lo:  <https://w3id.org/luocdo/ontology#> .
@prefix eli: <http://data.europa.eu/eli/ontology#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex:  <https://example.org/doc/> .

ex:plan a lo:Plan , lo:StateDocument ;
    lo:identityKey "12/KH-UBND@2024" ;
    lo:symbol "12/KH-UBND" ;
    eli:date_document "2024-03-05"^^xsd:date ;
    lo:documentType lo:type-ke-hoach ;
    lo:issuedBy lo:issuer-UBND ;
    lo:unresolved false ;
    lo:implements ex:directive .

ex:directive a lo:Directive , lo:Document ;
    lo:identityKey "05/CT-TTg@2023" ;
    lo:symbol "05/CT-TTg" .

ex:file a lo:SourceFile ;
    lo:sha256 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" ;
    lo:path "plan.txt" .

ex:citation a lo:Citation ;
    lo:citingDocument ex:plan ;
    lo:citedDocument ex:directive ;
    lo:relation lo:implements ;
    lo:citedDate "2023-01-02"^^xsd:date ;
    lo:evidence ex:evidence .

ex:evidence a lo:Evidence ;
    lo:sourceFile ex:file ;
    lo:startOffset 100 ;
    lo:endOffset 120 ;
    lo:quote "Chỉ thị số 05/CT-TTg" .

ex:obligation a lo:Obligation ;
    lo:createdBy ex:plan ;
    lo:evidence ex:evidence ;
    lo:deadline ex:deadline ;
    lo:frequency lo:freq-yearly ;
    lo:periodStart "2024-01-01"^^xsd:date ;
    lo:periodEnd "2024-12-31"^^xsd:date .

ex:deadline a lo:Deadline ;
    lo:dueMonthDay "--12-15"^^xsd:gMonthDay .

ex:due12 a lo:DueIndexMonth ;
    lo:indexMonthKey "--12" ;
    lo:dueEntry "--12-15\\tex:plan\\tex:obligation\\t\\t\\t\\t\\tChỉ thị\\t\\t100\\t120\\ta.txt" .

ex:section a lo:OutlineSection ;
    lo:sectionNumber "III.4.đ" ;
    lo:sectionTitle "Kết quả thực hiện" ;
    lo:parentSection ex:parent .

ex:parent a lo:OutlineSection ;
    lo:sectionNumber "III" ;
    lo:sectionTitle "Đánh giá chung" .

ex:submission lo:submissionStatus "late" .
"""


def valid_graph() -> Graph:
    """A fresh copy of the valid instance graph (no state shared between tests)."""
    return Graph().parse(data=VALID_TTL, format="turtle")


@pytest.fixture
def restore_rdflib_converters() -> Iterator[None]:
    """owlrl rewrites rdflib's literal converters process-wide; put them back afterwards."""
    mapping = rdflib.term._toPythonMapping
    saved = dict(mapping)
    yield
    mapping.clear()
    mapping.update(saved)


# ----------------------------------------------------------------- files and graphs


def test_paths_point_to_shipped_files() -> None:
    assert load.ontology_path().name == "luocdo.ttl"
    assert load.shapes_path().name == "shapes.ttl"
    assert load.ontology_path().is_file() and load.shapes_path().is_file()


def test_ontology_parses_with_header() -> None:
    g = load.ontology_graph()
    header = URIRef("https://w3id.org/luocdo/ontology")
    assert (header, RDF.type, OWL.Ontology) in g
    assert g.value(header, OWL.versionInfo) is not None
    assert len(g) > 1000


@pytest.mark.parametrize("accessor", [load.ontology_graph, load.shapes_graph])
def test_graph_accessors_return_independent_copies(accessor: Callable[[], Graph]) -> None:
    first = accessor()
    size = len(first)
    first.add((EX.intruder, RDF.type, OWL.Class))
    first.remove((None, RDFS.label, None))
    second = accessor()
    assert len(second) == size
    assert (EX.intruder, RDF.type, OWL.Class) not in second
    assert first is not second


def test_external_terms_used_in_axioms_are_declared() -> None:
    """Self-contained OWL 2 DL: every non-lo term in an axiom carries a declaration."""
    g = load.ontology_graph()
    used = {
        o
        for p in (RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range)
        for o in g.objects(None, p)
        if isinstance(o, URIRef) and not str(o).startswith((str(LO), str(XSD)))
    }
    undeclared = {str(t) for t in used if g.value(t, RDF.type) is None}
    assert not undeclared


# ----------------------------------------------------------------- alignments


@pytest.mark.parametrize(
    ("term", "axiom", "parent"),
    [
        (LO.Document, RDFS.subClassOf, ELI.LegalResource),
        (LO.Agent, RDFS.subClassOf, PROV.Agent),
        (LO.Organization, RDFS.subClassOf, LO.Agent),
        (LO.Person, RDFS.subClassOf, PROV.Person),
        (LO.Citation, RDFS.subClassOf, PROV.Entity),
        (LO.Evidence, RDFS.subClassOf, PROV.Entity),
        (LO.SourceFile, RDFS.subClassOf, PROV.Entity),
        (LO.Extraction, RDFS.subClassOf, PROV.Activity),
        (LO.Deadline, RDFS.subClassOf, TIME.TemporalEntity),
        (LO.StateDocument, RDFS.subClassOf, LO.Document),
        (LO.PartyDocument, RDFS.subClassOf, LO.Document),
        (LO.cites, RDFS.subPropertyOf, ELI.cites),
        (LO.citedBy, RDFS.subPropertyOf, ELI.cited_by),
        (LO.basedOn, RDFS.subPropertyOf, ELI.based_on),
        (LO.basisFor, RDFS.subPropertyOf, ELI.basis_for),
        (LO.implements, RDFS.subPropertyOf, ELI.ensures_implementation_of),
        (LO.implementedBy, RDFS.subPropertyOf, ELI.implementation_ensured_by),
        (LO.continues, RDFS.subPropertyOf, LO.implements),
        (LO.amends, RDFS.subPropertyOf, ELI.amends),
        (LO.replaces, RDFS.subPropertyOf, ELI.repeals),
        (LO.replaces, RDFS.subPropertyOf, DCTERMS.replaces),
        (LO.replacedBy, RDFS.subPropertyOf, DCTERMS.isReplacedBy),
        (LO.attachedTo, RDFS.subPropertyOf, ELI.is_annex_of),
        (LO.hasAttachment, RDFS.subPropertyOf, ELI.has_annex),
        (LO.symbol, RDFS.subPropertyOf, ELI.id_local),
        (LO.identityKey, RDFS.subPropertyOf, DCTERMS.identifier),
        (LO.number, RDFS.subPropertyOf, ELI.number),
        (LO.documentType, RDFS.subPropertyOf, ELI.type_document),
        (LO.issuedBy, RDFS.subPropertyOf, ELI.passed_by),
        (LO.signedBy, RDFS.subPropertyOf, ELI.passed_by),
        (LO.hasSection, RDFS.subPropertyOf, DCTERMS.hasPart),
        (LO.evidence, RDFS.subPropertyOf, PROV.wasDerivedFrom),
        (LO.sourceFile, RDFS.subPropertyOf, PROV.hadPrimarySource),
        (LO.createdBy, OWL.inverseOf, LO.createsObligation),
    ],
)
def test_alignment_axiom(term: URIRef, axiom: URIRef, parent: URIRef) -> None:
    assert (term, axiom, parent) in load.ontology_graph()


def test_no_deprecated_or_transitive_shortcuts() -> None:
    """eli:implements is deprecated; lo:implements chains are property paths, not OWL."""
    g = load.ontology_graph()
    assert (None, None, ELI.implements) not in g
    assert (None, None, ELI.implemented_by) not in g
    transitive = set(g.subjects(RDF.type, OWL.TransitiveProperty))
    assert not {t for t in transitive if str(t).startswith(str(LO))}


@pytest.mark.parametrize(
    ("root", "attribute"),
    [(ELI.cites, "local"), (ELI.cited_by, "inverse")],
)
def test_sub_property_path_reaches_every_relation(root: URIRef, attribute: str) -> None:
    query = "SELECT ?p WHERE { ?p rdfs:subPropertyOf* ?root }"
    rows = load.ontology_graph().query(query, initNs={"rdfs": RDFS}, initBindings={"root": root})
    reached = {str(row[0]) for row in rows}  # type: ignore[index]
    expected = {str(LO[getattr(r, attribute)]) for r in RELATIONS}
    assert expected <= reached


def test_implements_chains_are_answered_by_property_paths() -> None:
    g = load.ontology_graph()
    g.add((EX.a, LO.implements, EX.b))
    g.add((EX.b, LO.implements, EX.c))
    ns = {"lo": LO, "ex": EX}
    assert not g.query("ASK { ex:a lo:implements ex:c }", initNs=ns).askAnswer
    assert g.query("ASK { ex:a lo:implements+ ex:c }", initNs=ns).askAnswer


def test_rdfs_closure_materialises_eli_alignments(restore_rdflib_converters: None) -> None:
    import owlrl

    g = load.ontology_graph()
    g.add((EX.a, LO.basedOn, EX.b))
    g.add((EX.b, LO.continues, EX.c))
    g.add((EX.c, LO.implements, EX.d))
    owlrl.DeductiveClosure(owlrl.RDFS_Semantics).expand(g)
    for triple in [
        (EX.a, LO.cites, EX.b),
        (EX.a, ELI.cites, EX.b),
        (EX.a, ELI.based_on, EX.b),
        (EX.b, LO.implements, EX.c),
        (EX.b, ELI.ensures_implementation_of, EX.c),
        (EX.a, RDF.type, LO.Document),
    ]:
        assert triple in g
    assert (EX.b, LO.implements, EX.d) not in g  # no transitivity is materialised


# ----------------------------------------------------------------- owlready2 and HermiT


def test_owlready2_loads_every_lo_class_and_property() -> None:
    import owlready2

    g = load.ontology_graph()
    classes = {str(c) for c in g.subjects(RDF.type, OWL.Class) if str(c).startswith(str(LO))}
    props = {
        str(p)
        for kind in (OWL.ObjectProperty, OWL.DatatypeProperty)
        for p in g.subjects(RDF.type, kind)
        if str(p).startswith(str(LO))
    }
    world = owlready2.World()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "luocdo.owl"
        g.serialize(path, format="xml")
        try:
            world.get_ontology(path.as_uri()).load()
            loaded_classes = {c.iri for c in world.classes()}
            loaded_props = {p.iri for p in world.properties()}
        finally:
            world.close()
    assert classes <= loaded_classes
    assert props <= loaded_props


@needs_java
def test_hermit_finds_the_ontology_consistent() -> None:
    report = load.check_consistency()
    assert report.consistent
    assert report.inconsistent_classes == ()
    assert report.ok


@needs_java
@pytest.mark.parametrize(
    ("extra_ttl", "consistent", "unsatisfiable"),
    [
        pytest.param(VALID_TTL, True, (), id="valid-instances"),
        pytest.param(
            "<https://example.org/doc/x> a lo:Document , lo:Evidence .",
            False, (), id="document-and-evidence-are-disjoint",
        ),
        pytest.param(
            "<https://example.org/doc/Odd> a owl:Class ; rdfs:subClassOf lo:Plan , lo:Citation .",
            True, ("https://example.org/doc/Odd",), id="unsatisfiable-class",
        ),
    ],
)
def test_hermit_reports_problems_in_extra_triples(
    extra_ttl: str, consistent: bool, unsatisfiable: tuple[str, ...]
) -> None:
    prefixes = (
        "@prefix lo: <https://w3id.org/luocdo/ontology#> .\n"
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
    )
    extra = Graph().parse(data=prefixes + extra_ttl, format="turtle")
    report = load.check_consistency(extra)
    assert (report.consistent, report.inconsistent_classes) == (consistent, unsatisfiable)


def test_missing_java_raises_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import owlready2

    monkeypatch.setattr(owlready2, "JAVA_EXE", "luocdo-no-such-java-binary")
    with pytest.raises(load.JavaNotFoundError, match="default-jre-headless"):
        load.check_consistency()


# ----------------------------------------------------------------- SHACL


def test_valid_instances_conform() -> None:
    report = load.validate(valid_graph())
    assert report.conforms, report.text
    assert report.violations() == ()


Edit = Callable[[Graph], object]


def _drop(s: URIRef, p: URIRef) -> Edit:
    return lambda g: g.remove((s, p, None))


def _set(s: URIRef, p: URIRef, o: URIRef | Literal) -> Edit:
    return lambda g: g.set((s, p, o))


def _add(s: URIRef, p: URIRef, o: URIRef | Literal) -> Edit:
    return lambda g: g.add((s, p, o))


def _both(*edits: Edit) -> Edit:
    def run(g: Graph) -> None:
        for edit in edits:
            edit(g)

    return run


NFD_QUOTE = unicodedata.normalize("NFD", "Chỉ thị số 05/CT-TTg")

BROKEN = [
    ("missing-identity-key", _drop(EX.plan, LO.identityKey), {"Document-identityKey"}),
    ("two-identity-keys", _add(EX.plan, LO.identityKey, Literal("x@2024")),
     {"Document-identityKey"}),
    ("date-as-string", _set(EX.plan, ELI.date_document, Literal("05/3/2024")),
     {"Document-date"}),
    ("no-document-type-class", _both(_drop(EX.directive, RDF.type),
                                     _add(EX.directive, RDF.type, LO.StateDocument)),
     {"Document-type"}),
    ("two-specific-types", _add(EX.directive, RDF.type, LO.Decision), {"Document-singleType"}),
    ("document-type-outside-scheme", _set(EX.plan, LO.documentType, LO["freq-yearly"]),
     {"Document-documentType"}),
    ("issuer-as-literal", _set(EX.plan, LO.issuedBy, Literal("UBND")), {"Document-issuedBy"}),
    ("citation-without-evidence", _drop(EX.citation, LO.evidence), {"Citation-evidence"}),
    ("cited-document-untyped", _set(EX.citation, LO.citedDocument, EX.nowhere),
     {"Citation-citedDocument"}),
    ("relation-not-luocdo", _set(EX.citation, LO.relation, ELI.cites), {"Citation-relation"}),
    ("end-before-start", _set(EX.evidence, LO.startOffset, Literal(130)),
     {"Evidence-startOffset", "EvidenceQuoteLengthShape", "Citation-evidence",
      "Obligation-evidence"}),
    ("negative-start", _both(_set(EX.evidence, LO.startOffset, Literal(-1)),
                             _set(EX.evidence, LO.endOffset, Literal(19))),
     {"Evidence-startOffset", "Citation-evidence", "Obligation-evidence"}),
    ("quote-length-differs-nfd", _set(EX.evidence, LO.quote, Literal(NFD_QUOTE)),
     {"EvidenceQuoteLengthShape"}),
    ("evidence-without-file", _drop(EX.evidence, LO.sourceFile),
     {"Evidence-sourceFile", "Citation-evidence", "Obligation-evidence"}),
    ("bad-sha256", _set(EX.file, LO.sha256, Literal("ABC")), {"SourceFile-sha256"}),
    ("obligation-without-creator", _drop(EX.obligation, LO.createdBy),
     {"Obligation-createdBy"}),
    ("obligation-without-evidence", _drop(EX.obligation, LO.evidence),
     {"Obligation-evidence"}),
    ("frequency-outside-list", _set(EX.obligation, LO.frequency, LO["type-ke-hoach"]),
     {"Obligation-frequency"}),
    ("period-ends-before-start", _set(EX.obligation, LO.periodEnd,
                                      Literal("2023-12-31", datatype=XSD.date)),
     {"Obligation-periodStart"}),
    ("deadline-with-date-and-month-day",
     _add(EX.deadline, LO.dueDate, Literal("2024-12-15", datatype=XSD.date)),
     {"DeadlineShape"}),
    ("deadline-with-neither", _drop(EX.deadline, LO.dueMonthDay), {"DeadlineShape"}),
    ("month-day-out-of-range", _set(EX.deadline, LO.dueMonthDay,
                                    Literal("--13-01", datatype=XSD.gMonthDay)),
     {"Deadline-dueMonthDay"}),
    ("month-day-wrong-datatype", _set(EX.deadline, LO.dueMonthDay, Literal("--12-15")),
     {"DeadlineMonthDayTypeShape"}),
    ("due-entry-of-another-month",
     _set(EX.due12, LO.indexMonthKey, Literal("--11")), {"DueIndexMonthShape"}),
    ("due-entry-too-few-values",
     _set(EX.due12, LO.dueEntry, Literal("--12-15\tex:plan")),
     {"DueIndexMonth-entry"}),
    ("due-index-bad-month", _set(EX.due12, LO.indexMonthKey, Literal("2024-13")),
     {"DueIndexMonth-key", "DueIndexMonthShape"}),
    ("bad-section-number", _set(EX.section, LO.sectionNumber, Literal("3b)")),
     {"OutlineSection-sectionNumber"}),
    ("section-without-title", _drop(EX.section, LO.sectionTitle),
     {"OutlineSection-sectionTitle"}),
    ("unknown-submission-status", _set(EX.submission, LO.submissionStatus, Literal("maybe")),
     {"Submission-status"}),
]


@pytest.mark.parametrize(("edit", "expected"), [pytest.param(e, x, id=i) for i, e, x in BROKEN])
def test_broken_instances_fail_with_expected_shapes(
    edit: Edit, expected: set[str]
) -> None:
    data = valid_graph()
    edit(data)
    report = load.validate(data)
    assert not report.conforms
    assert report.shapes() == {LSH[name] for name in expected}, report.text


def test_validate_leaves_the_data_untouched() -> None:
    data = valid_graph()
    data.remove((EX.plan, LO.identityKey, None))
    before = set(data)
    load.validate(data)
    assert set(data) == before


def test_violations_carry_vietnamese_and_english_messages() -> None:
    data = valid_graph()
    data.remove((EX.plan, LO.identityKey, None))
    (violation,) = load.validate(data).violations()
    assert violation.focus == EX.plan
    assert violation.path == LO.identityKey
    assert violation.severity == SH.Violation
    assert "khóa nhận diện" in violation.message()
    assert "identityKey" in violation.message("en")


@pytest.mark.parametrize(
    ("graph_of_directive", "graph_of_citation", "conforms"),
    [("a", "b", True), ("a", "a", True)],
)
def test_validate_reads_every_graph_of_a_dataset(
    graph_of_directive: str, graph_of_citation: str, conforms: bool
) -> None:
    """A citation in one source's graph may point at a document typed in another's."""
    source = valid_graph()
    ds = Dataset()
    directive_triples = set(source.triples((EX.directive, None, None)))
    for triple in source:
        name = graph_of_directive if triple in directive_triples else graph_of_citation
        ds.graph(EX[name]).add(triple)
    assert load.validate(ds).conforms is conforms


def test_validate_finds_violations_inside_named_graphs() -> None:
    ds = Dataset()
    graph = ds.graph(EX.g)
    for triple in valid_graph():
        graph.add(triple)
    graph.remove((EX.citation, LO.evidence, None))
    assert load.validate(ds).shapes() == {LSH["Citation-evidence"]}


def test_owlrl_run_earlier_does_not_break_month_day_validation(
    restore_rdflib_converters: None,
) -> None:
    """Regression: owlrl 7.6.2 leaves a converter that rejects valid '--12-15'."""
    import owlrl

    owlrl.DeductiveClosure(owlrl.RDFS_Semantics).expand(Graph())
    assert Literal("--12-15", datatype=XSD.gMonthDay).ill_typed  # the owlrl bug is present
    report = load.validate(valid_graph())
    assert report.conforms, report.text


def test_shapes_graph_is_valid_shacl() -> None:
    import pyshacl

    conforms, _, text = pyshacl.validate(
        Graph(), shacl_graph=load.shapes_graph(), meta_shacl=True
    )
    assert conforms, text


def _section_pattern() -> re.Pattern[str]:
    g = load.shapes_graph()
    pattern = g.value(LSH["OutlineSection-sectionNumber"], SH.pattern)
    assert isinstance(pattern, Literal)
    return re.compile(str(pattern))


@pytest.mark.parametrize(
    ("number", "ok"),
    [
        ("I", True),
        ("II.1", True),
        ("II.1.2", True),
        ("III.4.b", True),
        ("III.4.đ", True),
        (unicodedata.normalize("NFD", "III.4.đ"), True),  # đ has no decomposition
        ("III.5.-2", True),
        ("III.5.-2.+1", True),
        ("IV.3.a.-1", True),
        ("2.1", True),
        ("", False),
        ("3b)", False),
        ("II..1", False),
        ("A.1", False),
        ("II.1.ab", False),
        ("II.1.", False),
        ("ii.1", False),
        ("II,1", False),
    ],
)
def test_section_number_pattern(number: str, ok: bool) -> None:
    assert bool(_section_pattern().fullmatch(number)) is ok


# ----------------------------------------------------------------- documentation


def test_html_lists_every_lo_class_and_property() -> None:
    page = docs.render_html()
    g = load.ontology_graph()
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        for term in g.subjects(RDF.type, kind):
            if str(term).startswith(str(LO)):
                local = str(term)[len(str(LO)):]
                assert f'id="{local}"' in page, local
    assert "Chỉ thị" in page and "Directive" in page


def test_html_is_self_contained() -> None:
    page = docs.render_html()
    assert "<script" not in page
    assert not re.search(r'<link[^>]+href="https?:', page)
    assert page.startswith("<!DOCTYPE html>")


def test_html_escapes_labels() -> None:
    g = load.ontology_graph()
    g.add((LO.Directive, RDFS.label, Literal("<b>&x</b>", lang="vi")))
    page = docs.render_html(g)
    assert "<b>&x</b>" not in page
    assert "&lt;b&gt;&amp;x&lt;/b&gt;" in page


def test_committed_html_is_up_to_date() -> None:
    assert docs.main(["--check"]) == 0, "run: python -m ontology.docs"


def test_docs_main_writes_the_requested_file(tmp_path: Path) -> None:
    target = tmp_path / "out.html"
    assert docs.main(["--output", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == docs.render_html()
    assert docs.main(["--check", "--output", str(tmp_path / "missing.html")]) == 1


def test_bnode_free_class_hierarchy_for_docs() -> None:
    """Doc pages link terms by IRI: no lo: class has an anonymous super-class."""
    g = load.ontology_graph()
    for s, o in g.subject_objects(RDFS.subClassOf):
        if str(s).startswith(str(LO)):
            assert not isinstance(o, BNode), s
