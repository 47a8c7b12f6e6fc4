"""Equivalence tests for the eighth extraction speed pass.

Whole files are compared with the extractor as it was before this pass: the ``ingest``
package of commit ``ORACLE_COMMIT`` is unpacked at test time (``git archive``, nothing
in the working tree or the git state changes) and imported as ``ingest_oracle``. Every
file of the samples, the seeds (alone and joined), hand-written texts holding the hard
cases (Đ/đ, every official date form, recurrences beside dates, request verbs in
capitals and split by line breaks, closing lines after odd line separators, odd blanks
in space-aligned tables, clause boundaries of every kind, a dotted capital İ that
changes the length of the folded text) and at least 500 synthetic texts (several seeds)
must serialise the same (``ingest.serialize.file_dict``), in NFC and in NFD. When the
extractor's output is changed on purpose later, move ``ORACLE_COMMIT`` to the commit
that changed it (these tests pin speed work, not behaviour).

The shortcuts of this pass, each compared with its plain path:

* ``tables._ROW_BLANK`` (the standard library's engine) finds the characters of the
  ``regex`` class "row_blank": compared over every code point.
* ``obligations._may_recur`` (``deadlines.may_recur``): a sentence body in which the
  case-folded prose has no recurrence opening gives no recurrence, and
  ``find_frequencies`` is not asked. Compared with ``find_frequencies`` for every
  sentence of the corpora and of hand-written rows.
* ``outline._limit`` finds the first closing line with the standard library's engine:
  compared with the oracle's ``_limit`` over random ranges and every start of rows.
* ``obligations._request_matches`` and ``obligations._duty_matches`` try the "request"
  and "duty" patterns only where the case-folded prose has an opening (to the second
  syllable: "đề nghị", "có trách"); ``relations._trigger_opening`` is read to the second
  syllable too ("ban hành", "kết quả"): the same matches as ``finditer`` over every
  sentence, random ranges, rows in capitals, generated syllable strings, and texts whose
  folding changes length.
* ``relations.clause_start`` takes the last boundary found left to right instead of the
  first found right to left: compared with the oracle's (the reverse search) at every
  position of texts and rows, with several look-back limits.
* ``obligations._may_head_duties``: a list intro whose head's first word begins no agency
  head names no agency, and its words are not read up to the verb. The new
  ``_update_context`` is compared with the oracle's (which reads every intro) sentence by
  sentence over the corpora, and on hand-written intros (line breaks and tabs inside,
  quantifiers, abbreviations, commas).
* ``obligations._cut_sentences(text, to_stop=True)`` ends with the first "Nơi nhận"
  sentence (reading stops there), and ``_sentence_syllables`` searches no text after the
  last sentence it is given: the same sentences as the full cut up to that one, and the
  same syllables as the oracle's for whole, cut and thinned lists of sentences.
* ``outline._NUMBERING_OPENING`` passes over lines opening with a Latin letter that no
  ")" or "." follows, and with any other Latin letter ("Đ", "Ủ"): ``outline._numbered``
  equals the oracle's over the corpora, random ranges, hand-written rows and a line
  opening with each character of the Basic Multilingual Plane.
* ``symbols._SYMBOL_OPENING`` turns away a number whose slash or hyphen (and line breaks)
  an ASCII digit follows that opens no "19xx/" or "20xx/" (dates, year ranges): the same
  matches as ``symbol_regex().finditer`` over the corpora, random ranges of them and
  generated strings built around separators, years and digits of other scripts, and the
  same symbols as the oracle's ``find_symbols``.
* ``citations._short_opening`` turns away a type word's number that a symbol goes on
  from ("Chỉ thị số 33/CT-TTg", "25-NQ/TW", "28/2018/QĐ"): the same matches as
  ``_short_regex().finditer`` over the corpora, random ranges of them and generated
  short mentions, and the same short mentions as the oracle's.
* ``citations._law_mentions`` does not scan a range holding no syllable of a law head
  (``_may_cite_laws``): every head holds one, every match of the opening holds its
  head, and the law mentions equal the oracle's over the corpora, random ranges and
  hand-written rows.
* ``split._header_at`` no longer searches a line for a lower-case letter (its caller has,
  and its two tests refuse such lines anyway): equal to the oracle's at every segment of
  the corpora, prose lines included.
"""

from __future__ import annotations

import random
import sys
import types
import unicodedata
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import Any, Literal

import ingest_oracle
import pytest
import regex

from ingest import (
    citations,
    deadlines,
    header,
    obligations,
    outline,
    relations,
    split,
    symbols,
    tables,
)
from ingest.clean import clean
from ingest.extract import extract_text
from ingest.scan import scan

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # benchmarks/ is not an installed package
    sys.path.insert(0, str(ROOT))
SEEDS = ROOT.parent / "shared" / "seeds"
# The last commit before this speed pass: the extractor the shortcuts must agree with.
ORACLE_COMMIT = "e0df0ea7a72181c6d7e3aff541f6c1553754ac2e"

Form = Literal["NFC", "NFD"]
FORMS: tuple[Form, ...] = ("NFC", "NFD")


# --- the oracle: the extractor before this pass -----------------------------------------------


# The oracle's ``ingest`` package, imported as ``ingest_oracle`` (tests/ingest_oracle.py).
oracle = ingest_oracle.oracle_fixture(
    ORACLE_COMMIT,
    (
        "extract",
        "serialize",
        "outline",
        "relations",
        "obligations",
        "symbols",
        "citations",
        "split",
    ),
)


