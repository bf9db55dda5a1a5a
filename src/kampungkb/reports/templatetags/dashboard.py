from __future__ import annotations

from decimal import Decimal

from django import template

from kampungkb.reports import charts

register = template.Library()


@register.filter
def figure(value: Decimal | int | None, code: str) -> str:
    """``{{ value|figure:code }}``: the figure as the recap shows it; "—" without one."""
    return charts.figure_text(code, value)


@register.filter
def signed(change: Decimal | None, code: str) -> str:
    """``{{ headline.change|signed:code }}``: the change with its sign."""
    return charts.change_text(code, change)


@register.filter
def is_percent(code: str) -> bool:
    return charts.is_percent(code)


@register.simple_tag
def dashboard_link(area_code: str, month: str, code: str) -> str:
    """The query string of another area's (or month's, or indicator's) dashboard."""
    return charts.dashboard_link(area_code, month, code)
