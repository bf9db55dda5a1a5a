"""Every rule of the partner services; a refused write leaves nothing written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone

from kampungkb.accounts.models import Role, User
from kampungkb.accounts.services import user_create
from kampungkb.core.models import AuditEvent
from kampungkb.partners import services
from kampungkb.partners.models import (
    Commitment,
    CommitmentMeasure,
    Mou,
    MouAlert,
    Partner,
    PartnerContact,
    PartnerKind,
    PartnerMembership,
)
from kampungkb.partners.services import CommitmentData, ContactData, MouData, PartnerData
from kampungkb.partners.tests.factories import PDF, PNG, make_mou, make_partner, mou_data
from kampungkb.partners.validators import MAX_DOCUMENT_BYTES
from kampungkb.testing.world import KAB, KEC, OTHER_KAB, OTHER_VILLAGE, VILLAGE, VILLAGE_2, World

pytestmark = pytest.mark.django_db


def codes(error: ValidationError) -> dict[str, list[str | None]]:
    return {field: [e.code for e in items] for field, items in error.error_dict.items()}


def counts() -> tuple[int, ...]:
    return (
        Partner.objects.count(),
        Mou.objects.count(),
        Commitment.objects.count(),
        PartnerContact.objects.count(),
        PartnerMembership.objects.count(),
        AuditEvent.objects.count(),
    )


# -- partners -------------------------------------------------------------------------------------


def test_partner_create_registers_with_areas_served_and_audit(world: World) -> None:
    partner = services.partner_create(
        area=world.area(KAB),
        data=PartnerData(name="  Muslimat NW ", kind=PartnerKind.RELIGIOUS, phone="0811"),
        areas_served=[world.area(VILLAGE), world.area(VILLAGE_2)],
        actor=world.user("district"),
    )
    assert partner.name == "Muslimat NW"
    assert partner.area_id == KAB
    assert sorted(partner.areas_served.values_list("code", flat=True)) == [VILLAGE, VILLAGE_2]
    event = AuditEvent.objects.get(action="partner.create")
    assert event.object_id == str(partner.pk)
    assert event.area_code == KAB
    assert event.after["areas_served"] == [VILLAGE, VILLAGE_2]
    assert event.actor == world.user("district")


def test_partner_create_refuses_a_name_taken_in_the_area_whatever_the_case(world: World) -> None:
    make_partner("Muslimat NW")
    before = counts()
    with pytest.raises(ValidationError) as caught:
        services.partner_create(
            area=world.area(KAB),
            data=PartnerData(name="muslimat nw", kind=PartnerKind.RELIGIOUS),
            actor=world.user("district"),
        )
    assert codes(caught.value) == {"name": ["partner.name_taken"]}
    assert counts() == before


def test_the_same_name_may_be_registered_in_another_area(world: World) -> None:
    make_partner("PKK")
    other = make_partner("PKK", area=OTHER_KAB)
    assert other.area_id == OTHER_KAB


@pytest.mark.parametrize("username", ["cadre", "partner", "viewer", "other_district"])
def test_partner_create_is_not_found_without_edit_partners_in_the_area(
    world: World, username: str
) -> None:
    before = counts()
    with pytest.raises(Http404):
        services.partner_create(
            area=world.area(KAB),
            data=PartnerData(name="X", kind=PartnerKind.NGO),
            actor=world.user(username),
        )
    assert counts() == before


def test_partner_create_refuses_an_area_served_outside_the_actors_areas(world: World) -> None:
    before = counts()
    with pytest.raises(ValidationError) as caught:
        services.partner_create(
            area=world.area(KAB),
            data=PartnerData(name="X", kind=PartnerKind.NGO),
            areas_served=[world.area(VILLAGE), world.area(OTHER_VILLAGE)],
            actor=world.user("district"),
        )
    assert codes(caught.value) == {"areas_served": ["partner.area_out_of_scope"]}
    assert counts() == before


def test_partner_update_keeps_areas_another_office_added(world: World) -> None:
    partner = make_partner(served=[VILLAGE, OTHER_VILLAGE])
    services.partner_update(
        partner=partner,
        data=PartnerData(name="Rumah Kreatif BUMN Kukar", kind=PartnerKind.STATE_COMPANY),
        areas_served=[world.area(OTHER_VILLAGE), world.area(VILLAGE_2)],
        actor=world.user("district"),
    )
    partner.refresh_from_db()
    assert partner.name == "Rumah Kreatif BUMN Kukar"
    served = sorted(partner.areas_served.values_list("code", flat=True))
    assert served == [OTHER_VILLAGE, VILLAGE_2]
    event = AuditEvent.objects.get(action="partner.update")
    assert event.before["areas_served"] == [OTHER_VILLAGE, VILLAGE]


def test_partner_update_refuses_removing_an_area_outside_the_actors_areas(world: World) -> None:
    partner = make_partner(served=[OTHER_VILLAGE])
    before = counts()
    with pytest.raises(ValidationError) as caught:
        services.partner_update(
            partner=partner,
            data=PartnerData(name="New name", kind=PartnerKind.NGO),
            areas_served=[],
            actor=world.user("district"),
        )
    assert codes(caught.value) == {"areas_served": ["partner.area_out_of_scope"]}
    partner.refresh_from_db()
    assert partner.name == "Rumah Kreatif BUMN"
    assert list(partner.areas_served.values_list("code", flat=True)) == [OTHER_VILLAGE]
    assert counts() == before


def test_partner_update_by_a_pkb_of_villages_is_not_found_for_a_kabupaten_partner(
    world: World,
) -> None:
    partner = make_partner()
    with pytest.raises(Http404):
        services.partner_update(
            partner=partner,
            data=PartnerData(name="Y", kind=PartnerKind.NGO),
            areas_served=[],
            actor=world.user("pkb"),
        )


def test_partner_deactivate_then_refuses_again_and_refuses_updates(world: World) -> None:
    partner = make_partner()
    services.partner_deactivate(partner=partner, actor=world.user("district"))
    partner.refresh_from_db()
    assert partner.is_active is False
    before = counts()
    with pytest.raises(ValidationError) as caught:
        services.partner_deactivate(partner=partner, actor=world.user("district"))
    assert caught.value.error_list[0].code == "partner.already_inactive"
    with pytest.raises(ValidationError) as caught:
        services.partner_update(
            partner=partner,
            data=PartnerData(name="Z", kind=PartnerKind.NGO),
            areas_served=[],
            actor=world.user("district"),
        )
    assert caught.value.error_list[0].code == "partner.inactive"
    assert counts() == before


# -- contacts and users ---------------------------------------------------------------------------


def test_contact_add_update_remove_with_audit(world: World) -> None:
    partner = make_partner()
    actor = world.user("district")
    contact = services.contact_add(
        partner=partner, data=ContactData(name="Ibu Hj. Nur", phone="0812"), actor=actor
    )
    services.contact_update(
        contact=contact,
        data=ContactData(name="Ibu Hj. Nurhayati", position="Ketua", phone="0812"),
        actor=actor,
    )
    contact.refresh_from_db()
    assert (contact.name, contact.position) == ("Ibu Hj. Nurhayati", "Ketua")
    services.contact_remove(contact=contact, actor=actor)
    assert not PartnerContact.objects.exists()
    actions = list(
        AuditEvent.objects.filter(action__startswith="partner.contact").values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == [
        "partner.contact_add",
        "partner.contact_remove",
        "partner.contact_update",
    ]


def test_contact_needs_a_phone_or_an_email(world: World) -> None:
    partner = make_partner()
    before = counts()
    with pytest.raises(ValidationError) as caught:
        services.contact_add(
            partner=partner, data=ContactData(name="Pak Ali"), actor=world.user("district")
        )
    assert codes(caught.value) == {"phone": ["partner.contact_empty"]}
    assert counts() == before


def test_contact_add_by_another_district_is_not_found(world: World) -> None:
    partner = make_partner()
    with pytest.raises(Http404):
        services.contact_add(
            partner=partner,
            data=ContactData(name="Pak Ali", phone="1"),
            actor=world.user("other_district"),
        )
    assert not PartnerContact.objects.exists()


def test_partner_user_link_needs_the_partner_role_and_links_once(world: World) -> None:
    partner = make_partner()
    other = make_partner("PKK Kukar", kind=PartnerKind.PKK)
    actor = world.user("district")
    membership = services.partner_user_link(
        partner=partner, user=world.user("partner"), actor=actor
    )
    assert membership.partner == partner
    before = counts()
    with pytest.raises(ValidationError) as caught:
        services.partner_user_link(partner=other, user=world.user("partner"), actor=actor)
    assert codes(caught.value) == {"user": ["partner.user_already_linked"]}
    with pytest.raises(ValidationError) as caught:
        services.partner_user_link(partner=other, user=world.user("viewer"), actor=actor)
    assert codes(caught.value) == {"user": ["partner.user_not_partner_role"]}
    assert counts() == before


def test_partner_user_link_only_by_an_officer_whose_areas_cover_the_partner(world: World) -> None:
    partner = make_partner()
    for username in ("pkb", "other_district", "cadre"):
        with pytest.raises(Http404):
            services.partner_user_link(
                partner=partner, user=world.user("partner"), actor=world.user(username)
            )
    assert not PartnerMembership.objects.exists()


def test_partner_user_unlink(world: World) -> None:
    partner = make_partner()
    membership = services.partner_user_link(partner=partner, user=world.user("partner"), actor=None)
    services.partner_user_unlink(membership=membership, actor=world.user("district"))
    assert not PartnerMembership.objects.exists()
    assert AuditEvent.objects.filter(action="partner.user_unlink").count() == 1


# -- MoUs -----------------------------------------------------------------------------------------


def test_mou_create_with_commitments_and_a_pdf_document(world: World) -> None:
    partner = make_partner()
    mou = services.mou_create(
        partner=partner,
        area=world.area(KEC),
        data=mou_data(" 001/PKS/2025 "),
        commitments=[
            CommitmentData("Pelatihan UPPKA", CommitmentMeasure.ACTIVITIES, 4),
            CommitmentData("Peserta", CommitmentMeasure.PEOPLE_REACHED, 100),
        ],
        document=SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf"),
        actor=world.user("district"),
    )
    assert mou.number == "001/PKS/2025"
    assert mou.area_id == KEC
    assert str(mou.document.name).endswith(".pdf")
    assert mou.document.read() == PDF
    assert [(c.measure, c.target) for c in mou.commitments.order_by("id")] == [
        ("activities", 4),
        ("people_reached", 100),
    ]
    assert AuditEvent.objects.filter(action="mou.create").count() == 1
    assert AuditEvent.objects.filter(action="mou.commitment_add").count() == 2


def test_mou_create_collects_every_date_and_number_problem_and_writes_nothing(
    world: World,
) -> None:
    partner = make_partner()
    make_mou(partner, "A-1")
    before = counts()
    data = MouData(
        number="a-1",
        title="T",
        parties="P",
        signed_on=dt.date(2025, 7, 1),
        valid_from=dt.date(2025, 6, 1),
        valid_until=dt.date(2025, 5, 31),
    )
    with pytest.raises(ValidationError) as caught:
        services.mou_create(
            partner=partner,
            area=world.area(KAB),
            data=data,
            commitments=[CommitmentData("x", CommitmentMeasure.ACTIVITIES, 1)],
            actor=world.user("district"),
        )
    assert codes(caught.value) == {
        "valid_until": ["mou.dates_order"],
        "signed_on": ["mou.signed_after_end"],
        "number": ["mou.number_taken"],
    }
    assert counts() == before


def test_mou_may_take_effect_before_it_is_signed_but_not_be_signed_in_the_future(
    world: World,
) -> None:
    partner = make_partner()
    today = timezone.localdate()
    backdated = services.mou_create(
        partner=partner,
        area=world.area(KAB),
        data=mou_data(
            "B-1",
            signed_on=today,
            valid_from=today - dt.timedelta(days=30),
            valid_until=today + dt.timedelta(days=300),
        ),
        actor=world.user("district"),
    )
    assert backdated.signed_on == today
    with pytest.raises(ValidationError) as caught:
        services.mou_create(
            partner=partner,
            area=world.area(KAB),
            data=mou_data(
                "B-2",
                signed_on=today + dt.timedelta(days=1),
                valid_from=today,
                valid_until=today + dt.timedelta(days=300),
            ),
            actor=world.user("district"),
        )
    assert codes(caught.value) == {"signed_on": ["mou.signed_in_future"]}


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("scan.pdf", b"MZ\x90\x00 not a pdf", "mou.document_type"),
        ("photo.png", b"GIF89a....", "mou.document_type"),
        ("scan.pdf", b"%PDF-" + b"0" * MAX_DOCUMENT_BYTES, "mou.document_size"),
    ],
)
def test_mou_document_is_checked_by_content_and_size(
    world: World, name: str, content: bytes, code: str
) -> None:
    partner = make_partner()
    before = counts()
    with pytest.raises(ValidationError) as caught:
        services.mou_create(
            partner=partner,
            area=world.area(KAB),
            data=mou_data(),
            document=SimpleUploadedFile(name, content),
            actor=world.user("district"),
        )
    assert codes(caught.value) == {"document": [code]}
    assert counts() == before


def test_mou_document_png_renamed_pdf_is_stored_as_png(world: World) -> None:
    mou = services.mou_create(
        partner=make_partner(),
        area=world.area(KAB),
        data=mou_data(),
        document=SimpleUploadedFile("scan.pdf", PNG),
        actor=world.user("district"),
    )
    assert str(mou.document.name).endswith(".png")


def test_mou_create_for_a_partner_the_actor_does_not_see_is_not_found(world: World) -> None:
    partner = make_partner(area=OTHER_KAB)
    with pytest.raises(Http404):
        services.mou_create(
            partner=partner, area=world.area(KAB), data=mou_data(), actor=world.user("district")
        )
    assert not Mou.objects.exists()


def test_mou_create_in_an_area_outside_the_actors_is_not_found(world: World) -> None:
    partner = make_partner(served=[VILLAGE])
    with pytest.raises(Http404):
        services.mou_create(
            partner=partner, area=world.area(KAB), data=mou_data(), actor=world.user("pkb")
        )
    mou = services.mou_create(
        partner=partner, area=world.area(VILLAGE), data=mou_data(), actor=world.user("pkb")
    )
    assert mou.area_id == VILLAGE


def test_mou_create_for_an_inactive_partner_is_refused(world: World) -> None:
    partner = make_partner()
    services.partner_deactivate(partner=partner, actor=None)
    with pytest.raises(ValidationError) as caught:
        services.mou_create(
            partner=partner, area=world.area(KAB), data=mou_data(), actor=world.user("district")
        )
    assert caught.value.error_list[0].code == "mou.partner_inactive"
    assert not Mou.objects.exists()


def test_mou_update_with_a_new_end_date_clears_the_alerts_sent(world: World) -> None:
    mou = make_mou(make_partner())
    MouAlert.objects.create(mou=mou, threshold=60, sent_on=dt.date(2025, 11, 1))
    services.mou_update(mou=mou, data=mou_data(valid_until=dt.date(2025, 12, 31)), actor=None)
    assert MouAlert.objects.count() == 1
    services.mou_update(
        mou=mou, data=mou_data(valid_until=dt.date(2026, 6, 30)), actor=world.user("district")
    )
    mou.refresh_from_db()
    assert mou.valid_until == dt.date(2026, 6, 30)
    assert MouAlert.objects.count() == 0
    event = AuditEvent.objects.filter(action="mou.update").latest("id")
    assert event.before == {"valid_until": "2025-12-31"}
    assert event.after == {"valid_until": "2026-06-30"}


def test_mou_update_by_another_district_is_not_found(world: World) -> None:
    mou = make_mou(make_partner())
    with pytest.raises(Http404):
        services.mou_update(mou=mou, data=mou_data("NEW"), actor=world.user("other_district"))
    mou.refresh_from_db()
    assert mou.number == "001/MoU/2025"


def test_mou_renew_copies_commitments_and_keeps_the_old_one(world: World) -> None:
    old = make_mou(make_partner(), commitments=[("activities", 4), ("value", 5_000_000)])
    new = services.mou_renew(
        mou=old,
        data=mou_data(
            "002/MoU/2026",
            signed_on=dt.date(2025, 12, 20),
            valid_from=dt.date(2026, 1, 1),
            valid_until=dt.date(2026, 12, 31),
        ),
        actor=world.user("district"),
    )
    assert new.renews == old
    assert (new.partner_id, new.area_id) == (old.partner_id, old.area_id)
    assert [(c.measure, c.target) for c in new.commitments.order_by("id")] == [
        ("activities", 4),
        ("value", 5_000_000),
    ]
    old.refresh_from_db()
    assert (old.number, old.valid_until) == ("001/MoU/2025", dt.date(2025, 12, 31))
    assert old.commitments.count() == 2
    assert AuditEvent.objects.filter(action="mou.renew", object_id=str(new.pk)).count() == 1


def test_mou_renew_without_copying_takes_the_new_commitments(world: World) -> None:
    old = make_mou(make_partner(), commitments=[("activities", 4)])
    new = services.mou_renew(
        mou=old,
        data=mou_data("002", valid_from=dt.date(2026, 1, 1), valid_until=dt.date(2026, 12, 31)),
        copy_commitments=False,
        commitments=[CommitmentData("Desa binaan", CommitmentMeasure.VILLAGES, 5)],
        actor=None,
    )
    assert [(c.measure, c.target) for c in new.commitments.all()] == [("villages", 5)]


def test_mou_renew_refuses_an_mou_already_renewed_and_an_earlier_end(world: World) -> None:
    old = make_mou(make_partner())
    later = mou_data("002", valid_from=dt.date(2026, 1, 1), valid_until=dt.date(2026, 12, 31))
    services.mou_renew(mou=old, data=later, actor=None)
    before = counts()
    with pytest.raises(ValidationError) as caught:
        services.mou_renew(
            mou=old, data=mou_data("003", valid_until=dt.date(2027, 12, 31)), actor=None
        )
    assert caught.value.error_list[0].code == "mou.already_renewed"
    other = make_mou(old.partner, "010")
    before = counts()
    with pytest.raises(ValidationError) as caught:
        services.mou_renew(mou=other, data=mou_data("011"), actor=None)
    assert codes(caught.value) == {"valid_until": ["mou.renewal_not_later"]}
    assert counts() == before


def test_mou_renew_by_a_viewer_is_not_found(world: World) -> None:
    old = make_mou(make_partner())
    with pytest.raises(Http404):
        services.mou_renew(
            mou=old,
            data=mou_data("002", valid_until=dt.date(2026, 12, 31)),
            actor=world.user("viewer"),
        )
    assert Mou.objects.count() == 1


# -- commitments ----------------------------------------------------------------------------------


def test_commitment_add_update_remove(world: World) -> None:
    mou = make_mou(make_partner())
    actor = world.user("district")
    commitment = services.commitment_add(
        mou=mou, data=CommitmentData("Pelatihan", CommitmentMeasure.ACTIVITIES, 3), actor=actor
    )
    services.commitment_update(
        commitment=commitment,
        data=CommitmentData("Pelatihan kader", CommitmentMeasure.ACTIVITIES, 6),
        actor=actor,
    )
    commitment.refresh_from_db()
    assert (commitment.description, commitment.target) == ("Pelatihan kader", 6)
    services.commitment_remove(commitment=commitment, actor=actor)
    assert not Commitment.objects.exists()
    assert AuditEvent.objects.filter(action__startswith="mou.commitment").count() == 3


def test_commitment_target_must_be_more_than_zero(world: World) -> None:
    mou = make_mou(make_partner())
    with pytest.raises(ValidationError) as caught:
        services.commitment_add(
            mou=mou, data=CommitmentData("x", CommitmentMeasure.VALUE, 0), actor=None
        )
    assert codes(caught.value) == {"target": ["commitment.target_zero"]}
    assert not Commitment.objects.exists()


def test_commitment_add_by_a_cadre_is_not_found(world: World) -> None:
    mou = make_mou(make_partner(), area=VILLAGE)
    with pytest.raises(Http404):
        services.commitment_add(
            mou=mou, data=CommitmentData("x", CommitmentMeasure.VALUE, 1), actor=world.user("cadre")
        )
    assert not Commitment.objects.exists()


def test_problems_read_in_both_languages() -> None:
    from kampungkb.partners.errors import MouProblem

    assert MouProblem.ALREADY_RENEWED.text("id", number="A", renewal="B") == (
        "MoU A sudah diperpanjang dengan MoU B."
    )
    assert MouProblem.ALREADY_RENEWED.text("en", number="A", renewal="B") == (
        "The MoU A has already been renewed by the MoU B."
    )


def test_partner_role_user_created_for_linking(world: World) -> None:
    user = user_create(
        username="mitra2",
        password="x-very-long-pass-123",
        full_name="Mitra Dua",
        role=Role.PARTNER,
        areas=[],
    )
    assert User.objects.get(username="mitra2").assignments.get().role == Role.PARTNER
    membership = services.partner_user_link(partner=make_partner(), user=user, actor=None)
    assert membership.user == user
