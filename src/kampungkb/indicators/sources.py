"""Figures the fill engine takes from apps above it (decision 0035).

The fill engine computes the register's indicators itself. Some indicators need apps that sit
above the indicators in the layering (the participation index reads cadres and activities);
those apps register here, in their ``AppConfig.ready``, and the engine calls them without
importing them:

- a **village source** adds rows to the villages and months being filled, set-based for the
  whole batch, and may read the rows computed before it (the PUS, for a rate per 100 PUS);
- a **derivation** computes scores (``Unit.SCORE`` indicators) for one area and month from that
  area's own facts, at every level: a score is never the sum of its sub-areas' scores.

Every indicator a source or derivation writes is declared in ``registry.py`` like any other.

A source whose figures read couples' contraceptive records (episodes, service visits) also has a
``couple_rows`` method (``CoupleSource``): the same rows over only the given couples, for the
indicators that read those records. The fill takes a day's visits by difference with it
(decision 0038): a village's figure moves by what its changed couples count for after the
change minus before. A source reading no such records has no ``couple_rows``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Protocol, runtime_checkable

# indicator, subgroup, numerator, denominator
Row = tuple[str, str, Decimal, Decimal | None]
# The figures of one area and month a derivation reads: indicator -> (numerator, denominator).
Figures = Mapping[str, tuple[Decimal, Decimal | None]]


class VillageSource(Protocol):
    key: str

    def rows(
        self,
        area_village: Mapping[str, str],
        wanted: Mapping[str, Sequence[dt.date]],
        today: dt.date,
        computed: Mapping[str, Mapping[dt.date, Sequence[Row]]],
    ) -> Mapping[tuple[str, dt.date], list[Row]]:
        """Rows for every (village, month) of ``wanted``; ``area_village`` maps every area code
        of the villages (the village, its RW and RT) to its village."""
        ...


@runtime_checkable
class CoupleSource(Protocol):
    def couple_rows(
        self,
        couples: Sequence[int],
        area_village: Mapping[str, str],
        wanted: Mapping[str, Sequence[dt.date]],
        today: dt.date,
    ) -> Mapping[tuple[str, dt.date], list[Row]]:
        """For every (village, month) of ``wanted``, the rows of the indicators that read
        contraceptive records, over the couples ``couples`` only: each a sum over couples."""
        ...


class Derivation(Protocol):
    key: str
    # The indicators (subgroup "") it reads.
    inputs: tuple[str, ...]

    def rows(self, period: dt.date, figures: Figures) -> list[Row]:
        """The derived rows of one area for the month ``period``."""
        ...


_sources: dict[str, VillageSource] = {}
_derivations: dict[str, Derivation] = {}


def register_source(source: VillageSource) -> None:
    _sources[source.key] = source


def register_derivation(derivation: Derivation) -> None:
    _derivations[derivation.key] = derivation


def village_sources() -> list[VillageSource]:
    return [_sources[key] for key in sorted(_sources)]


def couple_rows(
    couples: Sequence[int],
    area_village: Mapping[str, str],
    wanted: Mapping[str, Sequence[dt.date]],
    today: dt.date,
) -> dict[tuple[str, dt.date], list[Row]]:
    """Every source's couple rows (the sources that have them), by village and month."""
    out: dict[tuple[str, dt.date], list[Row]] = {}
    for source in village_sources():
        if isinstance(source, CoupleSource):
            for key, rows in source.couple_rows(couples, area_village, wanted, today).items():
                out.setdefault(key, []).extend(rows)
    return out


def derivations() -> list[Derivation]:
    return [_derivations[key] for key in sorted(_derivations)]


def derived_rows(period: dt.date, figures: Figures) -> list[Row]:
    """Every derivation's rows for one area and month."""
    return [row for d in derivations() for row in d.rows(period, figures)]


def derivation_inputs() -> set[str]:
    return {code for d in derivations() for code in d.inputs}
