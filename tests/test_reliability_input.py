"""Hostile and broken input files, end to end through ``luocdo extract`` and ``luocdo ingest``.

Every input is generated here into a temporary folder (nothing is committed). Each one
either gets a clear, specific error (the file, the reason, what to do) or is read
correctly; a batch always finishes, says what landed and what did not, and its exit
code tells (0: everything landed, 1: something failed).

Commands run in child processes, as a user would run them; the child reports its peak
memory (``ru_maxrss``) so that memory bounds can be checked. The permission cases run
as the unprivileged user ``nobody`` when the suite runs as root (root ignores file
modes, so a ``chmod 000`` file would stay readable and the test would prove nothing).
"""

from __future__ import annotations

import io
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
import pytest
import regex
from pypdf import PdfReader, PdfWriter

from api.cli_extract import extract_paths
from graph.store import OxigraphStore
from ingest.legacy import encode_legacy
from ingest.models import IngestError
from ingest.read import read_bytes, read_file

REPO = Path(__file__).parents[1]
NOBODY = 65534

# A short directive written for these tests (not taken from any real document).
DOC = (
    "ỦY BAN NHÂN DÂN\nTỈNH HÒA BÌNH\n\n"
    "Số: 12/CT-UBND\tHòa Bình, ngày 5 tháng 3 năm 2024\n\n"
    "CHỈ THỊ\nVề việc tăng cường công tác văn thư, lưu trữ\n\n"
    "Thực hiện Chỉ thị số 15/CT-TTg ngày 03/4/2024 của Thủ tướng Chính phủ, "
    "Chủ tịch Ủy ban nhân dân tỉnh yêu cầu:\n"
    "1. Các sở, ban, ngành rà soát hồ sơ lưu trữ của đơn vị.\n"
    "2. Sở Nội vụ tổng hợp, báo cáo Ủy ban nhân dân tỉnh trước ngày 15/12/2024.\n"
)
SYMBOL = "12/CT-UBND"
PHRASE = "công tác văn thư"


# --- generators -------------------------------------------------------------------------------


def make_pdf(pages: list[list[str] | None]) -> bytes:
    """A PDF showing the given lines per page; None: a page holding only an image (a scan).

    Text uses a Type0 font with a ToUnicode map, so Vietnamese round-trips with no font
    file; the image is one inline grey pixel scaled up.
    """
    chars = sorted({c for page in pages if page for line in page for c in line})
    bfchar = "\n".join(f"<{ord(c):04X}> <{ord(c):04X}>" for c in chars)
    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        "/CMapName /T def /CMapType 2 def\n1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
        f"{len(chars)} beginbfchar\n{bfchar}\nendbfchar\n"
        "endcmap CMapName currentdict /CMap defineresource pop end end"
    ).encode()
    page_ids = [7 + 2 * i for i in range(len(pages))]
    kids = " ".join(f"{i} 0 R" for i in page_ids)
    objs: dict[int, bytes] = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode(),
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
            content = b"q 400 0 0 500 100 150 cm BI /W 1 /H 1 /CS /G /BPC 8 ID \x80 EI Q"
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


def doc_pdf() -> bytes:
    lines = DOC.splitlines()
    return make_pdf([lines[:7], lines[7:]])


