"""Named SPARQL queries (``graph/queries/*.rq``), shared by the CLI and the HTTP API.

Each file opens with a comment header::

    # description: Documents that cite ?doc, with the relation, the quote and the file.
    # param: ?doc document - the cited document: IRI, identity key or symbol
    # param: ?year integer optional - year of issue

A parameter is bound as a ``VALUES`` block (``graph.sparql.inject_values``), never by
pasting text. Its kind says how a string given on the command line becomes RDF terms:

* ``document``: an IRI as is; otherwise an identity key or a symbol, looked up in the
  store (every document whose key or symbol matches, all years);
* ``doctype``: a type slug (``chi-thi``) → its SKOS concept; ``iri``: an IRI;
* ``string``, ``integer``, ``date``: a typed literal.

An optional parameter left out stays unbound; the query's ``FILTER (!BOUND(?x) || …)``
then lets everything through. A ``document`` value also stands for the mentions resolved
to it (``lo:sameDocumentAs``, either way), so a query needs no UNION to include them.

Three more header lines shape how a query runs (Oxigraph evaluates a UNION or a
multi-pattern OPTIONAL group on its own and hash-joins it, which costs seconds on a large
store, while a group anchored on bound variables is a few index lookups):

* ``# then: other_query``: after the query, run ``other_query`` once with a ``VALUES``
  block of the distinct values its parameters (all of kind ``iri``, named like columns of
  this query) take in the rows, and left-join its rows in (the evidence of each edge);
* ``# order: ?a -?b``: the rows are sorted by these columns in Python ("-": descending),
  so the query itself streams and ``limit`` stops it early (a page is sorted within
  itself);
* ``# months: ?monthKey ?from ?to``: bind ``?monthKey`` to the months the dates ``?from``
  and ``?to`` span ("YYYY-MM" and the recurring "--MM"), an exact-match index
  (``lo:dueMonthKey``) in place of a scan of every deadline. Left unbound for spans over
  ``MAX_MONTHS`` months or when either date is missing;
* ``# kept: check other``: run ``check`` (no parameters) first; when it gives no row,
  the store does not keep the derived index this query reads (a store mapped before it,
  or written without a refresh), and ``other``, which reads the same answer without it,
  runs in its place with the same parameters;
* ``# pages: ?page``: column ``?page`` holds several packed rows, one per line
  (``graph.packed.join_rows``, the due pages of ``graph.due_pages``, which carry the
  month they lie in, ``lo:pageMonthKey``, for ``# months:``): each becomes a row
  of its own (the other columns copied) before ``# unpack:`` splits it, and ``limit``
  and ``offset`` cut the rows so made, in their ``# order:``;
* ``# unpack: ?entry ?a ?b:iri …``: column ``?entry`` holds packed rows (``graph.packed``,
  the due index of ``graph.due_index``, the citation entries of ``graph.cite_index``);
  each is split into the columns named after it, in order (``:iri`` makes an IRI,
  ``:int`` an xsd:integer, ``:date`` an xsd:date, otherwise a plain literal; an empty
  value leaves the column unbound), and ``?entry`` itself is dropped (a row without it
  is kept as it is). Columns in brackets at the end (``[?c:int ?d]``) were added to the
  packed format later: a row packed before them lacks them and leaves them unbound. A
  closing ``…`` says rows may hold more values after those named, which the query does
  not read (``cited_by`` reads its citing document from the graph, not from the entry).
  Reading one packed value per row in place of one lookup per value and row is what
  makes a large date window or a long cited-by list fast. ``# order:``
  sorts the unpacked rows (the packed text itself when it is the only column named);
* a body line that starts with ``#?name`` (a comment to any other SPARQL reader) is
  made a pattern when parameter ``?name`` is bound: ``#?type ?doc lo:documentType
  ?type .`` lets a given type drive the lookup, where ``FILTER (!BOUND(?type) || …)``
  alone would test every document. Such a line may only narrow the rows the query's
  FILTERs already keep, so the answer is the same either way;
* ``# descend: ?tier ?value N``: the N first rows (by ``# order:``) of a query over a
  tiered index (``lo:citedByTier``, the bit length of ``?value``): ``?tier`` is bound to
  ``TOP_TIER``, then one less, …, and the reading stops once it holds N rows. A tier
  of few values (the low ones, which hold most documents) is read value by value,
  binding ``?value`` from its highest down. Every row read later sorts after every row
  read earlier, and a value is always read whole, so the N first are among the rows
  read: a few exact lookups in place of sorting every counted document.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

import regex
from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from graph.packed import SEPARATOR, split_rows, unpack
from graph.results import (
    QueryResult,
    date_literal,
    integer_literal,
    known_iri,
    string_literal,
)
from graph.sparql import Binding, inject_rows
from graph.store import GraphStore
from ingest.identity import fold_key
from ingest.symbols import parse_symbol
from ontology.terms import DOC_TYPES, fold_code

__all__ = [
    "Aliased",
    "NamedQuery",
    "Param",
    "Unpack",
    "aliased",
    "list_queries",
    "load_query",
    "month_keys",
    "resolve_documents",
    "run_named",
    "run_named_text",
    "with_aliases",
]

_NAME = regex.compile(r"^[a-z][a-z0-9_]*$")
_DESCRIPTION = regex.compile(r"^#\s*description:\s*(?P<text>.*)$")
_PARAM = regex.compile(
    r"^#\s*param:\s*\?(?P<name>[A-Za-z_]\w*)\s+(?P<kind>\w+)(?P<optional>\s+optional)?"
    r"\s*(?:-\s*(?P<text>.*))?$"
)
_KINDS = frozenset({"document", "doctype", "iri", "string", "integer", "date"})
_THEN = regex.compile(r"^#\s*then:\s*(?P<name>[a-z][a-z0-9_]*)\s*$")
_ORDER = regex.compile(r"^#\s*order:\s*(?P<vars>(?:-?\?[A-Za-z_]\w*\s*)+)$")
_MONTHS = regex.compile(
    r"^#\s*months:\s*\?(?P<key>[A-Za-z_]\w*)\s+\?(?P<start>[A-Za-z_]\w*)\s+"
    r"\?(?P<end>[A-Za-z_]\w*)\s*$")
MAX_MONTHS = 60
_KEPT = regex.compile(r"^#\s*kept:\s*(?P<check>[a-z][a-z0-9_]*)\s+(?P<other>[a-z][a-z0-9_]*)\s*$")
_PAGES = regex.compile(r"^#\s*pages:\s*\?(?P<var>[A-Za-z_]\w*)\s*$")
_DESCEND = regex.compile(r"^#\s*descend:\s*\?(?P<var>[A-Za-z_]\w*)\s+"
                         r"\?(?P<value>[A-Za-z_]\w*)\s+(?P<n>\d+)\s*$")
# Highest tier ``# descend:`` starts from: the bit length of 2**32 - 1 citing documents.
TOP_TIER = 32
# A tier holding at most this many values is read value by value (low tiers hold the
# most documents: reading all of tier 4, counts 8 to 15, meant 700 rows at 100k).
_FINE_SPAN = 32
_IRI = regex.compile(r"^(?:https?|urn):\S+$")
# one column of ``# unpack:``: its name and, after a colon, how it becomes a term
_COLUMN = r"\?[A-Za-z_]\w*(?::iri|:int|:date)?"
_UNPACK = regex.compile(
    r"^#\s*unpack:\s*\?(?P<var>[A-Za-z_]\w*)"
    rf"(?P<columns>(?:\s+{_COLUMN})+)"
    # columns in brackets were added to the packed format later: rows packed before
    # lack them (a store written by an older mapping)
    rf"(?:\s+\[(?P<later>(?:\s*{_COLUMN})+)\s*\])?"
    # "…": rows may hold more values after these, which this query does not read
    r"(?P<more>\s+…)?\s*$")


@dataclass(frozen=True, slots=True)
class Param:
    """One declared parameter of a named query."""

    name: str
    kind: str
    optional: bool
    description: str


@dataclass(frozen=True, slots=True)
class Unpack:
    """A ``# unpack:`` header: column ``var`` holds packed rows (module docstring)."""

    var: str
    columns: tuple[tuple[str, str], ...]  # (name, kind: "iri", "int", "date" or "")
    required: int  # how many values every row holds (the later ones may be missing)
    more: bool = False  # rows may hold values after the columns, left unread ("…")


