"""The graph commands: ingest, query, export, validate, stats (api/cli_graph.py)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner, Result
from rdflib import Dataset, Graph, Literal, URIRef

from api.cli_graph import cli
from graph.store import OxigraphStore
from ontology.ns import LO

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "ingest" / "samples").glob("*.txt"))
INJECTION = '"} ; DROP ALL ; #'


def run(*args: str | Path, lang: str = "en") -> Result:
    return CliRunner().invoke(cli, ["--lang", lang, *map(str, args)], env={"COLUMNS": "250"},
                              catch_exceptions=False)


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    """A store directory holding the bundled samples."""
    d = tmp_path / "kg"
    assert run("ingest", "--store", d, *SAMPLES).exit_code == 0
    return d


# --- ingest -----------------------------------------------------------------------------------


def test_ingest_prints_a_table_and_a_summary(tmp_path: Path) -> None:
    result = run("ingest", "--store", tmp_path / "kg", *SAMPLES)
    assert result.exit_code == 0, result.output
    for p in SAMPLES:
        assert p.name in result.output
    assert f"{len(SAMPLES)} files landed, 0 failed" in result.output


def test_ingest_exits_1_when_a_file_fails_but_lands_the_rest(tmp_path: Path) -> None:
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 truncated")
    result = run("ingest", "--store", tmp_path / "kg", SAMPLES[0], tmp_path / "broken.pdf")
    assert result.exit_code == 1
    assert "1 files landed, 1 failed" in result.output
    with OxigraphStore(tmp_path / "kg") as store:
        assert [Path(s.path).name for s in store.sources()] == [SAMPLES[0].name]


def test_ingest_speaks_vietnamese_by_default(tmp_path: Path) -> None:
    result = run("ingest", "--store", tmp_path / "kg", SAMPLES[0], lang="vi")
    assert "1 tệp đã nạp, 0 tệp lỗi" in result.output


# --- query ------------------------------------------------------------------------------------


def test_named_query_as_sparql_json(store_dir: Path) -> None:
    result = run("query", "cited_by", "--param", "doc=15/CT-TTg", "--format", "json",
                 "--store", store_dir)
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert set(payload) == {"head", "results"}
    assert payload["head"]["vars"][:2] == ["doc", "citing"]
    rows = payload["results"]["bindings"]
    assert rows and all(r["quote"]["type"] == "literal" for r in rows)
    assert all(r["doc"]["type"] == "uri" for r in rows)
    assert {r["start"]["datatype"] for r in rows} == {"http://www.w3.org/2001/XMLSchema#integer"}


def test_raw_sparql_as_csv(store_dir: Path) -> None:
    text = ("PREFIX lo: <https://w3id.org/luocdo/ontology#> "
            "SELECT DISTINCT ?symbol WHERE { ?d lo:symbol ?symbol } ORDER BY ?symbol")
    result = run("query", text, "--format", "csv", "--store", store_dir)
    assert result.exit_code == 0, result.output
    table = list(csv.reader(io.StringIO(result.output)))
    assert table[0] == ["symbol"]
    assert ["15/CT-TTg"] in table


def test_query_from_an_rq_file_with_a_parameter(store_dir: Path, tmp_path: Path) -> None:
    rq = tmp_path / "q.rq"
    rq.write_text("PREFIX lo: <https://w3id.org/luocdo/ontology#>\n"
                  "SELECT ?d WHERE { ?d lo:symbol ?s }\n", encoding="utf-8")
    result = run("query", rq, "-p", "s=15/CT-TTg", "--format", "json", "--store", store_dir)
    values = {b["d"]["value"] for b in json.loads(result.output)["results"]["bindings"]}
    assert "https://data.luocdo.vn/eli/vn/ct/2024/15/ttg" in values


def test_an_injection_attempt_on_the_command_line_changes_nothing(store_dir: Path) -> None:
    with OxigraphStore(store_dir) as store:
        before = sum(1 for _ in store.quads(ontology=True))
    for args in (["cited_by", "-p", f"doc={INJECTION}"],
                 ["SELECT ?d WHERE { ?d ?p ?x }", "-p", f"x={INJECTION}"]):
        result = run("query", *args, "--store", store_dir)
        assert result.exit_code == 0, result.output
        assert "No results." in result.output
    with OxigraphStore(store_dir) as store:
        assert sum(1 for _ in store.quads(ontology=True)) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["SELECT ?x WHERE { ?x ?y }"], "Bad query"),
        (["cited_by"], "missing parameter"),
        (["cited_by", "-p", "nope"], "name=value"),
        (["DROP ALL"], "updates are not accepted"),
    ],
)
def test_query_errors_exit_2(store_dir: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, ["--lang", "en", "query", *args, "--store",
                                      str(store_dir)])
    assert result.exit_code == 2
    assert message in result.output


def test_query_list() -> None:
    result = run("query", "--list")
    assert result.exit_code == 0
    for name in ("cited_by", "implementation_chain", "conflicting_dates"):
        assert name in result.output


# --- export, validate, stats ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "parser"),
    [("ttl", "turtle"), ("nt", "nt"), ("trig", "trig"), ("nq", "nquads"),
     ("jsonld", "json-ld")],
)
def test_export_rdf(store_dir: Path, tmp_path: Path, fmt: str, parser: str) -> None:
    out = tmp_path / f"kg.{fmt}"
    assert run("export", "--format", fmt, "-o", out, "--store", store_dir).exit_code == 0
    ds = Dataset()
    ds.parse(out, format=parser)
    symbols = {str(o) for _, _, o, _ in ds.quads((None, LO.symbol, None, None))}
    assert "15/CT-TTg" in symbols


def test_export_graphml_for_gephi(store_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "kg.graphml"
    assert run("export", "--format", "graphml", "-o", out, "--store", store_dir).exit_code == 0
    g = nx.read_graphml(out)
    assert "https://data.luocdo.vn/eli/vn/ct/2024/15/ttg" in g


def test_export_to_stdout(store_dir: Path) -> None:
    result = run("export", "--format", "nt", "--store", store_dir)
    assert len(Graph().parse(data=result.output, format="nt")) > 100


def test_validate_passes_on_the_samples(store_dir: Path) -> None:
    result = run("validate", "--store", store_dir)
    assert result.exit_code == 0, result.output
    assert "conforms" in result.output


def test_validate_passes_on_the_whole_sample_folder(tmp_path: Path) -> None:
    """Regression: the drafts beside the samples cite 27/2023/QH15 with no type word
    (the extractor's "văn bản") where a sample names it a law: the document had two
    types, which ``validate`` refused on the demo's own corpus."""
    store = tmp_path / "kg"
    assert run("ingest", "--store", store, ROOT / "ingest" / "samples").exit_code == 0
    result = run("validate", "--store", store)
    assert result.exit_code == 0, result.output


def test_validate_fails_on_a_violation(store_dir: Path) -> None:
    bad = Graph()
    doc = URIRef("https://data.luocdo.vn/eli/vn/ct/2024/99/ttg")
    bad.add((doc, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), LO.Document))
    bad.add((doc, LO.unresolved, Literal("yes")))
    with OxigraphStore(store_dir) as store:
        store.replace_source(URIRef("https://data.luocdo.vn/graph/source/bad"), bad)
    result = run("validate", "--store", store_dir)
    assert result.exit_code == 1
    assert "eli/vn/ct/2024/99/ttg" in result.output
    assert "lo:identityKey" in result.output


