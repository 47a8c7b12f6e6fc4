"""Report-drafter views over the graph: shared facts, citation conflicts, submissions.

Every view here reads the store through named SPARQL queries
(``graph/queries/trace_*.rq`` for documents, citations, obligations and outline
sections; ``report_*.rq`` for submissions) and turns the rows into frozen *facts*
(``DocFact``, ``CitationFact``, ``ObligationFact``, ``SectionFact``); the decisions
(which dates conflict, which obligation a submission answers, whether it was late)
are plain Python over those facts, so they read the same whichever store backs the
graph. ``graph.trace``, ``graph.check`` and ``graph.calendar`` build on the same facts.

Given one document, a reader binds it and reads only its neighbourhood (a few index
lookups, whatever the size of the store); given none, it reads the whole store with
the same query and the same folding of rows into facts.

How each view decides is written down in ``docs/reports.md``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple, Protocol, TypeVar

import regex
from rdflib import Literal, URIRef
from rdflib.term import Node

from graph.cite_index import CITATION_FIELDS, NODE_FIELDS
from graph.obligation_index import OBLIGATION_FIELDS
from graph.packed import unpack
from graph.results import truthy
from ingest.clean import fold
from ontology.ns import ELI, LO
from ontology.terms import ISSUERS, RELATIONS, Frequency, Relation, fold_code, issuer_by_code

__all__ = [
    "CitationFact",
    "Conflict",
    "ConflictValue",
    "DocFact",
    "Evidence",
    "ObligationFact",
    "SectionFact",
    "SubmissionStatus",
    "bound_rows",
    "citation_fact",
    "citations",
    "column_of",
    "conflict_order",
    "conflicts",
    "conflicts_of",
    "creator_headers",
    "doc_type_of",
    "document_evidence",
    "document_headers",
    "documents",
    "fact_order",
    "fold_symbol",
    "frequency_of",
    "group_rows",
    "int_of",
    "is_local_symbol",
    "known_date",
    "local_mentions",
    "month_day_of",
    "obligations",
    "outline_sections",
    "read_citations",
    "read_date",
    "read_documents",
    "read_obligations",
    "read_sections",
    "recurring_day",
    "relation_of",
    "report_query",
    "same_issuer",
    "section_fact",
    "select",
    "submissions",
    "symbol_key",
    "title_tokens",
    "top_of",
]

# --- query plumbing ---------------------------------------------------------------------------


@cache
def report_query(name: str) -> str:
    """Text of ``graph/queries/<name>.rq`` (the report queries this module owns)."""
    res = resources.files("graph") / "queries" / f"{name}.rq"
    return res.read_text(encoding="utf-8")


def _lex(term: Any) -> str | None:
    """Lexical form of an RDF term from rdflib or pyoxigraph (or a plain value)."""
    if term is None:
        return None
    if isinstance(term, str):  # rdflib terms are str subclasses: str() is the lexical form
        return str(term)
    value = getattr(term, "value", term)
    return str(value)


def _row_values(row: Any, names: Sequence[str]) -> dict[str, str | None]:
    if isinstance(row, Mapping):
        return {n: _lex(row.get(n)) for n in names}
    if hasattr(row, "asdict"):
        d = row.asdict()
        return {n: _lex(d.get(n)) for n in names}
    out: dict[str, str | None] = {}
    for n in names:
        try:
            out[n] = _lex(row[n])
        except (KeyError, IndexError, TypeError):
            out[n] = None
    return out


def _result_vars(result: Any, text: str) -> list[str]:
    found = getattr(result, "vars", None) or getattr(result, "variables", None)
    if found:
        return [str(getattr(v, "value", v)).lstrip("?") for v in found]
    head = text.split("WHERE", 1)[0]
    return [m.group(1) for m in regex.finditer(r"\?(\w+)(?![^(]*\))", head)]


def select(store: Any, name: str, **params: str | None) -> list[dict[str, str | None]]:
    """Run report query ``name`` with IRIs bound to variables; rows as lexical strings.

    Args:
        store: anything with ``.query(sparql, bindings=...)`` (``graph.store.open_store``).
        name: query file name without ``.rq``.
        **params: variable → IRI; None leaves the variable free.

    Returns:
        One dict per solution, variable name → lexical form (None when unbound).
    """
    text = report_query(name)
    bindings = {k: URIRef(v) for k, v in params.items() if v is not None}
    result = store.query(text, bindings=bindings) if bindings else store.query(text)
    names = _result_vars(result, text)
    return [_row_values(row, names) for row in result]


# --- small value helpers ----------------------------------------------------------------------


def read_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def int_of(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _local(iri: str | None) -> str | None:
    """The IRI's last segment, after its last "#" or "/" (None when empty)."""
    if not iri:
        return None
    return iri[max(iri.rfind("#"), iri.rfind("/")) + 1:] or None


@cache
def _relation_by_local() -> dict[str, Relation]:
    return {info.local: info.relation for info in RELATIONS}


@lru_cache(maxsize=1024)  # a few relation IRIs, asked once per citation (300,000 at 100k)
def relation_of(iri: str | None) -> Relation | None:
    local = _local(iri)
    return _relation_by_local().get(local) if local else None


def frequency_of(value: str | None) -> Frequency | None:
    """Frequency from a concept IRI (``…#freq-yearly``) or its notation (``yearly``)."""
    local = _local(value)
    if not local:
        return None
    local = local.removeprefix("freq-")
    try:
        return Frequency(local)
    except ValueError:
        return None


def doc_type_of(value: str | None) -> str | None:
    local = _local(value)
    return local.removeprefix("type-") if local else None


def symbol_key(symbol_or_key: str) -> str:
    """Year-free match key of a symbol or identity key, whatever type code was written.

    "Quyết định 205-QĐ/TW", "205-QĐi/TW" and the key "205-QDI/TW@2017" give one key;
    so do "03-CTr/BDVTW-BCSĐCP" and "03-ctr/bdvtw-bcsdcp".
    """
    from ingest.identity import match_base
    from ingest.symbols import parse_symbol

    head = symbol_or_key.split("@", 1)[0]
    parts = parse_symbol(head)
    return match_base(parts) if parts is not None else fold_symbol(head).upper()


def fold_symbol(symbol: str) -> str:
    """Match key for a số ký hiệu: diacritics, case, spaces and dash variants ignored.

    Example:
        >>> fold_symbol("03-CTr/BDVTW-BCSĐCP") == fold_symbol("03-ctr/bdvtw-bcsdcp")
        True
    """
    return regex.sub(r"\s+", "", fold(symbol))


# Function syllables that carry no topic ("của", "và", "các" …): left out of title
# similarity so two headings do not match on grammar alone.
_STOP = frozenset(
    ("va", "cua", "cac", "cho", "voi", "trong", "tai", "theo", "ve", "la", "de", "nhung",
     "mot", "so", "nay", "do", "duoc", "tu", "den", "tren", "khi", "da", "se", "co", "nhu",
     "hoac")
)


@lru_cache(maxsize=1 << 14)
def title_tokens(text: str) -> frozenset[str]:
    """Diacritic-insensitive content tokens of a heading or a name (remembered: the same
    recipients and headings are compared again and again)."""
    words = regex.findall(r"[\p{L}\p{N}]+", fold(text))
    return frozenset(w for w in words if w not in _STOP and not w.isdigit())


# "Ban Chấp hành Trung ương Đảng (khóa XI)": the term qualifies the body, it does not
# change it; "của" is the genitive in front of issuer names.
_ISSUER_NOISE = regex.compile(r"\(?\s*khoa\s+[ivxlc]+\s*\)?|\bcua\b|\bdang\b")


# An issuer code written in prose ("UBND tỉnh", "Ban Chấp hành TW"): upper-case only, so
# an ordinary word that folds to a code ("từ" → "tu") is never expanded.
_CODE_WORD = regex.compile(r"(?<![\p{L}\p{N}])\p{Lu}{2,}(?![\p{L}\p{N}])", regex.V1)


@cache
def _issuer_names() -> dict[str, str]:
    return {fold_code(i.code): i.vi for i in ISSUERS}


def _issuer_words(name: str) -> frozenset[str]:
    expanded = _CODE_WORD.sub(lambda m: _issuer_names().get(fold_code(m[0]), m[0]), name)
    return frozenset(regex.findall(r"\w+", _ISSUER_NOISE.sub(" ", fold(expanded))))


def same_issuer(a: str, b: str) -> bool:
    """True when two issuer names can denote the same body.

    Issuer codes written in prose are expanded ("UBND" → "Ủy ban nhân dân"); names are
    folded; "của", "Đảng" and a "(khóa …)" qualifier are dropped; one name's words must
    then be contained in the other's ("UBND tỉnh" and "Ủy ban nhân dân tỉnh Ninh Bình"
    agree, so do "Ban Chấp hành Trung ương" and "Ban Chấp hành Trung ương Đảng khóa XI";
    "Bộ Chính trị" and "Ban Bí thư" do not).
    """
    ta, tb = _issuer_words(a), _issuer_words(b)
    if not ta or not tb:
        return True
    return ta <= tb or tb <= ta


