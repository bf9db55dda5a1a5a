"""The families at risk of stunting counted per village and month, set-based (``krs_counts``):
by hand on the families of ``conftest.py``, and equal to ``risk.assess`` summed over the families
of a village full of edge cases on many days, by every path (one grouped query per day on every
database; on PostgreSQL one query for all the days, reading every mother's children or only the
batch's wives', and split into chunks of months)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator

import pytest
from django.db import connection
from django.test import override_settings

from kampungkb.families.models import (
    Couple,
    CoupleStatus,
    Family,
    Latrine,
    Person,
    Pregnancy,
    PregnancyOutcome,
    Relation,
    Sex,
)
from kampungkb.regions.models import Area
from kampungkb.stunting import krs_counts, selectors
from kampungkb.stunting.krs_counts import COUNTS, Counts
from kampungkb.stunting.krs_counts import krs_counts as counts_of
from kampungkb.stunting.risk import RiskReason
from kampungkb.stunting.tests.conftest import ON, Krs
from kampungkb.testing.world import (
    OTHER_RT,
    OTHER_VILLAGE,
    RT,
    RT_2,
    RW,
    VILLAGE,
    VILLAGE_2,
    World,
)

D = dt.date
AREAS = {
    VILLAGE: VILLAGE,
    RW: VILLAGE,
    RT: VILLAGE,
    RT_2: VILLAGE,
    VILLAGE_2: VILLAGE_2,
    OTHER_VILLAGE: OTHER_VILLAGE,
    OTHER_RT: OTHER_VILLAGE,
}
JUNE = D(2026, 6, 1)
JAN_2025 = D(2025, 1, 1)
POSTGRES = connection.vendor == "postgresql"


def counts(**values: int) -> dict[str, int]:
    return {name: values.get(name, 0) for name in COUNTS}


# -- By hand --------------------------------------------------------------------------------------


def test_counts_of_the_families_by_hand(krs: Krs, django_assert_num_queries) -> None:
    # One query per month; on PostgreSQL one for the months and one to size the batch.
    with django_assert_num_queries(2):
        got = counts_of(AREAS, {JUNE: ON, JAN_2025: D(2025, 1, 1)})
    assert got == {
        # Sutrisno (a PUS, pregnant; a decent house): a target, not at risk. I Wayan Sudarma
        # (Ni Made Sari 37: too old, too close, too many; the house not recorded). Joko Susilo
        # (Dewi Lestari 17 with a baby; river water, no latrine). Rahmawati: no target.
        (VILLAGE, JUNE): counts(
            target=3,
            at_risk=2,
            unsafe_water=1,
            no_decent_latrine=1,
            too_young=1,
            too_old=1,
            too_close=1,
            too_many=1,
            house_unknown=1,
        ),
        # On 1 January 2025 Dewi was not married yet and Putri not born; Ni Made Sari was 35.
        (VILLAGE, JAN_2025): counts(target=2, at_risk=1, too_close=1, too_many=1, house_unknown=1),
        # Agus Salim and Rina Marlina (18; married on 1 January 2025, 17 then), a decent house.
        (VILLAGE_2, JUNE): counts(target=1, at_risk=1, too_young=1),
        (VILLAGE_2, JAN_2025): counts(target=1, at_risk=1, too_young=1),
        # Lalu Ahmad and Baiq Nurul (36 in June; 34 in January 2025), the house not recorded.
        (OTHER_VILLAGE, JUNE): counts(target=1, at_risk=1, too_old=1, house_unknown=1),
        (OTHER_VILLAGE, JAN_2025): counts(target=1, house_unknown=1),
    }


@override_settings(KAMPUNGKB_KRS_TOO_OLD_AGE=38)
def test_too_old_follows_the_setting(krs: Krs) -> None:
    got = counts_of(AREAS, {JUNE: ON})
    assert (got[(VILLAGE, JUNE)]["too_old"], got[(VILLAGE, JUNE)]["at_risk"]) == (0, 2)
    assert got[(OTHER_VILLAGE, JUNE)] == counts(target=1, house_unknown=1)


def test_only_the_areas_asked_for_and_only_active_families(krs: Krs) -> None:
    krs.joko.is_active = False
    krs.joko.save(update_fields=["is_active"])
    # Only RT 001 of the village: Sutrisno and Wayan.
    got = counts_of({RT: VILLAGE}, {JUNE: ON})
    assert got == {
        (VILLAGE, JUNE): counts(
            target=2, at_risk=1, too_old=1, too_close=1, too_many=1, house_unknown=1
        )
    }
    assert counts_of({RT_2: VILLAGE}, {JUNE: ON}) == {(VILLAGE, JUNE): counts()}


def test_nothing_asked_nothing_counted(world: World, django_assert_num_queries) -> None:
    with django_assert_num_queries(0):
        assert counts_of(AREAS, {}) == {}
        assert counts_of({}, {JUNE: ON}) == {}


def test_months_sharing_a_reference_day(krs: Krs) -> None:
    # A month after the current one is judged on the same day as the current month.
    july = D(2026, 7, 1)
    got = counts_of({VILLAGE_2: VILLAGE_2}, {JUNE: ON, july: ON})
    assert (
        got[(VILLAGE_2, JUNE)] == got[(VILLAGE_2, july)] == counts(target=1, at_risk=1, too_young=1)
    )


# -- Equal to the assessment, on edge cases --------------------------------------------------------

_serial = itertools.count(1)


def _family(
    area: str = RT,
    *,
    water: str = "",
    latrine: str = "",
    septic: bool | None = None,
    active: bool = True,
) -> Family:
    return Family.objects.create(
        area=Area.objects.get(code=area),
        water_source=water,
        latrine=latrine,
        has_septic_tank=septic,
        is_active=active,
    )


def _decent() -> Family:
    return _family(water="piped", latrine=Latrine.OWN, septic=True)


def _person(
    family: Family,
    born: dt.date,
    *,
    sex: str = Sex.FEMALE,
    mother: Person | None = None,
    died: dt.date | None = None,
    relation: str = Relation.CHILD,
) -> Person:
    return Person.objects.create(
        family=family,
        full_name=f"Orang {next(_serial)}",
        sex=sex,
        birth_date=born,
        relation_to_head=relation,
        mother=mother,
        died_on=died,
    )


def _couple(
    family: Family,
    wife_born: dt.date,
    married: dt.date | None,
    *,
    ended: dt.date | None = None,
    wife: Person | None = None,
    wife_died: dt.date | None = None,
) -> Couple:
    husband = _person(family, D(1975, 5, 5), sex=Sex.MALE, relation=Relation.HEAD)
    if wife is None:
        wife = _person(family, wife_born, died=wife_died, relation=Relation.WIFE)
    return Couple.objects.create(
        wife=wife,
        husband=husband,
        married_on=married,
        status=CoupleStatus.MARRIED if ended is None else CoupleStatus.DIVORCED,
        ended_on=ended,
    )


def _children(wife: Person, *births: dt.date, died: dict[int, dt.date] | None = None) -> None:
    for i, born in enumerate(births):
        _person(wife.family, born, mother=wife, died=(died or {}).get(i))


def _pregnancy(couple: Couple, recorded: dt.date, ended: dt.date | None = None) -> None:
    Pregnancy.objects.create(
        couple=couple,
        recorded_on=recorded,
        ended_on=ended,
        outcome="" if ended is None else PregnancyOutcome.LIVE_BIRTH,
    )


@pytest.fixture
def edge_cases(world: World) -> None:
    """Families whose status changes on the days the counts are checked (see ``DAYS``)."""
    # Twins, then a birth 23 months later: too close from that birth; the twins alone are one
    # birth (not too close). Then a fourth child: too many.
    f = _decent()
    twins = _couple(f, D(1990, 3, 3), D(2012, 1, 1))
    _children(twins.wife, D(2020, 4, 10), D(2020, 4, 10), D(2022, 3, 10), D(2025, 6, 20))
    # Twins born in August 2024, 3 years after the birth before: not too close.
    f = _decent()
    later = _couple(f, D(1992, 4, 4), D(2014, 1, 1))
    _children(later.wife, D(2021, 1, 1), D(2024, 8, 15), D(2024, 8, 15))
    # Two births exactly 2 years apart (not too close) and then a day less than 2 years
    # (too close).
    f = _decent()
    c = _couple(f, D(1995, 7, 1), D(2015, 1, 1))
    _children(c.wife, D(2022, 6, 30), D(2024, 6, 30), D(2026, 6, 29))
    # A wife and a child born on 29 February: she turns 20 on 1 March of a common year; the
    # second birth on 28 February two years later is too close, on 1 March it is not.
    f = _decent()
    leap = _couple(f, D(2004, 2, 29), D(2022, 5, 5))
    _children(leap.wife, D(2020, 2, 29), D(2022, 2, 28))
    f = _decent()
    leap2 = _couple(f, D(2000, 2, 29), D(2018, 1, 1))
    _children(leap2.wife, D(2020, 2, 29), D(2022, 3, 1))
    # A mother of four whose grown daughter lives in another family (still her child: too
    # many), and who loses a child on 31 March 2025 (three left: no longer too many). The
    # daughter is a wife of a PUS herself, under 20.
    f = _family(water="unprotected_well", latrine=Latrine.OWN, septic=True)
    mother = _couple(f, D(1984, 8, 8), D(2003, 1, 1))
    _children(mother.wife, D(2008, 1, 5), D(2011, 1, 5))
    _children(mother.wife, D(2012, 10, 5), died={0: D(2025, 3, 31)})
    other = _family(RT_2, latrine=Latrine.NONE)
    daughter = _person(other, D(2006, 9, 9), mother=mother.wife, relation=Relation.WIFE)
    _couple(other, D(2006, 9, 9), D(2024, 2, 2), wife=daughter)
    # A married daughter living with her husband in her parents' family: judged on her own.
    f = _family(RW, latrine=Latrine.SHARED, septic=False)
    parents = _couple(f, D(1978, 1, 1), D(1998, 1, 1))
    young = _person(f, D(2007, 11, 30), mother=parents.wife)
    _couple(f, D(2007, 11, 30), D(2025, 1, 1), wife=young)
    _children(young, D(2025, 12, 1))
    # Divorced in 2024, married again in 2025; a wife who turns 50; a wife who dies; a
    # pregnant wife who dies.
    f = _family(water="surface")
    _couple(f, D(1990, 1, 1), D(2010, 1, 1), ended=D(2024, 3, 31))
    f = _family()
    first = _couple(f, D(1992, 2, 2), D(2012, 1, 1), ended=D(2024, 4, 15))
    _couple(f, D(1992, 2, 2), D(2025, 2, 28), wife=first.wife)
    f = _family(water="bottled", latrine=Latrine.OWN)
    _couple(f, D(1975, 1, 31), None)
    f = _family(latrine=Latrine.PUBLIC, septic=True)
    dies = _couple(f, D(1993, 6, 6), D(2013, 1, 1), wife_died=D(2025, 1, 31))
    _children(dies.wife, D(2014, 1, 1), D(2015, 6, 1))
    f = _family(water="piped", latrine=Latrine.OWN)
    dies_pregnant = _couple(f, D(1976, 8, 1), D(2000, 1, 1), wife_died=D(2025, 9, 30))
    _pregnancy(dies_pregnant, D(2025, 7, 10))
    # Pregnant and no PUS: the couple ended, or the wife over 49.
    f = _family(water="rain", latrine=Latrine.NONE)
    widow = _couple(f, D(1996, 1, 1), D(2016, 1, 1), ended=D(2024, 12, 1))
    _pregnancy(widow, D(2024, 11, 1), D(2025, 6, 30))
    f = _family(water="piped")
    late = _couple(f, D(1975, 5, 30), D(1995, 1, 1))
    _pregnancy(late, D(2025, 5, 1))
    # A grandmother alone with a grandchild (a target until the child turns 5 on 30 June 2025)
    # and an unprotected well: at risk; a widower alone with a bad house: no target.
    f = _family(water="unprotected_spring", latrine=Latrine.OWN)
    _person(f, D(1960, 1, 1), relation=Relation.HEAD)
    _person(f, D(2020, 6, 30), relation=Relation.GRANDCHILD)
    f = _family(water="surface", latrine=Latrine.NONE)
    _person(f, D(1950, 1, 1), sex=Sex.MALE, relation=Relation.HEAD)
    # A baby who died (no target from then), and a child born and dead on the same day (a
    # birth too close to the one before, never a living child).
    f = _decent()
    _person(f, D(1980, 1, 1), sex=Sex.MALE, relation=Relation.HEAD)
    _person(f, D(2024, 1, 15), died=D(2025, 5, 31))
    f = _decent()
    born_dead = _couple(f, D(1983, 3, 3), D(2005, 1, 1))
    _children(born_dead.wife, D(2020, 1, 1), D(2021, 5, 5), died={1: D(2021, 5, 5)})
    # An inactive family at risk, and families of other villages.
    f = _family(water="surface", active=False)
    _couple(f, D(2008, 1, 1), D(2024, 1, 1))
    f = _family(VILLAGE_2, water="surface")
    _couple(f, D(2007, 1, 1), D(2024, 1, 1))
    f = _family(OTHER_RT, latrine=Latrine.OWN)
    _couple(f, D(1986, 12, 31), D(2006, 1, 1))


# Month ends, the 28th and 29th of February, birthdays and the days before them.
DAYS = sorted(
    {
        *(D(y, m, 1) - dt.timedelta(days=1) for y in (2024, 2025, 2026) for m in range(1, 13)),
        D(2024, 2, 28),
        D(2024, 2, 29),
        D(2024, 3, 1),
        D(2025, 2, 28),
        D(2025, 3, 1),
        D(2025, 6, 19),
        D(2025, 6, 20),
        D(2025, 11, 29),
        D(2025, 11, 30),
        D(2026, 2, 28),
        D(2026, 3, 1),
        D(2026, 3, 9),
        D(2026, 3, 10),
        D(2024, 6, 29),
        D(2026, 6, 28),
        D(2026, 6, 29),
        D(2024, 8, 14),
        D(2024, 8, 15),
        D(2025, 9, 29),
    }
)


def _assessed(villages: list[str], days: list[dt.date]) -> Counts:
    """The counts from ``risk.assess`` of every active family (``village_summary``)."""
    out: Counts = {}
    for village in villages:
        for day in days:
            s = selectors.village_summary(village, day)
            out[(village, day)] = {
                "target": s.target,
                "at_risk": s.at_risk,
                **{reason.value: s.by_reason[reason] for reason in RiskReason},
                "house_unknown": s.house_not_recorded,
            }
    return out


def _paths() -> Iterator[tuple[str, object]]:
    yield "orm", lambda refs, limit: krs_counts._orm_counts(AREAS, refs, limit)
    if POSTGRES:
        for whole in (True, False):
            yield (
                f"pg whole={whole}",
                lambda refs, limit, whole=whole: krs_counts._pg_counts(
                    AREAS, refs, limit, whole=whole
                ),
            )


def _zeros(villages: list[str], days: list[dt.date]) -> Counts:
    return {(v, d): counts() for v in villages for d in days}


@pytest.mark.parametrize("limit", [35, 38])
def test_equal_to_the_assessment_on_every_day(
    edge_cases: None, krs: Krs, limit: int, settings
) -> None:
    settings.KAMPUNGKB_KRS_TOO_OLD_AGE = limit
    villages = [VILLAGE, VILLAGE_2, OTHER_VILLAGE]
    expected = _assessed(villages, DAYS)
    # The edge cases are edges: every reason changes on some day.
    for name in COUNTS:
        assert len({expected[(VILLAGE, d)][name] for d in DAYS}) > 1, name
    refs = {d: d for d in DAYS}
    for name, path in _paths():
        got = _zeros(villages, DAYS)
        got.update(path(refs, limit))  # type: ignore[operator]
        mismatches = {k: (got[k], v) for k, v in expected.items() if got[k] != v}
        assert mismatches == {}, name
    assert counts_of(AREAS, refs) == expected


@pytest.mark.skipif(not POSTGRES, reason="the PostgreSQL query")
def test_months_in_chunks(edge_cases: None, monkeypatch) -> None:
    refs = {d: d for d in DAYS}
    at_once = counts_of(AREAS, refs)
    monkeypatch.setattr(krs_counts, "MONTHS_PER_QUERY", 5)
    assert counts_of(AREAS, refs) == at_once
