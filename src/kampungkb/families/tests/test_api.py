"""The family register API: every endpoint tried by every role of the shared world.

Families of the world: Sutrisno (RT 001 of Kota Bangun Ulu, a couple with a child), Rahmawati (RT
002, no NIK) and Lalu Ahmad (Lombok Timur, out of scope for the Kutai Kartanegara users).
"""

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from kampungkb.core.models import AuditEvent
from kampungkb.families.models import (
    Couple,
    CoupleStatus,
    Family,
    MaritalStatus,
    Person,
    Pregnancy,
    Relation,
    Sex,
    age_on,
)
from kampungkb.families.services import PersonData, person_add, pregnancy_record
from kampungkb.families.validators import make_nik
from kampungkb.testing.world import OTHER_RT, RT, RT_2, USERS, VILLAGE, World

ALL_USERS = tuple(USERS)
# Who may see and change the records of RT 001, and of RT 002 as well.
RT_EDITORS = ("admin", "district", "pkb", "cadre", "cadre_rt")
VILLAGE_EDITORS = ("admin", "district", "pkb", "cadre")


def send(client: Client, method: str, url: str, body: dict[str, Any]) -> Any:
    return getattr(client, method)(url, body, content_type="application/json")


def status_for(username: str, allowed: tuple[str, ...], ok: int = 200) -> int:
    return ok if username in allowed else 404


def person(name: str) -> Person:
    return Person.objects.get(full_name=name)


def couple_of(wife_name: str) -> Couple:
    return Couple.objects.get(wife__full_name=wife_name)


def row(instance: Any) -> dict[str, Any]:
    """The stored values of a row, to assert that a refused request changed nothing."""
    return type(instance).objects.filter(pk=instance.pk).values().get()


def names(response: Any, key: str = "full_name") -> list[str]:
    return [item[key] for item in response.json()["items"]]


# ---- lists -----------------------------------------------------------------------------------

FAMILY_HEADS = {
    "admin": ["Lalu Ahmad", "Rahmawati", "Sutrisno"],
    "district": ["Rahmawati", "Sutrisno"],
    "pkb": ["Rahmawati", "Sutrisno"],
    "cadre": ["Rahmawati", "Sutrisno"],
    "cadre_rt": ["Sutrisno"],
    "partner": [],
    "viewer": [],
    "other_district": ["Lalu Ahmad"],
    "other_cadre": ["Lalu Ahmad"],
}


@pytest.mark.parametrize("username", ALL_USERS)
def test_family_list_shows_the_families_in_scope_newest_first(api_as, username):
    response = api_as(username).get("/api/families")
    assert response.status_code == 200
    assert names(response, "head_name") == FAMILY_HEADS[username]
    assert response.json()["count"] == len(FAMILY_HEADS[username])


def test_family_list_item_has_the_kk_masked(world, api_as):
    family = world.family
    response = api_as("cadre_rt").get("/api/families")
    assert response.json()["items"] == [
        {
            "id": family.pk,
            "kk_masked": "640208******0001",
            "area": RT,
            "area_name": "001",
            "address": "Jl. Mahakam No. 5",
            "head_id": family.head_id,
            "head_name": "Sutrisno",
            "member_count": 3,
            "is_active": True,
        }
    ]


def test_family_list_filters_by_area_and_searches_by_name_nik_and_kk(api_as):
    client = api_as("cadre")
    assert names(client.get("/api/families", {"area": RT_2}), "head_name") == ["Rahmawati"]
    assert names(client.get("/api/families", {"q": "siti"}), "head_name") == ["Sutrisno"]
    assert names(client.get("/api/families", {"q": "6402084407"}), "head_name") == ["Sutrisno"]
    assert names(client.get("/api/families", {"q": "640208120315"}), "head_name") == ["Sutrisno"]
    assert names(client.get("/api/families", {"q": "nobody"}), "head_name") == []


@pytest.mark.parametrize(
    ("username", "area"),
    [("cadre", OTHER_RT), ("cadre_rt", VILLAGE), ("other_cadre", RT), ("admin", "99.99")],
)
def test_family_list_area_outside_the_scope_is_not_found(api_as, username, area):
    assert api_as(username).get("/api/families", {"area": area}).status_code == 404


@pytest.mark.parametrize("username", ["partner", "viewer"])
def test_family_list_is_empty_for_aggregate_roles_even_in_their_area(api_as, username):
    response = api_as(username).get("/api/families", {"area": VILLAGE})
    assert response.status_code == 200
    assert response.json() == {"items": [], "count": 0}