# Issuer codes every province or district has (its own UBND, Sở Nội vụ, Tỉnh ủy …): a
# symbol with one of these names a different document in every locality, so mentions
# of it are compared only when they name a compatible issuer.
_LOCAL_CODES = frozenset(
    fold_code(c)
    for c in ("UBND", "HĐND", "SNV", "BCSĐ", "ĐĐ", "TU", "HU", "QU", "TXU", "ĐU", "ĐUK",
              "BTGTU", "BDVTU", "VPTU")
)


def is_local_symbol(symbol: str | None) -> bool:
    """True when the symbol's issuer code is shared by every locality (``84/KH-UBND``)."""
    from ingest.symbols import parse_symbol

    parts = parse_symbol(symbol) if symbol else None
    return bool(parts and parts.issuers and fold_code(parts.issuers[0]) in _LOCAL_CODES)


def local_mentions(fact: DocFact | None, cites: Sequence[CitationFact]) -> list[CitationFact]:
    """The mentions of a local-code document that can be trusted to name *that* document.

    Only mentions naming an issuer compatible with the document's own header issuer
    count; a document known only from mentions has no header to compare with, so none do.
    """
    if fact is None or not fact.issuer or not fact.evidence:
        return []
    return [c for c in cites if c.issuer and same_issuer(c.issuer, fact.issuer)]


# --- facts ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a fact was read: source file, code-point offsets and the exact quote."""

    source: str | None
    start: int | None
    end: int | None
    quote: str | None

    def as_dict(self) -> dict[str, Any]:
        return {"source": self.source, "start": self.start, "end": self.end, "quote": self.quote}

    def contains(self, other: Evidence) -> bool:
        """True when ``other`` lies inside this evidence range of the same file."""
        if None in (self.start, self.end, other.start, other.end):
            return False
        assert self.start is not None and self.end is not None
        assert other.start is not None and other.end is not None
        return (
            self.source == other.source and self.start <= other.start and other.end <= self.end
        )


def _evidence(row: Mapping[str, str | None], prefix: str = "") -> Evidence | None:
    quote = row.get(f"{prefix}quote")
    start = int_of(row.get(f"{prefix}start"))
    if quote is None and start is None:
        return None
    source = row.get(f"{prefix}path") or row.get(f"{prefix}file")
    return Evidence(source, start, int_of(row.get(f"{prefix}end")), quote)


def fact_order(ev: Evidence | None) -> tuple[str, int]:
    if ev is None:
        return ("\uffff", 0)
    return (ev.source or "", ev.start if ev.start is not None else 0)


@dataclass(frozen=True, slots=True)
class DocFact:
    """A document node: identity, header fields and the evidence of its header."""

    iri: str
    symbol: str | None
    key: str | None
    date: dt.date | None
    doc_type: str | None
    title: str | None
    issuer: str | None
    attached_to: str | None
    evidence: tuple[Evidence, ...] = ()

    @property
    def label(self) -> str:
        """Symbol, else a short title, else "văn bản không số" (an unnumbered document)."""
        if self.symbol:
            return self.symbol
        if self.title:
            title = " ".join(self.title.split())
            return title if len(title) <= 60 else title[:59] + "…"
        return "văn bản không số"


@dataclass(frozen=True, slots=True)
class CitationFact:
    """One mention of ``cited`` in ``citing`` (or a relation stated by ``stated_by``)."""

    iri: str
    citing: str
    cited: str
    relation: Relation | None
    date: dt.date | None
    issuer: str | None
    stated_by: str | None
    evidence: Evidence | None


@dataclass(frozen=True, slots=True)
class ObligationFact:
    """An obligation with its deadline (absolute ``due_date`` or recurring ``due_month_day``)."""

    iri: str
    document: str | None
    bearer: str | None
    recipient: str | None
    action: str | None
    due_date: dt.date | None
    due_month_day: str | None  # "--MM-DD"
    frequency: Frequency | None
    delegates_to: tuple[str, ...]
    outlines: tuple[str, ...]
    evidence: Evidence | None

    @property
    def deadline(self) -> str | None:
        return self.due_date.isoformat() if self.due_date else self.due_month_day

    def month_day(self) -> tuple[int, int] | None:
        """(month, day) of a recurring deadline."""
        return month_day_of(self.due_month_day)

    def text(self) -> str:
        """Folded wording (action and quote) used by keyword rules."""
        return fold(" ".join(x for x in (self.action, self.evidence and self.evidence.quote) if x))


@dataclass(frozen=True, slots=True)
class SectionFact:
    """One section of a report outline, with the document the outline is attached to."""

    iri: str
    outline: str
    owner: str | None  # document the outline is attached to (the one requiring the report)
    outline_doc: str | None  # the outline's own document node, when it has one
    number: str
    title: str
    parent: str | None
    names: tuple[str, ...]  # IRIs of documents the section names
    evidence: Evidence | None


_R = TypeVar("_R", bound=Mapping[str, Any])


def group_rows(rows: Iterable[_R], key: str) -> dict[str, list[_R]]:
    """Rows by the value of column ``key`` (rows without one left out)."""
    out: dict[str, list[_R]] = defaultdict(list)
    for r in rows:
        if r.get(key):
            out[str(r[key])].append(r)
    return out


def _values(rows: Sequence[Mapping[str, str | None]], name: str) -> tuple[str, ...]:
    return tuple(sorted({str(r[name]) for r in rows if r.get(name)}))


def _first(rows: Sequence[Mapping[str, str | None]], name: str) -> str | None:
    vals = _values(rows, name)
    return vals[0] if vals else None


def _issuer_name(value: str | None) -> str | None:
    """Issuer label; an issuer concept without a label in the store gets the table's name."""
    if not value or not value.startswith(("http://", "https://", "urn:")):
        return value
    local = _local(value) or ""
    code = local.removeprefix("issuer-")
    info = issuer_by_code().get(fold_code(code)) if local.startswith("issuer-") else None
    return info.vi if info else local


def _dates_in(ev: Evidence) -> set[dt.date]:
    from ingest.dates import find_dates

    return {d for _, _, d in find_dates(ev.quote or "")}


def _header_date(dates: Sequence[dt.date], evs: Sequence[Evidence]) -> dt.date | None:
    """The document's own date: the one its header evidence shows, else the only one.

    A document mentioned in several files may carry one date per file; the date that
    appears in the document's own header evidence wins.
    """
    shown = [d for d in dates if any(d in _dates_in(e) for e in evs)]
    if len(shown) == 1:
        return shown[0]
    return dates[0] if len(dates) == 1 else None


# --- reading facts ----------------------------------------------------------------------------
#
# Every fact is read by the ``trace_*.rq`` queries, whole-store or bound to a few nodes:
# with the nodes bound they read either by plain joins anchored on the bound node (one
# row per field value) or by one-pattern OPTIONALs. Oxigraph (0.5) evaluates an
# OPTIONAL group of several patterns (or a UNION not anchored on a bound variable) over
# the whole store before joining it, so a query shaped that way takes seconds on a large
# store even with its subject bound. The functions below fold the rows into facts;
# ``graph.trace`` keeps what it read in a ``_Reader`` for the length of one trace.

Row = dict[str, str]


@cache
def _query_text(name: str) -> str:
    """Named query ``name`` without comments and indentation (less text to parse per call)."""
    lines = (line.strip() for line in report_query(name).splitlines())
    return "\n".join(line for line in lines if line and not line.startswith("#"))


def bound_rows(store: Any, name: str, **bound: Sequence[Node] | None) -> list[Row]:
    """Rows (lexical forms) of named query ``name``, each variable bound to any of its terms.

    Args:
        store: a ``graph.store.GraphStore`` (its ``select_text``).
        name: query file name without ``.rq``.
        **bound: variable → terms; None leaves the variable free. An empty list matches
            nothing, so the store is not asked at all.
    """
    given = {k: list(v) for k, v in bound.items() if v is not None}
    if any(not terms for terms in given.values()):
        return []  # an empty VALUES block matches nothing: no need to ask
    return store.select_text(_query_text(name), given or None)


def stream_rows(store: Any, name: str) -> Iterator[Row]:
    """The rows of named query ``name`` unbound, one at a time (``GraphStore.iter_text``):
    for a whole-store read folded as it comes, which need not hold every row at once."""
    return store.iter_text(_query_text(name))


def _iris(values: Iterable[str] | None) -> list[Node] | None:
    return None if values is None else [URIRef(v) for v in dict.fromkeys(values)]


def _field_values(rows: Iterable[Row], name: URIRef) -> tuple[str, ...]:
    """Distinct non-empty values of property ``name`` in ``?field``/``?value`` rows, sorted."""
    want = str(name)
    return tuple(sorted({r["value"] for r in rows if r.get("field") == want and r.get("value")}))


def _field_first(rows: Iterable[Row], name: URIRef) -> str | None:
    found = _field_values(rows, name)
    return found[0] if found else None


_EVIDENCE = ("quote", "start", "end")


def _evidences(rows: Iterable[Row]) -> list[Evidence]:
    """Evidence of the rows that carry one, sorted by file and offset.

    An evidence node counts only with its quote and both offsets.
    """
    found = {_evidence(r) for r in rows if all(r.get(k) is not None for k in _EVIDENCE)}
    return sorted((e for e in found if e is not None), key=fact_order)


