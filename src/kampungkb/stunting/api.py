"""The stunting API: the families at risk of a village (or an RW/RT), one family's assessment,
and a village's counts.

The list and the family name persons: they need ``VIEW_PERSONS`` in the area (else 404). The
counts are aggregates: partners and viewers may read them for the villages of their areas. An
area above a village is refused (422) with a message asking for a village.
"""

import datetime as dt
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router
from ninja.pagination import PageNumberPagination, paginate

from kampungkb.accounts.scope import Capability, area_or_404
from kampungkb.families import selectors as family_selectors
from kampungkb.stunting import selectors
from kampungkb.stunting.errors import StuntingProblem
from kampungkb.stunting.risk import RiskReason
from kampungkb.stunting.schemas import (
    AtRiskRowOut,
    FamilyAssessmentOut,
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
