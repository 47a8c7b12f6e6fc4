"""The due index (``graph.due_index``) and packed rows (``graph.packed``).

``obligations_due`` reads a window from packed rows instead of the normalised graph; the
oracle below is the query it replaced (a lookup per value and row), and every window on
the sample corpus, the seeds and synthetic text must give the same rows.
"""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from graph import iri
from graph.due_index import ENTRY_FIELDS, DueEntry, due_index_triples, month_key
from graph.packed import pack, unpack
from graph.pipeline import refresh_derived
from graph.queries import list_queries, load_query, run_named
from graph.store import OxigraphStore, open_store
from ontology.ns import LO

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
SAMPLES = ROOT / "ingest" / "samples"
B = "https://data.luocdo.vn/"
if str(ROOT) not in sys.path:  # benchmarks/ is not an installed package
    sys.path.insert(0, str(ROOT))

def _window(start: str, end: str) -> dict[str, Any]:
    """The parameters of a due window ("from" is a Python keyword)."""
    return {"from": start, "to": end}


# The window query before the due index: every value read from the normalised graph.
ORACLE = """PREFIX lo: <https://w3id.org/luocdo/ontology#>
SELECT DISTINCT ?obligation ?doc ?docSymbol ?due ?recurring ?bearer ?recipient ?action
                ?frequency ?quote ?start ?end ?path
WHERE {
  ?obligation lo:deadline ?deadline ; lo:createdBy ?doc .
  OPTIONAL { ?deadline lo:dueDate ?dueDate }
  OPTIONAL { ?deadline lo:dueMonthDay ?dueMonthDay }
  BIND (COALESCE(STR(?dueDate), STR(?dueMonthDay)) AS ?due)
  BIND (BOUND(?dueMonthDay) AS ?recurring)
  OPTIONAL { ?doc lo:symbol ?docSymbol }
  OPTIONAL { ?obligation lo:bearerText ?bearer }
  OPTIONAL { ?obligation lo:recipientText ?recipient }
  OPTIONAL { ?obligation lo:action ?action }
  OPTIONAL { ?obligation lo:frequency ?frequency }
  OPTIONAL { ?obligation lo:evidence ?ev .
             ?ev lo:quote ?quote ; lo:startOffset ?start ; lo:endOffset ?end ;
                 lo:sourceFile/lo:path ?path }
}"""


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _in_window(due: str, recurring: bool, start: str, end: str) -> bool:
    """Whether a due day falls in ``start``–``end``, as graph.calendar puts it (a yearly
    29 February falls on the 28th in a common year)."""
    if not recurring:
        return start <= due <= end
    md = due[2:]
    for year in range(int(start[:4]), int(end[:4]) + 1):
        day = "02-28" if md == "02-29" and not _leap(year) else md
        if start <= f"{year:04d}-{day}" <= end:
            return True
    return False


def _oracle(store: Any, start: str, end: str) -> set[tuple[str, ...]]:
    rows = store.query(ORACLE).rows
    return {_row(r) for r in rows
            if _in_window(str(r["due"]), str(r["recurring"]) == "true", start, end)}


def _row(r: Any) -> tuple[str, ...]:
    names = ("obligation", "doc", "docSymbol", "due", "recurring", "bearer", "recipient",
             "action", "frequency", "quote", "start", "end", "path")
    return tuple(str(r[n]) if n in r else "" for n in names)


def _new(store: Any, start: str, end: str) -> list[tuple[str, ...]]:
    return [_row(r) for r in run_named(store, "obligations_due",
                                       **_window(start, end)).rows]


WINDOWS = [
    ("2024-12-01", "2024-12-31"),
    ("2024-11-15", "2025-01-10"),  # across the new year, months partly in
    ("2023-01-01", "2023-12-31"),
    ("2024-01-01", "2024-12-31"),
    ("2025-01-01", "2025-12-31"),
    ("2024-02-28", "2024-03-01"),
    ("2020-01-01", "2026-12-31"),  # over graph.queries.MAX_MONTHS: every month is read
    ("2024-12-15", "2024-12-15"),
]


