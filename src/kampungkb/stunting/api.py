"""The stunting API: the families at risk of a village (or an RW/RT), one family's assessment,
and a village's counts; the children under 5 of a village and each child's measurements.

Brides-to-be: the list of a village (those to accompany, or one status), registration, a
screening, the registration cancelled (and reopened), and the early-marriage alerts.

The list and the family name persons: they need ``VIEW_PERSONS`` in the area (else 404). The
counts are aggregates: partners and viewers may read them for the villages of their areas. An
area above a village is refused (422) with a message asking for a village.
"""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from kampungkb.accounts.scope import Capability, area_or_404
from kampungkb.families import selectors as family_selectors
from kampungkb.families.masking import mask_id
from kampungkb.stunting import (
    bride_selectors,
    bride_services,
    growth_selectors,
    growth_services,
    selectors,
)
from kampungkb.stunting.bride_selectors import BrideFilter, BrideRow, BrideStatus
from kampungkb.stunting.bride_services import BrideData
from kampungkb.stunting.brides import Finding
from kampungkb.stunting.errors import StuntingProblem
from kampungkb.stunting.growth_selectors import ChildRow, ListFilter
from kampungkb.stunting.models import CancelReason, ChildMeasurement
from kampungkb.stunting.mothers import MotherList, mothers_for
from kampungkb.stunting.risk import RiskReason
from kampungkb.stunting.schemas import (
    AtRiskRowOut,
    ChildOut,
    FamilyAssessmentOut,
    MeasurementIn,
    MeasurementOut,
    SummaryOut,
    family_assessment_out,
    summary_out,
)
from kampungkb.stunting.selectors import FamilyAssessment

MAX_PAGE_SIZE = 200
PAGES = {"page_size": settings.KAMPUNGKB_PAGE_SIZE, "max_page_size": MAX_PAGE_SIZE}

router = Router()


def _on(on: dt.date | None) -> dt.date:
    today = timezone.localdate()
    if on is None:
        return today
    if on > today:
        raise StuntingProblem.DATE_IN_FUTURE.on("on")
    return on


@router.get(
    "/at-risk",
    response=list[AtRiskRowOut],
    summary="Families at risk of stunting in a village (or an RW/RT), with their reasons",
)
@paginate(PageNumberPagination, **PAGES)
def at_risk_list(
    request: HttpRequest, area: str, reason: RiskReason | None = None, on: dt.date | None = None
) -> list[FamilyAssessment]:
    return selectors.at_risk_list(user=request.user, area_code=area, on=_on(on), reason=reason)


@router.get(
    "/families/{family_id}",
    response=FamilyAssessmentOut,
    summary="One family's stunting-risk assessment on a date, with the data behind each reason",
)
def family_assessment(
    request: HttpRequest, family_id: int, on: dt.date | None = None
) -> dict[str, Any]:
    family = family_selectors.family_get(user=request.user, pk=family_id)
    on = _on(on)
    return family_assessment_out(FamilyAssessment(family, selectors.assess_family(family, on)))


@router.get(
    "/summary",
    response=SummaryOut,
    summary="Target and at-risk families of a village (or an RW/RT) on a date, per reason",
)
def summary(request: HttpRequest, area: str, on: dt.date | None = None) -> dict[str, Any]:
    checked = area_or_404(request.user, area, Capability.VIEW_AGGREGATES)
    return summary_out(selectors.village_summary(checked.code, _on(on)))


# -- Mothers --------------------------------------------------------------------------------------


class MotherOut(Schema):
    couple_id: int
    family_id: int
    name: str
    nik: str = Field(description="Masked.")
    since: dt.date | None = Field(
        description="Pregnant: recorded on; post-partum: delivered on; spacing: the date asked."
    )
    until: dt.date | None = Field(
        description="Pregnant: expected delivery; post-partum: the day the 42-day window closes."
    )
    method: str = Field(description="Post-partum: the method in use on the date, or empty.")
    child_name: str = Field(description="Birth spacing: the youngest child under 2.")
    child_birth_date: dt.date | None
    child_months: int | None


