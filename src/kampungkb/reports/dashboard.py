"""The indicator dashboard of an area and a month: headline figures with their change from the
previous month, 24-month trends, the method mix, a ranking of the direct sub-areas and a map of the
villages, all from the stored facts (``indicators.selectors``), never person rows.

A fixed number of queries whatever the number of sub-areas (decision 0016): the area's own facts
for 24 months with its method subgroups for the month, the sub-areas, the chosen indicator's facts
of the sub-areas and villages for the month, the villages with coordinates, the method catalogue,
and the yearly targets with their achievement (``indicators.selectors.target_achievement``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kampungkb.accounts.scope import scoped
from kampungkb.contraception.selectors import method_list
from kampungkb.core.periods import add_months, month_start
from kampungkb.indicators.registry import BY_METHOD, Code, Unit, indicator
from kampungkb.indicators.selectors import Achievement, fact_list, target_achievement
from kampungkb.kampung.charts import dashboard_points
from kampungkb.kampung.selectors import with_kampung_kb
from kampungkb.regions.models import Area, Level
from kampungkb.regions.selectors import area_children, subtree_q
from kampungkb.reports.exports import rounded
from kampungkb.reports.selectors import (
    CODES,
    COLUMNS,
    LOWEST_LEVEL_WITH_FACTS,
    MAP_COLUMNS,
    Column,
)

TREND_MONTHS = 24
DEFAULT_INDICATOR = Code.MCPR.value
# Colours of the map's classes, low to high (ColorBrewer YlGnBu, colour-blind safe), and of a
# village without a figure.
PALETTE = ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494")
NO_VALUE_COLOUR = "#9ca3af"
_METHOD_PREFIX = f"{BY_METHOD}:"


@dataclass(frozen=True)
class TrendSpec:
    key: str
    title: Any  # a lazily translated title
    codes: tuple[Code, ...]


# The trends a district officer follows, grouped so that each chart has one unit.
TRENDS: tuple[TrendSpec, ...] = (
    TrendSpec(
        "prevalence", _("Prevalence and unmet need (%)"), (Code.CPR, Code.MCPR, Code.UNMET_NEED)
    ),
    TrendSpec("active", _("Active users (PA)"), (Code.PA,)),
    TrendSpec(
        "flows", _("New users, post-partum FP and drop-outs"), (Code.PB, Code.KBPP, Code.DROP_OUT)
    ),
)


@dataclass(frozen=True)
class Headline:
    column: Column
    value: Decimal | None
    previous: Decimal | None

    @property
    def code(self) -> str:
        return self.column.code.value

    @property
    def change(self) -> Decimal | None:
        """The change from the previous month as shown: in points for a percentage."""
        if self.value is None or self.previous is None:
            return None
        return rounded(self.code, self.value - self.previous)

    @property
    def direction(self) -> str:
        """ "up", "down", "same", or "" without a change to show."""
        change = self.change
        if change is None:
            return ""
        return "up" if change > 0 else "down" if change < 0 else "same"


@dataclass(frozen=True)
class Series:
    code: str
    label: Any
    values: list[Decimal | None]  # one per month of the trend, rounded as shown


@dataclass(frozen=True)
class Trend:
    key: str
    title: Any
    unit: Unit
    months: list[dt.date]
    series: list[Series]

    def rows(self) -> list[tuple[dt.date, list[tuple[str, Decimal | None]]]]:
        """The chart as a table: per month, each series' code and figure."""
        return [
            (month, [(s.code, s.values[i]) for s in self.series])
            for i, month in enumerate(self.months)
        ]


@dataclass(frozen=True)
class MethodUsers:
    code: str
    name: str
    users: Decimal
    share: Decimal  # percent of the month's active users


@dataclass(frozen=True)
class Ranked:
    rank: int | None  # None without a figure
    area: Area
    value: Decimal | None
    bar: int  # the bar's length in the ranking, percent of the longest (0 without a figure)


@dataclass(frozen=True)
class MapClass:
    low: Decimal
    high: Decimal
    colour: str


@dataclass(frozen=True)
class MapPoint:
    area: Area
    latitude: Decimal
    longitude: Decimal
    value: Decimal | None
    colour: str


