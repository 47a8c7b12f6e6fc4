"""The ingestion pipeline: source text → documents with citations, obligations, outlines.

Steps, one module each: ``read`` (file → source text) → ``clean`` (→ mapped text)
→ ``split`` (→ document ranges) → ``header`` (→ metadata) → ``citations``
(→ mentions, resolved by ``resolve``, classified by ``relations``) →
``obligations`` / ``outline`` / ``tables``. ``extract_text`` is a pure function
of its input, so any executor (a process pool, a cluster) can run it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from ingest.citations import extract_citations
from ingest.clean import clean
from ingest.header import Header, Segment, document_segments, read_header, segment_lines
from ingest.identity import anonymous_key, document_key
from ingest.models import Citation, Document, FileResult, IngestError, OutlineSection, Relation
from ingest.obligations import find_obligations
from ingest.outline import is_outline, parse_outline, parse_sections
from ingest.read import SourceText, read_file
from ingest.resolve import Resolver
from ingest.split import split_documents
from ingest.symbols import parse_symbol
from ingest.tables import find_submissions
from ingest.textmap import MappedText

__all__ = ["extract_file", "extract_source", "extract_text"]


def extract_file(path: str | Path, *, max_bytes: int | None = None) -> FileResult:
    """Read and extract one file; raises ``IngestError`` naming the file and the problem.

    ``max_bytes``: refuse larger files (default: ``ingest.read``'s limit, 50 MB).
    """
    src = read_file(path) if max_bytes is None else read_file(path, max_bytes=max_bytes)
    try:
        return extract_source(src)
    except MemoryError:
        raise IngestError(
            src.path,
            "ran out of memory while extracting (very long text without line breaks)",
            "split the file into smaller files or restore its line breaks",
        ) from None


def extract_source(src: SourceText) -> FileResult:
    result = extract_text(src.text, src.path)
    return replace(
        result,
        format=src.format,
        encoding=src.encoding,
        sha256=src.sha256,
        warnings=tuple(src.warnings) + result.warnings,
    )


def extract_text(source: str, path: str = "<text>") -> FileResult:
    """Extract every document in ``source`` (already decoded text)."""
    mt = clean(source)
    documents: list[Document] = []
    prior = Resolver()  # resolved citations of the earlier documents, indexed once
    segments = segment_lines(mt.text, 0, len(mt.text))  # read once, for split and headers
    for start, end in split_documents(mt, segments=segments):
        doc = _extract_document(mt, start, end, prior, documents, segments)
        documents.append(doc)
        for c in doc.citations:
            if c.resolved:
                prior.add(c)
    sha = hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()
    return FileResult(path, tuple(documents), source, "txt", "utf-8", sha)


def _extract_document(
    mt: MappedText,
    start: int,
    end: int,
    prior: Resolver,
    earlier: Sequence[Document],
    segments: Sequence[Segment],
) -> Document:
    header = read_header(mt, start, end, segments=document_segments(segments, start, end))
    key = _document_key(mt, start, end, header)
    found = extract_citations(mt, start, end, own_symbol=header.symbol, known=prior)
    citations = tuple(c for c in found.citations if c.key != key)
    attached = _attached_key(header, citations, earlier, mt.to_source(header.body_start))
    outline = parse_outline(mt, start, end, citations)
    obligations = find_obligations(
        mt,
        start,
        end,
        doc_date=header.date,
        recipients=header.recipients,
        citations=citations,
    )
    return Document(
        key=key,
        symbol=header.symbol,
        doc_type=header.doc_type,
        issuer=header.issuer,
        place=header.place,
        date=header.date,
        title=header.title,
        recipients=header.recipients,
        signer=header.signer,
        signing_authority=header.signing_authority,
        distribution=header.distribution,
        attached_to=attached,
        span=mt.span(start, end),
        citations=citations,
        relations=found.relations,
        obligations=tuple(obligations),
        outline=tuple(outline),
        submissions=tuple(find_submissions(mt, start, end)),
        evidence=header.evidence,
        sections=tuple(_report_sections(mt, start, end, header, citations, outline)),
    )


# Document types whose own headings are a report's sections (compared with outlines).
_REPORT_TYPES = frozenset({"bao-cao"})


def _report_sections(
    mt: MappedText,
    start: int,
    end: int,
    header: Header,
    citations: Sequence[Citation],
    outline: Sequence[OutlineSection],
) -> list[OutlineSection]:
    """The heading tree of a report (not of an outline), or [] for other documents.

    A report (``bao-cao``) always gets its tree; a document of unknown type only when
    its headings have the numbered I./II. structure of a report.
    """
    if outline or (header.doc_type is not None and header.doc_type not in _REPORT_TYPES):
        return []
    sections = parse_sections(mt, start, end, citations)
    if header.doc_type is None and not is_outline(sections):
        return []
    return sections


def _document_key(mt: MappedText, start: int, end: int, header: Header) -> str:
    parts = parse_symbol(header.symbol) if header.symbol else None
    if parts is None or not parts.number:
        return anonymous_key(mt.text[start:end])
    year = header.date.year if header.date else parts.year
    return document_key(parts, year, doc_type=header.doc_type)


def _attached_key(
    header: Header,
    citations: Sequence[Citation],
    earlier: Sequence[Document],
    body_start: int,
) -> str | None:
    """Key of the document this one is attached to ("(Kèm theo Công văn số …)").

    Only a "Kèm theo" line in the header counts: in the body, "theo Đề cương kèm theo
    Công văn số …" names another document's attachment, not this one's host.
    A blank number ("Kèm theo Công văn số      /BNV-CTTN") means the letter the
    attachment travels with: the document just before it in the same file.
    """
    for c in citations:
        if c.relation is Relation.ATTACHED_TO and c.span.start < body_start:
            return c.key
    if header.attached_blank and earlier:
        return earlier[-1].key
    return None
