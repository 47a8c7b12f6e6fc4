"""``luocdo demo``: ingest the bundled sample corpus, show what the graph knows, serve it."""

from __future__ import annotations

from pathlib import Path

import click
import networkx as nx
from rich.table import Table

from api.cli_common import CliContext, cli_context
from api.cli_extract import sample_dir
from api.i18n import t
from graph import iri
from graph.pipeline import forget_sources, ingest_paths
from graph.project import implementation_chain, merge_same_documents, projection
from graph.queries import run_named
from graph.store import GraphStore, default_store_path, open_store
from ontology.terms import doc_type

_MESSAGES: dict[str, tuple[str, str]] = {
    "ingesting": (
        "Nạp bộ văn bản mẫu vào kho {store} …",
        "Ingesting the sample corpus into {store} …",
    ),
    "landed": ("{ok} tệp đã nạp, {failed} tệp lỗi.", "{ok} files landed, {failed} failed."),
    "most_cited": ("Văn bản được trích dẫn nhiều nhất", "Most cited documents"),
    "cited_by": ("Số văn bản trích dẫn", "Cited by"),
    "chain": ("Chuỗi triển khai dài nhất:", "Longest implementation chain:"),
    "open": ("Mở trong trình duyệt:", "Open in a browser:"),
    "explorer": ("Khám phá đồ thị", "Graph explorer"),
    "api_docs": ("Tài liệu API", "API documentation"),
    "sparql": ("Điểm truy vấn SPARQL", "SPARQL endpoint"),
    "stop": ("Nhấn Ctrl+C để dừng.", "Press Ctrl+C to stop."),
}


def _m(key: str, lang: str, **values: object) -> str:
    vi, en = _MESSAGES[key]
    return (en if lang == "en" else vi).format(**values)


def demo_store_path() -> Path:
    """The demo's own store, beside the default one, so the demo never mixes with real data."""
    return default_store_path().parent / "demo-store"


def sample_files() -> list[Path]:
    """The sample documents (top level only: ``drafts/`` holds drafts to check, not ingest)."""
    return sorted(sample_dir().glob("*.txt"))


def _label(g: nx.DiGraph, node: str) -> str:
    attrs = g.nodes[node]
    return str(attrs.get("symbol") or attrs.get("title") or attrs.get("key") or node)


def _type_label(slug: object, lang: str) -> str:
    try:
        dt = doc_type(str(slug))
    except KeyError:
        return ""
    return dt.en if lang == "en" else dt.vi


def print_most_cited(cc: CliContext, store: GraphStore, g: nx.DiGraph, n: int = 5) -> None:
    """The ``n`` most cited documents with the store's own counts (``most_cited``: the
    figures the API and ``luocdo query`` give; a relation stated by a third document is
    not a citation by the document it names, so the projection's in-degree is not used)."""
    tbl = Table(title=_m("most_cited", cc.lang))
    tbl.add_column(t("symbol", cc.lang))
    tbl.add_column(t("type", cc.lang))
    tbl.add_column(_m("cited_by", cc.lang), justify="right")
    for row in run_named(store, "most_cited", limit=n).rows:
        node = str(row["doc"])
        label = str(row["symbol"]) if "symbol" in row else _label(g, node)
        doc_type = g.nodes[node].get("type") if node in g else None
        tbl.add_row(label, _type_label(doc_type, cc.lang), str(row["citedBy"]))
    cc.console.print(tbl)


def longest_chain(g: nx.DiGraph) -> list[str]:
    """The longest implementation chain in the graph (ties: by node id, deterministic)."""
    best: list[str] = []
    for node in sorted(g.nodes):
        for path in implementation_chain(g, node):
            if len(path) > len(best):
                best = path
    return best


def print_chain(cc: CliContext, g: nx.DiGraph, chain: list[str]) -> None:
    if len(chain) < 2:
        return
    cc.console.print(f"[bold]{_m('chain', cc.lang)}[/bold]")
    for depth, node in enumerate(chain):
        cc.console.print(f"{'  ' * depth}{'└─ ' if depth else ''}{_label(g, node)}")


def show_graph(cc: CliContext, store: GraphStore) -> None:
    g = merge_same_documents(projection(store))
    print_most_cited(cc, store, g)
    print_chain(cc, g, longest_chain(g))


@click.command()
@click.option("--store", "store_spec", default=None,
              help="Store directory (default: the demo's own store beside the default store).")
@click.option("--serve/--no-serve", default=True, show_default=True,
              help="Start the HTTP API and explorer after ingesting.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.pass_context
def demo(ctx: click.Context, store_spec: str | None, serve: bool, host: str, port: int) -> None:
    """Ingest the bundled sample corpus, print the most cited documents and a chain, serve it."""
    cc = cli_context(ctx)
    spec = store_spec or str(demo_store_path())
    cc.console.print(_m("ingesting", cc.lang, store=spec))
    with open_store(spec) as store:
        summary = ingest_paths(store, sample_files())
        if store_spec is None:  # the demo's own store holds this checkout's samples only
            kept = {iri.source_graph_iri(p, store.base) for p in sample_files()}
            kept |= {landed.source_iri for landed in summary.landed}
            forget_sources(store, {s.graph for s in store.sources() if s.graph not in kept})
        cc.console.print(_m("landed", cc.lang, ok=len(summary.landed), failed=len(summary.failed)))
        for err in summary.failed:
            cc.err.print(f"{t('error', cc.lang)}: {err}")
        show_graph(cc, store)
    if summary.failed:
        ctx.exit(1)
    if serve:
        _serve(cc, spec, host, port)


def _serve(cc: CliContext, spec: str, host: str, port: int) -> None:
    import uvicorn

    from api.app import create_app
    from api.settings import Settings

    app = create_app(Settings(store=spec))
    url = f"http://{host}:{port}"
    cc.console.print(f"\n{_m('open', cc.lang)}")
    cc.console.print(f"  {_m('explorer', cc.lang)}: {url}/explore")
    cc.console.print(f"  {_m('api_docs', cc.lang)}: {url}/docs")
    cc.console.print(f"  {_m('sparql', cc.lang)}: {url}/sparql")
    cc.console.print(_m("stop", cc.lang))
    uvicorn.run(app, host=host, port=port, log_level="warning")
