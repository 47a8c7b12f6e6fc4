"""ingest.header: header and signature block of one document."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path
from typing import Any, Literal

import pytest

from ingest.clean import clean
from ingest.header import (
    Header,
    is_authority_line,
    is_issuer_line,
    is_motto_line,
    is_number_line,
    read_header,
    segment_lines,
    type_title,
)
from ingest.split import split_documents

Form = Literal["NFC", "NFD"]
ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
SAMPLES = ROOT / "ingest" / "samples"
D = dt.date


def _header(text: str) -> Header:
    mt = clean(text)
    return read_header(mt, 0, len(mt.text))


def _headers(text: str) -> list[Header]:
    mt = clean(text)
    return [read_header(mt, s, e) for s, e in split_documents(mt)]


def _seed(prefix: str) -> str:
    if not SEEDS.is_dir():
        pytest.skip(f"seed folder {SEEDS} is absent")
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


# --- line classifiers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("BỘ NỘI VỤ", True),
        ("ỦY BAN NHÂN DÂN", True),
        ("UỶ BAN NHÂN DÂN", True),  # old tone placement
        ("TỈNH ỦY NINH BÌNH", True),
        ("THỦ TƯỚNG CHÍNH PHỦ", True),
        ("BAN CHẤP HÀNH TRUNG ƯƠNG", True),
        ("ĐẢNG BỘ TỈNH NINH BÌNH", True),
        ("SỞ NỘI VỤ", True),
        ("UBND TỈNH NINH BÌNH", True),
        ("TÊN CƠ QUAN", False),  # template placeholder
        ("ỦY BAN NHÂN DÂN TỈNH .......", False),
        ("TM. ỦY BAN NHÂN DÂN", False),  # signature
        ("BỘ TRƯỞNG", False),
        ("THỦ TƯỚNG", False),
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", False),
        ("BÁO CÁO", False),
        ("TỈNH ĐỒNG NAI", False),  # a place qualifier, not a body
        ("Bộ Nội vụ", False),
        ("I. KẾT QUẢ THỰC HIỆN", False),
    ],
)
def test_is_issuer_line(line: str, expected: bool) -> None:
    assert is_issuer_line(line) is expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("KT. BỘ TRƯỞNG", True),
        ("KT.BỘ TRƯỞNG", True),
        ("TL. CHỦ TỊCH", True),
        ("T/M BAN THƯỜNG VỤ", True),
        ("TM. ỦY BAN NHÂN DÂN", True),
        ("Q. GIÁM ĐỐC", True),
        ("PHÓ CHÁNH VĂN PHÒNG", True),
        ("THỨ TRƯỞNG", True),
        ("PHÓ BÍ THƯ THƯỜNG TRỰC", True),
        ("THỦ TƯỚNG CHÍNH PHỦ", False),
        ("QUYẾT ĐỊNH", False),
        ("BỘ NỘI VỤ", False),
        ("Chủ tịch", False),
    ],
)
def test_is_authority_line(line: str, expected: bool) -> None:
    assert is_authority_line(line) is expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("BÁO CÁO", ("bao-cao", "")),
        ("ĐỀ CƯƠNG BÁO CÁO", ("de-cuong", "")),
        ("CHỈ THỊ", ("chi-thi", "")),
        ("KẾ HOẠCH", ("ke-hoach", "")),
        ("BẢNG TỔNG HỢP", ("bang-tong-hop", "")),
        ("PHỤ LỤC II", ("bang-tong-hop", "")),
        ("KẾT LUẬN", ("ket-luan", "")),
        ("BÁO CÁO TÓM TẮT", ("bao-cao", "TÓM TẮT")),
        ("Báo cáo", None),
        ("BỘ NỘI VỤ", None),
    ],
)
def test_type_title(line: str, expected: tuple[str, str] | None) -> None:
    assert type_title(line) == expected


@pytest.mark.parametrize(
    ("line", "motto", "number"),
    [
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True, False),
        ("CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", True, False),
        ("Độc lập - Tự do - Hạnh phúc", True, False),
        ("ĐẢNG CỘNG SẢN VIỆT NAM", True, False),
        ("Số: 1432/BNV-CTTN", False, True),
        ("Số 27-KL/TU", False, True),
        ("Số:      /BC-UBND", False, True),
        ("Số liệu báo cáo tính đến hết ngày 31/12/2024.", False, False),
        # regression: prose naming the state is not the motto
        ("Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam năm 2013", False, False),
        ("CONG HOA XA HOI CHU NGHIA VIET NAM", True, False),  # all-ASCII export
    ],
)
def test_motto_and_number_lines(line: str, motto: bool, number: bool) -> None:
    assert is_motto_line(line) is motto
    assert is_number_line(line) is number


@pytest.mark.parametrize(
    ("text", "pieces"),
    [
        ("BỘ NỘI VỤBẢNG TỔNG HỢP", ["BỘ NỘI VỤ", "BẢNG TỔNG HỢP"]),
        (
            "TÊN CƠ QUANCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            ["TÊN CƠ QUAN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
        ),
        ("Nơi nhận:          KT. BỘ TRƯỞNG", ["Nơi nhận:", "KT. BỘ TRƯỞNG"]),
        ("STT\tTên cơ quan\tSố văn bản", ["STT", "Tên cơ quan", "Số văn bản"]),
        ("Số:      /BC-UBND", ["Số:      /BC-UBND"]),  # a blank number, not two columns
        ("VỤ PHÁP LUẬT", ["VỤ PHÁP LUẬT"]),  # a one-word type ending a name is not cut
        ("  \n\n", []),
    ],
)
def test_segment_lines(text: str, pieces: list[str]) -> None:
    assert [s.text for s in segment_lines(text, 0, len(text))] == pieces


def test_segment_lines_offsets_and_gaps() -> None:
    text = "A   B\n\n\nC"
    segs = segment_lines(text, 0, len(text))
    assert [(s.start, s.end, s.line, s.column, s.gap_before) for s in segs] == [
        (0, 1, 0, 0, False),
        (4, 5, 0, 4, False),
        (8, 9, 1, 0, True),
    ]


# --- synthetic headers ------------------------------------------------------------------------

LETTER = """BỘ NỘI VỤ
-------
Số: 88/BNV-CQĐP
V/v đôn đốc gửi báo cáo 6 tháng
đầu năm 2025

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Hà Nội, ngày 02 tháng 6 năm 2025

