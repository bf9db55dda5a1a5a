"""The demo's TPK at work: a team in three villages, its targets and three months of visits,
some overdue; the reset removes it all."""

from __future__ import annotations

import datetime as dt
from io import StringIO

from django.core.management import call_command

from kampungkb.cadres import tpk_selectors
from kampungkb.cadres.models import Cadre, CadreRole, TpkAssignment, TpkTeam, TpkVisit
from kampungkb.core.models import AuditEvent
from kampungkb.demo.services import demo_reset

TODAY = dt.date(2025, 6, 30)
ARGS = ("--families", "60", "--seed", "7", "--on", TODAY.isoformat(), "--no-progress")


def seed(*extra: str) -> None:
    call_command("seed", "demo", *ARGS, *extra, stdout=StringIO(), stderr=StringIO())


def summary() -> list[tuple]:
    return list(
        TpkVisit.objects.order_by("pk").values_list(
            "team__name", "assignment__kind", "visited_on", "next_visit_on"
        )
    )


def test_seed_puts_a_tpk_to_work_in_three_villages(world) -> None:
    seed()
    teams = list(TpkTeam.objects.order_by("village_id"))
    assert [t.village_id for t in teams] == ["52.03.07.1001", "52.03.13.2005", "64.02.08.2005"]
    members = [t.members.filter(is_active=True).count() for t in teams]
    assert all(1 <= n <= 3 for n in members)
    visits = TpkVisit.objects.all()
    assert visits.count() > 0
    assert {v.visited_on <= TODAY for v in visits} == {True}
    assert {v.members.exclude(tpk_team=v.team).exists() for v in visits} == {False}
    assert TpkAssignment.objects.filter(kind="family").exists()
    # Some targets are overdue or never visited on the seed's day.
    dues = {i.due for t in teams for i in tpk_selectors.worklist(t, TODAY)}
    assert {tpk_selectors.Due.OVERDUE, tpk_selectors.Due.NEVER} & dues


def test_seed_is_repeatable_and_reset_removes_the_tpk(world) -> None:
    seed()
    first = summary()
    seed("--reset")
    assert summary() == first
    demo_reset()
    assert not TpkTeam.objects.exists()
    assert not TpkVisit.objects.exists()
    assert not Cadre.objects.filter(role=CadreRole.TPK_MEMBER).exists()
    assert not AuditEvent.objects.filter(
        object_type__in=["cadres.tpkvisit", "cadres.tpkassignment"]
    ).exists()
