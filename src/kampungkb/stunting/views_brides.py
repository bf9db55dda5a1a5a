"""Brides-to-be pages: the list of a village (or an RW/RT) with each bride's findings, status (a
tab per status, cancelled registrations apart) and the early-marriage alerts; the registration;
one bride with her screenings, the advice, and the forms to record a screening and the wedding,
or to cancel the registration (and reopen one cancelled by mistake). Names are shown: partners and viewers find nothing
here, and another area is not found."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.vary import vary_on_headers

from kampungkb.accounts.decorators import form_page, page
from kampungkb.accounts.scope import Capability, scope_for
from kampungkb.contraception.exports import export_audit
from kampungkb.core import tables
from kampungkb.core.errors import BadQuery
from kampungkb.families import selectors as family_selectors
from kampungkb.families.forms import add_service_errors
from kampungkb.families.masking import mask_id
from kampungkb.families.views import HtmxHttpRequest
from kampungkb.stunting import bride_selectors, bride_services
from kampungkb.stunting.bride_errors import BrideProblem
from kampungkb.stunting.bride_forms import BrideForm, CancelForm, MarriedForm, ScreeningForm
from kampungkb.stunting.bride_selectors import BrideFilter
from kampungkb.stunting.bride_services import BrideData
from kampungkb.stunting.brides import age_on
from kampungkb.stunting.errors import StuntingProblem
from kampungkb.stunting.views import _on, list_area_filter

EDIT = Capability.EDIT_REGISTER


def _status(request: HttpRequest) -> BrideFilter | None:
    value = request.GET.get("status", "").strip()
    if not value:
        return None
    if value not in BrideFilter.values:
        choices = ", ".join(BrideFilter.values)
        raise BadQuery(BrideProblem.STATUS_INVALID, value=value[:30], choices=choices)
    return BrideFilter(value)


@page
@vary_on_headers("HX-Request")
def brides(request: HtmxHttpRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    on = _on(request, today)
    status = _status(request)
    area_filter = list_area_filter(request)
    context: dict[str, Any] = {
        "area_filter": area_filter,
        "on": on,
        "today": today,
        "status": status,
        "problem": StuntingProblem.AREA_MISSING.text(),
        "can_register": scope_for(user).can(EDIT),
    }
    if area_filter.current is not None:
        try:
            every = bride_selectors.bride_rows(user=user, area_code=area_filter.current.code, on=on)
        except ValidationError as error:
            context["problem"] = " ".join(error.messages)
        else:
            context["problem"] = ""
            context["rows"] = bride_selectors.with_status(every, status)
            context["tabs"] = bride_selectors.status_counts(every)
            context["alerts"] = bride_selectors.early_marriages(
                user=user, area_code=area_filter.current.code, on=on
            )
    if request.GET.get("format") == "xlsx":
        if "rows" not in context or area_filter.current is None:
            raise BadQuery(StuntingProblem.AREA_MISSING)
        return _export(request, context["rows"], area_filter.current.code, on=on, status=status)
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "stunting/brides_results.html", context)
    return render(request, "stunting/brides.html", context)


def _export(
    request: HttpRequest,
    rows: list[bride_selectors.BrideRow],
    area_code: str,
    *,
    on: Any,
    status: BrideFilter | None,
) -> HttpResponse:
    export_audit(
        actor=request.user,
        list_name=f"stunting_brides_{status.value}" if status else "stunting_brides",
        file_format="xlsx",
        area_code=area_code,
        rows=len(rows),
        on=on.isoformat(),
    )
    with translation.override("id"):
        header = [
            _("Bride"),
            _("NIK"),
            _("Birth date"),
            _("Groom"),
            _("Planned wedding date"),
            _("Married on"),
            _("Status"),
            _("Last screening"),
            "LiLA (cm)",
            "Hb (g/dL)",
            _("BMI"),
            _("Findings"),
            _("Advise delaying pregnancy"),
            _("Cancelled on"),
            _("Reason cancelled"),
        ]
        lines = [
            [
                r.bride.full_name,
                mask_id(r.bride.nik or None),
                r.bride.birth_date,
                r.bride.groom_name,
                r.bride.wedding_on,
                r.bride.married_on,
                str(r.status.label),
                r.latest.screened_on if r.latest else None,
                float(r.latest.lila_cm) if r.latest else None,
                float(r.latest.hb_g_dl) if r.latest and r.latest.hb_g_dl is not None else None,
                float(r.bmi) if r.bmi is not None else None,
                "; ".join(label for label, _advice in r.explained),
                _("yes") if r.delay_pregnancy else _("no"),
                r.bride.cancelled_on,
                str(r.bride.get_cancel_reason_display()) if r.bride.cancel_reason else None,
            ]
            for r in rows
        ]
    return tables.xlsx_response(
        f"kampungkb-catin-{area_code}-{on.isoformat()}", str(_("Brides-to-be")), header, lines
    )


@form_page
def bride_new(request: HttpRequest) -> HttpResponse:
    areas = family_selectors.family_area_choices(user=request.user) or []
    today = timezone.localdate()
    form = BrideForm(
        request.POST or None,
        areas=areas,
        initial={"registered_on": today, "area": request.GET.get("area")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            bride = bride_services.bride_register(
                data=BrideData(
                    area=data["area"],
                    full_name=data["full_name"],
                    nik=data["nik"],
                    birth_date=data["birth_date"],
                    phone=data["phone"],
                    groom_name=data["groom_name"],
                    groom_birth_date=data["groom_birth_date"],
                    wedding_on=data["wedding_on"],
                    registered_on=data["registered_on"],
                ),
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The bride-to-be is registered."))
            return redirect("stunting:bride", pk=bride.pk)
    return render(request, "stunting/bride_form.html", {"form": form})


@form_page
def bride(request: HttpRequest, pk: int) -> HttpResponse:
    today = timezone.localdate()
    row = bride_selectors.bride_get(user=request.user, pk=pk, on=today)
    can_edit = scope_for(request.user).can(EDIT, row.bride.area_id)
    screening = ScreeningForm(
        request.POST if request.POST.get("form") == "screening" else None,
        initial={"screened_on": today},
        prefix="s",
    )
    married = MarriedForm(
        request.POST if request.POST.get("form") == "married" else None,
        initial={"married_on": min(row.bride.wedding_on, today)},
        prefix="m",
    )
    cancel = CancelForm(
        request.POST if request.POST.get("form") == "cancel" else None,
        initial={"cancelled_on": today},
        prefix="c",
    )
    forms = {"screening": screening, "married": married, "cancel": cancel}
    if request.method == "POST" and can_edit:
        try:
            if request.POST.get("form") == "screening" and screening.is_valid():
                d = screening.cleaned_data
                bride_services.screening_record(
                    bride=row.bride,
                    screened_on=d["screened_on"],
                    weight_kg=d["weight_kg"],
                    height_cm=d["height_cm"],
                    lila_cm=d["lila_cm"],
                    hb_g_dl=d["hb_g_dl"],
                    smokes=d["smokes"],
                    actor=request.user,
                )
                messages.success(request, _("The screening is saved."))
                return redirect("stunting:bride", pk=pk)
            if request.POST.get("form") == "married" and married.is_valid():
                bride_services.bride_mark_married(
                    bride=row.bride,
                    married_on=married.cleaned_data["married_on"],
                    couple=None,
                    actor=request.user,
                )
                messages.success(request, _("The wedding is recorded."))
                return redirect("stunting:bride", pk=pk)
            if request.POST.get("form") == "cancel" and cancel.is_valid():
                bride_services.bride_cancel(
                    bride=row.bride,
                    on=cancel.cleaned_data["cancelled_on"],
                    reason=cancel.cleaned_data["cancel_reason"],
                    actor=request.user,
                )
                messages.success(request, _("The registration is cancelled."))
                return redirect("stunting:bride", pk=pk)
            if request.POST.get("form") == "reopen":
                bride_services.bride_reopen(bride=row.bride, actor=request.user)
                messages.success(request, _("The registration is open again."))
                return redirect("stunting:bride", pk=pk)
        except ValidationError as error:
            form = forms.get(request.POST.get("form", ""))
            if form is None:  # the reopen button has no fields to show it on
                messages.error(request, " ".join(error.messages))
            else:
                add_service_errors(form, error)
    b = row.bride
    context = {
        "row": row,
        "bride": b,
        "bride_age": age_on(b.birth_date, b.wedding_on),
        "groom_age": age_on(b.groom_birth_date, b.wedding_on) if b.groom_birth_date else None,
        "screenings": list(b.screenings.all()),
        "can_edit": can_edit,
        "screening_form": screening,
        "married_form": married,
        "cancel_form": cancel,
    }
    return render(request, "stunting/bride.html", context)
