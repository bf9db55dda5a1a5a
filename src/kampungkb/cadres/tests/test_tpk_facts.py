"""The TPK coverage as monthly facts (decision 0040): the source's rows equal ``tpk_coverage``
for the same village and month, the families at risk come from the fill's ``KRS_AT_RISK``, and
the kecamatan is the sum of its villages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from kampungkb.cadres import tpk_selectors as selectors
from kampungkb.cadres.tests.test_tpk_brides import assign, catin, pregnant, visit  # noqa: F401
from kampungkb.cadres.tpk_facts import TpkCoverageSource
from kampungkb.core.periods import months
from kampungkb.indicators import fill as engine
from kampungkb.indicators import sources
from kampungkb.indicators.models import DirtyMark, Fact
from kampungkb.indicators.registry import Code
from kampungkb.regions.models import Area
from kampungkb.regions.selectors import subtree_q
from kampungkb.testing.world import KEC, OTHER_VILLAGE, VILLAGE, World

D = dt.date
MONTHS = months(D(2025, 1, 1), D(2025, 7, 1))
TODAY = D(2026, 1, 15)
CODES = (Code.TPK_KRS_ACCOMPANIED, Code.TPK_PREGNANT_ACCOMPANIED, Code.TPK_BRIDE_ACCOMPANIED)


@pytest.fixture
def story(tpk_history: Any, catin: Any) -> Any:  # noqa: F811
    """``tpk_history`` (families Sutrisno and Hasan, Siti Aminah pregnant then post-partum) and
    the brides: Dewi accompanied from February, visited on 03-03 and 02-06, pregnant from 10-06
    (the team goes on with her pregnancy, visited on 15-06); Rina visited on 04-04."""
    dewi = assign(catin, catin.dewi)
    visit(catin, dewi, D(2025, 3, 3))
    visit(catin, dewi, D(2025, 6, 2))
    pregnancy = pregnant(catin)
    followed = pregnancy.tpk_assignments.get()
    visit(catin, followed, D(2025, 6, 15), nutrition_counselling=True)
    visit(catin, assign(catin, catin.rina), D(2025, 4, 4))
    return catin


def area_village(*villages: str) -> dict[str, str]:
    codes = Area.objects.filter(subtree_q("code", list(villages))).values_list("code", flat=True)
    return {c: selectors.village_of(c) for c in codes}


def figures(rows: list[Any]) -> dict[str, tuple[Decimal, Decimal | None]]:
    return {code: (n, d) for code, _sg, n, d in rows}


def test_the_source_is_registered() -> None:
    assert any(isinstance(s, TpkCoverageSource) for s in sources.village_sources())


def test_rows_equal_the_coverage(world: World, story: Any) -> None:
    wanted = {VILLAGE: MONTHS, OTHER_VILLAGE: MONTHS}
    computed = {VILLAGE: {m: [(Code.KRS_AT_RISK, "", Decimal(7), Decimal(9))] for m in MONTHS}}
    out = TpkCoverageSource().rows(area_village(VILLAGE, OTHER_VILLAGE), wanted, TODAY, computed)
    for month in MONTHS:
        c = selectors.tpk_coverage(VILLAGE, month, TODAY)
        assert figures(out[(VILLAGE, month)]) == {
            Code.TPK_KRS_ACCOMPANIED: (c.families_visited, Decimal(7)),
            Code.TPK_PREGNANT_ACCOMPANIED: (c.pregnant_visited, c.pregnant),
            Code.TPK_BRIDE_ACCOMPANIED: (c.brides_visited, c.brides),
        }, month
        other = selectors.tpk_coverage(OTHER_VILLAGE, month, TODAY)
        assert figures(out[(OTHER_VILLAGE, month)]) == {
            Code.TPK_KRS_ACCOMPANIED: (0, 0),
            Code.TPK_PREGNANT_ACCOMPANIED: (0, 0),
            Code.TPK_BRIDE_ACCOMPANIED: (0, other.brides),  # Wulan, not accompanied
        }
    # Counted by hand: families visited in February (Sutrisno) and March (Siti Aminah's family);
    # Siti Aminah pregnant in January to March, visited in March; Dewi pregnant in June and
    # visited as such; brides: Dewi from January, Rina from February, Dewi no longer in July.
    by_hand = {
        D(2025, 1, 1): [(0, 7), (0, 1), (0, 1)],
        D(2025, 2, 1): [(1, 7), (0, 1), (0, 2)],
        D(2025, 3, 1): [(1, 7), (1, 1), (1, 2)],
        D(2025, 4, 1): [(0, 7), (0, 0), (1, 2)],
        D(2025, 6, 1): [(1, 7), (1, 1), (1, 2)],
        D(2025, 7, 1): [(0, 7), (0, 1), (0, 1)],
    }
    for month, expected in by_hand.items():
        assert [(n, d) for _c, _s, n, d in out[(VILLAGE, month)]] == expected, month


def test_without_the_families_at_risk_the_denominator_is_zero(world: World, story: Any) -> None:
    out = TpkCoverageSource().rows(area_village(VILLAGE), {VILLAGE: MONTHS}, TODAY, {})
    assert out[(VILLAGE, D(2025, 2, 1))][0] == (Code.TPK_KRS_ACCOMPANIED, "", 1, 0)


def test_set_based_whatever_the_months(
    world: World, story: Any, django_assert_num_queries: Any
) -> None:
    """Visits, pregnancies (counted per month in one grouped query, the visited ones read in
    one more) and brides in one query each for the whole batch; the at-risk status of the
    visited families in four queries per month with visits to families (February, March and
    June)."""
    areas = area_village(VILLAGE, OTHER_VILLAGE)
    with django_assert_num_queries(4 + 4 * 3):
        TpkCoverageSource().rows(areas, {VILLAGE: MONTHS, OTHER_VILLAGE: MONTHS}, TODAY, {})


@pytest.mark.parametrize("month", [D(2025, 3, 1), D(2025, 6, 1)])
def test_the_fill_writes_them_and_rolls_them_up(world: World, story: Any, month: dt.date) -> None:
    DirtyMark.objects.all().delete()
    engine.marks_add([VILLAGE, OTHER_VILLAGE], month, month)
    engine.fill()
    for area in (VILLAGE, KEC):
        facts = {
            f.indicator: (f.numerator, f.denominator)
            for f in Fact.objects.filter(area_code=area, period=month, subgroup="")
        }
        c = selectors.tpk_coverage(area, month)
        at_risk = facts.get(Code.KRS_AT_RISK, (Decimal(0), None))[0]
        assert {code: facts[code] for code in CODES} == {
            Code.TPK_KRS_ACCOMPANIED: (c.families_visited, at_risk),
            Code.TPK_PREGNANT_ACCOMPANIED: (c.pregnant_visited, c.pregnant),
            Code.TPK_BRIDE_ACCOMPANIED: (c.brides_visited, c.brides),
        }
        if Code.KRS_AT_RISK in facts:  # the KRS facts and the coverage judge families alike
            assert at_risk == c.families_at_risk
