"""Long whole-store reports kept on disk, a page read at a time.

At 100,000 documents the obligation rows of ``GET /obligations`` (56,000 rows) took
100 MB of the server's memory as Python dicts, and the list of ``GET /sources`` 49 MB;
both grow with the corpus, so at a million documents the reports alone would pass the
1.5 GB the server may hold. A ``RowTable`` keeps such a report in a SQLite table of a
``RowFile`` (``luocdo-rows.sqlite`` beside an on-disk store, else a temporary file)
instead: one row per answer row, in the answer's order, holding the JSON the endpoint
serves for it (so a page is the bodies of its positions joined, with no model built per
request), and the few values the answer is filtered and brought up to date by.

A table is written whole by a query worker (``write_table``, in one transaction, under a
name of its own) and never changed after: a write's update writes a new table from the
old one and the rows it read again (``RowFile.replace``), so a request reading a page of
the old answer is never shown a half-updated one. A table lives as long as the server
holds its handle (``RowFile.adopt``: the last reference dropped, the table is dropped),
or as long as the kept reports name it (``api.report_file``); at start every other
table is dropped (``RowFile.collect``).
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import sqlite3
import threading
import uuid
import weakref
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from api.answer_store import writable_folder, write_transaction

__all__ = ["FILE_NAME", "RowFile", "RowTable", "TableRow", "row_path", "write_table"]

log = logging.getLogger("luocdo.api.reports")

FILE_NAME = "luocdo-rows.sqlite"
_PREFIX = "rows_"  # every table of the file is named so (``collect`` drops no other)
_CHUNK = 5_000  # rows per executemany, and positions per IN list
_BUSY_MS = 30_000  # a worker writing a table waits this long for another's commit
_LOG_LIMIT = 64 << 20  # bytes of write-ahead log kept after a checkpoint


class TableRow(NamedTuple):
    """One row of a report as a ``RowTable`` keeps it.

    ``order`` sorts like the answer's own order (text compared by code point: SQLite's
    BINARY collation on UTF-8); ``group`` is what an update replaces rows by (the
    obligation's document, the source's graph); ``ident`` names the row (its IRI); ``a``
    and ``b`` are what the answer is filtered by (bearer and recipient, or the path);
    ``body`` is the row's JSON as served."""

    order: str
    group: str | None
    ident: str
    a: str | None
    b: str | None
    body: bytes


@dataclass(frozen=True, slots=True, weakref_slot=True)
class RowTable:
    """A report kept in table ``table`` of the ``RowFile`` at ``path``: ``size`` rows.
    The table's name is its own (``write_table``), so two handles are equal when they
    name the same table with the same rows, whatever path they were given."""

    path: str = field(compare=False)
    table: str
    size: int


_CREATE = ('CREATE TABLE "{t}"(pos INTEGER PRIMARY KEY, ord TEXT NOT NULL, grp TEXT, '
           "ident TEXT NOT NULL, a TEXT, b TEXT, body BLOB NOT NULL)")
_COLUMNS = "ord, grp, ident, a, b, body"
# Each table's rows by order key: an update merges the rows it keeps, read in that
# order, with the few fresh ones, instead of sorting every row with its body (at a
# million documents' 560,000 obligations, 330 MB through SQLite's sorter).
_INDEX = 'CREATE INDEX "{t}_ord" ON "{t}"(ord)'


def _connect(path: str | Path) -> sqlite3.Connection:
    con = sqlite3.connect(path, check_same_thread=False, isolation_level=None,
                          timeout=_BUSY_MS / 1000)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    # a table is written in one transaction (50 MB for the calendar of 100,000
    # documents): the log it leaves is cut back to this size once checkpointed
    con.execute(f"PRAGMA journal_size_limit={_LOG_LIMIT}")
    return con


def _new_name(kind: str) -> str:
    # a name of its own per table: two workers (or a worker and an update) never meet
    return f"{_PREFIX}{kind}_{uuid.uuid4().hex[:16]}"


def _fill(con: sqlite3.Connection, table: str, rows: Iterable[TableRow]) -> int:
    """Insert ``rows`` (already in order) into ``table``; how many."""
    count, batch = 0, []
    for row in rows:
        batch.append(row)
        if len(batch) >= _CHUNK:
            con.executemany(f'INSERT INTO "{table}"({_COLUMNS}) VALUES (?,?,?,?,?,?)', batch)
            count, batch = count + len(batch), []
    con.executemany(f'INSERT INTO "{table}"({_COLUMNS}) VALUES (?,?,?,?,?,?)', batch)
    return count + len(batch)


