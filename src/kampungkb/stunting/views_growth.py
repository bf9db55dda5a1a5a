"""Child growth pages: a child's measurements and growth chart with the form to record one, the
correction of a measurement, and the children under 5 of a village (or an RW/RT) with their latest
status and its Excel export. Every page names persons: partners and viewers find nothing here,
and a child outside the user's areas is not found."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from kampungkb.accounts.decorators import form_page, page, personal_page
from kampungkb.accounts.scope import Capability, ensure_can, scope_for
from kampungkb.contraception.exports import export_audit
from kampungkb.core.errors import BadQuery
from kampungkb.families.forms import add_service_errors
from kampungkb.families.views import HtmxHttpRequest
from kampungkb.regions.models import Level
from kampungkb.regions.selectors import area_ancestors
from kampungkb.stunting import exports, growth_selectors, growth_services
from kampungkb.stunting.errors import StuntingProblem
from kampungkb.stunting.growth_errors import GrowthProblem
from kampungkb.stunting.growth_forms import MeasurementForm
from kampungkb.stunting.growth_selectors import LIST_FILTER_LABELS, ListFilter
from kampungkb.stunting.views import _on, list_area_filter

EDIT = Capability.EDIT_REGISTER
NAMED = Capability.VIEW_PERSONS


def _list_area(user: Any, area_path: list[Any]) -> Any:
    """The widest area at village level or below of the path where the user sees names."""
    scope = scope_for(user)
    return next(
        (a for a in area_path if a.level >= Level.VILLAGE and scope.can(NAMED, a.code)), None
    )


@form_page
def child(request: HttpRequest, pk: int) -> HttpResponse:
    person = growth_selectors.child_get(user=request.user, pk=pk)
    today = timezone.localdate()
    can_edit = scope_for(request.user).can(EDIT, person.family.area_id)
    under_five = growth_selectors.is_under_five(person, today)
    form = MeasurementForm(
        request.POST or None, today=today, initial={"measured_on": today, "place": ""}
    )
    if request.method == "POST":
        ensure_can(request.user, EDIT, person.family.area_id)
        if form.is_valid():
            try:
                growth_services.measurement_record(
                    child=person, actor=request.user, **form.values()
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The measurement was saved."))
                return redirect("stunting:child", pk=person.pk)
    measurements = growth_selectors.child_measurements(person)
    area_path = [*area_ancestors(person.family.area), person.family.area]
    context = {
        "child": person,
        "area_path": area_path,
        "list_area": _list_area(request.user, area_path),
        "rows": growth_selectors.measurement_rows(person, measurements),
        "chart_data": {
            "charts": [c.as_json() for c in growth_selectors.growth_charts(person, measurements)],
            "labels": {
                "SD0": _("WHO median"),
                "SD2neg": "-2 SD",
                "SD3neg": "-3 SD",
                "child": person.full_name,
                "age": _("Age (months)"),
            },
        },
        "form": form,
        # The form stays on the page with what the service refused, even for a child it refused.
        "can_record": (can_edit and under_five and person.is_active) or bool(form.errors),
        "can_edit": can_edit,
        "under_five": under_five,
        "today": today,
    }
    return render(request, "stunting/child.html", context)


@form_page
def measurement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    measurement = growth_selectors.measurement_get(user=request.user, pk=pk, capability=EDIT)
    person = growth_selectors.child_get(user=request.user, pk=measurement.child_id)
    today = timezone.localdate()
    form = MeasurementForm(
        request.POST or None, today=today, initial=MeasurementForm.initial_from(measurement)
    )
    if request.method == "POST" and form.is_valid():
        try:
            growth_services.measurement_update(
                measurement=measurement, actor=request.user, **form.values()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The measurement was saved."))
            return redirect("stunting:child", pk=person.pk)
    context = {"child": person, "measurement": measurement, "form": form}
    return render(request, "stunting/measure_edit.html", context)


@personal_page
@require_POST
def measurement_delete(request: HttpRequest, pk: int) -> HttpResponse:
    measurement = growth_selectors.measurement_get(user=request.user, pk=pk, capability=EDIT)
    child_id = measurement.child_id
    growth_services.measurement_delete(measurement=measurement, actor=request.user)
    messages.success(request, _("The measurement was deleted."))
    return redirect("stunting:child", pk=child_id)


def _wanted(request: HttpRequest) -> ListFilter | None:
    value = request.GET.get("status", "").strip()
    if not value:
        return None
    if value not in ListFilter.__members__.values():
        choices = ", ".join(ListFilter)
        raise BadQuery(GrowthProblem.STATUS_INVALID, value=value[:30], choices=choices)
    return ListFilter(value)


@page
@vary_on_headers("HX-Request")
def children(request: HtmxHttpRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    on = _on(request, today)
    wanted = _wanted(request)
    area_filter = list_area_filter(request)
    context: dict[str, Any] = {
        "area_filter": area_filter,
        "on": on,
        "today": today,
        "wanted": wanted,
        "filters": list(LIST_FILTER_LABELS.items()),
        "problem": StuntingProblem.AREA_MISSING.text(),
    }
    rows = None
    if area_filter.current is not None:
        try:
            rows = growth_selectors.children_list(
                user=user, area_code=area_filter.current.code, on=on, wanted=wanted
            )
        except ValidationError as error:
            context["problem"] = " ".join(error.messages)
        else:
            context["problem"] = ""
    if request.GET.get("format") == "xlsx":
        return _export(request, rows, area_filter.current, on=on, wanted=wanted)
    if rows is not None:
        paginated = Paginator(rows, settings.KAMPUNGKB_PAGE_SIZE).get_page(request.GET.get("page"))
        context["page"] = paginated
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "stunting/children_results.html", context)
    return render(request, "stunting/children.html", context)


def _export(
    request: HttpRequest,
    rows: list[growth_selectors.ChildRow] | None,
    area: Any,
    *,
    on: Any,
    wanted: ListFilter | None,
) -> HttpResponse:
    if rows is None:
        if area is None:
            raise BadQuery(StuntingProblem.AREA_MISSING)
        raise BadQuery(StuntingProblem.AREA_ABOVE_VILLAGE, area=area.name)
    export_audit(
        actor=request.user,
        list_name="stunting_children",
        file_format="xlsx",
        area_code=area.code,
        rows=len(rows),
        on=on.isoformat(),
        status=wanted or "",
    )
    filename = f"kampungkb-balita-{area.code}-{on.isoformat()}"
    return exports.children_xlsx_response(filename, rows)
