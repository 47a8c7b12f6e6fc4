"""The answer of ``GET /documents/{id}`` for every document, kept on disk in step with the store.

A first-time ``/documents/{id}`` costs a dozen bound queries (fields, citations out and
in, the implementation chain, replacements, header evidence, the linked documents'
fields): about 15 ms of one core at 10⁵ documents. With 32 clients asking for documents
nobody asked for before, two cores answer about 120 a second and the 95th percentile
waits 400 ms. This module keeps the language-neutral rows of each document's answer
(first page of citations in) in a SQLite file beside the store, so such a request costs
one indexed read.

``AnswerStore`` (``luocdo-answers.sqlite`` in the Oxigraph store's folder; a temporary
file for an in-memory store):

* ``docs(iri, key)``: every typed document with an identity key, as of ``docs_generation``;
  a dated key (``33/CT-TTG@2021``) names one document only when this list is complete,
  so the key lookup is used only then;
* ``answers(iri, body)``: a document's bundle (``api.document_bundle``: its fields and
  its ``detail_rows``), JSON compressed with zlib (a bundle at 10⁵ documents is about
  8 KB of JSON, 1.5 KB compressed: ×5.3, 1.65 GB of file becomes about 0.6 GB; a read
  pays a third of what parsing the JSON costs to inflate it);
* ``deps(dep, iri)``: every IRI the bundle rests on: the document itself, every IRI its
  rows show (linked documents, chain hops, citing documents), the issuers, and the
  ``lo:sameDocumentAs`` aliases of all of them (the chain and the citations reach
  through aliases that no row shows).

Keeping in step:

* a write through the server names the IRIs it touched (``graph.pipeline.DerivedChanges
  .touched``: every subject and object of a triple taken out or put in, in source,
  derived and count graphs); ``invalidate`` drops every answer that shows one of them,
  before the write's generation is served. A write with no such list (SPARQL Update, a
  full refresh) drops everything;
* an answer computed from an older snapshot is refused (``put`` with a generation that
  is not the current one), so no stale answer enters after an invalidation;
* at start, the store's fingerprint (``fingerprint_rows``: every graph's provenance time
  stamp and every source's SHA-256) is compared with the one the file was kept for: a
  store changed while the server was down drops everything;
* ``AnswerKeeper``, a background thread, lists the documents and computes the missing
  answers through the query runner, a batch at a time (one worker busy at most).

Reads use a connection per thread (WAL mode: a reader sees the last commit only).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import sqlite3
import tempfile
import threading
import unicodedata
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from ontology.ns import LO
from ontology.terms import fold_code

__all__ = [
    "FILE_NAME",
    "AnswerKeeper",
    "AnswerStore",
    "answer_path",
    "bundle_deps",
    "writable_folder",
    "write_transaction",
]

log = logging.getLogger("luocdo.api.answers")

FILE_NAME = "luocdo-answers.sqlite"
SCHEMA = "luocdo-answers/2"  # 2: bodies compressed (a file of another schema is rebuilt)
# Documents per runner task while filling (about 15 ms each at 10⁵ documents: a request
# waits at most about a quarter of a second behind a batch).
_BATCH = 16
_VOCABULARY = str(LO)
# Rows per executemany.
_CHUNK = 5_000

_SCHEMA_SQL = """
CREATE TABLE meta(k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID;
CREATE TABLE docs(iri TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY (iri, key)) WITHOUT ROWID;
CREATE INDEX docs_key ON docs(key);
CREATE TABLE answers(iri TEXT PRIMARY KEY, body BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE deps(dep TEXT NOT NULL, iri TEXT NOT NULL, PRIMARY KEY (dep, iri)) WITHOUT ROWID;
CREATE INDEX deps_iri ON deps(iri);
"""


def _encode(body: Any) -> bytes:
    """A kept answer as stored: compact JSON, compressed."""
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return zlib.compress(text.encode("utf-8"), 6)


def _decode(blob: bytes) -> Any:
    return json.loads(zlib.decompress(blob).decode("utf-8"))


@contextlib.contextmanager
def write_transaction(con: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction on ``con`` (opened with ``isolation_level=None``): taken at
    once (``BEGIN IMMEDIATE``), committed at the end, rolled back on any error."""
    con.execute("BEGIN IMMEDIATE")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def writable_folder(store: Any) -> Path | None:
    """The folder of an on-disk store when this process may write files into it (what
    the server keeps beside the store goes there), else None."""
    folder = getattr(store, "path", None)
    if isinstance(folder, Path) and folder.is_dir() and os.access(folder, os.W_OK):
        return folder
    return None


def answer_path(store: Any) -> tuple[Path, bool]:
    """Where the answers of ``store`` live, and whether that file is temporary: beside an
    on-disk store in a writable folder, else a new temporary file."""
    folder = writable_folder(store)
    if folder is not None:
        return folder / FILE_NAME, False
    handle, name = tempfile.mkstemp(prefix="luocdo-answers-", suffix=".sqlite")
    os.close(handle)
    os.unlink(name)
    return Path(name), True


def bundle_deps(bundle: dict[str, Any]) -> set[str]:
    """The IRIs a bundle rests on: the document, its issuers, every IRI in its rows, and
    their ``lo:sameDocumentAs`` aliases."""
    found = {bundle["iri"], *bundle.get("issuers", ()), *bundle.get("aliases", ())}
    for rows in bundle["rows"].values():
        for row in rows:
            found.update(v for v in row.values() if isinstance(v, str) and "://" in v[:12])
    return vocabulary_free(found)


def vocabulary_free(iris: Iterable[str]) -> set[str]:
    """``iris`` without the vocabulary's terms (relations, document types): they are not
    data, and a write that changes a type's document count must not drop every answer
    showing that type."""
    return {f for f in iris if not f.startswith(_VOCABULARY)}


def _key_variants(text: str) -> tuple[str, ...]:
    """The identity keys a dated key as typed may be (``graph.queries.resolve_documents``
    matches the text and its folded upper-case form)."""
    return tuple(dict.fromkeys((fold_code(text).upper(), text)))


class AnswerStore:
    """The SQLite file of per-document answers (module docstring).

    Args:
        path: the file (created when missing; rebuilt when its schema is another).
        temporary: remove the file on ``close``.
    """

    def __init__(self, path: Path, *, temporary: bool = False) -> None:
        self.path = path
        self.temporary = temporary
        self.generation = 0  # the store generation the file is kept for
        self.docs_generation = -1  # generation ``docs`` lists every document of
        self.verified = False  # the fingerprint matched (or the file was emptied)
        self._lock = threading.Lock()  # one writer
        self._local = threading.local()
        self._writer = self._connect()
        if self._meta("schema") != SCHEMA:
            self._create()

    # --- connections --------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        con = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=NORMAL")
        return con

    def _reader(self) -> sqlite3.Connection:
        con: sqlite3.Connection | None = getattr(self._local, "con", None)
        if con is None:
            con = self._local.con = self._connect()
        return con

    def _meta(self, key: str) -> str | None:
        with contextlib.suppress(sqlite3.Error):
            row = self._writer.execute("SELECT v FROM meta WHERE k = ?", (key,)).fetchone()
            return str(row[0]) if row else None
        return None

    def _create(self) -> None:
        with self._lock:
            for (name,) in self._writer.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
                with contextlib.suppress(sqlite3.Error):
                    self._writer.execute(f'DROP TABLE IF EXISTS "{name}"')
            self._writer.executescript(_SCHEMA_SQL)
            self._writer.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA,))

    def _transaction(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        return write_transaction(self._writer)

    # --- keeping in step ----------------------------------------------------------------

    def verify(self, fingerprint: str, generation: int) -> bool:
        """Trust the file for ``generation`` if it was kept for ``fingerprint``; else
        empty it. True when its answers were kept."""
        with self._lock:
            if generation != self.generation:
                return False
            kept = self._meta("fingerprint") == fingerprint
            with self._transaction() as con:
                if not kept:
                    for table in ("docs", "answers", "deps"):
                        con.execute(f"DELETE FROM {table}")
                con.execute("INSERT OR REPLACE INTO meta VALUES ('fingerprint', ?)",
                            (fingerprint,))
            self.verified = True
            return kept

    def invalidate(self, touched: Iterable[str] | None, generation: int) -> int:
        """Drop the answers that show any IRI of ``touched`` (all when None), and refuse
        answers of generations before ``generation`` from now on. Returns how many."""
        with self._lock:
            self.generation = generation
            self.docs_generation = -1
            with self._transaction() as con:
                con.execute("DELETE FROM meta WHERE k = 'fingerprint'")
                if touched is None:
                    dropped = con.execute("DELETE FROM answers").rowcount
                    con.execute("DELETE FROM deps")
                    return dropped
                con.execute("CREATE TEMP TABLE IF NOT EXISTS touched(iri TEXT PRIMARY KEY)")
                con.execute("DELETE FROM touched")
                con.executemany("INSERT OR IGNORE INTO touched VALUES (?)",
                                ((t,) for t in touched))
                con.execute("CREATE TEMP TABLE IF NOT EXISTS stale(iri TEXT PRIMARY KEY)")
                con.execute("DELETE FROM stale")
                con.execute("INSERT OR IGNORE INTO stale SELECT d.iri FROM deps d "
                            "JOIN touched t ON d.dep = t.iri")
                dropped = con.execute(
                    "DELETE FROM answers WHERE iri IN (SELECT iri FROM stale)").rowcount
                con.execute("DELETE FROM deps WHERE iri IN (SELECT iri FROM stale)")
                return dropped

    def set_fingerprint(self, fingerprint: str, generation: int) -> None:
        """Record that the file is complete for the store as ``fingerprint`` shows it."""
        with self._lock:
            if generation == self.generation:
                self._writer.execute("INSERT OR REPLACE INTO meta VALUES ('fingerprint', ?)",
                                     (fingerprint,))

    def put_docs(self, rows: Sequence[tuple[str, str]], generation: int) -> bool:
        """Replace the document list (IRI, identity key) with ``rows`` of ``generation``;
        False (nothing written) when a write came since."""
        with self._lock:
            if generation != self.generation:
                return False
            with self._transaction() as con:
                con.execute("DELETE FROM docs")
                for i in range(0, len(rows), _CHUNK):
                    con.executemany("INSERT OR IGNORE INTO docs VALUES (?, ?)",
                                    rows[i:i + _CHUNK])
                # answers of documents that are no longer listed go
                # (keyed answers, "trace …", are not documents: they stay)
                con.execute("DELETE FROM deps WHERE iri NOT IN (SELECT iri FROM docs) "
                            "AND iri NOT LIKE 'trace %'")
                con.execute("DELETE FROM answers WHERE iri NOT IN (SELECT iri FROM docs) "
                            "AND iri NOT LIKE 'trace %'")
            self.docs_generation = generation
            return True

    def put(self, bundles: Iterable[dict[str, Any]], generation: int) -> int:
        """Keep ``bundles`` computed at ``generation``; none when a write came since."""
        return self._write(((b["iri"], b, bundle_deps(b)) for b in bundles), generation)

    def put_keyed(self, items: Iterable[dict[str, Any]], generation: int) -> int:
        """Keep answers that are not a document's (``{"key", "body", "deps"}``: a trace,
        ``api.trace_answers``) computed at ``generation``; none when a write came since."""
        return self._write(((i["key"], i["body"], i["deps"]) for i in items), generation)

    def _write(self, rows: Iterable[tuple[str, Any, Iterable[str]]], generation: int) -> int:
        """Keep (key, body, dependencies) rows computed at ``generation`` in one
        transaction; none when a write came since."""
        with self._lock:
            if generation != self.generation:
                return 0
            kept = 0
            with self._transaction() as con:
                for key, body, deps in rows:
                    con.execute("DELETE FROM deps WHERE iri = ?", (key,))
                    con.execute("INSERT OR REPLACE INTO answers VALUES (?, ?)",
                                (key, _encode(body)))
                    con.executemany("INSERT OR IGNORE INTO deps VALUES (?, ?)",
                                    ((d, key) for d in sorted(deps)))
                    kept += 1
            return kept

    def absent(self, keys: Sequence[str]) -> list[str]:
        """Those of ``keys`` with no kept answer, in the order given."""
        con = self._reader()
        found: set[str] = set()
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]
            found.update(str(r[0]) for r in con.execute(
                f"SELECT iri FROM answers WHERE iri IN ({','.join('?' * len(chunk))})",
                chunk))
        return [k for k in keys if k not in found]

    def owner(self, ident: str) -> str | None:
        """The document IRI a dated key ``ident`` names without a search (one listed
        document carries it, and the list is complete), else None."""
        text = unicodedata.normalize("NFC", ident.strip())
        if "@" not in text or self.docs_generation != self.generation:
            return None
        keys = _key_variants(text)
        rows = self._reader().execute(
            f"SELECT DISTINCT iri FROM docs WHERE key IN ({','.join('?' * len(keys))})",
            keys).fetchall()
        return str(rows[0][0]) if len(rows) == 1 else None

    def by_key(self, key: str) -> Any | None:
        """The kept answer under ``key`` (a document IRI or a ``put_keyed`` key)."""
        if not self.verified:
            return None
        row = self._reader().execute("SELECT body FROM answers WHERE iri = ?",
                                     (key,)).fetchone()
        return _decode(row[0]) if row else None

    def missing(self, limit: int, after: str = "") -> list[str]:
        """Up to ``limit`` listed documents without an answer, in IRI order after ``after``."""
        rows = self._reader().execute(
            "SELECT DISTINCT d.iri FROM docs d LEFT JOIN answers a ON a.iri = d.iri "
            "WHERE a.iri IS NULL AND d.iri > ? ORDER BY d.iri LIMIT ?",
            (after, limit)).fetchall()
        return [str(r[0]) for r in rows]

    # --- reading ------------------------------------------------------------------------

    def by_iri(self, iri: str) -> dict[str, Any] | None:
        """The kept bundle of document ``iri`` (None when not kept or not trusted yet)."""
        if not self.verified:
            return None
        row = self._reader().execute("SELECT body FROM answers WHERE iri = ?",
                                     (iri,)).fetchone()
        return _decode(row[0]) if row else None

    def by_name(self, ident: str) -> dict[str, Any] | None:
        """The kept bundle of the one document ``ident`` names without a search: a full
        IRI, or a dated identity key while the document list is complete. None means
        "ask the store" (not "no such document")."""
        text = unicodedata.normalize("NFC", ident.strip())
        if "://" in text[:12]:
            return self.by_iri(text)
        if "@" not in text or self.docs_generation != self.generation:
            return None
        keys = _key_variants(text)
        # one read: the documents the key names, each with its kept answer (if any)
        rows = self._reader().execute(
            "SELECT DISTINCT d.iri, a.body FROM docs d LEFT JOIN answers a ON a.iri = d.iri "
            f"WHERE d.key IN ({','.join('?' * len(keys))})", keys).fetchall()
        if len(rows) != 1 or rows[0][1] is None:
            return None
        return _decode(rows[0][1])

    def counts(self) -> dict[str, int]:
        """How many documents are listed, and how many document answers and traces are
        kept."""
        con = self._reader()
        answers, traces = con.execute(
            "SELECT count(*) - count(CASE WHEN iri LIKE 'trace %' THEN 1 END), "
            "count(CASE WHEN iri LIKE 'trace %' THEN 1 END) FROM answers").fetchone()
        return {"docs": int(con.execute("SELECT count(DISTINCT iri) FROM docs").fetchone()[0]),
                "answers": int(answers), "traces": int(traces)}

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self._writer.close()
        if self.temporary:
            for suffix in ("", "-wal", "-shm"):
                with contextlib.suppress(OSError):
                    Path(f"{self.path}{suffix}").unlink()