def _corpus_store(paths: list[Path]) -> Any:
    from graph.pipeline import ingest_paths

    store = open_store(":memory:")
    summary = ingest_paths(store, [str(p) for p in paths])
    assert not summary.failed, summary.failed
    return store


def _check_windows(store: Any) -> int:
    """Every window gives the oracle's rows, in (due, document, obligation) order."""
    seen = 0
    for start, end in WINDOWS:
        new = _new(store, start, end)
        assert set(new) == _oracle(store, start, end), (start, end)
        assert len(new) == len(set(new))
        assert [(r[3], r[1], r[0]) for r in new] == sorted((r[3], r[1], r[0]) for r in new)
        seen += len(new)
    return seen


def test_windows_match_the_normalised_graph_on_the_samples() -> None:
    store = _corpus_store(sorted(SAMPLES.glob("*.txt")))
    assert _check_windows(store) > 0  # the samples have deadlines in these windows


def test_windows_match_the_normalised_graph_on_the_seeds() -> None:
    if not SEEDS.is_dir():
        pytest.skip(f"seed folder {SEEDS} is absent (it lives beside the repository)")
    store = _corpus_store(sorted(SEEDS.glob("*.txt")))
    _check_windows(store)
    # a window the seeds' December deadlines fall in
    assert _new(store, "2024-01-01", "2025-12-31")


def test_windows_match_the_normalised_graph_on_synthetic_text(tmp_path: Path) -> None:
    from benchmarks.synth import generate_corpus

    paths = []
    for i, doc in enumerate(generate_corpus(40, 5)):
        path = tmp_path / f"{i:03d}.txt"
        path.write_text(doc.text, encoding="utf-8")
        paths.append(path)
    store = _corpus_store(paths)
    assert _check_windows(store) > 0


# --- packing ----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "values",
    [
        ["2024-12-15", "https://x/o", "Bộ Nội vụ"],
        ["a\tb", "c\\d", "\\t literal", "tab at end\t"],
        ["", None, "x"],
        [None, None],
        ["trailing backslash\\", "\\", "\\\\t"],
        [unicodedata.normalize("NFD", "Đồng Nai"), "dòng 1\ndòng 2"],
        ["--02-29", "Ủy ban nhân dân"],
    ],
)
def test_pack_round_trip(values: list[str | None]) -> None:
    packed = pack(values)
    assert unpack(packed, len(values)) == [v or None for v in values]


@pytest.mark.parametrize(("packed", "width", "least"), [
    ("a\tb", 3, None), ("a\tb\tc", 2, None), ("", 2, None),
    ("a", 3, 2), ("a\tb\tc\td", 3, 2),  # fewer than required, more than named
])
def test_unpack_refuses_the_wrong_width(packed: str, width: int, least: int | None) -> None:
    with pytest.raises(ValueError, match="packed row"):
        unpack(packed, width, least=least)


@pytest.mark.parametrize(("packed", "width", "least", "expected"), [
    ("a\tb", 3, 2, ["a", "b", None]),  # a row packed before its last value existed
    ("a\tb\tc", 3, 2, ["a", "b", "c"]),
    ("a\\t\tb", 4, 2, ["a\t", "b", None, None]),  # an escaped TAB in a value
    ("\t", 3, 2, [None, None, None]),
])
def test_unpack_reads_rows_packed_before_later_values(packed: str, width: int, least: int,
                                                      expected: list[str | None]) -> None:
    assert unpack(packed, width, least=least) == expected


@pytest.mark.parametrize(("packed", "width", "least", "expected"), [
    ("a\tb\tc\td", 2, None, ["a", "b"]),  # the values after the named ones are dropped
    ("a\\t\tb\tc\\\\d", 2, None, ["a\t", "b"]),  # escapes before and after the cut
    ("a\tb", 2, None, ["a", "b"]),
    ("a\tb", 3, 2, ["a", "b", None]),
])
def test_unpack_may_leave_later_values_unread(packed: str, width: int, least: int | None,
                                              expected: list[str | None]) -> None:
    assert unpack(packed, width, least=least, more=True) == expected


