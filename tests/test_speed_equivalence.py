"""Equivalence tests for the extraction speed-up: faster scans, the same answers.

* ``clean.join_lines`` tries its pattern only before line breaks: it must find exactly
  the matches of ``finditer`` over the whole text.
* ``obligations._sentences`` matches a sentence's final mark instead of looking behind
  for it: the sentences must stay the same (abbreviations, numbering dots, "./.").
* Obligations and citations of tricky inputs (PDF line wraps, a colon break, a/b/c
  lists, a table, two dates after one marker) were recorded before the change, NFC
  and NFD.
* A 1 MB text without line breaks is extracted in bounded CPU time.
"""

from __future__ import annotations

import random
import time
import unicodedata
from typing import Literal

import pytest

from ingest.clean import _join_pattern, _line_breaks, clean, join_lines
from ingest.extract import extract_text
from ingest.obligations import _sentences

Form = Literal["NFC", "NFD"]
FORMS: tuple[Form, ...] = ("NFC", "NFD")

# --- join_lines: candidate positions only ------------------------------------------------

# Pieces that exercise every part of the join pattern: blanks before a break, blank lines,
# sentence marks before a break, structural line starts, a short heading line.
_JOIN_PIECES = (
    "\n",
    " ",
    "\t",
    ".",
    ";",
    ":",
    "a",
    "B",
    "1.",
    "a)",
    "Nơi nhận",
    "PHỤ LỤC",
    "- ",
    "Điều 2",
    "ABCDEFGHIJKLMN",
    "báo cáo",
    "20.9.2024",
)


def _random_texts(n: int, seed: int) -> list[str]:
    rnd = random.Random(seed)
    return ["".join(rnd.choice(_JOIN_PIECES) for _ in range(rnd.randint(0, 40))) for _ in range(n)]


@pytest.mark.parametrize(
    "text",
    [
        "gửi báo cáo\nvề Sở Nội vụ",
        "Hết câu.\n\nCâu mới viết thường\ntiếp",
        "a.\n\nb",
        "dòng có dấu cách   \n   tiếp theo",
        "Chế độ báo cáo\nCác sở gửi",
        "kết quả\n1. Sở Nội vụ",
        "ngày\n20.9.2024 vừa qua",
        "",
        "\n\n\n",
        *_random_texts(400, seed=3),
    ],
)
def test_line_breaks_equal_finditer(text: str) -> None:
    expected = [(m.start(), m.end()) for m in _join_pattern().finditer(text)]
    assert [(m.start(), m.end()) for m in _line_breaks(text)] == expected


@pytest.mark.parametrize(
    ("text", "joined"),
    [
        (
            "gửi báo cáo kết quả\nthực hiện về Sở Nội vụ.",
            "gửi báo cáo kết quả thực hiện về Sở Nội vụ.",
        ),
        ("Hết câu.\nCâu sau.", "Hết câu.\nCâu sau."),
        ("Chế độ báo cáo\nCác sở gửi", "Chế độ báo cáo\nCác sở gửi"),
        ("nội dung như sau\na) Rà soát", "nội dung như sau\na) Rà soát"),
    ],
)
def test_join_lines_rows(text: str, joined: str) -> None:
    mt = join_lines(clean(text))
    assert mt.text == joined
    assert mt.span(0, len(mt.text)).text == text


# --- sentences ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Câu một. Câu hai.", ["Câu một.", "Câu hai."]),
        ("Gửi UBND TP. Hồ Chí Minh trước ngày 5/6.", ["Gửi UBND TP. Hồ Chí Minh trước ngày 5/6."]),
        ("1. Sở Nội vụ\n2. Sở Tài chính", ["1. Sở Nội vụ", "2. Sở Tài chính"]),
        ("Hết.\n\nMới bắt đầu.", ["Hết.", "Mới bắt đầu."]),
        ("Hết.\nMới. 2024 là năm", ["Hết.", "Mới.", "2024 là năm"]),
        ("Kết thúc./. Nơi nhận", ["Kết thúc.", "Nơi nhận"]),
        ("gửi về Bộ Nội vụ:\nbáo cáo năm", ["gửi về Bộ Nội vụ:\nbáo cáo năm"]),
        ("gửi về Bộ Nội vụ:\nBáo cáo năm", ["gửi về Bộ Nội vụ:", "Báo cáo năm"]),
        ("các nội dung sau:\na) Rà soát", ["các nội dung sau:", "a) Rà soát"]),
        ("Thật sao? Đúng vậy! “Trích”", ["Thật sao?", "Đúng vậy!", "“Trích”"]),
        ("Xem mục a. Tiếp", ["Xem mục a.", "Tiếp"]),
    ],
)
def test_sentences_rows(text: str, expected: list[str]) -> None:
    assert [text[s:e] for s, e in _sentences(text)] == expected


# --- obligations and citations of tricky inputs --------------------------------------------

_HEAD = (
    "UBND TỈNH AN GIANG\nSỞ NỘI VỤ\nSố: 125/SNV-TCBC\n"
    "An Giang, ngày 10 tháng 3 năm 2024\nKính gửi: Các sở, ban, ngành tỉnh\n"
)
_ADDRESSEES = "Các sở, ban, ngành tỉnh"

