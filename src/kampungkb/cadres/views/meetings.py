"""The monthly cadre meeting pages: the meetings of an area and month (which villages met, which
did not; CSV/Excel), opening a village's meeting, the meeting page (agenda from the data,
attendance tick list, minutes, action items, carry-over) and the monthly field-control report.

Meetings name cadres: reading needs ``Capability.VIEW_PERSONS`` in the village, writing
``Capability.EDIT_PROGRAMME``. The field-control report holds counts only and is open to users
with aggregates in the area. Anything outside the user's areas is not found.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from kampungkb.accounts.scope import area_or_404, area_or_first_root, scope_for
from kampungkb.cadres import meetings_exports as exports
from kampungkb.cadres import meetings_forms as forms
from kampungkb.cadres import meetings_selectors as selectors
from kampungkb.cadres import meetings_services as services
from kampungkb.cadres.models import ActionItem, ActionStatus, Meeting
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
from kampungkb.core.periods import add_months, month_end, month_start, parse_month
from kampungkb.families.views import HtmxHttpRequest


def _month(request: HttpRequest) -> dt.date:
    """The month asked (``?month=YYYY-MM``), else this month; never one still to come."""
    this_month = month_start(timezone.localdate())
    try:
        month = parse_month(request.GET.get("month") or "")
    except ValueError:
        return this_month
    return min(month, this_month)


def _month_context(month: dt.date) -> dict[str, Any]:
    this_month = month_start(timezone.localdate())
    return {
        "month": month,
        "month_value": month.strftime("%Y-%m"),
        "previous_month": add_months(month, -1).strftime("%Y-%m"),
        "next_month": add_months(month, 1).strftime("%Y-%m") if month < this_month else None,
    }


def _problems(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


# -- The meetings of an area and month -------------------------------------------------------------


@named_reader
@vary_on_headers("HX-Request")
def meeting_list(request: HtmxHttpRequest) -> HttpResponse:
    area = area_or_first_root(request.user, request.GET.get("area") or None, NAMED)
    month = _month(request)
    rows = selectors.meeting_rows(user=request.user, area=area, month=month)
    file_format = request.GET.get("format")
    if file_format in ("csv", "xlsx"):
        return exports.meetings_export(
            file_format=file_format,
            filename=f"kampungkb-rapat-kader-{area.code}-{month:%Y-%m}",
            rows=rows,
            month=month,
        )
    scope = scope_for(request.user)
    context = {
        "rows": [(row, scope.can(EDIT, row.village.code)) for row in rows],
        "held": sum(1 for row in rows if row.meeting is not None),
        "area": area,
        "area_options": area_options(request.user, area, NAMED),
        **_month_context(month),
    }
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "cadres/meeting_list_rows.html", context)
    return render(request, "cadres/meeting_list.html", context)


@editor
def meeting_open(request: HttpRequest) -> HttpResponse:
    """Open the meeting of ``?village=`` for ``?month=``; an existing one is shown instead."""
    village = area_or_404(request.user, request.GET.get("village") or "", EDIT)
    month = _month(request)
    found = selectors.meeting_find(user=request.user, village_code=village.code, month=month)
    if found is not None:
        return redirect("cadres:meeting", pk=found.pk)
    today = timezone.localdate()
    form = forms.MeetingOpenForm(
        request.POST or None, initial={"held_on": min(today, month_end(month))}
    )
    if request.method == "POST" and form.is_valid():
        meeting = save(
            form,
            lambda: services.meeting_open(
                village=village,
                month=month,
                held_on=form.cleaned_data["held_on"],
                place=form.cleaned_data["place"],
                actor=request.user,
            ),
        )
        if meeting is not None:
            messages.success(request, _("The meeting was recorded."))
            return redirect("cadres:meeting", pk=meeting.pk)
    return render_form(
        request,
        form,
        title=_("Monthly cadre meeting of %(village)s, %(month)s")
        % {"village": village.name, "month": month.strftime("%m-%Y")},
        cancel_url=f"{reverse('cadres:meetings')}?area={village.parent_id}&month={month:%Y-%m}",
    )


# -- One meeting -----------------------------------------------------------------------------------


def _render_meeting(
    request: HttpRequest, meeting: Meeting, status: int = 200, **forms_given: Any
) -> HttpResponse:
    can_edit = scope_for(request.user).can(EDIT, meeting.village_id)
    owners = selectors.village_cadres(meeting.village_id)
    agenda = selectors.meeting_agenda(meeting, user=request.user)
    last_day = month_end(meeting.month)
    context = {
        "meeting": meeting,
        "agenda": agenda,
        "open_items": [
            {
                **item,
                "status_label": ActionStatus(item["status"]).label,
                "due_on": dt.date.fromisoformat(item["due_on"]) if item["due_on"] else None,
            }
            for item in agenda["open_items"]
        ],
        "overdue_on": dt.date.fromisoformat(agenda["overdue_on"]),
        "attendance": selectors.meeting_attendance(meeting),
        "items": list(selectors.meeting_items(meeting)),
        "can_edit": can_edit,
        "can_carry": can_edit and selectors.carry_candidates(meeting).exists(),
        "minutes_form": forms_given.get("minutes_form")
        or forms.MinutesForm(
            initial={
                "minutes": meeting.minutes,
                "problems": meeting.problems,
                "decisions": meeting.decisions,
            }
        ),
        "item_form": forms_given.get("item_form")
        or forms.ActionItemForm(owners=owners, initial={"due_on": last_day}),
        "close_statuses": [(s.value, s.label) for s in services.CLOSING_STATUSES],
        "today": timezone.localdate(),
        "month_start": meeting.month,
        "month_end": last_day,
        "open": ActionStatus.OPEN,
    }
    return render(request, "cadres/meeting.html", context, status=status)


@named_reader
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_meeting(request, selectors.meeting_get(user=request.user, pk=pk))


def _editable(request: HttpRequest, pk: int) -> Meeting:
    return selectors.meeting_get(user=request.user, pk=pk, capability=EDIT)


@editor
@require_POST
def meeting_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """The tick list of the village's cadres: the ticked are present, the others not."""
    meeting = _editable(request, pk)
    ids = request.POST.getlist("present")
    if not all(i.isdigit() for i in ids):
        raise Http404
    try:
        services.meeting_attendance_set(
            meeting=meeting, present=[int(i) for i in ids], actor=request.user
        )
    except ValidationError as error:
        _problems(request, error)
    else:
        messages.success(request, _("The attendance was saved."))
    return redirect(reverse("cadres:meeting", args=[meeting.pk]) + "#attendance")