@dataclass(frozen=True, slots=True)
class NamedQuery:
    """A query file: its name, what it answers and the parameters it takes."""

    name: str
    description: str
    params: tuple[Param, ...]
    text: str
    then: str | None = None  # follow-up query left-joined in (module docstring)
    order: tuple[str, ...] = ()  # columns the rows are sorted by
    months: tuple[str, str, str] | None = None  # (?monthKey, ?from, ?to)
    kept: tuple[str, str] | None = None  # (check query, query run in its place)
    pages: str | None = None  # the column holding several packed rows, one per line
    descend: tuple[str, str, int] | None = None  # (?tier, ?value, rows wanted)
    unpack: Unpack | None = None  # packed rows split into columns


def _query_files() -> dict[str, str]:
    folder = resources.files("graph") / "queries"
    return {
        entry.name[:-3]: entry.read_text(encoding="utf-8")
        for entry in folder.iterdir()
        if entry.name.endswith(".rq")
    }


def _parse(name: str, text: str) -> NamedQuery:
    description: list[str] = []
    params: list[Param] = []
    shape: dict[str, object] = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        if m := _THEN.match(line):
            shape["then"] = m.group("name")
        elif m := _ORDER.match(line):
            shape["order"] = tuple(v.replace("?", "") for v in m.group("vars").split())
        elif m := _MONTHS.match(line):
            shape["months"] = (m.group("key"), m.group("start"), m.group("end"))
        elif m := _KEPT.match(line):
            shape["kept"] = (m.group("check"), m.group("other"))
        elif m := _PAGES.match(line):
            shape["pages"] = m.group("var")
        elif m := _UNPACK.match(line):
            first = _columns(m.group("columns"))
            shape["unpack"] = Unpack(m.group("var"), first + _columns(m.group("later") or ""),
                                     len(first), bool(m.group("more")))
        elif m := _DESCEND.match(line):
            shape["descend"] = (m.group("var"), m.group("value"), int(m.group("n")))
        elif m := _PARAM.match(line):
            kind = m.group("kind")
            if kind not in _KINDS:
                raise ValueError(f"{name}.rq: unknown parameter kind {kind!r}")
            params.append(Param(m.group("name"), kind, bool(m.group("optional")),
                                (m.group("text") or "").strip()))
        elif m := _DESCRIPTION.match(line):
            description.append(m.group("text").strip())
        else:  # a header without "description:" (graph.reports' queries): keep its prose
            description.append(regex.sub(rf"^#\s*(?:{regex.escape(name)}:)?\s*", "", line))
    return NamedQuery(name, " ".join(d for d in description if d), tuple(params), text,
                      **shape)  # type: ignore[arg-type]


