"""Facts for the recap: four couples in Kota Bangun Ilir with visits in May and June 2025 (and
Siti Aminah of the world in Kota Bangun Ulu), filled for June 2025 with the indicators' fill."""

from __future__ import annotations

import datetime as dt

import pytest

from kampungkb.contraception.models import Method
from kampungkb.contraception.services import visit_record
from kampungkb.families import services as families
from kampungkb.families.models import Couple, Relation, Sex
from kampungkb.families.services import PersonData
from kampungkb.indicators import fill as engine
from kampungkb.indicators.models import DirtyMark
from kampungkb.regions.models import Area
from kampungkb.testing.world import OTHER_VILLAGE, VILLAGE, VILLAGE_2, World

JUNE = dt.date(2025, 6, 1)


def couple(n: int, wife_born: dt.date) -> Couple:
    family = families.family_register(
        area=Area.objects.get(code=VILLAGE_2),
        kk_number=None,
        address="",
        head=PersonData(
            full_name=f"Suami {n}",
            sex=Sex.MALE,
            birth_date=dt.date(1980, 1, 1),
            relation_to_head=Relation.HEAD,
        ),
        actor=None,
    )
    wife = families.person_add(
        family=family,
        data=PersonData(
            full_name=f"Istri {n}",
            sex=Sex.FEMALE,
            birth_date=wife_born,
            relation_to_head=Relation.WIFE,
        ),
        actor=None,
    )
    return families.couple_register(
        wife=wife, husband=family.head, married_on=dt.date(2010, 1, 1), actor=None
    )


def visit(c: Couple, on: dt.date, method: str, quantity: int = 1) -> None:
    visit_record(
        couple=c,
        visited_on=on,
        method=Method.objects.get(code=method),
        kind="start",
        quantity=quantity,
        consent_recorded=True,
        actor=None,
    )


@pytest.fixture
def filled(world: World) -> None:
    a, b, c = (couple(n, dt.date(1990 + n, 1, 1)) for n in range(3))
    couple(3, dt.date(1994, 1, 1))  # a non-user
    visit(a, dt.date(2025, 5, 10), "SUNTIK3")
    visit(b, dt.date(2025, 6, 5), "IUD")
    visit(c, dt.date(2025, 6, 10), "KONDOM", quantity=30)
    DirtyMark.objects.all().delete()
    engine.marks_add([VILLAGE, VILLAGE_2, OTHER_VILLAGE], JUNE, JUNE)
    engine.fill()
