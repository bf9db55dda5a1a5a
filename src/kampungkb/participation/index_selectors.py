"""Reads of the participation index for an area: the month's breakdown, its trend, its
sub-areas ranked, and men reached over time. Facts only (the fill engine computes them), scoped to
the user's areas like every fact read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from kampungkb.core.periods import add_months, month_start
from kampungkb.indicators.registry import Code, indicator
from kampungkb.indicators.selectors import fact_list
from kampungkb.participation.dimensions import Dimension
from kampungkb.participation.index import (
    DIMENSION_CODES,
    VERSIONS,
    IndexScore,
    Level,
    compute,
    version_for,
)
from kampungkb.regions.models import Area
from kampungkb.regions.selectors import area_children

TREND_MONTHS = 24
INDEX_CODES: tuple[str, ...] = (
    Code.PI.value,
    *(code.value for code in DIMENSION_CODES.values()),
)
MEN_CODES: tuple[str, ...] = (Code.MEN_REACHED.value, Code.MALE.value)
COMPONENT_CODES: tuple[str, ...] = tuple(sorted({c for v in VERSIONS for c in v.codes}))


@dataclass(frozen=True)
class TrendPoint:
    month: dt.date
    index: Decimal | None
    dimensions: dict[Dimension, Decimal | None]


@dataclass(frozen=True)
class MenPoint:
    month: dt.date
    reached: Decimal | None  # attendances of men at activities in the month
    male_users: Decimal | None  # active users of a method for men
    male_share: Decimal | None  # their share of all active users, %


@dataclass(frozen=True)
class SubArea:
    rank: int | None
    area: Area
    index: Decimal | None
    level: Level | None
    dimensions: dict[Dimension, Decimal | None]

    @property
    def weakest(self) -> Dimension | None:
        scored = [(s, d) for d, s in self.dimensions.items() if s is not None]
        return min(scored, key=lambda pair: pair[0])[1] if scored else None


@dataclass(frozen=True)
class AreaIndex:
    area: Area
    period: dt.date
    result: IndexScore
    filled: bool  # whether the fill engine has computed the month for the area
    trend: list[TrendPoint]
    men: list[MenPoint]
    sub_areas: list[SubArea]


def _value(code: str, n: Decimal, d: Decimal | None) -> Decimal | None:
    return indicator(code).value(n, d)


def area_index(*, user: Any, area: Area, period: dt.date) -> AreaIndex:
    """The index of ``area`` (already checked to be in the user's scope) for the month of
    ``period``: two fact reads and one of the sub-areas."""
    period = month_start(period)
    months = [add_months(period, i - TREND_MONTHS + 1) for i in range(TREND_MONTHS)]
    own: dict[tuple[str, dt.date], tuple[Decimal, Decimal | None]] = {
        (code, month): (n, d)
        for code, month, n, d in fact_list(
            user=user,
            codes=(*INDEX_CODES, *MEN_CODES, *COMPONENT_CODES),
            month_from=months[0],
            month_to=period,
            area_codes=[area.code],
        )
        .order_by()
        .values_list("indicator", "period", "numerator", "denominator")
    }
    figures = {code: nd for (code, month), nd in own.items() if month == period}

    def score(code: str, month: dt.date) -> Decimal | None:
        found = own.get((code, month))
        return None if found is None else found[0]

    def value(code: str, month: dt.date) -> Decimal | None:
        found = own.get((code, month))
        return None if found is None else _value(code, *found)

    trend = [
        TrendPoint(
            m,
            score(Code.PI, m),
            {dim: score(code, m) for dim, code in DIMENSION_CODES.items()},
        )
        for m in months
    ]
    men = [
        MenPoint(
            m,
            score(Code.MEN_REACHED, m),
            score(Code.MALE, m),
            value(Code.MALE, m),
        )
        for m in months
    ]
    return AreaIndex(
        area=area,
        period=period,
        result=compute(period, figures),
        filled=bool(figures),
        trend=trend,
        men=men,
        sub_areas=_sub_areas(user, area, period),
    )


def _sub_areas(user: Any, area: Area, period: dt.date) -> list[SubArea]:
    """The sub-areas by their index, highest first (equal scores share a rank); those without
    one last, by name."""
    children = list(area_children(area).order_by("code"))
    if not children:
        return []
    scores: dict[str, dict[str, Decimal]] = {}
    for code, ind, n in (
        fact_list(
            user=user,
            codes=INDEX_CODES,
            month_from=period,
            month_to=period,
            area_codes=[c.code for c in children],
        )
        .order_by()
        .values_list("area_code", "indicator", "numerator")
    ):
        scores.setdefault(code, {})[ind] = n
    version = version_for(period)
    rows = []
    for child in children:
        own = scores.get(child.code, {})
        index = own.get(Code.PI.value)
        rows.append(
            SubArea(
                rank=None,
                area=child,
                index=index,
                level=None if index is None else version.level(index),
                dimensions={dim: own.get(code.value) for dim, code in DIMENSION_CODES.items()},
            )
        )
    scored = sorted(
        (r for r in rows if r.index is not None), key=lambda r: (-(r.index or 0), r.area.name)
    )
    ranked: list[SubArea] = []
    for position, row in enumerate(scored, start=1):
        tied = ranked and ranked[-1].index == row.index
        ranked.append(
            SubArea(
                rank=ranked[-1].rank if tied else position,
                area=row.area,
                index=row.index,
                level=row.level,
                dimensions=row.dimensions,
            )
        )
    unscored = sorted((r for r in rows if r.index is None), key=lambda r: r.area.name)
    return ranked + unscored
