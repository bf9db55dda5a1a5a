"""The activities pages, tried by every role of the shared world, including users of another
kabupaten (not found) and aggregate roles (no names)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from kampungkb.activities import services
from kampungkb.activities.models import Activity, Attendance, AttendanceCount, Poktan, PoktanMember
from kampungkb.activities.tests.conftest import person, png
from kampungkb.core.models import AuditEvent
from kampungkb.partners.models import Partner
from kampungkb.testing.world import USERS, VILLAGE, World

ALL_USERS = tuple(USERS)
# Who sees the counselling in Kota Bangun Ulu, who sees it with names, who may change it.
READERS = ("admin", "district", "pkb", "cadre", "viewer")
NAMED = ("admin", "district", "pkb", "cadre")
EDITORS = NAMED


def html(response: Any) -> str:
    return response.content.decode()


@pytest.fixture
def attended(world: World, activity: Activity, partner: Partner) -> Activity:
    services.attendance_set(
        activity=activity, add=[person("Sutrisno").pk, person("Siti Aminah").pk], actor=None
    )
    services.attendance_counts_set(activity=activity, counts={("F", "25-49"): 6}, actor=None)
    services.contribution_add(
        activity=activity, kind="money", contributor="Pak Kades", value=1_250_000, actor=None
    )
    services.activity_partner_set(activity=activity, partner=partner, role="Narasumber", actor=None)
    services.photo_add(activity=activity, image=SimpleUploadedFile("a.png", png()), actor=None)
    return activity


@pytest.mark.parametrize("username", ALL_USERS)
def test_activity_list_by_role(client_for: Any, attended: Activity, username: str) -> None:
    response = client_for(username).get(reverse("activities:list"))
    assert response.status_code == 200
    shown = f'id="activity-{attended.pk}"' in html(response)
    assert shown is (username in READERS)


def test_activity_list_totals_row_and_query_count(
    client_for: Any, attended: Activity, activity_2: Activity, django_assert_num_queries: Any
) -> None:
    client = client_for("district")
    client.get(reverse("activities:list"))  # warm the session
    with django_assert_num_queries(12):
        response = client.get(reverse("activities:list"))
    page = html(response)
    assert "2 kegiatan" in page
    assert "jangkauan: 8 orang (2 bernama, 6 dihitung)" in page
    totals = page.split('id="totals"')[1].split("</tr>")[0]
    assert [cell.split(">")[1] for cell in totals.split("<td")[1:]] == ["1</td", "7</td", "8</td"]


def test_activity_list_filters_and_bad_month(
    client_for: Any, attended: Activity, activity_2: Activity
) -> None:
    client = client_for("pkb")
    rows = (f'id="activity-{attended.pk}"', f'id="activity-{activity_2.pk}"')
    page = html(client.get(reverse("activities:list"), {"month": "2025-04"}))
    assert [row in page for row in rows] == [False, True]
    page = html(client.get(reverse("activities:list"), {"kind": "counselling", "area": VILLAGE}))
    assert [row in page for row in rows] == [True, False]
    assert client.get(reverse("activities:list"), {"month": "April"}).status_code == 400
    assert client.get(reverse("activities:list"), {"area": "52.03"}).status_code == 404


def test_activity_list_exports(client_for: Any, attended: Activity) -> None:
    client = client_for("cadre")
    response = client.get(reverse("activities:list"), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Tanggal", "Judul", "Jenis")
    assert rows[1][1] == "Penyuluhan KB pria"
    assert rows[1][7] == "Muslimat NW"
    assert rows[1][10:] == (1, 1, 0, 6, 8)
    csv = client.get(reverse("activities:list"), {"format": "csv"}).content.decode("utf-8-sig")
    assert csv.splitlines()[1].startswith("10-03-2025,Penyuluhan KB pria,")


@pytest.mark.parametrize("username", ALL_USERS)
def test_activity_detail_by_role(client_for: Any, attended: Activity, username: str) -> None:
    response = client_for(username).get(reverse("activities:detail", args=[attended.pk]))
    if username not in READERS:
        assert response.status_code == 404
        return
    page = html(response)
    assert "Muslimat NW" in page
    assert "Rp 1.250.000" in page
    names = username in NAMED
    assert ("Siti Aminah" in page) is names
    assert ("Pak Kades" in page) is names
    assert ("activities/photos/" in page) is names
    assert ("Simpan kehadiran" in page) is (username in EDITORS)


def test_activity_detail_for_the_partner_user(
    client_for: Any, attended: Activity, partner_user: Any
) -> None:
    page = html(client_for("partner").get(reverse("activities:detail", args=[attended.pk])))
    assert "Muslimat NW" in page
    assert "Siti Aminah" not in page and "Pak Kades" not in page


def test_photo_is_served_to_named_users_only(client_for: Any, attended: Activity) -> None:
    photo = attended.photos.get()
    url = reverse("activities:photo", args=[photo.pk])
    response = client_for("cadre").get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == png()
    for username in ("viewer", "partner", "other_district", "cadre_rt"):
        assert client_for(username).get(url).status_code == 404


def test_cadre_records_an_activity(client_for: Any, world: World, partner: Partner) -> None:
    response = client_for("cadre").post(
        reverse("activities:new"),
        {
            "kind": "counselling",
            "title": "Penyuluhan remaja",
            "held_on": "2025-05-02",
            "area": VILLAGE,
            "family_function": "education",
            "target_groups": ["teenagers", "general_public"],
            "organiser": "PPKBD",
            "partners": [partner.pk],
            "funding_amount": "0",
        },
    )
    activity = Activity.objects.get(title="Penyuluhan remaja")
    assert response.status_code == 302
    assert response["Location"] == reverse("activities:detail", args=[activity.pk])
    assert activity.target_groups == ["teenagers", "general_public"]
    assert list(activity.partners.all()) == [partner]


def test_activity_form_shows_a_refusal(client_for: Any, world: World) -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=2)
    response = client_for("cadre").post(
        reverse("activities:new"),
        {
            "kind": "counselling",
            "title": "Besok",
            "held_on": tomorrow.isoformat(),
            "area": VILLAGE,
            "family_function": "education",
            "organiser": "PPKBD",
        },
    )
    assert response.status_code == 200
    assert "Tanggal kegiatan tidak boleh di masa depan" in html(response)
    assert not Activity.objects.filter(title="Besok").exists()


@pytest.mark.parametrize("username", ALL_USERS)
def test_edit_pages_by_role(client_for: Any, attended: Activity, username: str) -> None:
    client = client_for(username)
    urls = [
        reverse("activities:edit", args=[attended.pk]),
        reverse("activities:attendance", args=[attended.pk]),
        reverse("activities:counts", args=[attended.pk]),
        reverse("activities:contribution_new", args=[attended.pk]),
        reverse("activities:partner_set", args=[attended.pk]),
        reverse("activities:photo_new", args=[attended.pk]),
        reverse("activities:delete", args=[attended.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == (200 if username in EDITORS else 404), url


def test_ticking_attendance(client_for: Any, attended: Activity) -> None:
    siti, rizky, rahma = person("Siti Aminah"), person("Rizky Pratama"), person("Rahmawati")
    sutrisno = person("Sutrisno")
    response = client_for("cadre").post(
        reverse("activities:attendance", args=[attended.pk]),
        {
            "shown": [siti.pk, sutrisno.pk, rizky.pk, rahma.pk],
            "present": [siti.pk, rizky.pk],
        },
    )
    assert response.status_code == 302
    assert set(Attendance.objects.values_list("person__full_name", flat=True)) == {
        "Siti Aminah",
        "Rizky Pratama",
    }


def test_ticking_by_another_kabupaten_is_not_found(client_for: Any, attended: Activity) -> None:
    before = list(Attendance.objects.values_list("pk", flat=True))
    response = client_for("other_district").post(
        reverse("activities:attendance", args=[attended.pk]), {"shown": [], "present": []}
    )
    assert response.status_code == 404
    assert list(Attendance.objects.values_list("pk", flat=True)) == before


def test_tick_list_search_fragment(client_for: Any, attended: Activity) -> None:
    response = client_for("cadre").get(
        reverse("activities:attendance", args=[attended.pk]), {"q": "rizky"}, HTTP_HX_REQUEST="true"
    )
    page = html(response)
    assert page.lstrip().startswith('<div id="tick-list">')
    assert "Rizky Pratama" in page and "Sutrisno" not in page
    assert "640208******0003" in page


def test_counts_form(client_for: Any, attended: Activity) -> None:
    client = client_for("pkb")
    response = client.post(
        reverse("activities:counts", args=[attended.pk]),
        {"count_M_15_24": "4", "count_F_50plus": "2"},
    )
    assert response.status_code == 302
    assert sorted(AttendanceCount.objects.values_list("sex", "age_group", "count")) == [
        ("F", "50+", 2),
        ("M", "15-24", 4),
    ]
    response = client.post(
        reverse("activities:counts", args=[attended.pk]), {"count_M_15_24": "-3"}
    )
    assert response.status_code == 200
    assert AttendanceCount.objects.count() == 2


def test_delete_by_a_cadre_who_did_not_record_is_refused(
    client_for: Any, world: World, activity_2: Activity
) -> None:
    activity = services.activity_create(
        data=services.ActivityData(
            kind="counselling",
            title="PKB",
            held_on=dt.date(2025, 1, 2),
            family_function="education",
            organiser="PKB",
            area=world.area(VILLAGE),
        ),
        actor=world.user("pkb"),
    )
    response = client_for("cadre").post(reverse("activities:delete", args=[activity.pk]))
    assert response.status_code == 200
    assert "hanya dapat dihapus oleh petugas" in html(response)
    assert Activity.objects.filter(pk=activity.pk).exists()
    assert (
        client_for("pkb").post(reverse("activities:delete", args=[activity.pk])).status_code == 302
    )
    assert not Activity.objects.filter(pk=activity.pk).exists()


def test_photo_upload_refuses_a_text_file(client_for: Any, attended: Activity) -> None:
    response = client_for("cadre").post(
        reverse("activities:photo_new", args=[attended.pk]),
        {"image": SimpleUploadedFile("x.jpg", b"hello"), "caption": ""},
    )
    assert response.status_code == 200
    assert "bukan foto JPEG, PNG atau WebP" in html(response)
    assert attended.photos.count() == 1


def test_partner_form_records_contributions(
    client_for: Any, activity: Activity, partner: Partner
) -> None:
    response = client_for("cadre").post(
        reverse("activities:partner_set", args=[activity.pk]),
        {"partner": partner.pk, "role": "Pelatih", "kind_1": "trainers_time", "value_1": "750000"},
    )
    assert response.status_code == 302
    link = activity.partner_links.get()
    assert list(link.contributions.values_list("kind", "value")) == [("trainers_time", 750_000)]


# -- Poktan ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ALL_USERS)
def test_poktan_pages_by_role(client_for: Any, poktan: Poktan, username: str) -> None:
    services.poktan_member_add(
        poktan=poktan, person=person("Siti Aminah"), joined_on=dt.date(2024, 1, 1), actor=None
    )
    client = client_for(username)
    listing = html(client.get(reverse("activities:poktan_list")))
    in_area = username in (*READERS, "cadre_rt", "partner")
    assert ("BKB Melati" in listing) is in_area
    detail = client.get(reverse("activities:poktan_detail", args=[poktan.pk]))
    assert detail.status_code == (200 if in_area else 404)
    if in_area:
        assert ("Siti Aminah" in html(detail)) is (username in (*NAMED, "cadre_rt"))
        assert "1 anggota aktif" in html(detail)
    # The poktan meets in RT 001: the RT cadre may manage it too.
    member_page = client.get(reverse("activities:member_new", args=[poktan.pk]))
    assert member_page.status_code == (200 if username in (*EDITORS, "cadre_rt") else 404)


def test_poktan_list_query_count_and_export(
    client_for: Any, poktan: Poktan, django_assert_num_queries: Any
) -> None:
    client = client_for("pkb")
    client.get(reverse("activities:poktan_list"))
    with django_assert_num_queries(6):
        client.get(reverse("activities:poktan_list"))
    response = client.get(reverse("activities:poktan_list"), {"format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0] == (
        "Nama",
        "Jenis",
        "Wilayah",
        "Tanggal dibentuk",
        "Aktif",
        "Anggota aktif",
        "Pertemuan terakhir",
    )
    assert rows[1][:2] == ("BKB Melati", "BKB (keluarga dengan balita)")
    assert rows[1][4:6] == ("ya", 0)


def test_poktan_member_add_and_end_pages(client_for: Any, poktan: Poktan) -> None:
    client = client_for("cadre")
    rahma = person("Rahmawati")
    found = html(client.get(reverse("activities:member_new", args=[poktan.pk]), {"q": "rahma"}))
    assert "Rahmawati" in found
    response = client.post(
        reverse("activities:member_new", args=[poktan.pk]),
        {"person": rahma.pk, "joined_on": "2025-01-10"},
    )
    assert response.status_code == 302
    member = PoktanMember.objects.get()
    response = client.post(
        reverse("activities:member_end", args=[member.pk]), {"left_on": "2025-02-01"}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.left_on == dt.date(2025, 2, 1)
    # A person of another kabupaten cannot be added (not found).
    ahmad = person("Lalu Ahmad")
    response = client.post(
        reverse("activities:member_new", args=[poktan.pk]),
        {"person": ahmad.pk, "joined_on": "2025-01-10"},
    )
    assert response.status_code == 404
    assert PoktanMember.objects.count() == 1


def test_record_this_months_meeting_prefills_the_form(client_for: Any, poktan: Poktan) -> None:
    client = client_for("cadre")
    detail = html(client.get(reverse("activities:poktan_detail", args=[poktan.pk])))
    assert "Catat pertemuan bulan ini" in detail
    form = html(client.get(reverse("activities:new"), {"poktan": poktan.pk}))
    assert 'value="poktan_session" selected' in form
    assert "BKB Melati" in form


def test_poktan_audit_on_create_page(client_for: Any, world: World) -> None:
    response = client_for("cadre").post(
        reverse("activities:poktan_new"), {"kind": "pikr", "name": "PIK-R Harapan", "area": VILLAGE}
    )
    poktan = Poktan.objects.get(name="PIK-R Harapan")
    assert response["Location"] == reverse("activities:poktan_detail", args=[poktan.pk])
    assert AuditEvent.objects.filter(action="poktan.create", object_id=str(poktan.pk)).count() == 1
