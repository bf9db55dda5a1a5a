"""Reading child growth: one child's measurements and chart, the children under 5 of a village
(or an RW/RT) with their latest measurement, and the monthly counts the indicators are filled
from (``growth_counts``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from kampungkb.accounts.scope import Capability, area_or_404, get_scoped_or_404, scoped
from kampungkb.core.periods import add_months
from kampungkb.families.models import Person
from kampungkb.regions.selectors import subtree_q
from kampungkb.stunting import growth
from kampungkb.stunting.growth import Chart, Status
from kampungkb.stunting.models import ChildMeasurement
from kampungkb.stunting.selectors import check_village_or_below

NAMED = Capability.VIEW_PERSONS
UNDER_FIVE_MONTHS = 60

STATUS_LABELS = {
    Status.IMPLAUSIBLE: _("implausible value, measure again"),
    Status.OEDEMA: _("oedema: refer to the puskesmas"),
    Status.SEVERELY_STUNTED: _("severely stunted"),
    Status.STUNTED: _("stunted"),
    Status.SEVERELY_WASTED: _("severely wasted"),
    Status.WASTED: _("wasted"),
    Status.UNDERWEIGHT: _("underweight"),
    Status.NORMAL: _("normal"),
}
# The badge class of each status in the pages.
STATUS_BADGES = {
    Status.IMPLAUSIBLE: "off",
    Status.OEDEMA: "warn",
    Status.SEVERELY_STUNTED: "warn",
    Status.STUNTED: "warn",
    Status.SEVERELY_WASTED: "warn",
    Status.WASTED: "warn",
    Status.UNDERWEIGHT: "warn",
    Status.NORMAL: "ok",
}


def measurement_statuses(m: ChildMeasurement) -> list[Status]:
    return growth.statuses(
        haz=m.haz,
        waz=m.waz,
        whz=m.whz,
        haz_flagged=m.haz_flagged,
        waz_flagged=m.waz_flagged,
        whz_flagged=m.whz_flagged,
        oedema=m.oedema,
    )


def is_stunted(m: ChildMeasurement | None) -> bool:
    return m is not None and growth.below(m.haz, m.haz_flagged, growth.STUNTED)


# -- One child --------------------------------------------------------------------------------------


def child_get(*, user: Any, pk: int) -> Person:
    """A person the user may see by name, with the family and its area; else not found."""
    return get_scoped_or_404(
        user, Person.objects.select_related("family__area__parent__parent"), NAMED, pk=pk
    )


def measurement_get(*, user: Any, pk: int, capability: Capability = NAMED) -> ChildMeasurement:
    return get_scoped_or_404(
        user,
        ChildMeasurement.objects.select_related("child__family"),
        capability,
        pk=pk,
    )


def child_measurements(child: Person) -> list[ChildMeasurement]:
    return list(ChildMeasurement.objects.filter(child=child).order_by("measured_on", "pk"))


def is_under_five(child: Person, on: dt.date) -> bool:
    return child.birth_date <= on and child.age_on(on) < 5 and child.died_on is None


def family_children_under_five(family: Any, on: dt.date) -> list[Person]:
    """The family's members under 5 on ``on`` (for the links to their growth pages)."""
    return list(family.members.filter(under_five_q(on)).order_by("birth_date", "pk"))


@dataclass(frozen=True)
class MeasurementRow:
    """A measurement as the child's page shows it, with the WHO values at the child's age (the
    chart's data as a table)."""

    measurement: ChildMeasurement
    statuses: list[Status]
    age_months: float
    length_cm: Decimal  # after the 0.7 cm correction
    length_reference: dict[str, Decimal] | None
    weight_reference: dict[str, Decimal] | None

    @property
    def labels(self) -> list[tuple[Any, str]]:
        return status_labels(self.statuses)


def measurement_rows(
    child: Person, measurements: Sequence[ChildMeasurement]
) -> list[MeasurementRow]:
    return [
        MeasurementRow(
            measurement=m,
            statuses=measurement_statuses(m),
            age_months=_age_months(m.age_days),
            length_cm=growth.adjusted_length(m.length_or_height_cm, m.position, m.age_days),
            length_reference=growth.reference(Chart.LENGTH_FOR_AGE, child.sex, m.age_days),
            weight_reference=growth.reference(Chart.WEIGHT_FOR_AGE, child.sex, m.age_days),
        )
        for m in measurements
    ]


