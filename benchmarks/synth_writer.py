"""Low-level writing of synthetic documents: layout, wrapping, mentions, dates, truth.

A ``Writer`` accumulates physical lines in one of four layouts seen in extracted text:

* ``pdf``: lines wrapped at 72-90 columns, each followed by a space and a blank line
  (the way many PDF-to-text tools emit Vietnamese PDFs); symbols may break after a hyphen;
* ``lines``: wrapped lines separated by single newlines;
* ``plain``: one line per paragraph (DOCX export);
* ``md``: one line per paragraph, bold headings, ``<sup>n</sup>`` footnote markers.

Every mention it writes is recorded as ground truth (``Cite``), as are deadlines and
numbered headings, so the truth always matches the text.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from collections.abc import Sequence

from benchmarks.synth_model import Cite, Deadline, DocTruth, Ref

LAYOUTS: tuple[str, ...] = ("pdf", "pdf", "lines", "plain", "md")
_SEP = {"pdf": " \n\n", "lines": "\n", "plain": "\n", "md": "\n"}
_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")
# Điểm letters follow the Vietnamese alphabet (no f, j, w, z; đ after d).
_LETTERS = ("a", "b", "c", "d", "đ", "e", "g", "h", "i", "k")


def ascii_slug(text: str) -> str:
    """"Nguyễn Văn Hùng" → "nguyenvanhung" (for e-mail addresses and host names)."""
    base = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in base if c.isascii() and c.isalnum()).lower()


class Writer:
    """Builds the text of one document and its ground truth at the same time."""

    def __init__(self, rng: random.Random, layout: str) -> None:
        self.rng = rng
        self.layout = layout
        self.width = rng.randint(72, 90)
        self.lines: list[str] = []
        self._cites: dict[tuple[str, str], Cite] = {}
        self.deadlines: list[Deadline] = []
        self.outline: list[str] = []
        self.submissions: list[tuple[str, str, dt.date]] = []
        self._path: list[str] = []
        self._counts: dict[str, int] = {}
        self._footnotes = 0

    # --- truth ------------------------------------------------------------------------------

    def record(self, ref: Ref, dated: bool) -> None:
        """Note a mention of ``ref``; a dated mention fixes the cited date."""
        key = (ref.symbol, ref.date.isoformat())
        old = self._cites.get(key)
        if old is None or (old.date is None and dated):
            self._cites[key] = Cite(ref.symbol, ref.date if dated else None)

    def record_symbol(self, symbol: str) -> None:
        """Note an undated symbol named inside a title ("về triển khai Công văn số …")."""
        self._cites.setdefault((symbol, ""), Cite(symbol, None))

    def record_name(self, name: str, date: dt.date) -> None:
        """Note a law cited by name only ("Luật Tổ chức Chính phủ ngày …")."""
        self._cites.setdefault(("name:" + name, date.isoformat()), Cite(None, date, name))

    def cites(self) -> tuple[Cite, ...]:
        """Cited documents once each; an undated entry is dropped when a dated one exists."""
        dated = {c.symbol for c in self._cites.values() if c.date is not None}
        return tuple(c for c in self._cites.values()
                     if c.date is not None or c.symbol not in dated)

    def truth(self, ref: Ref | None, *, kind: str, level: int, implements: str | None,
              attached_to: str | None = None, doc_type: str | None = None) -> DocTruth:
        """The ground truth of what was written so far."""
        return DocTruth(
            symbol=ref.symbol if ref else None,
            date=ref.date if ref else None,
            doc_type=doc_type or (ref.slug if ref else "de-cuong"),
            kind=kind,
            level=level,
            implements=implements,
            attached_to=attached_to,
            cites=self.cites(),
            submissions=tuple(self.submissions),
            deadlines=tuple(self.deadlines),
            outline=tuple(self.outline),
        )

    # --- physical text ----------------------------------------------------------------------

    def line(self, text: str = "") -> None:
        """One unwrapped line (header furniture, list items)."""
        self.lines.append(text)

    def para(self, text: str) -> None:
        """A body paragraph, wrapped according to the layout."""
        if self.layout in ("plain", "md"):
            self.lines.append(text)
            self.lines.append("")
            return
        self.lines.extend(self._wrap(text))

    def bold(self, text: str) -> str:
        return f"**{text}**" if self.layout == "md" else text

    def footnote(self) -> tuple[str, str]:
        """(marker, body prefix) of the next footnote; empty strings outside ``md``."""
        if self.layout != "md":
            return "", ""
        self._footnotes += 1
        n = self._footnotes
        return f"<sup>{n}</sup>", f"<sup>{n}</sup> "

    def text(self) -> str:
        sep = _SEP[self.layout]
        return sep.join(self.lines).rstrip() + "\n"

    def _wrap(self, text: str) -> list[str]:
        out: list[str] = []
        current = ""
        for word in text.split(" "):
            if not current:
                current = word
            elif len(current) + 1 + len(word) <= self.width:
                current += " " + word
            else:
                head, word = self._break_symbol(current, word)
                out.append(current + (" " + head if head else ""))
                current = word
        if current:
            out.append(current)
        return out

    def _break_symbol(self, current: str, word: str) -> tuple[str, str]:
        """Split a symbol after a hyphen at the line end ("33/CT-" / "TTg"), sometimes."""
        if "/" not in word or "-" not in word or self.rng.random() >= 0.35:
            return "", word
        cut = word.index("-") + 1
        if cut >= len(word) or len(current) + 1 + cut > self.width + 6:
            return "", word
        return word[:cut], word[cut:]

    # --- outline ----------------------------------------------------------------------------

    def heading(self, depth: int, style: str, title: str, *, upper: bool = False) -> None:
        """A numbered heading at ``depth`` (1 = top) labelled in ``style``.

        Args:
            depth: nesting depth; the recorded path has this many parts ("II.1.a" is 3).
            style: "roman" ("I."), "arabic" ("1.") or "letter" ("a)").
            title: the heading text.
            upper: write the title in capitals (top-level report sections).
        """
        del self._path[depth - 1:]
        key = ".".join(self._path)
        self._counts[key] = self._counts.get(key, 0) + 1
        index = self._counts[key]
        label = _label(style, index)
        self._path.append(label.rstrip(".)"))
        self.outline.append(".".join(self._path))
        shown = title.upper() if upper else title
        self.para(self.bold(f"{label} {shown}") if style == "roman" else f"{label} {shown}")

    # --- dates ------------------------------------------------------------------------------

    def date(self, d: dt.date) -> str:
        """A date as body text writes it: 26/11/2021, 03/6/2013, 26 tháng 11 năm 2021, …"""
        r = self.rng.random()
        day = f"{d.day:02d}" if self.rng.random() < 0.6 else str(d.day)
        month = f"{d.month:02d}" if self.rng.random() < 0.4 else str(d.month)
        if r < 0.62:
            return f"{day}/{month}/{d.year}"
        if r < 0.82:
            return f"{day} tháng {month} năm {d.year}"
        if r < 0.91:
            return f"{day}-{month}-{d.year}"
        return f"{day}.{month}.{d.year}"

    def header_date(self, place: str, d: dt.date) -> str:
        """"Hà Nội, ngày 06 tháng 02 năm 2017" (leading zero for days < 10, months 1-2)."""
        month = f"{d.month:02d}" if d.month <= 2 or self.rng.random() < 0.2 else str(d.month)
        return f"{place}, ngày {d.day:02d} tháng {month} năm {d.year}"

    # --- mentions ---------------------------------------------------------------------------

    def mention(self, ref: Ref, *, dated: bool = True, issuer: bool = True,
                title: bool = False) -> str:
        """Text of one mention of ``ref`` ("Chỉ thị số 33/CT-TTg ngày 26/11/2021 của …")."""
        rng = self.rng
        symbol = self.written_symbol(ref)
        word = ref.word
        if ref.name and rng.random() < 0.6:
            out = f"{ref.name} số {symbol}"
        else:
            out = f"{word} số {symbol}" if rng.random() < 0.92 else f"{word} {symbol}"
        if dated:
            out += (", ngày " if rng.random() < 0.15 else " ngày ") + self.date(ref.date)
        if issuer:
            out += f" của {ref.issuer}"
        if title and ref.title:
            out += f" về {ref.title}"
            for symbol in ref.title_cites:
                self.record_symbol(symbol)
        self.record(ref, dated)
        return out

    def short(self, ref: Ref) -> str:
        """A later, undated mention ("Chỉ thị số 33/CT-TTg")."""
        self.record(ref, False)
        return f"{ref.word} số {self.written_symbol(ref)}"

    def mention_all(self, refs: Sequence[Ref], *, title: bool = False) -> str:
        """Mentions of several documents; same-day siblings share one type word and date."""
        parts: list[str] = []
        i = 0
        while i < len(refs):
            ref = refs[i]
            group = [r for r in refs[i:] if ref.group and r.group == ref.group]
            if len(group) > 1:
                parts.append(self._mention_list(group))
                i += len(group)
            else:
                parts.append(self.mention(ref, title=title))
                i += 1
        return "; ".join(parts)

    def _mention_list(self, refs: Sequence[Ref]) -> str:
        """"Nghị quyết số 18-NQ/TW, 19-NQ/TW ngày 25/10/2017" (one word, one date)."""
        joiner = " và " if self.rng.random() < 0.5 else ", "
        symbols = joiner.join(self.written_symbol(r) for r in refs)
        for r in refs:
            self.record(r, True)
        first = refs[0]
        return f"{first.word} số {symbols} ngày {self.date(first.date)} của {first.issuer}"

    def written_symbol(self, ref: Ref) -> str:
        """The symbol as a real text may damage it; the truth keeps the canonical form."""
        s = ref.symbol
        r = self.rng.random()
        head, _, issuer = s.partition("/")
        if ref.party and "-" in head and "-" not in issuer and "/" not in issuer:
            number, _, code = head.partition("-")
            if r < 0.05:  # Party symbol written in state form: "25/NQ-TW"
                return f"{number}/{code}-{issuer}"
            if r < 0.08:  # spaces around the Party hyphen: "25 - NQ/TW"
                return f"{number} - {code}/{issuer}"
        if "Đ" in s and r > 0.88:  # all-ASCII text: "BCSDCP", "ND-CP"
            return s.replace("Đ", "D")
        if s.count("/") == 2 and "-" in s and r < 0.04:  # "30/2020/NĐ- CP"
            return s.replace("-", "- ", 1)
        return s


def _label(style: str, index: int) -> str:
    if style == "roman":
        return _ROMAN[(index - 1) % len(_ROMAN)] + "."
    if style == "arabic":
        return f"{index}."
    return _LETTERS[(index - 1) % len(_LETTERS)] + ")"
