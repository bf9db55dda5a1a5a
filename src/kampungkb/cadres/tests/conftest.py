"""Fixtures of the cadres tests: the question bank (put back after a transactional test's
flush), a PPKBD of Kota Bangun Ulu, a training and answer sheets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import pytest

from kampungkb.activities import services as activity_services
from kampungkb.activities.models import Activity, ActivityKind, FamilyFunction
from kampungkb.activities.services import ActivityData
from kampungkb.cadres import incentives_services, meetings_services, services
from kampungkb.cadres.incentives_services import RuleData
from kampungkb.cadres.models import Cadre, CadreRole, IncentiveRule, Question
from kampungkb.cadres.questions import bank_load
from kampungkb.cadres.services import CadreData
from kampungkb.contraception import services as contraception_services
from kampungkb.contraception.models import FollowUp, Method, VisitKind
from kampungkb.families.models import Couple, Person
from kampungkb.testing.world import KAB, OTHER_VILLAGE, VILLAGE, World

TRAINING_ON = dt.date(2025, 3, 10)


@pytest.fixture(autouse=True)
def question_bank(world: World) -> None:
    """The bank is written by a data migration; a transactional test's flush empties it."""
    if not Question.objects.exists():
        bank_load(Question)


def person(name: str) -> Person:
    return Person.objects.get(full_name=name)


def register(name: str, role: str = CadreRole.PPKBD, area: Any = None, **fields: Any) -> Cadre:
    data = CadreData(
        role=role,
        area=area,
        started_on=fields.pop("started_on", dt.date(2020, 1, 6)),
        **fields,
    )
    return services.cadre_register(person=person(name), data=data, actor=None)


@pytest.fixture
def ppkbd(world: World) -> Cadre:
    """Siti Aminah, PPKBD of Kota Bangun Ulu since 2020."""
    return register(
        "Siti Aminah", area=world.area(VILLAGE), decree_number="SK 12/2020", phone="0812"
    )


@pytest.fixture
def other_ppkbd(world: World) -> Cadre:
    """Baiq Nurul, PPKBD of Tumbuh Mulia (Lombok Timur): out of scope for Kutai Kartanegara."""
    return register("Baiq Nurul", area=world.area(OTHER_VILLAGE))


def training_data(**fields: Any) -> ActivityData:
    values: dict[str, Any] = {
        "kind": ActivityKind.TRAINING,
        "title": "Pelatihan kader KB",
        "held_on": TRAINING_ON,
        "family_function": FamilyFunction.REPRODUCTION,
        "organiser": "DP2KB Kutai Kartanegara",
    }
    values.update(fields)
    return ActivityData(**values)


@pytest.fixture
def training(world: World) -> Activity:
    """A cadre training in Kota Bangun Ulu on vasectomy and counselling."""
    activity = activity_services.activity_create(
        data=training_data(area=world.area(VILLAGE)), actor=None
    )
    services.training_topics_set(training=activity, topics=["vasectomy", "counselling"], actor=None)
    return activity


def sheet(
    codes_right: list[str], codes_wrong: list[str], blank: Sequence[str] = ()
) -> dict[int, str]:
    """Answers: the right option for ``codes_right``, a wrong one for ``codes_wrong``, none for
    ``blank``."""
    answers: dict[int, str] = {}
    for q in Question.objects.filter(code__in=[*codes_right, *codes_wrong, *blank]):
        if q.code in codes_right:
            answers[q.pk] = q.correct
        elif q.code in codes_wrong:
            answers[q.pk] = next(o for o in "abcd" if o != q.correct)
        else:
            answers[q.pk] = ""
    return answers


def topic_sheet(topic: str, right: int) -> dict[int, str]:
    """All questions of a topic (8), the first ``right`` of them answered right."""
    codes = list(
        Question.objects.filter(topic=topic).order_by("code").values_list("code", flat=True)
    )
    return sheet(codes[:right], codes[right:])


# -- Incentives (decision 0028) ----------------------------------------------------------------------

INCENTIVE_MONTH = dt.date(2025, 3, 1)


def incentive_rule_data(world: World, **fields: Any) -> RuleData:
    values: dict[str, Any] = {
        "area": world.area(KAB),
        "valid_from": dt.date(2025, 1, 1),
        "base_honorarium": 100_000,
        "per_home_visit": 10_000,
        "per_referral": 25_000,
        "per_meeting": 20_000,
        "per_training": 50_000,
        "max_home_visits": 3,
        "note": "Perbup 12/2024",
    }
    values.update(fields)
    return RuleData(**values)


