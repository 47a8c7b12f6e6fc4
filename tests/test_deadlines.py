"""Deadlines, recurrence and periods: one table row per written form."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from ingest.deadlines import (
    find_deadlines,
    find_delegations,
    find_frequencies,
    find_periods,
    month_day_value,
)
from ontology.terms import Frequency

Y, H, Q, M, N, ONE = (
    Frequency.YEARLY,
    Frequency.HALF_YEARLY,
    Frequency.QUARTERLY,
    Frequency.MONTHLY,
    Frequency.NINE_MONTHS,
    Frequency.ONCE,
)
LETTER = dt.date(2024, 12, 20)

# (sentence, expected [(value, frequency)], written phrase of the first deadline)
DEADLINES = [
    # absolute dates, every official form
    (
        "gửi báo cáo về Sở Tư pháp trước ngày 25/5/2024",
        [("2024-05-25", ONE)],
        "trước ngày 25/5/2024",
    ),
    ("hoàn thành chậm nhất ngày 10/01/2025", [("2025-01-10", ONE)], "chậm nhất ngày 10/01/2025"),
    (
        "nộp trước ngày 20 tháng 11 năm 2025",
        [("2025-11-20", ONE)],
        "trước ngày 20 tháng 11 năm 2025",
    ),
    ("gửi trước ngày 03-02-2025 để tổng hợp", [("2025-02-03", ONE)], "trước ngày 03-02-2025"),
    ("gửi trước ngày 30.6.2025", [("2025-06-30", ONE)], "trước ngày 30.6.2025"),
    ("gửi trước 17 giờ ngày 15/12/2024", [("2024-12-15", ONE)], "trước 17 giờ ngày 15/12/2024"),
    ("chậm nhất là ngày 05 / 01 / 2025", [("2025-01-05", ONE)], "chậm nhất là ngày 05 / 01 / 2025"),
    ("hạn chót: ngày 31/3/2025", [("2025-03-31", ONE)], "hạn chót: ngày 31/3/2025"),
    ("không muộn hơn ngày 15/4/2025", [("2025-04-15", ONE)], "không muộn hơn ngày 15/4/2025"),
    ("hoàn thành trong tháng 6/2025", [("2025-06-30", ONE)], "hoàn thành trong tháng 6/2025"),
    # a year-less one-off date takes the letter's year and rolls over past the issue date
    ("gửi ý kiến trước ngày 15/01", [("2025-01-15", ONE)], "trước ngày 15/01"),
    ("gửi ý kiến trước ngày 28/12", [("2024-12-28", ONE)], "trước ngày 28/12"),
    ("gửi trước ngày 10 tháng 3 năm sau", [("2025-03-10", ONE)], "trước ngày 10 tháng 3 năm sau"),
    # recurring: a gMonthDay
    ("hằng năm gửi báo cáo trước ngày 15/12", [("--12-15", Y)], "trước ngày 15/12"),
    ("Định kỳ, gửi báo cáo trước ngày 15/12", [("--12-15", Y)], "trước ngày 15/12"),
    ("gửi báo cáo năm trước ngày 10/12", [("--12-10", Y)], "trước ngày 10/12"),
    (
        "báo cáo trước ngày 20 tháng 11 hằng năm",
        [("--11-20", Y)],
        "trước ngày 20 tháng 11 hằng năm",
    ),
    ("báo cáo 6 tháng đầu năm trước ngày 30 tháng 5", [("--05-30", H)], "trước ngày 30 tháng 5"),
    ("báo cáo 9 tháng trước ngày 20/9", [("--09-20", N)], "trước ngày 20/9"),
    # quarterly and monthly deadlines written as a day: no month-day value
    (
        "hằng quý, gửi trước ngày 20 của tháng cuối quý",
        [(None, Q)],
        "trước ngày 20 của tháng cuối quý",
    ),
    ("hằng tháng gửi số liệu trước ngày 25", [(None, M)], "trước ngày 25"),
    ("gửi số liệu trước ngày 5 hằng tháng", [(None, M)], "trước ngày 5 hằng tháng"),
    # two dates in one sentence, each with its own recurrence
    (
        "Định kỳ 06 tháng và hằng năm, gửi báo cáo 6 tháng trước ngày 15/6 "
        "và báo cáo năm trước ngày 10/12",
        [("--06-15", H), ("--12-10", Y)],
        "trước ngày 15/6",
    ),
]


@pytest.mark.parametrize(("text", "expected", "phrase"), DEADLINES)
def test_deadline_forms(text: str, expected: list[tuple[str | None, Frequency]], phrase: str):
    found = find_deadlines(text, doc_date=LETTER)
    assert [(d.value, d.frequency) for d in found] == expected
    assert found[0].text == phrase
    assert text[found[0].start : found[0].end] == phrase


@pytest.mark.parametrize(("text", "expected", "phrase"), DEADLINES)
def test_deadline_forms_nfd(text: str, expected: list[tuple[str | None, Frequency]], phrase: str):
    found = find_deadlines(unicodedata.normalize("NFD", text), doc_date=LETTER)
    assert [(d.value, d.frequency) for d in found] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # one marker, two dates; the recurrence before the marker governs both
        (
            "định kỳ 6 tháng, báo cáo trước ngày 10/6 và ngày 10/12 hằng năm",
            [("--06-10", H), ("--12-10", H)],
        ),
        ("báo cáo trước ngày 15/6 và 15/12 hằng năm", [("--06-15", Y), ("--12-15", Y)]),
        ("gửi trước ngày 15/12/2024, 20/12/2024", [("2024-12-15", ONE), ("2024-12-20", ONE)]),
        # the last day of a period
        ("hoàn thành trong quý III/2025", [("2025-09-30", ONE)]),
        ("thời hạn hoàn thành: trong năm 2025", [("2025-12-31", ONE)]),
        ("Trong năm 2024, hoàn thành việc kết nối", [("2024-12-31", ONE)]),
        ("xong trong tháng 2/2024", [("2024-02-29", ONE)]),
    ],
)
def test_coordinated_and_period_end_deadlines(text: str, expected: list):
    assert [(d.value, d.frequency) for d in find_deadlines(text, doc_date=LETTER)] == expected


def test_coordinated_date_phrase_starts_at_the_date():
    second = find_deadlines("báo cáo trước ngày 10/6 và ngày 10/12", doc_date=LETTER)[1]
    assert second.text == "ngày 10/12"


@pytest.mark.parametrize(
    "text",
    [
        "Trong năm 2024, các bộ đã triển khai nhiều nhiệm vụ",  # a fronted period, no deadline
        "số liệu tính đến hết ngày 31/12/2024",  # cut-off date
        "số liệu tính từ ngày 01/01/2024",
        "Nghị định có hiệu lực từ ngày 01/7/2025",  # effective date
        "kể từ ngày 15/3/2025 các cơ quan áp dụng",
        "Chỉ thị số 33/CT-TTg ngày 26/11/2021 của Thủ tướng",  # date of a cited document
        "Kế hoạch số 12/KH-UBND, ngày 05/3/2024",
        "Chương trình giai đoạn 2021 - 2025",  # programme period
        "các văn bản đã ban hành trước ngày 01/7/2025",  # past event
        "trước mắt tập trung rà soát",  # "trước" without a date
        "trước ngày 31/02/2025",  # no such day
        "gửi trước ngày 15/13",  # no such month
    ],
)
def test_not_deadlines(text: str):
    assert find_deadlines(text, doc_date=LETTER) == []


def test_year_less_without_document_date_stays_month_day():
    [d] = find_deadlines("gửi ý kiến trước ngày 15/01", doc_date=None)
    assert (d.value, d.frequency) == ("--01-15", None)


def test_day_only_keeps_the_day():
    [d] = find_deadlines("hằng tháng, gửi trước ngày 25", doc_date=LETTER)
    assert (d.day, d.value) == (25, None)


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("gửi Sở Nội vụ theo thời gian đề nghị và đề cương", "theo thời gian đề nghị"),
        ("gửi theo thời hạn tại Văn bản số 12/UBND-VX", "theo thời hạn tại Văn bản"),
        ("báo cáo theo yêu cầu tại Công văn số 5/BNV", "theo yêu cầu tại Công văn"),
        ("đúng thời hạn quy định tại Kế hoạch số 7/KH-UBND", "đúng thời hạn quy định tại Kế hoạch"),
    ],
)
def test_delegations(text: str, phrase: str):
    [(s, e)] = find_delegations(text)
    assert text[s:e] == phrase
    [d] = find_deadlines(text, doc_date=LETTER)
    assert d.delegated and d.value is None


@pytest.mark.parametrize(
    "text",
    [
        "giải quyết hồ sơ đảm bảo thời gian quy định",
        "hoàn thành đúng tiến độ theo chỉ đạo",
        "theo yêu cầu của Ban Chỉ đạo",
        "báo cáo Thủ tướng Chính phủ theo quy định",
    ],
)
def test_generic_phrases_are_not_delegations(text: str):
    assert find_delegations(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("định kỳ hằng năm", [Y]),
        ("Định kỳ, hằng năm tổ chức", [Y]),
        ("định kỳ 06 tháng và hằng năm", [H, Y]),
        ("hàng quý, 6 tháng, 9 tháng, năm", [Q, H, N, Y]),
        ("báo cáo quý", [Q]),
        ("mỗi tháng một lần", [M]),
        ("báo cáo năm gửi trước", [Y]),
        ("định kỳ báo cáo Ban Thường vụ", [Frequency.PERIODIC]),  # bare "định kỳ"
        ("định kỳ gửi báo cáo trước ngày 15/12", [Frequency.PERIODIC]),
        ("báo cáo thường niên", [Y]),
        # a year attached makes a period, not a recurrence
        ("báo cáo 6 tháng đầu năm 2024", []),
        ("báo cáo năm 2023", []),
        ("trong 9 tháng năm 2024", []),
    ],
)
def test_frequencies(text: str, expected: list[Frequency]):
    assert [m.frequency for m in find_frequencies(text)] == expected


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("giai đoạn 2021 - 2025", "2021-01-01", "2025-12-31"),
        ("giai đoạn 2021–2030", "2021-01-01", "2030-12-31"),
        ("từ ngày 01/01/2024 đến hết ngày 30/11/2024", "2024-01-01", "2024-11-30"),
        ("6 tháng đầu năm 2024", "2024-01-01", "2024-06-30"),
        ("6 tháng cuối năm 2024", "2024-07-01", "2024-12-31"),
        ("9 tháng năm 2024", "2024-01-01", "2024-09-30"),
        ("quý I/2025", "2025-01-01", "2025-03-31"),
        ("quý IV năm 2024", "2024-10-01", "2024-12-31"),
        ("báo cáo năm 2023", "2023-01-01", "2023-12-31"),
    ],
)
def test_periods(text: str, first: str, last: str):
    [p] = find_periods(text.replace("–", "-"))
    assert (p.first.isoformat(), p.last.isoformat()) == (first, last)


@pytest.mark.parametrize(
    ("month", "day", "recurring", "doc_date", "expected"),
    [
        (12, 15, True, LETTER, "--12-15"),
        (1, 15, False, LETTER, "2025-01-15"),  # roll-over past the issue date
        (12, 20, False, LETTER, "2024-12-20"),  # the issue day itself is not past
        (12, 15, False, None, "--12-15"),
        (2, 29, False, dt.date(2023, 3, 1), "2024-02-29"),
        (2, 30, False, LETTER, None),
    ],
)
def test_month_day_value(month, day, recurring, doc_date, expected):
    assert month_day_value(month, day, recurring=recurring, doc_date=doc_date) == expected


def test_regression_half_year_with_year_is_not_a_frequency():
    # "6 tháng đầu năm 2024" once fell back to a bare "6 tháng" (half-yearly).
    assert find_frequencies("gửi báo cáo 6 tháng đầu năm 2024") == []


def test_bare_periodic_with_day_and_month_recurs_yearly() -> None:
    # regression: a bare "định kỳ" is PERIODIC, but a recurring day-and-month is yearly
    [d] = find_deadlines("định kỳ gửi báo cáo trước ngày 15/12")
    assert (d.value, d.frequency) == ("--12-15", Frequency.YEARLY)
