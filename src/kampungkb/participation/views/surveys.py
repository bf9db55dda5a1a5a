"""The survey pages (decision 0031).

- Instruments: every role that sees aggregates reads them; district officers and admins
  (``surveys_services.can_build``) create, edit items, reorder and copy to a new version.
- Surveys of an area: scores, Cronbach's alpha and the record-based index side by side, for
  every role that sees aggregates of the area; the respondents by name only for roles that see
  persons. Drawing a sample, answering and importing need ``EDIT_PROGRAMME`` in the area.
- The phone form: one respondent, every item as five large radio buttons.
Anything outside the user's areas is not found.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from pyxform.errors import PyXFormError

from kampungkb.accounts.decorators import needs
from kampungkb.accounts.scope import (
    Capability,
    area_or_404,
    area_or_first_root,
    scope_for,
)
from kampungkb.cadres.views.common import area_options
from kampungkb.families.forms import add_service_errors
from kampungkb.participation import surveys_exports as exports
from kampungkb.participation import surveys_forms as forms
from kampungkb.participation import surveys_selectors as selectors
from kampungkb.participation import surveys_services as services
from kampungkb.participation.models import Item
from kampungkb.participation.surveys_xlsform import LIKERT_LABELS, survey_xlsform

VIEW = Capability.VIEW_AGGREGATES
NAMED = Capability.VIEW_PERSONS
EDIT = Capability.EDIT_PROGRAMME

reader = needs(VIEW, ["GET"])
editor = needs(EDIT, ["GET", "POST"])


def _save(form: Any, write: Any) -> Any:
    try:
        return write()
    except ValidationError as error:
        add_service_errors(form, error)
        return None


def _builder(request: HttpRequest) -> None:
    if not services.can_build(request.user):
        raise Http404


def _form_page(
    request: HttpRequest, form: Any, *, title: str, cancel_url: str, **extra: Any
) -> HttpResponse:
    context = {"form": form, "title": title, "cancel_url": cancel_url, **extra}
    return render(request, "participation/survey_form.html", context)


# -- Instruments --------------------------------------------------------------------------------


@reader
def instrument_list(request: HttpRequest) -> HttpResponse:
    context = {
        "instruments": selectors.instrument_list(),
        "can_build": services.can_build(request.user),
    }
    return render(request, "participation/survey_instruments.html", context)


@needs(EDIT, ["GET", "POST"])
def instrument_create(request: HttpRequest) -> HttpResponse:
    _builder(request)
    form = forms.InstrumentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        instrument = _save(
            form,
            lambda: services.instrument_create(
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                actor=request.user,
            ),
        )
        if instrument is not None:
            messages.success(request, _("The instrument was created."))
            return redirect("participation:instrument", pk=instrument.pk)
    return _form_page(
        request,
        form,
        title=_("New survey instrument"),
        cancel_url=reverse("participation:instruments"),
    )


@reader
def instrument_detail(request: HttpRequest, pk: int) -> HttpResponse:
    instrument = selectors.instrument_get(pk=pk)
    can_build = services.can_build(request.user)
    context = {
        "instrument": instrument,
        "items": list(instrument.items.all()),
        "can_build": can_build,
        "frozen": services.is_frozen(instrument),
        "likert": LIKERT_LABELS,
    }
    return render(request, "participation/survey_instrument.html", context)


@editor
def instrument_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _builder(request)
    instrument = selectors.instrument_get(pk=pk)
    form = forms.InstrumentForm(
        request.POST or None,
        initial={"name": instrument.name, "description": instrument.description},
    )
    if request.method == "POST" and form.is_valid():
        done = _save(
            form,
            lambda: services.instrument_update(
                instrument=instrument,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                actor=request.user,
            ),
        )
        if done is not None:
            return redirect("participation:instrument", pk=instrument.pk)
    return _form_page(
        request,
        form,
        title=_("Edit %(name)s") % {"name": instrument},
        cancel_url=reverse("participation:instrument", args=[instrument.pk]),
    )


@needs(EDIT, ["POST"])
def instrument_copy(request: HttpRequest, pk: int) -> HttpResponse:
    _builder(request)
    instrument = selectors.instrument_get(pk=pk)
    copy = services.instrument_copy(instrument=instrument, actor=request.user)
    messages.success(request, _("Version %(version)s was made.") % {"version": copy.version})
    return redirect("participation:instrument", pk=copy.pk)


@editor
def item_add(request: HttpRequest, pk: int) -> HttpResponse:
    _builder(request)
    instrument = selectors.instrument_get(pk=pk)
    form = forms.ItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        item = _save(
            form,
            lambda: services.item_add(
                instrument=instrument, data=form.data_out(), actor=request.user
            ),
        )
        if item is not None:
            return redirect("participation:instrument", pk=instrument.pk)
    return _form_page(
        request,
        form,
        title=_("New item of %(name)s") % {"name": instrument},
        cancel_url=reverse("participation:instrument", args=[instrument.pk]),
    )


@editor
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _builder(request)
    item = get_object_or_404(Item.objects.select_related("instrument"), pk=pk)
    form = forms.ItemForm(request.POST or None, initial=forms.ItemForm.initial_of(item))
    if request.method == "POST" and form.is_valid():
        done = _save(
            form, lambda: services.item_update(item=item, data=form.data_out(), actor=request.user)
        )
        if done is not None:
            return redirect("participation:instrument", pk=item.instrument_id)
    return _form_page(
        request,
        form,
        title=_("Item %(code)s") % {"code": item.code},
        cancel_url=reverse("participation:instrument", args=[item.instrument_id]),
    )


def _frozen_or(request: HttpRequest, write: Any) -> None:
    try:
        write()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)


@needs(EDIT, ["POST"])
def item_move(request: HttpRequest, pk: int) -> HttpResponse:
    _builder(request)
    item = get_object_or_404(Item.objects.select_related("instrument"), pk=pk)
    step = -1 if request.POST.get("step") == "up" else 1
    _frozen_or(request, lambda: services.item_move(item=item, step=step, actor=request.user))
    return redirect("participation:instrument", pk=item.instrument_id)


@needs(EDIT, ["POST"])
def item_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _builder(request)
    item = get_object_or_404(Item.objects.select_related("instrument"), pk=pk)
    _frozen_or(request, lambda: services.item_delete(item=item, actor=request.user))
    return redirect("participation:instrument", pk=item.instrument_id)


# -- Surveys ------------------------------------------------------------------------------------


@reader
def survey_list(request: HttpRequest) -> HttpResponse:
    area = area_or_first_root(request.user, request.GET.get("area") or None, VIEW)
    context = {
        "area": area,
        "area_options": area_options(request.user, area, VIEW),
        "surveys": list(selectors.survey_list(user=request.user, area=area)),
        "can_draw": scope_for(request.user).can(EDIT, area.code),
    }
    return render(request, "participation/survey_list.html", context)


@editor
def survey_create(request: HttpRequest) -> HttpResponse:
    area = area_or_404(request.user, request.GET.get("area") or "", EDIT)
    form = forms.SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        survey = _save(
            form,
            lambda: services.survey_create(
                instrument=d["instrument"],
                area=area,
                month=d["month"],
                sample_size=d["sample_size"],
                draw=d["draw"],
                seed=d["seed"],
                drawn_on=d["drawn_on"],
                actor=request.user,
            ),
        )
        if survey is not None:
            messages.success(request, _("The sample was drawn."))
            return redirect("participation:survey", pk=survey.pk)
    return _form_page(
        request,
        form,
        title=_("New survey in %(area)s") % {"area": area},
        cancel_url=f"{reverse('participation:surveys')}?area={area.code}",
    )


@reader
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    survey = selectors.survey_get(user=request.user, pk=pk)
    results = selectors.survey_results(survey)
    if request.GET.get("format") == "xlsx":
        return exports.results_response(results)
    scope = scope_for(request.user)
    named = scope.can(NAMED)
    respondents = list(selectors.respondent_list(user=request.user, survey=survey)) if named else []
    context = {
        "survey": survey,
        "results": results,
        "respondents": respondents,
        "can_answer": scope.can(EDIT, survey.area_id),
        "named": named,
    }
    return render(request, "participation/survey_detail.html", context)


@needs(EDIT, ["GET"])
def survey_xlsform_download(request: HttpRequest, pk: int) -> HttpResponse:
    survey = selectors.survey_get(user=request.user, pk=pk, capability=EDIT)
    try:
        form = survey_xlsform(survey)
    except PyXFormError as exc:  # pragma: no cover - the form is built to be valid
        raise Http404 from exc
    response = exports.xlsx(form.form_id, form.content)
    return response


@editor
def survey_import(request: HttpRequest, pk: int) -> HttpResponse:
    survey = selectors.survey_get(user=request.user, pk=pk, capability=EDIT)
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        result = _save(
            form,
            lambda: services.answers_import(
                survey=survey, content=form.content(), actor=request.user
            ),
        )
        if result is not None:
            messages.success(
                request,
                _("Imported: %(answered)s answered, %(refused)s refused, %(missing)s not found.")
                % {
                    "answered": result.answered,
                    "refused": result.refused,
                    "missing": result.not_found,
                },
            )
            return redirect("participation:survey", pk=survey.pk)
    return _form_page(
        request,
        form,
        title=_("Import answers of %(survey)s") % {"survey": survey},
        cancel_url=reverse("participation:survey", args=[survey.pk]),
        multipart=True,
    )


@editor
def survey_answer(request: HttpRequest, pk: int, respondent: int) -> HttpResponse:
    survey = selectors.survey_get(user=request.user, pk=pk, capability=EDIT)
    person = selectors.respondent_get(
        user=request.user, survey=survey, pk=respondent, capability=EDIT
    )
    items = list(survey.instrument.items.order_by("order", "pk"))
    initial: dict[str, Any] = {}
    if person.status != "pending":
        initial = {"status": person.status, **selectors.respondent_answers(person)}
    form = forms.AnswerForm(request.POST or None, items=items, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = _save(
            form,
            lambda: services.respondent_answer(
                respondent=person,
                status=form.cleaned_data["status"],
                answers=form.answers(),
                actor=request.user,
            ),
        )
        if done is not None:
            messages.success(
                request, _("The answers of %(code)s were saved.") % {"code": person.code}
            )
            following = survey.respondents.filter(
                position__gt=person.position, status="pending"
            ).first()
            if following is not None and scope_for(request.user).can(EDIT, following.area_id):
                return redirect(
                    "participation:survey_answer", pk=survey.pk, respondent=following.pk
                )
            return redirect("participation:survey", pk=survey.pk)
    context = {"survey": survey, "respondent": person, "form": form}
    return render(request, "participation/survey_answer.html", context)
