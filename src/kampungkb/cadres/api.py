"""The cadres API: the roster with its yearly K/0 registrations, TPK teams, the question bank,
knowledge tests, the knowledge gap and the dashboard figures.

Named records need ``view_persons`` in the area a cadre serves; writes ``edit_programme``;
anything outside the caller's areas is 404 and nothing is written. The dashboard holds counts
only and is open to aggregate roles.

The incentive ledger (decision 0028): the PKB officer (``supervise_cadres``) lists the home visits
to verify, computes, proposes and reopens a village's monthly proposal; the district
(``approve_incentives``) sets the rules, approves or returns a proposal and records payments. A
caller without the capability is answered 404, as for an area outside its scope. Amounts are
whole rupiah; months are ``YYYY-MM``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Router, Status
from ninja.errors import ValidationError as RequestValidationError
from ninja.pagination import PageNumberPagination, paginate

from kampungkb.accounts.scope import Capability, area_or_404, area_or_first_root, scope_for
from kampungkb.cadres import (
    incentives_selectors,
    incentives_services,
    meetings_selectors,
    meetings_services,
    selectors,
    services,
)
from kampungkb.cadres.errors import CadreProblem
from kampungkb.cadres.models import (
    ActionItem,
    BatchStatus,
    Cadre,
    CadreRegistration,
    IncentiveBatch,
    IncentiveLine,
    IncentiveRule,
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
    BatchDetailOut,
    BatchOut,
    CadreIn,
    CadreOut,
    CadreUpdateIn,
    ComputeIn,
    DashboardOut,
    DeactivateIn,
    FieldControlOut,
    HomeVisitOut,
    KnowledgeOut,
    LineDetailOut,
    MeetingIn,
    MeetingOut,
    MeetingRowOut,
    MinutesIn,
    PayIn,
    QuestionOut,
    ReasonIn,
    RegistrationIn,
    RegistrationOut,
    RuleIn,
    RuleOut,
    RulePatchIn,
    TeamIn,
    TeamOut,
    TeamUpdateIn,
    TestIn,
    TestListOut,
    TestOut,
    team_out,
)
from kampungkb.cadres.services import KEEP, CadreData
from kampungkb.contraception.models import FollowUp
from kampungkb.core.periods import month_start, parse_month
from kampungkb.regions.models import Area
from kampungkb.regions.selectors import subtree_q

NAMED = Capability.VIEW_PERSONS
VIEW = Capability.VIEW_AGGREGATES
EDIT = Capability.EDIT_PROGRAMME
SUPERVISE = Capability.SUPERVISE_CADRES
APPROVE = Capability.APPROVE_INCENTIVES
MAX_PAGE_SIZE = 200
PAGES = {"page_size": settings.KAMPUNGKB_PAGE_SIZE, "max_page_size": MAX_PAGE_SIZE}

router = Router()


def _needs(request: HttpRequest, capability: Capability) -> None:
    if not scope_for(request.user).can(capability):
        raise Http404


def _cadre(request: HttpRequest, cadre_id: int, capability: Capability = NAMED) -> Cadre:
    return selectors.cadre_get(user=request.user, pk=cadre_id, capability=capability)


def _cadre_out(request: HttpRequest, cadre_id: int) -> Cadre:
    roster = selectors.roster(user=request.user, status="all").select_related("account")
    cadre = roster.filter(pk=cadre_id).first()
    if cadre is None:
        raise Http404
    return cadre


def _team(request: HttpRequest, team_id: int | None) -> TpkTeam | None:
    if team_id is None:
        return None
    return selectors.team_get(user=request.user, pk=team_id, capability=EDIT)


def _account(payload: CadreIn | CadreUpdateIn, area: Area) -> Any:
    """The login named by ``payload.account``: KEEP when not sent, None when null. A username
    that is not a cadre login of the area's village is refused like one working elsewhere, so
    that the answer tells nothing of other areas' accounts."""
    if "account" not in payload.model_fields_set:
        return KEEP
    if payload.account is None:
        return None
    account = selectors.account_choices(area=area).filter(username=payload.account).first()
    if account is None:
        raise CadreProblem.ACCOUNT_OTHER_AREA.on("account", username=payload.account)
    return account


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
    ).select_related("account")


