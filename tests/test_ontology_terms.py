"""luocdo.ttl and shapes.ttl agree with ontology/terms.py and ontology/ns.py, both ways."""

from __future__ import annotations

import unicodedata
from functools import cache

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS

from ontology import load, ns
from ontology.terms import (
    DOC_TYPES,
    FREQUENCY_LABELS,
    ISSUERS,
    RELATIONS,
    DocType,
    Frequency,
    Issuer,
    Relation,
    RelationInfo,
    fold_code,
)

LO = ns.LO
LSH = Namespace("https://w3id.org/luocdo/shapes#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")

# lo: terms the ontology needs that are not instance-data vocabulary in ns.py:
# the class→concept link and the two notation branches of lo:DocumentTypes.
ONTOLOGY_ONLY_PROPERTIES = {"stateCode", "partyCode"}
ONTOLOGY_ONLY_ANNOTATIONS = {"typeConcept"}
# ns.CLASSES entries that are individuals, not classes.
CLASS_ENTRIES_THAT_ARE_INDIVIDUALS = {"DocumentTypeScheme": LO.DocumentTypes}
# ns.CLASSES names that intentionally coincide with a DOC_TYPES class (same meaning).
SHARED_WITH_DOC_TYPES = {"Document", "ReportOutline"}


@cache
def _ontology() -> Graph:
    """Read-only parse shared by these tests (nothing here mutates it)."""
    return load.ontology_graph()


def _lo_local(iri: object) -> str | None:
    text = str(iri)
    return text[len(str(LO)):] if text.startswith(str(LO)) else None


def _lo_typed(kind: URIRef) -> set[str]:
    return {n for n in (_lo_local(s) for s in _ontology().subjects(RDF.type, kind)) if n}


def _strings(subject: URIRef, predicate: URIRef) -> set[str]:
    return {str(o) for o in _ontology().objects(subject, predicate)}


def _lang(subject: URIRef, predicate: URIRef, lang: str) -> set[str]:
    return {
        str(o) for o in _ontology().objects(subject, predicate)
        if isinstance(o, Literal) and o.language == lang
    }


# ----------------------------------------------------------------- document types


@pytest.mark.parametrize("row", DOC_TYPES, ids=lambda t: t.slug)
def test_doc_type_row_has_class(row: DocType) -> None:
    g = _ontology()
    cls = LO[row.local]
    assert load.class_for_type(row.slug) == cls
    assert (cls, RDF.type, OWL.Class) in g
    if row.local != "Document":
        assert (cls, RDFS.subClassOf, LO.Document) in g
    assert g.value(cls, LO.typeConcept) == load.type_concept(row.slug)
    assert _lang(cls, RDFS.label, "vi") == {row.vi}
    assert _lang(cls, RDFS.label, "en") == {row.en}


@pytest.mark.parametrize("row", DOC_TYPES, ids=lambda t: t.slug)
def test_doc_type_row_has_concept(row: DocType) -> None:
    g = _ontology()
    concept = load.type_concept(row.slug)
    assert concept == LO[f"type-{row.slug}"]
    assert (concept, RDF.type, SKOS.Concept) in g
    assert (concept, SKOS.inScheme, LO.DocumentTypes) in g
    assert (LO.DocumentTypes, SKOS.hasTopConcept, concept) in g
    assert _lang(concept, SKOS.prefLabel, "vi") == {row.vi}
    assert _lang(concept, SKOS.prefLabel, "en") == {row.en}
    words = {w for w in row.words if w.casefold() != row.vi.casefold()}
    assert _lang(concept, SKOS.altLabel, "vi") == words
    assert _strings(concept, LO.stateCode) == set(row.state_codes)
    assert _strings(concept, LO.partyCode) == set(row.party_codes)
    assert _strings(concept, SKOS.notation) == {*row.state_codes, *row.party_codes}


def test_no_doc_type_class_or_concept_without_a_row() -> None:
    g = _ontology()
    with_concept = {_lo_local(s) for s in g.subjects(LO.typeConcept, None)}
    assert with_concept == {t.local for t in DOC_TYPES}
    in_scheme = {_lo_local(s) for s in g.subjects(SKOS.inScheme, LO.DocumentTypes)}
    assert in_scheme == {f"type-{t.slug}" for t in DOC_TYPES}


def test_type_codes_clash_only_across_branches() -> None:
    """'TT' is Thông tư (state) and Thông tri (Party): the branch properties keep them apart."""
    g = _ontology()
    assert set(g.subjects(LO.stateCode, Literal("TT"))) == {load.type_concept("thong-tu")}
    assert set(g.subjects(LO.partyCode, Literal("TT"))) == {load.type_concept("thong-tri")}


# ----------------------------------------------------------------- relations


@pytest.mark.parametrize("row", RELATIONS, ids=lambda r: r.local)
def test_relation_row_has_property_and_inverse(row: RelationInfo) -> None:
    g = _ontology()
    prop, inverse = LO[row.local], LO[row.inverse]
    assert load.relation_property(row.relation) == prop
    assert load.inverse_property(row.relation) == inverse
    for p in (prop, inverse):
        assert (p, RDF.type, OWL.ObjectProperty) in g
        assert (p, RDFS.domain, LO.Document) in g
        assert (p, RDFS.range, LO.Document) in g
    assert (prop, OWL.inverseOf, inverse) in g
    assert _lang(prop, RDFS.label, "vi") == {row.vi}
    assert _lang(prop, RDFS.label, "en") == {row.en}


