"""Dependencies of the routers, each declared once as an ``Annotated`` alias.

``AppState`` is what ``create_app`` builds: the settings, the store, the query runner
and the per-generation caches (search index, document network). Every write through
the API calls ``AppState.after_write`` (new snapshot for the workers, caches dropped).
"""

from __future__ import annotations

import asyncio
import hmac
import threading
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.errors import Problem, request_lang
from api.query_runner import Runner, call
from api.search import SearchIndex, build_index, index_rows
from api.settings import Settings
from graph.store import GraphStore

__all__ = [
    "AppState",
    "AuthDep",
    "LangDep",
    "RunnerDep",
    "SettingsDep",
    "StateDep",
    "StoreDep",
    "bearer_token",
    "check_token",
    "get_state",
]

# Most answers ``AppState.cached`` keeps (a filter value is part of the key).
_MAX_CACHED = 32


@dataclass
class AppState:
    """Everything one app instance holds (``app.state.luocdo``)."""

    settings: Settings
    store: GraphStore
    runner: Runner
    owns_store: bool = False
    generation: int = 0
    write_lock: threading.Lock = field(default_factory=threading.Lock)
    _index: tuple[int, SearchIndex] | None = None
    _index_build: tuple[int, asyncio.Future[SearchIndex]] | None = None
    _network: tuple[int, Any] | None = None
    _answers: dict[tuple[int, str], Any] = field(default_factory=dict)

    async def run(self, fn: Any, *args: Any) -> Any:
        """``fn(store, *args)`` through the runner, within the query time limit."""
        return await call(self.runner, fn, *args)

    async def cached(self, fn: Any, *args: Any) -> Any:
        """``run(fn, *args)``, remembered until the next write (for whole-graph reports).

        ``args`` must be hashable; their ``repr`` is part of the key.
        """
        key = (self.generation, f"{fn.__module__}.{fn.__qualname__}{args!r}")
        if key not in self._answers:
            answer = await self.run(fn, *args)
            if key[0] == self.generation:
                kept = [(k, v) for k, v in self._answers.items() if k[0] == self.generation]
                self._answers = dict(kept[-(_MAX_CACHED - 1):])
                self._answers[key] = answer
            return answer
        return self._answers[key]

    async def index(self) -> SearchIndex:
        """The search index of the current generation (built on first use).

        Concurrent callers share one build (they all await the same task); a failed
        build is dropped, so the next caller starts a new one.
        """
        generation, cached = self.generation, self._index
        if cached is not None and cached[0] == generation:
            return cached[1]
        pending = self._index_build
        if pending is None or pending[0] != generation:
            pending = (generation, asyncio.ensure_future(self._build_index()))
            self._index_build = pending
        try:
            # shield: a caller that gives up (client gone) does not cancel the shared build
            index = await asyncio.shield(pending[1])
        finally:
            if self._index_build is pending and pending[1].done():
                self._index_build = None
        if generation == self.generation:
            self._index = (generation, index)
        return index

    async def _build_index(self) -> SearchIndex:
        return build_index(await self.run(index_rows), self.store.base)

    async def network(self) -> Any:
        """The document network (``graph.project.projection``) of the current generation."""
        from graph.project import projection

        generation, cached = self.generation, self._network
        if cached is not None and cached[0] == generation:
            return cached[1]
        network = await self.run(projection)
        self._network = (generation, network)
        return network

    def after_write(self) -> None:
        """Call (from a thread) after every write: new snapshot, caches invalidated."""
        self.runner.refresh()
        self.generation += 1
        self._index = None
        self._index_build = None
        self._network = None
        self._answers = {}

    def close(self) -> None:
        self.runner.close()
        if self.owns_store:
            self.store.close()


def get_state(request: Request) -> AppState:
    state: AppState = request.app.state.luocdo
    return state


def get_settings(request: Request) -> Settings:
    return get_state(request).settings


def get_store(request: Request) -> GraphStore:
    return get_state(request).store


def get_runner(request: Request) -> Runner:
    return get_state(request).runner


_bearer = HTTPBearer(auto_error=False, description="LUOCDO_UPDATE_TOKEN")


def check_token(settings: Settings, given: str | None) -> None:
    """Let a write through only when ``given`` is the configured update token.

    The token is compared in constant time and never logged or echoed.

    Raises:
        Problem: 403 when no token is configured, 401 when ``given`` is missing or wrong.
    """
    expected = settings.token()
    if expected is None:
        raise Problem(403, "writes_disabled")
    if not hmac.compare_digest((given or "").encode("utf-8"), expected.encode("utf-8")):
        raise Problem(401, "unauthorized",
                      headers={"WWW-Authenticate": 'Bearer realm="luocdo"'})


def bearer_token(request: Request) -> str | None:
    """The token of an ``Authorization: Bearer …`` header, if any."""
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" else None


def require_token(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """Dependency form of ``check_token`` (declares the bearer scheme in OpenAPI)."""
    check_token(get_settings(request), credentials.credentials if credentials else None)


StateDep = Annotated[AppState, Depends(get_state)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[GraphStore, Depends(get_store)]
RunnerDep = Annotated[Runner, Depends(get_runner)]
LangDep = Annotated[str, Depends(request_lang)]
AuthDep = Annotated[None, Depends(require_token)]
