"""Property tests (hypothesis) of the extractor and the outline parser on document-like text,
and a short coverage-guided run of the atheris harnesses in ``tests/fuzz/``.

The strategies build text the way official documents are laid out: header blocks,
"Số:" lines, place-and-date lines, numbered headings (I., 1., 1.1, a), đ), -, +),
citations, deadlines, tables (tabs), footnote markup, and the damage PDF extraction
does (broken lines, NFD, invisible characters, dash variants). Properties:

* ``extract_text``, ``parse_outline`` and ``parse_sections`` never raise;
* every span lies inside the source and quotes it exactly;
* the same input gives the same output;
* NFC and NFD forms of one text give the same documents, citations and sections;
* sections nest: unique numbers, a parent before its children, a child's span inside
  its parent's.

Inputs that once broke a property are kept as explicit examples (regression rows).
"""

from __future__ import annotations

import os
import shutil
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from ingest.clean import clean
from ingest.extract import extract_text
from ingest.models import FileResult, OutlineSection, Span
from ingest.outline import parse_outline, parse_sections

REPO = Path(__file__).parents[1]
if str(REPO) not in sys.path:  # benchmarks/ is not an installed package
    sys.path.insert(0, str(REPO))

from benchmarks.reliability_long import run_fuzzer  # noqa: E402

# Seconds for each atheris harness in the normal suite (two harnesses: 20 s in all).
FUZZ_SECONDS = int(os.environ.get("LUOCDO_FUZZ_SECONDS", "10"))

# --- strategies -------------------------------------------------------------------------------

PLACES = ["Hà Nội", "Hòa Bình", "Đắk Lắk", "Thừa Thiên Huế", "Bà Rịa - Vũng Tàu",
          "TP. Hồ Chí Minh"]
ISSUER_LINES = ["ỦY BAN NHÂN DÂN", "UỶ BAN NHÂN DÂN", "BỘ NỘI VỤ", "TỈNH ỦY",
                "BAN CHẤP HÀNH TRUNG ƯƠNG", "THỦ TƯỚNG CHÍNH PHỦ", "ĐẢNG CỘNG SẢN VIỆT NAM",
                "VĂN PHÒNG CHÍNH PHỦ"]
AUTHORS = ["Bộ Chính trị", "Thủ tướng Chính phủ", "Ban Bí thư", "Ủy ban nhân dân tỉnh"]
GAPS = ["", "\t", "   "]
MOTTO = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
         "Độc lập – Tự do – Hạnh phúc"]
TYPE_HEADINGS = ["CHỈ THỊ", "KẾ HOẠCH", "BÁO CÁO", "ĐỀ CƯƠNG BÁO CÁO", "CÔNG VĂN", "NGHỊ QUYẾT",
                 "QUYẾT ĐỊNH", "KẾT LUẬN", "THÔNG BÁO", "PHỤ LỤC", "CHƯƠNG TRÌNH"]
TYPE_WORDS = ["Chỉ thị", "Nghị quyết", "Quyết định", "Kết luận", "Kế hoạch", "Công văn",
              "Thông tư", "Nghị định", "Luật", "Quy định", "Hướng dẫn", "Báo cáo", "Tờ trình"]
STATE_CODES = ["CT", "NQ", "QĐ", "KH", "BC", "TT", "NĐ", "TTLT", "HD", "TB", "CTr", "QyĐ"]
PARTY_CODES = ["NQ", "CT", "KL", "QĐ", "QĐi", "HD", "TB", "CV", "BC", "KH"]
ISSUERS = ["TTg", "CP", "UBND", "BNV", "BCA", "BTC", "TW", "TU", "HU", "BCSĐCP", "VPCP",
           "BNV-CTTN", "UBND-VX", "BTGTU"]
DASHES = ["-", "–", "—", "‐", "−", " - ", "- "]
INVISIBLE = ["\u200b", "\u00ad", "\u00a0", "\ufeff", "\u2060", "\u200e"]
MARKUP = ["<sup>1</sup>", "<sup>12</sup>", "¹", "²", "**", "*", "_", "<b>", "</b>", "# ", "## "]
LETTERS = list("abcdđeghiklmnopqrstuvxy")
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XIV", "XX"]
WORDS = ["các", "cơ quan", "đơn vị", "thực hiện", "báo cáo", "kết quả", "công tác", "gửi",
         "Sở Nội vụ", "Ủy ban nhân dân tỉnh", "trước ngày", "chậm nhất", "định kỳ", "hằng năm",
         "hằng quý", "6 tháng", "tổng hợp", "trình", "Thủ tướng Chính phủ", "về việc", "năm",
         "giai đoạn 2021 - 2025", "căn cứ", "thay thế", "sửa đổi, bổ sung", "tiếp tục",
         "Nơi nhận:", "Kính gửi:", "Trên đây là", "V/v", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]

