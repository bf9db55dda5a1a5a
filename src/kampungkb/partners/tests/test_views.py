"""The partner pages, tried by every role of the world, and their exports read back."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from kampungkb.partners import services
from kampungkb.partners.models import Commitment, Mou, Partner, PartnerContact, PartnerMembership
from kampungkb.partners.services import ContactData
from kampungkb.partners.tests.factories import PDF, make_mou, make_partner, mou_data
from kampungkb.testing.world import KAB, OTHER_KAB, USERS, VILLAGE, World

pytestmark = pytest.mark.django_db

EDITORS = ("admin", "district")
READERS_OF_KAB = ("admin", "district", "viewer")


@pytest.fixture
def partner(world: World) -> Partner:
    return make_partner(served=[VILLAGE])


@pytest.mark.parametrize("username", list(USERS))
def test_partner_list_shows_what_each_role_sees(
    client_for: Any, partner: Partner, username: str
) -> None:
    make_partner("Lotim", area=OTHER_KAB)
    response = client_for(username).get(reverse("partners:list"))
    assert response.status_code == 200
    body = response.content.decode()
    visible = username in ("admin", "district", "viewer", "pkb", "cadre", "cadre_rt")
    assert ("Rumah Kreatif BUMN" in body) is visible
    assert ("Lotim" in body) is (username in ("admin", "viewer", "other_district"))
    assert (reverse("partners:create") in body) is (
        username in ("admin", "district", "pkb", "other_district")
    )
    if visible:
        assert reverse("reports:partner", args=[partner.pk]) in body


def test_partner_list_is_in_indonesian_by_default(client_for: Any, partner: Partner) -> None:
    body = client_for("district").get(reverse("partners:list")).content.decode()
    assert "<h1>Mitra</h1>" in body
    assert "Badan Usaha Milik Negara" in body or "BUMN" in body


def test_partner_list_query_count_is_pinned(
    client_for: Any, world: World, django_assert_num_queries: Any
) -> None:
    for n in range(5):
        make_partner(f"Mitra {n}", served=[VILLAGE])
    client = client_for("district")
    client.get(reverse("partners:list"))
    with django_assert_num_queries(8):
        client.get(reverse("partners:list"))


def test_partner_list_banner_shows_mous_ending_soon(client_for: Any, partner: Partner) -> None:
    from django.utils import timezone

    today = timezone.localdate()
    make_mou(
        partner,
        "SOON/1",
        valid_from=today - dt.timedelta(days=300),
        valid_until=today + dt.timedelta(days=20),
    )
    body = client_for("district").get(reverse("partners:list")).content.decode()
    assert "MoU SOON/1" in body
    assert "30 hari" in body


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_partner_list_exports_read_back(
    client_for: Any, partner: Partner, file_format: str
) -> None:
    response = client_for("district").get(reverse("partners:list"), {"format": file_format})
    assert response.status_code == 200
    if file_format == "csv":
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    else:
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = [
            [c if c is not None else "" for c in row] for row in sheet.iter_rows(values_only=True)
        ]
    assert rows == [
        ["Nama", "Jenis", "Didaftarkan oleh", "Wilayah layanan", "Aktif", "Telepon", "Email"],
        [
            "Rumah Kreatif BUMN",
            "Badan Usaha Milik Negara (BUMN)",
            "Kabupaten Kutai Kartanegara (64.02)",
            f"{partner.areas_served.get().name} ({VILLAGE})",
            "ya",
            "",
            "",
        ],
    ]


@pytest.mark.parametrize("username", list(USERS))
def test_partner_create_page(client_for: Any, world: World, username: str) -> None:
    client = client_for(username)
    response = client.post(
        reverse("partners:create"),
        {"name": "Muslimat NW", "kind": "religious", "area": KAB, "areas_served": [VILLAGE]},
    )
    if username in EDITORS:
        partner = Partner.objects.get(name="Muslimat NW")
        assert response.status_code == 302
        assert response["Location"] == reverse("reports:partner", args=[partner.pk])
    elif username in ("pkb", "other_district"):
        assert response.status_code == 200  # the kabupaten is not among their choices
        assert not Partner.objects.exists()
    else:
        assert response.status_code == 404
        assert not Partner.objects.exists()


def test_partner_create_page_shows_the_service_error(client_for: Any, partner: Partner) -> None:
    response = client_for("district").post(
        reverse("partners:create"), {"name": "rumah kreatif bumn", "kind": "ngo", "area": KAB}
    )
    assert response.status_code == 200
    assert "sudah terdaftar di wilayah ini" in response.content.decode()
    assert Partner.objects.count() == 1


@pytest.mark.parametrize("username", list(USERS))
def test_partner_edit_page(client_for: Any, partner: Partner, username: str) -> None:
    response = client_for(username).post(
        reverse("partners:edit", args=[partner.pk]),
        {"name": "RKB Kukar", "kind": "state_company", "areas_served": [VILLAGE]},
    )
    partner.refresh_from_db()
    if username in EDITORS:
        assert response.status_code == 302
        assert partner.name == "RKB Kukar"
    else:
        assert response.status_code == 404
        assert partner.name == "Rumah Kreatif BUMN"


def test_partner_deactivate_page(client_for: Any, partner: Partner) -> None:
    assert (
        client_for("other_district")
        .post(reverse("partners:deactivate", args=[partner.pk]))
        .status_code
        == 404
    )
    response = client_for("district").post(reverse("partners:deactivate", args=[partner.pk]))
    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.is_active is False


@pytest.mark.parametrize("username", list(USERS))
def test_contacts_page_only_for_roles_that_see_named_persons(
    client_for: Any, partner: Partner, username: str
) -> None:
    services.contact_add(
        partner=partner, data=ContactData(name="Ibu Nur", phone="0812"), actor=None
    )
    response = client_for(username).get(reverse("partners:contacts", args=[partner.pk]))
    allowed = username in ("admin", "district")
    assert response.status_code == (200 if allowed else 404)
    if allowed:
        assert "Ibu Nur" in response.content.decode()


def test_contact_add_edit_remove_pages(client_for: Any, partner: Partner) -> None:
    client = client_for("district")
    assert (
        client.post(
            reverse("partners:contact_add", args=[partner.pk]), {"name": "Pak Ali"}
        ).status_code
        == 200
    )
    assert not PartnerContact.objects.exists()
    client.post(
        reverse("partners:contact_add", args=[partner.pk]),
        {"name": "Pak Ali", "email": "ali@example.org"},
    )
    contact = PartnerContact.objects.get()
    assert (
        client_for("other_district")
        .post(reverse("partners:contact_remove", args=[contact.pk]))
        .status_code
        == 404
    )
    client.post(
        reverse("partners:contact_edit", args=[contact.pk]), {"name": "Pak Ali Akbar", "phone": "1"}
    )
    contact.refresh_from_db()
    assert contact.name == "Pak Ali Akbar"
    assert client.post(reverse("partners:contact_remove", args=[contact.pk])).status_code == 302
    assert not PartnerContact.objects.exists()


def test_partner_user_link_page(client_for: Any, world: World, partner: Partner) -> None:
    client = client_for("district")
    user = world.user("partner")
    response = client.post(reverse("partners:user_add", args=[partner.pk]), {"user": user.pk})
    assert response.status_code == 302
    membership = PartnerMembership.objects.get()
    assert membership.user == user
    # Now the partner user sees its partner's page and list, nothing else.
    body = client_for("partner").get(reverse("partners:list")).content.decode()
    assert "Rumah Kreatif BUMN" in body
    assert client.post(reverse("partners:user_remove", args=[membership.pk])).status_code == 302
    assert not PartnerMembership.objects.exists()


def _mou_post(**extra: Any) -> dict[str, Any]:
    return {
        "number": "001/PKS/2025",
        "title": "Pelatihan UPPKA",
        "area": KAB,
        "parties": "DPPKB; RKB",
        "signed_on": "2025-01-02",
        "valid_from": "2025-01-01",
        "valid_until": "2025-12-31",
        "scope": "",
        "commitments-TOTAL_FORMS": "2",
        "commitments-INITIAL_FORMS": "0",
        "commitments-0-description": "Pelatihan",
        "commitments-0-measure": "activities",
        "commitments-0-target": "4",
        **extra,
    }


@pytest.mark.parametrize("username", list(USERS))
def test_mou_create_page_with_commitments_and_document(
    client_for: Any, partner: Partner, username: str
) -> None:
    data = _mou_post(document=SimpleUploadedFile("pks.pdf", PDF))
    response = client_for(username).post(reverse("partners:mou_create", args=[partner.pk]), data)
    if username in EDITORS:
        mou = Mou.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("partners:mou_detail", args=[mou.pk])
        assert [(c.measure, c.target) for c in mou.commitments.all()] == [("activities", 4)]
        assert str(mou.document.name).endswith(".pdf")
    else:
        assert response.status_code in (200, 404)
        assert not Mou.objects.exists()


def test_mou_create_page_refuses_a_disguised_document(client_for: Any, partner: Partner) -> None:
    data = _mou_post(document=SimpleUploadedFile("pks.pdf", b"<html>not a pdf</html>"))
    response = client_for("district").post(reverse("partners:mou_create", args=[partner.pk]), data)
    assert response.status_code == 200
    assert "Dokumen harus berupa PDF, JPEG atau PNG." in response.content.decode()
    assert not Mou.objects.exists()
    assert not Commitment.objects.exists()


def test_mou_edit_page_changes_removes_and_adds_commitments(
    client_for: Any, partner: Partner
) -> None:
    mou = make_mou(partner, commitments=[("activities", 4), ("value", 1000)])
    first, second = mou.commitments.order_by("id")
    data = _mou_post(
        **{
            "commitments-TOTAL_FORMS": "3",
            "commitments-INITIAL_FORMS": "2",
            "commitments-0-id": str(first.pk),
            "commitments-0-description": "Pelatihan",
            "commitments-0-measure": "activities",
            "commitments-0-target": "6",
            "commitments-1-id": str(second.pk),
            "commitments-1-description": "Dana",
            "commitments-1-measure": "value",
            "commitments-1-target": "1000",
            "commitments-1-DELETE": "on",
            "commitments-2-description": "Desa",
            "commitments-2-measure": "villages",
            "commitments-2-target": "2",
        }
    )
    response = client_for("district").post(reverse("partners:mou_edit", args=[mou.pk]), data)
    assert response.status_code == 302
    assert [(c.measure, c.target) for c in mou.commitments.order_by("id")] == [
        ("activities", 6),
        ("villages", 2),
    ]


def test_mou_edit_refused_writes_nothing(client_for: Any, partner: Partner) -> None:
    mou = make_mou(partner, commitments=[("activities", 4)])
    first = mou.commitments.get()
    data = _mou_post(
        valid_until="2024-01-01",
        **{
            "commitments-TOTAL_FORMS": "1",
            "commitments-INITIAL_FORMS": "1",
            "commitments-0-id": str(first.pk),
            "commitments-0-target": "9",
        },
    )
    response = client_for("district").post(reverse("partners:mou_edit", args=[mou.pk]), data)
    assert response.status_code == 200
    first.refresh_from_db()
    assert first.target == 4
    mou.refresh_from_db()
    assert mou.valid_until == dt.date(2025, 12, 31)


@pytest.mark.parametrize("username", list(USERS))
def test_mou_detail_and_document_download_are_scoped(
    client_for: Any, partner: Partner, username: str
) -> None:
    mou = services.mou_create(
        partner=partner,
        area=partner.area,
        data=mou_data(),
        document=SimpleUploadedFile("x.pdf", PDF),
        actor=None,
    )
    client = client_for(username)
    detail = client.get(reverse("partners:mou_detail", args=[mou.pk]))
    document = client.get(reverse("partners:mou_document", args=[mou.pk]))
    if username in READERS_OF_KAB:
        assert detail.status_code == 200
        assert "Riwayat perpanjangan" in detail.content.decode()
        assert document.status_code == 200
        assert document["Content-Type"] == "application/pdf"
        assert b"".join(document.streaming_content) == PDF
    else:
        assert detail.status_code == 404
        assert document.status_code == 404


def test_mou_renew_page_and_the_history_chain(client_for: Any, partner: Partner) -> None:
    old = make_mou(partner, commitments=[("activities", 4)])
    client = client_for("district")
    response = client.post(
        reverse("partners:mou_renew", args=[old.pk]),
        {
            "number": "002/PKS/2026",
            "title": "Lanjutan",
            "parties": "DPPKB; RKB",
            "signed_on": "2025-12-20",
            "valid_from": "2026-01-01",
            "valid_until": "2026-12-31",
            "copy_commitments": "on",
        },
    )
    new = Mou.objects.get(number="002/PKS/2026")
    assert response.status_code == 302
    assert new.commitments.count() == 1
    body = client.get(reverse("partners:mou_detail", args=[old.pk])).content.decode()
    assert body.index("001/MoU/2025") < body.index("002/PKS/2026")
    assert "Diperpanjang" in body
    again = client.post(
        reverse("partners:mou_renew", args=[old.pk]),
        {
            "number": "003",
            "title": "x",
            "parties": "x",
            "signed_on": "2025-12-20",
            "valid_from": "2027-01-01",
            "valid_until": "2027-12-31",
        },
    )
    assert again.status_code == 200
    assert "sudah diperpanjang" in again.content.decode()
    assert Mou.objects.count() == 2


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_mou_list_exports_read_back(client_for: Any, partner: Partner, file_format: str) -> None:
    old = make_mou(partner, valid_until=dt.date(2025, 3, 31))
    services.mou_renew(
        mou=old,
        data=mou_data("002", valid_until=dt.date(2030, 12, 31)),
        actor=None,
    )
    response = client_for("viewer").get(reverse("partners:mou_list"), {"format": file_format})
    rows: list[list[Any]]
    if file_format == "csv":
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        expected_dates: list[Any] = ["01-01-2025", "01-01-2025"]
    else:
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = [
            [c.date() if isinstance(c, dt.datetime) else c for c in r]
            for r in sheet.iter_rows(values_only=True)
        ]
        expected_dates = [dt.date(2025, 1, 1), dt.date(2025, 1, 1)]
    assert rows[0] == [
        "Nomor",
        "Judul",
        "Mitra",
        "Wilayah cakupan",
        "Tanggal penandatanganan",
        "Berlaku dari",
        "Berlaku sampai",
        "Status",
        "Memperpanjang",
    ]
    assert [r[0] for r in rows[1:]] == ["002", "001/MoU/2025"]
    assert rows[2][4:6] == expected_dates
    assert rows[1][7] == "Berlaku"
    assert rows[2][7] == "Diperpanjang"
    assert rows[1][8] == "001/MoU/2025"


def test_mou_list_page_shows_status_and_filters(client_for: Any, partner: Partner) -> None:
    make_mou(partner, "OLD/1", valid_until=dt.date(2025, 3, 31))
    make_mou(partner, "NOW/1", valid_until=dt.date(2030, 3, 31))
    client = client_for("district")
    body = client.get(reverse("partners:mou_list")).content.decode()
    assert "OLD/1" in body and "NOW/1" in body
    body = client.get(reverse("partners:mou_list"), {"status": "expired"}).content.decode()
    assert "OLD/1" in body and "NOW/1" not in body
    assert (
        client_for("other_district")
        .get(reverse("partners:mou_list"), {"partner": partner.pk})
        .status_code
        == 404
    )
