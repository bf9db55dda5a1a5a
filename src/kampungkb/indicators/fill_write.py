"""How the fill writes facts (decision 0014): the months being refilled are deleted, then the new
rows inserted, inside the caller's transaction.

On PostgreSQL the rows go in with one ``COPY`` per call (psycopg's text ``COPY``, without Django's
per-value preparation) and a roll-up is one ``INSERT ... SELECT`` grouped by the parent's
code, so its sums never leave the database. On other databases (SQLite in development and tests)
the rows go through ``bulk_create`` and roll-ups are summed by the ORM: the same facts, the
portable way.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from decimal import Decimal

from django.db import connection

from kampungkb.indicators import sources
from kampungkb.indicators.models import Fact
from kampungkb.indicators.registry import DERIVED

# indicator, subgroup, numerator, denominator
Row = tuple[str, str, Decimal, Decimal | None]
BATCH_SIZE = 2000
COPY_BLOCK = 20000
COLUMNS = ("indicator", "area_code", "level", "period", "subgroup", "numerator", "denominator")


def fast() -> bool:
    """Whether the PostgreSQL write path is used."""
    return connection.vendor == "postgresql"


@contextmanager
def tuned() -> Iterator[None]:
    """PostgreSQL: for the fill's session, no JIT compilation (it spends a quarter of a second
    compiling each grouped query, more than many of them take) and enough ``work_mem`` for the
    stock query's hash joins and sorts to stay in memory; both reset after."""
    if not fast():
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET jit = off")
        cursor.execute("SET work_mem = '1GB'")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET jit")
            cursor.execute("RESET work_mem")


def by_periods(wanted: Mapping[str, Iterable[dt.date]]) -> dict[tuple[dt.date, ...], list[str]]:
    """The areas of ``wanted`` grouped by the same months (a full fill: one group)."""
    groups: dict[tuple[dt.date, ...], list[str]] = defaultdict(list)
    for code, periods in wanted.items():
        groups[tuple(sorted(set(periods)))].append(code)
    return groups


def facts_delete(wanted: Mapping[str, Iterable[dt.date]], indicators: Sequence[str]) -> None:
    """Delete the facts of every area and month of ``wanted``. Naming every indicator lets the
    unique index (indicator, area_code, period, subgroup) find them."""
    for periods, codes in by_periods(wanted).items():
        Fact.objects.filter(
            indicator__in=list(indicators), area_code__in=codes, period__in=list(periods)
        ).delete()


def facts_insert(level: int, rows: Mapping[tuple[str, dt.date], Iterable[Row]]) -> int:
    """Insert the rows of each (area, month) of ``rows`` at ``level``."""
    if fast():
        return _copy(level, rows)
    facts = [
        Fact(
            indicator=str(indicator),
            area_code=code,
            level=level,
            period=period,
            subgroup=subgroup,
            numerator=numerator,
            denominator=denominator,
        )
        for (code, period), area_rows in rows.items()
        for indicator, subgroup, numerator, denominator in area_rows
    ]
    Fact.objects.bulk_create(facts, batch_size=BATCH_SIZE)
    return len(facts)


def _text(value: str) -> str:
    """A text value in COPY's text format: backslash, tab and line ends escaped."""
    return value.translate(_COPY_ESCAPES)


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy(level: int, rows: Mapping[tuple[str, dt.date], Iterable[Row]]) -> int:
    """The rows in COPY's text format, formatted here in blocks (psycopg's ``write_row``
    adapts value by value: half a million facts took seconds)."""
    table = Fact._meta.db_table
    n = 0
    sql = f'COPY "{table}" ({", ".join(COLUMNS)}) FROM STDIN'
    lines: list[str] = []
    # The psycopg cursor under Django's wrapper, in the same transaction.
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for (code, period), area_rows in rows.items():
            prefix = f"\t{_text(code)}\t{level}\t{period.isoformat()}\t"
            for indicator, subgroup, numerator, denominator in area_rows:
                d = "\\N" if denominator is None else str(denominator)
                lines.append(
                    f"{_text(str(indicator))}{prefix}{_text(subgroup)}\t{numerator}\t{d}\n"
                )
            if len(lines) >= COPY_BLOCK:
                copy.write("".join(lines))
                n += len(lines)
                lines = []
        if lines:
            copy.write("".join(lines))
            n += len(lines)
    return n


