"""``luocdo ingest / query / export / validate / stats``: the graph store from the shell.

The lead composes these into ``api.cli.main``; ``python -m api.cli_graph`` runs them
standalone. Every command takes ``--store DIR|URL`` (``store_option``): a directory
for an on-disk Oxigraph store, ``:memory:``, or a SPARQL 1.1 endpoint URL; the
default is ``$LUOCDO_STORE`` or ``<user data dir>/luocdo/store``.
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click
import regex
from rdflib import Literal, URIRef
from rdflib.term import Node
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from api.cli_common import CliContext, cli_context
from api.i18n import default_lang, t
from graph.queries import list_queries, run_named
from graph.results import QueryResult, dumps_json
from graph.store import EXPORT_FORMATS, GraphStore, StoreError, open_store
from ingest.models import IngestError

if TYPE_CHECKING:
    from graph.pipeline import Landed

__all__ = ["export", "file_line", "ingest", "query", "stats", "store_option", "validate"]

F = TypeVar("F", bound=Callable[..., Any])

# Messages of these commands: key → (vi, en). api/i18n.py holds the shared ones.
_MESSAGES: dict[str, tuple[str, str]] = {
    "ingesting": ("Đang nạp", "Ingesting"),
    "landed": ("đã nạp", "landed"),
    "failed": ("lỗi", "failed"),
    "status": ("Trạng thái", "Status"),
    "reason": ("Lý do", "Reason"),
    "n_documents": ("Số văn bản", "Documents"),
    "summary": (
        "{ok} tệp đã nạp, {failed} tệp lỗi; {resolved} văn bản nhắc không kèm ngày "
        "đã đối chiếu được.",
        "{ok} files landed, {failed} failed; {resolved} undated mentions resolved.",
    ),
    "file_landed": ("đã nạp: {path} ({n} văn bản)", "landed: {path} ({n} documents)"),
    "file_failed": ("lỗi: {path}: {reason}", "failed: {path}: {reason}"),
    "moved": ("Đã bỏ đồ thị của tệp đã chuyển chỗ: {path}",
              "Dropped the graph of a file that moved: {path}"),
    "no_rows": ("Không có kết quả.", "No results."),
    "rows": ("{n} dòng", "{n} rows"),
    "conforms": ("Dữ liệu hợp lệ theo các ràng buộc SHACL.",
                 "The data conforms to the SHACL shapes."),
    "violations": ("{n} vi phạm ràng buộc SHACL:", "{n} SHACL violations:"),
    "shape": ("Ràng buộc", "Shape"),
    "focus": ("Nút", "Focus node"),
    "path": ("Thuộc tính", "Path"),
    "message": ("Thông báo", "Message"),
    "exported": ("Đã ghi {n} byte vào {path}", "Wrote {n} bytes to {path}"),
    "store_error": ("Lỗi kho dữ liệu", "Store error"),
    "bad_query": ("Truy vấn không hợp lệ", "Bad query"),
    "bad_param": ("Tham số phải có dạng tên=giá trị: {p}", "A parameter must read name=value: {p}"),
    "named_queries": ("Truy vấn có sẵn", "Named queries"),
    "name": ("Tên", "Name"),
    "params": ("Tham số", "Parameters"),
    "description": ("Mô tả", "Description"),
    "stat": ("Chỉ số", "Measure"),
    "count": ("Số lượng", "Count"),
    "sources": ("Tệp nguồn", "Source files"),
    "citations": ("Trích dẫn", "Citations"),
    "obligations": ("Nghĩa vụ", "Obligations"),
    "sections": ("Mục đề cương", "Outline sections"),
    "evidence": ("Chứng cứ", "Evidence"),
    "triples": ("Bộ ba RDF", "RDF triples"),
    "by_type": ("Văn bản theo loại", "Documents by type"),
    "need_query": ("Cần một truy vấn: SPARQL, tệp .rq hoặc tên truy vấn có sẵn (--list).",
                   "Give a query: SPARQL text, an .rq file or a named query (--list)."),
}


def _m(key: str, lang: str, **values: object) -> str:
    vi, en = _MESSAGES[key]
    return (en if lang == "en" else vi).format(**values)


def store_option(f: F) -> F:
    """``--store DIR|URL`` and ``--base-iri IRI`` for a command that opens the store."""
    f = click.option(
        "--base-iri", default=None, metavar="IRI",
        help="Base IRI of minted IRIs (default: $LUOCDO_BASE_IRI or https://data.luocdo.vn/).",
    )(f)
    return click.option(
        "--store", "store_spec", default=None, metavar="DIR|URL",
        help="Store directory, ':memory:', or SPARQL endpoint URL "
             "(default: $LUOCDO_STORE or the user data folder).",
    )(f)


@contextmanager
def _opened(cc: CliContext, spec: str | None, base: str | None) -> Iterator[GraphStore]:
    """Open the store, print a clear error and exit 1 when that fails."""
    try:
        store = open_store(spec, base=base)
    except (StoreError, ValueError) as exc:
        cc.err.print(f"[red]{_m('store_error', cc.lang)}:[/red] {escape(str(exc))}")
        raise SystemExit(1) from exc
    try:
        yield store
    except StoreError as exc:
        cc.err.print(f"[red]{_m('store_error', cc.lang)}:[/red] {escape(str(exc))}")
        raise SystemExit(1) from exc
    finally:
        store.close()


# --- ingest -----------------------------------------------------------------------------------

# Control characters (a newline or tab in a file name or a reason): written as \xNN, so
# each file stays on one line of the log.
_CONTROL = regex.compile(r"\p{Cc}")


def _one_line(text: str) -> str:
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def file_line(outcome: Landed | IngestError, lang: str) -> str:
    """The log line of one ingested file: where it is, and its documents or its error."""
    if isinstance(outcome, IngestError):
        reason = outcome.reason + (f" ({outcome.hint})" if outcome.hint else "")
        return _m("file_failed", lang, path=_one_line(outcome.path), reason=_one_line(reason))
    return _m("file_landed", lang, path=_one_line(outcome.path), n=outcome.documents)


def _file_logger(cc: CliContext) -> Callable[[Landed | IngestError], None] | None:
    """One line per file on stdout, flushed at once, when stdout is not a terminal.

    On a terminal the transient progress bar shows the run and the table sums it up;
    in a log (a pipe, a file, a service journal) these lines say what landed even when
    the run is killed before its summary.
    """
    if cc.console.is_terminal:
        return None

    def log(outcome: Landed | IngestError) -> None:
        cc.console.print(file_line(outcome, cc.lang), markup=False, soft_wrap=True)
        cc.console.file.flush()

    return log


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--max-bytes", type=click.IntRange(min=1), default=None,
              help="Refuse files larger than this many bytes (default: 50 MB).")
@store_option
@click.pass_context
def ingest(ctx: click.Context, paths: tuple[Path, ...], max_bytes: int | None,
           store_spec: str | None, base_iri: str | None) -> None:
    """Extract PATHS (files and folders, recursively) and store one graph per file."""
    from graph.pipeline import ingest_paths

    cc = cli_context(ctx)
    lang = cc.lang
    with _opened(cc, store_spec, base_iri) as store, Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
        TextColumn("{task.fields[path]}"), console=cc.err, transient=True,
    ) as bar:
        task = bar.add_task(_m("ingesting", lang), total=None, path="")

        def tick(done: int, total: int, path: str) -> None:
            bar.update(task, completed=done, total=total, path=Path(path).name)

        summary = ingest_paths(store, list(paths), base=base_iri, progress=tick,
                               max_bytes=max_bytes, on_file=_file_logger(cc))
    table = Table(title=t("summary", lang))
    for col in (t("file", lang), _m("n_documents", lang), _m("status", lang)):
        table.add_column(col, overflow="fold")
    for landed in summary.landed:
        table.add_row(escape(landed.path), str(landed.documents),
                      f"[green]{_m('landed', lang)}[/green]")
    for err in summary.failed:
        reason = err.reason + (f" ({err.hint})" if err.hint else "")
        table.add_row(escape(err.path), "-", f"[red]{_m('failed', lang)}[/red]: {escape(reason)}")
    cc.console.print(table)
    for moved in summary.moved:
        cc.console.print(_m("moved", lang, path=escape(moved.path)))
    cc.console.print(_m("summary", lang, ok=len(summary.landed), failed=len(summary.failed),
                        resolved=summary.resolved))
    ctx.exit(1 if summary.failed else 0)


# --- query ------------------------------------------------------------------------------------

_INTEGER = regex.compile(r"^-?\d+$")


def _param_term(value: str) -> Node:
    """A ``--param`` value for raw SPARQL: ``<iri>`` → IRI, digits → integer, else a string."""
    if value.startswith("<") and value.endswith(">"):
        return URIRef(value[1:-1])
    if _INTEGER.match(value):
        return Literal(int(value))
    return Literal(value)


def _parse_params(cc: CliContext, params: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for p in params:
        name, sep, value = p.partition("=")
        if not sep or not name.strip():
            raise click.UsageError(_m("bad_param", cc.lang, p=p))
        out[name.strip().lstrip("?$")] = value
    return out


def _run(store: GraphStore, text: str, params: dict[str, str], limit: int | None = None,
         offset: int = 0) -> QueryResult:
    names = {q.name for q in list_queries()}
    if text in names:
        given: dict[str, object] = dict(params)
        return run_named(store, text, limit=limit, offset=offset, **given)
    path = Path(text)
    if path.suffix == ".rq" and path.is_file():
        text = path.read_text(encoding="utf-8")
    return store.query(text, {k: _param_term(v) for k, v in params.items()} or None)


_SHORT = (("https://w3id.org/luocdo/ontology#", "lo:"),
          ("https://w3id.org/luocdo/shapes#", "lsh:"),
          ("http://data.europa.eu/eli/ontology#", "eli:"),
          ("http://www.w3.org/2001/XMLSchema#", "xsd:"))


def _show(term: Node | None, base: str = "") -> str:
    """A term for a table cell: known namespaces as prefixes, the base IRI left out."""
    if term is None:
        return ""
    text = str(term)
    if isinstance(term, URIRef):
        for ns, prefix in _SHORT:
            if text.startswith(ns):
                return prefix + text[len(ns):]
        if base and text.startswith(base):
            return text[len(base):]
    return " ".join(text.split())


def _print_table(cc: CliContext, result: QueryResult, base: str) -> None:
    if result.kind == "ask":
        cc.console.print("true" if result.boolean else "false")
        return
    if result.kind == "graph":
        graph = result.graph
        cc.console.print(graph.serialize(format="turtle") if graph is not None else "",
                         markup=False)
        return
    if not result.rows:
        cc.console.print(_m("no_rows", cc.lang))
        return
    table = Table(caption=_m("rows", cc.lang, n=len(result.rows)))
    for v in result.vars:
        table.add_column(v, overflow="fold")
    for row in result.rows:
        table.add_row(*(escape(_show(row.get(v), base)) for v in result.vars))
    cc.console.print(table)


def _write_result(cc: CliContext, result: QueryResult, fmt: str, base: str) -> None:
    if fmt == "table":
        _print_table(cc, result, base)
    elif fmt == "csv":
        sys.stdout.write(result.to_csv())
    elif result.kind == "graph":
        graph = result.graph
        sys.stdout.write(graph.serialize(format="json-ld") if graph is not None else "[]")
        sys.stdout.write("\n")
    else:
        sys.stdout.write(dumps_json(result) + "\n")


def _list_named(cc: CliContext) -> None:
    table = Table(title=_m("named_queries", cc.lang))
    for col in ("name", "params", "description"):
        table.add_column(_m(col, cc.lang), overflow="fold")
    for q in list_queries():
        params = ", ".join(f"{p.name}{'?' if p.optional else ''} ({p.kind})" for p in q.params)
        table.add_row(q.name, params, escape(q.description))
    cc.console.print(table)


@click.command()
@click.argument("text", metavar="QUERY", required=False)
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
              show_default=True, help="json and csv: the SPARQL 1.1 results formats.")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind ?NAME (repeatable). Named queries say how values are read.")
@click.option("--list", "show_list", is_flag=True, help="List the named queries.")
@click.option("--limit", type=click.IntRange(min=0), default=None,
              help="Named queries: at most this many rows (a page).")
@click.option("--offset", type=click.IntRange(min=0), default=0,
              help="Named queries: skip this many rows first.")
@store_option
@click.pass_context
def query(ctx: click.Context, text: str | None, fmt: str, params: tuple[str, ...],
          show_list: bool, limit: int | None, offset: int, store_spec: str | None,
          base_iri: str | None) -> None:
    """Run QUERY: SPARQL text, an .rq file, or the name of a named query."""
    cc = cli_context(ctx)
    if show_list:
        _list_named(cc)
        return
    if not text:
        raise click.UsageError(_m("need_query", cc.lang))
    values = _parse_params(cc, params)
    with _opened(cc, store_spec, base_iri) as store:
        try:
            result = _run(store, text, values, limit, offset)
        except (ValueError, KeyError) as exc:
            cc.err.print(f"[red]{_m('bad_query', cc.lang)}:[/red] {escape(str(exc))}")
            ctx.exit(2)
        _write_result(cc, result, fmt, store.base)


# --- export, validate, stats ------------------------------------------------------------------


def _export_bytes(store: GraphStore, fmt: str, with_ontology: bool) -> bytes:
    if fmt != "graphml":
        return store.export(fmt, ontology=with_ontology)
    import networkx as nx

    from graph.project import projection

    buffer = io.BytesIO()
    nx.write_graphml(projection(store), buffer, encoding="utf-8")
    return buffer.getvalue()


@click.command()
@click.option("--format", "fmt", type=click.Choice([*EXPORT_FORMATS, "graphml"]),
              default="trig", show_default=True,
              help="ttl/nt: one merged graph; trig/nq/jsonld: named graphs kept; "
                   "graphml: the document network for Gephi.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write (default: standard output).")
@click.option("--with-ontology", is_flag=True, help="Include the ontology graph.")
@store_option
@click.pass_context
def export(ctx: click.Context, fmt: str, output: Path | None, with_ontology: bool,
           store_spec: str | None, base_iri: str | None) -> None:
    """Write the whole graph in one RDF format, or the document network as GraphML."""
    cc = cli_context(ctx)
    with _opened(cc, store_spec, base_iri) as store:
        data = _export_bytes(store, fmt, with_ontology)
    if output is None or str(output) == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        output.write_bytes(data)
        cc.err.print(_m("exported", cc.lang, n=len(data), path=escape(str(output))))


@click.command()
@store_option
@click.pass_context
def validate(ctx: click.Context, store_spec: str | None, base_iri: str | None) -> None:
    """Check the stored data against the SHACL shapes (exit 1 on violations)."""
    from ontology.load import validate as shacl_validate

    cc = cli_context(ctx)
    with _opened(cc, store_spec, base_iri) as store:
        report = shacl_validate(store.instance_graph())
        base = store.base
    if report.conforms:
        cc.console.print(f"[green]{_m('conforms', cc.lang)}[/green]")
        ctx.exit(0)
    found = report.violations()
    table = Table(title=_m("violations", cc.lang, n=len(found)))
    for col in ("shape", "focus", "path", "message"):
        table.add_column(_m(col, cc.lang), overflow="fold")
    for v in found:
        table.add_row(escape(_show(v.shape)), escape(_show(v.focus, base)),
                      escape(_show(v.path)), escape(v.message(cc.lang)))
    cc.console.print(table)
    ctx.exit(1)


def _type_slugs() -> dict[str, str]:
    """Concept IRI → document type slug (``lo:type-chi-thi`` → ``chi-thi``)."""
    from ontology.load import type_concept
    from ontology.terms import DOC_TYPES

    return {str(type_concept(t.slug)): t.slug for t in DOC_TYPES}


@click.command()
@click.option("--json", "as_json", is_flag=True,
              help="Print the counts as JSON (documents by type slug under by_type).")
@store_option
@click.pass_context
def stats(ctx: click.Context, as_json: bool, store_spec: str | None,
          base_iri: str | None) -> None:
    """Count sources, documents, citations, obligations and triples in the store."""
    cc = cli_context(ctx)
    with _opened(cc, store_spec, base_iri) as store:
        counts = store.stats()
        by_type = run_named(store, "stats")
    if as_json:
        slugs = _type_slugs()
        per_type = {slugs.get(str(r.get("docType")), "unknown"): int(str(r["documents"]))
                    for r in by_type}
        json.dump({**counts, "by_type": per_type}, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    table = Table(title=t("summary", cc.lang))
    table.add_column(_m("stat", cc.lang))
    table.add_column(_m("count", cc.lang), justify="right")
    for key, n in counts.items():
        label = t("documents", cc.lang) if key == "documents" else _m(key, cc.lang)
        table.add_row(label, str(n))
    cc.console.print(table)
    types = Table(title=_m("by_type", cc.lang))
    types.add_column(t("type", cc.lang))
    types.add_column(_m("count", cc.lang), justify="right")
    for r in by_type:
        types.add_row(escape(str(r.get("label") or t("unknown", cc.lang))), str(r["documents"]))
    cc.console.print(types)


# --- standalone entry point (python -m api.cli_graph) -----------------------------------------


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--lang", type=click.Choice(["vi", "en"]), default=None,
              help="Language of human-readable output (default: vi, or $LUOCDO_LANG).")
@click.pass_context
def cli(ctx: click.Context, lang: str | None) -> None:
    """The graph commands of luocdo on their own."""
    ctx.obj = CliContext(lang=lang or default_lang())


for _command in (ingest, query, export, validate, stats):
    cli.add_command(_command)

if __name__ == "__main__":
    cli()
