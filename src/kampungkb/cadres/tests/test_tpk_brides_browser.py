"""In a phone's Chromium: the PKB assigns a bride-to-be from the village page to the team; the
team's midwife (the ``cadre_rt`` login) finds her on the worklist with the advice to delay the
first pregnancy, opens her page and records a visit with that counselling."""

from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kampungkb.cadres.models import TargetKind, TpkAssignment, TpkVisit
from kampungkb.cadres.tests.test_tpk_brides import catin  # noqa: F401
from kampungkb.testing.world import PASSWORD, VILLAGE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page: Any, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def test_a_bride_is_assigned_and_visited(
    world: Any,
    catin: Any,  # noqa: F811
    chromium: Any,
    live_server: Any,
    phone: Any,
) -> None:
    context = chromium.new_context(base_url=live_server.url, locale="id-ID")
    context.set_default_timeout(10_000)
    office = context.new_page()
    login(office, "pkb")
    office.goto(f"/cadres/tpk/?area={VILLAGE}")
    brides = office.locator("#tpk-unassigned-brides")
    expect(brides).to_contain_text("Dewi Lestari")
    brides.locator("li", has_text="Dewi Lestari").get_by_role(
        "link", name="Tetapkan ke Tim Melati"
    ).click()
    office.wait_for_load_state()
    office.locator("main form button[type=submit]").click()
    office.wait_for_load_state()
    assignment = TpkAssignment.objects.get(kind=TargetKind.BRIDE)
    assert (assignment.bride, assignment.started_on) == (catin.dewi, timezone.localdate())
    context.close()

    page = phone
    login(page, "cadre_rt")
    page.goto(f"/cadres/teams/{catin.team.pk}/worklist/")
    item = page.locator(f"#target-{assignment.pk}")
    expect(item).to_contain_text("Calon pengantin")
    expect(item).to_contain_text("Skrining menyarankan menunda kehamilan pertama.")
    expect(item).to_contain_text("Belum pernah dikunjungi")
    item.get_by_role("button", name="Catat kunjungan").click()
    page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text("Konseling menunda kehamilan pertama")
    page.locator(f"input[name=members][value='{catin.tpk.midwife.pk}']").check()
    page.locator("input[name=spacing_counselling]").check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    visit = TpkVisit.objects.get(assignment=assignment)
    assert (visit.spacing_counselling, visit.postpartum_contraception) == (True, False)
    item = page.locator(f"#target-{assignment.pk}")
    item.get_by_role("link", name="Dewi Lestari").click()
    page.wait_for_load_state()
    expect(page.locator("h1")).to_contain_text("Dewi Lestari")


def test_a_called_off_wedding_leaves_the_worklist(
    world: Any,
    catin: Any,  # noqa: F811
    phone: Any,
) -> None:
    """The village's cadre opens Rina (RT 002) from the team's worklist, cancels her registration
    (the wedding is called off): the worklist no longer shows her; reopening it puts her back."""
    from kampungkb.cadres.tests.test_tpk_brides import assign

    assignment = assign(catin, catin.rina, timezone.localdate())
    page = phone
    login(page, "cadre")
    page.goto(f"/cadres/teams/{catin.team.pk}/worklist/")
    page.locator(f"#target-{assignment.pk}").get_by_role("link", name="Rina Wati").click()
    page.wait_for_load_state()
    page.locator("#cancel summary").click()
    page.locator("select[name=c-cancel_reason]").select_option("called_off")
    page.locator("#cancel-form button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("#cancelled")).to_contain_text("Pernikahan batal")
    catin.rina.refresh_from_db()
    assert (catin.rina.cancelled_on, catin.rina.cancel_reason) == (
        timezone.localdate(),
        "called_off",
    )
    page.goto(f"/cadres/teams/{catin.team.pk}/worklist/")
    expect(page.locator(f"#target-{assignment.pk}")).to_have_count(0)
    page.goto(f"/stunting/brides/{catin.rina.pk}/")
    page.locator("#reopen-form button").click()
    page.wait_for_load_state()
    expect(page.locator("#cancelled")).to_have_count(0)
    page.goto(f"/cadres/teams/{catin.team.pk}/worklist/")
    expect(page.locator(f"#target-{assignment.pk}")).to_contain_text("Rina Wati")
