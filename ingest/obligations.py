"""Obligations: who must do what, for whom, by when, how often.

Works sentence by sentence on the prose view of a document (``join_lines``), so PDF line
breaks never cut a sentence; every span maps back to the source. Reading stops at "Nơi
nhận"; address lines ("Kính gửi", "V/v") and tab-separated table rows are skipped.

A sentence creates obligations only when it has a **trigger** (a request verb with an
addressee or a verb after it: "đề nghị / yêu cầu / giao / chỉ đạo X …"; a duty phrase
followed by a verb: "có trách nhiệm", "chủ trì", "phải", "cần"; a governing recurrence:
"định kỳ báo cáo", "hằng năm tổ chức", "báo cáo năm"; a deadline; "gửi … về X") **and**
something that makes it a real duty: a deadline, a governing recurrence, a recipient, or
an explicit bearer with a specific action. The last case is refused for "cần" (advice),
for "chỉ đạo / phân công X" (reports narrate with them), for list intros ("… các nội dung
sau:") and for closing or courtesy formulas ("… triển khai thực hiện", "phối hợp").
Proposals ("kiến nghị, đề xuất … Giao …", anything under a "KIẾN NGHỊ, ĐỀ XUẤT" heading),
descriptive clauses ("đã", "chưa", "đang" before the action) and duties with neither a
bearer nor a deadline (a report describing practice) create none.

One obligation per deadline: "gửi báo cáo 6 tháng … trước ngày 30 tháng 5 và báo cáo năm …
trước ngày 15 tháng 12" gives two, each spanning its own part of the sentence.

* Bearer: the addressee after a request verb; else the sentence's own subject ("Các cấp
  ủy, tổ chức đảng …"); else the list intro above ("Sở Nội vụ đề nghị Sở Tư pháp … sau:",
  "2. Sở Tài chính:", "1. Sở Nội vụ"); else the "Kính gửi" recipients joined with "; "
  (also when the addressee is generic, "các cơ quan, đơn vị", or restates them); else a
  subject after a fronted time or recurrence ("Định kỳ 6 tháng và hằng năm, các bộ, ngành
  gửi …", "Trước ngày 15/12, Sở Y tế …"), which a letter's addressees answer for.
* A line break after ":" does not end the sentence when the next line goes on in lower
  case (a PDF wrap: "gửi báo cáo về Bộ Nội vụ: \n\nbáo cáo 6 tháng … trước ngày 15/6").
* Action: a short phrase from the verb phrase: the hand-over verb (gửi, nộp) and its
  object, or the document noun before it ("báo cáo năm đề nghị gửi" → "gửi báo cáo năm");
  else "báo cáo"/"trình" + topic; else the first action verb and its object. A day-only
  deadline ("trước ngày 20 của tháng cuối quý") is appended in parentheses.
* Recipient: "gửi/báo cáo/trình X", "… về/cho/đến X", with "(qua Y)" kept; never inside a
  purpose clause ("để tổng hợp, báo cáo Thủ tướng …") nor inside a citation.
* Period: "giai đoạn 2021-2025", "quý I/2025", … unless it qualifies a cited document.
* Delegated deadlines ("theo thời gian đề nghị", "theo thời hạn tại Văn bản số …") point
  to the document named in the phrase, else to the single document the letter forwards
  (named after "nhận được"/"phúc đáp", else the single attached-to, else the single
  implemented citation); with two candidates they stay unresolved.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from typing import Literal, NamedTuple

import regex

from ingest.clean import fold, join_lines, squash_blanks
from ingest.deadlines import (
    DATED_SYLLABLES,
    DELEGATION_SYLLABLES,
    FREQUENCY_SYLLABLES,
    Deadline,
    FrequencyMention,
    find_deadlines,
    find_frequencies,
    find_periods,
    may_recur,
)
from ingest.models import Citation, Obligation, Relation, Span
from ingest.scan import scan
from ingest.textmap import MappedText
from ontology.terms import Frequency

__all__ = ["find_obligations"]

_LB = r"(?<!\p{L})"
_RB = r"(?!\p{L})"


def _ci(pattern: str) -> regex.Pattern[str]:
    """Compile a case-insensitive pattern with simple case folding.

    Vietnamese letters fold one to one; V1's default full case folding only adds
    multi-character folds ("ß" → "ss") and makes the long alternations here twice as slow.
    """
    return regex.compile("(?-f)" + pattern, regex.V1 | regex.IGNORECASE)


def _word_set(text: str) -> frozenset[str]:
    """Vocabulary written as one space-separated string (keeps the tables compact)."""
    return frozenset(text.split())


def _phrase_set(text: str) -> frozenset[str]:
    """Vocabulary of multi-word phrases written as one "|"-separated string."""
    return frozenset(p.strip() for p in text.split("|") if p.strip())


# --- vocabularies -----------------------------------------------------------------------------

# Verbs that start the action of a duty (and so end a bearer phrase). "tổ chức" is a
# noun before "đảng", "chính trị", … ("các cấp ủy, tổ chức đảng").
_VERBS = (
    r"gửi|nộp|chuyển|báo\s+cáo|trình|xây\s+dựng|ban\s+hành|"
    r"tổ\s+chức(?!\s+(?:đảng|chính\s+trị|đoàn|cá\s+nhân|hội|xã\s+hội|có\s+liên\s+quan|"
    r"thực\s+hiện\s+nhiệm\s+vụ|,|\s*và\s+cá))|"
    r"chỉ\s+đạo|triển\s+khai|thực\s+hiện|tập\s+trung|chủ\s+trì|phối\s+hợp|tham\s+mưu|"
    r"rà\s+soát|kiểm\s+tra|hoàn\s+thành|hoàn\s+thiện|cung\s+cấp|đánh\s+giá|tổng\s+kết|"
    r"sơ\s+kết|quán\s+triệt|tăng\s+cường|nghiên\s+cứu|cập\s+nhật|thống\s+kê|lập|"
    r"chuẩn\s+bị|quan\s+tâm|đôn\s+đốc|tiếp\s+tục|lãnh\s+đạo|đẩy\s+mạnh|nâng\s+cao|"
    r"bảo\s+đảm|đảm\s+bảo|xem\s+xét|giải\s+quyết|theo\s+dõi|tổng\s+hợp|đề\s+xuất|"
    r"hướng\s+dẫn|công\s+khai|phổ\s+biến|tuyên\s+truyền|khắc\s+phục|xử\s+lý|bố\s+trí|"
    r"sắp\s+xếp|thành\s+lập|kiện\s+toàn|chấp\s+hành|thông\s+báo|phê\s+duyệt|ký|"
    r"đăng\s+ký|chấm\s+điểm|xếp\s+loại|giám\s+sát|tiếp\s+nhận|duy\s+trì|"
    r"có\s+trách\s+nhiệm|chịu\s+trách\s+nhiệm|có\s+nhiệm\s+vụ|phải|cần|"
    r"kịp\s+thời|khẩn\s+trương|thường\s+xuyên|định\s+kỳ|chủ\s+động|nghiêm\s+túc|"
    r"(?:hằng|hàng)\s+(?:năm|quý|tháng)|đề\s+nghị|yêu\s+cầu|giao|nhận\s+được|căn\s+cứ"
)
# Aspect words before a verb: past, negation, progressive ("đã", "chưa", "đang" …).
_ASPECT = r"(?:đã|chưa|đang|sẽ|vừa|cũng|đều|từng)"
# Verbs whose object is handed to someone: the action of a reporting duty.
_DELIVERY = r"gửi|nộp|chuyển"
# Words that may begin an addressee or a subject.
_AGENT_START = (
    r"\p{Lu}|các\s|cơ\s+quan|đơn\s+vị|địa\s+phương|cấp\s+ủy|cấp\s+uỷ|tổ\s+chức|bộ|sở|ban|"
    r"ngành|quý\s|đồng\s+chí|thủ\s+trưởng|người\s+đứng\s+đầu|lãnh\s+đạo|mọi|toàn\s+thể|"
    r"những|phòng|ủy\s+ban|uỷ\s+ban|chủ\s+tịch|giám\s+đốc|hội|trường|cán\s+bộ|"
    r"chi\s+bộ|đảng\s+bộ|chi\s+(?:ủy|uỷ)|đảng\s+(?:ủy|uỷ)"
)
# Words that head an agency phrase (lower-case NFC, "uỷ" spelled "ủy"). Matched with
# diacritics: folded, "xã hội" would contain "hội" and "số" would be "sở".
_AGENCY_HEADS = _phrase_set(
    "bộ|sở|ban|ủy ban|ubnd|hđnd|cơ quan|đơn vị|địa phương|cấp ủy|tổ chức|ngành|phòng|cục|"
    "vụ|văn phòng|chính phủ|thủ tướng|chủ tịch|giám đốc|thủ trưởng|người đứng đầu|đảng ủy|"
    "đảng đoàn|huyện ủy|tỉnh ủy|thành ủy|quận ủy|thị ủy|mặt trận|mttq|đoàn thể|hội đồng|"
    "hội|trường|viện|trung tâm|công an|kho bạc|bảo hiểm|thanh tra|tòa án|đài|học viện|"
    "tổng cục|chi cục|ban cán sự|thường trực|cán bộ|đảng viên|bí thư|lãnh đạo|đồng chí|"
    "chi bộ|đảng bộ|chi ủy|thị xã ủy|công đoàn|"
    "tỉnh đoàn|liên đoàn|quốc hội|tỉnh|huyện|xã|phường|quận|thị xã|thành phố|"
    "các|những|mọi|toàn thể|quý"
)
# Quantifiers that may precede the head ("các bộ", "mọi cơ quan").
_QUANTIFIERS = ("các", "những", "mọi", "toàn thể", "quý")
# Capitalised heads of a recipient ("gửi … về Bộ Nội vụ", "báo cáo Thủ tướng …").
_RECIPIENT_HEAD = (
    r"(?:Bộ|Sở|Ban|Ủy\s+ban|Uỷ\s+ban|UBND|HĐND|Hội\s+đồng|Văn\s+phòng|Phòng|Cục|"
    r"Tổng\s+cục|Chi\s+cục|Vụ|Thủ\s+tướng|Chính\s+phủ|Chủ\s+tịch|Tỉnh\s+ủy|Tỉnh\s+uỷ|"
    r"Thành\s+ủy|Thành\s+uỷ|Huyện\s+ủy|Huyện\s+uỷ|Quận\s+ủy|Thị\s+ủy|Đảng\s+ủy|Đảng\s+uỷ|"
    r"Đảng\s+đoàn|Thường\s+trực|Thường\s+vụ|Mặt\s+trận|MTTQ|Trung\s+tâm|Thanh\s+tra|"
    r"Kho\s+bạc|Công\s+an|Học\s+viện|Viện|Đài|Quốc\s+hội|Tòa\s+án|Kiểm\s+toán|"
    r"Liên\s+đoàn|Tỉnh\s+đoàn|Bảo\s+hiểm|Ngân\s+hàng|Cơ\s+quan\s+thường\s+trực|"
    r"Lãnh\s+đạo|Giám\s+đốc)" + _RB
)
# Lower-case words that continue an agency name ("Ủy ban nhân dân các tỉnh",
# "Bộ Nội vụ", "Ban cán sự đảng").
_NAME_WORDS = _word_set(
    "nhân dân các tỉnh thành phố huyện quận xã phường thị trấn trực thuộc ngang bộ cơ "
    "quan vụ ủy uỷ cán sự đảng đoàn chính phủ trung ương nhà nước hành thường ban sở "
    "ngành tổ quốc thể kiểm sát đạo chỉ tịch phòng quyền địa phương đại biểu dục tạo "
    "hoạch tư nguyên trường động binh hội hóa hoá thao lịch học nghệ tin truyền thông "
    "vận tải nghiệp triển nông thôn dựng tế pháp tộc giáo đua thưởng chức tra bạc thuế "
    "hiểm an huy trận đồng hình án lệnh vệ tướng trưởng lý"
)
# Words of addressees that mean "you, the recipients": "các cơ quan, đơn vị", "các cơ quan,
# địa phương", "các bộ, ngành và địa phương", "quý cơ quan".
_GENERIC_BEARER_WORDS = _word_set(
    "cac co quan don vi dia phuong bo nganh va quy nhung lien moi toan the"
)
# Words of a closing or courtesy formula ("chỉ đạo … triển khai thực hiện", "phối hợp",
# "tạo điều kiện", "thi hành Quyết định này"): an action made only of these (folded) is
# not a duty of its own.
_GENERIC_ACTION_WORDS = _word_set(
    "chi dao kip thoi co quan don vi lien trien khai thuc hien to chuc cac va nghiem tuc "
    "hieu qua tot noi dung tren van ban nay cong tap trung khan truong quan tam de nghi "
    "theo quy dinh yeu cau nhiem vu sau mot so cu the tiep tuc nhung dia phuong huong dan "
    "phoi hop tao dieu kien giup do ung thi hanh"
)
# Phrases that official sentences put before the bearer, ended by a comma: the time or
# recurrence of the duty ("Định kỳ 6 tháng và hằng năm, các bộ …", "Hằng năm, UBND các xã
# …", "Trong năm 2024, …", "Trước ngày 15/12, …", "Sau khi …, …") and connectives
# ("Đồng thời, …"). Reasons and bases ("Căn cứ …", "Trên cơ sở …") are left out: the
# agency after them is usually the issuer itself, not the bearer.
_FRONTED = (
    r"định\s+kỳ|(?:hằng|hàng|mỗi)\s+(?:năm|quý|tháng|tuần)|thường\s+niên|"
    r"trong\s+(?:năm|quý|tháng|thời\s+gian|giai\s+đoạn|tuần)|(?:kể\s+)?từ\s+(?:năm|ngày|quý|tháng)|"
    r"(?:cuối|đầu)\s+(?:năm|quý|tháng)|trước\s+(?:ngày|\d)|chậm\s+nhất|muộn\s+nhất|"
    r"(?:ngay\s+)?sau\s+khi|khi|đồng\s+thời|ngoài\s+ra|bên\s+cạnh\s+đó|sau\s+đó"
)
# A fronted phrase is short: its commas are looked for in this many characters.
_FRONTED_MAX = 160
# Document nouns a reporting duty hands over.
_DOC_NOUNS = (
    r"báo\s+cáo|kế\s+hoạch|văn\s+bản|quyết\s+định|danh\s+sách|số\s+liệu|đề\s+án|"
    r"chương\s+trình|dự\s+thảo|tờ\s+trình|hồ\s+sơ|biểu\s+mẫu|đề\s+xuất|ý\s+kiến"
)


@cache
def _rx() -> dict[str, regex.Pattern[str]]:
    return {
        "verb": _ci(r"(?:" + _VERBS + r")" + _RB),
        # "gửi kèm" attaches, it does not hand over.
        "delivery": regex.compile(_LB + r"(?:" + _DELIVERY + r")" + _RB + r"(?!\s+kèm)", regex.V1),
        "agent": regex.compile(r"(?:" + _AGENT_START + r")", regex.V1),
        "fronted": _ci(_LB + r"(?:" + _FRONTED + r")" + _RB),
        # Request verbs; validated by context (noun uses, addressee, case).
        "request": _ci(
            _LB + r"(?:(?:trân\s+trọng|kính|xin)\s+)?(?P<verb>đề\s+nghị|yêu\s+cầu|giao(?:\s+cho)?"
            r"|chỉ\s+đạo|phân\s+công)"
            + _RB
            # "giao ban", "giao thông", … are nouns; only in lower case ("Giao Ban Dân vận …"
            # assigns a duty).
            + r"(?!\s*(?:của|tại|đề\s+ra|nêu|trên|nói\s+trên|[),.;:]|(?-i:ban|thông|tiếp|dịch|"
            r"lưu|nhận|khoán|đất|quyền)" + _RB + r"))"
        ),
        # Noun or passive uses of the request verbs, just before them.
        "request_noun_before": regex.compile(
            r"(?:theo|nội\s+dung|thời\s+gian|thời\s+hạn|đáp\s+ứng|với|những|các|và|được|đã|"
            r"nhiệm\s+vụ|sự|ý\s+kiến|bàn|chuyển|kiến\s+nghị|Ban|văn\s+bản|có|phù\s+hợp)"
            r"[\s,]*$",
            regex.V1,
        ),
        # Duty phrases. "có trách nhiệm với dân" and "chịu trách nhiệm trước" are not duties.
        "duty": _ci(
            _LB + r"(?:có\s+trách\s+nhiệm(?!\s+(?:với|trong|cao|của|,))"
            r"|chịu\s+trách\s+nhiệm(?!\s+(?:trước|về))|có\s+nhiệm\s+vụ|chủ\s+trì|"
            r"phải(?!\s+(?:chăng|không))|(?<!(?:khi|nếu|thấy|là)\s)cần(?!\s+thiết))" + _RB
        ),
        # Descriptive markers: past, negation, progressive.
        "aspect": _ci(_LB + _ASPECT + _RB),
        # Where "verb" or "aspect" matches (one try instead of two).
        "verb_or_aspect": _ci(r"(?:" + _VERBS + r")" + _RB + r"|" + _LB + _ASPECT + _RB),
        "descriptive": _ci(_LB + r"(?:đã|chưa|đang|vừa|từng)" + _RB),
        # A proposal addresses someone: "kiến nghị, đề xuất với Thủ tướng …", "Sở kiến nghị
        # Ủy ban nhân dân tỉnh giao …"; "phản ánh, kiến nghị của người dân" is a noun.
        "proposal": regex.compile(
            _LB + r"(?:kiến\s+nghị|đề\s+xuất)(?:\s*,\s*(?:kiến\s+nghị|đề\s+xuất))*\s+"
            r"(?:với\s+)?(?=" + _RECIPIENT_HEAD + r"|cấp\s+có\s+thẩm\s+quyền)",
            regex.V1,
        ),
        "proposal_heading": regex.compile(_LB + r"(?:KIẾN\s+NGHỊ|ĐỀ\s+XUẤT)" + _RB, regex.V1),
        "purpose": _ci(_LB + r"(?:để|nhằm)\s"),
        "prep": _ci(r"(?:về|cho|đến|tới)\s+$"),
        "recipient": regex.compile(_RECIPIENT_HEAD, regex.V1),
        "prep_ahead": regex.compile(r"(?:về|cho|đến|tới)\s+(?=" + _RECIPIENT_HEAD + ")", regex.V1),
        "via": _ci(r"\(\s*(?:thông\s+)?qua\s+(?P<via>[^()]{2,80})\)"),
        "topical": _ci(
            r"(?P<np>(?:" + _DOC_NOUNS + r")(?:\s+[\p{L}\d]+){0,6}?)\s+"
            r"(?:(?:đề\s+nghị|yêu\s+cầu|cần|phải)\s+)?(?:" + _DELIVERY + r")\s*$"
        ),
        "doc_noun": _ci(_LB + r"(?:" + _DOC_NOUNS + r")" + _RB),
        "forward": _ci(
            _LB + r"(?:nhận\s+được|phúc\s+đáp|tiếp\s+nhận|sao\s+gửi|chuyển\s+tiếp)" + _RB
        ),
        # Used with match(text, start, end) on a sentence, as the two below.
        "list_marker": regex.compile(
            r"\s*(?:\d{1,2}(?:\.\d{1,2})?[.)]|[a-zđ]\)|[-+•])\s*", regex.V1
        ),
        "heading": regex.compile(r"^\s*(?:[IVX]{1,5})[.)\-]\s*(?P<title>.+)$", regex.V1),
        # Used with match(text, pos): no "^", which never matches at pos > 0.
        "stop": regex.compile(r"\s*(?:Nơi\s+nhận|NƠI\s+NHẬN)", regex.V1),
        # Header lines that contain delivery words but state no duty.
        "header_line": regex.compile(r"\s*(?:Kính\s+gửi|KÍNH\s+GỬI|V/v|Về\s+việc)", regex.V1),
        # --- small helpers, compiled once (calls with pattern strings paid the compile
        # cache lookup on every sentence) ---
        "word": regex.compile(r"\S+", regex.V1),
        # Any digit: every dated or period deadline has one (as in ``ingest.deadlines``).
        "digit": regex.compile(r"\d", regex.V1),
        # A token of an agency name: a word, or one punctuation mark that may end it.
        "name_token": regex.compile(r"[^\s,;.:()]+|[,;.:()]", regex.V1),
        # A comma inside a name: "Ủy ban nhân dân các huyện, thành phố", "Bộ, cơ quan".
        "name_comma": regex.compile(r",\s+(?:thành\s+phố|thị\s+xã|cơ\s+quan)", regex.V1),
        "next_char": regex.compile(r"\s+(\S)", regex.V1),
        "letters": regex.compile(r"\w+", regex.V1),
        # What joins two recurrences ("6 tháng và hằng năm") or two deadline pieces.
        "joiner": regex.compile(r"[\s,]*(?:và|hoặc)?[\s,]*", regex.V1),
        "piece_joiner": regex.compile(r"[\s,;]*(?:và|hoặc)?\s*", regex.V1),
        # Adverbs that are in _VERBS but never an action of their own.
        "not_action_after_freq": _ci(r"(?:kịp\s+thời|thường\s+xuyên|phải|cần)"),
        "not_action": _ci(
            r"(?:kịp\s+thời|khẩn\s+trương|thường\s+xuyên|định\s+kỳ|chủ\s+động|"
            r"(?:hằng|hàng)\s+\p{L}+|phải|cần|có\s+trách\s+nhiệm|có\s+nhiệm\s+vụ|"
            r"đề\s+nghị|yêu\s+cầu|giao|nghiêm\s+túc|tiếp\s+tục)" + _RB
        ),
        # Words that end the object of a verb (a means, an attachment, a channel).
        "object_stop": _ci(r"(?:theo|kèm|qua)" + _RB),
        "about": _ci(r"về\s+"),
        "report_verb": regex.compile(_LB + r"(?:báo\s+cáo|trình)" + _RB, regex.V1),
        # A hand-over verb right before a recipient ("gửi Bộ Nội vụ", "báo cáo UBND tỉnh").
        "direct": regex.compile(_LB + r"(?:gửi|nộp|báo\s+cáo|trình|chuyển)\s+$", regex.V1),
        "hand_over": regex.compile(_LB + r"(?:gửi|nộp|báo\s+cáo|trình|chuyển)" + _RB, regex.V1),
        "clause_end": regex.compile(r"[;.](?:\s|$)", regex.V1),
        "space_before_punct": regex.compile(r"\s+([,;])", regex.V1),
        "parens": regex.compile(r"\([^()]*\)", regex.V1),
        "list_separator": regex.compile(r"[,;]", regex.V1),
        "deadline_word": _ci(
            _LB + r"(?:trước|chậm\s+nhất|muộn\s+nhất|theo\s+(?:thời|tiến|yêu)|đúng\s+thời|"
            r"không\s+(?:muộn|chậm|quá)|hạn\s+(?:chót|cuối)|thời\s+hạn)" + _RB
        ),
    }


# --- prose view and sentences -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Prose:
    """The joined text of a document range and the way back to source spans."""

    text: str
    span: Callable[[int, int], Span]


def _prose(mt: MappedText, start: int, end: int) -> _Prose:
    sub = MappedText.identity(mt.text[start:end])
    joined = join_lines(sub)

    def to_span(s: int, e: int) -> Span:
        return mt.span(start + joined.to_source(s), start + joined.to_source_end(e))

    return _Prose(joined.text, to_span)


# Sentence ends: ". " before an upper-case letter, a digit or a quote, unless the dot
# ends a common abbreviation ("TP. Hồ Chí Minh"); every remaining line break.
_ABBREV = r"(?<!(?<!\p{L})(?:TP|Tp|tp|TT|ThS|TS|PGS|GS|St|Th|p|P|ng|Q|H|X)\.)"
# The dot of a numbering at the start of a line ("1. Sở Nội vụ", "IV. TỔ CHỨC") is not a
# sentence end.
_NUMBERING_DOT = r"(?<!(?:^|\n)[ \t]*(?:[IVX]{1,5}|\d{1,2}(?:\.\d{1,2})*|[a-zđ])\.)"


# A line that starts a structural unit: a numbered or bulleted item, a heading word.
_STRUCTURAL = (
    r"(?:[IVX]{1,5}[.)\-]|\d{1,2}(?:\.\d{1,2})*[.)]|[a-zđ]\)|[-+•]\s|Nơi\s+nhận|"
    r"Kính\s+gửi|Căn\s+cứ|Điều\s+\d)"
)


# After a colon, a line that starts in lower case and is not a lettered point ("a)") goes
# on with the sentence: "gửi báo cáo về Bộ Nội vụ: \n\nbáo cáo 6 tháng … trước ngày 15/6"
# (join_lines keeps every break after ":", a PDF wrap included).
_LOWER_GOES_ON = r"[ \t\n]*(?![a-zđ]\))\p{Ll}"


@cache
def _sentence_end() -> regex.Pattern[str]:
    # Every alternative starts with a character ("\n" or ".!?"); the costly lookbehinds run
    # only where it is found.
    return regex.compile(
        # A line break ends a sentence, except after ";", "," or ":" …
        r"(?:\n(?:(?<![;,:][ \t]*\n)"
        # … after ":" unless the next line goes on in lower case …
        r"|(?<=:[ \t]*\n)(?!" + _LOWER_GOES_ON + r")"
        # … after ";" or "," (join_lines keeps those breaks) only before a list item.
        r"|(?<=[;,][ \t]*\n)(?=[ \t\n]*" + _STRUCTURAL + r")))"
        # The blank lines after it are taken along: each would end an empty sentence
        # (dropped), one match and one trip through the loop apiece.
        r"[ \t\n]*"
        # ". " before an upper-case letter, a digit or a quote. The mark itself is matched
        # (not looked behind for) so the engine skips to the next "\n.!?" at once; the
        # sentence keeps it (``_sentences``). Where a line break after the mark would
        # also match, this match covers it and the blanks after: the same sentences.
        r"|[.!?]" + _ABBREV + _NUMBERING_DOT + r"(?:\s*/\s*\.)?\s+(?=[\p{Lu}\d\"“(])",
        regex.V1,
    )


def _sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of every sentence of ``text``, blanks trimmed."""
    return _cut_sentences(text, to_stop=False)


