"""The house of each demo family: drinking water, latrine and septic tank, floor area and
materials, as the family data collection (PK) records them for the stunting-risk screening.

Drawn from its own stream, ``random.Random(f"{seed}:housing")``, one family after another in key
order, so that adding houses left the rest of the population as it was. The shares are plausible
for the two kabupaten, not estimates: Kota Bangun lies on the Mahakam and its lakes, where many
drink river or rain water and live in wooden houses on stilts; the Sasak villages of Lombok Timur
drink from wells, springs and the PDAM, and build in brick under clay tiles. A kelurahan is a small
town: more of its families have piped or bottled water.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping, Sequence
from decimal import Decimal

from kampungkb.demo import traits
from kampungkb.demo.rows import FamilyRow, HouseRow, Village
from kampungkb.families.models import (
    DECENT_WATER_SOURCES,
    FloorMaterial,
    Latrine,
    RoofMaterial,
    WallMaterial,
    WaterSource,
)
from kampungkb.regions.models import Kind

Table = tuple[tuple[str, float], ...]

# By kabupaten: (water, floor, walls, roof).
_WATER: dict[str, Table] = {
    "64.02": (
        (WaterSource.PIPED, 0.28),
        (WaterSource.BOTTLED, 0.22),
        (WaterSource.BOREHOLE, 0.08),
        (WaterSource.PROTECTED_WELL, 0.07),
        (WaterSource.RAIN, 0.08),
        (WaterSource.UNPROTECTED_WELL, 0.07),
        (WaterSource.SURFACE, 0.20),
    ),
    "52.03": (
        (WaterSource.PIPED, 0.30),
        (WaterSource.BOTTLED, 0.15),
        (WaterSource.BOREHOLE, 0.10),
        (WaterSource.PROTECTED_WELL, 0.25),
        (WaterSource.PROTECTED_SPRING, 0.08),
        (WaterSource.UNPROTECTED_WELL, 0.08),
        (WaterSource.UNPROTECTED_SPRING, 0.02),
        (WaterSource.SURFACE, 0.02),
    ),
}
_FLOOR: dict[str, Table] = {
    "64.02": (
        (FloorMaterial.WOOD, 0.55),
        (FloorMaterial.CEMENT, 0.22),
        (FloorMaterial.CERAMIC, 0.18),
        (FloorMaterial.EARTH, 0.05),
    ),
    "52.03": (
        (FloorMaterial.CEMENT, 0.45),
        (FloorMaterial.CERAMIC, 0.35),
        (FloorMaterial.EARTH, 0.15),
        (FloorMaterial.OTHER, 0.05),
    ),
}
_WALLS: dict[str, Table] = {
    "64.02": (
        (WallMaterial.WOOD, 0.65),
        (WallMaterial.MASONRY, 0.30),
        (WallMaterial.BAMBOO, 0.05),
    ),
    "52.03": (
        (WallMaterial.MASONRY, 0.80),
        (WallMaterial.BAMBOO, 0.15),
        (WallMaterial.WOOD, 0.05),
    ),
}
_ROOF: dict[str, Table] = {
    "64.02": (
        (RoofMaterial.METAL, 0.70),
        (RoofMaterial.ASBESTOS, 0.10),
        (RoofMaterial.TILE, 0.05),
        (RoofMaterial.OTHER, 0.15),  # ironwood shingles (sirap)
    ),
    "52.03": (
        (RoofMaterial.TILE, 0.55),
        (RoofMaterial.METAL, 0.25),
        (RoofMaterial.ASBESTOS, 0.12),
        (RoofMaterial.THATCH, 0.08),
    ),
}
_LATRINE: Table = (
    (Latrine.OWN, 0.80),
    (Latrine.SHARED, 0.09),
    (Latrine.PUBLIC, 0.04),
    (Latrine.NONE, 0.07),
)
# Of the families with a latrine, the share whose latrine drains into a septic tank.
_SEPTIC_TANK: dict[str, float] = {Latrine.OWN: 0.85, Latrine.SHARED: 0.6, Latrine.PUBLIC: 0.7}
# In a kelurahan, the share of the families drawn without decent water who have it piped instead.
_TOWN_PIPED = 0.5
# Floor area in m²: most houses are small (a mode of about 42 m²), a few large.
FLOOR_AREA_MIN, FLOOR_AREA_MODE, FLOOR_AREA_MAX = 24, 42, 120
# The house was recorded at a family data collection visit within the last two years.
RECORDED_WITHIN_DAYS = 730


def houses(
    *,
    families: Sequence[FamilyRow],
    villages: Mapping[str, Village],
    seed: int,
    today: dt.date,
) -> tuple[HouseRow, ...]:
    """One house per family, in the order of ``families``; ``villages`` by code."""
    rng = random.Random(f"{seed}:housing")
    # A family lives in an RT: its village is the RT's code without RW and RT.
    return tuple(
        _house(rng, family, villages[family.area_code.rsplit(".", 2)[0]], today)
        for family in families
    )


def _house(rng: random.Random, family: FamilyRow, village: Village, today: dt.date) -> HouseRow:
    kabupaten = village.code[:5]
    water = traits.pick(rng, _WATER[kabupaten])
    if (
        village.kind == Kind.KELURAHAN
        and water not in DECENT_WATER_SOURCES
        and rng.random() < _TOWN_PIPED
    ):
        water = WaterSource.PIPED
    latrine = traits.pick(rng, _LATRINE)
    septic_tank = latrine != Latrine.NONE and rng.random() < _SEPTIC_TANK[latrine]
    area = round(rng.triangular(FLOOR_AREA_MIN, FLOOR_AREA_MAX, FLOOR_AREA_MODE))
    return HouseRow(
        family_key=family.key,
        water_source=water,
        latrine=latrine,
        has_septic_tank=septic_tank,
        floor_area=Decimal(area),
        floor_material=traits.pick(rng, _FLOOR[kabupaten]),
        wall_material=traits.pick(rng, _WALLS[kabupaten]),
        roof_material=traits.pick(rng, _ROOF[kabupaten]),
        recorded_on=today - dt.timedelta(days=rng.randint(0, RECORDED_WITHIN_DAYS)),
    )
