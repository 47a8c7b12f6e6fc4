"""Seeded generator of a realistic synthetic corpus of Vietnamese official documents.

Text corpus (``generate_corpus``): each file is the extracted text of one document
(sometimes followed by an attached report outline) in one of four layouts seen in
real PDF/DOCX extractions, with its ground truth: own symbol and date, every cited
(symbol, date), deadlines, outline numbering and appendix-table rows. The same seed
always gives byte-identical text.

Record corpus (``generate_records``): the same documents as ``ingest.models`` records,
for graph benchmarks at 10⁵-10⁶ documents.

Command line::

    python -m benchmarks.synth --docs 1000 --seed 0 --out benchmarks/out/corpus-1k
    python -m benchmarks.synth --docs 1000000 --records   # time record generation only
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import random
import time
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

from benchmarks.synth_model import Cite, Deadline, DocTruth, SynthDoc
from benchmarks.synth_plan import plans
from benchmarks.synth_text import render
from ingest.models import FileResult

__all__ = [
    "Cite",
    "Deadline",
    "DocTruth",
    "SynthDoc",
    "generate_corpus",
    "generate_records",
    "truth_to_json",
    "write_corpus",
]


def _file_name(index: int, kind: str, symbol: str) -> str:
    safe = "".join(c if c.isalnum() else "_" for c in symbol)
    return f"{index:06d}_{kind}_{safe}.txt"


def generate_corpus(n_docs: int, seed: int = 0) -> Iterator[SynthDoc]:
    """Stream ``n_docs`` synthetic files with their ground truth.

    Args:
        n_docs: number of files (one main document each; some carry an attached outline).
        seed: generator seed; the same seed gives byte-identical files.

    Yields:
        ``SynthDoc(name, text, truth)``; documents cited by a file always come earlier in
        time, and roots (central documents) come first in the stream.

    Example:
        >>> first = next(generate_corpus(1, seed=0))
        >>> first.main.level
        0
    """
    for i, plan in enumerate(islice(plans(seed), n_docs)):
        text, truth = render(plan, random.Random(f"{seed}/{i}"))
        yield SynthDoc(_file_name(i, plan.kind.value, plan.ref.symbol), text, truth)


def generate_records(n_docs: int, seed: int = 0, *, start: int = 0) -> Iterator[FileResult]:
    """The same documents as ``ingest.models.FileResult`` records (see ``synth_records``).

    Args:
        n_docs: number of documents, counted from the start of the stream.
        seed: generator seed.
        start: first document to build (earlier ones are skipped cheaply).
    """
    from benchmarks.synth_records import generate_records as _records

    return _records(n_docs, seed, start=start)


def _json_default(value: object) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def truth_to_json(doc: SynthDoc) -> str:
    """One JSON line: the file name and the truth of each of its documents."""
    payload = {"name": doc.name, "truth": [dataclasses.asdict(t) for t in doc.truth]}
    return json.dumps(payload, ensure_ascii=False, default=_json_default)


def write_corpus(out_dir: str | Path, n_docs: int, seed: int = 0) -> Path:
    """Write ``n_docs`` files and ``truth.jsonl`` into ``out_dir``.

    Args:
        out_dir: folder to create (existing files of the same names are overwritten).
        n_docs: number of files.
        seed: generator seed.

    Returns:
        The folder written.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with (out / "truth.jsonl").open("w", encoding="utf-8") as truth:
        for doc in generate_corpus(n_docs, seed):
            (out / doc.name).write_text(doc.text, encoding="utf-8")
            truth.write(truth_to_json(doc) + "\n")
    return out


def _time_records(n_docs: int, seed: int) -> None:
    start = time.perf_counter()
    count = citations = 0
    for result in generate_records(n_docs, seed):
        count += 1
        citations += sum(len(d.citations) for d in result.documents)
    elapsed = time.perf_counter() - start
    print(f"{count} records, {citations} citations in {elapsed:.1f} s "
          f"({count / elapsed:,.0f} docs/s)")


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000, help="number of documents")
    parser.add_argument("--seed", type=int, default=0, help="generator seed")
    parser.add_argument("--out", type=Path, help="folder to write text files into")
    parser.add_argument("--records", action="store_true",
                        help="generate records instead of text and report the speed")
    args = parser.parse_args(argv)
    if args.records:
        _time_records(args.docs, args.seed)
        return
    out = args.out or Path("benchmarks/out") / f"corpus-{args.docs}-s{args.seed}"
    start = time.perf_counter()
    write_corpus(out, args.docs, args.seed)
    size = sum(p.stat().st_size for p in out.glob("*.txt"))
    print(f"wrote {args.docs} files ({size / 1e6:.1f} MB) to {out} in "
          f"{time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
