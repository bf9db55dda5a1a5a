"""The activities API: activities with attendance (named and counted), contributions and the
partners involved; poktan and their members.

Reads go through the selectors (scoped; partner users see their partner's activities only, users
who see aggregates only get no names); writes through the services with ``actor=request.user``.
Records to change are fetched with ``Capability.EDIT_PROGRAMME``, so anything outside the caller's
areas is 404 and nothing is written.
"""

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Router, Status
from ninja.pagination import PageNumberPagination, paginate

from kampungkb.accounts.scope import Capability, area_or_404, scope_for
from kampungkb.activities import selectors, services
from kampungkb.activities.models import Activity, ActivityStatus, Poktan, PoktanMember
from kampungkb.activities.schemas import (
    ActivityCancelIn,
    ActivityHoldIn,
    ActivityIn,
    ActivityListOut,
    ActivityOut,
    ActivityPlanIn,
    AttendanceIn,
    AttendanceOut,
    ContributionIn,
    ContributionOut,
    CountsIn,
    MemberEndIn,
    MemberIn,
    MemberOut,
    PartnerLinkOut,
    PartnerSetIn,
    PoktanIn,
    PoktanOut,
    activity_out,
)
from kampungkb.core.errors import QueryProblem
from kampungkb.core.periods import month_end, parse_month
from kampungkb.families import selectors as family_selectors
from kampungkb.partners.models import Partner

MAX_PAGE_SIZE = 200
EDIT = Capability.EDIT_PROGRAMME
PAGES = {"page_size": settings.KAMPUNGKB_PAGE_SIZE, "max_page_size": MAX_PAGE_SIZE}

router = Router()


def _area_filter(request: HttpRequest, area: str | None) -> str | None:
    return area_or_404(request.user, area).code if area else None


def _activity(
    request: HttpRequest, activity_id: int, capability: Capability | None = None
) -> Activity:
    return selectors.activity_get(user=request.user, pk=activity_id, capability=capability)


def _poktan_or_404(request: HttpRequest, poktan_id: int | None) -> Poktan | None:
    if poktan_id is None:
        return None
    return selectors.poktan_get(user=request.user, pk=poktan_id, capability=EDIT)


def _partners_or_404(
    request: HttpRequest, ids: list[int] | None, activity: Activity | None = None
) -> list[Partner] | None:
    if ids is None:
        return None
    visible = selectors.partner_choices(user=request.user, include_inactive=True)
    found = {p.pk: p for p in visible.filter(pk__in=ids)}
    if activity is not None:
        found |= {p.pk: p for p in activity.partners.filter(pk__in=ids)}
    if set(ids) - found.keys():
        raise Http404
    return [found[i] for i in ids]


def _detail(request: HttpRequest, activity_id: int) -> dict[str, Any]:
    return activity_out(_activity(request, activity_id), request.user)


# ---- activities -----------------------------------------------------------------------------


@router.get(
    "/activities",
    response=list[ActivityListOut],
    summary="List activities with attendance totals, newest first",
)
@paginate(PageNumberPagination, **PAGES)
def activity_list(
    request: HttpRequest,
    area: str | None = None,
    month: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    kind: str | None = None,
    partner_id: int | None = None,
    q: str = "",
    status: ActivityStatus | None = None,
) -> QuerySet[Activity]:
    if month:
        try:
            date_from = parse_month(month)
        except ValueError as exc:
            raise QueryProblem.MONTH.on("month", value=month[:20]) from exc
        date_to = month_end(date_from)
    return selectors.activity_list(
        user=request.user,
        area_code=_area_filter(request, area),
        date_from=date_from,
        date_to=date_to,
        kind=kind,
        partner_id=partner_id,
        query=q,
        status=status,
    )


@router.post("/activities", response={201: ActivityOut}, summary="Record an activity")
def activity_create(request: HttpRequest, payload: ActivityIn) -> Status[dict[str, Any]]:
    activity = services.activity_create(
        data=payload.to_data(
            area=area_or_404(request.user, payload.area, EDIT) if payload.area else None,
            poktan=_poktan_or_404(request, payload.poktan_id),
        ),
        partners=_partners_or_404(request, payload.partner_ids),
        actor=request.user,
    )
    return Status(201, _detail(request, activity.pk))


@router.post(
    "/activities/plan",
    response={201: ActivityOut},
    summary="Plan an activity (today or later); it counts once it is held",
)
def activity_plan(request: HttpRequest, payload: ActivityPlanIn) -> Status[dict[str, Any]]:
    today = timezone.localdate()
    activity = services.activity_plan(
        user=request.user,
        area=area_or_404(request.user, payload.area, EDIT) if payload.area else None,
        kind=payload.kind,
        title=payload.title,
        held_on=payload.held_on or today + dt.timedelta(days=services.PLAN_DAYS_AHEAD),
        target_groups=payload.target_groups,
        organiser=payload.organiser or str(request.user),
        notes=payload.notes,
        family_function=payload.family_function,
        plan_reason=payload.plan_reason,
        place=payload.place,
        poktan=_poktan_or_404(request, payload.poktan_id),
        funding_source=payload.funding_source,
        funding_amount=payload.funding_amount,
        partners=_partners_or_404(request, payload.partner_ids),
    )
    return Status(201, _detail(request, activity.pk))


