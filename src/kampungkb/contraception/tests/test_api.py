"""The contraceptive services API: every endpoint tried by every role of the shared world, with
an API token and with a browser session.

Couples of the world: Siti Aminah (RT 001 of Kota Bangun Ulu) and Baiq Nurul (Lombok Timur, out
of scope for the Kutai Kartanegara users). Visits are recorded relative to today.
"""

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from kampungkb.contraception import services
from kampungkb.contraception.models import (
    Episode,
    Facility,
    FollowUp,
    Method,
    ServiceVisit,
)
from kampungkb.core.models import AuditEvent
from kampungkb.core.periods import add_months
from kampungkb.families.models import Couple, Family, Person, Relation, Sex
from kampungkb.families.validators import make_nik
from kampungkb.testing.world import KAB, OTHER_RT, OTHER_VILLAGE, RT, RT_2, USERS, VILLAGE, World

ALL_USERS = tuple(USERS)
AUTHS = ("token", "session")
# Who may see and change the records of RT 001.
RT_EDITORS = ("admin", "district", "pkb", "cadre", "cadre_rt")
# Who may keep the facilities of Kota Bangun Ulu (services.facility_create: EDIT_AREAS).
VILLAGE_OFFICERS = ("admin", "district", "pkb")
KEC = "64.02.08"

# The couples each user sees, in the order of the follow-up lists (Siti Aminah recorded first).
WIVES = {
    "admin": ["Siti Aminah", "Baiq Nurul"],
    "district": ["Siti Aminah"],
    "pkb": ["Siti Aminah"],
    "cadre": ["Siti Aminah"],
    "cadre_rt": ["Siti Aminah"],
    "partner": [],
    "viewer": [],
    "other_district": ["Baiq Nurul"],
    "other_cadre": ["Baiq Nurul"],
}


by_role = pytest.mark.parametrize(("username", "auth"), [(u, a) for u in ALL_USERS for a in AUTHS])


def send(client: Client, method: str, url: str, body: dict[str, Any]) -> Any:
    return getattr(client, method)(url, body, content_type="application/json")


def status_for(username: str, allowed: tuple[str, ...], ok: int = 200) -> int:
    return ok if username in allowed else 404


def row(instance: Any) -> dict[str, Any]:
    return type(instance).objects.filter(pk=instance.pk).values().get()


def items(response: Any, key: str) -> list[Any]:
    assert response.status_code == 200, response.content
    return [item[key] for item in response.json()["items"]]


def items_plain(response: Any, key: str) -> list[Any]:
    assert response.status_code == 200, response.content
    return [item[key] for item in response.json()]


def couple_of(wife_name: str) -> Couple:
    return Couple.objects.get(wife__full_name=wife_name)


def today() -> dt.date:
    return timezone.localdate()


def days_ago(days: int) -> dt.date:
    return today() - dt.timedelta(days=days)


def start(couple: Couple, on: dt.date, method: str = "SUNTIK3", **extra: Any) -> ServiceVisit:
    return services.visit_record(
        couple=couple,
        visited_on=on,
        method=Method.objects.get(pk=method),
        kind="start",
        consent_recorded=True,
        actor=None,
        **extra,
    )


def start_both(days: int) -> None:
    """A 3-monthly injection ``days`` ago for Siti Aminah, then for Baiq Nurul."""
    start(couple_of("Siti Aminah"), days_ago(days))
    start(couple_of("Baiq Nurul"), days_ago(days))


def counts() -> tuple[int, ...]:
    return (
        ServiceVisit.objects.count(),
        Episode.objects.count(),
        FollowUp.objects.count(),
        Facility.objects.count(),
        # A token made for the request is audited too; the request itself must write nothing.
        AuditEvent.objects.exclude(action="token.create").count(),
    )


# ---- the method catalogue ----------------------------------------------------------------------

CATALOGUE = [
    "MOW",
    "MOP",
    "IUD",
    "IMPLAN3",
    "IMPLAN5",
    "SUNTIK3",
    "SUNTIK1",
    "PIL",
    "KONDOM",
    "MAL",
    "TRAD",
]


@by_role
def test_method_list_is_the_catalogue_for_every_role(api_as, username, auth):
    assert items_plain(api_as(username, auth).get("/api/methods"), "code") == CATALOGUE


