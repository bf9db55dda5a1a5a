"""Writes of the cadres app: the roster (register, update, deactivate, the yearly K/0
re-registration), TPK teams, training curricula and knowledge tests.

One function per write, keyword-only, each in one transaction with an audit event. The actor's
scope (``Capability.EDIT_PROGRAMME``) is checked here, so pages and the API get the same rules;
``actor=None`` is the system itself. A refused write raises a ``ValidationError`` (a
``CadreProblem``) before anything is written, or rolls the whole transaction back. Cadres are
deactivated, never deleted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from kampungkb.accounts.models import Role
from kampungkb.accounts.scope import Capability, ensure_can, scope_for, scoped
from kampungkb.activities.models import Activity, ActivityKind
from kampungkb.cadres.errors import CadreProblem
from kampungkb.cadres.models import (
    Cadre,
    CadreRegistration,
    CadreRole,
    KnowledgeAnswer,
    KnowledgeTest,
    Phase,
    Question,
    TeamRole,
    Topic,
    TpkTeam,
    TrainingTopic,
)
from kampungkb.core.audit import audit_record, snapshot
from kampungkb.families.models import Person
from kampungkb.regions.models import Area, Level
from kampungkb.regions.selectors import subtree_q

EDIT = Capability.EDIT_PROGRAMME
EARLIEST_DATE = dt.date(1970, 1, 1)
MIN_AGE = 15
# The level of the area each role serves; roles left out serve a village, a hamlet/RW or an RT.
ROLE_LEVELS: dict[str, int] = {
    CadreRole.PPKBD: Level.VILLAGE,
    CadreRole.SUB_PPKBD: Level.HAMLET,
    CadreRole.KELOMPOK_KB: Level.NEIGHBOURHOOD,
    CadreRole.TPK_MEMBER: Level.VILLAGE,
}
OPTIONS = ("a", "b", "c", "d")
# ``CadreData.account`` left as it is (a form or API call that does not speak of the login).
KEEP: Any = object()
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class CadreData:
    """What a form or the API says about a cadre's role. ``tpk_team`` and ``team_role`` only for
    a TPK member."""

    role: str
    area: Area
    started_on: dt.date
    decree_number: str = ""
    decree_date: dt.date | None = None
    phone: str = ""
    tpk_team: TpkTeam | None = None
    team_role: str = ""
    # The cadre's own login (a user), whose follow-ups are this cadre's home visits; None unlinks.
    account: Any = KEEP


def _today() -> dt.date:
    return timezone.localdate()


def _user_or_none(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def village_code(code: str) -> str:
    """The village of an area at village level or below (``PP.KK.CC.XDDD``)."""
    return ".".join(code.split(".")[:4])


def _check_date(on: dt.date, field: str) -> None:
    if on > _today():
        raise CadreProblem.DATE_IN_FUTURE.on(field)
    if on < EARLIEST_DATE:
        raise CadreProblem.DATE_TOO_EARLY.on(field)


def _check_area(actor: Any, area: Area, role: str) -> None:
    if area.level < Level.VILLAGE:
        raise CadreProblem.AREA_LEVEL.on("area")
    if actor is not None and not scope_for(actor).can(EDIT, area.code):
        raise CadreProblem.AREA_NOT_FOUND.on("area", code=area.code)
    level = ROLE_LEVELS.get(role)
    if level is not None and area.level != level:
        raise CadreProblem.ROLE_AREA_LEVEL.on(
            "area", role=CadreRole(role).label, level=Level(level).label
        )


def _check_person(actor: Any, person: Person, area: Area) -> None:
    if actor is not None and not scoped(actor, Person.objects.filter(pk=person.pk), EDIT).exists():
        raise CadreProblem.PERSON_NOT_FOUND.on("person")
    if person.died_on is not None or not person.is_active or not person.family.is_active:
        raise CadreProblem.PERSON_NOT_LIVING.on("person", name=person.full_name)
    if person.age_on(_today()) < MIN_AGE:
        raise CadreProblem.PERSON_TOO_YOUNG.on("person", age=MIN_AGE)
    if village_code(person.family.area_id) != village_code(area.code):
        raise CadreProblem.PERSON_OTHER_VILLAGE.on("person", name=person.full_name)


def _check_team(cadre: Cadre, data: CadreData) -> None:
    team = data.tpk_team
    if data.role != CadreRole.TPK_MEMBER:
        if team is not None or data.team_role:
            raise CadreProblem.TEAM_ONLY_FOR_TPK.on("tpk_team")
        return
    if team is None or data.team_role not in TeamRole.values:
        raise CadreProblem.TEAM_REQUIRED.on("tpk_team")
    if team.village_id != data.area.code:
        raise CadreProblem.TEAM_OTHER_VILLAGE.on("tpk_team", team=team.name)
    if team.pk != cadre.tpk_team_id and not team.is_active:
        raise CadreProblem.TEAM_INACTIVE.on("tpk_team", team=team.name)
    holder = (
        Cadre.objects.filter(tpk_team=team, team_role=data.team_role, is_active=True)
        .exclude(pk=cadre.pk)
        .select_related("person")
        .first()
    )
    if holder is not None:
        raise CadreProblem.TEAM_SEAT_TAKEN.on(
            "team_role",
            seat=TeamRole(data.team_role).label,
            team=team.name,
            name=holder.person.full_name,
        )


def _check_account(cadre: Cadre, account: Any, area: Area) -> None:
    """A cadre's login is a cadre account working in the cadre's village, and one person's."""
    village = village_code(area.code)
    works_here = account.assignments.filter(
        subtree_q("area_id", [village]), role=Role.CADRE
    ).exists()
    if not works_here:
        raise CadreProblem.ACCOUNT_OTHER_AREA.on("account", username=account.username)
    other = (
        Cadre.objects.filter(account=account, is_active=True)
        .exclude(person_id=cadre.person_id)
        .select_related("person")
        .first()
    )
    if other is not None:
        raise CadreProblem.ACCOUNT_OTHER_PERSON.on(
            "account", username=account.username, name=other.person.full_name
        )


