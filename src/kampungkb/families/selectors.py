"""Reads of the family register. Every read goes through ``scoped``: one selector serves the
page, the API and exports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from kampungkb.accounts.scope import (
    Capability,
    area_or_404,
    get_scoped_or_404,
    root_areas,
    scope_for,
    scoped,
)
from kampungkb.families.models import (
    PUS_MAX_AGE,
    PUS_MIN_AGE,
    Couple,
    CoupleStatus,
    Family,
    Person,
    Pregnancy,
    Sex,
)
from kampungkb.regions.models import Area, Level
from kampungkb.regions.selectors import area_ancestors, area_children, subtree_q

# More areas than this in one select is too long to scroll on a phone: pick a village first.
AREA_CHOICES_LIMIT = 100
# A kelurahan can have well over a hundred RW and RT; within one village they all go in the select.
AREA_CHOICES_IN_VILLAGE_LIMIT = 1000


def years_before(on: dt.date, years: int) -> dt.date:
    """The same day ``years`` earlier; 29 February falls back to 28 February."""
    try:
        return on.replace(year=on.year - years)
    except ValueError:
        return on.replace(year=on.year - years, day=28)


def _digits(query: str) -> str:
    return query.replace(" ", "").replace(".", "").replace("-", "")


def family_list(
    *,
    user: Any,
    query: str = "",
    area_code: str | None = None,
    include_inactive: bool = False,
) -> QuerySet[Family]:
    """Families the user may see, newest first, searchable by a member's name, NIK or KK."""
    qs = scoped(user, Family.objects.all())
    if not include_inactive:
        qs = qs.filter(is_active=True)
    if area_code:
        qs = qs.filter(subtree_q("area_id", [area_code]))
    query = query.strip()
    if query:
        digits = _digits(query)
        if digits.isdigit() and len(digits) >= 4:
            member_match = Person.objects.filter(family=OuterRef("pk"), nik__startswith=digits)
            qs = qs.filter(Q(kk_number__startswith=digits) | Exists(member_match))
        else:
            name_match = Person.objects.filter(family=OuterRef("pk"))
            for word in query.split():
                name_match = name_match.filter(full_name__icontains=word)
            qs = qs.filter(Exists(name_match))
    return (
        qs.select_related("head", "area")
        .annotate(member_count=Count("members", filter=Q(members__is_active=True)))
        .order_by("-created_at", "-pk")
    )


def family_get(*, user: Any, pk: int, capability: Capability | None = None) -> Family:
    return get_scoped_or_404(
        user, Family.objects.select_related("head", "area", "area__parent"), capability, pk=pk
    )


def family_members(family: Family) -> list[Person]:
    """Members, the head first, then by birth date; the deceased and moved-out last."""
    members = list(family.members.select_related("mother", "father"))
    members.sort(key=lambda p: (not p.is_active, p.pk != family.head_id, p.birth_date))
    return members


def family_couples(family: Family) -> QuerySet[Couple]:
    """Couples with a wife or husband in the family, with their pregnancies."""
    return (
        Couple.objects.filter(Q(wife__family=family) | Q(husband__family=family))
        .select_related("wife", "husband", "wife__family", "husband__family")
        .prefetch_related(
            Prefetch("pregnancies", queryset=Pregnancy.objects.order_by("-recorded_on"))
        )
        .order_by("status", "-married_on")
    )


def person_list(*, user: Any, query: str = "", area_code: str | None = None) -> QuerySet[Person]:
    qs = scoped(user, Person.objects.all()).filter(is_active=True)
    if area_code:
        qs = qs.filter(subtree_q("family__area_id", [area_code]))
    query = query.strip()
    if query:
        digits = _digits(query)
        if digits.isdigit() and len(digits) >= 4:
            qs = qs.filter(nik__startswith=digits)
        else:
            for word in query.split():
                qs = qs.filter(full_name__icontains=word)
    return qs.select_related("family", "family__area").order_by("full_name", "pk")


def person_get(*, user: Any, pk: int, capability: Capability | None = None) -> Person:
    return get_scoped_or_404(
        user, Person.objects.select_related("family", "family__area"), capability, pk=pk
    )


def pus_q(on: dt.date, prefix: str = "") -> Q:
    """Couples that are a PUS on ``on``: married then and the wife aged 15-49 then and alive."""
    p = prefix
    return (
        (Q(**{f"{p}married_on__isnull": True}) | Q(**{f"{p}married_on__lte": on}))
        & (Q(**{f"{p}ended_on__isnull": True}) | Q(**{f"{p}ended_on__gt": on}))
        & Q(**{f"{p}wife__birth_date__lte": years_before(on, PUS_MIN_AGE)})
        & Q(**{f"{p}wife__birth_date__gt": years_before(on, PUS_MAX_AGE + 1)})
        & (Q(**{f"{p}wife__died_on__isnull": True}) | Q(**{f"{p}wife__died_on__gt": on}))
    )


