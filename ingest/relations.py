"""Relation of a citing document to a cited one, read from the words before a mention.

Vietnamese documents state the relation in the verb that governs the mention
(notes §8): "Căn cứ …" (legal basis), "Thực hiện / triển khai / quán triệt …"
(carrying out), "tiếp tục thực hiện …", "thay thế …", "sửa đổi, bổ sung …",
"Kèm theo …" (an attachment), "Báo cáo kết quả thực hiện …". The governing verb is
the *last* trigger before the mention inside the same clause; neutral verbs ("ban
hành", "ban hành kèm theo") end the reach of an earlier trigger. Everything else
is a plain citation.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache

import regex

from ingest.scan import scan
from ontology.terms import Relation

__all__ = ["Trigger", "clause_start", "find_trigger", "find_triggers", "is_description_gap"]


@dataclass(frozen=True, slots=True)
class Trigger:
    """A relation phrase found before a mention (clean-text offsets)."""

    relation: Relation
    start: int
    end: int
    neutral: bool  # a verb that states no relation but ends an earlier one's reach


_W = r"[ \t\n]+"  # words may be split across PDF lines
_COMMA = r"[ \t\n]*,?[ \t\n]*"

# (group name, relation, pattern). Order matters only between patterns that start at
# the same word: longer phrases first ("kết quả thực hiện" before "thực hiện").
_TRIGGERS: tuple[tuple[str, Relation | None, str], ...] = (
    # "(Ban hành) kèm theo Quyết định …" describes *another* text annexed to the cited
    # one; it is not the citing document's relation.
    ("annexed", None, r"ban" + _W + r"hành" + _W + r"kèm" + _W + r"theo"),
    ("attached", Relation.ATTACHED_TO, r"kèm" + _W + r"theo"),
    # Reports on carrying out: "Báo cáo kết quả thực hiện", "kết quả (tổ chức) triển khai",
    # "sơ kết / tổng kết (việc thực hiện)".
    (
        "reports",
        Relation.REPORTS_ON,
        r"(?:báo"
        + _W
        + r"cáo"
        + _W
        + r")?kết"
        + _W
        + r"quả"
        + _W
        + r"(?:tổ"
        + _W
        + r"chức"
        + _W
        + r")?(?:thực"
        + _W
        + r"hiện|triển"
        + _W
        + r"khai)"
        + r"|(?:sơ|tổng)"
        + _W
        + r"kết(?:"
        + _W
        + r"việc)?(?:"
        + _W
        + r"thực"
        + _W
        + r"hiện)?",
    ),
    # "tiếp tục (chỉ đạo,) (triển khai) thực hiện": up to three words between.
    (
        "continues",
        Relation.CONTINUES,
        r"tiếp"
        + _W
        + r"tục(?:"
        + _W
        + r"[\p{L},]+){0,3}?"
        + _W
        + r"(?:thực"
        + _W
        + r"hiện|triển"
        + _W
        + r"khai(?:"
        + _W
        + r"thực"
        + _W
        + r"hiện)?)",
    ),
    ("replaces", Relation.REPLACES, r"thay" + _W + r"thế|bãi" + _W + r"bỏ"),
    ("amends", Relation.AMENDS, r"sửa" + _W + r"đổi(?:" + _COMMA + r"bổ" + _W + r"sung)?"),
    ("based", Relation.BASED_ON, r"căn" + _W + r"cứ"),
    (
        "implements",
        Relation.IMPLEMENTS,
        r"(?:triển"
        + _W
        + r"khai(?:"
        + _W
        + r"thực"
        + _W
        + r"hiện)?|thực"
        + _W
        + r"hiện"
        + r"|quán"
        + _W
        + r"triệt|thực"
        + _W
        + r"thi|cụ"
        + _W
        + r"thể"
        + _W
        + r"hóa)",
    ),
    # Issuing a document is no relation to it ("Bộ Nội vụ ban hành Công văn số …").
    ("issued", None, r"ban" + _W + r"hành"),
)


@cache
def _trigger_regex() -> regex.Pattern[str]:
    alts = "|".join(f"(?P<{name}>{pat})" for name, _, pat in _TRIGGERS)
    # Whole words only: Unicode-aware boundaries, so "Đ" never splits a word.
    return regex.compile(r"(?<!\p{L})(?:" + alts + r")(?!\p{L})", regex.IGNORECASE | regex.V1)


@cache
def _relation_of() -> dict[str, Relation | None]:
    return {name: rel for name, rel, _ in _TRIGGERS}


# A clause ends at a sentence end, a colon, or a new list item / table cell / line
# opening with a parenthesis ("(Kèm theo Công văn số …)" under a title). A semicolon
# does not end it: "Thực hiện A; B" governs both (lists of cited texts). The parts:
_BOUNDARY_PARTS = (
    # a sentence mark or colon before a line break, a capital or the range's end;
    r"[.!?:](?=[ \t]*\n|[ \t]+\p{Lu}|[ \t]*$)",
    # a table cell's tab;
    r"\t",
    # a line break (and the blanks after it) before a list item or a parenthesis.
    r"\n[ \t]*(?=[-+•(]|\d+\.|\p{Ll}\)|[IVX]+\.)",
)
_BOUNDARY = regex.compile(
    "|".join(_BOUNDARY_PARTS),
    # Searched right to left: the first hit is the boundary nearest the mention.
    regex.V1 | regex.REVERSE,
)
# The same pattern read left to right (``clause_start``).
_BOUNDARY_FORWARD = regex.compile("|".join(_BOUNDARY_PARTS), regex.V1)


def clause_start(text: str, pos: int, limit: int = 300) -> int:
    """Start of the clause that contains ``pos``, looking back at most ``limit`` chars.

    The end of the boundary nearest ``pos`` in ``text[pos - limit:pos]``: the end of the
    last match found left to right, which equals the end of the first match found right
    to left (``_BOUNDARY``) and costs less. Every match but a line break's is one
    character; a line break's takes the blanks after it, so the only match it can hide
    is a tab among them, which ends no later than it does. The last match found thus
    ends where the boundary ending last does.
    """
    floor = max(0, pos - limit)
    ends = [m.end() for m in _BOUNDARY_FORWARD.finditer(text, floor, pos)]
    return ends[-1] if ends else floor


def find_triggers(text: str, start: int, end: int) -> list[Trigger]:
    """All relation phrases in ``text[start:end]``, in text order.

    Args:
        text: clean text.
        start: clause start (see ``clause_start``).
        end: start of the mention.
    """
    out: list[Trigger] = []
    for m in _trigger_matches(text, start, end):
        rel = _relation_of()[m.lastgroup or ""]
        out.append(Trigger(rel or Relation.CITES, m.start(), m.end(), rel is None))
    return out


# How every phrase of ``_TRIGGERS`` starts, in lower case, to its second syllable: "ban
# hành", "kèm theo", "(báo cáo) kết quả", "sơ / tổng kết", "tiếp tục", "thay thế", "bãi
# bỏ", "sửa đổi", "căn cứ", "triển khai", "thực hiện / thi", "quán triệt", "cụ thể (hóa)".
# Every match starts with one of them ("Ủy ban nhân dân", "báo cáo số", "kết luận" are
# tried no more).
_TRIGGER_OPENINGS = (
    "ban hành", "kèm theo", "báo cáo", "kết quả", "sơ kết", "tổng kết", "tiếp tục",
    "thay thế", "bãi bỏ", "sửa đổi", "căn cứ", "triển khai", "thực hiện", "thực thi",
    "quán triệt", "cụ thể",
)  # fmt: skip


@cache
def _trigger_opening() -> re.Pattern[str]:
    """The openings as one pattern of plain characters (their syllables apart by ``_W``,
    as in the phrases), which the standard library's engine finds in the case-folded
    text faster than ``regex`` tries the case-insensitive pattern at every place."""
    return re.compile("|".join(_W.join(map(re.escape, p.split())) for p in _TRIGGER_OPENINGS))


@lru_cache(maxsize=4)
def _casefolded(text: str) -> str | None:
    """``text.casefold()`` when it keeps every offset (one character for one), else None.

    Folded once per text: the triggers before every mention of a file are read in it.
    """
    low = text.casefold()
    return low if len(low) == len(text) else None


def _trigger_matches(text: str, start: int, end: int) -> Iterator[regex.Match[str]]:
    """``_trigger_regex().finditer(text, start, end)``, the pattern tried only where the
    case-folded text has an opening (``_TRIGGER_OPENINGS``, ``ingest.scan``).

    Where folding keeps every offset, every character folds to one character, as the
    pattern's case-insensitive matching folds it, so a match can start only at an
    opening. Otherwise the plain scan.
    """
    low = _casefolded(text)
    if low is None:
        return _trigger_regex().finditer(text, start, end)
    return scan(_trigger_regex(), _trigger_opening(), text, start, end, folded=low)


def find_trigger(text: str, start: int, end: int) -> Trigger | None:
    """The last relation phrase in ``text[start:end]``, or None."""
    found = find_triggers(text, start, end)
    return found[-1] if found else None


# Words between the end of mention A (its date and issuer) and a trigger that show the
# trigger describes A: its title ("về …", "V/v …"), an open parenthesis, or nothing at
# all ("Nghị định số 85/2023/NĐ-CP … của Chính phủ sửa đổi, bổ sung …").
# A description opens with "về"/"V/v" or with the verb that says what the document
# does ("… của Bộ Chính trị ban hành quy chế …", "… phê duyệt …", "… quy định …").
_TITLE_HEAD = regex.compile(
    r",?[ \t\n]*(?:về|v/v|ban[ \t\n]+hành|phê[ \t\n]+duyệt|quy[ \t\n]+định|hướng[ \t\n]+dẫn)"
    r"(?!\p{L})",
    regex.IGNORECASE | regex.V1,
)
_CLAUSE_END = regex.compile(r"[;.!?]")


# A description that reaches a trigger is short: a title's first words or a parenthesis.
_MAX_DESCRIPTION = 160


def is_description_gap(text: str, start: int, end: int) -> bool:
    """True when ``text[start:end]`` keeps a trigger inside the description of a mention."""
    if end - start > _MAX_DESCRIPTION:
        return False
    gap = text[start:end].strip()
    if not gap:
        return True
    if _CLAUSE_END.search(gap) or "”" in gap:  # a closed quotation ends the title
        return False
    if gap.startswith("("):
        return ")" not in gap
    return _TITLE_HEAD.match(gap) is not None
