"""Regressions of the deadline misses found on synthetic and PDF-wrapped text.

Each row is a sentence shape of official directives (written for these tests) that once
lost its deadline or its bearer, or one that must never become a deadline. Every row runs
on NFC and NFD input, and on a PDF-style layout where each line is followed by a blank
line ("… về Sở Nội vụ: báo \\n\\ncáo …").
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Literal

import pytest

from ingest.clean import clean
from ingest.deadlines import find_deadlines, find_frequencies
from ingest.models import Obligation
from ingest.obligations import find_obligations
from ontology.terms import Frequency

Form = Literal["NFC", "NFD"]
FORMS: tuple[Form, ...] = ("NFC", "NFD")
ISSUED = dt.date(2025, 3, 10)
H, Y, Q, ONCE = Frequency.HALF_YEARLY, Frequency.YEARLY, Frequency.QUARTERLY, Frequency.ONCE


def pdf_wrap(text: str, width: int = 48) -> str:
    """Break ``text`` into lines of about ``width`` characters, each followed by a blank line.

    The break goes after a space, as PDF extraction leaves it ("báo \\n\\ncáo").
    """
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        if line and len(line) + len(word) > width:
            lines.append(line)
            line = ""
        line += word + " "
    lines.append(line.rstrip())
    return "\n\n".join(lines)


def obligations(
    text: str, form: Form, *, recipients: tuple[str, ...] = (), doc_date: dt.date = ISSUED
) -> list[Obligation]:
    source = unicodedata.normalize(form, text)
    mt = clean(source)
    found = find_obligations(
        mt, 0, len(mt.text), doc_date=doc_date, recipients=recipients, citations=()
    )
    for o in found:
        assert o.span.text == source[o.span.start : o.span.end]
    return found


def nfc(value: str | None) -> str | None:
    return None if value is None else unicodedata.normalize("NFC", value)


def facts(found: list[Obligation]) -> list[tuple[str | None, ...]]:
    return [
        (nfc(o.bearer), nfc(o.recipient), o.deadline, o.frequency.value if o.frequency else None)
        for o in found
    ]


# (label, text, [(bearer, recipient, deadline, frequency), …])
FIXED = [
    (
        # A fronted recurrence puts the bearer after a comma; a colon splits the duty from
        # the list of reports and their deadlines.
        "fronted recurrence, colon, two deadlines",
        "Định kỳ 6 tháng và hằng năm, các sở, ban, ngành gửi báo cáo về Sở Nội vụ: báo cáo "
        "6 tháng đầu năm trước ngày 20/6, báo cáo năm trước ngày 20/12.",
        [
            ("các sở, ban, ngành", "Sở Nội vụ", "--06-20", "half-yearly"),
            ("các sở, ban, ngành", "Sở Nội vụ", "--12-20", "yearly"),
        ],
    ),
    (
        # One "trước ngày" shared by two dates; the recurrences listed before them pair
        # with the dates in order.
        "shared 'ngày', paired recurrences",
        "Định kỳ 06 tháng và hằng năm, Ủy ban nhân dân các phường báo cáo kết quả về Ủy ban "
        "nhân dân quận trước ngày 10/6 và 10/12.",
        [
            ("Ủy ban nhân dân các phường", "Ủy ban nhân dân quận", "--06-10", "half-yearly"),
            ("Ủy ban nhân dân các phường", "Ủy ban nhân dân quận", "--12-10", "yearly"),
        ],
    ),
    (
        "fronted 'Hằng năm', Party bearer 'các chi bộ, đảng bộ cơ sở'",
        "Hằng năm, các chi bộ, đảng bộ cơ sở báo cáo kết quả thực hiện về Đảng ủy phường "
        "trước ngày 25/11 để tổng hợp.",
        [("các chi bộ, đảng bộ cơ sở", "Đảng ủy phường", "--11-25", "yearly")],
    ),
    (
        # "trực thuộc" ends the name: "thuộc" was trimmed as a dangling connector.
        "'trực thuộc' kept in the bearer",
        "Định kỳ hằng năm, các đảng ủy trực thuộc gửi báo cáo về Ban Thường vụ Huyện ủy "
        "trước ngày 05/12.",
        [("các đảng ủy trực thuộc", "Ban Thường vụ Huyện ủy", "--12-05", "yearly")],
    ),
    (
        "fronted one-off deadline",
        "Trước ngày 30/6/2025, Sở Tài chính gửi báo cáo về Ủy ban nhân dân tỉnh.",
        [("Sở Tài chính", "Ủy ban nhân dân tỉnh", "2025-06-30", "once")],
    ),
    (
        # "TP." is an abbreviation inside the recipient, not a sentence end.
        "'TP.' inside the recipient",
        "Hằng năm, Sở Y tế gửi báo cáo về Ủy ban nhân dân TP. Hồ Chí Minh trước ngày 15/12.",
        [("Sở Y tế", "Ủy ban nhân dân TP. Hồ Chí Minh", "--12-15", "yearly")],
    ),
    (
        # An effective date fronted before the duty is not a deadline.
        "fronted effective date",
        "Kể từ ngày 01/7/2025, Ủy ban nhân dân các xã gửi báo cáo về Phòng Nội vụ trước ngày "
        "25/12 hằng năm.",
        [("Ủy ban nhân dân các xã", "Phòng Nội vụ", "--12-25", "yearly")],
    ),
]


@pytest.mark.parametrize("wrapped", [False, True], ids=["one-line", "pdf-wrapped"])
@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(("label", "text", "expected"), FIXED, ids=[r[0] for r in FIXED])
def test_fixed_patterns(label: str, text: str, expected: list, form: Form, wrapped: bool):
    source = pdf_wrap(text) if wrapped else text
    assert facts(obligations(source, form)) == expected, label


def test_pdf_wrap_breaks_inside_words_of_the_sentence():
    """The wrapped layout really puts a blank line inside the sentence (test of the test)."""
    wrapped = pdf_wrap(FIXED[0][1])
    assert wrapped.count("\n\n") >= 2 and ": " in wrapped.replace("\n\n", " ")


@pytest.mark.parametrize("form", FORMS)
def test_colon_wrap_exactly_after_the_colon(form: Form):
    """A PDF line break right after the colon: the list of reports goes on in lower case."""
    text = (
        "Định kỳ 6 tháng và hằng năm, các huyện gửi báo cáo về Sở Nội vụ: \n\n"
        "báo cáo 6 tháng trước ngày 05/6, báo cáo năm trước ngày 05/12."
    )
    assert [o.deadline for o in obligations(text, form)] == ["--06-05", "--12-05"]


@pytest.mark.parametrize("form", FORMS)
def test_lettered_points_after_a_colon_stay_separate(form: Form):
    """ "a)" after a colon starts a point of its own; the intro names the bearer."""
    text = (
        "Các sở, ngành có trách nhiệm:\n\n"
        "a) gửi báo cáo về Sở Nội vụ trước ngày 10/12/2025;\n\n"
        "b) gửi danh sách về Sở Tài chính trước ngày 20/12/2025."
    )
    assert facts(obligations(text, form)) == [
        ("Các sở, ngành", "Sở Nội vụ", "2025-12-10", "once"),
        ("Các sở, ngành", "Sở Tài chính", "2025-12-20", "once"),
    ]


@pytest.mark.parametrize("form", FORMS)
def test_fronted_subject_yields_to_the_letters_addressees(form: Form):
    """In a letter the "Kính gửi" addressees answer for a duty phrased after a fronted time."""
    text = "Hằng năm, Ủy ban nhân dân các xã gửi báo cáo về Phòng Nội vụ trước ngày 10/12."
    found = obligations(text, form, recipients=("Ủy ban nhân dân các huyện",))
    assert facts(found) == [("Ủy ban nhân dân các huyện", "Phòng Nội vụ", "--12-10", "yearly")]


@pytest.mark.parametrize("form", FORMS)
def test_opinion_intro_is_not_a_bearer(form: Form):
    """ "Chủ tịch UBND tỉnh có ý kiến như sau:" introduces opinions, not the bearer."""
    text = (
        "Chủ tịch Ủy ban nhân dân tỉnh có ý kiến như sau:\n\n"
        "1. Định kỳ hằng năm, Ủy ban nhân dân các huyện báo cáo kết quả về Sở Nội vụ "
        "trước ngày 01/12."
    )
    assert facts(obligations(text, form)) == [
        ("Ủy ban nhân dân các huyện", "Sở Nội vụ", "--12-01", "yearly")
    ]


# Dates that must never become deadlines, even with a duty in the same sentence.
NOT_DEADLINES = [
    (
        "cut-off date",
        "Số liệu tính đến ngày 30/6/2025, Ủy ban nhân dân các xã gửi về Phòng Nội vụ.",
        "2025-06-30",
    ),
    (
        "cut-off date, 'hết ngày'",
        "Hằng năm, các sở gửi số liệu tính đến hết ngày 31/10 về Sở Nội vụ.",
        "--10-31",
    ),
    (
        "effective date",
        "Quyết định này có hiệu lực từ ngày 15/8/2025; các sở, ngành tổ chức thực hiện.",
        "2025-08-15",
    ),
    (
        "programme period",
        "Trong giai đoạn 2021 - 2025, các chi bộ, đảng bộ cơ sở tổ chức sơ kết việc thực hiện.",
        "2025-12-31",
    ),
    (
        "past event after a fronted recurrence",
        "Định kỳ hằng năm, Ban Chỉ đạo tỉnh đã tổ chức kiểm tra tại các xã trước ngày 15/12.",
        "--12-15",
    ),
]


@pytest.mark.parametrize("wrapped", [False, True], ids=["one-line", "pdf-wrapped"])
@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("label", "text", "not_a_deadline"), NOT_DEADLINES, ids=[r[0] for r in NOT_DEADLINES]
)
def test_dates_that_are_not_deadlines(
    label: str, text: str, not_a_deadline: str, form: Form, wrapped: bool
):
    source = pdf_wrap(text) if wrapped else text
    deadlines = [o.deadline for o in obligations(source, form)]
    assert not_a_deadline not in deadlines, label
    assert all(d is None for d in deadlines), (label, deadlines)


# --- deadlines.find_deadlines / find_frequencies ---------------------------------------------

PAIRED = [
    # recurrences listed in the order of the dates sharing one marker
    (
        "Định kỳ 06 tháng và hằng năm, báo cáo trước ngày 15/6 và 15/12",
        [("--06-15", H), ("--12-15", Y)],
    ),
    ("hằng quý và hằng năm, gửi trước ngày 20/3 và ngày 20/12", [("--03-20", Q), ("--12-20", Y)]),
    # counts differ: the last recurrence before the marker governs every date
    (
        "hằng quý, 6 tháng và hằng năm, gửi trước ngày 15/6 và 15/12",
        [("--06-15", Y), ("--12-15", Y)],
    ),
    # one recurrence: it governs both dates
    ("định kỳ 6 tháng, báo cáo trước ngày 10/6 và ngày 10/12", [("--06-10", H), ("--12-10", H)]),
    # no recurrence: one-off dates in the year of the document (rolled over when past)
    ("gửi báo cáo trước ngày 15/6 và 15/12", [("2025-06-15", ONCE), ("2025-12-15", ONCE)]),
]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(("text", "expected"), PAIRED)
def test_paired_recurrences(text: str, expected: list, form: Form):
    found = find_deadlines(unicodedata.normalize(form, text), doc_date=ISSUED)
    assert [(d.value, d.frequency) for d in found] == expected


@pytest.mark.parametrize("form", FORMS)
def test_find_frequencies_results_are_not_shared(form: Form):
    """Recurrences are memoised per sentence: a caller's change must not leak."""
    text = unicodedata.normalize(form, "Định kỳ 06 tháng và hằng năm, gửi báo cáo")
    first = find_frequencies(text)
    first.clear()
    assert [m.frequency for m in find_frequencies(text)] == [H, Y]


@pytest.mark.parametrize(
    "text",
    [
        "THÁNG SAU, CÁC SỞ BÁO CÁO HẰNG QUÝ",  # upper case still matches
        "Báo cáo thường niên của các sở",
        "Định kỳ, các sở báo cáo",
    ],
)
def test_frequency_prefilter_keeps_every_form(text: str):
    """The syllable prefilter must not drop a recurrence the pattern finds."""
    assert find_frequencies(text), text


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    "text",
    [
        "gửi báo cáo chậm nhất ngày 09 tháng 02 năm 2026",  # "09 tháng" of a date
        "gửi báo cáo trước ngày 06 tháng 6 năm 2026",
        "gửi báo cáo trước 06 tháng 02 năm 2026",
    ],
)
def test_worded_dates_are_not_recurrences(text: str, form: Form):
    """The day and month of a worded date are not "9 tháng" / "6 tháng" (a recurrence)."""
    text = unicodedata.normalize(form, text)
    assert find_frequencies(text) == []
    assert [d.frequency for d in find_deadlines(text, doc_date=ISSUED)] == [ONCE]
