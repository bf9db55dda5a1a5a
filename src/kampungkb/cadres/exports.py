"""The roster as a CSV or Excel file. It holds names and phone numbers, so each export is
audited (``contraception.exports.export_audit``); NIK is never exported."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from kampungkb.cadres.models import Cadre
from kampungkb.contraception.exports import export_audit
from kampungkb.core import tables
from kampungkb.families.templatetags.family_register import area_label

COLUMNS = (
    _("Name"),
    _("Role"),
    _("Area served"),
    _("Started on"),
    _("Decree (SK) number"),
    _("Decree (SK) date"),
    _("Phone"),
    _("TPK team"),
    _("Role in the team"),
    _("Status"),
    _("Ended on"),
    _("Reason for deactivation"),
    _("Re-registered this year"),
    _("Latest test score (%)"),
)


def _values(cadre: Cadre) -> list[Any]:
    return [
        cadre.person.full_name,
        cadre.get_role_display(),
        area_label(cadre.area),
        cadre.started_on,
        cadre.decree_number,
        cadre.decree_date,
        cadre.phone,
        cadre.tpk_team.name if cadre.tpk_team else "",
        cadre.get_team_role_display(),
        str(_("active") if cadre.is_active else _("inactive")),
        cadre.ended_on,
        cadre.deactivated_reason,
        str(_("yes") if cadre.registered else _("no")),  # type: ignore[attr-defined]
        cadre.latest_score,  # type: ignore[attr-defined]
    ]


def roster_table(cadres: Iterable[Cadre]) -> tuple[list[str], list[list[Any]]]:
    """The header and rows in Bahasa Indonesia whatever the user's language: exports go to the
    district's spreadsheets and reports."""
    with translation.override("id"):
        return [str(c) for c in COLUMNS], [_values(c) for c in cadres]


def roster_export(
    *, file_format: str, filename: str, cadres: Iterable[Cadre], actor: Any, area_code: str
) -> HttpResponse:
    header, rows = roster_table(cadres)
    export_audit(
        actor=actor,
        list_name="cadres",
        file_format=file_format,
        area_code=area_code,
        rows=len(rows),
    )
    if file_format == "csv":
        return tables.csv_response(filename, header, rows)
    with translation.override("id"):
        title = str(_("Cadres"))
    return tables.xlsx_response(filename, title, header, rows)
