"""factory_boy factories for the family register and accounts.

Factories write rows directly (no service, no audit event), so a test of a service counts only the
events that service wrote. Every person gets a NIK that ``validators.validate_nik`` accepts: the
kecamatan of the family's area, the birth date (day + 40 for women) and a serial from a sequence.
Families go into the world's RT 001 of Kota Bangun Ulu unless told otherwise.

Call ``.create(...)`` (typed: it returns the model instance) rather than the factory itself.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from factory.django import DjangoModelFactory

from kampungkb.accounts.models import Role, RoleAssignment, User
from kampungkb.families.models import (
    Couple,
    CoupleStatus,
    Family,
    MaritalStatus,
    Person,
    Pregnancy,
    Relation,
    Sex,
)
from kampungkb.families.validators import make_nik
from kampungkb.regions.models import Area
from kampungkb.testing.world import PASSWORD, RT


def region6(area_code: str) -> str:
    """The six NIK digits of the kecamatan an area lies in: ``64.02.08.2005.001`` -> ``640208``."""
    return area_code[:8].replace(".", "")


def _serial(n: int) -> int:
    # The world's persons use serials below 100; factories stay clear of them.
    return 5000 + n % 4999


def _birth_date(n: int) -> dt.date:
    # Spread over 1970-2010 so that a default person is an adult and never born in the future.
    return dt.date(1970, 1, 1) + dt.timedelta(days=(n * 37) % 14600)


class FamilyFactory(DjangoModelFactory[Family]):
    """A family with a head (pass ``with_head=False`` for a family without one)."""

    class Meta:
        model = Family
        skip_postgeneration_save = True

    kk_number = factory.Sequence(lambda n: f"6402080101{n % 1_000_000:06d}")
    area = factory.LazyFunction(lambda: Area.objects.get(code=RT))
    address = factory.Sequence(lambda n: f"Jl. Mahakam No. {n}")

    @factory.post_generation
    def with_head(obj: Family, create: bool, extracted: Any, **kwargs: Any) -> None:
        if extracted is False or not create:
            return
        kwargs.setdefault("sex", Sex.MALE)
        obj.head = PersonFactory.create(family=obj, relation_to_head=Relation.HEAD, **kwargs)
        obj.save(update_fields=["head"])


class PersonFactory(DjangoModelFactory[Person]):
    class Meta:
        model = Person

    class Params:
        serial = factory.Sequence(_serial)
        no_nik = False

    family = factory.SubFactory(FamilyFactory, with_head=False)
    full_name = factory.Sequence(lambda n: f"Warga {n}")
    sex = Sex.FEMALE
    birth_date = factory.Sequence(_birth_date)
    relation_to_head = Relation.OTHER_RELATIVE
    nik = factory.LazyAttribute(
        lambda o: (
            None if o.no_nik else make_nik(region6(o.family.area_id), o.birth_date, o.sex, o.serial)
        )
    )


class WomanFactory(PersonFactory):
    sex = Sex.FEMALE
    relation_to_head = Relation.WIFE


class ManFactory(PersonFactory):
    sex = Sex.MALE
    relation_to_head = Relation.HEAD


class CoupleFactory(DjangoModelFactory[Couple]):
    """A current marriage of a wife and a husband of one new family (both marked married)."""

    class Meta:
        model = Couple

    husband = factory.SubFactory(
        ManFactory,
        marital_status=MaritalStatus.MARRIED,
        birth_date=dt.date(1985, 6, 1),
    )
    wife = factory.SubFactory(
        WomanFactory,
        family=factory.SelfAttribute("..husband.family"),
        marital_status=MaritalStatus.MARRIED,
        birth_date=dt.date(1990, 3, 15),
    )
    married_on = dt.date(2010, 7, 1)
    status = CoupleStatus.MARRIED
    ended_on = None


class PregnancyFactory(DjangoModelFactory[Pregnancy]):
    class Meta:
        model = Pregnancy

    couple = factory.SubFactory(CoupleFactory)
    recorded_on = dt.date(2024, 1, 10)
    expected_on = dt.date(2024, 8, 1)
    ended_on = None
    outcome = ""


class UserFactory(DjangoModelFactory[User]):
    """A user without any role; give one with ``RoleAssignmentFactory``."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Pengguna {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @classmethod
    def _after_postgeneration(cls, instance: User, create: bool, results: Any = None) -> None:
        if create:
            instance.save(update_fields=["password"])


class RoleAssignmentFactory(DjangoModelFactory[RoleAssignment]):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    role = Role.CADRE
    area = factory.LazyFunction(lambda: Area.objects.get(code=RT))