def column_of(rows: Iterable[Row], name: str) -> tuple[str, ...]:
    """Distinct non-empty values of column ``name`` in sorted order."""
    return tuple(sorted({r[name] for r in rows if r.get(name)}))


def top_of(rows: Iterable[Row], name: str) -> str | None:
    found = column_of(rows, name)
    return found[0] if found else None


# Made once: an rdflib namespace attribute builds and checks a new URIRef at every use
# (about 1 µs; a whole-store read asked for these once per row, 300,000 times at 100k).
_ISSUED_BY = str(LO.issuedBy)


def _issuer_of(rows: Sequence[Row]) -> str | None:
    """The issuer's label (Vietnamese or untagged), else its IRI, over the issuer rows."""
    names = {
        r.get("label") if r.get("label") is not None else r.get("value")
        for r in rows
        if r.get("field") == _ISSUED_BY
    }
    found = sorted(n for n in names if n)
    return _issuer_name(found[0]) if found else None


def _doc_fact(iri: str, rows: Sequence[Row]) -> DocFact:
    """A ``DocFact`` from the ``trace_documents`` rows of one document."""
    evs = tuple(_evidences(rows))
    dates = sorted({d for d in (read_date(v) for v in _field_values(rows, ELI.date_document)) if d})
    return DocFact(
        iri=iri,
        symbol=_field_first(rows, LO.symbol),
        key=_field_first(rows, LO.identityKey),
        date=_header_date(dates, evs),
        doc_type=doc_type_of(_field_first(rows, LO.documentType)),
        title=_field_first(rows, ELI.title),
        issuer=_issuer_of(rows),
        attached_to=_field_first(rows, LO.attachedTo),
        evidence=evs,
    )


def citation_fact(iri: str, rows: Sequence[Row]) -> CitationFact:
    """A ``CitationFact`` from the ``trace_citations`` rows of one citation."""
    evs = _evidences(rows)
    return CitationFact(
        iri=iri,
        citing=top_of(rows, "citing") or "",
        cited=top_of(rows, "cited") or "",
        relation=relation_of(top_of(rows, "relation")),
        date=read_date(top_of(rows, "date")),
        issuer=top_of(rows, "issuer"),
        stated_by=top_of(rows, "statedBy"),
        evidence=evs[0] if evs else None,
    )


def _obligation_fact(iri: str, rows: Sequence[Row]) -> ObligationFact:
    """An ``ObligationFact`` from the ``trace_obligations`` rows of one obligation."""
    evs = _evidences(rows)
    return ObligationFact(
        iri=iri,
        document=_field_first(rows, LO.createdBy),
        bearer=_field_first(rows, LO.bearerText),
        recipient=_field_first(rows, LO.recipientText),
        action=_field_first(rows, LO.action),
        due_date=read_date(_field_first(rows, LO.dueDate)),
        due_month_day=_field_first(rows, LO.dueMonthDay),
        frequency=frequency_of(_field_first(rows, LO.frequency)),
        delegates_to=_field_values(rows, LO.delegatesTo),
        outlines=_field_values(rows, LO.requiresOutline),
        evidence=evs[0] if evs else None,
    )


def section_fact(iri: str, outlines: Sequence[str], owner: str, rows: Sequence[Row]
                  ) -> SectionFact:
    """A ``SectionFact`` from the outlines holding it, its owner and ``trace_sections`` rows."""
    evs = _evidences(rows)
    return SectionFact(
        iri=iri,
        outline=outlines[0],
        owner=owner,
        outline_doc=outlines[0],
        number=top_of(rows, "number") or "",
        title=top_of(rows, "title") or "",
        parent=top_of(rows, "parent"),
        names=column_of(rows, "named"),
        evidence=evs[0] if evs else None,
    )


def read_documents(store: Any, iris: Iterable[str] | None = None) -> dict[str, DocFact]:
    """Documents by IRI, in IRI order: those among ``iris`` (bound lookups), or all (None)."""
    rows = bound_rows(store, "trace_documents", doc=_iris(iris))
    return {iri: _doc_fact(iri, group) for iri, group in sorted(group_rows(rows, "doc").items())}


def _store_order(c: CitationFact) -> tuple[tuple[str, int], str]:
    return (fact_order(c.evidence), c.iri)


def read_citations(
    store: Any, *, citing: Iterable[str] | None = None, cited: Iterable[str] | None = None
) -> list[CitationFact]:
    """Citations inside any of ``citing`` and/or of any of ``cited`` (None: any), sorted
    by evidence (file, offset) then IRI."""
    if citing is None and cited is None:
        every = _every_citation(store)
        if every is not None:
            return every
    bound = {"citing": _iris(citing)}
    if citing is not None and cited is None:  # anchored on the citing documents
        entries, values = "trace_citation_entries", "trace_citations"
    else:
        entries, values = "trace_citation_entries_to", "trace_citations_to"
        bound["cited"] = _iris(cited)
    rows, bare = _unpacked_entries(bound_rows(store, entries, **bound))
    if bare:  # citations without an entry, read value by value
        rows += [r for r in bound_rows(store, values, **bound) if r["c"] in bare]
    facts = (citation_fact(i, group) for i, group in group_rows(rows, "c").items())
    return sorted(facts, key=_store_order)


# trace_citations' columns in a citation entry: its fields, the cited date named ?date,
# then the citation node's own (written later: an older entry lacks them)
_ENTRY_COLUMNS = tuple("date" if f == "citedDate" else f for f in CITATION_FIELDS)
_NODE_COLUMNS = _ENTRY_COLUMNS + NODE_FIELDS


def _every_citation(store: Any) -> list[CitationFact] | None:
    """Every citation of the store, read from the entries alone (``citation_entries``:
    one value a citation, where the graph's values are five lookups in Oxigraph's
    string table), with those that have no entry read value by value.

    None when an entry of an older mapping lacks the citation's own values: the caller
    then reads the store value by value, as before."""
    rows: list[Row] = []
    for r in bound_rows(store, "citation_entries"):
        values = unpack(r["entry"], len(_NODE_COLUMNS), least=len(_ENTRY_COLUMNS))
        if values[len(_ENTRY_COLUMNS)] is None:
            return None
        rows.append({k: v for k, v in zip(_NODE_COLUMNS, values, strict=True) if v is not None})
    groups = group_rows(rows, "c")
    held = sum(int(r["citations"]) for r in bound_rows(store, "citation_count"))
    if held > len(groups):  # some have no entry (no evidence)
        bare = [URIRef(r["c"]) for r in bound_rows(store, "citations_without_entry")]
        for r in bound_rows(store, "trace_citations", c=bare) if bare else []:
            groups[r["c"]].append(r)
    facts = (_entry_fact(i, group[0]) if len(group) == 1 else citation_fact(i, group)
             for i, group in groups.items())
    return sorted(facts, key=_store_order)


def _entry_fact(iri: str, row: Row) -> CitationFact:
    """``citation_fact(iri, [row])`` for the one row of an unpacked entry, without the
    grouping a citation read value by value needs (300,000 of them at 100k documents)."""
    # as _evidences: only with its quote and both offsets
    held = row.get("quote") is not None and row.get("start") is not None \
        and row.get("end") is not None
    evidence = _evidence(row) if held else None
    return CitationFact(
        iri=iri,
        citing=row.get("citing") or "",
        cited=row.get("cited") or "",
        relation=relation_of(row.get("relation") or None),
        date=read_date(row.get("date") or None),
        issuer=row.get("issuer") or None,
        stated_by=row.get("statedBy") or None,
        evidence=evidence,
    )


def _unpacked_entries(rows: Iterable[Row]) -> tuple[list[Row], set[str]]:
    """``trace_citation_entries`` rows as ``trace_citations`` rows (each entry unpacked
    into its columns), and the citations that have no entry (left out of the rows)."""
    out: list[Row] = []
    bare: set[str] = set()
    for r in rows:
        entry = r.pop("entry", None)
        if entry is None:
            bare.add(r["c"])
            continue
        # the citation's own values come from the graph, as the rows' other columns do
        values = unpack(entry, len(_ENTRY_COLUMNS), more=True)
        r.update((k, v) for k, v in zip(_ENTRY_COLUMNS, values, strict=True) if v is not None)
        out.append(r)
    return out, bare


def read_obligations(
    store: Any, *, documents: Iterable[str] | None = None, iris: Iterable[str] | None = None
) -> list[ObligationFact]:
    """Obligations created by any of ``documents`` and/or among ``iris`` (None: any),
    sorted by evidence then IRI."""
    if documents is None and iris is None:
        every = _every_obligation(store)
        if every is not None:
            return every
    rows = bound_rows(store, "trace_obligations", doc=_iris(documents), o=_iris(iris))
    facts = (_obligation_fact(i, group) for i, group in group_rows(rows, "o").items())
    return sorted(facts, key=_obligation_order)


def _obligation_order(o: ObligationFact) -> tuple[tuple[str, int], str]:
    return (fact_order(o.evidence), o.iri)


