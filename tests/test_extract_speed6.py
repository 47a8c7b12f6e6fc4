"""Equivalence tests for the sixth extraction speed pass.

Whole files are compared with the extractor as it was before this pass: the ``ingest``
package of commit ``ORACLE_COMMIT`` is unpacked at test time (``git archive``, nothing
in the working tree or the git state changes) and imported as ``ingest_oracle``. Every
file of the samples, the seeds (alone and joined), hand-written texts holding the hard
cases (Đ/đ, every official date form, recurrences, words split by PDF line breaks) and
at least 500 synthetic texts (several seeds) must serialise the same
(``ingest.serialize.file_dict``), in NFC and in NFD. When the extractor's output is
changed on purpose later, move ``ORACLE_COMMIT`` to the commit that changed it (these
tests pin speed work, not behaviour).

The shortcut of this pass, compared with its plain path line by line:

* ``header.segment_lines`` cuts a prose line (no column gap, no "NAM", a lower-case
  letter) into its one piece without the column and glue machinery and without asking
  the memory (``header._prose_pieces``): the same pieces as ``header._pieces`` for every
  line of the corpora and of the hand-written rows, and the same segments as the
  oracle's ``segment_lines``.
"""

from __future__ import annotations

import sys
import types
import unicodedata
from pathlib import Path
from typing import Literal

import ingest_oracle
import pytest

from ingest import header
from ingest.clean import clean
from ingest.extract import extract_text
from ingest.header import segment_lines

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # benchmarks/ is not an installed package
    sys.path.insert(0, str(ROOT))
SEEDS = ROOT.parent / "shared" / "seeds"
# The last commit before this speed pass: the extractor the shortcuts must agree with.
ORACLE_COMMIT = "8eeeb3d146df177e348ae8665eecc7827b64848d"

Form = Literal["NFC", "NFD"]
FORMS: tuple[Form, ...] = ("NFC", "NFD")


# --- the oracle: the extractor before this pass -----------------------------------------------


# The oracle's ``ingest`` package, imported as ``ingest_oracle`` (tests/ingest_oracle.py).
oracle = ingest_oracle.oracle_fixture(ORACLE_COMMIT, ("extract", "serialize", "header"))


def test_oracle_is_the_other_package(oracle: types.ModuleType) -> None:
    """The comparison reads two different extractors, not one twice."""
    assert oracle.extract.extract_text is not extract_text
    assert oracle.extract.__file__ != sys.modules["ingest.extract"].__file__
    assert oracle.header.segment_lines is not segment_lines


@pytest.mark.parametrize("form", FORMS)
def test_samples_same_as_oracle(oracle: types.ModuleType, form: Form) -> None:
    texts = ingest_oracle.normalised(ingest_oracle.sample_texts(), form)
    ingest_oracle.assert_same_output(oracle, texts)


@pytest.mark.parametrize("form", FORMS)
def test_seeds_same_as_oracle(oracle: types.ModuleType, form: Form) -> None:
    texts = ingest_oracle.normalised(ingest_oracle.seed_texts(), form)
    ingest_oracle.assert_same_output(oracle, texts)


# Hand-written documents with the hard cases: Đ/đ, every date form, recurrences, words
# and dates split by PDF line breaks, column gaps, the motto glued to an issuer, lines
# that are prose but look like headers.
HARD_DOCUMENTS = [
    "BỘ NỘI VỤ\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "Số: 12/BNV-CQĐP\tĐộc lập - Tự do - Hạnh phúc\n"
    "\tHà Nội, ngày 15 tháng 12 năm 2024\n"
    "V/v báo cáo định kỳ\n"
    "Kính gửi: Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương.\n"
    "Thực hiện Chỉ thị số 33/CT-TTg ngày 26/11/2021 của Thủ tướng Chính phủ, Bộ Nội vụ đề\n"
    "nghị Ủy ban nhân dân các tỉnh định kỳ 6 tháng và hằng năm gửi báo cáo về Bộ Nội vụ:\n"
    "báo cáo 6 tháng trước ngày 15/6, báo cáo năm trước ngày 15 tháng 12 năm 2024.\n"
    "Đề nghị Sở Tư pháp hằng quý gửi số liệu trước ngày 20 của tháng cuối quý.\n"
    "Sở Y tế hoàn thành trước ngày 15-12-2024; Sở Tài chính gửi trước ngày 15/12.\n"
    "Nơi nhận:\n- Như trên;\n- Lưu: VT, CQĐP.\nKT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\n\nNguyễn Văn Đạt\n",
    "ỦY BAN NHÂN DÂN\nTỈNH ĐỒNG NAI\nSố:   /KH-UBND   Đồng Nai, ngày 02/01/2025\n"
    "KẾ HOẠCH\nTriển khai thực hiện Nghị quyết số 25-NQ/TW\n"
    "Các sở, ban, ngành có trách nhiệm xây dựng kế hoạch, gửi Sở Nội vụ trước ngày\n"
    "ngày 15/12/2024 để tổng hợp.\n"
    "đ) Định kỳ 6 tháng, các huyện gửi báo cáo về Ủy ban nhân dân tỉnh (qua Sở Nội vụ).\n"
    "Chậm nhất ngày 30 tháng 6 năm 2025, Sở Xây dựng hoàn thành việc rà soát.\n"
    "Giao Sở Giáo dục và Đào tạo chủ trì, phối hợp với các đơn vị liên quan tổ chức thực hiện.\n",
    "TỈNH ỦY NINH BÌNHĐẢNG CỘNG SẢN VIỆT NAM\n*\nSố 84-QĐ/TU   Ninh Bình, ngày 5 tháng 3 năm 2024\n"
    "QUYẾT ĐỊNH\nvề việc ban hành quy chế\n"
    "Các cấp ủy, tổ chức đảng thường xuyên báo cáo kết quả về Ban Thường vụ Tỉnh ủy\n"
    "theo thời gian đề nghị tại Công văn số 1432/BNV-CTTN.\n"
    "ĐỘC LẬP - TỰ DO - HẠNH PHÚC\nĐộc lập - Tự do - Hạnh phúc\n"
    "NAM ĐỊNH, ngày 1/2/2024  đã họp\n\u00a0\u00a0\u00a0 Đề nghị\u00a0các đơn vị gửi báo cáo\n",
]


