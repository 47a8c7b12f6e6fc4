"""Vendored browser assets: vis-network from its npm package, pinned and checked.

``visualizations/vendor/package.json`` and ``package-lock.json`` pin the npm package
``vis-network`` (version and sha512 integrity). ``python -m visualizations.vendor_assets``
installs exactly that lock with ``npm ci`` in a temporary folder (nothing is left in
the tree), copies the standalone UMD build and both licence files into
``visualizations/static/vendor/`` and writes ``MANIFEST.json`` (package, version,
integrity, SHA-256 of every copied file). ``--check`` verifies the copied files
against the manifest and the manifest against the lock, without npm or a network.

The standalone build bundles vis-data and injects its own CSS, so one JavaScript
file is the whole library; no stylesheet and no other package is needed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["ASSETS", "STATIC_VENDOR", "VENDOR", "AssetError", "build", "check", "main"]

HERE = Path(__file__).resolve().parent
VENDOR = HERE / "vendor"  # package.json + package-lock.json
STATIC_VENDOR = HERE / "static" / "vendor"  # what the explorer serves and inlines
PACKAGE = "vis-network"

# (path inside node_modules/vis-network, name under static/vendor)
ASSETS: tuple[tuple[str, str], ...] = (
    ("standalone/umd/vis-network.min.js", "vis-network.min.js"),
    ("LICENSE-MIT", "vis-network.LICENSE-MIT.txt"),
    ("LICENSE-APACHE-2.0", "vis-network.LICENSE-APACHE-2.0.txt"),
)


class AssetError(RuntimeError):
    """A vendored file is missing, changed, or does not match the lock."""


@dataclass(frozen=True, slots=True)
class Locked:
    """What the lock pins."""

    version: str
    integrity: str


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def locked(vendor: Path = VENDOR) -> Locked:
    """Version and integrity of ``vis-network`` in ``package-lock.json``."""
    lock = json.loads((vendor / "package-lock.json").read_text(encoding="utf-8"))
    entry = lock["packages"][f"node_modules/{PACKAGE}"]
    return Locked(entry["version"], entry["integrity"])


def build(vendor: Path = VENDOR, target: Path = STATIC_VENDOR) -> dict[str, Any]:
    """``npm ci`` the lock in a temporary folder and copy the assets into ``target``.

    Returns:
        The manifest written to ``target/MANIFEST.json``.

    Raises:
        AssetError: npm is missing or failed, or the installed version is not the lock's.
    """
    npm = shutil.which("npm")
    if npm is None:
        raise AssetError("npm is not installed (Debian: apt-get install npm)")
    pin = locked(vendor)
    with tempfile.TemporaryDirectory(prefix="luocdo-vendor-") as tmp:
        work = Path(tmp)
        for name in ("package.json", "package-lock.json"):
            shutil.copy2(vendor / name, work / name)
        cmd = [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--legacy-peer-deps"]
        done = subprocess.run(cmd, cwd=work, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise AssetError(f"npm ci failed:\n{done.stderr.strip()}")
        package = work / "node_modules" / PACKAGE
        installed = json.loads((package / "package.json").read_text(encoding="utf-8"))
        if installed["version"] != pin.version:
            raise AssetError(f"npm installed {installed['version']}, the lock pins {pin.version}")
        target.mkdir(parents=True, exist_ok=True)
        files = {}
        for source, name in ASSETS:
            shutil.copyfile(package / source, target / name)
            files[name] = {"from": f"{PACKAGE}/{source}", "sha256": _sha256(target / name)}
    manifest: dict[str, Any] = {"package": PACKAGE, "version": pin.version,
                                   "integrity": pin.integrity, "files": files}
    (target / "MANIFEST.json").write_text(json.dumps(manifest, indent=2) + "\n",
                                          encoding="utf-8")
    return manifest


def check(vendor: Path = VENDOR, target: Path = STATIC_VENDOR) -> dict[str, Any]:
    """Verify the vendored files against ``MANIFEST.json`` and the manifest against the lock.

    Raises:
        AssetError: a file is missing or changed, or the manifest names another version.
    """
    path = target / "MANIFEST.json"
    if not path.is_file():
        raise AssetError(f"{path} is missing: run python -m visualizations.vendor_assets")
    manifest = json.loads(path.read_text(encoding="utf-8"))
    pin = locked(vendor)
    if (manifest.get("version"), manifest.get("integrity")) != (pin.version, pin.integrity):
        raise AssetError(f"vendored {PACKAGE} {manifest.get('version')} is not the locked "
                         f"{pin.version}: rebuild the assets")
    for _, name in ASSETS:
        file = target / name
        want = manifest["files"].get(name, {}).get("sha256")
        if not file.is_file() or _sha256(file) != want:
            raise AssetError(f"{file} is missing or differs from MANIFEST.json")
    return dict(manifest)


def main(argv: list[str] | None = None) -> int:
    """Command line: build the vendored assets, or ``--check`` them."""
    parser = argparse.ArgumentParser(prog="python -m visualizations.vendor_assets",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="verify, do not rebuild")
    args = parser.parse_args(argv)
    try:
        manifest = check() if args.check else build()
    except AssetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"{manifest['package']} {manifest['version']}: ok")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
