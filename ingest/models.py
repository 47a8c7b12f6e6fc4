"""Values produced by ingestion. Every extracted fact carries a ``Span``.

Offsets are code-point offsets into the *source text*: the decoded text of the
file as luocdo read it (for .docx/.pdf/.html, the text extracted from it; for
legacy TCVN3/VNI files, the converted Unicode text). ``Span.text`` is always
exactly ``source_text[start:end]``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ontology.terms import Frequency, Relation

__all__ = [
    "Citation",
    "Document",
    "FieldEvidence",
    "FileResult",
    "Frequency",
    "IngestError",
    "Obligation",
    "OutlineSection",
    "Relation",
    "Span",
    "StatedRelation",
    "SubmissionRecord",
]


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Citation:
    """One mention of another document inside a citing document."""

    key: str  # identity key of the cited document (see ingest.identity)
    symbol: str | None  # canonical số ký hiệu, e.g. "25-NQ/TW"; None for a law cited by name
    doc_type: str | None  # DocType.slug, e.g. "chi-thi"
    date: dt.date | None  # date written beside the mention (or shared by a list)
    issuer: str | None  # issuing body as named in prose ("Thủ tướng Chính phủ")
    title: str | None  # "về …" title when given
    relation: Relation  # citing document → cited document
    span: Span
    name: str | None = None  # for laws cited by name: "Luật Thực hiện dân chủ ở cơ sở"
    resolved: bool = True  # False: no date and no unique earlier candidate
    short: bool = False  # a short or abbreviated later mention ("Chỉ thị 33")


@dataclass(frozen=True, slots=True)
class StatedRelation:
    """A relation the text states between two *other* documents."""

    source: str  # symbol
    source_key: str
    relation: Relation
    target: str  # symbol
    target_key: str
    span: Span


@dataclass(frozen=True, slots=True)
class Obligation:
    bearer: str | None
    action: str | None
    recipient: str | None
    deadline: str | None  # "YYYY-MM-DD", "--MM-DD" (xsd:gMonthDay) or None
    frequency: Frequency | None
    start: dt.date | None  # period the obligation covers, when stated
    end: dt.date | None
    span: Span
    delegated_to: str | None = None  # key of the forwarded document whose deadline applies


@dataclass(frozen=True, slots=True)
class OutlineSection:
    number: str  # numbering path: "I", "II.1", "III.4.b", "III.5.-2"
    title: str
    parent: str | None
    references: tuple[str, ...]  # canonical symbols named in the section
    reference_keys: tuple[str, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class SubmissionRecord:
    """One cell of a submissions table: what an agency sent in answer to a request.

    ``category`` is the column group as headed in the table ("Kế hoạch", "Báo cáo năm", …);
    ``symbol``/``date`` are None when the cell is blank (nothing was received).
    """

    agency: str
    group: str | None  # table section, e.g. "Địa phương"
    category: str
    symbol: str | None
    key: str | None
    date: dt.date | None
    span: Span  # the table row


@dataclass(frozen=True, slots=True)
class FieldEvidence:
    """Where a header field (symbol, date, issuer, …) was read."""

    field: str
    span: Span


@dataclass(frozen=True, slots=True)
class Document:
    key: str
    symbol: str | None
    doc_type: str | None  # DocType.slug
    issuer: str | None
    place: str | None
    date: dt.date | None
    title: str | None
    recipients: tuple[str, ...]
    signer: str | None
    signing_authority: str | None  # "KT. BỘ TRƯỞNG / THỨ TRƯỞNG"
    distribution: tuple[str, ...]  # "Nơi nhận"
    attached_to: str | None  # key of the document this one is attached to
    span: Span  # the document's extent in the file
    citations: tuple[Citation, ...] = ()
    relations: tuple[StatedRelation, ...] = ()
    obligations: tuple[Obligation, ...] = ()
    outline: tuple[OutlineSection, ...] = ()
    submissions: tuple[SubmissionRecord, ...] = ()
    evidence: tuple[FieldEvidence, ...] = ()
    sections: tuple[OutlineSection, ...] = ()  # a report's own numbered headings


@dataclass(frozen=True, slots=True)
class FileResult:
    path: str
    documents: tuple[Document, ...]
    source_text: str
    format: str  # "txt", "md", "docx", "pdf", "html"
    encoding: str | None
    sha256: str
    warnings: tuple[str, ...] = ()


class IngestError(Exception):
    """A file that cannot be read: names the file, the reason and what to do."""

    def __init__(self, path: str, reason: str, hint: str | None = None) -> None:
        self.path = path
        self.reason = reason
        self.hint = hint
        msg = f"{path}: {reason}"
        if hint:
            msg += f" ({hint})"
        super().__init__(msg)
