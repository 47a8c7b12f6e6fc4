"""Step 0 of the pipeline: a file (or uploaded bytes) → the source text.

The text returned here is *the source text*: every offset downstream points
into it. It is not NFC-normalised and its newlines are kept as decoded
(``clean.clean`` does both, with an offset map). What this step does:

* decodes text files: UTF-8 (with or without BOM), UTF-16/32 with BOM,
  UTF-16 without BOM (found by its NUL-byte pattern), Windows-1258, and
  8-bit legacy Vietnamese fonts (TCVN3, VNI; see ``ingest.legacy``);
* extracts the text of .docx (body paragraphs and tables in order), .pdf
  (text layer, repeated page headers/footers dropped) and .html;
* repairs UTF-8 that was decoded as Windows-1252 ("Chá»‰ thá»‹");
* refuses, with an :class:`~ingest.models.IngestError` naming the reason and
  what to do, anything it cannot read faithfully: garbled text is never
  emitted.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import os
import stat
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import regex

from ingest.legacy import (
    detect_legacy,
    has_mojibake_residue,
    looks_like_mojibake,
    looks_vietnamese,
    repair_legacy,
    repair_mojibake,
)
from ingest.models import IngestError

__all__ = ["DEFAULT_MAX_BYTES", "FORMATS", "SourceText", "read_bytes", "read_file"]

DEFAULT_MAX_BYTES = 50 * 1024 * 1024

# File extension → format name (``SourceText.format``).
FORMATS = {
    ".txt": "txt",
    ".md": "md",
    ".docx": "docx",
    ".pdf": "pdf",
    ".html": "html",
    ".htm": "html",
}

_LEGACY_NAMES = {"tcvn3": "TCVN3", "vni": "VNI"}


@dataclass(frozen=True, slots=True)
class SourceText:
    """The decoded text of one file.

    Attributes:
        path: the path or upload name as given.
        text: the source text (all spans point into it).
        format: ``"txt"``, ``"md"``, ``"docx"``, ``"pdf"`` or ``"html"``.
        encoding: how the bytes were decoded (``"utf-8"``, ``"utf-16-le"``,
            ``"cp1258"``, ``"tcvn3"``, ``"vni"``, …); None for docx/pdf read
            as Unicode.
        sha256: hex SHA-256 of the file bytes.
        warnings: what was repaired, converted or dropped on the way.
    """

    path: str
    text: str
    format: str
    encoding: str | None
    sha256: str
    warnings: tuple[str, ...] = ()


class _Refused(Exception):
    """Raised inside the extractors; turned into IngestError with the file name."""

    def __init__(self, reason: str, hint: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.hint = hint


@dataclass(frozen=True, slots=True)
class _Extracted:
    text: str
    encoding: str | None
    warnings: tuple[str, ...] = ()


# --------------------------------------------------------------------------
# Public entry points
# --------------------------------------------------------------------------


def display_path(path: str | Path) -> str:
    """``path`` as printable text: bytes that are not UTF-8 (an old Windows-1258 or TCVN3
    file name) become U+FFFD, so reports, JSON and IRIs never carry lone surrogates."""
    raw = os.fsencode(path)
    return raw.decode("utf-8", "replace")


def read_file(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> SourceText:
    """Read one file and return its source text.

    Args:
        path: the file.
        max_bytes: refuse files larger than this.

    Returns:
        The :class:`SourceText`.

    Raises:
        IngestError: the file is missing, unreadable, too large, empty, binary,
            damaged, password-protected, a scan without text, or in an unknown
            encoding. ``reason`` says which, ``hint`` what to do.
    """
    p = Path(path)
    name = display_path(path)
    data = _load(p, name, max_bytes)
    return _read(data, name, p.suffix, max_bytes)


def read_bytes(data: bytes, name: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> SourceText:
    """Read uploaded bytes; ``name`` gives the extension (sniffed when missing).

    Args:
        data: the file content.
        name: the upload's file name, used for the format and in errors.
        max_bytes: refuse uploads larger than this.

    Returns:
        The :class:`SourceText`.

    Raises:
        IngestError: as :func:`read_file`.
    """
    return _read(data, name, Path(name).suffix, max_bytes)


def _load(p: Path, name: str, max_bytes: int) -> bytes:
    try:
        st = p.stat()
        if stat.S_ISDIR(st.st_mode):
            raise IngestError(
                name,
                "is a folder, not a file",
                "pass the files, or a folder to a command that walks folders",
            )
        if not stat.S_ISREG(st.st_mode):
            raise IngestError(
                name,
                "not a regular file (device, pipe or socket)",
                "copy the content into a file first",
            )
        if st.st_size > max_bytes:
            raise _too_large(name, st.st_size, max_bytes)
        with p.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except FileNotFoundError:
        raise IngestError(name, "file not found", "check the path and the file name") from None
    except PermissionError:
        raise IngestError(
            name, "permission denied", "make the file readable (chmod +r) or run as its owner"
        ) from None
    except IsADirectoryError:
        raise IngestError(name, "is a folder, not a file", None) from None
    except OSError as e:
        raise IngestError(
            name, f"cannot read the file ({e.strerror or e})", "check the disk and the path"
        ) from None
    if len(data) > max_bytes:
        raise _too_large(name, len(data), max_bytes)
    return data


def _too_large(name: str, size: int, max_bytes: int) -> IngestError:
    return IngestError(
        name,
        f"file is larger than {_human(max_bytes)} (max_bytes; it has at least {_human(size)})",
        "split it or raise --max-bytes",
    )


def _human(n: int) -> str:
    if n >= 1024 * 1024 and n % (1024 * 1024) == 0:
        return f"{n // (1024 * 1024)} MB"
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB"
    return f"{n} bytes"


def _read(data: bytes, name: str, suffix: str, max_bytes: int) -> SourceText:
    if len(data) > max_bytes:
        raise _too_large(name, len(data), max_bytes)
    if not data:
        raise IngestError(name, "empty file", "the file has no content; export it again")
    try:
        fmt, sniff_warnings = _choose_format(data, suffix.lower())
        extracted = _extract(fmt, data, max_bytes)
        text, encoding, fix_warnings = _fix_text(extracted.text, extracted.encoding)
    except _Refused as r:
        raise IngestError(name, r.reason, r.hint) from None
    if not text.strip():
        raise IngestError(
            name,
            "no text found (the file holds only blanks or markup)",
            "check that this is the right file",
        )
    return SourceText(
        path=name,
        text=text,
        format=fmt,
        encoding=encoding,
        sha256=hashlib.sha256(data).hexdigest(),
        warnings=(*sniff_warnings, *extracted.warnings, *fix_warnings),
    )


# --------------------------------------------------------------------------
# Format sniffing
# --------------------------------------------------------------------------

# Leading bytes of file kinds we recognise (and mostly refuse with a precise reason).
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),  # .doc/.xls, and encrypted .docx
    (b"{\\rtf", "rtf"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"\x1f\x8b", "gzip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"\x7fELF", "program (ELF)"),
)
_IMAGES = {"PNG image", "JPEG image", "GIF image", "TIFF image"}
# In a file named .pdf, the header may follow a little junk (some generators
# write a few bytes first); elsewhere it must open the file, so that a text
# that merely mentions "%PDF-" stays text.
_PDF_HEADER_WINDOW = 1024


def _sniff(data: bytes, by_ext: str | None) -> str | None:
    window = data[:_PDF_HEADER_WINDOW] if by_ext == "pdf" else data[:5]
    if b"%PDF-" in window:
        return "pdf"
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    return None


def _choose_format(data: bytes, suffix: str) -> tuple[str, tuple[str, ...]]:
    """Format from content first (when recognised), then from the extension."""
    by_ext = FORMATS.get(suffix)
    kind = _sniff(data, by_ext)
    if kind == "zip":
        kind = "docx" if _zip_has(data, "word/document.xml") or by_ext == "docx" else "zip"
    if kind in ("pdf", "docx"):
        warn = (
            ()
            if by_ext in (None, kind)
            else (f"the file is named {suffix} but is a {kind.upper()}; read as {kind.upper()}",)
        )
        return kind, warn
    if kind is not None:
        raise _refuse_kind(kind, by_ext)
    if by_ext == "pdf":
        raise _Refused(
            "not a valid PDF (no %PDF header)",
            "the file is damaged or is not a PDF; export it again",
        )
    if by_ext == "docx":
        raise _Refused(
            "not a valid .docx (not a zip archive)",
            "the file is damaged or misnamed; open it in Word and save as .docx",
        )
    if by_ext is not None:
        return by_ext, ()
    return ("html" if _looks_like_html(data) else "txt"), ()


def _refuse_kind(kind: str, by_ext: str | None) -> _Refused:
    if kind == "ole" and by_ext == "docx":
        return _Refused(
            "the .docx is password-protected (encrypted Office file)",
            "open it in Word, remove the password and save it again",
        )
    if kind == "ole":
        return _Refused(
            "old binary Word/Excel format (.doc/.xls) is not supported",
            "open it and save it as .docx",
        )
    if kind == "rtf":
        return _Refused("RTF is not supported", "save it as .docx or .txt")
    if kind == "zip":
        return _Refused(
            "a zip archive that is not a Word document",
            "unzip it and pass the files inside; save .odt/.xlsx/.pptx as .docx",
        )
    if kind in _IMAGES:
        return _Refused(
            f"{kind}, not a document", "a scan needs OCR first; ingest the recognised text"
        )
    return _Refused(f"binary file, not text ({kind})", "pass the document itself")


def _zip_has(data: bytes, member: str) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return member in zf.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def _looks_like_html(data: bytes) -> bool:
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html"))


# --------------------------------------------------------------------------
# Text decoding
# --------------------------------------------------------------------------

# Byte-order marks; UTF-32 first because its LE mark starts with UTF-16's.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# UTF-16 without BOM: at least this share of the high bytes are NUL (ASCII
# and Latin letters, spaces, digits) ...
_UTF16_MIN_NUL_SHARE = 0.3
# ... and the other byte position holds at most this many NULs per high-byte NUL
# (NFD text puts U+0300–U+0323 marks there, so it is not zero).
_UTF16_MAX_OTHER_RATIO = 0.25
# Decoded UTF-16 must be this Latin-script (Vietnamese is): random binary is not.
_UTF16_MIN_LATIN_SHARE = 0.9
# C0 control bytes other than tab, newline, VT, FF, CR, SUB (DOS end of file)
# and ESC, plus DEL: text holds almost none, so beyond this share it is binary.
_MAX_CONTROL_SHARE = 0.01
_MIN_CONTROL_COUNT = 8
_CONTROL_BYTES = bytes([*range(0x01, 0x09), *range(0x0E, 0x1A), *range(0x1C, 0x20), 0x7F])


def _decode_text(data: bytes) -> _Extracted:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _decode_with_bom(data, bom, codec)
    utf16 = _sniff_utf16(data)
    if utf16 is not None:
        return _Extracted(utf16[0], utf16[1], (f"{utf16[1].upper()} without byte-order mark",))
    _refuse_binary(data)
    try:
        return _Extracted(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        return _decode_damaged_utf8(data) or _decode_8bit(data)


# UTF-8 with a few bad bytes (a damaged copy) rather than an 8-bit encoding:
# at least this many valid non-ASCII characters per invalid sequence.
_MIN_VALID_PER_INVALID_UTF8 = 20
_MIN_VALID_SHORT = 3


def _decode_damaged_utf8(data: bytes) -> _Extracted | None:
    text = data.decode("utf-8", errors="replace")
    replaced = text.count("\ufffd") - data.count("\ufffd".encode())
    # one damaged sequence may become several U+FFFD: count runs, not characters
    bad = min(replaced, len(regex.findall("\ufffd+", text)))
    good = len(text) - len(text.encode("ascii", "ignore")) - replaced
    # Short files have few characters to judge by: valid multi-byte UTF-8 sequences
    # almost never arise by chance in 8-bit text, so a handful of them outweighing the
    # damage also means UTF-8 (regression: a short file with one bad sequence was read
    # as Windows-1252 and "repaired" into garbage).
    short_ok = good >= _MIN_VALID_SHORT and good >= _MIN_VALID_SHORT * bad
    if good < _MIN_VALID_PER_INVALID_UTF8 * bad and not short_ok:
        return None
    return _Extracted(
        text, "utf-8", (f"{bad} invalid UTF-8 byte sequence(s) replaced by U+FFFD (damaged file)",)
    )


def _decode_with_bom(data: bytes, bom: bytes, codec: str) -> _Extracted:
    body = data if codec == "utf-8-sig" else data[len(bom) :]
    try:
        text = body.decode(codec)
    except UnicodeDecodeError as e:
        name = codec.removesuffix("-sig").upper()
        raise _Refused(
            f"the file starts with a {name} byte-order mark but is not valid {name} "
            f"(bad bytes at offset {e.start})",
            "the file is damaged; re-save it as UTF-8",
        ) from None
    return _Extracted(text, codec)


def _sniff_utf16(data: bytes) -> tuple[str, str] | None:
    n = len(data) // 2
    if n < 2:
        return None
    even, odd = data[0 : 2 * n : 2].count(0), data[1 : 2 * n : 2].count(0)
    for codec, high, low in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if high >= _UTF16_MIN_NUL_SHARE * n and low <= _UTF16_MAX_OTHER_RATIO * high:
            try:
                text = data[: 2 * n].decode(codec)
            except UnicodeDecodeError:
                return None
            return (text, codec) if _is_latin_text(text) else None
    return None


def _is_latin_text(text: str) -> bool:
    def latin(c: str) -> bool:
        cp = ord(c)
        if cp < 0x20:
            return c in "\t\n\r\f"
        return cp < 0x250 or 0x300 <= cp < 0x370 or 0x1E00 <= cp < 0x1F00 or 0x2000 <= cp < 0x2070

    return sum(map(latin, text)) >= _UTF16_MIN_LATIN_SHARE * len(text)


def _refuse_binary(data: bytes) -> None:
    controls = len(data) - len(data.translate(None, _CONTROL_BYTES))
    if b"\x00" in data or (
        controls >= _MIN_CONTROL_COUNT and controls > _MAX_CONTROL_SHARE * len(data)
    ):
        raise _Refused(
            "binary file, not text",
            "pass a .txt/.md/.docx/.pdf/.html document; this looks like another kind",
        )


def _decode_8bit(data: bytes) -> _Extracted:
    """Not UTF-8: a legacy font encoding, Windows-1258, or Windows-1252."""
    latin1 = data.decode("latin-1")
    if detect_legacy(latin1) is not None:
        return _Extracted(latin1, "latin-1")  # _fix_text converts it
    cp1258 = _try_cp1258(data)
    if cp1258 is not None:
        return _Extracted(cp1258, "cp1258", ("not UTF-8: decoded as Windows-1258 (Vietnamese)",))
    return _Extracted(
        latin1.translate(_cp1252_table()), "cp1252", ("not UTF-8: decoded as Windows-1252",)
    )


@cache
def _cp1252_table() -> dict[int, str]:
    """Latin-1 C1 controls → Windows-1252 glyphs (five bytes stay as they are)."""
    table: dict[int, str] = {}
    for b in range(0x80, 0xA0):
        try:
            table[b] = bytes([b]).decode("cp1252")
        except UnicodeDecodeError:
            continue
    return table


def _try_cp1258(data: bytes) -> str | None:
    try:
        text = data.decode("cp1258")
    except UnicodeDecodeError:
        return None
    return text if looks_vietnamese(text) else None


# Characters that Unicode Vietnamese never uses but TCVN3/VNI text read as
# Latin-1 is full of ("c¸c", "nh©n", "Coäng hoøa"). Below this many, the text
# cannot be legacy or garbled, and the costly word-level checks are skipped:
# they made reading 4x slower on ordinary Unicode files.
_HINT_CLASS = (
    "[\u00a1-\u00bf\u00c4-\u00c7\u00cb\u00cf\u00d1\u00d6-\u00d8\u00db\u00dc"
    "\u00de\u00df\u00e4-\u00e7\u00eb\u00ef\u00f1\u00f6-\u00f8\u00fb\u00fc\u00fe]"
)
# Two such characters close together on one line: legacy words come in runs,
# while a stray "km²" or "n°" in a Unicode file stands alone.
_LEGACY_HINT = regex.compile(_HINT_CLASS + "[^\n]{0,40}" + _HINT_CLASS)


def _may_be_legacy(text: str) -> bool:
    return _LEGACY_HINT.search(text) is not None


def _fix_text(text: str, encoding: str | None) -> tuple[str, str | None, tuple[str, ...]]:
    """Repair mojibake, convert legacy fonts, refuse what still looks garbled."""
    warnings: list[str] = []
    text, repaired = repair_mojibake(text)
    if not repaired and not _may_be_legacy(text):
        return text, encoding, ()
    residue = has_mojibake_residue(text)
    if residue and (repaired or residue >= 2):
        raise _Refused(
            "UTF-8 text that was decoded as Windows-1252 (mojibake) and cannot be fully repaired",
            "export the file again as UTF-8 from the original",
        )
    if repaired:
        warnings.append(
            f"repaired {repaired} characters of UTF-8 that had been decoded as "
            "Windows-1252 (mojibake)"
        )
    legacy = repair_legacy(text)
    if legacy.encoding is not None:
        name = _LEGACY_NAMES[legacy.encoding]
        note = f" ({legacy.lines_converted} lines; the rest was Unicode)" if legacy.mixed else ""
        warnings.append(f"converted from {name}{note}")
        text, encoding = legacy.text, legacy.encoding
    if looks_like_mojibake(text):
        after = (
            f" after converting from {_LEGACY_NAMES[legacy.encoding]}" if legacy.encoding else ""
        )
        raise _Refused(
            f"unknown text encoding: the text still looks garbled{after}",
            "open the file with its original font (.VnTime, VNI-Times, …) and "
            "re-save it as UTF-8 (Unicode), e.g. with Unikey's converter",
        )
    return text, encoding, tuple(warnings)


def _extract_text(data: bytes, max_bytes: int) -> _Extracted:
    return _decode_text(data)


def _extract(fmt: str, data: bytes, max_bytes: int) -> _Extracted:
    if fmt == "pdf":
        return _extract_pdf(data, max_bytes)
    if fmt == "docx":
        return _extract_docx(data, max_bytes)
    if fmt == "html":
        return _extract_html(data, max_bytes)
    return _extract_text(data, max_bytes)


# --------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------

# <meta charset="…"> or <meta http-equiv="Content-Type" content="…; charset=…">.
_META_CHARSET = regex.compile(
    rb"""<meta[^>]{0,500}?charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", regex.I
)
# Labels that browsers read as Windows-1252 (WHATWG encoding standard).
_AS_CP1252 = {"iso-8859-1", "latin1", "latin-1", "us-ascii", "ascii", "windows-1252", "cp1252"}


