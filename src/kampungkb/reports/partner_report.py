"""The partner page: what a partner committed to under each MoU against what it delivered, the
villages it serves, its activities, the people reached, and the key indicators of its villages
before and after the partnership.

Delivery is read from the activities the partner is involved in (``activities.ActivityPartner``),
within the caller's scope:
- per MoU, the activities held from ``valid_from`` to ``valid_until`` within the MoU's area;
- activities: how many; people reached: distinct named attendees + counted attendees;
  contribution value: the partner's ``PartnerContribution`` values (Rp) in those activities;
  villages: distinct village codes of those activities.
The indicators are the facts (``indicators.selectors.fact_list``) of the areas served and of the
villages where the partner held activities, summed over those areas (numerators and
denominators, so percentages are weighted): the month before the first joint activity against
the latest filled month. A change is not proof that the partnership caused it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, IntegerField, Max, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from ninja import Schema

from kampungkb.accounts.scope import scoped
from kampungkb.activities.models import (
    Activity,
    Attendance,
    AttendanceCount,
    PartnerContribution,
)
from kampungkb.core.periods import add_months, month_start
from kampungkb.indicators.models import Fact
from kampungkb.indicators.registry import Code, indicator
from kampungkb.indicators.selectors import fact_list
from kampungkb.partners.models import CommitmentMeasure, Mou, Partner
from kampungkb.partners.selectors import mou_list, mou_status
from kampungkb.regions.models import Area, Level
from kampungkb.regions.selectors import outermost_codes, subtree_q
from kampungkb.reports.exports import rounded

INDICATOR_CODES: tuple[tuple[Code, Any], ...] = (
    (Code.CPR, _("CPR (%)")),
    (Code.MKJP, _("MKJP (%)")),
    (Code.UNMET_NEED, _("Unmet need (%)")),
    (Code.PA, _("Active users (PA)")),
)


def village_code(area_code: str) -> str | None:
    """The village an area code lies in (itself for a village), None above the village."""
    parts = area_code.split(".")
    return ".".join(parts[: Level.VILLAGE]) if len(parts) >= Level.VILLAGE else None


def percent_of(delivered: int, target: int) -> Decimal | None:
    if target <= 0:
        return None
    return (Decimal(delivered) * 100 / target).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Reach:
    """People reached: distinct named attendees plus counted attendees, by sex."""

    named_male: int = 0
    named_female: int = 0
    counted_male: int = 0
    counted_female: int = 0

    @property
    def male(self) -> int:
        return self.named_male + self.counted_male

    @property
    def female(self) -> int:
        return self.named_female + self.counted_female

    @property
    def total(self) -> int:
        return self.male + self.female


@dataclass(frozen=True)
class Delivery:
    activities: int
    people: int
    value: int  # Rupiah
    villages: int

    def of(self, measure: str) -> int:
        return {
            CommitmentMeasure.ACTIVITIES: self.activities,
            CommitmentMeasure.PEOPLE_REACHED: self.people,
            CommitmentMeasure.VALUE: self.value,
            CommitmentMeasure.VILLAGES: self.villages,
        }[CommitmentMeasure(measure)]


@dataclass(frozen=True)
class CommitmentRow:
    description: str
    measure: str
    measure_label: Any
    target: int
    delivered: int
    percent: Decimal | None

    @property
    def is_money(self) -> bool:
        return self.measure == CommitmentMeasure.VALUE


@dataclass(frozen=True)
class MouDelivery:
    mou: Mou
    status: str
    delivery: Delivery
    commitments: list[CommitmentRow]


@dataclass(frozen=True)
class IndicatorChange:
    code: str
    label: Any
    before: Decimal | None
    after: Decimal | None

    @property
    def change(self) -> Decimal | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before

    @property
    def is_percent(self) -> bool:
        return indicator(self.code).is_ratio


@dataclass(frozen=True)
class PartnerReport:
    partner: Partner
    today: dt.date
    mous: list[MouDelivery]
    totals: Delivery
    reach: Reach
    areas_served: list[Area]
    activity_villages: list[Area]
    first_activity: dt.date | None
    baseline: dt.date | None  # the month before the first joint activity
    latest: dt.date | None  # the latest month with facts
    indicator_areas: list[str]  # the area codes whose facts are summed
    indicators: list[IndicatorChange]

    @property
    def villages_served(self) -> list[Area]:
        """Areas served and villages where the partner held activities, each once, by code."""
        seen = {a.code: a for a in self.areas_served}
        for area in self.activity_villages:
            seen.setdefault(area.code, area)
        return [seen[c] for c in sorted(seen)]


def partner_activities(*, user: Any, partner: Partner) -> QuerySet[Activity]:
    """The partner's activities the user sees, latest first, with the people reached in each."""
    named = (
        Attendance.objects.filter(activity=OuterRef("pk"))
        .order_by()
        .values("activity")
        .annotate(n=Count("person", distinct=True))
        .values("n")
    )
    counted = (
        AttendanceCount.objects.filter(activity=OuterRef("pk"))
        .order_by()
        .values("activity")
        .annotate(n=Sum("count"))
        .values("n")
    )
    value = (
        PartnerContribution.objects.filter(link__activity=OuterRef("pk"), link__partner=partner)
        .order_by()
        .values("link__activity")
        .annotate(v=Sum("value"))
        .values("v")
    )
    return (
        scoped(user, Activity.objects.held().filter(partner_links__partner=partner))
        .select_related("area")
        .annotate(
            named_count=Coalesce(Subquery(named, output_field=IntegerField()), 0),
            counted_count=Coalesce(Subquery(counted, output_field=IntegerField()), 0),
            contribution_value=Coalesce(Subquery(value, output_field=IntegerField()), 0),
        )
        .order_by("-held_on", "-id")
    )


