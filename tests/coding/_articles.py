"""Short news-style articles written for the tests (by the project, not third parties).

Each reproduces a quirk of real reports the suggester must handle: a headline
retelling the lead, page furniture (عاجل, تم نسخ الرابط, "Lire aussi", a
byline), a night between two weekdays, an unknown village after a cue word, a
second toll, dozens, a threat and a denial that are not events, an ambush on
soldiers (a clash, not an Attack), and a perpetrator named a sentence later.
"""

from __future__ import annotations

from pathlib import Path

FRENCH = """Burkina Faso : une attaque fait 14 morts près de Djibo

Par notre correspondant

Des hommes armés ont attaqué dans la nuit de lundi à mardi le village de Tiguilbé, dans la province du Soum, tuant 14 civils, selon des sources locales.
Le bilan pourrait s'alourdir, a indiqué un élu de Djibo, qui parle de « plus de vingt morts ».
Mardi soir, des centaines de manifestants ont marché à Ouagadougou pour dénoncer l'insécurité.
Le gouvernement dément toute négligence.
Lire aussi
"""

ENGLISH = """Niger: soldiers killed in ambush near Tillaberi

At least seven soldiers were killed on Sunday when gunmen ambushed a Nigerien army patrol near Tillaberi, the defence ministry said.
The ministry said the attackers fled towards the border with Mali.
On Tuesday night, a drone strike by the Nigerien army killed dozens of militants in the village of Tamou, residents said.
The Islamic State in the Sahel has threatened to attack more army posts.
"""

ARABIC = """عاجل
مقتل 5 مدنيين في هجوم على قرية قرب موبتي

قتل خمسة مدنيين على الأقل مساء الأحد في هجوم شنه مسلحون على قرية سوفارا في وسط مالي، وفق مصادر محلية.
واتهمت المصادر جماعة نصرة الإسلام والمسلمين بتنفيذ الهجوم.
وفي سياق آخر، اعتقل الجيش المالي أمس ثلاثة أشخاص في مدينة غاو للاشتباه في انتمائهم إلى تنظيم داعش.
تم نسخ الرابط
"""

#: id -> (text, language, publication date: a Tuesday, a Thursday, a Monday).
ARTICLES = {
    "test-fr": (FRENCH, "fr", "2025-09-16"),
    "test-en": (ENGLISH, "en", "2025-09-18"),
    "test-ar": (ARABIC, "ar", "2025-09-15"),
}


def register(folder: Path) -> Path:
    """Register the three articles as sources in ``folder/sources``; return that folder."""
    from sahel_events.coding.sources import add_source

    sources = folder / "sources"
    for source_id, (text, language, published) in ARTICLES.items():
        path = folder / f"{source_id}.txt"
        path.write_text(text, encoding="utf-8")
        add_source(
            path,
            source_id=source_id,
            publisher="sahel_events tests",
            published=published,
            language=language,
            sources_dir=sources,
        )
    return sources
