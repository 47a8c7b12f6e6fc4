"""What a view is: nodes, edges, legend, highlighted path and a message, as plain values.

The builders in ``visualizations.views`` return a ``View``; ``visualizations.render``
turns it into a page. Values are frozen and hold text only (no HTML): the page puts
every string into the DOM as text, so a title that reads ``<script>`` stays text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["CatalogueEntry", "Edge", "LegendEntry", "Node", "Quote", "View"]


@dataclass(frozen=True, slots=True)
class Quote:
    """Evidence shown in the details panel: the exact text and where it was read."""

    text: str
    source: str | None = None
    start: int | None = None
    end: int | None = None
    note: str | None = None  # what the quote proves, e.g. "triển khai thực hiện → 33/CT-TTg"

    def as_dict(self) -> dict[str, Any]:
        return {"text": self.text, "source": self.source, "start": self.start,
                "end": self.end, "note": self.note}


@dataclass(frozen=True, slots=True)
class Node:
    """One node of a view.

    ``kind`` says what it stands for (document, agency, obligation, section, cluster);
    ``node_class`` picks its look (``visualizations.style``). The metadata fields feed
    the tooltip, the filters and the details panel.
    """

    id: str
    label: str
    kind: str
    node_class: str
    shape: str
    colour: str
    font_colour: str = "#1b1b1b"
    symbol: str | None = None
    type_slug: str | None = None
    type_label: str | None = None
    date: str | None = None  # as shown (dd/mm/yyyy in Vietnamese)
    year: int | None = None
    issuer: str | None = None
    title: str | None = None
    key: str | None = None
    mentioned_only: bool = False
    details: tuple[tuple[str, str], ...] = ()  # further (label, value) rows, localised
    quotes: tuple[Quote, ...] = ()
    size: float = 16.0
    level: int | None = None  # hierarchical layout level (trace view)
    count: int | None = None  # documents in a cluster
    search: str = ""  # folded text the search box matches (ingest.clean.fold)

    def tooltip(self, labels: dict[str, str]) -> str:
        """Plain-text tooltip: one "label: value" line per known field."""
        rows = [
            (labels["symbol"], self.symbol),
            (labels["type"], self.type_label),
            (labels["date"], self.date),
            (labels["issuer"], self.issuer),
            (labels["title"], self.title),
            *self.details,
        ]
        lines = [self.label] + [f"{k}: {_short(v)}" for k, v in rows if v and v != self.label]
        return "\n".join(lines)


def _short(text: str, limit: int = 140) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True, slots=True)
class Edge:
    """One edge: ``relation`` picks its look; ``relations`` lists every relation merged in."""

    id: str
    source: str
    target: str
    relation: str
    label: str
    colour: str
    width: float = 1.0
    dashes: tuple[int, ...] = ()
    relations: tuple[str, ...] = ()
    quotes: tuple[Quote, ...] = ()
    highlighted: bool = False
    count: int = 1  # mentions (or links between clusters) merged into this edge


@dataclass(frozen=True, slots=True)
class LegendEntry:
    """One line of the legend: a node class or an edge kind present in the view."""

    kind: str  # "node" or "edge"
    key: str
    label: str
    colour: str
    shape: str | None = None
    dashes: tuple[int, ...] = ()
    width: float = 1.0


@dataclass(frozen=True, slots=True)
class CatalogueEntry:
    """A document the search box can find even when it is not drawn (clustered corpus)."""

    id: str
    label: str
    title: str | None
    key: str | None
    search: str


@dataclass(frozen=True, slots=True)
class View:
    """Everything a page needs to draw one view."""

    kind: str  # "neighbourhood", "trace" or "corpus"
    title: str
    lang: str
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    legend: tuple[LegendEntry, ...] = ()
    path: tuple[str, ...] = ()  # node ids of the highlighted path, in order
    message: str | None = None
    focus: str | None = None  # node id the view is centred on
    layout: str = "force"  # "force" or "hierarchical"
    clustered: bool = False
    catalogue: tuple[CatalogueEntry, ...] = field(default=())

    def node(self, node_id: str) -> Node:
        """The node with id ``node_id``.

        Raises:
            KeyError: no such node.
        """
        for n in self.nodes:
            if n.id == node_id:
                return n
        raise KeyError(node_id)

    @property
    def path_edges(self) -> tuple[Edge, ...]:
        """Edges flagged as part of the highlighted path."""
        return tuple(e for e in self.edges if e.highlighted)