def _extract_html(data: bytes, max_bytes: int) -> _Extracted:
    decoded = _decode_html(data)
    parser = _HTMLText()
    parser.feed(decoded.text)
    parser.close()
    return _Extracted(parser.result(), decoded.encoding, decoded.warnings)


def _decode_html(data: bytes) -> _Extracted:
    """BOM, then valid UTF-8 (pages often declare a charset they do not use),
    then the declared charset, then the text-file rules."""
    if any(data.startswith(bom) for bom, _ in _BOMS) or _is_utf8(data):
        return _decode_text(data)
    m = _META_CHARSET.search(data[:4096])
    label = m.group(1).decode("ascii").lower() if m else None
    if label and label not in _AS_CP1252 and label not in ("utf-8", "utf8"):
        try:
            codec = codecs.lookup(label).name
            return _Extracted(data.decode(codec), codec)
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration: decode as if there were none
    return _decode_text(data)


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


# Elements that start a new line.
_HTML_BLOCK_TAGS = """address article aside blockquote body caption center dd details dialog div
dl dt fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr html legend li main nav
ol p pre section summary table tbody tfoot thead tr ul"""
# Elements whose content is not text for a reader (<head> is handled apart:
# it is often left unclosed).
_HTML_SKIP_TAGS = "script style template noscript title svg math"
# Elements that may stand in <head>; any other one starts the body.
_HTML_HEAD_TAGS = "base link meta noscript script style template title"


