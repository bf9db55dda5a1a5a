"""The data the participation page's charts draw (``static/participation/index.js``): the index
and its dimensions over 24 months, and men reached with the users of a method for men. The
page's tables hold the same figures, so it reads without JavaScript."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from kampungkb.participation.index_selectors import AreaIndex


def _f(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def charts(found: AreaIndex) -> dict[str, Any]:
    months = [p.month.strftime("%m/%Y") for p in found.trend]
    dimension_series = [
        {"label": str(dim.label), "values": [_f(p.dimensions.get(dim)) for p in found.trend]}
        for dim in (found.trend[0].dimensions if found.trend else {})
    ]
    return {
        "months": months,
        "index": [
            {"label": _("Participation index"), "values": [_f(p.index) for p in found.trend]},
            *dimension_series,
        ],
        "men": [
            {"label": _("Men reached"), "values": [_f(p.reached) for p in found.men]},
            {
                "label": _("Users of a method for men"),
                "values": [_f(p.male_users) for p in found.men],
            },
        ],
    }
