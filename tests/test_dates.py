"""Dates in every official form; periods, ratios and invalid days never parse."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
import regex

from ingest.dates import DATE_PATTERN, date_regex, find_dates, parse_date

D = dt.date

PARSED = [
    ("26/11/2021", D(2021, 11, 26)),
    ("26-11-2021", D(2021, 11, 26)),  # older Party texts
    ("26.11.2021", D(2021, 11, 26)),  # press style
    ("3/6/2013", D(2013, 6, 3)),  # single-digit day and month
    ("03/6/2013", D(2013, 6, 3)),
    ("5/7/2024", D(2024, 7, 5)),
    ("26 tháng 11 năm 2021", D(2021, 11, 26)),
    ("ngày 26 tháng 11 năm 2021", D(2021, 11, 26)),
    ("Ngày 06 tháng 02 năm 2017", D(2017, 2, 6)),
    ("NGÀY 26 THÁNG 11 NĂM 2021", D(2021, 11, 26)),
    ("ngày 03 / 04 /2023", D(2023, 4, 3)),  # spaces around separators
    ("27 tháng 02. năm 2025", D(2025, 2, 27)),  # stray period from PDF extraction
    ("ngày 5 tháng 1\nnăm 2022", D(2022, 1, 5)),  # wrapped line
    ("03/6/20132", D(2013, 6, 3)),  # footnote digit glued on the year
    ("ngày 01-10-1997", D(1997, 10, 1)),
    ("29/02/2024", D(2024, 2, 29)),
]


@pytest.mark.parametrize(("text", "expected"), PARSED)
def test_parse_date(text: str, expected: dt.date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(("text", "expected"), PARSED)
def test_parse_date_nfd(text: str, expected: dt.date) -> None:
    assert parse_date(unicodedata.normalize("NFD", text)) == expected


NOT_DATES = [
    "2021-2030",
    "2021 - 2026",
    "37/63",
    "05/30 bộ",
    "1.158.760/1.670.220",
    "31/2/2021",  # no such day
    "29/02/2023",
    "32/1/2020",
    "12/13/2020",
    "03/6/201",  # three-digit year
    "03/6/2013456",  # more than two glued digits: not a footnote
    "1.1.2",
    "III.8",
    "ISO 9001:2015",
    "15/12",  # no year: a deadline, not a date
    "26/11-2021",  # mixed separators
    "ngày..……tháng………năm…..",
]


@pytest.mark.parametrize("text", NOT_DATES)
def test_not_a_date(text: str) -> None:
    assert parse_date(text) is None
    assert find_dates(text) == []


def test_find_dates_offsets_exclude_footnote_digits() -> None:
    text = "ngày 03/6/20132 và 15/12/2021."
    found = find_dates(text)
    assert [(text[s:e], d) for s, e, d in found] == [
        ("03/6/2013", D(2013, 6, 3)),
        ("15/12/2021", D(2021, 12, 15)),
    ]


def test_find_dates_range() -> None:
    text = "25/4/2024; 26/11/2021"
    assert [d for _, _, d in find_dates(text, 11)] == [D(2021, 11, 26)]
    assert [d for _, _, d in find_dates(text, 0, 9)] == [D(2024, 4, 25)]


def test_date_glued_to_next_word() -> None:
    # "ngày 26/5/2023của UBND": PDF extraction lost the space
    assert [d for _, _, d in find_dates("ngày 26/5/2023của UBND")] == [D(2023, 5, 26)]


def test_date_regex_is_cached() -> None:
    assert date_regex() is date_regex()


def test_date_pattern_string_embeds() -> None:
    rx = regex.compile(r"ngày\s*(?:" + DATE_PATTERN + r")", regex.V1 | regex.IGNORECASE)
    m = rx.search("ký ngày 26/11/2021")
    assert m is not None and (m.group("d"), m.group("m"), m.group("y")) == ("26", "11", "2021")
