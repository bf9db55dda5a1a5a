"""The barrier page: which barriers are recorded most in an area, with the suggested action
for each, and how they spread over the sub-areas. Aggregates only, so every role may open it for
the areas it sees; an area outside the scope is not found."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.vary import vary_on_headers

from kampungkb.accounts.decorators import needs
from kampungkb.accounts.scope import Capability, area_or_first_root, scope_for
from kampungkb.core.errors import BadQuery, query_month
from kampungkb.participation import exports, selectors
from kampungkb.participation.period import Period, PeriodOrderError, period_of
from kampungkb.regions.selectors import area_ancestors

AGGREGATES = Capability.VIEW_AGGREGATES


def _period(request: HttpRequest) -> Period:
    try:
        return period_of(
            query_month(request.GET.get("from")),
            query_month(request.GET.get("to")),
            today=timezone.localdate(),
        )
    except PeriodOrderError as exc:
        raise BadQuery(exc.problem, **exc.params) from exc


@needs(AGGREGATES, ["GET"])
@vary_on_headers("HX-Request")
def barriers(request: HttpRequest) -> HttpResponse:
    user = request.user
    period = _period(request)
    area = area_or_first_root(user, request.GET.get("area") or None, AGGREGATES)
    ranking = selectors.barrier_ranking(area_code=area.code, first=period.first, last=period.last)
    file_format = request.GET.get("format")
    if file_format in exports.FORMATS:
        return exports.response(ranking, file_format)
    scope = scope_for(user)
    context = {
        "ranking": ranking,
        "period": period,
        "ancestors": [a for a in area_ancestors(area) if scope.can(AGGREGATES, a.code)],
        "formats": exports.FORMATS,
    }
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.history_restore_request:
        return render(request, "participation/_barriers.html", context)
    return render(request, "participation/barriers.html", context)
