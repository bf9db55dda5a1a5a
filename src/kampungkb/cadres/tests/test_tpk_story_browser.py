"""Issue 8's story in a phone's Chromium: the team's midwife (the ``cadre_rt`` login) opens her
TPK's worklist, records a visit to family Sutrisno (at risk: an unprotected well), opens the
family's page and reads its risk reasons, then measures the family's baby at the Posyandu and
sees her growth chart."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kampungkb.cadres.models import TpkVisit
from kampungkb.families.models import Person
from kampungkb.stunting.models import ChildMeasurement
from kampungkb.testing.world import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_tpk_member_visits_a_family_at_risk_and_measures_its_child(
    world: Any, tpk_history: Any, phone
) -> None:
    page = phone
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "cadre_rt")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    # The worklist: family Sutrisno is overdue, with why it is at risk.
    page.goto(f"/cadres/teams/{tpk_history.team.pk}/worklist/")
    card = page.locator(f"#target-{tpk_history.assignments['family'].pk}")
    expect(card).to_contain_text("Tidak ada sumber air minum layak")
    card.get_by_role("button", name="Catat kunjungan").click()
    page.wait_for_load_state()
    page.locator(f"input[name=members][value='{tpk_history.midwife.pk}']").check()
    page.locator("input[name=nutrition_counselling]").check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    today = timezone.localdate()
    assert TpkVisit.objects.filter(
        assignment=tpk_history.assignments["family"], visited_on=today
    ).exists()

    # The family's page from the worklist: the risk reasons and the data behind them.
    card.get_by_role("link", name="Sutrisno").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/stunting/families/{tpk_history.family.pk}/")
    expect(page.locator("main")).to_contain_text("Tidak ada sumber air minum layak")

    # Her baby, born on 5 March 2025: a measurement and the growth chart.
    baby = Person.objects.get(full_name="Bayi Aminah")
    page.get_by_role("link", name="Bayi Aminah").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/stunting/children/{baby.pk}/")
    page.fill("input[name=weight_kg]", "8,1")
    page.fill("input[name=length_or_height_cm]", "72.5")
    page.check("input[name=position][value=lying]")
    page.locator("#record button[type=submit]").click()
    page.wait_for_load_state()
    m = ChildMeasurement.objects.get(child=baby, measured_on=today)
    assert m.haz is not None and m.waz is not None
    expect(page.locator(f"#measurement-{m.pk}")).to_contain_text(str(m.haz).replace(".", ","))
    page.wait_for_function(
        "window.Chart && [...document.querySelectorAll('canvas[data-growth-chart]')]"
        ".every(c => window.Chart.getChart(c))"
    )
    assert page.viewport_size["width"] == 390
    assert (today - baby.birth_date) > dt.timedelta(days=365)
