"""Human-readable labels for the CLI and explorer: Vietnamese by default, English selectable.

Select with ``--lang en`` or the ``LUOCDO_LANG`` environment variable.
"""

from __future__ import annotations

import os
from functools import cache

MESSAGES: dict[str, tuple[str, str]] = {
    # key: (vi, en)
    "file": ("Tệp", "File"),
    "documents": ("Văn bản", "Documents"),
    "document": ("Văn bản", "Document"),
    "symbol": ("Số ký hiệu", "Symbol"),
    "type": ("Loại", "Type"),
    "issuer": ("Cơ quan ban hành", "Issuer"),
    "date": ("Ngày", "Date"),
    "title": ("Trích yếu", "Title"),
    "signer": ("Người ký", "Signer"),
    "recipients": ("Kính gửi", "Recipients"),
    "citations": ("Trích dẫn", "Citations"),
    "relation": ("Quan hệ", "Relation"),
    "quote": ("Trích nguyên văn", "Quote"),
    "obligations": ("Nghĩa vụ", "Obligations"),
    "deadline": ("Thời hạn", "Deadline"),
    "frequency": ("Tần suất", "Frequency"),
    "bearer": ("Đơn vị thực hiện", "Bearer"),
    "recipient": ("Nơi nhận báo cáo", "Recipient"),
    "outline": ("Đề cương", "Outline"),
    "section": ("Mục", "Section"),
    "references": ("Văn bản viện dẫn", "References"),
    "error": ("Lỗi", "Error"),
    "errors": ("Lỗi", "Errors"),
    "ok": ("Thành công", "OK"),
    "summary": ("Tổng kết", "Summary"),
    "files_ok": ("tệp xử lý thành công", "files processed"),
    "files_failed": ("tệp lỗi", "files failed"),
    "no_documents": ("Không tìm thấy văn bản nào.", "No documents found."),
    "unknown": ("(không rõ)", "(unknown)"),
    "attached_to": ("Kèm theo", "Attached to"),
    "demo_intro": (
        "Trích xuất bộ văn bản mẫu đi kèm luocdo:",
        "Extracting the sample corpus bundled with luocdo:",
    ),
    "relations": ("Quan hệ giữa các văn bản khác", "Relations between other documents"),
    "submissions": ("Văn bản đã nộp", "Submissions"),
}

RELATION_LABELS: dict[str, tuple[str, str]] = {
    "cites": ("trích dẫn", "cites"),
    "based_on": ("căn cứ", "based on"),
    "implements": ("triển khai thực hiện", "implements"),
    "replaces": ("thay thế", "replaces"),
    "amends": ("sửa đổi, bổ sung", "amends"),
    "continues": ("tiếp tục thực hiện", "continues"),
    "attached_to": ("kèm theo", "attached to"),
    "reports_on": ("báo cáo kết quả", "reports on"),
}


@cache
def default_lang() -> str:
    lang = os.environ.get("LUOCDO_LANG", "vi").lower()
    return "en" if lang.startswith("en") else "vi"


def t(key: str, lang: str | None = None) -> str:
    """Label for ``key`` in ``lang`` (``vi`` or ``en``)."""
    vi, en = MESSAGES[key]
    return en if (lang or default_lang()) == "en" else vi


def relation_label(relation: str, lang: str | None = None) -> str:
    vi, en = RELATION_LABELS.get(relation, (relation, relation))
    return en if (lang or default_lang()) == "en" else vi
