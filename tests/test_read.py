"""Reading input files: encodings, formats, and clear refusals.

Every input is generated here (text, .docx with python-docx, PDFs built by
hand with an uncompressed content stream and a ToUnicode map, so no font
files are needed).
"""

from __future__ import annotations

import codecs
import hashlib
import io
import os
import unicodedata
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from pypdf import PdfReader, PdfWriter

from ingest.legacy import encode_legacy
from ingest.models import IngestError
from ingest.read import SourceText, read_bytes, read_file

SEEDS = Path(__file__).parents[1].parent / "shared" / "seeds"

# Written for these tests (not taken from any document).
SENTENCE = "Chỉ thị về việc tăng cường công tác quản lý văn bản của Ủy ban nhân dân tỉnh"
LINES = (
    "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "Độc lập - Tự do - Hạnh phúc\n"
    "Các sở, ngành báo cáo kết quả thực hiện trước ngày 15 tháng 12 năm 2024.\n"
)
FRENCH = "L'élève a reçu le prix à côté de l'hôtel ; où est-il ? Très bien, ça va."


def nfd(s: str) -> str:
    return unicodedata.normalize("NFD", s)


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def mojibake(text: str, *, lossy: bool = False) -> str:
    """UTF-8 bytes shown as Windows-1252; ``lossy``: unused bytes become "?"."""
    out = []
    for b in text.encode("utf-8"):
        try:
            out.append(bytes([b]).decode("cp1252"))
        except UnicodeDecodeError:
            out.append("?" if lossy else chr(b))
    return "".join(out)


def cp1258(text: str) -> bytes:
    """Windows-1258 as Word writes it: precomposed where the code page has the
    letter, else base letter + combining tone mark."""
    out = bytearray()
    for c in nfc(text):
        try:
            out += c.encode("cp1258")
        except UnicodeEncodeError:
            tone = next(m for m in nfd(c) if m in "\u0300\u0301\u0303\u0309\u0323")
            base = nfc(nfd(c).replace(tone, ""))
            out += base.encode("cp1258") + tone.encode("cp1258")
    return bytes(out)


def read_error(data: bytes, name: str, **kw: int) -> IngestError:
    with pytest.raises(IngestError) as info:
        read_bytes(data, name, **kw)
    return info.value


# --------------------------------------------------------------------------
# Plain text encodings
# --------------------------------------------------------------------------

