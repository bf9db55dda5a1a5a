"""The Kampung KB pages by every role: list, map, detail, register, edit, profile; exports;
pinned query counts; names hidden from aggregate roles; out of area is not found."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook

from kampungkb.core.models import AuditEvent
from kampungkb.kampung import services
from kampungkb.kampung.models import Classification, KampungKb, ProfileVersion
from kampungkb.kampung.tests.conftest import FULL_PROFILE, JUNE, Setting
from kampungkb.regions.models import Area
from kampungkb.testing.world import (
    AGGREGATE_USERS,
    KAB,
    NAMED_USERS,
    OTHER_KAB,
    VILLAGE,
    World,
)

LIST = "/kampung/"
MAP = "/kampung/map/"


def detail(k: KampungKb) -> str:
    return f"/kampung/{k.pk}/"


@pytest.fixture
def classified(setting: Setting) -> Setting:
    services.profile_save(kampung=setting.kampung, month=JUNE, data=FULL_PROFILE, actor=None)
    return setting


# -- Detail -------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", NAMED_USERS)
def test_officers_see_the_class_reasons_and_names(
    classified: Setting, client_for: Any, username: str
) -> None:
    page = client_for(username).get(detail(classified.kampung), {"month": "2025-06"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Dasar" in html
    assert "Pak Darmawan" in html
    assert "081234567890" in html
    assert "Bu Hartini" in html
    assert "Rapat bulanan di balai desa." in html
    # Every score, with the data behind it and what would raise it.
    assert html.count('class="kkb-score"') == 12
    assert "PKK Kota Bangun Ulu" in html
    assert "BKR Anggrek" in html
    assert 'name="pokja_exists"' in html  # the "edit this month" form


@pytest.mark.parametrize("username", AGGREGATE_USERS)
def test_aggregate_roles_see_the_class_but_no_person(
    classified: Setting, client_for: Any, username: str
) -> None:
    page = client_for(username).get(detail(classified.kampung), {"month": "2025-06"})
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('class="kkb-score"') == 12
    for name in ("Pak Darmawan", "081234567890", "Bu Hartini", "Rapat bulanan"):
        assert name not in html
    assert 'name="pokja_exists"' not in html


@pytest.mark.parametrize("username", ["other_district", "other_cadre", "cadre_rt"])
def test_detail_out_of_area_is_not_found(
    classified: Setting, client_for: Any, username: str
) -> None:
    assert client_for(username).get(detail(classified.kampung)).status_code == 404


def test_a_month_without_profile_says_which_profile_is_in_force(
    classified: Setting, client_for: Any
) -> None:
    html = client_for("district").get(detail(classified.kampung), {"month": "2025-08"}).content
    text = html.decode()
    assert "Belum ada profil untuk bulan ini: profil Juni 2025 yang berlaku." in text
    assert "Bulan ini belum diklasifikasi: kelas yang ditampilkan adalah kelas Juni 2025." in text


def test_a_bad_month_is_a_bilingual_400(classified: Setting, client_for: Any) -> None:
    page = client_for("district").get(detail(classified.kampung), {"month": "juni"})
    assert page.status_code == 400
    assert "TTTT-BB" in page.content.decode()


def test_detail_query_count_is_pinned(
    classified: Setting, client_for: Any, django_assert_num_queries: Any
) -> None:
    """Session, user, scope; the Kampung KB and its RW; profile in force, classification,
    history, versions, facts, partners, poktan; the breadcrumb; the PKB officers of the form."""
    client = client_for("district")
    with django_assert_num_queries(14):
        assert client.get(detail(classified.kampung), {"month": "2025-06"}).status_code == 200


# -- Profile form -------------------------------------------------------------------------------


def profile_post(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "pokja_exists": "on",
        "pokja_decree_number": "SK 1/2025",
        "pokja_decree_date": "2025-01-10",
        "pokja_trained": "on",
        "pokja_members": "7",
        "supervisor_name": "",
        "funding_sources": ["apbn", "csr"],
        "has_rumah_dataku": "on",
        "data_sources": ["family_data"],
        "notes": "",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("username", ["admin", "district", "pkb", "cadre"])
def test_editors_save_this_months_profile(
    setting: Setting, client_for: Any, world: World, username: str
) -> None:
    url = f"/kampung/{setting.kampung.pk}/profile/?month=2025-06"
    response = client_for(username).post(url, profile_post(pkb=str(world.user("pkb").pk)))
    assert response.status_code == 302
    assert response["Location"] == f"/kampung/{setting.kampung.pk}/?month=2025-06"
    profile = ProfileVersion.objects.get()
    assert (profile.month, profile.version, profile.pokja_members) == (JUNE, 1, 7)
    assert profile.funding_sources == ["apbn", "csr"]
    assert profile.created_by == world.user(username)
    assert Classification.objects.get().klass == "dasar"


@pytest.mark.parametrize("username", ["partner", "viewer", "other_district", "other_cadre"])
def test_others_cannot_save_a_profile(setting: Setting, client_for: Any, username: str) -> None:
    url = f"/kampung/{setting.kampung.pk}/profile/?month=2025-06"
    assert client_for(username).post(url, profile_post()).status_code == 404
    assert not ProfileVersion.objects.exists()


def test_a_refused_profile_is_shown_again_with_its_error(setting: Setting, client_for: Any) -> None:
    url = f"/kampung/{setting.kampung.pk}/profile/?month=2025-06"
    data = profile_post(pokja_exists="", pokja_trained="on")
    response = client_for("district").post(url, data)
    assert response.status_code == 200
    assert "SK, pelatihan dan anggota Pokja hanya diisi bila Pokja sudah ada." in (
        response.content.decode()
    )
    assert not ProfileVersion.objects.exists()


def test_profile_versions_are_listed_and_viewable(classified: Setting, client_for: Any) -> None:
    services.profile_save(kampung=classified.kampung, month=JUNE, data=FULL_PROFILE, actor=None)
    first = ProfileVersion.objects.get(version=1)
    client = client_for("viewer")
    html = client.get(detail(classified.kampung), {"month": "2025-06"}).content.decode()
    assert html.count('<span class="badge off">diganti</span>') == 1
    page = client.get(f"/kampung/{classified.kampung.pk}/profile/{first.pk}/")
    assert page.status_code == 200
    assert "Profil Juni 2025, versi 1" in page.content.decode()
    other = client_for("other_district")
    assert other.get(f"/kampung/{classified.kampung.pk}/profile/{first.pk}/").status_code == 404


# -- List, exports, map -------------------------------------------------------------------------


@pytest.mark.parametrize("username", [*NAMED_USERS, *AGGREGATE_USERS])
def test_list_by_role(classified: Setting, client_for: Any, username: str) -> None:
    area = VILLAGE if username in ("cadre", "pkb") else KAB
    page = client_for(username).get(LIST, {"area": area, "month": "2025-06"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Kampung KB Mahakam Sejahtera" in html
    assert '<article data-class="dasar">' in html


def test_list_out_of_area(classified: Setting, client_for: Any) -> None:
    assert client_for("other_district").get(LIST, {"area": KAB}).status_code == 404
    html = client_for("other_district").get(LIST).content.decode()
    assert "Mahakam Sejahtera" not in html


def test_list_filters_by_class(classified: Setting, client_for: Any) -> None:
    client = client_for("district")
    assert "Mahakam" in client.get(LIST, {"area": KAB, "class": "dasar"}).content.decode()
    assert "Mahakam" not in client.get(LIST, {"area": KAB, "class": "mandiri"}).content.decode()
    assert client.get(LIST, {"area": KAB, "class": "hebat"}).status_code == 400


def test_list_query_count_is_pinned(
    classified: Setting, client_for: Any, django_assert_num_queries: Any
) -> None:
    """Session, user, scope, area, the Kampung KB with their class, breadcrumb, sub-areas."""
    client = client_for("district")
    with django_assert_num_queries(7):
        assert client.get(LIST, {"area": KAB, "month": "2025-06"}).status_code == 200


def test_csv_export_for_officers_has_names_and_is_audited(
    classified: Setting, client_for: Any, world: World
) -> None:
    response = client_for("district").get(LIST, {"area": KAB, "month": "2025-06", "format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [
        [
            "Kode desa",
            "Desa/Kelurahan",
            "Kecamatan",
            "Kampung KB",
            "Tanggal pencanangan",
            "Kelas",
            "Bulan kelas",
            "Kriteria pemilihan yang dipenuhi",
            "Penanda model",
            "Penanggung jawab",
            "Telepon penanggung jawab",
        ],
        [
            VILLAGE,
            "Kota Bangun Ulu",
            "Kota Bangun",
            "Kampung KB Mahakam Sejahtera",
            "15-01-2024",
            "Dasar",
            "2025-06",
            "low_fp, river_basin",
            "pilot",
            "Pak Darmawan",
            "081234567890",
        ],
    ]
    event = AuditEvent.objects.get(action="export.kampung")
    assert event.after == {"format": "csv", "area": KAB, "rows": 1}


def test_excel_export_for_viewers_has_no_names(classified: Setting, client_for: Any) -> None:
    response = client_for("viewer").get(LIST, {"area": KAB, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert len(rows) == 2
    assert rows[0][-1] == "Penanda model"
    assert "Pak Darmawan" not in rows[1]
    assert not AuditEvent.objects.filter(action="export.kampung").exists()


def test_map_points_by_class(classified: Setting, client_for: Any) -> None:
    Area.objects.filter(code=VILLAGE).update(latitude=Decimal("-0.27"), longitude=Decimal("116.58"))
    response = client_for("partner").get(MAP, {"area": KAB, "month": "2025-06"})
    assert response.status_code == 200
    data = response.context["map"]
    assert data["points"] == [
        {
            "name": "Kampung KB Mahakam Sejahtera",
            "village": "Kota Bangun Ulu",
            "lat": -0.27,
            "lng": 116.58,
            "class": "Dasar",
            "colour": "#fde725",
            "url": detail(classified.kampung),
        }
    ]
    assert client_for("partner").get(MAP, {"area": OTHER_KAB}).status_code == 404


# -- Register and edit --------------------------------------------------------------------------


def register_post() -> dict[str, Any]:
    return {
        "name": "Kampung KB Ulu Bersatu",
        "declared_on": "2024-03-01",
        "person_in_charge": "Ibu Ratna",
        "person_in_charge_phone": "0812",
        "criteria_main": ["poor_families", "low_fp"],
        "criteria_area": ["river_basin"],
        "model_flags": ["model"],
        "latitude": "",
        "longitude": "",
    }


def test_register_in_two_steps(world: World, client_for: Any) -> None:
    client = client_for("pkb")
    step = client.get("/kampung/new/").content.decode()
    assert "Kota Bangun Ulu (Kota Bangun)" in step
    assert "Kota Bangun Ilir (Kota Bangun)" in step
    assert "Tenggarong" not in step  # villages the PKB does not serve
    response = client.post(f"/kampung/new/?village={VILLAGE}", register_post())
    kampung = KampungKb.objects.get()
    assert response["Location"] == f"/kampung/{kampung.pk}/"
    assert kampung.criteria == ["poor_families", "low_fp", "river_basin"]
    assert kampung.model_flags == ["model"]


@pytest.mark.parametrize("username", ["partner", "viewer", "other_cadre", "cadre_rt"])
def test_register_refused(world: World, client_for: Any, username: str) -> None:
    response = client_for(username).post(f"/kampung/new/?village={VILLAGE}", register_post())
    assert response.status_code == 404
    assert not KampungKb.objects.exists()


def test_register_a_second_one_shows_the_error(kampung: KampungKb, client_for: Any) -> None:
    response = client_for("district").post(f"/kampung/new/?village={VILLAGE}", register_post())
    assert response.status_code == 200
    assert "sudah memiliki Kampung KB aktif" in response.content.decode()
    assert KampungKb.objects.count() == 1


def test_edit_registry(kampung: KampungKb, client_for: Any) -> None:
    data = {**register_post(), "is_active": "on"}
    response = client_for("cadre").post(f"/kampung/{kampung.pk}/edit/", data)
    assert response.status_code == 302
    kampung.refresh_from_db()
    assert (kampung.name, kampung.person_in_charge) == ("Kampung KB Ulu Bersatu", "Ibu Ratna")
    assert client_for("viewer").post(f"/kampung/{kampung.pk}/edit/", data).status_code == 404


def test_navigation_has_kampung_kb(world: World, client_for: Any) -> None:
    html = client_for("viewer").get(LIST).content.decode()
    assert '<a href="/kampung/" aria-current="page">Kampung KB</a>' in html
