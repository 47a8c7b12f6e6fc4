"""``luocdo backup`` and ``luocdo restore``: save a store to one file and load it back.

The lead composes these into ``api.cli.main``; ``python -m api.cli_admin`` runs them
standalone. The file format and its checks are described in ``graph.backup``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from rich.markup import escape

from api.cli_common import CliContext, cli_context
from api.cli_graph import store_option
from api.i18n import default_lang
from graph.backup import BackupError, BackupInfo, verify
from graph.backup import backup as backup_store
from graph.backup import restore as restore_store
from graph.store import GraphStore, StoreError, open_store

__all__ = ["backup", "restore"]

# Messages of these commands: key → (vi, en).
_MESSAGES: dict[str, tuple[str, str]] = {
    "saved": (
        "Đã sao lưu {graphs} đồ thị ({quads} bộ bốn) vào {path}",
        "Backed up {graphs} graphs ({quads} quads) to {path}",
    ),
    "restored": (
        "Đã khôi phục {graphs} đồ thị ({quads} bộ bốn) từ {path}",
        "Restored {graphs} graphs ({quads} quads) from {path}",
    ),
    "dropped": (
        "Đã bỏ {n} đồ thị không có trong bản sao lưu",
        "Dropped {n} graphs the backup does not hold",
    ),
    "checked": (
        "Bản sao lưu {path} nguyên vẹn: {graphs} đồ thị, {quads} bộ bốn (sha256 {sha})",
        "Backup {path} is intact: {graphs} graphs, {quads} quads (sha256 {sha})",
    ),
    "backup_error": ("Lỗi sao lưu", "Backup error"),
    "store_error": ("Lỗi kho dữ liệu", "Store error"),
}


def _m(key: str, lang: str, **values: object) -> str:
    vi, en = _MESSAGES[key]
    return (en if lang == "en" else vi).format(**values)


def _fail(cc: CliContext, key: str, exc: Exception) -> SystemExit:
    cc.err.print(f"[red]{_m(key, cc.lang)}:[/red] {escape(str(exc))}", soft_wrap=True)
    return SystemExit(1)


@contextmanager
def _store(cc: CliContext, spec: str | None, base: str | None) -> Iterator[GraphStore]:
    """Open the store; print a clear error and exit 1 when that or a request fails."""
    try:
        store = open_store(spec, base=base)
    except (StoreError, ValueError) as exc:
        raise _fail(cc, "store_error", exc) from exc
    try:
        yield store
    except StoreError as exc:
        raise _fail(cc, "store_error", exc) from exc
    except BackupError as exc:
        raise _fail(cc, "backup_error", exc) from exc
    finally:
        store.close()


def _report(cc: CliContext, key: str, info: BackupInfo) -> None:
    cc.console.print(
        _m(key, cc.lang, graphs=info.graphs, quads=info.quads, path=escape(str(info.path)),
           sha=info.sha256[:16]),
        soft_wrap=True,
    )


@click.command("backup")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (N-Quads; a name ending in .gz is compressed).")
@store_option
@click.pass_context
def backup(ctx: click.Context, output: Path, store_spec: str | None,
                   base_iri: str | None) -> None:
    """Save every graph of the store to one self-checking N-Quads file."""
    cc = cli_context(ctx)
    with _store(cc, store_spec, base_iri) as store:
        info = backup_store(store, output)
    _report(cc, "saved", info)


@click.command("restore")
@click.argument("backup_file", metavar="FILE",
                type=click.Path(dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True,
              help="Allow a non-empty store: it becomes exactly the backup.")
@click.option("--check", is_flag=True,
              help="Only check that FILE is a complete, undamaged backup.")
@store_option
@click.pass_context
def restore(ctx: click.Context, backup_file: Path, replace: bool, check: bool,
                    store_spec: str | None, base_iri: str | None) -> None:
    """Load a backup made by ``luocdo backup`` into the store."""
    cc = cli_context(ctx)
    if check:
        try:
            _report(cc, "checked", verify(backup_file))
        except BackupError as exc:
            raise _fail(cc, "backup_error", exc) from exc
        return
    with _store(cc, store_spec, base_iri) as store:
        info = restore_store(store, backup_file, replace=replace)
    _report(cc, "restored", info)
    if info.dropped:
        cc.console.print(_m("dropped", cc.lang, n=len(info.dropped)), soft_wrap=True)


# --- standalone entry point (python -m api.cli_admin) -----------------------------------------


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--lang", type=click.Choice(["vi", "en"]), default=None,
              help="Language of human-readable output (default: vi, or $LUOCDO_LANG).")
@click.pass_context
def cli(ctx: click.Context, lang: str | None) -> None:
    """The store administration commands of luocdo on their own."""
    ctx.obj = CliContext(lang=lang or default_lang())


cli.add_command(backup)
cli.add_command(restore)

if __name__ == "__main__":
    cli()