def _columns(text: str) -> tuple[tuple[str, str], ...]:
    """``?a ?b:iri`` → ``(("a", ""), ("b", "iri"))``."""
    return tuple((c.lstrip("?").partition(":")[0], c.partition(":")[2]) for c in text.split())


@cache
def _catalogue() -> dict[str, NamedQuery]:
    return {name: _parse(name, text) for name, text in sorted(_query_files().items())}


def list_queries() -> list[NamedQuery]:
    """Every named query, sorted by name."""
    return list(_catalogue().values())


def load_query(name: str) -> str:
    """Text of ``graph/queries/<name>.rq``.

    Raises:
        KeyError: no query of that name.
    """
    if not _NAME.match(name) or name not in _catalogue():
        raise KeyError(f"no named query {name!r}; known: {', '.join(_catalogue())}")
    return _catalogue()[name].text


def resolve_documents(store: GraphStore, value: str) -> list[URIRef]:
    """Documents a user means by ``value``: an IRI, an identity key or a symbol.

    A symbol matches every year ("33/CT-TTg" → 33/CT-TTG@2021 and an undated mention);
    matching is case-insensitive and Đ/D-insensitive on the identity key.
    """
    text = unicodedata.normalize("NFC", value.strip())
    if _IRI.match(text):
        return [URIRef(text)]
    # Exact matches only, each answered by an index: the key itself, every year of a
    # symbol (lo:symbolKey is the key without "@year"), and the symbol as written.
    # (One path of alternatives over one VALUES column: a UNION would be evaluated
    # unbound by Oxigraph, a scan of every key.)
    query = """
        PREFIX lo: <https://w3id.org/luocdo/ontology#>
        SELECT DISTINCT ?d WHERE { ?d lo:identityKey|lo:symbolKey|lo:symbol ?v }"""
    values = [Literal(k) for k in sorted(_key_variants(text) | {text})]
    bindings: dict[str, Binding] = {"v": values}
    return sorted(URIRef(str(d)) for d in store.query(query, bindings).values("d"))


