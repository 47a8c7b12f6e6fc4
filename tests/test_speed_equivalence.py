"""Equivalence tests for the extraction speed-up: faster scans, the same answers.

* ``clean.join_lines`` tries its pattern only before line breaks: it must find exactly
  the matches of ``finditer`` over the whole text.
* ``obligations._sentences`` matches a sentence's final mark instead of looking behind
  for it: the sentences must stay the same (abbreviations, numbering dots, "./.").
* Obligations and citations of tricky inputs (PDF line wraps, a colon break, a/b/c
  lists, a table, two dates after one marker) were recorded before the change, NFC
  and NFD.
* A 1 MB text without line breaks is extracted in bounded CPU time.
* Syllable screens (``obligations._screens``) never hold back a sentence a pattern
  matches in; the per-sentence syllables equal folding each sentence; extraction with
  every screen open gives the same obligations.
* Patterns tried only where their opening matches (recurrences, short and law
  mentions) find exactly what ``finditer`` finds.
* Header, split, tables and outline shortcuts (one split for ``segment_lines``, a
  lower-case test before the capitals tests, range tests before table scans, first
  character tests before the numbering pattern and folding, footnote range test) skip
  nothing the full tests would accept.
"""

from __future__ import annotations

import random
import time
import unicodedata
from typing import Literal

import pytest

from ingest import obligations, outline, tables
from ingest.citations import (
    _issuer_regex,
    _law_opening,
    _law_regex,
    _read_issuer,
    _read_title,
    _short_opening,
    _short_regex,
    _title_regex,
)
from ingest.clean import _join_pattern, _line_breaks, clean, fold, join_lines
from ingest.deadlines import (
    DATED_SYLLABLES,
    DELEGATION_SYLLABLES,
    FREQUENCY_SYLLABLES,
    _frequency_matches,
    _frequency_regex,
    find_deadlines,
    find_delegations,
    find_periods,
)
from ingest.extract import extract_text
from ingest.header import (
    Segment,
    _line_pieces,
    has_lower,
    is_authority_line,
    is_issuer_line,
    is_place_qualifier,
    segment_lines,
    type_title,
)
from ingest.obligations import (
    _Present,
    _rx,
    _screen_words,
    _screens,
    _sentence_syllables,
    _sentences,
)
from ingest.scan import scan

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
        # Blanks before a break after a sentence mark, a structural start, a heading:
        # the pattern is tried only at the first blank of the run.
        "Hết câu. \t \nTiếp",
        "tiếp  \t\n\n  1. Sở",
        "dòng \n  \n\t tiếp",
        "a;\t\nb",
        "   \nx",
        *_random_texts(1000, seed=4),
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


# --- syllable screens (obligations, deadlines) ----------------------------------------------
#
# Sentences are scanned with the full patterns only when they hold the syllables of some
# way of writing a trigger (``obligations._screens``). A screen may let through a sentence
# with nothing in it, never hold back one with something: every match of a screened
# pattern must be found by its screen.

# Pieces that make every screened pattern match somewhere (and miss): request verbs, duty
# phrases, recurrences, deadline markers, delegations, hand-over verbs, dates, upper case,
# words that contain a screen syllable without being the trigger ("công tác", "Nghị quyết").
_SCREEN_PIECES = (
    " ",
    "  ",
    "\n",
    ", ",
    "đề nghị",
    "ĐỀ NGHỊ",
    "Đề  nghị",
    "yêu cầu",
    "giao",
    "Giao",
    "chỉ đạo",
    "phân công",
    "công tác",
    "Nghị quyết",
    "có trách nhiệm",
    "có nhiệm vụ",
    "chủ trì",
    "phải",
    "cần",
    "Sở Nội vụ",
    "các sở",
    "báo cáo",
    "gửi",
    "nộp",
    "chuyển",
    "định kỳ",
    "hằng năm",
    "hàng quý",
    "mỗi tháng",
    "6 tháng",
    "06 tháng",
    "sáu tháng",
    "9 tháng",
    "nửa năm",
    "bán niên",
    "thường niên",
    "năm một lần",
    "tổng kết năm",
    "năm",
    "năm 2024",
    "quý I/2025",
    "ngày",
    "trước",
    "TRƯỚC NGÀY",
    "chậm nhất",
    "không quá",
    "hạn chót",
    "thời hạn:",
    "trong",
    "vào",
    "hoàn thành",
    "theo thời gian đề nghị",
    "theo yêu cầu tại Công văn",
    "đúng tiến độ",
    "15/12",
    "15/12/2024",
    "20 tháng 5",
    "25",
    "2024",
    ".",
    ";",
)


