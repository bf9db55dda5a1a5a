"""The stunting API, every endpoint tried by every role of the shared world (``conftest.py``),
with an API token and with a browser session, on the fixed day ``ON``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client, override_settings

from kampungkb.stunting.tests.conftest import ON, Krs
from kampungkb.testing.world import KAB, KEC, OTHER_VILLAGE, RT, USERS, VILLAGE, VILLAGE_2

ALL_USERS = tuple(USERS)
AUTHS = ("token", "session")
DAY = {"on": ON.isoformat()}
VILLAGE_READERS = ("admin", "district", "pkb", "cadre")

ClientFor = Callable[..., Client]


by_role = pytest.mark.parametrize(("username", "auth"), [(u, a) for u in ALL_USERS for a in AUTHS])


def heads(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["head_name"] for item in response.json()["items"]]


def error_codes(response: Any) -> list[tuple[str, str]]:
    assert response.status_code == 422, response.content
    return [(e["field"], e["code"]) for e in response.json()["errors"]]


# -- The list -------------------------------------------------------------------------------------


@by_role
def test_at_risk_list_of_the_village(krs: Krs, api_as: ClientFor, username, auth) -> None:
    response = api_as(username, auth).get("/api/stunting/at-risk", {**DAY, "area": VILLAGE})
    if username not in VILLAGE_READERS:
        assert response.status_code == 404
        return
    assert heads(response) == ["I Wayan Sudarma", "Joko Susilo"]
    assert response.json()["count"] == 2


def test_at_risk_row(krs: Krs, api_as: ClientFor) -> None:
    query = {**DAY, "area": VILLAGE, "reason": "too_young"}
    assert api_as("cadre").get("/api/stunting/at-risk", query).json() == {
        "items": [
            {
                "family_id": krs.joko.pk,
                "head_name": "Joko Susilo",
                "area": f"{VILLAGE}.001.002",
                "area_label": "Kota Bangun Ulu \u203a RW 001 \u203a RT 002",
                "address": "Gang Pelita 7",
                "target_reasons": ["pus", "under_2"],
                "risk_reasons": ["unsafe_water", "no_decent_latrine", "too_young"],
                "unknown": [],
            }
        ],
        "count": 1,
    }


@pytest.mark.parametrize(
    ("username", "area", "expected"),
    [
        ("cadre_rt", RT, ["I Wayan Sudarma"]),
        ("pkb", VILLAGE_2, ["Agus Salim"]),
        ("other_cadre", OTHER_VILLAGE, ["Lalu Ahmad"]),
        ("admin", OTHER_VILLAGE, ["Lalu Ahmad"]),
    ],
)
def test_at_risk_list_of_other_areas(krs: Krs, api_as: ClientFor, username, area, expected):
    assert heads(api_as(username).get("/api/stunting/at-risk", {**DAY, "area": area})) == expected


@override_settings(KAMPUNGKB_PAGE_SIZE=1)
def test_at_risk_list_is_paginated(krs: Krs, api_as: ClientFor) -> None:
    client = api_as("cadre")
    query = {**DAY, "area": VILLAGE, "page": "2", "page_size": "1"}
    assert heads(client.get("/api/stunting/at-risk", query)) == ["Joko Susilo"]


@pytest.mark.parametrize(
    ("query", "errors"),
    [
        ({"area": KEC}, [("area", "stunting.area_above_village")]),
        ({"area": VILLAGE, "on": "2999-01-01"}, [("on", "stunting.date_in_future")]),
        ({"area": VILLAGE, "reason": "poverty"}, [("reason", "request.invalid")]),
        ({}, [("area", "request.missing")]),
    ],
)
def test_at_risk_list_refuses_bad_queries(krs: Krs, api_as: ClientFor, query, errors) -> None:
    response = api_as("district").get("/api/stunting/at-risk", query)
    assert error_codes(response) == errors


def test_an_area_above_a_village_is_explained_in_both_languages(
    krs: Krs, api_as: ClientFor
) -> None:
    [error] = api_as("district").get("/api/stunting/at-risk", {"area": KAB}).json()["errors"]
    assert error["message_id"].startswith("Pilih sebuah desa/kelurahan")
    assert error["message_en"] == (
        "Choose a village (or an RW/RT in it): Kabupaten Kutai Kartanegara is larger than a "
        "village. Counts per sub-district and district will come with the indicator facts."
    )


# -- One family -----------------------------------------------------------------------------------


@by_role
def test_family_assessment_by_role(krs: Krs, api_as: ClientFor, username, auth) -> None:
    response = api_as(username, auth).get(f"/api/stunting/families/{krs.wayan.pk}", DAY)
    readers = (*VILLAGE_READERS, "cadre_rt")
    assert response.status_code == (200 if username in readers else 404)


def test_family_assessment(krs: Krs, api_as: ClientFor) -> None:
    body = api_as("cadre").get(f"/api/stunting/families/{krs.wayan.pk}", DAY).json()
    sari = krs.wayan.members.get(full_name="Ni Made Sari").pk
    tri = krs.wayan.members.get(full_name="Komang Tri").pk
    catur = krs.wayan.members.get(full_name="Ketut Catur").pk
    nothing = {
        "wife_id": None,
        "child_id": None,
        "older_child_id": None,
        "years": None,
        "months": None,
        "children": None,
        "limit": None,
        "since": None,
        "value": "",
    }
    findings = body.pop("findings")
    assert body == {
        "family_id": krs.wayan.pk,
        "head_name": "I Wayan Sudarma",
        "area": RT,
        "on": ON.isoformat(),
        "is_target": True,
        "is_at_risk": True,
        "target_reasons": ["pus"],
        "risk_reasons": ["too_old", "too_close", "too_many"],
        "unknown": ["water_source", "latrine", "septic_tank"],
    }
    for finding in findings:
        assert finding.pop("text_id")  # the Indonesian sentence (its catalogue)
    assert findings == [
        {
            **nothing,
            "reason": "pus",
            "text_en": "Ni Made Sari (37) and I Wayan Sudarma are a married couple of "
            "reproductive age.",
            "wife_id": sari,
            "years": 37,
        },
        {
            **nothing,
            "reason": "too_old",
            "text_en": "Ni Made Sari is 37: over 35.",
            "wife_id": sari,
            "years": 37,
            "limit": 35,
        },
        {
            **nothing,
            "reason": "too_close",
            "text_en": "The two youngest children of Ni Made Sari, Komang Tri (born 10-01-2016) "
            "and Ketut Catur (born 10-03-2017), were born 14 months apart.",
            "wife_id": sari,
            "child_id": catur,
            "older_child_id": tri,
            "months": 14,
        },
        {
            **nothing,
            "reason": "too_many",
            "text_en": "Ni Made Sari has 4 living children: more than 3.",
            "wife_id": sari,
            "children": 4,
        },
    ]


def test_family_assessment_of_a_pregnant_wife(krs: Krs, api_as: ClientFor) -> None:
    body = api_as("cadre").get(f"/api/stunting/families/{krs.sutrisno.pk}", DAY).json()
    assert (body["target_reasons"], body["is_at_risk"]) == (["pus", "pregnant"], False)
    assert body["findings"][1]["since"] == "2026-05-04"


def test_family_assessment_in_the_future_is_refused(krs: Krs, api_as: ClientFor) -> None:
    response = api_as("cadre").get(f"/api/stunting/families/{krs.wayan.pk}", {"on": "2999-01-01"})
    assert error_codes(response) == [("on", "stunting.date_in_future")]


# -- The counts -----------------------------------------------------------------------------------


SUMMARY = {
    "area": VILLAGE,
    "on": ON.isoformat(),
    "families": 4,
    "target": 3,
    "at_risk": 2,
    "by_reason": {
        "unsafe_water": 1,
        "no_decent_latrine": 1,
        "too_young": 1,
        "too_old": 1,
        "too_close": 1,
        "too_many": 1,
    },
    "by_target_reason": {"pus": 3, "pregnant": 1, "under_2": 1, "age_2_to_5": 0},
    "house_not_recorded": 1,
}


@by_role
def test_summary_of_the_village(krs: Krs, api_as: ClientFor, username, auth) -> None:
    """Counts are aggregates: the partner and the viewer read them too."""
    response = api_as(username, auth).get("/api/stunting/summary", {**DAY, "area": VILLAGE})
    readers = (*VILLAGE_READERS, "partner", "viewer")
    assert response.status_code == (200 if username in readers else 404)
    if response.status_code == 200:
        assert response.json() == SUMMARY


@pytest.mark.parametrize(
    ("username", "area", "counts"),
    [
        ("cadre_rt", RT, (2, 2, 1)),
        ("other_cadre", OTHER_VILLAGE, (1, 1, 1)),
        ("viewer", OTHER_VILLAGE, (1, 1, 1)),
        ("partner", VILLAGE_2, (1, 1, 1)),
    ],
)
def test_summary_of_other_areas(krs: Krs, api_as: ClientFor, username, area, counts) -> None:
    body = api_as(username).get("/api/stunting/summary", {**DAY, "area": area}).json()
    assert (body["families"], body["target"], body["at_risk"]) == counts


@pytest.mark.parametrize(
    ("username", "area"), [("partner", OTHER_VILLAGE), ("cadre", VILLAGE_2), ("cadre", "99")]
)
def test_summary_outside_the_users_areas_is_not_found(krs, api_as, username, area) -> None:
    assert api_as(username).get("/api/stunting/summary", {"area": area}).status_code == 404


def test_summary_refuses_an_area_above_a_village(krs: Krs, api_as: ClientFor) -> None:
    response = api_as("partner").get("/api/stunting/summary", {"area": KEC})
    assert error_codes(response) == [("area", "stunting.area_above_village")]
