"""Machine description and small helpers shared by the benchmark scripts."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import resource
import subprocess
from pathlib import Path
from typing import Any

OUT_DIR = Path(__file__).resolve().parent / "out"
SEEDS_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


def _run(cmd: list[str]) -> str:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return ""


def machine_info() -> dict[str, Any]:
    """CPU, memory, OS and Python version, as the README reports them."""
    lscpu = _run(["lscpu"]).splitlines()
    model = next((x.split(":", 1)[1].strip() for x in lscpu if x.startswith("Model name")), "")
    return {
        "date": dt.date.today().isoformat(),
        "nproc": os.cpu_count(),
        "cpu": model or platform.processor(),
        "memory": _run(["free", "-g"]).splitlines()[1:2],
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average_at_start": load_average(),
    }


def load_average() -> list[float]:
    """1, 5 and 15-minute load averages (other workers share the cores)."""
    return [round(x, 2) for x in os.getloadavg()]


def peak_rss_mb(children: bool = False) -> float:
    """Peak resident set size of this process (or its largest child) in MB (Linux: KiB)."""
    who = resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF
    return resource.getrusage(who).ru_maxrss / 1024


def write_result(name: str, payload: dict[str, Any]) -> Path:
    """Write ``payload`` as ``benchmarks/out/<name>-<date>.json`` and return the path."""
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    path = OUT_DIR / f"{name}-{dt.date.today().isoformat()}.json"
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2, default=str) + "\n",
                    encoding="utf-8")
    return path


def add_serve_gc_option(parser: Any) -> None:
    """``--serve-gc`` on an ``argparse`` parser (read it back with ``apply_serve_gc``)."""
    parser.add_argument("--serve-gc", action="store_true",
                        help="tune the garbage collector as `luocdo serve` and its query "
                             "workers do (api.query_runner.tune_collector)")


def apply_serve_gc(enabled: bool) -> bool:
    """Tune the collector as the server does when ``enabled``; returns ``enabled``."""
    if enabled:
        from api.query_runner import tune_collector

        tune_collector()
    return enabled
