"""In a phone's Chromium, the whole monthly cycle of one village (last month, which is over): the
PKB officer holds the cadre meeting (agenda, attendance, minutes, a task with its owner and due
date), verifies the cadre's home visits, computes and proposes the month's incentives, and logs
out; the district officer opens the proposal, sees the amounts and approves it.

The pages are read in English (the language cookie): the Indonesian catalogue of these pages is
written after them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import Page, expect

from kampungkb.cadres import services
from kampungkb.cadres.models import ActionItem, Cadre, IncentiveBatch, IncentiveRule, Meeting
from kampungkb.cadres.services import CadreData
from kampungkb.cadres.tests.conftest import follow_up
from kampungkb.contraception.models import FollowUp
from kampungkb.core.periods import add_months, month_end, month_start
from kampungkb.testing.world import PASSWORD, VILLAGE, World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page: Page, username: str, base_url: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    # Signing in sets the user's saved language; the test reads English.
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": base_url}]
    )


def log_out(page: Page) -> None:
    page.locator("header details.dropdown summary").click()
    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state()


@pytest.fixture
def cadre_with_visits(world: World, ppkbd: Cadre, incentive_rule: IncentiveRule) -> Cadre:
    """Siti Aminah, PPKBD of Kota Bangun Ulu, with her own login; two home visits she recorded
    last month, awaiting verification. The district pays Rp 100.000 a month, Rp 10.000 a
    verified visit and Rp 20.000 a meeting attended."""
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
    month = add_months(month_start(timezone.localdate()), -1)
    follow_up(world, month + dt.timedelta(days=2))
    follow_up(world, month + dt.timedelta(days=4), "referred")
    return ppkbd


def test_the_monthly_cycle_of_a_village(
    world: World, cadre_with_visits: Cadre, phone: Page, live_server: Any
) -> None:
    page = phone
    month = add_months(month_start(timezone.localdate()), -1)
    month_value = f"{month:%Y-%m}"
    log_in(page, "pkb", live_server.url)

    # The month's cadre meeting: agenda, attendance, minutes and a task.
    page.goto(f"/cadres/meetings/?area={VILLAGE}&month={month_value}")
    row = page.locator(f"[id='village-{VILLAGE}']")
    expect(row).to_contain_text("not held")
    row.get_by_role("link", name="Record the meeting").click()
    page.wait_for_load_state()
    expect(page.locator("input[name=held_on]")).to_have_value(f"{month_end(month):%Y-%m-%d}")
    page.fill("input[name=place]", "Balai desa")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    meeting = Meeting.objects.get()
    expect(page.locator("#agenda-targets")).to_contain_text("Achievements against the targets")
    expect(page.locator("#agenda-open-items")).to_contain_text("none")

    page.get_by_label("Siti Aminah").check()
    page.get_by_role("button", name="Save the attendance").click()
    page.wait_for_load_state()
    expect(page.locator(".messages")).to_contain_text("The attendance was saved.")
    page.fill("textarea[name=minutes]", "Capaian PB dibahas; dua kunjungan rumah.")
    page.get_by_role("button", name="Save the minutes").click()
    page.wait_for_load_state()
    expect(page.locator(".messages")).to_contain_text("The minutes were saved.")
    page.locator("#item-new summary").click()
    page.fill("input[name=description]", "Sweeping PUS RT 1")
    page.select_option("select[name=owner]", str(cadre_with_visits.pk))
    page.fill("input[name=due_on]", f"{month_end(month) + dt.timedelta(days=10):%Y-%m-%d}")
    page.get_by_role("button", name="Add the task").click()
    page.wait_for_load_state()
    item = ActionItem.objects.get()
    expect(page.locator(f"#item-{item.pk}")).to_contain_text("Sweeping PUS RT 1")
    expect(page.locator(f"#item-{item.pk}")).to_contain_text("Siti Aminah")
    due = month_end(month) + dt.timedelta(days=10)
    expect(page.locator(f"#item-{item.pk}")).to_contain_text(f"{due:%d-%m-%Y}")

    # The cadre's home visits of the month, verified.
    page.goto(f"/cadres/incentives/visits/?village={VILLAGE}&month={month_value}")
    visits = page.locator("#visits tbody tr")
    expect(visits).to_have_count(2)
    expect(visits.first).to_contain_text("Awaiting verification")
    for box in page.locator("#visits input[name=follow_ups]").all():
        box.check()
    page.get_by_role("button", name="Verify the selected visits").click()
    page.wait_for_load_state()
    expect(page.locator(".messages")).to_contain_text("2 home visits were updated.")
    expect(page.locator("#visits")).not_to_contain_text("Awaiting verification")
    assert set(FollowUp.objects.values_list("verification", flat=True)) == {"verified"}

    # Computed and proposed.
    page.goto(f"/cadres/incentives/?area={VILLAGE}&month={month_value}")
    row = page.locator(f"[id='village-{VILLAGE}']")
    expect(row).to_contain_text("not computed")
    row.get_by_role("button", name="Compute").click()
    page.wait_for_load_state()
    batch = IncentiveBatch.objects.get()
    assert page.url.endswith(f"/cadres/incentives/{batch.pk}/")
    expect(page.locator("#batch-status")).to_have_text("Draft")
    expect(page.locator("#batch-total")).to_have_text("Rp 140,000")
    line = page.locator("#lines tbody tr")
    expect(line).to_contain_text("Siti Aminah")
    expect(line).to_contain_text("2 · Rp 20,000")  # the verified home visits
    expect(line).to_contain_text("1 · Rp 20,000")  # the meeting
    page.get_by_role("button", name="Propose for approval").click()
    page.wait_for_load_state()
    expect(page.locator(".messages")).to_contain_text("The incentives were proposed for approval.")
    expect(page.locator("#batch-status")).to_have_text("Proposed, awaiting approval")
    expect(page.locator("#own-proposal")).to_be_visible()
    log_out(page)

    # The district officer approves.
    log_in(page, "district", live_server.url)
    page.goto(f"/cadres/incentives/?status=proposed&month={month_value}")
    row = page.locator(f"[id='village-{VILLAGE}']")
    expect(row).to_contain_text("Rp 140,000")
    row.get_by_role("link", name="Proposed, awaiting approval").click()
    page.wait_for_load_state()
    expect(page.locator("#batch-total")).to_have_text("Rp 140,000")
    expect(page.locator("#lines tbody tr")).to_contain_text("Rp 100,000")
    expect(page.locator("#approve")).to_contain_text("Approve the payment of Rp 140,000 in total.")
    page.get_by_role("button", name="Approve", exact=True).click()
    page.wait_for_load_state()
    expect(page.locator(".messages")).to_contain_text("The incentives were approved.")
    expect(page.locator("#batch-status")).to_have_text("Approved")
    expect(page.locator("#payment-list")).to_be_visible()

    batch.refresh_from_db()
    assert (batch.status, batch.total, batch.month) == ("approved", 140_000, month)
    assert (batch.proposed_by, batch.decided_by) == (world.user("pkb"), world.user("district"))
    meeting.refresh_from_db()
    assert meeting.minutes == "Capaian PB dibahas; dua kunjungan rumah."
    assert (item.owner, item.due_on) == (cadre_with_visits, due)
