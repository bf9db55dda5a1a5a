from __future__ import annotations

from django import template
from django.utils.formats import number_format

from kampungkb.reports.exports import rounded
from kampungkb.reports.selectors import CODES, RecapRow

register = template.Library()


@register.filter
def shown_cells(row: RecapRow) -> list[str]:
    """The row's figures as shown on the page, in the user's number format; "—" without a
    figure."""
    texts = []
    for code, value in zip(CODES, row.cells(), strict=True):
        figure = rounded(code, value)
        if figure is None:
            texts.append("—")
            continue
        places = max(0, -int(figure.as_tuple().exponent))
        texts.append(number_format(figure, places, force_grouping=True))
    return texts
