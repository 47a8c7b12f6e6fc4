"""ingest.split.split_documents: one clean-text range per document in a file."""

from __future__ import annotations

import itertools
import unicodedata
from pathlib import Path
from typing import Literal

import pytest

from ingest.clean import clean
from ingest.split import split_documents

Form = Literal["NFC", "NFD"]
ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
SAMPLES = ROOT / "ingest" / "samples"


def _docs(text: str) -> list[str]:
    """The cleaned text of each document, stripped."""
    mt = clean(text)
    return [mt.text[s:e].strip() for s, e in split_documents(mt)]


def _assert_partition(text: str) -> None:
    mt = clean(text)
    ranges = split_documents(mt)
    assert ranges[0][0] == 0
    assert ranges[-1][1] == len(mt.text)
    for (_, e), (s, _) in itertools.pairwise(ranges):
        assert e == s
    assert all(s < e for s, e in ranges)


def _seed(prefix: str) -> str:
    if not SEEDS.is_dir():
        pytest.skip(f"seed folder {SEEDS} is absent")
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


# --- synthetic snippets -----------------------------------------------------------------------

LETTER = (
    "BỘ NỘI VỤ\n"
    "Số: 2215/BNV-CQĐP\n"
    "V/v triển khai Chỉ thị số 15/CT-TTg\n"
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "Độc lập - Tự do - Hạnh phúc\n"
    "Hà Nội, ngày 06 tháng 5 năm 2025\n"
    "Kính gửi: Ủy ban nhân dân các tỉnh.\n"
    "Đề nghị các địa phương gửi báo cáo trước ngày 30 tháng 5./.\n"
    "Nơi nhận:\n- Như trên;\n- Lưu: VT.\n"
    "KT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\n\nVũ Đức Thịnh\n"
)
OUTLINE_WITH_TEMPLATE = (
    "BỘ NỘI VỤ\n\n"
    "ĐỀ CƯƠNG BÁO CÁO\n"
    "Kết quả thực hiện Chỉ thị số 15/CT-TTg\n"
    "(Kèm theo Công văn số 2215/BNV-CQĐP ngày 06/5/2025 của Bộ Nội vụ)\n\n"
    "TÊN CƠ QUAN            CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "                       Độc lập - Tự do - Hạnh phúc\n"
    "Số:     /BC-.....\n"
    "......, ngày ..... tháng ..... năm .....\n\n"
    "BÁO CÁO\nKết quả thực hiện Chỉ thị số 15/CT-TTg\n\n"
    "I. ĐẶC ĐIỂM, TÌNH HÌNH\n\nII. KẾT QUẢ THỰC HIỆN\n"
)
# An outline template that names a real body but leaves the date blank.
OUTLINE_WITH_NAMED_TEMPLATE = (
    "BỘ NỘI VỤ\n\nĐỀ CƯƠNG BÁO CÁO\nKết quả năm 2025\n"
    "(Kèm theo Công văn số 77/BNV-CQĐP ngày 02/6/2025 của Bộ Nội vụ)\n\n"
    "ỦY BAN NHÂN DÂN TỈNH\n"
    "Số:      /BC-UBND\n"
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "........, ngày ..... tháng ..... năm .....\n"
    "BÁO CÁO\n\nI. ĐẶC ĐIỂM, TÌNH HÌNH\n"
)
PARTY = (
    "TỈNH ỦY NINH BÌNH\n*\nSố 27-KL/TU\n\nĐẢNG CỘNG SẢN VIỆT NAM\n\n"
    "Ninh Bình, ngày 18 tháng 3 năm 2025\n\nKẾT LUẬN\ncủa Ban Thường vụ Tỉnh ủy\n\n"
    "Ban Thường vụ Tỉnh ủy kết luận như sau: tiếp tục thực hiện Chỉ thị số 08-CT/TU.\n"
    "T/M BAN THƯỜNG VỤ\nPHÓ BÍ THƯ\n\nHoàng Thị Minh Nguyệt\n"
)
APPENDIX_GLUED = (
    "BỘ NỘI VỤBẢNG TỔNG HỢP\n\nTình hình gửi báo cáo năm 2025\n\n"
    "(Kèm theo Báo cáo số 3790/BC-BNV ngày 10/7/2025 của Bộ Nội vụ)\n\n"
    "STT\tTên cơ quan\tSố văn bản\tNgày\n1\tBộ Tư pháp\t955/BC-BTP\t28/5/2025\n"
)
APPENDIX_NO_ISSUER = (
    "PHỤ LỤC I\nDanh sách đơn vị được kiểm tra\n"
    "(Kèm theo Kế hoạch số 12/KH-UBND ngày 05/02/2025 của UBND huyện)\n"
    "1. Xã Tam Phúc\n2. Xã Tam Hòa\n"
)
# The signature's body name on a line of its own after a lone "TM.".
SPLIT_SIGNATURE = (
    "Nội dung báo cáo của xã gửi huyện tổng hợp, đề nghị xem xét./.\n"
    "TM.\nỦY BAN NHÂN DÂN\nCHỦ TỊCH\n\nBùi Văn Toản\n"
)
MOTTO_FIRST = (
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
    "BỘ NỘI VỤ\nSố: 12/BNV-CQĐP\nHà Nội, ngày 5 tháng 3 năm 2025\nKính gửi: Sở Nội vụ.\n"
    "Nội dung thư thứ hai.\n"
)
DECISION_WITH_RULES = (
    "ỦY BAN NHÂN DÂN\nTỈNH NINH BÌNH\nSố: 12/QĐ-UBND\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "QUYẾT ĐỊNH\nBan hành Quy chế tiếp nhận phản ánh trên môi trường số\n"
    "Điều 1. Ban hành kèm theo Quyết định này Quy chế tiếp nhận phản ánh.\n"
    "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n\nNguyễn Văn An\n\n"
    "QUY CHẾ\nTiếp nhận phản ánh trên môi trường số\n"
    "(Ban hành kèm theo Quyết định số 12/QĐ-UBND ngày 09/01/2025 của UBND tỉnh)\n"
    "Điều 1. Phạm vi điều chỉnh\n"
)
BODY_MENTION = (
    "Đoàn kiểm tra gồm đại diện các cơ quan sau đây, làm việc tại trụ sở:\n"
    "BỘ NỘI VỤ\nVĂN PHÒNG CHÍNH PHỦ\n"
    "Thời gian làm việc từ ngày 10/6/2025 đến hết ngày 12/6/2025.\n"
)


