"""Controlled lists shared by ingest, graph, API and explorer.

These tables are the single Python source for document types, issuer codes,
relations and frequencies. The Turtle ontology (``luocdo.ttl``) declares one
class / concept / property per row; ``tests/test_ontology_terms.py`` checks
that the two agree, so neither can drift.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cache

ONTOLOGY_NS = "https://w3id.org/luocdo/ontology#"
ELI_NS = "http://data.europa.eu/eli/ontology#"


class Relation(StrEnum):
    """Relation of a citing document to a cited one, as the text states it."""

    CITES = "cites"
    BASED_ON = "based_on"
    IMPLEMENTS = "implements"
    REPLACES = "replaces"
    AMENDS = "amends"
    CONTINUES = "continues"
    ATTACHED_TO = "attached_to"
    REPORTS_ON = "reports_on"


@dataclass(frozen=True, slots=True)
class RelationInfo:
    relation: Relation
    local: str  # property local name in the ontology namespace
    inverse: str  # inverse property local name
    vi: str
    en: str


RELATIONS: tuple[RelationInfo, ...] = (
    RelationInfo(Relation.CITES, "cites", "citedBy", "trích dẫn", "cites"),
    RelationInfo(Relation.BASED_ON, "basedOn", "basisFor", "căn cứ", "based on"),
    RelationInfo(Relation.IMPLEMENTS, "implements", "implementedBy", "triển khai thực hiện",
                 "implements"),
    RelationInfo(Relation.REPLACES, "replaces", "replacedBy", "thay thế", "replaces"),
    RelationInfo(Relation.AMENDS, "amends", "amendedBy", "sửa đổi, bổ sung", "amends"),
    RelationInfo(Relation.CONTINUES, "continues", "continuedBy", "tiếp tục thực hiện",
                 "continues"),
    RelationInfo(Relation.ATTACHED_TO, "attachedTo", "hasAttachment", "kèm theo",
                 "attached to"),
    RelationInfo(Relation.REPORTS_ON, "reportsOn", "reportedOnBy", "báo cáo kết quả thực hiện",
                 "reports on"),
)


@cache
def relation_info(relation: Relation | str) -> RelationInfo:
    rel = Relation(relation)
    for info in RELATIONS:
        if info.relation is rel:
            return info
    raise KeyError(relation)


@dataclass(frozen=True, slots=True)
class DocType:
    """A document type (loại văn bản).

    ``words`` are the type words written before "số" in citations, lower-case
    NFC; ``state_codes`` / ``party_codes`` the abbreviations used inside
    symbols (Nghị định 30/2020/NĐ-CP Phụ lục III; Quy định 66-QĐ/TW).
    """

    slug: str  # stable ASCII identifier, used in keys and IRIs
    local: str  # ontology class local name
    vi: str
    en: str
    words: tuple[str, ...]
    state_codes: tuple[str, ...] = ()
    party_codes: tuple[str, ...] = ()


DOC_TYPES: tuple[DocType, ...] = (
    DocType("nghi-quyet-lien-tich", "JointResolution", "Nghị quyết liên tịch", "Joint resolution",
            ("nghị quyết liên tịch",), ("NQLT",)),
    DocType("thong-tu-lien-tich", "JointCircular", "Thông tư liên tịch", "Joint circular",
            ("thông tư liên tịch",), ("TTLT",)),
    DocType("chuong-trinh", "Programme", "Chương trình", "Programme",
            ("chương trình phối hợp", "chương trình hành động", "chương trình"),
            ("CTr", "CTPH"), ("CTr", "CTPH")),
    DocType("chi-thi", "Directive", "Chỉ thị", "Directive", ("chỉ thị",), ("CT",), ("CT",)),
    DocType("nghi-quyet", "Resolution", "Nghị quyết", "Resolution", ("nghị quyết",),
            ("NQ",), ("NQ",)),
    DocType("quyet-dinh", "Decision", "Quyết định", "Decision", ("quyết định",),
            ("QĐ",), ("QĐ",)),
    DocType("quy-dinh", "Regulation", "Quy định", "Regulation", ("quy định",),
            ("QyĐ",), ("QĐi",)),
    DocType("quy-che", "Rules", "Quy chế", "Rules", ("quy chế",), ("QC",), ("QC",)),
    DocType("ket-luan", "Conclusion", "Kết luận", "Conclusion", ("kết luận",), ("KL",),
            ("KL",)),
    DocType("ke-hoach", "Plan", "Kế hoạch", "Plan", ("kế hoạch",), ("KH",), ("KH",)),
    DocType("cong-van", "OfficialLetter", "Công văn", "Official letter",
            ("công văn", "văn bản"), (), ("CV",)),
    DocType("bao-cao", "Report", "Báo cáo", "Report", ("báo cáo",), ("BC",), ("BC",)),
    DocType("to-trinh", "Proposal", "Tờ trình",
            "Proposal (submission to a superior body)", ("tờ trình",), ("TTr",),
            ("TTr",)),
    DocType("nghi-dinh", "Decree", "Nghị định", "Decree", ("nghị định",), ("NĐ",)),
    DocType("thong-tu", "Circular", "Thông tư", "Circular", ("thông tư",), ("TT",)),
    DocType("thong-tri", "PartyCircular", "Thông tri", "Party circular", ("thông tri",),
            ("Ttri",), ("TT",)),
    DocType("luat", "Law", "Luật", "Law", ("luật", "bộ luật"), ()),
    DocType("phap-lenh", "Ordinance", "Pháp lệnh", "Ordinance", ("pháp lệnh",), ()),
    DocType("lenh", "Order", "Lệnh", "Order", ("lệnh",), ("L",)),
    DocType("huong-dan", "Guidance", "Hướng dẫn", "Guidance", ("hướng dẫn",), ("HD",),
            ("HD",)),
    DocType("thong-bao", "Notice", "Thông báo", "Notice", ("thông báo",), ("TB",), ("TB",)),
    DocType("thong-cao", "Communique", "Thông cáo", "Communiqué", ("thông cáo",), ("TC",),
            ("TC",)),
    DocType("de-an", "Scheme", "Đề án", "Scheme", ("đề án",), ("ĐA",), ("ĐA",)),
    DocType("du-an", "Project", "Dự án", "Project", ("dự án",), ("DA",)),
    DocType("phuong-an", "Option", "Phương án", "Option plan", ("phương án",), ("PA",),
            ("PA",)),
    DocType("cong-dien", "Telegram", "Công điện", "Official telegram", ("công điện",),
            ("CĐ",)),
    DocType("van-ban-hop-nhat", "ConsolidatedText", "Văn bản hợp nhất", "Consolidated text",
            ("văn bản hợp nhất",), ("VBHN",)),
    DocType("bien-ban", "Minutes", "Biên bản", "Minutes", ("biên bản",), ("BB",), ("BB",)),
    DocType("de-cuong", "ReportOutline", "Đề cương báo cáo", "Report outline",
            ("đề cương báo cáo", "đề cương"), (), ("ĐC",)),
    DocType("bang-tong-hop", "SummaryTable", "Bảng tổng hợp", "Summary table",
            ("bảng tổng hợp", "phụ lục"), ()),
    DocType("hien-phap", "Constitution", "Hiến pháp", "Constitution", ("hiến pháp",), ()),
    DocType("van-ban", "Document", "Văn bản", "Document", (), ()),
)


@cache
def doc_type(slug: str) -> DocType:
    for t in DOC_TYPES:
        if t.slug == slug:
            return t
    raise KeyError(slug)


@cache
def type_by_word() -> dict[str, DocType]:
    """Lower-case type word → type; longer words first when matching."""
    out: dict[str, DocType] = {}
    for t in DOC_TYPES:
        for w in t.words:
            out.setdefault(w, t)
    return out


def fold_code(code: str) -> str:
    """Match key for a symbol code: Đ→D, upper case (keeps the original elsewhere)."""
    return code.replace("Đ", "D").replace("đ", "d").replace("Ð", "D").replace("ð", "d").upper()


@cache
def types_by_code(party: bool) -> dict[str, tuple[DocType, ...]]:
    """Folded symbol code → candidate types (several when folding merges codes)."""
    out: dict[str, list[DocType]] = {}
    for t in DOC_TYPES:
        for c in t.party_codes if party else t.state_codes:
            out.setdefault(fold_code(c), []).append(t)
    return {k: tuple(v) for k, v in out.items()}


class Frequency(StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    HALF_YEARLY = "half-yearly"
    NINE_MONTHS = "nine-monthly"
    YEARLY = "yearly"
    PERIODIC = "periodic"  # "định kỳ" with no period word: recurs, cycle unstated
    ONCE = "once"


FREQUENCY_LABELS: dict[Frequency, tuple[str, str]] = {
    Frequency.MONTHLY: ("hằng tháng", "monthly"),
    Frequency.QUARTERLY: ("hằng quý", "quarterly"),
    Frequency.HALF_YEARLY: ("định kỳ 6 tháng", "half-yearly"),
    Frequency.NINE_MONTHS: ("9 tháng", "nine-monthly"),
    Frequency.YEARLY: ("hằng năm", "yearly"),
    Frequency.PERIODIC: ("định kỳ", "periodic"),
    Frequency.ONCE: ("một lần", "once"),
}


@dataclass(frozen=True, slots=True)
class Issuer:
    code: str  # as written inside symbols (Đ kept)
    vi: str
    en: str
    party: bool = False


ISSUERS: tuple[Issuer, ...] = (
    Issuer("QH", "Quốc hội", "National Assembly"),
    Issuer("UBTVQH", "Ủy ban Thường vụ Quốc hội", "Standing Committee of the National Assembly"),
    Issuer("VPQH", "Văn phòng Quốc hội", "Office of the National Assembly"),
    Issuer("CTN", "Chủ tịch nước", "President"),
    Issuer("CP", "Chính phủ", "Government"),
    Issuer("TTg", "Thủ tướng Chính phủ", "Prime Minister"),
    Issuer("VPCP", "Văn phòng Chính phủ", "Government Office"),
    Issuer("TANDTC", "Tòa án nhân dân tối cao", "Supreme People's Court"),
    Issuer("VKSNDTC", "Viện kiểm sát nhân dân tối cao", "Supreme People's Procuracy"),
    Issuer("KTNN", "Kiểm toán nhà nước", "State Audit Office"),
    Issuer("BNV", "Bộ Nội vụ", "Ministry of Home Affairs"),
    Issuer("BTC", "Bộ Tài chính", "Ministry of Finance"),
    Issuer("BCA", "Bộ Công an", "Ministry of Public Security"),
    Issuer("BQP", "Bộ Quốc phòng", "Ministry of National Defence"),
    Issuer("BNG", "Bộ Ngoại giao", "Ministry of Foreign Affairs"),
    Issuer("BTP", "Bộ Tư pháp", "Ministry of Justice"),
    Issuer("BYT", "Bộ Y tế", "Ministry of Health"),
    Issuer("BGDĐT", "Bộ Giáo dục và Đào tạo", "Ministry of Education and Training"),
    Issuer("BXD", "Bộ Xây dựng", "Ministry of Construction"),
    Issuer("BCT", "Bộ Công Thương", "Ministry of Industry and Trade"),
    Issuer("BKHCN", "Bộ Khoa học và Công nghệ", "Ministry of Science and Technology"),
    Issuer("BVHTTDL", "Bộ Văn hóa, Thể thao và Du lịch",
           "Ministry of Culture, Sports and Tourism"),
    Issuer("NHNN", "Ngân hàng Nhà nước Việt Nam", "State Bank of Vietnam"),
    Issuer("TTCP", "Thanh tra Chính phủ", "Government Inspectorate"),
    Issuer("UBDT", "Ủy ban Dân tộc", "Committee for Ethnic Minority Affairs"),
    Issuer("BKHĐT", "Bộ Kế hoạch và Đầu tư", "Ministry of Planning and Investment"),
    Issuer("BTTTT", "Bộ Thông tin và Truyền thông", "Ministry of Information and Communications"),
    Issuer("BGTVT", "Bộ Giao thông vận tải", "Ministry of Transport"),
    Issuer("BTNMT", "Bộ Tài nguyên và Môi trường", "Ministry of Natural Resources and Environment"),
    Issuer("BNNPTNT", "Bộ Nông nghiệp và Phát triển nông thôn",
           "Ministry of Agriculture and Rural Development"),
    Issuer("BLĐTBXH", "Bộ Lao động - Thương binh và Xã hội",
           "Ministry of Labour, Invalids and Social Affairs"),
    Issuer("BNNMT", "Bộ Nông nghiệp và Môi trường", "Ministry of Agriculture and Environment"),
    Issuer("BDTTG", "Bộ Dân tộc và Tôn giáo", "Ministry of Ethnic and Religious Affairs"),
    Issuer("BHXH", "Bảo hiểm xã hội Việt Nam", "Vietnam Social Security"),
    Issuer("UBND", "Ủy ban nhân dân", "People's Committee"),
    Issuer("HĐND", "Hội đồng nhân dân", "People's Council"),
    Issuer("SNV", "Sở Nội vụ", "Department of Home Affairs"),
    Issuer("TW", "Trung ương Đảng", "Party Central Committee", party=True),
    Issuer("VPTW", "Văn phòng Trung ương Đảng", "Party Central Office", party=True),
    Issuer("BTCTW", "Ban Tổ chức Trung ương", "Central Organisation Commission", party=True),
    Issuer("UBKTTW", "Ủy ban Kiểm tra Trung ương", "Central Inspection Commission", party=True),
    Issuer("BTGTW", "Ban Tuyên giáo Trung ương", "Central Propaganda Commission", party=True),
    Issuer("BDVTW", "Ban Dân vận Trung ương", "Central Mass Mobilisation Commission", party=True),
    Issuer("BTGDVTW", "Ban Tuyên giáo và Dân vận Trung ương",
           "Central Propaganda and Mass Mobilisation Commission", party=True),
    Issuer("BNCTW", "Ban Nội chính Trung ương", "Central Internal Affairs Commission", party=True),
    Issuer("BKTTW", "Ban Kinh tế Trung ương", "Central Economic Commission", party=True),
    Issuer("BĐNTW", "Ban Đối ngoại Trung ương", "Central External Relations Commission",
           party=True),
    Issuer("BCSĐCP", "Ban cán sự đảng Chính phủ", "Government Party Delegation", party=True),
    Issuer("TWĐTN", "Trung ương Đoàn Thanh niên", "Youth Union Central Committee", party=True),
    Issuer("BCSĐ", "Ban cán sự đảng", "Party delegation", party=True),
    Issuer("ĐĐ", "Đảng đoàn", "Party caucus", party=True),
    Issuer("TU", "Tỉnh ủy", "Provincial Party Committee", party=True),
    Issuer("HU", "Huyện ủy", "District Party Committee", party=True),
    Issuer("QU", "Quận ủy", "Urban District Party Committee", party=True),
    Issuer("ĐU", "Đảng ủy", "Party Committee", party=True),
    Issuer("ĐUK", "Đảng ủy khối", "Bloc Party Committee", party=True),
    Issuer("BTGTU", "Ban Tuyên giáo Tỉnh ủy", "Provincial Propaganda Commission", party=True),
    Issuer("BDVTU", "Ban Dân vận Tỉnh ủy", "Provincial Mass Mobilisation Commission", party=True),
    Issuer("VPTU", "Văn phòng Tỉnh ủy", "Provincial Party Office", party=True),
)


@cache
def issuer_by_code() -> dict[str, Issuer]:
    """Folded code → issuer (BCSĐCP and BCSDCP give the same entry)."""
    return {fold_code(i.code): i for i in ISSUERS}
