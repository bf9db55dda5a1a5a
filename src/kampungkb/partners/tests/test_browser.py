"""In a phone's Chromium: a district officer registers a partner, records an MoU with a
commitment, and finds it on the partner page; the page fits the phone's width."""

from __future__ import annotations

from typing import Any

import pytest

from kampungkb.partners.models import Mou, Partner
from kampungkb.testing.world import KAB, PASSWORD, VILLAGE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def submit(page: Any) -> None:
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()


def test_officer_registers_a_partner_and_records_an_mou(world: Any, phone: Any) -> None:
    page = phone
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "district")
    page.fill("input[name=password]", PASSWORD)
    submit(page)

    page.goto("/partners/")
    page.get_by_role("button", name="Daftarkan mitra").click()
    page.fill("input[name=name]", "Muslimat NW")
    page.select_option("select[name=kind]", "religious")
    page.select_option("select[name=area]", KAB)
    page.select_option("select[name=areas_served]", [VILLAGE])
    submit(page)
    partner = Partner.objects.get(name="Muslimat NW")
    assert page.url.endswith(f"/reports/partners/{partner.pk}/")

    page.get_by_role("button", name="Catat MoU").click()
    page.fill("input[name=number]", "001/PKS/2025")
    page.fill("input[name=title]", "Penyuluhan KB di majelis taklim")
    page.select_option("select[name=area]", KAB)
    page.fill("textarea[name=parties]", "DPPKB Kutai Kartanegara; PC Muslimat NW")
    page.fill("input[name=signed_on]", "2025-01-02")
    page.fill("input[name=valid_from]", "2025-01-01")
    page.fill("input[name=valid_until]", "2025-12-31")
    page.fill("input[name=commitments-0-description]", "Penyuluhan")
    page.select_option("select[name=commitments-0-measure]", "activities")
    page.fill("input[name=commitments-0-target]", "12")
    submit(page)
    mou = Mou.objects.get()
    assert page.url.endswith(f"/partners/mous/{mou.pk}/")
    assert mou.commitments.get().target == 12

    page.goto(f"/reports/partners/{partner.pk}/")
    assert page.get_by_text("Komitmen dibandingkan capaian").is_visible()
    assert page.get_by_text("MoU 001/PKS/2025").is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
