"""Template filters of the family register pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template

from kampungkb.accounts.scope import Capability, Scope
from kampungkb.families import masking
from kampungkb.families.models import Couple, Person, Pregnancy
from kampungkb.regions.models import Area, Level

register = template.Library()

# A single right-pointing angle quotation mark between an area and the area it lies in.
AREA_SEPARATOR = " \u203a "


@register.filter
def masked(number: str | None) -> str:
    """An NIK or KK number as lists show it: ``6402081203880001`` -> ``640208******0001``."""
    return masking.mask_id(number)


@register.filter
def area_label(area: Area) -> str:
    """The area from its village down: ``Kota Bangun Ulu / RW 001 / RT 001`` (joined with
    ``AREA_SEPARATOR``). The parents up to the village must be loaded
    (``select_related("area__parent__parent")``)."""
    parts = [str(area)]
    node = area
    while node.level > Level.VILLAGE and node.parent is not None:
        node = node.parent
        parts.append(str(node))
    return AREA_SEPARATOR.join(reversed(parts))


@register.filter
def indent(depth: int) -> str:
    """Non-breaking spaces that show an option's depth in a select."""
    return "\u00a0\u00a0" * depth


@register.filter
def path_label(path: list[Area]) -> str:
    """An area path (the province first) from the village down, like ``area_label``."""
    return AREA_SEPARATOR.join(str(a) for a in path if a.level >= Level.VILLAGE)


@register.filter
def age_on(person: Person, on: dt.date) -> int:
    return person.age_on(on)


@register.filter
def pus_on(couple: Couple, on: dt.date) -> bool:
    return couple.is_pus_on(on)


@register.filter
def can_view_persons(scope: Scope | None, code: Any) -> bool:
    """Whether the user may open the family list of the area ``code``."""
    return scope is not None and scope.can(Capability.VIEW_PERSONS, str(code))


@register.filter
def ongoing_pregnancy(couple: Couple) -> Pregnancy | None:
    """The couple's open pregnancy, from the prefetched ``pregnancies`` (``family_couples``)."""
    return next((p for p in couple.pregnancies.all() if p.ended_on is None), None)
