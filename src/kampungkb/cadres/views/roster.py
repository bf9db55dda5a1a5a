"""The roster pages: the list (filters, alerts, exports), registering a cadre, the cadre page,
edit and deactivate, the yearly K/0 re-registration tick list, TPK teams.

Reading names needs ``Capability.VIEW_PERSONS`` in the area a cadre serves; writing
``Capability.EDIT_PROGRAMME`` there. Anything outside the user's areas is not found.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.vary import vary_on_headers

from kampungkb.accounts.scope import area_or_404, scope_for, scoped
from kampungkb.cadres import exports, forms, meetings_selectors, selectors, services
from kampungkb.cadres.models import CadreRole
from kampungkb.cadres.views.common import (
    EDIT,
    NAMED,
    SEARCH_MAX_LENGTH,
    area_options,
    editor,
    named_reader,
    render_form,
    save,
)
from kampungkb.families.views import HtmxHttpRequest
from kampungkb.regions.models import Area, Level
from kampungkb.regions.selectors import subtree_q

STATUSES = ("active", "inactive", "all")
ALERTS_SHOWN = 20


def _area_param(request: HttpRequest, capability: Any = NAMED) -> Area | None:
    code = request.GET.get("area") or None
    return area_or_404(request.user, code, capability) if code else None


@named_reader
@vary_on_headers("HX-Request")
def cadre_list(request: HtmxHttpRequest) -> HttpResponse:
    area = _area_param(request)
    role = request.GET.get("role") or None
    if role not in CadreRole.values:
        role = None
    status = request.GET.get("status") or "active"
    if status not in STATUSES:
        status = "active"
    query = request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH]
    cadres = selectors.roster(
        user=request.user,
        area_code=area.code if area else None,
        role=role,
        status=status,
        query=query,
    )
    file_format = request.GET.get("format")
    if file_format in ("csv", "xlsx"):
        return exports.roster_export(
            file_format=file_format,
            filename=f"kampungkb-kader-{timezone.localdate().isoformat()}",
            cadres=list(cadres),
            actor=request.user,
            area_code=area.code if area else "",
        )
    alerts = list(
        selectors.areas_without_cadre(user=request.user, within=area.code if area else None)[
            : ALERTS_SHOWN + 1
        ]
    )
    context = {
        "page": Paginator(cadres, settings.KAMPUNGKB_PAGE_SIZE).get_page(request.GET.get("page")),
        "area": area,
        "area_options": area_options(request.user, area, NAMED),
        "role": role,
        "roles": CadreRole.choices,
        "status": status,
        "query": query,
        "alerts": alerts[:ALERTS_SHOWN],
        "more_alerts": len(alerts) > ALERTS_SHOWN,
        "year": timezone.localdate().year,
        "can_edit": scope_for(request.user).can(EDIT),
    }
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "cadres/_cadre_rows.html", context)
    return render(request, "cadres/cadre_list.html", context)


def _teams_for(request: HttpRequest, village: str) -> Any:
    return selectors.team_choices(user=request.user).filter(village_id=village)


@editor
@vary_on_headers("HX-Request")
def cadre_new(request: HtmxHttpRequest) -> HttpResponse:
    """Step 1 finds the person (by name or NIK start, htmx); step 2 (``?person=<id>``) gives the
    role, the area served in the person's village and the decree."""
    person_id = request.GET.get("person", "")
    if not person_id.isdigit():
        query = request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH]
        candidates = selectors.person_candidates(user=request.user, query=query)[:20]
        context = {"query": query, "candidates": candidates}
        if request.htmx and not request.htmx.history_restore_request:
            return render(request, "cadres/_person_results.html", context)
        return render(request, "cadres/person_step.html", context)
    person = selectors.person_for_roster(user=request.user, pk=int(person_id))
    village = services.village_code(person.family.area_id)
    areas = scoped(
        request.user,
        Area.objects.filter(subtree_q("code", [village]), level__gte=Level.VILLAGE, is_active=True),
        EDIT,
    ).select_related("parent__parent")
    form = forms.CadreForm(
        request.POST or None,
        areas=list(areas.order_by("code")),
        teams=_teams_for(request, village),
        accounts=selectors.account_choices(area=person.family.area),
        initial={"started_on": timezone.localdate(), "phone": person.phone},
    )
    if request.method == "POST" and form.is_valid():
        cadre = save(
            form,
            lambda: services.cadre_register(
                person=person, data=form.cadre_data(), actor=request.user
            ),
        )
        if cadre is not None:
            messages.success(request, _("%(name)s is on the roster.") % {"name": person})
            return redirect("cadres:detail", pk=cadre.pk)
    return render_form(
        request,
        form,
        title=_("Register a cadre"),
        cancel_url=reverse("cadres:new"),
        subject=person,
    )


@named_reader
def cadre_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cadre = selectors.cadre_get(user=request.user, pk=pk)
    tests = list(selectors.cadre_tests(cadre))
    activities = selectors.cadre_activities(cadre, user=request.user)
    today = timezone.localdate()
    context = {
        "cadre": cadre,
        "visits": selectors.cadre_home_visits(cadre, user=request.user, today=today),
        "referrals": selectors.cadre_referrals(cadre, user=request.user, today=today),
        "incentives": selectors.cadre_incentives(cadre, user=request.user, today=today),
        "registrations": selectors.cadre_registrations(cadre),
        "activities": activities,
        "trainings": [a for a in activities if a.kind == "training"],
        "meetings": meetings_selectors.cadre_meetings(cadre, user=request.user),
        "tests": [(t, selectors.is_certified(t)) for t in tests],
        "other_roles": selectors.roster(user=request.user, status="all")
        .filter(person_id=cadre.person_id)
        .exclude(pk=cadre.pk),
        "can_edit": scope_for(request.user).can(EDIT, cadre.area_id),
        "year": today.year,
        "pass_mark": selectors.pass_mark(),
    }
    return render(request, "cadres/cadre_detail.html", context)