@router.get(
    "/mothers",
    response=list[MotherOut],
    summary="Pregnant, post-partum (42 days) or birth-spacing mothers of a village on a date",
)
@paginate(PageNumberPagination, **PAGES)
def mother_list(
    request: HttpRequest,
    area: str,
    kind: Annotated[MotherList, Query(alias="list", description="Which list.")],
    on: dt.date | None = None,
) -> list[dict[str, Any]]:
    rows = mothers_for(user=request.user, area_code=area, on=_on(on))[kind]
    return [
        {
            "couple_id": r.couple.pk,
            "family_id": r.wife.family_id,
            "name": r.wife.full_name,
            "nik": mask_id(r.wife.nik),
            "since": r.since,
            "until": r.until,
            "method": r.method,
            "child_name": r.child.full_name if r.child else "",
            "child_birth_date": r.child.birth_date if r.child else None,
            "child_months": r.child_months,
        }
        for r in rows
    ]


# -- Brides-to-be ---------------------------------------------------------------------------------


class BrideIn(Schema):
    area: str
    full_name: str
    birth_date: dt.date
    groom_name: str
    wedding_on: dt.date
    registered_on: dt.date | None = Field(None, description="Default: today.")
    groom_birth_date: dt.date | None = None
    nik: str = ""
    phone: str = ""


class ScreeningIn(Schema):
    screened_on: dt.date
    weight_kg: Decimal
    height_cm: Decimal
    lila_cm: Decimal = Field(description="Upper-arm circumference (LiLA).")
    hb_g_dl: Decimal | None = None
    smokes: bool = False


class BrideCancelIn(Schema):
    cancelled_on: dt.date | None = Field(None, description="Default: today.")
    cancel_reason: CancelReason


class BrideOut(Schema):
    id: int
    area: str
    name: str
    nik: str = Field(description="Masked.")
    groom_name: str
    wedding_on: dt.date
    married_on: dt.date | None
    status: BrideStatus
    cancelled_on: dt.date | None = Field(
        description="The registration closed without a wedding: no longer accompanied."
    )
    cancel_reason: CancelReason | None
    last_screened_on: dt.date | None
    findings: list[Finding]
    advice: list[str]
    delay_pregnancy: bool


class EarlyMarriageOut(Schema):
    name: str
    partner: str
    on: dt.date
    planned: bool
    below_legal_age: bool
    findings: list[Finding]
    bride_id: int | None
    couple_id: int | None


def _bride_out(row: BrideRow) -> dict[str, Any]:
    b = row.bride
    return {
        "id": b.pk,
        "area": b.area_id,
        "name": b.full_name,
        "nik": mask_id(b.nik or None),
        "groom_name": b.groom_name,
        "wedding_on": b.wedding_on,
        "married_on": b.married_on,
        "status": row.status,
        "cancelled_on": b.cancelled_on,
        "cancel_reason": b.cancel_reason or None,
        "last_screened_on": row.latest.screened_on if row.latest else None,
        "findings": row.findings,
        "advice": [advice for _, advice in row.explained],
        "delay_pregnancy": row.delay_pregnancy,
    }


@router.get(
    "/brides",
    response=list[BrideOut],
    summary="Brides-to-be of a village (or an RW/RT) accompanied until the first pregnancy",
)
@paginate(PageNumberPagination, **PAGES)
def bride_list(
    request: HttpRequest,
    area: str,
    on: dt.date | None = None,
    status: Annotated[
        BrideFilter | None,
        Query(description="One status (cancelled among them); default: those to accompany."),
    ] = None,
) -> list[dict[str, Any]]:
    rows = bride_selectors.bride_list(user=request.user, area_code=area, on=_on(on), status=status)
    return [_bride_out(r) for r in rows]


@router.post("/brides", response={201: BrideOut}, summary="Register a bride-to-be")
def bride_register(request: HttpRequest, payload: BrideIn) -> Status[dict[str, Any]]:
    checked = area_or_404(request.user, payload.area, Capability.EDIT_REGISTER)
    bride = bride_services.bride_register(
        data=BrideData(
            area=checked,
            full_name=payload.full_name,
            birth_date=payload.birth_date,
            groom_name=payload.groom_name,
            wedding_on=payload.wedding_on,
            registered_on=payload.registered_on or timezone.localdate(),
            groom_birth_date=payload.groom_birth_date,
            nik=payload.nik,
            phone=payload.phone,
        ),
        actor=request.user,
    )
    row = bride_selectors.bride_get(user=request.user, pk=bride.pk, on=timezone.localdate())
    return Status(201, _bride_out(row))


@router.post(
    "/brides/{bride_id}/screenings",
    response={201: BrideOut},
    summary="Record a screening of a bride-to-be; gives her findings and advice",
)
def bride_screening(
    request: HttpRequest, bride_id: int, payload: ScreeningIn
) -> Status[dict[str, Any]]:
    today = timezone.localdate()
    row = bride_selectors.bride_get(user=request.user, pk=bride_id, on=today)
    bride_services.screening_record(bride=row.bride, actor=request.user, **payload.dict())
    return Status(
        201, _bride_out(bride_selectors.bride_get(user=request.user, pk=bride_id, on=today))
    )