def test_method_list_item_and_inactive_methods(api_as):
    Method.objects.filter(pk="TRAD").update(is_active=False)
    client = api_as("viewer")
    methods = client.get("/api/methods").json()
    assert [m["code"] for m in methods] == CATALOGUE[:-1]
    assert methods[5] == {
        "code": "SUNTIK3",
        "name": "Suntik 3 bulanan",
        "name_en": "Injectable, 3-monthly (DMPA)",
        "is_modern": True,
        "is_long_acting": False,
        "is_male": False,
        "due_rule": "per_unit",
        "days_per_unit": 84,
        "first_check_days": 0,
        "check_interval_days": 0,
        "protection_days": None,
        "grace_days": 14,
        "unit": "dose",
        "cyp_per_unit": "0.25000",
        "requires_consent": True,
    }
    everything = client.get("/api/methods", {"include_inactive": "true"}).json()
    assert [m["code"] for m in everything] == CATALOGUE


def test_every_endpoint_needs_credentials(world):
    client = Client()
    for url in ("/api/methods", "/api/facilities", "/api/visits", "/api/due", "/api/overdue"):
        assert client.get(url).status_code == 401, url
    assert client.get("/api/dropouts").status_code == 401
    assert send(client, "post", "/api/visits", {}).status_code == 401
    assert send(client, "post", "/api/followups", {}).status_code == 401


# ---- facilities --------------------------------------------------------------------------------


@pytest.fixture
def facilities(world: World) -> dict[str, Facility]:
    """A puskesmas of the kecamatan, a poskesdes of the village, a midwife in RT 001 and a
    puskesmas in Lombok Timur."""
    rows = [
        ("PKM-KB", "Puskesmas Kota Bangun", "puskesmas", "government", True, KEC),
        ("PKD-KBU", "Poskesdes Kota Bangun Ulu", "clinic", "community", False, VILLAGE),
        ("BPM-SARI", "Bidan Sari", "private_midwife", "private", True, RT),
        ("PKM-SRL", "Puskesmas Suralaga", "puskesmas", "government", True, OTHER_VILLAGE),
    ]
    return {
        code: Facility.objects.create(
            code=code,
            name=name,
            kind=kind,
            ownership=ownership,
            has_jkn_contract=jkn,
            area=world.area(area),
        )
        for code, name, kind, ownership, jkn, area in rows
    }


FACILITIES = {
    "admin": [
        "Bidan Sari",
        "Poskesdes Kota Bangun Ulu",
        "Puskesmas Kota Bangun",
        "Puskesmas Suralaga",
    ],
    "district": ["Bidan Sari", "Poskesdes Kota Bangun Ulu", "Puskesmas Kota Bangun"],
    # Reads of facilities cover the whole kabupaten (decision 0012).
    "pkb": ["Bidan Sari", "Poskesdes Kota Bangun Ulu", "Puskesmas Kota Bangun"],
    "cadre": ["Bidan Sari", "Poskesdes Kota Bangun Ulu", "Puskesmas Kota Bangun"],
    "cadre_rt": ["Bidan Sari", "Poskesdes Kota Bangun Ulu", "Puskesmas Kota Bangun"],
    # No personal data: the aggregate roles see the facilities of their areas (the viewer: all).
    "partner": ["Bidan Sari", "Poskesdes Kota Bangun Ulu", "Puskesmas Kota Bangun"],
    "viewer": [
        "Bidan Sari",
        "Poskesdes Kota Bangun Ulu",
        "Puskesmas Kota Bangun",
        "Puskesmas Suralaga",
    ],
    "other_district": ["Puskesmas Suralaga"],
    "other_cadre": ["Puskesmas Suralaga"],
}


@by_role
def test_facility_list_shows_the_facilities_in_scope_by_name(facilities, api_as, username, auth):
    response = api_as(username, auth).get("/api/facilities")
    assert items(response, "name") == FACILITIES[username]
    assert response.json()["count"] == len(FACILITIES[username])


