"""Backup and restore (graph.backup, ``luocdo backup`` / ``luocdo restore``).

A store saved and restored is the same store: the same named graphs, each isomorphic
to the original. A damaged backup is refused before anything is written. A backup or
restore killed half-way leaves either the old state or a whole new one.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef

from api.cli import main as luocdo_main
from graph.backup import BackupError, backup, restore, verify
from graph.pipeline import ingest_paths
from graph.store import GraphStore, OxigraphStore

REPO = Path(__file__).parents[1]
SEEDS = REPO.parent / "shared" / "seeds"
SAMPLES = Path(str(resources.files("ingest") / "samples"))
BASE = "https://data.luocdo.vn/"
# Random kill points are drawn from this seed (override to explore other points).
SEED = int(os.environ.get("LUOCDO_RELIABILITY_SEED", "20240515"))

Isomorphic = Callable[[Graph, Graph], None]


def snapshot(store: GraphStore) -> dict[URIRef, Graph]:
    """Every named graph under the store's base IRI."""
    return {name: store.named_graph(name) for name in store.graph_names()}


def assert_same_store(actual: GraphStore, expected: GraphStore, iso: Isomorphic) -> None:
    a, e = snapshot(actual), snapshot(expected)
    assert sorted(a) == sorted(e)
    for name in e:
        iso(a[name], e[name])


def sized(store: GraphStore) -> dict[str, int]:
    """Triples per named graph: enough to see that a store did not change."""
    return {str(name): len(g) for name, g in snapshot(store).items()}