class _HTMLText(HTMLParser):
    """Visible text of an HTML page; iterative, so any nesting depth works."""

    _BLOCK = frozenset(_HTML_BLOCK_TAGS.split())
    _SKIP = frozenset(_HTML_SKIP_TAGS.split())
    _HEAD_ONLY = frozenset(_HTML_HEAD_TAGS.split())
    _SPACE = regex.compile(r"[ \t\n\r\f]+")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._out: list[str] = []
        self._skip = 0
        self._in_head = False
        self._pre = 0
        self._cells: list[int] = []  # cells seen in each open table row

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "head":
            self._in_head = True
        elif self._in_head and tag not in self._HEAD_ONLY:
            self._in_head = False  # body content implies the end of an unclosed <head>
        if tag in self._SKIP:
            self._skip += 1
        elif tag == "br":
            self._out.append("\n")
        elif tag in ("td", "th"):
            if self._cells and self._cells[-1] > 0:
                self._strip_trailing()
                self._out.append("\t")
            if self._cells:
                self._cells[-1] += 1
        else:
            if tag == "tr":
                self._cells.append(0)
            if tag == "pre":
                self._pre += 1
            if tag in self._BLOCK:
                self._newline()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self._out.append("\n")
        elif tag in self._BLOCK:
            self._newline()

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self._in_head = False
        if tag in self._SKIP:
            self._skip = max(0, self._skip - 1)
            return
        if tag == "tr" and self._cells:
            self._cells.pop()
        if tag == "pre":
            self._pre = max(0, self._pre - 1)
        if tag in self._BLOCK:
            self._newline()

    def handle_data(self, data: str) -> None:
        if self._skip or self._in_head:
            return
        if not self._pre:
            data = self._SPACE.sub(" ", data)
            if self._at_line_start():
                data = data.lstrip(" ")
        if data:
            self._out.append(data)

    def _at_line_start(self) -> bool:
        for piece in reversed(self._out):
            if piece:
                return piece.endswith(("\n", "\t"))
        return True

    def _strip_trailing(self) -> None:
        while self._out and self._out[-1].endswith(" ") and not self._pre:
            self._out[-1] = self._out[-1].rstrip(" ")
            if self._out[-1]:
                break
            self._out.pop()

    def _newline(self) -> None:
        self._strip_trailing()
        if self._out and not self._at_line_start():
            self._out.append("\n")

    def result(self) -> str:
        lines = "".join(self._out).split("\n")
        return "\n".join(line.rstrip(" ") for line in lines).strip("\n")


