"""Equivalence tests for the seventh extraction speed pass.

Whole files are compared with the extractor as it was before this pass: the ``ingest``
package of commit ``ORACLE_COMMIT`` is unpacked at test time (``git archive``, nothing
in the working tree or the git state changes) and imported as ``ingest_oracle``. Every
file of the samples, the seeds (alone and joined), hand-written texts holding the hard
cases (Đ/đ, every official date form, recurrences, words and symbols split by PDF line
breaks, triggers in capitals, a dotted capital İ that changes the length of the folded
text) and at least 500 synthetic texts (several seeds) must serialise the same
(``ingest.serialize.file_dict``), in NFC and in NFD. When the extractor's output is
changed on purpose later, move ``ORACLE_COMMIT`` to the commit that changed it (these
tests pin speed work, not behaviour).

The shortcuts of this pass, each compared with its plain path:

* ``obligations._sentence_recipients`` looks for a recipient's head ("Bộ", "Sở", "Ủy
  ban" …) first; a sentence without one has no recipient, and its purpose clauses and
  citations are not looked for. Compared with ``_recipients`` over the blocked ranges
  for every sentence of the corpora and of hand-written rows.
* ``symbols._symbol_matches`` tries ``symbol_regex`` only where ``_SYMBOL_OPENING``
  (digits, then a slash, a hyphen or a Party code, scanned by the standard library's
  engine) matches: the same matches as ``symbol_regex().finditer`` over whole texts,
  random ranges of them, hand-written rows and generated near-symbols.
* ``relations._trigger_matches`` tries the trigger pattern only where the case-folded
  text has the first syllable of a trigger: the same matches as
  ``_trigger_regex().finditer`` over texts, random ranges, every trigger phrase in
  lower case, title case and capitals, and texts whose folding changes their length
  (the plain scan then).
"""

from __future__ import annotations

import random
import sys
import types
import unicodedata
from dataclasses import astuple
from functools import cache
from pathlib import Path
from typing import Literal

import ingest_oracle
import pytest

from ingest import obligations, relations, symbols
from ingest.clean import clean
from ingest.extract import extract_text

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # benchmarks/ is not an installed package
    sys.path.insert(0, str(ROOT))
SEEDS = ROOT.parent / "shared" / "seeds"
# The last commit before this speed pass: the extractor the shortcuts must agree with.
ORACLE_COMMIT = "08cdb148823884f89e1229de600c25829c7cf347"

Form = Literal["NFC", "NFD"]
FORMS: tuple[Form, ...] = ("NFC", "NFD")


# --- the oracle: the extractor before this pass -----------------------------------------------


# The oracle's ``ingest`` package, imported as ``ingest_oracle`` (tests/ingest_oracle.py).
oracle = ingest_oracle.oracle_fixture(
    ORACLE_COMMIT, ("extract", "serialize", "obligations", "symbols", "relations")
)


def test_oracle_is_the_other_package(oracle: types.ModuleType) -> None:
    """The comparison reads two different extractors, not one twice."""
    assert oracle.extract.extract_text is not extract_text
    assert oracle.extract.__file__ != sys.modules["ingest.extract"].__file__
    assert oracle.symbols.find_symbols is not symbols.find_symbols
    assert oracle.relations.find_triggers is not relations.find_triggers


@pytest.mark.parametrize("form", FORMS)
def test_samples_same_as_oracle(oracle: types.ModuleType, form: Form) -> None:
    texts = ingest_oracle.normalised(ingest_oracle.sample_texts(), form)
    ingest_oracle.assert_same_output(oracle, texts)


@pytest.mark.parametrize("form", FORMS)
def test_seeds_same_as_oracle(oracle: types.ModuleType, form: Form) -> None:
    texts = ingest_oracle.normalised(ingest_oracle.seed_texts(), form)
    ingest_oracle.assert_same_output(oracle, texts)


