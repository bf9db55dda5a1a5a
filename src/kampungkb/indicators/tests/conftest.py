"""A small village built with the services, whose June 2025 figures are worked out by hand in
``test_fill.py``. All dates are in the past, so the figures do not depend on today."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from kampungkb.contraception.models import Method
from kampungkb.contraception.services import visit_record
from kampungkb.families import services as families
from kampungkb.families.models import Couple, Relation, Sex
from kampungkb.families.services import PersonData
from kampungkb.regions.models import Area
from kampungkb.testing.world import VILLAGE_2, World

D = dt.date
LONG_MARRIED = D(2010, 1, 1)
_serial = itertools.count(1)


def couple(
    wife_born: dt.date,
    *,
    married: dt.date = LONG_MARRIED,
    intention: str = "",
    area: str = VILLAGE_2,
) -> Couple:
    n = next(_serial)
    family = families.family_register(
        area=Area.objects.get(code=area),
        kk_number=None,
        address="",
        head=PersonData(
            full_name=f"Suami {n}",
            sex=Sex.MALE,
            birth_date=D(1980, 1, 1),
            relation_to_head=Relation.HEAD,
        ),
        actor=None,
    )
    wife = families.person_add(
        family=family,
        data=PersonData(
            full_name=f"Istri {n}", sex=Sex.FEMALE, birth_date=wife_born, relation_to_head="wife"
        ),
        actor=None,
    )
    made = families.couple_register(wife=wife, husband=family.head, married_on=married, actor=None)
    if intention:
        made = families.fertility_intention_record(
            couple=made, intention=intention, on=max(married, D(2025, 1, 1)), actor=None
        )
    return made


def visit(c: Couple, on: dt.date, method: str, kind: str = "start", quantity: int = 1) -> None:
    visit_record(
        couple=c,
        visited_on=on,
        method=Method.objects.get(code=method),
        kind=kind,
        quantity=quantity,
        consent_recorded=True,
        actor=None,
    )


@pytest.fixture
def village(world: World) -> dict[str, Couple]:
    """Fourteen couples in Kota Bangun Ilir (VILLAGE_2), each showing one rule."""
    c = {
        "A": couple(D(1995, 1, 1)),  # injectable since May: active
        "B": couple(D(1990, 1, 1)),  # IUD in June: new user, MKJP
        "C": couple(D(1988, 1, 1)),  # 30 condoms in June: new user, male participation
        "D": couple(D(1993, 1, 1), intention="delay"),  # non-user, IAT
        "E": couple(D(1991, 1, 1), intention="no_more"),  # pill in February, drop-out in June
        "F": couple(D(1996, 1, 1), intention="soon"),  # pregnant since March
        "G": couple(D(1987, 1, 1)),  # birth in May, injectable in June: KBPP
        "H": couple(D(2006, 3, 1), married=D(2025, 3, 1), intention="soon"),  # wife 19
        "I": couple(D(1989, 1, 1)),  # divorced in April: not a PUS
        "J": couple(D(1975, 1, 1)),  # wife 50 in January: not a PUS
        "K": couple(D(1994, 1, 1)),  # non-user, intention unknown
        "L": couple(D(1985, 1, 1)),  # vasectomy in June
        "M": couple(D(1992, 1, 1)),  # traditional method since January
        "N": couple(D(1992, 6, 1)),  # monthly injectable, switched to implant in June
    }
    visit(c["A"], D(2025, 5, 10), "SUNTIK3")
    visit(c["B"], D(2025, 6, 5), "IUD")
    visit(c["C"], D(2025, 6, 10), "KONDOM", quantity=30)
    visit(c["E"], D(2025, 2, 10), "PIL")
    families.pregnancy_record(
        couple=c["F"], recorded_on=D(2025, 3, 1), expected_on=None, actor=None
    )
    families.pregnancy_record(
        couple=c["G"], recorded_on=D(2024, 10, 1), expected_on=None, actor=None
    )
    families.birth_record(
        mother=c["G"].wife,
        full_name="Bayi G",
        sex=Sex.FEMALE,
        birth_date=D(2025, 5, 20),
        actor=None,
    )
    visit(c["G"], D(2025, 6, 15), "SUNTIK3")
    families.couple_divorce(couple=c["I"], on=D(2025, 4, 10), actor=None)
    visit(c["L"], D(2025, 6, 20), "MOP")
    visit(c["M"], D(2025, 1, 10), "TRAD")
    visit(c["N"], D(2025, 4, 1), "SUNTIK1")
    visit(c["N"], D(2025, 4, 25), "SUNTIK1", kind="repeat")
    visit(c["N"], D(2025, 6, 12), "IMPLAN3", kind="switch")
    return c
