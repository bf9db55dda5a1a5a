"""Writes of the monthly cadre meetings: open a village's meeting of a month (with its activity of
kind ``cadre_meeting``), tick the cadres present, save the minutes (which freezes the agenda),
add, change and close action items, and carry last month's open items into this month.

Each write is keyword-only, in one transaction, checks ``Capability.EDIT_PROGRAMME`` in the
village (out of scope reads as not found), validates before writing and records an audit event.
A refused write raises a ``CadreProblem`` (or the activities app's ``ActivityProblem`` for the
activity's own rules) and writes nothing. ``actor=None`` is the system itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kampungkb.accounts.scope import SYSTEM, Capability, ensure_can
from kampungkb.activities import services as activity_services
from kampungkb.activities.models import ActivityKind, FamilyFunction, TargetGroup
from kampungkb.activities.services import ActivityData, AttendanceChange
from kampungkb.cadres import meetings_selectors as selectors
from kampungkb.cadres.errors import CadreProblem
from kampungkb.cadres.models import ActionItem, ActionStatus, Cadre, Meeting
from kampungkb.core.audit import audit_record, snapshot
from kampungkb.core.periods import month_start
from kampungkb.regions.models import Area, Level

EDIT = Capability.EDIT_PROGRAMME
CLOSING_STATUSES = (ActionStatus.DONE, ActionStatus.DROPPED)


def _today() -> dt.date:
    return timezone.localdate()


def _user_or_none(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _month_label(month: dt.date) -> str:
    return month.strftime("%m-%Y")


@transaction.atomic
def meeting_open(
    *, village: Area, month: dt.date, held_on: dt.date, actor: Any, place: str = ""
) -> Meeting:
    """Record that the village's cadres met for ``month`` on ``held_on`` (a day of that month, not
    in the future): the activity of kind ``cadre_meeting`` and the meeting, once per village and
    month."""
    if village.level != Level.VILLAGE:
        raise CadreProblem.MEETING_VILLAGE_LEVEL.on("village")
    ensure_can(actor, EDIT, village.code)
    month = month_start(month)
    if month > month_start(_today()):
        raise CadreProblem.MEETING_MONTH_IN_FUTURE.on("month")
    if month_start(held_on) != month:
        raise CadreProblem.MEETING_DATE_OUTSIDE_MONTH.on("held_on", month=_month_label(month))
    if Meeting.objects.filter(village=village, month=month).exists():
        raise CadreProblem.MEETING_EXISTS.on(
            "month", village=village.name, month=_month_label(month)
        )
    # The activity is a record kept in the village's language, whatever the user's.
    with translation.override("id"):
        title = _("Monthly cadre meeting %(month)s") % {"month": _month_label(month)}
        organiser = _("Cadres of %(village)s") % {"village": village.name}
    activity = activity_services.activity_create(
        data=ActivityData(
            kind=ActivityKind.CADRE_MEETING,
            title=title,
            held_on=held_on,
            family_function=FamilyFunction.REPRODUCTION,
            organiser=organiser,
            area=village,
            place=place,
            target_groups=[TargetGroup.CADRES],
        ),
        actor=actor,
    )
    meeting = Meeting(
        village=village, month=month, activity=activity, recorded_by=_user_or_none(actor)
    )
    meeting.full_clean(validate_constraints=False)
    meeting.save()
    audit_record(actor=actor, action="meeting.open", instance=meeting, area_code=village.code)
    return meeting


@transaction.atomic
def meeting_attendance_set(
    *, meeting: Meeting, present: Iterable[int], actor: Any
) -> AttendanceChange:
    """The village's active cadres present at the meeting are exactly the persons ``present``
    (ids); the others are unticked. Other named attendees of the activity stay as they are."""
    ensure_can(actor, EDIT, meeting.village_id)
    cadres = set(selectors.village_cadres(meeting.village_id).values_list("person_id", flat=True))
    wanted = {int(i) for i in present}
    if wanted - cadres:
        raise CadreProblem.ATTENDEE_NOT_CADRE.on("present")
    return activity_services.attendance_set(
        activity=meeting.activity, add=sorted(wanted), remove=sorted(cadres - wanted), actor=actor
    )


@transaction.atomic
def minutes_save(
    *, meeting: Meeting, minutes: str, problems: str, decisions: str, actor: Any
) -> Meeting:
    """Save the minutes, the problems raised and the decisions. The first save freezes the agenda
    generated from the data, so that the record shows what was discussed even after the facts are
    filled again (decision 0026)."""
    ensure_can(actor, EDIT, meeting.village_id)
    if not minutes.strip():
        raise CadreProblem.MINUTES_REQUIRED.on("minutes")
    before = snapshot(meeting)
    meeting.minutes = minutes.strip()
    meeting.problems = problems.strip()
    meeting.decisions = decisions.strip()
    if not meeting.agenda:
        meeting.agenda = selectors.agenda_for(
            user=actor if actor is not None else SYSTEM,
            village_code=meeting.village_id,
            month=meeting.month,
        )
    meeting.minutes_saved_at = timezone.now()
    meeting.full_clean(validate_constraints=False)
    meeting.save()
    audit_record(
        actor=actor,
        action="meeting.minutes",
        instance=meeting,
        area_code=meeting.village_id,
        before=before,
    )
    return meeting


def _check_owner(meeting: Meeting, owner: Cadre | None, owner_name: str) -> None:
    if owner is None and not owner_name.strip():
        raise CadreProblem.ACTION_OWNER_REQUIRED.on("owner")
    if owner is not None and (
        not owner.is_active or selectors.village_of(owner.area_id) != meeting.village_id
    ):
        raise CadreProblem.ACTION_OWNER_OTHER_VILLAGE.on("owner", name=owner.person.full_name)


def _fill_item(
    item: ActionItem,
    *,
    description: str,
    owner: Cadre | None,
    owner_name: str,
    due_on: dt.date | None,
) -> None:
    meeting = item.meeting
    if not description.strip():
        raise CadreProblem.ACTION_DESCRIPTION_REQUIRED.on("description")
    _check_owner(meeting, owner, owner_name)
    held_on = meeting.activity.held_on
    if due_on is not None and due_on < held_on:
        raise CadreProblem.ACTION_DUE_BEFORE_MEETING.on(
            "due_on", held_on=held_on.strftime("%d-%m-%Y")
        )
    item.description = description.strip()
    item.owner = owner
    item.owner_name = "" if owner is not None else owner_name.strip()
    item.due_on = due_on
    item.full_clean(validate_constraints=False)


@transaction.atomic
def action_item_add(
    *,
    meeting: Meeting,
    description: str,
    actor: Any,
    owner: Cadre | None = None,
    owner_name: str = "",
    due_on: dt.date | None = None,
) -> ActionItem:
    """A task agreed at the meeting, owned by an active cadre of the village (or, when the owner
    is not a cadre, by a name), due on or after the meeting date."""
    ensure_can(actor, EDIT, meeting.village_id)
    item = ActionItem(meeting=meeting)
    _fill_item(item, description=description, owner=owner, owner_name=owner_name, due_on=due_on)
    item.save()
    audit_record(actor=actor, action="action_item.add", instance=item, area_code=meeting.village_id)
    return item


def _check_open(item: ActionItem) -> None:
    if item.status != ActionStatus.OPEN:
        raise CadreProblem.ACTION_NOT_OPEN.error(status=ActionStatus(item.status).label)


@transaction.atomic
def action_item_update(
    *,
    item: ActionItem,
    description: str,
    actor: Any,
    owner: Cadre | None = None,
    owner_name: str = "",
    due_on: dt.date | None = None,
) -> ActionItem:
    """Change an open task's description, owner or due date."""
    ensure_can(actor, EDIT, item.meeting.village_id)
    _check_open(item)
    before = snapshot(item)
    _fill_item(item, description=description, owner=owner, owner_name=owner_name, due_on=due_on)
    item.save()
    audit_record(
        actor=actor,
        action="action_item.update",
        instance=item,
        area_code=item.meeting.village_id,
        before=before,
    )
    return item


