"""Planned activities (decision 0033): planning, holding and cancelling, the rules that keep a plan
from counting, and every role trying the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kampungkb.activities import selectors, services
from kampungkb.activities.models import (
    Activity,
    ActivityKind,
    ActivityPartner,
    ActivityStatus,
    Poktan,
)
from kampungkb.activities.services import PartnerContributionData
from kampungkb.activities.tests.conftest import activity_data, person, png
from kampungkb.activities.tests.test_services import not_found, refused, state
from kampungkb.core.models import AuditEvent
from kampungkb.partners.models import Partner
from kampungkb.testing.world import OTHER_VILLAGE, USERS, VILLAGE, World

PLANNERS = ("admin", "district", "pkb", "cadre")


def today() -> dt.date:
    return timezone.localdate()


def plan(world: World, user: Any = None, **fields: Any) -> Activity:
    """A men's forum in Kota Bangun Ulu, ten days ahead, planned against the husband's
    objection."""
    values: dict[str, Any] = {
        "user": user,
        "area": world.area(VILLAGE),
        "kind": ActivityKind.MENS_FORUM,
        "title": "Forum bapak: KB pria",
        "held_on": today() + dt.timedelta(days=10),
        "target_groups": ["men"],
        "organiser": "PKB Kota Bangun",
        "plan_reason": "barrier:husband_objects",
    }
    values.update(fields)
    return services.activity_plan(**values)


def last_session(world: World, poktan: Poktan) -> dt.date | None:
    row: Any = selectors.poktan_list(user=world.user("admin")).get(pk=poktan.pk)
    return row.last_session_on


@pytest.fixture
def planned(world: World) -> Activity:
    return plan(world)


def overdue(activity: Activity, days: int = 3) -> Activity:
    """The plan's date passed without it being held (as time passing does)."""
    Activity.objects.filter(pk=activity.pk).update(held_on=today() - dt.timedelta(days=days))
    activity.refresh_from_db()
    return activity


# -- Planning -------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", tuple(USERS))
def test_plan_by_role(world: World, username: str) -> None:
    user = world.user(username)
    if username not in PLANNERS:
        refused(lambda: plan(world, user), "activity.area_not_found", "area")
        return
    activity = plan(world, user)
    activity.refresh_from_db()
    assert (activity.status, activity.plan_reason, activity.held_on) == (
        "planned",
        "barrier:husband_objects",
        today() + dt.timedelta(days=10),
    )
    # The family function follows the kind when none is given; the recorder is the planner.
    assert (activity.family_function, activity.target_groups) == ("reproduction", ["men"])
    assert activity.recorded_by == user
    event = AuditEvent.objects.get(action="activity.plan")
    assert (event.object_id, event.area_code) == (str(activity.pk), VILLAGE)


def test_plan_for_today_and_not_for_the_past(world: World) -> None:
    assert plan(world, held_on=today()).held_on == today()
    refused(
        lambda: plan(world, held_on=today() - dt.timedelta(days=1)),
        "activity.plan_date_in_past",
        "held_on",
    )


def test_plan_keeps_the_other_rules_of_an_activity(world: World) -> None:
    refused(
        lambda: plan(world, target_groups=["aliens"]),
        "activity.target_group_unknown",
        "target_groups",
    )
    refused(lambda: plan(world, area=None), "activity.area_required", "area")
    refused(
        lambda: plan(world, plan_reason="barrier:" + "x" * 60),
        "activity.plan_reason_too_long",
        "plan_reason",
    )
    refused(
        lambda: plan(world, kind=ActivityKind.POKTAN_SESSION), "activity.poktan_required", "poktan"
    )


def test_plan_a_poktan_session_takes_the_poktan_function(world: World, poktan: Poktan) -> None:
    activity = plan(world, kind=ActivityKind.POKTAN_SESSION, area=None, poktan=poktan)
    assert (activity.area_id, activity.family_function) == (poktan.area_id, "education")
    assert last_session(world, poktan) is None


def test_an_explicit_family_function_is_kept(world: World) -> None:
    assert plan(world, family_function="economy").family_function == "economy"


# -- Nothing is recorded on a plan ----------------------------------------------------------------


