"""Graph-scale synthetic records: ``ingest.models`` objects built straight from plans.

For 10⁵-10⁶ documents, writing and re-extracting text is too slow for a graph benchmark;
this builds the records the extractor would produce (one ``FileResult`` per document)
with a compact source text (header, one sentence per citation, the reporting duty, a
few outline headings) so that every ``Span`` still satisfies
``span.text == source_text[span.start:span.end]``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from functools import lru_cache
from itertools import islice

from benchmarks.synth_model import Kind, Plan, Ref
from benchmarks.synth_plan import plans
from ingest.identity import document_key
from ingest.models import (
    Citation,
    Document,
    FieldEvidence,
    FileResult,
    Frequency,
    Obligation,
    OutlineSection,
    Relation,
    Span,
    SubmissionRecord,
)
from ingest.symbols import parse_symbol

__all__ = ["generate_records", "plan_citations"]

# Reporting duty of each kind: (bearer, recipient template, frequency, month, day).
_DUTY: dict[Kind, tuple[str, Frequency | None, int, int]] = {
    Kind.ROOT: ("Các bộ, ngành và địa phương", Frequency.YEARLY, 12, 15),
    Kind.LEAD_LETTER: ("Các bộ, ngành và địa phương", Frequency.YEARLY, 12, 15),
    Kind.PROVINCE: ("Ủy ban nhân dân các huyện", Frequency.YEARLY, 11, 30),
    Kind.DISTRICT_PLAN: ("Ủy ban nhân dân các xã, phường", Frequency.HALF_YEARLY, 6, 15),
    Kind.WARD_FOLLOWUP: ("Các bộ phận liên quan", None, 0, 0),
}
_OUTLINE: tuple[tuple[str, str], ...] = (
    ("I", "ĐẶC ĐIỂM TÌNH HÌNH"),
    ("II", "KẾT QUẢ THỰC HIỆN"),
    ("II.1", "Công tác lãnh đạo, chỉ đạo"),
    ("II.2", "Kết quả cụ thể"),
    ("III", "ĐÁNH GIÁ CHUNG"),
)


@lru_cache(maxsize=65_536)
def _key(symbol: str, year: int, slug: str) -> str:
    """Identity key the extractor gives this symbol (``ingest.identity``), cached."""
    return document_key(parse_symbol(symbol), year, doc_type=slug)


def plan_citations(plan: Plan) -> list[tuple[Ref, Relation]]:
    """Documents a plan cites, with the relation its wording states."""
    out: list[tuple[Ref, Relation]] = []
    if plan.parent is not None:
        rel = Relation.REPORTS_ON if plan.kind is Kind.SUMMARY else Relation.IMPLEMENTS
        out.append((plan.parent, rel))
    if plan.kind is not Kind.ROOT and plan.root != plan.parent:
        out.append((plan.root, Relation.CITES))
    if plan.previous is not None:
        out.append((plan.previous, Relation.CONTINUES))
    if plan.replaces is not None:
        out.append((plan.replaces, Relation.REPLACES))
    based = Relation.BASED_ON if plan.kind in (Kind.ROOT, Kind.WARD_FOLLOWUP) else Relation.CITES
    out.extend((r, based) for r in plan.local)
    out.extend((r, based if plan.kind is Kind.ROOT else Relation.CITES) for r in plan.background)
    return out


class _Text:
    """Appends lines and hands back the span of each piece it adds."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0

    def add(self, text: str) -> Span:
        start = self.pos
        self.parts.append(text)
        self.pos += len(text)
        return Span(start, self.pos, text)

    def raw(self, text: str) -> None:
        self.parts.append(text)
        self.pos += len(text)

    def source(self) -> str:
        return "".join(self.parts)