def encrypted_pdf(algorithm: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(doc_pdf())))
    writer.encrypt(user_password="mật khẩu", owner_password="chủ", algorithm=algorithm)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def doc_docx(text: str = DOC) -> bytes:
    d = docx.Document()
    for line in text.splitlines():
        d.add_paragraph(line)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def zip_bomb_docx() -> bytes:
    """A .docx-like zip whose text part inflates 1000-fold and whose other parts are bogus."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", b"<w:document>" + b" " * 8_000_000 + b"</w:document>")
    return buf.getvalue()


def zero_after(data: bytes, marker: bytes, n: int) -> bytes:
    """``n`` bytes overwritten with NULs from the first ``marker`` on (a bad disk sector)."""
    i = data.index(marker)
    return data[:i] + bytes(n) + data[i + n :]


def drop_around(data: bytes, marker: bytes, before: int, after: int) -> bytes:
    """Bytes around the first ``marker`` cut out (a copy that lost a block)."""
    i = data.index(marker)
    return data[: i - before] + data[i + after :]


def cut(data: bytes, share: float) -> bytes:
    return data[: int(len(data) * share)]


def nfd(s: str) -> str:
    return unicodedata.normalize("NFD", s)


def mojibake(text: str) -> str:
    """UTF-8 bytes shown as Windows-1252 (what a wrong "open as" does), saved again."""
    return "".join(bytes([b]).decode("cp1252", errors="surrogateescape")
                   if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D) else chr(b)
                   for b in text.encode("utf-8"))


# Vietnamese tone marks (grave, acute, tilde, hook above, dot below).
_TONES = "\u0300\u0301\u0303\u0309\u0323"


def cp1258(text: str) -> bytes:
    """Windows-1258 as Word writes it: a precomposed letter where the code page has one,
    else the letter with its shape mark (â, ư, …) followed by the tone as a combining mark."""
    out = bytearray()
    for c in unicodedata.normalize("NFC", text):
        try:
            out += c.encode("cp1258")
        except UnicodeEncodeError:
            d = unicodedata.normalize("NFD", c)
            shape = unicodedata.normalize("NFC", "".join(m for m in d if m not in _TONES))
            out += (shape + "".join(m for m in d if m in _TONES)).encode("cp1258")
    return bytes(out)


def noise(n: int, seed: int = 7) -> bytes:
    rng = random.Random(seed)
    return bytes(rng.randrange(256) for _ in range(n))


# --- the table of hostile files ---------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One generated input: its name, its bytes, and what must happen.

    ``reason`` None means the file must be read and extracted correctly (its text holds
    ``phrase``, the first document's symbol is ``symbol`` when set, a ``warning`` when
    set is among the file's warnings, ``encoding`` when set is how it was decoded);
    otherwise the error's reason must contain
    ``reason`` and its hint must say what to do.
    """

    name: str
    data: Callable[[], bytes]
    reason: str | None = None
    symbol: str | None = SYMBOL
    phrase: str = PHRASE
    warning: str | None = None
    encoding: str | None = None