TEXT_CASES: list[tuple[str, Callable[[], bytes], str, str, str | None]] = [
    # id, bytes, expected text, expected encoding, expected warning (substring)
    ("utf8", lambda: LINES.encode(), LINES, "utf-8", None),
    ("utf8-nfd", lambda: nfd(LINES).encode(), nfd(LINES), "utf-8", None),
    (
        "utf8-crlf",
        lambda: LINES.replace("\n", "\r\n").encode(),
        LINES.replace("\n", "\r\n"),
        "utf-8",
        None,
    ),
    ("utf8-bom", lambda: codecs.BOM_UTF8 + LINES.encode(), LINES, "utf-8-sig", None),
    (
        "utf16le-bom",
        lambda: codecs.BOM_UTF16_LE + LINES.encode("utf-16-le"),
        LINES,
        "utf-16-le",
        None,
    ),
    (
        "utf16be-bom",
        lambda: codecs.BOM_UTF16_BE + LINES.encode("utf-16-be"),
        LINES,
        "utf-16-be",
        None,
    ),
    (
        "utf32le-bom",
        lambda: codecs.BOM_UTF32_LE + LINES.encode("utf-32-le"),
        LINES,
        "utf-32-le",
        None,
    ),
    (
        "utf16le-nobom",
        lambda: LINES.encode("utf-16-le"),
        LINES,
        "utf-16-le",
        "without byte-order mark",
    ),
    (
        "utf16be-nobom",
        lambda: LINES.encode("utf-16-be"),
        LINES,
        "utf-16-be",
        "without byte-order mark",
    ),
    (
        "utf16le-nobom-nfd",
        lambda: nfd(LINES).encode("utf-16-le"),
        nfd(LINES),
        "utf-16-le",
        "without byte-order mark",
    ),
    (
        "tcvn3",
        lambda: encode_legacy(LINES, "tcvn3").encode("latin-1"),
        LINES,
        "tcvn3",
        "converted from TCVN3",
    ),
    (
        "tcvn3-nfd-source",
        lambda: encode_legacy(nfd(LINES), "tcvn3").encode("latin-1"),
        LINES,
        "tcvn3",
        "converted from TCVN3",
    ),
    (
        "vni",
        lambda: encode_legacy(SENTENCE, "vni").encode("latin-1"),
        SENTENCE,
        "vni",
        "converted from VNI",
    ),
    # A legacy file that someone re-saved as UTF-8 without converting it.
    (
        "tcvn3-in-utf8",
        lambda: encode_legacy(LINES, "tcvn3").encode("utf-8"),
        LINES,
        "tcvn3",
        "converted from TCVN3",
    ),
    ("mojibake", lambda: mojibake(LINES).encode("utf-8"), LINES, "utf-8", "mojibake"),
    (
        "mojibake-nfd",
        lambda: mojibake(nfd(SENTENCE)).encode("utf-8"),
        nfd(SENTENCE),
        "utf-8",
        "mojibake",
    ),
    ("cp1252-french", lambda: FRENCH.encode("cp1252"), FRENCH, "cp1252", "Windows-1252"),
    # One damaged byte in a UTF-8 file: kept as UTF-8, the byte marked.
    (
        "utf8-one-bad-byte",
        lambda: LINES.encode().replace("ạ".encode(), b"\xe1\xba"),
        LINES.replace("ạ", "\ufffd"),
        "utf-8",
        "1 invalid UTF-8 byte sequence(s)",
    ),
]


@pytest.mark.parametrize(
    ("data", "expected", "encoding", "warning"),
    [pytest.param(*row[1:], id=row[0]) for row in TEXT_CASES],
)
def test_text_encodings(
    data: Callable[[], bytes], expected: str, encoding: str, warning: str | None
) -> None:
    raw = data()
    got = read_bytes(raw, "văn bản.txt")
    assert got.text == expected
    assert got.encoding == encoding
    assert got.format == "txt"
    assert got.sha256 == hashlib.sha256(raw).hexdigest()
    if warning is None:
        assert got.warnings == ()
    else:
        assert any(warning in w for w in got.warnings), got.warnings


def test_cp1258_keeps_decomposed_tones() -> None:
    got = read_bytes(cp1258(LINES), "a.txt")
    assert got.encoding == "cp1258"
    assert nfc(got.text) == LINES  # not normalised here: clean.py does that
    assert any("Windows-1258" in w for w in got.warnings)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        pytest.param(b"", "empty file", id="empty"),
        pytest.param(b"  \n\t\n", "no text found", id="blank"),
        pytest.param(
            bytes((i * 7919 + 13) % 256 for i in range(4096)), "binary file", id="garbage"
        ),
        pytest.param(b"\x01\x02\x03abc\x04\x05" * 50, "binary file", id="control-chars"),
        pytest.param(b"\x89PNG\r\n\x1a\n" + bytes(200), "PNG image", id="png"),
        pytest.param(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(200), "old binary Word", id="doc"),
        pytest.param(b"{\\rtf1\\ansi hello}", "RTF", id="rtf"),
        pytest.param(codecs.BOM_UTF8 + b"ok \xff\xfe bad", "not valid UTF-8", id="bad-bom"),
        pytest.param(
            mojibake(SENTENCE, lossy=True).encode(), "cannot be fully repaired", id="lossy-mojibake"
        ),
    ],
)
def test_text_refusals(data: bytes, reason: str) -> None:
    err = read_error(data, "x.txt")
    assert reason in err.reason
    assert err.path == "x.txt"
    assert err.hint


