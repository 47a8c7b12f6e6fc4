"""What the explorer reads from the store: a light snapshot, then details on demand.

``load_corpus`` reads one row per document and one per (citing, cited, relation)
with aggregate queries, so a corpus of thousands of documents loads in a second;
``graph.reports.documents`` returns one row per combination of a document's
multi-valued fields and evidence, which is right for reports and too slow for an
overview. Evidence quotes and obligations are read afterwards, only for the
documents a view actually draws (``load_details``).

A document known only from an undated mention is linked by ``lo:sameDocumentAs`` to
the dated document with the same symbol (``graph.pipeline.refresh_derived``); the
explorer draws the two as one node, the dated one (``Corpus.canonical``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Any

import regex
from rdflib import Literal, URIRef

from graph.queries import load_query
from graph.reports import ObligationFact, obligations
from graph.results import truthy
from ontology.terms import RELATIONS, Relation, fold_code, issuer_by_code
from visualizations.model import Quote

__all__ = ["Corpus", "Details", "DocInfo", "LinkInfo", "bound", "bound_free", "load_corpus",
           "load_details", "read_date", "read_issuer", "read_relation"]

_PREFIXES = """
PREFIX lo: <https://w3id.org/luocdo/ontology#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""

# One row per document. EXISTS instead of OPTIONAL for evidence: a document has many
# evidence nodes, and joining them would multiply the rows. A field with several values
# keeps the smallest (MIN, not SAMPLE), so the bound reads of ``visualizations.reader``
# give the same answer whatever the row order.
_DOCS = _PREFIXES + """
SELECT ?doc (MIN(?s) AS ?symbol) (MIN(?k) AS ?key) (MIN(?d) AS ?date)
       (MIN(?t) AS ?type) (MIN(?ti) AS ?title) (MIN(?iss) AS ?issuer)
       (SAMPLE(?ev) AS ?evidence)
WHERE {
  ?doc a lo:Document .
  OPTIONAL { ?doc lo:symbol ?s }
  OPTIONAL { ?doc lo:identityKey ?k }
  OPTIONAL { ?doc eli:date_document ?d }
  OPTIONAL { ?doc lo:documentType ?t }
  OPTIONAL { ?doc eli:title ?ti }
  OPTIONAL {
    ?doc lo:issuedBy ?in .
    OPTIONAL { ?in skos:prefLabel ?pl FILTER (LANG(?pl) = "vi") }
    OPTIONAL { ?in rdfs:label ?rl FILTER (LANG(?rl) = "" || LANGMATCHES(LANG(?rl), "vi")) }
    BIND (COALESCE(?pl, ?rl, STR(?in)) AS ?iss)
  }
  BIND (EXISTS { ?doc lo:evidence ?any } AS ?ev)
}
GROUP BY ?doc
"""

# One row per (citing, cited, relation) with how many mentions say it.
_LINKS = _PREFIXES + """
SELECT ?citing ?cited ?relation (COUNT(DISTINCT ?c) AS ?n)
WHERE {
  ?c a lo:Citation ; lo:citingDocument ?citing ; lo:citedDocument ?cited .
  OPTIONAL { ?c lo:relation ?relation }
}
GROUP BY ?citing ?cited ?relation
"""

# Dates written beside mentions (the cited document's own words are not among them).
_MENTION_DATES = _PREFIXES + """
SELECT DISTINCT ?cited ?date
WHERE {
  ?c a lo:Citation ; lo:citedDocument ?cited ; lo:citedDate ?date .
  FILTER NOT EXISTS { ?c lo:statedBy ?someone }
}
"""

_SAME_AS = _PREFIXES + "SELECT ?alias ?doc WHERE { ?alias lo:sameDocumentAs ?doc }"

@dataclass(frozen=True, slots=True)
class DocInfo:
    """A document node: identity and header fields (no evidence text)."""

    iri: str
    symbol: str | None = None
    key: str | None = None
    date: dt.date | None = None
    doc_type: str | None = None  # slug (chi-thi, cong-van …)
    title: str | None = None
    issuer: str | None = None
    has_text: bool = False  # the corpus holds its text (header evidence), not only mentions


