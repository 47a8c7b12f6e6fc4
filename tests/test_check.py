"""graph.check: a draft report against the outline it must follow and the graph's citations.

The sample draft (ingest/samples/drafts/draft_incomplete.txt) is deliberately incomplete:
per the sample README it lacks section V, puts III.3 before III.2, does not cite
124-QĐ/TW / 125-QĐ/TW in III.4, and dates 15/CT-TTg 21/4/2024 (the graph knows 12/4/2024).
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any, Literal

import pytest

from graph.check import (
    CheckReport,
    DraftSection,
    check_draft,
    match_sections,
    out_of_order,
    title_similarity,
)
from graph.reports import Evidence, SectionFact, title_tokens
from graph.trace import UnknownSymbol

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
SAMPLES = ROOT / "ingest" / "samples"
DRAFT = SAMPLES / "drafts" / "draft_incomplete.txt"
SEED_002 = "002_53c9a83512b58783.txt"


def _store(paths: list[Path]) -> Any:
    """A fresh in-memory store holding ``paths`` (every test builds its own)."""
    from graph.pipeline import ingest_paths
    from graph.store import open_store

    store = open_store(":memory:")
    ingest_paths(store, [str(p) for p in paths])
    return store


def _samples() -> Any:
    return _store(sorted(SAMPLES.glob("*.txt")))


# --- pure helpers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "low", "high"),
    [
        ("KẾT QUẢ THỰC HIỆN", "Kết quả thực hiện", 1.0, 1.0),  # case and diacritics folded
        ("KIẾN NGHỊ, ĐỀ XUẤT", "Kiến nghị và đề xuất", 1.0, 1.0),  # "và" is not content
        ("Ưu điểm", "Hạn chế, khó khăn", 0.0, 0.0),
        ("Kết quả thực hiện Quyết định số 17/2024/QĐ-TTg ngày 03/7/2024",
         "Thực hiện Quyết định số 17/2024/QĐ-TTg, xã phân công công chức", 0.5, 1.0),
        ("", "Ưu điểm", 0.0, 0.0),
    ],
)
def test_title_similarity(a: str, b: str, low: float, high: float) -> None:
    score = title_similarity(title_tokens(a), title_tokens(b), {})
    assert low <= score <= high


def _outline(number: str, title: str) -> SectionFact:
    return SectionFact(f"o/{number}", "o", "d", "o", number, title, None, (), None)


def _draft(number: str, title: str, start: int, end: int) -> DraftSection:
    ev = Evidence("x", start, start + 1, "x")
    return DraftSection(number, title, start, end, frozenset(), ev)


def test_matching_follows_titles_when_the_draft_renumbers() -> None:
    outline = [
        _outline("I", "ĐẶC ĐIỂM TÌNH HÌNH"),
        _outline("II", "KẾT QUẢ THỰC HIỆN"),
        _outline("III", "NHIỆM VỤ GIẢI PHÁP"),
        _outline("IV", "KIẾN NGHỊ ĐỀ XUẤT"),
    ]
    draft = [
        _draft("I", "Đặc điểm, tình hình", 0, 10),
        _draft("II", "Kết quả thực hiện", 10, 20),
        _draft("III", "Kiến nghị, đề xuất", 20, 30),  # renumbered: III is the outline's IV
    ]
    matches = match_sections(outline, draft)
    assert [(m.outline.number, m.draft.number) for m in matches] == [
        ("I", "I"), ("II", "II"), ("IV", "III"),
    ]


def test_out_of_order_names_the_earlier_sibling() -> None:
    titles = (("III", "KẾT QUẢ"), ("III.1", "Cổng trực tuyến"), ("III.2", "Quyết định 17"),
              ("III.3", "Chương trình 05"))
    outline = [_outline(n, t) for n, t in titles]
    draft = [
        _draft("III", "Kết quả", 0, 100),
        _draft("III.1", "Cổng trực tuyến", 10, 20),
        _draft("III.3", "Chương trình 05", 20, 30),
        _draft("III.2", "Quyết định 17", 30, 40),
    ]
    found = out_of_order(match_sections(outline, draft))
    assert [(o.number, o.before) for o in found] == [("III.3", "III.2")]


# --- the sample draft ---------------------------------------------------------------------------


def _summary(report: CheckReport) -> dict[str, Any]:
    return {
        "missing": [s.number for s in report.missing],
        "out_of_order": [(o.number, o.before) for o in report.out_of_order],
        "missing_references": sorted((r.number, r.symbol) for r in report.missing_references),
        "citation_issues": [(i.kind, i.symbol, i.written, tuple(v.value for v in i.expected))
                            for i in report.citation_issues],
    }


EXPECTED_DRAFT = {
    "missing": ["V"],
    "out_of_order": [("III.3", "III.2")],
    "missing_references": [("III.4", "124-QĐ/TW"), ("III.4", "125-QĐ/TW")],
    "citation_issues": [("date", "15/CT-TTg", "2024-04-21", ("2024-04-12",))],
}


def test_sample_draft_findings() -> None:
    report = check_draft(_samples(), DRAFT, "2215/BNV-CQĐP")
    assert _summary(report) == EXPECTED_DRAFT
    assert report.needs_action
    assert {m.outline.number for m in report.matches} >= {"III.2", "III.3", "VI"}
    issue = report.citation_issues[0]
    assert issue.evidence.quote is not None and "21/4/2024" in issue.evidence.quote
    assert DRAFT.read_text(encoding="utf-8")[issue.evidence.start : issue.evidence.end] == (
        issue.evidence.quote
    )


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_sample_draft_as_text(form: Literal["NFC", "NFD"]) -> None:
    """The draft given as text (NFC or decomposed NFD) gives the same findings."""
    text = unicodedata.normalize(form, DRAFT.read_text(encoding="utf-8"))
    report = check_draft(_samples(), text, unicodedata.normalize(form, "2215/bnv-cqđp"))
    assert _summary(report) == EXPECTED_DRAFT


def test_an_ingested_draft_is_not_evidence_against_itself() -> None:
    """Regression: with the draft ingested too, its own wrong date made a graph conflict."""
    store = _store([*sorted(SAMPLES.glob("*.txt")), DRAFT])
    report = check_draft(store, DRAFT, "2215/BNV-CQĐP")
    assert _summary(report)["citation_issues"] == EXPECTED_DRAFT["citation_issues"]


def test_unknown_symbol() -> None:
    with pytest.raises(UnknownSymbol):
        check_draft(_samples(), DRAFT, "9999/BNV-XYZ")


# A small draft of our own against the seed outline of 1432/BNV-CTTN: 76/NQ-CP is cited
# with the date the graph itself disputes (15/7 vs 25/7/2021), and "67/NQ-CP" with the
# date of 76/NQ-CP (a transposed number).
SEED_DRAFT = """BÁO CÁO
Kết quả công tác dân vận năm 2023

