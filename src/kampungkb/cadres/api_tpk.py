"""The TPK at work in the API (decisions 0036 and 0040), under ``/api/cadres/tpk``: assignments (list,
create, end, assign every family at risk), visits (list, record), a team's worklist and the
coverage of an area and month.

Named records need ``view_persons`` in the team's village (a team's member may also read its
worklist and record its visits through its own login); assignments ``edit_programme``; the
coverage is counts only (``view_aggregates``). Outside the caller's areas is 404, refused input
422 with messages in Bahasa Indonesia and English, and nothing is written.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from kampungkb.accounts.scope import Capability, area_or_404, area_or_first_root, scope_for
from kampungkb.cadres import tpk_selectors as selectors
from kampungkb.cadres import tpk_services as services
from kampungkb.cadres.models import TpkAssignment, TpkVisit
from kampungkb.cadres.selectors import team_get
from kampungkb.cadres.tpk_errors import TpkProblem
from kampungkb.core.periods import parse_month

NAMED = Capability.VIEW_PERSONS
EDIT = Capability.EDIT_PROGRAMME
VIEW = Capability.VIEW_AGGREGATES
PAGES = {"page_size": settings.KAMPUNGKB_PAGE_SIZE, "max_page_size": 200}

router = Router()


class AssignmentIn(Schema):
    team: int
    kind: str = Field(description="family, pregnancy, postpartum, child or bride")
    target: int = Field(
        description="the family, pregnancy (also for postpartum), child or bride-to-be id"
    )
    started_on: dt.date


class EndIn(Schema):
    ended_on: dt.date


class AtRiskIn(Schema):
    on: dt.date | None = None


class AssignmentOut(Schema):
    id: int
    team: int = Field(alias="team_id")
    kind: str
    target: int = Field(alias="target_id")
    name: str
    family: int | None = Field(description="the target's family; null for a bride-to-be")
    bride: int | None = Field(alias="bride_id")
    started_on: dt.date
    ended_on: dt.date | None
    end_reason: str

    @staticmethod
    def resolve_name(obj: TpkAssignment) -> str:
        return selectors.target_name(obj)

    @staticmethod
    def resolve_family(obj: TpkAssignment) -> int | None:
        family = selectors.target_family(obj)
        return family.pk if family is not None else None


class VisitIn(Schema):
    assignment: int
    visited_on: dt.date
    members: list[int]
    spacing_counselling: bool = False
    nutrition_counselling: bool = False
    postpartum_contraception: bool = False
    referred_to_puskesmas: bool = False
    social_assistance: bool = False
    notes: str = ""
    next_visit_on: dt.date | None = None


class VisitOut(Schema):
    id: int
    assignment: int = Field(alias="assignment_id")
    team: int = Field(alias="team_id")
    visited_on: dt.date
    members: list[int]
    spacing_counselling: bool
    nutrition_counselling: bool
    postpartum_contraception: bool
    referred_to_puskesmas: bool
    social_assistance: bool
    notes: str
    next_visit_on: dt.date

    @staticmethod
    def resolve_members(obj: TpkVisit) -> list[int]:
        return sorted(m.pk for m in obj.members.all())


class WorkItemOut(Schema):
    assignment: int
    kind: str
    name: str
    family: int | None
    area: str
    last_visit: dt.date | None
    next_due: dt.date | None
    due: str
    risk_reasons: list[str]


class CoverageOut(Schema):
    area: str
    month: str
    families_at_risk: int
    families_visited: int
    families_share: Decimal | None
    pregnant: int
    pregnant_visited: int
    pregnant_share: Decimal | None
    postpartum: int
    postpartum_visited: int
    postpartum_share: Decimal | None
    brides: int
    brides_visited: int
    brides_share: Decimal | None


def _needs(request: HttpRequest, capability: Capability) -> None:
    if not scope_for(request.user).can(capability):
        raise Http404


@router.get(
    "/assignments",
    response=list[AssignmentOut],
    summary="TPK assignments (by team or area; status open, ended or all)",
)
@paginate(PageNumberPagination, **PAGES)
def assignment_list(
    request: HttpRequest, team: int | None = None, area: str | None = None, status: str = "open"
) -> QuerySet[TpkAssignment]:
    _needs(request, NAMED)
    return selectors.assignments(
        user=request.user,
        team=team_get(user=request.user, pk=team) if team else None,
        area_code=area_or_404(request.user, area, NAMED).code if area else None,
        status=status,
    )


@router.post("/assignments", response={201: AssignmentOut}, summary="Assign a target to a TPK team")
def assignment_create(request: HttpRequest, payload: AssignmentIn) -> Status[TpkAssignment]:
    team = team_get(user=request.user, pk=payload.team, capability=EDIT)
    target = selectors.target_get(
        kind=payload.kind, pk=payload.target, village_code=team.village_id
    )
    assignment = services.tpk_assignment_create(
        team=team,
        kind=payload.kind,
        target=target,
        started_on=payload.started_on,
        actor=request.user,
    )
    return Status(201, assignment)


@router.post(
    "/assignments/{assignment_id}/end", response=AssignmentOut, summary="End an assignment"
)
def assignment_end(request: HttpRequest, assignment_id: int, payload: EndIn) -> TpkAssignment:
    assignment = selectors.assignment_get(user=request.user, pk=assignment_id, capability=EDIT)
    services.tpk_assignment_end(
        assignment=assignment, ended_on=payload.ended_on, actor=request.user
    )
    return assignment


@router.post(
    "/teams/{team_id}/assign-at-risk",
    response={201: list[AssignmentOut]},
    summary="Assign every family at risk of the village that no team accompanies",
)
def assign_at_risk(
    request: HttpRequest, team_id: int, payload: AtRiskIn
) -> Status[list[TpkAssignment]]:
    team = team_get(user=request.user, pk=team_id, capability=EDIT)
    created = services.tpk_assign_at_risk(
        team=team, on=payload.on or timezone.localdate(), actor=request.user
    )
    return Status(201, created)


@router.get("/visits", response=list[VisitOut], summary="TPK visits (by team or assignment)")
@paginate(PageNumberPagination, **PAGES)
def visit_list(
    request: HttpRequest, team: int | None = None, assignment: int | None = None
) -> QuerySet[TpkVisit]:
    _needs(request, NAMED)
    return selectors.visits(
        user=request.user,
        team=team_get(user=request.user, pk=team) if team else None,
        assignment=selectors.assignment_get(user=request.user, pk=assignment)
        if assignment
        else None,
    )


@router.post("/visits", response={201: VisitOut}, summary="Record a TPK visit")
def visit_create(request: HttpRequest, payload: VisitIn) -> Status[TpkVisit]:
    assignment = selectors.assignment_for_visit(user=request.user, pk=payload.assignment)
    visit = services.tpk_visit_record(
        assignment=assignment,
        visited_on=payload.visited_on,
        members=payload.members,
        checklist={key: getattr(payload, key) for key in TpkVisit.CHECKLIST},
        notes=payload.notes,
        next_visit_on=payload.next_visit_on,
        actor=request.user,
    )
    return Status(201, visit)


@router.get(
    "/teams/{team_id}/worklist",
    response=list[WorkItemOut],
    summary="A team's targets with the next visit due (overdue first)",
)
def worklist(request: HttpRequest, team_id: int, on: dt.date | None = None) -> list[dict]:
    team = selectors.worklist_team(user=request.user, pk=team_id)
    return [
        {
            "assignment": i.assignment.pk,
            "kind": i.assignment.kind,
            "name": i.name,
            "family": i.family.pk if i.family is not None else None,
            "area": i.area.code,
            "last_visit": i.last_visit,
            "next_due": i.next_due,
            "due": i.due,
            "risk_reasons": [str(r.value) for r in i.risk_reasons],
        }
        for i in selectors.worklist(team, on or timezone.localdate())
    ]


@router.get("/coverage", response=CoverageOut, summary="TPK coverage of an area in a month")
def coverage(request: HttpRequest, month: str, area: str | None = None) -> dict[str, Any]:
    _needs(request, VIEW)
    found = area_or_first_root(request.user, area, VIEW)
    try:
        first = parse_month(month)
    except ValueError as error:
        raise TpkProblem.MONTH_INVALID.on("month") from error
    c = selectors.tpk_coverage(found.code, first)
    return {
        "area": found.code,
        "month": first.strftime("%Y-%m"),
        **{f: getattr(c, f) for f in selectors.Coverage.FIGURES},
        "families_share": c.families_share,
        "pregnant_share": c.pregnant_share,
        "postpartum_share": c.postpartum_share,
        "brides_share": c.brides_share,
    }