def _reach(activities: QuerySet[Activity]) -> Reach:
    ids = activities.values("pk")
    named = dict(
        Attendance.objects.filter(activity__in=ids)
        .order_by()
        .values_list("person__sex")
        .annotate(n=Count("person", distinct=True))
    )
    counted = dict(
        AttendanceCount.objects.filter(activity__in=ids)
        .order_by()
        .values_list("sex")
        .annotate(n=Sum("count"))
    )
    return Reach(
        named_male=named.get("M", 0),
        named_female=named.get("F", 0),
        counted_male=counted.get("M") or 0,
        counted_female=counted.get("F") or 0,
    )


def _delivery(partner: Partner, activities: QuerySet[Activity]) -> tuple[Delivery, set[str]]:
    """The delivery of a set of activities (four queries) and their village codes."""
    codes = set(activities.order_by().values_list("area_id", flat=True).distinct())
    villages = {v for v in (village_code(c) for c in codes) if v}
    ids = activities.values("pk")
    named = (
        Attendance.objects.filter(activity__in=ids)
        .order_by()
        .aggregate(n=Count("person", distinct=True))["n"]
    )
    counted = AttendanceCount.objects.filter(activity__in=ids).aggregate(n=Sum("count"))["n"] or 0
    value = (
        PartnerContribution.objects.filter(link__partner=partner, link__activity__in=ids).aggregate(
            v=Sum("value")
        )["v"]
        or 0
    )
    return (
        Delivery(
            activities=activities.count(),
            people=named + counted,
            value=value,
            villages=len(villages),
        ),
        villages,
    )


def _mou_delivery(
    partner: Partner, mou: Mou, base: QuerySet[Activity], today: dt.date
) -> MouDelivery:
    within = base.filter(
        subtree_q("area_id", [mou.area_id]),
        held_on__gte=mou.valid_from,
        held_on__lte=mou.valid_until,
    )
    delivery, _villages = _delivery(partner, within)
    rows = [
        CommitmentRow(
            description=c.description,
            measure=c.measure,
            measure_label=CommitmentMeasure(c.measure).label,
            target=c.target,
            delivered=delivery.of(c.measure),
            percent=percent_of(delivery.of(c.measure), c.target),
        )
        for c in mou.commitments.all()
    ]
    return MouDelivery(mou=mou, status=mou_status(mou, today), delivery=delivery, commitments=rows)


def _summed(facts: list[Fact], period: dt.date | None) -> dict[str, Decimal | None]:
    numerators: dict[str, Decimal] = defaultdict(Decimal)
    denominators: dict[str, Decimal] = defaultdict(Decimal)
    present: set[str] = set()
    for fact in facts:
        if fact.period != period:
            continue
        present.add(fact.indicator)
        numerators[fact.indicator] += fact.numerator
        denominators[fact.indicator] += fact.denominator or 0
    return {
        code: rounded(code, indicator(code).value(numerators[code], denominators[code]))
        for code in present
    }


def _indicators(
    user: Any, codes: list[str], first_activity: dt.date | None
) -> tuple[dt.date | None, dt.date | None, list[IndicatorChange]]:
    wanted = [c.value for c, _label in INDICATOR_CODES]
    baseline = add_months(month_start(first_activity), -1) if first_activity else None
    latest = None
    facts: list[Fact] = []
    if codes and baseline is not None:
        latest = (
            scoped(user, Fact.objects.all())
            .filter(indicator__in=wanted, area_code__in=codes, subgroup="", period__gt=baseline)
            .aggregate(m=Max("period"))["m"]
        )
        months = [baseline, *([latest] if latest else [])]
        facts = [
            f
            for f in fact_list(
                user=user,
                codes=wanted,
                month_from=baseline,
                month_to=latest or baseline,
                area_codes=codes,
            )
            if f.period in months
        ]
    before = _summed(facts, baseline)
    after = _summed(facts, latest) if latest else {}
    return (
        baseline,
        latest,
        [
            IndicatorChange(code=c.value, label=label, before=before.get(c), after=after.get(c))
            for c, label in INDICATOR_CODES
        ],
    )


