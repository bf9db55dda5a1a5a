"""Issue 5's story in Chromium, across the three apps: a district officer registers a Kampung KB, fills
this month's profile, sees its class with the reasons, records an MoU with a partner and a joint
training with attendance, and finds the training on the partner's page."""

from __future__ import annotations

import datetime as dt
from importlib import import_module
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.utils import timezone
from playwright.sync_api import expect

from kampungkb.activities.models import Activity, ActivityKind
from kampungkb.kampung.models import Classification, KampungKb, ProfileVersion
from kampungkb.partners.models import Mou, Partner, PartnerKind
from kampungkb.regions.models import Area
from kampungkb.testing.world import KAB, PASSWORD, VILLAGE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def rules() -> None:
    """A transactional test's flush empties the rules the migration seeded: put them back."""
    migration = import_module("kampungkb.kampung.migrations.0002_classification_rules_v1")
    migration.add_rules(django_apps, None)


def submit(page: Any, form: str = "main form") -> None:
    page.locator(f"{form} button[type=submit]").last.click()
    page.wait_for_load_state()


def test_kampung_kb_mou_and_joint_training_end_on_the_partner_page(
    world: Any, rules: None, phone: Any
) -> None:
    today = timezone.localdate()
    partner = Partner.objects.create(
        name="Rumah Kreatif BUMN Kutai Kartanegara", kind=PartnerKind.STATE_COMPANY, area_id=KAB
    )
    partner.areas_served.add(Area.objects.get(code=VILLAGE))
    page = phone
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "district")
    page.fill("input[name=password]", PASSWORD)
    submit(page)

    # 1. Register the Kampung KB: first the village, then its registry data.
    page.goto("/kampung/new/")
    page.select_option("select[name=village]", VILLAGE)
    submit(page)
    page.fill("input[name=name]", "Kampung KB Kota Bangun Ulu")
    page.fill("input[name=declared_on]", "2019-08-17")
    page.fill("input[name=person_in_charge]", "Syahrani")
    submit(page)
    kampung = KampungKb.objects.get(village_id=VILLAGE)
    assert page.url.endswith(f"/kampung/{kampung.pk}/")

    # 2. This month's profile: a trained Pokja with a decree, a secretariat and a workplan. A new
    # Kampung KB has no profile yet, so the form is open.
    expect(page.locator("#profile details")).to_have_attribute("open", "")
    page.check("input[name=pokja_exists]")
    page.fill("input[name=pokja_decree_number]", "141/07/DS/2026")
    page.check("input[name=pokja_trained]")
    page.fill("input[name=pokja_members]", "12")
    page.check("input[name=has_secretariat]")
    page.check("input[name=has_workplan]")
    submit(page, "#profile form")
    profile = ProfileVersion.objects.get(kampung=kampung, is_active=True)
    assert (profile.month, profile.pokja_members, profile.pokja_trained) == (
        today.replace(day=1),
        12,
        True,
    )

    # 3. The class, with every score and what would raise it.
    classification = Classification.objects.get(kampung=kampung, month=today.replace(day=1))
    badge = page.locator("#class .kkb-class-big")
    expect(badge).to_have_text(classification.get_klass_display())
    assert page.locator(".kkb-score").count() == 12
    pokja = page.locator('[data-score="pokja"]')
    assert "4/4" in pokja.inner_text()

    # 4. The MoU with the partner, from the partner's page.
    page.goto(f"/reports/partners/{partner.pk}/")
    page.get_by_role("button", name="Catat MoU").click()
    page.fill("input[name=number]", "012/PKS/DPPKB/2026")
    page.fill("input[name=title]", "Pelatihan usaha kelompok UPPKA")
    page.select_option("select[name=area]", VILLAGE)
    page.fill("textarea[name=parties]", "DPPKB Kutai Kartanegara; Rumah Kreatif BUMN")
    start = today - dt.timedelta(days=30)
    page.fill("input[name=signed_on]", start.isoformat())
    page.fill("input[name=valid_from]", start.isoformat())
    page.fill("input[name=valid_until]", (start + dt.timedelta(days=365)).isoformat())
    page.fill("input[name=commitments-0-description]", "Pelatihan UPPKA")
    page.select_option("select[name=commitments-0-measure]", "activities")
    page.fill("input[name=commitments-0-target]", "4")
    submit(page)
    mou = Mou.objects.get(partner=partner)
    assert mou.commitments.get().target == 4

    # 5. The joint training, with the partner and two residents ticked as present.
    page.goto("/activities/new/")
    page.select_option("select[name=kind]", ActivityKind.TRAINING)
    page.fill("input[name=title]", "Pelatihan kemasan produk UPPKA")
    page.fill("input[name=held_on]", today.isoformat())
    page.select_option("select[name=area]", VILLAGE)
    page.select_option("select[name=family_function]", "economy")
    page.check("input[name=target_groups][value=pus]")
    page.fill("input[name=organiser]", "Rumah Kreatif BUMN")
    page.check(f"input[name=partners][value='{partner.pk}']")
    submit(page)
    training = Activity.objects.get(title="Pelatihan kemasan produk UPPKA")
    assert list(training.partners.all()) == [partner]
    for name in ("Siti Aminah", "Sutrisno"):
        page.get_by_label("Cari warga").fill(name.split()[0].lower())
        expect(page.locator("#tick-list li")).to_have_count(1)
        page.locator("#tick-list li", has_text=name).locator("input[type=checkbox]").check()
        page.get_by_role("button", name="Simpan kehadiran").click()
        page.wait_for_load_state()
    assert training.attendances.count() == 2

    # 6. The partner's page lists the training and counts it against the commitment.
    page.goto(f"/reports/partners/{partner.pk}/")
    link = page.get_by_role("link", name="Pelatihan kemasan produk UPPKA")
    expect(link).to_be_visible()
    assert link.get_attribute("href") == f"/activities/{training.pk}/"
    text = page.locator("main").inner_text()
    assert f"MoU {mou.number}" in text
    assert "1 kegiatan, 2 orang dijangkau, 1 desa, Rp 0" in text