@dataclass(frozen=True, slots=True)
class LinkInfo:
    """Every mention from ``citing`` to ``cited`` (aliases merged)."""

    citing: str
    cited: str
    relations: tuple[Relation, ...]  # in ``Relation`` order
    count: int


@dataclass(frozen=True)
class Corpus:
    """Documents and the links between them; the view builders' input."""

    docs: Mapping[str, DocInfo]
    raw_links: tuple[LinkInfo, ...] = ()  # as stored (aliases not merged)
    aliases: Mapping[str, str] = field(default_factory=dict)  # undated IRI → dated IRI
    mention_dates: Mapping[str, frozenset[dt.date]] = field(default_factory=dict)

    def canonical(self, iri: str) -> str:
        """The node that stands for ``iri`` (its dated twin when it has one)."""
        return self.aliases.get(iri, iri)

    def doc(self, iri: str) -> DocInfo | None:
        """The document ``iri`` stands for (its canonical twin's fields first)."""
        return self.docs.get(self.canonical(iri)) or self.docs.get(iri)

    @cached_property
    def document_ids(self) -> tuple[str, ...]:
        """Canonical document IRIs, sorted."""
        return tuple(sorted({self.canonical(i) for i in self.docs}))

    @cached_property
    def members(self) -> dict[str, tuple[str, ...]]:
        """Canonical IRI → every IRI it stands for (itself and its aliases)."""
        out: dict[str, set[str]] = defaultdict(set)
        for iri in self.docs:
            out[self.canonical(iri)].add(iri)
        return {k: tuple(sorted(v)) for k, v in out.items()}

    @cached_property
    def links(self) -> dict[tuple[str, str], LinkInfo]:
        """(citing, cited) → merged link, aliases merged, self-links dropped."""
        rels: dict[tuple[str, str], set[Relation]] = defaultdict(set)
        counts: dict[tuple[str, str], int] = defaultdict(int)
        for link in self.raw_links:
            pair = (self.canonical(link.citing), self.canonical(link.cited))
            if pair[0] != pair[1]:
                rels[pair].update(link.relations)
                counts[pair] += link.count
        return {pair: LinkInfo(*pair, tuple(r for r in Relation if r in rels[pair]),
                               counts[pair]) for pair in sorted(rels)}

    @cached_property
    def neighbours(self) -> dict[str, tuple[str, ...]]:
        """Document → documents it cites or is cited by."""
        out: dict[str, set[str]] = defaultdict(set)
        for a, b in self.links:
            out[a].add(b)
            out[b].add(a)
        return {k: tuple(sorted(v)) for k, v in out.items()}

    @cached_property
    def cited_by(self) -> dict[str, int]:
        """Document → how many documents cite it."""
        out: dict[str, int] = defaultdict(int)
        for _, b in self.links:
            out[b] += 1
        return dict(out)

    def known_date(self, iri: str) -> dt.date | None:
        """The header's date, else the one date every dated mention agrees on."""
        d = self.doc(iri)
        if d is not None and d.date is not None:
            return d.date
        seen = self.mention_dates.get(self.canonical(iri), frozenset())
        return next(iter(seen)) if len(seen) == 1 else None


@dataclass(frozen=True)
class Details:
    """Evidence and obligations of the documents one view draws."""

    doc_quotes: Mapping[str, tuple[Quote, ...]] = field(default_factory=dict)
    link_quotes: Mapping[tuple[str, str], tuple[Quote, ...]] = field(default_factory=dict)
    obligations: tuple[ObligationFact, ...] = ()


# --- reading rows ---------------------------------------------------------------------------------


def _text(row: Mapping[str, Any], name: str) -> str | None:
    value = row.get(name)
    return None if value is None else str(value)


def _int(row: Mapping[str, Any], name: str) -> int | None:
    value = _text(row, name)
    return int(value) if value is not None and value.lstrip("-").isdigit() else None


def read_date(value: str | None) -> dt.date | None:
    """A date from a date or dateTime lexical form (None when there is none)."""
    return _date(value)


def read_issuer(value: str | None) -> str | None:
    """An issuer's name as the explorer shows it (a bare concept IRI gets the vocabulary's)."""
    return _issuer(value)


