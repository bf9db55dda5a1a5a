"""The Kampung KB API by role: list with class, detail with classification, a month's profile
read and written, versions and class history; names for officers only; 404 out of area."""

from __future__ import annotations

from typing import Any

import pytest

from kampungkb.kampung import services
from kampungkb.kampung.models import KampungKb, ProfileVersion
from kampungkb.kampung.tests.conftest import FULL_PROFILE, JUNE, Setting
from kampungkb.testing.world import KAB, VILLAGE, World

API = "/api/kampung"


@pytest.fixture
def classified(setting: Setting) -> Setting:
    services.profile_save(kampung=setting.kampung, month=JUNE, data=FULL_PROFILE, actor=None)
    return setting


def test_list_with_class(classified: Setting, client_for: Any) -> None:
    body = client_for("viewer").get(API, {"month": "2025-06", "area": KAB}).json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item == {
        "id": classified.kampung.pk,
        "name": "Kampung KB Mahakam Sejahtera",
        "village_code": VILLAGE,
        "village_name": "Kota Bangun Ulu",
        "declared_on": "2024-01-15",
        "is_active": True,
        "klass": "dasar",
        "klass_month": "2025-06",
        "latitude": None,
        "longitude": None,
    }
    assert client_for("viewer").get(API, {"klass": "mandiri"}).json()["count"] == 0
    assert client_for("other_district").get(API).json()["count"] == 0
    assert client_for("other_district").get(API, {"area": KAB}).status_code == 404


@pytest.mark.parametrize(("username", "names"), [("cadre", True), ("partner", False)])
def test_detail_with_classification(
    classified: Setting, client_for: Any, username: str, names: bool
) -> None:
    body = client_for(username).get(f"{API}/{classified.kampung.pk}", {"month": "2025-07"}).json()
    assert body["month"] == "2025-07"
    assert body["classification"]["month"] == "2025-06"
    assert body["classification"]["klass"] == "dasar"
    assert body["classification"]["input_index"] == "2.80"
    assert body["classification"]["rules_version"] == 1
    scores = {s["key"]: (s["score"], s["next"]) for s in body["classification"]["scores"]}
    assert scores["unmet_need"] == (3, 6)
    assert body["profile"]["is_own"] is False
    assert body["profile"]["profile"]["month"] == "2025-06"
    assert (body["person_in_charge"] is not None) == names
    assert (body["profile"]["profile"]["supervisor_name"] is not None) == names
    assert body["criteria"] == ["low_fp", "river_basin"]


@pytest.mark.parametrize("username", ["other_district", "other_cadre", "cadre_rt"])
def test_out_of_area_is_404(classified: Setting, client_for: Any, username: str) -> None:
    client = client_for(username)
    pk = classified.kampung.pk
    for url in (f"{API}/{pk}", f"{API}/{pk}/classifications", f"{API}/{pk}/profiles/2025-06"):
        assert client.get(url).status_code == 404


def test_put_a_months_profile_adds_a_version(
    classified: Setting, client_for: Any, world: World
) -> None:
    pk = classified.kampung.pk
    payload = {
        "pokja_exists": True,
        "pokja_members": 4,
        "funding_sources": ["csr"],
        "data_sources": ["village_data", "sectoral"],
        "pkb_id": world.user("pkb").pk,
    }
    response = client_for("pkb").put(
        f"{API}/{pk}/profiles/2025-06", payload, content_type="application/json"
    )
    assert response.status_code == 201
    assert response.json()["version"] == 2
    assert response.json()["pkb"] == "Pkb"
    versions = client_for("pkb").get(f"{API}/{pk}/profiles").json()
    assert [(v["version"], v["is_active"]) for v in versions] == [(2, True), (1, False)]
    history = client_for("viewer").get(f"{API}/{pk}/classifications").json()
    assert [(h["month"], h["inputs"]["profile_version"]) for h in history] == [("2025-06", 2)]


def test_put_refused_writes_nothing(classified: Setting, client_for: Any) -> None:
    pk = classified.kampung.pk
    url = f"{API}/{pk}/profiles/2025-06"
    bad = {"pokja_exists": False, "pokja_trained": True}
    response = client_for("cadre").put(url, bad, content_type="application/json")
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["code"] == "kampung.pokja_details_without_pokja"
    assert error["message_en"].startswith("The Pokja's decree")
    assert client_for("partner").put(url, {}, content_type="application/json").status_code == 404
    response = client_for("cadre").put(
        f"{API}/{pk}/profiles/juni", {}, content_type="application/json"
    )
    assert response.status_code == 422
    assert ProfileVersion.objects.count() == 1


def test_register_through_the_api(world: World, client_for: Any) -> None:
    payload = {
        "village": VILLAGE,
        "name": "Kampung KB Ulu",
        "declared_on": "2024-05-02",
        "person_in_charge": "Ibu Ratna",
        "criteria": ["low_fp", "slum"],
        "rws": [f"{VILLAGE}.001"],
    }
    response = client_for("district").post(API, payload, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["rws"] == [f"{VILLAGE}.001"]
    assert response.json()["classification"] is None
    refused = client_for("viewer").post(API, payload, content_type="application/json")
    assert refused.status_code == 404
    assert KampungKb.objects.count() == 1
