"""In a phone's Chromium: a cadre opens the due list, records a re-injection for a couple, and
the couple leaves the list, to reappear with the next due date when the range is widened."""

import datetime as dt

import pytest
from django.utils import timezone

from kampungkb.contraception import services
from kampungkb.contraception.models import Method, ServiceVisit
from kampungkb.families.models import Couple
from kampungkb.testing.world import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_cadre_records_a_reinjection_from_the_due_list(world, phone) -> None:
    today = timezone.localdate()
    siti = Couple.objects.get(wife__full_name="Siti Aminah")
    services.visit_record(
        couple=siti,
        visited_on=today - dt.timedelta(days=80),
        method=Method.objects.get(code="SUNTIK3"),
        kind="start",
        consent_recorded=True,
        actor=None,
    )
    page = phone
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "cadre")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    page.get_by_role("link", name="Layanan KB").click()
    row = page.locator("tr", has_text="Siti Aminah")
    row.wait_for()
    assert "Suntik ulang" in row.inner_text()
    row.get_by_role("button", name="Catat kunjungan").click()
    page.wait_for_url("**/visits/new/**")
    assert page.locator("select[name=method]").input_value() == "SUNTIK3"
    assert page.locator("input[name=visited_on]").input_value() == today.isoformat()
    page.check("input[name=kind][value=repeat]")
    page.fill("input[name=provider]", "Bidan Sari")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/kb/due/**")

    assert "Kunjungan Siti Aminah sudah dicatat." in page.locator(".messages").inner_text()
    assert page.locator("tr", has_text="Siti Aminah").count() == 0
    visit = ServiceVisit.objects.get(couple=siti, visited_on=today)
    assert (visit.kind, visit.provider) == ("repeat", "Bidan Sari")

    later = today + dt.timedelta(days=84)
    page.fill("input[name=to]", (today + dt.timedelta(days=90)).isoformat())
    page.get_by_role("button", name="Tampilkan").click()
    row = page.locator("tr", has_text="Siti Aminah")
    row.wait_for()
    assert later.strftime("%d-%m-%Y") in row.inner_text()
