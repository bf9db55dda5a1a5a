"""docs/indicators.md documents every indicator of the registry (STYLE.md point 13)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from kampungkb.indicators.registry import INDICATORS

DOC = Path(settings.PACKAGE_DIR).parents[1] / "docs" / "indicators.md"


def test_every_indicator_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    sections = {part.split("\n", 1)[0].strip().strip("`"): part for part in text.split("\n### ")}
    for item in INDICATORS:
        assert item.code.value in sections, f"{item.code} has no section in docs/indicators.md"
        section = sections[item.code.value]
        for text_part in (item.name_id, item.name_en, f"Unit: {item.unit.value}"):
            assert text_part in section, f"{item.code}: {text_part!r} missing"


def test_every_indicator_code_fits_the_fact_table() -> None:
    from kampungkb.indicators.models import Fact

    longest = Fact._meta.get_field("indicator").max_length
    assert longest is not None
    assert [i.code.value for i in INDICATORS if len(i.code.value) > longest] == []