# Hand-written documents with the hard cases of this pass: recipients after hand-over
# verbs and prepositions, inside purpose clauses and citations, agency words that are no
# recipient ("chuyển biến", "cán bộ"); damaged symbols (spaces, a line break after a
# separator, the Party code after a blank, a footnote digit, a date beside them); triggers
# in capitals and split by line breaks; a dotted capital İ (its folding is two
# characters: the trigger scan falls back to the plain one); Đ/đ and every date form.
HARD_DOCUMENTS = [
    "BỘ NỘI VỤ\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "Số: 12/BNV-CQĐP\tĐộc lập - Tự do - Hạnh phúc\n"
    "\tHà Nội, ngày 15 tháng 12 năm 2024\n"
    "V/v báo cáo định kỳ\n"
    "Kính gửi: Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương.\n"
    "CĂN CỨ Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ; THỰC HIỆN Chỉ thị\n"
    "số 33/CT-\nTTg ngày 26-11-2021 của Thủ tướng Chính phủ, Bộ Nội vụ đề nghị Ủy ban nhân\n"
    "dân các tỉnh định kỳ 6 tháng và hằng năm gửi báo cáo về Bộ Nội vụ (qua Vụ Chính quyền\n"
    "địa phương): báo cáo 6 tháng trước ngày 15/6, báo cáo năm trước ngày 15 tháng 12 năm 2024.\n"
    "Đề nghị Sở Tư pháp hằng quý gửi số liệu trước ngày 20 của tháng cuối quý, để tổng hợp,\n"
    "báo cáo Thủ tướng Chính phủ.\n"
    "Thời gian qua, công tác dân vận có nhiều chuyển biến tích cực; trách nhiệm của cán bộ\n"
    "được nâng lên.\n"
    "Theo đề nghị của Bộ trưởng Bộ Nội vụ; Sở Y tế hoàn thành trước ngày 15-12-2024.\n"
    "Nơi nhận:\n- Như trên;\n- Lưu: VT, CQĐP.\nKT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\n\nNguyễn Văn Đạt\n",
    "TỈNH ỦY NINH BÌNH\n*\nSố 84 QĐ/TU   Ninh Bình, ngày 5 tháng 3 năm 2024\n"
    "QUYẾT ĐỊNH\nvề việc ban hành quy chế\n"
    "Tiếp tục thực hiện Nghị quyết số 25 - NQ/TW ngày 03/6/2013, Kết luận số 01-\n\nKL/TW;\n"
    "bãi bỏ Quyết định số 116 /2002/TT-BTC và sửa đổi, bổ sung Hướng dẫn 36-HD/VPTW.\n"
    "Ban hành kèm theo Quyết định này Quy chế làm việc; kèm theo Công văn số 1432/BNV-CTTN\n"
    "là các biểu mẫu. KẾT QUẢ THỰC HIỆN Chỉ thị số 05-CT/TW được báo cáo trước ngày\n"
    "ngày 15/12/2024. Các cấp ủy, tổ chức đảng thường xuyên báo cáo kết quả về Ban\n"
    "Thường vụ Tỉnh ủy theo thời gian đề nghị tại Công văn số 1432/BNV-CTTN.\n"
    "Chậm nhất ngày 30 tháng 6 năm 2025, Sở Xây dựng hoàn thành việc rà soát.\n"
    "Số liệu 123456/ABC, tỷ lệ 3/4, mã ISO9001/2015 và www.x.vn/12/BNV không là ký hiệu.\n",
    "ỦY BAN NHÂN DÂN\nTỈNH ĐỒNG NAI\nSố:   /KH-UBND   Đồng Nai, ngày 02/01/2025\n"
    "KẾ HOẠCH\nTriển khai thực hiện Nghị quyết số 25-NQ/TW\n"
    "İSTANBUL là một địa danh; căn cứ Luật số 10/2022/QH15 ngày 10/11/2022 của Quốc hội,\n"
    "các sở, ban, ngành có trách nhiệm xây dựng kế hoạch, gửi Sở Nội vụ trước ngày\n"
    "ngày 15/12/2024 để tổng hợp. Cụ thể hóa Chương trình số 03-CTr/TU, quán triệt\n"
    "Chỉ thị số 24-CT/TU và sơ kết việc thực hiện Quyết định số 217-QĐ/TW.\n"
    "đ) Định kỳ 6 tháng, các huyện gửi báo cáo về Ủy ban nhân dân tỉnh (qua Sở Nội vụ).\n"
    "Giao Sở Giáo dục và Đào tạo chủ trì, phối hợp với các đơn vị liên quan tổ chức thực hiện.\n",
]


