"""The participation page of an area (issue 7): its index for a month with the three dimensions
and every sub-indicator behind them, the trend, the sub-areas ranked, men reached over time, and
the actions suggested for the weakest dimension and the top barriers, each one click from a
planned activity for those who may plan activities in the area. Figures only: every role that
sees aggregates may open it for its areas; another area is not found."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.vary import vary_on_headers

from kampungkb.accounts.decorators import needs
from kampungkb.accounts.scope import Capability, area_or_first_root, scope_for
from kampungkb.core.errors import query_month
from kampungkb.core.periods import month_start
from kampungkb.participation import index_exports
from kampungkb.participation.index_charts import charts
from kampungkb.participation.index_selectors import area_index
from kampungkb.participation.suggestions import suggestions_for_month
from kampungkb.regions.models import Level
from kampungkb.regions.selectors import area_ancestors

AGGREGATES = Capability.VIEW_AGGREGATES
# A planned activity's default date: two weeks ahead.
PLAN_AHEAD_DAYS = 14


@needs(AGGREGATES, ["GET"])
@vary_on_headers("HX-Request")
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    period = query_month(request.GET.get("month")) or month_start(today)
    area = area_or_first_root(user, request.GET.get("area") or None, AGGREGATES)
    found = area_index(user=user, area=area, period=period)
    if request.GET.get("format") == "xlsx":
        return index_exports.response(found)
    scope = scope_for(user)
    can_plan = area.level >= Level.DISTRICT and scope.can(Capability.EDIT_PROGRAMME, area.code)
    context = {
        "found": found,
        "result": found.result,
        "month": found.period.strftime("%Y-%m"),
        "suggestions": suggestions_for_month(
            area=area, index=found.result, period=found.period, today=today
        ),
        "can_plan": can_plan,
        "can_see_records": area.level >= Level.VILLAGE
        and scope.can(Capability.VIEW_PERSONS, area.code),
        "plan_on": today + dt.timedelta(days=PLAN_AHEAD_DAYS),
        "ancestors": [a for a in area_ancestors(area) if scope.can(AGGREGATES, a.code)],
        "charts": charts(found),
    }
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.history_restore_request:
        return render(request, "participation/_index.html", context)
    return render(request, "participation/index.html", context)