def _fill(cadre: Cadre, data: CadreData) -> None:
    _check_date(data.started_on, "started_on")
    if data.decree_date is not None:
        _check_date(data.decree_date, "decree_date")
        if not data.decree_number.strip():
            raise CadreProblem.DECREE_DATE_WITHOUT_NUMBER.on("decree_number")
    _check_team(cadre, data)
    cadre.started_on = data.started_on
    cadre.decree_number = data.decree_number.strip()
    cadre.decree_date = data.decree_date
    cadre.phone = data.phone.strip() or cadre.person.phone
    cadre.tpk_team = data.tpk_team
    cadre.team_role = data.team_role if data.tpk_team is not None else ""
    if data.account is not KEEP:
        if data.account is not None:
            _check_account(cadre, data.account, data.area)
        cadre.account = data.account
    cadre.full_clean(validate_constraints=False)


def _register_year(cadre: Cadre, on: dt.date, actor: Any) -> CadreRegistration:
    registration = CadreRegistration(
        cadre=cadre, year=on.year, registered_on=on, recorded_by=_user_or_none(actor)
    )
    registration.full_clean(validate_constraints=False)
    registration.save()
    return registration


@transaction.atomic
def cadre_register(*, person: Person, data: CadreData, actor: Any) -> Cadre:
    """Put a person on the roster in a role serving an area, with this year's K/0 registration
    (the card is filled when the cadre is registered)."""
    _check_area(actor, data.area, data.role)
    _check_person(actor, person, data.area)
    if Cadre.objects.filter(person=person, role=data.role, area=data.area, is_active=True).exists():
        raise CadreProblem.ALREADY_IN_ROLE.on(
            "role", name=person.full_name, role=CadreRole(data.role).label
        )
    cadre = Cadre(person=person, role=data.role, area=data.area, recorded_by=_user_or_none(actor))
    _fill(cadre, data)
    cadre.save()
    _register_year(cadre, _today(), actor)
    audit_record(actor=actor, action="cadre.register", instance=cadre, area_code=cadre.area_id)
    return cadre


@transaction.atomic
def cadre_update(*, cadre: Cadre, data: CadreData, actor: Any) -> Cadre:
    """Change a cadre's dates, decree, phone and TPK seat. The person, role and area are what the
    row is: another role or area is a new row (deactivate this one, register the new one)."""
    ensure_can(actor, EDIT, cadre.area_id)
    if not cadre.is_active:
        raise CadreProblem.INACTIVE.error(name=cadre.person.full_name)
    data = replace(data, role=cadre.role, area=cadre.area)
    before = snapshot(cadre)
    _fill(cadre, data)
    cadre.save()
    audit_record(
        actor=actor, action="cadre.update", instance=cadre, area_code=cadre.area_id, before=before
    )
    return cadre


@transaction.atomic
def cadre_deactivate(*, cadre: Cadre, ended_on: dt.date, reason: str, actor: Any) -> Cadre:
    """End a cadre's service (moved, resigned, died, replaced): the row stays, inactive."""
    ensure_can(actor, EDIT, cadre.area_id)
    if not cadre.is_active:
        raise CadreProblem.ALREADY_INACTIVE.error()
    if not reason.strip():
        raise CadreProblem.REASON_REQUIRED.on("reason")
    _check_date(ended_on, "ended_on")
    if ended_on < cadre.started_on:
        raise CadreProblem.ENDED_BEFORE_START.on(
            "ended_on", started=cadre.started_on.strftime("%d-%m-%Y")
        )
    before = snapshot(cadre)
    cadre.is_active = False
    cadre.ended_on = ended_on
    cadre.deactivated_reason = reason.strip()
    cadre.save()
    audit_record(
        actor=actor,
        action="cadre.deactivate",
        instance=cadre,
        area_code=cadre.area_id,
        before=before,
    )
    return cadre


