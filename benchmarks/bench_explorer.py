"""Explorer benchmark: how fast a 2,000-node view becomes interactive in headless Chromium.

Steps:

1. ``synthetic_corpus(n)``: ``n`` documents of mixed types and issuers, each citing one
   to three earlier ones (popular documents are cited more, as real directives are);
   a fixed seed makes every run draw the same graph.
2. ``corpus_view_of(max_nodes=n)`` and ``render_page(assets="inline")``: the page the
   CLI exports (timed: view build and render, page size).
3. Headless Chromium (Debian's ``/usr/bin/chromium`` driven by Playwright, network
   blocked), ``--runs`` times, a fresh page each: the time from navigation start and
   from the script's start until the layout is stabilised and physics switched off
   (``body[data-ready]``), then the mean time of a redraw (what each pan or zoom
   frame costs once the graph is frozen).

    python -m benchmarks.bench_explorer --nodes 2000 --runs 3

The result goes to ``benchmarks/out/bench_explorer-<date>.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.machine import machine_info, write_result
from ontology.terms import DOC_TYPES, ISSUERS, Relation
from visualizations.facts import Corpus, DocInfo, LinkInfo
from visualizations.render import render_page
from visualizations.views import corpus_view_of

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
_RELATIONS = (Relation.CITES,) * 6 + (Relation.IMPLEMENTS,) * 3 + (
    Relation.BASED_ON, Relation.REPLACES, Relation.CONTINUES, Relation.REPORTS_ON)
_TYPES = ("chi-thi", "cong-van", "ke-hoach", "bao-cao", "quyet-dinh", "nghi-quyet", "ket-luan")


def synthetic_corpus(n: int, *, seed: int = 0) -> Corpus:
    """``n`` documents citing earlier ones, with preferential attachment (see module)."""
    rng = random.Random(seed)
    codes = {t.slug: (t.state_codes or t.party_codes or ("VB",))[0] for t in DOC_TYPES}
    docs: dict[str, DocInfo] = {}
    links: list[LinkInfo] = []
    popular: list[str] = []
    for i in range(n):
        slug = rng.choice(_TYPES)
        issuer = rng.choice(ISSUERS[:35])
        year = 2015 + i * 10 // max(n, 1)
        iri = f"https://data.luocdo.vn/bench/{i}"
        symbol = f"{i + 1}/{codes[slug]}-{issuer.code}"
        docs[iri] = DocInfo(iri, symbol, f"{symbol.upper()}@{year}",
                            dt.date(year, 1 + i % 12, 1 + i % 28), slug,
                            f"Văn bản thử nghiệm số {i + 1} về công tác chuyển đổi số",
                            issuer.vi, rng.random() < 0.3)
        # dict.fromkeys, not a set: distinct targets in draw order, the same in every process
        # (a set's order follows PYTHONHASHSEED, and so did the explorer's layout).
        targets = (dict.fromkeys(rng.choice(popular) for _ in range(rng.randint(1, 3)))
                   if popular else {})
        for target in targets:
            links.append(LinkInfo(iri, target, (rng.choice(_RELATIONS),), 1))
            popular.append(target)
        popular.append(iri)
    return Corpus(docs, tuple(links))


def _page_timings(browser: Any, url: str, timeout_s: float) -> dict[str, float]:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    outside: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(("file:", "data:"))
            else outside.append(r.url))
    page.route("**/*", lambda route: route.abort() if not route.request.url.startswith(
        ("file:", "data:")) else route.continue_())
    page.goto(url)
    try:
        page.wait_for_selector("body[data-ready]", state="attached", timeout=timeout_s * 1000)
    except Exception as exc:  # playwright's TimeoutError: record it, do not crash the run
        if "Timeout" not in type(exc).__name__:
            raise
        page.close()
        return {"timed_out_after_s": timeout_s}
    ready = page.evaluate("""() => ({script: window.explorer.readyMs,
                                     navigation: performance.now(),
                                     marks: Object.fromEntries(performance.getEntriesByType(
                                         'mark').map(m => [m.name, m.startTime]))})""")
    redraw = page.evaluate("""async () => {
        const net = window.explorer.network, times = [];
        for (let i = 0; i < 10; i++) {
            const t0 = performance.now();
            await new Promise(r => { net.once('afterDrawing', r); net.redraw(); });
            times.push(performance.now() - t0);
        }
        return times.reduce((a, b) => a + b, 0) / times.length;
    }""")
    physics = page.evaluate("window.explorer.network.physics.options.enabled")
    page.close()
    if outside:
        raise RuntimeError(f"the page tried to reach the network: {outside[:3]}")
    return {"ready_from_script_ms": float(ready["script"]),
            "ready_from_navigation_ms": float(ready["navigation"]),
            "redraw_ms": float(redraw), "physics_on_after_ready": float(bool(physics)),
            **_phases(ready["marks"])}


def _phases(marks: dict[str, float]) -> dict[str, float]:
    """Milliseconds spent in each phase of explorer.js (its performance marks)."""
    names = ["explorer:data", "explorer:tooltips", "explorer:datasets", "explorer:network",
             "explorer:stabilised"]
    at = [0.0] + [marks.get(n, float("nan")) for n in names]
    phases = ["load_and_parse_ms", "tooltips_ms", "datasets_ms", "network_init_ms",
              "stabilisation_ms"]
    return {p: round(at[i + 1] - at[i], 1) for i, p in enumerate(phases)}


# vis-network's own defaults with physics on (what pyvis produces unless told otherwise):
# stabilisation up to 1,000 iterations, no starting positions, curved edges.
BASELINE_OPTIONS: dict[str, Any] = {"physics": {"enabled": True,
                                                "stabilization": {"iterations": 1000}}}


def run(nodes: int, runs: int, seed: int, *, baseline: bool = False,
        timeout_s: float = 300.0) -> dict[str, Any]:
    """Build, render and time the view; returns the result document."""
    from playwright.sync_api import sync_playwright

    t0 = time.perf_counter()
    corpus = synthetic_corpus(nodes, seed=seed)
    view = corpus_view_of(corpus, max_nodes=nodes)
    t1 = time.perf_counter()
    html = render_page(view, assets="inline",
                       vis_options=BASELINE_OPTIONS if baseline else None)
    t2 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="luocdo-bench-") as tmp:
        path = Path(tmp) / "explorer.html"
        path.write_text(html, encoding="utf-8")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            samples = [_page_timings(browser, path.as_uri(), timeout_s) for _ in range(runs)]
            version = browser.version
            browser.close()

    done = [s for s in samples if "timed_out_after_s" not in s]

    def stat(name: str) -> dict[str, float] | None:
        values = [s[name] for s in done]
        if not values:
            return None
        return {"median": statistics.median(values), "min": min(values), "max": max(values)}

    phases = ("load_and_parse_ms", "tooltips_ms", "datasets_ms", "network_init_ms",
              "stabilisation_ms")
    return {
        "machine": machine_info(), "chromium": version, "nodes": len(view.nodes),
        "edges": len(view.edges), "runs": runs, "seed": seed,
        "settings": "vis-network defaults" if baseline else "explorer",
        "build_view_s": round(t1 - t0, 3), "render_page_s": round(t2 - t1, 3),
        "page_bytes": len(html.encode("utf-8")),
        "ready_from_navigation_ms": stat("ready_from_navigation_ms"),
        "ready_from_script_ms": stat("ready_from_script_ms"),
        "redraw_ms": stat("redraw_ms"),
        "phases_median_ms": {p: (stat(p) or {}).get("median") for p in phases},
        "physics_on_after_ready": any(s["physics_on_after_ready"] for s in done),
        "timed_out": len(samples) - len(done), "timeout_s": timeout_s,
        "samples": samples,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_explorer",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=300.0,
                        help="seconds to wait for one page to become interactive")
    parser.add_argument("--baseline", action="store_true",
                        help="vis-network's default physics instead of the explorer's")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        parser.error(f"{CHROMIUM} is missing (Debian: apt-get install chromium)")
    result = run(args.nodes, args.runs, args.seed, baseline=args.baseline,
                 timeout_s=args.timeout)
    out = write_result("bench_explorer-baseline" if args.baseline else "bench_explorer", result)
    nav, redraw = result["ready_from_navigation_ms"], result["redraw_ms"]
    when = (f"interactive after {nav['median']:.0f} ms (median of {args.runs - result['timed_out']}"
            f"), redraw {redraw['median']:.1f} ms" if nav else
            f"not interactive within {args.timeout:g} s")
    print(f"{result['nodes']} nodes, {result['edges']} edges: {when}; timed out "
          f"{result['timed_out']}/{args.runs}; build {result['build_view_s']} s, render "
          f"{result['render_page_s']} s, page {result['page_bytes'] / 1e6:.1f} MB -> {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
