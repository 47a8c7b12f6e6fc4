"""graph.trace: from a report-outline section to its rules, chain and obligations."""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from graph.reports import DocFact, Evidence, SectionFact
from graph.trace import (
    AmbiguousSymbol,
    UnknownSection,
    UnknownSymbol,
    find_section,
    normalise_number,
    resolve_document,
    trace,
)

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
SAMPLES = ROOT / "ingest" / "samples"
SEED_002 = "002_53c9a83512b58783.txt"


def _store(paths: list[Path]) -> Any:
    """A fresh in-memory store holding ``paths`` (every test builds its own)."""
    from graph.pipeline import ingest_paths
    from graph.store import open_store

    store = open_store(":memory:")
    ingest_paths(store, [str(p) for p in paths])
    return store


def _seeds() -> list[Path]:
    if not SEEDS.is_dir():
        pytest.skip(f"seed folder {SEEDS} is absent (it lives beside the repository)")
    return sorted(SEEDS.glob("*.txt"))


@cache
def _source(path: str) -> str:
    from ingest.read import read_file

    return read_file(path).text


def _assert_evidence(ev: dict[str, Any] | None) -> None:
    """Evidence quotes the source text exactly at its offsets."""
    assert ev is not None
    assert _source(ev["source"])[ev["start"] : ev["end"]] == ev["quote"]


# --- pure helpers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "key"),
    [("III.8", "iii.8"), ("iii. 8.", "iii.8"), ("III 8", "iii.8"), ("III.4.b", "iii.4.b"),
     ("II", "ii"), ("III.5.-2", "iii.5.-2")],
)
def test_normalise_number(written: str, key: str) -> None:
    assert normalise_number(written) == key


def _doc(iri: str, symbol: str, key: str, *, evidence: bool = True, date: dt.date | None = None
         ) -> DocFact:
    ev = (Evidence("f.txt", 0, 3, "Số:"),) if evidence else ()
    return DocFact(iri, symbol, key, date, "cong-van", None, None, None, ev)


DOCS = {
    d.iri: d
    for d in (
        _doc("a23", "1432/BNV-CTTN", "1432/BNV-CTTN@2023", date=dt.date(2023, 4, 3)),
        _doc("a24", "1432/BNV-CTTN", "1432/BNV-CTTN@2024", date=dt.date(2024, 6, 1)),
        _doc("p", "1432/BNV-CTTN", "1432/BNV-CTTN", evidence=False),
        _doc("c", "03-CTr/BDVTW-BCSĐCP", "03-CTR/BDVTW-BCSDCP@2021", evidence=False),
        _doc("q", "205-QĐ/TW", "205-QDI/TW@2017", evidence=False),
    )
}


@pytest.mark.parametrize(
    ("symbol", "prefer", "expected"),
    [
        ("1432/BNV-CTTN@2023", None, "a23"),
        ("1432/bnv-cttn@2024", None, "a24"),
        ("1432/BNV-CTTN", {"a24"}, "a24"),  # only one has an outline attached
        ("03-ctr/bdvtw-bcsdcp", None, "c"),  # case and Đ/D folded
        (unicodedata.normalize("NFD", "03-CTr/BDVTW-BCSĐCP"), None, "c"),
        ("205-QĐi/TW", None, "q"),  # QĐ / QĐi written for the same Party "Quy định"
    ],
)
def test_resolve_document(symbol: str, prefer: set[str] | None, expected: str) -> None:
    chooser = (lambda d: d.iri in prefer) if prefer is not None else None
    assert resolve_document(None, symbol, docs=DOCS, prefer=chooser).iri == expected


def test_ambiguous_symbol_lists_candidates_by_date() -> None:
    with pytest.raises(AmbiguousSymbol) as err:
        resolve_document(None, "1432/BNV-CTTN", docs=DOCS)
    assert [d.key for d in err.value.candidates] == ["1432/BNV-CTTN@2023", "1432/BNV-CTTN@2024"]