def test_oracle_is_the_other_package(oracle: types.ModuleType) -> None:
    """The comparison reads two different extractors, not one twice."""
    assert oracle.extract.extract_text is not extract_text
    assert oracle.extract.__file__ != sys.modules["ingest.extract"].__file__
    assert oracle.relations.clause_start is not relations.clause_start
    assert oracle.outline._limit is not outline._limit


@pytest.mark.parametrize("form", FORMS)
def test_samples_same_as_oracle(oracle: types.ModuleType, form: Form) -> None:
    texts = ingest_oracle.normalised(ingest_oracle.sample_texts(), form)
    ingest_oracle.assert_same_output(oracle, texts)


@pytest.mark.parametrize("form", FORMS)
def test_seeds_same_as_oracle(oracle: types.ModuleType, form: Form) -> None:
    texts = ingest_oracle.normalised(ingest_oracle.seed_texts(), form)
    ingest_oracle.assert_same_output(oracle, texts)


# Hand-written documents with the hard cases of this pass: recurrences beside dates
# ("ngày 15 tháng 12 năm 2024" holds "tháng" and "năm" but no recurrence; "6 tháng đầu
# năm", "năm một lần", "quý, năm", "hằng\nnăm" split by a line break, "Định kỳ" in
# capitals); request verbs in capitals, after "Trân trọng", split by line breaks and as
# part of a name ("Ban Chỉ đạo"); closing lines ("Nơi nhận", "NƠI NHẬN", "Trên đây")
# indented, after a carriage return or a line separator (which end no line); odd blanks
# (em space, no-break space, ideographic space) in a space-aligned table; clause
# boundaries (a tab, a colon at a line's end, "a)", "IV.", "(Kèm theo", "1.");
# a dotted capital İ (its folding is two characters: the plain scans); Đ/đ.
HARD_DOCUMENTS = [
    "BỘ NỘI VỤ\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "Số: 12/BNV-CQĐP\tĐộc lập - Tự do - Hạnh phúc\n"
    "\tHà Nội, ngày 15 tháng 12 năm 2024\n"
    "V/v báo cáo định kỳ\n"
    "Kính gửi: Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương.\n"
    "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ; thực hiện\n"
    "Chỉ thị số 33/CT-TTg ngày 26 tháng 11 năm 2021, Bộ Nội vụ ĐỀ NGHỊ Ủy ban nhân dân\n"
    "các tỉnh ĐỊNH KỲ 6 tháng và hằng\nnăm gửi báo cáo về Bộ Nội vụ trước ngày 15/6 và\n"
    "ngày 15 tháng 12 năm 2024. Trân trọng đề nghị Sở Tư pháp hằng quý gửi số liệu trước\n"
    "ngày 20 của tháng cuối quý. Ban Chỉ đạo tỉnh đề\nnghị Sở Y tế báo cáo 6 tháng đầu năm\n"
    "2024 trước ngày 30 tháng 6 năm 2024; năm một lần tổng kết; báo cáo quý, năm gửi Sở.\n"
    "YÊU CẦU Sở Xây dựng hoàn thành trước ngày 31/12/2024.\n"
    "   Nơi nhận:\n- Như trên;\n- Lưu: VT, CQĐP.\nKT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\n\nNguyễn Văn Đạt\n",
    "ỦY BAN NHÂN DÂN\nTỈNH ĐỒNG NAI\nSố: 45/BC-UBND   Đồng Nai, ngày 02/01/2025\n"
    "BÁO CÁO\nKết quả thực hiện công tác dân vận năm 2024\n"
    "I. KẾT QUẢ THỰC HIỆN\n1. Công tác lãnh đạo, chỉ đạo\nThực hiện Kế hoạch số 12-KH/TU:\n"
    "a) Các huyện đã tổ chức quán triệt\tNghị quyết số 25-NQ/TW ngày 03/6/2013.\n"
    "IV. Triển khai Chỉ thị số 05-CT/TW (Kèm theo Công văn số 1432/BNV-CTTN)\n"
    "2. Kết quả cụ thể\nSTT  Tên cơ quan  Kế hoạch  Báo cáo\n"
    "1\u2003Sở Nội vụ\u00a0\u00a0 12/KH-SNV\u3000 15/BC-SNV\n"
    "II. PHƯƠNG HƯỚNG\nTrên đây là báo cáo\r Nơi nhận: giữa dòng\u2028Nơi nhận: sau dấu\n"
    "NƠI NHẬN:\n- Như trên.\n",
    "İSTANBUL là một địa danh; ĐẢNG ỦY KHỐI\nSố 84-QĐ/ĐU   Hà Nội, ngày 5 tháng 3 năm 2024\n"
    "QUYẾT ĐỊNH\nCăn cứ Luật số 10/2022/QH15 ngày 10/11/2022, giao Sở Nội vụ chủ trì; yêu\n"
    "cầu các đơn vị gửi báo cáo hằng tháng về Sở Nội vụ trước ngày 25.\n"
    "Trong năm 2024, hoàn thành việc rà soát. Đề nghị Sở Tài chính bố trí kinh phí.\n",
]


