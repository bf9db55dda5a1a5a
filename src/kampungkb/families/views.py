"""The family register pages. Thin views: parse the request, call one selector or service,
render. Objects are read through the selectors (write pages ask for ``EDIT_REGISTER``), so a record
outside the user's scope is not found. Partners and viewers see aggregates only: every page here is
not found for them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.vary import vary_on_headers
from django_htmx.middleware import HtmxDetails

from kampungkb.accounts.decorators import form_page, page
from kampungkb.accounts.scope import Capability, scope_for
from kampungkb.families import forms, selectors, services
from kampungkb.families.models import Family, Sex
from kampungkb.regions.models import Area
from kampungkb.regions.selectors import area_ancestors

EDIT = Capability.EDIT_REGISTER
SEARCH_MAX_LENGTH = 100


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


@contextmanager
def _errors_shown_on(form: Form) -> Iterator[None]:
    """Run a service; a ValidationError it raises goes onto the form, which is shown again."""
    try:
        yield
    except ValidationError as error:
        forms.add_service_errors(form, error)


def _submitted(request: HttpRequest, form: Form) -> bool:
    return request.method == "POST" and form.is_valid()


def _to_family(family: Family) -> HttpResponse:
    return redirect("families:detail", pk=family.pk)


def _render_form(
    request: HttpRequest,
    form: Form,
    *,
    title: str,
    family: Family | None = None,
    template: str = "families/form.html",
    **context: Any,
) -> HttpResponse:
    cancel_url = (
        reverse("families:detail", args=[family.pk]) if family else reverse("families:list")
    )
    context = {"form": form, "title": title, "family": family, "cancel_url": cancel_url, **context}
    return render(request, template, context)


# -- Reading --------------------------------------------------------------------------------------


@page
@vary_on_headers("HX-Request")
def family_list(request: HtmxHttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH]
    area_filter = selectors.family_area_filter(
        user=request.user, area_code=request.GET.get("area") or None
    )
    families = selectors.family_list_rows(
        user=request.user,
        query=query,
        area_code=area_filter.current.code if area_filter.current else None,
    )
    context = {
        "page": Paginator(families, settings.KAMPUNGKB_PAGE_SIZE).get_page(request.GET.get("page")),
        "query": query,
        "area_filter": area_filter,
        "can_register": scope_for(request.user).can(EDIT),
    }
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "families/_family_rows.html", context)
    return render(request, "families/family_list.html", context)


@page
def family_detail(request: HttpRequest, pk: int) -> HttpResponse:
    family = selectors.family_get(user=request.user, pk=pk)
    context = {
        "family": family,
        "area_path": [*area_ancestors(family.area), family.area],
        "members": selectors.family_members(family),
        "couples": selectors.family_couples(family),
        "can_edit": family.is_active and scope_for(request.user).can(EDIT, family.area_id),
        "today": timezone.localdate(),
        "house_labels": _house_labels(),
    }
    return render(request, "families/family_detail.html", context)


def _house_labels() -> dict[str, Any]:
    """The house fields' labels, as the housing form shows them."""
    return {name: field.label for name, field in forms.HousingForm.base_fields.items()}


# -- Families -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AreaPicker:
    """Where a family may be registered or moved to. A cadre's or a PKB's villages, RW and RT fit
    in one select; a district officer picks a village first (by name), then its RW or RT."""

    areas: list[Area] | None  # None: pick a village first
    village: str  # the village picked, "" when none was
    query: str
    villages: list[Area]  # villages found by ``query``


def _area_picker(request: HttpRequest, *, default_village: str = "") -> AreaPicker:
    village = request.GET.get("village")
    areas = selectors.family_area_choices(user=request.user, within=village or None)
    if areas is None and village is None and default_village:
        village = default_village
        areas = selectors.family_area_choices(user=request.user, within=village)
    if village and not areas:
        raise Http404
    query = request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH]
    villages = selectors.village_search(user=request.user, query=query) if areas is None else []
    return AreaPicker(areas=areas, village=village or "", query=query, villages=villages)


def _render_village_step(
    request: HtmxHttpRequest, picker: AreaPicker, *, title: str, family: Family | None = None
) -> HttpResponse:
    context = {"picker": picker, "title": title, "family": family}
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "families/_village_results.html", context)
    return render(request, "families/village_step.html", context)


