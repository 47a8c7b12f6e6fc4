"""Equivalence tests for the third extraction speed pass: each shortcut against its plain path.

* ``outline.outline_start`` folds only the lines ``_head_candidates`` finds (a head that
  can fold to "d", "m" or "k"); ``parse_sections`` reads numberings at the lines
  ``_numbered`` finds, stops at the first closing line found by one search (``_limit``),
  reads headings at the numbered lines alone when there are no footnotes, and keeps the
  upper-case count of a growing title instead of counting it again (``_read_heading``).
* ``split._substantial`` counts non-blank characters over growing prefixes.
* ``header``: the signature and the distribution list are looked for from the end
  (``_last_index``); the next line of a title column is the run of segments right after
  the current line (``_next_in_column``); the issuer's casing is remembered
  (``_issuer_memo``); ``document_segments`` builds segments directly.
* ``obligations``: sentences that can change nothing are passed over (``_inert``);
  sentences without screen syllables share one ``_Present``; the request pattern is
  scanned from its first possible opening (``_request_scan_start``); ``_caps`` counts
  with C loops.
* ``tables``: lines without a tab are searched for odd blanks only when the range has
  one; ``symbols.parse_symbol``, ``identity.fold_key`` and ``identity.match_base`` are
  remembered; ``MappedText.span`` maps both ends in one loop; ``clean`` finds page
  numbers after line breaks.
* With every shortcut replaced by its plain path, whole files extract the same (NFC and
  NFD; Đ/đ; samples, seeds and synthetic files).
"""

from __future__ import annotations

import json
import sys
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Literal

import pytest
import regex

from ingest import header, obligations, outline, split, tables
from ingest.clean import _page_lines, _page_pattern, clean, fold
from ingest.extract import extract_text
from ingest.header import Segment, document_segments, read_header, segment_lines
from ingest.identity import fold_key, match_base
from ingest.models import Span
from ingest.serialize import file_dict
from ingest.symbols import _parse_symbol, parse_symbol
from ingest.textmap import MappedText

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "ingest" / "samples"
SEEDS = ROOT.parent / "shared" / "seeds"

Form = Literal["NFC", "NFD"]
FORMS: tuple[Form, ...] = ("NFC", "NFD")


def _clean_text(text: str, form: Form) -> str:
    return clean(unicodedata.normalize(form, text)).text


# --- outline ----------------------------------------------------------------------------------


def _outline_start_plain(mt: MappedText, start: int, end: int) -> int | None:
    """``outline_start`` folding the head of every line (the path before the screen)."""
    lines = outline._lines(mt, start, end)
    heads = [outline._folded_head(line.text.strip().lstrip("(*# ")) for line in lines]
    for line, head in zip(lines, heads, strict=True):
        if head.startswith(("de cuong", "mau de cuong")) and outline._is_caps(
            line.text.strip().lstrip("(*# ")
        ):
            return line.start
    for i, (line, head) in enumerate(zip(lines, heads, strict=True)):
        if head.startswith("kem theo") and outline._template_title(lines, i):
            return line.start
    return None


