"""The contraceptive services API: the method catalogue, facilities, service visits, a couple's
status on a date, the follow-up lists (due, overdue, dropped out) and follow-ups.

Reads go through the selectors (scoped); writes through the services with ``actor=request.user``.
The couple and episode a write refers to are fetched with ``Capability.EDIT_REGISTER`` (facilities
and their areas with ``EDIT_AREAS``, as the services keep them), so anything outside the caller's
scope is 404 and nothing is written. The catalogue and facilities hold no personal data: partners
and viewers see them too.
"""

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Status
from ninja.pagination import PageNumberPagination, paginate

from kampungkb.accounts.scope import Capability, area_or_404, scoped
from kampungkb.contraception import selectors, services
from kampungkb.contraception.errors import ContraceptionProblem
from kampungkb.contraception.models import Episode, Facility, FollowUp, Method, ServiceVisit
from kampungkb.contraception.schemas import (
    CoupleStatusOut,
    FacilityIn,
    FacilityOut,
    FacilityUpdateIn,
    FollowUpIn,
    FollowUpOut,
    FollowUpRowOut,
    MethodOut,
    VerifyIn,
    VerifyOut,
    VisitIn,
    VisitListOut,
    VisitOut,
)
from kampungkb.families import selectors as family_selectors

MAX_PAGE_SIZE = 200
EDIT = Capability.EDIT_REGISTER
# Facilities are kept by the officers who edit areas (services.facility_create).
EDIT_FACILITIES = Capability.EDIT_AREAS
# Cadres' home visits are verified by their supervisors (decision 0028).
SUPERVISE = Capability.SUPERVISE_CADRES
# Default windows of the follow-up lists when no dates are sent.
DUE_AHEAD_DAYS = 30
DROPOUT_BACK_DAYS = 90

router = Router()

PAGES = {"page_size": settings.KAMPUNGKB_PAGE_SIZE, "max_page_size": MAX_PAGE_SIZE}


def _area_filter(request: HttpRequest, area: str | None) -> str | None:
    # An unknown area, or one outside the caller's areas, is not found rather than an empty list.
    return area_or_404(request.user, area).code if area else None


# ---- catalogue and facilities ----------------------------------------------------------------


@router.get(
    "/methods",
    response=list[MethodOut],
    summary="The catalogue of contraceptive methods, in catalogue order",
)
def method_list(request: HttpRequest, include_inactive: bool = False) -> QuerySet[Method]:
    return selectors.method_list(include_inactive=include_inactive)


@router.get(
    "/facilities", response=list[FacilityOut], summary="List facilities (faskes KB) by name"
)
@paginate(PageNumberPagination, **PAGES)
def facility_list(
    request: HttpRequest, area: str | None = None, include_inactive: bool = False
) -> QuerySet[Facility]:
    return selectors.facility_list(
        user=request.user,
        area_code=_area_filter(request, area),
        include_inactive=include_inactive,
    )


@router.post("/facilities", response={201: FacilityOut}, summary="Register a facility")
def facility_create(request: HttpRequest, payload: FacilityIn) -> Status[Facility]:
    facility = services.facility_create(
        code=payload.code,
        name=payload.name,
        kind=payload.kind,
        ownership=payload.ownership,
        has_jkn_contract=payload.has_jkn_contract,
        area=area_or_404(request.user, payload.area, EDIT_FACILITIES),
        actor=request.user,
    )
    return Status(201, facility)


@router.patch(
    "/facilities/{facility_id}",
    response=FacilityOut,
    summary="Correct a facility's name, type, ownership, JKN contract or area",
)
def facility_update(request: HttpRequest, facility_id: int, payload: FacilityUpdateIn) -> Facility:
    facility = selectors.facility_get(user=request.user, pk=facility_id, capability=EDIT_FACILITIES)
    area = (
        facility.area
        if payload.area is None
        else area_or_404(request.user, payload.area, EDIT_FACILITIES)
    )
    return services.facility_update(
        facility=facility, area=area, actor=request.user, **payload.merged(facility)
    )


# ---- visits and status -----------------------------------------------------------------------