@pytest.mark.parametrize(("packed", "more"), [
    ("a\t1\tc", False), ("a\t1\tc", True),  # every value, plain
    ("a\t1", False), ("a\t1", True),  # a row packed before its last value existed
    ("a\t1\tc\td\te", True),  # values after the columns (a citation entry in cited_by)
    ("a\\tb\t1\tc\\\\d\te", True),  # escapes, and a value after the columns
    ("a\\tb\t1\tc", False),  # escapes only
    ("\t\t", False), ("\t\t\t", True),  # empty values: the columns stay unbound
])
def test_unpacked_rows_hold_what_unpack_reads(packed: str, more: bool) -> None:
    # regression (session 13): rows holding more values than the columns took unpack's
    # slow path one by one; the quick path must still read exactly what unpack reads
    from graph.queries import Unpack, _packed_rows, _unpacked
    from graph.results import QueryResult

    spec = Unpack("e", (("a", ""), ("n", "int"), ("c", "")), required=2, more=more)
    result = QueryResult("select", vars=("x", "e"),
                         rows=({"x": Literal("row"), "e": Literal(packed)},))
    (row,) = _unpacked(result, _packed_rows(result, "e", False), spec).rows
    a, n, c = unpack(packed, 3, least=2, more=more)
    expected = {"x": Literal("row"), "a": a and Literal(a),
                "n": n and Literal(int(n)), "c": c and Literal(c)}
    assert row == {k: v for k, v in expected.items() if v}


def test_unpacked_rows_refuse_a_wrong_width() -> None:
    from graph.queries import Unpack, _packed_rows, _unpacked
    from graph.results import QueryResult

    spec = Unpack("e", (("a", ""), ("b", "")), required=2, more=False)
    result = QueryResult("select", vars=("e",), rows=({"e": Literal("a\tb\tc")},))
    with pytest.raises(ValueError, match="packed row"):
        _unpacked(result, _packed_rows(result, "e", False), spec)


def test_unpack_with_more_still_needs_the_required_values() -> None:
    with pytest.raises(ValueError, match="packed row"):
        unpack("a", 3, least=2, more=True)


@pytest.mark.parametrize(("header", "more"), [
    ("# unpack: ?e ?a ?b:iri", False),
    ("# unpack: ?e ?a ?b:iri …", True),
    ("# unpack: ?e ?a [?b:int] …", True),
])
def test_an_unpack_header_may_say_more_values_follow(header: str, more: bool) -> None:
    from graph.queries import _parse

    query = _parse("q", header + "\nSELECT ?e WHERE { ?s ?p ?e }\n")
    assert query.unpack is not None and query.unpack.more is more
    assert [c for c, _ in query.unpack.columns] == ["a", "b"]


@pytest.mark.parametrize("name", ["obligations_due", "obligations_window"])
def test_the_query_unpacks_the_fields_the_index_packs(name: str) -> None:
    query = next(q for q in list_queries() if q.name == name)
    assert query.unpack is not None
    assert tuple(column for column, _ in query.unpack.columns) == ENTRY_FIELDS
    # the deadline count and the document's date came later: older entries lack them
    assert query.unpack.required == len(ENTRY_FIELDS) - 2


@pytest.mark.parametrize(
    ("due", "key", "node"),
    [
        (Literal("2024-12-15", datatype=XSD.date), "2024-12", "index/due/2024-12"),
        (Literal("--12-15", datatype=XSD.gMonthDay), "--12", "index/due/--12"),
        (Literal("--02-29", datatype=XSD.gMonthDay), "--02", "index/due/--02"),
    ],
)
def test_month_key_and_node(due: Literal, key: str, node: str) -> None:
    assert month_key(due) == key
    assert iri.due_month_iri(key, B) == URIRef(B + node)


# --- the index follows the facts ----------------------------------------------------------------

def _one_obligation(doc: str, due: str, bearer: str, base: str = B) -> Graph:
    g = Graph()
    d, o = URIRef(base + doc), URIRef(base + doc + "/o")
    literal = Literal(due, datatype=XSD.gMonthDay if due.startswith("--") else XSD.date)
    g.add((d, RDF.type, LO.Document))
    g.add((o, LO.createdBy, d))
    g.add((o, LO.deadline, URIRef(base + doc + "/o/deadline")))
    g.add((o, LO.bearerText, Literal(bearer)))
    for t in due_index_triples(DueEntry(literal, o, d, None, bearer, None, None, None), base):
        g.add(t)
    return g