def test_unknown_symbol() -> None:
    with pytest.raises(UnknownSymbol):
        resolve_document(None, "9999/XYZ-ABC", docs=DOCS)


def test_unknown_section_lists_the_outline() -> None:
    sections = [SectionFact(f"s{n}", "o", "d", "o", n, "t", None, (), None) for n in ("I", "II")]
    with pytest.raises(UnknownSection) as err:
        find_section(sections, "III.8")
    assert err.value.available == ("I", "II")


# --- the seeds ----------------------------------------------------------------------------------


def _rows(items: list[dict[str, Any]], *fields: str) -> list[tuple[Any, ...]]:
    return [tuple(item[f] for f in fields) for item in items]


def test_trace_seed_section_iii_8() -> None:
    store = _store([p for p in _seeds() if p.name == SEED_002])
    result = trace(store, "1432/BNV-CTTN", "III.8").as_dict()

    assert result["section"]["number"] == "III.8"
    assert "Mặt trận Tổ quốc Việt Nam" in result["section"]["title"]
    assert _rows(result["rules"], "symbol", "date", "role") == [
        ("217-QĐ/TW", "2013-12-12", "named_in_section"),
        ("218-QĐ/TW", "2013-12-12", "named_in_section"),
        ("1432/BNV-CTTN", "2023-04-03", "requires_report"),
    ]
    assert [r["key"] for r in result["rules"]] == [
        "217-QD/TW@2013", "218-QD/TW@2013", "1432/BNV-CTTN@2023",
    ]
    assert _rows(result["chain"], "symbol", "key", "type", "date", "relation") == [
        ("33/CT-TTg", "33/CT-TTG@2021", "chi-thi", "2021-11-26", "implements"),
    ]
    assert _rows(result["obligations"], "deadline", "frequency", "recipient") == [
        ("--05-30", "half-yearly", "Bộ Nội vụ"),
        ("--12-15", "yearly", "Bộ Nội vụ"),
    ]
    for item in [result["section"], *result["rules"], *result["chain"], *result["obligations"]]:
        _assert_evidence(item["evidence"])
    assert "217-QĐ/TW" in result["rules"][0]["evidence"]["quote"]
    assert "33/CT-TTg" in result["chain"][0]["evidence"]["quote"]


@pytest.mark.parametrize(
    "symbol",
    ["1432/bnv-cttn", "1432/BNV-CTTN@2023", unicodedata.normalize("NFD", "1432/BNV-CTTN")],
)
def test_trace_symbol_forms(symbol: str) -> None:
    store = _store([p for p in _seeds() if p.name == SEED_002])
    assert trace(store, symbol, "iii. 8").section.number == "III.8"


def test_trace_unknown_section_and_symbol() -> None:
    store = _store([p for p in _seeds() if p.name == SEED_002])
    with pytest.raises(UnknownSection) as err:
        trace(store, "1432/BNV-CTTN", "III.99")
    assert "III.8" in err.value.available
    with pytest.raises(UnknownSymbol):
        trace(store, "9999/BNV-CTTN", "III.8")


def test_trace_all_seeds_same_answer_for_iii_8() -> None:
    """With every seed ingested (more documents, more mentions) the trace is unchanged."""
    store = _store(_seeds())
    result = trace(store, "1432/BNV-CTTN", "III.8").as_dict()
    assert [r["symbol"] for r in result["rules"]] == ["217-QĐ/TW", "218-QĐ/TW", "1432/BNV-CTTN"]
    assert [h["symbol"] for h in result["chain"]] == ["33/CT-TTg"]
    assert [o["deadline"] for o in result["obligations"]] == ["--05-30", "--12-15"]


# --- the sample corpus --------------------------------------------------------------------------


