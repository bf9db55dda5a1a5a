"""Reads of the monthly cadre meetings: the meetings of an area and month, one meeting with its
attendance tick list and action items, the agenda generated from the data, and the monthly
field-control report (F/I/Dal-like).

The agenda reads facts (PA and PB against the PPM targets, new users of the month) through
``indicators.selectors``; only what the registers give directly is counted here: drop-outs and
overdue users (the ``contraception`` selectors) and pregnancies recorded in the month. Meetings
and action items name cadres, so they are read by users who see named persons in the village
(``Capability.VIEW_PERSONS``); the field-control report holds counts only and is open to users
with aggregates in the area (the caller checks the area with ``area_or_404`` first).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from kampungkb.accounts.scope import Capability, get_scoped_or_404, scoped
from kampungkb.activities.models import ActivityKind, Attendance, Poktan
from kampungkb.activities.selectors import activities_in
from kampungkb.cadres.models import ActionItem, ActionStatus, Cadre, Meeting
from kampungkb.contraception import selectors as contraception
from kampungkb.core.periods import add_months, month_end, month_start
from kampungkb.families.models import Pregnancy
from kampungkb.indicators.registry import Code
from kampungkb.indicators.selectors import fact_value, target_achievement
from kampungkb.regions.models import Area, Level
from kampungkb.regions.selectors import subtree_q
from kampungkb.stunting.risk import RiskReason
from kampungkb.stunting.selectors import village_summary

NAMED = Capability.VIEW_PERSONS
# Last month's items the agenda reviews: those still open when this month's meeting came.
REVIEWED_STATUSES = (ActionStatus.OPEN, ActionStatus.CARRIED)


def village_of(code: str) -> str:
    """The village of an area at village level or below (``PP.KK.CC.XDDD``)."""
    return ".".join(code.split(".")[:4])


def previous_month(month: dt.date) -> dt.date:
    return add_months(month_start(month), -1)


# -- The meetings of an area and month -------------------------------------------------------------


@dataclass(frozen=True)
class MeetingRow:
    """A village of the area, with its meeting of the month (None: none held)."""

    village: Area
    meeting: Meeting | None


def meeting_rows(*, user: Any, area: Area, month: dt.date) -> list[MeetingRow]:
    """Every active village of ``area`` the user sees named persons in, with its meeting of
    ``month`` (annotated ``attendees`` and ``open_items``), in two queries."""
    villages = scoped(
        user,
        Area.objects.filter(subtree_q("code", [area.code]), level=Level.VILLAGE, is_active=True),
        NAMED,
    ).select_related("parent")
    meetings = {
        m.village_id: m
        for m in scoped(user, Meeting.objects.filter(month=month_start(month)), NAMED)
        .filter(subtree_q("village_id", [area.code]))
        .select_related("activity")
        .annotate(
            attendees=Count("activity__attendances", distinct=True),
            open_items=Count(
                "action_items",
                filter=Q(action_items__status=ActionStatus.OPEN),
                distinct=True,
            ),
        )
    }
    return [MeetingRow(v, meetings.get(v.code)) for v in villages.order_by("code")]


def meeting_get(*, user: Any, pk: int, capability: Capability = NAMED) -> Meeting:
    return get_scoped_or_404(
        user,
        Meeting.objects.select_related("village__parent", "activity", "recorded_by"),
        capability,
        pk=pk,
    )


def meeting_find(*, user: Any, village_code: str, month: dt.date) -> Meeting | None:
    """The meeting of a village and month, if the user sees it."""
    return (
        scoped(user, Meeting.objects.filter(village_id=village_code, month=month_start(month)))
        .select_related("activity")
        .first()
    )


def village_cadres(village_code: str) -> QuerySet[Cadre]:
    """The active cadres serving the village or an area within it (the tick list and the
    owners of action items)."""
    return (
        Cadre.objects.filter(subtree_q("area_id", [village_code]), is_active=True)
        .select_related("person", "area")
        .order_by("person__full_name", "role", "pk")
    )


@dataclass(frozen=True)
class AttendanceRow:
    person_id: int
    name: str
    roles: list[str]
    present: bool


def meeting_attendance(meeting: Meeting) -> list[AttendanceRow]:
    """The village's active cadres, one row per person (a person may hold several roles), each
    ticked when present at the meeting (two queries)."""
    present = set(meeting.activity.attendances.values_list("person_id", flat=True))
    rows: dict[int, AttendanceRow] = {}
    for cadre in village_cadres(meeting.village_id):
        row = rows.get(cadre.person_id)
        if row is None:
            row = AttendanceRow(
                cadre.person_id, cadre.person.full_name, [], cadre.person_id in present
            )
            rows[cadre.person_id] = row
        row.roles.append(str(cadre.get_role_display()))
    return list(rows.values())


def meeting_items(meeting: Meeting) -> QuerySet[ActionItem]:
    return meeting.action_items.select_related("owner__person", "carried_from__meeting").order_by(
        "pk"
    )


def action_item_get(*, user: Any, pk: int, capability: Capability = NAMED) -> ActionItem:
    return get_scoped_or_404(
        user,
        ActionItem.objects.select_related("meeting__village", "meeting__activity", "owner__person"),
        capability,
        pk=pk,
    )


def carry_candidates(meeting: Meeting) -> QuerySet[ActionItem]:
    """Last month's items of the village still open, which this meeting may carry over."""
    return ActionItem.objects.filter(
        meeting__village_id=meeting.village_id,
        meeting__month=previous_month(meeting.month),
        status=ActionStatus.OPEN,
    ).order_by("pk")


