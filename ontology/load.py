"""Load the luocdo ontology and shapes, map table rows to IRIs, check with HermiT and SHACL.

The ontology (``luocdo.ttl``) and the SHACL shapes (``shapes.ttl``) ship inside
the package. Parsed graphs are cached once per process; every public accessor
returns a fresh copy, so callers may add triples without touching shared state.

Example:
    >>> from ontology.load import class_for_type, type_concept
    >>> str(class_for_type("chi-thi"))
    'https://w3id.org/luocdo/ontology#Directive'
    >>> str(type_concept("chi-thi"))
    'https://w3id.org/luocdo/ontology#type-chi-thi'
"""

from __future__ import annotations

import shutil
import tempfile
import time
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rdflib import Dataset, Graph, Literal, Node, URIRef
from rdflib.namespace import RDF, SH

from ontology.ns import LO
from ontology.terms import (
    Frequency,
    Relation,
    doc_type,
    fold_code,
    issuer_by_code,
    relation_info,
)

__all__ = [
    "ConsistencyReport",
    "JavaNotFoundError",
    "ShaclReport",
    "Violation",
    "check_consistency",
    "class_for_type",
    "frequency_concept",
    "inverse_property",
    "issuer_concept",
    "ontology_graph",
    "ontology_path",
    "relation_property",
    "shapes_graph",
    "shapes_path",
    "type_concept",
    "validate",
]

# pySHACL inference mode. "none": the graph code asserts every type it means, and
# the ontology is merged into the data so that sh:targetClass follows
# rdfs:subClassOf. "rdfs" would also type every lo:citedDocument object as
# lo:Document from the property range, hiding a missing rdf:type.
SHACL_INFERENCE = "none"


# ----------------------------------------------------------------- files and graphs


def ontology_path() -> Path:
    """Path of the Turtle ontology shipped with the package."""
    return Path(__file__).with_name("luocdo.ttl")


def shapes_path() -> Path:
    """Path of the SHACL shapes shipped with the package."""
    return Path(__file__).with_name("shapes.ttl")


@cache
def _parsed(path: Path) -> Graph:
    """Parse a Turtle file once per process (callers get copies)."""
    return Graph().parse(path, format="turtle")


def _copy(graph: Graph) -> Graph:
    """A new graph with the same triples and prefix bindings."""
    out = Graph()
    for prefix, namespace in graph.namespaces():
        out.bind(prefix, namespace, override=True)
    out += graph
    return out


def ontology_graph() -> Graph:
    """A fresh copy of the parsed ontology (TBox plus SKOS lists)."""
    return _copy(_parsed(ontology_path()))


def shapes_graph() -> Graph:
    """A fresh copy of the parsed SHACL shapes."""
    return _copy(_parsed(shapes_path()))


# ----------------------------------------------------------------- table rows → IRIs


def class_for_type(slug: str) -> URIRef:
    """OWL class of a document type.

    Args:
        slug: ``DocType.slug`` from ``ontology.terms.DOC_TYPES``, e.g. ``"chi-thi"``.

    Raises:
        KeyError: unknown slug.
    """
    return LO[doc_type(slug).local]


def type_concept(slug: str) -> URIRef:
    """SKOS concept of a document type in ``lo:DocumentTypes`` (``lo:type-<slug>``).

    Raises:
        KeyError: unknown slug.
    """
    return LO[f"type-{doc_type(slug).slug}"]


def issuer_concept(code: str) -> URIRef:
    """SKOS concept (also a ``lo:Organization``) of an issuer code in ``lo:Issuers``.

    The code is matched by its fold (Đ→D, case-insensitive), so ``"BCSĐCP"``,
    ``"BCSDCP"`` and ``"bcsđcp"`` give the same IRI ``lo:issuer-BCSDCP``.

    Raises:
        KeyError: no row of ``ontology.terms.ISSUERS`` has that code.
    """
    key = fold_code(unicodedata.normalize("NFC", code.strip()))
    issuer = issuer_by_code().get(key)
    if issuer is None:
        raise KeyError(f"unknown issuer code {code!r}")
    return LO[f"issuer-{fold_code(issuer.code)}"]


def frequency_concept(freq: Frequency | str) -> URIRef:
    """SKOS concept of a reporting frequency in ``lo:Frequencies`` (``lo:freq-<value>``).

    Raises:
        KeyError: not a ``Frequency`` value.
    """
    try:
        value = Frequency(freq)
    except ValueError:
        raise KeyError(f"unknown frequency {freq!r}") from None
    return LO[f"freq-{value.value}"]


def relation_property(relation: Relation | str) -> URIRef:
    """Object property of a relation, e.g. ``Relation.BASED_ON`` → ``lo:basedOn``.

    Raises:
        ValueError: not a ``Relation`` value.
    """
    return LO[relation_info(relation).local]


def inverse_property(relation: Relation | str) -> URIRef:
    """Inverse object property of a relation, e.g. ``Relation.BASED_ON`` → ``lo:basisFor``.

    Raises:
        ValueError: not a ``Relation`` value.
    """
    return LO[relation_info(relation).inverse]


# ----------------------------------------------------------------- HermiT


class JavaNotFoundError(RuntimeError):
    """HermiT needs a Java runtime and none was found on PATH."""


@dataclass(frozen=True, slots=True)
class ConsistencyReport:
    """Outcome of a HermiT run.

    Attributes:
        consistent: False when the ontology (plus any extra triples) has no model.
        inconsistent_classes: IRIs of unsatisfiable named classes (equivalent to
            owl:Nothing), sorted; empty when ``consistent`` is False, since HermiT
            classifies nothing then.
        seconds: wall-clock time of loading and reasoning.
    """

    consistent: bool
    inconsistent_classes: tuple[str, ...]
    seconds: float
    reasoner: str = "HermiT"

    @property
    def ok(self) -> bool:
        """Consistent and without unsatisfiable classes."""
        return self.consistent and not self.inconsistent_classes


