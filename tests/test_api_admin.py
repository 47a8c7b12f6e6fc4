"""Health, stats, sources; ingest and delete with the token; settings, CORS, errors, docs."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from test_api_support import (
    BASE,
    TOKEN,
    ClientFactory,
    api_client,
    client,
    problem,
    samples_nquads,
    samples_store,
)

from api.app import create_app
from api.routers.admin import upload_name
from api.settings import Settings
from graph.results import QueryResult
from graph.store import GraphStore, OxigraphStore

FIXTURES = (api_client, client, samples_nquads, samples_store)  # pytest fixtures, used by name

# An invented plan of an invented district, citing the sample directive.
PLAN = """ỦY BAN NHÂN DÂN
HUYỆN KIM SƠN
Số: 77/KH-UBND
Kim Sơn, ngày 03 tháng 3 năm 2025

KẾ HOẠCH
Triển khai Chỉ thị số 15/CT-TTg ngày 12/4/2024 của Thủ tướng Chính phủ

Thực hiện Chỉ thị số 15/CT-TTg ngày 12/4/2024 của Thủ tướng Chính phủ, Ủy ban nhân dân
huyện ban hành Kế hoạch như sau:
1. Các xã báo cáo kết quả về Phòng Nội vụ trước ngày 20/11/2025.