@pytest.mark.parametrize("form", FORMS)
def test_hard_documents_same_as_oracle(oracle: types.ModuleType, form: Form) -> None:
    texts = [(f"hard{i}.txt", t) for i, t in enumerate(HARD_DOCUMENTS)]
    ingest_oracle.assert_same_output(oracle, ingest_oracle.normalised(texts, form))


def test_hard_documents_hold_what_they_test() -> None:
    """The rows are read: obligations with recurrences and recipients, report sections,
    citations with relations."""
    docs = [d for t in HARD_DOCUMENTS for d in extract_text(t).documents]
    found = [o for d in docs for o in d.obligations]
    assert len(found) >= 5
    assert {o.frequency.value for o in found if o.frequency} >= {"half-yearly", "yearly"}
    assert any(o.recipient and o.recipient.startswith("Bộ Nội vụ") for o in found)
    assert any(d.sections for d in docs)
    relations_found = {c.relation.value for d in docs for c in d.citations}
    assert {"based_on", "implements"} <= relations_found


# 4 seeds × 130 texts = 520 synthetic files, each in NFC and in NFD.
SYNTH_SEEDS = (3, 17, 41, 88)
SYNTH_PER_SEED = 130


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("seed", SYNTH_SEEDS)
def test_synthetic_same_as_oracle(oracle: types.ModuleType, seed: int, form: Form) -> None:
    texts = ingest_oracle.synthetic_texts(SYNTH_PER_SEED, seed)
    ingest_oracle.assert_same_output(oracle, ingest_oracle.normalised(texts, form))


# --- corpora for the shortcut tests -----------------------------------------------------------