def _every_obligation(store: Any) -> list[ObligationFact] | None:
    """Every obligation of the store, read from the entries (``obligation_entries``: one
    value an obligation instead of one lookup per field), with those that have no entry,
    or more than one, read value by value. None when no obligation has an entry (a store
    mapped before entries existed): the caller then reads the store value by value."""
    entries: dict[str, list[list[str | None]]] = defaultdict(list)
    for r in bound_rows(store, "obligation_entries"):
        values = unpack(r["entry"], len(OBLIGATION_FIELDS))
        entries[values[0] or ""].append(values)
    if not entries:
        return None
    facts = [_obligation_entry_fact(found[0]) for found in entries.values() if len(found) == 1]
    held = sum(int(r["obligations"]) for r in bound_rows(store, "obligation_count"))
    odd = [URIRef(i) for i, found in entries.items() if len(found) > 1]
    if held > len(entries):  # some have no entry
        odd += [URIRef(r["o"]) for r in bound_rows(store, "obligations_without_entry")]
    if odd:
        rows = bound_rows(store, "trace_obligations", o=odd)
        facts += [_obligation_fact(i, group) for i, group in group_rows(rows, "o").items()]
    return sorted(facts, key=_obligation_order)


def _obligation_entry_fact(values: Sequence[str | None]) -> ObligationFact:
    """``_obligation_fact`` of the one entry of an obligation, unpacked."""
    (iri, doc, bearer, recipient, action, due, month_day, frequency, delegates, quote,
     start, end, path) = values
    held = quote is not None and start is not None and end is not None  # as _evidences
    return ObligationFact(
        iri=iri or "",
        document=doc,
        bearer=bearer,
        recipient=recipient,
        action=action,
        due_date=read_date(due),
        due_month_day=month_day,
        frequency=frequency_of(frequency),
        delegates_to=tuple(sorted(set(delegates.split()))) if delegates else (),
        outlines=(),
        evidence=Evidence(path, int_of(start), int_of(end), quote) if held else None,
    )


# How deep sections nest under an outline ("III.1.a" is three levels; five is ample).
SECTION_DEPTH = 5


def _held_sections(store: Any, outlines: Iterable[str]) -> dict[str, set[str]]:
    """Outline sections up to ``SECTION_DEPTH`` levels under ``outlines``, each with the
    outlines it lies under: one bound lookup per level (a few in all)."""
    held: dict[str, set[str]] = defaultdict(set)
    frontier: dict[str, set[str]] = {o: {o} for o in outlines}
    for _ in range(SECTION_DEPTH):
        below: dict[str, set[str]] = defaultdict(set)
        for r in bound_rows(store, "trace_section_children", parent=_iris(sorted(frontier))):
            below[r["s"]] |= frontier[r["parent"]]
            if truthy(r.get("section")):  # "1" on Virtuoso
                held[r["s"]] |= frontier[r["parent"]]
        if not below:
            break
        frontier = below
    return held


def read_sections(store: Any, owner: str | None = None, *, first_owner: bool = True
                  ) -> list[SectionFact]:
    """Sections of the outlines attached to ``owner`` (None: to any document).

    An outline attached to several documents belongs to the first of them by IRI
    (``first_owner``), as in the whole-store read; with ``first_owner=False`` and an
    ``owner``, every outline attached to ``owner`` counts and its sections name
    ``owner`` as their owner. Sections count up to ``SECTION_DEPTH`` levels deep.
    """
    pairs = bound_rows(store, "trace_outlines", owner=_iris(None if owner is None else [owner]))
    mine = sorted({r["outline"] for r in pairs})
    if owner is not None:  # every document those outlines are attached to
        pairs = bound_rows(store, "trace_outlines", outline=_iris(mine))
    attached: dict[str, set[str]] = defaultdict(set)
    for r in pairs:
        attached[r["outline"]].add(r["owner"])
    held = _held_sections(store, mine)
    owners = {s: min(a for o in outlines for a in attached[o]) for s, outlines in held.items()}
    if owner is not None:
        owners = {i: owner for i, first in owners.items() if first == owner or not first_owner}
    fields = group_rows(bound_rows(store, "trace_sections", s=_iris(sorted(owners))), "s")
    facts = [section_fact(i, sorted(held[i]), o, fields.get(i, [])) for i, o in owners.items()]
    return sorted(facts, key=lambda s: (fact_order(s.evidence), s.iri))


def documents(store: Any, doc: str | None = None) -> dict[str, DocFact]:
    """Document nodes (all, or the one IRI ``doc``) keyed by IRI."""
    return read_documents(store, None if doc is None else [doc])


def document_headers(store: Any, iris: Iterable[str] | None = None) -> dict[str, DocFact]:
    """Every document (or those among ``iris``, bound lookups) as ``documents(store)``
    gives it, but without its header evidence (``evidence`` is empty), for readers that
    show no evidence of documents (submissions, the calendar, ``GET /obligations``).

    The header fields are read without the evidence rows, one row a document
    (``document_headers``), and the issuers' labels once per issuer (``issuer_labels``);
    the few documents given several dates are read whole, as their header evidence
    decides which date is theirs.
    """
    rows = bound_rows(store, "document_headers", doc=_iris(iris))
    labels = _issuer_labels(store, (r["issuer"] for r in rows if r.get("issuer")))
    groups = group_rows(rows, "doc")
    facts = {iri: _header_fact(iri, group, labels) for iri, group in sorted(groups.items())}
    several = [iri for iri, fact in facts.items() if fact.date is None
               and len({read_date(r.get("date")) for r in groups[iri]} - {None}) > 1]
    for iri, fact in read_documents(store, several).items() if several else ():
        facts[iri] = replace(fact, evidence=())
    return facts


def _issuer_labels(store: Any, issuers: Iterable[str]) -> dict[str, list[str]]:
    """The labels of each of ``issuers`` that has one (``issuer_labels``: Vietnamese or
    untagged), sorted; read once per issuer, not once per document it issued."""
    wanted = sorted(set(issuers))
    rows = bound_rows(store, "issuer_labels", issuer=_iris(wanted))
    return {i: sorted(r["label"] for r in group) for i, group in group_rows(rows, "issuer").items()}


def creator_headers(store: Any, obls: Iterable[ObligationFact]) -> dict[str, DocFact]:
    """``document_headers`` of the documents that create ``obls``, read bound to them.

    The whole-store obligation readers (the calendar, ``GET /obligations`` without a
    window) show only these documents: a bound read of them skips every document that
    creates nothing (8.6–8.8 s → 4.3–4.6 s at 100,000 documents, where 55,648 of the
    149,351 documents create one).
    """
    return document_headers(store, sorted({o.document for o in obls if o.document}))


def _header_fact(iri: str, group: Sequence[Row], labels: Mapping[str, Sequence[str]]
                 ) -> DocFact:
    """``_doc_fact`` without evidence, from one document's ``document_headers`` rows and
    its issuers' labels (an issuer without one is named by its IRI, as in
    ``_issuer_of``). A document given several dates gets none here: its evidence decides
    (``document_headers`` reads it whole)."""
    dates = sorted({d for r in group if (d := read_date(r.get("date")))})
    names = {n for r in group if (i := r.get("issuer")) for n in (labels.get(i) or (i,)) if n}
    return DocFact(
        iri=iri,
        symbol=top_of(group, "symbol"),
        key=top_of(group, "key"),
        date=_header_date(dates, ()),
        doc_type=doc_type_of(top_of(group, "type")),
        title=top_of(group, "title"),
        issuer=_issuer_name(min(names)) if names else None,
        attached_to=top_of(group, "attached"),
        evidence=(),
    )


def document_evidence(store: Any, doc: str) -> tuple[Evidence, ...]:
    """The header evidence of document ``doc``, as ``documents(store, doc)`` gives it."""
    found = read_documents(store, [doc]).get(doc)
    return found.evidence if found is not None else ()


def known_date(doc: DocFact, cites: Sequence[CitationFact]) -> dt.date | None:
    """The document's date: its header's, else the one date every dated mention agrees on."""
    if doc.date is not None:
        return doc.date
    seen = {c.date for c in cites if c.cited == doc.iri and c.date is not None}
    return seen.pop() if len(seen) == 1 else None


def citations(
    store: Any, *, citing: str | None = None, cited: str | None = None
) -> list[CitationFact]:
    """Citation nodes, optionally only those of one citing or cited document."""
    return read_citations(store, citing=None if citing is None else [citing],
                          cited=None if cited is None else [cited])


def obligations(store: Any, *, document: str | None = None) -> list[ObligationFact]:
    """Obligation nodes, optionally only those one document creates."""
    return read_obligations(store, documents=None if document is None else [document])


def outline_sections(store: Any, *, owner: str | None = None) -> list[SectionFact]:
    """Sections of the report outlines attached to ``owner`` (or of every outline).

    With ``owner``, every outline attached to it counts (its sections name ``owner``
    as theirs); over the whole store, an outline attached to several documents belongs
    to the first of them by IRI.
    """
    return read_sections(store, owner, first_owner=False)


