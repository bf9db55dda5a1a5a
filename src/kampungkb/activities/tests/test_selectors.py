"""The activities selectors: scope, partner users, totals and people reached, exact counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kampungkb.activities import selectors, services
from kampungkb.activities.models import Activity, Poktan
from kampungkb.activities.tests.conftest import person
from kampungkb.partners.models import Partner
from kampungkb.testing.world import KAB, VILLAGE_2, World


def titles(qs: object) -> list[str]:
    return [a.title for a in qs]  # type: ignore[attr-defined]


@pytest.fixture
def attended(world: World, activity: Activity, activity_2: Activity) -> tuple[Activity, Activity]:
    """Sutrisno and Siti at the counselling with 5 men and 3 women counted; Siti again at the
    forum with 4 men counted."""
    sutrisno, siti = person("Sutrisno"), person("Siti Aminah")
    services.attendance_set(activity=activity, add=[sutrisno.pk, siti.pk], actor=None)
    services.attendance_counts_set(
        activity=activity, counts={("M", "25-49"): 5, ("F", "15-24"): 3}, actor=None
    )
    services.attendance_set(activity=activity_2, add=[siti.pk], actor=None)
    services.attendance_counts_set(activity=activity_2, counts={("M", "50+"): 4}, actor=None)
    return activity, activity_2


def test_activity_list_totals_by_sex(world: World, attended: tuple[Activity, Activity]) -> None:
    rows: dict[str, Any] = {
        a.title: a for a in selectors.activity_list(user=world.user("district"))
    }
    counselling, forum = rows["Penyuluhan KB pria"], rows["Forum bapak"]
    assert (
        counselling.named_m,
        counselling.named_f,
        counselling.counted_m,
        counselling.counted_f,
    ) == (1, 1, 5, 3)
    assert counselling.attendance_total == 10
    assert (forum.named_m, forum.named_f, forum.counted_m, forum.counted_f) == (0, 1, 4, 0)
    totals = selectors.attendance_totals(selectors.activity_list(user=world.user("district")))
    assert (totals.male, totals.female, totals.total) == (10, 5, 15)


def test_people_reached_counts_each_named_person_once(
    world: World, attended: tuple[Activity, Activity]
) -> None:
    reached = selectors.people_reached(selectors.activity_list(user=world.user("district")))
    assert (reached.named, reached.counted, reached.total) == (2, 12, 14)


def test_activity_list_filters(world: World, attended: tuple[Activity, Activity]) -> None:
    user = world.user("admin")
    assert titles(selectors.activity_list(user=user, area_code=VILLAGE_2)) == ["Forum bapak"]
    assert titles(
        selectors.activity_list(
            user=user, date_from=dt.date(2025, 3, 1), date_to=dt.date(2025, 3, 31)
        )
    ) == ["Penyuluhan KB pria"]
    assert titles(selectors.activity_list(user=user, kind="mens_forum")) == ["Forum bapak"]
    assert titles(selectors.activity_list(user=user, query="forum")) == ["Forum bapak"]


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("admin", ["Forum bapak", "Penyuluhan Tumbuh Mulia", "Penyuluhan KB pria"]),
        ("district", ["Forum bapak", "Penyuluhan KB pria"]),
        ("pkb", ["Forum bapak", "Penyuluhan KB pria"]),
        ("cadre", ["Penyuluhan KB pria"]),
        ("cadre_rt", []),
        ("viewer", ["Forum bapak", "Penyuluhan Tumbuh Mulia", "Penyuluhan KB pria"]),
        ("other_district", ["Penyuluhan Tumbuh Mulia"]),
        ("other_cadre", ["Penyuluhan Tumbuh Mulia"]),
        ("partner", []),  # a partner user without a partner sees nothing
    ],
)
def test_activity_list_scope(
    world: World,
    activity: Activity,
    activity_2: Activity,
    other_activity: Activity,
    username: str,
    expected: list[str],
) -> None:
    assert sorted(titles(selectors.activity_list(user=world.user(username)))) == sorted(expected)


def test_partner_user_sees_only_activities_of_its_partner(
    world: World, activity: Activity, activity_2: Activity, partner: Partner, partner_user: object
) -> None:
    services.activity_partner_set(activity=activity_2, partner=partner, actor=None)
    user = world.user("partner")
    assert titles(selectors.activity_list(user=user)) == ["Forum bapak"]
    assert selectors.sees_names(user, activity_2) is False
    assert selectors.sees_names(world.user("pkb"), activity_2) is True
    assert selectors.sees_names(world.user("viewer"), activity_2) is False


def test_partner_choices(world: World, partner: Partner, other_partner: Partner) -> None:
    assert list(selectors.partner_choices(user=world.user("cadre"))) == [partner]
    assert list(selectors.partner_choices(user=world.user("other_cadre"))) == [other_partner]
    assert list(selectors.partner_choices(user=world.user("admin"))) == [partner, other_partner]
    assert list(selectors.partner_choices(user=world.user("viewer"))) == []


def test_tick_list_present_first_and_search(world: World, activity: Activity) -> None:
    services.attendance_set(activity=activity, add=[person("Siti Aminah").pk], actor=None)
    cadre = world.user("cadre")
    rows: list[Any] = list(selectors.tick_list(user=cadre, activity=activity))
    assert [(p.full_name, p.present) for p in rows] == [
        ("Siti Aminah", True),
        ("Rahmawati", False),
        ("Rizky Pratama", False),
        ("Sutrisno", False),
    ]
    assert [
        p.full_name for p in selectors.tick_list(user=cadre, activity=activity, query="riz pra")
    ] == ["Rizky Pratama"]
    assert [
        p.full_name
        for p in selectors.tick_list(user=cadre, activity=activity, query="640208120388")
    ] == ["Sutrisno"]
    # The RT cadre ticks only the residents of her RT.
    rt_rows = selectors.tick_list(user=world.user("cadre_rt"), activity=activity)
    assert sorted(p.full_name for p in rt_rows) == ["Rizky Pratama", "Siti Aminah", "Sutrisno"]


def test_poktan_list_counts_current_members(world: World, poktan: Poktan) -> None:
    member = services.poktan_member_add(
        poktan=poktan, person=person("Siti Aminah"), joined_on=dt.date(2024, 1, 1), actor=None
    )
    services.poktan_member_add(
        poktan=poktan, person=person("Rahmawati"), joined_on=dt.date(2024, 1, 1), actor=None
    )
    services.poktan_member_end(member=member, left_on=dt.date(2024, 6, 1), actor=None)
    session = services.activity_create(
        data=services.poktan_session_data(poktan, held_on=dt.date(2025, 2, 3)), actor=None
    )
    row: Any = selectors.poktan_list(user=world.user("cadre")).get()
    assert (row.member_count, row.last_session_on) == (1, session.held_on)
    assert list(selectors.poktan_list(user=world.user("other_district"))) == []


def test_activities_in(world: World, activity: Activity, activity_2: Activity) -> None:
    found = selectors.activities_in(KAB, dt.date(2025, 4, 1), dt.date(2025, 4, 30))
    assert titles(found) == ["Forum bapak"]