# --------------------------------------------------------------------------
# DOCX
# --------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
# document.xml may expand to at most this many times max_bytes (zip bombs).
_MAX_XML_EXPANSION = 20


def _extract_docx(data: bytes, max_bytes: int) -> _Extracted:
    import docx  # python-docx; imported here so text-only use does not pay for it

    _check_docx_zip(data, max_bytes)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as e:  # python-docx/lxml/zipfile raise many kinds on damaged files
        raise _Refused(
            f"not a valid .docx ({type(e).__name__}: {e})",
            "open it in Word and save it again as .docx",
        ) from None
    lines = list(_block_lines(document.element.body))
    return _Extracted("\n".join(lines), None)


def _check_docx_zip(data: bytes, max_bytes: int) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            info = zf.getinfo("word/document.xml")
            if info.flag_bits & 0x1:
                raise _Refused(
                    "the .docx is password-protected",
                    "open it in Word, remove the password and save it again",
                )
            if info.file_size > _MAX_XML_EXPANSION * max_bytes:
                size = _human(info.file_size)
                raise _Refused(
                    f"the .docx text part expands to {size}: too large",
                    "split the document or raise --max-bytes",
                )
            zf.read("word/document.xml")  # checks the CRC: a cut-off member fails here
    except zipfile.BadZipFile as e:
        raise _Refused(
            f"not a valid .docx (zip archive is truncated or corrupt: {e})",
            "download or export the file again",
        ) from None
    except KeyError:
        raise _Refused(
            "not a Word document: the zip archive has no word/document.xml",
            "save .odt/.xlsx/.pptx files as .docx first",
        ) from None
    except (OSError, EOFError, ValueError) as e:
        raise _Refused(
            f"not a valid .docx (zip archive is truncated or corrupt: {e})",
            "download or export the file again",
        ) from None


