"""Equivalence tests for the second extraction speed pass: each shortcut against its plain path.

* ``clean``: the markup passes run only on texts holding their character ("\\r", "<",
  "*" or "__", "#"); the replaced characters are scanned by the standard library's
  engine; page numbers are tried only on the lines a looser pattern finds
  (``_page_lines``). The cleaned text and its offset map must equal running every pass.
* ``clean._line_breaks`` passes over a line break right after ".;:!?" without trying
  the pattern (its look-behind refuses it): the same matches as ``finditer``.
* ``obligations._sentence_at`` tries "Nơi nhận", the address lines and the list
  markers only for the first characters they can start with.
* ``obligations`` tries verbs and aspect words with one pattern (``verb_or_aspect``),
  the heading pattern only after a Roman numeral and its mark (``_roman_opening``), the
  topicalised hand-over ("báo cáo năm đề nghị gửi") only on phrases ending with a
  hand-over verb (``_ends_with_delivery``).
* ``clean.join_lines`` measures a line only when a capital follows its break, and
  trims it only when it is longer than a heading can be (``_short_line``).
* ``citations`` works out each mention's match base once (``_base_of``).
* ``deadlines``: deadline markers are tried only where a marker's first word is
  (``_deadline_matches``); period deadlines only in texts with "thành", "xong" or
  "hạn" (``_may_have_period``).
* With every shortcut replaced by its plain path, whole files extract the same
  (NFC and NFD; Đ/đ; line breaks inside phrases).
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

import pytest
import regex

from ingest import citations, deadlines, obligations
from ingest import clean as clean_module
from ingest.clean import (
    _CLAUSE_MARKS,
    _MARKUP_PASSES,
    _char,
    _constant,
    _join_pattern,
    _line_breaks,
    _page_lines,
    _page_pattern,
    _patterns,
    _plain_patterns,
    _short_line,
    clean,
)
from ingest.deadlines import (
    _dated_hits,
    _deadline_matches,
    _deadline_regex,
    _may_have_period,
    _period_deadline_regex,
    find_deadlines,
)
from ingest.extract import extract_text
from ingest.identity import match_base
from ingest.obligations import (
    _ends_with_delivery,
    _may_mark,
    _roman_opening,
    _rx,
    _Sentence,
    _sentence_at,
    _sentences,
)
from ingest.serialize import file_dict
from ingest.textmap import MappedText

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "ingest" / "samples"
SEEDS = ROOT.parent / "shared" / "seeds"

Form = Literal["NFC", "NFD"]
FORMS: tuple[Form, ...] = ("NFC", "NFD")


def _spans(matches: Iterator[regex.Match[str]]) -> list[tuple[int, int]]:
    return [m.span() for m in matches]


# --- clean ------------------------------------------------------------------------------------


def _clean_plain(source: str) -> MappedText:
    """``clean`` with every pass run over the whole text by ``regex``."""
    p = _patterns()
    mt = MappedText.identity(source)
    for name, _needles, replacement in _MARKUP_PASSES:
        mt = mt.rewrite(p[name], _constant(replacement))
    chars = regex.compile(_plain_patterns()["chars"].pattern)
    mt = mt.rewrite(chars, _char)
    if not unicodedata.is_normalized("NFC", mt.text):
        mt = mt.rewrite(p["nfd"], lambda m: unicodedata.normalize("NFC", m.group(0)))
        if not unicodedata.is_normalized("NFC", mt.text):
            mt = mt.rewrite(regex.compile(r"."), lambda m: unicodedata.normalize("NFC", m.group(0)))
    return mt.rewrite(_page_pattern(), lambda m: "")


CLEAN_ROWS = [
    # (why, text)
    ("no markup at all", "Đề nghị Sở Nội vụ gửi báo cáo trước ngày 15/12/2024."),
    ("CRLF line ends", "Số: 12/BC-UBND\r\nngày 05/3/2024\rKính gửi: Sở Y tế"),
    ("footnote marker", "Nghị quyết số 25-NQ/TW<sup>3</sup> ngày 01/8/2016"),
    ("inline tags", "<b>Điều 1.</b> Giao <i>Sở Tư pháp</i> chủ trì"),
    ("a lone < is no tag", "tỷ lệ < 5% và 3 > 2"),
    ("emphasis stars", "**Chỉ thị** số 15/CT-TTg *ngày* 20/5/2024"),
    ("double underscores", "__Ghi chú__ đầu dòng và ___ cuối"),
    ("underscores the tag pass joins", "x _<b>_ y và _</i>_"),
    ("single underscores stay", "mã_số_thuế và _a_"),
    ("markdown headings", "# KẾ HOẠCH\n## 1. Mục tiêu\n#hashtag"),
    ("Latin Ð/ð for Đ/đ", "\u00d0iều 1. \u00d0ề nghị \u00f0ơn vị"),
    ("invisible, spaces, dashes", "Số\u00a012\u2013BC\u200b/UBND\u00ad và\u2009năm"),
    ("page furniture", "Đoạn một\nTrang 3/12\n- 4 -\n5\n 17 \n1234\nĐoạn hai"),
    ("page number of another script", "Đoạn\n\u0663\u0664\nhết"),
    ("everything at once", "<b>#</b> Trang\r\n**Đ\u00d0**\n__x__\n2\n<sup>1</sup>"),
]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(("why", "text"), CLEAN_ROWS, ids=[r[0] for r in CLEAN_ROWS])
def test_clean_equals_every_pass(why: str, text: str, form: Form) -> None:
    source = unicodedata.normalize(form, text)
    assert clean(source) == _clean_plain(source), why  # text, source and offset map


PAGE_ROWS = [
    "Trang 3/12\n- 4 -\n5\n",
    "Trang  3 / 12  \n-12-\n 999 \n1000\n",
    "x5\n5x\n- 5\n5 -\nTrang\nTrang 12345\n",
    "\n\n3\n\n",
    "không xuống dòng 3",
    "7",
    "\u0663\n\u06f4\u06f5\n\u0967\n",  # Arabic-Indic, Extended Arabic-Indic, Devanagari digits
    "\U00010d40\n",  # a digit newer than some Unicode tables (Garay)
    "Trang \u0663/\u0664\n- \u0665 -\n",
    "Đ\n1\nđ\n12\n",
]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("text", PAGE_ROWS)
def test_page_lines_equal_finditer(text: str, form: Form) -> None:
    t = unicodedata.normalize(form, text)
    assert _spans(_page_lines(t)) == _spans(_page_pattern().finditer(t))


LINE_BREAK_ROWS = [
    "Sở Nội vụ.\nCác cơ quan",
    "kết quả:  \n\nbáo cáo 6 tháng",
    "gửi báo cáo về\nSở Nội vụ",
    "ngày 20 tháng 1 năm \n\n2024",
    "thực hiện;\t\n1. Sở Y tế",
    "xong ?\nĐề nghị",
    "Đề\nnghị các đơn vị",  # a break inside a phrase
    "a.\n\n\nb và c!\n \n d",
    "\nđầu\n",
    " \n",
    "Chế độ báo cáo\nĐịnh kỳ hằng năm",
    "câu một. \t \ncâu hai",
    ".\n.\n:\n;",
]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("text", LINE_BREAK_ROWS)
def test_line_breaks_equal_finditer(text: str, form: Form) -> None:
    t = unicodedata.normalize(form, text)
    assert _spans(_line_breaks(t)) == _spans(_join_pattern().finditer(t))


SHORT_LINE_ROWS = [
    ("x" * 40, True),
    ("x" * 41, False),
    ("  " + "x" * 40 + " \t", True),  # longer than 40, but not once trimmed
    ("  " + "x" * 41, False),
    ("Đ" * 39 + " đ", False),
    ("", True),
]


@pytest.mark.parametrize(("line", "short"), SHORT_LINE_ROWS)
def test_short_line_equals_trimmed_length(line: str, short: bool) -> None:
    for before in ("", "dòng trước\n", "\n\n"):
        text = before + line + "\nSau"
        end = len(before + line)
        plain = len(text[text.rfind("\n", 0, end) + 1 : end].strip()) <= 40
        assert _short_line(text, end) == plain == short


def test_clause_marks_are_the_look_behind() -> None:
    """The shortcut's marks are the ones the pattern's look-behind refuses."""
    assert f"(?<![{_CLAUSE_MARKS}][ \\t]*)" in _join_pattern().pattern


# --- obligations: sentences ------------------------------------------------------------------


def _sentence_plain(text: str, s: int, e: int) -> _Sentence | Literal["stop", "skip"]:
    """``_sentence_at`` trying every pattern, the list marker on the slice (``^``)."""
    rx = _rx()
    if rx["stop"].match(text, s, e):
        return "stop"
    if "\t" in text[s:e] or rx["header_line"].match(text, s, e):
        return "skip"
    marker = regex.compile("^" + rx["list_marker"].pattern, regex.V1).match(text[s:e])
    return _Sentence(s, e, s + (marker.end() if marker else 0), text)


SENTENCE_ROWS = [
    "Nơi nhận:\n- Như trên;",
    "NƠI NHẬN:\n- Lưu: VT.",
    "nơi nhận hồ sơ là Sở Tư pháp.",
    "Kính gửi: Sở Y tế\nV/v báo cáo kết quả\nVề việc triển khai",
    "KÍNH GỬI: các sở, ngành\nVề kết quả thực hiện.",
    "1. Sở Nội vụ:\n1.2) Tổng hợp\na) Trong năm 2024, gửi báo cáo\nđ) Báo cáo",
    "Đ) không là điểm\nA) cũng không\nI. NHIỆM VỤ\n- gửi\n+ nộp\n• hoàn thành",
    "\u0661. chữ số Ả Rập\n\u0967) Devanagari\nx\tô bảng",
    "Nơi\nnhận: dòng gãy\nKính\ngửi: dòng gãy",
]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("text", SENTENCE_ROWS)
def test_sentence_at_equals_plain(text: str, form: Form) -> None:
    # The prose is NFC (``clean``); NFD rows check the patterns see what clean gives them.
    t = clean(unicodedata.normalize(form, text)).text
    for s, e in _sentences(t):
        assert _sentence_at(t, s, e) == _sentence_plain(t, s, e), t[s:e]


_RESTS = (") x", ". x", "1. x", "ơi nhận:", "ƠI NHẬN", "ính gửi:", "/v x", "ề việc", " x", "")


@pytest.mark.parametrize("rest", _RESTS)
def test_sentence_at_every_ascii_opening(rest: str) -> None:
    """Every ASCII first character (the only ones ``_may_mark`` can turn away)."""
    for code in range(0x21, 0x7F):
        t = chr(code) + rest
        assert _sentence_at(t, 0, len(t)) == _sentence_plain(t, 0, len(t)), t


@pytest.mark.parametrize("first", ["đ", "Đ", "•", "\u0661", "ơ", "Ủ"])
def test_may_mark_lets_non_ascii_through(first: str) -> None:
    assert _may_mark(first)


ROMAN_ROWS = [
    "IV. TỔ CHỨC THỰC HIỆN",
    "II) Nhiệm vụ",
    "I- Mục tiêu",
    "VVVVV. năm chữ",
    "VVVVVI. sáu chữ",
    "V",
    "V.",
    "Việc báo cáo",
    "Với các cơ quan",
    "X.\nY",
    "IX . cách",
]


@pytest.mark.parametrize("text", ROMAN_ROWS)
def test_roman_opening_is_a_superset(text: str) -> None:
    heading = _rx()["heading"]
    for e in range(1, len(text) + 1):
        if heading.match(text[:e]) is not None:
            assert _roman_opening(text, 0, e), text[:e]
    plain = regex.match(r"[IVX]{1,5}[.)\-]", text) is not None
    assert _roman_opening(text, 0, len(text)) == plain


# --- obligations: verbs and aspect words -----------------------------------------------------

VERB_ROWS = [
    "Sở Nội vụ đã gửi báo cáo",
    "UBND tỉnh sẽ chủ trì, phối hợp",
    "Các cơ quan CHƯA thực hiện",
    "đangxử lý và ĐÃ",
    "Đề nghị Sở Y tế tổng hợp, Cũng như đều đặn",
    "hằng năm tổ chức đảng tổ chức,",
    "Giao Ban Dân vận từng bước",
]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("text", VERB_ROWS)
def test_verb_or_aspect_is_either(text: str, form: Form) -> None:
    t = clean(unicodedata.normalize(form, text)).text
    rx = _rx()
    for at in range(len(t)):
        either = rx["verb"].match(t, at) or rx["aspect"].match(t, at)
        assert (rx["verb_or_aspect"].match(t, at) is not None) == (either is not None), t[at:]


TOPICAL_ROWS = [
    "báo cáo năm đề nghị gửi",
    "Báo cáo kết quả thực hiện cần GỬI",
    "danh sách phải nộp  ",
    "hồ sơ chuyển",
    "kế hoạch gửi về Sở",
    "báo cáo gửi.",
    "Đề án nộp\n",
    "gửi",
]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("text", TOPICAL_ROWS)
def test_delivery_end_is_a_superset(text: str, form: Form) -> None:
    phrase = unicodedata.normalize(form, text).rstrip()
    for k in range(len(phrase)):
        tail = phrase[k:]
        if _rx()["topical"].search(tail) is not None:
            assert _ends_with_delivery(tail), tail


# --- deadlines --------------------------------------------------------------------------------

DEADLINE_ROWS = [
    "gửi báo cáo trước ngày 15/12",
    "TRƯỚC NGÀY 15/12/2024 các đơn vị gửi",
    "Chậm nhất là ngày 20/5, muộn nhất vào 25/5",
    "không muộn hơn ngày 30/6 và KHÔNG QUÁ 10/7",
    "Hạn chót: 15/11; thời hạn gửi: trước 10/12",
    "hoàn thành trước 31/12, xong trước ngày 5/1",
    "khôngtrước 15/12 và trướcngày 1/2",
    "Straße: trước ngày 1/2",  # "ß" folds to "ss": the offsets change
    "\ufb01le trước 1/2",  # "ﬁ" folds to "fi"
    "Đến hạn, Đoàn gửi trước ngày 15 tháng 12 năm 2024",
    "trước 17 giờ ngày 15/12 hằng năm",
]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("text", DEADLINE_ROWS)
def test_deadline_matches_equal_finditer(text: str, form: Form) -> None:
    # ``find_deadlines`` reads the NFC form; the NFD row reaches the same text.
    t = unicodedata.normalize("NFC", unicodedata.normalize(form, text))
    plain = _deadline_regex().finditer(t)
    assert _spans(_deadline_matches(t, t.casefold())) == _spans(plain)


PERIOD_ROWS = [
    "hoàn thành trong tháng 6/2024",
    "Xong trong quý III/2025",
    "THỜI HẠN: trong năm 2024",
    "thời hạn hoàn thành vào năm 2025",
    "Trong năm 2024, các đơn vị hoàn thành việc rà soát",
    "Trong quý I/2025, Sở xong",
    "trong năm 2024 gửi báo cáo",  # no period deadline
    "HOÀN THÀNH VÀO THÁNG 12/2024",
    "Đúng hạn trong năm 2024",
]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("text", PERIOD_ROWS)
def test_period_screen_is_a_superset(
    text: str, form: Form, monkeypatch: pytest.MonkeyPatch
) -> None:
    t = unicodedata.normalize("NFC", unicodedata.normalize(form, text))
    if _period_deadline_regex().search(t) is not None:
        assert _may_have_period(t.casefold())
    screened = _dated_hits(t, t.casefold())
    monkeypatch.setattr(deadlines, "_may_have_period", lambda low: True)
    assert _dated_hits(t, t.casefold()) == screened


@pytest.mark.parametrize("text", DEADLINE_ROWS + PERIOD_ROWS)
def test_deadlines_same_in_nfc_and_nfd(text: str) -> None:
    nfc = find_deadlines(unicodedata.normalize("NFC", text))
    assert find_deadlines(unicodedata.normalize("NFD", text)) == nfc


# --- whole files, every shortcut off ----------------------------------------------------------


class _Either:
    """``verb_or_aspect`` as the two patterns it stands for (the plain path)."""

    def match(self, text: str, pos: int) -> regex.Match[str] | None:
        rx = _rx()
        return rx["verb"].match(text, pos) or rx["aspect"].match(text, pos)


def _plain_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clean_module, "_may_hold", lambda text, needles: True)
    monkeypatch.setattr(clean_module, "_page_lines", lambda t: _page_pattern().finditer(t))
    monkeypatch.setattr(clean_module, "_line_breaks", lambda t: _join_pattern().finditer(t))
    monkeypatch.setattr(obligations, "_may_mark", lambda first: True)
    monkeypatch.setitem(_rx(), "verb_or_aspect", _Either())
    monkeypatch.setattr(obligations, "_roman_opening", lambda text, s, e: text[s] in "IVX")
    monkeypatch.setattr(obligations, "_ends_with_delivery", lambda phrase: True)
    monkeypatch.setattr(deadlines, "_may_have_period", lambda low: True)
    monkeypatch.setattr(
        deadlines, "_deadline_matches", lambda text, low: _deadline_regex().finditer(text)
    )
    monkeypatch.setattr(citations, "_base_of", lambda m, parts: match_base(parts))


LETTER = (
    "UBND TỈNH A\nSỞ NỘI VỤ\nSố: 12/SNV-VP\nV/v báo cáo kết quả\n"
    "Kính gửi: Các sở, ban, ngành\n"
    "I. NHIỆM VỤ\n"
    "Thực hiện Chỉ thị số 15/CT-TTg ngày 20/5/2024 của Thủ tướng Chính phủ "
    "(sau đây gọi tắt là Chỉ thị số 15/CT-TTg), "
    "Sở Nội vụ đề nghị các cơ quan, đơn vị:\n"
    "1. Tổng hợp kết quả và gửi báo cáo về Sở Nội vụ trước ngày 15/12/2024.\n"
    "2. Định kỳ 6 tháng và hằng năm, các đơn vị gửi báo cáo về Sở Nội vụ: báo \n\n"
    "cáo 6 tháng trước ngày 15/6, báo cáo năm trước ngày 15/12.\n"
    "a) **Trong quý III/2025**, hoàn thành việc rà soát;\r\n"
    "b) Sở Tư pháp có trách nhiệm hoàn thành trong tháng 6/2024.\n"
    "\u00d0ề nghị \u00f0ơn vị chậm nhất là ngày 20/5 gửi về Sở <b>Tài chính</b>.\n"
    "Trang 2/3\n"
    "Nơi nhận:\n- Như trên;\n- Lưu: VT."
)


def _extract_json(text: str) -> str:
    return json.dumps(file_dict(extract_text(text)), ensure_ascii=False, sort_keys=True)


def _files() -> list[Path]:
    found = sorted(SAMPLES.glob("*.txt"))
    return found + (sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else [])


@pytest.mark.parametrize("form", FORMS)
def test_letter_same_without_shortcuts(form: Form, monkeypatch: pytest.MonkeyPatch) -> None:
    text = unicodedata.normalize(form, LETTER)
    fast = _extract_json(text)
    assert '"deadline"' in fast  # the row reaches the obligation reader
    _plain_paths(monkeypatch)
    assert _extract_json(text) == fast


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("path", _files(), ids=lambda p: p.name)
def test_files_same_without_shortcuts(
    path: Path, form: Form, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = unicodedata.normalize(form, path.read_text(encoding="utf-8"))
    fast = _extract_json(text)
    _plain_paths(monkeypatch)
    assert _extract_json(text) == fast


def test_seed_folder_is_read_when_present() -> None:
    if not SEEDS.is_dir():
        pytest.skip(f"seed folder {SEEDS} is absent")
    assert any(p.parent == SEEDS for p in _files())
