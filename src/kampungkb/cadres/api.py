"""The cadres API: the roster with its yearly K/0 registrations, TPK teams, the question bank,
knowledge tests, the knowledge gap and the dashboard figures.

Named records need ``view_persons`` in the area a cadre serves; writes ``edit_programme``;
anything outside the caller's areas is 404 and nothing is written. The dashboard holds counts
only and is open to aggregate roles.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Router, Status
from ninja.pagination import PageNumberPagination, paginate

from kampungkb.accounts.scope import Capability, area_or_404, area_or_first_root, scope_for
from kampungkb.cadres import meetings_selectors, meetings_services, selectors, services
from kampungkb.cadres.errors import CadreProblem
from kampungkb.cadres.models import (
    ActionItem,
    Cadre,
    CadreRegistration,
    KnowledgeTest,
    Meeting,
    Question,
    Topic,
    TpkTeam,
)
from kampungkb.cadres.schemas import (
    ActionCloseIn,
    ActionItemIn,
    ActionItemOut,
    AlertOut,
    AttendanceIn,
    CadreIn,
    CadreOut,
    CadreUpdateIn,
    DashboardOut,
    DeactivateIn,
    FieldControlOut,
    KnowledgeOut,
    MeetingIn,
    MeetingOut,
    MeetingRowOut,
    MinutesIn,
    QuestionOut,
    RegistrationIn,
    RegistrationOut,
    TeamIn,
    TeamOut,
    TeamUpdateIn,
    TestIn,
    TestListOut,
    TestOut,
    team_out,
)
from kampungkb.cadres.services import CadreData
from kampungkb.core.periods import month_start, parse_month

NAMED = Capability.VIEW_PERSONS
VIEW = Capability.VIEW_AGGREGATES
EDIT = Capability.EDIT_PROGRAMME
MAX_PAGE_SIZE = 200
PAGES = {"page_size": settings.KAMPUNGKB_PAGE_SIZE, "max_page_size": MAX_PAGE_SIZE}

router = Router()


def _needs(request: HttpRequest, capability: Capability) -> None:
    if not scope_for(request.user).can(capability):
        raise Http404


def _cadre(request: HttpRequest, cadre_id: int, capability: Capability = NAMED) -> Cadre:
    return selectors.cadre_get(user=request.user, pk=cadre_id, capability=capability)


def _cadre_out(request: HttpRequest, cadre_id: int) -> Cadre:
    cadre = selectors.roster(user=request.user, status="all").filter(pk=cadre_id).first()
    if cadre is None:
        raise Http404
    return cadre


def _team(request: HttpRequest, team_id: int | None) -> TpkTeam | None:
    if team_id is None:
        return None
    return selectors.team_get(user=request.user, pk=team_id, capability=EDIT)


# ---- roster -------------------------------------------------------------------------------------


@router.get("", response=list[CadreOut], summary="List cadres (by area, role, status, name)")
@paginate(PageNumberPagination, **PAGES)
def cadre_list(
    request: HttpRequest,
    area: str | None = None,
    role: str | None = None,
    status: str = "active",
    q: str = "",
) -> QuerySet[Cadre]:
    _needs(request, NAMED)
    return selectors.roster(
        user=request.user,
        area_code=area_or_404(request.user, area, NAMED).code if area else None,
        role=role,
        status=status,
        query=q,
    )


@router.post("", response={201: CadreOut}, summary="Register a cadre (with this year's K/0)")
def cadre_create(request: HttpRequest, payload: CadreIn) -> Status[Cadre]:
    _needs(request, EDIT)
    person = selectors.person_for_roster(user=request.user, pk=payload.person_id)
    cadre = services.cadre_register(
        person=person,
        data=CadreData(
            role=payload.role,
            area=area_or_404(request.user, payload.area, EDIT),
            started_on=payload.started_on,
            decree_number=payload.decree_number,
            decree_date=payload.decree_date,
            phone=payload.phone,
            tpk_team=_team(request, payload.tpk_team_id),
            team_role=payload.team_role,
        ),
        actor=request.user,
    )
    return Status(201, _cadre_out(request, cadre.pk))


@router.get("/alerts", response=list[AlertOut], summary="Villages and RW without an active cadre")
def alerts(request: HttpRequest, area: str | None = None) -> list[dict[str, Any]]:
    _needs(request, VIEW)
    within = area_or_404(request.user, area, VIEW).code if area else None
    return [
        {"code": a.code, "name": str(a), "level": a.level}
        for a in selectors.areas_without_cadre(user=request.user, within=within, capability=VIEW)
    ]


@router.get(
    "/due", response=list[CadreOut], summary="Active cadres not yet re-registered (K/0) this year"
)
def due(request: HttpRequest, area: str | None = None) -> QuerySet[Cadre]:
    _needs(request, EDIT)
    year = timezone.localdate().year
    ids = selectors.due_for_reregistration(
        user=request.user,
        year=year,
        area_code=area_or_404(request.user, area, EDIT).code if area else None,
    ).values("pk")
    return selectors.roster(user=request.user, status="active").filter(pk__in=ids)


@router.get("/teams", response=list[TeamOut], summary="TPK teams with their members")
def team_list(request: HttpRequest, area: str | None = None) -> list[dict[str, Any]]:
    _needs(request, NAMED)
    code = area_or_404(request.user, area, NAMED).code if area else None
    return [team_out(t) for t in selectors.team_list(user=request.user, area_code=code)]


@router.post("/teams", response={201: TeamOut}, summary="Form a TPK team in a village")
def team_create(request: HttpRequest, payload: TeamIn) -> Status[dict[str, Any]]:
    _needs(request, EDIT)
    team = services.tpk_team_create(
        village=area_or_404(request.user, payload.village, EDIT),
        name=payload.name,
        actor=request.user,
    )
    return Status(201, team_out(team))


@router.put("/teams/{team_id}", response=TeamOut, summary="Rename or deactivate a TPK team")
def team_update(request: HttpRequest, team_id: int, payload: TeamUpdateIn) -> dict[str, Any]:
    team = selectors.team_get(user=request.user, pk=team_id, capability=EDIT)
    services.tpk_team_update(
        team=team, name=payload.name, is_active=payload.is_active, actor=request.user
    )
    return team_out(team)


@router.get(
    "/questions", response=list[QuestionOut], summary="The question bank (by topic), with answers"
)
def question_list(request: HttpRequest, topic: Topic | None = None) -> QuerySet[Question]:
    _needs(request, NAMED)
    return selectors.questions(topics=[topic] if topic else None)


@router.get("/tests/{test_id}", response=TestOut, summary="One knowledge test with its answers")
def test_detail(request: HttpRequest, test_id: int) -> KnowledgeTest:
    return selectors.test_get(user=request.user, pk=test_id)


@router.get(
    "/knowledge",
    response=KnowledgeOut,
    summary="Knowledge gap per area and topic, and the cadres below the pass mark",
)
def knowledge(request: HttpRequest, area: str | None = None) -> dict[str, Any]:
    _needs(request, NAMED)
    chosen = area_or_first_root(request.user, area, NAMED)
    board = selectors.dashboard(area=chosen, today=timezone.localdate())
    below = selectors.cadres_below_pass_mark(user=request.user, area=chosen)
    return {
        "area": chosen.code,
        "pass_mark": board.pass_mark,
        "rows": [_board_row(r) for r in board.rows],
        "below_pass_mark": [
            {
                "cadre_id": row.cadre.pk,
                "name": row.cadre.person.full_name,
                "area": row.cadre.area_id,
                "test_id": row.test.pk,
                "score": row.test.score,
                "topics": dict(zip(Topic.values, row.topic_percents(), strict=True)),
            }
            for row in below
        ],
    }


def _board_row(row: selectors.AreaRow) -> dict[str, Any]:
    return {
        "area": row.area.code,
        "name": str(row.area),
        "own": row.own,
        "families": row.families,
        "active": row.active,
        "per_100_families": row.per_100_families,
        "inactive": row.inactive,
        "deactivated": row.deactivated,
        "not_registered": row.not_registered,
        "tested": row.tested,
        "mean_score": row.mean_score,
        "topics": dict(zip(Topic.values, row.topic_percents(), strict=True)),
    }


@router.get(
    "/dashboard",
    response=DashboardOut,
    summary="Cadre figures of an area and of each area in it (counts only)",
)
def dashboard(request: HttpRequest, area: str | None = None) -> dict[str, Any]:
    _needs(request, VIEW)
    chosen = area_or_first_root(request.user, area, VIEW)
    board = selectors.dashboard(area=chosen, today=timezone.localdate())
    without = selectors.areas_without_cadre(user=request.user, within=chosen.code, capability=VIEW)
    return {
        "area": chosen.code,
        "on": board.today,
        "pass_mark": board.pass_mark,
        "without_cadre": without.count(),
        "rows": [_board_row(r) for r in board.rows],
        "total": {**_board_row(board.total), "own": False},
    }


# -- Monthly meetings (issue 6), before the /{cadre_id} routes that would take their paths -------


def _month_param(value: str | None, field: str = "month") -> dt.date:
    """``YYYY-MM`` to the month's first day (this month when not given)."""
    if not value:
        return month_start(timezone.localdate())
    try:
        return parse_month(value)
    except ValueError as exc:
        raise CadreProblem.MONTH_INVALID.on(field) from exc


