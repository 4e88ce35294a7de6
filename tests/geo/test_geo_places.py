"""Your own places: Gazetteer(extra_places=...), read_places, the CLI's --places."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sahel_events.cli import main
from sahel_events.exc import PlacesFileError, UnreadableFileError
from sahel_events.geo import Gazetteer, read_places

# GeoNames has Ogossagou only as its quarters (a fuzzy guess); a coder who knows
# where it is adds it: "18 km au Sud-Ouest de Bankass" (voixdebamako.com, 2019).
PLACES_CSV = (
    "name,alternate_names,latitude,longitude,country,kind,source\n"
    "Ogossagou,Ogossagou Peul|أوغوساغو,13.97,-3.63,ML,village,press report\n"
    'Hombori,"",15.30,-1.70,Mali,town,a user\'s own point wins\n'
)


def _places(tmp_path: Path, text: str = PLACES_CSV, name: str = "places.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_extra_places_answer_first_with_source_user(tmp_path: Path) -> None:
    gazetteer = Gazetteer(extra_places=_places(tmp_path))
    raw = gazetteer.geocode("Ogossagou", country_codes="ML").raw
    assert (raw["name"], raw["source"], raw["match"], raw["alpha2"]) == (
        "Ogossagou",
        "user",
        "exact",
        "ML",
    )
    assert gazetteer.geocode("أوغوساغو").raw["source"] == "user"
    # A user place wins over the shipped place of the same name.
    hombori = gazetteer.geocode("Hombori", country_codes="ML")
    assert (hombori.raw["source"], hombori.latitude) == ("user", 15.30)
    assert Gazetteer().geocode("Hombori", country_codes="ML").raw["source"] == "geonames"


def test_user_place_lookup_for_the_coding_sheets(tmp_path: Path) -> None:
    gazetteer = Gazetteer(extra_places=_places(tmp_path))
    location = gazetteer.user_place("ogossagou peul", country="ML")
    assert location is not None and location.raw["name"] == "Ogossagou"
    assert gazetteer.user_place("Ogossagou", country="BF") is None
    assert Gazetteer().user_place("Ogossagou") is None


def test_yaml_places(tmp_path: Path) -> None:
    path = _places(
        tmp_path,
        "places:\n  - name: Ogossagou\n    alternate_names: [Ogossagou Peul]\n"
        "    latitude: 13.97\n    longitude: -3.63\n    country: ML\n",
        "places.yaml",
    )
    table = read_places(path)
    assert (table.name, table.feature_kind, table.source) == (["Ogossagou"], ["village"], "user")


@pytest.mark.parametrize(
    ("text", "message", "row", "column"),
    [
        ("name,latitude,longitude\nX,1,2\n", r"missing column\(s\) country", None, None),
        ("name,latitude,longitude,country\n,1,2,ML\n", "no name", 2, "name"),
        ("name,latitude,longitude,country\nX,91,2,ML\n", "outside -90 to 90", 2, "latitude"),
        ("name,latitude,longitude,country\nX,1,east,ML\n", "not a number", 2, "longitude"),
        ("name,latitude,longitude,country\nX,1,nan,ML\n", "outside", 2, "longitude"),
        ("name,latitude,longitude,country\nX,1,2,Atlantis\n", "unknown country", 2, "country"),
        ("name,latitude,longitude,country,kind\nX,1,2,ML,castle\n", "unknown kind", 2, "kind"),
        ("name,name,latitude,longitude,country\nX,Y,1,2,ML\n", "appears twice", None, None),
    ],
)
def test_bad_rows_name_file_row_and_column(
    tmp_path: Path, text: str, message: str, row: int | None, column: str | None
) -> None:
    path = _places(tmp_path, text)
    with pytest.raises(PlacesFileError, match=message) as caught:
        read_places(path)
    assert (caught.value.path, caught.value.row, caught.value.column) == (str(path), row, column)
    assert caught.value.exit_code == 1


def test_unreadable_places_files(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFileError, match="no such file"):
        read_places(tmp_path / "missing.csv")
    binary = tmp_path / "b.csv"
    binary.write_bytes(b"name\n\xff\xfe\n")
    with pytest.raises(UnreadableFileError, match="not UTF-8"):
        read_places(binary)
    with pytest.raises(UnreadableFileError, match="not valid YAML"):
        read_places(_places(tmp_path, "places: [\n", "bad.yaml"))
    with pytest.raises(UnreadableFileError, match="not a regular file"):
        read_places(tmp_path)


def test_cli_places_option(tmp_path: Path) -> None:
    path = _places(tmp_path)
    result = CliRunner().invoke(
        main, ["geocode", "Ogossagou", "--country", "ML", "--places", str(path), "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["source"] == "user"
    bad = _places(tmp_path, "name,latitude,longitude,country\nX,95,2,ML\n", "bad.csv")
    result = CliRunner().invoke(main, ["geocode", "X", "--places", str(bad)])
    assert result.exit_code == 1
    assert "row 2" in result.stderr and "latitude" in result.stderr
    assert "Traceback" not in result.stderr


def test_admin1_kept_and_yaml_read_strictly(tmp_path: Path) -> None:
    path = _places(
        tmp_path,
        "name,latitude,longitude,country,kind,admin1\nOgossagou,14.104,-3.305,ML,Village,Mopti\n",
    )
    table = read_places(path)
    assert (table.admin1, table.feature_kind) == (["Mopti"], ["village"])
    raw = Gazetteer(extra_places=path).geocode("Ogossagou").raw
    assert raw["admin1"] == "Mopti"
    # The loader of coding sheets: no aliases (billion laughs), no duplicate keys.
    aliased = _places(
        tmp_path,
        "- &a {name: X, latitude: 1, longitude: 2, country: ML}\n- *a\n",
        "aliased.yaml",
    )
    with pytest.raises(UnreadableFileError, match="YAML anchors"):
        read_places(aliased)
    twice = _places(
        tmp_path, "- {name: X, name: Y, latitude: 1, longitude: 2, country: ML}\n", "twice.yaml"
    )
    with pytest.raises(UnreadableFileError, match="duplicate key"):
        read_places(twice)
    with pytest.raises(PlacesFileError, match="unknown column 'notes'"):
        read_places(_places(tmp_path, PLACES_CSV.replace("source", "notes")), strict=True)
    assert (
        read_places(_places(tmp_path, PLACES_CSV.replace("source", "notes"))).name[0] == "Ogossagou"
    )
