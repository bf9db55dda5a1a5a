"""``risk.assess`` on hand-built facts: every target and risk reason, and their edges."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from kampungkb.stunting.explain import explain, question
from kampungkb.stunting.risk import (
    Couple,
    FamilyFacts,
    Finding,
    House,
    Person,
    Pregnancy,
    RiskReason,
    TargetReason,
    Unknown,
    assess,
    months_between,
)

ON = dt.date(2025, 6, 30)
TOO_OLD = 35
WIFE, HUSBAND = 1, 2
GOOD_HOUSE = House(water_source="piped", latrine="own", has_septic_tank=True)


def before(years: int = 0, days: int = 0) -> dt.date:
    """``years`` before ``ON`` (same day), then ``days`` earlier still (negative: later)."""
    return ON.replace(year=ON.year - years) - dt.timedelta(days=days)


def child(pk: int, born: dt.date, *, died: dt.date | None = None, mother: int | None = WIFE):
    return Person(pk, f"Anak {pk}", born, "M", died, mother)


def family(
    *,
    wife_born: dt.date = dt.date(1992, 7, 4),
    children: tuple[Person, ...] = (),
    house: House = GOOD_HOUSE,
    married_on: dt.date | None = dt.date(2012, 5, 20),
    ended_on: dt.date | None = None,
    wife_died: dt.date | None = None,
    pregnancies: tuple[Pregnancy, ...] = (),
    elsewhere: tuple[Person, ...] = (),
) -> FamilyFacts:
    """Sutrisno and Siti Aminah, married, with ``children``."""
    husband = Person(HUSBAND, "Sutrisno", dt.date(1988, 3, 12), "M")
    wife = Person(WIFE, "Siti Aminah", wife_born, "F", wife_died)
    couple = Couple(100, WIFE, HUSBAND, "Sutrisno", married_on, ended_on)
    return FamilyFacts(
        members=(husband, wife, *children),
        couples=(couple,),
        pregnancies=pregnancies,
        house=house,
        children_elsewhere=elsewhere,
    )


def widower(*, house: House = GOOD_HOUSE, children: tuple[Person, ...] = ()) -> FamilyFacts:
    """A man of 60 alone (or with grandchildren): no couple."""
    return FamilyFacts(
        members=(Person(5, "Pak Darto", dt.date(1965, 1, 1), "M"), *children), house=house
    )


def judged(facts: FamilyFacts, too_old: int = TOO_OLD):
    return assess(facts, ON, too_old)


# -- Target families ------------------------------------------------------------------------------


def test_a_pus_with_a_schoolchild_and_a_decent_house_is_a_target_not_at_risk() -> None:
    a = judged(family(children=(child(10, dt.date(2015, 1, 9)),)))
    assert a.target_reasons == (TargetReason.PUS,)
    assert (a.is_target, a.is_at_risk) == (True, False)
    assert (a.risk_reasons, a.unknown) == ((), ())
    assert a.findings == (
        Finding(
            TargetReason.PUS,
            wife=Person(WIFE, "Siti Aminah", dt.date(1992, 7, 4), "F"),
            husband_name="Sutrisno",
            years=32,
        ),
    )


def test_a_family_with_only_a_child_aged_2_to_5_is_a_target() -> None:
    grandchild = child(11, before(3), mother=None)
    a = judged(widower(children=(grandchild,)))
    assert a.target_reasons == (TargetReason.AGE_2_TO_5,)
    assert a.findings_for(TargetReason.AGE_2_TO_5) == [
        Finding(TargetReason.AGE_2_TO_5, child=grandchild, years=3)
    ]
    assert not a.is_at_risk


def test_a_family_that_is_no_target_is_not_at_risk_even_with_bad_water() -> None:
    a = judged(widower(house=House("surface", "none", False)))
    assert a.target_reasons == ()
    assert a.risk_reasons == (RiskReason.UNSAFE_WATER, RiskReason.NO_DECENT_LATRINE)
    assert (a.is_target, a.is_at_risk) == (False, False)


@pytest.mark.parametrize(
    ("born", "reason", "years", "months"),
    [
        (before(0), TargetReason.UNDER_2, None, 0),  # born on the day
        (before(1, days=-1), TargetReason.UNDER_2, None, 11),  # 1 next day: still 0 years
        (before(2, days=-1), TargetReason.UNDER_2, None, 23),  # turns 2 tomorrow
        (before(2), TargetReason.AGE_2_TO_5, 2, None),  # turns 2 on the day
        (before(5, days=-1), TargetReason.AGE_2_TO_5, 4, None),  # turns 5 tomorrow
    ],
)
def test_a_child_under_2_or_2_to_5_by_age_on_the_date(born, reason, years, months) -> None:
    kid = child(10, born)
    a = judged(widower(children=(kid,)))
    assert a.target_reasons == (reason,)
    assert a.findings == (Finding(reason, child=kid, years=years, months=months),)


@pytest.mark.parametrize(
    "kid",
    [
        child(10, before(5)),  # turns 5 on the day: no longer a balita
        child(10, ON + dt.timedelta(days=1)),  # not born yet
        child(10, before(1), died=ON),  # died on the day
        child(10, before(1), died=before(0, days=30)),
    ],
)
def test_children_that_make_no_target(kid: Person) -> None:
    assert judged(widower(children=(kid,))).target_reasons == ()


def test_a_child_who_died_after_the_date_counted_then() -> None:
    kid = child(10, before(1), died=ON + dt.timedelta(days=1))
    assert judged(widower(children=(kid,))).target_reasons == (TargetReason.UNDER_2,)


def test_a_pregnant_wife() -> None:
    ongoing = Pregnancy(100, dt.date(2025, 3, 1))
    a = judged(family(pregnancies=(ongoing,)))
    assert a.target_reasons == (TargetReason.PUS, TargetReason.PREGNANT)
    [found] = a.findings_for(TargetReason.PREGNANT)
    assert (found.wife and found.wife.name, found.since) == ("Siti Aminah", dt.date(2025, 3, 1))


@pytest.mark.parametrize(
    "pregnancy",
    [
        Pregnancy(100, dt.date(2025, 1, 1), ended_on=ON),  # delivered on the day
        Pregnancy(100, ON + dt.timedelta(days=1)),  # recorded after the date
    ],
)
def test_a_pregnancy_not_ongoing_on_the_date(pregnancy: Pregnancy) -> None:
    a = judged(family(pregnancies=(pregnancy,)))
    assert a.target_reasons == (TargetReason.PUS,)


def test_a_pregnant_divorced_wife_is_a_target_without_a_pus() -> None:
    pregnancy = Pregnancy(100, dt.date(2025, 3, 1))
    a = judged(family(ended_on=dt.date(2025, 4, 1), pregnancies=(pregnancy,)))
    assert a.target_reasons == (TargetReason.PREGNANT,)


@pytest.mark.parametrize(
    ("married_on", "ended_on"),
    [
        (dt.date(2012, 5, 20), dt.date(2024, 1, 1)),  # divorced before
        (dt.date(2012, 5, 20), ON),  # divorced on the day
        (ON + dt.timedelta(days=1), None),  # married after the date
    ],
)
def test_a_couple_not_married_on_the_date_is_no_pus(married_on, ended_on) -> None:
    a = judged(family(married_on=married_on, ended_on=ended_on, wife_born=before(17)))
    assert (a.target_reasons, a.risk_reasons) == ((), ())


def test_a_couple_divorced_after_the_date_was_a_pus_then() -> None:
    a = judged(family(ended_on=ON + dt.timedelta(days=1)))
    assert a.target_reasons == (TargetReason.PUS,)


def test_a_couple_without_a_marriage_date_is_married() -> None:
    assert judged(family(married_on=None)).target_reasons == (TargetReason.PUS,)


def test_a_dead_wife_makes_no_pus() -> None:
    assert judged(family(wife_died=dt.date(2025, 1, 1))).target_reasons == ()


@pytest.mark.parametrize(
    ("wife_born", "pus"),
    [(before(15), True), (before(15, days=-1), False), (before(49), True), (before(50), False)],
)
def test_pus_wife_aged_15_to_49(wife_born: dt.date, pus: bool) -> None:
    assert judged(family(wife_born=wife_born)).is_target is pus


# -- The house ------------------------------------------------------------------------------------


@pytest.mark.parametrize("source", ["bottled", "piped", "borehole", "protected_well"])
def test_decent_water_sources(source: str) -> None:
    a = judged(family(house=House(source, "own", True)))
    assert a.risk_reasons == ()


@pytest.mark.parametrize(
    "source", ["protected_spring", "unprotected_well", "unprotected_spring", "rain", "surface"]
)
def test_unsafe_water(source: str) -> None:
    a = judged(family(house=House(source, "own", True)))
    assert a.risk_reasons == (RiskReason.UNSAFE_WATER,)
    assert a.is_at_risk
    assert a.findings_for(RiskReason.UNSAFE_WATER) == [
        Finding(RiskReason.UNSAFE_WATER, value=source)
    ]


@pytest.mark.parametrize(
    ("house", "reasons", "unknown"),
    [
        (House("piped", "none", None), (RiskReason.NO_DECENT_LATRINE,), ()),
        (House("piped", "none", False), (RiskReason.NO_DECENT_LATRINE,), ()),
        (House("piped", "shared", False), (RiskReason.NO_DECENT_LATRINE,), ()),
        # No septic tank is enough to judge, even with the latrine itself not recorded.
        (House("piped", "", False), (RiskReason.NO_DECENT_LATRINE,), ()),
        (House("piped", "public", True), (), ()),
        (House("piped", "own", None), (), (Unknown.SEPTIC_TANK,)),
        (House("piped", "", True), (), (Unknown.LATRINE,)),
        (House("", "own", True), (), (Unknown.WATER_SOURCE,)),
        (House(), (), (Unknown.WATER_SOURCE, Unknown.LATRINE, Unknown.SEPTIC_TANK)),
        (House("", "none", None), (RiskReason.NO_DECENT_LATRINE,), (Unknown.WATER_SOURCE,)),
    ],
)
def test_latrine_and_what_is_not_recorded(house: House, reasons, unknown) -> None:
    a = judged(family(house=house))
    assert (a.risk_reasons, a.unknown) == (reasons, unknown)
    assert a.is_at_risk is bool(reasons)


# -- The 4 terlalu --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("wife_born", "reasons", "years"),
    [
        (before(17), (RiskReason.TOO_YOUNG,), 17),
        (before(20, days=-1), (RiskReason.TOO_YOUNG,), 19),  # turns 20 tomorrow
        (before(20), (), 20),  # turns 20 on the day
        (before(35), (), 35),
        (before(36, days=-1), (), 35),
        (before(36), (RiskReason.TOO_OLD,), 36),
        (before(49), (RiskReason.TOO_OLD,), 49),
    ],
)
def test_wife_too_young_or_too_old(wife_born: dt.date, reasons, years: int) -> None:
    a = judged(family(wife_born=wife_born))
    assert a.risk_reasons == reasons
    assert a.findings_for(TargetReason.PUS)[0].years == years
    if reasons:
        [found] = a.findings_for(reasons[0])
        assert (found.years, found.wife and found.wife.name) == (years, "Siti Aminah")
        assert found.limit == (TOO_OLD if reasons[0] == RiskReason.TOO_OLD else None)


def test_too_old_follows_the_setting() -> None:
    assert judged(family(wife_born=before(33)), too_old=32).risk_reasons == (RiskReason.TOO_OLD,)
    assert judged(family(wife_born=before(33)), too_old=33).risk_reasons == ()


def test_a_wife_over_49_is_no_pus_so_not_too_old() -> None:
    kid = child(10, before(1))
    a = judged(family(wife_born=before(50), children=(kid,)))
    assert (a.target_reasons, a.risk_reasons) == ((TargetReason.UNDER_2,), ())


def test_births_exactly_2_years_apart_are_not_too_close() -> None:
    older, younger = child(10, dt.date(2021, 3, 15)), child(11, dt.date(2023, 3, 15))
    assert judged(family(children=(older, younger))).risk_reasons == ()


def test_births_a_day_under_2_years_apart_are_too_close() -> None:
    older, younger = child(10, dt.date(2021, 3, 16)), child(11, dt.date(2023, 3, 15))
    a = judged(family(children=(older, younger)))
    assert a.risk_reasons == (RiskReason.TOO_CLOSE,)
    [found] = a.findings_for(RiskReason.TOO_CLOSE)
    assert (found.older_child, found.child, found.months) == (older, younger, 23)


def test_too_close_looks_at_the_two_youngest_births_only() -> None:
    kids = (
        child(10, dt.date(2012, 1, 1)),
        child(11, dt.date(2013, 1, 1)),  # 12 months after the first: not the youngest two
        child(12, dt.date(2018, 1, 1)),
    )
    assert judged(family(children=kids)).risk_reasons == ()


def test_twins_are_one_birth() -> None:
    kids = (
        child(10, dt.date(2019, 1, 1)),
        child(11, dt.date(2022, 6, 1)),
        child(12, dt.date(2022, 6, 1)),
    )
    assert judged(family(children=kids)).risk_reasons == ()


def test_a_dead_child_is_a_birth_for_spacing() -> None:
    kids = (
        child(10, dt.date(2023, 1, 1)),
        child(11, dt.date(2024, 1, 1), died=dt.date(2024, 2, 1)),
    )
    a = judged(family(children=kids))
    assert a.risk_reasons == (RiskReason.TOO_CLOSE,)
    assert a.findings_for(RiskReason.TOO_CLOSE)[0].months == 12


def test_a_child_born_after_the_date_is_not_a_birth_yet() -> None:
    kids = (child(10, dt.date(2024, 12, 1)), child(11, ON + dt.timedelta(days=1)))
    assert RiskReason.TOO_CLOSE not in judged(family(children=kids)).risk_reasons


def test_only_her_own_children_count() -> None:
    # The husband's child of an earlier marriage, born 10 months before hers.
    kids = (child(10, dt.date(2023, 1, 1), mother=None), child(11, dt.date(2023, 11, 1)))
    assert judged(family(children=kids)).risk_reasons == ()


@pytest.mark.parametrize(
    ("kids", "too_many"),
    [
        (
            (
                child(10, dt.date(2008, 1, 1)),
                child(11, dt.date(2011, 1, 1)),
                child(12, dt.date(2014, 1, 1)),
            ),
            False,
        ),
        (
            (
                child(10, dt.date(2008, 1, 1)),
                child(11, dt.date(2011, 1, 1)),
                child(12, dt.date(2014, 1, 1)),
                child(13, dt.date(2017, 1, 1)),
            ),
            True,
        ),
        (
            (
                child(10, dt.date(2008, 1, 1), died=dt.date(2010, 1, 1)),
                child(11, dt.date(2011, 1, 1)),
                child(12, dt.date(2014, 1, 1)),
                child(13, dt.date(2017, 1, 1)),
            ),
            False,
        ),
    ],
)
def test_more_than_3_living_children_are_too_many(kids, too_many: bool) -> None:
    a = judged(family(children=kids))
    assert a.risk_reasons == ((RiskReason.TOO_MANY,) if too_many else ())
    if too_many:
        assert a.findings_for(RiskReason.TOO_MANY)[0].children == 4


def test_children_living_in_another_family_count_for_their_mother() -> None:
    at_home = (child(12, dt.date(2014, 1, 1)), child(13, dt.date(2017, 1, 1)))
    away = (child(10, dt.date(2005, 1, 1)), child(11, dt.date(2008, 1, 1)))
    a = judged(family(children=at_home, elsewhere=away))
    assert a.risk_reasons == (RiskReason.TOO_MANY,)
    # A married daughter living elsewhere with a baby does not make this family a target.
    baby_elsewhere = (child(14, before(1), mother=None),)
    assert judged(family(children=at_home, elsewhere=baby_elsewhere)).target_reasons == (
        TargetReason.PUS,
    )


def test_each_wife_of_the_family_is_judged() -> None:
    """A married daughter lives with her husband in her parents' family (a common case)."""
    mother = Person(1, "Siti Aminah", before(40), "F")
    daughter = Person(3, "Nur Aini", before(18), "F", mother_id=1)
    son_in_law = Person(4, "Budi", before(22), "M")
    baby = Person(5, "Bayi", before(0, days=60), "F", mother_id=3)
    facts = FamilyFacts(
        members=(Person(2, "Sutrisno", before(45), "M"), mother, daughter, son_in_law, baby),
        couples=(Couple(100, 1, 2, "Sutrisno", dt.date(2005, 1, 1)), Couple(101, 3, 4, "Budi")),
        house=GOOD_HOUSE,
    )
    a = judged(facts)
    assert a.target_reasons == (TargetReason.PUS, TargetReason.UNDER_2)
    assert a.risk_reasons == (RiskReason.TOO_YOUNG, RiskReason.TOO_OLD)
    assert [f.wife.name for f in a.findings_for(TargetReason.PUS) if f.wife] == [
        "Siti Aminah",
        "Nur Aini",
    ]
    assert [(f.reason, f.wife and f.wife.name) for f in a.findings if f.reason in RiskReason] == [
        (RiskReason.TOO_OLD, "Siti Aminah"),
        (RiskReason.TOO_YOUNG, "Nur Aini"),
    ]


