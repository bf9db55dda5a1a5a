"""The reports API: indicator facts and the monthly recap, read from the fact table only.

Facts hold no personal data, so every role that sees aggregates may read them for its areas; an
area outside the caller's scope is 404, as everywhere. The recap is the JSON of the recap page's
file (``exports.recap_data``).
"""

from typing import Annotated, Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Query, Router
from ninja.pagination import PageNumberPagination, paginate

from kampungkb.accounts.scope import Capability, scope_for
from kampungkb.indicators.models import NATION, NATION_LEVEL, Fact
from kampungkb.indicators.selectors import fact_list
from kampungkb.partners.selectors import partner_get
from kampungkb.regions.models import Level
from kampungkb.reports import exports
from kampungkb.reports.partner_report import (
    PartnerReportOut,
    partner_report,
    partner_report_data,
)
from kampungkb.reports.schemas import (
    ALL_SUBGROUPS,
    FactOut,
    RecapOut,
    ReportProblem,
    fact_query,
    month_or_error,
)
from kampungkb.reports.selectors import recap_area, recap_get

MAX_PAGE_SIZE = 200
AGGREGATES = Capability.VIEW_AGGREGATES

router = Router()

PAGES = {"page_size": settings.KAMPUNGKB_PAGE_SIZE, "max_page_size": MAX_PAGE_SIZE}


def _area_code_and_level(request: HttpRequest, code: str) -> tuple[str, int]:
    # The nation's facts ("ID") are for national users; any other area is looked up in scope.
    if code == NATION:
        if not scope_for(request.user).is_national(AGGREGATES):
            raise Http404
        return NATION, NATION_LEVEL
    area = recap_area(request.user, code)
    return area.code, area.level


@router.get(
    "/facts",
    response=list[FactOut],
    summary="Indicator facts of an area (or of the areas at a level within it), month by month",
)
@paginate(PageNumberPagination, **PAGES)
def facts(
    request: HttpRequest,
    indicator: Annotated[
        list[str], Query(description="One or more indicator codes (PA, CPR, ...).")
    ],
    area: Annotated[
        str, Query(description='An area code, or "ID" for the nation (national users).')
    ],
    month_from: Annotated[str, Query(alias="from", description="The first month, YYYY-MM.")],
    month_to: Annotated[str, Query(alias="to", description="The last month, YYYY-MM.")],
    level: Annotated[
        int | None,
        Query(
            ge=NATION_LEVEL,
            le=Level.NEIGHBOURHOOD,
            description="The facts of every area at this level within the area, not its own.",
        ),
    ] = None,
    subgroup: Annotated[
        str, Query(description='"" the totals (default), one subgroup ("method:IUD"), or "all".')
    ] = "",
) -> QuerySet[Fact]:
    query = fact_query(indicators=indicator, month_from=month_from, month_to=month_to)
    code, area_level = _area_code_and_level(request, area)
    where: dict[str, Any] = {"area_codes": [code]}
    if level is not None:
        if level < area_level:
            raise ReportProblem.LEVEL_ABOVE_AREA.on("level", area=code)
        where = {"within": None if code == NATION else code, "level": level}
    return fact_list(
        user=request.user,
        codes=query.codes,
        month_from=query.month_from,
        month_to=query.month_to,
        subgroup=None if subgroup == ALL_SUBGROUPS else subgroup,
        **where,
    )


@router.get(
    "/reports/recap",
    response=RecapOut,
    summary="The monthly recap of an area: one row per sub-area and the area's total",
)
def recap(
    request: HttpRequest,
    area: Annotated[str, Query(description="An area code.")],
    month: Annotated[str, Query(description="The month, YYYY-MM.")],
) -> dict[str, Any]:
    period = month_or_error("month", month)
    data = recap_get(user=request.user, area=recap_area(request.user, area), period=period)
    return exports.recap_data(data)


@router.get(
    "/partners/{partner_id}/report",
    response=PartnerReportOut,
    summary="A partner's commitments against delivery, reach, villages and indicators",
)
def partner_report_get(request: HttpRequest, partner_id: int) -> dict[str, Any]:
    partner = partner_get(user=request.user, pk=partner_id)
    report = partner_report(user=request.user, partner=partner, today=timezone.localdate())
    return partner_report_data(report)
