"""Output schemas of the stunting API. No NIK or KK number: a family is named by its head."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import translation
from ninja import Field, Schema

from kampungkb.families.templatetags.family_register import area_label
from kampungkb.stunting.explain import explain
from kampungkb.stunting.growth import Status
from kampungkb.stunting.growth_selectors import ChildRow, measurement_statuses
from kampungkb.stunting.models import ChildMeasurement, Position
from kampungkb.stunting.risk import Finding, RiskReason, TargetReason, Unknown
from kampungkb.stunting.selectors import FamilyAssessment, Summary


def _head(family: Any) -> str:
    return family.head.full_name if family.head else ""


class AtRiskRowOut(Schema):
    family_id: int
    head_name: str = Field(description="The head of the family; empty when none is recorded.")
    area: str = Field(description="The RT, RW or village code of the family.")
    area_label: str
    address: str
    target_reasons: list[TargetReason]
    risk_reasons: list[RiskReason]
    unknown: list[Unknown] = Field(description="Parts of the house not recorded.")

    @staticmethod
    def resolve_family_id(obj: FamilyAssessment) -> int:
        return int(obj.family.pk)

    @staticmethod
    def resolve_head_name(obj: FamilyAssessment) -> str:
        return _head(obj.family)

    @staticmethod
    def resolve_area(obj: FamilyAssessment) -> str:
        return str(obj.family.area_id)

    @staticmethod
    def resolve_area_label(obj: FamilyAssessment) -> str:
        return area_label(obj.family.area)

    @staticmethod
    def resolve_address(obj: FamilyAssessment) -> str:
        return str(obj.family.address)

    @staticmethod
    def resolve_target_reasons(obj: FamilyAssessment) -> list[str]:
        return list(obj.assessment.target_reasons)

    @staticmethod
    def resolve_risk_reasons(obj: FamilyAssessment) -> list[str]:
        return list(obj.assessment.risk_reasons)

    @staticmethod
    def resolve_unknown(obj: FamilyAssessment) -> list[str]:
        return list(obj.assessment.unknown)


class FindingOut(Schema):
    reason: str = Field(description="A target reason or a risk reason.")
    text_id: str = Field(description="The finding in a sentence, in Bahasa Indonesia.")
    text_en: str = Field(description="The finding in a sentence, in English.")
    wife_id: int | None = None
    child_id: int | None = Field(None, description="The child, or the youngest of two births.")
    older_child_id: int | None = Field(None, description="The birth before the youngest.")
    years: int | None = None
    months: int | None = Field(None, description="A baduta's age or the gap between births.")
    children: int | None = Field(None, description="The wife's living children.")
    limit: int | None = Field(None, description="The age a wife too old is over.")
    since: dt.date | None = Field(None, description="The pregnancy recorded on.")
    value: str = Field("", description="The water source or the latrine recorded.")


def finding_out(finding: Finding) -> dict[str, Any]:
    texts = {}
    for language in ("id", "en"):
        with translation.override(language):
            texts[language] = explain(finding)
    return {
        "reason": str(finding.reason),
        "text_id": texts["id"],
        "text_en": texts["en"],
        "wife_id": finding.wife.id if finding.wife else None,
        "child_id": finding.child.id if finding.child else None,
        "older_child_id": finding.older_child.id if finding.older_child else None,
        "years": finding.years,
        "months": finding.months,
        "children": finding.children,
        "limit": finding.limit,
        "since": finding.since,
        "value": finding.value,
    }


class FamilyAssessmentOut(Schema):
    family_id: int
    head_name: str
    area: str
    on: dt.date
    is_target: bool
    is_at_risk: bool
    target_reasons: list[TargetReason]
    risk_reasons: list[RiskReason]
    unknown: list[Unknown] = Field(description="Parts of the house not recorded.")
    findings: list[FindingOut] = Field(description="The data behind each reason.")


def family_assessment_out(row: FamilyAssessment) -> dict[str, Any]:
    a = row.assessment
    return {
        "family_id": row.family.pk,
        "head_name": _head(row.family),
        "area": row.family.area_id,
        "on": a.on,
        "is_target": a.is_target,
        "is_at_risk": a.is_at_risk,
        "target_reasons": list(a.target_reasons),
        "risk_reasons": list(a.risk_reasons),
        "unknown": list(a.unknown),
        "findings": [finding_out(f) for f in a.findings],
    }


class SummaryOut(Schema):
    area: str
    on: dt.date
    families: int = Field(description="Active families of the area.")
    target: int = Field(description="Target families (PUS, pregnant wife, child under 5).")
    at_risk: int = Field(description="Target families with at least one risk reason.")
    by_reason: dict[RiskReason, int] = Field(description="At-risk families per risk reason.")
    by_target_reason: dict[TargetReason, int]
    house_not_recorded: int = Field(description="Target families whose house is not recorded.")


def summary_out(summary: Summary) -> dict[str, Any]:
    return {
        "area": summary.area_code,
        "on": summary.on,
        "families": summary.families,
        "target": summary.target,
        "at_risk": summary.at_risk,
        "by_reason": {str(k): v for k, v in summary.by_reason.items()},
        "by_target_reason": {str(k): v for k, v in summary.by_target_reason.items()},
        "house_not_recorded": summary.house_not_recorded,
    }


# -- Child growth ---------------------------------------------------------------------------------


class MeasurementIn(Schema):
    measured_on: dt.date
    weight_kg: Decimal = Field(description="Weight in kg, to 0.01 kg.")
    length_or_height_cm: Decimal = Field(description="Length (lying) or height (standing), cm.")
    position: Position = Field(description="How the child was measured: lying or standing.")
    oedema: bool = Field(False, description="Bilateral pitting oedema: no weight z-scores.")
    place: str = Field("", max_length=100, description="The Posyandu.")


class MeasurementOut(Schema):
    id: int
    child_id: int
    measured_on: dt.date
    age_days: int
    weight_kg: Decimal
    length_or_height_cm: Decimal
    position: Position
    oedema: bool
    place: str
    haz: Decimal | None = Field(description="Length/height-for-age z-score (WHO 2006).")
    waz: Decimal | None = Field(description="Weight-for-age z-score; none with oedema.")
    whz: Decimal | None = Field(
        description="Weight-for-length (under 24 months) or -height z-score; none with oedema "
        "or outside the table's lengths."
    )
    haz_flagged: bool = Field(description="HAZ biologically implausible (< -6 or > 6).")
    waz_flagged: bool = Field(description="WAZ biologically implausible (< -6 or > 5).")
    whz_flagged: bool = Field(description="WHZ biologically implausible (< -5 or > 5).")
    statuses: list[Status]

    @staticmethod
    def resolve_statuses(obj: ChildMeasurement) -> list[str]:
        return [str(s) for s in measurement_statuses(obj)]


class ChildOut(Schema):
    child_id: int
    full_name: str
    sex: str
    birth_date: dt.date
    area: str = Field(description="The RT, RW or village code of the child's family.")
    mother_name: str
    latest: MeasurementOut | None = Field(description="The latest measurement on the date.")
    statuses: list[Status]

    @staticmethod
    def resolve_child_id(obj: ChildRow) -> int:
        return int(obj.child.pk)

    @staticmethod
    def resolve_full_name(obj: ChildRow) -> str:
        return obj.child.full_name

    @staticmethod
    def resolve_sex(obj: ChildRow) -> str:
        return obj.child.sex

    @staticmethod
    def resolve_birth_date(obj: ChildRow) -> dt.date:
        return obj.child.birth_date

    @staticmethod
    def resolve_area(obj: ChildRow) -> str:
        return str(obj.child.family.area_id)

    @staticmethod
    def resolve_mother_name(obj: ChildRow) -> str:
        return obj.child.mother.full_name if obj.child.mother is not None else ""

    @staticmethod
    def resolve_statuses(obj: ChildRow) -> list[str]:
        return [str(s) for s in obj.statuses]