CASES: list[tuple[str, Case]] = [
    ("empty", Case("trống.txt", lambda: b"", "empty file")),
    ("blank", Case("khoảng trắng.txt", lambda: b" \n\t\r\n  \n", "no text found")),
    ("binary-noise", Case("nhiễu.txt", lambda: noise(8192), "binary file")),
    ("program", Case("chương trình.txt", lambda: b"\x7fELF\x02\x01\x01" + noise(500),
                     "binary file, not text (program (ELF))")),
    ("nul-inside-text", Case("có NUL.txt", lambda: DOC.encode() + b"\x00" + DOC.encode(),
                             "binary file")),
    ("png-named-pdf", Case("ảnh chụp.pdf", lambda: b"\x89PNG\r\n\x1a\n" + noise(300),
                           "PNG image, not a document")),
    ("empty-pdf", Case("rỗng.pdf", lambda: b"", "empty file")),
    ("not-a-pdf", Case("giả.pdf", lambda: DOC.encode(), "not a valid PDF (no %PDF header)")),
    ("truncated-pdf", Case("cắt cụt.pdf", lambda: cut(doc_pdf(), 0.5), "PDF is truncated")),
    ("pdf-text-zeroed", Case("hỏng giữa.pdf", lambda: zero_after(doc_pdf(), b"BT /F1", 200),
                             "not a valid PDF")),
    ("pdf-page-lost", Case("mất trang.pdf", lambda: drop_around(doc_pdf(), b"BT /F1", 40, 400),
                           symbol=None, phrase="Sở Nội vụ",
                           warning="pages 1 have no text layer")),
    ("password-pdf-rc4", Case("mật khẩu.pdf", lambda: encrypted_pdf("RC4-128"),
                              "PDF is password-protected")),
    ("scanned-pdf", Case("bản quét.pdf", lambda: make_pdf([None, None]), "needs OCR")),
    ("good-pdf", Case("chỉ thị.pdf", doc_pdf)),
    ("truncated-docx", Case("cắt cụt.docx", lambda: cut(doc_docx(), 0.5),
                            "zip archive is truncated or corrupt")),
    ("docx-last-bytes-cut", Case("thiếu đuôi.docx", lambda: doc_docx()[:-20],
                                 "zip archive is truncated or corrupt")),
    ("encrypted-docx", Case("khóa.docx", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600),
                            "password-protected")),
    ("docx-without-text", Case("trống.docx", lambda: doc_docx(""), "no text found")),
    ("docx-inflating-parts", Case("phình.docx", zip_bomb_docx, "not a valid .docx")),
    ("good-docx", Case("chỉ thị.docx", doc_docx)),
    ("utf16-le-no-bom", Case("utf16le.txt", lambda: DOC.encode("utf-16-le"),
                                        encoding="utf-16-le", warning="without byte-order mark")),
    ("utf16-be-no-bom", Case("utf16be.txt", lambda: DOC.encode("utf-16-be"),
                                        encoding="utf-16-be")),
    ("utf16-bom-damaged", Case("utf16 hỏng.txt", lambda: b"\xff\xfe" + DOC.encode("utf-16-le")
                               + b"\x00\xd8x\x00", "not valid UTF-16")),
    ("utf32-bom", Case("utf32.txt", lambda: DOC.encode("utf-32"))),
    ("tcvn3", Case("tcvn3.txt", lambda: encode_legacy(DOC, "tcvn3").encode("latin-1"),
                       encoding="tcvn3", warning="converted from TCVN3")),
    ("vni", Case("vni.txt", lambda: encode_legacy(DOC, "vni").encode("latin-1"),
                   encoding="vni", warning="converted from VNI")),
    ("cp1258", Case("cp1258.txt", lambda: cp1258(DOC), encoding="cp1258")),
    ("mojibake", Case("mojibake.txt", lambda: mojibake(DOC).encode("utf-8", "surrogateescape"),
                             warning="mojibake")),
    ("nfd-text", Case("nfd.txt", lambda: nfd(DOC).encode())),
    ("utf8-bom", Case("bom.txt", lambda: b"\xef\xbb\xbf" + DOC.encode())),
    ("cr-only-lines", Case("mac cũ.txt", lambda: DOC.replace("\n", "\r").encode())),
    ("damaged-utf8", Case("hỏng utf8.txt", lambda: DOC.encode().replace(
        "lưu trữ".encode(), "lưu ".encode() + b"\xed\xa0\x80", 1))),
    ("deep-html", Case("lồng sâu.html", lambda: ("<div>" * 100_000 + DOC.replace("\n", "<br>")
                                                + "</div>" * 100_000).encode())),
    ("unclosed-html", Case("không đóng.html", lambda: ("<html><body>" + "<div><span>" * 50_000
                                                       + DOC.replace("\n", "<p>")).encode())),
    ("markup-only-html", Case("chỉ thẻ.html", lambda: b"<html><head><title>x</title></head>"
                              b"<body><script>var a = 1;</script></body></html>",
                              "no text found")),
    ("vietnamese-name", Case("Chỉ thị số 12 về công tác văn thư.txt", lambda: DOC.encode())),
    ("nfd-name", Case(nfd("Quyết định ủy quyền.txt"), lambda: DOC.encode())),
    ("odd-name", Case("a<b>#%\"' ;&$(x).md", lambda: DOC.encode())),
    ("newline-in-name", Case("tệp\nxuống dòng.txt", lambda: DOC.encode())),
]
CASE_PARAMS = [pytest.param(case, id=cid) for cid, case in CASES]


def write_cases(folder: Path, cases: list[Case]) -> dict[str, Case]:
    """Write each case's bytes under its name in ``folder``; path → case."""
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for case in cases:
        path = folder / case.name
        path.write_bytes(case.data())
        out[str(path)] = case
    return out


# --- running luocdo in a child ----------------------------------------------------------------

# Runs ``luocdo ARGS`` in this interpreter and prints its peak memory last on stderr.
# With LUOCDO_TEST_DROP_TO it first runs LUOCDO_TEST_WARMUP (so that every lazy import is
# done while the interpreter's own folder is still readable), then becomes that user.
_RUNNER = """
import json, os, resource, sys
from api.cli import main
drop = os.environ.pop("LUOCDO_TEST_DROP_TO", None)
if drop:
    warm = json.loads(os.environ.pop("LUOCDO_TEST_WARMUP"))
    try:
        main.main(args=warm, prog_name="luocdo", standalone_mode=False)
    except SystemExit:
        pass
    os.setgroups([])
    os.setgid(int(drop))
    os.setuid(int(drop))
    sys.stdout.write("\\n--- as uid %d ---\\n" % os.getuid())
    sys.stdout.flush()
code = 0
try:
    main.main(args=sys.argv[1:], prog_name="luocdo")
except SystemExit as e:
    code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
finally:
    sys.stdout.flush()
    # VmHWM: this process's own peak (ru_maxrss also counts the parent's size at exec)
    peak = next((int(x.split()[1]) for x in open("/proc/self/status")
                 if x.startswith("VmHWM:")), 0)
    peak = peak or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    sys.stderr.write("\\nLUOCDO_MAXRSS_KB=%d\\n" % peak)
sys.exit(code)
"""


