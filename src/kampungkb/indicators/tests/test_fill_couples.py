"""A day's visits taken by difference (decision 0038): a visit keeps what its couple counted for
in the months its village has facts for; the next fill adds what the couple counts for now minus
that, to the village and every area above it, and the facts are those a refill writes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from kampungkb.contraception import services as contraception
from kampungkb.contraception.models import FollowUpOutcome
from kampungkb.core import hooks
from kampungkb.core.periods import month_start, months
from kampungkb.families.models import Couple
from kampungkb.indicators import fill as engine
from kampungkb.indicators import fill_delta
from kampungkb.indicators.models import CoupleMark, DirtyMark, Fact
from kampungkb.indicators.tests.conftest import couple, visit
from kampungkb.regions.models import Level
from kampungkb.testing.world import OTHER_VILLAGE, VILLAGE, VILLAGE_2

D = dt.date
FIRST = D(2025, 1, 1)
VILLAGES = [VILLAGE, VILLAGE_2, OTHER_VILLAGE]
Facts = dict[tuple[str, str, dt.date, str], tuple[Decimal, Decimal | None]]


def facts() -> Facts:
    return {
        (f.indicator, f.area_code, f.period, f.subgroup): (f.numerator, f.denominator)
        for f in Fact.objects.all()
    }


def refill() -> Facts:
    """Every month of the three villages computed whole, as a full fill does."""
    DirtyMark.objects.all().delete()
    CoupleMark.objects.all().delete()
    engine.marks_add(VILLAGES, FIRST, month_start(timezone.localdate()))
    engine.fill()
    return facts()


@pytest.fixture
def filled(village: dict[str, Couple]) -> dict[str, Couple]:
    """The fixture village, a couple in two other villages, every month filled."""
    today = timezone.localdate()
    village["other"] = couple(D(1993, 5, 1), area=OTHER_VILLAGE)
    village["ulu"] = couple(D(1990, 5, 1), area=VILLAGE)
    # The only pill user of Tumbuh Mulia, who stops: the village's pill row goes.
    visit(village["other"], today - dt.timedelta(days=60), "PIL")
    refill()
    return village


@pytest.mark.django_db
def test_a_visit_keeps_its_couple_for_the_months_with_facts(filled: dict[str, Couple]) -> None:
    today = timezone.localdate()
    DirtyMark.objects.all().delete()
    before = facts()
    visit(filled["K"], D(2025, 6, 25), "PIL", quantity=3)
    current = month_start(today)
    assert not DirtyMark.objects.exists()
    marks = list(CoupleMark.objects.order_by("period"))
    assert [(m.couple_id, m.area_code, m.period, m.today) for m in marks] == [
        (filled["K"].pk, VILLAGE_2, p, today) for p in months(D(2025, 6, 1), current)
    ]
    # K was a PUS using nothing, intention unknown: that is what she counted for in June.
    june = {(i, s): (n, d) for i, s, n, d in fill_delta.rows_load(marks[0].rows)}
    assert june[("PUS", "")] == (1, None)
    assert june[("NON_USER", "reason:unknown")] == (1, None)
    assert june[("PA", "")] == (0, None)
    assert facts() == before  # nothing is written before the fill
    engine.fill()
    assert not CoupleMark.objects.exists()
    after = facts()
    assert after[("PA", VILLAGE_2, D(2025, 6, 1), "")] == (8, None)
    assert after[("PA", "64.02.08", D(2025, 6, 1), "method:PIL")] == (1, None)
    assert (
        after[("PA", VILLAGE_2, D(2025, 5, 1), "")] == before[("PA", VILLAGE_2, D(2025, 5, 1), "")]
    )
    assert after == refill()


@pytest.mark.django_db
def test_a_day_of_visits_by_difference_gives_the_facts_of_a_refill(
    filled: dict[str, Couple],
) -> None:
    """Repeat visits, a start, a switch, a stop, a start months back, two visits to one couple,
    a start after a cadre's visit (acceptance): by difference, every fact of every level and
    month (the scores too) equals the refill's."""
    today = timezone.localdate()
    c = filled
    DirtyMark.objects.all().delete()
    contraception.followup_record(
        couple=c["K"],
        episode=None,
        done_on=today - dt.timedelta(days=20),
        outcome=FollowUpOutcome.VISITED,
        actor=None,
    )
    engine.fill()  # the follow-up refills its village's months
    assert not DirtyMark.objects.exists()
    visit(c["A"], today - dt.timedelta(days=3), "SUNTIK3", kind="repeat")
    visit(c["K"], today - dt.timedelta(days=2), "PIL", quantity=2)
    visit(c["K"], today - dt.timedelta(days=1), "PIL", kind="repeat")
    visit(c["D"], today - dt.timedelta(days=40), "KONDOM", quantity=12)
    visit(c["M"], today - dt.timedelta(days=5), "KONDOM", kind="switch", quantity=10)
    visit(c["E"], D(2025, 9, 1), "SUNTIK3")
    visit(c["other"], today - dt.timedelta(days=1), "PIL", kind="removal")
    visit(c["ulu"], today - dt.timedelta(days=4), "IUD")
    assert not DirtyMark.objects.exists()
    assert CoupleMark.objects.values("couple_id").distinct().count() == 7
    engine.fill()
    assert not CoupleMark.objects.exists()
    got = facts()
    current = month_start(today)
    assert ("PA", OTHER_VILLAGE, current, "method:PIL") not in got
    assert got[("PI_ACCEPT", VILLAGE_2, current, "")][0] >= 1
    assert got == refill()


