from __future__ import annotations

from decimal import Decimal
from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe

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


@register.simple_tag
def village_rows(points: list[charts.Row]) -> SafeString:
    """``{% village_rows page.points %}``: the rows of the map's table, each text escaped. Built
    here rather than by a loop in the template: a district has hundreds of villages."""
    rows = []
    for p in points:
        link = escape(p.link)
        rows.append(
            f'<tr><th scope="row"><a href="{link}" hx-get="{link}" hx-target="#dashboard" '
            f'hx-push-url="true">{escape(p.name)}</a></th><td>{escape(p.value)}</td>'
            f'<td class="mono">{escape(p.coordinates)}</td></tr>'
        )
    return mark_safe("".join(rows))  # noqa: S308 - every text above is escaped


@register.simple_tag
def trend_rows(table: charts.TrendTable) -> SafeString:
    """``{% trend_rows table %}``: the rows of a trend's table, a month and its figures each."""
    rows = []
    for month, cells in table.rows:
        figures = "".join(f"<td>{escape(c)}</td>" for c in cells)
        rows.append(f'<tr><th scope="row">{escape(month)}</th>{figures}</tr>')
    return mark_safe("".join(rows))  # noqa: S308 - every text above is escaped
