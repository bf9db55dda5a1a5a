"""The follow-up lists (due, overdue, dropped out): exact membership, scope and query counts."""

import datetime as dt
from typing import Any

import pytest

from kampungkb.accounts.scope import scope_for
from kampungkb.contraception import selectors, services
from kampungkb.contraception.models import VisitKind
from kampungkb.families.models import Couple
from kampungkb.testing.contraception_factories import clock_fixture, method  # noqa: F401 (fixture)
from kampungkb.testing.factories import CoupleFactory
from kampungkb.testing.world import OTHER_VILLAGE, RT_2

D = dt.date


def record(couple, on, code, kind=VisitKind.START):
    services.visit_record(
        couple=couple,
        visited_on=on,
        method=method(code),
        kind=kind,
        consent_recorded=True,
        actor=None,
    )


@pytest.fixture
def lists(world, clock):
    """Couples in every state on 2 March 2026 (the clock's today)."""
    couples = {
        "siti": Couple.objects.get(wife__full_name="Siti Aminah"),
        "baiq": Couple.objects.get(wife__full_name="Baiq Nurul"),
    }
    for name in ("due_soon", "overdue", "dropped", "returned", "sterilised"):
        couples[name] = CoupleFactory.create()
    record(couples["siti"], D(2026, 1, 5), "SUNTIK3")  # due 30 March
    record(couples["due_soon"], D(2026, 2, 10), "PIL")  # due 10 March
    record(couples["overdue"], D(2026, 1, 1), "PIL")  # due 29 Jan, overdue from 5 Feb
    record(couples["dropped"], D(2025, 10, 1), "PIL")  # dropped out on 5 February
    record(couples["returned"], D(2025, 10, 1), "PIL")  # dropped out, back on 20 February
    record(couples["returned"], D(2026, 2, 20), "PIL")  # due 20 March
    record(couples["sterilised"], D(2025, 5, 5), "MOW")  # nothing ever due
    record(couples["baiq"], D(2026, 1, 5), "SUNTIK3")  # due 30 March, Lombok Timur
    return couples


def names(lists, episodes):
    by_id = {couple.pk: name for name, couple in lists.items()}
    return [by_id[e.couple_id] for e in episodes]


MARCH: dict[str, Any] = {"date_from": D(2026, 3, 1), "date_to": D(2026, 3, 31)}
FEBRUARY: dict[str, Any] = {"date_from": D(2026, 2, 1), "date_to": D(2026, 2, 28)}


def test_due_list_membership_and_order(world, lists):
    district = world.user("district")
    assert names(lists, selectors.due_list(user=district, **MARCH)) == [
        "due_soon",
        "returned",
        "siti",
    ]
    assert names(lists, selectors.due_list(user=world.user("admin"), **MARCH)) == [
        "due_soon",
        "returned",
        "siti",
        "baiq",
    ]
    march_10: dict[str, Any] = {"date_from": D(2026, 3, 10), "date_to": D(2026, 3, 10)}
    assert names(lists, selectors.due_list(user=district, **march_10)) == ["due_soon"]


def test_overdue_list_is_past_grace_and_not_yet_dropped_out(world, lists):
    district = world.user("district")
    assert names(lists, selectors.overdue_list(user=district, on=D(2026, 3, 2))) == ["overdue"]
    assert names(lists, selectors.overdue_list(user=district, on=D(2026, 2, 4))) == []
    # 5 May is the overdue couple's drop-out day: off the overdue list, onto the drop-out list.
    assert names(lists, selectors.overdue_list(user=district, on=D(2026, 5, 4))) == [
        "overdue",
        "due_soon",
        "returned",
        "siti",
    ]
    assert "overdue" not in names(lists, selectors.overdue_list(user=district, on=D(2026, 5, 5)))


def test_dropout_list_leaves_out_those_who_came_back(world, lists):
    district = world.user("district")
    assert names(lists, selectors.dropout_list(user=district, **FEBRUARY)) == ["dropped"]
    may: dict[str, Any] = {"date_from": D(2026, 5, 1), "date_to": D(2026, 5, 31)}
    # Not yet closed by the daily refresh: counted from its drop-out day.
    assert names(lists, selectors.dropout_list(user=district, **may)) == ["overdue"]


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("admin", ["due_soon", "returned", "siti", "baiq"]),
        ("district", ["due_soon", "returned", "siti"]),
        ("pkb", ["due_soon", "returned", "siti"]),
        ("cadre", ["due_soon", "returned", "siti"]),
        ("cadre_rt", ["due_soon", "returned", "siti"]),
        ("other_district", ["baiq"]),
        ("other_cadre", ["baiq"]),
        ("partner", []),
        ("viewer", []),
    ],
)
def test_due_list_scope(world, lists, username, expected):
    assert names(lists, selectors.due_list(user=world.user(username), **MARCH)) == expected


def test_lists_by_area(world, lists):
    admin = world.user("admin")
    assert names(lists, selectors.due_list(user=admin, area_code=OTHER_VILLAGE, **MARCH)) == [
        "baiq"
    ]
    assert names(lists, selectors.due_list(user=admin, area_code=RT_2, **MARCH)) == []


def test_list_query_counts_are_pinned(world, lists, django_assert_num_queries):
    user = world.user("district")
    scope_for(user)  # read once per request
    for listing in (
        lambda: selectors.due_list(user=user, **MARCH),
        lambda: selectors.overdue_list(user=user, on=D(2026, 5, 4)),
        lambda: selectors.dropout_list(user=user, **FEBRUARY),
    ):
        with django_assert_num_queries(1):
            rows = [
                (
                    e.method.name,
                    e.couple.wife.full_name,
                    e.couple.wife.family.area.name,
                    getattr(e.couple.husband, "full_name", ""),
                )
                for e in listing()
            ]
        assert rows
    with django_assert_num_queries(1):
        selectors.latest_follow_ups([1, 2, 3])
