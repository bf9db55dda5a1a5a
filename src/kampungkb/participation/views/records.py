"""The records behind one sub-indicator of the participation index, for a village or a part of
it: names are shown, so only users who see persons in the area may open it; another area, an
area above the village or a code without records is not found."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from kampungkb.accounts.decorators import needs
from kampungkb.accounts.scope import Capability, area_or_404
from kampungkb.core.errors import query_month
from kampungkb.core.periods import month_start
from kampungkb.participation.index_records import WITH_RECORDS
from kampungkb.participation.index_records import records as index_records
from kampungkb.regions.models import Level

PERSONS = Capability.VIEW_PERSONS


@needs(PERSONS, ["GET"])
def records(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    period = query_month(request.GET.get("month")) or month_start(today)
    code = request.GET.get("code", "")
    area = area_or_404(request.user, request.GET.get("area", ""), PERSONS)
    if code not in WITH_RECORDS or area.level < Level.VILLAGE:
        raise Http404
    found = index_records(area=area, period=period, code=code, today=today)
    return render(
        request,
        "participation/records.html",
        {"found": found, "month": period.strftime("%Y-%m")},
    )
