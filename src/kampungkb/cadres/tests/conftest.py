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
from kampungkb.cadres import services
from kampungkb.cadres.models import Cadre, CadreRole, Question
from kampungkb.cadres.questions import bank_load
from kampungkb.cadres.services import CadreData
from kampungkb.families.models import Person
from kampungkb.testing.world import OTHER_VILLAGE, VILLAGE, World

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
