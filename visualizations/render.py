"""A ``View`` → one HTML page, through ``pyvis.network.Network`` and our own template.

pyvis builds the vis-network node and edge records; its stock template is not used,
because it loads vis-network from one CDN and Bootstrap from another even with
``cdn_resources="local"``/``"in_line"`` (WestHealth/pyvis#228, #229). Our template
(``templates/explorer.html``, rendered with autoescaping on) references only:

* ``assets="served"``: ``{static_url}/explorer.css``, ``{static_url}/explorer.js`` and
  ``{static_url}/vendor/vis-network.min.js``, served by the API under
  ``/explore/static/``;
* ``assets="inline"``: the same three files inlined, so the page works opened from
  disk with no network. A Content-Security-Policy ``<meta>`` then allows only those
  exact inline scripts (by SHA-256) and no network fetch at all.

Data travels as JSON inside ``<script type="application/json">`` blocks written with
Jinja's ``tojson`` (``<``, ``>``, ``&`` and ``'`` escaped), and ``explorer.js`` puts
every string into the DOM with ``textContent``, never as markup: a title reading
``<script>`` or ``onerror=`` shows as text in labels, tooltips and the details panel.

Large views: physics stabilisation is capped and physics is switched off once it
ends, edges are straight and hidden while dragging (``performance_options``).
"""

from __future__ import annotations

import base64
import hashlib
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from pyvis.network import Network

from visualizations import labels as words
from visualizations.model import Edge, Node, View
from visualizations.style import HIGHLIGHT

__all__ = [
    "LARGE",
    "Links",
    "performance_options",
    "render_page",
    "static_dir",
    "vis_edge",
    "vis_node",
]

TEMPLATES = Path(__file__).resolve().parent / "templates"
LARGE = 300  # nodes from which a view is drawn with the fast settings
_HUGE = 1000  # nodes from which stabilisation gets even fewer iterations
_EDGE_LABELS_UP_TO = 150  # edges above this count are drawn without labels

Assets = Literal["served", "inline"]


@dataclass(frozen=True, slots=True)
class Links:
    """URL templates of the details panel's links; ``{id}`` is the URL-encoded document id.

    ``neighbourhood``: the explorer page of a document; ``record``: its API record.
    None hides the link (an exported page has no server behind it).
    """

    neighbourhood: str | None = "/explore/documents/{id}"
    record: str | None = "/documents/{id}"
    depth: int | None = None  # kept in neighbourhood links (``?depth=``)


def static_dir() -> Path:
    """Folder of the explorer's CSS, JavaScript and vendored vis-network."""
    return Path(str(resources.files("visualizations") / "static"))


@cache
def _asset(name: str) -> str:
    text = (static_dir() / name).read_text(encoding="utf-8")
    # Source-map comments would make devtools fetch a file an inlined page does not have.
    return "\n".join(line for line in text.splitlines()
                     if not line.startswith("//# sourceMappingURL="))


# --- vis records ---------------------------------------------------------------------------------


def _ui_words(lang: str) -> dict[str, str]:
    keys = ("app", "search", "search_hint", "no_match", "filters", "all", "type", "issuer",
            "year", "legend", "details", "details_hint", "evidence", "links",
            "open_neighbourhood", "api_record", "path", "shown", "loading", "symbol",
            "date", "title", "relation", "mentions", "kind", "fit", "reset")
    return {k: words.msg(k, lang) for k in keys}


def vis_node(node: Node, *, on_path: bool, tooltip_words: dict[str, str]) -> dict[str, Any]:
    """vis-network options of one node; ``meta`` carries what the sidebar shows."""
    colour: dict[str, Any] = {"background": node.colour, "border": "#2c3e50",
                              "highlight": {"background": node.colour, "border": "#000000"}}
    opts: dict[str, Any] = {
        "shape": node.shape,
        "color": colour,
        "size": node.size,
        "font": {"color": node.font_colour if node.shape == "box" else "#1b1b1b"},
        "borderWidth": 1,
    }
    if node.mentioned_only:
        opts["shapeProperties"] = {"borderDashes": [4, 3]}
        opts["color"] = {**colour, "background": "#ffffff", "border": node.colour}
        opts["borderWidth"] = 2
    if on_path:
        opts["borderWidth"] = 5
        opts["color"] = {**opts["color"], "border": HIGHLIGHT}
    if node.level is not None:
        opts["level"] = node.level
    if node.shape == "box":  # long labels wrap instead of widening the box
        opts["widthConstraint"] = {"maximum": 170}
    opts["meta"] = {
        "kind": node.kind, "cls": node.node_class, "symbol": node.symbol,
        "type": node.type_slug, "typeLabel": node.type_label, "date": node.date,
        "year": node.year, "issuer": node.issuer, "title": node.title, "key": node.key,
        "mentionedOnly": node.mentioned_only, "details": [list(r) for r in node.details],
        "quotes": [q.as_dict() for q in node.quotes], "search": node.search,
        "tooltip": node.tooltip(tooltip_words), "onPath": on_path, "count": node.count,
    }
    return opts