@pytest.mark.parametrize("form", FORMS)
def test_hard_documents_same_as_oracle(oracle: types.ModuleType, form: Form) -> None:
    texts = [(f"hard{i}.txt", t) for i, t in enumerate(HARD_DOCUMENTS)]
    ingest_oracle.assert_same_output(oracle, ingest_oracle.normalised(texts, form))


def test_hard_documents_hold_what_they_test() -> None:
    """The rows are read: obligations with recipients, citations with relations."""
    docs = [d for t in HARD_DOCUMENTS for d in extract_text(t).documents]
    obligations_found = [o for d in docs for o in d.obligations]
    assert len(obligations_found) >= 5
    assert any(o.recipient and o.recipient.startswith("Bộ Nội vụ") for o in obligations_found)
    found = {c.symbol for d in docs for c in d.citations} | {d.symbol for d in docs}
    assert {"33/CT-TTg", "84-QĐ/TU", "01-KL/TW", "116/2002/TT-BTC"} <= found
    relations_found = {c.relation.value for d in docs for c in d.citations}
    assert {"based_on", "implements", "continues", "replaces", "amends"} <= relations_found


# 4 seeds × 130 texts = 520 synthetic files, each in NFC and in NFD.
SYNTH_SEEDS = (2, 13, 31, 77)
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
    texts += [d.text for d in generate_corpus(150, seed=5)]
    return (*texts, *HARD_DOCUMENTS)


def _forms(text: str) -> list[str]:
    return [unicodedata.normalize(form, text) for form in FORMS]


# --- obligations._sentence_recipients ---------------------------------------------------------


def _plain_recipients(
    ctx: obligations._Context, sent: obligations._Sentence
) -> list[obligations._Recipient]:
    """The recipients as read before this pass: blocked ranges first, for every sentence."""
    text = sent.text
    blocked = [
        *obligations._purpose_blocks(text, sent.start, sent.end),
        *obligations._cited_ranges(ctx, sent.start, sent.end),
    ]
    return obligations._recipients(text, sent.start, sent.end, blocked)


def _recipient_counts(source: str) -> tuple[int, int]:
    """Compare the shortcut with the plain path for every sentence of ``source`` read as
    one document (its citations blocking); (sentences without a head, with recipients)."""
    mt = clean(source)
    prose = obligations._prose(mt, 0, len(mt.text))
    citations = tuple(c for d in extract_text(source).documents for c in d.citations)
    ctx = obligations._Context((), None, citations, prose)
    text = prose.text
    skipped = found = 0
    for s, e in obligations._sentences(text):
        sent = obligations._Sentence(s, e, s, text)
        fast = obligations._sentence_recipients(ctx, sent)
        assert fast == _plain_recipients(ctx, sent), text[s:e]
        skipped += obligations._rx()["recipient"].search(text, s, e) is None
        found += bool(fast)
    return skipped, found


@pytest.mark.parametrize("form", FORMS)
def test_sentence_recipients_equal_plain_path_on_every_corpus_sentence(form: Form) -> None:
    skipped = found = 0
    for text in _corpus_texts():
        a, b = _recipient_counts(unicodedata.normalize(form, text))
        skipped, found = skipped + a, found + b
    assert skipped > 1000 and found > 50  # both ways are taken, many times


RECIPIENT_ROWS = [
    "Các sở gửi báo cáo về Bộ Nội vụ trước ngày 15/12/2024.",
    "Các huyện báo cáo Ủy ban nhân dân tỉnh (qua Sở Nội vụ) kết quả thực hiện.",
    "Sở Tư pháp gửi số liệu để tổng hợp, báo cáo Thủ tướng Chính phủ.",
    "Thực hiện Công văn số 12/BNV-VP gửi về Bộ Nội vụ, Sở Y tế gửi báo cáo về Sở Nội vụ.",
    "Thời gian qua có nhiều chuyển biến; trách nhiệm của cán bộ được nâng lên.",
    "Theo đề nghị của Bộ trưởng Bộ Nội vụ;",
    "gửi bộ nội vụ trước ngày 15/6",  # lower case: no recipient's head
    "Nộp hồ sơ cho Văn phòng Ủy ban nhân dân tỉnh; chuyển UBND huyện.",
    "ĐỀ NGHỊ GỬI VỀ BỘ NỘI VỤ",
    "Đề nghị gửi Sở Nội vụ",
]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("row", RECIPIENT_ROWS)
def test_sentence_recipients_equal_plain_path_on_rows(row: str, form: Form) -> None:
    _recipient_counts(unicodedata.normalize(form, row))