@router.post(
    "/activities/{activity_id}/hold",
    response=ActivityOut,
    summary="Mark a planned activity as held (today or earlier), changing what is given",
)
def activity_hold(
    request: HttpRequest, activity_id: int, payload: ActivityHoldIn
) -> dict[str, Any]:
    activity = _activity(request, activity_id, EDIT)
    services.activity_hold(
        user=request.user,
        activity=activity,
        held_on=payload.held_on,
        data=services.activity_data_of(activity, **payload.changes()),
        partners=_partners_or_404(request, payload.partner_ids, activity),
    )
    return _detail(request, activity_id)


@router.post(
    "/activities/{activity_id}/cancel",
    response=ActivityOut,
    summary="Cancel a planned activity with the reason (it is kept, never counted)",
)
def activity_cancel(
    request: HttpRequest, activity_id: int, payload: ActivityCancelIn
) -> dict[str, Any]:
    activity = _activity(request, activity_id, EDIT)
    services.activity_cancel(user=request.user, activity=activity, reason=payload.reason)
    return _detail(request, activity_id)


@router.get(
    "/activities/{activity_id}",
    response=ActivityOut,
    summary="One activity: attendance, counts, contributions, partners",
)
def activity_detail(request: HttpRequest, activity_id: int) -> dict[str, Any]:
    return _detail(request, activity_id)


@router.put("/activities/{activity_id}", response=ActivityOut, summary="Change an activity")
def activity_update(request: HttpRequest, activity_id: int, payload: ActivityIn) -> dict[str, Any]:
    activity = _activity(request, activity_id, EDIT)
    services.activity_update(
        activity=activity,
        data=payload.to_data(
            area=area_or_404(request.user, payload.area, EDIT) if payload.area else None,
            poktan=_poktan_or_404(request, payload.poktan_id),
        ),
        partners=_partners_or_404(request, payload.partner_ids, activity),
        actor=request.user,
    )
    return _detail(request, activity_id)


@router.delete(
    "/activities/{activity_id}",
    response={204: None},
    summary="Delete an activity (officers, or whoever recorded it)",
)
def activity_delete(request: HttpRequest, activity_id: int) -> Status[None]:
    services.activity_delete(activity=_activity(request, activity_id, EDIT), actor=request.user)
    return Status(204, None)


@router.post(
    "/activities/{activity_id}/attendance",
    response=AttendanceOut,
    summary="Mark named persons present (add) or not (remove); sending it again changes nothing",
)
def attendance_set(request: HttpRequest, activity_id: int, payload: AttendanceIn) -> dict[str, Any]:
    activity = _activity(request, activity_id, EDIT)
    change = services.attendance_set(
        activity=activity, add=payload.add, remove=payload.remove, actor=request.user
    )
    activity = _activity(request, activity_id)
    return {
        "added": change.added,
        "removed": change.removed,
        "named_total": activity.named_m + activity.named_f,  # type: ignore[attr-defined]
        "attendance_total": activity.attendance_total,  # type: ignore[attr-defined]
    }


@router.put(
    "/activities/{activity_id}/counts",
    response=ActivityOut,
    summary="Replace the attendees counted by sex and age group",
)
def attendance_counts_set(
    request: HttpRequest, activity_id: int, payload: CountsIn
) -> dict[str, Any]:
    activity = _activity(request, activity_id, EDIT)
    counts: dict[tuple[str, str], int] = {}
    for item in payload.counts:
        key = (item.sex, item.age_group)
        counts[key] = counts.get(key, 0) + item.count
    services.attendance_counts_set(activity=activity, counts=counts, actor=request.user)
    return _detail(request, activity_id)


@router.post(
    "/activities/{activity_id}/contributions",
    response={201: ContributionOut},
    summary="Record what an attendee brought (time, labour, money, goods, ideas)",
)
def contribution_add(
    request: HttpRequest, activity_id: int, payload: ContributionIn
) -> Status[Any]:
    activity = _activity(request, activity_id, EDIT)
    person = None
    if payload.person_id is not None:
        person = family_selectors.person_get(
            user=request.user, pk=payload.person_id, capability=EDIT
        )
    contribution = services.contribution_add(
        activity=activity,
        kind=payload.kind,
        person=person,
        contributor=payload.contributor,
        description=payload.description,
        value=payload.value,
        actor=request.user,
    )
    return Status(201, contribution)


