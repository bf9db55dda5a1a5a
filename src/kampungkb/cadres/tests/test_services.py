"""The rules of the cadre writes: roster, K/0 re-registration, TPK teams, curricula and tests.
A refused write leaves nothing behind."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from kampungkb.activities import services as activity_services
from kampungkb.activities.models import Activity, ActivityKind
from kampungkb.cadres import services
from kampungkb.cadres.models import (
    Cadre,
    CadreRegistration,
    CadreRole,
    KnowledgeAnswer,
    KnowledgeTest,
    TeamRole,
    TpkTeam,
)
from kampungkb.cadres.services import CadreData
from kampungkb.cadres.tests.conftest import TRAINING_ON, person, register, sheet, training_data
from kampungkb.core.models import AuditEvent
from kampungkb.testing.world import OTHER_VILLAGE, RT, RW, VILLAGE, VILLAGE_2, World

THIS_YEAR = timezone.localdate().year


def codes(error: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    exc = error.value
    if hasattr(exc, "error_dict"):
        return [str(e.code) for errors in exc.error_dict.values() for e in errors]
    return [str(e.code) for e in exc.error_list]


def data(world: World, **fields: object) -> CadreData:
    values: dict[str, object] = {
        "role": CadreRole.PPKBD,
        "area": world.area(VILLAGE),
        "started_on": dt.date(2021, 2, 1),
    }
    values.update(fields)
    return CadreData(**values)  # type: ignore[arg-type]


# -- Roster ---------------------------------------------------------------------------------------


def test_register_puts_the_person_on_the_roster_with_this_years_k0(world: World) -> None:
    officer = world.user("pkb")
    cadre = services.cadre_register(
        person=person("Siti Aminah"),
        data=data(world, decree_number=" SK 7/2021 ", decree_date=dt.date(2021, 1, 20)),
        actor=officer,
    )
    assert (cadre.role, cadre.area_id, cadre.is_active, cadre.decree_number) == (
        "ppkbd",
        VILLAGE,
        True,
        "SK 7/2021",
    )
    assert cadre.recorded_by == officer
    assert list(cadre.registrations.values_list("year", "registered_on")) == [
        (THIS_YEAR, timezone.localdate())
    ]
    event = AuditEvent.objects.get(action="cadre.register")
    assert (event.actor, event.object_id, event.area_code) == (officer, str(cadre.pk), VILLAGE)


def test_register_takes_the_registers_phone_when_none_given(world: World) -> None:
    siti = person("Siti Aminah")
    siti.phone = "081234567890"
    siti.save()
    cadre = services.cadre_register(person=siti, data=data(world), actor=None)
    assert cadre.phone == "081234567890"


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"role": CadreRole.PPKBD, "area_code": RW}, "cadre.role_area_level"),
        ({"role": CadreRole.SUB_PPKBD, "area_code": VILLAGE}, "cadre.role_area_level"),
        ({"role": CadreRole.KELOMPOK_KB, "area_code": RW}, "cadre.role_area_level"),
        ({"role": CadreRole.POSYANDU, "area_code": "64.02.08"}, "cadre.area_level"),
        ({"role": CadreRole.PPKBD, "area_code": VILLAGE_2}, "cadre.person_other_village"),
        ({"started_on": dt.date(2999, 1, 1)}, "cadre.date_in_future"),
        ({"decree_date": dt.date(2021, 1, 1)}, "cadre.decree_date_without_number"),
        ({"role": CadreRole.TPK_MEMBER}, "cadre.team_required"),
        ({"team_role": TeamRole.MIDWIFE}, "cadre.team_only_for_tpk"),
    ],
)
def test_register_refusals_write_nothing(world: World, fields: dict, code: str) -> None:
    fields = dict(fields)
    if "area_code" in fields:
        fields["area"] = world.area(fields.pop("area_code"))
    with pytest.raises(ValidationError) as error:
        services.cadre_register(
            person=person("Siti Aminah"), data=data(world, **fields), actor=world.user("pkb")
        )
    assert code in codes(error)
    assert Cadre.objects.count() == 0
    assert CadreRegistration.objects.count() == 0
    assert AuditEvent.objects.filter(action="cadre.register").count() == 0


def test_register_refuses_a_child_and_a_person_or_area_out_of_scope(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        services.cadre_register(person=person("Rizky Pratama"), data=data(world), actor=None)
    assert codes(error) == ["cadre.person_too_young"]
    # The other kabupaten's cadre names a person of Kutai Kartanegara.
    with pytest.raises(ValidationError) as error:
        services.cadre_register(
            person=person("Siti Aminah"),
            data=data(world, area=world.area(OTHER_VILLAGE)),
            actor=world.user("other_cadre"),
        )
    assert codes(error) == ["cadre.person_not_found"]
    # The RT cadre may not register a village-level PPKBD.
    with pytest.raises(ValidationError) as error:
        services.cadre_register(
            person=person("Siti Aminah"), data=data(world), actor=world.user("cadre_rt")
        )
    assert codes(error) == ["cadre.area_not_found"]
    assert Cadre.objects.count() == 0


def test_one_open_row_per_person_role_and_area(world: World, ppkbd: Cadre) -> None:
    with pytest.raises(ValidationError) as error:
        services.cadre_register(person=ppkbd.person, data=data(world), actor=None)
    assert codes(error) == ["cadre.already_in_role"]
    # Another role in the same village is another row.
    posyandu = services.cadre_register(
        person=ppkbd.person,
        data=data(world, role=CadreRole.POSYANDU, area=world.area(RT)),
        actor=None,
    )
    assert Cadre.objects.filter(person=ppkbd.person).count() == 2
    assert posyandu.area_id == RT


def test_update_changes_dates_decree_and_phone_but_not_role_or_area(
    world: World, ppkbd: Cadre
) -> None:
    services.cadre_update(
        cadre=ppkbd,
        data=data(
            world,
            role=CadreRole.KELOMPOK_KB,
            area=world.area(RT),
            started_on=dt.date(2019, 5, 1),
            decree_number="SK 3/2019",
            phone="0813",
        ),
        actor=world.user("cadre"),
    )
    ppkbd.refresh_from_db()
    assert (ppkbd.role, ppkbd.area_id, ppkbd.started_on, ppkbd.decree_number, ppkbd.phone) == (
        "ppkbd",
        VILLAGE,
        dt.date(2019, 5, 1),
        "SK 3/2019",
        "0813",
    )
    event = AuditEvent.objects.get(action="cadre.update")
    assert event.before == {
        "started_on": "2020-01-06",
        "decree_number": "SK 12/2020",
        "phone": "0812",
    }


def test_update_out_of_scope_is_not_found(world: World, ppkbd: Cadre) -> None:
    with pytest.raises(Http404):
        services.cadre_update(cadre=ppkbd, data=data(world), actor=world.user("other_district"))
    with pytest.raises(Http404):
        services.cadre_update(cadre=ppkbd, data=data(world), actor=world.user("viewer"))
    ppkbd.refresh_from_db()
    assert ppkbd.started_on == dt.date(2020, 1, 6)


def test_deactivate_keeps_the_row_and_frees_the_role(world: World, ppkbd: Cadre) -> None:
    services.cadre_deactivate(
        cadre=ppkbd, ended_on=dt.date(2024, 6, 30), reason=" Pindah ", actor=world.user("pkb")
    )
    ppkbd.refresh_from_db()
    assert (ppkbd.is_active, ppkbd.ended_on, ppkbd.deactivated_reason) == (
        False,
        dt.date(2024, 6, 30),
        "Pindah",
    )
    with pytest.raises(ValidationError) as error:
        services.cadre_deactivate(cadre=ppkbd, ended_on=dt.date(2024, 7, 1), reason="x", actor=None)
    assert codes(error) == ["cadre.already_inactive"]
    again = services.cadre_register(person=ppkbd.person, data=data(world), actor=None)
    assert again.pk != ppkbd.pk
    assert Cadre.objects.filter(person=ppkbd.person).count() == 2


@pytest.mark.parametrize(
    ("ended_on", "reason", "code"),
    [
        (dt.date(2024, 6, 30), "  ", "cadre.reason_required"),
        (dt.date(2019, 12, 31), "Pindah", "cadre.ended_before_start"),
        (dt.date(2999, 1, 1), "Pindah", "cadre.date_in_future"),
    ],
)
def test_deactivate_refusals(
    world: World, ppkbd: Cadre, ended_on: dt.date, reason: str, code: str
) -> None:
    with pytest.raises(ValidationError) as error:
        services.cadre_deactivate(cadre=ppkbd, ended_on=ended_on, reason=reason, actor=None)
    assert codes(error) == [code]
    ppkbd.refresh_from_db()
    assert ppkbd.is_active is True


# -- K/0 re-registration --------------------------------------------------------------------------


def test_reregister_once_per_cadre_and_year(world: World, ppkbd: Cadre) -> None:
    registration = services.cadre_reregister(
        cadre=ppkbd, year=2024, registered_on=dt.date(2024, 1, 15), actor=world.user("cadre")
    )
    assert (registration.year, registration.registered_on) == (2024, dt.date(2024, 1, 15))
    with pytest.raises(ValidationError) as error:
        services.cadre_reregister(
            cadre=ppkbd, year=2024, registered_on=dt.date(2024, 2, 1), actor=None
        )
    assert codes(error) == ["cadre.already_registered"]
    with pytest.raises(ValidationError) as error:
        services.cadre_reregister(
            cadre=ppkbd, year=2023, registered_on=dt.date(2024, 1, 2), actor=None
        )
    assert codes(error) == ["cadre.year_mismatch"]
    with pytest.raises(ValidationError) as error:
        services.cadre_reregister(
            cadre=ppkbd, year=2019, registered_on=dt.date(2019, 1, 2), actor=None
        )
    assert codes(error) == ["cadre.started_after_year"]
    assert sorted(ppkbd.registrations.values_list("year", flat=True)) == [2024, THIS_YEAR]


def test_reregister_many_is_all_or_nothing(world: World, ppkbd: Cadre) -> None:
    second = register("Sutrisno", role=CadreRole.POSYANDU, area=world.area(RT))
    services.cadre_deactivate(cadre=second, ended_on=dt.date(2024, 1, 1), reason="x", actor=None)
    with pytest.raises(ValidationError) as error:
        services.cadre_reregister_many(
            cadres=[ppkbd, second], year=2024, registered_on=dt.date(2024, 1, 10), actor=None
        )
    assert codes(error) == ["cadre.inactive"]
    assert CadreRegistration.objects.filter(year=2024).count() == 0
    with pytest.raises(ValidationError) as error:
        services.cadre_reregister_many(
            cadres=[], year=2024, registered_on=dt.date(2024, 1, 10), actor=None
        )
    assert codes(error) == ["cadre.nothing_ticked"]


def test_reregister_out_of_scope_is_not_found(world: World, ppkbd: Cadre) -> None:
    with pytest.raises(Http404):
        services.cadre_reregister(
            cadre=ppkbd, year=2024, registered_on=dt.date(2024, 1, 3), actor=world.user("partner")
        )
    assert ppkbd.registrations.filter(year=2024).count() == 0


# -- TPK teams ----------------------------------------------------------------------------------------


def test_tpk_team_seats(world: World) -> None:
    team = services.tpk_team_create(
        village=world.area(VILLAGE), name=" TPK Mahakam 1 ", actor=world.user("pkb")
    )
    assert team.name == "TPK Mahakam 1"
    midwife = register(
        "Siti Aminah",
        role=CadreRole.TPK_MEMBER,
        area=world.area(VILLAGE),
        tpk_team=team,
        team_role=TeamRole.MIDWIFE,
    )
    assert (midwife.tpk_team, midwife.team_role) == (team, "midwife")
    with pytest.raises(ValidationError) as error:
        register(
            "Rahmawati",
            role=CadreRole.TPK_MEMBER,
            area=world.area(VILLAGE),
            tpk_team=team,
            team_role=TeamRole.MIDWIFE,
        )
    assert codes(error) == ["cadre.team_seat_taken"]
    with pytest.raises(ValidationError) as error:
        services.tpk_team_update(team=team, name=team.name, is_active=False, actor=None)
    assert codes(error) == ["cadre.team_has_members"]
    with pytest.raises(ValidationError) as error:
        services.tpk_team_create(village=world.area(VILLAGE), name="tpk mahakam 1", actor=None)
    assert codes(error) == ["cadre.team_name_taken"]
    with pytest.raises(ValidationError) as error:
        services.tpk_team_create(village=world.area(RW), name="TPK RW", actor=None)
    assert codes(error) == ["cadre.team_village_level"]
    assert TpkTeam.objects.count() == 1


# -- Trainings and tests ----------------------------------------------------------------------------


def test_training_topics_replace_the_curriculum(world: World, training: Activity) -> None:
    services.training_topics_set(training=training, topics=["stunting", "vasectomy"], actor=None)
    assert sorted(training.curriculum.values_list("topic", flat=True)) == [
        "stunting",
        "vasectomy",
    ]
    with pytest.raises(ValidationError) as error:
        services.training_topics_set(training=training, topics=["astrology"], actor=None)
    assert codes(error) == ["cadre.topic_unknown"]
    counselling = activity_services.activity_create(
        data=training_data(kind=ActivityKind.COUNSELLING, area=world.area(VILLAGE)), actor=None
    )
    with pytest.raises(ValidationError) as error:
        services.training_topics_set(training=counselling, topics=["stunting"], actor=None)
    assert codes(error) == ["cadre.not_a_training"]


def test_score_is_computed_from_the_bank(world: World, ppkbd: Cadre, training: Activity) -> None:
    answers = sheet(["MOP-01", "MOP-02", "KON-01"], ["MOP-03"], blank=["KON-02", "KON-03"])
    test = services.test_record(
        cadre=ppkbd,
        training=training,
        phase="post",
        taken_on=TRAINING_ON,
        answers=answers,
        actor=world.user("pkb"),
    )
    assert (test.question_count, test.correct_count, test.score) == (6, 3, Decimal("50.0"))
    stored = dict(test.answers.values_list("question__code", "is_correct"))
    assert stored == {
        "KON-01": True,
        "KON-02": False,
        "KON-03": False,
        "MOP-01": True,
        "MOP-02": True,
        "MOP-03": False,
    }
    assert set(test.answers.values_list("topic", flat=True)) == {"vasectomy", "counselling"}


def test_score_rounds_half_up_to_one_decimal(world: World, ppkbd: Cadre) -> None:
    test = services.test_record(
        cadre=ppkbd,
        phase="pre",
        taken_on=dt.date(2025, 1, 5),
        answers=sheet(["STN-01", "STN-02"], ["STN-03"]),
        actor=None,
    )
    assert test.score == Decimal("66.7")
    assert services.score_of(1, 8) == Decimal("12.5")
    assert services.score_of(7, 8) == Decimal("87.5")
    assert services.score_of(1, 6) == Decimal("16.7")


def test_test_refusals_write_nothing(world: World, ppkbd: Cadre, training: Activity) -> None:
    answers = sheet(["MOP-01"], [])
    cases = [
        (
            {"phase": "pre", "taken_on": TRAINING_ON + dt.timedelta(days=1)},
            "cadre.pre_test_after_training",
        ),
        (
            {"phase": "post", "taken_on": TRAINING_ON - dt.timedelta(days=1)},
            "cadre.post_test_before_training",
        ),
        ({"phase": "post", "taken_on": TRAINING_ON, "answers": {}}, "cadre.no_questions"),
        (
            {"phase": "post", "taken_on": TRAINING_ON, "answers": {999_999: "a"}},
            "cadre.question_unknown",
        ),
        (
            {"phase": "post", "taken_on": TRAINING_ON, "answers": {next(iter(answers)): "e"}},
            "cadre.answer_invalid",
        ),
    ]
    for fields, code in cases:
        kwargs: dict[str, Any] = {"answers": answers, **fields}
        with pytest.raises(ValidationError) as error:
            services.test_record(cadre=ppkbd, training=training, actor=None, **kwargs)
        assert codes(error) == [code]
    assert KnowledgeTest.objects.count() == 0
    assert KnowledgeAnswer.objects.count() == 0


def test_one_test_per_cadre_training_and_phase(
    world: World, ppkbd: Cadre, training: Activity
) -> None:
    services.test_record(
        cadre=ppkbd,
        training=training,
        phase="pre",
        taken_on=TRAINING_ON,
        answers=sheet(["MOP-01"], []),
        actor=None,
    )
    with pytest.raises(ValidationError) as error:
        services.test_record(
            cadre=ppkbd,
            training=training,
            phase="pre",
            taken_on=TRAINING_ON,
            answers=sheet([], ["MOP-01"]),
            actor=None,
        )
    assert codes(error) == ["cadre.test_taken"]
    assert KnowledgeTest.objects.count() == 1


def test_test_out_of_scope_or_inactive_cadre(
    world: World, ppkbd: Cadre, other_ppkbd: Cadre
) -> None:
    with pytest.raises(Http404):
        services.test_record(
            cadre=other_ppkbd,
            phase="pre",
            taken_on=dt.date(2025, 1, 1),
            answers=sheet(["MOP-01"], []),
            actor=world.user("district"),
        )
    services.cadre_deactivate(cadre=ppkbd, ended_on=dt.date(2024, 1, 1), reason="x", actor=None)
    with pytest.raises(ValidationError) as error:
        services.test_record(
            cadre=ppkbd,
            phase="pre",
            taken_on=dt.date(2025, 1, 1),
            answers=sheet(["MOP-01"], []),
            actor=None,
        )
    assert codes(error) == ["cadre.inactive"]
    assert KnowledgeTest.objects.count() == 0


def test_delete_a_test_recorded_in_error(world: World, ppkbd: Cadre) -> None:
    test = services.test_record(
        cadre=ppkbd,
        phase="pre",
        taken_on=dt.date(2025, 1, 5),
        answers=sheet(["MOP-01"], []),
        actor=None,
    )
    with pytest.raises(Http404):
        services.test_delete(test=test, actor=world.user("other_cadre"))
    services.test_delete(test=test, actor=world.user("cadre"))
    assert KnowledgeTest.objects.count() == 0
    assert KnowledgeAnswer.objects.count() == 0
    assert AuditEvent.objects.get(action="knowledge_test.delete").before["score"] == "100.0"