def cadre_meetings(cadre: Cadre, *, user: Any) -> QuerySet[Meeting]:
    """The meetings the cadre's person was ticked present at, newest first."""
    return (
        scoped(user, Meeting.objects.filter(activity__attendances__person_id=cadre.person_id))
        .select_related("village", "activity")
        .order_by("-month", "pk")
    )


# -- The agenda generated from the data -----------------------------------------------------------


def _number(value: Decimal | None) -> int | str | None:
    """A fact's figure for JSON: a whole number as int, else its decimal text."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return str(value)


def _open_items_of(village_code: str, month: dt.date) -> list[dict[str, Any]]:
    items = (
        ActionItem.objects.filter(
            meeting__village_id=village_code,
            meeting__month=previous_month(month),
            status__in=REVIEWED_STATUSES,
        )
        .select_related("owner__person")
        .order_by("pk")
    )
    return [
        {
            "id": item.pk,
            "description": item.description,
            "owner": item.owner_label,
            "due_on": item.due_on.isoformat() if item.due_on else None,
            "status": item.status,
        }
        for item in items
    ]


def agenda_for(*, user: Any, village_code: str, month: dt.date) -> dict[str, Any]:
    """What the village's cadres discuss for ``month``, from the data the user sees, as JSON
    (the form frozen into ``Meeting.agenda``):

    - ``achievements``: PA of the month and PB of January..the month against the yearly PPM;
    - ``new_users``: new users (PB) of the month, from the fact table (None: not filled yet);
    - ``dropouts``: users who dropped out in the month; ``overdue``: users overdue on
      ``overdue_on`` (the month's last day, or today in the current month);
    - ``new_pregnancies``: pregnancies recorded in the month in the village;
    - ``open_items``: last month's action items still open when this month came (open or carried);
    - ``problems_last_month``: the problems raised at last month's meeting;
    - ``at_risk``: families at risk of stunting on ``overdue_on`` (target families, at risk, per
      reason, target families whose house is not recorded), derived from the registers.
    """
    month = month_start(month)
    last_day = month_end(month)
    overdue_on = min(last_day, timezone.localdate())
    new_users = fact_value(user=user, code=Code.PB, area_code=village_code, period=month)
    pregnancies = scoped(user, Pregnancy.objects.all(), NAMED).filter(
        subtree_q("couple__wife__family__area_id", [village_code]),
        recorded_on__gte=month,
        recorded_on__lte=last_day,
    )
    last_meeting = (
        Meeting.objects.filter(village_id=village_code, month=previous_month(month))
        .values_list("problems", flat=True)
        .first()
    )
    return {
        "village": village_code,
        "month": month.strftime("%Y-%m"),
        "achievements": [
            {
                "code": a.code,
                "target": a.target,
                "actual": _number(a.actual),
                "percent": str(a.percent) if a.percent is not None else None,
            }
            for a in target_achievement(user=user, area_code=village_code, period=month)
        ],
        "new_users": _number(new_users.numerator) if new_users else None,
        "dropouts": contraception.dropout_list(
            user=user, date_from=month, date_to=last_day, area_code=village_code
        )
        .order_by()
        .count(),
        "overdue": contraception.overdue_list(user=user, on=overdue_on, area_code=village_code)
        .order_by()
        .count(),
        "overdue_on": overdue_on.isoformat(),
        "new_pregnancies": pregnancies.count(),
        "open_items": _open_items_of(village_code, month),
        "problems_last_month": last_meeting or "",
        "at_risk": _at_risk(village_code, overdue_on),
    }


def _at_risk(village_code: str, on: dt.date) -> dict[str, Any]:
    summary = village_summary(village_code, on)
    return {
        "target": summary.target,
        "at_risk": summary.at_risk,
        "reasons": {
            str(reason): summary.by_reason.get(reason, 0)
            for reason in RiskReason
            if summary.by_reason.get(reason, 0)
        },
        "house_not_recorded": summary.house_not_recorded,
    }


def meeting_agenda(meeting: Meeting, *, user: Any) -> dict[str, Any]:
    """The agenda as discussed once the minutes are saved (frozen), else generated now."""
    if meeting.agenda:
        return dict(meeting.agenda)
    return agenda_for(user=user, village_code=meeting.village_id, month=meeting.month)


# -- The monthly field-control report (F/I/Dal-like) ------------------------------------------------


@dataclass
class ControlRow:
    """One village (or the total) of the field-control report of a month."""

    area: Area | None
    cadres: int = 0  # on the roster during the month (persons)
    cadres_reporting: int = 0  # of those, ticked present at an activity of the village
    poktan: int = 0  # active poktan
    poktan_active: int = 0  # of those, with a session held in the month
    meetings: int = 0  # cadre meetings held
    counselling: int = 0  # counselling sessions held
    poktan_sessions: int = 0  # poktan sessions held

    FIGURES = (
        "cadres",
        "cadres_reporting",
        "poktan",
        "poktan_active",
        "meetings",
        "counselling",
        "poktan_sessions",
    )

    def add(self, other: ControlRow) -> None:
        for name in self.FIGURES:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass(frozen=True)
class FieldControl:
    area: Area
    month: dt.date
    rows: list[ControlRow]
    total: ControlRow = field(default_factory=lambda: ControlRow(None))


def field_control(*, area: Area, month: dt.date) -> FieldControl:
    """Per active village of ``area`` (already checked to be in scope): cadres on the roster in
    the month and those reporting (ticked present at the cadre meeting or any other activity held
    in their village that month), poktan and those active (a session in the month), cadre
    meetings, counselling sessions and poktan sessions held. Five queries, whatever the size."""
    first, last = month_start(month), month_end(month)
    villages = list(
        Area.objects.filter(
            subtree_q("code", [area.code]), level=Level.VILLAGE, is_active=True
        ).order_by("code")
    )
    rows = {v.code: ControlRow(v) for v in villages}
    roster: dict[str, set[int]] = defaultdict(set)
    for area_id, person_id in Cadre.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=first),
        subtree_q("area_id", [area.code]),
        started_on__lte=last,
    ).values_list("area_id", "person_id"):
        roster[village_of(area_id)].add(person_id)
    activities = activities_in(area.code, first, last)
    present: dict[str, set[int]] = defaultdict(set)
    for area_id, person_id in Attendance.objects.filter(activity__in=activities).values_list(
        "activity__area_id", "person_id"
    ):
        present[village_of(area_id)].add(person_id)
    sessions: dict[str, set[int]] = defaultdict(set)
    for area_id, kind, poktan_id in activities.values_list("area_id", "kind", "poktan_id"):
        row = rows.get(village_of(area_id))
        if row is None:
            continue
        if kind == ActivityKind.CADRE_MEETING:
            row.meetings += 1
        elif kind == ActivityKind.COUNSELLING:
            row.counselling += 1
        elif kind == ActivityKind.POKTAN_SESSION:
            row.poktan_sessions += 1
            sessions[row.area.code if row.area else ""].add(poktan_id)
    for area_id, poktan_id in Poktan.objects.filter(
        Q(established_on__isnull=True) | Q(established_on__lte=last),
        subtree_q("area_id", [area.code]),
        is_active=True,
    ).values_list("area_id", "pk"):
        row = rows.get(village_of(area_id))
        if row is None:
            continue
        row.poktan += 1
        row.poktan_active += poktan_id in sessions[village_of(area_id)]
    total = ControlRow(None)
    for code, row in rows.items():
        row.cadres = len(roster[code])
        row.cadres_reporting = len(roster[code] & present[code])
        total.add(row)
    return FieldControl(area=area, month=first, rows=list(rows.values()), total=total)