def _meeting_out(request: HttpRequest, meeting: Meeting) -> dict[str, Any]:
    return {
        "id": meeting.pk,
        "village": meeting.village_id,
        "month": meeting.month.strftime("%Y-%m"),
        "held_on": meeting.activity.held_on,
        "place": meeting.activity.place,
        "activity_id": meeting.activity_id,
        "minutes": meeting.minutes,
        "problems": meeting.problems,
        "decisions": meeting.decisions,
        "agenda_frozen": bool(meeting.agenda),
        "agenda": meetings_selectors.meeting_agenda(meeting, user=request.user),
        "attendance": meetings_selectors.meeting_attendance(meeting),
        "action_items": list(meetings_selectors.meeting_items(meeting)),
    }


def _meeting(request: HttpRequest, meeting_id: int, capability: Capability = NAMED) -> Meeting:
    return meetings_selectors.meeting_get(user=request.user, pk=meeting_id, capability=capability)


def _owner(request: HttpRequest, owner_id: int | None) -> Cadre | None:
    if owner_id is None:
        return None
    return selectors.cadre_get(user=request.user, pk=owner_id, capability=EDIT)


@router.get(
    "/meetings",
    response=list[MeetingRowOut],
    summary="The villages of an area and their cadre meeting of a month (held or not)",
)
@paginate(PageNumberPagination, **PAGES)
def meeting_list(
    request: HttpRequest, area: str | None = None, month: str | None = None
) -> list[dict[str, Any]]:
    _needs(request, NAMED)
    chosen = area_or_first_root(request.user, area, NAMED)
    period = _month_param(month)
    return [
        {
            "village": row.village.code,
            "village_name": row.village.name,
            "month": period.strftime("%Y-%m"),
            "held": row.meeting is not None,
            "meeting_id": row.meeting.pk if row.meeting else None,
            "held_on": row.meeting.activity.held_on if row.meeting else None,
            "attendees": row.meeting.attendees if row.meeting else None,  # type: ignore[attr-defined]
            "open_items": row.meeting.open_items if row.meeting else None,  # type: ignore[attr-defined]
            "minutes_written": bool(row.meeting and row.meeting.minutes),
        }
        for row in meetings_selectors.meeting_rows(user=request.user, area=chosen, month=period)
    ]


