"""Equivalence tests for the fourth extraction speed pass: each shortcut against its plain path.

* ``clean.join_lines`` finds its line breaks with ``_break_pattern`` (it opens with the
  line break, so the engine skips to each one) and rewrites them by ranges
  (``MappedText.rewrite_spans``): the same pass as ``_join_pattern().finditer`` and
  ``rewrite_matches``.
* ``obligations._sentence_end`` takes the blank lines after a line break along: the same
  sentences as the pattern without them (each blank line ended an empty sentence).
* ``obligations._marker_fits``: a sentence whose first character cannot open a list
  marker is not matched against the "list_marker" pattern (nor kept from ``_inert``).
* ``obligations._sentence_obligations`` slices the sentence body only for the deadline
  and recurrence readers, and reads recurrences only where some were found;
  ``_requests_in`` looks for the verb after a request only when it decides.
* Whole files extract the same with the plain paths patched in (NFC and NFD; Đ/đ).
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Literal

import pytest
import regex

from ingest import clean as clean_module
from ingest import obligations
from ingest.clean import (
    _join_pattern,
    _line_break_spans,
    _line_breaks,
    _short_line,
    clean,
    join_lines,
)
from ingest.extract import extract_text
from ingest.obligations import _marker_fits, _rx, _sentences
from ingest.textmap import MappedText

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "ingest" / "samples"

Form = Literal["NFC", "NFD"]
FORMS: tuple[Form, ...] = ("NFC", "NFD")

# Texts with line breaks of every kind: after clause marks (with blanks between), blank
# lines (with blanks on them), breaks before list items, headings, "Nơi nhận", capitals,
# lower case, "a)" points, tabs, a break at the very start and end, Đ/đ.
BREAK_ROWS = [
    "",
    "\n",
    "\n\n\n",
    "Đề nghị các đơn vị\ngửi báo cáo về Sở Nội vụ.",
    "Đề nghị các đơn vị  \n  \n\t gửi báo cáo về Sở Nội vụ.",
    "Kết quả thực hiện;\nđề nghị gửi trước ngày 15/12",
    "Kết quả thực hiện; \t \n\nđề nghị gửi",
    "Các nội dung sau:\na) Báo cáo năm\nb) Báo cáo quý",
    "Các nội dung sau:\n\na) đánh giá\nđ) kiến nghị",
    "Sở Tư pháp\n1. Sở Nội vụ\n2.1. Sở Y tế\nIV. TỔ CHỨC THỰC HIỆN",
    "ngày\n20.9.2024 đã họp",
    "Chế độ báo cáo\nĐơn vị gửi báo cáo\nNơi nhận:\n- Như trên;",
    "Kính gửi\nCăn cứ Luật\nĐiều 3 quy định\nChương II\nPHỤ LỤC\nPhụ lục 1",
    "một dòng rất dài của văn bản đã bị ngắt ở lề trang khi chuyển đổi từ PDF sang\nVăn bản",
    "BÁO CÁO KẾT QUẢ\nTHỰC HIỆN NHIỆM VỤ NĂM 2024\nđơn vị",
    "dòng\n- gạch đầu dòng\n+ dấu cộng\n• chấm tròn\n-không cách",
    "đầu\n   \n   \n",
    "a\nb\nc) d\nđ)\ne",
    "x\r\ny\n\x0bz\n\u00a0w",
    "Đ\nđ\nĐiều\nđiều 5",
]


def _spans(matches: object) -> list[tuple[int, int]]:
    return [m.span() for m in matches]  # type: ignore[attr-defined]


def _join_plain(mt: MappedText) -> MappedText:
    """``join_lines`` as it was: every match of the pattern, rewritten by ``repl``."""
    text = mt.text

    def repl(m: regex.Match[str]) -> str:
        if m.end() < len(text) and text[m.end()].isupper() and _short_line(text, m.start()):
            return m.group(0)
        return " "

    return mt.rewrite_matches(_join_pattern().finditer(text), repl)


def _pass_key(mt: MappedText) -> tuple[str, list[tuple[tuple[int, ...], tuple[int, ...]]]]:
    return mt.text, [(p.new, p.old) for p in mt.passes]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("text", BREAK_ROWS)
def test_line_break_spans_equal_finditer(text: str, form: Form) -> None:
    t = unicodedata.normalize(form, text)
    expected = _spans(_join_pattern().finditer(t))
    assert list(_line_break_spans(t)) == expected
    assert _spans(_line_breaks(t)) == expected


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("text", BREAK_ROWS)
def test_join_lines_equal_plain(text: str, form: Form) -> None:
    raw = unicodedata.normalize(form, text)
    for mt in (MappedText.identity(raw), clean(raw)):
        assert _pass_key(join_lines(mt)) == _pass_key(_join_plain(mt))


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        ("Đề nghị\ngửi\n\nbáo cáo", r"\n+"),
        ("a  b   c", r" +"),
        ("không đổi", r"x"),
        ("đầu\tgiữa\tcuối", r"\t"),
    ],
)
def test_rewrite_spans_equal_rewrite_matches(text: str, pattern: str) -> None:
    mt = clean(text)
    rx = regex.compile(pattern)
    edits = [(m.start(), m.end(), "·") for m in rx.finditer(mt.text)]
    assert _pass_key(mt.rewrite_spans(edits)) == _pass_key(mt.rewrite(rx, lambda m: "·"))


# --- sentences --------------------------------------------------------------------------------


def _plain_end() -> regex.Pattern[str]:
    """``_sentence_end`` without the blank lines taken along after a line break."""
    source = obligations._sentence_end().pattern
    taken = r")))[ \t\n]*|"
    assert source.count(taken) == 1
    return regex.compile(source.replace(taken, r")))|"), regex.V1)


def _sentences_plain(text: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    pos = 0
    for m in _plain_end().finditer(text):
        cut = m.start()
        obligations._add_sentence(text, pos, cut if text[cut] == "\n" else cut + 1, out)
        pos = m.end()
    obligations._add_sentence(text, pos, len(text), out)
    return out


SENTENCE_ROWS = [
    *BREAK_ROWS,
    "Sở Nội vụ đề nghị:\n\n\nbáo cáo 6 tháng trước ngày 15/6.\n\n\nĐơn vị gửi.",
    "Các đơn vị;\n\n  \n- gửi báo cáo;\n\n\t\n+ lập kế hoạch,\n\n1. Nơi nhận",
    "Thứ nhất.  \n\n  Thứ hai! \n\nThứ ba? Đ. đ.\n\n",
    "TP. Hồ Chí Minh\n\n\nIV. TỔ CHỨC\n\n2. Sở Y tế:\n\na) đánh giá",
    "văn bản số 12/BC-UBND ./. \n\nNơi nhận:",
]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("text", SENTENCE_ROWS)
def test_sentences_equal_plain(text: str, form: Form) -> None:
    raw = unicodedata.normalize(form, text)
    for t in (raw, clean(raw).text, join_lines(clean(raw)).text):
        assert _sentences(t) == _sentences_plain(t), repr(t)


# --- list markers -----------------------------------------------------------------------------

_MARKER_RESTS = (") x", ". x", ".1. x", "1) x", " x", "", ")", "x) y")
_NON_ASCII_FIRSTS = ("đ", "Đ", "•", "\u0661", "\u0966", "ơ", "Ủ", "²", "–", "Ⅳ", "ｄ")


@pytest.mark.parametrize("rest", _MARKER_RESTS)
def test_marker_fits_never_refuses_a_marker(rest: str) -> None:
    """Where ``_marker_fits`` says no, the pattern does not match either."""
    firsts = [chr(code) for code in range(0x21, 0x7F)] + list(_NON_ASCII_FIRSTS)
    for first in firsts:
        for t in (first + rest, unicodedata.normalize("NFD", first + rest)):
            if not t or t[0].isspace():
                continue
            for end in range(1, len(t) + 1):
                matched = _rx()["list_marker"].match(t, 0, end) is not None
                assert _marker_fits(t, 0, end) or not matched, (t, end)


@pytest.mark.parametrize(
    ("text", "fits"),
    [
        ("1. Sở Nội vụ", True),
        ("a) đánh giá", True),
        ("đ) kiến nghị", True),
        ("- gạch đầu dòng", True),
        ("• chấm", True),
        ("\u0661. số Ả Rập", True),
        ("Đề nghị các đơn vị", False),
        ("Ủy ban nhân dân", False),
        ("đề nghị", False),
        ("a", False),
        ("ab) x", False),
        ("Đ) x", False),
    ],
)
def test_marker_fits_rows(text: str, fits: bool) -> None:
    assert _marker_fits(text, 0, len(text)) is fits


# --- whole files with the plain paths -------------------------------------------------------

DOCS = [
    (
        "ỦY BAN NHÂN DÂN\nTỈNH ĐỒNG NAI\nSố: 12/UBND-VX\nV/v báo cáo\n\n"
        "Kính gửi: Các sở, ban, ngành\n\n"
        "Thực hiện Kế hoạch số 45/KH-UBND ngày 02/01/2024 của UBND tỉnh, Sở Nội vụ đề nghị"
        " các\ncơ quan, đơn vị:\n\n\n1. Sở Tư pháp\n\na) gửi báo cáo 6 tháng về Sở Nội vụ trước"
        " ngày 15/6\nvà báo cáo năm trước ngày 15/12.\n\nb) Đ/c Giám đốc có trách nhiệm chủ trì"
        " rà soát;\n\n\n2. Định kỳ hằng quý, các đơn vị gửi báo cáo về Sở Nội vụ (qua Phòng"
        " Tổ chức) trước ngày 20 của tháng cuối quý.\n\nNơi nhận:\n- Như trên;\n"
    ),
    (
        "ĐẢNG BỘ TỈNH\nSố 03-CT/TU\n\nCHỈ THỊ\nvề tăng cường công tác\n\n"
        "Các cấp ủy, tổ chức đảng phải quán triệt\nvà triển khai thực hiện nghiêm túc;"
        "  \n\n  \nđịnh kỳ 6 tháng và hằng năm\nbáo cáo Ban Thường vụ Tỉnh ủy trước ngày 10/6"
        " và 10/12.\nGiao Ban Tổ chức Tỉnh ủy chủ trì, theo dõi.\n\n\n\n"
    ),
]


def _plain_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        clean_module,
        "_line_break_spans",
        lambda t: iter(_spans(_join_pattern().finditer(t))),
    )
    monkeypatch.setattr(obligations, "_sentences", _sentences_plain)
    monkeypatch.setattr(obligations, "_marker_fits", lambda text, s, e: True)


def _extract_all(texts: list[tuple[str, str]]) -> list[str]:
    return [repr(extract_text(t, name)) for name, t in texts]


def _texts(form: Form) -> list[tuple[str, str]]:
    out = [(f"doc{i}", unicodedata.normalize(form, t)) for i, t in enumerate(DOCS)]
    for path in sorted(SAMPLES.rglob("*.txt")):
        out.append((path.name, unicodedata.normalize(form, path.read_text(encoding="utf-8"))))
    return out


@pytest.mark.parametrize("form", FORMS)
def test_whole_files_equal_plain_paths(form: Form, monkeypatch: pytest.MonkeyPatch) -> None:
    texts = _texts(form)
    fast = _extract_all(texts)
    _plain_paths(monkeypatch)
    assert _extract_all(texts) == fast


def test_sample_documents_present() -> None:
    """The whole-file comparison reads real samples, not only the rows above."""
    assert any(SAMPLES.rglob("*.txt"))


@pytest.mark.parametrize(
    ("sentence", "has_obligation"),
    [
        # A request verb without an addressee counts only before a verb …
        ("Đề nghị gửi báo cáo về Sở Nội vụ trước ngày 15/12/2024.", True),
        # … and "giao" / "chỉ đạo" without one never count as a request.
        ("Giao nhiệm vụ cho các đơn vị.", False),
        ("Chỉ đạo kịp thời.", False),
        ("Sở Nội vụ đề nghị Sở Tư pháp rà soát văn bản quy phạm pháp luật.", True),
        # The subject before "đề nghị" asks; it bears nothing.
        ("Đ/c Giám đốc đề nghị xem xét.", False),
    ],
)
@pytest.mark.parametrize("form", FORMS)
def test_request_rows(sentence: str, has_obligation: bool, form: Form) -> None:
    text = unicodedata.normalize(form, f"Kính gửi: Sở Y tế\n\n{sentence}\n")
    found = extract_text(text, "row").documents[0].obligations
    assert bool(found) is has_obligation
