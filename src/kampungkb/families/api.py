"""The family register API: families (KK), persons, couples (PUS), pregnancies and births.

Reads go through the selectors (scoped); writes through the services with ``actor=request.user``.
The records to change, and the records and areas a write refers to, are fetched with
``Capability.EDIT_REGISTER``, so anything outside the caller's scope is 404 and nothing is written.
"""

import datetime as dt

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status
from ninja.pagination import PageNumberPagination, paginate

from kampungkb.accounts.scope import Capability, area_or_404
from kampungkb.families import selectors, services
from kampungkb.families.models import Couple, Family, Person, Pregnancy
from kampungkb.families.schemas import (
    BirthIn,
    CoupleDivorceIn,
    CoupleIn,
    CoupleListOut,
    CoupleOut,
    FamilyDeactivateIn,
    FamilyIn,
    FamilyListOut,
    FamilyMoveIn,
    FamilyOut,
    FamilyUpdateIn,
    HousingIn,
    IntentionIn,
    MemberIn,
    PersonDeathIn,
    PersonListOut,
    PersonMoveIn,
    PersonOut,
    PersonUpdateIn,
    PregnancyEndIn,
    PregnancyIn,
    PregnancyOut,
)

MAX_PAGE_SIZE = 200
EDIT = Capability.EDIT_REGISTER

router = Router(tags=["families"])


# Page size from the settings (docs/settings.md), callers may ask for up to MAX_PAGE_SIZE.
PAGES = {"page_size": settings.KAMPUNGKB_PAGE_SIZE, "max_page_size": MAX_PAGE_SIZE}


def _area_filter(request: HttpRequest, area: str | None) -> str | None:
    # An unknown area, or one outside the caller's areas, is not found rather than an empty list.
    return area_or_404(request.user, area).code if area else None


# ---- families -------------------------------------------------------------------------------


@router.get(
    "/families",
    response=list[FamilyListOut],
    summary="List families (KK numbers masked), newest first",
)
@paginate(PageNumberPagination, **PAGES)
def family_list(
    request: HttpRequest, q: str = "", area: str | None = None, include_inactive: bool = False
) -> QuerySet[Family]:
    return selectors.family_list(
        user=request.user,
        query=q,
        area_code=_area_filter(request, area),
        include_inactive=include_inactive,
    )


@router.post("/families", response={201: FamilyOut}, summary="Register a family with its head")
def family_register(request: HttpRequest, payload: FamilyIn) -> Status[Family]:
    family = services.family_register(
        area=area_or_404(request.user, payload.area, EDIT),
        kk_number=payload.kk_number,
        address=payload.address,
        head=payload.head.to_data(),
        actor=request.user,
    )
    return Status(201, family)


@router.get(
    "/families/{family_id}", response=FamilyOut, summary="One family with members and couples"
)
def family_detail(request: HttpRequest, family_id: int) -> Family:
    return selectors.family_get(user=request.user, pk=family_id)


@router.patch(
    "/families/{family_id}", response=FamilyOut, summary="Correct a family's KK number or address"
)
def family_update(request: HttpRequest, family_id: int, payload: FamilyUpdateIn) -> Family:
    family = selectors.family_get(user=request.user, pk=family_id, capability=EDIT)
    return services.family_update(family=family, actor=request.user, **payload.merged(family))


@router.put(
    "/families/{family_id}/housing",
    response=FamilyOut,
    summary="Record a family's house: drinking water, latrine and septic tank, floor, walls, roof",
)
def family_housing(request: HttpRequest, family_id: int, payload: HousingIn) -> Family:
    family = selectors.family_get(user=request.user, pk=family_id, capability=EDIT)
    return services.family_housing_update(family=family, data=payload.to_data(), actor=request.user)


