"""In a phone's Chromium: a cadre records a counselling session, finds two residents in the
village's tick list by name and ticks them as present."""

import pytest
from playwright.sync_api import expect

from kampungkb.activities.models import Activity
from kampungkb.testing.world import PASSWORD, VILLAGE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_cadre_records_a_counselling_session_and_ticks_two_attendees(world, phone) -> None:
    page = phone
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "cadre")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    page.goto("/activities/")
    page.get_by_role("button", name="Catat kegiatan").click()
    page.select_option("select[name=kind]", "counselling")
    page.fill("input[name=title]", "Penyuluhan KB pasca persalinan")
    page.fill("input[name=held_on]", "2025-05-14")
    page.select_option("select[name=area]", VILLAGE)
    page.fill("input[name=place]", "Posyandu Melati")
    page.select_option("select[name=family_function]", "reproduction")
    page.check("input[name=target_groups][value=pus]")
    page.fill("input[name=organiser]", "PPKBD Kota Bangun Ulu")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    activity = Activity.objects.get(title="Penyuluhan KB pasca persalinan")
    assert page.url.endswith(f"/activities/{activity.pk}/")
    assert page.viewport_size["width"] == 390

    search = page.get_by_label("Cari warga")
    search.fill("siti")
    expect(page.locator("#tick-list li")).to_have_count(1)  # the search has answered
    page.locator("#tick-list li", has_text="Siti Aminah").locator("input[type=checkbox]").check()
    page.get_by_role("button", name="Simpan kehadiran").click()
    page.wait_for_load_state()
    assert "1 ditambahkan" in page.locator(".messages").inner_text()

    page.get_by_label("Cari warga").fill("sutrisno")
    expect(page.locator("#tick-list li")).to_have_count(1)
    page.locator("#tick-list li", has_text="Sutrisno").locator("input[type=checkbox]").check()
    page.get_by_role("button", name="Simpan kehadiran").click()
    page.wait_for_load_state()

    assert sorted(activity.attendances.values_list("person__full_name", flat=True)) == [
        "Siti Aminah",
        "Sutrisno",
    ]
    assert page.locator("#attendees li").all_inner_texts()[0].startswith("Siti Aminah")
    assert page.locator("#attendance-totals tbody tr").last.inner_text().split() == [
        "Jumlah",
        "1",
        "1",
        "2",
    ]


def test_officer_plans_from_a_link_then_marks_it_held(world, phone) -> None:
    page = phone
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "pkb")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    # A link from another page fills the plan form; the officer only confirms it.
    page.goto(
        f"/activities/plan/?kind=mens_forum&target_group=men&title=Forum+bapak"
        f"&plan_reason=barrier:husband_objects&area={VILLAGE}"
    )
    page.get_by_role("button", name="Rencanakan").click()
    page.wait_for_load_state()
    activity = Activity.objects.get(title="Forum bapak")
    assert (activity.status, activity.plan_reason) == ("planned", "barrier:husband_objects")
    assert page.url.endswith(f"/activities/{activity.pk}/")
    expect(page.get_by_role("button", name="Simpan kehadiran")).to_have_count(0)

    page.goto("/activities/")
    expect(page.locator(f"#planned-{activity.pk}")).to_contain_text("Forum bapak")

    page.goto(f"/activities/{activity.pk}/")
    page.get_by_role("button", name="Tandai terlaksana").click()
    page.wait_for_load_state()
    page.fill("input[name=held_on]", "2025-05-14")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    activity.refresh_from_db()
    assert (activity.status, str(activity.held_on)) == ("held", "2025-05-14")
    expect(page.get_by_role("button", name="Simpan kehadiran")).to_be_visible()