def _cut_sentences(text: str, *, to_stop: bool) -> list[tuple[int, int]]:
    """``_sentences(text)``; with ``to_stop``, up to the first sentence that stops reading
    (``_stops``, "Nơi nhận"), that one included: ``find_obligations`` reads none after
    it, so the rest of the text (the distribution list, the signature) is not cut."""
    out: list[tuple[int, int]] = []
    append = out.append
    pos = 0
    for m in _sentence_end().finditer(text):
        # ``_add_sentence`` inlined: one call per sentence cost as much as the trimming.
        s, e = pos, m.start()
        if text[e] != "\n":
            e += 1
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            append((s, e))
            if to_stop and _stops(text, s, e):
                return out
        pos = m.end()
    _add_sentence(text, pos, len(text), out)
    return out


def _add_sentence(text: str, s: int, e: int, out: list[tuple[int, int]]) -> None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if e > s:
        out.append((s, e))


# --- phrases: agencies, bearers, recipients ---------------------------------------------------


def _words(text: str, pos: int, limit: int) -> list[tuple[int, int]]:
    """Words of ``text[pos:limit]`` (at most 400 characters) as offsets from ``pos``."""
    end = min(limit, pos + 400)
    found = map(regex.Match.span, _rx()["word"].finditer(text, pos, end))
    return list(found) if pos == 0 else [(a - pos, b - pos) for a, b in found]