def _check_reregistration(cadre: Cadre, year: int, registered_on: dt.date) -> None:
    if not cadre.is_active:
        raise CadreProblem.INACTIVE.error(name=cadre.person.full_name)
    this_year = _today().year
    if not EARLIEST_DATE.year <= year <= this_year:
        raise CadreProblem.YEAR_RANGE.on("year", first=EARLIEST_DATE.year, last=this_year)
    _check_date(registered_on, "registered_on")
    if registered_on.year != year:
        raise CadreProblem.YEAR_MISMATCH.on("registered_on", year=year)
    if cadre.started_on.year > year:
        raise CadreProblem.STARTED_AFTER_YEAR.error(name=cadre.person.full_name, year=year)
    if CadreRegistration.objects.filter(cadre=cadre, year=year).exists():
        raise CadreProblem.ALREADY_REGISTERED.error(name=cadre.person.full_name, year=year)


@transaction.atomic
def cadre_reregister(
    *, cadre: Cadre, year: int, registered_on: dt.date, actor: Any
) -> CadreRegistration:
    """The yearly K/0 re-registration of one active cadre: once per cadre and year."""
    ensure_can(actor, EDIT, cadre.area_id)
    _check_reregistration(cadre, year, registered_on)
    registration = _register_year(cadre, registered_on, actor)
    audit_record(
        actor=actor,
        action="cadre.reregister",
        instance=cadre,
        area_code=cadre.area_id,
        after={"year": year, "registered_on": registered_on.isoformat()},
    )
    return registration


@transaction.atomic
def cadre_reregister_many(
    *, cadres: Sequence[Cadre], year: int, registered_on: dt.date, actor: Any
) -> list[CadreRegistration]:
    """Re-register the ticked cadres in one go: all of them, or (on any refusal) none."""
    if not cadres:
        raise CadreProblem.NOTHING_TICKED.error()
    return [
        cadre_reregister(cadre=c, year=year, registered_on=registered_on, actor=actor)
        for c in cadres
    ]


# -- TPK teams --------------------------------------------------------------------------------------


def _check_team_name(team: TpkTeam, name: str) -> str:
    name = name.strip()
    taken = TpkTeam.objects.filter(village_id=team.village_id, name__iexact=name)
    if taken.exclude(pk=team.pk).exists():
        raise CadreProblem.TEAM_NAME_TAKEN.on("name", name=name)
    return name


@transaction.atomic
def tpk_team_create(*, village: Area, name: str, actor: Any) -> TpkTeam:
    if village.level != Level.VILLAGE:
        raise CadreProblem.TEAM_VILLAGE_LEVEL.on("village")
    if actor is not None and not scope_for(actor).can(EDIT, village.code):
        raise CadreProblem.AREA_NOT_FOUND.on("village", code=village.code)
    team = TpkTeam(village=village)
    team.name = _check_team_name(team, name)
    team.full_clean(validate_constraints=False)
    team.save()
    audit_record(actor=actor, action="tpk_team.create", instance=team, area_code=village.code)
    return team


@transaction.atomic
def tpk_team_update(*, team: TpkTeam, name: str, is_active: bool, actor: Any) -> TpkTeam:
    """Rename a team or deactivate it (once it has no active member)."""
    ensure_can(actor, EDIT, team.village_id)
    if team.is_active and not is_active and team.members.filter(is_active=True).exists():
        raise CadreProblem.TEAM_HAS_MEMBERS.on("is_active", team=team.name)
    before = snapshot(team)
    team.name = _check_team_name(team, name)
    team.is_active = is_active
    team.full_clean(validate_constraints=False)
    team.save()
    audit_record(
        actor=actor,
        action="tpk_team.update",
        instance=team,
        area_code=team.village_id,
        before=before,
    )
    return team


# -- Trainings and knowledge tests ------------------------------------------------------------------


def _check_training(actor: Any, training: Activity) -> None:
    if actor is not None and not scope_for(actor).can(EDIT, training.area_id):
        raise CadreProblem.TRAINING_NOT_FOUND.on("training")
    if training.kind != ActivityKind.TRAINING:
        raise CadreProblem.NOT_A_TRAINING.on("training", title=training.title)


