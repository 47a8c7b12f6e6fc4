"""graph.rdf.file_graph: hand-built records → RDF, compared by isomorphism with Turtle.

Fact nodes (evidence, citations, obligations, the extraction run) have IRIs minted from
offsets and hashes; ``test_graph_iri`` pins that scheme. Here they are turned into blank
nodes before comparing, so the expected graphs say what is linked to what.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from rdflib import BNode, Graph, Literal, URIRef

from graph import iri
from graph.rdf import extractor_version, file_graph
from ingest.models import (
    Citation,
    Document,
    FieldEvidence,
    FileResult,
    Frequency,
    Obligation,
    OutlineSection,
    Relation,
    Span,
    StatedRelation,
    SubmissionRecord,
)
from ontology.load import validate
from ontology.ns import LO

B = "https://data.luocdo.vn/"
PATH = "/data/luocdo-test/a.txt"
SHA = "ab" * 32
SRC = str(iri.source_file_iri(PATH, B))

PREFIXES = """
@prefix lo: <https://w3id.org/luocdo/ontology#> .
@prefix eli: <http://data.europa.eu/eli/ontology#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

PROVENANCE = """
<{SRC}> a lo:SourceFile ; lo:path "{PATH}" ; lo:sha256 "{SHA}" .
<{GRAPH}> a prov:Entity ; prov:wasGeneratedBy _:run ; prov:wasDerivedFrom <{SRC}> .
_:run a lo:Extraction ; prov:used <{SRC}> ; prov:wasAssociatedWith <{SOFTWARE}> .
<{SOFTWARE}> a prov:SoftwareAgent ; rdfs:label "luocdo {VERSION}" .
"""


def expected(body: str, **offsets: object) -> Graph:
    """An expected graph: prefixes, the provenance block, then ``body``.

    ``{B}`` is the base IRI, ``{SRC}`` the source file node, ``{S1}``… the offsets given.
    """
    text = (PREFIXES + PROVENANCE + body).format(
        B=B, SRC=SRC, GRAPH=iri.source_graph_iri(PATH, B), PATH=PATH, SHA=SHA,
        SOFTWARE=iri.software_agent_iri(extractor_version(), B), VERSION=extractor_version(),
        **offsets,
    )
    return Graph().parse(data=text, format="turtle")


def facts_as_bnodes(g: Graph) -> Graph:
    """The graph with every IRI minted under the source file (``<SRC>/…``) made blank."""
    prefix = SRC + "/"

    def conv(t: object) -> object:
        return BNode(str(t)) if isinstance(t, URIRef) and str(t).startswith(prefix) else t

    out = Graph()
    for s, p, o in g:
        out.add((conv(s), p, conv(o)))  # type: ignore[arg-type]
    return out