def test_unknown_legacy_encoding_is_refused() -> None:
    # An 8-bit font encoding we do not know: TCVN3 with every letter code moved.
    shifted = bytes(
        b + 1 if 0xA1 <= b < 0xFE else b
        for b in encode_legacy(LINES * 3, "tcvn3").encode("latin-1")
    )
    err = read_error(shifted, "cu.txt")
    assert "unknown text encoding" in err.reason
    assert "UTF-8" in (err.hint or "")


def test_max_bytes() -> None:
    err = read_error(b"x" * 101, "big.txt", max_bytes=100)
    assert err.reason.startswith("file is larger than 100 bytes (max_bytes")
    assert err.hint == "split it or raise --max-bytes"
    assert read_bytes(b"x" * 100, "ok.txt", max_bytes=100).text == "x" * 100


def test_max_bytes_on_disk(tmp_path: Path) -> None:
    f = tmp_path / "lớn.txt"
    f.write_bytes(b"y" * 2048)
    with pytest.raises(IngestError, match=r"larger than 1024 bytes"):
        read_file(f, max_bytes=1024)


# --------------------------------------------------------------------------
# Files on disk
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "relative",
    ["Chỉ thị số 12 của Bộ.txt", "Thư mục mới/báo cáo tổng kết.md", nfd("Quyết định 5.txt")],
)
def test_vietnamese_names_with_spaces(tmp_path: Path, relative: str) -> None:
    f = tmp_path / relative
    f.parent.mkdir(parents=True, exist_ok=True)
    f.write_bytes(LINES.encode())
    got = read_file(f)
    assert got.text == LINES
    assert got.path == str(f)
    assert got.format == Path(relative).suffix[1:]


def test_read_file_errors(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="file not found"):
        read_file(tmp_path / "không có.txt")
    with pytest.raises(IngestError, match="is a folder"):
        read_file(tmp_path)
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(IngestError, match="not a regular file"):
        read_file(fifo)


@pytest.mark.skipif(
    os.geteuid() == 0,
    reason="running as root: root bypasses file permissions, so a chmod 000 file stays readable",
)
def test_permission_denied(tmp_path: Path) -> None:
    f = tmp_path / "kín.txt"
    f.write_text(SENTENCE, encoding="utf-8")
    f.chmod(0)
    try:
        with pytest.raises(IngestError, match="permission denied"):
            read_file(f)
    finally:
        f.chmod(0o644)


# --------------------------------------------------------------------------
# DOCX
# --------------------------------------------------------------------------

_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS = (
    f'xmlns:w="{_W_NS}" xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
)