def _agency_end(text: str, pos: int) -> int:
    """End of an agency name starting at ``pos``.

    The name goes on over capitalised words, syllables that occur inside agency names
    ("nhân dân", "các tỉnh", "trực thuộc", "Giáo dục"), a comma only before "thành phố" /
    "thị xã", and "và" before a capital ("Sở Giáo dục và Đào tạo"). Anything else ends it,
    so "báo cáo Ủy ban nhân dân tỉnh kết quả …" stops before "kết quả".
    """
    rx = _rx()
    end = pos
    for m in rx["name_token"].finditer(text, pos):
        word = m.group(0)
        if word == "," and not rx["name_comma"].match(text, m.start()):
            break
        if word == "." and _abbreviation_dot(text, m.start()):
            end = m.end()  # "UBND TP. Hồ Chí Minh"
            continue
        name_word = (
            word[0].isupper()
            or word == ","
            or word.casefold() in _NAME_WORDS
            or (word == "và" and _next_is_upper(text, m.end()))
        )
        if not name_word or word in (";", ".", ":", "(", ")"):
            break
        end = m.end()
    return _trim_agency(text, pos, end)


# Abbreviations inside agency names whose dot does not end the name: "TP. Hồ Chí Minh",
# "TX. Sơn Tây".
_NAME_ABBREVIATIONS = ("TP", "Tp", "TX", "Tx")


def _abbreviation_dot(text: str, at: int) -> bool:
    """The dot at ``at`` ends an abbreviation that a capitalised name follows."""
    before = text[max(0, at - 3) : at]
    return any(
        before.endswith(a) and not before[: -len(a)][-1:].isalpha() for a in _NAME_ABBREVIATIONS
    ) and _next_is_upper(text, at + 1)


def _next_is_upper(text: str, pos: int) -> bool:
    m = _rx()["next_char"].match(text, pos)
    return bool(m and m.group(1).isupper())


def _trim_agency(text: str, start: int, end: int) -> int:
    """Drop connecting words left at the end of a name ("Sở Nội vụ và", "các đơn vị thuộc").

    "trực thuộc" ends a name ("các đảng ủy trực thuộc"): "thuộc" stays after "trực".
    """
    while True:
        words = text[start:end].rstrip(" ,").rsplit(" ", 1)
        last = words[-1].casefold()
        trailing = last in ("các", "và", "của") or (
            last == "thuộc" and not words[0].casefold().endswith("trực")
        )
        if len(words) == 2 and trailing:
            end = start + len(words[0])
            continue
        return start + len(text[start:end].rstrip(" ,"))


def _is_agency(phrase: str) -> bool:
    """Whether ``phrase`` starts with an agency head ("các cấp ủy, …", "Sở Nội vụ")."""
    text = _agency_key(phrase)
    if text.split(" ", 1)[0].upper() in ("UBND", "HĐND", "MTTQ"):
        return True
    # The head is the first one, two, … words before a space, a comma or the end.
    words = text.split(",", 1)[0].split(" ")
    heads, longest = _agency_heads()
    return any(" ".join(words[:k]) in heads for k in range(1, min(len(words), longest) + 1))


