"""In a phone's Chromium: the district officer opens the dashboard of Kota Bangun; the charts are
drawn, the map has a marker per located village, the page never scrolls sideways, and the browser
logs no error. Choosing another indicator redraws the page through htmx."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from kampungkb.regions.models import Area
from kampungkb.testing.world import KEC, PASSWORD, VILLAGE, VILLAGE_2, World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page: Any, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def is_error(message: Any) -> bool:
    return message.type == "error"


def console_error(message: Any) -> str:
    return f"{message.text} ({message.location['url']})"


def canvas_sizes(page: Any) -> list[tuple[int, int]]:
    return page.eval_on_selector_all(
        "#dashboard canvas", "cs => cs.map(c => [c.clientWidth, c.clientHeight])"
    )


def test_dashboard_on_a_phone(world: World, filled: None, phone: Any) -> None:
    Area.objects.filter(code=VILLAGE).update(
        latitude=Decimal("-0.271"), longitude=Decimal("116.58")
    )
    Area.objects.filter(code=VILLAGE_2).update(
        latitude=Decimal("-0.285"), longitude=Decimal("116.595")
    )
    page = phone
    errors: list[str] = []
    page.on("console", lambda m: errors.append(console_error(m)) if is_error(m) else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    login(page, "district")

    page.goto(f"/reports/?area={KEC}&month=2025-06")
    page.wait_for_selector("#dashboard canvas[data-methods]")
    page.wait_for_function("document.querySelectorAll('.leaflet-interactive').length === 2")
    sizes = canvas_sizes(page)
    assert len(sizes) == 4  # three trends and the method mix
    assert all(w > 0 and h > 0 for w, h in sizes)
    # One column on a phone: every chart as wide as the content.
    assert len({w for w, _ in sizes}) == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= page.evaluate(
        "window.innerWidth"
    )
    assert page.locator(".dash-map .leaflet-tile").count() == 0  # no tiles unless configured

    page.locator(".leaflet-interactive").first.click(force=True)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "mCPR (%)" in popup.inner_text()

    page.select_option("select[name=indicator]", "PUS")
    page.get_by_role("button", name="Tampilkan").click()
    page.wait_for_url("**indicator=PUS**")
    page.wait_for_function("document.querySelectorAll('.leaflet-interactive').length === 2")
    assert "Sub-wilayah menurut PUS" in page.locator("#dashboard").inner_text()
    assert all(w > 0 and h > 0 for w, h in canvas_sizes(page))
    assert errors == []
