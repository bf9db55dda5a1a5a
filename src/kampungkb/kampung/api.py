"""The Kampung KB API: list with class, one Kampung KB with its classification and profile,
a month's profile read and written (a new version), the profile versions and the class history.

Reads need ``VIEW_AGGREGATES`` in the village, writes ``EDIT_PROGRAMME``; a Kampung KB outside
the caller's scope is 404.
"""

import datetime as dt

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status
from ninja.pagination import PageNumberPagination, paginate

from kampungkb.accounts.scope import Capability, area_or_404, scope_for
from kampungkb.core.periods import month_start, parse_month
from kampungkb.kampung import selectors, services
from kampungkb.kampung.classification import KampungClass
from kampungkb.kampung.errors import KampungProblem
from kampungkb.kampung.models import KampungKb
from kampungkb.kampung.schemas import (
    ClassificationOut,
    KampungIn,
    KampungListOut,
    KampungOut,
    ProfileIn,
    ProfileInForceOut,
    ProfileOut,
)
from kampungkb.regions.models import Area

MAX_PAGE_SIZE = 200
EDIT = Capability.EDIT_PROGRAMME
PAGES = {"page_size": settings.KAMPUNGKB_PAGE_SIZE, "max_page_size": MAX_PAGE_SIZE}

router = Router()


def _month(value: str | None, field: str = "month") -> dt.date:
    if not value:
        return month_start(timezone.localdate())
    try:
        return parse_month(value)
    except ValueError as exc:
        raise KampungProblem.BAD_MONTH.on(field) from exc


def _names(request: HttpRequest, kampung: KampungKb) -> bool:
    return scope_for(request.user).can(Capability.VIEW_PERSONS, kampung.village_id)


@router.get("", response=list[KampungListOut], summary="List Kampung KB with their class")
@paginate(PageNumberPagination, **PAGES)
def kampung_list(
    request: HttpRequest,
    area: str | None = None,
    month: str | None = None,
    klass: KampungClass | None = None,
    include_inactive: bool = False,
) -> list[KampungListOut]:
    code = area_or_404(request.user, area).code if area else None
    rows = selectors.kampung_list(
        user=request.user,
        month=_month(month),
        area_code=code,
        klass=klass.value if klass else None,
        include_inactive=include_inactive,
    )
    return [KampungListOut.from_row(k) for k in rows]


def _detail(request: HttpRequest, kampung: KampungKb, month: dt.date) -> KampungOut:
    names = _names(request, kampung)
    row = selectors.kampung_list(user=request.user, month=month, include_inactive=True).get(
        pk=kampung.pk
    )
    classification = selectors.classification_get(kampung=kampung, month=month)
    in_force = selectors.profile_in_force(kampung=kampung, month=month)
    base = KampungListOut.from_row(row).model_dump()
    return KampungOut(
        **base,
        rws=[a.code for a in kampung.rws.all()],
        person_in_charge=kampung.person_in_charge if names else None,
        person_in_charge_phone=kampung.person_in_charge_phone if names else None,
        criteria=kampung.criteria,
        model_flags=kampung.model_flags,
        month=f"{month:%Y-%m}",
        classification=ClassificationOut.of(classification) if classification else None,
        profile=_in_force_out(in_force, names),
    )


def _in_force_out(in_force: selectors.ProfileInForce, names: bool) -> ProfileInForceOut:
    profile = in_force.profile
    return ProfileInForceOut(
        month=f"{in_force.month:%Y-%m}",
        is_own=in_force.is_own,
        profile=ProfileOut.of(profile, names=names) if profile else None,
    )


@router.post("", response={201: KampungOut}, summary="Register a Kampung KB")
def kampung_register(request: HttpRequest, payload: KampungIn) -> Status[KampungOut]:
    village = area_or_404(request.user, payload.village, EDIT)
    rws = list(Area.objects.filter(code__in=payload.rws))
    missing = set(payload.rws) - {a.code for a in rws}
    if missing:
        raise KampungProblem.RW_OUTSIDE_VILLAGE.on("rws", area=sorted(missing)[0])
    kampung = services.kampung_register(
        village=village, data=payload.to_data(rws), actor=request.user
    )
    kampung = selectors.kampung_get(user=request.user, pk=kampung.pk)
    return Status(201, _detail(request, kampung, _month(None)))


@router.get("/{kampung_id}", response=KampungOut, summary="A Kampung KB with its class")
def kampung_detail(request: HttpRequest, kampung_id: int, month: str | None = None) -> KampungOut:
    kampung = selectors.kampung_get(user=request.user, pk=kampung_id)
    return _detail(request, kampung, _month(month))


@router.get(
    "/{kampung_id}/classifications",
    response=list[ClassificationOut],
    summary="The class history of a Kampung KB, oldest month first",
)
def classification_history(request: HttpRequest, kampung_id: int) -> list[ClassificationOut]:
    kampung = selectors.kampung_get(user=request.user, pk=kampung_id)
    return [ClassificationOut.of(c) for c in selectors.classification_history(kampung=kampung)]


@router.get(
    "/{kampung_id}/profiles",
    response=list[ProfileOut],
    summary="Every profile version, newest month and version first",
)
def profile_versions(request: HttpRequest, kampung_id: int) -> list[ProfileOut]:
    kampung = selectors.kampung_get(user=request.user, pk=kampung_id)
    names = _names(request, kampung)
    return [ProfileOut.of(p, names=names) for p in selectors.profile_versions(kampung=kampung)]


@router.get(
    "/{kampung_id}/profiles/{month}",
    response=ProfileInForceOut,
    summary="The profile in force in a month (its own, else the latest earlier one)",
)
def profile_get(request: HttpRequest, kampung_id: int, month: str) -> ProfileInForceOut:
    kampung = selectors.kampung_get(user=request.user, pk=kampung_id)
    in_force = selectors.profile_in_force(kampung=kampung, month=_month(month))
    return _in_force_out(in_force, _names(request, kampung))


@router.put(
    "/{kampung_id}/profiles/{month}",
    response={201: ProfileOut},
    summary="Save a month's profile as a new version (the month is classified again)",
)
def profile_put(
    request: HttpRequest, kampung_id: int, month: str, payload: ProfileIn
) -> Status[ProfileOut]:
    kampung = selectors.kampung_get(user=request.user, pk=kampung_id, capability=EDIT)
    profile = services.profile_save(
        kampung=kampung, month=_month(month), data=payload.to_data(), actor=request.user
    )
    return Status(201, ProfileOut.of(profile, names=True))
