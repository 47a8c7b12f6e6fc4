"""SPARQL 1.1 Protocol pieces: content negotiation, result formats, remote-call checks.

* ``parse_accept`` / ``negotiate``: the ``Accept`` header with q-values, wildcards and
  combined types (RFC 9110 §12.5.1): the most specific range that matches an offered
  type gives its quality; the highest quality wins, ties go to the server's order.
* ``choose_format``: the answer format of a query form, from ``format=`` or ``Accept``.
* ``render``: SPARQL JSON, XML, CSV and TSV results; Turtle, N-Triples, JSON-LD and
  RDF/XML graphs.
* ``remote_targets`` / ``check_remote_calls``: every ``SERVICE`` (and ``LOAD``)
  target of a request, found by lexing the query (so comments and strings cannot hide
  or fake one) and cross-checked with rdflib's parser, against the host allow-list.
* ``check_shape``: nesting and operator chains deep enough to overflow the store's
  parser (a crash, not a slow query) are refused.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit
from xml.sax.saxutils import escape, quoteattr

import regex
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from api.errors import Problem
from graph.results import QueryResult

__all__ = [
    "FORMATS",
    "MAX_NESTING",
    "MAX_OPERATORS",
    "Format",
    "MediaRange",
    "check_remote_calls",
    "check_shape",
    "choose_format",
    "has_dataset_clause",
    "negotiate",
    "parse_accept",
    "remote_targets",
    "render",
    "service_description",
]

# --- Accept ----------------------------------------------------------------------------------

# RFC 9110 token characters: a type or subtype name.
_TOKEN = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"
_MEDIA = regex.compile(rf"^(?P<type>{_TOKEN})/(?P<subtype>{_TOKEN})$")
# qvalue grammar: 0, 0.5, 0.125, 1, 1.000 (at most three decimals, never above 1).
_QVALUE = regex.compile(r"^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$")


@dataclass(frozen=True, slots=True)
class MediaRange:
    """One entry of an Accept header."""

    type: str
    subtype: str
    q: float = 1.0
    params: tuple[tuple[str, str], ...] = ()

    def specificity(self, media: str) -> int | None:
        """How specifically this range names ``media`` (None when it does not match)."""
        kind, _, sub = media.lower().partition("/")
        if self.type == "*":
            return 0
        if self.type != kind:
            return None
        if self.subtype == "*":
            return 1
        return 2 + len(self.params) if self.subtype == sub else None


def _split_outside_quotes(text: str, sep: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    quoted = escaped = False
    for ch in text:
        if escaped:
            escaped = False
        elif ch == "\\" and quoted:
            escaped = True
        elif ch == '"':
            quoted = not quoted
        elif ch == sep and not quoted:
            parts.append("".join(current))
            current = []
            continue
        current.append(ch)
    parts.append("".join(current))
    return parts


def _media_range(entry: str) -> MediaRange | None:
    pieces = _split_outside_quotes(entry, ";")
    media = pieces[0].strip().lower()
    if media == "*":  # sent by some old clients for */*
        media = "*/*"
    m = _MEDIA.match(media)
    if m is None or (m["type"] == "*" and m["subtype"] != "*"):
        return None
    q, params = 1.0, []
    for piece in pieces[1:]:
        name, _, value = piece.partition("=")
        name, value = name.strip().lower(), value.strip().strip('"')
        if name == "q":
            if not _QVALUE.match(value):
                return None
            q = float(value)
            break  # what follows q are accept extensions, not media type parameters
        if name:
            params.append((name, value))
    return MediaRange(m["type"], m["subtype"], q, tuple(params))


def parse_accept(header: str | None) -> tuple[MediaRange, ...]:
    """The well-formed media ranges of an Accept header, in order (malformed ones dropped).

    Example:
        >>> parse_accept("text/csv;q=0.5, */*;q=0.1")[0]
        MediaRange(type='text', subtype='csv', q=0.5, params=())
    """
    if not header:
        return ()
    found = (_media_range(e) for e in _split_outside_quotes(header, ","))
    return tuple(r for r in found if r is not None)


def _quality(ranges: Sequence[MediaRange], media: str) -> float:
    best: tuple[int, float] | None = None
    for r in ranges:
        spec = r.specificity(media)
        if spec is not None and (best is None or (spec, r.q) > best):
            best = (spec, r.q)
    return best[1] if best else 0.0


def negotiate(header: str | None, offered: Sequence[str]) -> str | None:
    """The offered media type the client prefers, or None when none is acceptable.

    No header, or one with no well-formed range, accepts the first offered type.
    """
    ranges = parse_accept(header)
    if not ranges:
        return offered[0] if offered else None
    best, best_q = None, 0.0
    for media in offered:
        q = _quality(ranges, media)
        if q > best_q:
            best, best_q = media, q
    return best


# --- formats ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Format:
    """An answer format: short name (``format=``), media type, aliases, results or graph."""

    name: str
    media: str
    kind: str  # "results" (SELECT/ASK) or "graph" (CONSTRUCT/DESCRIBE)
    aliases: tuple[str, ...] = ()
    rdflib: str = ""


FORMATS: tuple[Format, ...] = (
    Format("json", "application/sparql-results+json", "results", ("application/json",)),
    Format("xml", "application/sparql-results+xml", "results",
           ("application/xml", "text/xml")),
    Format("csv", "text/csv", "results"),
    Format("tsv", "text/tab-separated-values", "results"),
    Format("ttl", "text/turtle", "graph", ("application/x-turtle",), "turtle"),
    Format("nt", "application/n-triples", "graph", ("text/plain",), "nt"),
    Format("jsonld", "application/ld+json", "graph", ("application/json",), "json-ld"),
    Format("rdfxml", "application/rdf+xml", "graph", ("application/xml", "text/xml"), "xml"),
)


def formats_for(form: str) -> tuple[Format, ...]:
    """Formats that can carry the answer of a query form."""
    kind = "graph" if form in ("CONSTRUCT", "DESCRIBE") else "results"
    return tuple(f for f in FORMATS if f.kind == kind)


def pick(offered: Sequence[Format], accept: str | None) -> Format | None:
    """The format ``accept`` prefers among ``offered`` (canonical types before aliases)."""
    media = [f.media for f in offered] + [a for f in offered for a in f.aliases]
    chosen = negotiate(accept, media)
    return next((f for f in offered if chosen in (f.media, *f.aliases)), None)


def choose_format(form: str, accept: str | None, name: str | None) -> Format:
    """The answer format: ``format=`` when given, else by ``Accept``.

    Raises:
        Problem: 400 for a ``format`` that does not fit the form, 406 when nothing in
            ``Accept`` can be produced.
    """
    offered = formats_for(form)
    names = ", ".join(f.name for f in offered)
    if name:
        found = next((f for f in offered if name.lower() in (f.name, f.media)), None)
        if found is None:
            raise Problem(400, "bad_format", format=name, form=form, offered=names)
        return found
    chosen = pick(offered, accept)
    if chosen is None:
        raise Problem(406, "not_acceptable", offered=", ".join(f.media for f in offered),
                      extra={"offered": [f.media for f in offered]})
    return chosen


# --- writing results -------------------------------------------------------------------------

# Characters XML 1.0 cannot carry at all; written as U+FFFD.
_NOT_XML = regex.compile(r"[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]")


def _xml_text(text: str) -> str:
    return escape(_NOT_XML.sub("\ufffd", text))


def _xml_term(term: Node) -> str:
    if isinstance(term, URIRef):
        return f"<uri>{_xml_text(str(term))}</uri>"
    if isinstance(term, BNode):
        return f"<bnode>{_xml_text(str(term))}</bnode>"
    assert isinstance(term, Literal)
    attr = ""
    if term.language:
        attr = f" xml:lang={quoteattr(term.language)}"
    elif term.datatype is not None and term.datatype != XSD.string:
        attr = f" datatype={quoteattr(str(term.datatype))}"
    return f"<literal{attr}>{_xml_text(str(term))}</literal>"


def to_xml(result: QueryResult) -> str:
    """SPARQL Query Results XML Format (W3C Recommendation 2013)."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "<head>"]
    out += [f"<variable name={quoteattr(v)}/>" for v in result.vars]
    out.append("</head>")
    if result.kind == "ask":
        out.append(f"<boolean>{'true' if result.boolean else 'false'}</boolean>")
    else:
        out.append("<results>")
        for row in result.rows:
            cells = "".join(f"<binding name={quoteattr(v)}>{_xml_term(row[v])}</binding>"
                            for v in result.vars if v in row)
            out.append(f"<result>{cells}</result>")
        out.append("</results>")
    out.append("</sparql>")
    return "\n".join(out) + "\n"


