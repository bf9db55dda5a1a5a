"""Input and output schemas of the reports API: indicator facts and the monthly recap.

Months are ``YYYY-MM`` strings. A query that names an unknown indicator, a malformed month, months
in the wrong order or a range longer than ``MAX_MONTHS`` is refused (422) with a bilingual
problem, like every other error of the data sent.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from ninja import Field, Schema

from kampungkb.core.errors import Problem
from kampungkb.core.periods import parse_month
from kampungkb.indicators.models import Fact
from kampungkb.indicators.registry import INDICATORS

# The longest range of months one query of facts may ask for: three years.
MAX_MONTHS = 36
# ``subgroup=all``: every subgroup (totals and disaggregations) rather than the totals only.
ALL_SUBGROUPS = "all"


class ReportProblem(Problem):
    UNKNOWN_INDICATOR = (
        "reports.unknown_indicator",
        "Indikator {code} tidak dikenal.",
        "Unknown indicator {code}.",
    )
    BAD_MONTH = (
        "reports.bad_month",
        "Bulan harus ditulis TTTT-BB (misalnya 2025-06).",
        "A month is written YYYY-MM (for example 2025-06).",
    )
    MONTHS_REVERSED = (
        "reports.months_reversed",
        "Bulan awal jatuh setelah bulan akhir.",
        "The first month is after the last month.",
    )
    RANGE_TOO_LONG = (
        "reports.range_too_long",
        "Paling banyak {months} bulan per permintaan.",
        "At most {months} months per request.",
    )
    LEVEL_ABOVE_AREA = (
        "reports.level_above_area",
        "Tingkat wilayah harus sama dengan atau di bawah tingkat {area}.",
        "The level must be the level of {area} or below it.",
    )


def month_or_error(field: str, value: str) -> dt.date:
    """``YYYY-MM`` to the first day of the month, or the problem attached to ``field``."""
    try:
        return parse_month(value)
    except ValueError as exc:
        raise ReportProblem.BAD_MONTH.on(field) from exc


def months_between(first: dt.date, last: dt.date) -> int:
    """How many months ``first``..``last`` covers, both included."""
    return (last.year - first.year) * 12 + last.month - first.month + 1


@dataclass(frozen=True)
class FactQuery:
    codes: list[str]
    month_from: dt.date
    month_to: dt.date


def fact_query(*, indicators: list[str], month_from: str, month_to: str) -> FactQuery:
    """The checked indicator codes and months of ``GET /api/facts``; every problem at once."""
    known = {i.code.value for i in INDICATORS}
    errors: dict[str, list[ValidationError]] = defaultdict(list)
    for code in indicators:
        if code not in known:
            errors["indicator"].append(ReportProblem.UNKNOWN_INDICATOR.error(code=code))
    months: dict[str, dt.date] = {}
    for field, value in (("from", month_from), ("to", month_to)):
        try:
            months[field] = parse_month(value)
        except ValueError:
            errors[field].append(ReportProblem.BAD_MONTH.error())
    if len(months) == 2:
        first, last = months["from"], months["to"]
        if first > last:
            errors["from"].append(ReportProblem.MONTHS_REVERSED.error())
        elif months_between(first, last) > MAX_MONTHS:
            errors["to"].append(ReportProblem.RANGE_TOO_LONG.error(months=MAX_MONTHS))
    if errors:
        raise ValidationError(dict(errors))
    return FactQuery(
        codes=list(dict.fromkeys(indicators)),
        month_from=months["from"],
        month_to=months["to"],
    )


class FactOut(Schema):
    indicator: str = Field(description="The indicator's code (docs/indicators.md).")
    area_code: str = Field(description='A Kemendagri area code, or "ID" for the nation.')
    level: int = Field(
        description="0 nation, 1 province, 2 regency/city, 3 sub-district, 4 village."
    )
    period: str = Field(description="The month, YYYY-MM.")
    subgroup: str = Field(description='"" the total; "method:IUD" or "reason:delay" a part of it.')
    numerator: float
    denominator: float | None = Field(description="Of a percentage; null for counts and CYP.")
    value: float | None = Field(
        description="The figure: the count or CYP, or the percentage (null when 0 of 0)."
    )

    @staticmethod
    def resolve_period(fact: Fact) -> str:
        return f"{fact.period:%Y-%m}"

    @staticmethod
    def resolve_value(fact: Fact) -> Any:
        value = fact.value
        return None if value is None else float(value)


class ColumnOut(Schema):
    code: str
    label: str


class RecapAreaOut(Schema):
    code: str
    name: str
    level: int


class RecapRowOut(Schema):
    code: str
    name: str
    values: dict[str, int | float | None] = Field(
        description="Indicator code to figure, rounded as shown (null: no figure)."
    )


class RecapOut(Schema):
    area: RecapAreaOut
    month: str = Field(description="YYYY-MM")
    columns: list[ColumnOut]
    rows: list[RecapRowOut] = Field(description="One per sub-area, by code.")
    total: RecapRowOut = Field(description="The area's own figures (weighted percentages).")