def test_facility_list_item_area_filter_and_inactive(facilities, api_as):
    client = api_as("cadre")
    assert client.get("/api/facilities", {"area": RT}).json() == {
        "items": [
            {
                "id": facilities["BPM-SARI"].pk,
                "code": "BPM-SARI",
                "name": "Bidan Sari",
                "kind": "private_midwife",
                "ownership": "private",
                "has_jkn_contract": True,
                "area": RT,
                "area_name": "001",
                "is_active": True,
            }
        ],
        "count": 1,
    }
    assert items(client.get("/api/facilities", {"area": RT_2}), "name") == []
    Facility.objects.filter(code="BPM-SARI").update(is_active=False)
    assert items(client.get("/api/facilities"), "name") == [
        "Poskesdes Kota Bangun Ulu",
        "Puskesmas Kota Bangun",
    ]
    response = client.get("/api/facilities", {"include_inactive": "true"})
    assert items(response, "name") == [
        "Bidan Sari",
        "Poskesdes Kota Bangun Ulu",
        "Puskesmas Kota Bangun",
    ]
    # The area filter takes the subtree: the kecamatan and its villages.
    partner = api_as("partner")
    assert items(partner.get("/api/facilities", {"area": KEC}), "code") == ["PKD-KBU", "PKM-KB"]


@pytest.mark.parametrize(
    ("username", "area"),
    [("cadre", OTHER_RT), ("cadre_rt", VILLAGE), ("partner", OTHER_VILLAGE), ("admin", "99.99")],
)
def test_facility_list_area_outside_the_scope_is_not_found(facilities, api_as, username, area):
    assert api_as(username).get("/api/facilities", {"area": area}).status_code == 404


def facility_body(area: str = VILLAGE) -> dict[str, Any]:
    return {
        "code": " PST-KBU ",
        "name": "Pustu Kota Bangun Ulu",
        "kind": "puskesmas",
        "ownership": "government",
        "has_jkn_contract": True,
        "area": area,
    }


@by_role
def test_facility_create_by_role(world, api_as, username, auth):
    before = counts()
    response = send(api_as(username, auth), "post", "/api/facilities", facility_body())
    assert response.status_code == status_for(username, VILLAGE_OFFICERS, 201)
    if response.status_code == 201:
        facility = Facility.objects.get(code="PST-KBU")
        assert response.json() == {
            "id": facility.pk,
            "code": "PST-KBU",
            "name": "Pustu Kota Bangun Ulu",
            "kind": "puskesmas",
            "ownership": "government",
            "has_jkn_contract": True,
            "area": VILLAGE,
            "area_name": "Kota Bangun Ulu",
            "is_active": True,
        }
        event = AuditEvent.objects.get(action="facility.create", object_id=str(facility.pk))
        assert event.actor == world.user(username)
    else:
        assert counts() == before


def test_facility_create_with_a_taken_code_is_refused(facilities, api_as):
    body = facility_body() | {"code": "PKM-KB"}
    before = counts()
    response = send(api_as("district"), "post", "/api/facilities", body)
    assert response.status_code == 422
    assert response.json() == {
        "errors": [
            {
                "field": "code",
                "code": "contraception.facility_code_duplicate",
                "message_id": "Kode faskes PKM-KB sudah terdaftar.",
                "message_en": "The facility code PKM-KB is already registered.",
            }
        ]
    }
    assert counts() == before


def test_facility_create_outside_the_scope_is_not_found(api_as):
    before = counts()
    response = send(api_as("district"), "post", "/api/facilities", facility_body(OTHER_VILLAGE))
    assert response.status_code == 404
    assert counts() == before


@by_role
def test_facility_update_by_role(facilities, world, api_as, username, auth):
    facility = facilities["PKD-KBU"]
    before = row(facility)
    body = {"name": "Poskesdes Ulu", "has_jkn_contract": True}
    response = send(api_as(username, auth), "patch", f"/api/facilities/{facility.pk}", body)
    assert response.status_code == status_for(username, VILLAGE_OFFICERS)
    facility.refresh_from_db()
    if response.status_code == 200:
        # Fields left out keep their value.
        assert (facility.name, facility.has_jkn_contract, facility.kind, facility.area_id) == (
            "Poskesdes Ulu",
            True,
            "clinic",
            VILLAGE,
        )
        assert (response.json()["name"], response.json()["ownership"]) == (
            "Poskesdes Ulu",
            "community",
        )
    else:
        assert row(facility) == before


def test_facility_update_moves_within_the_scope_only(facilities, api_as):
    facility = facilities["PKD-KBU"]
    client = api_as("district")
    url = f"/api/facilities/{facility.pk}"
    assert send(client, "patch", url, {"area": OTHER_VILLAGE}).status_code == 404
    assert Facility.objects.get(pk=facility.pk).area_id == VILLAGE
    response = send(client, "patch", url, {"area": KEC})
    assert (response.status_code, response.json()["area"]) == (200, KEC)
    assert Facility.objects.get(pk=facility.pk).name == "Poskesdes Kota Bangun Ulu"


