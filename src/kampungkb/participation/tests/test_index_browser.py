"""In a phone's Chromium: a PKB officer opens a village's participation page, sees its weakest
dimension and its top barrier, and plans the suggested activity in one click."""

import pytest
from playwright.sync_api import expect

from kampungkb.activities.models import Activity, ActivityStatus
from kampungkb.participation.tests.test_index import _fill as fill_june
from kampungkb.participation.tests.test_index import kota_bangun_ulu  # noqa: F401
from kampungkb.testing.world import PASSWORD, VILLAGE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_sees_the_weakest_dimension_and_plans_the_suggested_activity(
    kota_bangun_ulu,  # noqa: F811
    phone,
) -> None:
    fill_june()
    page = phone
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "pkb")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    page.get_by_role("link", name="Partisipasi").first.click()
    page.wait_for_load_state()
    page.goto(f"/participation/?area={VILLAGE}&month=2025-06")
    expect(page.locator("#pi-score")).to_contain_text("68,1")
    expect(page.locator("#pi-score")).to_contain_text("Sedang")
    weakest = page.locator("#dimension-activeness")
    expect(weakest).to_contain_text("terlemah")
    expect(weakest).to_have_class("pi-weakest")

    first = page.locator("#suggestion-dimensionactiveness")
    expect(first).to_contain_text("Dimensi partisipasi terlemah: Keaktifan")
    barrier = page.locator("#suggestion-barrierside_effects")
    expect(barrier).to_contain_text("Efek samping")

    first.get_by_role("button").click()
    page.wait_for_load_state()
    plan = Activity.objects.get(plan_reason="dimension:activeness")
    assert plan.status == ActivityStatus.PLANNED and plan.area_id == VILLAGE
    assert page.url.endswith(f"/participation/?area={VILLAGE}&month=2025-06")
    expect(page.locator("#suggestion-dimensionactiveness .planned")).to_contain_text(plan.title)
    assert page.viewport_size["width"] == 390