def test_sentence_recipients_rows_take_both_ways() -> None:
    """Rows without a recipient's head are decided at once; the others are read."""
    counts = [_recipient_counts(row) for row in RECIPIENT_ROWS]
    assert sum(a for a, _ in counts) >= 2 and sum(b for _, b in counts) >= 4


# --- symbols._symbol_matches ------------------------------------------------------------------


def _symbol_spans_agree(text: str, start: int, stop: int) -> int:
    plain = [m.span() for m in symbols.symbol_regex().finditer(text, start, stop)]
    fast = [m.span() for m in symbols._symbol_matches(text, start, stop)]
    assert fast == plain, (text[start:stop], fast, plain)
    return len(plain)


def _random_ranges(rnd: random.Random, n: int, k: int) -> list[tuple[int, int]]:
    out = [(0, n)]
    for _ in range(k):
        a = rnd.randrange(n + 1)
        out.append((a, rnd.randrange(a, n + 1)))
    return out


@pytest.mark.parametrize("form", FORMS)
def test_symbol_matches_equal_finditer_on_corpora(form: Form) -> None:
    rnd = random.Random(7)
    found = 0
    for text in _corpus_texts():
        t = unicodedata.normalize(form, text)
        for variant in (t, clean(t).text):
            for a, b in _random_ranges(rnd, len(variant), 5):
                found += _symbol_spans_agree(variant, a, b)
    assert found > 3000


SYMBOL_ROWS = [
    "Chỉ thị số 33/CT-TTg ngày 26/11/2021",
    "Nghị quyết số 25-NQ/TW, 25 - NQ/TW và 25 -NQ/TW",
    "Quy định 84 QĐ/TWĐTN; Số 84 QĐ /TU",  # the Party code after a blank
    "Thông tư 116 /2002/TT-BTC, 28/2018/QĐ-TTg, 02/2015/TTLT-BNG-BNV",
    "số 33/CT-\nTTg; 01-\n\nKL/TW; 33/\n\n\n\nCT-TTg",  # line breaks after a separator
    "Luật số 10/2022/QH15 và 05/2023/UBTVQH15; 30c/NĐ-CP; 30C/NĐ-CP",
    "ngày 15/12/2024, 26-11-2021, 1/2/2024, quý I/2025",
    "123456/ABC-XY, ISO9001/2015, 3/4, 1.2/BNV, a5/BNV, x_5/BNV, @5/BNV",
    "https://x.vn/12/BNV-VP và www.x.vn/12/BNV-VP",
    "số٣٣/CT-TTg và ٣٣/CT-TTg",  # digits of another script
    "Số:   /KH-UBND   Đồng Nai",
    "06/CP, 123/UBND-VX, 05/Ba, 3/Cá",
]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("row", SYMBOL_ROWS)
def test_symbol_matches_equal_finditer_on_rows(row: str, form: Form) -> None:
    t = unicodedata.normalize(form, row)
    for a in range(len(t) + 1):
        for b in range(a, len(t) + 1, 3):
            _symbol_spans_agree(t, a, b)


def test_symbol_rows_hold_symbols() -> None:
    assert sum(_symbol_spans_agree(row, 0, len(row)) for row in SYMBOL_ROWS) >= 15