# A child's peak RSS in KB, as an expression for its code: /proc's VmHWM (its own memory;
# ru_maxrss also counts the parent's size at exec, so a child of a large pytest process
# reported the parent's 870 MB), ru_maxrss where /proc is missing.
PEAK_KB = ("next((int(x.split()[1]) for x in open('/proc/self/status') "
           "if x.startswith('VmHWM:')), 0) or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss")


# What the runner prints once it has become another user.
_AS_UID = "--- as uid"


@dataclass(frozen=True)
class Run:
    """A finished ``luocdo`` child: exit code, output, wall time, peak RSS."""

    code: int
    out: str
    err: str
    seconds: float
    max_rss_mb: float
    raw_out: bytes = b""


def luocdo(*args: str, timeout: float = 300, env: dict[str, str] | None = None) -> Run:
    """Run ``luocdo --lang en ARGS`` in a child process (wide terminal, so no wrapping)."""
    full_env = {**os.environ, "COLUMNS": "1000", "LUOCDO_LANG": "en", **(env or {})}
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", _RUNNER, "--lang", "en", *args], cwd=REPO, env=full_env,
        capture_output=True, timeout=timeout, check=False,
    )
    seconds = time.perf_counter() - started
    out = proc.stdout.decode("utf-8", "replace")
    err = proc.stderr.decode("utf-8", "replace")
    rss = regex.search(r"LUOCDO_MAXRSS_KB=(\d+)", err)
    assert rss, f"the child died before reporting (exit {proc.returncode}):\n{err[-3000:]}"
    return Run(proc.returncode, out, err, seconds, int(rss.group(1)) / 1024, proc.stdout)


def json_of(run: Run) -> dict[str, Any]:
    """The JSON object ``luocdo extract --json`` printed (after the warm-up run, if any)."""
    out = run.out.rpartition(_AS_UID)[2]
    data: dict[str, Any] = json.loads(out[out.index("{"):])
    return data


def assert_no_crash(run: Run) -> None:
    assert "Traceback" not in run.err, run.err[-3000:]
    assert "internal error" not in run.out + run.err, (run.out + run.err)[-3000:]


# --- each hostile file on its own -------------------------------------------------------------


@pytest.mark.parametrize("case", CASE_PARAMS)
def test_each_file_gets_a_clear_answer(tmp_path: Path, case: Case) -> None:
    (path_str, _), = write_cases(tmp_path, [case]).items()
    results, errors = extract_paths([path_str])
    if case.reason is None:
        assert not errors, errors
        (result,) = results
        assert case.phrase in unicodedata.normalize("NFC", result.source_text)
        if case.symbol:
            assert [d.symbol for d in result.documents][:1] == [case.symbol]
        if case.warning:
            assert any(case.warning in w for w in result.warnings), result.warnings
        if case.encoding:
            assert result.encoding == case.encoding
        for d in result.documents:
            assert d.span.text == result.source_text[d.span.start:d.span.end]
    else:
        assert not results
        (err,) = errors
        assert err.path == path_str
        assert case.reason in err.reason, err.reason
        assert "internal error" not in err.reason
        assert err.hint, f"no advice on what to do: {err}"


@pytest.mark.parametrize(
    "data",
    [
        pytest.param("Chỉ thị số ".encode() + b"\xed\xa0\x80" + " về công tác".encode(),
                     id="surrogate-bytes"),
        pytest.param("Số: 12/CT-UBND về ".encode() + b"\xc3" + " văn thư".encode(),
                     id="cut-sequence"),
    ],
)
def test_short_file_with_one_bad_utf8_sequence_is_not_garbled(data: bytes) -> None:
    """A short UTF-8 file with one damaged sequence: read as UTF-8 with U+FFFD, or refused.

    (It was decoded as Windows-1252 and then "repaired", leaving "í", NBSP, "€" in it.)
    """
    try:
        got = read_bytes(data, "ngắn.txt")
    except IngestError:
        return
    assert got.encoding == "utf-8" and "\ufffd" in got.text, (got.encoding, got.text)


