"""Property tests of the coding-sheet loader and the place-name normaliser.

The readers and the date-expression resolver have theirs already
(tests/read/test_read_properties.py, tests/coding/test_coding_dates.py), as does the
geocoder (tests/geo/test_geo_gazetteer.py); tests/hostile/README.md lists them all
with their example counts. Each test here runs a fixed number of examples, so
CI time does not depend on the Hypothesis profile.
"""

from __future__ import annotations

import re
import string
import tempfile
import unicodedata
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sahel_events.coding.build import packaged_codings_dir
from sahel_events.coding.sheet import CodingSheet, SheetValidationError, load_sheet, parse_yaml
from sahel_events.exc import CodingSheetError, SahelEventsError, UnreadableFileError
from sahel_events.geo._normalize import normalize

from .corpus import SOURCE_ID

PACKAGED = (packaged_codings_dir() / f"{SOURCE_ID}.yaml").read_text(encoding="utf-8")
# The sheet loader's own parser: YAML 1.1's safe_load would read the key 'on' as True.
PACKAGED_DATA = parse_yaml(PACKAGED, path="packaged sheet")


def _load(data: bytes) -> CodingSheet | SahelEventsError:
    """Load ``data`` as a sheet file: the sheet, or our error (anything else escapes)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sheet.yaml"
        path.write_bytes(data)
        try:
            return load_sheet(path)
        except SahelEventsError as error:
            assert error.path == str(path)
            assert "\n" not in str(error)
            assert error.exit_code == (2 if isinstance(error, UnreadableFileError) else 1)
            return error


# YAML's own punctuation, so that random text is often YAML and sometimes a sheet.
YAML_TEXT = st.text(
    alphabet=st.sampled_from(
        list(string.ascii_letters + string.digits + " :-[]{},&*!|>'\"#\n\t%@")
    ),
    max_size=400,
)


@settings(max_examples=200, deadline=None)
@given(text=YAML_TEXT)
def test_any_text_gives_a_sheet_or_our_error(text: str) -> None:
    _load(text.encode())


@settings(max_examples=100, deadline=None)
@given(data=st.binary(max_size=400))
def test_any_bytes_give_a_sheet_or_our_error(data: bytes) -> None:
    _load(data)


VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=30)
    | st.dates().map(str),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=6,
)
EVENT_FIELDS = sorted(PACKAGED_DATA["events"][0])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    event=st.integers(0, len(PACKAGED_DATA["events"]) - 1),
    field=st.sampled_from([*EVENT_FIELDS, "extra_field"]),
    value=VALUES,
)
@example(event=0, field="sub_event_type", value=[])  # crashed with TypeError: unhashable
def test_a_field_replaced_by_any_value_loads_or_is_named(
    event: int, field: str, value: Any
) -> None:
    """The packaged sheet with one field of one event replaced by any YAML value."""
    data = parse_yaml(PACKAGED, path="packaged sheet")
    data["events"][event][field] = value
    outcome = _load(yaml.safe_dump(data, allow_unicode=True).encode())
    if isinstance(outcome, CodingSheet):
        assert len(outcome.events) == len(PACKAGED_DATA["events"])
        return
    assert isinstance(outcome, SheetValidationError), outcome
    key = data["events"][event].get("key")
    for problem in outcome.problems:
        assert isinstance(problem, CodingSheetError)
        # Every problem points into the event that was changed, at the field changed.
        assert problem.event in (key if isinstance(key, str) else None, f"#{event + 1}")
        assert problem.field is not None
        assert re.split(r"[.\[]", problem.field)[0] in (field, "key")


# --- The name normaliser ---------------------------------------------------------------

NAMES = st.text(
    alphabet=st.characters(categories=("L", "M", "N", "P", "Z", "S"), exclude_characters="\x00"),
    max_size=60,
)
LATIN = st.text(
    alphabet=st.sampled_from(list("abcdefghijklmnopqrstuvwxyzéèêëàâäîïôöûüçñ '-")), max_size=40
)


@settings(max_examples=500, deadline=None)
@given(text=NAMES)
def test_the_lookup_key_is_a_fixed_point(text: str) -> None:
    key = normalize(text)
    assert normalize(key) == key
    assert key == key.strip()
    assert "  " not in key
    assert not any(unicodedata.combining(char) for char in key)


@settings(max_examples=300, deadline=None)
@given(text=LATIN)
def test_case_and_accents_do_not_change_the_key(text: str) -> None:
    plain = "".join(
        char for char in unicodedata.normalize("NFKD", text) if not unicodedata.combining(char)
    )
    assert normalize(text.upper()) == normalize(text) == normalize(plain)


def test_capitals_of_sahel_alphabets_give_the_keys_of_their_small_letters() -> None:
    """Found by the fixed-point property: 'Æ' gave 'æ' but 'æ' gave 'ae'.

    The letter table maps small letters; capitals were folded after it, so the
    gazetteer held keys such as 'al ɛayn' that no query could reach.
    """
    for capital, small in zip("ƐƆŊƝƁƊƳÆØŁĐŒ", "ɛɔŋɲɓɗƴæøłđœ", strict=True):
        assert normalize(f"{capital}a") == normalize(f"{small}a")
        assert normalize(normalize(capital)) == normalize(capital)
    assert normalize("ƊIALLASSAGOU") == "diallassagou"
