"""Refused follow-ups with barriers, on fixed days of 2025 (and one today), in the world.

Kota Bangun Ulu RT 001, Sutrisno and Siti Aminah (world):
- 2024-12-20 side effects (before the months the tests ask for)
- 2025-03-10 religious belief, 2025-04-10 religious belief, 2025-05-10 husband objects
- 2025-06-10 visited (no barrier)
- 2025-09-01 cost (after the months the tests ask for)
- today: no information (counted only in the default months)
Kota Bangun Ilir, Agus Salim and Rina Marlina:
- 2025-05-15 religious belief, 2025-07-01 'many children, many blessings'
Tumbuh Mulia (Lombok Timur), Lalu Ahmad and Baiq Nurul (world):
- 2025-05-01 religious belief, 2025-05-02 husband objects

From 2025-01 to 2025-08 that makes, in Kota Bangun (and Kutai Kartanegara): religious belief 3,
husband objects 1, many children 1 (5 in all); Kota Bangun Ulu 3; Kota Bangun Ilir 2; Lombok
Timur 2.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from kampungkb.contraception.services import followup_record
from kampungkb.families.models import Couple, Relation, Sex
from kampungkb.families.services import couple_register, family_register, person_add
from kampungkb.regions.models import Area
from kampungkb.testing.world import VILLAGE_2, World, person

FIRST = "2025-01"
LAST = "2025-08"


def _refused(couple: Couple, day: dt.date, barrier: str) -> None:
    followup_record(
        couple=couple, episode=None, done_on=day, outcome="refused", barrier=barrier, actor=None
    )


@pytest.fixture
def barriers(world: World) -> None:
    sutrisno = Couple.objects.get(wife__family=world.family)
    lalu = Couple.objects.get(wife__family=world.other_family)
    family = family_register(
        area=Area.objects.get(code=VILLAGE_2),
        kk_number=None,
        address="Jl. Ilir",
        head=person("Agus Salim", Sex.MALE, dt.date(1990, 1, 5), Relation.HEAD, 41),
        actor=None,
    )
    wife = person_add(
        family=family,
        data=person("Rina Marlina", Sex.FEMALE, dt.date(1995, 4, 8), Relation.WIFE, 42),
        actor=None,
    )
    agus = couple_register(
        wife=wife, husband=family.head, married_on=dt.date(2014, 6, 1), actor=None
    )
    _refused(sutrisno, dt.date(2024, 12, 20), "side_effects")
    _refused(sutrisno, dt.date(2025, 3, 10), "religious_belief")
    _refused(sutrisno, dt.date(2025, 4, 10), "religious_belief")
    _refused(sutrisno, dt.date(2025, 5, 10), "husband_objects")
    followup_record(
        couple=sutrisno, episode=None, done_on=dt.date(2025, 6, 10), outcome="visited", actor=None
    )
    _refused(sutrisno, dt.date(2025, 9, 1), "cost")
    _refused(sutrisno, timezone.localdate(), "no_information")
    _refused(agus, dt.date(2025, 5, 15), "religious_belief")
    _refused(agus, dt.date(2025, 7, 1), "myth_many_children")
    _refused(lalu, dt.date(2025, 5, 1), "religious_belief")
    _refused(lalu, dt.date(2025, 5, 2), "husband_objects")
