"""Report endpoints answer what the CLI's graph functions answer (same function, same JSON)."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from test_api_support import (
    DRAFT,
    SAMPLES,
    ClientFactory,
    api_client,
    background_held,
    client,
    count_whole_builds,
    load,
    problem,
    samples_nquads,
    samples_store,
    seeds_nquads,
)

from api.deps import STALE_HEADER
from api.obligation_window import next_due
from graph.calendar import calendar
from graph.check import check_draft
from graph.reports import conflicts, obligations, submissions
from graph.store import OxigraphStore
from graph.trace import trace

# pytest fixtures, used by name
FIXTURES = (api_client, client, samples_nquads, samples_store, seeds_nquads)

OWNER = "2215/BNV-CQĐP"


def _json(value: Any) -> Any:
    """What a value looks like after a trip through JSON."""
    return json.loads(json.dumps(value, ensure_ascii=False))


def test_trace_is_the_cli_answer(client: TestClient, samples_store: OxigraphStore) -> None:
    response = client.get("/trace", params={"document": OWNER, "section": "III.2"})
    assert response.status_code == 200, response.text
    assert response.json() == _json(trace(samples_store, OWNER, "III.2").as_dict())
    assert response.json()["chain"], "the letter implements the directive"


@pytest.mark.parametrize(("params", "status", "member"), [
    ({"document": OWNER, "section": "IX.9"}, 404, "available"),
    ({"document": "99/CT-TTg", "section": "I"}, 404, None),
    ({"document": OWNER}, 422, "errors"),
    ({"document": "", "section": "I"}, 422, "errors"),
])
def test_trace_errors(client: TestClient, params: dict[str, str], status: int,
                      member: str | None) -> None:
    body = problem(client.get("/trace", params=params), status)
    if member:
        assert body[member]


def test_conflicts_are_the_cli_answer(client: TestClient, samples_store: OxigraphStore) -> None:
    found = client.get("/conflicts").json()
    assert found == _json([c.as_dict() for c in conflicts(samples_store)])
    assert any(c["symbol"] == "1876/UBND-VX" and c["kind"] == "date" for c in found)


@pytest.mark.parametrize("kind", ["date", "issuer"])
def test_conflicts_of_one_kind_are_the_cli_answer(
        api_client: ClientFactory, memory_store: Any, seeds_nquads: bytes, kind: str) -> None:
    # the seeds hold both kinds (23-QĐ/TW is cited as the Central Committee's and the
    # Politburo's); the samples only a date conflict
    store = load(memory_store(), seeds_nquads)
    client = api_client(store=store)
    response = client.get("/conflicts", params={"kind": kind})
    expected = [c.as_dict() for c in conflicts(store) if c.kind == kind]
    assert expected, f"the seeds hold a conflict of {kind}"
    assert response.json() == _json(expected)
    assert response.headers["x-total-count"] == str(len(expected))


def test_conflicts_of_an_unknown_kind_are_refused(client: TestClient) -> None:
    problem(client.get("/conflicts", params={"kind": "title"}), 422)


def _every_page(client: TestClient, url: str) -> tuple[list[Any], set[int]]:
    """The rows of every page from ``url`` on, following the next links, and the page
    sizes seen; each page states the same total, which is the rows' count."""
    seen: list[Any] = []
    totals, sizes = set(), set()
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.text
        totals.add(response.headers["x-total-count"])
        sizes.add(len(response.json()))
        seen += response.json()
        link = response.headers.get("link")
        url = link.split(">")[0].removeprefix("<") if link else ""
    assert totals == {str(len(seen))}
    return seen, sizes


@pytest.mark.parametrize(("path", "params"), [
    ("/conflicts", ""),
    ("/conflicts", "&kind=date"),
    ("/submissions", ""),
    ("/submissions", "&obligation=bao%20cao%206%20THANG"),
])
def test_long_reports_come_a_page_at_a_time(client: TestClient, path: str,
                                            params: str) -> None:
    whole = client.get(path + params.replace("&", "?", 1)).json()
    assert whole, "something to page through"
    paged, sizes = _every_page(client, f"{path}?limit=2{params}")
    assert paged == whole
    assert max(sizes) <= 2 and (len(whole) < 3 or 2 in sizes)
    beyond = client.get(f"{path}?offset={len(whole)}{params}")
    assert beyond.json() == [] and beyond.headers["x-total-count"] == str(len(whole))