def test_family_list_includes_inactive_families_only_when_asked(world, api_as):
    Family.objects.filter(pk=world.family_no_nik.pk).update(is_active=False)
    client = api_as("cadre")
    assert names(client.get("/api/families"), "head_name") == ["Sutrisno"]
    response = client.get("/api/families", {"include_inactive": "true"})
    assert names(response, "head_name") == ["Rahmawati", "Sutrisno"]
    assert [f["is_active"] for f in response.json()["items"]] == [False, True]


PERSONS = {
    "admin": [
        "Baiq Nurul",
        "Lalu Ahmad",
        "Rahmawati",
        "Rizky Pratama",
        "Siti Aminah",
        "Sutrisno",
    ],
    "district": ["Rahmawati", "Rizky Pratama", "Siti Aminah", "Sutrisno"],
    "pkb": ["Rahmawati", "Rizky Pratama", "Siti Aminah", "Sutrisno"],
    "cadre": ["Rahmawati", "Rizky Pratama", "Siti Aminah", "Sutrisno"],
    "cadre_rt": ["Rizky Pratama", "Siti Aminah", "Sutrisno"],
    "partner": [],
    "viewer": [],
    "other_district": ["Baiq Nurul", "Lalu Ahmad"],
    "other_cadre": ["Baiq Nurul", "Lalu Ahmad"],
}


@pytest.mark.parametrize("username", ALL_USERS)
def test_person_list_shows_the_persons_in_scope_by_name(api_as, username):
    response = api_as(username).get("/api/persons")
    assert response.status_code == 200
    assert names(response) == PERSONS[username]


def test_person_list_item_has_the_nik_masked(world, api_as):
    wife = person("Siti Aminah")
    response = api_as("cadre").get("/api/persons", {"q": "siti"})
    assert response.json() == {
        "items": [
            {
                "id": wife.pk,
                "family_id": world.family.pk,
                "area": RT,
                "full_name": "Siti Aminah",
                "nik_masked": "640208******0002",
                "lacks_nik": False,
                "sex": "F",
                "birth_date": "1992-07-04",
                "relation_to_head": "wife",
                "marital_status": "married",
                "died_on": None,
                "is_active": True,
            }
        ],
        "count": 1,
    }


def test_person_list_filters_by_area_and_nik_prefix(api_as):
    client = api_as("pkb")
    assert names(client.get("/api/persons", {"area": RT_2})) == ["Rahmawati"]
    assert names(client.get("/api/persons", {"q": "6402080901"})) == ["Rizky Pratama"]
    assert client.get("/api/persons", {"area": OTHER_RT}).status_code == 404


def test_person_list_pages_with_the_default_size_and_at_most_200(world, api_as):
    Person.objects.bulk_create(
        Person(
            family=world.family,
            full_name=f"Anak {i:03d}",
            sex=Sex.MALE,
            birth_date=dt.date(2010, 1, 1),
            relation_to_head=Relation.OTHER_RELATIVE,
        )
        for i in range(205)
    )
    client = api_as("cadre_rt")
    first = client.get("/api/persons").json()
    assert (len(first["items"]), first["count"]) == (25, 208)
    assert first["items"][0]["full_name"] == "Anak 000"
    second = client.get("/api/persons", {"page": 2, "page_size": 10}).json()
    assert [p["full_name"] for p in second["items"]] == [f"Anak {i:03d}" for i in range(10, 20)]
    capped = client.get("/api/persons", {"page_size": 500}).json()
    assert (len(capped["items"]), capped["count"]) == (200, 208)


COUPLE_WIVES = {
    "admin": ["Baiq Nurul", "Siti Aminah"],
    "district": ["Siti Aminah"],
    "pkb": ["Siti Aminah"],
    "cadre": ["Siti Aminah"],
    "cadre_rt": ["Siti Aminah"],
    "partner": [],
    "viewer": [],
    "other_district": ["Baiq Nurul"],
    "other_cadre": ["Baiq Nurul"],
}


@pytest.mark.parametrize("username", ALL_USERS)
def test_couple_list_shows_the_couples_in_scope(api_as, username):
    response = api_as(username).get("/api/couples")
    assert response.status_code == 200
    assert names(response, "wife_name") == COUPLE_WIVES[username]


def test_couple_list_item(world, api_as):
    couple = couple_of("Siti Aminah")
    response = api_as("cadre").get("/api/couples")
    assert response.json()["items"] == [
        {
            "id": couple.pk,
            "wife_id": couple.wife_id,
            "wife_name": "Siti Aminah",
            "husband_id": couple.husband_id,
            "husband_name": "Sutrisno",
            "family_id": world.family.pk,
            "area": RT,
            "married_on": "2012-05-20",
            "status": "married",
            "ended_on": None,
            "fertility_intention": "",
        }
    ]


