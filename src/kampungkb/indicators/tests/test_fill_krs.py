"""Families at risk of stunting in the fill engine: the counts of ``stunting.krs_counts`` become
the KRS facts per village and month (zeros too) and sum up to the kecamatan and above (the
families of ``stunting/tests/conftest.py``; counts by hand in ``test_krs_counts.py``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from kampungkb.indicators import fill as engine
from kampungkb.indicators.fill_krs import krs_rows
from kampungkb.indicators.models import DirtyMark, Fact
from kampungkb.indicators.registry import BY_CODE, Code, Unit
from kampungkb.stunting.tests.conftest import ON, krs  # noqa: F401 - the "krs" fixture
from kampungkb.testing.world import KAB, KEC, RT, RT_2, RW, VILLAGE, VILLAGE_2

pytestmark = pytest.mark.django_db
JUNE = dt.date(2026, 6, 1)
MAY = dt.date(2026, 5, 1)
CODES = (
    "KRS_TARGET",
    "KRS_AT_RISK",
    "KRS_UNSAFE_WATER",
    "KRS_NO_LATRINE",
    "KRS_TOO_YOUNG",
    "KRS_TOO_OLD",
    "KRS_TOO_CLOSE",
    "KRS_TOO_MANY",
    "KRS_HOUSE_UNKNOWN",
)
N = Decimal


def test_the_indicators_are_declared() -> None:
    assert [BY_CODE[c].unit for c in CODES] == [Unit.COUNT] + [Unit.PERCENT] * 8
    assert all(BY_CODE[c].denominator == "target families" for c in CODES[1:])


@pytest.mark.usefixtures("krs")
def test_rows_for_every_village_and_month_asked() -> None:
    areas = {VILLAGE: VILLAGE, RW: VILLAGE, RT: VILLAGE, RT_2: VILLAGE, VILLAGE_2: VILLAGE_2}
    got = krs_rows(areas, {VILLAGE: [JUNE], VILLAGE_2: [MAY, JUNE]}, {MAY: MAY, JUNE: ON})
    three = N(3)
    assert got[(VILLAGE, JUNE)] == [
        (Code.KRS_TARGET, "", three, None),
        (Code.KRS_AT_RISK, "", N(2), three),
        (Code.KRS_UNSAFE_WATER, "", N(1), three),
        (Code.KRS_NO_LATRINE, "", N(1), three),
        (Code.KRS_TOO_YOUNG, "", N(1), three),
        (Code.KRS_TOO_OLD, "", N(1), three),
        (Code.KRS_TOO_CLOSE, "", N(1), three),
        (Code.KRS_TOO_MANY, "", N(1), three),
        (Code.KRS_HOUSE_UNKNOWN, "", N(1), three),
    ]
    # Kota Bangun Ilir: Rina Marlina, 18, the only target family, too young.
    one = N(1)
    assert [(code, n, d) for code, _, n, d in got[(VILLAGE_2, MAY)]] == [
        ("KRS_TARGET", one, None),
        ("KRS_AT_RISK", one, one),
        ("KRS_UNSAFE_WATER", 0, one),
        ("KRS_NO_LATRINE", 0, one),
        ("KRS_TOO_YOUNG", one, one),
        ("KRS_TOO_OLD", 0, one),
        ("KRS_TOO_CLOSE", 0, one),
        ("KRS_TOO_MANY", 0, one),
        ("KRS_HOUSE_UNKNOWN", 0, one),
    ]
    assert set(got) == {(VILLAGE, JUNE), (VILLAGE_2, MAY), (VILLAGE_2, JUNE)}


@pytest.mark.usefixtures("krs")
def test_a_village_without_families_has_zero_rows() -> None:
    got = krs_rows({"64.02.08.2007": "64.02.08.2007"}, {"64.02.08.2007": [JUNE]}, {JUNE: ON})
    assert [(code, n, d) for code, _, n, d in got[("64.02.08.2007", JUNE)]] == [
        ("KRS_TARGET", 0, None),
        *((code, 0, 0) for code in CODES[1:]),
    ]


@pytest.mark.usefixtures("krs")
def test_krs_facts_per_village_and_rolled_up() -> None:
    DirtyMark.objects.all().delete()
    engine.marks_add([VILLAGE, VILLAGE_2], JUNE, JUNE)
    engine.fill()

    def facts(area: str) -> dict[str, tuple[Decimal, Decimal | None]]:
        return {
            f.indicator: (f.numerator, f.denominator)
            for f in Fact.objects.filter(area_code=area, period=JUNE, indicator__in=CODES)
        }

    assert facts(VILLAGE) == {
        "KRS_TARGET": (N(3), None),
        **{code: (N(1), N(3)) for code in CODES[2:]},
        "KRS_AT_RISK": (N(2), N(3)),
    }
    # The kecamatan sums both villages: 4 target families, 3 at risk, 2 too young.
    kec = facts(KEC)
    assert kec["KRS_TARGET"] == (N(4), None)
    assert kec["KRS_AT_RISK"] == (N(3), N(4))
    assert kec["KRS_TOO_YOUNG"] == (N(2), N(4))
    assert facts(KAB) == kec
    at_risk = Fact.objects.get(area_code=KEC, period=JUNE, indicator="KRS_AT_RISK")
    assert at_risk.value == N(75)


@pytest.mark.usefixtures("krs")
def test_the_dashboard_ranks_and_maps_the_villages_by_families_at_risk(client_for) -> None:
    DirtyMark.objects.all().delete()
    engine.marks_add([VILLAGE, VILLAGE_2], JUNE, JUNE)
    engine.fill()
    response = client_for("district").get(
        f"{reverse('reports:dashboard')}?area={KEC}&month=2026-06&indicator=KRS_AT_RISK"
    )
    assert response.status_code == 200
    ranking = response.context["dashboard"].ranking
    # Kota Bangun Ilir: its only target family at risk (100 %); Kota Bangun Ulu 2 of 3; the
    # kecamatan's other villages were not filled and come last, without a figure.
    assert [(r.area.code, r.value) for r in ranking[:2]] == [
        (VILLAGE_2, Decimal("100.0")),
        (VILLAGE, Decimal("66.7")),
    ]
    assert all(r.value is None for r in ranking[2:])
