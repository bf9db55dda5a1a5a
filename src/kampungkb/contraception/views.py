"""The contraceptive services pages: a couple's history, recording a visit or a follow-up, the
follow-up lists (due, overdue, dropped out) with their exports, facilities and the method
catalogue. Thin views: parse the request, call one selector or service, render. Records are read
through scoped selectors, so anything outside the user's area is not found; partners and viewers
(aggregates only) find no page with names here, only the catalogue and the facilities."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from kampungkb.accounts.decorators import form_page, page
from kampungkb.accounts.scope import Capability, scope_for, scoped
from kampungkb.contraception import exports, forms, selectors, services
from kampungkb.contraception.engine import Status
from kampungkb.contraception.models import Episode, Facility, Method
from kampungkb.families import selectors as family_selectors
from kampungkb.families.forms import add_service_errors
from kampungkb.families.models import Couple
from kampungkb.families.views import HtmxHttpRequest
from kampungkb.regions.models import Area, Level

EDIT = Capability.EDIT_REGISTER
DUE_DAYS = 14
DROPOUT_MONTHS = 3
# More areas than this (a national user) and the facility form asks for an area code instead.
FACILITY_AREA_CHOICES_LIMIT = 300


def _next_url(request: HttpRequest) -> str | None:
    """Where to go back to after a form (a list the form was opened from), if it is ours."""
    url = request.POST.get("next") or request.GET.get("next")
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return None


# -- A couple's history ---------------------------------------------------------------------------

STATUS_LABELS = {
    Status.PREGNANT: gettext_lazy("Not using a method: pregnant"),
    Status.WANTS_CHILD_SOON: gettext_lazy("Not using a method: wants a child soon"),
    Status.DELAY: gettext_lazy("Not using a method: wants to delay (IAT)"),
    Status.NO_MORE: gettext_lazy("Not using a method: wants no more children (TIAL)"),
    Status.UNKNOWN: gettext_lazy("Not using a method: reason not recorded"),
}


@page
def couple_detail(request: HttpRequest, pk: int) -> HttpResponse:
    couple = family_selectors.couple_get(user=request.user, pk=pk)
    today = timezone.localdate()
    status = services.couple_status_on(couple, today)
    methods = {m.code: m for m in selectors.method_list(include_inactive=True)}
    context = {
        "couple": couple,
        "family": couple.wife.family,
        "today": today,
        "status": status,
        "status_method": methods.get(status.method or ""),
        "status_label": STATUS_LABELS.get(status.status),
        "episodes": selectors.couple_episodes_stored(couple),
        "visits": selectors.couple_visits(couple),
        "follow_ups": selectors.couple_follow_ups(couple),
        "can_edit": couple.status == "married"
        and scope_for(request.user).can(EDIT, couple.wife.family.area_id),
    }
    return render(request, "contraception/couple_detail.html", context)


# -- Recording a visit or a follow-up -------------------------------------------------------------


def _after_save(request: HttpRequest, couple: Couple) -> HttpResponse:
    return redirect(_next_url(request) or reverse("contraception:couple", args=[couple.pk]))


def _render_form(
    request: HttpRequest, form: Any, *, couple: Couple, title: str, **context: Any
) -> HttpResponse:
    back = _next_url(request) or reverse("contraception:couple", args=[couple.pk])
    context = {
        "form": form,
        "couple": couple,
        "title": title,
        "next": _next_url(request) or "",
        "cancel_url": back,
        **context,
    }
    return render(request, "contraception/form.html", context)


@form_page
@vary_on_headers("HX-Request")
def visit_new(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    couple = family_selectors.couple_get(user=request.user, pk=pk, capability=EDIT)
    form = forms.VisitForm(
        request.POST or None,
        methods=selectors.method_list(),
        facilities=selectors.facility_list(user=request.user),
        today=timezone.localdate(),
        initial={key: request.GET[key] for key in ("method", "kind") if request.GET.get(key)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.visit_record(
                couple=couple,
                visited_on=data["visited_on"],
                method=data["method"],
                kind=data["kind"],
                quantity=data["quantity"],
                facility=data["facility"],
                provider=data["provider"],
                consent_recorded=data["consent_recorded"],
                stop_reason=data["stop_reason"],
                notes=data["notes"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The visit of %(name)s was recorded.") % {"name": couple.wife.full_name},
            )
            return _after_save(request, couple)
    return _render_form(request, form, couple=couple, title=_("Record a visit"), visit_form=True)


@form_page
def followup_new(request: HttpRequest, pk: int) -> HttpResponse:
    couple = family_selectors.couple_get(user=request.user, pk=pk, capability=EDIT)
    episode = None
    if request.GET.get("episode"):
        try:
            episode = selectors.couple_episode_find(couple, int(request.GET["episode"]))
        except ValueError:
            episode = None
        if episode is None:
            raise Http404
    form = forms.FollowUpForm(request.POST or None, today=timezone.localdate())
    if request.method == "POST" and form.is_valid():
        try:
            services.followup_record(
                couple=couple, episode=episode, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The follow-up of %(name)s was recorded.") % {"name": couple.wife.full_name},
            )
            return _after_save(request, couple)
    return _render_form(
        request, form, couple=couple, title=_("Record a follow-up"), episode=episode
    )


# -- The follow-up lists --------------------------------------------------------------------------


@dataclass(frozen=True)
class FollowUpList:
    name: str
    title: Any
    intro: Any
    has_range: bool


LISTS = {
    "due": FollowUpList(
        "due",
        gettext_lazy("Due for a visit"),
        gettext_lazy("Users whose next visit falls due in the period."),
        has_range=True,
    ),
    "overdue": FollowUpList(
        "overdue",
        gettext_lazy("Overdue"),
        gettext_lazy("Users past their due date and its grace period, not yet dropped out."),
        has_range=False,
    ),
    "dropouts": FollowUpList(
        "dropouts",
        gettext_lazy("Drop-outs"),
        gettext_lazy("Users who dropped out in the period and have not started again."),
        has_range=True,
    ),
}


def _date_param(request: HttpRequest, name: str, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get(name, ""))
    except ValueError:
        return default


def _list_range(request: HttpRequest, name: str, today: dt.date) -> tuple[dt.date, dt.date]:
    if name == "due":
        default_from, default_to = today, today + dt.timedelta(days=DUE_DAYS)
    else:
        default_from, default_to = today - dt.timedelta(days=DROPOUT_MONTHS * 30), today
    date_from = _date_param(request, "from", default_from)
    date_to = _date_param(request, "to", default_to)
    return (date_from, date_to) if date_from <= date_to else (date_to, date_from)


def _list_episodes(
    request: HttpRequest, name: str, *, area_code: str | None, today: dt.date
) -> tuple[QuerySet[Episode], dict[str, Any]]:
    user = request.user
    if name == "overdue":
        return selectors.overdue_list(user=user, on=today, area_code=area_code), {"on": today}
    date_from, date_to = _list_range(request, name, today)
    select = selectors.due_list if name == "due" else selectors.dropout_list
    episodes = select(user=user, date_from=date_from, date_to=date_to, area_code=area_code)
    return episodes, {"date_from": date_from, "date_to": date_to}


def _follow_up_list(request: HtmxHttpRequest, name: str) -> HttpResponse:
    listing = LISTS[name]
    today = timezone.localdate()
    area_filter = family_selectors.family_area_filter(
        user=request.user, area_code=request.GET.get("area") or None
    )
    area_code = area_filter.current.code if area_filter.current else None
    episodes, period = _list_episodes(request, name, area_code=area_code, today=today)
    episodes = exports.with_row_relations(episodes)
    file_format = request.GET.get("format")
    if file_format in ("csv", "xlsx"):
        rows = exports.follow_up_rows(episodes)
        exports.export_audit(
            actor=request.user,
            list_name=name,
            file_format=file_format,
            area_code=area_code or "",
            rows=len(rows),
            **{key: value.isoformat() for key, value in period.items()},
        )
        filename = f"kampungkb-{name}-{today.isoformat()}"
        if file_format == "csv":
            return exports.csv_response(filename, rows)
        return exports.xlsx_response(filename, str(listing.title), rows)
    paginated = Paginator(episodes, settings.KAMPUNGKB_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "listing": listing,
        "page": paginated,
        "rows": exports.follow_up_rows(paginated.object_list),
        "area_filter": area_filter,
        "today": today,
        "can_edit": scope_for(request.user).can(EDIT),
        "show_lists": True,
        **period,
    }
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "contraception/_follow_up_rows.html", context)
    return render(request, "contraception/follow_up_list.html", context)


@page
@vary_on_headers("HX-Request")
def due_list(request: HtmxHttpRequest) -> HttpResponse:
    return _follow_up_list(request, "due")


@page
@vary_on_headers("HX-Request")
def overdue_list(request: HtmxHttpRequest) -> HttpResponse:
    return _follow_up_list(request, "overdue")


@page
@vary_on_headers("HX-Request")
def dropout_list(request: HtmxHttpRequest) -> HttpResponse:
    return _follow_up_list(request, "dropouts")


# -- Facilities and the method catalogue (no names: every role may read them) ---------------------


@login_required
@require_GET
def facility_list(request: HttpRequest) -> HttpResponse:
    facilities = selectors.facility_list(user=request.user, include_inactive=True)
    context = {
        "page": Paginator(facilities, settings.KAMPUNGKB_PAGE_SIZE).get_page(
            request.GET.get("page")
        ),
        "can_edit": scope_for(request.user).can(Capability.EDIT_AREAS),
        "show_lists": scope_for(request.user).can(Capability.VIEW_PERSONS),
    }
    return render(request, "contraception/facility_list.html", context)


def _facility_areas(user: Any) -> tuple[list[Area] | None, QuerySet[Area]]:
    """Sub-districts and villages where the user may place a facility; None when too many for
    one select."""
    qs = scoped(
        user,
        Area.objects.filter(level__in=[Level.DISTRICT, Level.VILLAGE], is_active=True),
        Capability.EDIT_AREAS,
    ).order_by("code")
    areas = list(qs[: FACILITY_AREA_CHOICES_LIMIT + 1])
    return (None if len(areas) > FACILITY_AREA_CHOICES_LIMIT else areas), qs


def _facility_form(request: HttpRequest, facility: Facility | None) -> HttpResponse:
    areas, area_queryset = _facility_areas(request.user)
    initial: dict[str, Any] = {}
    if facility is not None:
        initial = {
            "name": facility.name,
            "kind": facility.kind,
            "ownership": facility.ownership,
            "has_jkn_contract": facility.has_jkn_contract,
            "area": facility.area_id,
        }
    form = forms.FacilityForm(
        request.POST or None,
        areas=areas,
        area_queryset=area_queryset,
        editing=facility is not None,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            if facility is None:
                facility = services.facility_create(actor=request.user, **form.cleaned_data)
            else:
                services.facility_update(facility=facility, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The facility %(name)s was saved.") % {"name": facility})
            return redirect("contraception:facilities")
    title = _("Add a facility") if facility is None else _("Edit the facility")
    context = {
        "form": form,
        "title": title,
        "subject": facility,
        "cancel_url": reverse("contraception:facilities"),
    }
    return render(request, "contraception/form.html", context)


def _officer(user: Any) -> None:
    if not scope_for(user).can(Capability.EDIT_AREAS):
        raise Http404


@login_required
@require_http_methods(["GET", "POST"])
def facility_new(request: HttpRequest) -> HttpResponse:
    _officer(request.user)
    return _facility_form(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def facility_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _officer(request.user)
    facility = selectors.facility_get(user=request.user, pk=pk, capability=Capability.EDIT_AREAS)
    return _facility_form(request, facility)


@login_required
@require_GET
def method_list(request: HttpRequest) -> HttpResponse:
    methods: QuerySet[Method] = selectors.method_list()
    context = {
        "methods": methods,
        "show_lists": scope_for(request.user).can(Capability.VIEW_PERSONS),
    }
    return render(request, "contraception/method_list.html", context)
