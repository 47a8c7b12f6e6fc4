"""The whole-store reports (``api.report_keeper``) kept on disk across restarts.

At 100,000 documents the six reports take about 47 s to build after the server starts,
and each answers 503 ``report_building`` until then; a restart of an unchanged store
built them all again. ``ReportFile`` (``luocdo-reports.sqlite`` beside an on-disk store)
keeps the last complete set, so a restart serves them as soon as they are read back.

When the kept reports are trusted:

* they were saved for the store's fingerprint (``api.answer_store.fingerprint`` of
  ``store_fingerprint``: every graph's provenance time stamp and every source's SHA-256),
  and for the code that made them (``code_mark``: a digest of the source files of the
  packages that build and shape the reports, so an upgrade that changes a report's rows
  does not serve the old ones);
* a write through the server forgets them (``forget``) before its generation is served,
  and they are saved again only once every report of a generation is built, under the
  write lock, with the fingerprint of that generation (``api.deps.AppState``); a SPARQL
  Update, whose changes leave the fingerprint as it was, thus leaves nothing to restore.

A file that cannot be read is emptied (logged), and a report that cannot be decoded is
built whole; neither stops the server.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import sqlite3
import threading
import time
import zlib
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from api.answer_store import writable_folder, write_transaction
from api.row_table import RowFolder, RowTable
from api.whole_store import KeptCalendar, KeptSubmissions, StoreCounts

__all__ = ["FILE_NAME", "Kept", "ReportFile", "ReportShelf", "code_mark", "decode_report",
           "encode_report", "encode_rows", "report_path"]

log = logging.getLogger("luocdo.api.reports")

FILE_NAME = "luocdo-reports.sqlite"
SCHEMA = "luocdo-reports/9"  # 2: the counts keep each source graph's triples;
# 3: the obligations, sources and calendar are row tables (``api.row_table``), named here;
# 4: no raw bytes beside a report's JSON (the calendar's are in its files);
# 5: the submissions and each graph's count are row tables, the submissions' candidates
# a file beside theirs; 6: the conflicts are a row table; 7: row tables have a key column,
# and the obligations' file its due summary (``api.due_table``); 8: the due summary per
# (bearer, recipient) pair; 9: the obligations' file its due index (rank, pair and
# recurring rows, ``api.due_table.DueIndex``)
# Packages whose code builds or shapes a report: a change to any of their files may
# change a report's rows, so reports kept by other code are not served.
_CODE_PACKAGES = ("api", "graph", "ontology")
_CODE_SUFFIXES = (".py", ".rq", ".ttl")

_SCHEMA_SQL = """
CREATE TABLE meta(k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID;
CREATE TABLE reports(name TEXT PRIMARY KEY, body BLOB NOT NULL) WITHOUT ROWID;
"""


def code_mark(root: Path | None = None) -> str:
    """A digest of the source files of the packages that make the reports."""
    root = root or Path(__file__).resolve().parents[1]
    digest = hashlib.blake2b(digest_size=16)
    for package in _CODE_PACKAGES:
        for path in sorted((root / package).rglob("*")):
            if path.suffix in _CODE_SUFFIXES and path.is_file():
                digest.update(str(path.relative_to(root)).encode())
                digest.update(hashlib.blake2b(path.read_bytes(), digest_size=16).digest())
    return digest.hexdigest()


# --- codecs: each report as stored (compact JSON, compressed; the long reports by the names
# of their row tables) ----------------------------------------------------------------------


# Items of a list encoded by one ``json.dumps`` call. A call holds the interpreter lock
# throughout: the 56,000 obligation rows of 100,000 documents in one call would stall
# every request for about 0.35 s while the reports are kept; a chunk takes milliseconds.
_CHUNK = 1_000


def _json_parts(value: Any) -> Iterator[str]:
    """The compact JSON of ``value`` in pieces, a list's items a chunk at a time."""
    if isinstance(value, dict) and len(value) > _CHUNK:  # many small entries
        items = list(value.items())
        yield "{"
        for start in range(0, len(items), _CHUNK):
            yield ("," if start else "") + _dumps(dict(items[start:start + _CHUNK]))[1:-1]
        yield "}"
    elif isinstance(value, dict):  # a few entries, each perhaps a long list
        yield "{"
        for n, (key, item) in enumerate(value.items()):
            yield ("," if n else "") + _dumps(key) + ":"
            yield from _json_parts(item)
        yield "}"
    elif isinstance(value, list):
        yield "["
        for start in range(0, len(value), _CHUNK):
            yield ("," if start else "") + _dumps(value[start:start + _CHUNK])[1:-1]
        yield "]"
    else:
        yield _dumps(value)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _json_bytes(value: Any) -> bytes:
    packer = zlib.compressobj(1)
    parts = [packer.compress(part.encode("utf-8")) for part in _json_parts(value)]
    return b"".join([*parts, packer.flush()])


def _json_value(blob: bytes) -> Any:
    return json.loads(zlib.decompress(blob).decode("utf-8"))


def _encode_table(table: RowTable) -> Any:
    # the rows stay in their table (``api.row_table``): kept is its name and size
    return {"table": table.table, "size": table.size}


def _decode_table(value: Any) -> RowTable:
    # bound to the server's row folder by ``ReportShelf.restore`` (which checks it)
    return RowTable("", str(value["table"]), int(value["size"]))


def _encode_calendar(calendar: KeptCalendar) -> Any:
    # the events stay in their table and the calendar in its files (``api.row_table``)
    return {**_encode_table(calendar.events), "etag": calendar.etag,
            "gzip_etag": calendar.gzip_etag}


def _decode_calendar(value: Any) -> KeptCalendar:
    return KeptCalendar(_decode_table(value), str(value["etag"]), str(value["gzip_etag"]))


def _encode_counts(counts: StoreCounts) -> Any:
    return {"counts": counts.counts, "graphs": _encode_table(counts.graphs)}


def _decode_counts(value: Any) -> StoreCounts:
    return StoreCounts(value["counts"], _decode_table(value["graphs"]))


def _encode_submissions(kept: KeptSubmissions) -> Any:
    # the rows stay in their table and the candidates in its file (``api.row_table``)
    return {**_encode_table(kept.rows), "source": kept.source}


def _decode_submissions(value: Any) -> KeptSubmissions:
    return KeptSubmissions(_decode_table(value), str(value["source"]))


Codec = Callable[[Any], Any]

_CODECS: dict[str, tuple[Codec, Codec]] = {
    "obligations": (_encode_table, _decode_table),
    "calendar": (_encode_calendar, _decode_calendar),
    "sources": (_encode_table, _decode_table),
    "conflicts": (_encode_table, _decode_table),
    "submissions": (_encode_submissions, _decode_submissions),
    "stats": (_encode_counts, _decode_counts),
}


def encode_report(name: str, answer: Any) -> bytes:
    """Report ``name``'s answer as stored: compressed JSON.

    Raises:
        KeyError: no codec for ``name``.
    """
    return _json_bytes(_CODECS[name][0](answer))


def decode_report(name: str, body: bytes) -> Any:
    """The answer ``encode_report`` stored (raises on a damaged or foreign row)."""
    return _CODECS[name][1](_json_value(body))


Row = tuple[str, bytes]  # a report as stored: name, body


def encode_rows(answers: Mapping[str, Any]) -> list[Row]:
    """The rows of ``answers`` (report name → answer) as ``ReportFile.save`` keeps them."""
    return [(name, encode_report(name, answer)) for name, answer in answers.items()]


def report_path(store: Any) -> Path | None:
    """Where the reports of ``store`` are kept: beside an on-disk store in a writable
    folder (None: not kept)."""
    folder = writable_folder(store)
    return folder / FILE_NAME if folder is not None else None


# --- the file -------------------------------------------------------------------------------


class ReportFile:
    """The SQLite file of the kept reports (module docstring).

    Args:
        path: the file (created when missing; emptied when its schema is another or it
            cannot be read).
        code: the ``code_mark`` the reports must have been kept by.
    """

    def __init__(self, path: Path, code: str | None = None) -> None:
        self.path = path
        self.code = code if code is not None else code_mark()
        self._lock = threading.Lock()
        self._con = self._open()

    def _open(self) -> sqlite3.Connection:
        try:
            con = self._connect()
            if self._meta(con, "schema") != SCHEMA:
                self._create(con)
            return con
        except sqlite3.DatabaseError as exc:  # not a database, or a damaged one
            log.warning("%s cannot be read (%s); starting it again", self.path, exc)
            for suffix in ("", "-wal", "-shm"):
                with contextlib.suppress(OSError):
                    Path(f"{self.path}{suffix}").unlink()
            con = self._connect()
            self._create(con)
            return con

    def _connect(self) -> sqlite3.Connection:
        con = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=NORMAL")
        return con

    @staticmethod
    def _meta(con: sqlite3.Connection, key: str) -> str | None:
        try:
            row = con.execute("SELECT v FROM meta WHERE k = ?", (key,)).fetchone()
        except sqlite3.OperationalError:  # no such table: a new file
            return None
        return str(row[0]) if row else None

    @staticmethod
    def _create(con: sqlite3.Connection) -> None:
        for (table,) in con.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
            con.execute(f'DROP TABLE IF EXISTS "{table}"')
        con.executescript(_SCHEMA_SQL)
        con.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA,))

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock, write_transaction(self._con) as con:
            yield con

    def _mark(self, fingerprint: str) -> str:
        return f"{fingerprint} {self.code}"

    def load(self, fingerprint: str) -> dict[str, Any]:
        """The reports kept for the store as ``fingerprint`` shows it, by name (none when
        they were kept for another store or by other code: the file is then emptied)."""
        kept, answers = self.peek()
        if kept != fingerprint:
            self.forget()
            return {}
        return answers

    def peek(self) -> tuple[str | None, dict[str, Any]]:
        """(the fingerprint of the store the reports were kept for, the reports by name)
        whatever store that was, when they were kept by this code; else (None, {})."""
        with self._lock:
            mark = self._meta(self._con, "kept")
            rows = (self._con.execute("SELECT name, body FROM reports").fetchall()
                    if mark is not None and mark.endswith(f" {self.code}") else [])
        if not rows or mark is None:
            return None, {}
        answers = {}
        for name, body in rows:
            try:
                answers[name] = decode_report(name, body)
            except Exception as exc:  # built whole instead
                log.warning("kept report %s cannot be read (%s); it is built again",
                            name, exc)
        return mark.removesuffix(f" {self.code}"), answers

    def forget(self) -> None:
        """Keep nothing (the store changed, or is about to)."""
        with self._transaction() as con:
            con.execute("DELETE FROM meta WHERE k = 'kept'")
            con.execute("DELETE FROM reports")

    def save(self, fingerprint: str, rows: list[Row]) -> None:
        """Keep ``rows`` (``encode_rows`` of every report of one store generation) as
        the reports of the store ``fingerprint`` shows."""
        with self._transaction() as con:
            con.execute("DELETE FROM reports")
            con.executemany("INSERT INTO reports VALUES (?, ?)", rows)
            con.execute("INSERT OR REPLACE INTO meta VALUES ('kept', ?)",
                        (self._mark(fingerprint),))

    def close(self) -> None:
        with self._lock:
            self._con.close()