def test_trace_sample_section_names_two_party_decisions() -> None:
    store = _store(sorted(SAMPLES.glob("*.txt")))
    result = trace(store, "2215/BNV-CQĐP", "III.4").as_dict()
    assert _rows(result["rules"], "symbol", "date", "role") == [
        ("124-QĐ/TW", "2023-08-18", "named_in_section"),
        ("125-QĐ/TW", "2023-08-18", "named_in_section"),
        ("2215/BNV-CQĐP", "2025-05-06", "requires_report"),
    ]
    assert result["chain"][0]["symbol"] == "15/CT-TTg"
    assert result["chain"][0]["relation"] == "implements"
    assert {o["deadline"] for o in result["obligations"]} >= {"--05-30", "--12-15"}
    for item in [*result["rules"], *result["chain"], *result["obligations"]]:
        _assert_evidence(item["evidence"])


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


def test_cli_trace_json_and_errors(tmp_path: Path) -> None:
    seed = [p for p in _seeds() if p.name == SEED_002]
    spec = str(tmp_path / "store")
    ingest = _run("ingest", "--store", spec, *map(str, seed))
    assert ingest.exit_code == 0, ingest.output
    ok = _run("trace", "1432/BNV-CTTN", "III.8", "--json", "--store", spec)
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.output)["rules"][0]["symbol"] == "217-QĐ/TW"
    human = _run("trace", "1432/BNV-CTTN", "III.8", "--store", spec)
    assert human.exit_code == 0 and "Chuỗi triển khai" in human.output
    english = _run("--lang", "en", "trace", "1432/BNV-CTTN", "III.8", "--store", spec)
    assert english.exit_code == 0 and "Implementation chain" in english.output
    bad = _run("trace", "1432/BNV-CTTN", "IX.1", "--store", spec)
    assert bad.exit_code == 2
    assert "III.8" in bad.output
    unknown = _run("trace", "9999/XYZ-ABC", "I", "--store", spec)
    assert unknown.exit_code == 2


_SHARED_OUTLINE_LETTER = """BỘ NỘI VỤ
Số: {number}/BNV-TTr
V/v báo cáo kết quả thực hiện Chỉ thị số 05/CT-TTg
Hà Nội, ngày {day} tháng 5 năm 2024

Kính gửi: Ủy ban nhân dân các tỉnh, thành phố.

Thực hiện Chỉ thị số 05/CT-TTg ngày 02 tháng 3 năm 2023 của Thủ tướng Chính phủ, Bộ Nội vụ
đề nghị các địa phương báo cáo theo Đề cương kèm theo, gửi về Bộ Nội vụ trước ngày 30/6/2024.

BỘ TRƯỞNG
Nguyễn Văn Thử

ĐỀ CƯƠNG BÁO CÁO
(Kèm theo Công văn số      /BNV-TTr ngày     /5/2024 của Bộ Nội vụ)

I. ĐẶC ĐIỂM TÌNH HÌNH
II. KẾT QUẢ THỰC HIỆN CHỈ THỊ SỐ 05/CT-TTg
1. Công tác quán triệt
2. Kết quả cụ thể
III. KIẾN NGHỊ
"""


def test_an_outline_two_letters_share_is_traced_from_both(tmp_path: Path) -> None:
    # regression: two letters attaching the same unnumbered outline text get one outline
    # node (its ANON: key hashes the text); the trace of the letter with the larger IRI
    # found no section, because only the first owner's outlines were read
    paths = []
    for number, day in (("1201", "06"), ("1305", "20")):
        path = tmp_path / f"cong_van_{number}.txt"
        path.write_text(_SHARED_OUTLINE_LETTER.format(number=number, day=day), encoding="utf-8")
        paths.append(path)
    store = _store(paths)
    from graph.trace import trace

    for symbol in ("1201/BNV-TTr", "1305/BNV-TTr"):
        result = trace(store, symbol, "II.1").as_dict()
        assert result["section"]["number"] == "II.1", symbol
