"""User registries (--actors, --places), ACLED's actor templates and the named Sahel actors."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from sahel_events.cli import main
from sahel_events.coding.actor_templates import regimes, template_actor
from sahel_events.coding.actors import load_registry
from sahel_events.coding.build import build
from sahel_events.coding.places import KIND_PRECISION, load_places
from sahel_events.coding.sources import add_source
from sahel_events.exc import BuildError, CodingSheetError, UnknownActorError

TEXT = (
    "Ouagadougou, 16 septembre 2025. Des manifestants se sont rassemblés mardi devant la "
    "mairie de Koupéla-Est pour réclamer la libération de leur maire, arrêté par la gendarmerie.\n"
)


@pytest.mark.parametrize(
    ("name", "year", "expected", "actor_type"),
    [
        ("Protesters (Burkina Faso)", None, "Protesters (Burkina Faso)", "Protesters"),
        ("rioters (niger)", None, "Rioters (Niger)", "Rioters"),
        ("Civilians (Chad)", None, "Civilians (Chad)", "Civilians"),
        (
            "Unidentified Armed Group (Niger)",
            None,
            "Unidentified Armed Group (Niger)",
            "Political militia",
        ),
        ("Military Forces of Niger", 2024, "Military Forces of Niger (2023-)", "State forces"),
        ("Military Forces of Niger", 2015, "Military Forces of Niger (2011-2021)", "State forces"),
        (
            "Government of Burkina Faso",
            2019,
            "Government of Burkina Faso (2015-2022)",
            "State forces",
        ),
        ("Police Forces of Guinea", 2024, "Police Forces of Guinea (2021-)", "State forces"),
        ("Government of Chad (2021-)", None, "Government of Chad (2021-)", "State forces"),
        (
            "Military Forces of Kenya (2022-)",
            None,
            "Military Forces of Kenya (2022-)",
            "State forces",
        ),
    ],
)
def test_templates(name: str, year: int | None, expected: str, actor_type: str) -> None:
    actor = template_actor(name, year)
    assert actor is not None
    assert (actor.name, actor.actor_type) == (expected, actor_type)


def test_templates_refuse_wrong_years_and_unknown_countries() -> None:
    with pytest.raises(UnknownActorError, match=r"\(2019-\) is not a regime period of Niger"):
        template_actor("Military Forces of Niger (2019-)")
    with pytest.raises(UnknownActorError, match="not a country"):
        template_actor("Protesters (Atlantis)")
    with pytest.raises(UnknownActorError, match="no regime years are known"):
        template_actor("Military Forces of Kenya", 2024)
    assert template_actor("Katiba Macina") is None


def test_regime_table_covers_the_countries_whose_regimes_changed() -> None:
    table = regimes()
    for code in ("ML", "BF", "NE", "TD", "GN", "GA", "SD"):
        assert table[code][-1].end is None, code
        for earlier, later in zip(table[code], table[code][1:], strict=False):
            assert earlier.end == later.start, code


@pytest.mark.parametrize(
    ("alias", "name"),
    [
        ("JNIM", "JNIM: Group for Support of Islam and Muslims"),
        ("EIGS", "Islamic State (Sahel)"),
        ("ISWAP", "Islamic State (West Africa)"),
        ("أنصار الإسلام", "Ansaroul Islam"),
        ("Front de libération du Macina", "Katiba Macina"),
        ("Volontaires pour la défense de la patrie", "VDP: Volunteer for Defense of Homeland"),
        ("chasseurs dozo", "Dozo Communal Militia (Mali)"),
        ("Dan Na Ambassagou", "Dan Na Ambassagou"),
        (
            "CSP-PSD",
            "CSP-DPA: Permanent Strategic Framework for the Defense of the People of Azawad",
        ),
        ("جبهة تحرير أزواد", "FLA: Azawad Liberation Front"),
        ("MSA", "MSA: Movement for the Salvation of Azawad"),
        ("GATIA", "GATIA: Imghad Tuareg and Allies Self-Defense Group"),
        ("MNLA", "MNLA: National Movement for the Liberation of Azawad"),
        ("Wagner Group", "Wagner Group"),
        ("Africa Corps", "Military Forces of Russia (2000-) Africa Corps"),
        (
            "مينوسما",
            "MINUSMA: United Nations Multidimensional Integrated Stabilization Mission in Mali (2013-)",
        ),
        ("Barkhane", "Military Forces of France (2017-)"),
        ("Takuba", "Takuba Task Force"),
        ("G5 Sahel", "G5 Sahel Joint Force"),
        ("تحالف دول الساحل", "AES: Alliance of Sahel States"),
        ("armée burkinabè", "Military Forces of Burkina Faso (2022-)"),
        ("الجيش التشادي", "Military Forces of Chad (2021-)"),
        ("Nigerien soldiers", "Military Forces of Niger (2023-)"),
    ],
)
def test_named_actors_in_three_languages(alias: str, name: str) -> None:
    assert load_registry().lookup(alias, 2025).name == name


def _write_user_files(tmp_path: Path) -> tuple[Path, Path, Path, Path]:
    text = tmp_path / "article.txt"
    text.write_text(TEXT, encoding="utf-8")
    sources = tmp_path / "sources"
    add_source(
        text,
        source_id="bf-protest",
        publisher="Test",
        published="2025-09-16",
        language="fr",
        sources_dir=sources,
    )
    actors = tmp_path / "my-actors.yaml"
    actors.write_text(
        yaml.safe_dump(
            [
                {
                    "id": "koupela-residents",
                    "name": "Protesters (Burkina Faso)",
                    "actor_type": "Protesters",
                    "aliases": ["manifestants de Koupéla"],
                },
                {
                    "id": "gendarmerie-bf",
                    "name": "Police Forces of Burkina Faso (2022-) Gendarmerie",
                    "actor_type": "State forces",
                    "home_country": "BF",
                    "active_from": 2022,
                    "aliases": ["la gendarmerie burkinabè"],
                },
            ],
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    places = tmp_path / "my-places.csv"
    places.write_text(
        "name,alternate_names,latitude,longitude,country,kind\r\n"
        "Koupéla-Est,Koupela Est;كوبيلا الشرقية,12.1790,-0.3440,BF,neighbourhood\r\n",
        encoding="utf-8",
    )
    sheets = tmp_path / "sheets"
    sheets.mkdir()
    (sheets / "bf-protest.yaml").write_text(
        yaml.safe_dump(
            {
                "sheet_version": 1,
                "source": "bf-protest",
                "coded_by": "A. Coder",
                "coded_on": "2025-09-20",
                "events": [
                    {
                        "key": "koupela-protest",
                        "event_type": "Protests",
                        "sub_event_type": "Peaceful protest",
                        "actor1": "manifestants de Koupéla",
                        "location": {"query": "Koupela Est", "country": "BF"},
                        "date": {"expression": "mardi"},
                        "notes": "On 16 September 2025, residents protested in Koupela-Est.",
                        "evidence": ["Des manifestants se sont rassemblés mardi"],
                    },
                    {
                        "key": "koupela-mayor-arrested",
                        "event_type": "Strategic developments",
                        "sub_event_type": "Arrests",
                        "actor1": "la gendarmerie burkinabè",
                        "location": {"query": "Koupéla-Est", "country": "BF"},
                        "date": {"on": "2025-09-15", "precision": 2, "basis": "before the protest"},
                        "notes": "The gendarmerie arrested the mayor of Koupela-Est.",
                        "evidence": ["arrêté par la gendarmerie"],
                    },
                ],
            },
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    return sources, sheets, actors, places


def test_build_without_the_user_files_names_the_unknown_actor(tmp_path: Path) -> None:
    sources, sheets, _, _ = _write_user_files(tmp_path)
    with pytest.raises(BuildError) as caught:
        build(sources, sheets, tmp_path / "out")
    messages = [str(problem) for problem in caught.value.problems]
    assert any("unknown actor 'manifestants de Koupéla'" in m and "--actors" in m for m in messages)


def test_build_with_user_actors_and_places(tmp_path: Path) -> None:
    sources, sheets, actors, places = _write_user_files(tmp_path)
    result = build(sources, sheets, tmp_path / "out", actors=actors, places=places)
    frame = result.frame.set_index("location")
    row = frame.loc["Koupéla-Est"]
    assert set(frame["actor1"]) == {
        "Protesters (Burkina Faso)",
        "Police Forces of Burkina Faso (2022-) Gendarmerie",
    }
    assert row["latitude"].tolist() == [12.179, 12.179]
    assert row["geo_precision"].tolist() == [1, 1]
    assert set(row["admin1"]) and row["admin1"].iloc[0]  # the nearest gazetteer place's


def test_build_command_takes_actors_and_places(tmp_path: Path) -> None:
    sources, sheets, actors, places = _write_user_files(tmp_path)
    runner = CliRunner()
    args = [
        "build",
        "--sources",
        str(sources),
        "--codings",
        str(sheets),
        "--out",
        str(tmp_path / "o"),
    ]
    result = runner.invoke(main, [*args, "--actors", str(actors), "--places", str(places), "-q"])
    assert result.exit_code == 0, result.output
    assert "Koupéla-Est" in result.output


def test_user_actor_alias_colliding_with_a_shipped_actor_is_refused(tmp_path: Path) -> None:
    actors = tmp_path / "bad.yaml"
    actors.write_text(
        "- id: my-army\n  name: My Army\n  actor_type: Rebel group\n  aliases: [FAMa]\n",
        encoding="utf-8",
    )
    with pytest.raises(CodingSheetError, match="an alias must belong to one actor") as caught:
        load_registry().extended(load_registry(actors))
    assert str(actors.resolve()) in str(caught.value)


def test_user_actor_with_a_shipped_name_replaces_it(tmp_path: Path) -> None:
    actors = tmp_path / "override.yaml"
    actors.write_text(
        "- id: jnim\n  name: 'JNIM: Jama''at Nusrat al-Islam wal-Muslimin'\n"
        "  actor_type: Rebel group\n  aliases: [JNIM]\n",
        encoding="utf-8",
    )
    registry = load_registry().extended(load_registry(actors))
    assert registry.lookup("JNIM").name == "JNIM: Jama'at Nusrat al-Islam wal-Muslimin"
    assert registry.get("GSIM") is None  # the shipped actor, and its aliases, are gone


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        ("X,,95,1,BF,village", "latitude", "outside -90 to 90"),
        ("X,,1,1,Atlantis,village", "country", "unknown country"),
        ("X,,1,1,BF,hamlet-ish", "kind", "unknown kind 'hamlet-ish'; use one of village, town"),
        (",,1,1,BF,village", "name", "no name"),
        # The build's table needs a kind (its geo_precision); the gazetteer's defaults to village.
        ("X,,1,1,BF,", "kind", "empty"),
        ("X\x1b[2J,,1,1,BF,village", "name", "control character"),
    ],
)
def test_places_table_errors_name_file_row_and_column(
    tmp_path: Path, row: str, column: str, message: str
) -> None:
    path = tmp_path / "p.csv"
    path.write_text(
        "name,alternate_names,latitude,longitude,country,kind\n" + row + "\n", encoding="utf-8"
    )
    with pytest.raises(CodingSheetError, match=message) as caught:
        load_places(path)
    assert caught.value.row == 2 and caught.value.column == column
    assert str(path) in str(caught.value)


def test_places_table_in_yaml_and_ambiguity(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(
        "- {name: Kiré, alternate_names: [Kire], latitude: 13.1, longitude: -1.2, country: BF, kind: village}\n"
        "- {name: Kiré, latitude: 14.1, longitude: -3.2, country: ML, kind: village}\n",
        encoding="utf-8",
    )
    places = load_places(path)
    assert places.lookup("kire", "BF").latitude == 13.1
    with pytest.raises(CodingSheetError, match="names 2 places"):
        places.lookup("Kiré")


def test_places_table_refuses_an_unknown_column(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("name,latitude,longitude,country,kind,admin_1\nX,1,1,BF,village,Est\n")
    with pytest.raises(CodingSheetError, match="unknown column 'admin_1'") as caught:
        load_places(path)
    assert (caught.value.row, caught.value.column) == (2, "admin_1")


def test_the_build_and_the_gazetteer_read_one_places_file_alike(tmp_path: Path) -> None:
    from sahel_events.geo import Gazetteer, read_places

    path = tmp_path / "p.csv"
    path.write_text(
        "name,alternate_names,latitude,longitude,country,kind,admin1\n"
        "Koupéla-Est,Koupela Est|كوبيلا الشرقية,12.179,-0.351,Burkina Faso,Town,Centre-Est\n"
        "Boni,,15.02,-1.98,MLI,commune,\n",
        encoding="utf-8",
    )
    places = load_places(path)
    table = read_places(path, kinds=KIND_PRECISION, default_kind=None)
    assert [p.name for p in places.places] == table.name == ["Koupéla-Est", "Boni"]
    assert [p.alpha2 for p in places.places] == table.alpha2 == ["BF", "ML"]
    assert [p.kind for p in places.places] == ["town", "commune"]
    assert [p.geo_precision for p in places.places] == [1, 2]
    assert [p.admin1 for p in places.places] == table.admin1 == ["Centre-Est", None]
    assert sorted(places.places[0].alternate_names) == ["Koupela Est", "كوبيلا الشرقية"]
    assert places.lookup("كوبيلا الشرقية", "BF") is places.places[0]
    # The gazetteer answers from the same rows, with the admin1 the file gives (its
    # kinds are the gazetteer's feature kinds: "commune" is the build's alone).
    path.write_text("\n".join(path.read_text(encoding="utf-8").splitlines()[:2]), encoding="utf-8")
    raw = Gazetteer(extra_places=path).geocode("Koupela-Est", country_codes="BF").raw
    assert (raw["source"], raw["name"], raw["admin1"]) == ("user", "Koupéla-Est", "Centre-Est")


def test_extended_registry_is_the_shipped_one_unless_a_user_file_is_given(tmp_path: Path) -> None:
    from sahel_events.coding.actors import extended_registry

    assert extended_registry() is load_registry()
    _, _, actors, _ = _write_user_files(tmp_path)
    extended = extended_registry(actors)
    assert extended.lookup("manifestants de Koupéla").name == "Protesters (Burkina Faso)"
    assert extended.lookup("FAMa") == load_registry().lookup("FAMa")
    with pytest.raises(UnknownActorError):
        load_registry().lookup("manifestants de Koupéla")


def test_a_places_table_linked_out_of_its_folder_is_refused_unread(tmp_path: Path) -> None:
    from sahel_events.exc import UnreadableFileError

    outside = tmp_path / "private" / "p.csv"
    outside.parent.mkdir()
    outside.write_text("name,latitude,longitude,country,kind\nX,1,1,BF,village\n")
    link = tmp_path / "coding" / "places.csv"
    link.parent.mkdir()
    link.symlink_to(outside)
    with pytest.raises(UnreadableFileError, match="symbolic link leads outside its folder"):
        load_places(link)
    assert len(load_places(outside)) == 1