OUTLINE_ROWS = [
    # (why, text, what the line the outline starts at holds, or None)
    ("caps title on the first line", "ĐỀ CƯƠNG BÁO CÁO\nI. KẾT QUẢ", "ĐỀ CƯƠNG BÁO CÁO"),
    ("lower-case title is prose", "Gửi kèm đề cương báo cáo.\nđề cương báo cáo", None),
    ("after markup and a parenthesis", "Mở đầu\n(*# ĐỀ CƯƠNG\nI. A", "(# ĐỀ CƯƠNG"),
    ("template title", "Văn bản\n  MẪU ĐỀ CƯƠNG BÁO CÁO\nI. A", "  MẪU ĐỀ CƯƠNG BÁO CÁO"),
    ("unfolded letters", "Van ban\nDE CUONG BAO CAO\nI. A", "DE CUONG BAO CAO"),
    ("tab after the parenthesis", "A\n(\tĐỀ CƯƠNG BÁO CÁO\nI. B", None),
    ("odd blanks before the head", "A\n\u2003\u0085ĐỀ CƯƠNG\nI. B", "\u2003\u0085ĐỀ CƯƠNG"),
    (
        "attached template",
        "Nơi gửi\n(Kèm theo Công văn số 12/BNV-VP)\nBÁO CÁO\nI. A",
        "(Kèm theo Công văn số 12/BNV-VP)",
    ),
    ("attachment of no template", "(Kèm theo Công văn số 12/BNV-VP)\nnội dung", None),
    ("no candidate at all", "Các sở, ngành\nTrân trọng.", None),
    ("Kelvin sign, K once clean", "A\n\u212aÈM THEO CÔNG VĂN\nBÁO CÁO", "KÈM THEO CÔNG VĂN"),
    ("đ in lower case first", "A\nđỀ CƯƠNG BÁO CÁO\nI. B", "đỀ CƯƠNG BÁO CÁO"),
]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(("why", "text", "line"), OUTLINE_ROWS, ids=[r[0] for r in OUTLINE_ROWS])
def test_outline_start_equals_plain(why: str, text: str, line: str | None, form: Form) -> None:
    mt = clean(unicodedata.normalize(form, text))
    found = outline.outline_start(mt, 0, len(mt.text))
    assert found == _outline_start_plain(mt, 0, len(mt.text))
    if line is None:
        assert found is None
    else:
        assert found is not None
        assert mt.text[found:].split("\n", 1)[0] == unicodedata.normalize("NFC", line)


HEAD_LINES = [
    "ĐỀ CƯƠNG",
    "đề cương",
    "Đề cương",
    "MẪU ĐỀ CƯƠNG",
    "kèm theo",
    "(Kèm theo",
    "  (  Kèm theo",
    "# ĐỀ CƯƠNG",
    "*(# MẪU",
    "\u00a0ĐỀ",
    "\u0085Kèm",
    "\u212aèm theo",  # Kelvin sign
    "Ḍề cương",  # a mark below: folds to "d"
    "\u0301Đề cương",  # a lone mark first: folding drops it
    "Báo cáo",
    "1. Đề cương",
    "",
    "   ",
    "(",
]


@pytest.mark.parametrize("first", [True, False])
@pytest.mark.parametrize("line", HEAD_LINES)
def test_head_candidates_keep_every_foldable_head(line: str, first: bool) -> None:
    text = f"{line}\nsau" if first else f"trước\n{line}\nsau"
    found = {start for start, _, _ in outline._head_candidates(text, 0, len(text))}
    for i, ln in enumerate(outline._text_lines(text, 0, len(text))):
        head = outline._folded_head(ln.text.strip().lstrip("(*# "))
        if head[:1] in ("d", "m", "k"):
            assert ln.start in found, (i, ln.text)
    for start, index, head in outline._head_candidates(text, 0, len(text)):
        ln = outline._text_lines(text, 0, len(text))[index]
        assert ln.start == start
        assert head == ln.text.strip().lstrip("(*# ")


NUMBERED_TEXTS = [
    "I. KẾT QUẢ\nII- TỒN TẠI\n  III) GIẢI PHÁP\nIV: KIẾN NGHỊ",
    "1. Mục tiêu\n1.1. Chỉ tiêu\n1.2 Nội dung\n2) Giải pháp\n12. Mười hai",
    "a) Điểm a\nđ) Điểm đ\nb. Bắt đầu hoa\nb. không hoa\nf) không phải điểm\nx) điểm x",
    "\u0661. Chữ số khác\n\t3. Thụt tab\n  4.   Nhiều khoảng",
    "Điều 1. Không phải\n- gạch đầu dòng\n+ cộng\n\n\nV. sau dòng trống",
    "Mở đầu\n\u0661. Chữ số khác\nđ) điểm đ\n\u0966) chữ số Devanagari",
    "Không số\nIIII. quá bốn\nXL. bốn mươi\n1.2.3. ba cấp\n(1) trong ngoặc\n2. có số",
]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("text", NUMBERED_TEXTS)
@pytest.mark.parametrize("offset", [0, 1])
def test_numbered_equals_every_line(text: str, form: Form, offset: int) -> None:
    clean_text = _clean_text(text, form)
    start = clean_text.find("\n") + 1 if offset else 0
    end = len(clean_text)
    lines = outline._text_lines(clean_text, start, end)
    plain = {
        ln.start: (i, n)
        for i, ln in enumerate(lines)
        if (n := outline._numbering(ln.text)) is not None
    }
    assert outline._numbered(clean_text, start, end) == plain
    assert plain  # every text has some numbered line


