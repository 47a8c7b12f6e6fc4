"""The due pages (``graph.due_pages``) and the date window read from them.

``obligations_due`` reads the pages; ``obligations_due_entries`` reads the due entries
themselves (the query the pages replace on a hot path). Both must give the same rows,
in the same order, for every window, on every corpus, however the days are cut into
pages, with the window's months bound or every page read.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from graph import due_pages, iri, queries
from graph.due_index import DueEntry, due_index_triples
from graph.due_pages import day_key, day_pages, page_number
from graph.packed import join_rows, pack, split_rows, unpack
from graph.pipeline import DerivedChanges, ingest_paths, refresh_derived
from graph.queries import load_query, run_named, run_named_text
from graph.store import OxigraphStore, open_store
from ontology.ns import LO

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
SAMPLES = ROOT / "ingest" / "samples"
B = "https://data.luocdo.vn/"
if str(ROOT) not in sys.path:  # benchmarks/ is not an installed package
    sys.path.insert(0, str(ROOT))


def _window(start: str, end: str) -> dict[str, Any]:
    return {"from": start, "to": end}  # "from" is a Python keyword


WINDOWS = [
    ("2024-12-01", "2024-12-31"),
    ("2024-11-15", "2025-01-10"),  # across the new year
    ("2023-01-01", "2023-12-31"),
    ("2024-01-01", "2024-12-31"),
    ("2025-02-01", "2025-03-31"),  # a common year's February: a yearly 29th on the 28th
    ("2024-02-28", "2024-03-01"),
    ("2023-12-31", "2025-01-01"),  # two new years
    ("2020-01-01", "2026-12-31"),  # over graph.queries.MAX_MONTHS: every page is read
    ("2024-12-15", "2024-12-15"),
    ("2024-12-31", "2024-12-01"),  # reversed: nothing
]


def _rows(store: Any, name: str, start: str, end: str, **page: int) -> list[dict[str, str]]:
    return [{k: str(v) for k, v in r.items()}
            for r in run_named(store, name, **page, **_window(start, end)).rows]


def _same_windows(store: Any) -> int:
    """Every window: the pages give the entries' rows, in the same order."""
    assert store.select_text(load_query("due_pages_kept")), "the refresh kept no pages"
    seen = 0
    for start, end in WINDOWS:
        paged = _rows(store, "obligations_due", start, end)
        assert paged == _rows(store, "obligations_due_entries", start, end), (start, end)
        seen += len(paged)
    return seen


@pytest.fixture(scope="module")
def corpora(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Path]]:
    from benchmarks.synth import generate_corpus

    folder = tmp_path_factory.mktemp("synthetic")
    synthetic = []
    for i, doc in enumerate(generate_corpus(60, 3)):
        path = folder / f"{i:03d}.txt"
        path.write_text(doc.text, encoding="utf-8")
        synthetic.append(path)
    return {"samples": sorted(SAMPLES.glob("*.txt")), "seeds": sorted(SEEDS.glob("*.txt")),
            "synthetic": synthetic}


def _ingested(paths: list[Path]) -> Any:
    store = open_store(":memory:")
    summary = ingest_paths(store, [str(p) for p in paths])
    assert not summary.failed, summary.failed
    return store


@pytest.mark.parametrize("page_entries", [64, 3, 1])
@pytest.mark.parametrize("corpus", ["samples", "seeds", "synthetic"])
def test_pages_answer_as_the_entries_do(monkeypatch: pytest.MonkeyPatch,
                                        corpora: dict[str, list[Path]], corpus: str,
                                        page_entries: int) -> None:
    if not corpora[corpus]:
        pytest.skip(f"no {corpus} documents (the seeds live beside the repository)")
    monkeypatch.setattr(due_pages, "PAGE_ENTRIES", page_entries)
    store = _ingested(corpora[corpus])
    assert _same_windows(store) > 0


def test_pages_answer_as_the_entries_do_on_every_kind_of_store(
        any_store: Any, corpora: dict[str, list[Path]]) -> None:
    """Ingested and refreshed on Oxigraph and on the SPARQL endpoint (Virtuoso in CI),
    then one file replaced and one removed, refreshing incrementally."""
    summary = ingest_paths(any_store, [str(p) for p in corpora["samples"]])
    assert not summary.failed, summary.failed
    assert _same_windows(any_store) > 0
    first, second = corpora["samples"][:2]
    ingest_paths(any_store, [str(first)])
    changes = DerivedChanges(any_store)
    changes.remove_source(iri.source_graph_iri(str(second), any_store.base))
    refresh_derived(any_store, changes)
    assert _same_windows(any_store) > 0


