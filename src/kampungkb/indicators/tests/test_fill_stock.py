"""The PostgreSQL stock query's two ways (decision 0041): the timeline over many months gives the
groups the probed query gives month by month (itself tested equal to the ORM path in
``test_fill.py``), over couples with random histories: birthdays at 15, 20 and 50, marriages,
divorces and deaths within the months, intentions recorded late, methods started, repeated,
switched, stopped and lapsed past grace, pregnancies begun and ended."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

import pytest
from django.core.exceptions import ValidationError

from kampungkb.families import services as families
from kampungkb.families.models import Couple
from kampungkb.indicators import fill_stock, fill_write
from kampungkb.indicators.fill import WIFE_YOUNG_AGE
from kampungkb.indicators.tests.conftest import couple, visit
from kampungkb.testing.world import VILLAGE, VILLAGE_2, World

D = dt.date
START = D(2024, 1, 1)
DAYS = 730  # histories over 2024 and 2025
METHODS = ["PIL", "SUNTIK1", "SUNTIK3", "KONDOM", "IUD", "IMPLAN3", "TRAD"]
INTENTIONS = ["", "soon", "delay", "no_more"]


def _day(rng: random.Random) -> dt.date:
    return START + dt.timedelta(days=rng.randrange(DAYS))


def _history(rng: random.Random, area: str) -> None:
    """One couple with a random history; an event the register refuses (a visit after the
    couple ended, a second open pregnancy) is simply left out, as a cadre's form would be."""
    wife_born = D(1973, 1, 1) + dt.timedelta(days=rng.randrange(365 * 40))
    married = rng.choice([max(D(2010, 1, 1), wife_born + dt.timedelta(days=5000)), _day(rng)])
    c: Couple = couple(wife_born, married=married, area=area)
    events = sorted(
        (_day(rng), kind)
        for kind in rng.choices(
            ["visit", "visit", "visit", "pregnancy", "intention", "end"], k=rng.randrange(7)
        )
    )
    method = rng.choice(METHODS)
    pregnancy = None
    for on, kind in events:
        try:
            if kind == "visit":
                step = rng.choice(["start", "repeat", "repeat", "switch", "removal"])
                if step in ("start", "switch"):
                    method = rng.choice(METHODS)
                visit(c, on, method, kind=step)
            elif kind == "pregnancy":
                if pregnancy is None:
                    pregnancy = families.pregnancy_record(
                        couple=c, recorded_on=on, expected_on=None, actor=None
                    )
                else:
                    families.pregnancy_end(
                        pregnancy=pregnancy, ended_on=on, outcome="miscarriage", actor=None
                    )
                    pregnancy = None
            elif kind == "intention":
                families.fertility_intention_record(
                    couple=c, intention=rng.choice(INTENTIONS[1:]), on=on, actor=None
                )
            elif rng.random() < 0.5:
                families.couple_divorce(couple=c, on=on, actor=None)
            else:
                families.person_record_death(person=c.wife, died_on=on, actor=None)
            c.refresh_from_db()
        except ValidationError:
            continue


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [1, 2])
def test_the_timeline_gives_the_probed_groups_month_by_month(world: World, seed: int) -> None:
    if not fill_write.fast():
        pytest.skip("the stock query is PostgreSQL's; SQLite takes the ORM path")
    rng = random.Random(seed)
    for n in range(80):
        _history(rng, VILLAGE if n % 3 else VILLAGE_2)
    areas = {VILLAGE: VILLAGE, VILLAGE_2: VILLAGE_2}
    months = [D(2024 + m // 12, m % 12 + 1, 1) for m in range(24)]
    # Month ends, and a "today" in the last month; then a few months apart, as marks may be.
    refs = {m: (m + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1) for m in months}
    refs[months[-1]] = D(2025, 12, 17)
    sparse = {m: refs[m] for m in months[1::5]}
    for wanted in (refs, sparse):
        timeline = fill_stock.stock_rows(areas, wanted, WIFE_YOUNG_AGE)
        probed: list[fill_stock.StockRow] = []
        for month, ref in wanted.items():
            probed += fill_stock.stock_rows(areas, {month: ref}, WIFE_YOUNG_AGE)
        assert Counter(timeline) == Counter(probed)
        assert len({row[1] for row in timeline}) == len(wanted)
    # The histories reach every kind of group the query tells apart.
    rows = fill_stock.stock_rows(areas, refs, WIFE_YOUNG_AGE)
    assert {row[2] is None for row in rows} == {True, False}
    assert {row[3] for row in rows} == {True, False}
    assert {row[4] for row in rows} == {True, False}
    assert {row[5] for row in rows} >= {"", "soon"}
