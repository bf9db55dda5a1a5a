"""The demo's partners, MoUs, poktan and activities (demo/programme.py)."""

from __future__ import annotations

import datetime as dt

from kampungkb.activities.models import (
    Activity,
    ActivityKind,
    ActivityPartner,
    Attendance,
    Poktan,
    PoktanMember,
)
from kampungkb.cadres.models import Cadre, CadreRole, KnowledgeTest, Meeting
from kampungkb.core.models import AuditEvent
from kampungkb.demo.programme import PANCOR, TUMBUH_MULIA
from kampungkb.demo.services import demo_reset, demo_seed
from kampungkb.families.models import Family
from kampungkb.kampung.models import Classification, KampungKb, ProfileVersion
from kampungkb.partners.models import Mou, Partner, PartnerKind, PartnerMembership

TODAY = dt.date(2025, 6, 30)


def test_seed_writes_partners_mous_poktan_and_a_year_of_activities(world):
    demo_seed(families=300, seed=7, today=TODAY)

    partners = {p.name: p for p in Partner.objects.all()}
    rkb = partners["Rumah Kreatif BUMN Lombok Timur"]
    mnw = partners["PD Muslimat NW Lombok Timur"]
    assert rkb.kind == PartnerKind.STATE_COMPANY
    assert list(rkb.areas_served.values_list("code", flat=True)) == [TUMBUH_MULIA]
    assert mnw.kind == PartnerKind.RELIGIOUS
    assert PartnerMembership.objects.get(user__username="mitra").partner == mnw

    # The creative house's MoU runs out in 45 days; the university's was renewed.
    assert Mou.objects.get(partner=rkb).valid_until == TODAY + dt.timedelta(days=45)
    renewal = Mou.objects.get(renews__isnull=False)
    assert renewal.partner.name == "Universitas Hamzanwadi"
    assert renewal.renews is not None
    assert renewal.renews.valid_until == renewal.valid_from

    trainings = Activity.objects.filter(
        area_id=TUMBUH_MULIA, kind=ActivityKind.TRAINING, partners=rkb
    )
    assert trainings.count() == 5
    assert {link.partner_id for link in ActivityPartner.objects.filter(activity__in=trainings)} == {
        rkb.pk
    }
    uppka = Poktan.objects.get(area_id=TUMBUH_MULIA, kind="uppka")
    members = set(PoktanMember.objects.filter(poktan=uppka).values_list("person_id", flat=True))
    for training in trainings:
        attended = set(
            Attendance.objects.filter(activity=training).values_list("person_id", flat=True)
        )
        assert attended == members
    counselling = Activity.objects.filter(area_id=PANCOR, partners=mnw)
    assert counselling.count() >= 12
    assert all(a.held_on <= TODAY for a in Activity.objects.all())
    # Only the demo's own families attend.
    demo_families = Family.objects.exclude(kk_number__in=["6402081203150001", "5203131005100002"])
    assert not Attendance.objects.exclude(person__family__in=demo_families).exists()


def test_seed_registers_three_kampung_kb_that_grow_over_the_year(world):
    demo_seed(families=300, seed=7, today=TODAY)

    kampung = KampungKb.objects.get(village_id=TUMBUH_MULIA)
    assert kampung.name == "Kampung KB Tumbuh Mulia"
    assert KampungKb.objects.count() == 3
    months = list(
        ProfileVersion.objects.filter(kampung=kampung, is_active=True)
        .order_by("month")
        .values_list("month", "pokja_trained", "has_rumah_dataku")
    )
    assert months == [
        (dt.date(2024, 7, 1), False, False),
        (dt.date(2025, 1, 1), False, False),
        (dt.date(2025, 6, 1), True, True),
    ]
    assert Classification.objects.filter(kampung=kampung, month=dt.date(2025, 6, 1)).exists()


def test_seed_registers_cadres_and_their_training_with_tests(world):
    demo_seed(families=300, seed=7, today=TODAY)

    ppkbd = Cadre.objects.get(role=CadreRole.PPKBD, area_id=TUMBUH_MULIA)
    assert ppkbd.person.sex == "F" and ppkbd.person.family.area_id.startswith(TUMBUH_MULIA)
    assert Cadre.objects.filter(role=CadreRole.PPKBD).count() == 3
    training = Activity.objects.get(kind=ActivityKind.TRAINING, title__startswith="Pelatihan kader")
    assert sorted(training.curriculum.values_list("topic", flat=True)) == [
        "counselling",
        "methods",
        "side_effects",
        "vasectomy",
    ]
    trained = Cadre.objects.filter(area__pk__startswith=TUMBUH_MULIA)
    assert set(training.attendances.values_list("person_id", flat=True)) == set(
        trained.values_list("person_id", flat=True)
    )
    tests = KnowledgeTest.objects.filter(training=training)
    assert tests.count() == 2 * trained.count()
    assert {t.question_count for t in tests} == {32}


def test_seed_records_last_and_this_months_cadre_meetings_with_a_carried_task(world):
    demo_seed(families=300, seed=7, today=TODAY)

    last, this = dt.date(2025, 5, 1), dt.date(2025, 6, 1)
    previous = Meeting.objects.get(village_id=TUMBUH_MULIA, month=last)
    current = Meeting.objects.get(village_id=TUMBUH_MULIA, month=this)
    assert previous.activity.attendances.exists()
    assert sorted(previous.action_items.values_list("status", flat=True)) == ["carried", "done"]
    carried = current.action_items.get()
    assert carried.status == "open"
    assert carried.carried_from is not None and carried.carried_from.meeting == previous
    # No generic cadre-meeting activity doubles the meetings of those two months.
    assert not Activity.objects.filter(
        area_id=TUMBUH_MULIA,
        kind=ActivityKind.CADRE_MEETING,
        held_on__gte=last,
        cadre_meeting__isnull=True,
    ).exists()


def test_reset_removes_the_programme_rows(world):
    demo_seed(families=120, seed=7, today=TODAY)
    assert Activity.objects.exists()
    demo_reset()
    assert not Activity.objects.exists()
    assert not Poktan.objects.exists()
    assert not Mou.objects.exists()
    assert not Partner.objects.exists()
    assert not KampungKb.objects.exists()
    assert not Cadre.objects.exists()
    assert not Meeting.objects.exists()
    assert not AuditEvent.objects.filter(
        object_type__in=["cadres.cadre", "kampung.kampungkb", "kampung.profileversion"]
    ).exists()
