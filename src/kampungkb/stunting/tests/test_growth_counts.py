"""The monthly growth counts the indicators are filled from, checked by hand on the children of
``growth_world``:

Kota Bangun Ulu (RT 001 and RT 002), last measurement of each child in each month:
- March 2026: Bayu (HAZ -3.16).
- April: Ayu (HAZ -6.71 and WHZ 5.33 flagged, WAZ -0.34).
- May: Ayu (normal), Dimas (oedema: HAZ -2.79, no WAZ or WHZ).
- June: Bayu's 20th (HAZ -3.35; his 5th is not counted), Ayu (normal), Dimas (HAZ -2.57,
  WAZ -2.64, WHZ -1.84).
Tumbuh Mulia: Zaki in June (HAZ -2.31).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from kampungkb.stunting.growth_selectors import COUNTS, growth_counts
from kampungkb.stunting.tests.growth_world import Kids, kids_fixture, measure  # noqa: F401 - the "kids" fixture
from kampungkb.testing.world import OTHER_RT, OTHER_VILLAGE, RT, RT_2, RW, VILLAGE, VILLAGE_2

pytestmark = pytest.mark.django_db

MARCH, APRIL, MAY, JUNE, JULY = (dt.date(2026, m, 1) for m in (3, 4, 5, 6, 7))
AREAS = {
    VILLAGE: VILLAGE,
    RW: VILLAGE,
    RT: VILLAGE,
    RT_2: VILLAGE,
    VILLAGE_2: VILLAGE_2,
    OTHER_VILLAGE: OTHER_VILLAGE,
    OTHER_RT: OTHER_VILLAGE,
}


def counts(**values: int) -> dict[str, int]:
    return {name: values.get(name, 0) for name in COUNTS}


def test_counts_per_village_and_month(kids: Kids, django_assert_num_queries) -> None:
    with django_assert_num_queries(1):
        got = growth_counts(AREAS, [MARCH, APRIL, MAY, JUNE, JULY])
    assert got == {
        (VILLAGE, MARCH): counts(
            measured=1, stunted=1, severely_stunted=1, haz_valid=1, whz_valid=1, waz_valid=1
        ),
        (VILLAGE, APRIL): counts(measured=1, waz_valid=1),
        (VILLAGE, MAY): counts(measured=2, stunted=1, haz_valid=2, whz_valid=1, waz_valid=1),
        (VILLAGE, JUNE): counts(
            measured=3,
            stunted=2,
            severely_stunted=1,
            underweight=1,
            haz_valid=3,
            whz_valid=3,
            waz_valid=3,
        ),
        (VILLAGE, JULY): counts(),
        **{(VILLAGE_2, m): counts() for m in (MARCH, APRIL, MAY, JUNE, JULY)},
        **{(OTHER_VILLAGE, m): counts() for m in (MARCH, APRIL, MAY, JULY)},
        (OTHER_VILLAGE, JUNE): counts(measured=1, stunted=1, haz_valid=1, whz_valid=1, waz_valid=1),
    }


def test_the_last_measurement_of_the_month_counts(kids: Kids) -> None:
    # Bayu measured again at the end of June, now with a length not short for his age, and a
    # wasted child in July.
    measure(kids.bayu, "2026-06-29", "7.60", "78.5", "lying")
    wasted = measure(kids.ayu, "2026-07-10", "11.20", "95.5", "standing")
    assert (wasted.whz, wasted.waz) == (D("-2.61"), D("-2.12"))
    got = growth_counts({RT: VILLAGE}, [JUNE, JULY])
    assert got[(VILLAGE, JUNE)] == counts(
        measured=2, haz_valid=2, whz_valid=2, waz_valid=2, wasted=1, underweight=1
    )
    assert got[(VILLAGE, JULY)] == counts(
        measured=1, wasted=1, underweight=1, haz_valid=1, whz_valid=1, waz_valid=1
    )


def test_only_the_areas_asked_for_are_counted(kids: Kids) -> None:
    # RT 002 alone: Dimas only.
    got = growth_counts({RT_2: VILLAGE}, [JUNE])
    assert got == {
        (VILLAGE, JUNE): counts(
            measured=1, stunted=1, underweight=1, haz_valid=1, whz_valid=1, waz_valid=1
        )
    }


def test_no_months_or_areas_answer_nothing(kids: Kids, django_assert_num_queries) -> None:
    with django_assert_num_queries(0):
        assert growth_counts(AREAS, []) == {}
        assert growth_counts({}, [JUNE]) == {}
