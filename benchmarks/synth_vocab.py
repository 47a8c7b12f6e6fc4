"""Reference tables for the synthetic corpus: root documents, bodies, places, names, phrases.

Everything here is written for the generator (no sentence is taken from a real document).
Symbols and dates of well-known central documents are facts and may coincide with real
ones; the titles are short paraphrases.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RootSpec:
    """A central document that implementation chains start from.

    Attributes:
        symbol: canonical số ký hiệu.
        date: issue date.
        slug: ``ontology.terms`` DocType slug.
        word: the type word written before "số" ("Chỉ thị").
        issuer: issuing body as prose names it.
        title: the "về …" title, without "về".
        party: Party form (``n-TYPE/ISSUER``).
        subject: the short name of the work the chain reports on.
        lead: (issuer code, unit code) of the body that forwards it (ministry or commission).
        name: a law's name ("Luật …"), cited together with its number.
        sibling: symbol of a document issued the same day and cited in the same list.
        chain: True when campaigns start from it; False: only cited as background.
    """

    symbol: str
    date: dt.date
    slug: str
    word: str
    issuer: str
    title: str
    party: bool
    subject: str
    lead: tuple[str, str]
    name: str | None = None
    sibling: str | None = None
    chain: bool = True


def _d(y: int, m: int, d: int) -> dt.date:
    return dt.date(y, m, d)


# Ordered by popularity: rank 1 is cited most (campaigns pick roots with Zipf weights).
ROOTS: tuple[RootSpec, ...] = (
    RootSpec("33/CT-TTg", _d(2021, 11, 26), "chi-thi", "Chỉ thị", "Thủ tướng Chính phủ",
             "tăng cường công tác dân vận của cơ quan hành chính nhà nước", False,
             "công tác dân vận chính quyền", ("BNV", "CTTN")),
    RootSpec("25-NQ/TW", _d(2013, 6, 3), "nghi-quyet", "Nghị quyết",
             "Ban Chấp hành Trung ương Đảng (khóa XI)",
             "đổi mới sự lãnh đạo của Đảng đối với công tác dân vận", True,
             "công tác dân vận", ("BDVTW", "")),
    RootSpec("03-CTr/BDVTW-BCSĐCP", _d(2021, 12, 15), "chuong-trinh", "Chương trình phối hợp",
             "Ban Dân vận Trung ương và Ban cán sự đảng Chính phủ",
             "phối hợp công tác dân vận giai đoạn 2021 - 2026", True,
             "chương trình phối hợp công tác dân vận", ("BNV", "CTTN"), chain=False),
    RootSpec("30/2020/NĐ-CP", _d(2020, 3, 5), "nghi-dinh", "Nghị định", "Chính phủ",
             "công tác văn thư", False, "công tác văn thư, lưu trữ", ("BNV", "VTLTNN")),
    RootSpec("28/2018/QĐ-TTg", _d(2018, 7, 12), "quyet-dinh", "Quyết định",
             "Thủ tướng Chính phủ", "gửi, nhận văn bản điện tử giữa các cơ quan hành chính",
             False, "gửi, nhận văn bản điện tử", ("VPCP", "KSTT")),
    RootSpec("10/2022/QH15", _d(2022, 11, 10), "luat", "Luật", "Quốc hội",
             "thực hiện dân chủ ở cơ sở", False, "công tác thực hiện dân chủ ở cơ sở",
             ("BNV", "CQĐP"),
             name="Luật Thực hiện dân chủ ở cơ sở"),
    RootSpec("43-KL/TW", _d(2019, 1, 7), "ket-luan", "Kết luận", "Ban Bí thư",
             "tiếp tục đổi mới công tác dân vận trong tình hình mới", True,
             "công tác dân vận", ("BDVTW", "")),
    RootSpec("76/NQ-CP", _d(2021, 7, 15), "nghi-quyet", "Nghị quyết", "Chính phủ",
             "chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2021 - 2030", False,
             "cải cách hành chính", ("BNV", "CCHC")),
    RootSpec("05-CT/TW", _d(2016, 5, 15), "chi-thi", "Chỉ thị", "Bộ Chính trị",
             "học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh", True,
             "học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh", ("BTGTW", "")),
    RootSpec("18-NQ/TW", _d(2017, 10, 25), "nghi-quyet", "Nghị quyết",
             "Ban Chấp hành Trung ương Đảng (khóa XII)",
             "tinh gọn tổ chức bộ máy của hệ thống chính trị", True,
             "sắp xếp tổ chức bộ máy", ("BTCTW", ""), sibling="19-NQ/TW"),
    RootSpec("19-NQ/TW", _d(2017, 10, 25), "nghi-quyet", "Nghị quyết",
             "Ban Chấp hành Trung ương Đảng (khóa XII)",
             "đổi mới quản lý các đơn vị sự nghiệp công lập", True,
             "đổi mới đơn vị sự nghiệp công lập", ("BTCTW", ""), sibling="18-NQ/TW",
             chain=False),
    RootSpec("217-QĐ/TW", _d(2013, 12, 12), "quyet-dinh", "Quyết định", "Bộ Chính trị",
             "quy chế giám sát và phản biện xã hội của Mặt trận Tổ quốc", True,
             "giám sát và phản biện xã hội", ("BDVTW", ""), sibling="218-QĐ/TW"),
    RootSpec("218-QĐ/TW", _d(2013, 12, 12), "quyet-dinh", "Quyết định", "Bộ Chính trị",
             "Nhân dân tham gia góp ý xây dựng Đảng, xây dựng chính quyền", True,
             "góp ý xây dựng Đảng, xây dựng chính quyền", ("BDVTW", ""), sibling="217-QĐ/TW",
             chain=False),
    RootSpec("1004/2020/UBTVQH14", _d(2020, 6, 19), "nghi-quyet", "Nghị quyết",
             "Ủy ban Thường vụ Quốc hội", "hướng dẫn hoạt động giám sát của Hội đồng nhân dân",
             False, "giám sát của Hội đồng nhân dân", ("BNV", "CQĐP")),
)


@dataclass(frozen=True, slots=True)
class Ministry:
    code: str
    name: str
    units: tuple[str, ...]
    successor: str | None = None  # code that replaced it in the 2025 reorganisation


MINISTRIES: tuple[Ministry, ...] = (
    Ministry("BNV", "Bộ Nội vụ", ("CTTN", "CCHC", "VTLTNN", "CQĐP", "TCBC")),
    Ministry("BTC", "Bộ Tài chính", ("NSNN", "QLCS", "VP")),
    Ministry("BCA", "Bộ Công an", ("V03", "X05")),
    Ministry("BQP", "Bộ Quốc phòng", ("TCCT", "VP")),
    Ministry("BNG", "Bộ Ngoại giao", ("TCCB", "VP")),
    Ministry("BTP", "Bộ Tư pháp", ("PBGDPL", "VP")),
    Ministry("BYT", "Bộ Y tế", ("KHTC", "TCCB")),
    Ministry("BGDĐT", "Bộ Giáo dục và Đào tạo", ("GDCTHSSV", "VP")),
    Ministry("BXD", "Bộ Xây dựng", ("TCCB", "VP")),
    Ministry("BCT", "Bộ Công Thương", ("TCCB", "VP")),
    Ministry("BKHCN", "Bộ Khoa học và Công nghệ", ("TCCB", "VP")),
    Ministry("BVHTTDL", "Bộ Văn hóa, Thể thao và Du lịch", ("TCCB", "VP")),
    Ministry("NHNN", "Ngân hàng Nhà nước Việt Nam", ("TCCB", "VP")),
    Ministry("TTCP", "Thanh tra Chính phủ", ("VP", "TCCB")),
    Ministry("VPCP", "Văn phòng Chính phủ", ("KSTT", "QHĐP", "TCCV")),
    Ministry("UBDT", "Ủy ban Dân tộc", ("TCCB", "VP"), successor="BDTTG"),
    Ministry("BKHĐT", "Bộ Kế hoạch và Đầu tư", ("TCCB", "VP"), successor="BTC"),
    Ministry("BTTTT", "Bộ Thông tin và Truyền thông", ("TCCB", "VP"), successor="BKHCN"),
    Ministry("BGTVT", "Bộ Giao thông vận tải", ("TCCB", "VP"), successor="BXD"),
    Ministry("BTNMT", "Bộ Tài nguyên và Môi trường", ("TCCB", "VP"), successor="BNNMT"),
    Ministry("BNNPTNT", "Bộ Nông nghiệp và Phát triển nông thôn", ("TCCB", "VP"),
             successor="BNNMT"),
    Ministry("BLĐTBXH", "Bộ Lao động - Thương binh và Xã hội", ("TCCB", "VP"),
             successor="BNV"),
    Ministry("BNNMT", "Bộ Nông nghiệp và Môi trường", ("TCCB", "VP")),
    Ministry("BDTTG", "Bộ Dân tộc và Tôn giáo", ("TCCB", "VP")),
)

# Party commissions that forward central Party documents (code → prose name).
COMMISSIONS: dict[str, str] = {
    "BDVTW": "Ban Dân vận Trung ương",
    "BTGTW": "Ban Tuyên giáo Trung ương",
    "BTCTW": "Ban Tổ chức Trung ương",
}

# Header lines (capitals) and signature blocks of central issuers, by prose name.
CENTRAL_HEADERS: dict[str, tuple[str, ...]] = {
    "Thủ tướng Chính phủ": ("THỦ TƯỚNG CHÍNH PHỦ",),
    "Chính phủ": ("CHÍNH PHỦ",),
    "Quốc hội": ("QUỐC HỘI",),
    "Ủy ban Thường vụ Quốc hội": ("ỦY BAN THƯỜNG VỤ QUỐC HỘI",),
    "Bộ Chính trị": ("BAN CHẤP HÀNH TRUNG ƯƠNG", "*"),
    "Ban Bí thư": ("BAN CHẤP HÀNH TRUNG ƯƠNG", "*"),
    "Ban Chấp hành Trung ương Đảng (khóa XI)": ("BAN CHẤP HÀNH TRUNG ƯƠNG", "*"),
    "Ban Chấp hành Trung ương Đảng (khóa XII)": ("BAN CHẤP HÀNH TRUNG ƯƠNG", "*"),
    "Ban Dân vận Trung ương và Ban cán sự đảng Chính phủ": (
        "BAN DÂN VẬN TRUNG ƯƠNG", "BAN CÁN SỰ ĐẢNG CHÍNH PHỦ"),
}

CENTRAL_SIGNERS: dict[str, tuple[str, ...]] = {
    "Thủ tướng Chính phủ": ("THỦ TƯỚNG",),
    "Chính phủ": ("TM. CHÍNH PHỦ", "THỦ TƯỚNG"),
    "Quốc hội": ("CHỦ TỊCH QUỐC HỘI",),
    "Ủy ban Thường vụ Quốc hội": ("TM. ỦY BAN THƯỜNG VỤ QUỐC HỘI", "CHỦ TỊCH"),
    "Bộ Chính trị": ("T/M BỘ CHÍNH TRỊ",),
    "Ban Bí thư": ("T/M BAN BÍ THƯ",),
    "Ban Chấp hành Trung ương Đảng (khóa XI)": ("T/M BAN CHẤP HÀNH TRUNG ƯƠNG", "TỔNG BÍ THƯ"),
    "Ban Chấp hành Trung ương Đảng (khóa XII)": ("T/M BAN CHẤP HÀNH TRUNG ƯƠNG", "TỔNG BÍ THƯ"),
    "Ban Dân vận Trung ương và Ban cán sự đảng Chính phủ": (
        "T/M BAN CÁN SỰ ĐẢNG CHÍNH PHỦ", "T/M BAN DÂN VẬN TRUNG ƯƠNG"),
}

# The 63 provinces and centrally-run cities before the 2025 merger: (name, is_city).
PROVINCES: tuple[tuple[str, bool], ...] = (
    ("An Giang", False), ("Bà Rịa - Vũng Tàu", False), ("Bạc Liêu", False),
    ("Bắc Giang", False), ("Bắc Kạn", False), ("Bắc Ninh", False), ("Bến Tre", False),
    ("Bình Dương", False), ("Bình Định", False), ("Bình Phước", False), ("Bình Thuận", False),
    ("Cà Mau", False), ("Cao Bằng", False), ("Cần Thơ", True), ("Đà Nẵng", True),
    ("Đắk Lắk", False), ("Đắk Nông", False), ("Điện Biên", False), ("Đồng Nai", False),
    ("Đồng Tháp", False), ("Gia Lai", False), ("Hà Giang", False), ("Hà Nam", False),
    ("Hà Nội", True), ("Hà Tĩnh", False), ("Hải Dương", False), ("Hải Phòng", True),
    ("Hậu Giang", False), ("Hòa Bình", False), ("Hưng Yên", False), ("Khánh Hòa", False),
    ("Kiên Giang", False), ("Kon Tum", False), ("Lai Châu", False), ("Lạng Sơn", False),
    ("Lào Cai", False), ("Lâm Đồng", False), ("Long An", False), ("Nam Định", False),
    ("Nghệ An", False), ("Ninh Bình", False), ("Ninh Thuận", False), ("Phú Thọ", False),
    ("Phú Yên", False), ("Quảng Bình", False), ("Quảng Nam", False), ("Quảng Ngãi", False),
    ("Quảng Ninh", False), ("Quảng Trị", False), ("Sóc Trăng", False), ("Sơn La", False),
    ("Tây Ninh", False), ("Thái Bình", False), ("Thái Nguyên", False), ("Thanh Hóa", False),
    ("Thừa Thiên Huế", False), ("Hồ Chí Minh", True), ("Trà Vinh", False),
    ("Tuyên Quang", False), ("Vĩnh Long", False), ("Vĩnh Phúc", False), ("Yên Bái", False),
    ("Tiền Giang", False),
)

# Syllables for invented district and ward names ("Tân Hòa", "Đông Sơn").
PLACE_SYLLABLES: tuple[str, ...] = (
    "Tân", "Phú", "An", "Bình", "Hòa", "Thạch", "Đông", "Xuân", "Quang", "Trung", "Yên",
    "Vĩnh", "Hưng", "Lộc", "Thành", "Sơn", "Long", "Hải", "Mỹ", "Phước", "Nghĩa", "Đức",
    "Thuận", "Hiệp", "Tiến", "Lợi", "Khánh", "Định", "Minh", "Cẩm", "Thủy", "Lạc",
)

SURNAMES: tuple[str, ...] = (
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi",
    "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Tạ",
)
MIDDLE_NAMES: tuple[str, ...] = (
    "Văn", "Thị", "Minh", "Đức", "Thanh", "Hữu", "Quang", "Ngọc", "Thu", "Hồng", "Xuân",
    "Đình", "Công", "Kim",
)
GIVEN_NAMES: tuple[str, ...] = (
    "Hùng", "Cường", "Lan", "Hương", "Dũng", "Tuấn", "Hải", "Hà", "Phương", "Long", "Nam",
    "Sơn", "Trang", "Thảo", "Bình", "Khánh", "Quân", "Huy", "Đạt", "Yến", "Tâm", "Thắng",
)

# Unit codes of provincial People's Committee offices (n/UBND-<unit>).
PROVINCE_UNITS: tuple[str, ...] = ("KGVX", "VX", "NC", "TH", "KT", "NCPC")

# Sentence banks. "{subject}" is the chain's subject, "{ref}" a short mention.
ASSESSMENTS: tuple[str, ...] = (
    "Thời gian qua, {subject} có nhiều chuyển biến tích cực; nhận thức và trách nhiệm "
    "của cán bộ, công chức được nâng lên rõ rệt.",
    "Bên cạnh kết quả đạt được, việc triển khai ở một số nơi còn mang tính hình thức, "
    "chưa gắn với nhiệm vụ chuyên môn của cơ quan, đơn vị.",
    "Sự phối hợp giữa các cơ quan có lúc chưa chặt chẽ; chế độ thông tin, báo cáo "
    "chưa bảo đảm thời hạn.",
    "Nguyên nhân chủ yếu là người đứng đầu một số cơ quan chưa thật sự quan tâm, "
    "thiếu kiểm tra, đôn đốc thường xuyên.",
    "Việc tiếp nhận, xử lý phản ánh, kiến nghị của người dân và doanh nghiệp từng "
    "bước được công khai, minh bạch hơn.",
    "Công tác kiểm tra, giám sát được duy trì, kịp thời chấn chỉnh những tồn tại, "
    "hạn chế phát sinh ở cơ sở.",
    "Một số chỉ tiêu đạt thấp so với kế hoạch đề ra, nhất là ở các xã vùng sâu, "
    "vùng xa và vùng đồng bào dân tộc thiểu số.",
)
TASKS: tuple[str, ...] = (
    "Quán triệt đầy đủ nội dung {ref} đến toàn thể cán bộ, công chức, viên chức và "
    "người lao động.",
    "Xây dựng kế hoạch cụ thể, phân công rõ người, rõ việc, rõ thời gian hoàn thành "
    "và rõ trách nhiệm của từng bộ phận.",
    "Gắn {subject} với việc thực hiện nhiệm vụ chính trị của cơ quan, đơn vị và "
    "công tác cải cách hành chính.",
    "Tăng cường đối thoại trực tiếp với Nhân dân, giải quyết dứt điểm các kiến nghị "
    "chính đáng ngay từ cơ sở.",
    "Đưa kết quả thực hiện {subject} vào tiêu chí đánh giá, xếp loại thi đua của "
    "tập thể và cá nhân.",
    "Chủ động phối hợp với Mặt trận Tổ quốc và các đoàn thể chính trị - xã hội "
    "trong tuyên truyền, vận động Nhân dân.",
    "Kịp thời biểu dương, nhân rộng các mô hình hay, cách làm hiệu quả trên địa bàn.",
    "Rà soát, bổ sung quy chế làm việc, bảo đảm công khai thủ tục hành chính tại "
    "bộ phận một cửa.",
)
RESULTS: tuple[str, ...] = (
    "Đã tổ chức {a} hội nghị quán triệt với {b} lượt cán bộ, đảng viên tham dự.",
    "Tiếp nhận {a} đơn, thư kiến nghị, đã giải quyết {c}/{a} đơn, đạt tỷ lệ {p}%.",
    "Đăng ký {a} mô hình “Dân vận khéo” trên các lĩnh vực kinh tế, văn hóa, xã hội.",
    "Tổ chức {a} cuộc đối thoại giữa người đứng đầu cấp ủy, chính quyền với Nhân dân.",
    "Có {c}/{a} cơ quan, đơn vị xếp loại tốt; tỷ lệ hài lòng của người dân đạt {p}%.",
    "Vận động Nhân dân đóng góp {b} triệu đồng và {a} ngày công xây dựng đường giao thông.",
)
SOLUTIONS: tuple[str, ...] = (
    "Tiếp tục đổi mới nội dung, phương thức tuyên truyền phù hợp với từng đối tượng.",
    "Nâng cao chất lượng đội ngũ cán bộ làm công tác tham mưu ở cơ sở.",
    "Đẩy mạnh ứng dụng công nghệ thông tin trong tiếp nhận và trả lời kiến nghị.",
    "Tăng cường kiểm tra, giám sát; xử lý nghiêm cán bộ có hành vi gây phiền hà cho dân.",
)