def vis_edge(edge: Edge, *, labelled: bool, lang: str) -> dict[str, Any]:
    """vis-network options of one edge; ``meta`` carries relations and quotes."""
    highlighted = edge.highlighted
    colour = HIGHLIGHT if highlighted else edge.colour
    names = [words.edge_label(r, lang) for r in edge.relations]
    tooltip = " · ".join(names) + (f" ({edge.count})" if edge.count > 1 else "")
    opts: dict[str, Any] = {
        "id": edge.id,
        "color": {"color": colour, "highlight": colour, "hover": colour, "inherit": False},
        "width": 5.0 if highlighted else edge.width,
        "dashes": list(edge.dashes) if edge.dashes else False,
        "arrows": {"to": {"enabled": True, "scaleFactor": 0.6}},
        "meta": {"relation": edge.relation, "relations": names, "label": edge.label,
                 "quotes": [q.as_dict() for q in edge.quotes], "highlighted": highlighted,
                 "count": edge.count, "tooltip": tooltip},
    }
    if labelled:
        opts["label"] = edge.label
        opts["font"] = {"size": 10, "align": "middle", "color": "#34495e",
                        "strokeWidth": 3, "strokeColor": "#ffffff"}
    return opts


_GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
_SPACING = 26.0  # px between neighbouring seeds in a group


def seed_positions(view: View) -> dict[str, tuple[float, float]]:
    """Starting positions for a large view, so a few physics steps suffice.

    Documents are grouped by issuer (other nodes by kind); each group is a sunflower
    disc with its most cited documents in the middle; discs are packed in rows.
    Linear in the number of nodes, deterministic, no numerical library.
    """
    groups: dict[str, list[Node]] = {}
    for node in view.nodes:
        key = (node.issuer or "?") if node.kind == "document" else node.kind
        groups.setdefault(key, []).append(node)
    ordered = sorted(groups.values(), key=lambda g: (-len(g), g[0].id))
    radii = [_SPACING * math.sqrt(len(g)) + _SPACING for g in ordered]
    row_width = math.sqrt(sum((2 * r) ** 2 for r in radii)) * 1.2
    out: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for group, r in zip(ordered, radii, strict=True):
        if x > 0 and x + 2 * r > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        cx, cy = x + r, y + r
        members = sorted(group, key=lambda n: (-n.size, n.id))
        for k, node in enumerate(members):
            rho, theta = _SPACING * math.sqrt(k), k * _GOLDEN_ANGLE
            out[node.id] = (round(cx + rho * math.cos(theta), 1),
                            round(cy + rho * math.sin(theta), 1))
        x += 2 * r
        row_height = max(row_height, 2 * r)
    return out


def performance_options(view: View) -> dict[str, Any]:
    """vis-network options: hierarchical for traces, capped physics for large views."""
    n = len(view.nodes)
    large = n >= LARGE
    opts: dict[str, Any] = {
        "autoResize": True,
        "nodes": {"font": {"size": 14, "face": "system-ui, sans-serif"}},
        "edges": {"smooth": False if large else {"enabled": True, "type": "continuous",
                                                  "roundness": 0.3},
                  "selectionWidth": 2},
        "interaction": {"hover": not large, "tooltipDelay": 200, "hideEdgesOnDrag": large,
                        "hideEdgesOnZoom": large, "navigationButtons": False,
                        "keyboard": {"enabled": True, "bindToWindow": False}},
        "layout": {"improvedLayout": not large, "randomSeed": 7},
    }
    if view.layout == "hierarchical":
        opts["layout"]["hierarchical"] = {"enabled": True, "direction": "UD",
                                          "sortMethod": "directed", "levelSeparation": 140,
                                          "nodeSpacing": 210, "treeSpacing": 230}
        opts["physics"] = {"enabled": False}
        return opts
    # Large views start from seed_positions: a few steps untangle them; each step costs
    # ~50 ms at 2,000 nodes in headless Chromium on two cores (docs/explorer.md).
    iterations = 25 if n >= _HUGE else 60 if large else 400
    opts["physics"] = {
        "enabled": True,
        "solver": "forceAtlas2Based" if large else "barnesHut",
        "forceAtlas2Based": {"gravitationalConstant": -30, "springLength": 60,
                             "centralGravity": 0.005, "avoidOverlap": 0},
        "barnesHut": {"gravitationalConstant": -6000, "springLength": 140,
                      "avoidOverlap": 0.3},
        "stabilization": {"enabled": True, "iterations": iterations, "updateInterval": 20,
                          "fit": True},
        "adaptiveTimestep": True,
        "minVelocity": 1.0 if large else 0.5,
    }
    return opts


