from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from kampungkb.kampung.models import Classification
from kampungkb.kampung.tests.conftest import JUNE, Setting


def test_classify_a_month_of_an_area(setting: Setting) -> None:
    out = io.StringIO()
    call_command("kampung", "classify", "--month", "2025-06", "--area", "64.02", stdout=out)
    assert out.getvalue() == "1 Kampung KB in 64.02 classified for 2025-06.\n"
    c = Classification.objects.get()
    assert (c.kampung, c.month, c.klass) == (setting.kampung, JUNE, "dasar")
    # Classified again: the snapshot is replaced, not duplicated.
    call_command("kampung", "classify", "--month", "2025-06", stdout=io.StringIO())
    assert Classification.objects.count() == 1


def test_another_area_classifies_nothing(setting: Setting) -> None:
    out = io.StringIO()
    call_command("kampung", "classify", "--month", "2025-06", "--area", "52.03", stdout=out)
    assert out.getvalue() == "0 Kampung KB in 52.03 classified for 2025-06.\n"
    assert not Classification.objects.exists()


def test_unknown_area_and_month_without_rules(setting: Setting) -> None:
    with pytest.raises(CommandError, match="No area with the code 99"):
        call_command("kampung", "classify", "--area", "99")
    with pytest.raises(CommandError, match="No classification rules are in force"):
        call_command("kampung", "classify", "--month", "2010-01", stdout=io.StringIO())


def test_since_classifies_every_month_up_to_the_month(setting: Setting) -> None:
    out = io.StringIO()
    call_command("kampung", "classify", "--since", "2025-04", "--month", "2025-06", stdout=out)
    assert out.getvalue().splitlines() == [
        "1 Kampung KB classified for 2025-04.",
        "1 Kampung KB classified for 2025-05.",
        "1 Kampung KB classified for 2025-06.",
    ]
    assert sorted(Classification.objects.values_list("month", flat=True)) == [
        JUNE.replace(month=4),
        JUNE.replace(month=5),
        JUNE,
    ]


def test_since_after_the_month_is_refused(setting: Setting) -> None:
    with pytest.raises(CommandError, match="--since 2025-07 is after the month 2025-06"):
        call_command("kampung", "classify", "--since", "2025-07", "--month", "2025-06")
    assert not Classification.objects.exists()
