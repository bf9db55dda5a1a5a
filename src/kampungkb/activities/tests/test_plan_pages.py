"""The pages and API of planned activities (decision 0033): the plan form and its one-click POST,
the plans on the list, marking held, cancelling; every role, including another kabupaten."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kampungkb.activities import services
from kampungkb.activities.models import Activity, Attendance
from kampungkb.activities.tests.conftest import person
from kampungkb.activities.tests.test_plans import PLANNERS, overdue, plan
from kampungkb.activities.tests.test_services import state
from kampungkb.testing.world import OTHER_VILLAGE, USERS, VILLAGE, World

ApiFor = Callable[[str], Client]
READERS = ("admin", "district", "pkb", "cadre", "viewer")


def html(response: Any) -> str:
    return response.content.decode()


def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def planned(world: World) -> Activity:
    return plan(world)


ONE_CLICK = {
    "kind": "mens_forum",
    "title": "Forum bapak: KB pria",
    "target_groups": ["men"],
    "area": VILLAGE,
    "plan_reason": "barrier:husband_objects",
}


# -- The plan form --------------------------------------------------------------------------------


@pytest.mark.parametrize("username", tuple(USERS))
def test_plan_form_by_role(client_for: Any, world: World, username: str) -> None:
    client = client_for(username)
    response = client.get(reverse("activities:plan"))
    # Whoever may record activities somewhere may plan there; the others find nothing.
    assert response.status_code == (404 if username in ("partner", "viewer") else 200)


def test_plan_form_is_filled_from_the_query_string(client_for: Any, world: World) -> None:
    query = {
        "kind": "mens_forum",
        "target_group": "men",
        "title": "Forum bapak",
        "plan_reason": "barrier:husband_objects",
        "area": VILLAGE,
    }
    page = html(client_for("pkb").get(reverse("activities:plan"), query))
    assert '<option value="mens_forum" selected>' in page
    assert 'value="men" id="id_target_groups_1" checked>' in page
    assert 'name="title" value="Forum bapak"' in page
    assert 'name="plan_reason" value="barrier:husband_objects"' in page
    assert f'<option value="{VILLAGE}" selected>' in page
    assert '<option value="reproduction" selected>' in page
    held_on = (today() + dt.timedelta(days=14)).isoformat()
    assert f'value="{held_on}"' in page
    # An area the user may not plan in is not filled in.
    page = html(client_for("cadre").get(reverse("activities:plan"), {"area": OTHER_VILLAGE}))
    assert f'value="{OTHER_VILLAGE}" selected' not in page


@pytest.mark.parametrize("username", tuple(USERS))
def test_one_click_plan_by_role(client_for: Any, world: World, username: str) -> None:
    client = client_for(username)
    before = state()
    response = client.post(reverse("activities:plan"), ONE_CLICK)
    if username not in PLANNERS:
        # No right to plan here: not found, or the form with the area refused.
        assert response.status_code in (200, 404)
        assert state() == before
        return
    activity = Activity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("activities:detail", args=[activity.pk])
    assert (
        activity.status,
        activity.held_on,
        activity.area_id,
        activity.target_groups,
        activity.family_function,
        activity.organiser,
        activity.plan_reason,
    ) == (
        "planned",
        today() + dt.timedelta(days=14),
        VILLAGE,
        ["men"],
        "reproduction",
        str(world.user(username)),
        "barrier:husband_objects",
    )


def test_one_click_plan_goes_back_to_a_safe_next(client_for: Any, world: World) -> None:
    client = client_for("pkb")
    back = "/partisipasi/64.02.08.2005/"
    response = client.post(reverse("activities:plan"), {**ONE_CLICK, "next": back})
    assert (response.status_code, response["Location"]) == (302, back)
    response = client.post(
        reverse("activities:plan"), {**ONE_CLICK, "next": "https://evil.example/"}
    )
    newest = Activity.objects.order_by("-pk").first()
    assert newest is not None
    assert response["Location"] == reverse("activities:detail", args=[newest.pk])


def test_plan_form_refuses_a_past_date_and_writes_nothing(client_for: Any, world: World) -> None:
    before = state()
    yesterday = (today() - dt.timedelta(days=1)).isoformat()
    response = client_for("cadre").post(
        reverse("activities:plan"), {**ONE_CLICK, "held_on": yesterday}
    )
    assert response.status_code == 200
    assert "Tanggal rencana kegiatan harus hari ini atau nanti" in html(response)
    assert state() == before


def test_plan_with_every_field_and_a_target_group_from_a_link(
    client_for: Any, world: World
) -> None:
    response = client_for("cadre").post(
        reverse("activities:plan"),
        {
            **ONE_CLICK,
            "target_groups": ["pus"],
            "target_group": "men",
            "held_on": (today() + dt.timedelta(days=3)).isoformat(),
            "family_function": "love",
            "organiser": "Kader Melati",
            "place": "Balai desa",
            "notes": "Undang tokoh agama",
        },
    )
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert (
        activity.target_groups,
        activity.family_function,
        activity.organiser,
        activity.place,
    ) == (["pus", "men"], "love", "Kader Melati", "Balai desa")


# -- The list -------------------------------------------------------------------------------------


def test_list_shows_plans_first_with_overdue_flagged(
    client_for: Any, world: World, activity: Activity, planned: Activity
) -> None:
    late = overdue(plan(world, title="Penyuluhan tertunda"), days=3)
    cancelled = plan(world, title="Forum batal")
    services.activity_cancel(user=None, activity=cancelled, reason="Hujan")
    page = html(client_for("pkb").get(reverse("activities:list")))
    plans = page.split('id="planned"')[1].split("</section>")[0]
    assert plans.index(f'id="planned-{late.pk}"') < plans.index(f'id="planned-{planned.pk}"')
    late_row = plans.split(f'id="planned-{late.pk}"')[1].split("</tr>")[0]
    assert "terlambat" in late_row
    assert "terlambat" not in plans.split(f'id="planned-{planned.pk}"')[1].split("</tr>")[0]
    # The list of what was held leaves plans and cancelled ones out, and so do its totals.
    held = page.split("</section>")[1]
    assert f'id="activity-{activity.pk}"' in held
    assert f'id="activity-{planned.pk}"' not in held
    assert f'id="activity-{cancelled.pk}"' not in held
    assert "1 kegiatan" in held


def test_list_status_filter(
    client_for: Any, world: World, activity: Activity, planned: Activity
) -> None:
    cancelled = plan(world, title="Forum batal")
    services.activity_cancel(user=None, activity=cancelled, reason="Hujan")
    client = client_for("cadre")
    page = html(client.get(reverse("activities:list"), {"status": "planned"}))
    assert 'id="planned"' not in page
    assert f'id="activity-{planned.pk}"' in page and f'id="activity-{activity.pk}"' not in page
    page = html(client.get(reverse("activities:list"), {"status": "cancelled"}))
    assert f'id="activity-{cancelled.pk}"' in page and "dibatalkan" in page
    assert f'id="activity-{planned.pk}"' not in page
    # An unknown status is the default: what was held.
    page = html(client.get(reverse("activities:list"), {"status": "maybe"}))
    assert f'id="activity-{activity.pk}"' in page.split("</section>")[-1]


@pytest.mark.parametrize("username", tuple(USERS))
def test_list_plans_by_role(client_for: Any, planned: Activity, username: str) -> None:
    page = html(client_for(username).get(reverse("activities:list")))
    assert (f'id="planned-{planned.pk}"' in page) is (username in READERS)


def test_list_query_count_with_plans(
    client_for: Any,
    world: World,
    activity: Activity,
    planned: Activity,
    django_assert_num_queries: Any,
) -> None:
    overdue(plan(world, title="Terlambat"))
    client = client_for("district")
    client.get(reverse("activities:list"))
    with django_assert_num_queries(12):
        client.get(reverse("activities:list"))
    with django_assert_num_queries(11):
        client.get(reverse("activities:list"), {"status": "planned"})


# -- The page of a plan ---------------------------------------------------------------------------


@pytest.mark.parametrize("username", tuple(USERS))
def test_plan_page_by_role(client_for: Any, planned: Activity, username: str) -> None:
    response = client_for(username).get(reverse("activities:detail", args=[planned.pk]))
    if username not in READERS:
        assert response.status_code == 404
        return
    page = html(response)
    assert "Rencana" in page and "barrier:husband_objects" in page
    # Nobody records attendance on a plan.
    assert "Simpan kehadiran" not in page and 'id="counts"' not in page
    editor = username in PLANNERS
    assert (reverse("activities:hold", args=[planned.pk]) in page) is editor
    assert (reverse("activities:cancel", args=[planned.pk]) in page) is editor


def test_plan_page_query_count(
    client_for: Any, planned: Activity, django_assert_num_queries: Any
) -> None:
    client = client_for("cadre")
    client.get(reverse("activities:detail", args=[planned.pk]))
    with django_assert_num_queries(6):
        client.get(reverse("activities:detail", args=[planned.pk]))


def test_overdue_and_cancelled_pages(client_for: Any, world: World, planned: Activity) -> None:
    client = client_for("cadre")
    overdue(planned)
    page = html(client.get(reverse("activities:detail", args=[planned.pk])))
    assert "Tanggalnya sudah lewat" in page
    services.activity_cancel(user=None, activity=planned, reason="Bertepatan dengan panen")
    page = html(client.get(reverse("activities:detail", args=[planned.pk])))
    assert "Dibatalkan" in page and "Bertepatan dengan panen" in page
    assert reverse("activities:edit", args=[planned.pk]) not in page
    assert reverse("activities:hold", args=[planned.pk]) not in page


@pytest.mark.parametrize("username", tuple(USERS))
def test_mark_held_by_role(client_for: Any, planned: Activity, username: str) -> None:
    client = client_for(username)
    url = reverse("activities:hold", args=[planned.pk])
    overdue(planned, days=2)
    form = client.get(url)
    if username not in PLANNERS:
        before = state()
        assert form.status_code == 404
        assert client.post(url, {"held_on": today().isoformat()}).status_code == 404
        assert state() == before
        return
    assert form.status_code == 200
    held_on = planned.held_on.isoformat()
    assert f'value="{held_on}"' in html(form)
    response = client.post(
        url,
        {
            "kind": "mens_forum",
            "title": "Forum bapak: KB pria",
            "held_on": held_on,
            "area": VILLAGE,
            "family_function": "reproduction",
            "target_groups": ["men"],
            "organiser": "PKB Kota Bangun",
            "place": "Masjid",
        },
    )
    assert response.status_code == 302
    planned.refresh_from_db()
    assert (planned.status, planned.held_on, planned.place) == ("held", planned.held_on, "Masjid")
    # Held now: attendance may be ticked, and the hold page only leads back.
    detail = html(client.get(reverse("activities:detail", args=[planned.pk])))
    assert "Simpan kehadiran" in detail
    assert client.get(url)["Location"] == reverse("activities:detail", args=[planned.pk])


def test_mark_held_refuses_a_future_date(client_for: Any, planned: Activity) -> None:
    before = state()
    response = client_for("pkb").post(
        reverse("activities:hold", args=[planned.pk]),
        {
            "kind": "mens_forum",
            "title": "Forum bapak: KB pria",
            "held_on": planned.held_on.isoformat(),
            "area": VILLAGE,
            "family_function": "reproduction",
            "organiser": "PKB Kota Bangun",
        },
    )
    assert response.status_code == 200
    assert "tidak boleh di masa depan" in html(response)
    assert state() == before


@pytest.mark.parametrize("username", tuple(USERS))
def test_cancel_by_role(client_for: Any, planned: Activity, username: str) -> None:
    client = client_for(username)
    url = reverse("activities:cancel", args=[planned.pk])
    if username not in PLANNERS:
        before = state()
        assert client.post(url, {"reason": "Hujan"}).status_code == 404
        assert state() == before
        return
    assert client.post(url, {"reason": ""}).status_code == 200
    assert Activity.objects.get(pk=planned.pk).status == "planned"
    response = client.post(url, {"reason": "Hujan deras"})
    assert response["Location"] == reverse("activities:detail", args=[planned.pk])
    planned.refresh_from_db()
    assert (planned.status, planned.cancel_reason) == ("cancelled", "Hujan deras")


def test_attendance_on_a_plan_is_refused(client_for: Any, planned: Activity) -> None:
    client = client_for("cadre")
    siti = person("Siti Aminah")
    response = client.post(
        reverse("activities:attendance", args=[planned.pk]),
        {"present": [siti.pk], "shown": [siti.pk]},
        follow=True,
    )
    assert "Kegiatan ini belum terlaksana" in html(response)
    assert not Attendance.objects.exists()
    response = client.post(reverse("activities:counts", args=[planned.pk]), {"count_F_25_49": "5"})
    assert "Kegiatan ini belum terlaksana" in html(response)


# -- API ------------------------------------------------------------------------------------------


def send(client: Client, url: str, body: Any) -> Any:
    return client.post(url, body, content_type="application/json")


@pytest.mark.parametrize("username", tuple(USERS))
def test_api_plan_by_role(api_as: ApiFor, world: World, username: str) -> None:
    client = api_as(username)
    before = state()
    response = send(client, "/api/activities/plan", ONE_CLICK)
    if username not in PLANNERS:
        assert response.status_code == 404
        assert state() == before
        return
    assert response.status_code == 201
    out = response.json()
    assert (out["status"], out["held_on"], out["plan_reason"], out["is_overdue"]) == (
        "planned",
        (today() + dt.timedelta(days=14)).isoformat(),
        "barrier:husband_objects",
        False,
    )
    assert (out["family_function"], out["organiser"], out["attendance_total"]) == (
        "reproduction",
        str(world.user(username)),
        0,
    )


def test_api_plan_refused_with_a_bilingual_body(api_as: ApiFor, world: World) -> None:
    client = api_as("cadre")
    before = state()
    yesterday = (today() - dt.timedelta(days=1)).isoformat()
    response = send(client, "/api/activities/plan", {**ONE_CLICK, "held_on": yesterday})
    assert response.status_code == 422
    assert response.json() == {
        "errors": [
            {
                "field": "held_on",
                "code": "activity.plan_date_in_past",
                "message_id": "Tanggal rencana kegiatan harus hari ini atau nanti; kegiatan yang "
                "sudah lewat dicatat sebagai kegiatan terlaksana.",
                "message_en": "A planned activity's date must be today or later; an activity "
                "already past is recorded as held.",
            }
        ]
    }
    assert state() == before


def test_api_list_filters_by_status(
    api_as: ApiFor, world: World, activity: Activity, planned: Activity
) -> None:
    client = api_as("pkb")
    items = client.get("/api/activities").json()["items"]
    assert {(i["id"], i["status"]) for i in items} == {
        (activity.pk, "held"),
        (planned.pk, "planned"),
    }
    items = client.get("/api/activities", {"status": "planned"}).json()["items"]
    assert [(i["id"], i["plan_reason"]) for i in items] == [(planned.pk, "barrier:husband_objects")]
    assert client.get("/api/activities", {"status": "maybe"}).status_code == 422


@pytest.mark.parametrize("username", tuple(USERS))
def test_api_hold_and_cancel_by_role(
    api_as: ApiFor, world: World, planned: Activity, username: str
) -> None:
    client = api_as(username)
    other = plan(world, title="Forum kedua")
    if username not in PLANNERS:
        before = state()
        hold = send(client, f"/api/activities/{planned.pk}/hold", {"held_on": today().isoformat()})
        cancel = send(client, f"/api/activities/{other.pk}/cancel", {"reason": "Hujan"})
        assert (hold.status_code, cancel.status_code) == (404, 404)
        assert state() == before
        return
    response = send(
        client,
        f"/api/activities/{planned.pk}/hold",
        {"held_on": today().isoformat(), "place": "Masjid", "notes": "Ramai"},
    )
    assert response.status_code == 200
    out = response.json()
    assert (out["status"], out["held_on"], out["place"], out["notes"], out["title"]) == (
        "held",
        today().isoformat(),
        "Masjid",
        "Ramai",
        "Forum bapak: KB pria",
    )
    response = send(client, f"/api/activities/{other.pk}/cancel", {"reason": "Hujan"})
    assert (response.status_code, response.json()["status"], response.json()["cancel_reason"]) == (
        200,
        "cancelled",
        "Hujan",
    )


def test_api_hold_refusals(api_as: ApiFor, world: World, planned: Activity) -> None:
    client = api_as("cadre")
    before = state()
    tomorrow = (today() + dt.timedelta(days=1)).isoformat()
    response = send(client, f"/api/activities/{planned.pk}/hold", {"held_on": tomorrow})
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "activity.date_in_future"
    response = send(client, f"/api/activities/{planned.pk}/cancel", {"reason": ""})
    assert response.status_code == 422
    response = send(
        client, f"/api/activities/{planned.pk}/attendance", {"add": [person("Sutrisno").pk]}
    )
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert (error["code"], error["message_en"]) == (
        "activity.not_held",
        "This activity has not been held; attendance, contributions and photos are recorded "
        "once it is marked as held.",
    )
    assert state() == before