LIMIT_ROWS = [
    ("I. A\nNơi nhận:\n- Như trên", "Nơi nhận:"),
    ("I. A\n  Trên đây là báo cáo\nNƠI NHẬN", "  Trên đây là báo cáo"),
    ("I. A\nGửi Nơi nhận\nB", None),
    ("Nơi nhận: đầu tiên\nI. A", "Nơi nhận: đầu tiên"),
    ("I. A\n\tNƠI NHẬN:", "\tNƠI NHẬN:"),
]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(("text", "line"), LIMIT_ROWS)
def test_limit_is_the_first_closing_line(text: str, line: str | None, form: Form) -> None:
    clean_text = _clean_text(text, form)
    lines = outline._text_lines(clean_text, 0, len(clean_text))
    plain = next(
        (ln.start for ln in lines if outline._closing_regex().match(ln.text)), len(clean_text)
    )
    found = outline._limit(clean_text, 0, len(clean_text))
    assert found == plain
    if line is None:
        assert found == len(clean_text)
    else:
        assert clean_text[found:].startswith(unicodedata.normalize("NFC", line))


SECTION_ROWS = [
    # (text, titles of the sections)
    (
        "I. KẾT QUẢ THỰC HIỆN\nCÔNG TÁC NĂM 2024\nthực hiện tốt\nII. TỒN TẠI",
        ["KẾT QUẢ THỰC HIỆN CÔNG TÁC NĂM 2024", "TỒN TẠI"],
    ),
    (
        "1. Kết quả thực hiện các nhiệm vụ của\nnăm 2024 theo kế hoạch\n2. Tồn tại, hạn chế",
        ["Kết quả thực hiện các nhiệm vụ của năm 2024 theo kế hoạch", "Tồn tại, hạn chế"],
    ),
    (
        "I. ĐÁNH GIÁ Chung\nVỀ KẾT QUẢ\ncòn tiếp\nII. KIẾN NGHỊ\nNơi nhận:\nIII. KHÔNG",
        ["ĐÁNH GIÁ Chung VỀ KẾT QUẢ", "KIẾN NGHỊ"],
    ),
]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(("text", "titles"), SECTION_ROWS)
def test_sections_equal_plain_heading_reading(
    text: str, titles: list[str], form: Form, monkeypatch: pytest.MonkeyPatch
) -> None:
    mt = clean(unicodedata.normalize(form, text))
    fast = outline.parse_sections(mt, 0, len(mt.text), ())
    assert [s.title for s in fast] == titles
    _plain_paths(monkeypatch)
    assert outline.parse_sections(mt, 0, len(mt.text), ()) == fast


CAPS_ROWS = ["ĐỀ CƯƠNG", "Đề cương", "I", "AB", "Ab", "ABCDe", "ABCde", "12 ,.", "ĐỨC đức Đ", ""]


@pytest.mark.parametrize("left", CAPS_ROWS)
@pytest.mark.parametrize("right", CAPS_ROWS)
def test_letter_counts_add_up(left: str, right: str) -> None:
    a, b = outline._letter_counts(left), outline._letter_counts(right)
    joined = outline._letter_counts(f"{left} {right}")
    assert joined == (a[0] + b[0], a[1] + b[1])
    letters = [c for c in f"{left} {right}" if c.isalpha()]
    upper = sum(c.isupper() for c in letters)
    assert outline._caps_of(joined) == (len(letters) >= 2 and upper >= 0.8 * len(letters))


@pytest.mark.parametrize("text", CAPS_ROWS)
def test_obligations_caps_is_the_ratio(text: str) -> None:
    letters = [c for c in text if c.isalpha()]
    expected = bool(letters) and sum(c.isupper() for c in letters) >= 0.8 * len(letters)
    assert obligations._caps(text) is expected


# --- split ------------------------------------------------------------------------------------


