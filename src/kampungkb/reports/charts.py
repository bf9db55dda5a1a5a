"""The dashboard's figures as the page shows them, and as the JSON its script draws the charts and
the map from (embedded with ``json_script``; the same figures are in the page's tables).

``dashboard_page`` formats every figure, month and link of the page once, in Python: the tables
and the JSON share the texts, and the template only places them (a district's map has hundreds of
villages, and a template filter per cell cost most of the page's time)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from urllib.parse import quote_plus, urlencode

from django.utils.formats import date_format, get_format, number_format
from django.utils.translation import get_language

from kampungkb.indicators.registry import Unit, indicator
from kampungkb.reports.dashboard import Dashboard, Series
from kampungkb.reports.exports import rounded

_COORDINATE = Decimal("0.0001")


@dataclass(frozen=True)
class Row:
    """A row of the ranking or of the map's table: the area, its link, its figure as text."""

    name: str
    link: str
    value: str
    rank: int | None = None
    bar: int = 0
    coordinates: str = ""


@dataclass(frozen=True)
class TrendTable:
    labels: list[str]  # of the series
    rows: list[tuple[str, list[str]]]  # per month: the month and each series' figure


@dataclass(frozen=True)
class Page:
    trends: list[TrendTable]  # in the order of ``Dashboard.trends``
    ranking: list[Row]
    points: list[Row]
    legend: list[tuple[str, str]]  # per class of the map: its colour and its range
    charts: dict[str, Any]  # the JSON of the charts and the map


def figure_text(code: str, value: Decimal | int | None) -> str:
    """The figure in the user's number format, rounded as in the recap; "—" without one."""
    return Figures()(code, value)


class Figures:
    """``figure_text`` with the language's number format read once, for a page of figures."""

    def __init__(self) -> None:
        language = get_language()
        self.grouping = get_format("NUMBER_GROUPING", language)
        # Python groups by three with "," and separates the decimals with ".": one pass swaps
        # them for the language's.
        self.separators = str.maketrans(
            {
                ",": get_format("THOUSAND_SEPARATOR", language),
                ".": get_format("DECIMAL_SEPARATOR", language),
            }
        )

    def __call__(self, code: str, value: Decimal | int | None) -> str:
        figure = rounded(code, None if value is None else Decimal(value))
        if figure is None:
            return "—"
        if not figure:
            figure = abs(figure)  # "0", never "-0", as number_format
        if self.grouping != 3:
            places = max(0, -int(figure.as_tuple().exponent))
            return number_format(figure, places, force_grouping=True)
        # The figure keeps its places, as number_format with them.
        return f"{figure:,f}".translate(self.separators)


def change_text(code: str, change: Decimal | None) -> str:
    """A change with its sign: "+1,2", "0", or a minus sign (U+2212) and the figure; "—" without
    one."""
    if change is None:
        return "—"
    text = figure_text(code, abs(change))
    if change > 0:
        return f"+{text}"
    if change < 0:
        return f"\u2212{text}"
    return text


def is_percent(code: str) -> bool:
    return indicator(code).unit == Unit.PERCENT


def dashboard_link(area_code: str, month: str, code: str) -> str:
    return "?" + urlencode({"area": area_code, "month": month, "indicator": code})


def coordinate_text(value: Decimal) -> str:
    """A latitude or longitude with four places and a point, as ``floatformat:"4u"``."""
    shown = value.quantize(_COORDINATE, rounding=ROUND_HALF_UP)
    return f"{shown if shown else abs(shown):f}"  # never "-0.0000"


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def chart_data(dashboard: Dashboard, *, tiles: str = "", attribution: str = "") -> dict[str, Any]:
    return dashboard_page(dashboard, tiles=tiles, attribution=attribution).charts


def dashboard_page(dashboard: Dashboard, *, tiles: str = "", attribution: str = "") -> Page:
    """Every text of the page's tables and of its JSON, each formatted once."""
    code = dashboard.code
    figure = Figures()
    # The link of another area's dashboard is this prefix, its code, and this suffix.
    suffix = "&" + urlencode({"month": f"{dashboard.period:%Y-%m}", "indicator": code})
    months = [date_format(m, "M Y") for m in dashboard.months]
    points = [
        Row(
            name=str(p.area),
            link=f"?area={quote_plus(p.area.code)}{suffix}",
            value=figure(code, p.value),
            coordinates=f"{coordinate_text(p.latitude)}, {coordinate_text(p.longitude)}",
        )
        for p in dashboard.points
    ]
    return Page(
        trends=[_trend_table(t.series, months, figure) for t in dashboard.trends],
        ranking=[
            Row(
                name=str(r.area),
                link=f"?area={quote_plus(r.area.code)}{suffix}",
                value=figure(code, r.value),
                rank=r.rank,
                bar=r.bar,
            )
            for r in dashboard.ranking
        ],
        points=points,
        legend=[
            (
                c.colour,
                figure(code, c.low)
                if c.low == c.high
                else f"{figure(code, c.low)} \u2013 {figure(code, c.high)}",
            )
            for c in dashboard.classes
        ],
        charts={
            "months": months,
            "trends": [
                {
                    "key": t.key,
                    "title": str(t.title),
                    "percent": t.unit == Unit.PERCENT,
                    "series": [
                        {
                            "code": s.code,
                            "label": str(s.label),
                            "values": [_number(v) for v in s.values],
                        }
                        for s in t.series
                    ],
                }
                for t in dashboard.trends
            ],
            "methods": {
                "labels": [m.name for m in dashboard.methods],
                "values": [_number(m.users) for m in dashboard.methods],
            },
            "map": {
                "tiles": tiles,
                "attribution": attribution,
                "indicator": str(dashboard.column.label),
                "points": [
                    {
                        "name": row.name,
                        "lat": float(p.latitude),
                        "lng": float(p.longitude),
                        "value": row.value,
                        "colour": p.colour,
                        "url": row.link,
                    }
                    for p, row in zip(dashboard.points, points, strict=True)
                ],
            },
        },
    )


def _trend_table(series: list[Series], months: list[str], figure: Figures) -> TrendTable:
    texts = [[figure(s.code, v) for v in s.values] for s in series]
    return TrendTable(
        labels=[str(s.label) for s in series],
        rows=[(month, [column[i] for column in texts]) for i, month in enumerate(months)],
    )
