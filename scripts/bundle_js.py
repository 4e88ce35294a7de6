"""Bundle the JavaScript and CSS of the interactive map into the package.

The HTML map (``sahel_events.plot.write_html``) inlines Leaflet and
Leaflet.markercluster so that the page opens offline. This script fetches the
pinned versions from the npm registry with ``npm pack`` (the ordinary npm
client; nothing else is downloaded), checks each tarball's integrity against
the registry's ``dist.integrity``, and copies the built files and their licences
into ``sahel_events/plot/_js/``, with ``VERSIONS.json`` recording what came from
where and each file's SHA-256 (a test checks the committed files against it). The copied files are committed; the library never fetches anything.

    python scripts/bundle_js.py            # re-bundle the pinned versions
    python scripts/bundle_js.py --check    # exit 1 if the committed files differ

To update: change a version in ``PACKAGES`` below, run the script, run the
browser tests (``pytest tests/test_plot_browser.py``), read the upstream
changelog for API changes the page template (``sahel_events/plot/map.html``)
uses, and commit ``sahel_events/plot/_js/`` with the script.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

TARGET = Path(__file__).resolve().parents[1] / "sahel_events" / "plot" / "_js"

#: npm package -> (version, {file in the tarball: file in the package}).
PACKAGES: dict[str, tuple[str, dict[str, str]]] = {
    "leaflet": (
        "1.9.4",
        {
            "package/dist/leaflet.js": "leaflet.js",
            "package/dist/leaflet.css": "leaflet.css",
            # The layer control's icon, which leaflet.css refers to; inlined as data: URIs.
            "package/dist/images/layers.png": "layers.png",
            "package/dist/images/layers-2x.png": "layers-2x.png",
            "package/LICENSE": "LICENSE-leaflet.txt",
        },
    ),
    "leaflet.markercluster": (
        "1.5.3",
        {
            "package/dist/leaflet.markercluster.js": "leaflet.markercluster.js",
            "package/dist/MarkerCluster.css": "MarkerCluster.css",
            "package/MIT-LICENCE.txt": "LICENSE-leaflet.markercluster.txt",
        },
    ),
}


def _npm(*args: str, cwd: Path) -> str:
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("error: npm is not installed (apt-get install npm)")
    result = subprocess.run([npm, *args], cwd=cwd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"error: npm {' '.join(args)} failed:\n{result.stderr.strip()}")
    return result.stdout


def _verify(tarball: Path, integrity: str) -> None:
    """Compare the tarball with the registry's Subresource Integrity string (sha512-...)."""
    algorithm, _, expected = integrity.partition("-")
    digest = hashlib.new(algorithm, tarball.read_bytes()).digest()
    if base64.b64encode(digest).decode() != expected:
        sys.exit(f"error: {tarball.name} does not match the registry's {integrity}")


def bundle(out_dir: Path) -> dict[str, dict[str, object]]:
    """Write the bundled files into ``out_dir``; return what VERSIONS.json records."""
    out_dir.mkdir(parents=True, exist_ok=True)
    record: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        for name, (version, files) in PACKAGES.items():
            spec = f"{name}@{version}"
            meta = json.loads(_npm("view", spec, "dist", "license", "--json", cwd=work))
            packed = json.loads(_npm("pack", spec, "--json", cwd=work))
            tarball = work / packed[0]["filename"]
            _verify(tarball, meta["dist"]["integrity"])
            digests = {}
            with tarfile.open(tarball) as archive:
                for member, target in files.items():
                    extracted = archive.extractfile(member)
                    if extracted is None:
                        sys.exit(f"error: {spec} has no file {member}")
                    content = extracted.read()
                    (out_dir / target).write_bytes(content)
                    digests[target] = hashlib.sha256(content).hexdigest()
            record[name] = {
                "version": version,
                "license": meta["license"],
                "integrity": meta["dist"]["integrity"],
                "sha256": dict(sorted(digests.items())),
            }
    (out_dir / "VERSIONS.json").write_text(
        json.dumps(record, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    return record


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="compare with the committed files; change nothing"
    )
    args = parser.parse_args()
    if not args.check:
        for name, entry in bundle(TARGET).items():
            print(f"{name} {entry['version']} ({entry['license']}) -> {TARGET}")
        return 0
    with tempfile.TemporaryDirectory() as folder:
        fresh = Path(folder)
        bundle(fresh)
        differ = [
            path.name
            for path in sorted(fresh.iterdir())
            if not (TARGET / path.name).is_file()
            or (TARGET / path.name).read_bytes() != path.read_bytes()
        ]
    if differ:
        print("differ from the registry's files: " + ", ".join(differ))
        return 1
    print(f"{TARGET} matches the pinned npm packages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
