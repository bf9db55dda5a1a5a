"""Every UI string has a Bahasa Indonesia translation.

For each app (and the project-level strings in ``config``), the strings that ``makemessages``
extracts from a copy of the code must all be in the committed Indonesian catalogue, translated
and not fuzzy. A developer who adds a string runs ``makemessages -l id`` in the app folder and
translates it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

PACKAGE = Path(settings.PACKAGE_DIR)
UNITS = [*sorted(p.parent.name for p in PACKAGE.glob("*/apps.py")), "config"]


def catalogue(unit: str) -> Path:
    if unit == "config":
        return PACKAGE / "locale" / "id" / "LC_MESSAGES" / "django.po"
    return PACKAGE / unit / "locale" / "id" / "LC_MESSAGES" / "django.po"


def extracted(unit: str, workdir: Path) -> set[tuple[str, str]]:
    copy = workdir / unit
    shutil.copytree(
        PACKAGE / unit,
        copy,
        ignore=shutil.ignore_patterns("tests", "migrations", "locale", "__pycache__"),
    )
    (copy / "locale").mkdir()
    cwd = os.getcwd()
    try:
        os.chdir(copy)
        call_command("makemessages", locale=["id"], verbosity=0, no_obsolete=True)
    finally:
        os.chdir(cwd)
    po = copy / "locale" / "id" / "LC_MESSAGES" / "django.po"
    if not po.exists():
        return set()
    return {(e.msgctxt or "", e.msgid) for e in polib.pofile(str(po))}


@pytest.mark.parametrize("unit", UNITS)
def test_every_string_is_translated_to_indonesian(unit: str, tmp_path: Path) -> None:
    wanted = extracted(unit, tmp_path)
    if not wanted:
        return
    path = catalogue(unit)
    assert path.exists(), (
        f"{path.relative_to(PACKAGE)} is missing: run makemessages -l id in {unit}/"
    )
    entries = {(e.msgctxt or "", e.msgid): e for e in polib.pofile(str(path)) if not e.obsolete}
    missing = sorted(m for _, m in wanted - entries.keys())
    assert missing == [], f"{unit}: strings not in the Indonesian catalogue"
    untranslated = sorted(
        m for key in wanted for m in [key[1]] if not entries[key].translated() or entries[key].fuzzy
    )
    assert untranslated == [], f"{unit}: strings without an Indonesian translation"
