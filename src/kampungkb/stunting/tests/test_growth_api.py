"""The child-growth API, every endpoint tried by every role of the shared world, with an API
token and with a browser session, on the children of ``growth_world``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal as D
from typing import Any

import pytest
from django.test import Client

from kampungkb.core.models import AuditEvent
from kampungkb.stunting.models import ChildMeasurement
from kampungkb.stunting.tests.growth_world import ON, Kids, kids_fixture  # noqa: F401 - the "kids" fixture
from kampungkb.testing.world import KEC, OTHER_VILLAGE, RT, USERS, VILLAGE

pytestmark = pytest.mark.django_db

ClientFor = Callable[..., Client]
ALL_USERS = tuple(USERS)
AUTHS = ("token", "session")
DAY = {"on": ON.isoformat()}
VILLAGE_READERS = ("admin", "district", "pkb", "cadre")
NOT_FOUND = ("partner", "viewer", "other_district", "other_cadre")
by_role = pytest.mark.parametrize(("username", "auth"), [(u, a) for u in ALL_USERS for a in AUTHS])

BODY = {
    "measured_on": "2026-07-02",
    "weight_kg": 8.8,
    "length_or_height_cm": 73.0,
    "position": "lying",
    "oedema": False,
    "place": "Posyandu Melati",
}


def state() -> tuple[int, int, list[Any]]:
    rows = list(ChildMeasurement.objects.order_by("pk").values_list("pk", "weight_kg", "haz"))
    return ChildMeasurement.objects.count(), AuditEvent.objects.count(), rows


def error_codes(response: Any) -> list[tuple[str, str]]:
    assert response.status_code == 422, response.content
    return [(e["field"], e["code"]) for e in response.json()["errors"]]


def measurements_url(child: Any) -> str:
    return f"/api/stunting/children/{child.pk}/measurements"


# -- The list of children ---------------------------------------------------------------------------


@by_role
def test_children_of_the_village(kids: Kids, api_as: ClientFor, username: str, auth: str) -> None:
    response = api_as(username, auth).get("/api/stunting/children", {**DAY, "area": VILLAGE})
    if username not in VILLAGE_READERS:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    assert [c["full_name"] for c in response.json()["items"]] == ["Ayu", "Bayu", "Dimas"]


def test_child_row(kids: Kids, api_as: ClientFor) -> None:
    query = {**DAY, "area": VILLAGE, "status": "underweight"}
    (item,) = api_as("cadre").get("/api/stunting/children", query).json()["items"]
    m = kids.measurement(kids.dimas, "2026-06-03")
    assert item == {
        "child_id": kids.dimas.pk,
        "full_name": "Dimas",
        "sex": "M",
        "birth_date": "2024-06-01",
        "area": f"{VILLAGE}.001.002",
        "mother_name": "",
        "statuses": ["stunted", "underweight"],
        "latest": {
            "id": m.pk,
            "child_id": kids.dimas.pk,
            "measured_on": "2026-06-03",
            "age_days": 732,
            "weight_kg": "9.00",
            "length_or_height_cm": "80.0",
            "position": "lying",
            "oedema": False,
            "place": "Posyandu Melati",
            "haz": "-2.57",
            "waz": "-2.64",
            "whz": "-1.84",
            "haz_flagged": False,
            "waz_flagged": False,
            "whz_flagged": False,
            "statuses": ["stunted", "underweight"],
        },
    }


def test_children_list_filters_and_refusals(kids: Kids, api_as: ClientFor) -> None:
    client = api_as("cadre")
    stunted = client.get("/api/stunting/children", {**DAY, "area": RT, "status": "stunted"})
    assert [c["full_name"] for c in stunted.json()["items"]] == ["Bayu"]
    assert error_codes(client.get("/api/stunting/children", {"area": VILLAGE, "status": "tall"}))
    assert error_codes(api_as("district").get("/api/stunting/children", {"area": KEC})) == [
        ("area", "stunting.area_above_village")
    ]
    other = api_as("other_cadre").get("/api/stunting/children", {**DAY, "area": OTHER_VILLAGE})
    assert [c["full_name"] for c in other.json()["items"]] == ["Zaki"]


# -- One child's measurements -----------------------------------------------------------------------


@by_role
def test_a_childs_measurements(kids: Kids, api_as: ClientFor, username: str, auth: str) -> None:
    response = api_as(username, auth).get(measurements_url(kids.ayu))
    if username in NOT_FOUND:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    got = [(m["measured_on"], m["haz"], m["haz_flagged"], m["statuses"]) for m in response.json()]
    assert got == [
        ("2026-04-10", "-6.71", True, ["implausible"]),
        ("2026-05-15", "-0.57", False, ["normal"]),
        ("2026-06-12", "-0.59", False, ["normal"]),
    ]


@by_role
def test_record_by_role(kids: Kids, api_as: ClientFor, username: str, auth: str) -> None:
    client = api_as(username, auth)
    before = state()
    response = client.post(measurements_url(kids.bayu), BODY, content_type="application/json")
    if username in NOT_FOUND:
        assert response.status_code == 404
        assert state() == before
        return
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["haz"], body["waz"], body["whz"], body["age_days"]) == (
        "-3.29",
        "-1.87",
        "-0.39",
        533,
    )
    assert body["statuses"] == ["severely_stunted"]


def test_the_rt_cadre_cannot_record_for_another_rt(kids: Kids, api_as: ClientFor) -> None:
    client = api_as("cadre_rt")
    before = state()
    response = client.post(measurements_url(kids.dimas), BODY, content_type="application/json")
    assert response.status_code == 404
    assert state() == before


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"measured_on": "2099-01-01"}, [("measured_on", "growth.measured_in_future")]),
        ({"measured_on": "2026-06-20"}, [("measured_on", "growth.measured_twice")]),
        ({"weight_kg": 0.2}, [("weight_kg", "growth.weight_range")]),
        ({"length_or_height_cm": 200}, [("length_or_height_cm", "growth.length_range")]),
        ({"position": "sitting"}, [("position", "request.invalid")]),
    ],
)
def test_bad_input_is_422_in_both_languages(
    kids: Kids, api_as: ClientFor, changes: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    client = api_as("cadre")
    before = state()
    response = client.post(
        measurements_url(kids.bayu), {**BODY, **changes}, content_type="application/json"
    )
    assert error_codes(response) == expected
    error = response.json()["errors"][0]
    assert error["message_id"] and error["message_en"]
    assert state() == before


def test_a_bilingual_message(kids: Kids, api_as: ClientFor) -> None:
    response = api_as("cadre").post(
        measurements_url(kids.bayu), {**BODY, "weight_kg": 0.2}, content_type="application/json"
    )
    (error,) = response.json()["errors"]
    assert error["message_id"] == "Berat badan harus antara 0.5 dan 50 kg (tertulis: 0.2)."
    assert error["message_en"] == "The weight must be from 0.5 to 50 kg (given: 0.2)."


# -- Correcting and deleting ----------------------------------------------------------------------


@by_role
def test_update_and_delete_by_role(kids: Kids, api_as: ClientFor, username: str, auth: str) -> None:
    m = kids.measurement(kids.dimas, "2026-06-03")
    client = api_as(username, auth)
    before = state()
    body = {**BODY, "measured_on": "2026-06-03", "weight_kg": 9.5, "length_or_height_cm": 80.0}
    updated = client.put(
        f"/api/stunting/measurements/{m.pk}", body, content_type="application/json"
    )
    deleted = client.delete(f"/api/stunting/measurements/{m.pk}")
    if username in (*NOT_FOUND, "cadre_rt"):
        assert (updated.status_code, deleted.status_code) == (404, 404)
        assert state() == before
        return
    assert updated.status_code == 200, updated.content
    assert (updated.json()["weight_kg"], updated.json()["waz"]) == ("9.50", "-2.16")
    assert deleted.status_code == 204
    assert not ChildMeasurement.objects.filter(pk=m.pk).exists()


def test_an_update_refused_changes_nothing(kids: Kids, api_as: ClientFor) -> None:
    m = kids.measurement(kids.bayu, "2026-06-20")
    client = api_as("cadre")
    before = state()
    response = client.put(
        f"/api/stunting/measurements/{m.pk}",
        {**BODY, "measured_on": "2026-06-05"},
        content_type="application/json",
    )
    assert error_codes(response) == [("measured_on", "growth.measured_twice")]
    assert state() == before
    m.refresh_from_db()
    assert (m.measured_on, m.weight_kg) == (dt.date(2026, 6, 20), D("8.70"))
