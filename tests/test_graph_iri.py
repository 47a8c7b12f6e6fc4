"""IRIs minted by graph.iri: pinned literal values, determinism, safety."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import pytest
import regex
from hypothesis import given
from hypothesis import strategies as st

from graph import iri

B = "https://data.luocdo.vn/"

# These strings are part of the public data model: changing one breaks every link
# anyone has made to a luocdo graph. Change them only on purpose.
PINNED = [
    ("33/CT-TTG@2021", B + "eli/vn/ct/2021/33/ttg"),
    ("25-NQ/TW@2013", B + "eli/vn/nq/2013/25/tw"),
    ("1432/BNV-CTTN@2023", B + "eli/vn/cv/2023/1432/bnv-cttn"),
    ("28/2018/QD-TTG@2018", B + "eli/vn/qd/2018/28/ttg/qppl"),
    ("28/QD-TTG@2018", B + "eli/vn/qd/2018/28/ttg"),
    ("10/2022/QH15@2022", B + "eli/vn/_/2022/10/qh15/qppl"),
    ("03-CTR/BDVTW-BCSDCP@2021", B + "eli/vn/ctr/2021/03/bdvtw-bcsdcp"),
    ("33/CT-TTG", B + "eli/vn/ct/_/33/ttg"),
    ("LUAT:THUC HIEN DAN CHU O CO SO@2022", B + "eli/vn/luat/2022/thuc-hien-dan-chu-o-co-so"),
    ("LUAT:luat-thuc-hien-dan-chu-o-co-so@2022",
     B + "eli/vn/luat/2022/thuc-hien-dan-chu-o-co-so"),
    ("ANON:0123abcd89ef4567", B + "doc/anon/0123abcd89ef4567"),
    ("30A/KH-UBND@2025", B + "eli/vn/kh/2025/30a/ubnd"),
    ("45/SNV-XDCQ.TN@2025", B + "eli/vn/cv/2025/45/snv-xdcq.tn"),
    ("205-QDI/TW@2019", B + "eli/vn/qdi/2019/205/tw"),
    ("28/2018/QD-TTG@2019", B + "eli/vn/qd/2019/28-2018/ttg/qppl"),
    ("not a symbol@2020", B + "doc/key/not%20a%20symbol%402020"),
]


@pytest.mark.parametrize(("key", "expected"), PINNED)
def test_document_iri_pinned(key: str, expected: str) -> None:
    assert str(iri.document_iri(key, B)) == expected


def test_normative_and_individual_decisions_differ() -> None:
    # Luật 80/2015/QH13 Điều 10: a normative series of its own, same number, same year.
    assert iri.document_iri("28/2018/QD-TTG@2018", B) != iri.document_iri("28/QD-TTG@2018", B)


def test_distinct_pinned_keys_give_distinct_iris() -> None:
    keys = [k for k, _ in PINNED if not k.startswith("LUAT:luat")]
    assert len({iri.document_iri(k, B) for k in keys}) == len(keys)


# Lower-case ASCII; anything else percent-encoded (RFC 3986 upper-case hex digits).
_SAFE = regex.compile(r"^https://data\.luocdo\.vn/(?:[a-z0-9_.~/-]|%[0-9A-F]{2})+$")


@given(st.text(min_size=1, max_size=40))
def test_any_key_gives_a_safe_lower_case_ascii_iri(key: str) -> None:
    value = str(iri.document_iri(key, B))
    assert _SAFE.match(value), value


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/data/a.txt", B + "graph/source/"),
        ("/data/sub/../a.txt", B + "graph/source/"),
    ],
)
def test_source_graph_iri_shape(path: str, expected: str) -> None:
    value = str(iri.source_graph_iri(path, B))
    assert value.startswith(expected)
    assert regex.fullmatch(r"[0-9a-f]{24}", value[len(expected):])


def test_source_iri_is_the_same_for_relative_absolute_and_dotted_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    f = tmp_path / "a.txt"
    f.write_text("x", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    spellings = ["a.txt", "./a.txt", str(f), str(tmp_path / "sub" / ".." / "a.txt")]
    assert len({iri.source_graph_iri(p, B) for p in spellings}) == 1
    assert iri.source_key("a.txt") == f.resolve().as_posix()


def test_source_iri_follows_symbolic_links(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("x", encoding="utf-8")
    link = tmp_path / "link.txt"
    os.symlink(f, link)
    assert iri.source_graph_iri(link, B) == iri.source_graph_iri(f, B)


def test_different_files_give_different_sources() -> None:
    assert iri.source_graph_iri("/data/a.txt", B) != iri.source_graph_iri("/data/b.txt", B)


def test_evidence_iri_depends_on_source_and_offsets_only() -> None:
    src = iri.source_file_iri("/data/a.txt", B)
    assert iri.evidence_iri(src, 10, 20) == iri.evidence_iri(src, 10, 20)
    assert str(iri.evidence_iri(src, 10, 20)).endswith("/evidence/10-20")


def test_citation_iri_separates_mentions_sharing_a_span() -> None:
    src = iri.source_file_iri("/data/a.txt", B)
    a = iri.citation_iri(src, 5, 40, "X@2021", "217-QD/TW@2013", "cites")
    b = iri.citation_iri(src, 5, 40, "X@2021", "218-QD/TW@2013", "cites")
    assert a != b
    assert a == iri.citation_iri(src, 5, 40, "X@2021", "217-QD/TW@2013", "cites")


@pytest.mark.parametrize(
    ("number", "suffix"),
    [("III.8", "/outline/III.8"), ("III.5.-2", "/outline/III.5.-2"),
     ("III.4.đ", "/outline/III.4.%C4%91"), ("II.1.+3", "/outline/II.1.+3")],
)
def test_section_iri(number: str, suffix: str) -> None:
    doc = iri.document_iri("33/CT-TTG@2021", B)
    assert str(iri.section_iri(doc, number)) == str(doc) + suffix


@pytest.mark.parametrize("form", ["NFC", "NFD"])
@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Bộ Nội vụ", "bo-noi-vu"),
        ("ỦY BAN NHÂN DÂN TỈNH ĐẮK LẮK", "uy-ban-nhan-dan-tinh-dak-lak"),
        ("Uỷ ban nhân dân tỉnh Đắk Lắk", "uy-ban-nhan-dan-tinh-dak-lak"),  # uỷ / ủy
        ("Ban Dân vận Trung ương", "ban-dan-van-trung-uong"),
    ],
)
def test_agent_iri_folds_diacritics_case_and_d(form: str, name: str, slug: str) -> None:
    text = unicodedata.normalize(form, name)  # type: ignore[arg-type]
    assert str(iri.agent_iri(text, B)) == f"{B}agent/{slug}"


@pytest.mark.parametrize(
    ("given_base", "env", "expected"),
    [
        (None, None, iri.DEFAULT_BASE),
        ("https://example.org/kg", None, "https://example.org/kg/"),
        (None, "https://env.example/x/", "https://env.example/x/"),
        ("urn:luocdo:", None, "urn:luocdo:"),
    ],
)
def test_base_iri(given_base: str | None, env: str | None, expected: str,
                  monkeypatch: pytest.MonkeyPatch) -> None:
    if env is None:
        monkeypatch.delenv("LUOCDO_BASE_IRI", raising=False)
    else:
        monkeypatch.setenv("LUOCDO_BASE_IRI", env)
    assert iri.base_iri(given_base) == expected


@pytest.mark.parametrize("bad", ["ftp://x/", "data.luocdo.vn/", "https://a b/", 'https://x/">'])
def test_bad_base_iri_is_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="base IRI"):
        iri.base_iri(bad)


def test_graph_iris_for_ontology_derived_provenance() -> None:
    assert str(iri.ontology_graph_iri(B)) == B + "graph/ontology"
    assert str(iri.derived_graph_iri(B)) == B + "graph/derived"
    assert str(iri.provenance_graph_iri(B)) == B + "graph/provenance"


@pytest.mark.parametrize("path", ["/data/a.txt", "/uploads/Kế hoạch 77.txt", "C:/x/y.docx"])
def test_a_source_id_gives_back_its_graph(path: str) -> None:
    graph = iri.source_graph_iri(path, B)
    assert iri.source_graph_of_id(str(graph).rpartition("/")[2], B) == graph


@pytest.mark.parametrize("source_id", [
    "", "abc", "0123456789abcdef0123456",      # too short (23)
    "0123456789abcdef012345678",               # too long (25)
    "0123456789ABCDEF01234567",                # ids are lower-case hex
    "0123456789abcdef0123456g", "../../graph/provenance", "a b c d e f 0 1 2 3 4 5",
])
def test_what_no_source_id_can_be(source_id: str) -> None:
    assert iri.source_graph_of_id(source_id, B) is None