def make_docx() -> bytes:
    d = docx.Document()
    section = d.sections[0]
    section.header.paragraphs[0].text = "ĐẦU TRANG"
    section.footer.paragraphs[0].text = "CHÂN TRANG"
    d.add_paragraph("CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    run = d.add_paragraph("Số: 12/CT-UBND").add_run()
    run.add_tab()
    run.add_text("Hà Nội")
    run.add_break()
    run.add_text("ngày 5 tháng 3 năm 2024")
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "BỘ TƯ PHÁP"
    table.cell(0, 1).text = "Độc lập"
    table.cell(1, 0).text = "ô 1"
    table.cell(1, 1).paragraphs[0].text = "dòng 1"
    table.cell(1, 1).add_paragraph("dòng 2")
    p = d.add_paragraph("Sau bảng ")
    # Tracked changes: inserted text counts, deleted text does not.
    p._p.append(parse_xml(f'<w:ins {_NS} w:id="1" w:author="a"><w:r><w:t>thêm</w:t></w:r></w:ins>'))
    p._p.append(
        parse_xml(
            f'<w:del {_NS} w:id="2" w:author="a"><w:r><w:delText>xoá</w:delText></w:r></w:del>'
        )
    )
    # A text box written twice (new and fallback form): its text appears once.
    box = "<w:txbxContent><w:p><w:r><w:t>HỘP CHỮ</w:t></w:r></w:p></w:txbxContent>"
    d.add_paragraph("Có hộp")._p.append(
        parse_xml(
            f'<w:r {_NS}><mc:AlternateContent><mc:Choice Requires="wps"><wps:txbx>{box}'
            f"</wps:txbx></mc:Choice><mc:Fallback><v:textbox>{box}</v:textbox></mc:Fallback>"
            "</mc:AlternateContent></w:r>"
        )
    )
    d.add_paragraph("Cuối")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


DOCX_TEXT = (
    "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "Số: 12/CT-UBND\tHà Nội\nngày 5 tháng 3 năm 2024\n"
    "BỘ TƯ PHÁP\tĐộc lập\n"
    "ô 1\tdòng 1\ndòng 2\n"
    "Sau bảng thêm\n"
    "Có hộp\nHỘP CHỮ\n"
    "Cuối"
)


def test_docx_paragraphs_and_tables_in_order() -> None:
    got = read_bytes(make_docx(), "chỉ thị.docx")
    assert got.text == DOCX_TEXT
    assert (got.format, got.encoding, got.warnings) == ("docx", None, ())
    assert "ĐẦU TRANG" not in got.text and "CHÂN TRANG" not in got.text


def test_docx_with_legacy_font_text() -> None:
    d = docx.Document()
    for line in LINES.splitlines():
        d.add_paragraph(encode_legacy(line, "tcvn3"))  # typed with .VnTime
    buf = io.BytesIO()
    d.save(buf)
    got = read_bytes(buf.getvalue(), "cu.docx")
    assert got.text == LINES.rstrip("\n")
    assert got.encoding == "tcvn3"
    assert "converted from TCVN3" in got.warnings


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("data", "name", "reason"),
    [
        pytest.param(
            lambda: make_docx()[: len(make_docx()) // 2],
            "a.docx",
            "not a valid .docx (zip archive is truncated or corrupt",
            id="truncated",
        ),
        pytest.param(
            lambda: make_docx()[:-10],
            "a.docx",
            "not a valid .docx (zip archive is truncated or corrupt",
            id="cut-end",
        ),
        pytest.param(
            lambda: b"just text", "a.docx", "not a valid .docx (not a zip archive)", id="not-zip"
        ),
        pytest.param(
            lambda: _zip({"x.txt": b"hi"}), "a.docx", "no word/document.xml", id="other-zip"
        ),
        pytest.param(
            lambda: _zip({"x.txt": b"hi"}),
            "a.zip",
            "zip archive that is not a Word",
            id="plain-zip",
        ),
        pytest.param(
            lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500),
            "a.docx",
            "password-protected",
            id="encrypted",
        ),
    ],
)
def test_docx_refusals(data: Callable[[], bytes], name: str, reason: str) -> None:
    assert reason in read_error(data(), name).reason


# --------------------------------------------------------------------------
# PDF
# --------------------------------------------------------------------------


