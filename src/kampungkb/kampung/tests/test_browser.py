"""In a phone's Chromium: the village cadre opens her Kampung KB's page; the class, every score
with its reason and what would raise it are visible, the page never scrolls sideways, and the
history chart is drawn without a browser error."""

from __future__ import annotations

from importlib import import_module
from typing import Any

import pytest
from django.apps import apps as django_apps

from kampungkb.kampung import services
from kampungkb.kampung.tests.conftest import FULL_PROFILE, JUNE, Setting
from kampungkb.testing.world import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def rules() -> None:
    """A transactional test's flush empties the rules seeded by the migration: put them back."""
    migration = import_module("kampungkb.kampung.migrations.0002_classification_rules_v1")
    migration.add_rules(django_apps, None)


def login(page: Any, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def test_detail_on_a_phone_shows_the_class_and_its_reasons(
    rules: None, setting: Setting, phone: Any
) -> None:
    services.profile_save(kampung=setting.kampung, month=JUNE, data=FULL_PROFILE, actor=None)
    page = phone
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    login(page, "cadre")

    page.goto(f"/kampung/{setting.kampung.pk}/?month=2025-06")
    badge = page.locator("#class .kkb-class-big")
    assert badge.is_visible()
    assert badge.inner_text().strip() == "Dasar"
    cards = page.locator(".kkb-score")
    assert cards.count() == 12
    unmet = page.locator('[data-score="unmet_need"]')
    unmet.scroll_into_view_if_needed()
    assert unmet.is_visible()
    text = unmet.inner_text()
    assert "3/4" in text
    assert "8,0% menurut fakta indikator desa" in text
    assert "Yang akan menaikkannya: 6% atau kurang akan mendapat skor 4" in text
    # One column of score cards, as wide as the content; nothing wider than the phone.
    widths = page.eval_on_selector_all(".kkb-score", "cs => cs.map(c => c.clientWidth)")
    assert len(set(widths)) == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.wait_for_function("document.querySelector('canvas[data-history]').clientHeight > 0")
    # The "edit this month" form opens from its summary.
    page.locator("#profile summary").click()
    assert page.locator("input[name=pokja_members]").is_visible()
    assert errors == []
