"""The citation extractor, row by row: what each mention yields, in NFC and NFD."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from ingest.citations import CitationResult, extract_citations
from ingest.clean import clean
from ingest.models import Citation
from ontology.terms import Relation

D = dt.date
R = Relation


def run(source: str, **kw: object) -> CitationResult:
    return extract_citations(clean(source), **kw)  # type: ignore[arg-type]


def row(c: Citation) -> tuple[object, ...]:
    return (c.symbol or c.name, c.doc_type, c.date, c.issuer, c.relation, c.key)


# (source text, expected (symbol or name, type, date, issuer, relation, key) per mention)
ROWS = [
    # relations from the governing verb
    (
        "Thực hiện Chỉ thị số 14/CT-TTg ngày 18/5/2022 của Thủ tướng Chính phủ về dân vận.",
        [
            (
                "14/CT-TTg",
                "chi-thi",
                D(2022, 5, 18),
                "Thủ tướng Chính phủ",
                R.IMPLEMENTS,
                "14/CT-TTG@2022",
            )
        ],
    ),
    (
        "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư;",
        [
            (
                "30/2020/NĐ-CP",
                "nghi-dinh",
                D(2020, 3, 5),
                "Chính phủ",
                R.BASED_ON,
                "30/2020/ND-CP@2020",
            )
        ],
    ),
    (
        "Quyết định này thay thế Quyết định số 290-QĐ/TW ngày 25/02/2010.",
        [("290-QĐ/TW", "quyet-dinh", D(2010, 2, 25), None, R.REPLACES, "290-QD/TW@2010")],
    ),
    (
        "Nghị định này sửa đổi, bổ sung Điều 5 của Nghị định số 62/2020/NĐ-CP.",
        [("62/2020/NĐ-CP", "nghi-dinh", None, None, R.AMENDS, "62/2020/ND-CP@2020")],
    ),
    (
        "Tiếp tục thực hiện Nghị quyết số 09-NQ/TW ngày 09/12/2011 của Ban Chấp hành Trung ương"
        " Đảng (khóa XI).",
        [
            (
                "09-NQ/TW",
                "nghi-quyet",
                D(2011, 12, 9),
                "Ban Chấp hành Trung ương Đảng (khóa XI)",
                R.CONTINUES,
                "09-NQ/TW@2011",
            )
        ],
    ),
    (
        "1. Tiếp tục chỉ đạo, triển khai thực hiện Chỉ thị số 05-CT/TW ngày 15/5/2016.",
        [("05-CT/TW", "chi-thi", D(2016, 5, 15), None, R.CONTINUES, "05-CT/TW@2016")],
    ),
    (
        "(Kèm theo Công văn số 1432/BNV-CTTN ngày 03/4/2023 của Bộ Nội vụ)",
        [
            (
                "1432/BNV-CTTN",
                "cong-van",
                D(2023, 4, 3),
                "Bộ Nội vụ",
                R.ATTACHED_TO,
                "1432/BNV-CTTN@2023",
            )
        ],
    ),
    (
        "Báo cáo kết quả thực hiện Kết luận số 01-KL/TW, ngày 08/5/2021 của Bộ Chính trị",
        [("01-KL/TW", "ket-luan", D(2021, 5, 8), "Bộ Chính trị", R.REPORTS_ON, "01-KL/TW@2021")],
    ),
    (
        "V/v triển khai thực hiện Chỉ thị số\n14/CT-TTg của Thủ tướng Chính phủ",
        [("14/CT-TTg", "chi-thi", None, "Thủ tướng Chính phủ", R.IMPLEMENTS, "14/CT-TTG")],
    ),
    (
        "Các cấp quán triệt Chỉ thị số 05-CT/TW ngày 15/5/2016 của Bộ Chính trị.",
        [("05-CT/TW", "chi-thi", D(2016, 5, 15), "Bộ Chính trị", R.IMPLEMENTS, "05-CT/TW@2016")],
    ),
    (
        "Sở đã gửi Kế hoạch số 84-KH/TU, ngày 12/3/2024 về công tác dân vận.",
        [("84-KH/TU", "ke-hoach", D(2024, 3, 12), None, R.CITES, "84-KH/TU@2024")],
    ),
    (
        "Bộ đã ban hành Công văn số 2748/BNV-CTTN ngày 17/5/2024 đôn đốc các bộ.",
        [("2748/BNV-CTTN", "cong-van", D(2024, 5, 17), None, R.CITES, "2748/BNV-CTTN@2024")],
    ),
    # type words, with and without "số", and the fall-back to the symbol's code
    (
        "theo Quyết định 28/2018/QĐ-TTg ngày 12/7/2018 về văn bản điện tử",
        [("28/2018/QĐ-TTg", "quyet-dinh", D(2018, 7, 12), None, R.CITES, "28/2018/QD-TTG@2018")],
    ),
    (
        "(CV số 8803-CV/BTGTW ngày 08/7/2024)",
        [("8803-CV/BTGTW", "cong-van", D(2024, 7, 8), None, R.CITES, "8803-CV/BTGTW@2024")],
    ),
    (
        "Văn bản số 1432/BNV-CTTN ngày 03/4/2023",
        [("1432/BNV-CTTN", "cong-van", D(2023, 4, 3), None, R.CITES, "1432/BNV-CTTN@2023")],
    ),
    (
        "Quy định số 205-QĐ/TW ngày 23/9/2019 của Bộ Chính trị",
        [("205-QĐ/TW", "quy-dinh", D(2019, 9, 23), "Bộ Chính trị", R.CITES, "205-QDI/TW@2019")],
    ),
    (
        "Quy định số 08-QĐi/TW ngày 25/10/2021",
        [("08-QĐi/TW", "quy-dinh", D(2021, 10, 25), None, R.CITES, "08-QDI/TW@2021")],
    ),
    (
        "Thông tư liên tịch số 02/2015/TTLT-BNG-BNV ngày 28/12/2015",
        [
            (
                "02/2015/TTLT-BNG-BNV",
                "thong-tu-lien-tich",
                D(2015, 12, 28),
                None,
                R.CITES,
                "02/2015/TTLT-BNG-BNV@2015",
            )
        ],
    ),
    (
        "Nghị quyết liên tịch số 09/2008/NQLT-CP-UBTWMTTQVN ngày 17/4/2008",
        [
            (
                "09/2008/NQLT-CP-UBTWMTTQVN",
                "nghi-quyet-lien-tich",
                D(2008, 4, 17),
                None,
                R.CITES,
                "09/2008/NQLT-CP-UBTWMTTQVN@2008",
            )
        ],
    ),
    (
        "Chương trình phối hợp số 07-CTr/BDVTW-BCSĐCP ngày 20/10/2022",
        [
            (
                "07-CTr/BDVTW-BCSĐCP",
                "chuong-trinh",
                D(2022, 10, 20),
                None,
                R.CITES,
                "07-CTR/BDVTW-BCSDCP@2022",
            )
        ],
    ),
    (
        "Hướng dẫn số 36-HD/VPTW ngày 03/4/2018",
        [("36-HD/VPTW", "huong-dan", D(2018, 4, 3), None, R.CITES, "36-HD/VPTW@2018")],
    ),
    (
        "Thông báo số 12-TB/TW ngày 5/6/2022",
        [("12-TB/TW", "thong-bao", D(2022, 6, 5), None, R.CITES, "12-TB/TW@2022")],
    ),
    (
        "Tờ trình số 452/TTr-BNV ngày 06/9/2024",
        [("452/TTr-BNV", "to-trinh", D(2024, 9, 6), None, R.CITES, "452/TTR-BNV@2024")],
    ),
    (
        "Thông tri số 01-TT/TW ngày 10/1/2019",
        [("01-TT/TW", "thong-tri", D(2019, 1, 10), None, R.CITES, "01-TT/TW@2019")],
    ),
    (
        "Đề án số 05-ĐA/TU ngày 2/2/2022",
        [("05-ĐA/TU", "de-an", D(2022, 2, 2), None, R.CITES, "05-DA/TU@2022")],
    ),
    ("Luật số 10/2022/QH15", [("10/2022/QH15", "luat", None, None, R.CITES, "10/2022/QH15@2022")]),
    (
        "Pháp lệnh số 02/2022/UBTVQH15",
        [("02/2022/UBTVQH15", "phap-lenh", None, None, R.CITES, "02/2022/UBTVQH15@2022")],
    ),
    (
        "Báo cáo 8465/BC-BNV ngày 25/12/2024",
        [("8465/BC-BNV", "bao-cao", D(2024, 12, 25), None, R.CITES, "8465/BC-BNV@2024")],
    ),
    (
        "1\tBộ Tư pháp\t\t\t1520/BC-BTP\t10/12/2024\t388/BC-BTP\t20/5/2024",
        [
            ("1520/BC-BTP", "bao-cao", D(2024, 12, 10), None, R.CITES, "1520/BC-BTP@2024"),
            ("388/BC-BTP", "bao-cao", D(2024, 5, 20), None, R.CITES, "388/BC-BTP@2024"),
        ],
    ),
    (
        "25\tUBND tỉnh A\t1001/SNV-XDCQ, TCBC\t25/5/2024",
        [("1001/SNV-XDCQ", "cong-van", D(2024, 5, 25), None, R.CITES, "1001/SNV-XDCQ@2024")],
    ),
    # Party symbols written in state form
    (
        "Nghị quyết số 18/NQ-TW ngày 25/10/2017",
        [("18-NQ/TW", "nghi-quyet", D(2017, 10, 25), None, R.CITES, "18-NQ/TW@2017")],
    ),
    # date forms beside the symbol
    (
        "Chỉ thị số 24-CT/TU ngày 27 tháng 02 năm 2018",
        [("24-CT/TU", "chi-thi", D(2018, 2, 27), None, R.CITES, "24-CT/TU@2018")],
    ),
    (
        "Chỉ thị số 15-CT/TW ngày 01-10-1997",
        [("15-CT/TW", "chi-thi", D(1997, 10, 1), None, R.CITES, "15-CT/TW@1997")],
    ),
    (
        "Kế hoạch số 12/KH-UBND ngày 30.5.2023",
        [("12/KH-UBND", "ke-hoach", D(2023, 5, 30), None, R.CITES, "12/KH-UBND@2023")],
    ),
    (
        "Kế hoạch số 219/KH-UBND ngày 14/4/2023của UBND huyện",
        [("219/KH-UBND", "ke-hoach", D(2023, 4, 14), "UBND huyện", R.CITES, "219/KH-UBND@2023")],
    ),
    (
        "Chỉ thị số 14/CT-TTg 18/5/2022",
        [("14/CT-TTg", "chi-thi", D(2022, 5, 18), None, R.CITES, "14/CT-TTG@2022")],
    ),
    # lists sharing one type word and/or one date
    (
        "Quyết định số 310-QĐ/TW và Quyết định số 311-QĐ/TW ngày 04/3/2015 của Bộ Chính trị",
        [
            ("310-QĐ/TW", "quyet-dinh", D(2015, 3, 4), "Bộ Chính trị", R.CITES, "310-QD/TW@2015"),
            ("311-QĐ/TW", "quyet-dinh", D(2015, 3, 4), "Bộ Chính trị", R.CITES, "311-QD/TW@2015"),
        ],
    ),
    (
        "Nghị quyết số 18-NQ/TW, 19-NQ/TW ngày 25/10/2017",
        [
            ("18-NQ/TW", "nghi-quyet", D(2017, 10, 25), None, R.CITES, "18-NQ/TW@2017"),
            ("19-NQ/TW", "nghi-quyet", D(2017, 10, 25), None, R.CITES, "19-NQ/TW@2017"),
        ],
    ),
    (
        "Quyết định số 310-QĐ/TW, Quyết định số 311-QĐ/TW ngày 04/3/2015",
        [
            ("310-QĐ/TW", "quyet-dinh", D(2015, 3, 4), None, R.CITES, "310-QD/TW@2015"),
            ("311-QĐ/TW", "quyet-dinh", D(2015, 3, 4), None, R.CITES, "311-QD/TW@2015"),
        ],
    ),
    (
        "Quyết định số 310-QĐ/TW và 311-QĐ/TW ngày 04/3/2015",
        [
            ("310-QĐ/TW", "quyet-dinh", D(2015, 3, 4), None, R.CITES, "310-QD/TW@2015"),
            ("311-QĐ/TW", "quyet-dinh", D(2015, 3, 4), None, R.CITES, "311-QD/TW@2015"),
        ],
    ),
    # a list of two types does not share the date
    (
        "Chỉ thị số 14/CT-TTg và Công văn số 2762/VPCP-QHĐP ngày 25/4/2024",
        [
            ("14/CT-TTg", "chi-thi", None, None, R.CITES, "14/CT-TTG"),
            ("2762/VPCP-QHĐP", "cong-van", D(2024, 4, 25), None, R.CITES, "2762/VPCP-QHDP@2024"),
        ],
    ),
    # split lines and damaged spacing
    (
        "Thực hiện Kết luận số 01-\n\nKL/TW, ngày 08/5/2021",
        [("01-KL/TW", "ket-luan", D(2021, 5, 8), None, R.IMPLEMENTS, "01-KL/TW@2021")],
    ),
    (
        "kèm theo Quyết định số 311- QĐ/TW, ngày \n04/3/2015, của Bộ Chính trị",
        [
            (
                "311-QĐ/TW",
                "quyet-dinh",
                D(2015, 3, 4),
                "Bộ Chính trị",
                R.ATTACHED_TO,
                "311-QD/TW@2015",
            )
        ],
    ),
    (
        "(Ban hành kèm theo Quyết định số 310-\n\nQĐ/TW, ngày 04/3/2015)",
        [("310-QĐ/TW", "quyet-dinh", D(2015, 3, 4), None, R.CITES, "310-QD/TW@2015")],
    ),
    (
        "Chỉ thị số 14/CT-\nTTg ngày 18/5/2022",
        [("14/CT-TTg", "chi-thi", D(2022, 5, 18), None, R.CITES, "14/CT-TTG@2022")],
    ),
    (
        "Quyết \n\nđịnh số 23-QĐ/TW ngày 30/7/2021",
        [("23-QĐ/TW", "quyet-dinh", D(2021, 7, 30), None, R.CITES, "23-QD/TW@2021")],
    ),
    (
        "Chỉ thị số 14/CT-TTg, \n\nngày 18/5/2022 của Thủ tướng \n\nChính phủ",
        [
            (
                "14/CT-TTg",
                "chi-thi",
                D(2022, 5, 18),
                "Thủ tướng Chính phủ",
                R.CITES,
                "14/CT-TTG@2022",
            )
        ],
    ),
    # footnote markers: markup, glued digit, superscript
    (
        "Nghị quyết số 25-NQ/TW<sup>3</sup> ngày 03/6/2013",
        [("25-NQ/TW", "nghi-quyet", D(2013, 6, 3), None, R.CITES, "25-NQ/TW@2013")],
    ),
    (
        "Nghị quyết số 25-NQ/TW1 ngày 03/6/2013",
        [("25-NQ/TW", "nghi-quyet", D(2013, 6, 3), None, R.CITES, "25-NQ/TW@2013")],
    ),
    (
        "Nghị quyết số 25-NQ/TW¹ ngày 03/6/20132",
        [("25-NQ/TW", "nghi-quyet", D(2013, 6, 3), None, R.CITES, "25-NQ/TW@2013")],
    ),
    # laws and the constitution cited by name
    (
        "đẩy mạnh triển khai Luật Thực hiện dân chủ ở cơ sở năm 2022 tới thôn, tổ",
        [
            (
                "Luật Thực hiện dân chủ ở cơ sở",
                "luat",
                None,
                None,
                R.IMPLEMENTS,
                "LUAT:luat-thuc-hien-dan-chu-o-co-so@2022",
            )
        ],
    ),
    (
        "theo tinh thần Hiến pháp năm 2013",
        [("Hiến pháp", "hien-phap", None, None, R.CITES, "LUAT:hien-phap@2013")],
    ),
    (
        "Căn cứ Luật Tổ chức Chính phủ ngày 19 tháng 6 năm 2015;",
        [
            (
                "Luật Tổ chức Chính phủ",
                "luat",
                D(2015, 6, 19),
                None,
                R.BASED_ON,
                "LUAT:luat-to-chuc-chinh-phu@2015",
            )
        ],
    ),
    (
        "Căn cứ Luật Phòng, chống tham nhũng năm 2018;",
        [
            (
                "Luật Phòng, chống tham nhũng",
                "luat",
                None,
                None,
                R.BASED_ON,
                "LUAT:luat-phong-chong-tham-nhung@2018",
            )
        ],
    ),
    # amending laws keep the date; acts named before their number
    (
        "Căn cứ Luật sửa đổi, bổ sung một số điều của Luật A và Luật B ngày 22 tháng 11 năm 2019;",
        [
            (
                "Luật sửa đổi, bổ sung một số điều của Luật A và Luật B",
                "luat",
                D(2019, 11, 22),
                None,
                R.BASED_ON,
                "LUAT:luat-sua-doi-bo-sung-mot-so-dieu-cua-luat-a-va-luat-b@2019",
            )
        ],
    ),
    (
        "Căn cứ Luật Ngân sách nhà nước số 83/2015/QH13 ngày 25/6/2015;",
        [("83/2015/QH13", "luat", D(2015, 6, 25), None, R.BASED_ON, "83/2015/QH13@2015")],
    ),
    (
        "Thông báo kết luận số 12-TB/TU ngày 3/3/2023",
        [("12-TB/TU", "thong-bao", D(2023, 3, 3), None, R.CITES, "12-TB/TU@2023")],
    ),
    (
        "Công văn số 88/UBND-VX ký ngày 3/3/2023",
        [("88/UBND-VX", "cong-van", D(2023, 3, 3), None, R.CITES, "88/UBND-VX@2023")],
    ),
    (
        "Nghị quyết số 21-NQ/TW, ngày 16/6/2022 của Hội nghị lần thứ năm Ban Chấp hành Trung"
        " ương Đảng khóa XIII về tổ chức cơ sở đảng",
        [
            (
                "21-NQ/TW",
                "nghi-quyet",
                D(2022, 6, 16),
                "Hội nghị lần thứ năm Ban Chấp hành Trung ương Đảng khóa XIII",
                R.CITES,
                "21-NQ/TW@2022",
            )
        ],
    ),
    # a year segment without a type code: a text of unknown type
    (
        "Bản án số 123/2024/HS-ST ngày 1/2/2024",
        [("123/2024/HS-ST", "van-ban", D(2024, 2, 1), None, R.CITES, "123/2024/HS-ST@2024")],
    ),
    # not citations
    ("Báo cáo theo Mẫu số 02/BC, Biểu mẫu số 01/BC-UBND và Phụ lục số 03/KH-UBND.", []),
    ("ỦY BAN NHÂN DÂN TỈNH A     Số: 4666/UBND-KGVX", []),  # header columns on one line
    ("các văn bản hướng dẫn thi hành và các nghị quyết của Đảng", []),
    ("theo quy định tại Luật Cán bộ, công chức và Luật Viên chức.", []),
    ("Luật sư Nguyễn Văn A năm 2020 đã tư vấn.", []),
    ("giai đoạn 2021 - 2026; 37/63 tỉnh; 05/30 bộ; ISO 9001:2015; mục III.8", []),
    ("điện thoại 0251.3822456, thư điện tử vanthu@snv.gov.vn", []),
    ("triển khai Đề án 06/CP về dữ liệu dân cư", []),
    ("gửi báo cáo 6 tháng đầu năm trước ngày 15/12", []),
    ("Số: 4666/UBND-KGVX\nV/v triển khai công tác dân vận", []),
    ("Số:        /BNV-CTTN ngày    /  5  /2024", []),
]


@pytest.mark.parametrize(("source", "expected"), ROWS)
def test_extract_rows(source: str, expected: list[tuple[object, ...]]) -> None:
    assert [row(c) for c in run(source).citations] == expected


@pytest.mark.parametrize(("source", "expected"), ROWS)
def test_extract_rows_nfd(source: str, expected: list[tuple[object, ...]]) -> None:
    assert [row(c) for c in run(unicodedata.normalize("NFD", source)).citations] == expected


@pytest.mark.parametrize("source", [r[0] for r in ROWS])
def test_spans_quote_the_source(source: str) -> None:
    for text in (source, unicodedata.normalize("NFD", source)):
        for c in run(text).citations:
            assert text[c.span.start : c.span.end] == c.span.text


SPANS = [
    (
        "Theo Nghị quyết số 25-NQ/TW<sup>3</sup> ngày 03/6/2013 của Đảng",
        ["Nghị quyết số 25-NQ/TW<sup>3</sup> ngày 03/6/2013"],
    ),
    (
        "xem Kết luận số 01-\n\nKL/TW, ngày 08/5/2021 của Bộ Chính trị",
        ["Kết luận số 01-\n\nKL/TW, ngày 08/5/2021"],
    ),
    (
        "Nghị quyết số 18-NQ/TW, 19-NQ/TW ngày 25/10/2017",
        ["Nghị quyết số 18-NQ/TW", "19-NQ/TW ngày 25/10/2017"],
    ),
    ("Chỉ thị số 14/CT\u2013TTg", ["Chỉ thị số 14/CT\u2013TTg"]),
    ("\tKế hoạch 84/KH-UBND\t11/3/2024", ["Kế hoạch 84/KH-UBND\t11/3/2024"]),
]


@pytest.mark.parametrize(("source", "quotes"), SPANS)
def test_span_text(source: str, quotes: list[str]) -> None:
    assert [c.span.text for c in run(source).citations] == quotes


def test_title_after_mention() -> None:
    [c] = run(
        "Chỉ thị số 14/CT-TTg ngày 18/5/2022 của Thủ tướng Chính phủ về “Tăng cường"
        " công tác dân vận” (bản chính)."
    ).citations
    assert c.title == "Tăng cường công tác dân vận"
    [c] = run(
        "Kết luận số 120-KL/TW ngày 7/1/2016 của Ban Bí thư về nâng cao hiệu quả"
        " công tác dân vận; các văn bản khác"
    ).citations
    assert c.title == "nâng cao hiệu quả công tác dân vận"
    [c] = run(
        "Chỉ thị số 31-CT/TU, ngày 14/3/2019 của Ban Thường vụ Tỉnh ủy “Về tăng"
        " cường công tác dân vận”"
    ).citations
    assert (c.issuer, c.title) == ("Ban Thường vụ Tỉnh ủy", "tăng cường công tác dân vận")


def test_issuer_stops_at_heading_capitals() -> None:
    [c] = run(
        "V/v triển khai Chỉ thị số\n14/CT-TTg của Thủ tướng Chính phủ\n\n"
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập"
    ).citations
    assert c.issuer == "Thủ tướng Chính phủ"


# --- short and undated mentions: resolve only to exactly one earlier candidate -------------


def flags(c: Citation) -> tuple[str | None, str, bool, bool]:
    return (c.symbol, c.key, c.resolved, c.short)


RESOLUTION = [
    (
        "Chỉ thị số 14/CT-TTg ngày 18/5/2022 của Thủ tướng. Theo Chỉ thị 14, các bộ phải…",
        [("14/CT-TTg", "14/CT-TTG@2022", True, False), ("14/CT-TTg", "14/CT-TTG@2022", True, True)],
    ),
    (
        "Nghị quyết số 25-NQ/TW ngày 03/6/2013. Quán triệt NQ 25 tới cơ sở.",
        [("25-NQ/TW", "25-NQ/TW@2013", True, False), ("25-NQ/TW", "25-NQ/TW@2013", True, True)],
    ),
    (
        "Chỉ thị số 14/CT-TTg ngày 18/5/2022 (Chỉ thị số 14/CT-TTg). Chỉ thị số 14/CT-TTg nêu",
        [
            ("14/CT-TTg", "14/CT-TTG@2022", True, False),
            ("14/CT-TTg", "14/CT-TTG@2022", True, True),
            ("14/CT-TTg", "14/CT-TTG@2022", True, True),
        ],
    ),
    (
        "Chỉ thị số 31-CT/TU, ngày 14/3/2019 của Ban Thường vụ Tỉnh ủy (sau đây gọi tắt là"
        " Chỉ thị số 31-CT/TU).",
        [("31-CT/TU", "31-CT/TU@2019", True, False), ("31-CT/TU", "31-CT/TU@2019", True, True)],
    ),
    # two candidates of one type and number: the short form stays unresolved
    (
        "Chỉ thị số 14/CT-TTg ngày 18/5/2022 và Chỉ thị số 14/CT-UBND ngày 5/1/2022. Chỉ thị 14"
        " được quán triệt.",
        [
            ("14/CT-TTg", "14/CT-TTG@2022", True, False),
            ("14/CT-UBND", "14/CT-UBND@2022", True, False),
            (None, "SHORT:CHI-THI:14", False, True),
        ],
    ),
    # one symbol cited with two dates (two terms): an undated mention stays unresolved
    (
        "Nghị quyết số 25-NQ/TW ngày 03/6/2013. Nghị quyết số 25-NQ/TW ngày 12/3/2003. Nghị quyết"
        " số 25-NQ/TW nêu rõ.",
        [
            ("25-NQ/TW", "25-NQ/TW@2013", True, False),
            ("25-NQ/TW", "25-NQ/TW@2003", True, False),
            ("25-NQ/TW", "25-NQ/TW", False, False),
        ],
    ),
    # no earlier candidate: undated symbol unresolved, bare short form dropped
    (
        "Quy định số 11-Qđ/TW của Bộ Chính trị; Chỉ thị 14 của tỉnh.",
        [("11-QĐ/TW", "11-QDI/TW", False, False)],
    ),
    # a later dated mention in the same document resolves an earlier undated one
    # (regression: a letter's "V/v" subject line precedes the body that dates the directive)
    (
        "Chỉ thị số 14/CT-TTg. Sau đó Chỉ thị số 14/CT-TTg ngày 18/5/2022.",
        [("14/CT-TTg", "14/CT-TTG@2022", True, True), ("14/CT-TTg", "14/CT-TTG@2022", True, False)],
    ),
    (
        "V/v triển khai thực hiện Chỉ thị số\n33/CT-TTg của Thủ tướng\nThực hiện Chỉ thị số"
        " 33/CT-TTg ngày 26/11/2021.",
        [("33/CT-TTg", "33/CT-TTG@2021", True, True), ("33/CT-TTg", "33/CT-TTG@2021", True, False)],
    ),
    # ... but not when two dated candidates exist
    (
        "Chỉ thị số 14/CT-TTg. Chỉ thị số 14/CT-TTg ngày 18/5/2022; Chỉ thị số 14/CT-TTg ngày"
        " 02/3/2023.",
        [
            ("14/CT-TTg", "14/CT-TTG", False, False),
            ("14/CT-TTg", "14/CT-TTG@2022", True, False),
            ("14/CT-TTg", "14/CT-TTG@2023", True, False),
        ],
    ),
    # a short form with the year: only a document of that year fits
    (
        "Nghị định số 30/2020/NĐ-CP ngày 05/3/2020. Theo Nghị định 30/2020 và Nghị định 30/2019.",
        [
            ("30/2020/NĐ-CP", "30/2020/ND-CP@2020", True, False),
            ("30/2020/NĐ-CP", "30/2020/ND-CP@2020", True, True),
        ],
    ),
    # QĐ / QĐi written for one Party Quy định: still one candidate
    (
        "Quy định số 205-QĐ/TW ngày 23/9/2019. Thực hiện Quy định số 205-QĐi/TW.",
        [
            ("205-QĐ/TW", "205-QDI/TW@2019", True, False),
            ("205-QĐi/TW", "205-QDI/TW@2019", True, True),
        ],
    ),
]


@pytest.mark.parametrize(("source", "expected"), RESOLUTION)
def test_resolution(source: str, expected: list[tuple[object, ...]]) -> None:
    assert [flags(c) for c in run(source).citations] == expected


def test_prior_citations_resolve_later_ranges() -> None:
    first = run("Chỉ thị số 14/CT-TTg ngày 18/5/2022").citations
    later = run("Tiếp tục quán triệt Chỉ thị số 14/CT-TTg.", prior=first).citations
    assert [flags(c) for c in later] == [("14/CT-TTg", "14/CT-TTG@2022", True, True)]


def test_range_limits_the_search() -> None:
    source = "Chỉ thị số 14/CT-TTg ngày 18/5/2022. Nghị quyết số 25-NQ/TW ngày 03/6/2013."
    mt = clean(source)
    cut = source.index("Nghị")
    assert [c.symbol for c in extract_citations(mt, 0, cut).citations] == ["14/CT-TTg"]
    assert [c.symbol for c in extract_citations(mt, cut).citations] == ["25-NQ/TW"]


def test_own_symbol_is_skipped() -> None:
    source = "(Kèm theo Báo cáo số 1385 /BC-BNV ngày 27/02/2025 của Bộ Nội vụ)"
    assert run(source, own_symbol="1385/BC-BNV").citations == ()
    assert [c.symbol for c in run(source).citations] == ["1385/BC-BNV"]


def test_one_citation_per_mention() -> None:
    source = " ".join(["Thực hiện Chỉ thị số 14/CT-TTg ngày 18/5/2022."] * 5)
    cits = run(source).citations
    assert len(cits) == 5 and {c.key for c in cits} == {"14/CT-TTG@2022"}


# --- relations stated between two other documents -------------------------------------------

STATED = [
    (
        "Kết luận số 43-KL/TW ngày 15/3/2019 của Bộ Chính trị về tiếp tục thực hiện Nghị quyết"
        " số 25-NQ/TW",
        [("43-KL/TW", R.CONTINUES, "25-NQ/TW", "43-KL/TW@2019", "25-NQ/TW")],
    ),
    (
        "Quyết định số 23-QĐ/TW ngày 30/7/2021 của Bộ Chính trị ban hành quy chế mới (thay thế"
        " Quyết định số 290-QĐ/TW)",
        [("23-QĐ/TW", R.REPLACES, "290-QĐ/TW", "23-QD/TW@2021", "290-QD/TW")],
    ),
    (
        "Nghị định số 71/2023/NĐ-CP ngày 20/9/2023 của Chính phủ sửa đổi, bổ sung một số điều"
        " của Nghị định số 62/2020/NĐ-CP ngày 1/6/2020",
        [("71/2023/NĐ-CP", R.AMENDS, "62/2020/NĐ-CP", "71/2023/ND-CP@2023", "62/2020/ND-CP@2020")],
    ),
    (
        "Kế hoạch số 517/KH-UBND ngày 12/7/2023 về triển khai thực hiện Chỉ thị số 14/CT-TTg",
        [("517/KH-UBND", R.IMPLEMENTS, "14/CT-TTg", "517/KH-UBND@2023", "14/CT-TTG")],
    ),
    # a semicolon ends the description: the next document is merely listed
    (
        "Kết luận số 43-KL/TW ngày 07/01/2019 về tiếp tục thực hiện Nghị quyết số 25-NQ/TW;"
        " Quyết định số 23-QĐ/TW ngày 30/7/2021",
        [("43-KL/TW", R.CONTINUES, "25-NQ/TW", "43-KL/TW@2019", "25-NQ/TW")],
    ),
    # a closed quotation ends the title: the verb after it is the citing document's
    (
        "Triển khai Chỉ thị số 14/CT-TTg ngày 18/5/2022 về “Tăng cường dân vận” gắn với việc"
        " thực hiện Chương trình phối hợp số 07-CTr/BDVTW-BCSĐCP",
        [],
    ),
    (
        "Thực hiện Chỉ thị số 14/CT-TTg ngày 18/5/2022; Chương trình phối hợp số"
        " 07-CTr/BDVTW-BCSĐCP ngày 20/10/2022",
        [],
    ),
]


@pytest.mark.parametrize(("source", "expected"), STATED)
def test_stated_relations(source: str, expected: list[tuple[object, ...]]) -> None:
    got = run(source).relations
    assert [(r.source, r.relation, r.target, r.source_key, r.target_key) for r in got] == expected
    for r in got:
        assert source[r.span.start : r.span.end] == r.span.text


RELATION_OF_TARGET = [
    # when a third-party relation is recorded, the citing document merely cites the target
    (STATED[0][0], [R.CITES, R.CITES]),
    (STATED[4][0], [R.CITES, R.CITES, R.CITES]),
    (STATED[5][0], [R.IMPLEMENTS, R.IMPLEMENTS]),
    (STATED[6][0], [R.IMPLEMENTS, R.IMPLEMENTS]),
    (
        "Thực hiện Chỉ thị số 14/CT-TTg ngày 18/5/2022 của Thủ tướng Chính phủ về “Dân vận”"
        " (Chỉ thị số 14/CT-TTg); sau đó, Bộ Nội vụ ban hành Công văn số 3120/BNV-CTTN"
        " ngày 2/6/2024.",
        [R.IMPLEMENTS, R.IMPLEMENTS, R.CITES],
    ),
    (
        "Quyết định số 310-QĐ/TW ngày 04/3/2015 của Bộ Chính trị ban hành quy chế và Quyết định"
        " số 311-QĐ/TW ngày 04/3/2015",
        [R.CITES, R.CITES],
    ),
    (
        "Tiếp tục triển khai Quyết định số 310-QĐ/TW ngày 04/3/2015 của Bộ Chính trị ban hành"
        " quy chế và Quyết định số 311-QĐ/TW ngày 04/3/2015",
        [R.CONTINUES, R.CONTINUES],
    ),
]


RELATION_OF_TARGET.append(
    # regression: "(Kèm theo …)" on the line under a title was read as part of the
    # title of the mention before it, and the attachment relation was lost
    (
        "Kết quả thực hiện Chỉ thị số 14/CT-TTg về dân vận\n(Kèm theo Công văn số"
        " 88/BNV-CTTN ngày 03/4/2023 của Bộ Nội vụ)",
        [R.REPORTS_ON, R.ATTACHED_TO],
    )
)


@pytest.mark.parametrize(("source", "relations"), RELATION_OF_TARGET)
def test_relation_of_citing_document(source: str, relations: list[Relation]) -> None:
    assert [c.relation for c in run(source).citations] == relations


def test_text_without_symbols_regression() -> None:
    # Bug: list sharing zipped an empty symbol list against [None] and raised.
    [c] = run("triển khai Hiến pháp năm 2013").citations
    assert c.key == "LUAT:hien-phap@2013"
    assert run("").citations == ()


def test_deterministic() -> None:
    source = "".join(r[0] + "\n" for r in ROWS)
    assert run(source) == run(source)
