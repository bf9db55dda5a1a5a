from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def media_in_tmp(settings: Any, tmp_path: Path) -> None:
    """MoU documents are written to a temporary folder, not the working copy's ``var/``."""
    settings.MEDIA_ROOT = tmp_path / "media"