def read_relation(iri: str | None) -> Relation | None:
    """The relation a ``lo:relation`` concept IRI names (None when unknown)."""
    return _relation(iri)


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _local(iri: str | None) -> str:
    return regex.split(r"[#/]", iri)[-1] if iri else ""


def _issuer(value: str | None) -> str | None:
    """An issuer label; a concept IRI without a label gets the vocabulary's name."""
    if not value or not value.startswith(("http://", "https://", "urn:")):
        return value
    local = _local(value)
    info = issuer_by_code().get(fold_code(local.removeprefix("issuer-")))
    return info.vi if info and local.startswith("issuer-") else None


@cache
def _relations_by_local() -> dict[str, Relation]:
    return {info.local: info.relation for info in RELATIONS}


def _relation(iri: str | None) -> Relation | None:
    return _relations_by_local().get(_local(iri))


def _doc_info(row: Mapping[str, Any]) -> DocInfo:
    doc_type = _local(_text(row, "type")).removeprefix("type-") or None
    return DocInfo(
        iri=str(row["doc"]),
        symbol=_text(row, "symbol"),
        key=_text(row, "key"),
        date=_date(_text(row, "date")),
        doc_type=doc_type,
        title=_text(row, "title"),
        issuer=_issuer(_text(row, "issuer")),
        has_text=truthy(_text(row, "evidence")),
    )


def load_corpus(store: Any) -> Corpus:
    """Read the documents, links, undated-mention aliases and mention dates of ``store``."""
    docs = {d.iri: d for d in map(_doc_info, store.query(_DOCS))}
    links = []
    for row in store.query(_LINKS):
        rel = _relation(_text(row, "relation"))
        links.append(LinkInfo(str(row["citing"]), str(row["cited"]),
                              (rel,) if rel else (), _int(row, "n") or 1))
    aliases: dict[str, str] = {}
    for row in store.query(_SAME_AS):
        alias, doc = str(row["alias"]), str(row["doc"])
        aliases[alias] = min(aliases.get(alias, doc), doc)  # several twins: the smallest
    corpus = Corpus(docs, tuple(links), aliases)
    dates: dict[str, set[dt.date]] = defaultdict(set)
    for row in store.query(_MENTION_DATES):
        day = _date(_text(row, "date"))
        if day is not None:
            dates[corpus.canonical(str(row["cited"]))].add(day)
    return Corpus(docs, tuple(links), aliases, {k: frozenset(v) for k, v in dates.items()})


# --- details --------------------------------------------------------------------------------------


def _quote(row: Mapping[str, Any], note: str | None = None) -> Quote | None:
    text = _text(row, "quote")
    if text is None:
        return None
    return Quote(text, _text(row, "path"), _int(row, "start"), _int(row, "end"), note)


_CHUNK = 500  # IRIs per VALUES block: keeps each query text and its answer small


def bound(store: Any, name: str, var: str, iris: Iterable[str], *,
          limit: int | None = None, literal: bool = False) -> list[dict[str, Any]]:
    """Rows of named query ``name`` (``graph/queries``) with ``?var`` bound to ``iris``.

    The IRIs (plain strings when ``literal``) go in ``VALUES`` blocks of at most
    ``_CHUNK``; ``limit`` caps the rows read over all blocks (None: no cap). No IRI,
    no query.
    """
    term = Literal if literal else URIRef
    wanted = sorted(set(iris))
    text = load_query(name)
    rows: list[dict[str, Any]] = []
    for i in range(0, len(wanted), _CHUNK):
        if limit is not None and len(rows) >= limit:
            break
        paged = text if limit is None else f"{text}\nLIMIT {int(limit - len(rows))}"
        chunk = [term(x) for x in wanted[i:i + _CHUNK]]
        rows += [dict(r) for r in store.query(paged, bindings={var: chunk})]
    return rows


def bound_free(store: Any, name: str) -> list[dict[str, Any]]:
    """Rows of named query ``name`` (``graph/queries``), nothing bound."""
    return [dict(r) for r in store.query(load_query(name))]