def test_attendance_contributions_and_photos_only_on_held_activities(
    world: World, planned: Activity, partner: Partner
) -> None:
    cadre = world.user("cadre")
    siti = person("Siti Aminah")
    refused(
        lambda: services.attendance_set(activity=planned, add=[siti.pk], actor=cadre),
        "activity.not_held",
    )
    refused(
        lambda: services.attendance_counts_set(
            activity=planned, counts={("F", "25-49"): 4}, actor=cadre
        ),
        "activity.not_held",
    )
    refused(
        lambda: services.contribution_add(
            activity=planned, kind="money", contributor="Pak Kades", value=50_000, actor=cadre
        ),
        "activity.not_held",
    )
    refused(
        lambda: services.activity_partner_set(
            activity=planned,
            partner=partner,
            contributions=[PartnerContributionData(kind="money", value=100_000)],
            actor=cadre,
        ),
        "activity.not_held",
    )
    refused(
        lambda: services.photo_add(
            activity=planned, image=SimpleUploadedFile("a.png", png()), actor=cadre
        ),
        "activity.not_held",
    )
    # A plan may name who will take part, without what they bring.
    services.activity_partner_set(activity=planned, partner=partner, role="Narasumber", actor=cadre)
    assert list(ActivityPartner.objects.values_list("activity_id", "role")) == [
        (planned.pk, "Narasumber")
    ]


def test_update_a_plan_keeps_it_a_plan(world: World, planned: Activity) -> None:
    cadre = world.user("cadre")
    later = today() + dt.timedelta(days=30)
    services.activity_update(
        activity=planned,
        data=activity_data(area=world.area(VILLAGE), held_on=later, title="Forum bapak (diundur)"),
        actor=cadre,
    )
    planned.refresh_from_db()
    assert (planned.status, planned.held_on, planned.title) == (
        "planned",
        later,
        "Forum bapak (diundur)",
    )
    refused(
        lambda: services.activity_update(
            activity=planned,
            data=activity_data(area=world.area(VILLAGE), held_on=today() - dt.timedelta(days=1)),
            actor=cadre,
        ),
        "activity.plan_date_in_past",
        "held_on",
    )


def test_an_overdue_plan_is_still_editable_without_moving_it(
    world: World, planned: Activity
) -> None:
    overdue(planned)
    assert planned.is_overdue
    services.activity_update(
        activity=planned,
        data=activity_data(area=world.area(VILLAGE), held_on=planned.held_on, notes="Hujan"),
        actor=None,
    )
    planned.refresh_from_db()
    assert (planned.status, planned.notes) == ("planned", "Hujan")


# -- Holding --------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", tuple(USERS))
def test_hold_by_role(world: World, planned: Activity, username: str) -> None:
    user = world.user(username)
    overdue(planned, days=2)
    held_on = today() - dt.timedelta(days=1)
    if username not in PLANNERS:
        not_found(lambda: services.activity_hold(user=user, activity=planned, held_on=held_on))
        return
    services.activity_hold(user=user, activity=planned, held_on=held_on)
    planned.refresh_from_db()
    assert (planned.status, planned.held_on, planned.plan_reason) == (
        "held",
        held_on,
        "barrier:husband_objects",
    )
    event = AuditEvent.objects.get(action="activity.hold")
    assert (event.before["status"], event.after["status"]) == ("planned", "held")


def test_hold_changes_fields_and_opens_attendance(world: World, planned: Activity) -> None:
    cadre = world.user("cadre")
    services.activity_hold(
        user=cadre,
        activity=planned,
        held_on=today(),
        data=services.activity_data_of(planned, place="Masjid Al-Ikhlas", notes="Ramai"),
    )
    planned.refresh_from_db()
    assert (planned.status, planned.held_on, planned.place, planned.notes) == (
        "held",
        today(),
        "Masjid Al-Ikhlas",
        "Ramai",
    )
    services.attendance_set(activity=planned, add=[person("Sutrisno").pk], actor=cadre)
    assert list(planned.attendances.values_list("person__full_name", flat=True)) == ["Sutrisno"]


def test_hold_is_not_in_the_future_and_only_once(world: World, planned: Activity) -> None:
    refused(
        lambda: services.activity_hold(
            user=None, activity=planned, held_on=today() + dt.timedelta(days=1)
        ),
        "activity.date_in_future",
        "held_on",
    )
    services.activity_hold(user=None, activity=planned, held_on=today())
    refused(
        lambda: services.activity_hold(user=None, activity=planned, held_on=today()),
        "activity.not_planned",
    )
    refused(
        lambda: services.activity_cancel(user=None, activity=planned, reason="Hujan"),
        "activity.not_planned",
    )