@router.delete(
    "/activities/{activity_id}/contributions/{contribution_id}",
    response={204: None},
    summary="Remove a contribution",
)
def contribution_remove(
    request: HttpRequest, activity_id: int, contribution_id: int
) -> Status[None]:
    activity = _activity(request, activity_id, EDIT)
    contribution = activity.contributions.filter(pk=contribution_id).first()
    if contribution is None:
        raise Http404
    services.contribution_remove(contribution=contribution, actor=request.user)
    return Status(204, None)


@router.get(
    "/activities/{activity_id}/partners",
    response=list[PartnerLinkOut],
    summary="The partners involved, with their role and contributions in Rupiah",
)
def partner_list(request: HttpRequest, activity_id: int) -> list[dict[str, Any]]:
    return activity_out(_activity(request, activity_id), request.user)["partners"]


@router.put(
    "/activities/{activity_id}/partners/{partner_id}",
    response=list[PartnerLinkOut],
    summary="Name a partner as involved, with its role and contributions (replacing earlier ones)",
)
def partner_set(
    request: HttpRequest, activity_id: int, partner_id: int, payload: PartnerSetIn
) -> list[dict[str, Any]]:
    activity = _activity(request, activity_id, EDIT)
    [partner] = _partners_or_404(request, [partner_id], activity) or []
    services.activity_partner_set(
        activity=activity,
        partner=partner,
        role=payload.role,
        contributions=[c.to_data() for c in payload.contributions],
        actor=request.user,
    )
    return activity_out(_activity(request, activity_id), request.user)["partners"]


@router.delete(
    "/activities/{activity_id}/partners/{partner_id}",
    response={204: None},
    summary="Remove a partner (and its contributions) from the activity",
)
def partner_remove(request: HttpRequest, activity_id: int, partner_id: int) -> Status[None]:
    activity = _activity(request, activity_id, EDIT)
    partner = activity.partners.filter(pk=partner_id).first()
    if partner is None:
        raise Http404
    services.activity_partner_remove(activity=activity, partner=partner, actor=request.user)
    return Status(204, None)


# ---- poktan ---------------------------------------------------------------------------------


@router.get("/poktan", response=list[PoktanOut], summary="List poktan with their current members")
@paginate(PageNumberPagination, **PAGES)
def poktan_list(
    request: HttpRequest,
    area: str | None = None,
    kind: str | None = None,
    include_inactive: bool = False,
) -> QuerySet[Poktan]:
    return selectors.poktan_list(
        user=request.user,
        area_code=_area_filter(request, area),
        kind=kind,
        include_inactive=include_inactive,
    )


def _poktan_out(request: HttpRequest, poktan_id: int) -> Poktan:
    return selectors.poktan_list(user=request.user, include_inactive=True).get(pk=poktan_id)


@router.post("/poktan", response={201: PoktanOut}, summary="Register a poktan")
def poktan_create(request: HttpRequest, payload: PoktanIn) -> Status[Poktan]:
    poktan = services.poktan_create(
        kind=payload.kind,
        name=payload.name,
        area=area_or_404(request.user, payload.area, EDIT),
        established_on=payload.established_on,
        actor=request.user,
    )
    return Status(201, _poktan_out(request, poktan.pk))


@router.get("/poktan/{poktan_id}", response=PoktanOut, summary="One poktan")
def poktan_detail(request: HttpRequest, poktan_id: int) -> Poktan:
    selectors.poktan_get(user=request.user, pk=poktan_id)
    return _poktan_out(request, poktan_id)


def _names_or_404(request: HttpRequest, poktan: Poktan) -> None:
    if selectors.partner_of(request.user) is not None or not scope_for(request.user).can(
        Capability.VIEW_PERSONS, poktan.area_id
    ):
        raise Http404


@router.get(
    "/poktan/{poktan_id}/members",
    response=list[MemberOut],
    summary="Members of a poktan (current and past), NIK masked",
)
def member_list(request: HttpRequest, poktan_id: int) -> QuerySet[PoktanMember]:
    poktan = selectors.poktan_get(user=request.user, pk=poktan_id)
    _names_or_404(request, poktan)
    return selectors.poktan_members(poktan, user=request.user)


@router.post(
    "/poktan/{poktan_id}/members",
    response={201: MemberOut},
    summary="A resident of the poktan's village joins it",
)
def member_add(request: HttpRequest, poktan_id: int, payload: MemberIn) -> Status[PoktanMember]:
    poktan = selectors.poktan_get(user=request.user, pk=poktan_id, capability=EDIT)
    person = family_selectors.person_get(user=request.user, pk=payload.person_id, capability=EDIT)
    member = services.poktan_member_add(
        poktan=poktan, person=person, joined_on=payload.joined_on, actor=request.user
    )
    return Status(201, member)


@router.post(
    "/poktan/members/{member_id}/end",
    response=MemberOut,
    summary="End a membership",
)
def member_end(request: HttpRequest, member_id: int, payload: MemberEndIn) -> PoktanMember:
    member = selectors.poktan_member_get(user=request.user, pk=member_id)
    return services.poktan_member_end(member=member, left_on=payload.left_on, actor=request.user)