@pytest.mark.parametrize(
    ("text", "firsts"),
    [
        pytest.param(LETTER, ["BỘ NỘI VỤ"], id="one-letter"),
        pytest.param(
            LETTER + "\n\n" + OUTLINE_WITH_TEMPLATE,
            ["BỘ NỘI VỤ", "BỘ NỘI VỤ\n\nĐỀ"],
            id="letter+outline-template-kept-inside",
        ),
        pytest.param(
            LETTER + OUTLINE_WITH_NAMED_TEMPLATE,
            ["BỘ NỘI VỤ", "BỘ NỘI VỤ\n\nĐỀ"],
            id="template-with-body-name-and-blank-date",
        ),
        pytest.param(LETTER + PARTY, ["BỘ NỘI VỤ", "TỈNH ỦY NINH BÌNH"], id="letter+party"),
        pytest.param(
            LETTER + APPENDIX_GLUED, ["BỘ NỘI VỤ", "BỘ NỘI VỤBẢNG"], id="issuer-glued-to-type-title"
        ),
        pytest.param(
            LETTER + APPENDIX_NO_ISSUER, ["BỘ NỘI VỤ", "PHỤ LỤC I"], id="appendix-without-issuer"
        ),
        pytest.param(
            SPLIT_SIGNATURE + LETTER, ["Nội dung", "BỘ NỘI VỤ"], id="lone-TM-prefix-is-signature"
        ),
        pytest.param(LETTER + MOTTO_FIRST, ["BỘ NỘI VỤ", "CỘNG HÒA"], id="motto-above-issuer"),
        pytest.param(
            DECISION_WITH_RULES,
            ["ỦY BAN NHÂN DÂN", "QUY CHẾ"],
            id="decision+attached-rules",
        ),
        pytest.param(LETTER + BODY_MENTION, ["BỘ NỘI VỤ"], id="capitals-body-name-in-prose"),
        pytest.param("DỰ THẢO\n\n" + LETTER, ["DỰ THẢO"], id="draft-stamp-is-no-document"),
        pytest.param(
            "Kính gửi: Sở Nội vụ.\nNội dung thư không có phần đầu.\n", ["Kính gửi"], id="no-header"
        ),
    ],
)
def test_split_synthetic(text: str, firsts: list[str]) -> None:
    docs = _docs(text)
    assert len(docs) == len(firsts)
    for doc, first in zip(docs, firsts, strict=True):
        assert doc.startswith(first)
    _assert_partition(text)


@pytest.mark.parametrize("text", ["", "   \n\n  \t\n"])
def test_split_blank_text_has_no_documents(text: str) -> None:
    assert split_documents(clean(text)) == []


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_split_nfc_and_nfd_agree(form: Form) -> None:
    text = unicodedata.normalize(form, LETTER + OUTLINE_WITH_TEMPLATE + PARTY)
    docs = _docs(text)
    assert [d.split("\n", 1)[0] for d in docs] == ["BỘ NỘI VỤ", "BỘ NỘI VỤ", "TỈNH ỦY NINH BÌNH"]


