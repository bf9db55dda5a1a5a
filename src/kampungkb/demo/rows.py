"""The plain rows the demo generator returns. They point at each other by key (an index into
their list), not by database id; ``services`` turns keys into ids when it writes them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

# The three kecamatan of the demo, by code.
KECAMATAN: dict[str, str] = {
    "64.02.08": "Kota Bangun",
    "52.03.07": "Selong",
    "52.03.13": "Suralaga",
}


@dataclass(frozen=True, slots=True)
class Village:
    code: str
    name: str
    kind: str

    @property
    def kecamatan(self) -> str:
        return self.code[:8]


@dataclass(frozen=True, slots=True)
class LocalArea:
    """An RW under a village or an RT under an RW."""

    code: str
    parent_code: str
    kind: str
    number: int


@dataclass(frozen=True, slots=True)
class PersonRow:
    key: int
    family_key: int
    full_name: str
    sex: str
    birth_date: dt.date
    birth_place: str
    relation_to_head: str
    marital_status: str
    education: str
    occupation: str
    phone: str
    nik: str | None
    mother_key: int | None
    father_key: int | None
    died_on: dt.date | None = None


@dataclass(frozen=True, slots=True)
class FamilyRow:
    key: int
    area_code: str
    kk_number: str | None
    address: str
    head_key: int


@dataclass(frozen=True, slots=True)
class HouseRow:
    """The house of the family ``family_key`` (``Population.houses`` is indexed like
    ``Population.families``)."""

    family_key: int
    water_source: str
    latrine: str
    has_septic_tank: bool
    floor_area: Decimal
    floor_material: str
    wall_material: str
    roof_material: str
    recorded_on: dt.date


@dataclass(frozen=True, slots=True)
class CoupleRow:
    key: int
    wife_key: int
    husband_key: int | None
    married_on: dt.date
    status: str
    ended_on: dt.date | None
    fertility_intention: str
    intention_recorded_on: dt.date | None
    # Every birth of this marriage up to the reference date, also of children who left home.
    births: tuple[dt.date, ...]


@dataclass(frozen=True, slots=True)
class PregnancyRow:
    key: int
    couple_key: int
    recorded_on: dt.date
    expected_on: dt.date
    ended_on: dt.date | None
    outcome: str
