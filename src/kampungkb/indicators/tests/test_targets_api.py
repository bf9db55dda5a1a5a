"""The targets API: reads scoped, writes for officers only, the import all or nothing."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from kampungkb.core.models import AuditEvent
from kampungkb.indicators.models import Fact, Target
from kampungkb.indicators.tests.test_targets_services import xlsx
from kampungkb.testing.world import KEC, OTHER_KAB, OTHER_VILLAGE, VILLAGE, VILLAGE_2


@pytest.fixture
def figures(world):
    Target.objects.create(area_id=KEC, year=2025, kind="PA", value=1000)
    Target.objects.create(area_id=VILLAGE, year=2025, kind="PB", value=8)
    Target.objects.create(area_id=OTHER_KAB, year=2025, kind="PA", value=5000)
    Fact.objects.create(
        indicator="PA", area_code=KEC, level=3, period=dt.date(2025, 3, 1), numerator=850
    )
    Fact.objects.create(
        indicator="PB", area_code=KEC, level=3, period=dt.date(2025, 1, 1), numerator=4
    )
    Fact.objects.create(
        indicator="PB", area_code=KEC, level=3, period=dt.date(2025, 3, 1), numerator=6
    )


def targets() -> set[tuple[str, int, str, int]]:
    return set(Target.objects.values_list("area_id", "year", "kind", "value"))


def put(client: Client, body: dict[str, Any]) -> Any:
    return client.put("/api/targets", json.dumps(body), content_type="application/json")


def test_list_is_scoped(api_as, figures):
    response = api_as("partner").get("/api/targets")
    assert response.status_code == 200
    assert response.json()["items"] == [
        {"area_code": KEC, "area_name": "Kota Bangun", "year": 2025, "kind": "PA", "value": 1000},
        {
            "area_code": VILLAGE,
            "area_name": "Kota Bangun Ulu",
            "year": 2025,
            "kind": "PB",
            "value": 8,
        },
    ]
    assert response.json()["count"] == 2
    assert [
        i["area_code"] for i in api_as("other_district").get("/api/targets").json()["items"]
    ] == [OTHER_KAB]
    assert [
        i["area_code"] for i in api_as("viewer").get("/api/targets?year=2025").json()["items"]
    ] == [
        OTHER_KAB,
        KEC,
        VILLAGE,
    ]


def test_list_area_outside_the_scope_is_not_found(api_as, figures):
    assert api_as("other_district").get(f"/api/targets?area={KEC}").status_code == 404


def test_achievement(api_as, figures):
    response = api_as("partner").get(f"/api/targets/achievement?area={KEC}&month=2025-03-01")
    assert response.status_code == 200
    assert response.json() == {
        "area_code": KEC,
        "month": "2025-03-01",
        "achievements": [
            {"code": "PA", "target": 1000, "actual": "850", "percent": "85.0"},
            {"code": "PB", "target": None, "actual": "10", "percent": None},
        ],
    }
    assert (
        api_as("other_cadre")
        .get(f"/api/targets/achievement?area={KEC}&month=2025-03-01")
        .status_code
        == 404
    )


def test_set_and_remove(api_as, figures):
    client = api_as("district")
    response = put(client, {"area_code": VILLAGE_2, "year": 2025, "kind": "PA", "value": 60})
    assert (response.status_code, response.json()) == (
        200,
        {"area_code": VILLAGE_2, "year": 2025, "kind": "PA", "value": 60},
    )
    response = put(client, {"area_code": VILLAGE, "year": 2025, "kind": "PB", "value": None})
    assert response.json()["value"] is None
    assert targets() == {
        (KEC, 2025, "PA", 1000),
        (VILLAGE_2, 2025, "PA", 60),
        (OTHER_KAB, 2025, "PA", 5000),
    }
    assert AuditEvent.objects.filter(action__startswith="target.").count() == 2


def test_set_refuses_bad_values_bilingually(api_as, figures):
    response = put(
        api_as("district"), {"area_code": VILLAGE_2, "year": 1990, "kind": "PA", "value": 1}
    )
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error["field"] == "year"
    assert error["code"] == "target.year_range"
    assert error["message_id"].startswith("Tahun harus antara 2000 dan ")
    assert error["message_en"].startswith("The year must be between 2000 and ")
    response = put(
        api_as("district"), {"area_code": VILLAGE_2, "year": 2025, "kind": "XX", "value": 1}
    )
    assert response.status_code == 422
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [
        ("kind", "request.invalid")
    ]
    assert targets() == {
        (KEC, 2025, "PA", 1000),
        (VILLAGE, 2025, "PB", 8),
        (OTHER_KAB, 2025, "PA", 5000),
    }


@pytest.mark.parametrize("username", ["cadre", "partner", "viewer", "other_district"])
def test_set_refused_without_edit_capability(api_as, figures, username):
    response = put(api_as(username), {"area_code": VILLAGE, "year": 2025, "kind": "PA", "value": 1})
    assert response.status_code == 404
    assert targets() == {
        (KEC, 2025, "PA", 1000),
        (VILLAGE, 2025, "PB", 8),
        (OTHER_KAB, 2025, "PA", 5000),
    }


def test_import(api_as, figures):
    file = xlsx([(VILLAGE, "", 2025, 70, 8), (VILLAGE_2, "", 2025, 65, "")])
    file.name = "ppm.xlsx"
    response = api_as("pkb").post("/api/targets/import", {"file": file})
    assert (response.status_code, response.json()) == (
        200,
        {"created": 2, "updated": 0, "unchanged": 1},
    )
    assert (VILLAGE, 2025, "PA", 70) in targets()


def test_import_refused_lists_every_row(api_as, figures):
    file = xlsx(
        [(VILLAGE, "", 2025, 70, 8), (OTHER_VILLAGE, "", 2025, 1, 1), (VILLAGE, "", 2025, 1, 1)]
    )
    file.name = "ppm.xlsx"
    response = api_as("pkb").post("/api/targets/import", {"file": file})
    assert response.status_code == 422
    assert response.json() == {
        "errors": [
            {
                "row": 3,
                "field": "area_code",
                "code": "target.area_not_editable",
                "message_id": f"Anda tidak berwenang mengubah target wilayah {OTHER_VILLAGE}.",
                "message_en": f"You may not change the targets of area {OTHER_VILLAGE}.",
            },
            {
                "row": 4,
                "field": "area_code",
                "code": "target.duplicate_row",
                "message_id": f"Wilayah {VILLAGE} tahun 2025 sudah ada di baris 2.",
                "message_en": f"Area {VILLAGE} for 2025 is already in row 2.",
            },
        ]
    }
    assert targets() == {
        (KEC, 2025, "PA", 1000),
        (VILLAGE, 2025, "PB", 8),
        (OTHER_KAB, 2025, "PA", 5000),
    }


def test_import_of_an_unreadable_file(api_as, figures):
    from django.core.files.uploadedfile import SimpleUploadedFile

    file = SimpleUploadedFile("ppm.xlsx", b"nonsense")
    response = api_as("district").post("/api/targets/import", {"file": file})
    assert response.status_code == 422
    assert [(e["row"], e["field"], e["code"]) for e in response.json()["errors"]] == [
        (0, "file", "target.file_unreadable")
    ]


@pytest.mark.parametrize("username", ["cadre", "partner", "viewer"])
def test_import_refused_without_edit_capability(api_as, figures, username):
    file = xlsx([(VILLAGE, "", 2025, 70, 8)])
    file.name = "ppm.xlsx"
    assert api_as(username).post("/api/targets/import", {"file": file}).status_code == 404
    assert targets() == {
        (KEC, 2025, "PA", 1000),
        (VILLAGE, 2025, "PB", 8),
        (OTHER_KAB, 2025, "PA", 5000),
    }


def test_import_without_credentials(client, figures):
    assert client.post("/api/targets/import").status_code == 401
