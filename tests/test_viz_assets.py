"""visualizations.vendor_assets: the vendored vis-network is the locked npm build."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from visualizations.vendor_assets import (
    ASSETS,
    STATIC_VENDOR,
    VENDOR,
    AssetError,
    build,
    check,
    locked,
)


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "vendor"
    shutil.copytree(STATIC_VENDOR, target)
    return target


def test_vendored_files_match_manifest_and_lock() -> None:
    manifest = check()
    pinned = json.loads((VENDOR / "package.json").read_text(encoding="utf-8"))
    assert manifest["version"] == pinned["dependencies"]["vis-network"] == locked().version
    assert set(manifest["files"]) == {name for _, name in ASSETS}


def test_vendored_script_and_licences() -> None:
    script = (STATIC_VENDOR / "vis-network.min.js").read_text(encoding="utf-8")
    assert f"@version {locked().version}" in script[:400]
    assert "MIT License" in (STATIC_VENDOR / "vis-network.LICENSE-MIT.txt").read_text()
    apache = (STATIC_VENDOR / "vis-network.LICENSE-APACHE-2.0.txt").read_text()
    assert "Apache License" in apache


def test_lock_names_no_registry_host() -> None:
    """The lock pins by integrity; no ``resolved`` URL (``--omit-lockfile-registry-resolved``)."""
    lock = (VENDOR / "package-lock.json").read_text(encoding="utf-8")
    assert '"resolved"' not in lock and locked().integrity.startswith("sha512-")


@pytest.mark.parametrize("damage", ["script", "version"])
def test_check_notices_damage(tmp_path: Path, damage: str) -> None:
    target = _copy(tmp_path)
    if damage == "script":
        with (target / "vis-network.min.js").open("a", encoding="utf-8") as f:
            f.write("\n// edited by hand\n")
    else:
        manifest = json.loads((target / "MANIFEST.json").read_text(encoding="utf-8"))
        manifest["version"] = "9.1.2"
        (target / "MANIFEST.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(AssetError):
        check(target=target)


def test_check_without_manifest(tmp_path: Path) -> None:
    with pytest.raises(AssetError, match=r"MANIFEST\.json"):
        check(target=tmp_path)


@pytest.mark.slow
def test_build_reproduces_the_vendored_files(tmp_path: Path) -> None:
    """``npm ci`` of the lock gives byte-identical files (needs npm and the npm registry)."""
    if shutil.which("npm") is None:
        pytest.skip("npm is not installed (Debian package npm)")
    try:
        fresh = build(target=tmp_path)
    except AssetError as exc:
        pytest.skip(f"npm could not install the lock here: {exc}")
    assert fresh == check()