C = "Sở\tC\\D"  # a bearer text with a TAB and a backslash: packed and unpacked unchanged


# (window, bearers due in it) over four obligations: 2024-12-20, 2024-12-01, a yearly
# 10 December and a yearly 29 February; the text holds a TAB and a backslash
@pytest.mark.parametrize(("start", "end", "expected"), [
    ("2024-12-01", "2024-12-31", ["a", "b", C]),
    ("2024-12-02", "2024-12-19", [C]),
    ("2024-12-20", "2024-12-20", ["a"]),
    ("2025-02-28", "2025-02-28", ["d"]),
    ("2024-02-29", "2024-02-29", ["d"]),
    ("2024-11-15", "2025-01-10", ["a", "b", C]),
])
def test_windows_on_every_kind_of_store(any_store: Any, start: str, end: str,
                                        expected: list[str]) -> None:
    base = any_store.base
    for i, (day, bearer) in enumerate([("2024-12-20", "a"), ("2024-12-01", "b"),
                                       ("--12-10", C), ("--02-29", "d")]):
        any_store.replace_source(URIRef(f"{base}graph/source/{i}"),
                                 _one_obligation(f"d{i}", day, bearer, base))
    rows = run_named(any_store, "obligations_due", **_window(start, end)).rows
    assert sorted(str(r["bearer"]) for r in rows) == sorted(expected)


def test_replacing_and_removing_a_file_moves_its_entries(
        memory_store: Callable[[], OxigraphStore]) -> None:
    store = memory_store()
    a, b = URIRef(B + "graph/source/a"), URIRef(B + "graph/source/b")
    store.replace_source(a, _one_obligation("a", "2024-12-15", "Sở Nội vụ"))
    store.replace_source(b, _one_obligation("b", "2024-12-20", "Sở Tài chính"))

    def bearers(start: str, end: str) -> list[str]:
        return [str(r["bearer"]) for r in run_named(
            store, "obligations_due", **_window(start, end)).rows]

    assert bearers("2024-12-01", "2024-12-31") == ["Sở Nội vụ", "Sở Tài chính"]
    store.replace_source(a, _one_obligation("a", "2025-01-05", "Sở Nội vụ"))
    assert bearers("2024-12-01", "2024-12-31") == ["Sở Tài chính"]
    assert bearers("2025-01-01", "2025-01-31") == ["Sở Nội vụ"]
    store.remove_source(b)
    assert bearers("2024-12-01", "2024-12-31") == []
    # the month node of b's entry is still stated by nobody else: nothing of it is left
    left = store.query(f"ASK {{ <{B}index/due/2024-12> ?p ?o }}")
    assert left.boolean is False


def test_a_page_is_sorted_and_the_pages_cover_the_window(
        memory_store: Callable[[], OxigraphStore]) -> None:
    store = memory_store()
    for i, day in enumerate(["2024-12-20", "2024-12-01", "--12-10", "2024-12-31"]):
        store.replace_source(URIRef(f"{B}graph/source/{i}"),
                             _one_obligation(f"d{i}", day, f"bên {i}"))
    window = _window("2024-12-01", "2024-12-31")
    every = [str(r["due"]) for r in run_named(store, "obligations_due", **window).rows]
    assert every == ["--12-10", "2024-12-01", "2024-12-20", "2024-12-31"]
    pages = [run_named(store, "obligations_due", limit=2, offset=k, **window).rows
             for k in (0, 2)]
    assert sorted(str(r["due"]) for page in pages for r in page) == sorted(every)


def _entries(store: Any) -> Iterator[str]:
    for r in store.query(f"SELECT ?e WHERE {{ ?m <{LO.dueEntry}> ?e }}").rows:
        yield str(r["e"])