@router.post("/meetings", response={201: MeetingOut}, summary="Record a village's monthly meeting")
def meeting_create(request: HttpRequest, payload: MeetingIn) -> Status[dict[str, Any]]:
    _needs(request, EDIT)
    meeting = meetings_services.meeting_open(
        village=area_or_404(request.user, payload.village, EDIT),
        month=_month_param(payload.month),
        held_on=payload.held_on,
        place=payload.place,
        actor=request.user,
    )
    return Status(201, _meeting_out(request, _meeting(request, meeting.pk)))


@router.get(
    "/meetings/{meeting_id}",
    response=MeetingOut,
    summary="One meeting: agenda (frozen once minutes are saved), attendance, minutes, tasks",
)
def meeting_read(request: HttpRequest, meeting_id: int) -> dict[str, Any]:
    return _meeting_out(request, _meeting(request, meeting_id))


@router.put("/meetings/{meeting_id}/minutes", response=MeetingOut, summary="Save the minutes")
def meeting_minutes(request: HttpRequest, meeting_id: int, payload: MinutesIn) -> dict[str, Any]:
    meeting = _meeting(request, meeting_id, EDIT)
    meetings_services.minutes_save(
        meeting=meeting,
        minutes=payload.minutes,
        problems=payload.problems,
        decisions=payload.decisions,
        actor=request.user,
    )
    return _meeting_out(request, meeting)


