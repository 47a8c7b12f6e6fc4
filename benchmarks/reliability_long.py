"""Long reliability runs: kill points, concurrent readers, fuzzing, big inputs.

The normal test suite runs each of these briefly (``tests/test_reliability_*.py``,
``tests/test_fuzz_property.py``); this module holds the machinery they share and runs it
for longer, printing the figures ``docs/reliability.md`` quotes.

* **Kill points** (``kill_rounds``): ``luocdo ingest`` (or ``ingest_paths`` in a driver
  that prints each file as it lands) runs on a generated corpus and is killed with
  SIGKILL at a random point; a fresh process then opens the store and dumps every named
  graph. Every source graph present must be isomorphic to a clean ingest of its file
  alone, have its provenance record (and no record without its graph), and every file
  the process reported as landed must be there. The next round goes on in the same store,
  as a user re-running after a crash would; a last full run must complete the store.
* **Concurrent readers** (``concurrent_readers``): threads query triples per named graph
  in a loop while the same process ingests; no reader may see a partial source graph or
  one without its provenance record.
* **Fuzzing**: the atheris harnesses in ``tests/fuzz`` for ``--fuzz-seconds`` each, and
  the hypothesis properties with ``--examples`` examples each.
* **Big inputs**: a 10 MB one-line file through ``luocdo extract`` (time, peak RSS) and
  10,000 small files through ``luocdo ingest``.

    python -m benchmarks.reliability_long --kills 200 --docs 150 --fuzz-seconds 600

Writes ``benchmarks/out/reliability-<date>.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from rdflib import Graph
from rdflib.compare import to_canonical_graph

from benchmarks.synth import write_corpus

__all__ = [
    "KillReport",
    "ReaderReport",
    "canonical_lines",
    "concurrent_readers",
    "dump_store",
    "expected_graphs",
    "full_run",
    "kill_rounds",
    "make_corpus",
    "run_fuzzer",
]

REPO = Path(__file__).parents[1]
BASE = "https://data.luocdo.vn/"
SOURCE_PREFIX = f"{BASE}graph/source/"
PROVENANCE = f"{BASE}graph/provenance"
GENERATED_AT = "http://www.w3.org/ns/prov#generatedAtTime"

# --- child programs ---------------------------------------------------------------------------

# Ingests argv[2:] into the store argv[1] and prints "landed<TAB>path" as each file lands
# (the pipeline calls progress after the file's graph is written).
_DRIVER = """
import sys
from graph.pipeline import ingest_paths
from graph.store import open_store
store = open_store(sys.argv[1])
def tick(done, total, path):
    sys.stdout.write("landed\\t%s\\n" % path)
    sys.stdout.flush()
summary = ingest_paths(store, sys.argv[2:], progress=tick)
store.close()
sys.stdout.write("summary\\t%d\\t%d\\n" % (len(summary.landed), len(summary.failed)))
"""

# Opens the store argv[1] and prints {graph: canonical N-Triples lines} as JSON.
_DUMP = """
import json, sys
from graph.store import OxigraphStore
from benchmarks.reliability_long import canonical_lines
import pyoxigraph as ox
from graph import union
native = ox.Store.read_only(sys.argv[1])
def triples(default):
    return {(str(q.subject), str(q.predicate), str(q.object))
            for q in native.quads_for_pattern(None, None, None, None)
            if isinstance(q.graph_name, ox.DefaultGraph) == default
            and q.subject.value != union.MARK_SUBJECT
            and not isinstance(q.subject, ox.BlankNode) and not isinstance(q.object, ox.BlankNode)}
