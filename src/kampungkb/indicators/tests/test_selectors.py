"""Reads of facts: scoped, filtered, with the value computed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kampungkb.families.models import Couple
from kampungkb.indicators import fill as engine
from kampungkb.indicators.models import DirtyMark
from kampungkb.indicators.selectors import fact_list, fact_value
from kampungkb.regions.models import Level
from kampungkb.testing.world import KEC, OTHER_VILLAGE, VILLAGE, VILLAGE_2, World

JUNE = dt.date(2025, 6, 1)


@pytest.fixture
def filled(village: dict[str, Couple]) -> None:
    DirtyMark.objects.all().delete()
    engine.marks_add([VILLAGE, VILLAGE_2, OTHER_VILLAGE], JUNE, JUNE)
    engine.fill()


@pytest.mark.django_db
def test_fact_value_is_the_weighted_ratio(world: World, filled: None) -> None:
    admin = world.user("admin")
    fact = fact_value(user=admin, code="CPR", area_code=KEC, period=JUNE)
    assert fact is not None
    assert (fact.numerator, fact.denominator) == (7, 13)
    assert fact.value == Decimal(700) / Decimal(13)


@pytest.mark.django_db
def test_fact_list_by_level_within_an_area(world: World, filled: None) -> None:
    rows = fact_list(
        user=world.user("admin"),
        codes=["PUS"],
        month_from=JUNE,
        month_to=JUNE,
        within=KEC,
        level=Level.VILLAGE,
    )
    assert [(f.area_code, f.value) for f in rows] == [(VILLAGE, 1), (VILLAGE_2, 12)]


@pytest.mark.django_db
def test_fact_list_by_method(world: World, filled: None) -> None:
    rows = fact_list(
        user=world.user("admin"),
        codes=["PA"],
        month_from=JUNE,
        month_to=JUNE,
        area_codes=[VILLAGE_2],
        subgroup=None,
    )
    assert {f.subgroup: f.value for f in rows}["method:SUNTIK3"] == 2


@pytest.mark.django_db
def test_facts_outside_scope_are_not_read(world: World, filled: None) -> None:
    other = world.user("other_district")
    assert fact_value(user=other, code="PUS", area_code=VILLAGE_2, period=JUNE) is None
    assert fact_value(user=other, code="PUS", area_code=OTHER_VILLAGE, period=JUNE) is not None