Kính gửi:
- Ủy ban nhân dân tỉnh Hà Tĩnh;
- Ủy ban nhân dân thành phố Cần Thơ.

Đến nay Bộ Nội vụ chưa nhận được báo cáo của các địa phương nêu trên./.

Nơi nhận:
- Như trên;
- Lưu: VT, CQĐP.

KT. BỘ TRƯỞNG
THỨ TRƯỞNG



Vũ Đức Thịnh
"""

COLUMNS = """BỘ NỘI VỤ                 CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Số: 12/BNV-CQĐP           Độc lập - Tự do - Hạnh phúc
V/v góp ý dự thảo         Hà Nội, ngày 5 tháng 3 năm 2025
quy chế làm việc

Kính gửi: Sở Nội vụ các tỉnh, thành phố.

Đề nghị góp ý trước ngày 20/3/2025./.

Nơi nhận:                                         KT. BỘ TRƯỞNG
- Như trên;                                       THỨ TRƯỞNG
- Lưu: VT, CQĐP.
                                                  (đã ký)

                                                  Vũ Đức Thịnh
"""

PLAN = """ỦY BAN NHÂN DÂN**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**
TỈNH HÀ TĨNH
Số: 45/KH-UBND
Hà Tĩnh, ngày 7 tháng 01 năm 2025

KẾ HOẠCH
Triển khai thực hiện Chỉ thị số 15/CT-TTg
Trong năm 2025, Ủy ban nhân dân tỉnh triển khai các nội dung sau:
I. MỤC ĐÍCH, YÊU CẦU
"""

PARTY = """ĐẢNG BỘ TỈNH NINH BÌNH
TỈNH ỦY
*
Số 12-CT/TU

ĐẢNG CỘNG SẢN VIỆT NAM

Ninh Bình, ngày 3 tháng 02 năm 2025

CHỈ THỊ
về tăng cường lãnh đạo tiếp nhận phản ánh của Nhân dân

Thời gian qua, các cấp ủy đã quan tâm lãnh đạo công tác này.

Nơi nhận:
- Các huyện ủy, thành ủy,
  đảng ủy trực thuộc,
- Lưu Văn phòng Tỉnh ủy.

