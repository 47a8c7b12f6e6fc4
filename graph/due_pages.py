"""Due pages: the due index's entries gathered by day, a few literals per day.

The due index (``graph.due_index``) keeps one packed row per deadline, in the graph of
the file that states it, so that a file's entries go with it. A date window then
reads one literal per deadline: at 100,000 documents a quarter holds 1,292 deadlines,
and Oxigraph spends about 6 µs on each value it hands back (a string-table lookup),
before Python makes a term of it. The due pages gather the entries of one day, from
every file, into one literal (``graph.packed.join_rows``: one packed row per line,
sorted), so a window reads one literal per day it spans::

    <base>index/due-day/2024-12-15/1-of-1 a lo:DueDayPage ;
        lo:dueDayKey "2024-12-15" ; lo:pageMonthKey "2024-12" ;
        lo:duePage "2024-12-15\\t<document>\\t<obligation>\\t…\\n2024-12-15\\t…" .

(``--12-15`` for the recurring 15 December.) ``graph/queries/obligations_due.rq``
looks up the pages of the window's months (``lo:pageMonthKey``, a handful of exact
keys: binding every day of a quarter, 181 keys, cost 2–3 ms) and keeps the days in the
window; ``# pages:`` splits them. ``obligations_due_entries.rq`` reads the entries.

Oxigraph never takes a string out of its string table once written (measured on
pyoxigraph 0.5: a 200 kB literal replaced 300 times leaves 60 MB), so a page must stay
small and change only when one of its own entries does. A day of more than
``PAGE_ENTRIES`` entries is cut into a power of two of pages, each entry on the page
its obligation and due day hash to (``page_number``); a new entry rewrites the one
page it lands on, and the whole day only when the page count doubles (or halves).
The page count is a pure function of the day's entry count, so the pages an
incremental refresh keeps are the ones a full recomputation writes.

The pages are derived (``graph.pipeline.refresh_derived``), kept in their own named
graph ``<base>graph/derived/due-pages`` together with ``<base>index/due-day a
lo:DuePageIndex ; lo:pageFormat 2``, which says they are kept in this format: a store
mapped before them, written without a refresh, or holding pages of another format has
no such node, and readers read the entries instead.

Incremental use: the entries of every source graph written, read before its first
write and after its last (``graph_entries``), give the days whose pages change
(``page_changes``); an entry a written graph lost stays on its page while another
graph still states it.
"""

from __future__ import annotations

import zlib
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from graph import iri
from graph.packed import ROW_SEPARATOR, SEPARATOR, join_rows, split_rows
from graph.sparql import term_sparql
from graph.store import GraphStore
from ontology.ns import LO

__all__ = [
    "PAGE_ENTRIES",
    "PageChanges",
    "day_key",
    "day_pages",
    "graph_entries",
    "month_key",
    "page_changes",
    "page_graph",
    "page_number",
    "page_triples",
    "pages_kept",
]

Triple = tuple[Node, Node, Node]

# Most entries a page holds before its day is cut in more pages: a page of 64 entries of
# about 400 bytes is 25 kB, what one changed entry costs the string table (see above).
PAGE_ENTRIES = 64
# Entries (or day keys) per VALUES block.
_BATCH = 200
# The pages' format, on the root node (lo:pageFormat; due_pages_kept.rq names it too):
# 2 since pages carry the month
# they lie in (lo:pageMonthKey), which the window queries look pages up by. Pages of
# another format count as not kept: readers read the entries, and the next refresh
# writes every page again.
PAGE_FORMAT = 2

_PREFIX = f"PREFIX lo: <{LO}>\n"
# DISTINCT: where the union default graph is a bag (Virtuoso) an entry stated by two
# files is found twice; the page holds it once, as the window query answers it once
_EVERY_ENTRY = _PREFIX + "SELECT DISTINCT ?e WHERE { ?m lo:dueEntry ?e }"
_GRAPH_ENTRIES = _PREFIX + "SELECT ?e WHERE {{ GRAPH {graph} {{ ?m lo:dueEntry ?e }} }}"
_STILL_STATED = (_PREFIX + "SELECT DISTINCT ?e WHERE {{ VALUES ?e {{ {values} }} "
                 "?m lo:dueEntry ?e }}")