def test_docx_zip_bomb_refused_with_small_limit(tmp_path: Path) -> None:
    """The inflating .docx above fails on its bogus parts; with a small limit it is refused
    for its size, before its 8 MB text part is inflated."""
    f = tmp_path / "bom.docx"
    f.write_bytes(zip_bomb_docx())
    with pytest.raises(IngestError, match=r"expands to .* too large") as caught:
        read_file(f, max_bytes=100_000)
    assert caught.value.hint and "--max-bytes" in caught.value.hint


# --- whole batches through the command line ---------------------------------------------------


@pytest.fixture
def hostile_folder(tmp_path: Path) -> tuple[Path, dict[str, Case]]:
    folder = tmp_path / "hồ sơ hỗn hợp"
    cases = write_cases(folder, [case for _, case in CASES])
    return folder, cases


def _expected(cases: dict[str, Case]) -> tuple[set[str], set[str]]:
    good = {p for p, c in cases.items() if c.reason is None}
    return good, set(cases) - good


def test_extract_batch_reports_every_file(hostile_folder: tuple[Path, dict[str, Case]]) -> None:
    folder, cases = hostile_folder
    run = luocdo("extract", "--json", str(folder))
    assert_no_crash(run)
    good, bad = _expected(cases)
    data = json_of(run)
    assert {str(f["path"]) for f in data["files"]} == good
    errors = {str(e["path"]): e for e in data["errors"]}
    assert set(errors) == bad
    for path, err in errors.items():
        assert str(cases[path].reason) in str(err["reason"]), (path, err)
        assert err["hint"], err
    assert run.code == 1  # something failed


def test_extract_batch_prints_a_summary(hostile_folder: tuple[Path, dict[str, Case]]) -> None:
    """``luocdo extract`` (not --json) must end with what landed and what did not.

    i18n.py already has the words ("files processed", "files failed").
    """
    folder, cases = hostile_folder
    run = luocdo("extract", str(folder))
    assert_no_crash(run)
    good, bad = _expected(cases)
    tail = (run.out + run.err)[-2000:]
    assert regex.search(rf"\b{len(good)}\b[^\n]*files processed", tail), tail
    assert regex.search(rf"\b{len(bad)}\b[^\n]*files failed", tail), tail
    assert run.code == 1


def test_ingest_batch_lands_the_good_and_names_the_bad(
    hostile_folder: tuple[Path, dict[str, Case]], tmp_path: Path
) -> None:
    folder, cases = hostile_folder
    store = tmp_path / "kho"
    run = luocdo("ingest", str(folder), "--store", str(store))
    assert_no_crash(run)
    good, bad = _expected(cases)
    assert f"{len(good)} files landed, {len(bad)} failed" in run.out, run.out[-3000:]
    for path in bad:
        row = next(line for line in run.out.splitlines() if Path(path).name in line)
        assert "failed" in row and str(cases[path].reason) in row, row
    assert run.code == 1
    landed = {s.path for s in OxigraphStore(store).sources()}
    assert landed == {str(Path(p).resolve()) for p in good}


@pytest.mark.parametrize("command", ["extract", "ingest"])
def test_batch_of_good_files_exits_0(tmp_path: Path, command: str) -> None:
    cases = write_cases(tmp_path / "tốt", [c for _, c in CASES if c.reason is None][:5])
    extra = ["--store", str(tmp_path / "kho")] if command == "ingest" else ["--json"]
    run = luocdo(command, str(tmp_path / "tốt"), *extra)
    assert_no_crash(run)
    assert run.code == 0, run.out[-2000:] + run.err[-2000:]
    if command == "ingest":
        assert f"{len(cases)} files landed, 0 failed" in run.out


@pytest.mark.parametrize("command", ["extract", "ingest"])
def test_file_name_that_is_not_utf8(tmp_path: Path, command: str) -> None:
    """Old Windows zips unpack Vietnamese names as raw 8-bit bytes: Linux keeps them."""
    folder = tmp_path / "tên cũ"
    folder.mkdir()
    name = os.fsdecode(os.fsencode(str(folder)) + b"/B\xb8o c\xb8o.txt")  # TCVN3 "Báo cáo"
    Path(name).write_bytes(DOC.encode())
    extra = ["--store", str(tmp_path / "kho")] if command == "ingest" else ["--json"]
    run = luocdo(command, str(folder), *extra)
    assert_no_crash(run)
    assert run.code == 0, run.out[-2000:]
    if command == "extract":
        run.raw_out.decode("utf-8")  # the JSON contract is UTF-8: no raw 8-bit bytes
        (f,) = json_of(run)["files"]
        assert "B" in str(f["path"]) and str(f["path"]).endswith("o.txt")


