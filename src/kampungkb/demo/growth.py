"""Posyandu measurements of the demo's children under 5: one to six monthly weighings each, up to
the seed's day, following a plausible growth path.

Each child draws a length-for-age z-score from a normal around -1.2 (SD 1.05: about 22 % below
-2, as Indonesia's SSGI found 21.6 % stunted in 2022) and a weight-for-age z-score tied to it;
each month moves them a little, and the scale and the board add their own error. Length is taken
lying before 24 months and standing from then, with one measurement in twenty taken the other way
(the service's 0.7 cm correction then applies). Drawn from its own stream,
``random.Random(f"{seed}:growth")``, child after child in key order, so the rest of the demo stays
as it was. The rows are written in bulk with the z-scores the service would compute.
"""

from __future__ import annotations

import datetime as dt
import random
import zlib
from collections.abc import Sequence
from decimal import Decimal

from kampungkb.core.periods import add_months, month_start
from kampungkb.families.models import Person
from kampungkb.stunting import growth
from kampungkb.stunting.growth import Chart, Position
from kampungkb.stunting.growth_selectors import under_five_q
from kampungkb.stunting.models import ChildMeasurement

HAZ_MEAN, HAZ_SD = -1.2, 1.05
WRONG_POSITION = 0.05
OEDEMA = 0.005
PLACES = ("Posyandu Melati", "Posyandu Mawar", "Posyandu Anggrek", "Posyandu Kenanga")


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def _days(child: Person, today: dt.date, rng: random.Random) -> list[dt.date]:
    """One to six days, one a month, in the months up to ``today``, none before birth."""
    count = rng.randint(1, 6)
    days = []
    for back in range(count - 1, -1, -1):
        first = add_months(month_start(today), -back)
        day = first + dt.timedelta(days=rng.randint(4, 24))
        day = min(day, today)
        if day >= child.birth_date:
            days.append(day)
    return days


def _rows(child: Person, today: dt.date, place: str, rng: random.Random) -> list[ChildMeasurement]:
    haz = rng.gauss(HAZ_MEAN, HAZ_SD)
    waz = 0.7 * haz + rng.gauss(0.1, 0.6)
    rows = []
    for day in _days(child, today, rng):
        haz += rng.gauss(0, 0.08)
        waz += rng.gauss(0, 0.12)
        days = growth.age_in_days(child.birth_date, day)
        length = growth.value_at(Chart.LENGTH_FOR_AGE, child.sex, days, _clamp(haz, -4.5, 3))
        weight = growth.value_at(Chart.WEIGHT_FOR_AGE, child.sex, days, _clamp(waz, -4.5, 3))
        if length is None or weight is None:
            continue
        lying = days < growth.LENGTH_UNTIL_DAYS
        if rng.random() < WRONG_POSITION:
            lying = not lying
        position = Position.LYING if lying else Position.STANDING
        # What the board reads: the standard's length, less or more 0.7 cm when taken the other way.
        board = float(length) - float(growth.adjusted_length(Decimal(0), position, days))
        measured = Decimal(str(round(board + rng.gauss(0, 0.3), 1)))
        kg = Decimal(str(round(float(weight) + rng.gauss(0, 0.08), 2)))
        kg = max(kg, Decimal("0.5"))
        oedema = rng.random() < OEDEMA
        scores = growth.zscores(
            sex=child.sex,
            birth_date=child.birth_date,
            measured_on=day,
            weight_kg=kg,
            length_cm=measured,
            position=position,
            oedema=oedema,
        )
        rows.append(
            ChildMeasurement(
                child=child,
                measured_on=day,
                weight_kg=kg,
                length_or_height_cm=measured,
                position=position,
                oedema=oedema,
                place=place,
                age_days=scores.age_days,
                haz=scores.haz,
                waz=scores.waz,
                whz=scores.whz,
                haz_flagged=scores.haz_flagged,
                waz_flagged=scores.waz_flagged,
                whz_flagged=scores.whz_flagged,
            )
        )
    return rows


def growth_seed(*, seed: int, today: dt.date, family_ids: Sequence[int]) -> int:
    """Measure the children under 5 on ``today`` of the demo families; the rows written."""
    rng = random.Random(f"{seed}:growth")
    if not family_ids:
        return 0
    ids = set(family_ids)
    children = (
        Person.objects.filter(family_id__gte=min(ids), family_id__lte=max(ids))
        .filter(under_five_q(today))
        .select_related("family")
        .order_by("pk")
    )
    rows: list[ChildMeasurement] = []
    for child in children:
        if child.family_id not in ids:
            continue
        # One Posyandu per RW.
        place = PLACES[zlib.crc32(child.family.area_id.rsplit(".", 1)[0].encode()) % len(PLACES)]
        rows += _rows(child, today, place, rng)
    ChildMeasurement.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
