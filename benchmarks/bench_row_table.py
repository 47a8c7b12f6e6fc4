"""The whole-store reports kept as row tables (``api.row_table``) at the size of a
million documents, without the store: what the server's side costs.

A million-document store does not fit this machine's disk (about 71 GB), so the store's
side of the 1M target cannot be measured here. The reports' side can: at 100,000
documents the store holds 55,910 obligations (about 0.56 per document), so a million
documents give about 560,000 obligation rows and as many calendar events. This script
writes that many synthetic rows, shaped as the real ones are (a bearer and a recipient
from a few thousand agency names, an action, a deadline, evidence with its quote),
through the real code (``obligation_table_rows``, ``calendar_rows``, ``write_table``,
``write_calendar_files``) in a child process, as a query worker writes them. The parent
then does what the server does, and its resident memory is read before and after:

1. opens the row folder and adopts the tables (``RowFolder``);
2. serves pages of ``/obligations`` (``page_json``) at the start, middle and end,
   ``--runs`` times each: p50 / p95;
3. matches a bearer filter over every row (``matching`` with ``text_matcher``), then
   serves pages of it;
4. cuts one recipient's calendar from the events (``KeptCalendar.only``);
5. brings both tables up to date after a write that touched 20 documents
   (``RowFolder.replace``) and writes the calendar's files again.

    .venv/bin/python -m benchmarks.bench_row_table --rows 560000

The result goes to ``benchmarks/out/bench_row_table-<label>-<date>.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import random
import tempfile
import time
from functools import partial
from pathlib import Path
from typing import Any

from benchmarks.bench_api import tree_rss_mb
from benchmarks.bench_due import timed
from benchmarks.machine import load_average, machine_info, write_result

ROWS_PER_DOCUMENT = 0.56  # obligations per document in the 100k synthetic store
_WORDS = ("báo cáo", "kết quả", "thực hiện", "chỉ thị", "nghị quyết", "kế hoạch", "tổng kết",
          "đánh giá", "tình hình", "triển khai", "công tác", "phòng, chống", "tham nhũng",
          "lãng phí", "cải cách hành chính", "chuyển đổi số", "thanh niên", "dân vận")
_UNITS = ("Ủy ban nhân dân", "Sở Nội vụ", "Ban Tuyên giáo", "Ban Dân vận", "Sở Tài chính",
          "Đảng ủy", "Huyện ủy", "Thành ủy", "Bộ Nội vụ", "Văn phòng")
_PLACES = ("tỉnh Đồng Nai", "tỉnh Bình Dương", "huyện Long Thành", "thành phố Biên Hòa",
           "phường Tân Phong", "xã Phước Thiền", "tỉnh Lâm Đồng", "huyện Nhơn Trạch")


def _parties(draw: random.Random, count: int = 3_000) -> list[str]:
    """A few thousand agency names (a national corpus repeats them across rows)."""
    return [f"{draw.choice(_UNITS)} {draw.choice(_PLACES)} {n}" for n in range(count)]


def _text(draw: random.Random, words: int) -> str:
    return " ".join(draw.choice(_WORDS) for _ in range(words))


def synthetic_rows(count: int, seed: int = 7) -> list[dict[str, Any]]:
    """``obligation_rows``-shaped rows, in the answer's order, five per document."""
    from api.whole_store import obligation_order

    draw = random.Random(seed)
    parties = _parties(draw)
    rows = []
    for n in range(count):
        doc = f"https://data.luocdo.vn/doc/{n // 5:07d}"
        recurring = draw.random() < 0.3
        first = dt.date(2020, 1, 1) + dt.timedelta(days=draw.randrange(6 * 365))
        quote = _text(draw, 30)
        rows.append({
            "iri": f"{doc}/obligation/{n % 5}", "document": doc,
            "document_symbol": f"{n // 5}/KH-UBND", "bearer": draw.choice(parties),
            "recipient": draw.choice(parties), "action": _text(draw, 18),
            "deadline": f"--{first:%m-%d}" if recurring else first.isoformat(),
            "recurring": recurring, "frequency": "yearly" if recurring else None,
            "evidence": {"source": f"corpus/{n // 5:07d}.txt", "start": 100 + n % 900,
                         "end": 100 + n % 900 + len(quote), "quote": quote},
            "first": first if draw.random() < 0.97 else None})
    rows.sort(key=obligation_order)
    return rows


def _events(rows: list[dict[str, Any]]) -> list[Any]:
    """A calendar entry per row with a first day (a VEVENT of the real size)."""
    from api.whole_store import CalendarEntry

    entries = []
    for r in rows:
        if r["first"] is None:
            continue
        uid = f"{abs(hash(r['iri'])):x}@luocdo"
        text = ("BEGIN:VEVENT\r\n" f"UID:{uid}\r\n" f"DTSTART;VALUE=DATE:{r['first']:%Y%m%d}\r\n"
                f"SUMMARY:{r['action'][:60]}\r\n" f"DESCRIPTION:{r['evidence']['quote']}\r\n"
                f"ORGANIZER;CN={r['bearer']}:mailto:noreply@luocdo.vn\r\nEND:VEVENT\r\n")
        entries.append(CalendarEntry(r["iri"], r["document"], (r["first"], uid), text))
    entries.sort(key=lambda e: e.order)
    return entries