CHỦ TỊCH
Lê Văn Thử
""".encode()
AUTH = {"Authorization": f"Bearer {TOKEN}"}
# A whole-store report asked for as it is after this client's own write (without it, one
# being brought up to date is the answer before the write, marked X-Report-Stale)
CURRENT = {"Cache-Control": "no-cache"}


def test_health(client: TestClient) -> None:
    body = client.get("/health").json()
    answers = body.pop("document_answers")
    reports = body.pop("reports")
    assert body == {"status": "ok", "store": "oxigraph-memory", "runner": "threads",
                    "workers": 4, "generation": 0, "updates": False}
    assert reports["warming"] is True
    assert set(reports["built"]) <= {"obligations", "calendar", "conflicts", "submissions",
                                     "sources", "stats"}
    assert set(answers) == {"documents", "kept", "traces", "complete", "error"}
    assert answers["kept"] <= answers["documents"]


def test_health_reports_the_kept_answers_once_filled(client: TestClient) -> None:
    keeper = client.app.state.luocdo.document_answers  # type: ignore[attr-defined]
    assert keeper.wait(60), keeper.error
    answers = client.get("/health").json()["document_answers"]
    assert answers["complete"] is True and answers["error"] is None
    assert answers["kept"] == answers["documents"] > 0
    assert answers["traces"] > 0  # the samples attach outlines to letters


def test_health_without_kept_answers(api_client: ClientFactory) -> None:
    body = api_client(document_answers=False).get("/health").json()
    assert body["document_answers"] is None


def test_stats_and_sources(client: TestClient, samples_store: OxigraphStore) -> None:
    stats = client.get("/stats").json()
    assert {k: v for k, v in stats.items() if k != "by_type"} == samples_store.stats()
    assert stats["by_type"]["chi-thi"] >= 3
    sources = client.get("/sources").json()
    assert [s["path"] for s in sources] == [s.path for s in samples_store.sources()]
    assert all(s["graph"].endswith("/" + s["id"]) for s in sources)
    assert client.get("/sources").headers["x-total-count"] == str(len(sources))


def test_sources_come_a_page_at_a_time(client: TestClient,
                                       samples_store: OxigraphStore) -> None:
    every = [s.path for s in samples_store.sources()]
    assert len(every) >= 5
    seen, url = [], "/sources?limit=2"
    while url:
        response = client.get(url)
        assert response.headers["x-total-count"] == str(len(every))
        page = [s["path"] for s in response.json()]
        assert 1 <= len(page) <= 2
        seen += page
        link = response.headers.get("link")
        url = link.split(">")[0].removeprefix("<") if link else ""
    assert seen == every


REPORTS_04_06 = ["04_bao_cao_UBND_huyen_Tam_Lac.txt", "06_bao_cao_3790-BC-BNV_va_bang_tong_hop.txt"]


@pytest.mark.parametrize(("path", "expected"), [
    ("bao_cao", REPORTS_04_06),
    ("BÁO_CÁO", REPORTS_04_06),   # case and diacritics do not matter
    ("cong_van_2215", ["02_cong_van_2215-BNV-CQDP_va_de_cuong.txt"]),
    ("khong_co_tep_nay", []),
])
def test_sources_by_path(client: TestClient, path: str, expected: list[str]) -> None:
    response = client.get("/sources", params={"path": path})
    assert [s["path"].rpartition("/")[2] for s in response.json()] == expected
    assert response.headers["x-total-count"] == str(len(expected))


# --- ingest ----------------------------------------------------------------------------------


def _ingest(client: TestClient, files: list[tuple[str, bytes]],
            headers: dict[str, str] | None = None) -> Any:
    return client.post("/ingest", files=[("files", f) for f in files],
                       headers=AUTH if headers is None else headers)


@pytest.mark.parametrize(("settings", "headers", "status"), [
    ({}, AUTH, 403),  # no token configured: writes are off
    ({"update_token": TOKEN}, {}, 401),
    ({"update_token": TOKEN}, {"Authorization": "Bearer nope"}, 401),
    ({"update_token": TOKEN}, {"Authorization": f"Basic {TOKEN}"}, 401),
    ({"update_token": ""}, {"Authorization": "Bearer "}, 403),  # an empty token is none
])
def test_ingest_needs_the_token(api_client: ClientFactory, settings: dict[str, Any],
                                headers: dict[str, str], status: int) -> None:
    client = api_client(**settings)
    response = _ingest(client, [("plan.txt", PLAN)], headers)
    problem(response, status)
    assert TOKEN not in response.text
    assert client.get("/documents", params={"q": "77/KH-UBND"}).json()["total"] == 0


@pytest.mark.parametrize("workers", [0, 1], ids=["threads", "processes"])
def test_ingest_lands_and_search_sees_it(api_client: ClientFactory, workers: int,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    if workers:  # the index is synced in a query worker: the server never reads for it
        import api.deps

        def refused(store: Any) -> Any:
            raise AssertionError("the server read the store for the search index")

        monkeypatch.setattr(api.deps, "source_for", refused)
    client = api_client(update_token=TOKEN, query_workers=workers)
    assert client.get("/documents", params={"q": "kim son"}).json()["total"] == 0
    response = _ingest(client, [("../../etc/ke_hoach_77.txt", PLAN)])
    assert response.status_code == 200, response.text
    (landed,) = response.json()["files"]
    assert landed["status"] == "landed" and landed["documents"] == 1
    assert landed["name"] == "ke_hoach_77.txt"
    assert landed["source"]["path"] == "/uploads/ke_hoach_77.txt"
    found = client.get("/documents", params={"q": "ke hoach kim son"}).json()["items"]
    assert [d["symbol"] for d in found] == ["77/KH-UBND"]
    doc = client.get("/documents/77/KH-UBND@2025").json()
    assert any(c["symbol"] == "15/CT-TTg" and c["relation"] == "implements"
               for c in doc["cites"])
    assert client.get("/health").json()["generation"] == 1
    # the same name again replaces the earlier upload instead of adding a copy
    assert _ingest(client, [("ke_hoach_77.txt", PLAN)]).status_code == 200
    paths = [s["path"] for s in client.get("/sources", headers=CURRENT).json()]
    assert paths.count("/uploads/ke_hoach_77.txt") == 1


def test_broken_file_is_named_and_the_others_land(api_client: ClientFactory) -> None:
    client = api_client(update_token=TOKEN)
    response = _ingest(client, [("scan.pdf", b"%PDF-1.4\nnot really"),
                                ("plan.txt", PLAN)])
    body = problem(response, 422)
    files = {f["name"]: f for f in body["files"]}
    assert files["scan.pdf"]["status"] == "failed" and files["scan.pdf"]["reason"]
    assert files["plan.txt"]["status"] == "landed"
    assert client.get("/documents", params={"q": "77/KH-UBND"}).json()["total"] == 1


@pytest.mark.parametrize(("files", "status"), [
    ([("big.txt", PLAN * 10)], 413),
    ([], 422),
])
def test_ingest_limits(api_client: ClientFactory, files: list[tuple[str, bytes]],
                       status: int) -> None:
    client = api_client(update_token=TOKEN, max_upload_bytes=len(PLAN) * 5)
    problem(_ingest(client, files), status)


def test_declared_body_over_the_limit_is_refused_before_reading(
        api_client: ClientFactory) -> None:
    client = api_client(update_token=TOKEN, max_upload_bytes=100)
    response = client.post("/ingest", content=b"x" * 101, headers={
        **AUTH, "Content-Type": "multipart/form-data; boundary=x"})
    problem(response, 413)


@pytest.mark.parametrize(("filename", "expected"), [
    ("plan.txt", "plan.txt"),
    ("../../etc/passwd", "passwd"),
    ("C:\\Users\\a\\Kế hoạch.docx", "Kế hoạch.docx"),
    (".hidden", "upload-3.txt"),
    ("", "upload-3.txt"),
    (None, "upload-3.txt"),
])
def test_upload_name(filename: str | None, expected: str) -> None:
    assert upload_name(filename, 3) == expected


# --- delete ----------------------------------------------------------------------------------


def test_delete_source(api_client: ClientFactory) -> None:
    client = api_client(update_token=TOKEN)
    _ingest(client, [("plan.txt", PLAN)])
    listed = client.get("/sources", headers=CURRENT).json()
    (source,) = [s for s in listed if s["path"] == "/uploads/plan.txt"]
    problem(client.delete(f"/sources/{source['id']}"), 401)
    assert client.delete(f"/sources/{source['id']}", headers=AUTH).status_code == 204
    assert client.get("/documents", params={"q": "77/KH-UBND"}).json()["total"] == 0
    problem(client.delete(f"/sources/{source['id']}", headers=AUTH), 404)
    for never in ("../graph/provenance", "ZZ", "0" * 24):  # not an id; an id of nothing
        problem(client.delete(f"/sources/{never}", headers=AUTH), 404)


# --- settings, CORS, errors, docs ------------------------------------------------------------


def test_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LUOCDO_SERVICE_ALLOWLIST", "Query.Wikidata.org, dbpedia.org")
    monkeypatch.setenv("LUOCDO_CORS_ORIGINS", '["https://a.example"]')
    monkeypatch.setenv("LUOCDO_QUERY_TIMEOUT_S", "2.5")
    monkeypatch.setenv("LUOCDO_UPDATE_TOKEN", TOKEN)
    monkeypatch.setenv("LUOCDO_ENABLE_UPDATE", "true")
    settings = Settings()
    assert settings.service_allowlist == ["query.wikidata.org", "dbpedia.org"]
    assert settings.cors_origins == ["https://a.example"]
    assert settings.query_timeout_s == 2.5 and settings.enable_update is True
    assert isinstance(settings.update_token, SecretStr) and settings.token() == TOKEN
    assert TOKEN not in repr(settings) and TOKEN not in str(settings.model_dump())


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_every_setting_is_documented(name: str) -> None:
    from pathlib import Path

    table = (Path(__file__).resolve().parents[1] / "docs" / "api.md").read_text("utf-8")
    assert f"| `LUOCDO_{name.upper()}` |" in table, f"LUOCDO_{name.upper()} not in docs/api.md"


@pytest.mark.parametrize(("origins", "origin", "allowed"), [
    ([], "https://a.example", False),
    (["https://a.example"], "https://a.example", True),
    (["https://a.example"], "https://evil.example", False),
])
def test_cors_closed_unless_configured(api_client: ClientFactory, origins: list[str],
                                       origin: str, allowed: bool) -> None:
    client = api_client(cors_origins=origins)
    response = client.get("/health", headers={"Origin": origin})
    assert (response.headers.get("access-control-allow-origin") == origin) is allowed
    assert "access-control-allow-credentials" not in response.headers


def test_cors_exposes_the_paging_and_cache_headers(api_client: ClientFactory) -> None:
    """A browser script on an allowed origin can read the total, the next page and the
    ETag (/obligations pages; /documents/{id} answers carry an ETag)."""
    client = api_client(cors_origins=["https://a.example"])
    response = client.get("/obligations", params={"limit": 1},
                          headers={"Origin": "https://a.example"})
    exposed = {h.strip().lower() for h in
               response.headers["access-control-expose-headers"].split(",")}
    assert {"x-total-count", "link", "etag"} <= exposed
    assert response.headers["x-total-count"].isdigit()


class _BrokenStore(GraphStore):
    """A store whose queries fail in a way nobody planned for."""

    def _query(self, text: str) -> QueryResult:
        raise ZeroDivisionError("boom in the store")

    def _update(self, text: str) -> None:
        raise ZeroDivisionError("boom")

    def _replace(self, name: Any, triples: Any, prov: Any) -> None:
        raise ZeroDivisionError("boom")

    def close(self) -> None:
        pass


def test_unexpected_errors_are_a_plain_500(caplog: pytest.LogCaptureFixture) -> None:
    app = create_app(Settings(query_workers=0), _BrokenStore(BASE))
    with TestClient(app, raise_server_exceptions=False) as broken:
        response = broken.get("/stats")
    body = problem(response, 500)
    assert "boom" not in response.text and "ZeroDivisionError" not in response.text
    assert body["type"] == "urn:luocdo:problem:internal"
    assert "boom in the store" in caplog.text  # but the log has it


def test_openapi_and_offline_docs(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path in ("/sparql", "/documents", "/documents/{doc_id}", "/trace", "/obligations",
                 "/calendar.ics", "/conflicts", "/submissions", "/check", "/ingest",
                 "/sources/{source_id}", "/health", "/stats"):
        assert path in spec["paths"], path
    assert "DocumentDetail" in spec["components"]["schemas"]
    pytest.importorskip("swagger_ui_bundle")
    page = client.get("/docs")
    assert "/docs-assets/swagger-ui-bundle.js" in page.text and "cdn" not in page.text
    assert client.get("/docs-assets/swagger-ui-bundle.js").status_code == 200


@pytest.mark.parametrize(("method", "path", "status"), [
    ("GET", "/health", 503),
    ("GET", "/stats", 502),
    ("GET", "/documents?q=x", 502),
    ("GET", "/sparql?query=ASK%7B%7D", 502),
    ("GET", "/conflicts", 502),
])
def test_unreachable_remote_store(method: str, path: str, status: int) -> None:
    from graph.store import RemoteStore

    store = RemoteStore("http://127.0.0.1:1/sparql", base=BASE, timeout=2)
    app = create_app(Settings(query_workers=2), store)  # remote: threads, whatever asked
    with TestClient(app, raise_server_exceptions=False) as remote:
        body = problem(remote.request(method, path), status)
    assert body["type"] == "urn:luocdo:problem:store_error"
    store.close()


def test_kept_answers_are_dropped_by_a_write(api_client: ClientFactory) -> None:
    # regression guard for the answer cache (api.cache): a repeated read is served from
    # it, and no answer from before a write is served after it (a 404 included)
    client = api_client(update_token=TOKEN)
    answers = client.app.state.luocdo.answers  # type: ignore[attr-defined]
    directive = "/documents/" + "15%2FCT-TTG%402024"
    before = client.get(directive).json()
    assert client.get(directive).json() == before and answers.hits >= 1
    stats = client.get("/stats").json()
    assert client.get("/documents/77/KH-UBND@2025").status_code == 404
    assert client.get("/documents/77/KH-UBND@2025").status_code == 404
    assert _ingest(client, [("ke_hoach_77.txt", PLAN)]).status_code == 200
    assert client.get("/documents/77/KH-UBND@2025").status_code == 200
    after = client.get(directive).json()
    assert after["cited_by_total"] == before["cited_by_total"] + 1
    # the counts are a whole-store report: the current ones asked for (else, while they
    # are brought up to date, those before the write come marked X-Report-Stale)
    counted = client.get("/stats", headers={"Cache-Control": "no-cache"})
    assert counted.json()["documents"] > stats["documents"]
    assert "X-Report-Stale" not in counted.headers


@pytest.mark.parametrize("path", [
    "/documents/15%2FCT-TTG%402024",
    "/documents/15%2FCT-TTG%402024/graph?depth=2",
    "/outlines/2215/BNV-CQĐP",
    "/trace?document=2215/BNV-CQĐP&section=III.1",
])
def test_kept_answers_carry_an_etag(client: TestClient, path: str) -> None:
    first = client.get(path)
    assert first.status_code == 200 and first.headers["etag"].startswith('"')
    again = client.get(path, headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.headers["etag"] == first.headers["etag"]
    other = client.get(path, headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200 and other.json() == first.json()
    english = client.get(path + ("&" if "?" in path else "?") + "lang=en")
    assert english.status_code == 200  # a language is a key of its own