SUBSTANTIAL_ROWS = [
    "",
    "DỰ THẢO",
    "x" * 39,
    "x" * 40,
    " \n\t" * 30 + "y" * 39,
    " \n\t" * 30 + "y" * 40,
    "Đ " * 39 + "\n",
    "Đ " * 40,
    ("ab " * 13 + "\n") * 40,
    "\u2003" * 500 + "z" * 41,
]


@pytest.mark.parametrize("text", SUBSTANTIAL_ROWS)
@pytest.mark.parametrize("margin", [0, 3])
def test_substantial_counts_non_blanks(text: str, margin: int) -> None:
    padded = "#" * margin + text + "#" * margin
    start, end = margin, margin + len(text)
    expected = len(regex.sub(r"\s+", "", text)) >= split._MIN_DOCUMENT
    assert split._substantial(padded, start, end) is expected


# --- header -----------------------------------------------------------------------------------


def _signature_plain(
    mt: MappedText, tail: Sequence[Segment], f: header._Fields
) -> tuple[str | None, str | None]:
    """``header._signature`` reading every segment (the path before reading from the end)."""
    auth = [n for n, s in enumerate(tail) if header.is_authority_line(s.text)]
    if not auth:
        return None, None
    block = [auth[-1]]
    for n in reversed(auth[:-1]):
        if tail[block[0]].line - tail[n].line > 3:
            break
        block.insert(0, n)
    authority = " / ".join(header._authority_text(tail[n].text) for n in block)
    f.add(mt, "signing_authority", tail[block[0]].start, tail[block[-1]].end)
    last_line = tail[block[-1]].line
    for s in tail[block[-1] + 1 :]:
        if s.line - last_line > header._SIGNER_LINES:
            break
        if header._NAME.match(s.text):
            f.add(mt, "signer", s.start, s.end)
            return authority, s.text
    return authority, None


def _last_index_plain(segs: Sequence[Segment], test: Callable[[str], bool]) -> int | None:
    found = [n for n, s in enumerate(segs) if test(s.text)]
    return found[-1] if found else None


def _next_in_column_plain(segs: Sequence[Segment], j: int, col: int | None) -> int | None:
    line = segs[j - 1].line
    k = j
    while k < len(segs) and segs[k].line == line:
        k += 1
    if k >= len(segs):
        return None
    same = [n for n in range(k, len(segs)) if segs[n].line == segs[k].line]
    if col is None or len(same) == 1:
        return same[0]
    near = [n for n in same if abs(segs[n].column - col) <= 8]
    return near[0] if near else None


HEADER_TEXT = (
    "BỘ NỘI VỤ\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "VỤ CHÍNH QUYỀN ĐỊA PHƯƠNG\tĐộc lập - Tự do - Hạnh phúc\n"
    "Số: 2215/BNV-CQĐP\tHà Nội, ngày 08 tháng 5 năm 2024\n"
    "V/v hướng dẫn báo cáo\n"
    "kết quả thực hiện năm 2024\n"
    "\n"
    "Kính gửi: Ủy ban nhân dân các tỉnh.\n"
    "Đề nghị các địa phương gửi báo cáo trước ngày 15/12/2024.\n"
    "KT. BỘ TRƯỞNG\n"
    "THỨ TRƯỞNG\n"
    "Nguyễn Văn A\n"
    "Nơi nhận:\n"
    "- Như trên;\n"
    "- Lưu: VT.\n"
    "\n"
    "Phụ lục kèm theo nội dung dài.\n"
    "\n"
    "\n"
    "\n"
    "\n"
    "TM. ỦY BAN NHÂN DÂN\n"
    "CHỦ TỊCH\n"
    "Trần Thị B\n"
    "Nơi nhận:\n"
    "- Sở Nội vụ;\n"
    "- Lưu: VT, CQĐP.\n"
)