@dataclass(frozen=True)
class ChartSeries:
    """One chart of the child's page: the WHO curves by month of age and the child's points."""

    chart: Chart
    months: list[int]
    curves: dict[str, list[float]]  # by growth.CURVE_COLUMNS
    points: list[dict[str, float]]  # {"x": age in months, "y": value}

    def as_json(self) -> dict[str, Any]:
        return {
            "chart": str(self.chart),
            "months": self.months,
            "curves": self.curves,
            "points": self.points,
        }


def _age_months(days: int) -> float:
    return round(days / 30.4375, 2)


def growth_charts(child: Person, measurements: Sequence[ChildMeasurement]) -> list[ChartSeries]:
    """Length/height-for-age and weight-for-age of the child against the WHO curves, 0-60 months
    (the length used is the one the standard expects, after the 0.7 cm correction)."""
    months = range(UNDER_FIVE_MONTHS + 1)
    charts = []
    for chart in (Chart.LENGTH_FOR_AGE, Chart.WEIGHT_FOR_AGE):
        points = growth.curve(chart, child.sex, months)
        curves = {c: [float(p.values[c]) for p in points] for c in growth.CURVE_COLUMNS}
        mine = []
        for m in measurements:
            if chart == Chart.LENGTH_FOR_AGE:
                value = growth.adjusted_length(m.length_or_height_cm, m.position, m.age_days)
            else:
                value = m.weight_kg
            mine.append({"x": _age_months(m.age_days), "y": float(value)})
        charts.append(ChartSeries(chart, [p.month for p in points], curves, mine))
    return charts


# -- The children of an area ----------------------------------------------------------------------


class ListFilter(StrEnum):
    STUNTED = "stunted"
    SEVERELY_STUNTED = "severely_stunted"
    WASTED = "wasted"
    UNDERWEIGHT = "underweight"
    NOT_MEASURED = "not_measured"


LIST_FILTER_LABELS = {
    ListFilter.STUNTED: _("Stunted only"),
    ListFilter.SEVERELY_STUNTED: _("Severely stunted only"),
    ListFilter.WASTED: _("Wasted only"),
    ListFilter.UNDERWEIGHT: _("Underweight only"),
    ListFilter.NOT_MEASURED: _("Not measured yet"),
}


@dataclass(frozen=True)
class ChildRow:
    child: Person
    latest: ChildMeasurement | None

    @property
    def statuses(self) -> list[Status]:
        return measurement_statuses(self.latest) if self.latest else []

    @property
    def labels(self) -> list[tuple[Any, str]]:
        return status_labels(self.statuses)


def _keeps(row: ChildRow, wanted: ListFilter | None) -> bool:
    m = row.latest
    if wanted is None:
        return True
    if wanted == ListFilter.NOT_MEASURED:
        return m is None
    if m is None:
        return False
    if wanted == ListFilter.STUNTED:
        return growth.below(m.haz, m.haz_flagged, growth.STUNTED)
    if wanted == ListFilter.SEVERELY_STUNTED:
        return growth.below(m.haz, m.haz_flagged, growth.SEVERELY_STUNTED)
    if wanted == ListFilter.WASTED:
        return growth.below(m.whz, m.whz_flagged, growth.WASTED)
    return growth.below(m.waz, m.waz_flagged, growth.UNDERWEIGHT)


def under_five_q(on: dt.date, prefix: str = "") -> Q:
    """Persons alive, in the register and under 5 on ``on``."""
    first_birth = add_months(on, -UNDER_FIVE_MONTHS) + dt.timedelta(days=1)
    return Q(
        **{
            f"{prefix}birth_date__gte": first_birth,
            f"{prefix}birth_date__lte": on,
            f"{prefix}is_active": True,
        }
    ) & (Q(**{f"{prefix}died_on__isnull": True}) | Q(**{f"{prefix}died_on__gt": on}))


