"""The activities services: every rule, and nothing written when a write is refused."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone

from kampungkb.activities import services
from kampungkb.activities.models import (
    Activity,
    ActivityKind,
    ActivityPartner,
    ActivityPhoto,
    Attendance,
    AttendanceCount,
    Contribution,
    PartnerContribution,
    Poktan,
    PoktanMember,
)
from kampungkb.activities.services import PartnerContributionData
from kampungkb.activities.tests.conftest import HELD_ON, activity_data, person, png
from kampungkb.core.models import AuditEvent
from kampungkb.families import services as family_services
from kampungkb.partners.models import Partner, PartnerKind
from kampungkb.testing.world import (
    KAB,
    KEC,
    OTHER_VILLAGE,
    RT,
    RT_2,
    VILLAGE,
    VILLAGE_2,
    World,
)


def state() -> tuple[Any, ...]:
    """Every row the app writes and the number of audit events: equal before and after a
    refused write."""
    return (
        list(Activity.objects.order_by("pk").values()),
        list(Attendance.objects.order_by("pk").values()),
        list(AttendanceCount.objects.order_by("pk").values()),
        list(Contribution.objects.order_by("pk").values()),
        list(ActivityPartner.objects.order_by("pk").values()),
        list(PartnerContribution.objects.order_by("pk").values()),
        list(ActivityPhoto.objects.order_by("pk").values()),
        list(Poktan.objects.order_by("pk").values()),
        list(PoktanMember.objects.order_by("pk").values()),
        AuditEvent.objects.count(),
    )


def refused(write: Callable[[], Any], code: str, field: str | None = None) -> None:
    before = state()
    with pytest.raises(ValidationError) as info:
        write()
    error = info.value
    if field is not None:
        assert [e.code for e in error.error_dict[field]] == [code]
    else:
        assert [e.code for e in error.error_list] == [code]
    assert state() == before


def not_found(write: Callable[[], Any]) -> None:
    before = state()
    with pytest.raises(Http404):
        write()
    assert state() == before


# -- Activities -----------------------------------------------------------------------------------


def test_activity_create_stores_fields_recorder_and_audit(world: World) -> None:
    cadre = world.user("cadre")
    activity = services.activity_create(
        data=activity_data(
            area=world.area(RT),
            target_groups=["pus", "men", "pus"],
            funding_source="dana_desa",
            funding_amount=1_250_000,
        ),
        actor=cadre,
    )
    stored = Activity.objects.get(pk=activity.pk)
    assert stored.title == "Penyuluhan KB pria"
    assert stored.area_id == RT
    assert stored.target_groups == ["pus", "men"]  # the order of the choices, once each
    assert stored.recorded_by == cadre
    assert stored.funding_amount == 1_250_000
    event = AuditEvent.objects.get(action="activity.create")
    assert (event.actor, event.object_id, event.area_code) == (cadre, str(activity.pk), RT)


def test_activity_create_refuses_a_future_date(world: World) -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    refused(
        lambda: services.activity_create(
            data=activity_data(area=world.area(VILLAGE), held_on=tomorrow), actor=None
        ),
        "activity.date_in_future",
        "held_on",
    )


def test_activity_create_refuses_an_area_outside_the_actor_scope(world: World) -> None:
    refused(
        lambda: services.activity_create(
            data=activity_data(area=world.area(VILLAGE_2)), actor=world.user("cadre")
        ),
        "activity.area_not_found",
        "area",
    )


def test_activity_create_refuses_a_kabupaten_as_place(world: World) -> None:
    refused(
        lambda: services.activity_create(data=activity_data(area=world.area(KAB)), actor=None),
        "activity.area_level",
        "area",
    )


def test_activity_create_refuses_unknown_target_group(world: World) -> None:
    refused(
        lambda: services.activity_create(
            data=activity_data(area=world.area(VILLAGE), target_groups=["aliens"]), actor=None
        ),
        "activity.target_group_unknown",
        "target_groups",
    )


def test_activity_create_refuses_money_without_a_source(world: World) -> None:
    refused(
        lambda: services.activity_create(
            data=activity_data(area=world.area(VILLAGE), funding_amount=500_000), actor=None
        ),
        "activity.funding_without_source",
        "funding_source",
    )


def test_activity_create_refuses_an_unknown_kind(world: World) -> None:
    before = state()
    with pytest.raises(ValidationError) as info:
        services.activity_create(
            data=activity_data(area=world.area(VILLAGE), kind="party"), actor=None
        )
    assert "kind" in info.value.error_dict
    assert state() == before


def test_poktan_session_takes_the_poktan_area(world: World, poktan: Poktan) -> None:
    session = services.activity_create(
        data=services.poktan_session_data(poktan, held_on=HELD_ON), actor=world.user("cadre")
    )
    assert (session.kind, session.poktan, session.area_id) == (
        ActivityKind.POKTAN_SESSION,
        poktan,
        RT,
    )
    assert session.title == "BKB Melati 03/2025"
    assert session.family_function == "education"


def test_poktan_session_may_be_held_elsewhere_in_the_village(world: World, poktan: Poktan) -> None:
    data = services.poktan_session_data(poktan, held_on=HELD_ON, area=world.area(RT_2))
    assert services.activity_create(data=data, actor=None).area_id == RT_2


def test_poktan_session_refuses_a_poktan_of_another_village(world: World, poktan: Poktan) -> None:
    data = services.poktan_session_data(poktan, held_on=HELD_ON, area=world.area(VILLAGE_2))
    refused(
        lambda: services.activity_create(data=data, actor=None),
        "activity.poktan_other_village",
        "poktan",
    )


def test_poktan_session_needs_its_poktan(world: World) -> None:
    refused(
        lambda: services.activity_create(
            data=activity_data(area=world.area(VILLAGE), kind=ActivityKind.POKTAN_SESSION),
            actor=None,
        ),
        "activity.poktan_required",
        "poktan",
    )


def test_poktan_only_on_sessions(world: World, poktan: Poktan) -> None:
    refused(
        lambda: services.activity_create(
            data=activity_data(area=world.area(VILLAGE), poktan=poktan), actor=None
        ),
        "activity.poktan_only_for_sessions",
        "poktan",
    )


def test_poktan_session_refuses_an_inactive_poktan(world: World, poktan: Poktan) -> None:
    services.poktan_deactivate(poktan=poktan, actor=None)
    refused(
        lambda: services.activity_create(
            data=services.poktan_session_data(poktan, held_on=HELD_ON), actor=None
        ),
        "activity.poktan_inactive",
        "poktan",
    )


def test_activity_update_audits_the_change(world: World, activity: Activity) -> None:
    services.activity_update(
        activity=activity,
        data=activity_data(area=world.area(VILLAGE), title="Penyuluhan KB pria (2)"),
        actor=world.user("pkb"),
    )
    event = AuditEvent.objects.get(action="activity.update")
    assert event.before == {"title": "Penyuluhan KB pria"}
    assert event.after == {"title": "Penyuluhan KB pria (2)"}


def test_activity_update_out_of_scope_is_not_found(world: World, activity: Activity) -> None:
    not_found(
        lambda: services.activity_update(
            activity=activity,
            data=activity_data(area=world.area(VILLAGE)),
            actor=world.user("other_district"),
        )
    )


def test_activity_partners_are_synchronised(
    world: World, activity: Activity, partner: Partner
) -> None:
    pkk = Partner.objects.create(name="PKK Kota Bangun", kind=PartnerKind.PKK, area=world.area(KEC))
    data = activity_data(area=world.area(VILLAGE))
    services.activity_partner_set(
        activity=activity,
        partner=partner,
        role="Narasumber",
        contributions=[PartnerContributionData(kind="trainers_time", value=300_000)],
        actor=None,
    )
    services.activity_update(activity=activity, data=data, partners=[partner, pkk], actor=None)
    link = activity.partner_links.get(partner=partner)
    assert (link.role, link.contributions.count()) == ("Narasumber", 1)  # kept as it was
    services.activity_update(activity=activity, data=data, partners=[pkk], actor=None)
    assert list(activity.partners.all()) == [pkk]
    assert PartnerContribution.objects.count() == 0


def test_activity_delete_by_a_cadre_who_did_not_record_it_is_refused(
    world: World, activity_2: Activity
) -> None:
    pkb_activity = services.activity_create(
        data=activity_data(area=world.area(VILLAGE)), actor=world.user("pkb")
    )
    refused(
        lambda: services.activity_delete(activity=pkb_activity, actor=world.user("cadre")),
        "activity.not_allowed_to_delete",
    )


@pytest.mark.parametrize("username", ["cadre", "pkb", "district", "admin"])
def test_activity_delete_by_recorder_or_officer(
    world: World, activity: Activity, username: str, media: Any
) -> None:
    services.attendance_set(activity=activity, add=[person("Sutrisno").pk], actor=None)
    photo = services.photo_add(
        activity=activity, image=SimpleUploadedFile("a.png", png()), actor=None
    )
    path = photo.image.path
    pk = activity.pk
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        services.activity_delete(activity=activity, actor=world.user(username))
    assert not Activity.objects.filter(pk=pk).exists()
    assert Attendance.objects.count() == 0
    event = AuditEvent.objects.get(action="activity.delete")
    assert event.before["title"] == "Penyuluhan KB pria"
    import os

    assert not os.path.exists(path)


def test_activity_delete_out_of_scope_is_not_found(world: World, activity: Activity) -> None:
    not_found(lambda: services.activity_delete(activity=activity, actor=world.user("other_cadre")))


# -- Attendance -----------------------------------------------------------------------------------


def test_attendance_set_adds_and_removes_in_one_call(world: World, activity: Activity) -> None:
    sutrisno, siti, rahma = person("Sutrisno"), person("Siti Aminah"), person("Rahmawati")
    cadre = world.user("cadre")
    change = services.attendance_set(activity=activity, add=[sutrisno.pk, siti.pk], actor=cadre)
    assert (change.added, change.removed) == (sorted([sutrisno.pk, siti.pk]), [])
    change = services.attendance_set(
        activity=activity, add=[rahma.pk], remove=[siti.pk], actor=cadre
    )
    assert (change.added, change.removed) == ([rahma.pk], [siti.pk])
    assert set(activity.attendances.values_list("person_id", flat=True)) == {
        sutrisno.pk,
        rahma.pk,
    }
    assert AuditEvent.objects.filter(action="activity.attendance").count() == 2


def test_attendance_set_is_idempotent(world: World, activity: Activity) -> None:
    siti = person("Siti Aminah")
    services.attendance_set(activity=activity, add=[siti.pk], actor=None)
    before = state()
    change = services.attendance_set(
        activity=activity, add=[siti.pk], remove=[person("Sutrisno").pk], actor=None
    )
    assert (change.added, change.removed) == ([], [])
    assert state() == before


def test_attendance_set_refuses_a_person_outside_the_actor_scope(
    world: World, activity: Activity
) -> None:
    ahmad, siti = person("Lalu Ahmad"), person("Siti Aminah")
    refused(
        lambda: services.attendance_set(
            activity=activity, add=[siti.pk, ahmad.pk], actor=world.user("cadre")
        ),
        "activity.person_not_found",
        "persons",
    )


def test_attendance_set_refuses_a_person_of_another_rt_for_an_rt_cadre(world: World) -> None:
    activity = services.activity_create(
        data=activity_data(area=world.area(RT)), actor=world.user("cadre_rt")
    )
    refused(
        lambda: services.attendance_set(
            activity=activity, add=[person("Rahmawati").pk], actor=world.user("cadre_rt")
        ),
        "activity.person_not_found",
        "persons",
    )


def test_attendance_set_refuses_a_deceased_person(world: World, activity: Activity) -> None:
    rahma = person("Rahmawati")
    family_services.person_record_death(person=rahma, died_on=dt.date(2024, 1, 1), actor=None)
    refused(
        lambda: services.attendance_set(activity=activity, add=[rahma.pk], actor=None),
        "activity.person_not_living",
        "persons",
    )


def test_attendance_set_out_of_scope_activity_is_not_found(
    world: World, other_activity: Activity
) -> None:
    not_found(
        lambda: services.attendance_set(
            activity=other_activity, add=[person("Sutrisno").pk], actor=world.user("district")
        )
    )


def test_attendance_counts_set_replaces_the_grid(world: World, activity: Activity) -> None:
    services.attendance_counts_set(
        activity=activity, counts={("M", "25-49"): 12, ("F", "15-24"): 7}, actor=None
    )
    services.attendance_counts_set(
        activity=activity,
        counts={("M", "25-49"): 10, ("F", "15-24"): 0, ("F", "50+"): 3},
        actor=world.user("cadre"),
    )
    assert sorted(activity.counts.values_list("sex", "age_group", "count")) == [
        ("F", "50+", 3),
        ("M", "25-49", 10),
    ]
    event = AuditEvent.objects.filter(action="activity.counts").latest("pk")
    assert event.before == {"F:15-24": 7, "F:50+": 0, "M:25-49": 12}
    assert event.after == {"F:15-24": 0, "F:50+": 3, "M:25-49": 10}


def test_attendance_counts_refuse_a_count_below_zero(world: World, activity: Activity) -> None:
    services.attendance_counts_set(activity=activity, counts={("M", "25-49"): 12}, actor=None)
    refused(
        lambda: services.attendance_counts_set(
            activity=activity, counts={("M", "25-49"): 4, ("F", "15-24"): -1}, actor=None
        ),
        "activity.count_negative",
        "counts",
    )


def test_attendance_counts_refuse_an_unknown_group(world: World, activity: Activity) -> None:
    refused(
        lambda: services.attendance_counts_set(
            activity=activity, counts={("X", "25-49"): 4}, actor=None
        ),
        "activity.count_group_unknown",
        "counts",
    )


# -- Contributions --------------------------------------------------------------------------------


def test_contribution_by_a_named_attendee_and_a_described_one(
    world: World, activity: Activity
) -> None:
    siti = person("Siti Aminah")
    services.attendance_set(activity=activity, add=[siti.pk], actor=None)
    named = services.contribution_add(
        activity=activity, kind="goods", person=siti, description="Snacks", actor=None
    )
    described = services.contribution_add(
        activity=activity,
        kind="money",
        contributor="Ketua RT 01",
        value=150_000,
        actor=world.user("cadre"),
    )
    assert (named.person, named.contributor, named.value) == (siti, "", None)
    assert (described.person, described.contributor, described.value) == (
        None,
        "Ketua RT 01",
        150_000,
    )
    services.contribution_remove(contribution=named, actor=world.user("cadre"))
    assert list(activity.contributions.all()) == [described]
    assert AuditEvent.objects.filter(action__startswith="activity.contribution").count() == 3


def test_contribution_refuses_a_person_who_did_not_attend(world: World, activity: Activity) -> None:
    refused(
        lambda: services.contribution_add(
            activity=activity, kind="time", person=person("Sutrisno"), actor=None
        ),
        "activity.contributor_not_attendee",
        "person",
    )


def test_contribution_needs_a_contributor(world: World, activity: Activity) -> None:
    refused(
        lambda: services.contribution_add(activity=activity, kind="ideas", actor=None),
        "activity.contributor_required",
        "contributor",
    )


def test_contribution_of_money_needs_its_value(world: World, activity: Activity) -> None:
    refused(
        lambda: services.contribution_add(
            activity=activity, kind="money", contributor="Warga", actor=None
        ),
        "activity.money_needs_value",
        "value",
    )


def test_contribution_refuses_a_negative_value(world: World, activity: Activity) -> None:
    refused(
        lambda: services.contribution_add(
            activity=activity, kind="goods", contributor="Warga", value=-5, actor=None
        ),
        "activity.value_not_positive",
        "value",
    )


# -- Partners -------------------------------------------------------------------------------------


def test_partner_set_records_role_and_contributions_then_replaces_them(
    world: World, activity: Activity, partner: Partner
) -> None:
    cadre = world.user("cadre")
    services.activity_partner_set(
        activity=activity,
        partner=partner,
        role="Narasumber",
        contributions=[
            PartnerContributionData(kind="trainers_time", value=500_000, description="2 ustadzah"),
            PartnerContributionData(kind="goods", value=250_000),
        ],
        actor=cadre,
    )
    services.activity_partner_set(
        activity=activity,
        partner=partner,
        role="Penyelenggara",
        contributions=[PartnerContributionData(kind="money", value=1_000_000)],
        actor=cadre,
    )
    link = ActivityPartner.objects.get()
    assert link.role == "Penyelenggara"
    assert list(link.contributions.values_list("kind", "value")) == [("money", 1_000_000)]
    event = AuditEvent.objects.filter(action="activity.partner_set").latest("pk")
    assert event.before["contributions"] == [
        ["trainers_time", 500_000, "2 ustadzah"],
        ["goods", 250_000, ""],
    ]
    services.activity_partner_remove(activity=activity, partner=partner, actor=cadre)
    assert ActivityPartner.objects.count() == PartnerContribution.objects.count() == 0


def test_partner_set_refuses_a_partner_of_another_kabupaten(
    world: World, activity: Activity, other_partner: Partner
) -> None:
    refused(
        lambda: services.activity_partner_set(
            activity=activity, partner=other_partner, actor=world.user("cadre")
        ),
        "activity.partner_not_found",
        "partner",
    )


def test_partner_serving_the_village_is_visible(
    world: World, activity: Activity, other_partner: Partner
) -> None:
    other_partner.areas_served.add(world.area(KAB))
    link = services.activity_partner_set(
        activity=activity, partner=other_partner, actor=world.user("cadre")
    )
    assert link.partner == other_partner


def test_partner_set_refuses_an_inactive_partner(
    world: World, activity: Activity, partner: Partner
) -> None:
    Partner.objects.filter(pk=partner.pk).update(is_active=False)
    partner.refresh_from_db()
    refused(
        lambda: services.activity_partner_set(activity=activity, partner=partner, actor=None),
        "activity.partner_inactive",
        "partner",
    )


def test_partner_set_refuses_a_contribution_without_value(
    world: World, activity: Activity, partner: Partner
) -> None:
    refused(
        lambda: services.activity_partner_set(
            activity=activity,
            partner=partner,
            contributions=[PartnerContributionData(kind="money", value=0)],
            actor=None,
        ),
        "activity.value_not_positive",
        "contributions",
    )


# -- Photos ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("image_format", "extension"), [("PNG", "png"), ("JPEG", "jpg"), ("WEBP", "webp")]
)
def test_photo_add_stores_the_image_under_a_random_name(
    world: World, activity: Activity, image_format: str, extension: str
) -> None:
    upload = SimpleUploadedFile("Siti Aminah.bin", png(image_format=image_format))
    photo = services.photo_add(activity=activity, image=upload, caption="Sesi 1", actor=None)
    name = str(photo.image.name)
    assert name.startswith("activities/")
    assert name.endswith(f".{extension}")
    assert "Siti" not in name
    assert photo.image.read() == png(image_format=image_format)


def test_photo_add_refuses_what_is_not_an_image(world: World, activity: Activity) -> None:
    refused(
        lambda: services.photo_add(
            activity=activity, image=SimpleUploadedFile("a.jpg", b"not an image"), actor=None
        ),
        "activity.photo_not_image",
        "image",
    )


def test_photo_add_refuses_a_gif(world: World, activity: Activity) -> None:
    refused(
        lambda: services.photo_add(
            activity=activity,
            image=SimpleUploadedFile("a.gif", png(image_format="GIF")),
            actor=None,
        ),
        "activity.photo_not_image",
        "image",
    )


def test_photo_add_refuses_more_than_5_mb(world: World, activity: Activity) -> None:
    big = SimpleUploadedFile("a.png", png() + b"\0" * (5 * 1024 * 1024))
    refused(
        lambda: services.photo_add(activity=activity, image=big, actor=None),
        "activity.photo_too_large",
        "image",
    )


# -- Poktan ---------------------------------------------------------------------------------------


def test_poktan_create_update_deactivate(world: World) -> None:
    cadre = world.user("cadre")
    poktan = services.poktan_create(
        kind="bkr", name="BKR Mawar", area=world.area(VILLAGE), actor=cadre
    )
    services.poktan_update(
        poktan=poktan, kind="bkr", name="BKR Mawar Indah", established_on=HELD_ON, actor=cadre
    )
    services.poktan_deactivate(poktan=poktan, actor=cadre)
    poktan.refresh_from_db()
    assert (poktan.name, poktan.established_on, poktan.is_active) == (
        "BKR Mawar Indah",
        HELD_ON,
        False,
    )
    actions = list(
        AuditEvent.objects.filter(action__startswith="poktan.").values_list("action", flat=True)
    )
    assert sorted(actions) == ["poktan.create", "poktan.deactivate", "poktan.update"]


def test_poktan_create_refuses_a_taken_name(world: World, poktan: Poktan) -> None:
    refused(
        lambda: services.poktan_create(
            kind="bkl", name="bkb melati", area=world.area(RT), actor=None
        ),
        "activity.poktan_name_taken",
        "name",
    )


def test_poktan_create_refuses_a_kecamatan(world: World) -> None:
    refused(
        lambda: services.poktan_create(kind="bkl", name="BKL", area=world.area(KEC), actor=None),
        "activity.poktan_area_level",
        "area",
    )


def test_poktan_create_refuses_an_area_out_of_scope(world: World) -> None:
    refused(
        lambda: services.poktan_create(
            kind="bkl", name="BKL", area=world.area(OTHER_VILLAGE), actor=world.user("cadre")
        ),
        "activity.area_not_found",
        "area",
    )


def test_poktan_member_add_and_end(world: World, poktan: Poktan) -> None:
    rahma = person("Rahmawati")  # RT 002: same village as the poktan's RT 001
    member = services.poktan_member_add(
        poktan=poktan, person=rahma, joined_on=dt.date(2024, 1, 5), actor=world.user("cadre")
    )
    services.poktan_member_end(member=member, left_on=dt.date(2025, 1, 5), actor=None)
    again = services.poktan_member_add(
        poktan=poktan, person=rahma, joined_on=dt.date(2025, 2, 1), actor=None
    )
    assert list(poktan.members.order_by("pk").values_list("left_on", flat=True)) == [
        dt.date(2025, 1, 5),
        None,
    ]
    assert again.left_on is None


def test_poktan_member_add_refuses_a_second_open_membership(world: World, poktan: Poktan) -> None:
    siti = person("Siti Aminah")
    services.poktan_member_add(poktan=poktan, person=siti, joined_on=HELD_ON, actor=None)
    refused(
        lambda: services.poktan_member_add(
            poktan=poktan, person=siti, joined_on=HELD_ON, actor=None
        ),
        "activity.already_member",
        "person",
    )


def test_poktan_member_add_refuses_a_person_of_another_village(
    world: World, poktan: Poktan
) -> None:
    refused(
        lambda: services.poktan_member_add(
            poktan=poktan, person=person("Lalu Ahmad"), joined_on=HELD_ON, actor=None
        ),
        "activity.member_other_village",
        "person",
    )


def test_poktan_member_end_refuses_a_date_before_joining(world: World, poktan: Poktan) -> None:
    member = services.poktan_member_add(
        poktan=poktan, person=person("Siti Aminah"), joined_on=HELD_ON, actor=None
    )
    refused(
        lambda: services.poktan_member_end(member=member, left_on=dt.date(2025, 1, 1), actor=None),
        "activity.left_before_joined",
        "left_on",
    )