# --- conflicts --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ConflictValue:
    """One value a document was given, with every place it was given."""

    value: str
    sources: tuple[Evidence, ...]

    def as_dict(self) -> dict[str, Any]:
        return {"value": self.value, "sources": [e.as_dict() for e in self.sources]}


@dataclass(frozen=True, slots=True)
class Conflict:
    """A document cited with different dates (``kind="date"``) or issuers (``"issuer"``)."""

    document: str
    symbol: str | None
    key: str | None
    kind: str
    values: tuple[ConflictValue, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "symbol": self.symbol,
            "key": self.key,
            "kind": self.kind,
            "values": [v.as_dict() for v in self.values],
        }


def date_evidence(doc: DocFact) -> Evidence | None:
    """The header evidence that shows the document's date."""
    return next((e for e in doc.evidence if doc.date and doc.date in _dates_in(e)), None)


def issuer_evidence(doc: DocFact) -> Evidence | None:
    """The header evidence that names the document's issuer."""
    want = title_tokens(doc.issuer or "")
    return next((e for e in doc.evidence if want and want <= title_tokens(e.quote or "")), None)


def _date_claims(doc: DocFact | None, cites: Sequence[CitationFact]) -> dict[str, list[Evidence]]:
    claims: dict[str, list[Evidence]] = defaultdict(list)
    own = date_evidence(doc) if doc is not None else None
    if doc is not None and doc.date is not None and own is not None:
        claims[doc.date.isoformat()].append(own)
    for c in cites:
        if c.date is not None and c.evidence is not None:
            claims[c.date.isoformat()].append(c.evidence)
    return claims


def _issuer_claims(
    doc: DocFact | None, cites: Sequence[CitationFact]
) -> dict[str, list[Evidence]]:
    named: list[tuple[str, Evidence]] = []
    own = issuer_evidence(doc) if doc is not None else None
    if doc is not None and doc.issuer and own is not None:
        named.append((doc.issuer, own))
    named.extend((c.issuer, c.evidence) for c in cites if c.issuer and c.evidence)
    claims: dict[str, list[Evidence]] = defaultdict(list)
    for name, ev in named:
        # Group names that can denote the same body under the first spelling seen.
        home = next((k for k in claims if same_issuer(k, name)), name)
        claims[home].append(ev)
    return claims


def _conflict(doc: str, fact: DocFact | None, kind: str, claims: Mapping[str, list[Evidence]]
              ) -> Conflict | None:
    if len(claims) < 2:
        return None
    values = tuple(
        ConflictValue(v, tuple(sorted(set(evs), key=fact_order)))
        for v, evs in sorted(claims.items())
    )
    return Conflict(doc, fact.symbol if fact else None, fact.key if fact else None, kind, values)


def document_conflicts(
    doc: str, fact: DocFact | None, cites: Sequence[CitationFact]
) -> list[Conflict]:
    """Date and issuer conflicts about one document, given every mention of it.

    For a local-code symbol (``is_local_symbol``) only ``local_mentions`` count, and no
    issuer conflict is reported: two provinces' "30/KH-UBND" are two documents.
    """
    if is_local_symbol(fact.symbol if fact else None):
        local = _conflict(doc, fact, "date", _date_claims(fact, local_mentions(fact, cites)))
        return [local] if local is not None else []
    found = [
        _conflict(doc, fact, "date", _date_claims(fact, cites)),
        _conflict(doc, fact, "issuer", _issuer_claims(fact, cites)),
    ]
    return [c for c in found if c is not None]


def conflicts(store: Any) -> list[Conflict]:
    """Documents cited with different dates or issuers across the corpus.

    A document's own header counts as one more claim. Issuer spellings that can
    denote the same body (``same_issuer``) are one claim. Mentions that restate a
    relation between two other documents count like any mention.

    Read in two passes, so that memory follows the cited documents, not the
    mentions (3 million at a million documents): the first folds every mention's
    date and issuer into what it claims about the document it cites, and each cited
    document's header date and issuer beside them (``_suspects``); only the documents
    that could be in conflict (``_could_differ``) are then read whole, their headers
    with evidence and every mention of them (``conflicts_of``), a batch at a time.
    """
    suspects = _suspects(store)
    out: list[Conflict] = []
    for at in range(0, len(suspects), SUSPECT_BATCH):
        out += conflicts_of(store, suspects[at:at + SUSPECT_BATCH])
    return sorted(out, key=conflict_order)  # stable: batches in IRI order stay in it


SUSPECT_BATCH = 2000
"""How many suspect documents ``conflicts`` reads whole at once (bound lookups)."""


def conflicts_of(store: Any, docs: Iterable[str]) -> list[Conflict]:
    """The conflicts ``conflicts`` finds about the documents ``docs`` (any IRIs: those
    never cited have none), read by bound lookups of them alone: a document's conflicts
    rest on its own header and every mention of it, nothing else."""
    by_cited: dict[str, list[CitationFact]] = defaultdict(list)
    for c in read_citations(store, cited=sorted(set(docs))):
        by_cited[c.cited].append(c)
    cited = sorted(by_cited)
    headers = read_documents(store, cited) if cited else {}
    out: list[Conflict] = []
    for iri in cited:
        out.extend(document_conflicts(iri, headers.get(iri), by_cited[iri]))
    return sorted(out, key=conflict_order)


def conflict_order(c: Conflict) -> tuple[str, str, str]:
    """The order of the conflicts report: by symbol, key and kind (then document IRI, as
    a stable sort of documents taken in IRI order leaves them)."""
    return (c.symbol or "", c.key or "", c.kind)


@dataclass(frozen=True, slots=True)
class _Claimed:
    """What a document's own header can claim: every date it is given, and its issuer
    as ``DocFact.issuer`` reads it (evidence aside)."""

    dates: frozenset[dt.date]
    issuer: str | None


def _claimed_fields(store: Any, docs: Collection[str] | None = None
                    ) -> dict[str, _Claimed]:
    """``_Claimed`` of every document that has a date or an issuer, or of those among
    ``docs`` (``claimed_fields``: those two fields of ``trace_documents_fields``; a
    document with neither claims nothing, as an absent one).

    The rows are folded as they come (``stream_rows``), keeping only ``docs``'; the
    issuers' labels are read once per issuer (``issuer_labels``), where
    ``trace_documents_fields`` reads them once per document, and joined in as its
    ``?label`` rows would be."""
    fields: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
    for r in stream_rows(store, "claimed_fields"):
        doc = r["doc"]
        if docs is not None and doc not in docs:
            continue
        dates, issuers = fields.get(doc, ((), ()))
        if r["field"] == _ISSUED_BY:
            fields[doc] = (dates, (*issuers, r["value"]))
        else:
            fields[doc] = ((*dates, r["value"]), issuers)
    labels = _issuer_labels(store, (i for _, issuers in fields.values() for i in issuers))
    return {doc: _Claimed(frozenset(d for d in map(read_date, dates) if d),
                          _issuer_of(_labelled(issuers, labels)))
            for doc, (dates, issuers) in fields.items()}


def _labelled(issuers: Iterable[str], labels: Mapping[str, Sequence[str]]) -> list[Row]:
    """``trace_documents_fields``' issuer rows of a document issued by ``issuers``: one
    row per label of each, or one without a label for an issuer that has none."""
    rows: list[Row] = []
    for i in issuers:
        named = labels.get(i)
        rows += [{"field": _ISSUED_BY, "value": i, "label": n} for n in named] if named \
            else [{"field": _ISSUED_BY, "value": i}]
    return rows


class _Said(NamedTuple):
    """What a document's mentions claim about it, folded as they are read: each date
    and issuer name given beside a mention, once (a directive cited 40,000 times keeps
    the few it is given)."""

    dates: tuple[dt.date, ...] = ()
    names: tuple[str, ...] = ()

    def add(self, date: dt.date | None, name: str | None) -> _Said:
        """This, with ``date`` and ``name`` among its claims (itself when they are)."""
        dates = self.dates if date is None or date in self.dates else (*self.dates, date)
        names = self.names if not name or name in self.names else (*self.names, name)
        if dates is self.dates and names is self.names:
            return self
        return _Said(dates, names)


_NOTHING_SAID = _Said()  # shared by every document cited without a date or an issuer


def _said_of(cites: Iterable[CitationFact], said: dict[str, _Said] | None = None
             ) -> dict[str, _Said]:
    """``said`` (or a new table) with what ``cites`` claim about the documents they
    cite, counting, as ``document_conflicts`` does, only mentions with evidence."""
    said = {} if said is None else said
    for c in cites:
        said[c.cited] = _may_say(said.get(c.cited, _NOTHING_SAID), c)
    return said


def _may_say(said: _Said, cite: CitationFact) -> _Said:
    """``said`` with what ``cite`` claims, when it has evidence (a claim must show)."""
    return said.add(cite.date, cite.issuer) if cite.evidence is not None else said


_CITATION = _NODE_COLUMNS.index("c")
_CITED, _ISSUER, _DATE = (_NODE_COLUMNS.index(n) for n in ("cited", "issuer", "date"))


