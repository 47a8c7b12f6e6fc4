"""``luocdo ingest`` logs one line per file when its output is not a terminal.

Run as a user runs it: ``luocdo`` in a child process, its stdout a pipe (a log, a
service journal) or a pseudo-terminal. The lines come as each file lands or fails, so
a run killed before its summary still says what landed.
"""

from __future__ import annotations

import os
import pty
import select
import shutil
import signal
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
import regex
from rdflib import URIRef

from api.cli_graph import file_line
from graph.pipeline import Landed
from graph.store import OxigraphStore
from ingest.models import IngestError

REPO = Path(__file__).resolve().parents[1]
SAMPLES = sorted((REPO / "ingest" / "samples").glob("*.txt"))
LUOCDO = [sys.executable, "-c", "from api.cli import main; main()"]

# A per-file log line in either language: "<status>: <path> …".
LOG_LINE = regex.compile(r"^(?:đã nạp|lỗi|landed|failed): ")


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "LUOCDO_LANG"}
    return {**env, "PYTHONPATH": str(REPO), "COLUMNS": "200"}


def _luocdo(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*LUOCDO, *map(str, args)], cwd=REPO, env=_env(), text=True,
                          capture_output=True, timeout=180, check=False)


def _log_lines(stdout: str) -> list[str]:
    return [line for line in stdout.splitlines() if LOG_LINE.match(line)]


# --- the line itself ---------------------------------------------------------------------------

NFD_PATH = unicodedata.normalize("NFD", "/dữ liệu/kế hoạch.txt")


@pytest.mark.parametrize(("outcome", "lang", "expected"), [
    (Landed("/a/chỉ thị.txt", URIRef("urn:g"), 2), "vi", "đã nạp: /a/chỉ thị.txt (2 văn bản)"),
    (Landed("/a/chỉ thị.txt", URIRef("urn:g"), 2), "en", "landed: /a/chỉ thị.txt (2 documents)"),
    (Landed(NFD_PATH, URIRef("urn:g"), 1), "vi", f"đã nạp: {NFD_PATH} (1 văn bản)"),
    (IngestError("/a/b.pdf", "empty file", "nothing to read"), "vi",
     "lỗi: /a/b.pdf: empty file (nothing to read)"),
    (IngestError("/a/b.pdf", "empty file"), "en", "failed: /a/b.pdf: empty file"),
    (Landed("/a/x\ny\tz.txt", URIRef("urn:g"), 0), "en", "landed: /a/x\\x0ay\\x09z.txt "
                                                         "(0 documents)"),
    (IngestError("/a/c.txt", "bad\rreason"), "en", "failed: /a/c.txt: bad\\x0dreason"),
])
def test_file_line(outcome: Landed | IngestError, lang: str, expected: str) -> None:
    assert file_line(outcome, lang) == expected
    assert "\n" not in file_line(outcome, lang)


# --- a run with its output in a pipe -----------------------------------------------------------


@pytest.mark.parametrize(("lang_args", "landed", "failed", "documents"), [
    ((), "đã nạp", "lỗi", "văn bản"),  # Vietnamese by default
    (("--lang", "en"), "landed", "failed", "documents"),
])
def test_one_line_per_file_in_a_pipe(tmp_path: Path, lang_args: tuple[str, ...], landed: str,
                                     failed: str, documents: str) -> None:
    broken = tmp_path / "hỏng.pdf"
    broken.write_bytes(b"%PDF-1.4 cut off")
    missing = tmp_path / "không có.txt"
    run = _luocdo(*lang_args, "ingest", "--store", tmp_path / "kg", SAMPLES[0], SAMPLES[1],
                  broken, missing)
    assert run.returncode == 1, run.stderr
    lines = _log_lines(run.stdout)
    assert len(lines) == 4, run.stdout
    assert lines[:2] == [f"{landed}: {SAMPLES[0]} (1 {documents})",
                         f"{landed}: {SAMPLES[1]} (2 {documents})"]
    assert lines[2].startswith(f"{failed}: {broken}: ") and "PDF" in lines[2]
    assert lines[3].startswith(f"{failed}: {missing}: ") and "not found" in lines[3]
    # the log comes first, the summary table and line after it
    assert run.stdout.index(lines[-1]) < run.stdout.index("━")


def test_lines_say_what_landed_when_the_run_is_killed(tmp_path: Path) -> None:
    folder = tmp_path / "đầu vào"
    folder.mkdir()
    for i in range(8):  # distinct copies, so that there is something left to kill
        for sample in SAMPLES:
            shutil.copy(sample, folder / f"{i:02d} {sample.name}")
    store = tmp_path / "kg"
    child = subprocess.Popen([*LUOCDO, "ingest", "--store", str(store), str(folder)],
                             cwd=REPO, env=_env(), text=True, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL)
    assert child.stdout is not None
    reported: list[str] = []
    for line in child.stdout:
        if LOG_LINE.match(line):
            reported.append(line.rstrip("\n"))
        if len(reported) == 3:
            break
    child.send_signal(signal.SIGKILL)
    child.wait(30)
    assert len(reported) == 3, "no per-file lines before the kill"
    names = [regex.match(r"^đã nạp: (.*) \(\d+ văn bản\)$", line) for line in reported]
    assert all(names), reported
    with OxigraphStore(store) as opened:
        stored = {Path(s.path).name for s in opened.sources()}
    for m in names:
        assert m is not None and Path(m.group(1)).name in stored  # reported ⇒ in the store


def test_a_newline_in_a_file_name_keeps_one_line(tmp_path: Path) -> None:
    odd = tmp_path / "kế\nhoạch.txt"
    shutil.copy(SAMPLES[0], odd)
    run = _luocdo("ingest", "--store", tmp_path / "kg", odd)
    assert run.returncode == 0, run.stderr
    assert _log_lines(run.stdout) == [f"đã nạp: {tmp_path}/kế\\x0ahoạch.txt (1 văn bản)"]


# --- on a terminal: the progress bar, no log lines ---------------------------------------------


def _run_on_a_terminal(args: list[str]) -> tuple[int, str]:
    """Run ``args`` with stdout and stderr on a pseudo-terminal; its exit code and output."""
    master, slave = pty.openpty()
    child = subprocess.Popen(args, cwd=REPO, env={**_env(), "TERM": "xterm"}, stdout=slave,
                             stderr=slave, stdin=subprocess.DEVNULL)
    os.close(slave)
    chunks: list[bytes] = []
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        if not ready:
            break
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    code = child.wait(60)
    return code, b"".join(chunks).decode("utf-8", "replace")


def test_no_log_lines_on_a_terminal(tmp_path: Path) -> None:
    code, out = _run_on_a_terminal([*LUOCDO, "ingest", "--store", str(tmp_path / "kg"),
                                    str(SAMPLES[0])])
    assert code == 0, out
    assert "1 tệp đã nạp, 0 tệp lỗi" in out  # the summary is there
    assert not any(LOG_LINE.match(line.strip()) for line in out.splitlines()), out
