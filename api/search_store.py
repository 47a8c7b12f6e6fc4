"""The document search index on disk: SQLite + FTS5, kept in step with the graph store.

``SearchStore`` answers ``api.search`` searches (same matching and ranking as the
in-memory index it replaced, kept as the tests' oracle in ``tests/search_oracle.py``)
from a SQLite file, ``luocdo-search.sqlite`` in the Oxigraph store's folder (a
temporary file for an in-memory or remote store), so the server holds no document in
memory and a search costs milliseconds at a million documents.

Tables:

* ``nodes(id, iri)``: every document IRI the index has met;
* ``docs``: one row per listed document (typed ``lo:Document`` with an identity key):
  the fields the API shows, and its folded words in three columns, ``sym`` (words of
  its symbol and key), ``iss`` (issuer words not in ``sym``: the issuer's name and the
  expansions of the codes in the symbol) and ``other`` (the rest of its vocabulary:
  title, type name, date parts), so that ``sym`` ⊂ ``sym iss`` ⊂ all three columns
  are ``symbol_words`` ⊂ ``issuer_words`` ⊂ ``vocabulary`` of ``api.search.DocEntry``;
* ``fts``: an FTS5 index over those columns (``ascii`` tokenizer: words are already
  folded, it only splits at spaces; ``detail=column`` for column filters);
* ``sources(id, graph, sha256)`` and ``mentions(source, node)``: what the index was
  built from (each source graph and the SHA-256 of its file) and which documents each
  source graph gives an identity key, so a sync after a write recomputes only the
  documents of the graphs that were added, removed or changed.

Matching: every non-filler query word must match (``"w"`` exactly, ``"w"*`` for an
alphabetic word of 3+ letters, or every word of one of its expansions), which is one
FTS5 ``MATCH`` expression; the issuer filter is the same on the columns ``sym iss``.
Ranking (exact whole symbol, words in the symbol, words found, newest date, then key
and IRI, as the old in-memory index ordered entries) is computed in SQL over the matches.

Writes go through one writer (``IndexKeeper``'s thread); searches use other
connections (WAL mode: a reader sees the last committed sync, never half of one).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import sqlite3
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import groupby
from pathlib import Path
from typing import Any

from api.search import FILLER, DocEntry, abbreviations, compact, entry, words
from api.search_source import TYPED, Source

__all__ = ["FILE_NAME", "IndexKeeper", "SearchStore", "SyncReport", "index_path", "match_expr"]

log = logging.getLogger("luocdo.api.search")

FILE_NAME = "luocdo-search.sqlite"
SCHEMA = "luocdo-search/2"
# Shortest alphabetic word that may be the start of a longer one ("quy" → "quyết").
_MIN_PREFIX = 3
# Rows per executemany while staging (bounded memory at any store size).
_BATCH = 20_000
# Above this share of changed sources a full rebuild is cheaper than a sync.
_REBUILD_SHARE = 0.25

_SCHEMA_SQL = """
CREATE TABLE meta(k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID;
CREATE TABLE nodes(id INTEGER PRIMARY KEY, iri TEXT NOT NULL UNIQUE);
CREATE TABLE sources(id INTEGER PRIMARY KEY, graph TEXT NOT NULL UNIQUE, sha256 TEXT);
CREATE TABLE mentions(source INTEGER NOT NULL, node INTEGER NOT NULL,
                      PRIMARY KEY (source, node)) WITHOUT ROWID;
CREATE TABLE docs(id INTEGER PRIMARY KEY, iri TEXT NOT NULL, key TEXT NOT NULL, symbol TEXT,
                  doc_type TEXT, title TEXT, issuer TEXT, date TEXT, year INTEGER,
                  whole_symbol TEXT, whole_key TEXT, sym TEXT, iss TEXT, other TEXT);
CREATE INDEX docs_newest ON docs(date DESC, key, iri);
CREATE INDEX docs_type ON docs(doc_type, date DESC, key, iri);
CREATE INDEX docs_year ON docs(year, date DESC, key, iri);
CREATE INDEX docs_whole_symbol ON docs(whole_symbol);
CREATE INDEX docs_whole_key ON docs(whole_key);
CREATE VIRTUAL TABLE fts USING fts5(sym, iss, other, content='docs', content_rowid='id',
                                    detail='column', tokenize='ascii', prefix='3');
"""
_DOC_COLUMNS = ("id, iri, key, symbol, doc_type, title, issuer, date, year, whole_symbol, "
                "whole_key, sym, iss, other")


@dataclass(frozen=True, slots=True)
class SyncReport:
    """What one build or sync did."""

    full: bool
    sources_changed: int
    documents: int  # entries recomputed (full: all of them)
    skipped: int  # documents whose entry could not be made (logged)
    seconds: float


def index_path(store: Any) -> Path | None:
    """Where the index of ``store`` lives: in its folder when it has a writable one."""
    folder = getattr(store, "path", None)
    if isinstance(folder, Path) and folder.is_dir() and os.access(folder, os.W_OK):
        return folder / FILE_NAME
    return None


# --- query text ------------------------------------------------------------------------------


def _term(word: str) -> str:
    """One FTS5 phrase: the word, or any word it starts (alphabetic, 3+ letters)."""
    star = "*" if len(word) >= _MIN_PREFIX and word.isalpha() else ""
    return f'"{word}"{star}'  # a folded word has only letters and digits: no quote inside


def _alternatives(word: str) -> str:
    """The word, or every word of one of its expansions (``api.search._matches``)."""
    options = [_term(word)]
    for phrase in abbreviations().get(word, ()):
        options.append("(" + " AND ".join(_term(w) for w in phrase) + ")")
    return options[0] if len(options) == 1 else "(" + " OR ".join(options) + ")"


def match_expr(query: Sequence[str], issuer: Sequence[str] = ()) -> str | None:
    """The FTS5 expression of folded query and issuer words (filler words dropped).

    Returns:
        None when nothing is required (every document matches).

    Example:
        >>> match_expr(("chi", "thi", "so", "15"))
        '"chi"* AND "thi"* AND "15"'
    """
    parts = [_alternatives(w) for w in dict.fromkeys(query) if w not in FILLER]
    parts += ["{sym iss} : " + _alternatives(w) for w in dict.fromkeys(issuer)
              if w not in FILLER]
    return " AND ".join(parts) or None


# --- the store -------------------------------------------------------------------------------


def _doc_row(node: int, e: DocEntry) -> tuple[Any, ...]:
    issuer_only = e.issuer_words - e.symbol_words
    other = e.vocabulary - e.issuer_words
    return (node, e.iri, e.key or "", e.symbol, e.doc_type, e.title, e.issuer,
            e.date.isoformat() if e.date else None, e.year, compact(e.symbol or ""),
            compact(e.key or ""), " ".join(sorted(e.symbol_words)),
            " ".join(sorted(issuer_only)), " ".join(sorted(other)))


def _entry(row: sqlite3.Row) -> DocEntry:
    sym, iss, other = (frozenset(row[c].split()) for c in ("sym", "iss", "other"))
    date = dt.date.fromisoformat(row["date"]) if row["date"] else None
    return DocEntry(iri=row["iri"], key=row["key"], symbol=row["symbol"],
                    doc_type=row["doc_type"], title=row["title"], issuer=row["issuer"],
                    date=date, year=row["year"], vocabulary=sym | iss | other,
                    symbol_words=sym, issuer_words=sym | iss)


class IndexCorrupt(RuntimeError):
    """The index file cannot be read (it is rebuilt)."""


class Cancelled(RuntimeError):
    """A build or sync stopped because the index is being closed."""


def _insert_docs(conn: sqlite3.Connection, rows: list[tuple[Any, ...]]) -> None:
    conn.executemany(f"INSERT INTO docs({_DOC_COLUMNS}) VALUES ({','.join('?' * 14)})", rows)
    conn.executemany("INSERT INTO fts(rowid, sym, iss, other) VALUES (?, ?, ?, ?)",
                     [(r[0], r[11], r[12], r[13]) for r in rows])


class SearchStore:
    """The SQLite search index at ``path`` (see the module docstring).

    Args:
        path: the index file; None: a temporary file, deleted by ``close``.
        base: base IRI of the graph store (an index built for another base is rebuilt).
    """

    def __init__(self, path: Path | None, base: str = "") -> None:
        self.temporary = path is None
        if path is None:
            fd, name = tempfile.mkstemp(prefix="luocdo-search-", suffix=".sqlite")
            os.close(fd)
            os.unlink(name)
            path = Path(name)
        self.path = path
        self.base = base
        self._pool: list[sqlite3.Connection] = []
        self._pool_lock = threading.Lock()
        self._epoch = 0  # bumped when the file is replaced: pooled readers are dropped
        self._writer: sqlite3.Connection | None = None
        self.cancel = threading.Event()  # set: a build in progress stops (``Cancelled``)

    # --- connections ------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA busy_timeout = 5000")
        return conn

    def _writer_conn(self) -> sqlite3.Connection:
        if self._writer is None:
            conn = self._connect()
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA cache_size = -65536")  # 64 MiB while building
            conn.execute("PRAGMA temp_store = FILE")
            self._writer = conn
        return self._writer

    @contextlib.contextmanager
    def _reader(self) -> Iterator[sqlite3.Connection]:
        with self._pool_lock:
            conn, epoch = (self._pool.pop() if self._pool else None), self._epoch
        if conn is None:
            conn = self._connect()
            conn.execute("PRAGMA query_only = ON")
        try:
            yield conn
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise IndexCorrupt(str(exc)) from exc
        with self._pool_lock:
            if epoch == self._epoch:
                self._pool.append(conn)
            else:
                conn.close()

    def renew_readers(self) -> None:
        """Open new readers from now on (another process wrote or replaced the file)."""
        self._drop_readers()

    def _drop_readers(self) -> None:
        with self._pool_lock:
            self._epoch += 1
            pool, self._pool = self._pool, []
        for conn in pool:
            conn.close()

    def close(self) -> None:
        """Close every connection (and delete a temporary file)."""
        self._drop_readers()
        if self._writer is not None:
            with contextlib.suppress(sqlite3.Error):
                self._writer.close()
            self._writer = None
        if self.temporary:
            self._delete_files()

    def _delete_files(self) -> None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(f"{self.path}{suffix}")

    # --- state ------------------------------------------------------------------------------

    def ready(self) -> bool:
        """Whether the file holds a complete index of this schema and base IRI."""
        try:
            with self._reader() as conn:
                meta = dict(conn.execute("SELECT k, v FROM meta").fetchall())
        except (IndexCorrupt, sqlite3.Error):
            return False
        return meta.get("schema") == SCHEMA and meta.get("base") == self.base \
            and meta.get("complete") == "1"

    def mark(self) -> str | None:
        """The store fingerprint (``api.document_bundle.store_mark``) of the store state the
        index was last in step with, when one was recorded (``set_mark``)."""
        try:
            with self._reader() as conn:
                found = conn.execute("SELECT v FROM meta WHERE k = 'mark'").fetchone()
        except (IndexCorrupt, sqlite3.Error):
            return None
        return None if found is None else str(found[0])

    def set_mark(self, mark: str) -> None:
        """Record that the index is in step with the store whose fingerprint is ``mark``
        (a start-up then needs no scan of every source while the store still has it).
        Any sync that changes the index drops the mark in its own transaction."""
        conn = self._connect()  # its own connection: the sync may run in another process
        try:
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('mark', ?)", (mark,))
        finally:
            conn.close()

    def reset(self) -> None:
        """Delete the file and start an empty one (a corrupt or foreign index)."""
        self._drop_readers()
        if self._writer is not None:
            with contextlib.suppress(sqlite3.Error):
                self._writer.close()
            self._writer = None
        self._delete_files()

    def _check_cancel(self) -> None:
        if self.cancel.is_set():
            raise Cancelled(str(self.path))

    def _fresh_schema(self, conn: sqlite3.Connection) -> None:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'fts_%' "
            "AND name NOT LIKE 'sqlite_%'")]
        if "fts" in tables:
            conn.execute("DROP TABLE fts")
        for name in tables:
            if name != "fts":
                conn.execute(f'DROP TABLE IF EXISTS "{name}"')
        for statement in _SCHEMA_SQL.split(";"):  # executescript would COMMIT first
            if statement.strip():
                conn.execute(statement)

    # --- build and sync ---------------------------------------------------------------------

    def sync(self, source: Source, *, full: bool = False, scan: bool = False) -> SyncReport:
        """Bring the index in step with ``source``.

        Args:
            source: the graph store reader.
            full: rebuild everything (also when the file is missing, corrupt, of another
                schema or built for another base).
            scan: compare every source's fingerprint (on start-up), not only those of
                the graphs written since the last sync.
        """
        if full or not self.ready():
            return self.rebuild(source)
        try:
            return self._sync(source, scan)
        except sqlite3.DatabaseError as exc:
            log.warning("search index %s unreadable (%s): rebuilding", self.path, exc)
            return self.rebuild(source)

    def rebuild(self, source: Source) -> SyncReport:
        """Build the whole index from ``source`` (in one transaction: readers see the old
        index until it commits)."""
        started = time.perf_counter()
        try:
            conn = self._writer_conn()
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.DatabaseError as exc:
            log.warning("search index %s unusable (%s): starting a new file", self.path, exc)
            self.reset()
            conn = self._writer_conn()
            conn.execute("BEGIN IMMEDIATE")
        try:
            # Order matters when a write lands meanwhile: ingest time and fingerprints
            # first, then mentions, then fields, so whatever changed after them is
            # recomputed by the next sync (the old and the new mentions are both known).
            _, newest = source.recent(None)
            prints = source.fingerprint()
            self._fresh_schema(conn)
            conn.executemany("INSERT INTO meta VALUES (?, ?)",
                             [("schema", SCHEMA), ("base", self.base), ("complete", "0"),
                              ("since", newest)])
            conn.executemany("INSERT INTO sources(graph, sha256) VALUES (?, ?)",
                             sorted(prints.items()))
            self._store_mentions(conn, source.mentions(None), prints)
            made, skipped = self._store_fields(conn, source.fields(None))
            conn.execute("INSERT INTO fts(fts) VALUES ('optimize')")
            conn.execute("UPDATE meta SET v = '1' WHERE k = 'complete'")
            conn.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            raise
        with contextlib.suppress(sqlite3.Error):
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self._drop_readers()
        return SyncReport(True, len(prints), made, skipped, time.perf_counter() - started)

    def _changes(self, conn: sqlite3.Connection, source: Source,
                 scan: bool) -> tuple[list[str], dict[str, str], str | None]:
        """(changed graphs, their fingerprints now, latest ingest time).

        Without ``scan``, only the graphs ingested since the last sync are compared;
        the whole fingerprint is read only when the number of sources says that some
        were removed.
        """
        known = {r[0]: r[1] for r in conn.execute("SELECT graph, sha256 FROM sources")}
        since = conn.execute("SELECT v FROM meta WHERE k = 'since'").fetchone()
        recent, newest = source.recent(since[0] if since and not scan else None)
        if since and since[0] and not scan:
            prints = source.fingerprint(recent)
            if source.count() == len(known) + len(set(prints) - set(known)):
                return sorted(g for g in prints if prints[g] != known.get(g)), prints, newest
        prints = source.fingerprint()
        changed = sorted(g for g in {*prints, *known} if prints.get(g) != known.get(g))
        return changed, prints, newest

    def _sync(self, source: Source, scan: bool) -> SyncReport:
        started = time.perf_counter()
        conn = self._writer_conn()
        changed, prints, newest = self._changes(conn, source, scan)
        if not changed:
            conn.execute("UPDATE meta SET v = ? WHERE k = 'since'", (newest,))
            return SyncReport(False, 0, 0, 0, time.perf_counter() - started)
        known = conn.execute("SELECT count(*) FROM sources").fetchone()[0]
        if len(changed) > max(50, _REBUILD_SHARE * known):
            return self.rebuild(source)
        still = [g for g in changed if g in prints]
        fresh = list(source.mentions(still))
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute("DELETE FROM meta WHERE k = 'mark'")  # no longer that state's
            old = self._old_mentions(conn, changed)
            affected = sorted(old | {iri for _, iri in fresh})
            rows = sorted(source.fields(affected))
            self._forget(conn, changed)
            conn.executemany("INSERT INTO sources(graph, sha256) VALUES (?, ?)",
                             [(g, prints[g]) for g in still])
            self._store_mentions(conn, iter(fresh), prints)
            self._drop_docs(conn, affected)
            made, skipped = self._store_fields(conn, iter(rows))
            conn.execute("UPDATE meta SET v = ? WHERE k = 'since'", (newest,))
            conn.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            raise
        return SyncReport(False, len(changed), made, skipped, time.perf_counter() - started)

    @staticmethod
    def _old_mentions(conn: sqlite3.Connection, graphs: Sequence[str]) -> set[str]:
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS wanted(graph TEXT PRIMARY KEY)")
        conn.execute("DELETE FROM wanted")
        conn.executemany("INSERT OR IGNORE INTO wanted VALUES (?)", [(g,) for g in graphs])
        return {r[0] for r in conn.execute(
            "SELECT n.iri FROM wanted w JOIN sources s ON s.graph = w.graph "
            "JOIN mentions m ON m.source = s.id JOIN nodes n ON n.id = m.node")}

    @staticmethod
    def _forget(conn: sqlite3.Connection, graphs: Sequence[str]) -> None:
        """Drop the source rows and mentions of ``graphs`` (``wanted`` holds them)."""
        conn.execute("DELETE FROM mentions WHERE source IN (SELECT s.id FROM sources s "
                     "JOIN wanted w ON w.graph = s.graph)")
        conn.execute("DELETE FROM sources WHERE graph IN (SELECT graph FROM wanted)")

    @staticmethod
    def _drop_docs(conn: sqlite3.Connection, iris: Sequence[str]) -> None:
        """Remove the entries of ``iris`` from ``docs`` and ``fts``."""
        for i in range(0, len(iris), 500):
            part = iris[i:i + 500]
            marks = ",".join("?" * len(part))
            old = conn.execute("SELECT d.id, d.sym, d.iss, d.other FROM nodes n "
                               f"JOIN docs d ON d.id = n.id WHERE n.iri IN ({marks})",
                               part).fetchall()
            conn.executemany("INSERT INTO fts(fts, rowid, sym, iss, other) "
                             "VALUES ('delete', ?, ?, ?, ?)", [tuple(r) for r in old])
            conn.executemany("DELETE FROM docs WHERE id = ?", [(r[0],) for r in old])

    def _store_mentions(self, conn: sqlite3.Connection, pairs: Iterator[tuple[str, str]],
                        prints: dict[str, str]) -> None:
        """Record (graph, IRI) mentions of source graphs (other graphs are not tracked)."""
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS raw_mentions(graph TEXT, iri TEXT)")
        conn.execute("DELETE FROM raw_mentions")
        batch: list[tuple[str, str]] = []
        for pair in pairs:
            self._check_cancel()
            if pair[0] in prints:
                batch.append(pair)
            if len(batch) >= _BATCH:
                conn.executemany("INSERT INTO raw_mentions VALUES (?, ?)", batch)
                batch = []
        conn.executemany("INSERT INTO raw_mentions VALUES (?, ?)", batch)
        conn.execute("INSERT OR IGNORE INTO nodes(iri) SELECT DISTINCT iri FROM raw_mentions")
        conn.execute("INSERT OR IGNORE INTO mentions(source, node) SELECT s.id, n.id "
                     "FROM raw_mentions r JOIN sources s ON s.graph = r.graph "
                     "JOIN nodes n ON n.iri = r.iri")
        conn.execute("DELETE FROM raw_mentions")

    def _store_fields(self, conn: sqlite3.Connection,
                      rows: Iterator[tuple[str, str, str]]) -> tuple[int, int]:
        """Stage field rows, merge them per document (first value in sorted order, as
        the old ``build_index``) and write the entries of listed documents.

        Returns:
            (entries written, documents skipped because their entry could not be made).
        """
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS raw(iri TEXT, field TEXT, value TEXT)")
        conn.execute("DELETE FROM raw")
        batch: list[tuple[str, str, str]] = []
        for row in rows:
            batch.append(row)
            if len(batch) % 1024 == 0:
                self._check_cancel()
            if len(batch) >= _BATCH:
                conn.executemany("INSERT INTO raw VALUES (?, ?, ?)", batch)
                batch = []
        conn.executemany("INSERT INTO raw VALUES (?, ?, ?)", batch)
        conn.execute("INSERT OR IGNORE INTO nodes(iri) SELECT DISTINCT iri FROM raw "
                     "WHERE field = 'key'")
        merged = conn.cursor().execute(
            "SELECT r.iri, n.id, r.field, min(r.value) FROM raw r JOIN nodes n ON n.iri = r.iri "
            "GROUP BY r.iri, r.field ORDER BY r.iri")
        made = skipped = 0
        out: list[tuple[Any, ...]] = []
        for (iri, node), group in groupby(merged, key=lambda r: (r[0], r[1])):
            self._check_cancel()
            fields = {r[2]: r[3] for r in group}
            if TYPED not in fields or "key" not in fields:
                continue  # as documents.rq: typed documents with an identity key only
            try:
                out.append(_doc_row(node, entry({"doc": iri, **fields})))
            except Exception:  # one odd document must not sink the index
                log.warning("search index: skipped %s (%r)", iri, fields, exc_info=True)
                skipped += 1
                continue
            made += 1
            if len(out) >= _BATCH:
                _insert_docs(conn, out)
                out = []
        _insert_docs(conn, out)
        conn.execute("DELETE FROM raw")
        return made, skipped

    # --- search -----------------------------------------------------------------------------

    def search(self, q: str | None = None, *, doc_type: str | None = None,
               issuer: str | None = None, year: int | None = None, limit: int = 50,
               offset: int = 0) -> tuple[int, list[DocEntry]]:
        """(total, one page) of the documents matching every criterion, best first.

        Same answers as the old in-memory ``SearchIndex.search`` (tests/search_oracle.py).

        Raises:
            IndexCorrupt: the file cannot be read.
        """
        plan = _Plan.of(q, doc_type=doc_type, issuer=issuer, year=year)
        with self._reader() as conn:
            total = plan.count(conn, plan.expr)
            if total > _SMALL and plan.expr is not None:
                plan = plan.pruned(conn, total)
            if total <= _SMALL or not plan.tiered():
                rows = plan.ranked(conn, plan.expr, limit, offset)
            else:
                rows = plan.by_tiers(conn, total, limit, offset)
        return total, [_entry(r) for r in rows]


# A match set this small is ranked in one sorted query; a larger one tier by tier.
_SMALL = 3000
# Most ranking features (words that may or may not be in the symbol, filler words) for
# which the tiers (2^features) are enumerated; more: one sorted query.
_MAX_FEATURES = 5
_ORDER = " ORDER BY d.date DESC, d.key, d.iri"


@dataclass(frozen=True, slots=True)
class _Plan:
    """One search as SQL: the match expression, filters and ranking features.

    The score is (exact symbol, words in symbol, words found, date): ``exact`` is a
    handful of documents (an index lookup); the other two are sums over *features*
    (a query word in the symbol, a filler word found), each an FTS5 expression. A
    large match set is walked tier by tier (documents of one feature set share a
    score and are in date order, which an index gives without sorting).
    """

    words: tuple[str, ...]
    whole: str
    expr: str | None
    doc_type: str | None
    year: int | None
    features: tuple[tuple[str, int, int], ...]  # (FTS expression, in_symbol, found)
    required: int
    base: tuple[int, int] = (0, 0)  # (in_symbol, found) of features every match has

    @classmethod
    def of(cls, q: str | None, *, doc_type: str | None, issuer: str | None,
           year: int | None) -> _Plan:
        query = words(q)
        counts = _counts(query)
        features = [(f'sym : "{w}"', n, 0) for w, n in counts]
        features += [(_alternatives(w), 0, n) for w, n in counts if w in FILLER]
        return cls(query, compact(q or ""), match_expr(query, words(issuer)), doc_type, year,
                   tuple(features), sum(n for w, n in counts if w not in FILLER))

    def pruned(self, conn: sqlite3.Connection, total: int) -> _Plan:
        """The plan without the features no match has or every match has (those do not
        split the matches into tiers; one every match has joins the base score)."""
        keep: list[tuple[str, int, int]] = []
        constant = (0, 0)
        for f in self.features:
            # the feature alone first: cheap, and most title words are in no symbol
            alone = conn.execute("SELECT 1 FROM fts WHERE fts MATCH ? LIMIT 1", (f[0],))
            n = self.count(conn, f"({self.expr}) AND ({f[0]})") if alone.fetchone() else 0
            if n == total:
                constant = (constant[0] + f[1], constant[1] + f[2])
            elif n:
                keep.append(f)
        return replace(self, features=tuple(keep), base=constant)

    def tiered(self) -> bool:
        return self.expr is not None and len(self.features) <= _MAX_FEATURES

    def _filters(self) -> tuple[list[str], list[Any]]:
        where: list[str] = []
        params: list[Any] = []
        if self.doc_type:
            where.append("d.doc_type = ?")
            params.append(self.doc_type)
        if self.year is not None:
            where.append("d.year = ?")
            params.append(self.year)
        return where, params

    def _where(self, expr: str | None, extra: Sequence[str] = ()) -> tuple[str, list[Any]]:
        where, params = self._filters()
        if expr is not None:
            where.insert(0, "d.id IN (SELECT rowid FROM fts WHERE fts MATCH ?)")
            params.insert(0, expr)
        where += extra
        return (" WHERE " + " AND ".join(where)) if where else "", params

    def count(self, conn: sqlite3.Connection, expr: str | None,
              exclude: Sequence[int] = ()) -> int:
        """Documents matching ``expr`` and the filters (but not ``exclude``)."""
        skip = [f"d.id NOT IN ({','.join(map(str, exclude))})"] if exclude else []
        if expr is not None and not self.doc_type and self.year is None and not skip:
            row = conn.execute("SELECT count(*) FROM fts WHERE fts MATCH ?", (expr,)).fetchone()
            return int(row[0])
        where, params = self._where(expr, skip)
        return int(conn.execute("SELECT count(*) FROM docs d" + where, params).fetchone()[0])

    def _scores(self) -> tuple[str, list[Any]]:
        """SQL of (exact, in_symbol, found) for one document ``d``."""
        in_symbol, found, params = ["0"], [str(self.required)], [self.whole, self.whole]
        for w, n in _counts(self.words):
            in_symbol.append(f"(instr(' ' || d.sym || ' ', ' {w} ') > 0) * {n}")
        extra: list[Any] = []
        for expr, _, n in self.features:
            if n:
                found.append(f"(d.id IN (SELECT rowid FROM fts WHERE fts MATCH ?)) * {n}")
                extra.append(expr)
        sql = (f"(? != '' AND ? IN (d.whole_symbol, d.whole_key)) AS exact, "
               f"{' + '.join(in_symbol)} AS in_symbol, {' + '.join(found)} AS found")
        return sql, [*params, *extra]

    def ranked(self, conn: sqlite3.Connection, expr: str | None, limit: int, offset: int,
               extra: Sequence[str] = ()) -> list[sqlite3.Row]:
        """One page of the matches of ``expr``, fully ranked by one sorted query."""
        scores, params = self._scores()
        where, more = self._where(expr, extra)
        sql = (f"SELECT d.*, {scores} FROM docs d{where} ORDER BY exact DESC, "
               f"in_symbol DESC, found DESC, d.date DESC, d.key, d.iri LIMIT ? OFFSET ?")
        return conn.execute(sql, [*params, *more, limit, offset]).fetchall()

    def _tiers(self) -> list[str]:
        """FTS5 expressions of the feature tiers, best score first (ties merged)."""
        assert self.expr is not None
        groups: dict[tuple[int, int], list[str]] = {}
        k = len(self.features)
        for mask in range(1 << k):
            have = [f for i, f in enumerate(self.features) if mask >> i & 1]
            lack = [f for i, f in enumerate(self.features) if not mask >> i & 1]
            score = (sum(f[1] for f in have) + self.base[0],
                     sum(f[2] for f in have) + self.base[1])
            text = "(" + " AND ".join([f"({self.expr})", *(f"({f[0]})" for f in have)]) + ")"
            if lack:
                text = f"({text} NOT ({' OR '.join(f'({f[0]})' for f in lack)}))"
            groups.setdefault(score, []).append(text)
        return [" OR ".join(groups[s]) for s in sorted(groups, reverse=True)]

    def by_tiers(self, conn: sqlite3.Connection, total: int, limit: int,
                 offset: int) -> list[sqlite3.Row]:
        """One page of a large match set: the exact symbol first, then tier by tier."""
        where, params = self._where(self.expr,
                                    ["(d.whole_symbol = ? OR d.whole_key = ?)"])
        exact = [r[0] for r in conn.execute("SELECT d.id FROM docs d" + where,
                                            [*params, self.whole, self.whole])]
        out: list[sqlite3.Row] = []
        if exact:
            keep = f"d.id IN ({','.join(map(str, exact))})"
            out += self.ranked(conn, self.expr, limit, offset, [keep])
            offset = max(0, offset - len(exact))
        skip = [f"d.id NOT IN ({','.join(map(str, exact))})"] if exact else []
        for tier in self._tiers():
            if len(out) >= limit:
                break
            size = self.count(conn, tier, exact)
            if offset >= size:
                offset -= size
                continue
            want = limit - len(out)
            out += self._in_date_order(conn, tier, size, want, offset, skip)
            offset = 0
        return out

    def _in_date_order(self, conn: sqlite3.Connection, tier: str, size: int, limit: int,
                       offset: int, skip: Sequence[str]) -> list[sqlite3.Row]:
        """Rows of one tier (one score) newest first: a small tier is sorted, a large one
        read in the order of the date index (no sort)."""
        scores, params = self._scores()
        where, more = self._where(tier, skip)
        hint = ""
        if size > _SMALL:
            hint = (" INDEXED BY docs_type" if self.doc_type else
                    " INDEXED BY docs_year" if self.year is not None else
                    " INDEXED BY docs_newest")
        sql = f"SELECT d.*, {scores} FROM docs d{hint}{where}{_ORDER} LIMIT ? OFFSET ?"
        return conn.execute(sql, [*params, *more, limit, offset]).fetchall()


def _counts(query: Sequence[str]) -> list[tuple[str, int]]:
    """Distinct words with how often the query has them (ranking counts repeats)."""
    out: dict[str, int] = {}
    for w in query:
        out[w] = out.get(w, 0) + 1
    return list(out.items())


# --- keeping it in step ----------------------------------------------------------------------


class IndexKeeper:
    """A background thread that builds and syncs one ``SearchStore``.

    ``request(generation)`` asks for a sync that covers every write up to
    ``generation`` (``AppState.generation``); ``synced`` is the generation the index
    last caught up with. The work runs outside the query runner and its time limit.

    Args:
        index: the search store.
        source: a factory of the store reader (called in the thread for each sync).
        sync: runs one sync elsewhere, given ``full`` and ``scan`` (``sync_task`` in a
            query worker: at 100,000 documents the start-up scan alone left the server
            166 MB larger, the store's reads and the build's page cache); the index's
            readers are then renewed. None: sync here, from ``source``.
        mark: the store's fingerprint at a generation (``AppState.store_mark``, read
            once per generation for the kept answers too). Given with ``generation``, the
            start-up scan is skipped when the store still has the fingerprint the index
            recorded (``SearchStore.set_mark``): at 300,000 documents the scan held a
            query worker for 8 s at every start.
        generation: the store's generation now (``AppState.generation``).

    A fingerprint is recorded only when it was read at the generation a sync covered
    and no write came after it (``note_mark``), so a recorded mark always names the
    store state the index holds.
    """

    def __init__(self, index: SearchStore, source: Callable[[], Source],
                 sync: Callable[[bool, bool], SyncReport] | None = None,
                 mark: Callable[[int], str] | None = None,
                 generation: Callable[[], int] | None = None) -> None:
        self.index = index
        self.source = source
        self._sync = sync
        self._mark_of = mark if generation is not None else None
        self._generation = generation or (lambda: -1)
        self._noted: tuple[int, str] | None = None  # (generation, store fingerprint)
        self.wanted = 0
        self.synced = -1
        self.running = False
        self.error: str | None = None
        self.failure: Exception | None = None  # what the last failed sync raised
        self.last: SyncReport | None = None
        self._full = False
        self._scan = True  # the first sync compares every source (changes while stopped)
        self._stop = False
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None
        self.ready = index.ready()

    def start(self) -> None:
        """Start the thread (once) and ask for a first sync."""
        with self._cond:
            if self._thread is None and not self._stop:
                self._thread = threading.Thread(target=self._loop, name="luocdo-search-index",
                                                daemon=True)
                self._thread.start()
            self._cond.notify_all()

    def request(self, generation: int, *, full: bool = False) -> None:
        """Ask for a sync covering writes up to ``generation`` (a full build if ``full``)."""
        with self._cond:
            self.wanted = max(self.wanted, generation)
            if full:
                self._full = True
                self.synced = min(self.synced, generation - 1)
            self._cond.notify_all()
        self.start()

    def retry(self) -> None:
        """After a failed sync: try again (a search of a broken index calls this)."""
        with self._cond:
            self.synced = min(self.synced, self.wanted - 1)
            self._cond.notify_all()

    def corrupt(self) -> None:
        """The index file cannot be read: rebuild it from scratch."""
        with self._cond:
            self.ready = False
        self.request(self.wanted, full=True)

    def wait(self, generation: int, timeout: float) -> bool:
        """Block until the index covers ``generation`` (True) or ``timeout`` passes."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self.synced < generation:
                left = deadline - time.monotonic()
                if left <= 0 or self._stop:
                    return False
                self._cond.wait(left)
            return True

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the thread (a build in progress is abandoned) and close the index."""
        self.index.cancel.set()
        with self._cond:
            self._stop = True
            self._cond.notify_all()
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)
        if thread is None or not thread.is_alive():
            self.index.close()

    def _next(self) -> tuple[int, bool, bool] | None:
        with self._cond:
            while not self._stop and self.synced >= self.wanted:
                self._cond.wait()
            if self._stop:
                return None
            self.running = True
            target, full, scan = self.wanted, self._full, self._scan
            self._full = self._scan = False
            return target, full, scan

    def note_mark(self, generation: int, mark: str) -> None:
        """The store's fingerprint ``mark`` was read at ``generation``: recorded in the
        index once a sync covers that generation, if no write comes first."""
        with self._cond:
            self._noted = (generation, mark)
            if not self.running and self.error is None:
                self._record_mark(self.synced)

    def _record_mark(self, synced: int) -> None:
        """Record the noted fingerprint if it is of the generation the index was synced
        to and the store is still there (called holding ``_cond``, no sync running)."""
        noted = self._noted
        if noted is None or noted[0] != synced or self._generation() != synced:
            return
        try:
            self.index.set_mark(noted[1])
        except sqlite3.Error as exc:  # only a later start's scan is lost
            log.warning("search index %s: fingerprint not recorded (%s)", self.index.path, exc)

    def _unchanged(self, target: int) -> bool:
        """Whether the store at ``target`` has the fingerprint the index recorded (the
        start-up scan is then not needed); the fingerprint read is noted either way."""
        if self._mark_of is None or not self.index.ready():
            return False
        recorded = self.index.mark()
        try:
            mark = self._mark_of(target)
        except Exception as exc:  # the scan decides instead
            log.warning("store fingerprint not read (%s): scanning every source", exc)
            return False
        if self._generation() != target:
            return False
        with self._cond:
            self._noted = (target, mark)
        return recorded == mark

    def _run_sync(self, full: bool, scan: bool) -> SyncReport:
        if self._sync is None:
            return self.index.sync(self.source(), full=full, scan=scan)
        try:
            return self._sync(full, scan)
        finally:  # the other process may have started the file again
            self.index.renew_readers()

    def _loop(self) -> None:
        while (job := self._next()) is not None:
            target, full, scan = job
            started = time.perf_counter()
            try:
                if scan and not full and self._unchanged(target):
                    report = SyncReport(False, 0, 0, 0, time.perf_counter() - started)
                    log.info("search index in step with the store's fingerprint: no scan")
                else:
                    report = self._run_sync(full, scan)
            except Cancelled:
                break
            except Exception as exc:  # reported through the search answers
                log.exception("search index sync failed")
                with self._cond:
                    self.error = f"{type(exc).__name__}: {exc}"
                    self.failure = exc
                    self.running = False
                    self.synced = target  # no busy loop: retried on demand
                    self._cond.notify_all()
                continue
            log.info("search index %s: %s", "built" if report.full else "synced", report)
            with self._cond:
                self.last, self.error, self.ready = report, None, True
                self.failure = None
                self.running = False
                self.synced = target
                self._record_mark(target)
                self._cond.notify_all()
        if self._stop:
            self.index.close()


def sync_task(store: Any, path: str, base: str, full: bool, scan: bool) -> SyncReport:
    """``SearchStore.sync`` of the index file at ``path`` from ``store``, as a query
    worker runs it (``IndexKeeper``'s ``sync``)."""
    from api.search_source import source_for

    index = SearchStore(Path(path), base)
    try:
        return index.sync(source_for(store), full=full, scan=scan)
    finally:
        index.close()


def entries(store: SearchStore) -> Iterable[DocEntry]:
    """Every entry, in key and IRI order (for tests and checks on small stores)."""
    with store._reader() as conn:
        rows = conn.execute("SELECT * FROM docs ORDER BY key, iri").fetchall()
    return [_entry(r) for r in rows]
