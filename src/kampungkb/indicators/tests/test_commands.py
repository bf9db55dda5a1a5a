"""`kampungkb indicators fill`: a full fill of the world, then an incremental run."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from kampungkb.indicators.models import NATION, DirtyMark, Fact, FillRun
from kampungkb.testing.world import VILLAGE


@pytest.mark.django_db
def test_full_fill_then_nothing_left(world: Any) -> None:
    DirtyMark.objects.all().delete()
    out = StringIO()
    call_command("indicators", "fill", "--full", "--since", "2025-05", "--area", "64", stdout=out)
    assert "Indicator facts filled" in out.getvalue()
    assert not DirtyMark.objects.exists()
    assert FillRun.objects.get().finished_at is not None
    pus = Fact.objects.get(indicator="PUS", area_code=NATION, period=dt.date(2025, 5, 1))
    assert pus.numerator == 1  # Siti Aminah; Lombok Timur was not asked for
    assert Fact.objects.filter(area_code=VILLAGE, indicator="PUS", subgroup="").count() >= 19