@router.put(
    "/meetings/{meeting_id}/attendance",
    response=MeetingOut,
    summary="The village's cadres present (the others are unticked)",
)
def meeting_attendance(
    request: HttpRequest, meeting_id: int, payload: AttendanceIn
) -> dict[str, Any]:
    meeting = _meeting(request, meeting_id, EDIT)
    meetings_services.meeting_attendance_set(
        meeting=meeting, present=payload.present, actor=request.user
    )
    return _meeting_out(request, meeting)


@router.post("/meetings/{meeting_id}/items", response={201: ActionItemOut}, summary="Add a task")
def meeting_item_add(
    request: HttpRequest, meeting_id: int, payload: ActionItemIn
) -> Status[ActionItem]:
    meeting = _meeting(request, meeting_id, EDIT)
    item = meetings_services.action_item_add(
        meeting=meeting,
        description=payload.description,
        owner=_owner(request, payload.owner_id),
        owner_name=payload.owner_name,
        due_on=payload.due_on,
        actor=request.user,
    )
    return Status(201, item)


@router.post(
    "/meetings/{meeting_id}/carry",
    response=list[ActionItemOut],
    summary="Carry last month's open tasks into this meeting",
)
def meeting_carry(request: HttpRequest, meeting_id: int) -> list[ActionItem]:
    meeting = _meeting(request, meeting_id, EDIT)
    return meetings_services.carry_over(meeting=meeting, actor=request.user)


@router.put("/meetings/items/{item_id}", response=ActionItemOut, summary="Change an open task")
def meeting_item_update(request: HttpRequest, item_id: int, payload: ActionItemIn) -> ActionItem:
    item = meetings_selectors.action_item_get(user=request.user, pk=item_id, capability=EDIT)
    return meetings_services.action_item_update(
        item=item,
        description=payload.description,
        owner=_owner(request, payload.owner_id),
        owner_name=payload.owner_name,
        due_on=payload.due_on,
        actor=request.user,
    )


@router.post("/meetings/items/{item_id}/close", response=ActionItemOut, summary="Close a task")
def meeting_item_close(request: HttpRequest, item_id: int, payload: ActionCloseIn) -> ActionItem:
    item = meetings_selectors.action_item_get(user=request.user, pk=item_id, capability=EDIT)
    return meetings_services.action_item_close(
        item=item, status=payload.status, closed_on=payload.closed_on, actor=request.user
    )


