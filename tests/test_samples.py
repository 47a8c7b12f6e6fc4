"""The bundled sample corpus (ingest/samples): present, clean, original, and extractable.

The corpus is invented; these tests pin what each file must yield so the demo and the
docs can rely on it. The extraction tests need the whole pipeline (``ingest.extract``).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import pytest
import regex

from ingest.models import FileResult

SAMPLES = Path(__file__).resolve().parents[1] / "ingest" / "samples"
SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"

D = dt.date

# file → documents in order: (symbol, date, doc_type)
EXPECTED_DOCUMENTS: dict[str, list[tuple[str | None, dt.date | None, str]]] = {
    "01_chi_thi_15-CT-TTg.txt": [("15/CT-TTg", D(2024, 4, 12), "chi-thi")],
    "02_cong_van_2215-BNV-CQDP_va_de_cuong.txt": [
        ("2215/BNV-CQĐP", D(2025, 5, 6), "cong-van"),
        (None, None, "de-cuong"),
    ],
    "03_cong_van_1876-UBND-VX_tinh.txt": [("1876/UBND-VX", D(2025, 5, 14), "cong-van")],
    "04_bao_cao_UBND_huyen_Tam_Lac.txt": [(None, D(2025, 5, 26), "bao-cao")],
    "05_ket_luan_27-KL-TU_tinh_uy.txt": [("27-KL/TU", D(2025, 3, 18), "ket-luan")],
    "06_bao_cao_3790-BC-BNV_va_bang_tong_hop.txt": [
        ("3790/BC-BNV", D(2025, 7, 10), "bao-cao"),
        (None, None, "bang-tong-hop"),
    ],
    "drafts/draft_incomplete.txt": [(None, D(2025, 6, 2), "bao-cao")],
}

# Citations the district report (file 04) must yield: (symbol, date written beside it).
EXPECTED_CITATIONS_04: list[tuple[str, dt.date | None]] = [
    ("1876/UBND-VX", D(2025, 5, 15)),  # the deliberate date conflict with file 03
    ("45/SNV-XDCQ.TN", D(2025, 5, 16)),  # dot inside the issuer part
    ("12/KH-UBND", D(2025, 2, 5)),  # "05/02/2025của": no space after the date
    ("30a/KH-UBND", D(2025, 3, 3)),  # letter suffix, "03-3-2025"
    ("118/UBND-NV", D(2025, 3, 14)),  # "14.3.2025"
    ("09-CT/HU", D(2025, 1, 10)),
    ("17/2024/QĐ-TTg", D(2024, 7, 3)),
    ("05-CTr/BDVTW-BCSĐCP", D(2024, 3, 20)),
    ("11-QĐi/TW", D(2019, 2, 18)),
    ("124-QĐ/TW", D(2023, 8, 18)),  # shares the date written after 125-QĐ/TW
    ("125-QĐ/TW", D(2023, 8, 18)),
    ("21-KL/TW", D(2021, 10, 25)),  # "21-" / "KL/TW" split over two lines
    ("33/CT-TTg", D(2021, 11, 26)),  # "26 tháng 11 năm 2021"
    ("47-NQ/TW", None),  # "47-NQ/TW1": footnote digit glued, no date in the body
]

_WS = regex.compile(r"\s+")


def _sample_files() -> list[Path]:
    return sorted(p for p in SAMPLES.rglob("*.txt"))


def _norm(line: str) -> str:
    return _WS.sub(" ", unicodedata.normalize("NFC", line)).strip()


def _long_seed_lines() -> set[str]:
    if not SEEDS.is_dir():
        pytest.skip(f"seed folder {SEEDS} is absent: cannot check the corpus for copied lines")
    out: set[str] = set()
    for path in SEEDS.glob("*.txt"):
        for line in path.read_text(encoding="utf-8").splitlines():
            n = _norm(line)
            if len(n) >= 70:
                out.add(n)
    return out


def _extract(name: str) -> FileResult:
    from ingest.extract import extract_file

    return extract_file(SAMPLES / name)


# --- the corpus itself ------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(EXPECTED_DOCUMENTS))
def test_sample_file_exists(name: str) -> None:
    assert (SAMPLES / name).is_file()


def test_corpus_size_and_layout() -> None:
    top = sorted(p.name for p in SAMPLES.glob("*.txt"))
    assert 6 <= len(top) <= 9
    assert (SAMPLES / "README.md").is_file()
    assert not any("draft" in name for name in top), "drafts must stay out of the demo set"


@pytest.mark.parametrize("path", _sample_files(), ids=lambda p: p.name)
def test_sample_is_nfc_utf8(path: Path) -> None:
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), "no byte-order mark"
    text = raw.decode("utf-8")  # strict: raises on invalid bytes
    assert unicodedata.is_normalized("NFC", text)
    assert "\r" not in text


@pytest.mark.seeds
@pytest.mark.parametrize("path", _sample_files(), ids=lambda p: p.name)
def test_sample_copies_no_seed_line(path: Path) -> None:
    seed_lines = _long_seed_lines()
    for line in path.read_text(encoding="utf-8").splitlines():
        n = _norm(line)
        if len(n) < 70:
            continue
        assert n not in seed_lines, f"line copied from a seed: {n[:60]}…"
        assert not any(n in s or s in n for s in seed_lines), f"seed text inside: {n[:60]}…"


def test_seed_check_catches_a_copied_line() -> None:
    """Regression guard for the check above: a real seed line must be caught."""
    seed_lines = _long_seed_lines()
    probe = next(iter(seed_lines))
    assert _norm("  " + probe.replace(" ", "   ") + " ") in seed_lines


def test_date_conflict_is_present_in_the_text() -> None:
    """File 04 cites the province letter with a date that file 03's header contradicts."""
    letter = (SAMPLES / "03_cong_van_1876-UBND-VX_tinh.txt").read_text(encoding="utf-8")
    report = (SAMPLES / "04_bao_cao_UBND_huyen_Tam_Lac.txt").read_text(encoding="utf-8")
    assert "ngày 14 tháng 5 năm 2025" in letter
    assert "1876/UBND-VX ngày 15/5/2025" in report