@router.post(
    "/families/{family_id}/members",
    response={201: PersonOut},
    summary="Add a member to a family",
)
def family_add_member(request: HttpRequest, family_id: int, payload: MemberIn) -> Status[Person]:
    family = selectors.family_get(user=request.user, pk=family_id, capability=EDIT)
    return Status(
        201, services.person_add(family=family, data=payload.to_data(), actor=request.user)
    )


@router.post(
    "/families/{family_id}/move",
    response=FamilyOut,
    summary="Move a family (with its members) to another village, dusun/RW or RT",
)
def family_move(request: HttpRequest, family_id: int, payload: FamilyMoveIn) -> Family:
    family = selectors.family_get(user=request.user, pk=family_id, capability=EDIT)
    return services.family_move(
        family=family,
        area=area_or_404(request.user, payload.area, EDIT),
        address=payload.address,
        actor=request.user,
    )


@router.post(
    "/families/{family_id}/deactivate",
    response=FamilyOut,
    summary="Take a family off the active register (kept, not deleted)",
)
def family_deactivate(request: HttpRequest, family_id: int, payload: FamilyDeactivateIn) -> Family:
    family = selectors.family_get(user=request.user, pk=family_id, capability=EDIT)
    return services.family_deactivate(family=family, reason=payload.reason, actor=request.user)


# ---- persons --------------------------------------------------------------------------------


@router.get(
    "/persons",
    response=list[PersonListOut],
    summary="List active persons (NIK masked), by name",
    tags=["persons"],
)
@paginate(PageNumberPagination, **PAGES)
def person_list(request: HttpRequest, q: str = "", area: str | None = None) -> QuerySet[Person]:
    return selectors.person_list(user=request.user, query=q, area_code=_area_filter(request, area))


@router.get("/persons/{person_id}", response=PersonOut, summary="One person", tags=["persons"])
def person_detail(request: HttpRequest, person_id: int) -> Person:
    return selectors.person_get(user=request.user, pk=person_id)


@router.put(
    "/persons/{person_id}",
    response=PersonOut,
    summary="Correct a person's data (all fields)",
    tags=["persons"],
)
def person_update(request: HttpRequest, person_id: int, payload: PersonUpdateIn) -> Person:
    person = selectors.person_get(user=request.user, pk=person_id, capability=EDIT)
    return services.person_update(person=person, data=payload.to_data(person), actor=request.user)


@router.post(
    "/persons/{person_id}/death",
    response=PersonOut,
    summary="Record a death (the person's marriages end in widowhood)",
    tags=["persons"],
)
def person_death(request: HttpRequest, person_id: int, payload: PersonDeathIn) -> Person:
    person = selectors.person_get(user=request.user, pk=person_id, capability=EDIT)
    return services.person_record_death(person=person, died_on=payload.died_on, actor=request.user)


@router.post(
    "/persons/{person_id}/move",
    response=PersonOut,
    summary="Move a person into another family",
    tags=["persons"],
)
def person_move(request: HttpRequest, person_id: int, payload: PersonMoveIn) -> Person:
    person = selectors.person_get(user=request.user, pk=person_id, capability=EDIT)
    return services.person_move(
        person=person,
        family=selectors.family_get(user=request.user, pk=payload.family_id, capability=EDIT),
        relation_to_head=payload.relation_to_head,
        actor=request.user,
    )


@router.post(
    "/births",
    response={201: PersonOut},
    summary="Register a newborn in the mother's family (ends her pregnancy as a live birth)",
    tags=["persons"],
)
def birth_record(request: HttpRequest, payload: BirthIn) -> Status[Person]:
    child = services.birth_record(
        mother=selectors.person_get(user=request.user, pk=payload.mother_id, capability=EDIT),
        full_name=payload.full_name,
        sex=payload.sex,
        birth_date=payload.birth_date,
        nik=payload.nik,
        birth_place=payload.birth_place,
        actor=request.user,
    )
    return Status(201, child)


# ---- couples and pregnancies ----------------------------------------------------------------


