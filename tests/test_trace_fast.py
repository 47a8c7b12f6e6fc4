"""graph.trace's lean reads equal the whole reads they replace.

``trace`` reads the outline's numbers before one section whole (``_Reader.section``),
chain documents briefly (``_Reader.brief``) and chain steps by what ranks them
(``_Reader.ranked_hops``, then ``complete``). Each must give what the whole read gives.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_trace_scale import CORPORA, _store, _Whole

from graph.trace import UnknownSection, _Reader, find_section

CORPUS_NAMES = ["seeds", "samples", "synthetic-outline"]


@pytest.mark.parametrize("corpus", CORPUS_NAMES)
def test_section_equals_find_section_over_whole_read(corpus: str, tmp_path: Path) -> None:
    store = _store(CORPORA[corpus](tmp_path))
    whole = _Whole.read(store)
    reader = _Reader(store)
    assert whole.owners(), f"{corpus}: no outline"
    for owner in sorted(whole.owners()):
        sections = reader.sections(owner)
        assert [n for _, n in reader.section_index(owner).order] == [s.number for s in sections]
        for s in sections:
            assert reader.section(owner, s.number) == find_section(sections, s.number)
        with pytest.raises(UnknownSection) as err:
            reader.section(owner, "XCIX.99")
        assert list(err.value.available) == [s.number for s in sections]


@pytest.mark.parametrize("corpus", CORPUS_NAMES)
def test_brief_documents_show_the_whole_fields(corpus: str, tmp_path: Path) -> None:
    store = _store(CORPORA[corpus](tmp_path))
    whole = _Whole.read(store)
    brief = _Reader(store).brief(sorted(whole.docs))
    assert brief.keys() == whole.docs.keys()
    for iri, d in whole.docs.items():
        b = brief[iri]
        assert (b.symbol, b.key, b.date, b.doc_type) == (d.symbol, d.key, d.date, d.doc_type), iri


@pytest.mark.parametrize("corpus", CORPUS_NAMES)
def test_ranked_hops_complete_to_the_whole_citations(corpus: str, tmp_path: Path) -> None:
    store = _store(CORPORA[corpus](tmp_path))
    whole = _Whole.read(store)
    reader = _Reader(store)
    for citing in sorted({c.citing for c in whole.cites}):
        full = [c for c in whole.cites if c.citing == citing]
        hops = reader.ranked_hops(citing)
        assert [c.iri for c in hops] == [c.iri for c in full], citing
        for hop, c in zip(hops, full, strict=True):
            assert (hop.cited, hop.relation, hop.stated_by is None) == (
                c.cited, c.relation, c.stated_by is None)
            pos = c.evidence and (c.evidence.source, c.evidence.start)
            assert (hop.evidence and (hop.evidence.source, hop.evidence.start)) == pos
            assert reader.complete(hop) == c


def test_unknown_owner_has_no_sections(tmp_path: Path) -> None:
    store = _store(CORPORA["samples"](tmp_path))
    index = _Reader(store).section_index("https://example.org/no-such-document")
    assert not index.held and index.order == ()
