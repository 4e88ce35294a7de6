"""What every map and chart shares: colors, the event columns they read, Arabic text.

The static maps (``static.py``) and the interactive map (``interactive.py``)
draw from the same rows, in the same colors, flag the same suspect
coordinates: each of those is decided here once.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from sahel_events.exc import InvalidDataError, UsageError

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

EVENT_TYPE_COLORS: dict[str, str] = {
    "Battles": "#D55E00",
    "Protests": "#009E73",
    "Riots": "#E69F00",
    "Explosions/Remote violence": "#CC79A7",
    "Violence against civilians": "#882255",
    "Strategic developments": "#0072B2",
}
"""One color per ACLED event type, fixed so that maps of different files agree.

Okabe-Ito colors (distinguishable with the common color-vision deficiencies),
plus a wine red so that the six types stay apart.
"""
OTHER_COLOR = "#7F7F7F"
"""Color of an event type outside ACLED's vocabulary (or missing)."""
SUSPECT_COLOR = "#000000"
"""Color of events whose coordinates lie outside their country (``flag_suspect=True``)."""
BACKGROUND_ALPHA = 0.45
"""Opacity of background bars in [`timeline`][sahel_events.plot.timeline] (they are also hatched)."""
SUSPECT_TOLERANCE_KM = 50.0
"""How far outside its country an event may lie before it is suspect: the
validator's ``coordinates_in_country`` tolerance, so map and report agree."""

LAND = "#EDEAE2"
BORDER = "#9A968C"
#: Lines between first-level units (regions): lighter than country borders.
REGION_BORDER = "#C2BCAE"
SEA = "#FFFFFF"
COUNTRY_NAME = "#8A857A"
# Arabic, Arabic Supplement, Arabic Extended-A and the presentation forms.
ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")


def require(module: str, extra: str) -> Any:
    """Import an optional dependency or say which extra installs it."""
    from importlib import import_module

    try:
        return import_module(module)
    except ImportError:
        raise UsageError(
            f"{module} is not installed; install it with: pip install 'sahel_events[{extra}]'"
        ) from None


def _matplotlib_shapes_text() -> bool:
    """Whether matplotlib lays text out with libraqm (3.11+), which shapes and reorders Arabic."""
    try:
        from matplotlib import ft2font
    except ImportError:
        return False
    return bool(getattr(ft2font, "__libraqm_version__", ""))


def display_text(text: str) -> str:
    """Text ready for matplotlib: Arabic letters joined and in visual order.

    matplotlib 3.11 and later lay text out with libraqm, which shapes Arabic
    and applies the bidirectional algorithm itself: the text is returned as it
    is. Older versions draw characters one by one, left to right, in their
    isolated forms, so Arabic would come out unjoined and backwards; there
    arabic_reshaper picks each letter's contextual form and python-bidi
    reorders the line. Text without Arabic letters is always returned as is.

    >>> display_text("Bamako")
    'Bamako'
    """
    if not ARABIC.search(text) or _matplotlib_shapes_text():
        return text
    reshaper = require("arabic_reshaper", "plot")
    bidi = require("bidi", "plot")
    get_display = getattr(bidi, "get_display", None)
    if get_display is None:  # python-bidi < 0.5 kept it in bidi.algorithm
        get_display = require("bidi.algorithm", "plot").get_display
    return str(get_display(reshaper.reshape(text)))


def color(event_type: object) -> str:
    """The color of an event type (grey outside ACLED's vocabulary)."""
    return EVENT_TYPE_COLORS.get(str(event_type), OTHER_COLOR)


def background_flags(values: pd.Series) -> np.ndarray:
    """The background flags as booleans, whether stored as booleans or as text.

    A CSV written with provenance and read back holds ``"true"``/``"false"``
    strings, and ``bool("false")`` is True: text is compared, not cast.
    """
    import pandas as pd

    if pd.api.types.is_bool_dtype(values.dtype):
        return values.fillna(False).to_numpy(dtype=bool)
    text = values.astype("string").str.strip().str.lower()
    return text.isin(["true", "1", "yes", "t", "y", "1.0"]).fillna(False).to_numpy(dtype=bool)


def _text_column(df: pd.DataFrame, name: str) -> pd.Series | str:
    if name not in df.columns:
        return ""
    return df[name].astype("object").where(df[name].notna(), "")


def located(df: pd.DataFrame, *, flag_suspect: bool = False) -> pd.DataFrame:
    """Rows with usable coordinates: position, type, kind, place, and how far outside their country.

    ``outside_km`` is NaN where it cannot be told (no country, or one without
    a polygon); it is computed only when ``flag_suspect`` asks for it.
    """
    import numpy as np
    import pandas as pd

    missing = [column for column in ("latitude", "longitude") if column not in df.columns]
    if missing:
        raise InvalidDataError("cannot map events without coordinates", column=", ".join(missing))
    frame = pd.DataFrame(
        {
            "latitude": pd.to_numeric(df["latitude"], errors="coerce").astype("float64"),
            "longitude": pd.to_numeric(df["longitude"], errors="coerce").astype("float64"),
            "event_type": _text_column(df, "event_type"),
            "background": (
                background_flags(df["background"]) if "background" in df.columns else False
            ),
            "location": _text_column(df, "location"),
            "country": _text_column(df, "country"),
        },
        index=df.index,
    )
    # Coordinates off the globe are the validator's to report; here they are left out.
    usable = frame["latitude"].between(-90, 90) & frame["longitude"].between(-180, 180)
    frame = frame[usable]
    frame["outside_km"] = (
        outside_country_km(df[usable.to_numpy()]) if flag_suspect else np.full(len(frame), np.nan)
    )
    return frame


def outside_country_km(df: pd.DataFrame) -> np.ndarray:
    """Per row, how far (km) the event lies outside its ``country``; NaN where it cannot be told.

    The country is looked up by its ACLED name, as the validator's
    ``coordinates_in_country`` check does, and measured with the same
    vectorised [`distance_outside_country_km`][sahel_events.geo.distance_outside_country_km].
    """
    import numpy as np
    import pandas as pd

    from sahel_events import vocabulary

    if "country" not in df.columns or df.empty:
        return np.full(len(df), np.nan)
    try:
        from sahel_events.geo import distance_outside_country_km
    except ImportError:  # the geographic data is not installed: nothing to compare against
        return np.full(len(df), np.nan)
    codes = {country.name: float(country.iso) for country in vocabulary.countries()}
    iso = df["country"].astype("string").map(codes).astype("float64").to_numpy(na_value=np.nan)
    latitude = pd.to_numeric(df["latitude"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    longitude = pd.to_numeric(df["longitude"], errors="coerce").to_numpy(
        dtype=float, na_value=np.nan
    )
    return np.asarray(distance_outside_country_km(latitude, longitude, iso), dtype=float)


def suspect(outside_km: np.ndarray | pd.Series) -> np.ndarray:
    """Which events the validator would flag as outside their country."""
    import numpy as np

    return np.asarray(outside_km, dtype=float) > SUSPECT_TOLERANCE_KM


def suspect_events(df: pd.DataFrame) -> np.ndarray:
    """Per row, whether the event lies more than ``SUSPECT_TOLERANCE_KM`` outside its country.

    These are the rows the validator's ``coordinates_in_country`` check warns
    about (swapped latitude and longitude, a lost minus sign); rows without
    coordinates or a known country are not suspect.
    """
    return suspect(outside_country_km(df))
