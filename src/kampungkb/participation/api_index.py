"""The participation index API: an area's index for a month with its dimensions, sub-indicators,
trend, sub-areas and suggested actions. Figures only: any role may read the areas it sees
(``VIEW_AGGREGATES``); another area is 404, a bad month 422."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router

from kampungkb.accounts.scope import Capability, area_or_404
from kampungkb.core.errors import api_month
from kampungkb.core.periods import month_start
from kampungkb.participation.index_schemas import AreaIndexOut, area_index_out
from kampungkb.participation.index_selectors import area_index
from kampungkb.participation.suggestions import suggestions_for_month

router = Router()


@router.get(
    "/index",
    response=AreaIndexOut,
    summary="The participation index of an area for a month, with what it is made of",
)
def index(
    request: HttpRequest,
    area: Annotated[str, Query(description="An area code.")],
    month: Annotated[
        str | None, Query(description="The month, YYYY-MM (default: this month).")
    ] = None,
) -> dict[str, Any]:
    today = timezone.localdate()
    period = api_month("month", month) or month_start(today)
    checked = area_or_404(request.user, area, Capability.VIEW_AGGREGATES)
    found = area_index(user=request.user, area=checked, period=period)
    suggestions = suggestions_for_month(
        area=checked, index=found.result, period=found.period, today=today
    )
    return area_index_out(found, suggestions)
