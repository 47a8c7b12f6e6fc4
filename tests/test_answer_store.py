"""api.answer_store: kept /documents/{id} answers equal fresh ones, before and after writes.

The invalidation rows reuse the write sequences of ``test_derived_incremental``: after
each batch (written through ``DerivedChanges``, refreshed incrementally, then
``AnswerStore.invalidate(changes.touched)``), every answer still kept must equal the one
the store gives now, and the refill must complete the file again.
"""

from __future__ import annotations

import json
import time
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from test_api_support import ClientFactory, api_client, samples_nquads, samples_store
from test_derived_incremental import (
    BASE,
    SEQUENCES,
    SYNTH,
    _apply,
    _graph_iri,
    _mentioning,
    _result,
)

from api.answer_store import AnswerStore, bundle_deps, fingerprint
from api.document_bundle import (
    _bundle_one,
    document_bundles,
    keyed_documents,
    store_fingerprint,
    store_mark,
)
from api.routers.documents import find_fields
from api.trace_answers import trace_bundles, trace_key, trace_targets
from graph import iri
from graph.pipeline import DerivedChanges, refresh_derived
from graph.rdf import file_graph
from graph.store import OxigraphStore

# pytest fixtures, used by name
FIXTURES = (api_client, samples_nquads, samples_store)


def _fresh(store: OxigraphStore, iri: str) -> dict[str, Any] | None:
    """The bundle the store gives now, as the file keeps it (through JSON)."""
    made = document_bundles(store, [iri])
    return json.loads(json.dumps(made[0], ensure_ascii=False)) if made else None


def _fill(store: OxigraphStore, answers: AnswerStore, generation: int) -> None:
    """What ``AnswerKeeper`` does, in this thread."""
    answers.verify(store_mark(store), generation)
    assert answers.put_docs(keyed_documents(store), generation)
    todo = answers.missing(10_000)
    answers.put(document_bundles(store, todo), generation)
    assert answers.missing(10_000) == []
    targets = trace_targets(store)
    by_key = {trace_key(o, s): (o, k, s) for o, k, s in targets}
    answers.put_keyed(trace_bundles(store, [by_key[k] for k in answers.absent(sorted(by_key))]),
                      generation)


def _fresh_trace(store: OxigraphStore, key: str) -> dict[str, Any] | None:
    """The trace the store gives now for a kept trace's key (None: no such trace)."""
    from graph.trace import trace

    _, owner, number = key.split(" ", 2)
    keys = [k for d, k in keyed_documents(store) if d == owner and "@" in k]
    try:
        result = trace(store, keys[0], number)
    except (LookupError, IndexError):
        return None
    if result.document.iri != owner:
        return None
    body = result.as_dict()
    return json.loads(json.dumps(body, ensure_ascii=False))


def _kept(answers: AnswerStore) -> list[str]:
    """IRIs of the documents whose answer is kept."""
    con = answers._reader()
    return [str(r[0]) for r in con.execute(
        "SELECT iri FROM answers WHERE iri NOT LIKE 'trace %' ORDER BY iri")]


def _kept_traces(answers: AnswerStore) -> list[str]:
    con = answers._reader()
    return [str(r[0]) for r in con.execute(
        "SELECT iri FROM answers WHERE iri LIKE 'trace %' ORDER BY iri")]


def _store(first: Sequence[str]) -> OxigraphStore:
    store = OxigraphStore(None, base=BASE)
    for name in first:
        store.replace_source(_graph_iri(name), file_graph(_result(name), base=BASE))
    refresh_derived(store)
    return store


# --- bundles of many documents at once ------------------------------------------------------------


@pytest.mark.parametrize("first", [("02", "04", "06", "01", "03", "05"),
                                   ("s000", "s001", "s002", "s003", "s004"), SYNTH,
                                   ("undated", "dated-a", "implements", "02", "04")],
                         ids=["samples", "seeds", "synthetic", "aliases"])
