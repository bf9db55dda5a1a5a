"""Who sees which partner and MoU, for every role of the world; MoU status and alert bands."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404

from kampungkb.partners import selectors, services
from kampungkb.partners.selectors import AlertBand, MouStatus, alert_band, mou_status
from kampungkb.partners.tests.factories import make_mou, make_partner, mou_data
from kampungkb.testing.world import KAB, KEC, OTHER_KAB, OTHER_VILLAGE, VILLAGE, VILLAGE_2, World

pytestmark = pytest.mark.django_db


@pytest.fixture
def partners(world: World) -> dict[str, int]:
    """Kukar (registered at the kabupaten), Ilir (registered in Kota Bangun Ilir), Lotim
    (registered in Lombok Timur, serving Kota Bangun Ulu), Regional (Lombok Timur, serving the
    whole of Kutai Kartanegara), Lotim only."""
    return {
        "kukar": make_partner("Kukar").pk,
        "ilir": make_partner("Ilir", area=VILLAGE_2).pk,
        "lotim": make_partner("Lotim", area=OTHER_KAB, served=[VILLAGE]).pk,
        "regional": make_partner("Regional", area=OTHER_KAB, served=[KAB]).pk,
        "lotim_only": make_partner("Lotim only", area=OTHER_KAB, served=[OTHER_VILLAGE]).pk,
    }


EXPECTED = {
    "admin": ["Ilir", "Kukar", "Lotim", "Lotim only", "Regional"],
    "viewer": ["Ilir", "Kukar", "Lotim", "Lotim only", "Regional"],
    "district": ["Ilir", "Kukar", "Lotim", "Regional"],
    # PKB of Kota Bangun Ulu and Ilir: a partner registered at the kabupaten is not theirs, but one
    # serving their village or the whole kabupaten is.
    "pkb": ["Ilir", "Lotim", "Regional"],
    "cadre": ["Lotim", "Regional"],
    "cadre_rt": ["Lotim", "Regional"],
    # A partner-role user not linked to a partner sees none.
    "partner": [],
    "other_district": ["Lotim", "Lotim only", "Regional"],
    "other_cadre": ["Lotim only"],
}


@pytest.mark.parametrize("username", list(EXPECTED))
def test_partners_visible_by_registering_area_or_areas_served(
    world: World, partners: dict[str, int], username: str
) -> None:
    names = list(selectors.partner_list(user=world.user(username)).values_list("name", flat=True))
    assert names == EXPECTED[username]


def test_a_linked_partner_user_sees_only_its_partner_and_its_mous(
    world: World, partners: dict[str, int]
) -> None:
    kukar = selectors.partner_get(user=world.user("admin"), pk=partners["kukar"])
    own = make_mou(kukar, "OWN", area=OTHER_KAB)
    make_mou(selectors.partner_get(user=None or world.user("admin"), pk=partners["ilir"]), "ILIR")
    services.partner_user_link(partner=kukar, user=world.user("partner"), actor=None)
    user = world.user("partner")
    assert list(selectors.partner_list(user=user).values_list("name", flat=True)) == ["Kukar"]
    assert list(selectors.mou_list(user=user, today=dt.date(2025, 6, 1))) == [own]
    with pytest.raises(Http404):
        selectors.partner_get(user=user, pk=partners["ilir"])


def test_partner_list_filters_by_type_area_and_active(
    world: World, partners: dict[str, int]
) -> None:
    admin = world.user("admin")
    services.partner_deactivate(
        partner=selectors.partner_get(user=admin, pk=partners["ilir"]), actor=None
    )
    names = lambda **kw: list(  # noqa: E731
        selectors.partner_list(user=admin, **kw).values_list("name", flat=True)
    )
    # Registered in or serving within the kecamatan (Regional serves the whole kabupaten).
    assert names(area_code=KEC) == ["Lotim"]
    assert names(area_code=VILLAGE) == ["Lotim"]
    assert names(active=False) == ["Ilir"]
    assert names(active=None, area_code=VILLAGE_2) == ["Ilir"]
    assert names(kind="religious") == []


def test_contacts_only_for_roles_that_see_named_persons(
    world: World, partners: dict[str, int]
) -> None:
    admin = world.user("admin")
    kukar = selectors.partner_get(user=admin, pk=partners["kukar"])
    assert selectors.can_see_contacts(world.user("district"), kukar)
    assert not selectors.can_see_contacts(world.user("viewer"), kukar)
    assert not selectors.can_see_contacts(world.user("partner"), kukar)
    assert not selectors.can_see_contacts(world.user("pkb"), kukar)


@pytest.mark.parametrize(
    "username", ["admin", "district", "pkb", "cadre", "viewer", "other_district", "partner"]
)
def test_mous_visible_by_their_area(world: World, username: str) -> None:
    partner = make_partner("Kukar", served=[VILLAGE])
    make_mou(partner, "KAB", area=KAB)
    make_mou(partner, "VIL", area=VILLAGE)
    expected = {
        "admin": ["KAB", "VIL"],
        "district": ["KAB", "VIL"],
        "pkb": ["VIL"],
        "cadre": ["VIL"],
        "viewer": ["KAB", "VIL"],
        "other_district": [],
        "partner": [],
    }[username]
    found = selectors.mou_list(user=world.user(username), today=dt.date(2025, 6, 1))
    assert sorted(m.number for m in found) == expected


def test_mou_status_through_its_life(world: World) -> None:
    mou = make_mou(
        make_partner(), valid_from=dt.date(2025, 1, 1), valid_until=dt.date(2025, 12, 31)
    )
    assert mou_status(mou, dt.date(2024, 12, 1)) == MouStatus.UPCOMING
    assert mou_status(mou, dt.date(2025, 6, 1)) == MouStatus.IN_FORCE
    assert mou_status(mou, dt.date(2025, 10, 31)) == MouStatus.IN_FORCE
    assert mou_status(mou, dt.date(2025, 11, 1)) == MouStatus.EXPIRING
    assert mou_status(mou, dt.date(2025, 12, 31)) == MouStatus.EXPIRING
    assert mou_status(mou, dt.date(2026, 1, 1)) == MouStatus.EXPIRED
    services.mou_renew(mou=mou, data=mou_data("002", valid_until=dt.date(2026, 12, 31)), actor=None)
    assert mou_status(mou, dt.date(2025, 6, 1)) == MouStatus.RENEWED


@pytest.mark.parametrize("status", ["in_force", "upcoming", "expiring", "expired", "renewed"])
def test_mou_list_filters_by_status_as_mou_status_computes_it(world: World, status: str) -> None:
    partner = make_partner()
    old = make_mou(partner, "OLD", valid_until=dt.date(2025, 3, 31))
    services.mou_renew(mou=old, data=mou_data("NEW", valid_until=dt.date(2026, 12, 31)), actor=None)
    make_mou(partner, "EXP", valid_until=dt.date(2025, 5, 1))
    make_mou(partner, "SOON", valid_until=dt.date(2025, 7, 15))
    make_mou(partner, "LATER", valid_from=dt.date(2025, 7, 1), valid_until=dt.date(2027, 1, 1))
    today = dt.date(2025, 6, 1)
    admin = world.user("admin")
    found = list(selectors.mou_list(user=admin, today=today, status=status))
    assert found
    assert {mou_status(m, today) for m in found} == {status}
    every = list(selectors.mou_list(user=admin, today=today))
    assert sum(mou_status(m, today) == status for m in every) == len(found)


def test_alert_bands() -> None:
    until = dt.date(2025, 12, 31)
    assert alert_band(until, dt.date(2025, 10, 31)) is None  # 61 days
    assert alert_band(until, dt.date(2025, 11, 1)) == AlertBand.DAYS_60
    assert alert_band(until, dt.date(2025, 11, 30)) == AlertBand.DAYS_60  # 31 days
    assert alert_band(until, dt.date(2025, 12, 1)) == AlertBand.DAYS_30
    assert alert_band(until, dt.date(2025, 12, 31)) == AlertBand.DAYS_30
    assert alert_band(until, dt.date(2026, 1, 1)) == AlertBand.EXPIRED
    assert alert_band(until, dt.date(2026, 3, 1)) == AlertBand.EXPIRED  # 60 days after
    assert alert_band(until, dt.date(2026, 3, 2)) is None


def test_mou_alerts_lists_the_soonest_first_without_renewed_or_inactive(world: World) -> None:
    partner = make_partner()
    renewed = make_mou(partner, "R", valid_until=dt.date(2025, 6, 10))
    services.mou_renew(
        mou=renewed, data=mou_data("R2", valid_until=dt.date(2026, 6, 10)), actor=None
    )
    make_mou(partner, "A", valid_until=dt.date(2025, 7, 20))
    make_mou(partner, "B", valid_until=dt.date(2025, 6, 20))
    make_mou(partner, "C", valid_until=dt.date(2025, 5, 1))
    make_mou(partner, "D", valid_until=dt.date(2025, 9, 1))
    gone = make_partner("Gone")
    make_mou(gone, "G", valid_until=dt.date(2025, 6, 15))
    services.partner_deactivate(partner=gone, actor=None)
    rows = selectors.mou_alerts(user=world.user("district"), today=dt.date(2025, 6, 1))
    assert [(r.mou.number, r.band, r.days_left) for r in rows] == [
        ("C", "expired", -31),
        ("B", "30", 19),
        ("A", "60", 49),
    ]
    assert selectors.mou_alerts(user=world.user("other_district"), today=dt.date(2025, 6, 1)) == []
