"""Whole-store reports through the HTTP API: what a user who opens ``/calendar.ics``,
``/conflicts``, ``/submissions`` or ``/obligations`` (no window) gets, right after the
server starts and afterwards.

Starts ``luocdo serve`` on an existing on-disk store (by default the 100k store of
``benchmarks.bench_api``) with the default settings (10 s request limit, 2 query
workers), waits for ``/health``, then:

1. asks each report once, in turn, at once: status and time of each answer (with the
   report keeper this is a 503 ``report_building`` or the answer; computed inside the
   request, as before, the answer or a 503 ``timeout``);
2. polls ``/health`` until it lists every report as built (a server without the keeper
   has no such field: skipped), and records how long after start that was;
3. asks each report ``--runs`` more times, in turn: status counts and p50/p95; each
   plain (``Accept-Encoding: identity``), and the calendar once more gzip-coded, and
   one recipient's calendar (``PARTY``), whose first asking is recorded apart;
4. with ``--write``: ingests one new file with deadlines and removes it again, and
   records how long after each write every report is built (``after_a_write``);
5. with ``--restart``: the reports kept on disk are removed before the first start (so
   that it builds them); after the steps above it waits until the server has kept the
   reports (``luocdo-reports.sqlite``), stops it, starts it again on the same store and
   records, as in steps 1 and 2, what the restarted server answers, when a search is
   answered from an index known to be in step with the store, and when every report is
   served (``restart``).

    .venv/bin/python -m benchmarks.bench_report_api --store benchmarks/out/api-store-100000-s0-t200

The result goes to ``benchmarks/out/bench_report_api-<label>-<date>.json``. Run the code
of another commit with ``PYTHONPATH=<worktree>`` (and its ``luocdo`` entry point is the
same venv's, which imports from ``PYTHONPATH`` first).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import statistics
import time
from pathlib import Path
from typing import Any

from benchmarks.bench_api import HOST, free_port, server, tree_rss_mb
from benchmarks.machine import OUT_DIR, load_average, machine_info, write_result

REPORTS = {"obligations": "/obligations", "calendar": "/calendar.ics",
           "conflicts": "/conflicts", "submissions": "/submissions",
           "sources": "/sources", "stats": "/stats"}
# Every request says which coding it takes: plain, as in the runs before the calendar was
# kept compressed, and the calendar once more as a client that accepts gzip receives it
# (bytes as sent; the time is the transfer's, without decompressing).
PLAIN = {"Accept-Encoding": "identity"}
TOKEN = "bench-report-api-token"  # --write: the server's update token
GZIP = {"Accept-Encoding": "gzip"}
# One party's calendar, as a ministry's staff would subscribe to it: cut from the kept
# calendar on first asking (``first_cut``), then kept.
PARTY = "/calendar.ics?recipient=bo%20noi%20vu"
ROWS = {**{name: (path, PLAIN) for name, path in REPORTS.items()},
        "calendar_gzip": ("/calendar.ics", GZIP), "calendar_party_gzip": (PARTY, GZIP),
        "obligations_bearer": ("/obligations?bearer=ubnd", PLAIN)}


AT_ONCE = {**REPORTS,
           "obligations_window": "/obligations?due_after=2023-06-01&due_before=2023-06-30"}


def ask(http: Any, path: str, headers: dict[str, str] = PLAIN) -> dict[str, Any]:
    """One request: status, milliseconds, bytes as sent and the problem type of an error."""
    start = time.perf_counter()
    with http.stream("GET", path, headers=headers) as response:
        sent = b"".join(response.iter_raw())
    out: dict[str, Any] = {"status": response.status_code,
                           "ms": round((time.perf_counter() - start) * 1000, 1),
                           "bytes": len(sent)}
    if response.headers.get("content-encoding"):
        out["coding"] = response.headers["content-encoding"]
    if response.status_code >= 400:
        out["problem"] = json.loads(sent).get("type")
    if response.headers.get("x-report-stale"):  # served from before the last write
        out["stale"] = True
    return out


def wait_built(http: Any, started: float, limit: float) -> float | None:
    """Seconds from ``started`` until ``/health`` lists every report built (None: the
    server has no report keeper)."""
    while time.perf_counter() - started < limit:
        reports = http.get("/health").json().get("reports")
        if reports is None:
            return None
        if set(reports["built"]) >= set(REPORTS):
            return round(time.perf_counter() - started, 1)
        time.sleep(0.5)
    raise SystemExit(f"reports not built within {limit:g} s")


def repeated(http: Any, path: str, headers: dict[str, str], runs: int) -> dict[str, Any]:
    """``runs`` requests: status counts, and p50/p95 ms of the successful ones."""
    answers = [ask(http, path, headers) for _ in range(runs)]
    ok = sorted(a["ms"] for a in answers if a["status"] == 200)
    statuses: dict[str, int] = {}
    for a in answers:
        statuses[str(a["status"])] = statuses.get(str(a["status"]), 0) + 1
    out: dict[str, Any] = {"statuses": statuses, "bytes": answers[-1]["bytes"]}
    if ok:
        out["p50_ms"] = round(statistics.median(ok), 1)
        out["p95_ms"] = ok[min(len(ok) - 1, round(0.95 * (len(ok) - 1)))]
    return out


def after_a_write(http: Any, started_wait: float) -> dict[str, Any]:
    """Ingest one new synthetic file with deadlines (``POST /ingest``), then: how long
    until each report is built again (polling ``/health``), and ``/obligations`` asked at
    once, as a user who ingests and then looks; the file is removed afterwards
    (``DELETE /sources/{id}``) and the reports waited for again."""
    import tempfile

    from benchmarks.bench_writes import _files

    with tempfile.TemporaryDirectory() as tmp:
        path = _files(Path(tmp), 1)[0]
        data = path.read_bytes()
    auth = {"Authorization": f"Bearer {TOKEN}"}
    start = time.perf_counter()
    landed = http.post("/ingest", files=[("files", (path.name, data))], headers=auth)
    out: dict[str, Any] = {"ingest_status": landed.status_code,
                           "ingest_ms": round((time.perf_counter() - start) * 1000, 1)}
    # each report asked at once, as a user who ingests and then looks (served stale
    # while brought up to date, since session 19)
    out["at_once"] = {name: ask(http, path) for name, path in AT_ONCE.items()}
    out["built_after_s"] = built_times(http, start, started_wait)
    source = landed.json()["files"][0]["source"]["id"]
    start = time.perf_counter()
    removed = http.delete(f"/sources/{source}", headers=auth)
    out["remove_status"] = removed.status_code
    out["built_after_remove_s"] = built_times(http, start, started_wait)
    return out


def built_times(http: Any, start: float, limit: float) -> dict[str, float]:
    """Seconds from ``start`` until ``/health`` lists each report as built."""
    seen: dict[str, float] = {}
    while len(seen) < len(REPORTS) and time.perf_counter() - start < limit:
        for name in http.get("/health").json()["reports"]["built"]:  # of the new generation
            seen.setdefault(name, round(time.perf_counter() - start, 2))
        time.sleep(0.05)
    return seen


def report_file(store: str) -> Path:
    """Where the server keeps the reports of ``store`` (``api.report_file``)."""
    from api.report_file import FILE_NAME

    return Path(store) / FILE_NAME


def kept_after(store: str, start: float, limit: float) -> float | None:
    """Seconds from ``start`` until the reports of ``store`` are kept on disk (None: not
    within ``limit``)."""
    import sqlite3

    while time.perf_counter() - start < limit:
        if report_file(store).exists():
            with contextlib.suppress(sqlite3.Error), \
                    contextlib.closing(sqlite3.connect(report_file(store))) as con:
                if con.execute("SELECT 1 FROM meta WHERE k = 'kept'").fetchone():
                    return round(time.perf_counter() - start, 1)
        time.sleep(0.2)
    return None


def search_current(http: Any, start: float, limit: float) -> float | None:
    """Seconds after ``start`` at which a search is answered from an index known to be
    in step with the store (no ``X-Report-Stale``: the start-up check of the index is
    done), None if not within ``limit``."""
    while time.perf_counter() - start < limit:
        response = http.get("/documents", params={"q": "chi thi"})
        if response.status_code == 200 and "x-report-stale" not in response.headers:
            return round(time.perf_counter() - start, 1)
        time.sleep(0.1)
    return None


def restarted(args: argparse.Namespace) -> dict[str, Any]:
    """Start the server again on the same store: what it answers at once, and when it
    serves every report."""
    import httpx

    out: dict[str, Any] = {"file_bytes": report_file(args.store).stat().st_size}
    port, started = free_port(), time.perf_counter()
    with server(Path(args.store), port, args.workers, args.timeout, wait=600) as proc, \
            httpx.Client(base_url=f"http://{HOST}:{port}", timeout=args.client_timeout) as http:
        out["healthy_after_s"] = round(time.perf_counter() - started, 1)
        out["first"] = {name: ask(http, path) for name, path in REPORTS.items()}
        out["search_current_after_s"] = search_current(http, started, args.wait)
        out["all_built_after_s"] = wait_built(http, started, args.wait)
        out["restored"] = http.get("/health").json()["reports"].get("restored")
        out["repeated"] = {name: repeated(http, path, PLAIN, 5)
                           for name, path in REPORTS.items()}
        out["rss_all_built"] = tree_rss_mb(proc.pid)
    return out


def run(args: argparse.Namespace) -> dict[str, Any]:
    import httpx

    if args.write:
        os.environ["LUOCDO_UPDATE_TOKEN"] = TOKEN  # the server inherits it
    if args.restart:
        report_file(args.store).unlink(missing_ok=True)
    port = free_port()
    result: dict[str, Any] = {"machine": machine_info(), "store": args.store,
                              "started": dt.datetime.now().isoformat(timespec="seconds"),
                              "load_before": load_average()}
    started = time.perf_counter()
    with server(Path(args.store), port, args.workers, args.timeout, wait=600) as proc, \
            httpx.Client(base_url=f"http://{HOST}:{port}", timeout=args.client_timeout) as http:
        result["healthy_after_s"] = round(time.perf_counter() - started, 1)
        result["first"] = {name: ask(http, path) for name, path in REPORTS.items()}
        print("first", result["first"], flush=True)
        result["all_built_after_s"] = wait_built(http, started, args.wait)
        print("built after", result["all_built_after_s"], flush=True)
        result["first_cut"] = ask(http, PARTY, GZIP)
        print("first cut", result["first_cut"], flush=True)
        result["repeated"] = {name: repeated(http, path, headers, args.runs)
                              for name, (path, headers) in ROWS.items()}
        print("repeated", result["repeated"], flush=True)
        result["rss_all_built"] = tree_rss_mb(proc.pid)  # every report kept
        print("rss", result["rss_all_built"], flush=True)
        if args.write:
            result["write"] = after_a_write(http, args.wait)
            result["rss_after_writes"] = tree_rss_mb(proc.pid)
            print("write", result["write"], result["rss_after_writes"], flush=True)
        if args.restart:
            start = time.perf_counter()
            result["kept_after_s"] = kept_after(args.store, start, args.wait)
            print("kept after", result["kept_after_s"], flush=True)
    if args.restart:
        result["restart"] = restarted(args)
        print("restart", result["restart"], flush=True)
    result["load_after"] = load_average()
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", default=str(OUT_DIR / "api-store-100000-s0-t200"))
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2, help="server query workers")
    parser.add_argument("--timeout", type=float, default=10.0, help="request limit (s)")
    parser.add_argument("--client-timeout", type=float, default=120.0)
    parser.add_argument("--wait", type=float, default=1800.0,
                        help="seconds to wait for every report to be built")
    parser.add_argument("--label", default="now")
    parser.add_argument("--write", action="store_true",
                        help="then ingest one new file and remove it: how long until "
                             "each report is built again (writes to the store)")
    parser.add_argument("--restart", action="store_true",
                        help="build the reports from scratch, then start the server again "
                             "and measure how soon the kept reports are served")
    args = parser.parse_args(argv)
    result = run(args)
    write_result(f"bench_report_api-{args.label}", result)


if __name__ == "__main__":
    main()