@pytest.mark.parametrize(
    ("pus_on", "wives"),
    [
        # Siti Aminah married in 2012; Baiq Nurul in 2009 at 19.
        ("2010-01-01", ["Baiq Nurul"]),
        ("2020-01-01", ["Baiq Nurul", "Siti Aminah"]),
        # Baiq Nurul turns 50 on 2040-02-14, Siti Aminah on 2042-07-04.
        ("2040-02-14", ["Siti Aminah"]),
        ("2042-07-04", []),
    ],
)
def test_couple_list_keeps_only_pus_on_the_date(api_as, pus_on, wives):
    response = api_as("admin").get("/api/couples", {"pus_on": pus_on})
    assert names(response, "wife_name") == wives


def test_couple_list_current_only_and_area(api_as):
    Couple.objects.filter(wife__full_name="Baiq Nurul").update(
        status=CoupleStatus.DIVORCED, ended_on=dt.date(2020, 1, 1)
    )
    client = api_as("admin")
    assert names(client.get("/api/couples", {"current_only": "true"}), "wife_name") == [
        "Siti Aminah"
    ]
    assert names(client.get("/api/couples", {"area": OTHER_RT}), "wife_name") == ["Baiq Nurul"]
    assert api_as("cadre").get("/api/couples", {"area": OTHER_RT}).status_code == 404


def test_lists_never_carry_a_full_nik_or_kk(world, api_as):
    client = api_as("admin")
    bodies = "".join(
        client.get(url, params).content.decode()
        for url, params in [
            ("/api/families", {}),
            ("/api/families", {"q": "6402081203"}),
            ("/api/persons", {}),
            ("/api/persons", {"q": "6402084407"}),
            ("/api/couples", {}),
        ]
    )
    niks = list(Person.objects.exclude(nik=None).values_list("nik", flat=True))
    kks = list(Family.objects.exclude(kk_number=None).values_list("kk_number", flat=True))
    assert len(niks) == 5 and len(kks) == 2
    assert [n for n in niks + kks if n and n in bodies] == []
    assert "640208******0002" in bodies
    assert "520313******0002" in bodies


def _add_families(world: World, count: int) -> None:
    for i in range(count):
        family = Family.objects.create(area=world.area(RT), address=f"Jl. Baru {i}")
        head = Person.objects.create(
            family=family,
            full_name=f"Kepala {i}",
            sex=Sex.MALE,
            birth_date=dt.date(1980, 1, 1),
            relation_to_head=Relation.HEAD,
            nik=make_nik("640208", dt.date(1980, 1, 1), Sex.MALE, 100 + i),
        )
        wife = Person.objects.create(
            family=family,
            full_name=f"Istri {i}",
            sex=Sex.FEMALE,
            birth_date=dt.date(1985, 1, 1),
            relation_to_head=Relation.WIFE,
        )
        Family.objects.filter(pk=family.pk).update(head=head)
        Couple.objects.create(wife=wife, husband=head, married_on=dt.date(2005, 1, 1))


@pytest.mark.parametrize(
    ("url", "params", "queries"),
    [
        # token, scope, count, page (+ the area filter's lookup)
        ("/api/families", {}, 4),
        ("/api/families", {"area": RT, "q": "a"}, 5),
        ("/api/persons", {}, 4),
        ("/api/persons", {"area": RT}, 5),
        ("/api/couples", {"pus_on": "2020-01-01"}, 4),
        ("/api/couples", {"area": RT, "current_only": "true"}, 5),
    ],
)
def test_list_queries_do_not_grow_with_rows(
    world, api_as, django_assert_num_queries, url, params, queries
):
    client = api_as("cadre")
    client.get("/api/accounts/me")  # the token's first use is recorded once
    with django_assert_num_queries(queries):
        small = client.get(url, params)
    _add_families(world, 6)
    with django_assert_num_queries(queries):
        large = client.get(url, params)
    assert large.json()["count"] > small.json()["count"]


# ---- single records --------------------------------------------------------------------------


@pytest.mark.parametrize("username", ALL_USERS)
def test_family_detail_by_role(world, api_as, username):
    response = api_as(username).get(f"/api/families/{world.family.pk}")
    assert response.status_code == status_for(username, RT_EDITORS)


