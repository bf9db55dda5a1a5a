"""The participation index of an area as an Excel workbook: the month's breakdown (each
sub-indicator with its figures, scaled score and weight), the sub-areas ranked, and the 24-month
trend. Figures only, no names, so the file is not audited."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _

from kampungkb.core import tables
from kampungkb.participation.dimensions import Dimension
from kampungkb.participation.index_selectors import AreaIndex


def _n(value: Decimal | None, places: int = 2) -> Any:
    return "" if value is None else float(round(value, places))


def sheets(found: AreaIndex) -> list[tables.Sheet]:
    """The three sheets, headers in Bahasa Indonesia whatever the user's language."""
    with translation.override("id"):
        result = found.result
        area = f"{found.area.code} {found.area}"
        month = found.period.strftime("%Y-%m")
        breakdown_header = [
            _("Area"),
            _("Month"),
            _("Dimension"),
            _("Indicator"),
            _("Code"),
            _("Numerator"),
            _("Denominator"),
            _("Value"),
            _("Score (0-100)"),
            _("Weight in the dimension (%)"),
            _("Dimension score"),
        ]
        breakdown: list[list[Any]] = []
        for dim in result.dimensions:
            for c in dim.components:
                breakdown.append(
                    [
                        area,
                        month,
                        str(dim.dimension.label),
                        c.name,
                        c.component.code.value,
                        _n(c.numerator),
                        _n(c.denominator),
                        _n(c.value, 1),
                        _n(c.score),
                        _n(c.share, 1),
                        _n(dim.score),
                    ]
                )
        level = result.level.label if result.level is not None else ""
        breakdown.append(
            [
                area,
                month,
                _("Participation index"),
                "",
                "PI",
                "",
                "",
                "",
                _n(result.score),
                "",
                str(level),
            ]
        )
        dims = list(Dimension)
        ranking_header = [
            _("Rank"),
            _("Code"),
            _("Area"),
            _("Participation index"),
            _("Level"),
            *[str(d.label) for d in dims],
        ]
        ranking = [
            [
                s.rank or "",
                s.area.code,
                s.area.name,
                _n(s.index),
                str(s.level.label) if s.level is not None else "",
                *[_n(s.dimensions.get(d)) for d in dims],
            ]
            for s in found.sub_areas
        ]
        trend_header = [
            _("Month"),
            _("Participation index"),
            *[str(d.label) for d in dims],
            _("Men reached"),
            _("Users of a method for men"),
        ]
        men = {p.month: p for p in found.men}
        trend = [
            [
                p.month.strftime("%Y-%m"),
                _n(p.index),
                *[_n(p.dimensions.get(d)) for d in dims],
                _n(men[p.month].reached, 0),
                _n(men[p.month].male_users, 0),
            ]
            for p in found.trend
        ]
        return [
            (_("Index"), [str(h) for h in breakdown_header], breakdown),
            (_("Sub-areas"), [str(h) for h in ranking_header], ranking),
            (_("Trend"), [str(h) for h in trend_header], trend),
        ]


def filename(found: AreaIndex) -> str:
    return f"partisipasi-{found.area.code}-{found.period:%Y-%m}"


def response(found: AreaIndex) -> HttpResponse:
    return tables.xlsx_book_response(filename(found), sheets(found))
