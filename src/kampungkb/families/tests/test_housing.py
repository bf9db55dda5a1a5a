"""The family's house (drinking water, latrine and septic tank, floor area and materials): the
page that records it, the family page that shows it and ``PUT /api/families/{id}/housing``,
tried by every role of the shared world."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kampungkb.core.models import AuditEvent
from kampungkb.families import services
from kampungkb.families.models import (
    Family,
    FloorMaterial,
    Latrine,
    RoofMaterial,
    WallMaterial,
    WaterSource,
)
from kampungkb.families.services import HousingData
from kampungkb.testing.world import USERS

ALL_USERS = tuple(USERS)
# Who may record the house of the family Sutrisno (RT 001).
EDITORS = ("admin", "district", "pkb", "cadre", "cadre_rt")
HOUSE_FIELDS = (
    "water_source",
    "latrine",
    "has_septic_tank",
    "floor_area",
    "floor_material",
    "wall_material",
    "roof_material",
    "housing_recorded_on",
)
RECORDED = dt.date(2024, 11, 5)
POST = {
    "water_source": WaterSource.PROTECTED_WELL,
    "latrine": Latrine.OWN,
    "has_septic_tank": "true",
    "floor_area": "36.5",
    "floor_material": FloorMaterial.CEMENT,
    "wall_material": WallMaterial.WOOD,
    "roof_material": RoofMaterial.METAL,
    "recorded_on": RECORDED.isoformat(),
}
SAVED = (
    WaterSource.PROTECTED_WELL,
    Latrine.OWN,
    True,
    Decimal("36.5"),
    FloorMaterial.CEMENT,
    WallMaterial.WOOD,
    RoofMaterial.METAL,
    RECORDED,
)
BLANK = ("", "", None, None, "", "", "", None)


def house(family: Family) -> tuple[Any, ...]:
    values = Family.objects.filter(pk=family.pk).values_list(*HOUSE_FIELDS).get()
    return tuple(values)


def state() -> tuple[Any, ...]:
    """Every family row and the number of audit events: equal before and after a refusal."""
    return list(Family.objects.order_by("pk").values()), AuditEvent.objects.count()


def html(response: Any) -> str:
    return response.content.decode()


def english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def record(family: Family, **fields: Any) -> Family:
    data = {
        "water_source": WaterSource.PIPED,
        "latrine": Latrine.OWN,
        "has_septic_tank": True,
        "floor_area": Decimal("48"),
        "floor_material": FloorMaterial.CERAMIC,
        "wall_material": WallMaterial.MASONRY,
        "roof_material": RoofMaterial.TILE,
        "recorded_on": RECORDED,
        **fields,
    }
    return services.family_housing_update(family=family, data=HousingData(**data), actor=None)


def housing_url(family: Family) -> str:
    return reverse("families:housing", args=[family.pk])


# -- The page: access -------------------------------------------------------------------------


@pytest.mark.parametrize("username", ALL_USERS)
def test_housing_page_opens_for_editors_of_the_area_only(world, client_for, username):
    response = client_for(username).get(housing_url(world.family))
    assert response.status_code == (200 if username in EDITORS else 404)


def test_the_rt_cadre_does_not_find_the_house_of_another_rt(world, client_for):
    client = client_for("cadre_rt")
    assert client.get(housing_url(world.family_no_nik)).status_code == 404
    before = state()
    assert client.post(housing_url(world.family_no_nik), POST).status_code == 404
    assert state() == before


def test_the_lombok_family_is_found_only_by_its_own_users(world, client_for):
    url = housing_url(world.other_family)
    statuses = {u: client_for(u).get(url).status_code for u in ALL_USERS}
    assert statuses == {
        "admin": 200,
        "district": 404,
        "pkb": 404,
        "cadre": 404,
        "cadre_rt": 404,
        "partner": 404,
        "viewer": 404,
        "other_district": 200,
        "other_cadre": 200,
    }


def test_housing_page_needs_a_login(world):
    url = housing_url(world.family)
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={url}"


# -- The page: recording ----------------------------------------------------------------------


@pytest.mark.parametrize("username", ALL_USERS)
def test_record_the_house_by_role(world, client_for, username):
    family = world.family
    before = state()
    response = client_for(username).post(housing_url(family), POST)
    if username in EDITORS:
        assert response.status_code == 302
        assert response["Location"] == reverse("families:detail", args=[family.pk])
        assert house(family) == SAVED
        event = AuditEvent.objects.get(action="family.housing", object_id=str(family.pk))
        assert event.actor == world.user(username)
        assert (event.before["latrine"], event.after["latrine"]) == ("", "own")
        assert (event.before["has_septic_tank"], event.after["has_septic_tank"]) == (None, True)
    else:
        assert response.status_code == 404
        assert state() == before


def test_the_form_shows_the_recorded_house_and_today(world, client_for):
    record(world.family)
    form = client_for("cadre").get(housing_url(world.family)).context["form"]
    assert form.initial == {
        "water_source": "piped",
        "latrine": "own",
        "has_septic_tank": True,
        "floor_area": Decimal("48.0"),
        "floor_material": "ceramic",
        "wall_material": "masonry",
        "roof_material": "tile",
        "recorded_on": timezone.localdate(),
    }
    assert list(form.fields) == [
        "water_source",
        "latrine",
        "has_septic_tank",
        "floor_area",
        "floor_material",
        "wall_material",
        "roof_material",
        "recorded_on",
    ]


def test_the_form_offers_the_choices_in_selects(world, client_for):
    page = html(english(client_for("cadre")).get(housing_url(world.family)))
    assert '<select name="water_source" id="id_water_source">' in page
    assert '<option value="protected_well">Protected well</option>' in page
    assert '<option value="none">No latrine</option>' in page
    assert '<option value="unknown" selected>Unknown</option>' in page
    assert '<option value="true">Yes</option>' in page
    assert '<option value="false">No</option>' in page
    assert '<option value="thatch">Thatch, palm leaves or sago</option>' in page
    assert f'value="{timezone.localdate().isoformat()}"' in page


def test_unknown_answers_are_saved_blank(world, client_for):
    record(world.family)
    data = dict.fromkeys(POST, "") | {"has_septic_tank": "unknown", "recorded_on": "2025-01-02"}
    response = client_for("cadre").post(housing_url(world.family), data)
    assert response.status_code == 302
    assert house(world.family) == ("", "", None, None, "", "", "", dt.date(2025, 1, 2))


def test_no_septic_tank_is_saved_as_false(world, client_for):
    data = POST | {"latrine": Latrine.NONE, "has_septic_tank": "false", "floor_area": "24"}
    client_for("pkb").post(housing_url(world.family), data)
    assert house(world.family)[1:4] == (Latrine.NONE, False, Decimal("24.0"))


def test_success_message_follows_the_language(world, client_for):
    response = english(client_for("cadre")).post(housing_url(world.family), POST, follow=True)
    assert "The house was recorded." in html(response)


# -- The page: refusals -----------------------------------------------------------------------


def _refused(client: Client, url: str, data: dict[str, Any]) -> Any:
    before = state()
    response = client.post(url, data)
    assert response.status_code == 200
    assert state() == before
    return response


def test_a_septic_tank_without_a_latrine_is_refused_in_both_languages(world, client_for):
    data = POST | {"latrine": Latrine.NONE, "has_septic_tank": "true"}
    client = client_for("cadre")
    response = _refused(client, housing_url(world.family), data)
    assert response.context["form"].errors == {
        "has_septic_tank": ["Keluarga tanpa jamban tidak memiliki tangki septik sendiri."]
    }
    english_page = html(_refused(english(client), housing_url(world.family), data))
    assert "A family without a latrine has no septic tank of its own." in english_page


def test_a_date_in_the_future_is_refused(world, client_for):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    data = POST | {"recorded_on": tomorrow.isoformat()}
    response = _refused(client_for("cadre"), housing_url(world.family), data)
    assert response.context["form"].errors == {
        "recorded_on": ["Tanggal pendataan rumah tidak boleh di masa depan."]
    }


def test_a_floor_area_of_zero_is_refused(world, client_for):
    response = _refused(client_for("cadre"), housing_url(world.family), POST | {"floor_area": "0"})
    assert response.context["form"].errors == {"floor_area": ["Luas lantai harus lebih dari 0 m²."]}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("water_source", "tap"),
        ("latrine", "pit"),
        ("roof_material", "glass"),
        ("floor_area", "36.25"),
        ("floor_area", "100000"),
        ("recorded_on", ""),
    ],
)
def test_a_value_the_form_does_not_take_is_refused(world, client_for, field, value):
    response = _refused(client_for("cadre"), housing_url(world.family), POST | {field: value})
    assert list(response.context["form"].errors) == [field]


def test_the_house_of_a_deactivated_family_is_not_recorded(world, client_for):
    services.family_deactivate(family=world.family, reason="Duplikat", actor=None)
    response = _refused(client_for("cadre"), housing_url(world.family), POST)
    assert response.context["form"].non_field_errors() == ["Data ini sudah dinonaktifkan."]


# -- The family page --------------------------------------------------------------------------


def test_family_page_says_the_house_is_not_recorded_yet(world, client_for):
    response = english(client_for("cadre")).get(reverse("families:detail", args=[world.family.pk]))
    page = html(response)
    section = page[page.index('<section id="house">') : page.index('<section id="members">')]
    assert "<h2>House</h2>" in section
    assert section.count('<span class="muted">not recorded yet</span>') == 8
    assert "<dt>Main drinking-water source</dt>" in section
    assert f'href="{housing_url(world.family)}"' in section


def test_family_page_shows_the_recorded_house(world, client_for):
    record(world.family, floor_area=Decimal("36.5"), latrine=Latrine.SHARED, has_septic_tank=False)
    url = reverse("families:detail", args=[world.family.pk])
    page = html(english(client_for("cadre_rt")).get(url))
    section = page[page.index('<section id="house">') : page.index('<section id="members">')]
    assert "not recorded yet" not in section
    for text in (
        "<dt>Main drinking-water source</dt>\n    <dd>Piped water</dd>",
        "<dt>Latrine</dt>\n    <dd>Shared latrine</dd>",
        "<dt>Septic tank</dt>\n    <dd>No</dd>",
        "<dt>Floor area (m²)</dt>\n    <dd>36.5 m²</dd>",
        "<dt>Floor</dt>\n    <dd>Ceramic, marble or granite</dd>",
        "<dt>Walls</dt>\n    <dd>Brick or concrete</dd>",
        "<dt>Roof</dt>\n    <dd>Clay or concrete tiles</dd>",
        "<dt>House recorded on</dt>\n    <dd>05-11-2024</dd>",
    ):
        assert text in section
    # Indonesian writes the decimal comma.
    assert "<dd>36,5 m²</dd>" in html(client_for("cadre_rt").get(url))


def test_family_page_links_to_the_stunting_risk_of_the_family(world, client_for):
    page = html(english(client_for("pkb")).get(reverse("families:detail", args=[world.family.pk])))
    link = reverse("stunting:family", args=[world.family.pk])
    assert f'<a href="{link}">Stunting risk</a>' in page


def test_family_page_of_a_deactivated_family_offers_no_housing_form(world, client_for):
    services.family_deactivate(family=world.family, reason="Duplikat", actor=None)
    page = html(client_for("cadre").get(reverse("families:detail", args=[world.family.pk])))
    assert housing_url(world.family) not in page


# -- The API ----------------------------------------------------------------------------------


BODY = {
    "water_source": "protected_well",
    "latrine": "own",
    "has_septic_tank": True,
    "floor_area": "36.5",
    "floor_material": "cement",
    "wall_material": "wood",
    "roof_material": "metal",
    "recorded_on": RECORDED.isoformat(),
}


def put(client: Client, family: Family, body: dict[str, Any]) -> Any:
    return client.put(f"/api/families/{family.pk}/housing", body, content_type="application/json")


@pytest.mark.parametrize("username", ALL_USERS)
def test_api_records_the_house_by_role(world, api_as, username):
    family = world.family
    client = api_as(username)  # its token is audited
    before = state()
    response = put(client, family, BODY)
    if username in EDITORS:
        assert response.status_code == 200
        assert response.json()["housing"] == BODY
        assert response.json()["id"] == family.pk
        assert house(family) == SAVED
        assert AuditEvent.objects.filter(action="family.housing").count() == 1
    else:
        assert response.status_code == 404
        assert state() == before


@pytest.mark.parametrize("username", ["other_district", "other_cadre", "admin"])
def test_api_records_the_house_of_the_lombok_family_for_its_users(world, api_as, username):
    response = put(api_as(username), world.other_family, BODY)
    assert response.status_code == 200
    assert house(world.other_family) == SAVED


def test_api_family_detail_carries_the_house(world, api_as):
    record(world.family, floor_area=Decimal("36.5"), latrine=Latrine.NONE, has_septic_tank=False)
    data = api_as("cadre").get(f"/api/families/{world.family.pk}").json()
    assert data["housing"] == {
        "water_source": "piped",
        "latrine": "none",
        "has_septic_tank": False,
        "floor_area": "36.5",
        "floor_material": "ceramic",
        "wall_material": "masonry",
        "roof_material": "tile",
        "recorded_on": "2024-11-05",
    }


def test_api_put_replaces_the_whole_house_and_dates_it_today(world, api_as):
    record(world.family)
    response = put(api_as("cadre"), world.family, {"water_source": "surface"})
    assert response.status_code == 200
    today = timezone.localdate()
    assert house(world.family) == ("surface", "", None, None, "", "", "", today)
    assert response.json()["housing"] == {
        "water_source": "surface",
        "latrine": "",
        "has_septic_tank": None,
        "floor_area": None,
        "floor_material": "",
        "wall_material": "",
        "roof_material": "",
        "recorded_on": today.isoformat(),
    }


def test_api_refuses_a_choice_it_does_not_know_in_both_languages(world, api_as):
    client = api_as("cadre")
    before = state()
    response = put(client, world.family, BODY | {"latrine": "pit"})
    assert response.status_code == 422
    assert response.json() == {
        "errors": [
            {
                "field": "latrine",
                "code": "request.invalid",
                "message_id": "Nilai tidak valid (Input should be 'own', 'shared', 'public' "
                "or 'none').",
                "message_en": "Invalid value (Input should be 'own', 'shared', 'public' or "
                "'none').",
            }
        ]
    }
    assert state() == before


def test_api_refuses_a_septic_tank_without_a_latrine_in_both_languages(world, api_as):
    client = api_as("cadre")
    before = state()
    body = BODY | {"latrine": "none", "has_septic_tank": True}
    response = put(client, world.family, body)
    assert response.status_code == 422
    assert response.json() == {
        "errors": [
            {
                "field": "has_septic_tank",
                "code": "family.septic_tank_without_latrine",
                "message_id": "Keluarga tanpa jamban tidak memiliki tangki septik sendiri.",
                "message_en": "A family without a latrine has no septic tank of its own.",
            }
        ]
    }
    assert state() == before


@pytest.mark.parametrize(
    ("change", "field", "code", "message_en"),
    [
        (
            {"floor_area": "0"},
            "floor_area",
            "family.floor_area_not_positive",
            "The floor area must be more than 0 m².",
        ),
        (
            {"floor_area": "36.25"},
            "floor_area",
            "request.invalid",
            "Invalid value (Decimal input should have no more than 1 decimal place).",
        ),
        (
            {"floor_area": "123456"},
            "floor_area",
            "request.invalid",
            "Invalid value (Decimal input should have no more than 5 digits before the decimal "
            "point).",
        ),
        (
            {"recorded_on": "2999-01-01"},
            "recorded_on",
            "family.housing_date_in_future",
            "The date the house was recorded cannot be in the future.",
        ),
    ],
)
def test_api_refuses_a_bad_area_or_date_and_writes_nothing(
    world, api_as, change, field, code, message_en
):
    client = api_as("cadre")
    before = state()
    response = put(client, world.family, BODY | change)
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert (error["field"], error["code"], error["message_en"]) == (field, code, message_en)
    assert error["message_id"] not in ("", message_en)
    assert state() == before


def test_api_takes_null_or_blank_for_an_unknown_answer(world, api_as):
    body = BODY | {"water_source": None, "latrine": "", "floor_area": None}
    response = put(api_as("cadre"), world.family, body)
    assert response.status_code == 200
    assert house(world.family)[:4] == ("", "", True, None)


def test_api_refuses_the_house_of_a_deactivated_family(world, api_as):
    services.family_deactivate(family=world.family, reason="Duplikat", actor=None)
    client = api_as("cadre")
    before = state()
    response = put(client, world.family, BODY)
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "family.inactive"
    assert state() == before