exact = not union.is_materialised(native) or triples(True) == triples(False)
del native
store = OxigraphStore(sys.argv[1])
out = {str(g): canonical_lines(store.named_graph(g)) for g in store.graph_names()}
out[UNION_CHECK] = ["exact" if exact else "differs"]
json.dump(out, sys.stdout)
"""
_DUMP = _DUMP.replace("UNION_CHECK", repr("urn:luocdo:union-check"))

# Ingests argv[2] into the store argv[1] while reader threads count triples per graph.
# argv[3]: JSON {source graph: expected triple count}. Prints a JSON report.
_READERS = """
import json, sys, threading, time
from graph.pipeline import ingest_paths
from graph.store import OxigraphStore
expected = json.load(open(sys.argv[3], encoding="utf-8"))
store = OxigraphStore(sys.argv[1])
prov, prefix = sys.argv[4], sys.argv[5]
COUNTS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
ORPHANS = ("SELECT ?g WHERE { { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), '%s')) "
           "FILTER NOT EXISTS { GRAPH <%s> { ?g ?q ?t } } } UNION { GRAPH <%s> { ?g ?q ?t } "
           "FILTER(STRSTARTS(STR(?g), '%s')) FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } } } }"
           % (prefix, prov, prov, prefix))
stop = threading.Event()
report = {"queries": 0, "partial": [], "orphans": [], "mixed": 0, "errors": []}
def read():
    while not stop.is_set():
        try:
            counts = {str(r["g"]): int(str(r["n"])) for r in store.query(COUNTS).rows}
            orphans = [str(r["g"]) for r in store.query(ORPHANS).rows]
        except Exception as e:
            report["errors"].append(repr(e)); continue
        report["queries"] += 1
        present = [g for g in expected if g in counts]
        report["partial"] += [[g, counts[g], expected[g]] for g in present
                              if counts[g] != expected[g]]
        report["orphans"] += orphans
        report["mixed"] += 0 < len(present) < len(expected)
        time.sleep(0.001)