# --- what the pipeline must extract -----------------------------------------------------------


@pytest.mark.parametrize("name", sorted(EXPECTED_DOCUMENTS))
def test_extract_file_documents(name: str) -> None:
    result = _extract(name)
    got = [(d.symbol, d.date, d.doc_type) for d in result.documents]
    assert got == EXPECTED_DOCUMENTS[name]


@pytest.mark.parametrize(
    "name",
    ["02_cong_van_2215-BNV-CQDP_va_de_cuong.txt", "06_bao_cao_3790-BC-BNV_va_bang_tong_hop.txt"],
)
def test_attachment_points_to_its_letter(name: str) -> None:
    docs = _extract(name).documents
    assert docs[1].attached_to == docs[0].key


def test_district_report_citations() -> None:
    (doc,) = _extract("04_bao_cao_UBND_huyen_Tam_Lac.txt").documents
    got = {(c.symbol, c.date) for c in doc.citations}
    missing = [pair for pair in EXPECTED_CITATIONS_04 if pair not in got]
    assert not missing
    symbols = {c.symbol for c in doc.citations if c.symbol}
    assert "11-QĐ/TW" in symbols or "11-QĐi/TW" in symbols


@pytest.mark.parametrize("noise", ["05/30", "0229", "2021-2025", "1.201/1.284", "tamlac"])
def test_district_report_noise_is_not_cited(noise: str) -> None:
    (doc,) = _extract("04_bao_cao_UBND_huyen_Tam_Lac.txt").documents
    assert not any(noise in c.span.text for c in doc.citations)


def test_draft_cites_the_directive_with_a_wrong_date() -> None:
    (doc,) = _extract("drafts/draft_incomplete.txt").documents
    dates = {c.date for c in doc.citations if c.symbol == "15/CT-TTg"}
    assert D(2024, 4, 21) in dates
    assert D(2024, 4, 12) not in dates


@pytest.mark.parametrize("name", sorted(EXPECTED_DOCUMENTS))
def test_spans_quote_the_source(name: str) -> None:
    result = _extract(name)
    for doc in result.documents:
        assert result.source_text[doc.span.start : doc.span.end] == doc.span.text
        for ev in doc.evidence:
            assert result.source_text[ev.span.start : ev.span.end] == ev.span.text