def make_pdf(pages: list[list[str] | None]) -> bytes:
    """A PDF whose pages show the given lines (None: a page with only a drawn
    rectangle). Text uses a Type0 font with a ToUnicode map, so any Unicode
    text round-trips without a font file."""
    chars = sorted({c for page in pages if page for line in page for c in line})
    bfchar = "\n".join(f"<{ord(c):04X}> <{ord(c):04X}>" for c in chars)
    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        "/CMapName /T def /CMapType 2 def\n1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
        f"{len(chars)} beginbfchar\n{bfchar}\nendbfchar\n"
        "endcmap CMapName currentdict /CMap defineresource pop end end"
    ).encode()
    page_ids = [7 + 2 * i for i in range(len(pages))]
    objs: dict[int, bytes] = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: (
            f"<< /Type /Pages /Kids [{' '.join(f'{i} 0 R' for i in page_ids)}] "
            f"/Count {len(pages)} >>"
        ).encode(),
        3: b"<< /Type /Font /Subtype /Type0 /BaseFont /T /Encoding /Identity-H "
        b"/DescendantFonts [4 0 R] /ToUnicode 5 0 R >>",
        4: b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /T /CIDSystemInfo "
        b"<< /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
        b"/FontDescriptor 6 0 R /DW 500 >>",
        5: b"<< /Length %d >>\nstream\n%s\nendstream" % (len(cmap), cmap),
        6: b"<< /Type /FontDescriptor /FontName /T /Flags 32 /FontBBox [0 0 1000 1000] "
        b"/ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 >>",
    }
    for pid, page in zip(page_ids, pages, strict=True):
        if page is None:
            content = b"0 0 1 rg 100 100 200 200 re f"
        else:
            shown = [f"<{''.join(f'{ord(c):04X}' for c in line)}> Tj T*" for line in page]
            content = "\n".join(["BT /F1 12 Tf 14 TL 72 760 Td", *shown, "ET"]).encode()
        objs[pid] = (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources "
            f"<< /Font << /F1 3 0 R >> >> /Contents {pid + 1} 0 R >>"
        ).encode()
        objs[pid + 1] = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content)
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for k in sorted(objs):
        offsets[k] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (k, objs[k])
    xref, size = len(out), max(objs) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    out += b"".join(b"%010d 00000 n \n" % offsets[k] for k in range(1, size))
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    return bytes(out)