# windows of the API's candidates (whole months read): within MAX_MONTHS, over it, and
# partial months at both ends
CANDIDATE_WINDOWS = [("2024-12-10", "2024-12-20"), ("2024-11-15", "2025-01-10"),
                     ("2025-02-01", "2025-02-28"), ("2023-01-01", "2024-12-31"),
                     ("2021-03-05", "2025-09-09"), ("2018-03-05", "2025-09-09"),
                     ("2024-12-31", "2024-12-01")]


def _candidates(store: Any, name: str, start: str, end: str
                ) -> list[tuple[tuple[str, str], ...]]:
    rows = run_named_text(store, name, **_window(start, end))
    return sorted(tuple(sorted(r.items())) for r in rows)


@pytest.mark.parametrize("page_entries", [64, 2])
@pytest.mark.parametrize("corpus", ["samples", "seeds", "synthetic"])
def test_window_candidates_from_pages_are_the_entries_of_its_months(
        monkeypatch: pytest.MonkeyPatch, corpora: dict[str, list[Path]], corpus: str,
        page_entries: int) -> None:
    if not corpora[corpus]:
        pytest.skip(f"no {corpus} documents (the seeds live beside the repository)")
    monkeypatch.setattr(due_pages, "PAGE_ENTRIES", page_entries)
    store = _ingested(corpora[corpus])
    seen = 0
    for start, end in CANDIDATE_WINDOWS:
        paged = _candidates(store, "obligations_window", start, end)
        assert paged == _candidates(store, "obligations_window_entries", start, end), (
            start, end)
        seen += len(paged)
    assert seen > 0


def test_the_obligations_endpoint_answers_alike_with_and_without_pages(
        corpora: dict[str, list[Path]]) -> None:
    from api.obligation_window import page_rows, window_rows

    store = _ingested(corpora["samples"] + corpora["synthetic"])
    windows = [(dt.date(2024, 12, 1), dt.date(2024, 12, 31)), (None, dt.date(2025, 6, 30)),
               (dt.date(2024, 1, 1), None), (dt.date(2023, 1, 1), dt.date(2026, 12, 31))]

    def answers() -> list[Any]:
        out = []
        for after, before in windows:
            found = window_rows(store, after, before, None, None)
            out.append((found, page_rows(store, found[:50])))
        return out

    with_pages = answers()
    store.remove_source(iri.due_pages_graph_iri(store.base))
    assert answers() == with_pages
    assert any(found for found, _ in with_pages)


def test_every_page_is_read_when_the_months_are_not_bound(
        monkeypatch: pytest.MonkeyPatch, corpora: dict[str, list[Path]]) -> None:
    """The query's own filter keeps a window's pages when ``# months:`` leaves the key
    unbound: the same rows as with the months bound."""
    store = _ingested(corpora["samples"] + corpora["synthetic"])
    bound = {w: _rows(store, "obligations_due", *w) for w in WINDOWS}
    monkeypatch.setattr(queries, "MAX_MONTHS", 0)
    assert {w: _rows(store, "obligations_due", *w) for w in WINDOWS} == bound
    assert any(bound.values())


def test_a_store_without_pages_reads_the_entries(corpora: dict[str, list[Path]]) -> None:
    store = _ingested(corpora["samples"])
    window = ("2020-01-01", "2030-12-31")
    expected = _rows(store, "obligations_due_entries", *window)
    store.remove_source(iri.due_pages_graph_iri(store.base))
    assert not store.select_text(load_query("due_pages_kept"))
    assert _rows(store, "obligations_due", *window) == expected != []
    # the next incremental refresh writes every page again
    changes = DerivedChanges(store)
    graph = next(iter(store.graph_names()))
    changes.replace_source(graph, store.named_graph(graph))
    refresh_derived(store, changes)
    assert store.select_text(load_query("due_pages_kept"))
    fresh = _ingested(corpora["samples"])
    assert set(store.named_graph(iri.due_pages_graph_iri(B))) == set(
        fresh.named_graph(iri.due_pages_graph_iri(B)))