def test_family_detail_has_members_and_couples_with_full_numbers(world, api_as):
    family = world.family
    data = api_as("cadre").get(f"/api/families/{family.pk}").json()
    assert {k: v for k, v in data.items() if k not in ("members", "couples")} == {
        "id": family.pk,
        "kk_number": "6402081203150001",
        "area": RT,
        "area_name": "001",
        "address": "Jl. Mahakam No. 5",
        "head_id": family.head_id,
        "is_active": True,
        "deactivated_reason": "",
        "housing": {
            "water_source": "",
            "latrine": "",
            "has_septic_tank": None,
            "floor_area": None,
            "floor_material": "",
            "wall_material": "",
            "roof_material": "",
            "recorded_on": None,
        },
    }
    assert [(m["full_name"], m["nik"], m["relation_to_head"]) for m in data["members"]] == [
        ("Sutrisno", "6402081203880001", "head"),
        ("Siti Aminah", "6402084407920002", "wife"),
        ("Rizky Pratama", "6402080901150003", "child"),
    ]
    couple = couple_of("Siti Aminah")
    assert data["couples"] == [
        {
            "id": couple.pk,
            "wife_id": couple.wife_id,
            "wife_name": "Siti Aminah",
            "husband_id": couple.husband_id,
            "husband_name": "Sutrisno",
            "family_id": family.pk,
            "area": RT,
            "married_on": "2012-05-20",
            "status": "married",
            "ended_on": None,
            "fertility_intention": "",
            "intention_recorded_on": None,
            "pregnancies": [],
        }
    ]


@pytest.mark.parametrize("username", ALL_USERS)
def test_person_detail_by_role(api_as, username):
    response = api_as(username).get(f"/api/persons/{person('Siti Aminah').pk}")
    assert response.status_code == status_for(username, RT_EDITORS)


def test_person_detail_shows_the_full_nik(world, api_as):
    child = person("Rizky Pratama")
    assert api_as("district").get(f"/api/persons/{child.pk}").json() == {
        "id": child.pk,
        "family_id": world.family.pk,
        "area": RT,
        "full_name": "Rizky Pratama",
        "nik": "6402080901150003",
        "lacks_nik": False,
        "sex": "M",
        "birth_date": "2015-01-09",
        "birth_place": "",
        "relation_to_head": "child",
        "marital_status": "single",
        "education": "",
        "occupation": "",
        "phone": "",
        "mother_id": person("Siti Aminah").pk,
        "father_id": person("Sutrisno").pk,
        "died_on": None,
        "is_active": True,
    }


@pytest.mark.parametrize("username", ALL_USERS)
def test_couple_detail_by_role(api_as, username):
    response = api_as(username).get(f"/api/couples/{couple_of('Siti Aminah').pk}")
    assert response.status_code == status_for(username, RT_EDITORS)


@pytest.mark.parametrize(
    ("on", "is_married", "is_pus", "wife_age"),
    [
        ("2012-05-19", False, False, 19),
        ("2012-05-20", True, True, 19),
        ("2042-07-03", True, True, 49),
        ("2042-07-04", True, False, 50),
    ],
)
def test_couple_detail_on_a_date(api_as, on, is_married, is_pus, wife_age):
    couple = couple_of("Siti Aminah")
    data = api_as("cadre_rt").get(f"/api/couples/{couple.pk}", {"on": on}).json()
    assert (data["on"], data["is_married"], data["is_pus"], data["wife_age"]) == (
        on,
        is_married,
        is_pus,
        wife_age,
    )


def test_couple_detail_defaults_to_today_and_lists_pregnancies(world, api_as):
    couple = couple_of("Siti Aminah")
    pregnancy = pregnancy_record(
        couple=couple, recorded_on=dt.date(2024, 2, 1), expected_on=dt.date(2024, 9, 1), actor=None
    )
    today = timezone.localdate()
    data = api_as("cadre").get(f"/api/couples/{couple.pk}").json()
    assert data == {
        "id": couple.pk,
        "wife": {
            "id": couple.wife_id,
            "full_name": "Siti Aminah",
            "nik": "6402084407920002",
            "birth_date": "1992-07-04",
            "family_id": world.family.pk,
            "died_on": None,
        },
        "husband": {
            "id": couple.husband_id,
            "full_name": "Sutrisno",
            "nik": "6402081203880001",
            "birth_date": "1988-03-12",
            "family_id": world.family.pk,
            "died_on": None,
        },
        "area": RT,
        "married_on": "2012-05-20",
        "status": "married",
        "ended_on": None,
        "fertility_intention": "",
        "intention_recorded_on": None,
        "on": today.isoformat(),
        "is_married": True,
        "is_pus": True,
        "wife_age": age_on(dt.date(1992, 7, 4), today),
        "pregnancies": [
            {
                "id": pregnancy.pk,
                "couple_id": couple.pk,
                "recorded_on": "2024-02-01",
                "expected_on": "2024-09-01",
                "ended_on": None,
                "outcome": "",
            }
        ],
    }


def test_other_area_user_reads_own_area(world, api_as):
    client = api_as("other_cadre")
    assert client.get(f"/api/families/{world.other_family.pk}").status_code == 200
    assert client.get(f"/api/couples/{couple_of('Baiq Nurul').pk}").status_code == 200
    assert client.get(f"/api/families/{world.family.pk}").status_code == 404