def _mentions_said(store: Any) -> dict[str, _Said]:
    """What every mention in the store claims about the document it cites, by cited
    document (every cited one is a key), read from the citation entries one at a time.

    Every entry is counted, with evidence or not: an entry is written only beside a
    mention's evidence, and were a citation given two, counting both claims a superset
    of what its ``CitationFact`` claims, which ``_may_conflict`` may only over-read.
    Citations without an entry are read value by value, as ``read_citations`` reads
    them; a store whose entries lack the citation's own values (an older mapping) is
    read through ``read_citations`` whole."""
    said: dict[str, _Said] = {}
    dates: dict[str, dt.date | None] = {}  # each date read once, and kept once
    entered: set[int] = set()  # the citations' hashes: a collision only undercounts
    for r in stream_rows(store, "citation_entries"):
        values = unpack(r["entry"], len(_NODE_COLUMNS), least=len(_ENTRY_COLUMNS))
        if values[_CITATION] is None:
            return _said_of(read_citations(store))
        entered.add(hash(values[_CITATION]))
        day = values[_DATE]
        date = None if day is None else dates.get(day) or dates.setdefault(day, read_date(day))
        cited = values[_CITED] or ""
        said[cited] = said.get(cited, _NOTHING_SAID).add(date, values[_ISSUER])
    held = sum(int(r["citations"]) for r in bound_rows(store, "citation_count"))
    if held > len(entered):  # some have no entry (no evidence), or two hashes collided
        bare = [URIRef(r["c"]) for r in bound_rows(store, "citations_without_entry")]
        rows = bound_rows(store, "trace_citations", c=bare) if bare else []
        _said_of((citation_fact(i, g) for i, g in group_rows(rows, "c").items()), said)
    return said


def _suspects(store: Any) -> list[str]:
    """The cited documents that could be in conflict (``_could_differ``), in IRI order:
    every mention folded into what it claims, then the cited documents' header fields."""
    said = _mentions_said(store)
    own = _claimed_fields(store, said)
    return sorted(i for i, s in said.items() if _could_differ(own.get(i), s))


def _may_conflict(own: _Claimed | None, cites: Sequence[CitationFact]) -> bool:
    """False only when ``document_conflicts`` surely finds nothing about a document
    whose header claims ``own`` and whose mentions are ``cites`` (``_could_differ``)."""
    said = _NOTHING_SAID
    for c in cites:
        said = _may_say(said, c)
    return _could_differ(own, said)


def _could_differ(own: _Claimed | None, said: _Said | None) -> bool:
    """False only when ``document_conflicts`` surely finds nothing: the claims it counts
    are among the document's header values and its mentions' (with evidence), so
    fewer than two dates, and issuer names that all denote one body, leave nothing.

    Issuer names are grouped under the first spelling seen, so a third spelling can
    join two that differ; hence every pair must match, not only the groups."""
    said = said or _NOTHING_SAID
    dates = set(own.dates if own else ())
    dates.update(said.dates)
    if len(dates) > 1:
        return True
    names = set(said.names)
    if own is not None and own.issuer:
        names.add(own.issuer)
    ordered = sorted(names)
    return any(not same_issuer(a, b) for i, a in enumerate(ordered) for b in ordered[i + 1:])


# --- submissions ------------------------------------------------------------------------------

STATUSES = ("on_time", "late", "missing", "received")


@dataclass(frozen=True, slots=True)
class SubmissionStatus:
    """One agency's answer (or silence) to one obligation, judged against its deadline.

    ``status``: ``on_time`` / ``late`` against the deadline, ``missing`` when the
    table cell is blank, ``received`` when something was sent but no deadline applies
    (no unique obligation, or one without a deadline). ``source`` says whether the
    record came from ``graph`` submission nodes or from re-extracting the ``extraction``.
    """

    agency: str
    group: str | None
    category: str
    symbol: str | None
    date: dt.date | None
    obligation: str | None
    obligation_symbol: str | None
    deadline: dt.date | None
    status: str
    reason: str
    source: str
    evidence: Evidence | None
    candidates: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict[str, Any]:
        return {
            "agency": self.agency,
            "group": self.group,
            "category": self.category,
            "symbol": self.symbol,
            "date": self.date.isoformat() if self.date else None,
            "obligation": self.obligation,
            "obligation_symbol": self.obligation_symbol,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "status": self.status,
            "reason": self.reason,
            "source": self.source,
            "candidates": list(self.candidates),
            "evidence": self.evidence.as_dict() if self.evidence else None,
        }


@dataclass(frozen=True, slots=True)
class _Record:
    """A submissions-table cell, from the graph or from extraction, before judging."""

    agency: str
    group: str | None
    category: str
    symbol: str | None
    date: dt.date | None
    evidence: Evidence | None
    receiver: str | None  # issuer of the document carrying the table (who received)
    year: int | None  # reporting year of the table
    obligation: str | None = None  # link given by the graph, if any
    status: str | None = None  # status given by the graph, if any
    own: tuple[str, ...] = ()  # IRIs of the table and its host: they answer nothing


# Category wording → what the requested item is. Each rule says which obligations can
# be answered by a cell of that column: a criteria report answers the obligation that
# asks for "tiêu chí"; an annual report answers a yearly one; a plan answers one that
# asks for a "kế hoạch"; a half-year report a half-yearly one.
_KIND_RULES: tuple[tuple[str, str], ...] = (
    ("tieu chi", "criteria"),
    ("6 thang", "half-yearly"),
    ("sau thang", "half-yearly"),
    ("bao cao nam", "yearly"),
    ("hang nam", "yearly"),
    ("ke hoach", "plan"),
)


def _kind(category: str) -> str | None:
    folded = fold(category)
    return next((kind for word, kind in _KIND_RULES if word in folded), None)


def _answers_kind(o: ObligationFact, kind: str) -> bool:
    words = o.text()
    if kind == "plan":
        return "ke hoach" in words
    if "bao cao" not in words:  # every other column holds reports
        return False
    if kind == "criteria":
        return "tieu chi" in words
    if kind == "half-yearly":
        return o.frequency is Frequency.HALF_YEARLY
    if kind == "yearly":  # a bare "định kỳ" (periodic) counts when worded as annual
        annual = o.frequency is Frequency.YEARLY or (
            o.frequency in (None, Frequency.PERIODIC)
            and ("hang nam" in words or "bao cao nam" in words)
        )
        return annual and "tieu chi" not in words
    return False


def document_year(doc: DocFact | None, obls: Sequence[ObligationFact]) -> int | None:
    """Year a document belongs to: its date, else the year of its absolute deadlines.

    A letter whose header was lost (a scan that starts at "Kính gửi") still dates
    itself by the absolute deadlines it sets ("trước ngày 25/5/2024").
    """
    if doc is not None and doc.date is not None:
        return doc.date.year
    years = {o.due_date.year for o in obls if o.due_date is not None}
    return years.pop() if len(years) == 1 else None


class _Fit(Protocol):
    """What judging a cell reads of the obligation it answers: an ``ObligationFact`` or,
    between writes, a ``Candidate``."""

    @property
    def iri(self) -> str: ...
    @property
    def document(self) -> str | None: ...
    @property
    def due_date(self) -> dt.date | None: ...
    @property
    def due_month_day(self) -> str | None: ...


def due_in(o: _Fit, year: int) -> dt.date | None:
    """The deadline of ``o`` in reporting year ``year`` (recurring days get that year)."""
    if o.due_date is not None:
        return o.due_date
    return recurring_day(o.due_month_day, year)


# a recurring day as xsd:gMonthDay writes it: "--12-15"
_MONTH_DAY = regex.compile(r"--(\d\d)-(\d\d)")


def month_day_of(text: str | None) -> tuple[int, int] | None:
    """(month, day) of a recurring day written ``--MM-DD``; None for anything else."""
    m = _MONTH_DAY.fullmatch(text or "")
    return (int(m.group(1)), int(m.group(2))) if m else None


@lru_cache(maxsize=4096)  # a window's thousands of yearly deadlines share a few days
def recurring_day(text: str | None, year: int) -> dt.date | None:
    """The day of year ``year`` a recurring day ``--MM-DD`` falls on (a 29 February on
    the 28th in a common year); None when ``text`` is no such day."""
    md = month_day_of(text)
    if md is None:
        return None
    try:
        return dt.date(year, *md)
    except ValueError:  # --02-29 in a common year: the last day of February
        return dt.date(year, 3, 1) - dt.timedelta(days=1)


def _fits(rec: _Record, years: Mapping[str, int | None]) -> Callable[[ObligationFact], bool]:
    """Whether an obligation of the cell's kind fits the cell's record: not set by the
    table's own document, addressed to the body that received the table, due in its
    reporting year."""
    receiver = title_tokens(rec.receiver) if rec.receiver else frozenset()

    def ok(o: ObligationFact) -> bool:
        if o.document in rec.own:
            return False
        if receiver and o.recipient and not receiver <= title_tokens(o.recipient):
            return False
        if rec.year is None:
            return True
        if o.due_date is not None:
            return o.due_date.year == rec.year
        year = years.get(o.document or "")
        return year is None or year <= rec.year

    return ok


