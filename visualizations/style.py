"""How each kind of node and edge looks: shape, colour, dashes, width.

Thirty-odd document types cannot each get a colour a reader can tell apart, so types
are grouped into families a legal officer recognises (directives, resolutions and
conclusions, decisions and regulations, laws and decrees, plans, letters, reports,
outlines). Agencies, obligations, outline sections and clusters get their own class.
Shapes whose label sits *outside* the symbol (dot, star, diamond …) are used for
documents so labels stay readable; boxes (label inside) for the non-document nodes.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

__all__ = [
    "EDGE_STYLES",
    "HIGHLIGHT",
    "NODE_STYLES",
    "EdgeStyle",
    "NodeStyle",
    "document_class",
    "edge_style",
    "node_style",
]

# Colour of the traced path (nodes' border, edges' line): one no class uses.
HIGHLIGHT = "#e4007c"


@dataclass(frozen=True, slots=True)
class NodeStyle:
    """Look of one node class."""

    shape: str  # a vis-network shape name
    colour: str  # background, #rrggbb
    font: str = "#1b1b1b"  # label colour (labels inside boxes need contrast)


@dataclass(frozen=True, slots=True)
class EdgeStyle:
    """Look of one edge kind."""

    colour: str
    width: float = 1.0
    dashes: tuple[int, ...] = ()  # empty: solid line


# Document type slug → family class. Types not listed fall into "doc-other".
_FAMILIES: dict[str, tuple[str, ...]] = {
    "doc-directive": ("chi-thi", "cong-dien", "lenh"),
    "doc-resolution": ("nghi-quyet", "nghi-quyet-lien-tich", "ket-luan", "thong-cao"),
    "doc-rule": ("quyet-dinh", "quy-dinh", "quy-che"),
    "doc-law": ("luat", "hien-phap", "phap-lenh", "nghi-dinh", "thong-tu", "thong-tu-lien-tich",
                "thong-tri", "van-ban-hop-nhat"),
    "doc-plan": ("ke-hoach", "chuong-trinh", "de-an", "du-an", "phuong-an", "huong-dan"),
    "doc-letter": ("cong-van", "thong-bao", "to-trinh"),
    "doc-report": ("bao-cao", "bang-tong-hop", "bien-ban"),
    "doc-outline": ("de-cuong",),
}

NODE_STYLES: dict[str, NodeStyle] = {
    "doc-directive": NodeStyle("star", "#c0392b"),
    "doc-resolution": NodeStyle("hexagon", "#8e44ad"),
    "doc-rule": NodeStyle("square", "#1f3a93"),
    "doc-law": NodeStyle("triangle", "#7d5a1e"),
    "doc-plan": NodeStyle("triangleDown", "#138d75"),
    "doc-letter": NodeStyle("dot", "#2e86c1"),
    "doc-report": NodeStyle("diamond", "#d35400"),
    "doc-outline": NodeStyle("square", "#b7950b"),
    "doc-other": NodeStyle("dot", "#7f8c8d"),
    "agency": NodeStyle("box", "#4d5d6e", "#ffffff"),
    "obligation": NodeStyle("box", "#f7dc6f"),
    "section": NodeStyle("box", "#aed6f1"),
    "cluster": NodeStyle("dot", "#5d6d7e"),
}

EDGE_STYLES: dict[str, EdgeStyle] = {
    "cites": EdgeStyle("#95a5a6", 1.0),
    "based_on": EdgeStyle("#34495e", 1.0, (2, 4)),
    "implements": EdgeStyle("#1e8449", 2.5),
    "continues": EdgeStyle("#17a589", 2.0, (8, 4)),
    "replaces": EdgeStyle("#c0392b", 2.0, (10, 4)),
    "amends": EdgeStyle("#e67e22", 2.0, (6, 3)),
    "attached_to": EdgeStyle("#b7950b", 1.5, (1, 3)),
    "reports_on": EdgeStyle("#d35400", 1.5),
    "same_document": EdgeStyle("#bdc3c7", 1.0, (1, 2)),
    "creates": EdgeStyle("#d4ac0d", 1.5, (3, 3)),
    "reports_to": EdgeStyle("#4d5d6e", 1.0),
    "names": EdgeStyle("#5499c7", 1.5, (4, 2)),
    "outline_of": EdgeStyle("#b7950b", 2.0),
    "issued_by": EdgeStyle("#aab7b8", 1.0, (2, 2)),
    "links": EdgeStyle("#aab7b8", 1.0),
}


@cache
def _family_of() -> dict[str, str]:
    return {slug: family for family, slugs in _FAMILIES.items() for slug in slugs}


def document_class(type_slug: str | None) -> str:
    """Node class of a document of type ``type_slug`` (``chi-thi`` → ``doc-directive``)."""
    return _family_of().get(type_slug or "", "doc-other")


def node_style(node_class: str) -> NodeStyle:
    """Style of a node class (unknown classes look like "other documents")."""
    return NODE_STYLES.get(node_class, NODE_STYLES["doc-other"])


def edge_style(kind: str) -> EdgeStyle:
    """Style of an edge kind (a relation or an explorer edge kind)."""
    return EDGE_STYLES.get(kind, EDGE_STYLES["cites"])
