"""The partners API: every endpoint, by the roles that matter, with refusals writing nothing."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from kampungkb.accounts.services import token_create
from kampungkb.core.models import AuditEvent
from kampungkb.partners import services
from kampungkb.partners.models import Commitment, Mou, Partner, PartnerContact
from kampungkb.partners.services import ContactData
from kampungkb.partners.tests.factories import PDF, PNG, make_mou, make_partner, mou_data
from kampungkb.partners.validators import MAX_DOCUMENT_BYTES
from kampungkb.testing.world import KAB, OTHER_KAB, USERS, VILLAGE, VILLAGE_2, World

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_for(world: World) -> Any:
    def make(username: str) -> Client:
        _token, secret = token_create(user=world.user(username), name="test", actor=None)
        return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")

    return make


def post(client: Client, url: str, data: dict[str, Any], method: str = "post") -> Any:
    return getattr(client, method)(
        url, json.dumps(data, default=str), content_type="application/json"
    )


@pytest.fixture
def partner(world: World) -> Partner:
    return make_partner(served=[VILLAGE])


@pytest.mark.parametrize("username", list(USERS))
def test_partner_list_by_role(api_for: Any, partner: Partner, username: str) -> None:
    response = api_for(username).get("/api/partners")
    assert response.status_code == 200
    names = [p["name"] for p in response.json()["items"]]
    visible = username in ("admin", "district", "pkb", "cadre", "cadre_rt", "viewer")
    assert names == (["Rumah Kreatif BUMN"] if visible else [])


def test_partner_read_shape(api_for: Any, partner: Partner) -> None:
    data = api_for("district").get(f"/api/partners/{partner.pk}").json()
    assert data == {
        "id": partner.pk,
        "name": "Rumah Kreatif BUMN",
        "kind": "state_company",
        "kind_label": "Badan Usaha Milik Negara (BUMN)",
        "description": "",
        "address": "",
        "phone": "",
        "email": "",
        "website": "",
        "area": {"code": KAB, "name": "Kabupaten Kutai Kartanegara"},
        "areas_served": [{"code": VILLAGE, "name": "Kota Bangun Ulu"}],
        "is_active": True,
    }
    assert api_for("other_district").get(f"/api/partners/{partner.pk}").status_code == 404


def test_partner_list_filters(api_for: Any, partner: Partner) -> None:
    make_partner("Muslimat NW", kind="religious", served=[VILLAGE_2])
    client = api_for("district")
    assert [p["name"] for p in client.get("/api/partners?kind=religious").json()["items"]] == [
        "Muslimat NW"
    ]
    assert [p["name"] for p in client.get(f"/api/partners?area={VILLAGE}").json()["items"]] == [
        "Rumah Kreatif BUMN"
    ]
    assert client.get(f"/api/partners?area={OTHER_KAB}").status_code == 404


def test_partner_create_and_update(api_for: Any, world: World) -> None:
    client = api_for("district")
    response = post(
        client,
        "/api/partners",
        {"name": "PKK Kukar", "kind": "pkk", "area": KAB, "areas_served": [VILLAGE]},
    )
    assert response.status_code == 201
    pk = response.json()["id"]
    response = post(client, f"/api/partners/{pk}", {"phone": "0541"}, method="patch")
    assert response.status_code == 200
    assert (response.json()["phone"], response.json()["name"]) == ("0541", "PKK Kukar")
    assert [a["code"] for a in response.json()["areas_served"]] == [VILLAGE]
    refused = post(client, "/api/partners", {"name": "pkk kukar", "kind": "pkk", "area": KAB})
    assert refused.status_code == 422
    assert refused.json()["errors"][0] == {
        "field": "name",
        "code": "partner.name_taken",
        "message_id": "Mitra bernama pkk kukar sudah terdaftar di wilayah ini.",
        "message_en": "A partner named pkk kukar is already registered in this area.",
    }
    assert Partner.objects.count() == 1


@pytest.mark.parametrize("username", ["cadre", "viewer", "partner", "other_district"])
def test_partner_create_refused(api_for: Any, world: World, username: str) -> None:
    response = post(api_for(username), "/api/partners", {"name": "X", "kind": "ngo", "area": KAB})
    assert response.status_code == 404
    assert not Partner.objects.exists()


def test_partner_deactivate(api_for: Any, partner: Partner) -> None:
    assert api_for("viewer").post(f"/api/partners/{partner.pk}/deactivate").status_code == 404
    response = api_for("district").post(f"/api/partners/{partner.pk}/deactivate")
    assert response.json()["is_active"] is False


def test_contacts(api_for: Any, partner: Partner) -> None:
    client = api_for("district")
    response = post(
        client, f"/api/partners/{partner.pk}/contacts", {"name": "Ibu Nur", "phone": "0812"}
    )
    assert response.status_code == 201
    contact_id = response.json()["id"]
    assert client.get(f"/api/partners/{partner.pk}/contacts").json() == [
        {"id": contact_id, "name": "Ibu Nur", "position": "", "phone": "0812", "email": ""}
    ]
    assert api_for("viewer").get(f"/api/partners/{partner.pk}/contacts").status_code == 404
    response = post(
        client,
        f"/api/partner-contacts/{contact_id}",
        {"name": "Ibu Nurhayati", "email": "n@example.org"},
        method="put",
    )
    assert response.json()["name"] == "Ibu Nurhayati"
    assert (
        api_for("other_district").delete(f"/api/partner-contacts/{contact_id}").status_code == 404
    )
    assert client.delete(f"/api/partner-contacts/{contact_id}").status_code == 204
    assert not PartnerContact.objects.exists()


MOU = {
    "number": "001/PKS/2025",
    "title": "Pelatihan UPPKA",
    "parties": "DPPKB; RKB",
    "signed_on": "2025-01-02",
    "valid_from": "2025-01-01",
    "valid_until": "2025-12-31",
    "area": KAB,
    "commitments": [{"description": "Pelatihan", "measure": "activities", "target": 4}],
}


def test_mou_create_read_list_renew(api_for: Any, partner: Partner) -> None:
    client = api_for("district")
    response = post(client, f"/api/partners/{partner.pk}/mous", MOU)
    assert response.status_code == 201
    data = response.json()
    # The MoU ended on 31 December 2025: expired by now.
    assert (data["number"], data["status"], data["renews_id"], data["renewed_by_id"]) == (
        "001/PKS/2025",
        "expired",
        None,
        None,
    )
    assert data["commitments"] == [
        {
            "id": data["commitments"][0]["id"],
            "description": "Pelatihan",
            "measure": "activities",
            "target": 4,
        }
    ]
    mou_id = data["id"]
    renewal = post(
        client,
        f"/api/mous/{mou_id}/renew",
        {**MOU, "number": "002/PKS/2026", "valid_from": "2026-01-01", "valid_until": "2030-12-31"},
    )
    assert renewal.status_code == 201
    assert renewal.json()["renews_id"] == mou_id
    assert len(renewal.json()["commitments"]) == 1
    again = post(
        client, f"/api/mous/{mou_id}/renew", {**MOU, "number": "003", "valid_until": "2031-12-31"}
    )
    assert again.status_code == 422
    assert again.json()["errors"][0]["code"] == "mou.already_renewed"
    listed = client.get("/api/mous").json()["items"]
    assert [(m["number"], m["status"]) for m in listed] == [
        ("002/PKS/2026", "in_force"),
        ("001/PKS/2025", "renewed"),
    ]
    assert [m["number"] for m in client.get("/api/mous?status=renewed").json()["items"]] == [
        "001/PKS/2025"
    ]
    assert client.get(f"/api/mous/{mou_id}").json()["renewed_by_id"] == renewal.json()["id"]
    assert api_for("other_district").get(f"/api/mous/{mou_id}").status_code == 404
    assert Mou.objects.count() == 2


def test_mou_create_refused_writes_nothing(api_for: Any, partner: Partner) -> None:
    bad = {
        **MOU,
        "valid_until": "2024-12-31",
        "commitments": [{"description": "x", "measure": "value", "target": 0}],
    }
    response = post(api_for("district"), f"/api/partners/{partner.pk}/mous", bad)
    assert response.status_code == 422
    assert {e["code"] for e in response.json()["errors"]} == {
        "mou.dates_order",
        "mou.signed_after_end",
    }
    assert post(api_for("viewer"), f"/api/partners/{partner.pk}/mous", MOU).status_code == 404
    assert not Mou.objects.exists()
    assert not Commitment.objects.exists()


def test_mou_update(api_for: Any, partner: Partner) -> None:
    mou = make_mou(partner)
    fields = {k: v for k, v in MOU.items() if k not in ("commitments", "area")}
    response = post(
        api_for("district"), f"/api/mous/{mou.pk}", {**fields, "title": "Baru"}, method="put"
    )
    assert response.status_code == 200
    assert response.json()["title"] == "Baru"
    assert post(api_for("pkb"), f"/api/mous/{mou.pk}", fields, method="put").status_code == 404


def test_commitments(api_for: Any, partner: Partner) -> None:
    mou = make_mou(partner)
    client = api_for("district")
    response = post(
        client,
        f"/api/mous/{mou.pk}/commitments",
        {"description": "Desa", "measure": "villages", "target": 3},
    )
    assert response.status_code == 201
    cid = response.json()["id"]
    assert (
        post(
            client,
            f"/api/commitments/{cid}",
            {"description": "Desa binaan", "measure": "villages", "target": 5},
            method="put",
        ).json()["target"]
        == 5
    )
    assert client.get(f"/api/mous/{mou.pk}/commitments").json() == [
        {"id": cid, "description": "Desa binaan", "measure": "villages", "target": 5}
    ]
    assert api_for("viewer").delete(f"/api/commitments/{cid}").status_code == 404
    assert client.delete(f"/api/commitments/{cid}").status_code == 204
    assert not Commitment.objects.exists()


def test_alerts(api_for: Any, partner: Partner) -> None:
    today = timezone.localdate()
    mou = make_mou(
        partner,
        "SOON",
        valid_from=today - dt.timedelta(days=100),
        valid_until=today + dt.timedelta(days=45),
    )
    assert api_for("district").get("/api/mou-alerts").json() == [
        {
            "mou_id": mou.pk,
            "number": "SOON",
            "partner_id": partner.pk,
            "partner_name": "Rumah Kreatif BUMN",
            "valid_until": (today + dt.timedelta(days=45)).isoformat(),
            "band": "60",
            "days_left": 45,
        }
    ]
    assert api_for("other_district").get("/api/mou-alerts").json() == []


def test_a_linked_partner_user_reads_its_own_partner_only(
    api_for: Any, world: World, partner: Partner
) -> None:
    other = make_partner("PKK Kukar", kind="pkk")
    services.partner_user_link(partner=partner, user=world.user("partner"), actor=None)
    services.contact_add(partner=partner, data=ContactData(name="Ibu Nur", phone="1"), actor=None)
    client = api_for("partner")
    assert [p["name"] for p in client.get("/api/partners").json()["items"]] == [
        "Rumah Kreatif BUMN"
    ]
    assert client.get(f"/api/partners/{other.pk}").status_code == 404
    assert client.get(f"/api/partners/{partner.pk}/contacts").status_code == 404


# ---- the MoU document -----------------------------------------------------------------------

DOCUMENT_EDITORS = ("admin", "district")
DOCUMENT_READERS = ("admin", "district", "viewer")


def stored_files(settings: Any) -> list[str]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def upload(client: Client, mou: Mou, name: str, content: bytes) -> Any:
    return client.post(f"/api/mous/{mou.pk}/document", {"file": SimpleUploadedFile(name, content)})


def test_mou_document_upload_and_download(
    api_for: Any, world: World, partner: Partner, settings: Any
) -> None:
    mou = make_mou(partner)
    client = api_for("district")
    assert client.get(f"/api/mous/{mou.pk}/document").status_code == 404  # none yet
    response = upload(client, mou, "scan.pdf", PDF)
    assert response.status_code == 200
    assert (response.json()["id"], response.json()["has_document"]) == (mou.pk, True)
    mou.refresh_from_db()
    assert mou.document.name == f"mous/{timezone.localdate().year}/001-MoU-2025.pdf"
    assert stored_files(settings) == [mou.document.name]
    event = AuditEvent.objects.get(action="mou.update", object_id=str(mou.pk))
    assert event.actor == world.user("district")
    assert (event.before["document"], event.after["document"]) == ("", mou.document.name)
    download = client.get(f"/api/mous/{mou.pk}/document")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == f'attachment; filename="MoU-{mou.pk}.pdf"'
    assert b"".join(download.streaming_content) == PDF
    # A PNG sent as .pdf replaces it and is kept as what it is.
    assert upload(client, mou, "scan.pdf", PNG).status_code == 200
    download = client.get(f"/api/mous/{mou.pk}/document")
    assert download["Content-Type"] == "image/png"
    assert b"".join(download.streaming_content) == PNG


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("scan.pdf", b"<html>not a pdf</html>", "mou.document_type"),
        ("scan.pdf", b"%PDF-" + b"0" * MAX_DOCUMENT_BYTES, "mou.document_size"),
    ],
)
def test_mou_document_upload_refused_writes_nothing(
    api_for: Any, partner: Partner, settings: Any, name: str, content: bytes, code: str
) -> None:
    mou = make_mou(partner)
    client = api_for("district")
    events = AuditEvent.objects.count()
    response = upload(client, mou, name, content)
    assert response.status_code == 422
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [("file", code)]
    mou.refresh_from_db()
    assert not mou.document
    assert AuditEvent.objects.count() == events
    assert stored_files(settings) == []


def test_mou_document_upload_refusal_messages(api_for: Any, partner: Partner) -> None:
    mou = make_mou(partner)
    big = upload(api_for("district"), mou, "x.pdf", b"%PDF-" + b"0" * MAX_DOCUMENT_BYTES)
    assert (
        big.json()["errors"][0]["message_en"]
        == "The document is too large (10.0 MB); at most 10 MB."
    )
    missing = api_for("district").post(f"/api/mous/{mou.pk}/document", {})
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["code"] == "request.missing"


@pytest.mark.parametrize("username", list(USERS))
def test_mou_document_by_role(api_for: Any, partner: Partner, settings: Any, username: str) -> None:
    mou = services.mou_create(
        partner=partner,
        area=partner.area,
        data=mou_data("002/MoU/2025"),
        document=SimpleUploadedFile("x.pdf", PDF),
        actor=None,
    )
    before = stored_files(settings)
    client = api_for(username)
    download = client.get(f"/api/mous/{mou.pk}/document")
    if username in DOCUMENT_READERS:
        assert download.status_code == 200
        assert b"".join(download.streaming_content) == PDF
    else:
        assert download.status_code == 404
    response = upload(client, mou, "y.png", PNG)
    mou.refresh_from_db()
    if username in DOCUMENT_EDITORS:
        assert response.status_code == 200
        assert str(mou.document.name).endswith(".png")
    else:
        assert response.status_code == 404
        assert str(mou.document.name).endswith(".pdf")
        assert stored_files(settings) == before
        assert not AuditEvent.objects.filter(action="mou.update").exists()
