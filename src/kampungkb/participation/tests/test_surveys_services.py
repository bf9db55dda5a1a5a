import random

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from kampungkb.core.models import AuditEvent
from kampungkb.participation import surveys_services as services
from kampungkb.participation.models import Answer, Instrument, Item, Respondent, Survey
from kampungkb.participation.surveys_services import ItemData, sampling_frame
from kampungkb.participation.tests.test_surveys_world import (  # noqa: F401 (fixture)
    DAY,
    MONTH,
    draw,
    survey_world_fixture,
)
from kampungkb.regions.models import Area
from kampungkb.testing.world import KEC, OTHER_VILLAGE, RT, VILLAGE


def messages(error: ValidationError, language: str = "en") -> list[str]:
    from django.utils import translation

    with translation.override(language):
        return [str(m) for m in error.messages]


# -- Instruments --------------------------------------------------------------------------------


def test_district_builds_an_instrument_and_cadre_and_pkb_do_not(world) -> None:
    instrument = services.instrument_create(
        name="Minat pria", description="Untuk suami", actor=world.user("district")
    )
    assert (instrument.name, instrument.version, instrument.is_default) == ("Minat pria", 1, False)
    assert AuditEvent.objects.filter(action="instrument.create", object_id=str(instrument.pk))
    for username in ("cadre", "pkb", "partner", "viewer"):
        with pytest.raises(Http404):
            services.instrument_create(name=f"X {username}", actor=world.user(username))
    assert not Instrument.objects.filter(name__startswith="X ").exists()
    assert services.can_build(world.user("admin"))
    assert services.can_build(world.user("other_district"))


def test_items_are_added_checked_moved_and_deleted(survey_world, world) -> None:
    district = world.user("district")
    instrument = survey_world.instrument
    item = services.item_add(
        instrument=instrument,
        data=ItemData(code="k2", text="Saya menyumbang ide.", dimension="contribution"),
        actor=district,
    )
    assert item.order == 8
    with pytest.raises(ValidationError) as caught:
        services.item_add(
            instrument=instrument,
            data=ItemData(code="k2", text="Lagi", dimension="interest"),
            actor=district,
        )
    assert messages(caught.value) == [
        "The code k2 is already used by another item of this instrument."
    ]
    with pytest.raises(ValidationError) as caught:
        services.item_add(
            instrument=instrument,
            data=ItemData(code="k3", text="Dua", dimension="interest", barrier="cost"),
            actor=district,
        )
    assert messages(caught.value, "id") == [
        "Pilih satu dimensi atau satu hambatan (tidak keduanya)."
    ]
    with pytest.raises(ValidationError):
        services.item_add(
            instrument=instrument,
            data=ItemData(code="3k", text="Kode buruk", dimension="interest"),
            actor=district,
        )
    assert instrument.items.count() == 8
    services.item_move(item=item, step=-1, actor=district)
    codes = list(instrument.items.order_by("order").values_list("code", "order"))
    assert codes[-2:] == [("k2", 7), ("b1", 8)]
    services.item_delete(item=Item.objects.get(instrument=instrument, code="k2"), actor=district)
    assert list(instrument.items.order_by("order").values_list("code", flat=True)) == [
        "i1",
        "i2",
        "i3",
        "a1",
        "a2",
        "c1",
        "b1",
    ]


def test_an_instrument_with_answers_is_frozen_and_copied_to_a_new_version(
    survey_world, world
) -> None:
    district = world.user("district")
    survey = draw(survey_world, size=1)
    respondent = survey.respondents.get()
    services.respondent_answer(
        respondent=respondent,
        status="answered",
        answers={"i1": 4, "i2": 4, "i3": 2, "a1": 3, "a2": 3, "c1": 5, "b1": 1},
        actor=None,
    )
    instrument = survey_world.instrument
    assert services.is_frozen(instrument)
    item = instrument.items.get(code="i1")
    with pytest.raises(ValidationError) as caught:
        services.item_update(
            item=item, data=ItemData(code="i1", text="Baru", dimension="interest"), actor=district
        )
    assert messages(caught.value)[0].startswith("This instrument is used by a survey with answers")
    assert Item.objects.get(pk=item.pk).text == "Pernyataan i1"
    copy = services.instrument_copy(instrument=instrument, actor=district)
    assert (copy.name, copy.version, copy.copied_from_id) == ("Uji", 2, instrument.pk)
    assert list(copy.items.values_list("code", flat=True)) == list(
        instrument.items.values_list("code", flat=True)
    )
    services.item_update(
        item=copy.items.get(code="i1"),
        data=ItemData(code="i1", text="Baru", dimension="interest"),
        actor=district,
    )
    assert copy.items.get(code="i1").text == "Baru"


# -- Sampling -----------------------------------------------------------------------------------