numbers = st.integers(min_value=0, max_value=99999).map(str)
years = st.sampled_from([1945, 1999, 2009, 2013, 2020, 2024, 2025, 2026, 9999, 0]).map(str)
days = st.integers(min_value=0, max_value=40).map(str)
months = st.integers(min_value=0, max_value=14).map(str)


@st.composite
def dates(draw: st.DrawFn) -> str:
    d, m, y = draw(days), draw(months), draw(years)
    sep = draw(st.sampled_from(["/", "-", ".", " / "]))
    forms = [f"ngày {d} tháng {m} năm {y}", f"{d}{sep}{m}{sep}{y}", f"ngày {d}{sep}{m}{sep}{y}",
             f"tháng {m} năm {y}", f"năm {y}", f"ngày {d.zfill(2)}/{m.zfill(2)}"]
    return draw(st.sampled_from(forms))


@st.composite
def symbols(draw: st.DrawFn) -> str:
    n = draw(numbers)
    dash = draw(st.sampled_from(DASHES))
    if draw(st.booleans()):
        code = draw(st.sampled_from(PARTY_CODES))
        return f"{n}{dash}{code}/{draw(st.sampled_from(ISSUERS))}"
    code = draw(st.sampled_from(STATE_CODES))
    year = f"{draw(years)}/" if draw(st.booleans()) else ""
    return f"{n}/{year}{code}{dash}{draw(st.sampled_from(ISSUERS))}"


@st.composite
def citations(draw: st.DrawFn) -> str:
    parts = [draw(st.sampled_from(TYPE_WORDS)), draw(st.sampled_from(["số", "số:", "", "Số"])),
             draw(symbols())]
    if draw(st.booleans()):
        parts.append(draw(dates()))
    if draw(st.booleans()):
        parts.append(f"của {draw(st.sampled_from(AUTHORS))}")
    if draw(st.booleans()):
        parts.append("về " + " ".join(draw(st.lists(st.sampled_from(WORDS), max_size=4))))
    return " ".join(p for p in parts if p)


@st.composite
def headings(draw: st.DrawFn) -> str:
    label = draw(st.sampled_from([
        f"{draw(st.sampled_from(ROMAN))}.", f"{draw(st.sampled_from(ROMAN))}-",
        f"{draw(st.integers(0, 30))}.", f"{draw(st.integers(0, 30))})",
        f"{draw(st.integers(0, 9))}.{draw(st.integers(0, 12))}",
        f"{draw(st.integers(0, 9))}.{draw(st.integers(0, 12))}.",
        f"{draw(st.sampled_from(LETTERS))})", f"{draw(st.sampled_from(LETTERS))}.", "-", "+", "•",
        "Điều 1.", f"Điều {draw(st.integers(0, 99))}.", "Chương I", "Mục 2",
    ]))
    indent = draw(st.sampled_from(["", " ", "\t", "   "]))
    title = " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=0, max_size=6)))
    if draw(st.booleans()):
        title = title.upper()
    return f"{indent}{label} {title}"


def _title(draw: st.DrawFn, upper: bool = False) -> str:
    words = draw(st.lists(st.one_of(st.sampled_from(WORDS), citations()), min_size=1, max_size=4))
    text = " ".join(words)
    return text.upper() if upper else text


@st.composite
def outline_blocks(draw: st.DrawFn) -> str:
    """A report outline numbered in sequence (I. → 1. → 1.1 / a) → - / +), as templates are."""
    out = [draw(st.sampled_from(["ĐỀ CƯƠNG BÁO CÁO", "ĐỀ CƯƠNG", "Đề cương báo cáo"])),
           _title(draw)]
    for i in range(draw(st.integers(1, 4))):
        out.append(f"{ROMAN[i]}. {_title(draw, upper=True)}")
        for j in range(1, draw(st.integers(0, 4)) + 1):
            out.append(f"{j}. {_title(draw)}")
            for k in range(1, draw(st.integers(0, 3)) + 1):
                label = draw(st.sampled_from([f"{j}.{k}", f"{LETTERS[k - 1]})"]))
                out.append(f"{label} {_title(draw)}")
                out.extend(f"{draw(st.sampled_from(['-', '+']))} {_title(draw)}"
                           for _ in range(draw(st.integers(0, 2))))
    return "\n".join(out)