# ---- visits ------------------------------------------------------------------------------------


def visit_body(**changes: Any) -> dict[str, Any]:
    return {
        "couple_id": couple_of("Siti Aminah").pk,
        "visited_on": days_ago(3).isoformat(),
        "method": "SUNTIK3",
        "kind": "start",
        "quantity": 1,
        "provider": "Bidan Sari",
        "consent_recorded": True,
        "notes": "Kunjungan pertama",
    } | changes


@by_role
def test_visit_record_by_role(facilities, world, api_as, username, auth):
    before = counts()
    body = visit_body(facility_id=facilities["BPM-SARI"].pk)
    response = send(api_as(username, auth), "post", "/api/visits", body)
    assert response.status_code == status_for(username, RT_EDITORS, 201)
    if response.status_code != 201:
        assert counts() == before
        return
    visit = ServiceVisit.objects.get()
    episode = Episode.objects.get()
    due = days_ago(3) + dt.timedelta(days=84)
    assert response.json() == {
        "id": visit.pk,
        "couple_id": couple_of("Siti Aminah").pk,
        "visited_on": days_ago(3).isoformat(),
        "method": "SUNTIK3",
        "kind": "start",
        "quantity": 1,
        "facility_id": facilities["BPM-SARI"].pk,
        "provider": "Bidan Sari",
        "consent_recorded": True,
        "stop_reason": "",
        "is_postpartum": False,
        "notes": "Kunjungan pertama",
        "due_on": due.isoformat(),
        "episode": {
            "id": episode.pk,
            "method": "SUNTIK3",
            "started_on": days_ago(3).isoformat(),
            "ended_on": None,
            "end_reason": "",
            "next_due_on": due.isoformat(),
            "overdue_from": (due + dt.timedelta(days=15)).isoformat(),
            "drop_out_on": add_months(due + dt.timedelta(days=14), 3).isoformat(),
            "is_new_user": True,
            "is_switch": False,
            "is_postpartum": False,
        },
    }
    assert visit.recorded_by == world.user(username)
    assert AuditEvent.objects.filter(action="visit.record", object_id=str(visit.pk)).count() == 1


def test_visit_record_of_an_injectable_without_consent_is_refused(api_as):
    before = counts()
    response = send(api_as("cadre"), "post", "/api/visits", visit_body(consent_recorded=False))
    assert response.status_code == 422
    assert response.json() == {
        "errors": [
            {
                "field": "consent_recorded",
                "code": "contraception.consent_required",
                "message_id": "Metode Suntik 3 bulanan wajib disertai persetujuan tindakan "
                "medis (informed consent).",
                "message_en": "The method Suntik 3 bulanan requires recorded informed consent.",
            }
        ]
    }
    assert counts() == before


@pytest.mark.parametrize(
    ("changes", "status"),
    [
        ({"method": "NOPE"}, 404),  # not in the catalogue
        ({"couple_id": 0}, 404),
        ({"quantity": 0}, 422),
        ({"kind": "gift"}, 422),
    ],
)
def test_visit_record_with_unknown_references_writes_nothing(api_as, changes, status):
    before = counts()
    response = send(api_as("cadre"), "post", "/api/visits", visit_body(**changes))
    assert response.status_code == status
    assert counts() == before


def test_visit_record_at_a_facility_out_of_scope_is_not_found(facilities, api_as):
    before = counts()
    body = visit_body(facility_id=facilities["PKM-SRL"].pk)
    assert send(api_as("cadre"), "post", "/api/visits", body).status_code == 404
    assert counts() == before


def test_visit_record_in_the_future_is_refused(api_as):
    before = counts()
    body = visit_body(visited_on=(today() + dt.timedelta(days=1)).isoformat())
    response = send(api_as("cadre"), "post", "/api/visits", body)
    assert response.status_code == 422
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [
        ("visited_on", "contraception.date_in_future")
    ]
    assert counts() == before


@by_role
def test_visit_list_shows_the_visits_in_scope_newest_first(world, api_as, username, auth):
    start_both(10)
    response = api_as(username, auth).get("/api/visits")
    # Same day: the later record first.
    assert items(response, "wife_name") == list(reversed(WIVES[username]))


