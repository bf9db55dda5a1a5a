"""The areas API, tried by every role of the shared world."""

import pytest

from kampungkb.core.models import AuditEvent
from kampungkb.regions.models import Area
from kampungkb.testing.world import (
    OTHER_KAB,
    OTHER_VILLAGE,
    RT,
    RW,
    USERS,
    VILLAGE,
    VILLAGE_2,
)

ALL_USERS = tuple(USERS)


def codes(response) -> list[str]:
    return [item["code"] for item in response.json()["items"]]


ROOTS = {
    "admin": ["52", "64"],
    "district": ["64.02"],
    "pkb": [VILLAGE, VILLAGE_2],
    "cadre": [VILLAGE],
    "cadre_rt": [RT],
    "partner": ["64.02"],
    "viewer": ["52", "64"],
    "other_district": [OTHER_KAB],
    "other_cadre": [OTHER_VILLAGE],
}


@pytest.mark.parametrize("username", ALL_USERS)
def test_area_list_without_parent_gives_the_users_root_areas(api_as, username):
    response = api_as(username).get("/api/areas")
    assert response.status_code == 200
    assert codes(response) == ROOTS[username]
    assert response.json()["count"] == len(ROOTS[username])


# Areas are not personal data: partners and viewers browse them too.
VILLAGE_READERS = ("admin", "district", "pkb", "cadre", "partner", "viewer")


@pytest.mark.parametrize("username", ALL_USERS)
def test_area_list_children_of_a_parent(api_as, username):
    response = api_as(username).get("/api/areas", {"parent": VILLAGE})
    if username in VILLAGE_READERS:
        assert response.status_code == 200
        assert response.json() == {
            "items": [
                {
                    "code": RW,
                    "name": "001",
                    "level": 5,
                    "kind": "rw",
                    "parent": VILLAGE,
                    "postal_code": "",
                    "is_local": True,
                    "is_active": True,
                }
            ],
            "count": 1,
        }
    else:
        assert response.status_code == 404


@pytest.mark.parametrize(
    ("username", "params", "expected"),
    [
        ("pkb", {"q": "kota bangun"}, [VILLAGE_2, VILLAGE]),  # by name: Ilir, Ulu
        ("cadre", {"q": "kota bangun"}, [VILLAGE]),
        ("other_district", {"q": "kota bangun"}, []),
        (
            "district",
            {"q": "kota bangun", "parent": "64.02.08"},
            [
                "64.02.08",
                VILLAGE_2,
                "64.02.08.2018",
                VILLAGE,
            ],
        ),
        (
            "district",
            {"q": "64.02.08.200"},
            [
                "64.02.08.2004",
                VILLAGE,
                f"{VILLAGE}.001",
                f"{VILLAGE}.001.001",
                f"{VILLAGE}.001.002",
                VILLAGE_2,
                "64.02.08.2007",
                "64.02.08.2008",
                "64.02.08.2009",
            ],
        ),
        ("viewer", {"q": "tumbuh mulia"}, [OTHER_VILLAGE]),
    ],
)
def test_area_search_stays_within_scope(api_as, username, params, expected):
    response = api_as(username).get("/api/areas", params)
    assert response.status_code == 200
    assert codes(response) == expected


def test_area_search_under_a_parent_outside_the_scope_is_not_found(api_as):
    response = api_as("cadre").get("/api/areas", {"q": "kota", "parent": "64.02.08"})
    assert response.status_code == 404


def test_area_list_pages(api_as):
    response = api_as("admin").get("/api/areas", {"parent": "64.02.08", "page_size": 3})
    assert codes(response) == ["64.02.08.2004", VILLAGE, VILLAGE_2]
    assert response.json()["count"] == 11


def test_area_list_queries_are_fixed(world, api_as, django_assert_num_queries):
    client = api_as("district")
    client.get("/api/areas")  # the token's first use is recorded once
    # token, scope, parent, count, page
    with django_assert_num_queries(5):
        response = client.get("/api/areas", {"parent": "64.02"})
    assert response.json()["count"] == 20


@pytest.mark.parametrize("username", ALL_USERS)
def test_area_detail_with_ancestors(api_as, username):
    response = api_as(username).get(f"/api/areas/{RT}")
    if username not in (*VILLAGE_READERS, "cadre_rt"):
        assert response.status_code == 404
        return
    data = response.json()
    assert (data["code"], data["name"], data["level"], data["kind"], data["parent"]) == (
        RT,
        "001",
        6,
        "rt",
        RW,
    )
    assert [(a["code"], a["name"]) for a in data["ancestors"]] == [
        ("64", "Kalimantan Timur"),
        ("64.02", "Kabupaten Kutai Kartanegara"),
        ("64.02.08", "Kota Bangun"),
        (VILLAGE, "Kota Bangun Ulu"),
        (RW, "001"),
    ]


def test_area_detail_unknown_code_is_not_found(api_as):
    assert api_as("admin").get("/api/areas/99.99").status_code == 404


AREA_EDITORS = ("admin", "district", "pkb")  # cadres, partners and viewers do not edit areas


@pytest.mark.parametrize("username", ALL_USERS)
def test_area_add_local_by_role(world, api_as, username):
    client = api_as(username)
    areas, audits = Area.objects.count(), AuditEvent.objects.count()
    body = {"kind": "rt", "number": 3, "name": ""}
    response = client.post(f"/api/areas/{RW}/local", body, content_type="application/json")
    if username in AREA_EDITORS:
        assert response.status_code == 201
        assert response.json() == {
            "code": f"{RW}.003",
            "name": "003",
            "level": 6,
            "kind": "rt",
            "parent": RW,
            "postal_code": "",
            "is_local": True,
            "is_active": True,
        }
        event = AuditEvent.objects.get(action="area.add_local", object_id=f"{RW}.003")
        assert event.actor == world.user(username)
    else:
        assert response.status_code == 404
        assert (Area.objects.count(), AuditEvent.objects.count()) == (areas, audits)


def test_area_add_dusun_gets_the_next_number(api_as):
    body = {"kind": "dusun", "name": "Dusun Mekar"}
    response = api_as("pkb").post(
        f"/api/areas/{VILLAGE}/local", body, content_type="application/json"
    )
    assert response.status_code == 201
    assert (response.json()["code"], response.json()["name"]) == (f"{VILLAGE}.002", "Dusun Mekar")


def test_area_add_local_taken_number_is_refused(api_as):
    areas = Area.objects.count()
    body = {"kind": "rt", "number": 1}
    response = api_as("pkb").post(f"/api/areas/{RW}/local", body, content_type="application/json")
    assert response.status_code == 422
    assert response.json() == {
        "errors": [
            {
                "field": "number",
                "code": "area.number_taken",
                "message_id": "Nomor 1 sudah dipakai di RW 001.",
                "message_en": "Number 1 is already used in RW 001.",
            }
        ]
    }
    assert Area.objects.count() == areas


def test_area_add_local_unknown_kind_is_refused(api_as):
    areas = Area.objects.count()
    body = {"kind": "desa", "number": 4}
    response = api_as("pkb").post(f"/api/areas/{RW}/local", body, content_type="application/json")
    assert response.status_code == 422
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [
        ("kind", "request.invalid")
    ]
    assert Area.objects.count() == areas