def _java_executable() -> str:
    """Path of the java binary owlready2 will run, or a clear error."""
    import owlready2

    found = shutil.which(owlready2.JAVA_EXE)
    if found is None:
        raise JavaNotFoundError(
            "HermiT needs a Java runtime but 'java' is not on PATH; install one "
            "(Debian/Ubuntu: apt-get install default-jre-headless) or set owlready2.JAVA_EXE."
        )
    return found


def check_consistency(extra: Graph | None = None) -> ConsistencyReport:
    """Run HermiT (through owlready2) over the ontology, optionally with more triples.

    owlready2 cannot read Turtle, so the graph is written as RDF/XML to a
    temporary file and loaded into a private ``owlready2.World``. HermiT is run
    with ``--ignoreUnsupportedDatatypes``: ``xsd:date`` and ``xsd:gMonthDay`` are
    not in the OWL 2 datatype map, and HermiT otherwise refuses the ontology.

    Args:
        extra: instance data or extra axioms to check together with the ontology.

    Raises:
        JavaNotFoundError: no ``java`` on PATH.
        owlready2.OwlReadyJavaError: HermiT failed for another reason.
    """
    import owlready2

    _java_executable()
    graph = ontology_graph()
    if extra is not None:
        graph += extra
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="luocdo-owl-") as tmp:
        owl_file = Path(tmp) / "luocdo.owl"
        graph.serialize(owl_file, format="xml")
        world = owlready2.World()
        try:
            world.get_ontology(owl_file.as_uri()).load()
            try:
                owlready2.sync_reasoner_hermit(world, debug=0, ignore_unsupported_datatypes=True)
            except owlready2.OwlReadyInconsistentOntologyError:
                return ConsistencyReport(False, (), time.perf_counter() - started)
            unsatisfiable = sorted(
                c.iri for c in world.inconsistent_classes() if c is not owlready2.Nothing
            )
        finally:
            world.close()
    return ConsistencyReport(True, tuple(unsatisfiable), time.perf_counter() - started)


# ----------------------------------------------------------------- SHACL


@dataclass(frozen=True, slots=True)
class Violation:
    """One SHACL validation result, read back from the results graph."""

    focus: Node
    path: Node | None
    shape: Node
    component: Node
    severity: Node
    messages: tuple[Literal, ...]

    def message(self, lang: str = "vi") -> str:
        """The message in ``lang`` (Vietnamese by default), else any message, else ''."""
        for m in self.messages:
            if m.language == lang:
                return str(m)
        return str(self.messages[0]) if self.messages else ""


@dataclass(frozen=True, slots=True)
class ShaclReport:
    """Outcome of validating instance data against ``shapes.ttl``."""

    conforms: bool
    text: str
    results_graph: Graph

    def violations(self) -> tuple[Violation, ...]:
        """Top-level results of the report (not nested sh:detail), by shape then focus node."""
        g = self.results_graph
        results = [
            r for report in g.subjects(RDF.type, SH.ValidationReport)
            for r in g.objects(report, SH.result)
        ]
        out = [
            Violation(
                focus=_one(g, r, SH.focusNode),
                path=g.value(r, SH.resultPath),
                shape=_one(g, r, SH.sourceShape),
                component=_one(g, r, SH.sourceConstraintComponent),
                severity=_one(g, r, SH.resultSeverity),
                messages=tuple(
                    m for m in g.objects(r, SH.resultMessage) if isinstance(m, Literal)
                ),
            )
            for r in results
        ]
        return tuple(sorted(out, key=lambda v: (str(v.shape), str(v.focus))))

    def shapes(self) -> frozenset[Node]:
        """The shapes (sh:sourceShape) that reported at least one result."""
        return frozenset(v.shape for v in self.violations())


def _one(graph: Graph, subject: Node, predicate: URIRef) -> Node:
    value = graph.value(subject, predicate)
    if value is None:
        raise ValueError(f"SHACL result {subject} lacks {predicate}")
    return value


def _merged_with_ontology(data: Graph) -> Graph:
    """A new graph: every triple of ``data`` (all named graphs of a Dataset) plus the ontology.

    pySHACL's own ``ont_graph`` mix-in is not used: it deep-copies each
    owl:NamedIndividual along every link (issuer concept → scheme → all
    concepts …), which takes minutes here, and its shallow copy of classes drops
    annotations such as lo:typeConcept that the shapes rely on.
    """
    merged = ontology_graph()
    for prefix, namespace in data.namespaces():
        merged.bind(prefix, namespace, override=False)
    triples = data.triples((None, None, None))
    if isinstance(data, Dataset):
        triples = ((s, p, o) for s, p, o, _ in data.quads((None, None, None, None)))
    for triple in triples:
        merged.add(triple)
    return merged


def validate(data: Graph) -> ShaclReport:
    """Validate instance data against the luocdo shapes.

    The data (for a ``Dataset``, the union of its graphs: a citation in one
    source's graph may point at a document typed in another's) is copied
    together with the ontology, so class targets reach sub-class instances and
    shapes can see doc-type classes and SKOS concepts. ``data`` is not
    modified. Inference: ``SHACL_INFERENCE`` ("none").
    """
    import pyshacl

    conforms, results, text = pyshacl.validate(
        _merged_with_ontology(data),
        shacl_graph=shapes_graph(),
        inference=SHACL_INFERENCE,
        abort_on_first=False,
        allow_warnings=False,
        inplace=True,
    )
    if not isinstance(results, Graph):
        raise TypeError("pySHACL returned no results graph")
    return ShaclReport(bool(conforms), str(text), results)