@st.composite
def lines(draw: st.DrawFn) -> str:
    kind = draw(st.integers(0, 12))
    if kind == 12:
        return draw(outline_blocks())
    if kind == 0:
        return draw(st.sampled_from(ISSUER_LINES + MOTTO + TYPE_HEADINGS))
    if kind == 1:
        gap = draw(st.sampled_from(GAPS))
        return f"Số: {draw(symbols())}{gap}{draw(st.sampled_from(PLACES))}, {draw(dates())}"
    if kind == 2:
        return f"{draw(st.sampled_from(PLACES))}, {draw(dates())}"
    if kind in (3, 4):
        return draw(headings())
    if kind in (5, 6):
        before = " ".join(draw(st.lists(st.sampled_from(WORDS), max_size=5)))
        return f"{before} {draw(citations())}{draw(st.sampled_from(['.', ';', ',', '', ':']))}"
    if kind == 7:
        return "\t".join(draw(st.lists(st.one_of(st.sampled_from(WORDS), symbols(), dates()),
                                       min_size=2, max_size=5)))
    if kind == 8:
        return "".join(draw(st.lists(st.sampled_from(MARKUP + INVISIBLE + DASHES + WORDS),
                                     max_size=8)))
    if kind == 9:
        return draw(st.text(max_size=40))
    if kind == 10:
        return f"Trang {draw(st.integers(0, 20))}/{draw(st.integers(0, 20))}"
    end = draw(st.sampled_from([".", "", ";", ":"]))
    return " ".join(draw(st.lists(st.sampled_from(WORDS), max_size=12))) + end


@st.composite
def documents(draw: st.DrawFn) -> str:
    body = draw(st.lists(lines(), max_size=30))
    sep = draw(st.sampled_from(["\n", "\r\n", "\n\n", "\n \n", "\r"]))
    text = sep.join(body)
    if draw(st.booleans()):
        # PDF damage: a line broken in the middle of a word or symbol.
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(["\n", "-\n", " \n"])) + text[at:]
    return unicodedata.normalize("NFD", text) if draw(st.integers(0, 2)) == 0 else text


# --- checks -----------------------------------------------------------------------------------


def assert_span(source: str, span: Span, what: str) -> None:
    assert 0 <= span.start <= span.end <= len(source), (what, span)
    assert source[span.start:span.end] == span.text, (what, span)


def assert_spans(source: str, result: FileResult) -> None:
    for d in result.documents:
        assert_span(source, d.span, "document")
        for c in d.citations:
            assert_span(source, c.span, "citation")
        for r in d.relations:
            assert_span(source, r.span, "relation")
        for o in d.obligations:
            assert_span(source, o.span, "obligation")
        for s in d.outline:
            assert_span(source, s.span, "section")
        for sub in d.submissions:
            assert_span(source, sub.span, "submission")
        for e in d.evidence:
            assert_span(source, e.span, e.field)


def assert_tree(source: str, sections: list[OutlineSection]) -> None:
    by_number: dict[str, OutlineSection] = {}
    for s in sections:
        assert_span(source, s.span, f"section {s.number}")
        assert s.number not in by_number, f"section {s.number} twice"
        if s.parent is not None:
            parent = by_number.get(s.parent)
            assert parent is not None, f"section {s.number} before its parent {s.parent}"
            assert parent.span.start <= s.span.start and s.span.end <= parent.span.end, (
                f"section {s.number} {s.span.start}-{s.span.end} outside its parent "
                f"{parent.number} {parent.span.start}-{parent.span.end}"
            )
        by_number[s.number] = s


def facts(result: FileResult) -> list[tuple[object, ...]]:
    """What must not depend on the normalisation form: documents, citations, sections."""
    return [
        (d.key, d.symbol, d.doc_type, d.date,
         tuple((c.key, c.symbol, c.date, c.relation) for c in d.citations),
         tuple((s.number, s.parent, s.references) for s in d.outline))
        for d in result.documents
    ]


# --- properties -------------------------------------------------------------------------------

# Examples per property; benchmarks/reliability_long.py raises it for the long run, and
# shrinks failures there (shrinking a failing document takes minutes: the normal suite
# reports the example as found; the minimal inputs are kept as explicit rows below).
EXAMPLES = int(os.environ.get("LUOCDO_HYPOTHESIS_EXAMPLES", "40"))
SHRINK = os.environ.get("LUOCDO_HYPOTHESIS_SHRINK") == "1"
SETTINGS = settings(
    max_examples=EXAMPLES, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    phases=[p for p in Phase if SHRINK or p is not Phase.shrink],
)


@SETTINGS
@given(documents())
def test_extract_never_raises_and_spans_quote_the_source(text: str) -> None:
    result = extract_text(text, "tệp thử.txt")
    assert result.source_text == text
    assert_spans(text, result)
    for d in result.documents:
        assert_tree(text, list(d.outline))


@SETTINGS
@given(documents())
def test_extract_is_deterministic(text: str) -> None:
    assert extract_text(text, "a.txt") == extract_text(text, "a.txt")