def _screen_texts(n: int, seed: int) -> list[str]:
    rnd = random.Random(seed)
    return [
        " ".join(rnd.choice(_SCREEN_PIECES) for _ in range(rnd.randint(1, 12))) for _ in range(n)
    ]


def _present(text: str) -> _Present:
    return _sentence_syllables(text, [(0, len(text))])[0]


_GROUPS = {
    "request": obligations._REQUEST_SYLLABLES,
    "duty": obligations._DUTY_SYLLABLES,
    "delivery": obligations._DELIVERY_SYLLABLES,
    "dated": DATED_SYLLABLES,
    "delegation": DELEGATION_SYLLABLES,
    "frequency": FREQUENCY_SYLLABLES,
}


def _open_present() -> _Present:
    """A sentence that holds every syllable of every group: every screen lets it through."""
    low = " ".join(w for groups in _GROUPS.values() for g in groups for w in g)
    return _Present(frozenset(_screen_words()), low, 0, len(low))


def _assert_screens_fold(text: str, bounds: list[tuple[int, int]]) -> None:
    """Each sentence's first syllables and each screen's answer, against folding it."""
    found = _sentence_syllables(text, bounds)
    for (s, e), present in zip(bounds, found, strict=True):
        low = text[s:e].casefold()
        assert present.words == frozenset(w for w in _screen_words() if w in low)
        for name, groups in _GROUPS.items():
            expected = any(all(w in low for w in g) for g in groups)
            assert _screens()[name].holds(present) == expected, name


@pytest.mark.parametrize("text", _screen_texts(600, seed=11))
@pytest.mark.parametrize("form", FORMS)
def test_screens_never_hold_back_a_match(text: str, form: Form) -> None:
    text = unicodedata.normalize(form, text)
    present = _present(text)
    screens = _screens()
    rx = _rx()
    if rx["request"].search(text):
        assert screens["request"].holds(present)
    if rx["duty"].search(text):
        assert screens["duty"].holds(present)
    if rx["delivery"].search(text):
        assert screens["delivery"].holds(present)
    if unicodedata.is_normalized("NFC", text):  # deadlines read NFC; the screen reads text
        if _frequency_regex().search(text):  # the pattern itself: find_frequencies screens
            assert screens["frequency"].holds(present)
        if find_delegations(text):
            assert screens["delegation"].holds(present)
        if find_deadlines(text) and not find_delegations(text):
            assert screens["dated"].holds(present)
            assert any(c.isdigit() for c in text)


@pytest.mark.parametrize(
    ("text", "bounds"),
    [
        ("Đề nghị các sở gửi báo cáo. Công tác năm 2024.", [(0, 27), (28, 48)]),
        ("giao\ngiao giao", [(0, 4), (5, 9), (10, 14)]),
        ("a gửi b", [(2, 7)]),  # an occurrence outside every sentence counts for none
        ("Straße: đề nghị gửi", [(0, 7), (8, 19)]),  # "ß" folds to "ss": per-sentence path
        ("phân công; công tác; Nhiệm vụ; có trách nhiệm", [(0, 9), (11, 19), (21, 29), (31, 45)]),
        ("báo cáo năm; năm 2024; hằng năm", [(0, 11), (13, 21), (23, 31)]),
        ("ĐỀ NGHỊ SỞ", [(0, 10)]),
        ("", []),
    ],
)
def test_sentence_syllables_rows(text: str, bounds: list[tuple[int, int]]) -> None:
    _assert_screens_fold(text, bounds)


