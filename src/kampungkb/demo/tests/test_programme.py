"""The demo's partners, MoUs, poktan and activities (demo/programme.py)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from kampungkb.accounts.models import User
from kampungkb.activities.models import (
    Activity,
    ActivityKind,
    ActivityPartner,
    ActivityStatus,
    Attendance,
    Poktan,
    PoktanMember,
)
from kampungkb.cadres.incentives_selectors import totals
from kampungkb.cadres.incentives_services import batch_compute
from kampungkb.cadres.models import (
    Cadre,
    CadreRole,
    IncentiveBatch,
    IncentiveEvent,
    IncentiveLine,
    IncentiveRule,
    KnowledgeTest,
    Meeting,
)
from kampungkb.contraception.models import Barrier, Episode, FollowUp
from kampungkb.core.models import AuditEvent
from kampungkb.core.periods import month_end
from kampungkb.demo.incentives import DASAN_BOROK, TUMBUH_MULIA
from kampungkb.demo.programme import KOTA_BANGUN_ULU, PANCOR, ProgrammeIds
from kampungkb.demo.selectors import SEED_ACTION
from kampungkb.demo.services import demo_reset, demo_seed
from kampungkb.families.models import Family
from kampungkb.kampung.models import Classification, KampungKb, ProfileVersion
from kampungkb.partners.models import Mou, Partner, PartnerKind, PartnerMembership
from kampungkb.regions.models import Area

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
    assert all(a.held_on <= TODAY for a in Activity.objects.held())
    # The plans (one overdue) and a cancelled one, decision 0033.
    plans = Activity.objects.exclude(status=ActivityStatus.HELD).order_by("held_on")
    assert [(a.status, a.held_on, a.plan_reason) for a in plans] == [
        ("cancelled", TODAY - dt.timedelta(days=12), "barrier:husband_objects"),
        ("planned", TODAY - dt.timedelta(days=5), "barrier:side_effects"),
        ("planned", TODAY + dt.timedelta(days=10), "barrier:husband_objects"),
        ("planned", TODAY + dt.timedelta(days=20), "barrier:religious_belief"),
    ]
    assert not Attendance.objects.filter(activity__in=plans).exists()
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
    # The three villages' PPKBD, and Dasan Borok's (for the incentive cycle).
    assert sorted(
        Cadre.objects.filter(role=CadreRole.PPKBD).values_list("area_id", flat=True)
    ) == sorted([TUMBUH_MULIA, PANCOR, KOTA_BANGUN_ULU, DASAN_BOROK])
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


def test_seed_runs_one_monthly_incentive_cycle(world):
    demo_seed(families=300, seed=7, today=TODAY)

    kader, dinas = User.objects.get(username="kader"), User.objects.get(username="dinas")
    # The test world's `pkb` works in Kutai Kartanegara: the admin is the maker here.
    maker = world.user("admin")
    ppkbd = Cadre.objects.get(role=CadreRole.PPKBD, area_id=TUMBUH_MULIA)
    assert ppkbd.account == kader
    rule = IncentiveRule.objects.get()
    assert (rule.area_id, rule.role, rule.valid_from) == ("52.03", "", dt.date(2024, 6, 1))
    assert (rule.base_honorarium, rule.per_home_visit, rule.per_referral) == (
        150_000,
        10_000,
        25_000,
    )

    # Home visits with the cadre's login, last month and this: most verified by the maker.
    may, june = dt.date(2025, 5, 1), dt.date(2025, 6, 1)
    visits = FollowUp.objects.filter(recorded_by=kader)
    counts = {
        (month, verification): visits.filter(
            done_on__gte=month, done_on__lte=month_end(month), verification=verification
        ).count()
        for month in (may, june)
        for verification in ("verified", "pending", "rejected")
    }
    # The small seed has eight PUS in Tumbuh Mulia: one referred, seven visited in May.
    assert counts == {
        (may, "verified"): 6,  # five home visits and the referral
        (may, "pending"): 1,
        (may, "rejected"): 1,
        (june, "verified"): 3,
        (june, "pending"): 2,
        (june, "rejected"): 0,
    }
    assert set(visits.exclude(verified_by=None).values_list("verified_by", flat=True)) == {maker.pk}
    assert all(v.couple.wife.family.area_id.startswith(TUMBUH_MULIA) for v in visits)
    referral = visits.get(outcome="referred")
    new_use = Episode.objects.get(couple=referral.couple)
    assert new_use.is_new_user and new_use.method_id == "SUNTIK3"
    assert new_use.started_on == referral.done_on + dt.timedelta(days=5)

    # Last month of Tumbuh Mulia: proposed, approved and paid; its PPKBD earned the base, five
    # verified visits and the referral's, the referral and the training of 1 May.
    paid = IncentiveBatch.objects.get(village_id=TUMBUH_MULIA, month=may)
    assert (paid.status, paid.proposed_by, paid.decided_by) == ("paid", maker, dinas)
    assert list(paid.events.values_list("action", flat=True)) == [
        "computed",
        "proposed",
        "approved",
        "paid",
    ]
    line = paid.lines.get(cadre=ppkbd)
    assert (line.base_amount, line.home_visits, line.referrals, line.trainings) == (
        150_000,
        6,
        1,
        1,
    )
    assert line.total == 150_000 + 60_000 + 25_000 + 50_000
    assert line.items.get(kind="referral").follow_up == referral
    assert not paid.lines.filter(paid_on=None).exists()
    assert paid.lines.count() == Cadre.objects.filter(area__pk__startswith=TUMBUH_MULIA).count()
    # Dasan Borok's waits for the district; this month's is a draft.
    waiting = IncentiveBatch.objects.get(village_id=DASAN_BOROK, month=may)
    assert (waiting.status, waiting.total, waiting.proposed_by) == ("proposed", 150_000, maker)
    draft = IncentiveBatch.objects.get(village_id=TUMBUH_MULIA, month=june)
    assert draft.status == "draft"
    assert IncentiveBatch.objects.count() == 3
    last = totals(area_code="52.03", first=may, last=may)
    assert (last.approved, last.paid, last.awaiting, last.cadres_paid) == (
        paid.total,
        paid.total,
        150_000,
        paid.lines.count(),
    )


def test_reset_removes_the_programme_rows(world):
    demo_seed(families=120, seed=7, today=TODAY)
    assert Activity.objects.exists()
    assert IncentiveBatch.objects.exists() and FollowUp.objects.exists()
    # A proposal computed since, for another month: its lines hold the demo's cadres.
    batch_compute(
        village=Area.objects.get(code=TUMBUH_MULIA), month=dt.date(2025, 3, 1), actor=None
    )
    demo_reset()
    assert not Activity.objects.exists()
    assert not Poktan.objects.exists()
    assert not Mou.objects.exists()
    assert not Partner.objects.exists()
    assert not KampungKb.objects.exists()
    assert not Cadre.objects.exists()
    assert not Meeting.objects.exists()
    for model in (IncentiveRule, IncentiveBatch, IncentiveLine, IncentiveEvent, FollowUp):
        assert not model.objects.exists(), model
    assert not AuditEvent.objects.filter(
        object_type__in=[
            "cadres.cadre",
            "kampung.kampungkb",
            "kampung.profileversion",
            "cadres.incentiverule",
            "cadres.incentivebatch",
            "cadres.incentiveline",
            "contraception.followup",
            "contraception.servicevisit",
        ]
    ).exists()
    assert not AuditEvent.objects.filter(action__startswith="incentive").exists()


def test_seed_records_a_year_of_refusals_with_barriers_in_both_districts(world):
    demo_seed(families=300, seed=7, today=TODAY)

    refused = FollowUp.objects.filter(outcome="refused").select_related(
        "couple__wife__family", "recorded_by"
    )
    ids = ProgrammeIds.from_json(
        AuditEvent.objects.get(action=SEED_ACTION).after["programme"]
    ).barrier_follow_ups
    assert sorted(ids) == sorted(refused.values_list("pk", flat=True))
    by_district = Counter(f.couple.wife.family.area_id[:5] for f in refused)
    assert by_district == {"64.02": 15, "52.03": 37}
    by_kecamatan = Counter(f.couple.wife.family.area_id[:8] for f in refused)
    assert by_kecamatan == {"64.02.08": 15, "52.03.07": 15, "52.03.13": 22}
    barriers = Counter(f.barrier for f in refused)
    assert barriers.most_common(2) == [("husband_objects", 14), ("side_effects", 14)]
    assert set(barriers) == set(Barrier.values) - {Barrier.OTHER}
    # Recorded by officers, never the cadre login (its home visits make the incentive cycle):
    # the test world's `pkb` works in Kota Bangun Ulu only, the district officers elsewhere.
    recorders = Counter(
        (area[:8], login)
        for area, login in refused.values_list(
            "couple__wife__family__area_id", "recorded_by__username"
        )
    )
    assert recorders == {
        ("64.02.08", "pkb"): 2,
        ("64.02.08", "dinas_kukar"): 13,
        ("52.03.07", "dinas"): 15,
        ("52.03.13", "dinas"): 22,
    }
    for follow_up in refused:
        on = follow_up.done_on
        assert TODAY - dt.timedelta(days=365) < on <= TODAY
        assert follow_up.note and follow_up.episode is None
        couple = follow_up.couple
        assert couple.is_pus_on(on)
        assert (
            not Episode.objects.filter(couple=couple, started_on__lte=on)
            .exclude(ended_on__lt=on)
            .exists()
        )
    assert len({f.couple_id for f in refused}) == refused.count()
    assert AuditEvent.objects.filter(
        action="followup.record", object_id__in=[str(pk) for pk in ids]
    ).count() == len(ids)

    world_pkb = world.user("pkb")
    demo_reset()
    assert not FollowUp.objects.exists()
    assert not AuditEvent.objects.filter(object_type="contraception.followup").exists()
    assert not AuditEvent.objects.filter(actor=world_pkb, action="followup.record").exists()
    assert User.objects.filter(pk=world_pkb.pk).exists()