@pytest.mark.parametrize("form", FORMS)
def test_signature_and_distribution_are_the_last(form: Form) -> None:
    mt = clean(unicodedata.normalize(form, HEADER_TEXT))
    h = read_header(mt, 0, len(mt.text))
    assert h.signing_authority == "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH"
    assert h.signer == "Trần Thị B"
    assert h.distribution == ("Sở Nội vụ", "Lưu: VT, CQĐP")
    assert h.title == "V/v hướng dẫn báo cáo kết quả thực hiện năm 2024"


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("text", [HEADER_TEXT, "A\tB\tC\nD\n\nE\tF\nG"])
def test_next_in_column_equals_plain(text: str, form: Form) -> None:
    mt = clean(unicodedata.normalize(form, text))
    segs = segment_lines(mt.text, 0, len(mt.text))
    columns = {None, *(s.column for s in segs)}
    for j in range(1, len(segs) + 1):
        for col in columns:
            assert header._next_in_column(segs, j, col) == _next_in_column_plain(segs, j, col)


@pytest.mark.parametrize("form", FORMS)
def test_document_segments_equal_reading_the_range(form: Form) -> None:
    text = unicodedata.normalize(form, HEADER_TEXT + "\n\n" + HEADER_TEXT)
    mt = clean(text)
    whole = segment_lines(mt.text, 0, len(mt.text))
    for start in (0, mt.text.find("\nPhụ lục") + 1, len(HEADER_TEXT) + 2):
        assert document_segments(whole, start, len(mt.text)) == segment_lines(
            mt.text, start, len(mt.text)
        )


ISSUER_ROWS = [
    ("BỘ NỘI VỤ",),
    ("ĐẢNG BỘ TỈNH NINH BÌNH", "TỈNH ỦY"),
    ("UBND TỈNH ĐỒNG NAI", "SỞ NỘI VỤ"),
    ("ỦY BAN NHÂN DÂN " + "RẤT DÀI " * 60,),
]


@pytest.mark.parametrize("lines", ISSUER_ROWS)
def test_issuer_memo_equals_reading(lines: tuple[str, ...]) -> None:
    segs = [Segment(0, len(t), t, i, 0, False) for i, t in enumerate(lines)]
    assert header._issuer(segs) == header._issuer_of(lines)
    assert header._issuer(segs) == header._issuer(segs)  # remembered or not, the same


# --- obligations ------------------------------------------------------------------------------


OBLIGATION_TEXTS = [
    # Headings, list intros, agency headings, "Nơi nhận": what ``_inert`` must not skip.
    "II. TỔ CHỨC THỰC HIỆN\n1. Sở Nội vụ\nChủ trì tổng hợp, gửi báo cáo trước ngày 15/12.\n"
    "2. Các sở, ngành có trách nhiệm:\na) Báo cáo kết quả trước ngày 30/11.\n",
    "Đề nghị các đơn vị thực hiện các nội dung sau:\n- Gửi báo cáo về Bộ Nội vụ trước ngày "
    "10/6 và 10/12.\nNơi nhận:\n- Như trên.\n",
    "III. ĐỀ XUẤT, KIẾN NGHỊ\nĐề nghị Bộ Nội vụ hướng dẫn trước ngày 15/12.\n"
    "IV. KẾT LUẬN\nđ) Ủy ban nhân dân tỉnh\nTổng hợp báo cáo gửi Bộ trước ngày 20/12.\n",
    "Trân trọng đề nghị Sở Tài chính phối hợp.\nKÍNH ĐỀ NGHỊ UBND TỈNH XEM XÉT.\n"
    "XIN ĐỀ NGHỊ Sở Y tế gửi báo cáo.\nGiao Ban Dân vận chủ trì.\nGiao thông thuận lợi.\n",
    "İstanbul và ẞ: giao Sở Ngoại vụ báo cáo hằng năm.\nCác đơn vị khác thực hiện.\n",
    "Văn bản không có nghĩa vụ nào. Chỉ là mô tả. Hết.\n",
    # A list intro and an agency heading without any screen syllable: they name the
    # bearer of the items below.
    "2. Sở Nội vụ:\na) Tổng hợp, gửi báo cáo trước ngày 15/12.\n"
    "3. Sở Tư pháp\nb) Gửi báo cáo năm trước ngày 20/12.\n"
    "Các địa phương:\n- Gửi báo cáo trước ngày 25/12.\n",
]


