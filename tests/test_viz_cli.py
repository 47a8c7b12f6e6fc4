"""``luocdo viz``: self-contained explorer pages written from the command line."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from rdflib import Graph, URIRef

from api.cli_viz import viz
from graph.store import OxigraphStore

SAMPLES = Path(__file__).resolve().parents[1] / "ingest" / "samples"


@cache
def _graphs() -> tuple[tuple[str, tuple[Any, ...]], ...]:
    from graph.pipeline import ingest_paths

    store = OxigraphStore(None)
    ingest_paths(store, sorted(SAMPLES.glob("*.txt")))
    graphs: dict[str, list[Any]] = {}
    for s, p, o, g in store.quads(ontology=True):
        graphs.setdefault(str(g), []).append((s, p, o))
    store.close()
    return tuple(sorted((g, tuple(ts)) for g, ts in graphs.items()))


@pytest.fixture
def store_dir(tmp_path: Path) -> str:
    """An on-disk store holding the samples (closed, so the CLI can open it)."""
    folder = tmp_path / "store"
    store = OxigraphStore(folder)
    for name, triples in _graphs():
        graph = Graph()
        for t in triples:
            graph.add(t)
        store.replace_source(URIRef(name), graph)
    store.close()
    return str(folder)


def _page_data(html: str, block: str) -> Any:
    start = html.index(f'id="{block}">') + len(f'id="{block}">')
    return json.loads(html[start:html.index("</script>", start)])


@pytest.mark.parametrize(("args", "title"), [
    (["15/ct-ttg", "--depth", "1"], "Vùng lân cận của 15/CT-TTg (bán kính 1)"),
    (["--trace", "2215/BNV-CQĐP", "III.4"], "Truy vết mục III.4 của đề cương kèm 2215/BNV-CQĐP"),
    (["--corpus", "--lang", "en"], "Whole corpus"),
    (["--corpus", "--max-nodes", "5", "--cluster", "type"], "Toàn bộ kho văn bản"),
])
def test_viz_writes_a_self_contained_page(store_dir: str, tmp_path: Path, args: list[str],
                                          title: str) -> None:
    out = tmp_path / "page.html"
    result = CliRunner().invoke(viz, [*args, "-o", str(out), "--store", store_dir])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert _page_data(html, "explorer-page")["view"]["title"] == title
    assert 'http-equiv="Content-Security-Policy"' in html
    assert " src=" not in html.split("<script>", 1)[0]  # nothing loaded from a URL
    assert str(out) in result.output


def test_viz_link_base(store_dir: str, tmp_path: Path) -> None:
    out = tmp_path / "page.html"
    result = CliRunner().invoke(viz, ["33/CT-TTg", "--depth", "1", "-o", str(out), "--store",
                                      store_dir, "--link-base", "http://127.0.0.1:8000/"])
    assert result.exit_code == 0, result.output
    links = _page_data(out.read_text(encoding="utf-8"), "explorer-page")["links"]
    assert links == {"neighbourhood": "http://127.0.0.1:8000/explore/documents/{id}",
                     "record": "http://127.0.0.1:8000/documents/{id}", "depth": 1}


@pytest.mark.parametrize(("args", "message"), [
    (["9999/XYZ-ABC"], "Không tìm thấy văn bản 9999/XYZ-ABC"),
    (["--trace", "2215/BNV-CQĐP", "IX.1"], "không có mục IX.1"),
    (["--trace", "15/CT-TTg", "I"], "15/CT-TTg không có đề cương báo cáo kèm theo"),
    ([], "Hãy chọn đúng một trong"),
    (["15/CT-TTg", "--corpus"], "Hãy chọn đúng một trong"),
])
def test_viz_usage_errors(store_dir: str, tmp_path: Path, args: list[str], message: str) -> None:
    out = tmp_path / "page.html"
    result = CliRunner().invoke(viz, [*args, "-o", str(out), "--store", store_dir])
    assert result.exit_code == 2
    assert message in result.output
    assert not out.exists()