_ALIASES = """PREFIX lo: <https://w3id.org/luocdo/ontology#>
SELECT DISTINCT ?a WHERE { ?d lo:sameDocumentAs|^lo:sameDocumentAs ?a }"""


def with_aliases(store: GraphStore, docs: Sequence[Node]) -> list[Node]:
    """``docs`` and the nodes linked to them by ``lo:sameDocumentAs`` (either way)."""
    out = list(dict.fromkeys(docs))
    iris = [d for d in out if isinstance(d, URIRef)]
    if iris:
        out += [a for a in store.query(_ALIASES, {"d": iris}).values("a") if a not in out]
    return out


def _key_variants(text: str) -> set[str]:
    """Identity keys (without year) a typed symbol may stand for.

    The folded text itself (a key typed as is), and the key of the parsed symbol under
    every document type: confusable codes (a Party "QĐ" is a Quyết định or a Quy định,
    keyed QD or QDI) give one variant each.
    """
    out = {fold_code(text).upper()}
    if "@" in text:  # a full key: that document only
        return out
    parts = parse_symbol(text)
    if parts is not None:
        out.add(fold_key(parts))
        out.update(fold_key(parts, t.slug) for t in DOC_TYPES)
    return out


class Aliased(tuple[Node, ...]):
    """Documents already expanded with their ``lo:sameDocumentAs`` aliases
    (``aliased``): a ``document`` parameter takes them as they are, so several queries
    about one document look its aliases up once."""

    __slots__ = ()


def aliased(store: GraphStore, doc: Node) -> Aliased:
    """``doc`` and its aliases, for several ``run_named`` calls about one document."""
    return Aliased(with_aliases(store, [doc]))


def _terms(store: GraphStore, p: Param, value: object) -> list[Node]:
    """RDF terms for one parameter value (a term, a string, or a sequence of them)."""
    if isinstance(value, Aliased):
        return list(value)
    if isinstance(value, Node):
        return with_aliases(store, [value]) if p.kind == "document" else [value]
    if isinstance(value, Sequence) and not isinstance(value, str):
        return list(dict.fromkeys(t for v in value for t in _terms(store, p, v)))
    text = str(value)
    if p.kind == "document":
        return with_aliases(store, resolve_documents(store, text))
    if p.kind == "doctype":
        from ontology.load import type_concept

        return [URIRef(text) if _IRI.match(text) else type_concept(text)]
    if p.kind == "iri":
        return [URIRef(text)]
    if p.kind == "integer":
        return [Literal(int(text))]
    if p.kind == "date":
        return [Literal(dt.date.fromisoformat(text).isoformat(), datatype=XSD.date)]
    # the graph's text is NFC: a name typed in NFD (or copied from such a file) must match
    return [Literal(unicodedata.normalize("NFC", text))]


