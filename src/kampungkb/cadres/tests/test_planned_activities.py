"""Planned and cancelled activities never count for the cadres (decision 0033): not in the field
control of a month, nor as a training or meeting the incentive pays."""

from __future__ import annotations

from django.utils import timezone

from kampungkb.activities import services as activity_services
from kampungkb.activities.models import Activity, ActivityKind, ActivityStatus
from kampungkb.cadres import incentives_selectors
from kampungkb.cadres.meetings_selectors import field_control
from kampungkb.cadres.models import ItemKind
from kampungkb.cadres.tests.conftest import INCENTIVE_MONTH
from kampungkb.testing.world import KEC, VILLAGE, World


def test_plans_are_no_sessions_of_the_field_control(world: World) -> None:
    today = timezone.localdate()
    poktan = activity_services.poktan_create(
        kind="bkb", name="BKB Melati", area=world.area(VILLAGE), actor=None
    )
    for kind, fields in (
        (ActivityKind.COUNSELLING, {"area": world.area(VILLAGE)}),
        (ActivityKind.POKTAN_SESSION, {"area": None, "poktan": poktan}),
    ):
        activity_services.activity_plan(
            user=None,
            kind=kind,
            title=str(kind),
            held_on=today,
            target_groups=[],
            organiser="PKB Kota Bangun",
            **fields,
        )
    report = field_control(area=world.area(KEC), month=today.replace(day=1))
    row = next(r for r in report.rows if r.area and r.area.code == VILLAGE)
    assert (row.counselling, row.poktan_sessions, row.poktan, row.poktan_active) == (0, 0, 1, 0)
    assert (report.total.counselling, report.total.poktan_sessions) == (0, 0)


def test_a_training_not_held_earns_nothing(world: World, earning_ppkbd: object) -> None:
    def kinds() -> list[str]:
        [line] = incentives_selectors.compute(
            village=world.area(VILLAGE), month=INCENTIVE_MONTH
        ).lines
        return [i.kind for i in line.items if i.counted]

    assert ItemKind.TRAINING in kinds()
    # Attendance is recorded on held activities only; were a training with attendance ever not
    # held (a plan), it would pay nothing.
    Activity.objects.filter(kind=ActivityKind.TRAINING).update(status=ActivityStatus.PLANNED)
    assert ItemKind.TRAINING not in kinds()