def _find(text: str) -> str:
    mt = clean(text)
    found = obligations.find_obligations(
        mt, 0, len(mt.text), doc_date=None, recipients=("Sở Nội vụ",), citations=()
    )
    return repr(found)


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("text", OBLIGATION_TEXTS)
def test_obligations_same_without_shortcuts(
    text: str, form: Form, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = unicodedata.normalize(form, text)
    fast = _find(text)
    _plain_paths(monkeypatch)
    assert _find(text) == fast


def test_obligation_rows_hold_obligations() -> None:
    # The rows reach the obligation reader: a test of the shortcuts that reads nothing
    # would prove nothing.
    assert "Obligation(" in _find(OBLIGATION_TEXTS[0])
    assert "Obligation(" in _find(OBLIGATION_TEXTS[1])


@pytest.mark.parametrize("form", FORMS)
def test_intro_without_screen_syllables_names_the_bearer(form: Form) -> None:
    mt = clean(unicodedata.normalize(form, OBLIGATION_TEXTS[-1]))
    found = obligations.find_obligations(
        mt, 0, len(mt.text), doc_date=None, recipients=(), citations=()
    )
    assert [o.bearer for o in found] == ["Sở Nội vụ", "Sở Tư pháp", "Các địa phương"]


@pytest.mark.parametrize("text", OBLIGATION_TEXTS)
def test_inert_sentences_change_nothing(text: str) -> None:
    prose = obligations._prose(clean(text), 0, len(clean(text).text)).text
    bounds = obligations._sentences(prose)
    present = obligations._sentence_syllables(prose, bounds)
    for (s, e), p in zip(bounds, present, strict=True):
        if p.words or not obligations._inert(prose, s, e):
            continue
        sent = obligations._sentence_at(prose, s, e)
        assert sent != "stop"
        if sent == "skip":
            continue
        assert isinstance(sent, obligations._Sentence)
        assert not obligations._roman_opening(prose, s, e)
        assert prose[e - 1] != ":"
        assert sent.body == sent.start or prose[e - 1] in ".;!?"


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("text", OBLIGATION_TEXTS)
def test_request_scan_start_finds_every_request(text: str, form: Form) -> None:
    prose = obligations._prose(clean(unicodedata.normalize(form, text)), 0, 10**6).text
    pattern = obligations._rx()["request"]
    for s, e in obligations._sentences(prose):
        first = next(iter(pattern.finditer(prose, s, e)), None)
        scan = obligations._request_scan_start(prose, s, e)
        if first is None:
            continue
        assert scan is not None and scan <= first.start()


# --- symbols, keys, tables, text map, clean ----------------------------------------------------


SYMBOL_ROWS = [
    "33/CT-TTg",
    "18/NQ-TW",
    "25-NQ/TW1",
    "30/2020/NĐ-CP",
    "30/2020/ND-CP",
    "33/CT- TTg",
    "2215/BNV\u2013CQĐP",
    "05/2013/TTLT/BYT-BTC",
    "không phải ký hiệu",
    "33/CT-TTg " + "x" * 200,
]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("raw", SYMBOL_ROWS)
def test_parse_symbol_memo_equals_parsing(raw: str, form: Form) -> None:
    text = unicodedata.normalize(form, raw)
    assert parse_symbol(text) == _parse_symbol(text)
    parts = parse_symbol(text)
    if parts is not None:
        for slug in (None, "quy-dinh", "chi-thi"):
            assert fold_key(parts, slug) == fold_key.__wrapped__(parts, slug)
        assert match_base(parts) == match_base.__wrapped__(parts)


SPACED_TABLES = [
    # (text, rows of the space-aligned tables found)
    ("TT  Tên cơ quan  Kế hoạch  Báo cáo\n1  Sở Nội vụ  12/KH-SNV  15/BC-SNV\n", 2),
    # Em spaces between the columns: no double space, an odd blank.
    (
        "TT\u2003Tên cơ quan\u2003Kế hoạch\u2003Báo cáo\n1\u2003Sở Y tế\u200312/KH-SYT\u20034/BC\n",
        2,
    ),
    ("Một dòng  hai khoảng\nvà\u2028dòng khác\n", 0),
]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(("text", "rows"), SPACED_TABLES)
def test_spaced_blocks_without_odd_blanks_search(text: str, rows: int, form: Form) -> None:
    mt = clean(unicodedata.normalize(form, text))
    lines = tables._lines(mt, 0, len(mt.text))
    odd = tables._rx()["row_blank"].search(mt.text) is not None
    found = tables._spaced_blocks(lines, odd)
    assert found == tables._spaced_blocks(lines)
    assert sum(len(block) for block in found) == rows


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    "text",
    [
        "**Đề nghị** <b>Sở</b> Nội vụ\r\n# Mục\nTrang 2/3\n- 4 -\nĐ\u00d0 và \u2013 hết",
        "Trang 1\nnội dung\n 7 \n\u0663\u0664",
        "12\nĐoạn",
    ],
)
def test_span_maps_both_ends(text: str, form: Form) -> None:
    mt = clean(unicodedata.normalize(form, text))
    assert mt.passes  # the rows go through several rewrites
    for a in range(len(mt.text) + 1):
        for b in range(a, min(len(mt.text), a + 6) + 1):
            s = mt.to_source(a)
            e = max(s, mt.to_source_end(b))
            assert mt.span(a, b) == Span(s, e, mt.source[s:e])


