"""Build ``sahel_events/vocabulary/countries.csv``: every country and territory ACLED covers.

ISO codes come from pycountry (ISO 3166-1); ACLED's spelling, region and former
names are written below, from ACLED's country list (acledR ``acled_countries``)
and its codebook. The id prefixes of the rows already confirmed in real exports
are kept; other prefixes follow ACLED's pattern since 2018 (the ISO alpha-3
code) and are marked unconfirmed. Run ``python scripts/build_countries.py``.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pycountry

TARGET = Path(__file__).resolve().parent.parent / "sahel_events" / "vocabulary" / "countries.csv"

#: ACLED's 17 regions, each with the ISO alpha-2 codes of its countries and territories.
REGIONS: dict[str, str] = {
    "Western Africa": "BJ BF CV GM GH GN GW CI LR ML MR NE NG SN SL TG SH",
    "Middle Africa": "AO CM CF TD CD CG GQ GA ST",
    "Eastern Africa": "BI KM DJ ER ET KE MG MW MU YT MZ RE RW SC SO SS TZ UG ZM ZW IO TF",
    "Southern Africa": "BW SZ LS NA ZA",
    "Northern Africa": "DZ EG LY MA SD TN",
    "South Asia": "AF BD BT IN MV NP PK LK",
    "Southeast Asia": "BN KH ID LA MY MM PH SG TH TL VN CX CC",
    "Middle East": "BH IR IQ IL JO KW LB OM PS QA SA SY TR AE YE",
    "Europe": (
        "AL AD AT BY BE BA BG HR CY CZ DK EE FO FI FR DE GI GR GG HU IS IE IM IT JE XK LV LI"
        " LT LU MT MD MC ME NL MK NO PL PT RO RU SM RS SK SI ES SE CH UA GB VA AX SJ"
    ),
    "Caucasus and Central Asia": "AM AZ GE KZ KG TJ TM UZ",
    "Central America": "BZ CR SV GT HN MX NI PA",
    "South America": "AR BO BR CL CO EC FK GF GY PY PE SR UY VE GS",
    "Caribbean": (
        "AI AG AW BS BB BQ VG KY CU CW DM DO GD GP HT JM MQ MS PR BL KN LC MF PM VC SX TT TC VI"
    ),
    "East Asia": "CN HK MO JP MN KP KR TW",
    "North America": "BM CA GL US UM",
    "Oceania": "AS AU CK FJ PF GU KI MH FM NR NC NZ NU NF MP PW PG PN WS SB TK TO TV VU WF",
    "Antarctica": "AQ BV HM",
}

#: ACLED's spelling where it differs from pycountry's common or plain name.
ACLED_NAMES: dict[str, str] = {
    "BN": "Brunei",
    "BO": "Bolivia",
    "BQ": "Caribbean Netherlands",
    "CD": "Democratic Republic of Congo",
    "CG": "Republic of Congo",
    "CI": "Ivory Coast",
    "CV": "Cape Verde",
    "CZ": "Czech Republic",
    "FK": "Falkland Islands",
    "FM": "Micronesia",
    "IR": "Iran",
    "KP": "North Korea",
    "KR": "South Korea",
    "LA": "Laos",
    "MD": "Moldova",
    "PS": "Palestine",
    "RU": "Russia",
    "SY": "Syria",
    "SZ": "eSwatini",
    "TL": "East Timor",
    "TR": "Turkey",
    "TW": "Taiwan",
    "TZ": "Tanzania",
    "VA": "Vatican City",
    "VE": "Venezuela",
    "VG": "British Virgin Islands",
    "VI": "Virgin Islands, U.S.",
    "VN": "Vietnam",
    "BL": "Saint-Barthelemy",
    "MF": "Saint-Martin",
    "CW": "Curacao",
    "RE": "Reunion",
    "AX": "Aland Islands",
    "PN": "Pitcairn",
    "MK": "North Macedonia",
    "GS": "South Georgia and the South Sandwich Islands",
    "SJ": "Svalbard and Jan Mayen",
    "XK": "Kosovo",
}

#: Names ACLED used before (and names users write), accepted as the same country.
FORMER_NAMES: dict[str, tuple[str, ...]] = {
    "SZ": ("Swaziland", "Eswatini"),
    "MK": ("Macedonia",),
    "CZ": ("Czechia",),
    "CI": ("Cote d'Ivoire", "Côte d'Ivoire"),
    "CD": ("Democratic Republic of the Congo", "DR Congo", "Congo, DRC"),
    "CG": ("Congo", "Congo-Brazzaville"),
    "CV": ("Cabo Verde",),
    "TL": ("Timor-Leste",),
    "TR": ("Türkiye", "Turkiye"),
    "MM": ("Burma",),
    "GB": ("UK",),
    "US": ("United States of America", "USA"),
}


#: Event-id prefixes ACLED's real exports show (docs/schema.md) and prefixes of the
#: table before this script, by alpha-2; others are the alpha-3 code, unconfirmed.
def _previous() -> dict[str, tuple[str, bool]]:
    known: dict[str, tuple[str, bool]] = {}
    with TARGET.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            known[row["alpha2"]] = (row["prefix"], row["prefix_confirmed"] == "yes")
    return known


def main() -> None:
    previous = _previous()
    rows = []
    for region, codes in REGIONS.items():
        for alpha2 in codes.split():
            if alpha2 == "XK":
                name, alpha3, numeric = "Kosovo", "XKX", 0
            else:
                country = pycountry.countries.get(alpha_2=alpha2)
                if country is None:
                    raise SystemExit(f"unknown ISO code {alpha2}")
                name = getattr(country, "common_name", None) or country.name
                alpha3, numeric = country.alpha_3, int(country.numeric)
            name = ACLED_NAMES.get(alpha2, name)
            prefix, confirmed = previous.get(alpha2, (alpha3, False))
            rows.append(
                (
                    name,
                    numeric,
                    alpha2,
                    alpha3,
                    prefix,
                    region,
                    "yes" if confirmed else "no",
                    ";".join(FORMER_NAMES.get(alpha2, ())),
                )
            )
    rows.sort(key=lambda row: (list(REGIONS).index(row[5]), row[0]))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        [
            "country",
            "iso",
            "alpha2",
            "alpha3",
            "prefix",
            "region",
            "prefix_confirmed",
            "former_names",
        ]
    )
    writer.writerows(rows)
    TARGET.write_text(buffer.getvalue(), encoding="utf-8")
    print(f"{TARGET}: {len(rows)} countries and territories in {len(REGIONS)} regions")


if __name__ == "__main__":
    main()
