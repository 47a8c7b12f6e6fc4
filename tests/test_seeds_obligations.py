"""Obligations of the five seed documents, annotated by hand.

Document ranges are cut at facts (a symbol line, the outline heading); recipients are the
"Kính gửi" lines of each letter; citations come from ``ingest.citations``.

Hand annotation (what the tests pin):

* 000 (Bộ Nội vụ letter, 2024; its first page with the date is lost): item 2 asks the
  provinces to send their 2023 decisions to Bộ Nội vụ before 25/5/2024 (one-off); item 3
  asks everyone to send a yearly report before 15/12. The lead and closing sentences are
  generic; item 1 has no deadline, recurrence or recipient.
* 002, province letter of 15/5/2023: Sở Nội vụ must prepare the reports sent to Bộ Nội vụ
  on the schedule of the forwarded letter 1432/BNV-CTTN (delegated deadline; the bare
  "định kỳ" is PERIODIC: it recurs, the text does not say how often).
* 002, ministry letter 1432/BNV-CTTN of 03/4/2023: item 2 has two deadlines, half-yearly
  30 May and yearly 15 December, both to Bộ Nội vụ. Item 1 (build a plan) has no deadline,
  recipient or governing recurrence ("hằng năm" there qualifies the scoring, not the plan).
* 004 (Tỉnh ủy directive): item 9, periodic report to Ban Thường vụ Tỉnh ủy via Ban Dân
  vận Tỉnh ủy, no date. Items 2 ("cần") and 8 ("chỉ đạo" by a named body, no recipient)
  are not counted.
* 001 (annual report) and 003 (ward report): reports describe; the proposal section of
  001 ("kiến nghị … Giao Bộ Nội vụ chủ trì …") is not a duty. No obligations.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import pytest

from ingest.citations import extract_citations
from ingest.clean import clean
from ingest.identity import document_key
from ingest.models import Obligation
from ingest.obligations import find_obligations
from ingest.symbols import parse_symbol
from ontology.terms import Frequency

pytestmark = pytest.mark.seeds

SEEDS = Path(__file__).parents[1].parent / "shared" / "seeds"

MINISTRIES = "Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ"
PROVINCES = "Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương"
BOTH = f"{MINISTRIES}; {PROVINCES}"
MOHA = "Bộ Nội vụ"


def seed(name: str, form: str = "NFC") -> str:
    path = SEEDS / name
    if not path.exists():
        pytest.skip(f"seed folder missing: {SEEDS}")
    return unicodedata.normalize(form, path.read_text(encoding="utf-8"))  # type: ignore[arg-type]


def obligations(
    source: str,
    start_at: str | None,
    end_at: str | None,
    *,
    doc_date: dt.date | None,
    recipients: Sequence[str],
) -> list[Obligation]:
    mt = clean(source)
    start = mt.text.index(start_at) if start_at else 0
    end = mt.text.index(end_at, start + 1) if end_at else len(mt.text)
    citations = extract_citations(mt, start, end).citations
    found = find_obligations(
        mt, start, end, doc_date=doc_date, recipients=tuple(recipients), citations=citations
    )
    for o in found:
        assert o.span.text == source[o.span.start : o.span.end]
    return found


def facts(o: Obligation) -> tuple:
    return (
        o.bearer,
        o.action,
        o.recipient,
        o.deadline,
        o.frequency,
        o.start,
        o.end,
        o.delegated_to,
    )


def test_000_ministry_letter():
    source = seed("000_7831218f00c26e2d.txt")
    found = obligations(
        source, None, "ĐỀ CƯƠNG", doc_date=None, recipients=(MINISTRIES + ";", PROVINCES + ".")
    )
    assert [facts(o) for o in found] == [
        (
            PROVINCES,
            "gửi quyết định đánh giá kết quả các tiêu chí chấm điểm",
            MOHA,
            "2024-05-25",
            Frequency.ONCE,
            None,
            None,
            None,
        ),
        (BOTH, "gửi báo cáo", MOHA, "--12-15", Frequency.YEARLY, None, None, None),
    ]
    first, second = found
    assert first.span.text.startswith("Đề nghị") and "25/5/2024" in first.span.text
    assert second.span.text.startswith("Định kỳ") and "15/12" in second.span.text


def test_000_outline_creates_no_obligation():
    source = seed("000_7831218f00c26e2d.txt")
    assert obligations(source, "ĐỀ CƯƠNG", None, doc_date=None, recipients=()) == []


def test_002_province_letter_delegates_to_the_forwarded_letter():
    source = seed("002_53c9a83512b58783.txt")
    [o] = obligations(
        source, None, "Số: 1432", doc_date=dt.date(2023, 5, 15), recipients=("Sở Nội vụ.",)
    )
    forwarded = document_key(parse_symbol("1432/BNV-CTTN"), 2023)
    assert facts(o) == (
        "Sở Nội vụ",
        "gửi báo cáo",
        MOHA,
        None,
        Frequency.PERIODIC,
        None,
        None,
        forwarded,
    )
    assert o.span.text.startswith("Giao Sở Nội vụ")


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_002_ministry_letter_two_deadlines(form: str):
    source = seed("002_53c9a83512b58783.txt", form)
    found = obligations(
        source,
        unicodedata.normalize("NFC", "Số: 1432"),
        unicodedata.normalize("NFC", "ĐỀ CƯƠNG"),
        doc_date=dt.date(2023, 4, 3),
        recipients=(MINISTRIES, PROVINCES),
    )
    nfc = [
        tuple(unicodedata.normalize("NFC", x) if isinstance(x, str) else x for x in facts(o))
        for o in found
    ]
    assert nfc == [
        (
            BOTH,
            "gửi báo cáo 6 tháng đầu năm",
            MOHA,
            "--05-30",
            Frequency.HALF_YEARLY,
            None,
            None,
            None,
        ),
        (BOTH, "gửi báo cáo năm", MOHA, "--12-15", Frequency.YEARLY, None, None, None),
    ]
    half, year = found
    assert unicodedata.normalize("NFC", half.span.text).startswith("Định kỳ 06 tháng")
    assert unicodedata.normalize("NFC", half.span.text).endswith("30 tháng 5")
    assert unicodedata.normalize("NFC", year.span.text).startswith("báo cáo năm")
    assert half.span.end <= year.span.start


def test_004_party_directive_periodic_report():
    source = seed("004_60a679cac1b240e8.txt")
    recipients = (
        "Các ban Tỉnh ủy, ban cán sự đảng, đảng đoàn, Ban Thường vụ Tỉnh đoàn",
        "Thành ủy, huyện ủy, đảng ủy trực thuộc Tỉnh ủy.",
    )
    [o] = obligations(source, None, None, doc_date=None, recipients=recipients)
    assert facts(o) == (
        "Các cấp ủy, tổ chức đảng",
        "báo cáo kết quả thực hiện",
        "Ban Thường vụ Tỉnh ủy (qua Ban Dân vận Tỉnh ủy)",
        None,
        Frequency.PERIODIC,
        None,
        None,
        None,
    )
    assert "định kỳ báo cáo" in o.span.text


@pytest.mark.parametrize(
    ("name", "end_at", "doc_date"),
    [
        ("001_304466b7726ac9ab.txt", "BẢNG TỔNG HỢP", dt.date(2025, 2, 27)),
        ("001_304466b7726ac9ab.txt", None, dt.date(2025, 2, 27)),
        ("003_02f95d2c3f63d199.txt", None, None),
    ],
)
def test_reports_create_no_obligations(name: str, end_at: str | None, doc_date):
    assert obligations(seed(name), None, end_at, doc_date=doc_date, recipients=()) == []
