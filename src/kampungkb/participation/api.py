"""The participation API: the barrier catalogue and an area's barrier ranking. Aggregates
only: any role may read the areas it sees (``VIEW_AGGREGATES``); another area is 404."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router

from kampungkb.accounts.scope import Capability, area_or_404
from kampungkb.core.errors import QueryProblem
from kampungkb.core.periods import parse_month
from kampungkb.participation import selectors
from kampungkb.participation.barriers import CATALOGUE
from kampungkb.participation.period import PeriodOrderError, period_of
from kampungkb.participation.schemas import (
    BarrierOut,
    BarrierRankingOut,
    barrier_out,
    ranking_out,
)

router = Router()


def _month(field: str, value: str | None) -> Any:
    if not value:
        return None
    try:
        return parse_month(value)
    except ValueError as exc:
        raise QueryProblem.MONTH.on(field, value=value[:20]) from exc


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
    first, last = _month("from", month_from), _month("to", month_to)
    checked = area_or_404(request.user, area, Capability.VIEW_AGGREGATES)
    try:
        period = period_of(first, last, today=timezone.localdate())
    except PeriodOrderError as exc:
        raise exc.problem.on("from", **exc.params) from exc
    ranking = selectors.barrier_ranking(
        area_code=checked.code, first=period.first, last=period.last
    )
    return ranking_out(ranking)
