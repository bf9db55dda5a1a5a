"""The TPK API: assignments, visits, the worklist and the coverage; scope, token and session."""

from __future__ import annotations

from typing import Any

import pytest

from kampungkb.cadres.models import TpkAssignment, TpkVisit
from kampungkb.testing.world import KAB, VILLAGE, World

NAMED = ("admin", "district", "pkb", "cadre")
OTHERS = ("partner", "viewer", "other_district", "other_cadre")
BASE = "/api/cadres/tpk"


@pytest.mark.parametrize("username", NAMED + OTHERS)
def test_assignment_list_by_role(api_as: Any, tpk_history: Any, username: str) -> None:
    response = api_as(username).get(f"{BASE}/assignments", {"status": "all"})
    if username in NAMED:
        assert response.status_code == 200
        items = response.json()["items"]
        assert [(i["kind"], i["name"]) for i in items] == [
            ("family", "Sutrisno"),
            ("family", "Hasan"),
            ("postpartum", "Siti Aminah"),
            ("pregnancy", "Siti Aminah"),
        ]
        assert items[3]["end_reason"] == "pregnancy_ended"
    elif username in ("partner", "viewer"):
        assert response.status_code == 404
    else:
        assert response.status_code == 200
        assert response.json()["items"] == []


@pytest.mark.parametrize("auth", ["token", "session"])
def test_create_and_end_assignment(api_as: Any, tpk: Any, auth: str) -> None:
    client = api_as("pkb", auth)
    payload = {"team": tpk.team.pk, "kind": "family", "target": tpk.hasan.pk}
    response = client.post(
        f"{BASE}/assignments",
        {**payload, "started_on": "2025-02-01"},
        content_type="application/json",
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["kind"], body["target"], body["name"], body["ended_on"]) == (
        "family",
        tpk.hasan.pk,
        "Hasan",
        None,
    )
    again = client.post(
        f"{BASE}/assignments",
        {**payload, "started_on": "2025-02-02"},
        content_type="application/json",
    )
    assert again.status_code == 422
    error = again.json()["errors"][0]
    assert error["code"] == "tpk.already_assigned"
    assert error["message_en"] == "This target is already accompanied by the team Tim Melati."
    assert error["message_id"] == "Sasaran ini sudah didampingi tim Tim Melati."
    ended = client.post(
        f"{BASE}/assignments/{body['id']}/end",
        {"ended_on": "2025-06-01"},
        content_type="application/json",
    )
    assert ended.status_code == 200
    assert (ended.json()["ended_on"], ended.json()["end_reason"]) == ("2025-06-01", "ended")


