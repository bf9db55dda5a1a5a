"""The partner page (``/reports/partners/<id>/``) and its Excel file. Aggregates only: every role
that sees the partner may open it (a partner's own users see their partner's page only); a
partner out of scope is not found."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from kampungkb.accounts.scope import Capability, scope_for
from kampungkb.core.tables import XLSX_TYPE
from kampungkb.partners.selectors import MouStatus, mou_alerts, partner_get
from kampungkb.reports.partner_report import (
    PartnerReport,
    partner_activities,
    partner_report,
)


def activity_links_exist() -> bool:
    """Whether the activities app has its detail page (built alongside this one)."""
    try:
        reverse("activities:detail", args=[1])
    except NoReverseMatch:
        return False
    return True


@login_required
@require_GET
def partner_page(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    if not scope_for(user).can(Capability.VIEW_AGGREGATES):
        raise Http404
    partner = partner_get(user=user, pk=pk)
    today = timezone.localdate()
    report = partner_report(user=user, partner=partner, today=today)
    activities = partner_activities(user=user, partner=partner)
    if request.GET.get("format") == "xlsx":
        return _xlsx(report, list(activities))
    page = Paginator(activities, settings.KAMPUNGKB_PAGE_SIZE).get_page(request.GET.get("page"))
    scope = scope_for(user)
    context = {
        "report": report,
        "partner": partner,
        "page": page,
        "alerts": mou_alerts(user=user, today=today, partner=partner),
        "activity_links": activity_links_exist(),
        "can_edit": scope.can(Capability.EDIT_PARTNERS, partner.area_id),
        "can_see_contacts": scope.can(Capability.VIEW_PERSONS, partner.area_id)
        or scope.can(Capability.EDIT_PARTNERS, partner.area_id),
        "status_labels": MouStatus.LABELS,
    }
    return render(request, "reports/partner.html", context)


# -- Excel ----------------------------------------------------------------------------------------


def _sheet(
    book: Workbook, title: str, header: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    sheet = book.create_sheet(title[:31])
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="017FC0")
    for line in rows:
        sheet.append(list(line))
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if hasattr(cell.value, "isoformat"):
                cell.number_format = "DD-MM-YYYY"
    for column, name in zip(sheet.columns, header, strict=False):
        width = max([len(name), *(len(str(c.value or "")) for c in column)])
        sheet.column_dimensions[column[0].column_letter].width = min(width + 2, 40)
    sheet.freeze_panes = "A2"


def _number(value: Any) -> Any:
    return float(value) if value is not None else None


def partner_workbook(report: PartnerReport, activities: list[Any]) -> bytes:
    """The page's tables, one sheet each, in Bahasa Indonesia."""
    book = Workbook()
    default = book.active
    if default is not None:
        book.remove(default)
    with translation.override("id"):
        _sheet(
            book,
            _("Commitments"),
            [
                _("MoU"),
                _("Status"),
                _("Commitment"),
                _("Measure"),
                _("Target"),
                _("Delivered"),
                _("Achieved (%)"),
            ],
            [
                [
                    m.mou.number,
                    str(MouStatus.LABELS[m.status]),
                    c.description,
                    str(c.measure_label),
                    c.target,
                    c.delivered,
                    _number(c.percent),
                ]
                for m in report.mous
                for c in m.commitments
            ],
        )
        _sheet(
            book,
            _("Delivery per MoU"),
            [
                _("MoU"),
                _("Valid from"),
                _("Valid until"),
                _("Activities"),
                _("People reached"),
                _("Contribution value (Rp)"),
                _("Villages"),
            ],
            [
                [
                    m.mou.number,
                    m.mou.valid_from,
                    m.mou.valid_until,
                    m.delivery.activities,
                    m.delivery.people,
                    m.delivery.value,
                    m.delivery.villages,
                ]
                for m in report.mous
            ],
        )
        _sheet(
            book,
            _("Activities"),
            [
                _("Date"),
                _("Title"),
                _("Kind"),
                _("Area"),
                _("People reached"),
                _("Contribution value (Rp)"),
            ],
            [
                [
                    a.held_on,
                    a.title,
                    a.get_kind_display(),
                    f"{a.area.name} ({a.area_id})",
                    a.named_count + a.counted_count,
                    a.contribution_value,
                ]
                for a in activities
            ],
        )
        _sheet(
            book,
            _("Villages served"),
            [_("Code"), _("Area")],
            [[a.code, a.name] for a in report.villages_served],
        )
        reach = report.reach
        _sheet(
            book,
            _("People reached"),
            [_("Sex"), _("Named attendees"), _("Counted attendees"), _("Total")],
            [
                [_("Male"), reach.named_male, reach.counted_male, reach.male],
                [_("Female"), reach.named_female, reach.counted_female, reach.female],
                [
                    _("Total"),
                    reach.named_male + reach.named_female,
                    reach.counted_male + reach.counted_female,
                    reach.total,
                ],
            ],
        )
        before = report.baseline.strftime("%m-%Y") if report.baseline else ""
        after = report.latest.strftime("%m-%Y") if report.latest else ""
        _sheet(
            book,
            _("Indicators"),
            [
                _("Indicator"),
                f"{_('Before')} {before}".strip(),
                f"{_('Latest')} {after}".strip(),
                pgettext("difference", "Change"),
            ],
            [
                [str(i.label), _number(i.before), _number(i.after), _number(i.change)]
                for i in report.indicators
            ],
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsx(report: PartnerReport, activities: list[Any]) -> HttpResponse:
    response = HttpResponse(partner_workbook(report, activities), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="mitra-{report.partner.pk}.xlsx"'
    return response
