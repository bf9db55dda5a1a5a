"""The API as a whole: the OpenAPI document and the interactive docs."""

import json

from django.test import Client

PATHS = {
    "/api/areas": {"get"},
    "/api/areas/{code}": {"get"},
    "/api/areas/{code}/local": {"post"},
    "/api/accounts/me": {"get"},
    "/api/families": {"get", "post"},
    "/api/families/{family_id}": {"get", "patch"},
    "/api/families/{family_id}/members": {"post"},
    "/api/families/{family_id}/move": {"post"},
    "/api/families/{family_id}/deactivate": {"post"},
    "/api/persons": {"get"},
    "/api/persons/{person_id}": {"get", "put"},
    "/api/persons/{person_id}/death": {"post"},
    "/api/persons/{person_id}/move": {"post"},
    "/api/births": {"post"},
    "/api/couples": {"get", "post"},
    "/api/couples/{couple_id}": {"get"},
    "/api/couples/{couple_id}/divorce": {"post"},
    "/api/couples/{couple_id}/intention": {"post"},
    "/api/couples/{couple_id}/pregnancies": {"post"},
    "/api/pregnancies/{pregnancy_id}/end": {"post"},
    "/api/methods": {"get"},
    "/api/facilities": {"get", "post"},
    "/api/facilities/{facility_id}": {"patch"},
    "/api/visits": {"get", "post"},
    "/api/couples/{couple_id}/status": {"get"},
    "/api/due": {"get"},
    "/api/overdue": {"get"},
    "/api/dropouts": {"get"},
    "/api/followups": {"post"},
    "/api/targets": {"get", "put"},
    "/api/facts": {"get"},
    "/api/reports/recap": {"get"},
    "/api/targets/achievement": {"get"},
    "/api/targets/import": {"post"},
}
LISTS = (
    "/api/areas",
    "/api/families",
    "/api/persons",
    "/api/couples",
    "/api/facilities",
    "/api/visits",
    "/api/due",
    "/api/overdue",
    "/api/dropouts",
    "/api/targets",
    "/api/facts",
)


def openapi() -> dict:
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    return json.loads(response.content)


def test_openapi_lists_every_path_and_method(db):
    document = openapi()
    assert (document["openapi"], document["info"]["title"]) == ("3.1.0", "kampungkb API")
    assert {path: set(ops) for path, ops in document["paths"].items()} == PATHS


def test_every_operation_has_a_summary_a_tag_and_security(db):
    for path, operations in openapi()["paths"].items():
        for method, operation in operations.items():
            where = f"{method.upper()} {path}"
            assert operation.get("summary"), where
            assert operation.get("tags"), where
            assert operation.get("security") == [{"BearerToken": []}, {"ActiveSession": []}], where


def test_lists_are_paginated_by_page_number(db):
    paths = openapi()["paths"]
    for path in LISTS:
        parameters = {p["name"] for p in paths[path]["get"]["parameters"]}
        assert {"page", "page_size"} <= parameters, path
        schema = paths[path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        assert schema["$ref"].startswith("#/components/schemas/Paged"), path


def test_docs_page_is_served(db):
    response = Client().get("/api/docs")
    assert response.status_code == 200
    assert b"/api/openapi.json" in response.content