def test_stats_json(store_dir: Path) -> None:
    result = run("stats", "--json", "--store", store_dir)
    counts = json.loads(result.output)
    assert counts["sources"] == len(SAMPLES)
    assert counts["documents"] > len(SAMPLES)
    assert counts["by_type"]["chi-thi"] >= 1


def test_stats_table_in_vietnamese(store_dir: Path) -> None:
    result = run("stats", "--store", store_dir, lang="vi")
    assert "Tệp nguồn" in result.output and "Chỉ thị" in result.output


def test_bad_store_url_is_a_clear_error() -> None:
    result = run("stats", "--store", "http://127.0.0.1:9/sparql")
    assert result.exit_code == 1
    assert "Store error" in result.output


# --- persistence across processes -------------------------------------------------------------


def _cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "api.cli_graph", "--lang", "en",
                           *map(str, args)], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, check=False)


def test_a_store_written_by_one_process_answers_another(tmp_path: Path) -> None:
    store = tmp_path / "kg"
    ingested = _cli("ingest", "--store", store, *SAMPLES)
    assert ingested.returncode == 0, ingested.stderr
    asked = _cli("query", "cited_by", "-p", "doc=15/CT-TTg", "--format", "json",
                 "--store", store)
    assert asked.returncode == 0, asked.stderr
    found = {(b["citing"]["value"], b["quote"]["value"])
             for b in json.loads(asked.stdout)["results"]["bindings"]}
    here = run("query", "cited_by", "-p", "doc=15/CT-TTg", "--format", "json",
               "--store", ":memory:")
    assert json.loads(here.output)["results"]["bindings"] == []  # a fresh store knows nothing
    with OxigraphStore(None) as memory:
        from graph.pipeline import ingest_paths
        from graph.queries import run_named

        ingest_paths(memory, SAMPLES)
        expected = {(str(r["citing"]), str(r["quote"]))
                    for r in run_named(memory, "cited_by", doc="15/CT-TTg")}
    assert found == expected and found