def _loose_term(value: object) -> Node:
    if isinstance(value, Node):
        return value
    text = str(value)
    return URIRef(text) if _IRI.match(text) else Literal(text)


def _loose(value: object) -> Binding:
    """A value for a query that declares no parameters: terms as given, IRIs, literals."""
    if isinstance(value, Sequence) and not isinstance(value, str):
        return [_loose_term(v) for v in value]
    return _loose_term(value)


def bind_params(store: GraphStore, query: NamedQuery,
                params: Mapping[str, object]) -> dict[str, Binding]:
    """Turn user values into bindings for ``query``.

    Raises:
        ValueError: an unknown parameter, or a required one missing.
    """
    given = {k: v for k, v in params.items() if v is not None}
    if not query.params:
        return {k: _loose(v) for k, v in given.items()}
    declared = {p.name: p for p in query.params}
    unknown = sorted(set(given) - set(declared))
    if unknown:
        raise ValueError(f"{query.name}: unknown parameter(s) {', '.join(unknown)}; "
                         f"takes {', '.join(declared)}")
    missing = [p.name for p in query.params if not p.optional and p.name not in given]
    if missing:
        raise ValueError(f"{query.name}: missing parameter(s) {', '.join(missing)}")
    return {name: _terms(store, declared[name], v) for name, v in given.items()}


def month_keys(start: dt.date, end: dt.date) -> list[str] | None:
    """Month keys ("YYYY-MM" and "--MM") of the span, or None when it is too long."""
    if end < start:
        return []
    count = (end.year - start.year) * 12 + end.month - start.month + 1
    if count > MAX_MONTHS:
        return None
    keys: list[str] = []
    year, month = start.year, start.month
    for _ in range(count):
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    recurring = sorted({f"--{k[5:]}" for k in keys})
    return keys + recurring


def _month_binding(query: NamedQuery, bound: Mapping[str, Binding]) -> dict[str, Binding]:
    """``# months:``: its key variable bound to the month keys of the span."""
    if query.months is None:
        return {}
    key, start, end = query.months
    dates = []
    for name in (start, end):
        value = bound.get(name)
        if not isinstance(value, Sequence) or len(value) != 1:
            return {}
        dates.append(dt.date.fromisoformat(str(value[0])))
    keys = month_keys(dates[0], dates[1])
    return {} if keys is None else {key: [Literal(k) for k in keys]}


_WHEN = regex.compile(r"^(?P<indent>[ \t]*)#\?(?P<name>[A-Za-z_]\w*)[ \t]", regex.MULTILINE)


def _when_bound(text: str, bound: Mapping[str, Binding]) -> str:
    """``text`` with each ``#?name`` line of a bound parameter made a pattern."""
    if "#?" not in text:
        return text
    return _WHEN.sub(lambda m: m["indent"] if m["name"] in bound else m[0], text)


def _paged(text: str, limit: int | None, offset: int) -> str:
    if limit is None and not offset:
        return text
    if limit is not None and (not isinstance(limit, int) or limit < 0):
        raise ValueError(f"limit must be a non-negative integer, not {limit!r}")
    if not isinstance(offset, int) or offset < 0:
        raise ValueError(f"offset must be a non-negative integer, not {offset!r}")
    page = f"\nLIMIT {limit}" if limit is not None else ""
    return text.rstrip() + page + (f"\nOFFSET {offset}" if offset else "")