@router.get(
    "/couples",
    response=list[CoupleListOut],
    summary="List couples, optionally only those that are a PUS on a date",
    tags=["couples"],
)
@paginate(PageNumberPagination, **PAGES)
def couple_list(
    request: HttpRequest,
    area: str | None = None,
    pus_on: dt.date | None = None,
    current_only: bool = False,
) -> QuerySet[Couple]:
    return selectors.couple_list(
        user=request.user,
        area_code=_area_filter(request, area),
        pus_on=pus_on,
        current_only=current_only,
    )


@router.post("/couples", response={201: CoupleOut}, summary="Record a marriage", tags=["couples"])
def couple_register(request: HttpRequest, payload: CoupleIn) -> Status[CoupleOut]:
    husband = None
    if payload.husband_id is not None:
        husband = selectors.person_get(user=request.user, pk=payload.husband_id, capability=EDIT)
    couple = services.couple_register(
        wife=selectors.person_get(user=request.user, pk=payload.wife_id, capability=EDIT),
        husband=husband,
        married_on=payload.married_on,
        fertility_intention=payload.fertility_intention,
        actor=request.user,
    )
    return Status(201, CoupleOut.on_date(couple, timezone.localdate()))


@router.get(
    "/couples/{couple_id}",
    response=CoupleOut,
    summary="One couple: PUS status and wife's age on a date (today by default), pregnancies",
    tags=["couples"],
)
def couple_detail(request: HttpRequest, couple_id: int, on: dt.date | None = None) -> CoupleOut:
    couple = selectors.couple_get(user=request.user, pk=couple_id)
    return CoupleOut.on_date(couple, on or timezone.localdate())


@router.post(
    "/couples/{couple_id}/divorce",
    response=CoupleOut,
    summary="Record a divorce",
    tags=["couples"],
)
def couple_divorce(request: HttpRequest, couple_id: int, payload: CoupleDivorceIn) -> CoupleOut:
    couple = selectors.couple_get(user=request.user, pk=couple_id, capability=EDIT)
    couple = services.couple_divorce(couple=couple, on=payload.on, actor=request.user)
    return CoupleOut.on_date(couple, timezone.localdate())


@router.post(
    "/couples/{couple_id}/intention",
    response=CoupleOut,
    summary="Record the couple's fertility intention (soon, delay/IAT, no more/TIAL)",
    tags=["couples"],
)
def couple_intention(request: HttpRequest, couple_id: int, payload: IntentionIn) -> CoupleOut:
    couple = selectors.couple_get(user=request.user, pk=couple_id, capability=EDIT)
    couple = services.fertility_intention_record(
        couple=couple, intention=payload.intention, on=payload.on, actor=request.user
    )
    return CoupleOut.on_date(couple, timezone.localdate())


@router.post(
    "/couples/{couple_id}/pregnancies",
    response={201: PregnancyOut},
    summary="Record a pregnancy of the wife",
    tags=["couples"],
)
def pregnancy_record(
    request: HttpRequest, couple_id: int, payload: PregnancyIn
) -> Status[Pregnancy]:
    couple = selectors.couple_get(user=request.user, pk=couple_id, capability=EDIT)
    pregnancy = services.pregnancy_record(
        couple=couple,
        recorded_on=payload.recorded_on,
        expected_on=payload.expected_on,
        actor=request.user,
    )
    return Status(201, pregnancy)


@router.post(
    "/pregnancies/{pregnancy_id}/end",
    response=PregnancyOut,
    summary="End a pregnancy without a registered child (stillbirth, miscarriage)",
    tags=["couples"],
)
def pregnancy_end(request: HttpRequest, pregnancy_id: int, payload: PregnancyEndIn) -> Pregnancy:
    pregnancy = selectors.pregnancy_get(user=request.user, pk=pregnancy_id, capability=EDIT)
    return services.pregnancy_end(
        pregnancy=pregnancy,
        ended_on=payload.ended_on,
        outcome=payload.outcome,
        actor=request.user,
    )