@pytest.mark.parametrize("form", FORMS)
def test_hard_documents_same_as_oracle(oracle: types.ModuleType, form: Form) -> None:
    texts = [(f"hard{i}.txt", t) for i, t in enumerate(HARD_DOCUMENTS)]
    ingest_oracle.assert_same_output(oracle, ingest_oracle.normalised(texts, form))


def test_hard_documents_hold_what_they_test() -> None:
    """The rows are read: obligations, citations and several header fields come out."""
    docs = [d for t in HARD_DOCUMENTS for d in extract_text(t).documents]
    assert sum(len(d.obligations) for d in docs) >= 5
    assert sum(len(d.citations) for d in docs) >= 3
    assert any(d.symbol == "12/BNV-CQĐP" for d in docs)


# 4 seeds × 130 texts = 520 synthetic files, each in NFC and in NFD.
SYNTH_SEEDS = (1, 8, 23, 57)
SYNTH_PER_SEED = 130


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("seed", SYNTH_SEEDS)
def test_synthetic_same_as_oracle(oracle: types.ModuleType, seed: int, form: Form) -> None:
    texts = ingest_oracle.synthetic_texts(SYNTH_PER_SEED, seed)
    ingest_oracle.assert_same_output(oracle, ingest_oracle.normalised(texts, form))


# --- header._prose_pieces ---------------------------------------------------------------------

PIECE_ROWS = [
    "Đề nghị các đơn vị gửi báo cáo trước ngày 15/12/2024.",
    "  đề nghị gửi báo cáo   ",
    "\x0b\x1c đ) Định kỳ 6 tháng \u2028",
    "hằng quý, định kỳ 6 tháng, trước ngày 15/12",
    "ngày 15 tháng 12 năm 2024; 15-12-2024",
    "ĐỀ NGHỊ CÁC ĐƠN VỊ",  # capitals: the full reading
    "BỘ NỘI VỤ\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "BỘ NỘI VỤCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Bộ Nội vụCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",  # "NAM" and lower case: full reading
    "Độc lập - Tự do - Hạnh phúc",
    "ĐỘC LẬP - TỰ DO - HẠNH PHÚC",
    "Số: 12/BNV-VP   Hà Nội, ngày 1/2/2024",  # a column gap
    "Sở Nội vụ\u00a0\u00a0\u00a0Sở Y tế",
    "Sở Nội vụ \u00a0 Sở Y tế",
    "Sở Nội vụ\tSở Y tế",
    "Sở Nội vụ  Sở Y tế",  # two spaces: no gap
    "NAM ĐỊNH, ngày 5/3/2024",
    "Việt Nam",
    "đ",
    "Đ",
    "12/2024",
    "ǅ ǈ",  # title-case letters are no lower-case letters
    "ªº",  # letters without case
    "A\u0300 b\u0301",  # NFD marks
    "BÁO CÁOKẾ HOẠCH số 12",
    "—",
]


def _pieces_agree(line: str) -> None:
    fast = header._prose_pieces(line)
    if fast is not None:
        assert fast == header._pieces(line), repr(line)


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("line", PIECE_ROWS)
def test_prose_pieces_equal_pieces(line: str, form: Form) -> None:
    _pieces_agree(unicodedata.normalize(form, line))


def test_prose_pieces_decide_the_prose_rows() -> None:
    """The rows hold lines of both kinds: prose read at once, the others left whole."""
    decided = [header._prose_pieces(line) is not None for line in PIECE_ROWS]
    assert decided.count(True) >= 10 and decided.count(False) >= 10
    assert header._prose_pieces("  đề nghị  ") == ((2, 2, 9),)
    assert header._prose_pieces("Bộ Nội vụ\tSở Y tế") is None
    assert header._prose_pieces("Bộ Nội vụ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") is None


def _corpus_texts() -> list[str]:
    from benchmarks.synth import generate_corpus

    texts = [t for _, t in ingest_oracle.sample_texts()]
    if SEEDS.is_dir():
        texts += [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    texts += [d.text for d in generate_corpus(150, seed=5)]
    return [*texts, *HARD_DOCUMENTS]


@pytest.mark.parametrize("form", FORMS)
def test_prose_pieces_equal_pieces_on_every_corpus_line(form: Form) -> None:
    """Every line of the samples, seeds, synthetic and hand-written texts, as cleaned."""
    count = 0
    for text in _corpus_texts():
        for line in clean(unicodedata.normalize(form, text)).text.split("\n"):
            if line and not line.isspace():
                _pieces_agree(line)
                count += header._prose_pieces(line) is not None
    assert count > 1000


@pytest.mark.parametrize("form", FORMS)
def test_segments_same_as_oracle(oracle: types.ModuleType, form: Form) -> None:
    for text in _corpus_texts():
        t = unicodedata.normalize(form, text)
        for cleaned in (t, clean(t).text):
            new = segment_lines(cleaned, 0, len(cleaned))
            old = oracle.header.segment_lines(cleaned, 0, len(cleaned))
            assert [tuple(s) for s in new] == [tuple(s) for s in old]
