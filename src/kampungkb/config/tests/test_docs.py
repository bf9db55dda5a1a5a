"""Docs that are tested: every setting read from the environment is documented."""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.PACKAGE_DIR).parent.parent
SETTINGS_SOURCE = Path(settings.PACKAGE_DIR, "config", "settings.py").read_text()
ENV_READ = re.compile(r"""(?:os\.environ\.get|env_bool|env_list)\(\s*["']([A-Z_]+)["']""")


def test_every_environment_setting_is_documented() -> None:
    names = set(ENV_READ.findall(SETTINGS_SOURCE))
    assert {"DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS", "DEBUG"} <= names
    documented = set(
        re.findall(r"^\| `([A-Z_]+)` \|", (ROOT / "docs" / "settings.md").read_text(), re.M)
    )
    assert names - documented == set()


def test_every_decision_record_is_numbered_and_titled() -> None:
    records = sorted((ROOT / "docs" / "decisions").glob("*.md"))
    assert records
    for number, record in enumerate(records, start=1):
        assert record.name.startswith(f"{number:04d}-")
        assert record.read_text().startswith(f"# {number:04d} ")
