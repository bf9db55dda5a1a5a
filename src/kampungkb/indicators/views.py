"""The yearly targets (PPM) pages: the targets of an area and its sub-areas with their
achievement, the edit form, the Excel template and the Excel import (decision 0015).

Every role that sees aggregates reads the page for the areas it sees; an area outside the scope is
not found. Only officers (``EDIT_TARGETS``) edit, download the template and import; for anyone
else those pages are not found, as a record outside the scope is."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from kampungkb.accounts.scope import Capability, area_or_first_root, scope_for
from kampungkb.core.errors import BadQuery, QueryProblem, query_month
from kampungkb.families.views import HtmxHttpRequest
from kampungkb.indicators import forms, selectors, services, targets_excel
from kampungkb.regions.models import Area
from kampungkb.regions.selectors import area_ancestors

AGGREGATES = Capability.VIEW_AGGREGATES
EDIT = Capability.EDIT_TARGETS


def _area(request: HttpRequest, capability: Capability = AGGREGATES) -> Area:
    if not scope_for(request.user).can(capability):
        raise Http404
    return area_or_first_root(request.user, request.GET.get("area"), capability)


def _year(request: HttpRequest) -> int:
    value = request.GET.get("year")
    if not value:
        return timezone.localdate().year
    if not value.isascii() or not value.isdigit() or int(value) not in services.target_years():
        years = services.target_years()
        raise BadQuery(QueryProblem.YEAR, value=value, first=years[0], last=years[-1])
    return int(value)


def _month(request: HttpRequest) -> dt.date | None:
    month = query_month(request.GET.get("month"))
    if month is None:
        return None
    value = f"{month:%Y-%m}"
    if month.year not in services.target_years():
        years = services.target_years()
        raise BadQuery(QueryProblem.MONTH_RANGE, value=value, first=years[0], last=years[-1])
    return month


def _page_url(area: Area, year: int) -> str:
    return f"{reverse('targets:page')}?{urlencode({'area': area.code, 'year': year})}"


@login_required
@require_GET
@vary_on_headers("HX-Request")
def targets_page(request: HtmxHttpRequest) -> HttpResponse:
    user = request.user
    area = _area(request)
    month = _month(request)
    year = month.year if month else _year(request)
    period = month or selectors.target_latest_month(user=user, area_code=area.code, year=year)
    table = selectors.target_table(user=user, area=area, year=year, period=period)
    scope = scope_for(user)
    context = {
        "table": table,
        "picked_month": month,
        "ancestors": [a for a in area_ancestors(area) if scope.can(AGGREGATES, a.code)],
        "can_import": scope.can(EDIT, area.code),
    }
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "indicators/_targets.html", context)
    return render(request, "indicators/targets.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def targets_edit(request: HttpRequest) -> HttpResponse:
    user = request.user
    area = _area(request)
    year = _year(request)
    table = selectors.target_table(user=user, area=area, year=year, period=None)
    if not table.any_editable:
        raise Http404
    form = forms.TargetsForm(
        request.POST if request.method == "POST" else None,
        rows=[table.total, *table.rows],
        year=year,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.targets_save(entries=form.entries(), actor=user)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("The targets were saved."))
            return redirect(_page_url(area, year))
    context = {"table": table, "form": form, "cancel_url": _page_url(area, year)}
    return render(request, "indicators/targets_edit.html", context)


@login_required
@require_GET
def targets_template(request: HttpRequest) -> HttpResponse:
    area = _area(request, EDIT)
    year = _year(request)
    rows = selectors.target_template_rows(user=request.user, area=area, year=year)
    content = targets_excel.template(rows, title=f"PPM {year}")
    response = HttpResponse(content, content_type=targets_excel.CONTENT_TYPE)
    filename = f"ppm-{area.code}-{year}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def targets_import(request: HttpRequest) -> HttpResponse:
    area = _area(request, EDIT)
    year = _year(request)
    form = forms.TargetsImportForm(request.POST or None, request.FILES or None)
    refused: list[services.RowError] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            changes = services.targets_import(file=upload, size=upload.size, actor=request.user)
        except services.TargetImportRefused as exc:
            refused = exc.rows
        else:
            messages.success(
                request,
                _(
                    "The file was imported: %(created)s targets added, %(updated)s changed, "
                    "%(unchanged)s unchanged."
                )
                % {
                    "created": changes.created,
                    "updated": changes.updated,
                    "unchanged": changes.unchanged,
                },
            )
            return redirect(_page_url(area, year))
    context = {
        "area": area,
        "year": year,
        "form": form,
        "refused": refused,
        "columns": targets_excel.COLUMNS,
        "template_url": (
            f"{reverse('targets:template')}?{urlencode({'area': area.code, 'year': year})}"
        ),
        "cancel_url": _page_url(area, year),
    }
    return render(request, "indicators/targets_import.html", context)