def test_submissions_are_the_cli_answer(client: TestClient,
                                        samples_store: OxigraphStore) -> None:
    rows = client.get("/submissions").json()
    assert rows == _json([s.as_dict() for s in submissions(samples_store)])
    assert {"on_time", "late", "missing"} <= {r["status"] for r in rows}


@pytest.mark.parametrize("which", [
    lambda rows: rows[0]["deadline"],  # an ISO deadline
    lambda rows: rows[0]["obligation"],  # an obligation IRI
    lambda rows: "bao cao 6 THANG",  # column text, case and diacritics folded
    lambda rows: "Kế hoạch",
    lambda rows: "2099-01-01",  # nothing answers it
])
def test_submissions_of_one_obligation_are_the_cli_answer(
        client: TestClient, samples_store: OxigraphStore, which: Any) -> None:
    obligation = which(client.get("/submissions").json())
    filtered = client.get("/submissions", params={"obligation": obligation}).json()
    assert filtered == _json([s.as_dict() for s in submissions(samples_store, obligation)])
    if obligation != "2099-01-01":
        assert filtered


def test_calendar_is_the_cli_answer(client: TestClient, samples_store: OxigraphStore) -> None:
    response = client.get("/calendar.ics")
    assert response.headers["content-type"].startswith("text/calendar")
    assert response.content == calendar(samples_store).encode("utf-8")
    assert response.text.startswith("BEGIN:VCALENDAR\r\n")