def encrypt(pdf: bytes, user: str, owner: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt(user_password=user, owner_password=owner, algorithm="RC4-128")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def body(i: int) -> list[str]:
    # Lines that differ only in their numbers are body text, not page numbers.
    return [f"Điều {i}. Nội dung thứ {i}", "các cơ quan thực hiện", f"đoạn cuối trang {i}"]


def paged(n: int) -> list[list[str] | None]:
    return [["BỘ TƯ PHÁP", *body(i), f"Trang {i}/{n}"] for i in range(1, n + 1)]


def test_pdf_text_layer() -> None:
    got = read_bytes(make_pdf([["Chỉ thị số 12/CT-TTg", SENTENCE]]), "a.pdf")
    assert got.text.splitlines() == ["Chỉ thị số 12/CT-TTg", SENTENCE]
    assert (got.format, got.encoding, got.warnings) == ("pdf", None, ())


def test_pdf_running_header_and_footer_dropped_and_reported() -> None:
    got = read_bytes(make_pdf(paged(4)), "a.pdf")
    lines = [line for line in got.text.splitlines() if line.strip()]
    assert lines == [line for i in range(1, 5) for line in body(i)]
    assert got.warnings == (
        "dropped repeated page header/footer lines: 'BỘ TƯ PHÁP' on 4 pages; "
        "'Trang 1/4' on 4 pages",
    )


@pytest.mark.parametrize(
    "pages",
    [
        pytest.param(paged(2), id="two-pages"),  # too few pages to call anything running
        pytest.param(
            [
                ["BỘ TƯ PHÁP", *body(1), "x"],
                ["BỘ TƯ PHÁP", *body(2), "y"],
                ["A", *body(3), "z"],
                ["B", *body(4), "w"],
                ["C", *body(5), "v"],
            ],
            id="minority",  # on 2 of 5 pages: not "most pages"
        ),
        pytest.param(
            [["BỘ", "Nội dung 1"], ["BỘ", "Nội dung 2"], ["BỘ", "Nội dung 3"]], id="short-pages"
        ),  # edges would swallow the body
    ],
)
def test_pdf_no_running_lines(pages: list[list[str] | None]) -> None:
    got = read_bytes(make_pdf(pages), "a.pdf")
    assert got.warnings == ()
    assert got.text.count("\n") >= sum(len(p or []) for p in pages) - 1


def test_pdf_page_without_text_is_reported() -> None:
    got = read_bytes(make_pdf([["Trang có chữ"], None, ["Trang cuối"]]), "a.pdf")
    assert "Trang có chữ" in got.text and "Trang cuối" in got.text
    assert got.warnings == ("pages 2 have no text layer (scanned?); their text is missing",)


def test_pdf_with_legacy_font_text() -> None:
    lines = [encode_legacy(line, "vni") for line in LINES.splitlines()]  # VNI-Times in the PDF
    got = read_bytes(make_pdf([lines]), "cu.pdf")
    assert got.text.splitlines() == LINES.splitlines()
    assert (got.encoding, got.warnings) == ("vni", ("converted from VNI",))


def test_pdf_empty_user_password_is_readable() -> None:
    got = read_bytes(encrypt(make_pdf([[SENTENCE]]), "", "chủ"), "a.pdf")
    assert got.text.strip() == SENTENCE


@pytest.mark.parametrize(
    ("data", "name", "reason"),
    [
        pytest.param(
            lambda: make_pdf([None, None]),
            "scan.pdf",
            "scanned PDF with no text layer: the file needs OCR first",
            id="no-text",
        ),
        pytest.param(
            lambda: encrypt(make_pdf([[SENTENCE]]), "mật", "mật"),
            "a.pdf",
            "PDF is password-protected",
            id="encrypted",
        ),
        pytest.param(
            lambda: make_pdf([[SENTENCE]])[:-200], "a.pdf", "PDF is truncated", id="truncated"
        ),
        pytest.param(
            lambda: make_pdf([[SENTENCE]])[:120] + b"\n%%EOF\n",
            "a.pdf",
            "not a valid PDF",
            id="damaged",
        ),
        pytest.param(
            lambda: LINES.encode(), "a.pdf", "not a valid PDF (no %PDF header)", id="not-pdf"
        ),
    ],
)
def test_pdf_refusals(data: Callable[[], bytes], name: str, reason: str) -> None:
    err = read_error(data(), name)
    assert reason in err.reason
    assert err.hint


# --------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        pytest.param(
            "<html><head><title>Tiêu đề</title><style>p{color:red}</style></head><body>"
            "<h1>QUYẾT ĐỊNH</h1><p>Điều 1.  Giao\n  Sở &amp; Ngành&nbsp;thực hiện</p>"
            "<script>var x = '<p>no</p>';</script><!-- chú thích --><p>Dòng 2<br>Dòng 3</p>"
            "</body></html>",
            "QUYẾT ĐỊNH\nĐiều 1. Giao Sở & Ngành\u00a0thực hiện\nDòng 2\nDòng 3",
            id="blocks-script-style-entities",
        ),
        pytest.param(
            "<p>Vi&#7879;t &lt;Nam&gt; &eacute; &#x1EA1;</p>",
            "Việt <Nam> é ạ",
            id="character-references",
        ),
        pytest.param(
            "<table><tr><th>Số</th><th>Tên</th></tr><tr><td> 1 </td><td>Báo cáo</td></tr></table>",
            "Số\tTên\n1\tBáo cáo",
            id="table",
        ),
        pytest.param("<pre>a  b\n  c</pre><p>d</p>", "a  b\n  c\nd", id="pre"),
        pytest.param("<head><title>x</title><body><p>Nội dung</p>", "Nội dung", id="unclosed-head"),
        pytest.param(
            "<head><meta charset=utf-8><title>x</title><p>Nội dung</p>",
            "Nội dung",
            id="head-without-body",
        ),
        pytest.param("<div>" * 5000 + "Sâu" + "</div>" * 5000, "Sâu", id="deep-blocks"),
        pytest.param("<span>" * 5000 + "Sâu" + "</span>" * 5000, "Sâu", id="deep-inline"),
        pytest.param("<b>" * 5000 + "Không đóng", "Không đóng", id="deep-unclosed"),
    ],
)
def test_html(html: str, expected: str) -> None:
    got = read_bytes(html.encode(), "trang.html")
    assert got.text == expected
    assert got.format == "html"