@pytest.mark.parametrize("row", RELATIONS, ids=lambda r: r.local)
def test_every_relation_is_a_citation(row: RelationInfo) -> None:
    query = "ASK { ?p rdfs:subPropertyOf* lo:cites . ?q rdfs:subPropertyOf* lo:citedBy }"
    result = _ontology().query(
        query, initNs={"rdfs": RDFS, "lo": LO},
        initBindings={"p": LO[row.local], "q": LO[row.inverse]},
    )
    assert result.askAnswer


def test_no_relation_property_without_a_row() -> None:
    g = _ontology()
    query = "SELECT ?p WHERE { ?p rdfs:subPropertyOf* ?root }"
    found = set()
    for root in (LO.cites, LO.citedBy):
        rows = g.query(query, initNs={"rdfs": RDFS}, initBindings={"root": root})
        found |= {_lo_local(row[0]) for row in rows}  # type: ignore[index]
    assert found == {r.local for r in RELATIONS} | {r.inverse for r in RELATIONS}


@pytest.mark.parametrize("value", ["based_on", Relation.BASED_ON])
def test_relation_helpers_accept_enum_or_value(value: str) -> None:
    assert load.relation_property(value) == LO.basedOn
    assert load.inverse_property(value) == LO.basisFor


# ----------------------------------------------------------------- ns.py names


@pytest.mark.parametrize("name", sorted(ns.CLASSES))
def test_ns_class_is_declared(name: str) -> None:
    g = _ontology()
    if name in CLASS_ENTRIES_THAT_ARE_INDIVIDUALS:
        scheme = CLASS_ENTRIES_THAT_ARE_INDIVIDUALS[name]
        assert (scheme, RDF.type, SKOS.ConceptScheme) in g
        assert (LO[name], None, None) not in g
    else:
        assert (LO[name], RDF.type, OWL.Class) in g


DATE_PROPERTIES = {"citedDate", "dueDate", "periodStart", "periodEnd"}
INTEGER_PROPERTIES = {"startOffset", "endOffset", "documentCount", "citedByCount", "citedByTier",
                      "mentionCount", "ownDateCount", "pageEntries", "pageFormat"}
OBJECT_PROPERTIES = {
    "documentType", "issuedBy", "signedBy", "addressedTo", "citingDocument", "citedDocument",
    "relation", "evidence", "sourceFile", "statedBy", "createdBy", "createsObligation",
    "bearer", "recipient", "deadline", "frequency", "delegatesTo", "requiresOutline",
    "hasOutline", "hasSection", "parentSection", "namesDocument", "followsSection",
    "submittedBy", "answers", "submissionDocument", "sameDocumentAs",
}


def _expected_range(name: str) -> URIRef:
    if name in DATE_PROPERTIES:
        return XSD.date
    if name in INTEGER_PROPERTIES:
        return XSD.integer
    return {"dueMonthDay": XSD.gMonthDay, "unresolved": XSD.boolean}.get(name, XSD.string)


@pytest.mark.parametrize("name", sorted(ns.PROPERTIES))
def test_ns_property_is_declared_with_its_kind(name: str) -> None:
    g = _ontology()
    kinds = set(g.objects(LO[name], RDF.type))
    if name in OBJECT_PROPERTIES:
        assert OWL.ObjectProperty in kinds
        assert kinds <= {OWL.ObjectProperty, OWL.SymmetricProperty}
    else:
        assert kinds == {OWL.DatatypeProperty}
        assert set(g.objects(LO[name], RDFS.range)) == {_expected_range(name)}


def test_object_property_table_only_names_ns_properties() -> None:
    assert set(ns.PROPERTIES) >= OBJECT_PROPERTIES


def test_no_lo_class_or_property_without_a_name_in_python() -> None:
    doc_locals = {t.local for t in DOC_TYPES}
    assert _lo_typed(OWL.Class) == (set(ns.CLASSES) - set(CLASS_ENTRIES_THAT_ARE_INDIVIDUALS)
                                    ) | doc_locals
    relations = {r.local for r in RELATIONS} | {r.inverse for r in RELATIONS}
    props = _lo_typed(OWL.ObjectProperty) | _lo_typed(OWL.DatatypeProperty)
    assert props == set(ns.PROPERTIES) | relations | ONTOLOGY_ONLY_PROPERTIES
    assert _lo_typed(OWL.AnnotationProperty) == ONTOLOGY_ONLY_ANNOTATIONS


def test_doc_type_classes_do_not_clash_with_other_classes() -> None:
    clash = {t.local for t in DOC_TYPES} & set(ns.CLASSES)
    assert clash == SHARED_WITH_DOC_TYPES


# ----------------------------------------------------------------- issuers


