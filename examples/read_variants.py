"""Read two ACLED file variants into one format, and look at what the reader reports.

Writes a 2018-style export (30 columns, no sub_event_type, numeric actor types,
"22 February 2018" dates) and a current-format CSV (text actor types) to a
temporary folder, reads both with ``read_events`` and prints the detected
variants, the columns the reader derived or could not fill, and its issues.
The rows are invented for the example; runs offline in about a second.

    python examples/read_variants.py
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd

from sahel_events.read import read_events

LEGACY_V1 = """\
data_id,iso,event_id_cnty,event_id_no_cnty,event_date,year,time_precision,event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,timestamp,iso3
5100001,466,MLI1901,1901.0,22 February 2018,2018,1,Battle-No change of territory,Military Forces of Mali (2013-2020),,1,Unidentified Armed Group (Mali),,3,13,Western Africa,Mali,Mopti,Douentza,Boni,Boni,15.0300,-1.9700,1,Studio Tamani,National,Soldiers clashed with gunmen near Boni.,2,1552585143,MLI
5100002,854,BFO1500,1500.0,03 March 2018,2018,1,Violence against civilians,Unidentified Armed Group (Burkina Faso),,3,Civilians (Burkina Faso),,7,37,Western Africa,Burkina Faso,Sahel,Soum,Djibo,Djibo,14.1000,-1.6300,1,AIB,National,Gunmen killed a teacher near Djibo.,1,1552585200,BFA
5100003,562,NIR700,700.0,10 March 2018,2018,1,Riots/Protests,Protesters (Niger),,6,,,0,60,Western Africa,Niger,Niamey,Niamey,Niamey I,Niamey,13.5137,2.1098,1,ActuNiger,Subnational,Students protested in Niamey.,0,1552585300,NER
5100004,466,MLI1902,1902.0,31-Feb-18,2018,1,Remote violence,Unidentified Armed Group (Mali),,3,Military Forces of Mali (2013-2020),,1,13,Western Africa,Mali,Mopti,Douentza,,Douentza,15.0000,-2.9500,2,Studio Tamani,National,An IED hit an army vehicle near Douentza.,lots,1552585400,MLI
"""

CURRENT_TEXT = """\
event_id_cnty;event_date;year;time_precision;disorder_type;event_type;sub_event_type;actor1;assoc_actor_1;inter1;actor2;assoc_actor_2;inter2;interaction;civilian_targeting;iso;region;country;admin1;admin2;admin3;location;latitude;longitude;geo_precision;source;source_scale;notes;fatalities;tags;timestamp
MLI9001;2025-09-12;2025;1;Political violence;Battles;Armed clash;Military Forces of Mali (2021-);Africa Corps;State forces;JNIM: Group for Support of Islam and Muslims;;Rebel group;State forces-Rebel group;;466;Western Africa;Mali;Kayes;Kayes;;Kayes;14,4469;-11,4445;1;Le Monde;International;"Soldiers repelled an attack
on a fuel convoy near Kayes.";4;;1757700000
MLI9002;2025-09-14;2025;2;Political violence;Violence against civilians;Abduction/forced disappearance;JNIM: Group for Support of Islam and Muslims;;Rebel group;Civilians (Mali);;Civilians;Rebel group-Civilians;Civilian targeting;466;Western Africa;Mali;Segou;San;;Tominian;13,2833;-4,3833;2;RFI;International;Militants abducted two drivers.;0;;1757800000
MLI9003;2025-09-15;2025;1;Political violence;Battles;Armed clash;Military Forces of Mali (2021-);;State forces;JNIM: Group for Support of Islam and Muslims;;Rebel group;State forces-Rebel group;;466;Western Africa;Mali;Kayes;Kayes
"""


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        files = {
            "mali_2018_export.csv": LEGACY_V1,
            "mali_2025_current.csv": CURRENT_TEXT,
        }
        for name, text in files.items():
            path = Path(folder) / name
            path.write_text(text, encoding="utf-8")
            events = read_events(path)
            attrs = events.attrs
            print(f"== {name}")
            print(f"   variant:  {attrs['source_format']}: {attrs['source_format_description']}")
            print(f"   read as:  {attrs['file_format']}, delimiter {attrs['delimiter']!r}")
            print(f"   rows:     {len(events)} (source rows {events.index.tolist()})")
            print(f"   derived:  {', '.join(attrs['derived_columns']) or '-'}")
            print(f"   missing:  {', '.join(attrs['missing_columns']) or '-'}")
            columns = ["event_date", "event_type", "sub_event_type", "inter1", "interaction"]
            print(events[columns].to_string(max_colwidth=32))
            issues = attrs["reader_issues"]
            print(f"   reader issues: {len(issues)}")
            for issue in issues.itertuples(index=False):
                where = "whole file" if pd.isna(issue.row) else f"row {issue.row}"
                if not pd.isna(issue.column):
                    where += f", {issue.column}"
                print(f"   - {issue.severity} {issue.check} ({where}): {issue.message}")
            print()


if __name__ == "__main__":
    main()