@transaction.atomic
def training_topics_set(
    *, training: Activity, topics: Iterable[str], actor: Any
) -> list[TrainingTopic]:
    """The curriculum of a training is exactly ``topics``."""
    ensure_can(actor, EDIT, training.area_id)
    _check_training(actor, training)
    wanted = set(topics)
    for value in sorted(wanted - set(Topic.values)):
        raise CadreProblem.TOPIC_UNKNOWN.on("topics", value=value)
    before = sorted(training.curriculum.values_list("topic", flat=True))
    training.curriculum.exclude(topic__in=wanted).delete()
    TrainingTopic.objects.bulk_create(
        [TrainingTopic(training=training, topic=t) for t in sorted(wanted - set(before))]
    )
    after = [t for t in Topic.values if t in wanted]
    if before != sorted(after):
        audit_record(
            actor=actor,
            action="training.topics",
            instance=training,
            area_code=training.area_id,
            before={"topics": before},
            after={"topics": after},
        )
    return list(training.curriculum.order_by("pk"))


def score_of(correct: int, total: int) -> Decimal:
    """The percentage of right answers, to one decimal (half up)."""
    return (Decimal(correct) * HUNDRED / Decimal(total)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


def _check_test_dates(training: Activity | None, phase: str, taken_on: dt.date) -> None:
    _check_date(taken_on, "taken_on")
    if training is None:
        return
    held_on = training.held_on.strftime("%d-%m-%Y")
    if phase == Phase.PRE and taken_on > training.held_on:
        raise CadreProblem.PRE_TEST_AFTER_TRAINING.on("taken_on", held_on=held_on)
    if phase == Phase.POST and taken_on < training.held_on:
        raise CadreProblem.POST_TEST_BEFORE_TRAINING.on("taken_on", held_on=held_on)


def _questions(answers: Mapping[int, str]) -> dict[int, Question]:
    if not answers:
        raise CadreProblem.NO_QUESTIONS.on("answers")
    found = {q.pk: q for q in Question.objects.filter(pk__in=list(answers), is_active=True)}
    missing = sorted(set(answers) - found.keys())
    if missing:
        raise CadreProblem.QUESTION_UNKNOWN.on("answers", ids=", ".join(map(str, missing)))
    for pk, chosen in answers.items():
        if chosen not in ("", *OPTIONS):
            raise CadreProblem.ANSWER_INVALID.on(
                "answers", code=found[pk].code, value=str(chosen)[:10]
            )
    return found


@transaction.atomic
def test_record(
    *,
    cadre: Cadre,
    phase: str,
    taken_on: dt.date,
    answers: Mapping[int, str],
    actor: Any,
    training: Activity | None = None,
) -> KnowledgeTest:
    """Record a knowledge test: ``answers`` maps each question asked (by id) to the option chosen
    (``a``-``d``, or ``""`` when left unanswered, which counts as wrong). The score is computed
    here from the bank's right answers."""
    ensure_can(actor, EDIT, cadre.area_id)
    if not cadre.is_active:
        raise CadreProblem.INACTIVE.error(name=cadre.person.full_name)
    if training is not None:
        _check_training(actor, training)
    _check_test_dates(training, phase, taken_on)
    if (
        training is not None
        and KnowledgeTest.objects.filter(cadre=cadre, training=training, phase=phase).exists()
    ):
        raise CadreProblem.TEST_TAKEN.on(
            "phase", name=cadre.person.full_name, phase=Phase(phase).label
        )
    questions = _questions(answers)
    correct = sum(1 for pk, chosen in answers.items() if chosen == questions[pk].correct)
    test = KnowledgeTest(
        cadre=cadre,
        training=training,
        phase=phase,
        taken_on=taken_on,
        question_count=len(answers),
        correct_count=correct,
        score=score_of(correct, len(answers)),
        recorded_by=_user_or_none(actor),
    )
    test.full_clean(validate_constraints=False)
    test.save()
    KnowledgeAnswer.objects.bulk_create(
        [
            KnowledgeAnswer(
                test=test,
                question=questions[pk],
                topic=questions[pk].topic,
                chosen=chosen,
                is_correct=chosen == questions[pk].correct,
            )
            for pk, chosen in sorted(answers.items(), key=lambda item: questions[item[0]].code)
        ]
    )
    audit_record(
        actor=actor, action="knowledge_test.record", instance=test, area_code=cadre.area_id
    )
    return test


@transaction.atomic
def test_delete(*, test: KnowledgeTest, actor: Any) -> None:
    """Remove a test recorded in error (with its answers)."""
    ensure_can(actor, EDIT, test.cadre.area_id)
    before = snapshot(test)
    audit_record(
        actor=actor,
        action="knowledge_test.delete",
        instance=test,
        area_code=test.cadre.area_id,
        before=before,
        after=dict.fromkeys(before),
    )
    test.delete()
