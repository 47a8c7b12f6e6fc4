"""Records → RDF: the triples of one source file, which become one named graph.

``file_graph`` is a pure function of a ``FileResult`` and the base IRI: no clock, no
counter, no blank node. Ingesting the same file twice gives the same triples, so a
re-ingest replaces its graph with an isomorphic one (the ingest time lives apart, in
the provenance graph; see ``graph.store``).

What one file says (docs/graph.md has the full model):

* the source file (``lo:SourceFile``), the extraction run (``lo:Extraction``) and the
  graph itself (``prov:Entity``, ``prov:wasGeneratedBy`` the run);
* each document read from the file, with its header fields and field evidence;
* each citation twice: the direct edge ``citing lo:<relation> cited`` that queries
  and property paths follow, and a ``lo:Citation`` node that keeps the proof
  (relation, date and title written beside the mention, ``lo:evidence``);
* relations stated between two other documents: the direct edge plus a
  ``lo:Citation`` node with ``lo:statedBy`` the stating document;
* obligations with their deadline, frequency and period; report-outline sections;
  a report's own sections (``lo:ReportSection``, linked to the outline sections they
  answer by ``graph.follows``); rows of submissions tables;
* minimal metadata of every document mentioned but not contained in the file.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata
from urllib.parse import quote

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from graph import iri
from graph.cite_index import CitationNode, citation_entry
from graph.due_index import DueEntry, due_index_triples, month_key
from graph.obligation_index import obligation_entry
from ingest.citations import UNTYPED_MENTION
from ingest.identity import base_key
from ingest.models import (
    Citation,
    Document,
    FileResult,
    Obligation,
    OutlineSection,
    Span,
    StatedRelation,
    SubmissionRecord,
)
from ingest.symbols import parse_symbol
from ontology.load import class_for_type, frequency_concept, issuer_concept, type_concept
from ontology.ns import ELI, LO
from ontology.terms import Relation, fold_code, issuer_by_code, relation_info

__all__ = ["extractor_version", "file_graph", "relation_property", "report_section_iri"]

# Issuer codes shared by every province's or district's body (each province has its
# own UBND, HĐND, Sở Nội vụ, Tỉnh ủy …): they name a kind of body, not one body, so a
# document's issuer is then named by the header text, not by the code's concept.
_LOCAL_CODES = frozenset(
    fold_code(c) for c in ("UBND", "HĐND", "SNV", "BCSĐ", "ĐĐ", "TU", "HU", "QU", "ĐU", "ĐUK",
                           "BTGTU", "BDVTU", "VPTU")
)


@cache
def extractor_version() -> str:
    """Version of the installed luocdo package (names the software agent)."""
    try:
        return metadata.version("luocdo")
    except metadata.PackageNotFoundError:
        return "0+unknown"


def relation_property(relation: Relation | str) -> URIRef:
    """``lo:cites``, ``lo:basedOn``, … for a ``Relation``."""
    return LO[relation_info(relation).local]


@dataclass
class _Mentions:
    """What the file says about a document it mentions, collected from every mention."""

    symbols: set[str] = field(default_factory=set)
    types: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)

    def one(self, values: set[str]) -> str | None:
        return next(iter(values)) if len(values) == 1 else None


@dataclass
class _Builder:
    """Writes the triples of one file into ``g``."""

    result: FileResult
    base: str
    g: Graph = field(default_factory=Graph)

    def __post_init__(self) -> None:
        self.source = iri.source_file_iri(self.result.path, self.base)
        self.mentions: dict[str, _Mentions] = defaultdict(_Mentions)
        self.own = {d.key: d for d in self.result.documents}
        for prefix, ns in (("lo", LO), ("eli", ELI), ("prov", PROV), ("dct", DCTERMS)):
            self.g.bind(prefix, ns)

    # --- small writers ------------------------------------------------------------------------

    def add(self, s: URIRef, p: URIRef, o: URIRef | Literal | None) -> None:
        """Add one triple; ``None`` and empty strings are left out."""
        if o is None or (isinstance(o, Literal) and o.datatype is None and not str(o)):
            return
        self.g.add((s, p, o))

    def text(self, s: URIRef, p: URIRef, value: str | None) -> None:
        if value is not None and value.strip():
            self.g.add((s, p, Literal(value.strip())))

    def date(self, s: URIRef, p: URIRef, value: dt.date | None) -> None:
        if value is not None:
            self.g.add((s, p, Literal(value.isoformat(), datatype=XSD.date)))

    def evidence(self, node: URIRef, span: Span) -> None:
        """``node lo:evidence E`` with E = (source file, offsets, exact quote)."""
        if not span.text:
            return
        ev = iri.evidence_iri(self.source, span.start, span.end)
        self.g.add((node, LO.evidence, ev))
        self.g.add((ev, RDF.type, LO.Evidence))
        self.g.add((ev, LO.sourceFile, self.source))
        self.g.add((ev, LO.startOffset, Literal(span.start)))
        self.g.add((ev, LO.endOffset, Literal(span.end)))
        self.g.add((ev, LO.quote, Literal(span.text)))

    def doc(self, key: str) -> URIRef:
        return iri.document_iri(key, self.base)

    def organization(self, name: str) -> URIRef:
        node = iri.agent_iri(name, self.base)
        self.g.add((node, RDF.type, LO.Organization))
        self.text(node, RDFS.label, name)
        return node

    # --- the file -----------------------------------------------------------------------------

    def build(self) -> Graph:
        self.provenance()
        for d in self.result.documents:
            self.document(d)
        for key, seen in sorted(self.mentions.items()):
            if key not in self.own:
                self.mentioned_document(key, seen)
        return self.g

    def provenance(self) -> None:
        r, s = self.result, self.source
        graph = iri.source_graph_iri(r.path, self.base)
        run = iri.extraction_iri(s)
        agent = iri.software_agent_iri(extractor_version(), self.base)
        self.g.add((s, RDF.type, LO.SourceFile))
        self.g.add((s, LO.path, Literal(iri.source_key(r.path))))
        self.g.add((s, LO.sha256, Literal(r.sha256.lower())))
        self.g.add((graph, RDF.type, PROV.Entity))
        self.g.add((graph, PROV.wasGeneratedBy, run))
        self.g.add((graph, PROV.wasDerivedFrom, s))
        self.g.add((run, RDF.type, LO.Extraction))
        self.g.add((run, PROV.used, s))
        self.g.add((run, PROV.wasAssociatedWith, agent))
        self.g.add((agent, RDF.type, PROV.SoftwareAgent))
        self.g.add((agent, RDFS.label, Literal(f"luocdo {extractor_version()}")))

    # --- documents ----------------------------------------------------------------------------

    def typed(self, node: URIRef, key: str, symbol: str | None, doc_type: str | None) -> None:
        """Types, identity key, symbol and number: what every document node carries."""
        self.g.add((node, RDF.type, LO.Document))
        if doc_type is not None:
            self.g.add((node, RDF.type, class_for_type(doc_type)))
            self.g.add((node, LO.documentType, type_concept(doc_type)))
        self.g.add((node, LO.identityKey, Literal(key)))
        if not key.startswith("ANON:"):
            self.g.add((node, LO.symbolKey, Literal(base_key(key))))
        self.text(node, LO.symbol, symbol)
        parts = parse_symbol(symbol or base_key(key)) if not key.startswith(
            ("ANON:", "LUAT:")) else None
        if parts is not None:
            self.g.add((node, RDF.type, LO.PartyDocument if parts.party else LO.StateDocument))
            self.text(node, LO.number, parts.number)
        if "@" not in key and (parts is None or parts.year is None) and not key.startswith(
                "ANON:"):
            self.g.add((node, LO.unresolved, Literal(True)))

    def document(self, d: Document) -> None:
        node = self.doc(d.key)
        self.typed(node, d.key, d.symbol, d.doc_type)
        self.date(node, ELI.date_document, d.date)
        self.text(node, ELI.title, d.title)
        self.text(node, LO.place, d.place)
        self.text(node, LO.signingAuthority, d.signing_authority)
        self.add(node, LO.issuedBy, self.issuer(d))
        if d.signer and d.signer.strip():
            person = iri.person_iri(d.signer, self.base)
            self.g.add((person, RDF.type, LO.Person))
            self.text(person, RDFS.label, d.signer)
            self.g.add((node, LO.signedBy, person))
        for r in d.recipients:
            if r.strip():
                self.g.add((node, LO.addressedTo, self.organization(r)))
        for entry in d.distribution:
            self.text(node, LO.distributedTo, entry)
        for ev in d.evidence:
            self.evidence(node, ev.span)
        if d.attached_to is not None:
            self.attachment(node, d)
        for c in d.citations:
            self.citation(node, d, c)
        for rel in d.relations:
            self.stated(node, d, rel)
        for o in d.obligations:
            self.obligation(node, d, o)
        for s in d.outline:
            self.section(node, s)
        for s in d.sections:
            self.report_section(node, s)
        for sub in d.submissions:
            self.submission(node, d, sub)

    def issuer(self, d: Document) -> URIRef | None:
        """A national body's code gives its concept; otherwise the header's wording."""
        parts = parse_symbol(d.symbol) if d.symbol else None
        code = fold_code(parts.issuers[0]) if parts and parts.issuers else None
        if code and code in issuer_by_code() and code not in _LOCAL_CODES:
            return issuer_concept(code)
        if d.issuer and d.issuer.strip():
            return self.organization(d.issuer)
        return None

    def attachment(self, node: URIRef, d: Document) -> None:
        key = str(d.attached_to)
        host = self.doc(key)
        self.g.add((node, LO.attachedTo, host))
        self.mention(key, None)  # the host gets its minimal description
        if d.doc_type == "de-cuong" or (d.doc_type is None and d.outline):
            self.g.add((host, LO.hasOutline, node))

    def mentioned_document(self, key: str, seen: _Mentions) -> None:
        """A document only mentioned here: what every mention agrees on, nothing more.

        Mentions that disagree on the symbol's spelling or the type leave the field
        out. The date written beside a mention stays on its ``lo:Citation``
        (``lo:citedDate``): ``eli:date_document`` is only what a document's own header
        says, because mentions in other files often give another day (see
        ``graph/queries/conflicting_dates.rq``) and one document has one date.
        """
        node = self.doc(key)
        self.typed(node, key, seen.one(seen.symbols), seen.one(seen.types))
        self.text(node, ELI.title, seen.one(seen.names))

    def mention(self, key: str, symbol: str | None, doc_type: str | None = None,
                name: str | None = None) -> URIRef:
        seen = self.mentions[key]
        # "van-ban" (a bare "văn bản", or a symbol with a year and no type code) says no
        # more than "a document": a mention gives no type by it, so that it neither
        # hides the type another mention gives nor gives the document a second one
        # beside the type its own header or another file states
        kind = None if doc_type == UNTYPED_MENTION else doc_type
        for values, value in ((seen.symbols, symbol), (seen.types, kind), (seen.names, name)):
            if value:
                values.add(value)
        return self.doc(key)

    # --- citations and stated relations -------------------------------------------------------

    def citation(self, citing: URIRef, d: Document, c: Citation) -> None:
        cited = self.mention(c.key, c.symbol, c.doc_type, c.name)
        prop = relation_property(c.relation)
        self.g.add((citing, prop, cited))
        node = iri.citation_iri(self.source, c.span.start, c.span.end, d.key, c.key,
                                str(c.relation))
        self.g.add((node, RDF.type, LO.Citation))
        self.g.add((node, LO.citingDocument, citing))
        self.g.add((node, LO.citedDocument, cited))
        self.g.add((node, LO.relation, prop))
        self.date(node, LO.citedDate, c.date)
        self.text(node, LO.citedIssuer, c.issuer)
        self.text(node, LO.citedTitle, c.title)
        self.evidence(node, c.span)
        self.citation_entry(CitationNode(node, citing, cited, _stripped(c.issuer)), prop,
                            c.date, c.span)

    def stated(self, stater: URIRef, d: Document, r: StatedRelation) -> None:
        source = self.mention(r.source_key, r.source)
        target = self.mention(r.target_key, r.target)
        prop = relation_property(r.relation)
        self.g.add((source, prop, target))
        node = iri.statement_iri(self.source, r.span.start, r.span.end, d.key, r.source_key,
                                 r.target_key, str(r.relation))
        self.g.add((node, RDF.type, LO.Citation))
        self.g.add((node, LO.citingDocument, source))
        self.g.add((node, LO.citedDocument, target))
        self.g.add((node, LO.relation, prop))
        self.g.add((node, LO.statedBy, stater))
        self.evidence(node, r.span)
        self.citation_entry(CitationNode(node, source, target), prop, None, r.span, stater)

    def citation_entry(self, node: CitationNode, relation: URIRef,
                       cited_date: dt.date | None, span: Span,
                       stated_by: URIRef | None = None) -> None:
        """The packed row of ``cited_by`` (graph.cite_index), for a citation with
        evidence (``cited_by`` shows no other)."""
        if span.text:
            entry = citation_entry(relation, cited_date, span, iri.source_key(self.result.path),
                                   node, stated_by)
            self.g.add((node.node, LO.citationEntry, entry))

    # --- obligations --------------------------------------------------------------------------

    def obligation_node(self, d: Document, o: Obligation) -> URIRef:
        facts = (d.key, o.bearer or "", o.action or "", o.recipient or "", o.deadline or "",
                 str(o.frequency or ""))
        return iri.obligation_iri(self.source, o.span.start, o.span.end, *facts)

    def obligation(self, creator: URIRef, d: Document, o: Obligation) -> None:
        node = self.obligation_node(d, o)
        self.g.add((node, RDF.type, LO.Obligation))
        self.g.add((node, LO.createdBy, creator))
        self.text(node, LO.bearerText, o.bearer)
        self.text(node, LO.action, o.action)
        self.text(node, LO.recipientText, o.recipient)
        due = self.deadline(node, o.deadline)
        frequency = frequency_concept(o.frequency) if o.frequency is not None else None
        if frequency is not None:
            self.g.add((node, LO.frequency, frequency))
        if due is not None:
            span = o.span if o.span.text else None  # evidence is written only then
            entry = DueEntry(due, node, creator, _stripped(d.symbol), _stripped(o.bearer),
                             _stripped(o.recipient), frequency, span.text if span else None,
                             _stripped(o.action), span.start if span else None,
                             span.end if span else None,
                             iri.source_key(self.result.path) if span else None,
                             deadlines=1, doc_date=d.date)  # self.deadline wrote one
            for triple in due_index_triples(entry, self.base):
                self.g.add(triple)
        if o.start is None or o.end is None or o.start <= o.end:
            self.date(node, LO.periodStart, o.start)
            self.date(node, LO.periodEnd, o.end)
        delegates = list(self.delegated(o))
        for target in delegates:
            self.g.add((node, LO.delegatesTo, target))
        self.evidence(node, o.span)
        self.g.add((node, LO.obligationEntry, obligation_entry(
            node, creator, bearer=_stripped(o.bearer), recipient=_stripped(o.recipient),
            action=_stripped(o.action), due=due, frequency=frequency, delegates=delegates,
            span=o.span if o.span.text else None, path=iri.source_key(self.result.path))))

    def deadline(self, obligation: URIRef, value: str | None) -> Literal | None:
        """``"YYYY-MM-DD"`` → ``lo:dueDate``; ``"--MM-DD"`` → ``lo:dueMonthDay``.

        Returns the due literal written (None for no deadline)."""
        literal = _deadline_literal(value)
        if literal is None:
            return None
        node = iri.deadline_iri(obligation)
        self.g.add((obligation, LO.deadline, node))
        self.g.add((node, RDF.type, LO.Deadline))
        prop = LO.dueMonthDay if literal.datatype == XSD.gMonthDay else LO.dueDate
        self.g.add((node, prop, literal))
        # "2024-12" or "--12": an exact-match index for date-window queries
        self.g.add((node, LO.dueMonthKey, Literal(month_key(literal))))
        return literal

    def delegated(self, o: Obligation) -> Iterable[URIRef]:
        """Obligations of the forwarded document, when that document is in this file.

        A forwarded document that lives in another file is only known by its key;
        ``lo:delegatesTo`` needs an obligation, so nothing is asserted then.
        """
        target = self.own.get(o.delegated_to or "")
        if target is None:
            return []
        return [self.obligation_node(target, t) for t in target.obligations]

    # --- outlines and submissions -------------------------------------------------------------

    def section(self, outline: URIRef, s: OutlineSection) -> None:
        node = iri.section_iri(outline, s.number)
        parent = iri.section_iri(outline, s.parent) if s.parent else outline
        self.g.add((node, RDF.type, LO.OutlineSection))
        self.g.add((parent, LO.hasSection, node))
        if s.parent:
            self.g.add((node, LO.parentSection, parent))
        self.text(node, LO.sectionNumber, s.number)
        self.text(node, LO.sectionTitle, s.title or " ".join(s.span.text.split()))
        for symbol, key in zip(s.references, s.reference_keys, strict=False):
            self.g.add((node, LO.namesDocument, self.mention(key, symbol)))
        self.evidence(node, s.span)

    def report_section(self, report: URIRef, s: OutlineSection) -> None:
        """A report's own numbered heading (``lo:ReportSection``), nested like an outline's."""
        node = report_section_iri(report, s.number)
        parent = report_section_iri(report, s.parent) if s.parent else report
        self.g.add((node, RDF.type, LO.ReportSection))
        self.g.add((parent, LO.hasSection, node))
        if s.parent:
            self.g.add((node, LO.parentSection, parent))
        self.text(node, LO.sectionNumber, s.number)
        self.text(node, LO.sectionTitle, s.title or " ".join(s.span.text.split()))
        self.evidence(node, s.span)

    def submission(self, table: URIRef, d: Document, sub: SubmissionRecord) -> None:
        node = iri.submission_iri(self.source, sub.span.start, sub.span.end, d.key, sub.agency,
                                  sub.category)
        self.g.add((node, RDF.type, LO.Submission))
        self.g.add((node, DCTERMS.isPartOf, table))
        self.g.add((node, LO.submittedBy, self.organization(sub.agency)))
        self.text(node, DCTERMS.type, sub.category)
        self.date(node, DCTERMS.date, sub.date)
        if sub.key is not None:
            self.g.add((node, LO.submissionDocument, self.mention(sub.key, sub.symbol)))
        self.evidence(node, sub.span)


def report_section_iri(report: URIRef, number: str) -> URIRef:
    """A section of the report ``report``: ``<doc>/section/II.8``.

    Not ``/outline/``: a report's headings are not the outline it answers, and a file
    can hold both an outline and a report (see ``graph.iri.section_iri``).
    """
    return URIRef(f"{report}/section/{quote(number, safe='.-+')}")


def _stripped(value: str | None) -> str | None:
    """``value`` as ``_Builder.text`` writes it (None when blank)."""
    return value.strip() if value is not None and value.strip() else None


def _deadline_literal(value: str | None) -> Literal | None:
    if not value:
        return None
    if value.startswith("--"):
        return Literal(value, datatype=XSD.gMonthDay)
    try:
        return Literal(dt.date.fromisoformat(value).isoformat(), datatype=XSD.date)
    except ValueError:
        return None


def file_graph(result: FileResult, *, base: str | None = None) -> Graph:
    """The triples of one source file (one named graph in the store).

    Args:
        result: what ``ingest.extract.extract_file`` read from the file.
        base: base IRI (default ``graph.iri.base_iri()``).

    Returns:
        A fresh rdflib ``Graph`` without blank nodes.
    """
    return _Builder(result, iri.base_iri(base)).build()
