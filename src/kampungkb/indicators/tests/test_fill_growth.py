"""Child growth in the fill engine: the counts of ``stunting.growth_counts`` become facts per
village and month and sum up to the kecamatan (the children of ``growth_world``; hand counts in
``stunting/tests/test_growth_counts.py``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kampungkb.indicators import fill as engine
from kampungkb.indicators.models import DirtyMark, Fact
from kampungkb.stunting.tests.growth_world import Kids, kids_fixture  # noqa: F401 - "kids"
from kampungkb.testing.world import KEC, OTHER_VILLAGE, VILLAGE

pytestmark = pytest.mark.django_db
JUNE = dt.date(2026, 6, 1)
CODES = ("CHILD_MEASURED", "STUNTING", "SEVERE_STUNTING", "WASTING", "UNDERWEIGHT")


def test_growth_facts_per_village_and_kecamatan(kids: Kids) -> None:
    DirtyMark.objects.all().delete()
    engine.marks_add([VILLAGE, OTHER_VILLAGE], JUNE, JUNE)
    engine.fill()

    def facts(area: str) -> dict[str, tuple[Decimal, Decimal | None]]:
        return {
            f.indicator: (f.numerator, f.denominator)
            for f in Fact.objects.filter(area_code=area, period=JUNE, indicator__in=CODES)
        }

    # June in Kota Bangun Ulu: Bayu (HAZ -3.35), Ayu (normal), Dimas (HAZ -2.57, WAZ -2.64).
    assert facts(VILLAGE) == {
        "CHILD_MEASURED": (Decimal(3), None),
        "STUNTING": (Decimal(2), Decimal(3)),
        "SEVERE_STUNTING": (Decimal(1), Decimal(3)),
        "WASTING": (Decimal(0), Decimal(3)),
        "UNDERWEIGHT": (Decimal(1), Decimal(3)),
    }
    # The kecamatan holds only this village of the two.
    assert facts(KEC) == facts(VILLAGE)
    stunting = Fact.objects.get(area_code=VILLAGE, period=JUNE, indicator="STUNTING")
    assert stunting.value is not None
    assert stunting.value.quantize(Decimal("0.1")) == Decimal("66.7")