@transaction.atomic
def action_item_close(
    *, item: ActionItem, status: str, closed_on: dt.date, actor: Any
) -> ActionItem:
    """Close an open task as done or dropped, on a day from the meeting date to today."""
    ensure_can(actor, EDIT, item.meeting.village_id)
    _check_open(item)
    if status not in CLOSING_STATUSES:
        raise CadreProblem.ACTION_CLOSE_STATUS.on("status")
    if closed_on > _today():
        raise CadreProblem.DATE_IN_FUTURE.on("closed_on")
    held_on = item.meeting.activity.held_on
    if closed_on < held_on:
        raise CadreProblem.ACTION_CLOSED_BEFORE_MEETING.on(
            "closed_on", held_on=held_on.strftime("%d-%m-%Y")
        )
    before = snapshot(item)
    item.status = status
    item.closed_on = closed_on
    item.full_clean(validate_constraints=False)
    item.save()
    audit_record(
        actor=actor,
        action="action_item.close",
        instance=item,
        area_code=item.meeting.village_id,
        before=before,
    )
    return item


@transaction.atomic
def carry_over(*, meeting: Meeting, actor: Any) -> list[ActionItem]:
    """Carry the tasks of the village's meeting of last month that are still open into this
    meeting: each becomes a new open task here (same description, owner and due date, pointing to
    the one it came from), and the old one is closed as carried on this meeting's date."""
    ensure_can(actor, EDIT, meeting.village_id)
    old_items = list(selectors.carry_candidates(meeting).select_for_update())
    if not old_items:
        raise CadreProblem.NOTHING_TO_CARRY.error()
    carried = []
    for old in old_items:
        item = ActionItem(
            meeting=meeting,
            description=old.description,
            owner_id=old.owner_id,
            owner_name=old.owner_name,
            due_on=old.due_on,
            carried_from=old,
        )
        item.full_clean(validate_constraints=False)
        item.save()
        old.status = ActionStatus.CARRIED
        old.closed_on = meeting.activity.held_on
        old.save(update_fields=["status", "closed_on", "updated_at"])
        carried.append(item)
    audit_record(
        actor=actor,
        action="meeting.carry_over",
        instance=meeting,
        area_code=meeting.village_id,
        before={"carried": []},
        after={"carried": [[old.pk, new.pk] for old, new in zip(old_items, carried, strict=True)]},
    )
    return carried