@editor
def cadre_edit(request: HttpRequest, pk: int) -> HttpResponse:
    cadre = selectors.cadre_get(user=request.user, pk=pk, capability=EDIT)
    accounts = selectors.account_choices(area=cadre.area)
    if cadre.account_id is not None:
        # The linked login stays choosable (to keep it) even if it no longer qualifies.
        accounts = accounts | get_user_model().objects.filter(pk=cadre.account_id)
    form = forms.CadreForm(
        request.POST or None,
        areas=None,
        teams=_teams_for(request, services.village_code(cadre.area_id)),
        accounts=accounts,
        initial={
            "started_on": cadre.started_on,
            "decree_number": cadre.decree_number,
            "decree_date": cadre.decree_date,
            "phone": cadre.phone,
            "tpk_team": cadre.tpk_team_id,
            "team_role": cadre.team_role,
            "account": cadre.account_id,
        },
    )
    if request.method == "POST" and form.is_valid():
        saved = save(
            form,
            lambda: services.cadre_update(
                cadre=cadre, data=form.cadre_data(cadre), actor=request.user
            ),
        )
        if saved is not None:
            messages.success(request, _("The cadre was saved."))
            return redirect("cadres:detail", pk=cadre.pk)
    return render_form(
        request,
        form,
        title=_("Edit the cadre"),
        cancel_url=reverse("cadres:detail", args=[cadre.pk]),
        subject=cadre,
    )


@editor
def cadre_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    cadre = selectors.cadre_get(user=request.user, pk=pk, capability=EDIT)
    form = forms.DeactivateForm(request.POST or None, initial={"ended_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        saved = save(
            form,
            lambda: services.cadre_deactivate(
                cadre=cadre,
                ended_on=form.cleaned_data["ended_on"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
            ),
        )
        if saved is not None:
            messages.success(request, _("The cadre was deactivated."))
            return redirect("cadres:detail", pk=cadre.pk)
    return render_form(
        request,
        form,
        title=_("Deactivate the cadre"),
        cancel_url=reverse("cadres:detail", args=[cadre.pk]),
        subject=cadre,
        intro=_("The cadre stays on the roster as inactive, with the history of tests."),
        submit_label=_("Deactivate"),
    )


@editor
def reregister(request: HttpRequest) -> HttpResponse:
    """The yearly K/0 re-registration: every active cadre not yet re-registered this year, with a
    tick box; the ticked ones are re-registered together."""
    year = timezone.localdate().year
    area = _area_param(request, EDIT)
    due = selectors.due_for_reregistration(
        user=request.user, year=year, area_code=area.code if area else None
    )
    form = forms.ReregisterForm(
        request.POST or None, due=due, initial={"registered_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        done = save(
            form,
            lambda: services.cadre_reregister_many(
                cadres=list(form.cleaned_data["cadres"]),
                year=year,
                registered_on=form.cleaned_data["registered_on"],
                actor=request.user,
            ),
        )
        if done is not None:
            messages.success(
                request,
                _("%(count)s cadres re-registered for %(year)s.")
                % {"count": len(done), "year": year},
            )
            return redirect(request.get_full_path())
    context = {
        "form": form,
        "due": list(due),
        "year": year,
        "area": area,
        "area_options": area_options(request.user, area, EDIT),
    }
    return render(request, "cadres/reregister.html", context)


# -- TPK teams --------------------------------------------------------------------------------------


@named_reader
def team_list(request: HttpRequest) -> HttpResponse:
    area = _area_param(request)
    context = {
        "teams": selectors.team_list(user=request.user, area_code=area.code if area else None),
        "area": area,
        "area_options": area_options(request.user, area, NAMED),
        "can_edit": scope_for(request.user).can(EDIT),
    }
    return render(request, "cadres/team_list.html", context)


@editor
def team_new(request: HttpRequest) -> HttpResponse:
    villages = scoped(
        request.user, Area.objects.filter(level=Level.VILLAGE, is_active=True), EDIT
    ).select_related("parent")
    form = forms.TeamForm(request.POST or None, villages=list(villages.order_by("code")[:300]))
    if request.method == "POST" and form.is_valid():
        team = save(
            form,
            lambda: services.tpk_team_create(
                village=form.cleaned_data["village"],
                name=form.cleaned_data["name"],
                actor=request.user,
            ),
        )
        if team is not None:
            messages.success(request, _("The team %(name)s was formed.") % {"name": team.name})
            return redirect("cadres:teams")
    return render_form(
        request, form, title=_("Form a TPK team"), cancel_url=reverse("cadres:teams")
    )


@editor
def team_edit(request: HttpRequest, pk: int) -> HttpResponse:
    team = selectors.team_get(user=request.user, pk=pk, capability=EDIT)
    form = forms.TeamForm(
        request.POST or None,
        villages=None,
        initial={"name": team.name, "is_active": team.is_active},
    )
    if request.method == "POST" and form.is_valid():
        saved = save(
            form,
            lambda: services.tpk_team_update(
                team=team,
                name=form.cleaned_data["name"],
                is_active=form.cleaned_data["is_active"],
                actor=request.user,
            ),
        )
        if saved is not None:
            messages.success(request, _("The team %(name)s was saved.") % {"name": saved.name})
            return redirect("cadres:teams")
    return render_form(
        request,
        form,
        title=_("Edit the TPK team"),
        cancel_url=reverse("cadres:teams"),
        subject=team,
    )
