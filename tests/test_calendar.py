"""graph.calendar: RFC 5545 output of obligation deadlines, parsed back with ``icalendar``."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path
from typing import Any, Literal

import pytest

from graph.calendar import CalendarEvent, calendar, calendar_events, escape_text, fold_line, render

icalendar = pytest.importorskip("icalendar")

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
SAMPLES = ROOT / "ingest" / "samples"


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


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("Bộ Nội vụ", "Bộ Nội vụ"),
        ("a, b; c", "a\\, b\\; c"),
        ("C:\\path", "C:\\\\path"),
        ("dòng 1\ndòng 2", "dòng 1\\ndòng 2"),
        ("dòng 1\r\ndòng 2", "dòng 1\\ndòng 2"),
        ("\\,", "\\\\\\,"),
    ],
)
def test_escape_text(raw: str, escaped: str) -> None:
    assert escape_text(raw) == escaped


@pytest.mark.parametrize(
    "line",
    [
        "SUMMARY:" + "a" * 200,
        "SUMMARY:" + "Hạn gửi báo cáo định kỳ 6 tháng về Bộ Nội vụ " * 5,
        "DESCRIPTION:" + "ệ" * 80,  # three-byte characters never split
        "DESCRIPTION:" + "𝔸" * 40,  # four-byte characters
        "SHORT:ok",
    ],
)
def test_fold_line_keeps_octet_limit_and_characters(line: str) -> None:
    folded = fold_line(line)
    parts = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert parts[0] + "".join(p[1:] for p in parts[1:]) == line


def _event(**overrides: object) -> CalendarEvent:
    values: dict[str, object] = {
        "uid": "x@luocdo",
        "start": dt.date(2024, 12, 15),
        "yearly": True,
        "summary": "Hạn gửi báo cáo hằng năm về Bộ Nội vụ, (thử; nghiệm)",
        "description": "Văn bản: 01/BNV-X\nTrích nguyên văn: “trước ngày 15/12”",
        "stamp": dt.date(2024, 1, 2),
        "obligation": "https://example.org/o/1",
    }
    values.update(overrides)
    return CalendarEvent(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("event", "rrule", "start"),
    [
        (_event(), {"FREQ": ["YEARLY"]}, dt.date(2024, 12, 15)),
        (_event(yearly=False, start=dt.date(2024, 5, 25)), None, dt.date(2024, 5, 25)),
    ],
)
def test_render_parses_back(event: CalendarEvent, rrule: dict | None, start: dt.date) -> None:
    text = render([event])
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    cal = icalendar.Calendar.from_ical(text)
    (parsed,) = cal.walk("VEVENT")
    assert parsed["DTSTART"].dt == start
    assert parsed["DTEND"].dt == start + dt.timedelta(days=1)
    assert (dict(parsed["RRULE"]) if "RRULE" in parsed else None) == rrule
    assert str(parsed["SUMMARY"]) == event.summary
    assert str(parsed["DESCRIPTION"]) == event.description
    assert parsed["DTSTAMP"].dt == dt.datetime(2024, 1, 2, tzinfo=dt.UTC)


def test_calendar_of_the_seeds() -> None:
    store = _store(_seeds())
    text = calendar(store)
    assert text == calendar(store), "the same graph must give the same calendar"
    cal = icalendar.Calendar.from_ical(text)
    events = {
        (e["DTSTART"].dt, "RRULE" in e): e for e in cal.walk("VEVENT")
    }
    # 1432/BNV-CTTN (03/4/2023): half-yearly on 30 May and yearly on 15 December, from 2023.
    half = events[(dt.date(2023, 5, 30), True)]
    assert dict(half["RRULE"]) == {"FREQ": ["YEARLY"]}
    assert "1432/BNV-CTTN" in str(half["SUMMARY"])
    assert "Bộ Nội vụ" in str(half["DESCRIPTION"])
    yearly = events[(dt.date(2023, 12, 15), True)]
    assert "hằng năm" in str(yearly["SUMMARY"])
    # The 2024 letter (header lost): an absolute deadline on 25 May 2024, all-day, once.
    once = events[(dt.date(2024, 5, 25), False)]
    assert "tiêu chí" in str(once["DESCRIPTION"])
    assert len({str(e["UID"]) for e in cal.walk("VEVENT")}) == len(cal.walk("VEVENT"))


def test_uids_are_stable_across_stores() -> None:
    first = [e.uid for e in calendar_events(_store(_seeds()))[0]]
    second = [e.uid for e in calendar_events(_store(_seeds()))[0]]
    assert first == second and first


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_calendar_of_the_samples(tmp_path: Path, form: Literal["NFC", "NFD"]) -> None:
    """A decomposed (NFD) copy of the sample letter gives the same events as the original."""
    source = SAMPLES / "02_cong_van_2215-BNV-CQDP_va_de_cuong.txt"
    copy = tmp_path / source.name
    copy.write_text(unicodedata.normalize(form, source.read_text(encoding="utf-8")),
                    encoding="utf-8")
    events, skipped = calendar_events(_store([copy]))
    cal = icalendar.Calendar.from_ical(render(events))
    seen = sorted(
        (e["DTSTART"].dt, "RRULE" in e, str(e["SUMMARY"])) for e in cal.walk("VEVENT")
    )
    assert all(unicodedata.is_normalized("NFC", summary) for _, _, summary in seen)
    # 2215/BNV-CQĐP (06/5/2025): half-yearly 30 May and yearly 15 December, first in 2025.
    assert (dt.date(2025, 5, 30), True) in {(d, r) for d, r, _ in seen}
    assert (dt.date(2025, 12, 15), True) in {(d, r) for d, r, _ in seen}
    assert all("2215/BNV-CQĐP" in summary for _, _, summary in seen)
    assert not skipped


def test_cli_calendar_writes_a_parsable_file(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from api.cli_graph import ingest
    from api.cli_reports import calendar_cmd

    spec = str(tmp_path / "store")
    runner = CliRunner()
    landed = runner.invoke(ingest, ["--store", spec, str(SAMPLES / "01_chi_thi_15-CT-TTg.txt")])
    assert landed.exit_code == 0, landed.output
    out = tmp_path / "deadlines.ics"
    result = runner.invoke(calendar_cmd, ["-o", str(out), "--store", spec])
    assert result.exit_code == 0, result.output
    raw = out.read_bytes()
    assert b"\r\n" in raw and raw.startswith(b"BEGIN:VCALENDAR\r\n")
    cal = icalendar.Calendar.from_ical(raw)
    assert cal.walk("VEVENT"), "the directive sets deadlines"
    stdout = runner.invoke(calendar_cmd, ["--store", spec])
    assert stdout.exit_code == 0 and stdout.stdout_bytes == raw


@pytest.mark.parametrize("corpus", ["samples", "seeds", "synthetic"])
def test_whole_store_reads_take_the_headers_of_the_creating_documents_only(
        tmp_path: Path, corpus: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The calendar and ``GET /obligations`` without a window read the headers of the
    documents that create obligations (``creator_headers``), and answer what every
    document's full header (``documents``, evidence included) gives."""
    from corpora import corpus_paths, ingested

    import graph.reports
    from api.obligation_window import iter_every_obligation_row, obligation_rows, row_order
    from graph.calendar import events_of
    from graph.reports import creator_headers, documents, obligations

    store = ingested(corpus_paths(corpus, tmp_path))
    docs, obls = documents(store), obligations(store)
    creators = {o.document for o in obls if o.document}
    assert creators and len(creators) < len(docs)  # some documents create nothing
    assert set(creator_headers(store, obls)) == creators
    events = calendar_events(store)
    assert events[0] and events == events_of(docs, obls)
    rows = obligation_rows(store)
    by_iri = {o.iri: o for o in obls}
    first = {e.obligation: e.start for e in events[0]}
    for row in rows:  # each row names its document and first day as the full headers do
        doc = docs.get(by_iri[row["iri"]].document or "")
        assert row["document_symbol"] == (doc.label if doc else None)
        assert row["first"] == first.get(row["iri"])
    assert any(row["document_symbol"] for row in rows)
    assert rows == sorted(rows, key=row_order)  # the facts sorted first: the rows' order
    assert list(iter_every_obligation_row(store)) == rows
    monkeypatch.setattr(graph.reports, "creator_headers", lambda _store, _obls: docs)
    assert rows == obligation_rows(store)
