"""Benchmark the coding library: sheets, evidence, dates, actors.

Prints, with the machine it ran on (best of a few runs each):

- loading and schema-checking coding sheets of growing size, made by
  repeating the packaged sheet's events under new keys (up to the 5 MB limit);
- the time to refuse an alias bomb ("billion laughs");
- evidence matching: normalising a long text once, then finding a quote;
- date expressions resolved per second;
- actor registry look-ups per second.

Everything is generated from the project's own article and coding; no ACLED
rows are used. Usage::

    python benchmarks/bench_coding.py
"""

from __future__ import annotations

import contextlib
import re
import tempfile
from datetime import date
from pathlib import Path

from _machine import best_of  # benchmarks/_machine.py, beside this script
from _machine import machine as shared_machine

ROOT = Path(__file__).resolve().parents[1]
SHEET = ROOT / "sahel_events/datasets/france_mali_2025/sheets/afp-20250919-france-mali-crisis.yaml"
ARTICLE = ROOT / "tests" / "data" / "coding" / "000_3b1555f81e86889c.txt"


def machine() -> dict[str, str]:
    import yaml

    info = shared_machine("jsonschema")
    info["pyyaml"] = f"{yaml.__version__} (libyaml: {yaml.__with_libyaml__})"
    return info


def repeated_sheet(folder: Path, events: int) -> Path:
    text = SHEET.read_text(encoding="utf-8")
    head, body = text.split("events:\n", 1)
    blocks = [block for block in re.split(r"(?m)^(?=  - key: )", body) if block.strip()]
    parts = [head, "events:\n"]
    for number in range(events):
        block = blocks[number % len(blocks)]
        parts.append(re.sub(r"key: ([a-z0-9-]+)", rf"key: \g<1>-{number}", block, count=1))
    path = folder / f"sheet-{events}.yaml"
    path.write_text("".join(parts), encoding="utf-8")
    return path


def alias_bomb(folder: Path) -> Path:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 12)]
    path = folder / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def main() -> None:
    from sahel_events.coding.actors import load_registry
    from sahel_events.coding.dates import DateExpressionError, resolve_date
    from sahel_events.coding.evidence import NormalizedText, find_quote
    from sahel_events.coding.sheet import load_sheet
    from sahel_events.exc import CodingSheetError

    for key, value in machine().items():
        print(f"{key:>13}: {value}")
    print()

    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        print("coding sheets (load + schema check)")
        for events in (100, 1_000, 4_000):
            path = repeated_sheet(folder, events)
            seconds = best_of(lambda path=path: load_sheet(path))
            size = path.stat().st_size / 1e6
            print(
                f"  {events:>6,} events, {size:5.2f} MB: {seconds:6.3f} s "
                f"({events / seconds:8,.0f} events/s)"
            )
        bomb = alias_bomb(folder)

        def refuse() -> None:
            try:
                load_sheet(bomb)
            except CodingSheetError:
                return
            raise AssertionError("the alias bomb was not refused")

        print(f"  alias bomb refused in {best_of(refuse) * 1e3:.3f} ms")

    text = ARTICLE.read_text(encoding="utf-8")
    long_text = text * 400
    seconds = best_of(lambda: NormalizedText(long_text))
    print("\nevidence")
    print(
        f"  normalise {len(long_text):,} code points: {seconds:.3f} s "
        f"({len(long_text) / seconds / 1e6:.2f} M code points/s)"
    )
    quote = "ووصف مصدر دبلوماسي فرنسي اتهامات باماكو"
    find_quote(long_text, quote)  # normalised once, then cached
    seconds = best_of(lambda: [find_quote(long_text, quote) for _ in range(1_000)]) / 1_000
    print(f"  find a quote in that text (cached): {seconds * 1e6:.1f} µs")

    expressions = [
        "حتى يوم غد (السبت)",
        "في وقت سابق من الأسبوع الجاري",
        "الشهر الماضي",
        "منذ أغسطس الماضي",
        "19 septembre 2025",
        "مؤخراً",  # refused: the slowest path, every rule tried
    ]

    def resolve_all() -> None:
        for _ in range(1_000):
            for expression in expressions:
                with contextlib.suppress(DateExpressionError):
                    resolve_date(expression, date(2025, 9, 19))

    seconds = best_of(resolve_all)
    print(f"\ndates: {len(expressions) * 1_000 / seconds:,.0f} expressions/s")

    registry = load_registry()
    names = ["المجلس العسكري في مالي", "Government of France (2017-)", "wagner-group", "FAMa"]
    seconds = best_of(lambda: [registry.lookup(name) for _ in range(2_500) for name in names])
    print(f"actors: {len(names) * 2_500 / seconds:,.0f} look-ups/s")


if __name__ == "__main__":
    main()
