"""Template filters of the cadre pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from kampungkb.stunting.risk import RiskReason

register = template.Library()


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key)


@register.filter
def below(score: Decimal | None, mark: Decimal) -> bool:
    """Whether a score is under the pass mark (a gap to train); no score is no gap shown."""
    return score is not None and score < mark


@register.filter
def option_text(question: Any, letter: str) -> str:
    return str(question.option_text(letter))


@register.filter
def risk_reason_label(code: str) -> str:
    """The label of a stunting-risk reason kept by its code in a frozen agenda."""
    return str(RiskReason(code).label) if code in RiskReason.values else code
