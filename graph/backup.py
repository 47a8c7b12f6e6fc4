"""Backup and restore of a store: one self-checking N-Quads file.

Format (chosen over a directory of per-graph files: one file is one thing to copy,
and a single trailer can prove it complete)::

    # luocdo-backup 1
    # base <https://data.luocdo.vn/>
    # created 2026-01-05T10:00:00Z
    <s> <p> <o> <g> .
    …
    # end graphs=12 quads=3456 sha256=<hex of every quad line, newline included>

* Every named graph under the store's base IRI is written: the source graphs, the
  derived graph, the provenance graph and the ontology graph, so a restored store
  is exactly the store that was saved. Graphs come in sorted order and the lines
  of each graph are sorted.
* Each graph is read in one query (one snapshot per graph, not one for the whole
  store): back up a store no ingest is writing to. The CLI guarantees it for an
  on-disk store, which only one process can open.
* Blank nodes get canonical labels per graph (``rdflib.compare``), prefixed with the
  graph's index (luocdo never shares a blank node between graphs). So one store
  state always gives the same body: two backups can be compared with ``diff``.
* The file is written beside its final name and renamed into place only when
  complete and flushed to disk: an interrupted backup never leaves a file that
  looks whole. A name ending in ``.gz`` is gzip-compressed.
* ``restore`` checks the trailer (present, counts, checksum) and parses every line
  *before* writing anything, so a truncated or edited file is refused and the store
  is left untouched. Each graph is then written verbatim in one store transaction
  (``GraphStore.put_graph``); the provenance graph, which describes the others, goes
  last and whole.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import os
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import regex
from rdflib import BNode, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.term import Node

from graph.sparql import term_sparql
from graph.store import GraphStore, StoreError, rdflib_term

__all__ = ["FORMAT_VERSION", "BackupError", "BackupInfo", "backup", "restore", "verify"]

FORMAT_VERSION = 1

Triple = tuple[Node, Node, Node]

# First line of every backup: the format and its version.
_MAGIC = f"# luocdo-backup {FORMAT_VERSION}"
# "# base <IRI>": the base IRI of the store that was saved.
_BASE_LINE = regex.compile(r"^# base <([^>\s]*)>$")
# "# end graphs=N quads=N sha256=HEX": the last line; its absence means a cut-off file.
_END_LINE = regex.compile(r"^# end graphs=(\d+) quads=(\d+) sha256=([0-9a-f]{64})$")


class BackupError(RuntimeError):
    """A backup cannot be written or restored; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class BackupInfo:
    """What a backup file holds (or what ``restore`` wrote).

    Attributes:
        path: the backup file.
        base: base IRI of the saved store.
        graphs: number of named graphs.
        quads: number of quads.
        sha256: checksum of the quad lines (as in the trailer).
        dropped: graphs ``restore(replace=True)`` removed because the backup lacks them.
    """

    path: Path
    base: str
    graphs: int
    quads: int
    sha256: str
    dropped: tuple[URIRef, ...] = ()


# --- writing ----------------------------------------------------------------------------------


def _graph_lines(store: GraphStore, name: URIRef, index: int) -> list[str]:
    """Sorted N-Quads lines of one graph; blank nodes get canonical labels."""
    graph = store.named_graph(name)
    if any(isinstance(t, BNode) for triple in graph for t in triple):
        graph = to_canonical_graph(graph)

    def term(t: Node) -> str:
        return f"_:g{index}x{t}" if isinstance(t, BNode) else term_sparql(t)

    g = term_sparql(name)
    return sorted(f"{term(s)} {term(p)} {term(o)} {g} .\n" for s, p, o in graph)


@contextmanager
def _writer(path: Path, *, compress: bool) -> Iterator[Callable[[str], object]]:
    """A function writing text to ``path`` (gzip if ``compress``), synced on exit."""
    with path.open("wb") as raw:
        gz = gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) if compress else None
        sink = gz if gz is not None else raw
        yield lambda text: sink.write(text.encode("utf-8"))
        if gz is not None:
            gz.close()  # writes the gzip trailer into raw
        raw.flush()
        os.fsync(raw.fileno())