@pytest.mark.parametrize(
    "text",
    ["3\nĐoạn một\nTrang 3/12", "\n- 4 -\n\n5", "Trang 1 / 2", "đoạn\n 17 \nhết\n1234"],
)
def test_page_lines_from_the_first_line(text: str) -> None:
    assert [m.span() for m in _page_lines(text)] == [
        m.span() for m in _page_pattern().finditer(text)
    ]


# --- whole files ------------------------------------------------------------------------------


def _read_heading_plain(
    lines: Sequence[outline._Line],
    i: int,
    numbering: tuple[int, str, int, int],
    width: int,
    numbered: dict[int, tuple[int, tuple[int, str, int, int]]],
) -> tuple[outline._Heading, int]:
    """``outline._read_heading`` counting the whole title's letters at each line."""
    kind, label, ordinal, offset = numbering
    line = lines[i]
    parts = [line.text[offset:]]
    last, j, title = i, i + 1, parts[0]
    while j < len(lines) and len(title) < 600:
        if not lines[j].text.strip():
            j += 1
            continue
        if outline._stops_title(lines[j], numbered) or not outline._continues(
            title, outline._is_caps(title), lines[last], lines[j], width
        ):
            break
        parts.append(lines[j].text)
        title = f"{title} {lines[j].text}"
        last, j = j, j + 1
    lead = len(line.text) - len(line.text.lstrip())
    end = lines[last].start + len(lines[last].text.rstrip())
    heading = outline._Heading(
        kind, label, ordinal, line.start + lead, end, outline._clean_title(parts)
    )
    return heading, last


def _plain_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    """Replace every shortcut of this pass by its plain path."""

    def numbered(
        text: str, start: int, end: int
    ) -> dict[int, tuple[int, tuple[int, str, int, int]]]:
        lines = outline._text_lines(text, start, end)
        return {
            ln.start: (i, n)
            for i, ln in enumerate(lines)
            if (n := outline._numbering(ln.text)) is not None
        }

    def limit(text: str, start: int, end: int) -> int:
        lines = outline._text_lines(text, start, end)
        return next((ln.start for ln in lines if outline._closing_regex().match(ln.text)), end)

    def substantial(text: str, start: int, end: int) -> bool:
        return len(regex.sub(r"\s+", "", text[start:end])) >= split._MIN_DOCUMENT

    def no_odd_blanks_screen(
        lines: Sequence[tuple[int, int, str]], odd_blanks: bool = True
    ) -> list[list[tables._Row]]:
        return spaced_blocks(lines, True)

    def unscreened_start(text: str, body: int, end: int) -> int | None:
        return body

    def every_present(text: str, bounds: Sequence[tuple[int, int]]) -> list[obligations._Present]:
        low = obligations._casefolded(text)
        found = syllables(text, bounds)
        if low is None:
            return found
        return [
            p if p.words else obligations._Present(p.words, low, s, e)
            for p, (s, e) in zip(found, bounds, strict=True)
        ]

    spaced_blocks = tables._spaced_blocks
    syllables = obligations._sentence_syllables
    monkeypatch.setattr(outline, "outline_start", _outline_start_plain)
    monkeypatch.setattr(outline, "_numbered", numbered)
    monkeypatch.setattr(outline, "_limit", limit)
    monkeypatch.setattr(outline, "_may_hold_footnotes", lambda mt, lines: True)
    monkeypatch.setattr(outline, "_read_heading", _read_heading_plain)
    monkeypatch.setattr(split, "_substantial", substantial)
    monkeypatch.setattr(header, "_signature", _signature_plain)
    monkeypatch.setattr(header, "_last_index", _last_index_plain)
    monkeypatch.setattr(header, "_next_in_column", _next_in_column_plain)
    monkeypatch.setattr(
        header, "_issuer", lambda segs: header._issuer_of(tuple(s.text for s in segs))
    )
    monkeypatch.setattr(obligations, "_inert", lambda text, s, e: False)
    monkeypatch.setattr(obligations, "_request_scan_start", unscreened_start)
    monkeypatch.setattr(obligations, "_sentence_syllables", every_present)
    monkeypatch.setattr(tables, "_spaced_blocks", no_odd_blanks_screen)
    obligations._requests_in.cache_clear()  # remembered answers of the screened path


