"""Crash safety of ingestion: SIGKILL at random points, concurrent readers.

A generated corpus (``benchmarks.synth``) is ingested into an on-disk store in a child
process that is killed with SIGKILL after a random delay. A fresh process then opens
the store: every source graph in it must be isomorphic to a clean ingest of its file
alone and have its provenance record, every file reported landed before the kill must
be there, and the interrupted file is either whole or absent. The rounds go on in the
same store (as a user re-running after a crash), and a last run must complete it.

The machinery lives in ``benchmarks/reliability_long.py``, which runs it for longer.
The delays come from ``LUOCDO_RELIABILITY_SEED``; the budget from ``LUOCDO_KILL_ROUNDS``.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).parents[1]
if str(REPO) not in sys.path:  # benchmarks/ is not an installed package
    sys.path.insert(0, str(REPO))

from benchmarks.reliability_long import (  # noqa: E402
    check_store,
    concurrent_readers,
    dump_store,
    expected_graphs,
    full_run,
    kill_rounds,
    make_corpus,
)

SEED = int(os.environ.get("LUOCDO_RELIABILITY_SEED", "20240515"))
ROUNDS = int(os.environ.get("LUOCDO_KILL_ROUNDS", "3"))
DOCS = 40


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, list[str]]]:
    """The corpus folder and each file's clean graph (read-only for the tests)."""
    folder = tmp_path_factory.mktemp("corpus") / "văn bản"
    files = make_corpus(folder, DOCS, seed=SEED % 1000)
    return folder, expected_graphs(files)


@pytest.fixture(scope="module")
def full_seconds(corpus: tuple[Path, dict[str, list[str]]],
                 tmp_path_factory: pytest.TempPathFactory) -> float:
    """How long ``luocdo ingest`` of the corpus takes uninterrupted (kill delays scale)."""
    return full_run("cli", tmp_path_factory.mktemp("timing") / "kho", corpus[0])


@pytest.mark.parametrize(("mode", "rounds"), [("driver", ROUNDS), ("cli", max(2, ROUNDS - 1))])
def test_sigkill_during_ingest_loses_nothing_reported_and_leaves_no_partial_graph(
    corpus: tuple[Path, dict[str, list[str]]], full_seconds: float, tmp_path: Path,
    mode: str, rounds: int,
) -> None:
    folder, expected = corpus
    rng = random.Random(f"{SEED}-{mode}")
    report = kill_rounds(mode, folder, expected, tmp_path, rounds, rng, full_seconds)
    print(f"\nkills ({mode}): {report}")
    assert not report.problems, "\n".join(report.problems[:20])
    assert report.killed >= rounds // 2, f"most runs finished before the kill: {report}"
    if mode == "driver":
        assert report.reported_checked > 0, "no kill came after a file had landed"


def test_readers_never_see_a_partial_graph(corpus: tuple[Path, dict[str, list[str]]],
                                           tmp_path: Path) -> None:
    folder, expected = corpus
    report = concurrent_readers(folder, expected, tmp_path, threads=2)
    print(f"\nreaders: {report.queries} snapshots, {report.mixed} mid-ingest")
    assert report.landed == len(expected)
    assert not report.errors, report.errors[:5]
    assert not report.partial, report.partial[:5]
    assert not report.orphans, report.orphans[:5]
    assert report.mixed > 0, "no reader query ran while the ingest was half-way"


def test_a_second_process_gets_a_clear_store_error(corpus: tuple[Path, dict[str, list[str]]],
                                                   tmp_path: Path) -> None:
    """An on-disk store has one writer: another process is refused, not corrupted."""
    folder, expected = corpus
    store = tmp_path / "kho"
    env = {**os.environ, "COLUMNS": "400"}
    cli = [sys.executable, "-c", "from api.cli import main; main()", "--lang", "en"]
    writer = subprocess.Popen([*cli, "ingest", str(folder), "--store", str(store)], cwd=REPO,
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not (store / "LOCK").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        other = subprocess.run([*cli, "stats", "--store", str(store)], cwd=REPO, env=env,
                               capture_output=True, text=True, timeout=120, check=False)
        still_running = writer.poll() is None
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.wait()
    if not still_running:
        pytest.skip("the ingest finished before the second process tried")
    assert other.returncode == 1
    assert "Store error" in other.stderr and "lock" in other.stderr.lower(), other.stderr
    assert "Traceback" not in other.stderr
    assert not check_store(dump_store(store), expected, [])