@pytest.mark.parametrize(("limit", "offset"), [(1, 0), (2, 1), (5, 3), (None, 4), (0, 0)])
def test_limit_and_offset_cut_the_rows_not_the_pages(
        monkeypatch: pytest.MonkeyPatch, corpora: dict[str, list[Path]],
        limit: int | None, offset: int) -> None:
    monkeypatch.setattr(due_pages, "PAGE_ENTRIES", 2)
    store = _ingested(corpora["synthetic"])
    every = _rows(store, "obligations_due", "2020-01-01", "2030-12-31")
    assert len(every) > 8
    page = _rows(store, "obligations_due", "2020-01-01", "2030-12-31",
                 **({"offset": offset} | ({} if limit is None else {"limit": limit})))
    assert page == every[offset:None if limit is None else offset + limit]


def test_run_named_text_splits_the_pages(monkeypatch: pytest.MonkeyPatch,
                                         corpora: dict[str, list[Path]]) -> None:
    monkeypatch.setattr(due_pages, "PAGE_ENTRIES", 2)
    store = _ingested(corpora["synthetic"])
    query = queries._parse("paged_text", "# description: every page\n# pages: ?page\n"
                           "# unpack: ?page ?due ?doc:iri …\n"
                           "PREFIX lo: <https://w3id.org/luocdo/ontology#>\n"
                           "SELECT ?key ?page WHERE { ?d lo:dueDayKey ?key ; lo:duePage ?page }\n")
    catalogue = {**queries._catalogue(), "paged_text": query}
    monkeypatch.setattr(queries, "_catalogue", lambda: catalogue)
    rows = run_named_text(store, "paged_text")
    entries = [unpack(r["e"], 14) for r in store.select_text(
        "SELECT DISTINCT ?e WHERE { ?m <https://w3id.org/luocdo/ontology#dueEntry> ?e }")]
    assert len(entries) > 4
    assert sorted((r["key"], r["due"], r["doc"]) for r in rows) == sorted(
        (str(e[0]), str(e[0]), str(e[1])) for e in entries)


# --- the pages themselves ---------------------------------------------------------------------

def _entry(due: str, n: int, quote: str | None = None) -> str:
    return pack([due, f"{B}doc/{n}", f"{B}doc/{n}/o", None, "Sở Nội vụ", None, None, quote,
                 None, None, None, None, "1", None])


@pytest.mark.parametrize(("entry", "key"), [
    (_entry("2024-12-15", 1), "2024-12-15"),
    (_entry("--12-15", 1), "--12-15"),
    (_entry("--02-29", 1), "--02-29"),
])
def test_day_key(entry: str, key: str) -> None:
    assert day_key(entry) == key


