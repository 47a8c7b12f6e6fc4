"""``luocdo extract`` and the extraction part of ``luocdo demo``."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

import click
from rich.table import Table

from api.cli_common import CliContext, cli_context
from api.i18n import relation_label, t
from ingest.extract import extract_file
from ingest.models import FileResult, IngestError
from ingest.read import display_path
from ingest.serialize import file_dict
from ingest.walk import iter_inputs


def extract_paths(
    paths: Iterable[str | Path], *, max_bytes: int | None = None
) -> tuple[list[FileResult], list[IngestError]]:
    """Extract every input file; a broken file is recorded, the rest still run."""
    results: list[FileResult] = []
    errors: list[IngestError] = []
    for item in iter_inputs(list(paths)):
        if isinstance(item, IngestError):
            errors.append(item)
            continue
        try:
            results.append(extract_file(item, max_bytes=max_bytes))
        except IngestError as exc:
            errors.append(exc)
        except Exception as exc:  # one bad file must not stop a batch
            errors.append(
                IngestError(display_path(item), f"internal error: {type(exc).__name__}: {exc}")
            )
    return results, errors


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (the contract).")
@click.option("--max-bytes", type=click.IntRange(min=1), default=None,
              help="Refuse files larger than this many bytes (default: 50 MB).")
@click.pass_context
def extract(
    ctx: click.Context, paths: tuple[Path, ...], as_json: bool, max_bytes: int | None
) -> None:
    """Extract documents, citations, obligations and outlines from PATHS."""
    cc = cli_context(ctx)
    results, errors = extract_paths(paths, max_bytes=max_bytes)
    for err in errors:
        cc.err.print(f"[red]{t('error', cc.lang)}:[/red] {err}", markup=True, soft_wrap=True)
    if as_json:
        payload = {
            "files": [file_dict(r) for r in results],
            "errors": [{"path": e.path, "reason": e.reason, "hint": e.hint} for e in errors],
        }
        json.dump(payload, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for r in results:
            print_file(cc, r)
    # Last line, on stderr (stdout may be JSON): what landed and what did not.
    cc.err.print(
        f"{t('summary', cc.lang)}: {len(results)} {t('files_ok', cc.lang)}, "
        f"{len(errors)} {t('files_failed', cc.lang)}"
    )
    ctx.exit(1 if errors else 0)


def print_file(cc: CliContext, r: FileResult) -> None:
    lang = cc.lang
    cc.console.rule(f"{t('file', lang)}: {r.path}")
    if not r.documents:
        cc.console.print(t("no_documents", lang))
    for d in r.documents:
        head = Table(show_header=False, box=None)
        for label, value in (
            ("symbol", d.symbol),
            ("type", d.doc_type),
            ("issuer", d.issuer),
            ("date", d.date.isoformat() if d.date else None),
            ("title", d.title),
            ("signer", d.signer),
            ("attached_to", d.attached_to),
        ):
            head.add_row(f"[bold]{t(label, lang)}[/bold]", _s(value, lang))
        cc.console.print(head)
        _print_citations(cc, d.citations)
        if d.obligations:
            tbl = Table(title=t("obligations", lang))
            for col in ("bearer", "recipient", "deadline", "frequency"):
                tbl.add_column(t(col, lang))
            for o in d.obligations:
                tbl.add_row(
                    _s(o.bearer, lang),
                    _s(o.recipient, lang),
                    _s(o.deadline, lang),
                    _s(o.frequency, lang),
                )
            cc.console.print(tbl)
        if d.outline:
            tbl = Table(title=t("outline", lang))
            tbl.add_column(t("section", lang))
            tbl.add_column(t("title", lang), overflow="fold")
            tbl.add_column(t("references", lang))
            for s in d.outline:
                tbl.add_row(s.number, s.title[:80], ", ".join(s.references))
            cc.console.print(tbl)


def _print_citations(cc: CliContext, citations: Iterable[object]) -> None:
    from ingest.models import Citation

    rows = [c for c in citations if isinstance(c, Citation)]
    if not rows:
        return
    lang = cc.lang
    tbl = Table(title=t("citations", lang))
    for col in ("symbol", "type", "date", "relation", "quote"):
        tbl.add_column(t(col, lang), overflow="fold")
    for c in rows:
        tbl.add_row(
            _s(c.symbol or c.name, lang),
            _s(c.doc_type, lang),
            _s(c.date.isoformat() if c.date else None, lang),
            relation_label(str(c.relation), lang),
            " ".join(c.span.text.split())[:90],
        )
    cc.console.print(tbl)


def _s(value: object, lang: str) -> str:
    return t("unknown", lang) if value in (None, "") else str(value)


def sample_dir() -> Path:
    """Folder of the sample corpus shipped inside the package."""
    return Path(str(resources.files("ingest") / "samples"))
