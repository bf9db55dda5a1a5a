"""The list of families at risk of stunting as CSV or Excel, for the cadres' work plans. The file
holds heads' names and addresses, so each export is audited; no NIK or KK number is exported."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kampungkb.core import tables
from kampungkb.families.templatetags.family_register import area_label
from kampungkb.stunting.growth_selectors import ChildRow, status_labels
from kampungkb.stunting.risk import RiskReason, TargetReason, Unknown
from kampungkb.stunting.selectors import FamilyAssessment

COLUMNS = (
    _("Head of family"),
    _("Area"),
    _("Address"),
    _("Why a target family"),
    _("Risk reasons"),
    _("Not recorded"),
)


def head_name(row: FamilyAssessment) -> str:
    family = row.family
    return family.head.full_name if family.head else f"#{family.pk}"


def labels(
    choices: type[TargetReason] | type[RiskReason] | type[Unknown], values: Sequence[str]
) -> str:
    return "; ".join(str(choices(v).label) for v in values)


def _values(row: FamilyAssessment) -> list[Any]:
    a = row.assessment
    return [
        head_name(row),
        area_label(row.family.area),
        row.family.address,
        labels(TargetReason, a.target_reasons),
        labels(RiskReason, a.risk_reasons),
        labels(Unknown, a.unknown),
    ]


def table(rows: Iterable[FamilyAssessment]) -> tuple[list[str], list[list[Any]]]:
    """The header and the rows, in Bahasa Indonesia whatever the user's language: exports go to
    the district's spreadsheets and reports."""
    with translation.override("id"):
        return [str(c) for c in COLUMNS], [_values(r) for r in rows]


def csv_response(filename: str, rows: Iterable[FamilyAssessment]) -> HttpResponse:
    return tables.csv_response(filename, *table(rows))


def xlsx_response(filename: str, title: str, rows: Iterable[FamilyAssessment]) -> HttpResponse:
    return tables.xlsx_response(filename, title, *table(rows))


# -- Children under 5 and their latest measurement ------------------------------------------------

CHILD_COLUMNS = (
    _("Name"),
    _("Sex"),
    _("Birth date"),
    _("Area"),
    _("Mother"),
    _("Date measured"),
    _("Weight (kg)"),
    _("Length or height (cm)"),
    _("Measured"),
    _("Oedema"),
    _("HAZ"),
    _("WAZ"),
    _("WHZ"),
    _("Status"),
)


def _child_values(row: ChildRow) -> list[Any]:
    child, m = row.child, row.latest
    measured: list[Any] = [""] * 9
    if m is not None:
        measured = [
            m.measured_on,
            m.weight_kg,
            m.length_or_height_cm,
            m.get_position_display(),
            _("yes") if m.oedema else _("no"),
            m.haz,
            m.waz,
            m.whz,
            "; ".join(str(label) for label, _badge in status_labels(row.statuses)),
        ]
    mother = child.mother.full_name if child.mother is not None else ""
    return [
        child.full_name,
        child.get_sex_display(),
        child.birth_date,
        area_label(child.family.area),
        mother,
        *(str(v) if isinstance(v, Promise) else v for v in measured),
    ]


def children_xlsx_response(filename: str, rows: Iterable[ChildRow]) -> HttpResponse:
    with translation.override("id"):
        header = [str(c) for c in CHILD_COLUMNS]
        values = [_child_values(r) for r in rows]
    return tables.xlsx_response(filename, "Balita", header, values)
