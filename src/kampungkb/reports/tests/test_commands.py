"""`kampungkb report monthly`: the recap written to a file."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from kampungkb.testing.world import KAB, KEC, World


@pytest.mark.django_db
def test_monthly_json(world: World, filled: None, tmp_path: Path) -> None:
    output = tmp_path / "recap.json"
    out = StringIO()
    call_command(
        "report", "monthly", "--area", KEC, "--month", "2025-06", "--format", "json",
        "--output", str(output), stdout=out,
    )  # fmt: skip
    assert "written to" in out.getvalue()
    assert json.loads(output.read_text())["total"]["values"]["PUS"] == 5


@pytest.mark.django_db
def test_monthly_xlsx(world: World, filled: None, tmp_path: Path) -> None:
    output = tmp_path / "recap.xlsx"
    call_command(
        "report", "monthly", "--area", KAB, "--month", "2025-06", "--format", "xlsx",
        "--output", str(output), stdout=StringIO(),
    )  # fmt: skip
    book = load_workbook(output)
    assert len(book.sheetnames) == 2
    assert book.active[book.active.max_row][2].value == 5


@pytest.mark.django_db
def test_unknown_area_is_refused(world: World, tmp_path: Path) -> None:
    output = tmp_path / "recap.csv"
    with pytest.raises(CommandError):
        call_command(
            "report", "monthly", "--area", "99", "--month", "2025-06", "--format", "csv",
            "--output", str(output),
        )  # fmt: skip
    assert not output.exists()