class _ByKind:
    """The obligations that answer each kind of submissions column (``_answers_kind``),
    found once per kind: a table of hundreds of cells is matched against the same
    obligations cell after cell."""

    def __init__(self, obls: Sequence[ObligationFact]) -> None:
        self.obligations = obls
        self._found: dict[str, list[ObligationFact]] = {}

    def of(self, kind: str | None) -> list[ObligationFact]:
        """The obligations answering ``kind``, in the order given (none for no kind)."""
        if kind is None:
            return []
        if kind not in self._found:
            self._found[kind] = [o for o in self.obligations if _answers_kind(o, kind)]
        return self._found[kind]


def match_obligation(
    rec: _Record, obls: Sequence[ObligationFact], years: Mapping[str, int | None]
) -> tuple[ObligationFact | None, tuple[ObligationFact, ...]]:
    """The one obligation a submissions-table cell answers, and every candidate.

    Candidates: obligations of the cell's kind, addressed to the body that received the
    table, due in the table's reporting year (absolute deadline in that year, or a
    recurring deadline set by a document of that year or earlier). When several fit,
    those set by a document of the reporting year itself win (the newer instruction for
    that year). Resolved only when exactly one remains.
    """
    return _match(rec, _ByKind(obls), years)


def _match(rec: _Record, by_kind: _ByKind, years: Mapping[str, int | None]
           ) -> tuple[ObligationFact | None, tuple[ObligationFact, ...]]:
    """``match_obligation`` over obligations already sorted by kind."""
    ok = _fits(rec, years)
    fits = [o for o in by_kind.of(_kind(rec.category)) if ok(o)]
    return _chosen(rec.year, fits, lambda o: years.get(o.document or ""))


_F = TypeVar("_F", bound=_Fit)


def _chosen(year: int | None, fits: Sequence[_F], year_of: Callable[[_F], int | None]
            ) -> tuple[_F | None, tuple[_F, ...]]:
    """The one of ``fits`` (the candidates, in order) a cell of reporting year ``year``
    answers, and all of them (``year_of``: the year of a candidate's document)."""
    same_year = [o for o in fits if year is not None and year_of(o) == year]
    pool = same_year or fits
    return (pool[0] if len(pool) == 1 else None), tuple(fits)


class _KindIndex:
    """The obligations answering one kind of column, bucketed so that a cell's
    candidates (``_fits``) are found without testing every obligation: by recipient (a
    receiver is compared once per distinct recipient) and by the year of an absolute
    deadline (only the reporting year's bucket can fit). Recurring deadlines are tested
    one by one on their document's year. Candidates keep the kind's order."""

    def __init__(self, obls: Sequence[ObligationFact], years: Mapping[str, int | None]
                 ) -> None:
        self._years = years
        buckets: dict[str | None, dict[int | None, list[tuple[int, ObligationFact]]]] = {}
        for i, o in enumerate(obls):
            year = o.due_date.year if o.due_date is not None else None
            buckets.setdefault(o.recipient or None, {}).setdefault(year, []).append((i, o))
        self._buckets = buckets

    def fits(self, rec: _Record) -> list[ObligationFact]:
        """``[o for o in obls if _fits(rec, years)(o)]``, in the same order."""
        receiver = title_tokens(rec.receiver) if rec.receiver else frozenset()
        found: list[tuple[int, ObligationFact]] = []
        for recipient, by_year in self._buckets.items():
            if receiver and recipient and not receiver <= title_tokens(recipient):
                continue
            if rec.year is None:
                for items in by_year.values():
                    found += items
                continue
            found += by_year.get(rec.year, ())
            for i, o in by_year.get(None, ()):
                year = self._years.get(o.document or "")
                if year is None or year <= rec.year:
                    found.append((i, o))
        found.sort(key=lambda item: item[0])
        return [o for _, o in found if o.document not in rec.own]


def judge(submitted: dt.date | None, deadline: dt.date | None) -> str:
    """Status of one cell: missing (blank), received (no deadline), on_time or late."""
    if submitted is None:
        return "missing"
    if deadline is None:
        return "received"
    return "on_time" if submitted <= deadline else "late"


_Matched = tuple[_Fit | None, tuple[_Fit, ...]]


def _status(rec: _Record, match: Callable[[_Record], _Matched],
            by_iri: Mapping[str, ObligationFact], docs: Mapping[str, DocFact], source: str
            ) -> SubmissionStatus:
    if rec.obligation and rec.obligation in by_iri:
        chosen: _Fit | None = by_iri[rec.obligation]
        fits: tuple[_Fit, ...] = (by_iri[rec.obligation],)
        reason = "linked in graph"
    else:
        chosen, fits = match(rec)
        reason = (
            "unique match" if chosen else (f"{len(fits)} obligations fit" if fits else "no fit")
        )
    deadline = None
    if chosen is not None and (chosen.due_date is not None or rec.year is not None):
        deadline = due_in(chosen, rec.year or 0)
    doc = docs.get(chosen.document or "") if chosen else None
    return SubmissionStatus(
        agency=rec.agency,
        group=rec.group,
        category=rec.category,
        symbol=rec.symbol,
        date=rec.date,
        obligation=chosen.iri if chosen else None,
        obligation_symbol=doc.label if doc else None,
        deadline=deadline,
        status=rec.status or judge(rec.date, deadline),
        reason=reason,
        source=source,
        evidence=rec.evidence,
        candidates=tuple(o.iri for o in fits),
    )


_YEAR_IN_TITLE = regex.compile(r"\bnăm\s+((?:19|20)\d\d)\b", regex.IGNORECASE)


def _title_year(*titles: str | None) -> int | None:
    for title in titles:
        m = _YEAR_IN_TITLE.search(title or "")
        if m:
            return int(m.group(1))
    return None


def _graph_records(rows: Sequence[Mapping[str, str | None]], docs: Mapping[str, DocFact]
                   ) -> list[_Record]:
    """The cells of ``report_submissions`` ``rows``; ``docs`` holds at least their
    tables and the tables' hosts."""
    out = []
    for _, group in sorted(group_rows(rows, "sub").items()):
        r = group[0]
        table = docs.get(r.get("table") or "")
        host = docs.get(table.attached_to or "") if table and table.attached_to else None
        holder = host or table
        out.append(
            _Record(
                agency=str(r.get("agency") or ""),
                group=r.get("group"),
                category=str(r.get("category") or ""),
                symbol=r.get("symbol"),
                date=read_date(r.get("date")),
                evidence=_evidence(r),
                receiver=holder.issuer if holder else None,
                year=_title_year(table.title if table else None, host.title if host else None),
                obligation=r.get("obligation"),
                status=(r.get("status") or "").replace("-", "_") or None,
                own=tuple(d.iri for d in (table, host) if d is not None),
            )
        )
    return out


class _Headers(dict[str, DocFact]):
    """Document headers read from the store as they are needed (``document_headers``
    bound), where a whole-store read would hand back every document's fields."""

    def __init__(self, store: Any) -> None:
        super().__init__()
        self._store = store
        self._asked: set[str] = set()

    def load(self, iris: Iterable[str | None]) -> None:
        """Read the headers of those of ``iris`` not read yet."""
        wanted = sorted({i for i in iris if i} - self._asked)
        if wanted:
            self._asked.update(wanted)
            self.update(document_headers(self._store, wanted))

    def by_key(self, keys: Iterable[str | None]) -> dict[str, DocFact]:
        """The documents whose identity key is one of ``keys``, the first by IRI when
        several share one."""
        wanted = {k for k in keys if k}
        if not wanted:
            return {}
        rows = bound_rows(self._store, "trace_documents_by_key",
                          key=[Literal(k) for k in sorted(wanted)])
        self.load(r["doc"] for r in rows)
        found: dict[str, DocFact] = {}
        for d in sorted(self.values(), key=lambda d: d.iri):
            if d.key in wanted:
                found.setdefault(d.key, d)
        return found


def _table_records(store: Any, docs: _Headers) -> list[_Record]:
    """The submission cells the graph holds, with the headers of their tables and hosts
    read into ``docs``."""
    rows = select(store, "report_submissions")
    docs.load(r.get("table") for r in rows)
    docs.load(d.attached_to for d in list(docs.values()))
    return _graph_records(rows, docs)


def _extracted_records(store: Any, docs: _Headers) -> list[_Record]:
    """Submission cells re-extracted from the source files the graph names."""
    from ingest.extract import extract_file
    from ingest.models import IngestError

    out: list[_Record] = []
    for path in _values(select(store, "report_source_files"), "path"):
        if not Path(path).is_file():
            continue
        try:
            result = extract_file(path)
        except IngestError:
            continue
        by_key = {d.key: d for d in result.documents}
        known = docs.by_key(k for d in result.documents for k in (d.key, d.attached_to))
        for d in result.documents:
            host = by_key.get(d.attached_to or "") or known.get(d.attached_to or "")
            receiver = d.issuer or (host.issuer if host else None)
            year = _title_year(d.title, host.title if host else None)
            own = tuple(f.iri for f in (known.get(d.key), known.get(d.attached_to or "")) if f)
            for s in d.submissions:
                ev = Evidence(path, s.span.start, s.span.end, s.span.text)
                out.append(
                    _Record(s.agency, s.group, s.category, s.symbol, s.date, ev, receiver, year,
                            own=own)
                )
    return out