@pytest.mark.parametrize("username", ("cadre_rt", *OTHERS))
def test_create_assignment_refused(api_as: Any, tpk: Any, username: str) -> None:
    response = api_as(username).post(
        f"{BASE}/assignments",
        {"team": tpk.team.pk, "kind": "family", "target": tpk.hasan.pk, "started_on": "2025-02-01"},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert not TpkAssignment.objects.exists()


def test_target_of_another_village_reads_as_not_found(api_as: Any, world: World, tpk: Any) -> None:
    response = api_as("admin").post(
        f"{BASE}/assignments",
        {
            "team": tpk.team.pk,
            "kind": "family",
            "target": world.other_family.pk,
            "started_on": "2025-02-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "tpk.target_not_found"
    assert not TpkAssignment.objects.exists()


def test_assign_at_risk(api_as: Any, tpk: Any) -> None:
    url = f"{BASE}/teams/{tpk.team.pk}/assign-at-risk"
    assert (
        api_as("other_district").post(url, {}, content_type="application/json").status_code == 404
    )
    response = api_as("pkb").post(url, {"on": "2025-03-31"}, content_type="application/json")
    assert response.status_code == 201
    assert sorted(i["name"] for i in response.json()) == ["Hasan", "Sutrisno"]


def visit_payload(tpk: Any, **fields: Any) -> dict[str, Any]:
    payload = {
        "assignment": tpk.assignments["family"].pk,
        "visited_on": "2025-03-20",
        "members": [tpk.kb.pk],
        "spacing_counselling": True,
        "notes": "Konseling jarak kelahiran",
    }
    payload.update(fields)
    return payload


@pytest.mark.parametrize("username", ("cadre", "cadre_rt", *OTHERS))
def test_record_visit_by_role(api_as: Any, tpk_history: Any, username: str) -> None:
    before = TpkVisit.objects.count()
    response = api_as(username).post(
        f"{BASE}/visits", visit_payload(tpk_history), content_type="application/json"
    )
    if username in ("cadre", "cadre_rt"):
        assert response.status_code == 201
        body = response.json()
        assert (body["visited_on"], body["next_visit_on"], body["members"]) == (
            "2025-03-20",
            "2025-04-19",
            [tpk_history.kb.pk],
        )
        assert (body["spacing_counselling"], body["nutrition_counselling"]) == (True, False)
    else:
        assert response.status_code == 404
        assert TpkVisit.objects.count() == before


def test_record_visit_422(api_as: Any, tpk_history: Any) -> None:
    before = TpkVisit.objects.count()
    response = api_as("cadre").post(
        f"{BASE}/visits",
        visit_payload(tpk_history, members=[tpk_history.other_team.pk + 10_000]),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "tpk.member_not_in_team"
    assert TpkVisit.objects.count() == before


def test_visit_list(api_as: Any, tpk_history: Any) -> None:
    response = api_as("cadre").get(f"{BASE}/visits", {"team": tpk_history.team.pk})
    assert response.status_code == 200
    assert [v["visited_on"] for v in response.json()["items"]] == [
        "2025-03-10",
        "2025-03-02",
        "2025-02-10",
    ]
    assert api_as("other_cadre").get(f"{BASE}/visits").json()["items"] == []
    assert api_as("partner").get(f"{BASE}/visits").status_code == 404


@pytest.mark.parametrize("username", ("pkb", "cadre_rt", *OTHERS))
def test_worklist(api_as: Any, tpk_history: Any, username: str) -> None:
    response = api_as(username).get(
        f"{BASE}/teams/{tpk_history.team.pk}/worklist", {"on": "2025-03-12"}
    )
    if username in ("pkb", "cadre_rt"):
        assert response.status_code == 200
        assert [(i["name"], i["kind"], i["due"], i["risk_reasons"]) for i in response.json()] == [
            ("Sutrisno", "family", "soon", ["unsafe_water"]),
            ("Siti Aminah", "postpartum", "soon", ["unsafe_water"]),
            ("Hasan", "family", "never", ["too_young"]),
        ]
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("username", ("district", "partner", "viewer", "other_district", "pkb"))
def test_coverage(api_as: Any, tpk_history: Any, username: str) -> None:
    response = api_as(username).get(f"{BASE}/coverage", {"area": KAB, "month": "2025-03"})
    if username in ("district", "partner", "viewer"):
        assert response.status_code == 200
        assert response.json() == {
            "area": KAB,
            "month": "2025-03",
            "families_at_risk": 2,
            "families_visited": 1,
            "families_share": "50.0",
            "pregnant": 1,
            "pregnant_visited": 1,
            "pregnant_share": "100.0",
            "postpartum": 1,
            "postpartum_visited": 1,
            "postpartum_share": "100.0",
            "brides": 0,
            "brides_visited": 0,
            "brides_share": None,
        }
    else:
        assert response.status_code == 404
    if username == "pkb":
        own = api_as(username).get(f"{BASE}/coverage", {"area": VILLAGE, "month": "2025-03"})
        assert own.json()["families_visited"] == 1


def test_coverage_bad_month(api_as: Any, tpk_history: Any) -> None:
    response = api_as("district").get(f"{BASE}/coverage", {"area": KAB, "month": "maret"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "tpk.month_invalid"
