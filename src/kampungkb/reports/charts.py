"""The dashboard's figures as the page shows them, and as the JSON its script draws the charts and
the map from (embedded with ``json_script``; the same figures are in the page's tables)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.utils.formats import date_format, number_format

from kampungkb.indicators.registry import Unit, indicator
from kampungkb.reports.dashboard import Dashboard
from kampungkb.reports.exports import rounded


def figure_text(code: str, value: Decimal | int | None) -> str:
    """The figure in the user's number format, rounded as in the recap; "—" without one."""
    figure = rounded(code, None if value is None else Decimal(value))
    if figure is None:
        return "—"
    places = max(0, -int(figure.as_tuple().exponent))
    return number_format(figure, places, force_grouping=True)


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


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def chart_data(dashboard: Dashboard, *, tiles: str = "", attribution: str = "") -> dict[str, Any]:
    month = f"{dashboard.period:%Y-%m}"
    code = dashboard.code
    return {
        "months": [date_format(m, "M Y") for m in dashboard.months],
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
                    "name": str(p.area),
                    "lat": float(p.latitude),
                    "lng": float(p.longitude),
                    "value": figure_text(code, p.value),
                    "colour": p.colour,
                    "url": dashboard_link(p.area.code, month, code),
                }
                for p in dashboard.points
            ],
        },
    }