def write_table(path: str | Path, kind: str, rows: Iterable[TableRow]) -> RowTable:
    """A new table of ``kind`` in the row file at ``path`` holding ``rows`` (already in
    the answer's order), written in one transaction (a query worker's part)."""
    table = _new_name(kind)
    con = _connect(path)
    try:
        with write_transaction(con):
            con.execute(_CREATE.format(t=table))
            size = _fill(con, table, rows)
            con.execute(_INDEX.format(t=table))
    finally:
        con.close()
    return RowTable(str(path), table, size)


def row_path(store: Any) -> tuple[Path, bool]:
    """Where the row tables of ``store``'s reports live, and whether that file is
    temporary: beside an on-disk store in a writable folder, else a new temporary file."""
    folder = writable_folder(store)
    if folder is not None:
        return folder / FILE_NAME, False
    import tempfile

    handle, name = tempfile.mkstemp(prefix="luocdo-rows-", suffix=".sqlite")
    os.close(handle)
    os.unlink(name)
    return Path(name), True


class RowFile:
    """The SQLite file of the row tables of one server (module docstring).

    Args:
        path: the file (created when missing; started again when it cannot be read).
        temporary: remove the file when closed.
    """

    def __init__(self, path: Path, *, temporary: bool = False) -> None:
        self.path = path
        self.temporary = temporary
        self._local = threading.local()
        self._lock = threading.Lock()
        self._adopted: dict[str, weakref.ref[RowTable]] = {}
        self._connections: list[sqlite3.Connection] = []  # every thread's, for close
        self._closed = False
        # tables whose last handle went, dropped on a thread of their own: a handle may
        # go on any thread, the event loop's too, and a drop takes milliseconds
        self._dropping: list[str] = []
        self._drop_wake = threading.Condition(self._lock)
        self._dropper: threading.Thread | None = None
        self._open()

    def _open(self) -> None:
        try:
            con = _connect(self.path)
            con.execute("SELECT count(*) FROM sqlite_master").fetchone()
            con.close()
        except sqlite3.DatabaseError as exc:  # not a database, or a damaged one
            log.warning("%s cannot be read (%s); starting it again", self.path, exc)
            for suffix in ("", "-wal", "-shm"):
                with contextlib.suppress(OSError):
                    Path(f"{self.path}{suffix}").unlink()

    def _con(self) -> sqlite3.Connection:
        """This thread's connection (SQLite readers do not wait for each other)."""
        con: sqlite3.Connection | None = getattr(self._local, "con", None)
        if con is None:
            with self._lock:
                if self._closed:
                    raise sqlite3.ProgrammingError(f"{self.path} is closed")
                con = self._local.con = _connect(self.path)
                self._connections.append(con)
        return con

    # --- handles ------------------------------------------------------------------------

    def adopt(self, answer: Any) -> Any:
        """``answer``, its row tables adopted: a ``RowTable`` of this file is dropped once
        the last reference to it is (one handle per table: a second handle of an
        adopted table is the first). An answer holding tables says which through
        ``with_tables(adopt)`` (``api.whole_store.KeptCalendar``)."""
        if isinstance(answer, RowTable):
            return self._adopt(answer)
        if hasattr(answer, "with_tables"):
            return answer.with_tables(self._adopt)
        return answer

    def _adopt(self, table: RowTable) -> RowTable:
        with self._lock:
            known = self._adopted.get(table.table)
            held = known() if known is not None else None
            if held is not None:
                return held
            self._adopted[table.table] = weakref.ref(table)
        done = weakref.finalize(table, self._drop_later, table.table)
        done.atexit = False  # a table the kept reports name outlives the server
        return table

    def attachment(self, table: RowTable, suffix: str) -> Path:
        """The file ``suffix`` of ``table`` (``api.whole_store.KeptCalendar``'s), in the
        file's folder of attachments (created when missing): it goes with the table."""
        folder = self.folder
        folder.mkdir(exist_ok=True)
        return folder / f"{table.table}{suffix}"

    @property
    def folder(self) -> Path:
        """Where the tables' attached files are (``attachment``)."""
        return self.path.with_suffix(".files")

    def bind(self, table: str, size: int) -> RowTable | None:
        """The adopted handle of ``table`` when it holds ``size`` rows (None: no such
        table, or another count: a kept report that cannot be trusted)."""
        if not table.startswith(_PREFIX):
            return None
        try:
            found = self._con().execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
        except sqlite3.OperationalError:
            return None
        if found != size:
            return None
        return self._adopt(RowTable(str(self.path), table, size))

    def tables(self) -> set[str]:
        """The row tables the file holds."""
        rows = self._con().execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name GLOB ?",
            (f"{_PREFIX}*",)).fetchall()
        return {str(r[0]) for r in rows}

    def collect(self, keep: Iterable[str]) -> int:
        """Drop every table but those of ``keep`` and those adopted (at start: what a
        stopped server left); how many were dropped."""
        with self._lock:
            held = {t for t, ref in self._adopted.items() if ref() is not None}
        kept = set(keep) | held
        gone = self.tables() - kept
        for table in sorted(gone):
            self._drop(table)
        if self.folder.is_dir():  # files whose table is gone (a drop cut short)
            for path in self.folder.iterdir():
                if path.name.split(".", 1)[0] not in kept:
                    with contextlib.suppress(OSError):
                        path.unlink()
        return len(gone)

    def _drop_later(self, table: str) -> None:
        """Have ``table`` dropped by the dropping thread (started on first use)."""
        with self._lock:
            if self._closed:
                return
            self._dropping.append(table)
            self._drop_wake.notify_all()
            if self._dropper is None:
                self._dropper = threading.Thread(target=self._drop_loop, daemon=True,
                                                 name="luocdo-row-drops")
                self._dropper.start()

    def _drop_loop(self) -> None:
        while True:
            with self._lock:
                self._drop_wake.wait_for(lambda: self._dropping or self._closed)
                if self._closed:
                    return
                table = self._dropping[0]
            self._drop(table)
            with self._lock:
                self._dropping.remove(table)
                self._drop_wake.notify_all()

    def settle(self, timeout: float = 30.0) -> bool:
        """Wait until every table whose handle went is dropped (tests); False when
        ``timeout`` seconds pass first."""
        with self._lock:
            return self._drop_wake.wait_for(lambda: not self._dropping, timeout)

    def _drop(self, table: str) -> None:
        with self._lock:
            known = self._adopted.get(table)
            if known is not None:
                if known() is not None:  # adopted again since its handle went
                    return
                del self._adopted[table]
            if self._closed:
                return
        try:
            con = _connect(self.path)
            try:
                con.execute(f'DROP TABLE IF EXISTS "{table}"')
            finally:
                con.close()
        except sqlite3.Error as exc:  # the next start's collect drops it
            log.warning("row table %s could not be dropped: %s", table, exc)
        if self.folder.is_dir():
            for path in self.folder.glob(f"{table}.*"):
                with contextlib.suppress(OSError):
                    path.unlink()

    # --- reading ------------------------------------------------------------------------

    def page(self, table: RowTable, offset: int, limit: int) -> list[bytes]:
        """The bodies of rows ``offset`` to ``offset + limit`` (excluded)."""
        rows = self._con().execute(
            f'SELECT body FROM "{table.table}" WHERE pos > ? AND pos <= ? ORDER BY pos',
            (offset, offset + limit)).fetchall()
        return [r[0] for r in rows]

    def page_json(self, table: RowTable, offset: int, limit: int,
                  positions: Sequence[int] | None = None) -> tuple[int, bytes]:
        """(total, JSON list of one page): rows ``offset`` to ``offset + limit`` of the
        table, or of the rows at ``positions`` (a filter's ``matching``) when given."""
        if positions is None:
            total, bodies = table.size, self.page(table, offset, limit)
        else:
            total, bodies = len(positions), self.at(table, positions[offset:offset + limit])
        return total, b"[" + b",".join(bodies) + b"]"

    def at(self, table: RowTable, positions: Sequence[int], column: str = "body"
           ) -> list[Any]:
        """``column`` (body or ident) of the rows at ``positions`` (0-based), in order."""
        if column not in ("body", "ident"):
            raise ValueError(column)
        found: dict[int, Any] = {}
        con = self._con()
        for start in range(0, len(positions), _CHUNK):
            chunk = [p + 1 for p in positions[start:start + _CHUNK]]
            marks = ",".join("?" * len(chunk))
            found.update(con.execute(
                f'SELECT pos, {column} FROM "{table.table}" WHERE pos IN ({marks})',
                chunk).fetchall())
        return [found[p + 1] for p in positions]

    def named(self, table: RowTable, idents: Iterable[str]) -> list[bytes]:
        """The bodies of the rows named by any of ``idents``, in the table's order."""
        return self._of_named(table, idents, "body")

    def _of_named(self, table: RowTable, idents: Iterable[str], column: str) -> list[Any]:
        """``column`` of the rows named by any of ``idents``, in the table's order (one
        pass over the table, the names in a temporary table)."""
        con = self._con()
        con.execute("CREATE TEMP TABLE IF NOT EXISTS wanted(ident TEXT PRIMARY KEY) "
                    "WITHOUT ROWID")
        try:
            con.executemany("INSERT OR IGNORE INTO temp.wanted VALUES (?)",
                            ((i,) for i in idents))
            return [r[0] for r in con.execute(
                f'SELECT {column} FROM "{table.table}" WHERE ident IN '
                "(SELECT ident FROM temp.wanted) ORDER BY pos")]
        finally:
            con.execute("DELETE FROM temp.wanted")

    def matching(self, table: RowTable, a: Callable[[str | None], bool] | None,
                 b: Callable[[str | None], bool] | None = None) -> array[int]:
        """The positions (0-based, in order) of the rows whose ``a`` and ``b`` values the
        tests ``a`` and ``b`` accept (None: any)."""
        found = array("q")
        rows = self._con().execute(f'SELECT pos, a, b FROM "{table.table}" ORDER BY pos')
        for pos, va, vb in rows:
            if (a is None or a(va)) and (b is None or b(vb)):
                found.append(pos - 1)
        return found

    def rows(self, table: RowTable) -> Iterator[TableRow]:
        """Every row, in order (tests; a report read back whole)."""
        con = self._con()
        for row in con.execute(f'SELECT {_COLUMNS} FROM "{table.table}" ORDER BY pos'):
            yield TableRow(*row)

    def groups_of(self, table: RowTable, idents: Iterable[str]) -> set[str | None]:
        """The groups of the rows named by any of ``idents``."""
        return set(self._of_named(table, idents, "grp"))

    # --- writing ------------------------------------------------------------------------

    def replace(self, table: RowTable, groups: Iterable[str], fresh: Iterable[TableRow]
                ) -> RowTable:
        """A new table (adopted) holding ``table``'s rows but those of ``groups``, and the
        rows ``fresh``, in order. ``table`` is left as it is."""
        name = _new_name(table.table.removeprefix(_PREFIX).rsplit("_", 1)[0])
        con = _connect(self.path)
        try:
            with write_transaction(con):
                con.execute("CREATE TEMP TABLE gone(grp TEXT PRIMARY KEY) WITHOUT ROWID")
                con.executemany("INSERT OR IGNORE INTO temp.gone VALUES (?)",
                                ((g,) for g in groups))
                con.execute(_CREATE.format(t="fresh").replace('TABLE "fresh"',
                                                              'TEMP TABLE "fresh"'))
                _fill(con, "fresh", fresh)
                con.execute(_CREATE.format(t=name))
                # a row without a group (none written so) is kept, as ``NOT IN`` alone
                # would not: NULL NOT IN (…) is NULL. Both sides come in ``ord`` order
                # (the old table by its index), and SQLite merges them.
                size = con.execute(
                    f'INSERT INTO "{name}"({_COLUMNS}) '
                    f'SELECT {_COLUMNS} FROM "{table.table}" WHERE grp IS NULL '
                    f"OR grp NOT IN (SELECT grp FROM temp.gone) "
                    f"UNION ALL SELECT {_COLUMNS} FROM temp.fresh ORDER BY 1").rowcount
                con.execute(_INDEX.format(t=name))
                con.execute("DROP TABLE temp.gone")
                con.execute("DROP TABLE temp.fresh")
        finally:
            con.close()
        return self._adopt(RowTable(str(self.path), name, size))

    def close(self) -> None:
        """Stop dropping tables (a handle dropped later leaves its table to ``collect``);
        a temporary file is removed."""
        with self._lock:
            self._closed = True
            connections, self._connections = self._connections, []
            self._drop_wake.notify_all()
        for con in connections:
            con.close()
        if self.temporary:
            for suffix in ("", "-wal", "-shm"):
                with contextlib.suppress(OSError):
                    Path(f"{self.path}{suffix}").unlink()
            shutil.rmtree(self.folder, ignore_errors=True)