def submissions(store: Any, obligation: str | None = None) -> list[SubmissionStatus]:
    """Submission records judged against the obligation each answers.

    Prefers submission nodes in the graph (subjects of ``lo:submittedBy``); when the
    graph has none, re-extracts the submissions tables from the source files the
    graph names (``SubmissionStatus.source`` says which).

    Reads only what the judging needs: every obligation when some cell's column
    names a kind of report that obligations can answer (``_kind``), else only the
    obligations cells are linked to; and the headers of the tables, their hosts and the
    documents creating the obligations that can fit a cell.

    Args:
        store: the graph store.
        obligation: keep only records answering this obligation IRI, due on this
            ISO date, or whose column heading contains this text (folded).
    """
    judged = judge_submissions(store).statuses
    return [s for s in judged if _wanted(s, obligation)]


MatchKey = tuple[str | None, str | None, int | None, tuple[str, ...]]
"""What a cell's candidates rest on: its column's kind, the table's receiver, reporting
year and own documents (``_fits``)."""


def _match_key(rec: _Record) -> MatchKey:
    return (_kind(rec.category), rec.receiver, rec.year, rec.own)


@dataclass(frozen=True, slots=True)
class Candidate:
    """An obligation that fits a column (``MatchKey``), as judging a cell reads it, kept
    between writes (``JudgedSubmissions.pools``): its place in the kind's order, its
    document and that document's year (``document_year``), its deadline."""

    order: tuple[tuple[str, int], str]
    iri: str
    document: str | None
    year: int | None
    due_date: dt.date | None
    due_month_day: str | None

    @classmethod
    def of(cls, o: ObligationFact, years: Mapping[str, int | None]) -> Candidate:
        return cls(_obligation_order(o), o.iri, o.document, years.get(o.document or ""),
                   o.due_date, o.due_month_day)


Pools = Mapping[MatchKey, tuple[Candidate, ...]]


@dataclass(frozen=True, slots=True)
class JudgedSubmissions:
    """Every cell judged (``submissions``), and, for the cells the graph holds, each
    column's candidates: what ``judge_submissions_after`` brings up to date after a write
    without reading every obligation again."""

    statuses: list[SubmissionStatus]
    source: str
    pools: Pools


def judge_submissions(store: Any) -> JudgedSubmissions:
    """``submissions`` of the whole store, with each column's candidates."""
    docs = _Headers(store)
    records, source = _table_records(store, docs), "graph"
    if not records:
        records, source = _extracted_records(store, docs), "extraction"
    kinds = {k for r in records if (k := _kind(r.category))}
    linked = {r.obligation for r in records if r.obligation}
    if kinds:
        obls = obligations(store)
    else:  # no cell can fit an obligation: only the linked ones are shown
        obls = read_obligations(store, iris=sorted(linked)) if linked else []
    by_kind = _ByKind(obls)
    docs.load(o.document for kind in sorted(kinds) for o in by_kind.of(kind))
    docs.load(o.document for o in obls if o.iri in linked)
    statuses, pools = _judged(records, source, docs, by_kind)
    return JudgedSubmissions(statuses, source, pools)


def _wanted(s: SubmissionStatus, obligation: str | None) -> bool:
    return submission_wanted(s.obligation, s.deadline.isoformat() if s.deadline else None,
                             s.category, obligation)


def submission_wanted(answers: str | None, deadline: str | None, category: str,
                      obligation: str | None) -> bool:
    """Whether a judged cell (the obligation IRI it ``answers``, its ISO ``deadline``,
    its column) is among those ``submissions(store, obligation)`` keeps."""
    if not obligation:
        return True
    return answers == obligation or deadline == obligation or fold(obligation) in fold(category)


def _judge_records(records: Sequence[_Record], source: str, docs: Mapping[str, DocFact],
                  by_kind: _ByKind) -> list[SubmissionStatus]:
    """Each record judged against the obligations of ``by_kind`` (``_judged``)."""
    return _judged(records, source, docs, by_kind)[0]


def _judged(records: Sequence[_Record], source: str, docs: Mapping[str, DocFact],
            by_kind: _ByKind) -> tuple[list[SubmissionStatus], Pools]:
    """Each record judged against the obligations of ``by_kind``, and the candidates of
    each column a record has; ``docs`` holds at least the documents creating the
    obligations a record can fit or is linked to (their years and labels).

    Records of one table column share their candidates (``match_obligation`` depends
    only on the ``MatchKey``), found once, from the kind's ``_KindIndex``.
    """
    obls = by_kind.obligations
    years = _document_years(obls, docs)
    by_iri = {o.iri: o for o in obls}
    pools: dict[MatchKey, tuple[Candidate, ...]] = {}
    indexes: dict[str, _KindIndex] = {}
    for rec in records:
        key = _match_key(rec)
        kind = key[0]
        if kind is not None and key not in pools:
            if kind not in indexes:
                indexes[kind] = _KindIndex(by_kind.of(kind), years)
            pools[key] = tuple(Candidate.of(o, years) for o in indexes[kind].fits(rec))
    statuses = _statuses(records, source, docs, by_iri, pools)
    return statuses, pools


def _document_years(obls: Sequence[ObligationFact], docs: Mapping[str, DocFact]
                    ) -> dict[str, int | None]:
    """The year (``document_year``) of each document creating some of ``obls``, all of
    its obligations among them."""
    by_doc: dict[str, list[ObligationFact]] = defaultdict(list)
    for o in obls:
        by_doc[o.document or ""].append(o)
    return {iri: document_year(docs.get(iri), group) for iri, group in by_doc.items()}


def _statuses(records: Sequence[_Record], source: str, docs: Mapping[str, DocFact],
              by_iri: Mapping[str, ObligationFact], pools: Pools) -> list[SubmissionStatus]:
    """``records`` judged: a cell linked to an obligation of ``by_iri`` answers it, any
    other the one candidate of its column's pool that ``_chosen`` picks."""
    found: dict[MatchKey, _Matched] = {}

    def match(rec: _Record) -> _Matched:
        key = _match_key(rec)
        if key[0] is None:
            return None, ()
        if key not in found:
            chosen, fits = _chosen(rec.year, pools[key], _candidate_year)
            found[key] = chosen, fits
        return found[key]

    return [_status(r, match, by_iri, docs, source) for r in records]


def judge_submissions_after(store: Any, pools: Pools, touched: Collection[str]
                            ) -> JudgedSubmissions | None:
    """``judge_submissions`` after a write that touched the nodes ``touched``, from the
    candidates judged before it (``JudgedSubmissions.pools``); None when it cannot be
    brought up to date and must be judged whole.

    A write touches every node of every graph it writes or removes, so an obligation and
    the header of a document change only when they are touched, and so does a document's
    year (``document_year``: its date, or its own obligations' deadlines). Each column's
    candidates are those of before whose document is untouched, and the obligations of
    the touched documents, read again, that fit it. The cells themselves are few (678 at
    100,000 documents) and are read whole.

    None when the cells are re-extracted from files (no cell in the graph), when a cell
    has a column no pool was judged for (a new table, receiver or reporting year: its
    candidates may be any obligation), or when a candidate is touched but its document is
    not.
    """
    docs = _Headers(store)
    records = _table_records(store, docs)
    keys = {k for r in records if (k := _match_key(r))[0] is not None}
    if not records or any(k not in pools for k in keys):
        return None
    if any(c.iri in touched and c.document not in touched for k in keys for c in pools[k]):
        return None
    fresh = read_obligations(store, documents=sorted(touched)) if touched else []
    docs.load(o.document for o in fresh)
    years = _document_years(fresh, docs)
    renewed = {k: _renewed(k, pools[k], touched, fresh, years) for k in keys}
    linked = sorted({r.obligation for r in records if r.obligation})
    by_iri = {o.iri: o for o in read_obligations(store, iris=linked)} if linked else {}
    docs.load(o.document for o in by_iri.values())
    chosen = (_chosen(k[2], pool, _candidate_year)[0] for k, pool in renewed.items())
    docs.load(c.document for c in chosen if c is not None)  # for their labels
    return JudgedSubmissions(_statuses(records, "graph", docs, by_iri, renewed), "graph",
                             renewed)


def _candidate_year(c: Candidate) -> int | None:
    return c.year


def _renewed(key: MatchKey, pool: tuple[Candidate, ...], touched: Collection[str],
             fresh: Sequence[ObligationFact], years: Mapping[str, int | None]
             ) -> tuple[Candidate, ...]:
    """A column's candidates after a write: those of an untouched document, and the
    obligations ``fresh`` (of the touched documents, whose ``years`` are read again) of
    its kind that fit it, in the kind's order."""
    kind, receiver, year, own = key
    assert kind is not None
    column = _Record("", None, "", None, None, None, receiver, year, own=own)
    ok = _fits(column, years)
    added = [Candidate.of(o, years) for o in fresh if _answers_kind(o, kind) and ok(o)]
    kept = [c for c in pool if c.document not in touched]
    return tuple(sorted([*kept, *added], key=lambda c: c.order)) if added else tuple(kept)
