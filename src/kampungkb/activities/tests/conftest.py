"""Fixtures of the activities tests: partners of the two kabupaten, persons of the world, a
recorded activity, and photos written to a temporary media folder."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings
from PIL import Image

from kampungkb.activities import services
from kampungkb.activities.models import Activity, ActivityKind, FamilyFunction, Poktan
from kampungkb.activities.services import ActivityData
from kampungkb.families.models import Person
from kampungkb.partners.models import Partner, PartnerKind, PartnerMembership
from kampungkb.testing.world import KAB, OTHER_KAB, OTHER_VILLAGE, RT, VILLAGE, VILLAGE_2, World

HELD_ON = dt.date(2025, 3, 10)


@pytest.fixture(autouse=True)
def media(tmp_path: Path) -> Iterator[Path]:
    with override_settings(MEDIA_ROOT=tmp_path / "media"):
        yield tmp_path / "media"


def png(size: tuple[int, int] = (8, 8), image_format: str = "PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (1, 127, 192)).save(out, format=image_format)
    return out.getvalue()


def person(name: str) -> Person:
    return Person.objects.get(full_name=name)


@pytest.fixture
def partner(world: World) -> Partner:
    """Muslimat NW, registered by the Kutai Kartanegara office."""
    return Partner.objects.create(
        name="Muslimat NW", kind=PartnerKind.RELIGIOUS, area=world.area(KAB)
    )


@pytest.fixture
def other_partner(world: World) -> Partner:
    """Rumah Kreatif BUMN, registered in Lombok Timur and serving only there."""
    other = Partner.objects.create(
        name="Rumah Kreatif BUMN", kind=PartnerKind.STATE_COMPANY, area=world.area(OTHER_KAB)
    )
    other.areas_served.add(world.area(OTHER_VILLAGE))
    return other


@pytest.fixture
def partner_user(world: World, partner: Partner) -> Any:
    """The world's partner user speaks for Muslimat NW."""
    user = world.user("partner")
    PartnerMembership.objects.create(user=user, partner=partner)
    return user


def activity_data(**fields: Any) -> ActivityData:
    values: dict[str, Any] = {
        "kind": ActivityKind.COUNSELLING,
        "title": "Penyuluhan KB pria",
        "held_on": HELD_ON,
        "family_function": FamilyFunction.REPRODUCTION,
        "organiser": "PKB Kota Bangun",
        "place": "Balai desa",
        "target_groups": ["men", "pus"],
    }
    values.update(fields)
    return ActivityData(**values)


@pytest.fixture
def activity(world: World) -> Activity:
    """A counselling session in Kota Bangun Ulu, recorded by the cadre."""
    return services.activity_create(
        data=activity_data(area=world.area(VILLAGE)), actor=world.user("cadre")
    )


@pytest.fixture
def activity_2(world: World) -> Activity:
    """A men's forum in Kota Bangun Ilir (the PKB's second village)."""
    return services.activity_create(
        data=activity_data(
            kind=ActivityKind.MENS_FORUM,
            title="Forum bapak",
            area=world.area(VILLAGE_2),
            held_on=dt.date(2025, 4, 2),
        ),
        actor=None,
    )


@pytest.fixture
def other_activity(world: World) -> Activity:
    return services.activity_create(
        data=activity_data(title="Penyuluhan Tumbuh Mulia", area=world.area(OTHER_VILLAGE)),
        actor=None,
    )


@pytest.fixture
def poktan(world: World) -> Poktan:
    return services.poktan_create(kind="bkb", name="BKB Melati", area=world.area(RT), actor=None)