# --- special files: links, pipes, permissions -------------------------------------------------


def test_symlink_loops_and_broken_links(tmp_path: Path) -> None:
    root = tmp_path / "liên kết"
    (root / "con").mkdir(parents=True)
    (root / "con" / "a.txt").write_text(DOC, encoding="utf-8")
    (root / "con" / "lên").symlink_to("..")  # folder loop
    (root / "tự trỏ.txt").symlink_to("tự trỏ.txt")  # a link to itself
    (root / "x.txt").symlink_to("y.txt")
    (root / "y.txt").symlink_to("x.txt")  # two links pointing at each other
    (root / "gãy.txt").symlink_to("không có.txt")  # broken link
    (root / "bản sao.txt").symlink_to(root / "con" / "a.txt")  # the same file twice
    run = luocdo("extract", "--json", str(root), timeout=60)
    assert_no_crash(run)
    data = json_of(run)
    assert len(data["files"]) == 1
    reasons = {Path(str(e["path"])).name: str(e["reason"]) for e in data["errors"]}
    assert reasons == {
        "tự trỏ.txt": "symbolic link loop",
        "x.txt": "symbolic link loop",
        "y.txt": "symbolic link loop",
        "gãy.txt": "broken symbolic link (its target does not exist)",
    }
    assert run.code == 1


def test_named_pipe_does_not_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "ống.txt"
    os.mkfifo(fifo)
    run = luocdo("extract", "--json", str(fifo), str(tmp_path), timeout=60)
    assert_no_crash(run)
    (err,) = json_of(run)["errors"]
    assert "not a regular file" in str(err["reason"])


@pytest.fixture
def public_tmp() -> Iterator[Path]:
    """A temporary folder that another user can enter (pytest's tmp_path is 0700)."""
    folder = Path(tempfile.mkdtemp(prefix="luocdo-perm-"))
    folder.chmod(0o755)
    yield folder
    for path in folder.rglob("*"):
        if not path.is_symlink():
            path.chmod(0o755 if path.is_dir() else 0o644)
    shutil.rmtree(folder)


def _as_unprivileged(warmup: list[str]) -> dict[str, str]:
    """Environment that makes the runner drop to ``nobody`` (after ``warmup``) when root."""
    if os.geteuid() != 0:
        return {}
    return {"LUOCDO_TEST_DROP_TO": str(NOBODY), "LUOCDO_TEST_WARMUP": json.dumps(warmup)}


@pytest.mark.parametrize("command", ["extract", "ingest"])
def test_unreadable_files_and_folders(public_tmp: Path, command: str) -> None:
    root = public_tmp / "quyền"
    for sub in ("", "khóa", "không vào được"):
        (root / sub).mkdir(parents=True, exist_ok=True)
        (root / sub / "văn bản.txt").write_text(DOC, encoding="utf-8")
    (root / "bí mật.txt").write_text(DOC, encoding="utf-8")
    for path in root.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    (root / "bí mật.txt").chmod(0)
    (root / "khóa").chmod(0)  # cannot be listed
    (root / "không vào được").chmod(0o644)  # listed, but its files cannot be reached
    warm = public_tmp / "warm"
    warm.mkdir(mode=0o755)
    (warm / "a.txt").write_text(DOC, encoding="utf-8")
    store = public_tmp / "kho"
    store.mkdir()
    store.chmod(0o777)  # the unprivileged user writes the store
    extra = ["--store", str(store)] if command == "ingest" else ["--json"]
    warm_extra = ["--store", str(public_tmp / "kho-warm")] if command == "ingest" else ["--json"]
    run = luocdo(command, str(root), *extra,
                 env=_as_unprivileged([command, str(warm), *warm_extra]), timeout=120)
    assert_no_crash(run)
    if os.geteuid() == 0:
        assert f"{_AS_UID} {NOBODY} ---" in run.out
        out = run.out.rpartition(_AS_UID)[2]
    else:
        out = run.out
    expected = {
        "bí mật.txt": "permission denied",
        "khóa": "permission denied: cannot list the folder",
        "văn bản.txt": "permission denied",  # the one inside "không vào được"
    }
    if command == "extract":
        data = json_of(run)
        assert [Path(str(f["path"])).parent.name for f in data["files"]] == ["quyền"]
        got = {Path(str(e["path"])).name: str(e["reason"]) for e in data["errors"]}
        assert got == expected
        for e in data["errors"]:
            assert "chmod" in str(e["hint"])
    else:
        assert "1 files landed, 3 failed" in out, out[-3000:]
    assert run.code == 1


