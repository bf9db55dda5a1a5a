"""Facts changed by differences instead of refilled (decision 0038).

A village's stock and flow figures, and the participation figures read from episodes, are sums
over its couples: each couple counts for some of them (one PUS, one user of the pill, three
cycles given...). When the contraceptive records of a few couples change (a day's visits),
the village's new figure is the old one plus, for those couples, what they count for after the
change minus what they counted for before it. ``CoupleMark`` keeps the "before" of each couple and
month, taken by the write before it writes; the fill computes the "after" for the same couples,
month and day, and this module adds the differences to the facts of the village and of every area
above it (the same difference: an area's figure is the sum of its villages'), then derives the
scores of those areas again from their new figures.

Rows a fill writes only when they are not zero (a method's subgroup: ``method:CODE``) go when a
difference brings them to zero, so the facts are the ones a refill would write.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db import connection

from kampungkb.indicators.models import NATION, NATION_LEVEL, Fact
from kampungkb.indicators.registry import BY_METHOD
from kampungkb.regions.models import Level

# indicator, subgroup, numerator, denominator
Row = tuple[str, str, Decimal, Decimal | None]
# (area, month, indicator, subgroup) -> (numerator, denominator; None: no denominator)
Key = tuple[str, dt.date, str, str]
Delta = dict[Key, tuple[Decimal, Decimal | None]]
CHUNK = 500


def rows_dump(rows: Iterable[Row]) -> list[list[Any]]:
    """Rows as JSON: numbers as strings, so no figure is rounded through a float."""
    return [[i, s, str(n), None if d is None else str(d)] for i, s, n, d in rows]


def rows_load(data: Iterable[Sequence[Any]]) -> list[Row]:
    return [(i, s, Decimal(n), None if d is None else Decimal(d)) for i, s, n, d in data]


def _add(
    into: dict[Key, list[Any]], key: Key, numerator: Decimal, denominator: Decimal | None
) -> None:
    total = into.setdefault(key, [Decimal(0), None])
    total[0] += numerator
    if denominator is not None:
        total[1] = (total[1] or Decimal(0)) + denominator


def differences(
    after: Mapping[tuple[str, dt.date], Iterable[Row]],
    before: Mapping[tuple[str, dt.date], Iterable[Row]],
) -> Delta:
    """After minus before, per village, month, indicator and subgroup; only what changed. A
    denominator stays None only where neither side has one."""
    sums: dict[Key, list[Any]] = {}
    for (area, period), rows in after.items():
        for indicator, subgroup, n, d in rows:
            _add(sums, (area, period, indicator, subgroup), n, d)
    for (area, period), rows in before.items():
        for indicator, subgroup, n, d in rows:
            _add(sums, (area, period, indicator, subgroup), -n, None if d is None else -d)
    return {key: (n, d) for key, (n, d) in sums.items() if n or d}


def parents(code: str) -> list[tuple[str, int]]:
    """Every area above a village, up to the nation, with its level."""
    parts = code.split(".")
    above = [(".".join(parts[:level]), level) for level in range(len(parts) - 1, 0, -1)]
    return [*above, (NATION, NATION_LEVEL)]


def with_parents(delta: Delta) -> dict[int, Delta]:
    """The villages' differences and the same differences summed into every area above them,
    by level."""
    sums: dict[int, dict[Key, list[Any]]] = defaultdict(dict)
    for (village, period, indicator, subgroup), (n, d) in delta.items():
        _add(sums[Level.VILLAGE], (village, period, indicator, subgroup), n, d)
        for code, level in parents(village):
            _add(sums[level], (code, period, indicator, subgroup), n, d)
    return {
        level: {key: (n, d) for key, (n, d) in keys.items() if n or d}
        for level, keys in sums.items()
    }


def facts_add(by_level: Mapping[int, Delta]) -> None:
    """Add the differences to the facts: an ``INSERT ... ON CONFLICT DO UPDATE`` that adds to
    the numerator and the denominator of an existing fact, or inserts the fact when an area had
    no such row (a method its couples did not use before); on PostgreSQL one statement over
    arrays, elsewhere one per chunk of rows. Then the method rows brought to zero go."""
    rows = [
        (indicator, code, level, period, subgroup, n, d)
        for level, delta in by_level.items()
        for (code, period, indicator, subgroup), (n, d) in delta.items()
    ]
    if not rows:
        return
    table = Fact._meta.db_table
    # Only the model's own table is formatted in; values are parameters.
    upsert = (
        "ON CONFLICT (indicator, area_code, period, subgroup) DO UPDATE SET "
        f"numerator = {table}.numerator + excluded.numerator, "
        f"denominator = CASE WHEN {table}.denominator IS NULL "
        "AND excluded.denominator IS NULL THEN NULL "
        f"ELSE coalesce({table}.denominator, 0) + coalesce(excluded.denominator, 0) END"
    )
    columns = "(indicator, area_code, level, period, subgroup, numerator, denominator)"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"INSERT INTO {table} {columns} "  # noqa: S608
                "SELECT * FROM unnest(%s::text[], %s::text[], %s::smallint[], %s::date[], "
                f"%s::text[], %s::numeric[], %s::numeric[]) {upsert}",
                [list(column) for column in zip(*rows, strict=True)],
            )
        else:
            for start in range(0, len(rows), CHUNK):
                chunk = rows[start : start + CHUNK]
                values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s)"] * len(chunk))
                cursor.execute(
                    f"INSERT INTO {table} {columns} VALUES {values} {upsert}",  # noqa: S608
                    [value for row in chunk for value in row],
                )
    # A fill never writes a method's row at zero: those a difference brought there go.
    codes = sorted({code for _, code, *_ in rows})
    periods = sorted({period for *_, period, _, _, _ in rows})
    Fact.objects.filter(
        area_code__in=codes,
        period__in=periods,
        subgroup__startswith=f"{BY_METHOD}:",
        numerator=0,
        denominator__isnull=True,
    ).delete()


def touched(
    by_level: Mapping[int, Delta], inputs: Iterable[str]
) -> dict[int, dict[str, set[dt.date]]]:
    """The areas and months, by level, where a total (subgroup "") of ``inputs`` changed: the
    ones whose scores are derived again."""
    wanted = set(inputs)
    out: dict[int, dict[str, set[dt.date]]] = {}
    for level, delta in by_level.items():
        for code, period, indicator, subgroup in delta:
            if indicator in wanted and subgroup == "":
                out.setdefault(level, {}).setdefault(code, set()).add(period)
    return out