def _block_lines(container: Any) -> Iterator[str]:
    """Lines of a body, table cell or text box: paragraphs and tables in order."""
    for child in container.iterchildren():
        tag = child.tag
        if tag == f"{_W}p":
            text, boxes = _paragraph(child)
            yield text
            yield from boxes
        elif tag == f"{_W}tbl":
            yield from _table_lines(child)
        elif tag in (f"{_W}sdt", f"{_W}customXml"):  # content controls wrap blocks
            inner = child.find(f"{_W}sdtContent")
            yield from _block_lines(inner if inner is not None else child)


def _table_lines(tbl: Any) -> Iterator[str]:
    """One line per row, cells joined by tabs; a cell's own lines keep their breaks."""
    for tr in tbl.iterchildren(f"{_W}tr"):
        cells = ["\n".join(_block_lines(tc)) for tc in tr.iterchildren(f"{_W}tc")]
        yield "\t".join(cells)


# Run content → text. Elements not listed contribute nothing (properties,
# field instructions, deleted text, drawings).
_RUN_TEXT: dict[str, Callable[[Any], str]] = {
    f"{_W}t": lambda el: el.text or "",
    f"{_W}tab": lambda el: "\t",
    f"{_W}br": lambda el: "\n",
    f"{_W}cr": lambda el: "\n",
    f"{_W}noBreakHyphen": lambda el: "-",
}
# Subtrees skipped: deleted or moved-away text, and the duplicate fallback
# copy of a text box that Word writes for old readers.
_SKIP_SUBTREES = frozenset([f"{_W}del", f"{_W}moveFrom", f"{_MC}Fallback"])