@dataclass(frozen=True, slots=True)
class _Ev:
    """One evidence row: what it supports, its quote and where the quote was read."""

    of: str
    quote: str
    start: int | None
    end: int | None
    path: str | None

    def order(self) -> tuple[str, bool, str, int]:
        """SPARQL's ``ORDER BY ?of ?path ?start`` (unbound first)."""
        return (self.of, self.path is not None, self.path or "", self.start or 0)


def _evidence(store: Any, things: Iterable[str]) -> dict[str, list[_Ev]]:
    """Quoted evidence of each of ``things`` (documents or citations), in file order."""
    rows = bound(store, "explore_evidence", "of", things)
    files = sorted({str(r["file"]) for r in rows if r.get("file") is not None})
    paths: dict[str, list[str]] = defaultdict(list)
    for row in bound(store, "explore_file_paths", "file", files):
        paths[str(row["file"])].append(str(row["path"]))
    out: list[_Ev] = []
    for row in rows:
        file = _text(row, "file")
        for path in (sorted(paths[file]) if file and paths.get(file) else [None]):
            out.append(_Ev(str(row["of"]), str(row["quote"]), _int(row, "start"),
                           _int(row, "end"), path))
    found: dict[str, list[_Ev]] = defaultdict(list)
    for ev in sorted(out, key=_Ev.order):
        found[ev.of].append(ev)
    return found


def _as_quote(ev: _Ev, note: str | None = None) -> Quote:
    return Quote(ev.quote, ev.path, ev.start, ev.end, note)


def load_details(store: Any, corpus: Corpus, ids: Iterable[str], *,
                 obligations_of: Iterable[str] = (),
                 note: Any = None) -> Details:
    """Quotes of the documents ``ids`` and of the links among them; obligations of some.

    Every read is bound to the documents drawn (their evidence, the citations they
    make), so the cost follows the size of the view, not of the store.

    Args:
        store: the graph store.
        corpus: the snapshot ``ids`` come from (canonical IRIs); whole or partial, it
            must know the documents ``ids`` stand for (``Corpus.members``).
        ids: documents drawn.
        obligations_of: documents whose obligations are drawn.
        note: ``(relation, stated_by) -> str`` that words the note of a link quote.
    """
    wanted = set(ids)
    raw = sorted({m for i in wanted for m in corpus.members.get(i, (i,))})
    doc_quotes: dict[str, list[Quote]] = defaultdict(list)
    link_quotes: dict[tuple[str, str], list[Quote]] = defaultdict(list)
    for doc, evs in sorted(_evidence(store, raw).items()):
        doc_quotes[corpus.canonical(doc)] += [_as_quote(ev) for ev in evs]
    cites: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in bound(store, "explore_citations_from", "citing", raw):
        pair = (corpus.canonical(str(row["citing"])), corpus.canonical(str(row["cited"])))
        if pair[1] in wanted and pair[0] != pair[1]:
            cites[str(row["c"])].append(row)
    evidence = _evidence(store, cites)
    said: list[tuple[_Ev, str, Relation, str | None]] = []
    for c, rows in cites.items():
        seen = {(_text(r, "relation"), _text(r, "statedBy")) for r in rows}
        for relation, stated_by in sorted(seen, key=lambda x: (x[0] or "", x[1] or "")):
            said += [(ev, str(rows[0]["citing"]), _relation(relation) or Relation.CITES,
                      stated_by) for ev in evidence.get(c, ())]
    for ev, citing, rel, stated_by in sorted(said, key=lambda s: (s[1], *s[0].order()[1:])):
        pair = (corpus.canonical(citing), corpus.canonical(_cited(cites, ev.of)))
        words = note(rel, stated_by) if note else None
        link_quotes[pair].append(_as_quote(ev, words))
    obls: list[ObligationFact] = []
    for creator in sorted(set(obligations_of)):
        for member in corpus.members.get(creator, (creator,)):
            obls.extend(obligations(store, document=member))
    return Details({k: tuple(v) for k, v in doc_quotes.items()},
                   {k: tuple(v) for k, v in link_quotes.items()}, tuple(obls))


def _cited(cites: Mapping[str, list[dict[str, Any]]], citation: str) -> str:
    return str(cites[citation][0]["cited"])
