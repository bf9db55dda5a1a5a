"""Reads of the yearly targets: the target in force (own, or summed from the sub-areas), the actual
PA and cumulated PB figures, and the achievement."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.http import Http404

from kampungkb.indicators.models import Fact, Target
from kampungkb.indicators.selectors import (
    Achievement,
    target_achievement,
    target_latest_month,
    target_list,
    target_table,
    target_template_rows,
)
from kampungkb.regions.models import Area
from kampungkb.testing.world import KAB, KEC, OTHER_KAB, VILLAGE, VILLAGE_2

MARCH = dt.date(2025, 3, 1)


def fact(code: str, area: str, month: int, value: int, year: int = 2025) -> None:
    Fact.objects.create(
        indicator=code,
        area_code=area,
        level=area.count(".") + 1,
        period=dt.date(year, month, 1),
        numerator=Decimal(value),
    )


def target(area: str, kind: str, value: int, year: int = 2025) -> None:
    Target.objects.create(area_id=area, year=year, kind=kind, value=value)


@pytest.fixture
def facts(world):
    fact("PA", KEC, 2, 800)
    fact("PA", KEC, 3, 850)
    fact("PA", KEC, 4, 900)
    for month, value in ((1, 10), (2, 15), (3, 20), (4, 30)):
        fact("PB", KEC, month, value)
    fact("PB", KEC, 12, 99, year=2024)  # another year: not counted
    fact("PA", VILLAGE, 3, 2)
    fact("PB", VILLAGE, 3, 1)


def achievements(user, area=KEC, period=dt.date(2025, 3, 15)):
    return target_achievement(user=user, area_code=area, period=period)


def test_achievement_of_own_targets(world, facts, django_assert_num_queries):
    target(KEC, "PA", 1000)
    target(KEC, "PB", 120)
    target(KEC, "PA", 5, year=2024)
    user = world.user("district")
    with django_assert_num_queries(3):
        result = achievements(user)
    assert result == [
        Achievement("PA", 1000, Decimal(850), Decimal("85.0")),
        Achievement("PB", 120, Decimal(45), Decimal("37.5")),
    ]


def test_achievement_rounds_to_one_decimal(world, facts):
    target(VILLAGE, "PA", 3)
    target(VILLAGE, "PB", 0)
    assert achievements(world.user("cadre"), area=VILLAGE) == [
        Achievement("PA", 3, Decimal(2), Decimal("66.7")),
        Achievement("PB", 0, Decimal(1), None),  # a target of 0 has no percentage
    ]


def test_achievement_without_target_or_facts(world, facts):
    assert achievements(world.user("district")) == [
        Achievement("PA", None, Decimal(850), None),
        Achievement("PB", None, Decimal(45), None),
    ]
    target(VILLAGE_2, "PA", 40)
    assert achievements(world.user("district"), area=VILLAGE_2) == [
        Achievement("PA", 40, None, None),
        Achievement("PB", None, None, None),
    ]


def test_achievement_sums_the_children_when_every_child_has_a_target(world, facts):
    villages = list(Area.objects.filter(parent_id=KEC, is_active=True).order_by("code"))
    for n, village in enumerate(villages[1:], start=1):
        target(village.code, "PA", 10 * n)
    # One village without a PA target: the kecamatan shows none.
    assert achievements(world.user("district"))[0] == Achievement("PA", None, Decimal(850), None)
    target(villages[0].code, "PA", 5)
    total = 5 + sum(10 * n for n in range(1, len(villages)))
    expected = (Decimal(850) * 100 / total).quantize(Decimal("0.1"))
    assert achievements(world.user("district"))[0] == Achievement(
        "PA", total, Decimal(850), expected
    )
    # The kecamatan's own target wins over the sum.
    target(KEC, "PA", 1700)
    assert achievements(world.user("district"))[0] == Achievement(
        "PA", 1700, Decimal(850), Decimal("50.0")
    )


def test_achievement_out_of_scope_is_empty(world, facts):
    target(KEC, "PA", 1000)
    assert achievements(world.user("other_district")) == [
        Achievement("PA", None, None, None),
        Achievement("PB", None, None, None),
    ]


def test_latest_month(world, facts):
    user = world.user("partner")
    assert target_latest_month(user=user, area_code=KEC, year=2025) == dt.date(2025, 4, 1)
    assert target_latest_month(user=user, area_code=KEC, year=2023) is None
    assert target_latest_month(user=world.user("other_district"), area_code=KEC, year=2025) is None


def test_target_table(world, facts):
    target(KEC, "PA", 1000)
    target(VILLAGE, "PA", 4)
    target(VILLAGE, "PB", 2)
    table = target_table(user=world.user("district"), area=world.area(KEC), year=2025, period=MARCH)
    assert table.total.area.code == KEC
    assert table.total.editable is True
    villages = [r for r in table.rows if r.area.code in (VILLAGE, VILLAGE_2)]
    assert [(r.area.code, r.editable) for r in villages] == [(VILLAGE, True), (VILLAGE_2, True)]
    assert [r.area.code for r in table.rows] == sorted(
        Area.objects.filter(parent_id=KEC, is_active=True).values_list("code", flat=True)
    )
    assert villages[0].achievements == [
        Achievement("PA", 4, Decimal(2), Decimal("50.0")),
        Achievement("PB", 2, Decimal(1), Decimal("50.0")),
    ]
    assert table.total.achievements[0] == Achievement("PA", 1000, Decimal(850), Decimal("85.0"))
    assert table.any_editable is True
    assert table.any_summed is False


def test_target_table_kabupaten_sums_a_kecamatan_from_its_villages(world):
    for village in Area.objects.filter(parent_id=KEC, is_active=True):
        target(village.code, "PB", 3)
    n = Area.objects.filter(parent_id=KEC, is_active=True).count()
    table = target_table(user=world.user("district"), area=world.area(KAB), year=2025, period=None)
    (kec,) = [r for r in table.rows if r.area.code == KEC]
    assert (kec.in_force["PB"].value, kec.in_force["PB"].summed) == (3 * n, True)
    assert kec.achievement("PB") == Achievement("PB", 3 * n, None, None)
    assert table.any_summed is True


def test_target_list_is_scoped(world):
    target(KEC, "PA", 1000)
    target("52.03", "PA", 2000)
    target(VILLAGE, "PB", 3, year=2024)
    assert [(t.area_id, t.year) for t in target_list(user=world.user("partner"))] == [
        (VILLAGE, 2024),
        (KEC, 2025),
    ]
    assert [t.area_id for t in target_list(user=world.user("viewer"), year=2025)] == [
        OTHER_KAB,
        KEC,
    ]
    assert [t.area_id for t in target_list(user=world.user("viewer"), area_code=KEC)] == [
        VILLAGE,
        KEC,
    ]


def test_template_rows_are_the_editable_areas_down_to_the_village(world):
    target(VILLAGE, "PA", 4)
    rows = target_template_rows(user=world.user("pkb"), area=world.area(KEC), year=2025)
    assert [(r.area_code, r.year, r.pa, r.pb) for r in rows] == [
        (VILLAGE, 2025, 4, None),
        (VILLAGE_2, 2025, None, None),
    ]
    rows = target_template_rows(user=world.user("district"), area=world.area(KAB), year=2025)
    codes = [r.area_code for r in rows]
    assert codes[0] == KAB
    assert KEC in codes and VILLAGE in codes
    assert all(code.count(".") <= 3 for code in codes)
    assert (
        len(codes)
        == Area.objects.filter(code__startswith=KAB + ".", level__lte=4, is_active=True).count() + 1
    )


def test_target_table_of_a_village_read_only_for_its_cadre(world, facts):
    target(VILLAGE, "PA", 4)
    table = target_table(
        user=world.user("cadre"), area=world.area(VILLAGE), year=2025, period=MARCH
    )
    assert (table.total.area.code, table.rows, table.any_editable) == (VILLAGE, [], False)
    assert table.total.achievement("PA") == Achievement("PA", 4, Decimal(2), Decimal("50.0"))


def test_target_table_out_of_scope_is_not_found(world):
    with pytest.raises(Http404):
        target_table(user=world.user("pkb"), area=world.area(KEC), year=2025, period=None)