@router.get(
    "/visits",
    response=list[VisitListOut],
    summary="List service visits, newest first, by couple, area and date",
)
@paginate(PageNumberPagination, **PAGES)
def visit_list(
    request: HttpRequest,
    couple: int | None = None,
    area: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[ServiceVisit]:
    return selectors.visit_list(
        user=request.user,
        couple=family_selectors.couple_get(user=request.user, pk=couple) if couple else None,
        area_code=_area_filter(request, area),
        date_from=date_from,
        date_to=date_to,
    )


@router.post(
    "/visits",
    response={201: VisitOut},
    summary="Record a service visit; returns it with the due date it set and its episode",
)
def visit_record(request: HttpRequest, payload: VisitIn) -> Status[ServiceVisit]:
    couple = family_selectors.couple_get(user=request.user, pk=payload.couple_id, capability=EDIT)
    facility = None
    if payload.facility_id is not None:
        # A visit refers to the facility without changing it: seeing it is enough.
        facility = selectors.facility_get(user=request.user, pk=payload.facility_id)
    visit = services.visit_record(
        couple=couple,
        visited_on=payload.visited_on,
        method=get_object_or_404(selectors.method_list(include_inactive=True), pk=payload.method),
        kind=payload.kind,
        quantity=payload.quantity,
        facility=facility,
        provider=payload.provider,
        consent_recorded=payload.consent_recorded,
        stop_reason=payload.stop_reason,
        notes=payload.notes,
        actor=request.user,
    )
    return Status(201, visit)


@router.get(
    "/couples/{couple_id}/status",
    response=CoupleStatusOut,
    summary="A couple's status on a date (today by default): method, due date, overdue, PA",
)
def couple_status(
    request: HttpRequest, couple_id: int, on: dt.date | None = None
) -> dict[str, Any]:
    couple = family_selectors.couple_get(user=request.user, pk=couple_id)
    on = on or timezone.localdate()
    status = services.couple_status_on(couple, on)
    return {
        "couple_id": couple.pk,
        "on": on,
        "status": status.status,
        "method": status.method,
        "due_on": status.due_on,
        "overdue": status.overdue,
        "is_active_user": status.is_active_user,
        "episodes": list(selectors.couple_episodes_stored(couple)),
    }


# ---- follow-up lists and follow-ups ----------------------------------------------------------


@router.get(
    "/due",
    response=list[FollowUpRowOut],
    summary="Users whose next visit falls due in a date range (today and 30 days by default)",
)
@paginate(PageNumberPagination, **PAGES)
def due_list(
    request: HttpRequest,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    area: str | None = None,
) -> QuerySet[Episode]:
    date_from = date_from or timezone.localdate()
    return selectors.due_list(
        user=request.user,
        date_from=date_from,
        date_to=date_to or date_from + dt.timedelta(days=DUE_AHEAD_DAYS),
        area_code=_area_filter(request, area),
    )


@router.get(
    "/overdue",
    response=list[FollowUpRowOut],
    summary="Users past their due date and grace period on a date (today by default)",
)
@paginate(PageNumberPagination, **PAGES)
def overdue_list(
    request: HttpRequest, on: dt.date | None = None, area: str | None = None
) -> QuerySet[Episode]:
    return selectors.overdue_list(
        user=request.user,
        on=on or timezone.localdate(),
        area_code=_area_filter(request, area),
    )


@router.get(
    "/dropouts",
    response=list[FollowUpRowOut],
    summary="Users who dropped out in a date range (the last 90 days by default)",
)
@paginate(PageNumberPagination, **PAGES)
def dropout_list(
    request: HttpRequest,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    area: str | None = None,
) -> QuerySet[Episode]:
    date_to = date_to or timezone.localdate()
    return selectors.dropout_list(
        user=request.user,
        date_from=date_from or date_to - dt.timedelta(days=DROPOUT_BACK_DAYS),
        date_to=date_to,
        area_code=_area_filter(request, area),
    )


@router.post(
    "/followups",
    response={201: FollowUpOut},
    summary="Record a cadre's follow-up of a couple and its outcome",
)
def followup_record(request: HttpRequest, payload: FollowUpIn) -> Status[FollowUp]:
    couple = family_selectors.couple_get(user=request.user, pk=payload.couple_id, capability=EDIT)
    episode = None
    if payload.episode_id is not None:
        episode = selectors.episode_get(user=request.user, pk=payload.episode_id, capability=EDIT)
    follow_up = services.followup_record(
        couple=couple,
        episode=episode,
        done_on=payload.done_on,
        outcome=payload.outcome,
        barrier=payload.barrier,
        note=payload.note,
        actor=request.user,
    )
    return Status(201, follow_up)


@router.post(
    "/followups/verify",
    response=VerifyOut,
    summary="Verify or reject cadres' home visits (all or none); only verified visits earn",
)
def followups_verify(request: HttpRequest, payload: VerifyIn) -> dict[str, Any]:
    ids = list(dict.fromkeys(payload.ids))
    if not ids:
        raise ContraceptionProblem.NOTHING_TO_VERIFY.on("ids")
    # One follow-up the caller may not supervise and nothing is verified: not found.
    follow_ups = scoped(
        request.user, FollowUp.objects.select_related("couple__wife__family"), SUPERVISE
    ).in_bulk(ids)
    if len(follow_ups) != len(ids):
        raise Http404
    changed = services.followups_verify(
        follow_ups=[follow_ups[pk] for pk in ids],
        verification=payload.verification,
        note=payload.note,
        actor=request.user,
    )
    return {
        "changed": changed,
        "follow_ups": list(
            FollowUp.objects.filter(pk__in=ids).select_related("verified_by").order_by("pk")
        ),
    }
