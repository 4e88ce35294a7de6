"""The actor registry: look-ups by name, id and alias; inter labels by country."""

from __future__ import annotations

from pathlib import Path

import pytest

from sahel_events.coding.actors import (
    Actor,
    ActorRegistry,
    UnknownActorError,
    actor_key,
    inter_label,
    load_registry,
)
from sahel_events.exc import CodingSheetError
from sahel_events.vocabulary import ACTOR_TYPES

REQUIRED_NAMES = [
    "Government of Mali (2021-)",
    "Military Forces of Mali (2021-)",
    "Police Forces of Mali (2021-)",
    "Government of Mali (2013-2020)",
    "Military Forces of Mali (2013-2020)",
    "Military Forces of Mali (2020-2021)",
    "Mutiny of Military Forces of Mali (2013-2020)",
    "Government of France (2017-)",
    "Military Forces of France (2017-)",
    "Military Forces of Russia (2000-)",
    "Wagner Group",
    "Military Forces of Russia (2000-) Africa Corps",
    "JNIM: Group for Support of Islam and Muslims",
    "Islamic State (Sahel)",
    "Civilians (Mali)",
    "Civilians (France)",
    "Unidentified Armed Group (Mali)",
    "Military Forces of Burkina Faso (2022-)",
    "Military Forces of Niger (2023-)",
]


@pytest.fixture(scope="module")
def registry() -> ActorRegistry:
    return load_registry()


@pytest.mark.parametrize("name", REQUIRED_NAMES)
def test_registry_has_the_actors_of_the_article(registry: ActorRegistry, name: str) -> None:
    actor = registry.lookup(name)
    assert actor.name == name
    assert actor.actor_type in ACTOR_TYPES.values()


def test_lookup_by_id_and_case_insensitive_name(registry: ActorRegistry) -> None:
    assert registry.lookup("wagner-group").name == "Wagner Group"
    assert registry.lookup("government of mali (2021-)").id == "government-of-mali-2021"
    assert registry.lookup("  Government of Mali (2021-) ").id == "government-of-mali-2021"
    assert registry.lookup("Government of Mali(2021-)").id == "government-of-mali-2021"
    # En dash, as in names copied from reports.
    assert registry.lookup("Government of Mali (2013–2020)").id == "government-of-mali-2013-2020"


@pytest.mark.parametrize(
    ("alias", "name"),
    [
        ("باريس", "Government of France (2017-)"),
        ("فرنسا", "Government of France (2017-)"),
        ("السلطات المالية", "Government of Mali (2021-)"),
        ("المجلس العسكري في مالي", "Government of Mali (2021-)"),
        ("مجموعة فاجنر", "Wagner Group"),
        ("مجموعة فاغنر", "Wagner Group"),
        ("فيلق أفريقيا الروسية", "Military Forces of Russia (2000-) Africa Corps"),
        ("تنظيم القاعدة", "JNIM: Group for Support of Islam and Muslims"),
        ("داعش", "Islamic State (Sahel)"),
        ("الجيش المالي", "Military Forces of Mali (2021-)"),
        ("FAMa", "Military Forces of Mali (2021-)"),
        ("Forces armees maliennes", "Military Forces of Mali (2021-)"),  # accents dropped
        ("Africa Corps", "Military Forces of Russia (2000-) Africa Corps"),
        ("jnim", "JNIM: Group for Support of Islam and Muslims"),
    ],
)
def test_lookup_by_alias(registry: ActorRegistry, alias: str, name: str) -> None:
    assert registry.lookup(alias).name == name


@pytest.mark.parametrize(
    "variant",
    [
        "السُّلُطَاتُ المَالِيَّة",  # full vocalisation
        "السلطـــات المالية",  # tatweel
        "سلطات مالية",  # without the article
        "السلطات الماليه",  # ة written ه
        "  السلطات   المالية ",  # extra spaces
    ],
)
def test_arabic_alias_variants(registry: ActorRegistry, variant: str) -> None:
    assert registry.lookup(variant).name == "Government of Mali (2021-)"


def test_hamza_forms_of_alef_are_unified(registry: ActorRegistry) -> None:
    assert registry.lookup("فيلق افريقيا الروسية") == registry.lookup("فيلق إفريقيا")


