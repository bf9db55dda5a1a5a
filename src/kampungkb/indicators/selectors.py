"""Reads of indicator facts for dashboards, reports and exports: facts only, never person rows
(DESIGN.md "How data flows"). Every read is scoped; the value is computed from the stored
numerator and denominator."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from kampungkb.accounts.scope import scoped
from kampungkb.core.periods import month_start
from kampungkb.indicators.models import Fact
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
