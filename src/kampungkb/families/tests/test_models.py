"""The register's models: ages, marriages on a date, the PUS rule, and database constraints."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from kampungkb.accounts.models import Role, RoleAssignment
from kampungkb.families.models import (
    Couple,
    CoupleStatus,
    Family,
    Person,
    Pregnancy,
    PregnancyOutcome,
    age_on,
)
from kampungkb.regions.models import Area
from kampungkb.testing.factories import (
    CoupleFactory,
    FamilyFactory,
    ManFactory,
    PersonFactory,
    PregnancyFactory,
    UserFactory,
    WomanFactory,
)

D = dt.date
Y2000 = D(2000, 1, 1)


# age_on.


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (D(1990, 3, 15), D(1990, 3, 15), 0),
        (D(1990, 3, 15), D(2005, 3, 14), 14),
        (D(1990, 3, 15), D(2005, 3, 15), 15),
        (D(1990, 3, 15), D(2040, 3, 14), 49),
        (D(1990, 3, 15), D(2040, 3, 15), 50),
        (D(1990, 12, 31), D(1991, 12, 30), 0),
        (D(1990, 12, 31), D(1991, 12, 31), 1),
        # Born on 29 February: a year older on 1 March in common years, on 29 February in leap years.
        (D(2008, 2, 29), D(2023, 2, 28), 14),
        (D(2008, 2, 29), D(2023, 3, 1), 15),
        (D(2008, 2, 29), D(2024, 2, 28), 15),
        (D(2008, 2, 29), D(2024, 2, 29), 16),
        (D(2000, 2, 29), D(2100, 2, 28), 99),
        (D(2000, 2, 29), D(2100, 3, 1), 100),
    ],
)
def test_age_on(born, on, age):
    assert age_on(born, on) == age
    assert Person(birth_date=born).age_on(on) == age


# Couple.is_married_on / is_pus_on / wife_age_on.


def couple(
    wife_born: dt.date,
    married_on: dt.date | None = Y2000,
    ended_on: dt.date | None = None,
    died_on: dt.date | None = None,
) -> Couple:
    wife = Person(full_name="Istri", birth_date=wife_born, died_on=died_on, sex="F")
    status = CoupleStatus.MARRIED if ended_on is None else CoupleStatus.DIVORCED
    return Couple(wife=wife, married_on=married_on, ended_on=ended_on, status=status)


@pytest.mark.parametrize(
    ("on", "age", "pus"),
    [
        (D(2005, 3, 14), 14, False),  # the day before her 15th birthday
        (D(2005, 3, 15), 15, True),  # her 15th birthday
        (D(2040, 3, 14), 49, True),  # the day before her 50th birthday
        (D(2040, 3, 15), 50, False),  # her 50th birthday
    ],
)
def test_is_pus_on_15th_and_50th_birthdays(on, age, pus):
    c = couple(D(1990, 3, 15))
    assert c.wife_age_on(on) == age
    assert c.is_pus_on(on) is pus


@pytest.mark.parametrize(
    ("on", "pus"),
    [
        (D(2019, 2, 28), False),  # 15th birthday falls on 1 March in a common year
        (D(2019, 3, 1), True),
        (D(2020, 2, 28), True),
        (D(2054, 2, 28), True),  # 49
        (D(2054, 3, 1), False),  # 50 on 1 March of a common year
        (D(2052, 2, 28), True),
        (D(2052, 2, 29), True),  # 48 in a leap year
    ],
)
def test_is_pus_on_for_a_wife_born_on_29_february(on, pus):
    assert couple(D(2004, 2, 29)).is_pus_on(on) is pus


def test_is_pus_on_the_marriage_day_but_not_the_day_before():
    c = couple(D(1990, 3, 15), married_on=D(2012, 5, 20))
    assert c.is_married_on(D(2012, 5, 20)) and c.is_pus_on(D(2012, 5, 20))
    assert not c.is_married_on(D(2012, 5, 19)) and not c.is_pus_on(D(2012, 5, 19))


def test_not_pus_on_the_day_the_marriage_ended():
    c = couple(D(1990, 3, 15), married_on=D(2012, 5, 20), ended_on=D(2020, 1, 10))
    assert c.is_pus_on(D(2020, 1, 9))
    assert not c.is_married_on(D(2020, 1, 10)) and not c.is_pus_on(D(2020, 1, 10))


def test_married_and_ended_the_same_day_is_never_married():
    c = couple(D(1990, 3, 15), married_on=D(2012, 5, 20), ended_on=D(2012, 5, 20))
    assert not c.is_married_on(D(2012, 5, 20))
    assert not c.is_married_on(D(2012, 5, 19))


def test_unknown_marriage_date_counts_as_married_all_along():
    c = couple(D(1990, 3, 15), married_on=None)
    assert c.is_married_on(D(1990, 3, 15))
    assert not c.is_pus_on(D(2005, 3, 14))
    assert c.is_pus_on(D(2005, 3, 15))


def test_not_pus_from_the_day_the_wife_died():
    c = couple(D(1990, 3, 15), died_on=D(2021, 6, 1))
    assert c.is_pus_on(D(2021, 5, 31))
    assert not c.is_pus_on(D(2021, 6, 1))
    assert not c.is_pus_on(D(2022, 1, 1))


def test_wife_age_on():
    c = couple(D(1992, 7, 4))
    assert c.wife_age_on(D(2024, 7, 3)) == 31
    assert c.wife_age_on(D(2024, 7, 4)) == 32


def test_pregnancy_is_ongoing_on():
    p = Pregnancy(recorded_on=D(2024, 1, 10), ended_on=D(2024, 8, 1))
    assert not p.is_ongoing_on(D(2024, 1, 9))
    assert p.is_ongoing_on(D(2024, 1, 10))
    assert p.is_ongoing_on(D(2024, 7, 31))
    assert not p.is_ongoing_on(D(2024, 8, 1))
    assert Pregnancy(recorded_on=D(2024, 1, 10)).is_ongoing_on(D(2030, 1, 1))


# Person and family helpers.


def test_lacks_nik_and_is_alive():
    assert Person(nik=None).lacks_nik
    assert Person(nik="").lacks_nik
    assert not Person(nik="6402081203880001").lacks_nik
    assert Person().is_alive
    assert not Person(died_on=D(2020, 1, 1)).is_alive


def test_str(world):
    family = world.family
    assert str(family) == "KK 6402081203150001"
    assert str(world.family_no_nik) == f"#{world.family_no_nik.pk}"
    assert str(family.head) == "Sutrisno"
    c = Couple.objects.get(wife__full_name="Siti Aminah")
    assert str(c) == "Siti Aminah & Sutrisno"
    c.husband = None
    assert str(c) == "Siti Aminah & -"


def test_factories_make_valid_people(world):
    from kampungkb.families.validators import validate_nik

    person = PersonFactory.create(family=world.family)
    assert person.nik is not None
    validate_nik(person.nik, birth_date=person.birth_date, sex=person.sex)
    assert person.nik[:6] == "640208"
    man = ManFactory.create(family=FamilyFactory.create(area=world.area("52.03.13.2007")))
    assert man.nik is not None and man.nik[:6] == "520313"
    validate_nik(man.nik, birth_date=man.birth_date, sex="M")
    family = FamilyFactory.create()
    assert family.head is not None and family.head.family == family
    assert PersonFactory.create(no_nik=True).lacks_nik


# Database constraints: refused by the database itself, on SQLite and PostgreSQL.


def refused(make) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_one_current_marriage_per_wife(world):
    first = CoupleFactory.create()
    refused(
        lambda: Couple.objects.create(
            wife=first.wife, husband=ManFactory.create(), married_on=D(2015, 1, 1)
        )
    )


def test_a_wife_may_have_past_marriages(world):
    first = CoupleFactory.create(status=CoupleStatus.DIVORCED, ended_on=D(2014, 1, 1))
    Couple.objects.create(wife=first.wife, husband=ManFactory.create(), married_on=D(2015, 1, 1))
    Couple.objects.create(
        wife=first.wife,
        husband=None,
        married_on=D(2012, 1, 1),
        status=CoupleStatus.WIDOWED,
        ended_on=D(2013, 1, 1),
    )
    assert Couple.objects.filter(wife=first.wife).count() == 3


def test_a_husband_may_have_several_current_marriages(world):
    first = CoupleFactory.create()
    Couple.objects.create(
        wife=WomanFactory.create(), husband=first.husband, married_on=D(2015, 1, 1)
    )
    assert Couple.objects.filter(husband=first.husband, status=CoupleStatus.MARRIED).count() == 2


def test_nik_is_unique(world):
    person = PersonFactory.create()
    refused(lambda: PersonFactory.create(nik=person.nik))


def test_many_persons_without_nik(world):
    PersonFactory.create(nik=None)
    PersonFactory.create(nik=None)
    assert Person.objects.filter(nik__isnull=True).count() >= 3  # Rahmawati too


def test_kk_is_unique(world):
    refused(lambda: FamilyFactory.create(kk_number=world.family.kk_number, with_head=False))


def test_many_families_without_kk(world):
    FamilyFactory.create(kk_number=None, with_head=False)
    FamilyFactory.create(kk_number=None, with_head=False)
    assert Family.objects.filter(kk_number__isnull=True).count() == 3


@pytest.mark.parametrize(
    ("status", "ended_on"),
    [
        (CoupleStatus.MARRIED, D(2020, 1, 1)),
        (CoupleStatus.DIVORCED, None),
        (CoupleStatus.WIDOWED, None),
    ],
)
def test_ended_on_matches_status(world, status, ended_on):
    refused(lambda: CoupleFactory.create(status=status, ended_on=ended_on))


def test_couple_dates_in_order(world):
    refused(
        lambda: CoupleFactory.create(
            married_on=D(2010, 7, 1), status=CoupleStatus.DIVORCED, ended_on=D(2010, 6, 30)
        )
    )
    CoupleFactory.create(
        married_on=D(2010, 7, 1), status=CoupleStatus.DIVORCED, ended_on=D(2010, 7, 1)
    )
    CoupleFactory.create(married_on=None, status=CoupleStatus.DIVORCED, ended_on=D(1950, 1, 1))


def test_couple_wife_is_not_husband(world):
    person = WomanFactory.create()
    refused(lambda: Couple.objects.create(wife=person, husband=person))


def test_person_death_after_birth(world):
    refused(lambda: PersonFactory.create(birth_date=D(1990, 1, 2), died_on=D(1990, 1, 1)))
    PersonFactory.create(birth_date=D(1990, 1, 2), died_on=D(1990, 1, 2))


def test_one_open_pregnancy_per_couple(world):
    first = PregnancyFactory.create()
    refused(lambda: PregnancyFactory.create(couple=first.couple, recorded_on=D(2024, 2, 1)))
    PregnancyFactory.create(
        couple=first.couple,
        recorded_on=D(2022, 1, 1),
        ended_on=D(2022, 9, 1),
        outcome=PregnancyOutcome.LIVE_BIRTH,
    )


@pytest.mark.parametrize(
    ("ended_on", "outcome"),
    [
        (D(2024, 3, 1), ""),  # ended without an outcome
        (None, PregnancyOutcome.MISCARRIAGE),  # an outcome while ongoing
        (D(2024, 1, 9), PregnancyOutcome.MISCARRIAGE),  # ended before it was recorded
    ],
)
def test_pregnancy_end_has_outcome(world, ended_on, outcome):
    refused(
        lambda: PregnancyFactory.create(
            recorded_on=D(2024, 1, 10), ended_on=ended_on, outcome=outcome
        )
    )


def test_area_parent_matches_level(world):
    refused(
        lambda: Area.objects.create(code="99", name="X", level=1, kind="provinsi", parent_id="64")
    )
    refused(lambda: Area.objects.create(code="64.99", name="X", level=2, kind="kabupaten"))
    refused(lambda: Area.objects.create(code="64.98", name="X", level=7, kind="rt", parent_id="64"))


def test_role_assignment_area_required_for_field_roles(world):
    user = UserFactory.create()
    for role in (Role.DISTRICT_OFFICER, Role.PKB_OFFICER, Role.CADRE):
        refused(lambda role=role: RoleAssignment.objects.create(user=user, role=role, area=None))
    for role in (Role.ADMIN, Role.VIEWER, Role.PARTNER):
        RoleAssignment.objects.create(user=user, role=role, area=None)


def test_role_assignment_unique(world):
    user = UserFactory.create()
    RoleAssignment.objects.create(user=user, role=Role.VIEWER, area=None)
    refused(lambda: RoleAssignment.objects.create(user=user, role=Role.VIEWER, area=None))
    RoleAssignment.objects.create(user=user, role=Role.CADRE, area=world.area("64.02.08.2005"))
    refused(
        lambda: RoleAssignment.objects.create(
            user=user, role=Role.CADRE, area=world.area("64.02.08.2005")
        )
    )