@pytest.fixture
def incentive_rule(world: World) -> IncentiveRule:
    """Kutai Kartanegara pays every role from January 2025: Rp 100.000 a month, Rp 10.000 a
    verified home visit (at most 3 a month), Rp 25.000 a referral that became a new user,
    Rp 20.000 a meeting, Rp 50.000 a training."""
    return incentives_services.rule_create(data=incentive_rule_data(world), actor=None)


def follow_up(world: World, on: dt.date, outcome: str = "visited", **fields: Any) -> FollowUp:
    couple = Couple.objects.get(wife__full_name="Siti Aminah")
    return contraception_services.followup_record(
        couple=couple,
        episode=None,
        done_on=on,
        outcome=outcome,
        actor=world.user("cadre"),
        **fields,
    )


@pytest.fixture
def earning_ppkbd(
    world: World, ppkbd: Cadre, incentive_rule: IncentiveRule, training: Activity
) -> Cadre:
    """Siti Aminah's PPKBD row linked to the ``cadre`` login, with her records of March 2025:

    - home visits recorded with her login on 3, 4, 6 and 7 March and verified by the PKB officer
      (4 visits: one above the cap of 3), one on 10 March still awaiting verification and one on
      11 March rejected;
    - the 6 March visit referred the couple, who started the pill on 12 March (a new user);
    - the March cadre meeting of Kota Bangun Ulu on 20 March with minutes, which she attended;
    - the training of 10 March, which she attended and took the post-test of.

    She earns 100.000 + 3 x 10.000 + 25.000 + 20.000 + 50.000 = Rp 225.000.
    """
    services.cadre_update(
        cadre=ppkbd,
        data=CadreData(
            role=ppkbd.role,
            area=ppkbd.area,
            started_on=ppkbd.started_on,
            account=world.user("cadre"),
        ),
        actor=None,
    )
    pkb = world.user("pkb")
    verified = [
        follow_up(world, dt.date(2025, 3, 3)),
        follow_up(world, dt.date(2025, 3, 4)),
        follow_up(world, dt.date(2025, 3, 6), "referred"),
        follow_up(world, dt.date(2025, 3, 7)),
    ]
    contraception_services.followups_verify(follow_ups=verified, verification="verified", actor=pkb)
    follow_up(world, dt.date(2025, 3, 10))
    rejected = follow_up(world, dt.date(2025, 3, 11))
    contraception_services.followups_verify(
        follow_ups=[rejected], verification="rejected", note="Tidak ada di rumah", actor=pkb
    )
    contraception_services.visit_record(
        couple=Couple.objects.get(wife__full_name="Siti Aminah"),
        visited_on=dt.date(2025, 3, 12),
        method=Method.objects.get(pk="PIL"),
        kind=VisitKind.START,
        actor=None,
    )
    meeting = meetings_services.meeting_open(
        village=world.area(VILLAGE), month=INCENTIVE_MONTH, held_on=dt.date(2025, 3, 20), actor=None
    )
    meetings_services.meeting_attendance_set(meeting=meeting, present=[ppkbd.person_id], actor=None)
    meetings_services.minutes_save(
        meeting=meeting, minutes="Capaian Maret dibahas.", problems="", decisions="", actor=None
    )
    activity_services.attendance_set(
        activity=training, add=[ppkbd.person_id], remove=[], actor=None
    )
    services.test_record(
        cadre=ppkbd,
        training=training,
        phase="post",
        taken_on=TRAINING_ON,
        answers=topic_sheet("vasectomy", 8),
        actor=None,
    )
    ppkbd.refresh_from_db()
    return ppkbd


# -- The TPK at work (test_tpk*.py) ---------------------------------------------------------------


