"""The reports API: indicator facts and the monthly recap, tried by every role with an API token
and a browser session, against the facts of June 2025 (``conftest.filled``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kampungkb.accounts.services import token_create, token_revoke
from kampungkb.testing.world import (
    KAB,
    KEC,
    OTHER_KAB,
    USERS,
    VILLAGE,
    VILLAGE_2,
    World,
)

FACTS = "/api/facts"
RECAP = "/api/reports/recap"
AUTHS = ("token", "session")
# Who sees the aggregates of Kota Bangun (the kecamatan): its kabupaten and the nation.
KEC_READERS = ("admin", "district", "partner", "viewer")

ClientFor = Callable[..., Client]


def fact(
    code: str,
    area: str,
    level: int,
    numerator: float,
    denominator: float | None = None,
    value: float | None = None,
    subgroup: str = "",
) -> dict[str, Any]:
    return {
        "indicator": code,
        "area_code": area,
        "level": level,
        "period": "2025-06",
        "subgroup": subgroup,
        "numerator": numerator,
        "denominator": denominator,
        "value": numerator if value is None and denominator is None else value,
    }


def facts(client: Client, **params: Any) -> Any:
    query = {"indicator": ["PA", "CPR"], "from": "2025-01", "to": "2025-06", **params}
    return client.get(FACTS, query)


@pytest.mark.django_db
@pytest.mark.parametrize(("username", "auth"), [(u, a) for u in USERS for a in AUTHS])
def test_facts_of_an_area_by_role(
    world: World, filled: None, api_as: ClientFor, username: str, auth: str
) -> None:
    response = facts(api_as(username, auth), area=KEC)
    if username not in KEC_READERS:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    assert response.json() == {
        "items": [
            fact("CPR", KEC, 3, 3.0, 5.0, 60.0),
            fact("PA", KEC, 3, 3.0),
        ],
        "count": 2,
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("username", "area", "status"),
    [
        ("pkb", VILLAGE_2, 200),
        ("cadre", VILLAGE, 200),
        ("cadre", VILLAGE_2, 404),
        ("cadre_rt", VILLAGE, 404),
        ("other_district", KAB, 404),
        ("other_cadre", KAB, 404),
        ("district", OTHER_KAB, 404),
        ("district", "99.99", 404),
        ("other_district", OTHER_KAB, 200),
    ],
)
def test_facts_are_scoped(
    world: World, filled: None, api_as: ClientFor, username: str, area: str, status: int
) -> None:
    assert facts(api_as(username), area=area).status_code == status


@pytest.mark.django_db
def test_facts_of_the_villages_within_a_kabupaten(
    world: World, filled: None, api_as: ClientFor
) -> None:
    response = facts(api_as("district"), area=KAB, level=4)
    assert response.json() == {
        "items": [
            fact("CPR", VILLAGE, 4, 0.0, 1.0, 0.0),
            fact("CPR", VILLAGE_2, 4, 3.0, 4.0, 75.0),
            fact("PA", VILLAGE, 4, 0.0),
            fact("PA", VILLAGE_2, 4, 3.0),
        ],
        "count": 4,
    }


@pytest.mark.django_db
def test_facts_by_subgroup(world: World, filled: None, api_as: ClientFor) -> None:
    client = api_as("pkb")
    every = facts(client, area=VILLAGE_2, indicator="PA", subgroup="all").json()
    assert every["items"] == [
        fact("PA", VILLAGE_2, 4, 3.0),
        fact("PA", VILLAGE_2, 4, 1.0, subgroup="method:IUD"),
        fact("PA", VILLAGE_2, 4, 1.0, subgroup="method:KONDOM"),
        fact("PA", VILLAGE_2, 4, 1.0, subgroup="method:SUNTIK3"),
    ]
    one = facts(client, area=VILLAGE_2, indicator="PA", subgroup="method:IUD").json()
    assert one == {"items": [fact("PA", VILLAGE_2, 4, 1.0, subgroup="method:IUD")], "count": 1}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("username", "status"), [("admin", 200), ("viewer", 200), ("district", 404)]
)
def test_facts_of_the_nation_are_for_national_users(
    world: World, filled: None, api_as: ClientFor, username: str, status: int
) -> None:
    response = facts(api_as(username), area="ID", indicator="PUS")
    assert response.status_code == status
    if status == 200:
        # Siti Aminah, the four couples of Kota Bangun Ilir and Baiq Nurul of Lombok Timur.
        assert response.json() == {"items": [fact("PUS", "ID", 0, 6.0)], "count": 1}


@pytest.mark.django_db
def test_facts_are_paginated(world: World, filled: None, api_as: ClientFor) -> None:
    response = facts(api_as("district"), area=KAB, level=4, page=2, page_size=3)
    assert response.json() == {"items": [fact("PA", VILLAGE_2, 4, 3.0)], "count": 4}


@pytest.mark.django_db
def test_facts_out_of_the_months_are_none(world: World, filled: None, api_as: ClientFor) -> None:
    response = facts(api_as("district"), area=KAB, **{"from": "2025-01", "to": "2025-05"})
    assert response.json() == {"items": [], "count": 0}


def problem(field: str, code: str, message_id: str, message_en: str) -> dict[str, str]:
    return {"field": field, "code": code, "message_id": message_id, "message_en": message_en}


BAD_MONTH = (
    "reports.bad_month",
    "Bulan harus ditulis TTTT-BB (misalnya 2025-06).",
    "A month is written YYYY-MM (for example 2025-06).",
)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "errors"),
    [
        (
            {"indicator": ["PA", "XYZ"]},
            [
                problem(
                    "indicator",
                    "reports.unknown_indicator",
                    "Indikator XYZ tidak dikenal.",
                    "Unknown indicator XYZ.",
                )
            ],
        ),
        ({"from": "2025-13"}, [problem("from", *BAD_MONTH)]),
        ({"to": "Juni 2025"}, [problem("to", *BAD_MONTH)]),
        (
            {"from": "2025-07"},
            [
                problem(
                    "from",
                    "reports.months_reversed",
                    "Bulan awal jatuh setelah bulan akhir.",
                    "The first month is after the last month.",
                )
            ],
        ),
        (
            {"from": "2022-06"},
            [
                problem(
                    "to",
                    "reports.range_too_long",
                    "Paling banyak 36 bulan per permintaan.",
                    "At most 36 months per request.",
                )
            ],
        ),
        (
            {"level": 1},
            [
                problem(
                    "level",
                    "reports.level_above_area",
                    "Tingkat wilayah harus sama dengan atau di bawah tingkat 64.02.",
                    "The level must be the level of 64.02 or below it.",
                )
            ],
        ),
        (
            {"level": 7},
            [
                problem(
                    "level",
                    "request.invalid",
                    "Nilai tidak valid (Input should be less than or equal to 6).",
                    "Invalid value (Input should be less than or equal to 6).",
                )
            ],
        ),
    ],
)
def test_facts_refuse_a_bad_query(
    world: World, filled: None, api_as: ClientFor, params: dict[str, Any], errors: list[Any]
) -> None:
    response = facts(api_as("district"), area=KAB, **params)
    assert response.status_code == 422
    assert response.json() == {"errors": errors}


@pytest.mark.django_db
def test_facts_report_every_problem_at_once(world: World, api_as: ClientFor) -> None:
    response = api_as("district").get(
        FACTS, {"indicator": "XYZ", "area": KAB, "from": "2025-1", "to": "2025-06"}
    )
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [
        ("indicator", "reports.unknown_indicator"),
        ("from", "reports.bad_month"),
    ]


@pytest.mark.django_db
def test_facts_need_indicator_and_area(world: World, api_as: ClientFor) -> None:
    response = api_as("district").get(FACTS, {"from": "2025-01", "to": "2025-06"})
    assert response.status_code == 422
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [
        ("indicator", "request.missing"),
        ("area", "request.missing"),
    ]


@pytest.mark.django_db
def test_authentication_is_required(world: World, filled: None) -> None:
    anonymous = Client()
    assert facts(anonymous, area=KAB).status_code == 401
    assert anonymous.get(RECAP, {"area": KAB, "month": "2025-06"}).status_code == 401
    token, secret = token_create(user=world.user("district"))
    token_revoke(token=token, actor=None)
    revoked = Client(headers={"Authorization": f"Bearer {secret}"})
    assert facts(revoked, area=KAB).status_code == 401


# ---- the recap -------------------------------------------------------------------------------

EMPTY = dict.fromkeys(
    ["PUS", "PA", "PB", "CPR", "MCPR", "MKJP", "UNMET_NEED", "DROP_OUT", "KBPP", "MALE", "CYP"]
)
KEC_TOTAL = {
    "PUS": 5,
    "PA": 3,
    "PB": 2,
    "CPR": 60.0,
    "MCPR": 60.0,
    "MKJP": 33.3,
    "UNMET_NEED": 0.0,
    "DROP_OUT": 0,
    "KBPP": 0,
    "MALE": 33.3,
    "CYP": 4.85,
}


@pytest.mark.django_db
@pytest.mark.parametrize(("username", "auth"), [(u, a) for u in USERS for a in AUTHS])
def test_recap_by_role(
    world: World, filled: None, api_as: ClientFor, username: str, auth: str
) -> None:
    response = api_as(username, auth).get(RECAP, {"area": KEC, "month": "2025-06"})
    if username not in KEC_READERS:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    data = response.json()
    assert data["area"] == {"code": KEC, "name": "Kota Bangun", "level": 3}
    assert data["month"] == "2025-06"
    assert data["columns"][:4] == [
        {"code": "PUS", "label": "PUS"},
        {"code": "PA", "label": "PA"},
        {"code": "PB", "label": "PB"},
        {"code": "CPR", "label": "CPR (%)"},
    ]
    assert data["total"] == {"code": KEC, "name": "Kota Bangun", "values": KEC_TOTAL}
    rows = {row["code"]: row for row in data["rows"]}
    assert len(rows) == 11  # the villages of Kota Bangun
    assert rows[VILLAGE_2]["values"] == {
        **KEC_TOTAL,
        "PUS": 4,
        "CPR": 75.0,
        "MCPR": 75.0,
    }
    assert rows[VILLAGE]["values"] == {
        **EMPTY,
        "PUS": 1,
        "PA": 0,
        "PB": 0,
        "CPR": 0.0,
        "MCPR": 0.0,
        "UNMET_NEED": 0.0,
        "DROP_OUT": 0,
        "KBPP": 0,
        "CYP": 0.0,
    }
    assert rows["64.02.08.2004"] == {"code": "64.02.08.2004", "name": "Loleng", "values": EMPTY}


@pytest.mark.django_db
def test_recap_is_the_json_file(world: World, filled: None, api_as: ClientFor) -> None:
    client = api_as("district", "session")
    response = client.get(RECAP, {"area": KEC, "month": "2025-06"})
    file = client.get(reverse("reports:recap"), {"area": KEC, "month": "2025-06", "format": "json"})
    assert response.json() == file.json()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "errors"),
    [
        ({"area": KAB, "month": "2025-6"}, [problem("month", *BAD_MONTH)]),
        (
            {"area": KAB},
            [problem("month", "request.missing", "Wajib diisi.", "This field is required.")],
        ),
    ],
)
def test_recap_refuses_a_bad_month(
    world: World, api_as: ClientFor, params: dict[str, str], errors: list[Any]
) -> None:
    response = api_as("district").get(RECAP, params)
    assert response.status_code == 422
    assert response.json() == {"errors": errors}


@pytest.mark.django_db
@pytest.mark.parametrize(("username", "area"), [("other_district", KAB), ("district", "99")])
def test_recap_out_of_scope_is_not_found(
    world: World, api_as: ClientFor, username: str, area: str
) -> None:
    response = api_as(username).get(RECAP, {"area": area, "month": "2025-06"})
    assert response.status_code == 404
