"""The z-score wrapper checked against published WHO reference values.

Values are rows of the WHO Child Growth Standards (2006) tables: the expanded daily tables
("lhfa_boys_z_exp", "wfa_girls_z_exp", by day of age) and the weight-for-length/height tables
("wfl_boys_z_exp" 45-110 cm, "wfh_girls_z_exp" 65-120 cm), with the monthly simplified table
"Length-for-age BOYS, birth to 2 years (z-scores)" for the chart's curves. A measurement equal
to a table's -3, -2 or 0 SD value must give exactly -3.00, -2.00 or 0.00.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from kampungkb.stunting import growth
from kampungkb.stunting.growth import Chart, Status

BOY, GIRL = "M", "F"


# -- Length/height-for-age: lhfa_boys_z_exp, day 365 (12 months) ----------------------------------


@pytest.mark.parametrize(
    ("length", "z"),
    [("68.611", "-3.00"), ("70.987", "-2.00"), ("75.739", "0.00"), ("80.491", "2.00")],
)
def test_length_for_age_boys_12_months_matches_the_who_table(length: str, z: str) -> None:
    assert growth.haz(sex=BOY, age_days=365, length_cm=D(length)) == D(z)


def test_length_for_age_girls_at_birth_median_is_zero() -> None:
    # lhfa_girls_z_exp, day 0: median 49.1477 cm (printed 49.1).
    assert growth.haz(sex=GIRL, age_days=0, length_cm=D("49.1477")) == D("0.00")


def test_the_monthly_table_rounds_to_01_cm() -> None:
    # "Length-for-age BOYS, birth to 2 years", 12 months: -2 SD 71.0 cm, median 75.7 cm; the
    # printed tenth of a cm moves the z-score by at most 0.02.
    assert growth.haz(sex=BOY, age_days=365, length_cm=D("71.0")) == D("-1.99")
    assert growth.haz(sex=BOY, age_days=365, length_cm=D("75.7")) == D("-0.02")


# -- Weight-for-age: wfa_girls_z_exp, day 730 (24 months) -------------------------------------------


@pytest.mark.parametrize(
    ("weight", "z"),
    [("8.064", "-3.00"), ("9.033", "-2.00"), ("11.474", "0.00"), ("17.008", "3.00")],
)
def test_weight_for_age_girls_24_months_matches_the_who_table(weight: str, z: str) -> None:
    assert growth.waz(sex=GIRL, age_days=730, weight_kg=D(weight)) == D(z)


def test_beyond_3_sd_the_who_restricted_method_extends_by_the_last_sd_step() -> None:
    # WHO 2006 ch. 7: above +3 SD, z = 3 + (y - SD3) / (SD3 - SD2): SD3 17.008, SD2 14.841.
    assert growth.waz(sex=GIRL, age_days=730, weight_kg=D("19.175")) == D("4.00")
    # Below -3 SD: z = -3 + (y - SD3neg) / (SD2neg - SD3neg): 8.064 - 0.969 = 7.095.
    assert growth.waz(sex=GIRL, age_days=730, weight_kg=D("7.095")) == D("-4.00")


# -- Weight-for-length/height -----------------------------------------------------------------------


def test_weight_for_length_boys_75_cm_matches_the_who_table() -> None:
    # wfl_boys_z_exp, 75.0 cm: -2 SD 8.088 kg, median 9.503 kg.
    assert growth.whz(sex=BOY, age_days=300, length_cm=D("75.0"), weight_kg=D("8.088")) == D(
        "-2.00"
    )
    assert growth.whz(sex=BOY, age_days=300, length_cm=D("75.0"), weight_kg=D("9.503")) == D("0.00")


def test_weight_for_height_girls_90_cm_matches_the_who_table() -> None:
    # wfh_girls_z_exp, 90.0 cm: -2 SD 10.644 kg, median 12.646 kg.
    assert growth.whz(sex=GIRL, age_days=900, length_cm=D("90.0"), weight_kg=D("10.644")) == D(
        "-2.00"
    )
    assert growth.whz(sex=GIRL, age_days=900, length_cm=D("90.0"), weight_kg=D("12.646")) == D(
        "0.00"
    )


def test_the_length_table_is_used_before_731_days_and_the_height_table_from_then() -> None:
    # At 75.0 cm the two tables differ: wfl boys median 9.503 kg, wfh boys median 9.644 kg
    # (wfh_boys_z_exp: the same weight is then below the median).
    assert growth.whz(sex=BOY, age_days=730, length_cm=D("75.0"), weight_kg=D("9.503")) == D("0.00")
    at_731 = growth.whz(sex=BOY, age_days=731, length_cm=D("75.0"), weight_kg=D("9.503"))
    assert at_731 == D("-0.18")
    assert growth.whz(sex=BOY, age_days=731, length_cm=D("75.0"), weight_kg=D("9.644")) == D("0.00")


@pytest.mark.parametrize(
    ("age_days", "length"),
    [(300, "44.9"), (300, "110.1"), (800, "64.9"), (800, "120.1"), (1857, "100.0")],
)
def test_no_weight_for_length_outside_the_tables(age_days: int, length: str) -> None:
    assert growth.whz(sex=BOY, age_days=age_days, length_cm=D(length), weight_kg=D("9")) is None


def test_no_age_based_score_past_the_tables_last_day() -> None:
    assert growth.haz(sex=BOY, age_days=1857, length_cm=D("110")) is None
    assert growth.waz(sex=BOY, age_days=1857, weight_kg=D("18")) is None
    assert growth.haz(sex=BOY, age_days=-1, length_cm=D("50")) is None


def test_an_unknown_sex_is_refused() -> None:
    with pytest.raises(ValueError, match="Unknown sex"):
        growth.haz(sex="X", age_days=10, length_cm=D("50"))


# -- The 0.7 cm rule --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("length", "position", "age_days", "expected"),
    [
        ("75.0", "standing", 700, "75.7"),  # under 24 months standing: +0.7
        ("75.0", "standing", 730, "75.7"),
        ("75.0", "lying", 730, "75.0"),
        ("90.0", "lying", 731, "89.3"),  # 24 months or more lying: -0.7
        ("90.0", "standing", 731, "90.0"),
    ],
)
def test_the_position_is_corrected_by_07_cm(
    length: str, position: str, age_days: int, expected: str
) -> None:
    assert growth.adjusted_length(D(length), position, age_days) == D(expected)


def test_a_child_under_2_measured_standing_is_scored_on_length_plus_07() -> None:
    born = dt.date(2025, 1, 1)
    scores = growth.zscores(
        sex=BOY,
        birth_date=born,
        measured_on=born + dt.timedelta(days=365),
        weight_kg=D("9.6"),
        length_cm=D("70.287"),  # + 0.7 = 70.987, the -2 SD of day 365
        position="standing",
        oedema=False,
    )
    assert (scores.age_days, scores.length_cm, scores.haz) == (365, D("70.987"), D("-2.00"))


def test_a_child_of_2_measured_lying_is_scored_on_length_minus_07() -> None:
    born = dt.date(2023, 1, 1)
    scores = growth.zscores(
        sex=GIRL,
        birth_date=born,
        measured_on=born + dt.timedelta(days=900),
        weight_kg=D("12.646"),
        length_cm=D("90.7"),  # - 0.7 = 90.0: the median weight-for-height of 90.0 cm
        position="lying",
        oedema=False,
    )
    assert (scores.length_cm, scores.whz) == (D("90.0"), D("0.00"))


# -- Oedema and flags -------------------------------------------------------------------------------


def test_with_oedema_no_weight_based_z_score_is_computed() -> None:
    born = dt.date(2025, 1, 1)
    scores = growth.zscores(
        sex=BOY,
        birth_date=born,
        measured_on=born + dt.timedelta(days=365),
        weight_kg=D("9.6"),
        length_cm=D("75.739"),
        position="lying",
        oedema=True,
    )
    assert (scores.haz, scores.waz, scores.whz) == (D("0.00"), None, None)
    assert (scores.waz_flagged, scores.whz_flagged) == (False, False)


@pytest.mark.parametrize(
    ("score", "limits", "flagged"),
    [
        ("-6.00", growth.HAZ_PLAUSIBLE, False),
        ("-6.01", growth.HAZ_PLAUSIBLE, True),
        ("6.01", growth.HAZ_PLAUSIBLE, True),
        ("5.00", growth.WAZ_PLAUSIBLE, False),
        ("5.01", growth.WAZ_PLAUSIBLE, True),
        ("-6.01", growth.WAZ_PLAUSIBLE, True),
        ("-5.01", growth.WHZ_PLAUSIBLE, True),
        ("5.01", growth.WHZ_PLAUSIBLE, True),
        ("-4.99", growth.WHZ_PLAUSIBLE, False),
    ],
)
def test_who_flags_of_implausible_values(score: str, limits: tuple[D, D], flagged: bool) -> None:
    assert growth.implausible(D(score), limits) is flagged


def test_a_length_typed_wrong_is_scored_and_flagged() -> None:
    born = dt.date(2023, 3, 1)
    scores = growth.zscores(
        sex=GIRL,
        birth_date=born,
        measured_on=dt.date(2026, 4, 10),
        weight_kg=D("13.5"),
        length_cm=D("70.0"),
        position="standing",
        oedema=False,
    )
    assert (scores.haz, scores.waz, scores.whz) == (D("-6.71"), D("-0.34"), D("5.33"))
    assert (scores.haz_flagged, scores.waz_flagged, scores.whz_flagged) == (True, False, True)


# -- Status words ----------------------------------------------------------------------------------


def _statuses(haz: str | None, waz: str | None, whz: str | None, **flags: bool) -> list[Status]:
    return growth.statuses(
        haz=D(haz) if haz else None,
        waz=D(waz) if waz else None,
        whz=D(whz) if whz else None,
        haz_flagged=flags.get("haz_flagged", False),
        waz_flagged=flags.get("waz_flagged", False),
        whz_flagged=flags.get("whz_flagged", False),
        oedema=flags.get("oedema", False),
    )


def test_statuses_by_the_cut_offs() -> None:
    assert _statuses("-2.00", "-2.00", "-2.00") == [Status.NORMAL]
    assert _statuses("-2.01", "-1", "0") == [Status.STUNTED]
    assert _statuses("-3.01", "-2.5", "-3.5") == [
        Status.SEVERELY_STUNTED,
        Status.SEVERELY_WASTED,
        Status.UNDERWEIGHT,
    ]
    assert _statuses("-1", "-1", "-2.5") == [Status.WASTED]
    assert _statuses("-6.71", "-0.34", "5.33", haz_flagged=True, whz_flagged=True) == [
        Status.IMPLAUSIBLE
    ]
    assert _statuses("-2.79", None, None, oedema=True) == [Status.OEDEMA, Status.STUNTED]


# -- The chart's curves ----------------------------------------------------------------------------


def test_the_curves_at_12_months_are_the_published_monthly_row() -> None:
    # "Length-for-age BOYS, birth to 2 years (z-scores)", 12 months: 68.6, 71.0, 75.7, 80.5, 82.9.
    (point,) = growth.curve(Chart.LENGTH_FOR_AGE, BOY, range(12, 13))
    assert point.month == 12
    assert point.values == {
        "SD3neg": D("68.6"),
        "SD2neg": D("71.0"),
        "SD0": D("75.7"),
        "SD2": D("80.5"),
        "SD3": D("82.9"),
    }


def test_the_curves_span_0_to_60_months() -> None:
    points = growth.curve(Chart.WEIGHT_FOR_AGE, GIRL, range(61))
    assert [p.month for p in points] == list(range(61))
    # "Weight-for-age GIRLS, birth to 5 years (z-scores)": median 3.2 kg at birth, 18.2 kg at 60.
    assert (points[0].values["SD0"], points[60].values["SD0"]) == (D("3.2"), D("18.2"))