def test_the_sample_is_simple_random_from_the_frame_and_reproducible(survey_world) -> None:
    survey = draw(survey_world, size=4, area=KEC, seed=2025)
    frame = sampling_frame(area=Area.objects.get(code=KEC), on=DAY, draw="wife")
    expected = random.Random(2025).sample([c.pk for c in frame], 4)
    respondents = list(survey.respondents.order_by("position"))
    assert [r.couple_id for r in respondents] == expected
    assert [r.code for r in respondents] == ["R001", "R002", "R003", "R004"]
    assert all(r.person_id == r.couple.wife_id for r in respondents)
    assert (survey.population, survey.sample_size, survey.seed, survey.month) == (
        8,
        4,
        2025,
        MONTH,
    )
    again = draw(survey_world, size=4, area=KEC, seed=2025)
    assert [r.couple_id for r in again.respondents.order_by("position")] == expected
    assert AuditEvent.objects.filter(action="survey.create", area_code=KEC).count() == 2


def test_husbands_are_drawn_for_mens_participation(survey_world) -> None:
    survey = services.survey_create(
        instrument=survey_world.instrument,
        area=Area.objects.get(code=VILLAGE),
        month=MONTH,
        sample_size=6,
        draw="husband",
        seed=1,
        drawn_on=DAY,
        actor=None,
    )
    respondents = list(survey.respondents.select_related("couple"))
    assert len(respondents) == 6
    assert all(r.person_id == r.couple.husband_id for r in respondents)


def test_a_sample_larger_than_the_population_is_refused_in_both_languages(survey_world) -> None:
    with pytest.raises(ValidationError) as caught:
        draw(survey_world, size=7)
    assert messages(caught.value) == [
        "The sample of 7 is larger than the PUS in this area on that day (6)."
    ]
    assert messages(caught.value, "id") == [
        "Sampel 7 lebih besar dari jumlah PUS di wilayah ini pada tanggal itu (6)."
    ]
    assert not Survey.objects.exists()
    assert not Respondent.objects.exists()


def test_a_user_draws_only_in_the_areas_it_edits(survey_world, world) -> None:
    for username, area in (
        ("partner", VILLAGE),
        ("viewer", VILLAGE),
        ("other_cadre", VILLAGE),
        ("cadre", OTHER_VILLAGE),
    ):
        with pytest.raises(Http404):
            services.survey_create(
                instrument=survey_world.instrument,
                area=Area.objects.get(code=area),
                month=MONTH,
                sample_size=1,
                seed=1,
                drawn_on=DAY,
                actor=world.user(username),
            )
    assert not Survey.objects.exists()


# -- Answers ------------------------------------------------------------------------------------

FULL = {"i1": 5, "i2": 4, "i3": 1, "a1": 4, "a2": 4, "c1": 5, "b1": 1}


def test_answers_are_saved_all_or_nothing(survey_world, world) -> None:
    survey = draw(survey_world, size=2)
    first = survey.respondents.get(position=1)
    with pytest.raises(ValidationError) as caught:
        services.respondent_answer(
            respondent=first,
            status="answered",
            answers={**FULL, "a2": 7, "c1": None},
            actor=world.user("cadre"),
        )
    assert sorted(caught.value.message_dict) == ["a2", "c1"]
    assert messages(caught.value) == [
        "The answer to item a2 must be 1 to 5 (given: 7).",
        "Item c1 is not answered.",
    ]
    first.refresh_from_db()
    assert first.status == "pending"
    assert not Answer.objects.exists()
    services.respondent_answer(
        respondent=first, status="answered", answers=FULL, actor=world.user("cadre")
    )
    first.refresh_from_db()
    assert first.status == "answered"
    assert dict(first.answers.values_list("item__code", "value")) == FULL
    # Answering again replaces; refusing leaves no answers.
    services.respondent_answer(respondent=first, status="refused", answers={}, actor=None)
    assert not first.answers.exists()
    assert AuditEvent.objects.filter(action="survey.answer", object_id=str(first.pk)).count() == 2


def test_a_respondent_is_answered_only_by_a_user_editing_her_area(survey_world, world) -> None:
    survey = draw(survey_world, size=6)
    for username in ("partner", "other_cadre", "cadre_rt"):
        respondent = survey.respondents.exclude(area_id=RT).first()
        assert respondent is not None
        with pytest.raises(Http404):
            services.respondent_answer(
                respondent=respondent,
                status="answered",
                answers=FULL,
                actor=world.user(username),
            )
    assert not Answer.objects.exists()


def test_a_survey_is_not_dated_in_the_future(survey_world) -> None:
    import datetime as dt

    from django.utils import timezone

    from kampungkb.core.periods import add_months

    next_month = add_months(timezone.localdate().replace(day=1), 1)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    for field, month, drawn_on in (("month", next_month, DAY), ("drawn_on", MONTH, tomorrow)):
        with pytest.raises(ValidationError) as caught:
            services.survey_create(
                instrument=survey_world.instrument,
                area=Area.objects.get(code=VILLAGE),
                month=month,
                drawn_on=drawn_on,
                sample_size=1,
                seed=1,
                actor=None,
            )
        assert list(caught.value.message_dict) == [field]
    assert not Survey.objects.exists()