@dataclass(frozen=True)
class Dashboard:
    area: Area
    period: dt.date  # the first day of the month
    code: str  # the indicator of the ranking and the map
    months: list[dt.date]  # the months of the trends, oldest first, ending with ``period``
    headlines: list[Headline]
    achievements: list[Achievement]  # of the yearly PA and PB targets (PPM)
    trends: list[Trend]
    methods: list[MethodUsers]
    ranking: list[Ranked]
    points: list[MapPoint]
    classes: list[MapClass]
    # The villages' Kampung KB, coloured by class (``kampung.charts.dashboard_points``).
    kampung_points: list[dict[str, Any]] = field(default_factory=list)

    @property
    def column(self) -> Column:
        return next(c for c in MAP_COLUMNS if c.code.value == self.code)

    @property
    def has_facts(self) -> bool:
        return self.area.level <= LOWEST_LEVEL_WITH_FACTS


def dashboard_get(
    *, user: Any, area: Area, period: dt.date, code: str = DEFAULT_INDICATOR
) -> Dashboard:
    """The dashboard of ``area`` (already checked to be in scope) for the month of ``period``,
    ranking and mapping the indicator ``code`` (one of the recap's columns)."""
    period = month_start(period)
    months = [add_months(period, i - TREND_MONTHS + 1) for i in range(TREND_MONTHS)]
    own = _own_facts(user, area, months)
    children: list[Area] = []
    if area.level < LOWEST_LEVEL_WITH_FACTS:
        children = list(area_children(area).order_by("code"))
    values = _chosen_facts(user, area, period, code, children)
    villages = _villages(user, area, period)
    points, classes = _map(villages, values, code)
    return Dashboard(
        area=area,
        period=period,
        code=code,
        months=months,
        headlines=[
            Headline(
                column=c,
                value=own.get((c.code.value, period, "")),
                previous=own.get((c.code.value, months[-2], "")),
            )
            for c in COLUMNS
        ],
        achievements=target_achievement(user=user, area_code=area.code, period=period),
        trends=[_trend(spec, own, months) for spec in TRENDS],
        methods=_methods(own, period),
        ranking=_ranking(children, values, code),
        points=points,
        classes=classes,
        kampung_points=dashboard_points(villages),
    )


def _own_facts(
    user: Any, area: Area, months: list[dt.date]
) -> dict[tuple[str, dt.date, str], Decimal | None]:
    """The area's totals for every month of the trends and its users by method in the last month:
    one query."""
    rows = fact_list(
        user=user,
        codes=CODES,
        month_from=months[0],
        month_to=months[-1],
        area_codes=[area.code],
        subgroup=None,
    ).filter(
        Q(subgroup="")
        | Q(indicator=Code.PA.value, period=months[-1], subgroup__startswith=_METHOD_PREFIX)
    )
    # Tuples, not model instances: a few hundred facts per page.
    return {
        (code, month, subgroup): indicator(code).value(numerator, denominator)
        for code, month, subgroup, numerator, denominator in rows.order_by().values_list(
            "indicator", "period", "subgroup", "numerator", "denominator"
        )
    }


def _chosen_facts(
    user: Any, area: Area, period: dt.date, code: str, children: list[Area]
) -> dict[str, Decimal | None]:
    """The chosen indicator for the month, of the sub-areas and of the villages within the area:
    one query."""
    levels = {Level.VILLAGE, *(c.level for c in children)}
    rows = fact_list(
        user=user, codes=[code], month_from=period, month_to=period, within=area.code
    ).filter(level__in=levels)
    spec = indicator(code)
    return {
        area_code: rounded(code, spec.value(numerator, denominator))
        for area_code, numerator, denominator in rows.order_by().values_list(
            "area_code", "numerator", "denominator"
        )
    }


def _villages(user: Any, area: Area, period: dt.date) -> list[Area]:
    """The villages within the area (the area itself if it is one) that have coordinates, with
    their Kampung KB and its class in the month (in the same query)."""
    return list(
        with_kampung_kb(
            scoped(
                user,
                Area.objects.filter(
                    subtree_q("code", [area.code]),
                    level=Level.VILLAGE,
                    is_active=True,
                    latitude__isnull=False,
                    longitude__isnull=False,
                ),
            ),
            period,
        ).order_by("code")
    )