def _extract_json(text: str) -> str:
    return json.dumps(file_dict(extract_text(text)), ensure_ascii=False, sort_keys=True)


def _files() -> list[Path]:
    found = sorted(SAMPLES.rglob("*.txt"))
    return found + (sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else [])


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("path", _files(), ids=lambda p: p.name)
def test_files_same_without_shortcuts(
    path: Path, form: Form, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = unicodedata.normalize(form, path.read_text(encoding="utf-8"))
    fast = _extract_json(text)
    _plain_paths(monkeypatch)
    try:
        assert _extract_json(text) == fast
    finally:
        obligations._requests_in.cache_clear()


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("seed", [3, 11])
def test_synthetic_files_same_without_shortcuts(
    seed: int, form: Form, monkeypatch: pytest.MonkeyPatch
) -> None:
    if str(ROOT) not in sys.path:  # benchmarks/ is not an installed package
        sys.path.insert(0, str(ROOT))
    from benchmarks.synth import generate_corpus

    texts = [unicodedata.normalize(form, d.text) for d in generate_corpus(25, seed=seed)]
    fast = [_extract_json(t) for t in texts]
    _plain_paths(monkeypatch)
    try:
        assert [_extract_json(t) for t in texts] == fast
    finally:
        obligations._requests_in.cache_clear()


def test_plain_paths_are_the_ones_read(monkeypatch: pytest.MonkeyPatch) -> None:
    # The whole-file comparisons prove something only if the plain paths replace
    # functions the extractor really calls.
    calls: dict[str, int] = {}
    _plain_paths(monkeypatch)
    for module, name in (
        (outline, "_numbered"),
        (outline, "_read_heading"),
        (obligations, "_inert"),
        (obligations, "_request_scan_start"),
        (split, "_substantial"),
        (header, "_signature"),
        (header, "_next_in_column"),
    ):
        plain = getattr(module, name)

        def counted(
            *args: object, _plain: Callable[..., object] = plain, _name: str = name
        ) -> object:
            calls[_name] = calls.get(_name, 0) + 1
            return _plain(*args)

        monkeypatch.setattr(module, name, counted)
    for path in _files():
        extract_text(path.read_text(encoding="utf-8"))
    obligations._requests_in.cache_clear()
    assert set(calls) == {
        "_numbered",
        "_read_heading",
        "_inert",
        "_request_scan_start",
        "_substantial",
        "_signature",
        "_next_in_column",
    }


def test_fold_of_kelvin_sign_is_k() -> None:
    # The outline rows rely on it: a head may fold to "k" from a character that is not "k".
    assert fold("\u212aèm theo") == "kem theo"


def test_seed_folder_is_read_when_present() -> None:
    if not SEEDS.is_dir():
        pytest.skip(f"seed folder {SEEDS} is absent")
    assert any(p.parent == SEEDS for p in _files())
