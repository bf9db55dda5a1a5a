"""`kampungkb targets import FILE`: all rows or none, as the system or as a user."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from kampungkb.indicators.models import Target
from kampungkb.indicators.tests.test_targets_services import xlsx
from kampungkb.testing.world import OTHER_VILLAGE, VILLAGE


def test_import_as_the_system(world, tmp_path):
    path = tmp_path / "ppm.xlsx"
    path.write_bytes(
        xlsx([(VILLAGE, "", 2025, 70, 8), (OTHER_VILLAGE, "", 2025, 5, "")]).getvalue()
    )
    out = StringIO()
    call_command("targets", "import", str(path), stdout=out)
    assert out.getvalue() == "Targets imported: 3 added, 0 changed, 0 unchanged.\n"
    assert set(Target.objects.values_list("area_id", "kind", "value")) == {
        (VILLAGE, "PA", 70),
        (VILLAGE, "PB", 8),
        (OTHER_VILLAGE, "PA", 5),
    }


def test_import_as_a_user_refuses_and_writes_nothing(world, tmp_path):
    path = tmp_path / "ppm.xlsx"
    path.write_bytes(
        xlsx([(VILLAGE, "", 2025, 70, 8), (OTHER_VILLAGE, "", 2025, 5, "")]).getvalue()
    )
    err = StringIO()
    with pytest.raises(CommandError, match="refused, nothing was imported"):
        call_command("targets", "import", str(path), "--user", "district", stderr=err)
    assert err.getvalue() == (
        f"row 3, kode wilayah: Anda tidak berwenang mengubah target wilayah {OTHER_VILLAGE}. / "
        f"You may not change the targets of area {OTHER_VILLAGE}.\n"
    )
    assert not Target.objects.exists()


def test_import_of_a_missing_file(world, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("targets", "import", str(tmp_path / "none.xlsx"))
