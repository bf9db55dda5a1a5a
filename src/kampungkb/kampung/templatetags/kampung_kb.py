"""Filters of the Kampung KB pages: indices and figures in the user's number format, and the
labels of the lists a Kampung KB and its profile hold."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.formats import number_format

from kampungkb.activities.models import FundingSource
from kampungkb.indicators.registry import Unit, indicator
from kampungkb.kampung.charts import class_colour
from kampungkb.kampung.classification import KampungClass
from kampungkb.kampung.models import Criterion, DataSource, KampungKb, ModelFlag, ProfileVersion

register = template.Library()


@register.filter
def index_text(value: Decimal | None) -> str:
    """An index with its two decimals, as the user's language writes them (3,25 / 3.25)."""
    return "—" if value is None else number_format(Decimal(value), 2)


@register.filter
def fact(facts: dict[str, Decimal | None], code: str) -> str:
    """A village figure: a count as a whole number, a percentage with one decimal."""
    value = facts.get(code)
    if value is None:
        return "—"
    if indicator(code).unit == Unit.PERCENT:
        return f"{number_format(value, 1)}%"
    return number_format(value, 0, force_grouping=True)


def _labels(values: list[str], choices: Any) -> list[str]:
    labels = dict(choices)
    return [str(labels.get(v, v)) for v in values]


@register.filter
def criteria_labels(kampung: KampungKb) -> list[str]:
    return _labels(kampung.criteria, Criterion.choices)


@register.filter
def flag_labels(kampung: KampungKb) -> list[str]:
    return _labels(kampung.model_flags, ModelFlag.choices)


@register.filter
def funding_labels(profile: ProfileVersion) -> list[str]:
    return _labels(profile.funding_sources, FundingSource.choices)


@register.filter
def data_source_labels(profile: ProfileVersion) -> list[str]:
    return _labels(profile.data_sources, DataSource.choices)


@register.inclusion_tag("kampung/_dashboard_legend.html")
def kampung_legend() -> dict[str, Any]:
    """The Kampung KB classes, for the legend of a map that draws them (the dashboard's)."""
    return {
        "legend": [(c.value, c.label, class_colour(c.value)) for c in KampungClass],
        "unclassified_colour": class_colour(None),
    }
