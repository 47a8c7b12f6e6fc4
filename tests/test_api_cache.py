"""``api.cache.AnswerCache``: bounded, LRU, shared computations, cleared by writes."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest

from api.cache import AnswerCache


def _run(cache: AnswerCache, keys: Sequence[str]) -> list[str]:
    """Ask for ``keys`` in order; return the keys that had to be computed."""
    computed: list[str] = []

    async def ask(key: str) -> str:
        async def compute() -> str:
            computed.append(key)
            return key.upper()
        return str(await cache.get(key, compute))

    async def main() -> None:
        for key in keys:
            assert await ask(key) == key.upper()

    asyncio.run(main())
    return computed


@pytest.mark.parametrize(("size", "keys", "computed"), [
    (2, "aa", "a"),  # the second ask is remembered
    (2, "abab", "ab"),
    (2, "abca", "abca"),  # c pushed a out (least recently used)
    (2, "abac", "abc"),  # a was used again, so c pushed b out ...
    (2, "abacb", "abcb"),  # ... and b must be computed again
    (1, "aab", "ab"),
    (0, "aa", "aa"),  # a cache of size 0 keeps nothing
])
def test_least_recently_used_is_dropped(size: int, keys: str, computed: str) -> None:
    assert "".join(_run(AnswerCache(size), list(keys))) == computed


def test_clear_forgets() -> None:
    cache = AnswerCache(10)
    assert _run(cache, ["a"]) == ["a"]
    cache.clear()
    assert _run(cache, ["a"]) == ["a"] and len(cache) == 1


def test_concurrent_misses_share_one_computation() -> None:
    cache = AnswerCache(10)
    calls = 0

    async def compute() -> int:
        nonlocal calls
        calls += 1
        await asyncio.sleep(0.01)
        return 42

    async def main() -> list[int]:
        return list(await asyncio.gather(*(cache.get("k", compute) for _ in range(20))))

    assert asyncio.run(main()) == [42] * 20
    assert calls == 1 and cache.misses == 1


def test_a_failure_is_not_kept() -> None:
    cache = AnswerCache(10)
    attempts = 0

    async def compute() -> int:
        nonlocal attempts
        attempts += 1
        if attempts == 1:
            raise RuntimeError("timeout")
        return 7

    async def main() -> int:
        with pytest.raises(RuntimeError):
            await cache.get("k", compute)
        return int(await cache.get("k", compute))

    assert asyncio.run(main()) == 7 and attempts == 2


def test_an_answer_computed_across_a_write_is_not_kept() -> None:
    cache = AnswerCache(10)

    async def main() -> None:
        started = asyncio.Event()
        release = asyncio.Event()

        async def slow() -> str:
            started.set()
            await release.wait()
            return "old"

        task = asyncio.ensure_future(cache.get("k", slow))
        await started.wait()
        cache.clear()  # a write lands while the old answer is being computed
        release.set()
        assert await task == "old"  # the caller that asked before the write gets it
        assert len(cache) == 0  # but it is not served to later callers

    asyncio.run(main())


def test_negative_size_is_refused() -> None:
    with pytest.raises(ValueError):
        AnswerCache(-1)