@pytest.fixture(scope="module")
def samples_backup(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The bytes of a backup of the sample corpus (immutable, so shared by the module)."""
    store = OxigraphStore(None, base=BASE)
    ingest_paths(store, [SAMPLES])
    path = tmp_path_factory.mktemp("backup") / "samples.nq"
    backup(store, path)
    return path.read_bytes()


@pytest.fixture
def samples_store(memory_store: Callable[[], OxigraphStore]) -> OxigraphStore:
    store = memory_store()
    summary = ingest_paths(store, [SAMPLES])
    assert summary.landed and not summary.failed
    return store


# --- round trips ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["store.nq", "store.nq.gz", "tên có dấu cách.nq"])
@pytest.mark.parametrize("target", ["memory", "disk"])
def test_round_trip_samples(
    samples_store: OxigraphStore, tmp_path: Path, name: str, target: str,
    memory_store: Callable[[], OxigraphStore], assert_isomorphic: Isomorphic,
) -> None:
    info = backup(samples_store, tmp_path / name)
    assert info.graphs == len(samples_store.graph_names()) > 8  # sources, derived, prov, onto
    out = memory_store() if target == "memory" else OxigraphStore(tmp_path / "disk", base=BASE)
    restored = restore(out, tmp_path / name)
    assert (restored.graphs, restored.quads, restored.dropped) == (info.graphs, info.quads, ())
    assert_same_store(out, samples_store, assert_isomorphic)
    assert out.stats() == samples_store.stats()
    assert out.ensure_ontology() is False  # the restored ontology digest matches
    out.close()


def test_round_trip_on_disk_survives_reopening(
    samples_store: OxigraphStore, tmp_path: Path, assert_isomorphic: Isomorphic
) -> None:
    backup(samples_store, tmp_path / "b.nq")
    code = (
        "import sys\nfrom graph.store import OxigraphStore\nfrom graph.backup import restore\n"
        "restore(OxigraphStore(sys.argv[1]), sys.argv[2])\n"
    )
    run = subprocess.run([sys.executable, "-c", code, str(tmp_path / "s"), str(tmp_path / "b.nq")],
                         capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr
    assert_same_store(OxigraphStore(tmp_path / "s", base=BASE), samples_store, assert_isomorphic)


@pytest.mark.seeds
def test_round_trip_seeds(
    tmp_path: Path, memory_store: Callable[[], OxigraphStore], assert_isomorphic: Isomorphic
) -> None:
    if not SEEDS.is_dir():
        pytest.skip(f"seed documents not found at {SEEDS}")
    original = memory_store()
    summary = ingest_paths(original, [SEEDS])
    assert len(summary.landed) == len(list(SEEDS.glob("*.txt"))) and not summary.failed
    backup(original, tmp_path / "seeds.nq.gz")
    copy = memory_store()
    restore(copy, tmp_path / "seeds.nq.gz")
    assert_same_store(copy, original, assert_isomorphic)


@pytest.mark.remote
def test_round_trip_remote(tmp_path: Path, remote_store: Callable[..., GraphStore],
                           assert_isomorphic: Isomorphic) -> None:
    """Virtuoso → file → Oxigraph, and Oxigraph → file → Virtuoso."""
    remote = remote_store()
    ingest_paths(remote, [SAMPLES])
    backup(remote, tmp_path / "r.nq")
    local = OxigraphStore(None, base=remote.base)
    restore(local, tmp_path / "r.nq")
    assert_same_store(local, remote, assert_isomorphic)
    target = remote_store()
    with pytest.raises(BackupError, match="base IRI"):  # each test store has its own base
        restore(target, tmp_path / "r.nq")
    source = OxigraphStore(None, base=target.base)
    ingest_paths(source, [SAMPLES])
    backup(source, tmp_path / "l.nq.gz")
    restore(target, tmp_path / "l.nq.gz")
    assert_same_store(target, source, assert_isomorphic)


def test_literals_that_need_escaping_round_trip(
    tmp_path: Path, memory_store: Callable[[], OxigraphStore], assert_isomorphic: Isomorphic
) -> None:
    store = memory_store()
    g = Graph()
    subject = URIRef(f"{BASE}x/Điều-1")
    hostile = ['a "quoted" \\ back', "dòng 1\ndòng 2\r\n\ttab", "\x00\x01\x1f\x7f",
               "\u2028\u2029", "Quyết định", "Quyết định".encode().decode("utf-8"), "😀", ""]
    for i, text in enumerate(hostile):
        g.add((subject, URIRef(f"{BASE}p{i}"), Literal(text)))
    g.add((subject, URIRef(f"{BASE}lang"), Literal("văn bản", lang="vi")))
    g.add((subject, URIRef(f"{BASE}n"), Literal("2024-03-05", datatype=URIRef(
        "http://www.w3.org/2001/XMLSchema#date"))))
    store.replace_source(URIRef(f"{BASE}graph/source/hostile"), g)
    backup(store, tmp_path / "h.nq")
    copy = memory_store()
    restore(copy, tmp_path / "h.nq")
    assert_same_store(copy, store, assert_isomorphic)


@pytest.mark.parametrize("own_record", [False, True], ids=["plain", "self-describing"])
def test_provenance_graph_round_trips_whole(
    tmp_path: Path, memory_store: Callable[[], OxigraphStore], assert_isomorphic: Isomorphic,
    own_record: bool
) -> None:
    # The provenance graph goes in through GraphStore.put_graph, also when it holds a
    # record about itself (what _replace's {graph: …, provenance: …} map used to drop).
    store = memory_store()
    store.replace_source(URIRef(f"{BASE}graph/source/a"), Graph())
    store.ensure_ontology()
    if own_record:
        pg = store.provenance_graph
        store.update(f"INSERT DATA {{ GRAPH <{pg}> {{ <{pg}> <{BASE}note> \"mine\" }} }}")
    backup(store, tmp_path / "p.nq")
    copy = memory_store()
    restore(copy, tmp_path / "p.nq")
    assert_same_store(copy, store, assert_isomorphic)
    assert len(copy.named_graph(copy.provenance_graph)) == 2 + own_record


def test_backup_of_an_empty_store(tmp_path: Path,
                                  memory_store: Callable[[], OxigraphStore]) -> None:
    info = backup(memory_store(), tmp_path / "empty.nq")
    assert (info.graphs, info.quads) == (0, 0)
    target = memory_store()
    assert restore(target, tmp_path / "empty.nq").graphs == 0
    assert target.graph_names() == []


def test_backup_body_is_deterministic(samples_store: OxigraphStore, tmp_path: Path,
                                      memory_store: Callable[[], OxigraphStore]) -> None:
    backup(samples_store, tmp_path / "a.nq")
    copy = memory_store()
    restore(copy, tmp_path / "a.nq")
    backup(copy, tmp_path / "b.nq")

    def body(p: Path) -> list[str]:
        return [line for line in p.read_text().splitlines() if not line.startswith("# created")]

    assert body(tmp_path / "a.nq") == body(tmp_path / "b.nq")


# --- refusing to overwrite, replacing exactly -------------------------------------------------


def test_restore_refuses_a_non_empty_store(samples_store: OxigraphStore, tmp_path: Path) -> None:
    backup(samples_store, tmp_path / "b.nq")
    before = sized(samples_store)
    with pytest.raises(BackupError, match=r"already holds .* graphs.*--replace"):
        restore(samples_store, tmp_path / "b.nq")
    assert sized(samples_store) == before


@pytest.mark.seeds
def test_restore_replace_makes_the_store_exactly_the_backup(
    samples_store: OxigraphStore, tmp_path: Path, memory_store: Callable[[], OxigraphStore],
    assert_isomorphic: Isomorphic,
) -> None:
    if not SEEDS.is_dir():
        pytest.skip(f"seed documents not found at {SEEDS}")
    backup(samples_store, tmp_path / "b.nq")
    other = memory_store()
    ingest_paths(other, [SEEDS, SAMPLES / "01_chi_thi_15-CT-TTg.txt"])
    info = restore(other, tmp_path / "b.nq", replace=True)
    assert info.dropped  # the seed graphs
    assert_same_store(other, samples_store, assert_isomorphic)


def test_restore_into_a_store_with_another_base(samples_store: OxigraphStore,
                                                tmp_path: Path) -> None:
    backup(samples_store, tmp_path / "b.nq")
    with pytest.raises(BackupError, match=r"base IRI <https://data\.luocdo\.vn/>.*--base-iri"):
        restore(OxigraphStore(None, base="https://example.org/kho/"), tmp_path / "b.nq")


# --- damaged backups --------------------------------------------------------------------------


def _retrail(lines: list[str], graphs: int | None = None) -> list[str]:
    """Recompute the trailer so that only the body's syntax is wrong."""
    body = [x for x in lines[3:-1] if x and not x.startswith("#")]
    digest = hashlib.sha256("".join(x + "\n" for x in body).encode()).hexdigest()
    n = len({x.rsplit(" ", 2)[-2] for x in body}) if graphs is None else graphs
    return [*lines[:-1], f"# end graphs={n} quads={len(body)} sha256={digest}"]


def _lines(data: bytes) -> list[str]:
    return data.decode().rstrip("\n").split("\n")


def _join(lines: list[str]) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def _insert(line: str) -> Callable[[bytes], bytes]:
    """Put ``line`` among the quads, with a trailer that matches (only the syntax is bad)."""
    return lambda d: _join(_retrail([*_lines(d)[:4], line, *_lines(d)[4:]]))


# A word the sample corpus certainly contains, to flip one character of.
_WORD = "Chỉ thị".encode()

DAMAGE: list[tuple[str, Callable[[bytes], bytes], str]] = [
    ("cut-mid-line", lambda d: d[: len(d) // 2], "last line is cut off"),
    ("cut-at-line-end", lambda d: d[: d.rindex(b"\n", 0, len(d) // 2) + 1],
     "'# end …' line is missing"),
    ("trailer-removed", lambda d: _join(_lines(d)[:-1]), "'# end …' line is missing"),
    ("one-char-edited", lambda d: d.replace(_WORD, _WORD.upper(), 1),
     "checksum or quad count does not match"),
    ("line-dropped", lambda d: _join(_lines(d)[:5] + _lines(d)[6:]),
     "checksum or quad count does not match"),
    ("line-duplicated", lambda d: _join(_lines(d)[:5] + _lines(d)[4:]),
     "checksum or quad count does not match"),
    ("not-a-backup", lambda d: b"<a> <b> <c> <g> .\n", "not a luocdo backup"),
    ("empty", lambda d: b"", "not a luocdo backup"),
    ("base-line-missing", lambda d: _join(_lines(d)[:1] + _lines(d)[2:]), "'# base <IRI>'"),
    ("invalid-utf8", lambda d: d[:200] + b"\xff\xfe" + d[200:], "cannot read it"),
    ("bad-syntax", _insert("<a> b <c> <g> ."), "not valid N-Quads"),
    ("relative-iri", _insert("<a> <b> <c> <g> ."), "not valid N-Quads"),
    ("default-graph", _insert("<urn:a> <urn:b> <urn:c> ."), "outside any named graph"),
    ("graph-count", lambda d: _join(_retrail(_lines(d), graphs=99)), "its trailer 99"),
    # regression: an RDF 1.2 triple term (valid N-Quads for pyoxigraph) raised a bare
    # TypeError without the file's name
    ("triple-term", _insert("<urn:a> <urn:b> <<( <urn:c> <urn:d> <urn:e> )>> <urn:g> ."),
     "unsupported RDF term"),
]


@pytest.mark.parametrize(("mutate", "message"), [pytest.param(m, r, id=i) for i, m, r in DAMAGE])
def test_damaged_backup_is_refused_and_store_untouched(
    samples_backup: bytes, tmp_path: Path, memory_store: Callable[[], OxigraphStore],
    mutate: Callable[[bytes], bytes], message: str,
) -> None:
    bad = tmp_path / "bad.nq"
    bad.write_bytes(mutate(samples_backup))
    target = memory_store()
    ingest_paths(target, [SAMPLES / "03_cong_van_1876-UBND-VX_tinh.txt"])
    before = sized(target)
    with pytest.raises(BackupError) as caught:
        restore(target, bad, replace=True)
    assert message in str(caught.value)
    assert str(bad) in str(caught.value)
    with pytest.raises(BackupError):
        verify(bad)
    assert sized(target) == before


@pytest.mark.parametrize("cut", [0.1, 0.5, 0.99])
def test_truncated_gzip_backup_is_refused(samples_store: OxigraphStore, tmp_path: Path,
                                          cut: float) -> None:
    backup(samples_store, tmp_path / "b.nq.gz")
    data = (tmp_path / "b.nq.gz").read_bytes()
    (tmp_path / "cut.nq.gz").write_bytes(data[: int(len(data) * cut)])
    with pytest.raises(BackupError, match="truncated or damaged"):
        verify(tmp_path / "cut.nq.gz")


def test_gzip_of_a_cut_body_is_refused(samples_store: OxigraphStore, tmp_path: Path) -> None:
    """A well-formed .gz whose content was cut (re-compressed partial copy)."""
    backup(samples_store, tmp_path / "b.nq")
    data = (tmp_path / "b.nq").read_bytes()
    (tmp_path / "c.nq.gz").write_bytes(gzip.compress(data[: len(data) - 300]))
    with pytest.raises(BackupError, match="truncated or damaged"):
        verify(tmp_path / "c.nq.gz")


def test_missing_backup_file(tmp_path: Path) -> None:
    with pytest.raises(BackupError, match="backup file not found"):
        verify(tmp_path / "nowhere.nq")


def test_backup_into_a_missing_folder(samples_store: OxigraphStore, tmp_path: Path) -> None:
    with pytest.raises(BackupError, match="cannot write the backup"):
        backup(samples_store, tmp_path / "no" / "such" / "b.nq")
    assert not (tmp_path / "no").exists()


# --- the CLI ----------------------------------------------------------------------------------


def _admin(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(luocdo_main, ["--lang", "en", *args], catch_exceptions=False)
    return result.exit_code, result.output


def test_cli_backup_check_restore(tmp_path: Path, assert_isomorphic: Isomorphic) -> None:
    store_dir, copy_dir, file = tmp_path / "store", tmp_path / "copy", tmp_path / "kho.nq.gz"
    source = OxigraphStore(store_dir, base=BASE)
    ingest_paths(source, [SAMPLES])
    expected = snapshot(source)
    del source  # releases the RocksDB lock for the command
    code, out = _admin("backup", "-o", str(file), "--store", str(store_dir))
    assert code == 0 and f"to {file}" in out and "Backed up" in out
    code, out = _admin("restore", "--check", str(file))
    assert code == 0 and "is intact" in out
    code, out = _admin("restore", str(file), "--store", str(copy_dir))
    assert code == 0 and "Restored" in out
    code, out = _admin("restore", str(file), "--store", str(copy_dir))
    assert code == 1 and "--replace" in out
    code, out = _admin("restore", "--replace", str(file), "--store", str(copy_dir))
    assert code == 0
    copy = snapshot(OxigraphStore(copy_dir, base=BASE))
    assert sorted(copy) == sorted(expected)
    for name, graph in expected.items():
        assert_isomorphic(copy[name], graph)


def test_cli_damaged_backup_exits_1_with_reason(tmp_path: Path) -> None:
    (tmp_path / "b.nq").write_text("# luocdo-backup 1\n# base <https://data.luocdo.vn/>\n")
    code, out = _admin("restore", str(tmp_path / "b.nq"), "--store", str(tmp_path / "s"))
    assert code == 1
    assert "truncated or damaged" in out and "store is unchanged" in out
    code, out = _admin("restore", "--check", str(tmp_path / "b.nq"))
    assert code == 1 and "Backup error" in out


def test_cli_store_locked_by_another_process(tmp_path: Path) -> None:
    holder = OxigraphStore(tmp_path / "s", base=BASE)
    code, out = _admin("backup", "-o", str(tmp_path / "b.nq"), "--store", str(tmp_path / "s"))
    assert code == 1 and "Store error" in out and "lock" in out.lower()
    holder.close()


def test_main_cli_has_backup_and_restore() -> None:
    assert {"backup", "restore"} <= set(luocdo_main.commands), sorted(luocdo_main.commands)


# --- killed half-way --------------------------------------------------------------------------


def _spawn(*args: str) -> subprocess.Popen[bytes]:
    """``luocdo ARGS`` in a child process."""
    return subprocess.Popen([sys.executable, "-c", "from api.cli import main; main()", *args],
                            cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _kill_after(proc: subprocess.Popen[bytes], delay: float) -> bool:
    """SIGKILL ``proc`` after ``delay`` seconds; False if it had already finished."""
    try:
        proc.wait(timeout=delay)
        return False
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        return True


def test_backup_killed_never_leaves_a_half_file(samples_store: OxigraphStore,
                                                tmp_path: Path) -> None:
    store_dir = tmp_path / "s"
    backup(samples_store, tmp_path / "seed.nq")
    restore(OxigraphStore(store_dir, base=BASE), tmp_path / "seed.nq")
    target = tmp_path / "b.nq"
    started = time.perf_counter()
    code = _spawn("backup", "-o", str(target), "--store", str(store_dir)).wait(timeout=120)
    full = time.perf_counter() - started
    assert code == 0
    old = target.read_bytes()
    rng = random.Random(SEED)
    kills = 0
    for _ in range(4):
        proc = _spawn("backup", "-o", str(target), "--store", str(store_dir))
        kills += _kill_after(proc, rng.uniform(0.3 * full, 0.95 * full))
        info = verify(target)  # the old backup, or a complete new one
        assert info.quads == len(_lines(old)) - 4
    assert kills >= 2, f"only {kills} of 4 runs were killed before finishing ({full:.2f} s)"


def test_restore_killed_leaves_whole_graphs_and_rerun_completes(
    samples_store: OxigraphStore, tmp_path: Path, assert_isomorphic: Isomorphic
) -> None:
    backup(samples_store, tmp_path / "b.nq")
    expected = snapshot(samples_store)
    started = time.perf_counter()
    code = _spawn("restore", str(tmp_path / "b.nq"), "--store", str(tmp_path / "t")).wait(120)
    full = time.perf_counter() - started
    assert code == 0
    rng = random.Random(SEED + 1)
    for round_ in range(3):
        store_dir = tmp_path / f"s{round_}"
        _kill_after(_spawn("restore", str(tmp_path / "b.nq"), "--store", str(store_dir)),
                    rng.uniform(0.3 * full, full))
        got = snapshot(OxigraphStore(store_dir, base=BASE))
        for name, graph in got.items():  # every graph there is whole
            assert len(graph) == len(expected[name]), name
        code = _spawn("restore", "--replace", str(tmp_path / "b.nq"), "--store",
                      str(store_dir)).wait(timeout=120)
        assert code == 0
        final = snapshot(OxigraphStore(store_dir, base=BASE))
        assert sorted(final) == sorted(expected)
        for name, graph in expected.items():
            assert_isomorphic(final[name], graph)