@SETTINGS
@given(documents())
def test_nfc_and_nfd_give_the_same_facts(text: str) -> None:
    nfc = unicodedata.normalize("NFC", text)
    nfd = unicodedata.normalize("NFD", text)
    assert facts(extract_text(nfd)) == facts(extract_text(nfc))


@SETTINGS
@given(documents(), st.integers(-5, 5000), st.integers(-5, 5000))
def test_outline_parsers_on_any_range(text: str, a: int, b: int) -> None:
    mt = clean(text)
    n = len(mt.text)
    valid = ((0, n), (min(max(0, min(a, b)), n), min(max(a, b), n)))
    for lo, hi in valid:
        sections = parse_sections(mt, lo, hi, ())
        assert_tree(text, sections)
        assert sections == parse_sections(mt, lo, hi, ())
        assert_tree(text, parse_outline(mt, lo, hi, ()))
    # Out-of-order or negative ranges: no crash, and spans still quote the source.
    for s in [*parse_sections(mt, a, b, ()), *parse_outline(mt, a, b, ())]:
        assert_span(text, s.span, f"section {s.number}")


# Inputs that broke a property (found by the hypothesis run above), kept as rows.
DUPLICATE_NUMBERS = [
    pytest.param("1.1 Kết quả\n1. Nhiệm vụ", id="sub-heading-then-heading"),
    pytest.param("1.1 các\nII. CÁC\n1. cá", id="found-by-hypothesis"),
    pytest.param("ĐỀ CƯƠNG BÁO CÁO\n1.1 Kết quả thực hiện\n1. Nhiệm vụ năm sau\n2. Kiến nghị",
                 id="outline-template"),
    # A "1.1" under the repeated "1." named the first "1" as its parent, outside its span.
    pytest.param("4.1 các\n- các\n4.2 các\n1. các\n1.1 các", id="child-of-repeated-path"),
    pytest.param("1.1 các\n- các\n1. cá\n1.1 các\n2. hai\n2.1 x", id="repeated-path-then-more"),
]


@pytest.mark.parametrize("text", DUPLICATE_NUMBERS)
def test_section_numbers_are_unique(text: str) -> None:
    """A "1.1" heading before any "1." got the number "1", and so did the "1." after it:
    both became one RDF node (``<doc>/section/1``) with two titles."""
    mt = clean(text)
    numbers = [s.number for s in parse_sections(mt, 0, len(mt.text), ())]
    assert len(numbers) == len(set(numbers)), numbers


@pytest.mark.parametrize("text", DUPLICATE_NUMBERS)
def test_repeated_paths_keep_children_inside_their_parent(text: str) -> None:
    mt = clean(text)
    assert_tree(text, parse_sections(mt, 0, len(mt.text), ()))


def test_report_sections_are_unique_end_to_end() -> None:
    report = (
        "ỦY BAN NHÂN DÂN\nHUYỆN TAM LẠC\nSố: 45/BC-UBND\tTam Lạc, ngày 10 tháng 6 năm 2024\n"
        "BÁO CÁO\nKết quả công tác văn thư 6 tháng đầu năm 2024\n"
        "1.1 Kết quả đạt được\nCác cơ quan đã rà soát hồ sơ.\n"
        "1. Nhiệm vụ thời gian tới\nTiếp tục thực hiện.\n"
    )
    (doc,) = extract_text(report).documents
    numbers = [s.number for s in doc.sections]
    assert len(numbers) == len(set(numbers)), numbers


@settings(max_examples=5 * EXAMPLES, deadline=None)
@given(st.text(max_size=300))
def test_any_text_at_all(text: str) -> None:
    result = extract_text(text)
    assert_spans(text, result)
    assert_tree(text, parse_sections(clean(text), 0, len(text), ()))


# --- the atheris harnesses, briefly -----------------------------------------------------------


@pytest.mark.parametrize("harness", ["fuzz_extract.py", "fuzz_outline.py"])
def test_atheris_harness_short_run(tmp_path: Path, harness: str) -> None:
    pytest.importorskip("atheris", reason="atheris is not installed (pip install atheris)")
    report = run_fuzzer(harness, FUZZ_SECONDS, tmp_path)
    print(f"\n{harness}: {report.executions} executions in {FUZZ_SECONDS} s")
    if report.returncode != 0 or report.crashes:
        kept = REPO / "benchmarks" / "out" / "fuzz-crashes"
        kept.mkdir(parents=True, exist_ok=True)
        for name in report.crashes:
            shutil.copy(tmp_path / name, kept / f"{harness}-{name}")
        pytest.fail(f"{harness} found {report.crashes or 'a failure'} (inputs copied to {kept})")
    assert report.executions > 0
