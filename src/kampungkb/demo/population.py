"""The synthetic population of the demo: families, persons, couples and pregnancies.

Pure Python: ``generate`` takes the villages, a seed and a reference date and returns plain rows
that point at each other by key (an index), not by database id. The same arguments give the same
rows, byte for byte: one ``random.Random(seed)`` draws everything, in a fixed order, and nothing
iterates a set or depends on the clock. ``services.demo_seed`` writes the rows.

The shape is that of a rural Indonesian kecamatan: a broad-based age pyramid, women marrying
mostly at 19-25 (about a tenth before 19), husbands 2-6 years older, 0-5 children 2-5 years apart,
three-generation households, widows, divorcees, people without a NIK, people registered in another
kecamatan who moved in. A later stage (contraceptive service history) works from
``Population.couples``: each couple carries the births of its marriage, and the population its
reference date. That stage should draw from its own stream (``random.Random(f"{seed}:history")``)
so that adding it leaves the population as it is. The families' houses (``housing.houses``) were
added that way: they draw from ``random.Random(f"{seed}:housing")``.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from kampungkb.demo.households import HouseholdBuilder
from kampungkb.demo.housing import houses
from kampungkb.demo.identity import IdentityBook
from kampungkb.demo.rows import (
    KECAMATAN,
    CoupleRow,
    FamilyRow,
    HouseRow,
    LocalArea,
    PersonRow,
    PregnancyRow,
    Village,
)
from kampungkb.families.models import PUS_MAX_AGE, PUS_MIN_AGE, age_on
from kampungkb.regions.models import Kind

__all__ = [
    "KECAMATAN",
    "CoupleRow",
    "FamilyRow",
    "HouseRow",
    "LocalArea",
    "PersonRow",
    "Population",
    "PregnancyRow",
    "Village",
    "generate",
]


@dataclass(frozen=True)
class Population:
    seed: int
    today: dt.date
    local_areas: tuple[LocalArea, ...]
    families: tuple[FamilyRow, ...]
    persons: tuple[PersonRow, ...]
    couples: tuple[CoupleRow, ...]
    pregnancies: tuple[PregnancyRow, ...]
    # One per family, indexed like ``families`` (``housing.houses``).
    houses: tuple[HouseRow, ...] = ()

    def is_pus(self, couple: CoupleRow, on: dt.date | None = None) -> bool:
        """Married on ``on`` (default: the reference date), wife alive and aged 15-49."""
        on = on or self.today
        wife = self.persons[couple.wife_key]
        married = couple.married_on <= on and (couple.ended_on is None or couple.ended_on > on)
        alive = wife.died_on is None or wife.died_on > on
        return married and alive and PUS_MIN_AGE <= age_on(wife.birth_date, on) <= PUS_MAX_AGE

    def pus(self, on: dt.date | None = None) -> list[CoupleRow]:
        return [c for c in self.couples if self.is_pus(c, on)]

    def ongoing_pregnancies(self) -> list[PregnancyRow]:
        return [p for p in self.pregnancies if p.ended_on is None]

    def village_codes(self) -> list[str]:
        return sorted({f.area_code[:13] for f in self.families})


def generate(
    *,
    villages: Sequence[Village],
    families: int,
    seed: int,
    today: dt.date,
    taken_niks: Collection[str] = (),
    taken_kks: Collection[str] = (),
    progress: Callable[[int], None] | None = None,
) -> Population:
    """``families`` families spread over ``villages`` (every village gets one before any gets
    two), each in an RT of a layout of 2-5 RW per village and 2-4 RT per RW. NIK and KK numbers
    in ``taken_*`` (already in the database) are not handed out again."""
    rng = random.Random(seed)
    villages = sorted(villages, key=lambda v: v.code)
    local_areas, rts = _layout(rng, villages)
    first_round = list(villages)
    rng.shuffle(first_round)
    spread = first_round[:families] + rng.choices(
        villages, weights=[len(rts[v.code]) for v in villages], k=max(0, families - len(villages))
    )
    spread.sort(key=lambda v: v.code)
    builder = HouseholdBuilder(rng, today, IdentityBook(taken_niks=taken_niks, taken_kks=taken_kks))
    for village in spread:
        builder.family(village, rng.choice(rts[village.code]))
        if progress:
            progress(1)
    return Population(
        seed=seed,
        today=today,
        local_areas=tuple(local_areas),
        families=tuple(builder.families),
        persons=tuple(builder.persons),
        couples=tuple(builder.couples),
        pregnancies=tuple(builder.pregnancies),
        houses=houses(
            families=builder.families,
            villages={v.code: v for v in villages},
            seed=seed,
            today=today,
        ),
    )


def _layout(
    rng: random.Random, villages: Sequence[Village]
) -> tuple[list[LocalArea], dict[str, list[str]]]:
    areas: list[LocalArea] = []
    rts: dict[str, list[str]] = {}
    for village in villages:
        rts[village.code] = []
        for rw in range(1, rng.randint(2, 5) + 1):
            rw_code = f"{village.code}.{rw:03d}"
            areas.append(LocalArea(rw_code, village.code, Kind.RW, rw))
            for rt in range(1, rng.randint(2, 4) + 1):
                rt_code = f"{rw_code}.{rt:03d}"
                areas.append(LocalArea(rt_code, rw_code, Kind.RT, rt))
                rts[village.code].append(rt_code)
    return areas, rts
