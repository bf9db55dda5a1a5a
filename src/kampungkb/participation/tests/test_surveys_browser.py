"""In a phone's Chromium: a cadre answers a respondent's questionnaire with one tap per item
(labels large enough to tap), saves, and is taken to the next respondent."""

import pytest
from playwright.sync_api import expect

from kampungkb.participation.models import Answer
from kampungkb.participation.tests.test_surveys_scores import ANSWERS
from kampungkb.participation.tests.test_surveys_world import (  # noqa: F401 (fixture)
    draw,
    survey_world_fixture,
)
from kampungkb.testing.world import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_cadre_answers_on_the_phone(world, survey_world, phone) -> None:
    survey = draw(survey_world, size=2)
    first, second = survey.respondents.order_by("position")
    page = phone
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "cadre")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    page.goto(f"/participation/surveys/{survey.pk}/")
    link = page.locator(f"#respondent-{first.code} a")
    link.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"/respondents/{first.pk}/")
    for code, value in ANSWERS[0].items():
        label = page.locator(f"#q-{code} label").nth(value - 1)
        box = label.bounding_box()
        assert box is not None and box["height"] >= 44
        label.click()
    with page.expect_navigation():
        page.locator("form.likert button[type=submit]").click()

    assert page.url.endswith(f"/respondents/{second.pk}/")
    expect(page.locator(".messages")).to_contain_text(first.code)
    answers = dict(Answer.objects.filter(respondent=first).values_list("item__code", "value"))
    assert answers == ANSWERS[0]
