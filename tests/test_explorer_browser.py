"""The explorer in a real headless Chromium (Debian's ``/usr/bin/chromium`` + Playwright).

Every page is loaded with the network blocked: requests other than ``file:``/``data:``
(or the test server on 127.0.0.1) are aborted *and* recorded, and the tests assert that
none was attempted. Screenshots go to ``$LUOCDO_TEST_ARTIFACTS`` (default
``./test-artifacts``).

Clicking a node: the test asks vis-network where the node is drawn
(``getPositions`` → ``canvasToDOM``, rounded to the whole pixel a mouse event carries),
checks with ``getNodeAt`` that this pixel hits that node (the layout is frozen after
stabilisation, with a fixed random seed), then clicks there with the real mouse, so
vis-network's own click handling is what is exercised.
"""

from __future__ import annotations

import itertools
import os
import socket
import threading
import time
import unicodedata
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, URIRef

from graph.store import OxigraphStore
from ingest.clean import fold
from ontology.terms import Relation
from visualizations.facts import Corpus, DocInfo, LinkInfo
from visualizations.model import View
from visualizations.render import Links, render_page
from visualizations.style import HIGHLIGHT
from visualizations.views import corpus_view, corpus_view_of, neighbourhood, trace_view

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "ingest" / "samples"
SEEDS = ROOT.parent / "shared" / "seeds"
SEED_002 = "002_53c9a83512b58783.txt"
EVIL_TITLE = "<script>alert(1)</script> & <img src=x onerror=alert(1)>"
EVIL_ISSUER = '"><img src=y onerror=alert(2)>'
EVIL_SYMBOL = "1/CT-TTg<svg onload=alert(3)>"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(),
                       reason=f"{CHROMIUM} is absent (Debian package chromium)"),
]

# Installed before any page script: an alert trap and a CSP-violation log.
_TRAPS = """
window.__alerts = [];
window.alert = function (m) { window.__alerts.push(String(m)); };
window.__csp = [];
document.addEventListener('securitypolicyviolation',
  function (e) { window.__csp.push(e.violatedDirective + ' ' + e.blockedURI); });
"""


# --- stores and pages --------------------------------------------------------------------------


@cache
def _graphs(*paths: str) -> tuple[tuple[str, tuple[Any, ...]], ...]:
    from graph.pipeline import ingest_paths

    store = OxigraphStore(None)
    ingest_paths(store, list(paths))
    graphs: dict[str, list[Any]] = {}
    for s, p, o, g in store.quads(ontology=True):
        graphs.setdefault(str(g), []).append((s, p, o))
    store.close()
    return tuple(sorted((g, tuple(ts)) for g, ts in graphs.items()))


def _store(paths: list[Path]) -> OxigraphStore:
    store = OxigraphStore(None)
    for name, triples in _graphs(*(str(p) for p in paths)):
        graph = Graph()
        for t in triples:
            graph.add(t)
        store.replace_source(URIRef(name), graph)
    return store


def _samples() -> OxigraphStore:
    return _store(sorted(SAMPLES.glob("*.txt")))


