"""Generate ``ontology/luocdo.html``: bilingual reference documentation of the ontology.

A small self-contained generator (no network, no JavaScript, no external CSS):
pyLODE 3.4.1 was tried and fails at start-up when installed from a wheel. The
page lists classes, properties, concept schemes and the alignments to ELI,
DCTERMS, PROV-O, OWL-Time and SKOS, with Vietnamese and English labels side by
side. Output is deterministic, so the committed file can be checked for
staleness::

    python -m ontology.docs            # write ontology/luocdo.html
    python -m ontology.docs --check    # exit 1 if the committed file is stale
"""

from __future__ import annotations

import argparse
import html
from collections.abc import Iterable, Sequence
from pathlib import Path

from rdflib import Graph, Literal, Node, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from ontology.load import ontology_graph, ontology_path
from ontology.ns import LO

__all__ = ["default_output", "main", "render_html", "write_html"]

ONTOLOGY_IRI = URIRef("https://w3id.org/luocdo/ontology")
TYPE_CONCEPT = LO.typeConcept

# Prefixes shown for external terms; the order is the one CURIEs are tried in.
PREFIXES: tuple[tuple[str, str], ...] = (
    ("lo", str(LO)),
    ("eli", "http://data.europa.eu/eli/ontology#"),
    ("dct", "http://purl.org/dc/terms/"),
    ("prov", "http://www.w3.org/ns/prov#"),
    ("time", "http://www.w3.org/2006/time#"),
    ("skos", str(SKOS)),
    ("oa", "http://www.w3.org/ns/oa#"),
    ("owl", str(OWL)),
    ("rdfs", str(RDFS)),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
)

CSS = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 72rem; line-height: 1.45;
       color: #1d1d1f; padding: 0 1rem; }
