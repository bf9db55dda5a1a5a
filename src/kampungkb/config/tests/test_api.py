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
    "/api/families/{family_id}/housing": {"put"},
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
    "/api/followups/verify": {"post"},
    "/api/targets": {"get", "put"},
    "/api/facts": {"get"},
    "/api/reports/recap": {"get"},
    "/api/targets/achievement": {"get"},
    "/api/targets/import": {"post"},
    "/api/activities": {"get", "post"},
    "/api/activities/plan": {"post"},
    "/api/activities/{activity_id}/hold": {"post"},
    "/api/activities/{activity_id}/cancel": {"post"},
    "/api/activities/{activity_id}": {"delete", "get", "put"},
    "/api/activities/{activity_id}/attendance": {"post"},
    "/api/activities/{activity_id}/counts": {"put"},
    "/api/activities/{activity_id}/contributions": {"post"},
    "/api/activities/{activity_id}/contributions/{contribution_id}": {"delete"},
    "/api/activities/{activity_id}/partners": {"get"},
    "/api/activities/{activity_id}/partners/{partner_id}": {"delete", "put"},
    "/api/poktan": {"get", "post"},
    "/api/poktan/{poktan_id}": {"get"},
    "/api/poktan/{poktan_id}/members": {"get", "post"},
    "/api/poktan/members/{member_id}/end": {"post"},
    "/api/kampung": {"get", "post"},
    "/api/kampung/{kampung_id}": {"get"},
    "/api/kampung/{kampung_id}/classifications": {"get"},
    "/api/kampung/{kampung_id}/profiles": {"get"},
    "/api/kampung/{kampung_id}/profiles/{month}": {"get", "put"},
    "/api/partners": {"get", "post"},
    "/api/partners/{partner_id}": {"get", "patch"},
    "/api/partners/{partner_id}/deactivate": {"post"},
    "/api/partners/{partner_id}/contacts": {"get", "post"},
    "/api/partner-contacts/{contact_id}": {"delete", "put"},
    "/api/mous": {"get"},
    "/api/partners/{partner_id}/mous": {"post"},
    "/api/mous/{mou_id}": {"get", "put"},
    "/api/mous/{mou_id}/renew": {"post"},
    "/api/mous/{mou_id}/document": {"get", "post"},
    "/api/mous/{mou_id}/commitments": {"get", "post"},
    "/api/commitments/{commitment_id}": {"delete", "put"},
    "/api/mou-alerts": {"get"},
    "/api/partners/{partner_id}/report": {"get"},
    "/api/cadres": {"get", "post"},
    "/api/cadres/alerts": {"get"},
    "/api/cadres/due": {"get"},
    "/api/cadres/teams": {"get", "post"},
    "/api/cadres/teams/{team_id}": {"put"},
    "/api/cadres/questions": {"get"},
    "/api/cadres/tests/{test_id}": {"get"},
    "/api/cadres/knowledge": {"get"},
    "/api/cadres/dashboard": {"get"},
    "/api/cadres/{cadre_id}": {"get", "put"},
    "/api/cadres/{cadre_id}/deactivate": {"post"},
    "/api/cadres/{cadre_id}/registrations": {"get", "post"},
    "/api/cadres/{cadre_id}/tests": {"get", "post"},
    "/api/cadres/meetings": {"get", "post"},
    "/api/cadres/meetings/{meeting_id}": {"get"},
    "/api/cadres/meetings/{meeting_id}/minutes": {"put"},
    "/api/cadres/meetings/{meeting_id}/attendance": {"put"},
    "/api/cadres/meetings/{meeting_id}/items": {"post"},
    "/api/cadres/meetings/{meeting_id}/carry": {"post"},
    "/api/cadres/meetings/items/{item_id}": {"put"},
    "/api/cadres/meetings/items/{item_id}/close": {"post"},
    "/api/cadres/field-control": {"get"},
    "/api/cadres/incentive-rules": {"get", "post"},
    "/api/cadres/incentive-rules/{rule_id}": {"patch", "put"},
    "/api/cadres/incentives": {"get"},
    "/api/cadres/incentives/compute": {"post"},
    "/api/cadres/incentives/visits": {"get"},
    "/api/cadres/incentives/{batch_id}": {"get"},
    "/api/cadres/incentives/{batch_id}/propose": {"post"},
    "/api/cadres/incentives/{batch_id}/approve": {"post"},
    "/api/cadres/incentives/{batch_id}/return": {"post"},
    "/api/cadres/incentives/{batch_id}/reopen": {"post"},
    "/api/cadres/incentives/{batch_id}/pay": {"post"},
    "/api/cadres/incentive-lines/{line_id}": {"get"},
    "/api/cadres/tpk/assignments": {"get", "post"},
    "/api/cadres/tpk/assignments/{assignment_id}/end": {"post"},
    "/api/cadres/tpk/teams/{team_id}/assign-at-risk": {"post"},
    "/api/cadres/tpk/visits": {"get", "post"},
    "/api/cadres/tpk/teams/{team_id}/worklist": {"get"},
    "/api/cadres/tpk/coverage": {"get"},
    "/api/participation/barrier-catalogue": {"get"},
    "/api/participation/barriers": {"get"},
    "/api/participation/index": {"get"},
    "/api/participation/suggested-actions": {"get"},
    "/api/participation/suggested-actions/{key}": {"put", "delete"},
    "/api/participation/instruments": {"get", "post"},
    "/api/participation/instruments/{instrument_id}": {"get"},
    "/api/participation/instruments/{instrument_id}/copy": {"post"},
    "/api/participation/instruments/{instrument_id}/items": {"post"},
    "/api/participation/instrument-items/{item_id}": {"put", "delete"},
    "/api/participation/surveys": {"get", "post"},
    "/api/participation/surveys/{survey_id}": {"get"},
    "/api/participation/surveys/{survey_id}/respondents": {"get"},
    "/api/participation/surveys/{survey_id}/respondents/{code}/answers": {"post"},
    "/api/participation/surveys/{survey_id}/import": {"post"},
    "/api/participation/surveys/{survey_id}/xlsform": {"get"},
    "/api/participation/notes": {"get", "post"},
    "/api/participation/notes/matrix": {"get"},
    "/api/participation/notes/{note_id}": {"get", "put", "delete"},
    "/api/stunting/at-risk": {"get"},
    "/api/stunting/families/{family_id}": {"get"},
    "/api/stunting/summary": {"get"},
    "/api/stunting/mothers": {"get"},
    "/api/stunting/brides": {"get", "post"},
    "/api/stunting/brides/{bride_id}/screenings": {"post"},
    "/api/stunting/brides/{bride_id}/cancel": {"post"},
    "/api/stunting/brides/{bride_id}/reopen": {"post"},
    "/api/stunting/early-marriages": {"get"},
    "/api/stunting/children": {"get"},
    "/api/stunting/children/{person_id}/measurements": {"get", "post"},
    "/api/stunting/measurements/{measurement_id}": {"put", "delete"},
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
    "/api/activities",
    "/api/poktan",
    "/api/kampung",
    "/api/partners",
    "/api/mous",
    "/api/cadres",
    "/api/cadres/incentive-rules",
    "/api/cadres/incentives",
    "/api/cadres/incentives/visits",
    "/api/cadres/tpk/assignments",
    "/api/cadres/tpk/visits",
    "/api/stunting/at-risk",
    "/api/stunting/children",
    "/api/stunting/mothers",
    "/api/stunting/brides",
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
