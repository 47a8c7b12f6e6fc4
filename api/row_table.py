"""Long whole-store reports kept on disk, a page read at a time.

At 100,000 documents the obligation rows of ``GET /obligations`` (56,000 rows) took
100 MB of the server's memory as Python dicts, and the list of ``GET /sources`` 49 MB;
both grow with the corpus, so at a million documents the reports alone would pass the
1.5 GB the server may hold. A ``RowTable`` keeps such a report in a SQLite file of its
own in the server's ``RowFolder`` folder (``luocdo-rows/`` beside an on-disk store, else a
temporary folder) instead: one row per answer row, in the answer's order, holding the
JSON the endpoint serves for it (so a page is the bodies of its positions joined, with
no model built per request), and the few values the answer is filtered and brought up to
date by.

A table is written whole, under a name of its own, into a file no one reads until it is
complete and renamed into place (``write_table``, a query worker's part); it never
changes after. A write's update writes a new table from the old one and the rows it read
again (``RowFolder.replace``), so a request reading a page of the old answer is never
shown a half-updated one, and reads take no lock (the files are opened immutable). A
table lives as long as the server holds its handle (``RowFolder.adopt``: the last
reference dropped, its file is removed), or as long as the kept reports name it
(``api.report_file``); at start every other file is removed (``RowFolder.collect``).

One file per table rather than one file of tables: a table is written without a log
(nothing reads it yet: at 560,000 rows twice as fast as through a write-ahead log), a
dropped table is a removed file (a dropped SQLite table leaves its pages in the file),
and files a stopped server left are told apart by name.
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

from api.answer_store import writable_folder

__all__ = [
    "FOLDER_NAME",
    "RowFolder",
    "RowTable",
    "RowTest",
    "TableRow",
    "discard_table",
    "row_path",
    "write_table",
]

log = logging.getLogger("luocdo.api.reports")

FOLDER_NAME = "luocdo-rows"
_PREFIX = "rows_"  # every table's file is named so (``collect`` removes no other)
_SUFFIX = ".sqlite"
_PART = ".part"  # a table being written (``collect`` removes one a stopped run left)
_CHUNK = 5_000  # rows per executemany, and positions per IN list


class TableRow(NamedTuple):
    """One row of a report as a ``RowTable`` keeps it.

    ``order`` sorts like the answer's own order (text compared by code point: SQLite's
    BINARY collation on UTF-8); ``group`` is what an update replaces rows by (the
    obligation's document, the source's graph); ``ident`` names the row (its IRI); ``a``
    and ``b`` are what the answer is filtered by (bearer and recipient, or the path);
    ``body`` is the row's JSON as served; ``key``, when given, is what a kind's ``Finish``
    also reads the rows by, each key's rows in order (the obligations' recurring day of
    the year, ``api.due_table``)."""

    order: str
    group: str | None
    ident: str
    a: str | None
    b: str | None
    body: bytes
    key: str | None = None


@dataclass(frozen=True, slots=True, weakref_slot=True)
class RowTable:
    """A report kept as table ``table`` of the ``RowFolder`` folder ``path``: ``size`` rows.
    The table's name is its own (``write_table``), so two handles are equal when they
    name the same table with the same rows, whatever path they were given."""

    path: str = field(compare=False)
    table: str
    size: int


RowTest = Callable[[str | None], bool]  # a test of a row's ``a`` or ``b`` value

_CREATE = ("CREATE TABLE {t}(pos INTEGER PRIMARY KEY, ord TEXT NOT NULL, grp TEXT, "
           "ident TEXT NOT NULL, a TEXT, b TEXT, body BLOB NOT NULL, key TEXT)")
_COLUMNS = "ord, grp, ident, a, b, body, key"
_INSERT = "INSERT INTO {t}(" + _COLUMNS + ") VALUES (?,?,?,?,?,?,?)"
# Each table's rows by order key: an update merges the rows it keeps, read in that
# order, with the few fresh ones, instead of sorting every row with its body (at a
# million documents' 560,000 obligations, 330 MB through SQLite's sorter). The rows that
# name a key, by key then order (what ``api.due_table`` indexes the recurring rows by);
# partial, so a table without keys (most) pays nothing for it.
_INDEXES = ("CREATE INDEX rows_ord ON rows(ord)",
            "CREATE INDEX rows_key ON rows(key, ord) WHERE key IS NOT NULL",
            # what a filter reads (``matching``), without the rows' bodies; with the key
            # and the order, what the due summary is split by pair from (``api.due_table``)
            "CREATE INDEX rows_match ON rows(a, b, key, ord)")
# What a kind adds to its table's file before it is renamed into place (a summary of its
# rows, ``api.due_table``): called with the connection, the table written.
Finish = Callable[[sqlite3.Connection], None]


def _file(folder: str | Path, table: str) -> Path:
    return Path(folder) / f"{table}{_SUFFIX}"


def _read_uri(folder: str | Path, table: str) -> str:
    """The URI a table's file is read by: read-only and immutable (it never changes
    once written, so SQLite takes no lock and looks for no log)."""
    return _file(folder, table).resolve().as_uri() + "?mode=ro&immutable=1"


def _new_name(kind: str) -> str:
    # a name of its own per table: two workers (or a worker and an update) never meet
    return f"{_PREFIX}{kind}_{uuid.uuid4().hex[:16]}"


def _fill(con: sqlite3.Connection, table: str, rows: Iterable[TableRow]) -> int:
    """Insert ``rows`` (already in order) into ``table``; how many."""
    count, batch = 0, []
    for row in rows:
        batch.append(row)
        if len(batch) >= _CHUNK:
            con.executemany(_INSERT.format(t=table), batch)
            count, batch = count + len(batch), []
    con.executemany(_INSERT.format(t=table), batch)
    return count + len(batch)


@contextlib.contextmanager
def _new_table(folder: str | Path, kind: str, source: str | None = None,
               finish: Finish | None = None) -> Iterator[tuple[str, sqlite3.Connection]]:
    """A new table's name and a connection to its file, being written: no log (no one
    reads it yet), ``finish``ed, then renamed into place when the block ends, removed if
    it fails. The table ``source`` names is attached read-only as ``old``."""
    name = _new_name(kind)
    Path(folder).mkdir(parents=True, exist_ok=True)
    part = _file(folder, name).with_suffix(_SUFFIX + _PART)
    # opened by URI, so that the attached source's URI is read as one
    con = sqlite3.connect(part.resolve().as_uri(), uri=True, isolation_level=None)
    try:
        con.execute("PRAGMA journal_mode=OFF")
        con.execute("PRAGMA synchronous=OFF")
        if source is not None:  # not within a transaction: SQLite refuses it there
            con.execute("ATTACH DATABASE ? AS old", (_read_uri(folder, source),))
        con.execute("BEGIN")
        con.execute(_CREATE.format(t="rows"))
        yield name, con
        for index in _INDEXES:
            con.execute(index)
        if finish is not None:
            finish(con)
        con.execute("COMMIT")
        con.close()
        os.replace(part, _file(folder, name))
    except BaseException:
        con.close()
        part.unlink(missing_ok=True)
        raise


def write_table(path: str | Path, kind: str, rows: Iterable[TableRow],
                finish: Finish | None = None) -> RowTable:
    """A new table of ``kind`` in the row folder ``path`` holding ``rows`` (already in
    the answer's order), ``finish``ed (``Finish``): a query worker's part."""
    with _new_table(path, kind, finish=finish) as (name, con):
        size = _fill(con, "rows", rows)
    return RowTable(str(path), name, size)


def discard_table(path: str | Path, table: RowTable) -> None:
    """Remove a table ``write_table`` wrote that will not be handed on (a worker's part,
    when what goes with the table could not be written)."""
    _file(path, table.table).unlink(missing_ok=True)


def row_path(store: Any) -> tuple[Path, bool]:
    """Where the row tables of ``store``'s reports live, and whether that folder is
    temporary: beside an on-disk store in a writable folder, else a new temporary one."""
    folder = writable_folder(store)
    if folder is not None:
        return folder / FOLDER_NAME, False
    import tempfile

    return Path(tempfile.mkdtemp(prefix="luocdo-rows-")), True


class RowFolder:
    """The folder of the row tables of one server (module docstring).

    Args:
        path: the folder (created when missing).
        temporary: remove the folder when closed.
    """

    def __init__(self, path: Path, *, temporary: bool = False) -> None:
        self.path = path
        self.temporary = temporary
        path.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._adopted: dict[str, weakref.ref[RowTable]] = {}
        self._closed = False
        # tables whose last handle went, dropped on a thread of their own: a handle may
        # go on any thread, the event loop's too
        self._dropping: list[str] = []
        self._drop_wake = threading.Condition(self._lock)
        self._dropper: threading.Thread | None = None

    @contextlib.contextmanager
    def _reading(self, table: RowTable | str) -> Iterator[sqlite3.Connection]:
        """A read-only connection to a table's file, for one read. The file never changes
        (``immutable``: no lock, no log looked for); opening it costs tens of µs, and no
        connection outlives its read to hold a removed file open."""
        name = table.table if isinstance(table, RowTable) else table
        con = sqlite3.connect(_read_uri(self.path, name), uri=True)
        try:
            yield con
        finally:
            con.close()

    # --- handles ------------------------------------------------------------------------

    def adopt(self, answer: Any) -> Any:
        """``answer``, its row tables adopted: a ``RowTable`` of this folder is dropped
        once the last reference to it is (one handle per table: a second handle of an
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
        """The file ``suffix`` of ``table`` (``api.whole_store.KeptCalendar``'s): it goes
        with the table."""
        return self.path / f"{table.table}{suffix}"

    def bind(self, table: str, size: int) -> RowTable | None:
        """The adopted handle of ``table`` when its file holds ``size`` rows (None: no
        such table, an unreadable file, or another count: a kept report that cannot be
        trusted)."""
        if not table.startswith(_PREFIX) or not _file(self.path, table).is_file():
            return None
        try:
            with self._reading(table) as con:
                found = con.execute("SELECT count(*) FROM rows").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            log.warning("row table %s cannot be read: %s", table, exc)
            return None
        if found != size:
            return None
        return self._adopt(RowTable(str(self.path), table, size))

    def tables(self) -> set[str]:
        """The row tables the folder holds."""
        return {p.name.removesuffix(_SUFFIX) for p in self.path.glob(f"{_PREFIX}*{_SUFFIX}")}

    def collect(self, keep: Iterable[str]) -> int:
        """Remove every table but those of ``keep`` and those adopted, with their files,
        and every table a stopped run left half-written (at start); how many tables
        were removed."""
        with self._lock:
            held = {t for t, ref in self._adopted.items() if ref() is not None}
        kept = set(keep) | held
        gone = self.tables() - kept
        for path in self.path.glob(f"{_PREFIX}*"):
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
        """Remove ``table``'s file and its attachments (unless adopted again)."""
        with self._lock:
            known = self._adopted.get(table)
            if known is not None:
                if known() is not None:  # adopted again since its handle went
                    return
                del self._adopted[table]
            if self._closed:
                return
        for path in self.path.glob(f"{table}.*"):
            with contextlib.suppress(OSError):
                path.unlink()

    # --- reading ------------------------------------------------------------------------

    def page(self, table: RowTable, offset: int, limit: int) -> list[bytes]:
        """The bodies of rows ``offset`` to ``offset + limit`` (excluded)."""
        with self._reading(table) as con:
            rows = con.execute("SELECT body FROM rows WHERE pos > ? AND pos <= ? ORDER BY pos",
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
        """``column`` (body, ident, ord or key) of the rows at ``positions`` (0-based),
        in order."""
        if column not in ("body", "ident", "ord", "key"):
            raise ValueError(column)
        found: dict[int, Any] = {}
        with self._reading(table) as con:
            for start in range(0, len(positions), _CHUNK):
                chunk = [p + 1 for p in positions[start:start + _CHUNK]]
                marks = ",".join("?" * len(chunk))
                found.update(con.execute(
                    f"SELECT pos, {column} FROM rows WHERE pos IN ({marks})", chunk))
        return [found[p + 1] for p in positions]

    def select(self, table: RowTable, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        """The rows of a read-only query of ``table``'s file (what a ``Finish`` wrote
        beside the rows)."""
        with self._reading(table) as con:
            return con.execute(sql, params).fetchall()

    def with_pairs(self, table: RowTable, pairs: Iterable[tuple[str | None, str | None]],
                   sql: str, params: Sequence[Any] = ()) -> list[Any]:
        """The rows of a read-only query of ``table``'s file that reads the (a, b)
        ``pairs`` from a temporary table ``wanted(a, b)`` (one party's groups of the due
        summary, ``api.due_table``)."""
        with self._reading(table) as con:
            con.execute("CREATE TEMP TABLE wanted(a TEXT, b TEXT)")
            con.executemany("INSERT INTO temp.wanted VALUES (?, ?)", pairs)
            return con.execute(sql, params).fetchall()

    def named(self, table: RowTable, idents: Iterable[str]) -> list[bytes]:
        """The bodies of the rows named by any of ``idents``, in the table's order."""
        return self._of_named(table, idents, "body")

    def _of_named(self, table: RowTable, idents: Iterable[str], column: str) -> list[Any]:
        """``column`` of the rows named by any of ``idents``, in the table's order (one
        pass over the table, the names in a temporary table)."""
        with self._reading(table) as con:
            con.execute("CREATE TEMP TABLE wanted(ident TEXT PRIMARY KEY) WITHOUT ROWID")
            con.executemany("INSERT OR IGNORE INTO temp.wanted VALUES (?)",
                            ((i,) for i in idents))
            return [r[0] for r in con.execute(
                f"SELECT {column} FROM rows WHERE ident IN "
                "(SELECT ident FROM temp.wanted) ORDER BY pos")]

    def matching(self, table: RowTable, a: RowTest | None, b: RowTest | None = None
                 ) -> array[int]:
        """The positions (0-based, in order) of the rows whose ``a`` and ``b`` values the
        tests ``a`` and ``b`` accept (None: any).

        Read from the filter index (``rows_match``), never the rows' bodies (at 300,000
        documents the obligations' table is 200 MB, its index 13 MB: a pass 230 ms, now
        about 90 ms). Each distinct (a, b) pair is tested once (the 167,181 obligations hold
        6,759); the rows of the pairs accepted are then read by the index. When most
        pairs are distinct (a path per source), one pass over the index tests each row.
        """
        def accepted(va: str | None, vb: str | None) -> bool:
            return (a is None or a(va)) and (b is None or b(vb))

        with self._reading(table) as con:
            pairs = con.execute("SELECT DISTINCT a, b FROM rows INDEXED BY rows_match"
                                ).fetchall()
            if len(pairs) * 4 > table.size:  # mostly distinct: one pass
                found = sorted(pos for pos, va, vb in con.execute(
                    "SELECT pos, a, b FROM rows INDEXED BY rows_match") if accepted(va, vb))
            else:
                con.execute("CREATE TEMP TABLE wanted(a TEXT, b TEXT)")
                con.executemany("INSERT INTO temp.wanted VALUES (?, ?)",
                                (pair for pair in pairs if accepted(*pair)))
                found = [pos for (pos,) in con.execute(
                    "SELECT r.pos FROM temp.wanted AS w JOIN rows AS r INDEXED BY rows_match "
                    "ON r.a IS w.a AND r.b IS w.b ORDER BY r.pos")]
        return array("q", (pos - 1 for pos in found))

    def rows(self, table: RowTable) -> Iterator[TableRow]:
        """Every row, in order (tests; a report read back whole; the calendar's files)."""
        with self._reading(table) as con:
            for row in con.execute(f"SELECT {_COLUMNS} FROM rows ORDER BY pos"):
                yield TableRow(*row)

    def groups_of(self, table: RowTable, idents: Iterable[str]) -> set[str | None]:
        """The groups of the rows named by any of ``idents``."""
        return set(self._of_named(table, idents, "grp"))

    # --- writing ------------------------------------------------------------------------

    def replace(self, table: RowTable, groups: Iterable[str], fresh: Iterable[TableRow],
                finish: Finish | None = None) -> RowTable:
        """A new table (adopted) holding ``table``'s rows but those of ``groups``, and the
        rows ``fresh``, in order, ``finish``ed as the kind's tables are. ``table`` is left
        as it is."""
        kind = table.table.removeprefix(_PREFIX).rsplit("_", 1)[0]
        with _new_table(self.path, kind, source=table.table, finish=finish) as (name, con):
            con.execute("CREATE TEMP TABLE gone(grp TEXT PRIMARY KEY) WITHOUT ROWID")
            con.executemany("INSERT OR IGNORE INTO temp.gone VALUES (?)",
                            ((g,) for g in groups))
            con.execute(_CREATE.format(t="temp.fresh"))
            _fill(con, "temp.fresh", fresh)
            # a row without a group (none written so) is kept, as ``NOT IN`` alone would
            # not: NULL NOT IN (…) is NULL. Both sides come in ``ord`` order (the old
            # table by its index), and SQLite merges them.
            size = con.execute(
                f"INSERT INTO main.rows({_COLUMNS}) "
                f"SELECT {_COLUMNS} FROM old.rows WHERE grp IS NULL "
                f"OR grp NOT IN (SELECT grp FROM temp.gone) "
                f"UNION ALL SELECT {_COLUMNS} FROM temp.fresh ORDER BY 1").rowcount
        return self._adopt(RowTable(str(self.path), name, size))

    def close(self) -> None:
        """Stop dropping tables (a handle dropped later leaves its table to ``collect``);
        a temporary folder is removed."""
        with self._lock:
            self._closed = True
            self._drop_wake.notify_all()
        if self.temporary:
            shutil.rmtree(self.path, ignore_errors=True)