@pytest.mark.parametrize("seed", range(4))
def test_sentence_syllables_random(seed: int) -> None:
    text = " ".join(_screen_texts(40, seed))
    _assert_screens_fold(text, _sentences(text))


# --- recurrences tried only at their opening syllables --------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Định kỳ 06 tháng và hằng năm, các sở gửi báo cáo",
        "ĐỊNH KỲ HẰNG QUÝ, báo cáo quý",
        "ngày 09 tháng 02 năm 2022 và 9 tháng đầu năm",
        "6 tháng đầu năm 2024; 6 tháng cuối năm",
        "báo cáo năm, tổng kết năm, năm một lần, thường niên, bán niên, nửa năm",
        "theo quý, quý, năm",
        "Straße hằng năm",  # casefold changes the length: the plain scan
        "hằng quý, năm 2020; tháng, năm\n2024; quý , năm",  # "năm" after a list, a year
        "109 tháng, 06\t tháng, 9\n\ntháng, chín THÁNG, Sáu tháng",
        "Hằng Năm, BÁO CÁO QUÝ, Tổng Kết Năm, theo  quý, Thường niên, Nửa năm, Bán niên",
        "năm một lần, năm nay, năm/2024, năm 1999",
        "quý, năm\x1c2024; quý, năm\u20282024; quý, năm\u00a02024",  # unusual blanks
        *_screen_texts(300, seed=12),
    ],
)
@pytest.mark.parametrize("form", FORMS)
def test_frequency_matches_equal_finditer(text: str, form: Form) -> None:
    text = unicodedata.normalize(form, text)
    expected = [(m.span(), m.lastgroup) for m in _frequency_regex().finditer(text)]
    got = [(m.span(), m.lastgroup) for m in _frequency_matches(text, text.casefold())]
    assert got == expected


@pytest.mark.parametrize(
    ("text", "periods"),
    [
        ("giai đoạn 2021 - 2025", [("2021-01-01", "2025-12-31")]),
        ("quý I/2025", [("2025-01-01", "2025-03-31")]),
        ("từ ngày 01/01/2024 đến ngày 30/6/2024", [("2024-01-01", "2024-06-30")]),
        ("báo cáo năm 1998", [("1998-01-01", "1998-12-31")]),
        ("6 tháng đầu năm, quý I, giai đoạn tới", []),  # no year: no period
    ],
)
def test_find_periods_rows(text: str, periods: list[tuple[str, str]]) -> None:
    got = [(p.first.isoformat(), p.last.isoformat()) for p in find_periods(text)]
    assert got == periods


# --- citations: short and law mentions tried only at their opening words --------------------

_CITATION_PIECES = (
    " ",
    "\n",
    ", ",
    "Chỉ thị",
    "Chỉ\nthị",
    "Nghị quyết",
    "Nghị định",
    "NQ",
    "QĐ",
    "CTr",
    "NQ 25",
    "CT 33",
    "KH số 12",
    "TTr 7",
    "Chỉ thị 33",
    "Nghị quyết số 25",
    "Nghị định 30/2020",
    "Thông báo kết luận 12",
    "số",
    "33",
    "30/2020",
    "6 tháng",
    "Luật",
    "Bộ luật",
    "Luật sư",
    "Luật Ngân sách nhà nước",
    "Luật sửa đổi, bổ sung một số điều của",
    "Hiến pháp",
    "Pháp lệnh",
    "Hiến pháp năm 2013",
    "Bộ luật Lao động năm 2019",
    "Pháp lệnh Dân số ngày 09/01/2003",
    "Luật Đất đai năm 2024",
    "năm 2013",
    "ngày 26/11/2021",
    "ChỉThị",
    "aChỉ thị",
    "-",
    "/",
)


