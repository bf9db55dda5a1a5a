"""In a phone's Chromium: the team's midwife (the ``cadre_rt`` login) opens her TPK's worklist,
sees who is overdue and who was never visited with the family's risk reasons, records a visit to
family Hasan, and finds it on the list with its next visit."""

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kampungkb.cadres.models import TpkVisit
from kampungkb.testing.world import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_tpk_member_records_a_visit_from_the_worklist(world: Any, tpk_history: Any, phone) -> None:
    page = phone
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "cadre_rt")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    page.goto(f"/cadres/teams/{tpk_history.team.pk}/worklist/")
    hasan = page.locator(f"#target-{tpk_history.assignments['hasan'].pk}")
    sutrisno = page.locator(f"#target-{tpk_history.assignments['family'].pk}")
    expect(sutrisno).to_contain_text("Terlambat sejak")
    expect(sutrisno).to_contain_text("Tidak ada sumber air minum layak")
    expect(hasan).to_contain_text("Belum pernah dikunjungi")
    hasan.get_by_role("button", name="Catat kunjungan").click()
    page.wait_for_load_state()

    page.locator(f"input[name=members][value='{tpk_history.midwife.pk}']").check()
    page.locator("input[name=nutrition_counselling]").check()
    page.locator("input[name=spacing_counselling]").check()
    page.fill("textarea[name=notes]", "Istri 17 tahun: tunda kehamilan")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    today = timezone.localdate()
    next_on = today + dt.timedelta(days=30)
    expect(page.locator(".messages")).to_contain_text(next_on.strftime("%d-%m-%Y"))
    expect(hasan).to_contain_text(f"Kunjungan ulang {next_on:%d-%m-%Y}")
    expect(hasan).to_contain_text(f"Kunjungan terakhir: {today:%d-%m-%Y}")
    assert page.viewport_size["width"] == 390
    visit = TpkVisit.objects.get(assignment=tpk_history.assignments["hasan"])
    assert (visit.visited_on, visit.nutrition_counselling, visit.spacing_counselling) == (
        today,
        True,
        True,
    )
    assert visit.recorded_by == world.user("cadre_rt")