def children_list(
    *, user: Any, area_code: str, on: dt.date, wanted: ListFilter | None = None
) -> list[ChildRow]:
    """The children under 5 on ``on`` of a village (or an RW/RT) the user sees by name, with
    their latest measurement on or before ``on``, by RT/RW and name. Two queries."""
    area = check_village_or_below(area_or_404(user, area_code, NAMED))
    latest = (
        ChildMeasurement.objects.filter(child=OuterRef("pk"), measured_on__lte=on)
        .order_by("-measured_on", "-pk")
        .values("pk")[:1]
    )
    children = list(
        scoped(user, Person.objects.all(), NAMED)
        .filter(subtree_q("family__area_id", [area.code]), under_five_q(on))
        .filter(family__is_active=True)
        .select_related("family__area__parent__parent", "mother")
        .annotate(latest_id=Subquery(latest))
        .order_by("family__area_id", "full_name", "pk")
    )
    ids = [c.latest_id for c in children if c.latest_id is not None]
    measurements = ChildMeasurement.objects.in_bulk(ids) if ids else {}
    rows = [ChildRow(c, measurements.get(c.latest_id)) for c in children]
    return [r for r in rows if _keeps(r, wanted)]


# -- Counts for the indicators --------------------------------------------------------------------

COUNTS = (
    "measured",
    "stunted",
    "severely_stunted",
    "wasted",
    "underweight",
    "haz_valid",
    "whz_valid",
    "waz_valid",
)


def _valid(z: str) -> Q:
    return Q(**{f"{z}__isnull": False, f"{z}_flagged": False})


def _later_in_month() -> QuerySet[Any, Any]:
    """A later measurement of the outer row's child in the same month (the outer row annotated
    with ``month``): without one, the outer row is the child's last of the month."""
    return ChildMeasurement.objects.annotate(month=TruncMonth("measured_on")).filter(
        child_id=OuterRef("child_id"),
        month=OuterRef("month"),
        measured_on__gt=OuterRef("measured_on"),
    )


def growth_counts(
    area_village: Mapping[str, str], periods: Sequence[dt.date]
) -> dict[tuple[str, dt.date], dict[str, int]]:
    """Per (village, month): children measured in the month (counted once, with their last
    measurement of the month) and among them those stunted (HAZ < -2), severely stunted
    (HAZ < -3), wasted (WHZ < -2) and underweight (WAZ < -2), each z-score counting only when
    computed and not flagged; ``*_valid``: the children with a valid z-score (the denominators).
    ``area_village`` maps the areas to count (villages, RW, RT) to their village; ``periods``
    are months' first days. One grouped query; every (village, month) asked for is answered."""
    months = sorted(set(periods))
    villages = sorted(set(area_village.values()))
    out = {(v, m): dict.fromkeys(COUNTS, 0) for v in villages for m in months}
    if not months or not area_village:
        return out
    rows = (
        ChildMeasurement.objects.filter(
            child__family__area_id__in=list(area_village),
            measured_on__gte=months[0],
            measured_on__lt=add_months(months[-1], 1),
        )
        .annotate(month=TruncMonth("measured_on"))
        .filter(~Exists(_later_in_month()), month__in=months)
        .values("child__family__area_id", "month")
        .annotate(
            measured=Count("pk"),
            stunted=Count("pk", filter=_valid("haz") & Q(haz__lt=growth.STUNTED)),
            severely_stunted=Count("pk", filter=_valid("haz") & Q(haz__lt=growth.SEVERELY_STUNTED)),
            wasted=Count("pk", filter=_valid("whz") & Q(whz__lt=growth.WASTED)),
            underweight=Count("pk", filter=_valid("waz") & Q(waz__lt=growth.UNDERWEIGHT)),
            haz_valid=Count("pk", filter=_valid("haz")),
            whz_valid=Count("pk", filter=_valid("whz")),
            waz_valid=Count("pk", filter=_valid("waz")),
        )
        .order_by()
    )
    for row in rows:
        values: Mapping[str, Any] = row
        month = values["month"]
        if isinstance(month, dt.datetime):
            month = month.date()
        counts = out[(area_village[values["child__family__area_id"]], month)]
        for name in COUNTS:
            counts[name] += values[name]
    return out


def status_labels(found: Iterable[Status]) -> list[tuple[Any, str]]:
    return [(STATUS_LABELS[s], STATUS_BADGES[s]) for s in found]