def _agency_key(phrase: str) -> str:
    """What ``_is_agency`` reads of ``phrase``: case-folded, "uỷ" spelled "ủy", blanks
    stripped, a leading quantifier ("các", "mọi", …) dropped."""
    text = phrase.casefold().replace("uỷ", "ủy").strip()
    for q in _QUANTIFIERS:
        if text.startswith(q + " "):
            return text[len(q) + 1 :]
    return text


# The first word of a key (``_agency_key``): its characters up to a blank (any character
# ``str.isspace`` takes, which the standard library's ``\s`` matches) or a comma.
_FIRST_WORD = re.compile(r"[^\s,]*")


@cache
def _agency_first_words() -> frozenset[str]:
    """The first word of every agency head (``_agency_heads``), abbreviations included:
    every phrase ``_is_agency`` accepts has one of them as its key's first word."""
    heads, _ = _agency_heads()
    return frozenset(h.split(" ", 1)[0] for h in heads) | {"ubnd", "hđnd", "mttq"}


def _may_head_duties(head: str) -> bool:
    """Whether the list intro ``head`` (its colon stripped) can name the agency that
    heads the duties below it (``_update_context``); False is exact, and most list intros
    ("Kết quả cụ thể như sau:") are decided by one set look-up.

    The name read from ``head`` is ``head`` itself or ``head`` cut before its first verb
    (at a blank, connectives and commas trimmed), blanks and commas stripped: a name
    starting where ``head`` does and ending at the end of one of its words. Such a name
    passes ``_is_agency`` only when the first word of its key (``_FIRST_WORD``) is one
    of ``_agency_first_words``, a word with no blank and no comma: then it is the first
    word of ``head``'s own key too (a quantifier is dropped from both, no quantifier
    being such a first word).
    """
    first = _FIRST_WORD.match(_agency_key(head.strip(" ,")))
    return first is not None and first.group() in _agency_first_words()


@cache
def _agency_heads() -> tuple[frozenset[str], int]:
    """Agency heads without the quantifiers, and the words in the longest one."""
    heads = _AGENCY_HEADS - frozenset(_QUANTIFIERS)
    return heads, max(len(h.split()) for h in heads)


def _is_generic(phrase: str) -> bool:
    words = _rx()["letters"].findall(fold(phrase))
    return bool(words) and all(w in _GENERIC_BEARER_WORDS for w in words)


def _phrase_before_verb(text: str, pos: int, limit: int, max_words: int = 30) -> tuple[int, int]:
    """(start, end) of the words from ``pos`` up to the first action verb.

    An aspect word ("đã", "sẽ", "đang", …) also ends the phrase: "Sở Nội vụ đã gửi".
    """
    rx = _rx()
    start = _skip_space(text, pos)
    # The words of ``_words(text, start, limit)``, read only up to the verb.
    words = rx["word"].finditer(text, start, min(limit, start + 400))
    for count, word in enumerate(words):
        at = word.start()
        if at > start and rx["verb_or_aspect"].match(text, at):
            return start, _trim_agency(text, start, at)
        if text[at] in ";:(" or count >= max_words:
            break
    return start, start


@dataclass(frozen=True, slots=True)
class _Bearer:
    text: str
    start: int
    end: int
    # "request" (after a request verb), "subject", "fronted" (the subject after a fronted
    # time phrase), "heading" (list intro)
    via: str


def _request_bearer(text: str, m: regex.Match[str], end: int) -> _Bearer | None:
    """Addressee right after a request verb ("Giao Sở Nội vụ chủ trì …")."""
    rx = _rx()
    if not rx["agent"].match(text, _skip_space(text, m.end()), end):
        return None
    s, e = _phrase_before_verb(text, m.end(), end)
    phrase = text[s:e].strip(" ,")
    if e <= s or not _is_agency(phrase):
        return None
    return _Bearer(phrase, s, e, "request")


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def _subject(text: str, body: int, end: int) -> _Bearer | None:
    """The sentence's own subject when it is an agency ("Các cấp ủy, tổ chức đảng …").

    The subject may follow a fronted time or recurrence phrase ("Định kỳ 6 tháng và hằng
    năm, các bộ, ngành và địa phương gửi …", "Trước ngày 15/12, Sở Nội vụ …"): then it is
    looked for after each comma of that phrase, and may start in lower case.
    """
    found = _subject_at(text, body, end, fronted=False)
    if found is not None or not _rx()["fronted"].match(text, body, end):
        return found
    for at in _fronted_commas(text, body, end):
        found = _subject_at(text, at, end, fronted=True)
        if found is not None:
            return found
    return None


def _fronted_commas(text: str, body: int, end: int) -> list[int]:
    """Offsets just after the commas of a fronted phrase, up to its clause's end."""
    limit = min(end, body + _FRONTED_MAX)
    stop = min((i for i in (text.find(c, body, limit) for c in ";:") if i >= 0), default=limit)
    out: list[int] = []
    at = text.find(",", body, stop)
    while at >= 0:
        out.append(_skip_space(text, at + 1))
        at = text.find(",", at + 1, stop)
    return out


def _subject_at(text: str, at: int, end: int, *, fronted: bool) -> _Bearer | None:
    rx = _rx()
    if not rx["agent"].match(text, at, end) or rx["verb"].match(text, at, end):
        return None
    s, e = _phrase_before_verb(text, at, end, max_words=20)
    phrase = text[s:e].strip(" ,")
    if e <= s or not _is_agency(phrase) or not (fronted or phrase[0].isupper()):
        return None
    return _Bearer(phrase, s, e, "fronted" if fronted else "subject")


# --- triggers ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Trigger:
    start: int
    end: int
    kind: str  # "request", "duty", "weak"
    bearer: _Bearer | None = None
    verb: str = ""  # folded trigger verb ("giao", "de nghi", "co trach nhiem")


def _clause_start(text: str, pos: int, body: int) -> bool:
    before = text[body:pos].rstrip()
    return not before or before[-1] in ".;:"


# The (case-folded) syllables of every request verb and duty phrase of the "request" and
# "duty" patterns, one group per way of writing it (all its syllables present): "đề
# nghị", "yêu cầu", "giao", "chỉ đạo", "phân công"; "có/chịu trách nhiệm", "có nhiệm
# vụ", "chủ trì", "phải", "cần". A sentence holding no group is not scanned with the
# full patterns ("công" alone is "công tác", "công văn": it needs "phân"). The first
# syllable of a group is looked for in the whole text (``_sentence_syllables``), the
# others only in the sentences that hold it.
_REQUEST_SYLLABLES: tuple[tuple[str, ...], ...] = (
    ("nghị", "đề"),
    ("cầu", "yêu"),
    ("giao",),
    ("đạo", "chỉ"),
    ("phân", "công"),
)
_DUTY_SYLLABLES: tuple[tuple[str, ...], ...] = (
    ("trách", "nhiệm"),
    ("nhiệm", "vụ"),
    ("trì", "chủ"),
    ("phải",),
    ("cần",),
)
# The hand-over verbs of the "delivery" pattern.
_DELIVERY_SYLLABLES: tuple[tuple[str, ...], ...] = (("gửi",), ("nộp",), ("chuyển",))
_Groups = tuple[tuple[str, ...], ...]


@cache
def _screen_words() -> tuple[str, ...]:
    """The first syllable of every group above and of ``ingest.deadlines``' groups."""
    groups = (
        *_REQUEST_SYLLABLES,
        *_DUTY_SYLLABLES,
        *_DELIVERY_SYLLABLES,
        *DATED_SYLLABLES,
        *DELEGATION_SYLLABLES,
        *FREQUENCY_SYLLABLES,
    )
    return tuple(sorted({group[0] for group in groups}))


class _Present(NamedTuple):
    """What a sentence holds: its first syllables (``_screen_words``), and the folded text
    ``low[lo:hi]`` in which the other syllables of a group are looked for.

    An immutable value like the frozen dataclasses here, as a named tuple: one is made
    for every sentence, and a tuple is built several times faster.
    """

    words: frozenset[str]
    low: str
    lo: int
    hi: int

    def has(self, word: str) -> bool:
        return self.low.find(word, self.lo, self.hi) >= 0


def _sentence_syllables(text: str, bounds: Sequence[tuple[int, int]]) -> list[_Present]:
    """What each sentence ``text[s:e]`` of ``bounds`` holds, case-folded.

    ``bounds`` are in text order and do not overlap. One search of the whole folded
    text per first syllable, every occurrence placed in its sentence by bisection:
    cheaper than scanning each sentence (most hold none, and are then not scanned).
    """
    low = _casefolded(text)
    if low is None:  # folding changes offsets: fold each sentence on its own
        return [_present_in(text[s:e].casefold()) for s, e in bounds]
    starts = [s for s, _ in bounds]
    found: dict[int, set[str]] = {}  # sentence index → its words (most sentences: none)
    find = low.find
    # No occurrence ending after the last sentence is placed: the text after it (after
    # "Nơi nhận", see ``find_obligations``) is not searched.
    stop = bounds[-1][1] if bounds else 0
    for word in _screen_words():
        at = find(word, 0, stop)
        while at >= 0:
            k = bisect_right(starts, at) - 1
            if k >= 0 and at + len(word) <= bounds[k][1]:
                found.setdefault(k, set()).add(word)
                at = find(word, bounds[k][1], stop)  # once per sentence is enough
            else:
                at = find(word, at + 1, stop)
    return [
        _Present(frozenset(found[k]), low, s, e) if k in found else _NO_PRESENT
        for k, (s, e) in enumerate(bounds)
    ]


_NO_WORDS: frozenset[str] = frozenset()
# What a sentence without any screen syllable holds. Its text range is never read:
# ``_Present.has`` is asked only about a sentence holding a group's first syllable
# (``_Screen.holds``), so most sentences share this one value.
_NO_PRESENT = _Present(_NO_WORDS, "", 0, 0)


def _present_in(low: str) -> _Present:
    """What the case-folded text ``low`` holds."""
    return _Present(frozenset(w for w in _screen_words() if w in low), low, 0, len(low))