h1 { font-size: 1.6rem; } h2 { margin-top: 2.5rem; border-bottom: 2px solid #ccc; }
h3 { margin-bottom: .3rem; } code { background: #f3f3f3; padding: 0 .2rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .93rem; }
th, td { border: 1px solid #ddd; padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #f7f7f7; } .term { border: 1px solid #e3e3e3; padding: .6rem 1rem;
margin: 1rem 0; border-radius: 6px; } .en { color: #555; } nav ul { columns: 3; }
""".strip()


# ----------------------------------------------------------------- small helpers


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _curie(iri: Node) -> str:
    """Short name of an IRI (``lo:Directive``), or the full IRI."""
    text = str(iri)
    for prefix, namespace in PREFIXES:
        if text.startswith(namespace) and len(text) > len(namespace):
            return f"{prefix}:{text[len(namespace):]}"
    return text


def _anchor(iri: Node) -> str:
    return str(iri)[len(str(LO)):] if str(iri).startswith(str(LO)) else ""


def _link(iri: Node) -> str:
    """HTML for a term: an in-page link for lo: terms, an external link otherwise."""
    if not isinstance(iri, URIRef):
        return "<em>(anonymous)</em>"
    anchor = _anchor(iri)
    target = f"#{anchor}" if anchor else str(iri)
    return f'<a href="{_esc(target)}"><code>{_esc(_curie(iri))}</code></a>'


def _links(iris: Iterable[Node]) -> str:
    return ", ".join(_link(i) for i in sorted(iris, key=str)) or "—"


def _text(graph: Graph, subject: Node, predicate: URIRef, lang: str) -> str:
    """All literals of ``predicate`` in ``lang``, joined; '' when none."""
    values = sorted(
        str(o) for o in graph.objects(subject, predicate)
        if isinstance(o, Literal) and o.language == lang
    )
    return "; ".join(values)


def _lo_subjects(graph: Graph, rdf_type: URIRef) -> list[URIRef]:
    """lo: IRIs typed ``rdf_type``, sorted by local name."""
    found = {s for s in graph.subjects(RDF.type, rdf_type)
             if isinstance(s, URIRef) and str(s).startswith(str(LO))}
    return sorted(found, key=str)


# ----------------------------------------------------------------- sections


def _term_block(graph: Graph, iri: URIRef, rows: Sequence[tuple[str, str]]) -> str:
    """One term: heading with both labels, the comment in each language, a fact table."""
    vi = _text(graph, iri, RDFS.label, "vi")
    en = _text(graph, iri, RDFS.label, "en")
    comment_en = _text(graph, iri, RDFS.comment, "en")
    comment_vi = _text(graph, iri, RDFS.comment, "vi")
    facts = "\n".join(f"<tr><th>{_esc(k)}</th><td>{v}</td></tr>" for k, v in rows if v)
    return (
        f'<div class="term" id="{_esc(_anchor(iri))}">'
        f'<h3><code>{_esc(_curie(iri))}</code> — <span lang="vi">{_esc(vi)}</span> · '
        f'<span lang="en" class="en">{_esc(en)}</span></h3>'
        f'<p lang="en">{_esc(comment_en)}</p>'
        + (f'<p lang="vi" class="en">{_esc(comment_vi)}</p>' if comment_vi else "")
        + (f"\n<table>\n{facts}\n</table>" if facts else "")
        + "</div>"
    )


def _class_rows(graph: Graph, iri: URIRef) -> list[tuple[str, str]]:
    subclasses = [s for s in graph.subjects(RDFS.subClassOf, iri) if isinstance(s, URIRef)]
    return [
        ("Super-classes", _links(graph.objects(iri, RDFS.subClassOf))),
        ("Sub-classes", _links(subclasses) if subclasses else ""),
        ("Type concept", _links(graph.objects(iri, TYPE_CONCEPT))),
        ("See also", _links(graph.objects(iri, RDFS.seeAlso))),
    ]


def _property_rows(graph: Graph, iri: URIRef) -> list[tuple[str, str]]:
    inverse = [*graph.objects(iri, OWL.inverseOf), *graph.subjects(OWL.inverseOf, iri)]
    return [
        ("Super-properties", _links(graph.objects(iri, RDFS.subPropertyOf))),
        ("Domain", _links(graph.objects(iri, RDFS.domain))),
        ("Range", _links(graph.objects(iri, RDFS.range))),
        ("Inverse", _links(inverse) if inverse else ""),
        ("See also", _links(graph.objects(iri, RDFS.seeAlso))),
    ]


def _section(title: str, anchor: str, blocks: Sequence[str]) -> str:
    return f'<h2 id="{_esc(anchor)}">{_esc(title)}</h2>\n' + "\n".join(blocks)


def _classes(graph: Graph) -> str:
    blocks = [_term_block(graph, c, _class_rows(graph, c)) for c in _lo_subjects(graph, OWL.Class)]
    return _section("Lớp · Classes", "classes", blocks)


def _properties(graph: Graph, kind: URIRef, title: str, anchor: str) -> str:
    blocks = [_term_block(graph, p, _property_rows(graph, p)) for p in _lo_subjects(graph, kind)]
    return _section(title, anchor, blocks)


def _concept_row(graph: Graph, concept: URIRef) -> str:
    notations = sorted({str(n) for n in graph.objects(concept, SKOS.notation)})
    alts = _text(graph, concept, SKOS.altLabel, "vi")
    matches = _links(graph.objects(concept, SKOS.exactMatch))
    return (
        f'<tr id="{_esc(_anchor(concept))}"><td><code>{_esc(_curie(concept))}</code></td>'
        f"<td>{_esc(', '.join(notations))}</td>"
        f'<td lang="vi">{_esc(_text(graph, concept, SKOS.prefLabel, "vi"))}</td>'
        f'<td lang="en">{_esc(_text(graph, concept, SKOS.prefLabel, "en"))}</td>'
        f'<td lang="vi">{_esc(alts)}</td><td>{matches}</td></tr>'
    )


def _schemes(graph: Graph) -> str:
    parts = []
    for scheme in _lo_subjects(graph, SKOS.ConceptScheme):
        concepts = sorted(
            (c for c in graph.subjects(SKOS.inScheme, scheme) if isinstance(c, URIRef)), key=str
        )
        head = ("<tr><th>IRI</th><th>Notation</th><th>Tiếng Việt</th><th>English</th>"
                "<th>Tên khác</th><th>Exact match</th></tr>")
        rows = "\n".join(_concept_row(graph, c) for c in concepts)
        table = f"<table>\n{head}\n{rows}\n</table>"
        parts.append(_term_block(graph, scheme, []) + table)
    return _section("Danh mục SKOS · SKOS concept schemes", "schemes", parts)


def _alignments(graph: Graph) -> str:
    """Every lo: term whose super-class or super-property lies outside lo:."""
    rows = []
    for predicate, label in ((RDFS.subClassOf, "⊑ class"), (RDFS.subPropertyOf, "⊑ property")):
        pairs = sorted(graph.subject_objects(predicate), key=lambda so: (str(so[0]), str(so[1])))
        for s, o in pairs:
            if str(s).startswith(str(LO)) and not str(o).startswith(str(LO)):
                rows.append(f"<tr><td>{_link(s)}</td><td>{label}</td><td>{_link(o)}</td></tr>")
    head = "<tr><th>luocdo</th><th></th><th>External term</th></tr>"
    table = "<table>\n" + head + "\n" + "\n".join(rows) + "\n</table>"
    return _section("Ánh xạ · Alignments", "alignments", [table])


def _header(graph: Graph) -> str:
    title_vi = _text(graph, ONTOLOGY_IRI, URIRef("http://purl.org/dc/terms/title"), "vi")
    title_en = _text(graph, ONTOLOGY_IRI, URIRef("http://purl.org/dc/terms/title"), "en")
    desc = URIRef("http://purl.org/dc/terms/description")
    version = graph.value(ONTOLOGY_IRI, OWL.versionInfo)
    nav = "".join(
        f'<li><a href="#{a}">{_esc(t)}</a></li>'
        for a, t in (("alignments", "Ánh xạ · Alignments"), ("classes", "Lớp · Classes"),
                     ("object-properties", "Thuộc tính quan hệ · Object properties"),
                     ("datatype-properties", "Thuộc tính dữ liệu · Datatype properties"),
                     ("annotation-properties", "Thuộc tính chú thích · Annotation properties"),
                     ("schemes", "Danh mục SKOS · SKOS concept schemes"))
    )
    return (
        f'<h1 lang="vi">{_esc(title_vi)}</h1><p lang="en" class="en">{_esc(title_en)}</p>'
        f"<p>IRI: <code>{_esc(ONTOLOGY_IRI)}</code> · namespace <code>{_esc(LO)}</code> "
        f"(prefix <code>lo:</code>) · version {_esc(version or '')}</p>"
        f'<p lang="vi">{_esc(_text(graph, ONTOLOGY_IRI, desc, "vi"))}</p>'
        f'<p lang="en" class="en">{_esc(_text(graph, ONTOLOGY_IRI, desc, "en"))}</p>'
        f"<nav><ul>{nav}</ul></nav>"
    )


# ----------------------------------------------------------------- public API


def render_html(graph: Graph | None = None) -> str:
    """The documentation page for ``graph`` (default: the shipped ontology)."""
    g = graph if graph is not None else ontology_graph()
    body = "\n".join((
        _header(g),
        _alignments(g),
        _classes(g),
        _properties(g, OWL.ObjectProperty, "Thuộc tính quan hệ · Object properties",
                    "object-properties"),
        _properties(g, OWL.DatatypeProperty, "Thuộc tính dữ liệu · Datatype properties",
                    "datatype-properties"),
        _properties(g, OWL.AnnotationProperty, "Thuộc tính chú thích · Annotation properties",
                    "annotation-properties"),
        _schemes(g),
    ))
    title = _text(g, ONTOLOGY_IRI, URIRef("http://purl.org/dc/terms/title"), "vi")
    return (
        '<!DOCTYPE html>\n<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_esc(title)}</title>\n<style>\n{CSS}\n</style>\n</head>\n<body>\n"
        f"{body}\n</body>\n</html>\n"
    )


def default_output() -> Path:
    """Where the committed page lives: next to the Turtle file."""
    return ontology_path().with_name("luocdo.html")


def write_html(path: Path | None = None) -> Path:
    """Render the page and write it (UTF-8); returns the path written."""
    target = path or default_output()
    target.write_text(render_html(), encoding="utf-8")
    return target


def main(argv: Sequence[str] | None = None) -> int:
    """CLI entry: write the page, or with ``--check`` report whether it is stale."""
    parser = argparse.ArgumentParser(prog="python -m ontology.docs", description=__doc__)
    parser.add_argument("--output", type=Path, default=None, help="file to write")
    parser.add_argument("--check", action="store_true",
                        help="do not write; exit 1 if the file differs from a fresh render")
    args = parser.parse_args(argv)
    target: Path = args.output or default_output()
    if args.check:
        current = target.read_text(encoding="utf-8") if target.exists() else ""
        if current != render_html():
            print(f"{target} is stale: run python -m ontology.docs")
            return 1
        print(f"{target} is up to date")
        return 0
    print(f"wrote {write_html(target)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
