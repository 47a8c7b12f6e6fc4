"""The corpora graph tests read: the samples, the seeds and synthetic text, ingested."""

from __future__ import annotations

from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "ingest" / "samples"
SEEDS = ROOT.parent / "shared" / "seeds"


def ingested(paths: list[Path]) -> Any:
    """A new in-memory store holding ``paths`` ingested (every one must land)."""
    from graph.pipeline import ingest_paths
    from graph.store import open_store

    store = open_store(":memory:")
    summary = ingest_paths(store, [str(p) for p in paths])
    assert not summary.failed, summary.failed
    return store


def synthetic_files(folder: Path, n: int, seed: int) -> list[Path]:
    """``n`` synthetic documents (``benchmarks.synth``, ``seed``) written under ``folder``."""
    from benchmarks.synth import generate_corpus

    paths = []
    for i, doc in enumerate(generate_corpus(n, seed)):
        path = folder / f"{i:03d}.txt"
        path.write_text(doc.text, encoding="utf-8")
        paths.append(path)
    return paths


def corpus_paths(corpus: str, folder: Path) -> list[Path]:
    """The files of ``corpus``: "samples", "seeds" (skips the test when the seed folder
    is absent) or "synthetic" (60 documents of seed 11, written under ``folder``)."""
    import pytest

    if corpus == "samples":
        return sorted(SAMPLES.glob("*.txt"))
    if corpus == "synthetic":
        return synthetic_files(folder, 60, 11)
    if not SEEDS.is_dir():
        pytest.skip(f"seed folder {SEEDS} is absent (it lives beside the repository)")
    return sorted(SEEDS.glob("*.txt"))


def asked_queries(module: Any, monkeypatch: Any) -> list[str]:
    """The named queries ``module`` runs through its ``bound_rows`` from now on, in order,
    and those it reads one row at a time (``stream_rows``) as ``stream:<name>``
    (``monkeypatch`` undoes the spies after the test)."""
    asked: list[str] = []
    real = module.bound_rows

    def spy(store: Any, name: str, **bound: Any) -> Any:
        asked.append(name)
        return real(store, name, **bound)

    monkeypatch.setattr(module, "bound_rows", spy)
    streamed = getattr(module, "stream_rows", None)
    if streamed is not None:
        def stream_spy(store: Any, name: str) -> Any:
            asked.append(f"stream:{name}")
            return streamed(store, name)

        monkeypatch.setattr(module, "stream_rows", stream_spy)
    return asked


# --- citation entries written as an older store holds them ------------------------------------

_ENTRY = "<https://w3id.org/luocdo/ontology#citationEntry>"
DROP_CITATION_ENTRIES = (f"DELETE {{ GRAPH ?g {{ ?c {_ENTRY} ?e }} }} "
                         f"WHERE {{ GRAPH ?g {{ ?c {_ENTRY} ?e }} }}")


def cut_citation_entries(store: Any, keep: int, *, first: int | None = None) -> int:
    """Every citation entry (or the ``first`` few, by citation IRI) cut to its ``keep``
    first values, as an older mapping wrote them, in one update; how many."""
    from rdflib import Literal

    page = "" if first is None else f" ORDER BY ?c LIMIT {first}"
    found = store.query(f"SELECT ?g ?c ?e WHERE {{ GRAPH ?g {{ ?c {_ENTRY} ?e }} }}" + page)
    ops = []
    for r in found.rows:
        g, c = r["g"].n3(), r["c"].n3()
        cut = Literal("\t".join(str(r["e"]).split("\t")[:keep]))
        ops += [f"DELETE DATA {{ GRAPH {g} {{ {c} {_ENTRY} {Literal(str(r['e'])).n3()} }} }}",
                f"INSERT DATA {{ GRAPH {g} {{ {c} {_ENTRY} {cut.n3()} }} }}"]
    if ops:
        store.update(" ;\n".join(ops))  # one request: the union is rebuilt once
    return len(found.rows)