def _artifacts() -> Path:
    folder = Path(os.environ.get("LUOCDO_TEST_ARTIFACTS", "test-artifacts"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class Watched:
    """A page with everything it tried to reach, said and opened recorded."""

    def __init__(self, page: Any, allowed: tuple[str, ...]) -> None:
        self.page = page
        self.requests: list[str] = []
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("dialog", self._dialog)

        def route(r: Any) -> None:
            if r.request.url.startswith(allowed):
                r.continue_()
            else:
                self.blocked.append(r.request.url)
                r.abort()

        page.route("**/*", route)
        page.add_init_script(_TRAPS)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, url: str) -> None:
        self.page.goto(url)
        self.page.wait_for_selector("body[data-ready]", state="attached", timeout=120_000)

    def js(self, expression: str, arg: Any = None) -> Any:
        return self.page.evaluate(expression, arg)

    def assert_clean(self, allowed: tuple[str, ...]) -> None:
        outside = [u for u in self.requests if not u.startswith(allowed)]
        assert outside == [] and self.blocked == []
        assert self.errors == []
        assert self.dialogs == [] and self.js("window.__alerts") == []
        assert self.js("window.__csp") == []

    def shot(self, name: str) -> Path:
        path = _artifacts() / f"explorer-{name}.png"
        self.page.screenshot(path=str(path))
        return path


LOCAL = ("file:", "data:")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def tab(browser: Any) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    yield Watched(context.new_page(), LOCAL)
    context.close()


def _exported(tab: Watched, view: View, tmp_path: Path, links: Links | None = None) -> None:
    path = tmp_path / "page.html"
    path.write_text(render_page(view, assets="inline", links=links), encoding="utf-8")
    tab.open(path.as_uri())


# Where a node is drawn, in whole page pixels: a mouse event carries integer coordinates,
# so the hit is checked at the pixel the click will land on, not at the exact centre.
# (Regression: at 2,000 nodes a neighbour's edge lay between the centre and its pixel.)
_PIXEL_OF = """(id) => {
    const net = window.explorer.network;
    const c = net.canvasToDOM(net.getPositions([id])[id]);
    const box = net.body.container.querySelector('canvas').getBoundingClientRect();
    const x = Math.round(box.left + c.x), y = Math.round(box.top + c.y);
    const at = (dx, dy) => net.getNodeAt({x: x + dx - box.left, y: y + dy - box.top});
    return {x: x, y: y, hit: at(0, 0), at: at};
}"""


def _dom_point(tab: Watched, node_id: str) -> dict[str, Any]:
    return dict(tab.js(f"""id => {{
        const p = ({_PIXEL_OF})(id);
        return {{x: p.x, y: p.y, hit: p.hit}};
    }}""", node_id))


def _click_node(tab: Watched, node_id: str) -> None:
    point = _dom_point(tab, node_id)
    assert point["hit"] == node_id  # the point is on that node, not on a neighbour
    tab.page.mouse.click(point["x"], point["y"])
    tab.page.wait_for_selector(f'#details[data-node="{node_id}"]', state="attached")


# --- tests --------------------------------------------------------------------------------------


def test_exported_page_works_offline(tab: Watched, tmp_path: Path) -> None:
    view = neighbourhood(_samples(), "15/CT-TTg", 1)
    _exported(tab, view, tmp_path)
    ids = tab.js("window.explorer.nodes.getIds()")
    assert sorted(ids) == sorted(n.id for n in view.nodes)
    assert tab.js("window.explorer.edges.length") == len(view.edges)
    assert tab.js("window.explorer.network.physics.options.enabled") is False  # frozen
    legend = tab.js("[...document.querySelectorAll('#legend li')].map(li => li.dataset.key)")
    assert legend == [e.key for e in view.legend]
    tab.shot("neighbourhood")
    tab.assert_clean(LOCAL)


def test_click_on_a_node_shows_its_details(tab: Watched, tmp_path: Path) -> None:
    view = neighbourhood(_samples(), "2215/BNV-CQĐP", 1)
    _exported(tab, view, tmp_path, links=Links(depth=1))
    focus = view.node(view.focus or "")
    _click_node(tab, focus.id)
    details = tab.page.locator("#details")
    assert details.locator(".node-label").inner_text() == "2215/BNV-CQĐP"
    text = details.inner_text()
    assert "Bộ Nội vụ" in text and "06/05/2025" in text
    assert focus.quotes and " ".join(focus.quotes[0].text.split()) in " ".join(text.split())
    hrefs = details.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    key = "2215%2FBNV-CQDP%402025"  # the identity key, URL-encoded
    assert hrefs == [f"/explore/documents/{key}?depth=1", f"/documents/{key}"]
    tab.shot("details")
    tab.assert_clean(LOCAL)


@pytest.mark.parametrize(("typed", "expected"), [
    ("chuyen doi so", "15/CT-TTg"),  # a title word typed without diacritics
    ("cqdp", "2215/BNV-CQĐP"),  # Đ typed as d
    (unicodedata.normalize("NFD", "Chuyển đổi số"), "15/CT-TTg"),  # decomposed input
    ("KET QUA THUC HIEN", "3790/BC-BNV"),
])
def test_search_ignores_diacritics(tab: Watched, tmp_path: Path, typed: str,
                                   expected: str) -> None:
    _exported(tab, corpus_view(_samples()), tmp_path)
    tab.page.fill("#search", typed)
    results = tab.page.locator("#search-results .result-label").all_inner_texts()
    assert expected in results
    label = tab.page.locator(".result-label").get_by_text(expected, exact=True)
    tab.page.locator("#search-results .result").filter(has=label).first.click()
    assert tab.page.locator("#details .node-label").inner_text() == expected
    tab.assert_clean(LOCAL)


def test_page_fold_is_the_python_fold(tab: Watched, tmp_path: Path) -> None:
    _exported(tab, corpus_view(_samples()), tmp_path)
    words = ["Đề cương", "ĐẢNG", "Quyết định", "Ủy ban nhân dân", "Kết luận 27-KL/TU",
             "Thủ tướng Chính phủ", "nghị quyết", "ỨNG DỤNG"]
    words += [unicodedata.normalize("NFD", w) for w in words]
    assert tab.js("ws => ws.map(window.explorer.fold)", words) == [fold(w) for w in words]


def test_filters_hide_other_documents(tab: Watched, tmp_path: Path) -> None:
    view = corpus_view(_samples())
    _exported(tab, view, tmp_path)
    tab.page.select_option("#filter-year", "2024")
    visible = tab.js("window.explorer.nodes.get({filter: n => !n.hidden}).map(n => n.id)")
    assert sorted(visible) == sorted(n.id for n in view.nodes if n.year == 2024)
    assert tab.page.locator("#shown-count").inner_text() == f"{len(visible)}/43 nút đang hiển thị"
    tab.page.select_option("#filter-issuer", "Bộ Nội vụ")
    left = tab.js("window.explorer.nodes.get({filter: n => !n.hidden}).map(n => n.label)")
    assert left == []  # nothing of the Ministry is dated 2024 in the samples
    tab.page.click("#reset")
    assert tab.js("window.explorer.nodes.get({filter: n => n.hidden}).length") == 0
    tab.assert_clean(LOCAL)


def _trace_view() -> tuple[View, list[str]]:
    if SEEDS.is_dir():
        store = _store([SEEDS / SEED_002])
        return trace_view(store, "1432/BNV-CTTN", "III.8"), ["1432/BNV-CTTN", "33/CT-TTg"]
    return trace_view(_samples(), "2215/BNV-CQĐP", "III.4"), ["2215/BNV-CQĐP", "15/CT-TTg",
                                                               "27/2023/QH15"]


def test_trace_view_highlights_the_path(tab: Watched, tmp_path: Path) -> None:
    view, chain = _trace_view()
    _exported(tab, view, tmp_path)
    edges = tab.js("""window.explorer.edges.get().map(e => ({hi: e.meta.highlighted,
        colour: e.color.color, width: e.width, from: e.from, to: e.to}))""")
    lit = [(e["from"], e["to"]) for e in edges if e["colour"] == HIGHLIGHT and e["width"] == 5]
    path = list(view.path)
    assert lit == list(itertools.pairwise(path))
    assert all(e["hi"] == ((e["from"], e["to"]) in lit) for e in edges)
    borders = tab.js("ids => ids.map(id => window.explorer.nodes.get(id).borderWidth)", path)
    assert borders == [5] * len(path)
    steps = tab.page.locator("#path-list button").all_inner_texts()
    assert [s.split("\n")[0] for s in steps[1:]] == chain
    assert steps[0].startswith("Mục ")
    tab.shot("trace")
    tab.assert_clean(LOCAL)


def _evil_view() -> View:
    docs = {
        "urn:doc:1": DocInfo("urn:doc:1", EVIL_SYMBOL, "1/CT-TTG@2024", None, "chi-thi",
                             EVIL_TITLE, EVIL_ISSUER, True),
        "urn:doc:2": DocInfo("urn:doc:2", "2/CT-TTg", "2/CT-TTG@2024", None, "chi-thi",
                             "Văn bản thường", "Bộ Nội vụ", True),
    }
    links = (LinkInfo("urn:doc:2", "urn:doc:1", (Relation.IMPLEMENTS,), 1),)
    return corpus_view_of(Corpus(docs, links))


def test_markup_in_data_is_shown_as_text(tab: Watched, tmp_path: Path) -> None:
    _exported(tab, _evil_view(), tmp_path, links=Links())
    tab.page.fill("#search", "alert")
    assert tab.page.locator("#search-results .result-title").first.inner_text() == EVIL_TITLE
    _click_node(tab, "urn:doc:1")
    details = tab.page.locator("#details")
    assert details.locator(".node-label").inner_text() == EVIL_SYMBOL
    text = details.inner_text()
    assert EVIL_TITLE in text and EVIL_ISSUER in text
    point = _dom_point(tab, "urn:doc:1")
    tab.page.mouse.move(point["x"] + 1, point["y"] + 1)
    tooltip = tab.page.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible", timeout=10_000)
    assert EVIL_TITLE in tooltip.inner_text()
    options = tab.page.locator("#filter-issuer option").all_inner_texts()
    assert EVIL_ISSUER in options
    injected = tab.js("""document.querySelectorAll(
        'img, [onerror], [onload], script:not([type="application/json"]):not(:empty)').length""")
    assert injected == 2  # the page's own two inline scripts, nothing else
    time.sleep(0.3)  # an onerror handler would have fired by now
    tab.shot("escaping")
    tab.assert_clean(LOCAL)


def test_two_thousand_nodes_become_interactive(tab: Watched, tmp_path: Path) -> None:
    import sys

    if str(ROOT) not in sys.path:  # benchmarks/ is not an installed package
        sys.path.insert(0, str(ROOT))
    from benchmarks.bench_explorer import synthetic_corpus

    view = corpus_view_of(synthetic_corpus(2000), max_nodes=2000)
    started = time.perf_counter()
    _exported(tab, view, tmp_path)
    elapsed = time.perf_counter() - started
    assert tab.js("window.explorer.nodes.length") == 2000
    assert tab.js("window.explorer.network.physics.options.enabled") is False
    assert tab.js("document.body.dataset.ready") == "stabilised"
    assert elapsed < 60, f"{elapsed:.1f} s until interactive"
    # In a 2,000-node picture nodes overlap: click one that is on top around its own pixel.
    on_top = tab.js(f"""() => {{
        const near = [-2, 0, 2];
        return window.explorer.nodes.getIds().find(id => {{
            const p = ({_PIXEL_OF})(id);
            return near.every(dx => near.every(dy => p.at(dx, dy) === id));
        }});
    }}""")
    _click_node(tab, on_top)
    tab.shot("large")
    tab.assert_clean(LOCAL)


# --- served by the API ----------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server() -> Iterator[str]:
    """The API with the explorer on 127.0.0.1 (a uvicorn server in a thread)."""
    import uvicorn

    from api.app import create_app
    from api.routers import explore
    from api.settings import Settings

    app = create_app(Settings(query_workers=0), _samples())
    if not any(getattr(r, "path", None) == "/explore" for r in app.routes):
        app.include_router(explore.router)
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert srv.started, "the test server did not start"
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


def test_served_pages_and_links(browser: Any, server: str) -> None:
    # The served page is Vietnamese by default (any browser locale).
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="vi-VN")
    allowed = (server + "/", "data:")
    tab = Watched(context.new_page(), allowed)
    try:
        tab.open(f"{server}/explore/documents/15%2FCT-TTG%402024?depth=1")
        assert f"{server}/explore/static/vendor/vis-network.min.js" in tab.requests
        title = tab.js("window.explorer.page.view.title")
        assert title == "Vùng lân cận của 15/CT-TTg (bán kính 1)"
        iri = "https://data.luocdo.vn/eli/vn/cv/2025/2215/bnv-cqdp"
        _click_node(tab, iri)
        tab.page.locator("#details a.open-neighbourhood").click()
        tab.page.wait_for_url(f"{server}/explore/documents/2215%2FBNV-CQDP%402025?depth=1")
        tab.page.wait_for_selector("body[data-ready]", state="attached", timeout=120_000)
        assert tab.js("window.explorer.page.view.focus") == iri
        tab.shot("served")
        tab.assert_clean(allowed)
    finally:
        context.close()
