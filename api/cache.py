"""Answers of read-only tasks, kept until the store changes.

The API's per-document answers (``/documents/{id}``, its ``/graph``, ``/trace``,
``/outlines/{id}``) are pure functions of the store's contents. ``AnswerCache`` keeps
the most recently used ones, keyed by the store generation (``AppState.generation``,
bumped after every write) and the task with its arguments, so a repeated request costs
a dictionary lookup instead of a dozen SPARQL queries. It holds at most ``max_entries``
answers and drops the least recently used first; a write empties it.

Concurrent requests for the same missing answer share one computation (the first
starts it, the others await the same future), so a burst of clients asking for one
popular document runs its queries once.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Any

__all__ = ["AnswerCache", "entity_tag"]


def entity_tag(body: bytes) -> str:
    """The HTTP ``ETag`` (quoted) of a kept answer's bytes."""
    return entity_tag_of(tag_digest(body))


def tag_digest(body: bytes = b"") -> Any:
    """The digest ``entity_tag`` makes of ``body`` (``update`` it with more bytes: a
    file written a chunk at a time is tagged as its whole bytes would be)."""
    return hashlib.blake2b(body, digest_size=12)


def entity_tag_of(digest: Any) -> str:
    """The ``ETag`` of the bytes ``digest`` (``tag_digest``) was given."""
    return f'"{digest.hexdigest()}"'


class AnswerCache:
    """Least-recently-used answers of one store generation (see the module docstring)."""

    def __init__(self, max_entries: int) -> None:
        if max_entries < 0:
            raise ValueError("max_entries must be 0 or more")
        self.max_entries = max_entries
        self._answers: OrderedDict[Hashable, Any] = OrderedDict()
        self._pending: dict[Hashable, asyncio.Future[Any]] = {}
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._answers)

    def clear(self) -> None:
        """Forget every answer (after a write). Computations under way are not kept."""
        self._answers.clear()
        self._pending.clear()

    def _remember(self, key: Hashable, value: Any) -> None:
        if self.max_entries == 0:
            return
        self._answers[key] = value
        self._answers.move_to_end(key)
        while len(self._answers) > self.max_entries:
            self._answers.popitem(last=False)

    async def get(self, key: Hashable, compute: Callable[[], Awaitable[Any]]) -> Any:
        """The answer for ``key``: remembered, or awaited from ``compute()`` and kept.

        A failed computation is not kept: the next caller tries again.
        """
        if key in self._answers:
            self.hits += 1
            self._answers.move_to_end(key)
            return self._answers[key]
        pending = self._pending.get(key)
        if pending is None:
            self.misses += 1
            pending = asyncio.ensure_future(compute())
            self._pending[key] = pending
            pending.add_done_callback(lambda done: self._settle(key, done))
        # shield: a caller that gives up (client gone) does not cancel the shared work
        return await asyncio.shield(pending)

    def _settle(self, key: Hashable, done: asyncio.Future[Any]) -> None:
        if self._pending.get(key) is not done:
            return  # cleared by a write meanwhile: the answer may be stale
        del self._pending[key]
        if not done.cancelled() and done.exception() is None:
            self._remember(key, done.result())