def write_reports(path: str, count: int, out: Any) -> None:
    """The worker's part: both tables and the calendar's files (sent back on ``out``)."""
    from api.row_table import RowFolder, write_table
    from api.whole_store import calendar_rows, kept_calendar, obligation_table_rows

    started = time.perf_counter()
    rows = synthetic_rows(count)
    made = time.perf_counter()
    obligations = write_table(path, "obligations", obligation_table_rows(rows))
    written = time.perf_counter()
    events = write_table(path, "calendar", calendar_rows(_events(rows)))
    calendar = kept_calendar(RowFolder(Path(path)), events)
    done = time.perf_counter()
    out.send({"obligations": obligations, "calendar": calendar,
              "times_s": {"rows_made": round(made - started, 1),
                          "obligations_written": round(written - made, 1),
                          "calendar_written": round(done - written, 1)}})


def _page(rows: Any, table: Any, at: int) -> int:
    """One page of 500 rows from ``at``; its rows."""
    return _rows(rows.page_json(table, at, 500))


def _rows(page: tuple[int, bytes]) -> int:
    """The rows of a ``page_json`` page (what ``timed`` records of it)."""
    return page[1].count(b'{"iri":')


def _rss() -> float:
    import os

    return float(tree_rss_mb(os.getpid())["server_mb"])


def serve(path: Path, made: dict[str, Any], runs: int) -> dict[str, Any]:
    """The server's part, with its resident memory before and after."""
    from api.row_table import RowFolder
    from api.search import text_matcher

    out: dict[str, Any] = {"rss_mb_before": _rss()}
    rows = RowFolder(path)
    table = rows.adopt(made["obligations"])
    calendar = rows.adopt(made["calendar"])
    size = table.size
    out["pages"] = {name: timed(partial(_page, rows, table, at), runs)
                    for name, at in (("first", 0), ("middle", size // 2),
                                     ("last", size - 500))}
    start = time.perf_counter()
    bearer = rows.matching(table, text_matcher("sở nội vụ đồng nai"), None)
    out["bearer_filter"] = {"rows": len(bearer),
                            "match_s": round(time.perf_counter() - start, 2),
                            "page": timed(lambda: _rows(rows.page_json(table, 0, 500, bearer)),
                                          runs)}
    start = time.perf_counter()
    recipient = rows.matching(table, None, text_matcher("ban dân vận biên hòa"))
    cut = calendar.only(rows, rows.at(table, recipient, "ident"), "nơi nhận: test")
    out["party_calendar"] = {"events": len(recipient), "bytes": len(cut.body),
                             "cut_s": round(time.perf_counter() - start, 2)}
    touched = [f"https://data.luocdo.vn/doc/{n:07d}" for n in range(0, size // 5, size // 100)]
    fresh = [r for r in rows.rows(table) if r.group in set(touched)]
    start = time.perf_counter()
    new_table = rows.replace(table, touched, fresh)
    replaced = time.perf_counter()
    fresh_events = [r for r in rows.rows(calendar.events) if r.group in set(touched)]
    new_events = rows.replace(calendar.events, touched, fresh_events)
    from api.whole_store import write_calendar_files

    write_calendar_files(rows, new_events)
    out["update"] = {"touched_documents": len(touched),
                     "obligations_replace_s": round(replaced - start, 2),
                     "calendar_replace_and_files_s": round(time.perf_counter() - replaced, 2),
                     "same_rows": new_table.size == size}
    plain, packed = calendar.files(rows)
    out["sizes"] = {"rows_folder_mb": round(sum(f.stat().st_size for f in path.iterdir())
                                            / 2**20, 1),
                    "calendar_mb": round(plain.stat().st_size / 2**20, 1),
                    "calendar_gzip_mb": round(packed.stat().st_size / 2**20, 1)}
    out["rss_mb_after"] = _rss()
    rows.close()
    return out


def run(args: argparse.Namespace) -> dict[str, Any]:
    result: dict[str, Any] = {"machine": machine_info(), "rows": args.rows,
                              "load_before": load_average()}
    with tempfile.TemporaryDirectory(dir=args.tmp) as folder:
        path = Path(folder) / "luocdo-rows"
        receive, send = multiprocessing.Pipe(duplex=False)
        worker = multiprocessing.get_context("spawn").Process(
            target=write_reports, args=(str(path), args.rows, send))
        worker.start()
        made = receive.recv()
        worker.join()
        result["worker"] = made.pop("times_s")
        print("written", result["worker"], flush=True)
        result["server"] = serve(path, made, args.runs)
        print("served", result["server"], flush=True)
    result["load_after"] = load_average()
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=560_000,
                        help="obligation rows (560,000: a million documents)")
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--label", default="now")
    parser.add_argument("--tmp", default=None, help="where the row folder is made")
    args = parser.parse_args(argv)
    path = write_result(f"bench_row_table-{args.label}", run(args))
    print(path)


if __name__ == "__main__":
    main()
