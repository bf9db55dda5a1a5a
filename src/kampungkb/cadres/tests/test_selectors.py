"""Reads: alerts, due re-registrations, the dashboard figures and the knowledge gap."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from kampungkb.activities import services as activity_services
from kampungkb.activities.models import Activity
from kampungkb.cadres import incentives_selectors, incentives_services, selectors, services
from kampungkb.cadres.models import Cadre, CadreRole, IncentiveRule
from kampungkb.cadres.tests.conftest import (
    INCENTIVE_MONTH,
    TRAINING_ON,
    follow_up,
    person,
    register,
    topic_sheet,
)
from kampungkb.contraception import services as contraception_services
from kampungkb.contraception.models import Method, VisitKind
from kampungkb.families.models import Couple
from kampungkb.testing.world import KEC, RT, RW, VILLAGE, World

TODAY = timezone.localdate()


def test_areas_without_cadre(world: World) -> None:
    district = world.user("district")
    missing = selectors.areas_without_cadre(user=district, within=VILLAGE)
    assert [a.code for a in missing] == [VILLAGE, RW]
    register("Sutrisno", role=CadreRole.KELOMPOK_KB, area=world.area(RT))
    # A cadre of an RT serves its RW and village too.
    assert list(selectors.areas_without_cadre(user=district, within=VILLAGE)) == []
    # The RT cadre user has no village or RW in scope; the other kabupaten sees its own only.
    assert list(selectors.areas_without_cadre(user=world.user("cadre_rt"))) == []
    other = selectors.areas_without_cadre(user=world.user("other_cadre"))
    assert [a.code for a in other] == ["52.03.13.2007", "52.03.13.2007.001"]


def test_a_deactivated_cadre_leaves_the_area_without(world: World, ppkbd: Cadre) -> None:
    assert [a.code for a in selectors.areas_without_cadre(user=world.user("cadre"))] == [RW]
    services.cadre_deactivate(cadre=ppkbd, ended_on=dt.date(2024, 1, 1), reason="x", actor=None)
    codes = [a.code for a in selectors.areas_without_cadre(user=world.user("cadre"))]
    assert codes == [VILLAGE, RW]


def test_due_for_reregistration(world: World, ppkbd: Cadre) -> None:
    cadre = world.user("cadre")
    assert list(selectors.due_for_reregistration(user=cadre, year=TODAY.year)) == []
    assert list(selectors.due_for_reregistration(user=cadre, year=2024)) == [ppkbd]
    services.cadre_reregister(cadre=ppkbd, year=2024, registered_on=dt.date(2024, 1, 8), actor=None)
    assert list(selectors.due_for_reregistration(user=cadre, year=2024)) == []
    assert list(selectors.due_for_reregistration(user=cadre, year=2019)) == []
    assert (
        list(selectors.due_for_reregistration(user=world.user("other_district"), year=2024)) == []
    )


def test_dashboard_figures(world: World, ppkbd: Cadre, training: Activity) -> None:
    posyandu = register("Sutrisno", role=CadreRole.POSYANDU, area=world.area(RT))
    left = register("Rahmawati", role=CadreRole.PKK, area=world.area(RT))
    services.cadre_deactivate(cadre=left, ended_on=TODAY, reason="Pindah", actor=None)
    recent = activity_services.activity_create(
        data=activity_services.ActivityData(
            kind="counselling",
            title="Penyuluhan",
            held_on=TODAY,
            family_function="reproduction",
            organiser="PPKBD",
            area=world.area(VILLAGE),
        ),
        actor=None,
    )
    activity_services.attendance_set(activity=recent, add=[ppkbd.person_id], actor=None)
    # Siti: an older pre-test (all wrong), then her latest, the post-test: 6 of 8 on vasectomy.
    services.test_record(
        cadre=ppkbd,
        training=training,
        phase="pre",
        taken_on=TRAINING_ON,
        answers=topic_sheet("vasectomy", 0),
        actor=None,
    )
    services.test_record(
        cadre=ppkbd,
        training=training,
        phase="post",
        taken_on=TRAINING_ON,
        answers=topic_sheet("vasectomy", 6),
        actor=None,
    )
    # Sutrisno: 2 of 8 on vasectomy, 4 of 8 on stunting (6 of 16 = 37.5).
    services.test_record(
        cadre=posyandu,
        phase="pre",
        taken_on=dt.date(2025, 2, 1),
        answers={**topic_sheet("vasectomy", 2), **topic_sheet("stunting", 4)},
        actor=None,
    )
    board = selectors.dashboard(area=world.area(KEC), today=TODAY)
    village = next(r for r in board.rows if r.area.code == VILLAGE)
    assert (village.families, village.active, village.per_100_families) == (2, 2, Decimal("100.00"))
    assert (village.inactive, village.deactivated, village.not_registered) == (1, 1, 0)
    assert (village.tested, village.mean_score) == (2, Decimal("56.3"))
    assert village.topics["vasectomy"].right == 8 and village.topics["vasectomy"].asked == 16
    assert village.topics["vasectomy"].percent == Decimal("50.0")
    assert village.topics["stunting"].percent == Decimal("50.0")
    assert "methods" not in village.topics
    assert (board.total.active, board.total.families) == (2, 2)
    # Inside the village: the PPKBD serves the village itself, the Posyandu cadre RW 001.
    inside = selectors.dashboard(area=world.area(VILLAGE), today=TODAY)
    assert [(r.area.code, r.own, r.active, r.families) for r in inside.rows] == [
        (VILLAGE, True, 1, 0),
        (RW, False, 1, 2),
    ]


def test_cadres_below_the_pass_mark(world: World, ppkbd: Cadre) -> None:
    services.test_record(
        cadre=ppkbd,
        phase="pre",
        taken_on=dt.date(2025, 1, 2),
        answers=topic_sheet("counselling", 3),
        actor=None,
    )
    below = selectors.cadres_below_pass_mark(user=world.user("pkb"), area=world.area(VILLAGE))
    assert [(b.cadre, b.test.score) for b in below] == [(ppkbd, Decimal("37.5"))]
    assert below[0].topics["counselling"].percent == Decimal("37.5")
    assert selectors.cadres_below_pass_mark(user=world.user("cadre_rt"), area=world.area(RT)) == []


def test_cadre_activities_and_training_participants(
    world: World, ppkbd: Cadre, training: Activity
) -> None:
    activity_services.attendance_set(activity=training, add=[ppkbd.person_id], actor=None)
    assert list(selectors.cadre_activities(ppkbd, user=world.user("cadre"))) == [training]
    assert list(selectors.cadre_activities(ppkbd, user=world.user("cadre_rt"))) == []
    services.test_record(
        cadre=ppkbd,
        training=training,
        phase="post",
        taken_on=TRAINING_ON,
        answers=topic_sheet("vasectomy", 8),
        actor=None,
    )
    [row] = selectors.training_participants(training, user=world.user("pkb"))
    assert row.post is not None
    assert (row.cadre, row.attended, row.pre, row.post.score, row.certified) == (
        ppkbd,
        True,
        None,
        Decimal("100.0"),
        True,
    )
    assert person("Siti Aminah") == row.cadre.person


# -- The cadre page and the dashboard: home visits, referrals, incentives (decision 0028) ------------


def _link(cadre: Cadre, world: World, username: str = "cadre") -> Cadre:
    return services.cadre_update(
        cadre=cadre,
        data=services.CadreData(
            role=cadre.role,
            area=cadre.area,
            started_on=cadre.started_on,
            account=world.user(username),
        ),
        actor=None,
    )


def test_cadre_home_visits_counts_its_logins_visits_by_month(
    world: World, earning_ppkbd: Cadre
) -> None:
    # Recorded by another login, or before the twelve months: not this cadre's visits counted.
    contraception_services.followup_record(
        couple=Couple.objects.get(wife__full_name="Siti Aminah"),
        episode=None,
        done_on=dt.date(2025, 3, 12),
        outcome="visited",
        actor=world.user("pkb"),
    )
    follow_up(world, dt.date(2024, 4, 30))
    visits = selectors.cadre_home_visits(
        earning_ppkbd, user=world.user("pkb"), today=dt.date(2025, 4, 10)
    )
    assert visits.first == dt.date(2024, 5, 1)
    assert visits.months == [
        selectors.VisitMonth(month=dt.date(2025, 3, 1), verified=4, pending=1, rejected=1)
    ]
    assert visits.months[0].total == 6
    assert [(v.done_on.day, v.verification) for v in visits.latest] == [
        (11, "rejected"),
        (10, "pending"),
        (7, "verified"),
        (6, "verified"),
        (4, "verified"),
        (3, "verified"),
    ]
    # Out of the user's areas: nothing; without a login: nothing, and no query.
    other = selectors.cadre_home_visits(
        earning_ppkbd, user=world.user("other_district"), today=dt.date(2025, 4, 10)
    )
    assert (other.months, other.latest) == ([], [])


def test_cadre_home_visits_without_a_login_reads_nothing(
    world: World, ppkbd: Cadre, django_assert_num_queries: Any
) -> None:
    pkb = world.user("pkb")
    with django_assert_num_queries(0):
        visits = selectors.cadre_home_visits(ppkbd, user=pkb, today=TODAY)
    assert (visits.months, visits.latest) == ([], [])


def test_cadre_referrals_open_then_new_use_then_paid(
    world: World, ppkbd: Cadre, incentive_rule: IncentiveRule
) -> None:
    _link(ppkbd, world)
    pkb = world.user("pkb")
    earlier = follow_up(world, TODAY - dt.timedelta(days=30), "referred")
    later = follow_up(world, TODAY - dt.timedelta(days=10), "referred")
    refused = follow_up(world, TODAY - dt.timedelta(days=8), "referred")
    contraception_services.followups_verify(
        follow_ups=[refused], verification="rejected", note="Bukan rujukan", actor=pkb
    )
    referrals = selectors.cadre_referrals(ppkbd, user=pkb, today=TODAY)
    assert referrals.earned == [] and referrals.window_days == 90
    assert [(r.follow_up, r.new_use_on, r.window_ends) for r in referrals.open] == [
        (later, None, later.done_on + dt.timedelta(days=90)),
        (earlier, None, earlier.done_on + dt.timedelta(days=90)),
    ]
    # The couple starts the pill: the latest referral before it is the one that counts.
    started = TODAY - dt.timedelta(days=5)
    contraception_services.visit_record(
        couple=Couple.objects.get(wife__full_name="Siti Aminah"),
        visited_on=started,
        method=Method.objects.get(pk="PIL"),
        kind=VisitKind.START,
        actor=None,
    )
    referrals = selectors.cadre_referrals(ppkbd, user=pkb, today=TODAY)
    assert [(r.follow_up, r.new_use_on) for r in referrals.open] == [(later, started)]
    # Once the month is computed, the ledger's item says it: nothing is left open.
    incentives_services.batch_compute(village=world.area(VILLAGE), month=started, actor=pkb)
    referrals = selectors.cadre_referrals(ppkbd, user=pkb, today=TODAY)
    assert [(i.follow_up, i.on, i.amount) for i in referrals.earned] == [(later, started, 25_000)]
    assert referrals.open == []
    assert selectors.cadre_referrals(ppkbd, user=world.user("other_district"), today=TODAY) == (
        selectors.CadreReferrals(earned=[], open=[], window_days=90)
    )


def test_cadre_referrals_window_passed(
    world: World, ppkbd: Cadre, incentive_rule: IncentiveRule
) -> None:
    _link(ppkbd, world)
    old = follow_up(world, TODAY - dt.timedelta(days=91), "referred")
    assert selectors.cadre_referrals(ppkbd, user=world.user("pkb"), today=TODAY).open == []
    just = selectors.cadre_referrals(
        ppkbd, user=world.user("pkb"), today=old.done_on + dt.timedelta(days=90)
    )
    assert [r.follow_up for r in just.open] == [old]


def _approve_and_pay(world: World, month: dt.date) -> None:
    pkb, district = world.user("pkb"), world.user("district")
    batch = incentives_services.batch_compute(village=world.area(VILLAGE), month=month, actor=pkb)
    batch = incentives_services.batch_propose(batch=batch, actor=pkb)
    batch = incentives_services.batch_approve(batch=batch, actor=district)
    incentives_services.lines_mark_paid(
        batch=batch,
        lines=list(incentives_selectors.payable_lines(batch)),
        paid_on=TODAY,
        actor=district,
    )


def test_cadre_incentives_lines_and_paid_this_year(world: World, earning_ppkbd: Cadre) -> None:
    _approve_and_pay(world, INCENTIVE_MONTH)
    incentives_services.batch_compute(
        village=world.area(VILLAGE), month=dt.date(2025, 2, 1), actor=world.user("pkb")
    )
    mine = selectors.cadre_incentives(earning_ppkbd, user=world.user("cadre"), today=TODAY)
    assert [(line.batch.month, line.total, line.paid_on) for line in mine.lines] == [
        (INCENTIVE_MONTH, 225_000, TODAY),
        (dt.date(2025, 2, 1), 100_000, None),
    ]
    assert (mine.year, mine.paid_this_year) == (TODAY.year, 225_000)
    next_year = selectors.cadre_incentives(
        earning_ppkbd, user=world.user("cadre"), today=TODAY.replace(year=TODAY.year + 1)
    )
    assert next_year.paid_this_year == 0
    assert (
        selectors.cadre_incentives(earning_ppkbd, user=world.user("cadre_rt"), today=TODAY).lines
        == []
    )


def test_dashboard_incentive_totals(world: World, earning_ppkbd: Cadre) -> None:
    _approve_and_pay(world, INCENTIVE_MONTH)
    february = incentives_services.batch_compute(
        village=world.area(VILLAGE), month=dt.date(2025, 2, 1), actor=world.user("pkb")
    )
    incentives_services.batch_propose(batch=february, actor=world.user("pkb"))
    board = selectors.dashboard(area=world.area(KEC), today=dt.date(2025, 4, 15), incentives=True)
    assert board.incentives == selectors.IncentiveSummary(
        year=incentives_selectors.IncentiveTotals(
            approved=225_000, paid=225_000, awaiting=100_000, cadres_paid=1
        ),
        year_first=dt.date(2025, 1, 1),
        last_month=incentives_selectors.IncentiveTotals(
            approved=225_000, paid=225_000, awaiting=0, cadres_paid=1
        ),
        month=dt.date(2025, 3, 1),
    )
    village = next(r for r in board.rows if r.area.code == VILLAGE)
    assert village.incentives_paid == 225_000
    assert sum(r.incentives_paid for r in board.rows) == board.total.incentives_paid == 225_000
    # A later year paid nothing for its months; without ``incentives`` nothing is read.
    later = selectors.dashboard(area=world.area(KEC), today=dt.date(2026, 2, 1), incentives=True)
    assert later.incentives is not None and later.incentives.year.paid == 0
    assert later.total.incentives_paid == 0
    plain = selectors.dashboard(area=world.area(KEC), today=dt.date(2025, 4, 15))
    assert plain.incentives is None and plain.total.incentives_paid == 0
