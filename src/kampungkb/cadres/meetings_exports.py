"""The meetings of an area and month, and the monthly field-control report, as CSV or Excel
files (``core.tables``). Neither holds a person's name (minutes and action items stay on the
meeting page), so the exports are not audited. Headers are in Bahasa Indonesia."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from kampungkb.cadres.meetings_selectors import ControlRow, FieldControl, MeetingRow
from kampungkb.core import tables

MEETING_COLUMNS = (
    _("Village code"),
    _("Village"),
    _("Sub-district"),
    _("Month"),
    _("Meeting held"),
    _("Date"),
    _("Place"),
    _("Cadres and others present"),
    _("Minutes written"),
    _("Open tasks"),
)
CONTROL_COLUMNS = (
    _("Village code"),
    _("Village"),
    _("Cadres"),
    _("Cadres reporting"),
    _("Poktan"),
    _("Poktan active"),
    _("Cadre meetings"),
    _("Counselling sessions"),
    _("Poktan sessions"),
)


def _yes_no(value: bool) -> str:
    return str(_("yes") if value else _("no"))


def meetings_table(rows: Iterable[MeetingRow], month_label: str) -> list[list[Any]]:
    out = []
    for row in rows:
        m = row.meeting
        out.append(
            [
                row.village.code,
                row.village.name,
                row.village.parent.name if row.village.parent else "",
                month_label,
                _yes_no(m is not None),
                m.activity.held_on if m else None,
                m.activity.place if m else "",
                m.attendees if m else None,  # type: ignore[attr-defined]
                _yes_no(bool(m and m.minutes)),
                m.open_items if m else None,  # type: ignore[attr-defined]
            ]
        )
    return out


def meetings_export(
    *, file_format: str, filename: str, rows: list[MeetingRow], month: dt.date
) -> HttpResponse:
    with translation.override("id"):
        header = [str(c) for c in MEETING_COLUMNS]
        body = meetings_table(rows, month.strftime("%m-%Y"))
        title = str(_("Cadre meetings"))
    if file_format == "csv":
        return tables.csv_response(filename, header, body)
    return tables.xlsx_response(filename, title, header, body)


def _control_values(row: ControlRow, code: str, name: str) -> list[Any]:
    return [code, name, *(getattr(row, f) for f in ControlRow.FIGURES)]


def control_table(report: FieldControl) -> list[list[Any]]:
    body = [_control_values(row, row.area.code, row.area.name) for row in report.rows if row.area]
    body.append(_control_values(report.total, report.area.code, str(_("Total"))))
    return body


def field_control_export(*, file_format: str, filename: str, report: FieldControl) -> HttpResponse:
    with translation.override("id"):
        header = [str(c) for c in CONTROL_COLUMNS]
        body = control_table(report)
        title = str(_("Field control %(month)s") % {"month": f"{report.month:%m-%Y}"})
    if file_format == "csv":
        return tables.csv_response(filename, header, body)
    return tables.xlsx_response(filename, title, header, body)
