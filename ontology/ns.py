"""Namespaces and the local names of every ontology term instance data uses.

``luocdo.ttl`` declares each name below (a test checks it); graph code refers
to terms only through these constants, never by spelling IRIs by hand.
"""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from ontology.terms import ONTOLOGY_NS

LO = Namespace(ONTOLOGY_NS)
ELI = Namespace("http://data.europa.eu/eli/ontology#")
TIME = Namespace("http://www.w3.org/2006/time#")
OA = Namespace("http://www.w3.org/ns/oa#")
SH = Namespace("http://www.w3.org/ns/shacl#")

__all__ = ["DCTERMS", "ELI", "LO", "OA", "OWL", "PROV", "RDF", "RDFS", "SH", "SKOS", "TIME", "XSD"]

# Classes beyond one per document type (ontology.terms.DOC_TYPES[*].local).
CLASSES: dict[str, str] = {
    "Document": "Any Vietnamese state or Party document; ⊑ eli:LegalResource",
    "StateDocument": "Document issued by a state body",
    "PartyDocument": "Document issued by a Party body (số ký hiệu n-TYPE/ISSUER)",
    "Agent": "Issuing body, recipient or signer; ⊑ prov:Agent",
    "Organization": "A body (cơ quan); ⊑ Agent, eli:Organization-compatible (foaf/org)",
    "Person": "A signer; ⊑ Agent, prov:Person",
    "Citation": "Evidence node for one mention of a document in another; ⊑ prov:Entity",
    "Evidence": "Source file, offsets and quoted text behind a fact; ⊑ prov:Entity",
    "SourceFile": "A file that was ingested; ⊑ prov:Entity",
    "Extraction": "One run of the extractor over a source file; ⊑ prov:Activity",
    "Obligation": "A duty a document creates (LegalRuleML Obligation, RRMV Request)",
    "Deadline": "When an obligation is due: a date, or a recurring month-day",
    "ReportOutline": "Đề cương báo cáo: the required structure of a report",
    "OutlineSection": "A numbered section of a report outline",
    "ReportSection": "A numbered section of a report itself; ⊑ eli:LegalResourceSubdivision",
    "Submission": "A report or plan an agency submitted in answer to an obligation",
    "TypeCount": "derived: how many documents of one type the store holds",
    "DueIndexMonth": "index: one month's packed date-window rows (graph.due_index)",
    "DueDayPage": "derived index: a page of one day's packed date-window rows (graph.due_pages)",
    "DuePageIndex": "derived index: its one node says the due pages are kept (graph.due_pages)",
    "DocumentTypeScheme": "skos:ConceptScheme of document types (not a class: individual)",
}

# Object and datatype properties beyond one per relation (ontology.terms.RELATIONS).
PROPERTIES: dict[str, str] = {
    # document metadata
    "symbol": "số ký hiệu as written canonically, e.g. '33/CT-TTg'; ⊑ eli:id_local",
    "identityKey": "luocdo identity key (symbol@year), the basis of the IRI; ⊑ dct:identifier",
    "documentCount": "derived: number of documents a lo:TypeCount counts",
    "citedByCount": "derived: distinct documents citing a document",
    "citedByTier": "derived: bit length of lo:citedByCount (an index for the most cited)",
    "mentionCount": "derived: citations naming a document",
    "ownDateCount": "derived: dates a document's own headers give it, when more than one",
    "symbolKey": "identity key without its year: joins an undated mention to its dated document",
    "number": "the number part of the symbol; ⊑ eli:number",
    "documentType": "SKOS concept of the document type; ⊑ eli:type_document",
    "issuedBy": "issuing body; ⊑ eli:passed_by",
    "signedBy": "signer (person); ⊑ eli:passed_by",
    "signingAuthority": "capacity line, e.g. 'KT. BỘ TRƯỞNG / THỨ TRƯỞNG'",
    "addressedTo": "recipient body (Kính gửi)",
    "distributedTo": "entry of the Nơi nhận list (literal)",
    "place": "place of issue (literal)",
    "unresolved": "true when the document is known only from an undated mention",
    # citations / evidence
    "citingDocument": "Citation → the document that contains the mention",
    "citedDocument": "Citation → the document mentioned",
    "relation": "Citation → the relation property the wording states",
    "citedDate": "date written beside the mention (xsd:date)",
    "citedIssuer": "issuer named beside the mention (literal)",
    "citedTitle": "title given beside the mention (literal)",
    "evidence": "any node → its Evidence",
    "sourceFile": "Evidence → SourceFile",
    "startOffset": "Evidence: first character (code points into the source text)",
    "endOffset": "Evidence: end character, exclusive",
    "quote": "Evidence: exact source text between the offsets",
    "sha256": "SourceFile: content hash",
    "path": "SourceFile: path as given",
    "statedBy": "a reified stated relation → the document whose text states it",
    "sameDocumentAs": "an undated mention's node → the only dated document with its symbol",
    # obligations
    "createdBy": "Obligation → the document that creates it (inverse: createsObligation)",
    "createsObligation": "Document → Obligation",
    "bearer": "Obligation → who must act (literal or Agent)",
    "bearerText": "bearer as written",
    "action": "what must be done (literal)",
    "recipient": "Obligation → body that receives the result",
    "recipientText": "recipient as written",
    "deadline": "Obligation → Deadline",
    "dueDate": "Deadline: xsd:date",
    "dueMonthDay": "Deadline: recurring xsd:gMonthDay, e.g. '--12-15'",
    "dueMonthKey": "Deadline: 'YYYY-MM' or '--MM', an exact-match index for date windows",
    "indexMonthKey": "DueIndexMonth: its month, 'YYYY-MM' or '--MM'",
    "dueEntry": "DueIndexMonth: one deadline's packed date-window row (graph.due_index)",
    "dueDayKey": "DueDayPage: its day, 'YYYY-MM-DD' or '--MM-DD'",
    "duePage": "DueDayPage: packed date-window rows of its day, one per line (graph.due_pages)",
    "pageEntries": "DueDayPage: how many rows its lo:duePage holds",
    "pageMonthKey": "DueDayPage: the month its day lies in, 'YYYY-MM' or '--MM'",
    "pageFormat": "DuePageIndex: the format of the due pages kept (graph.due_pages)",
    "citationEntry": "Citation: its packed row of cited_by (graph.cite_index)",
    "obligationEntry": "Obligation: its values packed (graph.obligation_index)",
    "frequency": "Obligation → SKOS frequency concept",
    "periodStart": "start of the period the obligation covers",
    "periodEnd": "end of the period the obligation covers",
    "delegatesTo": "Obligation → obligation of a forwarded document whose deadline applies",
    "requiresOutline": "Obligation → ReportOutline the report must follow",
    # outlines
    "hasOutline": "Document → ReportOutline attached to it",
    "hasSection": "outline/report/section → OutlineSection or ReportSection (⊑ dct:hasPart)",
    "sectionNumber": "numbering path, e.g. 'III.8' (outline or report section)",
    "sectionTitle": "section heading (outline or report section)",
    "parentSection": "OutlineSection/ReportSection → its parent",
    "namesDocument": "OutlineSection → a document the section names",
    "followsSection": "ReportSection → the outline section it answers (graph.follows)",
    # submissions
    "submittedBy": "Submission → agency",
    "answers": "Submission → Obligation",
    "submissionDocument": "Submission → the submitted document",
    "submissionStatus": "on-time | late | missing",
}