@router.post(
    "/brides/{bride_id}/cancel",
    response=BrideOut,
    summary="Cancel a bride-to-be's registration: no wedding, no longer accompanied nor counted",
)
def bride_cancel(request: HttpRequest, bride_id: int, payload: BrideCancelIn) -> dict[str, Any]:
    today = timezone.localdate()
    row = bride_selectors.bride_get(user=request.user, pk=bride_id, on=today)
    bride_services.bride_cancel(
        bride=row.bride,
        on=payload.cancelled_on or today,
        reason=payload.cancel_reason,
        actor=request.user,
    )
    return _bride_out(bride_selectors.bride_get(user=request.user, pk=bride_id, on=today))


@router.post(
    "/brides/{bride_id}/reopen",
    response=BrideOut,
    summary="Reopen a bride-to-be's registration cancelled by mistake",
)
def bride_reopen(request: HttpRequest, bride_id: int) -> dict[str, Any]:
    today = timezone.localdate()
    row = bride_selectors.bride_get(user=request.user, pk=bride_id, on=today)
    bride_services.bride_reopen(bride=row.bride, actor=request.user)
    return _bride_out(bride_selectors.bride_get(user=request.user, pk=bride_id, on=today))


@router.get(
    "/early-marriages",
    response=list[EarlyMarriageOut],
    summary="Weddings below the legal (19) or ideal ages (21/25) in an area, planned or recorded",
)
def early_marriage_list(
    request: HttpRequest, area: str, on: dt.date | None = None
) -> list[dict[str, Any]]:
    return [
        {
            "name": a.name,
            "partner": a.partner,
            "on": a.on,
            "planned": a.planned,
            "below_legal_age": a.below_legal_age,
            "findings": a.findings,
            "bride_id": a.bride.pk if a.bride else None,
            "couple_id": a.couple.pk if a.couple else None,
        }
        for a in bride_selectors.early_marriages(user=request.user, area_code=area, on=_on(on))
    ]


# -- Child growth ---------------------------------------------------------------------------------


@router.get(
    "/children",
    response=list[ChildOut],
    summary="Children under 5 of a village (or an RW/RT) with their latest measurement",
)
@paginate(PageNumberPagination, **PAGES)
def children_list(
    request: HttpRequest, area: str, status: ListFilter | None = None, on: dt.date | None = None
) -> list[ChildRow]:
    return growth_selectors.children_list(
        user=request.user, area_code=area, on=_on(on), wanted=status
    )


@router.get(
    "/children/{person_id}/measurements",
    response=list[MeasurementOut],
    summary="A child's measurements with their WHO z-scores, oldest first",
)
def child_measurements(request: HttpRequest, person_id: int) -> list[ChildMeasurement]:
    child = growth_selectors.child_get(user=request.user, pk=person_id)
    return growth_selectors.child_measurements(child)


@router.post(
    "/children/{person_id}/measurements",
    response={201: MeasurementOut},
    summary="Record a child's weight and length/height; the z-scores are computed",
)
def measurement_record(
    request: HttpRequest, person_id: int, payload: MeasurementIn
) -> Status[ChildMeasurement]:
    child = growth_selectors.child_get(user=request.user, pk=person_id)
    measurement = growth_services.measurement_record(
        child=child, actor=request.user, **payload.dict()
    )
    return Status(201, measurement)


@router.put(
    "/measurements/{measurement_id}",
    response=MeasurementOut,
    summary="Correct a measurement; the z-scores are computed again",
)
def measurement_update(
    request: HttpRequest, measurement_id: int, payload: MeasurementIn
) -> ChildMeasurement:
    measurement = growth_selectors.measurement_get(
        user=request.user, pk=measurement_id, capability=Capability.EDIT_REGISTER
    )
    return growth_services.measurement_update(
        measurement=measurement, actor=request.user, **payload.dict()
    )


@router.delete(
    "/measurements/{measurement_id}", response={204: None}, summary="Delete a measurement"
)
def measurement_delete(request: HttpRequest, measurement_id: int) -> Status[None]:
    measurement = growth_selectors.measurement_get(
        user=request.user, pk=measurement_id, capability=Capability.EDIT_REGISTER
    )
    growth_services.measurement_delete(measurement=measurement, actor=request.user)
    return Status(204, None)