def _then(store: GraphStore, result: QueryResult, name: str) -> QueryResult:
    """Left-join the rows of follow-up query ``name`` (module docstring)."""
    follow = _catalogue()[name]
    keys = tuple(p.name for p in follow.params)
    wanted: list[tuple[Node, ...]] = sorted(
        {tuple(r[k] for k in keys) for r in result.rows if all(k in r for k in keys)},
        key=lambda t: tuple(map(str, t)))
    extra: dict[tuple[Node | None, ...], list[dict[str, Node]]] = {}
    names: list[str] = []
    step = 200  # rows per VALUES block
    for i in range(0, len(wanted), step):
        found = store.query(inject_rows(follow.text, keys, wanted[i:i + step]))
        names += [v for v in found.vars if v not in names]
        for row in found.rows:
            extra.setdefault(tuple(row.get(k) for k in keys), []).append(dict(row))
    added = [v for v in names if v not in result.vars]
    rows: list[dict[str, Node]] = []
    for r in result.rows:
        matches = extra.get(tuple(r.get(k) for k in keys), [])
        rows += [{**m, **r} for m in matches] or [dict(r)]
    return QueryResult("select", vars=(*result.vars, *added), rows=tuple(rows))


# how a packed value becomes a term; the values are luocdo's own (graph.due_index
# packs IRIs it minted and integers it wrote), so rdflib's checks can be skipped
_MAKERS: dict[str, Callable[[str], Node]] = {
    "iri": known_iri, "int": integer_literal, "date": date_literal, "": string_literal}


# A row and the text of its packed value (None: the row has none).
_Packed = tuple[Mapping[str, Node], str | None]


def _packed_rows(result: QueryResult, var: str, lines: bool) -> list[_Packed]:
    """Each row with the text of its packed column ``var``; with ``lines`` (``# pages:``),
    one pair per packed row of a page."""
    pairs: list[_Packed] = []
    for row in result.rows:
        packed = row.get(var)
        if packed is None:
            pairs.append((row, None))
        elif lines:
            pairs.extend((row, entry) for entry in split_rows(str(packed)))
        else:
            pairs.append((row, str(packed)))
    return pairs


def _unpacked(result: QueryResult, pairs: Sequence[_Packed], spec: Unpack) -> QueryResult:
    """``result``'s rows (``pairs``) with the packed column split (``# unpack:``, module
    docstring)."""
    var, columns, least, more = spec.var, spec.columns, spec.required, spec.more
    width = len(columns)
    names = [name for name, _ in columns]
    makers = [_MAKERS[kind] for _, kind in columns]
    # per column, the terms made so far: most values repeat (documents, bearers, dates)
    slots: list[tuple[str, Callable[[str], Node], dict[str, Node]]] = [
        (name, make, {}) for name, make in zip(names, makers, strict=True)]
    rows: list[dict[str, Node]] = []
    rest: dict[str, Node] = {}
    last: Mapping[str, Node] | None = None
    for r, packed in pairs:
        if r is not last:  # the rows a page is split into share theirs
            last, rest = r, {k: v for k, v in r.items() if k != var}
        row = dict(rest)
        if packed is not None:
            values: list[str] | list[str | None] = packed.split(SEPARATOR)
            held = len(values)
            if held != width:
                if "\\" not in packed and more and held > width:
                    # values after the columns, left unread: a citation entry holds
                    # eleven, cited_by reads seven (every row of a directive's list)
                    del values[width:]
                else:  # an older width (or a wrong one, which unpack reports)
                    values = unpack(packed, width, least=least, more=more)
            elif "\\" in packed:  # escapes
                values = unpack(packed, width, least=least, more=more)
            # (an empty value, "" here or None from unpack, leaves its column unbound)
            for (name, make, seen), value in zip(slots, values, strict=True):
                if value:
                    term = seen.get(value)
                    if term is None:
                        term = seen[value] = make(value)
                    row[name] = term
        rows.append(row)
    # a column the SELECT already names (unbound there) keeps its place; the others
    # take the packed column's
    kept = [v for v in result.vars if v != var]
    added = [c for c in names if c not in kept]
    at = result.vars.index(var) if var in result.vars else len(result.vars)
    return QueryResult(result.kind, vars=(*kept[:at], *added, *kept[at:]), rows=tuple(rows))


