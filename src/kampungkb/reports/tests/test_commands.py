"""`kampungkb report monthly`: the recap written to a file."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from kampungkb.reports.tests.test_pdf import lines
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


@pytest.mark.django_db
def test_command_writes_the_pdf(world: World, filled: None, tmp_path: Path) -> None:
    output = tmp_path / "recap.pdf"
    out = StringIO()
    call_command(
        "report", "monthly", "--area", KAB, "--month", "2025-06", "--format", "pdf",
        "--output", str(output), stdout=out,
    )  # fmt: skip
    assert out.getvalue() == (
        f"Monthly recap of Kabupaten Kutai Kartanegara ({KAB}) written to {output}.\n"
    )
    text = lines(output.read_bytes())
    assert text[1] == "Kabupaten Kutai Kartanegara · Juni 2025"
    assert "64.02.08 Kota Bangun 5 3 2 60,0 60,0 33,3 0,0 0 0 33,3 4,85" in text
    assert f"{KAB} Jumlah 5 3 2 60,0 60,0 33,3 0,0 0 0 33,3 4,85" in text
    # The signature block, on the second page after the 20 kecamatan; the long title of the
    # head of the office wraps.
    signature = " ".join(text[text.index("Mengetahui,") :])
    assert signature.startswith(
        "Mengetahui, Kepala Dinas Pengendalian Penduduk dan Keluarga Berencana Kabupaten Kutai "
        "Kartanegara NIP. Kutai Kartanegara, "
    )


@pytest.mark.django_db
def test_command_writes_the_pdf_in_english(world: World, filled: None, tmp_path: Path) -> None:
    output = tmp_path / "recap.pdf"
    call_command(
        "report", "monthly", "--area", KEC, "--month", "2025-06", "--format", "pdf",
        "--language", "en", "--output", str(output), stdout=StringIO(),
    )  # fmt: skip
    text = lines(output.read_bytes())
    assert text[:2] == ["Monthly family planning recap", "Kota Bangun · June 2025"]
    assert f"{KEC} Total 5 3 2 60.0 60.0 33.3 0.0 0 0 33.3 4.85" in text
