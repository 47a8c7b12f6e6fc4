"""A semaphore that hands its slots out in the order they were asked for.

``threading.Semaphore`` lets a thread that releases a slot take it back at once, ahead
of a thread already waiting for it. The background work of the server (the fill of the
kept document answers, batch after batch, and the whole-store reports) shares a few
query workers; with a plain semaphore the fill, asking again right after each batch,
could keep a report waiting for the whole fill (minutes at 10⁵ documents). Here a
released slot goes to the longest waiter.
"""

from __future__ import annotations

import threading
from collections import deque
from types import TracebackType

__all__ = ["FairSlots"]


class FairSlots:
    """``slots`` slots, handed out first come, first served (a context manager)."""

    def __init__(self, slots: int) -> None:
        if slots < 1:
            raise ValueError("at least one slot")
        self._free = slots
        self._waiting: deque[threading.Event] = deque()
        self._lock = threading.Lock()

    def acquire(self) -> None:
        """Take a slot, waiting behind every earlier asker."""
        with self._lock:
            if self._free and not self._waiting:
                self._free -= 1
                return
            turn = threading.Event()
            self._waiting.append(turn)
        turn.wait()  # set by release, which hands its slot over directly

    def release(self) -> None:
        """Give the slot to the longest waiter, or back to the free ones."""
        with self._lock:
            if self._waiting:
                self._waiting.popleft().set()
            else:
                self._free += 1

    def __enter__(self) -> FairSlots:
        self.acquire()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release()