@pytest.mark.parametrize(
    ("data", "encoding", "warning"),
    [
        pytest.param(
            b'<meta charset="windows-1258"><p>' + cp1258(SENTENCE) + b"</p>",
            "cp1258",
            None,
            id="meta-cp1258",
        ),
        pytest.param(
            b'<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"><p>'
            + encode_legacy(SENTENCE, "vni").encode("latin-1")
            + b"</p>",
            "vni",
            "converted from VNI",
            id="vni-page",
        ),
        pytest.param(
            codecs.BOM_UTF16_LE + f"<p>{SENTENCE}</p>".encode("utf-16-le"),
            "utf-16-le",
            None,
            id="utf16-bom",
        ),
        pytest.param(
            b'<meta charset="windows-1258"><p>' + SENTENCE.encode() + b"</p>",
            "utf-8",
            None,
            id="declared-cp1258-but-utf8",
        ),
        pytest.param(
            b'<meta charset="utf-8"><p>' + SENTENCE.encode() + b"</p>",
            "utf-8",
            None,
            id="meta-utf8",
        ),
    ],
)
def test_html_charsets(data: bytes, encoding: str, warning: str | None) -> None:
    got = read_bytes(data, "trang.htm")
    assert nfc(got.text) == SENTENCE
    assert got.encoding == encoding
    assert (warning in got.warnings) if warning else got.warnings == ()


# --------------------------------------------------------------------------
# Format sniffing
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "name", "fmt", "warned"),
    [
        pytest.param(lambda: make_pdf([[SENTENCE]]), "tải về", "pdf", False, id="pdf-noext"),
        pytest.param(make_docx, "tải về", "docx", False, id="docx-noext"),
        pytest.param(lambda: LINES.encode(), "tải về", "txt", False, id="text-noext"),
        pytest.param(
            lambda: b"<!DOCTYPE html><p>" + SENTENCE.encode(),
            "tải về",
            "html",
            False,
            id="html-noext",
        ),
        pytest.param(lambda: make_pdf([[SENTENCE]]), "a.txt", "pdf", True, id="pdf-named-txt"),
        pytest.param(make_docx, "a.pdf", "docx", True, id="docx-named-pdf"),
        pytest.param(lambda: LINES.encode(), "a.MD", "md", False, id="upper-case-ext"),
        pytest.param(
            lambda: b"Ghi ch\xc3\xba: %PDF-1.7 %%EOF",
            "a.txt",
            "txt",
            False,
            id="text-mentioning-pdf",
        ),
        pytest.param(
            lambda: b"junk\n" + make_pdf([[SENTENCE]]), "a.pdf", "pdf", False, id="pdf-after-junk"
        ),
    ],
)
def test_format_sniffing(data: Callable[[], bytes], name: str, fmt: str, warned: bool) -> None:
    got = read_bytes(data(), name)
    assert got.format == fmt
    assert any("but is a" in w for w in got.warnings) is warned


def test_source_text_is_frozen() -> None:
    got = read_bytes(b"abc", "a.txt")
    assert isinstance(got, SourceText)
    with pytest.raises(AttributeError):
        got.text = "x"  # type: ignore[misc]


# --------------------------------------------------------------------------
# Seeds (real documents): each one decodes
# --------------------------------------------------------------------------


@pytest.mark.seeds
def test_every_seed_decodes() -> None:
    if not SEEDS.is_dir():
        pytest.skip(f"seed folder {SEEDS} is absent")
    seeds = sorted(SEEDS.glob("*.txt"))
    assert seeds
    for f in seeds:
        got = read_file(f)
        assert got.text.strip()
        assert got.encoding in ("utf-8", "utf-8-sig")