def test_a_held_activity_cannot_be_held_again(activity: Activity) -> None:
    refused(
        lambda: services.activity_hold(user=None, activity=activity, held_on=activity.held_on),
        "activity.not_planned",
    )


# -- Cancelling -----------------------------------------------------------------------------------


@pytest.mark.parametrize("username", tuple(USERS))
def test_cancel_by_role(world: World, planned: Activity, username: str) -> None:
    user = world.user(username)
    if username not in PLANNERS:
        not_found(lambda: services.activity_cancel(user=user, activity=planned, reason="Hujan"))
        return
    services.activity_cancel(user=user, activity=planned, reason="  Bertepatan dengan panen ")
    planned.refresh_from_db()
    assert (planned.status, planned.cancel_reason) == ("cancelled", "Bertepatan dengan panen")
    assert (
        AuditEvent.objects.filter(action="activity.cancel", object_id=str(planned.pk)).count() == 1
    )


def test_cancel_needs_a_reason_and_is_final(
    world: World, planned: Activity, partner: Partner
) -> None:
    refused(
        lambda: services.activity_cancel(user=None, activity=planned, reason="  "),
        "activity.cancel_reason_required",
        "reason",
    )
    services.activity_cancel(user=None, activity=planned, reason="Hujan")
    refused(
        lambda: services.activity_update(
            activity=planned, data=activity_data(area=world.area(VILLAGE)), actor=None
        ),
        "activity.cancelled",
    )
    refused(
        lambda: services.activity_hold(user=None, activity=planned, held_on=today()),
        "activity.not_planned",
    )
    refused(
        lambda: services.activity_partner_set(activity=planned, partner=partner, actor=None),
        "activity.cancelled",
    )
    # It is kept: the officer may still delete it.
    assert Activity.objects.filter(pk=planned.pk).exists()
    services.activity_delete(activity=planned, actor=world.user("pkb"))
    assert not Activity.objects.filter(pk=planned.pk).exists()


def test_a_held_activity_cannot_be_cancelled(activity: Activity) -> None:
    before = state()
    refused(
        lambda: services.activity_cancel(user=None, activity=activity, reason="Salah catat"),
        "activity.not_planned",
    )
    assert state() == before


# -- Reads ----------------------------------------------------------------------------------------


def test_held_and_planned_querysets(world: World, activity: Activity, planned: Activity) -> None:
    cancelled = plan(world, title="Batal")
    services.activity_cancel(user=None, activity=cancelled, reason="Hujan")
    assert list(Activity.objects.held()) == [activity]
    assert list(Activity.objects.planned()) == [planned]


def test_activities_in_counts_held_activities_only(
    world: World, activity: Activity, planned: Activity
) -> None:
    # A plan whose date fell within the window (overdue) is still not held.
    overdue(planned, days=1)
    cancelled = plan(world, title="Batal", held_on=today())
    services.activity_cancel(user=None, activity=cancelled, reason="Hujan")
    found = selectors.activities_in(VILLAGE, dt.date(2025, 1, 1), today())
    assert list(found) == [activity]


def test_planned_list_soonest_first_and_scoped(world: World, planned: Activity) -> None:
    sooner = plan(world, title="Sosialisasi", held_on=today() + dt.timedelta(days=2))
    late = overdue(plan(world, title="Terlambat"), days=4)
    plan(world, title="Tumbuh Mulia", area=world.area(OTHER_VILLAGE))
    rows = selectors.planned_list(user=world.user("pkb"))
    assert [(a.title, a.is_overdue) for a in rows] == [
        (late.title, True),
        (sooner.title, False),
        (planned.title, False),
    ]
    assert [a.title for a in selectors.planned_list(user=world.user("other_district"))] == [
        "Tumbuh Mulia"
    ]


def test_poktan_last_session_and_sessions_are_held_ones(world: World, poktan: Poktan) -> None:
    held = services.activity_create(
        data=services.poktan_session_data(poktan, held_on=dt.date(2025, 3, 4)), actor=None
    )
    plan(world, kind=ActivityKind.POKTAN_SESSION, area=None, poktan=poktan, title="Sesi depan")
    assert last_session(world, poktan) == held.held_on
    assert [a.pk for a in selectors.poktan_sessions(poktan, user=world.user("admin"))] == [held.pk]


def test_activity_status_is_held_by_default(activity: Activity) -> None:
    activity.refresh_from_db()
    assert (activity.status, activity.plan_reason, activity.cancel_reason) == (
        ActivityStatus.HELD,
        "",
        "",
    )
    assert activity.is_held and not activity.is_overdue