_MARK_BITS = 128


def fingerprint(rows: Iterable[tuple[str, str]]) -> str:
    """A digest of distinct (graph, stamp) rows in any order: the sum of each row's own
    128-bit digest, made as the rows come, so none is kept (at 300,000 documents the
    rows were 300,004 pairs of strings, sorted; at a million their list alone would
    hold about 0.3 GB in the worker that reads them)."""
    total = 0
    for graph, stamp in rows:
        row = hashlib.blake2b(f"{graph}\t{stamp}\n".encode(), digest_size=_MARK_BITS // 8)
        total += int.from_bytes(row.digest(), "big")
    return f"{total % (1 << _MARK_BITS):0{_MARK_BITS // 4}x}"


class AnswerKeeper:
    """A background thread that fills an ``AnswerStore`` through the query runner.

    Args:
        answers: the store of answers.
        run: ``runner.run`` (a task function and its arguments, answered in a worker).
        generation: a function giving the current store generation.
        tasks: the task functions: ``fingerprint`` (store → its fingerprint: ``fingerprint``
            of its provenance rows), ``documents`` (store → (IRI, key) rows) and
            ``bundles`` (store, IRIs → bundles).
        workers: batches computed at once (each keeps one query worker busy).
        mark: the store's fingerprint at a generation, when another reader shares it
            (``api.deps.AppState.store_mark``; None: read with the ``fingerprint`` task).
    """

    def __init__(self, answers: AnswerStore, run: Callable[..., Any],
                 generation: Callable[[], int], tasks: dict[str, Callable[..., Any]],
                 workers: int = 1, mark: Callable[[int], str] | None = None) -> None:
        self.answers = answers
        self.workers = max(1, workers)
        self._run = run
        self._generation = generation
        self._tasks = tasks
        self._mark = mark
        self.error: str | None = None
        self.filled = -1  # generation every listed document has an answer for
        self._wake = threading.Event()
        self._stop = False
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start the thread (once) and ask for a fill."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="luocdo-answers",
                                            daemon=True)
            self._thread.start()
        self._wake.set()

    def stop(self) -> None:
        """Stop the thread (waiting a moment for it) and close the store."""
        self._stop = True
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=2.0)
        self.answers.close()

    def wait(self, timeout: float) -> bool:
        """Block until every listed document has an answer for the current generation."""
        deadline = threading.Event()
        waited = 0.0
        while self.filled != self._generation() and waited < timeout and not self._stop:
            deadline.wait(0.05)
            waited += 0.05
        return self.filled == self._generation()

    def _loop(self) -> None:
        while not self._stop:
            self._wake.wait()
            self._wake.clear()
            try:
                self._fill()
                self.error = None
            except Exception as exc:  # the server goes on; requests compute answers live
                self.error = f"{type(exc).__name__}: {exc}"
                log.warning("document answers: %s", self.error)

    def _fill(self) -> None:
        generation = self._generation()
        mark = (self._mark(generation) if self._mark is not None
                else self._run(self._tasks["fingerprint"]))
        if not self.answers.verified:
            self.answers.verify(mark, generation)
        # the answers kept now are those of this store: a restart keeps them
        self.answers.set_fingerprint(mark, generation)
        if not self.answers.put_docs(self._run(self._tasks["documents"]), generation):
            return  # a write came: its wake-up runs the fill again
        after = ""  # one pass in IRI order: a document with no bundle is not asked again
        with ThreadPoolExecutor(self.workers, thread_name_prefix="luocdo-answers") as pool:
            while not self._stop and generation == self._generation():
                todo = self.answers.missing(_BATCH * self.workers, after)
                if not todo:
                    break
                batches = [todo[i:i + _BATCH] for i in range(0, len(todo), _BATCH)]
                for made in pool.map(lambda b: self._run(self._tasks["bundles"], b), batches):
                    self.answers.put(made, generation)
                after = todo[-1]
            if "traces" in self._tasks and not self._stop:
                self._fill_traces(pool, generation)
        if not self._stop and generation == self._generation():
            self.filled = generation

    def _fill_traces(self, pool: ThreadPoolExecutor, generation: int) -> None:
        """The trace of every section of every attached outline not kept yet."""
        from api.trace_answers import trace_key

        targets = [tuple(t) for t in self._run(self._tasks["trace_targets"])]
        by_key = {trace_key(owner, section): (owner, key, section)
                  for owner, key, section in targets}
        todo = [by_key[k] for k in self.answers.absent(sorted(by_key))]
        step = _BATCH * self.workers
        for i in range(0, len(todo), step):
            if self._stop or generation != self._generation():
                return
            chunk = todo[i:i + step]
            batches = [chunk[j:j + _BATCH] for j in range(0, len(chunk), _BATCH)]
            for made in pool.map(lambda b: self._run(self._tasks["traces"], b), batches):
                self.answers.put_keyed(made, generation)