def test_visit_list_item_and_filters(api_as):
    siti = couple_of("Siti Aminah")
    first = start(siti, days_ago(40), "PIL", quantity=1)
    second = services.visit_record(
        couple=siti,
        visited_on=days_ago(12),
        method=Method.objects.get(pk="PIL"),
        kind="repeat",
        quantity=3,
        actor=None,
    )
    start(couple_of("Baiq Nurul"), days_ago(12))
    client = api_as("pkb")
    response = client.get("/api/visits", {"couple": siti.pk})
    assert response.json() == {
        "items": [
            {
                "id": second.pk,
                "couple_id": siti.pk,
                "wife_name": "Siti Aminah",
                "area": RT,
                "visited_on": days_ago(12).isoformat(),
                "method": "PIL",
                "kind": "repeat",
                "quantity": 3,
                "facility_id": None,
                "consent_recorded": False,
                "stop_reason": "",
                "is_postpartum": False,
                "due_on": (days_ago(12) + dt.timedelta(days=84)).isoformat(),
                "episode_id": Episode.objects.get(couple=siti).pk,
            },
            {
                "id": first.pk,
                "couple_id": siti.pk,
                "wife_name": "Siti Aminah",
                "area": RT,
                "visited_on": days_ago(40).isoformat(),
                "method": "PIL",
                "kind": "start",
                "quantity": 1,
                "facility_id": None,
                "consent_recorded": True,
                "stop_reason": "",
                "is_postpartum": False,
                "due_on": (days_ago(40) + dt.timedelta(days=28)).isoformat(),
                "episode_id": Episode.objects.get(couple=siti).pk,
            },
        ],
        "count": 2,
    }
    window = {"date_from": days_ago(20).isoformat(), "date_to": days_ago(5).isoformat()}
    assert items(client.get("/api/visits", window), "id") == [second.pk]
    assert items(client.get("/api/visits", {"area": RT_2}), "id") == []
    admin = api_as("admin")
    assert items(admin.get("/api/visits", {"area": OTHER_RT}), "wife_name") == ["Baiq Nurul"]
    assert client.get("/api/visits", {"area": OTHER_RT}).status_code == 404
    baiq = couple_of("Baiq Nurul")
    assert client.get("/api/visits", {"couple": baiq.pk}).status_code == 404
    assert api_as("partner").get("/api/visits", {"couple": siti.pk}).status_code == 404
    assert api_as("partner").get("/api/visits", {"area": KAB}).json() == {"items": [], "count": 0}


# ---- a couple's status ---------------------------------------------------------------------------


@by_role
def test_couple_status_by_role(world, api_as, username, auth):
    response = api_as(username, auth).get(f"/api/couples/{couple_of('Siti Aminah').pk}/status")
    assert response.status_code == status_for(username, RT_EDITORS)


# A 3-monthly injection 100 days ago: due 16 days ago, overdue (past 14 days' grace) since
# yesterday.
@pytest.mark.parametrize(
    ("on_days_ago", "expected"),
    [
        (101, ("unknown", None, None, False, False)),
        (100, ("user", "SUNTIK3", 16, False, True)),
        (2, ("user", "SUNTIK3", 16, False, True)),
        (1, ("user", "SUNTIK3", 16, True, False)),
        (0, ("user", "SUNTIK3", 16, True, False)),
    ],
)
def test_couple_status_on_a_date(api_as, on_days_ago, expected):
    couple = couple_of("Siti Aminah")
    start(couple, days_ago(100))
    on = days_ago(on_days_ago)
    data = api_as("cadre_rt").get(f"/api/couples/{couple.pk}/status", {"on": on.isoformat()}).json()
    status, method, due_days_ago, overdue, active = expected
    assert {k: v for k, v in data.items() if k != "episodes"} == {
        "couple_id": couple.pk,
        "on": on.isoformat(),
        "status": status,
        "method": method,
        "due_on": days_ago(due_days_ago).isoformat() if due_days_ago else None,
        "overdue": overdue,
        "is_active_user": active,
    }