# --- page ----------------------------------------------------------------------------------------


def _network(view: View, vis_options: dict[str, Any] | None) -> Network:
    net = Network(height="100%", width="100%", directed=True, heading=view.title,
                  cdn_resources="remote")  # our template ignores pyvis's resource choice
    net.set_template_dir(str(TEMPLATES) + "/", "explorer.html")
    # pyvis builds its Environment without autoescaping; ours escapes every {{ }}.
    net.templateEnv = Environment(loader=FileSystemLoader(str(TEMPLATES)),
                                  autoescape=select_autoescape(["html"]))
    tooltip_words = {k: words.msg(k, view.lang) for k in ("symbol", "type", "date", "issuer",
                                                          "title")}
    path = set(view.path)
    seeds = seed_positions(view) if len(view.nodes) >= LARGE and vis_options is None else {}
    for node in view.nodes:
        opts = vis_node(node, on_path=node.id in path, tooltip_words=tooltip_words)
        if node.id in seeds:
            opts["x"], opts["y"] = seeds[node.id]
        net.add_node(node.id, label=node.label, **opts)
    labelled = len(view.edges) <= _EDGE_LABELS_UP_TO
    for edge in view.edges:
        net.add_edge(edge.source, edge.target, **vis_edge(edge, labelled=labelled,
                                                          lang=view.lang))
    # A dict: pyvis json.dumps it as is (its Options.set would strip spaces from values).
    net.options = performance_options(view) if vis_options is None else vis_options
    return net


def _payload(view: View, links: Links | None) -> dict[str, Any]:
    def link(template: str | None) -> str | None:
        return template if links is not None else None

    depth = links.depth if links is not None else None
    return {
        "view": {"kind": view.kind, "title": view.title, "lang": view.lang,
                 "message": view.message, "focus": view.focus, "path": list(view.path),
                 "layout": view.layout, "clustered": view.clustered},
        "legend": [{"kind": e.kind, "key": e.key, "label": e.label, "colour": e.colour,
                    "shape": e.shape, "dashes": list(e.dashes), "width": e.width}
                   for e in view.legend],
        "catalogue": [{"id": c.id, "label": c.label, "title": c.title, "key": c.key,
                       "search": c.search} for c in view.catalogue],
        "words": _ui_words(view.lang),
        "links": {"neighbourhood": link(links.neighbourhood if links else None),
                  "record": link(links.record if links else None), "depth": depth},
        "performance": {"large": len(view.nodes) >= LARGE},
    }


def _csp_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def render_page(view: View, *, assets: Assets = "served", static_url: str = "/explore/static",
                links: Links | None = None, vis_options: dict[str, Any] | None = None) -> str:
    """The HTML page of ``view``.

    Args:
        view: what to draw.
        assets: ``served`` (link ``static_url``) or ``inline`` (a self-contained page).
        static_url: where the API serves ``visualizations/static`` (served mode).
        links: URL templates of the details panel; None hides the links.
        vis_options: vis-network options instead of ``performance_options(view)`` (and
            then no seed positions); the benchmark's baseline uses vis-network defaults.
    """
    net = _network(view, vis_options)
    inline: dict[str, Markup] = {}
    csp = None
    if assets == "inline":
        scripts = [_asset("vendor/vis-network.min.js"), _asset("explorer.js")]
        inline = {"css": Markup(_asset("explorer.css")), "vis": Markup(scripts[0]),
                  "js": Markup(scripts[1])}
        csp = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
               "script-src " + " ".join(_csp_hash(s) for s in scripts)
               + "; base-uri 'none'; form-action 'none'")
    net.templateEnv.globals.update(
        page=_payload(view, links), assets=assets, static_url=static_url.rstrip("/"),
        inline=inline, csp=csp, lang=view.lang, page_title=view.title,
        app_name=words.msg("app", view.lang),
    )
    return str(net.generate_html(name="explorer.html"))
