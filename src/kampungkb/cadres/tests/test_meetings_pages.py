"""The monthly meeting pages, the field-control report and their API, tried by every role of the
shared world (users of another kabupaten: not found; aggregate roles: the field-control report
only), with pinned query counts, exact exports and bilingual API errors."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from kampungkb.activities.models import Activity, Attendance
from kampungkb.cadres.models import ActionItem, Cadre, Meeting
from kampungkb.cadres.tests.test_meetings import (  # noqa: F401 (fixtures)
    FEB,
    JAN,
    cadres_fixture,
    expected_february,
    field_month_fixture,
    figures_fixture,
    january_fixture,
    open_meeting,
)
from kampungkb.regions.models import Area, Level
from kampungkb.testing.contraception_factories import clock_fixture  # noqa: F401 (fixture)
from kampungkb.testing.factories import PregnancyFactory
from kampungkb.testing.world import KAB, KEC, OTHER_KAB, USERS, VILLAGE, VILLAGE_2, World

ALL_USERS = tuple(USERS)
SEES_MEETING = ("admin", "district", "pkb", "cadre")
AGGREGATE = ("partner", "viewer")
ApiFor = Callable[[str], Client]


def html(response: Any) -> str:
    return response.content.decode()


def state() -> tuple[Any, ...]:
    return (
        list(Meeting.objects.values_list("pk", "minutes", "problems", "decisions", "agenda")),
        list(ActionItem.objects.values_list("pk", "description", "status", "owner_id", "due_on")),
        Activity.objects.count(),
        Attendance.objects.count(),
    )


# -- The list of an area and month -------------------------------------------------------------------


@pytest.mark.parametrize("username", ALL_USERS)
def test_meeting_list_by_role(client_for: Any, january: Meeting, username: str) -> None:
    client = client_for(username)
    response = client.get(reverse("cadres:meetings"), {"area": VILLAGE, "month": "2026-01"})
    assert response.status_code == (200 if username in SEES_MEETING else 404)
    if response.status_code == 200:
        assert f'href="/cadres/meetings/{january.pk}/"' in html(response)
    own = client.get(reverse("cadres:meetings"), {"month": "2026-01"})
    assert own.status_code == (404 if username in AGGREGATE else 200)


def kec_villages() -> int:
    return Area.objects.filter(parent_id=KEC, level=Level.VILLAGE, is_active=True).count()


def test_meeting_list_page_and_query_count(
    client_for: Any, world: World, january: Meeting, django_assert_num_queries: Any
) -> None:
    client = client_for("district")
    url = reverse("cadres:meetings")
    params = {"area": KEC, "month": "2026-01"}
    client.get(url, params)  # warm the session
    with django_assert_num_queries(8):
        response = client.get(url, params)
    page = html(response)
    total = kec_villages()
    assert f"1 dari {total} desa mengadakan rapat kader pada 01-2026." in page
    row = page.split(f'id="village-{VILLAGE}"')[1].split("</tr>")[0]
    assert "20-01-2026" in row
    assert '<td data-label="Hadir">0</td>' in row
    assert '<td data-label="Tugas terbuka">1</td>' in row
    missing = page.split(f'id="village-{VILLAGE_2}"')[1].split("</tr>")[0]
    assert "tidak diadakan" in missing
    assert f"/cadres/meetings/open/?village={VILLAGE_2}&amp;month=2026-01" in missing
    # One more meeting: still the same number of queries.
    open_meeting(world, JAN, dt.date(2026, 1, 21), village=VILLAGE_2)
    with django_assert_num_queries(8):
        response = client.get(url, params)
    assert f"2 dari {total} desa" in html(response)
    partial = client.get(url, params, headers={"HX-Request": "true"})
    assert html(partial).lstrip().startswith('<div id="meeting-rows"')


def test_meeting_list_month_never_runs_ahead(client_for: Any) -> None:
    response = client_for("pkb").get(reverse("cadres:meetings"), {"month": "2999-01"})
    this_month = timezone.localdate().replace(day=1)
    assert response.context["month"] == this_month
    assert response.context["next_month"] is None
    wrong = client_for("pkb").get(reverse("cadres:meetings"), {"month": "januari"})
    assert wrong.context["month"] == this_month


def test_meeting_list_exports(client_for: Any, january: Meeting) -> None:
    client = client_for("district")
    params = {"area": KEC, "month": "2026-01"}
    response = client.get(reverse("cadres:meetings"), {**params, "format": "csv"})
    assert response["Content-Disposition"] == (
        f'attachment; filename="kampungkb-rapat-kader-{KEC}-2026-01.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "Kode desa",
        "Desa/Kelurahan",
        "Kecamatan",
        "Bulan",
        "Rapat diadakan",
        "Tanggal",
        "Tempat",
        "Kader dan lainnya yang hadir",
        "Notulen ditulis",
        "Tugas terbuka",
    ]
    assert len(rows) == 1 + kec_villages()
    by_code = {r[0]: r for r in rows[1:]}
    assert by_code[VILLAGE] == [
        *(VILLAGE, "Kota Bangun Ulu", "Kota Bangun", "01-2026", "ya", "20-01-2026"),
        *("Balai desa", "0", "ya", "1"),
    ]
    assert by_code[VILLAGE_2] == [
        *(VILLAGE_2, "Kota Bangun Ilir", "Kota Bangun", "01-2026", "tidak", "", ""),
        *("", "tidak", ""),
    ]
    xlsx = client.get(reverse("cadres:meetings"), {**params, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    assert sheet.title == "Rapat kader"
    assert sheet.max_row == 1 + kec_villages()


# -- One meeting -----------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ALL_USERS)
def test_meeting_page_by_role(client_for: Any, january: Meeting, username: str) -> None:
    response = client_for(username).get(reverse("cadres:meeting", args=[january.pk]))
    assert response.status_code == (200 if username in SEES_MEETING else 404)
    if response.status_code == 200:
        page = html(response)
        assert "Rapat kader Kota Bangun Ulu, Januari 2026" in page
        assert "Kunjungi akseptor drop-out" in page
        assert ("Simpan notulen" in page) is True


def test_meeting_page_shows_the_agenda_and_query_count(
    client_for: Any,
    world: World,
    figures: None,
    january: Meeting,
    django_assert_num_queries: Any,
) -> None:
    february = open_meeting(world, FEB, dt.date(2026, 2, 24))
    client = client_for("cadre")
    url = reverse("cadres:meeting", args=[february.pk])
    client.get(url)
    with django_assert_num_queries(22):
        response = client.get(url)
    page = html(response)
    targets = page.split('id="agenda-targets"')[1].split("</li>")[0]
    assert '<td data-label="Target">40</td>' in targets
    assert '<td data-label="Capaian">30</td>' in targets
    assert "75,0%" in targets and "41,7%" in targets
    assert "Peserta KB baru (PB) bulan ini:</strong> 3" in page
    assert "Peserta drop-out bulan ini:</strong> 1" in page
    dropouts = reverse("contraception:dropouts")
    assert f"{dropouts}?area={VILLAGE}&amp;from=2026-02-01&amp;to=2026-02-28" in page
    assert "per 28-02-2026:</strong> 1" in page
    assert "Kehamilan baru tercatat bulan ini:</strong> 2" in page
    open_items = page.split('id="agenda-open-items"')[1].split("</li>\n")[0]
    assert "Kunjungi akseptor drop-out — Siti Aminah, batas waktu 15-02-2026" in open_items
    assert "15-02-2026" in open_items and "Terbuka" in open_items
    assert "Stok pil kosong di Posyandu." in page
    at_risk = page.split('id="agenda-at-risk"')[1].split("</li>\n")[0]
    assert "Keluarga berisiko stunting per 28-02-2026:</strong>" in at_risk
    assert "0 dari 6 keluarga sasaran" in at_risk
    assert "Rumah 6 keluarga sasaran belum didata" in at_risk
    assert "Bawa tugas bulan lalu yang masih terbuka ke rapat ini" in page
    # More cadres, tasks and families: the same number of queries.
    ActionItem.objects.create(meeting=february, description="X", owner_name="Y")
    PregnancyFactory.create(recorded_on=dt.date(2026, 2, 3), expected_on=dt.date(2026, 9, 1))
    with django_assert_num_queries(22):
        client.get(url)


def test_open_meeting_page(client_for: Any, world: World, cadres: dict[str, Cadre]) -> None:
    client = client_for("pkb")
    url = reverse("cadres:meeting_open")
    assert client.get(url, {"village": VILLAGE, "month": "2026-02"}).status_code == 200
    response = client.post(
        f"{url}?village={VILLAGE}&month=2026-02", {"held_on": "2026-02-24", "place": "Balai"}
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/cadres/meetings/{meeting.pk}/"
    assert (meeting.village_id, meeting.month, meeting.activity.place) == (VILLAGE, FEB, "Balai")
    # Opened again: the existing meeting is shown.
    again = client.get(url, {"village": VILLAGE, "month": "2026-02"})
    assert again["Location"] == f"/cadres/meetings/{meeting.pk}/"
    refused = client.post(f"{url}?village={VILLAGE_2}&month=2026-02", {"held_on": "2026-03-01"})
    assert refused.status_code == 200
    assert "Tanggal rapat harus di bulan 02-2026." in html(refused)
    assert Meeting.objects.count() == 1
    for username in ("other_cadre", "other_district", "partner", "viewer", "cadre_rt"):
        denied = client_for(username).post(
            f"{url}?village={VILLAGE_2}&month=2026-02", {"held_on": "2026-02-24"}
        )
        assert denied.status_code == 404
    assert Meeting.objects.count() == 1


@pytest.mark.parametrize("username", ALL_USERS)
def test_meeting_writes_by_role(
    client_for: Any, world: World, january: Meeting, username: str
) -> None:
    """Every write of the meeting page, tried by each role: officers and the village's cadre
    write; the others are not found and nothing changes."""
    february = open_meeting(world, FEB, dt.date(2026, 2, 24))
    client = client_for(username)
    siti = Cadre.objects.get(person__full_name="Siti Aminah")
    item = january.action_items.get(status="open")
    before = state()
    responses = [
        client.post(
            reverse("cadres:meeting_attendance", args=[february.pk]),
            {"present": [siti.person_id]},
        ),
        client.post(
            reverse("cadres:meeting_minutes", args=[february.pk]),
            {"minutes": "Rapat Februari", "problems": "Hujan", "decisions": "Jadwal ulang"},
        ),
        client.post(
            reverse("cadres:meeting_item_new", args=[february.pk]),
            {"description": "Sweeping PUS", "owner": siti.pk, "due_on": "2026-03-10"},
        ),
        client.post(reverse("cadres:meeting_carry", args=[february.pk])),
        client.post(
            reverse("cadres:meeting_item_close", args=[item.pk]),
            {"status": "done", "closed_on": "2026-02-25"},
        ),
    ]
    if username not in SEES_MEETING:
        assert [r.status_code for r in responses] == [404] * 5
        assert state() == before
        return
    assert [r.status_code for r in responses] == [302] * 5
    february.refresh_from_db()
    assert (february.minutes, february.problems, february.decisions) == (
        "Rapat Februari",
        "Hujan",
        "Jadwal ulang",
    )
    assert february.agenda["month"] == "2026-02"
    assert list(february.activity.attendances.values_list("person_id", flat=True)) == [
        siti.person_id
    ]
    assert list(february.action_items.values_list("description", "status")) == [
        ("Sweeping PUS", "open"),
        ("Kunjungi akseptor drop-out", "open"),
    ]
    item.refresh_from_db()
    # Carried before the close came: the old task is closed as carried, the close is refused.
    assert item.status == "carried"
    page = html(client.get(reverse("cadres:meeting", args=[february.pk])))
    assert "dibawa dari 01-2026" in page


def test_meeting_forms_show_problems_and_write_nothing(
    client_for: Any, world: World, cadres: dict[str, Cadre], other_ppkbd: Cadre
) -> None:
    february = open_meeting(world, FEB, dt.date(2026, 2, 24))
    client = client_for("pkb")
    before = state()
    minutes = client.post(
        reverse("cadres:meeting_minutes", args=[february.pk]), {"minutes": " ", "problems": "x"}
    )
    assert minutes.status_code == 422
    item = client.post(
        reverse("cadres:meeting_item_new", args=[february.pk]),
        {"description": "Tugas", "due_on": "2026-02-01"},
    )
    assert item.status_code == 422
    assert "Sebutkan penanggung jawab tugas" in html(item)
    foreign = client.post(
        reverse("cadres:meeting_item_new", args=[february.pk]),
        {"description": "Tugas", "owner": other_ppkbd.pk},
    )
    assert foreign.status_code == 422
    assert "Pilih pilihan yang valid" in html(foreign) or "valid" in html(foreign)
    carry = client.post(reverse("cadres:meeting_carry", args=[february.pk]), follow=True)
    assert "Tidak ada tugas terbuka dari rapat bulan lalu" in html(carry)
    ticks = client.post(
        reverse("cadres:meeting_attendance", args=[february.pk]),
        {"present": [other_ppkbd.person_id]},
        follow=True,
    )
    assert "Hanya kader aktif desa ini" in html(ticks)
    assert state() == before


def test_item_edit_and_close_pages(client_for: Any, world: World, cadres: dict[str, Cadre]) -> None:
    february = open_meeting(world, FEB, dt.date(2026, 2, 24))
    item = ActionItem.objects.create(meeting=february, description="Tugas", owner_name="Pak RT")
    client = client_for("cadre")
    url = reverse("cadres:meeting_item_edit", args=[item.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"description": "Tugas RT 2", "owner": cadres["sutrisno"].pk, "due_on": "2026-03-05"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.description, item.owner, item.owner_name, item.due_on) == (
        "Tugas RT 2",
        cadres["sutrisno"],
        "",
        dt.date(2026, 3, 5),
    )
    early = client.post(
        reverse("cadres:meeting_item_close", args=[item.pk]),
        {"status": "done", "closed_on": "2026-02-01"},
        follow=True,
    )
    assert "Tanggal penutupan tidak boleh sebelum tanggal rapat (24-02-2026)." in html(early)
    client.post(
        reverse("cadres:meeting_item_close", args=[item.pk]),
        {"status": "done", "closed_on": "2026-03-01"},
    )
    item.refresh_from_db()
    assert (item.status, item.closed_on) == ("done", dt.date(2026, 3, 1))
    assert client_for("other_cadre").get(url).status_code == 404


def test_cadre_page_lists_meetings_attended(
    client_for: Any, world: World, cadres: dict[str, Cadre]
) -> None:
    from kampungkb.cadres import meetings_services

    february = open_meeting(world, FEB, dt.date(2026, 2, 24))
    meetings_services.meeting_attendance_set(
        meeting=february, present=[cadres["siti"].person_id], actor=None
    )
    page = html(client_for("cadre").get(reverse("cadres:detail", args=[cadres["siti"].pk])))
    section = page.split('id="meetings"')[1].split("</section>")[0]
    assert f'href="/cadres/meetings/{february.pk}/"' in section
    assert "Kota Bangun Ulu, Februari 2026" in section
    other = html(client_for("cadre").get(reverse("cadres:detail", args=[cadres["sutrisno"].pk])))
    assert "Belum menghadiri rapat bulanan." in other


# -- The field-control report ------------------------------------------------------------------------


@pytest.mark.parametrize("username", ALL_USERS)
def test_field_control_by_role(client_for: Any, field_month: None, username: str) -> None:
    client = client_for(username)
    response = client.get(reverse("cadres:field_control"), {"area": KEC, "month": "2026-02"})
    sees_kec = username in ("admin", "district", "partner", "viewer")
    assert response.status_code == (200 if sees_kec else 404)
    if sees_kec:
        total = html(response).split('id="control-total"')[1].split("</tr>")[0]
        assert [c.split(">")[-1] for c in total.split("</td>")[:-1]] == [
            "2", "1", "2", "1", "1", "2", "1"
        ]  # fmt: skip
    own = client.get(reverse("cadres:field_control"))
    assert own.status_code == 200


def test_field_control_query_count_and_exports(
    client_for: Any, field_month: None, django_assert_num_queries: Any
) -> None:
    client = client_for("district")
    url = reverse("cadres:field_control")
    params = {"area": KEC, "month": "2026-02"}
    client.get(url, params)
    with django_assert_num_queries(11):
        client.get(url, params)
    response = client.get(url, {**params, "format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "Kode desa",
        "Desa/Kelurahan",
        "Kader",
        "Kader yang melapor",
        "Poktan",
        "Poktan aktif",
        "Rapat kader",
        "Penyuluhan",
        "Pertemuan poktan",
    ]
    by_code = {r[0]: r[2:] for r in rows[1:]}
    assert by_code[VILLAGE] == ["2", "1", "2", "1", "1", "1", "1"]
    assert by_code[VILLAGE_2] == ["0", "0", "0", "0", "0", "1", "0"]
    assert rows[-1] == [KEC, "Jumlah", "2", "1", "2", "1", "1", "2", "1"]
    xlsx = client.get(url, {**params, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    assert sheet.title == "Pengendalian lapangan 02-2026"
    assert client_for("district").get(url, {"area": OTHER_KAB}).status_code == 404


# -- The API ---------------------------------------------------------------------------------------


def send(client: Client, method: str, url: str, body: Any) -> Any:
    return getattr(client, method)(url, body, content_type="application/json")


@pytest.mark.parametrize("username", ALL_USERS)
def test_api_reads_by_role(api_as: ApiFor, january: Meeting, username: str) -> None:
    client = api_as(username)
    listing = client.get("/api/cadres/meetings", {"area": VILLAGE, "month": "2026-01"})
    read = client.get(f"/api/cadres/meetings/{january.pk}")
    if username in SEES_MEETING:
        assert listing.status_code == 200
        held = [i for i in listing.json()["items"] if i["held"]]
        assert held == [
            {
                "village": VILLAGE,
                "village_name": "Kota Bangun Ulu",
                "month": "2026-01",
                "held": True,
                "meeting_id": january.pk,
                "held_on": "2026-01-20",
                "attendees": 0,
                "open_items": 1,
                "minutes_written": True,
            }
        ]
        body = read.json()
        assert (body["village"], body["month"], body["minutes"], body["agenda_frozen"]) == (
            VILLAGE,
            "2026-01",
            "Rapat rutin Januari.",
            True,
        )
        assert [(i["description"], i["owner"], i["status"]) for i in body["action_items"]] == [
            ("Kunjungi akseptor drop-out", "Siti Aminah", "open"),
            ("Catat ibu hamil baru", "Bidan Rina", "done"),
        ]
    else:
        assert listing.status_code == 404
        assert read.status_code == 404
    control = client.get("/api/cadres/field-control", {"area": KAB, "month": "2026-01"})
    sees_kab = username in ("admin", "district", "partner", "viewer")
    assert control.status_code == (200 if sees_kab else 404)


def test_api_meeting_flow(api_as: ApiFor, world: World, figures: None, january: Meeting) -> None:
    client = api_as("pkb")
    created = send(
        client,
        "post",
        "/api/cadres/meetings",
        {"village": VILLAGE, "month": "2026-02", "held_on": "2026-02-24", "place": "Balai"},
    )
    assert created.status_code == 201
    body = created.json()
    meeting_id = body["id"]
    assert (body["agenda_frozen"], body["agenda"]) == (False, expected_february(january))
    siti = Cadre.objects.get(person__full_name="Siti Aminah")
    ticked = send(
        client,
        "put",
        f"/api/cadres/meetings/{meeting_id}/attendance",
        {"present": [siti.person_id]},
    )
    assert [(a["name"], a["present"]) for a in ticked.json()["attendance"]] == [
        ("Siti Aminah", True),
        ("Sutrisno", False),
    ]
    carried = client.post(f"/api/cadres/meetings/{meeting_id}/carry")
    assert [i["description"] for i in carried.json()] == ["Kunjungi akseptor drop-out"]
    added = send(
        client,
        "post",
        f"/api/cadres/meetings/{meeting_id}/items",
        {"description": "Data ibu hamil", "owner_id": siti.pk, "due_on": "2026-03-15"},
    )
    assert added.status_code == 201
    item_id = added.json()["id"]
    changed = send(
        client,
        "put",
        f"/api/cadres/meetings/items/{item_id}",
        {"description": "Data ibu hamil RT 1", "owner_name": "Bidan Rina"},
    )
    assert (changed.json()["owner"], changed.json()["owner_id"]) == ("Bidan Rina", None)
    closed = send(
        client,
        "post",
        f"/api/cadres/meetings/items/{item_id}/close",
        {"status": "done", "closed_on": "2026-02-28"},
    )
    assert (closed.json()["status"], closed.json()["closed_on"]) == ("done", "2026-02-28")
    minutes = send(
        client,
        "put",
        f"/api/cadres/meetings/{meeting_id}/minutes",
        {"minutes": "Rapat Februari", "problems": "Hujan deras", "decisions": ""},
    )
    assert minutes.json()["agenda_frozen"] is True
    assert Meeting.objects.get(pk=meeting_id).agenda == expected_february(january)
    control = client.get("/api/cadres/field-control", {"area": VILLAGE, "month": "2026-02"})
    assert control.json()["total"] == {
        "area": VILLAGE,
        "name": "Kota Bangun Ulu",
        "cadres": 2,
        "cadres_reporting": 1,
        "poktan": 0,
        "poktan_active": 0,
        "meetings": 1,
        "counselling": 0,
        "poktan_sessions": 0,
    }


def test_api_refusals_are_bilingual_and_write_nothing(
    api_as: ApiFor, world: World, january: Meeting
) -> None:
    client = api_as("pkb")
    before = state()
    again = send(
        client,
        "post",
        "/api/cadres/meetings",
        {"village": VILLAGE, "month": "2026-01", "held_on": "2026-01-22"},
    )
    assert again.status_code == 422
    assert again.json()["errors"] == [
        {
            "field": "month",
            "code": "cadre.meeting_exists",
            "message_id": "Rapat bulanan kader Kota Bangun Ulu untuk bulan 01-2026 sudah dicatat.",
            "message_en": (
                "The monthly cadre meeting of Kota Bangun Ulu for 01-2026 is already recorded."
            ),
        }
    ]
    bad_month = send(
        client,
        "post",
        "/api/cadres/meetings",
        {"village": VILLAGE_2, "month": "2026-13", "held_on": "2026-01-22"},
    )
    assert bad_month.status_code == 422
    assert bad_month.json()["errors"][0]["code"] == "cadre.month_invalid"
    no_minutes = send(client, "put", f"/api/cadres/meetings/{january.pk}/minutes", {"minutes": ""})
    assert no_minutes.json()["errors"][0]["code"] == "cadre.minutes_required"
    foreign = api_as("other_district")
    assert (
        send(
            foreign,
            "post",
            "/api/cadres/meetings",
            {"village": VILLAGE_2, "month": "2026-01", "held_on": "2026-01-22"},
        ).status_code
        == 404
    )
    assert (
        send(
            foreign, "put", f"/api/cadres/meetings/{january.pk}/minutes", {"minutes": "x"}
        ).status_code
        == 404
    )
    assert foreign.post(f"/api/cadres/meetings/{january.pk}/carry").status_code == 404
    item = january.action_items.get(status="open")
    assert (
        send(
            foreign,
            "post",
            f"/api/cadres/meetings/items/{item.pk}/close",
            {"status": "done", "closed_on": "2026-01-25"},
        ).status_code
        == 404
    )
    assert state() == before
