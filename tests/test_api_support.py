"""Fixtures shared by the ``test_api_*`` modules (import them from here).

The bundled samples are extracted once per session into N-Quads *bytes* (immutable);
each test loads them into its own fresh in-memory store, so no test sees another's
writes. ``api_client`` builds an app per test (thread runner unless asked otherwise).
"""

from __future__ import annotations

import contextlib
import gc
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from graph.pipeline import ingest_paths
from graph.store import OxigraphStore

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "ingest" / "samples"
DRAFT = SAMPLES / "drafts" / "draft_incomplete.txt"
SEEDS = REPO.parent / "shared" / "seeds"
BASE = "https://data.luocdo.vn/"
TOKEN = "s3cret-token-for-tests"


def dump(paths: list[Path]) -> bytes:
    """Ingest ``paths`` into a scratch store and return its N-Quads."""
    import pyoxigraph as ox

    store = OxigraphStore(None, base=BASE)
    summary = ingest_paths(store, paths)
    assert summary.ok, summary.failed
    native = store.native
    assert native is not None
    data = native.dump(format=ox.RdfFormat.N_QUADS)
    assert data is not None
    return bytes(data)


def load(store: OxigraphStore, data: bytes) -> OxigraphStore:
    """Load N-Quads into ``store`` (through its pyoxigraph handle)."""
    import pyoxigraph as ox

    native = store.native
    assert native is not None
    native.load(data, format=ox.RdfFormat.N_QUADS)
    return store


@pytest.fixture(scope="session")
def samples_nquads() -> bytes:
    return dump(sorted(SAMPLES.glob("*.txt")))


@pytest.fixture(scope="session")
def seeds_nquads() -> bytes:
    if not SEEDS.is_dir():
        pytest.skip(f"seed documents not found in {SEEDS}")
    return dump(sorted(SEEDS.glob("*.txt")))


@pytest.fixture
def samples_store(memory_store: Callable[[], OxigraphStore],
                  samples_nquads: bytes) -> OxigraphStore:
    """A fresh in-memory store holding the bundled samples."""
    return load(memory_store(), samples_nquads)


ClientFactory = Callable[..., TestClient]


@pytest.fixture
def api_client(samples_store: OxigraphStore) -> Iterator[ClientFactory]:
    """Factory: ``api_client(store=None, **settings)`` → a started TestClient."""
    opened: list[TestClient] = []

    def make(store: OxigraphStore | None = None, **settings: Any) -> TestClient:
        settings.setdefault("query_workers", 0)
        settings.setdefault("base_iri", BASE)
        app = create_app(Settings(**settings), store if store is not None else samples_store)
        client = TestClient(app, raise_server_exceptions=False)
        client.__enter__()
        opened.append(client)
        return client

    yield make
    for client in opened:
        client.__exit__(None, None, None)
    gc.collect()


@pytest.fixture
def client(api_client: ClientFactory) -> TestClient:
    """A client over the samples with default settings (read-only, threads)."""
    return api_client()


def problem(response: Any, status: int) -> dict[str, Any]:
    """Assert ``response`` is a problem+json of ``status``; return the document."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["detail"] and "Traceback" not in response.text
    return body


# --- a real ``luocdo serve`` process on loopback -------------------------------------------------


def free_port() -> int:
    """A loopback port nobody listens on (now)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def wait_until(condition: Callable[[], bool], seconds: float = 60.0,
               what: str = "a condition") -> None:
    """Poll ``condition`` every 0.1 s; fail the test after ``seconds``."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def ready_workers(url: str) -> int:
    """Query workers ``/health`` reports (0 while the server does not answer)."""
    try:
        health = httpx.get(f"{url}/health", timeout=5)
    except httpx.HTTPError:
        return 0
    return int(health.json()["workers"]) if health.status_code == 200 else 0


def serve_command() -> list[str]:
    """``luocdo serve`` (the main group), else the same command from its own module."""
    try:
        from api.cli import main
    except ImportError:  # another command of the group is broken: not this test's concern
        return [sys.executable, "-m", "api.cli_serve"]
    if "serve" in main.commands:
        return [sys.executable, "-c", "from api.cli import main; main()", "serve"]
    return [sys.executable, "-m", "api.cli_serve"]


@contextlib.contextmanager
def serving(store: Path, log: Path, *, env: Mapping[str, str], workers: int,
            timeout: float) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``luocdo serve --store store`` on a free loopback port, its output in ``log``,
    with ``env`` over the environment (other ``LUOCDO_*`` variables left out); yields
    (URL, process) once ``workers`` query workers are ready, and stops it after."""
    port = free_port()
    full = {k: v for k, v in os.environ.items() if not k.startswith("LUOCDO_")}
    full |= {"PYTHONPATH": str(REPO), **env}
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [*serve_command(), "--store", str(store), "--host", "127.0.0.1",
             "--port", str(port), "--workers", str(workers), "--timeout", str(timeout),
             "--log-level", "info"],
            cwd=log.parent, env=full, stdout=sink, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"

    def up() -> bool:
        assert process.poll() is None, log.read_text(errors="replace")[-3000:]
        return ready_workers(url) == workers

    try:
        wait_until(up, 90, "the server")
        yield url, process
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


def count_whole_builds(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make the API's whole-store reports note their name each time one is built whole;
    returns the list they note into."""
    import api.deps
    import api.whole_store

    whole: list[str] = []
    real = api.whole_store.whole_store_reports

    def counted(rows: Any) -> dict[str, Any]:
        def count(name: str, task: Any) -> Any:
            def build(store: Any) -> Any:
                whole.append(name)
                return task(store)
            return build
        return {name: count(name, task) for name, task in real(rows).items()}

    monkeypatch.setattr(api.deps, "whole_store_reports", counted)
    return whole


@contextlib.contextmanager
def background_held(state: Any) -> Iterator[None]:
    """The server's background worker taken for the block (``AppState.background_run``):
    no report is brought up to date and nothing else of the background runs."""
    import threading

    held, release = threading.Event(), threading.Event()

    def hold(_store: Any) -> None:
        held.set()
        release.wait(60)

    busy = threading.Thread(target=state.background_run, args=(hold,),
                            kwargs={"timeout": 90})
    busy.start()
    try:
        assert held.wait(30), "the background worker is taken"
        yield
    finally:
        release.set()
        busy.join(60)