# ---- family writes ---------------------------------------------------------------------------

NEW_HEAD_BORN = dt.date(1995, 8, 17)
NEW_HEAD_NIK = make_nik("640208", NEW_HEAD_BORN, Sex.MALE, 21)


def new_family_body(area: str = RT, nik: str = NEW_HEAD_NIK) -> dict[str, Any]:
    return {
        "area": area,
        "kk_number": "6402081708200021",
        "address": "Jl. Pelabuhan 2",
        "head": {
            "full_name": "Bambang Wijaya",
            "sex": "M",
            "birth_date": NEW_HEAD_BORN.isoformat(),
            "nik": nik,
            "occupation": "Nelayan",
        },
    }


@pytest.mark.parametrize("username", ALL_USERS)
def test_family_register_by_role(world, api_as, username):
    client = api_as(username)
    families, audits = Family.objects.count(), AuditEvent.objects.count()
    response = send(client, "post", "/api/families", new_family_body())
    assert response.status_code == status_for(username, RT_EDITORS, 201)
    if response.status_code == 201:
        family = Family.objects.get(kk_number="6402081708200021")
        assert family.area_id == RT
        assert family.head is not None
        assert (family.head.full_name, family.head.nik) == ("Bambang Wijaya", NEW_HEAD_NIK)
        assert family.head.relation_to_head == Relation.HEAD
        assert response.json()["id"] == family.pk
        assert response.json()["kk_number"] == "6402081708200021"
        assert [m["occupation"] for m in response.json()["members"]] == ["Nelayan"]
        event = AuditEvent.objects.get(action="family.register", object_id=str(family.pk))
        assert event.actor == world.user(username)
    else:
        assert (Family.objects.count(), AuditEvent.objects.count()) == (families, audits)


def test_family_register_in_own_other_area(api_as):
    body = new_family_body(OTHER_RT, make_nik("520313", NEW_HEAD_BORN, Sex.MALE, 21))
    body["kk_number"] = "5203131708200021"
    response = send(api_as("other_cadre"), "post", "/api/families", body)
    assert response.status_code == 201
    assert Family.objects.get(kk_number="5203131708200021").area_id == OTHER_RT


def test_family_register_with_a_nik_of_another_birth_date_is_refused(api_as):
    client = api_as("cadre")
    counts = (Family.objects.count(), Person.objects.count(), AuditEvent.objects.count())
    wrong = make_nik("640208", dt.date(1995, 8, 18), Sex.MALE, 21)
    response = send(client, "post", "/api/families", new_family_body(nik=wrong))
    assert response.status_code == 422
    assert response.json() == {
        "errors": [
            {
                "field": "head_nik",
                "code": "family.nik_birth_date_mismatch",
                "message_id": "Tanggal lahir pada NIK (18-08-95) tidak sama dengan tanggal "
                "lahir 1995-08-17.",
                "message_en": "The birth date in the NIK (18-08-95) does not match the birth "
                "date 1995-08-17.",
            }
        ]
    }
    assert (Family.objects.count(), Person.objects.count(), AuditEvent.objects.count()) == counts


def test_family_register_request_errors_use_the_same_format(api_as):
    body = new_family_body()
    del body["head"]["full_name"]
    body["head"]["sex"] = "X"
    response = send(api_as("cadre"), "post", "/api/families", body)
    assert response.status_code == 422
    assert response.json() == {
        "errors": [
            {
                "field": "head_full_name",
                "code": "request.missing",
                "message_id": "Wajib diisi.",
                "message_en": "This field is required.",
            },
            {
                "field": "head_sex",
                "code": "request.invalid",
                "message_id": "Nilai tidak valid (Input should be 'M' or 'F').",
                "message_en": "Invalid value (Input should be 'M' or 'F').",
            },
        ]
    }


def test_family_register_above_village_level_is_refused(api_as):
    families = Family.objects.count()
    response = send(api_as("cadre"), "post", "/api/families", new_family_body("64.02.08"))
    assert response.status_code == 404  # the kecamatan is above the cadre's village
    response = send(api_as("district"), "post", "/api/families", new_family_body("64.02.08"))
    assert response.status_code == 422
    assert [e["code"] for e in response.json()["errors"]] == ["family.area_level"]
    assert Family.objects.count() == families


@pytest.mark.parametrize("username", ALL_USERS)
def test_family_update_by_role(world, api_as, username):
    family = world.family
    before = row(family)
    response = send(
        api_as(username), "patch", f"/api/families/{family.pk}", {"address": "Jl. Baru 1"}
    )
    assert response.status_code == status_for(username, RT_EDITORS)
    family.refresh_from_db()
    if response.status_code == 200:
        assert (family.address, family.kk_number) == ("Jl. Baru 1", "6402081203150001")
        assert response.json()["address"] == "Jl. Baru 1"
    else:
        assert row(family) == before


