"""Equivalence tests for the fifth extraction speed pass.

Whole files are compared with the extractor as it was before this pass: the ``ingest``
package of commit ``ORACLE_COMMIT`` is unpacked at test time (``git archive``, nothing
in the working tree or the git state changes) and imported as ``ingest_oracle``. Every
file of the samples, the seeds and at least 500 synthetic texts (several seeds) must
serialise the same (``ingest.serialize.file_dict``), in NFC and in NFD. When the
extractor's output is changed on purpose later, move ``ORACLE_COMMIT`` to the commit that
changed it (these tests pin speed work, not behaviour).

Each shortcut is also compared with its plain path, row by row:

* ``header.Segment`` is a named tuple (built twice as fast as a frozen dataclass): the
  same fields, positions and equality.
* ``clean.squash_blanks`` returns a printable text without "  " as it is: every blank
  of ``\\s`` but the space is unprintable (checked over every character). Used by
  ``header._norm``, ``citations._squash``, ``outline._clean_title``,
  ``obligations._normalise_action`` and ``tables``.
* ``header._is_caps`` looks for two letters with one search instead of listing them all.
* ``header._starts``, ``header._sentence_case`` and ``header.type_title`` look the word
  prefixes of a line up in sets instead of testing every known head, name or type word
  against the line.
* ``header._title_cuts`` lists the letter boundaries of a piece only when a type word
  is in it (none is kept otherwise).
* ``header._glued`` searches for the glued motto only in pieces holding "NAM".
* ``MappedText.span`` maps through each pass without calling ``_Pass.start`` / ``end``.
* ``split.split_documents`` passes over prose segments without calling ``_header_at``.
* ``tables`` maps a row's span once for all its column groups.
* ``symbols._respell`` asks whether a code is spelled officially in a set, not by
  searching the table's values.
* ``deadlines._FREQ_OPENING`` writes out its optional first character and its group: the
  same places, found twice as fast by the standard library's engine.
"""

from __future__ import annotations

import re
import sys
import types
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import ingest_oracle
import pytest
import regex

from ingest import citations, deadlines, header, obligations, outline, symbols, tables
from ingest.clean import clean, join_lines, squash_blanks
from ingest.extract import extract_text
from ingest.header import Segment, segment_lines
from ingest.models import Span
from ingest.split import split_documents

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # benchmarks/ is not an installed package
    sys.path.insert(0, str(ROOT))
SAMPLES = ROOT / "ingest" / "samples"
SEEDS = ROOT.parent / "shared" / "seeds"
# The last commit before this speed pass: the extractor the shortcuts must agree with.
ORACLE_COMMIT = "d03f1a2071e6e8687d6ca7154317f7b5267640ea"

Form = Literal["NFC", "NFD"]
FORMS: tuple[Form, ...] = ("NFC", "NFD")


# --- the oracle: the extractor before this pass -----------------------------------------------


# The oracle's ``ingest`` package, imported as ``ingest_oracle`` (tests/ingest_oracle.py).
oracle = ingest_oracle.oracle_fixture(
    ORACLE_COMMIT, ("extract", "serialize", "clean", "split", "tables", "symbols"))


def test_oracle_is_the_other_package(oracle: types.ModuleType) -> None:
    """The comparison reads two different extractors, not one twice."""
    assert oracle.extract.extract_text is not extract_text
    assert oracle.extract.__file__ != sys.modules["ingest.extract"].__file__
    assert not any(
        getattr(module, "__name__", "").startswith("ingest.")
        for module in vars(oracle.extract).values()
        if isinstance(module, types.ModuleType)
    )


@pytest.mark.parametrize("form", FORMS)
def test_samples_same_as_oracle(oracle: types.ModuleType, form: Form) -> None:
    paths = sorted(SAMPLES.rglob("*.txt"))
    assert paths, "the samples are part of the repository"
    texts = [(p.name, p.read_text(encoding="utf-8")) for p in paths]
    ingest_oracle.assert_same_output(oracle, ingest_oracle.normalised(texts, form))