def _trend(
    spec: TrendSpec, own: dict[tuple[str, dt.date, str], Decimal | None], months: list[dt.date]
) -> Trend:
    return Trend(
        key=spec.key,
        title=spec.title,
        unit=indicator(spec.codes[0]).unit,
        months=months,
        series=[
            Series(
                code=code.value,
                label=next(c.label for c in COLUMNS if c.code == code),
                values=[rounded(code, own.get((code.value, m, ""))) for m in months],
            )
            for code in spec.codes
        ],
    )


def _methods(
    own: dict[tuple[str, dt.date, str], Decimal | None], period: dt.date
) -> list[MethodUsers]:
    """Active users by method in the month, most used first, in the catalogue's order on a tie."""
    users: dict[str, Decimal] = {
        subgroup.removeprefix(_METHOD_PREFIX): value
        for (_code, month, subgroup), value in own.items()
        if subgroup and month == period and value is not None and value > 0
    }
    if not users:
        return []  # and no query of the catalogue
    english = (get_language() or "").startswith("en")
    total = sum(users.values(), Decimal(0))
    shares = [
        MethodUsers(
            code=m.code,
            name=m.name_en if english else m.name,
            users=users[m.code],
            share=rounded(Code.CPR, users[m.code] * 100 / total) or Decimal(0),
        )
        for m in method_list(include_inactive=True)
        if m.code in users
    ]
    return sorted(shares, key=lambda s: -s.users)


def _ranking(children: list[Area], values: dict[str, Decimal | None], code: str) -> list[Ranked]:
    """The sub-areas by the chosen indicator, highest first; those without a figure last, by
    name. Equal figures share a rank."""
    known = {c.code: v for c in children if (v := values.get(c.code)) is not None}
    with_value = sorted(
        (c for c in children if c.code in known), key=lambda c: (-known[c.code], c.name)
    )
    longest = max((abs(v) for v in known.values()), default=Decimal(0))
    ranked: list[Ranked] = []
    for position, child in enumerate(with_value, start=1):
        value = known[child.code]
        tied = ranked and ranked[-1].value == value
        ranked.append(
            Ranked(
                rank=ranked[-1].rank if tied else position,
                area=child,
                value=value,
                bar=int(value * 100 / longest) if longest else 0,
            )
        )
    without = sorted((c for c in children if c.code not in known), key=lambda c: c.name)
    return ranked + [Ranked(rank=None, area=c, value=None, bar=0) for c in without]


def map_classes(values: list[Decimal]) -> list[MapClass]:
    """Up to five classes of the distinct figures, each holding as many of them as it can (a
    quantile classification on the distinct values, so one figure never spans two classes)."""
    distinct = sorted(set(values))
    count = min(len(PALETTE), len(distinct))
    classes = []
    for i in range(count):
        chunk = distinct[i * len(distinct) // count : (i + 1) * len(distinct) // count]
        classes.append(MapClass(low=chunk[0], high=chunk[-1], colour=""))
    # Spread the palette over the classes so that two classes are far apart in colour.
    return [
        MapClass(
            low=c.low,
            high=c.high,
            colour=PALETTE[(i * (len(PALETTE) - 1)) // max(1, count - 1)],
        )
        for i, c in enumerate(classes)
    ]


def _map(
    villages: list[Area], values: dict[str, Decimal | None], code: str
) -> tuple[list[MapPoint], list[MapClass]]:
    classes = map_classes([v for a in villages if (v := values.get(a.code)) is not None])
    points = []
    for village in villages:
        value = values.get(village.code)
        colour = NO_VALUE_COLOUR
        if value is not None:
            colour = next(c.colour for c in classes if c.low <= value <= c.high)
        if village.latitude is None or village.longitude is None:
            continue  # not selected by ``_villages``; for the type checker
        points.append(
            MapPoint(
                area=village,
                latitude=village.latitude,
                longitude=village.longitude,
                value=value,
                colour=colour,
            )
        )
    return points, classes
