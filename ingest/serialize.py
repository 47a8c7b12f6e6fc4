"""Records → plain JSON-ready dicts (the ``luocdo extract --json`` contract).

Field names are fixed by the output contract: documents carry ``key``, ``symbol``,
``type``, ``issuer``, ``date``, ``title``, ``signer``, ``recipients``,
``citations`` and ``relations``; citations carry ``key``, ``symbol``, ``type``,
``date``, ``issuer``, ``title``, ``relation``, ``start``, ``end``, ``text``.
Dates are ISO ``YYYY-MM-DD``; unknown values are ``null``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

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


def _date(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def _span(s: Span) -> dict[str, Any]:
    return {"start": s.start, "end": s.end, "text": s.text}


def citation_dict(c: Citation) -> dict[str, Any]:
    return {
        "key": c.key,
        "symbol": c.symbol,
        "type": c.doc_type,
        "date": _date(c.date),
        "issuer": c.issuer,
        "title": c.title,
        "relation": str(c.relation),
        "name": c.name,
        "resolved": c.resolved,
        "short": c.short,
        **_span(c.span),
    }


def relation_dict(r: StatedRelation) -> dict[str, Any]:
    return {
        "source": r.source,
        "source_key": r.source_key,
        "relation": str(r.relation),
        "target": r.target,
        "target_key": r.target_key,
        **_span(r.span),
    }


def obligation_dict(o: Obligation) -> dict[str, Any]:
    return {
        "bearer": o.bearer,
        "action": o.action,
        "recipient": o.recipient,
        "deadline": o.deadline,
        "frequency": str(o.frequency) if o.frequency else None,
        "period_start": _date(o.start),
        "period_end": _date(o.end),
        "delegated_to": o.delegated_to,
        **_span(o.span),
    }


def section_dict(s: OutlineSection) -> dict[str, Any]:
    return {
        "number": s.number,
        "title": s.title,
        "parent": s.parent,
        "references": list(s.references),
        "reference_keys": list(s.reference_keys),
        **_span(s.span),
    }


def submission_dict(s: SubmissionRecord) -> dict[str, Any]:
    return {
        "agency": s.agency,
        "group": s.group,
        "category": s.category,
        "symbol": s.symbol,
        "key": s.key,
        "date": _date(s.date),
        **_span(s.span),
    }


def document_dict(d: Document) -> dict[str, Any]:
    return {
        "key": d.key,
        "symbol": d.symbol,
        "type": d.doc_type,
        "issuer": d.issuer,
        "place": d.place,
        "date": _date(d.date),
        "title": d.title,
        "signer": d.signer,
        "signing_authority": d.signing_authority,
        "recipients": list(d.recipients),
        "distribution": list(d.distribution),
        "attached_to": d.attached_to,
        "start": d.span.start,
        "end": d.span.end,
        "citations": [citation_dict(c) for c in d.citations],
        "relations": [relation_dict(r) for r in d.relations],
        "obligations": [obligation_dict(o) for o in d.obligations],
        "outline": [section_dict(s) for s in d.outline],
        "submissions": [submission_dict(s) for s in d.submissions],
        "evidence": [{"field": e.field, **_span(e.span)} for e in d.evidence],
        "sections": [section_dict(s) for s in d.sections],
    }


def file_dict(r: FileResult) -> dict[str, Any]:
    return {
        "path": r.path,
        "format": r.format,
        "encoding": r.encoding,
        "sha256": r.sha256,
        "warnings": list(r.warnings),
        "documents": [document_dict(d) for d in r.documents],
    }
