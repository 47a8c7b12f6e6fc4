"""Values shared by the synthetic-corpus planner, the text renderer and the record builder.

A ``Plan`` says what one synthetic document is (symbol, date, issuing body, what it
implements and cites); ``synth_text`` renders it as text with its ground truth
(``DocTruth``), ``synth_records`` turns it into ``ingest.models`` records directly.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    """Role of a document in an implementation chain (level in brackets)."""

    ROOT = "root"  # (0) central directive, resolution, decree, law
    LEAD_LETTER = "lead-letter"  # (1) ministry letter or Party commission guidance
    PROVINCE = "province"  # (2) provincial letter or Party committee plan
    DISTRICT_PLAN = "district-plan"  # (3) district plan
    WARD_REPORT = "ward-report"  # (4) ward / commune report
    WARD_FOLLOWUP = "ward-followup"  # (5) ward letter following up its own report
    SUMMARY = "summary"  # (2) the lead body's report back, with an appendix table


LEVELS: dict[Kind, int] = {
    Kind.ROOT: 0,
    Kind.LEAD_LETTER: 1,
    Kind.PROVINCE: 2,
    Kind.DISTRICT_PLAN: 3,
    Kind.WARD_REPORT: 4,
    Kind.WARD_FOLLOWUP: 5,
    Kind.SUMMARY: 2,
}


@dataclass(frozen=True, slots=True)
class Ref:
    """A document as others cite it.

    Attributes:
        symbol: canonical số ký hiệu.
        date: issue date.
        slug: DocType slug (``ontology.terms``).
        word: type word written before "số" ("Công văn", "Kế hoạch").
        issuer: issuing body as prose names it ("Ủy ban nhân dân tỉnh Đồng Nai").
        title: title without the leading "về" ("" when none).
        party: True for the Party form ``n-TYPE/ISSUER``.
        name: name of a law ("Luật …"), else None.
        group: documents issued together and cited as one list share a group id.
        title_cites: symbols named inside the title ("triển khai Công văn số 1432/BNV-CTTN").
    """

    symbol: str
    date: dt.date
    slug: str
    word: str
    issuer: str
    title: str
    party: bool
    name: str | None = None
    group: str | None = None
    title_cites: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Body:
    """An issuing body.

    Attributes:
        name: prose name ("Ủy ban nhân dân tỉnh Đồng Nai").
        short: short prose name used in running text ("UBND tỉnh Đồng Nai").
        header: header lines in capitals, top to bottom.
        place: place written before the date ("Đồng Nai").
        party: a Party body (header shows "ĐẢNG CỘNG SẢN VIỆT NAM").
        capacity: signing-capacity lines ("KT. BỘ TRƯỞNG", "THỨ TRƯỞNG").
        code: issuer code used in symbols ("BNV", "UBND", "TU").
    """

    name: str
    short: str
    header: tuple[str, ...]
    place: str
    party: bool
    capacity: tuple[str, ...]
    code: str


@dataclass(frozen=True, slots=True)
class Plan:
    """What one synthetic document is, before it is written.

    Attributes:
        ref: the document itself as others cite it.
        kind: its role in the chain.
        body: the issuing body.
        parent: the document it implements (None for roots).
        root: the central document the chain started from (itself for roots).
        background: other central documents it cites.
        local: other local documents it cites (earlier letters, Party decisions).
        table: appendix rows (agency, document received or None) of a summary report.
        subject: short name of the work the chain is about.
        signer: the signer's name.
        previous: an earlier letter of the same body on the same root that it continues.
        replaces: an earlier plan of the same body on the same root that it replaces
            ("Kế hoạch này thay thế Kế hoạch số …"; such a plan continues none).
    """

    ref: Ref
    kind: Kind
    body: Body
    parent: Ref | None
    root: Ref
    background: tuple[Ref, ...]
    local: tuple[Ref, ...]
    table: tuple[tuple[str, Ref | None], ...]
    subject: str
    signer: str
    previous: Ref | None = None
    replaces: Ref | None = None

    @property
    def level(self) -> int:
        return LEVELS[self.kind]


@dataclass(frozen=True, slots=True)
class Cite:
    """One cited document in the ground truth.

    ``date`` is the date written beside a mention (None when every mention is undated);
    ``symbol`` is None for a law cited by name only, then ``name`` holds the name.
    """

    symbol: str | None
    date: dt.date | None
    name: str | None = None


@dataclass(frozen=True, slots=True)
class Deadline:
    """A deadline the text states: ``YYYY-MM-DD`` or a recurring ``--MM-DD``."""

    deadline: str
    frequency: str | None  # ontology.terms.Frequency value, when stated


@dataclass(frozen=True, slots=True)
class DocTruth:
    """Ground truth for one document written into a synthetic file.

    Attributes:
        symbol: own số ký hiệu (None for an attached outline without one).
        date: own issue date (None for an outline).
        doc_type: DocType slug.
        kind: role in the chain (``Kind`` value, or "outline" / "appendix").
        level: chain depth, 0 for roots.
        implements: symbol of the document it implements, if any.
        attached_to: symbol of the document it is attached to, if any.
        cites: every document mentioned, once each, in order of first mention.
        submissions: documents listed in an appendix table (agency, symbol, date).
        deadlines: deadlines stated.
        outline: numbering paths of the numbered headings ("I", "II.1", "II.1.a").
    """

    symbol: str | None
    date: dt.date | None
    doc_type: str
    kind: str
    level: int
    implements: str | None
    attached_to: str | None
    cites: tuple[Cite, ...]
    submissions: tuple[tuple[str, str, dt.date], ...]
    deadlines: tuple[Deadline, ...]
    outline: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SynthDoc:
    """One synthetic file: a name, its text and the truth for each document in it."""

    name: str
    text: str
    truth: tuple[DocTruth, ...]

    @property
    def main(self) -> DocTruth:
        """Truth of the file's first (main) document."""
        return self.truth[0]