# --- size and memory --------------------------------------------------------------------------


@pytest.fixture
def small_run(tmp_path: Path) -> Run:
    """Baseline: ``luocdo extract`` of one small file (imports, interpreter)."""
    (tmp_path / "nhỏ.txt").write_text(DOC, encoding="utf-8")
    return luocdo("extract", "--json", str(tmp_path / "nhỏ.txt"))


@pytest.mark.parametrize("command", ["extract", "ingest"])
def test_200_mb_file_is_refused_without_reading_it(tmp_path: Path, small_run: Run,
                                                   command: str) -> None:
    big = tmp_path / "rất lớn.txt"
    with big.open("wb") as fh:  # sparse: written in no time, 200 MB long
        fh.write(DOC.encode())
        fh.truncate(200 * 1024 * 1024)
    extra = ["--store", str(tmp_path / "kho")] if command == "ingest" else []
    run = luocdo(command, str(big), *extra)
    assert_no_crash(run)
    assert run.code == 1
    text = " ".join((run.out + run.err).split())
    assert "file is larger than 50 MB" in text and "--max-bytes" in text, text[-2000:]
    print(f"\n200 MB file, {command}: refused in {run.seconds:.2f} s, peak RSS "
          f"{run.max_rss_mb:.0f} MB (small file: {small_run.max_rss_mb:.0f} MB)")
    assert run.max_rss_mb < small_run.max_rss_mb + 64


@pytest.mark.parametrize("command", ["extract", "ingest"])
def test_max_bytes_option(tmp_path: Path, command: str) -> None:
    """The refusal's hint says "raise --max-bytes": the option must exist on the CLI."""
    f = tmp_path / "vừa.txt"
    f.write_text(DOC * 3, encoding="utf-8")
    extra = ["--store", str(tmp_path / "kho")] if command == "ingest" else []
    run = luocdo(command, "--max-bytes", "100", str(f), *extra)
    assert run.code == 1 and "file is larger than 100 bytes" in run.out + run.err, run.err[-1500:]
    run = luocdo(command, "--max-bytes", str(10 * len(DOC.encode()) * 3), str(f), *extra)
    assert run.code == 0, run.err[-1500:]


# Document-like text without line breaks. "sentences": many sentences, each citing a
# document (cost grows with sentences x citations if citations are looked up per
# sentence); "one-sentence": no full stop at all (cost grows with length x matches if
# each match rescans the sentence from its start).
LINE_UNITS = {
    "sentences": "Thực hiện Chỉ thị số 15/CT-TTg ngày 03/4/2024 của Thủ tướng Chính phủ, "
                 "các sở báo cáo Ủy ban nhân dân tỉnh trước ngày 15/12/2024. ",
    "one-sentence": "Thực hiện Chỉ thị số 15/CT-TTg ngày 03/4/2024 của Thủ tướng Chính phủ, "
                    "các sở báo cáo Ủy ban nhân dân tỉnh trước ngày 15/12/2024; ",
}