def _paragraph(p: Any) -> tuple[str, list[str]]:
    """A paragraph's text, and the lines of text boxes anchored in it."""
    parts: list[str] = []
    boxes: list[str] = []
    stack = [iter(p.iterchildren())]
    while stack:
        el = next(stack[-1], None)
        if el is None:
            stack.pop()
            continue
        tag = el.tag
        if not isinstance(tag, str) or tag in _SKIP_SUBTREES:
            continue
        if tag == f"{_W}txbxContent":
            boxes.extend(_block_lines(el))
        elif tag in _RUN_TEXT:
            parts.append(_RUN_TEXT[tag](el))
        else:
            stack.append(iter(el.iterchildren()))
    return "".join(parts), boxes


# --------------------------------------------------------------------------
# PDF
# --------------------------------------------------------------------------

# The end-of-file marker must be in this many last bytes, or the file was cut off.
_PDF_EOF_WINDOW = 2048
# A header/footer candidate is one of this many first or last non-blank lines ...
_EDGE_LINES = 2
# ... no longer than this ...
_MAX_RUNNING_LINE = 150
# ... recurring on more than half the pages, and on at least this many.
_MIN_RUNNING_PAGES = 3
# A page-number line has at most this many letters ("Trang", "Page of").
_MAX_PAGE_LABEL_LETTERS = 10
_DIGITS = regex.compile(r"\d+")
_WS = regex.compile(r"\s+")


