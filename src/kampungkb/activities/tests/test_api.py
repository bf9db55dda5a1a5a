"""The activities API: scoped like the pages (404 out of scope), names only for named roles,
bilingual error bodies, nothing written on a refusal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from kampungkb.activities import services
from kampungkb.activities.models import Activity, Attendance, AttendanceCount, Poktan, PoktanMember
from kampungkb.activities.tests.conftest import person
from kampungkb.core.models import AuditEvent
from kampungkb.partners.models import Partner
from kampungkb.testing.world import USERS, VILLAGE, World

ApiFor = Callable[[str], Client]
ALL_USERS = tuple(USERS)
READERS = ("admin", "district", "pkb", "cadre", "viewer")
NAMED = ("admin", "district", "pkb", "cadre")


def send(client: Client, method: str, url: str, body: Any) -> Any:
    return getattr(client, method)(url, body, content_type="application/json")


ACTIVITY = {
    "kind": "training",
    "title": "Pelatihan kader BKB",
    "held_on": "2025-06-03",
    "area": VILLAGE,
    "family_function": "education",
    "target_groups": ["cadres"],
    "organiser": "DP2KB Kukar",
}


@pytest.mark.parametrize("username", ALL_USERS)
def test_list_and_detail_by_role(api_as: ApiFor, activity: Activity, username: str) -> None:
    services.attendance_set(activity=activity, add=[person("Siti Aminah").pk], actor=None)
    services.attendance_counts_set(activity=activity, counts={("M", "15-24"): 3}, actor=None)
    client = api_as(username)
    items = client.get("/api/activities").json()["items"]
    visible = username in READERS
    assert [i["id"] for i in items] == ([activity.pk] if visible else [])
    detail = client.get(f"/api/activities/{activity.pk}")
    assert detail.status_code == (200 if visible else 404)
    if visible:
        body = detail.json()
        assert (body["named_f"], body["counted_m"], body["attendance_total"]) == (1, 3, 4)
        assert body["counts"] == [{"sex": "M", "age_group": "15-24", "count": 3}]
        if username in NAMED:
            assert [a["full_name"] for a in body["attendees"]] == ["Siti Aminah"]
            assert body["attendees"][0]["nik_masked"] == "640208******0002"
        else:
            assert body["attendees"] is None


def test_create_update_and_delete(api_as: ApiFor, world: World, partner: Partner) -> None:
    client = api_as("cadre")
    response = send(client, "post", "/api/activities", {**ACTIVITY, "partner_ids": [partner.pk]})
    assert response.status_code == 201
    body = response.json()
    assert (body["title"], body["area"], body["attendance_total"]) == (
        "Pelatihan kader BKB",
        VILLAGE,
        0,
    )
    assert [p["name"] for p in body["partners"]] == ["Muslimat NW"]
    activity = Activity.objects.get(pk=body["id"])
    assert activity.recorded_by == world.user("cadre")
    response = send(
        client, "put", f"/api/activities/{activity.pk}", {**ACTIVITY, "title": "Pelatihan"}
    )
    assert response.json()["title"] == "Pelatihan"
    assert [p["name"] for p in response.json()["partners"]] == ["Muslimat NW"]  # null keeps them
    assert client.delete(f"/api/activities/{activity.pk}").status_code == 204
    assert not Activity.objects.filter(pk=activity.pk).exists()


def test_create_refused_with_a_bilingual_body(api_as: ApiFor, world: World) -> None:
    client = api_as("cadre")
    before = (Activity.objects.count(), AuditEvent.objects.count())
    response = send(client, "post", "/api/activities", {**ACTIVITY, "held_on": "2999-01-01"})
    assert response.status_code == 422
    assert response.json() == {
        "errors": [
            {
                "field": "held_on",
                "code": "activity.date_in_future",
                "message_id": "Tanggal kegiatan tidak boleh di masa depan; catat kegiatan setelah "
                "dilaksanakan.",
                "message_en": "The activity date cannot be in the future; record an activity once "
                "it has been held.",
            }
        ]
    }
    assert (Activity.objects.count(), AuditEvent.objects.count()) == before


def test_create_in_another_kabupaten_is_not_found(api_as: ApiFor, world: World) -> None:
    response = send(api_as("other_cadre"), "post", "/api/activities", ACTIVITY)
    assert response.status_code == 404
    assert Activity.objects.count() == 0


def test_attendance_and_counts(api_as: ApiFor, activity: Activity) -> None:
    client = api_as("pkb")
    siti, rizky = person("Siti Aminah"), person("Rizky Pratama")
    url = f"/api/activities/{activity.pk}/attendance"
    response = send(client, "post", url, {"add": [siti.pk, rizky.pk]})
    assert response.json() == {
        "added": sorted([siti.pk, rizky.pk]),
        "removed": [],
        "named_total": 2,
        "attendance_total": 2,
    }
    again = send(client, "post", url, {"add": [siti.pk, rizky.pk]}).json()
    assert (again["added"], again["named_total"]) == ([], 2)
    response = send(
        client,
        "put",
        f"/api/activities/{activity.pk}/counts",
        {"counts": [{"sex": "F", "age_group": "25-49", "count": 9}]},
    )
    assert response.json()["attendance_total"] == 11


def test_negative_count_is_refused(api_as: ApiFor, activity: Activity) -> None:
    response = send(
        api_as("cadre"),
        "put",
        f"/api/activities/{activity.pk}/counts",
        {"counts": [{"sex": "F", "age_group": "25-49", "count": -2}]},
    )
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert (error["code"], error["message_en"]) == (
        "activity.count_negative",
        "An attendance count cannot be below zero.",
    )
    assert AttendanceCount.objects.count() == 0


def test_attendance_of_a_person_out_of_scope_is_refused(api_as: ApiFor, activity: Activity) -> None:
    response = send(
        api_as("cadre"),
        "post",
        f"/api/activities/{activity.pk}/attendance",
        {"add": [person("Lalu Ahmad").pk]},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "activity.person_not_found"
    assert Attendance.objects.count() == 0


@pytest.mark.parametrize("username", ["other_district", "other_cadre", "viewer", "partner"])
def test_writes_out_of_scope_are_not_found(
    api_as: ApiFor, activity: Activity, username: str
) -> None:
    client = api_as(username)
    assert (
        send(client, "post", f"/api/activities/{activity.pk}/attendance", {"add": []}).status_code
        == 404
    )
    assert send(client, "put", f"/api/activities/{activity.pk}", ACTIVITY).status_code == 404
    assert Activity.objects.get(pk=activity.pk).title == "Penyuluhan KB pria"


def test_contributions_and_partners(api_as: ApiFor, activity: Activity, partner: Partner) -> None:
    client = api_as("cadre")
    response = send(
        client,
        "post",
        f"/api/activities/{activity.pk}/contributions",
        {"kind": "labour", "contributor": "Karang Taruna", "description": "Menata kursi"},
    )
    assert response.status_code == 201
    contribution_id = response.json()["id"]
    response = send(
        client,
        "put",
        f"/api/activities/{activity.pk}/partners/{partner.pk}",
        {"role": "Narasumber", "contributions": [{"kind": "trainers_time", "value": 400000}]},
    )
    assert response.json() == [
        {
            "partner_id": partner.pk,
            "name": "Muslimat NW",
            "role": "Narasumber",
            "contributions": [{"kind": "trainers_time", "value": 400000, "description": ""}],
        }
    ]
    viewer = api_as("viewer").get(f"/api/activities/{activity.pk}").json()
    assert viewer["contributions"] == [
        {
            "id": contribution_id,
            "kind": "labour",
            "description": "Menata kursi",
            "value": None,
            "person_id": None,
            "contributor": None,
        }
    ]
    assert (
        client.delete(f"/api/activities/{activity.pk}/contributions/{contribution_id}").status_code
        == 204
    )
    assert client.delete(f"/api/activities/{activity.pk}/partners/{partner.pk}").status_code == 204
    assert activity.partner_links.count() == 0


def test_partner_of_another_kabupaten_is_not_found(
    api_as: ApiFor, activity: Activity, other_partner: Partner
) -> None:
    response = send(
        api_as("cadre"), "put", f"/api/activities/{activity.pk}/partners/{other_partner.pk}", {}
    )
    assert response.status_code == 404
    assert activity.partner_links.count() == 0


def test_partner_user_sees_its_activities_without_names(
    api_as: ApiFor, activity: Activity, activity_2: Activity, partner: Partner, partner_user: Any
) -> None:
    services.activity_partner_set(activity=activity_2, partner=partner, actor=None)
    services.attendance_set(activity=activity_2, add=[person("Sutrisno").pk], actor=None)
    client = api_as("partner")
    assert [i["title"] for i in client.get("/api/activities").json()["items"]] == ["Forum bapak"]
    assert client.get(f"/api/activities/{activity.pk}").status_code == 404
    body = client.get(f"/api/activities/{activity_2.pk}").json()
    assert (body["attendees"], body["named_m"]) == (None, 1)


def test_poktan_and_members(api_as: ApiFor, world: World) -> None:
    client = api_as("cadre")
    response = send(
        client, "post", "/api/poktan", {"kind": "bkl", "name": "BKL Lestari", "area": VILLAGE}
    )
    assert response.status_code == 201
    poktan_id = response.json()["id"]
    siti = person("Siti Aminah")
    response = send(
        client,
        "post",
        f"/api/poktan/{poktan_id}/members",
        {"person_id": siti.pk, "joined_on": "2025-01-02"},
    )
    assert response.status_code == 201
    member_id = response.json()["id"]
    assert response.json()["nik_masked"] == "640208******0002"
    assert client.get(f"/api/poktan/{poktan_id}").json()["member_count"] == 1
    assert [m["full_name"] for m in client.get(f"/api/poktan/{poktan_id}/members").json()] == [
        "Siti Aminah"
    ]
    assert api_as("viewer").get(f"/api/poktan/{poktan_id}/members").status_code == 404
    assert api_as("viewer").get(f"/api/poktan/{poktan_id}").json()["member_count"] == 1
    assert api_as("other_district").get(f"/api/poktan/{poktan_id}").status_code == 404
    response = send(
        client, "post", f"/api/poktan/members/{member_id}/end", {"left_on": "2025-03-01"}
    )
    assert response.json()["left_on"] == "2025-03-01"
    response = send(
        client,
        "post",
        f"/api/poktan/{poktan_id}/members",
        {"person_id": person("Lalu Ahmad").pk, "joined_on": "2025-01-02"},
    )
    assert response.status_code == 404
    assert PoktanMember.objects.count() == 1
    assert [p["name"] for p in client.get("/api/poktan").json()["items"]] == ["BKL Lestari"]
    assert Poktan.objects.count() == 1