def one_line(kind: str, n_chars: int) -> str:
    unit = LINE_UNITS[kind]
    return (unit * (n_chars // len(unit) + 1))[:n_chars]


def _extract_cpu(tmp_path: Path, kind: str, n_chars: int, timeout: float) -> tuple[float, float]:
    """CPU seconds and peak RSS (MB) of extract_text on one line, in a fresh child."""
    f = tmp_path / f"{kind}-{n_chars}.txt"
    f.write_text(one_line(kind, n_chars), encoding="utf-8")
    code = (
        "import resource, sys, time\nfrom ingest.extract import extract_text\n"
        "text = open(sys.argv[1], encoding='utf-8').read()\nt = time.process_time()\n"
        "extract_text(text, 'line.txt')\n"
        f"print(time.process_time() - t, {PEAK_KB})\n"
    )
    try:
        proc = subprocess.run([sys.executable, "-c", code, str(f)], cwd=REPO, timeout=timeout,
                              capture_output=True, text=True, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail(f"extracting a {n_chars:,}-character line ({kind}) took over {timeout} s")
    assert proc.returncode == 0, proc.stderr[-3000:]
    cpu, rss = proc.stdout.split()
    return float(cpu), int(rss) / 1024


@pytest.mark.parametrize("kind", sorted(LINE_UNITS))
def test_long_line_extraction_scales_linearly(tmp_path: Path, kind: str) -> None:
    small_n, big_n = 64_000, 256_000
    small, _ = _extract_cpu(tmp_path, kind, small_n, timeout=60)
    big, rss = _extract_cpu(tmp_path, kind, big_n, timeout=120)
    print(f"\none line, {kind}: {small_n:,} chars {small:.2f} s, {big_n:,} chars {big:.2f} s "
          f"(ratio {big / max(small, 1e-3):.1f} for 4x the text), peak RSS {rss:.0f} MB")
    # Linear: about 4x. Allow 8x (n^1.5) and a second of noise; quadratic gives ~16x.
    assert big <= 8 * small + 1.0, f"{big:.1f} s vs {small:.1f} s: superlinear"


def test_10_mb_line_is_read_quickly_and_within_memory(tmp_path: Path) -> None:
    """Reading (decoding, legacy and mojibake checks) a 10 MB line is linear and bounded."""
    f = tmp_path / "một dòng.txt"
    f.write_text(one_line("sentences", 10 * 1024 * 1024), encoding="utf-8")
    code = (
        "import resource, sys, time\nfrom ingest.read import read_file\nfrom ingest.clean import"
        " clean\nt = time.process_time()\ns = read_file(sys.argv[1])\nclean(s.text)\n"
        f"print(time.process_time() - t, {PEAK_KB})\n"
    )
    proc = subprocess.run([sys.executable, "-c", code, str(f)], cwd=REPO, timeout=120,
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    cpu, rss = float(proc.stdout.split()[0]), int(proc.stdout.split()[1]) / 1024
    print(f"\n10 MB line: read + clean {cpu:.2f} s CPU, peak RSS {rss:.0f} MB")
    assert cpu < 30
    assert rss < 600


@pytest.mark.slow
def test_10_mb_line_through_luocdo_extract(tmp_path: Path) -> None:
    """The whole pipeline on a 10 MB line, bounded generously (linear: about a minute)."""
    f = tmp_path / "một dòng.txt"
    f.write_text(one_line("sentences", 10 * 1024 * 1024), encoding="utf-8")
    try:
        run = luocdo("extract", "--json", str(f), timeout=300)
    except subprocess.TimeoutExpired:
        pytest.fail("luocdo extract on a 10 MB line ran over 300 s (superlinear extraction)")
    print(f"\n10 MB line, luocdo extract: {run.seconds:.1f} s, peak RSS {run.max_rss_mb:.0f} MB")
    assert_no_crash(run)
    assert run.code == 0


# --- many files -------------------------------------------------------------------------------


def test_ten_thousand_small_files(tmp_path: Path) -> None:
    folder = tmp_path / "mười nghìn"
    for i in range(10_000):
        sub = folder / f"nhóm {i // 500:02d}"
        if i % 500 == 0:
            sub.mkdir(parents=True)
        (sub / f"thông báo {i:05d}.txt").write_bytes(
            f"Số: {i + 1}/TB-UBND\nThông báo kết quả cuộc họp lần {i}.\n".encode()
        )
    (folder / "nhóm 03" / "hỏng.txt").write_bytes(b"")
    run = luocdo("extract", "--json", str(folder), timeout=300)
    assert_no_crash(run)
    data = json_of(run)
    print(f"\n10,000 small files: luocdo extract --json in {run.seconds:.1f} s, "
          f"peak RSS {run.max_rss_mb:.0f} MB")
    assert len(data["files"]) == 10_000
    assert [Path(str(e["path"])).name for e in data["errors"]] == ["hỏng.txt"]
    symbols = {d["symbol"] for f in data["files"] for d in f["documents"]}
    assert len(symbols) == 10_000
    assert run.code == 1
