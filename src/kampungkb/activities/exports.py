"""The activity and poktan lists as CSV or Excel files. Their columns hold no person's name, so
they are not audited (the member list of a poktan is not exported)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from kampungkb.activities.models import Activity, Poktan
from kampungkb.core import tables
from kampungkb.families.templatetags.family_register import area_label

ACTIVITY_COLUMNS = (
    _("Date"),
    _("Title"),
    _("Kind"),
    _("Area"),
    _("Place"),
    _("Family function"),
    _("Organiser"),
    _("Partners"),
    _("Funding source"),
    _("Funding amount (Rp)"),
    _("Named men"),
    _("Named women"),
    _("Counted men"),
    _("Counted women"),
    _("Total attendance"),
)

POKTAN_COLUMNS = (
    _("Name"),
    _("Type"),
    _("Area"),
    _("Established on"),
    _("Active"),
    _("Current members"),
    _("Last session"),
)


def activity_rows(activities: Iterable[Activity]) -> list[list[Any]]:
    return [
        [
            a.held_on,
            a.title,
            a.get_kind_display(),
            area_label(a.area),
            a.place,
            a.get_family_function_display(),
            a.organiser,
            ", ".join(p.name for p in a.partners.all()),
            a.get_funding_source_display(),
            a.funding_amount,
            a.named_m,  # type: ignore[attr-defined]
            a.named_f,  # type: ignore[attr-defined]
            a.counted_m,  # type: ignore[attr-defined]
            a.counted_f,  # type: ignore[attr-defined]
            a.attendance_total,  # type: ignore[attr-defined]
        ]
        for a in activities
    ]


def poktan_rows(groups: Iterable[Poktan]) -> list[list[Any]]:
    return [
        [
            p.name,
            p.get_kind_display(),
            area_label(p.area),
            p.established_on,
            str(_("yes") if p.is_active else _("no")),
            p.member_count,  # type: ignore[attr-defined]
            p.last_session_on,  # type: ignore[attr-defined]
        ]
        for p in groups
    ]


def _respond(
    file_format: str, filename: str, title: Any, columns: Iterable[Any], rows: Any
) -> HttpResponse:
    # Headers and labels in Bahasa Indonesia whatever the user's language: the files go to the
    # district's spreadsheets and reports.
    with translation.override("id"):
        header = [str(c) for c in columns]
        values = rows()
        sheet_title = str(title)
    if file_format == "csv":
        return tables.csv_response(filename, header, values)
    return tables.xlsx_response(filename, sheet_title, header, values)


def activity_export(
    file_format: str, filename: str, activities: QuerySet[Activity]
) -> HttpResponse:
    return _respond(
        file_format, filename, _("Activities"), ACTIVITY_COLUMNS, lambda: activity_rows(activities)
    )


def poktan_export(file_format: str, filename: str, groups: QuerySet[Poktan]) -> HttpResponse:
    return _respond(file_format, filename, _("Poktan"), POKTAN_COLUMNS, lambda: poktan_rows(groups))