I. KHÁI QUÁT CHUNG
Địa phương có 12 xã.

III. KẾT QUẢ THỰC HIỆN
5. Kết quả cải cách hành chính theo Nghị quyết số 76/NQ-CP ngày 25/7/2021 của Chính phủ.
6. Số hóa hồ sơ theo Nghị quyết số 67/NQ-CP ngày 15/7/2021 của Chính phủ.
"""


def test_seed_graph_conflict_is_reported_not_asserted() -> None:
    if not SEEDS.is_dir():
        pytest.skip(f"seed folder {SEEDS} is absent (it lives beside the repository)")
    report = check_draft(_store(sorted(SEEDS.glob("*.txt"))), SEED_DRAFT, "1432/BNV-CTTN")
    kinds = {(i.kind, i.symbol): i for i in report.citation_issues}
    note = kinds[("graph_conflict", "76/NQ-CP")]
    assert {v.value for v in note.expected} == {"2021-07-15", "2021-07-25"}
    assert ("date", "76/NQ-CP") not in kinds
    number = kinds[("number", "67/NQ-CP")]
    assert [v.value for v in number.expected] == ["76/NQ-CP"]
    assert "II" in [s.number for s in report.missing]


# --- the command line ---------------------------------------------------------------------------


def _cli() -> Any:
    """A fresh command group with ``ingest`` and the report commands (no global state)."""
    import click

    from api.cli_common import CliContext
    from api.cli_graph import ingest
    from api.cli_reports import register

    @click.group()
    @click.option("--lang", type=click.Choice(["vi", "en"]), default="vi")
    @click.pass_context
    def cli(ctx: click.Context, lang: str) -> None:
        ctx.obj = CliContext(lang=lang)

    cli.add_command(ingest)
    register(cli)
    return cli


def _run(*args: str) -> Any:
    from click.testing import CliRunner

    return CliRunner().invoke(_cli(), list(args))


def test_cli_check_exit_codes_and_languages(tmp_path: Path) -> None:
    spec = str(tmp_path / "store")
    ingest = _run("ingest", "--store", spec, *[str(p) for p in sorted(SAMPLES.glob("*.txt"))])
    assert ingest.exit_code == 0, ingest.output
    as_json = _run("check", str(DRAFT), "--against", "2215/BNV-CQĐP", "--json", "--store", spec)
    assert as_json.exit_code == 1, as_json.output
    assert [s["number"] for s in json.loads(as_json.output)["missing"]] == ["V"]
    vi = _run("check", str(DRAFT), "--against", "2215/BNV-CQĐP", "--store", spec)
    assert vi.exit_code == 1 and "Mục còn thiếu" in vi.output
    en = _run("--lang", "en", "check", str(DRAFT), "--against", "2215/BNV-CQĐP", "--store", spec)
    assert en.exit_code == 1 and "Missing sections" in en.output
    unknown = _run("check", str(DRAFT), "--against", "9999/XYZ-ABC", "--store", spec)
    assert unknown.exit_code == 2