_KEPT_PAGES = _PREFIX + """SELECT ?page ?key ?text WHERE {{
  VALUES ?key {{ {values} }}
  GRAPH {graph} {{ ?page lo:dueDayKey ?key ; lo:duePage ?text }}
}}"""
_PAGE_SIZES = _PREFIX + """SELECT ?page ?key ?n WHERE {{
  VALUES ?key {{ {values} }}
  GRAPH {graph} {{ ?page lo:dueDayKey ?key OPTIONAL {{ ?page lo:pageEntries ?n }} }}
}}"""
_DAY_TRIPLES = _PREFIX + """SELECT ?page ?p ?o WHERE {{
  VALUES ?key {{ {values} }}
  GRAPH {graph} {{ ?page lo:dueDayKey ?key ; ?p ?o }}
}}"""
_KEPT = _PREFIX + """SELECT ?root WHERE {{ GRAPH {graph} {{
  ?root a lo:DuePageIndex ; lo:pageFormat {format} }} }}"""
_PAGE_TEXTS = _PREFIX + """SELECT ?page ?text WHERE {{
  VALUES ?page {{ {values} }}
  GRAPH {graph} {{ ?page lo:duePage ?text }}
}}"""

def day_key(entry: str) -> str:
    """The day an entry is due: ``"2024-12-15"``, or ``"--12-15"`` when recurring (an
    entry starts with its due day, ``graph.due_index``)."""
    return entry[:7] if entry.startswith("--") else entry[:10]


def page_number(entry: str, pages: int) -> int:
    """Which of a day's ``pages`` pages ``entry`` goes on: a hash of its due day,
    document and obligation (its first three values), which a re-ingest keeps."""
    head = entry.split(SEPARATOR, 3)[:3]
    return zlib.crc32(SEPARATOR.join(head).encode("utf-8")) % pages


def _page_count(entries: int) -> int:
    """The power of two of pages a day of ``entries`` entries is cut into."""
    pages = 1
    while entries > pages * PAGE_ENTRIES:
        pages *= 2
    return pages


def day_pages(key: str, entries: Collection[str], base: str) -> dict[URIRef, str]:
    """The pages of day ``key`` holding ``entries`` (packed rows in page form: line
    feeds escaped), by page IRI; none for a day of no entries."""
    pages = _page_count(len(entries))
    cut: dict[int, list[str]] = defaultdict(list)
    for entry in entries:
        cut[page_number(entry, pages)].append(entry)
    return {iri.due_page_iri(key, pages, n + 1, base): join_rows(sorted(rows))
            for n, rows in sorted(cut.items())}


def month_key(day: str) -> str:
    """The month a day key lies in: ``"2024-12"``, or ``"--12"`` for ``"--12-15"``."""
    return day[:4] if day.startswith("--") else day[:7]


def _page_triples(page: URIRef, key: str, text: str) -> list[Triple]:
    return [(page, RDF.type, LO.DueDayPage), (page, LO.dueDayKey, Literal(key)),
            (page, LO.pageMonthKey, Literal(month_key(key))),
            (page, LO.duePage, Literal(text)),
            (page, LO.pageEntries, Literal(text.count(ROW_SEPARATOR) + 1))]


def _cut_of(page: str) -> tuple[int, int]:
    """(page number from 0, page count) of a page IRI (``iri.due_page_iri``)."""
    number, _, pages = page.rsplit("/", 1)[1].partition("-of-")
    return int(number) - 1, int(pages)


def _root_triples(base: str) -> list[Triple]:
    root = iri.due_pages_root_iri(base)
    return [(root, RDF.type, LO.DuePageIndex), (root, LO.pageFormat, Literal(PAGE_FORMAT))]


def _page_form(entry: str) -> str:
    """An entry as a page holds it (a raw line feed of an older mapping escaped)."""
    return join_rows([entry])


def _by_day(entries: Iterable[str]) -> dict[str, set[str]]:
    days: dict[str, set[str]] = defaultdict(set)
    for entry in entries:
        days[day_key(entry)].add(_page_form(entry))
    return days