def roll_up_insert(wanted: Mapping[str, Iterable[dt.date]], level: int) -> int:
    """PostgreSQL: insert the facts of each area of ``wanted`` (level ``level``, above the
    village) for its months as the sums of its children's numerators and denominators, with one
    ``INSERT ... SELECT`` per group of areas with the same months and code length. A child is
    the parent's code, a dot and more (the dot keeps 64.1 from taking 64.10.x); the nation
    (level 0) takes every province."""
    from kampungkb.indicators.models import NATION, NATION_LEVEL

    # Scores are derived from each area's own figures, never summed (decision 0035).
    derived = list(DERIVED)

    table = Fact._meta.db_table
    columns = ", ".join(COLUMNS)
    inserted = 0
    with connection.cursor() as cursor:
        for periods, codes in by_periods(wanted).items():
            if level == NATION_LEVEL:
                # Only the model's own table and columns are formatted in; values are parameters.
                cursor.execute(
                    f"INSERT INTO {table} ({columns}) "  # noqa: S608
                    "SELECT indicator, %s, %s, period, subgroup, sum(numerator), sum(denominator) "
                    f"FROM {table} WHERE level = %s AND period = ANY(%s) "
                    "AND indicator <> ALL(%s) GROUP BY period, indicator, subgroup",
                    [NATION, level, level + 1, list(periods), derived],
                )
                inserted += cursor.rowcount
                continue
            by_length: dict[int, list[str]] = defaultdict(list)
            for code in codes:
                by_length[len(code)].append(code)
            for length, same in by_length.items():
                # Only the model's own table and columns are formatted in; values are parameters.
                cursor.execute(
                    f"INSERT INTO {table} ({columns}) "  # noqa: S608
                    "SELECT indicator, left(area_code, %s), %s, period, subgroup, "
                    "sum(numerator), sum(denominator) "
                    f"FROM {table} WHERE level = %s AND period = ANY(%s) "
                    "AND left(area_code, %s) = ANY(%s) AND substr(area_code, %s, 1) = '.' "
                    "AND indicator <> ALL(%s) "
                    "GROUP BY left(area_code, %s), period, indicator, subgroup",
                    [
                        length,
                        level,
                        level + 1,
                        list(periods),
                        length,
                        same,
                        length + 1,
                        derived,
                        length,
                    ],
                )
                inserted += cursor.rowcount
    return inserted


def derived_insert(wanted: Mapping[str, Iterable[dt.date]], level: int) -> None:
    """The scores of the areas of ``wanted`` (at ``level``), each from its own figures as the
    facts hold them now (decision 0035): one read of the inputs per group of months, one
    insert."""
    inputs = sources.derivation_inputs()
    if not inputs:
        return
    figures: dict[tuple[str, dt.date], dict[str, tuple[Decimal, Decimal | None]]] = {
        (code, p): {} for code, periods in wanted.items() for p in periods
    }
    for periods, codes in by_periods(wanted).items():
        facts = Fact.objects.filter(
            indicator__in=sorted(inputs),
            area_code__in=codes,
            period__in=list(periods),
            subgroup="",
        ).values_list("area_code", "period", "indicator", "numerator", "denominator")
        for code, period, indicator, n, d in facts:
            figures[(code, period)][indicator] = (n, d)
    facts_insert(
        level,
        {key: sources.derived_rows(key[1], area_figures) for key, area_figures in figures.items()},
    )
