"""The ``ingest`` package as it was at an earlier commit, imported beside today's.

Speed passes over the extractor must not change its output; their tests compare every
file with the extractor of the commit before the pass. ``at_commit`` unpacks that
commit's ``ingest`` folder (``git archive``: nothing in the working tree or the git state
changes), renames its imports so the two packages never share a module (``ontology`` is
shared: it is not under test), and imports it as ``ingest_oracle``.
"""

from __future__ import annotations

import importlib
import io
import json
import subprocess
import sys
import tarfile
import types
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

import pytest
import regex

ROOT = Path(__file__).resolve().parents[1]
NAME = "ingest_oracle"


def archive(commit: str) -> bytes | None:
    """``git archive`` of ``commit``'s ``ingest`` folder, or None without git or the commit."""
    try:
        done = subprocess.run(
            ["git", "-C", str(ROOT), "archive", "--format=tar", commit, "ingest"],
            capture_output=True, check=False, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


@contextmanager
def at_commit(data: bytes, folder: Path, modules: Sequence[str]) -> Iterator[types.ModuleType]:
    """The package in ``data`` (an ``archive``), unpacked under ``folder`` and imported as
    ``ingest_oracle`` with its ``modules``; removed from ``sys.modules`` afterwards (an
    oracle another test module had imported under the same name is put back)."""
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(folder, filter="data")
    (folder / "ingest").rename(folder / NAME)
    for path in (folder / NAME).glob("*.py"):
        source = path.read_text(encoding="utf-8")
        path.write_text(regex.sub(r"\b(from|import) ingest\b", rf"\1 {NAME}", source),
                        encoding="utf-8")
    saved = {n: sys.modules.pop(n) for n in _loaded()}
    sys.path.insert(0, str(folder))
    try:
        package = importlib.import_module(NAME)
        for name in modules:
            importlib.import_module(f"{NAME}.{name}")
        yield package
    finally:
        sys.path.remove(str(folder))
        for name in _loaded():
            del sys.modules[name]
        sys.modules.update(saved)


def _loaded() -> list[str]:
    return [n for n in sys.modules if n == NAME or n.startswith(NAME + ".")]


def assert_same_output(oracle: types.ModuleType, texts: list[tuple[str, str]]) -> None:
    """Every (name, text) extracts to the same ``file_dict`` with today's extractor as with
    ``oracle``'s (compared as sorted JSON, so a difference shows where it is)."""
    from ingest.extract import extract_text
    from ingest.serialize import file_dict

    old_extract, old_dict = oracle.extract.extract_text, oracle.serialize.file_dict
    for name, text in texts:
        new = json.dumps(file_dict(extract_text(text, name)), ensure_ascii=False, sort_keys=True)
        old = json.dumps(old_dict(old_extract(text, name)), ensure_ascii=False, sort_keys=True)
        assert new == old, name


def normalised(texts: list[tuple[str, str]], form: Literal["NFC", "NFD"]
               ) -> list[tuple[str, str]]:
    """``texts`` in Unicode normal form ``form``."""
    return [(name, unicodedata.normalize(form, text)) for name, text in texts]


def oracle_fixture(commit: str, modules: Sequence[str]) -> Any:
    """A module-scoped pytest fixture giving ``commit``'s ``ingest`` package (with
    ``modules`` imported) as ``ingest_oracle``; skips when git or the commit is missing."""

    @pytest.fixture(scope="module")
    def oracle(tmp_path_factory: pytest.TempPathFactory) -> Iterator[types.ModuleType]:
        data = archive(commit)
        if data is None:
            pytest.skip(f"git or commit {commit} unavailable: no oracle to compare with")
        with at_commit(data, tmp_path_factory.mktemp("oracle"), modules) as package:
            yield package

    return oracle


def synthetic_texts(n: int, seed: int) -> list[tuple[str, str]]:
    """(name, text) of ``n`` synthetic documents (``benchmarks.synth``, ``seed``)."""
    from benchmarks.synth import generate_corpus

    texts = [(d.name, d.text) for d in generate_corpus(n, seed=seed)]
    assert len(texts) == n
    return texts


def sample_texts() -> list[tuple[str, str]]:
    """(name, text) of every bundled sample."""
    paths = sorted((ROOT / "ingest" / "samples").rglob("*.txt"))
    assert paths, "the samples are part of the repository"
    return [(p.name, p.read_text(encoding="utf-8")) for p in paths]


def seed_texts() -> list[tuple[str, str]]:
    """(name, text) of every seed document, and all of them joined as one more text
    (skips the test when the seed folder is absent)."""
    seeds = ROOT.parent / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.skip(f"seed folder {seeds} is absent")
    texts = [(p.name, p.read_text(encoding="utf-8")) for p in sorted(seeds.glob("*.txt"))]
    return [*texts, ("seeds", "\n\n".join(text for _, text in texts))]
