"""The cadres API: scoped like the pages (404 out of scope), aggregate roles get the dashboard
only, bilingual error bodies, nothing written on a refusal, scores computed by the server."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from kampungkb.activities.models import Activity
from kampungkb.cadres.models import Cadre, CadreRegistration, KnowledgeTest, Question
from kampungkb.cadres.tests.conftest import TRAINING_ON, person, sheet
from kampungkb.testing.world import RT, USERS, VILLAGE, World

ApiFor = Callable[[str], Client]
ALL_USERS = tuple(USERS)
NAMED = ("admin", "district", "pkb", "cadre")
AGGREGATE = ("partner", "viewer")


def send(client: Client, method: str, url: str, body: Any) -> Any:
    return getattr(client, method)(url, body, content_type="application/json")


@pytest.mark.parametrize("username", ALL_USERS)
def test_list_and_detail_by_role(api_as: ApiFor, ppkbd: Cadre, username: str) -> None:
    client = api_as(username)
    response = client.get("/api/cadres")
    if username in AGGREGATE:
        assert response.status_code == 404
    else:
        ids = [i["id"] for i in response.json()["items"]]
        assert ids == ([ppkbd.pk] if username in NAMED else [])
    detail = client.get(f"/api/cadres/{ppkbd.pk}")
    assert detail.status_code == (200 if username in NAMED else 404)
    if username in NAMED:
        body = detail.json()
        assert (body["name"], body["role"], body["area"], body["registered"]) == (
            "Siti Aminah",
            "ppkbd",
            VILLAGE,
            True,
        )
        assert "nik" not in body


def test_register_update_deactivate(api_as: ApiFor, world: World) -> None:
    client = api_as("pkb")
    created = send(
        client,
        "post",
        "/api/cadres",
        {
            "person_id": person("Sutrisno").pk,
            "role": "kelompok_kb",
            "area": RT,
            "started_on": "2022-03-01",
            "decree_number": "SK 5/2022",
        },
    )
    assert created.status_code == 201
    cadre_id = created.json()["id"]
    updated = send(
        client,
        "put",
        f"/api/cadres/{cadre_id}",
        {"started_on": "2022-02-01", "decree_number": "SK 5/2022", "phone": "0815"},
    )
    assert (updated.json()["started_on"], updated.json()["phone"]) == ("2022-02-01", "0815")
    ended = send(
        client,
        "post",
        f"/api/cadres/{cadre_id}/deactivate",
        {"ended_on": "2024-05-01", "reason": "Merantau"},
    )
    assert (ended.json()["is_active"], ended.json()["ended_on"]) == (False, "2024-05-01")
    assert Cadre.objects.filter(pk=cadre_id).exists()


def test_refusal_is_bilingual_and_writes_nothing(api_as: ApiFor, world: World) -> None:
    response = send(
        api_as("pkb"),
        "post",
        "/api/cadres",
        {
            "person_id": person("Sutrisno").pk,
            "role": "ppkbd",
            "area": RT,
            "started_on": "2022-03-01",
        },
    )
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert (error["field"], error["code"]) == ("area", "cadre.role_area_level")
    assert error["message_id"].startswith("PPKBD (Pembantu Pembina KB Desa) melayani")
    assert error["message_en"].startswith("A PPKBD (village family-planning helper) serves")
    assert Cadre.objects.count() == 0


def test_out_of_scope_is_not_found(api_as: ApiFor, ppkbd: Cadre) -> None:
    client = api_as("other_district")
    assert (
        send(
            client,
            "post",
            f"/api/cadres/{ppkbd.pk}/deactivate",
            {"ended_on": "2024-01-01", "reason": "x"},
        ).status_code
        == 404
    )
    assert (
        send(
            client,
            "post",
            "/api/cadres",
            {
                "person_id": ppkbd.person_id,
                "role": "posyandu",
                "area": VILLAGE,
                "started_on": "2022-01-01",
            },
        ).status_code
        == 404
    )
    ppkbd.refresh_from_db()
    assert ppkbd.is_active is True
    assert Cadre.objects.count() == 1


def test_registrations(api_as: ApiFor, ppkbd: Cadre) -> None:
    client = api_as("cadre")
    created = send(
        client,
        "post",
        f"/api/cadres/{ppkbd.pk}/registrations",
        {"year": 2024, "registered_on": "2024-01-12"},
    )
    assert created.status_code == 201
    again = send(
        client,
        "post",
        f"/api/cadres/{ppkbd.pk}/registrations",
        {"year": 2024, "registered_on": "2024-01-13"},
    )
    assert again.json()["errors"][0]["code"] == "cadre.already_registered"
    years = [r["year"] for r in client.get(f"/api/cadres/{ppkbd.pk}/registrations").json()]
    assert sorted(years)[0] == 2024 and CadreRegistration.objects.filter(year=2024).count() == 1


def test_record_a_test_and_read_it(api_as: ApiFor, ppkbd: Cadre, training: Activity) -> None:
    client = api_as("district")
    answers = sheet(["MOP-01", "MOP-02", "MOP-04"], ["MOP-03"])
    body = {
        "phase": "post",
        "taken_on": TRAINING_ON.isoformat(),
        "training_id": training.pk,
        "answers": [{"question_id": pk, "chosen": chosen} for pk, chosen in answers.items()],
    }
    response = send(client, "post", f"/api/cadres/{ppkbd.pk}/tests", body)
    assert response.status_code == 201
    test = response.json()
    assert (test["correct_count"], test["question_count"], test["score"], test["certified"]) == (
        3,
        4,
        "75.0",
        True,
    )
    wrong = next(a for a in test["answers"] if a["code"] == "MOP-03")
    assert wrong["is_correct"] is False
    assert wrong["explanation"] == Question.objects.get(code="MOP-03").explanation
    listed = client.get(f"/api/cadres/{ppkbd.pk}/tests").json()
    assert [t["id"] for t in listed] == [test["id"]]
    assert api_as("viewer").get(f"/api/cadres/tests/{test['id']}").status_code == 404


def test_questions_by_topic(api_as: ApiFor) -> None:
    items = api_as("cadre").get("/api/cadres/questions", {"topic": "stunting"}).json()
    assert len(items) == 8
    assert set(items[0]["options"]) == {"a", "b", "c", "d"}
    assert api_as("viewer").get("/api/cadres/questions").status_code == 404


@pytest.mark.parametrize("username", ALL_USERS)
def test_dashboard_by_role(api_as: ApiFor, ppkbd: Cadre, username: str) -> None:
    response = api_as(username).get("/api/cadres/dashboard", {"area": VILLAGE})
    if username in ("cadre_rt", "other_district", "other_cadre"):
        assert response.status_code == 404
        return
    body = response.json()
    assert (
        body["total"]["active"],
        body["total"]["families"],
        body["total"]["per_100_families"],
    ) == (
        1,
        2,
        "50.00",
    )
    assert body["without_cadre"] == 1  # RW 001


def test_knowledge_gap(api_as: ApiFor, ppkbd: Cadre) -> None:
    from kampungkb.cadres import services

    services.test_record(
        cadre=ppkbd,
        phase="pre",
        taken_on=TRAINING_ON,
        answers=sheet(["KON-01"], ["KON-02", "KON-03"]),
        actor=None,
    )
    body = api_as("pkb").get("/api/cadres/knowledge", {"area": VILLAGE}).json()
    [row] = body["below_pass_mark"]
    assert (row["name"], row["score"], row["topics"]["counselling"]) == (
        "Siti Aminah",
        "33.3",
        "33.3",
    )
    assert api_as("partner").get("/api/cadres/knowledge").status_code == 404
    assert KnowledgeTest.objects.count() == 1


def test_teams_and_alerts(api_as: ApiFor, world: World) -> None:
    client = api_as("pkb")
    team = send(client, "post", "/api/cadres/teams", {"village": VILLAGE, "name": "TPK Ulu"})
    assert team.status_code == 201
    assert [t["name"] for t in client.get("/api/cadres/teams").json()] == ["TPK Ulu"]
    alerts = api_as("viewer").get("/api/cadres/alerts", {"area": VILLAGE}).json()
    assert [a["code"] for a in alerts] == [VILLAGE, f"{VILLAGE}.001"]
