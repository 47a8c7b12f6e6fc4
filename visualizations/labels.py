"""Words the explorer shows: Vietnamese by default, English selectable.

Shared words (document, symbol, title …) come from ``api.i18n``; the explorer's own
live here. Every table is keyed by a stable identifier so the page, the legend and the
tests refer to the same thing whichever language is shown.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

from api.i18n import relation_label
from api.i18n import t as shared
from ingest.clean import fold
from ontology.terms import (
    DOC_TYPES,
    FREQUENCY_LABELS,
    ISSUERS,
    Frequency,
    Issuer,
    doc_type,
    fold_code,
    issuer_by_code,
)

__all__ = [
    "LANGS",
    "check_lang",
    "class_label",
    "edge_label",
    "format_date",
    "format_deadline",
    "frequency_label",
    "issuer_name",
    "localise_issuer",
    "msg",
    "type_label",
]

LANGS = ("vi", "en")

# key → (vi, en). Placeholders use str.format names.
_MESSAGES: dict[str, tuple[str, str]] = {
    "app": ("Khám phá đồ thị văn bản", "Document graph explorer"),
    "search": ("Tìm văn bản", "Find a document"),
    "search_hint": ("Số ký hiệu hoặc trích yếu, gõ có dấu hay không dấu",
                    "Symbol or title words, with or without diacritics"),
    "no_match": ("Không có văn bản nào khớp.", "No document matches."),
    "filters": ("Lọc", "Filters"),
    "all": ("Tất cả", "All"),
    "year": ("Năm", "Year"),
    "legend": ("Chú giải", "Legend"),
    "details": ("Chi tiết", "Details"),
    "details_hint": ("Bấm vào một nút để xem chi tiết.", "Click a node to see its details."),
    "evidence": ("Trích nguyên văn", "Evidence"),
    "links": ("Liên kết", "Links"),
    "open_neighbourhood": ("Mở vùng lân cận", "Open its neighbourhood"),
    "api_record": ("Bản ghi API", "API record"),
    "path": ("Đường truy vết", "Traced path"),
    "shown": ("{shown}/{total} nút đang hiển thị", "{shown} of {total} nodes shown"),
    "loading": ("Đang bố trí đồ thị…", "Laying out the graph…"),
    "mentioned_only": ("Chỉ được nhắc tới (chưa có văn bản gốc)",
                       "Only mentioned (no source text)"),
    "unnumbered": ("văn bản không số", "unnumbered document"),
    "unknown_issuer": ("Chưa rõ cơ quan ban hành", "Issuer unknown"),
    "unknown_type": ("Chưa rõ loại", "Type unknown"),
    "cluster_count": ("{n} văn bản", "{n} documents"),
    "cluster_one": ("1 văn bản", "1 document"),
    "too_large": (
        "Kho có {n} văn bản, quá nhiều để vẽ cùng lúc: đang hiển thị theo nhóm {by}. "
        "Hãy tìm và chọn một văn bản để xem vùng lân cận của nó.",
        "The store holds {n} documents, too many to draw at once: they are grouped by {by}. "
        "Search for a document and open its neighbourhood instead.",
    ),
    "by_issuer": ("cơ quan ban hành", "issuer"),
    "by_type": ("loại văn bản", "document type"),
    "empty": ("Kho chưa có văn bản nào. Hãy nạp văn bản bằng lệnh luocdo ingest.",
              "The store holds no documents yet. Load some with luocdo ingest."),
    "truncated": (
        "Vùng lân cận quá lớn: chỉ hiển thị {shown} trong số {total} văn bản gần nhất.",
        "The neighbourhood is large: only the {shown} nearest of {total} documents are shown.",
    ),
    "truncated_more": (
        "Vùng lân cận rất lớn: chỉ hiển thị {shown} văn bản gần nhất trong số hơn {total} "
        "văn bản đã đếm.",
        "The neighbourhood is very large: only the {shown} nearest of more than {total} "
        "documents counted are shown.",
    ),
    "too_large_refused": (
        "Kho có {n} văn bản, quá nhiều để vẽ toàn bộ hay theo nhóm. "
        "Hãy tìm và chọn một văn bản để xem vùng lân cận của nó.",
        "The store holds {n} documents, too many to draw whole or in groups. "
        "Search for a document and pick it to see its neighbourhood.",
    ),
    "neighbourhood_title": ("Vùng lân cận của {label} (bán kính {depth})",
                            "Neighbourhood of {label} (depth {depth})"),
    "trace_title": ("Truy vết mục {section} của đề cương kèm {label}",
                    "Trace of section {section} of the outline attached to {label}"),
    "corpus_title": ("Toàn bộ kho văn bản", "Whole corpus"),
    "section": ("Mục {number}", "Section {number}"),
    "section_title": ("Tên mục", "Heading"),
    "obligation": ("Nghĩa vụ", "Obligation"),
    "action": ("Việc phải làm", "Action"),
    "key": ("Khóa định danh", "Identity key"),
    "kind": ("Loại nút", "Node kind"),
    "relations": ("Quan hệ", "Relations"),
    "stated_by": ("theo {label}", "as stated by {label}"),
    "mentions": ("Nhắc tới", "Mentions"),
    "count": ("Số văn bản", "Documents"),
    "path_empty": ("Văn bản này không nêu văn bản nào mà nó triển khai.",
                   "This document names nothing it implements."),
    "offline": ("Trang chạy không cần mạng.", "This page works offline."),
    "reset": ("Đặt lại", "Reset"),
    "fit": ("Xem toàn bộ", "Fit to screen"),
}

# Node classes and extra edge kinds (the document relations use ``api.i18n``).
_CLASS_LABELS: dict[str, tuple[str, str]] = {
    "doc-directive": ("Chỉ thị, công điện", "Directives, telegrams"),
    "doc-resolution": ("Nghị quyết, kết luận", "Resolutions, conclusions"),
    "doc-rule": ("Quyết định, quy định, quy chế", "Decisions, regulations, rules"),
    "doc-law": ("Luật, nghị định, thông tư", "Laws, decrees, circulars"),
    "doc-plan": ("Kế hoạch, chương trình, đề án", "Plans, programmes, schemes"),
    "doc-letter": ("Công văn, thông báo", "Letters, notices"),
    "doc-report": ("Báo cáo, bảng tổng hợp", "Reports, summary tables"),
    "doc-outline": ("Đề cương báo cáo", "Report outlines"),
    "doc-other": ("Văn bản khác", "Other documents"),
    "agency": ("Cơ quan", "Agencies"),
    "obligation": ("Nghĩa vụ, thời hạn", "Obligations, deadlines"),
    "section": ("Mục đề cương", "Outline sections"),
    "cluster": ("Nhóm văn bản", "Groups of documents"),
    "mentioned": ("Chỉ được nhắc tới (viền đứt)", "Only mentioned (dashed border)"),
    "path": ("Đường truy vết", "Traced path"),
}

_EDGE_LABELS: dict[str, tuple[str, str]] = {
    "same_document": ("cùng văn bản", "same document"),
    "creates": ("đặt ra nghĩa vụ", "creates obligation"),
    "reports_to": ("báo cáo cho", "report to"),
    "names": ("viện dẫn", "names"),
    "outline_of": ("thuộc đề cương kèm theo", "in the outline attached to"),
    "issued_by": ("ban hành bởi", "issued by"),
    "links": ("liên kết", "links"),
}


def check_lang(lang: str) -> str:
    """``lang`` itself when it is ``vi`` or ``en``.

    Raises:
        ValueError: any other value.
    """
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; one of {LANGS}")
    return lang


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def msg(key: str, lang: str, **values: object) -> str:
    """The explorer's message ``key`` in ``lang`` (falls back to ``api.i18n``).

    Without ``values`` the text is returned with its ``{placeholders}`` (the page fills
    them in).
    """
    if key in _MESSAGES:
        text = _pick(_MESSAGES[key], lang)
        return text.format(**values) if values else text
    return shared(key, lang)


def class_label(node_class: str, lang: str) -> str:
    """Legend name of a node class (``doc-directive``, ``agency`` …)."""
    return _pick(_CLASS_LABELS.get(node_class, (node_class, node_class)), lang)


def edge_label(relation: str, lang: str) -> str:
    """Label of a document relation (``implements``) or an explorer edge kind (``names``)."""
    if relation in _EDGE_LABELS:
        return _pick(_EDGE_LABELS[relation], lang)
    return relation_label(relation, lang)


@cache
def _type_slugs() -> frozenset[str]:
    return frozenset(t.slug for t in DOC_TYPES)


def type_label(slug: str | None, lang: str) -> str:
    """Name of a document type slug (``chi-thi`` → "Chỉ thị" / "Directive")."""
    if not slug or slug not in _type_slugs():
        return msg("unknown_type", lang)
    info = doc_type(slug)
    return info.en if lang == "en" else info.vi


def issuer_name(code: str, lang: str) -> str | None:
    """Name of the body behind an issuer code (``TTg`` → "Thủ tướng Chính phủ")."""
    info = issuer_by_code().get(fold_code(code))
    if info is None:
        return None
    return info.en if lang == "en" else info.vi


@cache
def _issuers_by_vi_name() -> dict[str, Issuer]:
    return {fold(i.vi): i for i in ISSUERS}


def localise_issuer(name: str, lang: str) -> str:
    """An issuer name written in Vietnamese, in ``lang`` when the vocabulary knows the body."""
    if lang != "en":
        return name
    info = _issuers_by_vi_name().get(fold(name))
    return info.en if info else name


def frequency_label(frequency: Frequency | None, lang: str) -> str | None:
    """"hằng năm" / "yearly" for ``Frequency.YEARLY``; None for None."""
    if frequency is None:
        return None
    return _pick(FREQUENCY_LABELS[frequency], lang)


def format_date(value: dt.date | str | None, lang: str) -> str | None:
    """A date as Vietnamese readers write it (15/12/2025) or ISO for English."""
    if value is None:
        return None
    day = value if isinstance(value, dt.date) else _parse(value)
    if day is None:
        return str(value)
    return day.isoformat() if lang == "en" else f"{day.day:02d}/{day.month:02d}/{day.year}"


def _parse(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def format_deadline(value: str | None, lang: str) -> str | None:
    """A deadline: absolute (``2025-05-25``) or recurring month-day (``--12-15`` → 15/12)."""
    if not value:
        return None
    if value.startswith("--") and len(value) == 7:
        month, day = int(value[2:4]), int(value[5:7])
        if lang == "en":
            return f"{day} {_MONTHS_EN[month - 1]}" if 1 <= month <= 12 else value
        return f"{day:02d}/{month:02d}"
    return format_date(value, lang)