def couple_list(
    *,
    user: Any,
    area_code: str | None = None,
    pus_on: dt.date | None = None,
    current_only: bool = False,
) -> QuerySet[Couple]:
    qs = scoped(user, Couple.objects.all())
    if area_code:
        qs = qs.filter(subtree_q("wife__family__area_id", [area_code]))
    if current_only:
        qs = qs.filter(status=CoupleStatus.MARRIED)
    if pus_on is not None:
        qs = qs.filter(pus_q(pus_on))
    return qs.select_related("wife", "husband", "wife__family").order_by("-pk")


def couple_get(*, user: Any, pk: int, capability: Capability | None = None) -> Couple:
    return get_scoped_or_404(
        user,
        Couple.objects.select_related("wife", "husband", "wife__family", "wife__family__area"),
        capability,
        pk=pk,
    )


# Additions for the family register pages.


def family_list_rows(
    *, user: Any, query: str = "", area_code: str | None = None
) -> QuerySet[Family]:
    """``family_list`` with the areas up to the village loaded, for the RT/RW/village label."""
    return family_list(user=user, query=query, area_code=area_code).select_related(
        "area__parent__parent"
    )


@dataclass(frozen=True)
class AreaFilter:
    """The area filter of the family list, a drill-down: the chosen area's ancestors within the
    user's scope, the area itself and its children; with nothing chosen, the user's top areas
    (and the children of the top area when there is only one)."""

    current: Area | None
    options: list[tuple[Area, int]]  # (area, depth below the first option)


def family_area_filter(*, user: Any, area_code: str | None) -> AreaFilter:
    """The filter for ``area_code``, an area the user may see persons in (else not found)."""
    if not area_code:
        roots = list(root_areas(user, Capability.VIEW_PERSONS).order_by("code"))
        options = [(a, 0) for a in roots]
        if len(roots) == 1:
            options += [(a, 1) for a in area_children(roots[0])]
        return AreaFilter(current=None, options=options)
    current = area_or_404(user, area_code, Capability.VIEW_PERSONS)
    scope = scope_for(user)
    path = [a for a in area_ancestors(current) if scope.can(Capability.VIEW_PERSONS, a.code)]
    path.append(current)
    options = [(a, depth) for depth, a in enumerate(path)]
    options += [(a, len(path)) for a in area_children(current)]
    return AreaFilter(current=current, options=options)


def family_area_choices(
    *, user: Any, within: str | None = None, limit: int | None = None
) -> list[Area] | None:
    """Villages, dusun/RW and RT where the user may register or move a family to, by code, with
    their parents up to the village loaded (for labels). ``within`` keeps one village's subtree.
    None when there are more than ``limit``: the user picks a village first."""
    if limit is None:
        limit = AREA_CHOICES_IN_VILLAGE_LIMIT if within else AREA_CHOICES_LIMIT
    qs = scoped(
        user,
        Area.objects.filter(level__gte=Level.VILLAGE, is_active=True),
        Capability.EDIT_REGISTER,
    )
    if within:
        qs = qs.filter(subtree_q("code", [within]))
    rows = list(qs.select_related("parent__parent").order_by("code")[: limit + 1])
    return None if len(rows) > limit else rows


def village_search(*, user: Any, query: str, limit: int = 20) -> list[Area]:
    """Villages where the user may register families, by name (every word) or code prefix."""
    query = query.strip()
    if not query:
        return []
    qs = scoped(
        user,
        Area.objects.filter(level=Level.VILLAGE, is_active=True),
        Capability.EDIT_REGISTER,
    )
    if query.replace(".", "").isdigit():
        qs = qs.filter(code__startswith=query)
    else:
        for word in query.split():
            qs = qs.filter(name__icontains=word)
    return list(qs.select_related("parent").order_by("name", "code")[:limit])


def family_living_members(family: Family, *, sex: str | None = None) -> QuerySet[Person]:
    """Members alive and on the register, oldest first (candidates for a marriage or a birth)."""
    qs = family.members.filter(is_active=True, died_on__isnull=True)
    if sex is not None:
        qs = qs.filter(sex=sex)
    return qs.order_by("birth_date", "pk")


def family_unmarried_women(family: Family) -> QuerySet[Person]:
    """Living women of the family without a current marriage (who may be recorded as a wife)."""
    married = Couple.objects.filter(wife=OuterRef("pk"), status=CoupleStatus.MARRIED)
    return family_living_members(family, sex=Sex.FEMALE).exclude(Exists(married))


def pregnancy_get(*, user: Any, pk: int, capability: Capability | None = None) -> Pregnancy:
    return get_scoped_or_404(
        user,
        Pregnancy.objects.select_related(
            "couple", "couple__wife", "couple__husband", "couple__wife__family"
        ),
        capability,
        pk=pk,
    )
