"""The demo's brides-to-be: drawn from the unmarried young people of the demo register, screened,
some below the legal age at the wedding, and gone with the reset."""

from __future__ import annotations

import datetime as dt

import pytest

from kampungkb.demo.services import demo_reset, demo_seed
from kampungkb.stunting.brides import age_on
from kampungkb.stunting.models import BrideScreening, BrideToBe

TODAY = dt.date(2026, 6, 15)

pytestmark = pytest.mark.django_db


def test_brides_are_seeded_from_the_register_and_reset(world) -> None:
    demo_seed(families=300, seed=7, today=TODAY)
    brides = list(BrideToBe.objects.select_related("person"))
    assert brides
    for bride in brides:
        assert bride.person is not None and bride.person.marital_status == "single"
        assert bride.registered_on <= TODAY < bride.wedding_on
        assert 17 <= age_on(bride.birth_date, TODAY) <= 26
    assert BrideScreening.objects.filter(screened_on__gt=TODAY).count() == 0
    assert BrideScreening.objects.exists()
    demo_reset()
    assert not BrideToBe.objects.exists()