def _dmy(d: dt.date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def _citation(t: _Text, ref: Ref, relation: Relation) -> Citation:
    t.raw("Thay thế " if relation is Relation.REPLACES else "Thực hiện ")
    span = t.add(f"{ref.word} số {ref.symbol} ngày {_dmy(ref.date)}")
    t.raw(f" của {ref.issuer}.\n")
    return Citation(_key(ref.symbol, ref.date.year, ref.slug), ref.symbol, ref.slug, ref.date,
                    ref.issuer, ref.title or None, relation, span)


def _obligation(t: _Text, plan: Plan) -> Obligation | None:
    duty = _DUTY.get(plan.kind)
    if duty is None:
        return None
    bearer, frequency, month, day = duty
    if frequency is None:
        due = plan.ref.date + dt.timedelta(days=30)
        deadline, when = due.isoformat(), _dmy(due)
    else:
        deadline, when = f"--{month:02d}-{day:02d}", f"{day}/{month} hằng năm"
    span = t.add(f"{bearer} gửi báo cáo về {plan.body.short} trước ngày {when}.")
    t.raw("\n")
    return Obligation(bearer, "gửi báo cáo", plan.body.short, deadline, frequency, None, None,
                      span)


def _outline(t: _Text, plan: Plan) -> tuple[OutlineSection, ...]:
    if plan.kind is not Kind.WARD_REPORT:
        return ()
    out = []
    for number, title in _OUTLINE:
        label = f"{number.rsplit('.', 1)[-1]}." if "." in number else f"{number}."
        span = t.add(f"{label} {title}")
        t.raw("\n")
        parent = number.rsplit(".", 1)[0] if "." in number else None
        out.append(OutlineSection(number, title, parent, (), (), span))
    return tuple(out)


def _submissions(t: _Text, plan: Plan) -> tuple[SubmissionRecord, ...]:
    out = []
    for i, (agency, ref) in enumerate(plan.table, 1):
        if ref is None:
            t.raw(f"{i}\t{agency}\t\t\n")
            continue
        span = t.add(f"{i}\t{agency}\t{ref.symbol}\t{_dmy(ref.date)}")
        t.raw("\n")
        out.append(SubmissionRecord(agency, "Địa phương", "Văn bản triển khai", ref.symbol,
                                    _key(ref.symbol, ref.date.year, ref.slug), ref.date, span))
    return tuple(out)


def _record(plan: Plan, path: str) -> FileResult:
    ref, body = plan.ref, plan.body
    t = _Text()
    issuer_span = t.add(body.name.upper())
    t.raw("\nSố: ")
    symbol_span = t.add(ref.symbol)
    t.raw("\n")
    date_span = t.add(f"{body.place}, ngày {ref.date.day:02d} tháng {ref.date.month:02d} năm "
                      f"{ref.date.year}")
    t.raw(f"\n{ref.word.upper()}\n")
    title_span = t.add(ref.title or ref.word)
    t.raw("\n")
    citations = tuple(_citation(t, r, rel) for r, rel in plan_citations(plan))
    obligation = _obligation(t, plan)
    outline = _outline(t, plan)
    submissions = _submissions(t, plan)
    signer_span = t.add(plan.signer)
    source = t.source()
    evidence = (FieldEvidence("issuer", issuer_span), FieldEvidence("symbol", symbol_span),
                FieldEvidence("date", date_span), FieldEvidence("title", title_span),
                FieldEvidence("signer", signer_span))
    doc = Document(
        key=_key(ref.symbol, ref.date.year, ref.slug), symbol=ref.symbol, doc_type=ref.slug,
        issuer=body.name, place=body.place, date=ref.date, title=ref.title or None,
        recipients=(), signer=plan.signer, signing_authority=" / ".join(body.capacity) or None,
        distribution=("Như trên", "Lưu: VT"), attached_to=None, span=Span(0, len(source), source),
        citations=citations, obligations=(obligation,) if obligation else (), outline=outline,
        submissions=submissions, evidence=evidence)
    sha = hashlib.sha256(source.encode("utf-8")).hexdigest()
    return FileResult(path, (doc,), source, "txt", "utf-8", sha)


def generate_records(n_docs: int, seed: int = 0, *, start: int = 0) -> Iterator[FileResult]:
    """Stream ``n_docs`` synthetic extraction results, one ``FileResult`` per document.

    The documents are those ``benchmarks.synth.generate_corpus(n_docs, seed)`` writes as
    text (same plans, same symbols, dates and citations), built directly as records.

    Args:
        n_docs: number of documents (counted from the start of the stream).
        seed: seed of the planner.
        start: skip the first ``start`` documents (they are planned, not built), so that
            workers can build disjoint slices ``[start, n_docs)`` of one corpus.

    Yields:
        One ``FileResult`` per document, path ``synth/NNNNNNN.txt``.
    """
    for i, plan in enumerate(islice(plans(seed), start, n_docs), start):
        yield _record(plan, f"synth/{i:07d}.txt")