def partner_report(*, user: Any, partner: Partner, today: dt.date) -> PartnerReport:
    """The partner page's figures for ``partner`` (already checked to be visible)."""
    base = scoped(user, Activity.objects.held().filter(partner_links__partner=partner))
    mous = [
        _mou_delivery(partner, mou, base, today)
        for mou in mou_list(user=user, today=today, partner=partner).prefetch_related("commitments")
    ]
    totals, village_codes = _delivery(partner, base)
    first = base.order_by("held_on").values_list("held_on", flat=True).first()
    areas_served = list(partner.areas_served.order_by("code"))
    activity_villages = list(Area.objects.filter(code__in=village_codes).order_by("code"))
    indicator_areas = outermost_codes([*(a.code for a in areas_served), *village_codes])
    baseline, latest, changes = _indicators(user, indicator_areas, first)
    return PartnerReport(
        partner=partner,
        today=today,
        mous=mous,
        totals=totals,
        reach=_reach(base),
        areas_served=areas_served,
        activity_villages=activity_villages,
        first_activity=first,
        baseline=baseline,
        latest=latest,
        indicator_areas=indicator_areas,
        indicators=changes,
    )


# -- The API's answer -----------------------------------------------------------------------------


class CommitmentDeliveryOut(Schema):
    description: str
    measure: str
    target: int
    delivered: int
    percent: Decimal | None


class DeliveryOut(Schema):
    activities: int
    people: int
    value: int
    villages: int


class MouDeliveryOut(Schema):
    id: int
    number: str
    area: str
    valid_from: dt.date
    valid_until: dt.date
    status: str
    delivery: DeliveryOut
    commitments: list[CommitmentDeliveryOut]


class ReachOut(Schema):
    total: int
    male: int
    female: int
    named: int
    counted: int


class IndicatorChangeOut(Schema):
    code: str
    before: Decimal | None
    after: Decimal | None
    change: Decimal | None


class PartnerReportOut(Schema):
    partner_id: int
    name: str
    mous: list[MouDeliveryOut]
    totals: DeliveryOut
    people_reached: ReachOut
    villages_served: list[str]
    first_activity: dt.date | None
    baseline_month: dt.date | None
    latest_month: dt.date | None
    indicator_areas: list[str]
    indicators: list[IndicatorChangeOut]
    note_id: str
    note_en: str


NOTE_ID = (
    "Perubahan indikator di desa yang dilayani bukan bukti bahwa kemitraan ini penyebabnya: "
    "banyak hal lain ikut memengaruhinya."
)
NOTE_EN = (
    "A change in the indicators of the villages served is not proof that this partnership caused "
    "it: many other things affect them."
)


def _delivery_data(d: Delivery) -> dict[str, int]:
    return {
        "activities": d.activities,
        "people": d.people,
        "value": d.value,
        "villages": d.villages,
    }


def partner_report_data(report: PartnerReport) -> dict[str, Any]:
    """The report as the API answers it."""
    reach = report.reach
    return {
        "partner_id": report.partner.pk,
        "name": report.partner.name,
        "mous": [
            {
                "id": m.mou.pk,
                "number": m.mou.number,
                "area": m.mou.area_id,
                "valid_from": m.mou.valid_from,
                "valid_until": m.mou.valid_until,
                "status": m.status,
                "delivery": _delivery_data(m.delivery),
                "commitments": [
                    {
                        "description": c.description,
                        "measure": c.measure,
                        "target": c.target,
                        "delivered": c.delivered,
                        "percent": c.percent,
                    }
                    for c in m.commitments
                ],
            }
            for m in report.mous
        ],
        "totals": _delivery_data(report.totals),
        "people_reached": {
            "total": reach.total,
            "male": reach.male,
            "female": reach.female,
            "named": reach.named_male + reach.named_female,
            "counted": reach.counted_male + reach.counted_female,
        },
        "villages_served": [a.code for a in report.villages_served],
        "first_activity": report.first_activity,
        "baseline_month": report.baseline,
        "latest_month": report.latest,
        "indicator_areas": report.indicator_areas,
        "indicators": [
            {"code": i.code, "before": i.before, "after": i.after, "change": i.change}
            for i in report.indicators
        ],
        "note_id": NOTE_ID,
        "note_en": NOTE_EN,
    }