def test_family_update_can_clear_the_kk_and_rejects_a_bad_one(world, api_as):
    client = api_as("cadre")
    family = world.family
    response = send(client, "patch", f"/api/families/{family.pk}", {"kk_number": "1234"})
    assert response.status_code == 422
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [
        ("kk_number", "family.kk_format")
    ]
    response = send(client, "patch", f"/api/families/{family.pk}", {"kk_number": None})
    assert response.status_code == 200
    family.refresh_from_db()
    assert (family.kk_number, family.address) == (None, "Jl. Mahakam No. 5")


def member_body(nik: str | None = None) -> dict[str, Any]:
    born = dt.date(1960, 5, 2)
    return {
        "full_name": "Sumarni",
        "sex": "F",
        "birth_date": born.isoformat(),
        "relation_to_head": "parent",
        "marital_status": "widowed",
        "nik": nik or make_nik("640208", born, Sex.FEMALE, 22),
    }


@pytest.mark.parametrize("username", ALL_USERS)
def test_family_add_member_by_role(world, api_as, username):
    family = world.family
    members = family.members.count()
    response = send(api_as(username), "post", f"/api/families/{family.pk}/members", member_body())
    assert response.status_code == status_for(username, RT_EDITORS, 201)
    if response.status_code == 201:
        added = Person.objects.get(full_name="Sumarni")
        assert (added.family_id, added.relation_to_head, added.marital_status) == (
            family.pk,
            Relation.PARENT,
            MaritalStatus.WIDOWED,
        )
        assert response.json()["nik"] == make_nik("640208", dt.date(1960, 5, 2), Sex.FEMALE, 22)
    else:
        assert family.members.count() == members


def test_family_add_member_with_a_bad_nik_writes_nothing(world, api_as):
    persons = Person.objects.count()
    wrong = make_nik("640208", dt.date(1960, 5, 3), Sex.FEMALE, 22)
    response = send(
        api_as("cadre"), "post", f"/api/families/{world.family.pk}/members", member_body(wrong)
    )
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert (error["field"], error["code"]) == ("nik", "family.nik_birth_date_mismatch")
    assert error["message_id"].startswith("Tanggal lahir pada NIK (43-05-60)")
    assert error["message_en"].startswith("The birth date in the NIK (43-05-60)")
    assert Person.objects.count() == persons


@pytest.mark.parametrize("username", ALL_USERS)
def test_family_move_by_role(world, api_as, username):
    family = world.family
    before = row(family)
    body = {"area": RT_2, "address": "Gang Pelita 7"}
    response = send(api_as(username), "post", f"/api/families/{family.pk}/move", body)
    # The RT cadre may not move a family into RT 002.
    assert response.status_code == status_for(username, VILLAGE_EDITORS)
    family.refresh_from_db()
    if response.status_code == 200:
        assert (family.area_id, family.address) == (RT_2, "Gang Pelita 7")
        assert response.json()["area"] == RT_2
    else:
        assert row(family) == before


@pytest.mark.parametrize("username", ALL_USERS)
def test_family_deactivate_by_role(world, api_as, username):
    family = world.family
    before = row(family)
    body = {"reason": "Pindah ke Samarinda"}
    response = send(api_as(username), "post", f"/api/families/{family.pk}/deactivate", body)
    assert response.status_code == status_for(username, RT_EDITORS)
    family.refresh_from_db()
    if response.status_code == 200:
        assert (family.is_active, family.deactivated_reason) == (False, "Pindah ke Samarinda")
        assert response.json()["is_active"] is False
    else:
        assert row(family) == before


# ---- person writes ---------------------------------------------------------------------------


def person_update_body(nik: str = "6402080901150003") -> dict[str, Any]:
    return {
        "full_name": "Rizky Pratama Putra",
        "sex": "M",
        "birth_date": "2015-01-09",
        "nik": nik,
        "relation_to_head": "child",
        "birth_place": "Tenggarong",
        "education": "primary",
    }


@pytest.mark.parametrize("username", ALL_USERS)
def test_person_update_by_role(api_as, username):
    child = person("Rizky Pratama")
    before = row(child)
    response = send(api_as(username), "put", f"/api/persons/{child.pk}", person_update_body())
    assert response.status_code == status_for(username, RT_EDITORS)
    child.refresh_from_db()
    if response.status_code == 200:
        assert (child.full_name, child.birth_place, child.education) == (
            "Rizky Pratama Putra",
            "Tenggarong",
            "primary",
        )
        assert response.json()["full_name"] == "Rizky Pratama Putra"
    else:
        assert row(child) == before