def test_couple_status_defaults_to_today_with_the_episodes_newest_first(api_as):
    couple = couple_of("Siti Aminah")
    couple.fertility_intention = "delay"
    couple.save(update_fields=["fertility_intention"])
    start(couple, days_ago(60), "PIL")
    switch = services.visit_record(
        couple=couple,
        visited_on=days_ago(20),
        method=Method.objects.get(pk="IMPLAN3"),
        kind="switch",
        consent_recorded=True,
        actor=None,
    )
    pill, implant = Episode.objects.filter(couple=couple).order_by("started_on")
    implant_due = days_ago(20) + dt.timedelta(days=1095)
    data = api_as("cadre").get(f"/api/couples/{couple.pk}/status").json()
    assert data == {
        "couple_id": couple.pk,
        "on": today().isoformat(),
        "status": "user",
        "method": "IMPLAN3",
        "due_on": implant_due.isoformat(),
        "overdue": False,
        "is_active_user": True,
        "episodes": [
            {
                "id": implant.pk,
                "method": "IMPLAN3",
                "started_on": days_ago(20).isoformat(),
                "ended_on": None,
                "end_reason": "",
                "next_due_on": implant_due.isoformat(),
                "overdue_from": (implant_due + dt.timedelta(days=31)).isoformat(),
                "drop_out_on": add_months(implant_due + dt.timedelta(days=30), 3).isoformat(),
                "is_new_user": False,
                "is_switch": True,
                "is_postpartum": False,
            },
            {
                "id": pill.pk,
                "method": "PIL",
                "started_on": days_ago(60).isoformat(),
                "ended_on": days_ago(20).isoformat(),
                "end_reason": "switch",
                "next_due_on": days_ago(32).isoformat(),
                "overdue_from": days_ago(24).isoformat(),
                "drop_out_on": add_months(days_ago(25), 3).isoformat(),
                "is_new_user": True,
                "is_switch": False,
                "is_postpartum": False,
            },
        ],
    }
    assert switch.episode_id == implant.pk
    # Before the first visit the couple is a non-user who wants to delay (IAT).
    before = {"on": days_ago(61).isoformat()}
    data = api_as("cadre").get(f"/api/couples/{couple.pk}/status", before).json()
    assert (data["status"], data["method"], data["is_active_user"]) == ("delay", None, False)


# ---- follow-up lists ---------------------------------------------------------------------------

# Days ago of a 3-monthly injection that puts the couple on each list today: due in 14 days;
# due 16 days ago and overdue since yesterday; dropped out about two months ago.
LIST_STARTS = {"/api/due": 70, "/api/overdue": 100, "/api/dropouts": 250}


@pytest.mark.parametrize("url", list(LIST_STARTS))
@by_role
def test_follow_up_lists_show_the_couples_in_scope(world, api_as, url, username, auth):
    start_both(LIST_STARTS[url])
    response = api_as(username, auth).get(url)
    assert items(response, "wife_name") == WIVES[username]


def follow_up_row(couple: Couple, area_name: str = "001") -> dict[str, Any]:
    episode = Episode.objects.get(couple=couple)
    return {
        "episode_id": episode.pk,
        "couple_id": couple.pk,
        "wife_id": couple.wife_id,
        "wife_name": "Siti Aminah",
        "wife_nik_masked": "640208******0002",
        "husband_name": "Sutrisno",
        "area": RT,
        "area_name": area_name,
        "method": "SUNTIK3",
        "method_name": "Suntik 3 bulanan",
        "started_on": episode.started_on.isoformat(),
        "next_due_on": episode.next_due_on.isoformat() if episode.next_due_on else None,
        "due_kind": "reinjection",
        "overdue_from": episode.overdue_from.isoformat() if episode.overdue_from else None,
        "drop_out_on": episode.drop_out_on.isoformat() if episode.drop_out_on else None,
        "ended_on": episode.ended_on.isoformat() if episode.ended_on else None,
    }


def test_due_list_item_and_window(api_as):
    siti = couple_of("Siti Aminah")
    start(siti, days_ago(70))
    client = api_as("cadre")
    data = client.get("/api/due").json()
    assert data == {"items": [follow_up_row(siti)], "count": 1}
    assert data["items"][0]["next_due_on"] == (today() + dt.timedelta(days=14)).isoformat()
    later = {"date_from": (today() + dt.timedelta(days=15)).isoformat()}
    assert client.get("/api/due", later).json() == {"items": [], "count": 0}
    sooner = {"date_to": (today() + dt.timedelta(days=13)).isoformat()}
    assert client.get("/api/due", sooner).json() == {"items": [], "count": 0}
    assert items(client.get("/api/due", {"area": RT_2}), "wife_name") == []
    assert client.get("/api/due", {"area": OTHER_RT}).status_code == 404