def _citation_texts(n: int, seed: int) -> list[str]:
    rnd = random.Random(seed)
    return [
        "".join(rnd.choice(_CITATION_PIECES) for _ in range(rnd.randint(1, 14))) for _ in range(n)
    ]


@pytest.mark.parametrize("text", _citation_texts(500, seed=13))
@pytest.mark.parametrize("kind", ["short", "law"])
def test_citation_scan_equals_finditer(text: str, kind: str) -> None:
    pattern, opening = (
        (_short_regex(), _short_opening()) if kind == "short" else (_law_regex(), _law_opening())
    )
    for lo in (0, len(text) // 3):
        expected = [(m.span(), m.groups()) for m in pattern.finditer(text, lo, len(text))]
        got = [(m.span(), m.groups()) for m in scan(pattern, opening, text, lo, len(text))]
        assert got == expected


# --- whole extraction: the screens change nothing -------------------------------------------


def _obligation_dump(text: str) -> list[str]:
    return [repr(d.obligations) for d in extract_text(text).documents]


def _open_screens(text: str, bounds: list[tuple[int, int]]) -> list[_Present]:
    return [_open_present() for _ in bounds]


@pytest.mark.parametrize("name", [row[0] for row in _OBLIGATION_ROWS])
@pytest.mark.parametrize("form", FORMS)
def test_screens_change_no_obligation(
    name: str, form: Form, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Extraction with every screen open (every syllable present) gives the same answers."""
    body = next(row[1] for row in _OBLIGATION_ROWS if row[0] == name)
    texts = [unicodedata.normalize(form, _HEAD + body), *_screen_texts(20, seed=14)]
    screened = [_obligation_dump(t) for t in texts]
    monkeypatch.setattr(obligations, "_sentence_syllables", _open_screens)
    assert [_obligation_dump(t) for t in texts] == screened


# --- issuer and title beside a mention: a first-character test before the pattern ----------


@pytest.mark.parametrize(
    "tail",
    [
        " của Bộ Chính trị về tăng cường",
        ", của Thủ tướng Chính phủ",
        " \n của Ban Bí thư",
        ",\n\n, do Bộ Nội vụ ban hành",  # two commas: no issuer
        ",\n do Bộ Nội vụ ban hành",
        " giữa Bộ Nội vụ và Bộ Tài chính",
        " Của Bộ Chính trị",  # case matters for the issuer
        " của",
        "của Bộ",
        " về việc tăng cường",
        " V/v triển khai",
        " Về việc báo cáo",
        " VỀ CÔNG TÁC",
        ", “Kế hoạch năm 2025”",
        " \n“Đề án”",
        " (về công tác)",
        "",
        " ",
        " nay",
        "; về",
    ],
)
@pytest.mark.parametrize("form", FORMS)
def test_issuer_and_title_leads(tail: str, form: Form) -> None:
    """The first-character test refuses nothing the patterns read."""
    head = "Chỉ thị số 33/CT-TTg"
    text = head + unicodedata.normalize(form, tail)
    pos, stop = len(head), len(text)
    issuer = _issuer_regex().match(text, pos, stop)
    assert (_read_issuer(text, pos, stop) is None) == (issuer is None)
    title = _title_regex().match(text, pos, stop)
    expected = None
    if title is not None:
        raw = next(g for g in (title.group("q"), title.group("p"), title.group("q2")) if g)
        squashed = " ".join(raw.split()).rstrip(" ,")
        expected = (squashed[3:] if squashed[:3].lower() == "về " else squashed) or None
    assert _read_title(text, pos, stop) == expected


# --- header, split, tables, outline: shortcuts before the full tests -------------------------


def _segments_by_find(text: str, start: int, end: int) -> list[Segment]:
    """``segment_lines`` as it was: one search and one slice per line."""
    out: list[Segment] = []
    pos, index, gap = start, 0, False
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        line = text[pos:stop]
        if line.strip():
            for col, a, b in _line_pieces(line):
                s, e = pos + a, pos + b
                out.append(Segment(s, e, text[s:e], index, col, gap))
            index, gap = index + 1, False
        elif index:
            gap = True
        pos = stop + 1
    return out


_SEGMENT_TEXTS = [
    "",
    "\n",
    "BỘ NỘI VỤ\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\nSố: 12/BNV\n",
    "  \n\u00a0\u3000\n Kính gửi: Sở Nội vụ\n\n\n- Bộ Tài chính;   - Bộ Tư pháp\n",
    "Điều 1. Nội dung\n \t \nĐiều 2.\u2028tiếp\n\x0b\nkết thúc",
    "BỘ NỘI VỤBẢNG TỔNG HỢP\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAMĐộc lập",
]


@pytest.mark.parametrize("text", _SEGMENT_TEXTS)
@pytest.mark.parametrize("form", FORMS)
def test_segment_lines_equal_line_by_line(text: str, form: Form) -> None:
    """Splitting the range once gives the segments of the line-by-line scan."""
    t = unicodedata.normalize(form, text)
    for start, end in [(0, len(t)), (min(3, len(t)), len(t)), (0, max(0, len(t) - 2))]:
        assert segment_lines(t, start, end) == _segments_by_find(t, start, end)


@pytest.mark.parametrize(
    "line",
    [
        "BỘ NỘI VỤ",
        "Bộ Nội vụ",
        "ĐỀ CƯƠNG BÁO CÁO",
        "Đề cương báo cáo",
        "KT. BỘ TRƯỞNG",
        "TỈNH ĐỒNG NAI",
        "ỦY BAN NHÂN DÂN tỉnh",
        "BÁO CÁO",
        "QUYẾT ĐỊNH",
        "123",
        "",
    ],
)
@pytest.mark.parametrize("form", FORMS)
def test_lower_case_fails_every_capitals_test(line: str, form: Form) -> None:
    """``has_lower`` (split's first test) only refuses lines the capitals tests refuse."""
    t = unicodedata.normalize(form, line)
    if has_lower(t):
        assert not is_issuer_line(t)
        assert not is_authority_line(t)
        assert not is_place_qualifier(t)
        assert type_title(t) is None


_TABLE_TEXTS = [
    "Kính gửi: Sở Nội vụ.\nNội dung một dòng.",
    "STT\tĐơn vị\tSố văn bản\tNgày\n1\tBộ Quốc phòng\t1765/BC-BQP\t25/5/2024",
    "| STT | Đơn vị | Số văn bản |\n|---|---|---|\n| 1 | Bộ Tư pháp | 12/BC-BTP |",
    "STT  Tên cơ quan  Số văn bản  Ngày\n1  Bộ Tài chính  45/BC-BTC  01/6/2024",
    "STT\u00a0Tên cơ quan\u00a0Số văn bản\u00a0Ngày\n1\u00a0Bộ Y tế\u00a012/BC-BYT\u00a002/6/2024",
    "STT\u3000Đơn vị\u3000Số văn bản\n1\u3000Bộ Y tế\u300012/BC-BYT",
    "STT\rĐơn vị\rSố văn bản\n1\rBộ Y tế\r12/BC-BYT",
    "Đơn vị  có  hai  khoảng\n\n  thụt lề   đầu dòng",
]


@pytest.mark.parametrize("text", _TABLE_TEXTS)
@pytest.mark.parametrize("form", FORMS)
def test_table_range_tests_refuse_no_table(text: str, form: Form) -> None:
    """The range tests of ``find_submissions`` only skip scans that find nothing."""
    mt = clean(unicodedata.normalize(form, text))
    lines = tables._lines(mt, 0, len(mt.text))
    if not tables._may_hold_cells(mt.text, 0, len(mt.text)):
        assert tables._blocks(lines) == []
    if not tables._may_hold_spaced(mt.text, 0, len(mt.text)):
        assert tables._spaced_blocks(lines) == []
    full = [r for b in tables._blocks(lines) for r in tables._table_records(mt, b)]
    full += [r for b in tables._spaced_blocks(lines) for r in tables._spaced_records(mt, b)]
    assert tables.find_submissions(mt, 0, len(mt.text)) == full


@pytest.mark.parametrize(
    "line",
    [
        "I. KẾT QUẢ",
        "  IV) Nội dung",
        "XII- Tổng kết",
        "1. Kết quả",
        "\t12) Kết quả",
        "1.1 Kết quả",
        "a) Nội dung",
        "đ) Nội dung",
        "b. Nội dung",
        "b. nội dung",
        "\u0661. Nội dung",
        "\uff11. Nội dung",
        "- gạch đầu dòng",
        "Kết quả",
        "Điều 1. Phạm vi",
        "",
        "   ",
    ],
)
@pytest.mark.parametrize("form", FORMS)
def test_numbering_first_character(line: str, form: Form) -> None:
    """The first-character test of ``_numbering`` refuses no line the pattern reads."""
    t = unicodedata.normalize(form, line)
    assert (outline._numbering(t) is None) == (outline._heading_regex().match(t) is None)


@pytest.mark.parametrize(
    "line",
    [
        "ĐỀ CƯƠNG BÁO CÁO",
        "Đề cương báo cáo",
        "đề cương",
        "De cuong",
        "MẪU ĐỀ CƯƠNG",
        "Mẫu đề cương",
        "Kèm theo Công văn số 12/BNV",
        "KÈM THEO",
        "D\u0300E CUONG",
        "\u0301de cuong",
        "1. Kết quả",
        "Báo cáo",
        "",
    ],
)
@pytest.mark.parametrize("form", FORMS)
def test_folded_head_first_character(line: str, form: Form) -> None:
    """``_folded_head`` answers every prefix ``outline_start`` asks like folding does."""
    t = unicodedata.normalize(form, line)
    for prefix in ("de cuong", "mau de cuong", "kem theo"):
        assert outline._folded_head(t).startswith(prefix) == fold(t[:40]).startswith(prefix)


def _is_caps_by_loop(text: str) -> bool:
    letters = upper = 0
    for c in text:
        if c.isalpha():
            letters += 1
            upper += c.isupper()
    return letters >= 2 and upper >= 0.8 * letters


@pytest.mark.parametrize(
    "text",
    ["ĐỀ CƯƠNG BÁO CÁO", "I. KẾT QUẢ", "Kết quả", "KẾT QUẢ thực hiện", "A", "Ⅳ Ⓐ AB", "12"],
)
@pytest.mark.parametrize("form", FORMS)
def test_outline_is_caps_equals_loop(text: str, form: Form) -> None:
    t = unicodedata.normalize(form, text)
    assert outline._is_caps(t) == _is_caps_by_loop(t)


@pytest.mark.parametrize(
    "source",
    [
        "I. Kết quả\n1. Nội dung\n<sup>1</sup> Chú thích\na) mục",
        "I. Kết quả\n[^2]: Chú thích\n1. Nội dung",
        "I. Kết quả\n<SUP>3</SUP> Chú thích\n1. Nội dung",
        "I. Kết quả\n1. Nội dung\n2. Nội dung",
        "I. Kết quả\n**<sup>4</sup>** Chú thích",
    ],
)
@pytest.mark.parametrize("form", FORMS)
def test_footnote_range_test_refuses_no_footnote(source: str, form: Form) -> None:
    """When ``_may_hold_footnotes`` says no, no line is a footnote body."""
    mt = clean(unicodedata.normalize(form, source))
    lines = outline._text_lines(mt.text, 0, len(mt.text))
    if not outline._may_hold_footnotes(mt, lines):
        assert not any(outline._is_footnote(mt, ln) for ln in lines)
    else:
        assert "<" in mt.source or "[^" in mt.source