T/M BAN THƯỜNG VỤ
BÍ THƯ

Lê Thị Hoa
"""

UNIT = """UBND TỈNH NINH BÌNH
SỞ NỘI VỤ
Số: 45/SNV-XDCQ.TN
V/v xây dựng báo cáo
Ninh Bình, ngày 16 tháng 5 năm 2025
Kính gửi: UBND các huyện, thành phố.
Nội dung.
"""

BLANK = """ỦY BAN NHÂN DÂN
XÃ TAM PHÚC
Số:      /BC-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Tam Phúc, ngày      tháng 6 năm 2025
BÁO CÁO
Kết quả 6 tháng đầu năm 2025

I. ĐẶC ĐIỂM, TÌNH HÌNH
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
"""

OUTLINE = """BỘ NỘI VỤ
ĐỀ CƯƠNG BÁO CÁO
Kết quả thực hiện công tác dân vận
(Kèm theo Công văn số        /BNV-CQĐP ngày      /   5   /2025 của Bộ Nội vụ)
TÊN CƠ QUAN            CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
......., ngày ..... tháng ..... năm .....
BÁO CÁO
I. KHÁI QUÁT CHUNG
"""

NO_HEADER = """     Kính gửi: - Các ban Tỉnh ủy, ban cán sự đảng,
                 Ban Thường vụ Tỉnh đoàn,
            - Huyện ủy, thành ủy trực thuộc Tỉnh ủy.