def test_overdue_list_item_and_date(api_as):
    siti = couple_of("Siti Aminah")
    start(siti, days_ago(100))
    client = api_as("cadre_rt")
    row_ = follow_up_row(siti)
    assert (row_["next_due_on"], row_["overdue_from"]) == (
        days_ago(16).isoformat(),
        days_ago(1).isoformat(),
    )
    assert client.get("/api/overdue").json() == {"items": [row_], "count": 1}
    assert client.get("/api/overdue", {"on": days_ago(2).isoformat()}).json()["count"] == 0
    assert client.get("/api/overdue", {"area": VILLAGE}).status_code == 404


def test_dropout_list_item_and_window(api_as):
    siti = couple_of("Siti Aminah")
    start(siti, days_ago(250))
    dropped = add_months(days_ago(250 - 84 - 14), 3)
    episode = Episode.objects.get(couple=siti)
    assert (episode.ended_on, episode.end_reason) == (dropped, "drop_out")
    client = api_as("district")
    assert client.get("/api/dropouts").json() == {"items": [follow_up_row(siti)], "count": 1}
    window = {"date_from": (dropped + dt.timedelta(days=1)).isoformat()}
    assert client.get("/api/dropouts", window).json()["count"] == 0
    # Starting again takes the couple off the list.
    start(siti, days_ago(5))
    assert client.get("/api/dropouts").json()["count"] == 0


@pytest.mark.parametrize("username", ["partner", "viewer"])
def test_follow_up_lists_are_empty_for_aggregate_roles_even_in_their_area(api_as, username):
    start_both(100)
    client = api_as(username)
    area = {"area": KAB} if username == "partner" else {}
    for url in ("/api/due", "/api/overdue", "/api/dropouts", "/api/visits"):
        assert client.get(url, area).json() == {"items": [], "count": 0}, url


def test_lists_never_carry_a_full_nik(api_as):
    start_both(100)
    client = api_as("admin")
    bodies = "".join(
        client.get(url).content.decode()
        for url in ("/api/due", "/api/overdue", "/api/dropouts", "/api/visits")
    )
    niks = list(Person.objects.exclude(nik=None).values_list("nik", flat=True))
    assert len(niks) == 5
    assert [nik for nik in niks if nik and nik in bodies] == []
    assert "640208******0002" in bodies
    assert "520313******0012" in bodies


def _add_users(world: World, count: int, days: int) -> None:
    """``count`` more couples in RT 001, each started on a 3-monthly injection ``days`` ago."""
    for i in range(count):
        family = Family.objects.create(area=world.area(RT), address=f"Jl. Baru {i}")
        wife = Person.objects.create(
            family=family,
            full_name=f"Istri {i}",
            sex=Sex.FEMALE,
            birth_date=dt.date(1990, 1, 1),
            relation_to_head=Relation.HEAD,
            nik=make_nik("640208", dt.date(1990, 1, 1), Sex.FEMALE, 200 + i),
        )
        couple = Couple.objects.create(wife=wife, married_on=dt.date(2010, 1, 1))
        start(couple, days_ago(days), facility=Facility.objects.get(code="BPM-SARI"))


@pytest.mark.parametrize(
    ("url", "params", "days", "queries"),
    [
        # token, scope, count, page (+ the area filter's lookup)
        ("/api/facilities", {}, 100, 4),
        ("/api/facilities", {"area": VILLAGE}, 100, 5),
        ("/api/visits", {}, 100, 4),
        ("/api/visits", {"area": RT, "date_from": "2020-01-01"}, 100, 5),
        ("/api/due", {}, 70, 4),
        ("/api/due", {"area": RT}, 70, 5),
        ("/api/overdue", {}, 100, 4),
        ("/api/overdue", {"area": RT}, 100, 5),
        ("/api/dropouts", {}, 250, 4),
        ("/api/dropouts", {"area": RT}, 250, 5),
    ],
)
def test_list_queries_do_not_grow_with_rows(
    world, facilities, api_as, django_assert_num_queries, url, params, days, queries
):
    client = api_as("cadre")
    client.get("/api/accounts/me")  # the token's first use is recorded once
    start_both(days)
    with django_assert_num_queries(queries):
        small = client.get(url, params)
    _add_users(world, 4, days)
    Facility.objects.create(
        code="X", name="Klinik X", kind="clinic", ownership="private", area=world.area(RT)
    )
    with django_assert_num_queries(queries):
        large = client.get(url, params)
    assert large.json()["count"] > small.json()["count"]


