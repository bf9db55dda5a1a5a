"""The participation API: the barrier catalogue and an area's barrier ranking. Aggregates
only: any role may read the areas it sees (``VIEW_AGGREGATES``); another area is 404."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router

from kampungkb.accounts.scope import Capability, area_or_404
from kampungkb.core.errors import api_month
from kampungkb.participation import selectors
from kampungkb.participation.api_actions import router as actions_router
from kampungkb.participation.api_index import router as index_router
from kampungkb.participation.api_surveys import router as surveys_router
from kampungkb.participation.barriers import CATALOGUE
from kampungkb.participation.period import PeriodOrderError, period_of
from kampungkb.participation.schemas import (
    BarrierOut,
    BarrierRankingOut,
    barrier_out,
    ranking_out,
)

router = Router()
router.add_router("", surveys_router)
router.add_router("", index_router)
router.add_router("", actions_router)


@router.get(
    "/barrier-catalogue",
    response=list[BarrierOut],
    summary="The barriers to family planning with the suggested action for each",
)
def barrier_catalogue(request: HttpRequest) -> list[dict[str, Any]]:
    return [barrier_out(entry) for entry in CATALOGUE]


@router.get(
    "/barriers",
    response=BarrierRankingOut,
    summary="Follow-ups with a barrier in an area over some months: per barrier and sub-area",
)
def barriers(
    request: HttpRequest,
    area: Annotated[str, Query(description="An area code.")],
    month_from: Annotated[
        str | None,
        Query(
            alias="from",
            description="The first month, YYYY-MM (default: 11 months before the last).",
        ),
    ] = None,
    month_to: Annotated[
        str | None, Query(alias="to", description="The last month, YYYY-MM (default: this month).")
    ] = None,
) -> dict[str, Any]:
    first, last = api_month("from", month_from), api_month("to", month_to)
    checked = area_or_404(request.user, area, Capability.VIEW_AGGREGATES)
    try:
        period = period_of(first, last, today=timezone.localdate())
    except PeriodOrderError as exc:
        raise exc.problem.on("from", **exc.params) from exc
    ranking = selectors.barrier_ranking(
        area_code=checked.code, first=period.first, last=period.last
    )
    return ranking_out(ranking)
