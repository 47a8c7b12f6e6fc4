"""The pipeline as a whole: document records and the JSON output contract."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from api.cli import main
from ingest.extract import extract_text
from ingest.serialize import file_dict

SAMPLES = Path(__file__).parents[1] / "ingest" / "samples"

LETTER = """BỘ NỘI VỤ
Số: 120/BNV-CQĐP
V/v báo cáo kết quả

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Hà Nội, ngày 06 tháng 5 năm 2025

Kính gửi: Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương.

Thực hiện Chỉ thị số 15/CT-TTg ngày 12/4/2024 của Thủ tướng Chính phủ, đề nghị các địa
phương báo cáo theo Đề cương kèm theo Công văn số 88/BNV-CQĐP ngày 02/01/2025 và gửi
về Bộ Nội vụ trước ngày 30/5/2025.
"""


def test_body_kem_theo_is_not_the_documents_own_attachment() -> None:
    # regression: "theo Đề cương kèm theo Công văn số …" in a report's body made the
    # report itself attached_to that letter
    [doc] = extract_text(LETTER).documents
    assert doc.symbol == "120/BNV-CQĐP"
    assert doc.attached_to is None


CONTRACT_DOC = {"key", "symbol", "type", "issuer", "date", "title", "signer", "recipients",
                "citations", "relations", "obligations", "outline"}
CONTRACT_CITATION = {"key", "symbol", "type", "date", "issuer", "title", "relation", "start",
                     "end", "text"}
CONTRACT_RELATION = {"source", "relation", "target", "start", "end", "text"}
CONTRACT_OBLIGATION = {"bearer", "action", "recipient", "deadline", "frequency", "start", "end",
                       "text"}


def test_json_contract_fields_and_quotes() -> None:
    source = (SAMPLES / "02_cong_van_2215-BNV-CQDP_va_de_cuong.txt").read_text(encoding="utf-8")
    out = file_dict(extract_text(source, "02.txt"))
    assert out["documents"]
    for doc in out["documents"]:
        assert set(doc) >= CONTRACT_DOC
        for c in doc["citations"]:
            assert set(c) >= CONTRACT_CITATION
            assert source[c["start"] : c["end"]] == c["text"]
        for r in doc["relations"]:
            assert set(r) >= CONTRACT_RELATION
        for o in doc["obligations"]:
            assert set(o) >= CONTRACT_OBLIGATION
            assert source[o["start"] : o["end"]] == o["text"]
    json.dumps(out, ensure_ascii=False)  # serialisable


def test_extract_cli_json_and_error_exit(tmp_path: Path) -> None:
    good = tmp_path / "thư gửi.txt"
    good.write_text(LETTER, encoding="utf-8")
    bad = tmp_path / "hỏng.docx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    result = CliRunner().invoke(main, ["extract", "--json", str(good), str(bad)])
    assert result.exit_code == 1  # one file failed, the other was still processed
    payload = json.loads(result.stdout)
    assert [f["path"] for f in payload["files"]] == [str(good)]
    assert payload["errors"][0]["path"] == str(bad)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_extract_cli_human_output_language(lang: str) -> None:
    path = SAMPLES / "01_chi_thi_15-CT-TTg.txt"
    result = CliRunner().invoke(main, ["--lang", lang, "extract", str(path)])
    assert result.exit_code == 0
    assert ("Số ký hiệu" in result.stdout) == (lang == "vi")
    assert ("Symbol" in result.stdout) == (lang == "en")