def _shaped(store: GraphStore, query: NamedQuery, result: QueryResult,
            cut: tuple[int | None, int] = (None, 0)) -> QueryResult:
    """``result`` unpacked, completed with its follow-up and sorted, as the header says
    (``cut``: the limit and offset a ``# pages:`` query applies to its rows here)."""
    if result.kind != "select":
        return result
    later: tuple[str, ...] = ()
    if query.unpack is not None:
        spec = query.unpack
        pairs = _packed_rows(result, spec.var, query.pages == spec.var)
        if query.order == (spec.var,):
            # the packed rows, as strings: 1.2 ms for a quarter's 1,292 rows where
            # _sorted's typed keys take 2.8 (the date window is a hot path), in the same
            # order (rows without a packed value first)
            pairs.sort(key=lambda pair: (pair[1] is not None, pair[1] or ""))
        else:
            later = query.order  # on the unpacked columns
        if query.pages is not None:
            limit, offset = cut
            pairs = pairs[offset:None if limit is None else offset + limit]
        result = _unpacked(result, pairs, spec)
    elif query.order and all(v.lstrip("-") in result.vars for v in query.order):
        result = _sorted(result, query.order)
    elif query.order:
        later = query.order
    if query.then is not None:
        result = _then(store, result, query.then)
    if later:
        result = _sorted(result, later)
    return result


_UNBOUND_KEY = (0, 0.0, "")


def _column_keys(rows: Sequence[Mapping[str, Node]], var: str) -> list[tuple[int, float, str]]:
    """Each row's sort key on ``var``: unbound first, then numbers by value, then the
    rest by text (as plain strings, which compare in C; rdflib terms compare in Python).

    Built for the whole column in one loop: with a key function called per row and
    column, sorting a directive's 4,480 citing rows at 10,000 documents took 9–11 ms,
    6 ms this way. ``_value`` is the slot rdflib's ``Literal.value`` returns (see
    ``graph.results.string_literal``)."""
    keys: list[tuple[int, float, str]] = []
    append = keys.append
    for row in rows:
        term = row.get(var)
        if term is None:
            append(_UNBOUND_KEY)
        elif type(term) is Literal and isinstance(value := term._value, (int, float)):
            append((1, float(value), ""))
        else:
            append((2, 0.0, str(term)))
    return keys


def _sorted(result: QueryResult, order: tuple[str, ...]) -> QueryResult:
    """Rows sorted by ``order`` (a leading "-" sorts that column descending), stably."""
    rows = list(result.rows)
    if not any(spec.startswith("-") for spec in order):  # one pass on all the keys
        keys = list(zip(*(_column_keys(rows, spec) for spec in order), strict=True))
        rows = [rows[i] for i in sorted(range(len(rows)), key=keys.__getitem__)]
    else:
        for spec in reversed(order):  # stable sorts, last key first
            column = _column_keys(rows, spec.lstrip("-"))
            at = sorted(range(len(rows)), key=column.__getitem__,
                        reverse=spec.startswith("-"))
            rows = [rows[i] for i in at]
    return QueryResult(result.kind, vars=result.vars, rows=tuple(rows))


def _prepared(store: GraphStore, name: str, params: Mapping[str, object]
              ) -> tuple[NamedQuery, dict[str, Binding]]:
    """Named query ``name`` and its bindings: ``params`` bound, the months added."""
    load_query(name)
    query = _catalogue()[name]
    bound = bind_params(store, query, params)
    bound.update(_month_binding(query, bound))
    return query, bound