def _extract_pdf(data: bytes, max_bytes: int) -> _Extracted:
    if b"%%EOF" not in data[-_PDF_EOF_WINDOW:]:
        raise _Refused(
            "PDF is truncated (no end-of-file marker): its text would be incomplete",
            "download or export the file again",
        )
    pages = _pdf_pages(data)
    if not any(page.strip() for page in pages):
        raise _Refused(
            "scanned PDF with no text layer: the file needs OCR first",
            "run OCR (e.g. ocrmypdf in.pdf out.pdf) and ingest the result",
        )
    warnings: list[str] = []
    blank = [str(i + 1) for i, page in enumerate(pages) if not page.strip()]
    if blank:
        warnings.append(
            f"pages {', '.join(blank)} have no text layer (scanned?); their text is missing"
        )
    pages, dropped = _drop_running_lines(pages)
    if dropped:
        listed = "; ".join(f"{line!r} on {n} pages" for line, n in dropped)
        warnings.append(f"dropped repeated page header/footer lines: {listed}")
    return _Extracted("\n".join(pages), None, tuple(warnings))


def _pdf_pages(data: bytes) -> list[str]:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise _Refused(
                "PDF is password-protected",
                "remove the password (e.g. qpdf --decrypt --password=… in.pdf out.pdf)",
            )
        return [page.extract_text() or "" for page in reader.pages]
    except DependencyError:
        raise _Refused(
            "PDF is encrypted with AES and reading it needs the 'cryptography' package",
            "pip install cryptography, or remove the encryption with qpdf --decrypt",
        ) from None
    except _Refused:
        raise
    except Exception as e:  # pypdf raises many kinds on damaged files
        raise _Refused(
            f"not a valid PDF ({type(e).__name__}: {e})",
            "the file is damaged; export or download it again",
        ) from None


