"""The TPK at work: assigning targets, following the register, recording visits."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from kampungkb.cadres import services as cadre_services
from kampungkb.cadres import tpk_services as services
from kampungkb.cadres.models import EndReason, TargetKind, TpkAssignment, TpkVisit
from kampungkb.core.models import AuditEvent
from kampungkb.families import services as family_services
from kampungkb.families.models import Person, PregnancyOutcome, Sex
from kampungkb.indicators.models import DirtyMark
from kampungkb.testing.world import World

D = dt.date
FEB_1 = D(2025, 2, 1)
BIRTH_DAY = D(2025, 3, 5)
FEB_10 = D(2025, 2, 10)
TOMORROW = "tomorrow"


def later(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def codes(error: ValidationError) -> list[str]:
    return [e.code for errors in error.error_dict.values() for e in errors]  # type: ignore[misc]


def assign(tpk: Any, kind: str, target: Any, on: dt.date = FEB_1, actor: Any = None) -> Any:
    return services.tpk_assignment_create(
        team=tpk.team, kind=kind, target=target, started_on=on, actor=actor
    )


def birth(tpk: Any, on: dt.date = BIRTH_DAY) -> Person:
    return family_services.birth_record(
        mother=tpk.couple.wife, full_name="Bayi Aminah", sex=Sex.FEMALE, birth_date=on, actor=None
    )


# -- Assignments --------------------------------------------------------------------------------


def test_assign_each_kind(world: World, tpk: Any) -> None:
    family = assign(tpk, TargetKind.FAMILY, tpk.family, actor=world.user("pkb"))
    pregnancy = assign(tpk, TargetKind.PREGNANCY, tpk.pregnancy)
    rizky = Person.objects.get(full_name="Rizky Pratama")
    child = assign(tpk, TargetKind.CHILD, rizky, D(2019, 6, 1))
    assert (family.kind, family.family_id, family.pregnancy_id, family.child_id) == (
        "family",
        tpk.family.pk,
        None,
        None,
    )
    assert pregnancy.pregnancy_id == tpk.pregnancy.pk
    assert child.child == rizky
    assert family.recorded_by == world.user("pkb")
    assert AuditEvent.objects.filter(action="tpk_assignment.create").count() == 3


def test_child_must_be_under_five(world: World, tpk: Any) -> None:
    rizky = Person.objects.get(full_name="Rizky Pratama")  # born 09-01-2015
    with pytest.raises(ValidationError) as error:
        assign(tpk, TargetKind.CHILD, rizky, D(2020, 1, 9))
    assert codes(error.value) == ["tpk.not_under_five"]
    assign(tpk, TargetKind.CHILD, rizky, D(2020, 1, 8))  # the day before his fifth birthday
    assert TpkAssignment.objects.count() == 1


def test_pregnancy_must_be_ongoing(world: World, tpk: Any) -> None:
    with pytest.raises(ValidationError) as error:
        assign(tpk, TargetKind.PREGNANCY, tpk.pregnancy, D(2025, 1, 9))
    assert codes(error.value) == ["tpk.not_pregnant"]
    with pytest.raises(ValidationError) as error:
        assign(tpk, TargetKind.POSTPARTUM, tpk.pregnancy, D(2025, 2, 1))
    assert codes(error.value) == ["tpk.not_postpartum"]
    assert not TpkAssignment.objects.exists()


def test_postpartum_within_42_days_of_a_birth(world: World, tpk: Any) -> None:
    birth(tpk)
    tpk.pregnancy.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        assign(tpk, TargetKind.POSTPARTUM, tpk.pregnancy, D(2025, 4, 17))
    assert codes(error.value) == ["tpk.not_postpartum"]
    done = assign(tpk, TargetKind.POSTPARTUM, tpk.pregnancy, D(2025, 4, 16))
    assert done.kind == "postpartum"


def test_one_open_assignment_per_target(world: World, tpk: Any) -> None:
    assign(tpk, TargetKind.FAMILY, tpk.family)
    second = cadre_services.tpk_team_create(
        village=tpk.team.village, name="Tim Kenanga", actor=None
    )
    with pytest.raises(ValidationError) as error:
        services.tpk_assignment_create(
            team=second, kind="family", target=tpk.family, started_on=D(2025, 2, 2), actor=None
        )
    assert codes(error.value) == ["tpk.already_assigned"]
    assert "Tim Melati" in str(error.value)
    assert TpkAssignment.objects.count() == 1


def test_target_of_another_village_refused(world: World, tpk: Any) -> None:
    with pytest.raises(ValidationError) as error:
        services.tpk_assignment_create(
            team=tpk.other_team,
            kind="family",
            target=tpk.family,
            started_on=D(2025, 2, 1),
            actor=None,
        )
    assert codes(error.value) == ["tpk.target_other_village"]
    assert not TpkAssignment.objects.exists()


def test_assign_refuses_future_date_inactive_team_and_other_area(world: World, tpk: Any) -> None:
    with pytest.raises(ValidationError) as error:
        assign(tpk, TargetKind.FAMILY, tpk.family, later(2))
    assert codes(error.value) == ["tpk.date_in_future"]
    with pytest.raises(Http404):
        assign(tpk, TargetKind.FAMILY, tpk.family, actor=world.user("other_district"))
    with pytest.raises(Http404):
        assign(tpk, TargetKind.FAMILY, tpk.family, actor=world.user("viewer"))
    for cadre in (tpk.midwife, tpk.pkk, tpk.kb):
        cadre_services.cadre_deactivate(
            cadre=cadre, ended_on=D(2025, 5, 1), reason="pindah", actor=None
        )
    cadre_services.tpk_team_update(team=tpk.team, name="Tim Melati", is_active=False, actor=None)
    with pytest.raises(ValidationError) as error:
        assign(tpk, TargetKind.FAMILY, tpk.family)
    assert codes(error.value) == ["tpk.team_inactive"]
    assert not TpkAssignment.objects.exists()


def test_end_assignment(world: World, tpk: Any) -> None:
    a = assign(tpk, TargetKind.FAMILY, tpk.family)
    with pytest.raises(ValidationError) as error:
        services.tpk_assignment_end(assignment=a, ended_on=D(2025, 1, 31), actor=None)
    assert codes(error.value) == ["tpk.ended_before_start"]
    with pytest.raises(Http404):
        services.tpk_assignment_end(
            assignment=a, ended_on=D(2025, 6, 1), actor=world.user("other_cadre")
        )
    a.refresh_from_db()
    assert a.ended_on is None
    services.tpk_assignment_end(assignment=a, ended_on=D(2025, 6, 1), actor=world.user("pkb"))
    a.refresh_from_db()
    assert (a.ended_on, a.end_reason) == (D(2025, 6, 1), "ended")
    with pytest.raises(ValidationError):
        services.tpk_assignment_end(assignment=a, ended_on=D(2025, 7, 1), actor=None)
    # Ended, the family may be assigned again.
    assert assign(tpk, TargetKind.FAMILY, tpk.family, D(2025, 7, 1)).pk != a.pk


def test_assign_every_family_at_risk(world: World, tpk: Any) -> None:
    assign(tpk, TargetKind.FAMILY, tpk.family)
    created = services.tpk_assign_at_risk(team=tpk.team, on=D(2025, 3, 31), actor=world.user("pkb"))
    # Sutrisno is already accompanied; Rahmawati (alone) is no target family; Hasan is at risk.
    assert [a.family_id for a in created] == [tpk.hasan.pk]
    assert services.tpk_assign_at_risk(team=tpk.team, on=D(2025, 3, 31), actor=None) == []
    with pytest.raises(Http404):
        services.tpk_assign_at_risk(team=tpk.team, on=D(2025, 3, 31), actor=world.user("partner"))
    assert TpkAssignment.objects.count() == 2


# -- Following the register -------------------------------------------------------------------------


def test_birth_turns_a_pregnancy_into_a_postpartum_mother(world: World, tpk: Any) -> None:
    first = assign(tpk, TargetKind.PREGNANCY, tpk.pregnancy)
    birth(tpk)
    first.refresh_from_db()
    assert (first.ended_on, first.end_reason) == (D(2025, 3, 5), "pregnancy_ended")
    after = TpkAssignment.objects.get(kind=TargetKind.POSTPARTUM)
    assert (after.team, after.pregnancy_id, after.started_on) == (
        tpk.team,
        tpk.pregnancy.pk,
        D(2025, 3, 5),
    )
    # Its 42 days were over long ago: written down at once.
    assert (after.ended_on, after.end_reason) == (D(2025, 4, 16), "postpartum_over")


def test_miscarriage_ends_without_postpartum(world: World, tpk: Any) -> None:
    first = assign(tpk, TargetKind.PREGNANCY, tpk.pregnancy)
    family_services.pregnancy_end(
        pregnancy=tpk.pregnancy,
        ended_on=D(2025, 2, 20),
        outcome=PregnancyOutcome.MISCARRIAGE,
        actor=None,
    )
    first.refresh_from_db()
    assert first.end_reason == "pregnancy_ended"
    assert TpkAssignment.objects.count() == 1


def test_close_lapsed(world: World, tpk: Any) -> None:
    rizky = Person.objects.get(full_name="Rizky Pratama")
    child = assign(tpk, TargetKind.CHILD, rizky, D(2019, 1, 1))
    family = assign(tpk, TargetKind.FAMILY, tpk.hasan)
    assert services.tpk_close_lapsed(on=D(2020, 1, 8)) == 0
    assert services.tpk_close_lapsed(village_code=tpk.team.village_id, on=D(2025, 3, 1)) == 1
    child.refresh_from_db()
    assert (child.ended_on, child.end_reason) == (D(2020, 1, 9), EndReason.CHILD_FIVE)
    family_services.family_deactivate(family=tpk.hasan, reason="pindah", actor=None)
    assert services.tpk_close_lapsed(on=D(2025, 4, 1)) == 1
    family.refresh_from_db()
    assert (family.ended_on, family.end_reason) == (D(2025, 4, 1), EndReason.FAMILY_INACTIVE)


# -- Visits -------------------------------------------------------------------------------------------


def visit(assignment: Any, tpk: Any, on: dt.date = FEB_10, **fields: Any) -> TpkVisit:
    values: dict[str, Any] = {
        "members": [tpk.midwife.pk, tpk.pkk.pk],
        "checklist": {"spacing_counselling": True, "referred_to_puskesmas": True},
        "actor": None,
    }
    values.update(fields)
    return services.tpk_visit_record(assignment=assignment, visited_on=on, **values)


def test_visit_recorded_with_checklist_and_next_visit(world: World, tpk: Any) -> None:
    a = assign(tpk, TargetKind.FAMILY, tpk.family)
    DirtyMark.objects.all().delete()
    v = visit(a, tpk, actor=world.user("cadre"), notes="  Sumur perlu ditutup ")
    assert v.team == tpk.team
    assert v.next_visit_on == D(2025, 3, 12)
    assert [getattr(v, k) for k in TpkVisit.CHECKLIST] == [True, False, False, True, False]
    assert v.notes == "Sumur perlu ditutup"
    assert sorted(v.members.values_list("pk", flat=True)) == sorted([tpk.midwife.pk, tpk.pkk.pk])
    assert AuditEvent.objects.filter(action="tpk_visit.record").count() == 1
    assert DirtyMark.objects.filter(area_code=tpk.team.village_id, period=D(2025, 2, 1)).exists()


def test_postpartum_visit_comes_back_after_seven_days(world: World, tpk: Any) -> None:
    assign(tpk, TargetKind.PREGNANCY, tpk.pregnancy)
    birth(tpk)
    after = TpkAssignment.objects.get(kind=TargetKind.POSTPARTUM)
    assert visit(after, tpk, D(2025, 3, 10)).next_visit_on == D(2025, 3, 17)
    assert visit(after, tpk, D(2025, 4, 16)).next_visit_on == D(2025, 5, 16)


def test_team_member_records_through_own_login(world: World, tpk: Any) -> None:
    a = assign(tpk, TargetKind.FAMILY, tpk.family)
    # cadre_rt edits the register of RT 001 only, yet is the team's midwife.
    assert visit(a, tpk, actor=world.user("cadre_rt")).recorded_by == world.user("cadre_rt")
    for username in ("other_cadre", "partner", "viewer", "other_district"):
        with pytest.raises(Http404):
            visit(a, tpk, actor=world.user(username))
    assert TpkVisit.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"on": D(2025, 1, 31)}, "tpk.visit_outside_assignment"),
        ({"members": []}, "tpk.members_required"),
        ({"next_visit_on": D(2025, 2, 10)}, "tpk.next_visit_not_after"),
        ({"on": TOMORROW}, "tpk.date_in_future"),
    ],
)
def test_visit_refused_writes_nothing(world: World, tpk: Any, fields: dict, code: str) -> None:
    a = assign(tpk, TargetKind.FAMILY, tpk.family)
    if fields.get("on") == TOMORROW:
        fields = {"on": later(1)}
    with pytest.raises(ValidationError) as error:
        visit(a, tpk, **fields)
    assert codes(error.value) == [code]
    assert not TpkVisit.objects.exists()
    assert not AuditEvent.objects.filter(action="tpk_visit.record").exists()


def test_visitor_must_be_of_the_team(world: World, tpk: Any) -> None:
    from kampungkb.cadres.tests.conftest import register

    ppkbd = register("Siti Aminah", area=tpk.team.village)
    a = assign(tpk, TargetKind.FAMILY, tpk.family)
    with pytest.raises(ValidationError) as error:
        visit(a, tpk, members=[tpk.kb.pk, ppkbd.pk])
    assert codes(error.value) == ["tpk.member_not_in_team"]
    assert not TpkVisit.objects.exists()


def test_visit_after_pregnancy_ended_refused(world: World, tpk: Any) -> None:
    a = assign(tpk, TargetKind.PREGNANCY, tpk.pregnancy)
    birth(tpk)
    a.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        visit(a, tpk, D(2025, 3, 6))
    assert codes(error.value) == ["tpk.visit_outside_assignment"]
    assert not TpkVisit.objects.exists()


def test_close_lapsed_command(world: World, tpk: Any) -> None:
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    assign(tpk, TargetKind.CHILD, Person.objects.get(full_name="Rizky Pratama"), D(2019, 1, 1))
    out = StringIO()
    call_command("tpk", "close-lapsed", "--area", tpk.team.village_id, stdout=out)
    assert out.getvalue() == "1 TPK assignment(s) ended.\n"
    with pytest.raises(CommandError):
        call_command("tpk", "close-lapsed", "--area", "99.99")
