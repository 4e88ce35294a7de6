"""Border areas: recognising them in a query and placing them with country polygons.

A border query names two or three countries with a border word, in English,
French or Arabic (``Mali-Niger border``, ``frontière entre le Mali et le
Burkina Faso``, ``المناطق الحدودية مع النيجر وبوركينا فاسو``). Two countries
give the midpoint of the longest stretch of their shared border; three give
their tri-point. Named tri-border zones (``Liptako-Gourma``, ``zone des trois
frontières``) are the Mali-Niger-Burkina Faso tri-point.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from sahel_events.geo import _data
from sahel_events.geo._normalize import ARABIC_PREFIXES

__all__ = ["BorderArea", "border_area", "parse_border_query"]

_BORDER_WORDS = frozenset(
    {
        "border",
        "borders",
        "borderland",
        "borderlands",
        "frontier",
        "frontiers",
        "triborder",
        "tripoint",
        "frontiere",
        "frontieres",
        "frontalier",
        "frontaliere",
        "frontaliers",
        "frontalieres",
        "transfrontalier",
        "transfrontaliere",
    }
)
_ARABIC_BORDER_STEM = "حدود"  # حدود، الحدود، الحدودية، حدودي ...
_ARABIC_TRIANGLE = "مثلث"  # المثلث الحدودي: the tri-border triangle
#: Every border word contains one of these.
_BORDER_FRAGMENTS: tuple[str, ...] = (
    "bord",
    "fronti",
    "tripoint",
    _ARABIC_BORDER_STEM,
    _ARABIC_TRIANGLE,
)
_WITH_WORDS = frozenset({"with", "avec", "مع"})
_THREE_WORDS = frozenset({"tri", "three", "trois", "triple", "ثلاث", "الثلاث"})

#: Adjectives that name a country in a border phrase ("frontière nigéro-malienne",
#: "la frontière burkinabè"), as normalised words; prefixes such as "nigero" are
#: the first half of a compound adjective.
COUNTRY_ADJECTIVES: dict[str, str] = {
    **dict.fromkeys(("malien", "malienne", "maliens", "maliennes", "malo", "mali"), "ML"),
    **dict.fromkeys(("nigerien", "nigerienne", "nigeriens", "nigeriennes", "nigero"), "NE"),
    **dict.fromkeys(("burkinabe", "burkinabes", "burkinais", "burkino"), "BF"),
    **dict.fromkeys(("mauritanien", "mauritanienne", "mauritano"), "MR"),
    **dict.fromkeys(("algerien", "algerienne", "algero"), "DZ"),
    **dict.fromkeys(("ivoirien", "ivoirienne", "ivoiro"), "CI"),
    **dict.fromkeys(("guineen", "guineenne", "guineo"), "GN"),
    **dict.fromkeys(("senegalais", "senegalaise", "senegalo"), "SN"),
    **dict.fromkeys(("tchadien", "tchadienne", "tchado"), "TD"),
    **dict.fromkeys(("nigerian", "nigeriane", "nigeriano"), "NG"),
    **dict.fromkeys(("beninois", "beninoise", "benino"), "BJ"),
    **dict.fromkeys(("togolais", "togolaise", "togo"), "TG"),
    **dict.fromkeys(("ghaneen", "ghaneenne", "ghaneo"), "GH"),
    **dict.fromkeys(("libyen", "libyenne", "libyo"), "LY"),
}

#: The Sahel's tri-border zone: Mali, Niger, Burkina Faso.
TRI_BORDER_COUNTRIES: tuple[str, ...] = ("ML", "NE", "BF")
#: Named zones, by normalised name, with their countries and feature kind.
NAMED_ZONES: dict[str, tuple[tuple[str, ...], str]] = {
    "liptako gourma": (TRI_BORDER_COUNTRIES, "region"),
    "liptako": (TRI_BORDER_COUNTRIES, "region"),
    "ليبتاكو غورما": (TRI_BORDER_COUNTRIES, "region"),
    "ليبتاكو": (TRI_BORDER_COUNTRIES, "region"),
    "zone des trois frontieres": (TRI_BORDER_COUNTRIES, "border area"),
    "trois frontieres": (TRI_BORDER_COUNTRIES, "border area"),
    "tri border area": (TRI_BORDER_COUNTRIES, "border area"),
    "tri border": (TRI_BORDER_COUNTRIES, "border area"),
    "three borders": (TRI_BORDER_COUNTRIES, "border area"),
    "three borders area": (TRI_BORDER_COUNTRIES, "border area"),
    "المثلث الحدودي": (TRI_BORDER_COUNTRIES, "border area"),
    "منطقه الحدود الثلاث": (TRI_BORDER_COUNTRIES, "border area"),
}
_MAX_COUNTRY_WORDS = 4


@dataclass(frozen=True)
class BorderArea:
    """A border area: its countries, the point that stands for it and its geometry."""

    countries: tuple[str, ...]
    latitude: float
    longitude: float
    geometry_wkt: str
    feature_kind: str


def _strip_arabic_prefixes(word: str) -> list[str]:
    """Forms of an Arabic word without a one-letter proclitic and/or the article."""
    forms = [word]
    if word[:1] in ARABIC_PREFIXES and len(word) > 3:
        forms.append(word[1:])
    for form in list(forms):
        if form.startswith("ال") and len(form) > 3:
            forms.append(form[2:])
        elif form.startswith("ل") and form[1:2] == "ل" and len(form) > 3:
            forms.append("ا" + form[1:])  # لل = ل + ال with its alef dropped
    return forms


def _country_in(phrase: str) -> str | None:
    aliases = _data.countries().aliases
    forms = _strip_arabic_prefixes(phrase) if phrase[:1] >= "\u0600" else [phrase]
    for form in forms:
        for candidate in (form, "ال" + form) if form[:1] >= "\u0600" else (form,):
            found = aliases.lookup(candidate)
            if found:
                return found[0][0]
    return None


def parse_border_query(key: str, hint: str | None) -> tuple[tuple[str, ...], str] | str | None:
    """Recognise a border query in a normalised key.

    Returns:
        ``(countries, feature_kind)`` for a border area; ``None`` when the key
        is not a border query; a message when it is one but cannot be placed.
    """
    if key in NAMED_ZONES:
        return NAMED_ZONES[key]
    # Most queries are plain place names: a substring test rules them out cheaply.
    if not any(fragment in key for fragment in _BORDER_FRAGMENTS):
        return None
    words = key.split(" ")
    stems = [form for word in words for form in _strip_arabic_prefixes(word)]
    has_border_word = any(
        word in _BORDER_WORDS or word.startswith(_ARABIC_BORDER_STEM) or word == _ARABIC_TRIANGLE
        for word in stems
    )
    if not has_border_word:
        return None
    named: list[str] = []
    position = 0
    while position < len(words):
        for size in range(min(_MAX_COUNTRY_WORDS, len(words) - position), 0, -1):
            phrase = " ".join(words[position : position + size])
            country = COUNTRY_ADJECTIVES.get(phrase) if size == 1 else None
            country = country or _country_in(phrase)
            if country is not None:
                if country not in named:
                    named.append(country)
                position += size
                break
        else:
            position += 1
    says_with = any(word in _WITH_WORDS for word in stems)
    says_three = any(word in _THREE_WORDS for word in stems) or _ARABIC_TRIANGLE in stems
    if hint is not None and hint not in named and (says_with or len(named) == 1):
        named.insert(0, hint)
    if not named and says_three and hint in (None, *TRI_BORDER_COUNTRIES):
        return TRI_BORDER_COUNTRIES, "border area"
    if len(named) < 2:
        return "a border query must name two or three countries, or give a country hint"
    if len(named) > 3:
        return f"a border query names at most three countries, this one names {len(named)}"
    return tuple(named), "border area"


@cache
def border_area(countries: tuple[str, ...], feature_kind: str = "border area") -> BorderArea | str:
    """Place the border area of two or three countries (alpha-2 codes).

    Returns the :class:`BorderArea`, or a message when the countries share no
    border (or no tri-point).
    """
    import shapely

    shapes = _data.country_geometries()
    missing = [code for code in countries if code not in shapes]
    if missing:
        return f"no polygon for {', '.join(missing)}"
    order = tuple(sorted(countries))
    pairs = [(a, b) for index, a in enumerate(order) for b in order[index + 1 :]]
    lines = {pair: _shared_border(*pair) for pair in pairs}
    names = " and ".join(countries)
    if any(line.is_empty for line in lines.values()) and len(countries) == 2:
        return f"{names} share no border"
    if len(countries) == 2:
        line = next(iter(lines.values()))
        parts = list(getattr(line, "geoms", [line]))
        longest = max(parts, key=lambda part: (part.length, part.wkb))
        point = longest.interpolate(0.5, normalized=True)
        geometry = line
    else:
        first, second, third = order
        # Where the border of the first two meets the third country. The shared
        # borders survive simplification exactly, so this is usually one vertex;
        # a small buffer catches borders that came out a hair apart.
        meeting = shapely.intersection(lines[(first, second)], shapes[third].boundary)
        if meeting.is_empty:
            meeting = shapely.intersection(lines[(first, second)], shapes[third].buffer(0.02))
        if meeting.is_empty:
            return f"{names} have no common tri-point"
        point = shapely.centroid(meeting)
        geometry = shapely.union_all([line for line in lines.values() if not line.is_empty])
    return BorderArea(
        countries=tuple(countries),
        latitude=round(point.y, 4),
        longitude=round(point.x, 4),
        geometry_wkt=shapely.to_wkt(geometry, rounding_precision=4),
        feature_kind=feature_kind,
    )


def _shared_border(first: str, second: str):
    """The line(s) two countries share, as a (Multi)LineString, possibly empty."""
    import shapely

    shapes = _data.country_geometries()
    a, b = shapes[first], shapes[second]
    shared = shapely.intersection(a.boundary, b.boundary)
    if shared.is_empty:
        # Borders that the simplification left a hair apart.
        shared = shapely.intersection(a.boundary, b.buffer(0.005))
    lines = [
        part
        for part in shapely.get_parts(shapely.line_merge(_only_lines(shared)))
        if not part.is_empty
    ]
    return shapely.line_merge(shapely.multilinestrings(lines)) if lines else shapely.LineString()


def _only_lines(geometry):
    import shapely

    parts = [
        part
        for part in shapely.get_parts(geometry)
        if part.geom_type in ("LineString", "MultiLineString")
    ]
    flat = [line for part in parts for line in shapely.get_parts(part)]
    return shapely.multilinestrings(flat) if flat else shapely.MultiLineString()