def test_method_list_takes_one_query_after_authentication(api_as, django_assert_num_queries):
    client = api_as("viewer")
    client.get("/api/accounts/me")
    with django_assert_num_queries(2):  # token, catalogue
        assert client.get("/api/methods").status_code == 200


# ---- follow-ups --------------------------------------------------------------------------------


@by_role
def test_followup_record_by_role(world, api_as, username, auth):
    siti = couple_of("Siti Aminah")
    start(siti, days_ago(100))
    episode = Episode.objects.get(couple=siti)
    before = counts()
    body = {
        "couple_id": siti.pk,
        "episode_id": episode.pk,
        "done_on": today().isoformat(),
        "outcome": "refused",
        "barrier": "side_effects",
        "note": " Pusing setelah suntik ",
    }
    response = send(api_as(username, auth), "post", "/api/followups", body)
    assert response.status_code == status_for(username, RT_EDITORS, 201)
    if response.status_code != 201:
        assert counts() == before
        return
    follow_up = FollowUp.objects.get()
    assert response.json() == {
        "id": follow_up.pk,
        "couple_id": siti.pk,
        "episode_id": episode.pk,
        "due_on": days_ago(16).isoformat(),
        "done_on": today().isoformat(),
        "outcome": "refused",
        "barrier": "side_effects",
        "note": "Pusing setelah suntik",
    }
    assert follow_up.recorded_by == world.user(username)


def test_followup_refusal_without_a_barrier_is_refused(api_as):
    before = counts()
    body = {"couple_id": couple_of("Siti Aminah").pk, "done_on": today().isoformat()}
    response = send(api_as("cadre"), "post", "/api/followups", body | {"outcome": "refused"})
    assert response.status_code == 422
    assert response.json() == {
        "errors": [
            {
                "field": "barrier",
                "code": "contraception.barrier_required",
                "message_id": "Jika pasangan menolak, sebutkan hambatannya.",
                "message_en": "When the couple refuses, say what stands in the way.",
            }
        ]
    }
    assert counts() == before


def test_followup_with_an_episode_of_another_couple(api_as):
    start_both(100)
    siti, baiq = couple_of("Siti Aminah"), couple_of("Baiq Nurul")
    body = {
        "couple_id": siti.pk,
        "episode_id": Episode.objects.get(couple=baiq).pk,
        "done_on": today().isoformat(),
        "outcome": "visited",
    }
    before = counts()
    # Out of the cadre's scope: not found; in the admin's: refused.
    assert send(api_as("cadre"), "post", "/api/followups", body).status_code == 404
    response = send(api_as("admin"), "post", "/api/followups", body)
    assert response.status_code == 422
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [
        ("episode", "contraception.episode_other_couple")
    ]
    assert counts() == before


def test_session_writes_need_the_csrf_token(world, api_as):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.user("cadre"))
    client.get("/api/methods")
    before = counts()
    assert send(client, "post", "/api/visits", visit_body()).status_code == 403
    assert counts() == before
    client.get("/")  # sets the csrftoken cookie
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/api/visits", visit_body(), content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert response.status_code == 201


# ---- the OpenAPI document ----------------------------------------------------------------------

PATHS = {
    "/api/methods": {"get"},
    "/api/facilities": {"get", "post"},
    "/api/facilities/{facility_id}": {"patch"},
    "/api/visits": {"get", "post"},
    "/api/couples/{couple_id}/status": {"get"},
    "/api/due": {"get"},
    "/api/overdue": {"get"},
    "/api/dropouts": {"get"},
    "/api/followups": {"post"},
}


def test_openapi_lists_the_paths_with_summary_and_tag(db):
    paths = Client().get("/api/openapi.json").json()["paths"]
    assert {path: set(paths[path]) for path in PATHS} == PATHS
    for path, methods in PATHS.items():
        for method in methods:
            operation = paths[path][method]
            assert operation["summary"], (method, path)
            assert operation["tags"] == ["Layanan KB / FP services"], (method, path)
    for path in ("/api/facilities", "/api/visits", "/api/due", "/api/overdue", "/api/dropouts"):
        schema = paths[path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        assert schema["$ref"].startswith("#/components/schemas/Paged"), path
