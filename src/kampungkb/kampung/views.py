"""The Kampung KB pages: list and map per area (every role that sees aggregates), the register
and edit forms, the detail page with the month's profile, class and history, and the profile
form (roles with ``EDIT_PROGRAMME``). Partners and viewers see no person's name: not the person
in charge, the PKB officer or supervisor, nor who recorded a profile."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kampungkb.accounts.decorators import needs
from kampungkb.accounts.scope import Capability, area_or_404, area_or_first_root, scope_for
from kampungkb.contraception.exports import export_audit
from kampungkb.core import tables
from kampungkb.core.errors import BadQuery, query_month
from kampungkb.core.periods import month_start
from kampungkb.kampung import forms, selectors, services
from kampungkb.kampung.charts import class_colour, class_label, history_chart, map_data
from kampungkb.kampung.classification import KampungClass
from kampungkb.kampung.errors import KampungProblem
from kampungkb.kampung.explain import explain
from kampungkb.kampung.models import KampungKb
from kampungkb.regions.models import Level
from kampungkb.regions.selectors import area_ancestors, area_children

View = Callable[..., HttpResponse]
AGGREGATES = Capability.VIEW_AGGREGATES
EDIT = Capability.EDIT_PROGRAMME
EXPORT_FORMATS = ("csv", "xlsx")
FACT_COLUMNS = (
    ("PUS", gettext_lazy("Eligible couples (PUS)")),
    ("PA", gettext_lazy("Active users (PA)")),
    ("CPR", gettext_lazy("CPR")),
    ("MKJP", gettext_lazy("MKJP share of users")),
    ("UNMET_NEED", gettext_lazy("Unmet need")),
)


aggregate_page = needs(AGGREGATES, ["GET"])
edit_page = needs(EDIT, ["GET", "POST"])


def _month(request: HttpRequest) -> dt.date:
    return query_month(request.GET.get("month")) or month_start(timezone.localdate())


def _class_filter(request: HttpRequest) -> str | None:
    value = request.GET.get("class")
    if value is None or value == "all":
        return None
    if value not in ("", *KampungClass.values):
        choices = ", ".join(KampungClass.values)
        raise BadQuery(KampungProblem.CLASS_QUERY, value=value, choices=choices)
    return value


def _shows_names(user: Any, kampung: KampungKb) -> bool:
    return scope_for(user).can(Capability.VIEW_PERSONS, kampung.village_id)


def _crumbs(user: Any, area: Any) -> list[Any]:
    scope = scope_for(user)
    return [a for a in area_ancestors(area) if scope.can(AGGREGATES, a.code)]


# -- List, export, map --------------------------------------------------------------------------


def _export(
    request: HttpRequest, rows: list[KampungKb], area: Any, file_format: str
) -> HttpResponse:
    user = request.user
    names = scope_for(user).can(Capability.VIEW_PERSONS, area.code)
    with translation.override("id"):
        header = [
            _("Village code"),
            _("Village"),
            _("Sub-district"),
            _("Kampung KB"),
            _("Declaration date"),
            _("Class"),
            _("Class of the month"),
            _("Selection criteria met"),
            _("Model flags"),
        ]
        if names:
            header += [_("Person in charge"), _("Phone of the person in charge")]
        body = []
        for k in rows:
            line: list[Any] = [
                k.village_id,
                k.village.name,
                k.village.parent.name if k.village.parent else "",
                k.name,
                k.declared_on,
                class_label(getattr(k, "klass", None)),
                _month_text(getattr(k, "klass_month", None)),
                ", ".join(k.criteria),
                ", ".join(k.model_flags),
            ]
            if names:
                line += [k.person_in_charge, k.person_in_charge_phone]
            body.append(line)
        title = _("Kampung KB")
    filename = f"kampung-kb-{area.code}"
    if names:
        export_audit(
            actor=user,
            list_name="kampung",
            file_format=file_format,
            area_code=area.code,
            rows=len(body),
        )
    if file_format == "csv":
        return tables.csv_response(filename, header, body)
    return tables.xlsx_response(filename, str(title), header, body)


def _month_text(month: dt.date | None) -> str:
    return f"{month:%Y-%m}" if month else ""


def _row(k: KampungKb) -> tuple[KampungKb, str, str]:
    klass = getattr(k, "klass", None)
    return k, class_colour(klass), class_label(klass)


@aggregate_page
def kampung_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    area = area_or_first_root(user, request.GET.get("area"))
    month = _month(request)
    klass = _class_filter(request)
    all_rows = list(selectors.kampung_list(user=user, month=month, area_code=area.code))
    rows = all_rows
    if klass is not None:
        rows = [k for k in all_rows if (getattr(k, "klass", None) or "") == klass]
    file_format = request.GET.get("format")
    if file_format in EXPORT_FORMATS:
        return _export(request, rows, area, file_format)
    counts = selectors.class_counts(all_rows)
    context = {
        "area": area,
        "month": month,
        "rows": [_row(k) for k in rows],
        "counts": [
            (c.value, c.label, counts[c.value], class_colour(c.value)) for c in KampungClass
        ],
        "unclassified": counts[""],
        "total": len(all_rows),
        "klass": klass,
        "crumbs": _crumbs(user, area),
        "children": list(area_children(area).order_by("code"))
        if area.level < Level.VILLAGE
        else [],
        "can_register": scope_for(user).can(EDIT),
    }
    return render(request, "kampung/list.html", context)


@aggregate_page
def kampung_map(request: HttpRequest) -> HttpResponse:
    user = request.user
    area = area_or_first_root(user, request.GET.get("area"))
    month = _month(request)
    points = selectors.kampung_map_points(user=user, area_code=area.code, month=month)
    data = map_data(
        points,
        tiles=settings.KAMPUNGKB_MAP_TILES,
        attribution=settings.KAMPUNGKB_MAP_ATTRIBUTION,
    )
    context = {
        "area": area,
        "month": month,
        "map": data,
        "crumbs": _crumbs(user, area),
        "legend": [(c.value, c.label, class_colour(c.value)) for c in KampungClass],
        "unclassified_colour": class_colour(None),
    }
    return render(request, "kampung/map.html", context)


# -- Register and edit --------------------------------------------------------------------------


def _errors_onto(form: Any, call: Callable[[], Any]) -> Any:
    try:
        return call()
    except ValidationError as error:
        forms.add_service_errors(form, error)
        return None


@edit_page
def kampung_register(request: HttpRequest) -> HttpResponse:
    user = request.user
    title = _("Register a Kampung KB")
    code = request.GET.get("village")
    if not code:
        village_form = forms.VillageForm(villages=selectors.village_choices(user=user))
        return render(request, "kampung/village_step.html", {"form": village_form, "title": title})
    village = area_or_404(user, code, EDIT)
    if village.level != Level.VILLAGE:
        raise Http404
    form = forms.KampungForm(request.POST or None, rws=selectors.rw_choices(village))
    if request.method == "POST" and form.is_valid():
        kampung = _errors_onto(
            form,
            lambda: services.kampung_register(village=village, data=form.data_out(), actor=user),
        )
        if kampung is not None:
            messages.success(
                request, _("The Kampung KB %(name)s was registered.") % {"name": kampung.name}
            )
            return redirect("kampung:detail", pk=kampung.pk)
    context = {"form": form, "title": title, "subject": village, "village": village}
    return render(request, "kampung/form.html", context)


@edit_page
def kampung_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    kampung = selectors.kampung_get(user=user, pk=pk, capability=EDIT)
    form = forms.KampungEditForm(
        request.POST or None,
        initial=forms.KampungForm.initial_of(kampung),
        rws=selectors.rw_choices(kampung.village),
    )
    if request.method == "POST" and form.is_valid():
        saved = _errors_onto(
            form,
            lambda: services.kampung_update(
                kampung=kampung,
                data=form.data_out(),
                is_active=form.cleaned_data["is_active"],
                actor=user,
            ),
        )
        if saved is not None:
            messages.success(request, _("The Kampung KB data was saved."))
            return redirect("kampung:detail", pk=kampung.pk)
    context = {
        "form": form,
        "title": _("Edit the Kampung KB"),
        "subject": kampung,
        "kampung": kampung,
    }
    return render(request, "kampung/form.html", context)


# -- Detail and profile -------------------------------------------------------------------------


def _profile_form(kampung: KampungKb, data: Any, profile: Any) -> forms.ProfileForm:
    return forms.ProfileForm(
        data,
        initial=forms.ProfileForm.initial_of(profile),
        officers=selectors.pkb_choices(kampung.village),
    )


@aggregate_page
def kampung_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    kampung = selectors.kampung_get(user=user, pk=pk)
    month = _month(request)
    in_force = selectors.profile_in_force(kampung=kampung, month=month)
    classification = selectors.classification_get(kampung=kampung, month=month)
    history = list(selectors.classification_history(kampung=kampung))
    code = kampung.village_id
    can_edit = kampung.is_active and scope_for(user).can(EDIT, code)
    context = {
        "kampung": kampung,
        "month": month,
        "in_force": in_force,
        "profile": in_force.profile,
        "classification": classification,
        "class_colour": class_colour(classification.klass if classification else None),
        "indices": explain(classification) if classification else [],
        "history": history,
        "history_chart": history_chart(history),
        "versions": list(selectors.profile_versions(kampung=kampung)),
        "facts": selectors.village_facts(user=user, village_code=code, month=month),
        "fact_columns": FACT_COLUMNS,
        "partners": selectors.partners_of_village(village_code=code, month=month),
        "poktan": list(selectors.poktan_rows(village_code=code, month=month)),
        "names": _shows_names(user, kampung),
        "can_edit": can_edit,
        "form": _profile_form(kampung, None, in_force.profile) if can_edit else None,
        "crumbs": _crumbs(user, kampung.village),
    }
    return render(request, "kampung/detail.html", context)


@edit_page
def profile_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    kampung = selectors.kampung_get(user=user, pk=pk, capability=EDIT)
    month = _month(request)
    in_force = selectors.profile_in_force(kampung=kampung, month=month)
    form = _profile_form(kampung, request.POST or None, in_force.profile)
    if request.method == "POST" and form.is_valid():
        profile = _errors_onto(
            form,
            lambda: services.profile_save(
                kampung=kampung, month=month, data=form.data_out(), actor=user
            ),
        )
        if profile is not None:
            messages.success(
                request,
                _("The profile of %(month)s was saved as version %(version)s.")
                % {"month": f"{month:%m-%Y}", "version": profile.version},
            )
            detail = reverse("kampung:detail", args=[kampung.pk])
            return redirect(f"{detail}?month={month:%Y-%m}")
    context = {
        "form": form,
        "kampung": kampung,
        "month": month,
        "in_force": in_force,
        "title": _("Profile of the month"),
    }
    return render(request, "kampung/profile_form.html", context)


@aggregate_page
def profile_version(request: HttpRequest, pk: int, version_pk: int) -> HttpResponse:
    user = request.user
    kampung = selectors.kampung_get(user=user, pk=pk)
    version = selectors.profile_version_get(kampung=kampung, pk=version_pk)
    context = {
        "kampung": kampung,
        "profile": version,
        "names": _shows_names(user, kampung),
    }
    return render(request, "kampung/profile_version.html", context)
