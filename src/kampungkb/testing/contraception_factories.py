"""Factories for contraceptive services. The method catalogue is data shipped by a migration, so
methods are looked up (``method("SUNTIK3")``), not made. Visits written by ``ServiceVisitFactory``
bypass ``services.visit_record`` (no checks, no episodes, no audit): call
``services.episodes_rebuild`` after writing them."""

from __future__ import annotations

import datetime as dt

import factory
import pytest
from factory.django import DjangoModelFactory

from kampungkb.contraception import services
from kampungkb.contraception.models import (
    Facility,
    FacilityKind,
    Method,
    Ownership,
    ServiceVisit,
    VisitKind,
)
from kampungkb.regions.models import Area
from kampungkb.testing.factories import CoupleFactory
from kampungkb.testing.world import VILLAGE


def method(code: str) -> Method:
    return Method.objects.get(code=code)


class FacilityFactory(DjangoModelFactory[Facility]):
    class Meta:
        model = Facility

    code = factory.Sequence(lambda n: f"F{n:07d}")
    name = factory.Sequence(lambda n: f"Puskesmas {n}")
    kind = FacilityKind.PUSKESMAS
    ownership = Ownership.GOVERNMENT
    has_jkn_contract = True
    area = factory.LazyFunction(lambda: Area.objects.get(code=VILLAGE))


class ServiceVisitFactory(DjangoModelFactory[ServiceVisit]):
    class Meta:
        model = ServiceVisit

    couple = factory.SubFactory(CoupleFactory)
    visited_on = dt.date(2026, 1, 5)
    method = factory.LazyFunction(lambda: Method.objects.get(code="SUNTIK3"))
    kind = VisitKind.START
    quantity = 1
    consent_recorded = True


TODAY = dt.date(2026, 3, 2)


class Clock:
    """The day the contraception services take as today (``services._today``)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self._monkeypatch = monkeypatch
        self.set(TODAY)

    def set(self, day: dt.date) -> None:
        self.today = day
        self._monkeypatch.setattr(services, "_today", lambda: self.today)


@pytest.fixture(name="clock")
def clock_fixture(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """Pin "today" for the episode engine (due dates, drop-outs) to ``TODAY``; ``clock.set(day)``
    moves it."""
    return Clock(monkeypatch)
