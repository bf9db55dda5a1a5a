"""The recap holds exactly the stored facts; its totals row is the area's own facts."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kampungkb.indicators.selectors import fact_value
from kampungkb.regions.models import Level
from kampungkb.reports.selectors import CODES, recap_get, recap_villages
from kampungkb.reports.tests.conftest import JUNE
from kampungkb.testing.world import KAB, KEC, VILLAGE, VILLAGE_2, World


def _fact(world: World, code: str, area: str) -> Decimal | None:
    fact = fact_value(user=world.user("admin"), code=code, area_code=area, period=JUNE)
    return fact.value if fact else None


@pytest.mark.django_db
def test_rows_and_totals_equal_the_facts(world: World, filled: None) -> None:
    recap = recap_get(user=world.user("district"), area=world.area(KEC), period=JUNE)
    villages = world.area(KEC).children.filter(is_active=True).order_by("code")
    assert [r.area.code for r in recap.rows] == [v.code for v in villages]
    for row in [*recap.rows, recap.total]:
        assert row.values == {code: _fact(world, code, row.area.code) for code in CODES}
    by_code = {r.area.code: r.values for r in recap.rows}
    assert (by_code[VILLAGE]["PUS"], by_code[VILLAGE_2]["PUS"], recap.total.values["PUS"]) == (
        1,
        4,
        5,
    )
    assert by_code[VILLAGE_2]["PB"] == 2


@pytest.mark.django_db
def test_total_percentage_is_the_areas_own_not_a_sum(world: World, filled: None) -> None:
    recap = recap_get(user=world.user("admin"), area=world.area(KEC), period=JUNE)
    by_code = {r.area.code: r.values for r in recap.rows}
    pa = recap.total.values["PA"]
    assert pa is not None
    assert recap.total.values["CPR"] == pa * 100 / 5
    row_sum = sum(v["CPR"] or 0 for v in by_code.values())
    assert recap.total.values["CPR"] != row_sum


@pytest.mark.django_db
def test_kabupaten_rows_are_its_kecamatan(world: World, filled: None) -> None:
    recap = recap_get(user=world.user("partner"), area=world.area(KAB), period=JUNE)
    assert {r.area.level for r in recap.rows} == {Level.DISTRICT}
    assert recap.total.values["PUS"] == 5
    assert {r.area.code: r.values["PUS"] for r in recap.rows}[KEC] == 5
    assert recap.has_villages_sheet


@pytest.mark.django_db
def test_villages_of_a_kabupaten(world: World, filled: None) -> None:
    rows = recap_villages(user=world.user("district"), area=world.area(KAB), period=JUNE)
    assert {r.area.level for r in rows} == {Level.VILLAGE}
    assert {r.area.code: r.values["PUS"] for r in rows if r.values["PUS"]} == {
        VILLAGE: 1,
        VILLAGE_2: 4,
    }


@pytest.mark.django_db
def test_a_village_has_no_rows_only_its_total(world: World, filled: None) -> None:
    recap = recap_get(user=world.user("cadre"), area=world.area(VILLAGE), period=JUNE)
    assert recap.rows == []
    assert recap.total.values["PUS"] == 1
