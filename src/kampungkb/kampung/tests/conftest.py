"""A Kampung KB in Kota Bangun Ulu with June 2025's facts, two poktan (a BKR with Siti Aminah),
two management activities and one partner: the classification's inputs from every source."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from kampungkb.activities.models import Activity, ActivityPartner, Poktan, PoktanMember
from kampungkb.families.models import Person
from kampungkb.indicators.models import Fact
from kampungkb.kampung import services
from kampungkb.kampung.models import KampungKb
from kampungkb.kampung.services import KampungData, ProfileData
from kampungkb.partners.models import Partner
from kampungkb.regions.models import Area
from kampungkb.testing.world import KAB, RW, VILLAGE, World

JUNE = dt.date(2025, 6, 1)
MAY = dt.date(2025, 5, 1)
JULY = dt.date(2025, 7, 1)

FULL_PROFILE = ProfileData(
    pokja_exists=True,
    pokja_decree_number="SK 12/2024",
    pokja_decree_date=dt.date(2024, 2, 1),
    pokja_trained=True,
    pokja_members=10,
    supervisor_name="Bu Hartini",
    regulation_issued=True,
    funding_sources=["dana_desa", "apbd"],
    has_secretariat=True,
    data_sources=["family_data", "routine_fp", "civil_registry"],
    has_workplan=True,
    notes="Rapat bulanan di balai desa.",
)


def kampung_data(**changes: Any) -> KampungData:
    values: dict[str, Any] = {
        "name": "Kampung KB Mahakam Sejahtera",
        "declared_on": dt.date(2024, 1, 15),
        "person_in_charge": "Pak Darmawan",
        "person_in_charge_phone": "081234567890",
        "criteria": ["low_fp", "river_basin"],
        "model_flags": ["pilot"],
        **changes,
    }
    return KampungData(**values)


def add_fact(code: str, period: dt.date, numerator: str, denominator: str | None = None) -> None:
    Fact.objects.create(
        indicator=code,
        area_code=VILLAGE,
        level=4,
        period=period,
        numerator=Decimal(numerator),
        denominator=None if denominator is None else Decimal(denominator),
    )


def june_facts() -> None:
    """PUS 100, PA 60: CPR 60%, MKJP 15 of 60 = 25%, unmet need 8%."""
    add_fact("PUS", JUNE, "100")
    add_fact("PA", JUNE, "60")
    add_fact("CPR", JUNE, "60", "100")
    add_fact("MKJP", JUNE, "15", "60")
    add_fact("UNMET_NEED", JUNE, "8", "100")


def activity(kind: str, held_on: dt.date, area: str = VILLAGE, title: str = "") -> Activity:
    return Activity.objects.create(
        kind=kind,
        title=title or kind,
        held_on=held_on,
        area_id=area,
        family_function="reproduction",
        organiser="PKB Kota Bangun",
    )


@dataclass
class Setting:
    kampung: KampungKb
    partner: Partner
    bkr: Poktan


@pytest.fixture
def kampung(world: World) -> KampungKb:
    return services.kampung_register(
        village=Area.objects.get(code=VILLAGE), data=kampung_data(), actor=None
    )


@pytest.fixture
def setting(kampung: KampungKb) -> Setting:
    june_facts()
    Poktan.objects.create(kind="bkb", name="BKB Melati", area_id=RW)
    bkr = Poktan.objects.create(kind="bkr", name="BKR Anggrek", area_id=VILLAGE)
    # Established after June: not present in June.
    Poktan.objects.create(
        kind="bkl", name="BKL Mawar", area_id=VILLAGE, established_on=dt.date(2025, 8, 1)
    )
    PoktanMember.objects.create(
        poktan=bkr, person=Person.objects.get(full_name="Siti Aminah"), joined_on=JUNE
    )
    partner = Partner.objects.create(name="PKK Kota Bangun Ulu", kind="pkk", area_id=KAB)
    planning = activity("planning_meeting", dt.date(2025, 2, 10), title="Rapat perencanaan")
    ActivityPartner.objects.create(activity=planning, partner=partner)
    activity("monitoring", dt.date(2025, 6, 20), area=RW)
    # Not counted: not a management kind, another year, after June.
    activity("counselling", dt.date(2025, 6, 5))
    activity("socialisation", dt.date(2024, 12, 5))
    activity("reporting", dt.date(2025, 7, 2))
    return Setting(kampung=kampung, partner=partner, bkr=bkr)
