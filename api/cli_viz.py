"""``luocdo viz``: write the explorer page of one view to a self-contained HTML file.

::

    luocdo viz 33/CT-TTg --depth 2 -o page.html
    luocdo viz --trace 1432/BNV-CTTN III.8 -o trace.html
    luocdo viz --corpus -o corpus.html --lang en

The page inlines its CSS, its script and the vendored vis-network, so it opens from
disk with no network at all (its Content-Security-Policy forbids every fetch).
``--link-base http://host:8000`` adds links to a running API (neighbourhood pages and
``/documents/{id}`` records); without it the exported page has no links out.

Exit codes: 0 written, 2 usage errors (unknown or ambiguous document, unknown
section, store that cannot be opened). Register with ``register(main)``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

import click

from api.cli_common import CliContext, cli_context
from api.cli_graph import store_option
from graph.store import GraphStore, StoreError, open_store
from graph.trace import AmbiguousSymbol, UnknownSection, UnknownSymbol
from visualizations.model import View
from visualizations.render import Links, render_page
from visualizations.views import corpus_view, neighbourhood, trace_view

__all__ = ["register", "viz"]

# key: (vi, en)
MESSAGES: dict[str, tuple[str, str]] = {
    "one_view": ("Hãy chọn đúng một trong: DOCUMENT, --trace VĂN_BẢN MỤC, --corpus.",
                 "Give exactly one of: DOCUMENT, --trace DOC SECTION, --corpus."),
    "unknown_symbol": ("Không tìm thấy văn bản {symbol} trong đồ thị.",
                       "No document {symbol} in the graph."),
    "ambiguous_symbol": ("Có nhiều văn bản mang số ký hiệu {symbol}; hãy ghi rõ khóa: {keys}",
                         "Several documents carry symbol {symbol}; give the key: {keys}"),
    "unknown_section": ("Đề cương kèm theo {symbol} không có mục {section}. Các mục: {available}",
                        "The outline attached to {symbol} has no section {section}. "
                        "Sections: {available}"),
    "no_outline": ("{symbol} không có đề cương báo cáo kèm theo.",
                   "{symbol} has no report outline attached."),
    "store_error": ("Không mở được kho dữ liệu: {reason}", "Cannot open the store: {reason}"),
    "written": ("Đã ghi {path} ({nodes} nút, {edges} cạnh).",
                "Wrote {path} ({nodes} nodes, {edges} edges)."),
}


def _m(key: str, lang: str, **values: object) -> str:
    vi, en = MESSAGES[key]
    return (en if lang == "en" else vi).format(**values)


def _fail(cc: CliContext, text: str) -> NoReturn:
    cc.err.print(text, markup=False)
    raise SystemExit(2)


@contextmanager
def _opened(cc: CliContext, spec: str | None, base: str | None) -> Iterator[GraphStore]:
    try:
        store = open_store(spec, base=base)
    except (StoreError, ValueError, OSError) as exc:
        _fail(cc, _m("store_error", cc.lang, reason=str(exc)))
    try:
        yield store
    except StoreError as exc:
        _fail(cc, _m("store_error", cc.lang, reason=str(exc)))
    finally:
        store.close()


def _lookup_failed(cc: CliContext, exc: LookupError, symbol: str, section: str | None) -> NoReturn:
    lang = cc.lang
    if isinstance(exc, AmbiguousSymbol):
        keys = ", ".join(d.key or d.iri for d in exc.candidates)
        _fail(cc, _m("ambiguous_symbol", lang, symbol=symbol, keys=keys))
    if isinstance(exc, UnknownSection):
        if not exc.available:
            _fail(cc, _m("no_outline", lang, symbol=symbol))
        _fail(cc, _m("unknown_section", lang, symbol=symbol, section=section,
                     available=", ".join(exc.available)))
    _fail(cc, _m("unknown_symbol", lang, symbol=symbol))


def _links(base: str | None, depth: int) -> Links | None:
    if not base:
        return None
    root = base.rstrip("/")
    return Links(neighbourhood=f"{root}/explore/documents/{{id}}",
                 record=f"{root}/documents/{{id}}", depth=depth)


@click.command()
@click.argument("document", required=False)
@click.option("--depth", type=click.IntRange(0, 10), default=2, show_default=True,
              help="Citation hops around DOCUMENT.")
@click.option("--trace", "trace_args", nargs=2, metavar="DOC SECTION", default=None,
              help="Trace outline section SECTION of the outline attached to DOC.")
@click.option("--corpus", is_flag=True, help="The whole corpus (grouped when large).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="HTML file to write.")
@click.option("--lang", "lang", type=click.Choice(["vi", "en"]), default=None,
              help="Language of the page (default: the luocdo --lang, else vi).")
@click.option("--max-nodes", type=click.IntRange(1, 20000), default=1500, show_default=True,
              help="Corpus: most documents drawn one by one before grouping.")
@click.option("--cluster", type=click.Choice(["issuer", "type"]), default="issuer",
              show_default=True, help="Corpus: what large corpora are grouped by.")
@click.option("--link-base", metavar="URL", default=None,
              help="Base URL of a running luocdo API the page's links point to.")
@store_option
@click.pass_context
def viz(ctx: click.Context, document: str | None, depth: int,
        trace_args: tuple[str, str] | None, corpus: bool, output: Path, lang: str | None,
        max_nodes: int, cluster: str, link_base: str | None, store_spec: str | None,
        base_iri: str | None) -> None:
    """Write an explorer page (self-contained HTML) of DOCUMENT, a traced section or the corpus.

    DOCUMENT is a số ký hiệu (diacritics and case ignored) or an identity key.
    """
    cc = cli_context(ctx)
    if lang:
        cc = CliContext(lang=lang, console=cc.console, err=cc.err)
    if sum((document is not None, trace_args is not None, corpus)) != 1:
        _fail(cc, _m("one_view", cc.lang))
    with _opened(cc, store_spec, base_iri) as store:
        view = _build(cc, store, document, depth, trace_args, max_nodes, cluster)
    html = render_page(view, assets="inline", links=_links(link_base, depth))
    output.write_text(html, encoding="utf-8")
    cc.console.print(_m("written", cc.lang, path=output, nodes=len(view.nodes),
                        edges=len(view.edges)), markup=False)


def _build(cc: CliContext, store: GraphStore, document: str | None, depth: int,
           trace_args: tuple[str, str] | None, max_nodes: int, cluster: str) -> View:
    lang = cc.lang
    if trace_args is not None:
        symbol, section = trace_args
        try:
            return trace_view(store, symbol, section, lang=lang)
        except (UnknownSymbol, AmbiguousSymbol, UnknownSection) as exc:
            _lookup_failed(cc, exc, symbol, section)
    if document is not None:
        try:
            return neighbourhood(store, document, depth, lang=lang)
        except (UnknownSymbol, AmbiguousSymbol) as exc:
            _lookup_failed(cc, exc, document, None)
    return corpus_view(store, lang=lang, max_nodes=max_nodes, cluster_by=cluster)


def register(group: click.Group) -> None:
    """Add ``viz`` to ``group`` (the ``luocdo`` CLI)."""
    group.add_command(viz)