def run_named(store: GraphStore, name: str, *, limit: int | None = None, offset: int = 0,
              **params: object) -> QueryResult:
    """Run named query ``name`` with ``params`` bound (see the module docstring).

    Args:
        store: the graph store.
        name: a ``graph/queries`` name.
        limit, offset: a page of the rows (in the store's order; sorted within the page
            when the query declares ``# order:``).
        params: the query's parameters.

    Example:
        ``run_named(store, "cited_by", doc="33/CT-TTg", limit=50)``

    Raises:
        KeyError: no such query. ValueError: bad parameters.
    """
    query, bound = _prepared(store, name, params)
    other = _in_place(store, query)
    if other is not None:
        return run_named(store, other, limit=limit, offset=offset, **params)
    if query.descend is not None and query.descend[0] not in bound:
        return _descending(store, query, bound, limit, offset)
    if query.pages is not None:  # the rows are cut once the pages are split
        text = _when_bound(query.text, bound)
        _paged("", limit, offset)  # the same checks of limit and offset
        return _shaped(store, query, store.query(text, bound), (limit, offset))
    text = _paged(_when_bound(query.text, bound), limit, offset)
    return _shaped(store, query, store.query(text, bound))


def _in_place(store: GraphStore, query: NamedQuery) -> str | None:
    """The query to run in place of ``query`` (``# kept:``), or None to run it."""
    if query.kept is None:
        return None
    check, other = query.kept
    return None if store.select_text(load_query(check)) else other


def run_named_text(store: GraphStore, name: str, **params: object) -> list[dict[str, str]]:
    """The rows of named query ``name`` as plain strings (``GraphStore.select_text``), its
    ``# unpack:`` column split into text values (an empty value leaves its column out).

    For readers that parse the values themselves (``api.obligation_window``): a window
    of tens of thousands of due entries is read without building an rdflib term per
    value. The rows come in the store's order.

    Raises:
        KeyError: no such query. ValueError: bad parameters, or a query shaped by
            ``# then:``, ``# order:`` or ``# descend:`` (read those with ``run_named``).
    """
    query, bound = _prepared(store, name, params)
    if query.then or query.order or query.descend:
        raise ValueError(f"{name}: run_named_text reads plain queries; use run_named")
    other = _in_place(store, query)
    if other is not None:
        return run_named_text(store, other, **params)
    rows = store.select_text(_when_bound(query.text, bound), bound)
    spec = query.unpack
    if spec is None:
        return rows
    names = [column for column, _ in spec.columns]
    width = len(names)
    out: list[dict[str, str]] = []
    for row in rows:
        packed = row.pop(spec.var, None)
        if packed is None:
            out.append(row)
            continue
        for entry in (split_rows(packed) if query.pages == spec.var else (packed,)):
            values = unpack(entry, width, least=spec.required, more=spec.more)
            out.append({**row, **{k: v for k, v in zip(names, values, strict=True)
                                  if v is not None}})
    return out


def _descending(store: GraphStore, query: NamedQuery, bound: Mapping[str, Binding],
                limit: int | None, offset: int) -> QueryResult:
    """``run_named`` of a ``# descend:`` query (module docstring): tier by tier from the
    top until the rows read hold the ones asked for, then ordered and cut."""
    assert query.descend is not None
    var, value, wanted = query.descend
    _paged("", limit, offset)  # the same checks of limit and offset
    need = wanted if limit is None else min(wanted, offset + limit)
    rows: list[dict[str, Node]] = []
    names: tuple[str, ...] = ()
    for tier in range(TOP_TIER, 0, -1):
        if len(rows) >= need:
            break
        low, high = 1 << (tier - 1), (1 << tier) - 1  # the values of this tier
        steps: list[dict[str, Binding]] = (
            [{var: [Literal(tier)], value: [Literal(v)]} for v in range(high, low - 1, -1)]
            if high - low + 1 <= _FINE_SPAN else [{var: [Literal(tier)]}])
        for step in steps:
            if len(rows) >= need:
                break
            step_bound = {**bound, **step}
            found = store.query(_when_bound(query.text, step_bound), step_bound)
            names = names or found.vars
            rows += [dict(r) for r in found.rows]
    result = _shaped(store, query, QueryResult("select", vars=names, rows=tuple(rows)))
    end = wanted if limit is None else min(wanted, offset + limit)
    return QueryResult("select", vars=result.vars, rows=result.rows[offset:end])
