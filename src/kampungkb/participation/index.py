"""The participation index (DOMAIN.md section 6, decision 0035): its versioned configuration and
its arithmetic, pure.

Each dimension (interest, activeness, contribution) is the weighted mean of its sub-indicators,
each scaled to 0-100 between a floor (scored 0) and a goal (scored 100), clamped; the index is the
weighted mean of the three dimensions. A sub-indicator without a figure (its denominator is zero:
no poktan, no costs recorded) leaves the mean and the others' weights are taken in proportion; a
dimension without any figure leaves the index uncomputed. The fill engine writes the scores as
facts for every area and month (``IndexDerivation``); the area page shows the same arithmetic
step by step (``compute``).

A new version is appended to ``VERSIONS`` with the first month it applies to; months before it
keep the version they were computed with, and ``kampungkb indicators fill --since`` refills the
months a new version covers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from kampungkb.indicators.registry import Code, indicator
from kampungkb.indicators.sources import Row
from kampungkb.participation.dimensions import Dimension

# indicator -> (numerator, denominator) of one area and month (subgroup "").
Figures = Mapping[str, tuple[Decimal, Decimal | None]]
HUNDRED = Decimal(100)
CENT = Decimal("0.01")


class Level(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


@dataclass(frozen=True)
class Scale:
    """``floor`` scores 0, ``goal`` scores 100, in between on a straight line, clamped."""

    floor: Decimal
    goal: Decimal

    def score(self, value: Decimal) -> Decimal:
        scaled = (value - self.floor) * HUNDRED / (self.goal - self.floor)
        return min(max(scaled, Decimal(0)), HUNDRED)


@dataclass(frozen=True)
class Component:
    code: Code
    weight: Decimal
    scale: Scale


@dataclass(frozen=True)
class IndexVersion:
    version: int
    valid_from: dt.date
    components: Mapping[Dimension, tuple[Component, ...]]
    dimension_weights: Mapping[Dimension, Decimal]
    medium_from: Decimal
    high_from: Decimal

    def level(self, score: Decimal) -> Level:
        if score >= self.high_from:
            return Level.HIGH
        if score >= self.medium_from:
            return Level.MEDIUM
        return Level.LOW

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(c.code.value for cs in self.components.values() for c in cs)


def _c(code: Code, weight: str, floor: str, goal: str) -> Component:
    return Component(code, Decimal(weight), Scale(Decimal(floor), Decimal(goal)))


VERSIONS: tuple[IndexVersion, ...] = (
    IndexVersion(
        version=1,
        valid_from=dt.date(2000, 1, 1),
        components={
            Dimension.INTEREST: (
                # Half of the reached non-users starting a method within 90 days is excellent.
                _c(Code.PI_ACCEPT, "0.4", "0", "50"),
                # 30 attendances per 100 PUS a quarter: about one PUS in three reached.
                _c(Code.PI_ATTEND, "0.3", "0", "30"),
                _c(Code.PI_INTENTION, "0.3", "0", "100"),
            ),
            Dimension.ACTIVENESS: (
                # The national mCPR target is about 63 % (RPJMN 2020-2024); 70 % scores full.
                _c(Code.MCPR, "0.3", "0", "70"),
                # A quarter losing half its users scores 0; none lost scores 100.
                _c(Code.PI_CONTINUATION, "0.2", "50", "100"),
                _c(Code.PI_ON_TIME, "0.15", "0", "100"),
                _c(Code.PI_POKTAN, "0.15", "0", "80"),
                _c(Code.PI_CADRE_ACTIVE, "0.2", "0", "100"),
            ),
            Dimension.CONTRIBUTION: (
                _c(Code.PI_FAMILY_CONTRIB, "0.4", "0", "30"),
                # About one PPKBD, a Sub-PPKBD per RW and a few kader per 100 families.
                _c(Code.PI_CADRE_DENSITY, "0.3", "0", "3"),
                _c(Code.PI_COST_SHARE, "0.3", "0", "50"),
            ),
        },
        dimension_weights={
            Dimension.INTEREST: Decimal(1),
            Dimension.ACTIVENESS: Decimal(1),
            Dimension.CONTRIBUTION: Decimal(1),
        },
        medium_from=Decimal(40),
        high_from=Decimal(70),
    ),
)

DIMENSION_CODES: dict[Dimension, Code] = {
    Dimension.INTEREST: Code.PI_INTEREST,
    Dimension.ACTIVENESS: Code.PI_ACTIVENESS,
    Dimension.CONTRIBUTION: Code.PI_CONTRIBUTION,
}


def version_for(period: dt.date) -> IndexVersion:
    """The version in force for the month ``period``: the latest that began on or before it."""
    usable = [v for v in VERSIONS if v.valid_from <= period]
    return max(usable, key=lambda v: v.valid_from) if usable else VERSIONS[0]


@dataclass(frozen=True)
class ComponentScore:
    component: Component
    numerator: Decimal | None
    denominator: Decimal | None
    value: Decimal | None  # the sub-indicator as shown (percent, per 100)
    score: Decimal | None  # scaled to 0-100
    share: Decimal | None  # its weight within the dimension after missing ones leave

    @property
    def name(self) -> str:
        return indicator(self.component.code).name_id


@dataclass(frozen=True)
class DimensionScore:
    dimension: Dimension
    score: Decimal | None
    components: tuple[ComponentScore, ...]


@dataclass(frozen=True)
class IndexScore:
    version: IndexVersion
    dimensions: tuple[DimensionScore, ...]
    score: Decimal | None

    @property
    def level(self) -> Level | None:
        return None if self.score is None else self.version.level(self.score)

    @property
    def weakest(self) -> DimensionScore | None:
        """The dimension with the lowest score (the first in order on a tie)."""
        scored = [d for d in self.dimensions if d.score is not None]
        return min(scored, key=lambda d: d.score or 0) if scored else None


def _weighted(pairs: list[tuple[Decimal, Decimal]]) -> Decimal | None:
    total = sum((w for _, w in pairs), Decimal(0))
    if not pairs or not total:
        return None
    return sum((s * w for s, w in pairs), Decimal(0)) / total


def _round(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(CENT, rounding=ROUND_HALF_UP)


def compute(period: dt.date, figures: Figures) -> IndexScore:
    """The index of one area and month from its figures, with every step kept."""
    version = version_for(period)
    dimensions: list[DimensionScore] = []
    for dimension, components in version.components.items():
        scored: list[tuple[Component, Decimal | None, Decimal | None, Decimal | None]] = []
        for component in components:
            n, d = figures.get(component.code.value, (None, None))
            value = None if n is None else indicator(component.code).value(n, d)
            scored.append((component, n, d, value))
        present = [(c, v) for c, _, _, v in scored if v is not None]
        weight = sum((c.weight for c, _ in present), Decimal(0))
        pairs = [(c.scale.score(v), c.weight) for c, v in present]
        dimensions.append(
            DimensionScore(
                dimension,
                _round(_weighted(pairs)),
                tuple(
                    ComponentScore(
                        c,
                        n,
                        d,
                        v,
                        None if v is None else _round(c.scale.score(v)),
                        None if v is None or not weight else _round(c.weight * HUNDRED / weight),
                    )
                    for c, n, d, v in scored
                ),
            )
        )
    score = None
    if all(d.score is not None for d in dimensions):
        score = _round(
            _weighted(
                [
                    (d.score or Decimal(0), version.dimension_weights[d.dimension])
                    for d in dimensions
                ]
            )
        )
    return IndexScore(version, tuple(dimensions), score)


class IndexDerivation:
    """The fill engine's derivation (``indicators.sources``): the three dimension scores and the
    index of an area and month, from its own figures."""

    key = "participation"
    inputs: tuple[str, ...] = tuple(sorted({code for v in VERSIONS for code in v.codes}))

    def rows(self, period: dt.date, figures: Figures) -> list[Row]:
        result = compute(period, figures)
        rows: list[Row] = [
            (DIMENSION_CODES[d.dimension].value, "", d.score, None)
            for d in result.dimensions
            if d.score is not None
        ]
        if result.score is not None:
            rows.append((Code.PI.value, "", result.score, None))
        return rows