def test_an_entry_repeats_the_files_own_facts() -> None:
    store = _corpus_store(sorted(SAMPLES.glob("*.txt")))
    entries = list(_entries(store))
    assert entries
    for entry in entries:
        due, doc, obligation, *_ = unpack(entry, len(ENTRY_FIELDS))
        found = store.query(
            f"ASK {{ <{obligation}> <{LO.createdBy}> <{doc}> ; <{LO.deadline}> ?d . "
            f"?d ?p ?due FILTER (STR(?due) = {Literal(due).n3()}) }}")
        assert found.boolean, entry


def test_an_entry_carries_the_deadline_count_and_the_files_document_date() -> None:
    """``deadlines`` counts the obligation's deadlines; ``docDate`` is the creating
    document's date in the entry's own graph (its file's header), or empty."""
    store = _corpus_store(sorted(SAMPLES.glob("*.txt")) + sorted(SEEDS.glob("*.txt")))
    rows = store.query(f"""SELECT ?g ?e WHERE {{ GRAPH ?g {{ ?m <{LO.dueEntry}> ?e }} }}""").rows
    dated = 0
    for r in rows:
        values = dict(zip(ENTRY_FIELDS, unpack(str(r["e"]), len(ENTRY_FIELDS)), strict=True))
        count = store.query(f"SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE {{ "
                            f"<{values['obligation']}> <{LO.deadline}> ?d }}").rows[0]["n"]
        assert values["deadlines"] == str(count) == "1"
        own = store.query(f"""SELECT ?date WHERE {{ GRAPH <{r["g"]}> {{
            <{values['doc']}> <http://data.europa.eu/eli/ontology#date_document> ?date }} }}""")
        assert values["docDate"] == (str(own.rows[0]["date"]) if own.rows else None)
        dated += values["docDate"] is not None
    assert rows and dated  # both kinds occur


def _with_old_entries(store: Any) -> None:
    """Rewrite every due entry as a mapping before the count and the date packed it."""
    rows = store.query(f"SELECT ?g ?m ?e WHERE {{ GRAPH ?g {{ ?m <{LO.dueEntry}> ?e }} }}").rows
    for graph in {r["g"] for r in rows}:
        g = store.named_graph(graph)
        for r in rows:
            if r["g"] == graph:
                g.remove((r["m"], LO.dueEntry, r["e"]))
                g.add((r["m"], LO.dueEntry, Literal(str(r["e"]).rsplit("\t", 2)[0])))
        store.replace_source(graph, g)


def test_entries_of_an_older_mapping_still_read() -> None:
    """A store mapped before the deadline count and the document's date were packed
    answers with those two columns unbound and every other value the same."""
    store = _corpus_store(sorted(SAMPLES.glob("*.txt")))
    window = _window("2020-01-01", "2030-12-31")
    before = run_named(store, "obligations_due", **window).rows
    assert any("docDate" in r for r in before) and all("deadlines" in r for r in before)
    _with_old_entries(store)
    assert all(str(e).count("\t") == len(ENTRY_FIELDS) - 3 for e in _entries(store))
    expected = [{k: v for k, v in r.items() if k not in ("docDate", "deadlines")}
                for r in before]
    # a store of that mapping keeps no due pages: the entries are read
    store.remove_source(iri.due_pages_graph_iri(store.base))
    assert [dict(r) for r in run_named(store, "obligations_due", **window).rows] == expected
    # a refresh writes its pages from those entries: the same answer
    refresh_derived(store)
    assert store.select_text(load_query("due_pages_kept"))
    assert [dict(r) for r in run_named(store, "obligations_due", **window).rows] == expected


def test_offsets_are_integers_and_the_quote_is_the_files_text() -> None:
    path = SAMPLES / "02_cong_van_2215-BNV-CQDP_va_de_cuong.txt"
    store = _corpus_store([path])
    rows = run_named(store, "obligations_due", **_window("2020-01-01", "2030-12-31")).rows
    assert rows
    text = path.read_text(encoding="utf-8")
    for r in rows:
        first, last = r["start"], r["end"]
        assert isinstance(first, Literal) and isinstance(last, Literal)
        start, end = first.toPython(), last.toPython()
        assert isinstance(start, int) and isinstance(end, int)
        assert text[start:end] == str(r["quote"])
        assert str(r["path"]).endswith(path.name)