def test_unknown_actor_is_a_coding_sheet_error_and_a_lookup_error(registry: ActorRegistry) -> None:
    with pytest.raises(UnknownActorError) as raised:
        registry.lookup("Governmnt of Mali (2021-)")
    error = raised.value
    assert isinstance(error, CodingSheetError) and isinstance(error, LookupError)
    assert "'Governmnt of Mali (2021-)'" in str(error)
    assert "did you mean 'Government of Mali (2021-)'" in str(error)
    assert error.exit_code == 1
    assert registry.get("Governmnt of Mali (2021-)") is None
    assert "Governmnt of Mali (2021-)" not in registry
    assert "Wagner Group" in registry


def test_inter_label_inside_and_outside_home_country(registry: ActorRegistry) -> None:
    french_army = registry.lookup("Military Forces of France (2017-)")
    assert inter_label(french_army, "ML") == "External/Other forces"
    assert inter_label(french_army, "FR") == "State forces"
    assert inter_label(french_army, "fr") == "State forces"
    malian_government = registry.lookup("السلطات المالية")
    assert inter_label(malian_government, "ML") == "State forces"
    assert inter_label(malian_government, "FR") == "External/Other forces"
    africa_corps = registry.lookup("فيلق أفريقيا الروسية")
    assert inter_label(africa_corps, "ML") == "External/Other forces"
    # Non-state actors keep their type anywhere.
    assert inter_label(registry.lookup("JNIM"), "BF") == "Rebel group"
    assert inter_label(registry.lookup("Civilians (France)"), "ML") == "Civilians"
    assert inter_label(registry.lookup("Unidentified Armed Group (Mali)"), "ML") == (
        "Political militia"
    )
    assert inter_label(registry.lookup("Wagner Group"), "ML") == "External/Other forces"


def test_every_state_actor_has_a_home_country(registry: ActorRegistry) -> None:
    for actor in registry:
        if actor.actor_type == "State forces":
            assert actor.home_country is not None, actor.name
        assert actor.notes, actor.name


def test_active_years(registry: ActorRegistry) -> None:
    old = registry.lookup("Government of Mali (2013-2020)")
    assert old.active_in(2019) and not old.active_in(2021)
    assert registry.lookup("Government of Mali (2021-)").active_in(2030)


def test_actor_key_drops_the_arabic_article_only() -> None:
    assert actor_key("الجيش المالي") == actor_key("جيش مالي")
    assert actor_key("Alliance") == "alliance"  # Latin words starting with "al" stay


def test_registry_loads_once(registry: ActorRegistry) -> None:
    assert load_registry() is load_registry()


def write_registry(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "actors.yaml"
    path.write_text(text, encoding="utf-8")
    return path


ENTRY = """\
- id: {id}
  name: {name}
  actor_type: {actor_type}
  home_country: {home}
  aliases: [{aliases}]
  notes: test
"""


def entry(
    id: str = "a",
    name: str = "Actor A",
    actor_type: str = "Rebel group",
    home: str = "null",
    aliases: str = "",
) -> str:
    return ENTRY.format(id=id, name=name, actor_type=actor_type, home=home, aliases=aliases)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        (entry(actor_type="Rebels"), "not an ACLED actor type"),
        (entry(actor_type="State forces"), "state forces need their home country"),
        (entry(home="XX"), "not an ISO 3166-1 alpha-2"),
        (entry(id="Bad Id"), "not a slug"),
        (entry() + entry(name="Actor B"), "actor id 'a' is used twice"),
        (entry() + entry(id="b"), "name 'Actor A' is given to"),
        (
            entry(aliases="باريس") + entry(id="b", name="Actor B", aliases="بَارِيس"),
            "an alias must belong to one actor",
        ),
        (entry().replace("notes: test", "colour: red"), "unknown field"),
        ("a: mapping\n", "a list of actors"),
    ],
)
def test_malformed_registry_is_refused(tmp_path: Path, text: str, fragment: str) -> None:
    path = write_registry(tmp_path, text)
    with pytest.raises(CodingSheetError, match=fragment) as raised:
        load_registry(path)
    assert raised.value.path == str(path.resolve())


def test_custom_registry(tmp_path: Path) -> None:
    path = write_registry(tmp_path, entry(aliases="'Group A', مجموعة أ"))
    registry = load_registry(path)
    assert len(registry) == 1
    assert registry.lookup("مجموعة ا") == Actor(
        "a", "Actor A", "Rebel group", None, None, None, ("Group A", "مجموعة أ"), "test"
    )
