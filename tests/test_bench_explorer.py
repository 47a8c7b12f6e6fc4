"""``benchmarks.bench_explorer``'s synthetic corpus is the same in every process.

Regression: its citation targets were drawn into a set, whose order follows
``PYTHONHASHSEED``; the explorer's layout (seeded, but fed the links in that order) then
differed from run to run, and the 2,000-node browser test clicked a different node each time.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_DIGEST = """
import hashlib, sys
sys.path.insert(0, sys.argv[1])
from benchmarks.bench_explorer import synthetic_corpus
corpus = synthetic_corpus(300)
print(hashlib.sha256(repr((list(corpus.docs.items()), corpus.links)).encode()).hexdigest())
"""


def _digest(hash_seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    done = subprocess.run([sys.executable, "-c", _DIGEST, str(ROOT)], env=env, check=True,
                          capture_output=True, text=True, timeout=120)
    return done.stdout.strip()


def test_synthetic_corpus_does_not_depend_on_the_hash_seed() -> None:
    digests = {_digest(seed) for seed in ("1", "2", "10", "31")}
    assert len(digests) == 1, digests
