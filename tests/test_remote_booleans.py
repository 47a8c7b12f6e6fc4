"""SPARQL booleans read as text: Virtuoso writes EXISTS and BOUND as 1 / 0.

Regression: ``graph.reports`` compared the value of ``EXISTS`` with "true", so on
Virtuoso every outline held no section (``outline_sections`` answered nothing).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from graph.reports import outline_sections
from graph.results import truthy
from graph.store import OxigraphStore

SAMPLES = Path(__file__).resolve().parents[1] / "ingest" / "samples"


@pytest.mark.parametrize(("value", "expected"), [
    ("true", True), ("1", True), ("false", False), ("0", False), (None, False), ("", False),
    ("True", False),  # SPARQL writes booleans in lower case; anything else is not one
])
def test_truthy(value: Any, expected: bool) -> None:
    assert truthy(value) is expected


def _sections(store: Any) -> list[tuple[str, str]]:  # (number, title): IRIs differ by base
    from graph.pipeline import ingest_paths

    summary = ingest_paths(store, [str(p) for p in sorted(SAMPLES.glob("*.txt"))])
    assert not summary.failed
    return sorted((s.number, s.title) for s in outline_sections(store))


@pytest.mark.remote
def test_outline_sections_on_virtuoso_equal_oxigraph(
        remote_store: Callable[..., Any], memory_store: Callable[[], OxigraphStore]) -> None:
    remote, local = remote_store(), memory_store()
    remote_sections = _sections(remote)
    assert remote_sections, "no outline section found on the SPARQL endpoint"
    assert remote_sections == _sections(local)
