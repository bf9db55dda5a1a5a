"""The dashboard's village map draws each village's Kampung KB, coloured and labelled by class,
in the same query as the villages."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from kampungkb.accounts.scope import SYSTEM
from kampungkb.kampung import services
from kampungkb.kampung.models import KampungKb
from kampungkb.kampung.tests.conftest import FULL_PROFILE, JUNE, Setting
from kampungkb.regions.models import Area
from kampungkb.reports.dashboard import dashboard_get
from kampungkb.testing.world import KEC, VILLAGE, VILLAGE_2


def test_kampung_points_on_the_dashboard(setting: Setting, client_for: Any) -> None:
    services.profile_save(kampung=setting.kampung, month=JUNE, data=FULL_PROFILE, actor=None)
    Area.objects.filter(code=VILLAGE).update(
        latitude=Decimal("-0.271"), longitude=Decimal("116.58")
    )
    Area.objects.filter(code=VILLAGE_2).update(
        latitude=Decimal("-0.285"), longitude=Decimal("116.595")
    )
    setting.kampung.latitude, setting.kampung.longitude = Decimal("-0.2705"), Decimal("116.581")
    setting.kampung.save()
    data = dashboard_get(user=SYSTEM, area=Area.objects.get(code=KEC), period=JUNE)
    assert data.kampung_points == [
        {
            "name": "Kampung KB Mahakam Sejahtera",
            "village": "Kota Bangun Ulu",
            "lat": -0.2705,
            "lng": 116.581,
            "class": "Dasar",
            "colour": "#fde725",
            "url": f"/kampung/{setting.kampung.pk}/",
        }
    ]
    # Before the first classification: drawn, not classified yet.
    may = dashboard_get(user=SYSTEM, area=Area.objects.get(code=KEC), period=JUNE.replace(month=5))
    assert [(p["class"], p["colour"]) for p in may.kampung_points] == [
        ("belum diklasifikasi", "#9ca3af")
    ]
    page = client_for("partner").get("/reports/", {"area": KEC, "month": "2025-06"})
    html = page.content.decode()
    start = html.index('<script id="dashboard-kampung" type="application/json">')
    body = html[start:].split(">", 1)[1].split("</script>", 1)[0]
    assert json.loads(body)[0]["class"] == "Dasar"
    assert "Kelas Kampung KB" in html


def test_the_dashboard_query_count_is_unchanged(setting: Setting, client_for: Any) -> None:
    """The Kampung KB ride on the villages' query: the same count with or without them (11 for
    this kecamatan without a method mix; see reports' pinned counts)."""
    Area.objects.filter(code=VILLAGE).update(
        latitude=Decimal("-0.271"), longitude=Decimal("116.58")
    )
    services.classification_compute(kampung=setting.kampung, month=JUNE)
    client = client_for("district")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            page = client.get("/reports/", {"area": KEC, "month": "2025-06"})
        assert page.status_code == 200
        return len(queries.captured_queries)

    with_kampung = count()
    KampungKb.objects.update(is_active=False)
    assert (with_kampung, count()) == (11, 11)