_TSV_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _tsv_term(term: Node) -> str:
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    assert isinstance(term, Literal)
    text = '"' + "".join(_TSV_ESCAPES.get(c, c) for c in str(term)) + '"'
    if term.language:
        return f"{text}@{term.language}"
    if term.datatype is not None and term.datatype != XSD.string:
        return f"{text}^^<{term.datatype}>"
    return text


def to_tsv(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results TSV: terms in Turtle syntax, ``?var`` header."""
    if result.kind == "ask":
        return "?boolean\n" + ('"true"' if result.boolean else '"false"') + "\n"
    lines = ["\t".join(f"?{v}" for v in result.vars)]
    lines += ["\t".join(_tsv_term(r[v]) if v in r else "" for v in result.vars)
              for r in result.rows]
    return "\n".join(lines) + "\n"


# Prefixes written in Turtle answers, so they read like the ontology documentation.
PREFIXES = {
    "lo": "https://w3id.org/luocdo/ontology#",
    "eli": "http://data.europa.eu/eli/ontology#",
    "prov": "http://www.w3.org/ns/prov#",
    "dct": "http://purl.org/dc/terms/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "sd": "http://www.w3.org/ns/sparql-service-description#",
}


def graph_bytes(graph: Graph, fmt: Format) -> bytes:
    """``graph`` in an RDF format (prefixes bound for Turtle)."""
    out = Graph()
    for prefix, ns in PREFIXES.items():
        out.bind(prefix, ns)
    for triple in graph:
        out.add(triple)
    data = out.serialize(format=fmt.rdflib, encoding="utf-8")
    return data if isinstance(data, bytes) else str(data).encode("utf-8")


def render(result: QueryResult, fmt: Format) -> bytes:
    """The answer ``result`` written in ``fmt``."""
    if fmt.kind == "graph":
        return graph_bytes(result.graph if result.graph is not None else Graph(), fmt)
    if fmt.name == "json":
        return json.dumps(result.to_json(), ensure_ascii=False).encode("utf-8")
    if fmt.name == "xml":
        return to_xml(result).encode("utf-8")
    if fmt.name == "csv":
        return result.to_csv().encode("utf-8")
    return to_tsv(result).encode("utf-8")


# --- SERVICE and LOAD ------------------------------------------------------------------------

# \uXXXX and \UXXXXXXXX code point escapes: SPARQL 1.1 §19.2 allows them anywhere, so a
# store that expands them first could read "\u0053ERVICE" as SERVICE.
_CODEPOINT = regex.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# PN_LOCAL backslash escapes ("ex:a\-b").
_LOCAL_ESCAPE = regex.compile(r"\\(.)")
# A SPARQL lexer, enough to find keywords outside comments, strings and IRIs. It is
# graph.sparql's, with one change: a prefixed name stops at the first character a
# prefixed name cannot hold. graph.sparql reads up to white space or punctuation, so
# "ex:p<http://o>SERVICE" is one word there, while a store reads ex:p, <http://o> and
# the keyword SERVICE.
_LEXER = regex.compile(
    r"""
    (?P<comment>\#[^\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
               |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<iri><[^\x00-\x20<>"{}|^`\\]*>)
  | (?P<var>[?$][\p{L}\p{N}_]+)
  | (?P<word>(?:[\p{L}_][\p{L}\p{N}_\-.]*)?:(?:[\p{L}\p{N}_\-.:%]|\\.)*
             |[\p{L}_][\p{L}\p{N}_\-]*)
  | (?P<other>\S)
    """,
    regex.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class _Tok:
    kind: str
    text: str


def _lex(text: str) -> list[_Tok]:
    """Tokens of ``text`` (comments and strings are single tokens, so never keywords)."""
    return [_Tok(m.lastgroup or "other", m.group(0)) for m in _LEXER.finditer(text)
            if m.lastgroup != "comment"]


def _expand_codepoints(text: str) -> str:
    def one(m: regex.Match[str]) -> str:
        value = int(m.group(1) or m.group(2), 16)
        return chr(value) if value <= 0x10FFFF else m.group(0)

    return _CODEPOINT.sub(one, text)


def _targets(text: str) -> list[str | None]:
    toks = _lex(text)
    prefixes: dict[str, str] = {}
    base = ""
    found: list[str | None] = []
    for i, tok in enumerate(toks):
        word = tok.text.upper() if tok.kind == "word" else ""
        after = toks[i + 1 : i + 3]
        if word == "PREFIX" and len(after) == 2 and after[1].kind == "iri":
            prefixes[after[0].text.rstrip(":")] = urljoin(base, after[1].text[1:-1])
        elif word == "BASE" and after and after[0].kind == "iri":
            base = urljoin(base, after[0].text[1:-1])
        elif word in ("SERVICE", "LOAD"):
            if after and after[0].text.upper() == "SILENT":
                after = after[1:]
            found.append(_resolve(after[0] if after else None, prefixes, base))
    return found


def _resolve(tok: _Tok | None, prefixes: dict[str, str], base: str) -> str | None:
    if tok is None:
        return None
    if tok.kind == "iri":
        return urljoin(base, tok.text[1:-1]) if base else tok.text[1:-1]
    if tok.kind == "word" and ":" in tok.text:
        prefix, _, local = tok.text.partition(":")
        if prefix in prefixes:
            return prefixes[prefix] + _LOCAL_ESCAPE.sub(r"\1", local)
    return None  # a variable or something unreadable: the target cannot be known


def _walk(node: object, out: list[str | None], seen: set[int]) -> None:
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import Variable

    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, CompValue) and node.name in ("ServiceGraphPattern", "Load"):
        target = node.get("term") if node.name == "ServiceGraphPattern" else node.get("iri")
        out.append(None if isinstance(target, Variable) or target is None else str(target))
    if isinstance(node, dict):
        children: list[object] = list(node.values())
    elif isinstance(node, list | tuple):
        children = list(node)
    else:
        return
    for child in children:
        _walk(child, out, seen)


def _rdflib_targets(text: str) -> list[str | None]:
    """The same targets as rdflib's parser reads them ([] when it cannot parse)."""
    from rdflib.plugins.sparql.algebra import translateQuery, translateUpdate
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    out: list[str | None] = []
    try:
        _walk(translateQuery(parseQuery(text)).algebra, out, set())
    except Exception:  # not a query rdflib can read: try it as an update
        try:
            _walk(translateUpdate(parseUpdate(text)).algebra, out, set())
        except Exception:  # rdflib cannot read it either: the lexer's reading stands
            return []
    return out


# Above this size the second reading (rdflib, pure Python) is skipped: it is a cross-check.
_RDFLIB_MAX_CHARS = 20_000


def remote_targets(text: str) -> list[str | None]:
    """IRIs a request would fetch with ``SERVICE`` or ``LOAD`` (None: not knowable).

    Read three ways, all of which count: by the lexer as written, by the lexer with
    code point escapes expanded, and by rdflib's SPARQL parser (when the words
    SERVICE or LOAD occur at all).

    Example:
        >>> remote_targets('SELECT * { # SERVICE <http://a/>\\n SERVICE <http://b/> {} }')
        ['http://b/']
    """
    expanded = _expand_codepoints(text)
    found = _targets(text)
    readings = [_targets(expanded)] if expanded != text else []
    folded = expanded.lower()
    if ("service" in folded or "load" in folded) and len(text) <= _RDFLIB_MAX_CHARS:
        readings.append(_rdflib_targets(text))
    for reading in readings:
        found += [t for t in reading if t not in found]
    return found


def _allowed(target: str | None, allowlist: Sequence[str]) -> bool:
    if target is None:
        return False
    parts = urlsplit(target)
    try:
        port = parts.port
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return False
    host = parts.hostname.lower()
    return host in allowlist or (port is not None and f"{host}:{port}" in allowlist)


def check_remote_calls(text: str, allowlist: Sequence[str]) -> None:
    """Refuse a request that would call a host outside ``allowlist``.

    Raises:
        Problem: 403 naming the first refused target.
    """
    for target in remote_targets(text):
        if not _allowed(target, allowlist):
            raise Problem(403, "service_refused", target=target or "?var")


# --- shapes the store cannot take ------------------------------------------------------------

# Deepest nesting of { ( [ a request may have. pyoxigraph (0.5) parses and evaluates by
# recursion on one thread's stack: about 1,000 nested function calls overflow an 8 MB
# stack (SIGSEGV), killing the process that runs the query. Real queries nest a dozen
# levels.
MAX_NESTING = 128
# Most operators and UNION / MINUS / OPTIONAL groups: a flat chain of them becomes a
# left-deep tree, evaluated by recursion too (about 2,500 MINUS groups or 10,000 "+"
# overflow the stack).
MAX_OPERATORS = 1000
_OPENING = frozenset("{([")
_CLOSING = frozenset("})]")
# One-character operators of expressions and property paths ("&&" counts twice).
_OPERATOR_CHARS = frozenset("+-*/!=<>&|^?")
# Keywords that chain graph patterns.
_CHAIN_WORDS = frozenset({"UNION", "MINUS", "OPTIONAL"})


def _over(text: str) -> str | None:
    """Which limit ``text`` is over (None: neither), counted outside comments and strings.

    Stops at the first token over a limit, so a huge hostile query is refused at once.
    """
    depth = operators = 0
    for m in _LEXER.finditer(text):
        kind, tok = m.lastgroup, m.group(0)
        if kind == "other":
            if tok in _OPENING:
                depth += 1
                if depth > MAX_NESTING:
                    return (f"nested more than {MAX_NESTING} levels deep; at most "
                            f"{MAX_NESTING} are accepted")
            elif tok in _CLOSING:
                depth = max(depth - 1, 0)
            elif tok in _OPERATOR_CHARS:
                operators += 1
        elif kind == "word" and tok.upper() in _CHAIN_WORDS:
            operators += 1
        if operators > MAX_OPERATORS:
            return (f"more than {MAX_OPERATORS} operators and UNION / MINUS / OPTIONAL "
                    f"groups; at most {MAX_OPERATORS} are accepted")
    return None


def check_shape(text: str) -> None:
    """Refuse a request nested too deeply or chaining too many operators for the store.

    Such a request would crash the process that parses it (stack overflow), not just
    run long, so it is refused before it reaches the store.

    Raises:
        Problem: 400 saying which limit the request is over.
    """
    for reading in dict.fromkeys((text, _expand_codepoints(text))):
        reason = _over(reading)
        if reason is not None:
            raise Problem(400, "bad_query", reason=reason)


def has_dataset_clause(text: str) -> bool:
    """True when the query names its own dataset (``FROM`` / ``FROM NAMED``)."""
    return any(t.kind == "word" and t.text.upper() == "FROM" for t in _lex(text))


_SD = "http://www.w3.org/ns/sparql-service-description#"
_FORMATS_NS = "http://www.w3.org/ns/formats/"
# W3C format IRIs (http://www.w3.org/ns/formats/) of the formats this endpoint writes.
_FORMAT_IRIS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
                "SPARQL_Results_TSV", "Turtle", "N-Triples", "JSON-LD", "RDF_XML")


def service_description(endpoint: str, *, update: bool, federated: bool) -> Graph:
    """The SPARQL 1.1 Service Description of this endpoint (``sd:`` vocabulary)."""
    from rdflib.namespace import RDF, RDFS

    g = Graph()
    svc, dataset, default = URIRef(endpoint), BNode(), BNode()

    def sd(name: str) -> URIRef:
        return URIRef(_SD + name)

    g.add((svc, RDF.type, sd("Service")))
    g.add((svc, sd("endpoint"), URIRef(endpoint)))
    g.add((svc, sd("supportedLanguage"), sd("SPARQL11Query")))
    if update:
        g.add((svc, sd("supportedLanguage"), sd("SPARQL11Update")))
    g.add((svc, sd("feature"), sd("UnionDefaultGraph")))
    if federated:
        g.add((svc, sd("feature"), sd("BasicFederatedQuery")))
    for name in _FORMAT_IRIS:
        g.add((svc, sd("resultFormat"), URIRef(_FORMATS_NS + name)))
    g.add((svc, sd("defaultDataset"), dataset))
    g.add((dataset, RDF.type, sd("Dataset")))
    g.add((dataset, sd("defaultGraph"), default))
    g.add((default, RDF.type, sd("Graph")))
    g.add((svc, RDFS.comment, Literal(
        "luocdo: văn bản, trích dẫn và nghĩa vụ báo cáo; đồ thị mặc định là hợp của mọi "
        "đồ thị có tên.", lang="vi")))
    g.add((svc, RDFS.comment, Literal(
        "luocdo: documents, citations and reporting obligations; the default graph is "
        "the union of all named graphs.", lang="en")))
    return g