@form_page
def family_register(request: HtmxHttpRequest) -> HttpResponse:
    if not scope_for(request.user).can(EDIT):
        raise Http404
    title = _("Register a family")
    picker = _area_picker(request)
    if picker.areas is None:
        return _render_village_step(request, picker, title=title)
    form = forms.FamilyRegisterForm(request.POST or None, areas=picker.areas)
    if _submitted(request, form):
        with _errors_shown_on(form):
            family = services.family_register(
                area=form.cleaned_data["area"],
                kk_number=form.cleaned_data["kk_number"],
                address=form.cleaned_data["address"],
                head=form.head_data(),
                actor=request.user,
            )
            name = form.cleaned_data["head_full_name"]
            messages.success(request, _("The family of %(name)s was registered.") % {"name": name})
            return _to_family(family)
    return _render_form(
        request, form, title=title, picker=picker, template="families/family_area_form.html"
    )


@form_page
def family_edit(request: HttpRequest, pk: int) -> HttpResponse:
    family = selectors.family_get(user=request.user, pk=pk, capability=EDIT)
    initial = {"kk_number": family.kk_number, "address": family.address}
    form = forms.FamilyEditForm(request.POST or None, initial=initial)
    if _submitted(request, form):
        with _errors_shown_on(form):
            services.family_update(family=family, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The family data was saved."))
            return _to_family(family)
    return _render_form(request, form, title=_("Edit family data"), family=family)


def _village_of(area_code: str) -> str:
    """The village code of an area at village level or below (``PP.KK.CC.XDDD``)."""
    return ".".join(area_code.split(".")[:4])


@form_page
def family_move(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    family = selectors.family_get(user=request.user, pk=pk, capability=EDIT)
    title = _("Move the family")
    picker = _area_picker(request, default_village=_village_of(family.area_id))
    if picker.areas is None:
        return _render_village_step(request, picker, title=title, family=family)
    form = forms.FamilyMoveForm(request.POST or None, areas=picker.areas)
    if _submitted(request, form):
        with _errors_shown_on(form):
            services.family_move(family=family, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The family was moved."))
            return _to_family(family)
    return _render_form(
        request,
        form,
        title=title,
        family=family,
        picker=picker,
        template="families/family_area_form.html",
    )


@form_page
def family_housing(request: HttpRequest, pk: int) -> HttpResponse:
    family = selectors.family_get(user=request.user, pk=pk, capability=EDIT)
    form = forms.HousingForm(request.POST or None, family=family, today=timezone.localdate())
    if _submitted(request, form):
        with _errors_shown_on(form):
            services.family_housing_update(
                family=family, data=form.housing_data(), actor=request.user
            )
            messages.success(request, _("The house was recorded."))
            return _to_family(family)
    return _render_form(
        request,
        form,
        title=_("Record the house"),
        family=family,
        intro=_("Leave an answer blank when it is not known."),
    )


@form_page
def family_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    family = selectors.family_get(user=request.user, pk=pk, capability=EDIT)
    form = forms.FamilyDeactivateForm(request.POST or None)
    if _submitted(request, form):
        with _errors_shown_on(form):
            services.family_deactivate(family=family, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The family was taken off the active register."))
            return redirect("families:list")
    return _render_form(
        request,
        form,
        title=_("Deactivate the family"),
        family=family,
        intro=_(
            "The family stays in the database with its history but no longer appears in lists "
            "and counts."
        ),
        submit_label=_("Deactivate"),
    )


# -- Members --------------------------------------------------------------------------------------


@form_page
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    family = selectors.family_get(user=request.user, pk=pk, capability=EDIT)
    form = forms.PersonForm(request.POST or None)
    if _submitted(request, form):
        with _errors_shown_on(form):
            person = services.person_add(family=family, data=form.person_data(), actor=request.user)
            messages.success(
                request, _("%(name)s was added to the family.") % {"name": person.full_name}
            )
            return _to_family(family)
    return _render_form(request, form, title=_("Add a member"), family=family)


@form_page
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_get(user=request.user, pk=pk, capability=EDIT)
    form = forms.PersonEditForm(request.POST or None, person=person)
    if _submitted(request, form):
        with _errors_shown_on(form):
            services.person_update(person=person, data=form.person_data(), actor=request.user)
            messages.success(request, _("The data of %(name)s was saved.") % {"name": person})
            return _to_family(person.family)
    return _render_form(
        request, form, title=_("Edit member data"), family=person.family, subject=person
    )


@form_page
def member_death(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_get(user=request.user, pk=pk, capability=EDIT)
    form = forms.DeathForm(request.POST or None)
    if _submitted(request, form):
        with _errors_shown_on(form):
            services.person_record_death(
                person=person, died_on=form.cleaned_data["died_on"], actor=request.user
            )
            messages.success(request, _("The death of %(name)s was recorded.") % {"name": person})
            return _to_family(person.family)
    return _render_form(
        request,
        form,
        title=_("Record a death"),
        family=person.family,
        subject=person,
        intro=_("A marriage of this person ends on this date; the spouse becomes a widow(er)."),
    )


@form_page
def birth_add(request: HttpRequest, pk: int) -> HttpResponse:
    family = selectors.family_get(user=request.user, pk=pk, capability=EDIT)
    form = forms.BirthForm(
        request.POST or None,
        mothers=selectors.family_living_members(family, sex=Sex.FEMALE),
        initial={"mother": request.GET.get("mother")},
    )
    if _submitted(request, form):
        with _errors_shown_on(form):
            child = services.birth_record(actor=request.user, **form.cleaned_data)
            messages.success(request, _("The birth of %(name)s was recorded.") % {"name": child})
            return _to_family(family)
    return _render_form(
        request,
        form,
        title=_("Record a birth"),
        family=family,
        intro=_("The mother's ongoing pregnancy is closed as a live birth."),
    )


# -- Couples and pregnancies ----------------------------------------------------------------------


@form_page
def couple_add(request: HttpRequest, pk: int) -> HttpResponse:
    family = selectors.family_get(user=request.user, pk=pk, capability=EDIT)
    form = forms.CoupleForm(
        request.POST or None,
        wives=selectors.family_unmarried_women(family),
        husbands=selectors.family_living_members(family, sex=Sex.MALE),
    )
    if _submitted(request, form):
        with _errors_shown_on(form):
            services.couple_register(actor=request.user, **form.cleaned_data)
            messages.success(request, _("The marriage was recorded."))
            return _to_family(family)
    return _render_form(request, form, title=_("Record a marriage"), family=family)


@form_page
def couple_divorce(request: HttpRequest, pk: int) -> HttpResponse:
    couple = selectors.couple_get(user=request.user, pk=pk, capability=EDIT)
    form = forms.DivorceForm(request.POST or None)
    if _submitted(request, form):
        with _errors_shown_on(form):
            services.couple_divorce(
                couple=couple, on=form.cleaned_data["ended_on"], actor=request.user
            )
            messages.success(request, _("The divorce was recorded."))
            return _to_family(couple.wife.family)
    return _render_form(
        request, form, title=_("Record a divorce"), family=couple.wife.family, subject=couple
    )


@form_page
def couple_intention(request: HttpRequest, pk: int) -> HttpResponse:
    couple = selectors.couple_get(user=request.user, pk=pk, capability=EDIT)
    form = forms.IntentionForm(
        request.POST or None,
        today=timezone.localdate(),
        initial={"intention": couple.fertility_intention or None},
    )
    if _submitted(request, form):
        with _errors_shown_on(form):
            services.fertility_intention_record(
                couple=couple,
                intention=form.cleaned_data["intention"],
                on=form.cleaned_data["on"],
                actor=request.user,
            )
            messages.success(request, _("The fertility intention was recorded."))
            return _to_family(couple.wife.family)
    return _render_form(
        request,
        form,
        title=_("Record the fertility intention"),
        family=couple.wife.family,
        subject=couple,
    )


@form_page
def pregnancy_add(request: HttpRequest, pk: int) -> HttpResponse:
    couple = selectors.couple_get(user=request.user, pk=pk, capability=EDIT)
    form = forms.PregnancyForm(request.POST or None, today=timezone.localdate())
    if _submitted(request, form):
        with _errors_shown_on(form):
            services.pregnancy_record(couple=couple, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The pregnancy was recorded."))
            return _to_family(couple.wife.family)
    return _render_form(
        request, form, title=_("Record a pregnancy"), family=couple.wife.family, subject=couple
    )


@form_page
def pregnancy_end(request: HttpRequest, pk: int) -> HttpResponse:
    pregnancy = selectors.pregnancy_get(user=request.user, pk=pk, capability=EDIT)
    family = pregnancy.couple.wife.family
    form = forms.PregnancyEndForm(request.POST or None)
    if _submitted(request, form):
        with _errors_shown_on(form):
            services.pregnancy_end(pregnancy=pregnancy, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The end of the pregnancy was recorded."))
            return _to_family(family)
    return _render_form(
        request,
        form,
        title=_("End of a pregnancy"),
        family=family,
        subject=pregnancy.couple,
        intro=_("For a live birth, record the birth of the child instead."),
    )
