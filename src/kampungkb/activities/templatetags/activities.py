"""Template filters of the activities pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma

register = template.Library()


@register.filter
def rupiah(value: Any) -> str:
    """Whole Rupiah with the active language's grouping: ``Rp 1.250.000`` (id),
    ``Rp 1,250,000`` (en)."""
    if value is None or value == "":
        return ""
    return f"Rp {intcomma(int(value))}"


@register.filter
def cell(grid: dict[tuple[str, str], int], key: str) -> int:
    """A cell of the attendance grid: ``grid|cell:"F:15-24"``."""
    sex, age_group = key.split(":", 1)
    return grid.get((sex, age_group), 0)


@register.filter
def label_of(value: str, choices: Any) -> str:
    """The label of ``value`` among ``choices`` (a TextChoices class's ``choices``)."""
    return str(dict(choices).get(value, value))
