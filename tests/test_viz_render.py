"""visualizations.render: offline assets, escaping, CSP, vis records, performance settings."""

from __future__ import annotations

import base64
import hashlib
import json
from html.parser import HTMLParser
from typing import Any

import pytest

from ontology.terms import Relation
from visualizations.facts import Corpus, DocInfo, LinkInfo
from visualizations.model import View
from visualizations.render import (
    LARGE,
    Links,
    performance_options,
    render_page,
    seed_positions,
    vis_edge,
    vis_node,
)
from visualizations.style import HIGHLIGHT
from visualizations.views import corpus_view_of, neighbourhood_of

EVIL_TITLE = "<script>alert(1)</script> & <img src=x onerror=alert(1)>"
EVIL_ISSUER = '"><svg onload=alert(2)>'


class _Page(HTMLParser):
    """Tags with their attributes, and the text of every <script>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._open: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._open = dict(attrs)
            self.scripts.append((self._open, ""))

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._open = None


def _parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def _corpus(n: int = 3) -> Corpus:
    docs = {f"urn:doc:{i}": DocInfo(f"urn:doc:{i}", f"{i}/CT-TTg", f"{i}/CT-TTG@2024",
                                    None, "chi-thi", EVIL_TITLE if i == 1 else f"Văn bản {i}",
                                    EVIL_ISSUER if i == 1 else "Bộ Nội vụ", i % 2 == 0)
            for i in range(1, n + 1)}
    links = tuple(LinkInfo(f"urn:doc:{i}", f"urn:doc:{(i * 7) % n + 1}",
                           (Relation.IMPLEMENTS,), 1) for i in range(1, n + 1)
                  if (i * 7) % n + 1 != i)
    return Corpus(docs, links)


def _view(n: int = 3) -> View:
    return corpus_view_of(_corpus(n), max_nodes=max(n, 1))


def test_inline_page_loads_nothing_from_anywhere() -> None:
    html = render_page(_view(), assets="inline")
    page = _parse(html)
    assert [t for t, a in page.tags if "src" in a or "href" in a] == []
    assert [t for t, _ in page.tags if t == "link"] == []
    for word in ("cdnjs", "jsdelivr", "bootstrap.min", "unpkg"):
        assert word not in html.lower()
    assert "vis-network" in html and "@version 10." in html  # the vendored library, inlined


def test_inline_page_csp_allows_exactly_its_scripts() -> None:
    page = _parse(render_page(_view(), assets="inline"))
    csp = next(a["content"] for t, a in page.tags
               if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert csp is not None
    allowed = {part.rstrip(";") for part in csp.split() if part.startswith("'sha256-")}
    code = [text for attrs, text in page.scripts if attrs.get("type") != "application/json"]
    digests = {"'sha256-" + base64.b64encode(hashlib.sha256(t.encode()).digest()).decode()
               + "'" for t in code}
    assert len(code) == 2 and digests == allowed
    assert "default-src 'none'" in csp and "unsafe-eval" not in csp


def test_data_never_appears_as_markup() -> None:
    view = _view()
    html = render_page(view, assets="served")
    for raw in ("<script>alert", "<img src=x", "<svg onload"):
        assert raw not in html
    page = _parse(html)
    blocks = {a["id"]: text for a, text in page.scripts if a.get("type") == "application/json"}
    nodes = json.loads(blocks["explorer-nodes"])
    evil = next(n for n in nodes if n["id"] == "urn:doc:1")
    assert evil["meta"]["title"] == EVIL_TITLE and evil["meta"]["issuer"] == EVIL_ISSUER
    assert EVIL_TITLE in evil["meta"]["tooltip"]  # plain text; the page makes it a text node
    assert "title" not in evil  # no HTML tooltip string is handed to vis-network
    options = json.loads(json.loads(blocks["explorer-options"]))
    assert options["physics"]["enabled"] is True


def test_page_title_is_escaped() -> None:
    view = View(kind="corpus", title="<b>bold</b>", lang="vi", nodes=(), edges=())
    html = render_page(view)
    assert "<title>&lt;b&gt;bold&lt;/b&gt;" in html
    assert "<b>bold</b>" not in html


def test_served_page_links_the_static_assets() -> None:
    html = render_page(_view(), assets="served", static_url="/root/explore/static/",
                       links=Links())
    page = _parse(html)
    srcs = [a.get("src") for t, a in page.tags if t == "script" and a.get("src")]
    hrefs = [a.get("href") for t, a in page.tags if t == "link"]
    assert srcs == ["/root/explore/static/vendor/vis-network.min.js",
                    "/root/explore/static/explorer.js"]
    assert hrefs == ["/root/explore/static/explorer.css"]
    assert len(html) < 200_000  # the library is not inlined
    blocks = {a["id"]: text for a, text in page.scripts if a.get("type") == "application/json"}
    links = json.loads(blocks["explorer-page"])["links"]
    assert links == {"neighbourhood": "/explore/documents/{id}", "record": "/documents/{id}",
                     "depth": None}


def test_exported_page_without_links() -> None:
    page = _parse(render_page(_view(), assets="inline"))
    blocks = {a["id"]: text for a, text in page.scripts if a.get("type") == "application/json"}
    links = json.loads(blocks["explorer-page"])["links"]
    assert links["neighbourhood"] is None and links["record"] is None


@pytest.mark.parametrize(("nodes", "physics", "iterations", "smooth"), [
    (5, True, 400, True),
    (LARGE, True, 60, False),
    (1500, True, 25, False),
])
def test_performance_options(nodes: int, physics: bool, iterations: int, smooth: bool) -> None:
    opts = performance_options(_view(nodes))
    assert opts["physics"]["enabled"] is physics
    assert opts["physics"]["stabilization"]["iterations"] == iterations
    assert bool(opts["edges"]["smooth"]) is smooth
    assert opts["interaction"]["hideEdgesOnDrag"] is (nodes >= LARGE)
    assert opts["layout"]["improvedLayout"] is (nodes < LARGE)


def test_trace_views_are_hierarchical_without_physics() -> None:
    view = View(kind="trace", title="t", lang="vi", nodes=(), edges=(), layout="hierarchical")
    opts = performance_options(view)
    assert opts["physics"] == {"enabled": False}
    assert opts["layout"]["hierarchical"]["direction"] == "UD"


def test_large_pages_start_from_seed_positions() -> None:
    view = _view(LARGE + 20)
    seeds = seed_positions(view)
    assert seeds == seed_positions(view)  # deterministic
    assert set(seeds) == {n.id for n in view.nodes}
    assert len(set(seeds.values())) == len(seeds)  # no two nodes on one spot
    page = _parse(render_page(view, assets="served"))
    nodes = json.loads(next(t for a, t in page.scripts if a.get("id") == "explorer-nodes"))
    assert all("x" in n and "y" in n for n in nodes)


def test_small_pages_have_no_seed_positions() -> None:
    page = _parse(render_page(_view(5), assets="served"))
    nodes = json.loads(next(t for a, t in page.scripts if a.get("id") == "explorer-nodes"))
    assert all("x" not in n for n in nodes)


def _words() -> dict[str, str]:
    return {k: k for k in ("symbol", "type", "date", "issuer", "title")}


def test_vis_records_of_path_and_mentioned_nodes() -> None:
    docs = {f"urn:doc:{i}": DocInfo(f"urn:doc:{i}", f"{i}/CT-TTg", None, None, "chi-thi",
                                    None, None, i == 1) for i in (1, 2)}
    corpus = Corpus(docs, (LinkInfo("urn:doc:1", "urn:doc:2", (Relation.IMPLEMENTS,), 2),))
    view = neighbourhood_of(corpus, "urn:doc:1", 1)
    on_path: dict[str, Any] = vis_node(view.node("urn:doc:1"), on_path=True,
                                       tooltip_words=_words())
    mentioned: dict[str, Any] = vis_node(view.node("urn:doc:2"), on_path=False,
                                         tooltip_words=_words())
    assert on_path["color"]["border"] == HIGHLIGHT and on_path["borderWidth"] == 5
    assert mentioned["shapeProperties"] == {"borderDashes": [4, 3]}
    assert mentioned["color"]["background"] == "#ffffff"
    edge = next(e for e in view.edges if e.relation == "implements")
    plain = vis_edge(edge, labelled=True, lang="vi")
    assert plain["label"] == "triển khai thực hiện" and plain["meta"]["count"] == 2
    assert plain["meta"]["tooltip"] == "triển khai thực hiện (2)"
    from dataclasses import replace

    lit = vis_edge(replace(edge, highlighted=True), labelled=False, lang="en")
    assert lit["color"]["color"] == HIGHLIGHT and lit["width"] == 5.0 and "label" not in lit


@pytest.mark.parametrize("sink", ["innerHTML", "outerHTML", "insertAdjacentHTML",
                                  "document.write", "eval(", "new Function"])
def test_page_script_has_no_markup_sinks(sink: str) -> None:
    """explorer.js reaches the DOM only through textContent and createElement."""
    from visualizations.render import static_dir

    assert sink not in (static_dir() / "explorer.js").read_text(encoding="utf-8")