def test_calendar_carries_an_etag(client: TestClient) -> None:
    first = client.get("/calendar.ics")
    etag = first.headers["etag"]
    assert first.status_code == 200 and etag.startswith('"')
    again = client.get("/calendar.ics", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.headers["etag"] == etag and not again.content
    other = client.get("/calendar.ics", headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200 and other.content == first.content


def _raw(client: TestClient, path: str, headers: dict[str, str]) -> tuple[Any, bytes]:
    """The response and its bytes as sent (not decoded)."""
    with client.stream("GET", path, headers=headers) as response:
        return response, b"".join(response.iter_raw())


def test_calendar_is_sent_gzipped_to_a_client_that_accepts_it(
        client: TestClient, samples_store: OxigraphStore) -> None:
    plain = calendar(samples_store).encode("utf-8")
    identity, sent = _raw(client, "/calendar.ics", {"Accept-Encoding": "identity"})
    assert "content-encoding" not in identity.headers and sent == plain
    zipped, sent_gz = _raw(client, "/calendar.ics", {"Accept-Encoding": "br;q=1, gzip;q=0.5"})
    assert zipped.headers["content-encoding"] == "gzip"
    assert gzip.decompress(sent_gz) == plain and len(sent_gz) < len(plain)
    for response in (identity, zipped):
        assert response.headers["vary"] == "Accept-Encoding"
    # each coding is its own representation, with its own tag
    assert identity.headers["etag"] != zipped.headers["etag"]
    refused, sent = _raw(client, "/calendar.ics", {"Accept-Encoding": "gzip;q=0, *"})
    assert "content-encoding" not in refused.headers and sent == plain


@pytest.mark.parametrize("coding", ["identity", "gzip"])
def test_either_codings_tag_means_unchanged(client: TestClient, coding: str) -> None:
    tags = {c: client.get("/calendar.ics", headers={"Accept-Encoding": c}).headers["etag"]
            for c in ("identity", "gzip")}
    for sent in (*tags.values(), "*", f'"x", {tags["gzip"]}'):
        again = client.get("/calendar.ics", headers={"Accept-Encoding": coding,
                                                     "If-None-Match": sent})
        assert again.status_code == 304 and not again.content
        assert again.headers["etag"] == tags[coding]  # the tag of what would be sent
        assert again.headers["vary"] == "Accept-Encoding"


def _events(ics: bytes) -> dict[str, bytes]:
    """Each VEVENT's bytes by its obligation IRI (``X-LUOCDO-OBLIGATION``)."""
    out = {}
    for part in ics.split(b"BEGIN:VEVENT\r\n")[1:]:
        text = b"BEGIN:VEVENT\r\n" + part.split(b"END:VEVENT\r\n")[0] + b"END:VEVENT\r\n"
        unfolded = text.replace(b"\r\n ", b"")
        iri = unfolded.split(b"X-LUOCDO-OBLIGATION:")[1].split(b"\r\n")[0].decode()
        out[iri] = text
    return out


PARTIES = [
    {"recipient": "bo noi vu"},                     # no diacritics
    {"bearer": "UBND"},                             # an abbreviation
    {"bearer": "uy ban nhan dan", "recipient": "Sở Nội vụ"},   # both, no diacritics in one
    {"recipient": "Ban Thường vụ Tỉnh ủy"},
    {"bearer": "no such body"},
]


@pytest.mark.parametrize("parties", PARTIES,
                         ids=lambda p: ",".join(f"{k}={v}" for k, v in p.items()))
def test_a_calendar_of_one_bearer_or_recipient(client: TestClient,
                                               parties: dict[str, str]) -> None:
    whole = _events(client.get("/calendar.ics").content)
    response = client.get("/calendar.ics", params=parties)
    assert response.status_code == 200, response.text
    cal = response.content
    assert cal.startswith(b"BEGIN:VCALENDAR\r\n") and cal.endswith(b"END:VCALENDAR\r\n")
    # what /obligations lists for the same filter, with a first due day, and nothing else
    listed = client.get("/obligations", params={**parties, "limit": 500}).json()
    expected = {r["iri"] for r in listed if r["next_due"] is not None}
    found = _events(cal)
    assert set(found) == expected
    assert all(whole[iri] == event for iri, event in found.items())  # cut, not remade
    name = cal.replace(b"\r\n ", b"").split(b"X-WR-CALNAME:")[1].split(b"\r\n")[0].decode()
    assert all(value in name for value in parties.values())
    if parties != {"bearer": "no such body"}:
        assert found, "the samples have deadlines for this party"
    again = client.get("/calendar.ics", params=parties,
                       headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304


def test_the_filtered_calendar_is_the_clis(api_client: ClientFactory, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from api.cli_graph import ingest
    from api.cli_reports import calendar_cmd
    from graph.store import open_store

    spec = str(tmp_path / "store")
    runner = CliRunner()
    landed = runner.invoke(ingest, ["--store", spec, *map(str, sorted(SAMPLES.glob("*.txt")))])
    assert landed.exit_code == 0, landed.output
    wanted = {"bearer": "ubnd", "recipient": "bo noi vu"}
    printed = runner.invoke(calendar_cmd, ["--store", spec, "--bearer", wanted["bearer"],
                                           "--recipient", wanted["recipient"]])
    assert printed.exit_code == 0, printed.output
    with open_store(spec) as store:
        served = api_client(store=store).get("/calendar.ics", params=wanted)
        assert served.status_code == 200 and served.content == printed.stdout_bytes
    assert _events(printed.stdout_bytes)


def test_a_write_changes_the_calendars_etag(api_client: ClientFactory) -> None:
    from test_api_admin import AUTH, PLAN, TOKEN

    client = api_client(update_token=TOKEN)
    before = client.get("/calendar.ics")
    response = client.post("/ingest", files=[("files", ("ke_hoach_77.txt", PLAN))],
                           headers=AUTH)
    assert response.status_code == 200, response.text
    # the current calendar (else, while it is brought up to date, the one before the
    # write, marked stale: its tag is the one sent, and the answer 304)
    after = client.get("/calendar.ics", headers={"If-None-Match": before.headers["etag"],
                                                 "Cache-Control": "no-cache"})
    assert after.status_code == 200 and after.headers["etag"] != before.headers["etag"]
    assert len(after.content) > len(before.content)  # the new plan's deadline


# --- obligations -----------------------------------------------------------------------------


def test_all_obligations(client: TestClient, samples_store: OxigraphStore) -> None:
    rows = client.get("/obligations").json()
    assert {r["iri"] for r in rows} == {o.iri for o in obligations(samples_store)}
    assert any(r["recurring"] and r["deadline"].startswith("--") for r in rows)
    assert all(r["evidence"]["quote"] for r in rows)


def test_obligations_in_a_window(client: TestClient) -> None:
    after, before = dt.date(2025, 5, 1), dt.date(2025, 6, 30)
    rows = client.get("/obligations", params={"due_after": after.isoformat(),
                                              "due_before": before.isoformat()}).json()
    assert rows
    assert all(after <= dt.date.fromisoformat(r["next_due"]) <= before for r in rows)
    everything = client.get("/obligations").json()
    assert len(rows) < len(everything)


@pytest.mark.parametrize(("params", "field", "query"), [
    ({"bearer": "ubnd"}, "bearer", "ubnd"),
    ({"recipient": "bo noi vu"}, "recipient", "bo noi vu"),
])
def test_obligations_by_party(client: TestClient, params: dict[str, str], field: str,
                              query: str) -> None:
    from api.search import text_matches

    rows = client.get("/obligations", params=params).json()
    assert rows and all(text_matches(r[field], query) for r in rows)


@pytest.mark.parametrize(("first", "recurring", "after", "before", "expected"), [
    ("2025-05-25", False, None, None, "2025-05-25"),
    ("2025-05-25", False, "2025-06-01", None, None),  # already past
    ("2025-05-25", False, None, "2025-05-01", None),
    ("2024-12-15", True, "2025-01-01", None, "2025-12-15"),  # yearly: next year's
    ("2024-12-15", True, "2025-12-16", "2026-12-31", "2026-12-15"),
    ("2024-12-15", True, "2025-01-01", "2025-06-30", None),
    ("2026-12-15", True, "2025-01-01", None, "2026-12-15"),  # starts later
    ("2024-02-29", True, "2025-01-01", None, "2025-02-28"),
    (None, True, None, None, None),
])
def test_next_due(first: str | None, recurring: bool, after: str | None, before: str | None,
                  expected: str | None) -> None:
    def day(v: str | None) -> dt.date | None:
        return dt.date.fromisoformat(v) if v else None

    assert next_due(day(first), recurring, day(after), day(before)) == day(expected)


# --- check -----------------------------------------------------------------------------------


def _check(client: TestClient, content: bytes, name: str = "draft.txt",
           against: str = OWNER) -> Any:
    return client.post("/check", files={"draft": (name, content)}, data={"against": against})


def test_check_is_the_cli_answer(client: TestClient, samples_store: OxigraphStore) -> None:
    response = _check(client, DRAFT.read_bytes(), "du_thao.txt")
    assert response.status_code == 200, response.text
    expected = check_draft(samples_store, DRAFT.read_text(encoding="utf-8"), OWNER).as_dict()
    expected["draft"] = "du_thao.txt"
    assert response.json() == _json(expected)
    assert response.json()["needs_action"] is True
    assert "V" in {m["number"] for m in response.json()["missing"]}


@pytest.mark.parametrize(("content", "name", "against", "status"), [
    (b"\x89PNG\r\n\x1a\n" + bytes(200), "scan.png", OWNER, 422),  # not a document
    (b"%PDF-1.4 broken", "broken.pdf", OWNER, 422),
    (b"", "empty.txt", OWNER, 422),
    (DRAFT.read_bytes(), "d.txt", "99/CT-TTg", 404),
    (DRAFT.read_bytes(), "d.txt", "33/CT-TTg", 404),  # known, but no outline attached
])
def test_check_errors(client: TestClient, content: bytes, name: str, against: str,
                      status: int) -> None:
    body = problem(_check(client, content, name, against), status)
    if status == 422:
        assert name in body["detail"]


def test_check_never_reads_a_server_path(client: TestClient, tmp_path: Any) -> None:
    """Regression: a one-line draft is text, never a path check_draft would open."""
    secret = tmp_path / "secret.txt"
    secret.write_text("I. MẬT\nII. MẬT\n", encoding="utf-8")
    response = _check(client, str(secret).encode())
    assert response.status_code == 200, response.text
    assert response.json()["present"] == [] and "MẬT" not in response.text


def test_check_upload_limit(api_client: ClientFactory) -> None:
    client = api_client(max_upload_bytes=1000)
    problem(_check(client, DRAFT.read_bytes()), 413)


# --- whole-store reports, built in the background (api.report_keeper) ----------------------

REPORTS = {"obligations": "/obligations", "calendar": "/calendar.ics",
           "conflicts": "/conflicts", "submissions": "/submissions",
           "sources": "/sources", "stats": "/stats"}


def test_every_report_is_built_before_anyone_asks(api_client: ClientFactory) -> None:
    client = api_client()
    keeper = client.app.state.luocdo.report_keeper()  # type: ignore[attr-defined]
    assert keeper.wait_idle(30)
    assert set(keeper.built()) == set(REPORTS)
    assert set(client.get("/health").json()["reports"]["built"]) == set(REPORTS)


def test_without_warming_a_report_is_built_when_asked(api_client: ClientFactory,
                                                      samples_store: OxigraphStore) -> None:
    client = api_client(warm_reports=False)
    keeper = client.app.state.luocdo.report_keeper()  # type: ignore[attr-defined]
    assert keeper.wait_idle(30) and keeper.built() == ()
    assert client.get("/health").json()["reports"] == {"built": [], "warming": False,
                                                       "restored": []}
    assert client.get("/conflicts").json() == _json(
        [c.as_dict() for c in conflicts(samples_store)])
    assert keeper.built() == ("conflicts",)


def test_a_report_over_the_request_limit_is_served_once_built(
        api_client: ClientFactory, samples_store: OxigraphStore,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # regression (session 13): a whole-store report was computed inside the request, so
    # one that took longer than query_timeout_s (the conflicts of 100,000 documents take
    # 9-10 s against the default 10) answered 503 "timeout" every time, never served.
    # The calendar here is the real one, made slower than the request limit.
    import time

    import api.deps
    import api.whole_store

    real = api.whole_store.whole_store_reports

    def slow(rows: Any) -> dict[str, Any]:
        def slow_calendar(store: Any) -> api.whole_store.KeptCalendar:
            time.sleep(1.0)
            return api.whole_store.calendar_file(store, str(rows.path))
        return {**real(rows), "calendar": slow_calendar}

    monkeypatch.setattr(api.deps, "whole_store_reports", slow)
    client = api_client(query_timeout_s=0.3, warm_reports=False)
    building = problem(client.get("/calendar.ics"), 503)
    assert building["type"] == "urn:luocdo:problem:report_building"
    assert building["report"] == "calendar"
    deadline = time.monotonic() + 20
    while (response := client.get("/calendar.ics")).status_code == 503:
        assert response.headers["retry-after"]
        assert time.monotonic() < deadline, "the calendar was never served"
        time.sleep(0.1)
    assert response.status_code == 200
    assert response.content == calendar(samples_store).encode("utf-8")


def test_a_write_rebuilds_the_reports(api_client: ClientFactory,
                                      samples_store: OxigraphStore,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """After an ingest every report is current; the obligations and the calendar are
    brought up to date from their answers before it (``api.whole_store``'s updates), not
    built whole again; a raw SPARQL update (whose changes are unknown) builds them whole."""
    from test_api_admin import AUTH, PLAN, TOKEN

    whole = count_whole_builds(monkeypatch)
    client = api_client(update_token=TOKEN, enable_update=True)
    keeper = client.app.state.luocdo.report_keeper()  # type: ignore[attr-defined]
    before = client.get("/obligations").json()
    assert keeper.wait_idle(30) and sorted(whole) == sorted(REPORTS)
    response = client.post("/ingest", files=[("files", ("ke_hoach_77.txt", PLAN))],
                           headers=AUTH)
    assert response.status_code == 200, response.text
    assert keeper.wait_idle(30) and set(keeper.built()) == set(REPORTS)
    after = client.get("/obligations").json()
    assert len(after) == len(before) + 1
    assert {r["iri"] for r in after} == {o.iri for o in obligations(samples_store)}
    assert client.get("/calendar.ics").content == calendar(samples_store).encode("utf-8")
    for name in REPORTS:  # each brought up to date, none built again
        assert whole.count(name) == 1, name
    assert client.get("/submissions").json() == _json(
        [s.as_dict() for s in submissions(samples_store)])
    assert client.get("/stats").json()["triples"] == samples_store.stats()["triples"]
    assert client.get("/conflicts").json() == _json(
        [c.as_dict() for c in conflicts(samples_store)])
    update = "DELETE WHERE { ?o <https://w3id.org/luocdo/ontology#bearerText> ?b }"
    response = client.post("/sparql", data={"update": update}, headers=AUTH)
    assert response.status_code == 204, response.text
    assert keeper.wait_idle(30) and whole.count("obligations") == 2
    assert whole.count("calendar") == 2


# --- while a write's update runs, the answers before it (served stale) -----------------------

STALE_PATHS = [*REPORTS.values(), "/obligations?due_after=2024-01-01&due_before=2025-12-31",
               "/obligations?bearer=ubnd", "/obligations?recipient=so%20noi%20vu",
               "/obligations?due_after=2024-01-01&bearer=ubnd", "/calendar.ics?bearer=ubnd",
               "/calendar.ics?recipient=so%20noi%20vu", "/sources?path=ke_hoach",
               "/sources?path=txt", "/submissions?obligation=ke%20hoach",
               "/conflicts?kind=date"]


def test_reports_before_a_write_are_served_stale_while_brought_up_to_date(
        api_client: ClientFactory, samples_store: OxigraphStore) -> None:
    """After a write, until a report is brought up to date, a request gets the answer
    before the write at once, marked ``X-Report-Stale: true``; ``Cache-Control:
    no-cache`` waits for the current one (here: past the request limit, 503). Then the
    current answers, unmarked."""
    from test_api_admin import AUTH, PLAN, TOKEN

    client = api_client(update_token=TOKEN, enable_update=True, query_timeout_s=1.0)
    state = client.app.state.luocdo  # type: ignore[attr-defined]
    assert state.report_keeper().wait_idle(30)
    before = {path: client.get(path) for path in STALE_PATHS}
    assert all(r.status_code == 200 and STALE_HEADER not in r.headers
               for r in before.values()), before
    with background_held(state):
        response = client.post("/ingest", files=[("files", ("ke_hoach_77.txt", PLAN))],
                               headers=AUTH)
        assert response.status_code == 200, response.text
        for path, old in before.items():
            stale = client.get(path)
            assert stale.status_code == 200, (path, stale.text)
            assert stale.headers[STALE_HEADER] == "true", path
            assert stale.content == old.content, path
        waited = client.get("/obligations", headers={"Cache-Control": "no-cache"})
        assert problem(waited, 503)["type"] == "urn:luocdo:problem:report_building"
    assert state.report_keeper().wait_idle(30)
    after = {path: client.get(path) for path in STALE_PATHS}
    assert not any(STALE_HEADER in r.headers for r in after.values())
    # what a server started on the store as it is now answers: nothing kept from the
    # stale tables (a filter's matches) is applied to the current ones
    fresh = api_client()
    assert fresh.app.state.luocdo.report_keeper().wait_idle(30)  # type: ignore[attr-defined]
    for path, found in after.items():
        assert found.content == fresh.get(path).content, path
    assert len(after["/obligations"].json()) == len(before["/obligations"].json()) + 1
    assert {r["iri"] for r in after["/obligations"].json()} == {
        o.iri for o in obligations(samples_store)}
    assert after["/stats"].json()["triples"] == samples_store.stats()["triples"]
    assert after["/stats"].json() != before["/stats"].json()


@pytest.mark.parametrize(("settings", "headers"), [
    ({"stale_reports": False}, {}),
    ({}, {"Cache-Control": "no-cache"}),
    ({}, {"Cache-Control": "max-age=0"}),
    ({}, {"Cache-Control": "no-store, No-Cache"}),
])
def test_the_current_answer_is_waited_for_when_asked(
        api_client: ClientFactory, settings: dict[str, Any], headers: dict[str, str]) -> None:
    from test_api_admin import AUTH, PLAN, TOKEN

    client = api_client(update_token=TOKEN, enable_update=True, query_timeout_s=0.5,
                        **settings)
    state = client.app.state.luocdo  # type: ignore[attr-defined]
    assert state.report_keeper().wait_idle(30)
    with background_held(state):
        response = client.post("/ingest", files=[("files", ("ke_hoach_77.txt", PLAN))],
                               headers=AUTH)
        assert response.status_code == 200, response.text
        for path in ("/obligations", "/stats", "/obligations?due_after=2025-01-01"):
            found = client.get(path, headers=headers)
            if "due_after" in path:  # a window is read from the store instead: current
                assert found.status_code == 200 and STALE_HEADER not in found.headers
                assert len(found.json()) == int(found.headers["X-Total-Count"])
            else:
                assert problem(found, 503)["type"] == "urn:luocdo:problem:report_building"
