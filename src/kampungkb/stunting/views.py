"""The stunting-risk pages: the families at risk of a village (or an RW/RT) with the counts by
reason and the CSV/Excel export, and one family's assessment with the data behind each reason.
Thin views: parse the request, call the selectors, render. Both pages name persons: partners and
viewers (aggregates only) find nothing here, and a family outside the user's areas is not found.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.vary import vary_on_headers

from kampungkb.accounts.decorators import page
from kampungkb.accounts.scope import Capability, scope_for
from kampungkb.contraception.exports import export_audit
from kampungkb.core.errors import BadQuery
from kampungkb.families import selectors as family_selectors
from kampungkb.families.views import HtmxHttpRequest
from kampungkb.regions.models import Level
from kampungkb.regions.selectors import area_ancestors
from kampungkb.stunting import exports, growth_selectors, selectors
from kampungkb.stunting.errors import StuntingProblem
from kampungkb.stunting.explain import explain, question
from kampungkb.stunting.risk import Assessment, RiskReason, TargetReason, Unknown

EXPORT_FORMATS = ("csv", "xlsx")
NAMED = Capability.VIEW_PERSONS


def _on(request: HttpRequest, today: dt.date) -> dt.date:
    """The page's ``?on=YYYY-MM-DD`` (today when absent); a bad or future date is a 400."""
    value = request.GET.get("on", "").strip()
    if not value:
        return today
    try:
        on = dt.date.fromisoformat(value)
    except ValueError as exc:
        raise BadQuery(StuntingProblem.DATE_INVALID, value=value[:20]) from exc
    if on > today:
        raise BadQuery(StuntingProblem.DATE_IN_FUTURE)
    return on


def list_area_filter(request: HttpRequest) -> family_selectors.AreaFilter:
    """The area picker of a stunting list: the ``?area=`` asked for, else the user's first area
    at village level or below (none when the user works above villages)."""
    code = request.GET.get("area") or None
    if code is None:
        default = selectors.default_area(request.user)
        code = default.code if default else None
    return family_selectors.family_area_filter(user=request.user, area_code=code)


def _reason(request: HttpRequest) -> RiskReason | None:
    value = request.GET.get("reason", "").strip()
    if not value:
        return None
    if value not in RiskReason.values:
        choices = ", ".join(RiskReason.values)
        raise BadQuery(StuntingProblem.REASON_INVALID, value=value[:30], choices=choices)
    return RiskReason(value)


@page
@vary_on_headers("HX-Request")
def at_risk(request: HtmxHttpRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    on = _on(request, today)
    reason = _reason(request)
    area_filter = list_area_filter(request)
    context: dict[str, Any] = {
        "area_filter": area_filter,
        "on": on,
        "today": today,
        "reason": reason,
        "reasons": list(RiskReason),
        "problem": StuntingProblem.AREA_MISSING.text(),
    }
    rows = None
    if area_filter.current is not None:
        try:
            all_rows = selectors.area_assessments(
                user=user, area_code=area_filter.current.code, on=on
            )
        except ValidationError as error:
            context["problem"] = " ".join(error.messages)
        else:
            context["problem"] = ""
            context["summary"] = selectors.summarise(area_filter.current.code, on, all_rows)
            rows = selectors.only_at_risk(all_rows, reason)
    file_format = request.GET.get("format")
    if file_format in EXPORT_FORMATS:
        return _export(request, file_format, rows, area_filter.current, on=on, reason=reason)
    if rows is not None:
        paginated = Paginator(rows, settings.KAMPUNGKB_PAGE_SIZE).get_page(request.GET.get("page"))
        context["page"] = paginated
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "stunting/_at_risk_results.html", context)
    return render(request, "stunting/at_risk.html", context)


def _export(
    request: HttpRequest,
    file_format: str,
    rows: list[selectors.FamilyAssessment] | None,
    area: Any,
    *,
    on: dt.date,
    reason: RiskReason | None,
) -> HttpResponse:
    if rows is None:
        if area is None:
            raise BadQuery(StuntingProblem.AREA_MISSING)
        raise BadQuery(StuntingProblem.AREA_ABOVE_VILLAGE, area=area.name)
    export_audit(
        actor=request.user,
        list_name="stunting_at_risk",
        file_format=file_format,
        area_code=area.code,
        rows=len(rows),
        on=on.isoformat(),
        reason=reason or "",
    )
    filename = f"kampungkb-krs-{area.code}-{on.isoformat()}"
    if file_format == "csv":
        return exports.csv_response(filename, rows)
    return exports.xlsx_response(filename, "KRS", rows)


def _explained(
    assessment: Assessment, reasons: tuple[TargetReason | RiskReason, ...]
) -> list[tuple[Any, list[str]]]:
    """Each reason that holds, with its findings in sentences."""
    return [(r.label, [explain(f) for f in assessment.findings_for(r)]) for r in reasons]


@page
def family(request: HttpRequest, pk: int) -> HttpResponse:
    today = timezone.localdate()
    on = _on(request, today)
    the_family = family_selectors.family_get(user=request.user, pk=pk)
    assessment = selectors.assess_family(the_family, on)
    area_path = [*area_ancestors(the_family.area), the_family.area]
    scope = scope_for(request.user)
    # Back to the list of the widest area at village level or below the user sees.
    list_area = next(
        (a for a in area_path if a.level >= Level.VILLAGE and scope.can(NAMED, a.code)), None
    )
    context = {
        "family": the_family,
        "area_path": area_path,
        "list_area": list_area,
        "on": on,
        "today": today,
        "assessment": assessment,
        "targets": _explained(assessment, assessment.target_reasons),
        "risks": _explained(assessment, assessment.risk_reasons),
        "unknown": [(Unknown(u).label, question(u)) for u in assessment.unknown],
        "can_edit": the_family.is_active
        and scope.can(Capability.EDIT_REGISTER, the_family.area_id),
        "under_five": growth_selectors.family_children_under_five(the_family, on),
    }
    return render(request, "stunting/family.html", context)
