"""Traces kept beside the document answers (``api.answer_store``): tasks of the keeper.

A first-time ``/trace`` costs a dozen bound reads (about 12 ms of one core at 10⁵
documents); a report drafter asks for the sections of the same few letters over and
over, but the first request for each costs that. The keeper therefore also keeps the
trace of every numbered section of every outline attached to a document, under the key
``trace_key(owner IRI, section number)``, with the IRIs it rests on: the owner, the
outline and its document, the section, every IRI the answer shows (named rules, chain
hops, obligations and their creators; the documents its identity keys name) and the
``lo:sameDocumentAs`` aliases of all of them. A write that touches one of those drops
the kept trace (as for documents).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from rdflib import URIRef

__all__ = ["trace_bundles", "trace_key", "trace_targets"]

_LO = "https://w3id.org/luocdo/ontology#"
# Every (document, its identity key, section number) an outline attached to a document
# offers: a trace is asked by key (``graph.trace.trace`` resolves symbols and keys).
_TARGETS = f"""PREFIX lo: <{_LO}>
SELECT DISTINCT ?doc ?key ?number WHERE {{
  ?outline lo:attachedTo ?doc ;
           lo:hasSection ?section .
  ?section lo:sectionNumber ?number .
  ?doc lo:identityKey ?key .
}}"""


def trace_key(owner: str, section: str) -> str:
    """The kept answer's key: ``trace <owner IRI> <normalised section number>`` (an IRI
    holds no space, so no document answer has such a key). Kept traces are served for a
    dated key that names ``owner`` alone (``AnswerStore.owner``)."""
    from graph.trace import normalise_number

    return f"trace {owner} {normalise_number(section)}"


def trace_targets(store: Any) -> list[tuple[str, str, str]]:
    """Task: (document IRI, dated identity key, section number) of every section of an
    outline attached to a document with a dated key (the ids kept traces answer)."""
    return sorted({(str(r["doc"]), str(r["key"]), str(r["number"]))
                   for r in store.query(_TARGETS) if "@" in str(r["key"])})


def _iris(value: Any, base: str) -> Iterable[str]:
    """The IRIs an answer shows: IRI values, and the documents its identity keys name
    (the chain and the rules show keys, not IRIs: ``graph.iri.document_iri``)."""
    from graph.iri import document_iri

    if isinstance(value, str):
        if "://" in value[:12]:
            yield value
    elif isinstance(value, dict):
        for name, v in value.items():
            if name == "key" and isinstance(v, str) and v:
                yield str(document_iri(v, base))
            yield from _iris(v, base)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _iris(v, base)


def trace_bundles(store: Any, targets: Sequence[tuple[str, str, str]]
                  ) -> list[dict[str, Any]]:
    """Task: the trace of each (document IRI, key, section number) that has one, asked by
    the key as ``/trace`` asks it, as ``{"key", "body" (TraceResult.as_dict), "deps"}``
    (module docstring)."""
    from api.answer_store import vocabulary_free
    from graph.queries import with_aliases
    from graph.trace import trace

    out = []
    for owner, key, section in targets:
        try:
            result = trace(store, key, section)
        except LookupError:
            continue  # not one document, or no such section: asked live, answered 4xx
        if result.document.iri != owner:
            continue  # the key names another document first: not this target's
        body = result.as_dict()
        sec = result.section
        shown = {owner, result.document.iri, sec.iri, *(sec.names or ()),
                 *_iris(body, store.base)}
        shown |= {x for x in (sec.outline, sec.outline_doc) if x}
        aliases = {str(a) for a in with_aliases(store, [URIRef(s) for s in sorted(shown)])}
        deps = sorted(vocabulary_free(shown | aliases))
        out.append({"key": trace_key(owner, section), "body": body, "deps": deps})
    return out