@cache
def _corpus_texts() -> tuple[str, ...]:
    """Samples, seeds (when present), 150 synthetic texts and the hand-written ones."""
    from benchmarks.synth import generate_corpus

    texts = [t for _, t in ingest_oracle.sample_texts()]
    if SEEDS.is_dir():
        texts += [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    texts += [d.text for d in generate_corpus(150, seed=6)]
    return (*texts, *HARD_DOCUMENTS)


def _random_ranges(rnd: random.Random, n: int, k: int) -> list[tuple[int, int]]:
    out = [(0, n)]
    for _ in range(k):
        a = rnd.randrange(n + 1)
        out.append((a, rnd.randrange(a, n + 1)))
    return out


def _prose_of(source: str) -> str:
    mt = clean(source)
    return obligations._prose(mt, 0, len(mt.text)).text


# --- tables._ROW_BLANK ------------------------------------------------------------------------


def test_row_blank_class_equals_regex_class_on_every_code_point() -> None:
    plain = tables._rx()["row_blank"]
    differ = [
        c
        for c in range(sys.maxunicode + 1)
        if (plain.match(chr(c)) is None) != (tables._ROW_BLANK.match(chr(c)) is None)
    ]
    assert differ == []
    assert tables._ROW_BLANK.search("a\u2003b") and not tables._ROW_BLANK.search("a \t\nb")


# --- obligations._may_recur -------------------------------------------------------------------


def _recurrence_counts(prose: str) -> tuple[int, int]:
    """For every sentence of ``prose`` (NFC, as ``_may_recur`` is asked only about NFC
    prose): when ``_may_recur`` says no, ``find_frequencies`` finds nothing in its body.
    (sentences said no, sentences with a recurrence)."""
    assert unicodedata.is_normalized("NFC", prose)
    said_no = recurring = 0
    for s, e in obligations._sentences(prose):
        sent = obligations._Sentence(s, e, s, prose)
        found = deadlines.find_frequencies(prose[s:e])
        if not obligations._may_recur(sent):
            assert found == [], prose[s:e]
            said_no += 1
        recurring += bool(found)
    return said_no, recurring


@pytest.mark.parametrize("form", FORMS)
def test_may_recur_never_hides_a_recurrence_in_the_corpora(form: Form) -> None:
    said_no = recurring = 0
    for text in _corpus_texts():
        a, b = _recurrence_counts(_prose_of(unicodedata.normalize(form, text)))
        said_no, recurring = said_no + a, recurring + b
    assert said_no > 3000 and recurring > 80  # both ways are taken, many times


RECURRENCE_ROWS = [
    "Hà Nội, ngày 15 tháng 12 năm 2024",
    "Định kỳ 06 tháng và hằng năm, các bộ gửi báo cáo trước ngày 15/6 và 15/12.",
    "ĐỊNH KỲ HẰNG QUÝ báo cáo; HẰNG\nNĂM tổng kết; báo cáo 6 tháng đầu năm 2024.",
    "báo cáo 9 tháng, báo cáo nửa năm, bán niên, thường niên, năm một lần, quý, năm",
    "ngày 09 tháng 02 năm 2022; 5 năm qua; trong năm 2024; mỗi năm; theo quý",
    "İ hằng năm",  # folding changes the length: always asked
    "Sở Nội vụ tổng kết năm; báo cáo tháng 6/2024; báo cáo năm 2024",
    "Quyết định số 12/QĐ-UBND ngày 05 tháng 3 năm 2020 của Ủy ban nhân dân tỉnh.",
    "Hoàn thành trong tháng 6 năm 2024. Năm 2025 tổng kết 10 năm.",
]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("row", RECURRENCE_ROWS)
def test_may_recur_never_hides_a_recurrence_in_rows(row: str, form: Form) -> None:
    _recurrence_counts(_prose_of(unicodedata.normalize(form, row)))


def test_may_recur_rows_take_both_ways() -> None:
    counts = [_recurrence_counts(_prose_of(row)) for row in RECURRENCE_ROWS]
    assert sum(a for a, _ in counts) >= 2 and sum(b for _, b in counts) >= 4


# --- outline._limit ---------------------------------------------------------------------------


CLOSING_ROWS = [
    "I. KẾT QUẢ\nNơi nhận:\n- Như trên.",
    "Nơi nhận: ngay đầu",
    "  \t NƠI NHẬN:\nTrên đây là báo cáo",
    "Kết quả\r Nơi nhận: sau CR\u2028Nơi nhận\x85Nơi nhận\x0bNơi nhận\nxong",
    "Trên\nđây; trên đây\nTrên đây\n",
    "nơi nhận\nNoi nhan\nNơi  nhận\n Nơi nhận",
]


def _limits_agree(old: types.ModuleType, text: str, start: int, end: int) -> int:
    new = outline._limit(text, start, end)
    assert new == old.outline._limit(text, start, end), (text[start:end], new)
    return int(new < end)


@pytest.mark.parametrize("form", FORMS)
def test_limit_same_as_oracle_on_rows(oracle: types.ModuleType, form: Form) -> None:
    found = 0
    for row in CLOSING_ROWS:
        t = unicodedata.normalize(form, row)
        for a in range(len(t) + 1):
            for b in range(a, len(t) + 1):
                found += _limits_agree(oracle, t, a, b)
    if form == "NFC":  # NFD rows spell no closing line (cleaning composes a file first)
        assert found > 100


@pytest.mark.parametrize("form", FORMS)
def test_limit_same_as_oracle_on_corpora(oracle: types.ModuleType, form: Form) -> None:
    rnd = random.Random(5)
    found = 0
    for text in _corpus_texts():
        t = clean(unicodedata.normalize(form, text)).text
        for a, b in _random_ranges(rnd, len(t), 10):
            found += _limits_agree(oracle, t, a, b)
    assert found > 200


# --- obligations._request_matches, obligations._duty_matches ---------------------------------

# The shortcut of each pattern.
_FAST_MATCHES = {
    "request": obligations._request_matches,
    "duty": obligations._duty_matches,
}


def _trigger_spans_agree(kind: str, text: str, start: int, end: int) -> int:
    plain = [m.span() for m in obligations._rx()[kind].finditer(text, start, end)]
    fast = [m.span() for m in _FAST_MATCHES[kind](text, start, end)]
    assert fast == plain, (kind, text[start:end], fast, plain)
    return len(plain)


@pytest.mark.parametrize("kind", sorted(_FAST_MATCHES))
@pytest.mark.parametrize("form", FORMS)
def test_trigger_matches_equal_finditer_on_corpora(kind: str, form: Form) -> None:
    rnd = random.Random(9)
    found = 0
    for text in _corpus_texts():
        prose = _prose_of(unicodedata.normalize(form, text))
        # Capitals, and a dotted İ whose folding is two characters (the plain scan).
        for variant in (prose, prose.upper(), "İ" + prose):
            for s, e in obligations._sentences(variant):
                found += _trigger_spans_agree(kind, variant, s, e)
            for a, b in _random_ranges(rnd, len(variant), 3):
                found += _trigger_spans_agree(kind, variant, a, b)
    assert found > 250


TRIGGER_ROWS = [
    "Đề nghị Sở Nội vụ gửi; đề\nnghị các sở gửi; ĐỀ NGHỊ SỞ gửi; Trân trọng đề nghị Sở gửi",
    "kính đề nghị Bộ xem xét; xin đề nghị Bộ xem xét; TRÂN TRỌNG ĐỀ NGHỊ BỘ xem xét",
    "Yêu cầu các đơn vị gửi; YÊU CẦU Sở gửi; giao Sở Y tế chủ trì; giao cho Sở chủ trì",
    "Giao Ban Dân vận chủ trì; giao ban tuần; giao thông; giao\ncho Sở Tư pháp thực hiện",
    "Ban Chỉ đạo tỉnh chỉ đạo các huyện; phân công Sở Nội vụ; PHÂN\nCÔNG Sở; chỉ đạo của Bộ",
    "đềnghị; yêucầu; giaothông; xin; trân trọng; kính gửi; theo đề nghị của Sở",
    "Sở có trách nhiệm tổng hợp; CÓ TRÁCH\nNHIỆM; có trách nhiệm với dân; chịu trách nhiệm",
    "chịu trách nhiệm trước; có nhiệm vụ; Chủ trì, phối hợp; phải báo cáo; phải chăng",
    "cần thiết; khi cần; nếu cần báo cáo; Cần tập trung; CẦN; cóc; chủtrì; phảiđạo",
]


@pytest.mark.parametrize("kind", sorted(_FAST_MATCHES))
@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("row", TRIGGER_ROWS)
def test_trigger_matches_equal_finditer_on_rows(kind: str, row: str, form: Form) -> None:
    t = unicodedata.normalize(form, row)
    for variant in (t, t.upper(), "İ" + t):
        n = len(variant)
        for a in range(n + 1):
            _trigger_spans_agree(kind, variant, a, n)
            _trigger_spans_agree(kind, variant, 0, a)


@pytest.mark.parametrize("kind", sorted(_FAST_MATCHES))
def test_trigger_rows_hold_triggers(kind: str) -> None:
    assert sum(_trigger_spans_agree(kind, r, 0, len(r)) for r in TRIGGER_ROWS) >= 10


# --- relations.clause_start -------------------------------------------------------------------


def _clause_starts_agree(old: types.ModuleType, text: str, pos: int, limit: int) -> bool:
    new = relations.clause_start(text, pos, limit)
    assert new == old.relations.clause_start(text, pos, limit), (text[max(0, pos - limit) : pos],)
    return new > max(0, pos - limit)


@pytest.mark.parametrize("form", FORMS)
def test_clause_start_same_as_oracle_on_corpora(oracle: types.ModuleType, form: Form) -> None:
    found = 0
    for text in _corpus_texts()[:60]:
        t = clean(unicodedata.normalize(form, text)).text
        for pos in range(0, len(t) + 1, 7):
            found += _clause_starts_agree(oracle, t, pos, 300)
    assert found > 3000


CLAUSE_ROWS = [
    "Thực hiện A. Căn cứ B: \nC\tD\n  - E\n(F\n12. G\na) H\nIV. I\nđ) K! L? M.",
    "kết thúc:   \n\n\t \n  (Kèm theo Công văn)\n1.2. mục\nXIV.\nx)y",
    "dấu chấm.   Đ; dấu hai chấm:Đ; chấm.\n- gạch \t\t tab:",
    "İ. Ổ: ǅ. ǈ; \u2028. \u0661. ٣٣.",  # title-case capitals, other digits
]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("row", CLAUSE_ROWS)
def test_clause_start_same_as_oracle_on_rows(
    oracle: types.ModuleType, row: str, form: Form
) -> None:
    t = unicodedata.normalize(form, row)
    for pos in range(len(t) + 1):
        for limit in (0, 1, 3, 8, 20, 300):
            _clause_starts_agree(oracle, t, pos, limit)


def test_boundary_parts_are_the_pattern() -> None:
    """The forward pattern is the reverse one read the other way, nothing else."""
    assert relations._BOUNDARY.pattern == relations._BOUNDARY_FORWARD.pattern
    assert relations._BOUNDARY.flags & regex.REVERSE
    assert not relations._BOUNDARY_FORWARD.flags & regex.REVERSE


# --- obligations._may_head_duties -------------------------------------------------------------


def _context_state(ctx: object) -> tuple[object, ...]:
    intro = getattr(ctx, "intro", None)
    shown = None if intro is None else (intro.text, intro.start, intro.end, intro.via)
    return shown, getattr(ctx, "proposal_section", None)


def _no_span(start: int, end: int) -> Any:
    """The span maker of the prose whose intros are compared (no span is compared)."""
    return None


def _intros_agree(
    old: types.ModuleType, prose: str, sentences: list[obligations._Sentence]
) -> int:
    """Read ``sentences`` of ``prose`` in turn with today's ``_update_context`` and the
    oracle's; after each the two contexts hold the same intro and proposal flag. Returns
    how many intros the shortcut decided at once."""
    new_ctx = obligations._Context((), None, (), obligations._Prose(prose, _no_span))
    old_ctx = old.obligations._Context((), None, (), old.obligations._Prose(prose, None))
    presents = obligations._sentence_syllables(prose, [(s.start, s.end) for s in sentences])
    decided = 0
    for sent, present in zip(sentences, presents, strict=True):
        obligations._update_context(new_ctx, sent, present)
        old.obligations._update_context(old_ctx, sent, present)
        assert _context_state(new_ctx) == _context_state(old_ctx), prose[sent.start : sent.end]
        head = prose[sent.body : sent.end].rstrip(" :")
        decided += prose[sent.end - 1] == ":" and not obligations._may_head_duties(head)
    return decided


def _read_sentences(prose: str) -> list[obligations._Sentence]:
    """The sentences ``find_obligations`` reads (stop and skip lines left out)."""
    out: list[obligations._Sentence] = []
    for s, e in obligations._sentences(prose):
        sent = obligations._sentence_at(prose, s, e)
        if sent == "stop":
            break
        if sent != "skip":
            out.append(sent)
    return out


@pytest.mark.parametrize("form", FORMS)
def test_update_context_same_as_oracle_on_corpora(oracle: types.ModuleType, form: Form) -> None:
    decided = 0
    for text in _corpus_texts():
        prose = _prose_of(unicodedata.normalize(form, text))
        decided += _intros_agree(oracle, prose, _read_sentences(prose))
    assert decided > 150


INTRO_ROWS = [
    "Chủ tịch UBND tỉnh có ý kiến như sau:",
    "Các sở, ngành có trách nhiệm:",
    "2. Bộ Nội vụ:",
    "1. Bộ trưởng, Thủ trưởng cơ quan ngang bộ, Chủ tịch UBND các tỉnh chỉ đạo:",
    "Ủy ban\nnhân dân tỉnh:",
    "Ủy ban\nnhân dân tỉnh thực hiện:",
    "Bộ\tNội vụ chủ trì:",
    "Sở Nội vụ\nchủ trì:",
    "UBND, HĐND tỉnh:",
    "UBND\ntỉnh:",
    "các\u2003sở:",
    "Các\nsở, ngành:",
    "Toàn thể cán bộ, đảng viên:",
    "toàn thể:",
    ", Sở Y tế:",
    "Kết quả cụ thể như sau:",
    "CÁC SỞ, NGÀNH:",
    "Mọi cơ quan, đơn vị:",
    "Quý cơ quan:",
    "İSTANBUL:",
    "Đảng uỷ Khối:",
    "Sở Nội vụ và:",
    "a) Sở Tài chính, Kho bạc Nhà nước tỉnh:",
    "Thủ trưởng các cơ quan, đơn vị có trách nhiệm:",
]


@pytest.mark.parametrize("form", FORMS)
def test_update_context_same_as_oracle_on_rows(oracle: types.ModuleType, form: Form) -> None:
    decided = 0
    for row in INTRO_ROWS:
        t = unicodedata.normalize(form, row)
        marker = obligations._rx()["list_marker"].match(t)
        body = marker.end() if marker and obligations._marker_fits(t, 0, len(t)) else 0
        decided += _intros_agree(oracle, t, [obligations._Sentence(0, len(t), body, t)])
    if form == "NFC":
        assert decided >= 3


# --- obligations._cut_sentences(to_stop=True), bounded _sentence_syllables --------------------


def _cut_at_stop(prose: str, bounds: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``bounds`` up to the first sentence ``_sentence_at`` calls "stop", that one kept."""
    for i, (s, e) in enumerate(bounds):
        if obligations._sentence_at(prose, s, e) == "stop":
            return bounds[: i + 1]
    return bounds


def _stop_cut_agrees(prose: str) -> bool:
    full = obligations._sentences(prose)
    cut = obligations._cut_sentences(prose, to_stop=True)
    assert cut == _cut_at_stop(prose, full), prose
    return len(cut) < len(full)


@pytest.mark.parametrize("form", FORMS)
def test_sentences_to_stop_are_the_sentences_read(form: Form) -> None:
    stopped = sum(
        _stop_cut_agrees(_prose_of(unicodedata.normalize(form, t))) for t in _corpus_texts()
    )
    assert stopped > 100


STOP_ROWS = [
    "Đề nghị Sở gửi báo cáo.\nNơi nhận:\n- Như trên;\n- Lưu: VT.",
    "Đề nghị Sở gửi báo cáo. NƠI NHẬN: Như trên. Nơi nhận: lần hai.",
    "Nội dung Nơi nhận ở giữa câu. Nơi  nhận:\tcách. Nơi\nnhận",
    "Nhận được Công văn. Nơi nhận",
    "Không có nơi nhận. nơi nhận: chữ thường",
    "Nơi nhận:",
]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("row", STOP_ROWS)
def test_sentences_to_stop_on_rows(row: str, form: Form) -> None:
    _stop_cut_agrees(unicodedata.normalize(form, row))


def test_stop_rows_stop() -> None:
    assert sum(_stop_cut_agrees(row) for row in STOP_ROWS) >= 3


def _syllables_agree(old: types.ModuleType, prose: str, bounds: list[tuple[int, int]]) -> None:
    new = [p.words for p in obligations._sentence_syllables(prose, bounds)]
    plain = [p.words for p in old.obligations._sentence_syllables(prose, bounds)]
    assert new == plain, prose


@pytest.mark.parametrize("form", FORMS)
def test_sentence_syllables_same_as_oracle(oracle: types.ModuleType, form: Form) -> None:
    rnd = random.Random(4)
    for text in _corpus_texts():
        prose = _prose_of(unicodedata.normalize(form, text))
        full = obligations._sentences(prose)
        for bounds in (
            full,
            obligations._cut_sentences(prose, to_stop=True),
            full[: rnd.randrange(len(full) + 1)],
            [b for b in full if rnd.random() < 0.5],
        ):
            _syllables_agree(oracle, prose, bounds)


# --- outline._NUMBERING_OPENING ---------------------------------------------------------------


def _numbered_agree(old: types.ModuleType, text: str, start: int, end: int) -> int:
    new = outline._numbered(text, start, end)
    assert new == old.outline._numbered(text, start, end), text[start:end]
    return len(new)


@pytest.mark.parametrize("form", FORMS)
def test_numbered_same_as_oracle_on_corpora(oracle: types.ModuleType, form: Form) -> None:
    rnd = random.Random(8)
    found = 0
    for text in _corpus_texts():
        t = clean(unicodedata.normalize(form, text)).text
        for a, b in _random_ranges(rnd, len(t), 4):
            found += _numbered_agree(oracle, t, a, b)
    assert found > 3000


NUMBERED_ROWS = [
    "I. KẾT QUẢ\nII- CÔNG TÁC\n  IV) Nội dung\nXIV: x\nIIII. y\nVX. z\nI.Tên",
    "1. Kết quả\n1.1. Chi tiết\n1.2 Chi tiết\n 2) Hai\n12 . Mười hai\n123. số\n2024 năm",
    "a) Một\nđ) Năm\nb. Hai\nc.thường\nf) không\nz) không\ntrong năm\ncác đơn vị",
    "Đ) hoa\nĐề cương\nỦy ban\n٣. số Ả Rập\n३) số Devanagari\n²) mũ\n• gạch\n- gạch",
    "\t\ta) thụt\n   1. thụt\n\n\nb) sau dòng trống\nx) Mười\ny. Hoa",
]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("row", NUMBERED_ROWS)
def test_numbered_same_as_oracle_on_rows(oracle: types.ModuleType, row: str, form: Form) -> None:
    t = unicodedata.normalize(form, row)
    for a in range(len(t) + 1):
        _numbered_agree(oracle, t, a, len(t))


def test_numbered_same_as_oracle_for_every_first_character(oracle: types.ModuleType) -> None:
    found = 0
    for c in range(0x10000):
        ch = chr(c)
        t = f"x\n{ch}) Abc\n{ch}. Abc\n{ch}1. Abc\n {ch}\tAbc\n{ch}"
        found += _numbered_agree(oracle, t, 0, len(t))
    assert found > 50


# --- symbols._SYMBOL_OPENING ------------------------------------------------------------------


def _symbol_spans_agree(text: str, start: int, stop: int) -> int:
    plain = [m.span() for m in symbols.symbol_regex().finditer(text, start, stop)]
    fast = [m.span() for m in symbols._symbol_matches(text, start, stop)]
    assert fast == plain, (text[start:stop], fast, plain)
    return len(plain)


@pytest.mark.parametrize("form", FORMS)
def test_symbol_matches_equal_finditer_on_corpora(form: Form) -> None:
    rnd = random.Random(12)
    found = 0
    for text in _corpus_texts():
        t = clean(unicodedata.normalize(form, text)).text
        for a, b in _random_ranges(rnd, len(t), 5):
            found += _symbol_spans_agree(t, a, b)
    assert found > 1500


def _near_dated_symbol(rnd: random.Random) -> str:
    """A number, a separator, line breaks and blanks, then what may follow: a year (of
    any digits, with or without its slash), a date's month, a code, a digit."""
    return "".join(
        [
            rnd.choice(["", " ", "số ", "ngày ", "/", "-", "x"]),
            rnd.choice(["5", "15", "33", "2021", "12345", "٣٣", "30c"]),
            rnd.choice(["/", "-", " /", " - ", "- ", "/ "]),
            rnd.choice(["", "\n", " \n ", "\n\n", "\n\n\n", "\n\n\n\n", "\t"]),
            rnd.choice(["2024", "2024/", "2024 /", "1999/", "1899/", "20٢٤/", "20٢٤", "19٩٩",
                        "19", "20", "12", "6", "٣", "CT", "QĐ", "TTg", "Ttri", "2025 ", "0"]),
            rnd.choice(["", "/QĐ-TTg", "/CT", "-NQ/TW", "/2025", " ", ".", "/NĐ-CP", "QĐ-TTg",
                        " /NĐ-CP"]),
        ]
    )  # fmt: skip


@pytest.mark.parametrize("form", FORMS)
def test_find_symbols_same_as_oracle(oracle: types.ModuleType, form: Form) -> None:
    for text in _corpus_texts():
        t = clean(unicodedata.normalize(form, text)).text
        new = [(s, e, p.canonical) for s, e, p in symbols.find_symbols(t)]
        old = [(s, e, p.canonical) for s, e, p in oracle.symbols.find_symbols(t)]
        assert new == old


# --- citations._short_opening -----------------------------------------------------------------


def _short_spans_agree(text: str, start: int, stop: int) -> int:
    pattern = citations._short_regex()
    plain = [m.span() for m in pattern.finditer(text, start, stop)]
    fast = [m.span() for m in scan(pattern, citations._short_opening(), text, start, stop)]
    assert fast == plain, (text[start:stop], fast, plain)
    return len(plain)


@pytest.mark.parametrize("form", FORMS)
def test_short_matches_equal_finditer_on_corpora(form: Form) -> None:
    rnd = random.Random(14)
    for text in _corpus_texts():
        t = clean(unicodedata.normalize(form, text)).text
        for a, b in _random_ranges(rnd, len(t), 5):
            _short_spans_agree(t, a, b)


def _near_short(rnd: random.Random) -> str:
    """A type word or code, blanks, maybe "số", a number, then what may follow it."""
    return "".join(
        [
            rnd.choice(["", "x ", "theo ", "Đ"]),
            rnd.choice(["Chỉ thị", "Nghị quyết", "Quyết định", "NQ", "CT", "CTr", "Công văn"]),
            rnd.choice([" ", "  ", "\n", " số ", " số", "\t"]),
            rnd.choice(["33", "5", "30c", "123456", "٣٣", "33٣", "12a", "0"]),
            rnd.choice(["", "/", " /", "-", " - ", " -", "/ ", ".", ",", "\n"]),
            rnd.choice(["", "2020", "2020/", "2020 -", "20٢٠", "1999", "19x", "20 1", "CT",
                        "NQ/TW", "5", " tháng", " năm", "%", ",5", ".5", "a", "Đ"]),
            rnd.choice(["", "/QĐ", "-TTg", " ", ".", "1", "ngày"]),
        ]
    )  # fmt: skip


@pytest.mark.parametrize(("near", "agree", "seed"), [
    (_near_dated_symbol, _symbol_spans_agree, 21),
    (_near_short, _short_spans_agree, 22),
], ids=["symbol", "short"])
def test_fast_matches_equal_finditer_on_generated_strings(
        near: Callable[[random.Random], str], agree: Callable[[str, int, int], int],
        seed: int) -> None:
    rnd = random.Random(seed)
    found = 0
    for _ in range(20000):
        t = near(rnd)
        for a, b in _random_ranges(rnd, len(t), 2):
            found += agree(t, a, b)
    assert found > 2000


@pytest.mark.parametrize("form", FORMS)
def test_short_mentions_same_as_oracle(oracle: types.ModuleType, form: Form) -> None:
    for text in (*_corpus_texts(), *(_near_short(random.Random(i)) for i in range(300))):
        t = clean(unicodedata.normalize(form, text)).text
        new = citations._short_mentions(t, 0, len(t))
        old = oracle.citations._short_mentions(t, 0, len(t))
        assert _shown(new) == _shown(old)


def _shown(mentions: Sequence[Any]) -> list[tuple[object, ...]]:
    return [
        (m.start, m.end, m.number, m.slug, m.year)
        for m in mentions
    ]


# --- citations._may_cite_laws -----------------------------------------------------------------


def test_every_law_head_holds_a_screen_syllable() -> None:
    for head in citations._LAW_HEADS:
        assert set(head.split()) & set(citations._LAW_SYLLABLES), head
    # The opening is made of these heads and nothing else.
    assert citations._law_opening().pattern == citations._opening(citations._LAW_HEADS)


def _laws_shown(mentions: Sequence[Any]) -> list[tuple[object, ...]]:
    return [
        (m.start, m.end, m.name, m.slug, m.key, m.date)
        for m in mentions
    ]


LAW_ROWS = [
    "Căn cứ Luật Tổ chức chính quyền địa phương năm 2015; Bộ luật Lao động năm 2019;",
    "Pháp lệnh Thực hiện dân chủ ở xã, phường, thị trấn ngày 20/4/2007; Hiến pháp năm 2013",
    "Luật sửa đổi, bổ sung một số điều của Luật Cán bộ, công chức ngày 25/11/2019",
    "Bộ\nluật Dân sự năm 2015; Hiến\npháp năm 1992; Pháp\nlệnh năm 2000; luật sư năm 2020",
    "LUẬT năm 2015; luật Đất đai năm 2013; pháp luật năm 2020; Luật năm",
]


@pytest.mark.parametrize("form", FORMS)
def test_law_mentions_same_as_oracle(oracle: types.ModuleType, form: Form) -> None:
    rnd = random.Random(15)
    found = 0
    for text in (*_corpus_texts(), *LAW_ROWS):
        t = clean(unicodedata.normalize(form, text)).text
        for a, b in _random_ranges(rnd, len(t), 4):
            new = _laws_shown(citations._law_mentions(t, a, b))
            assert new == _laws_shown(oracle.citations._law_mentions(t, a, b)), t[a:b]
            found += len(new)
    assert found > 10


# --- openings read to the second syllable: requests, duties, relation triggers ----------------

# Syllables of the request, duty and trigger phrases and their near misses, and the blanks
# that may or may not join them.
_SYLLABLES = tuple(
    " ".join(
        (
            "đề nghị xuất yêu cầu giao cho ban thông chỉ đạo thị phân công trân trọng kính xin",
            "có trách nhiệm nhiều vụ chịu chủ trì phải cần thiết hành kèm theo báo cáo kết quả",
            "luận sơ tổng tiếp tục thay thế bãi bỏ sửa đổi bổ sung căn cứ triển khai thực hiện",
            "thi quán triệt cụ thể hóa nhân dân Sở Bộ số",
        )
    ).split(" ")
)
_JOINS = (" ", "  ", "\n", "\t", " \n ", "\u00a0", "", ", ")


def _syllable_soup(rnd: random.Random) -> str:
    words = [rnd.choice(_SYLLABLES) for _ in range(rnd.randrange(2, 9))]
    words = [w.upper() if rnd.random() < 0.15 else w.capitalize() if rnd.random() < 0.2 else w
             for w in words]  # fmt: skip
    return "".join(w + rnd.choice(_JOINS) for w in words)


def _trigger_phrase_spans_agree(text: str, start: int, end: int) -> int:
    plain = [
        (m.span(), m.lastgroup) for m in relations._trigger_regex().finditer(text, start, end)
    ]
    fast = [(m.span(), m.lastgroup) for m in relations._trigger_matches(text, start, end)]
    assert fast == plain, (text[start:end], fast, plain)
    return len(plain)


def test_second_syllable_openings_on_generated_strings() -> None:
    rnd = random.Random(31)
    found = {"request": 0, "duty": 0, "trigger": 0}
    for _ in range(15000):
        t = _syllable_soup(rnd)
        for variant in (t, "İ" + t):
            for a, b in _random_ranges(rnd, len(variant), 2):
                for kind in _FAST_MATCHES:
                    found[kind] += _trigger_spans_agree(kind, variant, a, b)
                found["trigger"] += _trigger_phrase_spans_agree(variant, a, b)
    assert min(found.values()) > 150, found


# --- split._header_at -------------------------------------------------------------------------


@pytest.mark.parametrize("form", FORMS)
def test_header_at_same_as_oracle_at_every_segment(oracle: types.ModuleType, form: Form) -> None:
    found = 0
    for text in _corpus_texts():
        t = clean(unicodedata.normalize(form, text)).text
        segs = header.segment_lines(t, 0, len(t))
        for i in range(len(segs)):
            new = split._header_at(segs, i)
            assert new == oracle.split._header_at(segs, i), segs[i].text
            found += new is not None
    assert found > 100