@dataclass(frozen=True, slots=True)
class _Screen:
    """Groups of syllables: most sentences are decided by two set operations."""

    singles: frozenset[str]  # the one-syllable groups
    firsts: frozenset[str]  # the first syllables of the longer groups
    multi: tuple[tuple[str, ...], ...]  # the longer groups

    @classmethod
    def of(cls, groups: _Groups) -> _Screen:
        multi = tuple(g for g in groups if len(g) > 1)
        return cls(
            frozenset(g[0] for g in groups if len(g) == 1),
            frozenset(g[0] for g in multi),
            multi,
        )

    def holds(self, present: _Present) -> bool:
        """Some group has all its syllables in the sentence."""
        if not present.words.isdisjoint(self.singles):
            return True
        if present.words.isdisjoint(self.firsts):
            return False
        return any(
            group[0] in present.words and all(map(present.has, group[1:])) for group in self.multi
        )


@cache
def _screens() -> dict[str, _Screen]:
    return {
        "request": _Screen.of(_REQUEST_SYLLABLES),
        "duty": _Screen.of(_DUTY_SYLLABLES),
        "delivery": _Screen.of(_DELIVERY_SYLLABLES),
        "dated": _Screen.of(DATED_SYLLABLES),
        "delegation": _Screen.of(DELEGATION_SYLLABLES),
        "frequency": _Screen.of(FREQUENCY_SYLLABLES),
    }


@lru_cache(maxsize=8)
def _casefolded(text: str) -> str | None:
    """``text.casefold()`` when it keeps every offset (one character for one), else None.

    Folded once per document, so each sentence's syllable test is a search in a range of
    it (folding each sentence's slice again and again cost more than the test).
    """
    low = text.casefold()
    return low if len(low) == len(text) else None


def _requests(
    text: str, body: int, end: int, present: _Present | None = None
) -> tuple[_Trigger, ...]:
    """Request verbs in ``text[body:end]`` that address someone or are followed by a verb.

    ``present``: the screen syllables of a range holding ``[body, end)`` (``_sentence_syllables``),
    when the caller has them. Remembered for the last sentences: a list intro ("… đề
    nghị X … sau:") is read for obligations and then again as the context of the items
    below it.
    """
    if present is None:
        present = _present_in(text[body:end].casefold())
    if not _screens()["request"].holds(present):
        return ()
    return _requests_in(text, body, end)


# The (case-folded) first syllable of every way a "request" match starts: an optional
# "trân trọng" / "kính" / "xin", then the verb.
_REQUEST_OPENINGS = ("trân", "kính", "xin", "đề", "yêu", "giao", "chỉ", "phân")


def _request_scan_start(text: str, body: int, end: int) -> int | None:
    """Where the "request" pattern can first match in ``text[body:end]``; None: nowhere.

    Every match starts with one of ``_REQUEST_OPENINGS``, and where ``casefold`` keeps
    every offset it agrees with the pattern's simple case folding, so no match starts
    before the first of them: the case-insensitive scan (the slow part) starts there.
    """
    low = _casefolded(text)
    if low is None:
        return body
    found = [at for w in _REQUEST_OPENINGS if (at := low.find(w, body, end)) >= 0]
    return min(found) if found else None


# How every "request" match starts, case-folded, to its second syllable where it has
# one: "trân trọng", "kính", "xin", then the verbs "đề nghị", "yêu cầu", "giao", "chỉ
# đạo", "phân công" ("đề xuất", "chỉ thị" are tried no more).
_REQUEST_PHRASES = (
    "trân trọng", "kính", "xin", "đề nghị", "yêu cầu", "giao", "chỉ đạo", "phân công"
)  # fmt: skip


def _phrases_opening(phrases: Sequence[str]) -> re.Pattern[str]:
    """``phrases`` as one pattern of plain characters, their syllables apart by blanks
    (``\\s+``: the standard library's ``\\s`` takes every blank ``regex``'s does, and a
    few more)."""
    return re.compile("|".join(r"\s+".join(map(re.escape, p.split())) for p in phrases))


@cache
def _request_opening() -> re.Pattern[str]:
    """``_REQUEST_PHRASES`` as one pattern, which the standard library's engine finds in
    the case-folded prose faster than ``regex`` tries the case-insensitive "request"
    pattern at every place."""
    return _phrases_opening(_REQUEST_PHRASES)


def _request_matches(text: str, first: int, end: int) -> Iterator[regex.Match[str]]:
    """``_rx()["request"].finditer(text, first, end)``, the pattern tried only where the
    case-folded prose has an opening (``ingest.scan``), when folding keeps its offsets:
    then, as ``_request_scan_start`` says, every match starts at an opening."""
    low = _casefolded(text)
    if low is None:
        return _rx()["request"].finditer(text, first, end)
    return scan(_rx()["request"], _request_opening(), text, first, end, folded=low)


@lru_cache(maxsize=16)
def _requests_in(text: str, body: int, end: int) -> tuple[_Trigger, ...]:
    rx = _rx()
    out: list[_Trigger] = []
    first = _request_scan_start(text, body, end)
    if first is None:
        return ()
    for m in _request_matches(text, first, end):
        if text[m.start()].isupper() and not _clause_start(text, m.start(), body):
            continue  # "Ban Chỉ đạo": part of a name
        if rx["request_noun_before"].search(text[max(0, m.start() - 30) : m.start()]):
            continue
        bearer = _request_bearer(text, m, end)
        verb = fold(m.group("verb"))
        # Without an addressee, "chỉ đạo / giao / phân công" never count and the others
        # only before a verb: that verb is looked for only when it decides.
        if bearer is None and (
            verb in ("chi dao", "giao", "giao cho", "phan cong")
            or rx["verb"].match(text, _skip_space(text, m.end())) is None
        ):
            continue
        out.append(_Trigger(m.start(), m.end(), "request", bearer, verb))
    return tuple(out)


# How every alternative of the "duty" pattern starts (case-folded), to its second
# syllable where it has one: "có trách (nhiệm)", "có nhiệm (vụ)", "chịu trách (nhiệm)",
# "chủ trì", "phải", "cần" ("có nhiều" is tried no more).
_DUTY_PHRASES = ("có trách", "có nhiệm", "chịu trách", "chủ trì", "phải", "cần")


@cache
def _duty_opening() -> re.Pattern[str]:
    """``_DUTY_PHRASES`` as one pattern (see ``_request_opening``)."""
    return _phrases_opening(_DUTY_PHRASES)


def _duty_matches(text: str, body: int, end: int) -> Iterator[regex.Match[str]]:
    """``_rx()["duty"].finditer(text, body, end)``, the pattern tried only where the
    case-folded prose has an opening (``ingest.scan``), when folding keeps its offsets
    (every match then starts at an opening, as for ``_request_matches``)."""
    low = _casefolded(text)
    if low is None:
        return _rx()["duty"].finditer(text, body, end)
    return scan(_rx()["duty"], _duty_opening(), text, body, end, folded=low)


def _duties(text: str, body: int, end: int, present: _Present) -> list[_Trigger]:
    """Duty phrases in ``text[body:end]`` followed by a verb (or a list).

    ``present``: the screen syllables of a range holding ``[body, end)``.
    """
    out: list[_Trigger] = []
    rx = _rx()
    if not _screens()["duty"].holds(present):
        return out
    for m in _duty_matches(text, body, end):
        verb = fold(m.group(0))
        after = _skip_space(text, m.end())
        # "có trách nhiệm tổng hợp …", "phải báo cáo …": a verb (or a list) must follow;
        # "trong đó có nhiệm vụ công tác …" is a noun phrase.
        if verb != "chu tri" and not (
            rx["verb"].match(text, after) or text[after : after + 1] in (":", "")
        ):
            continue
        out.append(_Trigger(m.start(), m.end(), "weak" if verb == "can" else "duty", None, verb))
    return out


def _governing(text: str, mentions: Sequence[FrequencyMention]) -> list[FrequencyMention]:
    """Recurrence phrases that govern an action ("định kỳ báo cáo", "báo cáo năm")."""
    rx = _rx()
    out: list[FrequencyMention] = []
    for i, m in enumerate(mentions):
        phrase = fold(text[m.start : m.end])
        before = fold(text[max(0, m.start - 12) : m.start])
        if phrase.startswith("bao cao") or before.rstrip().endswith("bao cao"):
            out.append(m)
            continue
        pos = m.end
        for later in mentions[i + 1 :]:
            if rx["joiner"].fullmatch(text, pos, later.start):
                pos = later.end
        while pos < len(text) and text[pos] in " ,":
            pos += 1
        pos = _skip_space(text, pos)
        if rx["verb"].match(text, pos) and not rx["not_action_after_freq"].match(text, pos):
            out.append(m)
    return out


# --- actions, recipients, periods -------------------------------------------------------------


def _object_end(text: str, pos: int, limit: int) -> int:
    """End of the object of a verb: before a recipient, deadline, purpose or clause end."""
    rx = _rx()
    end = pos
    for count, (s, e) in enumerate(_words(text, pos, limit), start=1):
        at = pos + s
        word = text[at : pos + e]
        if (
            (rx["recipient"].match(text, at) and rx["prep"].search(text[max(0, at - 6) : at]))
            or rx["deadline_word"].match(text, at)
            or rx["purpose"].match(text, at)
            or rx["object_stop"].match(word)
            or word[0] in "(;:"
            or count > 15
        ):
            break
        end = pos + e
        if word.endswith((";", ".", ":")) or (word.endswith(",") and count >= 3):
            break
    at_prep = rx["prep"].search(text[pos:end] + " ")
    if at_prep and rx["recipient"].match(text, pos + at_prep.end()):
        end = pos + at_prep.start()
    return pos + len(text[pos:end].rstrip(" ,;.:"))


def _verb_phrase(text: str, verb_at: int, limit: int) -> str:
    m = _rx()["verb"].match(text, verb_at)
    verb_end = m.end() if m else verb_at
    obj_at = _skip_space(text, verb_end)
    if _rx()["recipient"].match(text, obj_at):  # "báo cáo Ban Thường vụ … về kết quả …"
        obj_at = _skip_space(text, _agency_end(text, obj_at))
        about = _rx()["about"].match(text, obj_at)
        obj_at = about.end() if about else limit
    obj_end = _object_end(text, obj_at, limit) if obj_at < limit else obj_at
    verb = text[verb_at:verb_end]
    obj = text[obj_at:obj_end] if obj_end > obj_at else ""
    return _normalise_action(f"{verb} {obj}")


