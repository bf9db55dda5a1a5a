"""Reads of indicator facts for dashboards, reports and exports: facts only, never person rows
(DESIGN.md "How data flows"). Every read is scoped; the value is computed from the stored
numerator and denominator."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, cast

from django.db.models import FilteredRelation, Max, Q, QuerySet
from django.http import Http404

from kampungkb.accounts.scope import Capability, scope_for, scoped
from kampungkb.core.periods import month_start
from kampungkb.indicators.models import Fact, Target
from kampungkb.indicators.registry import Code
from kampungkb.indicators.targets_excel import TemplateRow
from kampungkb.regions.models import Area, Level
from kampungkb.regions.selectors import subtree_q


def fact_list(
    *,
    user: Any,
    codes: Iterable[str],
    month_from: dt.date,
    month_to: dt.date,
    area_codes: Iterable[str] | None = None,
    within: str | None = None,
    level: int | None = None,
    subgroup: str | None = "",
) -> QuerySet[Fact]:
    """Facts of the indicators ``codes`` for the months ``month_from``-``month_to``; of the areas
    ``area_codes``, or of the areas at ``level`` within ``within``; of one ``subgroup`` ("" the
    totals, None every subgroup). Each fact's ``value`` is the figure to show."""
    qs = scoped(user, Fact.objects.all()).filter(
        indicator__in=list(codes),
        period__gte=month_start(month_from),
        period__lte=month_start(month_to),
    )
    if area_codes is not None:
        qs = qs.filter(area_code__in=list(area_codes))
    if within:
        qs = qs.filter(subtree_q("area_code", [within]))
    if level is not None:
        qs = qs.filter(level=level)
    if subgroup is not None:
        qs = qs.filter(subgroup=subgroup)
    return qs.order_by("indicator", "area_code", "period", "subgroup")


def fact_value(
    *, user: Any, code: str, area_code: str, period: dt.date, subgroup: str = ""
) -> Fact | None:
    """One fact, or None when it has not been filled (or is out of scope)."""
    return fact_list(
        user=user,
        codes=[code],
        month_from=period,
        month_to=period,
        area_codes=[area_code],
        subgroup=subgroup,
    ).first()


# -- Yearly targets (PPM) and their achievement (decision 0015) -----------------------------------

TARGET_CODES = (Code.PA.value, Code.PB.value)


@dataclass(frozen=True)
class Achievement:
    code: str  # indicator code: Code.PA.value or Code.PB.value
    target: int | None  # the yearly PPM in force for the area (None: none entered)
    # PA: active users in the month; PB: new users of January..month of that year summed.
    actual: Decimal | None
    percent: Decimal | None  # actual / target * 100, to 1 decimal; None without both


@dataclass(frozen=True)
class TargetInForce:
    """The target shown for an area: its own, else the sum of its direct sub-areas' own targets
    when every active sub-area has one (``summed``), else None."""

    value: int | None
    summed: bool = False


@dataclass(frozen=True)
class TargetRow:
    area: Area
    own: dict[str, int | None]  # indicator code -> the area's own target
    in_force: dict[str, TargetInForce]
    actual: dict[str, Decimal | None]
    editable: bool

    def achievement(self, code: str) -> Achievement:
        target = self.in_force[code].value
        actual = self.actual[code]
        return Achievement(code, target, actual, achievement_percent(actual, target))

    @property
    def achievements(self) -> list[Achievement]:
        return [self.achievement(code) for code in TARGET_CODES]

    @property
    def cells(self) -> list[tuple[Achievement, bool]]:
        """Each achievement, and whether its target is summed from the sub-areas."""
        return [(self.achievement(c), self.in_force[c].summed) for c in TARGET_CODES]


@dataclass(frozen=True)
class TargetTable:
    area: Area
    year: int
    period: dt.date | None  # the month of the actual figures (None: no month filled yet)
    total: TargetRow  # the area itself
    rows: list[TargetRow]  # its direct sub-areas

    @property
    def any_editable(self) -> bool:
        return self.total.editable or any(r.editable for r in self.rows)

    @property
    def any_summed(self) -> bool:
        rows = [self.total, *self.rows]
        return any(r.in_force[c].summed for r in rows for c in TARGET_CODES)


