"""The TPK worklist, a village's teams and the coverage, counted by hand on ``tpk_history``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.http import Http404

from kampungkb.cadres import tpk_selectors as selectors
from kampungkb.cadres.models import TargetKind
from kampungkb.stunting.risk import RiskReason
from kampungkb.testing.world import KAB, KEC, OTHER_KAB, RT_2, VILLAGE, World

D = dt.date


def names(items: list[selectors.WorkItem]) -> list[tuple[str, str, str]]:
    return [(i.name, i.assignment.kind, i.due) for i in items]


def test_worklist_due_soon_then_never_visited(world: World, tpk_history: Any) -> None:
    items = selectors.worklist(tpk_history.team, D(2025, 3, 12))
    assert names(items) == [
        ("Sutrisno", "family", "soon"),
        ("Siti Aminah", "postpartum", "soon"),
        ("Hasan", "family", "never"),
    ]
    assert [(i.last_visit, i.next_due) for i in items] == [
        (D(2025, 2, 10), D(2025, 3, 12)),
        (D(2025, 3, 10), D(2025, 3, 17)),
        (None, None),
    ]
    assert [i.risk_reasons for i in items] == [
        (RiskReason.UNSAFE_WATER,),
        (RiskReason.UNSAFE_WATER,),
        (RiskReason.TOO_YOUNG,),
    ]


def test_worklist_overdue_first(world: World, tpk_history: Any) -> None:
    items = selectors.worklist(tpk_history.team, D(2025, 3, 20))
    assert names(items) == [
        ("Sutrisno", "family", "overdue"),
        ("Siti Aminah", "postpartum", "overdue"),
        ("Hasan", "family", "never"),
    ]


def test_worklist_follows_the_register(world: World, tpk_history: Any) -> None:
    """Before the birth the mother is pregnant; 42 days after it she leaves the list."""
    assert names(selectors.worklist(tpk_history.team, D(2025, 3, 1)))[1] == (
        "Siti Aminah",
        "pregnancy",
        "never",
    )
    assert [i.name for i in selectors.worklist(tpk_history.team, D(2025, 4, 17))] == [
        "Sutrisno",
        "Hasan",
    ]


def test_worklist_team_access(world: World, tpk_history: Any) -> None:
    team = tpk_history.team
    for username in ("admin", "district", "pkb", "cadre", "cadre_rt"):
        assert selectors.worklist_team(user=world.user(username), pk=team.pk) == team
    for username in ("partner", "viewer", "other_district", "other_cadre"):
        with pytest.raises(Http404):
            selectors.worklist_team(user=world.user(username), pk=team.pk)


def test_village_teams(world: World, tpk_history: Any) -> None:
    tpk_history.assignments["hasan"].ended_on = D(2025, 3, 1)
    tpk_history.assignments["hasan"].end_reason = "ended"
    tpk_history.assignments["hasan"].save()
    found = selectors.village_teams(
        user=world.user("pkb"), village=world.area(VILLAGE), on=D(2025, 3, 12)
    )
    team = found.teams[0]
    assert [
        team.n_family,  # type: ignore[attr-defined]
        team.n_pregnancy,  # type: ignore[attr-defined]
        team.n_postpartum,  # type: ignore[attr-defined]
        team.n_child,  # type: ignore[attr-defined]
        team.visits_30,  # type: ignore[attr-defined]
    ] == [1, 0, 1, 0, 2]
    assert [str(f.head) for f in found.unassigned_at_risk] == ["Hasan"]


@pytest.mark.parametrize("area", [VILLAGE, KEC, KAB])
def test_coverage_counted_by_hand(world: World, tpk_history: Any, area: str) -> None:
    march = selectors.tpk_coverage(area, D(2025, 3, 1))
    assert [getattr(march, f) for f in selectors.Coverage.FIGURES] == [2, 1, 1, 1, 1, 1, 0, 0]
    assert (march.families_share, march.pregnant_share, march.postpartum_share) == (
        Decimal("50.0"),
        Decimal("100.0"),
        Decimal("100.0"),
    )
    february = selectors.tpk_coverage(area, D(2025, 2, 1))
    assert [getattr(february, f) for f in selectors.Coverage.FIGURES] == [2, 1, 1, 0, 0, 0, 0, 0]
    assert february.postpartum_share is None
    april = selectors.tpk_coverage(area, D(2025, 4, 1))
    assert [getattr(april, f) for f in selectors.Coverage.FIGURES] == [2, 0, 0, 0, 1, 0, 0, 0]
    assert april.postpartum_share == Decimal("0.0")


def test_coverage_of_an_rt_and_another_district(world: World, tpk_history: Any) -> None:
    rt = selectors.tpk_coverage(RT_2, D(2025, 3, 1))
    assert [getattr(rt, f) for f in selectors.Coverage.FIGURES] == [1, 0, 0, 0, 0, 0, 0, 0]
    other = selectors.tpk_coverage(OTHER_KAB, D(2025, 3, 1))
    assert [getattr(other, f) for f in selectors.Coverage.FIGURES] == [0] * 8


def test_coverage_in_few_queries(
    world: World, tpk_history: Any, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(8):
        selectors.tpk_coverage(KAB, D(2025, 3, 1))


def test_assignments_scoped(world: World, tpk_history: Any) -> None:
    # The pregnancy ended with the birth, and the 42 days after it are long over.
    assert selectors.assignments(user=world.user("pkb")).count() == 2
    assert selectors.assignments(user=world.user("pkb"), status="all").count() == 4
    assert selectors.assignments(user=world.user("other_district"), status="all").count() == 0
    assert selectors.assignments(user=world.user("partner"), status="all").count() == 0
    kinds = [a.kind for a in selectors.assignments(user=world.user("cadre"), status="ended")]
    assert kinds == [TargetKind.POSTPARTUM, TargetKind.PREGNANCY]
