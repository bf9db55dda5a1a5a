"""The TPK pages (decision 0036): a team's worklist (the page a TPK member opens on a phone),
recording a visit, a village's teams with the families at risk no team accompanies, assigning
and ending targets, and the monthly coverage of an area (Excel).

The worklist and the visit form open to users who see named persons in the team's village and to
the team's members through their own login; assignments need ``EDIT_PROGRAMME`` in the village;
the coverage holds counts only (``VIEW_AGGREGATES``). Anything outside reads as not found.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kampungkb.accounts.scope import area_or_first_root, scope_for
from kampungkb.cadres import tpk_exports as exports
from kampungkb.cadres import tpk_forms as forms
from kampungkb.cadres import tpk_selectors as selectors
from kampungkb.cadres import tpk_services as services
from kampungkb.cadres.selectors import team_get
from kampungkb.cadres.views.common import (
    EDIT,
    NAMED,
    VIEW,
    aggregate_reader,
    area_options,
    editor,
    named_reader,
    render_form,
    save,
)
from kampungkb.core.periods import add_months, month_start, parse_month
from kampungkb.regions.models import Level


def _today() -> dt.date:
    return timezone.localdate()


# -- The worklist and visits -------------------------------------------------------------------------


@login_required
@require_GET
def worklist(request: HttpRequest, pk: int) -> HttpResponse:
    team = selectors.worklist_team(user=request.user, pk=pk)
    today = _today()
    items = selectors.worklist(team, today)
    context = {
        "team": team,
        "today": today,
        "items": items,
        "members": selectors.team_members(team),
        "can_record": services.can_record(request.user, team),
        "can_assign": scope_for(request.user).can(EDIT, team.village_id),
        "overdue": sum(1 for i in items if i.due == selectors.Due.OVERDUE),
    }
    return render(request, "cadres/tpk_worklist.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def visit_new(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = selectors.assignment_for_visit(user=request.user, pk=pk)
    team = assignment.team
    bride = assignment.bride
    form = forms.VisitForm(
        request.POST or None,
        members=selectors.team_members(team),
        kind=assignment.kind,
        delay_pregnancy=bride is not None and bride.pk in selectors.delay_advised([bride]),
        initial={"visited_on": _today()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        visit = save(
            form,
            lambda: services.tpk_visit_record(
                assignment=assignment,
                visited_on=data["visited_on"],
                members=[m.pk for m in data["members"]],
                checklist=form.checklist(),
                notes=data["notes"],
                next_visit_on=data["next_visit_on"],
                actor=request.user,
            ),
        )
        if visit is not None:
            messages.success(
                request,
                _("Visit recorded; next visit on %(date)s.")
                % {"date": visit.next_visit_on.strftime("%d-%m-%Y")},
            )
            return redirect("cadres:tpk_worklist", pk=team.pk)
    return render_form(
        request,
        form,
        title=_("Record a visit: %(name)s") % {"name": selectors.target_name(assignment)},
        cancel_url=reverse("cadres:tpk_worklist", args=[team.pk]),
        subject=team.name,
        intro=assignment.get_kind_display(),
        submit_label=_("Record the visit"),
    )


# -- A village's teams and assignments ---------------------------------------------------------------


@named_reader
def village(request: HttpRequest) -> HttpResponse:
    area = area_or_first_root(request.user, request.GET.get("area") or None, NAMED)
    context: dict[str, Any] = {
        "area": area,
        "area_options": area_options(request.user, area, NAMED),
        "required": True,
    }
    if area.level == Level.VILLAGE:
        on = _today()
        found = selectors.village_teams(user=request.user, village=area, on=on)
        context.update(
            found=found,
            can_assign=scope_for(request.user).can(EDIT, area.code),
            active_teams=[t for t in found.teams if t.is_active],
        )
    return render(request, "cadres/tpk_village.html", context)


def _village_url(village_code: str) -> str:
    return f"{reverse('cadres:tpk_village')}?area={village_code}"


@editor
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    team = team_get(user=request.user, pk=pk, capability=EDIT)
    today = _today()
    form = forms.AssignForm(
        request.POST or None,
        choices=selectors.target_choices(team, today),
        initial={"started_on": today, "target": request.GET.get("target", "")},
    )
    if request.method == "POST" and form.is_valid():
        kind, target_pk = form.target_value()

        def write() -> Any:
            target = selectors.target_get(kind=kind, pk=target_pk, village_code=team.village_id)
            return services.tpk_assignment_create(
                team=team,
                kind=kind,
                target=target,
                started_on=form.cleaned_data["started_on"],
                actor=request.user,
            )

        if save(form, write) is not None:
            messages.success(request, _("The target was assigned to %(team)s.") % {"team": team})
            return redirect("cadres:tpk_worklist", pk=team.pk)
    return render_form(
        request,
        form,
        title=_("Assign a target to %(team)s") % {"team": team.name},
        cancel_url=_village_url(team.village_id),
        subject=team.name,
    )


@require_POST
@editor
def assign_at_risk(request: HttpRequest, pk: int) -> HttpResponse:
    team = team_get(user=request.user, pk=pk, capability=EDIT)
    try:
        created = services.tpk_assign_at_risk(team=team, on=_today(), actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("%(count)d families at risk were assigned to %(team)s.")
            % {"count": len(created), "team": team.name},
        )
    return redirect(_village_url(team.village_id))


@editor
def assignment_end(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = selectors.assignment_get(user=request.user, pk=pk, capability=EDIT)
    form = forms.EndForm(request.POST or None, initial={"ended_on": _today()})
    if request.method == "POST" and form.is_valid():
        done = save(
            form,
            lambda: services.tpk_assignment_end(
                assignment=assignment,
                ended_on=form.cleaned_data["ended_on"],
                actor=request.user,
            ),
        )
        if done is not None:
            messages.success(request, _("The assignment was ended."))
            return redirect("cadres:tpk_worklist", pk=assignment.team_id)
    return render_form(
        request,
        form,
        title=_("End the assignment: %(name)s") % {"name": selectors.target_name(assignment)},
        cancel_url=reverse("cadres:tpk_worklist", args=[assignment.team_id]),
        subject=assignment.team.name,
    )


# -- Coverage ---------------------------------------------------------------------------------------


def _month(request: HttpRequest) -> dt.date:
    """The month asked (``?month=YYYY-MM``), else this month; never one still to come."""
    this_month = month_start(_today())
    try:
        month = parse_month(request.GET.get("month") or "")
    except ValueError:
        return this_month
    return min(month, this_month)


@aggregate_reader
def coverage(request: HttpRequest) -> HttpResponse:
    area = area_or_first_root(request.user, request.GET.get("area") or None, VIEW)
    month = _month(request)
    rows, total = selectors.coverage_rows(area, month)
    if request.GET.get("format") == "xlsx":
        return exports.coverage_export(
            filename=f"kampungkb-tpk-cakupan-{area.code}-{month:%Y-%m}",
            rows=rows,
            total=total,
        )
    this_month = month_start(_today())
    context = {
        "area": area,
        "area_options": area_options(request.user, area, VIEW),
        "required": True,
        "rows": rows,
        "total": total,
        "month": month,
        "month_value": month.strftime("%Y-%m"),
        "previous_month": add_months(month, -1).strftime("%Y-%m"),
        "next_month": add_months(month, 1).strftime("%Y-%m") if month < this_month else None,
    }
    return render(request, "cadres/tpk_coverage.html", context)