def page_graph(store: GraphStore, base: str) -> Graph:
    """Every day's pages, from the entries the store holds (the full recomputation)."""
    g = Graph()
    g += page_triples(store, base)
    return g


def page_triples(store: GraphStore, base: str) -> set[Triple]:
    """``page_graph``'s triples as a set (lighter than an rdflib graph)."""
    g: set[Triple] = set()
    for t in _root_triples(base):
        g.add(t)
    every = (row["e"] for row in store.select_text(_EVERY_ENTRY) if "e" in row)
    for key, entries in sorted(_by_day(every).items()):
        for page, text in day_pages(key, entries, base).items():
            for t in _page_triples(page, key, text):
                g.add(t)
    return g


def pages_kept(store: GraphStore, base: str) -> bool:
    """Whether the store keeps the due pages of ``base`` in this format (in the pages
    graph itself: ``due_pages_kept.rq``, the readers' check, asks the union)."""
    graph = term_sparql(iri.due_pages_graph_iri(base))
    return bool(store.select_text(_KEPT.format(graph=graph, format=PAGE_FORMAT)))


def graph_entries(store: GraphStore, graph_iri: str) -> set[str]:
    """The due entries named graph ``graph_iri`` states."""
    text = _GRAPH_ENTRIES.format(graph=term_sparql(URIRef(graph_iri)))
    return {row["e"] for row in store.select_text(text) if "e" in row}


def _batches(values: Iterable[str]) -> Iterable[list[str]]:
    todo = sorted(set(values))
    for at in range(0, len(todo), _BATCH):
        yield todo[at:at + _BATCH]


def _bound_rows(store: GraphStore, base: str, template: str, values: Iterable[str],
                make: Callable[[str], Node] = Literal) -> Iterator[dict[str, str]]:
    """Rows (text) of ``template``, its ``{values}`` block filled ``_BATCH`` values at a
    time (made terms by ``make``), ``{graph}`` the pages graph."""
    graph = term_sparql(iri.due_pages_graph_iri(base))
    for batch in _batches(values):
        block = " ".join(term_sparql(make(v)) for v in batch)
        yield from store.select_text(template.format(values=block, graph=graph))


def _still_stated(store: GraphStore, base: str, entries: Iterable[str]) -> set[str]:
    """Those of ``entries`` some graph of the store still states."""
    return {row["e"] for row in _bound_rows(store, base, _STILL_STATED, entries) if "e" in row}


def _kept_pages(store: GraphStore, base: str, keys: Iterable[str]
                ) -> dict[str, dict[str, str]]:
    """The pages the store keeps for each of the days ``keys``, by day and page IRI."""
    kept: dict[str, dict[str, str]] = defaultdict(dict)
    for row in _bound_rows(store, base, _KEPT_PAGES, keys):
        kept[row["key"]][row["page"]] = row["text"]
    return kept


def _page_sizes(store: GraphStore, base: str, keys: Iterable[str]
                ) -> dict[str, dict[str, int | None]]:
    """How many entries each page of each of the days ``keys`` holds, by day and IRI
    (None: the page does not say)."""
    sizes: dict[str, dict[str, int | None]] = defaultdict(dict)
    for row in _bound_rows(store, base, _PAGE_SIZES, keys):
        sizes[row["key"]][row["page"]] = int(row["n"]) if "n" in row else None
    return sizes


def _page_texts(store: GraphStore, base: str, pages: Iterable[str]) -> dict[str, str]:
    """The text of each of ``pages`` the store keeps."""
    return {row["page"]: row["text"]
            for row in _bound_rows(store, base, _PAGE_TEXTS, pages, URIRef)}


class PageChanges:
    """The page triples to take out of and put into the pages graph."""

    def __init__(self) -> None:
        self.remove: set[Triple] = set()
        self.add: set[Triple] = set()

    def replace(self, key: str, before: Mapping[str, str], after: Mapping[str, str]) -> None:
        """Day ``key``'s pages go from ``before`` to ``after`` (text by page IRI)."""
        for page, text in before.items():
            if after.get(page) != text:
                self.remove.update(_page_triples(URIRef(page), key, text))
        for page, text in after.items():
            if before.get(page) != text:
                self.add.update(_page_triples(URIRef(page), key, text))

    def settle(self) -> PageChanges:
        """Drop what is both taken out and put in (a page's type and key when only its
        text changes)."""
        same = self.remove & self.add
        self.remove -= same
        self.add -= same
        return self