threads = [threading.Thread(target=read) for _ in range(int(sys.argv[6]))]
for t in threads: t.start()
summary = ingest_paths(store, [sys.argv[2]])
stop.set()
for t in threads: t.join()
report["landed"] = len(summary.landed)
json.dump(report, sys.stdout)
"""


# --- expected graphs --------------------------------------------------------------------------


def canonical_lines(graph: Graph) -> list[str]:
    """A graph as sorted N-Triples-like lines with canonical blank nodes: equal lists
    mean isomorphic graphs."""
    return sorted(f"{s.n3()} {p.n3()} {o.n3()}" for s, p, o in to_canonical_graph(graph))


def make_corpus(folder: Path, n_docs: int, seed: int = 0) -> list[Path]:
    """``n_docs`` synthetic documents (``benchmarks.synth``) as .txt files in ``folder``."""
    write_corpus(folder, n_docs, seed)
    (folder / "truth.jsonl").unlink()
    return sorted(folder.glob("*.txt"))


def expected_graphs(files: Sequence[Path]) -> dict[str, list[str]]:
    """Each file's graph as a clean ingest of it alone writes it: IRI → canonical lines.

    The pipeline's own steps (extract, map to RDF, replace the named graph) run per file
    into one in-memory store: a source graph depends on its file only.
    """
    from graph import iri
    from graph.rdf import file_graph
    from graph.store import OxigraphStore
    from ingest.extract import extract_file

    store = OxigraphStore(None, base=BASE)
    out = {}
    for f in files:
        name = iri.source_graph_iri(f, BASE)
        store.replace_source(name, file_graph(extract_file(f), base=BASE))
        out[str(name)] = canonical_lines(store.named_graph(name))
    return out


def dump_store(store_dir: Path, timeout: float = 120) -> dict[str, list[str]]:
    """Open the store in a fresh process and return every graph's canonical lines.

    Raises:
        AssertionError: the store could not be opened or read.
    """
    proc = subprocess.run([sys.executable, "-c", _DUMP, str(store_dir)], cwd=REPO,
                          capture_output=True, text=True, timeout=timeout, check=False)
    assert proc.returncode == 0, f"the store does not open after the kill:\n{proc.stderr}"
    data: dict[str, list[str]] = json.loads(proc.stdout)
    return data


def provenance_subjects(dump: dict[str, list[str]]) -> set[str]:
    """Source graphs with a prov:generatedAtTime record in the provenance graph."""
    out = set()
    for line in dump.get(PROVENANCE, []):
        subject, predicate = line.split(" ", 2)[:2]
        if predicate == f"<{GENERATED_AT}>" and subject.startswith(f"<{SOURCE_PREFIX}"):
            out.add(subject[1:-1])
    return out


def check_store(dump: dict[str, list[str]], expected: dict[str, list[str]],
                reported: Sequence[str]) -> list[str]:
    """Everything wrong with a store after a kill (empty when it held)."""
    from graph import iri

    problems = []
    sources = {g for g in dump if g.startswith(SOURCE_PREFIX)}
    for g in sorted(sources):
        if g not in expected:
            problems.append(f"unexpected source graph {g}")
        elif dump[g] != expected[g]:
            lost = sorted(set(expected[g]) - set(dump[g]))[:2]
            gained = sorted(set(dump[g]) - set(expected[g]))[:2]
            problems.append(f"partial or wrong graph {g}: {len(dump[g])} triples, "
                            f"expected {len(expected[g])}: lost {lost} gained {gained}")
    if dump.get("urn:luocdo:union-check") != ["exact"]:
        problems.append("the default graph is not the exact union of the named graphs")
    prov = provenance_subjects(dump)
    problems += [f"graph {g} without its provenance record" for g in sorted(sources - prov)]
    problems += [f"provenance record of a missing graph {g}" for g in sorted(prov - sources)]
    for path in reported:
        if str(iri.source_graph_iri(path, BASE)) not in sources:
            problems.append(f"{path} was reported landed but its graph is missing")
    return problems


# --- kill rounds ------------------------------------------------------------------------------


@dataclass
class KillReport:
    """What ``kill_rounds`` did and found."""

    mode: str
    rounds: int = 0
    killed: int = 0  # rounds where the kill landed before the process finished
    graphs_checked: int = 0  # source graphs compared with a clean ingest after kills
    reported_checked: int = 0  # files reported landed before a kill, then found intact
    partial_states: int = 0  # kills after which some but not all files were in the store
    full_run_seconds: float = 0.0
    problems: list[str] = field(default_factory=list)
    # One row per round: kill delay (s), killed?, files reported landed, source graphs found.
    log: list[tuple[float, bool, int, int]] = field(default_factory=list)


def _spawn(mode: str, store_dir: Path, corpus: Path) -> subprocess.Popen[bytes]:
    if mode == "driver":
        cmd = [sys.executable, "-c", _DRIVER, str(store_dir), str(corpus)]
    else:
        cmd = [sys.executable, "-c", "from api.cli import main; main()", "--lang", "en",
               "ingest", str(corpus), "--store", str(store_dir)]
    env = {**os.environ, "COLUMNS": "400"}
    return subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL)


def _run_and_kill(mode: str, store_dir: Path, corpus: Path, delay: float) -> tuple[bool, list[str]]:
    """Start an ingest, SIGKILL it after ``delay`` s; (killed?, paths it reported landed)."""
    proc = _spawn(mode, store_dir, corpus)
    try:
        proc.wait(timeout=delay)
        killed = False
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        killed = True
    out = proc.stdout.read().decode("utf-8", "replace") if proc.stdout else ""
    reported = [line.split("\t", 1)[1] for line in out.splitlines()
                if line.startswith("landed\t")]
    return killed, reported


def full_run(mode: str, store_dir: Path, corpus: Path) -> float:
    """Run an ingest to its end; returns its wall-clock seconds."""
    started = time.perf_counter()
    proc = _spawn(mode, store_dir, corpus)
    out, _ = proc.communicate(timeout=1800)
    assert proc.returncode == 0, out.decode("utf-8", "replace")[-3000:]
    return time.perf_counter() - started


def kill_rounds(mode: str, corpus: Path, expected: dict[str, list[str]], work: Path,
                rounds: int, rng: random.Random, full_seconds: float | None = None
                ) -> KillReport:
    """Kill an ingest of ``corpus`` ``rounds`` times at random points; check after each.

    Even rounds start from a new store (files reported landed must be there; kills
    while the store is being created); odd rounds re-ingest into the previous round's
    store (a replaced graph must never be half-replaced). A last full run must then
    complete that store.

    Args:
        mode: ``"driver"`` (ingest_paths printing each landed file) or ``"cli"``
            (``luocdo ingest``, which reports only at the end).
        corpus: folder of input files.
        expected: ``expected_graphs`` of its files.
        work: scratch folder (stores are created in it).
        rounds: number of kills.
        rng: source of the kill delays.
        full_seconds: how long an uninterrupted run takes (measured when None).
    """
    report = KillReport(mode)
    report.full_run_seconds = full_seconds or full_run(mode, work / f"{mode}-timing", corpus)
    store_dir = work / f"{mode}-store"
    for round_ in range(rounds):
        if round_ % 2 == 0:
            shutil.rmtree(store_dir, ignore_errors=True)
        delay = rng.uniform(0.1, 1.05) * report.full_run_seconds
        killed, reported = _run_and_kill(mode, store_dir, corpus, delay)
        for _ in range(3):  # the machine got faster than the timing run: kill earlier
            if killed or delay > report.full_run_seconds:
                break
            report.log.append((round(delay, 2), killed, len(reported), -1))
            delay /= 2
            killed, reported = _run_and_kill(mode, store_dir, corpus, delay)
        dump = dump_store(store_dir)
        problems = check_store(dump, expected, reported)
        sources = [g for g in dump if g.startswith(SOURCE_PREFIX)]
        report.rounds += 1
        report.killed += killed
        report.graphs_checked += len(sources)
        report.reported_checked += len(reported)
        report.partial_states += killed and 0 < len(sources) < len(expected)
        report.log.append((round(delay, 2), killed, len(reported), len(sources)))
        report.problems += [f"round {report.rounds} (kill at {delay:.2f} s): {p}"
                            for p in problems]
    full_run(mode, store_dir, corpus)
    dump = dump_store(store_dir)
    missing = sorted(set(expected) - set(dump))
    report.problems += [f"after the final run: missing {g}" for g in missing]
    report.problems += [f"after the final run: {p}" for p in check_store(dump, expected, [])]
    return report


# --- concurrent readers -----------------------------------------------------------------------


@dataclass(frozen=True)
class ReaderReport:
    """What the reader threads saw while the ingest ran."""

    queries: int
    mixed: int  # snapshots with some but not all source graphs: the ingest was mid-way
    partial: list[list[object]]
    orphans: list[str]
    errors: list[str]
    landed: int


def concurrent_readers(corpus: Path, expected: dict[str, list[str]], work: Path,
                       threads: int = 2) -> ReaderReport:
    """Ingest ``corpus`` into a fresh on-disk store while ``threads`` readers query it."""
    counts = work / "expected-counts.json"
    counts.write_text(json.dumps({g: len(lines) for g, lines in expected.items()}))
    proc = subprocess.run(
        [sys.executable, "-c", _READERS, str(work / "readers-store"), str(corpus), str(counts),
         PROVENANCE, SOURCE_PREFIX, str(threads)],
        cwd=REPO, capture_output=True, text=True, timeout=1800, check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return ReaderReport(**json.loads(proc.stdout))


# --- fuzzing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FuzzReport:
    harness: str
    seconds: int
    executions: int
    crashes: list[str]
    returncode: int


def seed_corpus(folder: Path, chunk: int = 1500) -> Path:
    """Seeds for libFuzzer: the sample documents cut at line ends into ~1.5 KB pieces."""
    from importlib import resources

    folder.mkdir(parents=True, exist_ok=True)
    samples = Path(str(resources.files("ingest") / "samples"))
    n = 0
    for sample in sorted(samples.rglob("*.txt")):
        data = sample.read_bytes()
        start = 0
        while start < len(data):
            end = data.find(b"\n", start + chunk)
            end = len(data) if end < 0 else end + 1
            (folder / f"seed{n:03d}").write_bytes(data[start:end])
            n += 1
            start = end
    return folder


def run_fuzzer(harness: str, seconds: int, work: Path) -> FuzzReport:
    """Run ``tests/fuzz/<harness>`` under libFuzzer for ``seconds``; crashes land in ``work``."""
    work.mkdir(parents=True, exist_ok=True)
    corpus = seed_corpus(work / "corpus")
    proc = subprocess.run(
        [sys.executable, str(REPO / "tests" / "fuzz" / harness), f"-max_total_time={seconds}",
         "-timeout=20", "-max_len=4096", "-print_final_stats=1", "-rss_limit_mb=2048",
         f"-artifact_prefix={work}/", str(corpus)],
        cwd=REPO, capture_output=True, text=True, timeout=seconds + 300, check=False,
    )
    execs = re.findall(r"number_of_executed_units:\s*(\d+)", proc.stderr)
    crashes = sorted(p.name for p in work.iterdir()
                     if p.name.startswith(("crash-", "timeout-", "oom-", "leak-")))
    return FuzzReport(harness, seconds, int(execs[-1]) if execs else 0, crashes,
                      proc.returncode)


# --- big inputs -------------------------------------------------------------------------------

_LINE_UNIT = ("Thực hiện Chỉ thị số 15/CT-TTg ngày 03/4/2024 của Thủ tướng Chính phủ, "
              "các sở báo cáo Ủy ban nhân dân tỉnh trước ngày 15/12/2024. ")
_TIMED_CLI = """
import resource, sys, time
from api.cli import main
t = time.perf_counter()
try:
    main.main(args=sys.argv[1:], prog_name="luocdo")