def test_a_day_is_cut_in_a_power_of_two_of_pages_by_its_entry_count(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(due_pages, "PAGE_ENTRIES", 4)
    for count, pages in [(1, 1), (4, 1), (5, 2), (8, 2), (9, 4), (17, 8)]:
        entries = {_entry("2024-12-15", n) for n in range(count)}
        cut = day_pages("2024-12-15", entries, B)
        assert {str(p).rsplit("-of-", 1)[1] for p in cut} == {str(pages)}
        held = [e for text in cut.values() for e in split_rows(text)]
        assert sorted(held) == sorted(entries)  # each entry on exactly one page
        for page, text in cut.items():  # on the page its hash says, sorted
            number = int(str(page).rsplit("/", 1)[1].split("-of-")[0])
            assert all(page_number(e, pages) == number - 1 for e in split_rows(text))
            assert split_rows(text) == sorted(split_rows(text))


def test_an_entry_keeps_its_page_when_others_come() -> None:
    """The page of an entry depends on its due day, document and obligation only."""
    entry = _entry("2024-12-15", 7, "trích dẫn")
    changed = _entry("2024-12-15", 7, "trích dẫn khác")
    assert all(page_number(entry, n) == page_number(changed, n) for n in (1, 2, 4, 64))
    assert page_number(entry, 4) == page_number(entry, 4)  # deterministic, not salted
    assert {page_number(_entry("2024-12-15", n), 8) for n in range(64)} == set(range(8))


@pytest.mark.parametrize("values", [
    ["2024-12-15", "dòng 1\ndòng 2", "x"],
    ["--12-15", "\\n is a backslash and n", "\n"],
    ["2024-12-15", "tab\tand\nline\\", None],
])
def test_rows_with_line_feeds_share_a_page(values: list[str | None]) -> None:
    other: list[str | None] = ["2024-12-16", "b"]
    rows = [pack(values), pack(other)]
    assert all("\n" not in r for r in rows)
    first, second = split_rows(join_rows(rows))
    assert unpack(first, len(values)) == [v or None for v in values]
    assert unpack(second, 2) == other


@pytest.mark.parametrize("value", ["dòng 1\ndòng 2", "a\\\nb", "\n\n", "x\\\\\ny"])
def test_a_raw_line_feed_of_an_older_entry_reads_back_from_a_page(value: str) -> None:
    """Entries packed before line feeds were escaped hold them raw: on a page they are
    escaped, and unpack gives the same text back."""
    older = "\t".join(v.replace("\\", "\\\\").replace("\t", "\\t")
                      for v in ["2024-12-15", value, "z"])
    assert "\n" in older
    (on_page,) = split_rows(join_rows([older]))
    assert unpack(on_page, 3) == ["2024-12-15", value, "z"]


@pytest.mark.parametrize(("day", "month"), [
    ("2024-12-15", "2024-12"), ("--12-15", "--12"), ("--02-29", "--02"), ("2024-01-01", "2024-01"),
])
def test_a_page_lies_in_its_days_month(day: str, month: str) -> None:
    assert due_pages.month_key(day) == month
    text = join_rows([_entry(day, 1)])
    assert (URIRef(B + "p"), LO.pageMonthKey, Literal(month)) in due_pages._page_triples(
        URIRef(B + "p"), day, text)


def test_pages_of_another_format_count_as_not_kept(corpora: dict[str, list[Path]]) -> None:
    """Pages written before they carried their month (format 1: no lo:pageFormat on the
    root) are not read; the next refresh writes every page in the current format."""
    store = _ingested(corpora["samples"])
    graph = iri.due_pages_graph_iri(store.base)
    expected = set(store.named_graph(graph))
    window = ("2020-01-01", "2030-12-31")
    rows = _rows(store, "obligations_due", *window)
    older = store.named_graph(graph)
    older.remove((None, LO.pageMonthKey, None))
    older.remove((None, LO.pageFormat, None))
    store.replace_source(graph, older)
    assert not store.select_text(load_query("due_pages_kept"))
    assert not due_pages.pages_kept(store, store.base)
    assert _rows(store, "obligations_due", *window) == rows != []
    changes = DerivedChanges(store)
    name = next(g for g in store.graph_names() if "graph/source/" in str(g))
    changes.replace_source(name, store.named_graph(name))
    refresh_derived(store, changes)
    assert set(store.named_graph(graph)) == expected


# --- the pages follow the files -----------------------------------------------------------------

def _on_day(n: int, due: str) -> Graph:
    """File ``n``'s graph: document ``n`` with one obligation due on ``due``, which bearer
    ``bên n`` must meet (no path: two files of one ``n`` state the same entry)."""
    g = Graph()
    d, o = URIRef(f"{B}doc/{n}"), URIRef(f"{B}doc/{n}/o")
    literal = Literal(due, datatype=XSD.gMonthDay if due.startswith("--") else XSD.date)
    g.add((d, RDF.type, LO.Document))
    g.add((o, LO.createdBy, d))
    g.add((o, LO.bearerText, Literal(f"bên {n}")))
    for t in due_index_triples(DueEntry(literal, o, d, None, f"bên {n}", None, None, None), B):
        g.add(t)
    return g


def _bearers(store: Any, start: str, end: str) -> list[str]:
    return [str(r["bearer"]) for r in run_named(store, "obligations_due",
                                                  **_window(start, end)).rows]


def _write(store: Any, *ops: tuple[str, Graph | None]) -> None:
    changes = DerivedChanges(store)
    for name, graph in ops:
        if graph is None:
            changes.remove_source(URIRef(B + name))
        else:
            changes.replace_source(URIRef(B + name), graph)
    refresh_derived(store, changes)


def test_an_entry_two_files_state_stays_until_both_go(
        memory_store: Callable[[], OxigraphStore]) -> None:
    store = memory_store()
    refresh_derived(store)
    same = _on_day(0, "2024-12-15")
    _write(store, ("graph/one", same), ("graph/two", same))
    assert _bearers(store, "2024-12-01", "2024-12-31") == ["bên 0"]
    _write(store, ("graph/one", None))
    assert _bearers(store, "2024-12-01", "2024-12-31") == ["bên 0"]
    _write(store, ("graph/two", None))
    assert _bearers(store, "2024-12-01", "2024-12-31") == []
    pages = store.named_graph(iri.due_pages_graph_iri(B))
    assert set(pages.subjects(RDF.type, LO.DueDayPage)) == set()  # the day's page is gone


def test_a_deadline_that_moves_moves_between_pages(
        memory_store: Callable[[], OxigraphStore]) -> None:
    store = memory_store()
    refresh_derived(store)
    _write(store, ("graph/one", _on_day(0, "2024-12-15")))
    _write(store, ("graph/one", _on_day(0, "--01-10")))
    assert _bearers(store, "2024-12-01", "2024-12-31") == []
    assert _bearers(store, "2025-01-01", "2025-01-31") == ["bên 0"]
    keys = {str(k) for k in store.named_graph(iri.due_pages_graph_iri(B)).objects(
        None, LO.dueDayKey)}
    assert keys == {"--01-10"}


def test_rewriting_a_file_unchanged_rewrites_no_page(
        memory_store: Callable[[], OxigraphStore]) -> None:
    """A page is written again only when its text changes (every string written stays
    in Oxigraph's string table)."""
    store = memory_store()
    refresh_derived(store)
    graph = _on_day(0, "2024-12-15")
    _write(store, ("graph/one", graph))
    changes = DerivedChanges(store)
    changes.replace_source(URIRef(B + "graph/one"), graph)
    refresh_derived(store, changes)
    assert changes.touched is not None
    assert not any("index/due-day" in t for t in changes.touched)


def _full_pages(store: OxigraphStore) -> set[Any]:
    fresh = OxigraphStore(None, base=B)
    for name in store.graph_names():
        if "graph/source/" in str(name):
            fresh.replace_source(name, store.named_graph(name))
    refresh_derived(fresh)
    return set(fresh.named_graph(iri.due_pages_graph_iri(B)))


@pytest.mark.parametrize("batch", [1, 3])
def test_a_day_that_grows_and_shrinks_keeps_the_full_pages(
        monkeypatch: pytest.MonkeyPatch, memory_store: Callable[[], OxigraphStore],
        batch: int) -> None:
    """Files due on one day come ``batch`` at a time, then go: after every write the
    kept pages are those a full recomputation cuts (every page count from 1 to 8 is
    crossed both ways, and most writes touch one page of several)."""
    monkeypatch.setattr(due_pages, "PAGE_ENTRIES", 2)
    store = memory_store()
    refresh_derived(store)
    files = list(range(16))
    steps = [files[i:i + batch] for i in range(0, len(files), batch)]
    counts = set()
    for put, group in [(True, g) for g in steps] + [(False, g) for g in steps]:
        _write(store, *((f"graph/source/{n}", _on_day(n, "2024-12-15") if put else None)
                        for n in group))
        pages = store.named_graph(iri.due_pages_graph_iri(B))
        assert set(pages) == _full_pages(store)
        counts |= {str(p).rsplit("-of-", 1)[1] for p in pages.subjects(RDF.type, LO.DueDayPage)}
    assert counts == {"1", "2", "4", "8"}


def test_pages_that_do_not_give_their_size_are_cut_again_whole(
        monkeypatch: pytest.MonkeyPatch, memory_store: Callable[[], OxigraphStore]) -> None:
    """Pages written without ``lo:pageEntries`` (or cut with another page size) cannot
    be patched one by one: the next write to their day cuts it again from its pages."""
    monkeypatch.setattr(due_pages, "PAGE_ENTRIES", 2)
    store = memory_store()
    refresh_derived(store)
    _write(store, *((f"graph/source/{n}", _on_day(n, "2024-12-15")) for n in range(6)))
    graph = iri.due_pages_graph_iri(B)
    pages = store.named_graph(graph)
    pages.remove((None, LO.pageEntries, None))
    store.replace_source(graph, pages)
    _write(store, ("graph/source/6", _on_day(6, "2024-12-15")))
    assert set(store.named_graph(graph)) == _full_pages(store)
    # and pages of two cuts on one day (the page size changed between two writes)
    monkeypatch.setattr(due_pages, "PAGE_ENTRIES", 64)
    _write(store, ("graph/source/7", _on_day(7, "2024-12-15")))
    monkeypatch.setattr(due_pages, "PAGE_ENTRIES", 2)
    mixed = store.named_graph(graph)
    mixed.add((URIRef(f"{B}index/due-day/2024-12-15/1-of-4"), LO.dueDayKey,
               Literal("2024-12-15")))
    store.replace_source(graph, mixed)
    _write(store, ("graph/source/8", _on_day(8, "2024-12-15")))
    assert set(store.named_graph(graph)) == _full_pages(store)


def test_the_readers_check_names_the_format_the_pages_are_written_in() -> None:
    assert f"lo:pageFormat {due_pages.PAGE_FORMAT} ." in load_query("due_pages_kept")