@router.get(
    "/field-control",
    response=FieldControlOut,
    summary="Monthly field-control report (F/I/Dal-like) per village of an area",
)
def field_control(
    request: HttpRequest, area: str | None = None, month: str | None = None
) -> dict[str, Any]:
    _needs(request, VIEW)
    chosen = area_or_first_root(request.user, area, VIEW)
    report = meetings_selectors.field_control(area=chosen, month=_month_param(month))

    def row(r: Any, code: str, name: str) -> dict[str, Any]:
        return {"area": code, "name": name, **{f: getattr(r, f) for f in r.FIGURES}}

    return {
        "area": chosen.code,
        "month": report.month.strftime("%Y-%m"),
        "rows": [row(r, r.area.code, r.area.name) for r in report.rows if r.area],
        "total": row(report.total, chosen.code, chosen.name),
    }


@router.get("/{cadre_id}", response=CadreOut, summary="One cadre")
def cadre_detail(request: HttpRequest, cadre_id: int) -> Cadre:
    return _cadre_out(request, cadre_id)


@router.put("/{cadre_id}", response=CadreOut, summary="Change dates, decree, phone, TPK seat")
def cadre_update(request: HttpRequest, cadre_id: int, payload: CadreUpdateIn) -> Cadre:
    cadre = _cadre(request, cadre_id, EDIT)
    services.cadre_update(
        cadre=cadre,
        data=CadreData(
            role=cadre.role,
            area=cadre.area,
            started_on=payload.started_on,
            decree_number=payload.decree_number,
            decree_date=payload.decree_date,
            phone=payload.phone,
            tpk_team=_team(request, payload.tpk_team_id),
            team_role=payload.team_role,
        ),
        actor=request.user,
    )
    return _cadre_out(request, cadre_id)


@router.post("/{cadre_id}/deactivate", response=CadreOut, summary="Deactivate (never deleted)")
def cadre_deactivate(request: HttpRequest, cadre_id: int, payload: DeactivateIn) -> Cadre:
    services.cadre_deactivate(
        cadre=_cadre(request, cadre_id, EDIT),
        ended_on=payload.ended_on,
        reason=payload.reason,
        actor=request.user,
    )
    return _cadre_out(request, cadre_id)


@router.get(
    "/{cadre_id}/registrations", response=list[RegistrationOut], summary="K/0 registrations"
)
def registration_list(request: HttpRequest, cadre_id: int) -> QuerySet[CadreRegistration]:
    return selectors.cadre_registrations(_cadre(request, cadre_id))


@router.post(
    "/{cadre_id}/registrations",
    response={201: RegistrationOut},
    summary="Re-register a cadre for a year (K/0, once per year)",
)
def registration_create(
    request: HttpRequest, cadre_id: int, payload: RegistrationIn
) -> Status[CadreRegistration]:
    registration = services.cadre_reregister(
        cadre=_cadre(request, cadre_id, EDIT),
        year=payload.year,
        registered_on=payload.registered_on,
        actor=request.user,
    )
    return Status(201, registration)


@router.get("/{cadre_id}/tests", response=list[TestListOut], summary="A cadre's knowledge tests")
def test_list(request: HttpRequest, cadre_id: int) -> QuerySet[KnowledgeTest]:
    return selectors.cadre_tests(_cadre(request, cadre_id))


@router.post(
    "/{cadre_id}/tests",
    response={201: TestOut},
    summary="Record a knowledge test: the answers given; the score is computed",
)
def test_create(request: HttpRequest, cadre_id: int, payload: TestIn) -> Status[KnowledgeTest]:
    cadre = _cadre(request, cadre_id, EDIT)
    training = None
    if payload.training_id is not None:
        training = selectors.training_get(
            user=request.user, pk=payload.training_id, capability=EDIT
        )
    answers: dict[int, str] = {}
    for item in payload.answers:
        answers[item.question_id] = item.chosen
    test = services.test_record(
        cadre=cadre,
        training=training,
        phase=payload.phase,
        taken_on=payload.taken_on,
        answers=answers,
        actor=request.user,
    )
    return Status(201, selectors.test_get(user=request.user, pk=test.pk))
