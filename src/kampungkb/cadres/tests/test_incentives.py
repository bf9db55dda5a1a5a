"""The incentive computation and the maker-checker cycle (decision 0028)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from kampungkb.activities import services as activity_services
from kampungkb.cadres import incentives_selectors as selectors
from kampungkb.cadres import incentives_services as services
from kampungkb.cadres import services as cadre_services
from kampungkb.cadres.models import (
    BatchStatus,
    CadreRole,
    IncentiveBatch,
    IncentiveLine,
    IncentiveRule,
    ItemKind,
    KnowledgeTest,
    Meeting,
)
from kampungkb.cadres.services import CadreData
from kampungkb.cadres.tests.conftest import (
    INCENTIVE_MONTH,
    TRAINING_ON,
    follow_up,
    incentive_rule_data,
    register,
    topic_sheet,
)
from kampungkb.contraception import services as contraception_services
from kampungkb.contraception.models import Episode, FollowUp
from kampungkb.core.models import AuditEvent
from kampungkb.core.periods import add_months, month_start
from kampungkb.families.models import Couple
from kampungkb.testing.world import KAB, VILLAGE


def test_compute_pays_the_verified_records_of_the_month(world, earning_ppkbd):
    computation = selectors.compute(village=world.area(VILLAGE), month=INCENTIVE_MONTH)
    assert computation.unruled == []
    [line] = computation.lines
    assert line.cadre == earning_ppkbd
    assert [(i.kind, i.on, i.amount, i.counted) for i in line.items] == [
        (ItemKind.BASE, dt.date(2025, 3, 1), 100_000, True),
        (ItemKind.HOME_VISIT, dt.date(2025, 3, 3), 10_000, True),
        (ItemKind.HOME_VISIT, dt.date(2025, 3, 4), 10_000, True),
        (ItemKind.HOME_VISIT, dt.date(2025, 3, 6), 10_000, True),
        (ItemKind.HOME_VISIT, dt.date(2025, 3, 7), 0, False),
        (ItemKind.REFERRAL, dt.date(2025, 3, 12), 25_000, True),
        (ItemKind.MEETING, dt.date(2025, 3, 20), 20_000, True),
        (ItemKind.TRAINING, dt.date(2025, 3, 10), 50_000, True),
    ]
    assert line.total == 225_000


def _items(line):
    return [(i.kind, i.on, i.amount, i.counted) for i in line.items]


def _line(world, month=INCENTIVE_MONTH):
    [line] = selectors.compute(village=world.area(VILLAGE), month=month).lines
    return line


def test_a_month_without_records_pays_the_base_honorarium(world, earning_ppkbd):
    line = _line(world, dt.date(2025, 2, 1))
    assert _items(line) == [(ItemKind.BASE, dt.date(2025, 2, 1), 100_000, True)]


def test_the_monthly_cap_holds_the_total_back(world, earning_ppkbd, incentive_rule):
    incentive_rule.max_total = 200_000
    incentive_rule.save()
    line = _line(world)
    assert (line.earned, line.capped, line.total) == (225_000, 25_000, 200_000)


def test_the_rule_of_the_role_wins_over_the_rule_of_every_role(world, earning_ppkbd):
    services.rule_create(
        data=incentive_rule_data(world, role=CadreRole.PPKBD, base_honorarium=150_000),
        actor=None,
    )
    services.rule_create(
        data=incentive_rule_data(world, valid_from=dt.date(2025, 3, 1), base_honorarium=1),
        actor=None,
    )
    assert _line(world).amount(ItemKind.BASE) == 150_000


def test_the_latest_rule_in_force_applies(world, earning_ppkbd):
    services.rule_create(
        data=incentive_rule_data(world, valid_from=dt.date(2025, 4, 1), base_honorarium=120_000),
        actor=None,
    )
    assert _line(world).amount(ItemKind.BASE) == 100_000
    assert _line(world, dt.date(2025, 4, 1)).amount(ItemKind.BASE) == 120_000


def test_a_cadre_no_rule_pays_is_listed_apart(world, ppkbd):
    computation = selectors.compute(village=world.area(VILLAGE), month=INCENTIVE_MONTH)
    assert computation.lines == [] and computation.unruled == [ppkbd]


def test_a_cadre_who_started_after_the_month_is_not_paid(world, incentive_rule):
    register("Siti Aminah", area=world.area(VILLAGE), started_on=dt.date(2025, 4, 2))
    computation = selectors.compute(village=world.area(VILLAGE), month=INCENTIVE_MONTH)
    assert computation.lines == [] and computation.unruled == []


def test_only_visits_recorded_with_the_cadres_own_login_count(world, earning_ppkbd):
    other = contraception_services.followup_record(
        couple=Couple.objects.get(wife__full_name="Siti Aminah"),
        episode=None,
        done_on=dt.date(2025, 3, 2),
        outcome="visited",
        actor=world.user("pkb"),
    )
    contraception_services.followups_verify(
        follow_ups=[other], verification="verified", actor=world.user("district")
    )
    assert _line(world).count(ItemKind.HOME_VISIT) == 3
    assert len([i for i in _line(world).items if i.kind == ItemKind.HOME_VISIT]) == 4


def test_a_referral_earns_once_in_the_month_the_new_use_started(world, earning_ppkbd):
    april = _line(world, dt.date(2025, 4, 1))
    assert april.count(ItemKind.REFERRAL) == 0
    [referral] = [i for i in _line(world).items if i.kind == ItemKind.REFERRAL]
    assert referral.follow_up_id == FollowUp.objects.get(outcome="referred").pk
    assert referral.episode_id == Episode.objects.get(is_new_user=True).pk


def test_a_referral_outside_the_window_earns_nothing(world, earning_ppkbd, incentive_rule):
    incentive_rule.referral_window_days = 5
    incentive_rule.save()
    assert _line(world).count(ItemKind.REFERRAL) == 0


def test_a_rejected_referral_earns_nothing(world, earning_ppkbd):
    contraception_services.followups_verify(
        follow_ups=[FollowUp.objects.get(outcome="referred")],
        verification="rejected",
        note="Rujukan tidak tercatat di puskesmas",
        actor=world.user("pkb"),
    )
    line = _line(world)
    assert (line.count(ItemKind.REFERRAL), line.count(ItemKind.HOME_VISIT)) == (0, 3)


def test_a_training_with_a_post_test_is_completed_only_with_it(world, earning_ppkbd, training):
    KnowledgeTest.objects.filter(training=training).delete()
    assert _line(world).count(ItemKind.TRAINING) == 1  # no post-test given: attendance is enough
    other = register("Rahmawati", area=world.area(VILLAGE))
    activity_services.attendance_set(activity=training, add=[other.person_id], actor=None)
    cadre_services.test_record(
        cadre=other,
        training=training,
        phase="post",
        taken_on=TRAINING_ON,
        answers=topic_sheet("vasectomy", 6),
        actor=None,
    )
    lines = selectors.compute(village=world.area(VILLAGE), month=INCENTIVE_MONTH).lines
    assert [(line.cadre, line.count(ItemKind.TRAINING)) for line in lines] == [
        (other, 1),  # Rahmawati took the post-test
        (earning_ppkbd, 0),
    ]


def test_a_meeting_without_minutes_earns_nothing(world, earning_ppkbd):
    Meeting.objects.update(minutes_saved_at=None)
    assert _line(world).count(ItemKind.MEETING) == 0


# -- The maker-checker cycle ------------------------------------------------------------------------


def _batch(world, actor="pkb"):
    return services.batch_compute(
        village=world.area(VILLAGE), month=INCENTIVE_MONTH, actor=world.user(actor)
    )


def test_compute_stores_the_lines_and_every_item(world, earning_ppkbd):
    batch = _batch(world)
    assert (batch.status, batch.revision, batch.total) == (BatchStatus.DRAFT, 1, 225_000)
    [line] = selectors.current_lines(batch)
    assert (line.cadre, line.home_visits, line.referrals, line.meetings, line.trainings) == (
        earning_ppkbd,
        3,
        1,
        1,
        1,
    )
    assert (line.base_amount, line.visits_amount, line.referrals_amount) == (
        100_000,
        30_000,
        25_000,
    )
    assert (line.meetings_amount, line.trainings_amount, line.capped_amount) == (20_000, 50_000, 0)
    assert sorted(line.items.values_list("kind", "amount", "counted")) == sorted(
        [
            ("base", 100_000, True),
            ("home_visit", 10_000, True),
            ("home_visit", 10_000, True),
            ("home_visit", 10_000, True),
            ("home_visit", 0, False),
            ("referral", 25_000, True),
            ("meeting", 20_000, True),
            ("training", 50_000, True),
        ]
    )
    assert list(batch.events.values_list("action", "total")) == [("computed", 225_000)]
    assert AuditEvent.objects.filter(action="incentive.compute").count() == 1
    assert selectors.batch_drift(batch) is None


def test_compute_again_replaces_the_draft(world, earning_ppkbd):
    batch = _batch(world)
    contraception_services.followups_verify(
        follow_ups=[FollowUp.objects.get(done_on=dt.date(2025, 3, 7))],
        verification="rejected",
        note="Salah catat",
        actor=world.user("pkb"),
    )
    drift = selectors.batch_drift(batch)
    assert drift is not None and drift.changed == ["Siti Aminah"]
    again = _batch(world)
    assert again.pk == batch.pk and again.revision == 1 and again.total == 225_000
    assert IncentiveLine.objects.count() == 1
    assert again.lines.get().items.filter(kind="home_visit").count() == 3


@pytest.mark.parametrize("username", ["cadre", "viewer", "other_district", "partner"])
def test_compute_is_refused_outside_the_supervisors_areas(world, earning_ppkbd, username):
    with pytest.raises(Http404):
        _batch(world, username)
    assert not IncentiveBatch.objects.exists()


def test_compute_is_refused_for_a_month_to_come_or_a_non_village(world, earning_ppkbd):
    next_month = add_months(month_start(timezone.localdate()), 1)
    with pytest.raises(ValidationError) as refused:
        services.batch_compute(village=world.area(VILLAGE), month=next_month, actor=None)
    assert refused.value.message_dict == {
        "month": ["Insentif bulan yang akan datang belum bisa dihitung."]
    }
    with pytest.raises(ValidationError):
        services.batch_compute(village=world.area(KAB), month=INCENTIVE_MONTH, actor=None)
    assert not IncentiveBatch.objects.exists()


def test_the_whole_cycle_to_payment(world, earning_ppkbd):
    pkb, district = world.user("pkb"), world.user("district")
    batch = services.batch_propose(batch=_batch(world), actor=pkb)
    assert (batch.status, batch.proposed_by) == (BatchStatus.PROPOSED, pkb)
    with pytest.raises(Http404):
        services.batch_approve(batch=batch, actor=pkb)  # the PKB officer only proposes
    batch = services.batch_approve(batch=batch, actor=district)
    assert (batch.status, batch.decided_by) == (BatchStatus.APPROVED, district)
    line = selectors.current_lines(batch).get()
    today = timezone.localdate()
    batch = services.lines_mark_paid(
        batch=batch, lines=[line], paid_on=today, reference="BKU 07/2025", actor=district
    )
    assert batch.status == BatchStatus.PAID
    line.refresh_from_db()
    assert (line.paid_on, line.payment_reference, line.paid_by) == (today, "BKU 07/2025", district)
    assert list(batch.events.values_list("action", flat=True)) == [
        "computed",
        "proposed",
        "approved",
        "paid",
    ]


def test_nobody_approves_their_own_proposal(world, earning_ppkbd):
    district = world.user("district")
    batch = services.batch_propose(batch=_batch(world, "district"), actor=district)
    with pytest.raises(ValidationError) as refused:
        services.batch_approve(batch=batch, actor=district)
    assert refused.value.messages == [
        "Usulan yang Anda ajukan sendiri disetujui atau dikembalikan oleh orang lain."
    ]
    with pytest.raises(ValidationError):
        services.batch_return(batch=batch, reason="cek", actor=district)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.PROPOSED
    assert services.batch_approve(batch=batch, actor=world.user("admin")).status == "approved"


def test_a_month_not_over_is_not_proposed(world, ppkbd, incentive_rule):
    this_month = month_start(timezone.localdate())
    batch = services.batch_compute(village=world.area(VILLAGE), month=this_month, actor=None)
    with pytest.raises(ValidationError) as refused:
        services.batch_propose(batch=batch, actor=world.user("pkb"))
    assert "diajukan setelah bulan itu selesai" in refused.value.messages[0]
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DRAFT


def test_a_batch_without_lines_is_not_proposed(world, ppkbd):
    batch = services.batch_compute(village=world.area(VILLAGE), month=INCENTIVE_MONTH, actor=None)
    with pytest.raises(ValidationError) as refused:
        services.batch_propose(batch=batch, actor=world.user("pkb"))
    assert refused.value.messages == [
        "Tidak ada kader yang dibayar menurut aturan insentif; periksa aturan insentif kabupaten."
    ]


def test_records_changed_since_computing_stop_the_proposal_and_the_approval(world, earning_ppkbd):
    pkb = world.user("pkb")
    batch = _batch(world)
    late = follow_up(world, dt.date(2025, 3, 25), "referred")
    contraception_services.followups_verify(follow_ups=[late], verification="verified", actor=pkb)
    # Still 3 visits paid (the cap), but the items changed: the late visit is one above the cap.
    with pytest.raises(ValidationError) as refused:
        services.batch_propose(batch=batch, actor=pkb)
    assert refused.value.messages == [
        "Data kegiatan berubah sejak insentif dihitung (total sekarang Rp 225.000, tersimpan "
        "Rp 225.000). Hitung ulang dan periksa sebelum diajukan atau disetujui."
    ]
    batch = services.batch_propose(batch=_batch(world), actor=pkb)
    Meeting.objects.update(minutes_saved_at=None)
    with pytest.raises(ValidationError):
        services.batch_approve(batch=batch, actor=world.user("district"))
    batch.refresh_from_db()
    assert batch.status == BatchStatus.PROPOSED


def test_a_returned_proposal_is_corrected_and_proposed_again(world, earning_ppkbd):
    pkb, district = world.user("pkb"), world.user("district")
    batch = services.batch_propose(batch=_batch(world), actor=pkb)
    with pytest.raises(ValidationError) as refused:
        services.batch_return(batch=batch, reason="  ", actor=district)
    assert refused.value.message_dict == {"reason": ["Tuliskan alasannya."]}
    batch = services.batch_return(batch=batch, reason="Periksa kunjungan 7 Maret", actor=district)
    assert (batch.status, batch.return_reason) == (
        BatchStatus.RETURNED,
        "Periksa kunjungan 7 Maret",
    )
    batch = services.batch_propose(batch=_batch(world), actor=pkb)
    assert (batch.status, batch.return_reason, batch.decided_by) == ("proposed", "", None)
    assert list(batch.events.values_list("action", "reason")) == [
        ("computed", ""),
        ("proposed", ""),
        ("returned", "Periksa kunjungan 7 Maret"),
        ("computed", ""),
        ("proposed", ""),
    ]


def test_a_change_after_approval_needs_a_new_approval(world, earning_ppkbd):
    pkb, district = world.user("pkb"), world.user("district")
    batch = services.batch_approve(
        batch=services.batch_propose(batch=_batch(world), actor=pkb), actor=district
    )
    with pytest.raises(ValidationError):
        _batch(world)  # approved: locked
    Meeting.objects.update(minutes_saved_at=None)
    drift = selectors.batch_drift(batch)
    assert drift is not None and drift.fresh_total == 205_000
    with pytest.raises(ValidationError):
        services.batch_reopen(batch=batch, reason="", actor=pkb)
    batch = services.batch_reopen(batch=batch, reason="Rapat Maret belum bernotulen", actor=pkb)
    assert (batch.status, batch.revision, batch.total) == (BatchStatus.DRAFT, 2, 205_000)
    assert batch.proposed_by is None and batch.decided_by is None
    assert sorted(batch.lines.values_list("revision", "total")) == [(1, 225_000), (2, 205_000)]
    assert selectors.current_lines(batch).get().total == 205_000
    batch = services.batch_propose(batch=batch, actor=pkb)
    batch = services.batch_approve(batch=batch, actor=district)
    assert (batch.status, batch.revision) == (BatchStatus.APPROVED, 2)


def test_a_paid_proposal_is_not_reopened(world, earning_ppkbd):
    pkb, district = world.user("pkb"), world.user("district")
    batch = services.batch_approve(
        batch=services.batch_propose(batch=_batch(world), actor=pkb), actor=district
    )
    services.lines_mark_paid(
        batch=batch,
        lines=list(selectors.current_lines(batch)),
        paid_on=timezone.localdate(),
        actor=district,
    )
    batch.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        services.batch_reopen(batch=batch, reason="koreksi", actor=pkb)
    assert refused.value.messages == [
        "Usulan ini berstatus dibayar; hanya usulan yang disetujui dapat dibuka kembali atau dibayar."
    ]


def test_payments_are_checked(world, earning_ppkbd, incentive_rule):
    pkb, district = world.user("pkb"), world.user("district")
    second = register("Rahmawati", area=world.area(VILLAGE))
    batch = services.batch_approve(
        batch=services.batch_propose(batch=_batch(world), actor=pkb), actor=district
    )
    lines = {line.cadre_id: line for line in selectors.current_lines(batch)}
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        services.lines_mark_paid(batch=batch, lines=[], paid_on=today, actor=district)
    with pytest.raises(ValidationError):
        services.lines_mark_paid(
            batch=batch, lines=[lines[second.pk]], paid_on=dt.date(2025, 1, 1), actor=district
        )
    with pytest.raises(Http404):
        services.lines_mark_paid(batch=batch, lines=[lines[second.pk]], paid_on=today, actor=pkb)
    assert not IncentiveLine.objects.filter(paid_on__isnull=False).exists()
    batch = services.lines_mark_paid(
        batch=batch, lines=[lines[second.pk]], paid_on=today, actor=district
    )
    assert batch.status == BatchStatus.APPROVED  # Siti Aminah is not paid yet
    with pytest.raises(ValidationError) as refused:
        services.lines_mark_paid(
            batch=batch, lines=[lines[second.pk]], paid_on=today, actor=district
        )
    assert refused.value.message_dict == {
        "lines": ["Rahmawati tidak ada di daftar bayar usulan ini atau sudah dibayar."]
    }
    batch = services.lines_mark_paid(
        batch=batch, lines=[lines[earning_ppkbd.pk]], paid_on=today, actor=district
    )
    assert batch.status == BatchStatus.PAID


# -- Rules -----------------------------------------------------------------------------------------


def test_rules_are_set_for_a_district_once_per_role_and_month(world, incentive_rule):
    with pytest.raises(ValidationError) as refused:
        services.rule_create(data=incentive_rule_data(world), actor=world.user("district"))
    assert refused.value.message_dict == {
        "valid_from": ["Sudah ada aturan untuk peran ini yang berlaku mulai 01-2025."]
    }
    with pytest.raises(ValidationError):
        services.rule_create(data=incentive_rule_data(world, area=world.area(VILLAGE)), actor=None)
    with pytest.raises(Http404):
        services.rule_create(
            data=incentive_rule_data(world, role=CadreRole.PPKBD), actor=world.user("pkb")
        )
    assert IncentiveRule.objects.count() == 1


def test_a_rule_paying_an_approved_proposal_no_longer_changes(world, earning_ppkbd, incentive_rule):
    district = world.user("district")
    services.rule_update(
        rule=incentive_rule, data=incentive_rule_data(world, per_meeting=25_000), actor=district
    )
    incentive_rule.refresh_from_db()
    assert incentive_rule.per_meeting == 25_000
    services.batch_approve(
        batch=services.batch_propose(batch=_batch(world), actor=world.user("pkb")), actor=district
    )
    with pytest.raises(ValidationError) as refused:
        services.rule_update(
            rule=incentive_rule, data=incentive_rule_data(world, per_meeting=1), actor=district
        )
    assert "tetapkan aturan baru" in refused.value.messages[0]
    incentive_rule.refresh_from_db()
    assert incentive_rule.per_meeting == 25_000


# -- Home-visit verification and the cadre's login -------------------------------------------------


def test_nobody_verifies_a_visit_they_recorded(world, ppkbd):
    visit = follow_up(world, dt.date(2025, 3, 3))
    with pytest.raises(Http404):  # a cadre does not verify visits
        contraception_services.followups_verify(
            follow_ups=[visit], verification="verified", actor=world.user("cadre")
        )
    own = contraception_services.followup_record(
        couple=visit.couple,
        episode=None,
        done_on=dt.date(2025, 3, 4),
        outcome="visited",
        actor=world.user("pkb"),
    )
    with pytest.raises(ValidationError):
        contraception_services.followups_verify(
            follow_ups=[visit, own], verification="verified", actor=world.user("pkb")
        )
    with pytest.raises(ValidationError) as refused:
        contraception_services.followups_verify(
            follow_ups=[visit], verification="rejected", actor=world.user("pkb")
        )
    assert refused.value.message_dict == {"note": ["Tuliskan alasan penolakan kunjungan."]}
    assert set(FollowUp.objects.values_list("verification", flat=True)) == {"pending"}


def test_a_login_belongs_to_one_cadre_of_its_village(world, ppkbd, other_ppkbd):
    with pytest.raises(ValidationError) as refused:
        cadre_services.cadre_update(
            cadre=other_ppkbd,
            data=CadreData(
                role=other_ppkbd.role,
                area=other_ppkbd.area,
                started_on=other_ppkbd.started_on,
                account=world.user("cadre"),
            ),
            actor=None,
        )
    assert refused.value.message_dict == {
        "account": ["Akun cadre tidak bertugas di desa kader ini."]
    }
    data = CadreData(
        role=ppkbd.role, area=ppkbd.area, started_on=ppkbd.started_on, account=world.user("cadre")
    )
    cadre_services.cadre_update(cadre=ppkbd, data=data, actor=None)
    second = register("Rahmawati", area=world.area(VILLAGE))
    with pytest.raises(ValidationError) as refused:
        cadre_services.cadre_update(
            cadre=second,
            data=CadreData(
                role=second.role,
                area=second.area,
                started_on=second.started_on,
                account=world.user("cadre"),
            ),
            actor=None,
        )
    assert refused.value.message_dict == {
        "account": ["Akun cadre sudah terhubung dengan kader lain (Siti Aminah)."]
    }
    # An update that does not speak of the login keeps it.
    cadre_services.cadre_update(
        cadre=ppkbd,
        data=CadreData(role=ppkbd.role, area=ppkbd.area, started_on=ppkbd.started_on, phone="0813"),
        actor=None,
    )
    ppkbd.refresh_from_db()
    assert ppkbd.account == world.user("cadre")


def test_totals_add_the_approved_and_paid_lines(world, earning_ppkbd):
    pkb, district = world.user("pkb"), world.user("district")
    batch = services.batch_propose(batch=_batch(world), actor=pkb)
    figures = selectors.totals(area_code=KAB, first=INCENTIVE_MONTH, last=INCENTIVE_MONTH)
    assert (figures.approved, figures.paid, figures.awaiting, figures.cadres_paid) == (
        0,
        0,
        225_000,
        0,
    )
    batch = services.batch_approve(batch=batch, actor=district)
    services.lines_mark_paid(
        batch=batch,
        lines=list(selectors.current_lines(batch)),
        paid_on=timezone.localdate(),
        actor=district,
    )
    figures = selectors.totals(area_code=KAB, first=INCENTIVE_MONTH, last=INCENTIVE_MONTH)
    assert (figures.approved, figures.paid, figures.awaiting, figures.cadres_paid) == (
        225_000,
        225_000,
        0,
        1,
    )
    assert (
        selectors.totals(area_code="52.03", first=INCENTIVE_MONTH, last=INCENTIVE_MONTH).paid == 0
    )
