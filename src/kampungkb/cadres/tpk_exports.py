"""The TPK coverage of an area and month as an Excel file (``core.tables``): counts only, one row
per village and the total, headers in Bahasa Indonesia. Not audited: it names no one."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from kampungkb.cadres.tpk_selectors import Coverage
from kampungkb.core import tables

COLUMNS = (
    _("Area code"),
    _("Area"),
    _("Month"),
    _("Families at risk"),
    _("Families at risk visited"),
    _("Families at risk visited (%)"),
    _("Pregnant women"),
    _("Pregnant women visited"),
    _("Pregnant women visited (%)"),
    _("Post-partum mothers"),
    _("Post-partum mothers visited"),
    _("Post-partum mothers visited (%)"),
    _("Brides-to-be"),
    _("Brides-to-be visited"),
    _("Brides-to-be visited (%)"),
)


def _share(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def coverage_values(row: Coverage, code: str, name: str) -> list[Any]:
    return [
        code,
        name,
        row.month.strftime("%m-%Y"),
        row.families_at_risk,
        row.families_visited,
        _share(row.families_share),
        row.pregnant,
        row.pregnant_visited,
        _share(row.pregnant_share),
        row.postpartum,
        row.postpartum_visited,
        _share(row.postpartum_share),
        row.brides,
        row.brides_visited,
        _share(row.brides_share),
    ]


def coverage_table(rows: Iterable[Coverage], total: Coverage) -> list[list[Any]]:
    body = [coverage_values(row, row.area_code, row.area_name) for row in rows]
    body.append(coverage_values(total, total.area_code, f"{_('Total')} {total.area_name}"))
    return body


def coverage_export(*, filename: str, rows: list[Coverage], total: Coverage) -> HttpResponse:
    with translation.override("id"):
        header = [str(c) for c in COLUMNS]
        body = coverage_table(rows, total)
        title = str(_("TPK coverage"))
    return tables.xlsx_response(filename, title, header, body)