@router.post("", response={201: CadreOut}, summary="Register a cadre (with this year's K/0)")
def cadre_create(request: HttpRequest, payload: CadreIn) -> Status[Cadre]:
    _needs(request, EDIT)
    person = selectors.person_for_roster(user=request.user, pk=payload.person_id)
    area = area_or_404(request.user, payload.area, EDIT)
    cadre = services.cadre_register(
        person=person,
        data=CadreData(
            role=payload.role,
            area=area,
            started_on=payload.started_on,
            decree_number=payload.decree_number,
            decree_date=payload.decree_date,
            phone=payload.phone,
            tpk_team=_team(request, payload.tpk_team_id),
            team_role=payload.team_role,
            account=_account(payload, area),
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
    return (
        selectors.roster(user=request.user, status="active")
        .filter(pk__in=ids)
        .select_related("account")
    )


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


# -- Incentives (issue 6, decision 0028), before the /{cadre_id} routes -------------------------------

RULE_FIELDS = (
    "role",
    "base_honorarium",
    "per_home_visit",
    "per_referral",
    "per_meeting",
    "per_training",
    "max_home_visits",
    "max_referrals",
    "max_total",
    "referral_window_days",
    "note",
)


def _rules_with_use(rules: QuerySet[IncentiveRule]) -> QuerySet[IncentiveRule]:
    """Each rule with ``in_use`` (an approved or paid revision pays by it), in one query."""
    paying = IncentiveLine.objects.filter(
        incentives_selectors.CURRENT,
        rule=OuterRef("pk"),
        batch__status__in=incentives_selectors.PAYABLE,
    )
    return rules.annotate(in_use=Exists(paying))


def _rule_out(request: HttpRequest, rule_id: int) -> IncentiveRule:
    rules = incentives_selectors.rule_list(user=request.user).filter(pk=rule_id)
    return _rules_with_use(rules).get()


@router.get(
    "/incentive-rules",
    response=list[RuleOut],
    summary="Incentive rules: the rates each district pays its cadres from a month on",
    description="The rules of the districts in the caller's areas and above them; with "
    "``area`` (one of the caller's areas), those that pay the cadres of that area.",
)
@paginate(PageNumberPagination, **PAGES)
def rule_list(request: HttpRequest, area: str | None = None) -> QuerySet[IncentiveRule]:
    _needs(request, VIEW)
    rules = incentives_selectors.rule_list(user=request.user)
    if area:
        code = area_or_404(request.user, area, VIEW).code
        rules = rules.filter(
            Q(area_id__in=incentives_selectors.ancestor_codes(code)) | subtree_q("area_id", [code])
        )
    return _rules_with_use(rules)


@router.post("/incentive-rules", response={201: RuleOut}, summary="Set a district's rates")
def rule_create(request: HttpRequest, payload: RuleIn) -> Status[IncentiveRule]:
    _needs(request, APPROVE)
    area = area_or_404(request.user, payload.area, APPROVE)
    data = incentives_services.RuleData(
        area=area,
        valid_from=_month_param(payload.valid_from, "valid_from"),
        **{name: getattr(payload, name) for name in RULE_FIELDS},
    )
    rule = incentives_services.rule_create(data=data, actor=request.user)
    return Status(201, _rule_out(request, rule.pk))


def _rule_update(request: HttpRequest, rule: IncentiveRule, sent: dict[str, Any]) -> IncentiveRule:
    values: dict[str, Any] = {name: getattr(rule, name) for name in RULE_FIELDS}
    values.update({name: sent[name] for name in RULE_FIELDS if name in sent})
    area = area_or_404(request.user, sent["area"], APPROVE) if "area" in sent else rule.area
    valid_from = (
        _month_param(sent["valid_from"], "valid_from") if "valid_from" in sent else rule.valid_from
    )
    data = incentives_services.RuleData(area=area, valid_from=valid_from, **values)
    incentives_services.rule_update(rule=rule, data=data, actor=request.user)
    return _rule_out(request, rule.pk)


@router.put(
    "/incentive-rules/{rule_id}",
    response=RuleOut,
    summary="Correct a rule no approved incentive pays by yet",
)
def rule_update(request: HttpRequest, rule_id: int, payload: RuleIn) -> IncentiveRule:
    rule = incentives_selectors.rule_get(user=request.user, pk=rule_id)
    return _rule_update(request, rule, payload.model_dump())


@router.patch(
    "/incentive-rules/{rule_id}",
    response=RuleOut,
    summary="Correct some fields of a rule no approved incentive pays by yet",
)
def rule_patch(request: HttpRequest, rule_id: int, payload: RulePatchIn) -> IncentiveRule:
    rule = incentives_selectors.rule_get(user=request.user, pk=rule_id)
    return _rule_update(request, rule, payload.model_dump(exclude_unset=True))


def _batch(request: HttpRequest, batch_id: int, capability: Capability = NAMED) -> IncentiveBatch:
    return incentives_selectors.batch_get(user=request.user, pk=batch_id, capability=capability)


def _batch_out(request: HttpRequest, batch_id: int) -> IncentiveBatch:
    """The batch as the detail shows it: current lines, events and drift as attributes."""
    batch = incentives_selectors.batch_get(user=request.user, pk=batch_id)
    lines = list(incentives_selectors.current_lines(batch).select_related("paid_by"))
    batch.cadre_count = len(lines)  # type: ignore[attr-defined]
    batch.lines_out = lines  # type: ignore[attr-defined]
    batch.events_out = list(incentives_selectors.batch_events(batch))  # type: ignore[attr-defined]
    batch.drift = incentives_selectors.batch_drift(batch)  # type: ignore[attr-defined]
    return batch


@router.get(
    "/incentives",
    response=list[BatchOut],
    summary="Monthly incentive proposals of the villages (by area, month, status)",
    description="``month`` is YYYY-MM; ``status`` one of " + ", ".join(BatchStatus.values) + ".",
)
@paginate(PageNumberPagination, **PAGES)
def batch_list(
    request: HttpRequest, area: str | None = None, month: str | None = None, status: str = ""
) -> QuerySet[IncentiveBatch]:
    # Typed ``str``: the paginated view's annotations are read where ninja wraps it.
    _needs(request, NAMED)
    if status and status not in BatchStatus.values:
        raise RequestValidationError(
            [{"loc": ("query", "status"), "type": "enum", "msg": ", ".join(BatchStatus.values)}]
        )
    return incentives_selectors.batch_list(
        user=request.user,
        area_code=area_or_404(request.user, area, NAMED).code if area else None,
        month=_month_param(month) if month else None,
        status=status,
    ).select_related("proposed_by", "decided_by")


@router.post(
    "/incentives/compute",
    response=BatchDetailOut,
    summary="Compute (or compute again) a village's incentives of a month from the records",
)
def batch_compute(request: HttpRequest, payload: ComputeIn) -> IncentiveBatch:
    _needs(request, SUPERVISE)
    batch = incentives_services.batch_compute(
        village=area_or_404(request.user, payload.village, SUPERVISE),
        month=_month_param(payload.month),
        actor=request.user,
    )
    return _batch_out(request, batch.pk)


@router.get(
    "/incentives/visits",
    response=list[HomeVisitOut],
    summary="The follow-ups of a month recorded with the village's cadre logins, to verify",
)
@paginate(PageNumberPagination, **PAGES)
def visit_list(request: HttpRequest, village: str, month: str | None = None) -> QuerySet[FollowUp]:
    _needs(request, SUPERVISE)
    return incentives_selectors.visits_to_verify(
        user=request.user,
        village=area_or_404(request.user, village, SUPERVISE),
        month=_month_param(month),
    )


@router.get(
    "/incentives/{batch_id}",
    response=BatchDetailOut,
    summary="One proposal: its current lines, its trail, and whether the records changed since",
)
def batch_detail(request: HttpRequest, batch_id: int) -> IncentiveBatch:
    return _batch_out(request, batch_id)


@router.post(
    "/incentives/{batch_id}/propose",
    response=BatchDetailOut,
    summary="Propose the computed incentives for approval (PKB officer)",
)
def batch_propose(request: HttpRequest, batch_id: int) -> IncentiveBatch:
    batch = _batch(request, batch_id, SUPERVISE)
    incentives_services.batch_propose(batch=batch, actor=request.user)
    return _batch_out(request, batch_id)


@router.post(
    "/incentives/{batch_id}/approve",
    response=BatchDetailOut,
    summary="Approve a proposal (district; not who proposed it)",
)
def batch_approve(request: HttpRequest, batch_id: int) -> IncentiveBatch:
    batch = _batch(request, batch_id, APPROVE)
    incentives_services.batch_approve(batch=batch, actor=request.user)
    return _batch_out(request, batch_id)


@router.post(
    "/incentives/{batch_id}/return",
    response=BatchDetailOut,
    summary="Return a proposal to the PKB officer with a reason (district)",
)
def batch_return(request: HttpRequest, batch_id: int, payload: ReasonIn) -> IncentiveBatch:
    batch = _batch(request, batch_id, APPROVE)
    incentives_services.batch_return(batch=batch, reason=payload.reason, actor=request.user)
    return _batch_out(request, batch_id)


@router.post(
    "/incentives/{batch_id}/reopen",
    response=BatchDetailOut,
    summary="Reopen an approved, unpaid proposal: a new revision needing a new approval",
)
def batch_reopen(request: HttpRequest, batch_id: int, payload: ReasonIn) -> IncentiveBatch:
    batch = _batch(request, batch_id, SUPERVISE)
    incentives_services.batch_reopen(batch=batch, reason=payload.reason, actor=request.user)
    return _batch_out(request, batch_id)


@router.post(
    "/incentives/{batch_id}/pay",
    response=BatchDetailOut,
    summary="Record that cadres of an approved proposal were paid (district)",
)
def batch_pay(request: HttpRequest, batch_id: int, payload: PayIn) -> IncentiveBatch:
    batch = _batch(request, batch_id, APPROVE)
    ids = list(dict.fromkeys(payload.lines))
    found = {
        line.pk: line for line in batch.lines.filter(pk__in=ids).select_related("cadre__person")
    }
    if len(found) != len(ids):
        raise Http404
    incentives_services.lines_mark_paid(
        batch=batch,
        lines=[found[pk] for pk in ids],
        paid_on=payload.paid_on,
        reference=payload.reference,
        actor=request.user,
    )
    return _batch_out(request, batch_id)


@router.get(
    "/incentive-lines/{line_id}",
    response=LineDetailOut,
    summary="One cadre's line of a proposal with the records behind every amount",
)
def line_detail(request: HttpRequest, line_id: int) -> IncentiveLine:
    return incentives_selectors.line_get(user=request.user, pk=line_id)


@router.get("/{cadre_id}", response=CadreOut, summary="One cadre")
def cadre_detail(request: HttpRequest, cadre_id: int) -> Cadre:
    return _cadre_out(request, cadre_id)


@router.put(
    "/{cadre_id}",
    response=CadreOut,
    summary="Change dates, decree, phone, TPK seat, login account",
)
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
            account=_account(payload, cadre.area),
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


# The TPK at work (decision 0036) lives in its own module.
from kampungkb.cadres.api_tpk import router as tpk_router  # noqa: E402

router.add_router("/tpk", tpk_router)