class _Day:
    """One day's change: the entries it loses and gains, its pages' sizes, and the pages
    its changed entries are on (or go on)."""

    def __init__(self, key: str, base: str, gone: set[str], new: set[str],
                 sizes: Mapping[str, int | None]) -> None:
        self.gone, self.new = gone, new
        self.sizes = {p: n for p, n in sizes.items() if n is not None}
        cuts = {_cut_of(p)[1] for p in sizes}
        # the day's page count (one for a day of no page yet); None when its pages
        # disagree (cut with another PAGE_ENTRIES) or one does not give its size: the
        # day is then cut again whole
        self.pages: int | None = cuts.pop() if len(cuts) == 1 else (1 if not cuts else None)
        if len(self.sizes) < len(sizes):
            self.pages = None
        self.touched: set[str] = set() if self.pages is None else {
            str(iri.due_page_iri(key, self.pages, page_number(e, self.pages) + 1, base))
            for e in gone | new}


def _cut_whole(store: GraphStore, base: str, days: Mapping[str, _Day],
               changes: PageChanges) -> None:
    """Cut ``days`` again from all their pages: every triple the store holds about
    their pages out, those of the new cut in (what both hold stays)."""
    kept = _kept_pages(store, base, days)
    held: set[Triple] = set()
    for batch in _batches(days):
        values = " ".join(term_sparql(Literal(k)) for k in batch)
        text = _DAY_TRIPLES.format(values=values,
                                   graph=term_sparql(iri.due_pages_graph_iri(base)))
        held |= {(r["page"], r["p"], r["o"]) for r in store.query(text).rows}
    now: set[Triple] = set()
    for key, day in days.items():
        entries = {e for text in kept.get(key, {}).values() for e in split_rows(text)}
        for page, text in day_pages(key, (entries - day.gone) | day.new, base).items():
            now.update(_page_triples(page, key, text))
    changes.remove |= held - now
    changes.add |= now - held


def page_changes(store: GraphStore, base: str, before: Mapping[str, Collection[str]],
                 after: Mapping[str, Collection[str]]) -> PageChanges:
    """What changes in the pages when the written graphs' entries go from ``before``
    to ``after`` (``graph_entries`` of each, by graph IRI), the store holding ``after``
    and its pages current for ``before``.

    Only the pages a changed entry is on are read and written, while the day's page
    count stays (the pages say how many entries they hold); a day whose count changes
    is read and cut again whole.
    """
    old = {e for entries in before.values() for e in entries}
    new = {e for entries in after.values() for e in entries}
    lost = old - new
    gone = lost - _still_stated(store, base, lost)
    gone_by_day, new_by_day = _by_day(gone), _by_day(new - old)
    keys = sorted(set(gone_by_day) | set(new_by_day))
    sizes = _page_sizes(store, base, keys)
    days = {k: _Day(k, base, gone_by_day.get(k, set()), new_by_day.get(k, set()),
                    sizes.get(k, {})) for k in keys}
    texts = _page_texts(store, base, {p for d in days.values() for p in d.touched})
    changes = PageChanges()
    whole: list[str] = []
    for key, day in days.items():
        touched = day.touched
        held = {p: texts[p] for p in touched if p in texts}
        entries = {e for text in held.values() for e in split_rows(text)}
        entries = (entries - day.gone) | day.new
        total = sum(n for p, n in day.sizes.items() if p not in touched) + len(entries)
        if day.pages is None or _page_count(total) != day.pages:
            whole.append(key)
            continue
        cut: dict[str, list[str]] = defaultdict(list)
        for e in entries:
            cut[str(iri.due_page_iri(key, day.pages, page_number(e, day.pages) + 1, base))
                ].append(e)
        changes.replace(key, held, {p: join_rows(sorted(rows)) for p, rows in cut.items()})
    if whole:
        _cut_whole(store, base, {k: days[k] for k in whole}, changes)
    return changes.settle()