def _near_symbol(rnd: random.Random) -> str:
    """A string built like a symbol, damaged at random: what stands before the number,
    the number, blanks, separators and line breaks, codes, what follows."""
    out = [
        rnd.choice(["", " ", "số", "x", "/", ".", "1", "-", "http://a.vn/", "www.", "@", "Đ"]),
        rnd.choice(["5", "12", "12345", "123456", "٣٣", "30c", "30C", "2024"]),
        rnd.choice(["", " ", "\t", "  "]),
    ]
    for _ in range(rnd.randrange(1, 4)):
        out.append(rnd.choice(["/", "-", " - ", "- ", " -", " / ", ".", " ", "/\n", "-\n\n"]))
        out.append(rnd.choice(["NQ", "QĐ", "QĐi", "CT", "TW", "TTg", "UBND", "QH15", "2018", "BNV",
                               "Tỉnh", "ab", "Ba"]))  # fmt: skip
    out.append(rnd.choice(["", ".", " ngày", "a", "1", ",", "/"]))
    return "".join(out)


def test_symbol_matches_equal_finditer_on_generated_strings() -> None:
    rnd = random.Random(11)
    found = 0
    for _ in range(20000):
        t = _near_symbol(rnd)
        for a, b in _random_ranges(rnd, len(t), 2):
            found += _symbol_spans_agree(t, a, b)
    assert found > 1500


@pytest.mark.parametrize("form", FORMS)
def test_find_symbols_same_as_oracle(oracle: types.ModuleType, form: Form) -> None:
    for text in (*_corpus_texts()[:40], *SYMBOL_ROWS):
        t = clean(unicodedata.normalize(form, text)).text
        new = [(s, e, astuple(p)) for s, e, p in symbols.find_symbols(t)]
        old = [(s, e, astuple(p)) for s, e, p in oracle.symbols.find_symbols(t)]
        assert new == old


# --- relations._trigger_matches ---------------------------------------------------------------


def _trigger_spans_agree(text: str, start: int, end: int) -> int:
    plain = [(m.span(), m.lastgroup) for m in relations._trigger_regex().finditer(text, start, end)]
    fast = [(m.span(), m.lastgroup) for m in relations._trigger_matches(text, start, end)]
    assert fast == plain, (text[start:end], fast, plain)
    return len(plain)


@pytest.mark.parametrize("form", FORMS)
def test_trigger_matches_equal_finditer_on_corpora(form: Form) -> None:
    rnd = random.Random(3)
    found = 0
    for text in _corpus_texts():
        t = clean(unicodedata.normalize(form, text)).text
        # Capitals, and a dotted İ whose folding is two characters (the plain scan).
        for variant in (t, t.upper(), "İ" + t):
            for a, b in _random_ranges(rnd, len(variant), 5):
                found += _trigger_spans_agree(variant, a, b)
    assert found > 5000


TRIGGER_PHRASES = [
    "ban hành kèm theo", "kèm theo", "báo cáo kết quả thực hiện", "kết quả tổ chức triển khai",
    "sơ kết việc thực hiện", "tổng kết", "tiếp tục chỉ đạo, triển khai thực hiện", "thay thế",
    "bãi bỏ", "sửa đổi, bổ sung", "căn cứ", "triển khai thực hiện", "thực hiện", "quán triệt",
    "thực thi", "cụ thể hóa", "ban hành",
]  # fmt: skip


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("phrase", TRIGGER_PHRASES)
def test_trigger_matches_equal_finditer_on_phrases(phrase: str, form: Form) -> None:
    for written in (phrase, phrase.capitalize(), phrase.upper(), phrase.replace(" ", "\n")):
        t = unicodedata.normalize(form, f"Nội dung: {written} Chỉ thị số 33/CT-TTg; {written}")
        for variant in (t, "İ" + t):
            n = len(variant)
            for a in range(0, n + 1, 2):
                _trigger_spans_agree(variant, a, n)
                _trigger_spans_agree(variant, 0, a)
            if form == "NFC":
                assert _trigger_spans_agree(variant, 0, n) >= 2, written


@pytest.mark.parametrize("form", FORMS)
def test_find_triggers_same_as_oracle(oracle: types.ModuleType, form: Form) -> None:
    for text in _corpus_texts()[:40]:
        t = clean(unicodedata.normalize(form, text)).text
        for end in range(0, len(t), 97):
            start = relations.clause_start(t, end)
            assert relations.find_triggers(t, start, end) == [
                relations.Trigger(x.relation, x.start, x.end, x.neutral)
                for x in oracle.relations.find_triggers(t, start, end)
            ]