def achievement_percent(actual: Decimal | None, target: int | None) -> Decimal | None:
    if actual is None or not target:
        return None
    return (actual * 100 / Decimal(target)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _with_targets(areas: QuerySet[Area], year: int) -> QuerySet[Area]:
    """The areas, each annotated with its own PA and PB target of ``year`` (one query)."""
    return areas.annotate(
        year_targets=FilteredRelation("targets", condition=Q(targets__year=year))
    ).annotate(
        **{
            f"target_{code}": Max("year_targets__value", filter=Q(year_targets__kind=code))
            for code in TARGET_CODES
        }
    )


def _in_force(area: Area, children: list[Area]) -> dict[str, TargetInForce]:
    found: dict[str, TargetInForce] = {}
    for code in TARGET_CODES:
        own = getattr(area, f"target_{code}")
        values = [getattr(c, f"target_{code}") for c in children if c.is_active]
        if own is not None:
            found[code] = TargetInForce(own)
        elif values and all(v is not None for v in values):
            found[code] = TargetInForce(sum(values), summed=True)
        else:
            found[code] = TargetInForce(None)
    return found


def _actuals(
    user: Any, codes: list[str], period: dt.date | None
) -> dict[str, dict[str, Decimal | None]]:
    """PA of the month and PB of January..the month summed, per area (one query)."""
    out: dict[str, dict[str, Decimal | None]] = {c: dict.fromkeys(TARGET_CODES) for c in codes}
    if period is None:
        return out
    facts = fact_list(
        user=user,
        codes=TARGET_CODES,
        month_from=period.replace(month=1),
        month_to=period,
        area_codes=codes,
    )
    for f in facts:
        values = out[f.area_code]
        if f.indicator == Code.PB:
            values[f.indicator] = (values[f.indicator] or Decimal(0)) + f.numerator
        elif f.period == period:
            values[f.indicator] = f.numerator
    # PA and PB are counts: shown without the fact table's decimal places.
    for values in out.values():
        for code, value in values.items():
            if value is not None and value == value.to_integral_value():
                values[code] = value.quantize(Decimal(1))
    return out


def target_achievement(*, user: Any, area_code: str, period: dt.date) -> list[Achievement]:
    """The PA and PB targets in force for the area in the year of ``period``, with the actual
    figures up to that month and the achievement (at most three queries)."""
    period = month_start(period)
    areas = list(
        _with_targets(
            scoped(user, Area.objects.filter(Q(code=area_code) | Q(parent_id=area_code))),
            period.year,
        )
    )
    area = next((a for a in areas if a.code == area_code), None)
    if area is None:
        return [Achievement(code, None, None, None) for code in TARGET_CODES]
    children = [a for a in areas if a.parent_id == area_code]
    row = TargetRow(
        area=area,
        own={},
        in_force=_in_force(area, children),
        actual=_actuals(user, [area_code], period)[area_code],
        editable=False,
    )
    return row.achievements


def target_latest_month(*, user: Any, area_code: str, year: int) -> dt.date | None:
    """The latest month of ``year`` whose PA figure of the area has been filled."""
    latest = (
        fact_list(
            user=user,
            codes=[Code.PA],
            month_from=dt.date(year, 1, 1),
            month_to=dt.date(year, 12, 1),
            area_codes=[area_code],
        )
        .order_by()
        .aggregate(latest=Max("period"))["latest"]
    )
    return cast("dt.date | None", latest)


def target_table(*, user: Any, area: Area, year: int, period: dt.date | None) -> TargetTable:
    """The targets page of ``area`` (already checked to be in scope): the area and its direct
    sub-areas, their targets of ``year`` and the actual figures of the month ``period``."""
    # The grandchildren too, for a sub-area's target summed from its own sub-areas.
    lowest = max(min(area.level + 2, Level.VILLAGE), area.level)
    areas = list(
        _with_targets(
            scoped(user, Area.objects.filter(subtree_q("code", [area.code]))).filter(
                Q(code=area.code) | Q(level__lte=lowest, is_active=True)
            ),
            year,
        ).order_by("code")
    )
    below: dict[str, list[Area]] = {}
    for a in areas:
        below.setdefault(a.parent_id or "", []).append(a)
    own = next((a for a in areas if a.code == area.code), None)
    if own is None:
        raise Http404
    children = [a for a in below.get(area.code, []) if a.code != area.code]
    actuals = _actuals(user, [area.code, *(c.code for c in children)], period)
    scope = scope_for(user)

    def row(a: Area) -> TargetRow:
        return TargetRow(
            area=a,
            own={code: getattr(a, f"target_{code}") for code in TARGET_CODES},
            in_force=_in_force(a, below.get(a.code, [])),
            actual=actuals[a.code],
            editable=scope.can(Capability.EDIT_TARGETS, a.code) and a.level <= Level.VILLAGE,
        )

    return TargetTable(
        area=area, year=year, period=period, total=row(own), rows=[row(c) for c in children]
    )


def target_list(
    *, user: Any, area_code: str | None = None, year: int | None = None
) -> QuerySet[Target]:
    """The targets the user may read, of the subtree of ``area_code`` and of ``year``."""
    qs = scoped(user, Target.objects.select_related("area"))
    if area_code:
        qs = qs.filter(subtree_q("area_id", [area_code]))
    if year is not None:
        qs = qs.filter(year=year)
    return qs.order_by("year", "area_id", "kind")


def target_template_rows(*, user: Any, area: Area, year: int) -> list[TemplateRow]:
    """The rows of the Excel template: the area and the areas up to two levels below it, down
    to the village, that the user may edit, with their targets of ``year``."""
    lowest = min(area.level + 2, Level.VILLAGE)
    areas = _with_targets(
        scoped(
            user,
            Area.objects.filter(subtree_q("code", [area.code]), level__lte=lowest, is_active=True),
            Capability.EDIT_TARGETS,
        ),
        year,
    ).order_by("code")
    return [
        TemplateRow(
            area_code=a.code,
            area_name=a.name,
            year=year,
            pa=getattr(a, f"target_{Code.PA}"),
            pb=getattr(a, f"target_{Code.PB}"),
        )
        for a in areas
    ]