def _sync_dir(folder: Path) -> None:
    """Flush a rename to disk (POSIX needs the folder synced too)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _gz(path: Path) -> bool:
    return path.name.lower().endswith(".gz")


def backup(store: GraphStore, path: str | Path) -> BackupInfo:
    """Write every named graph under the store's base IRI to one N-Quads file.

    Args:
        store: the store to save (any ``GraphStore``).
        path: the file to write; ``.gz`` compresses. An existing file is replaced only
            once the new one is complete.

    Returns:
        What was written.

    Raises:
        BackupError: the file cannot be written.
    """
    final = Path(path)
    tmp = final.with_name(f".{final.name}.partial-{os.getpid()}")
    digest = hashlib.sha256()
    names = store.graph_names()
    quads = 0
    try:
        with _writer(tmp, compress=_gz(final)) as write:
            write(f"{_MAGIC}\n# base <{store.base}>\n")
            write(f"# created {dt.datetime.now(dt.UTC).isoformat(timespec='seconds')}\n")
            for index, name in enumerate(names):
                for line in _graph_lines(store, name, index):
                    digest.update(line.encode("utf-8"))
                    write(line)
                    quads += 1
            write(f"# end graphs={len(names)} quads={quads} sha256={digest.hexdigest()}\n")
        os.replace(tmp, final)
        _sync_dir(final.parent)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise BackupError(f"cannot write the backup {final}: {exc.strerror or exc}") from exc
    return BackupInfo(final, store.base, len(names), quads, digest.hexdigest())


# --- reading ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Parsed:
    info: BackupInfo
    graphs: dict[URIRef, list[Triple]]


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    return (gzip.decompress(data) if _gz(path) else data).decode("utf-8")


def _damaged(path: Path, why: str) -> BackupError:
    return BackupError(
        f"{path}: {why}; the backup is truncated or damaged and was not restored "
        "(the store is unchanged). Use another copy of the backup"
    )


def _read_lines(path: Path) -> tuple[str, list[str], tuple[int, int, str]]:
    """Header base, quad lines and trailer values; checks everything but the syntax."""
    try:
        lines = _read_text(path).split("\n")
    except FileNotFoundError:
        raise BackupError(f"{path}: backup file not found") from None
    except (OSError, EOFError, UnicodeDecodeError, zlib.error) as exc:
        raise _damaged(path, f"cannot read it ({exc})") from None
    if not lines or lines[0] != _MAGIC:
        raise BackupError(f"{path}: not a luocdo backup (first line is not {_MAGIC!r})")
    base = _BASE_LINE.match(lines[1]) if len(lines) > 1 else None
    if base is None:
        raise _damaged(path, "the '# base <IRI>' line is missing")
    if lines[-1] != "":
        raise _damaged(path, "the last line is cut off")
    end = _END_LINE.match(lines[-2]) if len(lines) > 2 else None
    if end is None:
        raise _damaged(path, "the '# end …' line is missing")
    body = [line for line in lines[2:-2] if line and not line.startswith("#")]
    digest = hashlib.sha256()
    for line in body:
        digest.update(line.encode("utf-8") + b"\n")
    trailer = (int(end.group(1)), int(end.group(2)), end.group(3))
    if trailer[1] != len(body) or trailer[2] != digest.hexdigest():
        raise _damaged(path, "its checksum or quad count does not match its content")
    return base.group(1), body, trailer


def _parse(path: Path) -> _Parsed:
    import pyoxigraph as ox

    base, body, (n_graphs, n_quads, sha) = _read_lines(path)
    graphs: dict[URIRef, list[Triple]] = {}
    try:
        for q in ox.parse("\n".join(body), format=ox.RdfFormat.N_QUADS):
            if not isinstance(q.graph_name, ox.NamedNode):
                raise _damaged(path, f"a quad outside any named graph: {q}")
            try:
                triple = (rdflib_term(q.subject), rdflib_term(q.predicate),
                          rdflib_term(q.object))
            except StoreError as exc:
                raise _damaged(path, str(exc)) from None
            graphs.setdefault(URIRef(q.graph_name.value), []).append(triple)
    except SyntaxError as exc:
        raise _damaged(path, f"a line is not valid N-Quads ({exc})") from None
    if len(graphs) != n_graphs:
        raise _damaged(path, f"it names {len(graphs)} graphs, its trailer {n_graphs}")
    return _Parsed(BackupInfo(path, base, n_graphs, n_quads, sha), graphs)


def verify(path: str | Path) -> BackupInfo:
    """Check a backup file completely (trailer, checksum, syntax) without a store.

    Raises:
        BackupError: the file is missing, not a backup, truncated or damaged.
    """
    return _parse(Path(path)).info


# --- restoring --------------------------------------------------------------------------------


def restore(store: GraphStore, path: str | Path, *, replace: bool = False) -> BackupInfo:
    """Load a backup into ``store`` so that it holds exactly the saved graphs.

    Args:
        store: the target; its base IRI must be the backup's.
        path: the backup file (``.gz`` is read compressed).
        replace: allow a store that already holds graphs: each saved graph replaces
            its namesake and graphs the backup lacks are dropped afterwards. Without
            it, the store must hold no graph under its base IRI.

    Returns:
        What was restored (``dropped``: graphs removed by ``replace``).

    Raises:
        BackupError: the file is damaged (nothing is written then), its base IRI
            differs from the store's, or the store is not empty and ``replace`` is off.
    """
    parsed = _parse(Path(path))
    info = parsed.info
    if info.base != store.base:
        raise BackupError(
            f"{path}: the backup was made with base IRI <{info.base}>, the store uses "
            f"<{store.base}>; open the store with --base-iri {info.base}"
        )
    present = store.graph_names()
    if present and not replace:
        raise BackupError(
            f"the store already holds {len(present)} graphs; restore into an empty store, "
            "or pass --replace to make it exactly the backup"
        )
    provenance = store.provenance_graph
    # The records go in last, with the provenance graph written whole: a restore cut
    # short leaves every graph it wrote whole, the provenance graph included.
    for name in sorted(n for n in parsed.graphs if n != provenance):
        store.put_graph(name, parsed.graphs[name])
    extra = tuple(n for n in present if n not in parsed.graphs)
    for name in extra:
        store.remove_source(name)
    if provenance in parsed.graphs:  # last: it describes the others
        store.put_graph(provenance, parsed.graphs[provenance])
    return BackupInfo(info.path, info.base, info.graphs, info.quads, info.sha256, extra)