except SystemExit as e:
    code = e.code
sys.stderr.write("\\nRESULT %s %.2f %d\\n" % (code, time.perf_counter() - t,
                 resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))
"""


def timed_cli(args: Sequence[str], timeout: float) -> dict[str, object]:
    """Run ``luocdo ARGS``: exit code, seconds, peak RSS (MB), or a timeout."""
    try:
        proc = subprocess.run([sys.executable, "-c", _TIMED_CLI, "--lang", "en", *args],
                              cwd=REPO, capture_output=True, text=True, timeout=timeout,
                              check=False, env={**os.environ, "COLUMNS": "400"})
    except subprocess.TimeoutExpired:
        return {"timeout": timeout}
    m = re.search(r"RESULT (\S+) ([\d.]+) (\d+)", proc.stderr)
    if not m:
        return {"crashed": proc.stderr[-2000:]}
    return {"code": m.group(1), "seconds": float(m.group(2)), "rss_mb": int(m.group(3)) // 1024,
            "tail": proc.stdout.strip().splitlines()[-1:] if proc.stdout.strip() else []}


# One-line texts (see tests/test_reliability_input.py): many short sentences, or none.
LINE_UNITS = {
    "sentences": _LINE_UNIT,
    "one-sentence": _LINE_UNIT.replace(". ", "; "),
}
_CPU = """
import resource, sys, time
from ingest.extract import extract_text
text = open(sys.argv[1], encoding="utf-8").read()
t = time.process_time()
extract_text(text, "line.txt")
print(time.process_time() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""


def line_scaling(work: Path, sizes: dict[str, Sequence[int]],
                 timeout: float) -> dict[str, list[dict[str, object]]]:
    """CPU seconds and peak RSS of ``extract_text`` on one-line texts of growing size."""
    out: dict[str, list[dict[str, object]]] = {}
    for kind, ns in sizes.items():
        unit = LINE_UNITS[kind]
        for n in ns:
            f = work / f"{kind}-{n}.txt"
            f.write_text((unit * (n // len(unit) + 1))[:n], encoding="utf-8")
            try:
                proc = subprocess.run([sys.executable, "-c", _CPU, str(f)], cwd=REPO,
                                      capture_output=True, text=True, timeout=timeout,
                                      check=True)
                cpu, rss = proc.stdout.split()
                row: dict[str, object] = {"chars": n, "cpu_s": round(float(cpu), 2),
                                          "rss_mb": int(rss)}
            except subprocess.TimeoutExpired:
                row = {"chars": n, "timeout_s": timeout}
            out.setdefault(kind, []).append(row)
            print(kind, row, flush=True)
            if "timeout_s" in row:
                break
    return out


def big_inputs(work: Path, line_mb: int, files: int, timeout: float) -> dict[str, object]:
    """A ``line_mb`` MB one-line file through extract; ``files`` small files through ingest."""
    line = work / "một dòng.txt"
    n = line_mb * 1024 * 1024
    line.write_text((_LINE_UNIT * (n // len(_LINE_UNIT) + 1))[:n], encoding="utf-8")
    folder = work / "nhiều tệp"
    for i in range(files):
        sub = folder / f"nhóm {i // 500:02d}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"thông báo {i:05d}.txt").write_text(
            f"Số: {i + 1}/TB-UBND\nThông báo kết quả cuộc họp lần {i}.\n", encoding="utf-8")
    return {
        f"extract {line_mb} MB line": timed_cli(["extract", "--json", str(line)], timeout),
        f"ingest {files} files": timed_cli(["ingest", str(folder), "--store",
                                            str(work / "kho")], timeout),
    }


# --- command line -----------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    """Run everything with the given budgets and write a JSON report."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kills", type=int, default=100, help="kill points per mode")
    ap.add_argument("--docs", type=int, default=150, help="files in the kill corpus")
    ap.add_argument("--seed", type=int, default=20240515)
    ap.add_argument("--fuzz-seconds", type=int, default=300, help="per atheris harness")
    ap.add_argument("--examples", type=int, default=2000, help="per hypothesis property")
    ap.add_argument("--line-mb", type=int, default=10)
    ap.add_argument("--files", type=int, default=10_000)
    ap.add_argument("--big-timeout", type=float, default=3600)
    ap.add_argument("--skip", nargs="*", default=[],
                    choices=["kills", "readers", "fuzz", "hypothesis", "big"])
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args(argv)
    rng = random.Random(args.seed)
    result: dict[str, object] = {"date": dt.date.today().isoformat(), "args": vars(args) | {
        "out": str(args.out)}}
    with tempfile.TemporaryDirectory(prefix="luocdo-reliability-") as tmp:
        work = Path(tmp)
        if not {"kills", "readers"} <= set(args.skip):
            files = make_corpus(work / "corpus", args.docs, args.seed)
            expected = expected_graphs(files)
        if "kills" not in args.skip:
            for mode in ("driver", "cli"):
                rep = kill_rounds(mode, work / "corpus", expected, work, args.kills, rng)
                result[f"kills_{mode}"] = asdict(rep)
                print(json.dumps(result[f"kills_{mode}"], ensure_ascii=False)[:2000], flush=True)
        if "readers" not in args.skip:
            result["readers"] = asdict(concurrent_readers(work / "corpus", expected, work))
            print(json.dumps(result["readers"])[:2000], flush=True)
        if "fuzz" not in args.skip:
            for harness in ("fuzz_extract.py", "fuzz_outline.py"):
                rep_f = run_fuzzer(harness, args.fuzz_seconds, work / harness)
                result[harness] = asdict(rep_f)
                for name in rep_f.crashes:
                    kept = REPO / "benchmarks" / "out" / "fuzz-crashes"
                    kept.mkdir(parents=True, exist_ok=True)
                    shutil.copy(work / harness / name, kept / f"{harness}-{name}")
                print(json.dumps(result[harness]), flush=True)
        if "hypothesis" not in args.skip:
            started = time.perf_counter()
            proc = subprocess.run(
                [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                 "tests/test_fuzz_property.py", "-k", "not atheris"],
                cwd=REPO, capture_output=True, text=True, check=False,
                env={**os.environ, "LUOCDO_HYPOTHESIS_EXAMPLES": str(args.examples),
                     "LUOCDO_HYPOTHESIS_SHRINK": "1"})
            result["hypothesis"] = {"examples_per_property": args.examples,
                                    "returncode": proc.returncode,
                                    "seconds": round(time.perf_counter() - started, 1),
                                    "tail": proc.stdout.strip().splitlines()[-3:]}
            print(json.dumps(result["hypothesis"], ensure_ascii=False), flush=True)
        if "big" not in args.skip:
            result["line_scaling"] = line_scaling(work, {
                "sentences": [262_144, 524_288, 1_048_576, 2_097_152],
                "one-sentence": [65_536, 131_072, 262_144],
            }, args.big_timeout)
            result["big"] = big_inputs(work, args.line_mb, args.files, args.big_timeout)
            print(json.dumps(result["big"], ensure_ascii=False), flush=True)
    out = args.out or REPO / "benchmarks" / "out" / f"reliability-{dt.date.today()}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"report: {out}")


if __name__ == "__main__":
    main()
