"""``api.slots.FairSlots``: slots go to waiters in the order they asked."""

from __future__ import annotations

import threading
import time

import pytest

from api.slots import FairSlots

WAIT = 5.0


def test_a_released_slot_goes_to_the_waiter_not_back_to_its_holder() -> None:
    # regression (session 13): with threading.Semaphore the background fill, asking
    # again right after each batch, could take the slot back ahead of a waiting report
    slots = FairSlots(1)
    order: list[str] = []
    slots.acquire()  # the fill holds the slot
    waiter_in = threading.Event()

    def report() -> None:
        waiter_in.set()
        with slots:
            order.append("report")

    thread = threading.Thread(target=report)
    thread.start()
    assert waiter_in.wait(WAIT)
    time.sleep(0.05)  # the report is now waiting for the slot
    slots.release()
    with slots:  # the fill asks again at once
        order.append("fill")
    thread.join(WAIT)
    assert order == ["report", "fill"]


def test_waiters_are_served_in_order() -> None:
    slots = FairSlots(1)
    order: list[int] = []
    slots.acquire()
    threads = []

    def take(n: int) -> None:
        with slots:
            order.append(n)

    for n in range(5):
        thread = threading.Thread(target=take, args=(n,))
        thread.start()
        threads.append(thread)
        time.sleep(0.02)  # each asks after the one before
    slots.release()
    for thread in threads:
        thread.join(WAIT)
    assert order == [0, 1, 2, 3, 4]


def test_several_slots_are_held_at_once() -> None:
    slots = FairSlots(2)
    slots.acquire()
    slots.acquire()
    third = threading.Thread(target=slots.acquire)
    third.start()
    third.join(0.1)
    assert third.is_alive(), "a third holder waits"
    slots.release()
    third.join(WAIT)
    assert not third.is_alive()


def test_no_slot_is_refused() -> None:
    with pytest.raises(ValueError):
        FairSlots(0)