def _normalise_action(action: str) -> str:
    rx = _rx()
    action = rx["space_before_punct"].sub(r"\1", squash_blanks(action)).strip(" ,;.:")
    if not action:
        return action
    words = action.split(" ")
    words[0] = words[0].lower()
    text = " ".join(words)
    m = rx["doc_noun"].search(text)
    if m and m.start() <= len(words[0]) + 1:
        text = text[: m.start()] + m.group(0).lower() + text[m.end() :]
    return text


def _action(text: str, lo: int, hi: int) -> tuple[str | None, int]:
    """The action in ``text[lo:hi]`` and the offset of its verb.

    Order: a topicalised hand-over ("báo cáo năm đề nghị gửi"); the first hand-over verb
    (gửi, nộp, chuyển) — with the document noun before it when it has no object; the first
    "báo cáo" / "trình" used as a verb; else the first action verb.
    """
    rx = _rx()
    phrase = text[lo:hi].rstrip()
    # "topical" ends with a hand-over verb at the end of the phrase (``\s*$``).
    top = rx["topical"].search(phrase) if _ends_with_delivery(phrase) else None
    if top:
        return _normalise_action("gửi " + top.group("np")), lo + top.start()
    for m in rx["delivery"].finditer(text, lo, hi):
        obj_at = _skip_space(text, m.end())
        if rx["recipient"].match(text, obj_at) or rx["prep_ahead"].match(text, obj_at):
            noun = _noun_before(text, lo, m.start())
            return _normalise_action(f"{m.group(0)} {noun or ''}"), m.start()
        return _verb_phrase(text, m.start(), hi), m.start()
    for m in rx["report_verb"].finditer(text[lo:hi]):
        at = lo + m.start()
        if rx["recipient"].match(text, _skip_space(text, lo + m.end())):
            return _verb_phrase(text, at, hi), at
    for word in rx["word"].finditer(text, lo, min(hi, lo + 400)):  # ``_words``, lazily
        at = word.start()
        if rx["verb"].match(text, at) and not rx["not_action"].match(text, at):
            return _verb_phrase(text, at, hi), at
    return None, lo


# The hand-over verbs of ``_DELIVERY`` (plain lower-case words).
_DELIVERY_WORDS = tuple(_DELIVERY.split("|"))


def _ends_with_delivery(phrase: str) -> bool:
    """Whether ``phrase`` (no trailing blank) ends with a hand-over verb, in any case."""
    return phrase[-8:].casefold().endswith(_DELIVERY_WORDS)


def _noun_before(text: str, lo: int, pos: int) -> str | None:
    """The document noun nearest before ``pos``: in its comma segment, else its clause.

    "báo cáo kết quả …, gửi về Sở Nội vụ" hands over the report.
    """
    clause_start = max(lo, max(text.rfind(c, lo, pos) for c in ";:") + 1)
    for seg_start in (max(clause_start, text.rfind(",", lo, pos) + 1), clause_start):
        found = list(_rx()["doc_noun"].finditer(text, seg_start, pos))
        if found:
            return found[-1].group(0).lower()
    return None


@dataclass(frozen=True, slots=True)
class _Recipient:
    text: str
    start: int


def _recipients(
    text: str, lo: int, hi: int, blocked: Sequence[tuple[int, int]]
) -> list[_Recipient]:
    """Recipients in ``text[lo:hi]``: "gửi/báo cáo/trình X", "… về/cho/đến X"."""
    rx = _rx()
    out: list[_Recipient] = []
    # Computed once per clause: searching [lo, at) again for every candidate made long
    # run-on "sentences" (a 10 MB line) quadratic.
    first_hand_over = min(
        (
            m.end()
            for m in (rx["delivery"].search(text, lo, hi), _report_rx().search(text, lo, hi))
            if m is not None
        ),
        default=hi + 1,
    )
    spans = sorted(blocked)
    starts = [s for s, _ in spans]
    for m in rx["recipient"].finditer(text, lo, hi):
        at = m.start()
        before = text[max(lo, at - 30) : at]
        direct = rx["direct"].search(before)
        if _blocked_at(spans, starts, at, text, direct is not None):
            continue
        prep = rx["prep"].search(before)
        hand_over = first_hand_over <= at
        if not direct and not (prep and hand_over):
            continue
        if out and at < out[-1].start + len(out[-1].text):
            continue
        end = _agency_end(text, at)
        name = text[at:end]
        via = rx["via"].search(text, end, _clause_limit(text, end, hi))
        if via:
            name = f"{name} (qua {via.group('via').strip()})"
        out.append(_Recipient(name, at))
    return out


@cache
def _report_rx() -> regex.Pattern[str]:
    return regex.compile(_LB + r"báo\s+cáo", regex.V1)


def _blocked_at(
    spans: Sequence[tuple[int, int]], starts: Sequence[int], at: int, text: str, direct: bool
) -> bool:
    """``at`` lies inside a blocked span (a citation) that hands the mention over."""
    for i in range(bisect_right(starts, at) - 1, -1, -1):
        s, e = spans[i]
        if s <= at < e and (direct or _hands_over(text, s, at)):
            return True
        if e <= at and s < at - 2000:  # spans are short: no older one can contain ``at``
            break
    return False


def _hands_over(text: str, lo: int, hi: int) -> bool:
    """A hand-over verb in ``text[lo:hi]`` (so a "về X" there belongs to it)."""
    return _rx()["hand_over"].search(text[lo:hi]) is not None


def _clause_limit(text: str, pos: int, hi: int) -> int:
    m = _rx()["clause_end"].search(text, pos, hi)
    return m.start() if m else hi