Row = tuple[str, str | None, str | None, str | None, str | None]

_OBLIGATION_ROWS: list[tuple[str, str, list[Row]]] = [
    (
        "pdf-wrap",
        "Căn cứ Chỉ thị số 15/CT-TTg ngày 22 tháng 6 năm 2023 của Thủ tướng Chính phủ,\n"
        "Sở Nội vụ đề nghị các sở, ban, ngành gửi báo cáo kết quả\n"
        "thực hiện về Sở Nội vụ trước ngày 15/12/2024.\n",
        [
            (
                "các sở, ban, ngành",
                "gửi báo cáo kết quả thực hiện",
                "Sở Nội vụ",
                "2024-12-15",
                "once",
            )
        ],
    ),
    (
        "colon-break",
        "Đề nghị các cơ quan gửi báo cáo về Sở Nội vụ:\n\n"
        "báo cáo 6 tháng trước ngày 15/6 và báo cáo năm trước ngày 15/12 hằng năm.\n",
        [
            (_ADDRESSEES, "gửi báo cáo", "Sở Nội vụ", "--06-15", "half-yearly"),
            (_ADDRESSEES, "gửi báo cáo năm", "Sở Nội vụ", "--12-15", "yearly"),
        ],
    ),
    (
        "list-abc",
        "Sở Nội vụ đề nghị Sở Tài chính thực hiện các nội dung sau:\n"
        "a) Rà soát biên chế, gửi kết quả về Sở Nội vụ trước ngày 30/4/2024;\n"
        "b) Xây dựng kế hoạch năm 2025, gửi Sở Nội vụ trước ngày 20/5/2024;\n"
        "c) Định kỳ hằng quý, báo cáo Ủy ban nhân dân tỉnh trước ngày 20 của tháng cuối quý.\n",
        [
            ("Sở Tài chính", "gửi kết quả", "Sở Nội vụ", "2024-04-30", "once"),
            ("Sở Tài chính", "gửi kế hoạch", "Sở Nội vụ", "2024-05-20", "once"),
            (
                "Sở Tài chính",
                "báo cáo (trước ngày 20 của tháng cuối quý)",
                "Ủy ban nhân dân tỉnh",
                None,
                "quarterly",
            ),
        ],
    ),
    (
        "table-row-skipped",
        "STT\tĐơn vị\tThời hạn\n1\tSở Tài chính\ttrước ngày 15/12/2024\n"
        "Các sở, ngành gửi báo cáo về Sở Nội vụ trước ngày 01/12/2024.\n",
        [("Các sở, ngành", "gửi báo cáo", "Sở Nội vụ", "2024-12-01", "once")],
    ),
    (
        "two-dates-paired",
        "Định kỳ 06 tháng và hằng năm, các sở, ngành gửi báo cáo về Sở Nội vụ "
        "trước ngày 15/6 và 15/12.\n",
        [
            (_ADDRESSEES, "gửi báo cáo", "Sở Nội vụ", "--06-15", "half-yearly"),
            (_ADDRESSEES, "gửi báo cáo", "Sở Nội vụ", "--12-15", "yearly"),
        ],
    ),
    (
        "no-marker-no-deadline",
        "Năm 2023, Sở Nội vụ đã tổ chức 12 hội nghị vào tháng 6 và tháng 9.\n",
        [],
    ),
]


@pytest.mark.parametrize(("name", "body", "expected"), _OBLIGATION_ROWS, ids=lambda v: str(v)[:20])
@pytest.mark.parametrize("form", FORMS)
def test_obligation_rows(name: str, body: str, expected: list[Row], form: Form) -> None:
    result = extract_text(unicodedata.normalize(form, _HEAD + body))
    (doc,) = result.documents
    got = [
        (
            o.bearer,
            o.action,
            o.recipient,
            o.deadline,
            str(o.frequency) if o.frequency else None,
        )
        for o in doc.obligations
    ]
    assert [tuple(unicodedata.normalize("NFC", v) if v else v for v in r) for r in got] == expected
    for o in doc.obligations:
        assert result.source_text[o.span.start : o.span.end] == o.span.text


@pytest.mark.parametrize("form", FORMS)
def test_citation_row_wrapped(form: Form) -> None:
    body = _OBLIGATION_ROWS[0][1]
    result = extract_text(unicodedata.normalize(form, _HEAD + body))
    (doc,) = result.documents
    got = [
        (c.symbol, c.date.isoformat() if c.date else None, str(c.relation)) for c in doc.citations
    ]
    assert got == [("15/CT-TTg", "2023-06-22", "based_on")]


# --- bounded time on a long line ------------------------------------------------------------


@pytest.mark.slow
def test_one_megabyte_line_bounded_cpu() -> None:
    unit = (
        "Các sở, ngành gửi báo cáo về Sở Nội vụ trước ngày 15/12/2024 theo Chỉ thị số "
        "15/CT-TTg ngày 22/6/2023; "
    )
    text = unit * (1_000_000 // len(unit.encode("utf-8")) + 1)
    t0 = time.process_time()
    result = extract_text(text)
    assert time.process_time() - t0 < 30
    assert sum(len(d.obligations) for d in result.documents) > 1000
