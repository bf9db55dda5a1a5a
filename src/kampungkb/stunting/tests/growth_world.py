"""Children under 5 of the shared world and their measurements, for the child-growth tests.

Kota Bangun Ulu RT 001 (Sutrisno and Siti Aminah): Bayu (boy, born 2025-01-15) measured in March
and twice in June 2026 (short: stunted), Ayu (girl, born 2023-03-01) measured in April (a length
typed wrong: HAZ implausible), May and June (normal).
Kota Bangun Ulu RT 002 (Rahmawati): Dimas (boy, born 2024-06-01) measured with oedema in May and
lying at 24 months in June (severely stunted, underweight).
Tumbuh Mulia (Lombok Timur, Lalu Ahmad and Baiq Nurul): Zaki (boy, born 2024-09-01) measured
standing at 21 months in June.
Nobody else in the world is under 5 on ``ON``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from kampungkb.families.models import Person, Relation, Sex
from kampungkb.families.services import PersonData, birth_record, person_add
from kampungkb.stunting.growth_services import measurement_record
from kampungkb.stunting.models import ChildMeasurement
from kampungkb.testing.world import World

ON = dt.date(2026, 6, 30)


@dataclass
class Kids:
    bayu: Person
    ayu: Person
    dimas: Person
    zaki: Person

    def measurement(self, child: Person, on: str) -> ChildMeasurement:
        return ChildMeasurement.objects.get(child=child, measured_on=dt.date.fromisoformat(on))


def measure(
    child: Person,
    on: str,
    weight: str,
    length: str,
    position: str,
    *,
    oedema: bool = False,
    place: str = "Posyandu Melati",
) -> ChildMeasurement:
    return measurement_record(
        child=child,
        measured_on=dt.date.fromisoformat(on),
        weight_kg=Decimal(weight),
        length_or_height_cm=Decimal(length),
        position=position,
        oedema=oedema,
        place=place,
        actor=None,
    )


@pytest.fixture(name="kids")
def kids_fixture(world: World) -> Kids:
    siti = Person.objects.get(full_name="Siti Aminah")
    baiq = Person.objects.get(full_name="Baiq Nurul")
    bayu = birth_record(
        mother=siti, full_name="Bayu", sex=Sex.MALE, birth_date=dt.date(2025, 1, 15), actor=None
    )
    ayu = birth_record(
        mother=siti, full_name="Ayu", sex=Sex.FEMALE, birth_date=dt.date(2023, 3, 1), actor=None
    )
    dimas = person_add(
        family=world.family_no_nik,
        data=PersonData(
            full_name="Dimas",
            sex=Sex.MALE,
            birth_date=dt.date(2024, 6, 1),
            relation_to_head=Relation.GRANDCHILD,
        ),
        actor=None,
    )
    zaki = birth_record(
        mother=baiq, full_name="Zaki", sex=Sex.MALE, birth_date=dt.date(2024, 9, 1), actor=None
    )
    measure(bayu, "2026-03-10", "8.20", "70.0", "lying")
    measure(bayu, "2026-06-05", "8.60", "72.0", "lying")
    measure(bayu, "2026-06-20", "8.70", "72.5", "lying")
    measure(ayu, "2026-04-10", "13.50", "70.0", "standing")
    measure(ayu, "2026-05-15", "13.80", "94.5", "standing")
    measure(ayu, "2026-06-12", "14.00", "95.0", "standing")
    measure(dimas, "2026-05-20", "9.40", "79.0", "lying", oedema=True)
    measure(dimas, "2026-06-03", "9.00", "80.0", "lying")
    measure(zaki, "2026-06-10", "10.00", "78.0", "standing", place="Posyandu Mawar")
    return Kids(bayu=bayu, ayu=ayu, dimas=dimas, zaki=zaki)
