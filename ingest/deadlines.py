"""Deadlines, recurrence and covered periods in one sentence of a directive.

Pure functions over a string (one sentence or clause of the prose view); offsets
returned are offsets into that string. Notes §6 and vocabularies §5 give the rules:

* A **deadline** needs a marker ("trước ngày", "chậm nhất", "hạn chót", …) followed by a
  date. Dates without a marker are not deadlines: dates of cited documents
  ("Chỉ thị số 33/CT-TTg ngày 26/11/2021"), cut-off dates ("số liệu tính đến hết ngày
  31/12/2024"), effective dates ("có hiệu lực từ ngày …", "kể từ ngày …").
* A full date gives ``"YYYY-MM-DD"``. A day and month without a year give
  ``"--MM-DD"`` (``xsd:gMonthDay``) when the duty recurs ("hằng năm", "định kỳ",
  "báo cáo năm", "6 tháng"), else (a one-off request) the year of the document date,
  rolled over to the next year when the day would fall before the issue date.
* A monthly or quarterly deadline written as a day only ("hằng tháng, trước ngày 25",
  "trước ngày 20 của tháng cuối quý") is **not** a month-day: ``value`` stays None, the
  day is kept in ``Deadline.day`` and the phrase in ``Deadline.text`` (the obligation
  extractor appends it to the action text so nothing is lost).
* A **delegated** deadline ("theo thời gian đề nghị", "theo thời hạn tại Văn bản số …")
  has no value of its own: the forwarded document's deadline applies.
* **Recurrence** with a year attached is a period, not a frequency: "báo cáo 6 tháng đầu
  năm 2024" covers 2024-01-01..2024-06-30 once; "báo cáo 6 tháng đầu năm" recurs.
* A bare "định kỳ" (periodic, no period word) is ``Frequency.PERIODIC``: the duty
  recurs but the text does not say how often. With a day and month and no year
  ("định kỳ … trước ngày 15/12") it recurs each year: YEARLY.
* "hoàn thành trong quý III/2025", "thời hạn: trong năm 2025", "Trong năm 2024, hoàn
  thành …": the period's last day is the deadline. Otherwise periods ("giai đoạn
  2021-2025", "từ ngày … đến ngày …", "quý I/2025") are returned by ``find_periods``;
  they are never deadlines.
* Several dates after one marker ("trước ngày 10/6 và ngày 10/12") are several deadlines.
  When as many recurrences are listed before them, they pair in order: "Định kỳ 06 tháng
  và hằng năm, … trước ngày 15/6 và 15/12" is half-yearly on 15/6, yearly on 15/12.
* "ngày 09 tháng 02 năm 2022" is a date: its "09 tháng" is not a nine-month recurrence.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cache, lru_cache

import regex

from ingest.dates import date_regex
from ontology.terms import Frequency

__all__ = [
    "DATED_SYLLABLES",
    "DELEGATION_SYLLABLES",
    "FREQUENCY_SYLLABLES",
    "Deadline",
    "FrequencyMention",
    "Period",
    "find_deadlines",
    "find_delegations",
    "find_frequencies",
    "find_periods",
    "frequency_before",
    "may_recur",
    "month_day_value",
]

# Letter boundaries that work for Vietnamese ("Điều" must not split at "Đ").
_LB = r"(?<!\p{L})"
_RB = r"(?!\p{L})"
# "hằng" and "hàng" are both written for "every".
_EVERY = r"(?:hằng|hàng|mỗi)"


def _ci(pattern: str) -> regex.Pattern[str]:
    """Compile a case-insensitive pattern with simple case folding.

    Vietnamese letters fold one to one; V1's default full case folding only adds
    multi-character folds ("ß" → "ss") and makes the long alternations here twice as slow.
    """
    return regex.compile("(?-f)" + pattern, regex.V1 | regex.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Deadline:
    """One deadline phrase found in a sentence.

    Attributes:
        start: offset of the marker ("trước", "chậm nhất", "theo thời gian …").
        end: end of the date (or of the delegation phrase).
        text: the phrase as written.
        value: ``"YYYY-MM-DD"``, ``"--MM-DD"`` or None (day-only or delegated deadline,
            or a one-off day-month without a document date to take the year from).
        frequency: recurrence of the duty, ``Frequency.ONCE`` for a dated one-off.
        day: day of month when only a day is written (monthly/quarterly deadlines).
        delegated: True when the deadline is the one set by another document.
    """

    start: int
    end: int
    text: str
    value: str | None
    frequency: Frequency | None
    day: int | None = None
    delegated: bool = False


@dataclass(frozen=True, slots=True)
class FrequencyMention:
    """A recurrence phrase ("hằng năm", "định kỳ 06 tháng", "báo cáo quý")."""

    start: int
    end: int
    frequency: Frequency
    bare: bool = False  # a lone "định kỳ" with no period word


@dataclass(frozen=True, slots=True)
class Period:
    """A period the text says a duty covers; ``start``/``end`` are offsets."""

    start: int
    end: int
    first: dt.date
    last: dt.date


# --- patterns ---------------------------------------------------------------------------------

# Words that introduce a deadline. "trước" alone is enough ("trước 15/12"); the date must
# follow directly (after an optional clock time and "ngày"), so "trước mắt",
# "trước hết" never match.
_MARKER = (
    r"(?P<marker>"
    r"chậm\s+nhất(?:\s+(?:là|vào))?"
    r"|muộn\s+nhất(?:\s+(?:là|vào))?"
    r"|không\s+(?:muộn|chậm|quá)(?:\s+hơn)?"
    r"|hạn\s+(?:chót|cuối)(?:\s+(?:là|vào))?\s*:?"
    r"|thời\s+hạn(?:\s+(?:gửi|nộp|hoàn\s+thành|báo\s+cáo))?\s*:?(?:\s*(?:trước|trong))?"
    r"|hoàn\s+thành\s+trước|xong\s+trước"
    r"|trước"
    r")"
)
# Clock time before the date ("trước 17 giờ ngày 15/12", "trước 16h00, ngày …").
_CLOCK = r"(?:\s*\d{1,2}\s*(?:giờ|h)(?:\s*\d{1,2})?(?:\s*phút)?\s*,?)?"
_DAY_WORD = r"(?:\s*(?:ngày|hôm))?\s*"
# Day and month without a year, numeric ("15/12") or worded ("15 tháng 12"); a third
# number group after it would make a full date, which is tried first.
_MONTH_DAY = (
    r"(?P<d>\d{1,2})\s*(?:[/.\-]\s*(?P<m>\d{1,2})(?!\s*[/.\-]?\s*\d)"
    r"|\s+tháng\s+(?P<m2>\d{1,2})(?!\d))"
)
# Day only: "trước ngày 25 hằng tháng", "trước ngày 20 của tháng cuối quý".
_DAY_ONLY = r"(?P<donly>\d{1,2})(?!\s*(?:[/.\-]\s*\d|tháng\s+\d|\d))"
# What may follow a date and change its meaning: recurrence or "năm sau" (next year).
_SUFFIX = (
    r"(?P<suffix>\s*,?\s*(?:"
    + _EVERY
    + r"\s+(?:năm|quý|tháng)"
    + r"|(?:của\s+)?(?:năm\s+(?:sau|tiếp\s+theo|kế\s+tiếp))"
    + r"|(?:của\s+)?tháng\s+(?:cuối|đầu)\s+(?:mỗi\s+)?quý(?:\s+(?:sau|tiếp\s+theo))?"
    + r"|(?:của\s+)?quý\s+(?:sau|tiếp\s+theo)"
    + r"|(?:của\s+)?tháng\s+(?:sau|tiếp\s+theo|báo\s+cáo)"
    + r"))?"
)
# Text just before a marker that makes the date a cut-off or a past event, not a
# deadline: "tính đến (hết) ngày", "kể từ ngày", "có hiệu lực từ", "đã ban hành trước
# ngày", "từ … đến trước ngày".
_NOT_DEADLINE_BEFORE = (
    r"(?:tính\s+(?:đến|từ)(?:\s+hết)?|kể\s+từ|" + _LB + r"(?:từ|đến|tới)"
    r"|hiệu\s+lực(?:\s+(?:từ|kể\s+từ))?|" + _LB + r"(?:đã|vừa)(?:\s+\p{L}+){0,3})\s*$"
)
# Delegation: the deadline is the one another document sets. It must point somewhere:
# "theo thời gian đề nghị" (the request being forwarded) or "… tại/của <document>"
# ("theo thời hạn tại Văn bản số …", "theo yêu cầu tại Công văn …"). Generic phrases
# ("đảm bảo thời gian quy định", "đúng tiến độ") are not delegations.
_DOC_WORD = (
    r"(?:văn\s+bản|công\s+văn|kế\s+hoạch|quyết\s+định|chỉ\s+thị|thông\s+báo|hướng\s+dẫn|"
    r"nghị\s+quyết|kết\s+luận|thông\s+tư|nghị\s+định|công\s+điện|chương\s+trình)"
)
_DELEGATION = (
    _LB + r"(?:theo|đúng)\s+(?:đúng\s+)?"
    r"(?:(?:thời\s+gian|thời\s+hạn|tiến\s+độ|mốc\s+thời\s+gian)\s+(?:đề\s+nghị|yêu\s+cầu)"
    r"(?:\s+(?:tại|của)\s+" + _DOC_WORD + r")?"
    r"|(?:thời\s+gian|thời\s+hạn|tiến\s+độ|yêu\s+cầu)(?:\s+(?:quy\s+định|nêu|ghi|đề\s+ra))?"
    r"\s+(?:tại|của|trong)\s+" + _DOC_WORD + r")" + _RB
)


@cache
def _deadline_regex() -> regex.Pattern[str]:
    full = date_regex().pattern
    body = r"(?:(?P<full>" + full + r")|(?P<md>" + _MONTH_DAY + r")|" + _DAY_ONLY + r")"
    return _ci(_LB + _MARKER + _RB + _CLOCK + _DAY_WORD + body + _SUFFIX)


# A calendar period whose last day is the deadline: "tháng 6/2024", "quý III/2025",
# "năm 2024".
_PERIOD_END = (
    r"(?:tháng\s+(?P<pm>\d{1,2})\s*(?:/|năm)\s*(?P<pmy>(?:19|20)\d\d)"
    r"|quý\s+(?P<pq>IV|I{1,3}|[1-4])\s*(?:/|năm|,)\s*(?:năm\s+)?(?P<pqy>(?:19|20)\d\d)"
    r"|năm\s+(?P<py>(?:19|20)\d\d))" + _RB
)


@cache
def _period_deadline_regex() -> regex.Pattern[str]:
    # "hoàn thành trong tháng 6/2024", "xong trong quý III/2025", "thời hạn: trong năm
    # 2024"; or a fronted period: "Trong năm 2024, hoàn thành việc …".
    return _ci(
        _LB + r"(?:(?:hoàn\s+thành|xong|thời\s+hạn(?:\s+hoàn\s+thành)?\s*:?)\s+"
        r"(?:chậm\s+nhất\s+)?(?:trong|vào)\s+"
        + _PERIOD_END
        + r"|(?<=^|[.;:]\s*)trong\s+"
        + _PERIOD_END
        + r"\s*,\s*(?=(?:\p{L}+\s+){0,3}?"
        r"(?:hoàn\s+thành|xong)" + _RB + r"))"
    )


# Another date sharing the marker of the one before: "trước ngày 10/6 và ngày 10/12".
@cache
def _coordinated_regex() -> regex.Pattern[str]:
    full = date_regex().pattern
    body = r"(?:(?P<full>" + full + r")|(?P<md>" + _MONTH_DAY + r"))"
    return _ci(
        r"(?P<conn>\s*(?:,\s*(?:và\s+)?|và\s+|hoặc\s+))(?:trước\s+)?(?:ngày\s+)?" + body + _SUFFIX
    )


@cache
def _not_deadline_regex() -> regex.Pattern[str]:
    return _ci(_NOT_DEADLINE_BEFORE)


@cache
def _delegation_regex() -> regex.Pattern[str]:
    return _ci(_DELEGATION)


# Recurrence phrases, most specific first. A year right after the phrase makes it a
# period ("6 tháng đầu năm 2024"), handled by the lookaheads.
_NO_YEAR = r"(?!\s*(?:/|năm)?\s*(?:19|20)\d\d)"
# "ngày 09 tháng 02 năm 2022" is a date, not "9 tháng" (nine months): no "ngày" before the
# count and no month number after "tháng".
_NOT_DATE_BEFORE = r"(?<!ngày\s*)"
_NOT_DATE_AFTER = r"(?!\s*\d)"
_FREQ_PARTS: tuple[tuple[Frequency, str], ...] = (
    # Atomic groups: "6 tháng đầu năm 2024" must not fall back to a bare "6 tháng".
    (
        Frequency.NINE_MONTHS,
        # The first character ("0", "9", "c") is tested before the costly look-behind:
        # the same matches, the scan of a sentence ~15 % faster.
        r"(?=[09c])"
        + _NOT_DATE_BEFORE
        + r"(?>(?:0?9|chín)\s+tháng"
        + _NOT_DATE_AFTER
        + r"(?:\s+đầu\s+năm)?)"
        + _NO_YEAR,
    ),
    (
        Frequency.HALF_YEARLY,
        r"(?=[06s])"  # the first character first, as above
        + _NOT_DATE_BEFORE
        + r"(?>(?:0?6|sáu)\s+tháng"
        + _NOT_DATE_AFTER
        + r"(?:\s+(?:đầu|cuối)\s+năm)?)"
        + _NO_YEAR
        + r"|nửa\s+năm"
        + _NO_YEAR
        + r"|bán\s+niên",
    ),
    (Frequency.MONTHLY, _EVERY + r"\s+tháng|định\s+kỳ\s+tháng|báo\s+cáo\s+tháng" + _NO_YEAR),
    (Frequency.QUARTERLY, _EVERY + r"\s+quý|định\s+kỳ\s+quý|theo\s+quý|báo\s+cáo\s+quý" + _NO_YEAR),
    (
        Frequency.YEARLY,
        _EVERY
        + r"\s+năm|định\s+kỳ\s+năm|thường\s+niên|năm\s+một\s+lần"
        + r"|(?:báo\s+cáo|tổng\s+kết)\s+năm"
        + _NO_YEAR
        + r"|(?<=(?:quý|tháng)\s*,\s*)năm"
        + _NO_YEAR,
    ),
)
_BARE_PERIODIC = r"định\s+kỳ"


@cache
def _frequency_regex() -> regex.Pattern[str]:
    alts = [f"(?P<f{i}>{pat})" for i, (_, pat) in enumerate(_FREQ_PARTS)]
    alts.append(f"(?P<bare>{_BARE_PERIODIC})")
    return _ci(_LB + "(?:" + "|".join(alts) + ")" + _RB)


_ROMAN_Q = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}


@cache
def _period_regexes() -> dict[str, regex.Pattern[str]]:
    year = r"(?P<y>(?:19|20)\d\d)" + _RB
    return {
        # "giai đoạn 2021 - 2025", "giai đoạn 2021-2030"
        "range": _ci(
            _LB + r"giai\s+đoạn\s+(?:từ\s+(?:năm\s+)?)?(?P<y1>(?:19|20)\d\d)\s*(?:-|đến)\s*"
            r"(?:năm\s+)?(?P<y2>(?:19|20)\d\d)" + _RB
        ),
        # "từ ngày 01/01/2024 đến (hết) ngày 31/12/2024": the dates are matched with
        # ingest.dates at the two positions this pattern leaves open.
        "from": _ci(_LB + r"từ\s+(?:ngày\s+)?"),
        "to": _ci(r"\s*(?:đến|tới)\s+(?:hết\s+)?(?:ngày\s+)?"),
        # "6 tháng đầu năm 2024", "6 tháng cuối năm 2024"
        "half": _ci(_LB + r"(?:0?6|sáu)\s+tháng\s+(?P<h>đầu|cuối)\s+năm\s+" + year),
        # "9 tháng (đầu) năm 2024"
        "nine": _ci(_LB + r"(?:0?9|chín)\s+tháng\s+(?:đầu\s+)?năm\s+" + year),
        # "quý I/2025", "quý II năm 2025"
        "quarter": _ci(_LB + r"quý\s+(?P<q>IV|I{1,3}|[1-4])\s*(?:/|năm|,)\s*(?:năm\s+)?" + year),
        # "(báo cáo|trong|cả|tổng kết|sơ kết) năm 2024": a whole year covered.
        "year": _ci(_LB + r"(?:báo\s+cáo|trong|cả|tổng\s+kết|sơ\s+kết)\s+năm\s+" + year),
    }


# --- frequencies ------------------------------------------------------------------------------


def find_frequencies(text: str) -> list[FrequencyMention]:
    """Every recurrence phrase in ``text``, in order.

    A bare "định kỳ" directly followed by a specific phrase ("Định kỳ, hằng năm",
    "định kỳ 06 tháng") is folded into that phrase.

    Example:
        >>> [m.frequency.value for m in find_frequencies("Định kỳ 06 tháng và hằng năm")]
        ['half-yearly', 'yearly']
    """
    return list(_frequencies(unicodedata.normalize("NFC", text)))


# The (case-folded) syllables of every way ``_FREQ_PARTS`` and ``_BARE_PERIODIC`` write a
# recurrence, one group per way: a text holding every syllable of no group has no
# recurrence and is not scanned (the recurrence pattern is the slowest one per
# sentence). "năm" alone is a year or a date, never a recurrence: it needs "hằng",
# "hàng", "mỗi", "nửa", "một lần", "báo cáo" or "tổng kết" beside it ("định kỳ năm" has
# "kỳ", "quý, năm" has "quý").
FREQUENCY_SYLLABLES: tuple[tuple[str, ...], ...] = (
    ("tháng",),
    ("quý",),
    ("kỳ",),
    ("niên",),
    ("năm", "hằng"),
    ("năm", "hàng"),
    ("năm", "mỗi"),
    ("năm", "nửa"),
    ("năm", "một", "lần"),
    ("năm", "cáo"),
    ("năm", "kết"),
)


@lru_cache(maxsize=256)
def _frequencies(text: str) -> tuple[FrequencyMention, ...]:
    """``find_frequencies`` on NFC text, memoised.

    The obligation extractor and ``find_deadlines`` ask for the same sentence in turn.
    """
    low = text.casefold()
    if not any(all(w in low for w in group) for group in FREQUENCY_SYLLABLES):
        return ()
    out: list[FrequencyMention] = []
    for m in _frequency_matches(text, low):
        if m.group("bare") is not None:
            out.append(FrequencyMention(m.start(), m.end(), Frequency.PERIODIC, bare=True))
            continue
        for i, (freq, _) in enumerate(_FREQ_PARTS):
            if m.group(f"f{i}") is not None:
                out.append(FrequencyMention(m.start(), m.end(), freq))
                break
    return tuple(_fold_bare(out))


# Where a recurrence can start, in the case-folded text: the first words of every
# alternative of ``_FREQ_PARTS`` and ``_BARE_PERIODIC`` ("0?9 / chín / 0?6 / sáu tháng",
# "nửa năm", "bán niên", "hằng / hàng / mỗi tháng / quý / năm", "định kỳ", "báo cáo
# tháng / quý / năm", "theo quý", "thường niên", "tổng kết năm", and "năm" not followed
# by a year: "năm một lần", "quý, năm"). The standard library's engine finds these
# several times faster than ``regex`` tries the whole pattern at every place. Its ``\s``
# holds every blank of ``regex``'s, so these match wherever the pattern's words do; the
# year after "năm" is looked for over plain blanks only, so no "năm" the pattern could
# take is passed over. Each alternative opens with a plain character, no optional one
# and no group ("0?[69]", "(?:hằng|hàng|mỗi)" written out): the engine then finds the
# places to try twice as fast, at the same places.
_FREQ_OPENING = (
    r"0[69]\s+tháng|[69]\s+tháng|chín\s+tháng|sáu\s+tháng|nửa\s+năm|bán\s+niên"
    r"|hằng\s+(?:tháng|quý|năm)|hàng\s+(?:tháng|quý|năm)|mỗi\s+(?:tháng|quý|năm)"
    r"|định\s+kỳ|báo\s+cáo\s+(?:tháng|quý|năm)"
    r"|theo\s+quý|thường\s+niên|tổng\s+kết\s+năm|năm(?![ \t\n]*(?:19|20)\d\d)"
)


@cache
def _frequency_opening() -> re.Pattern[str]:
    return re.compile(_FREQ_OPENING)


def _openings_scan(pattern: regex.Pattern[str], opening: regex.Pattern[str], text: str,
                   low: str) -> Iterator[regex.Match[str]]:
    """``pattern.finditer(text)``, tried only where ``opening`` matches ``low``.

    ``low`` is ``text.casefold()``. Where it keeps every offset, a match can start only
    where ``low`` has an opening (the pattern's simple case folding agrees with
    ``casefold`` on such text); each match found is then the leftmost one after the
    previous, as ``finditer`` finds it. Otherwise the plain scan.
    """
    if len(low) != len(text):
        yield from pattern.finditer(text)
        return
    pos = 0
    while (at := opening.search(low, pos)) is not None:
        m = pattern.match(text, at.start())
        if m is None:
            pos = at.start() + 1
            continue
        yield m
        pos = m.end()


def may_recur(low: str, start: int, end: int) -> bool:
    """Whether ``find_frequencies`` can find a recurrence in ``text[start:end]``, an NFC
    text whose case-folding is ``low`` with the same offsets (so one document's text is
    folded once, not each sentence of it). False is exact: no match of the recurrence
    pattern starts where ``low`` has no opening (``_openings_scan``). Most sentences that
    hold "tháng" or "năm" hold them in a date ("ngày 15 tháng 12 năm 2024"), where no
    opening is."""
    return _frequency_opening().search(low, start, end) is not None


def _frequency_matches(text: str, low: str) -> Iterator[regex.Match[str]]:
    """``_frequency_regex().finditer(text)``, tried only where an opening syllable is
    (``_FREQ_OPENING``)."""
    return _openings_scan(_frequency_regex(), _frequency_opening(), text, low)


def _fold_bare(found: list[FrequencyMention]) -> list[FrequencyMention]:
    """Drop a bare "định kỳ" that a specific phrase follows within a few characters."""
    out: list[FrequencyMention] = []
    for i, m in enumerate(found):
        nxt = found[i + 1] if i + 1 < len(found) else None
        if m.bare and nxt is not None and not nxt.bare and nxt.start - m.end <= 4:
            out.append(FrequencyMention(m.start, nxt.end, nxt.frequency))
            continue
        if out and not m.bare and out[-1].end >= m.end:
            continue  # already merged into the previous bare mention
        out.append(m)
    return out


def frequency_before(
    mentions: list[FrequencyMention], pos: int, floor: int = 0
) -> Frequency | None:
    """The last recurrence mentioned in ``[floor, pos)``, or None."""
    best: Frequency | None = None
    for m in mentions:
        if floor <= m.start and m.end <= pos:
            best = m.frequency
    return best


# --- deadlines --------------------------------------------------------------------------------


def month_day_value(
    month: int, day: int, *, recurring: bool, doc_date: dt.date | None, next_year: bool = False
) -> str | None:
    """Value of a deadline written as day and month without a year.

    Args:
        month: 1-12.
        day: 1-31.
        recurring: the duty recurs, so the deadline is a ``gMonthDay``.
        doc_date: the document's date, for one-off deadlines.
        next_year: the text says "năm sau" (next year).

    Returns:
        ``"--MM-DD"`` for recurring deadlines (or when no document date is known),
        ``"YYYY-MM-DD"`` for one-off ones, None when the day does not exist.

    Example:
        >>> month_day_value(1, 15, recurring=False, doc_date=dt.date(2024, 12, 20))
        '2025-01-15'
    """
    try:
        dt.date(2000, month, day)  # leap year: accepts 29/2
    except ValueError:
        return None
    if recurring or doc_date is None:
        return f"--{month:02d}-{day:02d}"
    year = doc_date.year + (1 if next_year else 0)
    try:
        when = dt.date(year, month, day)
    except ValueError:  # 29/2 in a common year
        when = dt.date(year, month, 28)
    if when < doc_date and not next_year:
        try:
            when = dt.date(year + 1, month, day)
        except ValueError:
            when = dt.date(year + 1, month, 28)
    return when.isoformat()


@cache
def _helper_regexes() -> dict[str, regex.Pattern[str]]:
    """Small patterns used per deadline, compiled once."""
    return {
        # Suffixes after a date that make it recur: "hằng tháng", "của tháng sau".
        "monthly_suffix": _ci(_EVERY + r"\s+tháng|tháng\s+(?:sau|tiếp|báo)"),
        "yearly_suffix": _ci(_EVERY + r"\s+năm"),
        # "năm sau", "năm tiếp theo", "năm kế tiếp": the date is in the next year.
        "next_year": _ci(r"năm\s+(?:sau|tiếp|kế)"),
        # "ngày" (or "hôm") right before a bare day number.
        "day_word_before": _ci(r"(?:ngày|hôm)\s*$"),
        # Any digit: every dated or period deadline has one.
        "digit": regex.compile(r"\d", regex.V1),
    }


def _suffix_frequency(suffix: str) -> Frequency | None:
    low = suffix.casefold()
    if "quý" in low:
        return Frequency.QUARTERLY
    if _helper_regexes()["monthly_suffix"].search(low):
        return Frequency.MONTHLY
    if _helper_regexes()["yearly_suffix"].search(low):
        return Frequency.YEARLY
    return None


@dataclass(frozen=True, slots=True)
class _Hit:
    """One raw deadline phrase before its recurrence is known."""

    start: int
    end: int
    kind: str  # "full", "md" (day and month), "day" (day only), "delegated"
    day: int = 0
    month: int = 0
    year: int = 0
    suffix: str = ""
    coordinated: bool = False  # shares the marker (and recurrence) of the date before


def _hit_from_match(m: regex.Match[str]) -> _Hit | None:
    suffix = m.group("suffix") or ""
    end = m.end() if suffix.strip() else m.end() - len(suffix)
    if m.group("full") is not None:
        hit = _Hit(
            m.start(), end, "full", int(m.group("d")), int(m.group("m")), int(m.group("y")), suffix
        )
    elif m.group("md") is not None:
        hit = _Hit(
            m.start(),
            end,
            "md",
            int(m.group("d")),
            int(m.group("m") or m.group("m2")),
            suffix=suffix,
        )
    else:
        # A bare day needs "ngày" before it or a recurrence after it ("ngày 25 hằng tháng").
        said_day = (
            _helper_regexes()["day_word_before"].search(m.string, m.start(), m.start("donly"))
            is not None
        )
        if not (said_day or suffix.strip()):
            return None
        hit = _Hit(m.start(), end, "day", int(m.group("donly")), suffix=suffix)
    return hit if _valid(hit) else None


def _hit_from_period(m: regex.Match[str]) -> _Hit | None:
    """ "hoàn thành trong quý III/2025": the last day of that period."""
    try:
        if m.group("pm"):
            year, month = int(m.group("pmy")), int(m.group("pm"))
            last = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
        elif m.group("pq"):
            q = _ROMAN_Q[m.group("pq").casefold()]
            year = int(m.group("pqy"))
            last = dt.date(year + q // 4, 3 * q % 12 + 1, 1) - dt.timedelta(days=1)
        else:
            last = dt.date(int(m.group("py")), 12, 31)
    except ValueError:
        return None
    end = m.start() + len(m.group(0).rstrip(" ,"))  # "Trong năm 2024, " ends at the year
    return _Hit(m.start(), end, "full", last.day, last.month, last.year)


def _coordinated(text: str, head: _Hit) -> list[_Hit]:
    """Dates after ``head`` that share its marker ("trước ngày 10/6 và ngày 10/12")."""
    out: list[_Hit] = []
    pos = head.end
    while m := _coordinated_regex().match(text, pos):
        hit = _hit_from_match(m)
        if hit is None:
            break
        out.append(replace(hit, start=m.end("conn"), coordinated=True))
        pos = hit.end
    return out


def _valid(hit: _Hit) -> bool:
    if not 1 <= hit.day <= 31:
        return False
    if hit.kind == "full":
        try:
            dt.date(hit.year, hit.month, hit.day)
        except ValueError:
            return False
    return hit.kind != "md" or 1 <= hit.month <= 12


def _excluded(text: str, marker_start: int) -> bool:
    before = text[max(0, marker_start - 40) : marker_start]
    return _not_deadline_regex().search(before) is not None


def _build(text: str, hit: _Hit, freq: Frequency | None, doc_date: dt.date | None) -> Deadline:
    phrase = text[hit.start : hit.end]
    if hit.kind == "delegated":
        return Deadline(hit.start, hit.end, phrase, None, freq, delegated=True)
    if hit.kind == "full":
        value = dt.date(hit.year, hit.month, hit.day).isoformat()
        return Deadline(hit.start, hit.end, phrase, value, freq or Frequency.ONCE)
    if hit.kind == "md":
        recurring = freq is not None and freq is not Frequency.ONCE
        next_year = _helper_regexes()["next_year"].search(hit.suffix) is not None
        md_value = month_day_value(
            hit.month, hit.day, recurring=recurring, doc_date=doc_date, next_year=next_year
        )
        if not recurring and md_value is not None and not md_value.startswith("--"):
            freq = Frequency.ONCE
        elif freq is Frequency.PERIODIC:
            freq = Frequency.YEARLY  # a recurring day-and-month comes back every year
        return Deadline(hit.start, hit.end, phrase, md_value, freq)
    if freq not in (Frequency.MONTHLY, Frequency.QUARTERLY):
        freq = Frequency.QUARTERLY if "quý" in hit.suffix else Frequency.MONTHLY
    return Deadline(hit.start, hit.end, phrase, None, freq, day=hit.day)


def find_deadlines(text: str, *, doc_date: dt.date | None = None) -> list[Deadline]:
    """Every deadline in one sentence, each with its own recurrence.

    The recurrence of a deadline is, in order: the last recurrence phrase between the
    previous deadline and this one ("gửi báo cáo 6 tháng đầu năm … trước ngày 30 tháng 5
    và báo cáo năm … trước ngày 15 tháng 12"); a suffix after the date or after the last
    date sharing its marker ("trước ngày 10/6 và ngày 10/12 hằng năm"); the first
    recurrence phrase of the sentence; else ONCE for a dated one-off. Dates sharing one
    marker keep the recurrence context of the first ("định kỳ 6 tháng … trước ngày 10/6
    và ngày 10/12 hằng năm": both half-yearly).

    Args:
        text: one sentence (NFD input is normalised; offsets then refer to its NFC form).
        doc_date: issue date of the document, for one-off deadlines without a year.

    Returns:
        Deadlines in text order; delegated ones have ``delegated=True``.

    Example:
        >>> [d.value for d in find_deadlines("hằng năm gửi báo cáo trước ngày 15/12")]
        ['--12-15']
    """
    text = unicodedata.normalize("NFC", text)
    hits = _hits(text)
    if not hits:
        return []
    mentions = find_frequencies(text)
    sentence_freq = mentions[0].frequency if mentions else None
    found: list[Deadline] = []
    floor = head_floor = 0
    paired: list[Frequency] = []
    for i, hit in enumerate(hits):
        if hit.coordinated:
            floor = head_floor  # coordinated dates keep the recurrence context of the first
        else:
            head_floor = floor
            paired = _paired_frequencies(text, mentions, hits, i, floor)
        # The hit and the run of coordinated dates right after it (no slicing of
        # ``hits``: a run-on sentence with thousands of dates made that quadratic).
        group = [hit]
        j = i + 1
        while j < len(hits) and hits[j].coordinated:
            group.append(hits[j])
            j += 1
        suffix = next((_suffix_frequency(h.suffix) for h in group if h.suffix.strip()), None)
        local = paired.pop(0) if paired else frequency_before(mentions, hit.start, floor)
        found.append(_build(text, hit, local or suffix or sentence_freq, doc_date))
        floor = hit.end
    return found


def _paired_frequencies(
    text: str, mentions: list[FrequencyMention], hits: list[_Hit], i: int, floor: int
) -> list[Frequency]:
    """Recurrences listed in the same order as the dates sharing ``hits[i]``'s marker.

    "Định kỳ 06 tháng và hằng năm, … trước ngày 15/6 và 15/12": the half-yearly report is
    due on 15/6 and the yearly one on 15/12. Only when the last list of recurrences
    before the marker has as many items as the dates (else the whole list governs each).
    """
    count = 1
    while i + count < len(hits) and hits[i + count].coordinated:
        count += 1
    if count < 2:
        return []
    listed = _last_list(text, [m for m in mentions if floor <= m.start and m.end <= hits[i].start])
    if len(listed) != count or len({m.frequency for m in listed}) != count:
        return []
    return [m.frequency for m in listed]


def _last_list(text: str, mentions: list[FrequencyMention]) -> list[FrequencyMention]:
    """The last run of recurrences joined by "và", "hoặc" or a comma ("6 tháng và hằng năm")."""
    run: list[FrequencyMention] = []
    for m in mentions:
        if run and _list_joiner().fullmatch(text, run[-1].end, m.start):
            run.append(m)
        else:
            run = [m]
    return run


@cache
def _list_joiner() -> regex.Pattern[str]:
    # What joins the items of a list: a comma and/or "và" / "hoặc".
    return _ci(r"\s*,?\s*(?:(?:và|hoặc)\s+)?")


def _hits(text: str) -> list[_Hit]:
    """Dated deadlines, period deadlines and delegations, in text order, not overlapping."""
    hits: list[_Hit] = []
    # Dated and period deadlines all have a digit; a delegation starts with "theo"/"đúng".
    # Most sentences have neither, so the patterns below are not run on them.
    low = text.casefold()
    if _helper_regexes()["digit"].search(text) is not None:
        hits.extend(_dated_hits(text, low))
    if "theo" in low or "đúng" in low:
        hits.extend(_Hit(s, e, "delegated") for s, e in find_delegations(text))
    hits.sort(key=lambda h: (h.start, -h.end))
    out: list[_Hit] = []
    for h in hits:
        if not out or h.start >= out[-1].end:
            out.append(h)
    return out


def _dated_hits(text: str, low: str) -> list[_Hit]:
    """Deadlines written with a date or a period ("trước ngày 15/12", "trong quý III/2025").

    ``low`` is ``text.casefold()``.
    """
    hits: list[_Hit] = []
    if any(w in low for w in _MARKER_WORDS):
        hits.extend(_marked_hits(text, low))
    if _may_have_period(low):
        for m in _period_deadline_regex().finditer(text):
            period_hit = _hit_from_period(m)
            if period_hit is not None:
                hits.append(period_hit)
    return hits


# Every marker of a dated deadline holds one of these (case-folded) words, and every
# period deadline "trong" or "vào": a sentence with none of them is not scanned.
_MARKER_WORDS = ("trước", "nhất", "không", "hạn")
# A period deadline also holds what is due by then (``_period_deadline_regex``): "hoàn
# thành", "xong" or "thời hạn". Most sentences with "trong" have none of them.
_PERIOD_VERBS = ("thành", "xong", "hạn")
# What ``find_deadlines`` needs to find anything (``_hits``), as groups of case-folded
# syllables like ``FREQUENCY_SYLLABLES``. A dated or period deadline: a marker word or
# "trong" / "vào", and a digit (``DATED_SYLLABLES``). A delegation: "theo" / "đúng" and
# "thời gian / thời hạn / mốc thời gian", "tiến độ" or "yêu cầu"
# (``DELEGATION_SYLLABLES``, read off ``_DELEGATION``).
DATED_SYLLABLES: tuple[tuple[str, ...], ...] = tuple((w,) for w in (*_MARKER_WORDS, "trong", "vào"))
DELEGATION_SYLLABLES: tuple[tuple[str, ...], ...] = tuple(
    (a, b) for a in ("theo", "đúng") for b in ("thời", "tiến", "yêu")
)


def _may_have_period(low: str) -> bool:
    """Whether ``_period_deadline_regex`` can match the text whose case-folding is ``low``."""
    return ("trong" in low or "vào" in low) and any(w in low for w in _PERIOD_VERBS)


def _marked_hits(text: str, low: str) -> list[_Hit]:
    """Deadlines after a marker ("trước ngày 15/12"), with the dates sharing it.

    ``low`` is ``text.casefold()``.
    """
    hits: list[_Hit] = []
    for m in _deadline_matches(text, low):
        hit = _hit_from_match(m)
        if hit is not None and not _excluded(text, m.start()):
            hits.append(hit)
            if hit.kind != "day":
                hits.extend(_coordinated(text, hit))
    return hits


# The first word of every alternative of ``_MARKER`` (case-folded): a deadline can start
# only where one of them is.
_MARKER_OPENING = r"chậm|muộn|không|hạn|thời|hoàn|xong|trước"


@cache
def _marker_opening() -> re.Pattern[str]:
    return re.compile(_MARKER_OPENING)


def _deadline_matches(text: str, low: str) -> Iterator[regex.Match[str]]:
    """``_deadline_regex().finditer(text)``, tried only where a marker's first word is."""
    return _openings_scan(_deadline_regex(), _marker_opening(), text, low)


def find_delegations(text: str) -> list[tuple[int, int]]:
    """Phrases that hand the deadline over to another document, as ``(start, end)``.

    Example:
        >>> t = "gửi Bộ Nội vụ theo thời gian đề nghị"
        >>> [t[s:e] for s, e in find_delegations(t)]
        ['theo thời gian đề nghị']
    """
    text = unicodedata.normalize("NFC", text)
    return [(m.start(), m.end()) for m in _delegation_regex().finditer(text)]


# --- periods ----------------------------------------------------------------------------------


def find_periods(text: str) -> list[Period]:
    """Periods a duty covers: "giai đoạn 2021-2025", "quý I/2025", "từ … đến …".

    Example:
        >>> p = find_periods("giai đoạn 2021 - 2025")[0]
        >>> (p.first.isoformat(), p.last.isoformat())
        ('2021-01-01', '2025-12-31')
    """
    text = unicodedata.normalize("NFC", text)
    if "19" not in text and "20" not in text:
        return []  # every period has a year "19xx" / "20xx" (a date's included)
    found: list[Period] = _date_ranges(text)
    for kind, pat in _period_regexes().items():
        if kind in ("from", "to"):
            continue
        for m in pat.finditer(text):
            period = _period(kind, m)
            if period is not None:
                found.append(period)
    found.sort(key=lambda p: (p.start, -p.end))
    out: list[Period] = []
    for p in found:
        if not out or p.start >= out[-1].end:
            out.append(p)
    return out


def _date_ranges(text: str) -> list[Period]:
    pats = _period_regexes()
    out: list[Period] = []
    for m in pats["from"].finditer(text):
        a = date_regex().match(text, m.end())
        to = pats["to"].match(text, a.end()) if a else None
        b = date_regex().match(text, to.end()) if to else None
        if a is None or b is None:
            continue
        try:
            first = dt.date(int(a.group("y")), int(a.group("m")), int(a.group("d")))
            last = dt.date(int(b.group("y")), int(b.group("m")), int(b.group("d")))
        except ValueError:
            continue
        if first <= last:
            out.append(Period(m.start(), b.end(), first, last))
    return out


def _period(kind: str, m: regex.Match[str]) -> Period | None:
    try:
        first, last = _period_bounds(kind, m)
    except ValueError:
        return None
    if last < first:
        return None
    return Period(m.start(), m.end(), first, last)


def _period_bounds(kind: str, m: regex.Match[str]) -> tuple[dt.date, dt.date]:
    if kind == "range":
        return dt.date(int(m.group("y1")), 1, 1), dt.date(int(m.group("y2")), 12, 31)
    year = int(m.group("y"))
    if kind == "half":
        if m.group("h").casefold() == "đầu":
            return dt.date(year, 1, 1), dt.date(year, 6, 30)
        return dt.date(year, 7, 1), dt.date(year, 12, 31)
    if kind == "nine":
        return dt.date(year, 1, 1), dt.date(year, 9, 30)
    if kind == "quarter":
        q = _ROMAN_Q[m.group("q").casefold()]
        first = dt.date(year, 3 * q - 2, 1)
        nxt = dt.date(year + 1, 1, 1) if q == 4 else dt.date(year, 3 * q + 1, 1)
        return first, nxt - dt.timedelta(days=1)
    return dt.date(year, 1, 1), dt.date(year, 12, 31)