Qua 5 năm thực hiện Chỉ thị, công tác này có chuyển biến.
"""

FIELDS = (
    "symbol",
    "doc_type",
    "issuer",
    "place",
    "date",
    "title",
    "recipients",
    "signer",
    "signing_authority",
    "distribution",
    "attached_blank",
)

SYNTHETIC: list[tuple[str, str, dict[str, Any]]] = [
    (
        "letter",
        LETTER,
        {
            "symbol": "88/BNV-CQĐP",
            "doc_type": "cong-van",
            "issuer": "Bộ Nội vụ",
            "place": "Hà Nội",
            "date": D(2025, 6, 2),
            "title": "V/v đôn đốc gửi báo cáo 6 tháng đầu năm 2025",
            "recipients": ("Ủy ban nhân dân tỉnh Hà Tĩnh", "Ủy ban nhân dân thành phố Cần Thơ"),
            "signer": "Vũ Đức Thịnh",
            "signing_authority": "KT. BỘ TRƯỞNG / THỨ TRƯỞNG",
            "distribution": ("Như trên", "Lưu: VT, CQĐP"),
            "attached_blank": False,
        },
    ),
    (
        "columns",
        COLUMNS,
        {
            "symbol": "12/BNV-CQĐP",
            "doc_type": "cong-van",
            "issuer": "Bộ Nội vụ",
            "place": "Hà Nội",
            "date": D(2025, 3, 5),
            "title": "V/v góp ý dự thảo quy chế làm việc",
            "recipients": ("Sở Nội vụ các tỉnh, thành phố",),
            "signer": "Vũ Đức Thịnh",
            "signing_authority": "KT. BỘ TRƯỞNG / THỨ TRƯỞNG",
            "distribution": ("Như trên", "Lưu: VT, CQĐP"),
            "attached_blank": False,
        },
    ),
    (
        "glued-motto-and-docx-body",
        PLAN,
        {
            "symbol": "45/KH-UBND",
            "doc_type": "ke-hoach",
            "issuer": "Ủy ban nhân dân tỉnh Hà Tĩnh",
            "place": "Hà Tĩnh",
            "date": D(2025, 1, 7),
            "title": "Triển khai thực hiện Chỉ thị số 15/CT-TTg",
            "recipients": (),
            "signer": None,
            "signing_authority": None,
            "distribution": (),
            "attached_blank": False,
        },
    ),
    (
        "party-parent-and-unit",
        PARTY,
        {
            "symbol": "12-CT/TU",
            "doc_type": "chi-thi",
            "issuer": "Tỉnh ủy Ninh Bình",
            "place": "Ninh Bình",
            "date": D(2025, 2, 3),
            "title": "về tăng cường lãnh đạo tiếp nhận phản ánh của Nhân dân",
            "recipients": (),
            "signer": "Lê Thị Hoa",
            "signing_authority": "T/M BAN THƯỜNG VỤ / BÍ THƯ",
            "distribution": ("Các huyện ủy, thành ủy, đảng ủy trực thuộc", "Lưu Văn phòng Tỉnh ủy"),
            "attached_blank": False,
        },
    ),
    (
        "parent-and-unit",
        UNIT,
        {
            "symbol": "45/SNV-XDCQ.TN",
            "doc_type": "cong-van",
            "issuer": "Sở Nội vụ",
            "place": "Ninh Bình",
            "date": D(2025, 5, 16),
            "title": "V/v xây dựng báo cáo",
            "recipients": ("UBND các huyện, thành phố",),
            "signer": None,
            "signing_authority": None,
            "distribution": (),
            "attached_blank": False,
        },
    ),
    (
        "blank-number-and-day",
        BLANK,
        {
            "symbol": None,
            "doc_type": "bao-cao",
            "issuer": "Ủy ban nhân dân xã Tam Phúc",
            "place": "Tam Phúc",
            "date": None,
            "title": "Kết quả 6 tháng đầu năm 2025",
            "recipients": (),
            "signer": None,
            "signing_authority": "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH",
            "distribution": (),
            "attached_blank": False,
        },
    ),
    (
        "outline-blank-attachment",
        OUTLINE,
        {
            "symbol": None,
            "doc_type": "de-cuong",
            "issuer": "Bộ Nội vụ",
            "place": None,
            "date": None,
            "title": "Kết quả thực hiện công tác dân vận",
            "recipients": (),
            "signer": None,
            "signing_authority": None,
            "distribution": (),
            "attached_blank": True,
        },
    ),
    (
        "no-header-recipients",
        NO_HEADER,
        {
            "symbol": None,
            "doc_type": None,
            "issuer": None,
            "place": None,
            "date": None,
            "title": None,
            "recipients": (
                "Các ban Tỉnh ủy, ban cán sự đảng, Ban Thường vụ Tỉnh đoàn",
                "Huyện ủy, thành ủy trực thuộc Tỉnh ủy",
            ),
            "signer": None,
            "signing_authority": None,
            "distribution": (),
            "attached_blank": False,
        },
    ),
]


@pytest.mark.parametrize("form", ["NFC", "NFD"])
@pytest.mark.parametrize(("name", "text", "expected"), SYNTHETIC, ids=[c[0] for c in SYNTHETIC])
def test_read_header_synthetic(name: str, text: str, expected: dict[str, Any], form: Form) -> None:
    h = _header(unicodedata.normalize(form, text))
    assert {f: getattr(h, f) for f in FIELDS} == expected


@pytest.mark.parametrize(
    ("text", "body"),
    [
        (LETTER, "Đến nay Bộ Nội vụ"),
        (PLAN, "Trong năm 2025"),
        (OUTLINE, "TÊN CƠ QUAN"),
        (NO_HEADER, "Qua 5 năm"),
        ("Nội dung không có phần đầu.", "Nội dung"),
    ],
)
def test_body_start(text: str, body: str) -> None:
    mt = clean(text)
    h = read_header(mt, 0, len(mt.text))
    assert mt.text[h.body_start :].startswith(body)


@pytest.mark.parametrize(
    ("line", "issuer"),
    [
        ("ỦY BAN NHÂN DÂN\nTỈNH ĐỒNG NAI", "Ủy ban nhân dân tỉnh Đồng Nai"),
        ("UỶ BAN NHÂN DÂN\nTHÀNH PHỐ HÀ NỘI", "Ủy ban nhân dân thành phố Hà Nội"),
        ("UBND HUYỆN TAM LẠC", "Ủy ban nhân dân huyện Tam Lạc"),
        ("BỘ GIÁO DỤC VÀ ĐÀO TẠO", "Bộ Giáo dục và Đào tạo"),
        ("BỘ NỘI VỤ\nVỤ CHÍNH QUYỀN ĐỊA PHƯƠNG", "Vụ Chính quyền địa phương"),
        ("VĂN PHÒNG CHÍNH PHỦ", "Văn phòng Chính phủ"),
        ("BAN DÂN VẬN TRUNG ƯƠNG", "Ban Dân vận Trung ương"),
        ("SỞ KHOA HỌC VÀ CÔNG NGHỆ", "Sở Khoa học và Công nghệ"),
        ("HỘI ĐỒNG NHÂN DÂN\nTỈNH NINH BÌNH", "Hội đồng nhân dân tỉnh Ninh Bình"),
        ("HUYỆN ỦY TAM LẠC", "Huyện ủy Tam Lạc"),
        # regression: a proper part keeps only its first word capitalised
        ("TRUNG TÂM THÔNG TIN CHÍNH PHỦ", "Trung tâm Thông tin Chính phủ"),
        ("VIỆN NGHIÊN CỨU NHÀ NƯỚC VÀ PHÁP LUẬT", "Viện Nghiên cứu Nhà nước và Pháp luật"),
        ("ĐẢNG BỘ TỈNH NINH BÌNH\nTỈNH ỦY", "Tỉnh ủy Ninh Bình"),
    ],
)
def test_issuer_casing(line: str, issuer: str) -> None:
    assert _header(line + "\nSố: 12/UBND-VX\nNội dung.").issuer == issuer


@pytest.mark.parametrize(
    ("line", "place", "date"),
    [
        ("Hà Nội, ngày 03 tháng 04 năm 2023", "Hà Nội", D(2023, 4, 3)),
        ("Hà Nội, ngày 27 tháng 02. năm 2025", "Hà Nội", D(2025, 2, 27)),
        ("*Đồng Nai, ngày 15 tháng 5 năm 2023*", "Đồng Nai", D(2023, 5, 15)),
        ("Hà Nội,ngày 5/3/2025", "Hà Nội", D(2025, 3, 5)),
        ("......., ngày ..... tháng ..... năm .....", None, None),
        ("......,ngày..……tháng………năm…..", None, None),
        ("Hà Nội, ngày      tháng 5 năm 2025", "Hà Nội", None),
        ("Hà Nội, ngày 31 tháng 02 năm 2025", None, None),  # not a calendar date
    ],
)
def test_place_and_date(line: str, place: str | None, date: dt.date | None) -> None:
    h = _header("BỘ NỘI VỤ\nSố: 12/BNV-VP\n" + line + "\nNội dung.")
    assert (h.place, h.date) == (place, date)


def test_signature_before_distribution_and_after_blank_lines() -> None:
    text = "Nội dung./.\n\nTHỦ TƯỚNG\n" + "\n \n" * 12 + "Lê Minh Khang\n\nNơi nhận:\n- Các bộ;\n"
    h = _header(text)
    assert (h.signing_authority, h.signer, h.distribution) == (
        "THỦ TƯỚNG",
        "Lê Minh Khang",
        ("Các bộ",),
    )


def test_distribution_note_in_a_column_joins_its_entry() -> None:
    h = _header(
        "Nội dung./.\nNơi nhận:\n- UBND phường;   (B/cáo)\n- Lưu VP.\nCHỦ TỊCH\n\nCao Văn A\n"
    )
    assert h.distribution == ("UBND phường; (B/cáo)", "Lưu VP")
    assert h.signer == "Cao Văn A"


def test_evidence_quotes_the_source() -> None:
    source = unicodedata.normalize("NFD", LETTER)
    mt = clean(source)
    h = read_header(mt, 0, len(mt.text))
    got = {ev.field: unicodedata.normalize("NFC", ev.span.text) for ev in h.evidence}
    for ev in h.evidence:
        assert source[ev.span.start : ev.span.end] == ev.span.text
    assert got["symbol"] == "88/BNV-CQĐP"
    assert got["date"] == "02 tháng 6 năm 2025"
    assert got["place"] == "Hà Nội"
    assert got["issuer"] == "BỘ NỘI VỤ"
    assert got["signer"] == "Vũ Đức Thịnh"
    assert got["signing_authority"] == "KT. BỘ TRƯỞNG\nTHỨ TRƯỞNG"
    assert got["title"].startswith("V/v đôn đốc")
    assert got["recipients"].startswith("Kính gửi:")
    assert got["distribution"].startswith("Nơi nhận:")


def test_header_is_frozen() -> None:
    h = _header(LETTER)
    with pytest.raises(AttributeError):
        h.symbol = "x"  # type: ignore[misc]


# --- real documents (hand-annotated) ----------------------------------------------------------

# (symbol, date, issuer, place, doc_type, signer, authority, #recipients, #distribution,
#  attached_blank) for each document of each seed, in file order.
SEED_HEADERS: dict[str, list[tuple[Any, ...]]] = {
    "000": [
        (
            None,
            None,
            None,
            None,
            None,
            "Triệu Văn Cường",
            "KT. BỘ TRƯỞNG / THỨ TRƯỞNG",
            2,
            6,
            False,
        ),
        (None, None, "Bộ Nội vụ", None, "de-cuong", None, None, 0, 0, True),
    ],
    "001": [
        (
            None,
            D(2025, 2, 27),
            None,
            "Hà Nội",
            "bao-cao",
            "Trương Hải Long",
            "KT. BỘ TRƯỞNG / THỨ TRƯỞNG",
            0,
            9,
            False,
        ),
        (None, None, "Bộ Nội vụ", None, "bang-tong-hop", None, None, 0, 0, False),
    ],
    "002": [
        (
            "4666/UBND-KGVX",
            D(2023, 5, 15),
            "Ủy ban nhân dân tỉnh Đồng Nai",
            "Đồng Nai",
            "cong-van",
            "Nguyễn Văn Hùng",
            "TL. CHỦ TỊCH / KT. CHÁNH VĂN PHÒNG / PHÓ CHÁNH VĂN PHÒNG",
            1,
            4,
            False,
        ),
        (
            "1432/BNV-CTTN",
            D(2023, 4, 3),
            "Bộ Nội vụ",
            "Hà Nội",
            "cong-van",
            None,
            None,
            2,
            6,
            False,
        ),
        (None, None, "Bộ Nội vụ", None, "de-cuong", None, None, 0, 0, False),
    ],
    "003": [(None, None, None, None, "bao-cao", "Cao Thiện Cường", "CHỦ TỊCH", 0, 6, False)],
    "004": [
        (
            None,
            None,
            None,
            None,
            None,
            "Trần Đình Văn",
            "T/M BAN THƯỜNG VỤ / PHÓ BÍ THƯ",
            2,
            4,
            False,
        )
    ],
}


def _summary(h: Header) -> tuple[Any, ...]:
    return (
        h.symbol,
        h.date,
        h.issuer,
        h.place,
        h.doc_type,
        h.signer,
        h.signing_authority,
        len(h.recipients),
        len(h.distribution),
        h.attached_blank,
    )


@pytest.mark.seeds
@pytest.mark.parametrize("form", ["NFC", "NFD"])
@pytest.mark.parametrize("prefix", sorted(SEED_HEADERS))
def test_seed_headers(prefix: str, form: Form) -> None:
    headers = _headers(unicodedata.normalize(form, _seed(prefix)))
    assert [_summary(h) for h in headers] == SEED_HEADERS[prefix]


@pytest.mark.seeds
@pytest.mark.parametrize(
    ("prefix", "index", "field", "expected"),
    [
        ("002", 0, "recipients", ("Sở Nội vụ",)),
        (
            "002",
            0,
            "title",
            "V/v triển khai thực hiện Chỉ thị số 33/CT-TTg của Thủ tướng Chính phủ",
        ),
        (
            "002",
            1,
            "recipients",
            (
                "Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ",
                "Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương",
            ),
        ),
        (
            "002",
            2,
            "title",
            "Kết quả thực hiện Chỉ thị số 33/CT-TTg và Chương trình phối hợp "
            "số 03-CTr/BDVTW-BCSDCP",
        ),
        (
            "000",
            0,
            "distribution",
            (
                "Như trên",
                "Ban Dân vận Trung ương (để p/h)",
                "Văn phòng Chính phủ (để theo dõi)",
                "Bộ trưởng Phạm Thị Thanh Trà (để b/c)",
                "Thứ trưởng Triệu Văn Cường",
                "Lưu: VT, CTTN",
            ),
        ),
        (
            "004",
            0,
            "recipients",
            (
                "Các ban Tỉnh ủy, ban cán sự đảng, đảng đoàn, Ban Thường vụ Tỉnh đoàn",
                "Thành ủy, huyện ủy, đảng ủy trực thuộc Tỉnh ủy",
            ),
        ),
    ],
)
def test_seed_header_details(prefix: str, index: int, field: str, expected: Any) -> None:
    assert getattr(_headers(_seed(prefix))[index], field) == expected


@pytest.mark.seeds
@pytest.mark.parametrize(
    ("prefix", "index", "body"),
    [
        ("000", 0, "Thực hiện ý kiến chỉ đạo"),
        ("000", 1, "TÊN CƠ QUAN"),  # the whole attachment line is header, blanks and all
        ("001", 0, "Thực hiện Chỉ thị số 33/CT-TTg"),
        ("001", 1, "STT\tTên cơ quan"),
        ("002", 0, "UBND tỉnh nhận được"),
        ("003", 0, "Thực hiện Kế hoạch số 641"),
        ("004", 0, "Qua hơn 05 năm"),
    ],
)
def test_seed_body_start(prefix: str, index: int, body: str) -> None:
    mt = clean(_seed(prefix))
    s, e = split_documents(mt)[index]
    assert mt.text[read_header(mt, s, e).body_start :].startswith(body)


# (symbol, date, issuer, place, doc_type, signer, authority, #recipients, #distribution,
#  attached_blank) for each document of each sample file.
SAMPLE_HEADERS: dict[str, list[tuple[Any, ...]]] = {
    "01_chi_thi_15-CT-TTg.txt": [
        (
            "15/CT-TTg",
            D(2024, 4, 12),
            "Thủ tướng Chính phủ",
            "Hà Nội",
            "chi-thi",
            "Lê Minh Khang",
            "THỦ TƯỚNG",
            0,
            8,
            False,
        ),
    ],
    "02_cong_van_2215-BNV-CQDP_va_de_cuong.txt": [
        (
            "2215/BNV-CQĐP",
            D(2025, 5, 6),
            "Bộ Nội vụ",
            "Hà Nội",
            "cong-van",
            "Vũ Đức Thịnh",
            "KT. BỘ TRƯỞNG / THỨ TRƯỞNG",
            3,
            4,
            False,
        ),
        (None, None, "Bộ Nội vụ", None, "de-cuong", None, None, 0, 0, False),
    ],
    "03_cong_van_1876-UBND-VX_tinh.txt": [
        (
            "1876/UBND-VX",
            D(2025, 5, 14),
            "Ủy ban nhân dân tỉnh Ninh Bình",
            "Ninh Bình",
            "cong-van",
            "Đinh Thị Thu Hằng",
            "TL. CHỦ TỊCH / KT. CHÁNH VĂN PHÒNG / PHÓ CHÁNH VĂN PHÒNG",
            3,
            4,
            False,
        ),
    ],
    "04_bao_cao_UBND_huyen_Tam_Lac.txt": [
        (
            None,
            D(2025, 5, 26),
            "Ủy ban nhân dân huyện Tam Lạc",
            "Tam Lạc",
            "bao-cao",
            "Trần Quang Vinh",
            "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH",
            0,
            4,
            False,
        ),
    ],
    "05_ket_luan_27-KL-TU_tinh_uy.txt": [
        (
            "27-KL/TU",
            D(2025, 3, 18),
            "Tỉnh ủy Ninh Bình",
            "Ninh Bình",
            "ket-luan",
            "Hoàng Thị Minh Nguyệt",
            "T/M BAN THƯỜNG VỤ / PHÓ BÍ THƯ",
            0,
            5,
            False,
        ),
    ],
    "06_bao_cao_3790-BC-BNV_va_bang_tong_hop.txt": [
        (
            "3790/BC-BNV",
            D(2025, 7, 10),
            "Bộ Nội vụ",
            "Hà Nội",
            "bao-cao",
            "Vũ Đức Thịnh",
            "KT. BỘ TRƯỞNG / THỨ TRƯỞNG",
            1,
            6,
            False,
        ),
        (None, None, "Bộ Nội vụ", None, "bang-tong-hop", None, None, 0, 0, False),
    ],
    "drafts/draft_incomplete.txt": [
        (
            None,
            D(2025, 6, 2),
            "Ủy ban nhân dân xã Tam Phúc",
            "Tam Phúc",
            "bao-cao",
            None,
            "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH",
            0,
            2,
            False,
        ),
    ],
}


@pytest.mark.parametrize("name", sorted(SAMPLE_HEADERS))
def test_sample_headers(name: str) -> None:
    headers = _headers((SAMPLES / name).read_text(encoding="utf-8"))
    assert [_summary(h) for h in headers] == SAMPLE_HEADERS[name]