@pytest.mark.parametrize("row", ISSUERS, ids=lambda i: fold_code(i.code))
def test_issuer_row_has_concept(row: Issuer) -> None:
    g = _ontology()
    concept = load.issuer_concept(row.code)
    assert concept == LO[f"issuer-{fold_code(row.code)}"]
    for kind in (SKOS.Concept, LO.Organization):
        assert (concept, RDF.type, kind) in g
    assert (concept, SKOS.inScheme, LO.Issuers) in g
    assert _strings(concept, SKOS.notation) == {row.code}
    assert _lang(concept, SKOS.prefLabel, "vi") == {row.vi}
    assert _lang(concept, SKOS.prefLabel, "en") == {row.en}


def test_issuer_iris_are_unique_and_ascii() -> None:
    locals_ = [f"issuer-{fold_code(i.code)}" for i in ISSUERS]
    assert len(set(locals_)) == len(locals_)
    assert all(name.isascii() for name in locals_)


def test_no_issuer_concept_without_a_row() -> None:
    in_scheme = {_lo_local(s) for s in _ontology().subjects(SKOS.inScheme, LO.Issuers)}
    assert in_scheme == {f"issuer-{fold_code(i.code)}" for i in ISSUERS}


@pytest.mark.parametrize(
    ("code", "local"),
    [
        ("BCSĐCP", "issuer-BCSDCP"),
        ("BCSDCP", "issuer-BCSDCP"),
        ("bcsđcp", "issuer-BCSDCP"),
        ("BCSÐCP", "issuer-BCSDCP"),  # Icelandic eth for Đ
        (" TTg ", "issuer-TTG"),
        ("BGDĐT", "issuer-BGDDT"),
        (unicodedata.normalize("NFD", "BGDĐT"), "issuer-BGDDT"),
        ("HĐND", "issuer-HDND"),
    ],
)
def test_issuer_concept_matches_spelling_variants(code: str, local: str) -> None:
    assert load.issuer_concept(code) == LO[local]


# ----------------------------------------------------------------- frequencies


@pytest.mark.parametrize("freq", list(Frequency), ids=lambda f: f.value)
def test_frequency_has_concept(freq: Frequency) -> None:
    g = _ontology()
    concept = load.frequency_concept(freq)
    assert concept == load.frequency_concept(freq.value) == LO[f"freq-{freq.value}"]
    assert (concept, SKOS.inScheme, LO.Frequencies) in g
    vi, en = FREQUENCY_LABELS[freq]
    assert _lang(concept, SKOS.prefLabel, "vi") == {vi}
    assert _lang(concept, SKOS.prefLabel, "en") == {en}


def test_no_frequency_concept_without_a_value() -> None:
    in_scheme = {_lo_local(s) for s in _ontology().subjects(SKOS.inScheme, LO.Frequencies)}
    assert in_scheme == {f"freq-{f.value}" for f in Frequency}


# ----------------------------------------------------------------- helper errors


@pytest.mark.parametrize(
    ("helper", "value"),
    [
        (load.class_for_type, "khong-co"),
        (load.type_concept, "Chi-Thi"),
        (load.issuer_concept, "XYZ"),
        (load.issuer_concept, ""),
        (load.frequency_concept, "weekly"),
    ],
)
def test_helpers_reject_unknown_values(helper: object, value: str) -> None:
    assert callable(helper)
    with pytest.raises(KeyError):
        helper(value)


# ----------------------------------------------------------------- shapes lists


def _shape_list(shape: URIRef) -> set[str]:
    g = load.shapes_graph()
    head = g.value(shape, SH["in"])
    assert head is not None
    return {str(item) for item in Collection(g, head)}


def test_citation_relation_list_matches_relations() -> None:
    expected = {str(LO[r.local]) for r in RELATIONS}
    assert _shape_list(LSH["Citation-relation"]) == expected


def test_frequency_list_matches_frequency_enum() -> None:
    expected = {str(load.frequency_concept(f)) for f in Frequency}
    assert _shape_list(LSH["Obligation-frequency"]) == expected


# ----------------------------------------------------------------- labels and text


def _lo_terms() -> list[URIRef]:
    g = _ontology()
    return sorted({s for s in g.subjects() if isinstance(s, URIRef) and _lo_local(s)}, key=str)


@pytest.mark.parametrize("term", _lo_terms(), ids=_lo_local)
def test_every_lo_term_has_vietnamese_and_english_labels_and_a_comment(term: URIRef) -> None:
    vi = _lang(term, RDFS.label, "vi")
    assert len(vi) == 1 and len(_lang(term, RDFS.label, "en")) == 1
    assert _lang(term, RDFS.comment, "en")
    (label,) = vi
    # Real Vietnamese: every vi label here has at least one letter outside ASCII.
    assert not label.isascii(), label


@pytest.mark.parametrize("path", [load.ontology_path(), load.shapes_path()], ids=lambda p: p.name)
def test_every_literal_is_nfc(path: object) -> None:
    g = Graph().parse(str(path), format="turtle")
    bad = [str(o) for o in g.objects() if isinstance(o, Literal)
           and unicodedata.normalize("NFC", str(o)) != str(o)]
    assert not bad