def _line_key(line: str) -> str:
    """Comparison key of a header/footer candidate.

    Page-number lines ("Trang 3/12", "- 3 -", "Page 3 of 12") match whatever
    their digits; a line with more words must recur exactly, so that
    "Điều 1. …" and "Điều 2. …" at the tops of pages are never merged.
    """
    key = _WS.sub(" ", line.strip())
    if sum(c.isalpha() for c in key) <= _MAX_PAGE_LABEL_LETTERS:
        return _DIGITS.sub("#", key)
    return key


def _edge_indexes(lines: list[str]) -> list[int]:
    """Indexes of the first and last non-blank lines; none on a short page,
    where the edges would meet and swallow the body."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    if len(filled) <= 2 * _EDGE_LINES:
        return []
    return filled[:_EDGE_LINES] + filled[-_EDGE_LINES:]


def _drop_running_lines(pages: list[str]) -> tuple[list[str], list[tuple[str, int]]]:
    """Drop header/footer lines that recur at the top or bottom of most pages.

    Returns:
        The pages without those lines, and each dropped line (first form seen)
        with the number of pages it was dropped from.
    """
    if len(pages) < _MIN_RUNNING_PAGES:
        return pages, []
    split = [page.split("\n") for page in pages]
    counts: Counter[str] = Counter()
    for lines in split:
        counts.update({_line_key(lines[i]) for i in _edge_indexes(lines)})
    need = max(_MIN_RUNNING_PAGES, len(pages) // 2 + 1)
    running = {k for k, n in counts.items() if n >= need and 0 < len(k) <= _MAX_RUNNING_LINE}
    if not running:
        return pages, []
    first_form: dict[str, str] = {}
    dropped: Counter[str] = Counter()
    out = []
    for lines in split:
        drop = _running_on_page(lines, running)
        for i in drop:
            key = _line_key(lines[i])
            first_form.setdefault(key, lines[i].strip())
            dropped[key] += 1
        out.append("\n".join(line for i, line in enumerate(lines) if i not in drop))
    return out, [(first_form[k], n) for k, n in dropped.items()]


def _running_on_page(lines: list[str], running: set[str]) -> set[int]:
    """Edge lines of one page that are running lines; a page is never emptied."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    edges = filled[:_EDGE_LINES] + filled[-_EDGE_LINES:]
    drop = {i for i in edges if _line_key(lines[i]) in running}
    return set() if len(drop) >= len(filled) else drop