@pytest.mark.parametrize("form", FORMS)
def test_seeds_same_as_oracle(oracle: types.ModuleType, form: Form) -> None:
    if not SEEDS.is_dir():
        pytest.skip(f"seed folder {SEEDS} is absent")
    texts = [(p.name, p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt"))]
    joined = ("seeds", "\n\n".join(text for _, text in texts))
    ingest_oracle.assert_same_output(oracle, ingest_oracle.normalised([*texts, joined], form))


# 4 seeds × 130 texts = 520 synthetic files, each in NFC and in NFD.
SYNTH_SEEDS = (0, 7, 19, 42)
SYNTH_PER_SEED = 130


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("seed", SYNTH_SEEDS)
def test_synthetic_same_as_oracle(oracle: types.ModuleType, seed: int, form: Form) -> None:
    texts = ingest_oracle.synthetic_texts(SYNTH_PER_SEED, seed)
    ingest_oracle.assert_same_output(oracle, ingest_oracle.normalised(texts, form))


# --- header.Segment ---------------------------------------------------------------------------


SEGMENT_ROWS = [
    "BỘ NỘI VỤ\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\n\nSố: 12/BNV-VP   Hà Nội, ngày 1/2/2024",
    "Đề nghị các đơn vị\n   \n\tgửi báo cáo",
    "",
    "ĐẢNG BỘ TỈNH\u00a0\u00a0\u00a0ĐẢNG CỘNG SẢN VIỆT NAM\nđ",
]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("text", SEGMENT_ROWS)
def test_segments_are_the_fields_in_order(text: str, form: Form) -> None:
    t = unicodedata.normalize(form, text)
    for seg in segment_lines(t, 0, len(t)):
        fields = (seg.start, seg.end, seg.text, seg.line, seg.column, seg.gap_before)
        assert tuple(seg) == fields
        assert Segment(*fields) == seg
        assert Segment(**seg._asdict()) == seg
        assert t[seg.start : seg.end] == seg.text
        with pytest.raises(AttributeError):
            seg.start = 0  # type: ignore[misc]


# --- clean.squash_blanks ----------------------------------------------------------------------


def _squash_plain(text: str) -> str:
    """The substitution every caller ran before: runs of ``\\s`` as one space."""
    return regex.sub(r"\s+", " ", text)


def _every_character() -> str:
    return "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)


def _blanks() -> list[str]:
    """Every character ``\\s`` matches (in either of the pattern versions used)."""
    everything = _every_character()
    found = {m.group(0) for m in regex.finditer(r"\s", everything)}
    assert found == {m.group(0) for m in regex.finditer(r"\s", everything, flags=regex.V1)}
    return sorted(found)


def test_every_blank_but_the_space_is_unprintable() -> None:
    """What ``squash_blanks`` relies on to return a printable text unread."""
    blanks = _blanks()
    assert " " in blanks and "\u3000" in blanks and "\x85" in blanks
    assert [b for b in blanks if b != " " and b.isprintable()] == []


SQUASH_ROWS = [
    "",
    " ",
    "  ",
    "Sở Nội vụ",
    "Sở  Nội vụ",
    " Sở Nội vụ ",
    "Đề nghị\ngửi báo cáo",
    "Đề nghị\t\tgửi",
    "ĐỀ CƯƠNG\u00a0BÁO CÁO",
    "x\u2028y\u3000z",
    "a\x1cb\x1fc",  # separators: unprintable, but no blank for ``\s``
    "a\u200bb",  # zero-width space: unprintable, no blank either
    "các cơ quan, đơn vị  ;",
]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("text", SQUASH_ROWS)
def test_squash_blanks_equals_the_substitution(text: str, form: Form) -> None:
    t = unicodedata.normalize(form, text)
    assert squash_blanks(t) == _squash_plain(t)


def test_squash_blanks_of_each_blank() -> None:
    for blank in _blanks():
        for t in (f"a{blank}b", f"a {blank}b", f"{blank}", f"a{blank}{blank}"):
            assert squash_blanks(t) == _squash_plain(t), repr(t)


def _squashing_callers(text: str) -> list[object]:
    parts = [text, "và\n", text, "-", text]
    cell = text.replace("\t", " ").replace("\n", " ")  # a blank inside one cell
    table = clean(
        "STT\tTên đơn vị\tBáo cáo năm\t\n\t\tSố văn bản\tNgày ban hành\n"
        f"I. Các sở, {cell} ngành\t\t\t\n1\tSở {cell} Y tế\t12/BC-SYT\t05/3/2024\n"
    )
    return [
        header._norm(text),
        citations._squash(text),
        outline._clean_title(parts),
        obligations._normalise_action(f"Gửi  {text} ,  báo cáo\n"),
        tables.find_submissions(table, 0, len(table.text)),
    ]


def test_squashing_callers_read_a_table() -> None:
    """The table row above is read: its group and agency names go through the squash."""
    records = _squashing_callers("Nội  vụ\n")[-1]
    assert isinstance(records, list) and len(records) == 1
    assert records[0].agency == "Sở Nội vụ Y tế"


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("text", SQUASH_ROWS)
def test_squashing_callers_equal_their_plain_paths(
    text: str, form: Form, monkeypatch: pytest.MonkeyPatch
) -> None:
    t = unicodedata.normalize(form, text)
    fast = _squashing_callers(t)
    for module in (header, citations, outline, obligations, tables):
        monkeypatch.setattr(module, "squash_blanks", _squash_plain)
    assert _squashing_callers(t) == fast


# --- header._is_caps ------------------------------------------------------------------------


def _is_caps_plain(text: str) -> bool:
    """``header._is_caps`` as it was: every letter found, then counted."""
    return not header._LOWER.search(text) and len(header._LETTERS.findall(text)) >= 2


CAPS_ROWS = [
    "",
    "Đ",
    "ĐỀ",
    "Đ Ề",
    "Đ-1-Ề",
    "BỘ NỘI VỤ",
    "Bộ Nội vụ",
    "12/2024",
    "1 A 2",
    "A\n\nB",
    "ỦY BAN NHÂN DÂN TỈNH ĐỒNG NAI",
    "Σ Ω",
    "中文",
    "ǅ",
    "ªº",  # letters without case
    "A\u0300",  # a letter and its combining mark: one letter
]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("text", CAPS_ROWS)
def test_is_caps_equals_counting(text: str, form: Form) -> None:
    t = unicodedata.normalize(form, text)
    assert header._is_caps(t) == _is_caps_plain(t)


# --- deadlines._FREQ_OPENING ------------------------------------------------------------------

# The opening as it was, with an optional first character and a group.
_FREQ_OPENING_PLAIN = (
    r"0?[69]\s+tháng|chín\s+tháng|sáu\s+tháng|nửa\s+năm|bán\s+niên"
    r"|(?:hằng|hàng|mỗi)\s+(?:tháng|quý|năm)|định\s+kỳ|báo\s+cáo\s+(?:tháng|quý|năm)"
    r"|theo\s+quý|thường\s+niên|tổng\s+kết\s+năm|năm(?![ \t\n]*(?:19|20)\d\d)"
)

FREQUENCY_ROWS = [
    "định kỳ 06 tháng và hằng năm gửi báo cáo",
    "Định kỳ 6 tháng, 9 tháng, chín tháng, sáu tháng",
    "000 6 tháng; 0 9\ntháng; 06  tháng",
    "hàng quý, mỗi tháng, hằng\tnăm, nửa năm, bán niên, thường niên",
    "báo cáo tháng, báo cáo quý, báo cáo năm 2024, tổng kết năm",
    "theo quý; năm 2024; năm  2025; năm một lần; quý, năm",
    "ngày 15 tháng 6 năm 2016",
    "",
]


def _openings(pattern: str, text: str) -> list[int]:
    rx = re.compile(pattern)
    return [at for at in range(len(text) + 1) if rx.match(text, at)]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("text", FREQUENCY_ROWS)
def test_frequency_openings_at_the_same_places(text: str, form: Form) -> None:
    low = unicodedata.normalize(form, text).casefold()
    assert _openings(deadlines._FREQ_OPENING, low) == _openings(_FREQ_OPENING_PLAIN, low)


@pytest.mark.parametrize("text", FREQUENCY_ROWS)
def test_frequencies_same_as_the_pattern(text: str) -> None:
    """The openings find every recurrence ``finditer`` finds, ending where it ends."""
    low = text.casefold()
    found = [m.span() for m in deadlines._frequency_matches(text, low)]
    assert found == [m.span() for m in deadlines._frequency_regex().finditer(text)]


def test_frequency_rows_hold_recurrences() -> None:
    assert sum(len(deadlines.find_frequencies(t)) for t in FREQUENCY_ROWS) >= 15


# --- header._starts and header._sentence_case -------------------------------------------------


def _starts_plain(folded: str, heads: Sequence[str]) -> str | None:
    """``header._starts`` as it was: every head tested against the text."""
    best = None
    for h in heads:
        if (folded == h or folded.startswith(h + " ")) and (best is None or len(h) > len(best)):
            best = h
    return best


HEAD_TABLES = {
    "positions": header._POSITIONS,
    "places": header._PLACE_WORDS,
    "bodies": header._BODY_HEADS,
    "committees": header._PARTY_COMMITTEES,
    "kinds": header._KINDS,
}


@pytest.mark.parametrize("name", sorted(HEAD_TABLES))
def test_starts_equals_testing_every_head(name: str) -> None:
    heads = HEAD_TABLES[name]
    texts = ["", " ", "x", "uy ban", "so noi vu", "bo  noi vu", " bo noi vu"]
    for h in heads:
        first = h.split(" ", 1)[0]
        texts += [h, f"{h} x", f"{h}x", f"x {h}", first, f"{first} ", f"{h}  x", f"{h} {h}"]
    for t in texts:
        assert header._starts(t, name) == _starts_plain(t, heads), (name, t)


def _sentence_case_plain(caps: str) -> str:
    """``header._sentence_case`` as it was: every known name tested in turn."""
    words = caps.split()
    k = header._key(caps)
    code = header.issuer_by_code().get(header.fold_code(words[0])) if words else None
    if code is not None and len(words) > 1 and not header._LOWER.search(words[0]):
        return header._join(code.vi, header._rest_case(words[1:]))
    for folded, name in header._issuer_names():
        if k == folded or k.startswith(folded + " "):
            n = len(folded.split())
            return header._join(name, header._rest_case(words[n:]))
    committee = _starts_plain(k, header._PARTY_COMMITTEES)
    if committee is not None:
        n = len(committee.split())
        return header._join(" ".join(words[:n]).capitalize(), header._rest_case(words[n:]))
    return header._generic_case(words)


def _caps_names() -> list[str]:
    names = [name.upper() for _, name in header._issuer_names()]
    extra = ["ỦY BAN NHÂN DÂN TỈNH ĐỒNG NAI", "THỊ ỦY SƠN TÂY", "VỤ CHÍNH QUYỀN ĐỊA PHƯƠNG",
             "UBND HUYỆN A", "SỞ NỘI VỤ", "BAN", "", "TỈNH ỦY", "ĐẢNG ỦY KHỐI"]
    return names + [f"{n} TỈNH NINH BÌNH" for n in names[:40]] + extra


@pytest.mark.parametrize("form", FORMS)
def test_sentence_case_equals_testing_every_name(form: Form) -> None:
    for caps in _caps_names():
        t = unicodedata.normalize(form, caps)
        assert header._sentence_case(t) == _sentence_case_plain(t), t


def _type_title_plain(text: str) -> tuple[str, str] | None:
    """``header.type_title`` as it was: every type word tested against the line."""
    t = text.strip()
    if not header._is_caps(t) or len(t) > 200:
        return None
    k = header._key(t)
    for word, slug in header._type_words():
        if k == word or k.startswith(word + " "):
            rest = header._norm(t[header._prefix_len(t, word) :])
            if header._NUMBERING.fullmatch(rest):
                rest = ""
            return slug, rest
    return None


def _title_lines() -> list[str]:
    words = [w.upper() for w in header.type_by_word()]
    lines = [*words, *(f"{w} SỐ 02" for w in words), *(f"{w} VỀ CÔNG TÁC" for w in words)]
    return [*lines, "ĐỀ CƯƠNG BÁO CÁO", "PHỤ LỤC I", "BẢNG TỔNG HỢP", "BÁO", "", "  QUYẾT ĐỊNH  "]


@pytest.mark.parametrize("form", FORMS)
def test_type_title_equals_testing_every_word(form: Form) -> None:
    for line in _title_lines():
        t = unicodedata.normalize(form, line)
        assert header.type_title(t) == _type_title_plain(t), t
    assert header.type_title("ĐỀ CƯƠNG BÁO CÁO") == ("de-cuong", "")


# --- header._title_cuts -----------------------------------------------------------------------


def _title_cuts_plain(piece: str) -> list[tuple[int, int]]:
    """``header._title_cuts`` as it was: every letter boundary found, then filtered."""
    cuts = list(header._LETTER_JOIN.finditer(piece))
    folded = header.fold(piece)
    if len(folded) != len(piece):
        return [m.span() for m in cuts]
    starts = {m.start() for m in header._type_word_regex().finditer(folded)}
    return [m.span() for m in cuts if m.end() in starts]


CUT_ROWS = [
    "BỘ NỘI VỤBẢNG TỔNG HỢP",
    "BỘ NỘI VỤ BÁO CÁO",
    "ỦY BAN NHÂN DÂN TỈNH ĐỒNG NAI",
    "SỞ Y TẾKẾ HOẠCH",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "",
    "A",
    "QUYẾT ĐỊNH",
    "ĐẢNG BỘ TỈNHCHỈ THỊ",
]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("piece", CUT_ROWS)
def test_title_cuts_equal_plain(piece: str, form: Form) -> None:
    p = unicodedata.normalize(form, piece)
    assert [m.span() for m in header._title_cuts(p)] == _title_cuts_plain(p)


def test_title_cut_rows_hold_cuts() -> None:
    assert sum(len(header._title_cuts(p)) for p in CUT_ROWS) >= 4
    assert [m.span() for m in header._title_cuts("BỘ NỘI VỤ")] == []


# --- header._glued ----------------------------------------------------------------------------


def _glued_plain(piece: str) -> list[tuple[int, int]]:
    """``header._glued`` as it was: the motto searched in every piece."""
    m = header._MOTTO_IN_LINE.search(piece)
    if m and m.start() > 0 and piece[: m.start()].strip():
        return [
            (0, len(piece[: m.start()].rstrip())),
            *((m.start() + a, m.start() + b) for a, b in _glued_plain(piece[m.start() :])),
        ]
    if header._is_caps(piece):
        for m2 in header._title_cuts(piece):
            head, tail = piece[: m2.start()], piece[m2.end() :]
            if header._glued_title(tail) and header.is_issuer_line(head):
                return [(0, m2.start()), (m2.end(), len(piece))]
    return [(0, len(piece))]


GLUED_ROWS = [
    "BỘ NỘI VỤCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "TỈNH ỦY ĐỒNG NAIĐẢNG CỘNG SẢN VIỆT NAM",
    "BỘ NỘI VỤ CONG HOA XA HOI CHU NGHIA VIET NAM",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "BỘ NỘI VỤBẢNG TỔNG HỢP",
    "Đề nghị các đơn vị gửi báo cáo",
    "VIỆT NAM",
    "NAM ĐỊNH",
    "",
]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("piece", GLUED_ROWS)
def test_glued_equals_searching_every_piece(piece: str, form: Form) -> None:
    p = unicodedata.normalize(form, piece)
    assert header._glued(p) == _glued_plain(p)


def test_glued_rows_cut_the_motto() -> None:
    assert len(header._glued(GLUED_ROWS[0])) == 2
    assert len(header._glued(GLUED_ROWS[1])) == 2


# --- textmap.MappedText.span ------------------------------------------------------------------

SPAN_ROWS = [
    "**Đề nghị** <b>Sở</b> Nội vụ\r\n# Mục\nTrang 2/3\n- 4 -\nĐ\u00d0 và \u2013 hết",
    "Số: 12<sup>3</sup>/BNV\u00a0\u00a0VP\r\n__Kính gửi__: Sở\u200b Y tế\n\n5\n",
    "Đề nghị\ngửi báo cáo trước ngày 15/12.",
    "",
]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("text", SPAN_ROWS)
def test_span_equals_mapping_each_end(text: str, form: Form) -> None:
    mt = clean(unicodedata.normalize(form, text))
    for view in (mt, join_lines(mt)):
        for a in range(len(view.text) + 1):
            for b in range(a, len(view.text) + 1):
                s = view.to_source(a)
                e = max(s, view.to_source_end(b))
                assert view.span(a, b) == Span(s, e, view.source[s:e]), (a, b)


def test_span_rows_go_through_several_passes() -> None:
    assert len(clean(SPAN_ROWS[0]).passes) >= 4
    assert len(join_lines(clean(unicodedata.normalize("NFD", SPAN_ROWS[1]))).passes) >= 5


# --- split and tables, row by row against the oracle -------------------------------------------

TABLE_ROWS = [
    "BẢNG TỔNG HỢP\n"
    "STT\tTên đơn vị\tKế hoạch\t\tBáo cáo năm\t\n"
    "\t\tSố văn bản\tNgày ban hành\tSố văn bản\tNgày ban hành\n"
    "I. Các sở, ngành\t\t\t\t\t\n"
    "1\tSở Y tế\t12/KH-SYT\t05/3/2024\t\t\n"
    "2\tSở Tư pháp  \t\t\t88/BC-STP\t10/12/2024\n"
    "II\tCác huyện\t\t\t\t\n"
    "1\tUBND huyện A\t7/KH-UBND\t01/02/2024\t301/BC-UBND\t5/12/2024\n",
    "STT  Đơn vị              Kế hoạch                  Báo cáo\n"
    "                         Số          Ngày          Số          Ngày\n"
    "1    Sở Y tế             12/KH-SYT   05/3/2024\n"
    "2    Sở Tư pháp                                    88/BC-STP   10/12/2024\n",
    "Không có bảng.\n",
]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("text", TABLE_ROWS)
def test_submissions_same_as_oracle(oracle: types.ModuleType, text: str, form: Form) -> None:
    t = unicodedata.normalize(form, text)
    new_mt, old_mt = clean(t), oracle.clean.clean(t)
    new = tables.find_submissions(new_mt, 0, len(new_mt.text))
    old = oracle.tables.find_submissions(old_mt, 0, len(old_mt.text))
    assert [repr(r) for r in new] == [repr(r) for r in old]


def test_table_rows_hold_records() -> None:
    found = [tables.find_submissions(mt, 0, len(mt.text)) for mt in map(clean, TABLE_ROWS)]
    assert [len(f) for f in found] == [6, 4, 0]


SPLIT_ROWS = [
    # A letter, then its outline announced by a type title and "(Kèm theo …)".
    "BỘ NỘI VỤ\nSố: 2215/BNV-CQĐP\nHà Nội, ngày 06 tháng 5 năm 2025\n"
    "Kính gửi: Ủy ban nhân dân các tỉnh.\nĐề nghị các địa phương gửi báo cáo trước ngày 30.\n"
    "Nơi nhận:\n- Như trên;\nKT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\n\nVũ Đức Thịnh\n"
    "BỘ NỘI VỤ\n\nĐỀ CƯƠNG BÁO CÁO\nKết quả thực hiện Chỉ thị số 15/CT-TTg\n"
    "(Kèm theo Công văn số 2215/BNV-CQĐP ngày 06/5/2025 của Bộ Nội vụ)\nI. KẾT QUẢ\n",
    # The signature's body name after a lone "TM." is no new document.
    "Nội dung báo cáo của xã gửi huyện tổng hợp, đề nghị xem xét./.\n"
    "TM.\nỦY BAN NHÂN DÂN\nCHỦ TỊCH\n\nBùi Văn Toản\n",
    "Kính gửi: Sở Nội vụ.\nNội dung.\n",
]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("text", SPLIT_ROWS)
def test_split_same_as_oracle(oracle: types.ModuleType, text: str, form: Form) -> None:
    t = unicodedata.normalize(form, text)
    assert split_documents(clean(t)) == oracle.split.split_documents(oracle.clean.clean(t))


def test_split_rows_split() -> None:
    assert [len(split_documents(clean(t))) for t in SPLIT_ROWS] == [2, 1, 1]


# --- symbols._respell -------------------------------------------------------------------------

SYMBOL_ROWS = [
    "33/CT-TTg",
    "33/ct-ttg",
    "12/Qđ-ubnd",
    "12/QD-UBND",
    "12/QĐ-UBND",
    "5/HD-BNV",
    "5/HĐ-BNV",
    "25/NQ-TW",
    "25-NQ/TW",
    "03-CTr/BDVTW-BCSĐCP",
    "84 QĐ/TWĐTN",
    "02/2015/TTLT-BNG-BNV",
    "05/2013/TTLT/BYT-BTC",
    "10/2022/QH15",
    "1432/BNV-CTTN",
    "1432/bnv-cttn",
    "123/UBND",
    "7/XYZ-ABC",
    "36-HD/VPTW",
    "18/nq-tw",
]


@pytest.mark.parametrize("form", FORMS)
def test_parse_symbol_same_as_oracle(oracle: types.ModuleType, form: Form) -> None:
    for raw in SYMBOL_ROWS:
        s = unicodedata.normalize(form, raw)
        assert repr(symbols.parse_symbol(s)) == repr(oracle.symbols.parse_symbol(s)), s


def test_respell_reads_the_official_sets() -> None:
    types, issuers = symbols._official_spellings()
    type_names, issuer_names = symbols._official_codes()
    assert type_names == frozenset(types.values())
    assert issuer_names == frozenset(issuers.values())
    assert symbols._respell("Qđ", types, type_names) == "QĐ"
    assert symbols._respell("QĐ", types, type_names) == "QĐ"