def span(text: str, sub: str, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = text.index(sub, start + 1)
    return Span(start, start + len(sub), sub)


def doc(text: str, key: str, symbol: str | None, doc_type: str | None, **kw: object) -> Document:
    fields: dict[str, object] = {
        "issuer": None, "place": None, "date": None, "title": None, "recipients": (),
        "signer": None, "signing_authority": None, "distribution": (), "attached_to": None,
        "span": Span(0, len(text), text),
    }
    fields.update(kw)
    return Document(key=key, symbol=symbol, doc_type=doc_type, **fields)  # type: ignore[arg-type]


def result(text: str, *docs: Document) -> FileResult:
    return FileResult(PATH, tuple(docs), text, "txt", "utf-8", SHA)


Check = Callable[[Graph, Graph], None]

# --- a plan implementing a directive --------------------------------------------------------

PLAN = (
    "ỦY BAN NHÂN DÂN TỈNH HÒA AN\nSố: 12/KH-UBND\nHòa An, ngày 05 tháng 01 năm 2022\n"
    "Thực hiện Chỉ thị số 33/CT-TTg ngày 20/11/2021 của Thủ tướng Chính phủ.\n"
)


def plan_result() -> FileResult:
    cite = Citation("33/CT-TTG@2021", "33/CT-TTg", "chi-thi", dt.date(2021, 11, 20),
                    "Thủ tướng Chính phủ", "về tăng cường công tác", Relation.IMPLEMENTS,
                    span(PLAN, "Chỉ thị số 33/CT-TTg ngày 20/11/2021"))
    d = doc(PLAN, "12/KH-UBND@2022", "12/KH-UBND", "ke-hoach",
            issuer="ỦY BAN NHÂN DÂN TỈNH HÒA AN", place="Hòa An", date=dt.date(2022, 1, 5),
            title="Kế hoạch thực hiện", recipients=("Sở Nội vụ",), signer="Nguyễn Văn A",
            signing_authority="KT. CHỦ TỊCH", distribution=("Như trên;",),
            citations=(cite,), evidence=(FieldEvidence("symbol", span(PLAN, "12/KH-UBND")),))
    return result(PLAN, d)


def test_document_header_and_citation(assert_isomorphic: Check) -> None:
    sym, cit = span(PLAN, "12/KH-UBND"), span(PLAN, "Chỉ thị số 33/CT-TTg ngày 20/11/2021")
    want = expected("""
    <{B}eli/vn/kh/2022/12/ubnd> a lo:Document , lo:Plan , lo:StateDocument ;
        lo:identityKey "12/KH-UBND@2022" ;
        lo:symbolKey "12/KH-UBND" ; lo:symbol "12/KH-UBND" ; lo:number "12" ;
        lo:documentType lo:type-ke-hoach ; eli:date_document "2022-01-05"^^xsd:date ;
        eli:title "Kế hoạch thực hiện" ; lo:place "Hòa An" ; lo:signingAuthority "KT. CHỦ TỊCH" ;
        lo:issuedBy <{B}agent/uy-ban-nhan-dan-tinh-hoa-an> ;
        lo:signedBy <{B}agent/person/nguyen-van-a> ;
        lo:addressedTo <{B}agent/so-noi-vu> ; lo:distributedTo "Như trên;" ;
        lo:evidence _:symbol ;
        lo:implements <{B}eli/vn/ct/2021/33/ttg> .
    <{B}agent/uy-ban-nhan-dan-tinh-hoa-an> a lo:Organization ;
        rdfs:label "ỦY BAN NHÂN DÂN TỈNH HÒA AN" .
    <{B}agent/person/nguyen-van-a> a lo:Person ; rdfs:label "Nguyễn Văn A" .
    <{B}agent/so-noi-vu> a lo:Organization ; rdfs:label "Sở Nội vụ" .
    _:symbol a lo:Evidence ; lo:sourceFile <{SRC}> ; lo:startOffset {S1} ; lo:endOffset {E1} ;
        lo:quote "12/KH-UBND" .
    <{B}eli/vn/ct/2021/33/ttg> a lo:Document , lo:Directive , lo:StateDocument ;
        lo:identityKey "33/CT-TTG@2021" ;
        lo:symbolKey "33/CT-TTG" ; lo:symbol "33/CT-TTg" ; lo:number "33" ;
        lo:documentType lo:type-chi-thi .
    _:citation a lo:Citation ; lo:citingDocument <{B}eli/vn/kh/2022/12/ubnd> ;
        lo:citedDocument <{B}eli/vn/ct/2021/33/ttg> ; lo:relation lo:implements ;
        lo:citedDate "2021-11-20"^^xsd:date ; lo:citedIssuer "Thủ tướng Chính phủ" ;
        lo:citedTitle "về tăng cường công tác" ; lo:evidence _:mention ;
        lo:citationEntry """ + '"{LO}implements\\t2021-11-20\\tChỉ thị số 33/CT-TTg ngày 20/11/2021'
                               '\\t{S2}\\t{E2}\\t{PATH}\\t\\t{C}\\t{B}eli/vn/kh/2022/12/ubnd'
                               '\\t{B}eli/vn/ct/2021/33/ttg\\tThủ tướng Chính phủ" .' + """
    _:mention a lo:Evidence ; lo:sourceFile <{SRC}> ; lo:startOffset {S2} ; lo:endOffset {E2} ;
        lo:quote "Chỉ thị số 33/CT-TTg ngày 20/11/2021" .
    """, S1=sym.start, E1=sym.end, S2=cit.start, E2=cit.end, LO=str(LO),
       C=iri.citation_iri(URIRef(SRC), cit.start, cit.end, "12/KH-UBND@2022",
                          "33/CT-TTG@2021", str(Relation.IMPLEMENTS)))
    assert_isomorphic(facts_as_bnodes(file_graph(plan_result(), base=B)), want)


def test_same_records_give_the_same_triples() -> None:
    a, b = file_graph(plan_result(), base=B), file_graph(plan_result(), base=B)
    assert set(a) == set(b)


def test_no_blank_nodes() -> None:
    g = file_graph(plan_result(), base=B)
    assert not [t for t in g if any(isinstance(x, BNode) for x in t)]


@pytest.mark.parametrize(
    ("symbol", "key", "issuer", "expected_issuer"),
    [
        ("1432/BNV-CTTN", "1432/BNV-CTTN@2023", "BỘ NỘI VỤ", LO["issuer-BNV"]),
        ("33/CT-TTg", "33/CT-TTG@2021", None, LO["issuer-TTG"]),
        ("03-CTr/BDVTW-BCSĐCP", "03-CTR/BDVTW-BCSDCP@2021", None, LO["issuer-BDVTW"]),
        # every province has a UBND: the header's wording names the body
        ("4666/UBND-KGVX", "4666/UBND-KGVX@2023", "UBND TỈNH HÒA AN",
         URIRef(B + "agent/ubnd-tinh-hoa-an")),
        ("24-CT/TU", "24-CT/TU@2020", "TỈNH ỦY HÒA AN", URIRef(B + "agent/tinh-uy-hoa-an")),
        ("4666/UBND-KGVX", "4666/UBND-KGVX@2023", None, None),
    ],
)
def test_issuer(symbol: str, key: str, issuer: str | None,
                expected_issuer: URIRef | None) -> None:
    g = file_graph(result("x", doc("x", key, symbol, None, issuer=issuer)), base=B)
    assert g.value(iri.document_iri(key, B), LO.issuedBy) == expected_issuer


# --- a letter stating that one Party regulation replaced another ------------------------------

LETTER = "Số: 51-CV/BDVTW\nQuy định số 23-QĐ/TW thay thế Quy định số 290-QĐ/TW.\n"


def test_stated_relation(assert_isomorphic: Check) -> None:
    words = span(LETTER, "Quy định số 23-QĐ/TW thay thế Quy định số 290-QĐ/TW")
    stated = StatedRelation("23-QĐ/TW", "23-QDI/TW@2021", Relation.REPLACES, "290-QĐ/TW",
                            "290-QDI/TW", words)
    d = doc(LETTER, "51-CV/BDVTW@2022", "51-CV/BDVTW", "cong-van", relations=(stated,))
    want = expected("""
    <{B}eli/vn/cv/2022/51/bdvtw> a lo:Document , lo:OfficialLetter , lo:PartyDocument ;
        lo:identityKey "51-CV/BDVTW@2022" ;
        lo:symbolKey "51-CV/BDVTW" ; lo:symbol "51-CV/BDVTW" ; lo:number "51" ;
        lo:documentType lo:type-cong-van ; lo:issuedBy lo:issuer-BDVTW .
    <{B}eli/vn/qdi/2021/23/tw> a lo:Document , lo:PartyDocument ;
        lo:identityKey "23-QDI/TW@2021" ;
        lo:symbolKey "23-QDI/TW" ; lo:symbol "23-QĐ/TW" ; lo:number "23" ;
        lo:replaces <{B}eli/vn/qdi/_/290/tw> .
    <{B}eli/vn/qdi/_/290/tw> a lo:Document , lo:PartyDocument ;
        lo:identityKey "290-QDI/TW" ;
        lo:symbolKey "290-QDI/TW" ; lo:symbol "290-QĐ/TW" ; lo:number "290" ;
        lo:unresolved true .
    _:stated a lo:Citation ; lo:citingDocument <{B}eli/vn/qdi/2021/23/tw> ;
        lo:citedDocument <{B}eli/vn/qdi/_/290/tw> ; lo:relation lo:replaces ;
        lo:statedBy <{B}eli/vn/cv/2022/51/bdvtw> ; lo:evidence _:e ;
        lo:citationEntry """ + '"{LO}replaces\\t\\tQuy định số 23-QĐ/TW thay thế Quy định số'
                               ' 290-QĐ/TW\\t{S}\\t{E}\\t{PATH}'
                               '\\t{B}eli/vn/cv/2022/51/bdvtw\\t{C}\\t{B}eli/vn/qdi/2021/23/tw'
                               '\\t{B}eli/vn/qdi/_/290/tw\\t" .' + """
    _:e a lo:Evidence ; lo:sourceFile <{SRC}> ; lo:startOffset {S} ; lo:endOffset {E} ;
        lo:quote "Quy định số 23-QĐ/TW thay thế Quy định số 290-QĐ/TW" .
    """, S=words.start, E=words.end, LO=str(LO),
       C=iri.statement_iri(URIRef(SRC), words.start, words.end, "51-CV/BDVTW@2022",
                           "23-QDI/TW@2021", "290-QDI/TW", str(Relation.REPLACES)))
    assert_isomorphic(facts_as_bnodes(file_graph(result(LETTER, d), base=B)), want)


# --- obligations ------------------------------------------------------------------------------

FORWARD = (
    "Số: 88/UBND-VX\nĐề nghị các sở báo cáo theo Công văn số 1432/BNV-CTTN.\n"
    "Số: 1432/BNV-CTTN\nCác tỉnh báo cáo Bộ Nội vụ trước ngày 15/12 hằng năm, "
    "kỳ báo cáo từ 01/01/2023 đến 30/11/2023.\n"
)


def forward_result() -> FileResult:
    own = Obligation("Các tỉnh", "báo cáo", "Bộ Nội vụ", "--12-15", Frequency.YEARLY,
                     dt.date(2023, 1, 1), dt.date(2023, 11, 30),
                     span(FORWARD, "Các tỉnh báo cáo Bộ Nội vụ trước ngày 15/12 hằng năm"))
    fwd = Obligation("các sở", "báo cáo", None, None, None, None, None,
                     span(FORWARD, "Đề nghị các sở báo cáo theo Công văn số 1432/BNV-CTTN"),
                     delegated_to="1432/BNV-CTTN@2023")
    letter = doc(FORWARD, "88/UBND-VX@2023", "88/UBND-VX", "cong-van", obligations=(fwd,))
    ministry = doc(FORWARD, "1432/BNV-CTTN@2023", "1432/BNV-CTTN", "cong-van",
                   obligations=(own,))
    return result(FORWARD, letter, ministry)


def test_obligations_deadline_frequency_period_delegation(assert_isomorphic: Check) -> None:
    own = span(FORWARD, "Các tỉnh báo cáo Bộ Nội vụ trước ngày 15/12 hằng năm")
    fwd = span(FORWARD, "Đề nghị các sở báo cáo theo Công văn số 1432/BNV-CTTN")
    graph = file_graph(forward_result(), base=B)
    # the due index repeats the obligation's IRI (graph.due_index): read it back
    own_iri = next(o for o in graph.subjects(LO.deadline, None))
    fwd_iri = next(o for o in graph.subjects(LO.delegatesTo, None))
    want = expected("""
    <{B}eli/vn/cv/2023/88/ubnd-vx> a lo:Document , lo:OfficialLetter , lo:StateDocument ;
        lo:identityKey "88/UBND-VX@2023" ;
        lo:symbolKey "88/UBND-VX" ; lo:symbol "88/UBND-VX" ; lo:number "88" ;
        lo:documentType lo:type-cong-van .
    <{B}eli/vn/cv/2023/1432/bnv-cttn> a lo:Document , lo:OfficialLetter , lo:StateDocument ;
        lo:identityKey "1432/BNV-CTTN@2023" ;
        lo:symbolKey "1432/BNV-CTTN" ; lo:symbol "1432/BNV-CTTN" ; lo:number "1432" ;
        lo:documentType lo:type-cong-van ; lo:issuedBy lo:issuer-BNV .
    _:fwd a lo:Obligation ; lo:createdBy <{B}eli/vn/cv/2023/88/ubnd-vx> ;
        lo:bearerText "các sở" ; lo:action "báo cáo" ; lo:delegatesTo _:own ;
        lo:evidence _:e1 ;
        # the obligation's values packed (graph.obligation_index)
        lo:obligationEntry """ + '"{FWD}\t{B}eli/vn/cv/2023/88/ubnd-vx\tcác sở\t\tbáo cáo'
                                 '\t\t\t\t{OWN}'
                                 '\tĐề nghị các sở báo cáo theo Công văn số 1432/BNV-CTTN'
                                 '\t{S1}\t{E1}\t{PATH}" .' + """
    _:e1 a lo:Evidence ; lo:sourceFile <{SRC}> ; lo:startOffset {S1} ; lo:endOffset {E1} ;
        lo:quote "Đề nghị các sở báo cáo theo Công văn số 1432/BNV-CTTN" .
    _:own a lo:Obligation ; lo:createdBy <{B}eli/vn/cv/2023/1432/bnv-cttn> ;
        lo:bearerText "Các tỉnh" ; lo:action "báo cáo" ; lo:recipientText "Bộ Nội vụ" ;
        lo:deadline _:due ; lo:frequency lo:freq-yearly ;
        lo:periodStart "2023-01-01"^^xsd:date ; lo:periodEnd "2023-11-30"^^xsd:date ;
        lo:evidence _:e2 ;
        lo:obligationEntry """ + '"{OWN}\t{B}eli/vn/cv/2023/1432/bnv-cttn\tCác tỉnh'
                                 '\tBộ Nội vụ\tbáo cáo\t\t--12-15\t{LO}freq-yearly\t'
                                 '\tCác tỉnh báo cáo Bộ Nội vụ trước ngày 15/12 hằng năm'
                                 '\t{S2}\t{E2}\t{PATH}" .' + """
    _:due a lo:Deadline ; lo:dueMonthDay "--12-15"^^xsd:gMonthDay ; lo:dueMonthKey "--12" .
    _:e2 a lo:Evidence ; lo:sourceFile <{SRC}> ; lo:startOffset {S2} ; lo:endOffset {E2} ;
        lo:quote "Các tỉnh báo cáo Bộ Nội vụ trước ngày 15/12 hằng năm" .
    <{B}index/due/--12> a lo:DueIndexMonth ; lo:indexMonthKey "--12" ;
        lo:dueEntry """ + '"--12-15\\t{B}eli/vn/cv/2023/1432/bnv-cttn\\t{OWN}\\t1432/BNV-CTTN'
                         '\\tCác tỉnh\\tBộ Nội vụ\\t{LO}freq-yearly'
                         '\\tCác tỉnh báo cáo Bộ Nội vụ trước ngày 15/12 hằng năm'
                         '\\tbáo cáo\\t{S2}\\t{E2}\\t{PATH}'
                         # one deadline; the letter's own header is not in this file
                         '\\t1\\t" .' + """
    """, S1=fwd.start, E1=fwd.end, S2=own.start, E2=own.end, OWN=own_iri, FWD=fwd_iri,
                    LO=str(LO))
    assert_isomorphic(facts_as_bnodes(graph), want)


@pytest.mark.parametrize(
    ("deadline", "prop", "literal"),
    [
        ("2024-12-15", LO.dueDate, Literal("2024-12-15", datatype=URIRef(
            "http://www.w3.org/2001/XMLSchema#date"))),
        ("--02-29", LO.dueMonthDay, Literal("--02-29", datatype=URIRef(
            "http://www.w3.org/2001/XMLSchema#gMonthDay"))),
        ("15/12", None, None),  # not a form the contract allows: no deadline node
        (None, None, None),
    ],
)
def test_deadline_forms(deadline: str | None, prop: URIRef | None,
                        literal: Literal | None) -> None:
    text = "Báo cáo trước hạn."
    o = Obligation(None, "Báo cáo", None, deadline, None, None, None, span(text, "Báo cáo"))
    g = file_graph(result(text, doc(text, "ANON:00ff", None, "bao-cao", obligations=(o,))),
                   base=B)
    dues = list(g.objects(None, LO.deadline))
    if prop is None:
        assert dues == []
    else:
        assert [g.value(dues[0], prop)] == [literal]


def test_a_period_ending_before_it_starts_is_left_out() -> None:
    text = "Báo cáo kỳ."
    o = Obligation(None, "Báo cáo", None, None, None, dt.date(2024, 6, 30),
                   dt.date(2024, 1, 1), span(text, "Báo cáo"))
    g = file_graph(result(text, doc(text, "ANON:00fe", None, None, obligations=(o,))), base=B)
    assert list(g.objects(None, LO.periodStart)) == []


# --- an outline attached to a letter ----------------------------------------------------------

OUTLINE = (
    "Số: 2215/BNV-CQĐP\nKèm theo đề cương.\nĐỀ CƯƠNG BÁO CÁO\n"
    "I. KẾT QUẢ THỰC HIỆN\n1. Việc triển khai Chỉ thị số 15/CT-TTg\n"
)


def test_outline_sections_attached_to_the_letter(assert_isomorphic: Check) -> None:
    top = span(OUTLINE, "I. KẾT QUẢ THỰC HIỆN")
    sub = span(OUTLINE, "1. Việc triển khai Chỉ thị số 15/CT-TTg")
    sections = (
        OutlineSection("I", "KẾT QUẢ THỰC HIỆN", None, (), (), top),
        OutlineSection("I.1", "Việc triển khai Chỉ thị số 15/CT-TTg", "I", ("15/CT-TTg",),
                       ("15/CT-TTG@2024",), sub),
    )
    letter = doc(OUTLINE, "2215/BNV-CQDP@2025", "2215/BNV-CQĐP", "cong-van")
    outline = doc(OUTLINE, "ANON:5eed", None, "de-cuong", attached_to="2215/BNV-CQDP@2025",
                  outline=sections)
    want = expected("""
    <{B}eli/vn/cv/2025/2215/bnv-cqdp> a lo:Document , lo:OfficialLetter , lo:StateDocument ;
        lo:identityKey "2215/BNV-CQDP@2025" ;
        lo:symbolKey "2215/BNV-CQDP" ; lo:symbol "2215/BNV-CQĐP" ; lo:number "2215" ;
        lo:documentType lo:type-cong-van ; lo:issuedBy lo:issuer-BNV ;
        lo:hasOutline <{B}doc/anon/5eed> .
    <{B}doc/anon/5eed> a lo:Document , lo:ReportOutline ; lo:identityKey "ANON:5eed" ;
        lo:documentType lo:type-de-cuong ; lo:attachedTo <{B}eli/vn/cv/2025/2215/bnv-cqdp> ;
        lo:hasSection <{B}doc/anon/5eed/outline/I> .
    <{B}doc/anon/5eed/outline/I> a lo:OutlineSection ; lo:sectionNumber "I" ;
        lo:sectionTitle "KẾT QUẢ THỰC HIỆN" ; lo:evidence _:e1 ;
        lo:hasSection <{B}doc/anon/5eed/outline/I.1> .
    <{B}doc/anon/5eed/outline/I.1> a lo:OutlineSection ; lo:sectionNumber "I.1" ;
        lo:sectionTitle "Việc triển khai Chỉ thị số 15/CT-TTg" ;
        lo:parentSection <{B}doc/anon/5eed/outline/I> ;
        lo:namesDocument <{B}eli/vn/ct/2024/15/ttg> ; lo:evidence _:e2 .
    <{B}eli/vn/ct/2024/15/ttg> a lo:Document , lo:StateDocument ; lo:identityKey "15/CT-TTG@2024" ;
        lo:symbolKey "15/CT-TTG" ;
        lo:symbol "15/CT-TTg" ; lo:number "15" .
    _:e1 a lo:Evidence ; lo:sourceFile <{SRC}> ; lo:startOffset {S1} ; lo:endOffset {E1} ;
        lo:quote "I. KẾT QUẢ THỰC HIỆN" .
    _:e2 a lo:Evidence ; lo:sourceFile <{SRC}> ; lo:startOffset {S2} ; lo:endOffset {E2} ;
        lo:quote "1. Việc triển khai Chỉ thị số 15/CT-TTg" .
    """, S1=top.start, E1=top.end, S2=sub.start, E2=sub.end)
    assert_isomorphic(facts_as_bnodes(file_graph(result(OUTLINE, letter, outline), base=B)),
                      want)


# --- submissions tables -----------------------------------------------------------------------

TABLE = "BẢNG TỔNG HỢP\nSở Nội vụ | 45/KH-SNV | 16/5/2025 |\n"


def test_submission_cells(assert_isomorphic: Check) -> None:
    row = span(TABLE, "Sở Nội vụ | 45/KH-SNV | 16/5/2025 |")
    cells = (
        SubmissionRecord("Sở Nội vụ", "Sở, ngành", "Kế hoạch", "45/KH-SNV", "45/KH-SNV@2025",
                         dt.date(2025, 5, 16), row),
        SubmissionRecord("Sở Nội vụ", "Sở, ngành", "Báo cáo năm", None, None, None, row),
    )
    table = doc(TABLE, "ANON:7ab1e", None, "bang-tong-hop", submissions=cells)
    want = expected("""
    <{B}doc/anon/7ab1e> a lo:Document , lo:SummaryTable ; lo:identityKey "ANON:7ab1e" ;
        lo:documentType lo:type-bang-tong-hop .
    <{B}agent/so-noi-vu> a lo:Organization ; rdfs:label "Sở Nội vụ" .
    _:plan a lo:Submission ;
        dct:isPartOf <{B}doc/anon/7ab1e> ; lo:submittedBy <{B}agent/so-noi-vu> ;
        dct:type "Kế hoạch" ; dct:date "2025-05-16"^^xsd:date ;
        lo:submissionDocument <{B}eli/vn/kh/2025/45/snv> ; lo:evidence _:e .
    _:missing a lo:Submission ;
        dct:isPartOf <{B}doc/anon/7ab1e> ; lo:submittedBy <{B}agent/so-noi-vu> ;
        dct:type "Báo cáo năm" ; lo:evidence _:e .
    <{B}eli/vn/kh/2025/45/snv> a lo:Document , lo:StateDocument ; lo:identityKey "45/KH-SNV@2025" ;
        lo:symbolKey "45/KH-SNV" ;
        lo:symbol "45/KH-SNV" ; lo:number "45" .
    _:e a lo:Evidence ; lo:sourceFile <{SRC}> ; lo:startOffset {S} ; lo:endOffset {E} ;
        lo:quote "Sở Nội vụ | 45/KH-SNV | 16/5/2025 |" .
    """, S=row.start, E=row.end)
    assert_isomorphic(facts_as_bnodes(file_graph(result(TABLE, table), base=B)), want)


# --- what mentions may say about a document ----------------------------------------------------

MENTIONS = "Theo Quyết định số 17/QĐ-UBND ngày 02/3/2024 và Quy định 17/QĐ-UBND ngày 03/3/2024."


@pytest.mark.parametrize(
    ("types", "expected_types"),
    [
        (("quyet-dinh", "quyet-dinh"), {LO.Document, LO.Decision, LO.StateDocument}),
        (("quyet-dinh", "quy-dinh"), {LO.Document, LO.StateDocument}),  # disagree: left out
        (("quyet-dinh", None), {LO.Document, LO.Decision, LO.StateDocument}),
    ],
)
def test_mentions_that_disagree_leave_the_type_out(
    types: tuple[str | None, str | None], expected_types: set[URIRef]
) -> None:
    cites = tuple(
        Citation("17/QD-UBND@2024", "17/QĐ-UBND", t, dt.date(2024, 3, 2 + i), None, None,
                 Relation.CITES, span(MENTIONS, "17/QĐ-UBND", nth=i))
        for i, t in enumerate(types)
    )
    g = file_graph(result(MENTIONS, doc(MENTIONS, "ANON:01", None, None, citations=cites)),
                   base=B)
    node = iri.document_iri("17/QD-UBND@2024", B)
    assert set(g.objects(node, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"))) == (
        expected_types)


def test_mention_dates_stay_on_the_citations() -> None:
    cites = tuple(
        Citation("17/QD-UBND@2024", "17/QĐ-UBND", "quyet-dinh", dt.date(2024, 3, 2 + i), None,
                 None, Relation.CITES, span(MENTIONS, "17/QĐ-UBND", nth=i))
        for i in range(2)
    )
    g = file_graph(result(MENTIONS, doc(MENTIONS, "ANON:01", None, None, citations=cites)),
                   base=B)
    node = iri.document_iri("17/QD-UBND@2024", B)
    eli_date = URIRef("http://data.europa.eu/eli/ontology#date_document")
    assert list(g.objects(node, eli_date)) == []
    assert sorted(str(d) for d in g.objects(None, LO.citedDate)) == ["2024-03-02", "2024-03-03"]


@pytest.mark.parametrize(
    ("key", "unresolved"),
    [("33/CT-TTG", True), ("33/CT-TTG@2021", False), ("28/2018/QD-TTG", False),
     ("LUAT:luat-dat-dai", True), ("LUAT:luat-dat-dai@2024", False)],
)
def test_unresolved_marks_keys_without_a_year(key: str, unresolved: bool) -> None:
    text = "Theo văn bản."
    c = Citation(key, None, None, None, None, None, Relation.CITES, span(text, "văn bản"))
    g = file_graph(result(text, doc(text, "ANON:02", None, None, citations=(c,))), base=B)
    assert (g.value(iri.document_iri(key, B), LO.unresolved) == Literal(True)) is unresolved


# --- every hand-built file validates -----------------------------------------------------------


@pytest.mark.parametrize(
    "make",
    [plan_result, forward_result,
     lambda: result(LETTER, doc(LETTER, "51-CV/BDVTW@2022", "51-CV/BDVTW", "cong-van"))],
)
def test_hand_built_graphs_conform_to_the_shapes(make: Callable[[], FileResult]) -> None:
    report = validate(file_graph(make(), base=B))
    assert report.conforms, report.text


# (what the file's mentions of 27/2023/QH15 say its type is, the type it is given)
@pytest.mark.parametrize(("text", "expected"), [
    ("Căn cứ Luật số 27/2023/QH15 và điểm a khoản 2 của 27/2023/QH15.", {"luat"}),
    ("Thực hiện 27/2023/QH15 của Quốc hội.", set()),
    ("Căn cứ Luật số 27/2023/QH15.", {"luat"}),
])
def test_a_mention_of_no_type_gives_the_document_none(text: str, expected: set[str]) -> None:
    """Regression: a mention the extractor types "văn bản" (a symbol with a year and no
    type code, no type word beside it) gave the cited document that type, beside the
    one another mention or file gives (two types in one store) or hiding it (two
    mentions in one file that disagree give none)."""
    from ingest.extract import extract_text

    g = file_graph(extract_text("Số: 5/KH-UBND\n" + text + "\n", "/data/t/a.txt"))
    doc = next(s for s, _, o in g.triples((None, LO.symbol, None)) if str(o) == "27/2023/QH15")
    types = {str(t).rsplit("type-", 1)[1] for t in g.objects(doc, LO.documentType)}
    assert types == expected