@editor
@require_POST
def meeting_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _editable(request, pk)
    form = forms.MinutesForm(request.POST)
    if form.is_valid():
        saved = save(
            form,
            lambda: services.minutes_save(
                meeting=meeting,
                minutes=form.cleaned_data["minutes"],
                problems=form.cleaned_data["problems"],
                decisions=form.cleaned_data["decisions"],
                actor=request.user,
            ),
        )
        if saved is not None:
            messages.success(request, _("The minutes were saved."))
            return redirect(reverse("cadres:meeting", args=[meeting.pk]) + "#minutes")
    meeting.refresh_from_db()
    return _render_meeting(request, meeting, status=422, minutes_form=form)


@editor
@require_POST
def item_new(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _editable(request, pk)
    form = forms.ActionItemForm(request.POST, owners=selectors.village_cadres(meeting.village_id))
    if form.is_valid():
        item = save(
            form,
            lambda: services.action_item_add(
                meeting=meeting,
                description=form.cleaned_data["description"],
                owner=form.cleaned_data["owner"],
                owner_name=form.cleaned_data["owner_name"],
                due_on=form.cleaned_data["due_on"],
                actor=request.user,
            ),
        )
        if item is not None:
            messages.success(request, _("The task was added."))
            return redirect(reverse("cadres:meeting", args=[meeting.pk]) + "#items")
    return _render_meeting(request, meeting, status=422, item_form=form)


def _item(request: HttpRequest, pk: int) -> ActionItem:
    return selectors.action_item_get(user=request.user, pk=pk, capability=EDIT)


@editor
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    meeting = item.meeting
    form = forms.ActionItemForm(
        request.POST or None,
        owners=selectors.village_cadres(meeting.village_id),
        initial={
            "description": item.description,
            "owner": item.owner_id,
            "owner_name": item.owner_name,
            "due_on": item.due_on,
        },
    )
    if request.method == "POST" and form.is_valid():
        saved = save(
            form,
            lambda: services.action_item_update(
                item=item,
                description=form.cleaned_data["description"],
                owner=form.cleaned_data["owner"],
                owner_name=form.cleaned_data["owner_name"],
                due_on=form.cleaned_data["due_on"],
                actor=request.user,
            ),
        )
        if saved is not None:
            messages.success(request, _("The task was saved."))
            return redirect(reverse("cadres:meeting", args=[meeting.pk]) + "#items")
    return render_form(
        request,
        form,
        title=_("Edit the task"),
        cancel_url=reverse("cadres:meeting", args=[meeting.pk]),
        subject=meeting.activity.title,
    )


@editor
@require_POST
def item_close(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    form = forms.CloseForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        services.action_item_close(
            item=item,
            status=form.cleaned_data["status"],
            closed_on=form.cleaned_data["closed_on"],
            actor=request.user,
        )
    except ValidationError as error:
        _problems(request, error)
    else:
        messages.success(request, _("The task was closed."))
    return redirect(reverse("cadres:meeting", args=[item.meeting_id]) + "#items")


@editor
@require_POST
def meeting_carry(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _editable(request, pk)
    try:
        carried = services.carry_over(meeting=meeting, actor=request.user)
    except ValidationError as error:
        _problems(request, error)
    else:
        messages.success(
            request,
            _("%(count)s open tasks of last month were carried into this meeting.")
            % {"count": len(carried)},
        )
    return redirect(reverse("cadres:meeting", args=[meeting.pk]) + "#items")


# -- The monthly field-control report (F/I/Dal-like) -------------------------------------------------


@aggregate_reader
@vary_on_headers("HX-Request")
def field_control(request: HtmxHttpRequest) -> HttpResponse:
    area = area_or_first_root(request.user, request.GET.get("area") or None, VIEW)
    month = _month(request)
    report = selectors.field_control(area=area, month=month)
    file_format = request.GET.get("format")
    if file_format in ("csv", "xlsx"):
        return exports.field_control_export(
            file_format=file_format,
            filename=f"kampungkb-fidal-{area.code}-{month:%Y-%m}",
            report=report,
        )
    context = {
        "report": report,
        "area": area,
        "area_options": area_options(request.user, area, VIEW),
        **_month_context(month),
    }
    return render(request, "cadres/meeting_field_control.html", context)