@pytest.mark.django_db
def test_a_month_already_marked_is_marked_again_not_kept(filled: dict[str, Couple]) -> None:
    today = timezone.localdate()
    DirtyMark.objects.all().delete()
    engine.marks_add([VILLAGE_2], month_start(today), month_start(today))
    first = DirtyMark.objects.get().marked_at
    visit(filled["A"], today, "SUNTIK3", kind="repeat")
    assert not CoupleMark.objects.exists()
    assert DirtyMark.objects.get().marked_at > first


@pytest.mark.django_db
def test_months_without_facts_are_marked_whole(village: dict[str, Couple]) -> None:
    DirtyMark.objects.all().delete()
    visit(village["K"], D(2025, 6, 25), "PIL")
    assert not CoupleMark.objects.exists()
    today = month_start(timezone.localdate())
    assert set(DirtyMark.objects.values_list("area_code", "period")) == {
        (VILLAGE_2, p) for p in months(D(2025, 6, 1), today)
    }


@pytest.mark.django_db
def test_a_couple_kept_twice_keeps_what_the_facts_hold(filled: dict[str, Couple]) -> None:
    today = timezone.localdate()
    DirtyMark.objects.all().delete()
    visit(filled["K"], today - dt.timedelta(days=2), "PIL")
    kept = CoupleMark.objects.get()
    visit(filled["K"], today - dt.timedelta(days=1), "PIL", kind="repeat")
    again = CoupleMark.objects.get()
    assert (again.pk, again.rows) == (kept.pk, kept.rows)


@pytest.mark.django_db
def test_a_village_refill_drops_the_couples_it_counted(
    filled: dict[str, Couple], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A village-month refilled whole counts the couples kept before it read them; a couple
    kept after it read them sends the month back for refill."""
    today = timezone.localdate()
    current = month_start(today)
    DirtyMark.objects.all().delete()
    visit(filled["A"], today - dt.timedelta(days=2), "SUNTIK3", kind="repeat")
    assert CoupleMark.objects.count() == 1
    engine.marks_add([VILLAGE_2], current, current)
    real = engine._fill_villages
    landed: list[bool] = []

    def keep_after_reading(villages: list[str], cat: engine.Catalogue) -> engine.Catalogue:
        batch = real(villages, cat)
        if not landed:  # once
            landed.append(True)
            # As if B's visit had landed while the batch computed, before the month's mark.
            with monkeypatch.context() as quiet:
                quiet.setattr(hooks, "_couples_listeners", [])
                quiet.setattr(hooks, "_area_listeners", [])
                visit(filled["B"], today - dt.timedelta(days=1), "IUD", kind="repeat")
            CoupleMark.objects.create(
                couple_id=filled["B"].pk, area_code=VILLAGE_2, period=current, today=today
            )
        return batch

    monkeypatch.setattr(engine, "_fill_villages", keep_after_reading)
    engine.fill()
    assert not CoupleMark.objects.exists()
    assert not DirtyMark.objects.exists()  # refilled again in the same run
    got = facts()
    monkeypatch.setattr(engine, "_fill_villages", real)
    assert got == refill()


@pytest.mark.django_db
def test_without_a_couples_listener_the_area_hears_it(
    village: dict[str, Couple], monkeypatch: pytest.MonkeyPatch
) -> None:
    heard: list[tuple[str, Any]] = []
    monkeypatch.setattr(hooks, "_couples_listeners", [])
    monkeypatch.setattr(hooks, "_area_listeners", [lambda code, since: heard.append((code, since))])
    visit(village["K"], D(2025, 6, 25), "PIL")
    assert heard == [(VILLAGE_2, D(2025, 6, 25))]


def test_differences_reach_every_level_and_drop_what_did_not_change() -> None:
    june = D(2025, 6, 1)
    after = {
        (VILLAGE_2, june): [("PA", "", Decimal(2), None), ("MCPR", "", Decimal(1), Decimal(2))]
    }
    before = {
        (VILLAGE_2, june): [("PA", "", Decimal(1), None), ("MCPR", "", Decimal(1), Decimal(2))]
    }
    by_level = fill_delta.with_parents(fill_delta.differences(after, before))
    assert by_level == {
        Level.VILLAGE: {(VILLAGE_2, june, "PA", ""): (Decimal(1), None)},
        Level.DISTRICT: {("64.02.08", june, "PA", ""): (Decimal(1), None)},
        Level.REGENCY: {("64.02", june, "PA", ""): (Decimal(1), None)},
        Level.PROVINCE: {("64", june, "PA", ""): (Decimal(1), None)},
        0: {("ID", june, "PA", ""): (Decimal(1), None)},
    }