def _purpose_blocks(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """Purpose clauses ("để tổng hợp, báo cáo Thủ tướng …"): never the recipient.

    A clause ends at ";", at a deadline, or at the request that follows a fronted purpose
    ("Để kịp thời tổng hợp, Sở Nội vụ đề nghị …").
    """
    rx = _rx()
    out: list[tuple[int, int]] = []
    for m in rx["purpose"].finditer(text, lo, hi):
        ends = [hi]
        semi = text.find(";", m.end(), hi)
        ends.append(semi if semi >= 0 else hi)
        for key in ("deadline_word", "request"):
            found = rx[key].search(text, m.end(), hi)
            ends.append(found.start() if found else hi)
        out.append((m.start(), min(ends)))
    return out


# --- document context -------------------------------------------------------------------------


@dataclass
class _Context:
    recipients: tuple[str, ...]
    doc_date: dt.date | None
    citations: Sequence[Citation]
    prose: _Prose
    nfc: bool = True  # the prose is NFC: the deadline and recurrence screens hold
    intro: _Bearer | None = None
    proposal_section: bool = False
    _index: tuple[list[int], list[Citation]] | None = None

    def citation_index(self) -> tuple[list[int], list[Citation]]:
        """Citations ordered by source start, with the starts (for bisect)."""
        if self._index is None:
            ordered = sorted(self.citations, key=lambda c: c.span.start)
            self._index = ([c.span.start for c in ordered], ordered)
        return self._index

    @property
    def recipients_text(self) -> str | None:
        names = [r.strip(" -;.,\t") for r in self.recipients]
        names = [n for n in names if n]
        return "; ".join(names) if names else None


def _same_agents(a: str, b: str) -> bool:
    def key(s: str) -> frozenset[str]:
        words = _rx()["letters"].findall(fold(s))
        return frozenset(w for w in words if w not in ("cac", "va"))

    return key(a) == key(b)


def _bearer_text(ctx: _Context, explicit: _Bearer | None) -> str | None:
    """Who bears the duty: see the module notes for the order.

    A subject after a fronted time phrase ("Định kỳ hằng quý, Ủy ban nhân dân các xã gửi
    …") comes last: the letter's addressees, or the list intro above, answer for it.
    """
    if explicit is not None and explicit.via == "fronted":
        return _bearer_text(ctx, None) or explicit.text
    if explicit is not None and not _is_generic(explicit.text):
        return explicit.text
    if explicit is None and ctx.intro is not None:
        rec = ctx.recipients_text
        if rec and _same_agents(ctx.intro.text, rec):
            return rec
        if not _is_generic(ctx.intro.text):
            return ctx.intro.text
    fallback = explicit.text if explicit else (ctx.intro.text if ctx.intro else None)
    return ctx.recipients_text or fallback


# --- delegation -------------------------------------------------------------------------------


def _delegated_key(ctx: _Context, sentence: tuple[int, int], phrase: tuple[int, int]) -> str | None:
    """Key of the document whose deadline applies.

    The document named in or right after the delegation phrase ("theo thời hạn tại Văn
    bản số …": the mention starts at "Văn bản", inside the phrase); else the single
    document the letter forwards: named after "nhận được" / "phúc đáp"; else the single
    citation attached-to; else the single one implemented.
    """
    text = ctx.prose.text
    start, end = phrase
    tail_end = min(_clause_limit(text, end, sentence[1]), end + 80)
    window = ctx.prose.span(start, max(tail_end, end))
    named = sorted(
        (c for c in ctx.citations if window.start <= c.span.start < window.end),
        key=lambda c: c.span.start,
    )
    if named:
        return named[0].key
    forwarded: list[Citation] = []
    for m in _rx()["forward"].finditer(text):
        after = ctx.prose.span(m.end(), min(len(text), m.end() + 40))
        first = sorted(
            (c for c in ctx.citations if after.start <= c.span.start < after.end),
            key=lambda c: c.span.start,
        )
        forwarded.extend(first[:1])
    for tier in (
        forwarded,
        [c for c in ctx.citations if c.relation is Relation.ATTACHED_TO],
        [c for c in ctx.citations if c.relation is Relation.IMPLEMENTS],
    ):
        if tier:
            return _unique(tier)
    return None


def _unique(citations: Sequence[Citation]) -> str | None:
    keys = {c.key for c in citations}
    return keys.pop() if len(keys) == 1 else None


# --- sentences → obligations ------------------------------------------------------------------


class _Sentence(NamedTuple):
    """One sentence of the prose (an immutable value, made for every sentence)."""

    start: int
    end: int
    body: int  # after a list marker
    text: str  # the whole prose text (offsets are absolute)


def _cited_ranges(ctx: _Context, s: int, e: int) -> list[tuple[int, int]]:
    """Prose ranges of the citations inside the sentence (approximate, by source span)."""
    span = ctx.prose.span(s, e)
    ranges: list[tuple[int, int]] = []
    # Citations sorted by start once per document; bisect to the sentence (looping over
    # every citation for every sentence made long texts superlinear).
    starts, ordered = ctx.citation_index()
    for i in range(bisect_left(starts, span.start), bisect_left(starts, span.end)):
        c = ordered[i]
        if span.start <= c.span.start < span.end:
            a = s + (c.span.start - span.start)
            ranges.append((a, a + (c.span.end - c.span.start)))
    return ranges


def _explicit_bearer(text: str, sent: _Sentence, triggers: Sequence[_Trigger]) -> _Bearer | None:
    for t in triggers:
        if t.bearer is not None:
            return t.bearer
    subj = _subject(text, sent.body, sent.end)
    if subj is None:
        return None
    first_verb = _rx()["verb"].search(text, subj.end, sent.end)
    if first_verb and _rx()["request"].match(text, first_verb.start()):
        return None  # "Bộ Nội vụ đề nghị …": the requester, not the bearer
    return subj


def _is_specific(action: str | None) -> bool:
    if not action:
        return False
    words = _rx()["letters"].findall(fold(action))
    return any(w not in _GENERIC_ACTION_WORDS for w in words)


def _period_for(
    ctx: _Context, text: str, lo: int, hi: int
) -> tuple[dt.date | None, dt.date | None]:
    cited = _cited_ranges(ctx, lo, hi)
    for p in find_periods(text[lo:hi]):
        at = lo + p.start
        if any(a <= at < b for a, b in cited):
            continue
        prev = [b for a, b in cited if b <= at]
        if prev and " về " in text[max(prev) : at] and ";" not in text[max(prev) : at]:
            continue  # "… Chương trình số 03 … về công tác dân vận giai đoạn 2021-2026"
        return p.first, p.last
    return None, None


def _sentence_obligations(ctx: _Context, sent: _Sentence, present: _Present) -> list[Obligation]:
    """Obligations of one sentence; ``present``: its screen syllables (``_screen_words``).

    Most sentences hold no syllable of any trigger: that rules out every pattern below.
    ``ingest.deadlines`` reads the NFC form of the sentence, so its screens hold only
    when the prose is NFC (``clean`` makes it so).
    """
    text = sent.text
    nfc = ctx.nfc
    if nfc and not present.words:
        return []
    screens = _screens()  # looked up once: every screen below reads ``present``
    triggers = [
        *_requests(text, sent.body, sent.end, present),
        *_duties(text, sent.body, sent.end, present),
    ]
    # The sentence without its list marker ("a) Trong năm 2024, …"), sliced only for
    # the deadline and recurrence readers, and only when their screens hold.
    dated = not nfc or _may_have_deadline(text, sent, present)
    recurring = not nfc or (screens["frequency"].holds(present) and _may_recur(sent))
    body = text[sent.body : sent.end] if dated or recurring else ""
    deadlines = (
        [
            replace(d, start=d.start + sent.body, end=d.end + sent.body)
            for d in find_deadlines(body, doc_date=ctx.doc_date)
        ]
        if dated
        else []
    )
    mentions = (
        [
            replace(m, start=m.start + sent.body, end=m.end + sent.body)
            for m in find_frequencies(body)
        ]
        if recurring
        else []
    )
    governing = _governing(text, mentions) if mentions else []
    # "gửi … về X" is a trigger of its own, but only with a recipient; the recipients
    # (and the citations and purpose clauses that block them) are looked for only in
    # sentences that have some trigger, most have none.
    hand_over = (
        screens["delivery"].holds(present)
        and _rx()["delivery"].search(text, sent.start, sent.end) is not None
    )
    if not (triggers or deadlines or governing or hand_over):
        return []
    recipients = _sentence_recipients(ctx, sent)
    if not (triggers or deadlines or governing or recipients):
        return []
    first = min([t.start for t in triggers] + [d.start for d in deadlines] + [sent.end])
    if _rx()["proposal"].search(text, sent.body, first):
        return []
    explicit = _explicit_bearer(text, sent, triggers)
    if not (deadlines or governing or recipients):
        return _bearer_only(ctx, sent, triggers, explicit)
    return _build(ctx, sent, explicit, deadlines, governing, recipients)


def _sentence_recipients(ctx: _Context, sent: _Sentence) -> list[_Recipient]:
    """``_recipients`` of the sentence, its purpose clauses and citations blocked.

    Every recipient starts where the "recipient" pattern matches: a sentence without
    such a match (most, as the pattern wants a capitalised agency word) has none, and
    its purpose clauses and citations are not looked for.
    """
    text = sent.text
    head = _rx()["recipient"].search(text, sent.start, sent.end)
    if head is None:
        return []
    blocked = [
        *_purpose_blocks(text, sent.start, sent.end),
        *_cited_ranges(ctx, sent.start, sent.end),
    ]
    return _recipients(text, sent.start, sent.end, blocked)


def _may_recur(sent: _Sentence) -> bool:
    """Whether ``find_frequencies`` can find anything in the sentence's body (NFC prose):
    ``may_recur`` in the case-folded prose when folding keeps its offsets, else True."""
    low = _casefolded(sent.text)
    return low is None or may_recur(low, sent.body, sent.end)


def _may_have_deadline(text: str, sent: _Sentence, present: _Present) -> bool:
    """Whether ``find_deadlines`` can find anything in the sentence (see its screens)."""
    if _screens()["delegation"].holds(present):
        return True
    return (
        _screens()["dated"].holds(present)
        and _rx()["digit"].search(text, sent.body, sent.end) is not None
    )


def _bearer_only(
    ctx: _Context, sent: _Sentence, triggers: Sequence[_Trigger], explicit: _Bearer | None
) -> list[Obligation]:
    """A duty with no deadline, recurrence or recipient: only an explicit assignment."""
    # "chỉ đạo X …" / "phân công X …" narrate in reports; only assignments count here.
    strong = [t for t in triggers if t.kind != "weak" and t.verb not in ("chi dao", "phan cong")]
    if explicit is None or not strong or sent.text[sent.start : sent.end].rstrip().endswith(":"):
        return []
    lo = explicit.end if explicit.start >= sent.start else sent.body
    action, verb_at = _action(sent.text, lo, sent.end)
    if not _is_specific(action) or _descriptive(sent.text, sent.body, verb_at):
        return []
    start, end = _period_for(ctx, sent.text, sent.start, sent.end)
    return [
        Obligation(
            _bearer_text(ctx, explicit),
            action,
            None,
            None,
            None,
            start,
            end,
            ctx.prose.span(sent.body, sent.end),
        )
    ]


def _descriptive(text: str, body: int, verb_at: int) -> bool:
    """Past, negated or progressive ("đã xây dựng", "chưa chủ động") just before the verb.

    Looks in the verb's comma segment, parentheses blanked: "(đối với cơ quan chưa ban
    hành) và gửi về …" is still a duty.
    """
    window = _rx()["parens"].sub(lambda m: " " * len(m.group(0)), text[body : verb_at + 1])
    cut = max(window.rfind(c) for c in ",;:") + 1
    return _rx()["descriptive"].search(window[cut:]) is not None


@dataclass(frozen=True, slots=True)
class _Piece:
    """The part of a sentence that one deadline (or none) governs."""

    deadline: Deadline | None
    lo: int  # where its action may start
    hi: int  # where its action must end (the deadline, or the sentence end)
    nxt: int  # where the next piece starts
    span_lo: int
    span_hi: int


def _pieces(sent: _Sentence, deadlines: Sequence[Deadline], act_lo: int) -> list[_Piece]:
    """Cut the sentence at its deadlines: "… trước ngày 30/5 và báo cáo năm … trước 15/12"."""
    if not deadlines:
        return [_Piece(None, act_lo, sent.end, sent.end, sent.body, sent.end)]
    out: list[_Piece] = []
    floor = sent.body  # the list marker ("2.", "a)", "-") is not part of the duty
    for i, dl in enumerate(deadlines):
        last = i + 1 == len(deadlines)
        nxt = sent.end if last else deadlines[i + 1].start
        lo = max(floor, act_lo) if i == 0 else floor
        out.append(_Piece(dl, lo, dl.start, nxt, floor, sent.end if last else dl.end))
        floor = dl.end
    return out


def _piece_action(text: str, piece: _Piece) -> tuple[str | None, int]:
    action, verb_at = _action(text, piece.lo, piece.hi)
    dl = piece.deadline
    if action is None and dl is not None:  # "Chậm nhất ngày …, các địa phương hoàn thành …"
        action, verb_at = _action(text, dl.end, piece.nxt)
    if dl is not None and dl.day is not None and action:
        action = f"{action} ({dl.text})"  # a day-only deadline stays readable in the action
    return action, verb_at


def _build(
    ctx: _Context,
    sent: _Sentence,
    explicit: _Bearer | None,
    deadlines: Sequence[Deadline],
    governing: Sequence[FrequencyMention],
    recipients: Sequence[_Recipient],
) -> list[Obligation]:
    text = sent.text
    bearer = _bearer_text(ctx, explicit)
    if bearer is None:
        return []  # nobody to hold to it: a report describing its own practice or plans
    act_lo = explicit.end if explicit is not None and explicit.via == "request" else sent.body
    out: list[Obligation] = []
    recipient: str | None = None
    previous: str | None = None
    for piece in _pieces(sent, deadlines, act_lo):
        action, verb_at = _piece_action(text, piece)
        if _descriptive(text, sent.body, verb_at):
            return []
        # "… trước ngày 10/6 và ngày 10/12": the second date has the first one's action
        action = _shared_verb(action, previous) if action else previous
        previous = action
        recipient = _pick_recipient(recipients, piece.span_lo, piece.hi, piece.nxt) or recipient
        dl = piece.deadline
        p_start, p_end = _period_for(ctx, text, piece.span_lo, piece.span_hi)
        out.append(
            Obligation(
                bearer=bearer,
                action=action,
                recipient=recipient,
                deadline=dl.value if dl is not None else None,
                frequency=dl.frequency if dl is not None else _first_frequency(governing),
                start=p_start,
                end=p_end,
                span=ctx.prose.span(_skip_joiner(text, piece.span_lo), piece.span_hi),
                delegated_to=(
                    _delegated_key(ctx, (sent.start, sent.end), (dl.start, dl.end))
                    if dl is not None and dl.delegated
                    else None
                ),
            )
        )
    return out


def _shared_verb(action: str | None, previous: str | None) -> str | None:
    """ "gửi báo cáo 6 tháng … và báo cáo năm …": the second report is sent too."""
    verb = previous.split(" ", 1)[0] if previous else ""
    if action and verb in ("gửi", "nộp") and _rx()["doc_noun"].match(action):
        return f"{verb} {action}"
    return action


def _first_frequency(mentions: Sequence[FrequencyMention]) -> Frequency | None:
    return mentions[0].frequency if mentions else None


def _skip_joiner(text: str, pos: int) -> int:
    m = _rx()["piece_joiner"].match(text, pos)
    return m.end() if m else pos


def _pick_recipient(recipients: Sequence[_Recipient], lo: int, hi: int, nxt: int) -> str | None:
    before = [r for r in recipients if lo <= r.start < hi]
    if before:
        return before[-1].text
    after = [r for r in recipients if r.start >= hi]  # "… trước ngày 30/5 và … về Bộ Nội vụ"
    return after[0].text if after else None


def _update_context(ctx: _Context, sent: _Sentence, present: _Present) -> None:
    """Track list intros ("… đề nghị X … các nội dung sau:") and proposal sections.

    ``present``: the sentence's screen syllables (``_screen_words``).
    """
    text = sent.text
    # Sentences are trimmed (``_add_sentence``): a heading starts with its Roman numeral
    # and a list intro ends with its colon, so most sentences are passed over unsliced.
    head = (
        _rx()["heading"].match(text[sent.start : sent.end])
        if _roman_opening(text, sent.start, sent.end)
        else None
    )
    if head and _caps(head.group("title")):
        ctx.proposal_section = _rx()["proposal_heading"].search(head.group("title")) is not None
        ctx.intro = None
        return
    if text[sent.end - 1] != ":":
        _agency_heading(ctx, sent)
        return
    for t in _requests(text, sent.body, sent.end, present):
        if t.bearer is not None:
            ctx.intro = t.bearer
            return
    # "2. Bộ Nội vụ:", "Các sở, ngành có trách nhiệm:", "1. Bộ trưởng, …, Chủ tịch UBND các
    # tỉnh chỉ đạo:" head the duties listed below.
    head_text = text[sent.body : sent.end].rstrip(" :")
    if not _may_head_duties(head_text):
        return
    s, e = _phrase_before_verb(head_text, 0, len(head_text), max_words=40)
    if e > s and len(head_text[e:].split()) <= 6:
        head_text = head_text[s:e]
    name = head_text.strip(" ,")
    if (
        name
        and len(name.split()) <= 40
        and _is_agency(name)
        and name[0].isupper()
        and not _rx()["verb"].search(name)
        and _only_names(name)
    ):
        ctx.intro = _Bearer(name, sent.body, sent.body + len(name), "heading")


def _roman_opening(text: str, s: int, e: int) -> bool:
    """``text[s:e]`` opens with what the "heading" pattern needs first: one to five of
    "IVX" and one of ".)-" ("IV. TỔ CHỨC THỰC HIỆN"). ``text[s]`` is not a blank."""
    k = s
    while k < e and k - s <= 5 and text[k] in "IVX":
        k += 1
    return 1 <= k - s <= 5 and k < e and text[k] in ".)-"


def _only_names(phrase: str) -> bool:
    """Every comma-separated part of ``phrase`` is an agency name and nothing more.

    "Chủ tịch UBND tỉnh có ý kiến như sau:" introduces opinions, not the bearer of the
    duties below: the name stops before "có ý kiến".
    """
    for part in _rx()["list_separator"].split(phrase):
        part = part.strip()
        if part and _agency_end(part, 0) < len(part):
            return False
    return True


def _agency_heading(ctx: _Context, sent: _Sentence) -> None:
    """ "1. Sở Nội vụ" alone on its line heads the duties listed under it."""
    if sent.body <= sent.start:
        return  # no list marker
    name = sent.text[sent.body : sent.end].strip()
    if (
        name
        and name[-1] not in ".;!?"
        and len(name.split()) <= 12
        and name[0].isupper()
        and _is_agency(name)
        and not _rx()["verb"].search(name)
    ):
        ctx.intro = _Bearer(name, sent.body, sent.end, "heading")


def _caps(text: str) -> bool:
    """At least 80 % of the letters upper case, and some letter."""
    # The letters gathered and counted by C loops (``filter``, ``map``), not one by one.
    letters = "".join(filter(str.isalpha, text))
    return bool(letters) and sum(map(str.isupper, letters)) >= 0.8 * len(letters)


def _sentence_at(text: str, s: int, e: int) -> _Sentence | Literal["stop", "skip"]:
    """The sentence ``text[s:e]`` (as ``_sentences`` cut it), with its list marker.

    "stop": "Nơi nhận", where reading ends; "skip": a table row or an address line
    ("Kính gửi", "V/v"), not prose. A sentence starts with a non-blank (``_add_sentence``),
    the only character the patterns' leading ``\\s*`` can then be followed by: "N" for
    "Nơi nhận", "K" or "V" for an address line, the opening of a list marker
    (``_may_mark``); other sentences are not matched against them.
    """
    rx = _rx()
    first = text[s]
    if _stops(text, s, e):
        return "stop"
    if text.find("\t", s, e) >= 0 or (first in "KV" and rx["header_line"].match(text, s, e)):
        return "skip"
    marker = (
        rx["list_marker"].match(text, s, e)
        if _may_mark(first) and _marker_fits(text, s, e)
        else None
    )
    return _Sentence(s, e, marker.end() if marker else s, text)


def _stops(text: str, s: int, e: int) -> bool:
    """Whether the sentence ``text[s:e]`` (trimmed) is "Nơi nhận", where reading ends."""
    return text[s] == "N" and _rx()["stop"].match(text, s, e) is not None


# ASCII characters a list marker can open with ("1.", "a)", "-", "+"); other ASCII
# characters cannot. Any non-ASCII one may: "đ)", "•", and digits of other scripts.
_MARKER_OPENINGS = frozenset("0123456789abcdefghijklmnopqrstuvwxyz-+")


# Sentence openings ``_sentence_at`` and ``_update_context`` act on whatever the sentence
# holds: "N" ("Nơi nhận", where reading stops) and the Roman numerals of a heading.
_ACTIVE_OPENINGS = frozenset("NIVX")


def _inert(text: str, s: int, e: int) -> bool:
    """Whether the sentence ``text[s:e]`` (as ``_sentences`` cut it), holding no screen
    syllable of NFC prose, can be passed over: nothing would come of it.

    Such a sentence holds no obligation (``_sentence_obligations``). It changes the
    context (``_update_context``) only as a heading (a Roman numeral opens it), as a list
    intro (it ends with ":") or as an agency heading, which needs a list marker
    (``_may_mark``, ``_marker_fits``) and a name not ending with ".;!?"; and it stops
    reading only as "Nơi nhận" (an "N" opens it). Most body sentences are none of these.
    """
    first, last = text[s], text[e - 1]
    if first in _ACTIVE_OPENINGS or last == ":":
        return False
    return last in ".;!?" or not _may_mark(first) or not _marker_fits(text, s, e)


def _may_mark(first: str) -> bool:
    """Whether a sentence starting with ``first`` (not a blank) may open with a list marker."""
    return first in _MARKER_OPENINGS or not first.isascii()


# What the "list_marker" pattern can open with, its leading blanks aside: a digit
# (``str.isdecimal`` is the pattern's ``\d``, Unicode category Nd), a bullet, or a
# lower-case letter of "a)" … "đ)" that a ")" must follow.
_BULLETS = frozenset("-+•")
_POINT_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzđ")


def _marker_fits(text: str, s: int, e: int) -> bool:
    """Whether the "list_marker" pattern can match ``text[s:e]`` (``text[s]`` no blank).

    Exact for its first characters: most sentences open with a capital ("Đề nghị",
    "Ủy ban") that ``_may_mark`` lets through as non-ASCII, and are then not matched.
    """
    first = text[s]
    if first in _BULLETS or first.isdecimal():
        return True
    return first in _POINT_LETTERS and s + 1 < e and text[s + 1] == ")"


def find_obligations(
    mt: MappedText,
    start: int,
    end: int,
    *,
    doc_date: dt.date | None,
    recipients: tuple[str, ...],
    citations: Sequence[Citation],
) -> list[Obligation]:
    """Obligations created by the document in ``mt.text[start:end]``.

    Args:
        mt: cleaned text of the file.
        start: clean offset where the document starts.
        end: clean offset where it ends.
        doc_date: the document's issue date (year of deadlines written without one).
        recipients: the "Kính gửi" addressees, bearers of duties addressed to "you".
        citations: the document's citations (spans in source coordinates), for delegated
            deadlines and to keep cited documents' periods out.

    Returns:
        Obligations in text order; spans point into the source text.
    """
    end = min(end, len(mt.text))
    prose = _prose(mt, start, end)
    ctx = _Context(
        recipients, doc_date, citations, prose, unicodedata.is_normalized("NFC", prose.text)
    )
    out: list[Obligation] = []
    text = prose.text
    # Reading ends at the first "Nơi nhận" (``_sentence_at``): no sentence after it is cut
    # or screened. A sentence opening with "N" is never passed over as inert before it.
    bounds = _cut_sentences(text, to_stop=True)
    nfc = ctx.nfc
    for (s, e), present in zip(bounds, _sentence_syllables(text, bounds), strict=True):
        if nfc and not present.words and _inert(text, s, e):
            continue
        sent = _sentence_at(text, s, e)
        if sent == "stop":
            break
        if sent == "skip":
            continue
        if not ctx.proposal_section:
            out.extend(_sentence_obligations(ctx, sent, present))
        _update_context(ctx, sent, present)
    return out