def test_person_update_with_a_bad_nik_changes_nothing(api_as):
    child = person("Rizky Pratama")
    before = row(child)
    wrong = make_nik("640208", dt.date(2015, 1, 10), Sex.MALE, 3)
    response = send(api_as("cadre"), "put", f"/api/persons/{child.pk}", person_update_body(wrong))
    assert response.status_code == 422
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [
        ("nik", "family.nik_birth_date_mismatch")
    ]
    assert row(child) == before


@pytest.mark.parametrize("username", ALL_USERS)
def test_person_death_by_role(api_as, username):
    husband = person("Sutrisno")
    before = row(husband)
    body = {"died_on": "2024-01-10"}
    response = send(api_as(username), "post", f"/api/persons/{husband.pk}/death", body)
    assert response.status_code == status_for(username, RT_EDITORS)
    husband.refresh_from_db()
    couple = couple_of("Siti Aminah")
    if response.status_code == 200:
        assert (husband.died_on, husband.is_active) == (dt.date(2024, 1, 10), False)
        assert (couple.status, couple.ended_on) == (CoupleStatus.WIDOWED, dt.date(2024, 1, 10))
        assert person("Siti Aminah").marital_status == MaritalStatus.WIDOWED
        assert response.json()["died_on"] == "2024-01-10"
    else:
        assert row(husband) == before
        assert couple.status == CoupleStatus.MARRIED


@pytest.mark.parametrize("username", ALL_USERS)
def test_person_move_by_role(world, api_as, username):
    child = person("Rizky Pratama")
    before = row(child)
    body = {"family_id": world.family_no_nik.pk, "relation_to_head": "grandchild"}
    response = send(api_as(username), "post", f"/api/persons/{child.pk}/move", body)
    # The RT cadre may not move anyone into a family of RT 002.
    assert response.status_code == status_for(username, VILLAGE_EDITORS)
    child.refresh_from_db()
    if response.status_code == 200:
        assert (child.family_id, child.relation_to_head) == (
            world.family_no_nik.pk,
            Relation.GRANDCHILD,
        )
        assert response.json()["area"] == RT_2
    else:
        assert row(child) == before


def test_person_move_of_the_head_is_refused(world, api_as):
    head = person("Sutrisno")
    body = {"family_id": world.family_no_nik.pk, "relation_to_head": "other"}
    response = send(api_as("cadre"), "post", f"/api/persons/{head.pk}/move", body)
    assert response.status_code == 422
    assert [e["code"] for e in response.json()["errors"]] == ["family.head_cannot_leave"]
    assert person("Sutrisno").family_id == world.family.pk


@pytest.mark.parametrize("username", ALL_USERS)
def test_birth_record_by_role(world, api_as, username):
    born = dt.date(2024, 3, 1)
    persons = Person.objects.count()
    body = {
        "mother_id": person("Siti Aminah").pk,
        "full_name": "Putri Lestari",
        "sex": "F",
        "birth_date": born.isoformat(),
        "nik": make_nik("640208", born, Sex.FEMALE, 23),
    }
    response = send(api_as(username), "post", "/api/births", body)
    assert response.status_code == status_for(username, RT_EDITORS, 201)
    if response.status_code == 201:
        child = Person.objects.get(full_name="Putri Lestari")
        assert (child.family_id, child.relation_to_head) == (world.family.pk, Relation.CHILD)
        assert (child.mother_id, child.father_id) == (
            person("Siti Aminah").pk,
            person("Sutrisno").pk,
        )
        assert response.json()["id"] == child.pk
    else:
        assert Person.objects.count() == persons


# ---- couple writes ---------------------------------------------------------------------------


def _daughter(world: World) -> Person:
    return person_add(
        family=world.family,
        data=PersonData(
            full_name="Dewi Lestari",
            sex=Sex.FEMALE,
            birth_date=dt.date(2003, 6, 1),
            relation_to_head=Relation.CHILD,
        ),
        actor=None,
    )


@pytest.mark.parametrize("username", ALL_USERS)
def test_couple_register_by_role(world, api_as, username):
    wife = _daughter(world)
    couples = Couple.objects.count()
    body = {
        "wife_id": wife.pk,
        "husband_id": None,
        "married_on": "2023-02-01",
        "fertility_intention": "delay",
    }
    response = send(api_as(username), "post", "/api/couples", body)
    assert response.status_code == status_for(username, RT_EDITORS, 201)
    if response.status_code == 201:
        couple = Couple.objects.get(wife=wife)
        assert (couple.husband_id, couple.married_on, couple.fertility_intention) == (
            None,
            dt.date(2023, 2, 1),
            "delay",
        )
        data = response.json()
        assert (data["id"], data["husband"], data["is_pus"]) == (couple.pk, None, True)
        assert data["wife_age"] == age_on(dt.date(2003, 6, 1), timezone.localdate())
    else:
        assert Couple.objects.count() == couples


