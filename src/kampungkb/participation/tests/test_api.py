import pytest
from django.test import Client

from kampungkb.participation.barriers import CATALOGUE
from kampungkb.testing.world import AGGREGATE_AREAS, KEC, VILLAGE, VILLAGE_2

URL = "/api/participation/barriers"
MONTHS = "&from=2025-01&to=2025-08"

pytestmark = pytest.mark.usefixtures("barriers")


@pytest.mark.parametrize("username", AGGREGATE_AREAS)
def test_every_role_reads_its_areas_and_not_others(api_as, username) -> None:
    seen, unseen = AGGREGATE_AREAS[username]
    client = api_as(username)
    response = client.get(f"{URL}?area={seen}{MONTHS}")
    assert response.status_code == 200
    assert response.json()["area"] == seen
    if unseen is not None:
        assert client.get(f"{URL}?area={unseen}{MONTHS}").status_code == 404


def test_ranking_of_a_kecamatan(api_as) -> None:
    body = api_as("partner").get(f"{URL}?area={KEC}{MONTHS}").json()
    assert (body["first"], body["last"], body["total"]) == ("2025-01", "2025-08", 5)
    assert [(b["code"], b["count"], b["share"], b["rank"]) for b in body["barriers"][:4]] == [
        ("religious_belief", 3, 0.6, 1),
        ("myth_many_children", 1, 0.2, 2),
        ("husband_objects", 1, 0.2, 2),
        ("side_effects", 0, 0.0, None),
    ]
    with_counts = {
        s["area"]: {k: v for k, v in s["counts"].items() if v}
        for s in body["sub_areas"]
        if s["total"]
    }
    assert with_counts == {
        VILLAGE: {"religious_belief": 2, "husband_objects": 1},
        VILLAGE_2: {"religious_belief": 1, "myth_many_children": 1},
    }


def test_catalogue(api_as) -> None:
    body = api_as("viewer").get("/api/participation/barrier-catalogue").json()
    assert [b["code"] for b in body] == [e.code.value for e in CATALOGUE]
    husband = next(b for b in body if b["code"] == "husband_objects")
    assert husband["group"] == "community"
    assert husband["suggested_action"]["activity_kind"] == "mens_forum"
    assert husband["suggested_action"]["target_group"] == "men"
    assert {b["code"] for b in body if b["group"] == "cadre"} == {
        "lack_of_knowledge",
        "no_incentive",
        "family_no_support",
    }


def test_anonymous_is_refused() -> None:
    assert Client().get("/api/participation/barrier-catalogue").status_code == 401


@pytest.mark.parametrize(
    ("query", "field", "code"),
    [
        ("from=2025-1", "from", "query.month"),
        ("to=x", "to", "query.month"),
        ("from=2025-08&to=2025-01", "from", "participation.month_order"),
    ],
)
def test_bad_months_are_422_in_both_languages(api_as, query, field, code) -> None:
    response = api_as("cadre").get(f"{URL}?area={VILLAGE}&{query}")
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert (error["field"], error["code"]) == (field, code)
    assert error["message_id"] != error["message_en"]
