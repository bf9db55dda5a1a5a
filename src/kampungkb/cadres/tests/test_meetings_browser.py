"""In a phone's Chromium: a PKB officer opens this month's cadre meeting of a village, sees the
agenda, ticks the cadre present, writes the minutes with a task, and the task is on next month's
agenda."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kampungkb.cadres import meetings_selectors
from kampungkb.cadres.models import ActionItem, Cadre, Meeting
from kampungkb.core.periods import add_months
from kampungkb.testing.world import PASSWORD, VILLAGE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_holds_the_monthly_meeting(world, ppkbd: Cadre, phone) -> None:
    page = phone
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "pkb")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    page.goto(f"/cadres/meetings/?area={VILLAGE}")
    row = page.locator(f"[id='village-{VILLAGE}']")
    expect(row).to_contain_text("tidak diadakan")
    row.get_by_role("link", name="Catat rapat").click()
    page.wait_for_load_state()
    page.fill("input[name=place]", "Balai desa")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    meeting = Meeting.objects.get()
    assert page.url.endswith(f"/cadres/meetings/{meeting.pk}/")
    assert page.viewport_size["width"] == 390
    expect(page.locator("#agenda-targets")).to_contain_text("Capaian terhadap sasaran (PPM)")
    expect(page.locator("#agenda-pregnancies")).to_contain_text("0")

    page.get_by_label("Siti Aminah").check()
    page.get_by_role("button", name="Simpan daftar hadir").click()
    page.wait_for_load_state()
    expect(page.locator(".messages")).to_contain_text("Daftar hadir disimpan.")

    page.fill("textarea[name=minutes]", "Capaian PB masih rendah; sweeping PUS di RT 1.")
    page.fill("textarea[name=problems]", "Kader belum paham efek samping implan.")
    page.get_by_role("button", name="Simpan notulen").click()
    page.wait_for_load_state()
    expect(page.locator(".messages")).to_contain_text("Notulen disimpan.")

    page.locator("#item-new summary").click()
    page.fill("input[name=description]", "Sweeping PUS RT 1")
    page.select_option("select[name=owner]", str(ppkbd.pk))
    page.get_by_role("button", name="Tambahkan tugas").click()
    page.wait_for_load_state()
    item = ActionItem.objects.get()
    expect(page.locator(f"#item-{item.pk}")).to_contain_text("Sweeping PUS RT 1")
    expect(page.locator(f"#item-{item.pk}")).to_contain_text("Siti Aminah")

    meeting.refresh_from_db()
    assert meeting.agenda["month"] == meeting.month.strftime("%Y-%m")
    assert list(meeting.activity.attendances.values_list("person_id", flat=True)) == [
        ppkbd.person_id
    ]
    next_month = add_months(meeting.month, 1)
    assert meeting.month == timezone.localdate().replace(day=1)
    agenda = meetings_selectors.agenda_for(
        user=world.user("pkb"), village_code=VILLAGE, month=next_month
    )
    assert [(i["description"], i["owner"], i["status"]) for i in agenda["open_items"]] == [
        ("Sweeping PUS RT 1", "Siti Aminah", "open")
    ]
    assert agenda["problems_last_month"] == "Kader belum paham efek samping implan."