def test_couple_register_with_a_husband_out_of_scope_is_not_found(world, api_as):
    wife = _daughter(world)
    body = {"wife_id": wife.pk, "husband_id": person("Lalu Ahmad").pk, "married_on": None}
    response = send(api_as("cadre"), "post", "/api/couples", body)
    assert response.status_code == 404
    assert not Couple.objects.filter(wife=wife).exists()


def test_couple_register_of_a_man_as_wife_is_refused(api_as):
    couples = Couple.objects.count()
    body = {"wife_id": person("Rizky Pratama").pk, "married_on": None}
    response = send(api_as("cadre"), "post", "/api/couples", body)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "wife",
            "code": "family.wife_sex",
            "message_id": "Istri harus perempuan.",
            "message_en": "The wife must be a woman.",
        }
    ]
    assert Couple.objects.count() == couples


@pytest.mark.parametrize("username", ALL_USERS)
def test_couple_divorce_by_role(api_as, username):
    couple = couple_of("Siti Aminah")
    before = row(couple)
    response = send(
        api_as(username), "post", f"/api/couples/{couple.pk}/divorce", {"on": "2024-02-01"}
    )
    assert response.status_code == status_for(username, RT_EDITORS)
    couple.refresh_from_db()
    if response.status_code == 200:
        assert (couple.status, couple.ended_on) == (CoupleStatus.DIVORCED, dt.date(2024, 2, 1))
        assert (response.json()["status"], response.json()["is_pus"]) == ("divorced", False)
    else:
        assert row(couple) == before


@pytest.mark.parametrize("username", ALL_USERS)
def test_couple_intention_by_role(api_as, username):
    couple = couple_of("Siti Aminah")
    before = row(couple)
    body = {"intention": "no_more", "on": "2024-04-01"}
    response = send(api_as(username), "post", f"/api/couples/{couple.pk}/intention", body)
    assert response.status_code == status_for(username, RT_EDITORS)
    couple.refresh_from_db()
    if response.status_code == 200:
        assert (couple.fertility_intention, couple.intention_recorded_on) == (
            "no_more",
            dt.date(2024, 4, 1),
        )
        assert response.json()["fertility_intention"] == "no_more"
    else:
        assert row(couple) == before


@pytest.mark.parametrize("username", ALL_USERS)
def test_pregnancy_record_by_role(api_as, username):
    couple = couple_of("Siti Aminah")
    body = {"recorded_on": "2024-04-01", "expected_on": "2024-11-01"}
    response = send(api_as(username), "post", f"/api/couples/{couple.pk}/pregnancies", body)
    assert response.status_code == status_for(username, RT_EDITORS, 201)
    pregnancies = list(couple.pregnancies.values_list("recorded_on", "expected_on", "ended_on"))
    if response.status_code == 201:
        assert pregnancies == [(dt.date(2024, 4, 1), dt.date(2024, 11, 1), None)]
        assert response.json()["id"] == couple.pregnancies.get().pk
    else:
        assert pregnancies == []


def test_pregnancy_record_twice_is_refused(api_as):
    couple = couple_of("Siti Aminah")
    pregnancy_record(couple=couple, recorded_on=dt.date(2024, 1, 1), expected_on=None, actor=None)
    body = {"recorded_on": "2024-04-01"}
    response = send(api_as("cadre"), "post", f"/api/couples/{couple.pk}/pregnancies", body)
    assert response.status_code == 422
    assert [e["code"] for e in response.json()["errors"]] == ["family.already_pregnant"]
    assert couple.pregnancies.count() == 1


@pytest.mark.parametrize("username", ALL_USERS)
def test_pregnancy_end_by_role(api_as, username):
    pregnancy = pregnancy_record(
        couple=couple_of("Siti Aminah"),
        recorded_on=dt.date(2024, 1, 1),
        expected_on=None,
        actor=None,
    )
    before = row(pregnancy)
    body = {"ended_on": "2024-03-01", "outcome": "miscarriage"}
    response = send(api_as(username), "post", f"/api/pregnancies/{pregnancy.pk}/end", body)
    assert response.status_code == status_for(username, RT_EDITORS)
    pregnancy = Pregnancy.objects.get(pk=pregnancy.pk)
    if response.status_code == 200:
        assert (pregnancy.ended_on, pregnancy.outcome) == (dt.date(2024, 3, 1), "miscarriage")
        assert response.json()["outcome"] == "miscarriage"
    else:
        assert row(pregnancy) == before
