"""The demo's contraceptive service history: determinism without a database, then a small seed
(200 families) checked in the database.

Shares on the reference date are computed with ``contraception.services.couple_status_on`` (the
status a user of the app sees), for every demo PUS couple: active user (PA), or a non-user and
why; unmet need = non-users who want to delay (IAT) or want no more (TIAL)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command

from kampungkb.contraception import engine
from kampungkb.contraception.models import (
    Episode,
    Facility,
    FollowUp,
    FollowUpOutcome,
    Method,
    Reminder,
    ServiceVisit,
    VisitKind,
)
from kampungkb.contraception.services import couple_status_on, episodes_rebuild, method_rules
from kampungkb.demo import history
from kampungkb.demo.population import generate
from kampungkb.demo.selectors import demo_seed_info
from kampungkb.demo.services import demo_reset
from kampungkb.demo.tests.test_population import VILLAGES
from kampungkb.demo.tests.test_seed import world_families
from kampungkb.families.models import Couple, Person

TODAY = dt.date(2025, 6, 30)
FAMILIES = 200
ARGS = ("--families", str(FAMILIES), "--seed", "5", "--on", TODAY.isoformat(), "--no-progress")

RULES = {
    "MOW": engine.MethodRule("MOW", engine.DueRule.NONE),
    "MOP": engine.MethodRule("MOP", engine.DueRule.NONE),
    "IUD": engine.MethodRule("IUD", engine.DueRule.CHECKS, 0, 30, 365, 2920, 30),
    "IMPLAN3": engine.MethodRule(
        "IMPLAN3", engine.DueRule.FIXED, protection_days=1095, grace_days=30
    ),
    "IMPLAN5": engine.MethodRule(
        "IMPLAN5", engine.DueRule.FIXED, protection_days=1826, grace_days=30
    ),
    "SUNTIK3": engine.MethodRule("SUNTIK3", engine.DueRule.PER_UNIT, 84, grace_days=14),
    "SUNTIK1": engine.MethodRule("SUNTIK1", engine.DueRule.PER_UNIT, 28, grace_days=7),
    "PIL": engine.MethodRule("PIL", engine.DueRule.PER_UNIT, 28, grace_days=7),
    "KONDOM": engine.MethodRule("KONDOM", engine.DueRule.PER_UNIT, 3, grace_days=7),
    "MAL": engine.MethodRule("MAL", engine.DueRule.POSTPARTUM),
    "TRAD": engine.MethodRule("TRAD", engine.DueRule.NONE),
}
CONSENT = frozenset({"MOW", "MOP", "IUD", "IMPLAN3", "IMPLAN5", "SUNTIK3", "SUNTIK1"})


def test_the_same_seed_and_date_give_the_same_history_and_the_population_is_unchanged():
    def make() -> tuple:
        population = generate(villages=VILLAGES, families=150, seed=3, today=TODAY)
        return population, history.generate(population, rules=RULES, consent=CONSENT)

    (pop_a, first), (pop_b, second) = make(), make()
    assert first == second and first.visits
    assert pop_a == pop_b
    other = generate(villages=VILLAGES, families=150, seed=3, today=TODAY - dt.timedelta(days=1))
    assert history.generate(other, rules=RULES, consent=CONSENT).visits != first.visits
    codes = [f.code for f in first.facilities]
    assert len(codes) == len(set(codes))
    kinds = Counter(f.kind for f in first.facilities)
    assert kinds["puskesmas"] == 3 and kinds["private_midwife"] >= 6 and kinds["mobile"] == 2


@pytest.fixture
def seeded(world):
    call_command("seed", "demo", *ARGS, stdout=StringIO(), stderr=StringIO())
    info = demo_seed_info()
    assert info is not None
    return info


def demo_couples():
    return Couple.objects.filter(visits__isnull=False).distinct().select_related("wife")


def test_seeding_twice_gives_the_same_visits(seeded):
    def visits() -> list[tuple]:
        return list(
            ServiceVisit.objects.order_by("pk").values_list(
                "couple__wife__nik",
                "couple__wife__full_name",
                "visited_on",
                "method_id",
                "kind",
                "quantity",
                "facility__code",
                "provider",
                "consent_recorded",
                "stop_reason",
                "due_on",
            )
        )

    first = visits()
    call_command("seed", "demo", *ARGS, "--reset", stdout=StringIO(), stderr=StringIO())
    assert visits() == first


def test_shares_on_the_reference_date(seeded):
    demo = Couple.objects.exclude(wife__family__in=world_families()).select_related("wife")
    pus = [c for c in demo if c.is_pus_on(TODAY)]
    statuses = [couple_status_on(c, TODAY) for c in pus]
    users = Counter(s.method or "" for s in statuses if s.is_active_user)
    unmet = sum(1 for s in statuses if s.status in (engine.Status.DELAY, engine.Status.NO_MORE))
    active = sum(users.values())
    assert 0.5 <= active / len(pus) <= 0.7
    injectable = users["SUNTIK3"] + users["SUNTIK1"]
    assert injectable > max(n for m, n in users.items() if not m.startswith("SUNTIK"))
    assert 0.05 <= unmet / len(pus) <= 0.18
    # The summary says the same.
    assert seeded.counts["active_users"] == active
    assert seeded.counts["unmet_need"] == unmet
    # Users mostly want to delay or want no more.
    intentions = Counter(
        c.fertility_intention for c, s in zip(pus, statuses, strict=True) if s.is_active_user
    )
    assert intentions["delay"] + intentions["no_more"] > 0.8 * active


def test_consent_dates_and_marriage(seeded):
    consent = set(Method.objects.filter(requires_consent=True).values_list("code", flat=True))
    starts = ServiceVisit.objects.filter(
        kind__in=[VisitKind.START, VisitKind.SWITCH], method__in=consent
    )
    assert starts.exists() and not starts.filter(consent_recorded=False).exists()
    # The first visit of every episode of such a method carries the consent too.
    for episode in Episode.objects.filter(method__in=consent).prefetch_related("visits"):
        first = min(episode.visits.all(), key=lambda v: (v.visited_on, v.pk))
        assert first.consent_recorded, episode
    for visit in ServiceVisit.objects.select_related("couple", "couple__wife"):
        assert visit.visited_on <= TODAY
        assert visit.couple.is_married_on(visit.visited_on), visit
        died = visit.couple.wife.died_on
        assert died is None or visit.visited_on < died
    assert not ServiceVisit.objects.filter(facility=None).exists()


def test_episodes_do_not_overlap_and_there_are_switches_drop_outs_and_postpartum(seeded):
    for couple in demo_couples():
        episodes = list(Episode.objects.filter(couple=couple).order_by("started_on", "pk"))
        assert sum(1 for e in episodes if e.ended_on is None) <= 1
        for before, after in itertools.pairwise(episodes):
            assert before.ended_on is not None and before.ended_on <= after.started_on
    assert Episode.objects.filter(is_switch=True).count() > 0
    assert Episode.objects.filter(end_reason=engine.EndReason.DROP_OUT).count() > 0
    assert Episode.objects.filter(is_postpartum=True).count() > 0
    assert ServiceVisit.objects.filter(episode=None).count() == 0


def test_stored_episodes_are_those_episodes_rebuild_makes(seeded):
    fields = (
        "method_id",
        "started_on",
        "ended_on",
        "end_reason",
        "next_due_on",
        "overdue_from",
        "drop_out_on",
        "is_new_user",
        "is_switch",
        "is_postpartum",
    )

    def snapshot(couple: Couple) -> tuple:
        episodes = list(Episode.objects.filter(couple=couple).order_by("pk").values_list(*fields))
        visits = list(
            ServiceVisit.objects.filter(couple=couple)
            .order_by("pk")
            .values_list("episode__started_on", "episode__method_id", "due_on", "is_postpartum")
        )
        return episodes, visits

    rules = method_rules()
    couples = list(demo_couples())
    assert len(couples) > 50
    for couple in couples:
        before = snapshot(couple)
        episodes_rebuild(couple=couple, as_of=TODAY, rules=rules)
        assert snapshot(couple) == before, couple


def test_reset_removes_everything_the_seed_wrote(seeded, world):
    couple = demo_couples().first()
    assert couple is not None
    FollowUp.objects.create(couple=couple, done_on=TODAY, outcome=FollowUpOutcome.VISITED)
    Reminder.objects.create(
        couple=couple, due_on=TODAY, method_id="SUNTIK3", phone="081234567890", message="x"
    )
    facilities_before = set(Facility.objects.values_list("code", flat=True))
    assert facilities_before
    result = demo_reset()
    assert result.visits > 0 and result.episodes > 0 and result.facilities == len(facilities_before)
    assert not ServiceVisit.objects.exists()
    assert not Episode.objects.exists()
    assert not FollowUp.objects.exists() and not Reminder.objects.exists()
    assert not Facility.objects.exists()
    assert demo_seed_info() is None
    assert not Person.objects.filter(pk=couple.wife_id).exists()
