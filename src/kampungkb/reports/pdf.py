"""The monthly recap as a PDF to print, sign and file (WeasyPrint, A4 landscape): title, area with
its level and the areas above it, period, the recap table with its totals row, the date it was
made and a signature block in the way Indonesian regional offices sign their reports.

Unlike the spreadsheet files, the PDF is written in the reader's language (Bahasa Indonesia by
default, decision 0017)."""

from __future__ import annotations

import datetime as dt

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kampungkb.regions.models import Area, Level
from kampungkb.regions.selectors import area_ancestors
from kampungkb.reports.selectors import COLUMNS, Recap

TEMPLATE = "reports/recap_pdf.html"


def place(area: Area) -> str:
    """The place a report is signed in: the area's own name, without the "Kabupaten"/"Kota" of a
    regency or city ("Kutai Kartanegara, 5 Juli 2025")."""
    if area.level == Level.REGENCY:
        for prefix in ("Kabupaten ", "Kota "):
            if area.name.startswith(prefix):
                return area.name.removeprefix(prefix)
    return area.name


def approver(area: Area) -> str:
    """Who acknowledges ("Mengetahui") the recap of an area: the head of the family-planning
    office of a province or regency, the camat of a sub-district, the village head below."""
    name = str(area)
    if area.level == Level.PROVINCE:
        return _("Head of the BKKBN Representative Office of %(area)s Province") % {"area": name}
    if area.level == Level.REGENCY:
        return _("Head of the Population Control and Family Planning Office, %(area)s") % {
            "area": name
        }
    if area.level == Level.DISTRICT:
        return _("Head of the sub-district (camat) of %(area)s") % {"area": name}
    if area.level == Level.VILLAGE:
        return _("Head of the village (kepala desa/lurah) of %(area)s") % {"area": name}
    return _("Head of %(area)s") % {"area": name}


def recap_pdf(recap: Recap, *, language: str | None = None, today: dt.date | None = None) -> bytes:
    """The recap as PDF bytes, in ``language`` (the active language when None)."""
    # Imported here: WeasyPrint loads Pango when imported, and a machine without it should still
    # serve the other formats.
    from weasyprint import HTML

    with translation.override(language or translation.get_language()):
        context = {
            "recap": recap,
            "columns": COLUMNS,
            "ancestors": area_ancestors(recap.area),
            "place": place(recap.area),
            "approver": approver(recap.area),
            "today": today or timezone.localdate(),
        }
        html = render_to_string(TEMPLATE, context)
        return bytes(HTML(string=html).write_pdf())
