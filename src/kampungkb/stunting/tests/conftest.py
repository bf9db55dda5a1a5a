"""Families of the shared world as the stunting-risk pages see them on ``ON`` (a fixed day in
the past, so that no assertion moves with the clock).

Kota Bangun Ulu (the cadre's village):
- RT 001, Sutrisno (world): Siti Aminah 33, pregnant, Rizky 11; a decent house. Target, not at
  risk.
- RT 001, I Wayan Sudarma: Ni Made Sari 37, four children, the two youngest born 14 months
  apart; the house not recorded. At risk: too old, too close, too many.
- RT 002, Rahmawati (world): a woman of 46 alone, an unprotected well and no latrine. No target.
- RT 002, Joko Susilo: Dewi Lestari 17 with a baby of 4 months, river water and no latrine. At
  risk: unsafe water, no decent latrine, too young.
Kota Bangun Ilir (the PKB's, not the cadre's): Agus Salim and Rina Marlina 18. At risk: too young.
Tumbuh Mulia (Lombok Timur, world): Lalu Ahmad and Baiq Nurul 36. At risk: too old.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from kampungkb.families.models import Couple, Family, Relation, Sex
from kampungkb.families.services import (
    HousingData,
    birth_record,
    couple_register,
    family_housing_update,
    family_register,
    person_add,
    pregnancy_record,
)
from kampungkb.regions.models import Area
from kampungkb.testing.world import RT, RT_2, VILLAGE_2, World, person

ON = dt.date(2026, 6, 30)
DECENT = HousingData(water_source="piped", latrine="own", has_septic_tank=True)


@dataclass
class Krs:
    sutrisno: Family
    wayan: Family
    rahmawati: Family
    joko: Family
    agus: Family
    lalu: Family


def _house(family: Family, data: HousingData) -> None:
    family_housing_update(family=family, data=data, actor=None)


def _couple_family(
    area: str,
    *,
    head: tuple[str, dt.date],
    wife: tuple[str, dt.date],
    married_on: dt.date,
    serial: int,
    address: str = "",
) -> tuple[Family, Couple]:
    region = area.replace(".", "")[:6]
    family = family_register(
        area=Area.objects.get(code=area),
        kk_number=None,
        address=address,
        head=person(head[0], Sex.MALE, head[1], Relation.HEAD, serial, region),
        actor=None,
    )
    wife_person = person_add(
        family=family,
        data=person(wife[0], Sex.FEMALE, wife[1], Relation.WIFE, serial + 1, region),
        actor=None,
    )
    couple = couple_register(
        wife=wife_person, husband=family.head, married_on=married_on, actor=None
    )
    return family, couple


@pytest.fixture
def krs(world: World) -> Krs:
    sutrisno = world.family
    _house(sutrisno, DECENT)
    siti = Couple.objects.get(wife__full_name="Siti Aminah")
    pregnancy_record(couple=siti, recorded_on=dt.date(2026, 5, 4), expected_on=None, actor=None)

    wayan, sari = _couple_family(
        RT,
        head=("I Wayan Sudarma", dt.date(1984, 1, 1)),
        wife=("Ni Made Sari", dt.date(1989, 5, 20)),
        married_on=dt.date(2008, 1, 1),
        serial=301,
        address="Jl. Pelabuhan 2",
    )
    for name, born in (
        ("Putu Ayu", dt.date(2010, 3, 1)),
        ("Kadek Dwi", dt.date(2013, 3, 1)),
        ("Komang Tri", dt.date(2016, 1, 10)),
        ("Ketut Catur", dt.date(2017, 3, 10)),
    ):
        birth_record(mother=sari.wife, full_name=name, sex=Sex.FEMALE, birth_date=born, actor=None)

    rahmawati = world.family_no_nik
    _house(rahmawati, HousingData(water_source="unprotected_well", latrine="none"))

    joko, dewi = _couple_family(
        RT_2,
        head=("Joko Susilo", dt.date(2000, 2, 1)),
        wife=("Dewi Lestari", dt.date(2008, 9, 15)),
        married_on=dt.date(2025, 3, 1),
        serial=311,
        address="Gang Pelita 7",
    )
    birth_record(
        mother=dewi.wife,
        full_name="Putri",
        sex=Sex.FEMALE,
        birth_date=dt.date(2026, 2, 10),
        actor=None,
    )
    _house(joko, HousingData(water_source="surface", latrine="none"))

    agus, _ = _couple_family(
        VILLAGE_2,
        head=("Agus Salim", dt.date(1999, 1, 1)),
        wife=("Rina Marlina", dt.date(2007, 8, 1)),
        married_on=dt.date(2025, 1, 1),
        serial=321,
    )
    _house(agus, DECENT)
    return Krs(
        sutrisno=sutrisno,
        wayan=wayan,
        rahmawati=rahmawati,
        joko=joko,
        agus=agus,
        lalu=world.other_family,
    )
