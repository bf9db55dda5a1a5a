"""The monthly recap page and its files. Aggregates only, so every role may open it for the
areas it sees; an area outside the scope is not found."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from kampungkb.accounts.scope import Capability, area_or_first_root, scope_for
from kampungkb.core.errors import BadQuery, QueryProblem, query_month
from kampungkb.families.views import HtmxHttpRequest
from kampungkb.regions.selectors import area_ancestors
from kampungkb.reports import exports
from kampungkb.reports.charts import dashboard_page
from kampungkb.reports.dashboard import DEFAULT_INDICATOR, dashboard_get
from kampungkb.reports.selectors import (
    COLUMNS,
    MAP_CODES,
    MAP_COLUMNS,
    last_complete_month,
    recap_get,
    recap_villages,
)

AGGREGATES = Capability.VIEW_AGGREGATES


def _month(request: HtmxHttpRequest) -> Any:
    return query_month(request.GET.get("month")) or last_complete_month(timezone.localdate())


@login_required
@require_GET
@vary_on_headers("HX-Request")
def recap(request: HtmxHttpRequest) -> HttpResponse:
    user = request.user
    if not scope_for(user).can(AGGREGATES):
        raise Http404
    area = area_or_first_root(user, request.GET.get("area"))
    data = recap_get(user=user, area=area, period=_month(request))
    file_format = request.GET.get("format")
    if file_format in exports.FORMATS:
        villages = None
        if file_format == "xlsx" and data.has_villages_sheet:
            villages = recap_villages(user=user, area=area, period=data.period)
        response = HttpResponse(
            exports.recap_file(data, file_format, villages),
            content_type=exports.CONTENT_TYPES[file_format],
        )
        disposition = f'attachment; filename="{exports.filename(data, file_format)}"'
        response["Content-Disposition"] = disposition
        return response
    scope = scope_for(user)
    context = {
        "recap": data,
        "columns": COLUMNS,
        "ancestors": [a for a in area_ancestors(area) if scope.can(AGGREGATES, a.code)],
        "formats": exports.FORMATS,
    }
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "reports/_recap.html", context)
    return render(request, "reports/recap.html", context)


def _indicator(request: HtmxHttpRequest) -> str:
    value = request.GET.get("indicator") or DEFAULT_INDICATOR
    if value not in MAP_CODES:
        raise BadQuery(QueryProblem.INDICATOR, value=value, choices=", ".join(MAP_CODES))
    return value


@login_required
@require_GET
@vary_on_headers("HX-Request")
def dashboard(request: HtmxHttpRequest) -> HttpResponse:
    user = request.user
    if not scope_for(user).can(AGGREGATES):
        raise Http404
    code = _indicator(request)
    area = area_or_first_root(user, request.GET.get("area"))
    data = dashboard_get(user=user, area=area, period=_month(request), code=code)
    scope = scope_for(user)
    page = dashboard_page(
        data, tiles=settings.KAMPUNGKB_MAP_TILES, attribution=settings.KAMPUNGKB_MAP_ATTRIBUTION
    )
    context = {
        "dashboard": data,
        "page": page,
        "trends": list(zip(data.trends, page.trends, strict=True)),
        "columns": MAP_COLUMNS,
        "ancestors": [a for a in area_ancestors(area) if scope.can(AGGREGATES, a.code)],
        "charts": page.charts,
    }
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "reports/_dashboard.html", context)
    return render(request, "reports/dashboard.html", context)
