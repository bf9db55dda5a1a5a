"""Brides-to-be of the demo: unmarried young women of the demo register with a groom from the
register, a wedding one to five months ahead, most registered in time, and one or two screenings;
about one in five under 19 at the wedding, some with a low upper-arm circumference or anaemia.
Drawn from its own stream, ``random.Random(f"{seed}:brides")``, so the rest of the demo stays as
it was. Written in bulk (the demo writes no audit events for them); ``brides_reset`` removes
them with the persons."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from decimal import Decimal

from django.db.models import QuerySet

from kampungkb.families.models import MaritalStatus, Person, Sex
from kampungkb.families.selectors import years_before
from kampungkb.stunting.models import BrideScreening, BrideToBe

PER_VILLAGE = 3
MAX_BRIDES = 60


def _single(
    family_ids: Sequence[int], sex: str, today: dt.date, youngest: int, oldest: int
) -> QuerySet[Person]:
    ids = set(family_ids)
    return (
        Person.objects.filter(
            family_id__gte=min(ids),
            family_id__lte=max(ids),
            sex=sex,
            marital_status=MaritalStatus.SINGLE,
            died_on__isnull=True,
            birth_date__lte=years_before(today, youngest),
            birth_date__gt=years_before(today, oldest + 1),
        )
        .select_related("family")
        .order_by("pk")
    )


def brides_seed(*, seed: int, today: dt.date, family_ids: Sequence[int]) -> int:
    """Register the demo's brides-to-be; the brides written."""
    rng = random.Random(f"{seed}:brides")
    if not family_ids:
        return 0
    by_village: dict[str, list[Person]] = {}
    for woman in _single(family_ids, Sex.FEMALE, today, 17, 26):
        by_village.setdefault(woman.family.area_id[:13], []).append(woman)
    men = list(_single(family_ids, Sex.MALE, today, 18, 32))
    brides: list[BrideToBe] = []
    for _village, women in sorted(by_village.items()):
        for woman in rng.sample(women, min(PER_VILLAGE, len(women))):
            if not men or len(brides) >= MAX_BRIDES:
                break
            groom = men.pop(rng.randrange(len(men)))
            wedding = today + dt.timedelta(days=rng.randint(30, 150))
            late = rng.random() < 0.25
            registered = max(
                today - dt.timedelta(days=rng.randint(0, 20)),
                wedding - dt.timedelta(days=rng.randint(20, 80) if late else rng.randint(95, 130)),
            )
            brides.append(
                BrideToBe(
                    area_id=woman.family.area_id,
                    person=woman,
                    full_name=woman.full_name,
                    nik=woman.nik or "",
                    birth_date=woman.birth_date,
                    groom_name=groom.full_name,
                    groom_birth_date=groom.birth_date,
                    wedding_on=wedding,
                    registered_on=min(registered, today),
                )
            )
    BrideToBe.objects.bulk_create(brides)
    screenings = []
    for bride in brides:
        for n in range(rng.choice((0, 1, 1, 2))):
            day = bride.registered_on + dt.timedelta(days=7 + 21 * n)
            if day > today:
                break
            height = Decimal(str(round(rng.gauss(152, 5), 1)))
            weight = Decimal(str(round(rng.gauss(48, 6), 1)))
            screenings.append(
                BrideScreening(
                    bride=bride,
                    screened_on=day,
                    weight_kg=weight,
                    height_cm=height,
                    lila_cm=Decimal(str(round(rng.gauss(24.5, 1.6), 1))),
                    hb_g_dl=Decimal(str(round(rng.gauss(11.8, 1.1), 1))),
                    smokes=rng.random() < 0.03,
                )
            )
    BrideScreening.objects.bulk_create(screenings)
    return len(brides)


def brides_reset(persons: QuerySet[Person]) -> int:
    """Remove the brides-to-be of the demo's persons (with their screenings)."""
    return BrideToBe.objects.filter(person__in=persons).delete()[0]