@pytest.mark.parametrize(("few", "page"), [(20, 50), (0, 50), (10_000, 2), (1, 1)])
def test_a_batch_gives_the_bundles_of_one_at_a_time(first: tuple[str, ...], few: int,
                                                    page: int,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The batched reads equal ``detail_rows`` document by document, whichever way each
    document's first page of citations in is read (batched, cut, or on its own)."""
    from api import document_bundle
    from graph.lookup import document_fields

    monkeypatch.setattr(document_bundle, "_FEW_CITERS", few)
    store = _store(first)
    docs = [d for d, _ in keyed_documents(store)]
    fields = document_fields(store, docs)
    batched = document_bundle._bundles(store, docs, fields, page)
    assert [b["iri"] for b in batched] == docs
    for b in batched:
        assert b == _bundle_one(store, b["iri"], fields[b["iri"]], page, 0), b["iri"]


# --- invalidation ------------------------------------------------------------------------------


@pytest.mark.parametrize(("first", "batches"), SEQUENCES)
def test_answers_kept_after_a_write_equal_fresh_ones(first: tuple[str, ...],
                                                     batches: list[list[str]],
                                                     tmp_path: Path) -> None:
    store = _store(first)
    answers = AnswerStore(tmp_path / "answers.sqlite")
    generation = 0
    _fill(store, answers, generation)
    for batch in batches:
        changes = DerivedChanges(store)
        for op in batch:
            _apply(changes, op)
        refresh_derived(store, changes)
        generation += 1
        answers.invalidate(changes.touched, generation)
        for doc in _kept(answers):
            assert answers.by_iri(doc) == _fresh(store, doc), (batch, doc)
        for key in _kept_traces(answers):
            assert answers.by_key(key) == _fresh_trace(store, key), (batch, key)
        _fill(store, answers, generation)
        listed = {d for d, _ in keyed_documents(store)}
        assert set(_kept(answers)) == {d for d in listed if _fresh(store, d) is not None}


def test_a_small_write_drops_only_the_answers_it_touches(tmp_path: Path) -> None:
    """Invalidation follows the touched IRIs: a new document citing one old one drops
    that one's answer (its citations in changed), not everything."""
    store = _store(SYNTH[:20])
    answers = AnswerStore(tmp_path / "answers.sqlite")
    _fill(store, answers, 0)
    before = len(_kept(answers))
    cited, key = next((d, k) for d, k in keyed_documents(store) if "@" in k)
    result = _mentioning("/data/test/new-citer.txt", key)
    changes = DerivedChanges(store)
    changes.replace_source(iri.source_graph_iri(result.path, BASE),
                           file_graph(result, base=BASE))
    refresh_derived(store, changes)
    dropped = answers.invalidate(changes.touched, 1)
    assert cited not in _kept(answers)
    assert 0 < dropped < before / 4, (dropped, before)


def test_a_write_without_touched_iris_drops_every_answer(tmp_path: Path) -> None:
    store = _store(("02", "04"))
    answers = AnswerStore(tmp_path / "answers.sqlite")
    _fill(store, answers, 0)
    assert _kept(answers) and _kept_traces(answers)
    answers.invalidate(None, 1)
    assert _kept(answers) == [] and _kept_traces(answers) == []


@pytest.mark.parametrize("first", [("02", "04", "06"), ("s000", "s002")],
                         ids=["samples", "seeds"])
def test_every_outline_section_has_its_trace_kept(first: tuple[str, ...],
                                                  tmp_path: Path) -> None:
    store = _store(first)
    answers = AnswerStore(tmp_path / "answers.sqlite")
    _fill(store, answers, 0)
    kept = _kept_traces(answers)
    assert kept
    assert len(kept) == len({trace_key(o, s) for o, _, s in trace_targets(store)
                             if _fresh_trace(store, trace_key(o, s)) is not None})
    for key in kept:
        assert answers.by_key(key) == _fresh_trace(store, key)
    changes = DerivedChanges(store)  # the letter's outline goes: its traces go
    _apply(changes, "-" + first[0])
    refresh_derived(store, changes)
    answers.invalidate(changes.touched, 1)
    assert all(_fresh_trace(store, k) == answers.by_key(k) for k in _kept_traces(answers))


def test_an_answer_of_an_older_generation_is_refused(tmp_path: Path) -> None:
    store = _store(("02",))
    answers = AnswerStore(tmp_path / "answers.sqlite")
    _fill(store, answers, 0)
    iri = _kept(answers)[0]
    bundle = _fresh(store, iri)
    assert bundle is not None
    answers.invalidate({iri}, 1)
    assert answers.put([bundle], 0) == 0  # computed before the write
    assert answers.put_docs(keyed_documents(store), 0) is False
    assert answers.by_iri(iri) is None
    assert answers.put([bundle], 1) == 1


def test_the_dependencies_name_the_linked_documents() -> None:
    store = _store(("02", "04"))
    docs = [d for d, _ in keyed_documents(store)]
    bundles = document_bundles(store, docs)
    linked = [b for b in bundles if b["rows"]["linked"]]
    assert linked
    for b in linked:
        deps = bundle_deps(b)
        assert b["iri"] in deps
        assert {r["doc"] for r in b["rows"]["linked"]} <= deps


# --- restart ------------------------------------------------------------------------------------


def test_a_restart_keeps_answers_of_the_same_store_only(tmp_path: Path) -> None:
    store = _store(("02", "04"))
    path = tmp_path / "answers.sqlite"
    answers = AnswerStore(path)
    _fill(store, answers, 0)
    kept = _kept(answers)
    answers.close()
    again = AnswerStore(path)
    assert again.by_iri(kept[0]) is None  # not trusted before the fingerprint is checked
    assert again.verify(store_mark(store), 0) is True
    assert _kept(again) == kept
    again.close()
    changes = DerivedChanges(store)  # the store changes while no server runs
    _apply(changes, "+06")
    refresh_derived(store, changes)
    third = AnswerStore(path)
    assert third.verify(store_mark(store), 0) is False
    assert _kept(third) == []
    third.close()


def test_the_store_mark_is_the_digest_of_every_graphs_provenance(
        samples_store: OxigraphStore) -> None:
    # made in the query worker from text rows: the same digest as the rows as rdflib
    # terms give, but for the time stamps' spelling (the store writes "Z" for "+00:00")
    from graph.sparql import term_sparql

    rows = list(store_fingerprint(samples_store))
    graph = term_sparql(samples_store.provenance_graph)
    as_terms = samples_store.query(f"SELECT ?g ?p ?o WHERE {{ GRAPH {graph} {{ ?g ?p ?o }} }}")
    assert len(rows) == len(as_terms.rows) >= len(samples_store.sources())
    assert {g for g, _ in rows} == {str(r["g"]) for r in as_terms.rows}
    assert store_mark(samples_store) == fingerprint(rows) == fingerprint(reversed(rows))
    # the same rows as SPARQL text rows, as a store without its own quads reads them
    assert sorted(rows) == sorted((r["g"], f"{r['p']} {r['o']}") for r in
                                  samples_store.select_text(
                                      f"SELECT ?g ?p ?o WHERE {{ GRAPH {graph} {{ ?g ?p ?o }} }}"))
    assert fingerprint(rows[1:]) != fingerprint(rows) != fingerprint([*rows, ("g", "x")])
    before = store_mark(samples_store)
    changes = DerivedChanges(samples_store)
    _apply(changes, "+06")
    refresh_derived(samples_store, changes)
    assert store_mark(samples_store) != before


def test_a_file_of_another_schema_is_rebuilt(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "answers.sqlite"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE answers(x)")
    con.commit()
    con.close()
    answers = AnswerStore(path)
    assert answers.counts() == {"docs": 0, "answers": 0, "traces": 0}
    answers.close()


def test_a_file_of_the_uncompressed_schema_is_rebuilt(tmp_path: Path) -> None:
    """Regression guard for the move to compressed bodies: a version-1 file (JSON text
    bodies) is emptied and rebuilt, never read as compressed data."""
    import sqlite3

    path = tmp_path / "answers.sqlite"
    con = sqlite3.connect(path)
    con.executescript("CREATE TABLE meta(k TEXT PRIMARY KEY, v TEXT);"
                      "INSERT INTO meta VALUES ('schema', 'luocdo-answers/1');"
                      "CREATE TABLE answers(iri TEXT PRIMARY KEY, body TEXT NOT NULL);"
                      "INSERT INTO answers VALUES ('https://x/d', '{\"iri\": \"https://x/d\"}');")
    con.commit()
    con.close()
    answers = AnswerStore(path)
    assert answers.counts()["answers"] == 0
    answers.close()


def test_bodies_are_kept_compressed(tmp_path: Path) -> None:
    import json
    import sqlite3

    store = _store(("02",))
    answers = AnswerStore(tmp_path / "answers.sqlite")
    _fill(store, answers, 0)
    iri = _kept(answers)[0]
    con = sqlite3.connect(tmp_path / "answers.sqlite")
    (raw,) = con.execute("SELECT body FROM answers WHERE iri = ?", (iri,)).fetchone()
    con.close()
    assert isinstance(raw, bytes)
    kept = answers.by_iri(iri)
    assert kept == _fresh(store, iri)
    assert len(raw) < len(json.dumps(kept, ensure_ascii=False).encode("utf-8")) / 2
    answers.close()


def test_a_temporary_file_is_removed_on_close(tmp_path: Path) -> None:
    path = tmp_path / "scratch.sqlite"
    answers = AnswerStore(path, temporary=True)
    assert path.exists()
    answers.close()
    assert not path.exists()


# --- names --------------------------------------------------------------------------------------


@pytest.mark.parametrize("first", [("02", "04", "06", "01", "03", "05"),
                                   ("s000", "s001", "s002", "s003", "s004"), SYNTH[:20]],
                         ids=["samples", "seeds", "synthetic"])
@pytest.mark.parametrize("variant", ["as-is", "lower", "NFD", "spaces"])
def test_a_key_names_the_document_the_store_resolves(first: tuple[str, ...], variant: str,
                                                     tmp_path: Path) -> None:
    store = _store(first)
    answers = AnswerStore(tmp_path / "answers.sqlite")
    _fill(store, answers, 0)
    shapes: dict[str, Callable[[str], str]] = {
        "as-is": str, "lower": str.lower, "spaces": lambda k: f"  {k} ",
        "NFD": lambda k: unicodedata.normalize("NFD", k)}
    shape = shapes[variant]
    checked = 0
    for _, key in keyed_documents(store):
        ident = shape(key)
        found = answers.by_name(ident)
        resolved = find_fields(store, ident)
        dated = [r for r in resolved if "@" in r.get("key", "")]
        expected = (dated if len(resolved) > 1 and len(dated) == 1 else resolved)
        if found is not None:  # the kept answer is the one document the id names
            assert [r["doc"] for r in expected] == [found["iri"]], ident
            checked += 1
        elif "@" in key and variant == "as-is":
            pytest.fail(f"a dated key is not found: {key}")
    assert checked


def test_no_key_lookup_while_the_list_is_stale(tmp_path: Path) -> None:
    store = _store(("02", "04"))
    answers = AnswerStore(tmp_path / "answers.sqlite")
    _fill(store, answers, 0)
    key = next(k for _, k in keyed_documents(store) if "@" in k)
    assert answers.by_name(key) is not None
    answers.invalidate(set(), 1)  # a write touching nothing kept: the list may be stale
    assert answers.by_name(key) is None
    iri = next(d for d, k in keyed_documents(store) if k == key)
    assert answers.by_name(iri) is not None  # an IRI names one node whatever the list


# --- through the API ----------------------------------------------------------------------------


def _wait_filled(client: Any, timeout: float = 60.0) -> Any:
    state = client.app.state.luocdo
    keeper = state.document_answers
    assert keeper is not None
    assert keeper.wait(timeout), keeper.error
    return state


def _ids(client: Any) -> list[str]:
    body = client.get("/documents", params={"limit": 500}).json()
    return [d["id"] for d in body["items"]]


def test_kept_answers_equal_computed_ones(api_client: ClientFactory,
                                          samples_store: OxigraphStore) -> None:
    kept = api_client()
    live = api_client(document_answers=False)
    state = _wait_filled(kept)
    assert live.app.state.luocdo.document_answers is None  # type: ignore[attr-defined]
    ids = _ids(kept)
    assert ids
    served = 0
    for ident in ids:
        path = f"/documents/{quote(ident, safe='')}"
        served += state.kept_answer(ident) is not None
        a, b = kept.get(path), live.get(path)
        assert a.status_code == b.status_code == 200, (ident, a.text)
        assert a.json() == b.json(), ident
        for lang in ("vi", "en"):  # labels follow the language, not the kept rows
            assert (kept.get(path, params={"lang": lang}).json()
                    == live.get(path, params={"lang": lang}).json())
    assert served >= len([i for i in ids if "@" in i])


def test_a_write_through_the_api_is_seen_at_once(api_client: ClientFactory,
                                                 samples_store: OxigraphStore) -> None:
    token = "t" * 32
    client = api_client(update_token=token, enable_update=False)
    state = _wait_filled(client)
    cited = "15/CT-TTG@2024"
    path = f"/documents/{quote(cited, safe='')}"
    before = client.get(path).json()
    assert state.kept_answer(cited) is not None
    text = ("ỦY BAN NHÂN DÂN XÃ THỬ NGHIỆM\nSố: 7/KH-UBND\n\nKẾ HOẠCH\n"
            "Thực hiện Chỉ thị số 15/CT-TTg ngày 22 tháng 6 năm 2024 của Thủ tướng "
            "Chính phủ.\n")
    response = client.post("/ingest", files={"files": ("new-plan.txt", text.encode())},
                           headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text
    after = client.get(path).json()  # before any refill: the kept answer was dropped
    assert after["cited_by_total"] == (before["cited_by_total"] or 0) + 1
    citers = {c["document"] for c in after["cited_by"]}
    assert len(citers - {c["document"] for c in before["cited_by"]}) == 1, after["cited_by"]
    deadline = time.monotonic() + 60
    while state.kept_answer(cited) is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert client.app.state.luocdo.document_answers.answers.by_name(  # type: ignore[attr-defined]
        cited) is not None
    assert client.get(path).json() == after


def test_kept_traces_equal_computed_ones(api_client: ClientFactory,
                                         samples_store: OxigraphStore) -> None:
    kept = api_client()
    live = api_client(document_answers=False)
    state = _wait_filled(kept)
    targets = trace_targets(samples_store)
    assert targets
    served = 0
    for owner, key, section in targets:
        for ident in (owner, key, key.lower(), section and key):
            params = {"document": ident, "section": section}
            a, b = kept.get("/trace", params=params), live.get("/trace", params=params)
            assert a.status_code == b.status_code, (ident, section, a.text)
            assert a.json() == b.json(), (ident, section)
            served += state.kept_trace(ident, section) is not None
    assert served >= len(targets)  # every target by its key at least
