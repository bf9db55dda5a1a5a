"""The lists of names as files: an activity's attendees and a poktan's members. Exact contents read
back, every role (those without names in the area get 404), an audit event per export, no NIK."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from kampungkb.activities import services
from kampungkb.activities.exports import age_group
from kampungkb.activities.models import Activity, AgeGroup, Poktan
from kampungkb.activities.tests.conftest import person
from kampungkb.core.models import AuditEvent
from kampungkb.partners.models import Partner
from kampungkb.testing.world import RT, USERS, VILLAGE, World

pytestmark = pytest.mark.django_db

ALL_USERS = tuple(USERS)
# Who sees the named attendees of the counselling in Kota Bangun Ulu (a village).
NAMED = ("admin", "district", "pkb", "cadre")
# The poktan meets in RT 001: its cadre sees its members too.
MEMBER_READERS = (*NAMED, "cadre_rt")

ATTENDEE_HEADER = ("Nama", "Jenis kelamin", "Umur", "Kelompok umur", "Wilayah", "Jumlah")
MEMBER_HEADER = ("Nama", "Jenis kelamin", "Umur", "Tanggal bergabung", "Tanggal keluar", "Wilayah")
RT_LABEL = "Kota Bangun Ulu \u203a RW 001 \u203a RT 001"
VILLAGE_LABEL = "Kota Bangun Ulu"


def midnight(year: int, month: int, day: int) -> dt.datetime:
    """A date as openpyxl reads it back (a naive datetime at midnight)."""
    return dt.datetime.combine(dt.date(year, month, day), dt.time())


def sheet_rows(response: Any) -> list[tuple[Any, ...]]:
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def csv_lines(response: Any) -> list[str]:
    return response.content.decode("utf-8-sig").splitlines()


@pytest.fixture
def attended(world: World, activity: Activity) -> Activity:
    services.attendance_set(
        activity=activity, add=[person("Sutrisno").pk, person("Siti Aminah").pk], actor=None
    )
    services.attendance_counts_set(
        activity=activity, counts={("F", "25-49"): 6, ("M", "0-14"): 2, ("M", "50+"): 0}, actor=None
    )
    return activity


@pytest.fixture
def with_members(world: World, poktan: Poktan) -> Poktan:
    services.poktan_member_add(
        poktan=poktan, person=person("Siti Aminah"), joined_on=dt.date(2024, 1, 1), actor=None
    )
    member = services.poktan_member_add(
        poktan=poktan, person=person("Sutrisno"), joined_on=dt.date(2024, 2, 1), actor=None
    )
    services.poktan_member_end(member=member, left_on=dt.date(2024, 6, 30), actor=None)
    return poktan


def test_age_groups() -> None:
    assert [age_group(a) for a in (0, 14, 15, 24, 25, 49, 50, 90)] == [
        AgeGroup.CHILD,
        AgeGroup.CHILD,
        AgeGroup.YOUTH,
        AgeGroup.YOUTH,
        AgeGroup.ADULT,
        AgeGroup.ADULT,
        AgeGroup.OLDER,
        AgeGroup.OLDER,
    ]


# -- Attendees ------------------------------------------------------------------------------------


def test_attendee_excel_and_csv_contents(client_for: Any, attended: Activity) -> None:
    client = client_for("cadre")
    url = reverse("activities:attendee_export", args=[attended.pk])
    response = client.get(url, {"format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="kampungkb-daftar-hadir-{attended.pk}-2025-03-10.xlsx"'
    )
    book = load_workbook(io.BytesIO(response.content))
    assert book.active.title == "Daftar hadir"
    assert sheet_rows(response) == [
        ATTENDEE_HEADER,
        ("Siti Aminah", "Perempuan", 32, "25-49 tahun", RT_LABEL, 1),
        ("Sutrisno", "Laki-laki", 36, "25-49 tahun", RT_LABEL, 1),
        ("Dihitung tanpa nama", "Laki-laki", None, "0-14 tahun", VILLAGE_LABEL, 2),
        ("Dihitung tanpa nama", "Perempuan", None, "25-49 tahun", VILLAGE_LABEL, 6),
    ]
    csv = client.get(url, {"format": "csv"})
    assert csv["Content-Type"] == "text/csv; charset=utf-8"
    assert csv_lines(csv) == [
        "Nama,Jenis kelamin,Umur,Kelompok umur,Wilayah,Jumlah",
        f"Siti Aminah,Perempuan,32,25-49 tahun,{RT_LABEL},1",
        f"Sutrisno,Laki-laki,36,25-49 tahun,{RT_LABEL},1",
        f"Dihitung tanpa nama,Laki-laki,,0-14 tahun,{VILLAGE_LABEL},2",
        f"Dihitung tanpa nama,Perempuan,,25-49 tahun,{VILLAGE_LABEL},6",
    ]
    # No NIK anywhere in the file.
    nik = person("Siti Aminah").nik
    assert nik and nik not in csv.content.decode("utf-8-sig")


def test_attendee_export_headers_stay_indonesian_in_english(
    client_for: Any, attended: Activity
) -> None:
    client = client_for("district")
    client.post(reverse("accounts:set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("activities:detail", args=[attended.pk]))
    assert page["Content-Language"] == "en"
    response = client.get(
        reverse("activities:attendee_export", args=[attended.pk]), {"format": "csv"}
    )
    assert csv_lines(response)[0] == "Nama,Jenis kelamin,Umur,Kelompok umur,Wilayah,Jumlah"


def test_attendee_export_is_audited(client_for: Any, world: World, attended: Activity) -> None:
    client_for("pkb").get(
        reverse("activities:attendee_export", args=[attended.pk]), {"format": "xlsx"}
    )
    event = AuditEvent.objects.get(action="export.activity_attendees")
    assert event.actor == world.user("pkb")
    assert event.area_code == VILLAGE
    assert event.after == {"format": "xlsx", "area": VILLAGE, "rows": 4, "activity": attended.pk}


@pytest.mark.parametrize("username", ALL_USERS)
def test_attendee_export_by_role(client_for: Any, attended: Activity, username: str) -> None:
    response = client_for(username).get(
        reverse("activities:attendee_export", args=[attended.pk]), {"format": "csv"}
    )
    if username in NAMED:
        assert response.status_code == 200
        assert len(csv_lines(response)) == 5
        assert AuditEvent.objects.filter(action="export.activity_attendees").count() == 1
    else:
        # Aggregate roles, the RT cadre (names of the village) and other kabupaten: not found.
        assert response.status_code == 404
        assert not AuditEvent.objects.filter(action="export.activity_attendees").exists()


def test_attendee_export_refused_for_the_partner_user(
    client_for: Any, attended: Activity, partner: Partner, partner_user: Any
) -> None:
    services.activity_partner_set(activity=attended, partner=partner, actor=None)
    url = reverse("activities:attendee_export", args=[attended.pk])
    assert client_for("partner").get(url, {"format": "xlsx"}).status_code == 404
    assert not AuditEvent.objects.filter(action="export.activity_attendees").exists()


def test_attendee_export_needs_a_known_format(client_for: Any, attended: Activity) -> None:
    url = reverse("activities:attendee_export", args=[attended.pk])
    client = client_for("cadre")
    assert client.get(url).status_code == 404
    assert client.get(url, {"format": "pdf"}).status_code == 404
    assert client.post(url, {"format": "csv"}).status_code == 405
    assert not AuditEvent.objects.filter(action="export.activity_attendees").exists()


def test_attendee_export_without_anybody(client_for: Any, activity: Activity) -> None:
    response = client_for("cadre").get(
        reverse("activities:attendee_export", args=[activity.pk]), {"format": "xlsx"}
    )
    assert sheet_rows(response) == [ATTENDEE_HEADER]
    assert AuditEvent.objects.get(action="export.activity_attendees").after["rows"] == 0


@pytest.mark.parametrize("username", ALL_USERS)
def test_detail_page_links_the_download(client_for: Any, attended: Activity, username: str) -> None:
    response = client_for(username).get(reverse("activities:detail", args=[attended.pk]))
    if response.status_code == 404:
        assert username not in NAMED
        return
    url = reverse("activities:attendee_export", args=[attended.pk])
    page = response.content.decode()
    assert (f'href="{url}?format=xlsx"' in page) is (username in NAMED)
    assert (f'href="{url}?format=csv"' in page) is (username in NAMED)


# -- Poktan members -------------------------------------------------------------------------------


def test_member_excel_and_csv_contents(client_for: Any, with_members: Poktan) -> None:
    today = timezone.localdate()
    siti, sutrisno = person("Siti Aminah"), person("Sutrisno")
    client = client_for("cadre")
    url = reverse("activities:member_export", args=[with_members.pk])
    response = client.get(url, {"format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="kampungkb-anggota-poktan-{with_members.pk}-{today.isoformat()}'
        '.xlsx"'
    )
    assert load_workbook(io.BytesIO(response.content)).active.title == "Anggota poktan"
    # Current members first, then former ones; dates come back as dates.
    assert sheet_rows(response) == [
        MEMBER_HEADER,
        ("Siti Aminah", "Perempuan", siti.age_on(today), midnight(2024, 1, 1), None, RT_LABEL),
        (
            "Sutrisno",
            "Laki-laki",
            sutrisno.age_on(today),
            midnight(2024, 2, 1),
            midnight(2024, 6, 30),
            RT_LABEL,
        ),
    ]
    csv = client.get(url, {"format": "csv"})
    assert csv_lines(csv) == [
        "Nama,Jenis kelamin,Umur,Tanggal bergabung,Tanggal keluar,Wilayah",
        f"Siti Aminah,Perempuan,{siti.age_on(today)},01-01-2024,,{RT_LABEL}",
        f"Sutrisno,Laki-laki,{sutrisno.age_on(today)},01-02-2024,30-06-2024,{RT_LABEL}",
    ]
    assert str(siti.nik) not in csv.content.decode("utf-8-sig")


def test_member_export_is_audited(client_for: Any, world: World, with_members: Poktan) -> None:
    client_for("cadre_rt").get(
        reverse("activities:member_export", args=[with_members.pk]), {"format": "csv"}
    )
    event = AuditEvent.objects.get(action="export.poktan_members")
    assert event.actor == world.user("cadre_rt")
    assert event.area_code == RT
    assert event.after == {"format": "csv", "area": RT, "rows": 2, "poktan": with_members.pk}


@pytest.mark.parametrize("username", ALL_USERS)
def test_member_export_by_role(client_for: Any, with_members: Poktan, username: str) -> None:
    url = reverse("activities:member_export", args=[with_members.pk])
    response = client_for(username).get(url, {"format": "xlsx"})
    exported = AuditEvent.objects.filter(action="export.poktan_members")
    if username in MEMBER_READERS:
        assert response.status_code == 200
        assert [r[0] for r in sheet_rows(response)] == ["Nama", "Siti Aminah", "Sutrisno"]
        assert exported.count() == 1
    else:
        assert response.status_code == 404
        assert not exported.exists()
    detail = client_for(username).get(reverse("activities:poktan_detail", args=[with_members.pk]))
    if detail.status_code == 200:
        assert (f'href="{url}?format=xlsx"' in detail.content.decode()) is (
            username in MEMBER_READERS
        )


def test_member_export_needs_a_known_format(client_for: Any, with_members: Poktan) -> None:
    url = reverse("activities:member_export", args=[with_members.pk])
    assert client_for("cadre").get(url, {"format": "ods"}).status_code == 404
    assert not AuditEvent.objects.filter(action="export.poktan_members").exists()