def _tables(answer: Any) -> tuple[RowTable, ...]:
    """The row tables an answer holds (``with_tables`` names them)."""
    if isinstance(answer, RowTable):
        return (answer,)
    found: list[RowTable] = []

    def note(table: RowTable) -> RowTable:
        found.append(table)
        return table

    if hasattr(answer, "with_tables"):
        answer.with_tables(note)
    return tuple(found)


# What a shelf keeps (``ReportShelf.kept``): the fingerprint of the store it was kept for
# (None: nothing kept), and the answers by name.
Kept = tuple[str | None, Mapping[str, Any]]


class ReportShelf:
    """The ``api.report_keeper.Shelf`` of a server: its reports kept in a ``ReportFile``
    for the store's fingerprint.

    Args:
        file: the file.
        fingerprint: the store's fingerprint at a generation (``api.answer_store
            .fingerprint``; ``AppState.store_mark``, shared with the kept document
            answers).
        write_lock: the lock every write of the server holds, to its generation's end.
        generation: the server's store generation now.
        rows: the server's row folder, where the reports kept as tables are.
    """

    def __init__(self, file: ReportFile, fingerprint: Callable[[int], str],
                 write_lock: threading.Lock, generation: Callable[[], int],
                 rows: RowFolder) -> None:
        self.file = file
        self.rows = rows
        self._fingerprint = fingerprint
        self._write_lock = write_lock
        self._generation = generation

    def kept(self) -> Kept:
        """The kept answers (``ReportFile.peek``), whatever store they were kept for, each
        row table bound to the row folder (a report whose table or files are missing, or
        whose table holds another number of rows, is left out): no read of the store."""
        start = time.perf_counter()
        mark, found = self.file.peek()
        for name, answer in list(found.items()):
            bound = self._bound(answer)
            if bound is None:
                log.warning("kept report %s names a table the row folder lacks; it is "
                            "built again", name)
                del found[name]
            else:
                found[name] = bound
        log.info("kept reports: %d read in %.2f s", len(found), time.perf_counter() - start)
        return mark, found

    def restore(self, generation: int, kept: Kept) -> Mapping[str, Any]:
        """The answers of ``kept`` when they were kept for the store as it is at
        ``generation`` (its fingerprint: a read of the store), else none (the file is
        emptied); every table of the row folder no answer holds, left by an earlier run,
        is dropped."""
        start = time.perf_counter()
        mark, found = kept
        fingerprint = self._fingerprint(generation)
        log.info("kept reports: store mark %.2f s", time.perf_counter() - start)
        if mark != fingerprint:
            self.file.forget()
            found = {}
        self.rows.collect(t.table for a in kept[1].values() for t in _tables(a))
        return found

    def _bound(self, answer: Any) -> Any:
        """``answer`` with its tables bound to the row folder (None: one is missing, or a
        calendar's files are)."""
        if isinstance(answer, RowTable):
            return self.rows.bind(answer.table, answer.size)
        if not hasattr(answer, "with_tables"):
            return answer
        missing: list[RowTable] = []

        def bind(table: RowTable) -> RowTable:
            found = self.rows.bind(table.table, table.size)
            if found is None:
                missing.append(table)
            return found or table

        bound = answer.with_tables(bind)
        if missing:
            return None
        if hasattr(bound, "files") and not all(f.is_file() for f in bound.files(self.rows)):
            return None  # a calendar's files, the submissions' candidates
        return bound

    def save(self, generation: int, answers: Mapping[str, Any]) -> None:
        mark, rows = self._fingerprint(generation), encode_rows(answers)
        # A write under way when the fingerprint was read holds the lock until its
        # generation is served: once the lock is ours, an unchanged generation means the
        # fingerprint is that of the store the answers were built from.
        with self._write_lock:
            if self._generation() == generation:
                self.file.save(mark, rows)