def test_split_crlf_and_markdown() -> None:
    text = (
        "**" + LETTER.replace("\n", "\r\n") + "**\r\n" + "**ỦY BAN NHÂN DÂN\r\nTỈNH NINH BÌNH**"
        "\r\n\r\nSố: 1876/UBND-VX\r\nNinh Bình, ngày 14 tháng 5 năm 2025\r\nNội dung.\r\n"
    )
    docs = _docs(text)
    assert [d.split("\n", 1)[0] for d in docs] == ["BỘ NỘI VỤ", "ỦY BAN NHÂN DÂN"]


def test_split_ranges_map_to_source() -> None:
    """Regression: the ranges are clean offsets; mapped back they quote the source."""
    source = unicodedata.normalize("NFD", LETTER + PARTY)
    mt = clean(source)
    for s, e in split_documents(mt):
        span = mt.span(s, e)
        assert source[span.start : span.end] == span.text
        first_line = unicodedata.normalize("NFC", span.text).split("\n", 1)[0]
        assert first_line == mt.text[s:e].split("\n", 1)[0]


# --- real documents ---------------------------------------------------------------------------

# seed → first characters of each document (hand-read from the seed files).
SEED_SPLITS = {
    "000": ["Kính gửi", "BỘ NỘI VỤ"],  # letter (header lost) + outline with template
    "001": ["Hà Nội, ngày 27", "BỘ NỘI VỤBẢNG TỔNG HỢP"],  # report + appendix table
    "002": ["ỦY BAN NHÂN DÂN", "BỘ NỘI VỤ\n\nSố: 1432", "BỘ NỘI VỤ\n\nĐỀ CƯƠNG"],
    "003": ["BÁO CÁO"],
    "004": ["Kính gửi"],
}


@pytest.mark.seeds
@pytest.mark.parametrize("prefix", sorted(SEED_SPLITS))
def test_split_seeds(prefix: str) -> None:
    text = _seed(prefix)
    docs = _docs(text)
    assert len(docs) == len(SEED_SPLITS[prefix])
    for doc, first in zip(docs, SEED_SPLITS[prefix], strict=True):
        assert doc.startswith(first)
    _assert_partition(text)


@pytest.mark.seeds
@pytest.mark.parametrize("prefix", ["000", "002"])
def test_split_seed_outline_keeps_its_template(prefix: str) -> None:
    """The sample header inside an outline ("TÊN CƠ QUAN … BÁO CÁO") stays in the outline."""
    outline = _docs(_seed(prefix))[-1]
    assert "TÊN CƠ QUAN" in outline
    assert "KHÁI QUÁT CHUNG" in outline


@pytest.mark.seeds
def test_split_seed_002_letters_end_after_their_signature_blocks() -> None:
    docs = _docs(_seed("002"))
    assert docs[0].endswith("Nguyễn Văn Hùng")
    assert docs[1].endswith("- Lưu: VT, CTTN.")


SAMPLE_SPLITS = {
    "01_chi_thi_15-CT-TTg.txt": ["THỦ TƯỚNG CHÍNH PHỦ"],
    "02_cong_van_2215-BNV-CQDP_va_de_cuong.txt": ["BỘ NỘI VỤ\n---", "BỘ NỘI VỤ\n\nĐỀ CƯƠNG"],
    "03_cong_van_1876-UBND-VX_tinh.txt": ["ỦY BAN NHÂN DÂN"],
    "04_bao_cao_UBND_huyen_Tam_Lac.txt": ["ỦY BAN NHÂN DÂN"],
    "05_ket_luan_27-KL-TU_tinh_uy.txt": ["TỈNH ỦY NINH BÌNH"],
    "06_bao_cao_3790-BC-BNV_va_bang_tong_hop.txt": ["BỘ NỘI VỤ\n---", "BỘ NỘI VỤ\n\nBẢNG"],
    "drafts/draft_incomplete.txt": ["DỰ THẢO"],
}


@pytest.mark.parametrize("name", sorted(SAMPLE_SPLITS))
def test_split_samples(name: str) -> None:
    text = (SAMPLES / name).read_text(encoding="utf-8")
    docs = _docs(text)
    assert len(docs) == len(SAMPLE_SPLITS[name])
    for doc, first in zip(docs, SAMPLE_SPLITS[name], strict=True):
        assert doc.startswith(first)
    _assert_partition(text)
