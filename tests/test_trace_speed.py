"""graph.trace's faster read path gives the answers of the read path it replaced.

The oracle is ``graph/trace.py`` as committed before the change (``ORACLE_REV``), read
from git into a module of its own at test time (``benchmarks.bench_trace.load_module``,
which also reads from that revision a named query the current code no longer uses).
For every section of every outline of each corpus, both traces must give the same
``TraceResult.as_dict()``, or the same error with the same payload; also for a number
the outline lacks, for a symbol it does not know, for the symbol typed NFD and for
the number typed loosely ("iii. 8.").
"""

from __future__ import annotations

import subprocess
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from test_trace_scale import CORPORA, ROOT, _store, _Whole

from graph.trace import trace

# The last commit that changed graph/trace.py before its reads were reshaped.
ORACLE_REV = "a7eb55053b463a21f27171ed8642ac6b33913aa2"


@pytest.fixture(scope="module")
def oracle(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    """``graph/trace.py`` at ``ORACLE_REV`` as a module (skips without that git history)."""
    from benchmarks.bench_trace import load_module

    found = subprocess.run(["git", "show", f"{ORACLE_REV}:graph/trace.py"], cwd=ROOT,
                           capture_output=True, text=True, check=False)
    if found.returncode != 0:
        pytest.skip(f"git history with {ORACLE_REV[:10]} is absent: {found.stderr.strip()}")
    path = tmp_path_factory.mktemp("oracle") / "trace_oracle.py"
    path.write_text(found.stdout, encoding="utf-8")
    return load_module(path, ORACLE_REV)


def _outcome(run: Callable[..., Any], store: Any, symbol: str, number: str) -> tuple[str, Any]:
    """The answer as plain data, or the error's class name and what it carries."""
    try:
        return ("ok", run(store, symbol, number).as_dict())
    except LookupError as err:
        payload = [getattr(err, k, None) for k in ("symbol", "number", "available")]
        candidates = [d.iri for d in getattr(err, "candidates", ())]
        return (type(err).__name__, (payload, candidates))


def _asks(whole: _Whole) -> Iterator[tuple[str, str]]:
    """(symbol or key, number) of every outline section, plus lookups that must fail
    or that are typed differently."""
    seen: set[tuple[str, str]] = set()
    for s in whole.sections:
        owner = whole.docs.get(s.owner or "")
        if owner is None:
            continue
        for name in sorted({n for n in (owner.key, owner.symbol) if n}):
            for ask in ((name, s.number), (name, "XCIX.99"),
                        (unicodedata.normalize("NFD", name), s.number.lower() + ".")):
                if ask not in seen:
                    seen.add(ask)
                    yield ask
    yield ("9999/XYZ-ABC", "I")


def _compare(store: Any, oracle: ModuleType, reference: Any = None) -> int:
    """``trace`` on ``store`` answers as the oracle on ``reference`` (default: ``store``),
    for every ask about the outlines of ``reference``."""
    reference = store if reference is None else reference
    asks = list(_asks(_Whole.read(reference)))
    assert len(asks) > 1, "no outline section to trace"
    for symbol, number in asks:
        assert _outcome(trace, store, symbol, number) == _outcome(
            oracle.trace, reference, symbol, number), (symbol, number)
    return len(asks)


@pytest.mark.parametrize("corpus", ["samples", "seeds", "synthetic-outline"])
def test_same_answers_as_before(corpus: str, oracle: ModuleType, tmp_path: Path) -> None:
    assert _compare(_store(CORPORA[corpus](tmp_path)), oracle) > 1


@pytest.mark.slow
@pytest.mark.parametrize(("corpus", "synthetic"), [("synthetic-outline", 300), ("samples", 300)])
def test_same_answers_among_related_synthetic_documents(
    corpus: str, synthetic: int, oracle: ModuleType, tmp_path: Path
) -> None:
    """With documents citing the same roots (placeholders, twins, longer chains)."""
    assert _compare(_store(CORPORA[corpus](tmp_path), synthetic), oracle) > 1


def test_oracle_is_the_old_read_path(oracle: ModuleType) -> None:
    """The comparison above can fail: the oracle really is the other implementation."""
    assert hasattr(oracle._Reader, "section_index")
    assert not hasattr(oracle._Reader, "tree")
    assert oracle.trace is not trace


@pytest.fixture(params=["memory", pytest.param("remote", marks=pytest.mark.remote)])
def samples_store(request: pytest.FixtureRequest) -> Any:
    """The samples in an Oxigraph store, and in the test SPARQL endpoint when there is one
    (Virtuoso: ``trace_outline_nodes`` must give there the rows it gives on Oxigraph)."""
    from graph.pipeline import ingest_paths

    factory = "memory_store" if request.param == "memory" else "remote_store"
    made = request.getfixturevalue(factory)()
    made.ensure_ontology()
    ingest_paths(made, [str(p) for p in CORPORA["samples"](Path("."))])
    return made


def test_same_answers_on_each_store(samples_store: Any, oracle: ModuleType,
                                    tmp_path: Path) -> None:
    """On Virtuoso too, the answers the oracle gives on Oxigraph.

    Regression: the oracle itself fails on Virtuoso, which answers ``EXISTS`` and
    ``BOUND`` with 1/0, not true/false (trace_outline_tree's "is a section" flag found
    no section; trace_section_keys' flags no position), and cannot compile
    trace_hops ("Internal error" on ``BOUND`` in its projection). trace_outline_nodes
    reads the type itself, and chain steps are read whole by trace_citations.
    """
    reference = _store(CORPORA["samples"](tmp_path))
    assert _compare(samples_store, oracle, reference) > 1
