"""Reads: alerts, due re-registrations, the dashboard figures and the knowledge gap."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from kampungkb.activities import services as activity_services
from kampungkb.activities.models import Activity
from kampungkb.cadres import selectors, services
from kampungkb.cadres.models import Cadre, CadreRole
from kampungkb.cadres.tests.conftest import TRAINING_ON, person, register, topic_sheet
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
