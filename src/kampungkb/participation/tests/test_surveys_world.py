"""The survey tests' world, on top of the shared one, and the default instrument.

PUS couples (wife 15-49 and married on 2025-06-01), besides the world's Sutrisno & Siti Aminah
(Kota Bangun Ulu RT 001):
- Kota Bangun Ulu RT 001: Dewi 1 .. Dewi 4 (born 1990-1993) with their husbands
- Kota Bangun Ulu RT 002: Dewi 5 (born 1994)
- Kota Bangun Ilir: Dewi 6, Dewi 7
- Kota Bangun Ulu RT 002: Bu Tua, born 1970 (aged 55 on the day: not a PUS)
So on 2025-06-01 Kota Bangun Ulu has 6 PUS, Kota Bangun Ilir 2, Kota Bangun 8.

The instrument "Uji" (a test instrument) has 7 items: i1, i2, i3 (interest; i3 reverse),
a1, a2 (activeness), c1 (contribution), b1 (religious belief).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib import import_module

import pytest

from kampungkb.families.models import Couple, Relation, Sex
from kampungkb.families.services import couple_register, family_register, person_add
from kampungkb.participation.models import Instrument, Item, Survey
from kampungkb.participation.surveys_services import survey_create
from kampungkb.regions.models import Area
from kampungkb.testing.world import RT, RT_2, VILLAGE, VILLAGE_2, person

DAY = dt.date(2025, 6, 1)
MONTH = dt.date(2025, 6, 1)

# code, dimension, barrier, reverse
UJI_ITEMS = [
    ("i1", "interest", "", False),
    ("i2", "interest", "", False),
    ("i3", "interest", "", True),
    ("a1", "activeness", "", False),
    ("a2", "activeness", "", False),
    ("c1", "contribution", "", False),
    ("b1", "", "religious_belief", False),
]


def load_default_instrument() -> Instrument:
    migration = import_module("kampungkb.participation.migrations.0002_default_instrument")
    return migration.load_default(Instrument, Item)


def _couple(area: str, wife: str, born: dt.date, serial: int) -> Couple:
    family = family_register(
        area=Area.objects.get(code=area),
        kk_number=None,
        address="Jl. Uji",
        head=person(f"Suami {wife}", Sex.MALE, dt.date(1985, 1, 1), Relation.HEAD, serial),
        actor=None,
    )
    woman = person_add(
        family=family,
        data=person(wife, Sex.FEMALE, born, Relation.WIFE, serial + 1),
        actor=None,
    )
    return couple_register(
        wife=woman, husband=family.head, married_on=dt.date(2010, 1, 1), actor=None
    )


@dataclass
class SurveyWorld:
    instrument: Instrument
    couples: list[Couple]


@pytest.fixture(name="survey_world")
def survey_world_fixture(world) -> SurveyWorld:
    couples = [_couple(RT, f"Dewi {i}", dt.date(1989 + i, 3, 1), 100 + 2 * i) for i in range(1, 5)]
    couples.append(_couple(RT_2, "Dewi 5", dt.date(1994, 3, 1), 120))
    couples.append(_couple(VILLAGE_2, "Dewi 6", dt.date(1995, 3, 1), 130))
    couples.append(_couple(VILLAGE_2, "Dewi 7", dt.date(1996, 3, 1), 140))
    _couple(RT_2, "Bu Tua", dt.date(1970, 3, 1), 150)
    instrument = Instrument.objects.create(name="Uji", version=1)
    for order, (code, dimension, barrier, reverse) in enumerate(UJI_ITEMS, 1):
        Item.objects.create(
            instrument=instrument,
            order=order,
            code=code,
            text=f"Pernyataan {code}",
            dimension=dimension,
            barrier=barrier,
            reverse=reverse,
        )
    return SurveyWorld(instrument=instrument, couples=couples)


def draw(world: SurveyWorld, size: int = 6, area: str = VILLAGE, seed: int = 7) -> Survey:
    return survey_create(
        instrument=world.instrument,
        area=Area.objects.get(code=area),
        month=MONTH,
        sample_size=size,
        seed=seed,
        drawn_on=DAY,
        actor=None,
    )


def test_the_default_instrument_ships_in_bahasa_indonesia(db) -> None:
    instrument = load_default_instrument()
    assert instrument.is_default
    items = list(instrument.items.order_by("order"))
    for dimension in ("interest", "activeness", "contribution"):
        mine = [i for i in items if i.dimension == dimension]
        assert 4 <= len(mine) <= 6
        assert any(i.reverse for i in mine)
    barriers = [i.barrier for i in items if i.barrier]
    assert barriers == [
        "religious_belief",
        "myth_many_children",
        "side_effects",
        "husband_objects",
        "wants_more_children",
        "access",
        "cost",
        "no_information",
        "lack_of_knowledge",
        "no_incentive",
        "family_no_support",
    ]
    by_code = {i.code: i.text for i in items}
    assert by_code["h_agama"] == "Menurut agama saya, KB itu dilarang."
    assert by_code["h_rejeki"] == "Banyak anak banyak rejeki."
    assert all(i.text_en for i in items)
    assert load_default_instrument().pk == instrument.pk  # loading again adds nothing


def test_the_frame_counts_the_pus_of_the_world(survey_world) -> None:
    from kampungkb.participation.surveys_services import sampling_frame

    village = Area.objects.get(code=VILLAGE)
    kec = Area.objects.get(code=village.parent_id)
    assert len(sampling_frame(area=village, on=DAY, draw="wife")) == 6
    assert len(sampling_frame(area=kec, on=DAY, draw="wife")) == 8
    assert len(sampling_frame(area=kec, on=DAY, draw="husband")) == 8
