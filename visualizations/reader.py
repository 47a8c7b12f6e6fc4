"""Partial corpora: the documents one view can draw, read with bound queries.

``load_corpus`` reads every document and link of the store, which at 10⁵ documents
takes tens of seconds. A neighbourhood or a trace draws a few hundred documents at
most, so ``StoreReader`` reads only around them, every query bound to a ``VALUES``
block of IRIs (``graph/queries/explore_*.rq``), and keeps what it read:

* ``members``: the IRIs a drawn node stands for (itself and the undated mentions
  ``lo:sameDocumentAs`` links to it), so links and dates merge as in ``Corpus``;
* ``read_links`` / ``read_out``: every citation to and from (or only from) a node, so
  the node's neighbours, its implementation chain and the link counts are exact;
* ``corpus(nodes)``: a ``Corpus`` with the links read so far and the header fields,
  aliases and mention dates of ``nodes``, which the pure view builders take as they
  take the whole corpus.

Reads are capped by a budget of citation rows: past it the reader stops (``complete``
turns False) and a view says its count is a lower bound.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from rdflib import Literal

from visualizations.facts import (
    Corpus,
    DocInfo,
    LinkInfo,
    bound,
    read_date,
    read_issuer,
    read_relation,
)

__all__ = ["BUDGET", "StoreReader"]

BUDGET = 3_000  # citation rows one view reads at most around its focus (~150 µs each)
_CITATION = tuple[str, str, str | None]  # (citing, cited, relation IRI)


def _text(row: Mapping[str, Any], name: str) -> str | None:
    value = row.get(name)
    return None if value is None else str(value)


class StoreReader:
    """Bound reads around a few documents, each asked once and kept."""

    def __init__(self, store: Any, budget: int = BUDGET) -> None:
        self.store = store
        self.budget = budget
        self.complete = True  # False once a read was cut by the budget
        self._canon: dict[str, str] = {}  # IRI → the node it is drawn as
        self._members: dict[str, tuple[str, ...]] = {}
        self._docs: dict[str, DocInfo | None] = {}
        self._cites: dict[tuple[str, str | None], tuple[str, str]] = {}
        self._undated: dict[str, set[str]] = defaultdict(set)  # citation → dates beside it
        self._both: set[str] = set()  # nodes whose every citation was read
        self._out: set[str] = set()  # nodes whose every citation made was read
        self._rows = 0

    # --- identity ---------------------------------------------------------------------------

    def canonical(self, iris: Iterable[str]) -> dict[str, str]:
        """IRI → the node it is drawn as (the smallest dated twin of an undated mention)."""
        wanted = list(dict.fromkeys(iris))
        missing = [i for i in wanted if i not in self._canon]
        found: dict[str, str] = {}
        for row in bound(self.store, "explore_aliases", "alias", missing):
            alias, doc = str(row["alias"]), str(row["doc"])
            found[alias] = min(found.get(alias, doc), doc)
        for iri in missing:
            self._canon[iri] = found.get(iri, iri)
        return {i: self._canon[i] for i in wanted}

    def members(self, nodes: Iterable[str]) -> dict[str, tuple[str, ...]]:
        """Node → every IRI drawn as it (itself unless it is an alias, and its aliases)."""
        wanted = list(dict.fromkeys(nodes))
        missing = [n for n in wanted if n not in self._members]
        self.canonical(missing)
        twins: dict[str, set[str]] = defaultdict(set)
        for row in bound(self.store, "explore_aliases", "doc", missing):
            twins[str(row["doc"])].add(str(row["alias"]))
        canon = self.canonical(a for found in twins.values() for a in found)
        for node in missing:
            raw = {a for a in twins.get(node, ()) if canon[a] == node}
            if self._canon[node] == node:
                raw.add(node)
            self._members[node] = tuple(sorted(raw))
        return {n: self._members[n] for n in wanted}

    # --- documents --------------------------------------------------------------------------

    def documents(self, iris: Iterable[str]) -> dict[str, DocInfo]:
        """The ``lo:Document`` nodes among ``iris`` with their header fields."""
        wanted = list(dict.fromkeys(iris))
        missing = [i for i in wanted if i not in self._docs]
        rows = bound(self.store, "explore_documents", "doc", missing)
        texts = {str(r["doc"]) for r in bound(self.store, "explore_has_text", "doc", missing)}
        issuers = self._issuer_names(sorted({str(r["issuer"]) for r in rows
                                             if r.get("issuer") is not None}))
        grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in rows:
            grouped[str(row["doc"])].append(row)
        for iri in missing:
            group = grouped.get(iri)
            self._docs[iri] = _doc_info(iri, group, issuers, iri in texts) if group else None
        return {i: d for i in wanted if (d := self._docs[i]) is not None}

    def _issuer_names(self, issuers: list[str]) -> dict[str, list[str]]:
        """Issuer node → the names ``load_corpus`` may give it (its COALESCE of labels)."""
        pref: dict[str, set[str]] = defaultdict(set)
        plain: dict[str, set[str]] = defaultdict(set)
        # one row per (preferred label, label) pair of a node: the same name may repeat
        for row in bound(self.store, "issuer_names", "issuer", issuers):
            node, preferred, label = str(row["issuer"]), row.get("prefLabel"), row.get("label")
            if isinstance(preferred, Literal) and (preferred.language or "").lower() == "vi":
                pref[node].add(str(preferred))
            lang = (label.language or "").lower() if isinstance(label, Literal) else None
            if lang is not None and (lang in ("", "vi") or lang.startswith("vi-")):
                plain[node].add(str(label))
        return {i: sorted(pref.get(i) or plain.get(i) or [i]) for i in issuers}

    # --- citations --------------------------------------------------------------------------

    def _room(self) -> int:
        return max(self.budget - self._rows, 0)

    def _take(self, name: str, var: str, raw: list[str]) -> None:
        if not raw:
            return
        room = self._room()
        rows = bound(self.store, name, var, raw, limit=room + 1)
        if len(rows) > room:
            self.complete = False
            rows = rows[:room]
        self._rows += len(rows)
        for row in rows:
            citation = str(row["c"])
            self._cites[(citation, _text(row, "relation"))] = (str(row["citing"]),
                                                                str(row["cited"]))
            if row.get("statedBy") is None and row.get("date") is not None:
                self._undated[citation].add(str(row["date"]))
        self.canonical(x for pair in self._cites.values() for x in pair)

    def read_out(self, nodes: Iterable[str]) -> None:
        """Read every citation the documents drawn as ``nodes`` make."""
        todo = [n for n in dict.fromkeys(nodes) if n not in self._out]
        if not todo or not self.complete:
            return
        members = self.members(todo)
        self._take("explore_citations_from", "citing", [m for n in todo for m in members[n]])
        if self.complete:
            self._out.update(todo)

    def read_links(self, nodes: Iterable[str]) -> None:
        """Read every citation to and from the documents drawn as ``nodes``."""
        todo = [n for n in dict.fromkeys(nodes) if n not in self._both]
        self.read_out(todo)
        if not todo or not self.complete:
            return
        members = self.members(todo)
        self._take("explore_citations_to", "cited", [m for n in todo for m in members[n]])
        if self.complete:
            self._both.update(todo)

    def raw_links(self) -> tuple[LinkInfo, ...]:
        """Links read so far, one per (citing, cited, relation) with its citation count."""
        counts: dict[_CITATION, set[str]] = defaultdict(set)
        for (citation, relation), (citing, cited) in self._cites.items():
            counts[(citing, cited, relation)].add(citation)
        out = []
        for (citing, cited, relation), found in sorted(counts.items(), key=str):
            rel = read_relation(relation)
            out.append(LinkInfo(citing, cited, (rel,) if rel else (), len(found)))
        return tuple(out)

    def aliases(self) -> dict[str, str]:
        """Every alias met so far → its node."""
        return {i: c for i, c in self._canon.items() if i != c}

    def links_corpus(self) -> Corpus:
        """The links read so far (no document fields): enough to walk rings and chains."""
        return Corpus({}, self.raw_links(), self.aliases())

    # --- dates and the partial corpus -------------------------------------------------------

    def mention_dates(self, nodes: Iterable[str]) -> dict[str, frozenset[dt.date]]:
        """Node → the dates written beside the mentions of it (third parties' left out)."""
        members = self.members(nodes)
        owner = {m: n for n, found in members.items() for m in found}
        dates: dict[str, set[dt.date]] = defaultdict(set)
        for row in bound(self.store, "explore_mention_dates", "cited", owner):
            day = read_date(_text(row, "date"))
            if day is not None:
                dates[owner[str(row["cited"])]].add(day)
        return {k: frozenset(v) for k, v in dates.items()}

    def corpus(self, nodes: Iterable[str]) -> Corpus:
        """A partial ``Corpus``: the links read so far; fields and dates of ``nodes``."""
        wanted = list(dict.fromkeys(nodes))
        members = self.members(wanted)
        docs = self.documents(m for n in wanted for m in members[n])
        aliases = self.aliases()
        undated = [n for n in wanted
                   if (d := docs.get(n) or docs.get(aliases.get(n, n))) is None or d.date is None]
        return Corpus(docs, self.raw_links(), aliases, self.mention_dates(undated))

    def doc(self, iri: str) -> DocInfo | None:
        """Document ``iri`` as ``Corpus.doc`` gives it (its node's fields first)."""
        node = self.canonical([iri])[iri]
        found = self.documents(dict.fromkeys([node, iri]))
        return found.get(node) or found.get(iri)

    def keyed(self, keys: Iterable[str]) -> dict[str, str]:
        """Identity key → the node of the document whose (smallest) key it is."""
        wanted = sorted({k for k in keys if k})
        rows = bound(self.store, "explore_keyed", "key", wanted, literal=True)
        docs = self.documents(str(r["doc"]) for r in rows)
        found = {d.key: iri for iri, d in sorted(docs.items()) if d.key}
        canon = self.canonical(found.values())
        return {k: canon[i] for k, i in found.items()}


def _doc_info(iri: str, rows: list[dict[str, Any]], issuers: Mapping[str, list[str]],
              has_text: bool) -> DocInfo:
    """A ``DocInfo`` as ``load_corpus`` builds it: each field's smallest value."""
    def least(name: str) -> str | None:
        found = [str(r[name]) for r in rows if r.get(name) is not None]
        return min(found) if found else None

    dates = [d for r in rows if (d := read_date(_text(r, "date"))) is not None]
    names = [n for r in rows if r.get("issuer") is not None for n in issuers[str(r["issuer"])]]
    doc_type = (least("type") or "").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    return DocInfo(
        iri=iri,
        symbol=least("symbol"),
        key=least("key"),
        date=min(dates) if dates else None,
        doc_type=doc_type.removeprefix("type-") or None,
        title=least("title"),
        issuer=read_issuer(min(names)) if names else None,
        has_text=has_text,
    )