def test_every_reason_at_once_in_order() -> None:
    kids = (
        *(child(10 + i, dt.date(2018 + i, 1, 1)) for i in range(4)),
        child(20, dt.date(2022, 6, 1)),
    )
    a = judged(family(wife_born=before(37), children=kids, house=House("rain", "none", None)))
    assert a.risk_reasons == (
        RiskReason.UNSAFE_WATER,
        RiskReason.NO_DECENT_LATRINE,
        RiskReason.TOO_OLD,
        RiskReason.TOO_CLOSE,
        RiskReason.TOO_MANY,
    )
    assert a.target_reasons == (TargetReason.PUS, TargetReason.AGE_2_TO_5)


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (dt.date(2023, 1, 15), dt.date(2024, 3, 14), 13),
        (dt.date(2023, 1, 15), dt.date(2024, 3, 15), 14),
        (dt.date(2023, 1, 31), dt.date(2023, 2, 28), 0),
        (dt.date(2024, 2, 29), dt.date(2025, 3, 1), 12),
    ],
)
def test_months_between(start: dt.date, end: dt.date, months: int) -> None:
    assert months_between(start, end) == months


# -- In sentences ---------------------------------------------------------------------------------


def test_findings_in_sentences() -> None:
    kids = (child(10, dt.date(2023, 1, 1)), child(11, dt.date(2024, 3, 1)))
    facts = family(
        wife_born=before(17),
        children=kids,
        house=House("unprotected_well", "own", False),
        pregnancies=(Pregnancy(100, dt.date(2025, 3, 1)),),
    )
    a = judged(facts)
    with translation.override("en"):
        assert [explain(f) for f in a.findings] == [
            "Siti Aminah (17) and Sutrisno are a married couple of reproductive age.",
            "Siti Aminah is pregnant (recorded on 01-03-2025).",
            "Anak 11 is 15 months old.",
            "Anak 10 is 2 years old.",
            "Drinking water: Unprotected well.",
            "Own latrine without a septic tank.",
            "Siti Aminah is 17: under 20.",
            "The two youngest children of Siti Aminah, Anak 10 (born 01-01-2023) and Anak 11 "
            "(born 01-03-2024), were born 14 months apart.",
        ]
        assert explain(Finding(RiskReason.TOO_OLD, wife=kids[0], years=38, limit=35)) == (
            "Anak 10 is 38: over 35."
        )
        assert explain(Finding(RiskReason.TOO_MANY, wife=kids[0], children=5)) == (
            "Anak 10 has 5 living children: more than 3."
        )
        assert explain(Finding(RiskReason.NO_DECENT_LATRINE, value="none")) == (
            "The family has no latrine."
        )
        assert explain(Finding(RiskReason.NO_DECENT_LATRINE, value="")) == (
            "The latrine has no septic tank."
        )
        assert explain(Finding(TargetReason.UNDER_2, child=kids[0], months=1)) == (
            "Anak 10 is 1 month old."
        )
        assert [question(u) for u in Unknown] == [
            "Where does the family's drinking water mainly come from?",
            "Does the family have a latrine (own, shared or public)?",
            "Does the latrine drain into a septic tank?",
        ]