@pytest.fixture
def tpk(world: World) -> Any:
    """Team Melati of Kota Bangun Ulu (midwife Rahmawati with the login ``cadre_rt``, PKK cadre
    Siti Aminah, KB cadre Sutrisno); family Sutrisno at risk (unprotected well) with Siti Aminah
    pregnant from 10-01-2025 and delivering on 05-03-2025; family Hasan (RT 002) at risk (a wife
    of 17); a team in Tumbuh Mulia."""
    from types import SimpleNamespace

    from kampungkb.cadres.models import TeamRole
    from kampungkb.families import services as family_services
    from kampungkb.families.models import Family, Relation, Sex
    from kampungkb.testing.world import RT_2
    from kampungkb.testing.world import person as world_person

    village = world.area(VILLAGE)
    team = services.tpk_team_create(village=village, name="Tim Melati", actor=None)
    seats = {}
    for name, seat in (
        ("Rahmawati", TeamRole.MIDWIFE),
        ("Siti Aminah", TeamRole.PKK_CADRE),
        ("Sutrisno", TeamRole.KB_CADRE),
    ):
        seats[seat] = register(
            name,
            role=CadreRole.TPK_MEMBER,
            area=village,
            tpk_team=team,
            team_role=seat,
            account=world.user("cadre_rt") if seat == TeamRole.MIDWIFE else None,
        )
    Family.objects.filter(pk=world.family.pk).update(
        water_source="unprotected_well", latrine="own", has_septic_tank=True
    )
    hasan = family_services.family_register(
        area=world.area(RT_2),
        kk_number="6402081507240003",
        address="Gang Damai",
        head=world_person("Hasan", Sex.MALE, dt.date(2000, 4, 1), Relation.HEAD, 21),
        actor=None,
    )
    young = family_services.person_add(
        family=hasan,
        data=world_person("Nur Aini", Sex.FEMALE, dt.date(2007, 6, 1), Relation.WIFE, 22),
        actor=None,
    )
    family_services.couple_register(
        wife=young, husband=hasan.head, married_on=dt.date(2024, 7, 1), actor=None
    )
    couple = Couple.objects.get(wife__full_name="Siti Aminah")
    pregnancy = family_services.pregnancy_record(
        couple=couple, recorded_on=dt.date(2025, 1, 10), expected_on=None, actor=None
    )
    other_team = services.tpk_team_create(
        village=world.area(OTHER_VILLAGE), name="Tim Mawar", actor=None
    )
    return SimpleNamespace(
        team=team,
        midwife=seats[TeamRole.MIDWIFE],
        pkk=seats[TeamRole.PKK_CADRE],
        kb=seats[TeamRole.KB_CADRE],
        family=Family.objects.get(pk=world.family.pk),
        hasan=Family.objects.get(pk=hasan.pk),
        pregnancy=pregnancy,
        couple=couple,
        other_team=other_team,
    )


@pytest.fixture
def tpk_history(tpk: Any) -> Any:
    """Team Melati accompanies family Sutrisno, Siti Aminah's pregnancy and family Hasan from
    01-02-2025; visits family Sutrisno on 10-02, the pregnant Siti Aminah on 02-03; she gives
    birth on 05-03 (the team goes on with her as a post-partum mother) and is visited on 10-03."""
    from kampungkb.cadres import tpk_services
    from kampungkb.cadres.models import TargetKind, TpkAssignment
    from kampungkb.families import services as family_services
    from kampungkb.families.models import Sex

    start = dt.date(2025, 2, 1)
    made = {}
    for key, kind, target in (
        ("family", TargetKind.FAMILY, tpk.family),
        ("pregnancy", TargetKind.PREGNANCY, tpk.pregnancy),
        ("hasan", TargetKind.FAMILY, tpk.hasan),
    ):
        made[key] = tpk_services.tpk_assignment_create(
            team=tpk.team, kind=kind, target=target, started_on=start, actor=None
        )

    def visit(assignment: Any, on: dt.date, **checklist: bool) -> Any:
        return tpk_services.tpk_visit_record(
            assignment=assignment,
            visited_on=on,
            members=[tpk.midwife.pk, tpk.kb.pk],
            checklist=checklist,
            actor=None,
        )

    visit(made["family"], dt.date(2025, 2, 10), nutrition_counselling=True)
    visit(made["pregnancy"], dt.date(2025, 3, 2), nutrition_counselling=True)
    family_services.birth_record(
        mother=tpk.couple.wife,
        full_name="Bayi Aminah",
        sex=Sex.FEMALE,
        birth_date=dt.date(2025, 3, 5),
        actor=None,
    )
    made["postpartum"] = TpkAssignment.objects.get(kind=TargetKind.POSTPARTUM)
    visit(made["postpartum"], dt.date(2025, 3, 10), postpartum_contraception=True)
    tpk.assignments = made
    return tpk
