"""In a phone's Chromium: a cadre opens a child's page, records a measurement at the Posyandu and
sees it in the table and on the growth charts (drawn by Chart.js against the WHO curves)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from kampungkb.stunting.models import ChildMeasurement
from kampungkb.stunting.tests.growth_world import Kids, kids_fixture  # noqa: F401 - the "kids" fixture
from kampungkb.testing.world import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_cadre_records_a_measurement_and_sees_the_growth_chart(kids: Kids, phone) -> None:
    page = phone
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "cadre")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()

    page.goto(f"/stunting/children/{kids.bayu.pk}/")
    assert page.locator("#measurement-rows tbody tr").count() == 3
    assert page.locator("input[name=weight_kg]").get_attribute("inputmode") == "decimal"
    page.fill("input[name=weight_kg]", "9,2")  # a comma, as Indonesians write it
    page.fill("input[name=length_or_height_cm]", "76.0")
    page.check("input[name=position][value=lying]")
    page.fill("input[name=place]", "Posyandu Melati")
    page.locator("#record button[type=submit]").click()
    page.wait_for_load_state()

    m = ChildMeasurement.objects.get(child=kids.bayu, measured_on=timezone.localdate())
    assert (m.weight_kg, m.length_or_height_cm) == (Decimal("9.20"), Decimal("76.0"))
    assert page.url.endswith(f"/stunting/children/{kids.bayu.pk}/")
    assert page.locator(f"#measurement-{m.pk}").count() == 1
    assert (
        page.locator(f"#measurement-{m.pk}").inner_text().count(str(m.haz).replace(".", ",")) == 1
    )
    # Both charts drawn: the WHO median, -2 SD, -3 SD and the child's four points.
    page.wait_for_function(
        "window.Chart && document.querySelectorAll('canvas[data-growth-chart]').length === 2"
    )
    drawn = page.evaluate(
        """() => [...document.querySelectorAll('canvas[data-growth-chart]')].map(c => {
            const chart = window.Chart.getChart(c);
            return chart ? chart.data.datasets.map(d => d.data.length) : null;
        })"""
    )
    assert drawn == [[61, 61, 61, 4], [61, 61, 61, 4]]
