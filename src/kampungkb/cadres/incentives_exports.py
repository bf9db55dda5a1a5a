"""A village's incentives of a month as files (decision 0028): the payment list to sign (Excel,
approved or paid proposals only) and the lines of the current revision (CSV or Excel, through
``core.tables``). Both hold cadres' names, so each export is audited. Labels are in Bahasa
Indonesia whatever the user's language: the files go to the district's finance office."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from kampungkb.cadres.models import IncentiveBatch, IncentiveLine
from kampungkb.contraception.exports import export_audit
from kampungkb.core import tables
from kampungkb.families.forms import _label
from kampungkb.families.templatetags.family_register import area_label


def _field(name: str) -> Any:
    return _label(IncentiveLine, name)


PAYMENT_COLUMNS = (
    _("No."),
    _("Name"),
    _("Role"),
    _("Area served"),
    _field("home_visits"),
    _field("referrals"),
    _field("meetings"),
    _field("trainings"),
    _field("total"),
    _field("paid_on"),
    _field("payment_reference"),
    _("Signature"),
)
LINE_COLUMNS = (
    _("Name"),
    _("Role"),
    _("Area served"),
    _field("home_visits"),
    _field("referrals"),
    _field("meetings"),
    _field("trainings"),
    _field("base_amount"),
    _field("visits_amount"),
    _field("referrals_amount"),
    _field("meetings_amount"),
    _field("trainings_amount"),
    _field("capped_amount"),
    _field("total"),
    _field("paid_on"),
    _field("payment_reference"),
)
# The payment list: a title, four rows about the proposal, a blank row, then the table.
HEADER_ROW = 7
MONEY = "#,##0"


def filename(batch: IncentiveBatch, kind: str) -> str:
    return f"kampungkb-{kind}-{batch.village_id}-{batch.month:%Y-%m}-r{batch.revision}"


def _audit(actor: Any, batch: IncentiveBatch, list_name: str, file_format: str, rows: int) -> None:
    export_audit(
        actor=actor,
        list_name=list_name,
        file_format=file_format,
        area_code=batch.village_id,
        rows=rows,
        batch=batch.pk,
        revision=batch.revision,
    )


def _counts(line: IncentiveLine) -> list[int]:
    return [line.home_visits, line.referrals, line.meetings, line.trainings]


def payment_rows(lines: Sequence[IncentiveLine]) -> list[list[Any]]:
    rows: list[list[Any]] = [
        [
            number,
            line.cadre.person.full_name,
            line.cadre.get_role_display(),
            area_label(line.cadre.area),
            *_counts(line),
            line.total,
            line.paid_on,
            line.payment_reference,
            "",
        ]
        for number, line in enumerate(lines, start=1)
    ]
    rows.append(["", str(_("Total")), *[""] * 6, sum(line.total for line in lines), "", "", ""])
    return rows


def _approval(batch: IncentiveBatch) -> str:
    if batch.decided_by is None or batch.decided_at is None:
        return ""
    at = timezone.localtime(batch.decided_at)
    return f"{batch.decided_by}, {at:%d-%m-%Y %H:%M}"


def payment_list_xlsx(batch: IncentiveBatch, lines: Sequence[IncentiveLine]) -> bytes:
    """The payment list of an approved proposal: who is paid how much, with a column to sign."""
    with translation.override("id"):
        book = Workbook()
        sheet = book.active
        assert sheet is not None  # noqa: S101 - a new workbook always has its first sheet
        sheet.title = str(_("Payment list"))
        sheet.append([str(_("Cadre incentive payment list"))])
        sheet.append([str(_("Village")), f"{batch.village.name} ({batch.village_id})"])
        sheet.append([str(_("Month")), date_format(batch.month, "F Y")])
        sheet.append([str(_("Revision")), batch.revision])
        sheet.append([str(_("Approved by")), _approval(batch)])
        sheet.append([])
        sheet.append([str(c) for c in PAYMENT_COLUMNS])
        sheet["A1"].font = Font(bold=True, size=14)
        for cell in sheet[HEADER_ROW]:
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = PatternFill("solid", fgColor="017FC0")
        for row in payment_rows(lines):
            sheet.append(row)
            cells = sheet[sheet.max_row]
            cells[8].number_format = MONEY
            cells[9].number_format = "DD-MM-YYYY"
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
        widths = (5, 28, 14, 30, 10, 10, 10, 10, 14, 12, 20, 24)
        header = sheet.iter_cols(min_row=HEADER_ROW, max_row=HEADER_ROW)
        for column, width in zip(header, widths, strict=True):
            sheet.column_dimensions[column[0].column_letter].width = width
        for number in range(HEADER_ROW + 1, sheet.max_row):
            sheet.row_dimensions[number].height = 30  # room for a signature
        sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=1)
        sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
        out = io.BytesIO()
        book.save(out)
    return out.getvalue()


def payment_list_response(
    *, batch: IncentiveBatch, lines: Sequence[IncentiveLine], actor: Any
) -> HttpResponse:
    _audit(actor, batch, "incentive_payments", "xlsx", len(lines))
    response = HttpResponse(payment_list_xlsx(batch, lines), content_type=tables.XLSX_TYPE)
    name = filename(batch, "bayar-insentif")
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


def line_rows(lines: Sequence[IncentiveLine]) -> list[list[Any]]:
    return [
        [
            line.cadre.person.full_name,
            line.cadre.get_role_display(),
            area_label(line.cadre.area),
            *_counts(line),
            line.base_amount,
            line.visits_amount,
            line.referrals_amount,
            line.meetings_amount,
            line.trainings_amount,
            line.capped_amount,
            line.total,
            line.paid_on,
            line.payment_reference,
        ]
        for line in lines
    ]


def lines_export(
    *, file_format: str, batch: IncentiveBatch, lines: Sequence[IncentiveLine], actor: Any
) -> HttpResponse:
    _audit(actor, batch, "incentive_lines", file_format, len(lines))
    name = filename(batch, "insentif")
    with translation.override("id"):
        header = [str(c) for c in LINE_COLUMNS]
        rows = line_rows(lines)
        title = str(_("Incentives %(month)s") % {"month": f"{batch.month:%m-%Y}"})
    if file_format == "csv":
        return tables.csv_response(name, header, rows)
    return tables.xlsx_response(name, title, header, rows)
